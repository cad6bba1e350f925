"""The store interface (``Store``) and the SQL both backends share (``SqlStore``).

The backends differ only in how they connect, hold transactions, write placeholders and search
text; everything else (writing an article, consolidating speakers and provenance, the questions,
export) is the same SQL here. Every statement is parameterised.
"""

from __future__ import annotations

import datetime
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import Any, Literal, Protocol

from onrecord.corpus.records import Correction, NameRecord, QuoteRecord
from onrecord.errors import Errors, OnrecordError
from onrecord.model import Article

TABLES = ("quotes", "articles", "speakers", "entities", "failures", "relations", "stances")

QUOTE_COLUMNS = (
    "quote_id",
    "article_id",
    "position",
    "source_path",
    "url",
    "title",
    "published",
    "outlet",
    "speaker_id",
    "speaker_name",
    "source_text",
    "type",
    "content_text",
    "content_start",
    "content_end",
    "cue_text",
    "medium_text",
    "addressee_text",
    "confidence",
    "group_id",
    "extractor",
)
ARTICLE_COLUMNS = (
    "article_id",
    "item_key",
    "source_path",
    "url",
    "title",
    "published",
    "outlet",
    "author",
    "quote_count",
    "extractor",
    "text",
    "data",
)
STANCE_MATCH_COLUMNS = (
    "article_id",
    "holder_entity",
    "speaker_id",
    "name",
    "stance",
    "target_text",
    "cue_text",
    "evidence_text",
    "quote_id",
    "confidence",
    "published",
    "outlet",
    "title",
)
STANCE_MATCH_SELECT = (
    "s.article_id, s.holder_entity, e.speaker_id, coalesce(sp.name, s.holder_name), s.stance, s.target_text, "
    "s.cue_text, s.evidence_text, s.quote_id, s.confidence, a.published, a.outlet, a.title"
)
STANCE_MATCH_JOINS = (
    "JOIN articles a ON a.article_id = s.article_id "
    "LEFT JOIN entities e ON e.article_id = s.article_id AND e.entity_id = s.holder_entity "
    "LEFT JOIN speakers sp ON sp.speaker_id = e.speaker_id "
)
ENTITY_COLUMNS = ("article_id", "entity_id", "name", "kind", "descriptions", "mention_count", "speaker_id")
FAILURE_COLUMNS = ("item_key", "status", "reason")
RELATION_COLUMNS = (
    "article_id",
    "position",
    "subject_id",
    "subject_name",
    "predicate",
    "object_id",
    "object_name",
    "cue_text",
    "evidence_start",
    "evidence_end",
    "evidence_text",
    "confidence",
    "published",
    "outlet",
)
STANCE_COLUMNS = (
    "article_id",
    "position",
    "holder_id",
    "holder_name",
    "stance",
    "target_text",
    "cue_text",
    "evidence_start",
    "evidence_end",
    "evidence_text",
    "quote_id",
    "confidence",
    "published",
    "outlet",
)
SPEAKER_COLUMNS = ("speaker_id", "name", "kind", "quote_count", "article_count", "aliases", "roles")

Row = dict[str, Any]
Sort = Literal["rank", "date", "-date"]


class QueryError(OnrecordError):
    """A search or lookup the store cannot answer as asked (a malformed query, an unknown name)."""

    status = 400


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Filters of a quotation search; ``None`` means no filter. Dates are ISO ``YYYY-MM-DD``
    prefixes compared with the article's ``published`` (``until`` includes that day)."""

    speaker: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    type: str | None = None
    min_confidence: float | None = None


@dataclass(frozen=True, slots=True)
class ItemState:
    article_id: str | None
    status: str
    extractor: str | None


class Store(Protocol):
    """What the corpus commands, the server and the batch loader need from a store."""

    def item_states(self) -> dict[str, ItemState]: ...
    def put_article(self, key: str, article_id: str, article: Article, extractor: str) -> None: ...
    def put_status(self, key: str, status: str, reason: str, article_id: str | None = None) -> None: ...
    def stale_articles(self, extractor: str) -> list[tuple[Any, ...]]: ...
    def needs_consolidation(self) -> bool: ...
    def consolidate(self) -> dict[str, int]: ...
    def search(
        self,
        query: str,
        filters: SearchFilters = ...,
        *,
        limit: int = ...,
        offset: int = ...,
        sort: Sort = ...,
    ) -> list[Row]: ...
    def speakers(self, *, limit: int = ..., offset: int = ...) -> list[Row]: ...
    def speaker(self, name: str) -> Row | None: ...
    def quote(self, quote_id: str) -> Row | None: ...
    def article(self, article_id: str) -> Article | None: ...
    def export_rows(self, table: str) -> Iterator[Row]: ...
    def add_correction(self, correction: Correction) -> None: ...
    def speaks_about(self, speaker_id: str, *, limit: int = ...) -> list[Row]: ...
    def quote_speakers(self, article_id: str) -> dict[str, str | None]: ...
    def articles(self, query: str = ..., *, limit: int = ..., offset: int = ...) -> list[Row]: ...
    def counts(self) -> dict[str, int]: ...
    def stance(self, topic: str, *, limit: int = ...) -> Row: ...
    def relations_of(self, speaker_id: str, *, limit: int = ...) -> Row: ...
    def relation_graph(self, *, limit: int = ...) -> list[Row]: ...
    def close(self) -> None: ...


def quote_mentions(article_id: str, article: Article) -> list[tuple[str, str, str]]:
    """(quote id, article id, entity id) for each entity other than the speaker named inside a
    quotation's content."""
    found = []
    for quote in article.quotes:
        own = quote.speaker.entity if quote.speaker else None
        for entity in article.entities:
            if entity.id != own and any(
                c.start <= m.start and m.end <= c.end for m in entity.mentions for c in quote.content
            ):
                found.append((f"{article_id}:{quote.id}", article_id, entity.id))
    return found


def relation_rows(article_id: str, article: Article) -> list[tuple[Any, ...]]:
    return [
        (
            article_id,
            position,
            r.subject.entity,
            r.subject.name,
            r.predicate,
            r.object.entity,
            r.object.name,
            _text(r.cue),
            r.evidence.start,
            r.evidence.end,
            r.evidence.text,
            round(r.confidence, 4),
        )
        for position, r in enumerate(article.relations)
    ]


