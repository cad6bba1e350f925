"""How far PolNeAR's own annotators agree, scored exactly as ``onrecord eval polnear`` scores onrecord.

PolNeAR has a few articles annotated by several people (``data/metadata.tsv`` lists them; 16 in
train, 2 in dev, 4 in ``annotator-training``). ``onrecord eval`` takes the first listed annotator
as gold; here every other annotator of such an article is scored against that first one with the
same function (``onrecord.evaluate.polnear.compare_relations``): per-role exact-match F1 of
source, cue and content spans, and relation F1 (content token Jaccard >= 0.5, one to one). The
figures say what a second careful human reaches on the metric of issue 3's acceptance lines.

With ``--onrecord``, the pipeline (default mode) is scored on the multi-annotated articles it was
not trained on (dev and annotator-training) next to the humans on the same articles.

Reads ``../shared/data/polnear`` (or ``--data``); prints a table, or JSON with ``--json``.

Example:
    python benchmarks/agreement.py
    python benchmarks/agreement.py --onrecord --json
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from onrecord.datasets.polnear import ROLES, GoldRelation, data_dir, parse_ann
from onrecord.evaluate.metrics import Score, TokenIndex
from onrecord.evaluate.polnear import RoleOffsets, compare_relations, quote_offsets, relation_offsets
from onrecord.evaluate.report import RelationErrors

DEFAULT_POLNEAR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "polnear"
COMPARTMENTS = ("train", "dev", "annotator-training")
#: Compartments whose articles the shipped tagger never saw in training.
HELD_OUT = ("dev", "annotator-training")


@dataclass(slots=True)
class Annotated:
    compartment: str
    doc_id: str
    text: str
    #: annotator -> relations, the first listed annotator first
    relations: dict[str, list[GoldRelation]]


def multi_annotated(path: Path) -> Iterator[Annotated]:
    """Every article with at least two annotation files, in metadata order."""
    data = data_dir(path)
    with (data / "metadata.tsv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for row in rows:
        compartment, doc_id = row["compartment"], row["filename"]
        if compartment not in COMPARTMENTS:
            continue
        folder = data / compartment
        files = {a: folder / "attributions" / f"{doc_id}_{a}.ann" for a in row["annotators"].split("|")}
        files = {a: path for a, path in files.items() if path.is_file()}
        if len(files) < 2:
            continue
        with (folder / "text" / f"{doc_id}.txt").open(encoding="utf-8", newline="") as f:
            text = f.read()
        relations = {a: parse_ann(path.read_text(encoding="utf-8"), text)[0] for a, path in files.items()}
        if len(relations) >= 2:
            yield Annotated(compartment, doc_id, text, relations)


@dataclass(slots=True)
class Tally:
    pairs: int = 0
    articles: int = 0
    exact: dict[str, Score] = field(default_factory=lambda: {role: Score() for role in ROLES})
    relation: Score = field(default_factory=Score)
    errors: RelationErrors = field(default_factory=RelationErrors)

    def add(self, text: str, pred: list[RoleOffsets], gold: list[RoleOffsets], tokens: TokenIndex) -> None:
        found = compare_relations(text, pred, gold, tokens)
        for role in ROLES:
            self.exact[role] += found.exact[role]
        self.relation += found.relation
        self.errors += found.errors
        self.pairs += 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "pairs": self.pairs,
            "exact_f1": {role: round(self.exact[role].f1, 4) for role in ROLES},
            "relation_f1": round(self.relation.f1, 4),
            "relation_errors": self.errors.to_dict(),
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_POLNEAR, help="the PolNeAR folder")
    parser.add_argument(
        "--onrecord", action="store_true", help="also score the pipeline on the held-out ones"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"no PolNeAR data at {args.data}", file=sys.stderr)
        return 2

    articles = list(multi_annotated(args.data))
    tallies: dict[str, Tally] = {name: Tally() for name in ("all", *COMPARTMENTS, "held-out")}
    for article in articles:
        tokens = TokenIndex(article.text)
        first, *others = article.relations
        gold = [relation_offsets(r) for r in article.relations[first]]
        names = ["all", article.compartment] + (["held-out"] if article.compartment in HELD_OUT else [])
        for name in names:
            tallies[name].articles += 1
        for other in others:
            pred = [relation_offsets(r) for r in article.relations[other]]
            for name in names:
                tallies[name].add(article.text, pred, gold, tokens)

    system: Tally | None = None
    if args.onrecord:
        from onrecord.ingest import Document
        from onrecord.pipeline import Pipeline

        held = [a for a in articles if a.compartment in HELD_OUT]
        system = Tally(articles=len(held))
        outputs = Pipeline(scope="attributions").process(Document(text=a.text) for a in held)
        for article, output in zip(held, outputs, strict=True):
            gold = [relation_offsets(r) for r in next(iter(article.relations.values()))]
            pred = [quote_offsets(q) for q in output.quotes]
            system.add(article.text, pred, gold, TokenIndex(article.text))

    result: dict[str, Any] = {
        "against": "the first listed annotator of each article (the gold of onrecord eval)",
        "annotators": {name: t.to_dict() for name, t in tallies.items() if t.pairs},
    }
    if system is not None:
        result["onrecord_held_out"] = system.to_dict()
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    rows = [(f"annotators, {name}", t) for name, t in tallies.items() if t.pairs]
    if system is not None:
        rows.append(("onrecord, held-out", system))
    print(
        f"{'scored against the first annotator':36} {'art':>4} {'pairs':>5}  source  cue  content  relation"
        "  missed  spurious  boundary"
    )
    for label, t in rows:
        e, r = t.exact, t.errors
        # shares of the first annotator's relations (missed, boundary) and of the other side's (spurious)
        gold, pred = t.relation.gold or 1, t.relation.pred or 1
        print(
            f"{label:36} {t.articles:4d} {t.pairs:5d}  {100 * e['source'].f1:6.1f} {100 * e['cue'].f1:4.1f}"
            f" {100 * e['content'].f1:8.1f} {100 * t.relation.f1:9.1f}"
            f" {100 * r.gold_missed / gold:7.1f} {100 * r.pred_spurious / pred:9.1f} {100 * r.gold_boundary / gold:9.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
