"""What the commands share: options, error lines, opening a database, writing rows.

Nothing here imports spaCy, the pipeline or the store at import time, so ``--help`` stays fast.
"""

from __future__ import annotations

import csv
import difflib
import functools
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from onrecord.errors import Errors, OnrecordError
from onrecord.options import DEFAULT_MIN_CONFIDENCE

if TYPE_CHECKING:
    from onrecord.store import Store

OnError = Callable[[str], None]


def error_line(message: str) -> None:
    """Report one failure as a single ``Error: ...`` line on stderr."""
    click.echo(f"Error: {' '.join(message.split())}", err=True)


def spacy_command(command: Callable[..., Any]) -> Callable[..., Any]:
    """A command that loads spaCy: the process is set up for it (``init_extraction_process``)
    when the command runs, after its options are parsed, so ``--help`` prints without spaCy."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        # heavy: sets the process up for spaCy, only when the command runs
        from onrecord.nlp import init_extraction_process

        init_extraction_process()
        return command(*args, **kwargs)

    return run


MODE_OPTION = click.option(
    "--mode",
    type=click.Choice(["fast", "accurate"]),
    default="accurate",
    show_default=True,
    help="fast: the rules alone; accurate: the learned tagger over the rules (see the README).",
)


MIN_CONFIDENCE_OPTION = click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    default=DEFAULT_MIN_CONFIDENCE,
    show_default=True,
    metavar="P",
    help="Leave out quotations whose confidence (the estimated chance that they are attributions, "
    "see docs/usage.md) is under P.",
)


SCOPE_HELP = (
    "quotations: what people said (speech verbs, statements, quoted words); attributions: also "
    "what they think, plan or find, as PolNeAR annotates (see docs/usage.md)."
)


def scope_option(default: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--scope",
        type=click.Choice(["quotations", "attributions"]),
        default=default,
        show_default=True,
        help=SCOPE_HELP,
    )


def print_report(report: Any, *, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(report.render())


ROW_FORMATS = ("table", "json", "nl", "csv")


def open_db(db: str, *, create: bool = False) -> Store:
    """The store ``db``; a SQLite file that is not there is an error (exit 1) unless ``create``
    (ingest), which makes it and says so."""
    # the store: only when a command opens one, not for --help
    from onrecord.store import open_store

    new = create and "://" not in db and db != ":memory:" and not Path(db).exists()
    try:
        store = open_store(db, create=create)
    except OnrecordError as err:
        raise click.ClickException(str(err)) from err
    if new:
        click.echo(f"onrecord: created the database {db}", err=True)
    return store


def format_option(default: str = "table") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
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
        from rich.console import Console  # rich: only for the table format
        from rich.table import Table  # rich: only for the table format

        table = Table(title=title or None, show_lines=False)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(_cell(row, column) for column in columns))
        Console(width=None if sys.stdout.isatty() else 160).print(table)


def _cell(row: dict[str, Any], column: str) -> Any:
    """A table cell: text as is (never read as rich markup); a snippet's matches in bold."""
    # rich: only for the table format
    from rich.text import Text

    value = row.get(column)
    if value is None:
        return ""
    cell = Text(str(value))
    if column == "snippet":
        for start, end in row.get("matches", []):
            cell.stylize("bold reverse", start, end)
    return cell


def no_such_speaker(store: Any, name: str) -> str:
    """E053 with the closest speaker names as a hint."""

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
