"""Rule-based attribution on spaCy's dependency parse: pure functions ``Doc -> list[Candidate]``.

The rules, in the order ``attribute`` runs them:

1. **Cue verbs** (``cue_candidates``): a verb from the cue lexicon with a clausal complement
   (``ccomp``; ``xcomp`` for intention verbs), or followed by a quotation after a colon or
   comma ("told the Echo: “...”"), or preceded by one ('“...,” he said'), or set in the
   middle of its content as a parenthetical ("X, he said, Y"). The source is the verb's
   subject, found through conjoined verbs ("defended ... and said"), participles
   ("adding: ...") and relative clauses ("Musk, who wrote ...").
2. **According to** (``according_candidates``): "according to X, Y", and "Per X, Y" with X a
   name or a document; **as-clauses** (``as_candidates``): "Y, as X reported", "as reported by
   X, Y".
3. **Transcripts** (``transcript_candidates``): a paragraph opening with a name and a colon.
4. **Labelled quotations** (``labelled_quotes``): a quotation under a label that names a person
   ("Tested by Ana Ortiz", "Ana Ortiz, editor:"), as reviews and roundups set them.
5. **Quotations left over** (``leftover_quotes``): a paragraph that is all quotation and has
   no cue keeps the speaker of the quotation before it.

Content spans are extended to whole quotations where the parse cut one short (quotations
often run over several sentences), and a trailing medium phrase ("..., in a letter to X")
is moved out of the content.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from spacy.attrs import IDX, POS
from spacy.symbols import ADJ, NOUN, VERB
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from onrecord.attribution.candidates import Candidate, CharSpan
from onrecord.attribution.quotes import QuoteMarks, find_quotes, paragraphs, quoted_chars
from onrecord.lexicon import (
    BELIEF_VERBS,
    CUE_VERBS,
    DOCUMENT_NOUNS,
    INTENT_VERBS,
    MEDIUM_NOUNS,
    MEDIUM_PREPS,
    NOUN_CUE_PREPS,
    NOUN_CUES,
    OBJECT_CUES,
    QUOTE_CUES,
    RELATIVE_PRONOUNS,
    SPEECH_VERBS,
    WEAK_CUES,
    WRITING_NOUNS,
    XCOMP_CUES,
)
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
RULE_CONFIDENCE = {
    "quote": 0.9,
    "ccomp": 0.75,
    "parenthetical": 0.7,
    "xcomp": 0.55,
    "object": 0.45,
    "passive": 0.45,
}
PREP_ABOUT_CUES = frozenset(
    "talk speak ask complain warn worry joke boast brag write tweet comment testify".split()
)
RELATIVE_CLAUSE_OPENERS = RELATIVE_PRONOUNS | {"whom"}
TRIM_LEFT = " \t\n,;:—–-"
TRIM_RIGHT = " \t\n,;:—–-("


def _trim(text: str, start: int, end: int) -> CharSpan:
    while start < end and text[start] in TRIM_LEFT:
        start += 1
    while end > start and text[end - 1] in TRIM_RIGHT:
        end -= 1
    return start, end


def _span_of(tokens: Iterable[Token]) -> CharSpan | None:
    tokens = list(tokens)
    if not tokens:
        return None
    return min(t.idx for t in tokens), max(t.idx + len(t.text) for t in tokens)


def _is_cue(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in CUE_VERBS


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
    if verb.tag_ not in ("VB", "VBP") or verb.i < 2:
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
    span = _span_of(doc[lo : hi + 1])
    if span is None:
        return None
    start, end = _trim(text, *span)
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


class _Context:
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


def _content_from_tokens(ctx: _Context, tokens: list[Token]) -> CharSpan | None:
    span = _span_of(tokens)
    if span is None:
        return None
    start, end = ctx.extend_to_quotes(*span)
    start, end = _trim(ctx.text, start, end)
    # a connective opening the sentence is not part of what was said: "And ...", "In addition, ..."
    lower = ctx.text[start:end].lower()
    for opener in LEADING_CONNECTIVES:
        if lower.startswith(opener) and not ctx.quote_at(start, start + len(opener)):
            start, end = _trim(ctx.text, start + len(opener), end)
            break
    # a final period belongs to the content only inside a quotation
    while end > start and ctx.text[end - 1] in ".!?" and not ctx.quote_at(end - 1, end):
        if end - start > 1 and ctx.text[end - 2] in ".!?":  # "..." at the end stays
            break
        end -= 1
    return (start, end) if end - start >= 2 else None


def _medium_tail(ctx: _Context, verb: Token, content: CharSpan) -> tuple[CharSpan, Token | None]:
    """Move a trailing ", in a letter to X" out of the content; return the new content and the prep."""
    start, end = content
    for token in ctx.doc.char_span(start, end, alignment_mode="expand") or []:
        if token.dep_ != "prep" or token.lower_ not in MEDIUM_PREPS:
            continue
        pobj = next((c for c in token.children if c.dep_ == "pobj"), None)
        if pobj is None or pobj.lemma_.lower() not in MEDIUM_NOUNS:
            continue
        sub = list(token.subtree)
        tail_end = sub[-1].idx + len(sub[-1].text)
        if ctx.only_glue(tail_end, end) or ctx.text[tail_end:end].strip() in (".", ""):
            before = token.i - 1
            if before >= 0 and ctx.doc[before].text == "," and token.idx > start:
                new = _trim(ctx.text, start, ctx.doc[before].idx)
                return new, token
    return content, None


def _quote_after(ctx: _Context, verb: Token, sent: SpacySpan) -> QuoteMarks | None:
    """A quotation that the verb's clause introduces: 'told the Echo: “...”', 'said, “...”'.

    Between the verb and the opening mark there may be a short object or prepositional
    phrase, ending in a colon or comma; no sentence end, no other quotation.
    """
    verb_end = verb.idx + len(verb.text)
    _, hi = ctx.paragraph_of(verb.idx)
    if ctx.text[verb_end:hi].rstrip().endswith(":"):
        # "He said:" closing its paragraph introduces the quotation that opens the next one
        after = ctx.text[hi:].lstrip()
        start = len(ctx.text) - len(after)
        nxt = next((q for q in ctx.quotes if q.start == start), None)
        if nxt is not None and len(ctx.text[verb_end:hi].split()) <= 10:
            return nxt
    for q in ctx.quotes:
        if q.start < verb_end or q.start > hi:
            continue
        between = ctx.text[verb_end : q.start]
        stripped = between.rstrip()
        if any(ch in between for ch in '.!?"“”') or len(between.split()) > 10:
            return None
        if any(_is_cue(t) for t in ctx.tokens_from(verb_end, q.start)):
            return None  # "praised the crews, adding: “...”": the nearer cue introduces it
        if stripped == "" or stripped.endswith((":", ",")):
            return q
        return None
    return None


def _quote_before(ctx: _Context, verb: Token, subject: Token | None) -> QuoteMarks | None:
    """A quotation that the verb's clause closes: '“...,” he said'."""
    first = min([verb.i] + ([t.i for t in subject.subtree] if subject is not None else []))
    clause_start = ctx.doc[first].idx
    lo, _ = ctx.paragraph_of(verb.idx)
    for q in reversed(ctx.quotes):
        if q.end <= clause_start and q.end >= lo:
            return q if ctx.only_glue(q.end, clause_start) else None
    return None


