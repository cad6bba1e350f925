"""The narrator: an "I" or "we" outside any quotation is the article's author, found from the
page's byline, a byline line, an author's note or a reprint credit (invented articles)."""

from __future__ import annotations

import pytest

from onrecord import extract
from onrecord.ingest import Document
from onrecord.model import Article, Quote
from onrecord.pipeline import Pipeline
from onrecord.resolve.authors import byline_names


def quote_with(article: Article, phrase: str) -> Quote:
    found = [q for q in article.quotes if phrase in q.content_text]
    assert found, [q.content_text for q in article.quotes]
    return found[0]


BODY = (
    "The harbour ferry has run late on most mornings since the timetable changed in March.\n\n"
    "I argued last week that the council should restore the early sailing.\n\n"
    'Commuters agree. "We lose an hour every day," said Tom Reyes, who works at the market.\n\n'
    "The council meets again on Thursday.\n\n"
)


@pytest.mark.parametrize(
    ("text", "author"),
    [
        pytest.param(BODY + "Ana Ruiz is a columnist at the Harbour Gazette.", "Ana Ruiz", id="authors-note"),
        pytest.param(
            "Why the early ferry matters\n\nBy Ana Ruiz\n\n" + BODY + "Letters are welcome.",
            "Ana Ruiz",
            id="byline-line",
        ),
        pytest.param(
            BODY + "From HARBOUR DAYS by Ana Ruiz. Copyright 2025 by Ana Ruiz. Reprinted with permission.",
            "Ana Ruiz",
            id="reprint-credit",
        ),
    ],
)
def test_first_person_outside_quotations_is_the_author(text: str, author: str) -> None:
    article = extract(text, clean=False)
    narrator = quote_with(article, "restore the early sailing")
    assert narrator.speaker is not None and narrator.speaker.name == author
    # the "We" inside a quotation stays with whoever said it
    quoted = quote_with(article, "lose an hour")
    assert quoted.speaker is not None and quoted.speaker.name == "Tom Reyes"
    assert article.bad_spans() == []


def test_the_page_byline_names_the_author_the_text_never_names() -> None:
    document = Document(text=BODY + "Letters are welcome.", author="By Ana Ruiz, Staff Writer")
    article = Pipeline().extract_document(document)
    narrator = quote_with(article, "restore the early sailing")
    assert narrator.speaker is not None and narrator.speaker.name == "Ana Ruiz"
    entity = article.entity(narrator.speaker.entity)
    assert entity is not None and entity.kind == "person"
    assert [m.text for m in entity.mentions] == ["I"]


def test_without_an_author_the_narrator_stays_unresolved() -> None:
    article = extract(BODY + "Letters are welcome.", clean=False)
    assert quote_with(article, "restore the early sailing").speaker is None


def test_two_authors_say_we_together() -> None:
    text = (
        "Co-authored by Ben Lutz.\n\n"
        "We argued last year that the council should restore the early sailing.\n\n"
        "The council meets again on Thursday, and the ferry operator will attend.\n\n"
        "Ana Ruiz is a columnist at the Harbour Gazette. Ben Lutz is a harbour pilot."
    )
    quote = quote_with(extract(text, clean=False), "restore the early sailing")
    assert quote.speaker is not None and quote.speaker.name == "Ana Ruiz and Ben Lutz"
    assert [s.name for s in quote.speakers] == ["Ana Ruiz", "Ben Lutz"]


def test_a_news_report_naming_someone_at_its_end_has_no_author() -> None:
    # "X is ..." at the end of a report about X is not an author's note: X is named in the body
    text = (
        "Mayor Ana Ruiz opened the new pier on Monday.\n\n"
        "I was there when the ribbon was cut, one resident wrote online.\n\n"
        "Ruiz said the pier would bring more visitors.\n\n"
        "The council meets again on Thursday.\n\n"
        "Ruiz is the first mayor to open two piers."
    )
    article = extract(text, clean=False)
    speakers = [
        q.speaker.name for q in article.quotes if q.speaker is not None and q.source and q.source.text == "I"
    ]
    assert "Ana Ruiz" not in speakers


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Ana Ruiz", [["Ana", "Ruiz"]]),
        ("Ana Ruiz and Ben Lutz, Staff Writers", [["Ana", "Ruiz"], ["Ben", "Lutz"]]),
        ("Harbour Gazette staff", []),
    ],
)
def test_byline_names(byline: str, names: list[list[str]]) -> None:
    assert byline_names(byline) == names
