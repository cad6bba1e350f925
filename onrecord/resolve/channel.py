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

from spacy.tokens import Doc, Token

from onrecord.attribution.candidates import Candidate, CharSpan
from onrecord.attribution.cues import KNOWN_OUTLETS, MEDIUM_NOUNS, MEDIUM_PREPS, OUTLET_WORDS
from onrecord.nlp.text import doc_text

BROADCAST_WORDS = frozenset("radio tv television news channel podcast magazine newspaper".split())
TELLING_VERBS = frozenset(
    "tell inform assure reassure warn remind brief advise notify ask urge email text message thank".split()
)
SPEAKING_VERBS = frozenset(
    "speak talk say write explain complain reply respond announce declare admit confess tweet post".split()
)


def _phrase(head: Token, *, stop_at_comma: bool = True) -> CharSpan:
    clauses = {t.i for c in head.children if c.dep_ in ("acl", "relcl", "ccomp") for t in c.subtree}
    tokens = [t for t in head.subtree if t.i not in clauses]
    lo = hi = head.i
    indices = {t.i for t in tokens}
    while lo - 1 in indices and head.doc[lo - 1].dep_ != "punct":
        lo -= 1
    while hi + 1 in indices and not (stop_at_comma and head.doc[hi + 1].text in (",", ";", ":", "(", "—")):
        hi += 1
    doc = head.doc
    while hi > lo and doc[hi].is_punct:
        hi -= 1
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def is_outlet(doc: Doc, span: CharSpan) -> bool:
    """True when the phrase names a news outlet or broadcaster ("The Liverpool Echo", "LBC", "Fox News")."""
    return is_outlet_name(doc_text(doc)[span[0] : span[1]].split())


def is_outlet_name(tokens: list[str]) -> bool:
    """``is_outlet`` for a name given as words."""
    words = [w.strip(".,'’").lower() for w in tokens]
    words = [w for w in words if w]
    if not words:
        return False
    if any(w in KNOWN_OUTLETS for w in words):
        return True
    if not tokens[-1][:1].isupper():
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
    if word in MEDIUM_PREPS and (_is_medium_noun(pobj) or is_outlet(doc, _phrase(pobj))):
        medium = _phrase(pobj)
        addressee = None
        for inner in pobj.children:
            if inner.dep_ == "prep" and inner.lower_ == "to":
                target = next((c for c in inner.children if c.dep_ == "pobj"), None)
                if target is not None and not is_outlet(doc, _phrase(target)):
                    addressee = _phrase(target)
        return medium, addressee
    if word == "with" and verb_lemma in ("speak", "talk", "interview", "chat"):
        span = _phrase(pobj)
        return (span, None) if is_outlet(doc, span) or _is_medium_noun(pobj) else (None, span)
    if word == "to" and verb_lemma in SPEAKING_VERBS:
        span = _phrase(pobj)
        return (span, None) if is_outlet(doc, span) else (None, span)
    return None, None


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
    if verb.dep_ in ("advcl", "conj", "xcomp") and verb.tag_ in ("VBG", "VB") and verb.head is not verb:
        heads.append(verb.head)  # "..., calling for X" shares the main clause's venue
    for head in heads:
        for child in head.children:
            if any(lo <= child.idx < hi for lo, hi in pieces):
                continue
            if child.dep_ == "prep":
                preps.append((child, head.lemma_.lower()))
            elif child.dep_ in ("dobj", "dative", "iobj") and head.lemma_.lower() in TELLING_VERBS:
                span = _phrase(child)
                if child.ent_type_ == "PERSON" and span[0] < child.idx:
                    # "told BBC Radio Solent presenter Jo Miles": the person is the addressee,
                    # the outlet before the role is the medium
                    person = next(e for e in doc.ents if e.start <= child.i < e.end)
                    addressee = addressee or (person.start_char, person.end_char)
                    before = doc.char_span(span[0], person.start_char, alignment_mode="contract")
                    if before is not None:
                        outlet = [e for e in before.ents if e.label_ == "ORG"]
                        if outlet and is_outlet(doc, (outlet[0].start_char, outlet[0].end_char)):
                            medium = medium or (outlet[0].start_char, outlet[0].end_char)
                elif is_outlet(doc, span):
                    medium = medium or span
                elif child.pos_ in ("PROPN", "NOUN", "PRON") and child.lower_ not in ("it", "this", "that"):
                    addressee = addressee or span
    for prep, lemma in preps:
        found_medium, found_addressee = _from_prep(prep, lemma)
        medium = medium or found_medium
        addressee = addressee or found_addressee
    return medium, addressee
