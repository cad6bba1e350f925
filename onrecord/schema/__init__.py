"""The JSON Schema (draft 2020-12) of the ``onrecord.article.v4`` form written by ``Article.to_dict``.

    >>> from onrecord.schema import load_schema
    >>> load_schema()["$id"]
    'urn:onrecord:schema:article.v4'

The schema checks shapes and types; that every span slices back to its text (and that
``start <= end``) is checked by ``Article.bad_spans``. The format is described in ``docs/format.md``.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

SCHEMA_FILE = "article.v4.json"


def load_schema() -> dict[str, Any]:
    """A fresh copy of the ``onrecord.article.v4`` JSON Schema, read from the installed package."""
    raw = resources.files(__name__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(raw)
    return schema


__all__ = ["SCHEMA_FILE", "load_schema"]
