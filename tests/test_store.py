"""The store contract: every backend (SQLite, PostgreSQL) passes the same tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_fixtures import make_article, sqlite_target

from onrecord.corpus.consolidate import consolidate
from onrecord.corpus.export import write_export
from onrecord.errors import QueryError
from onrecord.store import SearchFilters, SqlStore, consolidation, migrations, open_store
from onrecord.store.records import Correction
from onrecord.store.search import fts5_query


@pytest.fixture
def store(target: str) -> Iterator[SqlStore]:
    with open_store(target) as opened:
        yield opened


def _corpus(store: SqlStore) -> None:
    """Three articles: Ann Lee in two outlets, John Smith and Jane Smith apart, one shared quote."""
    store.put_article(
        "a.txt",
        "a1",
        make_article(
            [
                ("Ann Lee", "said", "the harbour budget will not cover the winter ferries this year"),
                ("John Smith", "told reporters", "the council has no plan for the bridge repairs"),
            ],
            published="2024-03-01",
            outlet="North Post",
            roles={"Ann Lee": ["harbour chair"]},
        ),
        "test@1",
    )
    store.put_article(
        "b.txt",
        "b1",
        make_article(
            [
                ("Ms Lee", "said", "the harbour budget will not cover the winter ferries this year"),
                ("Jane Smith", "argued", "schools need more money for heating before the winter"),
            ],
            published="2024-03-05",
            outlet="South Herald",
            roles={"Ms Lee": ["harbour authority chair"]},
        ),
        "test@1",
    )
    store.put_article(
        "c.txt",
        "c1",
        make_article(
            [("Ann Lee", "wrote", "the harbour budget will not cover the summer ferries this year")],
            published="2024-03-09",
            outlet="East Times",
        ),
        "test@1",
    )
    consolidate(store)


def test_article_round_trip(store: SqlStore) -> None:
    article = make_article([("Ann Lee", "said", "a round trip keeps every span")])
    store.put_article("k1", "id1", article, "test@1")
    back = store.article("id1")
    assert back is not None
    assert back.to_dict() == article.to_dict()
    assert store.article("missing") is None
    state = store.item_states()["k1"]
    assert (state.article_id, state.status, state.extractor) == ("id1", "ok", "test@1")


def test_reopen_keeps_data_and_schema_version(target: str) -> None:
    with open_store(target) as store:
        store.put_article("k1", "id1", make_article([("Ann Lee", "said", "kept across opens")]), "test@1")
    with open_store(target) as store:
        assert store.counts()["articles"] == 1
        assert store._run("SELECT value FROM meta WHERE key = 'schema_version'") == [
            (str(len(migrations.SQLITE)),)
        ]


def test_changed_record_replaces_its_article(store: SqlStore) -> None:
    store.put_article("k1", "old", make_article([("Ann Lee", "said", "the first version of the page")]), "t")
    store.put_article("k1", "new", make_article([("Ann Lee", "said", "the second version of the page")]), "t")
    counts = store.counts()
    assert counts["articles"] == 1 and counts["quotes"] == 1
    assert store.article("old") is None and store.article("new") is not None


def test_statuses(store: SqlStore) -> None:
    store.put_status("bad.txt", "failed", "[E010] bad.txt: empty input.")
    store.put_status("dup.txt", "skipped", "the same article as a.txt", "a1")
    states = store.item_states()
    assert states["bad.txt"].status == "failed" and states["dup.txt"].article_id == "a1"
    assert [r["item_key"] for r in store.failures()] == ["bad.txt", "dup.txt"]
    assert store.counts()["items_failed"] == 1


def test_search_words_phrases_or_not(store: SqlStore) -> None:
    _corpus(store)

    def ids(query: str, **filters: str) -> set[str]:
        return {r["quote_id"] for r in store.search(query, SearchFilters(**filters), limit=100)}

    assert ids("bridge") == {"a1:q2"}
    assert ids("heating schools") == {"b1:q2"}
    assert ids('"winter ferries"') == {"a1:q1", "b1:q1"}
    assert ids("bridge OR heating") == {"a1:q2", "b1:q2"}
    assert ids("ferries -summer") == {"a1:q1", "b1:q1"}
    assert ids("repair") == {"a1:q2"}  # stemmed: repairs
    assert ids("nothing-matches-this") == set()
    row = store.search("bridge")[0]
    (start, end), *_ = row["matches"]
    assert row["snippet"][start:end] == "bridge" and row["snippet"] == row["content_text"]
    assert row["speaker_name"] == "John Smith" and row["outlet"] == "North Post"


def test_search_filters(store: SqlStore) -> None:
    _corpus(store)

    def ids(query: str, **filters: str) -> list[str]:
        return [r["quote_id"] for r in store.search(query, SearchFilters(**filters), limit=100, sort="date")]

    assert ids("harbour", speaker="Ann Lee") == ["a1:q1", "b1:q1", "c1:q1"]
    assert ids("harbour", speaker="ms lee") == ["a1:q1", "b1:q1", "c1:q1"]
    assert ids("harbour", speaker="LEE") == ["a1:q1", "b1:q1", "c1:q1"]  # a surname alone
    assert ids("school", speaker="smith") == ["b1:q2"]  # John Smith has no such quote; Jane does
    assert ids("winter", speaker="Jane Smith") == ["b1:q2"]
    assert ids("winter", speaker="Nobody Known") == []
    assert ids("harbour", outlet="south herald") == ["b1:q1"]
    assert ids("harbour", since="2024-03-02") == ["b1:q1", "c1:q1"]
    assert ids("harbour", until="2024-03-05") == ["a1:q1", "b1:q1"]
    assert ids("council", type="indirect") == []
    assert ids("", speaker="John Smith") == ["a1:q2"]
    assert len(ids("")) == 5


E050 = "E050"
HARBOUR = {"a1:q1", "b1:q1", "c1:q1"}

#: Odd queries and what each gives on both backends: the quotations found, or E050 (a query
#: with no word to look for). Syntax characters never reach FTS5 or tsquery: what is left of
#: a query is its words.
ODD_SEARCHES = [
    pytest.param('"unclosed phrase', set(), id="unclosed-phrase"),
    pytest.param('"winter ferries', {"a1:q1", "b1:q1"}, id="unclosed-phrase-is-the-phrase"),
    pytest.param("NEAR(a b)", set(), id="near-without-distance"),
    pytest.param("NEAR(harbour ferries)", HARBOUR, id="near-without-distance-finds"),
    pytest.param("a:b", set(), id="colon"),
    pytest.param("harbour:budget", HARBOUR, id="colon-joins-a-phrase"),
    pytest.param("*", E050, id="star-alone"),
    pytest.param("(", E050, id="bracket-alone"),
    pytest.param("(bridge", {"a1:q2"}, id="bracket-before-a-word"),
    pytest.param("AND", set(), id="and-is-a-word"),
    pytest.param('x"y', set(), id="quote-inside-a-word"),
    pytest.param('bridge"repairs', {"a1:q2"}, id="quote-inside-words-finds"),
    pytest.param("col:term OR", set(), id="trailing-or"),
    pytest.param("bridge OR", {"a1:q2"}, id="trailing-or-finds"),
    pytest.param("OR", E050, id="or-alone"),
    pytest.param("-winter", E050, id="only-excluded"),
    pytest.param("-a -b", E050, id="only-excluded-twice"),
    pytest.param("!!! ???", E050, id="punctuation"),
    pytest.param("  ", {"a1:q1", "a1:q2", "b1:q1", "b1:q2", "c1:q1"}, id="blank-is-everything"),
]


@pytest.mark.parametrize("query, expected", ODD_SEARCHES)
def test_search_odd_input(store: SqlStore, query: str, expected: set[str] | str) -> None:
    _corpus(store)
    if expected == E050:
        with pytest.raises(
            QueryError, match=r"^\[E050\] cannot search for .*: it has no word to look for\.$"
        ):
            store.search(query)
    else:
        assert {r["quote_id"] for r in store.search(query, limit=100)} == expected


def test_fts5_query_quotes_every_term() -> None:
    assert fts5_query('tax "health care" OR budget -cuts') == '"tax" AND "health care" OR "budget" NOT "cuts"'
    assert fts5_query("NEAR(x") == '"x"'  # an unclosed NEAR of one word is that word
    assert fts5_query('inquir* -"col:x"') == '"inquir"* NOT "col x"'
    assert fts5_query("NEAR(ferry toll, 3) OR bridge") == 'NEAR("ferry" "toll", 3) OR "bridge"'


def test_search_prefix_near_and_fields(store: SqlStore) -> None:
    """The query language of the search box and the API, the same on both backends."""
    _corpus(store)

    def ids(query: str) -> set[str]:
        return {r["quote_id"] for r in store.search(query, limit=100)}

    assert ids("ferr*") == {"a1:q1", "b1:q1", "c1:q1"}
    assert ids("bridg*") == {"a1:q2"}
    assert ids('"winter ferr"*') == {"a1:q1", "b1:q1"}  # a phrase whose last word is a prefix
    assert ids("NEAR(budget ferries, 5)") == {"a1:q1", "b1:q1", "c1:q1"}
    assert ids("NEAR(ferries budget, 5)") == {"a1:q1", "b1:q1", "c1:q1"}  # either order
    assert ids("NEAR(budget ferries, 2)") == set()  # six words apart
    assert ids("NEAR(council plan)") == {"a1:q2"}
    assert ids('harbour speaker:"Ann Lee" outlet:"east times"') == {"c1:q1"}
    assert ids("type:direct bridge") == {"a1:q2"}
    assert ids("type:indirect bridge") == set()
    assert ids("speaker:smith winter") == {"b1:q2"}
    with pytest.raises(QueryError, match=r"E050.*NEAR takes a number"):
        store.search("NEAR(budget ferries, far)")
    assert ids("speaker:smith") == {"a1:q2", "b1:q2"}  # fields alone: all their quotations


def test_search_ranks_substantive_quotations_first(store: SqlStore) -> None:
    """A name searched for: the quotation a named speaker gave at length comes before a short one,
    one by an unnamed source, or one the extractor doubts, however well the text matches."""
    article = make_article(
        [
            ("Forty percent", "said", "Reyes"),
            ("Ben Lutz", "said", "Reyes"),
            ("Ana Ortiz", "said", "Reyes will not cut the ferry toll this winter whatever happens"),
            ("Tom Hale", "said", "Reyes has a plan for the harbour and the ferry toll"),
        ],
        outlet="North Post",
    )
    article.entities[0].kind = "unnamed"
    article.quotes[3].confidence = 0.3
    store.put_article("r.txt", "r1", article, "test@1")
    consolidate(store)
    names = [r["speaker_name"] for r in store.search("Reyes", limit=10)]
    assert names == ["Ana Ortiz", "Tom Hale", "Ben Lutz", "Forty percent"]
    confident = store.search("Reyes", SearchFilters(min_confidence=0.5), limit=10)
    assert [r["speaker_name"] for r in confident] == ["Ana Ortiz", "Ben Lutz", "Forty percent"]


def test_speakers_and_identity(store: SqlStore) -> None:
    _corpus(store)
    top = store.speakers()
    assert top[0]["name"] == "Ann Lee" and top[0]["quote_count"] == 3 and top[0]["article_count"] == 3
    names = {r["name"] for r in top}
    assert {"John Smith", "Jane Smith"} <= names  # a shared surname is not one person
    info = store.speaker("Ann Lee")
    assert info is not None
    assert {a["alias"] for a in info["aliases"]} >= {"Ann Lee", "Ms Lee"}
    assert {r["role"] for r in info["roles"]} >= {"harbour chair"}
    assert {o["name"] for o in info["outlets"]} == {"North Post", "South Herald", "East Times"}
    assert [q["published"] for q in info["timeline"]] == ["2024-03-01", "2024-03-05", "2024-03-09"]
    assert store.speaker("Nobody") is None


def test_a_speakers_months_are_counted_at_consolidation(store: SqlStore) -> None:
    """The speaker page's quotations per month and undated ones come from what consolidation
    counted (``speaker_months``), and follow the next consolidation."""
    _corpus(store)
    info = store.speaker("Ann Lee")
    assert info is not None and info["months"] == {"2024-03": 3} and info["undated"] == 0
    for key, published in (("d", "2024-04-02"), ("e", None)):
        store.put_article(
            f"{key}.txt",
            f"{key}1",
            make_article(
                [("Ann Lee", "said", f"the ferry timetable {key} will change")], published=published
            ),
            "test@1",
        )
    consolidate(store)
    info = store.speaker("Ann Lee", latest=2)
    assert info is not None and info["months"] == {"2024-03": 3, "2024-04": 1} and info["undated"] == 1
    # the latest two, oldest of them first; the undated one last of all
    assert [q["published"] for q in info["timeline"]] == ["2024-03-09", "2024-04-02"]
    # undated last whichever way, on every backend (PostgreSQL puts NULL first in DESC)
    for sort in ("date", "-date"):
        assert store.search("ferry", limit=10, sort=sort)[-1]["published"] is None
        assert (
            store.search("", SearchFilters(speaker="Ann Lee"), limit=10, sort=sort)[-1]["published"] is None
        )


def test_migration_006_counts_the_months_of_a_consolidated_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store consolidated at schema 5 gets its speakers' months counted when opened."""
    path = sqlite_target(tmp_path)
    monkeypatch.setattr(migrations, "SQLITE", migrations.SQLITE[:5])
    monkeypatch.setattr(consolidation, "count_speaker_months", lambda db: None)
    with open_store(path) as store:
        _corpus(store)
    monkeypatch.undo()
    with open_store(path) as store:
        info = store.speaker("Ann Lee")
        assert info is not None and info["months"] == {"2024-03": 3} and info["undated"] == 0