def cue_candidates(ctx: _Context) -> list[Candidate]:
    found: list[Candidate] = []
    for sent in ctx.doc.sents:
        for verb in sent:
            if not _is_cue(verb):
                continue
            candidate = _from_cue_verb(ctx, verb, sent)
            if candidate is not None:
                found.append(candidate)
    return found


def _pick_ccomp(verb: Token) -> Token | None:
    """The clausal complement; of two, the one after the verb ("X; his team says Y")."""
    found = [c for c in verb.children if c.dep_ == "ccomp"]
    after = [c for c in found if c.i > verb.i]
    return after[0] if after else (found[0] if found else None)


def _ccomp_under_medium(verb: Token) -> Token | None:
    """'said in a statement that X', 'told a meeting of leaders that X': the parse hangs the
    that-clause on the noun; 'said after the vote he would ...': on an adverbial clause."""
    for obj in verb.children:
        if obj.dep_ in ("dobj", "dative") and obj.i > verb.i:
            for clause in obj.children:
                if clause.dep_ in ("acl", "ccomp", "relcl") and any(
                    g.dep_ == "mark" and g.lower_ == "that" for g in clause.children
                ):
                    return clause
        if (
            obj.dep_ == "advcl"
            and obj.i > verb.i
            and verb.lemma_ in ("say", "tell", "add", "claim", "insist", "argue", "note")
            and any(g.dep_ == "nsubj" for g in obj.children)
            and not any(g.dep_ in ("mark", "advmod") and g.i < obj.i for g in obj.children)
        ):
            return obj
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ not in MEDIUM_PREPS:
            continue
        for pobj in prep.children:
            if pobj.dep_ == "pobj" and pobj.lemma_.lower() in MEDIUM_NOUNS:
                for clause in pobj.children:
                    if clause.dep_ in ("acl", "ccomp", "relcl") and any(
                        g.dep_ == "mark" and g.lower_ == "that" for g in clause.children
                    ):
                        return clause
    return None


