"""The people and organisations of an article: name clusters and the descriptions the article gives.

``build_entities`` groups the named-entity mentions of a Doc into entities: full names first,
then surname and title forms ("Mr Carden", "Sir Keir", "Sen. Warren") joined to the full name
they fit (``names.compatible``), organisations by their normal form. Each entity collects the
descriptions the article gives it: pre-modifiers ("Home Office minister Jess Phillips"),
appositions ("Musk, the billionaire X CEO and Donald Trump ally"), participle phrases
("Dan Carden, representing Liverpool Walton") and copular attributes ("became the first
Labour MP"); what each mention is (its descriptions, a person or not, its name's extent) is
``onrecord.resolve.mentions``.
"""

from __future__ import annotations

from collections import Counter

from spacy.attrs import POS
from spacy.symbols import PROPN
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from onrecord.lexicon import (
    FEMALE_PRONOUNS,
    HONORIFICS,
    MALE_PRONOUNS,
    ORG_LABELS,
    PERSON_LABELS,
    TITLES,
)
from onrecord.nlp.text import doc_text
from onrecord.resolve.clusters import Cluster, join_acronyms, join_short_names
from onrecord.resolve.gender import first_name_gender
from onrecord.resolve.mentions import (
    body_by_its_noun,
    descriptions,
    named_as_things,
    not_a_person,
    organisations_by_it,
    person_by_evidence,
    tokens_named,
    without_owner,
    without_preposition,
)
from onrecord.resolve.missed import (
    outlets_the_tagger_missed,
    people_apposed_to_roles,
    people_coordinated_with_people,
    people_the_tagger_missed,
    proper_noun_pairs,
    with_first_name,
)
from onrecord.resolve.name_extent import (
    HYPHENS,
    ent_gender,
    in_headline,
    known_first_name,
    name_extent,
    name_suffix,
    without_dateline,
    without_headline_verb,
)
from onrecord.resolve.names import (
    POSSESSIVE,
    best_match,
    compatible,
    name_words,
    normal,
)
from onrecord.resolve.pronoun_named import named_by_a_pronoun


def _only_titles(ent: SpacySpan) -> bool:
    """Every word of the mention is a title ("Founder &", "President"): no name."""
    words = [w.lower() for w in name_words(ent.text)]
    return bool(words) and all(w in TITLES for w in words)


def build_entities(doc: Doc) -> tuple[list[Cluster], dict[int, int]]:
    """Entity clusters of the doc, and a map from token index to cluster index."""
    clusters: list[Cluster] = []
    token_map: dict[int, int] = {}
    ents = [
        name_extent(
            person_by_evidence(
                without_headline_verb(not_a_person(without_preposition(without_owner(without_dateline(e)))))
            )
        )
        for e in map(body_by_its_noun, doc.ents)
        if e.label_ in PERSON_LABELS | ORG_LABELS
        # "Harbour authority chair": a nationality tag on a modifier is not a group that speaks
        and not (
            e.label_ == "NORP"
            and e.root.dep_ in ("compound", "amod")
            and e.root.head.pos_ in ("NOUN", "PROPN")
        )
        # "Ana Ortiz, Founder & President, Harbour Consulting": titles the tagger took for a body
        and not (e.label_ in ORG_LABELS and _only_titles(e))
    ]
    ents = organisations_by_it(named_as_things(ents)) + [
        not_a_person(e) for e in people_the_tagger_missed(doc)
    ]
    ents += outlets_the_tagger_missed(doc, ents)
    ents += people_coordinated_with_people(doc, ents)
    ents += people_apposed_to_roles(doc, ents)
    ents = named_by_a_pronoun(doc, ents)
    # "Mr Okafor" is a person whatever the tagger says; so is a lone surname of someone named
    # in full elsewhere ("Trump avoids ..." tagged as an organisation)
    surnames = {
        name_words(e.text)[-1].lower()
        for e in ents
        if e.label_ in PERSON_LABELS and len(name_words(e.text)) >= 2
    }
    persons = [
        with_first_name(doc, e, ents) if e.label_ not in PERSON_LABELS else e
        for e in ents
        if e.label_ in PERSON_LABELS
        or ent_gender(e) is not None
        or (len(name_words(e.text)) == 1 and e.label_ in ("ORG", "NORP") and e.text.lower() in surnames)
    ]
    person_starts = {e.start for e in persons}
    # full names first, so that later surname mentions find them; then surnames with an honorific
    # ("Mr. Obama"), so that a bare "Obama" goes to the one of that name the article means
    order = sorted(persons, key=lambda e: (len(name_words(e.text)) < 2, ent_gender(e) is None, e.start))
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
            gender=ent_gender(ent),
            suffixes=[clusters[i].suffix for i in people],
            suffix=name_suffix(ent),
        )
        if found is None and len(words) >= 2:
            found = next((k for k, i in enumerate(people) if compatible(clusters[i].words, words)), None)
        mention_gender = ent_gender(ent)
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
    _organisation_mentions(doc, clusters, token_map)
    join_acronyms(clusters, token_map)
    join_short_names(clusters, token_map, doc_text(doc))
    return clusters, token_map


