"""What consolidation reads from the store and writes back, as plain rows: no identity or
provenance is decided here (that is ``onrecord.corpus.consolidate``).

Reads: the entities as ``NameRecord``, the corrections, the quotations as ``QuoteRecord``, and
the gender evidence of each person speaker. Writes: each entity's speaker id (copied onto its
quotations), the speakers with their aliases and roles, their genders, the provenance groups
and variants, and the mark that the store is consolidated.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from onrecord.store.records import Correction, NameRecord, Provenance, QuoteRecord, SpeakerRecord
from onrecord.store.search import alias_key
from onrecord.store.sql import SqlRunner
from onrecord.store.writes import count_speaker_months


class SqlConsolidation(SqlRunner):
    """The rows of speaker identity and quote provenance over the whole corpus."""

    def needs_consolidation(self) -> bool:
        """True when articles changed (or corrections were added) since the last consolidation."""
        rows = self._run("SELECT value FROM meta WHERE key = 'dirty'")
        return bool(rows) and rows[0][0] == "1"

    def mark_consolidated(self) -> None:
        """Clear the mark that ``needs_consolidation`` reads."""
        self._run(
            "INSERT INTO meta (key, value) VALUES ('dirty', '0') ON CONFLICT (key) DO UPDATE SET value = '0'"
        )

    def corrections(self) -> list[Correction]:
        """Every human correction, in the order they were made."""
        return [
            Correction(action, a, b, alias, author, created)
            for action, a, b, alias, author, created in self._run(
                "SELECT action, a, b, alias, author, created FROM corrections ORDER BY id"
            )
        ]

    # -- speaker identity ----------------------------------------------------------------------

    def name_records(self) -> list[NameRecord]:
        """Every entity of every article, with the count of the quotations attributed to it, by
        article and entity id."""
        return [
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

    def set_entity_speakers(self, speaker_of: Mapping[tuple[str, str], str]) -> None:
        """Give each entity, by (article id, entity id), its speaker id (none when it is not in
        ``speaker_of``), and each quotation the speaker id of its entity."""
        current = {
            (article_id, entity_id): speaker_id
            for article_id, entity_id, speaker_id in self._run(
                "SELECT article_id, entity_id, speaker_id FROM entities"
            )
        }
        changed = [
            (speaker_of.get(key), key[0], key[1])
            for key, speaker_id in current.items()
            if speaker_of.get(key) != speaker_id
        ]
        self._run_many(
            "UPDATE entities SET speaker_id = {p} WHERE article_id = {p} AND entity_id = {p}", changed
        )
        self._run(
            "UPDATE quotes SET speaker_id = (SELECT e.speaker_id FROM entities e "
            "WHERE e.article_id = quotes.article_id AND e.entity_id = quotes.speaker_entity) "
            f"WHERE speaker_id {self.distinct} (SELECT e.speaker_id FROM entities e "
            "WHERE e.article_id = quotes.article_id AND e.entity_id = quotes.speaker_entity)"
        )

    def put_speakers(self, speakers: Sequence[SpeakerRecord]) -> None:
        """Replace the speakers, their aliases and their roles with ``speakers``, each counted
        over the quotations that carry its id (set by ``set_entity_speakers``), in all and per
        month."""
        ordered = sorted(speakers, key=lambda s: s.speaker_id)
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
            "INSERT INTO speakers (speaker_id, name, kind, quote_count, article_count) "
            "VALUES ({p}, {p}, {p}, {p}, {p})",
            [(s.speaker_id, s.name, s.kind, *counts.get(s.speaker_id, (0, 0))) for s in ordered],
        )
        self._run_many(
            "INSERT INTO speaker_aliases (speaker_id, alias, alias_key, count) VALUES ({p}, {p}, {p}, {p})",
            [
                (s.speaker_id, alias, alias_key(alias), count)
                for s in ordered
                for alias, count in sorted(s.aliases.items())
            ],
        )
        self._run_many(
            "INSERT INTO speaker_roles (speaker_id, role, first_seen, last_seen, count) "
            "VALUES ({p}, {p}, {p}, {p}, {p})",
            [
                (s.speaker_id, role, first, last, count)
                for s in ordered
                for role, (first, last, count) in sorted(s.roles.items())
            ],
        )
        count_speaker_months(self)

    def person_genders(self) -> dict[str, dict[str, int]]:
        """For each person speaker whose articles give a gender: how many of its articles have
        its entity ``female``, how many ``male``."""
        votes: dict[str, dict[str, int]] = {}
        for sid, gender, articles in self._run(
            "SELECT speaker_id, gender, count(DISTINCT article_id) FROM entities "
            "WHERE speaker_id IS NOT NULL AND kind = 'person' AND gender IN ('female', 'male') "
            "GROUP BY speaker_id, gender"
        ):
            votes.setdefault(sid, {"female": 0, "male": 0})[gender] = int(articles)
        return votes

    def set_speaker_genders(self, genders: Mapping[str, tuple[str, str]]) -> None:
        """Each person speaker's gender and where it comes from (``articles`` or
        ``correction``), by speaker id; ``unknown`` from ``articles`` for the others."""
        self._run("UPDATE speakers SET gender = 'unknown', gender_source = 'articles' WHERE kind = 'person'")
        self._run_many(
            "UPDATE speakers SET gender = {p}, gender_source = {p} WHERE speaker_id = {p}",
            [(gender, source, sid) for sid, (gender, source) in sorted(genders.items())],
        )

    # -- quote provenance ----------------------------------------------------------------------

    def quote_records(self) -> list[QuoteRecord]:
        """Every quotation, by id."""
        return [
            QuoteRecord(quote_id, article_id, text, speaker_id, published, outlet, kind)
            for quote_id, article_id, text, speaker_id, published, outlet, kind in self._run(
                "SELECT quote_id, article_id, content_text, speaker_id, published, outlet, type FROM quotes "
                "ORDER BY quote_id"
            )
        ]

    def put_provenance(self, provenance: Provenance) -> None:
        """Replace the quotations' groups, the groups and the variants with ``provenance``."""
        grouped = dict(self._run("SELECT quote_id, group_id FROM quotes WHERE group_id IS NOT NULL"))
        changes = [
            (provenance.group_of.get(quote_id), quote_id)
            for quote_id in sorted(grouped.keys() | provenance.group_of.keys())
            if provenance.group_of.get(quote_id) != grouped.get(quote_id)
        ]
        self._run_many("UPDATE quotes SET group_id = {p} WHERE quote_id = {p}", changes)
        self._run("DELETE FROM quote_groups")
        self._run("DELETE FROM quote_variants")
        sizes: dict[str, int] = {}
        for group_id in provenance.group_of.values():
            sizes[group_id] = sizes.get(group_id, 0) + 1
        self._run_many(
            "INSERT INTO quote_groups (group_id, first_quote_id, size) VALUES ({p}, {p}, {p})",
            [(gid, first, sizes.get(gid, 0)) for gid, first in sorted(provenance.first.items())],
        )
        self._run_many(
            "INSERT INTO quote_variants (quote_id, group_id, differences) VALUES ({p}, {p}, {p})",
            [
                (qid, provenance.group_of[qid], json.dumps(diff, ensure_ascii=False))
                for qid, diff in sorted(provenance.variants.items())
            ],
        )