def _from_cue_verb(ctx: _Context, verb: Token, sent: SpacySpan) -> Candidate | None:
    lemma = verb.lemma_.lower()
    subject = find_subject(verb)
    pieces: list[CharSpan] = []
    rule = ""
    ccomp = _pick_ccomp(verb) or _ccomp_under_medium(verb)
    xcomp = next((c for c in verb.children if c.dep_ == "xcomp"), None)

    def add(tokens: list[Token]) -> None:
        # ", citing X" / ", adding that Y" at the end is the speaker's next statement, not this one
        cut: set[int] = set()
        for token in tokens:
            if (
                token.dep_ == "advcl"
                and token.tag_ == "VBG"
                and _is_cue(token)
                and token.i > verb.i
                and ctx.doc[token.i - 1].text == ","
            ):
                cut.update(t.i for t in token.subtree)
                cut.add(token.i - 1)
        if cut:
            tokens = [t for t in tokens if t.i not in cut and t.i < min(cut)]
        span = _content_from_tokens(ctx, tokens)
        if span is not None:
            pieces.append(span)

    if ccomp is not None and not (subject is not None and subject.i in {t.i for t in ccomp.subtree}):
        tokens = list(ccomp.subtree)
        for conj in verb.children:
            # "said she X, but the Government will not “Y”": a clause the parse hung on the cue
            if (
                conj.dep_ == "conj"
                and conj.i > ccomp.i
                and not _is_cue(conj)
                and any(c.dep_ == "nsubj" for c in conj.children)
                and ctx.quote_at(conj.left_edge.idx, conj.right_edge.idx + 1)
            ):
                tokens += list(conj.subtree)
        add(tokens)
        if ccomp.i < verb.i:
            # "X, Ana Ortiz said, but Y": the statement goes on after the parenthetical cue, in
            # a clause the parse hung on the cue ("and" there is as often the narrative's)
            for conj in verb.children:
                if (
                    conj.dep_ == "conj"
                    and conj.i > verb.i
                    and not _is_cue(conj)
                    and any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in conj.children)
                    and any(c.dep_ == "cc" and c.lower_ == "but" and c.i > verb.i for c in verb.children)
                    and not ctx.quote_at(conj.left_edge.idx, conj.right_edge.idx + 1)
                ):
                    add([t for t in conj.subtree if t.dep_ != "cc" or t.head.i != conj.i])
        rule = "ccomp"
    elif lemma in XCOMP_CUES and xcomp is not None and xcomp.tag_ in ("VB", "VBG"):
        tokens = list(xcomp.subtree)
        # "urged Trump to stop": the one urged belongs to the content
        controller = next(
            (c for c in verb.children if c.dep_ in ("dobj", "nsubj") and verb.i < c.i < xcomp.i), None
        )
        if controller is not None:
            tokens += list(controller.subtree)
        add(tokens)
        rule = "xcomp"
    if not pieces and lemma in QUOTE_CUES and lemma not in WEAK_CUES:
        quote = _quote_after(ctx, verb, sent) or _quote_before(ctx, verb, subject)
        if quote is not None:
            pieces = [(quote.start, quote.end)]
            rule = "quote"
    if not pieces and lemma in SPEECH_VERBS and verb.dep_ == "parataxis" and lemma not in WEAK_CUES:
        # "X, he said, Y": the content is the sentence around the parenthetical, in two pieces
        inside = {t.i for t in verb.subtree}
        lo, hi = min(inside), max(inside)
        add([t for t in sent if t.i < lo])
        add([t for t in sent if t.i > hi])
        rule = "parenthetical"
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    patient = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if not pieces and agent is not None and patient is not None and lemma in OBJECT_CUES | SPEECH_VERBS:
        # "The plan was backed by the unions": the agent speaks, the subject is what they back
        add(list(patient.subtree))
        rule = "passive"
    if not pieces and (
        lemma in OBJECT_CUES
        or lemma in PREP_ABOUT_CUES
        or lemma in ("warn", "rail", "argue", "say", "tell", "note", "claim")
    ):
        add(_object_content(verb))
        rule = "object"
    if not pieces:
        return None
    if lemma in (BELIEF_VERBS | INTENT_VERBS) - SPEECH_VERBS - OBJECT_CUES and rule not in ("ccomp", "xcomp"):
        return None
    if subject is None and (rule == "xcomp" or (verb.dep_ in ("acl", "amod") and verb.tag_ == "VBN")):
        return None  # "a program called X": no one is speaking
    if subject is None and verb.tag_ == "VB" and verb.dep_ == "ROOT":
        return None  # "Think of it as ...": an imperative addresses the reader
    if (
        subject is not None
        and subject.pos_ == "PRON"
        and subject.lower_ in ("it", "this", "that")
        and lemma in BELIEF_VERBS
    ):
        return None  # "it seems", "this shows": not attributed to anyone
    after = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    introducing = after if after is not None and after.dep_ == "prep" and rule == "object" else None
    cue = cue_span(verb, preposition=introducing)
    if any(cue[0] < e and s < cue[1] for s, e in pieces):
        return None
    last, medium_prep = _medium_tail(ctx, verb, pieces[-1])
    pieces[-1] = last
    source = source_span(subject) if subject is not None else None
    if subject is not None and source is not None and any(source[0] < e and s < source[1] for s, e in pieces):
        source = source_span(subject, clauses=False)
    if source is not None and any(source[0] < e and s < source[1] for s, e in pieces):
        source, subject = None, None
    quoted = sum(ctx.quoted_chars(*piece) for piece in pieces)
    confidence = RULE_CONFIDENCE[rule]
    if lemma in BELIEF_VERBS | INTENT_VERBS and lemma not in SPEECH_VERBS:
        confidence -= 0.15
    if subject is None:
        confidence -= 0.15
    return Candidate(
        content=pieces,
        cue=cue,
        source=source,
        cue_token=verb.i,
        source_token=subject.i if subject is not None else None,
        rule=f"cue.{rule}",
        confidence=confidence,
        quoted_chars=quoted,
        medium_prep=medium_prep.i if medium_prep is not None else None,
    )


