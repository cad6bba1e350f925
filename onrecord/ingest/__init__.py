"""Turning inputs (plain text, HTML, URLs, files, directories, stdin) into ``Document`` records.

A ``Document`` is what the NLP stages read: the text they annotate plus the metadata found on
the way (title, date, author, outlet, URL). Offsets in the final ``Article`` refer to
``Document.text``.
"""

from __future__ import annotations

from onrecord.ingest.document import Document, looks_like_html


def from_string(
    raw: str,
    *,
    clean: bool = True,
    source_path: str | None = None,
    url: str | None = None,
) -> Document:
    """A Document from a string holding plain text or HTML (detected by ``looks_like_html``)."""
    if looks_like_html(raw):
        from onrecord.ingest.html import from_html  # heavy: trafilatura and lxml, for HTML only

        return from_html(raw, url=url, source_path=source_path, clean=clean)
    from onrecord.ingest.text import from_text  # ftfy, only when a string is read

    return from_text(raw, clean=clean, source_path=source_path, url=url)


__all__ = ["Document", "from_string", "looks_like_html"]
