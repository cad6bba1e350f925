"""Accuracy of ``onrecord.ingest.html.from_html`` on WCXB article pages, against bare trafilatura.

Usage (from the repository root)::

    python benchmarks/ingest_html.py [DATA_DIR] [--json] [--check] [--show-misses]

``DATA_DIR`` (default ``../shared/data/wcxb-articles``) holds ``html/NNNN.html.gz`` and
``ground-truth/NNNN.json``. For every page it scores the body with the WCXB bag-of-words F1
(lowercased word tokens, multiset overlap), the publication date (date part equal), the title
(exact after whitespace normalisation) and the author (same set of names, case-insensitive), for
``from_html`` and for ``trafilatura.bare_extraction`` with its defaults as the baseline. Pages
that fail are listed with the reason. ``--check`` exits 1 when a figure is under its floor
(``FLOORS``): lower a floor only on purpose.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Running ``python benchmarks/ingest_html.py`` puts this folder first on sys.path: put the
# repository root there instead, so that the checkout's onrecord is the one imported.
_HERE = Path(__file__).resolve().parent
if sys.path and Path(sys.path[0] or ".").resolve() == _HERE:
    sys.path[0] = str(_HERE.parent)

import argparse
import gzip
import json
import re
import statistics
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import trafilatura
from trafilatura.settings import Document as TrafilaturaDocument

from onrecord.errors import OnrecordError
from onrecord.ingest.html import from_html

DEFAULT_DATA = _HERE.parent.parent / "shared" / "data" / "wcxb-articles"
FLOORS = {"body_f1": 0.93, "date_accuracy": 0.85, "title_exact": 0.75}
_WORD = re.compile(r"\w+")
_NAME_SPLIT = re.compile(r"\s*(?:;|,|&|\band\b)\s*", re.IGNORECASE)
LOW_F1 = 0.8


def bag_f1(predicted: str, truth: str) -> float:
    """WCXB body score: F1 over the multisets of lowercased word tokens."""
    pred = Counter(_WORD.findall(predicted.lower()))
    gold = Counter(_WORD.findall(truth.lower()))
    overlap = sum((pred & gold).values())
    if not overlap:
        return 1.0 if not pred and not gold else 0.0
    precision, recall = overlap / sum(pred.values()), overlap / sum(gold.values())
    return 2 * precision * recall / (precision + recall)


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def _names(author: str | None) -> frozenset[str]:
    return frozenset(n.casefold() for n in _NAME_SPLIT.split(_norm(author)) if n)


@dataclass
class Scores:
    body_f1: float = 0.0
    date: bool = False
    title: bool = False
    author: bool = False
    error: str | None = None


@dataclass
class PageResult:
    page: str
    onrecord: Scores
    trafilatura: Scores
    title: str | None = None
    truth_title: str | None = None
    published: str | None = None
    truth_date: str | None = None


@dataclass
class Report:
    pages: int = 0
    seconds: float = 0.0
    onrecord: dict[str, float] = field(default_factory=dict)
    trafilatura: dict[str, float] = field(default_factory=dict)
    floors: dict[str, float] = field(default_factory=lambda: dict(FLOORS))
    failures: list[dict[str, Any]] = field(default_factory=list)


def _score(
    text: str, title: str | None, date: str | None, author: str | None, truth: dict[str, Any]
) -> Scores:
    return Scores(
        body_f1=bag_f1(text, truth.get("main_content") or ""),
        date=bool(date) and (date or "")[:10] == (truth.get("publish_date") or "")[:10],
        title=_norm(title) == _norm(truth.get("title")),
        author=_names(author) == _names(truth.get("author")),
    )


def run_page(html: bytes, url: str | None, truth: dict[str, Any], page: str) -> PageResult:
    """Score one page with from_html and with bare trafilatura."""
    try:
        doc = from_html(html, url=url, source_path=page)
        ours = _score(doc.text, doc.title, doc.published, doc.author, truth)
        title, published = doc.title, doc.published
    except OnrecordError as err:
        ours, title, published = Scores(error=str(err)), None, None
    base = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if isinstance(base, TrafilaturaDocument):
        theirs = _score(base.text or "", base.title, base.date, base.author, truth)
    else:
        theirs = Scores(error="bare_extraction returned nothing")
    return PageResult(page, ours, theirs, title, truth.get("title"), published, truth.get("publish_date"))


def _summary(scores: list[Scores]) -> dict[str, float]:
    return {
        "body_f1": round(statistics.fmean(s.body_f1 for s in scores), 4),
        "date_accuracy": round(statistics.fmean(s.date for s in scores), 4),
        "title_exact": round(statistics.fmean(s.title for s in scores), 4),
        "author_match": round(statistics.fmean(s.author for s in scores), 4),
        "errors": sum(s.error is not None for s in scores),
    }


def run(data_dir: Path, *, show_misses: bool = False) -> Report:
    """Score every page under ``data_dir`` and collect the failures."""
    pages = sorted((data_dir / "html").glob("*.html.gz"))
    if not pages:
        raise SystemExit(f"Error: no html/*.html.gz pages under {data_dir}")
    started = time.perf_counter()
    results: list[PageResult] = []
    for path in pages:
        page = path.name.split(".")[0]
        record = json.loads((data_dir / "ground-truth" / f"{page}.json").read_text(encoding="utf-8"))
        html = gzip.decompress(path.read_bytes())
        results.append(run_page(html, record.get("url"), record["ground_truth"], page))
    report = Report(pages=len(results), seconds=round(time.perf_counter() - started, 1))
    report.onrecord = _summary([r.onrecord for r in results])
    report.trafilatura = _summary([r.trafilatura for r in results])
    for r in results:
        reasons: list[str] = []
        if r.onrecord.error:
            reasons.append(r.onrecord.error)
        elif r.onrecord.body_f1 < LOW_F1:
            reasons.append(f"body F1 {r.onrecord.body_f1:.3f}")
        if show_misses and not r.onrecord.error:
            if not r.onrecord.title:
                reasons.append(f"title {r.title!r} != {r.truth_title!r}")
            if not r.onrecord.date:
                reasons.append(f"date {r.published!r} != {r.truth_date!r}")
        if reasons:
            report.failures.append({"page": r.page, "reasons": reasons, "scores": asdict(r.onrecord)})
    return report


def below_floors(report: Report) -> list[str]:
    return [f"{k} {report.onrecord[k]:.4f} < {v}" for k, v in FLOORS.items() if report.onrecord[k] < v]


def _print(report: Report) -> None:
    print(f"WCXB article pages: {report.pages} ({report.seconds} s, both extractors)")
    print(f"{'':16}{'onrecord':>10}{'trafilatura':>13}{'floor':>8}")
    for key in ("body_f1", "date_accuracy", "title_exact", "author_match", "errors"):
        floor = f"{FLOORS[key]:.2f}" if key in FLOORS else ""
        print(f"{key:16}{report.onrecord[key]:>10}{report.trafilatura[key]:>13}{floor:>8}")
    if report.failures:
        print(f"\nper-page failures ({len(report.failures)}):")
        for failure in report.failures:
            print(f"  {failure['page']}: " + "; ".join(failure["reasons"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when a figure is under its floor")
    parser.add_argument("--show-misses", action="store_true", help="also list title and date misses")
    args = parser.parse_args(argv)
    report = run(args.data_dir, show_misses=args.show_misses)
    if args.json:
        print(json.dumps(asdict(report), indent=2))
    else:
        _print(report)
    missed = below_floors(report)
    if args.check and missed:
        print("Error: under the floor: " + ", ".join(missed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
