"""Store benchmark: full-text search with a speaker filter over 1M synthetic quotations, on SQLite
and PostgreSQL; and ingest throughput with one worker against two.

    python benchmarks/store.py search [--quotes 1000000] [--postgres URL] [--queries 500]
    python benchmarks/store.py ingest [PATH...] [--articles 300]

The synthetic corpus: quotations of 12-40 words drawn from a Zipf-distributed vocabulary of
30,000 made-up words (rank 1 is in most quotations, rank 30,000 in a handful), 5,000 speakers with
Zipf-distributed quote counts (the most quoted has tens of thousands, like a president), 20
outlets, dates over four years; ten quotations per article. Queries: one or two words drawn from
ranks 50-5,000 (words that match between a few hundred and tens of thousands of quotations), each
with the speaker filter of a speaker drawn by popularity; 20 results, best match first, as the
search command and the web page ask. Latency is measured in this process around ``store.search``
(the SQL, the speaker lookup and building the rows), after 20 warm-up queries.

``ingest`` runs ``onrecord ingest`` in accurate mode with ``-j 1`` and ``-j 2`` over the same
articles (PolNeAR train texts from ../shared when present, else made-up ones) into fresh SQLite
files, and reports articles/s between the first and the last article written (model loading
and the final consolidation excluded, so the figure is the steady extraction rate).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from onrecord.store import SearchFilters, SqlStore, open_store
from onrecord.store.sql import placeholders
from onrecord.store.writes import count_speaker_months

_HERE = Path(__file__).resolve().parent
SYLLABLES = "ka lo mi ne su ta ri po ve da zu ba fe gi ho ju ko lu ma ni".split()
WORDS = 30_000
SPEAKERS = 5_000
OUTLETS = [f"Outlet {i}" for i in range(20)]
# the stored JSON of a synthetic article: valid, without entities or quotations (those are in the tables)
EMPTY_ARTICLE = (
    '{"schema": "onrecord.article.v2", "entities": [], "quotes": [], "relations": [], "stances": []}'
)


def vocabulary(rng: random.Random) -> list[str]:
    words: set[str] = set()
    while len(words) < WORDS:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words, key=lambda w: (rng.random(), w))


def zipf_weights(n: int, s: float = 1.0) -> list[float]:
    return [1.0 / (rank**s) for rank in range(1, n + 1)]


def load(store: SqlStore, quotes: int, seed: int = 7) -> None:
    """Write ``quotes`` synthetic quotations (ten per article) straight into the tables."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    word_weights = zipf_weights(WORDS)
    speaker_weights = zipf_weights(SPEAKERS, 0.9)
    cum_words = list(_cumulative(word_weights))
    cum_speakers = list(_cumulative(speaker_weights))
    per_article = 10
    batch_articles, batch_quotes = [], []
    started = time.perf_counter()
    with store.transaction():
        store._run_many(
            "INSERT INTO speakers (speaker_id, name, kind, quote_count, article_count) VALUES ({p}, {p}, 'person', 0, 0)",
            [(f"sp_{i:06d}", f"Speaker {i}") for i in range(SPEAKERS)],
        )
        store._run_many(
            "INSERT INTO speaker_aliases (speaker_id, alias, alias_key, count) VALUES ({p}, {p}, {p}, 1)",
            [(f"sp_{i:06d}", f"Speaker {i}", f"speaker {i}") for i in range(SPEAKERS)],
        )
    for q in range(quotes):
        article = q // per_article
        if q % per_article == 0:
            published = f"{2021 + article % 4}-{1 + article % 12:02d}-{1 + article % 28:02d}"
            outlet = OUTLETS[article % len(OUTLETS)]
            batch_articles.append(
                (
                    f"a{article:08d}",
                    f"k{article}",
                    f"synthetic/{article}.txt",
                    None,
                    f"Story {article}",
                    published,
                    outlet,
                    None,
                    "text",
                    "bench",
                    per_article,
                    EMPTY_ARTICLE,
                )
            )
        length = rng.randint(12, 40)
        text = " ".join(words[i] for i in _draw(rng, cum_words, length))
        speaker = f"sp_{_draw(rng, cum_speakers, 1)[0]:06d}"
        batch_quotes.append(
            (
                f"a{article:08d}:q{q % per_article + 1}",
                f"a{article:08d}",
                q % per_article,
                "direct",
                text,
                0,
                len(text),
                "said",
                None,
                "e1",
                None,
                speaker,
                None,
                None,
                0.9,
                "bench",
                published,
                outlet,
            )
        )
        if len(batch_quotes) >= 50_000 or q == quotes - 1:
            with store.transaction():
                store._run_many(
                    "INSERT INTO articles (article_id, item_key, source_path, url, title, published, outlet, author, "
                    "text, extractor, quote_count, data) VALUES (" + placeholders(12) + ")",
                    batch_articles,
                )
                store._run_many(
                    "INSERT INTO quotes (quote_id, article_id, position, type, content_text, content_start, "
                    "content_end, cue_text, source_text, speaker_entity, speaker_local_name, speaker_id, medium_text, "
                    "addressee_text, confidence, extractor, published, outlet) "
                    "VALUES (" + placeholders(18) + ")",
                    batch_quotes,
                )
            batch_articles, batch_quotes = [], []
            print(f"  loaded {q + 1:,} quotes ({time.perf_counter() - started:.0f}s)", file=sys.stderr)
    with store.transaction():
        store._run(
            "UPDATE speakers SET quote_count = (SELECT count(*) FROM quotes q WHERE q.speaker_id = speakers.speaker_id)"
        )
        count_speaker_months(store)
    store._run("ANALYZE")


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _draw(rng: random.Random, cumulative: list[float], k: int) -> list[int]:
    import bisect

    top = cumulative[-1]
    return [bisect.bisect_left(cumulative, rng.random() * top) for _ in range(k)]


