"""Ingest into a store: statuses, idempotence, reprocessing, workers, faults, and a SIGKILL mid-run."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from corpus_texts import article_text, write_articles

from onrecord.corpus.ingest import ingest
from onrecord.store import open_store

ONRECORD = [str(Path(sys.executable).parent / "onrecord")]


def dump(db: str) -> dict[str, list[dict[str, object]]]:
    with open_store(db) as store:
        return {table: list(store.export_rows(table)) for table in ("quotes", "articles", "speakers")}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    write_articles(folder / "texts", 10)
    lines = [
        json.dumps({"text": article_text(50), "url": "https://example.org/a", "outlet": "Example News"}),
        "{not json",
        json.dumps({"text": article_text(50), "url": "https://example.org/a", "outlet": "Example News"}),
        json.dumps(
            {
                "html": f"<html><body><article><p>{article_text(51)}</p></article></body></html>",
                "url": "https://example.org/b",
                "published": "2025-03-09",
            }
        ),
    ]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "texts" / "empty.txt").write_text("  \n", encoding="utf-8")
    return folder


def test_ingest_statuses_and_rerun(inputs: Path, target: str) -> None:
    db = target
    with open_store(db) as store:
        report = ingest(store, [str(inputs)], mode="fast")
        assert (report.ok, report.skipped, report.failed) == (12, 1, 2)
        states = store.item_states()
        assert states[f"{inputs}/feed.jsonl#3"].status == "skipped"
        reasons = {r["item_key"]: r["reason"] for r in store.failures()}
        assert reasons[f"{inputs}/feed.jsonl#3"] == f"the same article as {inputs}/feed.jsonl#1"
        failed = {k: r for k, r in reasons.items() if states[k].status == "failed"}
        assert set(failed) == {f"{inputs}/feed.jsonl#2", f"{inputs}/texts/empty.txt"}
        assert "E010" in failed[f"{inputs}/texts/empty.txt"]
        counts = store.counts()
        assert counts["articles"] == 12 and counts["quotes"] >= 36
        top = {r["name"] for r in store.speakers(limit=20)}
        assert {"Maria Gonzalez", "Peter Okafor"} & top
        assert not any(r["name"].startswith(("Mr ", "Ms ")) for r in store.speakers(limit=50))
        before = dump(db)
        again = ingest(store, [str(inputs)], mode="fast")
        assert (again.ok, again.unchanged, again.failed) == (0, 12, 2)
        assert again.consolidated == {}
    assert dump(db) == before
    jsonl = [r for r in before["articles"] if r["url"] == "https://example.org/a"]
    assert jsonl and jsonl[0]["outlet"] == "Example News"


def test_changed_file_and_reprocess(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    paths = write_articles(folder, 3)
    db = str(tmp_path / "c.db")
    with open_store(db) as store:
        ingest(store, [str(folder)], mode="fast")
        paths[0].write_text(article_text(40), encoding="utf-8")
        report = ingest(store, [str(folder)], mode="fast")
        assert (report.ok, report.unchanged) == (1, 2)
        assert store.counts()["articles"] == 3
        # another extractor: skipped unless asked to reprocess
        report = ingest(store, [str(folder)], mode="accurate")
        assert (report.ok, report.unchanged) == (0, 3)
        report = ingest(store, [str(folder)], mode="accurate", reprocess=True)
        assert report.ok == 3
        extractors = {r["extractor"] for r in store.export_rows("quotes")}
        assert all(e.startswith("onrecord.tagger") for e in extractors)


def test_a_crashing_article_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from onrecord.pipeline import Pipeline

    folder = tmp_path / "in"
    write_articles(folder, 4)
    (folder / "article-001.txt").write_text(article_text(1) + "\nPOISON\n", encoding="utf-8")
    real = Pipeline.process

    def process(self: Pipeline, documents):  # type: ignore[no-untyped-def]
        documents = list(documents)
        if any("POISON" in d.text for d in documents):
            raise RuntimeError("boom")
        return real(self, documents)

    monkeypatch.setattr(Pipeline, "process", process)
    with open_store(str(tmp_path / "c.db")) as store:
        report = ingest(store, [str(folder)], mode="fast")
        assert (report.ok, report.failed) == (3, 1)
        assert "E020" in report.failures[0][1] and "boom" in report.failures[0][1]


def test_two_workers_match_one(inputs: Path, tmp_path: Path) -> None:
    dumps = []
    for jobs in (1, 2):
        db = str(tmp_path / f"j{jobs}.db")
        with open_store(db) as store:
            ingest(store, [str(inputs)], mode="fast", jobs=jobs)
        dumps.append(dump(db))
    assert dumps[0] == dumps[1]


def _items_done(db: str) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute("SELECT count(*) FROM items").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_sigkill_at_a_random_point_then_rerun_is_identical(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 40)
    reference = str(tmp_path / "reference.db")
    command = [*ONRECORD, "ingest", "--mode", "fast", "--no-progress"]
    subprocess.run([*command[:2], reference, *command[2:], str(folder)], check=True, capture_output=True)
    seed = int(os.environ.get("ONRECORD_KILL_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    for attempt in range(2):
        db = str(tmp_path / f"killed{attempt}.db")
        stop_after = rng.randrange(0, 41)  # 40: while consolidating or just after
        process = subprocess.Popen(
            [*command[:2], db, *command[2:], str(folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while process.poll() is None and _items_done(db) < stop_after and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.random() * 0.3)
        process.send_signal(signal.SIGKILL)
        process.wait()
        if stop_after < 40:  # items were left to write: the kill landed mid-run
            assert process.returncode == -signal.SIGKILL, f"seed {seed}: the run ended before the kill"
        subprocess.run([*command[:2], db, *command[2:], str(folder)], check=True, capture_output=True)
        assert dump(db) == dump(reference), f"seed {seed}, attempt {attempt}, killed after {stop_after} items"


def _die_on_poison(items):  # type: ignore[no-untyped-def]
    """extract_items, except that a worker given the POISON article dies outright."""
    from onrecord.corpus import ingest as module

    if any("POISON" in item.raw for item in items):
        os._exit(1)
    return module.real_extract_items(items)


def test_a_dead_worker_fails_its_chunk_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from onrecord.corpus import ingest as module

    folder = tmp_path / "in"
    write_articles(folder, 24)
    (folder / "article-000.txt").write_text(article_text(0) + "\nPOISON\n", encoding="utf-8")
    monkeypatch.setattr(module, "real_extract_items", module.extract_items, raising=False)
    monkeypatch.setattr(module, "extract_items", _die_on_poison)
    with open_store(str(tmp_path / "c.db")) as store:
        report = ingest(store, [str(folder)], mode="fast", jobs=2)
        assert (report.ok, report.failed) == (
            23,
            1,
        )  # the innocent records of the broken pool are tried again
        [(key, reason)] = report.failures
        assert key == f"{folder}/article-000.txt"
        assert "E020" in reason and "worker process failed" in reason


def _children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_sigkill_of_ingest_j2_leaves_no_worker_behind(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 400)
    process = subprocess.Popen(
        [
            *ONRECORD,
            "ingest",
            str(tmp_path / "c.db"),
            str(folder),
            "--mode",
            "fast",
            "--no-progress",
            "-j",
            "2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    workers: set[int] = set()
    while len(workers) < 2 and process.poll() is None and time.monotonic() < deadline:
        workers = _children(process.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the workers did not start"
    process.send_signal(signal.SIGKILL)
    process.wait()
    time.sleep(5)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:  # leave nothing behind whatever the outcome
        os.kill(pid, signal.SIGKILL)
    assert left == [], f"workers still alive 5 s after their parent was killed: {left}"
