"""``onrecord_paragraphs``: a sentence never runs across a line break.

News text comes one paragraph per line; the parser, left alone, sometimes joins a headline to
the first paragraph or a quotation's last line to the next. Placed before the parser, this
component marks the first token of every line as a sentence start, which the parser respects.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("onrecord_paragraphs", assigns=["token.is_sent_start"])
def mark_paragraphs(doc: Doc) -> Doc:
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text_with_ws and not token.is_space:
            token.is_sent_start = True
    return doc