def _organisation_mentions(doc: Doc, clusters: list[Cluster], token_map: dict[int, int]) -> None:
    """Proper nouns the tagger missed that write an organisation's one-word name as it is
    written where it was tagged ("Tinder suspended her account; it did not explain why"): a
    mention, in view for a later "it"."""
    names: dict[str, int] = {}
    for index, cluster in enumerate(clusters):
        if (
            cluster.kind == "organization"
            and cluster.label != "GPE"
            and len(cluster.words) == 1
            and cluster.words[0][:1].isupper()
        ):
            names.setdefault(cluster.words[0], index)
    for name, index in names.items():
        written = tokens_named(doc, name.lower())  # the doc's word index, built once
        if any(t.text == name.lower() for t in written):
            continue  # a common word the article also writes in lower case ("Project", "State")
        for token in written:
            # as written where it was tagged, capitals and all; the parser may call it a common
            # noun where it opens a sentence
            if token.i in token_map or token.text != name or token.pos_ not in ("PROPN", "NOUN"):
                continue
            k = token.i
            neighbours = [doc[j] for j in (k - 1, k + 1) if 0 <= j < len(doc)]
            if any(n.pos_ == "PROPN" or n.ent_type_ or n.text in HYPHENS for n in neighbours):
                continue  # part of another name: "Sparkle Labs", "Pro-Islamic State"
            if token.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj") or any(
                c.dep_ == "conj" for c in token.children
            ):
                continue  # a modifier ("Carrier workers", "Facebook officials") or a list's first
            _add_mention(clusters[index], doc[k : k + 1], index, token_map)


def _full_names_the_tagger_missed(doc: Doc, clusters: list[Cluster], token_map: dict[int, int]) -> None:
    """'Mr. Obama', 'Malone' or 'Ruiz Castro' throughout, and the full name only where the entity tagger did not
    take it for a person ('the Samuel Okafor Foundation', 'MIT professor Thomas W. Malone', a
    name tagged as an organisation): the person named by surname alone gets that full name, the
    longest run of proper nouns before the surname that opens with a known first name (middle
    names and initials allowed), and the run becomes a mention of that person."""
    people = {i for i, c in enumerate(clusters) if c.kind == "person"}
    by_surname: dict[str, list[int]] = {}  # a surname's first word -> the people so named
    for index in people:
        words = clusters[index].words
        # one word, or two with no first name among them ("Ruiz Castro")
        if len(words) == 1 or (len(words) == 2 and first_name_gender(words[0]) is None):
            by_surname.setdefault(words[0].lower(), []).append(index)
    if not by_surname:
        return
    found: dict[int, tuple[int, int, str | None]] = {}  # cluster -> its full name's first run, gender
    for token in doc:
        if token.lower_ not in by_surname or not token.text[:1].isupper() or token_map.get(token.i) in people:
            continue
        named = [
            i
            for i in by_surname[token.lower_]
            if [t.lower_ for t in doc[token.i : token.i + len(clusters[i].words)]]
            == [w.lower() for w in clusters[i].words]
        ]
        if not named:
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
        while start < token.i and not known_first_name(doc[start]):
            start += 1  # 'MIT Sloan' before the name is not part of it
        if start == token.i:
            continue
        gender = first_name_gender(doc[start].text)
        matches = [i for i in named if clusters[i].gender in (None, gender)]
        if len(matches) == 1 and matches[0] not in found:
            found[matches[0]] = (start, token.i + len(clusters[matches[0]].words), gender)
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
    for first, last in proper_noun_pairs(doc):
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
        cluster.gender = ent_gender(ent)
    if cluster.kind == "person":
        for description in descriptions(ent):
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
