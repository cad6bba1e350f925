"""The ``onrecord`` command: thin wrappers over the library.

Failures print one ``Error: ...`` line on stderr. ``extract`` goes on past a bad input or an
article whose extraction fails and exits 1 at the end; usage errors exit 2 (click's).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
import textwrap
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import IO, TYPE_CHECKING, Any

import click

from onrecord.errors import Errors, OnrecordError
from onrecord.options import DEFAULT_MIN_CONFIDENCE, DEFAULT_SCOPE
from onrecord.version import __version__

if TYPE_CHECKING:
    from onrecord.ingest import Document
    from onrecord.model import Article
    from onrecord.pipeline import Pipeline

FORMATS = ("json", "jsonl", "table", "html")

OnError = Callable[[str], None]


def error_line(message: str) -> None:
    """Report one failure as a single ``Error: ...`` line on stderr."""
    click.echo(f"Error: {' '.join(message.split())}", err=True)


def spacy_command(command: Callable[..., Any]) -> Callable[..., Any]:
    """A command that loads spaCy: the process is set up for it (``init_extraction_process``)
    when the command runs, after its options are parsed, so ``--help`` prints without spaCy."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        from onrecord.nlp import init_extraction_process

        init_extraction_process()
        return command(*args, **kwargs)

    return run


@click.group(name="onrecord", context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="onrecord")
def cli() -> None:
    """Who said what, to whom, through which channel: attributed quotations from news articles.

    Example:

    \b
        onrecord extract article.html --format table
        onrecord ingest news.db pages/ -j 2 && onrecord serve news.db
    """


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
    "see the README) is under P.",
)

SCOPE_HELP = (
    "quotations: what people said (speech verbs, statements, quoted words); attributions: also "
    "what they think, plan or find, as PolNeAR annotates (see the README)."
)


def scope_option(default: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--scope",
        type=click.Choice(["quotations", "attributions"]),
        default=default,
        show_default=True,
        help=SCOPE_HELP,
    )


@cli.command()
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
    from onrecord.pipeline import Pipeline

    failures: list[str] = []

    def on_error(message: str) -> None:
        failures.append(message)
        error_line(message)

    try:
        pipeline = Pipeline(mode=mode, min_confidence=min_confidence, scope=scope)  # type: ignore[arg-type]
    except OnrecordError as e:
        raise click.ClickException(str(e)) from e
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
    from rich.console import Console
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
    from rich.console import Console

    from onrecord.render import SpeakerColours
    from onrecord.render.table import print_table

    # a terminal sets its own width; piped or written to a file, a table gets room to read
    console = Console(file=output, width=None if output.isatty() else 120)
    colours = SpeakerColours()
    for number, article in enumerate(articles, start=1):
        if number > 1:
            console.print()
        print_table(article, console, colours=colours, article_number=number)


@cli.group(name="eval")
def eval_group() -> None:
    """Score the extractor against annotated data.

    Example:

    \b
        onrecord eval seed
    """


