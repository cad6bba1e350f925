"""The views: one function per page, each returning the plain data that both the HTML page and its
``.json`` twin (and the JSON API) are built from.

A view reads the store and shapes the answer; it knows nothing of HTTP or HTML. Lookups that find
nothing raise ``NotFound`` (404); a bad query raises the store's ``QueryError`` (400).
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from onrecord.errors import Errors, OnrecordError
from onrecord.model import Article
from onrecord.store import SearchFilters, SqlStore
from onrecord.store.base import DIVERSITY_COLUMNS

PAGE_SIZE = 20
MAX_PAGE = 100
LATEST = 50  # quotations on a speaker's page (all of them: the search it links to)

STANCE_CSV_COLUMNS = [
    "side", "speaker_id", "name", "article_id", "quote_id", "published", "outlet", "title",
    "cue", "target", "evidence", "confidence",
]  # fmt: skip
ARTICLE_CSV_COLUMNS = ["article_id", "title", "published", "outlet", "url", "source_path", "quote_count"]
ARTICLE_QUOTE_CSV_COLUMNS = [
    "quote_id", "type", "speaker_id", "speaker", "source", "cue", "content", "medium", "addressee",
    "confidence", "content_start", "content_end",
]  # fmt: skip
PROVENANCE_CSV_COLUMNS = [
    "quote_id", "article_id", "published", "outlet", "title", "url", "speaker_id", "speaker_name",
    "type", "content_text", "first", "differences",
]  # fmt: skip


class NotFound(OnrecordError):
    status = 404


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
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})


#: The filters a search page shows as removable, in order, with their labels.
FILTER_LABELS = (
    ("speaker", "speaker"),
    ("outlet", "outlet"),
    ("since", "since"),
    ("until", "until"),
    ("type", "type"),
    ("min_confidence", "confidence at least"),
)


def search_view(store: SqlStore, params: SearchParams, *, facets: bool = True) -> dict[str, Any]:
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


def active_filters(store: SqlStore, params: SearchParams) -> list[dict[str, Any]]:
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


def pages(
    params: dict[str, Any], *, limit: int, offset: int, total: int, default_limit: int
) -> dict[str, Any]:
    """``next`` and ``previous`` query strings (None at either end) that keep every parameter."""

    def link(at: int) -> str:
        values = {**params, "limit": limit if limit != default_limit else None, "offset": at or None}
        return "?" + urlencode({k: v for k, v in values.items() if v not in (None, "")})

    return {
        "total": total,
        "next": link(offset + limit) if offset + limit < total else None,
        "previous": link(max(0, offset - limit)) if offset else None,
    }


def speakers_view(store: SqlStore, *, q: str = "", limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """The most quoted speakers, those whose name holds ``q`` when given, a page at a time."""
    rows = store.speakers(limit=limit, offset=offset, name=q)
    total = store.speaker_total(q)
    return {
        "speakers": rows,
        "q": q,
        "limit": limit,
        "offset": offset,
        **pages({"q": q}, limit=limit, offset=offset, total=total, default_limit=50),
    }


def speaker_view(store: SqlStore, name: str) -> dict[str, Any]:
    """One speaker: identity, roles over time, outlets, media, addressees, who they speak about,
    and the quotations per month for the timeline chart."""
    info = store.speaker(name)
    if info is None:
        raise NotFound(Errors.E053.format(name=name))
    months: Counter[str] = Counter(
        {m: n for m, n in info.pop("months").items() if re.match(r"\d{4}-\d{2}$", m)}
    )
    info["per_month"] = [
        {"month": m, "count": months.get(m, 0), "link": month_search(info["speaker_id"], m)}
        for m in _month_range(months)
    ]
    info["speaks_about"] = store.speaks_about(info["speaker_id"])
    info["relations"] = store.relations_of(info["speaker_id"])
    info["roles"] = [r for r in info["roles"] if is_role(r["role"])]
    info["media"] = [r for r in info["media"] if is_medium(r["name"])]
    info["addressees"] = [r for r in info["addressees"] if is_addressee(r["name"])]
    info["latest"] = info["timeline"][::-1][:LATEST]
    info["all_quotations"] = "/search?" + urlencode({"speaker": info["speaker_id"], "sort": "-date"})
    return info


_WORDS = re.compile(r"[^\W\d_][\w'’.-]*")
_SITE = re.compile(r"\b[\w-]+\.(?:com|org|net|news|co\.uk|eu)\b", re.IGNORECASE)
#: Whom a statement is made to when it is not a name: people and bodies.
ADDRESSEE_NOUNS = frozenset(
    """
    reporter journalist audience crowd supporter voter student member lawmaker official colleague
    follower fan viewer listener reader committee council board panel congress senate parliament
    assembly court jury staff worker employee donor delegate investor resident parent people group
    """.split()
)


def is_role(text: str) -> bool:
    """A role the page shows: words, not a count or a score ("57 percent to 22 percent")."""
    return not re.search(r"\d|%|\bper ?cent\b", text, re.IGNORECASE) and bool(_WORDS.search(text))


def is_medium(text: str) -> bool:
    """A medium the page shows: it names a channel, a document, an outlet or a site ("a letter
    to the council", "The Harbour Times", "X"), not a place ("Mexico City")."""
    from onrecord.lexicon import KNOWN_OUTLETS, MEDIUM_NOUNS, OUTLET_WORDS

    words = {w.lower().strip(".'’") for w in _WORDS.findall(text)}
    return bool(words & (MEDIUM_NOUNS | OUTLET_WORDS | KNOWN_OUTLETS)) or bool(_SITE.search(text))


def is_addressee(text: str) -> bool:
    """An addressee the page shows: a name, or people or a body ("reporters", "the council"),
    not a thing ("an enormous cheer")."""
    from onrecord.resolve.speakers import PERSON_WORDS

    words = _WORDS.findall(text)
    if not words:
        return False
    known = PERSON_WORDS | ADDRESSEE_NOUNS
    for word in (w.lower().strip(".'’") for w in words):
        if word in known or (word.endswith("s") and word[:-1] in known):
            return True
    return words[0][0].isupper() and not is_medium(text)


def stance_view(store: SqlStore, topic: str) -> dict[str, Any]:
    """Speakers for, against and unclear on a topic with their statements, and each side's
    statements per month for the chart."""
    answer = store.stance(topic)
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
        for m in _month_range(months)
    ]
    return answer


