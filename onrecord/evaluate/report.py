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


def new_table(title: str, *columns: str, numeric: bool = True) -> Table:
    """A plain table; the columns after the first are right-aligned when ``numeric``."""
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
    for i, column in enumerate(columns):
        table.add_column(column, justify="right" if numeric and i > 0 else "left")
    return table


def score_row(name: str, score: Score) -> list[str]:
    return [
        name,
        pct(score.precision),
        pct(score.recall),
        pct(score.f1),
        f"{score.correct_pred}/{score.pred}",
        f"{score.correct_gold}/{score.gold}",
    ]


def ratio_cell(ratio: Ratio) -> str:
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
        table = new_table("Relation errors (content tokens)", "", "count")
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
        speakers = new_table(
            f"Speakers ({self.articles} resolved articles, {self.relations} relations, {self.matched} matched)",
            "gold resolution",
            "accuracy (matched)",
            "end-to-end (unmatched = wrong)",
        )
        for kind in sorted(set(self.by_kind) | set(self.end_to_end_by_kind)):
            speakers.add_row(
                kind,
                ratio_cell(self.by_kind.get(kind, Ratio())),
                ratio_cell(self.end_to_end_by_kind.get(kind, Ratio())),
            )
        speakers.add_row("all named", ratio_cell(self.accuracy), ratio_cell(self.end_to_end))
        fields = new_table("Medium and addressee (matched relations)", "field", "P", "R", "F1", "P n", "R n")
        fields.add_row(*score_row("medium", self.medium))
        fields.add_row(*score_row("addressee", self.addressee))
        unnamed = (
            "Gold speaker null (unnamed or no source), no named speaker predicted either: "
            + ratio_cell(self.unnamed_no_speaker)
        )
        gender = (
            f"Gender of person speakers whose article shows it ({self.gender_right.total}): right "
            f"{ratio_cell(self.gender_right)}, wrong {ratio_cell(self.gender_wrong)}, the rest unknown; "
            f"where the article does not show it, a gender given {ratio_cell(self.gender_given_unknown)}"
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
        roles = new_table("Roles (exact match / token overlap)", "role", "P", "R", "F1", "P n", "R n")
        for role in ROLES:
            roles.add_row(*score_row(f"{role} exact", self.exact[role]))
            roles.add_row(*score_row(f"{role} overlap", self.overlap[role]))
        relations = new_table(
            "Relations (one-to-one, content token Jaccard >= 0.5)", "", "P", "R", "F1", "P n", "R n"
        )
        relations.add_row(*score_row("relations", self.relation))
        types = new_table("Recall by gold quote type", "type", "recall")
        for kind, ratio in self.recall_by_type.items():
            types.add_row(kind, ratio_cell(ratio))
        items: list[Table | str] = [head, roles, relations, self.errors.table(), types]
        if self.speakers is not None:
            items += self.speakers.tables()
        if self.reliability is not None:
            items.append(_reliability_table(self.reliability))
        return render_text(*items)


def _reliability_table(reliability: Reliability) -> Table:
    table = new_table(
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
