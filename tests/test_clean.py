"""``onrecord.ingest.text``: clutter lines, headline, dateline, and ``clean=False``.

Tables of ``(line, expected)``: each kind of page furniture is dropped, and real sentences that
look a little like it are kept. Known failures are ``xfail(strict=True)``.

Every text here is invented.
"""

from __future__ import annotations

import pytest

from onrecord.ingest import from_string
from onrecord.ingest.text import clean_text, from_text, is_clutter, parse_dateline

BODY = "The harbour board approved a new ferry timetable on Tuesday."

CLUTTER = [
    # radio and TV schedule banners
    pytest.param("Jo Smith 6am - 9am", id="banner"),
    pytest.param("Jo Smith 6am – 9am", id="banner-en-dash"),
    pytest.param("Mark Dunn 10:30pm - 1am", id="banner-minutes"),
    pytest.param("Emily 6AM - 9AM", id="banner-one-name-upper"),
    # audio players
    pytest.param("Listen to this article", id="listen"),
    pytest.param("Listen to the story", id="listen-story"),
    pytest.param("Loading audio...", id="loading-audio"),
    pytest.param("Loading audio", id="loading-audio-bare"),
    pytest.param("Listen now", id="listen-now"),
    # links
    pytest.param("Read more: Ferry fares to rise in spring", id="read-more"),
    pytest.param("Read more | Port strike ends", id="read-more-bar"),
    pytest.param("Related: Port strike ends", id="related"),
    pytest.param("Watch: the new ferry arrives", id="watch"),
    # share prompts
    pytest.param("Share this article", id="share-article"),
    pytest.param("Share on Facebook", id="share-on"),
    pytest.param("Share", id="share"),
    pytest.param("Copy link", id="copy-link"),
    pytest.param("12 comments", id="comment-count"),
    # subscribe prompts
    pytest.param("Subscribe to our newsletter", id="subscribe"),
    pytest.param("Sign up for our morning briefing", id="sign-up"),
    pytest.param("Follow us on Instagram", id="follow-us"),
    pytest.param("Download the app", id="download-app"),
    # other furniture
    pytest.param("Advertisement", id="advertisement"),
    pytest.param("Image caption: The ferry at the east quay", id="image-caption"),
    pytest.param(
        "Related articles",
        id="related-heading",
    ),
]

NOT_CLUTTER = [
    pytest.param("Read the full report before the meeting, she said.", id="starts-with-read"),
    pytest.param("Readers wrote in to complain about the timetable.", id="starts-with-readers"),
    pytest.param("Ferries run 6am - 9am and 4pm - 7pm on weekdays.", id="contains-am-pm"),
    pytest.param("The market opens at 6am - 9am is the busy window.", id="am-pm-in-sentence"),
    pytest.param("Share prices fell on Monday.", id="starts-with-share"),
    pytest.param("Subscribers will pay more from March, the firm said.", id="starts-with-subscribers"),
    pytest.param("Listen to the crews, the union told the board.", id="starts-with-listen-to"),
    pytest.param("Watch the ferry come in every morning.", id="starts-with-watch"),
    pytest.param(BODY, id="plain-sentence"),
    pytest.param(
        "Join us at the harbour on Saturday, the mayor told residents.",
        id="starts-with-join-us",
    ),
    pytest.param(
        "Follow us to the quay, the guide told the group.",
        id="starts-with-follow-us",
    ),
]


@pytest.mark.parametrize("line", CLUTTER)
def test_clutter_line_is_dropped(line: str) -> None:
    assert is_clutter(line)
    cleaned = clean_text(f"{BODY}\n{line}\nThe mayor welcomed the change.")
    assert line.strip() not in cleaned.text.split("\n")
    assert line.strip() in cleaned.dropped
    assert cleaned.text == f"{BODY}\nThe mayor welcomed the change."


@pytest.mark.parametrize("line", NOT_CLUTTER)
def test_real_sentence_is_kept(line: str) -> None:
    assert not is_clutter(line)
    cleaned = clean_text(f"{BODY}\n{line}")
    assert cleaned.text == f"{BODY}\n{line}"
    assert cleaned.dropped == []


