"""Hand-annotated web pages, scored end to end: ``onrecord eval quotes DIR``.

The folder holds ``<id>.gold.json`` (the format of ``shared/data/web-quotes``: ``quotes`` with
``speaker``, ``type``, ``source``, ``cue``, ``content``, ``medium``, ``addressee`` and
``optional``) beside ``<id>.html.gz`` or ``<id>.html`` (read through the HTML ingest, as a user's
page would be) or else ``<id>.txt`` (read as plain text, cleaning on).

Gold content is text, not offsets, so quotations are matched on casefolded word tokens:

- a required quotation is *found* when one content piece of a prediction has word Jaccard
  >= 0.5 with it (one-to-one between pieces and gold items, best pair first), so one
  prediction '"A," he said. "B."' with two pieces can find two gold items;
- a found quotation has the *right speaker* when the names match (``names_match``: honorifics
  dropped, middle names allowed, a surname alone never equals a full name), the *right cue*
  when the cue texts match (``texts_match``), and likewise medium and addressee where the gold
  gives one;
- a prediction is *unmatched* when none of its content pieces matches any gold item, required
  or optional, by the same test (word Jaccard >= 0.5), one-to-one or not.

A page that cannot be read or extracted is reported with its reason; its gold counts as missed.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from onrecord.errors import Errors, InputError, OnrecordError
from onrecord.evaluate.metrics import (
    Ratio,
    greedy_match,
    jaccard,
    names_match,
    texts_match,
    words,
)
from onrecord.evaluate.report import new_table, pct, render_text
from onrecord.evaluate.seed import SeedGold
from onrecord.ingest import Document
from onrecord.ingest.html import from_html
from onrecord.ingest.text import from_text
from onrecord.model import Article, Quote
from onrecord.pipeline import Pipeline

MATCH_THRESHOLD = 0.5


def read_pages(path: str | Path, *, only: Sequence[str] | None = None) -> list[SeedGold]:
    """Every ``<id>.gold.json`` in the folder (or the ids in ``only``), with its page file: a
    gold record of the seed's kind, whose ``text_path`` may be HTML."""
    folder = Path(path)
    pages: list[SeedGold] = []
    for gold_path in sorted(folder.glob("*.gold.json")):
        page_id = gold_path.name.removesuffix(".gold.json")
        if only is not None and page_id not in only:
            continue
        try:
            data = json.loads(gold_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise InputError(Errors.E015.format(path=gold_path, reason=e)) from e
        candidates = [folder / f"{page_id}{suffix}" for suffix in (".html.gz", ".html", ".txt")]
        page_file = next((p for p in candidates if p.is_file()), candidates[-1])
        pages.append(SeedGold(page_id, page_file, data))
    missing = sorted(set(only or ()) - {p.name for p in pages})
    if missing or not pages:
        raise InputError(Errors.E017.format(path=folder / f"{(missing or ['*'])[0]}.gold.json"))
    return pages


def read_document(page: SeedGold) -> Document:
    """The page as the ingest reads it: HTML through trafilatura, text with cleaning."""
    try:
        raw = page.text_path.read_bytes()
        if page.text_path.name.endswith(".gz"):
            raw = gzip.decompress(raw)
    except (OSError, EOFError, gzip.BadGzipFile) as e:
        raise InputError(Errors.E015.format(path=page.text_path, reason=e)) from e
    if page.text_path.name.endswith((".html", ".html.gz")):
        return from_html(raw, url=page.data.get("url"), source_path=str(page.text_path))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(Errors.E015.format(path=page.text_path, reason=e)) from e
    return from_text(text, clean=True, source_path=str(page.text_path))


@dataclass(slots=True)
class QuoteStatus:
    """One required gold quotation and what the extractor made of it."""

    id: str
    content: str
    speaker: str | None
    cue: str | None
    medium: str | None
    addressee: str | None
    found: bool = False
    predicted_speaker: str | None = None
    predicted_cue: str | None = None
    predicted_medium: str | None = None
    predicted_addressee: str | None = None

    @property
    def speaker_right(self) -> bool:
        if not self.found:
            return False
        if self.speaker is None:
            return self.predicted_speaker is None
        return names_match(self.predicted_speaker, self.speaker)

    @property
    def cue_right(self) -> bool:
        if not self.found:
            return False
        if self.cue is None:
            return self.predicted_cue is None
        return texts_match(self.predicted_cue, self.cue)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "found": self.found,
            "speaker": {
                "gold": self.speaker,
                "predicted": self.predicted_speaker,
                "right": self.speaker_right,
            },
            "cue": {"gold": self.cue, "predicted": self.predicted_cue, "right": self.cue_right},
            "medium": {"gold": self.medium, "predicted": self.predicted_medium},
            "addressee": {"gold": self.addressee, "predicted": self.predicted_addressee},
            "content": self.content,
        }


@dataclass(slots=True)
class PageReport:
    """One page: its required quotations' statuses and the predictions that match no gold."""

    id: str
    genre: str
    quotes: list[QuoteStatus] = field(default_factory=list)
    predictions: int = 0
    unmatched: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def found(self) -> int:
        return sum(q.found for q in self.quotes)

    @property
    def speakers_right(self) -> int:
        return sum(q.speaker_right for q in self.quotes)

    @property
    def cues_right(self) -> int:
        return sum(q.cue_right for q in self.quotes)

    @property
    def medium(self) -> Ratio:
        given = [q for q in self.quotes if q.medium]
        return Ratio(sum(texts_match(q.predicted_medium, q.medium) for q in given), len(given))

    @property
    def addressee(self) -> Ratio:
        given = [q for q in self.quotes if q.addressee]
        return Ratio(sum(texts_match(q.predicted_addressee, q.addressee) for q in given), len(given))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "genre": self.genre,
            "error": self.error,
            "required": len(self.quotes),
            "found": self.found,
            "speakers_right": self.speakers_right,
            "cues_right": self.cues_right,
            "medium": self.medium.to_dict(),
            "addressee": self.addressee.to_dict(),
            "predictions": self.predictions,
            "unmatched": list(self.unmatched),
            "quotes": [q.to_dict() for q in self.quotes],
        }


