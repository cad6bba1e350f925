"""The search page: quotations matching a query and filters, with facet counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from onrecord.serve.views.common import PAGE_SIZE, query_string
from onrecord.store import SearchFilters, Store


@dataclass(frozen=True, slots=True)
class SearchParams:
    q: str = ""
    speaker: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    type: str | None = None
    min_confidence: float | None = None
    sort: str = "rank"
    limit: int = PAGE_SIZE
    offset: int = 0

    @property
    def filters(self) -> SearchFilters:
        return SearchFilters(
            speaker=self.speaker,
            outlet=self.outlet,
            since=self.since,
            until=self.until,
            type=self.type,
            min_confidence=self.min_confidence,
        )

    def as_query(self, **changes: Any) -> str:
        """The query string of these parameters with ``changes`` (a value of None drops a key);
        every parameter is kept, the page size too."""
        values = {
            "q": self.q,
            "speaker": self.speaker,
            "outlet": self.outlet,
            "since": self.since,
            "until": self.until,
            "type": self.type,
            "min_confidence": self.min_confidence,
            "sort": self.sort if self.sort != "rank" else None,
            "limit": self.limit if self.limit != PAGE_SIZE else None,
            "offset": self.offset or None,
        }
        values.update(changes)
        return query_string(values)


#: The filters a search page shows as removable, in order, with their labels.
FILTER_LABELS = (
    ("speaker", "speaker"),
    ("outlet", "outlet"),
    ("since", "since"),
    ("until", "until"),
    ("type", "type"),
    ("min_confidence", "confidence at least"),
)


def search_view(store: Store, params: SearchParams, *, facets: bool = True) -> dict[str, Any]:
    """Quotations matching the query and filters, a page at a time, with the total and the
    facet counts over every match, and the active filters each with the link that removes it."""
    rows = store.search(
        params.q,
        params.filters,
        limit=params.limit + 1,
        offset=params.offset,
        sort=params.sort,  # type: ignore[arg-type]
    )
    more = len(rows) > params.limit
    rows = rows[: params.limit]
    answer: dict[str, Any] = {
        "query": {
            "q": params.q,
            "speaker": params.speaker,
            "outlet": params.outlet,
            "since": params.since,
            "until": params.until,
            "type": params.type,
            "min_confidence": params.min_confidence,
            "sort": params.sort,
        },
        "limit": params.limit,
        "offset": params.offset,
        "quotes": rows,
        "next": f"?{params.as_query(offset=params.offset + params.limit)}" if more else None,
        "previous": f"?{params.as_query(offset=max(0, params.offset - params.limit) or None)}"
        if params.offset
        else None,
    }
    summary = store.search_summary(params.q, params.filters, facets=facets)
    answer["total"] = summary.pop("total")
    if facets:
        answer["facets"] = summary
        answer["filters"] = active_filters(store, params)
    return answer


def active_filters(store: Store, params: SearchParams) -> list[dict[str, Any]]:
    """The filters in force, each with a readable value (a speaker by name, not by id) and the
    query string without it."""
    found = []
    for key, label in FILTER_LABELS:
        value = getattr(params, key)
        if value in (None, ""):
            continue
        shown = str(value)
        if key == "speaker":
            ids = store.resolve_speaker(str(value))
            shown = (store.speaker_name(ids[0]) if len(ids) == 1 else None) or shown
        found.append(
            {
                "key": key,
                "label": label,
                "value": value,
                "shown": shown,
                "remove": params.as_query(**{key: None, "offset": None}),
            }
        )
    return found
