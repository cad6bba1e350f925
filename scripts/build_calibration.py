"""Build ``onrecord/resolve/calibration.json``: the measured accuracy of each kind of prediction.

Runs the extractor on the PolNeAR **train** split (never dev, where calibration is measured) and
counts, for every key ``rule|type|source``, how many predictions were right (matched to a gold
relation with the source overlapping the gold source). Only these counts are saved.

    python scripts/build_calibration.py ../shared/data/polnear
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from onrecord.evaluate.polnear import evaluate_polnear  # noqa: E402
from onrecord.resolve.confidence import TABLE_PATH  # noqa: E402
from onrecord.version import EXTRACTOR  # noqa: E402

MIN_COUNT = 20  # fewer observations than this: the rule-level rate is used instead


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("polnear", nargs="?", default=str(ROOT.parent / "shared" / "data" / "polnear"))
    parser.add_argument("--split", default="train")
    parser.add_argument("--out", type=Path, default=TABLE_PATH)
    args = parser.parse_args()
    if args.out.exists():
        args.out.unlink()  # measure the priors, not a previous calibration
    from onrecord.resolve import confidence

    confidence.table.cache_clear()
    report = evaluate_polnear(args.polnear, split=args.split)
    seen: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for key, ok in report.outcomes:
        rule = key.split("|", 1)[0]
        for k in (key, f"{rule}|*|*"):
            seen[k] += 1
            right[k] += int(ok)
    accuracy = {k: round((right[k] + 1) / (seen[k] + 2), 4) for k in sorted(seen) if seen[k] >= MIN_COUNT}
    payload = {
        "extractor": EXTRACTOR,
        "split": args.split,
        "predictions": len(report.outcomes),
        "counts": {k: [right[k], seen[k]] for k in sorted(seen)},
        "accuracy": accuracy,
    }
    args.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"{len(accuracy)} keys from {len(report.outcomes)} predictions -> {args.out}")


if __name__ == "__main__":
    main()
