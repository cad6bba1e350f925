"""The corpus commands: ingest, search, speakers, speaker, quote, export, status.

The database comes first, as in sqlite-utils: a SQLite file path or a ``postgresql://`` URL.
Output formats are uniform: ``table`` (rich), ``json`` (one array), ``nl`` (one JSON object per
line) and ``csv``.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import click

from onrecord.cli import MODE_OPTION, cli, spacy_command
from onrecord.errors import Errors, OnrecordError

ROW_FORMATS = ("table", "json", "nl", "csv")
LOG_EVERY = 10.0  # seconds between progress lines when standard error is not a terminal


def _open(db: str, *, create: bool = False) -> Any:
    """The store ``db``; a SQLite file that is not there is an error (exit 1) unless ``create``
    (ingest), which makes it and says so."""
    from onrecord.store import open_store

    new = create and "://" not in db and db != ":memory:" and not Path(db).exists()
    try:
        store = open_store(db, create=create)
    except OnrecordError as err:
        raise click.ClickException(str(err)) from err
    if new:
        click.echo(f"onrecord: created the database {db}", err=True)
    return store


def _format_option(default: str = "table") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(ROW_FORMATS),
        default=default,
        show_default=True,
        help="table; json (one array); nl (one JSON object per line); csv.",
    )


def write_rows(
    rows: Sequence[dict[str, Any]], columns: Sequence[str], output_format: str, *, title: str = ""
) -> None:
    """Rows in one of the uniform formats; ``columns`` picks and orders the table and csv columns."""
    if output_format == "json":
        click.echo(json.dumps(list(rows), ensure_ascii=False, indent=2))
    elif output_format == "nl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    elif output_format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title or None, show_lines=False)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(_cell(row, column) for column in columns))
        Console(width=None if sys.stdout.isatty() else 160).print(table)


def _cell(row: dict[str, Any], column: str) -> Any:
    """A table cell: text as is (never read as rich markup); a snippet's matches in bold."""
    from rich.text import Text

    value = row.get(column)
    if value is None:
        return ""
    cell = Text(str(value))
    if column == "snippet":
        for start, end in row.get("matches", []):
            cell.stylize("bold reverse", start, end)
    return cell


