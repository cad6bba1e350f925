"""Finding quotation marks: a pure function ``str -> list[QuoteMarks]``.

Handles straight and curly marks, quotes that run over several paragraphs (the opening mark
repeats at each paragraph, the closing one is missing), quotes left open at the end of a
paragraph, and stray or nested single marks. An unbalanced mark only ever affects the
paragraph it stands in: the rest of the article is scanned as usual.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

OPEN_DOUBLE = "“„«"
CLOSE_DOUBLE = "”»"
STRAIGHT_DOUBLE = '"'
OPEN_SINGLE = "‘"
CLOSE_SINGLE = "’"
STRAIGHT_SINGLE = "'"
ALL_MARKS = OPEN_DOUBLE + CLOSE_DOUBLE + STRAIGHT_DOUBLE + OPEN_SINGLE + CLOSE_SINGLE + STRAIGHT_SINGLE


@dataclass(frozen=True, slots=True)
class QuoteMarks:
    """One quoted stretch of text.

    ``start``/``end`` include the marks (``end`` is the paragraph end when no closing mark was
    found); ``inner_start``/``inner_end`` are the quoted words alone, trimmed.
    """

    start: int
    end: int
    inner_start: int
    inner_end: int
    closed: bool
    single: bool
    paragraph: int
    continues: bool = False  # left open and the next paragraph reopens it

    def covers(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line of the text."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            spans.append((pos + lead, pos + lead + len(stripped)))
        pos = end + 1
    return spans


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def _straight_double_opens(text: str, i: int, lo: int, hi: int, width: int = 1) -> bool | None:
    """True if a straight double mark at i opens, False if it closes, None if unclear."""
    before = text[i - 1] if i > lo else ""
    after = text[i + width] if i + width < hi else ""
    if (_is_space(before) or before in "([{—–-:/" + OPEN_SINGLE) and not _is_space(after):
        return True
    if not _is_space(before) and (_is_space(after) or after in ".,;:!?)]}—–-" + CLOSE_SINGLE):
        return False
    return None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink (start, end) past white space and stray marks at either side."""
    while start < end and (text[start].isspace() or text[start] in ALL_MARKS):
        start += 1
    while end > start and (
        text[end - 1].isspace() or text[end - 1] in OPEN_DOUBLE + OPEN_SINGLE + STRAIGHT_DOUBLE
    ):
        end -= 1
    return start, end


def _scan_double(text: str, lo: int, hi: int, para: int) -> list[QuoteMarks]:
    found: list[QuoteMarks] = []
    open_at: int | None = None
    i = lo - 1
    while i + 1 < hi:
        i += 1
        ch = text[i]
        width = 1
        if text.startswith("''", i):
            # two apostrophes standing for a double mark (common in wire and archive text)
            ch, width = STRAIGHT_DOUBLE, 2
        if ch in OPEN_DOUBLE:
            opens: bool | None = True
        elif ch in CLOSE_DOUBLE:
            # a closing mark that starts a paragraph or a word, with none open, is a typo'd opening
            opens = open_at is None and (i == lo or text[i - 1].isspace()) and text[i + 1 : i + 2].isalnum()
        elif ch == STRAIGHT_DOUBLE:
            opens = _straight_double_opens(text, i, lo, hi, width)
            if opens is None:
                opens = open_at is None
        else:
            continue
        if opens:
            if open_at is not None and i - open_at > 1:
                # an opening mark while one is open: the earlier quote was never closed, or
                # closed by a single mark
                found.append(_left_open(text, open_at, i, para))
            open_at = i
        elif open_at is not None:
            found.append(_make(text, open_at, i + width, closed=True, single=False, para=para))
            open_at = None
        i += width - 1
    if open_at is not None and hi - open_at > 1:
        found.append(_left_open(text, open_at, hi, para))
    return [q for q in found if q.inner_end > q.inner_start]


def _left_open(text: str, start: int, stop: int, para: int) -> QuoteMarks:
    """A double quote opened at ``start`` and not closed by a double mark before ``stop``: closed
    by a single one ('“The crossing was rough,’ said ...'), else open to ``stop``."""
    close = _single_close(text, start + 1, stop)
    if close is not None:
        return _make(text, start, close + 1, closed=True, single=False, para=para)
    return _make(text, start, stop, closed=False, single=False, para=para)


#: Punctuation that ends quoted words before their closing mark: ",’ said", ".’"
CLOSING_PUNCTUATION = ",.!?"


