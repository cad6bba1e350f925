"""``onrecord.corpus.sources.iter_items``: every input kind, and every kind of bad record as a Failure.

All fixtures are written in ``tmp_path`` at test time: short made-up sentences, and WARC files
built with warcio's ``WARCWriter`` (one gzip member per record for .warc.gz, as Common Crawl
writes them). Expected WARC offsets come from warcio's own reader, not from the code under test.
"""

from __future__ import annotations

import gzip
import io
import json
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from onrecord.corpus import budgets
from onrecord.corpus.records import Failure, Item
from onrecord.corpus.sources import expand_sources, iter_items

PAGE = (
    "<!DOCTYPE html><html><head><title>Bridge {n}</title></head><body><article>"
    "<p>The county opened bridge number {n} on Monday after two years of work.</p>"
    '<p>"It was worth the wait," said a commuter who crosses it every day.</p>'
    "</article></body></html>"
)
TEXT = "The library will stay open late on Fridays, the town clerk said on Monday.\n"


def write(path: Path, data: bytes | str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return str(path)


def code(entry: Item | Failure) -> str:
    """The E0xx code of a Failure, "" for an Item."""
    return entry.reason[1:5] if isinstance(entry, Failure) else ""


def items(entries: list[Item | Failure]) -> list[Item]:
    return [entry for entry in entries if isinstance(entry, Item)]


def failures(entries: list[Item | Failure]) -> list[Failure]:
    return [entry for entry in entries if isinstance(entry, Failure)]


# --- WARC fixtures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rec:
    """One record to write: ``kind`` is the WARC-Type; the rest apply where they make sense."""

    kind: str
    url: str = "https://news.example.org/"
    body: bytes = b""
    status: str = "200 OK"
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


def page(n: int) -> bytes:
    return PAGE.format(n=n).encode()


def response(n: int, status: str = "200 OK", content_type: str = "text/html; charset=utf-8") -> Rec:
    return Rec("response", f"https://news.example.org/story/{n}", page(n), status, content_type)


def write_warc(path: Path, records: list[Rec], *, compress: bool | None = None) -> str:
    """Write ``records`` to ``path``, gzipped (a member per record) when its name ends in .gz."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=path.name.endswith(".gz") if compress is None else compress)
        for rec in records:
            writer.write_record(make_record(writer, rec))
    return str(path)


def make_record(writer: WARCWriter, rec: Rec) -> object:
    if rec.kind == "warcinfo":
        return writer.create_warcinfo_record("test.warc", {"software": "tests/test_sources.py"})
    if rec.kind == "request":
        http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example.org")], is_http_request=True)
        return writer.create_warc_record(rec.url, "request", payload=io.BytesIO(b""), http_headers=http)
    if rec.kind == "response":
        fields = [("Content-Type", rec.content_type), *rec.headers]
        http = StatusAndHeaders(rec.status, fields, protocol="HTTP/1.1")
        return writer.create_warc_record(rec.url, "response", payload=io.BytesIO(rec.body), http_headers=http)
    content_type = rec.content_type if rec.kind == "resource" else "application/warc-fields"
    return writer.create_warc_record(
        rec.url, rec.kind, payload=io.BytesIO(rec.body), warc_content_type=content_type
    )


def warcio_offsets(path: str) -> list[tuple[int, str]]:
    """``(offset, WARC-Type)`` of every record, as warcio reads them."""
    with open(path, "rb") as stream:
        records = ArchiveIterator(stream)
        return [(records.get_record_offset(), record.rec_type) for record in records]


MIXED = [
    Rec("warcinfo"),
    Rec("request"),
    response(1),
    Rec("metadata", body=b"fetchTimeMs: 12\r\n"),
    Rec("request"),
    response(2),
    response(3, status="404 Not Found"),
    response(4, content_type="image/png"),
    Rec("response", "https://news.example.org/plain", TEXT.encode(), content_type="text/plain"),
    Rec("resource", "https://news.example.org/res", page(5), content_type="text/html"),
    Rec("resource", "https://news.example.org/css", b"p { color: red }", content_type="text/css"),
    response(6, content_type="application/xhtml+xml"),
]


# --- text and HTML files ---------------------------------------------------------------------


def test_text_file_is_one_text_item(tmp_path: Path) -> None:
    path = write(tmp_path / "note.txt", TEXT)
    assert list(iter_items([path])) == [Item(path, TEXT, "text")]


@pytest.mark.parametrize(
    ("name", "content"),
    [("story.html", "<p>Bridge opens</p>"), ("story.HTM", "just words, named as HTML"), ("story.txt", PAGE)],
)
def test_html_by_name_or_content(tmp_path: Path, name: str, content: str) -> None:
    path = write(tmp_path / name, content)
    assert list(iter_items([path])) == [Item(path, content, "html")]


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"", "E010"), (b"  \n\t", "E010"), (b"text\x00more", "E011"), (b"caf\xe9", "E012")],
)
def test_bad_text_file_is_a_failure(tmp_path: Path, content: bytes, expected: str) -> None:
    path = write(tmp_path / "bad.txt", content)
    [entry] = iter_items([path])
    assert isinstance(entry, Failure) and entry.key == path and code(entry) == expected


def test_text_file_over_max_bytes(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", "word " * 100)
    [entry] = iter_items([path], max_bytes=100)
    assert code(entry) == "E013" and entry.key == path


@pytest.mark.parametrize("name", ["gone.txt", "gone.jsonl", "gone.jsonl.gz", "gone.warc", "gone.warc.gz"])
def test_missing_path(tmp_path: Path, name: str) -> None:
    path = str(tmp_path / name)
    assert list(iter_items([path])) == [Failure(path, f"[E017] {path}: no such file or directory.")]


def test_directory_named_like_an_archive_is_expanded(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "box.warc" / "inner.warc", [response(1)])
    assert [entry.key for entry in iter_items([str(tmp_path / "box.warc")])] == [f"{path}#0"]


# --- directories -----------------------------------------------------------------------------


def test_directory_expansion_is_recursive_sorted_and_filtered(tmp_path: Path) -> None:
    names = [
        "b.txt",
        "a.html",
        "C.WARC.GZ",
        "sub/d.jsonl",
        "sub/e.warc",
        "sub/deep/f.jsonl.gz",
        "sub/g.xhtml",
        "notes.json",
        "image.png",
        "archive.warc.bz2",
    ]
    for name in names:
        write(tmp_path / name, "x")
    expected = sorted(
        str(tmp_path / name) for name in names if name not in ("notes.json", "image.png", "archive.warc.bz2")
    )
    assert expand_sources([str(tmp_path)]) == expected
    single = str(tmp_path / "notes.json")
    assert expand_sources([single, str(tmp_path / "sub")]) == [single, *[p for p in expected if "/sub/" in p]]


def test_inputs_keep_their_order(tmp_path: Path) -> None:
    first = write(tmp_path / "z.txt", TEXT)
    second = write(tmp_path / "a.txt", TEXT)
    assert [entry.key for entry in iter_items([first, second])] == [first, second]


# --- JSONL -----------------------------------------------------------------------------------


def jsonl(*lines: object) -> str:
    return "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)


def test_jsonl_lines_and_each_kind_of_broken_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "feed.jsonl",
        jsonl(
            {"text": TEXT, "url": "https://x.example/1", "title": "Library hours", "outlet": "Town Post"},
            {"html": PAGE, "published": "2024-05-01", "url": ""},
            "",
            "   ",
            "{not json",
            [1, 2],
            {"title": "no body"},
            {"text": 42},
            {"text": "   "},
            {"text": TEXT, "url": ["not", "a", "string"]},
            {"html": None, "text": "Only the text is there."},
            '"just a string"',
        ),
    )
    entries = list(iter_items([path]))
    assert items(entries) == [
        Item(f"{path}#1", TEXT, "text", url="https://x.example/1", title="Library hours", outlet="Town Post"),
        Item(f"{path}#2", PAGE, "html", published="2024-05-01"),
        Item(f"{path}#11", "Only the text is there.", "text"),
    ]
    broken = {entry.key: entry.reason for entry in failures(entries)}
    assert list(broken) == [f"{path}#{n}" for n in (5, 6, 7, 8, 9, 10, 12)]
    for key, reason in broken.items():
        line = key.rsplit("#", 1)[1]
        assert reason.startswith(f"[E040] {path}, line {line}: "), reason
    assert "invalid JSON" in broken[f"{path}#5"]
    assert "expected a JSON object, got an array" in broken[f"{path}#6"]
    assert "no 'text' or 'html' field" in broken[f"{path}#7"]
    assert "'text' must be a string, got a number" in broken[f"{path}#8"]
    assert "'text' is empty" in broken[f"{path}#9"]
    assert "'url' must be a string, got an array" in broken[f"{path}#10"]
    assert "expected a JSON object, got a string" in broken[f"{path}#12"]


def test_jsonl_bad_bytes_deep_nesting_and_bom(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + json.dumps({"text": "First line."}).encode() + b"\n"
    data += b'{"text": "caf\xe9"}\n' + b"[" * 100_000 + b"\n" + b'{"text": "Last."}'
    path = write(tmp_path / "odd.jsonl", data)
    entries = list(iter_items([path]))
    assert [(entry.key, code(entry)) for entry in entries] == [
        (f"{path}#1", ""),
        (f"{path}#2", "E040"),
        (f"{path}#3", "E040"),
        (f"{path}#4", ""),
    ]
    assert "not valid UTF-8" in entries[1].reason  # type: ignore[union-attr]
    assert items(entries)[1].raw == "Last."


def test_jsonl_line_over_max_bytes_is_skipped_alone(tmp_path: Path) -> None:
    path = write(
        tmp_path / "long.jsonl", jsonl({"text": "short"}, {"text": "long " * 200}, {"text": "after"})
    )
    entries = list(iter_items([path], max_bytes=200))
    assert [(entry.key, code(entry)) for entry in entries] == [
        (f"{path}#1", ""),
        (f"{path}#2", "E013"),
        (f"{path}#3", ""),
    ]


def test_jsonl_gz(tmp_path: Path) -> None:
    content = jsonl({"text": "One."}, "oops", {"html": PAGE, "outlet": "Gazette"}).encode()
    path = write(tmp_path / "feed.jsonl.gz", gzip.compress(content))
    entries = list(iter_items([path]))
    assert [(entry.key, code(entry)) for entry in entries] == [
        (f"{path}#1", ""),
        (f"{path}#2", "E040"),
        (f"{path}#3", ""),
    ]
    assert items(entries)[1] == Item(f"{path}#3", PAGE, "html", outlet="Gazette")


@pytest.mark.parametrize("damage", ["truncate", "corrupt", "not gzip"])
def test_broken_jsonl_gz_fails_once_and_the_next_input_goes_on(tmp_path: Path, damage: str) -> None:
    lines = [{"text": f"Line number {n} of the feed."} for n in range(2000)]
    data = gzip.compress(jsonl(*lines).encode())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "corrupt":
        data = data[: len(data) // 2] + bytes(b ^ 0xFF for b in data[len(data) // 2 : len(data) // 2 + 50])
    else:
        data = b"plain words, not gzip\n"
    path = write(tmp_path / "feed.jsonl.gz", data)
    after = write(tmp_path / "after.txt", TEXT)
    entries = list(iter_items([path, after]))
    assert entries[-1] == Item(after, TEXT, "text")
    assert [entry.key for entry in entries[:-2]] == [f"{path}#{n}" for n in range(1, len(entries) - 1)]
    assert all(isinstance(entry, Item) for entry in entries[:-2])
    assert entries[-2].key == path and code(entries[-2]) == "E042"


def test_jsonl_gz_bomb_line_is_capped(tmp_path: Path) -> None:
    bomb = b'{"text": "' + b"0" * 20_000_000 + b'"}\n'
    path = write(tmp_path / "bomb.jsonl.gz", gzip.compress(bomb + b'{"text": "fine"}\n'))
    tracemalloc.start()
    try:
        entries = list(iter_items([path], max_decompressed=1_000_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [(entry.key, code(entry)) for entry in entries] == [(f"{path}#1", "E013"), (f"{path}#2", "")]
    assert peak < 5_000_000


def test_jsonl_gz_file_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(budgets, "FILE_DECOMPRESSED_FACTOR", 3)
    lines = [{"text": "A line of some length to fill the budget."}] * 100
    path = write(tmp_path / "many.jsonl.gz", gzip.compress(jsonl(*lines).encode()))
    entries = list(iter_items([path], max_decompressed=1000))
    assert code(entries[-1]) == "E043" and entries[-1].key == path
    assert 0 < len(items(entries)) < 100


# --- WARC ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["mixed.warc", "mixed.warc.gz"])
def test_warc_html_responses_only(tmp_path: Path, name: str) -> None:
    path = write_warc(tmp_path / name, MIXED)
    offsets = warcio_offsets(path)
    assert [kind for _, kind in offsets] == [rec.kind for rec in MIXED]
    taken = [2, 5, 8, 9, 11]  # positions in MIXED of the records that become Items
    read = list(iter_items([path]))
    entries = items(read)
    assert entries == read
    assert [entry.key for entry in entries] == [f"{path}#{offsets[i][0]}" for i in taken]
    assert [entry.url for entry in entries] == [MIXED[i].url for i in taken]
    assert [entry.kind for entry in entries] == ["html", "html", "text", "html", "html"]
    assert [entry.raw for entry in entries] == [MIXED[i].body.decode() for i in taken]
    assert all(entry.published is None and entry.title is None for entry in entries)
    assert list(iter_items([path])) == read  # stable keys across reads


def test_warc_charset_and_encodings(tmp_path: Path) -> None:
    latin = "<html><body><p>Le café a rouvert.</p></body></html>"
    records = [
        Rec(
            "response",
            "https://x.example/latin",
            latin.encode("latin-1"),
            content_type="text/html; charset=ISO-8859-1",
        ),
        Rec(
            "response",
            "https://x.example/unknown",
            "<p>naïve</p>".encode(),
            content_type="text/html; charset=nope",
        ),
        Rec("response", "https://x.example/bad", b"<p>caf\xe9</p>", content_type="text/html"),
        Rec(
            "response",
            "https://x.example/gz",
            gzip.compress(page(1)),
            headers=(("Content-Encoding", "gzip"),),
        ),
        Rec("response", "https://x.example/done", page(2), headers=(("Content-Encoding", "gzip"),)),
        Rec(
            "response",
            "https://x.example/chunked",
            b"a\r\n<p>chunks \r\n6\r\nhere.\n\r\n0\r\n\r\n",
            headers=(("Transfer-Encoding", "chunked"),),
        ),
        Rec("response", "https://x.example/odd", page(3), headers=(("Content-Encoding", "compress"),)),
        Rec(
            "response",
            "https://x.example/broken",
            b"\x1f\x8bnot really gzip",
            headers=(("Content-Encoding", "gzip"),),
        ),
        Rec("response", "https://x.example/empty", b"  \n "),
        Rec("response", "https://x.example/nul", b"<p>a\x00b</p>"),
    ]
    path = write_warc(tmp_path / "enc.warc", records)
    entries = list(iter_items([path]))
    assert [(entry.url if isinstance(entry, Item) else "", code(entry)) for entry in entries] == [
        ("https://x.example/latin", ""),
        ("https://x.example/unknown", ""),
        ("https://x.example/bad", ""),
        ("https://x.example/gz", ""),
        ("https://x.example/done", ""),
        ("https://x.example/chunked", ""),
        ("", "E044"),
        ("", "E044"),
        ("", "E010"),
        ("", "E011"),
    ]
    raws = [entry.raw for entry in items(entries)]
    assert raws[:3] == [latin, "<p>naïve</p>", "<p>caf\ufffd</p>"]
    assert raws[3:5] == [page(1).decode(), page(2).decode()]
    assert raws[5] == "<p>chunks here.\n"


def test_warc_payload_over_max_bytes_is_skipped_alone(tmp_path: Path) -> None:
    big = Rec("response", "https://x.example/big", b"<p>" + b"long " * 1000 + b"</p>")
    path = write_warc(tmp_path / "big.warc.gz", [response(1), big, response(2)])
    entries = list(iter_items([path], max_bytes=2000))
    assert [code(entry) for entry in entries] == ["", "E013", ""]
    assert entries[1].key == f"{path}#{warcio_offsets(path)[1][0]}"


@pytest.mark.parametrize("name", ["cut.warc", "cut.warc.gz"])
def test_truncated_last_record(tmp_path: Path, name: str) -> None:
    whole = write_warc(
        tmp_path / f"whole-{name}", [Rec("warcinfo"), response(1), Rec("request"), response(2), response(3)]
    )
    last = warcio_offsets(whole)[-1][0]
    data = Path(whole).read_bytes()
    after = write(tmp_path / "after.txt", TEXT)
    for cut in (last + 3, last + 40, last + 150, last + (len(data) - last) // 2, len(data) - 40):
        path = write(tmp_path / name, data[:cut])
        entries = list(iter_items([path, after]))
        assert [code(entry) for entry in entries] == ["", "", "E041", ""], cut
        assert entries[2].key in (path, f"{path}#{last}"), cut
        assert entries[3] == Item(after, TEXT, "text")


def test_record_cut_at_a_member_boundary_is_whole(tmp_path: Path) -> None:
    whole = write_warc(tmp_path / "whole.warc.gz", [response(1), response(2), response(3)])
    last = warcio_offsets(whole)[-1][0]
    path = write(tmp_path / "cut.warc.gz", Path(whole).read_bytes()[:last])
    assert [code(entry) for entry in iter_items([path])] == ["", ""]


def test_corrupt_gzip_member(tmp_path: Path) -> None:
    whole = write_warc(tmp_path / "whole.warc.gz", [response(n) for n in range(1, 6)])
    offsets = [offset for offset, _ in warcio_offsets(whole)]
    data = bytearray(Path(whole).read_bytes())
    for at in range(offsets[2] + 20, offsets[2] + 60):
        data[at] ^= 0xFF
    path = write(tmp_path / "corrupt.warc.gz", bytes(data))
    after = write(tmp_path / "after.txt", TEXT)
    entries = list(iter_items([path, after]))
    assert [entry.key for entry in entries] == [f"{path}#{offsets[0]}", f"{path}#{offsets[1]}", path, after]
    assert code(entries[2]) == "E042"


def test_gzip_bomb_record_is_refused_without_reading_it(tmp_path: Path) -> None:
    bomb = Rec("response", "https://x.example/bomb", b"<html><body>" + b"0" * 50_000_000)
    path = write_warc(tmp_path / "bomb.warc.gz", [response(1), bomb, response(2)])
    tracemalloc.start()
    start = time.perf_counter()
    try:
        entries = list(iter_items([path], max_decompressed=1_000_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - start < 10
    assert [code(entry) for entry in entries] == ["", "E013", ""]
    assert entries[1].key == f"{path}#{warcio_offsets(path)[1][0]}"
    assert "over the limit of 1000000 bytes" in entries[1].reason  # type: ignore[union-attr]
    assert peak < 5_000_000


def test_content_encoding_bomb_is_capped(tmp_path: Path) -> None:
    body = gzip.compress(b"\0" * 50_000_000)
    bomb = Rec("response", "https://x.example/bomb", body, headers=(("Content-Encoding", "gzip"),))
    path = write_warc(tmp_path / "bomb.warc", [response(1), bomb, response(2)])
    tracemalloc.start()
    try:
        entries = list(iter_items([path], max_decompressed=1_000_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [code(entry) for entry in entries] == ["", "E013", ""]
    assert peak < 5_000_000


def test_warc_gz_file_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(budgets, "FILE_DECOMPRESSED_FACTOR", 2)
    path = write_warc(tmp_path / "many.warc.gz", [response(n) for n in range(20)])
    entries = list(iter_items([path], max_decompressed=1000))
    assert code(entries[-1]) == "E043" and entries[-1].key == path
    assert 0 < len(entries) - 1 < 20


def test_single_gzip_stream_warc_is_refused(tmp_path: Path) -> None:
    plain = write_warc(tmp_path / "plain.warc", [response(1), response(2), response(3)])
    path = write(tmp_path / "single.warc.gz", gzip.compress(Path(plain).read_bytes()))
    entries = list(iter_items([path]))
    assert [entry.key for entry in entries] == [f"{path}#0", path]
    assert code(entries[-1]) == "E045"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "E010"),
        (b"This is a note, not an archive.\n", "E041"),
        (b"\n\n", "E041"),
        (gzip.compress(b"Hello there.\n"), "E041"),
        (b"\x1f\x8b\x08\x00broken", "E042"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\xff" * 20, "E042"),
    ],
)
def test_not_a_warc(tmp_path: Path, content: bytes, expected: str) -> None:
    path = write(tmp_path / "odd.warc.gz", content)
    assert [(entry.key, code(entry)) for entry in iter_items([path])] == [(path, expected)]


# --- everything together ---------------------------------------------------------------------


def test_a_directory_of_everything_reads_the_same_twice(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", TEXT)
    write(tmp_path / "b.html", PAGE)
    write(tmp_path / "c" / "feed.jsonl", jsonl({"text": "One."}, "broken", {"html": PAGE}))
    write(tmp_path / "c" / "feed.jsonl.gz", gzip.compress(jsonl({"text": "Two."}).encode()))
    write_warc(tmp_path / "d" / "crawl.warc.gz", MIXED)
    write_warc(tmp_path / "d" / "crawl.warc", MIXED)
    write(tmp_path / "d" / "empty.txt", "")
    first = list(iter_items([str(tmp_path), str(tmp_path / "missing.txt")]))
    assert first == list(iter_items([str(tmp_path), str(tmp_path / "missing.txt")]))
    assert len(items(first)) == 2 + 2 + 1 + 5 + 5
    assert [code(entry) for entry in failures(first)] == ["E040", "E010", "E017"]
    keys = [entry.key for entry in first]
    assert len(keys) == len(set(keys))


def test_a_broken_json_line_is_described_once(tmp_path: Path) -> None:
    """json's "Unterminated string starting at" was followed by "at column": "at at column"."""
    path = write(tmp_path / "feed.jsonl", '{"text": "unterminated\n')
    (reason,) = [entry.reason for entry in failures(list(iter_items([path])))]
    assert reason.startswith(f"[E040] {path}, line 1: invalid JSON: ") and " at (column " in reason, reason
    assert " at at " not in reason


def test_a_warc_gz_of_large_records_written_by_warcio_is_read(tmp_path: Path) -> None:
    """Records over 64 KB decompressed were a false E045 ("one gzip member per record"): zlib
    left the bytes after the member both in unused_data and in unconsumed_tail."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    paragraph = (
        "<p>Ana Ortiz said the ferry toll would rise in the spring after a long meeting of the board.</p>"
    )
    body = f"<html><head><title>Toll</title></head><body><article>{paragraph * 22_000}</article></body></html>".encode()
    assert len(body) > 2_000_000
    path = tmp_path / "big.warc.gz"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for n in range(3):
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                f"https://x.example/{n}", "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)
    entries = list(iter_items([str(path)]))
    assert failures(entries) == []
    assert [item.url for item in items(entries)] == [f"https://x.example/{n}" for n in range(3)]
    assert all(len(item.raw) == len(body) for item in items(entries))


def test_file_budget_follows_the_compression_ratio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a small file that decompresses to far more than its size times the ratio stops (E043)
    # long before the absolute budget; ordinary pages of the same count read through
    monkeypatch.setattr(budgets, "FILE_RATIO_FLOOR", 10_000)
    monkeypatch.setattr(budgets, "FILE_DECOMPRESSION_RATIO", 20)
    filler = "<p>" + "0" * 50_000 + "</p>"
    bombs = [
        Rec("response", f"https://x.example/{n}", f"<html><body>{filler}</body></html>".encode())
        for n in range(8)
    ]
    path = write_warc(tmp_path / "bombs.warc.gz", bombs)
    assert Path(path).stat().st_size * 20 < 8 * 50_000
    entries = list(iter_items([path]))
    assert code(entries[-1]) == "E043" and entries[-1].key == path
    assert "more than" in entries[-1].reason  # type: ignore[union-attr]
    ordinary = write_warc(tmp_path / "pages.warc.gz", [response(n) for n in range(8)])
    assert all(code(entry) == "" for entry in iter_items([ordinary]))


def test_jsonl_gz_budget_follows_the_compression_ratio(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(budgets, "FILE_RATIO_FLOOR", 50_000)
    monkeypatch.setattr(budgets, "FILE_DECOMPRESSION_RATIO", 20)
    lines = [{"text": "0" * 20_000}] * 10
    path = write(tmp_path / "zeros.jsonl.gz", gzip.compress(jsonl(*lines).encode()))
    entries = list(iter_items([path]))
    assert code(entries[-1]) == "E043" and 0 < len(items(entries)) < 10
