"""``onrecord batch``: extract a corpus into Parquet shards, on Ray or here."""

from __future__ import annotations

import json
import sys

import click

from onrecord.cli.common import MODE_OPTION, spacy_command
from onrecord.errors import OnrecordError


@click.command()
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
    # the batch runner (Ray when installed): only when the command runs
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
    # the shard reader (pyarrow): only when a run failed
    from onrecord.scale.shards import read_shards

    failed = [row for row in read_shards(out, "failures") if row["status"] == "failed"]
    for row in failed[:shown]:
        click.echo(f"Error: {row['item_key']}: {row['reason']}", err=True)
    if len(failed) > shown:
        click.echo(f"... and {len(failed) - shown} more failures (the failures shard in {out})", err=True)
