"""What every attribution rule shares: the ``Context`` of one doc (its text, quotations,
paragraphs and token arrays) and the parse helpers that find a cue's speaker (``find_subject``),
the speaker's phrase (``source_span``), the cue's own words (``cue_span``) and a content span
from a clause's tokens (``content_from_tokens``).

Content spans are extended to whole quotations where the parse cut one short (quotations often
run over several sentences); a connective opening the sentence and a final period outside a
quotation are left out.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from spacy.attrs import IDX, POS
from spacy.tokens import Doc, Token

from onrecord.attribution.candidates import Candidate, CharSpan
from onrecord.attribution.quotes import QuoteMarks, find_quotes, paragraphs, quoted_chars
from onrecord.lexicon import CUE_VERBS, RELATIVE_PRONOUNS
from onrecord.nlp.text import doc_text

SUBJECT_DEPS = ("nsubj", "nsubjpass")
# Sentence openers that link to the text before and are not part of the content.
LEADING_CONNECTIVES = tuple(
    f"{word} "
    for word in (
        "and",
        "but",
        "or",
        "so",
        "yet",
        "still,",
        "however,",
        "also,",
        "in addition,",
        "meanwhile,",
        "moreover,",
        "furthermore,",
        "instead,",
        "indeed,",
        "nonetheless,",
        "nevertheless,",
    )
)
# Prior confidence of each cue rule (adjusted below for belief verbs and missing subjects).
RELATIVE_CLAUSE_OPENERS = RELATIVE_PRONOUNS | {"whom"}
TRIM_LEFT = " \t\n,;:—–-"
TRIM_RIGHT = " \t\n,;:—–-("


def trim(text: str, start: int, end: int) -> CharSpan:
    while start < end and text[start] in TRIM_LEFT:
        start += 1
    while end > start and text[end - 1] in TRIM_RIGHT:
        end -= 1
    return start, end


def span_of(tokens: Iterable[Token]) -> CharSpan | None:
    tokens = list(tokens)
    if not tokens:
        return None
    return min(t.idx for t in tokens), max(t.idx + len(t.text) for t in tokens)


def is_cue(token: Token) -> bool:
    if token.pos_ in ("VERB", "AUX"):
        return token.lemma_.lower() in CUE_VERBS
    # '“...,” reply Ada Stone and Ben Lutz': after a curly closing mark the tagger may read the
    # cue as a noun; the parse still gives it its speaker as an object
    return token.pos_ == "NOUN" and token.lemma_.lower() in CUE_VERBS and _inverted_subject(token) is not None


def find_subject(verb: Token, depth: int = 0) -> Token | None:
    """The token heading the verb's speaker: its subject, or the subject it shares."""
    if depth > 4:
        return None
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    # the parse sometimes gives two subjects ("Labelling X a Y, he suggested"): the nearest,
    # nominal one is the speaker
    subjects.sort(key=lambda c: (c.tag_ == "VBG" or c.pos_ == "VERB", abs(c.i - verb.i)))
    for child in subjects:
        if child.dep_ in SUBJECT_DEPS:
            if child.lower_ in RELATIVE_CLAUSE_OPENERS and verb.dep_ == "relcl":
                return verb.head
            if child.dep_ == "nsubjpass" and depth == 0:
                agent = next((c for c in verb.children if c.dep_ == "agent"), None)
                pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
                return pobj
            return child
    if depth == 0:
        inverted = _inverted_subject(verb)
        if inverted is not None:
            return inverted
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return find_subject(verb.head, depth + 1)
    if verb.dep_ == "xcomp" and verb.head is not verb:
        # object control: "pressed Stumpf to admit" -> Stumpf admits
        controller = next(
            (c for c in verb.head.children if c.dep_ in ("dobj", "dative") and c.i < verb.i), None
        )
        if controller is not None and controller.pos_ in ("PROPN", "PRON", "NOUN"):
            return controller
    if (
        verb.dep_ in ("advcl", "xcomp", "conj")
        and verb.tag_ in ("VBG", "VBN", "VB")
        and verb.head is not verb
    ):
        return find_subject(verb.head, depth + 1)
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head is not verb.head:
        # "by saying", "before adding"
        return find_subject(verb.head.head, depth + 1)
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.dep_ in ("dobj", "pobj"):
        # "released a statement saying ...": the statement's author
        governor = verb.head.head if verb.head.dep_ == "dobj" else verb.head.head.head
        if governor.pos_ in ("VERB", "AUX"):
            return find_subject(governor, depth + 1)
    if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
        return None
    return None


