"""The query parameters the API and the pages share: their types, limits and validation."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Query
from pydantic import AfterValidator, BeforeValidator

from onrecord.serve.views.common import MAX_PAGE, PAGE_SIZE
from onrecord.serve.views.diversity import DiversityParams
from onrecord.serve.views.search import SearchParams
from onrecord.store.search import check_day

Sort = Literal["rank", "date", "-date"]
QuoteType = Literal["direct", "mixed", "indirect"]

Q = Annotated[str, Query(max_length=500, description='Words, "phrases", OR, -excluded; empty for all.')]
Speaker = Annotated[str | None, Query(max_length=200, description="A name, an alias or a speaker id.")]
Outlet = Annotated[str | None, Query(max_length=200)]


def _blank_is_none(value: object) -> object:
    """A parameter left empty, as a form sends a field nobody filled in, is no parameter."""
    return None if value == "" else value


#: An optional parameter that may come empty (``min_confidence=`` from a blank form field).
Blank = BeforeValidator(_blank_is_none)


def _real_day(value: str | None) -> str | None:
    """A date that exists: 2016-02-30 and 2016-13 are refused (422), not searched for."""
    if value:
        check_day(value)  # ValueError: a 422 that says why
    return value


Day = Annotated[
    str | None,
    Query(
        max_length=10,
        pattern=r"^[1-9]\d{3}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$",
        description="YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    Blank,
    AfterValidator(_real_day),
]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Topic = Annotated[
    str,
    Query(
        min_length=1,
        max_length=300,
        description='A topic: a head noun and context words, e.g. "national inquiry into grooming gangs".',
    ),
]
Offset = Annotated[int, Query(ge=0, le=100_000)]
Name = Annotated[str, Query(max_length=200, description="Part of a speaker's name; empty for all.")]


def search_query(
    q: Q = "",
    speaker: Speaker = None,
    outlet: Outlet = None,
    since: Day = None,
    until: Day = None,
    type: Annotated[QuoteType | None, Query(), Blank] = None,
    min_confidence: Annotated[
        float | None, Query(ge=0, le=1, description="Only quotations the extractor is this sure of."), Blank
    ] = None,
    sort: Sort = "rank",
    limit: Limit = PAGE_SIZE,
    offset: Offset = 0,
) -> SearchParams:
    """The query parameters of a quotation search (the API, the page and its twin)."""
    return SearchParams(
        q=q,
        speaker=speaker or None,
        outlet=outlet or None,
        since=since or None,
        until=until or None,
        type=type or None,
        min_confidence=min_confidence or None,
        sort=sort,
        limit=limit,
        offset=offset,
    )


SearchQuery = Annotated[SearchParams, Depends(search_query)]


def diversity_query(
    by: Annotated[
        Literal["outlet", "month"], Query(description="Group the quotations by outlet or by month.")
    ] = "outlet",
    topic: Annotated[
        str,
        Query(max_length=300, description="Only the quotations this full-text query matches (as search)."),
    ] = "",
    min_confidence: Annotated[
        float | None, Query(ge=0, le=1, description="Only quotations the extractor is this sure of."), Blank
    ] = None,
) -> DiversityParams:
    """The query parameters of the diversity page and its twins (``onrecord diversity``'s)."""
    return DiversityParams(by=by, topic=topic.strip(), min_confidence=min_confidence or None)


DiversityQuery = Annotated[DiversityParams, Depends(diversity_query)]
