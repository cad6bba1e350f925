"""``onrecord extract``, and the reading, batching and writing it is made of.

``extract`` goes on past a bad input or an article whose extraction fails and exits 1 at the end.
"""

from __future__ import annotations

import contextlib
import json
import os
import textwrap
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import IO, TYPE_CHECKING, Any

import click

from onrecord.cli.common import (
    MIN_CONFIDENCE_OPTION,
    MODE_OPTION,
    OnError,
    error_line,
    scope_option,
    spacy_command,
)
from onrecord.errors import Errors, OnrecordError
from onrecord.options import DEFAULT_SCOPE

if TYPE_CHECKING:
    from onrecord.ingest import Document
    from onrecord.model import Article
    from onrecord.pipeline import Pipeline


FORMATS = ("json", "jsonl", "table", "html")


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="json",
    show_default=True,
    help="json: one object (an array for several inputs); jsonl: one article per line; "
    "table: a table per article; html: one page for all articles.",
)
@click.option(
    "--no-clean", is_flag=True, help="Keep plain text exactly as given, so offsets index the input."
)
@click.option(
    "-o",
    "--output",
    type=click.File("w", encoding="utf-8", lazy=False),
    default="-",
    metavar="FILE",
    help="Write to this file instead of standard output.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Refuse inputs larger than N bytes.  [default: 10 MiB]",
)
@MODE_OPTION
@MIN_CONFIDENCE_OPTION
@scope_option(DEFAULT_SCOPE)
@click.option("-q", "--quiet", is_flag=True, help="No progress on standard error (errors are still printed).")
@spacy_command
def extract(
    inputs: tuple[str, ...],
    output_format: str,
    no_clean: bool,
    output: IO[str],
    max_bytes: int | None,
    mode: str,
    min_confidence: float,
    scope: str,
    quiet: bool,
) -> None:
    """Extract attributed quotations from articles.

    INPUT is a text or HTML file, a directory (read recursively), an http(s) URL, or - for
    standard input. A bad input or a failed article prints an Error line and the rest go on;
    the exit code is then 1.

    Example:

    \b
        onrecord extract article.html
        onrecord extract news/ --format jsonl -o quotes.jsonl --mode fast
        onrecord extract page.html --min-confidence 0.5
        onrecord extract op-ed.txt --scope attributions
        curl -s https://example.com/story | onrecord extract - --format table
    """
    # heavy: the pipeline loads spaCy, only when the command runs
    from onrecord.pipeline import Pipeline

    failures: list[str] = []

    def on_error(message: str) -> None:
        failures.append(message)
        error_line(message)

    try:
        pipeline = Pipeline(mode=mode, min_confidence=min_confidence, scope=scope)  # type: ignore[arg-type]
    except OnrecordError as e:
        raise click.ClickException(str(e)) from e
    # the readers import trafilatura: not for --help
    from onrecord.ingest.read import expand_inputs

    sources: list[str] = []
    for arg in inputs:
        try:
            sources.extend(expand_inputs([arg]))
        except OnrecordError as e:
            on_error(str(e))
    documents = read_documents(sources, clean=not no_clean, max_bytes=max_bytes, on_error=on_error)
    articles = extract_articles(pipeline, documents, on_error=on_error)
    single = len(inputs) == 1 and not os.path.isdir(inputs[0])
    with progress("extract", len(sources), lambda: len(failures), quiet=quiet or len(sources) < 2) as tick:
        write_articles(tick(articles), output, output_format, single=single)
    if failures:
        raise click.exceptions.Exit(1)