@cli.command()
@click.argument("db")
@click.argument("paths", nargs=-1, required=False, metavar="PATH...")
@click.option(
    "--from-parquet",
    "from_parquet",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    metavar="DIR",
    help="Load the shards of onrecord batch instead of extracting.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes for extraction.",
)
@click.option(
    "--reprocess",
    is_flag=True,
    help="Re-extract articles made by an older extractor or model version; with no PATH, from the "
    "text the store holds (how a corpus of an older version gains relations and stances).",
)
@click.option("--no-clean", is_flag=True, help="Keep plain text exactly as given.")
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Refuse a file or record over N bytes.  [default: 10 MiB]",
)
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print the run's report as JSON.")
@MODE_OPTION
@spacy_command
def ingest(
    db: str,
    paths: tuple[str, ...],
    jobs: int,
    reprocess: bool,
    no_clean: bool,
    max_bytes: int | None,
    no_progress: bool,
    as_json: bool,
    mode: str,
    from_parquet: str | None,
) -> None:
    """Extract articles into a corpus database, then link speakers and quotations across them.

    DB is a SQLite file (created when missing) or a postgresql:// URL. PATH is a text, HTML,
    JSONL (a text or html field, optional url, title, published, outlet), WARC or WARC.gz file,
    or a directory of them. Running it again skips what is unchanged, so an interrupted run is
    simply run again. Every record gets a status (see onrecord status DB).

    Example:

    \b
        onrecord ingest news.db pages/ crawl.warc.gz -j 2
        onrecord ingest postgresql://me@localhost/news articles.jsonl
        onrecord ingest news.db pages/ --reprocess
        onrecord ingest news.db --reprocess
        onrecord ingest news.db --from-parquet shards/
    """
    if from_parquet is not None:
        _ingest_shards(db, from_parquet, as_json=as_json)
        return
    if not paths and not reprocess:
        raise click.UsageError("give a PATH to ingest, --from-parquet DIR, or --reprocess alone")
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from onrecord.corpus.ingest import IngestReport
    from onrecord.corpus.ingest import ingest as run_ingest

    store = _open(db, create=bool(paths))  # --reprocess alone needs a database that is there
    console = Console(stderr=True)
    live = console.is_terminal and not (no_progress or as_json)
    bar = Progress(
        TextColumn("ingest"),
        BarColumn(bar_width=None),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:.1f} articles/s, {task.fields[failed]} failed"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not live,
    )
    total = known_total(paths)
    task = bar.add_task("ingest", total=total, rate=0.0, failed=0)
    last_line = [time.monotonic()]

    def on_progress(report: IngestReport, _n: int) -> None:
        done = report.ok + report.failed + report.unchanged + report.skipped
        if live:
            bar.update(task, completed=done, rate=report.rate, failed=report.failed)
        elif not (no_progress or as_json) and time.monotonic() - last_line[0] >= LOG_EVERY:
            # not a terminal (a log file, CI): a plain line every so often instead of a bar
            last_line[0] = time.monotonic()
            of = f"/{total}" if total else ""
            click.echo(
                f"ingest: {done}{of} articles, {report.rate:.2f} articles/s, {report.failed} failed", err=True
            )

    try:
        with bar:
            report = run_ingest(
                store,
                list(paths),
                jobs=jobs,
                mode=mode,
                reprocess=reprocess,
                clean=not no_clean,
                max_bytes=max_bytes,
                progress=on_progress,
            )
    except OnrecordError as err:
        raise click.ClickException(str(err)) from err
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        if report.failed:
            sys.exit(1)  # some input failed (docs/cli.md, exit codes)
        return
    for key, reason in report.failures[:20]:
        click.echo(
            f"Error: {' '.join(reason.split())}" if key in reason else f"Error: {key}: {reason}", err=True
        )
    if len(report.failures) > 20:
        click.echo(
            f"... and {len(report.failures) - 20} more failures (onrecord status {db} --failures)", err=True
        )
    click.echo(
        f"{report.ok} articles extracted, {report.unchanged} unchanged, {report.skipped} skipped, "
        f"{report.failed} failed in {report.seconds:.1f}s ({report.rate:.2f} articles/s)"
        + (
            f"; {report.consolidated['speakers']} speakers, {report.consolidated['groups']} quote groups"
            if report.consolidated
            else ""
        ),
        err=True,
    )
    if report.failed:
        sys.exit(1)


def known_total(paths: Sequence[str]) -> int | None:
    """How many articles ``paths`` hold, when every input is one article (a folder of pages); None
    when one is a JSONL or WARC file, which holds an unknown number of records."""
    from onrecord.corpus.sources import JSONL_EXTENSIONS, WARC_EXTENSIONS, expand_sources

    files = expand_sources(list(paths))
    if not files or any(f.lower().endswith(JSONL_EXTENSIONS + WARC_EXTENSIONS) for f in files):
        return None
    return len(files)


def _ingest_shards(db: str, folder: str, *, as_json: bool) -> None:
    from onrecord.scale.batch import ingest_shards

    store = _open(db, create=True)
    try:
        counts = ingest_shards(store, folder)
    except (OnrecordError, FileNotFoundError) as err:
        raise click.ClickException(str(err)) from err
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(counts, indent=2))
    else:
        click.echo(
            f"{counts['ok']} articles loaded, {counts['unchanged']} unchanged, {counts['skipped']} skipped, {counts['failed']} failures recorded"
            + (
                f"; {counts['speakers']} speakers, {counts['groups']} quote groups"
                if "speakers" in counts
                else ""
            ),
            err=True,
        )


def _day(value: str | None, option: str) -> str | None:
    """A date that exists, as YYYY, YYYY-MM or YYYY-MM-DD (a usage error otherwise)."""
    if value is None:
        return None
    from onrecord.store.base import check_day

    try:
        check_day(value)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint=option) from err
    return value


