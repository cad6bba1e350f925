"""The JSON API's reads under /api: quotations, speakers, stance, relations and articles."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from onrecord.serve.routes.common import store_getter
from onrecord.serve.routes.params import Limit, Name, Offset, Q, SearchQuery, Topic
from onrecord.serve.views.articles import article_view, articles_view
from onrecord.serve.views.common import PAGE_SIZE
from onrecord.serve.views.quotes import quote_view
from onrecord.serve.views.relations import relations_view, stance_view
from onrecord.serve.views.search import search_view
from onrecord.serve.views.speakers import speaker_view, speakers_view


def register(app: FastAPI) -> None:
    store = store_getter(app)

    @app.get("/api/quotes", tags=["quotes"], summary="Search quotations")
    def api_quotes(params: SearchQuery, facets: bool = False) -> JSONResponse:
        return JSONResponse(search_view(store(), params, facets=facets))

    @app.get(
        "/api/quotes/{quote_id}", tags=["quotes"], summary="A quotation with its provenance and variants"
    )
    def api_quote(quote_id: str) -> JSONResponse:
        return JSONResponse(quote_view(store(), quote_id))

    @app.get("/api/speakers", tags=["speakers"], summary="The most quoted speakers")
    def api_speakers(q: Name = "", limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
        return JSONResponse(speakers_view(store(), q=q, limit=limit, offset=offset))

    @app.get("/api/speakers/{speaker}", tags=["speakers"], summary="One speaker, by id or name")
    def api_speaker(speaker: str) -> JSONResponse:
        return JSONResponse(speaker_view(store(), speaker))

    @app.get("/api/stance", tags=["relations"], summary="Speakers for, against and unclear on a topic")
    def api_stance(topic: Topic) -> JSONResponse:
        return JSONResponse(stance_view(store(), topic))

    @app.get("/api/relations", tags=["relations"], summary="Who praises, criticises, backs whom: the graph")
    def api_relations(limit: Limit = 200, offset: Offset = 0) -> JSONResponse:
        return JSONResponse(relations_view(store(), limit=limit, offset=offset, default_limit=200))

    @app.get("/api/articles", tags=["articles"], summary="Articles, or those matching a full-text query")
    def api_articles(q: Q = "", limit: Limit = PAGE_SIZE, offset: Offset = 0) -> JSONResponse:
        return JSONResponse(articles_view(store(), q=q, limit=limit, offset=offset))

    @app.get("/api/articles/{article_id}", tags=["articles"], summary="One stored article (engine JSON)")
    def api_article(article_id: str) -> JSONResponse:
        return JSONResponse(article_view(store(), article_id))
