"""The cascade that resolves a source mention to an entity of the article.

``Cascade.resolve`` repairs the phrase's head where the parse went wrong (``_source_head``), then
runs ``Cascade.STRATEGIES`` in this order on the source's character span and head token; the
first that answers wins, with a cluster index, None to pass, or ``UNRESOLVED`` to end with no
entity (a pronoun with nothing in reach, or "I" and "you", resolved elsewhere by context).

1. ``_conjoined``: people or bodies named together as the head's conjuncts ("Jeff Merkley,
   Sherrod Brown and Robert Menendez said"): a group of them; "Ana Ortiz and her top aides":
   a group named after both.
2. ``_capitals``: a transcript's speaker label in capitals ("JAKE TAPPER:"): that person.
3. ``_party_member``: "the Florida Republican": the person most in view.
4. ``_named_head``: a head inside a named mention: a named document's owner ("Northwind
   Mutual's Planning & Progress Study"), part of a named group ("Kent Republicans"), a person
   the tagger made an organisation ("WALLACE:"), else the mention's entity.
5. ``_relative_clause``: "the coalition, which represents ...": the noun the clause hangs on
   (the one name before it, or the whole list, as the clause's verb says), resolved in turn.
6. ``_relative_after_name``: "who" or "which" whose clause the parse missed: the named mention
   just before it.
7. ``_personal_pronoun``: "he", "they": the most salient entity that fits ("Another, Ana
   Ortiz,": the name; "they" also the people a plural subject describes, "Dozens of ferry
   workers"); "both": the last two named together or who spoke; "I", "we", "you", "who" and
   one with nothing in reach: unresolved.
8. ``_by_name``: a proper or capitalised name: the entity whose name it fits.
9. ``_owned``: "her campaign", "the Obama administration", "the campaign" after one: the
   organisation named after its owner.
10. ``_untagged_name``: a name of several capitalised words the tagger missed ("the Northern
    and Western Harbour Alliance"): an organisation of that name.
11. ``_document``: "her account", "a study by the Urban Institute", "the ad", "a story by the
    website Portwatch" and "The story" after it: its owner, author or maker (a pronoun owner
    ends the cascade, resolved or not).
12. ``_venue``: "an editorial in the Harbour Gazette": the outlet it ran in.
13. ``_outlet``: "the article", "the piece": the outlet in view, or the one named most so far.
14. ``_party_document``: "the Democratic platform": the party.
15. ``_place``: "the city of Nice": the place.
16. ``_apposed_name``: a name in apposition or compound that names the head ("Trump's state
    chairman, Rex Early"), not a body for a role noun nor a person for a plural, and no name in
    compound before a noun for people ("the Harbour Party leaders", "the Ortiz aide").
17. ``_body_before_head``: "the Harbour Insight Group polling average": the body named in the
    noun before the head.
18. ``_owners_thing``: "her economic plan", "his eyes": the person who owns it.
19. ``_clause_named``: "The clerk we met at the desk, Tom Reyes, told us": the name the parser
    hung inside the clause on the noun.
20. ``_including``: "Other harbour figures, including Ana Ortiz", "critics like Ana Ortiz and
    Ben Lutz": the person named, or the group of those named (a list of bodies stays the group).
21. ``_family_relative``: "Mr. Okafor's eldest daughter": the one other person of that
    surname and gender.
22. ``_share_of_group``: "Almost half said": a share of the group in view.
23. ``_together``: "the candidates", "the departments": the ones last named together;
    "the two candidates", "both men", "none of those three": the last named together that
    many, else the last that many people named as subjects in the sentences before; "the
    candidates" after a list of people none described so: that list.
24. ``_described_body``: "the trade group for the Harbour Shield plans": a body described by
    whom it serves, not a named one that shares its noun.
25. ``_described``: "The MP", "the businessman" (or a headline's "Retired General"): the
    person the article describes so, or the one in view for a role noun.
26. ``_new_name``: a proper name nothing above matched: a new person or organisation.
27. ``_party_leaders``: "Party leaders said": the leaders of the party named last.
28. ``_followers``: "his supporters": the group named after its owner ("Lutz supporters").
29. ``_unnamed``: anything else ("sources", "an aide", "many voters"): a new unnamed entity.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from spacy.tokens import Token

from onrecord.lexicon import (
    DOCUMENT_NOUNS,
    FAMILY_NOUNS,
    GENDERED_NOUNS,
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    RELATIVE_PRONOUNS,
    ROLE_NOUNS,
    WRITING_NOUNS,
)
from onrecord.nlp.text import doc_text
from onrecord.resolve.bodies import UNRESOLVED, BodyStrategies, Outcome, pronoun_or_none
from onrecord.resolve.clusters import Cluster
from onrecord.resolve.documents import maker_phrase
from onrecord.resolve.mentions import common_noun_elsewhere, described_as_a_thing
from onrecord.resolve.names import name_words
from onrecord.resolve.phrases import (
    FOLLOWER_NOUNS,
    NEWS_NOUNS,
    ORGANISATION_NOUNS,
    OWNED_NOUNS,
    PARTY_MEMBERS,
    PEOPLE_NOUNS,
    PERSON_WORDS,
    PIECE_NOUNS,
    WINDOW,
    clause_names,
    definite,
    determiners,
    group_words,
    head_lemma,
    partitive_noun,
    plural_count,
    unnamed_people,
    word_before,
)

#: How many sentences back a bare "both" may find the two people who spoke last.
BOTH_SENTENCES = 6


class Cascade(BodyStrategies):
    """The resolver with the cascade of strategies (see the module's docstring)."""

    def resolve(self, source: tuple[int, int], head_i: int | None) -> int | None:
        """Cluster index for the source mention (a new ``unnamed`` cluster if nothing fits)."""
        head = self._source_head(source, head_i)
        if head is None:
            return None
        source = self._without_possessive(source)
        found = self._resolve(source, head)
        lemma = head.lemma_.lower()
        if found is not None and head.pos_ == "NOUN" and lemma in WRITING_NOUNS | DOCUMENT_NOUNS:
            # "A chart from his briefing ..." then "Another chart": the same speaker; "a study
            # published in ..." then "The study": that study, whoever made it
            self.document_sources[head.i] = found
            if self.clusters[found].kind != "unnamed":
                self.document_speakers[lemma] = found
        elif found is not None and self.clusters[found].kind != "unnamed":
            # "a story by the website Portwatch says", parsed with the name as the verb's subject:
            # the story is the name's, for a "The story" after it
            span = self.doc.char_span(source[0], source[1], alignment_mode="expand")
            for token in span if span is not None else ():
                if (
                    token.i < head.i
                    and token.pos_ == "NOUN"
                    and token.lemma_.lower() in PIECE_NOUNS
                    and maker_phrase(token)
                ):
                    self.document_sources[token.i] = found
        return found

    def _without_possessive(self, source: tuple[int, int]) -> tuple[int, int]:
        """A noun cue's owner without its possessive ending: "the group's" is the group."""
        span = self.doc.char_span(source[0], source[1], alignment_mode="expand")
        if span is None or len(span) < 2 or span[-1].tag_ != "POS":
            return source
        return source[0], span[-2].idx + len(span[-2].text.rstrip())

    def _text(self, source: tuple[int, int]) -> str:
        return doc_text(self.doc)[source[0] : source[1]]

    def _naming(self, head: Token) -> list[Token]:
        """Names in apposition, given by a clause ("a teacher named Ana Ortiz"), in compound."""
        naming = [c for c in head.children if c.i in self.token_map and c.dep_ in ("appos", "compound")]
        naming += [c for c in clause_names(head) if c.i in self.token_map]
        naming.sort(key=lambda c: (c.dep_ != "appos", c.dep_ == "compound", c.i))
        return naming

    def _resolve(self, source: tuple[int, int], head: Token) -> int | None:
        for strategy in self.STRATEGIES:
            found = strategy(self, source, head)
            if found is UNRESOLVED:
                return None
            if found is not None:
                return found
        raise AssertionError("the last strategy always answers")

    def _conjoined(self, source: tuple[int, int], head: Token) -> Outcome:
        group = self._coordinated(head)
        if group is None:
            group = self._named_and_others(head)
        return group if group is not None else self._pronoun_and_named(head, source[0])

    def _capitals(self, source: tuple[int, int], head: Token) -> Outcome:
        text = self._text(source)
        if not text.isupper():
            return None
        label = doc_text(self.doc)[source[1] : source[1] + 2].strip().startswith(":")
        lower = [w.lower() for w in name_words(text)]
        if not label and any(
            c.kind == "organization" and [w.lower() for w in c.words] == lower for c in self.clusters
        ):
            return None  # a body the article names in capitals ("USA TODAY said"), not "LUTZ:"
        return self._name_in_capitals(text)

    def _party_member(self, source: tuple[int, int], head: Token) -> Outcome:
        if head.lower_ not in PARTY_MEMBERS or head.tag_ not in ("NN", "NNP") or not definite(head, ("the",)):
            return None
        # "the Florida Republican", "the Vermont Democrat": a politician, the person in view
        people = {i for i, c in enumerate(self.clusters) if c.kind == "person"}
        return self.ranked(source[0], people, forward=True)

    def _named_head(self, source: tuple[int, int], head: Token) -> Outcome:
        if head.i not in self.token_map:
            return None
        mapped = self.token_map[head.i]
        if head.lower_ in DOCUMENT_NOUNS:
            # "Northwind Mutual's Planning & Progress Study": the named document's owner
            owner = self._possessor(head)
            if owner is not None and self.token_map[owner.i] != mapped:
                return self.token_map[owner.i]
        narrowed = self._narrowed_group(head, mapped, source[1])
        if narrowed is not None:
            return narrowed
        text = self._text(source)
        if self.clusters[mapped].kind != "person" and len(name_words(text)) == 1:
            # "WALLACE:" tagged as an organisation is still Chris Wallace
            person = self.by_name(text)
            if person is not None and self.clusters[person].kind == "person":
                return person
        return mapped

    def _relative_clause(self, source: tuple[int, int], head: Token) -> Outcome:
        if head.lower_ not in RELATIVE_PRONOUNS or head.head.dep_ != "relcl":
            return None
        # "the coalition, which represents ...": the noun the clause hangs on
        antecedent = head.head.head
        if (
            antecedent.dep_ == "appos"
            and antecedent.head.i in self.token_map
            and antecedent.head.i < antecedent.i
        ):
            # 'Ben Lutz, a retired judge who argued': the one the apposition describes
            antecedent = antecedent.head
        if antecedent.i == head.i or antecedent.i > head.i:
            return None
        agreed = self._relative_agreement(head, antecedent)
        if agreed is not None:
            return agreed
        lo = antecedent.left_edge.i
        found = self.resolve((self.doc[lo].idx, antecedent.idx + len(antecedent.text)), antecedent.i)
        return UNRESOLVED if found is None else found

    def _relative_after_name(self, source: tuple[int, int], head: Token) -> Outcome:
        if head.lower_ not in RELATIVE_PRONOUNS or head.i == 0:
            return None
        # the parse missed the relative clause: the named mention just before the pronoun
        return self.token_map.get(word_before(head).i)

    def _personal_pronoun(self, source: tuple[int, int], head: Token) -> Outcome:
        lower = head.lower_
        if unnamed_people(head):
            return None  # "Some say ...", "Nobody said ...": people not named (below)
        if head.pos_ != "PRON" and lower not in PERSON_PRONOUNS and lower not in PLURAL_PRONOUNS:
            return None
        if lower in ("i", "me", "we", "us", "you", "who", "whom", "that", "which"):
            return UNRESOLVED
        if lower == "both":
            # "Ortiz said ... Lutz said ... Both oppose it": the last two named together (people or
            # bodies), else the last two people named as subjects, not the one body "they" takes
            pair = next(
                (
                    m
                    for start, m in reversed(self.lists)
                    if start < source[0] and source[0] - start <= WINDOW and len(m) == 2
                ),
                None,
            )
            if pair is not None:
                return self._group(pair)
            found = self._last_people(source[0], 2, sentences=BOTH_SENTENCES)
            if found is not None:
                return found
        if lower not in PERSON_PRONOUNS and lower not in PLURAL_PRONOUNS:
            # "Another, Ana Ortiz, disagreed": the name set off after it (in apposition or not)
            after = [head.i + 2] if head.i + 2 < len(self.doc) and self.doc[head.i + 1].text == "," else []
            named = [
                i for i in [c.i for c in head.children if c.dep_ == "appos"] + after if i in self.token_map
            ]
            if named:
                return self.token_map[named[0]]
        return pronoun_or_none(self._pronoun(head, source[0]))

    def _by_name(self, source: tuple[int, int], head: Token) -> Outcome:
        text = self._text(source)
        if head.pos_ == "PROPN" or ((text[:1].isupper() and head.is_title) or head.is_upper):
            return self.by_name(text)
        return None

    def _owned(self, source: tuple[int, int], head: Token) -> Outcome:
        owned = self._owned_organisation(head, source[0])
        return owned if owned is not None else self._owned_before(head)

    def _untagged_name(self, source: tuple[int, int], head: Token) -> Outcome:
        return self._proper_name(head)

    def _apposed_name(self, source: tuple[int, int], head: Token) -> Outcome:
        # a name in apposition names the head ("Trump's state chairman, Rex Early", "a longtime
        # JNF official, Howard Ingram"); a name in compound only modifies a noun for people ("the
        # Harbour Party leaders", "a Hale adviser": not the party, nor Hale) and names anything
        # else ("the NeverTrump faction"); no body names "a GOP official" or "one party activist"
        dets = determiners(head)
        indefinite = dets & {"a", "an"} or any(c.lower_ == "one" for c in head.children)
        # nor "the Air Force veteran", "the Supreme Court justice": one person, not the body
        one = bool(indefinite) or ("the" in dets and head.tag_ == "NN")
        role = head.lower_ in ROLE_NOUNS or (head.lower_ in PERSON_WORDS and one)
        people = head.lemma_.lower() in PERSON_WORDS | FOLLOWER_NOUNS | PEOPLE_NOUNS
        for child in self._naming(head):
            kind = self.clusters[self.token_map[child.i]].kind
            if role and kind != "person":
                continue  # "the Senate majority leader" is a person, not the Senate
            if child.dep_ == "compound" and (people or (kind == "person" and head.tag_ == "NNS")):
                continue  # "the Lutz aide", "many Hale rallies": not Lutz, nor Hale
            return self.token_map[child.i]
        return None

    def _body_before_head(self, source: tuple[int, int], head: Token) -> Outcome:
        if self._naming(head) or head.lower_ in ROLE_NOUNS or head.tag_ not in ("NN", "JJ"):
            return None  # "average" is often tagged JJ
        # "the Harbour Insight Group polling average": a body named in the noun before the head
        for child in head.children:
            if child.dep_ != "compound" or child.i in self.token_map:
                continue
            inner = [c for c in child.children if c.dep_ == "compound" and c.i in self.token_map]
            if inner and self.clusters[self.token_map[inner[-1].i]].kind == "organization":
                return self.token_map[inner[-1].i]
        return None

    def _owners_thing(self, source: tuple[int, int], head: Token) -> Outcome:
        lemma = head_lemma(head)
        owner = next((c for c in head.children if c.dep_ == "poss"), None)
        if (
            owner is None
            or not (head.tag_ == "NN" or (head.tag_ == "NNS" and lemma not in FOLLOWER_NOUNS))
            or any(c.dep_ == "appos" for c in head.children)
            or lemma in PERSON_WORDS | ORGANISATION_NOUNS | OWNED_NOUNS | NEWS_NOUNS
            or lemma in GENDERED_NOUNS
            or lemma in FAMILY_NOUNS
        ):
            return None
        # "her economic plan", "his eyes": a thing of a person's that speaks for them (not
        # "his supporters", a group of people of theirs: ``_followers``)
        found: int | None = None
        if owner.i in self.token_map:
            found = self.token_map[owner.i]
        elif owner.lower_ in PERSON_PRONOUNS:
            found = self._pronoun(owner, source[0])
        if found is not None and self.clusters[found].kind == "person":
            return found
        return None

    def _clause_named(self, source: tuple[int, int], head: Token) -> Outcome:
        if self._naming(head) or head.lower_ not in PERSON_WORDS:
            return None
        # a name set off by commas at the end of a clause on the noun ('The clerk we met at
        # the desk, Tom Reyes, told us'), which the parser hung inside the clause
        return self._clause_name(head)

    def _including(self, source: tuple[int, int], head: Token) -> Outcome:
        members = [
            t
            for t in head.subtree
            if t.i in self.token_map
            and t.head.dep_ in ("pobj", "prep", "conj", "appos")
            and any(a.lower_ in ("including", "like") and a.head.i == head.i for a in t.ancestors)
        ]
        if (
            head.tag_ in ("NNS", "NNPS")
            and members
            and self.clusters[self.token_map[members[0].i]].kind == "person"
            and any(t.lower_ in ("including", "like") for t in head.subtree)
        ):
            # "Other harbour figures, including Ana Ortiz and Ben Lutz": the people named, one or a
            # group; "Six newspapers in Kent, including the Harbour Gazette" stay the group (below)
            first = members[0]
            while first.head.i != first.i and self.token_map.get(first.head.i) == self.token_map[first.i]:
                first = first.head  # "Ana" in "Ana Ortiz": the name's own head
            named = self._coordination(first)
            return self._group(named) if len(named) >= 2 else self.token_map[members[0].i]
        return None

    def _family_relative(self, source: tuple[int, int], head: Token) -> Outcome:
        return self._relative(head)

    def _share_of_group(self, source: tuple[int, int], head: Token) -> Outcome:
        return self._share(head, source[0])

    def _together(self, source: tuple[int, int], head: Token) -> Outcome:
        head = partitive_noun(head)
        count = plural_count(head)
        if count is not None:
            return self._named_together(head, source[0], count=count)
        if determiners(head) & {"the", "these", "those"} and head.tag_ == "NNS":
            return self._named_together(head, source[0])
        return None

    def _described(self, source: tuple[int, int], head: Token) -> Outcome:
        dets = determiners(head)
        if (aged := self._aged(head, source[0])) is not None:
            return aged  # "The 28-year-old said"
        headline_role = (
            not dets
            and not any(c.dep_ in ("poss", "nummod") for c in head.children)  # not "one activist"
            and (head.lower_ in PERSON_WORDS or head.lower_ in GENDERED_NOUNS)
            and head.i not in self.token_map
        )
        if (dets & {"the", "this", "that"} or headline_role) and head.pos_ in ("NOUN", "PROPN"):
            return self._nominal(head, source[0], headline=headline_role)
        return None

    def _new_name(self, source: tuple[int, int], head: Token) -> Outcome:
        text = self._text(source)
        if head.pos_ != "PROPN" or not any(w[:1].isupper() for w in name_words(text)) or determiners(head):
            return None
        # the proper name around the head only, not its apposition or modifiers
        doc = self.doc
        lo = head.i
        while (
            lo - 1 >= 0
            and doc[lo - 1].pos_ == "PROPN"
            and (doc[lo - 1].head.i == head.i or (doc[lo - 1].idx >= source[0] and doc[lo - 1].is_title))
        ):
            lo -= 1  # its compounds, or the capitalised proper nouns before it in the source
        words = name_words(doc_text(doc)[doc[lo].idx : head.idx + len(head.text)])
        if lo == head.i and not head.ent_type_ and common_noun_elsewhere(head):
            return None  # "Research shows ..." opening a line: a common noun, written in lower case elsewhere
        kind = "person" if head.ent_type_ in ("", "PERSON") and len(words) <= 3 else "organization"
        if kind == "person" and head.ent_type_ == "" and described_as_a_thing(head, lo):
            kind = "organization"  # "workout tracking app Strava", "the brand Hoka"
        self.clusters.append(Cluster(kind, words))
        return len(self.clusters) - 1

    def _party_leaders(self, source: tuple[int, int], head: Token) -> Outcome:
        named_group = group_words(head, source)
        if not named_group or [w.lower() for w in named_group[:-1]] != ["party"]:
            return None
        # "Party leaders said ...": the leaders of the party the article named last
        party = self._last_party(source[0])
        if party is None:
            return None
        return self._cluster_named("group", [*self.clusters[party].words, named_group[-1]])

    def _followers(self, source: tuple[int, int], head: Token) -> Outcome:
        owner = next((c for c in head.children if c.dep_ == "poss" and c.lower_ in PERSON_PRONOUNS), None)
        named_group = group_words(head, source)
        if owner is None or head.tag_ != "NNS" or not named_group:
            return None
        # "his supporters", "his own aides": the group named after its owner ("Lutz supporters")
        person = self._pronoun(owner, source[0])
        if named_group[0].lower() == "own":
            named_group = named_group[1:]
        if person is not None and self.clusters[person].kind == "person" and named_group:
            return self._cluster_named("group", [self.clusters[person].words[-1], *named_group])
        return None

    def _unnamed(self, source: tuple[int, int], head: Token) -> Outcome:
        named_group = group_words(head, source)
        singular = head.tag_ in ("NN", "NNP") and not any(c.dep_ == "conj" for c in head.children)
        words = named_group or self._text(source).rstrip(",;").split()  # "The mayor, who ..."
        self.clusters.append(Cluster("unnamed", words, singular=singular))
        return len(self.clusters) - 1

    #: The cascade, in order (see the module's docstring); the last always answers.
    STRATEGIES: ClassVar[tuple[Callable[[Cascade, tuple[int, int], Token], Outcome], ...]] = (
        _conjoined,
        _capitals,
        _party_member,
        _named_head,
        _relative_clause,
        _relative_after_name,
        _personal_pronoun,
        _by_name,
        _owned,
        _untagged_name,
        BodyStrategies._document,
        BodyStrategies._venue,
        BodyStrategies._outlet,
        BodyStrategies._party_document,
        BodyStrategies._place,
        _apposed_name,
        _body_before_head,
        _owners_thing,
        _clause_named,
        _including,
        _family_relative,
        _share_of_group,
        _together,
        BodyStrategies._described_body,
        _described,
        _new_name,
        _party_leaders,
        _followers,
        _unnamed,
    )
