"""Scoring onrecord against annotated data.

- ``evaluate_polnear``: the PolNeAR corpus (brat standoff): per-role exact and token-overlap
  P/R/F1 (source, cue, content), one-to-one relation matching, recall by quote type, and with
  ``dev_resolved.jsonl`` speaker accuracy by how the source names the speaker, medium and
  addressee.
- ``evaluate_seed``: the hand-annotated seed articles, run end to end with cleaning on.

Both return a report with ``to_dict()`` (JSON) and ``render()`` (text tables). The scoring
functions themselves are pure and live in ``onrecord.evaluate.metrics``.
"""

from __future__ import annotations

from onrecord.datasets.polnear import parse_ann, quote_type_of, read_split
from onrecord.evaluate.polnear import evaluate_polnear
from onrecord.evaluate.report import PolnearReport, SpeakerReport
from onrecord.evaluate.seed import evaluate_seed
from onrecord.evaluate.seed_report import SeedReport

__all__ = [
    "PolnearReport",
    "SeedReport",
    "SpeakerReport",
    "evaluate_polnear",
    "evaluate_seed",
    "parse_ann",
    "quote_type_of",
    "read_split",
]
