"""Quotations the other rules left over.

**Leftovers** (``leftover_quotes``): a quotation with no cue of its own joins the statement of a
cue that follows it ('“A,” she said, “B.”') or precedes it in its paragraph ('“A,” he said.
“B.”'), or, as a paragraph that is all quotation, continues the speaker of the quotation before
it. **Orphans** (``orphan_quotes``): any whole-sentence quotation still unattributed is kept
with no speaker, at low confidence.
"""

from __future__ import annotations

from spacy.tokens import Token

from onrecord.attribution.candidates import Candidate
from onrecord.attribution.context import Context
from onrecord.attribution.quotes import QuoteMarks


def leftover_quotes(ctx: Context, found: list[Candidate]) -> list[Candidate]:
    """Quotation paragraphs with no cue: they keep the previous quotation's speaker."""
    extra: list[Candidate] = []
    ordered = sorted(found, key=lambda c: c.start)
    for q in ctx.quotes:
        if q.single or q.inner_end - q.inner_start < 15:
            continue
        if any(c.start <= q.inner_start and q.inner_end <= c.end for c in found + extra):
            continue
        if any(
            q.start <= c.start and c.end <= q.end and c.end - c.start >= 0.8 * (q.inner_end - q.inner_start)
            for c in found
        ):
            continue  # '"OKAFOR: Well, ...': a transcript turn inside the marks is attributed already
        following = _introduced_after(ctx, q, ordered)
        if following is not None:
            # '“A,” she said, “B.”' where the parse gave the cue only B: A is the same statement
            following.content.insert(0, (q.start, q.end))
            following.quoted_chars += ctx.quoted_chars(q.start, q.end)
            continue
        lo, _ = ctx.paragraph_of(q.start)
        before = [c for c in ordered + extra if c.end <= q.start]
        if not before:
            continue
        previous = max(before, key=lambda c: c.end)
        prev_lo, _ = ctx.paragraph_of(previous.start)
        starts_paragraph = q.start == lo
        between = (previous.end, q.start)
        attribution_between = any(
            span is not None and between[0] <= span[0] and span[1] <= between[1]
            for span in (previous.cue, previous.source)
        )
        same_paragraph = prev_lo == lo and (
            attribution_between or ctx.text[previous.end : q.start].count(" ") <= 6
        )
        para_index = ctx.paragraph_index(q.start)
        previous_paragraph = para_index > 0 and ctx.paragraphs[para_index - 1][0] <= previous.end
        if not (same_paragraph or (starts_paragraph and previous_paragraph)):
            continue
        if previous.source is None and previous.continues is None:
            continue
        if same_paragraph and previous.quoted_chars:
            # '“A,” he said. “B.”': one statement, its content in two pieces
            previous.content.append((q.start, q.end))
            previous.quoted_chars += ctx.quoted_chars(q.start, q.end)
            continue
        index = (found + extra).index(previous)
        extra.append(
            Candidate(
                content=[(q.start, q.end)],
                rule="continuation",
                confidence=0.8 if previous.quoted_chars else 0.6,
                continues=index,
                quoted_chars=ctx.quoted_chars(q.start, q.end),
            )
        )
    return extra


def _introduced_after(ctx: Context, q: QuoteMarks, ordered: list[Candidate]) -> Candidate | None:
    """A quotation candidate whose source or cue follows ``q`` with only glue between ('“A,” she said')."""
    for candidate in ordered:
        marks = [span for span in (candidate.source, candidate.cue) if span is not None]
        if not marks or not candidate.quoted_chars or candidate.start < q.end:
            continue
        first = min(start for start, _ in marks)
        if (
            first >= q.end
            and ctx.only_glue(q.end, first)
            and "\n" not in ctx.text[q.end : first]
            and first < candidate.start
        ):
            return candidate
    return None


def orphan_quotes(ctx: Context, found: list[Candidate]) -> list[Candidate]:
    """Whole-sentence quotations no rule attributed: kept, with no speaker, at low confidence."""
    extra: list[Candidate] = []
    for q in ctx.quotes:
        if q.single or len(ctx.text[q.inner_start : q.inner_end].split()) < 6:
            continue
        if any(c.start <= q.inner_start < c.end or c.start < q.inner_end <= c.end for c in found):
            continue
        # the speaker most likely goes on from the last attributed statement a paragraph or two back
        before = [
            i
            for i, c in enumerate(found)
            if c.end <= q.start
            and (
                c.continues is not None
                or (c.source_token is not None and _names_someone(ctx.doc[c.source_token]))
            )
            and q.paragraph - ctx.paragraph_index(c.end) <= 3
        ]
        previous = max(before, key=lambda i: found[i].end) if before else None
        extra.append(
            Candidate(
                content=[(q.start, q.end)],
                rule="orphan",
                confidence=0.3,
                continues=previous,
                quoted_chars=ctx.quoted_chars(q.start, q.end),
            )
        )
    return extra


def _names_someone(token: Token) -> bool:
    """A source head that names or points to a person: a proper noun or a personal pronoun."""
    return token.pos_ == "PROPN" or token.lower_ in ("he", "she", "they")
