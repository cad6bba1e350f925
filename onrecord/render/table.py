"""Quotations of one article as a rich table: speaker, type, cue, content (truncated), medium, addressee.

    >>> from rich.console import Console
    >>> print_table(article, Console())
    article.txt: Ferry timetable approved (1 quotation)
    ┏━━━┳━━━━━━━━━━━━━━┳━━━━━━━━┳━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━┳━━━━━━━━━━━┓
    ┃ # ┃ speaker      ┃ type   ┃ cue  ┃ content                          ┃ medium ┃ addressee ┃
    ...

Every cell is a ``rich.text.Text``, so article text is never read as console markup.
"""

from __future__ import annotations

from rich.console import Console
from rich.style import Style
from rich.table import Table
from rich.text import Text

from onrecord.model import Article, Quote, Span
from onrecord.render.colours import SpeakerColours

CONTENT_LIMIT = 120
SIDE_LIMIT = 30  # cue, source, medium and addressee are cut shorter, leaving room for the content
ELLIPSIS = "…"


def truncate(text: str, limit: int = CONTENT_LIMIT) -> str:
    """``text`` with runs of whitespace collapsed, cut to at most ``limit`` characters (ending in "…")."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def article_label(article: Article) -> str:
    """What names an article in headers: its file or URL and its title, whichever are known."""
    parts = [p for p in (article.source_path or article.url, article.title) if p]
    return ": ".join(parts) if parts else "(untitled article)"


def header(article: Article) -> Text:
    count = len(article.quotes)
    noun = "quotation" if count == 1 else "quotations"
    line = Text(article_label(article), style="bold")
    line.append(f" ({count} {noun})", style="")
    return line


def _span_text(span: Span | None) -> Text:
    return Text(truncate(span.text, SIDE_LIMIT)) if span is not None else Text("")


def _speaker_cell(quote: Quote, colour: str) -> Text:
    if quote.speaker is not None:
        return Text(quote.speaker.name, style=Style(color="black", bgcolor=colour))
    if quote.source is not None:
        return Text(truncate(quote.source.text, SIDE_LIMIT), style="italic")
    return Text("(unknown)", style="dim")


def quote_table(
    article: Article,
    *,
    colours: SpeakerColours | None = None,
    article_number: int = 0,
    content_limit: int = CONTENT_LIMIT,
) -> Table:
    """The table of one article's quotations, one row per quotation, in text order."""
    colours = colours if colours is not None else SpeakerColours()
    table = Table()
    table.add_column("#", justify="right")
    for name in ("speaker", "type", "cue", "content", "medium", "addressee"):
        table.add_column(name)
    for number, quote in enumerate(article.quotes, start=1):
        colour = colours.colour(article, quote, article_number=article_number)
        table.add_row(
            Text(str(number)),
            _speaker_cell(quote, colour),
            Text(quote.type),
            _span_text(quote.cue),
            Text(truncate(quote.content_text, content_limit)),
            _span_text(quote.medium),
            _span_text(quote.addressee),
        )
    return table


def print_table(
    article: Article,
    console: Console,
    *,
    colours: SpeakerColours | None = None,
    article_number: int = 0,
    content_limit: int = CONTENT_LIMIT,
) -> None:
    """Print a header line naming the article, then its table (or "No quotations found.")."""
    console.print(header(article))
    if article.quotes:
        console.print(
            quote_table(article, colours=colours, article_number=article_number, content_limit=content_limit)
        )
    else:
        console.print(Text("No quotations found."))


__all__ = ["CONTENT_LIMIT", "article_label", "header", "print_table", "quote_table", "truncate"]