def _object_content(verb: Token) -> list[Token]:
    """The object of an object-taking cue, with what completes it ("called him a liar", "called for X")."""
    tokens: list[Token] = []
    for child in verb.children:
        if child.dep_ in ("dobj", "oprd") and child.i > verb.i:
            if verb.lemma_ in ("say", "tell", "note", "claim") and child.lower_ in (
                "it",
                "this",
                "that",
                "so",
                "something",
                "nothing",
                "anything",
            ):
                continue
            tokens += list(child.subtree)
        elif (
            child.dep_ == "xcomp"
            and child.i > verb.i
            and tokens
            and verb.lemma_ in ("tell", "ask", "urge", "order", "encourage")
        ):
            tokens += list(child.subtree)  # "told her staff to work out ..."
        elif (
            child.dep_ == "prep"
            and child.i > verb.i
            and tokens
            and child.lower_ in ("for", "of", "over", "as", "to")
        ):
            tokens += list(child.subtree)  # "attacked the mayor for not publishing ...", "accused X of Y"
        elif (
            child.dep_ == "prep"
            and child.i > verb.i
            and (
                (child.lower_ == "for" and verb.lemma_ in ("call", "push", "press", "appeal", "ask", "argue"))
                or (
                    child.lower_ == "as"
                    and verb.lemma_ in ("describe", "characterize", "characterise", "portray")
                )
                or (
                    child.lower_ == "against"
                    and verb.lemma_ in ("warn", "rail", "argue", "speak", "caution", "protest")
                )
                or (child.lower_ == "about" and verb.lemma_ in PREP_ABOUT_CUES)
            )
        ):
            # "called for lower fares": the content is what is called for, not "for"
            tokens += [t for t in child.subtree if t.i != child.i] if not tokens else list(child.subtree)
    return tokens


