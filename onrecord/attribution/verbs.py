"""Verb rules: cue verbs and that-clauses.

**Cue verbs** (``cue_candidates``): a verb from the cue lexicon with a clausal complement
(``ccomp``; ``xcomp`` for intention verbs), or followed by a quotation after a colon or comma
("told the Echo: “...”"), or preceded by one ('“...,” he said'), or set in the middle of its
content as a parenthetical ("X, he said, Y"); else a passive's subject ("was backed by X") or
the verb's object ("called for X"). The source is the verb's subject, found through conjoined
verbs ("defended ... and said"), participles ("adding: ...") and relative clauses ("Musk, who
wrote ..."). A trailing medium phrase ("..., in a letter to X") is moved out of the content.

**That-clauses** (``that_clause_candidates``): any verb outside the lexicon with a that-clause
and a person or organisation as subject ("understood that X").
"""

from __future__ import annotations

from spacy.symbols import ADJ, VERB
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from onrecord.attribution.candidates import Candidate, CharSpan
from onrecord.attribution.context import (
    Context,
    content_from_tokens,
    cue_span,
    find_subject,
    is_cue,
    source_span,
    trim,
)
from onrecord.attribution.quotes import QuoteMarks
from onrecord.lexicon import (
    BELIEF_VERBS,
    CUE_VERBS,
    INTENT_VERBS,
    MEDIUM_NOUNS,
    MEDIUM_PREPS,
    OBJECT_CUES,
    QUOTE_CUES,
    SPEECH_VERBS,
    WEAK_CUES,
    XCOMP_CUES,
)

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


def _medium_tail(ctx: Context, verb: Token, content: CharSpan) -> tuple[CharSpan, Token | None]:
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
                new = trim(ctx.text, start, ctx.doc[before].idx)
                return new, token
    return content, None


def _quote_after(ctx: Context, verb: Token, sent: SpacySpan) -> QuoteMarks | None:
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
        if any(is_cue(t) for t in ctx.tokens_from(verb_end, q.start)):
            return None  # "praised the crews, adding: “...”": the nearer cue introduces it
        if stripped == "" or stripped.endswith((":", ",")):
            return q
        return None
    return None


def _quote_before(ctx: Context, verb: Token, subject: Token | None) -> QuoteMarks | None:
    """A quotation that the verb's clause closes: '“...,” he said'."""
    first = min([verb.i] + ([t.i for t in subject.subtree] if subject is not None else []))
    clause_start = ctx.doc[first].idx
    lo, _ = ctx.paragraph_of(verb.idx)
    for q in reversed(ctx.quotes):
        if q.end <= clause_start and q.end >= lo:
            return q if ctx.only_glue(q.end, clause_start) else None
    return None


def cue_candidates(ctx: Context) -> list[Candidate]:
    found: list[Candidate] = []
    for sent in ctx.doc.sents:
        for verb in sent:
            if not is_cue(verb):
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


def _from_cue_verb(ctx: Context, verb: Token, sent: SpacySpan) -> Candidate | None:
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
                and is_cue(token)
                and token.i > verb.i
                and ctx.doc[token.i - 1].text == ","
            ):
                cut.update(t.i for t in token.subtree)
                cut.add(token.i - 1)
        if cut:
            tokens = [t for t in tokens if t.i not in cut and t.i < min(cut)]
        span = content_from_tokens(ctx, tokens)
        if span is not None:
            pieces.append(span)

    if ccomp is not None and not (subject is not None and subject.i in {t.i for t in ccomp.subtree}):
        tokens = list(ccomp.subtree)
        for conj in verb.children:
            # "said she X, but the Government will not “Y”": a clause the parse hung on the cue
            if (
                conj.dep_ == "conj"
                and conj.i > ccomp.i
                and not is_cue(conj)
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
                    and not is_cue(conj)
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


def that_clause_candidates(ctx: Context) -> list[Candidate]:
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
        content = content_from_tokens(ctx, list(ccomp.subtree))
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
