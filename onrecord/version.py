"""The package's version and the extractor names that every quotation records (ground floor:
imports nothing of onrecord's)."""

from __future__ import annotations

__version__ = "0.2.0"
#: The rules alone (``--mode fast``).
EXTRACTOR = f"onrecord.rules.v1@{__version__}"
#: The learned tagger over the rules (``--mode accurate``).
LEARNED_EXTRACTOR = f"onrecord.tagger.v1@{__version__}"


def extractor_name(mode: str) -> str:
    """The extractor name a run in ``mode`` (``fast`` or ``accurate``) records."""
    return LEARNED_EXTRACTOR if mode == "accurate" else EXTRACTOR
