"""Evaluation reports: plain records with ``to_dict()`` (JSON) and ``render()`` (text tables).

``PolnearReport.summary()`` is the flat ``{name: value}`` view the accuracy gate
(``tests/gate_floors.json``) reads.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from onrecord.evaluate.calibration import Reliability
from onrecord.evaluate.metrics import Ratio, Score

ROLES = ("source", "cue", "content")


def render_text(*items: Table | str, width: int = 100) -> str:
    """Rich tables and lines as plain text (no colour codes)."""
    console = Console(file=io.StringIO(), width=width, record=True, color_system=None, force_terminal=False)
    for item in items:
        console.print(item)
    return console.export_text()


def pct(value: float) -> str:
    return f"{100 * value:.1f}"


def _table(title: str, *columns: str, numeric: bool = True) -> Table:
    """A plain table; the columns after the first are right-aligned when ``numeric``."""
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
    for i, column in enumerate(columns):
        table.add_column(column, justify="right" if numeric and i > 0 else "left")
    return table


def _score_row(name: str, score: Score) -> list[str]:
    return [
        name,
        pct(score.precision),
        pct(score.recall),
        pct(score.f1),
        f"{score.correct_pred}/{score.pred}",
        f"{score.correct_gold}/{score.gold}",
    ]


def _ratio_cell(ratio: Ratio) -> str:
    return f"{pct(ratio.value)} ({ratio.hits}/{ratio.total})"


@dataclass(slots=True)
class RelationErrors:
    """Where the relation-level errors come from. A gold relation is *missed* when no prediction
    shares a content token with it, and a *boundary* error when one does but none matched it (token
    Jaccard below the threshold, or the overlapping prediction matched another relation); a
    prediction is *spurious* or a boundary error the same way. ``matched_exact`` counts the matched
    pairs whose content is also an exact match: an exact content needs a matched relation first."""

    matched: int = 0
    matched_exact: int = 0
    gold_missed: int = 0
    gold_boundary: int = 0
    pred_spurious: int = 0
    pred_boundary: int = 0

    def __add__(self, other: RelationErrors) -> RelationErrors:
        return RelationErrors(
            self.matched + other.matched,
            self.matched_exact + other.matched_exact,
            self.gold_missed + other.gold_missed,
            self.gold_boundary + other.gold_boundary,
            self.pred_spurious + other.pred_spurious,
            self.pred_boundary + other.pred_boundary,
        )

    def to_dict(self) -> dict[str, int]:
        return {
            "matched": self.matched,
            "matched_exact_content": self.matched_exact,
            "gold_missed": self.gold_missed,
            "gold_boundary": self.gold_boundary,
            "pred_spurious": self.pred_spurious,
            "pred_boundary": self.pred_boundary,
        }

    def table(self) -> Table:
        table = _table("Relation errors (content tokens)", "", "count")
        table.add_row("matched", str(self.matched))
        table.add_row("  with the exact content", str(self.matched_exact))
        table.add_row("gold missed (no prediction shares a token)", str(self.gold_missed))
        table.add_row("gold unmatched, a prediction overlaps (boundary)", str(self.gold_boundary))
        table.add_row("predicted, no gold shares a token (spurious)", str(self.pred_spurious))
        table.add_row("predicted unmatched, a gold overlaps (boundary)", str(self.pred_boundary))
        return table


@dataclass(slots=True)
class SpeakerReport:
    """Speaker, medium and addressee scores on the articles of ``dev_resolved.jsonl``.

    ``accuracy`` counts gold relations with a named gold speaker that a prediction matched;
    ``end_to_end`` counts every gold relation with a named speaker, unmatched ones as wrong.
    Medium and addressee are scored over matched relations only.
    """

    articles: int = 0
    relations: int = 0
    matched: int = 0
    accuracy: Ratio = field(default_factory=Ratio)
    by_kind: dict[str, Ratio] = field(default_factory=dict)
    end_to_end: Ratio = field(default_factory=Ratio)
    end_to_end_by_kind: dict[str, Ratio] = field(default_factory=dict)
    unnamed_no_speaker: Ratio = field(default_factory=Ratio)
    medium: Score = field(default_factory=Score)
    addressee: Score = field(default_factory=Score)
    #: Person speakers whose gold gender (``*_gender.jsonl``) is female or male: the entity of
    #: that name in the extracted article has it right, has it wrong, or is unknown/absent.
    gender_right: Ratio = field(default_factory=Ratio)
    gender_wrong: Ratio = field(default_factory=Ratio)
    #: Person speakers whose gold gender is unknown (the article does not show it) that get one.
    gender_given_unknown: Ratio = field(default_factory=Ratio)

    def to_dict(self) -> dict[str, Any]:
        return {
            "gender_right": self.gender_right.to_dict(),
            "gender_wrong": self.gender_wrong.to_dict(),
            "gender_given_where_gold_unknown": self.gender_given_unknown.to_dict(),
            "articles": self.articles,
            "relations": self.relations,
            "matched_relations": self.matched,
            "speaker_accuracy_matched": self.accuracy.to_dict(),
            "speaker_accuracy_matched_by_resolution": {
                k: v.to_dict() for k, v in sorted(self.by_kind.items())
            },
            "speaker_accuracy_end_to_end": self.end_to_end.to_dict(),
            "speaker_accuracy_end_to_end_by_resolution": {
                k: v.to_dict() for k, v in sorted(self.end_to_end_by_kind.items())
            },
            "unnamed_gold_no_named_speaker": self.unnamed_no_speaker.to_dict(),
            "medium": self.medium.to_dict(),
            "addressee": self.addressee.to_dict(),
        }

    def tables(self) -> list[Table | str]:
        speakers = _table(
            f"Speakers ({self.articles} resolved articles, {self.relations} relations, {self.matched} matched)",
            "gold resolution",
            "accuracy (matched)",
            "end-to-end (unmatched = wrong)",
        )
        for kind in sorted(set(self.by_kind) | set(self.end_to_end_by_kind)):
            speakers.add_row(
                kind,
                _ratio_cell(self.by_kind.get(kind, Ratio())),
                _ratio_cell(self.end_to_end_by_kind.get(kind, Ratio())),
            )
        speakers.add_row("all named", _ratio_cell(self.accuracy), _ratio_cell(self.end_to_end))
        fields = _table("Medium and addressee (matched relations)", "field", "P", "R", "F1", "P n", "R n")
        fields.add_row(*_score_row("medium", self.medium))
        fields.add_row(*_score_row("addressee", self.addressee))
        unnamed = (
            "Gold speaker null (unnamed or no source), no named speaker predicted either: "
            + _ratio_cell(self.unnamed_no_speaker)
        )
        gender = (
            f"Gender of person speakers whose article shows it ({self.gender_right.total}): right "
            f"{_ratio_cell(self.gender_right)}, wrong {_ratio_cell(self.gender_wrong)}, the rest unknown; "
            f"where the article does not show it, a gender given {_ratio_cell(self.gender_given_unknown)}"
        )
        found: list[Table | str] = [speakers, fields, unnamed]
        return [*found, gender] if self.gender_right.total else found


@dataclass(slots=True)
class PolnearReport:
    split: str
    articles: int
    gold_relations: int
    skipped_relations: int
    predicted_quotes: int
    exact: dict[str, Score]
    overlap: dict[str, Score]
    relation: Score
    recall_by_type: dict[str, Ratio]
    speakers: SpeakerReport | None = None
    reliability: Reliability | None = None
    outcomes: list[tuple[str, bool]] = field(default_factory=list)
    errors: RelationErrors = field(default_factory=RelationErrors)

    def summary(self) -> dict[str, float]:
        """Flat headline figures, the names ``tests/gate_floors.json`` uses."""
        found: dict[str, float] = {
            "relation_precision": self.relation.precision,
            "relation_recall": self.relation.recall,
            "relation_f1": self.relation.f1,
        }
        for kind, ratio in self.recall_by_type.items():
            found[f"{kind}_recall"] = ratio.value
        for role in ROLES:
            found[f"{role}_exact_f1"] = self.exact[role].f1
            found[f"{role}_overlap_f1"] = self.overlap[role].f1
        if self.speakers is not None:
            found["speaker_accuracy"] = self.speakers.accuracy.value
            for kind, ratio in self.speakers.by_kind.items():
                found[f"speaker_accuracy_{kind}"] = ratio.value
            found["speaker_accuracy_end_to_end"] = self.speakers.end_to_end.value
            found["medium_f1"] = self.speakers.medium.f1
            if self.speakers.gender_right.total:
                found["gender_right"] = self.speakers.gender_right.value
                found["gender_wrong"] = self.speakers.gender_wrong.value
            found["addressee_f1"] = self.speakers.addressee.f1
        if self.reliability is not None:
            found["confidence_ece"] = self.reliability.ece
        return {k: round(v, 4) for k, v in found.items()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "corpus": "polnear",
            "split": self.split,
            "articles": self.articles,
            "gold_relations": self.gold_relations,
            "skipped_relations": self.skipped_relations,
            "predicted_quotes": self.predicted_quotes,
            "summary": self.summary(),
            "roles": {
                role: {"exact": self.exact[role].to_dict(), "overlap": self.overlap[role].to_dict()}
                for role in ROLES
            },
            "relations": self.relation.to_dict(),
            "recall_by_type": {k: v.to_dict() for k, v in self.recall_by_type.items()},
            "relation_errors": self.errors.to_dict(),
            "speakers": self.speakers.to_dict() if self.speakers is not None else None,
            "confidence": self.reliability.to_dict() if self.reliability is not None else None,
        }

    def render(self) -> str:
        head = (
            f"PolNeAR {self.split}: {self.articles} articles, {self.gold_relations} gold relations "
            f"({self.skipped_relations} without content skipped), {self.predicted_quotes} predicted quotes"
        )
        roles = _table("Roles (exact match / token overlap)", "role", "P", "R", "F1", "P n", "R n")
        for role in ROLES:
            roles.add_row(*_score_row(f"{role} exact", self.exact[role]))
            roles.add_row(*_score_row(f"{role} overlap", self.overlap[role]))
        relations = _table(
            "Relations (one-to-one, content token Jaccard >= 0.5)", "", "P", "R", "F1", "P n", "R n"
        )
        relations.add_row(*_score_row("relations", self.relation))
        types = _table("Recall by gold quote type", "type", "recall")
        for kind, ratio in self.recall_by_type.items():
            types.add_row(kind, _ratio_cell(ratio))
        items: list[Table | str] = [head, roles, relations, self.errors.table(), types]
        if self.speakers is not None:
            items += self.speakers.tables()
        if self.reliability is not None:
            items.append(_reliability_table(self.reliability))
        return render_text(*items)


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
            table = _table(
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


def _reliability_table(reliability: Reliability) -> Table:
    table = _table(
        f"Confidence (right = matched, source overlapping the gold): ECE {reliability.ece:.3f}",
        "confidence",
        "quotes",
        "mean conf.",
        "accuracy",
    )
    for b in reliability.bins:
        if b.count:
            table.add_row(
                f"{b.low:.1f}-{b.high:.1f}", str(b.count), f"{b.confidence:.2f}", f"{b.accuracy:.2f}"
            )
    return table
