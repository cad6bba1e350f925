"""What the article's named-entity mentions are: the descriptions it gives them, whether a
mention is a person (the tagger's label weighed against the article's evidence), and the extent
of a person's name."""

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from onrecord.lexicon import (
    DOCUMENT_NOUNS,
    FEMALE_HONORIFICS,
    HONORIFICS,
    MALE_HONORIFICS,
    ORG_LABELS,
    PERSON_LABELS,
    PERSON_NOUNS,
    PERSON_PRONOUNS,
    SPEECH_VERBS,
    THING_PRONOUNS,
    TITLES,
)
from onrecord.nlp.text import doc_text
from onrecord.resolve.gender import first_name_gender
from onrecord.resolve.name_extent import known_first_name, named_thing, role_word_surname
from onrecord.resolve.names import name_words, title_descriptions
from onrecord.resolve.phrases import THING_NOUNS


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


def descriptions(ent: SpacySpan) -> list[str]:
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


def without_preposition(ent: SpacySpan) -> SpacySpan:
    """'Per Bankrate' tagged as one name at a sentence's start is Bankrate: a name does not
    open with a preposition."""
    if len(ent) > 1 and ent[0].pos_ == "ADP" and ent[0].dep_ == "prep" and ent[0].is_sent_start:
        return SpacySpan(ent.doc, ent.start + 1, ent.end, label=ent.label_)
    return ent


#: Last words that make a name a body's, whatever else the tagger took it for: "The Harbour
#: Ferry Workers Union" tagged a work of art.
BODY_HEAD_WORDS = frozenset(
    """union association foundation company corporation inc corp ltd llc group party committee
    council bank fund trust agency department ministry office board league club team institute pac
    coalition commission network""".split()
)
#: Entity labels a body's name is sometimes given by mistake.
OTHER_LABELS = frozenset({"WORK_OF_ART", "FAC", "EVENT", "PRODUCT", "LAW"})


def body_by_its_noun(ent: SpacySpan) -> SpacySpan:
    """A name the tagger calls a work of art, a building, an event, a product or a law is an
    organisation's when its last word is a noun for a body ("The Harbour Ferry Workers Union",
    "Harbour Forward PAC")."""
    if ent.label_ in OTHER_LABELS and len(ent) >= 2 and ent[-1].lower_.rstrip(".") in BODY_HEAD_WORDS:
        return SpacySpan(ent.doc, ent.start, ent.end, label="ORG")
    return ent


def without_owner(ent: SpacySpan) -> SpacySpan:
    """'Harbour TV's Ana Ortiz' tagged as one name is Ana Ortiz, a person: a possessive inside a
    name, followed by a known first name and one or two more capitalised words, ends the
    owner's name and opens the person's."""
    marks = [t.i for t in ent[:-1] if t.tag_ == "POS"]
    if not marks or ent.label_ not in PERSON_LABELS | ORG_LABELS:
        return ent
    start = marks[-1] + 1
    words = ent.doc[start : ent.end]
    if (
        2 <= len(words) <= 3
        and known_first_name(words[0])
        and all(t.text[:1].isupper() and (t.is_alpha or t.text.endswith(".")) for t in words)
    ):
        return SpacySpan(ent.doc, start, ent.end, label="PERSON")
    return ent


def not_a_person(ent: SpacySpan) -> SpacySpan:
    """A platform or broadcaster tagged as a person is an organisation; a name ending in a noun
    for a document ("Pulse Survey", "Harbour Trends Report"), not opening with a known first
    name, is a document's (what it says is its maker's, ``onrecord.resolve.documents``)."""
    if ent.label_ not in PERSON_LABELS:
        return ent
    if ent.text.lower().removesuffix("'s").removesuffix("’s") in NOT_PEOPLE:
        return SpacySpan(ent.doc, ent.start, ent.end, label="ORG")
    if len(ent) > 1 and ent[-1].lower_ in DOCUMENT_NOUNS and not known_first_name(ent[0]):
        return SpacySpan(ent.doc, ent.start, ent.end, label="WORK_OF_ART")
    if named_thing(ent):
        return SpacySpan(ent.doc, ent.start, ent.end, label="WORK_OF_ART")
    return ent


