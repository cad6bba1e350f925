"""The corpus commands end to end on a small store: exact rows, every format, clear errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from corpus_texts import write_articles
from store_fixtures import make_article

from onrecord.cli import cli
from onrecord.corpus.consolidate import consolidate
from onrecord.store import open_store


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "c.db")
    with open_store(path) as store:
        store.put_article(
            "a.txt",
            "a1",
            make_article(
                [("Ann Lee", "said", "the harbour budget will not cover the winter ferries this year")],
                published="2024-03-01",
                outlet="North Post",
            ),
            "t",
        )
        store.put_article(
            "b.txt",
            "b1",
            make_article(
                [
                    ("Ms Lee", "said", "the harbour budget will not cover the winter ferries next year"),
                    ("Bo Chan", "argued", "the bridge needs repairs before the storms come back"),
                ],
                published="2024-03-05",
                outlet="South Herald",
            ),
            "t",
        )
        consolidate(store)
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_search_formats(db: str) -> None:
    code, out, _ = run("search", db, "ferries", "--format", "json", "--sort", "date")
    assert code == 0
    rows = json.loads(out)
    assert [r["quote_id"] for r in rows] == ["a1:q1", "b1:q1"]
    assert rows[0]["speaker_name"] == "Ann Lee"
    assert [rows[0]["snippet"][s:e] for s, e in rows[0]["matches"]] == ["ferries"]
    code, out, _ = run("search", db, "bridge", "--format", "nl")
    assert [json.loads(line)["quote_id"] for line in out.splitlines()] == ["b1:q2"]
    code, out, _ = run(
        "search", db, "harbour", "--speaker", "Ann Lee", "--outlet", "south herald", "--format", "csv"
    )
    table = list(csv.DictReader(io.StringIO(out)))
    assert [r["quote_id"] for r in table] == ["b1:q1"] and table[0]["outlet"] == "South Herald"
    code, out, _ = run("search", db, "bridge")  # table: the match in bold, not lost as rich markup
    assert code == 0 and "the bridge needs" in out
    code, out, _ = run("search", db, "harbour", "--since", "2024-03-02", "--until", "2024-03-31")
    assert code == 0 and "b1:q1" in out and "a1:q1" not in out


def test_search_errors_are_one_line(db: str) -> None:
    code, _, err = run("search", db, "--", "-ferries")
    assert code == 1 and err.startswith("Error: [E050]")
    code, _, err = run("search", db, "x", "--since", "yesterday")
    assert code == 2 and "'yesterday' is not a date" in err  # was an empty result, exit 0


def test_speakers_speaker_and_corrections(db: str) -> None:
    code, out, _ = run("speakers", db, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["name"], r["quote_count"]) for r in rows] == [("Ann Lee", "2"), ("Bo Chan", "1")]
    code, out, _ = run("speaker", db, "ms lee")
    assert code == 0 and out.startswith("Ann Lee (sp_") and "aliases: " in out and "North Post (1)" in out
    code, out, _ = run("speaker", db, "Ann Lee", "--format", "json")
    info = json.loads(out)
    assert [q["quote_id"] for q in info["timeline"]] == ["a1:q1", "b1:q1"]
    code, _, err = run("speaker", db, "Nobody")
    assert code == 2 and "E053" in err
    code, _, _ = run("speaker", "merge", db, "Bo Chan", "Ann Lee")
    assert code == 0
    code, out, _ = run("speakers", db, "--format", "json")
    assert [r["name"] for r in json.loads(out)] == ["Ann Lee"]
    code, _, _ = run("speaker", "split", db, "Ann Lee", "Ms Lee")
    assert code == 0
    code, out, _ = run("speakers", db, "--format", "json")
    assert {r["name"] for r in json.loads(out)} == {"Ann Lee", "Lee"}  # the split alias, honorific dropped


def test_quote_provenance(db: str) -> None:
    code, out, _ = run("quote", db, "b1:q1", "--format", "json")
    info = json.loads(out)
    assert info["first_quote_id"] == "a1:q1"
    assert info["variants"] == [{"quote_id": "b1:q1", "differences": info["variants"][0]["differences"]}]
    assert any("next" in d for d in info["variants"][0]["differences"])
    code, out, _ = run("quote", db, "b1:q1")
    assert "first appearance a1:q1" in out and "VARIANT" in out
    code, _, err = run("quote", db, "zz:q9")
    assert code == 2 and "E054" in err


def test_export_formats(db: str, tmp_path: Path) -> None:
    code, out, _ = run("export", db, "--format", "jsonl")
    assert [json.loads(line)["quote_id"] for line in out.splitlines()] == ["a1:q1", "b1:q1", "b1:q2"]
    code, out, _ = run("export", db, "--format", "csv", "--table", "speakers")
    assert next(iter(csv.DictReader(io.StringIO(out))))["name"] == "Ann Lee"
    code, _, err = run("export", db, "--format", "parquet")
    assert code == 2 and "-o FILE" in err
    target = tmp_path / "a.parquet"
    code, _, err = run("export", db, "--format", "parquet", "--table", "articles", "-o", str(target))
    assert code == 0 and "2 rows of articles" in err
    import pyarrow.parquet as pq

    assert pq.read_table(target).column("article_id").to_pylist() == ["a1", "b1"]


def test_ingest_and_status(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 3)
    (folder / "broken.jsonl").write_text('{"text": 1}\n', encoding="utf-8")
    db = str(tmp_path / "c.db")
    code, out, err = run("ingest", db, str(folder), "--mode", "fast", "--json")
    assert code == 1  # one input failed; the rest is done and recorded
    report = json.loads(out)
    assert (report["ok"], report["failed"]) == (3, 1)
    code, _, err = run("ingest", db, str(folder), "--mode", "fast", "--no-progress")
    assert code == 1 and "0 articles extracted, 3 unchanged, 0 skipped, 1 failed" in err
    (folder / "broken.jsonl").unlink()
    code, _, err = run("ingest", db, str(folder), "--mode", "fast", "--no-progress")
    assert code == 0 and "3 unchanged, 0 skipped, 0 failed" in err
    code, out, _ = run("status", db, "--failures")
    assert "articles: 3" in out and "failed: " in out and "broken.jsonl#1" in out


def test_a_database_that_is_not_one(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database at all, just bytes" * 100)
    code, _, err = run("speakers", str(bad))
    assert code == 1 and "E052" in err


def test_serve_takes_the_token_from_a_file_or_the_environment_never_argv(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command line is visible to every user in ps: ``--write-token VALUE`` is refused; a
    token file or ONRECORD_WRITE_TOKEN reaches the server, through the environment only."""
    import uvicorn

    started: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: started.append(k))
    for key in ("WRITE_TOKEN", "SERVE_DB", "SERVE_MODE", "SERVE_HOSTS", "ACCESS_LOG"):
        monkeypatch.delenv(f"ONRECORD_{key}", raising=False)  # restored after the test
    refused = CliRunner().invoke(cli, ["serve", db, "--write-token", "s3cret"])
    assert refused.exit_code == 2 and "ps" in refused.output and not started
    token = tmp_path / "token.txt"
    token.write_text("s3cret\n")
    served = CliRunner().invoke(
        cli, ["serve", db, "--write-token-file", str(token), "--allow-host", "q.example"]
    )
    assert served.exit_code == 0, served.output
    assert "read-write" in served.output and "q.example" in served.output and len(started) == 1
    import os

    from onrecord.serve.app import app_from_environment

    assert os.environ["ONRECORD_WRITE_TOKEN"] == "s3cret"
    app = app_from_environment()
    assert app.state.write_token == "s3cret" and "q.example" in app.state.allowed_hosts
    token.write_text("\n")
    empty = CliRunner().invoke(cli, ["serve", db, "--write-token-file", str(token)])
    assert empty.exit_code == 1 and "empty" in empty.output
    bad = CliRunner().invoke(cli, ["serve", db, "--allow-host", "q.*.org"])
    assert bad.exit_code == 1 and "not a host name" in bad.output


