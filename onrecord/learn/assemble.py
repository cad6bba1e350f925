"""From the tagger's role spans to candidates: ``assemble`` links the spans into quotations,
``combine`` merges them with the rules' candidates.

1. each content span is joined to a cue: the cue its root reaches up the parse, else the nearest
   cue of its sentence, else one in the sentence before it (``He said:`` then the quotation);
2. content spans joined to one cue in the same stretch of text are one quotation in pieces
   (``"X," he said, "Y"``);
3. each cue gets the source span that holds its subject, else the nearest source of its sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt
from spacy.tokens import Doc, Token

from onrecord.attribution.candidates import Candidate, CharSpan, quote_type
from onrecord.attribution.quotes import find_quotes, quoted_chars
from onrecord.learn.arrays import BEGIN, INSIDE, OUT, ROLES, spans_from_tags
from onrecord.nlp.text import doc_text, sentence_starts

#: How far (tokens) a content span may look for its cue in the sentence before.
PREVIOUS_SENTENCE_REACH = 60

TokenSpan = tuple[int, int]  # first, last token index (inclusive)


@dataclass(slots=True)
class Tagged:
    """The model's output for one doc: tags and log-probabilities, per token and role."""

    tags: npt.NDArray[np.int8]
    logp: npt.NDArray[np.float32]

    def spans(self, role: str) -> list[TokenSpan]:
        return spans_from_tags(self.tags[:, ROLES.index(role)].tolist())

    def span_probability(self, role: str, span: TokenSpan) -> float:
        """Mean probability of the span's own tags, and of the tag just after it (OUT, or the
        BEGIN of the next span)."""
        k = ROLES.index(role)
        lo, hi = span
        probs = [self.logp[lo, k, BEGIN]] + [self.logp[i, k, INSIDE] for i in range(lo + 1, hi + 1)]
        if hi + 1 < len(self.tags):
            after = OUT if self.tags[hi + 1, k] == OUT else BEGIN
            probs.append(self.logp[hi + 1, k, after])
        return float(np.exp(np.mean(probs)))


def _root(doc: Doc, span: TokenSpan) -> Token:
    """The token of the span whose head lies outside it (the first such, else the first token)."""
    lo, hi = span
    for i in range(lo, hi + 1):
        head = doc[i].head
        if (head.i < lo or head.i > hi or head.i == i) and not doc[i].is_punct:
            return doc[i]
    return doc[lo]


def _chars(doc: Doc, span: TokenSpan) -> CharSpan:
    lo, hi = span
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def _gap(a: TokenSpan, b: TokenSpan) -> int:
    if a[1] < b[0]:
        return b[0] - a[1]
    if b[1] < a[0]:
        return a[0] - b[1]
    return 0


def _sentence_index(doc: Doc) -> npt.NDArray[np.int32]:
    """The sentence number of every token (from the Doc's array: a loop over Token objects costs
    a millisecond an article)."""
    return np.cumsum(sentence_starts(doc), dtype=np.int32) - 1


def _link_by_parse(doc: Doc, span: TokenSpan, owner: dict[int, int], steps: int = 4) -> int | None:
    token = _root(doc, span)
    for _ in range(steps):
        if token.i in owner and not (span[0] <= token.i <= span[1]):
            return owner[token.i]
        if token.head.i == token.i:  # the root
            break
        token = token.head
    return owner.get(token.i) if not (span[0] <= token.i <= span[1]) else None