def test_corrections_survive_reconsolidation(store: SqlStore) -> None:
    _corpus(store)
    john = store.resolve_speaker("John Smith")[0]
    jane = store.resolve_speaker("Jane Smith")[0]
    store.add_correction(Correction("merge", john, jane))
    consolidate(store)
    assert store.resolve_speaker("John Smith") == [jane]
    # a new article and a new consolidation keep the merge
    store.put_article(
        "d.txt",
        "d1",
        make_article([("John Smith", "said", "a later story about the bridge")], path="d.txt"),
        "test@1",
    )
    consolidate(store)
    assert store.resolve_speaker("John Smith") == [jane]
    ann = store.resolve_speaker("Ann Lee")[0]
    store.add_correction(Correction("split", ann, alias="Ms Lee"))
    consolidate(store)
    assert store.resolve_speaker("Ms Lee") != [ann]
    assert store.needs_consolidation() is False


def test_provenance_of_a_quote_in_three_articles(store: SqlStore) -> None:
    _corpus(store)
    info = store.quote("b1:q1")
    assert info is not None and info["group_id"] is not None
    assert info["first_quote_id"] == "a1:q1"
    assert [r["quote_id"] for r in info["carried_by"]] == ["a1:q1", "b1:q1", "c1:q1"]
    variants = {v["quote_id"]: v["differences"] for v in info["variants"]}
    assert set(variants) == {"c1:q1"}
    assert any("summer" in d for d in variants["c1:q1"])
    lone = store.quote("a1:q2")
    assert lone is not None and lone["group_id"] is None and lone["carried_by"] == []
    assert store.quote("none:q1") is None


