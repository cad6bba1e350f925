"""One article in, one ``Article`` out: ingest -> clean -> annotate (spaCy) -> attribute -> resolve."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language

from onrecord.ingest import Document
from onrecord.model import Article


class Pipeline:
    """Holds the spaCy pipeline; ``process`` streams documents through it in batches."""

    def __init__(self, nlp: Language | None = None, *, batch_size: int = 64) -> None:
        from onrecord.nlp.model import shared_model

        self.nlp = nlp if nlp is not None else shared_model()
        self.batch_size = batch_size

    def process(self, documents: Iterable[Document]) -> Iterator[Article]:
        """Yield one Article per Document, in order."""
        from onrecord import EXTRACTOR
        from onrecord.attribution import attribute
        from onrecord.resolve import resolve

        pairs = ((d.text, d) for d in documents)
        for doc, document in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.batch_size):
            candidates = attribute(doc)
            entities, quotes = resolve(doc, candidates, extractor=EXTRACTOR)
            yield Article(
                text=document.text,
                source_path=document.source_path,
                title=document.title,
                published=document.published,
                outlet=document.outlet,
                author=document.author,
                url=document.url,
                entities=entities,
                quotes=quotes,
            )

    def extract_document(self, document: Document) -> Article:
        return next(iter(self.process([document])))
