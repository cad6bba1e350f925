"""Extraction and ingest on request: ``POST /api/extract`` and ``POST /api/articles`` (the API),
and the extract page with its .json twin.

The pipeline is loaded on the first extraction and runs one at a time behind a short queue
(``Extraction``); a body is JSON, or on the extract page a form with a file or a text field
(``read_input``); nothing is extracted or written without the write token when one is set.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from typing import Any

from fastapi import BackgroundTasks, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from onrecord.corpus.ingest import article_id, extractor_version
from onrecord.corpus.records import Item
from onrecord.errors import Errors, InputError, OnrecordError
from onrecord.ingest import looks_like_html
from onrecord.ingest.html import from_html
from onrecord.ingest.read import decode
from onrecord.ingest.text import from_text
from onrecord.model import Article
from onrecord.serve.routes.common import page, store_getter
from onrecord.serve.views.articles import annotated, extracted_view

_EXTRACT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string", "description": "The article as plain text."},
                        "html": {"type": "string", "description": "The article as an HTML page."},
                        "url": {"type": "string", "description": "Where it was published (optional)."},
                    },
                }
            },
        },
    }
}


class Unauthorized(OnrecordError):
    status = 401


class UnsupportedMedia(OnrecordError):
    status = 415


class Busy(OnrecordError):
    status = 503


class TooLarge(OnrecordError):
    status = 413


class Extraction:
    """The pipeline, loaded on first use and run by one request at a time; at most
    ``max_pending`` more wait for it, the rest are turned away (E067, 503)."""

    def __init__(self, mode: str, max_pending: int) -> None:
        self.mode = mode
        self.max_pending = max_pending
        self._pipeline: Any = None
        self._lock = threading.Lock()
        self._waiting = 0
        self._count = threading.Lock()

    def run(self, raw: str, *, kind: str, url: str | None) -> Article:
        with self._count:
            if self._waiting > self.max_pending:
                raise Busy(Errors.E067.format(count=self._waiting))
            self._waiting += 1
        try:
            return self._run(raw, kind=kind, url=url)
        finally:
            with self._count:
                self._waiting -= 1

    def _run(self, raw: str, *, kind: str, url: str | None) -> Article:
        # heavy: the pipeline loads spaCy, only when an extraction is asked for
        from onrecord.pipeline import Pipeline

        decode(raw.encode("utf-8", "surrogatepass"), "request body")  # E010 empty, E011 binary
        document = from_html(raw, url=url) if kind == "html" else from_text(raw, url=url)
        with self._lock:
            if self._pipeline is None:
                self._pipeline = Pipeline(mode=self.mode)  # type: ignore[arg-type]
            article: Article = self._pipeline.extract_document(document)
        return article


async def read_input(request: Request, *, allow_form: bool = False) -> tuple[str, str, str | None]:
    """(raw, kind, url) from a JSON body ({"text"} or {"html"}), or with ``form`` (the extract
    page) from an uploaded file or a text field too; capped."""
    content_type = request.headers.get("content-type", "")
    is_form = content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded"))
    media = content_type.split(";")[0].strip().lower()
    if not (media == "application/json" or (allow_form and is_form)):
        expected = "application/json or a form" if allow_form else "application/json"
        raise UnsupportedMedia(Errors.E066.format(what=request.url.path, expected=expected, given=media))
    limit: int = request.app.state.max_body
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:  # a chunked body has no Content-Length for the middleware to check
            raise TooLarge(Errors.E060.format(limit=limit))
    if is_form:

        async def replay() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        form = await Request(request.scope, replay).form()
        request.state.form_token = form.get("token")
        upload = form.get("file")
        if isinstance(upload, UploadFile) and upload.filename:
            data = await upload.read()
            raw = decode(data, upload.filename)
            name = upload.filename.lower()
            html = name.endswith((".html", ".htm", ".xhtml")) or looks_like_html(raw)
            return raw, "html" if html else "text", None
        text = form.get("text")
        if isinstance(text, str) and text.strip():
            return text, "html" if looks_like_html(text) else "text", None
        raise InputError(Errors.E062.format(reason="the form has neither a file nor text"))
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError) as err:
        raise InputError(Errors.E062.format(reason=f"the body is not JSON ({err})")) from err
    if not isinstance(data, dict):
        raise InputError(Errors.E062.format(reason='expected an object {"text": ...} or {"html": ...}'))
    url = data.get("url") if isinstance(data.get("url"), str) else None
    for kind in ("html", "text"):
        value = data.get(kind)
        if isinstance(value, str):
            return value, kind, url
    raise InputError(Errors.E062.format(reason='expected a string field "text" or "html"'))


def check_token(request: Request, action: str, *, required: bool = True, given: str | None = None) -> None:
    """The write token, as a bearer token (or ``given``, a form's field); a server started
    without one refuses writes (``required``) and runs the rest for anyone."""
    expected: str | None = request.app.state.write_token
    if expected is None and not required:
        return
    if given is None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        given = token if scheme.lower() == "bearer" else ""
    ok = expected is not None and hmac.compare_digest(given.strip().encode(), expected.encode())
    if not ok:
        raise Unauthorized(Errors.E063.format(action=action))


async def extracted_json(request: Request, extraction: Extraction) -> JSONResponse:
    """The engine's JSON of the body's article (the API's extraction and the extract page's
    twin): anyone may ask a server without a token, the token holder one with."""
    check_token(request, "extraction", required=False)
    raw, kind, url = await read_input(request)
    article = await run_in_threadpool(extraction.run, raw, kind=kind, url=url)
    return JSONResponse(extracted_view(article))


def register_api(app: FastAPI, extraction: Extraction) -> None:
    """``POST /api/extract`` and ``POST /api/articles``."""
    store = store_getter(app)
    consolidating = threading.Lock()

    @app.post(
        "/api/extract",
        tags=["extract"],
        summary="Extract quotations from a text or HTML (not stored)",
        openapi_extra=_EXTRACT_BODY,
    )
    async def api_extract(request: Request) -> JSONResponse:
        return await extracted_json(request, extraction)

    @app.post(
        "/api/articles",
        tags=["articles"],
        summary="Ingest one article (needs the write token)",
        openapi_extra={**_EXTRACT_BODY, "security": [{"bearer": []}]},
        status_code=201,
    )
    async def api_ingest(request: Request, background: BackgroundTasks) -> JSONResponse:
        check_token(request, "writing")
        raw, kind, url = await read_input(request)
        key = url or "api:" + hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:20]
        item = Item(key=key, raw=raw, kind=kind, url=url)  # type: ignore[arg-type]
        article = await run_in_threadpool(extraction.run, raw, kind=kind, url=url)
        aid = article_id(item)
        article.source_path = article.source_path or key
        await run_in_threadpool(store().put_article, key, aid, article, extractor_version(app.state.mode))
        background.add_task(consolidate_store)
        return JSONResponse(
            {"article_id": aid, "item_key": key, "quotes": len(article.quotes), "url": f"/articles/{aid}"},
            status_code=201,
        )

    def consolidate_store() -> None:
        with consolidating:
            current = store()
            if current.needs_consolidation():
                # heavy: identity reads names with resolve, which loads spaCy; only after an ingest
                from onrecord.corpus.consolidate import consolidate

                consolidate(current)


def register_pages(app: FastAPI, extraction: Extraction) -> None:
    """The extract page (``GET`` shows the form, ``POST`` the result) and ``POST /extract.json``."""

    @app.get("/extract", include_in_schema=False)
    def extract_form(request: Request) -> HTMLResponse:
        data = {"article": None, "token": app.state.write_token is not None}
        return page(request, "extract.html.j2", data, "Extract")

    @app.post("/extract", include_in_schema=False)
    async def extract_page(request: Request) -> HTMLResponse:
        raw, kind, url = await read_input(request, allow_form=True)
        if app.state.write_token is not None:
            token = getattr(request.state, "form_token", None)
            check_token(request, "extraction", given=token if isinstance(token, str) else "")
        article = await run_in_threadpool(extraction.run, raw, kind=kind, url=url)
        data = annotated(extracted_view(article))
        return page(request, "extract.html.j2", {"article": data, "token": False}, "Extract")

    @app.post("/extract.json", tags=["pages"], summary="The extract page's data", openapi_extra=_EXTRACT_BODY)
    async def extract_json(request: Request) -> JSONResponse:
        return await extracted_json(request, extraction)
