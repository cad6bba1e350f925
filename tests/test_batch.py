"""onrecord batch: Ray and local processes write the same shards; a killed Ray worker loses nothing;
the shards load into a store exactly as ingest would have stored the articles."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from corpus_texts import article_text, write_articles
from shared_data import need_data

from onrecord.cli import cli
from onrecord.corpus.ingest import ingest
from onrecord.scale import batch
from onrecord.scale.shards import SHARD_TABLES, read_shards
from onrecord.store import open_store


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("batch-in")
    write_articles(folder / "texts", 16)
    lines = [
        json.dumps({"text": article_text(70), "url": "https://example.org/70", "outlet": "Example"}),
        "{broken",
        json.dumps(
            {"html": "<html><body><script>1</script></body></html>", "url": "https://example.org/empty"}
        ),
    ]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def ray_tmpdir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where Ray keeps its session (logs, sockets): pytest's temporary folder, not /tmp/ray,
    which Ray never empties. ``RAY_TMPDIR`` reaches a subprocess's Ray as well."""
    folder = tmp_path_factory.mktemp("ray")
    monkeypatch.setenv("RAY_TMPDIR", str(folder))
    return folder


@pytest.fixture
def local_ray(ray_tmpdir: Path) -> Iterator[None]:
    """A local Ray with 2 CPUs for one test: shut down after it, so that Ray's messages (a
    killed worker's) cannot reach the standard output of the tests that follow."""
    if not batch.ray_available():
        pytest.skip("Ray is not installed (pip install 'onrecord[ray]')")
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    assert list(ray_tmpdir.glob("ray/session_*")), f"Ray kept its session outside {ray_tmpdir}"
    yield
    ray.shutdown()


def shard_bytes(folder: Path) -> dict[str, bytes]:
    return {table: (folder / table / "part-00000.parquet").read_bytes() for table in SHARD_TABLES}


def test_processes_without_ray(inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "ray_available", lambda: False)
    report = batch.run_batch([str(inputs)], str(tmp_path / "out"), engine="local", workers=2, mode="fast")
    assert report.engine == "multiprocessing"
    assert report.counts == {
        "articles": 17,
        "quotes": report.counts["quotes"],
        "entities": report.counts["entities"],
        "failures": 2,
        "skipped": 0,
    }
    failures = {r["item_key"]: r["reason"] for r in read_shards(tmp_path / "out", "failures")}
    assert "E040" in failures[f"{inputs}/feed.jsonl#2"]  # a broken line
    assert "E014" in failures[f"{inputs}/feed.jsonl#3"]  # an article the extractor refuses
    with pytest.raises(Exception, match="E003"):
        batch.run_batch([str(inputs)], str(tmp_path / "x"), engine="ray")


def test_ray_writes_the_same_shards(
    inputs: Path, tmp_path: Path, local_ray: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    ray_report = batch.run_batch([str(inputs)], str(tmp_path / "ray"), engine="ray", workers=2, mode="fast")
    assert ray_report.engine == "ray"
    monkeypatch.setattr(batch, "ray_available", lambda: False)
    batch.run_batch([str(inputs)], str(tmp_path / "mp"), engine="local", workers=2, mode="fast")
    assert shard_bytes(tmp_path / "ray") == shard_bytes(tmp_path / "mp")


def _extractor_pids() -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as stream:
                    if b"RayExtractor" in stream.read():
                        found.append(int(entry))
            except OSError:
                continue
    return found


def test_a_killed_ray_worker_loses_nothing(tmp_path: Path, local_ray: None) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 40)
    killed: list[int] = []

    def kill_one(report: Any) -> None:
        if not killed and report.items >= 8:
            pids = _extractor_pids()
            if pids:
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])

    report = batch.run_batch(
        [str(folder)], str(tmp_path / "out"), engine="ray", workers=2, mode="fast", progress=kill_one
    )
    assert killed, "no extraction worker was found to kill"
    keys = [r["item_key"] for r in read_shards(tmp_path / "out", "articles")]
    assert sorted(keys) == sorted(str(p) for p in folder.glob("*.txt"))  # every article, once
    assert report.failures == 0


