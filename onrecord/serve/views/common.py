"""What the views share: page sizes, ``NotFound``, query strings, a page of a list, the months of
a timeline, and rows as CSV."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from onrecord.errors import OnrecordError

PAGE_SIZE = 20
MAX_PAGE = 100


class NotFound(OnrecordError):
    status = 404


def query_string(values: Mapping[str, Any]) -> str:
    """``values`` as a query string, leaving out those that are None or empty."""
    return urlencode({k: v for k, v in values.items() if v not in (None, "")})


def listing(
    name: str,
    rows: list[dict[str, Any]],
    *,
    q: str,
    limit: int,
    offset: int,
    total: int,
    default_limit: int,
) -> dict[str, Any]:
    """A page of a list filtered by ``q``: its ``rows`` under ``name``, the parameters, the total,
    and ``next`` and ``previous`` query strings (None at either end) that keep every parameter."""

    def link(at: int) -> str:
        return "?" + query_string(
            {"q": q, "limit": limit if limit != default_limit else None, "offset": at or None}
        )

    return {
        name: rows,
        "q": q,
        "limit": limit,
        "offset": offset,
        "total": total,
        "next": link(offset + limit) if offset + limit < total else None,
        "previous": link(max(0, offset - limit)) if offset else None,
    }


def month_range(months: Counter[str], cap: int = 240) -> list[str]:
    """Every month from the first to the last of ``months`` (at most the last ``cap``)."""
    if not months:
        return []
    first, last = min(months), max(months)
    year, month = int(first[:4]), int(first[5:7])
    found = []
    while f"{year:04d}-{month:02d}" <= last:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found[-cap:]


def csv_text(rows: list[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    """Rows as CSV (RFC 4180, a header line first): ``columns`` in order (default: the first
    row's keys); lists and mappings as JSON, None as an empty field."""
    if columns is None:
        columns = list(rows[0]) if rows else []
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            [
                json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else "" if v is None else v
                for v in (row.get(c) for c in columns)
            ]
        )
    return out.getvalue()
