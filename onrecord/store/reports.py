"""The store's reports over the whole corpus: counts, export, who gets quoted (``diversity``),
relations between speakers, and the stored stances whose target matches a topic.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from onrecord.errors import Errors, QueryError
from onrecord.store.columns import (
    ARTICLE_COLUMNS,
    DIVERSITY_GROUPS,
    DIVERSITY_KINDS,
    ENTITY_COLUMNS,
    FAILURE_COLUMNS,
    QUOTE_COLUMNS,
    QUOTE_SELECT,
    RELATION_COLUMNS,
    SPEAKER_COLUMNS,
    STANCE_COLUMNS,
    STANCE_MATCH_COLUMNS,
    STANCE_MATCH_JOINS,
    STANCE_MATCH_SELECT,
    TABLES,
)
from onrecord.store.queries import SqlQueries
from onrecord.store.records import GENDERS, NO_FILTERS, Row, SearchFilters


class SqlReports(SqlQueries):
    """Whole-corpus counts, export, diversity, relations and stance matches."""

    def diversity(
        self,
        by: Sequence[str] = (),
        *,
        topics: Sequence[str] = (),
        filters: SearchFilters = NO_FILTERS,
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

    def stance_matches(self, variants: str, context: str, *, limit: int) -> list[Row]:
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
            + " ORDER BY s.confidence DESC, s.article_id, s.position LIMIT {p}"
        )
        return self._rows(sql, (*params, limit), STANCE_MATCH_COLUMNS)

    def articles_without_relations(self) -> int:
        """Stored articles of the older schema (``onrecord.article.v1``): no relations or
        stances were looked for in them; ``onrecord ingest DB --reprocess`` adds them."""
        return int(
            self._run(
                "SELECT count(*) FROM articles WHERE data LIKE {p}", ('%"schema": "onrecord.article.v1"%',)
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
                "WHERE em.speaker_id = {p} "
                "GROUP BY r.predicate, eo.speaker_id, so.name ORDER BY n DESC, r.predicate, eo.speaker_id LIMIT {p}",
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
            "ORDER BY n DESC, es.speaker_id, r.predicate, eo.speaker_id LIMIT {p}",
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
                f"SELECT {QUOTE_SELECT} FROM quotes q JOIN articles a ON a.article_id = q.article_id "
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
