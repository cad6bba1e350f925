"""The ``onrecord`` spaCy pipeline component.

    >>> nlp = onrecord.nlp.model.load_model()
    >>> nlp.add_pipe("onrecord")  # or config={"mode": "fast", "scope": "attributions"}
    >>> doc = nlp('“We will win,” Ms Lee told reporters.')
    >>> doc._.quotes, doc.spans["onrecord_content"]

Assigns:

- ``doc._.quotes``: list of ``onrecord.model.Quote`` (speaker, medium, addressee resolved);
- ``doc._.speakers``: list of ``onrecord.model.Entity``;
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

from onrecord.attribution.precision import Scope
from onrecord.model import Entity, Quote, Span

logger = logging.getLogger(__name__)

for _name in ("quotes", "speakers", "onrecord_error"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class OnrecordComponent:
    def __init__(
        self, nlp: Language, name: str, extractor: str, mode: str, scope: str = "quotations"
    ) -> None:
        from onrecord import EXTRACTOR, LEARNED_EXTRACTOR

        if mode not in ("fast", "accurate"):
            raise ValueError(f"mode must be fast or accurate, not {mode!r}")
        if scope not in ("quotations", "attributions"):
            raise ValueError(f"scope must be quotations or attributions, not {scope!r}")
        self.name = name
        self.mode = mode
        self.scope: Scope = "attributions" if scope == "attributions" else "quotations"
        self.extractor = extractor or (LEARNED_EXTRACTOR if mode == "accurate" else EXTRACTOR)
        self.tagger = None
        if mode == "accurate":
            from onrecord.learn.tagger import shared_tagger

            self.tagger = shared_tagger()

    def __call__(self, doc: Doc) -> Doc:
        from onrecord.attribution import candidates
        from onrecord.resolve import resolve

        try:
            entities, quotes, _, _ = resolve(
                doc, candidates(doc, self.tagger), extractor=self.extractor, scope=self.scope
            )
        except Exception as e:  # one bad doc must not stop nlp.pipe
            logger.warning("onrecord failed on a doc: %s", e)
            doc._.quotes, doc._.speakers, doc._.onrecord_error = [], [], f"{type(e).__name__}: {e}"
            return doc
        set_annotations(doc, entities, quotes)
        return doc


def _as_spacy(doc: Doc, span: Span, label: str) -> SpacySpan | None:
    return doc.char_span(span.start, span.end, label=label, alignment_mode="expand")


def set_annotations(doc: Doc, entities: list[Entity], quotes: list[Quote]) -> None:
    doc._.quotes = quotes
    doc._.speakers = entities
    for role in ("content", "cue", "source"):
        spans: list[SpacySpan] = []
        for quote in quotes:
            role_spans = quote.content if role == "content" else [getattr(quote, role)]
            for span in role_spans:
                if span is not None and (spacy_span := _as_spacy(doc, span, quote.id)) is not None:
                    spans.append(spacy_span)
        doc.spans[f"onrecord_{role}"] = spans


@Language.factory(
    "onrecord",
    assigns=["doc._.quotes", "doc._.speakers", "doc.spans"],
    requires=["token.dep", "token.head", "token.lemma", "doc.ents"],
    default_config={"extractor": "", "mode": "accurate", "scope": "quotations"},
)
def make_onrecord(nlp: Language, name: str, extractor: str, mode: str, scope: str) -> OnrecordComponent:
    return OnrecordComponent(nlp, name, extractor, mode, scope)
