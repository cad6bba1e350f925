"""The engine: one parsed doc in, its quotations, entities, relations and stances out.

Every entry point runs this and nothing else: ``Pipeline.process`` (the CLI, the server, the
corpus, ``onrecord.extract``) and the spaCy component (``onrecord.component``). The stages, in
order:

1. **attribute** (``onrecord.attribution``, with ``onrecord.learn``'s tagger in accurate mode):
   candidate content, cue and source spans;
2. **resolve** (``onrecord.resolve``): each candidate's speaker, medium and addressee, and the
   article's entities; the confidence threshold and the scope drop quotations here;
3. **relate** (``onrecord.relate``): relations and stances between the entities;
4. **assemble** (here): the output records, entity ids in order of the entity list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from spacy.tokens import Doc

from onrecord.attribution import candidates
from onrecord.learn.tagger import LearnedTagger, shared_tagger
from onrecord.model import Entity, Quote, Relation, Span, Speaker, Stance
from onrecord.nlp.text import doc_text
from onrecord.options import (
    DEFAULT_MIN_CONFIDENCE,
    DEFAULT_MODE,
    DEFAULT_SCOPE,
    Mode,
    Scope,
    checked_min_confidence,
    checked_mode,
    checked_scope,
)
from onrecord.relate import FoundRelation, FoundStance, relate
from onrecord.resolve import Resolved, resolve
from onrecord.version import extractor_name


class Resolution(NamedTuple):
    """One doc's output records (offsets into that doc's text)."""

    entities: list[Entity]
    quotes: list[Quote]
    relations: list[Relation]
    stances: list[Stance]


@dataclass
class Engine:
    """The options of a run and the learned tagger they need (loaded once, shared)."""

    mode: Mode = DEFAULT_MODE
    scope: Scope = DEFAULT_SCOPE
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    model_path: str | None = None
    extractor: str = ""
    tagger: LearnedTagger | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.mode = checked_mode(self.mode)
        self.scope = checked_scope(self.scope)
        self.min_confidence = checked_min_confidence(self.min_confidence)
        self.extractor = self.extractor or extractor_name(self.mode)
        if self.mode == "accurate":
            self.tagger = shared_tagger(self.model_path)

    def run(self, doc: Doc, *, byline: str | None = None, title: str | None = None) -> Resolution:
        """One parsed doc's records. ``byline``: the page's author as its metadata gives it
        (who an "I" outside any quotation is, with the bylines the text holds); ``title``: its
        headline, when the text does not hold it (a full name only the headline gives)."""
        resolved = resolve(
            doc,
            candidates(doc, self.tagger),
            extractor=self.extractor,
            min_confidence=self.min_confidence,
            byline=byline,
            title=title,
            scope=self.scope,
        )
        found_relations, found_stances = relate(resolved)
        return assemble(resolved, found_relations, found_stances)


def assemble(resolved: Resolved, relations: list[FoundRelation], stances: list[FoundStance]) -> Resolution:
    """The output records: entities with ids, each quotation's speaker (and its members, for a
    group), relations and stances between entities that are output."""
    text = doc_text(resolved.doc)
    clusters = resolved.clusters
    entities, ids = resolved.entities()

    def ref(cluster: int) -> Speaker:
        return Speaker(ids[cluster], clusters[cluster].name)

    quotes = resolved.quotes
    for quote, cluster in zip(quotes, resolved.speakers, strict=True):
        if cluster is not None and cluster in ids:
            quote.speaker = ref(cluster)
            members = [ref(m) for m in clusters[cluster].members if m in ids]
            if len(members) >= 2:
                quote.speakers = members
    return Resolution(
        entities,
        quotes,
        [
            Relation(
                ref(r.subject),
                r.predicate,
                ref(r.object),
                Span.of(text, *r.evidence),
                Span.of(text, *r.cue),
                r.confidence,
            )
            for r in relations
            if r.subject in ids and r.object in ids
        ],
        [
            Stance(
                ref(s.holder),
                s.side,
                Span.of(text, *s.target),
                Span.of(text, *s.evidence),
                Span.of(text, *s.cue),
                quotes[s.quote].id if s.quote is not None else None,
                s.confidence,
            )
            for s in stances
            if s.holder in ids
        ],
    )
