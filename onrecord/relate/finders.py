"""The finders of relations and stances, verb by verb (see ``onrecord.relate``)."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from spacy.attrs import POS
from spacy.symbols import AUX, VERB

from onrecord.model import Predicate, Side
from onrecord.relate.lexicon import (
    ADVICE_MODALS,
    ADVICE_VERBS,
    LABELLING,
    MISCONDUCT,
    NOUN_OBJECT_PREPOSITIONS,
    NOUN_OBJECTS,
    PHRASAL,
    STANCE_NOUNS,
    STANCE_PREPOSITIONS,
    STANCE_VERBS,
    VERBS,
)
from onrecord.relate.mentions import Mentions
from onrecord.relate.records import (
    CUE_LEMMAS,
    FIRST_PERSON_FORMS,
    RECEIVING,
    WITHDRAWING,
    CharSpan,
    FoundRelation,
    FoundStance,
    is_passive,
    polarity,
    subtree_span,
    token_span,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

    from onrecord.resolve import Resolved


class Relator(Mentions):
    """Finds relations and stances in one parsed doc (see ``onrecord.relate``)."""

    def __init__(self, resolved: Resolved) -> None:
        super().__init__(resolved)
        self.relations: list[FoundRelation] = []
        self.stances: list[FoundStance] = []

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
                    token_span(cue),
                    self._evidence(cue),
                    round(base * subject[1] * obj[1], 3),
                )
            )
            self._note(cue, subject[0], obj[0])

    def _note(self, cue: Token, *clusters: int) -> None:
        """Keep the mentions a relation rests on, so its entities are in the article's list."""
        for cluster in clusters:
            if not self.clusters[cluster].mentions:
                self.clusters[cluster].mentions.append(token_span(cue))

    def _relation(self, verb: Token) -> None:
        lemma = verb.lemma_.lower()
        predicate: Predicate | None = VERBS.get(lemma)
        objects: list[Token] = []
        base = 0.85
        passive = is_passive(verb)
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
        score = max((polarity(text[slice(*subtree_span(label))]) for label in labels), key=abs)
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
        if is_passive(verb):
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
            target_span = subtree_span(target)
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
        self.stances.append(FoundStance(holder, side, target, token_span(cue), evidence, confidence, quote))
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
