"""The people and organisations of an article: name clusters and the descriptions the article gives.

``build_entities`` groups the named-entity mentions of a Doc into entities: full names first,
then surname and title forms ("Mr Carden", "Sir Keir", "Sen. Warren") joined to the full name
they fit (``names.compatible``), organisations by their normal form. Each entity collects the
descriptions the article gives it: pre-modifiers ("Home Office minister Jess Phillips"),
appositions ("Musk, the billionaire X CEO and Donald Trump ally"), participle phrases
("Dan Carden, representing Liverpool Walton") and copular attributes ("became the first
Labour MP").
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field

from spacy.attrs import POS
from spacy.symbols import PROPN
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from onrecord.lexicon import (
    FEMALE_HONORIFICS,
    FEMALE_PRONOUNS,
    HONORIFICS,
    MALE_HONORIFICS,
    MALE_PRONOUNS,
    PERSON_NOUNS,
    SPEECH_VERBS,
    TITLES,
)
from onrecord.nlp.text import doc_text
from onrecord.resolve.gender import first_name_gender
from onrecord.resolve.names import (
    POSSESSIVE,
    abbreviates,
    best_match,
    compatible,
    name_words,
    normal,
    title_descriptions,
)

PERSON_LABELS = frozenset({"PERSON"})
ORG_LABELS = frozenset({"ORG", "NORP", "GPE"})


@dataclass(slots=True)
class Cluster:
    """An entity under construction."""

    kind: str
    words: list[str]
    mentions: list[tuple[int, int]] = field(default_factory=list)
    mention_tokens: list[int] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    gender: str | None = None
    label: str = ""
    forms: Counter[str] = field(default_factory=Counter)
    suffix: str = ""  # a generational suffix ("Jr."): another person than the bare name
    members: list[int] = field(default_factory=list)  # a named group's members, by cluster index
    singular: bool = False  # an unnamed source of one ("the editor"): no "they" stands for it

    @property
    def first_mention(self) -> int:
        """Where the article first names the entity (past any text when it never does)."""
        return min((start for start, _ in self.mentions), default=sys.maxsize)

    @property
    def name(self) -> str:
        """The most frequent full form of the name (ties: the longest, then the first seen),
        with the generational suffix if the name has one."""
        full = [
            (count, len(form.split()), form) for form, count in self.forms.items() if len(form.split()) >= 2
        ]
        if not full:
            best = " ".join(self.words)
        else:
            best = max(full, key=lambda item: (item[0], item[1]))[2]
            # the fullest form that extends the usual one: "Aung San Suu Kyi" over "Suu Kyi"
            longer = [form for _, _, form in full if form.endswith(" " + best)]
            best = max(longer, key=len) if longer else best
        return f"{best} {self.suffix}" if self.suffix else best

    def add_description(self, text: str) -> None:
        text = text.strip(" ,;:-–—")
        if text and text.lower() not in (d.lower() for d in self.descriptions) and len(text.split()) <= 14:
            self.descriptions.append(text)


def _strip_det(tokens: list[Token]) -> list[Token]:
    owners = {
        t.i for token in tokens for child in token.children if child.dep_ == "poss" for t in child.subtree
    }
    while tokens and tokens[0].i in owners:
        tokens = tokens[1:]  # "the council's transport lead" -> "transport lead"
    while tokens and (tokens[0].dep_ in ("det", "poss", "predet") or tokens[0].pos_ in ("DET", "PUNCT")):
        tokens = tokens[1:]
    while tokens and tokens[-1].pos_ == "PUNCT":
        tokens = tokens[:-1]
    return tokens


def _text(tokens: list[Token]) -> str:
    if not tokens:
        return ""
    doc = tokens[0].doc
    return doc_text(doc)[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]


def _noun_phrase(head: Token, exclude: set[int]) -> list[Token]:
    """The head's phrase without clauses, conjuncts and excluded tokens, contiguous around the head."""
    cut = set(exclude)
    for child in head.children:
        if child.dep_ in ("relcl", "acl", "conj", "cc", "appos", "advcl", "punct") and child.i > head.i:
            cut.update(t.i for t in child.subtree)
    keep = {t.i for t in head.subtree} - cut
    lo = hi = head.i
    while lo - 1 in keep:
        lo -= 1
    while hi + 1 in keep:
        hi += 1
    return list(head.doc[lo : hi + 1])