def _inverted_subject(verb: Token) -> Token | None:
    """'"...," reply Ada Stone and Ben Lutz': a present-tense cue right after a closing quotation
    mark, which the parser reads as an imperative with its speaker as the object."""
    if verb.tag_ not in ("VB", "VBP", "NN", "NNS") or verb.i < 2:
        return None
    before, mark = verb.doc[verb.i - 2], verb.doc[verb.i - 1]
    if not (mark.text in ('"', "”", "»") and before.text in (",", "?", "!")):
        return None
    return next(
        (c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i and c.pos_ == "PROPN"),
        None,
    )


def source_span(subject: Token, *, clauses: bool = True) -> CharSpan | None:
    """The subject's whole phrase, as annotators mark it: with its apposition or relative clause
    and the comma that closes them ("Elena Duarte, the ferry union's spokeswoman,"), without a
    clausal complement or a dateline ("BRUSSELS -"). ``clauses=False`` leaves relative clauses
    out too, for a source whose clause holds the content."""
    cut: set[int] = set()
    cut_deps = ("advcl", "ccomp") if clauses else ("advcl", "ccomp", "relcl", "acl")
    for child in subject.children:
        if child.dep_ in cut_deps:
            cut.update(t.i for t in child.subtree)
    tokens = [t for t in subject.subtree if t.i not in cut]
    # keep the contiguous stretch around the head
    lo = hi = subject.i
    indices = {t.i for t in tokens}
    while lo - 1 in indices:
        lo -= 1
    while hi + 1 in indices:
        hi += 1
    doc = subject.doc
    while (
        lo < subject.i
        and (doc[lo].is_upper and doc[lo].is_alpha and len(doc[lo]) > 1)
        and doc[lo + 1].text in "-–—"
    ):
        lo += 2  # "BRUSSELS - European leaders"
    text = doc_text(doc)
    span = span_of(doc[lo : hi + 1])
    if span is None:
        return None
    start, end = trim(text, *span)
    parenthetical = any(doc[i].text == "," for i in range(subject.i + 1, hi + 1))
    if parenthetical and hi + 1 < len(doc) and doc[hi + 1].text == ",":
        end = doc[hi + 1].idx + 1  # the comma that closes the apposition belongs to it
    return (start, end) if end > start else None


def cue_span(verb: Token, *, preposition: Token | None = None) -> CharSpan:
    """The cue verb with what is part of it: adjacent auxiliaries, negation and adverbs before
    ("has long said", "also fear"), a particle ("pointed out"), the preposition that introduces
    its content ("called for")."""
    lo = hi = verb.i
    doc = verb.doc
    before = {c.i for c in verb.children if c.dep_ in ("aux", "auxpass", "neg", "advmod") and c.i < verb.i}
    while lo - 1 in before:
        lo -= 1
    while (
        doc[lo].dep_ == "advmod"
        and lo < verb.i
        and not any(doc[i].dep_ in ("aux", "auxpass", "neg") for i in range(lo, verb.i))
        and doc[lo].i == verb.left_edge.i
    ):
        lo += 1  # a sentence-opening adverb ("Later, ...") is not part of the cue
    for child in verb.children:
        if child.dep_ == "prt" and child.i == hi + 1:
            hi = child.i
    if preposition is not None and preposition.i == hi + 1:
        hi = preposition.i
    start, end = doc[lo].idx, doc[hi].idx + len(doc[hi].text)
    return start, end


