"""Pronouns and documents' makers: "he" or "they" is the most salient entity that fits, "it"
after a document is its maker, and a document ("her account", "a study by the Urban
Institute", "the ad") speaks for whoever made it, who may be a pronoun ("announced it in a
statement"); organisations named after their owners ("her campaign").
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from onrecord.lexicon import (
    DOCUMENT_NOUNS,
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    THING_PRONOUNS,
    WRITING_NOUNS,
)
from onrecord.nlp.text import doc_text
from onrecord.resolve.phrases import (
    AD_NOUNS,
    DOCUMENT_SENTENCES,
    FUNDING_VERBS,
    MAKING_VERBS,
    OWNED_NOUNS,
    group_words,
)
from onrecord.resolve.resolver import ResolverCore


def _generic(pronoun: Token) -> bool:
    """'As they say, ...': "they" saying, in the present, in a clause opened by "as", is people
    in general, no one the article names."""
    verb = pronoun.head
    return (
        pronoun.lower_ == "they"
        and verb.lemma_ == "say"
        and verb.tag_ == "VBP"
        and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)
    )


def maker_phrase(document: Token) -> bool:
    """The document has a phrase that may say who made it ("a report from the inspector")."""
    return any(c.dep_ == "prep" and c.lower_ in ("by", "from") for c in document.children)


#: Kinds of study a later "the study" may stand for.
STUDY_KINDS = frozenset("analysis meta-analysis review trial experiment".split())


def _agent(token: Token, document: Token) -> bool:
    """The token is the object of "by", or of the document's own "from" ("a study by X", "new
    research from X"); a "by" on a verb only where the verb makes the document ("a report
    released by X", not "an article owned by X"), or pays for an ad ("an ad funded by X")."""
    if token.dep_ != "pobj":
        return False
    preposition, attached = token.head, token.head.head
    if preposition.lower_ == "from":
        return attached.i == document.i
    verbs = MAKING_VERBS | FUNDING_VERBS if document.lemma_.lower() in AD_NOUNS else MAKING_VERBS
    return preposition.lower_ == "by" and (
        attached.i == document.i or attached.pos_ not in ("VERB", "AUX") or attached.lemma_.lower() in verbs
    )


#: Quotation marks: a "he" inside quoted words is someone else's.
QUOTE_MARKS = frozenset('"“”‘’«»„')


def _same_sentence_subject(pronoun: Token) -> Token | None:
    """A "he" or "she" of the same gender as ``pronoun``, the subject of a clause before it in
    its sentence with no quotation mark between them, or None."""
    gender = PERSON_PRONOUNS.get(pronoun.lower_)
    if gender is None:
        return None
    for token in reversed(pronoun.doc[pronoun.sent.start : pronoun.i]):
        if token.text in QUOTE_MARKS:
            return None
        if token.lower_ in ("he", "she") and PERSON_PRONOUNS[token.lower_] == gender:
            return token if token.dep_ in ("nsubj", "nsubjpass") else None
    return None


def _up_to(token: Token, top: Token) -> list[Token]:
    """``token`` and its heads below ``top``."""
    found = []
    while token.i != top.i and token.head.i != token.i:
        found.append(token)
        token = token.head
    return found