def assemble(doc: Doc, tagged: Tagged, calibrate: Any = None) -> list[Candidate]:
    """Link the tagged spans into candidates (see the module docstring)."""
    text = doc_text(doc)
    sentence = _sentence_index(doc)
    cues = tagged.spans("cue")
    sources = tagged.spans("source")
    contents = tagged.spans("content")
    cue_of_token = {i: k for k, (lo, hi) in enumerate(cues) for i in range(lo, hi + 1)}
    source_of_token = {i: k for k, (lo, hi) in enumerate(sources) for i in range(lo, hi + 1)}

    links: dict[int, list[int]] = {}
    how: dict[int, str] = {}
    for c, span in enumerate(contents):
        cue = _link_by_parse(doc, span, cue_of_token)
        kind = "parse"
        if cue is None:
            same = [k for k, q in enumerate(cues) if sentence[q[0]] in (sentence[span[0]], sentence[span[1]])]
            if same:
                cue = min(same, key=lambda k: _gap(cues[k], span))
                kind = "sentence"
        if cue is None:
            before = [
                k
                for k, q in enumerate(cues)
                if q[1] < span[0]
                and sentence[q[1]] == sentence[span[0]] - 1
                and span[0] - q[1] <= PREVIOUS_SENTENCE_REACH
            ]
            if before:
                cue = max(before, key=lambda k: cues[k][1])
                kind = "previous"
        if cue is None:
            continue
        links.setdefault(cue, []).append(c)
        how[cue] = kind

    quotes = find_quotes(text)
    out: list[Candidate] = []
    for cue_index in sorted(links, key=lambda k: contents[links[k][0]][0]):
        cue_span = cues[cue_index]
        pieces = _merge_touching(doc, sorted(contents[c] for c in links[cue_index]))
        cue_token = _root(doc, cue_span)
        source_span = _source_for(doc, cue_token, cue_span, sources, source_of_token, sentence, pieces)
        for group in _quotations(pieces, cue_span, sentence):
            out.append(
                _candidate(
                    doc, tagged, group, cue_span, cue_token, source_span, how[cue_index], quotes, calibrate
                )
            )
    return out


def _quotations(
    pieces: list[TokenSpan], cue: TokenSpan, sentence: npt.NDArray[np.int32]
) -> list[list[TokenSpan]]:
    """The content pieces linked to one cue, grouped into quotations: two pieces in a row are one
    quotation when they share a sentence or the cue stands between them ('"X," he said, "Y"');
    otherwise the later one is a quotation of its own with the same cue (dev: relation F1 +0.2,
    content exact +0.4)."""
    groups = [[pieces[0]]]
    for previous, piece in pairwise(pieces):
        between = previous[1] < cue[0] and cue[1] < piece[0]
        if between or sentence[previous[1]] == sentence[piece[0]]:
            groups[-1].append(piece)
        else:
            groups.append([piece])
    return groups


def _candidate(
    doc: Doc,
    tagged: Tagged,
    pieces: list[TokenSpan],
    cue_span: TokenSpan,
    cue_token: Token,
    source_span: TokenSpan | None,
    how: str,
    quotes: Any,
    calibrate: Any,
) -> Candidate:
    text = doc_text(doc)
    content_chars = [_chars(doc, p) for p in pieces]
    probability = min(tagged.span_probability("content", p) for p in pieces)
    probability *= tagged.span_probability("cue", cue_span)
    if source_span is not None:
        probability *= tagged.span_probability("source", source_span)
    confidence = calibrate(probability) if calibrate is not None else probability
    source_token, source_chars = None, None
    if source_span is not None:
        source_span = _trim_source(doc, source_span)
        source_chars = _chars(doc, source_span)
        # the mention's head for resolving the speaker: the cue's subject where the span holds it
        # (a span that runs over a clause, "..., but the Alliance, which ...", has its root elsewhere;
        # dev: speakers 247 -> 250 of 289), else the span's own root
        source_token = _subject_in(cue_token, source_span) or _root(doc, source_span)
    # PolNeAR never marks a relation's cue or source inside its content (none of its 22,024 train
    # and dev relations does). Where the tagger's overlap, a cue that starts before the content
    # gives way ("gave some blunt advice to" -> "gave"); otherwise the content loses the
    # cue and the source ("the mayor's claim that ..." -> "that ..."). Dev content exact 62.7 ->
    # 62.9, cue 73.2 -> 73.3; on the 84 held-out train articles relation F1 82.5 -> 82.6, cue
    # exact 75.4 -> 75.6, content 67.1 -> 67.0 (cutting the content alone: dev 63.0, held-out 66.8)
    cue_chars = _chars(doc, cue_span)
    first = min(a for a, _ in content_chars)
    if cue_chars[0] < first < cue_chars[1]:
        end = first
        while end > cue_chars[0] and text[end - 1].isspace():
            end -= 1
        cue_chars = (cue_chars[0], end)
    roles = [cue_chars] + ([source_chars] if source_chars is not None else [])
    content_chars = _without(text, content_chars, roles) or content_chars
    return Candidate(
        content=content_chars,
        cue=cue_chars,
        source=source_chars,
        cue_token=cue_token.i,
        source_token=source_token.i if source_token is not None else None,
        rule=f"learned.{how}",
        confidence=confidence,
        quoted_chars=sum(quoted_chars(text, quotes, s, e) for s, e in content_chars),
    )


