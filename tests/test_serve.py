"""The HTTP server in process: pages and their .json twins, the API, errors, tokens, escaping."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from store_fixtures import make_article

from onrecord.corpus.consolidate import consolidate
from onrecord.model import Gender
from onrecord.serve import create_app
from onrecord.store import open_store

AUTH = {"Authorization": "Bearer s3cret-token"}
XSS = '<script>alert("x")</script><img src=x onerror="alert(1)">'


def build_corpus(path: str) -> None:
    with open_store(path) as store:
        store.put_article(
            "a.txt",
            "a1",
            make_article(
                [("Ann Lee", "said", "the harbour budget will not cover the winter ferries this year")],
                published="2024-03-01",
                outlet="North Post",
                title="Ferry budget row",
            ),
            "t",
        )
        store.put_article(
            "b.txt",
            "b1",
            make_article(
                [
                    ("Ms Lee", "said", "the harbour budget will not cover the winter ferries next year"),
                    ("Bo Chan", "argued", f"the bridge needs repairs {XSS} before the storms"),
                ],
                published="2024-03-05",
                outlet="South Herald",
                title=f"Bridge {XSS}",
            ),
            "t",
        )
        consolidate(store)


def build_diversity_corpus(path: str) -> None:
    """Invented articles in two outlets, two months and one without either: women, men, a
    person of unknown gender, an organisation and an unnamed source, one quotation less sure."""
    with open_store(path) as store:
        north = make_article(
            [
                ("Ann Lee", "said", "the ferry timetable will change before the winter storms arrive"),
                ("Bo Chan", "said", "the ferry fares must not rise again this year for islanders"),
                ("Ann Lee", "added", "the harbour board will publish the figures in the spring"),
                ("Harbour Council", "said", "the pier repairs are on schedule and within the budget"),
            ],
            published="2024-03-01",
            outlet="North Post",
            title="Ferry timetable row",
        )
        south = make_article(
            [
                ("Ann Lee", "said", "the bridge tolls will be reviewed by the council next month"),
                ("Kim Dale", "said", "nobody asked the fishermen about the new harbour wall at all"),
                ("One official", "said", "the ferry contract is being renegotiated behind closed doors"),
            ],
            published="2024-04-02",
            outlet="South Herald",
            title="Tolls and walls",
        )
        loose = make_article(
            [("Bo Chan", "said", "the lighthouse must stay open whatever the board decides")],
            published=None,
            outlet=None,
            title="Lighthouse",
        )
        genders: dict[str, Gender] = {"Ann Lee": "female", "Bo Chan": "male", "Kim Dale": "unknown"}
        evidence = {"female": ["she"], "male": ["he"], "unknown": []}
        for article in (north, south, loose):
            for entity in article.entities:
                if entity.name in genders:
                    entity.gender = genders[entity.name]
                    entity.gender_evidence = list(evidence[genders[entity.name]])
                elif entity.name == "Harbour Council":
                    entity.kind = "organization"
                else:
                    entity.kind = "unnamed"
        south.quotes[2].confidence = 0.5
        for key, article in (("n", north), ("s", south), ("l", loose)):
            store.put_article(f"{key}.txt", key, article, "t")
        consolidate(store)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("serve") / "c.db")
    build_corpus(path)
    return path


@pytest.fixture(scope="module")
def client(db: str) -> Iterator[TestClient]:
    with TestClient(
        create_app(db, write_token="s3cret-token", mode="fast"), base_url="http://localhost"
    ) as test_client:
        yield test_client


def speaker_id(client: TestClient, name: str) -> str:
    rows = client.get("/api/speakers").json()["speakers"]
    return next(r["speaker_id"] for r in rows if r["name"] == name)


def test_every_page_has_a_json_twin(client: TestClient) -> None:
    ann = speaker_id(client, "Ann Lee")
    for path in [
        "/search?q=ferries",
        "/speakers",
        f"/speakers/{ann}",
        "/articles/a1",
        "/quotes/b1:q1",
        "/diversity?by=month",
    ]:
        page = client.get(path)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html"), path
        base, _, query = path.partition("?")
        twin = client.get(f"{base}.json" + (f"?{query}" if query else ""))
        assert twin.status_code == 200 and twin.headers["content-type"] == "application/json", path
        assert f"{base}.json" in page.text  # the page links its twin


def test_every_list_page_has_a_csv_twin_with_the_json_rows(client: TestClient) -> None:
    """Each list (search, speakers, a speaker's quotations, articles, an article's quotations,
    stance, relations, provenance) downloads as CSV: the JSON twin's rows, in its order, read
    back with Python's csv module; and the page links both twins."""
    import csv
    import io

    ann = speaker_id(client, "Ann Lee")
    lists = [
        ("/search?q=harbour", "quotes", "quote_id"),
        ("/speakers?q=lee", "speakers", "speaker_id"),
        (f"/speakers/{ann}", "latest", "quote_id"),
        ("/articles", "articles", "article_id"),
        ("/articles/b1", "quotes", "quote_id"),
        ("/stance?topic=harbour+budget", None, "quote_id"),
        ("/relations", "edges", "predicate"),
        ("/quotes/b1:q1", "carried_by", "quote_id"),
        ("/diversity?by=outlet", "rows", "outlet"),
    ]
    for path, key, column in lists:
        base, _, query = path.partition("?")
        suffix = f"?{query}" if query else ""
        page = client.get(path)
        assert page.status_code == 200, path
        twin = client.get(f"{base}.json{suffix}").json()
        download = client.get(f"{base}.csv{suffix}")
        assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv"), path
        rows = list(csv.DictReader(io.StringIO(download.text)))
        if key is None:  # stance: its sides' statements
            expected = [
                e[column] for side in ("for", "against", "unclear") for h in twin[side] for e in h["evidence"]
            ]
        else:
            expected = [r.get(column) for r in twin[key]]
        assert [r[column] for r in rows] == [str(v) for v in expected], path
        assert rows or path.startswith("/relations"), path
        if not path.startswith(("/articles/", "/quotes/", "/stance")):
            assert f"{base}.csv" in page.text, path