def _no_such_speaker(store: Any, name: str) -> str:
    """E053 with the closest speaker names as a hint."""
    import difflib

    names = [row["name"] for row in store.speakers(limit=100_000)]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6) or difflib.get_close_matches(
        name.lower(), [n.lower() for n in names], n=3, cutoff=0.5
    )
    hint = (
        f"; did you mean {', '.join(repr(c) for c in close)}?"
        if close
        else "; onrecord speakers DB lists them"
    )
    return Errors.E053.format(name=name).rstrip(".") + hint


SEARCH_COLUMNS = ("quote_id", "published", "outlet", "speaker_name", "type", "snippet")


@cli.command()
@click.argument("db")
@click.argument("query", default="")
@click.option("--speaker", help="Only this speaker (a name, an alias or a speaker id).")
@click.option("--outlet", help="Only this outlet.")
@click.option(
    "--since",
    metavar="DATE",
    callback=lambda _c, _p, v: _day(v, "--since"),
    help="Published on or after DATE (YYYY[-MM[-DD]]).",
)
@click.option(
    "--until",
    metavar="DATE",
    callback=lambda _c, _p, v: _day(v, "--until"),
    help="Published on or before DATE (YYYY[-MM[-DD]]).",
)
@click.option(
    "--min-confidence", type=click.FloatRange(0, 1), default=None, help="Only quotations at least this sure."
)
@click.option(
    "--type",
    "quote_type",
    type=click.Choice(["direct", "mixed", "indirect"]),
    help="Only this kind of quotation.",
)
@click.option(
    "--sort",
    type=click.Choice(["rank", "date", "-date"]),
    default="rank",
    show_default=True,
    help="Best match first, or by date.",
)
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True)
@_format_option()
def search(
    db: str,
    query: str,
    speaker: str | None,
    outlet: str | None,
    since: str | None,
    until: str | None,
    min_confidence: float | None,
    quote_type: str | None,
    sort: str,
    limit: int,
    offset: int,
    output_format: str,
) -> None:
    """Search quotations: words, "exact phrases", OR, -excluded words, prefix*, NEAR(a b, N),
    and the fields speaker:NAME, outlet:NAME, type:direct.

    The snippet is the quotation; matches are in bold in the table, and given as [start, end)
    offsets into it ("matches") in the other formats. A query that starts with "-" follows
    "--". An unknown --speaker is a usage error that names the closest speakers.

    Example:

    \b
        onrecord search news.db 'email server' --speaker "Donald Trump"
        onrecord search news.db '"national inquiry" -Musk' --since 2025-01-01 --format csv
        onrecord search news.db 'inquir* NEAR(grooming gangs, 5)' --min-confidence 0.5
        onrecord search news.db -- '-Musk inquiry'
    """
    from onrecord.store import QUOTE_COLUMNS, SearchFilters

    store = _open(db)
    try:
        if speaker and not store.resolve_speaker(speaker):
            raise click.BadParameter(_no_such_speaker(store, speaker), param_hint="--speaker")
        filters = SearchFilters(
            speaker=speaker,
            outlet=outlet,
            since=since,
            until=until,
            type=quote_type,
            min_confidence=min_confidence,
        )
        rows = store.search(query, filters, limit=limit, offset=offset, sort=sort)
    except OnrecordError as err:
        raise click.ClickException(str(err)) from err
    finally:
        store.close()
    columns = SEARCH_COLUMNS if output_format == "table" else (*QUOTE_COLUMNS, "snippet", "matches")
    write_rows(rows, columns, output_format)


@cli.command()
@click.argument("db")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@_format_option()
def speakers(db: str, limit: int, output_format: str) -> None:
    """The most quoted speakers, with their counts.

    Example:

    \b
        onrecord speakers news.db --limit 20
    """
    store = _open(db)
    try:
        rows = store.speakers(limit=limit)
    finally:
        store.close()
    write_rows(rows, ("speaker_id", "name", "kind", "quote_count", "article_count"), output_format)