def test_shards_load_like_ingest(inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "ray_available", lambda: False)
    shards = tmp_path / "shards"
    runner = CliRunner()
    made = runner.invoke(cli, ["batch", str(inputs), "--out", str(shards), "--mode", "fast", "--json"])
    assert made.exit_code == 1, made.output  # some inputs failed (their rows are in the failures shard)
    assert json.loads(made.stdout)["articles"] == 17
    loaded = str(tmp_path / "loaded.db")
    first = runner.invoke(cli, ["ingest", loaded, "--from-parquet", str(shards), "--json"])
    assert first.exit_code == 0 and json.loads(first.stdout)["ok"] == 17
    again = runner.invoke(cli, ["ingest", loaded, "--from-parquet", str(shards), "--json"])
    assert json.loads(again.stdout)["unchanged"] == 17
    direct = str(tmp_path / "direct.db")
    with open_store(direct) as store:
        ingest(store, [str(inputs)], mode="fast")
    dumps = []
    for db in (loaded, direct):
        with open_store(db) as store:
            dumps.append(
                {t: list(store.export_rows(t)) for t in ("quotes", "articles", "speakers", "failures")}
            )
    skipped = [r for r in dumps[1]["failures"] if r["status"] == "skipped"]
    assert (
        dumps[0]["failures"] == [r for r in dumps[1]["failures"] if r["status"] == "failed"] and not skipped
    )
    del dumps[0]["failures"], dumps[1]["failures"]
    assert dumps[0] == dumps[1]


@pytest.mark.slow
def test_batch_and_extract_agree_on_polnear(tmp_path: Path, local_ray: None) -> None:
    """The same quotations (article, spans, speakers) from a Ray batch and from extract."""
    from onrecord.cli import extract_articles, read_documents
    from onrecord.pipeline import Pipeline

    texts = need_data("polnear", "data", "train", "text")
    paths = [str(p) for p in sorted(texts.glob("*.txt"))[:24]]
    batch.run_batch(paths, str(tmp_path / "out"), engine="ray", workers=2)
    from_batch = {  # batch keys a file by its canonical path (symlinks resolved), extract as given
        os.path.realpath(row["source_path"]): [
            (q["content"], q.get("cue"), q.get("source"), q.get("speaker"))
            for q in json.loads(row["data"])["quotes"]
        ]
        for row in read_shards(tmp_path / "out", "articles")
    }
    errors: list[str] = []
    documents = read_documents(paths, clean=True, max_bytes=None, on_error=errors.append)
    from_extract = {
        os.path.realpath(article.source_path or ""): [
            (q["content"], q.get("cue"), q.get("source"), q.get("speaker"))
            for q in article.to_dict()["quotes"]
        ]
        for article in extract_articles(Pipeline(), documents, on_error=errors.append)
    }
    assert not errors and from_batch == from_extract


def test_read_groups_shrink_toward_the_end() -> None:
    files = [f"{i:04d}.txt" for i in range(2000)]
    groups = batch.file_groups(files, 2)
    assert [f for group in groups for f in group] == files  # every file once, in order
    sizes = [len(group) for group in groups]
    assert max(sizes) == batch.FILES_PER_READ
    assert sizes == sorted(sizes, reverse=True)
    # the work still queued behind the last large group is spread over small ones
    assert sizes[-8:] == [1] * 8
    assert batch.file_groups(["a.txt"], 4) == [["a.txt"]]
    assert batch.file_groups([], 2) == []


def test_a_retried_success_replaces_its_failure_and_never_the_reverse(tmp_path: Path) -> None:
    from onrecord.scale.shards import ShardWriter, failure_row, outcome_rows

    success = [("articles", {"article_id": "a1", "item_key": "k", "text": "Mr. Okafor said it was fine."})]
    writer = ShardWriter(tmp_path)
    writer.add_outcome("k", outcome_rows("k", "", None, "worker died", "onrecord-test"))
    assert writer.counts()["failures"] == 1
    writer.add_outcome("k", success)
    writer.add_outcome("k", [failure_row("k", "worker died again")])
    assert writer.counts() == {"articles": 1, "quotes": 0, "entities": 0, "failures": 0, "skipped": 0}


def test_the_same_article_from_two_keys_is_held_by_the_first_in_order(tmp_path: Path) -> None:
    from onrecord.scale.shards import ShardWriter

    def article(key: str) -> list[tuple[str, dict[str, str]]]:
        return [("articles", {"article_id": "a1", "item_key": key, "text": "Mr. Okafor said it was fine."})]

    writer = ShardWriter(tmp_path)
    for key in ("in/c.txt", "in/b.txt", "in/a.txt"):  # the workers finish in any order
        writer.add_outcome(key, article(key))
    assert [row["item_key"] for row in writer.rows["articles"].values()] == ["in/a.txt"]
    assert sorted((r["item_key"], r["status"], r["reason"]) for r in writer.rows["failures"].values()) == [
        ("in/b.txt", "skipped", "the same article as in/a.txt"),
        ("in/c.txt", "skipped", "the same article as in/a.txt"),
    ]
    assert writer.counts()["skipped"] == 2 and writer.counts()["failures"] == 0


