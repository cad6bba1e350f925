"""``onrecord.ingest.html``: body, title, date, author and outlet from hand-written HTML pages."""

from __future__ import annotations

import pytest

from onrecord.errors import InputError
from onrecord.ingest import Document, from_string
from onrecord.ingest.html import clean_title, from_html, strip_site_name

PARAGRAPHS = [
    (
        "The harbour board voted on Tuesday to close the old ferry terminal by the end of the year, "
        "ending more than a century of crossings from the east quay."
    ),
    (
        '"We did not take this decision lightly," said Marta Oyelaran, who chairs the board. '
        '"The pier is no longer safe and the repairs would cost more than a new terminal."'
    ),
    (
        "Residents of the island said they were worried about the longer journey through the city "
        "and asked the board to keep a smaller boat running on weekday mornings."
    ),
    (
        "The board will publish its plans for the new terminal in the spring, after a consultation "
        "with the island council and the two ferry operators."
    ),
]


def page(
    *,
    title: str = "Harbour board votes to close ferry terminal | The Coastal Courier",
    og_title: str | None = None,
    h1: str | None = "Harbour board votes to close ferry terminal",
    paragraphs: list[str] = PARAGRAPHS,
    head_extra: str = "",
) -> str:
    og = f'<meta property="og:title" content="{og_title}">' if og_title else ""
    headline = f"<h1>{h1}</h1>" if h1 else ""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>{title}</title>
{og}
<meta property="og:site_name" content="The Coastal Courier">
<meta name="author" content="Jonas Whitcombe">
<meta property="article:published_time" content="2024-03-05T09:30:00+00:00">
<link rel="canonical" href="https://www.coastalcourier.example/news/ferry-terminal">
{head_extra}
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
{headline}
{body}
</article>
<footer><p>Copyright 2024 The Coastal Courier. All rights reserved.</p></footer>
</body></html>"""


def test_from_html_metadata_and_body() -> None:
    doc = from_html(page(), source_path="ferry.html")
    assert isinstance(doc, Document)
    assert doc.title == "Harbour board votes to close ferry terminal"
    assert doc.published == "2024-03-05"
    assert doc.author == "Jonas Whitcombe"
    assert doc.outlet == "The Coastal Courier"
    assert doc.url == "https://www.coastalcourier.example/news/ferry-terminal"
    assert doc.source_path == "ferry.html"
    # one paragraph per line, page furniture left out
    assert doc.text.split("\n") == PARAGRAPHS
    assert "Copyright" not in doc.text
    assert "Sport" not in doc.text


def test_from_html_bytes_and_given_url() -> None:
    doc = from_html(page().encode("utf-8"), url="https://mirror.example/ferry")
    assert doc.url == "https://mirror.example/ferry"
    assert doc.text.startswith("The harbour board voted")


def test_from_string_routes_html() -> None:
    doc = from_string(page(), source_path="x")
    assert doc.title == "Harbour board votes to close ferry terminal"


def test_visible_headline_preferred_over_social_title() -> None:
    html = page(
        title="Ferry terminal to shut | The Coastal Courier",
        og_title="Ferry terminal to shut after board vote",
        h1="Harbour board votes to close ferry terminal",
    )
    assert from_html(html).title == "Harbour board votes to close ferry terminal"


def test_logo_h1_is_not_the_headline() -> None:
    html = page(
        title="Harbour board votes to close ferry terminal - The Coastal Courier", h1="The Coastal Courier"
    )
    assert from_html(html).title == "Harbour board votes to close ferry terminal"


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "<html><head><title>Nothing here</title></head><body></body></html>",
        "<html><body><script>var page = 1;</script><div><img src='a.png'></div></body></html>",
    ],
)
def test_no_body_is_e014(html: str) -> None:
    with pytest.raises(InputError, match=r"\[E014\] empty\.html: HTML with no extractable body text"):
        from_html(html, source_path="empty.html")


def test_no_body_names_the_url_without_a_path() -> None:
    with pytest.raises(InputError, match=r"\[E014\] https://example\.org/x"):
        from_html("<html><body></body></html>", url="https://example.org/x")


SITE = "The Coastal Courier"
URL = "https://www.coastalcourier.example/news/a"


@pytest.mark.parametrize(
    ("title", "sitename", "url", "expected"),
    [
        # site name after a separator
        ("Board votes to close terminal | The Coastal Courier", SITE, None, "Board votes to close terminal"),
        ("Board votes to close terminal - The Coastal Courier", SITE, None, "Board votes to close terminal"),
        ("Board votes to close terminal — The Coastal Courier", SITE, None, "Board votes to close terminal"),
        ("Board votes to close terminal – Coastal Courier", SITE, None, "Board votes to close terminal"),
        ("Board votes to close terminal: The Coastal Courier", SITE, None, "Board votes to close terminal"),
        ("Board votes to close terminal • Coastal Courier", SITE, None, "Board votes to close terminal"),
        # the domain instead of the site name
        (
            "Board votes to close terminal - coastalcourier.example",
            None,
            URL,
            "Board votes to close terminal",
        ),
        ("Board votes to close terminal | CoastalCourier", None, URL, "Board votes to close terminal"),
        # section and site, site first, site name with its own separator
        (
            "Board votes to close terminal | News | The Coastal Courier",
            SITE,
            None,
            "Board votes to close terminal",
        ),
        ("The Coastal Courier | Board votes to close terminal", SITE, None, "Board votes to close terminal"),
        (
            "Board votes to close terminal | Courier | Since 1901",
            "Courier | Since 1901",
            None,
            "Board votes to close terminal",
        ),
        # a short segment after a strong separator, a trailing ornament, extra spaces
        ("Board votes to close terminal | Opinion", None, None, "Board votes to close terminal"),
        ("Board votes to close terminal ⋆", None, None, "Board votes to close terminal"),
        (
            "  Board votes   to close terminal  |  The Coastal Courier ",
            SITE,
            None,
            "Board votes to close terminal",
        ),
        # negative cases: real titles with dashes and colons stay whole
        ("Spider-Man returns to the Coastal cinema", SITE, None, "Spider-Man returns to the Coastal cinema"),
        (
            "How to replace brake pads – From a certified mechanic",
            SITE,
            None,
            "How to replace brake pads – From a certified mechanic",
        ),
        ("Plant-based diets – tips and tricks", SITE, None, "Plant-based diets – tips and tricks"),
        ("Election night - Live", SITE, None, "Election night - Live"),
        ("Top 10: Best ferry routes in Europe", SITE, None, "Top 10: Best ferry routes in Europe"),
        ("Tesla: sales fall in Europe", None, "https://www.tesla.com/blog/x", "Tesla: sales fall in Europe"),
        (
            "Budget 2025 | Explained in six charts by our data team",
            SITE,
            None,
            "Budget 2025 | Explained in six charts by our data team",
        ),
        (
            "Cleaner homes: Latest trends with Coastal Courier",
            SITE,
            None,
            "Cleaner homes: Latest trends with Coastal Courier",
        ),
        # nothing is left but the site name: keep the title
        ("The Coastal Courier", SITE, None, "The Coastal Courier"),
        ("News | The Coastal Courier", SITE, None, "News | The Coastal Courier"),
    ],
)
def test_strip_site_name(title: str, sitename: str | None, url: str | None, expected: str) -> None:
    assert strip_site_name(title, sitename=sitename, url=url) == expected


@pytest.mark.parametrize(
    ("title", "headlines", "expected"),
    [
        # the headline confirms the stripped title: keep the title's spelling
        (
            "Board Votes To Close Terminal | The Coastal Courier",
            ["Board votes to close terminal"],
            "Board Votes To Close Terminal",
        ),
        # the headline is a leading part of the title
        ("Ferry tools - Timetable spreadsheet - The Coastal Courier", ["Ferry tools"], "Ferry tools"),
        # the visible headline differs from the social title about the same story
        (
            "Terminal to shut after vote | The Coastal Courier",
            ["Harbour board votes to shut the terminal"],
            "Harbour board votes to shut the terminal",
        ),
        # headlines that are not about the story are ignored
        (
            "Board votes to close terminal | The Coastal Courier",
            ["The Coastal Courier"],
            "Board votes to close terminal",
        ),
        (
            "Board votes to close terminal | The Coastal Courier",
            ["Latest news"],
            "Board votes to close terminal",
        ),
        ("Board votes to close terminal | The Coastal Courier", ["Pulse!"], "Board votes to close terminal"),
        (
            "Board votes to close terminal | The Coastal Courier",
            ["BOARD VOTES ON TERMINAL"],
            "Board votes to close terminal",
        ),
        # no headline at all
        ("Board votes to close terminal | The Coastal Courier", [], "Board votes to close terminal"),
        # the headline's own section suffix goes too
        (
            "Board votes to close terminal",
            ["Board votes to close terminal | Opinion"],
            "Board votes to close terminal",
        ),
    ],
)
def test_clean_title(title: str, headlines: list[str], expected: str) -> None:
    assert clean_title(title, sitename=SITE, headlines=headlines) == expected


def test_a_button_inside_a_paragraph_keeps_its_words() -> None:
    # a name that opens a side note is a button in the sentence; a toolbar button is not text
    filler = "".join(
        f"<p>The harbour board met on day {n} to weigh the ferry timetable again.</p>" for n in range(6)
    )
    page = (
        "<html><head><title>Ferry plan</title></head><body><nav><button>Menu</button></nav><article>"
        '<p>\u201cThe bridge can wait,\u201d said harbour professor <button class="sidenote-button" '
        'title="Ana Ortiz,">Ana Ortiz,</button> the director of the Tide Institute.</p>'
        f"{filler}</article></body></html>"
    )
    document = from_html(page)
    assert "said harbour professor Ana Ortiz, the director of the Tide Institute." in document.text
    assert "Menu" not in document.text


@pytest.mark.parametrize("depth", [250, 1000])
def test_a_page_nested_a_thousand_levels_deep_keeps_its_text(depth: int) -> None:
    """libxml2 stops at 255 levels unless told huge_tree: everything below was lost (E014)."""
    paragraphs = (
        "<p>Ana Ortiz said the harbour ferry toll would rise in the spring, and the board agreed "
        "with her plan after a long meeting on Monday.</p><p>Ben Lutz said he would oppose the toll "
        "at every meeting of the council this year.</p>"
    )
    html = f"<html><head><title>Toll rise</title></head><body>{'<div>' * depth}{paragraphs}{'</div>' * depth}</body></html>"
    document = from_html(html)
    assert "ferry toll would rise" in document.text and "Ben Lutz said" in document.text


def test_paywall_and_sign_in_prompts_are_not_article_text() -> None:
    page = """<html><head><title>Toll to rise | Harbour Times</title>
    <meta name="author" content="Ana Ortiz, Trending Editor"></head><body><article>
    <h1>Toll to rise</h1>
    <p>The harbour board said on Monday that the ferry toll would rise by a fifth in the spring, after a year of losses on the island routes.</p>
    <p>This article is exclusive to Harbour Times subscribers.</p>
    <p>Already a subscriber? Log in</p>
    <p>Subscribe now to keep reading and get access to the full archive.</p>
    <p>Ben Lutz, who chairs the board, said the rise was the only way to keep the winter timetable, and that members of the board had agreed.</p>
    <p>Log in</p>
    </article></body></html>"""
    document = from_html(page)
    assert "subscriber" not in document.text.lower() and "log in" not in document.text.lower()
    assert "ferry toll would rise" in document.text and "Ben Lutz, who chairs the board" in document.text
    assert document.author == "Ana Ortiz"


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Ana Ortiz, Trending Editor", "Ana Ortiz"),
        ("By Ben Lutz | Senior Reporter", "Ben Lutz"),
        ("Ana Ortiz - Health Reporter", "Ana Ortiz"),
        ("Ana Ortiz, Ben Lutz", "Ana Ortiz; Ben Lutz"),
        ("Ana Ortiz; Ben Lutz, Staff Writer", "Ana Ortiz; Ben Lutz"),
        ("Mary Ann Delgado", "Mary Ann Delgado"),
        ("Staff Writer", None),
        ("Www Harbourferries Com; Ana Ortiz", "Ana Ortiz"),
        ("https://www.harbourferries.com/ana", None),
    ],
)
def test_an_author_is_a_name_without_its_job_title(byline: str, names: str | None) -> None:
    from onrecord.ingest.html import clean_author

    assert clean_author(byline) == names
