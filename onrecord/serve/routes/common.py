"""What the route modules share: the store of the thread a request runs in, and a page rendered
from a template."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from onrecord.store import Store


def store_getter(app: FastAPI) -> Callable[[], Store]:
    """The function that gives the store connection of the calling thread (``app.state.stores``)."""

    def store() -> Store:
        return app.state.stores.get()  # type: ignore[no-any-return]

    return store


def page(request: Request, template: str, data: dict[str, Any], title: str) -> HTMLResponse:
    """``template`` rendered with the view's ``data`` and the page ``title``."""
    html = request.app.state.templates.get_template(template).render(data=data, title=title, request=request)
    return HTMLResponse(html)
