"""The ``onrecord`` command: thin wrappers over the library.

Failures print one ``Error: ...`` line on stderr. ``extract`` goes on past a bad input or an
article whose extraction fails and exits 1 at the end; usage errors exit 2 (click's).

The root group lives here and adds the commands of the modules below it; none of them imports it.
Their heavy imports (spaCy, the pipeline, the store, the server) are inside the commands, so
``onrecord --help`` and ``onrecord COMMAND --help`` print without them.
"""

from __future__ import annotations

import click

from onrecord.cli import batch, corpus, evaluate, extract, query, serve, speaker, train
from onrecord.cli.extract import extract_articles, read_documents, write_articles
from onrecord.version import __version__


@click.group(name="onrecord", context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="onrecord")
def cli() -> None:
    """Who said what, to whom, through which channel: attributed quotations from news articles.

    Example:

    \b
        onrecord extract article.html --format table
        onrecord ingest news.db pages/ -j 2 && onrecord serve news.db
    """


# in the order they were defined before: docs/cli.md lists them so (--help sorts them by name)
cli.add_command(extract.extract)
cli.add_command(evaluate.eval_group)
cli.add_command(train.train_group)
cli.add_command(corpus.ingest)
cli.add_command(query.search)
cli.add_command(query.speakers)
cli.add_command(query.diversity)
cli.add_command(speaker.speaker)
cli.add_command(query.quote)
cli.add_command(query.stance)
cli.add_command(query.relations)
cli.add_command(corpus.export)
cli.add_command(corpus.status)
cli.add_command(serve.serve)
cli.add_command(batch.batch)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="onrecord")


__all__ = ["cli", "extract_articles", "main", "read_documents", "write_articles"]