def test_every_kind_dropped_from_one_page() -> None:
    raw = (
        "Jo Smith 6am - 9am\n"
        "Listen to this article\n"
        "Loading audio...\n"
        "Ferry timetable approved by harbour board\n"
        "March 3, 2025\n"
        f"{BODY}\n"
        "Read more: Port strike ends\n"
        "\n"
        "“It will halve waiting times,” said board chair Elena Duarte.\n"
        "Share this article\n"
        "Subscribe to our newsletter\n"
    )
    cleaned = clean_text(raw)
    assert cleaned.title == "Ferry timetable approved by harbour board"
    assert cleaned.published == "2025-03-03"
    assert cleaned.text == f"{BODY}\n“It will halve waiting times,” said board chair Elena Duarte."
    assert cleaned.dropped == [
        "Jo Smith 6am - 9am",
        "Listen to this article",
        "Loading audio...",
        "March 3, 2025",
        "Read more: Port strike ends",
        "Share this article",
        "Subscribe to our newsletter",
    ]


# --- title -------------------------------------------------------------------------------------

TITLES = [
    pytest.param(
        "Ferry timetable approved by council\n\n" + BODY, "Ferry timetable approved by council", id="headline"
    ),
    pytest.param(
        "Ferry timetable approved\n12 January 2025, 13:30\n" + BODY,
        "Ferry timetable approved",
        id="headline-dateline",
    ),
    pytest.param("Ferry timetable approved\r\n\r\n" + BODY + "\r\n", "Ferry timetable approved", id="crlf"),
    pytest.param(
        "“Not a single late ferry,” says harbour chief\n" + BODY,
        "“Not a single late ferry,” says harbour chief",
        id="quoted-headline",
    ),
    pytest.param(
        "2025 fares frozen for island residents\n" + BODY,
        "2025 fares frozen for island residents",
        id="starts-with-digit",
    ),
    # not headline-like: the first line stays in the text
    pytest.param(BODY + "\nThe mayor welcomed it.", None, id="first-line-is-a-sentence"),
    pytest.param("Ferry timetable approved by the council.\n" + BODY, None, id="ends-with-period"),
    pytest.param("ferry timetable approved today\n" + BODY, None, id="lower-case"),
    pytest.param("Ferries\n" + BODY, None, id="one-word"),
    pytest.param("Ferry timetable approved by council", None, id="only-line"),
    pytest.param(" ".join(["Ferry"] * 31) + "\n" + BODY, None, id="too-many-words"),
]


@pytest.mark.parametrize("raw, title", TITLES)
def test_title_from_first_line_only_when_headline_like(raw: str, title: str | None) -> None:
    cleaned = clean_text(raw)
    assert cleaned.title == title
    first = raw.replace("\r\n", "\n").split("\n")[0].strip()
    if title is None:
        assert cleaned.text.split("\n")[0] == first
    else:
        assert title not in cleaned.text.split("\n")


def test_title_is_never_a_later_line() -> None:
    raw = BODY + "\nFerry timetable approved by council\nThe mayor welcomed it."
    assert clean_text(raw).title is None


# --- datelines ---------------------------------------------------------------------------------

DATELINES = [
    pytest.param("12 January 2025, 13:30", "2025-01-12T13:30:00", id="day-month-year-time"),
    pytest.param("March 3, 2025", "2025-03-03", id="month-day-year"),
    pytest.param("March 3 2025", "2025-03-03", id="month-day-year-no-comma"),
    pytest.param("2025-01-12", "2025-01-12", id="iso-date"),
    pytest.param("2025-01-12T09:15:00Z", "2025-01-12T09:15:00", id="iso-datetime"),
    pytest.param("2025-01-12 09:15", "2025-01-12T09:15:00", id="iso-space-time"),
    pytest.param("Published: 12 January 2025", "2025-01-12", id="published-prefix"),
    pytest.param("Monday 12 January 2025 13:30 GMT", "2025-01-12T13:30:00", id="weekday-zone"),
    pytest.param("Tuesday, 4 March 2025", "2025-03-04", id="weekday-comma"),
    pytest.param("12th Jan 2025", "2025-01-12", id="ordinal-short-month"),
    pytest.param("Updated March 3, 2025 at 4:05 p.m. ET", "2025-03-03T16:05:00", id="updated-pm"),
    pytest.param("3 March 2025 12:15am", "2025-03-03T00:15:00", id="twelve-am"),
    pytest.param("3 March 2025 12:15pm", "2025-03-03T12:15:00", id="twelve-pm"),
    # negatives
    pytest.param("31 February 2025", None, id="no-such-day"),
    pytest.param("In March 3, 2025 the council met", None, id="sentence-with-date"),
    pytest.param("The board met on 12 January 2025.", None, id="sentence-ending-in-date"),
    pytest.param("2025", None, id="year-only"),
    pytest.param(BODY, None, id="plain-sentence"),
]