def test_list_pages_count_page_and_filter(client: TestClient) -> None:
    speakers = client.get("/speakers.json", params={"limit": 1}).json()
    assert (
        speakers["total"] == 2 and len(speakers["speakers"]) == 1 and speakers["next"] == "?limit=1&offset=1"
    )
    assert all(s["article_count"] <= s["quote_count"] for s in speakers["speakers"])
    named = client.get("/speakers.json", params={"q": "chan"}).json()
    assert [s["name"] for s in named["speakers"]] == ["Bo Chan"] and named["total"] == 1
    articles = client.get("/articles.json", params={"limit": 1}).json()
    assert articles["total"] == 2 and articles["next"] == "?limit=1&offset=1" and articles["previous"] is None
    second = client.get("/articles.json" + articles["next"]).json()
    assert second["next"] is None and second["previous"] == "?limit=1"
    assert client.get("/articles.json", params={"q": "bridge"}).json()["total"] == 1
    page = client.get("/articles").text
    assert "Ferry budget row" in page and 'href="/articles/a1"' in page
    ann = client.get(f"/speakers/{speaker_id(client, 'Ann Lee')}.json").json()
    everything = client.get(ann["all_quotations"].replace("/search?", "/search.json?")).json()
    assert everything["total"] == ann["quote_count"] == 2


def test_search_api_and_page_agree(client: TestClient) -> None:
    api = client.get("/api/quotes", params={"q": "ferries", "sort": "date"}).json()
    twin = client.get("/search.json", params={"q": "ferries", "sort": "date"}).json()
    assert (
        [q["quote_id"] for q in api["quotes"]]
        == [q["quote_id"] for q in twin["quotes"]]
        == ["a1:q1", "b1:q1"]
    )
    assert {f["label"] for f in twin["facets"]["outlet"]} == {"North Post", "South Herald"}
    page = client.get("/search", params={"q": "ferries"}).text
    assert "<mark>ferries</mark>" in page and "South Herald" in page
    filtered = client.get("/api/quotes", params={"q": "harbour", "outlet": "North Post"}).json()["quotes"]
    assert [q["quote_id"] for q in filtered] == ["a1:q1"]
    paged = client.get("/api/quotes", params={"q": "ferries", "limit": 1, "sort": "date"}).json()
    assert len(paged["quotes"]) == 1 and paged["next"] is not None and "offset=1" in paged["next"]