def _single_close(text: str, lo: int, hi: int) -> int | None:
    """In a paragraph whose double mark is never closed, the first single closing mark right
    after the quoted words' last punctuation and before a space or the paragraph's end (",’ said"),
    which closes it: an apostrophe never follows a comma or a full stop."""
    for i in range(lo + 1, hi):
        closing = text[i] in CLOSE_SINGLE + STRAIGHT_SINGLE and text[i - 1] in CLOSING_PUNCTUATION
        if closing and (i + 1 >= hi or text[i + 1].isspace()):
            return i
    return None


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _scan_single(text: str, lo: int, hi: int, para: int, taken: list[QuoteMarks]) -> list[QuoteMarks]:
    """Single-mark quotes outside double quotes, only as balanced pairs at word boundaries."""
    found: list[QuoteMarks] = []
    open_at: int | None = None
    for i in range(lo, hi):
        ch = text[i]
        if ch not in OPEN_SINGLE + CLOSE_SINGLE + STRAIGHT_SINGLE:
            continue
        if ch == STRAIGHT_SINGLE and (
            text[i - 1 : i] == STRAIGHT_SINGLE or text[i + 1 : i + 2] == STRAIGHT_SINGLE
        ):
            continue
        if any(q.start <= i < q.end for q in taken):
            open_at = None
            continue
        before = text[i - 1] if i > lo else ""
        after = text[i + 1] if i + 1 < hi else ""
        if _is_word(before) and _is_word(after):
            continue  # apostrophe inside a word: don't, Musk’s
        can_open = ch != CLOSE_SINGLE and (_is_space(before) or before in "([{—–-:") and _is_word(after)
        can_close = (
            ch != OPEN_SINGLE and not _is_space(before) and (_is_space(after) or after in ".,;:!?)]}—–-")
        )
        if open_at is None and can_open:
            open_at = i
        elif open_at is not None and can_close:
            if before in "sS" and after == " " and text[open_at + 1 : i].count(" ") > 12:
                continue  # more likely a plural possessive (girls' ) than the end of a long quote
            found.append(_make(text, open_at, i + 1, closed=True, single=True, para=para))
            open_at = None
    return [q for q in found if q.inner_end > q.inner_start]


def _make(text: str, start: int, end: int, *, closed: bool, single: bool, para: int) -> QuoteMarks:
    if not closed:
        while end > start and text[end - 1].isspace():
            end -= 1
    open_width = 2 if text.startswith("''", start) else 1
    close_width = 2 if closed and text[start:end].endswith("''") and end - start > 3 else 1
    inner_start, inner_end = _trim(text, start + open_width, end - close_width if closed else end)
    return QuoteMarks(start, end, inner_start, inner_end, closed, single, para)


def quoted_chars(text: str, quotes: Sequence[QuoteMarks], start: int, end: int) -> int:
    """Non-space characters of ``text[start:end]`` that lie inside the quoted words of ``quotes``."""
    total = 0
    for q in quotes:
        lo, hi = max(start, q.inner_start), min(end, q.inner_end)
        if hi > lo:
            total += sum(1 for ch in text[lo:hi] if not ch.isspace())
    return total


def find_quotes(text: str) -> list[QuoteMarks]:
    """Every quoted stretch in the text, in order; see the module docstring.

    The rules, the tagger's features and its linking all ask for the same article's quotes: the
    last few texts' answers are kept (the marks are frozen, the list is a fresh copy)."""
    return list(_find_quotes(text))


@lru_cache(maxsize=4)
def _find_quotes(text: str) -> tuple[QuoteMarks, ...]:
    result: list[QuoteMarks] = []
    paras = paragraphs(text)
    per_para: list[list[QuoteMarks]] = []
    for index, (lo, hi) in enumerate(paras):
        double = _scan_double(text, lo, hi, index)
        single = _scan_single(text, lo, hi, index, double)
        per_para.append(sorted(double + single, key=lambda q: q.start))
    for index, quotes in enumerate(per_para):
        for q in quotes:
            continues = False
            if not q.closed and not q.single and index + 1 < len(paras):
                next_lo, _ = paras[index + 1]
                continues = text[next_lo] in OPEN_DOUBLE + STRAIGHT_DOUBLE
            if continues:
                q = QuoteMarks(
                    q.start, q.end, q.inner_start, q.inner_end, q.closed, q.single, q.paragraph, True
                )
            result.append(q)
    return tuple(result)
