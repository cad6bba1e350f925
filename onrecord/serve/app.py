"""The HTTP server: a JSON API and server-rendered pages over a corpus store (FastAPI).

Every page has a ``.json`` twin built from the same view (``onrecord.serve.views``). Errors have
one JSON shape, ``{"error": {"status": 404, "code": "E054", "message": "..."}}``, on the API and
the twins; pages show the same message. Nothing is writable without the write token, compared in
constant time. Article text comes from the open web, so every page escapes it (Jinja2
autoescaping), and a Content-Security-Policy forbids inline and foreign scripts.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.exceptions import HTTPException as StarletteHTTPException

from onrecord import __version__
from onrecord.errors import Errors, OnrecordError
from onrecord.store import SqlStore, open_store

MAX_BODY = 2 * 1024 * 1024
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
STATIC = Path(__file__).parent / "static"


class Stores:
    """One store connection per thread (SQLite and psycopg connections are not shared across
    threads), opened on first use."""

    def __init__(self, target: str) -> None:
        self.target = target
        self._local = threading.local()
        self._all: list[SqlStore] = []
        self._lock = threading.Lock()
        self._generation = 0
        open_store(target).close()  # fail now, not on the first request, if it cannot be opened

    def get(self) -> SqlStore:
        store: SqlStore | None = getattr(self._local, "store", None)
        if store is None or getattr(self._local, "generation", -1) != self._generation:
            store = open_store(self.target)
            self._local.store, self._local.generation = store, self._generation
            with self._lock:
                self._all.append(store)
        return store

    def close(self) -> None:
        """Close every connection; a later ``get`` opens new ones (an app may be started again)."""
        with self._lock:
            self._generation += 1
            for store in self._all:
                store.close()
            self._all.clear()


def error_body(status: int, message: str) -> dict[str, Any]:
    match = re.match(r"\[(E\d{3})\]\s*", message)
    code = match.group(1) if match else f"HTTP{status}"
    return {"error": {"status": status, "code": code, "message": message}}


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path.endswith(".json") or path == "/openapi.json"


def create_app(
    db: str,
    *,
    write_token: str | None = None,
    mode: str = "accurate",
    max_body: int = MAX_BODY,
) -> FastAPI:
    """The application serving the store at ``db`` (a SQLite path or a PostgreSQL URL)."""
    stores = Stores(db)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        stores.close()

    app = FastAPI(
        lifespan=lifespan,
        title="onrecord",
        version=__version__,
        description="Who said what, to whom, through which channel, and when: a corpus of attributed "
        "quotations. Every page has a .json twin; writes need the write token (Authorization: Bearer).",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.stores = stores
    app.state.write_token = write_token
    app.state.mode = mode
    app.state.max_body = max_body
    env = Environment(
        loader=PackageLoader("onrecord.serve", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tojson_attr"] = lambda value: json.dumps(value, ensure_ascii=False)
    app.state.templates = env
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.middleware("http")
    async def security(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > max_body):
            response: Response = JSONResponse(
                error_body(413, Errors.E060.format(limit=max_body)), status_code=413
            )
        else:
            response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.exception_handler(OnrecordError)
    async def onrecord_error(request: Request, err: OnrecordError) -> Response:
        return error_response(request, err.status, str(err))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, err: StarletteHTTPException) -> Response:
        return error_response(request, err.status_code, str(err.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, err: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()) if p not in ('query', 'body', 'path'))}: {e.get('msg')}"
            for e in err.errors()
        )
        return error_response(request, 422, Errors.E061.format(reason=problems))

    @app.exception_handler(Exception)
    async def crash(request: Request, err: Exception) -> Response:
        return error_response(request, 500, Errors.E020.format(reason=f"{type(err).__name__}: {err}"))

    def error_response(request: Request, status: int, message: str) -> Response:
        body = error_body(status, message)
        if wants_json(request):
            return JSONResponse(body, status_code=status)
        html = env.get_template("error.html.j2").render(
            error=body["error"], title=f"Error {status}", request=request
        )
        return HTMLResponse(html, status_code=status)

    @app.get("/api/docs", include_in_schema=False)
    def api_docs(request: Request) -> HTMLResponse:
        """The API, listed from the OpenAPI spec (Swagger UI would load scripts from a CDN)."""
        spec = app.openapi()
        html = env.get_template("api.html.j2").render(spec=spec, title="API", request=request)
        return HTMLResponse(html)

    @app.get("/", include_in_schema=False)
    def home() -> Response:
        return RedirectResponse("/search", status_code=302)

    from onrecord.serve.routes import register

    register(app)
    return app


def app_from_environment() -> FastAPI:
    """The app for ``onrecord serve`` (uvicorn imports it in each worker process)."""
    import os

    return create_app(
        os.environ["ONRECORD_SERVE_DB"],
        write_token=os.environ.get("ONRECORD_WRITE_TOKEN") or None,
        mode=os.environ.get("ONRECORD_SERVE_MODE", "accurate"),
    )
