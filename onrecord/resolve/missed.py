"""People the entity tagger missed or mislabelled, found as spaCy spans before the spans are
grouped into entities (``onrecord.resolve.entities``): a known first name and a capitalised word
that no entity covers, a name coordinated with a person's in a clause's subject, a name in
apposition to a job title, and a known first name before a surname tagged as an organisation.
Each returns spans labelled ``PERSON``; the tokens two of them add are taken (``_keep_person``).
"""

from __future__ import annotations

from spacy.attrs import POS
from spacy.symbols import PROPN
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from onrecord.lexicon import HONORIFICS, PERSON_LABELS, PERSON_NOUNS, ROLE_NOUNS, TITLES
from onrecord.resolve.name_extent import HYPHENS, ent_gender, in_headline, known_first_name

#: Last words of the names of places and bodies that open with a first name ("Ivy League",
#: "Virginia Beach", "Jordan Hall").
PLACE_AND_BODY_WORDS = frozenset(
    """league street avenue road lane drive boulevard beach park county city town village
    university college school academy hospital clinic church chapel cathedral foundation institute
    center centre club group bank company corporation party river lake mountain island bay valley
    hall house square bridge tower station airport port harbour harbor stadium arena museum
    gallery library theater theatre hotel fund trust""".split()
)


def with_first_name(doc: Doc, ent: SpacySpan, ents: list[SpacySpan]) -> SpacySpan:
    """A surname tagged as an organisation, taken for a person's: with the known first name
    before it that no entity covers, the person's full name ("Ana [Reyes]" where Tom Reyes is
    named, so that she is not taken for him)."""
    i = ent.start
    if i == 0 or ent_gender(ent) is not None:
        return ent
    first = doc[i - 1]
    if (
        first.pos_ != "PROPN"
        or not first.is_title
        or any(e.start <= i - 1 < e.end for e in ents)
        or (i > 1 and doc[i - 2].pos_ == "PROPN")
        or not known_first_name(first)
    ):
        return ent
    return SpacySpan(doc, i - 1, ent.end, label="PERSON")


def people_the_tagger_missed(doc: Doc) -> list[SpacySpan]:
    """'Ana Ortiz runs the harbour board', with no entity tagged: two proper nouns that no
    entity covers, the first a known first name (``first_name_gender``), the second a
    capitalised word, and no third proper noun after them ('Jordan Harbour Trust'), outside
    title-cased headlines: a person."""
    found = []
    for first, last in proper_noun_pairs(doc):
        i = first.i
        if (
            first.ent_type_
            or last.ent_type_
            or not last.is_title
            or not last.is_alpha
            or (i > 0 and doc[i - 1].pos_ == "PROPN")
            or (last.i + 1 < len(doc) and doc[last.i + 1].pos_ == "PROPN")
            or first.lower_.rstrip(".") in TITLES | HONORIFICS
            or last.lower_ in PLACE_AND_BODY_WORDS
            or not known_first_name(first)
        ):
            continue
        span = SpacySpan(doc, i, i + 2, label="PERSON")
        if not in_headline(span):
            found.append(span)
    return found


def _keep_person(span: SpacySpan, found: list[SpacySpan], covered: set[int]) -> None:
    """A person's name found where the tagger tagged none: kept, outside title-cased headlines,
    and its tokens marked taken."""
    if not in_headline(span):
        found.append(span)
        covered.update(range(span.start, span.end))