def _descriptions(ent: SpacySpan) -> list[str]:
    """What the article says this mention is."""
    doc = ent.doc
    root = ent.root
    found: list[str] = []
    ent_ids = set(range(ent.start, ent.end))
    # titles inside the mention's own tokens before the name ("President Obama")
    words = [t.text for t in ent]
    lead = 0
    while lead < len(words) - 1 and words[lead].lower() in TITLES:
        lead += 1
    if lead:
        found.append(" ".join(words[:lead]))
        for title in words[:lead]:
            found.extend(title_descriptions(title))
    if ent.start > 0:
        found.extend(title_descriptions(doc[ent.start - 1].text))
    honorific = {h.rstrip(".") for h in HONORIFICS}
    # pre-modifiers: "Home Office minister Jess Phillips", "US-based tech tycoon Elon Musk"
    pre = [t for t in root.subtree if t.i < ent.start and t.i >= root.left_edge.i]
    pre = [
        t
        for t in pre
        if t.dep_ in ("compound", "amod", "nmod", "punct", "npadvmod") or t.head.i not in ent_ids
    ]
    if pre and pre[-1].i == ent.start - 1:
        stretch: list[Token] = []
        for t in reversed(pre):
            if stretch and t.i != stretch[0].i - 1:
                break
            stretch.insert(0, t)
        stretch = _strip_det(stretch)
        if stretch and any(t.pos_ in ("NOUN", "PROPN") for t in stretch) and stretch[0].ent_type_ != "PERSON":
            found.append(_text(stretch))
    # appositions: "Musk, the billionaire X CEO and Donald Trump ally"
    for child in root.children:
        if child.dep_ == "appos" and child.i >= ent.end:
            heads = [child] + [c for c in child.children if c.dep_ == "conj"]
            for head in heads:
                phrase = _strip_det(_noun_phrase(head, ent_ids))
                if phrase and phrase[0].ent_type_ != "PERSON":
                    found.append(_text(phrase))
        if child.dep_ == "acl" and child.tag_ in ("VBG", "VBN") and child.i >= ent.end:
            found.append(_text(_noun_phrase(child, ent_ids)))
    # the name as apposition of a description: "his safeguarding minister Jess Phillips"
    if root.dep_ == "appos" and root.head.pos_ == "NOUN" and root.head.i < ent.start:
        phrase = _strip_det(_noun_phrase(root.head, ent_ids | {t.i for t in root.subtree}))
        if phrase:
            found.append(_text(phrase))
    # copula: "Dan Carden ... became the first Labour MP"
    if root.dep_ == "nsubj" and root.head.lemma_ in ("be", "become", "remain"):
        for child in root.head.children:
            if child.dep_ == "attr" and child.pos_ in ("NOUN", "PROPN") and child.ent_type_ != "PERSON":
                phrase = _strip_det(_noun_phrase(child, set()))
                while (
                    phrase
                    and phrase[0].dep_ == "amod"
                    and phrase[0].lower_ in ("first", "last", "only", "former")
                ):
                    phrase = phrase[1:]
                if phrase:
                    found.append(_text(phrase))
    return [d for d in found if d and d.lower().rstrip(".") not in honorific]


#: Platforms and broadcasters the entity tagger sometimes takes for people ("Twitter said").
NOT_PEOPLE = frozenset(
    """
    twitter facebook instagram tiktok youtube linkedin bluesky snapchat whatsapp reddit google
    cnn msnbc cnbc npr pbs bbc c-span politico axios breitbart huffpost buzzfeed
    """.split()
)


def _without_preposition(ent: SpacySpan) -> SpacySpan:
    """'Per Bankrate' tagged as one name at a sentence's start is Bankrate: a name does not
    open with a preposition."""
    if len(ent) > 1 and ent[0].pos_ == "ADP" and ent[0].dep_ == "prep" and ent[0].is_sent_start:
        return SpacySpan(ent.doc, ent.start + 1, ent.end, label=ent.label_)
    return ent


def _not_a_person(ent: SpacySpan) -> SpacySpan:
    """A platform or broadcaster tagged as a person is an organisation."""
    if ent.label_ in PERSON_LABELS and ent.text.lower().removesuffix("'s").removesuffix("’s") in NOT_PEOPLE:
        return SpacySpan(ent.doc, ent.start, ent.end, label="ORG")
    return ent


ORGANISATION_WORDS = frozenset(
    """
    court university college school institute academy association foundation company corporation
    inc corp co ltd llc group party committee council bank fund trust agency department ministry
    office board union league club team park street county city state republic church hospital
    center centre news times post press journal media network studios records books
    """.split()
)


def _tokens_named(doc: Doc, lower: str) -> list[Token]:
    """The tokens of ``doc`` whose lower-case form is ``lower``, in order: from an index built
    once per document, so that asking for every entity stays linear in the text (a scan of
    the whole document per entity took minutes on a text of 200,000 short paragraphs)."""
    index = doc.user_data.get("onrecord.words")
    if index is None:
        index = {}
        for token in doc:
            index.setdefault(token.lower_, []).append(token.i)
        doc.user_data["onrecord.words"] = index
    return [doc[i] for i in index.get(lower, ())]


