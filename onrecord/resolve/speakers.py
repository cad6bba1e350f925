"""Resolving a source mention to an entity of the article.

The cascade, first hit wins:

1. the source phrase is, or is headed by, a named mention ("Public Health minister Andrew
   Gwynne", "Mr Carden"): that mention's entity;
2. a proper name the named-entity tagger missed ("WALLACE", "Pence"): the entity whose name
   it fits;
3. a personal pronoun ("he", "she", "they"): the most salient earlier entity of a compatible
   kind and gender, where salience favours recent speakers and recent subjects;
4. a definite description ("The MP", "the businessman"): the most salient entity whose
   descriptions share its head word;
5. a group with named people among its members ("Other harbour figures, including Ana Ortiz
   and ..."): the first of them (a group of named bodies stays the group);
6. otherwise an unnamed source ("sources", "an aide"): a new entity of kind ``unnamed``.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from spacy.attrs import IDX
from spacy.tokens import Doc, Token

from onrecord.lexicon import (
    DOCUMENT_NOUNS,
    FAMILY_NOUNS,
    FEMALE_HONORIFICS,
    GENDERED_NOUNS,
    MALE_HONORIFICS,
    PERSON_NOUNS,
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    RELATIVE_PRONOUNS,
    ROLE_NOUNS,
    THING_PRONOUNS,
    WRITING_NOUNS,
)
from onrecord.nlp.text import doc_text, sentence_starts
from onrecord.resolve.channel import is_outlet_name
from onrecord.resolve.entities import Cluster, in_headline
from onrecord.resolve.names import abbreviates, best_match, name_words

_CANDIDATE = {"candidate", "nominee", "hopeful", "contender"}
_LAWMAKER = {"lawmaker", "congressman", "congresswoman", "representative", "senator", "legislator"}
_DOCTOR = {"doctor", "physician", "dr"}
_GENERAL = {"general", "gen"}
ROLE_SYNONYMS: dict[str, set[str]] = {
    **dict.fromkeys(_CANDIDATE, _CANDIDATE),
    **dict.fromkeys(_LAWMAKER, _LAWMAKER),
    **dict.fromkeys(_DOCTOR, _DOCTOR),
    **dict.fromkeys(_GENERAL, _GENERAL),
}
#: A member of a party, as news calls a politician it has named: "the Florida Republican".
PARTY_MEMBERS = frozenset("republican democrat independent libertarian conservative liberal".split())
#: What a news outlet publishes, or the outlet itself: "the article says", "the influential
#: daily said" is the outlet in view speaking.
NEWS_NOUNS = frozenset(
    "article piece story editorial daily weekly newspaper tabloid broadsheet magazine".split()
)
ORGANISATION_NOUNS = frozenset(
    """
    bank company firm agency campaign group department administration committee network newspaper
    government ministry council party organization organisation union association foundation
    institute center centre court office board commission coalition team club journal
    brand retailer startup manufacturer business chain
    """.split()
)
OWNED_NOUNS = frozenset("campaign administration team government party office staff aides camp".split())
WINDOW = 1500  # characters a pronoun may reach back
#: What a mention inside someone's reported words loses as an antecedent: "Ana Ortiz said Ben
#: Lutz would resign. She added ..." (a penalty of 0.5 to 2 gives the same on train_resolved).
REPORTED_PENALTY = 1.0
#: What a name loses as an antecedent where it only modifies a noun ("why voters should prefer
#: a Lutz presidency. He concluded ...": not Lutz).
MODIFIER_PENALTY = 1.0


#: Nouns that describe a person, a role or otherwise ("the senator", "the editor").
PERSON_WORDS = ROLE_NOUNS | PERSON_NOUNS

#: An advertisement under its names: "the ad", "the 30-second spot" speak for who paid for it.
AD_NOUNS = frozenset("ad ads advertisement commercial spot".split())
#: How many sentences back "the ad" or "the statement" may find the one its maker made.
DOCUMENT_SENTENCES = 5

#: People of someone's: "his supporters" are a group of their own ("Lutz supporters"), where
#: "his eyes" or "her remarks" speak for the owner.
FOLLOWER_NOUNS = frozenset(
    """supporter aide ally adviser advisor follower critic fan voter donor backer staffer friend
    colleague lawyer attorney opponent rival member loyalist surrogate associate deputy assistant
    lieutenant partner employee worker volunteer recruit child kid parent relative""".split()
)

#: Marks that open a quotation.
QUOTE_OPENERS = frozenset("\"“‘'«„")

#: A party's documents: "the Democratic platform" speaks for the Democratic Party.
PARTY_DOCUMENTS = frozenset({"platform", "manifesto"})

#: Nouns that a place's name follows after "of": "the city of Nice".
PLACE_NOUNS = frozenset(
    "city town village state country nation province region county island kingdom republic".split()
)

#: Heads that take a part of a group: "most of the voters", "two-thirds of caucus attendees".
PARTITIVES = frozenset(
    """majority minority number most many some all half third thirds quarter percent share portion
    handful few several none each both dozens hundreds thousands millions lot lots rest %""".split()
)
#: Words before a group's noun that count it, not name it: "many whites", "some voters".
QUANTIFIERS = frozenset("many some several few most all both other various numerous".split())


def group_words(head: Token, source: tuple[int, int]) -> list[str]:
    """The name of an unnamed group from its phrase: the part the partitive takes ("about
    two-thirds of caucus attendees" -> "caucus attendees"), without determiners, counts and
    quantifiers ("many Jewish leaders" -> "Jewish leaders") or what follows a comma (a
    non-restrictive clause: "whites, who were insured ..." -> "whites"). A restrictive clause
    stays: "voters who identify as independents". Only words inside ``source`` count; a phrase
    whose head is not a plural noun gives [] (the caller keeps the source text)."""
    seen = set()
    while head.i not in seen and (head.lower_ in PARTITIVES or head.pos_ == "NUM"):
        seen.add(head.i)
        of = next(
            (
                c
                for c in head.children
                if c.dep_ == "prep" and (c.lower_ == "of" or (c.lower_ == "in" and head.pos_ == "NUM"))
            ),
            None,
        )  # "two-thirds of ferry commuters", "6 in 10 commuters"
        target = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if target is None:
            break
        head = target
    tokens = [t for t in head.subtree if source[0] <= t.idx and t.idx + len(t.text) <= source[1]]
    plural = head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in head.children)
    if head not in tokens or not plural:
        return []  # not a group: "one resident", "an aide" stay as they are
    comma = next((t.i for t in tokens if t.i > head.i and t.text in (",", "(", "—", "–")), None)
    if comma is not None:
        tokens = [t for t in tokens if t.i < comma]
    while (
        tokens
        and tokens[0].i < head.i
        and (
            tokens[0].dep_ in ("det", "predet", "nummod", "quantmod", "advmod", "case")
            or (tokens[0].dep_ == "poss" and tokens[0].pos_ == "PRON")  # "his", not "Hale's"
            or tokens[0].lower_ in QUANTIFIERS
            or tokens[0].lower_ in ("more", "fewer", "less")  # "More than 6 in 10 commuters"
            or tokens[0].is_punct
        )
    ):
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    if not tokens or tokens[-1].i - tokens[0].i + 1 != len(tokens):
        return []  # not one stretch of text: keep the source as it is
    return doc_text(head.doc)[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)].split()


def clause_number(verb: Token) -> str | None:
    """ "singular" or "plural" as a clause's verb or its auxiliary shows it ("who has called",
    "who say"); None when the tense does not tell ("who called")."""
    for token in (*[c for c in verb.children if c.dep_ in ("aux", "auxpass")], verb):
        if token.tag_ == "VBZ" or token.lower_ == "was":
            return "singular"
        if token.tag_ == "VBP" or token.lower_ == "were":
            return "plural"
    return None


def modifiers_start(head: Token) -> int:
    """Where the words before a noun that say which ones it means begin: 'Kent Republicans',
    'white working-class Democrats', 'the Obama administration' ('Obama'); not determiners,
    counts or quantifiers ('many', 'four in 10')."""
    doc = head.doc
    lo = head.i
    while lo > 0:
        before = doc[lo - 1]
        hyphen = before.text in ("-", "‐") and before.dep_ == "punct"
        if (
            not (
                hyphen
                or (before.dep_ in ("compound", "amod", "nmod") and before.pos_ in ("ADJ", "PROPN", "NOUN"))
            )
            or not lo <= before.head.i <= head.i
            or before.lower_ in QUANTIFIERS
            or before.lower_ in ("such", "more", "fewer", "less", "certain", "same")
        ):
            break
        lo -= 1
    while lo < head.i and doc[lo].is_punct:
        lo += 1
    return lo


def _word_before(token: Token) -> Token:
    """The word before ``token``, past one punctuation mark ("Ben Lutz, who")."""
    before = token.doc[token.i - 1] if token.i > 0 else token
    if before.is_punct and before.i > 0:
        before = token.doc[before.i - 1]
    return before


def _inside(offset: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(lo <= offset < hi for lo, hi in spans)


@dataclass(slots=True)
class Mention:
    offset: int
    cluster: int
    subject: bool
    speaker: bool
    reported: bool = False  # inside someone's reported words
    modifier: bool = False  # a name that modifies a noun ("a Trump presidency")


#: Clauses whose subject is not salient for a later pronoun (complements and small clauses).
EMBEDDED_CLAUSES = frozenset({"ccomp", "xcomp", "acomp", "oprd"})
#: Lower-case words inside an organisation's name ("Bill and Melinda Gates Foundation").
NAME_CONNECTORS = frozenset({"and", "of", "for", "&", "on"})


class SpeakerResolver:
    def __init__(
        self,
        doc: Doc,
        clusters: list[Cluster],
        token_map: dict[int, int],
        contents: Sequence[tuple[int, int]] = (),
    ) -> None:
        self.doc = doc
        self.clusters = clusters
        self.token_map = token_map
        self.history: list[Mention] = []
        self.document_speakers: dict[str, int] = {}
        self.sent_starts: list[int] = [int(i) for i in doc.to_array([IDX])[sentence_starts(doc)].reshape(-1)]
        for index, cluster in enumerate(clusters):
            for (start, _), token_i in zip(cluster.mentions, cluster.mention_tokens, strict=True):
                token = doc[token_i]
                # a subject inside reported content is not what a later pronoun picks up
                reported = _inside(start, contents)
                subject = token.dep_ in ("nsubj", "nsubjpass") and not reported
                if subject and token.head.dep_ in EMBEDDED_CLAUSES:
                    # "trying to hold Ben Lutz accountable": the subject of a clause inside
                    # another one is not what the sentence is about
                    subject = False
                modifier = token.dep_ in ("compound", "amod", "nmod") and token.head.pos_ == "NOUN"
                self.history.append(Mention(start, index, subject, False, reported, modifier))
        for token_i, viewer in self._viewpoints():
            self.history.append(Mention(doc[token_i].idx, viewer, True, True))
        # people named together ('Anna Berg and Jake Holm are ...'): a group a later "they"
        # may stand for, made only when one does (keyed below zero in the history)
        self.coordinations: dict[int, list[int]] = {}
        # every list of named people or of named organisations, with where it is: what "the
        # candidates" or "the departments" may stand for (see _named_together)
        self.lists: list[tuple[int, list[int]]] = []
        for token in doc:
            if token.dep_ == "conj" or not any(c.dep_ == "conj" for c in token.children):
                continue
            members = self._coordination(token)
            if len(members) >= 2 and len({clusters[m].kind for m in members}) == 1:
                self.lists.append((token.idx, members))
            if len(members) >= 2 and all(clusters[m].kind == "person" for m in members):
                key = -1 - len(self.coordinations)
                self.coordinations[key] = members
                reported = _inside(token.idx, contents)
                subject = token.dep_ in ("nsubj", "nsubjpass") and not reported
                self.history.append(Mention(token.idx, key, subject, False, reported))
        self.history.sort(key=lambda m: m.offset)
        self._nominal_subjects(contents)

    @cached_property
    def headings(self) -> set[int]:
        """Bodies named only in title-cased lines (a page's headings: "Choosing the Right
        Agency", "Data-Driven Video"): no antecedents for "it" or "they". Found once, when a
        pronoun first asks."""
        return {
            index
            for index, cluster in enumerate(self.clusters)
            if cluster.kind != "person"
            and cluster.mention_tokens
            and all(in_headline(self.doc[i].sent) for i in cluster.mention_tokens)
        }

    def _nominal_subjects(self, contents: Sequence[tuple[int, int]]) -> None:
        """'The former minister spoke at length on the radio, during which he said': a
        definite person noun as a subject is a mention of the person it describes, in view for a
        pronoun after it like a name would be."""
        for token in self.doc:
            if (
                token.dep_ not in ("nsubj", "nsubjpass")
                or token.pos_ != "NOUN"
                or token.i in self.token_map
                or token.lower_ not in PERSON_WORDS
                or not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children)
                or _inside(token.idx, contents)
            ):
                continue
            cluster = self._nominal(token, token.idx)
            if cluster is not None:
                bisect.insort(self.history, Mention(token.idx, cluster, True, False), key=lambda m: m.offset)

    def _viewpoints(self) -> list[tuple[int, int]]:
        """'For Bernard, it is not which filter you use': a sentence opened by "For" or "To", a
        person's name and a comma gives that person's view, and puts them in view as a speaker
        for a pronoun after it ('"...," he says'). (token, cluster) of each such name."""
        doc = self.doc
        found: list[tuple[int, int]] = []
        for ent in doc.ents:
            if ent.label_ != "PERSON" or ent.start < 1 or ent.end >= len(doc):
                continue
            prep = doc[ent.start - 1]
            if prep.lower_ in ("for", "to") and prep.is_sent_start and doc[ent.end].text == ",":
                cluster = self.token_map.get(ent.root.i)
                if cluster is not None and self.clusters[cluster].kind == "person":
                    found.append((ent.start, cluster))
        return found

    def _sentence(self, offset: int) -> int:
        return bisect.bisect_right(self.sent_starts, offset) - 1

    def last_speaker(self, source: tuple[int, int]) -> int | None:
        """For a personal pronoun as the source ('"...," he added'): the speaker of the last
        quotation within reach, if the pronoun fits them; else None."""
        lower = doc_text(self.doc)[source[0] : source[1]].lower()
        if lower not in PERSON_PRONOUNS and lower not in PLURAL_PRONOUNS:
            return None
        before = [m for m in self.history if m.speaker and 0 < source[0] - m.offset <= WINDOW]
        if not before:
            return None
        last = max(before, key=lambda m: m.offset).cluster
        return last if last in self.pronoun_candidates(lower) else None

    def note_speaker(self, offset: int, cluster: int) -> None:
        self.history.append(Mention(offset, cluster, True, True))

    def resolve(self, source: tuple[int, int], head_i: int | None) -> int | None:
        """Cluster index for the source mention (a new ``unnamed`` cluster if nothing fits)."""
        doc = self.doc
        span = doc.char_span(source[0], source[1], alignment_mode="expand")
        head = doc[head_i] if head_i is not None else (span.root if span is not None and len(span) else None)
        if head is None:
            return None
        if span is not None and head.pos_ in ("VERB", "AUX"):
            # a verb inside a clause on the source ('many islanders, who were insured before the law
            # took effect,') is not its head, even where the parser made it one: the first noun
            nouns = [t for t in span if t.pos_ in ("NOUN", "PROPN", "PRON")]
            subjects = [t for t in nouns if t.dep_ in ("nsubj", "nsubjpass")]
            if subjects or nouns:
                head = (subjects or nouns)[0]
        if head.i not in self.token_map and span is not None:
            # a broken parse gives the phrase several heads ('co-author Ana Ortiz' as 'co', '-'
            # and 'Ortiz', each hanging on the verb): a named one of them is the source
            heads = [t for t in span if t.i in self.token_map and not (span.start <= t.head.i < span.end)]
            if len(heads) == 1 and not (span.start <= head.head.i < span.end):
                head = heads[0]
        rooted = self.token_map.get(head.i)
        if span is not None and (rooted is None or self.clusters[rooted].kind != "person"):
            # 'Ben Lutz, an old friend of the mayor who runs the Harbour Fund Save the Pier' parsed
            # with a verb (or the PAC) for its root: a person's name that opens the phrase, set
            # off by a comma, is the source
            cluster = self.token_map.get(span.start)
            if cluster is not None and self.clusters[cluster].kind == "person":
                end = span.start
                while end + 1 < span.end and self.token_map.get(end + 1) == cluster:
                    end += 1
                if end + 1 < span.end and doc[end + 1].text == ",":
                    head = doc[end]
        found = self._resolve(source, head)
        lemma = head.lemma_.lower()
        if (
            found is not None
            and self.clusters[found].kind != "unnamed"
            and head.pos_ == "NOUN"
            and lemma in WRITING_NOUNS | DOCUMENT_NOUNS
        ):
            # "A chart from his briefing ..." then "Another chart": the same speaker
            self.document_speakers[lemma] = found
        return found

    def _resolve(self, source: tuple[int, int], head: Token) -> int | None:
        doc = self.doc
        text = doc_text(doc)[source[0] : source[1]]
        group = self._coordinated(head)
        if group is not None:
            return group
        capitals = self._name_in_capitals(text)
        if capitals is not None:
            return capitals
        if (
            head.lower_ in PARTY_MEMBERS
            and head.tag_ in ("NN", "NNP")
            and any(c.dep_ == "det" and c.lower_ == "the" for c in head.children)
        ):
            # "the Florida Republican", "the Vermont Democrat": a politician, the person in view
            people = {i for i, c in enumerate(self.clusters) if c.kind == "person"}
            found = self.ranked(source[0], people, forward=True)
            if found is not None:
                return found
        if head.i in self.token_map:
            mapped = self.token_map[head.i]
            if head.lower_ in DOCUMENT_NOUNS:
                # "Northwind Mutual's Planning & Progress Study": the named document's owner
                owner = self._possessor(head)
                if owner is not None and self.token_map[owner.i] != mapped:
                    return self.token_map[owner.i]
            narrowed = self._narrowed_group(head, mapped, source[1])
            if narrowed is not None:
                return narrowed
            if self.clusters[mapped].kind != "person" and len(name_words(text)) == 1:
                # "WALLACE:" tagged as an organisation is still Chris Wallace
                person = self.by_name(text)
                if person is not None and self.clusters[person].kind == "person":
                    return person
            return mapped
        lower = head.lower_
        if lower in RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
            # "the coalition, which represents ...": the noun the clause hangs on
            antecedent = head.head.head
            if (
                antecedent.dep_ == "appos"
                and antecedent.head.i in self.token_map
                and antecedent.head.i < antecedent.i
            ):
                # 'Ben Lutz, a retired judge who argued': the one the apposition describes
                antecedent = antecedent.head
            if antecedent.i != head.i and antecedent.i < head.i:
                agreed = self._relative_agreement(head, antecedent)
                if agreed is not None:
                    return agreed
                lo = antecedent.left_edge.i
                return self.resolve((doc[lo].idx, antecedent.idx + len(antecedent.text)), antecedent.i)
        if lower in RELATIVE_PRONOUNS and head.i > 0:
            # the parse missed the relative clause: the named mention just before the pronoun
            before = _word_before(head)
            if before.i in self.token_map:
                return self.token_map[before.i]
        if head.pos_ == "PRON" or lower in PERSON_PRONOUNS or lower in PLURAL_PRONOUNS:
            if lower in ("i", "me", "we", "us", "you", "who", "whom", "that", "which"):
                return None
            return self._pronoun(head, source[0])
        if head.pos_ == "PROPN" or ((text[:1].isupper() and head.is_title) or head.is_upper):
            by_name = self.by_name(text)
            if by_name is not None:
                return by_name
        owned = self._owned_organisation(head, source[0])
        if owned is None:
            owned = self._owned_before(head)
        if owned is not None:
            return owned
        named = self._proper_name(head)
        if named is not None:
            return named
        lemma = head.lemma_.lower()
        if head.lower_ in WRITING_NOUNS | DOCUMENT_NOUNS:
            lemma = head.lower_  # "data", not its lemma "datum"
        if lemma in WRITING_NOUNS | DOCUMENT_NOUNS | AD_NOUNS:
            # "her account", "Mr. Smith's memoir": the owner speaks through it; so does "Bank of
            # Avalon's Better Money Habits survey", whose owner the parser hangs as a modifier
            owner = next((c for c in head.children if c.dep_ == "poss"), None) or self._possessor(head)
            if owner is not None:
                if owner.i in self.token_map:
                    return self.token_map[owner.i]
                if (
                    owner.lower_ in PERSON_PRONOUNS
                    or owner.lower_ in PLURAL_PRONOUNS
                    or owner.lower_ == "its"
                ):
                    return self._pronoun(owner, source[0])
            author = self._author(head)
            if author is None:
                author = self._named_maker(head)
            if author is not None:
                return author
            definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children)
            if definite:
                maker = self._document_maker(head)
                if maker is not None:
                    return maker
            elif lemma in self.document_speakers:
                return self.document_speakers[lemma]
        if lemma in NEWS_NOUNS | WRITING_NOUNS and head.tag_ == "NN":
            # "an editorial in the Harbour Gazette", "a column in the Times": where it ran
            venue = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "in"), None)
            outlet = (
                next((c for c in venue.children if c.dep_ == "pobj"), None) if venue is not None else None
            )
            if outlet is not None and outlet.i in self.token_map:
                venue_cluster = self.clusters[self.token_map[outlet.i]]
                if venue_cluster.kind == "organization" and venue_cluster.label != "GPE":
                    return self.token_map[outlet.i]
        if lemma in NEWS_NOUNS and any(c.dep_ == "det" for c in head.children):
            # "the article", "the piece": the outlet that published it
            outlets = {
                i for i, c in enumerate(self.clusters) if c.kind == "organization" and is_outlet_name(c.words)
            }
            found = self.ranked(source[0], outlets)
            if found is None:
                # out of a pronoun's reach: the outlet the article has named most so far
                counts = Counter(
                    m.cluster for m in self.history if m.cluster in outlets and m.offset < source[0]
                )
                found = counts.most_common(1)[0][0] if counts else None
            if found is not None:
                return found
        if lemma in PARTY_DOCUMENTS:
            # "The Democratic platform", "the Labour manifesto": the party's
            adjective = next(
                (c for c in head.children if c.dep_ in ("amod", "compound") and c.ent_type_ == "NORP"), None
            )
            if adjective is not None:
                return self._cluster_named("organization", [adjective.text, "Party"])
        if lemma in PLACE_NOUNS:
            # "the city of Nice", "the state of Kent": the place named after "of"
            of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            place = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if place is not None and place.i in self.token_map:
                return self.token_map[place.i]
        role = head.lower_ in ROLE_NOUNS
        # a name in apposition names the head ("Trump's state chairman, Rex Early", "a longtime
        # JNF official, Howard Ingram"); a name in compound only modifies it, unless nothing else
        # names it ("NBC reporters")
        naming = [c for c in head.children if c.i in self.token_map and c.dep_ in ("appos", "compound")]
        naming.sort(key=lambda c: (c.dep_ != "appos", c.i))
        for child in naming:
            kind = self.clusters[self.token_map[child.i]].kind
            if role and kind != "person":
                continue  # "the Senate majority leader" is a person, not the Senate
            if child.dep_ == "compound" and kind == "person" and head.tag_ == "NNS" and not role:
                continue  # "many Hale supporters" are a group, not Hale
            return self.token_map[child.i]
        if not naming and not role and head.tag_ in ("NN", "JJ"):  # "average" is often tagged JJ
            # "the Harbour Insight Group polling average": a body named in the noun before the head
            for child in head.children:
                if child.dep_ != "compound" or child.i in self.token_map:
                    continue
                inner = [c for c in child.children if c.dep_ == "compound" and c.i in self.token_map]
                if inner and self.clusters[self.token_map[inner[-1].i]].kind == "organization":
                    return self.token_map[inner[-1].i]
        owner = next((c for c in head.children if c.dep_ == "poss"), None)
        if (
            owner is not None
            and (head.tag_ == "NN" or (head.tag_ == "NNS" and lemma not in FOLLOWER_NOUNS))
            and not any(c.dep_ == "appos" for c in head.children)
            and lemma not in PERSON_WORDS | ORGANISATION_NOUNS | OWNED_NOUNS | NEWS_NOUNS
            and lemma not in GENDERED_NOUNS
            and lemma not in FAMILY_NOUNS
        ):
            # "her economic plan", "his eyes": a thing of a person's that speaks for them (not
            # "his supporters", a group of people of theirs: below)
            if owner.i in self.token_map:
                found = self.token_map[owner.i]
            elif owner.lower_ in PERSON_PRONOUNS:
                found = self._pronoun(owner, source[0])
            else:
                found = None
            if found is not None and self.clusters[found].kind == "person":
                return found
        if not naming and head.lower_ in PERSON_WORDS:
            # a name set off by commas at the end of a clause on the noun ('The clerk we met at
            # the desk, Tom Reyes, told us'), which the parser hung inside the clause
            named = self._clause_name(head)
            if named is not None:
                return named
        group = self._coordinated(head)
        if group is not None:
            return group
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
            # "Other harbour figures, including Ana Ortiz and ...": the people named; "Six
            # newspapers in Kent, including the Harbour Gazette" stay the group (below)
            return self.token_map[members[0].i]
        relative = self._relative(head)
        if relative is not None:
            return relative
        share = self._share(head, source[0])
        if share is not None:
            return share
        determiners = {c.lower_ for c in head.children if c.dep_ == "det"}
        headline_role = (
            not determiners
            and not any(c.dep_ == "poss" for c in head.children)
            and (head.lower_ in PERSON_WORDS or head.lower_ in GENDERED_NOUNS)
            and head.i not in self.token_map
        )
        if determiners & {"the", "these", "those"} and head.tag_ == "NNS":
            together = self._named_together(head, source[0])
            if together is not None:
                return together
        if (determiners & {"the", "this", "that"} or headline_role) and head.pos_ in ("NOUN", "PROPN"):
            nominal = self._nominal(head, source[0], headline=headline_role)
            if nominal is not None:
                return nominal
        if head.pos_ == "PROPN" and any(w[:1].isupper() for w in name_words(text)) and not determiners:
            # the proper name around the head only, not its apposition or modifiers
            lo = head.i
            while (
                lo - 1 >= 0
                and doc[lo - 1].pos_ == "PROPN"
                and (doc[lo - 1].head.i == head.i or (doc[lo - 1].idx >= source[0] and doc[lo - 1].is_title))
            ):
                lo -= 1  # its compounds, or the capitalised proper nouns before it in the source
            words = name_words(doc_text(doc)[doc[lo].idx : head.idx + len(head.text)])
            kind = "person" if head.ent_type_ in ("", "PERSON") and len(words) <= 3 else "organization"
            self.clusters.append(Cluster(kind, words))
            return len(self.clusters) - 1
        owner = next((c for c in head.children if c.dep_ == "poss" and c.lower_ in PERSON_PRONOUNS), None)
        named_group = group_words(head, source)
        if named_group and [w.lower() for w in named_group[:-1]] == ["party"]:
            # "Party leaders said ...": the leaders of the party the article named last
            party = self._last_party(source[0])
            if party is not None:
                return self._cluster_named("group", [*self.clusters[party].words, named_group[-1]])
        if owner is not None and head.tag_ == "NNS" and named_group:
            # "his supporters": the group named after its owner ("Lutz supporters")
            person = self._pronoun(owner, source[0])
            if person is not None and self.clusters[person].kind == "person":
                return self._cluster_named("group", [self.clusters[person].words[-1], *named_group])
        singular = head.tag_ in ("NN", "NNP") and not any(c.dep_ == "conj" for c in head.children)
        self.clusters.append(Cluster("unnamed", named_group or text.split(), singular=singular))
        return len(self.clusters) - 1

    def agree_with_content(self, cluster: int, content: tuple[int, int]) -> int:
        """'Trump says he would pay': reported speech that opens with he/she gives the speaker's
        gender; where the resolved person has the other gender and someone of the same surname
        has this one (Ivanka and Donald Trump), the speaker is that person."""
        chosen = self.clusters[cluster]
        if chosen.kind != "person" or not chosen.words:
            return cluster
        span = self.doc.char_span(content[0], content[1], alignment_mode="expand")
        if span is None or span.text[:1] in QUOTE_OPENERS:
            # '"She is the best candidate we have," Reyes said': in their own words, "she" is
            # someone else
            return cluster
        opening = [t for t in span[:3] if t.lower_ in ("he", "she")]
        if not opening or opening[0].dep_ not in ("nsubj", "nsubjpass"):
            return cluster
        gender = PERSON_PRONOUNS[opening[0].lower_]
        if chosen.gender in (None, gender):
            return cluster
        surname = chosen.words[-1].lower()
        for index, other in enumerate(self.clusters):
            if (
                other.kind == "person"
                and other.gender == gender
                and other.words
                and other.words[-1].lower() == surname
            ):
                return index
        return cluster

    def implicit(self, cue_i: int) -> int | None:
        """The speaker of a cue with no subject of its own ("..., calling for X"): the subject
        of the sentence's main verb when it names someone, else the latest person named
        before the cue in the same sentence."""
        doc = self.doc
        cue = doc[cue_i]
        sent = cue.sent
        subject = next((c for c in sent.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.i < cue_i:
            if subject.i in self.token_map:
                return self.token_map[subject.i]
            if subject.lower_ in PERSON_PRONOUNS or subject.lower_ in PLURAL_PRONOUNS:
                return self._pronoun(subject, subject.idx)
        named = [self.token_map[t.i] for t in sent if t.i < cue_i and t.i in self.token_map]
        for kinds in (("person",), ("organization",)):
            found = [c for c in named if self.clusters[c].kind in kinds]
            if found:
                return found[-1]
        return None

    def interviewee(self, offset: int) -> int | None:
        """Who answers an interview's questions ("A: ..."): the person the article puts most in
        view before the answer, or failing that the first it names after."""
        people = {i for i, c in enumerate(self.clusters) if c.kind == "person"}
        return self.ranked(offset, people, forward=True)

    def narrator(self, pronoun: str, authors: list[int]) -> int | None:
        """The article's author for "I" and "me" outside any quotation; its authors, as a
        group, for "we" and "us" when there are several (a lone author's "we" is left open: a
        company's release says "we" too)."""
        if not authors:
            return None
        if pronoun in ("i", "me"):
            return authors[0]
        if len(authors) < 2:
            return None
        return self._group(authors)

    def _group(self, members: list[int]) -> int:
        """The group of these named members, named after them ('Ana Ortiz and Ben Lutz')."""
        names = [self.clusters[i].name for i in members]
        words = (", ".join(names[:-1]) + " and " + names[-1]).split()
        group = self._cluster_named("group", words)
        self.clusters[group].members = list(members)
        return group

    def _owned_organisation(self, head: Token, offset: int) -> int | None:
        """'her campaign', 'the Obama administration': an organisation named after its owner."""
        if head.lower_ not in OWNED_NOUNS:
            return None
        owner: int | None = None
        for child in head.children:
            if child.dep_ in ("poss", "compound") and child.i in self.token_map:
                owner = self.token_map[child.i]
            elif child.dep_ == "poss" and child.lower_ in PERSON_PRONOUNS:
                owner = self._pronoun(child, offset)
        if owner is None or self.clusters[owner].kind != "person":
            return None
        return self._organisation_of(owner, head)

    def _owned_before(self, head: Token) -> int | None:
        """'the campaign', 'the administration' with no owner of its own: the one of that kind
        the article last named after a person ('Ana Ortiz's campaign', 'the Reyes
        administration')."""
        if head.lower_ not in OWNED_NOUNS or not any(
            c.dep_ == "det" and c.lower_ == "the" for c in head.children
        ):
            return None
        if any(c.dep_ in ("poss", "compound", "amod") for c in head.children):
            return None
        for token in reversed(self.doc[: head.i]):
            if token.lower_ != head.lower_:
                continue
            for child in token.children:
                if child.dep_ in ("poss", "compound") and child.i in self.token_map:
                    owner = self.token_map[child.i]
                    if self.clusters[owner].kind == "person":
                        return self._organisation_of(owner, head)
        return None

    def _organisation_of(self, person: int, noun: Token) -> int:
        """The organisation named after a person and the noun that owns it ("Ortiz campaign")."""
        return self._cluster_named("organization", [self.clusters[person].words[-1], noun.lower_])

    def _last_party(self, offset: int) -> int | None:
        """The political party named last before ``offset`` ("the Democratic Party")."""
        parties = {
            i
            for i, c in enumerate(self.clusters)
            if c.kind == "organization" and len(c.words) >= 2 and c.words[-1].lower() == "party"
        }
        before = [m for m in self.history if m.cluster in parties and m.offset < offset]
        return max(before, key=lambda m: m.offset).cluster if before else None

    def _author(self, head: Token) -> int | None:
        """Who made the document: 'a study by the Urban Institute', 'new research from the Harbour
        Institute' (the document's own 'from'), 'a chart from a briefing that Mr. Okafor gives'
        (the subject of a clause on the phrase). A maker the entity tagger missed ('research from
        theCUBE') is an organisation of that proper name."""
        for token in head.subtree:
            if token.i == head.i:
                continue
            by_agent = token.dep_ == "pobj" and (
                token.head.lower_ == "by" or (token.head.lower_ == "from" and token.head.head.i == head.i)
            )
            if token.i not in self.token_map:
                named = token.pos_ == "PROPN" or (
                    token.pos_ == "NOUN" and any(c.isupper() for c in token.text[1:])
                )
                if by_agent and named and not token.is_lower:
                    name = [t for t in token.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"] + [token]
                    return self._cluster_named("organization", [t.text for t in name])
                continue
            clause_subject = token.dep_ in ("nsubj", "nsubjpass") and token.head.dep_ in ("relcl", "acl")
            if by_agent or clause_subject:
                # 'a study by economists Ana Ortiz and Ben Lutz': all of them
                group = self._coordinated(token)
                return group if group is not None else self.token_map[token.i]
        return None

    def _possessor(self, head: Token) -> Token | None:
        """A named possessor in the phrase before ``head`` that the parser hung as a modifier,
        not as ``poss`` ("Bank of Avalon's 2024 survey")."""
        return next(
            (
                t
                for t in self.doc[head.left_edge.i : head.i]
                if t.i in self.token_map and any(c.dep_ == "case" for c in t.children)
            ),
            None,
        )

    def _document_maker(self, head: Token) -> int | None:
        """Who made 'the ad', 'the statement', 'this memo': the maker (``_maker_of``) of the same
        kind of document named in the sentences before ('Harbour Forward PAC released a new ad',
        'Ana Ortiz announced it in a statement', 'a report by the agency')."""
        doc = self.doc
        lemma = head.lemma_.lower()
        same = AD_NOUNS if lemma in AD_NOUNS else {lemma, head.lower_}
        here = self._sentence(head.idx)
        for i in range(head.i - 1, -1, -1):
            token = doc[i]
            if here - self._sentence(token.idx) > DOCUMENT_SENTENCES:
                break
            if token.pos_ == "NOUN" and (token.lemma_.lower() in same or token.lower_ in same):
                found = self._maker_of(token)
                if found is not None:
                    return found
        return None

    def _document_it(self, pronoun: Token) -> int | None:
        """'The email was sent by Ana Ortiz ... “...,” it reads': "it" after a document that is
        the subject of a sentence before it, with no organisation named since, is that
        document, which speaks for its maker (``_maker_of``)."""
        doc = self.doc
        here = self._sentence(pronoun.idx)
        for i in range(pronoun.i - 1, -1, -1):
            token = doc[i]
            if here - self._sentence(token.idx) > DOCUMENT_SENTENCES:
                return None
            lemma = token.lemma_.lower()
            if (
                token.pos_ == "NOUN"
                and token.dep_ in ("nsubj", "nsubjpass")
                and (lemma in DOCUMENT_NOUNS | WRITING_NOUNS | AD_NOUNS or token.lower_ in DOCUMENT_NOUNS)
            ):
                named_since = (self.token_map.get(j) for j in range(token.sent.end, pronoun.i))
                if any(c is not None and self.clusters[c].kind == "organization" for c in named_since):
                    return None  # an organisation named since is the better "it"
                return self._maker_of(token)
        return None

    def _maker_of(self, token: Token) -> int | None:
        """Who made the document ``token`` names: the agent of the verb it is the subject of ('the
        email was sent by Ana Ortiz'), its owner, its author ('a report by X'), the maker named
        before it ('a Fernbank survey'), or the subject of the verb it is the object of."""
        verb = token.head
        if token.dep_ == "nsubjpass":
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            by = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            if by is not None and by.i in self.token_map:
                group = self._coordinated(by)
                return group if group is not None else self.token_map[by.i]
        owner = next((c for c in token.children if c.dep_ == "poss"), None)
        if owner is not None and owner.i in self.token_map:
            return self.token_map[owner.i]
        found = self._author(token)
        if found is None:
            found = self._named_maker(token)
        if found is not None:
            return found
        if token.dep_ == "pobj" and verb.dep_ == "prep":
            verb = verb.head  # "announced it in a statement"
            if verb.pos_ == "NOUN" and verb.dep_ == "dobj":
                verb = verb.head  # "announced her resignation in a statement"
        if token.dep_ not in ("dobj", "pobj") or verb.pos_ != "VERB":
            return None
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None and verb.dep_ == "conj":
            subject = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
        if subject is None:
            return None
        if subject.i in self.token_map:
            return self.token_map[subject.i]
        if subject.lower_ in PERSON_PRONOUNS or subject.lower_ in PLURAL_PRONOUNS | THING_PRONOUNS:
            return self._pronoun(subject, subject.idx)
        return None

    def _named_maker(self, head: Token) -> int | None:
        """The maker named before a document noun: 'a recent Bank of Avalon report', 'a 2023
        Bankrate survey', 'a Harbour Post and Ocean Trust poll' (both). A name the entity
        tagger missed is an organisation of that proper name."""
        makers = [c for c in head.lefts if c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN"]
        for child in makers:
            if child.i in self.token_map:
                group = self._coordinated(child)
                return group if group is not None else self.token_map[child.i]
        if not makers:
            return None
        # the run of proper nouns (and "/", "&", "-", "and", "of" inside it) before the noun
        doc = self.doc
        lo = head.i
        while lo > 0 and (doc[lo - 1].pos_ == "PROPN" or doc[lo - 1].text in ("/", "&", "-", "and", "of")):
            lo -= 1
        while lo < head.i and doc[lo].pos_ != "PROPN":
            lo += 1
        if lo == head.i:
            return None
        name = doc_text(doc)[doc[lo].idx : doc[head.i - 1].idx + len(doc[head.i - 1].text)]
        found = self.by_name(name)
        return found if found is not None else self._cluster_named("organization", name.split())

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
        tagger reads capitals badly: an organisation, nothing, or a second person). A lone short
        word in capitals is an acronym ("CNN"), not a name."""
        if not text.isupper():
            return None
        words = name_words(text)
        if not words or len(words) > 4 or not all(w.isalpha() for w in words):
            return None
        if len(words) == 1 and len(words[0]) <= 4:
            return None
        lower = [w.lower() for w in words]
        matches = [
            i
            for i, c in enumerate(self.clusters)
            if c.kind == "person"
            and c.words
            and not all(w.isupper() for w in c.words)
            and c.words[-1].lower() == lower[-1]
            and (len(lower) == 1 or c.words[0].lower() == lower[0])
        ]
        if matches:
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
                found = re.search(rf"\b((?:[A-Z][A-Z'-]+ ){{1,2}}){re.escape(words[0])}:", doc_text(self.doc))
                if found is None:
                    return None
                fuller = [found.group(0).rstrip(":").split()]
            words = fuller[0]
        return self._cluster_named("person", [w.capitalize() for w in words])

    def _cluster_named(self, kind: str, words: list[str]) -> int:
        """The cluster of that kind and name, made if the article has none yet."""
        key = [w.lower() for w in words]
        for index, cluster in enumerate(self.clusters):
            if cluster.kind == kind and [w.lower() for w in cluster.words] == key:
                return index
        self.clusters.append(Cluster(kind, words))
        return len(self.clusters) - 1

    def _proper_name(self, head: Token) -> int | None:
        """'the Northern and Western Harbour Alliance': a name of several capitalised words that the
        entity tagger missed is an organisation of that name, not a description to resolve."""
        if head.pos_ != "PROPN" or head.i in self.token_map or head.lower_ in ROLE_NOUNS:
            return None
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
        for token in (_word_before(pronoun), antecedent):
            named = self._named_token(token)
            if named is not None and self.clusters[self.token_map[named.i]].kind == "person":
                return self.token_map[named.i]
        return None

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

    def _named_together(self, head: Token, offset: int) -> int | None:
        """'Senate candidates Ana Ortiz, Ben Lutz and Tom Reyes ...' then 'The candidates said':
        the people (or organisations: 'the departments' after 'the Department of Transport and
        the Department of Finance') last named together within reach, when the noun names or
        describes one of them. Else None."""
        lemma = head.lemma_.lower()
        for start, members in reversed(self.lists):
            if start >= offset:
                continue
            if offset - start > WINDOW:
                break
            words = {
                w.lower().strip(".,")
                for m in members
                for text in [*self.clusters[m].descriptions, " ".join(self.clusters[m].words)]
                for w in text.split()
            }
            if lemma in words or head.lower_ in words:
                return self._group(members)
        return None

    def _coordinated(self, head: Token) -> int | None:
        """'Jeff Merkley, Sherrod Brown and Robert Menendez said', 'the mayor, Ana Ortiz, and her
        deputy Ben Lutz': one group of the named people or organisations that the head's own
        chain of conjuncts names, each conjunct by its name or by a name in apposition to it
        ('her deputy Ben Lutz'). A conjunct deeper in the phrase ('a strategist on Ana Ortiz's
        campaign and Ben Lutz's') is not a member."""
        members = self._coordination(head)
        return self._group(members) if len(members) >= 2 else None

    def _coordination(self, head: Token) -> list[int]:
        """The clusters of the named members of the head's chain of conjuncts (see _coordinated)."""
        start = self._named_token(head)
        if start is None:
            return []
        chain = [head] if start is head else [head, start]
        for token in chain:
            conjuncts = [c for c in token.children if c.dep_ == "conj"]
            lost = token.dep_ in ("nsubj", "nsubjpass") and any(c.dep_ == "cc" for c in token.children)
            if not conjuncts and lost:
                # the parser lost the conjunction ('The mayor, Ana Ortiz, and her deputy Ben Lutz
                # said' as two subjects of 'said'): the next subject of the same verb
                conjuncts = [
                    c for c in token.head.children if c.dep_ == token.dep_ and c.i > token.right_edge.i
                ][:1]
            if not conjuncts and token.i in self.token_map:
                # 'Ortiz, Lutz, Kent Gov. Tom Reyes and Sen. Ana Park' parsed with the second
                # name in apposition to the first: a named apposition that opens a list of its own
                conjuncts = [
                    c
                    for c in token.children
                    if c.dep_ in ("appos", "npadvmod")
                    and c.i in self.token_map
                    and self.token_map[c.i] != self.token_map[token.i]
                    and any(g.dep_ == "conj" for g in c.children)
                ][:1]
            chain.extend(conjuncts)
        members: list[int] = []
        for token in chain:
            named = self._named_token(token)
            if named is None:
                continue
            cluster = self.token_map[named.i]
            if self.clusters[cluster].kind in ("person", "organization") and cluster not in members:
                members.append(cluster)
        return members

    def _named_token(self, token: Token) -> Token | None:
        """The token itself when it is part of a named mention, else a name in apposition or
        compound to it ('his counterpart Ben Lutz'), else None."""
        if token.i in self.token_map:
            return token
        naming = [c for c in token.children if c.dep_ in ("appos", "compound") and c.i in self.token_map]
        # 'his Senate counterpart Ben Lutz': the person in apposition, not the body in compound
        naming.sort(
            key=lambda c: (c.dep_ != "appos", self.clusters[self.token_map[c.i]].kind != "person", c.i)
        )
        return naming[0] if naming else None

    def add_cluster(self, cluster: Cluster, tokens: Sequence[int]) -> int:
        """Add an entity a later stage found (``onrecord.relate``: a full name the recogniser
        missed) with the tokens that name it; its index."""
        self.clusters.append(cluster)
        index = len(self.clusters) - 1
        self.token_map.update(dict.fromkeys(tokens, index))
        return index

    def by_name(self, text: str) -> int | None:
        """The entity a name refers to: a person by best name match (of two of one surname,
        the one introduced first), else an organisation or place of these words."""
        words = name_words(text)
        if not words:
            return None
        people = [i for i, c in enumerate(self.clusters) if c.kind == "person"]
        honorific = text.split()[0].lower().rstrip(".") if text.split() else ""
        gender = (
            "female" if honorific in FEMALE_HONORIFICS else "male" if honorific in MALE_HONORIFICS else None
        )
        found = best_match(
            words,
            [self.clusters[i].words for i in people],
            # of two people of one surname, the one the article introduced first
            weights=[-self.clusters[i].first_mention for i in people],
            genders=[self.clusters[i].gender for i in people],
            gender=gender,
        )
        if found is not None:
            return people[found]
        if words[0].lower() == "the" and len(words) > 1:
            words = words[1:]  # "the S.E.C."
        for index in range(len(self.clusters) - 1, -1, -1):
            cluster = self.clusters[index]
            if cluster.kind != "person" and (
                [w.lower() for w in words] == [w.lower() for w in cluster.words]
                or (len(words) == 1 and abbreviates(words[0], cluster.words))
            ):
                return index
        return None

    def ranked(self, offset: int, accept: set[int], *, forward: bool = False) -> int | None:
        """The most salient accepted entity before ``offset`` (recent, a speaker, a subject);
        with ``forward``, failing that, the first one named after it (a headline's "Retired
        General" is introduced in the article below)."""
        best: tuple[float, int] | None = None
        for mention in self.history:
            if mention.cluster not in accept or mention.offset >= offset or offset - mention.offset > WINDOW:
                continue
            sentences = self._sentence(offset) - self._sentence(mention.offset)
            score = (
                -sentences
                - (offset - mention.offset) / 1000
                + (1.0 if mention.speaker else 0)
                + (1.0 if mention.subject else 0)
                - (REPORTED_PENALTY if mention.reported else 0)
                - (MODIFIER_PENALTY if mention.modifier else 0)
            )
            if best is None or score > best[0]:
                best = (score, mention.cluster)
        if best is None and forward:
            later = [m for m in self.history if m.cluster in accept and offset < m.offset <= offset + WINDOW]
            if later:
                return min(later, key=lambda m: m.offset).cluster
        return best[1] if best else None

    def _introduced_after(self, offset: int, accept: set[int]) -> int | None:
        """The first accepted entity named after the sentence holding ``offset``."""
        here = self._sentence(offset)
        later = [m for m in self.history if m.cluster in accept and self._sentence(m.offset) > here]
        return min(later, key=lambda m: m.offset).cluster if later else None

    def _pronoun(self, head: Token, offset: int) -> int | None:
        if head.lower_ == "it" and head.dep_ == "nsubj":
            document = self._document_it(head)
            if document is not None:
                return document
        # "Both said ...": the two named together last, as "they" would be
        lower = "they" if head.lower_ == "both" else head.lower_
        accept = self.pronoun_candidates(lower)
        ahead = self._fronted_subject(head, accept)
        if ahead is not None:
            return ahead
        if lower in PLURAL_PRONOUNS:
            accept |= set(self.coordinations)
        found = self.ranked(offset, accept)
        if found is not None and found < 0:
            return self._group(self.coordinations[found])
        return found

    def _fronted_subject(self, pronoun: Token, accept: set[int]) -> int | None:
        """'In his assessment of the plan, Ortiz said ...': a possessive in a phrase that opens
        the sentence, before its subject, is that subject (cataphora), when the subject is a
        name the pronoun fits."""
        if pronoun.lower_ not in ("his", "her", "their", "its") or pronoun.dep_ != "poss":
            return None
        root = pronoun.sent.root
        subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None or subject.i < pronoun.i or subject.i not in self.token_map:
            return None
        opener = next(
            (a for a in pronoun.ancestors if a.head.i == root.i and a.dep_ in ("prep", "advcl")), None
        )
        if opener is None or opener.i > subject.i or opener.left_edge.i != pronoun.sent.start:
            return None
        found = self.token_map[subject.i]
        return found if found in accept else None

    def pronoun_candidates(self, lower: str) -> set[int]:
        """The clusters a pronoun may stand for: people of its gender for he/she, organisations
        and groups (not places, and not named in headings only) for it, and those or unnamed ones
        for the rest."""
        if lower in PERSON_PRONOUNS:
            gender = PERSON_PRONOUNS[lower]
            accept = {
                i for i, c in enumerate(self.clusters) if c.kind == "person" and c.gender in (None, gender)
            }
        elif lower in THING_PRONOUNS:
            accept = {
                i
                for i, c in enumerate(self.clusters)
                if c.kind in ("organization", "group") and c.label != "GPE"
            }
        else:
            accept = {
                i
                for i, c in enumerate(self.clusters)
                if c.kind in ("organization", "group", "unnamed") and c.label != "GPE" and not c.singular
            }
        if lower not in PERSON_PRONOUNS:
            accept -= self.headings
        return accept

    def _nominal(self, head: Token, offset: int, *, headline: bool = False) -> int | None:
        """'The MP': the person described so; failing that, for a role noun, the most salient person.

        With ``headline`` (a title-cased line: "Retired General Says Harbour Plan Will Fail"), the
        person is the one the article introduces below it, not a name in the headline itself."""
        word = head.lower_
        people = {i for i, c in enumerate(self.clusters) if c.kind == "person"}
        words = ROLE_SYNONYMS.get(word, {word})
        described = {
            i
            for i in people
            if any(words & set(d.lower().replace(".", "").split()) for d in self.clusters[i].descriptions)
        }
        if headline:
            found = self._introduced_after(offset, described)
            return found if found is not None else self._introduced_after(offset, people)
        if described:
            found = self.ranked(offset, described)
            if found is not None:
                return found
        if word in GENDERED_NOUNS:
            # "the woman", "the mother of two": a person of that gender
            gender = GENDERED_NOUNS[word]
            return self.ranked(
                offset, {i for i in people if self.clusters[i].gender in (None, gender)}, forward=True
            )
        if word in ROLE_NOUNS:
            return self.ranked(offset, people, forward=True)
        organisations = {
            i for i, c in enumerate(self.clusters) if c.kind in ("organization", "group") and c.label != "GPE"
        }
        if word in WRITING_NOUNS:
            # "the book says": its author, the person in view
            return self.ranked(offset, people)
        if word in DOCUMENT_NOUNS:
            # "the report says": whoever published it, the organisation in view
            return self.ranked(offset, organisations)
        if word in ORGANISATION_NOUNS:
            named = {
                i
                for i in organisations
                if word in (w.lower() for w in self.clusters[i].words) and len(self.clusters[i].words) >= 2
            }
            # "The company said ..." in a lede, before the article names it: the one named next
            return self.ranked(offset, named or organisations, forward=True)
        return None
