"""``onrecord_paragraphs``: a sentence never runs across a line break.

News text comes one paragraph per line; the parser, left alone, sometimes joins a headline to
the first paragraph or a quotation's last line to the next. Placed before the parser, this
component marks the first token of every line as a sentence start, which the parser respects.
"""

from __future__ import annotations

from typing import cast

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from thinc.types import Ints2d


@Language.component("onrecord_paragraphs", assigns=["token.is_sent_start"])
def mark_paragraphs(doc: Doc) -> Doc:
    # set as one array: token by token, each assignment costs time in proportion to the
    # sentence around it (minutes on a text of 200,000 short paragraphs)
    starts = doc.to_array(SENT_START).astype("int64")  # one value per token: 1, -1 or 0 (unset)
    changed = False
    previous = None
    for token in doc:
        if previous is None:
            pass
        elif "\n" in previous.text_with_ws:
            if not token.is_space and starts[token.i] != 1:
                starts[token.i] = 1
                changed = True
        elif (
            token.text[:1].islower()
            and not previous.is_punct
            and not previous.is_space
            and starts[token.i] == 0
        ):
            # a word in lower case right after a word, nothing between, goes on the sentence:
            # the parser cut "Ortiz and Lutz said" after its first name, at a text's start
            starts[token.i] = -1
            changed = True
        previous = token
    if changed:
        doc.from_array([SENT_START], cast(Ints2d, starts.astype("uint64").reshape(-1, 1)))
    return doc
