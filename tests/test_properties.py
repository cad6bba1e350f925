"""Property tests (hypothesis): nothing raises on odd input, and every span slices back to its text.

``extract(text, clean=False)`` is run on arbitrary Unicode, on text full of stray quotation
marks of every kind, on one long paragraph (about 20,000 characters) and on many short lines;
for each, ``article.bad_spans() == []``: every quotation role and entity mention satisfies
``article.text[s.start:s.end] == s.text``. ``find_quotes`` and ``clean_text`` are checked on the
same inputs. Example counts are kept small (the model parses every example) so the file runs
in well under a minute on two cores.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

import onrecord
from onrecord.attribution.quotes import ALL_MARKS, find_quotes
from onrecord.ingest import looks_like_html
from onrecord.ingest.text import clean_text
from onrecord.model import Article
from onrecord.nlp.model import shared_model

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MODEL = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# spaCy alone takes 2-5 s to parse 20,000 characters on one core, so only a few long examples
LONG = settings(
    max_examples=3,
    deadline=None,
    phases=[Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

MARKS = [*ALL_MARKS, "''", "``", "‚", "‛", "‟", "〝", "〞", "＂", "‹", "›"]
WORDS = [
    "the",
    "ferry",
    "will",
    "run",
    "said",
    "told",
    "reporters",
    "Elena",
    "Duarte",
    "Mr",
    "Ms",
    "Okafor",
    "she",
    "he",
    "council",
    "according",
    "to",
    "that",
    "adding",
    "in",
    "a",
    "statement",
    "don't",
    "girls'",
    "Musk’s",
    "so-called",
    "wrote",
    "on",
    "Facebook",
    "letter",
    "It",
    "seems",
    "Radio",
    "Kent",
]
PUNCT = [".", ",", ":", ";", "—", "-", "(", ")", "!", "?", "…", "\n", "\n\n", " ", "\t", "\u00a0", "\u200b"]

marks_text = st.lists(
    st.one_of(st.sampled_from(MARKS), st.sampled_from(WORDS), st.sampled_from(PUNCT)),
    max_size=120,
).map(" ".join)
spaced_marks = st.lists(
    st.one_of(st.sampled_from(MARKS), st.sampled_from(PUNCT), st.sampled_from(WORDS)), max_size=200
).map("".join)
unicode_text = st.text(max_size=400)
short_lines = st.lists(st.text(max_size=12), min_size=20, max_size=300).map("\n".join)


def _long_paragraph(pieces: list[str]) -> str:
    unit = " ".join(pieces) + " "
    text = (unit * (20_000 // max(len(unit), 1) + 1))[:20_000]
    return text.replace("\n", " ")


# every piece holds a word, with marks and punctuation glued on ("“ferry,"), so that 20,000
# characters stay near 5,000 tokens: spaCy's parse time grows with the token count
_piece = st.tuples(
    st.sampled_from(["", *MARKS]),
    st.sampled_from([w for w in WORDS if len(w) >= 4]),
    st.sampled_from(["", *MARKS, *PUNCT[:7]]),
).map("".join)
long_paragraph = st.lists(_piece, min_size=5, max_size=60).map(_long_paragraph)


def _extract(text: str) -> Article:
    assume(not looks_like_html(text))  # HTML goes through trafilatura, which rewrites the text
    return onrecord.extract(text, clean=False)


def _check_article(text: str, article: Article) -> None:
    assert article.text == text
    assert article.bad_spans() == []
    ids = {e.id for e in article.entities}
    assert len(ids) == len(article.entities)
    for quote in article.quotes:
        assert quote.content, quote
        assert quote.type in ("direct", "mixed", "indirect")
        assert 0.0 <= quote.confidence <= 1.0
        for span in quote.spans():
            assert 0 <= span.start <= span.end <= len(text)
        if quote.speaker is not None:
            assert quote.speaker.entity in ids
    for entity in article.entities:
        for mention in entity.mentions:
            assert 0 <= mention.start <= mention.end <= len(text)


def _check_quotes(text: str) -> None:
    found = find_quotes(text)
    assert [q.start for q in found] == sorted(q.start for q in found)
    for q in found:
        assert 0 <= q.start <= q.inner_start <= q.inner_end <= q.end <= len(text)
        assert text[q.start] in ALL_MARKS
        assert not (q.continues and (q.closed or q.single))
    for a, b in itertools.combinations(found, 2):
        # disjoint, or nested (‘outer “inner” outer’), never crossing
        disjoint = a.end <= b.start or b.end <= a.start
        nested = (a.start <= b.start and b.end <= a.end) or (b.start <= a.start and a.end <= b.end)
        assert disjoint or nested, (a, b)


def _check_clean(text: str) -> None:
    cleaned = clean_text(text)
    assert isinstance(cleaned.text, str)
    lines = cleaned.text.split("\n") if cleaned.text else []
    assert all(line and line == line.strip() for line in lines)
    assert cleaned.title is None or cleaned.title == cleaned.title.strip()
    for line in lines + cleaned.dropped + ([cleaned.title] if cleaned.title else []):
        assert line in text.replace("\r\n", "\n").replace("\r", "\n")


def setup_module() -> None:
    shared_model()


# --- find_quotes and clean_text: pure functions, many examples ---------------------------------


@FAST
@given(unicode_text)
def test_find_quotes_on_unicode(text: str) -> None:
    _check_quotes(text)


@FAST
@given(st.one_of(marks_text, spaced_marks))
def test_find_quotes_on_stray_marks(text: str) -> None:
    _check_quotes(text)


@settings(max_examples=20, deadline=None)
@given(long_paragraph)
def test_find_quotes_on_a_long_paragraph(text: str) -> None:
    _check_quotes(text)


@FAST
@given(st.one_of(unicode_text, marks_text, short_lines))
def test_clean_text_never_raises(text: str) -> None:
    _check_clean(text)


# --- extract: the model parses every example ------------------------------------------------------


@MODEL
@given(unicode_text)
def test_extract_on_unicode(text: str) -> None:
    _check_article(text, _extract(text))


@MODEL
@given(st.one_of(marks_text, spaced_marks))
def test_extract_on_stray_marks(text: str) -> None:
    _check_article(text, _extract(text))


@LONG
@given(long_paragraph)
def test_extract_on_a_long_paragraph(text: str) -> None:
    assert len(text) == 20_000
    _check_article(text, _extract(text))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(short_lines)
def test_extract_on_many_short_lines(text: str) -> None:
    _check_article(text, _extract(text))


# --- fixed odd inputs, so that a failure here is reproducible without hypothesis ----------------

ODD = [
    pytest.param("", id="empty"),
    pytest.param(" ", id="space"),
    pytest.param("\n\n\n", id="newlines"),
    pytest.param("\u200b\u200b", id="zero-width-spaces"),
    pytest.param('"' * 50, id="fifty-straight-double-quotes"),
    pytest.param("“" * 30 + "”" * 30, id="thirty-curly-pairs"),
    pytest.param("'" * 40, id="forty-straight-single-quotes"),
    pytest.param("'" * 6, id="six-straight-single-quotes"),
    pytest.param("“He said ‘she said “they said ‘no’ ” ’ ”", id="nested-quotes"),
    pytest.param("“unclosed\n“still\n“and again", id="unclosed-paragraphs"),
    pytest.param("\r\n“Crlf,” she said.\r\n", id="crlf"),
    pytest.param("Elena Duarte said: “" + "very " * 400 + "long.”", id="long-quotation"),
    pytest.param("\ufeffMs Duarte said “yes”.", id="byte-order-mark"),
    pytest.param("Ms Duarte said “yes”.\u2028Mr Okafor said “no”.", id="line-separator"),
    pytest.param("Ms Duarte 🙂 said “the ferry 🚢 is late”.", id="emoji"),
    pytest.param("Ms Duarte said “e\u0301te\u0301” twice.", id="combining-accents"),
]


@pytest.mark.parametrize("text", ODD)
def test_odd_inputs(text: str) -> None:
    _check_quotes(text)
    _check_clean(text)
    _check_article(text, onrecord.extract(text, clean=False))
