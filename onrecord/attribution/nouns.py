"""Noun cues with an owner (``noun_candidates``): "Trump's claim that X", "her support for X",
"his plan to X"."""

from __future__ import annotations

from spacy.symbols import NOUN
from spacy.tokens import Token

from onrecord.attribution.candidates import Candidate
from onrecord.attribution.context import Context, content_from_tokens, source_span
from onrecord.lexicon import NOUN_CUE_PREPS, NOUN_CUES


def noun_candidates(ctx: Context) -> list[Candidate]:
    """Noun cues with an owner: "Trump's claim that X", "her support for X", "his plan to X"."""
    found: list[Candidate] = []
    for noun in ctx.tokens_of(NOUN):
        if noun.lemma_.lower() not in NOUN_CUES:
            continue
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if owner is None:
            continue
        tokens: list[Token] = []
        for child in noun.children:
            if child.i < noun.i:
                continue
            if (
                child.dep_ in ("acl", "ccomp", "relcl")
                and any(g.lower_ == "that" and g.dep_ == "mark" for g in child.children)
            ) or (child.dep_ == "acl" and child.tag_ == "VB"):
                tokens = list(child.subtree)
            elif child.dep_ == "prep" and child.lower_ in NOUN_CUE_PREPS:
                tokens = list(child.subtree)[1:]
            if tokens:
                break
        if not tokens:
            continue
        content = content_from_tokens(ctx, tokens)
        if content is None:
            continue
        found.append(
            ctx.candidate(
                content,
                cue=(noun.idx, noun.idx + len(noun.text)),
                source=source_span(owner),
                cue_token=noun.i,
                source_token=owner.i,
                rule="noun",
                confidence=0.4,
            )
        )
    return found
