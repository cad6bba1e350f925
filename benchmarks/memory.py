"""Peak memory of `onrecord extract` against input size: invented news prose of 100 KB, 1 MB and
5 MB (quotations of five invented people), each extracted in its own process beside a small
good file, both modes. Peak is the maximum resident set size `/usr/bin/time -v` reports; the
run also checks that the good file's article was written.

    python benchmarks/memory.py [--sizes 100000,1000000,5000000] [--modes fast,accurate] [--dir /tmp]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NAMES = ["Ana Ortiz", "Ben Lutz", "Tom Reyes", "Kim Sato", "Ray Cole"]
VERBS = ["said", "told reporters", "argued", "added", "wrote"]
CLAIMS = [
    "the ferry toll would rise in the spring",
    "the harbour board had no plan for the winter",
    "the bridge repairs would take a year",
    "the council should publish the figures",
    "commuters would pay more for less",
]


def prose(size: int, seed: int = 1) -> str:
    """About ``size`` characters of invented paragraphs, each a reported and a direct quotation."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    total = 0
    while total < size:
        name = rng.choice(NAMES)
        day = rng.choice(["Monday", "Tuesday", "Friday"])
        paragraph = (
            f"{name} {rng.choice(VERBS)} that {rng.choice(CLAIMS)}. \u201cWe cannot wait any longer,\u201d "
            f"{name.split()[1]} said on {day}, adding that {rng.choice(CLAIMS)}."
        )
        paragraphs.append(paragraph)
        total += len(paragraph) + 1
    return "\n".join(paragraphs)[:size]


def peak(command: list[str]) -> tuple[int, float]:
    """(maximum resident set size in KB, seconds) of a command run under /usr/bin/time -v."""
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    if match is None:
        raise SystemExit(f"no peak for {command}: {done.stderr[-500:]}")
    return int(match.group(1)), seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100000,1000000,5000000")
    parser.add_argument("--modes", default="fast,accurate")
    parser.add_argument("--dir", default=tempfile.gettempdir())
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    onrecord = str(Path(sys.executable).parent / "onrecord")
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        folder = Path(args.dir) / f"onrecord-memory-{size}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "big.txt").write_text(prose(size), encoding="utf-8")
        (folder / "good.txt").write_text(
            'Island ferries will stop in winter\n\nAna Ortiz said: "The timetable is a disgrace."\n',
            encoding="utf-8",
        )
        for mode in args.modes.split(","):
            out = folder / f"out-{mode}.jsonl"
            kb, seconds = peak(
                [onrecord, "extract", str(folder), "--mode", mode, "--format", "jsonl", "-o", str(out)]
            )
            articles = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
            good = any(a["source_path"].endswith("good.txt") and a["quotes"] for a in articles)
            rows.append(
                {
                    "bytes": size,
                    "mode": mode,
                    "peak_mb": round(kb / 1024),
                    "seconds": round(seconds, 1),
                    "good_file_written": good,
                }
            )
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{'input':>10} {'mode':>9} {'peak MB':>8} {'seconds':>8}  good file written")
    for row in rows:
        print(
            f"{row['bytes']:>10,} {row['mode']:>9} {row['peak_mb']:>8} {row['seconds']:>8}  {row['good_file_written']}"
        )


if __name__ == "__main__":
    main()