class DocumentResolver(ResolverCore):
    """The resolver's core with pronouns and documents' makers."""

    def _pronoun(self, head: Token, offset: int) -> int | None:
        if _generic(head):
            return None
        if head.lower_ == "it" and head.dep_ == "nsubj":
            document = self._document_it(head)
            if document is not None:
                return document
        earlier = _same_sentence_subject(head)
        if earlier is not None:
            # "He concludes that ... and to him, ...": whom the sentence's "he" stands for
            return self._pronoun(earlier, earlier.idx)
        # "Both said ...": the two named together last, as "they" would be
        lower = "they" if head.lower_ == "both" else head.lower_
        accept = self.pronoun_candidates(lower)
        ahead = self._fronted_subject(head, accept)
        if ahead is not None:
            return ahead
        if lower in PLURAL_PRONOUNS:
            accept |= set(self.coordinations) | set(self.plural_subjects)
        found = self.ranked(offset, accept)
        if found in self.plural_subjects:
            return self._plural_subject(self.plural_subjects[found])
        if found is not None and found < 0:
            return self._group(self.coordinations[found])
        return found

    def _plural_subject(self, token: Token) -> int:
        """The unnamed group a plural subject describes ("voters who identify as independents")."""
        # its phrase, without a clause the parse hung inside it ("... independents do so")
        kept = [
            t
            for t in token.subtree
            if not any(
                a.dep_ in ("advcl", "ccomp", "parataxis") or (a.dep_ == "conj" and a.pos_ in ("VERB", "AUX"))
                for a in _up_to(t, token)
            )
        ]
        while len(kept) > 1 and kept[-1].dep_ in ("cc", "punct"):
            kept.pop()  # "commuters who pay for a pass and [then miss their boat]"
        edges = (kept[0].idx, kept[-1].idx + len(kept[-1]))
        words = group_words(token, edges) or doc_text(self.doc)[edges[0] : edges[1]].split()
        return self._cluster_named("unnamed", words)

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

    def _document_it(self, pronoun: Token) -> int | None:
        """'The email was sent by Ana Ortiz ... “...,” it reads': "it" after a document that is
        the subject of a sentence before it, with no organisation named since, is that
        document, which speaks for its maker (``_maker_of``)."""
        for token in self.nouns_before(pronoun):
            lemma = token.lemma_.lower()
            if token.dep_ in ("nsubj", "nsubjpass") and (
                lemma in DOCUMENT_NOUNS | WRITING_NOUNS | AD_NOUNS or token.lower_ in DOCUMENT_NOUNS
            ):
                named_since = (self.token_map.get(j) for j in range(token.sent.end, pronoun.i))
                if any(c is not None and self.clusters[c].kind == "organization" for c in named_since):
                    return None  # an organisation named since is the better "it"
                return self._maker_of(token)
        return None

    def nouns_before(self, head: Token) -> Iterator[Token]:
        """The nouns before ``head``, nearest first, in its sentence and the
        ``DOCUMENT_SENTENCES`` before it: where an earlier mention of a document may be."""
        here = self._sentence(head.idx)
        for token in reversed(self.doc[: head.i]):
            if here - self._sentence(token.idx) > DOCUMENT_SENTENCES:
                return
            if token.pos_ == "NOUN":
                yield token

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
        found = self._writer(token)
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

    def _author(self, head: Token) -> int | None:
        """Who made the document: 'a study by the Urban Institute', 'new research from the Harbour
        Institute' (the document's own 'from'), 'a chart from a briefing that Mr. Okafor gives'
        (the subject of a clause on the phrase). A maker the entity tagger missed ('research from
        theCUBE') is an organisation of that proper name."""
        for token in head.subtree:
            if token.i == head.i:
                continue
            by_agent = _agent(token, head) or (
                token.dep_ == "appos" and _agent(token.head, head)  # "by the website Portwatch"
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

    def _writer(self, document: Token) -> int | None:
        """Who the document's own phrases say made it: its author ('by X', ``_author``), else
        the maker named before the noun (``_named_maker``)."""
        author = self._author(document)
        return author if author is not None else self._named_maker(document)

    def _named_maker(self, head: Token) -> int | None:
        """The maker named before a document noun: 'a recent Bank of Avalon report', 'a 2023
        Bankrate survey', 'a Harbour Post and Ocean Trust poll' (both). A name the entity
        tagger missed is an organisation of that proper name."""
        makers = [
            c
            for c in head.lefts
            if c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN" and c.ent_type_ not in ("DATE", "TIME")
        ]  # not "a Wednesday editorial"
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
        'Ana Ortiz announced it in a statement', 'a report by the agency'), or the speaker that
        document was as a source."""
        lemma = head.lemma_.lower()
        same = AD_NOUNS if lemma in AD_NOUNS else {lemma, head.lower_}
        if lemma == "study":
            same |= STUDY_KINDS  # "The study" after "a meta-analysis of 25 trials"
        for token in self.nouns_before(head):
            if token.lemma_.lower() in same or token.lower_ in same:
                found = self._maker_of(token)
                if found is None and token.tag_ == head.tag_ and not maker_phrase(token):
                    # "a study published in ...", a source whose maker the article never says:
                    # the speaker it was ("media reports" or "a report from X" are not)
                    found = self.document_sources.get(token.i)
                if found is not None:
                    return found
        return None

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
        administration', 'her campaign'); with none, the campaign of the person in view, the
        administration of the president in view."""
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
                owner: int | None = None
                if child.dep_ in ("poss", "compound") and child.i in self.token_map:
                    owner = self.token_map[child.i]
                elif child.dep_ == "poss" and child.lower_ in PERSON_PRONOUNS:
                    owner = self._pronoun(child, child.idx)  # "her campaign has raised ..."
                if owner is not None and self.clusters[owner].kind == "person":
                    return self._organisation_of(owner, head)
        # none named before: "The campaign said" is the campaign of the person in view, "the
        # administration" that of the president in view
        people = {i for i, c in enumerate(self.clusters) if c.kind == "person"}
        if head.lower_ == "administration":
            people = {i for i in people if "president" in self.clusters[i].description_words()}
        elif head.lower_ != "campaign":
            return None
        found = self.ranked(head.idx, people)
        return self._organisation_of(found, head) if found is not None else None

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
