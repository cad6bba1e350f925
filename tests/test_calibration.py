"""Reliability bins and the expected calibration error; the calibrated confidence lookup."""

from __future__ import annotations

import pytest

from onrecord.evaluate.calibration import Reliability
from onrecord.resolve import confidence


def test_perfectly_calibrated_predictions_have_zero_ece() -> None:
    reliability = Reliability()
    reliability.extend([(0.25, True)] + [(0.25, False)] * 3 + [(0.95, True)] * 19 + [(0.95, False)])
    assert reliability.ece == pytest.approx(0.0, abs=1e-9)


def test_overconfident_predictions_have_a_large_ece() -> None:
    reliability = Reliability()
    reliability.extend([(0.9, False)] * 9 + [(0.9, True)])
    assert reliability.ece == pytest.approx(0.8)
    assert reliability.to_dict()["bins"] == [
        {"low": 0.9, "high": 1.0, "count": 10, "accuracy": 0.1, "confidence": 0.9}
    ]


def test_calibrated_falls_back_to_the_rule_then_the_prior(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(confidence, "table", lambda: {"cue.ccomp|direct|source": 0.9, "cue.ccomp|*|*": 0.7})
    assert confidence.calibrated("cue.ccomp", "direct", True, prior=0.5) == 0.9
    assert confidence.calibrated("cue.ccomp", "mixed", False, prior=0.5) == 0.7
    assert confidence.calibrated("dash", "direct", True, prior=0.5) == 0.5


def test_shipped_table_is_probabilities() -> None:
    table = confidence.table()
    assert table, "onrecord/resolve/calibration.json is missing"
    assert all(0.0 < value < 1.0 for value in table.values())
