"""Turning inputs (plain text, HTML, URLs, files, directories, stdin) into ``Document`` records.

A ``Document`` is what the NLP stages read: the text they annotate plus the metadata found on
the way (title, date, author, outlet, URL). Offsets in the final ``Article`` refer to
``Document.text``.
"""

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


def from_string(
    raw: str,
    *,
    clean: bool = True,
    source_path: str | None = None,
    url: str | None = None,
) -> Document:
    """A Document from a string holding plain text or HTML (detected by ``looks_like_html``)."""
    if looks_like_html(raw):
        from onrecord.ingest.html import from_html

        return from_html(raw, url=url, source_path=source_path, clean=clean)
    from onrecord.ingest.text import from_text

    return from_text(raw, clean=clean, source_path=source_path, url=url)
