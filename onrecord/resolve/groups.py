"""Groups and names in a source phrase: a share of a group ("Almost half said"), part of a
group ("Kent Republicans"), the people last named together ("The candidates said"), a
relative ("Mr. Okafor's eldest daughter"), a relative clause's number, and names the tagger
missed ("JAKE TAPPER:", "the Northern and Western Harbour Alliance").
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from onrecord.lexicon import (
    FAMILY_NOUNS,
    PLURAL_PRONOUNS,
    ROLE_NOUNS,
)
from onrecord.nlp.text import doc_text
from onrecord.resolve.clusters import Cluster
from onrecord.resolve.documents import DocumentResolver
from onrecord.resolve.gender import first_name_gender
from onrecord.resolve.names import name_words
from onrecord.resolve.phrases import (
    FOLLOWER_NOUNS,
    NAME_CONNECTORS,
    PARTITIVES,
    PERSON_WORDS,
    ROLE_SYNONYMS,
    WINDOW,
    clause_number,
    group_words,
    modifiers_start,
    unnamed_people,
    word_before,
)

#: Words of a transcript's label for someone it does not name ("UNIDENTIFIED MALE", "CROWD").
UNNAMED_LABEL_WORDS = frozenset("unidentified unknown crowd audience announcer protesters".split())
#: A transcript's label that names a part, not a person ("HOST:"): the one described so.
ROLE_LABELS = frozenset(
    "host co-host cohost anchor moderator interviewer questioner presenter reporter narrator".split()
)

#: Plural nouns that stand for bodies, not people ("the two countries", "both companies").
BODY_NOUNS = frozenset(
    """country nation government state department agency ministry company firm bank party
    organization organisation group campaign newspaper paper network outlet union""".split()
)


def _first_named(pattern: str, text: str) -> list[str] | None:
    """The words of the first match of ``pattern`` in ``text`` that opens with a known first
    name, or None."""
    for match in re.finditer(pattern, text):
        run = match.group(0).split()
        if first_name_gender(run[0]) is not None:
            return run
    return None


#: How many sentences back "the two candidates" may find the people it counts.
PEOPLE_SENTENCES = 3


class GroupResolver(DocumentResolver):
    """The resolver with groups, relatives and names the tagger missed."""

    def _share(self, head: Token, offset: int) -> int | None:
        """'Nearly 3 in 10 said ...', 'Almost half said ...' after 'More than 6 in 10 commuters
        who took the ferry described ...': a share with no group of its own ("of the voters")
        is a share of the group the sentence opens with ("Among teens, 20% said"), else of the
        group just counted, in this sentence or the one before."""
        if head.i in self.token_map or not (head.lower_ in PARTITIVES or head.like_num):
            return None
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if of is not None:
            target = next((c for c in of.children if c.dep_ == "pobj"), None)
            if target is not None and target.lower_ in PLURAL_PRONOUNS:
                return self._pronoun(target, offset)  # "many of them"
            return None
        if unnamed_people(head):
            return None  # "Some say ...": people not named, not a share of a group in view
        among = next(
            (c for c in head.head.children if c.dep_ == "prep" and c.lower_ == "among" and c.i < head.i),
            None,
        )
        target = next((c for c in among.children if c.dep_ == "pobj"), None) if among is not None else None
        if target is not None and target.tag_ in ("NNS", "NNPS"):
            # "Among teens with anxiety, 20% reported ...": a share of that group
            if target.i in self.token_map:
                return self.token_map[target.i]
            words = group_words(
                target, (target.left_edge.idx, target.right_edge.idx + len(target.right_edge.text))
            )
            if words:
                return self._cluster_named("group", words)
        here = self._sentence(offset)
        groups = {
            i
            for i, c in enumerate(self.clusters)
            if c.kind in ("group", "unnamed")
            and not c.singular
            # not another share ("About three in 10"): the group it is a share of
            and not any(w.lower() in PARTITIVES or w.replace(",", "").isdigit() for w in c.words)
        }
        recent = [
            m
            for m in self.history
            if m.cluster in groups and m.offset < offset and here - self._sentence(m.offset) <= 1
        ]
        return recent[-1].cluster if recent else None

    def _aged(self, head: Token, offset: int) -> int | None:
        """'The 28-year-old said': the person in view, of those the article gives that age ("Ana
        Ortiz, 28,", "the 28-year-old Ortiz") if any; None for any other head."""
        if head.lower_ != "old":
            return None
        year = next(
            (c for c in head.children if c.lower_ in ("year", "years") and c.dep_ == "npadvmod"), None
        )
        if year is None:
            return None
        before = head.left_edge.i - 1
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in head.children) and not (
            before >= 0 and self.doc[before].lower_ == "the"
        ):
            return None  # 'a 28-year-old said' is someone new
        ages = {c.text for c in year.children if c.dep_ == "nummod"}
        ages |= {f"{age}-year-old" for age in ages}
        people = {i for i, c in enumerate(self.clusters) if c.kind == "person"}
        aged = {i for i in people if ages & self.clusters[i].description_words()}
        return self.ranked(offset, aged or people)

    def _pronoun_and_named(self, head: Token, offset: int) -> int | None:
        """'he and Ben Lutz had said the same thing': one group of the pronoun's person and the
        people named after it."""
        conjunct = next((c for c in head.children if c.dep_ == "conj"), None)
        if head.lower_ not in ("he", "she", "him", "her") or head.tag_ != "PRP" or conjunct is None:
            return None
        if conjunct.tag_ in ("NNS", "NNPS"):
            return None  # 'he and other Ortiz challengers': people not named
        named = self._coordination(conjunct)
        if not named or len(named) != 1 + sum(1 for c in conjunct.children if c.dep_ == "conj"):
            return None
        person = self._pronoun(head, offset)
        if person is None or person in named or self.clusters[person].kind != "person":
            return None
        return self._group([person, *named])

    def _named_and_others(self, head: Token) -> int | None:
        """'Ana Ortiz and her top aides', 'Neither Ms. Ortiz nor other officials': a group of the
        named person and the people the other conjunct describes, named after both ("Ana Ortiz
        and her top aides"); None unless the head names one person and every other conjunct is
        a plural noun of people that names no one."""
        if head.i not in self.token_map or self.clusters[self.token_map[head.i]].kind != "person":
            return None
        conjuncts = [c for c in head.children if c.dep_ == "conj"]
        if len(conjuncts) != 1 or self._named_token(conjuncts[0]) is not None:
            return None
        others = conjuncts[0]
        if others.tag_ != "NNS" or others.lemma_.lower() not in PERSON_WORDS | FOLLOWER_NOUNS:
            return None
        tokens = [t for t in others.subtree if not (t.is_punct and t.i == others.right_edge.i)]
        if any(t.dep_ in ("conj", "cc", "relcl", "acl", "appos") for t in tokens if t.head.i == others.i):
            return None  # a longer phrase than a description: keep to what is named
        phrase = doc_text(self.doc)[tokens[0].idx : tokens[-1].idx + len(tokens[-1])]
        person = self.token_map[head.i]
        group = self._cluster_named("group", [*self.clusters[person].name.split(), "and", *phrase.split()])
        self.clusters[group].members = [person]
        return group

    def _narrowed_group(self, head: Token, mapped: int, end: int) -> int | None:
        """'Republicans on the House Budget Committee', 'commuters worried about fares',
        'commuters who took the ferry' (a restricting phrase ending before ``end``),
        'Kent Republicans', 'House Democrats', 'white working-class Democrats' (words before the
        group's name that say which of them, not how many): that part of the group."""
        cluster = self.clusters[mapped]
        if cluster.kind != "group" or head.tag_ not in ("NNS", "NNPS"):
            return None
        doc = self.doc
        lo = modifiers_start(head)
        restrictive = [
            c
            for c in head.rights
            if (
                (c.dep_ in ("prep", "acl") and c.i == head.i + 1)
                # "commuters who took the ferry", inside the source (not "who" itself)
                or (c.dep_ == "relcl" and c.left_edge.i == head.i + 1 and c.right_edge.idx < end)
            )
            and c.lower_ not in ("including", "like", "such")
        ]
        last = restrictive[0].right_edge.i if restrictive else head.i
        while last > head.i and doc[last].is_punct:
            last -= 1
        if lo == head.i and last == head.i:
            return None
        words = doc_text(doc)[doc[lo].idx : doc[last].idx + len(doc[last].text)].split()
        if [w.lower() for w in words] == [w.lower() for w in cluster.words]:
            return None
        return self._cluster_named("group", words)

    def _named_together(self, head: Token, offset: int, *, count: int | None = None) -> int | None:
        """'Senate candidates Ana Ortiz, Ben Lutz and Tom Reyes ...' then 'The candidates said':
        the people (or organisations: 'the departments' after 'the Department of Transport and
        the Department of Finance') last named together within reach, when the noun names or
        describes one of them; with a ``count`` ('the two candidates'), the last named
        together that many, else the last that many people named as subjects, each in a
        sentence of their own; a role noun no list member is described by ('The candidates
        say' after 'They include ... Ana Ortiz; ... Ben Lutz; and Mira Patel'): the last list of
        people. Else None."""
        lemma = head.lemma_.lower()
        bodies = lemma in BODY_NOUNS
        for start, members in reversed(self.lists):
            if start >= offset:
                continue
            if offset - start > WINDOW:
                break
            if count is not None:
                if len(members) == count and all(
                    (self.clusters[m].kind == "person") != bodies for m in members
                ):
                    return self._group(members)
                continue
            words = {
                w.lower().strip(".,")
                for m in members
                for text in [*self.clusters[m].descriptions, " ".join(self.clusters[m].words)]
                for w in text.split()
            }
            if lemma in words or head.lower_ in words:
                return self._group(members)
        described = self._described_people(head, offset, count) if lemma in PERSON_WORDS else None
        if described is not None:
            return described
        if count is not None and not bodies:
            # "Ana Ortiz won in Dover. Ben Lutz won in Kent. The two candidates said ...": the last
            # that many people the article named, each in its own sentence, not reported words
            return self._last_people(offset, count)
        if count is None and lemma in ROLE_NOUNS:
            # "The candidates say ..." after a list of people none described so: that list
            for start, members in reversed(self.lists):
                if (
                    start < offset
                    and offset - start <= WINDOW
                    and all(self.clusters[m].kind == "person" for m in members)
                ):
                    return self._group(members)
        return None

    def _described_people(self, head: Token, offset: int, count: int | None) -> int | None:
        """'The Democratic candidates said' after 'Democratic candidate Ana Ortiz' and 'Ben
        Lutz, another Democratic candidate': the people named before ``offset`` whom the article
        describes by the noun and its modifiers, when there are two or more (with a ``count``,
        the last that many named); else None."""
        lemma = head.lemma_.lower()
        words = ROLE_SYNONYMS.get(lemma, {lemma})
        modifiers = {c.lower_ for c in head.children if c.dep_ in ("amod", "compound") and c.is_alpha}
        found = [
            i
            for i, c in enumerate(self.clusters)
            if c.kind == "person"
            and c.first_mention < offset
            and words & c.description_words()
            and modifiers <= c.description_words()
        ]
        if count is not None:
            if len(found) < count:
                return None
            last = {i: max(start for start, _ in self.clusters[i].mentions if start < offset) for i in found}
            found = sorted(sorted(found, key=last.__getitem__)[-count:])
        return (
            self._group(sorted(found, key=lambda i: self.clusters[i].first_mention))
            if len(found) >= 2
            else None
        )

    def _last_people(self, offset: int, count: int, *, sentences: int = PEOPLE_SENTENCES) -> int | None:
        """The group of the last ``count`` people named before ``offset`` within the last few
        ``sentences``, subjects of their own clauses (not a name inside reported words), or None."""
        here = self._sentence(offset)
        people: list[int] = []
        for mention in reversed(self.history):
            if mention.offset >= offset:
                continue
            if here - self._sentence(mention.offset) > sentences:
                break
            cluster = mention.cluster
            if cluster < 0 or mention.reported or not mention.subject or cluster in people:
                continue
            if self.clusters[cluster].kind == "person":
                people.append(cluster)
                if len(people) == count:
                    # in the order the article introduced them, as a list would name them
                    return self._group(sorted(people, key=lambda i: self.clusters[i].first_mention))
        return None

    def _relative(self, head: Token) -> int | None:
        """'Mr. Okafor's eldest daughter': the one other person of the owner's surname and of the
        noun's gender, if the article names exactly one; never the owner."""
        gender = FAMILY_NOUNS.get(head.lower_)
        owner = next((c for c in head.children if c.dep_ == "poss" and c.i in self.token_map), None)
        if gender is None or owner is None:
            return None
        mapped = self.token_map[owner.i]
        surname = self.clusters[mapped].words[-1].lower()
        found = [
            i
            for i, c in enumerate(self.clusters)
            if i != mapped
            and c.kind == "person"
            and len(c.words) >= 2
            and c.words[-1].lower() == surname
            and c.gender in (None, gender)
        ]
        return found[0] if len(found) == 1 else None

    def _relative_agreement(self, pronoun: Token, antecedent: Token) -> int | None:
        """'Ben Lutz, who has called ..., and Tom Reyes, who says ...', 'candidates, including
        Lutz and Reyes, who has opposed ...': a relative clause whose verb is singular is about
        the one name just before it, not the list the name is in; 'Ana Ortiz and Ben Lutz, who
        say ...' (plural) is about the whole list. None when the verb does not tell."""
        number = clause_number(pronoun.head)
        if number is None:
            return None
        if number == "plural":
            root = antecedent
            while root.dep_ == "conj" and root.head.i < root.i:
                root = root.head
            return self._coordinated(root) if root is not antecedent else None
        for token in (word_before(pronoun), antecedent):
            named = self._named_token(token)
            if named is not None and self.clusters[self.token_map[named.i]].kind == "person":
                return self.token_map[named.i]
        return None

    def _clause_name(self, head: Token) -> int | None:
        """A person's name set off by commas after a clause on ``head``, parsed into that clause."""
        doc = self.doc
        for token in head.subtree:
            if (
                token.i in self.token_map
                and token.dep_ in ("appos", "npadvmod", "dep")
                and token.head.i != head.i
                and self.clusters[self.token_map[token.i]].kind == "person"
                and token.left_edge.i > head.i + 1
                and doc[token.left_edge.i - 1].text == ","
            ):
                return self.token_map[token.i]
        return None

    def _name_in_capitals(self, text: str) -> int | None:
        """A transcript's speaker label in capitals ("JAKE TAPPER:", then "TAPPER:"): the person
        of that name, matched without regard to case, or a person named so in title case (the
        tagger reads capitals badly: an organisation, nothing, or a second person). A lone word in
        capitals is a person only where the article gives a fuller name ending in it (else it may
        be an acronym, "CNN")."""
        if not text.isupper():
            return None
        words = name_words(text)
        if not words or len(words) > 4 or not all(w.strip("'’-").replace("-", "").isalpha() for w in words):
            return None
        if {w.lower() for w in words} & UNNAMED_LABEL_WORDS:
            # "UNIDENTIFIED MALE:", "CROWD:": someone the transcript does not name
            singular = words[-1].lower() not in ("crowd", "audience", "protesters")
            self.clusters.append(Cluster("unnamed", [w.lower() for w in words], singular=singular))
            return len(self.clusters) - 1
        lower = [w.lower() for w in words]
        if len(lower) == 1 and lower[0] in ROLE_LABELS:
            # "HOST:", "MODERATOR:": the person the article describes so ("with host Ana
            # Ortiz"), else someone it does not name
            described = [
                i
                for i, c in enumerate(self.clusters)
                if c.kind == "person" and lower[0] in c.description_words()
            ]
            if described:
                return max(described, key=lambda i: len(self.clusters[i].mentions))
            self.clusters.append(Cluster("unnamed", lower, singular=True))
            return len(self.clusters) - 1
        matches = [
            i
            for i, c in enumerate(self.clusters)
            if c.kind == "person"
            and c.words
            and not all(w.isupper() for w in c.words)
            and c.words[-1].lower() == lower[-1]
            # "WASSER STONE:", "DE VRIES:": a surname of two words ends the full name
            and (
                len(lower) == 1
                or c.words[0].lower() == lower[0]
                or [w.lower() for w in c.words[-len(lower) :]] == lower
            )
        ]
        if matches:
            # "CRUZ:" is Ted Cruz where the article names him
            return max(matches, key=lambda i: len(self.clusters[i].mentions))
        if len(words) == 1:
            # "TAPPER:" after a "JAKE TAPPER:" that the tagger made something else of
            fuller = [
                c.words
                for c in self.clusters
                if len(c.words) >= 2
                and all(w.isupper() for w in c.words)
                and c.words[-1].lower() == lower[-1]
            ]
            if not fuller:
                # or that only the text has: an earlier turn no rule took ("JAKE TAPPER: ...")
                text = doc_text(self.doc)
                surname = re.escape(words[0])
                found = re.search(rf"\b((?:[A-Z][A-Z'-]+ ){{1,2}}){surname}(?=:|,| \()", text)
                run = (
                    found.group(0).split()
                    if found is not None
                    # or a headline in capitals that gives it ("BEN LUTZ ON THE FERRY")
                    else _first_named(rf"\b([A-Z][A-Z'’-]+ ){surname}\b", text)
                    # or the name in title case where the tagger found no person ("State of
                    # the Harbour With Ana Ortiz" taken for a title)
                    or _first_named(
                        rf"\b((?:[A-Z][\w'’-]+ )(?:[A-Z]\. )?){re.escape(words[0].title())}\b", text
                    )
                )
                if not run:
                    return None
                fuller = [run]
            words = fuller[0]
        return self._cluster_named("person", [w.capitalize() if w.isupper() else w for w in words])

    def _proper_name(self, head: Token) -> int | None:
        """'the Northern and Western Harbour Alliance': a name of several capitalised words that the
        entity tagger missed is an organisation of that name, not a description to resolve."""
        if head.pos_ != "PROPN" or head.i in self.token_map or head.lower_ in ROLE_NOUNS:
            return None
        if any(
            c.dep_ == "appos"
            and c.i in self.token_map
            and self.clusters[self.token_map[c.i]].kind == "person"
            for c in head.children
        ):
            return None  # "Senior Brand Manager, Lysa Bourget-Vennin": a job, its holder named beside it
        tokens = [t for t in self.doc[head.left_edge.i : head.i + 1] if t.dep_ not in ("det", "poss", "case")]
        if len(tokens) < 2 or not tokens[0].text[:1].isupper():
            return None
        for token in tokens:
            capitalised = (
                token.pos_ in ("PROPN", "ADJ", "NOUN") and token.is_alpha and token.text[:1].isupper()
            )
            if not (capitalised or token.lower_ in NAME_CONNECTORS) or token.i in self.token_map:
                return None
        return self._cluster_named("organization", [t.text for t in tokens])