def described_as_a_thing(root: Token, start: int) -> bool:
    """Whether the name opening at token ``start`` (its head ``root``) has a noun for a body or
    a product just before it or in apposition with it ("app Strava", "Hoka, the shoe brand")."""
    before = root.doc[start - 1] if start > 0 else None
    if before is not None and before.pos_ == "NOUN" and before.lower_ in THING_NOUNS:
        return True
    return any(c.dep_ == "appos" and c.lemma_.lower() in THING_NOUNS for c in root.children)


def named_as_things(ents: list[SpacySpan]) -> list[SpacySpan]:
    """A one-word name tagged a person that the article once gives right after a noun for a
    body or a product ("workout tracking app Strava") or with one in apposition ("Miravo, the
    shoe brand") is an organisation's, wherever it stands."""
    things = {
        e.text.lower()
        for e in ents
        if e.label_ in PERSON_LABELS
        and len(e) == 1
        and first_name_gender(e.text) is None
        and described_as_a_thing(e.root, e.start)
    }
    if not things:
        return ents
    return [
        SpacySpan(e.doc, e.start, e.end, label="ORG")
        if e.label_ in PERSON_LABELS and e.text.lower() in things
        else e
        for e in ents
    ]


#: Tokens after a name in which the pronoun that refers back to it is looked for.
IT_WINDOW = 30
#: What a company is said to be ("Kelvra is a data platform provider"), never a person.
COMPANY_NOUNS = frozenset(
    """company business firm startup brand manufacturer retailer platform provider vendor
    app website software""".split()
)


def referred_to_as(token: Token, named: set[int]) -> str | None:
    """ "person" or "thing": how the first personal pronoun after ``token`` refers back to it
    ("Ana Ortiz threw her support ...", "Kelvra said its users ..."), within ``IT_WINDOW``
    tokens and before any other name (a token of ``named``); None if there is none."""
    doc = token.doc
    for after in doc[token.i + 1 : min(len(doc), token.i + IT_WINDOW)]:
        if after.i in named:
            return None
        if after.lower_ in THING_PRONOUNS:
            return "thing"
        if after.lower_ in PERSON_PRONOUNS:
            return "person"
    return None


def _called_a_person(doc: Doc, surname: str) -> bool:
    """Whether the pronoun after the name's last word as a subject is "he" or "she" somewhere,
    and "it" nowhere ("Ana Ortiz threw her support behind ...")."""
    named = {i for e in doc.ents for i in range(e.start, e.end)}
    found = {referred_to_as(t, named) for t in tokens_named(doc, surname) if t.dep_ in ("nsubj", "nsubjpass")}
    return "person" in found and "thing" not in found


#: Titles written only before a person's name ("President Nest"; not "former", "chief").
PERSON_TITLES = TITLES - frozenset("former acting interim deputy vice prime chief leader officer".split())


def organisations_by_it(ents: list[SpacySpan]) -> list[SpacySpan]:
    """A one-word name tagged a person, no known first name nor the surname of anyone named in
    full, is an organisation's where the article refers back to it as "it" and never as "he" or
    "she": the first such pronoun after it as a clause's subject, before any other name
    ("Ecobee reports that its users save ...", "Snowflake ... It hit the public markets"), or
    says it is a company ("Starburst is a leading data platform provider", ``COMPANY_NOUNS``)."""
    if not ents:
        return ents
    doc = ents[0].doc
    surnames = {
        name_words(e.text)[-1].lower()
        for e in ents
        if e.label_ in PERSON_LABELS and len(name_words(e.text)) >= 2
    }
    candidates = {
        e.text.lower()
        for e in ents
        if e.label_ in PERSON_LABELS
        and len(e) == 1
        and e[0].is_alpha
        and e[0].text[:1].isupper()
        and not known_first_name(e[0])
        and e.text.lower() not in surnames
    }
    if not candidates:
        return ents
    named = {i for e in ents for i in range(e.start, e.end)}
    votes: dict[str, list[str]] = {}
    for name in candidates:
        for token in tokens_named(doc, name):
            if token.i > 0 and doc[token.i - 1].lower_.rstrip(".") in HONORIFICS | PERSON_TITLES:
                votes.setdefault(name, []).append("person")  # "Ms Nest", "President Nest": a person
                continue
            if token.dep_ not in ("nsubj", "nsubjpass"):
                continue
            if token.head.lemma_ == "be" and any(
                c.dep_ == "attr" and c.lemma_.lower() in COMPANY_NOUNS for c in token.head.children
            ):
                votes.setdefault(name, []).append("thing")  # "Kelvra is a leading platform provider"
                continue
            referred = referred_to_as(token, named)
            if referred is not None:
                votes.setdefault(name, []).append(referred)
    things = {name for name, found in votes.items() if "thing" in found and "person" not in found}
    if not things:
        return ents
    return [
        SpacySpan(doc, e.start, e.end, label="ORG")
        if e.label_ in PERSON_LABELS and e.text.lower() in things
        else e
        for e in ents
    ]