#: the named entities a relative clause's cue may take its source from ("Ana Ortiz, who has vowed")
NAMED_SOURCES = frozenset({"PERSON", "ORG", "NORP"})
#: words a source's phrase does not end with: a tagged span that does stops short of the phrase
#: it began ("harbour officials in", "Ms Lee, who")
_DANGLING = {"ADP", "CCONJ", "SCONJ", "DET"}
_DANGLING_WORDS = {"who", "whom", "which", "whose", "that"}
_DASHES = {"-", "–", "—", "--"}
#: what separates a content piece from a cue or source cut out of it (", he said, ")
_SEPARATORS = ",;:"


def _trim_source(doc: Doc, span: TokenSpan) -> TokenSpan:
    """A tagged source without what cannot end a noun phrase (a dangling preposition, conjunction,
    determiner or relative pronoun; a closing dash stays, as PolNeAR marks it) and without a
    dateline before it ("PORTSMOUTH -- The mayor"). PolNeAR dev: source exact F1 80.3 ->
    80.5 (1,470 -> 1,474 of 1,952)."""
    lo, hi = span
    while hi > lo and (doc[hi].pos_ in _DANGLING or doc[hi].lower_ in _DANGLING_WORDS):
        hi -= 1
    while (
        lo + 2 <= hi
        and doc[lo].is_upper
        and doc[lo].is_alpha
        and len(doc[lo]) > 1
        and doc[lo + 1].text in _DASHES
    ):
        lo += 2
    return lo, hi


def _without(text: str, pieces: list[CharSpan], cuts: list[CharSpan]) -> list[CharSpan]:
    """``pieces`` less the character ranges ``cuts``; where a piece is cut, the new edge loses its
    spaces and separating punctuation (", he said, "), and a remnant without a letter or digit is
    dropped."""
    out: list[CharSpan] = []
    for start, end in pieces:
        # (start, end, cut at the start, cut at the end)
        segments = [(start, end, False, False)]
        for lo, hi in cuts:
            kept = []
            for a, b, cut_a, cut_b in segments:
                if not (lo < b and a < hi):
                    kept.append((a, b, cut_a, cut_b))
                    continue
                if a < lo:
                    kept.append((a, lo, cut_a, True))
                if hi < b:
                    kept.append((hi, b, True, cut_b))
            segments = kept
        for a, b, cut_a, cut_b in segments:
            while cut_a and a < b and (text[a].isspace() or text[a] in _SEPARATORS):
                a += 1
            while cut_b and b > a and (text[b - 1].isspace() or text[b - 1] in _SEPARATORS):
                b -= 1
            if any(ch.isalnum() for ch in text[a:b]):
                out.append((a, b))
    return out


def _subject_in(cue_token: Token, span: TokenSpan) -> Token | None:
    """The cue's subject (active or passive) when it lies in ``span``."""
    lo, hi = span
    return next((c for c in cue_token.children if c.dep_ in ("nsubj", "nsubjpass") and lo <= c.i <= hi), None)


