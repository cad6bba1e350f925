"""The HTTP server: a JSON API and server-rendered pages over a corpus store (FastAPI).

Every page has a ``.json`` twin built from the same view (``onrecord.serve.views``). Errors have
one JSON shape, ``{"error": {"status": 404, "code": "E054", "message": "..."}}``, on the API and
the twins; pages show the same message. Nothing is writable without the write token, compared in
constant time. Article text comes from the open web, so every page escapes it (Jinja2
autoescaping), and a Content-Security-Policy forbids inline and foreign scripts.

A server on loopback is still reachable from every page its user opens, so: a Host header that
is not an allowed host is refused (DNS rebinding); a POST another site's page sends (its
``Origin`` or ``Sec-Fetch-Site`` says so) is refused (cross-site request forgery); extraction,
which costs CPU, takes JSON only (a cross-site form cannot send it without a preflight this
server never grants), needs the token when one is set, and waits in a short queue.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.exceptions import HTTPException as StarletteHTTPException

from onrecord.errors import Errors, OnrecordError
from onrecord.serve.routes import api, extract, pages
from onrecord.store import Store, open_store
from onrecord.version import __version__

MAX_BODY = 2 * 1024 * 1024
#: Host names a server answers to when none are given: loopback, as ``onrecord serve`` binds.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
#: Extractions that may wait for the one running before a request is turned away (503).
MAX_PENDING = 4
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
STATIC = Path(__file__).parent / "static"


class Stores:
    """One store connection per thread (SQLite and psycopg connections are not shared across
    threads), opened on first use."""

    def __init__(self, target: str, *, create: bool = True) -> None:
        self.target = target
        self._local = threading.local()
        self._all: list[Store] = []
        self._lock = threading.Lock()
        self._generation = 0
        # fail now, not on the first request, if it cannot be opened (or, unless ``create``, is not there)
        open_store(target, create=create).close()

    def get(self) -> Store:
        store: Store | None = getattr(self._local, "store", None)
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


def host_allowed(host: str | None, allowed: Sequence[str]) -> bool:
    """Whether a host name is one of ``allowed``: a name, ``*.example.org`` or ``*`` for any."""
    if "*" in allowed:
        return True
    if not host:
        return False
    host = host.lower().rstrip(".")
    return any(host == a or (a.startswith("*.") and host.endswith(a[1:])) for a in allowed)


def cross_site(request: Request, allowed: Sequence[str]) -> str | None:
    """The other site a request comes from, by what the browser says (``Sec-Fetch-Site``,
    ``Origin``); None for same-origin requests and for clients that are not browsers."""
    fetch_site = request.headers.get("sec-fetch-site", "").lower()
    if fetch_site in ("cross-site", "same-site"):
        return request.headers.get("origin") or "another site"
    if fetch_site in ("same-origin", "none"):
        return None  # the server's own page (whose no-referrer policy makes its Origin "null")
    origin = request.headers.get("origin")
    if origin is None:
        return None
    if origin == "null":
        return "an opaque origin"
    hostname = urlsplit(origin).hostname
    own = request.url.hostname
    return None if hostname is not None and (hostname == own or host_allowed(hostname, allowed)) else origin


def access_line(request: Request, status: int, size: int | None) -> str:
    """One request in the Common Log Format (no ident or user: '-')."""
    client = request.client.host if request.client is not None else "-"
    when = time.strftime("%d/%b/%Y:%H:%M:%S %z")
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    line = f"{request.method} {target} HTTP/{request.scope.get('http_version', '1.1')}"
    line = line.replace('"', "%22")
    return f'{client} - - [{when}] "{line}" {status} {size if size is not None else "-"}'


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path.endswith((".json", ".csv")) or path == "/openapi.json"


def create_app(
    db: str,
    *,
    write_token: str | None = None,
    mode: str = "accurate",
    max_body: int = MAX_BODY,
    allowed_hosts: Sequence[str] = LOOPBACK_HOSTS,
    max_pending: int = MAX_PENDING,
    access_log: logging.Logger | None = None,
    create: bool = True,
) -> FastAPI:
    """The application serving the store at ``db`` (a SQLite path or a PostgreSQL URL).

    ``allowed_hosts``: the Host names it answers to (``*.example.org``; ``*`` for any);
    ``max_pending``: extractions that may wait for the running one; ``access_log``: a logger
    that gets one Common Log Format line per request (off when None); ``create``: make a SQLite
    store that is not there (``onrecord serve`` refuses one instead)."""
    allowed = tuple(h.lower().strip("[]") for h in allowed_hosts)
    for pattern in allowed:
        if not pattern or (
            "*" in pattern and pattern != "*" and not (pattern.startswith("*.") and "*" not in pattern[1:])
        ):
            raise ValueError(f"not a host name or pattern: {pattern!r} (use a name, *.example.org or *)")
    stores = Stores(db, create=create)

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
    app.state.allowed_hosts = allowed
    app.state.max_pending = max_pending
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
        host = request.url.hostname
        head = request.method == "HEAD"
        other = cross_site(request, allowed) if request.method in UNSAFE_METHODS else None
        response: Response
        if not host_allowed(host, allowed):
            name = request.headers.get("host", "")
            message = Errors.E064.format(host=name, host_only=host or name)
            response = JSONResponse(error_body(400, message), status_code=400)
        elif other is not None:
            message = Errors.E065.format(origin=other, action=f"{request.method} {request.url.path}")
            response = error_response(request, 403, message)
        elif length is not None and (not length.isdigit() or int(length) > max_body):
            response = JSONResponse(error_body(413, Errors.E060.format(limit=max_body)), status_code=413)
        else:
            if head:
                request.scope["method"] = "GET"  # HEAD is GET without the body (RFC 9110)
            response = await call_next(request)
        if head:
            request.scope["method"] = "HEAD"
            body = getattr(response, "body_iterator", None)
            if body is not None:
                async for _ in body:  # let the GET finish; none of it is sent
                    pass
            response = Response(status_code=response.status_code, headers=dict(response.headers))
        if access_log is not None:
            size = response.headers.get("content-length")
            access_log.info(access_line(request, response.status_code, int(size) if size else None))
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

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")

    @app.get("/", include_in_schema=False)
    def home() -> Response:
        return RedirectResponse("/search", status_code=302)

    # in this order: the OpenAPI spec and /api/docs list the routes as they are registered
    extraction = extract.Extraction(mode, max_pending)
    api.register(app)
    extract.register_api(app, extraction)
    pages.register(app)
    extract.register_pages(app, extraction)
    document_errors(app)
    return app


#: Error statuses every operation may answer, and those only requests with a body may.
ERRORS_ANY = {
    "400": "Bad request: a query that cannot be searched (E050) or a Host not allowed (E064)",
    "404": "Nothing with that id or name (E053-E055)",
    "422": "Invalid parameters (E061)",
}
ERRORS_WRITE = {
    "401": "The write token is missing or wrong (E063)",
    "403": "Sent from another site (E065)",
    "413": "The body is over the limit (E060)",
    "415": "The body is not JSON (E066)",
    "503": "The extraction queue is full (E067)",
}


def document_errors(app: FastAPI) -> None:
    """Every status the API can answer is in its OpenAPI spec, each with the one error shape
    (FastAPI documents only 200 and its own 422 body, which this server never sends)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        spec = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        schemas["Error"] = {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["status", "code", "message"],
                    "properties": {
                        "status": {"type": "integer"},
                        "code": {"type": "string"},
                        "message": {"type": "string"},
                    },
                }
            },
        }
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for path, operations in spec.get("paths", {}).items():
            for method, operation in operations.items():
                statuses = {
                    **ERRORS_ANY,
                    **(ERRORS_WRITE if method in ("post", "put", "patch", "delete") else {}),
                }
                responses = operation.setdefault("responses", {})
                for status, description in statuses.items():
                    responses[status] = {"description": description, "content": error}
                if path.endswith(".csv"):
                    responses["200"]["content"] = {"text/csv": {"schema": {"type": "string"}}}
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


def app_from_environment() -> FastAPI:
    """The app for ``onrecord serve`` (uvicorn imports it in each worker process)."""
    hosts = os.environ.get("ONRECORD_SERVE_HOSTS")
    return create_app(
        os.environ["ONRECORD_SERVE_DB"],
        write_token=os.environ.get("ONRECORD_WRITE_TOKEN") or None,
        mode=os.environ.get("ONRECORD_SERVE_MODE", "accurate"),
        allowed_hosts=hosts.split(",") if hosts else LOOPBACK_HOSTS,
        access_log=access_logger(os.environ.get("ONRECORD_ACCESS_LOG")),
    )


def access_logger(target: str | None) -> logging.Logger | None:
    """A logger writing bare lines to ``target`` (a file, appended; '-': standard error)."""
    if not target:
        return None
    logger = logging.getLogger("onrecord.access")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    if not logger.handlers:
        handler = logging.StreamHandler() if target == "-" else logging.FileHandler(target, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
    return logger
