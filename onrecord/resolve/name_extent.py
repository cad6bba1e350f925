"""A person's name to its full extent (``name_extent``): what the tagger cut off or took in
around a name, its suffix ("Jr."), whether a word is a known first name, and the gender its
honorific gives (``ent_gender``)."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from onrecord.lexicon import (
    FEMALE_HONORIFICS,
    HONORIFICS,
    MALE_HONORIFICS,
    NAME_SUFFIXES,
    PERSON_LABELS,
    TITLES,
)
from onrecord.nlp.model import verb_lemmas
from onrecord.nlp.text import doc_text
from onrecord.resolve.gender import first_name_gender
from onrecord.resolve.names import written_after_the


def in_headline(ent: SpacySpan) -> bool:
    """True inside a title-cased line, where the tagger often takes a verb into a name ("Rip
    Donald Trump"); not in a sentence full of names that ends in a full stop with a word in lower
    case ("Harbour President Elena Ruiz Castro met the mayor in Dover.")."""
    sent = ent.sent
    words = [t for t in sent if t.is_alpha and len(t.text) > 3]
    if len(words) < 3 or sum(t.text[0].isupper() for t in words) / len(words) <= 0.7:
        return False
    ending = [t for t in sent if not (t.is_space or t.is_quote)]
    return not (ending and ending[-1].text == "." and any(t.is_lower for t in words))


HYPHENS = frozenset({"-", "‐", "‑"})


def glued_hyphen(doc: Doc, i: int) -> bool:
    """Token ``i`` is a hyphen written with no space on either side ("Ortiz-Reyes", "Ji-woo")."""
    return i > 0 and doc[i].text in HYPHENS and not doc[i].whitespace_ and not doc[i - 1].whitespace_


def known_first_name(token: Token) -> bool:
    return token.is_alpha and token.text[:1].isupper() and first_name_gender(token.text) is not None


def name_extent(ent: SpacySpan) -> SpacySpan:
    """A person's name to its full extent, and no further.

    The tagger's span is widened over what it cuts off, a hyphenated first name's first half
    ("Anna-" before "Lena Berg"), a first name before a middle name ("Rosa" before "Mae
    Delgado"), a surname after a tagged first and middle name ("Delgado" after "Rosa Mae"), and
    a generational suffix after the name ("Jr.", "III"); and narrowed by what it glues on, an
    abbreviated role before a first name ("QB Tom Brady"), a verb opening the sentence ("Toss"
    before a surname), an article before it ("The Ana Ortiz-led panel") and a bracket after it
    ("Kiara C. (Read all reviews.)"). Role words ("Chairperson Ada Lin") are ``TITLES``, which
    ``name_words`` leaves out of the name.
    """
    if ent.label_ not in PERSON_LABELS:
        return ent
    doc = ent.doc
    start, end = ent.start, ent.end
    bracket = next((t.i for t in ent[1:] if t.text in ("(", "[")), None)
    if bracket is not None:
        end = bracket  # "Kiara C. (Read all reviews.)": a name stops at a bracket
    if end - start >= 3 and doc[start].lower_ == "the":
        start += 1  # "The Donald Trump-led field": the article is no part of the name
    while (
        start >= 2
        and glued_hyphen(doc, start - 1)
        and doc[start - 2].is_alpha
        and doc[start - 2].text[:1].isupper()
    ):
        start -= 2
    while (
        end + 1 < len(doc)
        and glued_hyphen(doc, end)
        and doc[end + 1].is_alpha
        and doc[end + 1].pos_ == "PROPN"  # not "the Ana Ortiz-led talks"
        and not doc[end + 1].ent_type_
    ):
        end += 2  # "Park Ji" tagged in "Park Ji-woo": the name goes on after the hyphen
    if (
        start == ent.start
        and start >= 1
        and doc[start - 1].pos_ == "PROPN"
        and not doc[start - 1].ent_type_
        and doc[start - 1].lower_ not in TITLES | HONORIFICS
        and end - start >= 2
        and known_first_name(doc[start - 1])
        and known_first_name(doc[start])
    ):
        start -= 1
    if (
        end < len(doc)
        and end - start >= 2
        and known_first_name(doc[start])
        and doc[end - 1].dep_ == "compound"
        and doc[end - 1].head.i == end
        and doc[end].pos_ == "PROPN"
        and doc[end].is_title
        and not doc[end].ent_type_
        and doc[end].lower_ not in TITLES | HONORIFICS | NAME_SUFFIXES
        and not in_headline(ent)  # "Ana Ortiz Wins": a title-case headline's verb
    ):
        end += 1  # "Rosa Mae" tagged, "Delgado" left out: the surname the tagged words modify
    if (
        end - start == 1
        and end < len(doc)
        and not doc[end].ent_type_
        and role_word_surname(doc, start, end + 1, tagged=True)
    ):
        end += 1  # "Rosa" tagged in "Sen. Rosa Judge": the surname is a role word
    if end < len(doc) and doc[end].lower_.rstrip(".") in NAME_SUFFIXES and doc[end - 1].text != ",":
        end += 1
    core = end - (1 if doc[end - 1].lower_.rstrip(".") in NAME_SUFFIXES else 0)
    while (
        core - start >= 3
        and doc[start].is_upper
        and doc[start].is_alpha  # not an initial ("C. Stewart Verdery")
        and 2 <= len(doc[start].text) <= 4
        and known_first_name(doc[start + 1])
    ):
        start += 1  # "QB Tom Brady": an abbreviated role before a first name is not the name
    while (
        end - start >= 3
        and doc[start].is_upper
        and doc[start].is_alpha
        and 2 <= len(doc[start].text) <= 4
        and not known_first_name(doc[start])
        and doc[start + 1].lower_.rstrip(".") in TITLES | HONORIFICS
    ):
        start += 1  # "GOP Rep. Ana Ortiz": a party's abbreviation before a title
    if end - start >= 2 and doc[start].is_sent_start and doc[start].is_title and _imperative(doc[start], ent):
        start += 1  # "Toss Delgado the ball": an imperative, not a first name
    if (start, end) == (ent.start, ent.end):
        return ent
    return SpacySpan(doc, start, end, label=ent.label_)


def _imperative(first: Token, ent: SpacySpan) -> bool:
    """Whether the word opening a sentence and a name is a verb in the imperative: tagged a verb,
    or a verb the model's lemmatizer knows ("Toss", tagged a proper noun inside "Toss Delgado")
    that is no known first name ("Rush", "Chase" are), whose name is no subject, and whose object
    goes on after the name ("the ball", or the name is the object's owner: "Toss Delgado's
    salad"; not "Hock Tan said", nor a heading's "Top Picks")."""
    if first.pos_ == "VERB":
        return True
    doc = ent.doc
    after = doc[ent.end] if ent.end < len(doc) else None
    owner = ent[-1].tag_ == "POS" or (after is not None and after.tag_ == "POS")
    return (
        first.lower_ in verb_lemmas()
        and not known_first_name(first)
        and ent.root.dep_ not in ("nsubj", "nsubjpass")
        # the verb's object goes on after the name: "the ball", "about the ferry", "to go"
        and after is not None
        and (owner or (after.pos_ in ("DET", "ADP", "PART", "PRON") and after.is_lower))
    )


def name_suffix(ent: SpacySpan) -> str:
    """The generational suffix that ends a name ("Jr."), or ""."""
    last = ent[-1].text
    return last if last.lower().rstrip(".") in NAME_SUFFIXES and len(ent) > 1 else ""


def ent_gender(ent: SpacySpan) -> str | None:
    doc = ent.doc
    before = doc[ent.start - 1].lower_.rstrip(".") if ent.start > 0 else ""
    first = ent[0].lower_.rstrip(".")
    for word in (before, first):
        if word in FEMALE_HONORIFICS:
            return "female"
        if word in MALE_HONORIFICS:
            return "male"
    return None


def role_word_surname(doc: Doc, first: int, end: int, *, tagged: bool = False) -> bool:
    """'Ana Bishop said', 'Sen. Rosa Judge': a role word right after a first name (a known one,
    or one the tagger ``tagged`` a person), the name's last word, is a surname (a role comes
    before the name it goes with, "Judge Ana Ortiz"), where the tagger took it for an
    organisation or left it out of the name."""
    last = doc[end - 1]
    return (
        end - first == 2
        and (tagged or known_first_name(doc[first]))
        and last.lower_ in TITLES
        and last.is_title
        and last.pos_ == "PROPN"
        and doc[first].head.i == last.i
        and not (end < len(doc) and doc[end].pos_ == "PROPN")
    )


def named_thing(ent: SpacySpan) -> bool:
    """'I have used the Ben Test': a name of two words or more with "the" as its determiner,
    written after "the" wherever the article gives it, is a thing named after someone."""
    doc = ent.doc
    first = ent.start + 1 if ent[0].lower_ == "the" else ent.start
    if first == ent.start and (ent.start == 0 or doc[ent.start - 1].lower_ != "the"):
        return False
    if ent.end - first < 2 or doc[first - 1].head.i != ent.end - 1:
        return False
    text = doc_text(doc)
    return written_after_the(
        text, (m.start() for m in re.finditer(re.escape(doc[first : ent.end].text), text))
    )


def without_dateline(ent: SpacySpan) -> SpacySpan:
    """'DOVER - Ben Lutz' tagged as one name at a line's start is Ben Lutz: a word in capitals
    and a dash set apart by spaces, opening a line, are the story's dateline ("AFL-CIO" is a
    name)."""
    dash = next(
        (t.i for t in ent[1:-1] if t.text in ("-", "–", "—") and t.whitespace_ and t.nbor(-1).whitespace_),
        None,
    )
    first = ent[0]
    if (
        dash is None
        or not (first.is_upper and len(first) > 1)
        or not (first.i == 0 or "\n" in first.nbor(-1).text)
    ):
        return ent
    if not all(t.is_upper or t.is_punct for t in ent.doc[first.i : dash]):
        return ent
    return SpacySpan(ent.doc, dash + 1, ent.end, label=ent.label_)


def _hyphen_joined(doc: Doc, i: int) -> bool:
    """Token ``i`` follows a hyphen written between it and a capitalised word, with no spaces."""
    return (
        i >= 2
        and glued_hyphen(doc, i - 1)
        and doc[i - 2].is_title
        and doc[i].pos_ == "PROPN"  # not "the Ana Ortiz-led talks"
    )


def without_headline_verb(ent: SpacySpan) -> SpacySpan:
    """'Okafor Seeks' in a title-cased headline is Okafor, and 'Bernard seconds' in a sentence
    is Bernard: a name does not end in a verb, nor in a word written in lower case; in a
    headline it ends before its first verb or number ('Okafor Says He Never ...', 'Okafor
    Claims Reyes Most Qualified Candidate Ever') and does not open with a modal ('Will Okafor Be
    Next?')."""
    if ent.label_ not in PERSON_LABELS:
        return ent
    start, end = ent.start, ent.end
    if len(ent) > 2 and in_headline(ent):
        end = next((t.i for t in ent[1:] if t.tag_.startswith("VB") or t.like_num), end)
        while end - start > 1 and ent.doc[start].tag_ == "MD":
            start += 1
    while end - start > 1 and ent.doc[end - 1].is_alpha and ent.doc[end - 1].is_lower:
        if _hyphen_joined(ent.doc, end - 1):
            break  # "Ban Ki-moon", "Kim Jong-un": the hyphen's lower-case half is the name's
        end -= 1
    if end - start > 1 and ent.doc[end - 1].pos_ == "VERB" and in_headline(ent):
        end -= 1
    changed = (start, end) != (ent.start, ent.end)
    return SpacySpan(ent.doc, start, end, label=ent.label_) if changed else ent
