"""Write PolNeAR texts with their metadata (outlet, date, title) as JSONL for `onrecord ingest`.

    python scripts/polnear_jsonl.py ../shared/data/polnear --split train --split dev -o /tmp/polnear.jsonl
    onrecord ingest polnear.db /tmp/polnear.jsonl -j 2

The plain text files carry no date or outlet; `metadata.tsv` has both. The output holds the
publishers' texts: keep it out of the repository (see ../shared/data/polnear/README.md).
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("path", type=Path, help="The PolNeAR folder (with data/metadata.tsv).")
    parser.add_argument(
        "--split", action="append", default=None, help="train, dev (repeatable; default both)"
    )
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    data = args.path / "data"
    meta: dict[str, dict[str, str]] = {}
    with open(data / "metadata.tsv", encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream, delimiter="\t"):
            meta[row["filename"]] = row
    count = 0
    with open(args.output, "w", encoding="utf-8") as out:
        for split in args.split or ["train", "dev"]:
            for path in sorted((data / split / "text").glob("*.txt")):
                row = meta.get(path.stem, {})
                record = {
                    "text": path.read_text(encoding="utf-8"),
                    "url": f"polnear:{split}/{path.stem}",
                    "title": row.get("title") or None,
                    "published": row.get("publication_date") or None,
                    "outlet": row.get("publisher") or None,
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    print(f"{count} articles written to {args.output}")


if __name__ == "__main__":
    main()
