"""``onrecord serve``: a web page and a JSON API over a corpus store (FastAPI and uvicorn).

    >>> from onrecord.serve import create_app
    >>> app = create_app("news.db", write_token="s3cret")    # an ASGI app

Pages: ``/search``, ``/speakers``, ``/speakers/{id}``, ``/articles/{id}``, ``/quotes/{id}``,
``/extract``; each has a ``.json`` twin. API: ``/api/quotes``, ``/api/speakers``,
``/api/articles`` (GET, and POST with the write token), ``/api/extract``; the OpenAPI spec is
at ``/openapi.json`` and its browsable form at ``/api/docs``.
"""

from __future__ import annotations

from onrecord.serve.app import create_app

__all__ = ["create_app"]
