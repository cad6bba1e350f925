"""Medium and addressee: through which channel a statement was made, and to whom.

Read off the cue verb's dependents (and those of a participle clause hung on it):

- ``told The Liverpool Echo`` / ``told reporters``: the object of a telling verb is a
  medium when it names a news outlet, otherwise the addressee;
- ``said in a statement``, ``wrote on X``, ``said during an interview``: a prepositional
  phrase headed by a medium noun or a platform is the medium;
- ``in a letter to Oldham Council``: the medium, with its ``to`` phrase as the addressee;
- ``Speaking with LBC, ... told Matthew Wright``: medium LBC (from the participle), addressee
  Matthew Wright;
- ``said to reporters``: the addressee.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from onrecord.attribution.candidates import Candidate, CharSpan
from onrecord.lexicon import KNOWN_OUTLETS, MEDIUM_NOUNS, MEDIUM_PREPS, OUTLET_WORDS
from onrecord.nlp.text import doc_text

QUOTE_MARKS = frozenset('"“”') | {"''", "``"}
#: "'s “Island Hour”" right after an outlet's name: the programme
_TITLE_AFTER = re.compile(r"""['’]s\s+(?:["“][^"“”\n]{1,60}["”]|''[^'\n]{1,60}'')""")
_POSSESSIVE = re.compile(r"['’]s$")
_OBJECTS = ("dobj", "dative", "iobj")
#: objects of a telling verb that are what is told, not whom: "tells the story of ...", "told what"
_NOT_ADDRESSEES = frozenset(
    "it this that what which whatever story stories tale truth lie lies joke secret".split()
)
#: a site's name as an outlet: "TODAY.com", "Politico.eu"
_SITE = re.compile(r"^[A-Z][\w-]*\.(?:com|org|net|news|co\.uk|eu)$", re.IGNORECASE)
BROADCAST_WORDS = frozenset("radio tv television news channel podcast magazine newspaper".split())
TELLING_VERBS = frozenset(
    "tell inform assure reassure warn remind brief advise notify ask urge email text message thank".split()
)
SPEAKING_VERBS = frozenset(
    "speak talk say write explain complain reply respond announce declare admit confess tweet post".split()
)


def _phrase(head: Token, *, stop_at_comma: bool = True) -> CharSpan:
    """The phrase ``head`` heads, without clauses hung on it. A quoted title stays whole:
    'Harbour TV's "Morning Tide"', 'Harbour News's “Island Hour”'."""
    doc = head.doc
    clauses = {t.i for c in head.children if c.dep_ in ("acl", "relcl", "ccomp") for t in c.subtree}
    tokens = [t for t in head.subtree if t.i not in clauses]
    lo = hi = head.i
    indices = {t.i for t in tokens}
    while lo - 1 in indices and (doc[lo - 1].dep_ != "punct" or doc[lo - 1].text in QUOTE_MARKS):
        lo -= 1
    while hi + 1 in indices and not (stop_at_comma and doc[hi + 1].text in (",", ";", ":", "(", "—")):
        hi += 1
    while hi > lo and doc[hi].is_punct and doc[hi].text not in QUOTE_MARKS:
        hi -= 1
    while lo < hi and doc[lo].text in QUOTE_MARKS and not _opens_title(doc, lo, hi):
        lo += 1
    if any(doc[i].text in QUOTE_MARKS for i in range(lo, hi + 1)):
        hi = _balance_quotes(doc, lo, hi)
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def _opens_title(doc: Doc, lo: int, hi: int) -> bool:
    """True when the quote mark at ``lo`` opens a title that the phrase goes on after."""
    return lo < hi and any(doc[i].text in QUOTE_MARKS for i in range(lo + 1, min(hi + 2, len(doc))))


def _balance_quotes(doc: Doc, lo: int, hi: int) -> int:
    """``hi``, moved past the closing mark of a title the phrase opens ('"Morning Tide"'), or back
    before a mark it leaves dangling."""
    marks = sum(doc[i].text in QUOTE_MARKS for i in range(lo, hi + 1))
    if marks % 2 == 0:
        return hi
    if hi + 1 < len(doc) and doc[hi + 1].text in QUOTE_MARKS and doc[hi].text not in QUOTE_MARKS:
        return hi + 1
    while hi > lo and (doc[hi].is_punct or doc[hi].text in QUOTE_MARKS):
        hi -= 1
    return hi


def _with_title(doc: Doc, span: CharSpan) -> CharSpan:
    """An outlet's span with the programme its possessive names: "Harbour News" -> "Harbour
    News's “Island Hour”" (the parse of such a possessive before a quotation is often broken)."""
    text = doc_text(doc)
    found = _TITLE_AFTER.match(text, span[1])
    return (span[0], found.end()) if found else span


def is_outlet(doc: Doc, span: CharSpan) -> bool:
    """True when the phrase names a news outlet or broadcaster ("The Liverpool Echo", "LBC", "Fox News")."""
    return is_outlet_name(doc_text(doc)[span[0] : span[1]].split())


def is_outlet_name(tokens: list[str]) -> bool:
    """``is_outlet`` for a name given as words."""
    stripped = [(t, t.strip(".,'’\"“”")) for t in tokens]
    pairs = [(t, _POSSESSIVE.sub("", bare).lower()) for t, bare in stripped]
    pairs = [(t, w) for t, w in pairs if w]
    words = [w for _, w in pairs]
    if not words:
        return False
    if any(w in KNOWN_OUTLETS for w in words):
        return True
    if any(t[:1].isupper() and _SITE.match(bare) for t, bare in stripped):
        return True  # "TODAY.com"
    if any(_POSSESSIVE.search(t.rstrip('"“”')) and t[:1].isupper() and w in OUTLET_WORDS for t, w in pairs):
        return True  # "the Herald's weekly video series", "Harbour TV's morning show"
    if not tokens[-1].lstrip('"“')[:1].isupper():
        return False
    # "The Liverpool Echo", "Fox News"; "Radio Kent", "Sky News Australia"
    return words[-1] in OUTLET_WORDS or any(w in BROADCAST_WORDS for w in words)


