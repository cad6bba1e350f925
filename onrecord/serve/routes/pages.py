"""The pages, each with its .json twin (the view's data) and, for lists, a .csv twin (its rows)."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from onrecord.serve.routes.common import page, store_getter
from onrecord.serve.routes.params import DiversityQuery, Limit, Name, Offset, Q, SearchQuery, Topic
from onrecord.serve.views.articles import (
    ARTICLE_CSV_COLUMNS,
    ARTICLE_QUOTE_CSV_COLUMNS,
    annotated,
    article_quote_rows,
    article_view,
    articles_view,
)
from onrecord.serve.views.common import PAGE_SIZE, csv_text
from onrecord.serve.views.diversity import DIVERSITY_CSV_COLUMNS, diversity_view
from onrecord.serve.views.diversity import diversity_page as diversity_page_view
from onrecord.serve.views.quotes import PROVENANCE_CSV_COLUMNS, quote_view
from onrecord.serve.views.relations import (
    RELATION_CSV_COLUMNS,
    STANCE_CSV_COLUMNS,
    relations_view,
    stance_rows,
    stance_view,
)
from onrecord.serve.views.search import search_view
from onrecord.serve.views.speakers import speaker_view, speakers_view
from onrecord.store import QUOTE_COLUMNS

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


def register(app: FastAPI) -> None:
    store = store_getter(app)

    @app.get("/search.json", tags=["pages"], summary="The search page's data")
    def search_json(params: SearchQuery) -> JSONResponse:
        return JSONResponse(search_view(store(), params))

    @app.get("/search.csv", tags=["pages"], summary="The search page's quotations as CSV")
    def search_csv(params: SearchQuery) -> Response:
        data = search_view(store(), params, facets=False)
        return csv_response(csv_text(data["quotes"], QUOTE_CSV_COLUMNS), "quotations.csv")

    @app.get("/search", include_in_schema=False)
    def search_page(request: Request, params: SearchQuery) -> HTMLResponse:
        data = search_view(store(), params)
        data["params"] = params
        return page(request, "search.html.j2", data, f"Search: {params.q}" if params.q else "Search")

    @app.get("/speakers.json", tags=["pages"], summary="The speakers page's data")
    def speakers_json(q: Name = "", limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
        return JSONResponse(speakers_view(store(), q=q, limit=limit, offset=offset))

    @app.get("/speakers.csv", tags=["pages"], summary="The speakers page's rows as CSV")
    def speakers_csv(q: Name = "", limit: Limit = 50, offset: Offset = 0) -> Response:
        data = speakers_view(store(), q=q, limit=limit, offset=offset)
        return csv_response(csv_text(data["speakers"], SPEAKER_CSV_COLUMNS), "speakers.csv")

    @app.get("/speakers", include_in_schema=False)
    def speakers_page(request: Request, q: Name = "", limit: Limit = 50, offset: Offset = 0) -> HTMLResponse:
        data = speakers_view(store(), q=q, limit=limit, offset=offset)
        return page(request, "speakers.html.j2", data, "Speakers")

    @app.get("/speakers/{speaker}.json", tags=["pages"], summary="A speaker page's data")
    def speaker_json(speaker: str) -> JSONResponse:
        return JSONResponse(speaker_view(store(), speaker))

    @app.get("/speakers/{speaker}.csv", tags=["pages"], summary="A speaker's latest quotations as CSV")
    def speaker_csv(speaker: str) -> Response:
        data = speaker_view(store(), speaker)
        return csv_response(csv_text(data["latest"], QUOTE_CSV_COLUMNS), "quotations.csv")

    @app.get("/speakers/{speaker}", include_in_schema=False)
    def speaker_page(request: Request, speaker: str) -> HTMLResponse:
        data = speaker_view(store(), speaker)
        return page(request, "speaker.html.j2", data, data["name"])

    @app.get("/stance.json", tags=["pages"], summary="The stance page's data")
    def stance_json(topic: Topic) -> JSONResponse:
        return JSONResponse(stance_view(store(), topic))

    @app.get("/stance.csv", tags=["pages"], summary="The stance page's statements as CSV")
    def stance_csv(topic: Topic) -> Response:
        rows = stance_rows(stance_view(store(), topic))
        return csv_response(csv_text(rows, STANCE_CSV_COLUMNS), "stance.csv")

    @app.get("/stance", include_in_schema=False)
    def stance_page(request: Request, topic: Annotated[str, Query(max_length=300)] = "") -> HTMLResponse:
        data = stance_view(store(), topic) if topic.strip() else {"topic": ""}
        return page(request, "stance.html.j2", data, f"Stance: {topic}" if topic.strip() else "Stance")

    @app.get("/diversity.json", tags=["pages"], summary="Who gets quoted: the diversity page's data")
    def diversity_json(params: DiversityQuery) -> JSONResponse:
        return JSONResponse(diversity_view(store(), params))

    @app.get("/diversity.csv", tags=["pages"], summary="Who gets quoted, a row per outlet or month, as CSV")
    def diversity_csv(params: DiversityQuery) -> Response:
        data = diversity_view(store(), params)
        columns = [params.by, *DIVERSITY_CSV_COLUMNS]
        return csv_response(csv_text(data["rows"], columns), f"diversity-by-{params.by}.csv")

    @app.get("/diversity", include_in_schema=False)
    def diversity_page(request: Request, params: DiversityQuery) -> HTMLResponse:
        data = diversity_page_view(store(), params)  # the view; this route has its name
        return page(
            request,
            "diversity.html.j2",
            data,
            f"Who gets quoted: {params.topic}" if params.topic else "Who gets quoted",
        )

    @app.get("/articles.json", tags=["pages"], summary="The articles page's data")
    def articles_json(q: Q = "", limit: Limit = PAGE_SIZE, offset: Offset = 0) -> JSONResponse:
        return JSONResponse(articles_view(store(), q=q, limit=limit, offset=offset))

    @app.get("/articles.csv", tags=["pages"], summary="The articles page's rows as CSV")
    def articles_csv(q: Q = "", limit: Limit = PAGE_SIZE, offset: Offset = 0) -> Response:
        data = articles_view(store(), q=q, limit=limit, offset=offset)
        return csv_response(csv_text(data["articles"], ARTICLE_CSV_COLUMNS), "articles.csv")

    @app.get("/articles", include_in_schema=False)
    def articles_page(
        request: Request, q: Q = "", limit: Limit = PAGE_SIZE, offset: Offset = 0
    ) -> HTMLResponse:
        data = articles_view(store(), q=q, limit=limit, offset=offset)
        return page(request, "articles.html.j2", data, f"Articles: {q}" if q else "Articles")

    @app.get("/articles/{article_id}.json", tags=["pages"], summary="An article page's data")
    def article_json(article_id: str) -> JSONResponse:
        return JSONResponse(article_view(store(), article_id))

    @app.get("/articles/{article_id}.csv", tags=["pages"], summary="An article's quotations as CSV")
    def article_csv(article_id: str) -> Response:
        rows = article_quote_rows(article_view(store(), article_id))
        return csv_response(csv_text(rows, ARTICLE_QUOTE_CSV_COLUMNS), "quotations.csv")

    @app.get("/articles/{article_id}", include_in_schema=False)
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        data = article_view(store(), article_id)
        return page(request, "article.html.j2", annotated(data), data.get("title") or "Article")

    @app.get("/relations.json", tags=["pages"], summary="The relations page's data")
    def relations_json(limit: Limit = 100, offset: Offset = 0) -> JSONResponse:
        return JSONResponse(relations_view(store(), limit=limit, offset=offset))

    @app.get("/relations.csv", tags=["pages"], summary="The relations page's edges as CSV")
    def relations_csv(limit: Limit = 100, offset: Offset = 0) -> Response:
        data = relations_view(store(), limit=limit, offset=offset)
        return csv_response(csv_text(data["edges"], RELATION_CSV_COLUMNS), "relations.csv")

    @app.get("/relations", include_in_schema=False)
    def relations_page(request: Request, limit: Limit = 100, offset: Offset = 0) -> HTMLResponse:
        data = relations_view(store(), limit=limit, offset=offset)
        return page(request, "relations.html.j2", data, "Relations")

    @app.get("/quotes/{quote_id}.json", tags=["pages"], summary="A quotation page's data")
    def quote_json(quote_id: str) -> JSONResponse:
        return JSONResponse(quote_view(store(), quote_id))

    @app.get(
        "/quotes/{quote_id}.csv", tags=["pages"], summary="The articles that carried a quotation, as CSV"
    )
    def quote_csv(quote_id: str) -> Response:
        data = quote_view(store(), quote_id)
        return csv_response(csv_text(data["carried_by"], PROVENANCE_CSV_COLUMNS), "provenance.csv")

    @app.get("/quotes/{quote_id}", include_in_schema=False)
    def quote_page(request: Request, quote_id: str) -> HTMLResponse:
        data = quote_view(store(), quote_id)
        return page(request, "quote.html.j2", data, "Quotation")