def test_speaker_quote_and_article_views(client: TestClient) -> None:
    ann = speaker_id(client, "Ann Lee")
    speaker = client.get(f"/api/speakers/{ann}").json()
    assert {a["alias"] for a in speaker["aliases"]} == {"Ann Lee", "Ms Lee"}
    (march,) = speaker["per_month"]
    assert (march["month"], march["count"]) == ("2024-03", 2)
    in_march = client.get(march["link"].replace("/search?", "/search.json?")).json()
    assert in_march["total"] == 2  # a bar links to the quotations it counts
    assert (
        f'href="{march["link"].replace("&", "&amp;")}"'
        in client.get(f"/speakers/{speaker['speaker_id']}").text
    )
    assert "<svg" in client.get(f"/speakers/{ann}").text  # the timeline is a chart
    assert client.get("/api/speakers/Ann%20Lee").json()["speaker_id"] == ann  # by name too
    quote = client.get("/api/quotes/b1:q1").json()
    assert quote["first_quote_id"] == "a1:q1"
    assert any("next" in d for d in quote["variants"][0]["differences"])
    page = client.get("/quotes/b1:q1").text
    assert "<ins>next</ins>" in page and "<del>this</del>" in page and "first appearance" in page
    article = client.get("/api/articles/a1").json()
    assert article["quotes"][0]["speaker_id"] == ann and article["title"] == "Ferry budget row"
    assert [
        a["article_id"] for a in client.get("/api/articles", params={"q": "bridge"}).json()["articles"]
    ] == ["b1"]


def test_article_text_is_inert(client: TestClient) -> None:
    for path in ["/articles/b1", "/search?q=bridge", "/quotes/b1:q2", "/api/docs"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "<script>alert" not in response.text and "<img src=x" not in response.text, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
    assert "&lt;script&gt;alert(" in client.get("/articles/b1").text


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/speakers/Nobody", 404, "E053"),
        ("/api/quotes/zz:q1", 404, "E054"),
        ("/api/articles/zz", 404, "E055"),
        ("/articles/zz.json", 404, "E055"),
        ("/api/quotes?q=-only", 400, "E050"),
        ("/api/quotes?limit=0", 422, "E061"),
        ("/api/quotes?since=last-week", 422, "E061"),
        ("/api/nothing-here", 404, "HTTP404"),
    ],
)
def test_one_error_shape(client: TestClient, path: str, status: int, code: str) -> None:
    response = client.get(path)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["status"] == status and body["error"]["code"] == code


def test_errors_on_pages_are_pages(client: TestClient) -> None:
    response = client.get("/speakers/Nobody")
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "E053" in response.text


def test_extract_json_file_and_limits(client: TestClient) -> None:
    text = 'Ms Lee told reporters: "We will win the vote on Tuesday, whatever the polls say."'
    article = client.post("/api/extract", json={"text": text}, headers=AUTH).json()
    assert article["schema"] == "onrecord.article.v4" and article["quotes"][0]["speaker"]["name"] == "Lee"
    html = f"<html><body><article><p>{text}</p></article></body></html>"
    assert client.post("/api/extract", json={"html": html}, headers=AUTH).json()["quotes"]
    upload = {"file": ("story.txt", text.encode(), "text/plain")}
    uploaded = client.post("/extract", files=upload, data={"token": "s3cret-token"})
    assert uploaded.status_code == 200 and "tip-speaker" in uploaded.text
    page = client.post("/extract", data={"text": text, "token": "s3cret-token"})
    assert page.status_code == 200 and "tip-speaker" in page.text
    assert client.post("/api/extract", json={"text": "  "}, headers=AUTH).json()["error"]["code"] == "E010"
    assert client.post("/api/extract", json={"nothing": 1}, headers=AUTH).json()["error"]["code"] == "E062"
    broken = {"content-type": "application/json", **AUTH}
    assert client.post("/api/extract", content=b"{not json", headers=broken).status_code == 400
    big = client.post("/api/extract", json={"text": "word " * 500_000}, headers=AUTH)
    assert big.status_code == 413 and big.json()["error"]["code"] == "E060"


