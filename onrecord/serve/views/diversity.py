"""The diversity page: who gets quoted (women, men, organisations, unnamed sources), per outlet
and per month, with its charts."""

from __future__ import annotations

import calendar
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from onrecord.serve.views.common import month_range, query_string
from onrecord.serve.views.search import SearchParams
from onrecord.store import SearchFilters, Store
from onrecord.store.columns import DIVERSITY_COLUMNS
from onrecord.store.search import query_fields

#: What the diversity page groups by, and the columns of its CSV (those of ``onrecord diversity``).
DIVERSITY_BY = ("outlet", "month")
DIVERSITY_CSV_COLUMNS = list(DIVERSITY_COLUMNS)
#: The kinds of speaker a stacked bar shows, in order, with their labels.
DIVERSITY_KINDS = (
    ("female", "women"),
    ("male", "men"),
    ("unknown", "gender unknown"),
    ("organization", "organisations"),
    ("group", "groups"),
    ("unnamed", "unnamed sources"),
)
#: The outlet chart's geometry (SVG user units): its width, the longest bar, a bar's height, a row's.
CHART_WIDTH, BAR_SPAN, BAR_HEIGHT, ROW_HEIGHT = 420, 365, 22, 50
MAX_BARS = 40  # outlets in the chart (all of them in the table)


@dataclass(frozen=True, slots=True)
class DiversityParams:
    by: str = "outlet"
    topic: str = ""
    min_confidence: float | None = None

    def as_query(self, **changes: Any) -> str:
        values = {
            "by": self.by if self.by != "outlet" else None,
            "topic": self.topic,
            "min_confidence": self.min_confidence,
        }
        values.update(changes)
        return query_string(values)

    def search(self, **filters: Any) -> str:
        """The search page of the quotations behind a group: this topic and confidence, and
        ``filters`` (an outlet, a date range)."""
        return (
            "/search?" + SearchParams(q=self.topic, min_confidence=self.min_confidence, **filters).as_query()
        )


def diversity_rows(store: Store, by: Sequence[str], params: DiversityParams) -> list[dict[str, Any]]:
    """``store.diversity`` grouped ``by``, over the quotations the search page finds for the
    topic: its ``speaker:``, ``outlet:`` and ``type:`` fields become filters, as search reads
    them, and the rest is matched as one query, so each group's ``quotes`` is the total of the
    search it links to."""
    text, fields = query_fields(params.topic)
    filters = SearchFilters(
        speaker=fields.get("speaker"),
        outlet=fields.get("outlet"),
        type=fields.get("type"),
        min_confidence=params.min_confidence,
    )
    return store.diversity(list(by), topics=[text] if text.strip() else [], filters=filters)


def diversity_view(
    store: Store, params: DiversityParams, *, rows: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Who gets quoted, grouped by outlet or month: the rows of ``onrecord diversity --by``
    (``rows`` when the caller has them already), with the parameters that made them."""
    return {
        "by": params.by,
        "topic": params.topic,
        "min_confidence": params.min_confidence,
        "rows": rows if rows is not None else diversity_rows(store, [params.by], params),
    }


def diversity_page(store: Store, params: DiversityParams) -> dict[str, Any]:
    """The diversity page: the totals, a stacked bar per outlet and the share of women among
    the people quoted per month, each bar with the link to its quotations."""
    outlets = diversity_rows(store, ["outlet"], params)
    months = diversity_rows(store, ["month"], params)
    totals = diversity_rows(store, [], params)
    return {
        **diversity_view(store, params, rows=outlets if params.by == "outlet" else months),
        "params": params,
        "total": totals[0] if totals else None,
        "kinds": DIVERSITY_KINDS,
        "outlets": outlets,
        "months": months,
        "outlet_chart": _outlet_chart(outlets, params),
        "month_chart": _month_chart(months, params),
        "order": ["outlet", "month"] if params.by == "outlet" else ["month", "outlet"],
    }


def _outlet_chart(rows: list[dict[str, Any]], params: DiversityParams) -> dict[str, Any]:
    """A horizontal bar per outlet (the most quoted first), its segments the kinds of speaker,
    each as long as its count; a bar links to the search for that outlet's quotations, unless
    search cannot pick them out (no outlet, or two outlets spelt alike but for case)."""
    folded = Counter((r["outlet"] or "").casefold() for r in rows)
    shown = sorted(rows, key=lambda r: (-r["quotes"], str(r["outlet"] or "")))[:MAX_BARS]
    peak = max((r["quotes"] for r in shown), default=0)
    bars = []
    for index, row in enumerate(shown):
        outlet = row["outlet"] or ""
        top = index * ROW_HEIGHT + 22
        x, segments = 0.0, []
        for kind, label in DIVERSITY_KINDS:
            if row[kind]:
                width = row[kind] / peak * BAR_SPAN
                segments.append(
                    {
                        "kind": kind,
                        "label": label,
                        "count": row[kind],
                        "x": round(x, 1),
                        "width": round(width, 1),
                    }
                )
                x += width
        counts = ", ".join(f"{s['count']} {s['label']}" for s in segments)
        name = outlet or "no outlet given"
        bars.append(
            {
                "outlet": row["outlet"],
                "name": name if len(name) <= 60 else name[:59] + "…",
                "quotes": row["quotes"],
                "label": f"{name}: {row['quotes']} quotation{'' if row['quotes'] == 1 else 's'} ({counts})",
                "link": params.search(outlet=outlet) if outlet and folded[outlet.casefold()] == 1 else None,
                "y": top,
                "length": round(x, 1),
                "segments": segments,
            }
        )
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": len(bars) * ROW_HEIGHT + 10,
        "bar_height": BAR_HEIGHT,
        "more": max(0, len(rows) - len(shown)),
    }


def _month_chart(rows: list[dict[str, Any]], params: DiversityParams) -> dict[str, Any]:
    """A bar per month from the first to the last, as tall as the share of women among the
    people quoted that month (none where nobody was), each linking to the month's quotations."""
    by_month = {r["month"]: r for r in rows if r["month"] and re.match(r"\d{4}-\d{2}$", r["month"])}
    months = month_range(Counter(dict.fromkeys(by_month, 1)))
    height, left, span = 120, 44, CHART_WIDTH - 44 - 10
    step = span / len(months) if months else span
    bars = []
    for index, month in enumerate(months):
        row = by_month.get(month)
        share = row["share_women_people"] if row else None
        last = calendar.monthrange(int(month[:4]), int(month[5:7]))[1]
        if row is None:
            label = f"{month}: no quotations"
        elif share is None:
            label = f"{month}: no people quoted ({row['quotes']} quotations)"
        else:
            label = (
                f"{month}: {round(share * 100)}% women, {row['people_female']} of {row['people']} "
                f"people quoted ({row['people_male']} men, {row['people_unknown']} unknown); "
                f"{row['quotes']} quotation{'' if row['quotes'] == 1 else 's'}"
            )
        bar_height = round(max(share * height, 2), 1) if share is not None else 0
        bars.append(
            {
                "month": month,
                "share": share,
                "quotes": row["quotes"] if row else 0,
                "label": label,
                "link": params.search(since=f"{month}-01", until=f"{month}-{last:02d}") if row else None,
                "x": round(left + index * step, 1),
                "width": round(max(step * 0.8, 1), 1),
                "y": round(10 + height - bar_height, 1),
                "height": bar_height,
                "tick": index % max(1, math.ceil(80 / step)) == 0,
            }
        )
    undated = sum(r["quotes"] for r in rows if r["month"] not in by_month)
    return {"bars": bars, "width": CHART_WIDTH, "height": height, "left": left, "undated": undated}
