"""schemathesis against the served OpenAPI spec: no request, however odd, gets a 5xx.

Collecting reads the spec from an app over an empty in-memory store (the spec depends on the
routes only): no file is written and no corpus built. The tests call an app over the corpus of
``test_serve``, built once by a module fixture in pytest's temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from test_serve import build_corpus

from onrecord.serve import create_app

OPTIONS: dict[str, Any] = {
    "write_token": "t0ken",
    "mode": "fast",
    "allowed_hosts": ["localhost", "testserver"],
}

_SPEC_APP = create_app(":memory:", **OPTIONS)
schema = schemathesis.openapi.from_asgi("/openapi.json", _SPEC_APP)
_SPEC_APP.state.stores.close()

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    db = str(tmp_path_factory.mktemp("fuzz") / "c.db")
    build_corpus(db)
    served = create_app(db, **OPTIONS)
    try:
        yield served
    finally:
        served.state.stores.close()


def test_the_spec_comes_from_the_app_the_tests_call(app: FastAPI) -> None:
    """The spec read at collection is the one the corpus app serves."""
    assert app.openapi() == _SPEC_APP.openapi()


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case, app: FastAPI) -> None:
    response = case.call(app=app)
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"
    )
    # every status documented, every body in its documented shape and media type (not
    # positive_data_acceptance: a date the pattern admits may not exist, 2016-02-30, a 422)
    case.validate_response(
        response,
        checks=[status_code_conformance, content_type_conformance, response_schema_conformance],
    )
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"} and body["error"]["status"] == response.status_code
