"""``Doc.text`` rebuilds the string from the tokens on every read; read it once per doc."""

from __future__ import annotations

from spacy.tokens import Doc

_KEY = "onrecord_text"


def doc_text(doc: Doc) -> str:
    """The doc's text, computed once and kept in ``doc.user_data``."""
    text = doc.user_data.get(_KEY)
    if not isinstance(text, str):
        text = doc.text
        doc.user_data[_KEY] = text
    return text