def _person_tokens(doc: Doc, surname: str) -> list[int]:
    """Where ``surname`` stands as a person's name: tagged a person, or after an honorific
    ("Ms. Vance"). Kept per document and surname (a common word as a surname is asked about
    by many entities)."""
    cache: dict[str, list[int]] = doc.user_data.setdefault("onrecord.person_tokens", {})
    found = cache.get(surname)
    if found is None:
        honorifics = FEMALE_HONORIFICS | MALE_HONORIFICS
        found = cache[surname] = [
            t.i
            for t in _tokens_named(doc, surname)
            if t.ent_type_ == "PERSON" or (t.i > 0 and doc[t.i - 1].lower_.rstrip(".") in honorifics)
        ]
    return found


def _said_to_be_a_person(ent: SpacySpan, surname: str, *, described_only: bool = False) -> bool:
    """The article says the name is a person's: a person noun before it or in apposition with
    it ("bestselling author Dinesh Rao", "Priya Vance, a registered dietitian"), or (unless
    ``described_only``) its last word elsewhere after an honorific ("Ms. Vance") or tagged as a
    person, or, for a name that opens with a known first name, the subject of a speech verb
    ("Renteria told reporters")."""
    doc = ent.doc
    root = ent.root
    before = doc[ent.start - 1] if ent.start > 0 else None
    if before is not None and before.lower_ in PERSON_NOUNS and before.pos_ == "NOUN":
        return True
    if any(c.dep_ == "appos" and c.lemma_.lower() in PERSON_NOUNS for c in root.children) or (
        root.dep_ == "appos" and root.head.lemma_.lower() in PERSON_NOUNS
    ):
        return True
    if described_only or surname in NOT_PEOPLE:
        return False
    if _known_first_name(ent[0]) and any(
        t.dep_ == "nsubj" and t.head.lemma_.lower() in SPEECH_VERBS for t in _tokens_named(doc, surname)
    ):
        return True  # "Amanda Renteria ... Renteria told reporters": a first name that speaks
    return any(not (ent.start <= i < ent.end) for i in _person_tokens(doc, surname))


def _speaks_alone(ent: SpacySpan, surname: str) -> int:
    """How often the name's last word, alone and outside the name, is the subject of a speech
    verb ("Bedi said", "Bedi told")."""
    return sum(
        1
        for t in _tokens_named(ent.doc, surname)
        if not ent.start <= t.i < ent.end
        and t.dep_ == "nsubj"
        and t.head.lemma_.lower() in SPEECH_VERBS
        and not any(c.dep_ == "compound" for c in t.children)
    )


def _honorific_surname(doc: Doc, surname: str) -> bool:
    """Whether the article gives the surname after an honorific somewhere ("Ms. Malik")."""
    honorifics = FEMALE_HONORIFICS | MALE_HONORIFICS
    return any(t.i > 0 and doc[t.i - 1].lower_.rstrip(".") in honorifics for t in _tokens_named(doc, surname))


def _untagged_first_name(ent: SpacySpan) -> int:
    """The start of a one-word name widened over the untagged proper noun before it that the
    parse joins to it ("Nachman Shai" tagged "Shai")."""
    doc = ent.doc
    if len(ent) != 1 or ent.start == 0:
        return ent.start
    before = doc[ent.start - 1]
    if (
        before.pos_ == "PROPN"
        and before.dep_ == "compound"
        and before.head.i == ent.start
        and not before.ent_type_
        and before.is_alpha
        and before.is_title
        and before.lower_ not in TITLES | HONORIFICS
    ):
        return ent.start - 1
    return ent.start