@pytest.mark.parametrize(
    "args",
    [
        ["search", "{missing}", "ferry"],
        ["speakers", "{missing}"],
        ["speaker", "{missing}", "Ann Lee"],
        ["quote", "{missing}", "a1:q1"],
        ["stance", "{missing}", "ferry toll"],
        ["relations", "{missing}"],
        ["export", "{missing}", "--table", "quotes"],
        ["status", "{missing}"],
        ["serve", "{missing}"],
        ["ingest", "{missing}", "--reprocess"],
    ],
)
def test_a_database_that_is_not_there_is_an_error_not_an_empty_corpus(
    tmp_path: Path, args: list[str]
) -> None:
    missing = tmp_path / "nosuch.db"
    result = CliRunner().invoke(cli, [a.format(missing=missing) for a in args])
    assert result.exit_code == 1 and "E052" in result.output and "no such file" in result.output, (
        result.output
    )
    assert not missing.exists()  # nothing made in passing


def test_ingest_creates_the_database_and_says_so(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text('Ann Lee said: "The harbour budget will not cover the winter ferries."\n')
    db = tmp_path / "new.db"
    result = CliRunner().invoke(cli, ["ingest", str(db), str(story), "--mode", "fast", "--no-progress"])
    assert result.exit_code == 0 and db.exists() and f"created the database {db}" in result.output
    again = CliRunner().invoke(cli, ["ingest", str(db), str(story), "--mode", "fast", "--no-progress"])
    assert again.exit_code == 0 and "created" not in again.output


def test_a_folder_reached_three_ways_is_one_set_of_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """By absolute path, by relative path (and ``a/../a``) and through a symlink: the same files,
    the same articles, not copies that then group with themselves as quotations."""
    folder = tmp_path / "news"
    folder.mkdir()
    for n, name in enumerate(("Ann Lee", "Bo Chan")):
        (folder / f"s{n}.txt").write_text(
            f'{name} said: "The harbour budget will not cover the winter ferries, {n}."\n'
        )
    (tmp_path / "link").symlink_to(folder, target_is_directory=True)
    db = tmp_path / "c.db"
    monkeypatch.chdir(tmp_path)
    for given in (str(folder), "news", "news/../news", "link"):
        result = CliRunner().invoke(
            cli, ["ingest", str(db), given, "--mode", "fast", "--no-progress", "--json"]
        )
        assert result.exit_code == 0, result.output
    with open_store(str(db)) as store:
        counts = store.counts()
        keys = sorted(store.item_states())
    assert counts["articles"] == 2 and counts["quote_groups"] == 0
    assert keys == [str(folder.resolve() / "s0.txt"), str(folder.resolve() / "s1.txt")]


def test_the_same_text_under_two_names_is_one_article(tmp_path: Path) -> None:
    """A copy of a file, in the same run or a later one, is skipped naming the file that holds
    it (the name ingested first wins); the same text at two URLs stays two publications."""
    story = 'Ann Lee said: "The harbour budget will not cover the winter ferries."\n'
    first, second = tmp_path / "in" / "a.txt", tmp_path / "in" / "b.txt"
    first.parent.mkdir()
    first.write_text(story)
    second.write_text(story)
    later = tmp_path / "later" / "copy.txt"
    later.parent.mkdir()
    later.write_text(story)
    feed = tmp_path / "feed.jsonl"
    lines = [{"text": story, "url": f"https://example.org/{n}"} for n in (1, 2)]
    feed.write_text("".join(json.dumps(line) + "\n" for line in lines))
    db = tmp_path / "c.db"
    args = ["--mode", "fast", "--no-progress", "--json"]
    for given in ([str(first.parent)], [str(later), str(feed)]):
        result = CliRunner().invoke(cli, ["ingest", str(db), *given, *args])
        assert result.exit_code == 0, result.output
    with open_store(str(db)) as store:
        states = store.item_states()
        reasons = {r["item_key"]: r["reason"] for r in store.failures()}
        assert store.counts()["articles"] == 3
    assert states[str(first)].status == "ok"
    for copy in (second, later):
        assert states[str(copy)].status == "skipped"
        assert reasons[str(copy)] == f"the same article as {first}"
    assert [states[f"{feed}#{n}"].status for n in (1, 2)] == ["ok", "ok"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2025-13-01"], "'2025-13-01' is not a date (month must be in 1..12)"),
        (["--until", "yesterday"], "'yesterday' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"),
        (["--since", "2024-02-30"], "is not a date (day is out of range for month)"),
        (["--speaker", "Ann Le"], "no speaker named 'Ann Le' in this corpus; did you mean 'Ann Lee'?"),
        (["--speaker", "Nobody Known"], "onrecord speakers DB lists them"),
    ],
)
def test_search_options_are_checked(db: str, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["search", db, "harbour", *args])
    assert result.exit_code == 2 and message in result.output, result.output


