"""Ingest: inputs -> items -> extraction in worker processes -> one writer -> the store.

``ingest(store, paths)`` reads every input (``onrecord.corpus.sources``), skips the records the
store already holds unchanged, extracts the rest with ``jobs`` worker processes (each loads the
spaCy model and the tagger once), and writes each article from this process alone, one
transaction per article. Then it runs the corpus-wide consolidation (speaker identity and quote
provenance) when anything changed.

Resumable and idempotent:

- an article's id is a hash of its URL and its content, or of its content alone when it has no
  URL (a file, a JSONL line without one): the same record read twice has the same id, and so
  does the same text under two file names, which is stored once: the name ingested first holds
  it and the other is ``skipped``, naming it. Two URLs with the same text are two articles (two
  publications of it, which quote provenance links);
- a record whose stored article has the same id and was made by the same extractor (name,
  version and model fingerprint) is skipped; ``reprocess=True`` re-extracts those made by another
  extractor;
- each article is written whole in one transaction, and the consolidation in another, flagged
  by ``dirty`` in between: a run killed at any point and run again ends with the same content as
  a run that was never interrupted.

Every record gets a status row: ``ok``; ``skipped`` (another record of this run or an earlier one
already holds the same article, the reason names it); ``failed`` with the reason (a coded message).
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, TypeVar

from onrecord.corpus.records import Failure, Item
from onrecord.corpus.sources import iter_items
from onrecord.errors import Errors, OnrecordError
from onrecord.ingest import Document
from onrecord.ingest.html import from_html
from onrecord.ingest.text import from_text
from onrecord.model import Article
from onrecord.nlp import init_extraction_process
from onrecord.store.protocol import Store
from onrecord.version import EXTRACTOR, LEARNED_EXTRACTOR

CHUNK = 8


def article_id(item: Item) -> str:
    """The id of the article an item makes: a hash of its URL and its content, or of its content
    alone when it has no URL (so a copy of a file under another name is the same article)."""
    digest = hashlib.sha256()
    if item.url:
        digest.update(item.url.encode("utf-8", "surrogatepass"))
    digest.update(b"\0")
    digest.update(item.raw.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:20]


def extractor_version(mode: str, model_path: str | None = None) -> str:
    """The extractor name and version with, in accurate mode, a fingerprint of the model files,
    so that a new model counts as a new extractor for ``--reprocess``."""
    if mode != "accurate":
        return EXTRACTOR
    from onrecord.learn.tagger import model_dir  # heavy: spaCy, only in accurate mode

    folder = str(model_dir(model_path))
    digest = hashlib.sha256()
    for name in ("tagger.onnx", "meta.json", "vocab.json"):
        try:
            with open(os.path.join(folder, name), "rb") as stream:
                digest.update(stream.read())
        except OSError:
            digest.update(name.encode())
    # a model with a transformer encoder: its files too (absent ones leave the digest as it was)
    for name in ("encoder.onnx", "tokenizer.json"):
        if os.path.exists(os.path.join(folder, name)):
            with open(os.path.join(folder, name), "rb") as stream:
                digest.update(stream.read())
    return f"{LEARNED_EXTRACTOR}+{digest.hexdigest()[:10]}"


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did; ``failures`` holds (key, reason) pairs of this run."""

    ok: int = 0
    skipped: int = 0
    failed: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    consolidated: dict[str, int] = field(default_factory=dict)
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Articles extracted per second."""
        return (self.ok + self.failed) / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "skipped": self.skipped,
            "failed": self.failed,
            "unchanged": self.unchanged,
            "seconds": round(self.seconds, 2),
            "articles_per_second": round(self.rate, 2),
            "consolidated": self.consolidated,
            "failures": [{"key": k, "reason": r} for k, r in self.failures],
        }


# -- the worker side ---------------------------------------------------------------------------

_pipeline: Any = None
_clean = True


def die_with_parent() -> None:
    """End this worker when the process that started it dies, even by SIGKILL (which runs no
    clean-up there): on Linux the kernel sends SIGTERM (``prctl(PR_SET_PDEATHSIG)``), and
    everywhere a daemon thread notices the parent is gone within a second."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(1)

    if os.getppid() != parent:  # it died before the watch began
        os._exit(1)
    threading.Thread(target=watch, name="onrecord-parent-watch", daemon=True).start()