NOT_ATTRIBUTION = frozenset(
    "be make ensure mean have do get take give let seem appear happen matter require cause result "
    "guarantee assume hope wish pray bet".split()
)


def that_clause_candidates(ctx: _Context) -> list[Candidate]:
    """Any verb outside the lexicon with a that-clause and a person or organisation as subject
    ("understood that X", "is convinced that X"): PolNeAR counts beliefs and knowledge too."""
    found: list[Candidate] = []
    for verb in ctx.tokens_of(VERB, ADJ):
        if verb.lemma_.lower() in CUE_VERBS | NOT_ATTRIBUTION:
            continue
        ccomp = next(
            (
                c
                for c in verb.children
                if c.dep_ == "ccomp"
                and c.i > verb.i
                and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)
            ),
            None,
        )
        if ccomp is None:
            continue
        subject = find_subject(verb) if verb.pos_ == "VERB" else find_subject(verb.head)
        if subject is None or not (
            subject.ent_type_ in ("PERSON", "ORG", "NORP")
            or subject.lower_ in ("he", "she", "they", "we", "i")
        ):
            continue
        content = _content_from_tokens(ctx, list(ccomp.subtree))
        source = source_span(subject)
        if content is None or source is None:
            continue
        found.append(
            ctx.candidate(
                content,
                cue=cue_span(verb),
                source=source,
                cue_token=verb.i,
                source_token=subject.i,
                rule="that_clause",
                confidence=0.35,
            )
        )
    return found


def noun_candidates(ctx: _Context) -> list[Candidate]:
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
        content = _content_from_tokens(ctx, tokens)
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


DASHES = ("―", "—", "–")


def dash_candidates(ctx: _Context) -> list[Candidate]:
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


def according_candidates(ctx: _Context) -> list[Candidate]:
    """'According to X, Y' and 'Y, according to X'; and 'Per X, Y' with X a name or a document."""
    found: list[Candidate] = []
    for token in ctx.doc:
        to: Token | None
        if token.lower_ == "per":
            to, pobj = token, _per_source(token)
        elif token.lower_ == "according":
            to = next((c for c in token.children if c.lower_ == "to"), None)
            if to is None and token.i + 1 < len(ctx.doc) and ctx.doc[token.i + 1].lower_ == "to":
                to = ctx.doc[token.i + 1]
            if to is None:
                continue
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        else:
            continue
        if pobj is None:
            continue
        phrase = {t.i for t in token.subtree} | {t.i for t in to.subtree} | {token.i, to.i}
        sent = token.sent
        tokens = [t for t in sent if t.i not in phrase]
        content = _content_from_tokens(ctx, tokens)
        if content is None:
            continue
        found.append(
            ctx.candidate(
                content,
                cue=(token.idx, to.idx + len(to.text)),
                source=source_span(pobj),
                cue_token=token.i,
                source_token=pobj.i,
                rule="according" if token.lower_ == "according" else "per",
                confidence=0.7,
            )
        )
    return found


#: Verbs that report what was said in an as-clause ("as the Post reported"); not those of
#: promises or predictions ("as she promised", "as he predicted"), which are no statement of it.
AS_CUES = frozenset(
    """say report note tell write state explain announce confirm reveal disclose observe remark
    describe argue add put emphasize emphasise stress acknowledge admit claim insist mention recall
    recount""".split()
)