def test_writes_need_the_token(db: str, tmp_path: Path) -> None:
    path = str(tmp_path / "w.db")
    build_corpus(path)
    body = {
        "text": 'Ann Lee told the council: "The ferry timetable is a disgrace to the whole island."',
        "url": "https://example.org/ferry",
    }
    app = create_app(path, write_token="s3cret-token", mode="fast")
    with TestClient(app, base_url="http://localhost") as client:
        assert client.post("/api/articles", json=body).status_code == 401
        wrong = client.post("/api/articles", json=body, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "E063"
        made = client.post("/api/articles", json=body, headers={"Authorization": "Bearer s3cret-token"})
        assert made.status_code == 201
        article_id = made.json()["article_id"]
        assert client.get(f"/api/articles/{article_id}").json()["url"] == "https://example.org/ferry"
        hits = client.get("/api/quotes", params={"q": "disgrace", "speaker": "Ann Lee"}).json()["quotes"]
        assert [h["article_id"] for h in hits] == [article_id]  # consolidated after the write
    with TestClient(create_app(path, mode="fast"), base_url="http://localhost") as read_only:
        auth = {"Authorization": "Bearer s3cret-token"}
        assert read_only.post("/api/articles", json=body, headers=auth).status_code == 401


def test_openapi_lists_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in [
        "/api/quotes",
        "/api/quotes/{quote_id}",
        "/api/speakers",
        "/api/speakers/{speaker}",
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/extract",
        "/search.json",
    ]:
        assert path in spec["paths"], path
    assert "post" in spec["paths"]["/api/articles"]
    docs = client.get("/api/docs").text
    assert "/api/quotes" in docs and "/api/extract" in docs  # listed on the docs page


def test_a_server_answers_to_its_own_host_names_only(db: str) -> None:
    """DNS rebinding: a page on evil.example that resolves to 127.0.0.1 sends Host: evil.example."""
    with TestClient(create_app(db, mode="fast"), base_url="http://evil.example") as client:
        refused = client.get("/api/quotes")
        assert refused.status_code == 400 and refused.json()["error"]["code"] == "E064"
        assert "--allow-host evil.example" in refused.json()["error"]["message"]
    for base in ("http://localhost:8080", "http://127.0.0.1", "http://[::1]:9000"):
        with TestClient(create_app(db, mode="fast"), base_url=base) as client:
            assert client.get("/api/quotes").status_code == 200, base
    allowed = create_app(db, mode="fast", allowed_hosts=["*.example.org"])
    with TestClient(allowed, base_url="http://quotes.example.org") as client:
        assert client.get("/api/quotes").status_code == 200
    with TestClient(allowed, base_url="http://example.org.evil.example") as client:
        assert client.get("/api/quotes").status_code == 400
    with pytest.raises(ValueError, match="not a host name or pattern"):
        create_app(db, allowed_hosts=["quotes.*.org"])


def test_another_site_cannot_make_the_server_extract_or_write(db: str) -> None:
    """A form on another site posting to the local server: refused by Origin or Sec-Fetch-Site,
    and by its content type; extraction takes JSON only and needs the token when one is set."""
    text = 'Ms Lee told reporters: "We will win the vote on Tuesday, whatever the polls say."'
    with TestClient(create_app(db, mode="fast"), base_url="http://localhost") as client:  # read-only
        form = client.post("/api/extract", data={"text": text}, headers={"Origin": "https://evil.example"})
        assert form.status_code == 403 and form.json()["error"]["code"] == "E065"
        fetched = client.post("/extract", data={"text": text}, headers={"Sec-Fetch-Site": "cross-site"})
        assert fetched.status_code == 403 and "E065" in fetched.text
        opaque = client.post("/api/extract", json={"text": text}, headers={"Origin": "null"})
        assert opaque.status_code == 403
        plain = client.post("/api/extract", content=text.encode(), headers={"content-type": "text/plain"})
        assert plain.status_code == 415 and plain.json()["error"]["code"] == "E066"
        as_form = client.post("/api/extract", data={"text": text})
        assert as_form.status_code == 415
        # the server's own page and scripts, and clients that are not browsers, are served
        own = client.post("/extract", data={"text": text}, headers={"Origin": "http://localhost"})
        assert own.status_code == 200 and "tip-speaker" in own.text
        assert client.post("/api/extract", json={"text": text}).status_code == 200
    with TestClient(
        create_app(db, write_token="s3cret-token", mode="fast"), base_url="http://localhost"
    ) as client:
        assert client.post("/api/extract", json={"text": text}).status_code == 401
        assert client.post("/extract.json", json={"text": text}).status_code == 401
        assert client.post("/extract", data={"text": text, "token": "wrong"}).status_code == 401
        assert 'name="token"' in client.get("/extract").text
        assert client.post("/api/extract", json={"text": text}, headers=AUTH).status_code == 200


def test_extractions_wait_in_a_short_queue() -> None:
    import threading

    from onrecord.serve.routes.extract import Busy, Extraction

    extraction = Extraction("fast", max_pending=1)
    release, started = threading.Event(), threading.Semaphore(0)

    def slow(raw: str, *, kind: str, url: str | None) -> object:
        started.release()
        release.wait(10)
        return raw

    extraction._run = slow  # type: ignore[method-assign]
    threads = [
        threading.Thread(target=extraction.run, args=("x",), kwargs={"kind": "text", "url": None})
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    started.acquire(timeout=10)
    started.acquire(timeout=10)  # both inside: one running, one waiting (the fake does not lock)
    with pytest.raises(Busy, match="E067"):
        extraction.run("y", kind="text", url=None)
    release.set()
    for thread in threads:
        thread.join(10)
    assert extraction.run("z", kind="text", url=None) == "z"


def test_head_favicon_and_access_log(db: str, caplog: pytest.LogCaptureFixture) -> None:
    import logging
    import re

    logger = logging.getLogger("onrecord.test-access")
    with TestClient(create_app(db, mode="fast", access_log=logger), base_url="http://localhost") as client:
        with caplog.at_level(logging.INFO, logger="onrecord.test-access"):
            got = client.get("/search?q=harbour")
            head = client.head("/search?q=harbour")
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == got.headers["content-length"]
        assert client.head("/speakers/Nobody").status_code == 404
        icon = client.get("/favicon.ico")
        assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/")
    lines = [r.getMessage() for r in caplog.records if r.name == "onrecord.test-access"]
    common = r'^testclient - - \[\d{2}/\w{3}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "(GET|HEAD) /search\?q=harbour HTTP/1.1" 200 \d+$'
    assert len(lines) == 2 and all(re.match(common, line) for line in lines), lines


def test_facets_count_every_match_and_filters_are_shown_by_name(client: TestClient) -> None:
    import csv
    import io

    everything = client.get("/search.json").json()
    speakers = {s["speaker_id"]: s["quote_count"] for s in client.get("/speakers.json").json()["speakers"]}
    assert everything["total"] == 3 == sum(f["count"] for f in everything["facets"]["type"])
    assert {f["value"]: f["count"] for f in everything["facets"]["speaker"]} == speakers
    lee = next(f for f in everything["facets"]["speaker"] if f["label"] == "Ann Lee")
    filtered = client.get("/search.json", params={"speaker": lee["value"], "limit": 1}).json()
    assert filtered["total"] == lee["count"] == 2 and len(filtered["quotes"]) == 1
    assert filtered["filters"] == [
        {"key": "speaker", "label": "speaker", "value": lee["value"], "shown": "Ann Lee", "remove": "limit=1"}
    ]
    assert "limit=1" in filtered["next"] and "offset=1" in filtered["next"]  # the page size is kept
    page = client.get("/search", params={"speaker": lee["value"]}).text
    assert 'value="Ann Lee"' in page and lee["value"] not in page.split('name="speaker"')[1][:60]
    assert 'aria-label="remove the speaker filter"' in page
    restored = client.get("/search.json?" + filtered["filters"][0]["remove"]).json()
    assert restored["total"] == everything["total"]
    # the CSV twin has the JSON twin's rows
    params = {"q": "harbour OR bridge", "limit": 100}
    rows = list(csv.DictReader(io.StringIO(client.get("/search.csv", params=params).text)))
    twin = client.get("/search.json", params=params).json()["quotes"]
    assert [r["quote_id"] for r in rows] == [q["quote_id"] for q in twin] and len(rows) == 3
    assert rows[0]["content_text"] == twin[0]["content_text"] and rows[0]["confidence"] == str(
        twin[0]["confidence"]
    )
    assert client.get("/search.csv").headers["content-type"].startswith("text/csv")


def test_bad_dates_and_big_chunked_bodies_are_refused(client: TestClient) -> None:
    for day in ("2016-13-45", "2016-02-30", "2016-00"):
        refused = client.get("/api/quotes", params={"since": day})
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "E061", day
    assert client.get("/api/quotes", params={"since": "2016-02-29", "until": "2024"}).status_code == 200

    def chunks() -> Iterator[bytes]:
        for _ in range(3 * 1024):
            yield b"x" * 1024

    big = client.post("/api/extract", content=chunks(), headers={"content-type": "application/json", **AUTH})
    assert big.status_code == 413 and big.json()["error"]["code"] == "E060"


def test_error_pages_show_the_code_once_and_link_no_missing_twin(client: TestClient) -> None:
    page = client.get("/speakers/Nobody").text
    assert page.count("E053") == 1 and ".json" not in page.split("</main>")[0].split("Back to search")[1]
    assert "/api/docs.json" not in client.get("/api/docs").text
    assert "/stance.json" not in client.get("/stance").text
    assert "/stance.json?topic=harbour" in client.get("/stance", params={"topic": "harbour"}).text


def test_no_first_appearance_without_dates(tmp_path: Path) -> None:
    path = str(tmp_path / "undated.db")
    words = "the harbour budget will not cover the winter ferries this year"
    with open_store(path) as store:
        for key in ("a", "b"):
            store.put_article(
                f"{key}.txt", key, make_article([("Ann Lee", "said", words)], published=None), "t"
            )
        consolidate(store)
    with TestClient(create_app(path, mode="fast"), base_url="http://localhost") as client:
        data = client.get("/quotes/a:q1.json").json()
        assert len(data["carried_by"]) == 2 and data["dated"] is False
        assert not any(row["first"] for row in data["carried_by"])
        page = client.get("/quotes/a:q1").text
        assert "first appearance" not in page and "which came first is unknown" in page


@pytest.mark.parametrize(
    ("check", "text", "shown"),
    [
        ("role", "Labour MP", True),
        ("role", "57 percent to 22 percent", False),
        ("role", "48%", False),
        ("medium", "a letter to Harbour Council", True),
        ("medium", "The Harbour Echo", True),
        ("medium", "X", True),
        ("medium", "harbourdaily.com", True),
        ("medium", "Dover City", False),
        ("addressee", "Tom Reyes", True),
        ("addressee", "reporters", True),
        ("addressee", "supporters in Kent", True),
        ("addressee", "an enormous cheer", False),
    ],
)
def test_a_speaker_page_shows_roles_media_and_addressees_of_the_right_kind(
    check: str, text: str, shown: bool
) -> None:
    from onrecord.serve.views import speakers as views

    assert {"role": views.is_role, "medium": views.is_medium, "addressee": views.is_addressee}[check](
        text
    ) is shown


@pytest.fixture(scope="module")
def diversity_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("diversity") / "d.db")
    build_diversity_corpus(path)
    return path


@pytest.fixture(scope="module")
def diversity_client(diversity_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(diversity_db, mode="fast"), base_url="http://localhost") as test_client:
        yield test_client


def counts(rows: list[dict[str, object]], key: str) -> list[tuple[object, ...]]:
    kinds = ("quotes", "female", "male", "unknown", "organization", "group", "unnamed")
    return [(r[key], *(r[k] for k in kinds), r["people_female"], r["people_male"], r["people"]) for r in rows]


def test_diversity_page_and_twins_count_who_is_quoted(diversity_client: TestClient) -> None:
    """/diversity.json by outlet and by month, its CSV (the CLI's columns) and the page: every
    kind of speaker counted, unknown and undated included."""
    import csv
    import io

    from onrecord.store.columns import DIVERSITY_COLUMNS

    by_outlet = diversity_client.get("/diversity.json").json()
    assert (by_outlet["by"], by_outlet["topic"], by_outlet["min_confidence"]) == ("outlet", "", None)
    #          outlet   quotes  f  m  u  org grp unnamed  people: f  m  all
    assert counts(by_outlet["rows"], "outlet") == [
        (None, 1, 0, 1, 0, 0, 0, 0, 0, 1, 1),
        ("North Post", 4, 2, 1, 0, 1, 0, 0, 1, 1, 2),
        ("South Herald", 3, 1, 0, 1, 0, 0, 1, 1, 0, 2),
    ]
    by_month = diversity_client.get("/diversity.json", params={"by": "month"}).json()
    assert counts(by_month["rows"], "month") == [
        (None, 1, 0, 1, 0, 0, 0, 0, 0, 1, 1),
        ("2024-03", 4, 2, 1, 0, 1, 0, 0, 1, 1, 2),
        ("2024-04", 3, 1, 0, 1, 0, 0, 1, 1, 0, 2),
    ]
    assert [r["share_women_people"] for r in by_month["rows"]] == [0.0, 0.5, 0.5]
    sure = diversity_client.get("/diversity.json", params={"min_confidence": 0.8, "topic": "ferry"}).json()
    assert (sure["topic"], sure["min_confidence"]) == ("ferry", 0.8)
    assert counts(sure["rows"], "outlet") == [("North Post", 2, 1, 1, 0, 0, 0, 0, 1, 1, 2)]

    download = diversity_client.get("/diversity.csv", params={"by": "month"})
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    reader = csv.DictReader(io.StringIO(download.text))
    assert reader.fieldnames == ["month", *DIVERSITY_COLUMNS]
    rows = list(reader)
    assert [r["month"] for r in rows] == ["", "2024-03", "2024-04"]
    assert [(r["quotes"], r["female"], r["unnamed"], r["share_unnamed"]) for r in rows][2] == (
        "3",
        "1",
        "1",
        "0.3333",
    )

    page = diversity_client.get("/diversity")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "not self-identified" in html and "never dropped" in html and "unnamed sources" in html
    assert 'href="/diversity"' in html  # in the navigation
    assert html.count('<rect class="k-') == 7  # North Post 3 segments, South Herald 3, no outlet 1
    assert "<title>South Herald: 3 quotations (1 women, 1 gender unknown, 1 unnamed sources)</title>" in html
    assert 'id="outlet-table"' in html and 'id="month-table"' in html
    assert "/diversity.csv?by=month" in html and "/diversity.json?by=month" in html


@pytest.mark.parametrize(
    "params",
    [{}, {"topic": "ferry"}, {"min_confidence": "0.8"}, {"topic": "-ferry harbour", "by": "month"}],
)
def test_diversity_bars_link_to_exactly_their_quotations(
    diversity_client: TestClient, params: dict[str, str]
) -> None:
    """Each outlet bar and month bar links to the search page whose total is the bar's count,
    the topic and the confidence carried into the link."""
    import html as html_module
    import re

    page = diversity_client.get("/diversity", params=params).text
    links = re.findall(
        r'<a href="(/search\?[^"]*)" aria-label="[^"]*" data-(outlet|month)="([^"]*)" data-quotes="(\d+)"',
        page,
    )
    twin = diversity_client.get("/diversity.json", params={**params, "by": "outlet"}).json()
    outlets = {r["outlet"] for r in twin["rows"]}
    assert {value for href, kind, value, n in links if kind == "outlet"} == outlets - {None}
    assert any(kind == "month" for href, kind, value, n in links)
    for href, _kind, _value, count in links:
        href = html_module.unescape(href)
        if params.get("min_confidence"):
            assert "min_confidence=0.8" in href
        search = diversity_client.get(href.replace("/search?", "/search.json?")).json()
        assert search["total"] == int(count) > 0, href


def test_diversity_refuses_what_it_cannot_group_by(diversity_client: TestClient) -> None:
    for path in ("/diversity.json?by=speaker", "/diversity.csv?by=topic", "/diversity.json?min_confidence=2"):
        refused = diversity_client.get(path)
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "E061", path
    page = diversity_client.get("/diversity?by=speaker")
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert "E061" in page.text
    assert diversity_client.get("/diversity.json?topic=-only").json()["error"]["code"] == "E050"


@pytest.mark.parametrize(
    "options",
    [
        ["--by", "outlet"],
        ["--by", "month"],
        ["--by", "outlet", "--topic", "ferry", "--min-confidence", "0.8"],
    ],
)
def test_diversity_json_has_the_cli_numbers(
    diversity_client: TestClient, diversity_db: str, options: list[str]
) -> None:
    """`onrecord diversity DB --by ... --format json` and /diversity.json: the same rows."""
    import json

    from click.testing import CliRunner

    from onrecord.cli import cli

    result = CliRunner().invoke(cli, ["diversity", diversity_db, *options, "--format", "json"])
    assert result.exit_code == 0, result.output
    cli_rows = json.loads(result.stdout)
    params = {"by": options[1]}
    if "--topic" in options:
        params.update({"topic": "ferry", "min_confidence": "0.8"})
    assert diversity_client.get("/diversity.json", params=params).json()["rows"] == cli_rows
    assert cli_rows and sum(r["quotes"] for r in cli_rows) > 0
