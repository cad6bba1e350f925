"""Relations between the entities of an article, and the stances its speakers take.

This stage runs inside resolution, on the parse, after the quotations' speakers are known:

- a **relation** (``praises``, ``criticises``, ``thanks``, ``accuses``, ``supports``, ``opposes``)
  comes from a verb whose subject and object are both named entities of the article: "Musk
  attacked Starmer", "X was praised by Y", "heaped praise on X", "described X as a liar", or from
  what a speaker says of someone ("a line has been crossed by X", "X ought to stay out of it");
- a **stance** is a holder's position for or against something that is not a person: "called
  for a national inquiry", "backed calls for a new probe", "we don't need more inquiries". The
  topic is matched later, at query time (``onrecord stance``), against the stance's target.

Negation flips a stance and cancels a relation ("did not criticise", "refused to back"). Inside
a quotation the holder of a stance is the quotation's speaker. Each finding keeps its cue, the
sentence as evidence, and a confidence.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from spacy.attrs import POS
from spacy.symbols import AUX, VERB

from onrecord.lexicon import (
    ASSERTING_VERBS,
    FIRST_PERSON,
    FIRST_PERSON_POSSESSIVES,
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    ROLE_NOUNS,
)
from onrecord.model import Predicate, Side
from onrecord.nlp.text import doc_text
from onrecord.relate.lexicon import (
    ADVICE_MODALS,
    ADVICE_VERBS,
    CARRIERS,
    LABELLING,
    MISCONDUCT,
    NEGATORS,
    NOUN_OBJECT_PREPOSITIONS,
    NOUN_OBJECTS,
    PHRASAL,
    STANCE_NOUNS,
    STANCE_PREPOSITIONS,
    STANCE_VERBS,
    VERBS,
)
from onrecord.resolve.entities import Cluster
from onrecord.resolve.gender import first_name_gender

if TYPE_CHECKING:
    from spacy.tokens import Token

    from onrecord.resolve import Resolved

CharSpan = tuple[int, int]
FIRST_PERSON_FORMS = FIRST_PERSON | FIRST_PERSON_POSSESSIVES

RECEIVING = frozenset({"receive", "draw", "attract", "get", "earn", "win", "face"})
# "reduced their support for X", "withdrew its backing": the praise or support is taken back
WITHDRAWING = frozenset(
    {"reduce", "eliminate", "withdraw", "pull", "end", "cut", "drop", "lose", "rescind", "revoke", "suspend"}
)
NAMED_KINDS = frozenset({"person", "organization", "group"})


# every verb a finder below looks at (the noun-object phrases, "heaped praise on", are checked apart)
CUE_LEMMAS = frozenset(
    {
        *VERBS,
        *(verb for verb, _ in PHRASAL),
        *LABELLING,
        *ADVICE_VERBS,
        *(verb for verb, _ in MISCONDUCT),
        *STANCE_VERBS,
        *(verb for verb, _ in STANCE_PREPOSITIONS),
    }
)


@dataclass(slots=True)
class FoundRelation:
    subject: int
    predicate: Predicate
    object: int
    cue: CharSpan
    evidence: CharSpan
    confidence: float


@dataclass(slots=True)
class FoundStance:
    holder: int
    side: Side
    target: CharSpan
    cue: CharSpan
    evidence: CharSpan
    confidence: float
    quote: int | None


@lru_cache(maxsize=1)
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import (
        SentimentIntensityAnalyzer,  # VADER loads its lexicon: only when a polarity is asked
    )

    return SentimentIntensityAnalyzer()


def polarity(text: str) -> float:
    """VADER's compound score of a short phrase, -1 (hostile) .. 1 (warm)."""
    return float(_vader().polarity_scores(text)["compound"])


def _span(token: Token) -> CharSpan:
    return token.idx, token.idx + len(token.text)


def _subtree_span(token: Token) -> CharSpan:
    right = token.right_edge
    return token.left_edge.idx, right.idx + len(right.text)


def _passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def _conjuncts(token: Token) -> list[Token]:
    found = [token]
    for child in token.children:
        if child.dep_ == "conj":
            found.extend(_conjuncts(child))
    return found


