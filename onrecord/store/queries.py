"""The store's questions about quotations, speakers and articles: search and its summary,
lookups by id or name, and the pages of speakers and articles.
"""

from __future__ import annotations

import json
from typing import Any

from onrecord.model import Article
from onrecord.store.columns import DATE_ORDER, QUOTE_COLUMNS, QUOTE_SELECT
from onrecord.store.records import NO_FILTERS, ItemState, Row, SearchFilters, Sort
from onrecord.store.search import alias_key, split_highlights, with_fields
from onrecord.store.sql import P, SqlRunner

#: The latest quotations a speaker's record carries (all of them: a search by speaker).
TIMELINE = 200


class SqlQueries(SqlRunner):
    """Searches and lookups over the stored quotations, speakers and articles."""

    def item_states(self) -> dict[str, ItemState]:
        """Every input record seen so far, by its key."""
        rows = self._run("SELECT item_key, article_id, status, extractor FROM items")
        return {key: ItemState(article_id, status, extractor) for key, article_id, status, extractor in rows}

    def stale_articles(self, extractor: str) -> list[tuple[Any, ...]]:
        """(key, article id, text, url, title, published, outlet, author) of each stored article
        made by another extractor than ``extractor``, by key."""
        return self._run(
            "SELECT i.item_key, a.article_id, a.text, a.url, a.title, a.published, a.outlet, a.author "
            "FROM items i JOIN articles a ON a.article_id = i.article_id "
            "WHERE i.status = 'ok' AND (i.extractor IS NULL OR i.extractor <> {p}) ORDER BY i.item_key",
            (extractor,),
        )

    def article(self, article_id: str) -> Article | None:
        """The stored article, as the engine returned it."""
        rows = self._run("SELECT data, text FROM articles WHERE article_id = {p}", (article_id,))
        if not rows:
            return None
        data = json.loads(rows[0][0])
        data["text"] = rows[0][1]
        return Article.from_dict(data)

    def resolve_speaker(self, name: str) -> list[str]:
        """Speaker ids for a name: an id as is, else the speakers whose name or an alias is ``name``
        (case-insensitive), else, for one word, the speakers whose name ends with it; most quoted
        first."""
        rows = self._run("SELECT speaker_id FROM speakers WHERE speaker_id = {p}", (name,))
        if rows:
            return [rows[0][0]]
        key = alias_key(name)
        rows = self._run(
            "SELECT s.speaker_id FROM speakers s WHERE s.speaker_id IN "
            "(SELECT speaker_id FROM speaker_aliases WHERE alias_key = {p}) "
            "OR lower(s.name) = {p} ORDER BY s.quote_count DESC, s.speaker_id",
            (key, key),
        )
        if not rows and " " not in key:
            # a surname alone ("okafor"): the speakers whose name ends with it
            rows = self._run(
                "SELECT speaker_id FROM speakers WHERE lower(name) LIKE {p} ORDER BY quote_count DESC, speaker_id",
                ("% " + key.replace("%", "").replace("_", ""),),
            )
        return [r[0] for r in rows]

    def search(
        self,
        query: str,
        filters: SearchFilters = NO_FILTERS,
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
        query, filters = with_fields(query, filters)
        speaker_ids, where, params = self._filter_conditions(filters)
        if speaker_ids == []:
            return []
        if not query.strip():
            if speaker_ids is not None:
                where.append("q.speaker_id IN (" + ", ".join(P for _ in speaker_ids) + ")")
                params.extend(speaker_ids)
            # each direction as the (speaker_id, published, quote_id) index runs, so that a
            # speaker's newest quotations are read from it in order rather than sorted
            order = (
                f"{DATE_ORDER['date']}, q.quote_id"
                if sort == "date"
                else f"{DATE_ORDER['-date']}, q.quote_id DESC"
            )
            sql = (
                f"SELECT {QUOTE_SELECT}, q.content_text AS snippet FROM quotes q "
                f"JOIN articles a ON a.article_id = q.article_id LEFT JOIN speakers s ON s.speaker_id = q.speaker_id "
                f"{'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY {order} LIMIT {P} OFFSET {P}"
            )
            rows = self._rows(sql, [*params, limit, offset], [*QUOTE_COLUMNS, "snippet"])
        else:
            rows = self._search_quotes(query, speaker_ids, where, params, limit, offset, sort)
        for row in rows:
            row["snippet"], row["matches"] = split_highlights(row["snippet"] or "")
        return rows

    def speaker_name(self, speaker_id: str) -> str | None:
        """A speaker's name by id (None if there is no such speaker)."""
        rows = self._run("SELECT name FROM speakers WHERE speaker_id = {p}", (speaker_id,))
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
            where.append("lower(q.outlet) = {p}")
            params.append(filters.outlet.casefold())
        if filters.since:
            where.append("q.published >= {p}")
            params.append(filters.since)
        if filters.until:
            where.append("substr(q.published, 1, 10) <= {p}")
            params.append(filters.until)
        if filters.type:
            where.append("q.type = {p}")
            params.append(filters.type)
        if filters.min_confidence:
            where.append("q.confidence >= {p}")
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
            where.append("q.speaker_id IN (" + ", ".join(P for _ in speaker_ids) + ")")
            params.extend(speaker_ids)
        return join, where, params

    def search_summary(
        self, query: str, filters: SearchFilters = NO_FILTERS, *, top: int = 10, facets: bool = True
    ) -> Row:
        """Over every quotation ``search`` would return, not a page of them: ``total``, and with
        ``facets`` the ``top`` speakers and outlets, every type and every year, by count (each
        row ``{"value", "label", "count"}``)."""
        query, filters = with_fields(query, filters)
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
            rows = self._run(sql + " LIMIT {p}", [*params, limit]) if limit else self._run(sql, params)
            return [{"value": v, "label": name, "count": int(n)} for v, name, n in rows]

        years = grouped("substr(q.published, 1, 4)", "substr(q.published, 1, 4)", None)
        return {
            "total": total,
            "speaker": grouped("q.speaker_id", "coalesce(s.name, q.speaker_id)", top),
            "outlet": grouped("q.outlet", "q.outlet", top),
            "type": grouped("q.type", "q.type", None),
            "year": sorted(years, key=lambda r: str(r["value"])),
        }

    def speakers(self, *, limit: int = 50, offset: int = 0, name: str = "") -> list[Row]:
        """The most quoted speakers, with their counts (entities never quoted are left out);
        with ``name``, those whose name holds it (any case)."""
        where, params = self._speaker_name_filter(name)
        return self._rows(
            f"SELECT speaker_id, name, kind, quote_count, article_count FROM speakers WHERE {where} "
            "ORDER BY quote_count DESC, article_count DESC, speaker_id LIMIT {p} OFFSET {p}",
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
        return "quote_count > 0 AND lower(name) LIKE {p}", [pattern]

    def speaker(self, name: str, *, latest: int = TIMELINE) -> Row | None:
        """One speaker by id or name: aliases, roles over time, outlets, media, addressees,
        quotations per month (``months``, and ``undated``), and the ``latest`` quotations, oldest
        of them first (``None`` when no speaker has that name)."""
        ids = self.resolve_speaker(name)
        if not ids:
            return None
        sid = ids[0]
        info = self._rows(
            "SELECT speaker_id, name, kind, quote_count, article_count, gender, gender_source, undated_count "
            "FROM speakers WHERE speaker_id = {p}",
            (sid,),
            (
                "speaker_id",
                "name",
                "kind",
                "quote_count",
                "article_count",
                "gender",
                "gender_source",
                "undated",
            ),
        )[0]
        info["aliases"] = self._rows(
            "SELECT alias, count FROM speaker_aliases WHERE speaker_id = {p} ORDER BY count DESC, alias",
            (sid,),
            ("alias", "count"),
        )
        info["roles"] = self._rows(
            "SELECT role, first_seen, last_seen, count FROM speaker_roles WHERE speaker_id = {p} "
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
                f"SELECT {column}, count(*) AS n FROM quotes WHERE speaker_id = {P} AND {column} IS NOT NULL "
                f"GROUP BY {column} ORDER BY n DESC, {column} LIMIT 20",
                (sid,),
                ("name", "count"),
            )
        # counted at consolidation (``speaker_months``), so a speaker of 100,000 quotations costs
        # what one of ten does
        info["months"] = {
            str(month): int(n)
            for month, n in self._run(
                "SELECT month, count FROM speaker_months WHERE speaker_id = {p}", (sid,)
            )
        }
        # the latest quotations, oldest of them first
        info["timeline"] = self.search("", SearchFilters(speaker=sid), limit=latest, sort="-date")[::-1]
        info["other_matches"] = ids[1:]
        return info

    def quote(self, quote_id: str) -> Row | None:
        """One quotation with its provenance: the group, its first appearance, every article that
        carried it, and the variants flagged with their differing words."""
        rows = self._rows(
            f"SELECT {QUOTE_SELECT} FROM quotes q JOIN articles a ON a.article_id = q.article_id "
            "LEFT JOIN speakers s ON s.speaker_id = q.speaker_id WHERE q.quote_id = {p}",
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
            first = self._run("SELECT first_quote_id FROM quote_groups WHERE group_id = {p}", (group_id,))
            info["first_quote_id"] = first[0][0] if first else None
            info["carried_by"] = self._rows(
                f"SELECT {QUOTE_SELECT} FROM quotes q JOIN articles a ON a.article_id = q.article_id "
                "LEFT JOIN speakers s ON s.speaker_id = q.speaker_id WHERE q.group_id = {p} "
                "ORDER BY q.published, q.quote_id",
                (group_id,),
                QUOTE_COLUMNS,
            )
            info["variants"] = [
                {"quote_id": qid, "differences": json.loads(diff)}
                for qid, diff in self._run(
                    "SELECT quote_id, differences FROM quote_variants WHERE group_id = {p} ORDER BY quote_id",
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
            "WHERE q.speaker_id = {p} AND e.speaker_id <> {p} "
            "GROUP BY e.speaker_id, s.name ORDER BY n DESC, s.name LIMIT {p}",
            (speaker_id, speaker_id, limit),
            ("speaker_id", "name", "count"),
        )

    def quote_speakers(self, article_id: str) -> dict[str, str | None]:
        """The corpus speaker id of each quotation of an article, by quote id."""
        return dict(
            self._run("SELECT quote_id, speaker_id FROM quotes WHERE article_id = {p}", (article_id,))
        )

    def articles(self, query: str = "", *, limit: int = 20, offset: int = 0) -> list[Row]:
        """Articles whose title or text match ``query`` (best first), or all, newest first."""
        columns = ("article_id", "title", "published", "outlet", "source_path", "url", "quote_count")
        if not query.strip():
            return self._rows(
                "SELECT " + ", ".join(columns) + " FROM articles "
                "ORDER BY published DESC NULLS LAST, article_id LIMIT {p} OFFSET {p}",
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

    def article_ids(self, query: str, *, limit: int = 1_000_000) -> list[str]:
        """The ids of the articles whose title or text match the full-text ``query``, best first."""
        return [row["article_id"] for row in self._search_articles(query, ("article_id",), limit, 0)]
