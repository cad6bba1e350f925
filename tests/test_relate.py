"""Relations between entities and stances (``onrecord.relate``): the project's table of short
sentences, the seed article's gold relations and stances, and the article JSON (v2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from relations_table import KNOWN_WRONG, TABLE, row_id
from shared_data import need_data

from onrecord.corpus.consolidate import consolidate
from onrecord.corpus.stance import stance
from onrecord.errors import QueryError
from onrecord.ingest import from_string
from onrecord.model import Article
from onrecord.pipeline import Pipeline
from onrecord.store import Store


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(mode="fast")


def triples(article: Article) -> set[tuple[str, str, str]]:
    return {(r.subject.name, r.predicate, r.object.name) for r in article.relations}


def _rows() -> list[pytest.ParameterSet]:
    return [
        pytest.param(
            text,
            expected,
            id=row_id(kind, text),
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_WRONG[text])] if text in KNOWN_WRONG else [],
        )
        for kind, text, expected in TABLE
    ]


@pytest.mark.parametrize("text, expected", _rows())
def test_relations_table(pipeline: Pipeline, text: str, expected: set[tuple[str, str, str]]) -> None:
    article = pipeline.extract_document(from_string(text, clean=False))
    assert article.bad_spans() == []
    assert triples(article) == expected


def test_the_relations_table_holds_every_kind_of_sentence() -> None:
    """At least 40 rows with every kind among them, one id per row, and no known-wrong sentence that is not
    a row (an entry left behind when its row is edited would mark nothing)."""
    assert len(TABLE) >= 40
    kinds = [kind for kind, _, _ in TABLE]
    assert set(kinds) == {
        "praise",
        "reported praise",
        "criticism",
        "thanks",
        "accusation",
        "support",
        "opposition",
        "negation",
        "neutral",
    }
    ids = [row_id(kind, text) for kind, text, _ in TABLE]
    assert len(set(ids)) == len(ids)
    assert set(KNOWN_WRONG) <= {text for _, text, _ in TABLE}


def test_relations_and_stances_carry_spans_that_slice_the_text(pipeline: Pipeline) -> None:
    text = (
        "Senator Maria Lopez praised Governor Tom Becker on Monday. "
        'Lopez also called for a new inquiry into the floods. "We do not need another report," Becker said.'
    )
    article = pipeline.extract_document(from_string(text, clean=False))
    assert article.relations and article.stances
    for relation in article.relations:
        assert text[relation.evidence.start : relation.evidence.end] == relation.evidence.text
        assert relation.cue is not None and relation.cue.text in relation.evidence.text
        assert 0 < relation.confidence <= 1
    sides = {(s.holder.name, s.stance) for s in article.stances}
    assert ("Maria Lopez", "for") in sides and ("Tom Becker", "against") in sides
    against = next(s for s in article.stances if s.stance == "against")
    assert against.quote is not None and against.target.text == "another report"
    data = article.to_dict()
    assert data["schema"] == "onrecord.article.v4"
    assert Article.from_dict(json.loads(json.dumps(data))).to_dict() == data


def test_a_v1_article_still_reads_without_relations() -> None:
    data = {"schema": "onrecord.article.v1", "text": "x", "entities": [], "quotes": []}
    article = Article.from_dict(data)
    assert article.relations == [] and article.stances == []


def _seed() -> tuple[str, dict]:
    seed = need_data("seed")
    gold_path = next(seed.glob("*.gold.json"))
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    return (seed / gold["text_file"]).read_text(encoding="utf-8"), gold


def test_seed_gold_relations_found_with_at_most_two_extra() -> None:
    text, gold = _seed()
    article = Pipeline().extract_document(from_string(text))
    found = triples(article)
    expected = {(r["subject"], r["predicate"], r["object"]) for r in gold["relations"]}
    assert expected <= found, f"missing: {sorted(expected - found)}"
    assert len(found - expected) <= 2, f"extra: {sorted(found - expected)}"


def test_seed_stance_puts_every_gold_holder_on_the_right_side(tmp_path: Path) -> None:
    from onrecord.store import open_store

    text, gold = _seed()
    article = Pipeline().extract_document(from_string(text))
    with open_store(str(tmp_path / "seed.db")) as store:
        store.put_article("seed", "seed", article, "test")
        consolidate(store)
        for topic in {s["topic"] for s in gold["stances"]}:
            answer = stance(store, topic)
            sides = {side: {s["name"] for s in answer[side]} for side in ("for", "against", "unclear")}
            for expected in (s for s in gold["stances"] if s["topic"] == topic):
                assert expected["holder"] in sides[expected["stance"]], (expected, sides)
                other = "against" if expected["stance"] == "for" else "for"
                assert expected["holder"] not in sides[other], (expected, sides)


CORPUS_TEXT = (
    "Senator Maria Lopez praised Governor Tom Becker on Monday. "
    "Lopez also called for a new inquiry into the floods. "
    '"We do not need another inquiry," Becker said. '
    "Becker was criticised by Mayor Ann Frost over the delays."
)


def _store_with_corpus(target: str) -> Store:
    from onrecord.store import open_store

    article = Pipeline(mode="fast").extract_document(
        from_string(CORPUS_TEXT, clean=False, source_path="floods.txt")
    )
    article.published = "2025-03-04"
    store = open_store(target)
    store.put_article("floods.txt", "a1", article, "test")
    consolidate(store)
    return store


def test_stance_and_relations_in_the_store(target: str) -> None:
    store = _store_with_corpus(target)
    try:
        answer = stance(store, "inquiry into the floods")
        assert answer["head"] == "inquiry" and answer["context"] == ["floods"]
        assert [s["name"] for s in answer["for"]] == ["Maria Lopez"]
        assert [s["name"] for s in answer["against"]] == ["Tom Becker"]
        becker = answer["against"][0]
        assert (
            becker["evidence"][0]["quote_id"].startswith("a1:q")
            and "another inquiry" in becker["evidence"][0]["evidence"]
        )
        assert answer["timeline"] == {"for": {"2025-03": 1}, "against": {"2025-03": 1}}
        # a topic the articles do not hold: nobody on any side
        empty = stance(store, "inquiry into the budget")
        assert empty["for"] == empty["against"] == empty["unclear"] == []
        graph = {(e["subject"], e["predicate"], e["object"]) for e in store.relation_graph()}
        assert graph == {("Maria Lopez", "praises", "Tom Becker"), ("Ann Frost", "criticises", "Tom Becker")}
        becker_id = store.resolve_speaker("Tom Becker")[0]
        mine = store.relations_of(becker_id)
        assert mine["outgoing"] == []
        assert {(r["predicate"], r["name"]) for r in mine["incoming"]} == {
            ("praises", "Maria Lopez"),
            ("criticises", "Ann Frost"),
        }
        # rewriting the article replaces its rows, never doubles them
        article = store.article("a1")
        assert article is not None
        store.put_article("floods.txt", "a1", article, "test")
        consolidate(store)
        assert len(store.relation_graph()) == 2
        assert len(stance(store, "inquiry into the floods")["for"][0]["evidence"]) == 1
    finally:
        store.close()


@pytest.mark.parametrize("topic", ["", "   ", "of the", "!!!"])
def test_a_topic_without_words_is_a_clear_error(topic: str, tmp_path: Path) -> None:
    from onrecord.store import open_store

    with open_store(str(tmp_path / "x.db")) as store, pytest.raises(QueryError, match="E056"):
        stance(store, topic)


def test_a_v1_corpus_gets_the_tables_and_reprocess_adds_relations(tmp_path: Path) -> None:
    """A store written by onrecord 0.1 (schema 2, v1 article JSON): opening it runs migration 3;
    `ingest --reprocess` without paths re-extracts from the stored text and adds the relations."""
    from onrecord.corpus.ingest import extractor_version, ingest
    from onrecord.store import migrations, open_store

    path = str(tmp_path / "old.db")
    article = Pipeline(mode="fast").extract_document(
        from_string(CORPUS_TEXT, clean=False, source_path="floods.txt")
    )
    old = {**article.to_dict(), "schema": "onrecord.article.v1"}
    del old["relations"], old["stances"], old["text"]
    real = migrations.SQLITE
    migrations.SQLITE = real[:2]
    try:
        with open_store(path) as store:
            store._run(
                "INSERT INTO articles (article_id, item_key, source_path, title, text, extractor, quote_count, data) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    "a1",
                    "floods.txt",
                    "floods.txt",
                    None,
                    article.text,
                    "onrecord.rules.v1@0.1.0",
                    1,
                    json.dumps(old),
                ),
            )
            store._run(
                "INSERT INTO items (item_key, article_id, status, extractor) VALUES (?, ?, 'ok', ?)",
                ("floods.txt", "a1", "onrecord.rules.v1@0.1.0"),
            )
    finally:
        migrations.SQLITE = real
    with open_store(path) as store:
        assert store._run("SELECT value FROM meta WHERE key = 'schema_version'") == [(str(len(real)),)]
        assert store.articles_without_relations() == 1
        assert store.relation_graph() == []
        assert store.article("a1").relations == []
        report = ingest(store, [], mode="fast", reprocess=True)
        assert (report.ok, report.failed) == (1, 0)
        assert store.articles_without_relations() == 0
        assert store.item_states()["floods.txt"].extractor == extractor_version("fast")
        assert store.article("a1").text == article.text  # the same text, id and offsets
        assert {e["predicate"] for e in store.relation_graph()} == {"praises", "criticises"}
        # a second run has nothing left to do
        assert ingest(store, [], mode="fast", reprocess=True).ok == 0


def test_stance_api_page_and_speaker_relations(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from onrecord.serve import create_app

    path = str(tmp_path / "c.db")
    _store_with_corpus(path).close()  # type: ignore[attr-defined]
    with TestClient(create_app(path, mode="fast"), base_url="http://localhost") as client:
        api = client.get("/api/stance", params={"topic": "inquiry into the floods"}).json()
        assert [s["name"] for s in api["for"]] == ["Maria Lopez"]
        assert (
            client.get("/stance.json", params={"topic": "inquiry into the floods"}).json()["for"]
            == api["for"]
        )
        page = client.get("/stance", params={"topic": "inquiry into the floods"})
        assert page.status_code == 200 and "Maria Lopez" in page.text and "Tom Becker" in page.text
        assert "<svg" in page.text
        hostile = client.get("/stance", params={"topic": "<script>alert(1)</script> inquiry"})
        assert hostile.status_code == 200 and "<script>alert(1)" not in hostile.text
        assert client.get("/stance").status_code == 200
        error = client.get("/api/stance", params={"topic": "!!!"})
        assert error.status_code == 400 and error.json()["error"]["code"] == "E056"
        edges = client.get("/api/relations").json()["edges"]
        assert {(e["subject"], e["predicate"], e["object"]) for e in edges} == {
            ("Maria Lopez", "praises", "Tom Becker"),
            ("Ann Frost", "criticises", "Tom Becker"),
        }
        speaker = client.get("/speakers/Tom Becker.json").json()
        assert {r["name"] for r in speaker["relations"]["incoming"]} == {"Maria Lopez", "Ann Frost"}
        html = client.get("/speakers/Tom Becker").text
        assert "Praised, attacked, backed by" in html and "criticises" in html


def test_stance_and_relations_commands(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from onrecord.cli import cli

    path = str(tmp_path / "c.db")
    _store_with_corpus(path).close()  # type: ignore[attr-defined]
    runner = CliRunner()
    result = runner.invoke(cli, ["stance", path, "inquiry into the floods"])
    assert result.exit_code == 0, result.output
    assert "FOR (1 speakers, 1 statements)" in result.stdout and "Maria Lopez (1)" in result.stdout
    assert "AGAINST (1 speakers, 1 statements)" in result.stdout and "Tom Becker (1)" in result.stdout
    data = json.loads(
        runner.invoke(cli, ["stance", path, "inquiry into the floods", "--format", "json"]).stdout
    )
    assert data["against"][0]["name"] == "Tom Becker"
    bad = runner.invoke(cli, ["stance", path, "of the"])
    assert bad.exit_code == 1 and "E056" in bad.output
    rows = json.loads(runner.invoke(cli, ["relations", path, "--format", "json"]).stdout)
    assert {(r["subject"], r["predicate"], r["object"]) for r in rows} == {
        ("Maria Lopez", "praises", "Tom Becker"),
        ("Ann Frost", "criticises", "Tom Becker"),
    }
    mine = json.loads(
        runner.invoke(cli, ["relations", path, "--speaker", "Maria Lopez", "--format", "json"]).stdout
    )
    assert [(r["direction"], r["predicate"], r["name"]) for r in mine] == [
        ("outgoing", "praises", "Tom Becker")
    ]
    unknown = runner.invoke(cli, ["relations", path, "--speaker", "Nobody Here"])
    assert unknown.exit_code == 2 and "E053" in unknown.output


def test_relations_and_stances_export_with_speaker_ids(target: str, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from onrecord.corpus.export import write_export

    store = _store_with_corpus(target)
    try:
        relations = list(store.export_rows("relations"))  # type: ignore[attr-defined]
        assert {(r["subject_name"], r["predicate"], r["object_name"]) for r in relations} == {
            ("Maria Lopez", "praises", "Tom Becker"),
            ("Ann Frost", "criticises", "Tom Becker"),
        }
        becker = store.resolve_speaker("Tom Becker")[0]  # type: ignore[attr-defined]
        assert {r["object_id"] for r in relations} == {becker}
        assert all(r["published"] == "2025-03-04" and r["evidence_text"] for r in relations)
        stances = list(store.export_rows("stances"))  # type: ignore[attr-defined]
        assert {(s["holder_name"], s["stance"]) for s in stances} >= {
            ("Maria Lopez", "for"),
            ("Tom Becker", "against"),
        }
        for table, rows in (("relations", relations), ("stances", stances)):
            out = tmp_path / f"{table}.parquet"
            assert write_export(store, table, "parquet", str(out)) == len(rows)  # type: ignore[arg-type]
            assert pq.read_table(out).to_pylist() == rows
    finally:
        store.close()  # type: ignore[attr-defined]
