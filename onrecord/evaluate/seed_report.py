"""The seed article's report: each required quotation found or not, with its speaker, medium
and addressee, and the article's metadata and clutter."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.table import Table

from onrecord.evaluate.metrics import Ratio
from onrecord.evaluate.report import new_table, render_text


@dataclass(slots=True)
class SeedQuoteStatus:
    """One required gold quotation of a seed article and what the pipeline did with it."""

    id: str
    speaker: str | None
    content: str
    found: bool = False
    predicted_speaker: str | None = None
    speaker_right: bool = False
    medium: str | None = None
    predicted_medium: str | None = None
    medium_right: bool = False
    addressee: str | None = None
    predicted_addressee: str | None = None
    addressee_right: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "speaker": self.speaker,
            "content": self.content,
            "found": self.found,
            "predicted_speaker": self.predicted_speaker,
            "speaker_right": self.speaker_right,
            "medium": self.medium,
            "predicted_medium": self.predicted_medium,
            "medium_right": self.medium_right if self.medium else None,
            "addressee": self.addressee,
            "predicted_addressee": self.predicted_addressee,
            "addressee_right": self.addressee_right if self.addressee else None,
        }


@dataclass(slots=True)
class SeedArticleReport:
    name: str
    quotes: list[SeedQuoteStatus]
    spurious: list[str]
    clutter_left: list[str]
    title: str | None
    predicted_title: str | None
    published: str | None
    predicted_published: str | None
    title_right: bool
    published_right: bool
    bad_spans: int
    relations_found: list[str] = field(default_factory=list)
    relations_missing: list[str] = field(default_factory=list)
    relations_extra: list[str] = field(default_factory=list)
    stances_right: list[str] = field(default_factory=list)
    stances_wrong: list[str] = field(default_factory=list)

    @property
    def found(self) -> int:
        return sum(q.found for q in self.quotes)

    @property
    def speakers_right(self) -> int:
        return sum(q.speaker_right for q in self.quotes)

    @property
    def medium(self) -> Ratio:
        with_medium = [q for q in self.quotes if q.medium]
        return Ratio(sum(q.medium_right for q in with_medium), len(with_medium))

    @property
    def addressee(self) -> Ratio:
        with_addressee = [q for q in self.quotes if q.addressee]
        return Ratio(sum(q.addressee_right for q in with_addressee), len(with_addressee))

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "required": len(self.quotes),
            "found": self.found,
            "speakers_right": self.speakers_right,
            "medium": self.medium.to_dict(),
            "addressee": self.addressee.to_dict(),
            "spurious": list(self.spurious),
            "clutter_left": list(self.clutter_left),
            "title": {"gold": self.title, "predicted": self.predicted_title, "right": self.title_right},
            "published": {
                "gold": self.published,
                "predicted": self.predicted_published,
                "right": self.published_right,
            },
            "bad_spans": self.bad_spans,
            "quotes": [q.to_dict() for q in self.quotes],
            "relations": {
                "found": list(self.relations_found),
                "missing": list(self.relations_missing),
                "extra": list(self.relations_extra),
            },
            "stances": {"right": list(self.stances_right), "wrong": list(self.stances_wrong)},
        }


def _mark(ok: bool) -> str:
    return "ok" if ok else "NO"


def _short(text: str | None, limit: int = 40) -> str:
    if not text:
        return "-"
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(slots=True)
class SeedReport:
    """Acceptance on the hand-annotated seed articles (``../shared/data/seed``)."""

    articles: list[SeedArticleReport]

    @property
    def required(self) -> int:
        return sum(len(a.quotes) for a in self.articles)

    @property
    def found(self) -> int:
        return sum(a.found for a in self.articles)

    @property
    def speakers_right(self) -> int:
        return sum(a.speakers_right for a in self.articles)

    @property
    def medium(self) -> Ratio:
        return sum((a.medium for a in self.articles), Ratio())

    @property
    def addressee(self) -> Ratio:
        return sum((a.addressee for a in self.articles), Ratio())

    @property
    def spurious(self) -> int:
        return sum(len(a.spurious) for a in self.articles)

    @property
    def clutter_left(self) -> int:
        return sum(len(a.clutter_left) for a in self.articles)

    @property
    def metadata_right(self) -> bool:
        return all(a.title_right and a.published_right for a in self.articles)

    @property
    def offsets_exact(self) -> bool:
        return all(a.bad_spans == 0 for a in self.articles)

    def summary(self) -> dict[str, Any]:
        return {
            "required": self.required,
            "found": self.found,
            "speakers_right": self.speakers_right,
            "medium_right": self.medium.hits,
            "medium_total": self.medium.total,
            "addressee_right": self.addressee.hits,
            "addressee_total": self.addressee.total,
            "spurious": self.spurious,
            "clutter_left": self.clutter_left,
            "title_right": all(a.title_right for a in self.articles),
            "published_right": all(a.published_right for a in self.articles),
            "offsets_exact": self.offsets_exact,
            "relations_found": sum(len(a.relations_found) for a in self.articles),
            "relations_total": sum(len(a.relations_found) + len(a.relations_missing) for a in self.articles),
            "relations_extra": sum(len(a.relations_extra) for a in self.articles),
            "stances_right": sum(len(a.stances_right) for a in self.articles),
            "stances_total": sum(len(a.stances_right) + len(a.stances_wrong) for a in self.articles),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "corpus": "seed",
            "summary": self.summary(),
            "articles": [a.to_dict() for a in self.articles],
        }

    def render(self) -> str:
        items: list[Table | str] = []
        for article in self.articles:
            table = new_table(
                f"{article.name}: required quotes",
                "id",
                "gold speaker",
                "found",
                "speaker",
                "medium",
                "addressee",
                numeric=False,
            )
            for q in article.quotes:
                table.add_row(
                    q.id,
                    q.speaker or "-",
                    _mark(q.found),
                    f"{_mark(q.speaker_right)} {_short(q.predicted_speaker, 24)}" if q.found else "-",
                    f"{_mark(q.medium_right)} {_short(q.predicted_medium, 24)}" if q.medium else "-",
                    f"{_mark(q.addressee_right)} {_short(q.predicted_addressee, 24)}" if q.addressee else "-",
                )
            items.append(table)
            items.append(
                f"title {_mark(article.title_right)} ({article.predicted_title!r}), "
                f"published {_mark(article.published_right)} ({article.predicted_published!r}), "
                f"clutter lines left {len(article.clutter_left)}, spurious quotes {len(article.spurious)}, "
                f"bad spans {article.bad_spans}"
            )
            if (
                article.relations_found
                or article.relations_missing
                or article.stances_right
                or article.stances_wrong
            ):
                items.append(
                    f"relations {len(article.relations_found)}/{len(article.relations_found) + len(article.relations_missing)}"
                    f" found, {len(article.relations_extra)} extra; stance holders on the right side "
                    f"{len(article.stances_right)}/{len(article.stances_right) + len(article.stances_wrong)}"
                )
                for label, values in (
                    ("missing relation", article.relations_missing),
                    ("extra relation", article.relations_extra),
                    ("wrong stance", article.stances_wrong),
                ):
                    items.extend(f"  {label}: {value}" for value in values)
            for content in article.spurious:
                items.append(f"  spurious: {_short(content, 90)}")
            for line in article.clutter_left:
                items.append(f"  clutter left: {_short(line, 90)}")
        items.append(
            f"Seed: {self.found}/{self.required} required quotes found, {self.speakers_right} right speakers, "
            f"medium {self.medium.hits}/{self.medium.total}, addressee {self.addressee.hits}/{self.addressee.total}, "
            f"{self.spurious} spurious, {self.clutter_left} clutter lines left, "
            f"metadata {_mark(self.metadata_right)}, offsets {_mark(self.offsets_exact)}"
        )
        return render_text(*items, width=110)
