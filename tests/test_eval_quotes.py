"""`onrecord eval quotes`: annotated pages scored end to end (invented pages only)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from onrecord.errors import InputError
from onrecord.evaluate.quotes import evaluate_quotes, read_pages, score_page
from onrecord.evaluate.seed import SeedGold
from onrecord.ingest import Document
from onrecord.model import Article, Quote, Span, Speaker

TEXT = (
    "Harbour fares rise\n"
    "“The fares are too high,” said Ana Ortiz, a ferry captain. “Nobody can pay them.”\n"
    "The council estimated the cost at two million.\n"
    "Ortiz told reporters the plan would fail.\n"
)


def span(text: str, part: str) -> Span:
    start = text.index(part)
    return Span(start, start + len(part), part)


def gold(**extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"speaker": "Ana Ortiz", "type": "direct", "medium": None, "addressee": None}
    return {**base, **extra}


PAGE = SeedGold(
    "p1",
    Path("p1.txt"),
    {
        "genre": "news",
        "quotes": [
            gold(id="q1", cue="said", content="The fares are too high,"),
            gold(id="q2", cue="said", content="Nobody can pay them."),
            gold(id="q3", cue="told", type="indirect", content="the plan would fail", addressee="reporters"),
            gold(id="q4", cue="estimated", speaker=None, content="the cost at two million", optional=True),
        ],
    },
)


def test_one_prediction_with_two_pieces_finds_two_gold_items() -> None:
    article = Article(
        text=TEXT,
        quotes=[
            Quote(
                "a",
                "direct",
                [span(TEXT, "The fares are too high,"), span(TEXT, "Nobody can pay them.")],
                cue=span(TEXT, "said"),
                speaker=Speaker("e1", "Ana Ortiz"),
            ),
            Quote(
                "b",
                "indirect",
                [span(TEXT, "the plan would fail")],
                cue=span(TEXT, "told"),
                speaker=Speaker("e2", "Ortiz"),  # a surname alone is not the full name
                addressee=span(TEXT, "reporters"),
            ),
            Quote("c", "indirect", [span(TEXT, "the cost at two million")]),  # optional: matched
            Quote("d", "indirect", [span(TEXT, "Harbour fares rise")]),  # matches no gold item
        ],
    )
    report = score_page(PAGE, article)
    assert [q.found for q in report.quotes] == [True, True, True]
    assert [q.speaker_right for q in report.quotes] == [True, True, False]
    assert report.cues_right == 3
    assert (report.addressee.hits, report.addressee.total) == (1, 1)
    assert (report.predictions, report.unmatched) == (4, ["Harbour fares rise"])


def test_a_piece_under_half_the_words_does_not_find() -> None:
    article = Article(text=TEXT, quotes=[Quote("a", "direct", [span(TEXT, "The fares")])])
    report = score_page(PAGE, article)
    assert report.found == 0
    assert report.unmatched == ["The fares"]


class TextPipeline:
    """Stands in for Pipeline: one quotation per line that contains 'said'."""

    def extract_document(self, document: Document) -> Article:
        quotes = [
            Quote(f"q{i}", "direct", [span(document.text, line)], speaker=Speaker("e1", "Ana Ortiz"))
            for i, line in enumerate(document.text.splitlines())
            if "said" in line
        ]
        return Article(text=document.text, quotes=quotes)


def write_page(folder: Path, page_id: str, *, html: bool) -> None:
    data = {"genre": "news", "quotes": [gold(id="q1", cue="said", content=TEXT.splitlines()[1])]}
    (folder / f"{page_id}.gold.json").write_text(json.dumps(data), encoding="utf-8")
    if html:
        paragraphs = "".join(f"<p>{line}</p>" for line in TEXT.splitlines()[1:] * 3)
        page = f"<html><head><title>Fares</title></head><body><article>{paragraphs}</article></body></html>"
        (folder / f"{page_id}.html.gz").write_bytes(gzip.compress(page.encode()))
    else:
        (folder / f"{page_id}.txt").write_text(TEXT, encoding="utf-8")


def test_evaluate_quotes_reads_html_and_text_and_records_a_broken_page(tmp_path: Path) -> None:
    write_page(tmp_path, "a", html=True)
    write_page(tmp_path, "b", html=False)
    write_page(tmp_path, "c", html=False)
    (tmp_path / "c.txt").write_bytes(b"\xff\xfe broken")
    report = evaluate_quotes(tmp_path, pipeline=TextPipeline())  # type: ignore[arg-type]
    assert [p.id for p in report.pages] == ["a", "b", "c"]
    assert [p.found for p in report.pages] == [1, 1, 0]
    assert report.pages[2].error is not None and report.pages[0].error is None
    summary = report.summary()
    assert summary["found"] == {"value": round(2 / 3, 4), "hits": 2, "total": 3}
    assert summary["errors"] == 1
    assert "right speaker" in report.render()

    only = evaluate_quotes(tmp_path, only=["b"], pipeline=TextPipeline())  # type: ignore[arg-type]
    assert [p.id for p in only.pages] == ["b"]


def test_read_pages_names_a_missing_page(tmp_path: Path) -> None:
    write_page(tmp_path, "a", html=False)
    with pytest.raises(InputError, match="nosuch"):
        read_pages(tmp_path, only=["nosuch"])
