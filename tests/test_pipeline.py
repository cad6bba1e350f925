"""The pipeline on long texts: pieces cut at paragraph breaks, put back together exactly."""

from __future__ import annotations

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
