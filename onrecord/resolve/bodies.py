"""The cascade's strategies for what speaks for a body: a document for its owner, author or
maker ("her account", "a study by the Urban Institute", "the ad"), a piece for the outlet it ran
in or the outlet in view ("an editorial in the Harbour Gazette", "the article"), a party's
document for the party ("the Democratic platform"), "the city of Nice" for the place and "the
trade group for the Harbour Shield plans" for a body the article describes but never names; with
what every strategy answers (``Outcome``). ``onrecord.resolve.strategies`` runs them in order.
"""

from __future__ import annotations

from collections import Counter
from enum import Enum
from typing import Literal

from spacy.tokens import Token

from onrecord.lexicon import DOCUMENT_NOUNS, PERSON_PRONOUNS, PLURAL_PRONOUNS, WRITING_NOUNS
from onrecord.nlp.text import doc_text
from onrecord.resolve.channel import is_outlet_name
from onrecord.resolve.groups import GroupResolver
from onrecord.resolve.phrases import (
    AD_NOUNS,
    MADE_NOUNS,
    NEWS_NOUNS,
    ORGANISATION_NOUNS,
    OWNED_NOUNS,
    PARTY_DOCUMENTS,
    PIECE_NOUNS,
    PLACE_NOUNS,
    definite,
    determiners,
    head_lemma,
)


class _End(Enum):
    UNRESOLVED = "unresolved"


#: What a strategy answers to end the cascade with no entity.
UNRESOLVED = _End.UNRESOLVED
#: A strategy's answer: a cluster index (a hit), None (the next strategy), or UNRESOLVED.
Outcome = int | None | Literal[_End.UNRESOLVED]


def pronoun_or_none(found: int | None) -> Outcome:
    """A pronoun's antecedent, or the end of the cascade where it has none."""
    return UNRESOLVED if found is None else found


class BodyStrategies(GroupResolver):
    """The resolver with the strategies for documents, outlets, parties and places."""

    def _document(self, source: tuple[int, int], head: Token) -> Outcome:
        lemma = head_lemma(head)
        if lemma in PIECE_NOUNS:
            return self._piece_author(head)
        if lemma not in WRITING_NOUNS | DOCUMENT_NOUNS | AD_NOUNS:
            return self._author(head) if lemma in MADE_NOUNS else None  # "a count by the AP"
        # "her account", "Mr. Smith's memoir": the owner speaks through it; so does "Bank of
        # Avalon's Better Money Habits survey", whose owner the parser hangs as a modifier
        owner = next((c for c in head.children if c.dep_ == "poss"), None) or self._possessor(head)
        if owner is not None:
            if owner.i in self.token_map:
                return self.token_map[owner.i]
            if owner.lower_ in PERSON_PRONOUNS or owner.lower_ in PLURAL_PRONOUNS or owner.lower_ == "its":
                return pronoun_or_none(self._pronoun(owner, source[0]))
        author = self._writer(head)
        if author is not None:
            return author
        if definite(head, ("the", "this", "that")):
            return self._document_maker(head)
        return self.document_speakers.get(lemma)

    def _piece_author(self, head: Token) -> int | None:
        """'a story by the website Portwatch', 'a Portwatch story', and 'The story' after one in
        the sentences before: who the article says wrote it; else None (the outlet it ran in,
        or the one in view, is for ``_venue`` and ``_outlet``)."""
        found = self._writer(head)
        if found is not None or not definite(head, ("the", "this", "that")):
            return found
        lemma = head.lemma_.lower()
        earlier = next((t for t in self.nouns_before(head) if t.lemma_.lower() == lemma), None)
        if earlier is None:
            return None
        found = self._writer(earlier)
        return found if found is not None else self.document_sources.get(earlier.i)

    def _venue(self, source: tuple[int, int], head: Token) -> Outcome:
        if head_lemma(head) not in NEWS_NOUNS | WRITING_NOUNS or head.tag_ != "NN":
            return None
        # "an editorial in the Harbour Gazette", "a column in the Times": where it ran
        venue = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "in"), None)
        outlet = next((c for c in venue.children if c.dep_ == "pobj"), None) if venue is not None else None
        if outlet is not None and outlet.i in self.token_map:
            venue_cluster = self.clusters[self.token_map[outlet.i]]
            if venue_cluster.kind == "organization" and venue_cluster.label != "GPE":
                return self.token_map[outlet.i]
        return None

    def _outlet(self, source: tuple[int, int], head: Token) -> Outcome:
        lemma, dets = head_lemma(head), determiners(head)
        if (
            lemma not in NEWS_NOUNS
            or not dets
            or (lemma not in PIECE_NOUNS and dets & {"a", "an", "another"})
        ):
            return None  # none, or "an Israeli newspaper": another outlet than those named
        # "the article", "the piece": the outlet that published it
        outlets = {
            i for i, c in enumerate(self.clusters) if c.kind == "organization" and is_outlet_name(c.words)
        }
        found = self.ranked(source[0], outlets)
        if found is None:
            # out of a pronoun's reach: the outlet the article has named most so far
            counts = Counter(m.cluster for m in self.history if m.cluster in outlets and m.offset < source[0])
            found = counts.most_common(1)[0][0] if counts else None
        return found

    def _party_document(self, source: tuple[int, int], head: Token) -> Outcome:
        if head_lemma(head) not in PARTY_DOCUMENTS:
            return None
        # "The Democratic platform", "the Labour manifesto": the party's
        adjective = next(
            (c for c in head.children if c.dep_ in ("amod", "compound") and c.ent_type_ == "NORP"), None
        )
        if adjective is None:
            return None
        return self._cluster_named("organization", [adjective.text, "Party"])

    def _place(self, source: tuple[int, int], head: Token) -> Outcome:
        if head_lemma(head) not in PLACE_NOUNS:
            return None
        # "the city of Nice", "the state of Kent": the place named after "of"
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        place = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if place is not None and place.i in self.token_map:
            return self.token_map[place.i]
        return None

    def _described_body(self, source: tuple[int, int], head: Token) -> Outcome:
        """'the trade group for the Harbour Shield plans': a body the article describes by whom
        it serves, not one it names that shares the noun ("Northwind Health Group"); an
        organisation of that description, which a later "the group" or "it" takes."""
        if (
            head.tag_ != "NN"
            or head.lower_ not in ORGANISATION_NOUNS - OWNED_NOUNS
            or not definite(head, ("the",))
            or any(c.dep_ == "poss" for c in head.children)
        ):
            return None
        served = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "for"), None)
        if served is None or not any(c.dep_ == "pobj" for c in served.children):
            return None
        end = served.right_edge.i
        comma = next((t.i for t in self.doc[head.i : end + 1] if t.text in (",", "(", "—", "–")), None)
        if comma is not None:
            end = comma - 1  # "..., which dominate many state markets,"
        first = head.left_edge.i + 1 if head.left_edge.lower_ == "the" else head.left_edge.i
        if self.doc[first].idx < source[0] or self.doc[end].idx + len(self.doc[end]) > source[1]:
            return None
        words = doc_text(self.doc)[self.doc[first].idx : self.doc[end].idx + len(self.doc[end])].split()
        return self._cluster_named("organization", words)