def relations_view(store: SqlStore, *, limit: int = 200) -> dict[str, Any]:
    """The who-with-whom graph of the corpus: one edge per speaker pair and predicate."""
    return {"edges": store.relation_graph(limit=limit), "limit": limit}


def month_search(speaker_id: str, month: str) -> str:
    """The search for a speaker's quotations in one month ("2024-02")."""
    import calendar

    year, number = int(month[:4]), int(month[5:7])
    last = calendar.monthrange(year, number)[1]
    return "/search?" + urlencode(
        {"speaker": speaker_id, "since": f"{month}-01", "until": f"{month}-{last:02d}", "sort": "date"}
    )


def _month_range(months: Counter[str], cap: int = 240) -> list[str]:
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


def article_view(store: SqlStore, article_id: str) -> dict[str, Any]:
    """A stored article, as the engine returned it, with each quotation's corpus speaker id."""
    article = store.article(article_id)
    if article is None:
        raise NotFound(Errors.E055.format(article_id=article_id))
    data = article.to_dict()
    data["article_id"] = article_id
    speaker_ids = store.quote_speakers(article_id)
    for quote in data["quotes"]:
        quote["quote_id"] = f"{article_id}:{quote['id']}"
        quote["speaker_id"] = speaker_ids.get(quote["quote_id"])
    return data


def articles_view(store: SqlStore, *, q: str = "", limit: int = PAGE_SIZE, offset: int = 0) -> dict[str, Any]:
    """Stored articles (those matching the full-text ``q`` when given), a page at a time."""
    return {
        "articles": store.articles(q, limit=limit, offset=offset),
        "q": q,
        "limit": limit,
        "offset": offset,
        **pages({"q": q}, limit=limit, offset=offset, total=store.article_total(q), default_limit=PAGE_SIZE),
    }