ORGANISATION_WORDS = frozenset(
    """
    court university college school institute academy association foundation company corporation
    inc corp co ltd llc group party committee council bank fund trust agency department ministry
    office board union league club team park street county city state republic church hospital
    center centre news times post press journal media network studios records books
    """.split()
)


def tokens_named(doc: Doc, lower: str) -> list[Token]:
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


def common_noun_elsewhere(head: Token) -> bool:
    """Whether the article writes the word in lower case as a noun somewhere ("research")."""
    return any(t.text == head.lower_ and t.pos_ == "NOUN" for t in tokens_named(head.doc, head.lower_))


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
            for t in tokens_named(doc, surname)
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
    if (
        before is not None
        and before.lower_.rstrip(".") in PERSON_NOUNS
        and (
            before.pos_ == "NOUN" or (before.pos_ == "PROPN" and not before.ent_type_)  # "CEO Ana Ortiz"
        )
    ):
        return True
    if any(c.dep_ == "appos" and c.lemma_.lower() in PERSON_NOUNS for c in root.children) or (
        root.dep_ == "appos" and root.head.lemma_.lower() in PERSON_NOUNS
    ):
        return True
    if described_only or surname in NOT_PEOPLE:
        return False
    if known_first_name(ent[0]) and (
        any(t.dep_ == "nsubj" and t.head.lemma_.lower() in SPEECH_VERBS for t in tokens_named(doc, surname))
        or _called_a_person(doc, surname)
    ):
        # "Amanda Renteria ... Renteria told reporters": a first name that speaks; "Carla Vance
        # threw her support behind ...": one the article calls "she"
        return True
    return any(not (ent.start <= i < ent.end) for i in _person_tokens(doc, surname))


def _speaks_alone(ent: SpacySpan, surname: str) -> int:
    """How often the name's last word, alone and outside the name, is the subject of a speech
    verb ("Bedi said", "Bedi told")."""
    return sum(
        1
        for t in tokens_named(ent.doc, surname)
        if not ent.start <= t.i < ent.end
        and t.dep_ == "nsubj"
        and t.head.lemma_.lower() in SPEECH_VERBS
        and not any(c.dep_ == "compound" for c in t.children)
    )


def _honorific_surname(doc: Doc, surname: str) -> bool:
    """Whether the article gives the surname after an honorific somewhere ("Ms. Malik")."""
    honorifics = FEMALE_HONORIFICS | MALE_HONORIFICS
    return any(t.i > 0 and doc[t.i - 1].lower_.rstrip(".") in honorifics for t in tokens_named(doc, surname))


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


def person_by_evidence(ent: SpacySpan) -> SpacySpan:
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
    if start < ent.start and role_word_surname(ent.doc, start, ent.end):
        return SpacySpan(ent.doc, start, ent.end, label="PERSON")  # "Ana Bishop" tagged "Bishop"
    tokens = [t for t in ent if t.tag_ != "POS"]
    titled = [t for t in tokens[:-1] if t.lower_.rstrip(".") in TITLES - {"former", "acting", "interim"}]
    if titled and any(
        t.ent_type_ == "PERSON" and not ent.start <= t.i < ent.end
        for t in tokens_named(ent.doc, tokens[-1].lower_)
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
        or not (known_first_name(tokens[0]) or _honorific_surname(ent.doc, tokens[-1].lower_))
        or any(not t.text[:1].isupper() or t.lower_ in ORGANISATION_WORDS for t in tokens)
    ):
        return ent
    return SpacySpan(ent.doc, ent.start, tokens[-1].i + 1, label="PERSON")
