"""Stance and relation queries on a corpus: how long `onrecord stance` takes, and what it finds.

    python scripts/polnear_jsonl.py ../shared/data/polnear -o /tmp/polnear.jsonl
    onrecord ingest /tmp/polnear.db /tmp/polnear.jsonl -j 2
    python benchmarks/stance.py /tmp/polnear.db ["Clinton email" ...] [--repeat 20]

Each topic is asked --repeat times on an open store (the first answer, cold, is reported apart);
printed: median and worst time, and how many speakers each side has with how many statements.
The relation graph query is timed the same way. Also reported: the whole `onrecord stance`
command, process start included, once per topic.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

_HERE = Path(__file__).resolve().parent
if sys.path and Path(sys.path[0] or ".").resolve() == _HERE:
    sys.path[0] = str(_HERE.parent)

from onrecord.corpus.stance import stance
from onrecord.store import open_store

TOPICS = ["Clinton email", "border wall", "Iran nuclear deal", "tax cuts for the wealthy"]


def timed(call, repeat: int) -> tuple[float, list[float], object]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    answer = call()
    cold = time.perf_counter() - start
    warm = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        warm.append(time.perf_counter() - start)
    return cold, warm, answer


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("db")
    parser.add_argument("topics", nargs="*", default=TOPICS)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with open_store(args.db) as store:
        counts = store.counts()
        relations = store._run("SELECT count(*) FROM relations")[0][0]
        stances = store._run("SELECT count(*) FROM stances")[0][0]
        print(
            f"{args.db}: {counts['articles']} articles, {counts['quotes']} quotations, {relations} relations, "
            f"{stances} stances; {store.articles_without_relations()} articles without relations"
        )
        for topic in args.topics:
            cold, warm, answer = timed(lambda topic=topic: stance(store, topic), args.repeat)
            sides = ", ".join(
                f"{side} {len(answer[side])} speakers / {sum(s['count'] for s in answer[side])} statements"  # type: ignore[index]
                for side in ("for", "against", "unclear")
            )
            print(
                f"stance {topic!r}: cold {cold * 1000:.0f} ms, median {statistics.median(warm) * 1000:.0f} ms, "
                f"worst {max(warm) * 1000:.0f} ms; {sides}"
            )
        cold, warm, edges = timed(lambda: store.relation_graph(limit=500), args.repeat)
        print(
            f"relation graph (500 edges): cold {cold * 1000:.0f} ms, median {statistics.median(warm) * 1000:.0f} ms, "
            f"{len(edges)} edges"  # type: ignore[arg-type]
        )
    for topic in args.topics:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "onrecord", "stance", args.db, topic], check=True, capture_output=True
        )
        print(
            f"onrecord stance {args.db} {topic!r}: {time.perf_counter() - start:.2f} s, process start included"
        )


if __name__ == "__main__":
    main()
