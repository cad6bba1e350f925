"""End-to-end tests in a real browser: Playwright driving Debian's Chromium (/usr/bin/chromium).

The browser is never downloaded. Without Chromium the tests skip, unless
``ONRECORD_REQUIRE_BROWSER=1`` (CI), where they fail. Screenshots go to ``$ONRECORD_ARTIFACTS``
where it is set (``.ci/run`` sets ``artifacts/browser/``), else to pytest's temporary folder
(``/tmp/pytest-of-$USER/pytest-N/screenshots0``): a run writes nothing into the checkout.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

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
