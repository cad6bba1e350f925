"""Who a phrase of the parse names: the entities a noun phrase, a pronoun or a speaker's "I"
refers to, and whether a verb is negated or hypothetical (``Mentions``, the base of
``onrecord.relate.finders.Relator``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from onrecord.lexicon import (
    ASSERTING_VERBS,
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    ROLE_NOUNS,
)
from onrecord.nlp.text import doc_text
from onrecord.relate.lexicon import (
    CARRIERS,
    NEGATORS,
)
from onrecord.relate.records import (
    FIRST_PERSON_FORMS,
    NAMED_KINDS,
    CharSpan,
    conjuncts,
    is_passive,
)
from onrecord.resolve.clusters import Cluster
from onrecord.resolve.gender import first_name_gender

if TYPE_CHECKING:
    from spacy.tokens import Token

    from onrecord.resolve import Resolved


class Mentions:
    """The article's entities as the relations stage sees them (see ``onrecord.relate``)."""

    def __init__(self, resolved: Resolved) -> None:
        self.doc = doc = resolved.doc
        self.resolver = resolved.index
        self.clusters = resolved.clusters
        self.token_map = resolved.token_map
        self.quotes: Sequence[tuple[Sequence[CharSpan], int | None]] = [
            (c.content, s) for c, s in zip(resolved.candidates, resolved.speakers, strict=True)
        ]
        self.text = doc_text(doc)  # the resolver's copy: doc.text is rebuilt on every access

    # -- entities ------------------------------------------------------------------------------

    def quote_of(self, offset: int) -> int | None:
        for index, (content, _) in enumerate(self.quotes):
            if any(lo <= offset < hi for lo, hi in content):
                return index
        return None

    def speaker_at(self, token: Token) -> int | None:
        """Who asserts what this token says: the quotation's speaker, or the subject of the
        speech verb the clause is reported under ("he suggested X ought to ...")."""
        quote = self.quote_of(token.idx)
        if quote is not None:
            return self.quotes[quote][1]
        head = token
        while head.head.i != head.i:
            if head.dep_ in ("ccomp", "xcomp") and head.head.lemma_.lower() in ASSERTING_VERBS:
                subjects = self.subjects(head.head)
                return subjects[0][0] if subjects else None
            head = head.head
        return None

    def entities(self, token: Token, exclude: int | None = None) -> list[tuple[int, float]]:
        """The named entities a noun phrase refers to (several when coordinated or listed with
        "including"), each with how sure the resolution is."""
        found: list[tuple[int, float]] = []
        heads = conjuncts(token)
        for child in token.children if token.tag_ in ("NNS", "NNPS") else ():
            # "Other Labour figures, including A and B": the people listed (not "a plan like X's")
            if child.dep_ == "prep" and child.lower_ in ("including", "like"):
                for pobj in (c for c in child.children if c.dep_ == "pobj"):
                    heads.extend(conjuncts(pobj))
        for head in heads:
            one = self.entity(head, exclude)
            if one is not None and one[0] not in (f[0] for f in found):
                found.append(one)
        return found

    def entity(self, token: Token, exclude: int | None = None) -> tuple[int, float] | None:
        """The named entity one noun phrase head refers to, and how sure that is; ``exclude``:
        someone it cannot be (the speaker, in what the speaker says of others)."""
        lower = token.lower_
        if lower in FIRST_PERSON_FORMS:
            speaker = self.speaker_at(token)
            return (speaker, 0.9) if speaker is not None else None
        if token.i in self.token_map:
            mapped = self.token_map[token.i]
            return (mapped, 1.0) if self._named(mapped) else None
        if token.pos_ == "PRON":
            if lower in ("who", "which", "that") and token.head.dep_ == "relcl":
                return self.entity(token.head.head, exclude)
            if token.dep_ == "nsubj" and token.head.dep_ == "advcl":
                # "crossed by the businessman when he described ...": the agent acts on
                agents = [
                    c
                    for a in token.head.head.children
                    if a.dep_ == "agent"
                    for c in a.children
                    if c.dep_ == "pobj"
                ]
                speaker = self.speaker_at(token)
                for agent in agents:
                    found = self.entity(agent, speaker if exclude is None else exclude)
                    if found is not None and self.clusters[found[0]].kind == "person":
                        return found[0], found[1] * 0.9
            if lower not in PERSON_PRONOUNS and lower not in PLURAL_PRONOUNS:
                return None  # not "it": "called it a mistake" is about a thing far more often than a body
            accept = {i for i in self.resolver.pronoun_candidates(lower) if self._named(i)}
            cluster = self.resolver.ranked(token.idx, accept - {exclude})
            return (cluster, 0.8) if cluster is not None else None
        if token.pos_ not in ("NOUN", "PROPN"):
            return None
        described = self._described(token)
        if described is not None and described != exclude:
            return described, 0.8
        if token.tag_ in ("NNS", "NNPS"):
            return None  # "other Labour figures": not one entity
        determiners = {c.lower_ for c in token.children if c.dep_ == "det"}
        if token.lower_ in ROLE_NOUNS and (determiners & {"the", "this", "that"}):
            people = {i for i, c in enumerate(self.clusters) if c.kind == "person" and c.words}
            cluster = self.resolver.ranked(token.idx, people - {exclude}, forward=True)
            return (cluster, 0.7) if cluster is not None else None
        if token.pos_ == "PROPN" and not determiners:
            cluster = self.resolver.by_name(token.text)
            if cluster is not None and self._named(cluster) and cluster != exclude:
                return cluster, 0.8
            return self._new_person(token)
        return None

    def _new_person(self, token: Token) -> tuple[int, float] | None:
        """A full name the entity recogniser missed ("Alistair Darling"): two or more capitalised
        proper nouns, not tagged as a place, date or organisation, become a person."""
        names = [t for t in token.children if t.dep_ == "compound" and t.pos_ == "PROPN" and t.i < token.i]
        tokens = [*names, token]
        if len(tokens) < 2 or tokens[-1].i - tokens[0].i != len(tokens) - 1:
            return None
        if any(not t.text[:1].isupper() for t in tokens):
            return None
        # the recogniser called "Ashley Bloomfield" a place: a known first name says otherwise
        if (
            any(t.ent_type_ not in ("", "PERSON") for t in tokens)
            and first_name_gender(tokens[0].text) is None
        ):
            return None
        words = [t.text for t in tokens]
        for index, cluster in enumerate(self.clusters):
            if cluster.kind == "person" and [w.lower() for w in cluster.words] == [w.lower() for w in words]:
                return index, 0.75
        span = (tokens[0].idx, token.idx + len(token.text))
        cluster = Cluster("person", words)
        cluster.mentions.append(span)
        cluster.mention_tokens.append(token.i)
        cluster.forms[" ".join(words)] += 1
        return self.resolver.add_cluster(cluster, [t.i for t in tokens]), 0.75

    def _named(self, cluster: int) -> bool:
        chosen = self.clusters[cluster]
        return chosen.kind in NAMED_KINDS and bool(chosen.words)

    def _described(self, token: Token) -> int | None:
        """'the first Labour MP': the one person the article describes with these words."""
        if token.pos_ not in ("NOUN", "PROPN") or token.i in self.token_map:
            return None
        determiners = {c.lower_ for c in token.children if c.dep_ == "det"}
        if determiners - {"the", "this", "that"}:
            return None
        words = [t.lower_ for t in token.subtree if t.i <= token.i and t.dep_ in ("compound", "amod")]
        words.append(token.lower_)

        def describes(description: str) -> bool:
            # the description's head noun is this noun ("Labour MP" for "the first Labour MP",
            # not "Trump campaign manager" for "the campaign"), and its modifier is there too
            found = description.lower().split()
            return bool(found) and found[-1] == words[-1] and all(w in found for w in words[-2:])

        matches = [
            i
            for i, c in enumerate(self.clusters)
            if c.kind == "person" and any(describes(d) for d in c.descriptions)
        ]
        if len(matches) == 1:
            return matches[0]
        # "Dan Carden became the first Labour MP to ...": the copula's subject
        if token.dep_ == "attr" and token.head.lemma_ in ("be", "become", "remain"):
            subject = next((c for c in token.head.children if c.dep_ == "nsubj"), None)
            if subject is not None and subject.i in self.token_map:
                return self.token_map[subject.i]
        return None

    def subjects(self, verb: Token) -> list[tuple[int, float]]:
        """The entities doing what ``verb`` says: its subject, the agent of a passive, the
        subject of the verb it is coordinated with or a complement of, or the noun it modifies."""
        current = verb
        for _ in range(6):
            if is_passive(current):
                agents = [c for c in current.children if c.dep_ == "agent"]
                pobj = [c for a in agents for c in a.children if c.dep_ == "pobj"]
                return self.entities(pobj[0]) if pobj else []
            subject = next((c for c in current.children if c.dep_ in ("nsubj", "csubj")), None)
            if subject is not None:
                return self.entities(subject)
            if current.dep_ == "xcomp":
                # "prompted Cooper to accuse Bondi", "urged her to back X": the object acts
                controller = next((c for c in current.head.children if c.dep_ in ("dobj", "nsubjpass")), None)
                if controller is not None and controller.i < current.i:
                    return self.entities(controller)
            if current.dep_ in ("xcomp", "conj", "advcl") and current.head.i != current.i:
                current = current.head
                continue
            if current.dep_ in ("acl", "relcl") and current.head.pos_ in ("NOUN", "PROPN", "PRON"):
                return self.entities(current.head)
            if current.dep_ == "pcomp" and current.head.lower_ == "by":
                current = current.head.head
                continue
            break
        return []

    # -- negation ------------------------------------------------------------------------------

    def hypothetical(self, verb: Token) -> bool:
        """'if I would vote for him', 'whether to back her': not asserted."""
        current = verb
        for _ in range(4):
            if any(c.dep_ == "mark" and c.lower_ in ("if", "whether", "unless") for c in current.children):
                return True
            # "if he is nominated, I'd vote for him": a conditional's consequence
            conditional = any(
                c.dep_ == "advcl"
                and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)
                for c in current.children
            )
            if conditional and any(
                c.dep_ == "aux" and c.lower_ in ("would", "'d", "could", "might") for c in current.children
            ):
                return True
            if current.dep_ not in ("xcomp", "conj", "ccomp", "advcl") or current.head.i == current.i:
                return False
            current = current.head
        return False

    def negations(self, verb: Token) -> int:
        """How many times what ``verb`` says is negated, up its chain of complements: "did not
        back" 1, "refused to launch" 1, "did not refuse to launch" 2."""
        count = 0
        current = verb
        for _ in range(6):
            if any(c.dep_ == "neg" for c in current.children):
                count += 1
            if current.i != verb.i and current.lemma_.lower() in NEGATORS:
                count += 1
            if current.dep_ == "pcomp" and current.head.lower_ == "without":
                count += 1
            if current.dep_ in ("xcomp", "pcomp", "auxpass") or (
                current.dep_ == "conj" and current.head.pos_ in ("VERB", "AUX")
            ):
                if current.dep_ == "pcomp" and current.head.lower_ not in ("without", "of"):
                    break
                current = current.head if current.dep_ != "pcomp" else current.head.head
                if current.lemma_.lower() not in CARRIERS | NEGATORS and current.pos_ == "VERB":
                    # "attacked X for refusing": the chain ends at another verb
                    break
                continue
            break
        return count
