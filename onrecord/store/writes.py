"""Writing to the store: an article with its entities, quotations, mentions, relations and
stances (in one transaction), an input record's status, and a human correction.

Each write that changes what consolidation reads marks the store dirty
(``needs_consolidation``); ``onrecord.corpus.consolidate`` clears the mark.
"""

from __future__ import annotations

import json
from typing import Any

from onrecord.model import Article
from onrecord.store.records import Correction
from onrecord.store.sql import Db, P, SqlRunner, placeholders


def text_of(span: Any) -> str | None:
    """The text of a span, or None for none."""
    return span.text if span is not None else None


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
            text_of(r.cue),
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
            text_of(s.cue),
            s.evidence.start,
            s.evidence.end,
            s.evidence.text,
            f"{article_id}:{s.quote}" if s.quote else None,
            round(s.confidence, 4),
        )
        for position, s in enumerate(article.stances)
    ]


def write_relations(db: Db, article_id: str, article: Article) -> None:
    """Insert an article's relations and stances (the store, or a migration's ``db``)."""
    db._run_many(
        "INSERT INTO relations (article_id, position, subject_entity, subject_name, predicate, object_entity, "
        "object_name, cue_text, evidence_start, evidence_end, evidence_text, confidence) "
        f"VALUES ({placeholders(12)})",
        relation_rows(article_id, article),
    )
    db._run_many(
        "INSERT INTO stances (article_id, position, holder_entity, holder_name, stance, target_text, cue_text, "
        "evidence_start, evidence_end, evidence_text, quote_id, confidence) "
        f"VALUES ({placeholders(12)})",
        stance_rows(article_id, article),
    )


def count_speaker_months(db: Db) -> None:
    """Count each speaker's quotations per month (``speaker_months``) and those without a date
    (``speakers.undated_count``) over the speaker ids the quotations carry now (the store, or a
    migration's ``db``)."""
    db._run("DELETE FROM speaker_months")
    db._run(
        "INSERT INTO speaker_months (speaker_id, month, count) "
        "SELECT speaker_id, substr(published, 1, 7), count(*) FROM quotes "
        "WHERE speaker_id IS NOT NULL AND published IS NOT NULL GROUP BY speaker_id, substr(published, 1, 7)"
    )
    db._run(
        "UPDATE speakers SET undated_count = coalesce((SELECT count(*) FROM quotes q "
        "WHERE q.speaker_id = speakers.speaker_id AND q.published IS NULL), 0)"
    )


class SqlWrites(SqlRunner):
    """The store's writes of articles, input records and corrections."""

    def put_article(self, key: str, article_id: str, article: Article, extractor: str) -> None:
        """Store one extracted article for the input record ``key``, replacing what the record made
        before, in one transaction (so a kill leaves the article either whole or absent)."""
        with self.transaction():
            previous = self._run("SELECT article_id FROM items WHERE item_key = {p}", (key,))
            old = previous[0][0] if previous else None
            self._delete_article(article_id)
            if old is not None and old != article_id:
                others = self._run(
                    "SELECT count(*) FROM items WHERE article_id = {p} AND item_key <> {p}", (old, key)
                )
                if not others[0][0]:
                    self._delete_article(old)
            self._insert_article(key, article_id, article, extractor)
            self._set_item(key, article_id, "ok", None, extractor)
            self._mark_dirty()

    def put_status(self, key: str, status: str, reason: str, article_id: str | None = None) -> None:
        """Record that the input record ``key`` was skipped or failed, and why."""
        with self.transaction():
            self._set_item(key, article_id, status, reason, None)

    def _set_item(
        self, key: str, article_id: str | None, status: str, reason: str | None, extractor: str | None
    ) -> None:
        self._run(
            f"INSERT INTO items (item_key, article_id, status, reason, extractor) VALUES ({placeholders(5)}) "
            "ON CONFLICT (item_key) DO UPDATE SET article_id = excluded.article_id, "
            "status = excluded.status, reason = excluded.reason, extractor = excluded.extractor",
            (key, article_id, status, reason, extractor),
        )

    def _delete_article(self, article_id: str) -> None:
        for table in ("relations", "stances", "quote_mentions", "quotes", "entities", "articles"):
            self._run(f"DELETE FROM {table} WHERE article_id = {P}", (article_id,))

    def _insert_article(self, key: str, article_id: str, article: Article, extractor: str) -> None:
        data = article.to_dict()
        del data["text"]
        self._run(
            "INSERT INTO articles (article_id, item_key, source_path, url, title, published, outlet, author, "
            f"text, extractor, quote_count, data) VALUES ({placeholders(12)})",
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
            f"gender, gender_evidence) VALUES ({placeholders(8)})",
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
                    text_of(quote.cue),
                    text_of(quote.source),
                    quote.speaker.entity if quote.speaker else None,
                    quote.speaker.name if quote.speaker else None,
                    text_of(quote.medium),
                    text_of(quote.addressee),
                    round(quote.confidence, 4),
                    quote.extractor,
                    article.published,
                    article.outlet,
                )
            )
        self._run_many(
            "INSERT INTO quote_mentions (quote_id, article_id, entity_id) VALUES ({p}, {p}, {p})",
            quote_mentions(article_id, article),
        )
        write_relations(self, article_id, article)
        self._run_many(
            "INSERT INTO quotes (quote_id, article_id, position, type, content_text, content_start, content_end, "
            "cue_text, source_text, speaker_entity, speaker_local_name, medium_text, addressee_text, confidence, "
            f"extractor, published, outlet) VALUES ({placeholders(17)})",
            rows,
        )

    def _mark_dirty(self) -> None:
        self._run(
            "INSERT INTO meta (key, value) VALUES ('dirty', '1') ON CONFLICT (key) DO UPDATE SET value = '1'"
        )

    def add_correction(self, correction: Correction) -> None:
        """Keep a human correction; it is applied now and on every later consolidation."""
        with self.transaction():
            self._run(
                f"INSERT INTO corrections (action, a, b, alias, author, created) VALUES ({placeholders(6)})",
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
