"""People the entity tagger missed that a pronoun names: "The vote was close. Okafor left
early. She said ..." (``named_by_a_pronoun``)."""

from __future__ import annotations

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from onrecord.lexicon import PERSON_LABELS, TITLES
from onrecord.resolve.mentions import NOT_PEOPLE, ORGANISATION_WORDS
from onrecord.resolve.name_extent import HYPHENS

#: Tokens after a short name in which a pronoun may name it a person (``named_by_a_pronoun``).
PRONOUN_WINDOW = 40


def named_by_a_pronoun(doc: Doc, ents: list[SpacySpan]) -> list[SpacySpan]:
    """'The vote was close. Okafor left early. She said ...': a short name (``_short_name``)
    that is a clause's subject, tagged an organisation or a group or not tagged at all, is a
    person's when the next "he" or "she" after it, before anyone else is named, is a subject,
    and the article names no person before that pronoun. ``ents`` with such names made persons
    and the untagged ones added."""
    first_person = min((e.start for e in ents if e.label_ in PERSON_LABELS), default=len(doc))
    tagged = {i for e in ents for i in range(e.start, e.end)}
    spans = [e for e in ents if e.label_ in ("ORG", "NORP")]
    for token in doc:
        if token.pos_ == "PROPN" and token.i not in tagged and token.dep_ in ("nsubj", "nsubjpass"):
            start = token.i
            while (
                start > 0
                and start > token.i - 2
                and doc[start - 1].pos_ == "PROPN"
                and doc[start - 1].dep_ == "compound"
                and doc[start - 1].i not in tagged
            ):
                start -= 1  # "Tashfeen Malik passed ...", neither word tagged
            spans.append(SpacySpan(doc, start, token.i + 1, label=""))
    found: dict[int, SpacySpan] = {}
    for span in spans:
        if span.start >= first_person or not _short_name(span):
            continue
        pronoun = _next_subject_pronoun(doc, span, tagged)
        if pronoun is not None and pronoun.i < first_person:
            found[span.start] = SpacySpan(doc, span.start, span.end, label="PERSON")
    if not found:
        return ents
    kept = [found.pop(e.start) if e.start in found else e for e in ents]
    return kept + list(found.values())


def _short_name(span: SpacySpan) -> bool:
    """One or two capitalised words ("Okafor", "Okonkwo-Baptiste", "Tashfeen Malik"), a
    singular subject, no longer name around them, no organisation or role word."""
    words = [t for t in span if t.text not in HYPHENS]
    return (1 <= len(span.text.split()) <= 2 and len(words) <= 3) and (
        span.root.dep_ in ("nsubj", "nsubjpass")
        and span.root.pos_ == "PROPN"
        and span.root.head.tag_ not in ("VBP", "VB")  # "Special Operations fill": not one person
        and not any(t.pos_ == "PROPN" or (t.is_title and not t.is_sent_start) for t in _neighbours(span))
        and all(t.is_title and t.is_alpha for t in words)
        and span.text.lower() not in NOT_PEOPLE
        and not any(t.lower_ in ORGANISATION_WORDS | TITLES for t in words)
    )


def _neighbours(span: SpacySpan) -> list[Token]:
    doc = span.doc
    return [doc[i] for i in (span.start - 1, span.end) if 0 <= i < len(doc) and not doc[i].is_punct]


def _next_subject_pronoun(doc: Doc, span: SpacySpan, tagged: set[int]) -> Token | None:
    for token in doc[span.end : min(len(doc), span.end + PRONOUN_WINDOW)]:
        if token.i in tagged:
            return None  # someone else named first
        if token.lower_ in ("he", "she"):
            return token if token.dep_ in ("nsubj", "nsubjpass") else None
    return None