@dataclass(slots=True)
class QuotesReport:
    """Every page's report and the totals over them."""

    pages: list[PageReport]

    @property
    def required(self) -> int:
        return sum(len(p.quotes) for p in self.pages)

    def summary(self) -> dict[str, Any]:
        required = self.required
        predictions = sum(p.predictions for p in self.pages)
        unmatched = sum(len(p.unmatched) for p in self.pages)
        found = sum(p.found for p in self.pages)
        return {
            "pages": len(self.pages),
            "errors": sum(p.error is not None for p in self.pages),
            "required": required,
            "found": Ratio(found, required).to_dict(),
            "speaker_right": Ratio(sum(p.speakers_right for p in self.pages), required).to_dict(),
            "speaker_right_of_found": Ratio(sum(p.speakers_right for p in self.pages), found).to_dict(),
            "cue_right": Ratio(sum(p.cues_right for p in self.pages), required).to_dict(),
            "medium": sum((p.medium for p in self.pages), Ratio()).to_dict(),
            "addressee": sum((p.addressee for p in self.pages), Ratio()).to_dict(),
            "predictions": predictions,
            "unmatched": Ratio(unmatched, predictions).to_dict(),
        }

    def to_dict(self) -> dict[str, Any]:
        return {"summary": self.summary(), "pages": [p.to_dict() for p in self.pages]}

    def render(self) -> str:
        table = new_table(
            "Annotated pages: required quotations found, right speaker and cue; predictions matching no gold",
            "page", "genre", "required", "found", "speaker", "cue", "medium", "addressee", "predicted",
            "unmatched",
        )  # fmt: skip
        for page in self.pages:
            table.add_row(
                page.id,
                page.genre + (f" ({page.error})" if page.error else ""),
                str(len(page.quotes)),
                str(page.found),
                str(page.speakers_right),
                str(page.cues_right),
                f"{page.medium.hits}/{page.medium.total}",
                f"{page.addressee.hits}/{page.addressee.total}",
                str(page.predictions),
                str(len(page.unmatched)),
            )
        s = self.summary()

        def share(key: str) -> str:
            return f"{pct(s[key]['value'])}% ({s[key]['hits']}/{s[key]['total']})"

        lines = [
            f"found {share('found')}; right speaker {share('speaker_right')} of required, "
            f"{share('speaker_right_of_found')} of found; right cue {share('cue_right')}",
            f"medium {share('medium')}, addressee {share('addressee')}; "
            f"predictions matching no gold {share('unmatched')}",
        ]
        if s["errors"]:
            lines.append(f"{s['errors']} page(s) could not be extracted (see the genre column)")
        return render_text(table, *lines, width=120)


def _pieces(quote: Quote) -> list[set[str]]:
    return [set(words(span.text)) for span in quote.content] or [set(words(quote.content_text))]


def score_page(page: SeedGold, article: Article) -> PageReport:
    """Compare one extracted article with its page's gold."""
    pieces = [(i, piece) for i, quote in enumerate(article.quotes) for piece in _pieces(quote)]
    report = _page_report(page)
    report.predictions = len(article.quotes)
    gold_words = [set(words(q.content)) for q in report.quotes]
    matches = greedy_match(
        range(len(pieces)),
        range(len(gold_words)),
        lambda p, j: jaccard(pieces[p][1], gold_words[j]),
        MATCH_THRESHOLD,
    )
    for p, j, _ in matches:
        quote, status = article.quotes[pieces[p][0]], report.quotes[j]
        status.found = True
        status.predicted_speaker = quote.speaker.name if quote.speaker is not None else None
        status.predicted_cue = quote.cue.text if quote.cue is not None else None
        status.predicted_medium = quote.medium.text if quote.medium is not None else None
        status.predicted_addressee = quote.addressee.text if quote.addressee is not None else None
    every_gold = [set(words(str(q["content"]))) for q in page.quotes]
    for quote in article.quotes:
        if all(jaccard(piece, g) < MATCH_THRESHOLD for piece in _pieces(quote) for g in every_gold):
            report.unmatched.append(quote.content_text)
    return report


def _page_report(page: SeedGold, error: str | None = None) -> PageReport:
    """The page's report with each required quotation not (yet) found."""
    statuses = [
        QuoteStatus(
            id=str(item.get("id", j + 1)),
            content=str(item["content"]),
            speaker=item.get("speaker"),
            cue=item.get("cue"),
            medium=item.get("medium"),
            addressee=item.get("addressee"),
        )
        for j, item in enumerate(page.required)
    ]
    return PageReport(page.name, str(page.data.get("genre", "")), quotes=statuses, error=error)


def evaluate_quotes(
    path: str | Path, *, only: Sequence[str] | None = None, pipeline: Pipeline | None = None
) -> QuotesReport:
    """Run every annotated page of the folder (or those in ``only``) end to end and score it."""
    if pipeline is None:
        pipeline = Pipeline()
    reports: list[PageReport] = []
    for page in read_pages(path, only=only):
        try:
            article = pipeline.extract_document(read_document(page))
        except OnrecordError as e:
            reports.append(_page_report(page, error=str(e)))
            continue
        reports.append(score_page(page, article))
    return QuotesReport(reports)
