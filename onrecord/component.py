"""The ``onrecord_quotes_v1`` spaCy pipeline component: ``onrecord.engine`` on each doc.

    >>> nlp = onrecord.nlp.model.load_pipeline()  # the checked model, paragraph breaks as sentence starts
    >>> nlp.add_pipe("onrecord_quotes_v1")  # or config={"mode": "fast", "scope": "attributions"}
    >>> doc = nlp('“We will win,” Ms Lee told reporters.')
    >>> doc._.quotes, doc.spans["onrecord_content"], article_of(doc).to_json()

It gives what ``onrecord extract`` gives for the same text (the same engine runs):

- ``doc._.quotes``: list of ``onrecord.model.Quote`` (speaker, medium, addressee resolved);
- ``doc._.speakers``: list of ``onrecord.model.Entity`` (every entity, speaking or not);
- ``doc._.relations``, ``doc._.stances``: ``onrecord.model.Relation`` and ``Stance`` lists;
- ``doc.spans["onrecord_content"]``, ``["onrecord_cue"]``, ``["onrecord_source"]``: the
  roles as spaCy spans, labelled with the quotation id.

Requires a dependency parse and named entities (``parser``, ``ner``). A doc that makes the
component fail gets empty results and the error in ``doc._.onrecord_error`` instead of
stopping ``nlp.pipe``.
"""

from __future__ import annotations

import logging

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from onrecord.engine import Engine, Resolution
from onrecord.model import Article, Entity, Quote, Span
from onrecord.options import checked_mode, checked_scope

logger = logging.getLogger(__name__)

FACTORY = "onrecord_quotes_v1"

for _name in ("quotes", "speakers", "relations", "stances", "onrecord_error"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class OnrecordComponent:
    def __init__(self, nlp: Language, name: str, extractor: str, mode: str, scope: str) -> None:
        self.name = name
        self.engine = Engine(mode=checked_mode(mode), scope=checked_scope(scope), extractor=extractor)

    def __call__(self, doc: Doc) -> Doc:
        try:
            found = self.engine.run(doc)
        except Exception as e:  # one bad doc must not stop nlp.pipe
            logger.warning("onrecord failed on a doc: %s", e)
            set_annotations(doc, Resolution([], [], [], []))
            doc._.onrecord_error = f"{type(e).__name__}: {e}"
            return doc
        set_annotations(doc, found)
        return doc


def _as_spacy(doc: Doc, span: Span, label: str) -> SpacySpan | None:
    return doc.char_span(span.start, span.end, label=label, alignment_mode="expand")


def set_annotations(doc: Doc, found: Resolution) -> None:
    doc._.quotes = found.quotes
    doc._.speakers = found.entities
    doc._.relations = found.relations
    doc._.stances = found.stances
    quotes: list[Quote] = found.quotes
    for role in ("content", "cue", "source"):
        spans: list[SpacySpan] = []
        for quote in quotes:
            role_spans = quote.content if role == "content" else [getattr(quote, role)]
            for span in role_spans:
                if span is not None and (spacy_span := _as_spacy(doc, span, quote.id)) is not None:
                    spans.append(spacy_span)
        doc.spans[f"onrecord_{role}"] = spans


def article_of(doc: Doc) -> Article:
    """The component's results on ``doc`` as the ``Article`` ``onrecord extract`` writes (no
    metadata: a doc has none)."""
    entities: list[Entity] = doc._.speakers or []
    return Article(
        text=doc.text,
        entities=entities,
        quotes=doc._.quotes or [],
        relations=doc._.relations or [],
        stances=doc._.stances or [],
    )


@Language.factory(
    FACTORY,
    assigns=["doc._.quotes", "doc._.speakers", "doc._.relations", "doc._.stances", "doc.spans"],
    requires=["token.dep", "token.head", "token.lemma", "doc.ents"],
    default_config={"extractor": "", "mode": "accurate", "scope": "quotations"},
)
def make_onrecord(nlp: Language, name: str, extractor: str, mode: str, scope: str) -> OnrecordComponent:
    return OnrecordComponent(nlp, name, extractor, mode, scope)
