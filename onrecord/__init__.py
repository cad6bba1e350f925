"""onrecord: who said what, to whom, through which channel, and when.

>>> import onrecord
>>> article = onrecord.extract('Ms Lee told reporters: "We will win."')
>>> [(q.speaker.name if q.speaker else None, q.content_text) for q in article.quotes]
"""

from __future__ import annotations

import logging

from onrecord.model import SCHEMA, Article, Entity, Quote, Span, Speaker
from onrecord.options import DEFAULT_MIN_CONFIDENCE, DEFAULT_SCOPE, Mode, Scope
from onrecord.version import EXTRACTOR, LEARNED_EXTRACTOR, __version__

logging.getLogger(__name__).addHandler(logging.NullHandler())


def extract(
    text_or_html: str,
    *,
    clean: bool = True,
    source_path: str | None = None,
    url: str | None = None,
    mode: Mode = "accurate",
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    scope: Scope = DEFAULT_SCOPE,
) -> Article:
    """Extract every attributed quotation from one article given as plain text or HTML.

    ``clean=False`` keeps plain text exactly as given, so offsets refer to the input string.
    ``mode="fast"`` uses the rules alone, ``"accurate"`` the learned tagger over them.
    Quotations whose confidence is under ``min_confidence`` are left out. ``scope="attributions"``
    keeps what people think, plan or find as well as what they said (PolNeAR's notion).
    """
    # the facade imports spaCy only when asked to extract (``import onrecord`` stays light)
    from onrecord.ingest import from_string
    from onrecord.pipeline import Pipeline  # spaCy, only when asked to extract

    document = from_string(text_or_html, clean=clean, source_path=source_path, url=url)
    return Pipeline(mode=mode, min_confidence=min_confidence, scope=scope).extract_document(document)


__all__ = [
    "DEFAULT_MIN_CONFIDENCE",
    "DEFAULT_SCOPE",
    "EXTRACTOR",
    "LEARNED_EXTRACTOR",
    "SCHEMA",
    "Article",
    "Entity",
    "Quote",
    "Span",
    "Speaker",
    "__version__",
    "extract",
]
