"""Schema migrations, as plain functions: one list per backend, applied in order on open.

The version applied last is kept in ``meta`` under ``schema_version``; a migration runs once, in
the same transaction as the version bump. To change the schema, append a function to both lists;
never edit one that has shipped.

The tables (both backends):

- ``articles``: one row per stored article (the engine's JSON in ``data``, the text in ``text``).
- ``items``: one row per input record (a file, a JSONL line, a WARC record): its ``status``
  (``ok``, ``skipped`` or ``failed``), the ``reason`` for the last two, and the article it made.
- ``entities``: the entities of each article, with the corpus-wide ``speaker_id`` given to them.
- ``quotes``: one row per quotation, with the columns that search and export need.
- ``quote_mentions``: the entities named inside each quotation's content (who it speaks about).
- ``speakers``, ``speaker_aliases``, ``speaker_roles``: speaker identity across articles;
  ``speaker_months``: each speaker's quotations per month, counted at consolidation (with the
  undated ones in ``speakers.undated_count``), for the speaker page's timeline.
- ``quote_groups``, ``quote_variants``: quote provenance.
- ``relations``: who praises, criticises, thanks, accuses, supports or opposes whom, per article,
  with the evidence sentence (``onrecord.relate``).
- ``stances``: who is for or against what (a target phrase), per article, with the evidence; the
  target is full-text indexed, so that ``onrecord stance DB TOPIC`` finds it.
- ``corrections``: human merges and splits of speakers, and gender corrections, with their author
  and time, applied on every consolidation.
- ``meta``: ``schema_version`` and the ``dirty`` flag (articles changed since the last
  consolidation).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from onrecord.model import Article
from onrecord.store.sql import Db
from onrecord.store.writes import count_speaker_months, quote_mentions, write_relations

Migration = Callable[[Db], None]

_COMMON = [
    """CREATE TABLE IF NOT EXISTS articles (
        {article_key},
        item_key TEXT NOT NULL,
        source_path TEXT,
        url TEXT,
        title TEXT,
        published TEXT,
        outlet TEXT,
        author TEXT,
        text TEXT NOT NULL,
        extractor TEXT NOT NULL,
        quote_count INTEGER NOT NULL,
        data TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS items (
        item_key TEXT PRIMARY KEY,
        article_id TEXT,
        status TEXT NOT NULL CHECK (status IN ('ok', 'skipped', 'failed')),
        reason TEXT,
        extractor TEXT
    )""",
    """CREATE TABLE IF NOT EXISTS entities (
        article_id TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        descriptions TEXT NOT NULL,
        mention_count INTEGER NOT NULL,
        speaker_id TEXT,
        PRIMARY KEY (article_id, entity_id)
    )""",
    """CREATE TABLE IF NOT EXISTS speakers (
        speaker_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        quote_count INTEGER NOT NULL,
        article_count INTEGER NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS speaker_aliases (
        speaker_id TEXT NOT NULL,
        alias TEXT NOT NULL,
        alias_key TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (speaker_id, alias)
    )""",
    """CREATE TABLE IF NOT EXISTS speaker_roles (
        speaker_id TEXT NOT NULL,
        role TEXT NOT NULL,
        first_seen TEXT,
        last_seen TEXT,
        count INTEGER NOT NULL,
        PRIMARY KEY (speaker_id, role)
    )""",
    """CREATE TABLE IF NOT EXISTS quote_groups (
        group_id TEXT PRIMARY KEY,
        first_quote_id TEXT NOT NULL,
        size INTEGER NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS quote_variants (
        quote_id TEXT PRIMARY KEY,
        group_id TEXT NOT NULL,
        differences TEXT NOT NULL
    )""",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
]

_QUOTE_COLUMNS = """
        quote_id TEXT NOT NULL UNIQUE,
        article_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        type TEXT NOT NULL,
        content_text TEXT NOT NULL,
        content_start INTEGER NOT NULL,
        content_end INTEGER NOT NULL,
        cue_text TEXT,
        source_text TEXT,
        speaker_entity TEXT,
        speaker_local_name TEXT,
        speaker_id TEXT,
        medium_text TEXT,
        addressee_text TEXT,
        confidence REAL NOT NULL,
        extractor TEXT NOT NULL,
        published TEXT,
        outlet TEXT,
        group_id TEXT"""

_INDEXES = [
    "CREATE INDEX IF NOT EXISTS quotes_article ON quotes (article_id)",
    "CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes (speaker_id, published)",
    "CREATE INDEX IF NOT EXISTS quotes_published ON quotes (published)",
    "CREATE INDEX IF NOT EXISTS quotes_outlet ON quotes (outlet)",
    "CREATE INDEX IF NOT EXISTS quotes_group ON quotes (group_id)",
    "CREATE INDEX IF NOT EXISTS items_article ON items (article_id)",
    "CREATE INDEX IF NOT EXISTS entities_speaker ON entities (speaker_id)",
    "CREATE INDEX IF NOT EXISTS aliases_key ON speaker_aliases (alias_key)",
    "CREATE INDEX IF NOT EXISTS speakers_count ON speakers (quote_count)",
]


def sqlite_001_initial(db: Db) -> None:
    """Tables, indexes and the FTS5 indexes over quote content and article text, kept in step
    with their tables by triggers (external-content FTS tables)."""
    execute = db._run
    for statement in _COMMON:
        # an INTEGER PRIMARY KEY: the rowid that articles_fts points at must survive VACUUM
        execute(
            statement.replace("{article_key}", "arow INTEGER PRIMARY KEY, article_id TEXT NOT NULL UNIQUE")
        )
    # the FTS index holds the speaker id as one token ("sp39d5...": no "_", which the tokenizer
    # splits on, so that a speaker filter reads one short posting list, not the one of "sp")
    execute(
        f"CREATE TABLE IF NOT EXISTS quotes (qrow INTEGER PRIMARY KEY,{_QUOTE_COLUMNS},\n"
        "        speaker_key TEXT GENERATED ALWAYS AS (replace(speaker_id, '_', '')) VIRTUAL\n    )"
    )
    execute("CREATE INDEX IF NOT EXISTS articles_item ON articles (item_key)")
    for statement in _INDEXES:
        execute(statement)
    tokenize = "tokenize = 'porter unicode61 remove_diacritics 2'"
    execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS quotes_fts USING fts5("
        f"content_text, speaker_key, content = 'quotes', content_rowid = 'qrow', {tokenize})"
    )
    execute(
        "CREATE TRIGGER IF NOT EXISTS quotes_ai AFTER INSERT ON quotes BEGIN "
        "INSERT INTO quotes_fts (rowid, content_text, speaker_key) "
        "VALUES (new.qrow, new.content_text, new.speaker_key); END"
    )
    execute(
        "CREATE TRIGGER IF NOT EXISTS quotes_ad AFTER DELETE ON quotes BEGIN "
        "INSERT INTO quotes_fts (quotes_fts, rowid, content_text, speaker_key) "
        "VALUES ('delete', old.qrow, old.content_text, old.speaker_key); END"
    )
    execute(
        "CREATE TRIGGER IF NOT EXISTS quotes_au AFTER UPDATE OF content_text, speaker_id ON quotes BEGIN "
        "INSERT INTO quotes_fts (quotes_fts, rowid, content_text, speaker_key) "
        "VALUES ('delete', old.qrow, old.content_text, old.speaker_key); "
        "INSERT INTO quotes_fts (rowid, content_text, speaker_key) "
        "VALUES (new.qrow, new.content_text, new.speaker_key); END"
    )
    execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
        f"title, text, content = 'articles', content_rowid = 'arow', {tokenize})"
    )
    execute(
        "CREATE TRIGGER IF NOT EXISTS articles_ai AFTER INSERT ON articles BEGIN "
        "INSERT INTO articles_fts (rowid, title, text) VALUES (new.arow, new.title, new.text); END"
    )
    execute(
        "CREATE TRIGGER IF NOT EXISTS articles_ad AFTER DELETE ON articles BEGIN "
        "INSERT INTO articles_fts (articles_fts, rowid, title, text) "
        "VALUES ('delete', old.arow, old.title, old.text); END"
    )
    execute(
        "CREATE TABLE IF NOT EXISTS corrections (id INTEGER PRIMARY KEY, action TEXT NOT NULL, "
        "a TEXT NOT NULL, b TEXT, alias TEXT)"
    )


def postgres_001_initial(db: Db) -> None:
    """Tables, indexes, and tsvector columns with GIN indexes over quote content and article text."""
    execute = db._run
    for statement in _COMMON:
        execute(statement.replace("{article_key}", "article_id TEXT PRIMARY KEY"))
    execute(
        f"CREATE TABLE IF NOT EXISTS quotes (qrow BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        f"{_QUOTE_COLUMNS},\n"
        "        tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', content_text)) STORED\n    )"
    )
    execute("CREATE INDEX IF NOT EXISTS articles_item ON articles (item_key)")
    for statement in _INDEXES:
        execute(statement)
    execute("CREATE INDEX IF NOT EXISTS quotes_tsv ON quotes USING GIN (tsv)")
    execute(
        "ALTER TABLE articles ADD COLUMN IF NOT EXISTS tsv tsvector GENERATED ALWAYS AS "
        "(to_tsvector('english', coalesce(title, '') || ' ' || text)) STORED"
    )
    execute("CREATE INDEX IF NOT EXISTS articles_tsv ON articles USING GIN (tsv)")
    execute(
        "CREATE TABLE IF NOT EXISTS corrections (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
        "action TEXT NOT NULL, a TEXT NOT NULL, b TEXT, alias TEXT)"
    )


def both_002_quote_mentions(db: Db) -> None:
    """Who each quotation speaks about: the entities named inside its content; filled in for
    the articles already stored from their JSON."""
    db._run(
        """CREATE TABLE IF NOT EXISTS quote_mentions (
        quote_id TEXT NOT NULL,
        article_id TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        PRIMARY KEY (quote_id, entity_id)
    )"""
    )
    db._run("CREATE INDEX IF NOT EXISTS quote_mentions_entity ON quote_mentions (article_id, entity_id)")
    for article_id, data in db._run("SELECT article_id, data FROM articles ORDER BY article_id"):
        article = Article.from_dict({**json.loads(data), "text": ""})
        db._run_many(
            "INSERT INTO quote_mentions (quote_id, article_id, entity_id) VALUES ({p}, {p}, {p})",
            quote_mentions(article_id, article),
        )


_RELATIONS = """CREATE TABLE IF NOT EXISTS relations (
        article_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        subject_entity TEXT NOT NULL,
        subject_name TEXT NOT NULL,
        predicate TEXT NOT NULL,
        object_entity TEXT NOT NULL,
        object_name TEXT NOT NULL,
        cue_text TEXT,
        evidence_start INTEGER NOT NULL,
        evidence_end INTEGER NOT NULL,
        evidence_text TEXT NOT NULL,
        confidence REAL NOT NULL,
        PRIMARY KEY (article_id, position)
    )"""
_STANCES = """CREATE TABLE IF NOT EXISTS stances (
        {stance_key},
        article_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        holder_entity TEXT NOT NULL,
        holder_name TEXT NOT NULL,
        stance TEXT NOT NULL CHECK (stance IN ('for', 'against')),
        target_text TEXT NOT NULL,
        cue_text TEXT,
        evidence_start INTEGER NOT NULL,
        evidence_end INTEGER NOT NULL,
        evidence_text TEXT NOT NULL,
        quote_id TEXT,
        confidence REAL NOT NULL,
        UNIQUE (article_id, position)
    )"""


def _backfill_relations(db: Db) -> None:
    """Rows for the articles already stored whose JSON has relations and stances (an
    ``onrecord.article.v1`` article has none: ``onrecord ingest DB --reprocess`` re-extracts it)."""
    for article_id, data in db._run("SELECT article_id, data FROM articles ORDER BY article_id"):
        write_relations(db, article_id, Article.from_dict({**json.loads(data), "text": ""}))


def _relation_tables(db: Db, stance_key: str) -> None:
    db._run(_RELATIONS)
    db._run("CREATE INDEX IF NOT EXISTS relations_subject ON relations (article_id, subject_entity)")
    db._run("CREATE INDEX IF NOT EXISTS relations_object ON relations (article_id, object_entity)")
    db._run(_STANCES.replace("{stance_key}", stance_key))


def sqlite_003_relations(db: Db) -> None:
    """Relations and stances (``onrecord.article.v2``), the stance targets in an FTS5 index."""
    _relation_tables(db, "srow INTEGER PRIMARY KEY")
    db._run(
        "CREATE VIRTUAL TABLE IF NOT EXISTS stances_fts USING fts5(target_text, content = 'stances', "
        "content_rowid = 'srow', tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    db._run(
        "CREATE TRIGGER IF NOT EXISTS stances_ai AFTER INSERT ON stances BEGIN "
        "INSERT INTO stances_fts (rowid, target_text) VALUES (new.srow, new.target_text); END"
    )
    db._run(
        "CREATE TRIGGER IF NOT EXISTS stances_ad AFTER DELETE ON stances BEGIN "
        "INSERT INTO stances_fts (stances_fts, rowid, target_text) VALUES ('delete', old.srow, old.target_text); END"
    )
    _backfill_relations(db)


def postgres_003_relations(db: Db) -> None:
    """Relations and stances (``onrecord.article.v2``), the stance targets in a GIN-indexed tsvector."""
    _relation_tables(db, "srow BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
    db._run(
        "ALTER TABLE stances ADD COLUMN IF NOT EXISTS tsv tsvector GENERATED ALWAYS AS "
        "(to_tsvector('english', target_text)) STORED"
    )
    db._run("CREATE INDEX IF NOT EXISTS stances_tsv ON stances USING GIN (tsv)")
    _backfill_relations(db)


def both_004_speaker_page_indexes(db: Db) -> None:
    """Indexes that answer a speaker page from the index alone: its outlets, media and
    addressees counted, and its quotation ids for what it speaks about (a speaker of 70,000
    quotations took 0.5 s, reading every row)."""
    # partial: only the counts (which ask "IS NOT NULL") can use them, so a speaker's timeline
    # keeps the index that gives it in date order
    for name, column in (
        ("quotes_speaker_outlet", "outlet"),
        ("quotes_speaker_medium", "medium_text"),
        ("quotes_speaker_addressee", "addressee_text"),
    ):
        db._run(
            f"CREATE INDEX IF NOT EXISTS {name} ON quotes (speaker_id, {column}) WHERE {column} IS NOT NULL"
        )
    # the timeline's order, with the quotation ids for what the speaker speaks about
    db._run("CREATE INDEX IF NOT EXISTS quotes_speaker_dated ON quotes (speaker_id, published, quote_id)")


def both_005_gender(db: Db) -> None:
    """A person's gender (``onrecord.article.v4``): per entity with its evidence, per speaker
    across the corpus (``gender_source``: ``articles`` or ``correction``), and who corrected it
    and when. Articles stored before keep NULL until re-extracted (``ingest --reprocess``)."""
    for table, column in (
        ("entities", "gender"),
        ("entities", "gender_evidence"),
        ("speakers", "gender"),
        ("speakers", "gender_source"),
        ("corrections", "author"),
        ("corrections", "created"),
    ):
        db._run(f"ALTER TABLE {table} ADD COLUMN {column} TEXT")


def both_006_speaker_months(db: Db) -> None:
    """Each speaker's quotations per month, counted once per consolidation instead of on every
    speaker page (a speaker of 70,000 quotations took 20 ms to count), filled here for a store
    consolidated before."""
    db._run(
        "CREATE TABLE IF NOT EXISTS speaker_months (speaker_id TEXT NOT NULL, month TEXT NOT NULL, "
        "count INTEGER NOT NULL, PRIMARY KEY (speaker_id, month))"
    )
    db._run("ALTER TABLE speakers ADD COLUMN undated_count INTEGER NOT NULL DEFAULT 0")
    count_speaker_months(db)


def postgres_007_latest_index(db: Db) -> None:
    """A speaker's newest quotations, the undated last, read in the order of an index: PostgreSQL
    sorts NULL last going up, so the index of migration 4 read backwards gives the undated
    first, and the speaker page had to sort every quotation of the speaker."""
    db._run(
        "CREATE INDEX IF NOT EXISTS quotes_speaker_latest "
        "ON quotes (speaker_id, published DESC NULLS LAST, quote_id DESC)"
    )


def sqlite_007_latest_index(db: Db) -> None:
    """Nothing: SQLite sorts NULL first going up, so the index of migration 4 read backwards
    already gives a speaker's newest quotations with the undated last (the version stays in step
    with PostgreSQL's)."""


SQLITE: list[Migration] = [
    sqlite_001_initial,
    both_002_quote_mentions,
    sqlite_003_relations,
    both_004_speaker_page_indexes,
    both_005_gender,
    both_006_speaker_months,
    sqlite_007_latest_index,
]
POSTGRES: list[Migration] = [
    postgres_001_initial,
    both_002_quote_mentions,
    postgres_003_relations,
    both_004_speaker_page_indexes,
    both_005_gender,
    both_006_speaker_months,
    postgres_007_latest_index,
]
