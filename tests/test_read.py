"""``onrecord.ingest.read`` and ``fetch``: every kind of bad input gets its own coded error.

No network: URLs are served by ``http.server`` on 127.0.0.1 in a thread. Tests run as root in
CI, where ``chmod 000`` does not stop reads, so unreadable files are simulated by making the
module's ``open`` raise ``PermissionError``.
"""

from __future__ import annotations

import io
import os
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from onrecord.errors import InputError
from onrecord.ingest import Document, read
from onrecord.ingest.fetch import fetch_url, is_url
from onrecord.ingest.read import DEFAULT_MAX_BYTES, decode, expand_inputs, read_source

ARTICLE_TEXT = (
    "Ferry service to end\n\n"
    "The harbour board voted on Tuesday to close the old ferry terminal by the end of the year.\n\n"
    '"We did not take this decision lightly," said Marta Oyelaran, who chairs the board.\n'
)

ARTICLE_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Board closes ferry terminal | The Coastal Courier</title>
<meta property="og:site_name" content="The Coastal Courier">
<meta property="article:published_time" content="2024-03-05">
</head><body><article><h1>Board closes ferry terminal</h1>
<p>The harbour board voted on Tuesday to close the old ferry terminal by the end of the year,
ending more than a century of crossings from the east quay of the island.</p>
<p>"We did not take this decision lightly," said Marta Oyelaran, who chairs the board. "The pier
is no longer safe and the repairs would cost more than building a new terminal."</p>
</article></body></html>"""

NO_BODY_HTML = "<html><head><title>Empty</title></head><body><script>var x = 1;</script></body></html>"


def write(path: Path, data: bytes | str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return str(path)


def code_of(err: pytest.ExceptionInfo[InputError]) -> str:
    return str(err.value)[1:5]


# --- expand_inputs ---------------------------------------------------------------------------


def test_expand_directory_recursive_sorted_filtered(tmp_path: Path) -> None:
    for name in ["b.html", "a.txt", "sub/c.htm", "sub/deeper/d.xhtml", "E.TEXT", "notes.json", "image.png"]:
        write(tmp_path / name, "x")
    found = expand_inputs([str(tmp_path)])
    rel = [os.path.relpath(p, tmp_path) for p in found]
    assert rel == ["E.TEXT", "a.txt", "b.html", "sub/c.htm", "sub/deeper/d.xhtml"]


def test_expand_keeps_stdin_urls_files_and_missing_paths(tmp_path: Path) -> None:
    odd = write(tmp_path / "article.md", "x")
    missing = str(tmp_path / "missing.txt")
    args = ["-", "https://example.org/a", odd, missing]
    assert expand_inputs(args) == args


def test_expand_lists_a_subdirectory_that_cannot_be_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "ok.txt", "x")
    locked = tmp_path / "locked"
    write(locked / "hidden.txt", "x")
    real_scandir = os.scandir

    def scandir(path: Any) -> Any:
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert expand_inputs([str(tmp_path)]) == [str(tmp_path / "locked"), str(tmp_path / "ok.txt")]


def test_expand_empty_directory_gives_nothing(tmp_path: Path) -> None:
    assert expand_inputs([str(tmp_path)]) == []


# --- read_source: good input -----------------------------------------------------------------


def test_read_plain_text_file_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "story.txt", ARTICLE_TEXT)
    doc = read_source("story.txt", clean=False)
    assert doc == Document(text=ARTICLE_TEXT, source_path="story.txt")


def test_read_plain_text_file_cleaned(tmp_path: Path) -> None:
    path = write(tmp_path / "story.txt", ARTICLE_TEXT)
    doc = read_source(path)
    assert doc.source_path == path
    assert doc.url is None
    assert "harbour board voted" in doc.text


def test_read_html_file(tmp_path: Path) -> None:
    path = write(tmp_path / "story.html", ARTICLE_HTML)
    doc = read_source(path)
    assert doc.title == "Board closes ferry terminal"
    assert doc.outlet == "The Coastal Courier"
    assert doc.published == "2024-03-05"
    assert doc.text.startswith("The harbour board voted")
    assert doc.source_path == path


def test_html_detected_by_content_whatever_the_name(tmp_path: Path) -> None:
    path = write(tmp_path / "story.dat", ARTICLE_HTML)
    assert read_source(path).title == "Board closes ferry terminal"


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + ARTICLE_TEXT.encode())
    assert read_source(path, clean=False).text == ARTICLE_TEXT


# --- read_source: bad input, one code each ---------------------------------------------------


def test_missing_file_is_e017(tmp_path: Path) -> None:
    path = str(tmp_path / "nope.txt")
    with pytest.raises(InputError, match=r"^\[E017\] .*nope\.txt: no such file or directory\.$"):
        read_source(path)


def test_missing_parent_is_e017(tmp_path: Path) -> None:
    path = write(tmp_path / "file.txt", "x")
    with pytest.raises(InputError) as err:
        read_source(os.path.join(path, "child.txt"))
    assert code_of(err) == "E017"


def test_directory_is_e015(tmp_path: Path) -> None:
    folder = tmp_path / "named-like-a-file.html"
    folder.mkdir()
    with pytest.raises(
        InputError, match=r"^\[E015\] .*named-like-a-file\.html: cannot read \(is a directory\)"
    ):
        read_source(str(folder))


def test_unreadable_file_is_e015(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "locked.txt", ARTICLE_TEXT)

    def denied(file: Any, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied", file)

    monkeypatch.setattr(read, "open", denied, raising=False)
    with pytest.raises(InputError, match=r"^\[E015\] .*locked\.txt: cannot read \(permission denied\)"):
        read_source(path)


def test_directory_with_one_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = write(tmp_path / "a.txt", ARTICLE_TEXT)
    locked = write(tmp_path / "b.txt", ARTICLE_TEXT)
    other = write(tmp_path / "c.html", ARTICLE_HTML)
    real_open = open

    def guarded(file: Any, *args: Any, **kwargs: Any) -> Any:
        if os.fspath(file) == locked:
            raise PermissionError(13, "Permission denied", file)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(read, "open", guarded, raising=False)
    sources = expand_inputs([str(tmp_path)])
    assert sources == [good, locked, other]
    outcome: dict[str, str] = {}
    for source in sources:
        try:
            read_source(source)
            outcome[source] = "ok"
        except InputError as err:
            outcome[source] = str(err)[1:5]
    assert outcome == {good: "ok", locked: "E015", other: "ok"}


def test_over_the_limit_is_e013(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as stream:
        stream.truncate(2_000)  # sparse: fast to make
    with pytest.raises(InputError, match=r"^\[E013\] .*big\.txt: 2000 bytes is over the limit of 1000 bytes"):
        read_source(str(path), max_bytes=1_000)


def test_50_mb_refused_by_size_without_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.html"
    with path.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)

    def must_not_open(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(read, "open", must_not_open, raising=False)
    with pytest.raises(InputError) as err:
        read_source(str(path))
    assert code_of(err) == "E013"
    assert f"52428800 bytes is over the limit of {DEFAULT_MAX_BYTES} bytes" in str(err.value)


def test_size_is_checked_before_content(tmp_path: Path) -> None:
    path = write(tmp_path / "big-binary.bin", b"\x00" * 64)
    with pytest.raises(InputError) as err:
        read_source(path, max_bytes=10)
    assert code_of(err) == "E013"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "E010"),
        (b"   \n\t\r\n  ", "E010"),
        (b"\xef\xbb\xbf  \n", "E010"),
        ("\u00a0\u2003\n".encode(), "E010"),
        (b"\x00\x01\x02PNG", "E011"),
        (b"text with a \x00 NUL inside", "E011"),
        (b"\xff\xfeh\x00\x00\x00i\x00", "E011"),  # UTF-16 with a NUL character inside
        (b"\xff\xfe \x00\n\x00", "E010"),  # UTF-16 of white space only
        (b"caf\xe9 au lait", "E012"),  # Latin-1
        (b"\x00\xff", "E011"),  # binary is checked before UTF-8
    ],
)
def test_bad_content(tmp_path: Path, data: bytes, code: str) -> None:
    path = write(tmp_path / "bad.txt", data)
    with pytest.raises(InputError) as err:
        read_source(path)
    assert code_of(err) == code
    assert "bad.txt" in str(err.value)


def test_invalid_utf8_gives_the_byte_offset() -> None:
    with pytest.raises(InputError, match=r"^\[E012\] f\.txt: not valid UTF-8 \(byte 0xe9 at offset 3: "):
        decode(b"caf\xe9 au lait", "f.txt")
    # offsets count the BOM, so they point into the file as it is
    with pytest.raises(InputError, match=r"byte 0xff at offset 5"):
        decode(b"\xef\xbb\xbfab\xff", "f.txt")


def test_html_without_body_is_e014(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.html", NO_BODY_HTML)
    with pytest.raises(InputError, match=r"^\[E014\] .*empty\.html: HTML with no extractable body text"):
        read_source(path)


# --- stdin -----------------------------------------------------------------------------------


class FakeStdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_stdin_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", FakeStdin(ARTICLE_TEXT.encode()))
    doc = read_source("-", clean=False)
    assert doc.text == ARTICLE_TEXT
    assert doc.source_path == "-"


def test_stdin_html(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", FakeStdin(ARTICLE_HTML.encode()))
    doc = read_source("-")
    assert doc.title == "Board closes ferry terminal"
    assert doc.source_path == "-"


@pytest.mark.parametrize(("data", "code"), [(b"", "E010"), (b"\x00\x00", "E011"), (b"\xc3\x28", "E012")])
def test_stdin_bad_input_names_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes, code: str) -> None:
    monkeypatch.setattr(sys, "stdin", FakeStdin(data))
    with pytest.raises(InputError, match=rf"^\[{code}\] <stdin>: "):
        read_source("-")


def test_stdin_over_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", FakeStdin(b"x" * 101))
    with pytest.raises(InputError, match=r"^\[E013\] <stdin>: more than 100 bytes is over the limit of 100"):
        read_source("-", max_bytes=100)


# --- URLs ------------------------------------------------------------------------------------

ROUTES: dict[str, tuple[int, str, bytes]] = {
    "/story.html": (200, "text/html; charset=utf-8", ARTICLE_HTML.encode()),
    "/story.txt": (200, "text/plain; charset=utf-8", ARTICLE_TEXT.encode()),
    "/empty.html": (200, "text/html", NO_BODY_HTML.encode()),
    "/blank": (200, "text/html", b""),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status, kind, body = ROUTES.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_url_html(server: str) -> None:
    url = f"{server}/story.html"
    doc = read_source(url, allow_private=True)
    assert doc.source_path == url
    assert doc.url == url
    assert doc.title == "Board closes ferry terminal"
    assert doc.text.startswith("The harbour board voted")


def test_url_plain_text(server: str) -> None:
    url = f"{server}/story.txt"
    doc = read_source(url, clean=False, allow_private=True)
    assert doc == Document(text=ARTICLE_TEXT, source_path=url, url=url)


def test_private_address_refused_by_default(server: str) -> None:
    with pytest.raises(
        InputError, match=r"^\[E016\] http://127\.0\.0\.1:\d+/story\.html: .*non-public address"
    ):
        read_source(f"{server}/story.html")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", r"\[E016\] .*/missing: fetching the URL failed \(HTTP status 404\)"),
        ("/blank", r"\[E016\] .*empty"),
    ],
)
def test_url_failures_are_e016(server: str, path: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        fetch_url(f"{server}{path}", allow_private=True, timeout=5)


def test_url_without_body_is_e014(server: str) -> None:
    with pytest.raises(InputError, match=r"^\[E014\] http://127\.0\.0\.1:\d+/empty\.html"):
        read_source(f"{server}/empty.html", allow_private=True)


def test_url_over_the_limit_is_e013(server: str) -> None:
    with pytest.raises(
        InputError, match=r"^\[E013\] .*/story\.html: more than 100 bytes is over the limit of 100"
    ):
        read_source(f"{server}/story.html", allow_private=True, max_bytes=100)


def test_connection_refused_is_e016() -> None:
    with ThreadingHTTPServer(("127.0.0.1", 0), Handler) as httpd:
        port = httpd.server_address[1]  # bound, then closed: nothing listens there
    with pytest.raises(InputError, match=r"^\[E016\] .*\(.*Connection refused\)"):
        fetch_url(f"http://127.0.0.1:{port}/x", allow_private=True, timeout=2)


@pytest.mark.parametrize(
    ("arg", "expected"),
    [
        ("http://example.org/a", True),
        ("HTTPS://example.org", True),
        ("ftp://example.org/a", False),
        ("http://", False),
        ("example.org/a.html", False),
        ("-", False),
        ("C:\\news\\a.txt", False),
    ],
)
def test_is_url(arg: str, expected: bool) -> None:
    assert is_url(arg) is expected


def test_fetch_refuses_other_schemes() -> None:
    with pytest.raises(InputError, match=r"^\[E016\] ftp://example\.org/a: .*not an http"):
        fetch_url("ftp://example.org/a")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-16", "utf-32"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_read(encoding: str) -> None:
    """Windows tools write UTF-16 with a BOM; it was called binary (E011) for its NUL bytes."""
    import codecs

    text = "Ana Ortiz said the ferry toll would rise. \u201cNo choice,\u201d she said. Caf\u00e9 \u2014 \U0001f600"
    bom = {
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-le": codecs.BOM_UTF32_LE,
        "utf-32-be": codecs.BOM_UTF32_BE,
    }.get(encoding, b"")
    assert decode(bom + text.encode(encoding), "story.txt") == text
    with pytest.raises(InputError, match="E012"):
        decode(codecs.BOM_UTF16_LE + b"\x00\xd8", "cut.txt")  # a lone surrogate half


def test_gzipped_articles_are_read_in_files_and_folders(tmp_path: Path) -> None:
    """``page.html.gz`` and ``story.txt.gz`` (as WCXB and many crawls keep them) were E011."""
    import gzip

    from onrecord.ingest.read import expand_inputs, read_source

    page = "<html><head><title>Toll rise</title></head><body><article><p>Ana Ortiz said the ferry toll would rise in the spring after a long meeting of the harbour board.</p></article></body></html>"
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(page.encode()))
    (tmp_path / "story.txt.gz").write_bytes(
        gzip.compress(b"Ben Lutz said the bridge would close for a week.")
    )
    (tmp_path / "notes.gz").write_bytes(gzip.compress(b"not an article name"))
    assert expand_inputs([str(tmp_path)]) == [str(tmp_path / "page.html.gz"), str(tmp_path / "story.txt.gz")]
    html = read_source(str(tmp_path / "page.html.gz"))
    assert html.title == "Toll rise" and "ferry toll would rise" in html.text
    assert (
        read_source(str(tmp_path / "story.txt.gz")).text == "Ben Lutz said the bridge would close for a week."
    )
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"a" * 5_000_000))
    with pytest.raises(InputError, match=r"E013.*bomb.txt.gz \(decompressed\): more than 1000000 bytes"):
        read_source(str(bomb), max_bytes=1_000_000)
    cut = tmp_path / "cut.txt.gz"
    cut.write_bytes(gzip.compress(b"Ben Lutz said the bridge would close." * 50)[:-12])
    with pytest.raises(InputError, match=r"E015.*cut short"):
        read_source(str(cut))
    (tmp_path / "fake.html.gz").write_bytes(b"<html>plain, not gzip</html>")
    with pytest.raises(InputError, match=r"E015.*not readable as gzip"):
        read_source(str(tmp_path / "fake.html.gz"))


def test_gzipped_articles_are_corpus_inputs(tmp_path: Path) -> None:
    import gzip

    from onrecord.corpus.sources import expand_sources, iter_items

    (tmp_path / "page.htm.gz").write_bytes(
        gzip.compress(b"<html><body><p>Ana Ortiz said the toll would rise.</p></body></html>")
    )
    (tmp_path / "story.text.gz").write_bytes(gzip.compress(b"Ben Lutz said the bridge would close."))
    paths = expand_sources([str(tmp_path)])
    assert [Path(p).name for p in paths] == ["page.htm.gz", "story.text.gz"]
    items = list(iter_items(paths))
    assert [(Path(i.key).name, i.kind) for i in items] == [("page.htm.gz", "html"), ("story.text.gz", "text")]
