"""What the rest of onrecord reads off a parsed Doc once, without a Token object per word:
``Doc.text`` rebuilds the string from the tokens on every read, and ``Doc.sents`` makes a Token
for every word."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from spacy.attrs import SENT_START
from spacy.tokens import Doc

_KEY = "onrecord_text"


def doc_text(doc: Doc) -> str:
    """The doc's text, computed once and kept in ``doc.user_data``."""
    text = doc.user_data.get(_KEY)
    if not isinstance(text, str):
        text = doc.text
        doc.user_data[_KEY] = text
    return text


def sentence_starts(doc: Doc) -> npt.NDArray[np.bool_]:
    """True at the first token of each sentence, as ``doc.sents`` cuts them (the first token
    always), read off the doc's array."""
    flags: npt.NDArray[np.bool_] = np.asarray(doc.to_array([SENT_START])).reshape(-1) == 1
    if len(flags):
        flags[0] = True
    return flags