def _merge_touching(doc: Doc, pieces: list[TokenSpan]) -> list[TokenSpan]:
    """Pieces of one quotation with nothing but whitespace between them are one piece."""
    merged: list[TokenSpan] = []
    for lo, hi in pieces:
        if merged and all(doc[i].is_space for i in range(merged[-1][1] + 1, lo)):
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def _source_for(
    doc: Doc,
    cue_token: Token,
    cue_span: TokenSpan,
    sources: list[TokenSpan],
    source_of_token: dict[int, int],
    sentence: npt.NDArray[np.int32],
    pieces: list[TokenSpan],
) -> TokenSpan | None:
    # the cue's subject (or the agent of a passive cue, or "according to X")
    for child in cue_token.children:
        if child.dep_ in ("nsubj", "nsubjpass", "agent", "pobj", "prep") and child.i in source_of_token:
            return sources[source_of_token[child.i]]
        if child.dep_ in ("agent", "prep"):
            for grandchild in child.children:
                if grandchild.i in source_of_token:
                    return sources[source_of_token[grandchild.i]]
    here = sentence[cue_span[0]]
    inside = [(lo, hi) for lo, hi in pieces]
    owner = _owner(cue_token)
    within = cue_token.left_edge.i, cue_token.right_edge.i
    if (
        owner is not None
        and not any(lo <= owner.i <= hi for lo, hi in inside)
        and any(within[0] <= lo and hi <= within[1] for lo, hi in inside)  # the content is the noun's
    ):
        last = owner.right_edge.i
        while last > owner.i and doc[last].is_space:
            last -= 1
        return owner.left_edge.i, last
    relative = _relative_subject(cue_token)
    if relative is not None and not any(lo <= relative.i <= hi for lo, hi in inside):
        return relative.i, relative.i
    same = [
        k
        for k, s in enumerate(sources)
        if sentence[s[0]] == here
        and not any(lo <= s[0] and s[1] <= hi for lo, hi in inside)
        and not _agent_of_another(doc[s[0] : s[1] + 1].root, cue_token)
    ]
    if same:
        return sources[min(same, key=lambda k: _gap(sources[k], cue_span))]
    return None


#: entity types of a possessive that dates or places a noun cue rather than owning it
#: ("Tuesday's statement", "Iowa's caucus result")
_NOT_OWNERS = frozenset({"DATE", "TIME", "GPE", "LOC", "CARDINAL", "ORDINAL", "PERCENT", "MONEY"})


def _owner(cue_token: Token) -> Token | None:
    """A noun cue's possessive owner ("Ana Ortiz's pledge to ...", "her claim that ..."): the
    cue's own source, where the tagger left it untagged and would otherwise take the nearest
    source of the sentence ("The concerns of many voters go beyond Ortiz's pledge to ...")."""
    if cue_token.pos_ != "NOUN":
        return None
    owner = next((c for c in cue_token.children if c.dep_ == "poss" and c.i < cue_token.i), None)
    if owner is None or owner.ent_type_ in _NOT_OWNERS:
        return None
    return owner if owner.pos_ in ("PROPN", "PRON", "NOUN") else None


def _relative_subject(cue_token: Token) -> Token | None:
    """The relative pronoun that is the subject of a cue opening a relative clause ("Ana Ortiz,
    who has vowed to ..."): the tagger may leave it untagged, and the nearest source it tagged is
    then the main clause's subject, not the cue's. Only after a name: "a new ad, which calls ..."
    leaves the source to the tagger."""
    named = cue_token.head
    if cue_token.dep_ != "relcl" or named.pos_ != "PROPN" or named.ent_type_ not in NAMED_SOURCES:
        return None
    return next(
        (c for c in cue_token.children if c.dep_ in ("nsubj", "nsubjpass") and c.tag_ in ("WP", "WDT")),
        None,
    )  # a passive one too: "who is thought to have urged", "who's called for" (parsed passive)


def _agent_of_another(token: Token, cue_token: Token) -> bool:
    """``token`` is the agent of another passive verb joined to the cue ("he was denounced by X;
    praised Y and declared ..."): X is that verb's source, not the cue's."""
    agent = token.head
    if token.dep_ != "pobj" or agent.dep_ != "agent" or agent.head.i == cue_token.i:
        return False
    return _conjunction_root(agent.head).i == _conjunction_root(cue_token).i


def _conjunction_root(verb: Token) -> Token:
    """The first verb of the chain of joined verbs ``verb`` is in."""
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    return verb


#: Rules for layouts the model rarely saw in training, kept even where they quote no words: a
#: transcript line ("ORTIZ: ..."), "Per X, ..." (PolNeAR's news says "according to") and "...,
#: as X reported".
UNSEEN_RULES = frozenset({"transcript", "per", "as"})
#: Layouts whose rule wins over an overlapping learned candidate: a transcript line, and a
#: quotation signed with a dash after it ('“...” – Ana O.'), where the model guesses a cue in
#: the sentence before.
RULE_LAYOUTS = frozenset({"transcript", "dash"})