def as_candidates(ctx: _Context) -> list[Candidate]:
    """'Y, as X reported', 'as first reported by X, Y': an as-clause on a speech verb attributes
    the clause it hangs on, less the as-clause, to the verb's subject or agent."""
    found: list[Candidate] = []
    for token in ctx.doc:
        lemma = token.lemma_.lower()
        if token.dep_ != "advcl" or token.pos_ != "VERB" or lemma not in AS_CUES:
            continue
        if not any(c.dep_ == "mark" and c.lower_ == "as" for c in token.children):
            continue
        if any(
            c.dep_ in ("ccomp", "xcomp") or (c.dep_ == "dobj" and lemma != "tell") for c in token.children
        ):
            continue  # "as she said that ...", "as he reported a loss": a statement of its own
        source = next((c for c in token.children if c.dep_ == "nsubj"), None)
        if source is None:
            agent = next((c for c in token.children if c.dep_ == "agent"), None)
            source = (
                next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            )
        if source is None or source.lower_ in ("it", "this", "that"):
            continue
        lo, hi = token.left_edge.i, token.right_edge.i
        before = [t for t in token.head.subtree if t.i < lo]
        after = [t for t in token.head.subtree if t.i > hi]
        # the side of the as-clause that holds the statement: "Y, as X reported." or "As X
        # reported, Y."
        tokens = (
            before
            if len([t for t in before if not t.is_punct]) >= len([t for t in after if not t.is_punct])
            else after
        )
        content = _content_from_tokens(ctx, tokens)
        if content is None:
            continue
        found.append(
            ctx.candidate(
                content,
                cue=(token.idx, token.idx + len(token.text)),
                source=source_span(source),
                cue_token=token.i,
                source_token=source.i,
                rule="as",
                confidence=0.6,
            )
        )
    return found


def _per_source(token: Token) -> Token | None:
    """The source of 'Per X, ...' opening a sentence: X when it is a name ("Per Bankrate"), a
    definite description ("Per the harbour board") or a document ("Per a 2024 report"), and the
    phrase ends in a comma; not a rate ("$5 per month", "Per person, it costs ...")."""
    if not token.is_sent_start:
        return None
    pobj = next((c for c in token.children if c.dep_ == "pobj"), None)
    if (
        pobj is None
        or pobj.right_edge.i + 1 >= len(token.doc)
        or token.doc[pobj.right_edge.i + 1].text != ","
    ):
        return None
    named = pobj.pos_ == "PROPN" or pobj.ent_type_ in ("PERSON", "ORG", "NORP")
    definite = any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ == "the") for c in pobj.children)
    if named or definite or pobj.lemma_.lower() in DOCUMENT_NOUNS | WRITING_NOUNS:
        return pobj
    return None


#: Labels of an interview's questions and answers: "Q: ...", "A: ...".
QA_LABELS = frozenset({"q", "a", "question", "answer"})


#: Words that mark a line as spoken: someone talking of themselves or to someone.
SPOKEN_WORDS = frozenset("i i'm i’m me my we we're we’re us our you your".split())


def _speaker_label(ctx: _Context, lo: int, colon: int, end: int, people: set[str]) -> bool:
    """Whether the words before a paragraph's colon name a speaker: a person the tagger found
    there or by that surname elsewhere in the article ("ORTIZ:"), a question or answer label, or
    a name in capitals before words that are spoken (a first or second person, a question:
    "HARPER: Why was the first sailing moved?"). Page furniture ("Credit: ...", "PRICE: Up to 40
    dollars", "Editor's Note: This article ...") names none."""
    label = ctx.text[lo:colon].strip()
    if label.lower().rstrip(".") in QA_LABELS:
        return True
    span = ctx.doc.char_span(lo, colon, alignment_mode="expand")
    if span is not None and any(t.ent_type_ == "PERSON" for t in span):
        return True
    if label.split()[-1].lower() in people:
        return True
    line = ctx.text[colon + 1 : end]
    spoken = "?" in line or any(w.strip(".,;:!?\"“”'‘’—-").lower() in SPOKEN_WORDS for w in line.split())
    return label.isupper() and spoken