def test_export_is_stable_and_loads(store: SqlStore, tmp_path: Path) -> None:
    _corpus(store)
    for table in ("quotes", "articles", "speakers"):
        first = list(store.export_rows(table))
        consolidate(store)
        assert list(store.export_rows(table)) == first
    quotes = list(store.export_rows("quotes"))
    assert {
        "quote_id",
        "article_id",
        "source_path",
        "speaker_id",
        "speaker_name",
        "type",
        "content_text",
        "cue_text",
        "medium_text",
        "addressee_text",
        "published",
        "outlet",
        "group_id",
        "extractor",
    } <= set(quotes[0])
    import duckdb
    import pyarrow.parquet as pq

    path = tmp_path / "quotes.parquet"
    assert write_export(store, "quotes", "parquet", str(path)) == 5
    table = pq.read_table(path)
    assert table.num_rows == 5 and table.column("quote_id").to_pylist() == [q["quote_id"] for q in quotes]
    assert duckdb.sql(f"SELECT count(DISTINCT speaker_id) FROM '{path}'").fetchall() == [(3,)]
    jsonl = tmp_path / "speakers.jsonl"
    write_export(store, "speakers", "jsonl", str(jsonl))
    rows = [json.loads(line) for line in jsonl.read_text().splitlines()]
    assert any("Ms Lee" in r["aliases"] for r in rows)
    with pytest.raises(QueryError, match="E051"):
        list(store.export_rows("nope"))