def combine(text: str, learned: list[Candidate], rules: Sequence[Candidate]) -> list[Candidate]:
    """The learned candidates plus the rules' direct quotations and the candidates of
    ``UNSEEN_RULES`` (transcript lines, "Per X", as-clauses) that none of them overlaps."""
    by_cue = {c.cue: c for c in rules if c.cue is not None}
    for candidate in learned:
        nearer = _nearer_cue(candidate, rules)
        if nearer is not None:
            # '"Never!" the dockers shouted. "Shall we sell the pier?" Ortiz asked.': the model
            # linked the second quotation to the cue of the sentence before, a rule to its own
            candidate.cue, candidate.cue_token = nearer.cue, nearer.cue_token
            candidate.source, candidate.source_token = nearer.source, nearer.source_token
        rule = by_cue.get(candidate.cue) if candidate.cue is not None else None
        if rule is not None and rule.medium_prep is not None:
            candidate.medium_prep = rule.medium_prep
        if candidate.source is None:
            # the model saw no source: the rule's for the same cue or the same content, if any
            rule = rule if rule is not None and rule.source is not None else _covering(candidate, rules)
            if rule is not None and rule.source is not None:
                candidate.source, candidate.source_token = rule.source, rule.source_token
    # a transcript line ("ORTIZ: ...", "A: ...") is the rule's: its label is the speaker, a
    # layout the model rarely saw
    lines = [r for r in rules if r.rule in RULE_LAYOUTS]
    learned = [c for c in learned if not any(c.start < r.end and r.start < c.end for r in lines)]
    taken = [(c.start, c.end) for c in learned]
    # the final candidate standing for each rule candidate: itself when added, or the learned
    # candidate that overlaps it (a continuation keeps that one's speaker)
    stands_for: dict[int, Candidate] = {}
    added: list[Candidate] = []
    for index, rule in enumerate(rules):
        overlapping = next((c for c in learned if c.start < rule.end and rule.start < c.end), None)
        if overlapping is not None:
            stands_for[index] = overlapping
            continue
        if quote_type(rule, text) != "direct" and rule.rule not in UNSEEN_RULES:
            continue
        if rule.continues is not None and rule.continues not in stands_for:
            continue
        if any(s < rule.end and rule.start < e for s, e in taken):
            continue
        copy = replace(rule)
        copy.continues = None
        stands_for[index] = copy
        added.append(copy)
        if rule.continues is not None:
            copy.continues = -1 - rule.continues  # resolved to a final index below
    result = sorted(learned + added, key=lambda c: (c.start, c.end))
    position = {id(c): i for i, c in enumerate(result)}
    for candidate in result:
        if candidate.continues is not None and candidate.continues < 0:
            target = position[id(stands_for[-1 - candidate.continues])]
            candidate.continues = target if target < position[id(candidate)] else None
    return result


def _nearer_cue(candidate: Candidate, rules: Sequence[Candidate]) -> Candidate | None:
    """For a quotation linked to a cue in the sentence before it ("learned.previous"), a rule
    candidate for the same content with a cue of its own after that cue and after the
    quotation opens, its cue and source outside the quoted words ('"...?" Ortiz asked', not a
    cue inside them)."""
    if candidate.rule != "learned.previous" or candidate.cue is None or not candidate.quoted_chars:
        return None
    for rule in rules:
        if (
            rule.cue is not None
            and rule.source is not None
            and rule.cue[0] > max(candidate.cue[1], candidate.start)  # '"...," Ortiz asked'
            and rule.source[0] > candidate.cue[1]
            and not any(
                s < end and start < e for s, e in candidate.content for start, end in (rule.cue, rule.source)
            )
            and _shared(candidate, rule) > 0.5
        ):
            return rule
    return None


def _shared(candidate: Candidate, rule: Candidate) -> float:
    """The share of ``candidate``'s content that ``rule``'s content covers."""
    length = sum(e - s for s, e in candidate.content) or 1
    return (
        sum(max(0, min(e, re) - max(s, rs)) for s, e in candidate.content for rs, re in rule.content) / length
    )


def _covering(candidate: Candidate, rules: Sequence[Candidate]) -> Candidate | None:
    """The rule candidate with a source that shares most of ``candidate``'s content (over half)."""
    best, best_share = None, 0.5
    for rule in rules:
        if rule.source is None:
            continue
        shared = _shared(candidate, rule)
        if shared > best_share:
            best, best_share = rule, shared
    return best