def measure(store: SqlStore, queries: int, seed: int = 11) -> dict[str, float]:
    rng = random.Random(seed)
    words = vocabulary(random.Random(7))
    cum_speakers = list(_cumulative(zipf_weights(SPEAKERS, 0.9)))
    asks = []
    for _ in range(queries + 20):
        terms = [words[rng.randint(50, 5000)] for _ in range(rng.choice((1, 1, 2)))]
        speaker = f"sp_{_draw(rng, cum_speakers, 1)[0]:06d}"
        asks.append((" ".join(terms), speaker))
    times, hits = [], []
    for number, (query, speaker) in enumerate(asks):
        start = time.perf_counter()
        rows = store.search(query, SearchFilters(speaker=speaker), limit=20)
        elapsed = (time.perf_counter() - start) * 1000
        if number >= 20:
            times.append(elapsed)
            hits.append(len(rows))
    times.sort()
    return {
        "queries": len(times),
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        "p99_ms": round(times[int(len(times) * 0.99) - 1], 2),
        "mean_hits": round(statistics.mean(hits), 1),
        "no_hit_share": round(sum(1 for h in hits if h == 0) / len(hits), 2),
    }


def bench_search(args: argparse.Namespace) -> None:
    targets = []
    folder = Path(args.dir or tempfile.mkdtemp(prefix="onrecord-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    targets.append(("sqlite", str(folder / f"bench-{args.quotes}.db")))
    if args.postgres:
        targets.append(("postgres", args.postgres))
    for name, target in targets:
        with open_store(target) as store:
            have = store.counts()["quotes"]
            if have != args.quotes:
                if have:
                    with store.transaction():
                        for table in ("quotes", "articles", "speakers", "speaker_aliases"):
                            store._run(f"DELETE FROM {table}")
                print(f"{name}: loading {args.quotes:,} synthetic quotes", file=sys.stderr)
                load(store, args.quotes)
            result = measure(store, args.queries)
        print(f"{name}: {args.quotes:,} quotes, search with a speaker filter: {result}")


def bench_ingest(args: argparse.Namespace) -> None:
    from onrecord.corpus.ingest import IngestReport, ingest

    paths = args.paths
    tmp = Path(tempfile.mkdtemp(prefix="onrecord-ingest-"))
    if not paths:
        polnear = Path(__file__).resolve().parents[2] / "shared/data/polnear/data/train/text"
        if polnear.is_dir():
            files = sorted(polnear.glob("*.txt"))[: args.articles]
            paths = [str(p) for p in files]
        else:
            sys.path.insert(0, str(_HERE.parent / "tests"))
            from corpus_texts import write_articles

            paths = [str(p) for p in write_articles(tmp / "texts", args.articles)]
    results = {}
    for jobs in (1, 2):
        marks: list[float] = []

        def progress(report: IngestReport, _n: int, marks: list[float] = marks) -> None:
            marks.append(time.perf_counter())

        with open_store(str(tmp / f"j{jobs}.db")) as store:
            report = ingest(store, paths, jobs=jobs, mode=args.mode, progress=progress, consolidate=False)
        rate = (len(marks) - 1) / (marks[-1] - marks[0])
        results[jobs] = rate
        print(
            f"ingest -j {jobs}: {report.ok} articles, {rate:.2f} articles/s (steady), {report.seconds:.1f}s in all"
        )
    print(f"speed-up -j 2 / -j 1: {results[2] / results[1]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="what", required=True)
    search = sub.add_parser("search")
    search.add_argument("--quotes", type=int, default=1_000_000)
    search.add_argument("--queries", type=int, default=500)
    search.add_argument("--postgres", default=os.environ.get("ONRECORD_TEST_POSTGRES"))
    search.add_argument("--dir", help="Where to keep the SQLite file (reused when it has the same size).")
    ingest_parser = sub.add_parser("ingest")
    ingest_parser.add_argument("paths", nargs="*")
    ingest_parser.add_argument("--articles", type=int, default=300)
    ingest_parser.add_argument("--mode", default="accurate")
    args = parser.parse_args()
    if args.what == "search":
        bench_search(args)
    else:
        bench_ingest(args)


if __name__ == "__main__":
    main()