def _is_medium_noun(token: Token) -> bool:
    return token.lemma_.lower() in MEDIUM_NOUNS or token.lower_ in MEDIUM_NOUNS


def _from_prep(prep: Token, verb_lemma: str) -> tuple[CharSpan | None, CharSpan | None]:
    """Medium and addressee from one prepositional phrase on the cue."""
    doc = prep.doc
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None, None
    word = prep.lower_
    if word in ("in", "at") and pobj.ent_type_ in ("GPE", "FAC", "LOC") and verb_lemma in SPEAKING_VERBS:
        # "said in Everett, Wash.", "spoke at the Oval Office": the venue
        return _phrase(pobj, stop_at_comma=False), None
    if word in MEDIUM_PREPS:
        medium = _phrase(pobj)
        outlet = is_outlet(doc, medium)
        if outlet or _is_medium_noun(pobj):
            addressee = None
            for inner in pobj.children:
                if inner.dep_ == "prep" and inner.lower_ == "to":
                    target = next((c for c in inner.children if c.dep_ == "pobj"), None)
                    span = _phrase(target) if target is not None else None
                    if span is not None and not is_outlet(doc, span):
                        addressee = span
            return (_with_title(doc, medium) if outlet else medium), addressee
    if word == "with" and verb_lemma in ("speak", "talk", "interview", "chat"):
        span = _phrase(pobj)
        if is_outlet(doc, span):
            return _with_title(doc, span), None
        return (span, None) if _is_medium_noun(pobj) else (None, span)
    if word == "to" and verb_lemma in SPEAKING_VERBS:
        span = _phrase(pobj)
        return (_with_title(doc, span), None) if is_outlet(doc, span) else (None, span)
    return None, None


def _inside(offset: int, pieces: list[CharSpan]) -> bool:
    return any(lo <= offset < hi for lo, hi in pieces)


def find_channel(doc: Doc, candidate: Candidate) -> tuple[CharSpan | None, CharSpan | None]:
    """(medium, addressee) of one candidate, as character spans, or None where there is none."""
    if candidate.cue_token is None:
        return None, None
    verb = doc[candidate.cue_token]
    medium: CharSpan | None = None
    addressee: CharSpan | None = None
    pieces = candidate.content
    preps: list[tuple[Token, str]] = []
    if candidate.medium_prep is not None:
        preps.append((doc[candidate.medium_prep], verb.lemma_.lower()))
    heads = [verb] + [c for c in verb.children if c.dep_ in ("advcl", "prep") and c.tag_ == "VBG"]
    if candidate.cue is not None:
        # "continued to argue in a statement that ...": the verb the cue's head governs
        heads += [
            c for c in verb.children if c.dep_ == "xcomp" and candidate.cue[0] <= c.idx < candidate.cue[1]
        ]
    if verb.dep_ in ("advcl", "conj", "xcomp") and verb.tag_ in ("VBG", "VB") and verb.head is not verb:
        heads.append(verb.head)  # "..., calling for X" shares the main clause's venue
    for head in heads:
        # "told co-host Jo Miles" (parsed as three objects): the person first
        for child in sorted(
            head.children, key=lambda c: not (c.dep_ in _OBJECTS and c.ent_type_ == "PERSON")
        ):
            if _inside(child.idx, pieces):
                continue
            if child.dep_ == "prep":
                preps.append((child, head.lemma_.lower()))
            elif child.dep_ == "advmod":
                # "explained later at the hearing", "argued, again in an interview with ..."
                preps.extend(
                    (c, head.lemma_.lower())
                    for c in child.children
                    if c.dep_ == "prep" and c.lower_ in MEDIUM_PREPS and not _inside(c.idx, pieces)
                )
            elif child.dep_ in _OBJECTS and head.lemma_.lower() in TELLING_VERBS:
                span = _phrase(child)
                person = next((e for e in doc.ents if e.start <= child.i < e.end), None)
                the = any(c.dep_ == "det" for c in child.children)  # "the Gazette", tagged a person
                if the and person is not None and is_outlet(doc, (person.start_char, person.end_char)):
                    medium = medium or _with_title(doc, span)
                elif child.ent_type_ == "PERSON" and person is not None and span[0] < child.idx:
                    # "told BBC Radio Solent presenter Jo Miles": the person is the addressee,
                    # the outlet before the role is the medium
                    addressee = addressee or (person.start_char, person.end_char)
                    before = doc.char_span(span[0], person.start_char, alignment_mode="contract")
                    if before is not None:
                        outlet = [e for e in before.ents if e.label_ == "ORG"]
                        if outlet and is_outlet(doc, (outlet[0].start_char, outlet[0].end_char)):
                            medium = medium or (outlet[0].start_char, outlet[0].end_char)
                elif is_outlet(doc, span):
                    medium = medium or _with_title(doc, span)
                elif child.pos_ in ("PROPN", "NOUN", "PRON") and child.lower_ not in _NOT_ADDRESSEES:
                    addressee = addressee or span
    owner = verb.head
    if medium is None and verb.dep_ == "acl" and _is_medium_noun(owner) and not _inside(owner.idx, pieces):
        # "issued a statement saying ...", "posted a tweet claiming ...": the noun the cue hangs on
        medium = _phrase(owner)
    for prep, lemma in preps:
        found_medium, found_addressee = _from_prep(prep, lemma)
        medium = medium or found_medium
        addressee = addressee or found_addressee
    return medium, addressee