def _person_by_evidence(ent: SpacySpan) -> SpacySpan:
    """A name the tagger calls an organisation or a group is a person's when the article says
    so (``_said_to_be_a_person``) and it either opens with a known first name and holds no
    organisation word ("Dinesh Rao") or is one word after an untagged first name ("Rosette
    Vance, a spokeswoman", "Vance" tagged a nationality). A one-word person's name takes the
    untagged first name before it."""
    start = _untagged_first_name(ent)
    if ent.label_ in PERSON_LABELS:
        return ent if start == ent.start else SpacySpan(ent.doc, start, ent.end, label=ent.label_)
    if ent.label_ not in ("ORG", "NORP") or not 1 <= len(ent) <= 4:
        return ent
    tokens = [t for t in ent if t.tag_ != "POS"]
    titled = [t for t in tokens[:-1] if t.lower_.rstrip(".") in TITLES - {"former", "acting", "interim"}]
    if titled and any(
        t.ent_type_ == "PERSON" and not ent.start <= t.i < ent.end
        for t in _tokens_named(ent.doc, tokens[-1].lower_)
    ):
        # "GOP Rep McCaul" tagged an organisation in a headline, "McCaul" a person below
        return SpacySpan(ent.doc, titled[-1].i, tokens[-1].i + 1, label="PERSON")
    if (
        start == ent.start
        and 2 <= len(tokens) <= 3
        and all(t.text[:1].isupper() and t.is_alpha and t.lower_ not in ORGANISATION_WORDS for t in tokens)
        and _speaks_alone(ent, tokens[-1].lower_) >= 2
    ):
        # "Harpal Singh Bedi" tagged an organisation, then "Bedi pleaded ...", "Bedi said
        # ...": a name whose last word alone speaks, twice or more, is a person's
        return SpacySpan(ent.doc, ent.start, tokens[-1].i + 1, label="PERSON")
    if not tokens or not _said_to_be_a_person(ent, tokens[-1].lower_, described_only=start < ent.start):
        return ent
    if start < ent.start:
        return SpacySpan(ent.doc, start, tokens[-1].i + 1, label="PERSON")
    if (
        not 2 <= len(tokens) <= 3
        or tokens[-1].tag_ in ("NNS", "NNPS")  # "Roman Catholics" is a group
        or not (_known_first_name(tokens[0]) or _honorific_surname(ent.doc, tokens[-1].lower_))
        or any(not t.text[:1].isupper() or t.lower_ in ORGANISATION_WORDS for t in tokens)
    ):
        return ent
    return SpacySpan(ent.doc, ent.start, tokens[-1].i + 1, label="PERSON")


def in_headline(ent: SpacySpan) -> bool:
    """True inside a title-cased line, where the tagger often takes a verb into a name ("Rip Donald Trump")."""
    words = [t for t in ent.sent if t.is_alpha and len(t.text) > 3]
    return len(words) >= 3 and sum(t.text[0].isupper() for t in words) / len(words) > 0.7


def _without_headline_verb(ent: SpacySpan) -> SpacySpan:
    """'Okafor Seeks' in a title-cased headline is Okafor, and 'Bernard seconds' in a sentence
    is Bernard: a name does not end in a verb, nor in a word written in lower case."""
    if ent.label_ not in PERSON_LABELS:
        return ent
    end = ent.end
    while end - ent.start > 1 and ent.doc[end - 1].is_alpha and ent.doc[end - 1].is_lower:
        end -= 1
    if end - ent.start > 1 and ent.doc[end - 1].pos_ == "VERB" and in_headline(ent):
        end -= 1
    return ent if end == ent.end else SpacySpan(ent.doc, ent.start, end, label=ent.label_)


NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_HYPHENS = frozenset({"-", "‐", "‑"})


def _known_first_name(token: Token) -> bool:
    return token.is_alpha and token.text[:1].isupper() and first_name_gender(token.text) is not None