def _init_worker(mode: str, model_path: str | None, clean: bool) -> None:
    """Load the models once per worker process, which ends with its parent."""
    global _pipeline, _clean
    die_with_parent()

    init_extraction_process()
    from onrecord.pipeline import Pipeline  # heavy: spaCy, only in the worker processes

    _pipeline = Pipeline(mode=mode, model_path=model_path)  # type: ignore[arg-type]
    _clean = clean


def _document(item: Item) -> Any:
    if item.kind == "html":
        document: Document = from_html(item.raw, url=item.url, source_path=item.key, clean=_clean)
    else:
        document = from_text(item.raw, clean=_clean, source_path=item.key, url=item.url)
    document.url = document.url or item.url
    document.title = item.title or document.title
    document.published = item.published or document.published
    document.outlet = item.outlet or document.outlet
    return document


def extract_items(items: Sequence[Item]) -> list[tuple[str, dict[str, Any] | None, str | None]]:
    """(key, article as a dict, None) or (key, None, reason) for each item, in order. Runs in a
    worker: one item that cannot be read or that crashes the extractor fails alone."""
    out: list[tuple[str, dict[str, Any] | None, str | None]] = []
    documents = []
    for item in items:
        try:
            documents.append((item, _document(item)))
        except OnrecordError as err:
            out.append((item.key, None, str(err)))
        except Exception as err:
            out.append((item.key, None, Errors.E020.format(reason=f"{type(err).__name__}: {err}")))
    try:
        articles = list(_pipeline.process([doc for _, doc in documents]))
    except Exception:
        articles = []
        for item, doc in documents:
            try:
                articles.append(_pipeline.extract_document(doc))
            except Exception as err:
                out.append((item.key, None, Errors.E020.format(reason=f"{type(err).__name__}: {err}")))
                articles.append(None)
    for (item, _), article in zip(documents, articles, strict=True):
        if article is not None:
            out.append((item.key, article.to_dict(), None))
    return out


# -- the writer side ---------------------------------------------------------------------------

Progress = Callable[[IngestReport, int], None]


