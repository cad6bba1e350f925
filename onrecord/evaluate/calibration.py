"""Is ``confidence`` honest? Reliability of predicted quotations, and the expected calibration error.

A predicted quotation is *right* when it is matched one-to-one to a gold relation (content token
Jaccard >= 0.5) and its source overlaps the gold source (a gold relation without a source asks
for nothing more). Quotations are put in ten equal-width confidence bins; the expected
calibration error (ECE) is the mean of |accuracy - mean confidence| over bins, weighted by
their size.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

BINS = 10


@dataclass(slots=True)
class Bin:
    low: float
    high: float
    count: int = 0
    right: int = 0
    confidence_sum: float = 0.0

    @property
    def accuracy(self) -> float:
        return self.right / self.count if self.count else 0.0

    @property
    def confidence(self) -> float:
        return self.confidence_sum / self.count if self.count else 0.0


@dataclass(slots=True)
class Reliability:
    """Predictions as (confidence, right) pairs, binned."""

    bins: list[Bin] = field(default_factory=lambda: [Bin(i / BINS, (i + 1) / BINS) for i in range(BINS)])

    def add(self, confidence: float, right: bool) -> None:
        index = min(BINS - 1, max(0, int(confidence * BINS)))
        target = self.bins[index]
        target.count += 1
        target.right += int(right)
        target.confidence_sum += confidence

    def extend(self, pairs: Iterable[tuple[float, bool]]) -> None:
        for confidence, right in pairs:
            self.add(confidence, right)

    @property
    def total(self) -> int:
        return sum(b.count for b in self.bins)

    @property
    def ece(self) -> float:
        total = self.total
        if not total:
            return 0.0
        return sum(b.count / total * abs(b.accuracy - b.confidence) for b in self.bins if b.count)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ece": round(self.ece, 4),
            "predictions": self.total,
            "bins": [
                {
                    "low": b.low,
                    "high": b.high,
                    "count": b.count,
                    "accuracy": round(b.accuracy, 4),
                    "confidence": round(b.confidence, 4),
                }
                for b in self.bins
                if b.count
            ],
        }
