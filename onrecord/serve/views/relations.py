"""The relations pages: who is for, against or unclear on a topic (stance), and who praises,
criticises or backs whom (the graph)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from onrecord.corpus.stance import stance
from onrecord.serve.views.common import month_range
from onrecord.store import Store

STANCE_CSV_COLUMNS = [
    "side", "speaker_id", "name", "article_id", "quote_id", "published", "outlet", "title",
    "cue", "target", "evidence", "confidence",
]  # fmt: skip


def stance_view(store: Store, topic: str) -> dict[str, Any]:
    """Speakers for, against and unclear on a topic with their statements, and each side's
    statements per month for the chart."""
    answer = stance(store, topic)
    months: Counter[str] = Counter()
    for side in ("for", "against"):
        for month, count in answer["timeline"][side].items():
            if re.match(r"\d{4}-\d{2}$", month):
                months[month] += count
    answer["per_month"] = [
        {
            "month": m,
            "for": answer["timeline"]["for"].get(m, 0),
            "against": answer["timeline"]["against"].get(m, 0),
        }
        for m in month_range(months)
    ]
    return answer


def stance_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The stance page's statements, one row each, with their side and speaker."""
    return [
        {"side": side, "speaker_id": holder["speaker_id"], "name": holder["name"], **evidence}
        for side in ("for", "against", "unclear")
        for holder in data[side]
        for evidence in holder["evidence"]
    ]


def relations_view(store: Store, *, limit: int = 200) -> dict[str, Any]:
    """The who-with-whom graph of the corpus: one edge per speaker pair and predicate."""
    return {"edges": store.relation_graph(limit=limit), "limit": limit}
