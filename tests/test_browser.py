"""End-to-end tests in a real browser: Playwright driving Debian's Chromium (/usr/bin/chromium).

The browser is never downloaded. Without Chromium the tests skip, unless
``ONRECORD_REQUIRE_BROWSER=1`` (CI), where they fail. Screenshots go to ``$ONRECORD_ARTIFACTS``
where it is set (``.ci/run`` sets ``artifacts/browser/``), else to pytest's temporary folder
(``/tmp/pytest-of-$USER/pytest-N/screenshots0``): a run writes nothing into the checkout.
"""

from __future__ import annotations

import csv
import io
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from shared_data import need_data
from test_serve import XSS, build_corpus, build_diversity_corpus

CHROMIUM = os.environ.get("ONRECORD_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not Path(CHROMIUM).exists():
    if os.environ.get("ONRECORD_REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"ONRECORD_REQUIRE_BROWSER=1 but there is no Chromium at {CHROMIUM}")
    pytest.skip(f"no Chromium at {CHROMIUM} (apt install chromium)", allow_module_level=True)

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

pytestmark = pytest.mark.slow


class Server:
    """``create_app`` served by uvicorn on a free loopback port, in a thread."""

    def __init__(self, db: str, **options: str) -> None:
        import uvicorn

        from onrecord.serve import create_app

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        config = uvicorn.Config(
            create_app(db, **options), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield opened
    context.close()
    assert dialogs == [], f"a script ran: {dialogs}"


def assert_fits(page: Page, what: str) -> None:
    """The page is no wider than the window (nothing to scroll sideways)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} is wider than the {what} by {overflow}px"


#: The screenshots' folder, set by the ``screenshots`` fixture before the first test.
SHOTS: Path | None = None


@pytest.fixture(scope="module", autouse=True)
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    global SHOTS
    given = os.environ.get("ONRECORD_ARTIFACTS")
    SHOTS = Path(given) if given else tmp_path_factory.mktemp("screenshots")
    return SHOTS


def shot(page: Page, name: str) -> None:
    assert SHOTS is not None, "the screenshots fixture sets the folder"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("browser") / "c.db")
    build_corpus(path)
    return path


def test_search_then_speaker_then_article(page: Page, corpus: str) -> None:
    with Server(corpus, mode="fast") as base:
        page.goto(f"{base}/search")
        page.fill("header input[name=q]", '"winter ferries"')
        page.press("header input[name=q]", "Enter")
        page.wait_for_selector("ol.results li.result")
        assert page.locator("ol.results li.result").count() == 2
        assert page.locator("ol.results mark").first.inner_text().lower() == "winter ferries"
        shot(page, "1-search")
        page.locator("ol.results .who a", has_text="Ann Lee").first.click()
        page.wait_for_selector("h1")
        assert page.locator("h1").inner_text() == "Ann Lee"
        assert page.locator("svg.chart rect").count() >= 1  # the timeline chart
        shot(page, "2-speaker")
        page.locator("ol.results a", has_text="Ferry budget row").first.click()
        page.wait_for_selector("#article-text")
        highlighted = page.locator("#article-text .q[tabindex]").first
        highlighted.hover()
        tip = page.locator("#article-text .tip").first
        assert tip.is_visible() and "Ann Lee" in tip.inner_text()
        shot(page, "3-article")


def test_article_text_cannot_run(page: Page, corpus: str) -> None:
    with Server(corpus, mode="fast") as base:
        for path in ["/articles/b1", "/search?q=bridge", "/quotes/b1:q2"]:
            page.goto(base + path)
            assert page.locator("img[src=x]").count() == 0
            assert XSS.split(">")[0] in page.locator("main").inner_text()  # shown as text
        shot(page, "4-xss-inert")


def test_phone_width(browser: Browser, corpus: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    with Server(corpus, mode="fast") as base:
        for name, path in [
            ("search", "/search?q=ferries"),
            ("article", "/articles/a1"),
            ("speakers", "/speakers"),
        ]:
            page.goto(base + path)
            assert_fits(page, "phone")
            shot(page, f"5-phone-{name}")
    context.close()


def test_paste_the_seed_into_extract(page: Page, tmp_path: Path) -> None:
    from onrecord.evaluate.metrics import jaccard, names_match, words
    from onrecord.evaluate.seed import read_seed

    gold = read_seed(need_data("seed"))[0]
    text = gold.text_path.read_text(encoding="utf-8")
    from onrecord.store import open_store

    db = str(tmp_path / "empty.db")
    open_store(db).close()
    with Server(db) as base:
        page.goto(f"{base}/extract")
        page.fill("textarea#text", text)
        page.click("#extract-submit")
        page.wait_for_selector("#quotations", timeout=60_000)
        shot(page, "6-extract-seed")
        items = page.locator("#quotations li.quotation")
        shown = [
            (items.nth(i).get_attribute("data-speaker") or "", items.nth(i).locator(".content").inner_text())
            for i in range(items.count())
        ]
        tips = [t.inner_text() for t in page.locator("#article-text .tip-speaker").all()]
    found = 0
    used: set[int] = set()
    for quote in gold.required:
        best, score = None, 0.5
        for index, (_speaker, content) in enumerate(shown):
            overlap = jaccard(set(words(content)), set(words(quote["content"])))
            if index not in used and overlap >= score:
                best, score = index, overlap
        assert best is not None, f"not highlighted: {quote['content'][:60]}"
        used.add(best)
        assert names_match(shown[best][0], quote["speaker"]), (shown[best][0], quote["speaker"])
        assert shown[best][0] in tips  # highlighted in the text with that speaker on its tooltip
        found += 1
    assert found == len(gold.required) == 16


def test_stance_page_shows_the_two_sides(browser: Browser, tmp_path: Path) -> None:
    """Ask the stance page a topic through its form; see each side with its speakers and the
    chart, also at phone width."""
    from onrecord.corpus.consolidate import consolidate
    from onrecord.ingest import from_string
    from onrecord.pipeline import Pipeline
    from onrecord.store import open_store

    text = (
        "Senator Maria Lopez praised Governor Tom Becker on Monday. "
        "Lopez also called for a new inquiry into the floods. "
        '"We do not need another inquiry," Becker said.'
    )
    article = Pipeline(mode="fast").extract_document(from_string(text, clean=False, source_path="floods.txt"))
    article.published = "2025-03-04"
    path = str(tmp_path / "stance.db")
    with open_store(path) as store:
        store.put_article("floods.txt", "f1", article, "test")
        consolidate(store)
    for width, name in ((1200, "6-stance"), (375, "6-stance-phone")):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        with Server(path, mode="fast") as base:
            page.goto(f"{base}/stance")
            page.fill("#topic", "inquiry into the floods")
            page.press("#topic", "Enter")
            page.wait_for_selector("section.side-for li")
            assert "Maria Lopez" in page.locator("section.side-for").inner_text()
            assert "Tom Becker" in page.locator("section.side-against").inner_text()
            assert page.locator("svg.stance-chart rect.for").count() == 1
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"the stance page is wider than the window by {overflow}px"
            shot(page, name)
        context.close()


class OtherSite:
    """A page on another origin (another loopback port, named by another host name) whose form
    posts to the onrecord server: what a site the journalist visits could do."""

    def __init__(self, target: str) -> None:
        import http.server

        form = (
            f'<form id="f" method="post" action="{target}/api/extract" enctype="text/plain">'
            '<input name=\'{"text": "Ms Lee said the toll must go.", "x": "\' value=\'"}\'>'
            '<button id="go" type="submit">go</button></form>'
            f'<form id="g" method="post" action="{target}/extract">'
            '<input name="text" value="Ms Lee said the toll must go.">'
            '<button id="go2" type="submit">go</button></form>'
        ).encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(form)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        return f"http://localhost:{self.server.server_address[1]}"

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()


def test_a_form_on_another_site_cannot_make_the_server_extract(page: Page, corpus: str) -> None:
    """Cross-site request forgery against a loopback server: a form on another origin posting
    JSON-looking text/plain to /api/extract, and an ordinary form to the /extract page."""
    with Server(corpus, mode="fast") as base, OtherSite(base) as other:
        page.goto(f"{other}/")
        page.click("#go")
        page.wait_for_load_state()
        assert "E065" in page.content() and "tip-speaker" not in page.content()
        page.goto(f"{other}/")
        page.click("#go2")
        page.wait_for_load_state()
        assert "E065" in page.content() and "tip-speaker" not in page.content()
        shot(page, "7-cross-site-refused")
        # the server's own page still extracts
        page.goto(f"{base}/extract")
        page.fill(
            "textarea#text",
            'Ms Lee told reporters: "We will win the vote on Tuesday, whatever the polls say."',
        )
        page.click("#extract-submit")
        page.wait_for_selector("#quotations", timeout=60_000)


@pytest.fixture(scope="module")
def journalist_corpus(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A corpus where a name is searched for: short quotations and an unnamed source that name
    Reyes, and real quotations of people speaking about him, in two outlets over two months."""
    from store_fixtures import make_article

    from onrecord.corpus.consolidate import consolidate
    from onrecord.store import open_store

    path = str(tmp_path_factory.mktemp("journalist") / "j.db")
    with open_store(path) as store:
        first = make_article(
            [
                ("Forty percent", "said", "Reyes"),
                ("Ben Lutz", "said", "Reyes"),
                (
                    "Ana Ortiz",
                    "said",
                    "Reyes will not cut the ferry toll this winter whatever the board says",
                ),
            ],
            published="2024-02-03",
            outlet="North Post",
            title="Toll row at the harbour board",
        )
        first.entities[0].kind = "unnamed"
        store.put_article("a.txt", "a1", first, "t")
        second = make_article(
            [
                ("Ana Ortiz", "told reporters", "Reyes has no plan for the bridge and the voters know it"),
                ("Tom Hale", "said", "Reyes should resign before the spring vote on the ferry toll"),
            ],
            published="2024-03-09",
            outlet="South Herald",
            title="Calls for Reyes to go",
        )
        store.put_article("b.txt", "b1", second, "t")
        consolidate(store)
    return path


def test_a_journalist_searches_filters_and_downloads(browser: Browser, journalist_corpus: str) -> None:
    """Issue 25's walk: a name shows a real quotation first; the speaker facets equal /speakers;
    a facet filters, shows its name, and removing it restores the result; the CSV download
    reads back with Python's csv module as the JSON twin's rows. Screenshots at 390 and 1280 px."""
    import csv
    import json
    import urllib.request

    for width, height, label in ((1280, 900, "desktop"), (390, 844, "phone")):
        context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
        page = context.new_page()
        with Server(journalist_corpus, mode="fast") as base:
            page.goto(f"{base}/search?q=Reyes")
            results = page.locator("ol.results li.result")
            first, last = results.first.inner_text(), results.last.inner_text()
            assert "Forty percent" not in first and "Ben Lutz" not in first and "ferry toll" in first
            assert "Forty percent" in last  # the unnamed source's one word comes last
            total = int(page.locator("#total").inner_text().replace(",", ""))
            assert total == 5
            shot(page, f"8-{label}-search-name")
            with urllib.request.urlopen(f"{base}/speakers.json") as response:
                counts = {s["name"]: s["quote_count"] for s in json.load(response)["speakers"]}
            facets = page.locator("aside.facets h3:text('Speakers') + ul a")
            shown = {
                facets.nth(i).inner_text(): int(facets.nth(i).get_attribute("data-count") or 0)
                for i in range(facets.count())
            }
            assert shown == counts
            page.locator("aside.facets a", has_text="Ana Ortiz").click()
            page.wait_for_selector(".active-filters")
            assert page.locator(".chip").inner_text().startswith("speaker: Ana Ortiz")
            assert page.locator("input[name=speaker]").input_value() == "Ana Ortiz"
            assert int(page.locator("#total").inner_text()) == counts["Ana Ortiz"] == 2
            shot(page, f"8-{label}-search-filtered")
            with page.expect_download() as download:
                page.locator("p.total a", has_text="CSV").first.click()
            with open(download.value.path(), encoding="utf-8", newline="") as downloaded:
                rows = list(csv.DictReader(downloaded))
            query = page.url.split("?", 1)[1]
            with urllib.request.urlopen(f"{base}/search.json?{query}") as response:
                twin = json.load(response)["quotes"]
            assert [r["quote_id"] for r in rows] == [q["quote_id"] for q in twin] and len(rows) == 2
            page.locator(".chip a.remove").click()
            page.wait_for_load_state()
            assert page.locator(".chip").count() == 0 and int(page.locator("#total").inner_text()) == total
            for name, path in (
                ("speakers", "/speakers"),
                ("articles", "/articles"),
                ("relations", "/relations"),
            ):
                page.goto(base + path)
                assert_fits(page, "window")
                shot(page, f"8-{label}-{name}")
            page.goto(base + "/speakers")
            page.locator("table a", has_text="Ana Ortiz").first.click()
            page.wait_for_selector("svg.chart")
            assert page.locator("svg.chart a").count() == 2  # February and March, each a link
            shot(page, f"8-{label}-speaker")
            page.locator("svg.chart a").last.click()
            page.wait_for_selector("#total")
            assert int(page.locator("#total").inner_text()) == 1
        context.close()


def test_provenance_groups_one_speaker_and_marks_only_quoted_words(page: Page, tmp_path: Path) -> None:
    """Issue 25, item 4, in the browser: a quotation's page lists the articles that carried the
    same speaker's words, dates the first appearance, marks changed quoted words, and leaves out
    another speaker who said the same thing."""
    from store_fixtures import make_article

    from onrecord.corpus.consolidate import consolidate
    from onrecord.store import open_store

    words = "the harbour budget will not cover the winter ferries this year"
    path = str(tmp_path / "p.db")
    with open_store(path) as store:
        for key, speaker, said, day in (
            ("a", "Ann Lee", words, "2024-03-01"),
            ("b", "Ann Lee", words.replace("winter", "summer"), "2024-03-04"),
            ("c", "Bo Chan", words, "2024-03-06"),
            ("d", "Bo Chan", words, "2024-03-08"),
        ):
            store.put_article(
                f"{key}.txt",
                key,
                make_article([(speaker, "said", said)], published=day, title=f"Story {key}"),
                "t",
            )
        consolidate(store)
    with Server(path, mode="fast") as base:
        page.goto(f"{base}/quotes/b:q1")
        rows = page.locator("table tbody tr")
        assert rows.count() == 2  # Ann Lee's two, not Bo Chan's
        assert "first appearance" in rows.nth(0).inner_text() and "2024-03-01" in rows.nth(0).inner_text()
        assert (
            page.locator("table ins").inner_text() == "summer"
            and page.locator("table del").inner_text() == "winter"
        )
        shot(page, "9-provenance")


def test_diversity_bar_leads_to_its_quotations(browser: Browser, tmp_path: Path) -> None:
    """Issue 28: an outlet's bar on /diversity shows its quotation count and links to the search
    page listing exactly those quotations, a topic and a confidence carried along; the page
    fits a phone's width."""
    path = str(tmp_path / "diversity.db")
    build_diversity_corpus(path)
    for width, height, label in ((1200, 900, "desktop"), (375, 740, "phone")):
        context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=width < 500)
        page = context.new_page()
        with Server(path, mode="fast") as base:
            for query, outlet, expected in (
                ("", "North Post", 4),
                ("?min_confidence=0.8", "South Herald", 2),
                ("?topic=ferry", "South Herald", 1),
            ):
                page.goto(f"{base}/diversity{query}")
                assert_fits(page, label)
                bar = page.locator(f'svg.diversity-chart a[data-outlet="{outlet}"]')
                shown = int(bar.locator("text.bar-total").text_content() or 0)
                assert shown == int(bar.get_attribute("data-quotes") or 0) == expected
                assert f"{outlet}: {expected} quotation" in (bar.get_attribute("aria-label") or "")
                if not query:
                    shot(page, f"10-{label}-diversity")
                bar.click()
                page.wait_for_selector("#total")
                assert int(page.locator("#total").inner_text()) == shown
                assert page.locator("ol.results li.result").count() == shown
                assert page.locator(".chip", has_text=outlet).count() == 1
        context.close()


# Issue 25's items 1, 3, 5 and 7 in the browser, on one invented newsroom: two plain-text
# articles ingested as `onrecord ingest` does (a headline and a dateline first; sentences that say
# who praises, criticises, accuses and backs whom, so the relations graph has rows, and who is for
# and against an investigation, a month apart, so the stance page has its chart), and three
# made by hand (two outlets, a low-confidence and an indirect quotation, the same words carried
# twice, and a speaker whose roles, media and addressees include what a speaker page must hide).

HARBOUR = """Harbour board clashes over ferry toll

3 February 2024

Ana Ortiz praised Ben Lutz for his work on the ferry timetable on Monday. "He kept the boats \
running all winter," Ortiz told reporters.

Ben Lutz criticised Tom Reyes over the toll. "The toll is a tax on islanders," Lutz said in a \
letter to the council.

Mira Patel thanked Ana Ortiz for the new pier. Ortiz also called for a new investigation into \
the ferry contracts.
"""

PIER = """Islanders split on the new pier

9 March 2024

Tom Reyes accused Ana Ortiz of wasting money on the pier. "The pier is a folly that islanders \
will pay for," Reyes said.

Mira Patel backed Ben Lutz in the toll dispute. "We do not need another investigation into the \
ferry contracts," Reyes said.
"""

#: The same words, carried by two outlets: a quotation with provenance.
CARRIED = "the public inquiry into the ferry toll must start before the summer"


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The newsroom above, as a SQLite file."""
    from store_fixtures import make_article

    from onrecord.corpus.consolidate import consolidate
    from onrecord.corpus.ingest import ingest
    from onrecord.model import Span
    from onrecord.store import open_store

    folder = tmp_path_factory.mktemp("newsroom")
    texts = folder / "texts"
    texts.mkdir()
    (texts / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    (texts / "pier.txt").write_text(PIER, encoding="utf-8")
    north = make_article(
        [
            ("Ana Ortiz", "said", CARRIED),
            (
                "Ben Lutz",
                "said",
                "two inquiries have already looked at the ferry contracts and found nothing",
            ),
            (
                "Mira Patel",
                "said",
                "the ferry will run on time all winter long if the board finally drops the toll",
            ),
        ],
        published="2024-02-10",
        outlet="North Post",
        title="Ferry inquiry call",
    )
    north.quotes[1].confidence = 0.4
    south = make_article(
        [
            ("Ana Ortiz", "said", CARRIED),
            ("Tom Reyes", "told reporters", "the ferry company raised the toll again without asking anyone"),
            ("Tom Reyes", "said in Dover City", "the harbour wall will be finished by the autumn"),
            (
                "Tom Reyes",
                "wrote in a short letter to the council",
                "the pier lights have been broken since the storm",
            ),
            ("Tom Reyes", "said over an enormous cheer", "the inquiry was a waste of everyone's time"),
        ],
        published="2024-03-02",
        outlet="South Herald",
        title="Reyes answers his critics",
        roles={"Tom Reyes": ["harbour master", "57 percent to 22 percent"]},
    )

    def span(words: str) -> Span:
        at = south.text.index(words)
        return Span.of(south.text, at, at + len(words))

    south.quotes[1].addressee = span("reporters")
    south.quotes[2].medium = span("Dover City")
    south.quotes[3].medium = span("a short letter to the council")
    south.quotes[4].addressee = span("an enormous cheer")
    south.quotes[4].type = "indirect"
    archive = make_article(
        [("Ana Ortiz", "said", "the harbour lights need new bulbs before the summer regatta")],
        published="2023-05-20",
        outlet="North Post",
        title="Regatta lights",
    )
    path = str(folder / "newsroom.db")
    with open_store(path) as store:
        ingest(store, [str(texts)], mode="fast", consolidate=False)
        for key, article in (("north", north), ("south", south), ("archive", archive)):
            store.put_article(f"{key}.txt", key, article, "t")
        consolidate(store)
    return path


#: The two widths issue 25 asks for: a desktop and a phone.
WIDTHS = ((1280, "desktop"), (390, "phone"))


def at_widths(page: Page) -> Iterator[str]:
    """Resize the window to each width in turn, yielding its label; the desktop width after."""
    for width, label in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        yield label
    page.set_viewport_size({"width": WIDTHS[0][0], "height": 900})


def shots(page: Page, name: str) -> None:
    """Screenshots of the page at both widths, each checked to fit its window."""
    for label in at_widths(page):
        assert_fits(page, label)
        shot(page, f"{name}-{label}")


def speaker_id_of(page: Page, base: str, name: str) -> str:
    speakers = page.request.get(f"{base}/speakers.json").json()["speakers"]
    return next(s["speaker_id"] for s in speakers if s["name"] == name)


def search_from_the_header(page: Page, query: str) -> int:
    """Type ``query`` into the header's search box and press Enter; the page's status."""
    page.fill("header input[name=q]", query)
    with page.expect_response(lambda r: r.request.is_navigation_request()) as response:
        page.press("header input[name=q]", "Enter")
    page.wait_for_load_state()
    return response.value.status


def shown_total(page: Page) -> int:
    return int(page.locator("#total").inner_text().replace(",", ""))


def result_speakers(page: Page) -> list[str]:
    return sorted(page.locator("ol.results li.result .who").all_inner_texts())


def test_search_filters_and_query_syntax_from_the_page(page: Page, newsroom: str) -> None:
    """Issue 25, item 1: the type switch and the minimum confidence narrow a search and show as
    removable filters; a prefix, a phrase, NEAR and column filters typed into the page find what
    they should; a query that cannot be searched is a 400 page that says why."""
    with Server(newsroom, mode="fast") as base:
        page.goto(f"{base}/search")
        assert search_from_the_header(page, "inquir*") == 200
        assert shown_total(page) == 4
        assert {m.lower() for m in page.locator("ol.results mark").all_inner_texts()} == {
            "inquiry",
            "inquiries",
        }
        shots(page, "11-search-prefix")
        filters = page.locator("form.filters")
        filters.locator("select[name=type]").select_option("direct")
        filters.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert shown_total(page) == 3 and result_speakers(page) == ["Ana Ortiz", "Ana Ortiz", "Ben Lutz"]
        assert all(m.startswith("direct ·") for m in page.locator("ol.results .meta").all_inner_texts())
        filters.locator("input[name=min_confidence]").fill("0.5")
        filters.locator("button[type=submit]").click()
        page.wait_for_load_state()
        # not Ben Lutz's, the extractor 0.4 sure of it
        assert shown_total(page) == 2 and result_speakers(page) == ["Ana Ortiz", "Ana Ortiz"]
        chips = page.locator(".active-filters .chip").all_inner_texts()
        assert [c.split("×")[0].strip() for c in chips] == ["type: direct", "confidence at least: 0.5"]
        shots(page, "11-search-direct-confident")
        page.locator(".chip", has_text="type").locator("a.remove").click()
        page.wait_for_load_state()
        assert shown_total(page) == 3 and "Tom Reyes" in result_speakers(page)  # his indirect one is back
        assert filters.locator("input[name=min_confidence]").input_value() == "0.5"  # the other filter stays
        for query, speakers in (
            ('"ferry toll"', ["Ana Ortiz", "Ana Ortiz"]),
            ("ferry toll", ["Ana Ortiz", "Ana Ortiz", "Mira Patel", "Tom Reyes"]),
            # not Mira Patel's, whose "ferry" and "toll" are 12 words apart
            ("NEAR(ferry toll, 5)", ["Ana Ortiz", "Ana Ortiz", "Tom Reyes"]),
            ('speaker:"Tom Reyes" toll', ["Tom Reyes"]),
            ('outlet:"South Herald" inquiry', ["Ana Ortiz", "Tom Reyes"]),
            ("type:indirect inquir*", ["Tom Reyes"]),
        ):
            assert search_from_the_header(page, query) == 200, query
            assert result_speakers(page) == speakers and shown_total(page) == len(speakers), query
        shots(page, "11-search-near")
        for query, why in (("NEAR(ferry toll, far)", "NEAR takes a number of words"), ("-toll", "no word")):
            assert search_from_the_header(page, query) == 400, query
            alert = page.locator("main [role=alert]")
            assert why in alert.inner_text() and "E050" in alert.inner_text(), query
            assert page.locator("ol.results").count() == 0 and "No quotation matches" not in page.content()
            assert page.locator("header input[name=q]").input_value() == query  # kept, to be corrected
        shots(page, "11-search-unparsable")


def twins_of(page: Page) -> tuple[list[dict[str, str]], dict[str, Any], str]:
    """The CSV and JSON twins the page links (the first link to each of its own path's ``.csv``
    and ``.json``, with the same query), fetched: the CSV's rows, the JSON, the JSON's URL."""
    links = page.eval_on_selector_all(
        "main a[href]", "links => links.map(a => new URL(a.getAttribute('href'), document.baseURI).href)"
    )
    path = urlsplit(page.url).path
    csv_link = next((h for h in links if urlsplit(h).path == f"{path}.csv"), None)
    assert csv_link, f"{page.url} links no {path}.csv"
    json_link = urlsplit(csv_link)._replace(path=f"{path}.json").geturl()
    assert json_link in links, f"{page.url} links no {json_link}"
    download = page.request.get(csv_link)
    assert download.ok and download.headers["content-type"].startswith("text/csv"), csv_link
    rows = list(csv.DictReader(io.StringIO(download.text())))
    return rows, page.request.get(json_link).json(), json_link


def page_rows(page: Page, kind: str) -> list[str]:
    """What names each row of a list page: a quotation's, speaker's or article's id, a relation's
    three cells."""
    if kind == "quotes":
        links = page.locator("ol.results li.result a[href^='/quotes/']").all()
        return [(a.get_attribute("href") or "").rsplit("/", 1)[1] for a in links]
    if kind == "edges":
        rows = page.locator("table tbody tr").all()
        return [
            " ".join((r.locator("td").nth(i).text_content() or "").strip() for i in range(3)) for r in rows
        ]
    links = page.locator("table tbody td:first-child a").all()
    return [(a.get_attribute("href") or "").rsplit("/", 1)[1] for a in links]


def row_key(kind: str, row: dict[str, Any]) -> str:
    """The same for a row of a JSON or CSV twin."""
    if kind == "edges":
        return f"{row['subject']} {row['predicate']} {row['object']}"
    return str(row[{"quotes": "quote_id", "speakers": "speaker_id", "articles": "article_id"}[kind]])


def with_query(url: str, **changes: str) -> str:
    """``url`` with these query parameters set, and no offset: its first page."""
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items() if k != "offset"} | changes
    return parts._replace(query=urlencode(query)).geturl()


def walk_the_pages(page: Page, kind: str) -> list[str]:
    """Every row, following the ``next →`` links from the page shown to the last; each page keeps
    every parameter of the first but the offset, and links back."""
    kept = {k: v for k, v in parse_qs(urlsplit(page.url).query).items() if k != "offset"}
    seen = page_rows(page, kind)
    while page.locator("nav.pager a[rel=next]").count():
        page.locator("nav.pager a[rel=next]").click()
        page.wait_for_load_state()
        query = parse_qs(urlsplit(page.url).query)
        assert {k: v for k, v in query.items() if k != "offset"} == kept, page.url
        assert page.locator("nav.pager a", has_text="previous").count() == 1, page.url
        seen += page_rows(page, kind)
    return seen


def test_every_list_links_its_twins_shows_its_total_and_pages(page: Page, newsroom: str) -> None:
    """Issue 25, item 3: each list page (search, speakers, articles, relations, a speaker's
    quotations, an article's, stance, provenance) links a CSV and a JSON twin with the same rows,
    shows how many there are, and its pages (followed by their links) keep every parameter and
    add up to the whole list; a speaker page links all their quotations."""
    with Server(newsroom, mode="fast") as base:
        for path, kind in (
            ("/search?q=ferry+OR+toll&min_confidence=0.5&sort=-date&limit=2", "quotes"),
            ("/speakers?q=r&limit=2", "speakers"),
            ("/articles?q=toll&limit=1", "articles"),
            ("/relations?limit=2", "edges"),
        ):
            page.goto(base + path)
            rows, twin, json_link = twins_of(page)
            assert [row_key(kind, r) for r in rows] == [row_key(kind, r) for r in twin[kind]], path
            assert len(rows) == len(page_rows(page, kind)) >= 1, path
            total = shown_total(page)
            everything = page.request.get(with_query(json_link, limit="100")).json()
            assert total == twin["total"] == len(everything[kind]) > len(rows), path
            shots(page, f"12-list-{path[1:].split('?')[0]}")
            assert walk_the_pages(page, kind) == [row_key(kind, r) for r in everything[kind]], path
        ana = speaker_id_of(page, base, "Ana Ortiz")
        page.goto(f"{base}/speakers/{ana}")
        rows, twin, _ = twins_of(page)
        assert [r["quote_id"] for r in rows] == [q["quote_id"] for q in twin["latest"]]
        assert f"{twin['quote_count']} quotations in" in page.locator("p.meta").first.inner_text()
        all_quotations = page.locator("#all-quotations")
        assert all_quotations.inner_text() == f"All {twin['quote_count']} quotations"
        all_quotations.click()
        page.wait_for_load_state()
        assert shown_total(page) == twin["quote_count"] == 6
        assert page.locator(".chip").inner_text().startswith("speaker: Ana Ortiz")
        harbour = next(a for a in twin["latest"] if a["title"] == "Harbour board clashes over ferry toll")
        for path, count, pattern, name in (
            (f"/articles/{harbour['article_id']}", "quotes", r"(\d+) quotations", "article"),
            ("/quotes/north:q1", "carried_by", r"Carried by (\d+) articles", "provenance"),
        ):
            page.goto(base + path)
            rows, twin, _ = twins_of(page)
            assert [r["quote_id"] for r in rows] == [q["quote_id"] for q in twin[count]] and rows, path
            shown = re.search(pattern, page.locator("main").inner_text())
            assert shown and int(shown.group(1)) == len(rows), path
            shots(page, f"12-list-{name}")
        page.goto(f"{base}/stance?topic=investigation+into+the+ferry+contracts")
        rows, twin, _ = twins_of(page)
        statements = [
            (side, e["evidence"])
            for side in ("for", "against", "unclear")
            for h in twin[side]
            for e in h["evidence"]
        ]
        assert [(r["side"], r["evidence"]) for r in rows] == statements and len(rows) == 3
        sides = " ".join(page.locator("section.side h2 .count").all_inner_texts())
        assert sum(int(n) for n in re.findall(r"(\d+) statements?", sides)) == len(rows)
        shots(page, "12-list-stance")


def test_articles_relations_and_a_speaker_page_without_noise(page: Page, newsroom: str) -> None:
    """Issue 25, item 5: /articles lists the ingested plain-text articles by their headlines (not
    their file paths); /relations shows who praised, criticised and accused whom, each a link to
    the speaker's page, which lists them too; a speaker page shows the role, medium and addressee
    that are of the right kind and hides those the store holds that are not."""
    from onrecord.store import open_store

    with open_store(newsroom) as store:
        held = store.speaker("Tom Reyes")
    assert held is not None
    assert {r["role"] for r in held["roles"]} == {"harbour master", "57 percent to 22 percent"}
    assert {m["name"] for m in held["media"]} == {"Dover City", "a short letter to the council"}
    assert {a["name"] for a in held["addressees"]} == {"reporters", "an enormous cheer"}
    with Server(newsroom, mode="fast") as base:
        page.goto(f"{base}/articles")
        titles = page.locator("table tbody td:first-child").all_inner_texts()
        assert {"Harbour board clashes over ferry toll", "Islanders split on the new pier"} <= set(titles)
        assert not any(t.endswith(".txt") for t in titles), titles
        shots(page, "13-articles")
        page.locator("table a", has_text="Islanders split on the new pier").click()
        page.wait_for_selector("#article-text")
        assert page.locator("h1").inner_text() == "Islanders split on the new pier"
        assert page.title().startswith("Islanders split on the new pier")
        assert "2024-03-09" in page.locator("p.meta").first.inner_text()  # its dateline
        page.goto(f"{base}/relations")
        rows = page.locator("table tbody tr")
        edges = {
            tuple((rows.nth(i).locator("td").nth(c).text_content() or "").strip() for c in range(3))
            for i in range(rows.count())
        }
        assert {
            ("Ana Ortiz", "praises", "Ben Lutz"),
            ("Ben Lutz", "criticises", "Tom Reyes"),
            ("Tom Reyes", "accuses", "Ana Ortiz"),
            ("Mira Patel", "thanks", "Ana Ortiz"),
        } <= edges
        assert rows.locator("td:nth-child(1) a, td:nth-child(3) a").count() == 2 * rows.count()
        shots(page, "13-relations")
        rows.filter(has_text="criticises").locator("td").nth(2).locator("a").click()
        page.wait_for_selector("h1")
        assert page.locator("h1").inner_text() == "Tom Reyes"
        attacked_by = page.locator(".relations", has_text="Praised, attacked, backed by").inner_text()
        assert "criticises" in attacked_by.lower() and "Ben Lutz" in attacked_by
        assert page.locator("h2", has_text="Roles").locator("xpath=following-sibling::table[1]").locator(
            "tbody td:first-child"
        ).all_inner_texts() == ["harbour master"]
        panels = {
            title: page.locator("aside .panel", has=page.locator(f"h2:text-is('{title}')")).locator("li")
            for title in ("Media", "Addressees")
        }
        assert [t.rsplit(" ", 1)[0] for t in panels["Media"].all_inner_texts()] == [
            "a short letter to the council"
        ]
        assert [t.rsplit(" ", 1)[0] for t in panels["Addressees"].all_inner_texts()] == ["reporters"]
        aside = page.locator("aside").inner_text()
        assert "Dover City" not in aside and "enormous cheer" not in aside and "percent" not in page.content()
        shots(page, "13-speaker-clean")


#: Every word of every table header, and how many lines it is drawn on.
HEADER_WORDS = """() => {
    const found = [];
    for (const th of document.querySelectorAll("th")) {
        const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const word of node.data.matchAll(/\\S+/g)) {
                const range = document.createRange();
                range.setStart(node, word.index);
                range.setEnd(node, word.index + word[0].length);
                const rects = [...range.getClientRects()].filter(r => r.width > 0);
                found.push({
                    word: word[0],
                    lines: new Set(rects.map(r => Math.round(r.top))).size,
                    spills: th.scrollWidth > th.clientWidth + 1,
                });
            }
        }
    }
    return found;
}"""


def test_table_headers_never_break_inside_a_word(page: Page, newsroom: str) -> None:
    """Issue 25, item 7: at 390 and 1280 px, every word of every table header (speakers,
    articles, relations, provenance, a speaker's roles, who gets quoted, the API) is drawn on one
    line and stays inside its cell; the page is no wider than the window."""
    with Server(newsroom, mode="fast") as base:
        tom = speaker_id_of(page, base, "Tom Reyes")
        paths = [
            "/speakers",
            "/articles",
            "/relations",
            "/quotes/north:q1",
            f"/speakers/{tom}",
            "/diversity",
            "/diversity?by=month",
            "/api/docs",
        ]
        checked = 0
        for path in paths:
            page.goto(base + path)
            for label in at_widths(page):
                words = page.evaluate(HEADER_WORDS)
                assert words, f"{path} has no table header"
                broken = [w["word"] for w in words if w["lines"] != 1 or w["spills"]]
                assert broken == [], f"{path} at the {label} width breaks or spills header words: {broken}"
                assert_fits(page, label)
                checked += len(words)
        assert checked > 100
        page.goto(f"{base}/diversity")
        shots(page, "14-headers-diversity")


#: Each text of the page's charts: its rendered font size (CSS px) and its box.
CHART_TEXTS = """() => [...document.querySelectorAll("svg.chart")].map(svg => {
    const frame = svg.getBoundingClientRect();
    return [...svg.querySelectorAll("text")].filter(t => t.textContent.trim()).map(t => {
        const box = t.getBoundingClientRect();
        const size = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
        const inside = box.left >= frame.left - 1 && box.right <= frame.right + 1
            && box.top >= frame.top - 1 && box.bottom <= frame.bottom + 1;
        return {text: t.textContent.trim(), size, height: box.height, left: box.left,
                right: box.right, top: box.top, bottom: box.bottom, inside};
    });
})"""


def test_chart_text_is_a_readable_size_at_both_widths(page: Page, newsroom: str) -> None:
    """Issue 25, item 7: the text of every chart (a speaker's quotations per month, statements
    for and against a topic, who gets quoted per outlet and per month) is drawn at 11 to 14 CSS
    px at 390 and at 1280 px, inside its chart, no label over another."""
    with Server(newsroom, mode="fast") as base:
        ana = speaker_id_of(page, base, "Ana Ortiz")
        for path, name in (
            (f"/speakers/{ana}", "speaker"),
            ("/stance?topic=investigation+into+the+ferry+contracts", "stance"),
            ("/diversity", "diversity"),
            ("/diversity?by=month", "diversity-month"),
        ):
            page.goto(base + path)
            for label in at_widths(page):
                charts = page.evaluate(CHART_TEXTS)
                assert charts and all(charts), f"{path}: no chart text"
                for texts in charts:
                    for t in texts:
                        assert 11 <= t["size"] <= 14, f"{path} at {label}: {t['text']!r} is {t['size']:.1f}px"
                        assert t["size"] <= t["height"] <= 1.6 * t["size"], (path, label, t)
                        assert t["inside"], f"{path} at {label}: {t['text']!r} is cut off"
                    for i, a in enumerate(texts):
                        for b in texts[i + 1 :]:
                            apart = (
                                a["right"] <= b["left"] + 1
                                or b["right"] <= a["left"] + 1
                                or a["bottom"] <= b["top"] + 1
                                or b["bottom"] <= a["top"] + 1
                            )
                            assert apart, f"{path} at {label}: {a['text']!r} overlaps {b['text']!r}"
            shots(page, f"14-chart-{name}")


#: How many lines each first cell of a table body takes, by the line boxes of its text.
FIRST_CELL_LINES = """sel => Array.from(document.querySelectorAll(sel)).map(td => {
  const range = document.createRange(); range.selectNodeContents(td);
  const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
  return [td.textContent, tops.size]; })"""


def test_diversity_months_stay_on_one_line(page: Page, newsroom: str) -> None:
    """A month on /diversity?by=month ("2024-02") is never broken at its hyphen, at a phone's
    width too, where the table scrolls instead."""
    with Server(newsroom, mode="fast") as base:
        page.goto(f"{base}/diversity?by=month")
        for label in at_widths(page):
            cells = page.evaluate(FIRST_CELL_LINES, "#month-table tbody td:first-child")
            assert cells, "no month rows"
            for text, lines in cells:
                assert lines == 1, f"at {label}: {text!r} takes {lines} lines"


def test_head_answers_and_the_favicon_shows(page: Page, newsroom: str) -> None:
    """Issue 25, item 7: HEAD answers as GET without the body, and the icon the page links loads
    in the browser (and at /favicon.ico)."""
    with Server(newsroom, mode="fast") as base:
        page.goto(f"{base}/search?q=toll")
        got, head = page.request.get(page.url), page.request.head(page.url)
        assert head.status == 200 and head.body() == b""
        assert head.headers["content-length"] == got.headers["content-length"] != "0"
        assert page.request.head(f"{base}/speakers/Nobody").status == 404
        icon = page.locator("head link[rel=icon]").get_attribute("href")
        assert icon
        size = page.evaluate(
            "async src => { const img = new Image(); img.src = src; await img.decode();"
            " return [img.naturalWidth, img.naturalHeight]; }",
            icon,
        )
        assert size[0] > 0 and size[1] > 0
        fallback = page.request.get(f"{base}/favicon.ico")
        assert fallback.ok and fallback.headers["content-type"].startswith("image/")
