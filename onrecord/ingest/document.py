"""The record every input becomes: the text the NLP stages annotate, and the metadata found on
the way (title, date, author, outlet, URL)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Document:
    text: str
    source_path: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None


def looks_like_html(raw: str) -> bool:
    """True when the string is an HTML page or fragment rather than plain text."""
    head = raw.lstrip()[:2000].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or any(
        tag in head for tag in ("<body", "<head", "<article", "<p>", "<div")
    )