def test_search_prefix_near_fields_and_a_query_after_double_dash(db: str) -> None:
    def quote_ids(*args: str) -> list[str]:
        result = CliRunner().invoke(cli, ["search", db, "--format", "nl", *args])
        assert result.exit_code == 0, result.output
        return sorted(json.loads(line)["quote_id"] for line in result.stdout.splitlines())

    assert quote_ids("harb*") == quote_ids("harbour")
    assert quote_ids("NEAR(budget ferries, 6)") == quote_ids('"harbour budget"')
    assert quote_ids("harbour speaker:smith") == []
    assert quote_ids("--", "-summer harbour") == quote_ids("harbour -summer")
    unsearchable = CliRunner().invoke(cli, ["search", db, "--", "-harbour"])
    assert unsearchable.exit_code == 1 and "E050" in unsearchable.output


def test_ingest_knows_its_total_for_a_folder_of_pages(tmp_path: Path) -> None:
    """The progress bar has a total (and a time left) when each input is one article."""
    from onrecord.cli.corpus import known_total

    folder = tmp_path / "pages"
    folder.mkdir()
    for n in range(3):
        (folder / f"p{n}.html").write_text(
            "<html><body><p>Ann Lee said the toll would rise.</p></body></html>"
        )
    (folder / "notes.md").write_text("not an input")
    assert known_total([str(folder)]) == 3
    assert known_total([str(folder), str(folder / "p0.html")]) == 4
    (folder / "feed.jsonl").write_text('{"text": "Ann Lee said the toll would rise."}\n')
    assert known_total([str(folder)]) is None  # a JSONL file holds an unknown number of records