@eval_group.command(name="polnear")
@click.argument("path", type=click.Path(exists=True))
@click.option(
    "--split",
    type=click.Choice(["train", "dev", "test"]),
    default="dev",
    show_default=True,
    help="Which split.",
)
@click.option(
    "--resolved",
    type=click.Path(exists=True, dir_okay=False),
    multiple=True,
    help="JSONL of resolved speakers, for speaker accuracy; repeat for several files.  "
    "[default: PATH/../resolved/dev_resolved.jsonl for --split dev, when it exists]",
)
@click.option(
    "--resolved-only",
    is_flag=True,
    help="Score only the articles that the --resolved files cover (the 60 of train_resolved, say).",
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=None, metavar="N", help="Score the first N articles only."
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@MODE_OPTION
@MIN_CONFIDENCE_OPTION
@scope_option("attributions")
@spacy_command
def eval_polnear(
    path: str,
    split: str,
    resolved: tuple[str, ...],
    resolved_only: bool,
    limit: int | None,
    as_json: bool,
    mode: str,
    min_confidence: float,
    scope: str,
) -> None:
    """Exact and overlap precision, recall and F1 per role on PolNeAR, and speaker accuracy.

    The scope is PolNeAR's own unless asked otherwise: attributions of what people say, think,
    plan or find.

    Example:

    \b
        onrecord eval polnear ../shared/data/polnear --split dev
        onrecord eval polnear ../shared/data/polnear --mode fast \\
            --resolved ../shared/data/resolved/dev_resolved.jsonl
        onrecord eval polnear ../shared/data/polnear --split train --resolved-only \\
            --resolved ../shared/data/resolved/train_resolved.jsonl
    """
    from onrecord.evaluate.polnear import evaluate_polnear, read_resolved
    from onrecord.pipeline import Pipeline

    if not resolved and split == "dev":
        default = os.path.join(path, os.pardir, "resolved", "dev_resolved.jsonl")
        resolved = (default,) if os.path.isfile(default) else ()
    if resolved_only and not resolved:
        raise click.UsageError("--resolved-only needs --resolved FILE")
    try:
        doc_ids = {doc_id for doc_id, _ in read_resolved(*resolved)} if resolved_only else None
        pipeline = Pipeline(mode=mode, min_confidence=min_confidence, scope=scope)  # type: ignore[arg-type]
        report = evaluate_polnear(
            path, split=split, resolved=resolved or None, limit=limit, doc_ids=doc_ids, pipeline=pipeline
        )
    except OnrecordError as e:
        raise click.ClickException(str(e)) from e
    _print_report(report, as_json=as_json)


@eval_group.command(name="quotes")
@click.argument("path", type=click.Path(exists=True, file_okay=False))
@click.option(
    "--pages",
    default=None,
    metavar="ID,ID,...",
    help="Score only these pages (the ids before .gold.json).  [default: every page]",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@MODE_OPTION
@MIN_CONFIDENCE_OPTION
@scope_option(DEFAULT_SCOPE)
@spacy_command
def eval_quotes(
    path: str, pages: str | None, as_json: bool, mode: str, min_confidence: float, scope: str
) -> None:
    """Score hand-annotated pages end to end: quotations found, speaker, cue, medium, addressee.

    PATH holds <id>.gold.json files beside <id>.html.gz, <id>.html or <id>.txt (HTML is read
    through the HTML ingest, as a user's page would be).

    Example:

    \b
        onrecord eval quotes ../shared/data/web-quotes
        onrecord eval quotes ../shared/data/web-quotes --pages 0034,0094 --json
    """
    from onrecord.evaluate.quotes import evaluate_quotes
    from onrecord.pipeline import Pipeline

    only = [p.strip() for p in pages.split(",") if p.strip()] if pages is not None else None
    try:
        pipeline = Pipeline(mode=mode, min_confidence=min_confidence, scope=scope)  # type: ignore[arg-type]
        report = evaluate_quotes(path, only=only, pipeline=pipeline)
    except OnrecordError as e:
        raise click.ClickException(str(e)) from e
    _print_report(report, as_json=as_json)
    failed = [page for page in report.pages if page.error is not None]
    for page in failed:
        click.echo(f"Error: page {page.id}: {page.error}", err=True)
    if failed:
        sys.exit(1)  # the other pages are scored above


@eval_group.command(name="seed")
@click.argument("path", type=click.Path(exists=True, file_okay=False), required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@MODE_OPTION
@MIN_CONFIDENCE_OPTION
@scope_option(DEFAULT_SCOPE)
@spacy_command
def eval_seed(path: str | None, as_json: bool, mode: str, min_confidence: float, scope: str) -> None:
    """Check the extractor on the hand-annotated seed articles (PATH defaults to ../shared/data/seed).

    Example:

    \b
        onrecord eval seed --json
    """
    from onrecord.evaluate.seed import evaluate_seed
    from onrecord.pipeline import Pipeline

    try:
        pipeline = Pipeline(mode=mode, min_confidence=min_confidence, scope=scope)  # type: ignore[arg-type]
        report = (
            evaluate_seed(path, pipeline=pipeline) if path is not None else evaluate_seed(pipeline=pipeline)
        )
    except OnrecordError as e:
        raise click.ClickException(str(e)) from e
    _print_report(report, as_json=as_json)


@cli.group(name="train")
def train_group() -> None:
    """Train the learned attribution model (needs the train extra: pip install 'onrecord[train]').

    Example:

    \b
        onrecord train polnear ../shared/data/polnear --out model/
    """


@train_group.command(name="polnear")
@click.argument("path", type=click.Path(exists=True, file_okay=False))
@click.option("--out", type=click.Path(file_okay=False), default=None, help="Folder for the trained model.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Training config (TOML).  [default: onrecord/learn/tagger-minilm.toml, the shipped model's]",
)
@click.option(
    "--cache",
    type=click.Path(file_okay=False),
    default=None,
    help="Keep the featurized corpus here and reuse it on the next run.",
)
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="Processes for parsing."
)
@click.option(
    "--threads", type=click.IntRange(min=1), default=None, help="Torch threads.  [default: all cores]"
)
@click.option(
    "--device",
    default="cpu",
    show_default=True,
    help="Where torch trains: cpu, or cuda on a machine with a GPU (the model runs on the CPU either way).",
)
@click.option(
    "--features-only",
    is_flag=True,
    help="Only parse and featurize into --cache (with the pretrained encoder a config tunes), for a "
    "fit elsewhere: python -m onrecord.learn.train CACHE WEIGHTS.pt, which needs PyTorch and not spaCy.",
)
@click.option(
    "--weights",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Fit nothing: export and calibrate these weights (written by python -m onrecord.learn.train).",
)
@click.option(
    "--hold-out",
    "hold_out",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Leave these train articles out of the fit and its vocabulary: a file of document ids, one "
    "per line, or a JSONL file with a doc_id per record (train_resolved.jsonl), to score the model on them.",
)
@spacy_command
def train_polnear_command(
    path: str,
    out: str | None,
    config_path: str | None,
    cache: str | None,
    jobs: int,
    threads: int | None,
    device: str,
    features_only: bool,
    weights: str | None,
    hold_out: str | None,
) -> None:
    """Train the tagger on PolNeAR train, choose the epoch on dev, write tagger.onnx to OUT.

    The same config, seed and versions give the same model. To run it, set ONRECORD_MODEL=OUT;
    to ship it, copy OUT over onrecord/learn/model/.

    Example:

    \b
        onrecord train polnear ../shared/data/polnear --out model/ -j 2
        # fitting on another machine (a GPU, no spaCy): features here, fit there, export here
        onrecord train polnear ../shared/data/polnear --cache feats/ --config CONFIG --features-only
        python -m onrecord.learn.train feats/ weights.pt --config CONFIG --device cuda
        onrecord train polnear ../shared/data/polnear --cache feats/ --config CONFIG --weights weights.pt --out model/
    """
    from onrecord.learn.train import read_doc_ids, train_polnear

    if features_only and (cache is None or out is not None or weights is not None):
        raise click.UsageError("--features-only takes --cache and neither --out nor --weights")
    if not features_only and out is None:
        raise click.UsageError("--out is required (or --features-only with --cache)")
    if weights is not None and cache is None:
        raise click.UsageError("--weights needs the --cache the weights were fitted on")
    try:
        train_polnear(
            path,
            out,
            config_path=config_path,
            cache=cache,
            n_process=jobs,
            threads=threads,
            device=device,
            weights=weights,
            held_out=read_doc_ids(hold_out) if hold_out else (),
            log=click.echo,
        )
    except OnrecordError as e:
        raise click.ClickException(str(e)) from e


def _print_report(report: Any, *, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(report.render())


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="onrecord")


__all__ = ["cli", "extract_articles", "main", "read_documents", "write_articles"]


# the corpus commands (ingest, search, speakers, speaker, quote, export, status) register themselves on cli
from onrecord import cli_corpus as _cli_corpus  # noqa: E402, F401
