"""The quotation page: every article that carried a quotation, the first appearance, and each
variant's wording against the first."""

from __future__ import annotations

import difflib
from typing import Any

from onrecord.errors import Errors
from onrecord.serve.views.common import NotFound
from onrecord.store import Store

PROVENANCE_CSV_COLUMNS = [
    "quote_id", "article_id", "published", "outlet", "title", "url", "speaker_id", "speaker_name",
    "type", "content_text", "first", "differences",
]  # fmt: skip


def quote_view(store: Store, quote_id: str) -> dict[str, Any]:
    """A quotation with its provenance: every article that carried it, the first appearance, and
    each variant's wording against the first, word by word."""
    info = store.quote(quote_id)
    if info is None:
        raise NotFound(Errors.E054.format(quote_id=quote_id))
    first = next((r for r in info["carried_by"] if r["quote_id"] == info["first_quote_id"]), None)
    differences = {v["quote_id"]: v["differences"] for v in info["variants"]}
    # "first appearance" is a claim about dates: none when the earliest carrier has no date
    info["dated"] = bool(first and first["published"])
    for row in info["carried_by"]:
        row["first"] = info["dated"] and row["quote_id"] == info["first_quote_id"]
        row["differences"] = differences.get(row["quote_id"], [])
        row["diff"] = (
            word_diff(first["content_text"], row["content_text"]) if first and row["differences"] else []
        )
    return info


def word_diff(old: str, new: str) -> list[dict[str, str]]:
    """``new`` against ``old`` word by word: runs of {"op": "same"|"add"|"del", "text": ...}."""
    a, b = old.split(), new.split()
    out: list[dict[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append({"op": "same", "text": " ".join(a[i1:i2])})
            continue
        if i2 > i1:
            out.append({"op": "del", "text": " ".join(a[i1:i2])})
        if j2 > j1:
            out.append({"op": "add", "text": " ".join(b[j1:j2])})
    return out
