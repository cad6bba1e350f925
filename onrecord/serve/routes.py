"""The routes: the JSON API under /api, and the pages with their .json twins."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from typing import Annotated, Any, Literal

from fastapi import BackgroundTasks, Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import AfterValidator

from onrecord.errors import Errors, InputError, OnrecordError
from onrecord.model import Article
from onrecord.serve import views
from onrecord.store import SqlStore
from onrecord.store.base import QUOTE_COLUMNS, check_day

#: The columns of every CSV list of quotations: the store's export columns.
QUOTE_CSV_COLUMNS = list(QUOTE_COLUMNS)
SPEAKER_CSV_COLUMNS = ["speaker_id", "name", "kind", "quote_count", "article_count"]


def csv_response(text: str, filename: str) -> Response:
    """A CSV download (UTF-8, with the header row first)."""
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


Sort = Literal["rank", "date", "-date"]
QuoteType = Literal["direct", "mixed", "indirect"]

Q = Annotated[str, Query(max_length=500, description='Words, "phrases", OR, -excluded; empty for all.')]
Speaker = Annotated[str | None, Query(max_length=200, description="A name, an alias or a speaker id.")]
Outlet = Annotated[str | None, Query(max_length=200)]


def _real_day(value: str | None) -> str | None:
    """A date that exists: 2016-02-30 and 2016-13 are refused (422), not searched for."""
    if value:
        check_day(value)  # ValueError: a 422 that says why
    return value


Day = Annotated[
    str | None,
    Query(
        max_length=10,
        pattern=r"^[1-9]\d{3}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$",
        description="YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    AfterValidator(_real_day),
]
Limit = Annotated[int, Query(ge=1, le=views.MAX_PAGE)]
Topic = Annotated[
    str,
    Query(
        min_length=1,
        max_length=300,
        description='A topic: a head noun and context words, e.g. "national inquiry into grooming gangs".',
    ),
]
Offset = Annotated[int, Query(ge=0, le=100_000)]
Name = Annotated[str, Query(max_length=200, description="Part of a speaker's name; empty for all.")]


def search_query(
    q: Q = "",
    speaker: Speaker = None,
    outlet: Outlet = None,
    since: Day = None,
    until: Day = None,
    type: QuoteType | None = None,
    min_confidence: Annotated[
        float | None, Query(ge=0, le=1, description="Only quotations the extractor is this sure of.")
    ] = None,
    sort: Sort = "rank",
    limit: Limit = views.PAGE_SIZE,
    offset: Offset = 0,
) -> views.SearchParams:
    """The query parameters of a quotation search (the API, the page and its twin)."""
    return views.SearchParams(
        q=q,
        speaker=speaker or None,
        outlet=outlet or None,
        since=since or None,
        until=until or None,
        type=type or None,
        min_confidence=min_confidence or None,
        sort=sort,
        limit=limit,
        offset=offset,
    )


SearchQuery = Annotated[views.SearchParams, Depends(search_query)]


def diversity_query(
    by: Annotated[
        Literal["outlet", "month"], Query(description="Group the quotations by outlet or by month.")
    ] = "outlet",
    topic: Annotated[
        str,
        Query(max_length=300, description="Only the quotations this full-text query matches (as search)."),
    ] = "",
    min_confidence: Annotated[
        float | None, Query(ge=0, le=1, description="Only quotations the extractor is this sure of.")
    ] = None,
) -> views.DiversityParams:
    """The query parameters of the diversity page and its twins (``onrecord diversity``'s)."""
    return views.DiversityParams(by=by, topic=topic.strip(), min_confidence=min_confidence or None)


DiversityQuery = Annotated[views.DiversityParams, Depends(diversity_query)]

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


class _Extraction:
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
        from onrecord.ingest.html import from_html
        from onrecord.ingest.read import decode
        from onrecord.ingest.text import from_text
        from onrecord.pipeline import Pipeline

        decode(raw.encode("utf-8", "surrogatepass"), "request body")  # E010 empty, E011 binary
        document = from_html(raw, url=url) if kind == "html" else from_text(raw, url=url)
        with self._lock:
            if self._pipeline is None:
                self._pipeline = Pipeline(mode=self.mode)  # type: ignore[arg-type]
            article: Article = self._pipeline.extract_document(document)
        return article


async def _read_input(request: Request, *, allow_form: bool = False) -> tuple[str, str, str | None]:
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
        from starlette.datastructures import UploadFile
        from starlette.requests import Request as StarletteRequest

        async def replay() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        form = await StarletteRequest(request.scope, replay).form()
        request.state.form_token = form.get("token")
        upload = form.get("file")
        if isinstance(upload, UploadFile) and upload.filename:
            from onrecord.ingest import looks_like_html
            from onrecord.ingest.read import decode

            data = await upload.read()
            raw = decode(data, upload.filename)
            name = upload.filename.lower()
            html = name.endswith((".html", ".htm", ".xhtml")) or looks_like_html(raw)
            return raw, "html" if html else "text", None
        text = form.get("text")
        if isinstance(text, str) and text.strip():
            from onrecord.ingest import looks_like_html

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


def register(app: FastAPI) -> None:
    extraction = _Extraction(app.state.mode, app.state.max_pending)
    consolidating = threading.Lock()

    def store() -> SqlStore:
        return app.state.stores.get()  # type: ignore[no-any-return]

    def page(request: Request, template: str, data: dict[str, Any], title: str) -> HTMLResponse:
        html = app.state.templates.get_template(template).render(data=data, title=title, request=request)
        return HTMLResponse(html)

    # -- the JSON API --------------------------------------------------------------------------

    @app.get("/api/quotes", tags=["quotes"], summary="Search quotations")
    def api_quotes(params: SearchQuery, facets: bool = False) -> JSONResponse:
        return JSONResponse(views.search_view(store(), params, facets=facets))

    @app.get(
        "/api/quotes/{quote_id}", tags=["quotes"], summary="A quotation with its provenance and variants"
    )
    def api_quote(quote_id: str) -> JSONResponse:
        return JSONResponse(views.quote_view(store(), quote_id))

    @app.get("/api/speakers", tags=["speakers"], summary="The most quoted speakers")
    def api_speakers(q: Name = "", limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
        return JSONResponse(views.speakers_view(store(), q=q, limit=limit, offset=offset))

    @app.get("/api/speakers/{speaker}", tags=["speakers"], summary="One speaker, by id or name")
    def api_speaker(speaker: str) -> JSONResponse:
        return JSONResponse(views.speaker_view(store(), speaker))

    @app.get("/api/stance", tags=["relations"], summary="Speakers for, against and unclear on a topic")
    def api_stance(topic: Topic) -> JSONResponse:
        return JSONResponse(views.stance_view(store(), topic))

    @app.get("/api/relations", tags=["relations"], summary="Who praises, criticises, backs whom: the graph")
    def api_relations(limit: Limit = 200) -> JSONResponse:
        return JSONResponse(views.relations_view(store(), limit=limit))

    @app.get("/api/articles", tags=["articles"], summary="Articles, or those matching a full-text query")
    def api_articles(q: Q = "", limit: Limit = views.PAGE_SIZE, offset: Offset = 0) -> JSONResponse:
        return JSONResponse(views.articles_view(store(), q=q, limit=limit, offset=offset))

    @app.get("/api/articles/{article_id}", tags=["articles"], summary="One stored article (engine JSON)")
    def api_article(article_id: str) -> JSONResponse:
        return JSONResponse(views.article_view(store(), article_id))

    @app.post(
        "/api/extract",
        tags=["extract"],
        summary="Extract quotations from a text or HTML (not stored)",
        openapi_extra=_EXTRACT_BODY,
    )
    async def api_extract(request: Request) -> JSONResponse:
        check_token(request, "extraction", required=False)
        raw, kind, url = await _read_input(request)
        article = await _in_thread(extraction.run, raw, kind=kind, url=url)
        return JSONResponse(views.extracted_view(article))

    @app.post(
        "/api/articles",
        tags=["articles"],
        summary="Ingest one article (needs the write token)",
        openapi_extra={**_EXTRACT_BODY, "security": [{"bearer": []}]},
        status_code=201,
    )
    async def api_ingest(request: Request, background: BackgroundTasks) -> JSONResponse:
        check_token(request, "writing")
        raw, kind, url = await _read_input(request)
        from onrecord.corpus.ingest import article_id, extractor_version
        from onrecord.corpus.records import Item

        key = url or "api:" + hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:20]
        item = Item(key=key, raw=raw, kind=kind, url=url)  # type: ignore[arg-type]
        article = await _in_thread(extraction.run, raw, kind=kind, url=url)
        aid = article_id(item)
        article.source_path = article.source_path or key
        await _in_thread(store().put_article, key, aid, article, extractor_version(app.state.mode))
        background.add_task(consolidate)
        return JSONResponse(
            {"article_id": aid, "item_key": key, "quotes": len(article.quotes), "url": f"/articles/{aid}"},
            status_code=201,
        )

    def consolidate() -> None:
        with consolidating:
            current = store()
            if current.needs_consolidation():
                current.consolidate()

    def check_token(
        request: Request, action: str, *, required: bool = True, given: str | None = None
    ) -> None:
        """The write token, as a bearer token (or ``given``, a form's field); a server started
        without one refuses writes (``required``) and runs the rest for anyone."""
        expected: str | None = app.state.write_token
        if expected is None and not required:
            return
        if given is None:
            scheme, _, token = request.headers.get("authorization", "").partition(" ")
            given = token if scheme.lower() == "bearer" else ""
        ok = expected is not None and hmac.compare_digest(given.strip().encode(), expected.encode())
        if not ok:
            raise Unauthorized(Errors.E063.format(action=action))

    # -- pages and their .json twins -----------------------------------------------------------

    @app.get("/search.json", tags=["pages"], summary="The search page's data")
    def search_json(params: SearchQuery) -> JSONResponse:
        return JSONResponse(views.search_view(store(), params))

    @app.get("/search.csv", tags=["pages"], summary="The search page's quotations as CSV")
    def search_csv(params: SearchQuery) -> Response:
        data = views.search_view(store(), params, facets=False)
        return csv_response(views.csv_text(data["quotes"], QUOTE_CSV_COLUMNS), "quotations.csv")

    @app.get("/search", include_in_schema=False)
    def search_page(request: Request, params: SearchQuery) -> HTMLResponse:
        data = views.search_view(store(), params)
        data["params"] = params
        return page(request, "search.html.j2", data, f"Search: {params.q}" if params.q else "Search")

    @app.get("/speakers.json", tags=["pages"], summary="The speakers page's data")
    def speakers_json(q: Name = "", limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
        return JSONResponse(views.speakers_view(store(), q=q, limit=limit, offset=offset))

    @app.get("/speakers.csv", tags=["pages"], summary="The speakers page's rows as CSV")
    def speakers_csv(q: Name = "", limit: Limit = 50, offset: Offset = 0) -> Response:
        data = views.speakers_view(store(), q=q, limit=limit, offset=offset)
        return csv_response(views.csv_text(data["speakers"], SPEAKER_CSV_COLUMNS), "speakers.csv")

    @app.get("/speakers", include_in_schema=False)
    def speakers_page(request: Request, q: Name = "", limit: Limit = 50, offset: Offset = 0) -> HTMLResponse:
        data = views.speakers_view(store(), q=q, limit=limit, offset=offset)
        return page(request, "speakers.html.j2", data, "Speakers")

    @app.get("/speakers/{speaker}.json", tags=["pages"], summary="A speaker page's data")
    def speaker_json(speaker: str) -> JSONResponse:
        return JSONResponse(views.speaker_view(store(), speaker))

    @app.get("/speakers/{speaker}.csv", tags=["pages"], summary="A speaker's latest quotations as CSV")
    def speaker_csv(speaker: str) -> Response:
        data = views.speaker_view(store(), speaker)
        return csv_response(views.csv_text(data["latest"], QUOTE_CSV_COLUMNS), "quotations.csv")

    @app.get("/speakers/{speaker}", include_in_schema=False)
    def speaker_page(request: Request, speaker: str) -> HTMLResponse:
        data = views.speaker_view(store(), speaker)
        return page(request, "speaker.html.j2", data, data["name"])

    @app.get("/stance.json", tags=["pages"], summary="The stance page's data")
    def stance_json(topic: Topic) -> JSONResponse:
        return JSONResponse(views.stance_view(store(), topic))

    @app.get("/stance.csv", tags=["pages"], summary="The stance page's statements as CSV")
    def stance_csv(topic: Topic) -> Response:
        rows = views.stance_rows(views.stance_view(store(), topic))
        return csv_response(views.csv_text(rows, views.STANCE_CSV_COLUMNS), "stance.csv")

    @app.get("/stance", include_in_schema=False)
    def stance_page(request: Request, topic: Annotated[str, Query(max_length=300)] = "") -> HTMLResponse:
        data = views.stance_view(store(), topic) if topic.strip() else {"topic": ""}
        return page(request, "stance.html.j2", data, f"Stance: {topic}" if topic.strip() else "Stance")

    @app.get("/diversity.json", tags=["pages"], summary="Who gets quoted: the diversity page's data")
    def diversity_json(params: DiversityQuery) -> JSONResponse:
        return JSONResponse(views.diversity_view(store(), params))

    @app.get("/diversity.csv", tags=["pages"], summary="Who gets quoted, a row per outlet or month, as CSV")
    def diversity_csv(params: DiversityQuery) -> Response:
        data = views.diversity_view(store(), params)
        columns = [params.by, *views.DIVERSITY_CSV_COLUMNS]
        return csv_response(views.csv_text(data["rows"], columns), f"diversity-by-{params.by}.csv")

    @app.get("/diversity", include_in_schema=False)
    def diversity_page(request: Request, params: DiversityQuery) -> HTMLResponse:
        data = views.diversity_page(store(), params)
        return page(
            request,
            "diversity.html.j2",
            data,
            f"Who gets quoted: {params.topic}" if params.topic else "Who gets quoted",
        )

    @app.get("/articles.json", tags=["pages"], summary="The articles page's data")
    def articles_json(q: Q = "", limit: Limit = views.PAGE_SIZE, offset: Offset = 0) -> JSONResponse:
        return JSONResponse(views.articles_view(store(), q=q, limit=limit, offset=offset))

    @app.get("/articles.csv", tags=["pages"], summary="The articles page's rows as CSV")
    def articles_csv(q: Q = "", limit: Limit = views.PAGE_SIZE, offset: Offset = 0) -> Response:
        data = views.articles_view(store(), q=q, limit=limit, offset=offset)
        return csv_response(views.csv_text(data["articles"], views.ARTICLE_CSV_COLUMNS), "articles.csv")

    @app.get("/articles", include_in_schema=False)
    def articles_page(
        request: Request, q: Q = "", limit: Limit = views.PAGE_SIZE, offset: Offset = 0
    ) -> HTMLResponse:
        data = views.articles_view(store(), q=q, limit=limit, offset=offset)
        return page(request, "articles.html.j2", data, f"Articles: {q}" if q else "Articles")

    @app.get("/articles/{article_id}.json", tags=["pages"], summary="An article page's data")
    def article_json(article_id: str) -> JSONResponse:
        return JSONResponse(views.article_view(store(), article_id))

    @app.get("/articles/{article_id}.csv", tags=["pages"], summary="An article's quotations as CSV")
    def article_csv(article_id: str) -> Response:
        rows = views.article_quote_rows(views.article_view(store(), article_id))
        return csv_response(views.csv_text(rows, views.ARTICLE_QUOTE_CSV_COLUMNS), "quotations.csv")

    @app.get("/articles/{article_id}", include_in_schema=False)
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        data = views.article_view(store(), article_id)
        return page(request, "article.html.j2", annotated(data), data.get("title") or "Article")

    @app.get("/relations.json", tags=["pages"], summary="The relations page's data")
    def relations_json(limit: Limit = 100) -> JSONResponse:
        return JSONResponse(views.relations_view(store(), limit=limit))

    @app.get("/relations.csv", tags=["pages"], summary="The relations page's edges as CSV")
    def relations_csv(limit: Limit = 100) -> Response:
        data = views.relations_view(store(), limit=limit)
        return csv_response(views.csv_text(data["edges"]), "relations.csv")

    @app.get("/relations", include_in_schema=False)
    def relations_page(request: Request, limit: Limit = 100) -> HTMLResponse:
        return page(request, "relations.html.j2", views.relations_view(store(), limit=limit), "Relations")

    @app.get("/quotes/{quote_id}.json", tags=["pages"], summary="A quotation page's data")
    def quote_json(quote_id: str) -> JSONResponse:
        return JSONResponse(views.quote_view(store(), quote_id))

    @app.get(
        "/quotes/{quote_id}.csv", tags=["pages"], summary="The articles that carried a quotation, as CSV"
    )
    def quote_csv(quote_id: str) -> Response:
        data = views.quote_view(store(), quote_id)
        return csv_response(
            views.csv_text(data["carried_by"], views.PROVENANCE_CSV_COLUMNS), "provenance.csv"
        )

    @app.get("/quotes/{quote_id}", include_in_schema=False)
    def quote_page(request: Request, quote_id: str) -> HTMLResponse:
        data = views.quote_view(store(), quote_id)
        return page(request, "quote.html.j2", data, "Quotation")

    @app.get("/extract", include_in_schema=False)
    def extract_form(request: Request) -> HTMLResponse:
        data = {"article": None, "token": app.state.write_token is not None}
        return page(request, "extract.html.j2", data, "Extract")

    @app.post("/extract", include_in_schema=False)
    async def extract_page(request: Request) -> HTMLResponse:
        raw, kind, url = await _read_input(request, allow_form=True)
        if app.state.write_token is not None:
            token = getattr(request.state, "form_token", None)
            check_token(request, "extraction", given=token if isinstance(token, str) else "")
        article = await _in_thread(extraction.run, raw, kind=kind, url=url)
        data = annotated(views.extracted_view(article))
        return page(request, "extract.html.j2", {"article": data, "token": False}, "Extract")

    @app.post("/extract.json", tags=["pages"], summary="The extract page's data", openapi_extra=_EXTRACT_BODY)
    async def extract_json(request: Request) -> JSONResponse:
        check_token(request, "extraction", required=False)
        raw, kind, url = await _read_input(request)
        article = await _in_thread(extraction.run, raw, kind=kind, url=url)
        return JSONResponse(views.extracted_view(article))


def annotated(data: dict[str, Any]) -> dict[str, Any]:
    """An article's data with the highlighted segments and legend of the displaCy-like view."""
    from onrecord.render import SpeakerColours
    from onrecord.render.html import article_view

    article = Article.from_dict(
        {k: v for k, v in data.items() if k not in ("article_id",)}
        | {
            "quotes": [
                {k: v for k, v in q.items() if k not in ("quote_id", "speaker_id")} for q in data["quotes"]
            ]
        }
    )
    colours = SpeakerColours()
    view = article_view(article, number=1, colours=colours)
    return {**data, "view": view, "colours": [colours.colour(article, q) for q in article.quotes]}


class Unauthorized(OnrecordError):
    status = 401


class UnsupportedMedia(OnrecordError):
    status = 415


class Busy(OnrecordError):
    status = 503


class TooLarge(OnrecordError):
    status = 413


async def _in_thread(function: Any, *args: Any, **kwargs: Any) -> Any:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(function, *args, **kwargs)
