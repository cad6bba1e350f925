"""Reading a search query: the words, "phrases", OR, -excluded, prefix* and NEAR(...) of
``parse_query``, written out for FTS5 (``fts5_query``) and for PostgreSQL (``tsquery``), the
``speaker:``/``outlet:``/``type:`` fields taken out of it, and the matched words of a snippet.
Only word characters reach the search engines, so no input can reach their own syntax.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, replace

from onrecord.errors import Errors, QueryError
from onrecord.store.records import SearchFilters


def alias_key(name: str) -> str:
    """The lookup form of a speaker name: casefolded, single spaces."""
    return " ".join(name.casefold().split())


MARK_START, MARK_END = "\ue000", "\ue001"  # private-use characters: never in news text


def split_highlights(marked: str) -> tuple[str, list[list[int]]]:
    """A highlighted snippet as its plain text and the [start, end) offsets of the matches in it."""
    text: list[str] = []
    matches: list[list[int]] = []
    length = 0
    for part in re.split(f"({MARK_START}|{MARK_END})", marked):
        if part == MARK_START:
            matches.append([length, length])
        elif part == MARK_END:
            if matches:
                matches[-1][1] = length
        else:
            text.append(part)
            length += len(part)
    return "".join(text), [m for m in matches if m[1] > m[0]]


@dataclass(frozen=True, slots=True)
class Term:
    """One term of a search query: ``words`` that must stand together (one word, or a phrase),
    the last one a prefix when ``prefix`` (``inquir*``), or all within ``near`` words of each
    other in any order (``NEAR(ferry toll, 5)``). ``op``: "" (must match), "OR" (joined to the
    term before by OR), "NOT" (excluded)."""

    op: str
    words: tuple[str, ...]
    prefix: bool = False
    near: int | None = None


#: How far apart NEAR(...) words may be when the query gives no distance (FTS5's default).
NEAR_DEFAULT = 10
NEAR_MAX = 50
_FIELD = re.compile(r'(?<!\S)(speaker|outlet|type):("([^"]*)"?|\S+)', re.IGNORECASE)
_TERM = re.compile(r'NEAR\(([^)]*)\)?|(-?)"([^"]*)"?(\*?)|(\S+)')


def parse_query(query: str) -> list[Term]:
    """The terms of a web-search-style query: words, "phrases", ``OR``, ``-excluded``,
    ``prefix*`` and ``NEAR(a b, N)``. Only word characters reach the search engine, so no input
    can reach FTS5's or tsquery's own syntax; a query whose terms are all excluded has no term
    to look for (E050)."""
    terms: list[Term] = []
    pending_or = False
    for match in _TERM.finditer(query):
        near_body, negate, phrase, star, word = match.groups()
        if word is not None and word == "OR":
            pending_or = bool(terms)
            continue
        op = "OR" if pending_or else ""
        pending_or = False
        if near_body is not None:
            body, _, distance = near_body.rpartition(",") if "," in near_body else (near_body, "", "")
            words = tuple(re.findall(r"\w+", body.lower()))
            if not distance.strip().isdigit() and distance.strip():
                raise QueryError(
                    Errors.E050.format(
                        query=query, reason=f"NEAR takes a number of words, not {distance.strip()!r}"
                    )
                )
            span = min(int(distance) if distance.strip() else NEAR_DEFAULT, NEAR_MAX)
            if len(words) >= 2:
                terms.append(Term(op, words, near=span))
            elif words:
                terms.append(Term(op, words))
            continue
        if word is not None:
            if word.startswith("-") and len(word) > 1:
                negate, word = "-", word[1:]
            star = "*" if word.endswith("*") else ""
            text = word
        else:
            text = phrase or ""
        words = tuple(re.findall(r"\w+", text.lower()))
        if not words:
            continue
        terms.append(Term("NOT" if negate else op, words, prefix=bool(star)))
    if not any(t.op != "NOT" for t in terms):
        raise QueryError(Errors.E050.format(query=query, reason="it has no word to look for"))
    return terms


def query_fields(query: str) -> tuple[str, dict[str, str]]:
    """``speaker:NAME``, ``outlet:NAME`` and ``type:direct`` taken out of a query (a value with
    spaces in quotes: ``speaker:"Ann Lee"``): the rest of the query, and the fields."""
    fields: dict[str, str] = {}

    def take(match: re.Match[str]) -> str:
        value = match.group(3) if match.group(3) is not None else match.group(2)
        if value.strip():
            fields[match.group(1).lower()] = value.strip()
        return " "

    return _FIELD.sub(take, query).strip(), fields


def check_day(value: str) -> None:
    """ValueError unless ``value`` is a date that exists, as YYYY, YYYY-MM or YYYY-MM-DD (the
    form the ``since``/``until`` filters compare): "2016-13" and "2016-02-30" are not."""
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise ValueError(f"{value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = [*value.split("-"), "01", "01"][:3]
    try:
        datetime.date(int(year), int(month), int(day))
    except ValueError as err:
        raise ValueError(f"{value!r} is not a date ({err})") from err


def with_fields(query: str, filters: SearchFilters) -> tuple[str, SearchFilters]:
    """The query without its fields, and the filters with the fields the call left empty."""
    query, fields = query_fields(query)
    if not fields:
        return query, filters
    return query, replace(
        filters,
        speaker=filters.speaker or fields.get("speaker"),
        outlet=filters.outlet or fields.get("outlet"),
        type=filters.type or fields.get("type"),
    )


def fts5_query(query: str) -> str:
    """A query (``parse_query``) as an FTS5 expression: every word quoted."""
    parts: list[str] = []
    terms = parse_query(query)
    # FTS5's NOT is binary ("a NOT b"): excluded terms go after what must match ("-b a" -> "a NOT b")
    for term in [t for t in terms if t.op != "NOT"] + [t for t in terms if t.op == "NOT"]:
        quoted = ['"' + w + '"' for w in term.words]
        if term.near is not None:
            text = f"NEAR({' '.join(quoted)}, {term.near})"
        else:
            text = '"' + " ".join(term.words) + '"' + ("*" if term.prefix else "")
        if term.op == "NOT":
            parts.append(f"NOT {text}")
        elif term.op == "OR" and parts:
            parts.append(f"OR {text}")
        else:
            parts.append(f"AND {text}" if parts else text)
    return " ".join(parts)


def tsquery(query: str) -> str:
    """A query (``parse_query``) as PostgreSQL ``to_tsquery`` input: phrases with ``<->``, a
    prefix as ``:*``, NEAR as the two orders at every distance up to N (consecutive pairs)."""

    def quoted(word: str) -> str:
        return "'" + word + "'"

    def phrase(term: Term) -> str:
        words = [quoted(w) for w in term.words]
        if term.prefix:
            words[-1] += ":*"
        return "(" + " <-> ".join(words) + ")"

    def near(term: Term) -> str:
        assert term.near is not None
        pairs = []
        for a, b in zip(term.words, term.words[1:], strict=False):
            ways = [
                f"{quoted(x)} <{d}> {quoted(y)}" for d in range(1, term.near + 2) for x, y in ((a, b), (b, a))
            ]
            pairs.append("(" + " | ".join(ways) + ")")
        return "(" + " & ".join(pairs) + ")"

    out = ""
    for term in parse_query(query):
        text = near(term) if term.near is not None else phrase(term)
        if term.op == "NOT":
            out += (" & " if out else "") + "!" + text
        elif term.op == "OR" and out:
            out += " | " + text
        else:
            out += (" & " if out else "") + text
    return out
