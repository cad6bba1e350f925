"""Attribution: pure functions from a parsed ``Doc`` to attribution candidates (content, cue, source)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from spacy.tokens import Doc

from onrecord.attribution.candidates import Candidate
from onrecord.attribution.precision import keep_attributions
from onrecord.attribution.rules import attribute


class Tagger(Protocol):
    def attribute(self, doc: Doc, candidates: Sequence[Candidate]) -> list[Candidate]: ...


def candidates(doc: Doc, tagger: Tagger | None = None) -> list[Candidate]:
    """The attributions of one parsed doc: the rules' candidates, redrawn by the learned
    ``tagger`` where there is one (accurate mode), without what is not an attribution
    (``precision``)."""
    found = attribute(doc)
    if tagger is not None:
        found = tagger.attribute(doc, found)
    return keep_attributions(doc, found)


__all__ = ["Candidate", "Tagger", "attribute", "candidates"]