def stance_rows(article_id: str, article: Article) -> list[tuple[Any, ...]]:
    return [
        (
            article_id,
            position,
            s.holder.entity,
            s.holder.name,
            s.stance,
            s.target.text,
            _text(s.cue),
            s.evidence.start,
            s.evidence.end,
            s.evidence.text,
            f"{article_id}:{s.quote}" if s.quote else None,
            round(s.confidence, 4),
        )
        for position, s in enumerate(article.stances)
    ]


def write_relations(db: Any, article_id: str, article: Article) -> None:
    """Insert an article's relations and stances (the store, or a migration's ``db``)."""
    db._run_many(
        "INSERT INTO relations (article_id, position, subject_entity, subject_name, predicate, object_entity, "
        "object_name, cue_text, evidence_start, evidence_end, evidence_text, confidence) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        relation_rows(article_id, article),
    )
    db._run_many(
        "INSERT INTO stances (article_id, position, holder_entity, holder_name, stance, target_text, cue_text, "
        "evidence_start, evidence_end, evidence_text, quote_id, confidence) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        stance_rows(article_id, article),
    )


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


def _with_fields(query: str, filters: SearchFilters) -> tuple[str, SearchFilters]:
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


#: What ranks a quotation before the text match does: a named speaker (a person or an organisation
#: before a group, before an unnamed or missing one), then a quotation of five words or more,
#: then a confidence of one half or more.
RANK_ORDER = (
    "CASE WHEN s.kind IN ('person', 'organization') THEN 0 WHEN s.kind = 'group' THEN 1 ELSE 2 END, "
    "CASE WHEN length(q.content_text) - length(replace(q.content_text, ' ', '')) >= 4 THEN 0 ELSE 1 END, "
    "CASE WHEN q.confidence >= 0.5 THEN 0 ELSE 1 END"
)


#: The latest quotations a speaker's record carries (all of them: a search by speaker).
TIMELINE = 200


