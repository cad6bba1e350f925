"""Build ``onrecord/resolve/name_genders.tsv`` from the nomquamgender package's name data.

nomquamgender (Van Buskirk et al., MIT licence) ships name-gender statistics gathered from 36
public sources. We keep common Latin-alphabet first names whose p(gender = female) is at most
0.05 or at least 0.95 over at least ``--min-count`` observations, as ``name<TAB>gender``. The
package is a build-time tool only: install it in a scratch environment, then

    pip install nomquamgender==0.1.4
    python scripts/build_name_genders.py --out onrecord/resolve/name_genders.tsv
"""

from __future__ import annotations

import argparse
import importlib.resources
import json
import re
from pathlib import Path

NAME = re.compile(r"[a-z][a-z'-]+")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=Path("onrecord/resolve/name_genders.tsv"))
    parser.add_argument("--min-count", type=int, default=300)
    args = parser.parse_args()
    with importlib.resources.files("nomquamgender").joinpath("name_data.json").open(encoding="utf-8") as f:
        data = json.load(f)
    rows = []
    for name, (_, count, p_female, *_rest) in data.items():
        if not NAME.fullmatch(name) or count < args.min_count:
            continue
        if p_female <= 0.05:
            rows.append((name, "male"))
        elif p_female >= 0.95:
            rows.append((name, "female"))
    rows.sort()
    with args.out.open("w", encoding="utf-8") as out:
        out.write("# first-name genders from nomquamgender 0.1.4 (c) 2022 Ian Van Buskirk, MIT licence;\n")
        out.write(f"# p(female) <= 0.05 or >= 0.95, at least {args.min_count} observations\n")
        out.write("name\tgender\n")
        for name, gender in rows:
            out.write(f"{name}\t{gender}\n")
    print(f"{len(rows)} names -> {args.out}")


if __name__ == "__main__":
    main()
