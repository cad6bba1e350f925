"""Calibrated confidence: how often a quotation of this kind is right, measured on PolNeAR train.

``calibration.json`` (next to this module) maps a key ``rule|type|source`` (for example
``cue.ccomp|indirect|source``) to the share of such predictions that were right on the PolNeAR
train split: matched to a gold relation (content token Jaccard >= 0.5) with the source
overlapping the gold source. Keys seen fewer than a handful of times fall back to the rule
alone, then to the rule's prior. Rebuild with ``python scripts/build_calibration.py``; measure
with ``onrecord eval polnear`` (expected calibration error and a reliability table, on dev).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

TABLE_PATH = Path(__file__).with_name("calibration.json")


def calibration_key(rule: str, quote_type: str, has_source: bool) -> str:
    return f"{rule}|{quote_type}|{'source' if has_source else 'none'}"


@lru_cache(maxsize=1)
def table() -> dict[str, float]:
    """The calibration table, or an empty one when the file is absent."""
    if not TABLE_PATH.exists():
        return {}
    data = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
    return {str(k): float(v) for k, v in data.get("accuracy", {}).items()}


def calibrated(rule: str, quote_type: str, has_source: bool, prior: float) -> float:
    """The measured accuracy of predictions like this one, else ``prior``."""
    known = table()
    for key in (calibration_key(rule, quote_type, has_source), f"{rule}|*|*"):
        if key in known:
            return known[key]
    return prior
