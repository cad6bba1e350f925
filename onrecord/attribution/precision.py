"""What looks like an attribution and is not one: the last step of the attribution stage.

Web pages (reviews, guides, explainers) talk to their reader; the cue patterns that find
attributions in news then find advice. An *instruction* is left out, in both modes, wherever it
stands outside quotation marks (inside, it is what someone said): a cue verb in the imperative,
with no subject, opening its sentence ("Read about how ...", "Pay attention to how they feel").

The reader addressed ("you'll want to step up to ...", "if you plan to record on location") is
kept: PolNeAR annotates it as an attribution (a belief or intention of the reader's), and
leaving it out (a source opening with "you", outside quotation marks) cost 0.04 points of
relation F1 on its dev split for 17 fewer unmatched predictions on the 16 web-quotes pages.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from onrecord.attribution.candidates import Candidate
from onrecord.attribution.quotes import find_quotes
from onrecord.nlp.text import doc_text

#: Words that may stand before an imperative in its sentence: "Also read ...", "So consider ...".
LEAD_WORDS = frozenset({"also", "so", "then", "now", "first", "finally", "next", "just", "and", "but", "or"})


def _imperative(doc: Doc, candidate: Candidate) -> bool:
    if candidate.source is not None or candidate.cue_token is None:
        return False
    verb: Token = doc[candidate.cue_token]
    if verb.tag_ != "VB" or any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in verb.children):
        return False
    if verb.dep_ not in ("ROOT", "conj"):
        return False
    before = [t for t in doc[verb.sent.start : verb.i] if not (t.is_punct or t.is_space)]
    return all(t.lower_ in LEAD_WORDS for t in before)


def keep_attributions(doc: Doc, candidates: list[Candidate]) -> list[Candidate]:
    """``candidates`` without the instructions (see the module docstring); a kept candidate
    that continued a dropped one continues nothing."""
    quotes = find_quotes(doc_text(doc))

    def quoted(candidate: Candidate) -> bool:
        start = candidate.source[0] if candidate.source is not None else candidate.start
        end = candidate.source[1] if candidate.source is not None else candidate.start
        return any(q.covers(start, end) for q in quotes)

    kept: list[Candidate] = []
    index: dict[int, int] = {}
    for i, candidate in enumerate(candidates):
        if _imperative(doc, candidate) and not quoted(candidate):
            continue
        index[i] = len(kept)
        kept.append(candidate)
    if len(kept) < len(candidates):
        for candidate in kept:
            if candidate.continues is not None:
                candidate.continues = index.get(candidate.continues)
    return kept