def test_speaker_gender_across_articles_and_a_correction_that_survives_reingest(tmp_path: Path) -> None:
    """A speaker's gender is the weight of its articles' evidence; a hand correction wins, is
    recorded with its author and time, and survives a re-ingest with --reprocess."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Robin Lutz chairs the harbour board.\nMs Lutz said the ferry fares would rise in May.\n"
    )
    (folder / "b.txt").write_text(
        'Robin Lutz spoke at the pier on Friday.\n"We will not pay for a new bridge," she said.\n'
    )
    (folder / "c.txt").write_text(
        "Tom Reyes said the bridge would open in June, whatever the board decides.\n"
    )
    db = str(tmp_path / "c.db")
    args = ["--mode", "fast", "--no-progress"]
    assert CliRunner().invoke(cli, ["ingest", db, str(folder), *args]).exit_code == 0
    shown = CliRunner().invoke(cli, ["speaker", db, "Robin Lutz", "--format", "json"])
    info = json.loads(shown.stdout)
    assert (info["gender"], info["gender_source"]) == ("female", "articles")
    rows = json.loads(CliRunner().invoke(cli, ["diversity", db, "--format", "json"]).stdout)
    assert [(r["female"], r["male"], r["people_female"], r["people_male"]) for r in rows] == [(2, 1, 1, 1)]

    corrected = CliRunner().invoke(
        cli, ["speaker", db, "Robin Lutz", "--set-gender", "unknown", "--author", "desk editor"]
    )
    assert corrected.exit_code == 0, corrected.output
    assert "gender: unknown (corrected by hand)" in corrected.stdout
    with open_store(db) as store:
        [correction] = store.corrections()
    assert (correction.action, correction.b, correction.author) == ("gender", "unknown", "desk editor")
    assert correction.created is not None and correction.created.startswith("20")

    again = CliRunner().invoke(cli, ["ingest", db, str(folder), "--reprocess", *args])
    assert again.exit_code == 0, again.output
    info = json.loads(CliRunner().invoke(cli, ["speaker", db, "Robin Lutz", "--format", "json"]).stdout)
    assert (info["gender"], info["gender_source"]) == ("unknown", "correction")
    rows = json.loads(CliRunner().invoke(cli, ["diversity", db, "--format", "json"]).stdout)
    assert [(r["female"], r["unknown"], r["male"]) for r in rows] == [(0, 2, 1)]
    organisation = CliRunner().invoke(cli, ["speaker", db, "Tom Reyes", "--set-gender", "male"])
    assert organisation.exit_code == 0  # a person: allowed


def test_diversity_groups_and_refuses_what_it_cannot_group_by(db: str) -> None:
    by_outlet = CliRunner().invoke(cli, ["diversity", db, "--by", "outlet", "--format", "csv"])
    assert by_outlet.exit_code == 0, by_outlet.output
    header = by_outlet.stdout.splitlines()[0].split(",")
    assert header[:3] == ["outlet", "quotes", "female"] and "share_women_people" in header
    topic = CliRunner().invoke(cli, ["diversity", db, "--by", "topic"])
    assert topic.exit_code == 2 and "needs at least one topic" in topic.stderr
