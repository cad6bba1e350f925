"""The speaker resolver's core: the article's mentions in order (``Mention``), their salience
for a pronoun (``ranked``), entities by name (``by_name``), a description's person
(``_nominal``) and the groups of people named together (``_coordinated``).

The resolver is one class built in layers, each a module that only imports those below it:
this core, ``documents`` (pronouns and documents' makers), ``groups`` (shares, narrowed groups,
relatives, names the tagger missed), ``bodies`` (the cascade's strategies for documents,
outlets, parties and places), ``strategies`` (the cascade) and ``speakers`` (the resolver the
pipeline uses).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from functools import cached_property

from spacy.attrs import IDX
from spacy.tokens import Doc, Token

from onrecord.lexicon import (
    DOCUMENT_NOUNS,
    FEMALE_HONORIFICS,
    GENDERED_NOUNS,
    MALE_HONORIFICS,
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    ROLE_NOUNS,
    THING_PRONOUNS,
    TITLES,
    WRITING_NOUNS,
)
from onrecord.nlp.text import doc_text, sentence_starts
from onrecord.resolve.clusters import Cluster
from onrecord.resolve.name_extent import in_headline
from onrecord.resolve.names import abbreviates, best_match, name_words, text_suffix
from onrecord.resolve.phrases import (
    EMBEDDED_CLAUSES,
    MODIFIER_PENALTY,
    OFFICES,
    PERSON_WORDS,
    REPORTED_PENALTY,
    ROLE_SYNONYMS,
    SPOKESPERSON_NOUNS,
    THING_NOUNS,
    WINDOW,
    Mention,
    inside,
    people_subject,
)
from onrecord.resolve.places import place_clash


def is_subject(token: Token) -> bool:
    """The subject of its clause, or a name in apposition to it ("Democratic candidates Ana Ortiz
    and Ben Lutz did respond", "The senator, Ana Ortiz, went"), but not of a clause inside
    another one ("trying to hold Ben Lutz accountable": not what the sentence is about)."""
    if token.dep_ == "appos":
        if token.head.pos_ == "PROPN" or token.head.ent_type_:
            return False  # "Marco Rubio, Republican of Florida": the name is the subject, not its apposition
        token = token.head
    return token.dep_ in ("nsubj", "nsubjpass") and token.head.dep_ not in EMBEDDED_CLAUSES


#: Where the history's keys for plural subjects start (coordinations count down from -1).
PLURAL_SUBJECT_KEYS = -1_000_000


class ResolverCore:
    """The article's entities and mentions in order, and how salient each is at an offset."""

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
        self.document_speakers: dict[str, int] = {}  # a document noun's lemma -> its last maker
        self.document_sources: dict[int, int] = {}  # a source's document noun -> its speaker
        self.sent_starts: list[int] = [int(i) for i in doc.to_array([IDX])[sentence_starts(doc)].reshape(-1)]
        for index, cluster in enumerate(clusters):
            for (start, _), token_i in zip(cluster.mentions, cluster.mention_tokens, strict=True):
                token = doc[token_i]
                # a subject inside reported content is not what a later pronoun picks up
                reported = inside(start, contents)
                subject = is_subject(token) and not reported
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
                reported = inside(token.idx, contents)
                subject = is_subject(token) and not reported
                self.history.append(Mention(token.idx, key, subject, False, reported))
        # people described by a plural noun as a subject ('voters who identify as independents
        # do so because they ...'): what a later "they" may stand for, made an unnamed group only
        # when one does (keyed below the coordinations in the history)
        self.plural_subjects: dict[int, Token] = {}
        for token in doc:
            people = people_subject(token)
            if people is None or token.i in self.token_map or inside(token.idx, contents):
                continue  # not inside reported words: '"Workers need recourse," she said'
            key = PLURAL_SUBJECT_KEYS - len(self.plural_subjects)
            self.plural_subjects[key] = people
            self.history.append(Mention(token.idx, key, True, False))
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
                or inside(token.idx, contents)
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

    def _source_head(self, source: tuple[int, int], head_i: int | None) -> Token | None:
        """The head of the source phrase: ``head_i`` (else the span's root), repaired where the
        parse went wrong."""
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
        if span is not None and head.pos_ == "DET" and span[-1].lower_ == "old":
            # '"...," the 54-year-old said', parsed with 'the' and 'old' both on the verb: 'old'
            # heads the phrase (repairing other phrases so moved three speakers on PolNeAR train,
            # none to the right one)
            head = span[-1]
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
        return head

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
        members = self.clusters[cluster].members
        if len(members) == 1:  # "Ana Ortiz and her aides said": she spoke, for a later "she"
            self.history.append(Mention(offset, members[0], True, True))

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
            suffixes=[self.clusters[i].suffix for i in people],
            suffix=text_suffix(text),
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
                if c.kind in ("organization", "group")
                # not a place, nor a nationality or creed ("Hispanic", "Christian"), which are people
                and c.label not in ("GPE", "NORP")
                # not people ("Ana Ortiz and her aides")
                and not any(self.clusters[m].kind == "person" for m in c.members)
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
        """'The MP': the person described so (of several, those whose descriptions hold the
        mention's modifiers: 'the former mayor'); failing that, for a role noun, the most salient
        person.

        With ``headline`` (a title-cased line: "Retired General Says Harbour Plan Will Fail"), the
        person is the one the article introduces below it, not a name in the headline itself."""
        word = head.lower_
        said = {i: c.description_words() for i, c in enumerate(self.clusters) if c.kind == "person"}
        people = set(said)
        words = ROLE_SYNONYMS.get(word, {word})
        described = {i for i in people if words & said[i]}
        office = next((o for o in OFFICES if word in o), None)
        if office is not None and not any(c.lower_ == "former" for c in head.children):
            # "the senator": of those described as lawmakers, the senators if any; and never
            # one described as holding another office ("Rep. Ana Ortiz"); a former one may
            others = frozenset().union(*(o for o in OFFICES if o is not office))
            people = {i for i in people if office & said[i] or not others & said[i]}
            described = {i for i in described if office & said[i]} or (described & people)
        people -= {i for i in people if place_clash(head, self.clusters[i].descriptions)}
        described &= people
        if headline:
            found = self._introduced_after(offset, described)
            return found if found is not None else self._introduced_after(offset, people)
        if described:
            # "the Vermont senator", "the former mayor": of those described so, the ones whose
            # descriptions also hold the mention's modifiers, if any do
            modifiers = {
                c.lower_ for c in head.children if c.dep_ in ("amod", "compound", "nmod") and c.is_alpha
            }
            shared = {i: len(modifiers & said[i]) for i in described}
            most = max(shared.values())
            fits = {i for i in described if shared[i] == most} if most else described
            # "The judge rubbed his chin" before the article names "Judge Ana Ortiz": the one
            # described so, named further on, rather than whoever else is in view
            found = self.ranked(offset, fits, forward=True)
            if found is not None:
                return found
        if word in GENDERED_NOUNS:
            # "the woman", "the mother of two": a person of that gender
            gender = GENDERED_NOUNS[word]
            return self.ranked(
                offset, {i for i in people if self.clusters[i].gender in (None, gender)}, forward=True
            )
        if word in ROLE_NOUNS and word not in SPOKESPERSON_NOUNS:
            # "the senator", "the businessman": the person in view (a spokesman speaks for
            # someone, so "the spokesman" no one is described as is someone unnamed)
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
        if word in THING_NOUNS:  # "the company", "the app": a body or its product
            named = {
                i
                for i in organisations
                if word in (w.lower() for w in self.clusters[i].words) and len(self.clusters[i].words) >= 2
            }
            if word in ("government", "administration") and not named:
                return None  # "the government": none the article names so, not any body in view
            # "The company said ..." in a lede, before the article names it: the one named next
            return self.ranked(offset, named or organisations, forward=True)
        return None

    def _cluster_named(self, kind: str, words: list[str]) -> int:
        """The cluster of that kind and name, made if the article has none yet."""
        key = [w.lower() for w in words]
        for index, cluster in enumerate(self.clusters):
            if cluster.kind == kind and [w.lower() for w in cluster.words] == key:
                return index
        self.clusters.append(Cluster(kind, words))
        return len(self.clusters) - 1

    def _group(self, members: list[int]) -> int:
        """The group of these named members, named after them ('Ana Ortiz and Ben Lutz')."""
        names = [self.clusters[i].name for i in members]
        words = (", ".join(names[:-1]) + " and " + names[-1]).split()
        group = self._cluster_named("group", words)
        self.clusters[group].members = list(members)
        return group

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
            # "Ana Ortiz, Founder & President, Harbour Consulting": a bare title joined to the
            # name gives her affiliation, no member ("and Sen. Ted Kennedy" is one)
            chain.extend(c for c in conjuncts if c.lower_ not in TITLES or self._named_token(c) is not None)
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
