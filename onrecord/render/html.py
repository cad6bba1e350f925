"""A self-contained HTML page for a set of articles, in the spirit of displaCy's span visualiser.

Each article's text is shown with every quotation's content highlighted in its speaker's colour
and its cue, source, medium and addressee underlined and marked with small labels. Hovering or
focusing (Tab, or a tap on a phone) a quotation shows its speaker, type, cue, source, medium,
addressee and confidence. A legend lists each article's speakers with their descriptions.

Spans may overlap (two quotations sharing words, a source inside a mixed quotation): the text is
cut at every span boundary into segments that carry the roles covering them, so the markup is
always well nested. The page has no external assets and no script; all text goes through
Jinja2's autoescaping.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise

from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from onrecord.model import Article, Quote, Span
from onrecord.render.colours import DEFAULT_TITLE, SpeakerColours

# Roles other than content, in the order their labels are shown.
ROLES = ("cue", "source", "medium", "addressee")
SAFE_URL_SCHEMES = ("http://", "https://")


@dataclass(frozen=True, slots=True)
class QuoteView:
    """What the tooltip of one quotation shows."""

    tip_id: str
    number: int
    speaker: str
    type: str
    cue: str
    source: str
    medium: str
    addressee: str
    confidence: str
    colour: str


@dataclass(frozen=True, slots=True)
class Label:
    role: str
    colour: str


@dataclass(slots=True)
class Segment:
    """A run of text covered by the same spans."""

    text: str
    colour: str | None = None  # background: the innermost content covering it
    outer: str | None = None  # outline: another quotation's content covering it too
    roles: list[str] = field(default_factory=list)  # cue/source/medium/addressee covering it
    underline: str | None = None  # colour of the quotation of the first of those roles
    tips: list[QuoteView] = field(default_factory=list)  # quotations whose content starts here
    labels: list[Label] = field(default_factory=list)  # role spans ending here

    @property
    def marked(self) -> bool:
        return self.colour is not None or bool(self.roles)

    @property
    def css_class(self) -> str:
        classes = ["seg"]
        if self.colour is not None:
            classes.append("q")
        if self.outer is not None:
            classes.append("overlap")
        classes += [f"r-{role}" for role in self.roles]
        return " ".join(classes)

    @property
    def style(self) -> str:
        parts = []
        if self.colour is not None:
            parts.append(f"--c:{self.colour}")
        if self.outer is not None:
            parts.append(f"--o:{self.outer}")
        if self.underline is not None:
            parts.append(f"--u:{self.underline}")
        return ";".join(parts)


@dataclass(slots=True)
class LegendEntry:
    name: str
    kind: str
    descriptions: str
    colour: str
    count: int


@dataclass(frozen=True, slots=True)
class ArticleView:
    number: int
    heading: str
    source_path: str | None
    url: str | None
    href: str | None
    meta: list[str]
    segments: list[Segment]
    legend: list[LegendEntry]
    quote_count: int


@dataclass(frozen=True, slots=True)
class _Mark:
    start: int
    end: int
    role: str  # "content" or one of ROLES
    quote: int  # index into article.quotes


def _marks(article: Article) -> list[_Mark]:
    """Every non-empty span of every quotation, clipped to the text; invalid spans are dropped."""
    size = len(article.text)
    found = []
    for index, quote in enumerate(article.quotes):
        spans: list[tuple[str, Span | None]] = [("content", s) for s in quote.content]
        spans += [(role, getattr(quote, role)) for role in ROLES]
        for role, span in spans:
            if span is None:
                continue
            start, end = max(span.start, 0), min(span.end, size)
            if start < end:
                found.append(_Mark(start, end, role, index))
    return found


def _quote_view(article_number: int, index: int, quote: Quote, colour: str) -> QuoteView:
    def text(span: Span | None) -> str:
        return span.text if span is not None else "–"

    return QuoteView(
        tip_id=f"a{article_number}-q{index + 1}",
        number=index + 1,
        speaker=quote.speaker.name if quote.speaker is not None else "unattributed",
        type=quote.type,
        cue=text(quote.cue),
        source=text(quote.source),
        medium=text(quote.medium),
        addressee=text(quote.addressee),
        confidence=f"{quote.confidence:.2f}",
        colour=colour,
    )


def segments(article: Article, quote_views: list[QuoteView]) -> list[Segment]:
    """Cut ``article.text`` at every span boundary; each segment knows the spans covering it.

    ``quote_views[i]`` describes ``article.quotes[i]``. Joining the segments' texts gives back
    the article text exactly.
    """
    text = article.text
    marks = _marks(article)
    bounds = sorted({0, len(text)} | {m.start for m in marks} | {m.end for m in marks})
    starting: dict[int, list[_Mark]] = {}
    for mark in marks:
        starting.setdefault(mark.start, []).append(mark)
    found: list[Segment] = []
    active: list[_Mark] = []
    for start, end in pairwise(bounds):
        active = [m for m in active if m.end > start] + starting.get(start, [])
        segment = Segment(text[start:end])
        contents = sorted(
            (m for m in active if m.role == "content"), key=lambda m: (m.end - m.start, m.quote)
        )
        if contents:
            segment.colour = quote_views[contents[0].quote].colour
            tip_quotes = sorted({m.quote for m in contents if m.start == start})
            segment.tips = [_tip(quote_views[i], start) for i in tip_quotes]
        if len({m.quote for m in contents}) > 1:
            segment.outer = quote_views[contents[-1].quote].colour
        others = sorted(
            (m for m in active if m.role != "content"), key=lambda m: (ROLES.index(m.role), m.quote)
        )
        if others:
            segment.roles = list(dict.fromkeys(m.role for m in others))
            segment.underline = quote_views[others[0].quote].colour
            segment.labels = [Label(m.role, quote_views[m.quote].colour) for m in others if m.end == end]
        found.append(segment)
    return found


def _tip(view: QuoteView, start: int) -> QuoteView:
    """A quotation's tooltip for the content span starting at ``start`` (ids unique per span)."""
    return replace(view, tip_id=f"{view.tip_id}-{start}")


