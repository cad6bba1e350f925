"""The commands that fill and describe a corpus database: ingest, export, status.

The database comes first, as in sqlite-utils: a SQLite file path or a ``postgresql://`` URL.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from onrecord.cli.common import MODE_OPTION, open_db, spacy_command
from onrecord.errors import OnrecordError

if TYPE_CHECKING:
    from onrecord.corpus.ingest import IngestReport

LOG_EVERY = 10.0  # seconds between progress lines when standard error is not a terminal


@click.command()
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
    from rich.console import Console  # rich: only when the command runs
    from rich.progress import (  # rich: only when the command runs
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    # the ingest runner: only when the command runs
    from onrecord.corpus.ingest import ingest as run_ingest

    store = open_db(db, create=bool(paths))  # --reprocess alone needs a database that is there
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
    # the readers import trafilatura: not for --help
    from onrecord.corpus.sources import JSONL_EXTENSIONS, WARC_EXTENSIONS, expand_sources

    files = expand_sources(list(paths))
    if not files or any(f.lower().endswith(JSONL_EXTENSIONS + WARC_EXTENSIONS) for f in files):
        return None
    return len(files)


def _ingest_shards(db: str, folder: str, *, as_json: bool) -> None:
    # the shard loader: only when the command runs
    from onrecord.scale.batch import ingest_shards

    store = open_db(db, create=True)
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


@click.command(name="export")
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
    # the exporter (pyarrow for parquet): only when the command runs
    from onrecord.corpus.export import write_export

    if output_format == "parquet" and output == "-":
        raise click.UsageError("--format parquet needs -o FILE")
    store = open_db(db)
    try:
        count = write_export(store, table, output_format, output)
    finally:
        store.close()
    click.echo(f"{count} rows of {table} written", err=True)


@click.command()
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
    store = open_db(db)
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
