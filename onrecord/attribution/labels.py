"""Labelled quotations (``labelled_quotes``): a quotation under a label that names a person
("Tested by Ana Ortiz", "Ana Ortiz, editor:"), as reviews and roundups set them; it runs after
the parse rules and skips quotations they attributed."""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan

from onrecord.attribution.candidates import Candidate
from onrecord.attribution.context import Context

#: First words of a caption or a page's furniture, never a speaker's label ("Photo: Ana Ortiz").
FURNITURE_WORDS = frozenset(
    """photo photograph image picture credit credits courtesy follow source via getty illustration
    video watch read related sponsored advertisement listen share""".split()
)
LABEL_WORDS = 10  # the most words a speaker's label takes
SENTENCE_ENDS = tuple(".?!\"”’'")


def labelled_quotes(ctx: Context, found: list[Candidate]) -> list[Candidate]:
    """A quotation under a label that names a person, with no cue verb: on the line before it
    ("Tested by Ana Ortiz", "Ana Ortiz, Associate Editor:") or before it on its line, ended by a
    colon or a dash ("Review from Ana Ortiz, editor: “...”"), as reviews and roundups set their
    testers' words. A label is short, no sentence, and no caption ("Photo: ...")."""
    extra: list[Candidate] = []
    for q in ctx.quotes:
        if q.single or not q.closed or q.inner_end - q.inner_start < 15:
            continue
        if any(c.start < q.inner_end and q.inner_start < c.end for c in found):
            continue
        index = ctx.paragraph_index(q.start)
        if index < 0:
            continue
        lo, _ = ctx.paragraphs[index]
        prefix = ctx.text[lo : q.start].rstrip()
        if prefix:
            if prefix[-1] not in ":—–-":
                continue
            label = (lo, lo + len(prefix) - 1)
        elif index > 0:
            label = ctx.paragraphs[index - 1]
            if ctx.text[label[1] - 1] in SENTENCE_ENDS:
                continue
        else:
            continue
        words = ctx.text[label[0] : label[1]].split()
        if not 1 <= len(words) <= LABEL_WORDS or words[0].lower().strip(":") in FURNITURE_WORDS:
            continue
        span = ctx.doc.char_span(label[0], label[1], alignment_mode="contract")
        person = _label_name(span) if span is not None else None
        if person is None:
            continue
        extra.append(
            ctx.candidate(
                (q.start, q.end),
                cue=None,
                source=(person.start_char, person.end_char),
                source_token=person[-1].i,
                rule="label",
                confidence=0.6,
            )
        )
    return extra


def _label_name(label: SpacySpan) -> SpacySpan | None:
    """The person a label names: one the tagger found in it, else a name of two or three
    capitalised proper nouns that the label marks as a byline: after "by" or "from", or set off
    by a comma, a colon or a dash ("Reviewed by: Ana Ortiz", "Ana Ortiz, Associate Editor:"),
    not a bare heading ("Green Basket")."""
    person = next((e for e in label.ents if e.label_ == "PERSON"), None)
    if person is not None:
        return person
    doc = label.doc
    i = label.start
    while i < label.end:
        if doc[i].pos_ != "PROPN" or not doc[i].is_title:
            i += 1
            continue
        j = i
        while j < label.end and doc[j].pos_ == "PROPN" and doc[j].is_title:
            j += 1
        k = i - 1
        while k >= label.start and doc[k].text == ":":
            k -= 1  # "Reviewed by: Ana Ortiz"
        before = doc[k].lower_ if k >= label.start else ""
        after = doc[j].text if j < len(doc) else ""
        if 2 <= j - i <= 3 and (before in ("by", "from") or after[:1] in (",", ":", "—", "–", "-")):
            return doc[i:j]
        i = j
    return None
