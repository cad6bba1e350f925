"""The article pages: stored articles, one article with its quotations, and an article extracted
on request (the extract page), with the highlighted view both article pages show."""

from __future__ import annotations

from typing import Any

from onrecord.errors import Errors
from onrecord.model import Article
from onrecord.render import SpeakerColours
from onrecord.render import html as render_html
from onrecord.serve.views.common import PAGE_SIZE, NotFound, listing
from onrecord.store import Store

ARTICLE_CSV_COLUMNS = ["article_id", "title", "published", "outlet", "url", "source_path", "quote_count"]
ARTICLE_QUOTE_CSV_COLUMNS = [
    "quote_id", "type", "speaker_id", "speaker", "source", "cue", "content", "medium", "addressee",
    "confidence", "content_start", "content_end",
]  # fmt: skip


def article_view(store: Store, article_id: str) -> dict[str, Any]:
    """A stored article, as the engine returned it, with each quotation's corpus speaker id."""
    article = store.article(article_id)
    if article is None:
        raise NotFound(Errors.E055.format(article_id=article_id))
    data = article.to_dict()
    data["article_id"] = article_id
    speaker_ids = store.quote_speakers(article_id)
    for quote in data["quotes"]:
        quote["quote_id"] = f"{article_id}:{quote['id']}"
        quote["speaker_id"] = speaker_ids.get(quote["quote_id"])
    return data


def articles_view(store: Store, *, q: str = "", limit: int = PAGE_SIZE, offset: int = 0) -> dict[str, Any]:
    """Stored articles (those matching the full-text ``q`` when given), a page at a time."""
    rows = store.articles(q, limit=limit, offset=offset)
    total = store.article_total(q)
    return listing("articles", rows, q=q, limit=limit, offset=offset, total=total, default_limit=PAGE_SIZE)


def extracted_view(article: Article) -> dict[str, Any]:
    """An article extracted on request (not stored): the engine's JSON."""
    return article.to_dict()


def annotated(data: dict[str, Any]) -> dict[str, Any]:
    """An article's data with the highlighted segments and legend of the displaCy-like view."""
    article = Article.from_dict(
        {k: v for k, v in data.items() if k not in ("article_id",)}
        | {
            "quotes": [
                {k: v for k, v in q.items() if k not in ("quote_id", "speaker_id")} for q in data["quotes"]
            ]
        }
    )
    colours = SpeakerColours()
    view = render_html.article_view(article, number=1, colours=colours)
    return {**data, "view": view, "colours": [colours.colour(article, q) for q in article.quotes]}


def article_quote_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """An article page's quotations, one row each, spans as their text."""

    def text(span: dict[str, Any] | None) -> str | None:
        return span["text"] if span else None

    return [
        {
            "quote_id": q["quote_id"],
            "type": q["type"],
            "speaker_id": q.get("speaker_id"),
            "speaker": (q.get("speaker") or {}).get("name"),
            "source": text(q.get("source")),
            "cue": text(q.get("cue")),
            "content": " … ".join(c["text"] for c in q["content"]),
            "medium": text(q.get("medium")),
            "addressee": text(q.get("addressee")),
            "confidence": q.get("confidence"),
            "content_start": q["content"][0]["start"] if q["content"] else None,
            "content_end": q["content"][-1]["end"] if q["content"] else None,
        }
        for q in data["quotes"]
    ]