@cli.command()
@click.argument("db")
@click.option(
    "--by",
    "by",
    type=click.Choice(["outlet", "month", "topic"]),
    multiple=True,
    help="Group the counts; repeat for combinations (--by outlet --by month).",
)
@click.option(
    "--topic",
    "topics",
    multiple=True,
    help="A full-text query (as search takes it): only the quotations it matches; with --by "
    "topic, one group per --topic.",
)
@click.option(
    "--min-confidence", type=click.FloatRange(0, 1), default=None, help="Only quotations at least this sure."
)
@_format_option()
def diversity(
    db: str, by: tuple[str, ...], topics: tuple[str, ...], min_confidence: float | None, output_format: str
) -> None:
    """Who gets quoted: quotations and people quoted by gender, and the shares of organisations and
    unnamed sources, in all or by outlet, month or topic.

    Gender is what each article shows (pronouns, gendered nouns, honorifics; the first-name
    lexicon only where the article says nothing), not self-identified: unknown is counted,
    never dropped.

    Example:

    \b
        onrecord diversity news.db --by outlet
        onrecord diversity news.db --by outlet --by month --format csv
        onrecord diversity news.db --by topic --topic immigration --topic "health care"
    """
    from onrecord.store.base import DIVERSITY_COLUMNS, QueryError, SearchFilters

    store = _open(db)
    try:
        rows = store.diversity(
            list(by), topics=list(topics), filters=SearchFilters(min_confidence=min_confidence)
        )
    except QueryError as err:
        raise click.UsageError(str(err)) from err
    finally:
        store.close()
    keys = [k for k in ("topic", "outlet", "month") if k in by]
    write_rows(rows, [*keys, *DIVERSITY_COLUMNS], output_format, title="who gets quoted")