def safe_href(url: str | None) -> str | None:
    """``url`` when it is an http(s) URL; anything else (``javascript:``...) is not linked."""
    if url and url.strip().lower().startswith(SAFE_URL_SCHEMES):
        return url.strip()
    return None


def article_view(article: Article, *, number: int, colours: SpeakerColours) -> ArticleView:
    """Everything the template shows for one article."""
    views = [
        _quote_view(number, i, q, colours.colour(article, q, article_number=number))
        for i, q in enumerate(article.quotes)
    ]
    legend: dict[str, LegendEntry] = {}
    for quote, view in zip(article.quotes, views, strict=True):
        key = quote.speaker.entity if quote.speaker is not None else ""
        if key not in legend:
            entity = article.entity(key) if key else None
            legend[key] = LegendEntry(
                name=view.speaker,
                kind=entity.kind if entity is not None else ("" if key else "no speaker found"),
                descriptions="; ".join(entity.descriptions) if entity is not None else "",
                colour=view.colour,
                count=0,
            )
        legend[key].count += 1
    meta = [m for m in (article.outlet, article.author, article.published) if m]
    return ArticleView(
        number=number,
        heading=article.title or article.source_path or article.url or f"Article {number}",
        source_path=article.source_path if article.title else None,
        url=article.url,
        href=safe_href(article.url),
        meta=meta,
        segments=segments(article, views),
        legend=list(legend.values()),
        quote_count=len(article.quotes),
    )


@lru_cache(maxsize=1)
def template() -> Template:
    env = Environment(
        loader=PackageLoader("onrecord.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env.get_template("article.html.j2")


def iter_html(articles: Iterable[Article], *, title: str = DEFAULT_TITLE) -> Iterator[str]:
    """The page in chunks; ``articles`` is read lazily, one article at a time."""
    colours = SpeakerColours()
    views = (
        article_view(article, number=number, colours=colours)
        for number, article in enumerate(articles, start=1)
    )
    return template().generate(title=title, articles=views)


def render_html(articles: Iterable[Article], *, title: str = DEFAULT_TITLE) -> str:
    """One self-contained HTML page showing every article."""
    return "".join(iter_html(articles, title=title))


__all__ = ["ArticleView", "Segment", "article_view", "iter_html", "render_html", "safe_href", "segments"]