def _name_extent(ent: SpacySpan) -> SpacySpan:
    """A person's name to its full extent, and no further.

    The tagger's span is widened over what it cuts off, a hyphenated first name's first half
    ("Anna-" before "Lena Berg"), a first name before a middle name ("Rosa" before "Mae
    Delgado"), a surname after a tagged first and middle name ("Delgado" after "Rosa Mae"), and
    a generational suffix after the name ("Jr.", "III"); and narrowed by what it glues on, an
    abbreviated role before a first name ("QB Tom Brady"), a verb opening the sentence ("Toss"
    before a surname) and a bracket after it ("Kiara C. (Read all reviews.)"). Role words
    ("Chairperson Ada Lin") are ``TITLES``, which ``name_words`` leaves out of the name.
    """
    if ent.label_ not in PERSON_LABELS:
        return ent
    doc = ent.doc
    start, end = ent.start, ent.end
    bracket = next((t.i for t in ent[1:] if t.text in ("(", "[")), None)
    if bracket is not None:
        end = bracket  # "Kiara C. (Read all reviews.)": a name stops at a bracket
    while (
        start >= 2
        and doc[start - 1].text in _HYPHENS
        and not doc[start - 1].whitespace_
        and not doc[start - 2].whitespace_
        and doc[start - 2].is_alpha
        and doc[start - 2].text[:1].isupper()
    ):
        start -= 2
    if (
        start == ent.start
        and start >= 1
        and doc[start - 1].pos_ == "PROPN"
        and not doc[start - 1].ent_type_
        and doc[start - 1].lower_ not in TITLES | HONORIFICS
        and end - start >= 2
        and _known_first_name(doc[start - 1])
        and _known_first_name(doc[start])
    ):
        start -= 1
    if (
        end < len(doc)
        and end - start >= 2
        and _known_first_name(doc[start])
        and doc[end - 1].dep_ == "compound"
        and doc[end - 1].head.i == end
        and doc[end].pos_ == "PROPN"
        and doc[end].is_title
        and not doc[end].ent_type_
        and doc[end].lower_ not in TITLES | HONORIFICS | NAME_SUFFIXES
        and not in_headline(ent)  # "Ana Ortiz Wins": a title-case headline's verb
    ):
        end += 1  # "Rosa Mae" tagged, "Delgado" left out: the surname the tagged words modify
    if end < len(doc) and doc[end].lower_.rstrip(".") in NAME_SUFFIXES and doc[end - 1].text != ",":
        end += 1
    core = end - (1 if doc[end - 1].lower_.rstrip(".") in NAME_SUFFIXES else 0)
    while (
        core - start >= 3
        and doc[start].is_upper
        and doc[start].is_alpha  # not an initial ("C. Stewart Verdery")
        and 2 <= len(doc[start].text) <= 4
        and _known_first_name(doc[start + 1])
    ):
        start += 1  # "QB Tom Brady": an abbreviated role before a first name is not the name
    while (
        end - start >= 3
        and doc[start].is_upper
        and doc[start].is_alpha
        and 2 <= len(doc[start].text) <= 4
        and not _known_first_name(doc[start])
        and doc[start + 1].lower_.rstrip(".") in TITLES | HONORIFICS
    ):
        start += 1  # "GOP Rep. Ana Ortiz": a party's abbreviation before a title
    if end - start >= 2 and doc[start].is_sent_start and doc[start].pos_ == "VERB" and doc[start].is_title:
        start += 1  # "Toss Delgado the ball": an imperative, not a first name
    if (start, end) == (ent.start, ent.end):
        return ent
    return SpacySpan(doc, start, end, label=ent.label_)


def name_suffix(ent: SpacySpan) -> str:
    """The generational suffix that ends a name ("Jr."), or ""."""
    last = ent[-1].text
    return last if last.lower().rstrip(".") in NAME_SUFFIXES and len(ent) > 1 else ""


def _gender(ent: SpacySpan) -> str | None:
    doc = ent.doc
    before = doc[ent.start - 1].lower_.rstrip(".") if ent.start > 0 else ""
    first = ent[0].lower_.rstrip(".")
    for word in (before, first):
        if word in FEMALE_HONORIFICS:
            return "female"
        if word in MALE_HONORIFICS:
            return "male"
    return None


