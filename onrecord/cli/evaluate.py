"""``onrecord eval``: score the extractor on PolNeAR, hand-annotated pages and the seed."""

from __future__ import annotations

import os
import sys

import click

from onrecord.cli.common import MIN_CONFIDENCE_OPTION, MODE_OPTION, print_report, scope_option, spacy_command
from onrecord.datasets.polnear import read_resolved
from onrecord.errors import OnrecordError
from onrecord.options import DEFAULT_SCOPE


@click.group(name="eval")
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
    from onrecord.evaluate.polnear import evaluate_polnear  # heavy: spaCy, only when the command runs
    from onrecord.pipeline import Pipeline  # heavy: spaCy, only when the command runs

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
    print_report(report, as_json=as_json)


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
    from onrecord.evaluate.quotes import evaluate_quotes  # heavy: spaCy, only when the command runs
    from onrecord.pipeline import Pipeline  # heavy: spaCy, only when the command runs

    only = [p.strip() for p in pages.split(",") if p.strip()] if pages is not None else None
    try:
        pipeline = Pipeline(mode=mode, min_confidence=min_confidence, scope=scope)  # type: ignore[arg-type]
        report = evaluate_quotes(path, only=only, pipeline=pipeline)
    except OnrecordError as e:
        raise click.ClickException(str(e)) from e
    print_report(report, as_json=as_json)
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
    from onrecord.evaluate.seed import evaluate_seed  # heavy: spaCy, only when the command runs
    from onrecord.pipeline import Pipeline  # heavy: spaCy, only when the command runs

    try:
        pipeline = Pipeline(mode=mode, min_confidence=min_confidence, scope=scope)  # type: ignore[arg-type]
        report = (
            evaluate_seed(path, pipeline=pipeline) if path is not None else evaluate_seed(pipeline=pipeline)
        )
    except OnrecordError as e:
        raise click.ClickException(str(e)) from e
    print_report(report, as_json=as_json)