def quote_view(store: SqlStore, quote_id: str) -> dict[str, Any]:
    """A quotation with its provenance: every article that carried it, the first appearance, and
    each variant's wording against the first, word by word."""
    info = store.quote(quote_id)
    if info is None:
        raise NotFound(Errors.E054.format(quote_id=quote_id))
    first = next((r for r in info["carried_by"] if r["quote_id"] == info["first_quote_id"]), None)
    differences = {v["quote_id"]: v["differences"] for v in info["variants"]}
    # "first appearance" is a claim about dates: none when the earliest carrier has no date
    info["dated"] = bool(first and first["published"])
    for row in info["carried_by"]:
        row["first"] = info["dated"] and row["quote_id"] == info["first_quote_id"]
        row["differences"] = differences.get(row["quote_id"], [])
        row["diff"] = (
            word_diff(first["content_text"], row["content_text"]) if first and row["differences"] else []
        )
    return info


def word_diff(old: str, new: str) -> list[dict[str, str]]:
    """``new`` against ``old`` word by word: runs of {"op": "same"|"add"|"del", "text": ...}."""
    a, b = old.split(), new.split()
    out: list[dict[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append({"op": "same", "text": " ".join(a[i1:i2])})
            continue
        if i2 > i1:
            out.append({"op": "del", "text": " ".join(a[i1:i2])})
        if j2 > j1:
            out.append({"op": "add", "text": " ".join(b[j1:j2])})
    return out


def extracted_view(article: Article) -> dict[str, Any]:
    """An article extracted on request (not stored): the engine's JSON."""
    return article.to_dict()


def csv_text(rows: list[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    """Rows as CSV (RFC 4180, a header line first): ``columns`` in order (default: the first
    row's keys); lists and mappings as JSON, None as an empty field."""
    import csv
    import io
    import json

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


def stance_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The stance page's statements, one row each, with their side and speaker."""
    return [
        {"side": side, "speaker_id": holder["speaker_id"], "name": holder["name"], **evidence}
        for side in ("for", "against", "unclear")
        for holder in data[side]
        for evidence in holder["evidence"]
    ]


def article_quote_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """An article page's quotations, one row each, spans as their text."""

    def text(span: dict[str, Any] | None) -> str | None:
        return span["text"] if span else None

    return [
        {
            "quote_id": q["quote_id"],
            "type": q["type"],
            "speaker_id": q.get("speaker_id"),
            "speaker": (q.get("speaker") or {}).get("name"),
            "source": text(q.get("source")),
            "cue": text(q.get("cue")),
            "content": " … ".join(c["text"] for c in q["content"]),
            "medium": text(q.get("medium")),
            "addressee": text(q.get("addressee")),
            "confidence": q.get("confidence"),
            "content_start": q["content"][0]["start"] if q["content"] else None,
            "content_end": q["content"][-1]["end"] if q["content"] else None,
        }
        for q in data["quotes"]
    ]


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
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})

    def search(self, **filters: Any) -> str:
        """The search page of the quotations behind a group: this topic and confidence, and
        ``filters`` (an outlet, a date range)."""
        return (
            "/search?" + SearchParams(q=self.topic, min_confidence=self.min_confidence, **filters).as_query()
        )


def diversity_rows(store: SqlStore, by: Sequence[str], params: DiversityParams) -> list[dict[str, Any]]:
    """``store.diversity`` grouped ``by``, over the quotations the search page finds for the
    topic: its ``speaker:``, ``outlet:`` and ``type:`` fields become filters, as search reads
    them, and the rest is matched as one query, so each group's ``quotes`` is the total of the
    search it links to."""
    from onrecord.store.base import query_fields

    text, fields = query_fields(params.topic)
    filters = SearchFilters(
        speaker=fields.get("speaker"),
        outlet=fields.get("outlet"),
        type=fields.get("type"),
        min_confidence=params.min_confidence,
    )
    return store.diversity(list(by), topics=[text] if text.strip() else [], filters=filters)


def diversity_view(
    store: SqlStore, params: DiversityParams, *, rows: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Who gets quoted, grouped by outlet or month: the rows of ``onrecord diversity --by``
    (``rows`` when the caller has them already), with the parameters that made them."""
    return {
        "by": params.by,
        "topic": params.topic,
        "min_confidence": params.min_confidence,
        "rows": rows if rows is not None else diversity_rows(store, [params.by], params),
    }


def diversity_page(store: SqlStore, params: DiversityParams) -> dict[str, Any]:
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
    import calendar

    by_month = {r["month"]: r for r in rows if r["month"] and re.match(r"\d{4}-\d{2}$", r["month"])}
    months = _month_range(Counter(dict.fromkeys(by_month, 1)))
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
