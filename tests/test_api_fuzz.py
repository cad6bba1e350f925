"""schemathesis against the served OpenAPI spec: no request, however odd, gets a 5xx."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from test_serve import build_corpus

from onrecord.serve import create_app

_DB = str(Path(tempfile.mkdtemp(prefix="onrecord-fuzz-")) / "c.db")
build_corpus(_DB)
_APP = create_app(_DB, write_token="t0ken", mode="fast", allowed_hosts=["localhost", "testserver"])
schema = schemathesis.openapi.from_asgi("/openapi.json", _APP)

pytestmark = pytest.mark.slow


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case) -> None:
    response = case.call()
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