def ingest(
    store: Store,
    paths: Sequence[str],
    *,
    jobs: int = 1,
    mode: str = "accurate",
    model_path: str | None = None,
    reprocess: bool = False,
    clean: bool = True,
    max_bytes: int | None = None,
    progress: Progress | None = None,
    consolidate: bool = True,
) -> IngestReport:
    """Ingest every input in ``paths`` into ``store`` (see the module docstring)."""
    started = time.perf_counter()
    extractor = extractor_version(mode, model_path)
    report = IngestReport()
    states = store.item_states()
    # article id -> the key that holds it: from earlier runs, then this one
    seen: dict[str, str] = {
        state.article_id: key
        for key, state in sorted(states.items(), reverse=True)
        if state.status == "ok" and state.article_id
    }
    stored: dict[str, tuple[str, str | None]] = {}  # key -> (article id, author), re-extracted from the store
    stored_rows: list[tuple[Any, ...]] = []
    if not paths:
        if not reprocess:
            raise ValueError(
                "nothing to ingest: give paths, or reprocess=True to re-extract the stored articles"
            )
        # the stored articles made by another extractor (or an older schema), from their stored
        # text: already clean, so it is taken as it is and keeps its offsets and article id
        clean = False
        stored_rows = store.stale_articles(extractor)
        for row in stored_rows:
            key, aid, author = row[0], row[1], row[7]
            stored[key] = (aid, author)
            seen[aid] = key

    def aid_of(item: Item) -> str:
        return stored[item.key][0] if item.key in stored else article_id(item)

    def todo() -> Iterator[Item]:
        if stored:
            for key, _, text, url, title, published, outlet, _ in stored_rows:
                yield Item(key, text, "text", url, title, published, outlet)
            return
        kwargs = {"max_bytes": max_bytes} if max_bytes is not None else {}
        for record in iter_items(paths, **kwargs):
            if isinstance(record, Failure):
                store.put_status(record.key, "failed", record.reason)
                report.failed += 1
                report.failures.append((record.key, record.reason))
                continue
            aid = article_id(record)
            state = states.get(record.key)
            holder = seen.get(aid)
            if holder is not None and holder != record.key:
                store.put_status(record.key, "skipped", f"the same article as {holder}", aid)
                report.skipped += 1
                continue
            seen[aid] = record.key
            if state is not None and state.article_id == aid and state.status != "skipped":
                stale = state.status == "ok" and state.extractor != extractor
                if not (reprocess and stale):
                    report.unchanged += 1
                    continue
            yield record

    def write(results: Iterable[tuple[str, dict[str, Any] | None, str | None]], ids: dict[str, str]) -> None:
        for key, data, reason in results:
            if data is not None:
                article = Article.from_dict(data)
                if key in stored and article.author is None:
                    article.author = stored[key][1]
                store.put_article(key, ids[key], article, extractor)
                report.ok += 1
            else:
                store.put_status(key, "failed", reason or "unknown failure", ids.get(key))
                report.failed += 1
                report.failures.append((key, reason or "unknown failure"))
            if progress is not None:
                report.seconds = time.perf_counter() - started
                progress(report, 1)

    if jobs <= 1:
        _init_worker(mode, model_path, clean)
        for chunk in _chunks(todo(), CHUNK):
            write(extract_items(chunk), {item.key: aid_of(item) for item in chunk})
    else:

        def done(chunk: list[Item], results: Any, reason: str | None) -> None:
            ids = {item.key: aid_of(item) for item in chunk}
            write(results if reason is None else [(item.key, None, reason) for item in chunk], ids)

        run_in_pool(
            _chunks(todo(), CHUNK), extract_items, jobs=jobs, initargs=(mode, model_path, clean), done=done
        )
    if consolidate and store.needs_consolidation():
        # spaCy (identity reads onrecord.resolve's names) and numpy (provenance): only when
        # consolidating, so that importing this module (the server does) stays light
        from onrecord.corpus import consolidate as consolidation

        report.consolidated = consolidation.consolidate(store)
    report.seconds = time.perf_counter() - started
    return report


C = TypeVar("C")


def run_in_pool(
    chunks: Iterable[list[C]],
    task: Callable[[list[C]], Any],
    *,
    jobs: int,
    initargs: tuple[str, str | None, bool],
    done: Callable[[list[C], Any, str | None], None],
) -> None:
    """Run ``task`` over ``chunks`` in ``jobs`` worker processes (each loads the models once via
    ``_init_worker(*initargs)``), at most two chunks per worker in flight; ``done(chunk, results,
    None)`` gets each result in this process.

    A worker that dies (killed, out of memory, a crash in native code) breaks the pool and every
    chunk in flight with it, most of them innocent. Those records are tried again at the end, one
    at a time in a new pool, so that only a record that kills its worker on its own fails:
    ``done([record], None, reason)``."""
    pools = [ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=initargs)]
    pending: dict[Future[Any], list[C]] = {}
    again: list[C] = []

    def submit(chunk: list[C]) -> Future[Any]:
        try:
            future = pools[-1].submit(task, chunk)
        except BrokenProcessPool:
            pools[-1].shutdown(cancel_futures=True)
            pools.append(ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=initargs))
            future = pools[-1].submit(task, chunk)
        pending[future] = chunk
        return future

    def drain(*, last_try: bool) -> None:
        finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
        for future in finished:
            chunk = pending.pop(future)
            try:
                results = future.result()
            except Exception as err:
                if last_try:
                    reason = f"the worker process failed: {type(err).__name__}: {err}"
                    done(chunk, None, Errors.E020.format(reason=reason))
                else:
                    again.extend(chunk)
                continue
            done(chunk, results, None)

    try:
        for chunk in chunks:
            submit(chunk)
            while len(pending) >= jobs * 2:
                drain(last_try=False)
        while pending:
            drain(last_try=False)
        for record in again:
            submit([record])
            drain(last_try=True)
    finally:
        pools[-1].shutdown(cancel_futures=True)


def _chunks(records: Iterable[C], size: int) -> Iterator[list[C]]:
    chunk: list[C] = []
    for record in records:
        chunk.append(record)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
