"""The data next to the repository (``../shared/data``), for the tests that read it.

Where a path is missing the test skips (a user's clone has no ``../shared``), unless
``ONRECORD_REQUIRE_DATA=1`` (CI), where it fails: as ``ONRECORD_REQUIRE_POSTGRES`` does for
PostgreSQL and ``ONRECORD_REQUIRE_BROWSER`` for the browser. Every test that reads the data
asks for it through ``need_data``, at run time, so that the variable and the folder are looked
up when the test runs (and a test can point ``DATA`` elsewhere).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
REQUIRE_ENV = "ONRECORD_REQUIRE_DATA"


def need_data(*parts: str) -> Path:
    """``DATA / parts``: skip the test where it is missing, or fail it under ``ONRECORD_REQUIRE_DATA=1``."""
    path = DATA.joinpath(*parts)
    if not path.exists():
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but {path} is absent")
        pytest.skip(f"{path} is absent (../shared/data next to the repository)")
    return path