class SqlStore(ABC):
    """The SQL shared by the backends. Subclasses connect and supply the dialect hooks."""

    distinct = "IS DISTINCT FROM"

    # -- dialect hooks -------------------------------------------------------------------------

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Any]:
        """A context in which statements commit together or not at all."""

    @abstractmethod
    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one statement (``?`` placeholders) and return its rows (empty for writes)."""

    @abstractmethod
    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for each parameter row."""

    @abstractmethod
    def _search_quotes(
        self,
        query: str,
        speaker_ids: list[str] | None,
        where: list[str],
        params: list[Any],
        limit: int,
        offset: int,
        sort: Sort,
    ) -> list[Row]:
        """Quotation rows matching the full-text ``query`` and the extra conditions."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- items and articles --------------------------------------------------------------------

    def item_states(self) -> dict[str, ItemState]:
        """Every input record seen so far, by its key."""
        rows = self._run("SELECT item_key, article_id, status, extractor FROM items")
        return {key: ItemState(article_id, status, extractor) for key, article_id, status, extractor in rows}

    def put_article(self, key: str, article_id: str, article: Article, extractor: str) -> None:
        """Store one extracted article for the input record ``key``, replacing what the record made
        before, in one transaction (so a kill leaves the article either whole or absent)."""
        with self.transaction():
            previous = self._run("SELECT article_id FROM items WHERE item_key = ?", (key,))
            old = previous[0][0] if previous else None
            self._delete_article(article_id)
            if old is not None and old != article_id:
                others = self._run(
                    "SELECT count(*) FROM items WHERE article_id = ? AND item_key <> ?", (old, key)
                )
                if not others[0][0]:
                    self._delete_article(old)
            self._insert_article(key, article_id, article, extractor)
            self._set_item(key, article_id, "ok", None, extractor)
            self._mark_dirty()

    def stale_articles(self, extractor: str) -> list[tuple[Any, ...]]:
        """(key, article id, text, url, title, published, outlet, author) of each stored article
        made by another extractor than ``extractor``, by key."""
        return self._run(
            "SELECT i.item_key, a.article_id, a.text, a.url, a.title, a.published, a.outlet, a.author "
            "FROM items i JOIN articles a ON a.article_id = i.article_id "
            "WHERE i.status = 'ok' AND (i.extractor IS NULL OR i.extractor <> ?) ORDER BY i.item_key",
            (extractor,),
        )

    def put_status(self, key: str, status: str, reason: str, article_id: str | None = None) -> None:
        """Record that the input record ``key`` was skipped or failed, and why."""
        with self.transaction():
            self._set_item(key, article_id, status, reason, None)

    def _set_item(
        self, key: str, article_id: str | None, status: str, reason: str | None, extractor: str | None
    ) -> None:
        self._run(
            "INSERT INTO items (item_key, article_id, status, reason, extractor) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (item_key) DO UPDATE SET article_id = excluded.article_id, "
            "status = excluded.status, reason = excluded.reason, extractor = excluded.extractor",
            (key, article_id, status, reason, extractor),
        )

    def _delete_article(self, article_id: str) -> None:
        for table in ("relations", "stances", "quote_mentions", "quotes", "entities", "articles"):
            self._run(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))

    def _insert_article(self, key: str, article_id: str, article: Article, extractor: str) -> None:
        data = article.to_dict()
        del data["text"]
        self._run(
            "INSERT INTO articles (article_id, item_key, source_path, url, title, published, outlet, author, "
            "text, extractor, quote_count, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article_id,
                key,
                article.source_path,
                article.url,
                article.title,
                article.published,
                article.outlet,
                article.author,
                article.text,
                extractor,
                len(article.quotes),
                json.dumps(data, ensure_ascii=False, sort_keys=True),
            ),
        )
        self._run_many(
            "INSERT INTO entities (article_id, entity_id, name, kind, descriptions, mention_count, "
            "gender, gender_evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    article_id,
                    e.id,
                    e.name,
                    e.kind,
                    json.dumps(e.descriptions, ensure_ascii=False),
                    len(e.mentions),
                    e.gender,
                    json.dumps(e.gender_evidence, ensure_ascii=False) if e.gender is not None else None,
                )
                for e in article.entities
            ],
        )
        rows = []
        for position, quote in enumerate(article.quotes):
            rows.append(
                (
                    f"{article_id}:{quote.id}",
                    article_id,
                    position,
                    quote.type,
                    quote.content_text,
                    quote.start,
                    quote.end,
                    _text(quote.cue),
                    _text(quote.source),
                    quote.speaker.entity if quote.speaker else None,
                    quote.speaker.name if quote.speaker else None,
                    _text(quote.medium),
                    _text(quote.addressee),
                    round(quote.confidence, 4),
                    quote.extractor,
                    article.published,
                    article.outlet,
                )
            )
        self._run_many(
            "INSERT INTO quote_mentions (quote_id, article_id, entity_id) VALUES (?, ?, ?)",
            quote_mentions(article_id, article),
        )
        write_relations(self, article_id, article)
        self._run_many(
            "INSERT INTO quotes (quote_id, article_id, position, type, content_text, content_start, content_end, "
            "cue_text, source_text, speaker_entity, speaker_local_name, medium_text, addressee_text, confidence, "
            "extractor, published, outlet) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )

    def article(self, article_id: str) -> Article | None:
        """The stored article, as the engine returned it."""
        rows = self._run("SELECT data, text FROM articles WHERE article_id = ?", (article_id,))
        if not rows:
            return None
        data = json.loads(rows[0][0])
        data["text"] = rows[0][1]
        return Article.from_dict(data)

    def _mark_dirty(self) -> None:
        self._run(
            "INSERT INTO meta (key, value) VALUES ('dirty', '1') ON CONFLICT (key) DO UPDATE SET value = '1'"
        )

    def needs_consolidation(self) -> bool:
        """True when articles changed (or corrections were added) since the last consolidation."""
        rows = self._run("SELECT value FROM meta WHERE key = 'dirty'")
        return bool(rows) and rows[0][0] == "1"

    # -- consolidation: speaker identity and provenance over the whole corpus ------------------

    def consolidate(self) -> dict[str, int]:
        """Give every entity its corpus-wide speaker id and group the quotations that several
        articles carry, over the whole corpus, in one transaction. Deterministic: the same
        articles and corrections give the same ids, whatever order they were stored in."""
        from onrecord.corpus.identity import assign_speakers
        from onrecord.corpus.provenance import group_quotes

        with self.transaction():
            records = [
                NameRecord(
                    article_id=article_id,
                    entity_id=entity_id,
                    name=name,
                    kind=kind,
                    descriptions=tuple(json.loads(descriptions)),
                    published=published,
                    outlet=outlet,
                    quotes=int(quotes),
                )
                for article_id, entity_id, name, kind, descriptions, published, outlet, quotes in self._run(
                    "SELECT e.article_id, e.entity_id, e.name, e.kind, e.descriptions, a.published, a.outlet, "
                    "(SELECT count(*) FROM quotes q WHERE q.article_id = e.article_id "
                    "AND q.speaker_entity = e.entity_id) "
                    "FROM entities e JOIN articles a ON a.article_id = e.article_id "
                    "ORDER BY e.article_id, e.entity_id"
                )
            ]
            corrections = self.corrections()
            identity = assign_speakers(records, [c for c in corrections if c.action != "gender"])
            current = {
                (article_id, entity_id): speaker_id
                for article_id, entity_id, speaker_id in self._run(
                    "SELECT article_id, entity_id, speaker_id FROM entities"
                )
            }
            changed = [
                (identity.speaker_of.get(key), key[0], key[1])
                for key, speaker_id in current.items()
                if identity.speaker_of.get(key) != speaker_id
            ]
            self._run_many(
                "UPDATE entities SET speaker_id = ? WHERE article_id = ? AND entity_id = ?", changed
            )
            self._sync_quote_speakers()
            self._run("DELETE FROM speakers")
            self._run("DELETE FROM speaker_aliases")
            self._run("DELETE FROM speaker_roles")
            # the articles that quote a speaker, not those that only name them: never more than
            # their quotations
            counts = {
                sid: (int(quotes), int(articles))
                for sid, quotes, articles in self._run(
                    "SELECT speaker_id, count(*), count(DISTINCT article_id) FROM quotes "
                    "WHERE speaker_id IS NOT NULL GROUP BY speaker_id"
                )
            }
            self._run_many(
                "INSERT INTO speakers (speaker_id, name, kind, quote_count, article_count) VALUES (?, ?, ?, ?, ?)",
                [
                    (sid, s.name, s.kind, *counts.get(sid, (0, 0)))
                    for sid, s in sorted(identity.speakers.items())
                ],
            )
            self._set_speaker_genders([c for c in corrections if c.action == "gender"])
            self._run_many(
                "INSERT INTO speaker_aliases (speaker_id, alias, alias_key, count) VALUES (?, ?, ?, ?)",
                [
                    (sid, alias, alias_key(alias), count)
                    for sid, s in sorted(identity.speakers.items())
                    for alias, count in sorted(s.aliases.items())
                ],
            )
            self._run_many(
                "INSERT INTO speaker_roles (speaker_id, role, first_seen, last_seen, count) VALUES (?, ?, ?, ?, ?)",
                [
                    (sid, role, first, last, count)
                    for sid, s in sorted(identity.speakers.items())
                    for role, (first, last, count) in sorted(s.roles.items())
                ],
            )
            quotes = [
                QuoteRecord(quote_id, article_id, text, speaker_id, published, outlet, kind)
                for quote_id, article_id, text, speaker_id, published, outlet, kind in self._run(
                    "SELECT quote_id, article_id, content_text, speaker_id, published, outlet, type FROM quotes "
                    "ORDER BY quote_id"
                )
            ]
            provenance = group_quotes(quotes)
            grouped = dict(self._run("SELECT quote_id, group_id FROM quotes WHERE group_id IS NOT NULL"))
            changes = [
                (provenance.group_of.get(q.quote_id), q.quote_id)
                for q in quotes
                if provenance.group_of.get(q.quote_id) != grouped.get(q.quote_id)
            ]
            self._run_many("UPDATE quotes SET group_id = ? WHERE quote_id = ?", changes)
            self._run("DELETE FROM quote_groups")
            self._run("DELETE FROM quote_variants")
            sizes: dict[str, int] = {}
            for group_id in provenance.group_of.values():
                sizes[group_id] = sizes.get(group_id, 0) + 1
            self._run_many(
                "INSERT INTO quote_groups (group_id, first_quote_id, size) VALUES (?, ?, ?)",
                [(gid, first, sizes.get(gid, 0)) for gid, first in sorted(provenance.first.items())],
            )
            self._run_many(
                "INSERT INTO quote_variants (quote_id, group_id, differences) VALUES (?, ?, ?)",
                [
                    (qid, provenance.group_of[qid], json.dumps(diff, ensure_ascii=False))
                    for qid, diff in sorted(provenance.variants.items())
                ],
            )
            self._run(
                "INSERT INTO meta (key, value) VALUES ('dirty', '0') ON CONFLICT (key) DO UPDATE SET value = '0'"
            )
        return {
            "speakers": len(identity.speakers),
            "groups": len(provenance.first),
            "variants": len(provenance.variants),
        }

    def _set_speaker_genders(self, corrections: Sequence[Correction]) -> None:
        """Each person speaker's gender across the corpus: the weight of its articles' evidence
        (the articles whose entity for it is female against those where it is male: one side
        with at least twice the other wins, else ``unknown``), unless a correction says
        otherwise (the latest for that speaker wins)."""
        votes: dict[str, dict[str, int]] = {}
        for sid, gender, articles in self._run(
            "SELECT speaker_id, gender, count(DISTINCT article_id) FROM entities "
            "WHERE speaker_id IS NOT NULL AND kind = 'person' AND gender IN ('female', 'male') "
            "GROUP BY speaker_id, gender"
        ):
            votes.setdefault(sid, {"female": 0, "male": 0})[gender] = int(articles)
        decided: dict[str, tuple[str, str]] = {}
        for sid, count in votes.items():
            female, male = count["female"], count["male"]
            gender = "female" if female >= 2 * male else "male" if male >= 2 * female else "unknown"
            decided[sid] = (gender, "articles")
        for correction in corrections:
            if correction.b in GENDERS:
                decided[correction.a] = (correction.b, "correction")
        self._run("UPDATE speakers SET gender = 'unknown', gender_source = 'articles' WHERE kind = 'person'")
        self._run_many(
            "UPDATE speakers SET gender = ?, gender_source = ? WHERE speaker_id = ?",
            [(gender, source, sid) for sid, (gender, source) in sorted(decided.items())],
        )

    def diversity(
        self,
        by: Sequence[str] = (),
        *,
        topics: Sequence[str] = (),
        filters: SearchFilters = SearchFilters(),
    ) -> list[Row]:
        """Who gets quoted: for each group of quotations (``by`` outlet, month or topic, or
        several; all of them when ``by`` is empty), the quotations by the kind of their speaker
        (``female``, ``male`` and ``unknown`` for people, ``organization``, ``group``,
        ``unnamed`` for an unnamed source or none), the distinct people quoted by gender
        (``people_female`` ...), ``quotes`` in all and the shares (``share_women_people``: of
        the people quoted, the women; ``share_women_quotes``: of the quotations of people, those
        of women; ``share_organizations``, ``share_unnamed``: of all quotations). ``topics`` are
        full-text queries: with ``topic`` in ``by``, a group per topic; else they filter."""
        unknown = [b for b in by if b not in DIVERSITY_GROUPS]
        if unknown:
            raise QueryError(f"cannot group by {unknown[0]!r}: use outlet, month or topic")
        keys = [b for b in by if b != "topic"]
        per_topic = "topic" in by
        if per_topic and not topics:
            raise QueryError("grouping by topic needs at least one topic (a full-text query)")
        if not per_topic and len(topics) > 1:
            raise QueryError("several topics need grouping by topic (one group per topic)")
        runs: list[str | None] = list(topics) if per_topic else [topics[0] if topics else None]
        for blank in (t for t in topics if not t.strip()):
            raise QueryError(Errors.E050.format(query=blank, reason="it has no word to look for"))
        groups: dict[tuple[Any, ...], Row] = {}
        for topic in runs:
            conditions = self._quote_conditions(topic or "", filters)
            if conditions is None:
                continue
            join, where, params = conditions
            columns = [DIVERSITY_GROUPS[k] for k in keys]
            category = (
                "CASE WHEN s.kind = 'person' THEN coalesce(s.gender, 'unknown') "
                "WHEN s.kind IN ('organization', 'group') THEN s.kind ELSE 'unnamed' END"
            )
            select = ", ".join([*columns, category])
            sql = (
                f"SELECT {select}, count(*), count(DISTINCT CASE WHEN s.kind = 'person' THEN q.speaker_id END) "
                f"FROM quotes q {join} LEFT JOIN speakers s ON s.speaker_id = q.speaker_id WHERE "
                + " AND ".join([*where, "1 = 1"])
                + " GROUP BY "
                + ", ".join([*columns, category])
            )
            for row in self._run(sql, params):
                values = tuple(row[: len(keys)])
                kind, quotes, people = row[len(keys)], int(row[-2]), int(row[-1])
                key = ((topic,) if per_topic else ()) + values
                group = groups.setdefault(key, _empty_group(keys, values, topic if per_topic else None))
                group[kind] += quotes
                group["quotes"] += quotes
                if kind in ("female", "male", "unknown"):
                    group[f"people_{kind}"] += people
        rows = [_with_shares(group) for group in groups.values()]
        return sorted(rows, key=lambda r: tuple(str(r.get(k) or "") for k in by))

    def _sync_quote_speakers(self) -> None:
        """Copy each entity's speaker id onto the quotations attributed to it."""
        self._run(
            "UPDATE quotes SET speaker_id = (SELECT e.speaker_id FROM entities e "
            "WHERE e.article_id = quotes.article_id AND e.entity_id = quotes.speaker_entity) "
            f"WHERE speaker_id {self.distinct} (SELECT e.speaker_id FROM entities e "
            "WHERE e.article_id = quotes.article_id AND e.entity_id = quotes.speaker_entity)"
        )

    # -- corrections ---------------------------------------------------------------------------

    def add_correction(self, correction: Correction) -> None:
        """Keep a human correction; it is applied now and on every later consolidation."""
        with self.transaction():
            self._run(
                "INSERT INTO corrections (action, a, b, alias, author, created) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    correction.action,
                    correction.a,
                    correction.b,
                    correction.alias,
                    correction.author,
                    correction.created,
                ),
            )
            self._mark_dirty()

    def corrections(self) -> list[Correction]:
        return [
            Correction(action, a, b, alias, author, created)
            for action, a, b, alias, author, created in self._run(
                "SELECT action, a, b, alias, author, created FROM corrections ORDER BY id"
            )
        ]

    # -- questions -----------------------------------------------------------------------------

    def resolve_speaker(self, name: str) -> list[str]:
        """Speaker ids for a name: an id as is, else the speakers whose name or an alias is ``name``
        (case-insensitive), else, for one word, the speakers whose name ends with it; most quoted
        first."""
        rows = self._run("SELECT speaker_id FROM speakers WHERE speaker_id = ?", (name,))
        if rows:
            return [rows[0][0]]
        key = alias_key(name)
        rows = self._run(
            "SELECT s.speaker_id FROM speakers s WHERE s.speaker_id IN "
            "(SELECT speaker_id FROM speaker_aliases WHERE alias_key = ?) "
            "OR lower(s.name) = ? ORDER BY s.quote_count DESC, s.speaker_id",
            (key, key),
        )
        if not rows and " " not in key:
            # a surname alone ("okafor"): the speakers whose name ends with it
            rows = self._run(
                "SELECT speaker_id FROM speakers WHERE lower(name) LIKE ? ORDER BY quote_count DESC, speaker_id",
                ("% " + key.replace("%", "").replace("_", ""),),
            )
        return [r[0] for r in rows]

    def search(
        self,
        query: str,
        filters: SearchFilters = SearchFilters(),
        *,
        limit: int = 20,
        offset: int = 0,
        sort: Sort = "rank",
    ) -> list[Row]:
        """Quotations whose content matches ``query`` (``parse_query``: words, "phrases", OR,
        -excluded, prefix*, NEAR(a b, N); ``speaker:``, ``outlet:`` and ``type:`` fields fill the
        filters the call leaves empty; an empty query matches every quotation), filtered, the
        substantive first (``sort="rank"``: ``RANK_ORDER``, then the text match) or by date.
        Each row has the export columns, ``snippet`` (the content) and ``matches``: the
        [start, end) offsets of the matched words in ``snippet``."""
        query, filters = _with_fields(query, filters)
        speaker_ids, where, params = self._filter_conditions(filters)
        if speaker_ids == []:
            return []
        if not query.strip():
            if speaker_ids is not None:
                where.append("q.speaker_id IN (" + ", ".join("?" for _ in speaker_ids) + ")")
                params.extend(speaker_ids)
            order = "q.published ASC, q.quote_id" if sort == "date" else "q.published DESC, q.quote_id"
            sql = (
                f"SELECT {_QUOTE_SELECT}, q.content_text AS snippet FROM quotes q "
                f"JOIN articles a ON a.article_id = q.article_id LEFT JOIN speakers s ON s.speaker_id = q.speaker_id "
                f"{'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY {order} LIMIT ? OFFSET ?"
            )
            rows = self._rows(sql, [*params, limit, offset], [*QUOTE_COLUMNS, "snippet"])
        else:
            rows = self._search_quotes(query, speaker_ids, where, params, limit, offset, sort)
        for row in rows:
            row["snippet"], row["matches"] = split_highlights(row["snippet"] or "")
        return rows

    def speaker_name(self, speaker_id: str) -> str | None:
        """A speaker's name by id (None if there is no such speaker)."""
        rows = self._run("SELECT name FROM speakers WHERE speaker_id = ?", (speaker_id,))
        return str(rows[0][0]) if rows else None

    def _filter_conditions(self, filters: SearchFilters) -> tuple[list[str] | None, list[str], list[Any]]:
        """(the speaker ids, None for any speaker and [] when the one named is unknown; the SQL
        conditions of the other filters; their parameters)."""
        where: list[str] = []
        params: list[Any] = []
        speaker_ids: list[str] | None = None
        if filters.speaker:
            speaker_ids = self.resolve_speaker(filters.speaker)
        if filters.outlet:
            where.append("lower(q.outlet) = ?")
            params.append(filters.outlet.casefold())
        if filters.since:
            where.append("q.published >= ?")
            params.append(filters.since)
        if filters.until:
            where.append("substr(q.published, 1, 10) <= ?")
            params.append(filters.until)
        if filters.type:
            where.append("q.type = ?")
            params.append(filters.type)
        if filters.min_confidence:
            where.append("q.confidence >= ?")
            params.append(filters.min_confidence)
        return speaker_ids, where, params

    def _quote_conditions(
        self, query: str, filters: SearchFilters
    ) -> tuple[str, list[str], list[Any]] | None:
        """(a join, the SQL conditions, their parameters) for the quotations ``q`` that match
        ``query`` (every one when it is blank) under ``filters``; None when the speaker the
        filters name is unknown, so that nothing matches."""
        speaker_ids, where, params = self._filter_conditions(filters)
        if speaker_ids == []:
            return None
        join = ""
        if query.strip():
            # the speaker inside the text match, as search does (the index's one short posting list)
            join, condition, match_params = self._match(query, speaker_ids)
            where.insert(0, condition)
            params[:0] = match_params
        elif speaker_ids is not None:
            where.append("q.speaker_id IN (" + ", ".join("?" for _ in speaker_ids) + ")")
            params.extend(speaker_ids)
        return join, where, params

    @abstractmethod
    def _match(self, query: str, speaker_ids: list[str] | None) -> tuple[str, str, list[Any]]:
        """The full-text match of ``query`` on quotations ``q``, by these speakers when given:
        (a join, a condition, its parameters)."""

    def search_summary(
        self, query: str, filters: SearchFilters = SearchFilters(), *, top: int = 10, facets: bool = True
    ) -> Row:
        """Over every quotation ``search`` would return, not a page of them: ``total``, and with
        ``facets`` the ``top`` speakers and outlets, every type and every year, by count (each
        row ``{"value", "label", "count"}``)."""
        query, filters = _with_fields(query, filters)
        conditions = self._quote_conditions(query, filters)
        if conditions is None:
            return {"total": 0, "speaker": [], "outlet": [], "type": [], "year": []}
        join, where, params = conditions
        base = (
            f"FROM quotes q {join} LEFT JOIN speakers s ON s.speaker_id = q.speaker_id WHERE "
            + " AND ".join([*where, "1 = 1"])
        )
        total = int(self._run(f"SELECT count(*) {base}", params)[0][0])
        if not facets:
            return {"total": total}

        def grouped(value: str, label: str, limit: int | None) -> list[Row]:
            sql = (
                f"SELECT {value}, {label}, count(*) {base} AND {value} IS NOT NULL "
                f"GROUP BY {value}, {label} ORDER BY count(*) DESC, {label}"
            )
            rows = self._run(sql + " LIMIT ?", [*params, limit]) if limit else self._run(sql, params)
            return [{"value": v, "label": name, "count": int(n)} for v, name, n in rows]

        years = grouped("substr(q.published, 1, 4)", "substr(q.published, 1, 4)", None)
        return {
            "total": total,
            "speaker": grouped("q.speaker_id", "coalesce(s.name, q.speaker_id)", top),
            "outlet": grouped("q.outlet", "q.outlet", top),
            "type": grouped("q.type", "q.type", None),
            "year": sorted(years, key=lambda r: str(r["value"])),
        }

    def _rows(self, sql: str, params: Sequence[Any], columns: Sequence[str]) -> list[Row]:
        return [dict(zip(columns, row, strict=True)) for row in self._run(sql, params)]

    def speakers(self, *, limit: int = 50, offset: int = 0, name: str = "") -> list[Row]:
        """The most quoted speakers, with their counts (entities never quoted are left out);
        with ``name``, those whose name holds it (any case)."""
        where, params = self._speaker_name_filter(name)
        return self._rows(
            f"SELECT speaker_id, name, kind, quote_count, article_count FROM speakers WHERE {where} "
            "ORDER BY quote_count DESC, article_count DESC, speaker_id LIMIT ? OFFSET ?",
            (*params, limit, offset),
            ("speaker_id", "name", "kind", "quote_count", "article_count"),
        )

    def speaker_total(self, name: str = "") -> int:
        """How many speakers ``speakers`` lists in all."""
        where, params = self._speaker_name_filter(name)
        return int(self._run(f"SELECT count(*) FROM speakers WHERE {where}", params)[0][0])

    @staticmethod
    def _speaker_name_filter(name: str) -> tuple[str, list[Any]]:
        if not name.strip():
            return "quote_count > 0", []
        pattern = "%" + name.strip().lower().replace("\\", "").replace("%", "").replace("_", "") + "%"
        return "quote_count > 0 AND lower(name) LIKE ?", [pattern]

    def speaker(self, name: str) -> Row | None:
        """One speaker by id or name: aliases, roles over time, outlets, media, addressees,
        quotations per month (``months``, and ``undated``), and the ``TIMELINE`` latest
        quotations (``None`` when no speaker has that name)."""
        ids = self.resolve_speaker(name)
        if not ids:
            return None
        sid = ids[0]
        info = self._rows(
            "SELECT speaker_id, name, kind, quote_count, article_count, gender, gender_source "
            "FROM speakers WHERE speaker_id = ?",
            (sid,),
            ("speaker_id", "name", "kind", "quote_count", "article_count", "gender", "gender_source"),
        )[0]
        info["aliases"] = self._rows(
            "SELECT alias, count FROM speaker_aliases WHERE speaker_id = ? ORDER BY count DESC, alias",
            (sid,),
            ("alias", "count"),
        )
        info["roles"] = self._rows(
            "SELECT role, first_seen, last_seen, count FROM speaker_roles WHERE speaker_id = ? "
            "ORDER BY count DESC, role",
            (sid,),
            ("role", "first_seen", "last_seen", "count"),
        )
        for field, column in (
            ("outlets", "outlet"),
            ("media", "medium_text"),
            ("addressees", "addressee_text"),
        ):
            info[field] = self._rows(
                f"SELECT {column}, count(*) AS n FROM quotes WHERE speaker_id = ? AND {column} IS NOT NULL "
                f"GROUP BY {column} ORDER BY n DESC, {column} LIMIT 20",
                (sid,),
                ("name", "count"),
            )
        # counted in SQL, so a speaker of 100,000 quotations costs what one of ten does
        info["months"] = {
            str(month): int(n)
            for month, n in self._run(
                "SELECT substr(published, 1, 7), count(*) FROM quotes WHERE speaker_id = ? "
                "AND published IS NOT NULL GROUP BY substr(published, 1, 7)",
                (sid,),
            )
        }
        info["undated"] = int(
            self._run("SELECT count(*) FROM quotes WHERE speaker_id = ? AND published IS NULL", (sid,))[0][0]
        )
        # the latest quotations, oldest of them first
        info["timeline"] = self.search("", SearchFilters(speaker=sid), limit=TIMELINE, sort="-date")[::-1]
        info["other_matches"] = ids[1:]
        return info

    def quote(self, quote_id: str) -> Row | None:
        """One quotation with its provenance: the group, its first appearance, every article that
        carried it, and the variants flagged with their differing words."""
        rows = self._rows(
            f"SELECT {_QUOTE_SELECT} FROM quotes q JOIN articles a ON a.article_id = q.article_id "
            "LEFT JOIN speakers s ON s.speaker_id = q.speaker_id WHERE q.quote_id = ?",
            (quote_id,),
            QUOTE_COLUMNS,
        )
        if not rows:
            return None
        info = rows[0]
        info["first_quote_id"] = None
        info["carried_by"] = []
        info["variants"] = []
        group_id = info["group_id"]
        if group_id is not None:
            first = self._run("SELECT first_quote_id FROM quote_groups WHERE group_id = ?", (group_id,))
            info["first_quote_id"] = first[0][0] if first else None
            info["carried_by"] = self._rows(
                f"SELECT {_QUOTE_SELECT} FROM quotes q JOIN articles a ON a.article_id = q.article_id "
                "LEFT JOIN speakers s ON s.speaker_id = q.speaker_id WHERE q.group_id = ? "
                "ORDER BY q.published, q.quote_id",
                (group_id,),
                QUOTE_COLUMNS,
            )
            info["variants"] = [
                {"quote_id": qid, "differences": json.loads(diff)}
                for qid, diff in self._run(
                    "SELECT quote_id, differences FROM quote_variants WHERE group_id = ? ORDER BY quote_id",
                    (group_id,),
                )
            ]
        return info

    def speaks_about(self, speaker_id: str, *, limit: int = 20) -> list[Row]:
        """The speakers most often named inside this speaker's quotations, with counts."""
        return self._rows(
            "SELECT e.speaker_id, s.name, count(*) AS n FROM quotes q "
            "JOIN quote_mentions m ON m.quote_id = q.quote_id "
            "JOIN entities e ON e.article_id = m.article_id AND e.entity_id = m.entity_id "
            "JOIN speakers s ON s.speaker_id = e.speaker_id "
            "WHERE q.speaker_id = ? AND e.speaker_id <> ? "
            "GROUP BY e.speaker_id, s.name ORDER BY n DESC, s.name LIMIT ?",
            (speaker_id, speaker_id, limit),
            ("speaker_id", "name", "count"),
        )

    def quote_speakers(self, article_id: str) -> dict[str, str | None]:
        """The corpus speaker id of each quotation of an article, by quote id."""
        return dict(self._run("SELECT quote_id, speaker_id FROM quotes WHERE article_id = ?", (article_id,)))

    def articles(self, query: str = "", *, limit: int = 20, offset: int = 0) -> list[Row]:
        """Articles whose title or text match ``query`` (best first), or all, newest first."""
        columns = ("article_id", "title", "published", "outlet", "source_path", "url", "quote_count")
        if not query.strip():
            return self._rows(
                "SELECT " + ", ".join(columns) + " FROM articles "
                "ORDER BY published DESC, article_id LIMIT ? OFFSET ?",
                (limit, offset),
                columns,
            )
        return self._search_articles(query, columns, limit, offset)

    def article_total(self, query: str = "") -> int:
        """How many articles ``articles`` lists in all for ``query``."""
        if not query.strip():
            return int(self._run("SELECT count(*) FROM articles")[0][0])
        sql = f"SELECT count(*) FROM articles a WHERE {self.article_text_match}"
        return int(self._run(sql, (self._text_query(query),))[0][0])

    @abstractmethod
    def _search_articles(self, query: str, columns: Sequence[str], limit: int, offset: int) -> list[Row]:
        """Articles matching the full-text ``query``, best first."""

    # -- relations and stances -----------------------------------------------------------------

    # full-text conditions with one placeholder each, and the form of the query they take
    stance_target_match: str
    article_text_match: str

    def _text_query(self, query: str) -> str:
        return query

    def _stance_matches(self, variants: str, context: str, limit: int) -> list[Row]:
        """Stored stances whose target matches the full-text query ``variants``, in articles
        matching ``context`` (all of its words; empty: any article); ``STANCE_MATCH_COLUMNS``."""
        conditions = [self.stance_target_match]
        params: list[Any] = [self._text_query(variants)]
        if context:
            conditions.append(self.article_text_match)
            params.append(self._text_query(context))
        sql = (
            f"SELECT {STANCE_MATCH_SELECT} FROM stances s {STANCE_MATCH_JOINS}"
            "WHERE "
            + " AND ".join(conditions)
            + " ORDER BY s.confidence DESC, s.article_id, s.position LIMIT ?"
        )
        return self._rows(sql, (*params, limit), STANCE_MATCH_COLUMNS)

    def stance(self, topic: str, *, limit: int = 2000) -> Row:
        """Speakers for, against and unclear on ``topic``, with their statements (see
        ``onrecord.relate.stance``)."""
        from onrecord.relate.stance import parse_topic, sides

        parsed = parse_topic(topic)
        stances = self._stance_matches(parsed.variants_query(), parsed.context_query(), limit)
        quotes = self.search(parsed.variants_query(), limit=limit)
        if parsed.context:
            allowed = {
                row["article_id"]
                for row in self._search_articles(parsed.context_query(), ("article_id",), 1_000_000, 0)
            }
            quotes = [q for q in quotes if q["article_id"] in allowed]
        answer = sides(parsed, stances, quotes)
        answer["articles_without_relations"] = self.articles_without_relations()
        return answer

    def articles_without_relations(self) -> int:
        """Stored articles of the older schema (``onrecord.article.v1``): no relations or
        stances were looked for in them; ``onrecord ingest DB --reprocess`` adds them."""
        return int(
            self._run(
                "SELECT count(*) FROM articles WHERE data LIKE ?", ('%"schema": "onrecord.article.v1"%',)
            )[0][0]
        )

    def relations_of(self, speaker_id: str, *, limit: int = 50) -> Row:
        """Whom this speaker praises, criticises, thanks, accuses, supports or opposes, and who
        does so to them: grouped by predicate and other speaker, with counts and one example."""
        out: Row = {}
        for direction, mine, other in (("outgoing", "subject", "object"), ("incoming", "object", "subject")):
            out[direction] = self._rows(
                f"SELECT r.predicate, eo.speaker_id, coalesce(so.name, min(r.{other}_name)), count(*) AS n, "
                "max(r.confidence), min(r.evidence_text), min(r.article_id) "
                "FROM relations r "
                f"JOIN entities em ON em.article_id = r.article_id AND em.entity_id = r.{mine}_entity "
                f"LEFT JOIN entities eo ON eo.article_id = r.article_id AND eo.entity_id = r.{other}_entity "
                "LEFT JOIN speakers so ON so.speaker_id = eo.speaker_id "
                "WHERE em.speaker_id = ? "
                "GROUP BY r.predicate, eo.speaker_id, so.name ORDER BY n DESC, r.predicate, eo.speaker_id LIMIT ?",
                (speaker_id, limit),
                ("predicate", "speaker_id", "name", "count", "confidence", "evidence", "article_id"),
            )
        return out

    def relation_graph(self, *, limit: int = 500) -> list[Row]:
        """The who-with-whom graph of the corpus: one edge per (subject, predicate, object)
        speaker triple, with how many statements carry it, most carried first."""
        return self._rows(
            "SELECT es.speaker_id, coalesce(ss.name, min(r.subject_name)), r.predicate, eo.speaker_id, "
            "coalesce(so.name, min(r.object_name)), count(*) AS n, count(DISTINCT r.article_id) "
            "FROM relations r "
            "JOIN entities es ON es.article_id = r.article_id AND es.entity_id = r.subject_entity "
            "JOIN entities eo ON eo.article_id = r.article_id AND eo.entity_id = r.object_entity "
            "LEFT JOIN speakers ss ON ss.speaker_id = es.speaker_id "
            "LEFT JOIN speakers so ON so.speaker_id = eo.speaker_id "
            "GROUP BY es.speaker_id, ss.name, r.predicate, eo.speaker_id, so.name "
            "ORDER BY n DESC, es.speaker_id, r.predicate, eo.speaker_id LIMIT ?",
            (limit,),
            ("subject_id", "subject", "predicate", "object_id", "object", "count", "articles"),
        )

    def counts(self) -> dict[str, int]:
        """How many articles, quotations, speakers and items (by status) the store holds."""
        found = {
            table: int(self._run(f"SELECT count(*) FROM {table}")[0][0])
            for table in ("articles", "quotes", "quote_groups")
        }
        found["speakers"] = self.speaker_total()  # those quoted, as ``speakers`` lists them
        for status, n in self._run("SELECT status, count(*) FROM items GROUP BY status"):
            found[f"items_{status}"] = int(n)
        return found

    def failures(self) -> list[Row]:
        return self._rows(
            "SELECT item_key, status, reason FROM items WHERE status <> 'ok' ORDER BY item_key",
            (),
            ("item_key", "status", "reason"),
        )

    def export_rows(self, table: str) -> Iterator[Row]:
        """Every row of an export table (``quotes``, ``articles``, ``speakers``, ``entities`` or
        ``failures``: records skipped or failed), in a stable order."""
        if table == "quotes":
            sql = (
                f"SELECT {_QUOTE_SELECT} FROM quotes q JOIN articles a ON a.article_id = q.article_id "
                "LEFT JOIN speakers s ON s.speaker_id = q.speaker_id ORDER BY q.article_id, q.position"
            )
            yield from self._rows(sql, (), QUOTE_COLUMNS)
        elif table == "articles":
            yield from self._rows(
                "SELECT " + ", ".join(ARTICLE_COLUMNS) + " FROM articles ORDER BY article_id",
                (),
                ARTICLE_COLUMNS,
            )
        elif table == "entities":
            for row in self._rows(
                "SELECT " + ", ".join(ENTITY_COLUMNS) + " FROM entities ORDER BY article_id, entity_id",
                (),
                ENTITY_COLUMNS,
            ):
                row["descriptions"] = json.loads(row["descriptions"])
                yield row
        elif table == "relations":
            yield from self._rows(
                "SELECT r.article_id, r.position, es.speaker_id, r.subject_name, r.predicate, eo.speaker_id, "
                "r.object_name, r.cue_text, r.evidence_start, r.evidence_end, r.evidence_text, r.confidence, "
                "a.published, a.outlet FROM relations r JOIN articles a ON a.article_id = r.article_id "
                "LEFT JOIN entities es ON es.article_id = r.article_id AND es.entity_id = r.subject_entity "
                "LEFT JOIN entities eo ON eo.article_id = r.article_id AND eo.entity_id = r.object_entity "
                "ORDER BY r.article_id, r.position",
                (),
                RELATION_COLUMNS,
            )
        elif table == "stances":
            yield from self._rows(
                "SELECT s.article_id, s.position, e.speaker_id, s.holder_name, s.stance, s.target_text, s.cue_text, "
                "s.evidence_start, s.evidence_end, s.evidence_text, s.quote_id, s.confidence, a.published, a.outlet "
                "FROM stances s JOIN articles a ON a.article_id = s.article_id "
                "LEFT JOIN entities e ON e.article_id = s.article_id AND e.entity_id = s.holder_entity "
                "ORDER BY s.article_id, s.position",
                (),
                STANCE_COLUMNS,
            )
        elif table == "failures":
            yield from self._rows(
                "SELECT item_key, status, reason FROM items WHERE status <> 'ok' ORDER BY item_key",
                (),
                FAILURE_COLUMNS,
            )
        elif table == "speakers":
            aliases: dict[str, list[str]] = {}
            for sid, alias in self._run(
                "SELECT speaker_id, alias FROM speaker_aliases ORDER BY speaker_id, count DESC, alias"
            ):
                aliases.setdefault(sid, []).append(alias)
            roles: dict[str, list[str]] = {}
            for sid, role in self._run(
                "SELECT speaker_id, role FROM speaker_roles ORDER BY speaker_id, count DESC, role"
            ):
                roles.setdefault(sid, []).append(role)
            for row in self._rows(
                "SELECT speaker_id, name, kind, quote_count, article_count FROM speakers ORDER BY speaker_id",
                (),
                SPEAKER_COLUMNS[:5],
            ):
                row["aliases"] = aliases.get(row["speaker_id"], [])
                row["roles"] = roles.get(row["speaker_id"], [])
                yield row
        else:
            raise QueryError(Errors.E051.format(table=table, tables=", ".join(TABLES)))