#: Labels of a page's furniture before a colon, never a speaker ("Pros: Compact, light",
#: "Bottom line: ...", "Editor's note: ...").
LABEL_FURNITURE = frozenset(
    label.strip()
    for label in """update|editor's note|note|watch|read more|pros|cons|the good|the bad|verdict|bottom line|
    the bottom line|price|prices|best for|summary|tip|tips|pro tip|key takeaways|takeaway|
    takeaways|specs|features|size|sizes|weight|materials|ingredients|rating|our take|
    our verdict|related|source|sources|credit|photo|why we like it|what we like|
    what we don't like|who it's for|who should buy it|tldr|tl;dr|tl dr""".split("|")
)


def transcript_candidates(ctx: _Context) -> list[Candidate]:
    """'NAME: what they said' at the start of a paragraph (interview transcripts), where NAME
    names a speaker (``_speaker_label``)."""
    found: list[Candidate] = []
    people = {e[-1].lower_ for e in ctx.doc.ents if e.label_ == "PERSON"}
    for lo, hi in ctx.paragraphs:
        if ctx.text[lo] in '"“':
            lo += 1  # a transcript quoted whole: "“WALLACE: ..."
        colon = ctx.text.find(":", lo, min(hi, lo + 40))
        if colon < 0:
            continue
        name = ctx.text[lo:colon].strip()
        words = name.split()
        if not 1 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
            continue
        if any(ch.isdigit() for ch in name) or name.lower().replace("’", "'") in LABEL_FURNITURE:
            continue
        start, end = _trim(ctx.text, colon + 1, hi)
        if end - start < 10 or not _speaker_label(ctx, lo, colon, hi, people):
            continue
        head = ctx.doc.char_span(lo, colon, alignment_mode="expand")
        found.append(
            ctx.candidate(
                (start, end),
                cue=(colon, colon + 1),
                source=(lo, lo + len(name)),
                cue_token=None,
                source_token=head.root.i if head is not None and len(head) else None,
                rule="transcript",
                confidence=0.6,
            )
        )
    return found


#: First words of a caption or a page's furniture, never a speaker's label ("Photo: Ana Ortiz").
FURNITURE_WORDS = frozenset(
    """photo photograph image picture credit credits courtesy follow source via getty illustration
    video watch read related sponsored advertisement listen share""".split()
)
LABEL_WORDS = 10  # the most words a speaker's label takes
SENTENCE_ENDS = tuple(".?!\"”’'")


def labelled_quotes(ctx: _Context, found: list[Candidate]) -> list[Candidate]:
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


def leftover_quotes(ctx: _Context, found: list[Candidate]) -> list[Candidate]:
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


def _introduced_after(ctx: _Context, q: QuoteMarks, ordered: list[Candidate]) -> Candidate | None:
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


def orphan_quotes(ctx: _Context, found: list[Candidate]) -> list[Candidate]:
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


def _dedupe(candidates: list[Candidate]) -> list[Candidate]:
    """Keep one candidate per content span, preferring the more confident."""
    best: dict[CharSpan, Candidate] = {}
    for candidate in candidates:
        key = (candidate.start, candidate.end)
        if key not in best or candidate.confidence > best[key].confidence:
            best[key] = candidate
    return sorted(best.values(), key=lambda c: (c.start, c.end))


def attribute(doc: Doc) -> list[Candidate]:
    """Every attribution candidate in the doc, in text order."""
    ctx = _Context(doc)
    found = _dedupe(
        cue_candidates(ctx)
        + according_candidates(ctx)
        + as_candidates(ctx)
        + transcript_candidates(ctx)
        + dash_candidates(ctx)
        + noun_candidates(ctx)
        + that_clause_candidates(ctx)
    )
    found = found + labelled_quotes(ctx, found)
    found = found + leftover_quotes(ctx, found)
    found = found + orphan_quotes(ctx, found)
    ordered = sorted(range(len(found)), key=lambda i: (found[i].start, found[i].end))
    remap = {old: new for new, old in enumerate(ordered)}
    result = [found[i] for i in ordered]
    for candidate in result:
        if candidate.continues is not None:
            candidate.continues = remap[candidate.continues]
    return result


__all__ = ["attribute", "cue_span", "find_subject", "source_span"]