class _DefaultGroup(click.Group):
    """A group whose arguments go to its ``show`` command unless they name a subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


@cli.group(cls=_DefaultGroup)
def speaker() -> None:
    """One speaker (onrecord speaker DB NAME), or correct speaker identity (merge, split).

    Example:

    \b
        onrecord speaker news.db "Donald Trump"
        onrecord speaker merge news.db "Mr. Smith" "John Smith"
        onrecord speaker split news.db "John Smith" "Jane Smith"
    """


@speaker.command(name="show")
@click.argument("db")
@click.argument("name")
@click.option(
    "--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.option(
    "--timeline",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Quotations of the timeline to print (table).",
)
@click.option(
    "--set-gender",
    type=click.Choice(["female", "male", "unknown"]),
    default=None,
    help="Correct the speaker's gender by hand: it wins over what the articles show, now and "
    "after every later ingest, and is recorded with its author and time.",
)
@click.option("--author", default=None, help="Who makes the correction.  [default: $USER]")
def speaker_show(
    db: str, name: str, output_format: str, timeline: int, set_gender: str | None, author: str | None
) -> None:
    """A speaker: gender, aliases, roles over time, outlets, media, addressees, and a timeline
    of quotes.

    NAME is a name, an alias or a speaker id.

    Example:

    \b
        onrecord speaker news.db "Donald Trump"
        onrecord speaker news.db Trump --format json
        onrecord speaker news.db "Robin Lutz" --set-gender female --author "desk editor"
    """
    store = _open(db)
    try:
        info = store.speaker(name)
        if info is None:
            raise click.BadParameter(_no_such_speaker(store, name), param_hint="NAME")
        if set_gender is not None:
            import datetime
            import getpass

            from onrecord.corpus.records import Correction

            if info["kind"] != "person":
                raise click.BadParameter(
                    f"{info['name']} is an {info['kind']}: only people have a gender", param_hint="NAME"
                )
            created = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
            who = author or os.environ.get("USER") or getpass.getuser()
            store.add_correction(
                Correction("gender", info["speaker_id"], set_gender, author=who, created=created)
            )
            store.consolidate()
            click.echo(
                f"onrecord: {info['name']} is now {set_gender} (corrected by {who}, {created})", err=True
            )
            info = store.speaker(info["speaker_id"])
            assert info is not None
    finally:
        store.close()
    if output_format == "json":
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{info['name']} ({info['speaker_id']}, {info['kind']}): {info['quote_count']} quotations in {info['article_count']} articles"
    )
    if info["kind"] == "person":
        source = "corrected by hand" if info["gender_source"] == "correction" else "as its articles show"
        click.echo(f"gender: {info['gender'] or 'unknown'} ({source})")
    _listing("aliases", [f"{a['alias']} ({a['count']})" for a in info["aliases"]])
    _listing(
        "roles",
        [
            f"{r['role']} ({r['count']}, {r['first_seen'] or '?'} to {r['last_seen'] or '?'})"
            for r in info["roles"][:15]
        ],
    )
    for field in ("outlets", "media", "addressees"):
        _listing(field, [f"{r['name']} ({r['count']})" for r in info[field][:10]])
    if info["other_matches"]:
        _listing("other speakers with this name", info["other_matches"])
    if timeline:
        click.echo("timeline:")
        for row in info["timeline"][-timeline:]:
            text = " ".join(row["content_text"].split())
            click.echo(
                f"  {row['published'] or '????-??-??'}  {row['outlet'] or ''}  {row['type']}: {text[:100]}"
            )


def _listing(label: str, values: Iterable[str]) -> None:
    values = list(values)
    if values:
        click.echo(f"{label}: " + "; ".join(values))


@speaker.command(name="merge")
@click.argument("db")
@click.argument("a")
@click.argument("b")
def speaker_merge(db: str, a: str, b: str) -> None:
    """Merge speaker A into speaker B (names or ids). Kept, and applied again after every ingest.

    Example:

    \b
        onrecord speaker merge news.db "Mr. Smith" "John Smith"
    """
    _correct(db, "merge", a, b=b)


@speaker.command(name="split")
@click.argument("db")
@click.argument("speaker_name", metavar="SPEAKER")
@click.argument("alias")
def speaker_split(db: str, speaker_name: str, alias: str) -> None:
    """Split the mentions named ALIAS off SPEAKER into a speaker of their own. Kept, and applied
    again after every ingest.

    Example:

    \b
        onrecord speaker split news.db "John Smith" "Jane Smith"
    """
    _correct(db, "split", speaker_name, alias=alias)


def _correct(db: str, action: str, a: str, *, b: str | None = None, alias: str | None = None) -> None:
    from onrecord.corpus.records import Correction

    store = _open(db)
    try:
        ids_a = store.resolve_speaker(a)
        if not ids_a:
            raise click.BadParameter(
                _no_such_speaker(store, a), param_hint="A" if b is not None else "SPEAKER"
            )
        target = None
        if b is not None:
            ids_b = store.resolve_speaker(b)
            if not ids_b:
                raise click.BadParameter(_no_such_speaker(store, b), param_hint="B")
            target = ids_b[0]
        store.add_correction(Correction(action, ids_a[0], target, alias))  # type: ignore[arg-type]
        result = store.consolidate()
    finally:
        store.close()
    click.echo(f"{action}: done; {result['speakers']} speakers", err=True)


@cli.command()
@click.argument("db")
@click.argument("quote_id")
@click.option(
    "--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True
)
def quote(db: str, quote_id: str, output_format: str) -> None:
    """A quotation's provenance: every article that carried it, the first, and its variants.

    Example:

    \b
        onrecord quote news.db 3f2a9c0d1e4b5a6c7d8e:q4
    """
    store = _open(db)
    try:
        info = store.quote(quote_id)
    finally:
        store.close()
    if info is None:
        hint = "; quotation ids are ARTICLE_ID:qN, as search and export give them"
        raise click.BadParameter(
            Errors.E054.format(quote_id=quote_id).rstrip(".") + hint, param_hint="QUOTE_ID"
        )
    if output_format == "json":
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{info['speaker_name'] or '(no speaker)'} {info['cue_text'] or ''}: {' '.join(info['content_text'].split())}"
    )
    click.echo(
        f"  in {info['outlet'] or info['source_path']} ({info['published'] or 'no date'}), {info['type']}"
    )
    if info["group_id"] is None:
        click.echo("  carried by no other article in this corpus")
        return
    click.echo(f"  group {info['group_id']}: first appearance {info['first_quote_id']}")
    variants = {v["quote_id"]: v["differences"] for v in info["variants"]}
    for row in info["carried_by"]:
        mark = (
            "first"
            if row["quote_id"] == info["first_quote_id"]
            else ("VARIANT " + ", ".join(variants[row["quote_id"]]) if row["quote_id"] in variants else "")
        )
        click.echo(
            f"  {row['published'] or '????-??-??'}  {row['outlet'] or row['source_path']}  {row['quote_id']}  {mark}"
        )


@cli.command()
@click.argument("db")
@click.argument("topic")
@click.option(
    "--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.option(
    "--evidence",
    type=click.IntRange(min=0),
    default=2,
    show_default=True,
    help="Statements to print per speaker (table).",
)
def stance(db: str, topic: str, output_format: str, evidence: int) -> None:
    """Who is for, who against, and who speaks of TOPIC without a side, with the statements.

    TOPIC is read as a head noun and context: "national inquiry into grooming gangs" looks for
    statements whose target names an inquiry (or a probe, an investigation) in articles that
    mention the national grooming gangs. "Called for", "backed calls for" are for; "will not
    intervene", "don't need more inquiries" against.

    Example:

    \b
        onrecord stance news.db "national inquiry into grooming gangs"
        onrecord stance news.db "Clinton email" --format json
    """
    store = _open(db)
    try:
        answer = store.stance(topic)
    except OnrecordError as err:
        raise click.ClickException(str(err)) from err
    finally:
        store.close()
    if output_format == "json":
        click.echo(json.dumps(answer, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{answer['topic']}: {answer['head']} (or {', '.join(answer['variants'][1:]) or 'no variant'})"
        + (f" in articles about {' '.join(answer['context'])}" if answer["context"] else "")
    )
    for side in ("for", "against", "unclear"):
        rows = answer[side]
        click.echo(f"{side.upper()} ({len(rows)} speakers, {sum(r['count'] for r in rows)} statements)")
        for row in rows:
            click.echo(f"  {row['name']} ({row['count']})")
            for item in row["evidence"][:evidence]:
                text = " ".join(str(item["evidence"]).split())
                click.echo(f"    {item['published'] or '????-??-??'} {item['outlet'] or ''}: {text[:140]}")
    if answer["articles_without_relations"]:
        click.echo(
            f"note: {answer['articles_without_relations']} articles were stored before relations and stances "
            "were extracted; run `onrecord ingest DB --reprocess` to add them",
            err=True,
        )


@cli.command()
@click.argument("db")
@click.option("--speaker", "name", help="Only this speaker's relations (a name, an alias or a speaker id).")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@_format_option()
def relations(db: str, name: str | None, limit: int, output_format: str) -> None:
    """Who praises, criticises, thanks, accuses, supports or opposes whom, over the corpus.

    Example:

    \b
        onrecord relations news.db
        onrecord relations news.db --speaker "Elon Musk" --format json
    """
    store = _open(db)
    try:
        if name is None:
            rows = store.relation_graph(limit=limit)
            write_rows(
                rows,
                ("subject", "predicate", "object", "count", "articles"),
                output_format,
                title="relations",
            )
            return
        ids = store.resolve_speaker(name)
        if not ids:
            raise click.BadParameter(_no_such_speaker(store, name), param_hint="--speaker")
        found = store.relations_of(ids[0], limit=limit)
    finally:
        store.close()
    rows = [
        {"direction": direction, **row} for direction in ("outgoing", "incoming") for row in found[direction]
    ]
    write_rows(rows, ("direction", "predicate", "name", "count", "evidence"), output_format, title=name)


@cli.command(name="export")
@click.argument("db")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["jsonl", "csv", "parquet"]),
    default="jsonl",
    show_default=True,
)
@click.option(
    "--table",
    type=click.Choice(["quotes", "articles", "speakers", "entities", "failures", "relations", "stances"]),
    default="quotes",
    show_default=True,
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), default="-", help="Output file (required for parquet)."
)
def export(db: str, output_format: str, table: str, output: str) -> None:
    """Export a table as JSONL, CSV or Parquet (for pandas, DuckDB, Spark).

    Example:

    \b
        onrecord export news.db --format parquet -o quotes.parquet
        onrecord export news.db --table speakers --format csv > speakers.csv
        onrecord export news.db --table relations --format parquet -o relations.parquet
    """
    from onrecord.corpus.export import write_export

    if output_format == "parquet" and output == "-":
        raise click.UsageError("--format parquet needs -o FILE")
    store = _open(db)
    try:
        count = write_export(store, table, output_format, output)
    finally:
        store.close()
    click.echo(f"{count} rows of {table} written", err=True)


@cli.command()
@click.argument("db")
@click.option(
    "--failures",
    "show_failures",
    is_flag=True,
    help="List the records that failed or were skipped, with why.",
)
@click.option("--json", "as_json", is_flag=True, help="As JSON.")
def status(db: str, show_failures: bool, as_json: bool) -> None:
    """What a corpus holds: articles, quotations, speakers, and records by status.

    Example:

    \b
        onrecord status news.db --failures
    """
    store = _open(db)
    try:
        counts = store.counts()
        failures = store.failures() if show_failures else []
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps({"counts": counts, "failures": failures}, ensure_ascii=False, indent=2))
        return
    for key, value in counts.items():
        click.echo(f"{key}: {value}")
    for row in failures:
        click.echo(f"{row['status']}: {row['item_key']}: {' '.join((row['reason'] or '').split())}")


@cli.command()
@click.argument("db")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True)
@click.option(
    "--write-token-file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="A file holding the write token (or set ONRECORD_WRITE_TOKEN): POST /api/articles with "
    "'Authorization: Bearer TOKEN' stores articles, and extraction needs it too. Without a token "
    "the server is read-only.",
)
@click.option("--write-token", "token_in_argv", default=None, hidden=True)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="Answer to this Host name too (repeatable; '*.example.org'; '*' for any). Default: the "
    "--host address, localhost, 127.0.0.1 and ::1; other Host headers get 400 (DNS rebinding).",
)
@click.option(
    "--access-log",
    type=click.Path(dir_okay=False, allow_dash=True),
    default=None,
    metavar="FILE",
    help="Write one Common Log Format line per request to FILE ('-': standard error). Off by default.",
)
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Server processes.")
@MODE_OPTION
@spacy_command
def serve(
    db: str,
    host: str,
    port: int,
    write_token_file: str | None,
    token_in_argv: str | None,
    allow_hosts: tuple[str, ...],
    access_log: str | None,
    workers: int,
    mode: str,
) -> None:
    """Serve a corpus: search, speaker, article and quotation pages, and a JSON API.

    Every page has a .json twin; the OpenAPI spec is at /openapi.json. Read-only unless a
    write token is given, by environment or file (never on the command line, where every user
    of the machine sees it in ps).

    Example:

    \b
        onrecord serve news.db
        openssl rand -hex 16 > token.txt && onrecord serve news.db --port 9000 --write-token-file token.txt
        onrecord serve news.db --host 0.0.0.0 --allow-host quotes.example.org --access-log -
    """
    import os

    import uvicorn

    from onrecord.serve import create_app
    from onrecord.serve.app import LOOPBACK_HOSTS

    if token_in_argv is not None:
        raise click.UsageError(
            "--write-token puts the token where every user sees it (ps); "
            "use --write-token-file FILE or set ONRECORD_WRITE_TOKEN"
        )
    write_token = os.environ.get("ONRECORD_WRITE_TOKEN") or None
    if write_token_file is not None:
        try:
            write_token = Path(write_token_file).read_text(encoding="utf-8").strip() or None
        except (OSError, UnicodeDecodeError) as err:
            raise click.ClickException(f"cannot read the write token from {write_token_file}: {err}") from err
        if write_token is None:
            raise click.ClickException(f"{write_token_file} is empty: no write token in it")
    hosts = [*LOOPBACK_HOSTS, *allow_hosts]
    if host not in ("0.0.0.0", "::", ""):
        hosts.append(host)
    try:
        # fail here, not in a worker, on a bad store or host pattern
        create_app(db, write_token=write_token, mode=mode, allowed_hosts=hosts, create=False)
    except (OnrecordError, ValueError) as err:
        raise click.ClickException(str(err)) from err
    os.environ["ONRECORD_SERVE_DB"] = db
    os.environ["ONRECORD_SERVE_MODE"] = mode
    os.environ["ONRECORD_SERVE_HOSTS"] = ",".join(hosts)
    if access_log:
        os.environ["ONRECORD_ACCESS_LOG"] = access_log
    if write_token:
        os.environ["ONRECORD_WRITE_TOKEN"] = write_token
    click.echo(
        f"onrecord: serving {db} on http://{host}:{port}/ (read-{'write' if write_token else 'only'}; "
        f"answering to Host {', '.join(hosts)})",
        err=True,
    )
    uvicorn.run(
        "onrecord.serve.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Folder for the Parquet shards.")
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="ray: a Ray cluster (--address) or a local Ray; local: a local Ray when Ray is installed, "
    "else worker processes (the same output).",
)
@click.option("--address", default=None, help="A Ray cluster to join (ray://HOST:10001 or HOST:6379).")
@click.option(
    "--workers", type=click.IntRange(min=1), default=2, show_default=True, help="Extraction workers."
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Refuse a file or record over N bytes.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the run's report as JSON.")
@click.option("-v", "--verbose", is_flag=True, help="Show Ray's own log lines and warnings.")
@MODE_OPTION
@spacy_command
def batch(
    inputs: tuple[str, ...],
    out: str,
    engine: str,
    address: str | None,
    workers: int,
    max_bytes: int | None,
    as_json: bool,
    verbose: bool,
    mode: str,
) -> None:
    """Extract a corpus into Parquet shards (articles, quotes, entities, failures), on Ray or here.

    INPUT is what ingest reads (text, HTML, JSONL, WARC, folders), or an object-store URI
    (s3://bucket/prefix). The shards have the schema of onrecord export --format parquet; load
    them into a store with onrecord ingest DB --from-parquet OUT.

    Example:

    \b
        onrecord batch crawl/ --out shards/ --workers 2
        onrecord batch s3://news/2025/ --out /mnt/shards --engine ray --address ray://head:10001 --workers 64
        onrecord ingest news.db --from-parquet shards/
    """
    from onrecord.scale.batch import run_batch

    try:
        report = run_batch(
            list(inputs),
            out,
            engine=engine,
            workers=workers,
            address=address,
            mode=mode,
            max_bytes=max_bytes,
            verbose=verbose,
        )
    except OnrecordError as err:
        raise click.ClickException(str(err)) from err
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(
            f"{report.articles} articles, {report.failures} failures"
            + (
                f", {skipped} skipped (the same text as another)"
                if (skipped := report.counts.get("skipped"))
                else ""
            )
            + f" in {report.seconds:.1f}s on {report.engine} "
            f"with {report.workers} workers; shards in {out}: "
            + ", ".join(f"{table} {count}" for table, count in report.counts.items() if table != "skipped"),
            err=True,
        )
    if report.failures:
        _print_failures(out)
        sys.exit(1)  # some input failed; its row is in the failures shard


def _print_failures(out: str, shown: int = 20) -> None:
    """The first failed inputs of a batch run, from its failures shard, as ingest prints them."""
    from onrecord.scale.shards import read_shards

    failed = [row for row in read_shards(out, "failures") if row["status"] == "failed"]
    for row in failed[:shown]:
        click.echo(f"Error: {row['item_key']}: {row['reason']}", err=True)
    if len(failed) > shown:
        click.echo(f"... and {len(failed) - shown} more failures (the failures shard in {out})", err=True)