class Relator:
    """Finds relations and stances in one parsed doc (see the module docstring)."""

    def __init__(self, resolved: Resolved) -> None:
        self.doc = doc = resolved.doc
        self.resolver = resolved.index
        self.clusters = resolved.clusters
        self.token_map = resolved.token_map
        self.quotes: Sequence[tuple[Sequence[CharSpan], int | None]] = [
            (c.content, s) for c, s in zip(resolved.candidates, resolved.speakers, strict=True)
        ]
        self.text = doc_text(doc)  # the resolver's copy: doc.text is rebuilt on every access
        self.relations: list[FoundRelation] = []
        self.stances: list[FoundStance] = []

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
        heads = _conjuncts(token)
        for child in token.children if token.tag_ in ("NNS", "NNPS") else ():
            # "Other Labour figures, including A and B": the people listed (not "a plan like X's")
            if child.dep_ == "prep" and child.lower_ in ("including", "like"):
                for pobj in (c for c in child.children if c.dep_ == "pobj"):
                    heads.extend(_conjuncts(pobj))
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
            if _passive(current):
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

    # -- the finders ---------------------------------------------------------------------------

    def run(self) -> tuple[list[FoundRelation], list[FoundStance]]:
        pos = self.doc.to_array(POS)
        for i in range(len(self.doc)):
            if pos[i] not in (VERB, AUX):
                continue
            token = self.doc[i]
            if token.lemma_.lower() not in CUE_LEMMAS and not any(
                c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in NOUN_OBJECTS for c in token.children
            ):
                continue  # most verbs ("say", "be", "have") cue nothing here
            self._relation(token)
            self._advice(token)
            self._misconduct(token)
            self._stance(token)
        self._echo_praise()
        return self._unique_relations(), self._unique_stances()

    def _evidence(self, token: Token) -> CharSpan:
        """The sentence of ``token``, trailing space left out (``token.sent`` walks the doc on
        every call; the resolver has the sentence starts)."""
        starts: list[int] = self.resolver.sent_starts  # the resolver has walked the sentences once
        index = bisect.bisect_right(starts, token.idx) - 1
        start = starts[index]
        end = starts[index + 1] if index + 1 < len(starts) else len(self.text)
        text = self.text
        while end > start and text[end - 1].isspace():
            end -= 1
        return start, end

    def _add(
        self,
        subject: tuple[int, float],
        predicate: Predicate,
        objects: list[tuple[int, float]],
        cue: Token,
        base: float,
    ) -> None:
        for obj in objects:
            if obj[0] == subject[0]:
                continue
            self.relations.append(
                FoundRelation(
                    subject[0],
                    predicate,
                    obj[0],
                    _span(cue),
                    self._evidence(cue),
                    round(base * subject[1] * obj[1], 3),
                )
            )
            self._note(cue, subject[0], obj[0])

    def _note(self, cue: Token, *clusters: int) -> None:
        """Keep the mentions a relation rests on, so its entities are in the article's list."""
        for cluster in clusters:
            if not self.clusters[cluster].mentions:
                self.clusters[cluster].mentions.append(_span(cue))

    def _relation(self, verb: Token) -> None:
        lemma = verb.lemma_.lower()
        predicate: Predicate | None = VERBS.get(lemma)
        objects: list[Token] = []
        base = 0.85
        passive = _passive(verb)
        if predicate is not None:
            if passive:
                objects = [c for c in verb.children if c.dep_ == "nsubjpass"]
            else:
                objects = [c for c in verb.children if c.dep_ == "dobj"]
        if predicate is None:
            particles = {c.lower_: c for c in verb.children if c.dep_ in ("prep", "prt", "dative")}
            for (verb_lemma, word), candidate in PHRASAL.items():
                if verb_lemma == lemma and word in particles:
                    predicate = candidate
                    objects = [c for c in particles[word].children if c.dep_ == "pobj"]
                    break
        if predicate is None:
            noun = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None)
            if noun is not None and noun.lemma_.lower() in NOUN_OBJECTS and lemma not in WITHDRAWING:
                preps: list[Token] = [
                    c
                    for c in list(verb.children) + list(noun.children)
                    if c.dep_ in ("prep", "dative") and c.lower_ in NOUN_OBJECT_PREPOSITIONS | {"from"}
                ]
                if lemma in RECEIVING:
                    # "drew criticism from X": X is the one criticising
                    source = [p for p in preps if p.lower_ == "from"]
                    givers = [c for p in source for c in p.children if c.dep_ == "pobj"]
                    if givers and self.negations(verb) == 0:
                        receivers = self.subjects(verb)
                        for giver in (e for g in givers for e in self.entities(g)):
                            self._add(giver, NOUN_OBJECTS[noun.lemma_.lower()], receivers, verb, 0.75)
                    return
                preps = [p for p in preps if p.lower_ != "from"]
                if preps:
                    predicate = NOUN_OBJECTS[noun.lemma_.lower()]
                    objects = [c for p in preps for c in p.children if c.dep_ == "pobj"]
                    base = 0.8
        if predicate is None and lemma in LABELLING:
            self._labelling(verb)
            return
        if predicate is None or not objects or self.negations(verb) or self.hypothetical(verb):
            return
        targets = [e for o in objects for e in self.entities(o)]
        if not targets:
            return
        subjects = self.subjects(verb)
        if not subjects and self.quote_of(verb.idx) is None and verb.dep_ == "ROOT":
            return
        for subject in subjects:
            self._add(subject, predicate, targets, verb, base)

    def _labelling(self, verb: Token) -> None:
        """'described X as a "rape genocide apologist"', 'called him a liar', 'branded her a hero'."""
        objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
        if not objects:
            return
        labels = [c for c in verb.children if c.dep_ in ("oprd", "xcomp", "ccomp", "attr")]
        labels += [
            c
            for p in verb.children
            if p.dep_ == "prep" and p.lower_ == "as"
            for c in p.children
            if c.dep_ == "pobj"
        ]
        if not labels or self.negations(verb):
            return
        text = self.text
        score = max((polarity(text[slice(*_subtree_span(label))]) for label in labels), key=abs)
        predicate: Predicate | None = "criticises" if score <= -0.3 else "praises" if score >= 0.4 else None
        if predicate is None:
            return
        targets = [e for o in objects for e in self.entities(o)]
        for subject in self.subjects(verb):
            self._add(subject, predicate, targets, verb, 0.75)

    def _advice(self, verb: Token) -> None:
        """'X ought to stay out of UK politics', said by someone else: they attack X."""
        if verb.lemma_.lower() not in ADVICE_VERBS:
            return
        modal = [c for c in verb.children if c.dep_ == "aux" and c.lower_ in ADVICE_MODALS]
        governor = verb.head if verb.dep_ == "xcomp" else None
        if not modal and not (governor is not None and governor.lower_ == "ought"):
            return
        top = governor if governor is not None and governor.lower_ == "ought" else verb
        subject = next((c for c in top.children if c.dep_ == "nsubj"), None)
        speaker = self.speaker_at(verb)
        if subject is None or speaker is None or self.negations(verb):
            return
        for target in self.entities(subject, exclude=speaker):
            self._add((speaker, 0.9), "criticises", [target], verb, 0.7)

    def _misconduct(self, verb: Token) -> None:
        """'a line has been crossed by X', said by someone: they attack X."""
        lemma = verb.lemma_.lower()
        nouns = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
        if not any((lemma, n.lemma_.lower()) in MISCONDUCT for n in nouns):
            return
        speaker = self.speaker_at(verb)
        if speaker is None or self.negations(verb):
            return
        if _passive(verb):
            actors = [c for a in verb.children if a.dep_ == "agent" for c in a.children if c.dep_ == "pobj"]
        else:
            actors = [c for c in verb.children if c.dep_ == "nsubj"]
        targets = [e for a in actors for e in self.entities(a, exclude=speaker)]
        self._add((speaker, 0.9), "criticises", targets, verb, 0.7)

    def _stance(self, verb: Token) -> None:
        lemma = verb.lemma_.lower()
        sign = 0
        target: Token | None = None
        preps = {c.lower_: c for c in verb.children if c.dep_ in ("prep", "prt")}
        for (verb_lemma, word), value in STANCE_PREPOSITIONS.items():
            if verb_lemma == lemma and word in preps:
                pobj = next((c for c in preps[word].children if c.dep_ == "pobj"), None)
                if pobj is not None or word in ("out", "down"):
                    sign, target = value, pobj
                    if target is None:
                        target = next((c for c in verb.children if c.dep_ == "dobj"), None)
                    break
        if not sign and lemma in STANCE_VERBS:
            sign = STANCE_VERBS[lemma]
            target = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None)
            if target is None and (lemma not in ("intervene", "act") or not self.negations(verb)):
                return  # "will not intervene" takes a side; "she acted differently" does not
        if not sign:
            return
        if target is not None and target.lemma_.lower() in STANCE_NOUNS:
            # "backed calls for a new probe": the call's object is the target
            inner = [
                c
                for p in target.children
                if p.dep_ == "prep" and p.lower_ in ("for", "to", "against")
                for c in p.children
                if c.dep_ == "pobj"
            ]
            if inner:
                target = inner[0]
        if target is not None and (target.i in self.token_map or target.pos_ in ("PRON", "PROPN")):
            return  # a person or organisation: a relation, not a stance
        if self.negations(verb) % 2:
            sign = -sign
        quote = self.quote_of(verb.idx)
        if target is not None:
            target_span = _subtree_span(target)
        elif quote is not None:
            content = self.quotes[quote][0]
            target_span = (min(s for s, _ in content), max(e for _, e in content))
        else:
            target_span = self._evidence(verb)
        side: Side = "for" if sign > 0 else "against"
        evidence = self._evidence(verb)
        speaker = self.quotes[quote][1] if quote is not None else None
        holders, critic = self._holders(verb)
        if speaker is not None and critic is None:
            holder = speaker
            doer = self._doer(verb)
            if doer is not None and doer.lower_ not in FIRST_PERSON_FORMS and not self.entities(doer):
                return  # "people in power refused to act", said by someone: not the speaker's stance
            self._add_stance(holder, side, target_span, verb, evidence, 0.75, quote)
            return
        # "X attacked Y for refusing to launch an inquiry" (a quotation of X's or not): Y refuses
        for holder, sure in holders:
            self._add_stance(holder, side, target_span, verb, evidence, round(0.75 * sure, 3), None)
        if critic is not None:
            # "X attacked Y for refusing to launch an inquiry": X is on the other side
            cluster, sure, flip = critic
            other: Side = side if not flip else ("against" if side == "for" else "for")
            self._add_stance(cluster, other, target_span, verb, evidence, round(0.6 * sure, 3), None)

    def _doer(self, verb: Token) -> Token | None:
        """The explicit subject of a verb or of the verbs it is a complement of."""
        current = verb
        for _ in range(6):
            subject = next((c for c in current.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None:
                return subject
            if current.dep_ not in ("xcomp", "conj", "advcl"):
                return None
            current = current.head
        return None

    def _holders(self, verb: Token) -> tuple[list[tuple[int, float]], tuple[int, float, bool] | None]:
        """Who holds a stance: the verb's subject, or (for "attacked Y for refusing to ...") the
        one criticised or praised for it, plus the critic."""
        current = verb
        for _ in range(6):
            if any(c.dep_ in ("nsubj", "nsubjpass") for c in current.children):
                return self.subjects(current), None
            if current.dep_ == "pcomp" and current.head.lower_ == "for":
                judge = current.head.head
                predicate = VERBS.get(judge.lemma_.lower())
                if predicate in ("criticises", "praises", "thanks"):
                    judged = [c for c in judge.children if c.dep_ == "dobj"]
                    holders = [e for o in judged for e in self.entities(o)]
                    critics = self.subjects(judge)
                    critic = (critics[0][0], critics[0][1], predicate == "criticises") if critics else None
                    return holders, critic
                return [], None
            if current.dep_ in ("xcomp", "conj", "advcl") or (
                current.dep_ == "pcomp" and current.head.lower_ == "by"
            ):
                current = current.head if current.dep_ != "pcomp" else current.head.head
                continue
            break
        return self.subjects(current), None

    def _add_stance(
        self,
        holder: int,
        side: Side,
        target: CharSpan,
        cue: Token,
        evidence: CharSpan,
        confidence: float,
        quote: int | None,
    ) -> None:
        self.stances.append(FoundStance(holder, side, target, _span(cue), evidence, confidence, quote))
        self._note(cue, holder)

    def _echo_praise(self) -> None:
        """Praising someone in the sentence that says what they stand for is standing with them."""
        for relation in list(self.relations):
            if relation.predicate not in ("praises", "thanks"):
                continue
            for stance in list(self.stances):
                if stance.holder == relation.object and stance.evidence == relation.evidence:
                    self.stances.append(
                        FoundStance(
                            relation.subject,
                            stance.side,
                            stance.target,
                            relation.cue,
                            stance.evidence,
                            round(stance.confidence * 0.8, 3),
                            None,
                        )
                    )

    def _unique_relations(self) -> list[FoundRelation]:
        seen: dict[tuple[int, str, int, CharSpan], FoundRelation] = {}
        for relation in self.relations:
            key = (relation.subject, relation.predicate, relation.object, relation.evidence)
            if key not in seen or seen[key].confidence < relation.confidence:
                seen[key] = relation
        return sorted(seen.values(), key=lambda r: (r.evidence, r.cue))

    def _unique_stances(self) -> list[FoundStance]:
        seen: dict[tuple[int, str, CharSpan], FoundStance] = {}
        for stance in self.stances:
            key = (stance.holder, stance.side, stance.evidence)
            if key not in seen or seen[key].confidence < stance.confidence:
                seen[key] = stance
        return sorted(seen.values(), key=lambda s: (s.evidence, s.cue))


def relate(resolved: Resolved) -> tuple[list[FoundRelation], list[FoundStance]]:
    """The relations and stances of one resolved doc (entity indices; see ``Relator``). A
    person the entity recogniser missed is added to ``resolved``'s entity index."""
    return Relator(resolved).run()
