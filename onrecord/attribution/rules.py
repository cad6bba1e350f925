"""Rule-based attribution on spaCy's dependency parse: ``attribute`` runs the strategies below,
pure functions of a doc's ``Context``, in this order.

The finders (``FINDERS``) each read the parse on their own; their candidates, in this order, are
merged into one per content span (the more confident kept, the earlier on a tie):

1. ``cue`` (``verbs.cue_candidates``): a cue verb with its clausal complement, the quotation
   it introduces or closes, the sentence around it as a parenthetical, or its object; the
   source is the verb's subject.
2. ``according`` (``according.according_candidates``): "according to X, Y", "Per X, Y".
3. ``as`` (``according.as_candidates``): "Y, as X reported", "as reported by X, Y".
4. ``transcript`` (``transcripts.transcript_candidates``): a paragraph opening with a
   speaker's name and a colon.
5. ``dash`` (``dashes.dash_candidates``): a quotation with a dashed byline ('“...” ― Name').
6. ``noun`` (``nouns.noun_candidates``): a noun cue with an owner ("Trump's claim that X").
7. ``that_clause`` (``verbs.that_clause_candidates``): any other verb with a that-clause and
   a person or organisation as subject.

The followers (``FOLLOWERS``) then run in this order, each on the candidates found so far
(those of the followers before it included), and add theirs:

8. ``label`` (``labels.labelled_quotes``): a quotation under a label that names a person.
9. ``leftover`` (``leftovers.leftover_quotes``): a quotation with no cue joins the statement
   of a cue next to it (extending that candidate's content) or continues the speaker of the
   quotation before it.
10. ``orphan`` (``leftovers.orphan_quotes``): any whole-sentence quotation still unattributed,
    with no speaker, at low confidence.

The result is sorted into text order, with each continuation's index remapped.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc

from onrecord.attribution.according import according_candidates, as_candidates
from onrecord.attribution.candidates import Candidate, CharSpan
from onrecord.attribution.context import Context
from onrecord.attribution.dashes import dash_candidates
from onrecord.attribution.labels import labelled_quotes
from onrecord.attribution.leftovers import leftover_quotes, orphan_quotes
from onrecord.attribution.nouns import noun_candidates
from onrecord.attribution.transcripts import transcript_candidates
from onrecord.attribution.verbs import cue_candidates, that_clause_candidates

Finder = Callable[[Context], list[Candidate]]
Follower = Callable[[Context, list[Candidate]], list[Candidate]]

#: The rules that read the parse on their own, in the order their candidates are merged.
FINDERS: tuple[tuple[str, Finder], ...] = (
    ("cue", cue_candidates),
    ("according", according_candidates),
    ("as", as_candidates),
    ("transcript", transcript_candidates),
    ("dash", dash_candidates),
    ("noun", noun_candidates),
    ("that_clause", that_clause_candidates),
)
#: The rules that run on what was found before them, in order.
FOLLOWERS: tuple[tuple[str, Follower], ...] = (
    ("label", labelled_quotes),
    ("leftover", leftover_quotes),
    ("orphan", orphan_quotes),
)


def _dedupe(candidates: list[Candidate]) -> list[Candidate]:
    """Keep one candidate per content span, preferring the more confident."""
    best: dict[CharSpan, Candidate] = {}
    for candidate in candidates:
        key = (candidate.start, candidate.end)
        if key not in best or candidate.confidence > best[key].confidence:
            best[key] = candidate
    return sorted(best.values(), key=lambda c: (c.start, c.end))


def attribute(doc: Doc) -> list[Candidate]:
    """Every attribution candidate in the doc, in text order: the ``FINDERS``' candidates, one
    per content span, then each of the ``FOLLOWERS``' in turn (see the module docstring)."""
    ctx = Context(doc)
    found = _dedupe([candidate for _, finder in FINDERS for candidate in finder(ctx)])
    for _, follower in FOLLOWERS:
        found = found + follower(ctx, found)
    ordered = sorted(range(len(found)), key=lambda i: (found[i].start, found[i].end))
    remap = {old: new for new, old in enumerate(ordered)}
    result = [found[i] for i in ordered]
    for candidate in result:
        if candidate.continues is not None:
            candidate.continues = remap[candidate.continues]
    return result


__all__ = ["FINDERS", "FOLLOWERS", "attribute"]