def build_entities(doc: Doc) -> tuple[list[Cluster], dict[int, int]]:
    """Entity clusters of the doc, and a map from token index to cluster index."""
    clusters: list[Cluster] = []
    token_map: dict[int, int] = {}
    ents = [
        _name_extent(_person_by_evidence(_without_headline_verb(_not_a_person(_without_preposition(e)))))
        for e in doc.ents
        if e.label_ in PERSON_LABELS | ORG_LABELS
        # "Harbour authority chair": a nationality tag on a modifier is not a group that speaks
        and not (
            e.label_ == "NORP"
            and e.root.dep_ in ("compound", "amod")
            and e.root.head.pos_ in ("NOUN", "PROPN")
        )
    ]
    ents += _people_the_tagger_missed(doc)
    # "Mr Okafor" is a person whatever the tagger says; so is a lone surname of someone named
    # in full elsewhere ("Trump avoids ..." tagged as an organisation)
    surnames = {
        name_words(e.text)[-1].lower()
        for e in ents
        if e.label_ in PERSON_LABELS and len(name_words(e.text)) >= 2
    }
    persons = [
        e
        for e in ents
        if e.label_ in PERSON_LABELS
        or _gender(e) is not None
        or (len(e) == 1 and e.label_ in ("ORG", "NORP") and e.text.lower() in surnames)
    ]
    person_starts = {e.start for e in persons}
    # full names first, so that later surname mentions find them; then surnames with an honorific
    # ("Mr. Obama"), so that a bare "Obama" goes to the one of that name the article means
    order = sorted(persons, key=lambda e: (len(name_words(e.text)) < 2, _gender(e) is None, e.start))
    for ent in order:
        words = name_words(ent.text)
        if not words or not any(w[:1].isupper() for w in words):
            continue
        people = [i for i, c in enumerate(clusters) if c.kind == "person"]
        found = best_match(
            words,
            [clusters[i].words for i in people],
            # of two people of one surname, the one the article introduced first ("Mr. Reyes" is
            # the candidate named in the lede, not his brother named in full further down)
            weights=[-clusters[i].first_mention for i in people],
            genders=[clusters[i].gender for i in people],
            gender=_gender(ent),
        )
        if found is None and len(words) >= 2:
            found = next((k for k, i in enumerate(people) if compatible(clusters[i].words, words)), None)
        mention_gender = _gender(ent)
        suffix = name_suffix(ent)
        if (
            found is not None
            and mention_gender is not None
            and clusters[people[found]].gender not in (None, mention_gender)
        ):
            found = None  # "Mr. Obama" is not Michelle Obama: another person of that surname
        if found is not None and len(words) >= 2 and clusters[people[found]].suffix != suffix:
            found = None  # "Ray Cole Jr." is not his father Ray Cole
        if found is None:
            clusters.append(Cluster("person", words, suffix=suffix))
            target = len(clusters) - 1
        else:
            target = people[found]
        cluster = clusters[target]
        if len(words) > len(cluster.words) and not any(len(w.rstrip(".")) == 1 for w in words[1:-1]):
            cluster.words = words
        if len(words) >= 2 and not in_headline(ent):
            cluster.forms[" ".join(words)] += 1
        if cluster.gender is None:
            # an honorific says it best ("Mr Okafor"); else a full name's first word, or a lone
            # first name ("Melanie said")
            cluster.gender = mention_gender or first_name_gender(cluster.words[0])
        _add_mention(cluster, ent, target, token_map)
    _relatives_the_tagger_missed(doc, clusters, token_map)
    _full_names_the_tagger_missed(doc, clusters, token_map)
    _surname_mentions(doc, clusters, token_map)
    _infer_genders(doc, clusters, token_map)
    for ent in ents:
        if (
            ent.label_ not in ORG_LABELS
            or ent.start in person_starts
            or (ent.label_ == "GPE" and ent.root.dep_ not in ("nsubj", "pobj"))
        ):
            continue
        if any(i in token_map for i in range(ent.start, ent.end)):
            continue
        key = normal(ent.text.removeprefix("the ").removeprefix("The "))
        if not key:
            continue
        found = next(
            (i for i, c in enumerate(clusters) if c.kind != "person" and normal(c.name) == key), None
        )
        if found is not None:
            target = found
        else:
            words = ent.text.split()
            if words and words[0].lower() in ("the", "a", "an"):  # "a Republican Party" as tagged
                words = words[1:]
            bracket = next((i for i, w in enumerate(words) if i and w[:1] in "(["), None)
            if bracket is not None:
                words = words[:bracket]  # "National Survey on Harbour Health (NSHH": no bracket
            if len(words) >= 2 and ent[-1].dep_ == "case" and ent.root.dep_ in ("poss", "nmod", "compound"):
                # "Bank of Avalon's survey": the tagger took the possessive into the name (not
                # in "Trader Jo's said", where the name owns nothing)
                words[-1] = POSSESSIVE.sub("", words[-1])
            kind = "group" if ent.label_ == "NORP" else "organization"
            clusters.append(Cluster(kind, [w for w in words], label=ent.label_))
            target = len(clusters) - 1
        _add_mention(clusters[target], ent, target, token_map)
    _join_acronyms(clusters, token_map)
    _join_short_names(clusters, token_map)
    return clusters, token_map


#: Last words of the names of places and bodies that open with a first name ("Ivy League",
#: "Virginia Beach", "Jordan Hall").
PLACE_AND_BODY_WORDS = frozenset(
    """league street avenue road lane drive boulevard beach park county city town village
    university college school academy hospital clinic church chapel cathedral foundation institute
    center centre club group bank company corporation party river lake mountain island bay valley
    hall house square bridge tower station airport port harbour harbor stadium arena museum
    gallery library theater theatre hotel fund trust""".split()
)


def _people_the_tagger_missed(doc: Doc) -> list[SpacySpan]:
    """'Ana Ortiz runs the harbour board', with no entity tagged: two proper nouns that no
    entity covers, the first a known first name (``first_name_gender``), the second a
    capitalised word, and no third proper noun after them ('Jordan Harbour Trust'), outside
    title-cased headlines: a person."""
    found = []
    for first, last in _proper_noun_pairs(doc):
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
            or not _known_first_name(first)
        ):
            continue
        span = SpacySpan(doc, i, i + 2, label="PERSON")
        if not in_headline(span):
            found.append(span)
    return found


def _proper_noun_pairs(doc: Doc) -> list[tuple[Token, Token]]:
    """Two proper nouns in a row, read off the doc's POS array (no Token made for the rest)."""
    pos = doc.to_array(POS)
    found = [i for i in range(len(doc) - 1) if pos[i] == PROPN and pos[i + 1] == PROPN]
    return [(doc[i], doc[i + 1]) for i in found]


