"""Building the spaCy pipeline onrecord runs on."""

from __future__ import annotations

import os
import sys


def import_spacy_without_torch() -> None:
    """Import spaCy in a process that only extracts, with PyTorch hidden from thinc.

    thinc imports torch whenever it is installed (``thinc.compat``), which costs about 1.8 s and
    a few hundred MB in every process that loads spaCy, though onrecord runs no torch model (the
    tagger runs on onnxruntime; torch comes with the ``train`` extra only). Called by the
    ``onrecord`` command and by extraction workers (pool processes, Ray actors) before anything
    imports spaCy. torch imports as usual afterwards (``onrecord train`` uses it directly), but
    thinc will not use it in this process. Does nothing once thinc or torch is imported.
    """
    if "thinc.compat" in sys.modules or "torch" in sys.modules:
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes ``import torch`` raise ImportError
    try:
        import spacy  # noqa: F401
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]


def extraction_threads() -> int:
    """Threads for one extraction process (``ONRECORD_THREADS``, 1 by default): the tagger's
    onnxruntime session and, in the processes ``init_extraction_process`` sets up, numpy's BLAS."""
    return int(os.environ.get("ONRECORD_THREADS", "1"))


def init_extraction_process() -> None:
    """Set up a process that runs the extraction: the ``onrecord`` commands that load spaCy, pool
    workers and Ray actors, before they load a model.

    spaCy is imported with PyTorch hidden (``import_spacy_without_torch``), and numpy's BLAS,
    which runs the model's matrix products (``onrecord.nlp.model``), is held to
    ``ONRECORD_THREADS`` threads (1 by default), like the tagger's onnxruntime session: such a
    process is one of several, one per core. Library users keep their own BLAS settings.
    """
    import_spacy_without_torch()
    from threadpoolctl import threadpool_limits  # after spaCy is imported without torch (above)

    threadpool_limits(limits=extraction_threads(), user_api="blas")