@pytest.mark.parametrize("line, iso", DATELINES)
def test_parse_dateline(line: str, iso: str | None) -> None:
    assert parse_dateline(line) == iso


@pytest.mark.parametrize(
    "raw, published",
    [
        pytest.param("12 January 2025, 13:30\n" + BODY, "2025-01-12T13:30:00", id="first-line"),
        pytest.param("Ferry timetable approved\nMarch 3, 2025\n" + BODY, "2025-03-03", id="after-title"),
        pytest.param(
            "Ferry timetable approved\nBy Jo Miles\n2025-01-12\n" + BODY, "2025-01-12", id="after-byline"
        ),
    ],
)
def test_dateline_taken_as_published(raw: str, published: str) -> None:
    cleaned = clean_text(raw)
    assert cleaned.published == published
    assert not any(parse_dateline(line) for line in cleaned.text.split("\n"))


def test_only_the_first_dateline_is_taken() -> None:
    raw = "March 3, 2025\n" + BODY + "\nMarch 4, 2025\nThe mayor welcomed it."
    cleaned = clean_text(raw)
    assert cleaned.published == "2025-03-03"
    assert "March 4, 2025" in cleaned.text.split("\n")


def test_date_deep_in_the_article_is_not_a_dateline() -> None:
    lines = [f"Paragraph {i} of the ferry story goes here." for i in range(5)]
    raw = "\n".join([*lines, "12 January 2025", "The end."])
    cleaned = clean_text(raw)
    assert cleaned.published is None
    assert "12 January 2025" in cleaned.text


# --- clean=False ---------------------------------------------------------------------------------

RAW_PAGES = [
    pytest.param(
        "Jo Smith 6am - 9am\nListen to this article\nFerry timetable approved\nMarch 3, 2025\n\n"
        + BODY
        + "\nRead more: Port strike ends\nShare this article\n",
        id="clutter-title-dateline",
    ),
    pytest.param(
        "  Indented first line\r\n\r\n\tTabbed second\r\ntrailing spaces   \n\n\n", id="whitespace-and-crlf"
    ),
    pytest.param(
        "“Curly,” ‘single’ and ''wire'' — with a dash…\u00a0and a no-break space", id="unicode-punctuation"
    ),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize("raw", RAW_PAGES)
def test_clean_false_keeps_text_byte_for_byte(raw: str) -> None:
    document = from_text(raw, clean=False)
    assert document.text == raw
    assert document.text.encode("utf-8") == raw.encode("utf-8")
    assert document.title is None and document.published is None
    assert from_string(raw, clean=False).text == raw


def test_clean_true_changes_the_cluttered_page() -> None:
    raw = "Jo Smith 6am - 9am\nFerry timetable approved\nMarch 3, 2025\n\n" + BODY + "\nShare this article\n"
    document = from_text(raw, clean=True, source_path="ferry.txt", url="https://example.org/ferry")
    assert document.text == BODY
    assert document.title == "Ferry timetable approved"
    assert document.published == "2025-03-03"
    assert document.source_path == "ferry.txt"
    assert document.url == "https://example.org/ferry"


def test_clean_joins_paragraphs_with_single_newlines() -> None:
    raw = f"  {BODY}  \n\n\n   The mayor welcomed it.\r\n\r\nShe said it was overdue.  "
    assert clean_text(raw).text == f"{BODY}\nThe mayor welcomed it.\nShe said it was overdue."


@pytest.mark.parametrize(
    ("line", "clutter"),
    [
        ("This article is exclusive to Harbour Times subscribers.", True),
        ("Already a subscriber? Log in", True),
        ("Sign in to continue reading", True),
        ("To continue reading, please subscribe or log in.", True),
        ("You have reached your free article limit this month.", True),
        ("Ana Ortiz said the vote is exclusive to members of the board, who met on Monday.", False),
        ("Subscribers to the ferry pass will pay less, Ana Ortiz said.", False),
        ("Register to vote by Friday, the council said.", False),
    ],
)
def test_paywall_prompts_are_clutter(line: str, clutter: bool) -> None:
    from onrecord.ingest.text import is_clutter

    assert is_clutter(line) is clutter
