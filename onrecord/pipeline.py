"""Articles in, ``Article`` records out: parse (spaCy) in batches, then ``onrecord.engine`` per doc.

Very long texts (over ``max_chars``, 100,000 characters by default: a book-length page, a
transcript) are parsed in pieces cut at paragraph breaks, because the parser's memory grows with
the length of a doc; the pieces' quotations and entities are put back together with their
offsets into the whole text, and entities of the same name and kind are joined.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from onrecord.engine import Engine, Resolution
from onrecord.ingest import Document
from onrecord.model import Article, Entity, Quote, Relation, Span, Speaker, Stance
from onrecord.nlp.model import shared_model
from onrecord.options import DEFAULT_MIN_CONFIDENCE, DEFAULT_MODE, DEFAULT_SCOPE, Mode, Scope

DEFAULT_MAX_CHARS = 100_000
#: Characters parsed together in one ``nlp.pipe`` batch (what bounds memory; see ``_parsed``).
BATCH_CHARS = 100_000

Part = tuple[int, Resolution]


def split_long(text: str, max_chars: int) -> list[tuple[int, str]]:
    """(offset, piece) pairs covering ``text``, each piece at most ``max_chars`` long, cut after a
    line break where there is one (else after a space, else anywhere)."""
    if len(text) <= max_chars:
        return [(0, text)]
    pieces: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + max_chars)
        if end < len(text):
            cut = text.rfind("\n", start + max_chars // 2, end)
            if cut < 0:
                cut = text.rfind(" ", start + max_chars // 2, end)
            if cut >= 0:
                end = cut + 1
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def _shift(span: Span | None, offset: int) -> Span | None:
    return Span(span.start + offset, span.end + offset, span.text) if span is not None else None


def _shifted(span: Span, offset: int) -> Span:
    return Span(span.start + offset, span.end + offset, span.text)


def merge_parts(parts: list[Part]) -> Resolution:
    """Entities, quotations, relations and stances of a text's pieces, with offsets into the
    whole text."""
    if len(parts) == 1 and parts[0][0] == 0:
        return parts[0][1]
    entities: list[Entity] = []
    by_key: dict[tuple[str, str], Entity] = {}
    quotes: list[Quote] = []
    relations: list[Relation] = []
    stances: list[Stance] = []
    for offset, (part_entities, part_quotes, part_relations, part_stances) in parts:
        renamed: dict[str, str] = {}
        for entity in part_entities:
            key = (entity.name, entity.kind)
            target = by_key.get(key) if entity.kind != "unnamed" else None
            mentions = [s for s in (_shift(m, offset) for m in entity.mentions) if s is not None]
            if target is None:
                target = Entity(f"e{len(entities) + 1}", entity.name, entity.kind, [], [])
                entities.append(target)
                by_key.setdefault(key, target)
            target.mentions.extend(mentions)
            target.descriptions.extend(d for d in entity.descriptions if d not in target.descriptions)
            renamed[entity.id] = target.id
        quote_ids: dict[str, str] = {}

        def moved(ref: Speaker, renamed: dict[str, str] = renamed) -> Speaker:
            return Speaker(renamed[ref.entity], ref.name)

        for quote in part_quotes:
            quote_ids[quote.id] = f"q{len(quotes) + 1}"
            speaker = quote.speaker
            quotes.append(
                replace(
                    quote,
                    id=f"q{len(quotes) + 1}",
                    content=[s for s in (_shift(c, offset) for c in quote.content) if s is not None],
                    cue=_shift(quote.cue, offset),
                    source=_shift(quote.source, offset),
                    medium=_shift(quote.medium, offset),
                    addressee=_shift(quote.addressee, offset),
                    speaker=moved(speaker) if speaker is not None else None,
                    speakers=[moved(member) for member in quote.speakers],
                )
            )
        for relation in part_relations:
            relations.append(
                replace(
                    relation,
                    subject=moved(relation.subject),
                    object=moved(relation.object),
                    evidence=_shifted(relation.evidence, offset),
                    cue=_shift(relation.cue, offset),
                )
            )
        for stance in part_stances:
            stances.append(
                replace(
                    stance,
                    holder=moved(stance.holder),
                    target=_shifted(stance.target, offset),
                    evidence=_shifted(stance.evidence, offset),
                    cue=_shift(stance.cue, offset),
                    quote=quote_ids.get(stance.quote) if stance.quote is not None else None,
                )
            )
    return Resolution(entities, quotes, relations, stances)


class Pipeline:
    """Holds the spaCy pipeline; ``process`` streams documents through it in batches.

    ``mode="fast"`` attributes with the rules alone; ``mode="accurate"`` (the default) runs the
    learned tagger (``onrecord.learn``) over the rules' output. ``scope="quotations"`` (the
    default) keeps what people said; ``"attributions"`` adds what they think, plan or find, as
    PolNeAR annotates (``onrecord.attribution.precision``). Quotations under ``min_confidence``
    are left out.
    """

    def __init__(
        self,
        nlp: Language | None = None,
        *,
        mode: Mode = DEFAULT_MODE,
        batch_size: int = 64,
        max_chars: int = DEFAULT_MAX_CHARS,
        model_path: str | None = None,
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
        scope: Scope = DEFAULT_SCOPE,
    ) -> None:
        self.engine = Engine(mode=mode, scope=scope, min_confidence=min_confidence, model_path=model_path)
        self.nlp = nlp if nlp is not None else shared_model()
        self.batch_size = batch_size
        self.max_chars = max_chars

    @property
    def mode(self) -> Mode:
        return self.engine.mode

    @property
    def scope(self) -> Scope:
        return self.engine.scope

    @property
    def min_confidence(self) -> float:
        return self.engine.min_confidence

    @property
    def extractor(self) -> str:
        return self.engine.extractor

    def process(self, documents: Iterable[Document]) -> Iterator[Article]:
        """Yield one Article per Document, in order."""

        def pieces() -> Iterator[tuple[str, tuple[int, int, Document]]]:
            for index, document in enumerate(documents):
                for offset, piece in split_long(document.text, self.max_chars):
                    yield piece, (index, offset, document)

        current: tuple[int, Document] | None = None
        parts: list[Part] = []
        for doc, (index, offset, document) in self._parsed(pieces()):
            if current is not None and index != current[0]:
                yield self._article(current[1], parts)
                parts = []
            current = (index, document)
            parts.append((offset, self.engine.run(doc, byline=document.author, title=document.title)))
        if current is not None:
            yield self._article(current[1], parts)

    def _parsed(self, pieces: Iterator[tuple[str, Any]]) -> Iterator[tuple[Doc, Any]]:
        """The pieces parsed by ``nlp.pipe`` in batches of at most ``batch_size`` pieces and
        ``BATCH_CHARS`` characters (a longer piece alone): spaCy holds a whole batch's docs
        and activations at once, so memory follows the batch, not the input; a 5 MB text is
        parsed a piece at a time, in the memory of one piece."""
        batch: list[tuple[str, Any]] = []
        size = 0
        for piece in pieces:
            if batch and (len(batch) >= self.batch_size or size + len(piece[0]) > BATCH_CHARS):
                yield from self.nlp.pipe(batch, as_tuples=True, batch_size=len(batch))
                batch, size = [], 0
            batch.append(piece)
            size += len(piece[0])
        if batch:
            yield from self.nlp.pipe(batch, as_tuples=True, batch_size=len(batch))

    @staticmethod
    def _article(document: Document, parts: list[Part]) -> Article:
        entities, quotes, relations, stances = merge_parts(parts)
        return Article(
            text=document.text,
            source_path=document.source_path,
            title=document.title,
            published=document.published,
            outlet=document.outlet,
            author=document.author,
            url=document.url,
            entities=entities,
            quotes=quotes,
            relations=relations,
            stances=stances,
        )

    def extract_document(self, document: Document) -> Article:
        return next(iter(self.process([document])))
