"""Renderers for ``Article`` records: a rich table for the terminal and a displaCy-like HTML page.

Both colour each speaker the same way (``SpeakerColours``), so a speaker keeps one colour across
the articles of one run or page.

    >>> from onrecord.render import render_html
    >>> page = render_html([article])            # one self-contained page, a str
    >>> from onrecord.render import print_table
    >>> print_table(article, console)            # rich.console.Console
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from onrecord.model import Article
from onrecord.render.colours import (
    DEFAULT_TITLE,
    NAMED_KINDS,
    PALETTE,
    UNATTRIBUTED,
    SpeakerColours,
    speaker_key,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from rich.console import Console


def render_html(articles: Iterable[Article], *, title: str = DEFAULT_TITLE) -> str:
    """One self-contained HTML page showing every article (see ``onrecord.render.html``)."""
    from onrecord.render import html  # jinja2, only when a page is rendered

    return html.render_html(articles, title=title)


def iter_html(articles: Iterable[Article], *, title: str = DEFAULT_TITLE) -> Iterator[str]:
    """The same page as ``render_html``, in chunks, reading ``articles`` lazily."""
    from onrecord.render import html  # jinja2, only when a page is rendered

    return html.iter_html(articles, title=title)


def print_table(article: Article, console: Console, *, colours: SpeakerColours | None = None) -> None:
    """Print one article's quotations as a rich table (see ``onrecord.render.table``)."""
    from onrecord.render import table  # rich's tables, only when one is printed

    table.print_table(article, console, colours=colours)


__all__ = [
    "DEFAULT_TITLE",
    "NAMED_KINDS",
    "PALETTE",
    "UNATTRIBUTED",
    "SpeakerColours",
    "iter_html",
    "print_table",
    "render_html",
    "speaker_key",
]