@contextlib.contextmanager
def progress(
    label: str, total: int, failed: Callable[[], int], *, quiet: bool, every: int = 10
) -> Iterator[Callable[[Iterable[Article]], Iterator[Article]]]:
    """Progress of ``total`` inputs on standard error: a bar with the count, rate and time left on
    a terminal, one plain line every ``every`` inputs (and at the end) when piped, nothing when
    ``quiet``. Yields a wrapper for the articles as they are written."""
    # rich: only when progress is shown
    from rich.console import Console

    # rich: only when progress is shown
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    started = time.perf_counter()

    def plain(done: int) -> None:
        rate = done / max(time.perf_counter() - started, 1e-9)
        click.echo(f"{label}: {done}/{total} inputs, {failed()} failed, {rate:.1f}/s", err=True)

    if quiet:
        yield lambda articles: iter(articles)
        return
    if not console.is_terminal:

        def counted(articles: Iterable[Article]) -> Iterator[Article]:
            written = shown = 0
            for article in articles:
                yield article
                written += 1
                done = min(total, written + failed())
                if done // every > shown // every:
                    plain(done)
                    shown = done
            if min(total, written + failed()) != shown:
                plain(min(total, written + failed()))

        yield counted
        return
    bar = Progress(
        TextColumn(label),
        BarColumn(bar_width=None),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed"),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )
    task = bar.add_task(label, total=total, failed=0)

    def ticked(articles: Iterable[Article]) -> Iterator[Article]:
        for written, article in enumerate(articles, 1):
            yield article
            bar.update(task, completed=min(total, written + failed()), failed=failed())
        bar.update(task, completed=total, failed=failed())

    with bar:
        yield ticked


def read_documents(
    inputs: Sequence[str], *, clean: bool, max_bytes: int | None, on_error: OnError
) -> Iterator[Document]:
    """Documents from each input in turn; an input that cannot be read is reported and skipped."""
    # the readers import trafilatura: not for --help
    from onrecord.ingest.read import DEFAULT_MAX_BYTES, expand_inputs, read_source

    limit = max_bytes if max_bytes is not None else DEFAULT_MAX_BYTES
    for arg in inputs:
        try:
            paths = expand_inputs([arg])
        except OnrecordError as e:
            on_error(str(e))
            continue
        for path in paths:
            try:
                yield read_source(path, clean=clean, max_bytes=limit)
            except OnrecordError as e:
                on_error(str(e))
            except Exception as e:
                on_error(Errors.E015.format(path=path, reason=f"{type(e).__name__}: {e}"))


def extract_articles(
    pipeline: Pipeline, documents: Iterable[Document], *, on_error: OnError
) -> Iterator[Article]:
    """Articles for ``documents`` in order, batched through ``pipeline.process``.

    When a batch fails, its documents are run again one by one so that only the failing
    article is lost (reported through ``on_error``).
    """
    iterator = iter(documents)
    while batch := list(islice(iterator, max(pipeline.batch_size, 1))):
        try:
            articles = list(pipeline.process(batch))
        except Exception:
            articles = list(_one_by_one(pipeline, batch, on_error))
        yield from articles


def _one_by_one(pipeline: Pipeline, batch: list[Document], on_error: OnError) -> Iterator[Article]:
    for document in batch:
        try:
            yield from pipeline.process([document])
        except OnrecordError as e:
            on_error(str(e))
        except Exception as e:
            name = document.source_path or document.url or "<input>"
            on_error(Errors.E020.format(reason=f"{name}: {type(e).__name__}: {e}"))


def write_articles(articles: Iterable[Article], output: IO[str], output_format: str, *, single: bool) -> None:
    """Write ``articles`` to ``output`` as they come (json holds none back either)."""
    if output_format == "jsonl":
        for article in articles:
            output.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
    elif output_format == "json":
        _write_json(articles, output, single=single)
    elif output_format == "table":
        _write_tables(articles, output)
    else:
        # the HTML renderer: only for --format html
        from onrecord.render.html import iter_html

        for chunk in iter_html(articles):
            output.write(chunk)
    output.flush()


def _write_json(articles: Iterable[Article], output: IO[str], *, single: bool) -> None:
    def dump(data: dict[str, Any]) -> str:
        return json.dumps(data, ensure_ascii=False, indent=2)

    if single:
        for article in articles:
            output.write(dump(article.to_dict()) + "\n")
        return
    # The same text as json.dumps(list, indent=2), one article at a time.
    separator = "[\n"
    for article in articles:
        output.write(separator + textwrap.indent(dump(article.to_dict()), "  "))
        separator = ",\n"
    output.write("[]\n" if separator == "[\n" else "\n]\n")


def _write_tables(articles: Iterable[Article], output: IO[str]) -> None:
    from rich.console import Console  # rich: only for --format table

    from onrecord.render import SpeakerColours  # the table renderer: only for --format table
    from onrecord.render.table import print_table  # the table renderer: only for --format table

    # a terminal sets its own width; piped or written to a file, a table gets room to read
    console = Console(file=output, width=None if output.isatty() else 120)
    colours = SpeakerColours()
    for number, article in enumerate(articles, start=1):
        if number > 1:
            console.print()
        print_table(article, console, colours=colours, article_number=number)