_QUOTE_SELECT = (
    "q.quote_id, q.article_id, q.position, a.source_path, a.url, a.title, q.published, q.outlet, q.speaker_id, "
    "coalesce(s.name, q.speaker_local_name), q.source_text, q.type, q.content_text, q.content_start, "
    "q.content_end, q.cue_text, q.medium_text, q.addressee_text, q.confidence, q.group_id, q.extractor"
)


def _text(span: Any) -> str | None:
    return span.text if span is not None else None


GENDERS = ("female", "male", "unknown")
#: What ``diversity`` groups by, as SQL over quotations ``q`` (``topic`` is a full-text query).
DIVERSITY_GROUPS = {"outlet": "q.outlet", "month": "substr(q.published, 1, 7)", "topic": ""}
DIVERSITY_KINDS = ("female", "male", "unknown", "organization", "group", "unnamed")
#: The counts and shares of a ``diversity`` row, in the order the CLI and the page's CSV give them.
DIVERSITY_COLUMNS = (
    "quotes",
    *DIVERSITY_KINDS,
    *(f"people_{g}" for g in GENDERS),
    "share_women_people",
    "share_women_quotes",
    "share_organizations",
    "share_unnamed",
)


def _empty_group(keys: Sequence[str], values: tuple[Any, ...], topic: str | None) -> Row:
    group: Row = {k: v for k, v in zip(keys, values, strict=True)}
    if topic is not None:
        group = {"topic": topic, **group}
    group.update({"quotes": 0, **dict.fromkeys(DIVERSITY_KINDS, 0)})
    group.update({f"people_{g}": 0 for g in GENDERS})
    return group


def _with_shares(group: Row) -> Row:
    people = sum(group[f"people_{g}"] for g in GENDERS)
    of_people = sum(group[g] for g in GENDERS)

    def share(part: int, whole: int) -> float | None:
        return round(part / whole, 4) if whole else None

    return {
        **group,
        "people": people,
        "share_women_people": share(group["people_female"], people),
        "share_women_quotes": share(group["female"], of_people),
        "share_organizations": share(group["organization"], group["quotes"]),
        "share_unnamed": share(group["unnamed"], group["quotes"]),
    }