def _full_names_the_tagger_missed(doc: Doc, clusters: list[Cluster], token_map: dict[int, int]) -> None:
    """'Mr. Obama' or 'Malone' throughout, and the full name only where the entity tagger did not
    take it for a person ('the Samuel Okafor Foundation', 'MIT professor Thomas W. Malone', a
    name tagged as an organisation): the person named by surname alone gets that full name, the
    longest run of proper nouns before the surname that opens with a known first name (middle
    names and initials allowed), and the run becomes a mention of that person."""
    people = {i for i, c in enumerate(clusters) if c.kind == "person"}
    by_surname: dict[str, list[int]] = {}
    for index in people:
        if len(clusters[index].words) == 1:
            by_surname.setdefault(clusters[index].words[0].lower(), []).append(index)
    if not by_surname:
        return
    found: dict[int, tuple[int, int, str | None]] = {}  # cluster -> its full name's first run, gender
    for token in doc:
        if token.lower_ not in by_surname or not token.text[:1].isupper() or token_map.get(token.i) in people:
            continue
        start = token.i
        while (
            start > 0
            and start > token.i - 4
            and doc[start - 1].pos_ == "PROPN"
            and doc[start - 1].text[:1].isupper()
            and doc[start - 1].lower_.rstrip(".") not in TITLES | HONORIFICS
            and token_map.get(start - 1) not in people
        ):
            start -= 1
        while start < token.i and not _known_first_name(doc[start]):
            start += 1  # 'MIT Sloan' before the name is not part of it
        if start == token.i:
            continue
        gender = first_name_gender(doc[start].text)
        matches = [i for i in by_surname[token.lower_] if clusters[i].gender in (None, gender)]
        if len(matches) == 1 and matches[0] not in found:
            found[matches[0]] = (start, token.i + 1, gender)
    for index, (start, end, name_gender) in found.items():
        cluster = clusters[index]
        run = doc[start:end]
        cluster.words = name_words(run.text)
        cluster.forms[" ".join(cluster.words)] += 1
        cluster.gender = cluster.gender or name_gender
        _add_mention(cluster, run, index, token_map)


def _relatives_the_tagger_missed(doc: Doc, clusters: list[Cluster], token_map: dict[int, int]) -> None:
    """'Ivanka Trump' tagged as a product where Donald Trump is a person: a person of her own,
    found before bare surnames are given out, so that they go to whichever the article names most."""
    people = {i for i, c in enumerate(clusters) if c.kind == "person"}
    for first, last in _proper_noun_pairs(doc):
        if first.i in token_map or last.i in token_map:
            continue
        if not last.text[:1].isupper():
            continue
        gender = first_name_gender(first.text)
        if gender is None or not _relative_named(doc, first, last, clusters):
            continue
        words = [first.text, last.text]
        index = next((i for i in people if clusters[i].words == words), None)
        if index is None:
            clusters.append(Cluster("person", words, gender=gender))
            index = len(clusters) - 1
            people.add(index)
        clusters[index].forms[" ".join(words)] += 1
        _add_mention(clusters[index], doc[first.i : last.i + 1], index, token_map)


def _relative_named(doc: Doc, first: Token, last: Token, clusters: list[Cluster]) -> bool:
    """A first name and a surname standing alone ("Ivanka Trump brand", not "Eric Trump
    Foundation"), where someone of that surname with another first name is a person."""
    around = [doc[j] for j in (first.i - 1, last.i + 1) if 0 <= j < len(doc)]
    if any(t.pos_ == "PROPN" and t.lower_.rstrip(".") not in HONORIFICS for t in around):
        return False
    return any(
        c.kind == "person"
        and len(c.words) >= 2
        and c.words[-1].lower() == last.lower_
        and c.words[0].lower() != first.lower_
        for c in clusters
    )


def _join_acronyms(clusters: list[Cluster], token_map: dict[int, int]) -> None:
    """'CNS' after 'Christian News Service', 'FBI' after 'Federal Bureau of Investigation':
    the acronym's mentions join the organisation it abbreviates."""
    for index, cluster in enumerate(clusters):
        if cluster.kind == "person" or len(cluster.words) != 1:
            continue
        for target, full in enumerate(clusters):
            if target != index and full.kind != "person" and abbreviates(cluster.words[0], full.words):
                _move_mentions(clusters, token_map, index, target)
                break


def _move_mentions(clusters: list[Cluster], token_map: dict[int, int], index: int, target: int) -> None:
    """Every mention of cluster ``index`` becomes a mention of ``target``."""
    clusters[target].mentions.extend(clusters[index].mentions)
    clusters[target].mention_tokens.extend(clusters[index].mention_tokens)
    clusters[index].mentions.clear()
    clusters[index].mention_tokens.clear()
    for token_i, mapped in token_map.items():
        if mapped == index:
            token_map[token_i] = target


