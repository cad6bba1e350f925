"""The speaker resolver the pipeline uses: the cascade (``onrecord.resolve.strategies``) for a
source mention, and the speakers of cues without one (``implicit``), of interview answers
(``interviewee``) and of the article's own "I" and "we" (``narrator``).
"""

from __future__ import annotations

from onrecord.lexicon import (
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
)
from onrecord.resolve.phrases import (
    QUOTE_OPENERS,
    WINDOW,
)
from onrecord.resolve.strategies import Cascade


class SpeakerResolver(Cascade):
    """Resolves the source mentions of one article to its entities (``Cascade.resolve``)."""

    def agree_with_content(self, cluster: int, content: tuple[int, int], source: tuple[int, int]) -> int:
        """'Trump says he would pay': reported speech that opens with he/she gives the speaker's
        gender; where the resolved person has the other gender and someone of the same surname
        has this one (Ivanka and Donald Trump), the speaker is that person. Not where the source
        is itself "he" or "she": in 'He thinks she would win', "she" is someone else."""
        chosen = self.clusters[cluster]
        if chosen.kind != "person" or not chosen.words:
            return cluster
        if self._text(source).lower() in PERSON_PRONOUNS:
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

    def same_document(
        self, previous: tuple[int, int], speaker: int | None, source: tuple[int, int]
    ) -> int | None:
        """'“...,” it reads. “...,” it said.': an "it" that speaks right after another "it"
        spoke, with no organisation named between the two outside quoted words, is the same
        document (an email, a statement) and speaks for the same maker, however far back the
        document itself was named."""
        if speaker is None or self._text(source).lower() != "it" or self._text(previous).lower() != "it":
            return None
        if not 0 < source[0] - previous[0] <= WINDOW:
            return None
        if any(
            previous[1] <= m.offset < source[0]
            and not m.reported
            and 0 <= m.cluster < len(self.clusters)
            and self.clusters[m.cluster].kind == "organization"
            for m in self.history
        ):
            return None
        return speaker

    def implicit(self, cue_i: int) -> int | None:
        """The speaker of a cue with no subject of its own ("..., calling for X"): a noun cue's
        owner ("the public's loss of trust in"), else the subject of the sentence's main verb
        when it names someone, else the latest person named before the cue in the same sentence
        (the latest that is a subject, if any is)."""
        doc = self.doc
        cue = doc[cue_i]
        sent = cue.sent
        if cue.pos_ == "NOUN":
            # a noun cue's owner where the tagger marked no source ("the Harbour Board's goal of"):
            # the owner, resolved as a source would be
            owner = next((c for c in cue.children if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN")), None)
            if owner is not None and owner.i < cue_i:
                if owner.i in self.token_map:
                    return self.token_map[owner.i]
                mention = (doc[owner.left_edge.i].idx, owner.idx + len(owner))
                owned = self.resolve(mention, owner.i)
                if owned is not None and mention not in self.clusters[owned].mentions:
                    self.clusters[owned].mentions.append(mention)  # a mention, as a source's is
                return owned
        subject = next((c for c in sent.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.i < cue_i:
            if subject.i in self.token_map:
                return self.token_map[subject.i]
            if subject.lower_ in PERSON_PRONOUNS or subject.lower_ in PLURAL_PRONOUNS:
                return self._pronoun(subject, subject.idx)
        named = [t for t in sent if t.i < cue_i and t.i in self.token_map]
        for kinds in (("person",), ("organization",)):
            found = [t for t in named if self.clusters[self.token_map[t.i]].kind in kinds]
            # a subject before one named in passing ("Lutz - in a speech aimed at Reyes's plan -
            # declared ...", the parse broken by the dashes)
            subjects = [t for t in found if t.dep_ in ("nsubj", "nsubjpass")]
            if found:
                return self.token_map[(subjects or found)[-1].i]
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
