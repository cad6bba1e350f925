"""Dashed bylines (``dash_candidates``): '“...” ― Name, place' after a quotation, on its line
or the next, as readers' letters, vox pops and quote blocks set them."""

from __future__ import annotations

from onrecord.attribution.candidates import Candidate
from onrecord.attribution.context import Context

DASHES = ("―", "—", "–")


def dash_candidates(ctx: Context) -> list[Candidate]:
    """'“...” ― Name, place' at the end of a paragraph (readers' and vox-pop quotes), or with the
    dashed name on the line after the quotation (a quote block and its byline, as web pages
    set them); a spaced hyphen (" - Name") serves as the dash."""
    found: list[Candidate] = []
    for q in ctx.quotes:
        if not q.closed:
            continue
        index = ctx.paragraph_index(q.start)
        _, hi = ctx.paragraph_of(q.start)
        tail = ctx.text[q.end : hi]
        if not tail.strip() and 0 <= index < len(ctx.paragraphs) - 1:
            # the byline's own line: the next one, a dash and a few words
            lo, next_hi = ctx.paragraphs[index + 1]
            if ctx.text[lo : lo + 1] in (*DASHES, "-") and len(ctx.text[lo:next_hi].split()) <= 12:
                tail, hi = ctx.text[q.end : next_hi], next_hi
        stripped = tail.lstrip()
        own_line = "\n" in tail
        if not (stripped[:1] in DASHES or stripped[:2] == "- " or (own_line and stripped[:1] == "-")):
            continue  # a bare hyphen on the byline's own line: "-Ana Ortiz, Leeds."
        dash = q.end + len(tail) - len(stripped)
        name_start = dash + 1
        while name_start < hi and ctx.text[name_start].isspace():
            name_start += 1
        name_end = name_start
        while name_end < hi and ctx.text[name_end] not in ",(;":
            name_end += 1
        name = ctx.text[name_start:name_end].strip()
        if not name or not name[0].isupper() or len(name.split()) > 5:
            continue
        name_end = name_start + len(name)
        head = ctx.doc.char_span(name_start, name_end, alignment_mode="expand")
        found.append(
            ctx.candidate(
                (q.start, q.end),
                cue=(dash, dash + 1),
                source=(name_start, name_end),
                source_token=head.root.i if head is not None and len(head) else None,
                rule="dash",
                confidence=0.8,
            )
        )
    return found