def _join_short_names(clusters: list[Cluster], token_map: dict[int, int]) -> None:
    """'HCA' beside 'HCA Healthcare': a one-word organisation name that opens exactly one longer
    organisation name of the article is that organisation, named in short."""
    for index, cluster in enumerate(clusters):
        if cluster.kind != "organization" or len(cluster.words) != 1 or not cluster.mentions:
            continue
        word = cluster.words[0].lower()
        longer = [
            i
            for i, c in enumerate(clusters)
            if i != index and c.kind == "organization" and len(c.words) >= 2 and c.words[0].lower() == word
        ]
        if len(longer) == 1:
            _move_mentions(clusters, token_map, index, longer[0])


def _add_mention(cluster: Cluster, ent: SpacySpan, index: int, token_map: dict[int, int]) -> None:
    start = ent.start_char
    doc = ent.doc
    # include a preceding honorific in the mention: "Mr Carden", "Sir Keir"
    if ent.start > 0 and doc[ent.start - 1].lower_.rstrip(".") in {h.rstrip(".") for h in HONORIFICS}:
        start = doc[ent.start - 1].idx
    end = ent.end_char
    text = doc_text(doc)
    while end > start and text[end - 2 : end] in ("'s", "’s"):
        end -= 2
    cluster.mentions.append((start, end))
    cluster.mention_tokens.append(ent.root.i)
    for i in range(ent.start, ent.end):
        token_map[i] = index
    if cluster.gender is None:
        cluster.gender = _gender(ent)
    if cluster.kind == "person":
        for description in _descriptions(ent):
            cluster.add_description(description)


def _surname_mentions(doc: Doc, clusters: list[Cluster], token_map: dict[int, int]) -> None:
    """Proper nouns the tagger missed that repeat a known person's surname ("Musk, the ...")."""
    surnames: dict[str, list[int]] = {}
    for index, cluster in enumerate(clusters):
        if cluster.kind == "person" and (len(cluster.words) >= 2 or cluster.gender is not None):
            surnames.setdefault(cluster.words[-1].lower(), []).append(index)
    pos = doc.to_array(POS)
    for k in range(len(doc)):
        if pos[k] != PROPN or k in token_map:
            continue
        token = doc[k]
        if not token.text[:1].isupper() or token.lower_ not in surnames:
            continue
        # several people of that surname: the one the article names most ("Mr. Obama" over
        # "Michelle Obama"); ties go to the one introduced first
        index = max(surnames[token.lower_], key=lambda i: (len(clusters[i].mentions), -i))
        neighbours = [doc[j] for j in (token.i - 1, token.i + 1) if 0 <= j < len(doc)]
        if any(
            n.pos_ == "PROPN" and n.i not in token_map and n.lower_.rstrip(".") not in HONORIFICS
            for n in neighbours
        ):
            continue  # part of another name: "Musk Foundation"
        _add_mention(clusters[index], doc[token.i : token.i + 1], index, token_map)


#: Tokens after a subject mention in which its first personal pronoun is looked for.
FOLLOW_WINDOW = 40


def first_pronoun_after(doc: Doc, token_i: int, index: int, token_map: dict[int, int]) -> Token | None:
    """The first personal pronoun (he, she, ...) after the mention at ``token_i`` of cluster
    ``index``, before anyone else is named and within ``FOLLOW_WINDOW`` tokens; None if none."""
    for follower in doc[token_i + 1 : min(len(doc), token_i + FOLLOW_WINDOW)]:
        if follower.i in token_map and token_map[follower.i] != index:
            return None
        if follower.lower_ in MALE_PRONOUNS or follower.lower_ in FEMALE_PRONOUNS:
            return follower
    return None


def _infer_genders(doc: Doc, clusters: list[Cluster], token_map: dict[int, int]) -> None:
    """Gender from the article itself: the first personal pronoun after a person's subject
    mention, before anyone else is named, usually refers back to them."""
    votes: dict[int, Counter[str]] = {}
    for token_i, index in token_map.items():
        cluster = clusters[index]
        token = doc[token_i]
        if cluster.kind != "person" or cluster.gender is not None or token.dep_ != "nsubj":
            continue
        follower = first_pronoun_after(doc, token_i, index, token_map)
        if follower is not None:
            votes.setdefault(index, Counter())["male" if follower.lower_ in MALE_PRONOUNS else "female"] += 1
    for index, counter in votes.items():
        (gender, count), *rest = counter.most_common()
        if not rest or count >= 2 * rest[0][1]:
            clusters[index].gender = gender
