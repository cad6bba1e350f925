"""Scale benchmark: 2,000 articles through `onrecord batch` on Ray with 1 and 2 workers, and on
plain local processes with 2, in one run.

    python benchmarks/scale.py [--articles 2000] [--mode accurate] [--check-extract 500]

Articles: PolNeAR train texts from ../shared when present (repeated under new names to reach
--articles), else made-up ones; written to a temporary folder, one file each, deleted after.
Each run writes its shards to a fresh folder. Reported: wall time of the whole run (Ray start-up
and model loading included) and the steady rate between the first and the last result.
`--check-extract N` also compares the quotations of the first N PolNeAR texts from the Ray run
with those of `onrecord extract` (same article, spans, speakers).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

_HERE = Path(__file__).resolve().parent
if sys.path and Path(sys.path[0] or ".").resolve() == _HERE:
    sys.path[0] = str(_HERE.parent)

from onrecord.scale import batch
from onrecord.scale.shards import read_shards

POLNEAR = _HERE.parents[1] / "shared" / "data" / "polnear" / "data" / "train" / "text"


def write_inputs(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted(POLNEAR.glob("*.txt")) if POLNEAR.is_dir() else []
    paths = []
    for index in range(count):
        path = folder / f"{index:05d}.txt"
        if sources:
            shutil.copyfile(sources[index % len(sources)], path)
        else:
            sys.path.insert(0, str(_HERE.parent / "tests"))
            from corpus_texts import article_text

            path.write_text(article_text(index), encoding="utf-8")
        paths.append(path)
    return paths


def quotes_of(rows: list[dict[str, object]]) -> dict[str, list[tuple[object, ...]]]:
    out = {}
    for row in rows:
        data = json.loads(str(row["data"]))
        out[str(row["item_key"])] = [
            (q["content"], q.get("cue"), q.get("source"), q.get("speaker")) for q in data["quotes"]
        ]
    return out


def check_extract(shards: Path, paths: list[Path], count: int) -> None:
    from onrecord.cli import extract_articles, read_documents
    from onrecord.pipeline import Pipeline

    chosen = [str(p) for p in paths[:count]]
    errors: list[str] = []
    documents = read_documents(chosen, clean=True, max_bytes=None, on_error=errors.append)
    from_extract = {
        str(a.source_path): [
            (q["content"], q.get("cue"), q.get("source"), q.get("speaker")) for q in a.to_dict()["quotes"]
        ]
        for a in extract_articles(Pipeline(), documents, on_error=errors.append)
    }
    from_batch = {
        k: v for k, v in quotes_of(list(read_shards(shards, "articles"))).items() if k in from_extract
    }
    same = sum(1 for k in from_extract if from_batch.get(k) == from_extract[k])
    quotes = sum(len(v) for v in from_extract.values())
    print(
        f"batch (ray) against extract on {len(from_extract)} texts: {same} articles identical "
        f"({quotes} quotations), {len(errors)} errors"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--mode", default="accurate")
    parser.add_argument("--check-extract", type=int, default=0)
    parser.add_argument("--runs", default="ray1,ray2,mp2")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="onrecord-scale-"))
    try:
        paths = write_inputs(tmp / "in", args.articles)
        results = {}
        for run in args.runs.split(","):
            engine, workers = ("ray", int(run[3:])) if run.startswith("ray") else ("local", int(run[2:]))
            real = batch.ray_available
            if engine == "local":
                batch.ray_available = lambda: False  # type: ignore[assignment]
            try:
                report = batch.run_batch(
                    [str(tmp / "in")], str(tmp / run), engine=engine, workers=workers, mode=args.mode
                )
            finally:
                batch.ray_available = real  # type: ignore[assignment]
            results[run] = report
            print(
                f"{run}: {report.items} articles in {report.seconds:.1f}s = {report.items / report.seconds:.2f}/s "
                f"(steady {report.steady_rate:.2f}/s); {report.failures} failures",
                flush=True,
            )
        if {"ray1", "ray2"} <= set(results):
            r1, r2 = results["ray1"], results["ray2"]
            print(
                f"ray 2 workers / ray 1 worker: {r1.seconds / r2.seconds:.2f}x wall, "
                f"{r2.steady_rate / r1.steady_rate:.2f}x steady"
            )
        if {"ray2", "mp2"} <= set(results):
            r2, mp = results["ray2"], results["mp2"]
            print(
                f"ray 2 workers against 2 processes: wall {r2.seconds / mp.seconds:.2f} of the processes' time, "
                f"steady {r2.steady_rate / mp.steady_rate:.2f} of their rate"
            )
        if args.check_extract and "ray2" in results:
            check_extract(tmp / "ray2", paths, args.check_extract)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
