"""The relations pages: who is for, against or unclear on a topic (stance), and who praises,
criticises or backs whom (the graph)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from onrecord.corpus.stance import stance
from onrecord.serve.views.common import MAX_PAGE, listing, month_range
from onrecord.store import Store

STANCE_CSV_COLUMNS = [
    "side", "speaker_id", "name", "article_id", "quote_id", "published", "outlet", "title",
    "cue", "target", "evidence", "confidence",
]  # fmt: skip
RELATION_CSV_COLUMNS = ["subject_id", "subject", "predicate", "object_id", "object", "count", "articles"]


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


#: The most edges the relations pages count and page through (the offset's limit and a page).
MAX_EDGES = 100_000 + MAX_PAGE


def relations_view(
    store: Store, *, limit: int = 100, offset: int = 0, default_limit: int = 100
) -> dict[str, Any]:
    """The who-with-whom graph of the corpus, one edge per speaker pair and predicate, most
    stated first: a page at a time, with the total and the links to the next and previous pages
    (``default_limit``, the route's, is left out of them)."""
    edges = store.relation_graph(limit=MAX_EDGES)
    return listing(
        "edges",
        edges[offset : offset + limit],
        q="",
        limit=limit,
        offset=offset,
        total=len(edges),
        default_limit=default_limit,
    )