def test_a_model_named_by_onrecord_model_runs_in_the_workers(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ONRECORD_MODEL reaches the worker processes, and the shards name that model: here a copy
    of the packaged one whose calibration maps every score to 0.123."""
    import shutil

    from onrecord.corpus.ingest import extractor_version
    from onrecord.learn.tagger import MODEL_DIR, MODEL_ENV

    model = tmp_path / "model"
    shutil.copytree(MODEL_DIR, model)
    meta = json.loads((model / "meta.json").read_text(encoding="utf-8"))
    meta["calibration"] = [[1.0, 0.123]]
    (model / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    monkeypatch.setenv(MODEL_ENV, str(model))
    monkeypatch.setattr(batch, "ray_available", lambda: False)
    batch.run_batch(
        [str(inputs / "texts")], str(tmp_path / "out"), engine="local", workers=2, mode="accurate"
    )
    expected = extractor_version("accurate", str(model))
    assert expected != extractor_version("accurate", str(MODEL_DIR))
    articles = list(read_shards(tmp_path / "out", "articles"))
    assert articles and {row["extractor"] for row in articles} == {expected}
    learned = [row for row in read_shards(tmp_path / "out", "quotes") if "learned" in row["extractor"]]
    assert learned and {row["confidence"] for row in learned} == {0.123}


@pytest.mark.skipif(not batch.ray_available(), reason="Ray is not installed")
def test_ray_keeps_its_own_log_lines_to_itself_unless_verbose(tmp_path: Path, ray_tmpdir: Path) -> None:
    """`batch` on Ray printed seven lines of Ray's INFO and WARNING logs before its own."""
    import subprocess
    import sys

    story = tmp_path / "story.txt"
    story.write_text('Ann Lee said: "The harbour budget will not cover the winter ferries."\n')
    command = [
        sys.executable,
        "-m",
        "onrecord",
        "batch",
        str(story),
        "--mode",
        "fast",
        "--workers",
        "1",
        "--engine",
        "ray",
    ]
    quiet = subprocess.run(
        [*command, "--out", str(tmp_path / "a")], capture_output=True, text=True, check=False
    )
    assert quiet.returncode == 0, quiet.stderr
    assert (
        " INFO " not in quiet.stderr
        and "UserWarning" not in quiet.stderr
        and "Started a local Ray" not in quiet.stderr
    )
    assert "1 articles, 0 failures" in quiet.stderr
    loud = subprocess.run(
        [*command, "--out", str(tmp_path / "b"), "--verbose"], capture_output=True, text=True, check=False
    )
    assert loud.returncode == 0 and len(loud.stderr.splitlines()) > len(quiet.stderr.splitlines())
    assert len(list(ray_tmpdir.glob("ray/session_2*"))) == 2  # one Ray per run, both kept here


def test_a_copy_under_another_name_loads_as_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same text under two file names: the batch extracts both, the load stores one article
    and records the other as skipped, naming the first, as ingest does."""
    monkeypatch.setattr(batch, "ray_available", lambda: False)
    folder = tmp_path / "in"
    write_articles(folder, 2)
    (folder / "z-copy.txt").write_text(
        (folder / "article-000.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    shards = tmp_path / "shards"
    runner = CliRunner()
    made = runner.invoke(cli, ["batch", str(folder), "--out", str(shards), "--mode", "fast", "--json"])
    assert made.exit_code == 0, made.output
    loaded, direct = str(tmp_path / "loaded.db"), str(tmp_path / "direct.db")
    result = runner.invoke(cli, ["ingest", loaded, "--from-parquet", str(shards), "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["skipped"] == 1
    with open_store(direct) as store:
        ingest(store, [str(folder)], mode="fast")
    statuses = []
    for db in (loaded, direct):
        with open_store(db) as store:
            assert store.counts()["articles"] == 2
            statuses.append(
                [(r["item_key"], r["status"], r["reason"]) for r in store.export_rows("failures")]
            )
    assert (
        statuses[0]
        == statuses[1]
        == [(str(folder / "z-copy.txt"), "skipped", f"the same article as {folder / 'article-000.txt'}")]
    )
