"""Building the spaCy pipeline onrecord runs on."""

from __future__ import annotations

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
