"""``onrecord batch``: extract a corpus into Parquet shards, on Ray or on local processes.

Both engines run the same steps and write through the same ``ShardWriter``:

1. list the input files (``expand_sources``; object-store URIs such as ``s3://bucket/prefix``
   through ``pyarrow.fs``);
2. read each file into items (``iter_items``: text, HTML, JSONL, WARC): on Ray, one read task
   per file with zero CPUs reserved, so that the extraction actors can never starve them (Ray
   Data hangs when actors hold every CPU: ray-project/ray issue 44687);
3. extract batches of items with ``extract_items`` in a pool where each worker loads the models
   once: Ray Data's actor pool (``--engine ray``), or a ``ProcessPoolExecutor``
   (``--engine local`` without Ray installed);
4. write the shards: one row per key (a retried task cannot add a row twice), sorted, so the
   output is the same for any engine, worker count or timing.

A record that cannot be read, or whose extraction raises, is a row of the ``failures`` shard
with its reason; the run goes on. A worker that dies is replaced by Ray and its batch retried.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import pickle
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from onrecord.corpus.ingest import (
    CHUNK,
    _chunks,
    _init_worker,
    article_id,
    extract_items,
    extractor_version,
    run_in_pool,
)
from onrecord.corpus.records import Failure, Item
from onrecord.corpus.sources import expand_sources, iter_items
from onrecord.errors import Errors, ModelError
from onrecord.model import Article
from onrecord.scale.shards import Row, ShardWriter, failure_row, outcome_rows, read_shards
from onrecord.store.protocol import Store

ENGINES = ("local", "ray")
# a block is the unit an actor takes (``map_batches`` with ``batch_size=None``: Ray Data would
# otherwise gather small blocks into batches of a fixed size and undo the shrinking of
# ``file_groups``); a JSONL or WARC file reads into blocks of at most this many bytes
BLOCK_BYTES = 1 << 18
# files per read task at most (see ``file_groups``): 64 (about ten seconds of one worker) left one of
# two actors idle for up to that long at the end of a run
FILES_PER_READ = 16


@dataclass(slots=True)
class BatchReport:
    engine: str
    workers: int
    items: int = 0
    articles: int = 0
    failures: int = 0
    seconds: float = 0.0
    first_result: float | None = None
    last_result: float | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def steady_rate(self) -> float:
        """Articles per second between the first and the last result (start-up left out)."""
        if self.first_result is None or self.last_result is None or self.last_result <= self.first_result:
            return 0.0
        return (self.items - 1) / (self.last_result - self.first_result)

    def to_dict(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "workers": self.workers,
            "items": self.items,
            "articles": self.articles,
            "failures": self.failures,
            "seconds": round(self.seconds, 2),
            "articles_per_second": round(self.items / self.seconds, 2) if self.seconds else 0.0,
            "steady_articles_per_second": round(self.steady_rate, 2),
            "shards": self.counts,
        }


def ray_available() -> bool:
    try:
        import ray  # optional: ray, the ray extra
        import ray.data  # noqa: F401
    except ImportError:
        return False
    return True


def is_remote(path: str) -> bool:
    return "://" in path and not path.startswith(("http://", "https://", "file://"))


def list_inputs(inputs: Sequence[str]) -> list[str]:
    """Every input file, in order: local paths as ``ingest`` lists them, object-store URIs through
    pyarrow's file systems (a prefix is listed recursively)."""
    found: list[str] = []
    for arg in inputs:
        if not is_remote(arg):
            found.extend(expand_sources([arg]))
            continue
        import pyarrow.fs as pafs  # pyarrow, only for object-store URIs

        filesystem, path = pafs.FileSystem.from_uri(arg)
        info = filesystem.get_file_info(path)
        scheme = arg.split("://", 1)[0]
        if info.type == pafs.FileType.Directory:
            selector = pafs.FileSelector(path, recursive=True)
            names = sorted(i.path for i in filesystem.get_file_info(selector) if i.type == pafs.FileType.File)
            found.extend(f"{scheme}://{name}" for name in names if _readable_name(name))
        else:
            found.append(arg)
    return found


