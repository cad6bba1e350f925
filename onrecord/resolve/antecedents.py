"""A learned antecedent ranker for pronoun sources ("he said", "they wrote").

A pronoun's candidates are the article's entities of a compatible kind and gender named within
``WINDOW`` characters before it. Each candidate is described by the evidence below (``FEATURES``),
read from the mentions the resolver has seen so far (named mentions with their grammatical role,
and the speakers of earlier quotations), and scored with a linear model; the best score wins.
The weights are a conditional logit (softmax over one pronoun's candidates) fitted on the
PolNeAR train articles of ``resolved/train_resolved.jsonl`` by ``scripts/fit_antecedents.py``,
and ship as ``antecedents.json`` beside this module. Without that file the resolver falls back
to its hand-set salience score.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("antecedents.json")
WINDOW = 1500  # characters a pronoun may reach back

#: The evidence for one candidate entity of one pronoun, in the model's order.
FEATURES = (
    "sentences_back",  # sentences between the pronoun and the entity's latest mention (capped at 8)
    "same_sentence",  # the latest mention is in the pronoun's sentence
    "chars_back",  # characters back to the latest mention, in thousands
    "latest_is_subject",  # the latest mention is a clause subject outside reported speech
    "latest_is_speaker",  # the latest mention is an earlier quotation's source
    "last_speaker",  # the entity is the speaker of the latest quotation before the pronoun
    "last_subject",  # the entity is the latest subject mention before the pronoun
    "nearest",  # the entity has the latest mention of all candidates
    "mentions",  # log(1 + mentions of the entity before the pronoun, in the whole article)
    "speaker_turns",  # log(1 + times the entity was a source before the pronoun)
    "subject_mentions",  # log(1 + subject mentions before the pronoun)
    "first_in_lead",  # the entity is first named in the article's first three sentences
    "gender_known",  # the entity's gender is known (and, being a candidate, agrees)
    "full_name",  # the entity has a name of two words or more
    "candidates",  # log(number of candidates): lets the rest weigh less when there are many
)


@dataclass(frozen=True, slots=True)
class Seen:
    """One mention of an entity the resolver has seen: where, whose, and in which role."""

    offset: int
    sentence: int
    cluster: int
    subject: bool
    speaker: bool


@dataclass(frozen=True, slots=True)
class Entity:
    """What the ranker needs to know of a candidate entity itself."""

    gender_known: bool
    full_name: bool


def candidate_features(
    offset: int,
    sentence: int,
    history: Sequence[Seen],
    entities: dict[int, Entity],
) -> tuple[list[int], list[list[float]]]:
    """The candidates (entity indices, in first-seen order) and one feature row each.

    A candidate is an entity of ``entities`` with a mention before ``offset`` and within
    ``WINDOW`` characters of it.
    """
    before = [m for m in history if m.offset < offset]
    latest: dict[int, Seen] = {}
    counts: dict[int, list[int]] = {}
    first: dict[int, int] = {}
    for seen in sorted(before, key=lambda m: m.offset):
        if seen.cluster not in entities:
            continue
        first.setdefault(seen.cluster, seen.sentence)
        tally = counts.setdefault(seen.cluster, [0, 0, 0])
        tally[0] += 1
        tally[1] += seen.speaker
        tally[2] += seen.subject
        latest[seen.cluster] = seen
    candidates = [c for c, m in latest.items() if offset - m.offset <= WINDOW]
    if not candidates:
        return [], []
    speakers = [m for m in before if m.speaker and m.cluster in entities]
    last_speaker = max(speakers, key=lambda m: m.offset).cluster if speakers else None
    subjects = [m for m in before if m.subject and not m.speaker and m.cluster in entities]
    last_subject = max(subjects, key=lambda m: m.offset).cluster if subjects else None
    nearest = max(candidates, key=lambda c: latest[c].offset)
    rows: list[list[float]] = []
    for cluster in candidates:
        seen = latest[cluster]
        mentions, turns, subject_mentions = counts[cluster]
        back = sentence - seen.sentence
        rows.append(
            [
                float(min(back, 8)),
                float(back == 0),
                (offset - seen.offset) / 1000,
                float(seen.subject and not seen.speaker),
                float(seen.speaker),
                float(cluster == last_speaker),
                float(cluster == last_subject),
                float(cluster == nearest),
                math.log1p(mentions),
                math.log1p(turns),
                math.log1p(subject_mentions),
                float(first[cluster] < 3),
                float(entities[cluster].gender_known),
                float(entities[cluster].full_name),
                math.log(len(candidates)),
            ]
        )
    return candidates, rows


@dataclass(frozen=True, slots=True)
class Ranker:
    """A linear score over ``FEATURES``."""

    weights: tuple[float, ...]

    def best(self, candidates: Sequence[int], rows: Sequence[Sequence[float]]) -> int | None:
        """The candidate with the highest score (the earlier one on a tie), or None."""
        best: tuple[float, int] | None = None
        for cluster, row in zip(candidates, rows, strict=True):
            score = sum(w * x for w, x in zip(self.weights, row, strict=True))
            if best is None or score > best[0]:
                best = (score, cluster)
        return best[1] if best is not None else None


def read_ranker(path: Path) -> Ranker | None:
    """The ranker stored at ``path``; None when the file is absent or holds other features."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data.get("features", ())) != FEATURES:
        return None
    return Ranker(tuple(float(w) for w in data["weights"]))


@lru_cache(maxsize=1)
def shipped_ranker() -> Ranker | None:
    """The ranker that ships with onrecord (``antecedents.json``), if any."""
    return read_ranker(MODEL_PATH)