def people_coordinated_with_people(doc: Doc, ents: list[SpacySpan]) -> list[SpacySpan]:
    """'Ortiz and Patel said', with only Patel tagged: a proper name no entity covers, joined by
    "and" or "or" to a person's name in a clause's subject, is a person too (a list joins like
    with like), unless a word in it names a place or a body ('Patel and Harbour Bank'). A name of
    one to three capitalised words, outside title-cased headlines; lists elsewhere ("libraries
    such as Matplotlib, Seaborn and Plotly", one tagged a person) are left alone."""
    covered = {i for e in ents for i in range(e.start, e.end)}
    found: list[SpacySpan] = []
    for ent in ents:
        if ent.label_ not in PERSON_LABELS:
            continue
        root = ent.root
        first = root
        while first.dep_ == "conj" and first.head.i < first.i:
            first = first.head
        if first.dep_ not in ("nsubj", "nsubjpass"):
            continue  # a list of things ("Matplotlib, Seaborn and Plotly") is no list of speakers
        others = [c for c in root.children if c.dep_ == "conj"]
        if root.dep_ == "conj":
            others.append(root.head)
        for other in others:
            if other.i in covered or other.pos_ != "PROPN" or not (other.is_title and other.is_alpha):
                continue
            compounds = [c for c in other.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
            start = compounds[0].i if compounds else other.i
            words = doc[start : other.i + 1]
            if (
                len(words) > 3
                or any(t.i in covered or not t.is_title for t in words)
                or any(t.lower_ in PLACE_AND_BODY_WORDS for t in words)
                or words[0].lower_.rstrip(".") in TITLES | HONORIFICS
            ):
                continue
            _keep_person(SpacySpan(doc, start, other.i + 1, label="PERSON"), found, covered)
    return found


def people_apposed_to_roles(doc: Doc, ents: list[SpacySpan]) -> list[SpacySpan]:
    """'Harbour Beauty's Senior Brand Manager, Lysa Bourget-Vennin,' with no person tagged: a
    proper name of two to four capitalised words (a hyphenated surname counts as one) in
    apposition to a noun for a person's job is that person."""
    covered = {i for e in ents for i in range(e.start, e.end)}
    found: list[SpacySpan] = []
    for token in doc:
        if (
            token.dep_ != "appos"
            or token.pos_ != "PROPN"
            or token.i in covered
            or token.head.lower_ not in PERSON_NOUNS | ROLE_NOUNS
        ):
            continue
        start = token.left_edge.i
        words = doc[start : token.i + 1]
        names = [t for t in words if t.text not in HYPHENS]
        if (
            start <= token.head.i
            or not 2 <= len(names) <= 4
            or any(t.i in covered or t.pos_ != "PROPN" or not t.is_title for t in names)
            or any(t.lower_ in PLACE_AND_BODY_WORDS for t in names)
        ):
            continue
        _keep_person(SpacySpan(doc, start, token.i + 1, label="PERSON"), found, covered)
    return found


def proper_noun_pairs(doc: Doc) -> list[tuple[Token, Token]]:
    """Two proper nouns in a row, read off the doc's POS array (no Token made for the rest)."""
    pos = doc.to_array(POS)
    found = [i for i in range(len(doc) - 1) if pos[i] == PROPN and pos[i + 1] == PROPN]
    return [(doc[i], doc[i + 1]) for i in found]


#: Last words that make a run of capitalised words a newspaper's name ("the Harbour Gazette").
PAPER_WORDS = frozenset(
    """gazette times post herald tribune chronicle journal telegraph courier sentinel observer
    examiner inquirer enquirer globe bulletin echo""".split()
)


def outlets_the_tagger_missed(doc: Doc, ents: list[SpacySpan]) -> list[SpacySpan]:
    """'The Harbour Gazette broke the story', with no entity tagged: two to four capitalised
    proper nouns that no entity covers, the last a word newspapers are named with, outside
    title-cased headlines: an organisation (which "the paper" or "the daily" may stand for)."""
    covered = {i for e in ents for i in range(e.start, e.end)}
    found: list[SpacySpan] = []
    for token in doc:
        if (
            token.lower_ not in PAPER_WORDS
            or not token.is_title
            or token.i in covered
            or token.pos_ != "PROPN"
        ):
            continue
        start = token.i
        while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title:
            start -= 1
        end = token.i + 1
        if not 2 <= end - start <= 4 or any(i in covered for i in range(start, end)):
            continue
        if end < len(doc) and doc[end].pos_ == "PROPN":
            continue  # "Harbour Post Office": the name goes on
        if start > 0 and doc[start - 1].text in HYPHENS and not doc[start - 1].whitespace_:
            continue  # "the CBC-Harbour Times poll": part of a longer name
        span = SpacySpan(doc, start, end, label="ORG")
        if not in_headline(span):
            found.append(span)
    return found