READABLE = (".txt", ".text", ".html", ".htm", ".xhtml", ".jsonl", ".jsonl.gz", ".warc", ".warc.gz")


def _readable_name(name: str) -> bool:
    return name.lower().endswith(READABLE)


def read_file(path: str, max_bytes: int | None = None) -> list[Item | Failure]:
    """The items of one input file; a remote file is copied to a temporary file first and its
    records keep keys under its URI."""
    kwargs = {"max_bytes": max_bytes} if max_bytes is not None else {}
    if not is_remote(path):
        return list(iter_items([path], **kwargs))
    import pyarrow.fs as pafs  # pyarrow, only for object-store URIs

    folder = tempfile.mkdtemp(prefix="onrecord-batch-")
    local = os.path.join(folder, os.path.basename(path.rstrip("/")) or "input")
    try:
        filesystem, remote = pafs.FileSystem.from_uri(path)
        with filesystem.open_input_stream(remote) as source, open(local, "wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
        records = list(iter_items([local], **kwargs))
    except OSError as err:
        return [Failure(path, Errors.E015.format(path=path, reason=err))]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    renamed: list[Item | Failure] = []
    for record in records:
        key = path + record.key[len(local) :] if record.key.startswith(local) else path
        if isinstance(record, Failure):
            renamed.append(Failure(key, record.reason.replace(local, path)))
        else:
            renamed.append(
                Item(key, record.raw, record.kind, record.url, record.title, record.published, record.outlet)
            )
    return renamed


Progress = Callable[[BatchReport], None]
# an item's key and its shard rows (``outcome_rows``)
Outcome = tuple[str, list[tuple[str, Row]]]


def run_batch(
    inputs: Sequence[str],
    out: str,
    *,
    engine: str = "local",
    workers: int = 2,
    address: str | None = None,
    mode: str = "accurate",
    max_bytes: int | None = None,
    progress: Progress | None = None,
    verbose: bool = False,
) -> BatchReport:
    """Extract every input into Parquet shards under ``out`` (see the module docstring). Ray's
    own log lines are shown with ``verbose`` only (errors always)."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    use_ray = engine == "ray" or (engine == "local" and ray_available())
    if engine == "ray" and not ray_available():
        raise ModelError(Errors.E003.format(what="Ray (ray[data])", extra="ray"))
    report = BatchReport(engine="ray" if use_ray else "multiprocessing", workers=workers)
    writer = ShardWriter(out)
    # a model folder named by ONRECORD_MODEL goes to every worker by name (a Ray node need not
    # share the driver's environment); the packaged model is each worker's own install
    from onrecord.learn.tagger import named_model  # heavy: spaCy, loaded with onrecord.learn.tagger

    model = named_model() if mode == "accurate" else None
    extractor = extractor_version(mode, model)
    started = time.perf_counter()

    def take(outcomes: list[Outcome]) -> None:
        now = time.perf_counter()
        for key, rows in outcomes:
            writer.add_outcome(key, rows)
            report.items += 1
        if report.first_result is None:
            report.first_result = now
        report.last_result = now
        if progress is not None:
            report.seconds = now - started
            progress(report)

    files = list_inputs(inputs)
    if use_ray:
        _run_ray(
            files,
            take,
            workers=workers,
            address=address,
            mode=mode,
            model=model,
            extractor=extractor,
            max_bytes=max_bytes,
            local=engine == "local",
            verbose=verbose,
        )
    else:
        _run_processes(
            files, take, workers=workers, mode=mode, model=model, extractor=extractor, max_bytes=max_bytes
        )
    report.counts = writer.close()
    report.articles = report.counts["articles"]
    report.failures = report.counts["failures"]
    report.seconds = time.perf_counter() - started
    return report


# -- multiprocessing ---------------------------------------------------------------------------


def _extract_chunk(chunk: list[Item | Failure], extractor: str) -> list[Outcome]:
    """``extract_items`` over a chunk, failures passed through: each record's shard rows, built in
    the worker (see ``outcome_rows``)."""
    items = [record for record in chunk if isinstance(record, Item)]
    ids = {item.key: article_id(item) for item in items}
    out: list[Outcome] = [
        (record.key, [failure_row(record.key, record.reason)])
        for record in chunk
        if isinstance(record, Failure)
    ]
    if items:
        out += [
            (key, outcome_rows(key, ids[key], data, reason, extractor))
            for key, data, reason in extract_items(items)
        ]
    return out


def _run_processes(
    files: list[str],
    take: Callable[[list[Outcome]], None],
    *,
    workers: int,
    mode: str,
    model: str | None,
    extractor: str,
    max_bytes: int | None,
) -> None:
    def done(chunk: list[Item | Failure], results: Any, reason: str | None) -> None:
        if reason is not None:
            results = [(r.key, [failure_row(r.key, reason)]) for r in chunk]
        take(results)

    records = (record for path in files for record in read_file(path, max_bytes))
    task = functools.partial(_extract_chunk, extractor=extractor)
    run_in_pool(_chunks(records, CHUNK), task, jobs=workers, initargs=(mode, model, True), done=done)


# -- Ray ---------------------------------------------------------------------------------------


class RayExtractor:
    """A Ray Data actor: loads the pipeline once, then extracts batches of items."""

    def __init__(self, mode: str, extractor: str, model: str | None = None) -> None:
        _init_worker(mode, model, True)
        self.extractor = extractor

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        records: list[Item | Failure] = []
        for i in range(len(batch["key"])):
            if batch["failure"][i]:
                records.append(Failure(str(batch["key"][i]), str(batch["failure"][i])))
            else:
                records.append(
                    Item(
                        str(batch["key"][i]),
                        str(batch["raw"][i]),
                        str(batch["kind"][i]),  # type: ignore[arg-type]
                        _opt(batch["url"][i]),
                        _opt(batch["title"][i]),
                        _opt(batch["published"][i]),
                        _opt(batch["outlet"][i]),
                    )
                )
        outcomes = _extract_chunk(records, self.extractor)
        # the rows travel pickled: the driver of a large cluster only unpickles and stores them
        return {
            "key": [key for key, _ in outcomes],
            "rows": [pickle.dumps(rows, protocol=5) for _, rows in outcomes],
        }


def _opt(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _read_rows(row: dict[str, Any], max_bytes: int | None = None) -> list[dict[str, Any]]:
    """Ray read step: a group of input files -> one row per item or failure."""
    rows = []
    records = [record for path in row["paths"] for record in read_file(str(path), max_bytes)]
    for record in records:
        if isinstance(record, Failure):
            rows.append(
                {
                    "key": record.key,
                    "raw": "",
                    "kind": "",
                    "url": "",
                    "title": "",
                    "published": "",
                    "outlet": "",
                    "failure": record.reason,
                }
            )
        else:
            rows.append(
                {
                    "key": record.key,
                    "raw": record.raw,
                    "kind": record.kind,
                    "url": record.url or "",
                    "title": record.title or "",
                    "published": record.published or "",
                    "outlet": record.outlet or "",
                    "failure": "",
                }
            )
    return rows


def file_groups(files: Sequence[str], workers: int) -> list[list[str]]:
    """The files of each read task, in order. One task per small file would cost more than reading
    it; but a task's block goes whole to one actor, so a large group near the end is work that one
    actor does while the others wait. Groups are ``FILES_PER_READ`` files while there is plenty left,
    then a quarter of each worker's share of what remains (guided self-scheduling), down to one."""
    groups = []
    start = 0
    while start < len(files):
        size = max(1, min(FILES_PER_READ, (len(files) - start) // (workers * 4)))
        groups.append(list(files[start : start + size]))
        start += size
    return groups


def _run_ray(
    files: list[str],
    take: Callable[[list[Outcome]], None],
    *,
    workers: int,
    address: str | None,
    mode: str,
    model: str | None,
    extractor: str,
    max_bytes: int | None,
    local: bool,
    verbose: bool = False,
) -> None:
    import ray  # optional: ray, the ray extra

    level = logging.INFO if verbose else logging.ERROR
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(level)
    if not verbose:
        # Ray Data's advice (concurrency, block sizes) is not the user's business; failed
        # articles are reported as failures either way
        warnings.filterwarnings("ignore", category=UserWarning, module=r"ray(\.|$)")
    started_here = False
    if not ray.is_initialized():
        if address:
            ray.init(address=address, log_to_driver=False, logging_level=level)
        else:
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False, logging_level=level)
        started_here = True
    try:
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        # a JSONL or WARC file reads into many items: small blocks, so that every actor gets work
        # (Ray hands a whole block to one actor; a repartition would need CPUs the actors hold)
        context.target_max_block_size = BLOCK_BYTES
        # on a small cluster the default reservations hold back CPUs for other operators, and
        # only one of two extraction actors would ever run
        context.op_resource_reservation_enabled = False
        context.enable_auto_log_stats = False
        # the driver takes each result as it comes; without this, Ray Data sees the results
        # waiting for it and keeps all but one actor idle
        context.downstream_capacity_backpressure_ratio = None
        groups = [{"paths": group} for group in file_groups(files, workers)]
        files_ds = ray.data.from_items(groups, override_num_blocks=max(1, len(groups)))
        items = files_ds.flat_map(
            _read_rows,
            fn_kwargs={"max_bytes": max_bytes},
            num_cpus=0,
            compute=ray.data.TaskPoolStrategy(size=2),
        )
        results = items.map_batches(
            RayExtractor,
            fn_constructor_kwargs={"mode": mode, "extractor": extractor, "model": model},
            batch_size=None,
            compute=ray.data.ActorPoolStrategy(size=workers),
            num_cpus=1,
        )
        for batch in results.iter_batches(batch_size=None, batch_format="pyarrow", prefetch_batches=1):
            keys = batch.column("key").to_pylist()  # type: ignore[union-attr]
            rows = batch.column("rows").to_pylist()  # type: ignore[union-attr]
            take([(key, pickle.loads(data)) for key, data in zip(keys, rows, strict=True)])
    finally:
        if started_here:
            ray.shutdown()


def ingest_shards(store: Store, folder: str, *, consolidate: bool = True) -> dict[str, int]:
    """Load a batch run's shards into ``store``: each article is stored whole (skipped when the
    store already holds it from the same extractor), each failure gets its status row; then speaker
    identity and provenance run over the whole corpus. Idempotent, like ``ingest``."""
    if not (Path(folder) / "articles").is_dir():
        raise FileNotFoundError(Errors.E017.format(path=str(Path(folder) / "articles")))
    states = store.item_states()
    counts = {"ok": 0, "unchanged": 0, "skipped": 0, "failed": 0}
    # article id -> the key that holds it (the same text under two names is stored once, as in ingest)
    held = {
        s.article_id: key
        for key, s in sorted(states.items(), reverse=True)
        if s.status == "ok" and s.article_id
    }
    for row in read_shards(folder, "articles"):
        state = states.get(row["item_key"])
        holder = held.setdefault(row["article_id"], row["item_key"])
        if holder != row["item_key"]:
            store.put_status(row["item_key"], "skipped", f"the same article as {holder}", row["article_id"])
            counts["skipped"] += 1
            continue
        if (
            state is not None
            and state.article_id == row["article_id"]
            and state.extractor == row["extractor"]
        ):
            counts["unchanged"] += 1
            continue
        article = Article.from_dict({**json.loads(row["data"]), "text": row["text"]})
        store.put_article(row["item_key"], row["article_id"], article, row["extractor"])
        counts["ok"] += 1
    for row in read_shards(folder, "failures"):
        state = states.get(row["item_key"])
        if row["status"] == "skipped":
            if state is None or state.status != "skipped":
                store.put_status(row["item_key"], "skipped", row["reason"])
            counts["skipped"] += 1
            continue
        if state is None or state.status != "failed" or state.article_id is not None:
            store.put_status(row["item_key"], "failed", row["reason"])
        counts["failed"] += 1
    if consolidate and store.needs_consolidation():
        # spaCy (identity reads onrecord.resolve's names) and numpy (provenance): only when
        # consolidating
        from onrecord.corpus import consolidate as consolidation

        counts.update(consolidation.consolidate(store))
    return counts