class Context:
    """What every rule needs: the doc, its quotations and paragraphs."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.quotes: list[QuoteMarks] = find_quotes(self.text)
        self.paragraphs = paragraphs(self.text)
        # token offsets and parts of speech read off the doc's arrays, so that a scan for a few
        # kinds of token does not build a Token for every word
        arrays = doc.to_array([IDX, POS]) if len(doc) else None
        self.starts: list[int] = [int(x) for x in arrays[:, 0]] if arrays is not None else []
        self.pos: list[int] = [int(x) for x in arrays[:, 1]] if arrays is not None else []

    def tokens_from(self, start: int, end: int) -> Iterable[Token]:
        """The tokens that start at ``start`` <= offset < ``end``."""
        lo, hi = bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, end)
        return (self.doc[i] for i in range(lo, hi))

    def tokens_of(self, *parts: int) -> Iterable[Token]:
        """The tokens with one of these parts of speech (``spacy.symbols`` ids), in order."""
        return (self.doc[i] for i, pos in enumerate(self.pos) if pos in parts)

    def quote_at(self, start: int, end: int) -> list[QuoteMarks]:
        return [q for q in self.quotes if q.start < end and start < q.end]

    def paragraph_index(self, offset: int) -> int:
        """Index of the paragraph holding ``offset``, or -1 between paragraphs."""
        for index, (lo, hi) in enumerate(self.paragraphs):
            if lo <= offset <= hi:
                return index
        return -1

    def paragraph_of(self, offset: int) -> tuple[int, int]:
        index = self.paragraph_index(offset)
        return self.paragraphs[index] if index >= 0 else (0, len(self.text))

    def only_glue(self, start: int, end: int) -> bool:
        """True when text[start:end] holds only punctuation and space (": ", ", ")."""
        if end < start:
            return False
        return all(ch.isspace() or ch in ",:;—–-" for ch in self.text[start:end])

    def extend_to_quotes(self, start: int, end: int) -> CharSpan:
        """Grow (start, end) to whole quotations it cuts through."""
        for q in self.quotes:
            if q.start < start < q.end and end > q.start:
                start = q.start
            if q.start < end < q.end and start < q.end:
                end = q.end
        return start, end

    def candidate(
        self,
        content: CharSpan,
        *,
        cue: CharSpan | None,
        source: CharSpan | None,
        rule: str,
        confidence: float,
        cue_token: int | None = None,
        source_token: int | None = None,
    ) -> Candidate:
        """A one-piece candidate, its quoted share measured here."""
        return Candidate(
            content=[content],
            cue=cue,
            source=source,
            cue_token=cue_token,
            source_token=source_token,
            rule=rule,
            confidence=confidence,
            quoted_chars=self.quoted_chars(*content),
        )

    def quoted_chars(self, start: int, end: int) -> int:
        return quoted_chars(self.text, self.quotes, start, end)


def content_from_tokens(ctx: Context, tokens: list[Token]) -> CharSpan | None:
    span = span_of(tokens)
    if span is None:
        return None
    start, end = ctx.extend_to_quotes(*span)
    start, end = trim(ctx.text, start, end)
    # a connective opening the sentence is not part of what was said: "And ...", "In addition, ..."
    lower = ctx.text[start:end].lower()
    for opener in LEADING_CONNECTIVES:
        if lower.startswith(opener) and not ctx.quote_at(start, start + len(opener)):
            start, end = trim(ctx.text, start + len(opener), end)
            break
    # a final period belongs to the content only inside a quotation
    while end > start and ctx.text[end - 1] in ".!?" and not ctx.quote_at(end - 1, end):
        if end - start > 1 and ctx.text[end - 2] in ".!?":  # "..." at the end stays
            break
        end -= 1
    return (start, end) if end - start >= 2 else None
