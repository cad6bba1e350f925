"""The pipeline on long texts: pieces cut at paragraph breaks, put back together exactly."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onrecord.ingest import Document
from onrecord.pipeline import Pipeline, split_long

PARAGRAPH = (
    "Harbour authority chair Elena Duarte said that the new timetable would fail the island.\n"
    "“We cannot run a harbour for visitors in August and forget the people who live here,” she told reporters.\n"
)


def test_long_text_is_parsed_in_pieces_and_joined() -> None:
    text = PARAGRAPH * 20  # about 4,000 characters
    whole = Pipeline().extract_document(Document(text=text))
    pieces = Pipeline(max_chars=700).extract_document(Document(text=text))
    assert pieces.bad_spans() == []
    assert len(pieces.quotes) == len(whole.quotes) == 40
    assert [q.content_text for q in pieces.quotes] == [q.content_text for q in whole.quotes]
    assert len({q.id for q in pieces.quotes}) == len(pieces.quotes)
    ids = {e.id for e in pieces.entities}
    resolved = [q for q in pieces.quotes if q.speaker is not None]
    assert all(q.speaker.entity in ids for q in resolved if q.speaker)
    assert {q.speaker.name for q in resolved if q.speaker} == {"Elena Duarte"}
    # a pronoun opening a piece has no antecedent in it: the only speakers lost are those
    assert len(resolved) >= len(pieces.quotes) - len(split_long(text, 700))
    duarte = [e for e in pieces.entities if e.name == "Elena Duarte"]
    assert len(duarte) == 1  # one entity across the pieces


def test_short_text_is_one_piece() -> None:
    assert split_long("a\nb", 10) == [(0, "a\nb")]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab \n.“”"), max_size=400), st.integers(min_value=5, max_value=80))
def test_split_long_covers_the_text_exactly(text: str, max_chars: int) -> None:
    pieces = split_long(text, max_chars)
    assert "".join(piece for _, piece in pieces) == text
    assert all(text[offset : offset + len(piece)] == piece for offset, piece in pieces)
    assert all(len(piece) <= max_chars for _, piece in pieces)


# without torch installed, thinc never uses it and there is nothing to hide: these tests skip
needs_torch = pytest.mark.skipif(
    importlib.util.find_spec("torch") is None, reason="torch is not installed (the train extra)"
)

TORCH_CHECK = """
import json, sys
{setup}
import thinc.compat
import torch
print(json.dumps({{"thinc_uses_torch": thinc.compat.has_torch, "after": float(torch.ones(2).sum())}}))
"""


def _fresh_interpreter(script: str, env: dict[str, str] | None = None) -> Any:
    """Run ``script`` in a fresh interpreter; the JSON of the last line it prints."""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _torch_state(setup: str) -> dict[str, object]:
    """Run ``setup`` in a fresh interpreter; then whether thinc uses torch, and torch at work."""
    return _fresh_interpreter(TORCH_CHECK.format(setup=setup))  # type: ignore[no-any-return]


@needs_torch
def test_extraction_processes_import_spacy_without_torch() -> None:
    """thinc would import PyTorch (seconds, hundreds of MB) in every extraction process when the
    train extra is installed; a worker (pool process or Ray actor) hides it while spaCy loads, and
    torch still imports later."""
    hidden = _torch_state(
        "from onrecord.corpus.ingest import _init_worker\n"
        "_init_worker('fast', None, True)\n"
        "assert 'torch' not in sys.modules, 'loading the pipeline imported torch'"
    )
    assert hidden == {"thinc_uses_torch": False, "after": 2.0}
    # and without the guard, thinc does import it: the guard is what keeps it out
    assert _torch_state("import spacy")["thinc_uses_torch"] is True


@needs_torch
def test_the_cli_loads_spacy_without_torch(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text('The mayor said: "The bridge opens in May."\n', encoding="utf-8")
    state = _torch_state(
        "from onrecord.cli import cli\n"
        f"cli(['extract', {str(tmp_path / 'a.txt')!r}, '--mode', 'fast'], standalone_mode=False)\n"
        "assert 'torch' not in sys.modules"
    )
    assert state == {"thinc_uses_torch": False, "after": 2.0}


BLAS_CHECK = """
import json, os
{setup}
import numpy
from threadpoolctl import threadpool_info
print(json.dumps(sorted({{i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}})))
"""


def _blas_threads(setup: str, env: dict[str, str] | None = None) -> list[int]:
    """Run ``setup`` in a fresh interpreter; then the thread counts of the BLAS libraries loaded."""
    environ = {
        k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS") and k != "ONRECORD_THREADS"
    }
    return _fresh_interpreter(BLAS_CHECK.format(setup=setup), {**environ, **(env or {})})  # type: ignore[no-any-return]


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one CPU: BLAS runs one thread anyway")
def test_extraction_processes_hold_blas_to_onrecord_threads() -> None:
    """The model's products run on numpy's BLAS, which would start a thread per core in each of
    several worker processes; a worker holds it to ``ONRECORD_THREADS`` (1 by default)."""
    worker = "from onrecord.corpus.ingest import _init_worker\n_init_worker('fast', None, True)"
    assert _blas_threads(worker) == [1]
    assert _blas_threads(worker, {"ONRECORD_THREADS": "2"}) == [2]
    # without it, BLAS takes every core: the limit is the worker's doing
    assert _blas_threads("")[0] > 1


def test_a_long_text_is_parsed_a_batch_of_bounded_size_at_a_time() -> None:
    """spaCy holds a whole nlp.pipe batch at once: pieces go in batches of at most BATCH_CHARS
    characters, so a 5 MB text takes the memory of one piece, not of all of them."""
    from onrecord import pipeline as module

    class CountingNlp:
        def __init__(self) -> None:
            self.batches: list[int] = []

        def pipe(self, items: list[tuple[str, object]], *, as_tuples: bool, batch_size: int):  # type: ignore[no-untyped-def]
            assert as_tuples and batch_size == len(items)
            self.batches.append(sum(len(text) for text, _ in items))
            return iter([(text, context) for text, context in items])

    pipeline = module.Pipeline.__new__(module.Pipeline)
    pipeline.nlp = CountingNlp()  # type: ignore[assignment]
    pipeline.batch_size = 64
    pieces = [("x" * 30_000, n) for n in range(10)] + [("y" * 250_000, 10), ("z" * 10, 11)]
    parsed = list(pipeline._parsed(iter(pieces)))
    assert [context for _, context in parsed] == list(range(12))  # every piece, in order
    assert all(size <= module.BATCH_CHARS or size == 250_000 for size in pipeline.nlp.batches)
    assert pipeline.nlp.batches == [90_000, 90_000, 90_000, 30_000, 250_000, 10]


def test_title_abbreviations_stay_whole_and_open_no_sentence() -> None:
    from onrecord.nlp.model import shared_model

    doc = shared_model()("Police spokesman Sgt. Ben Lutz said the road was closed. Carl Dunn Sr. agreed.")
    words = [t.text for t in doc]
    assert "Sgt." in words and "Sr." in words
    assert [s.text for s in doc.sents] == [
        "Police spokesman Sgt. Ben Lutz said the road was closed.",
        "Carl Dunn Sr. agreed.",
    ]