def test_consolidation_is_order_independent(tmp_path: Path) -> None:
    """The same articles stored in another order give the same export (SQLite; the SQL is shared)."""
    target = sqlite_target(tmp_path)
    other = sqlite_target(tmp_path / "other")
    (tmp_path / "other").mkdir()
    articles = [
        (
            "a.txt",
            "a1",
            make_article(
                [("Ann Lee", "said", "the harbour budget will not cover the ferries at all")], outlet="X"
            ),
        ),
        (
            "b.txt",
            "b1",
            make_article(
                [("Lee", "said", "the harbour budget will not cover the ferries at all")], outlet="Y"
            ),
        ),
        (
            "c.txt",
            "c1",
            make_article([("Bo Chan", "said", "another thing entirely for the record here")], outlet="Z"),
        ),
    ]
    dumps = []
    for order, path in ((articles, target), (articles[::-1], other)):
        with open_store(path) as store:
            for key, aid, article in order:
                store.put_article(key, aid, article, "t")
            consolidate(store)
            dumps.append([list(store.export_rows(t)) for t in ("quotes", "articles", "speakers")])
    assert dumps[0] == dumps[1]


def test_sqlite_full_text_index_stays_in_step(tmp_path: Path) -> None:
    """After writes, replacements and speaker updates, FTS5's own integrity check passes."""
    with open_store(sqlite_target(tmp_path)) as store:
        _corpus(store)
        store.put_article(
            "a.txt", "a2", make_article([("Ann Lee", "said", "a replaced page about ferries")]), "t"
        )
        consolidate(store)
        store._run("INSERT INTO quotes_fts (quotes_fts, rank) VALUES ('integrity-check', 1)")
        store._run("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
        assert [r["quote_id"] for r in store.search("replaced", SearchFilters(speaker="Ann Lee"))] == [
            "a2:q1"
        ]


def test_speaks_about_quote_speakers_and_article_search(store: SqlStore) -> None:
    from onrecord.model import Span

    article = make_article(
        [
            ("Ann Lee", "said", "John Smith was wrong about the bridge"),
            ("John Smith", "said", "the bridge is fine"),
        ]
    )
    start = article.text.index("John Smith was")
    john = next(e for e in article.entities if e.name == "John Smith")
    john.mentions.append(Span.of(article.text, start, start + len("John Smith")))
    store.put_article("k.txt", "k1", article, "t")
    store.put_article(
        "m.txt", "m1", make_article([("Bo Chan", "said", "nothing about anyone here")], title="Other"), "t"
    )
    consolidate(store)
    ann = store.resolve_speaker("Ann Lee")[0]
    about = store.speaks_about(ann)
    assert [(r["name"], r["count"]) for r in about] == [("John Smith", 1)]
    assert store.speaks_about(store.resolve_speaker("John Smith")[0]) == []
    assert store.quote_speakers("k1") == {"k1:q1": ann, "k1:q2": store.resolve_speaker("John Smith")[0]}
    assert [r["article_id"] for r in store.articles("bridge")] == ["k1"]
    assert {r["article_id"] for r in store.articles()} == {"k1", "m1"}
    with pytest.raises(QueryError, match="E050"):
        store.articles("-bridge")


def test_migration_002_fills_quote_mentions_of_stored_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store made at schema 1 gets quote_mentions, filled from the articles it holds."""
    from onrecord.model import Span

    path = sqlite_target(tmp_path)
    article = make_article([("Ann Lee", "said", "Bo Chan was wrong"), ("Bo Chan", "said", "no, I was right")])
    bo = next(e for e in article.entities if e.name == "Bo Chan")
    start = article.text.index("Bo Chan was")
    bo.mentions.append(Span.of(article.text, start, start + 7))
    monkeypatch.setattr(migrations, "SQLITE", migrations.SQLITE[:1])
    with open_store(path) as store:
        later = ("quote_mentions", "relations", "stances")
        for table in later:  # the tables of later migrations, so that the article can be written
            store._run(f"CREATE TABLE {table} (article_id TEXT, x TEXT, y TEXT)")
        store._run(
            "INSERT INTO articles (article_id, item_key, text, extractor, quote_count, data) "
            "VALUES ({p}, {p}, {p}, {p}, {p}, {p})",
            (
                "k1",
                "k",
                article.text,
                "t",
                len(article.quotes),
                json.dumps({**article.to_dict(), "text": None}),
            ),
        )
        for table in later:
            store._run(f"DROP TABLE {table}")
    monkeypatch.undo()
    with open_store(path) as store:
        assert store._run("SELECT value FROM meta WHERE key = 'schema_version'") == [
            (str(len(migrations.SQLITE)),)
        ]
        assert store._run("SELECT quote_id, entity_id FROM quote_mentions") == [("k1:q1", bo.id)]
