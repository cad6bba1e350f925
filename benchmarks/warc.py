"""Records per second of reading the HTML payloads of a WARC.gz, with FastWARC and with warcio.

Usage (from the repository root)::

    python benchmarks/warc.py [PATH] [--records N] [--repeat R] [--json]

Without ``PATH`` it writes (in a temporary folder) a synthetic Common Crawl News style WARC.gz
of ``--records`` HTML responses (default 2,000), each with its request and metadata record and
a page of about 20 KB of made-up English, one gzip member per record. Each reader then goes
over every record and, for every ``response`` with status 200 and an HTML content type, reads
the whole payload, exactly as ``onrecord.corpus.sources`` needs to; the best of ``--repeat``
runs counts. ``onrecord`` is ``iter_items`` itself (FastWARC plus its fault checks), so its
figure shows what the checks cost.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Running ``python benchmarks/warc.py`` puts this folder first on sys.path; put the repository
# root there instead, so that ``onrecord`` imports from the checkout.
_HERE = Path(__file__).resolve().parent
if sys.path and Path(sys.path[0] or ".").resolve() == _HERE:
    sys.path[0] = str(_HERE.parent)

import argparse
import io
import json
import random
import tempfile
import time
from collections.abc import Callable, Sequence

WORDS = (
    "the council said on Tuesday that a new plan for the river port would cost more than "
    "expected and residents asked whether the mayor had known about the delay since spring "
    "officials declined to comment further while engineers reviewed budget figures again"
).split()


def fake_page(rng: random.Random, number: int, size: int = 20_000) -> bytes:
    """An HTML page of about ``size`` bytes of random sentences made from ``WORDS``."""
    paragraphs: list[str] = []
    length = 0
    while length < size:
        words = [rng.choice(WORDS) for _ in range(rng.randint(20, 60))]
        paragraph = f"<p>{' '.join(words).capitalize()}.</p>"
        paragraphs.append(paragraph)
        length += len(paragraph)
    return (
        f"<!DOCTYPE html><html><head><title>Story {number}</title></head>"
        f"<body><article><h1>Story {number}</h1>{''.join(paragraphs)}</article></body></html>"
    ).encode()


def write_warc(path: Path, records: int, seed: int = 7) -> None:
    """A WARC.gz at ``path`` with ``records`` HTML responses, each with a request and metadata."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rng = random.Random(seed)
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "benchmarks/warc.py"}))
        for number in range(records):
            url = f"https://news.example.org/{number}"
            request = StatusAndHeaders(
                f"GET /{number} HTTP/1.1", [("Host", "news.example.org")], is_http_request=True
            )
            writer.write_record(
                writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=request)
            )
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            body = io.BytesIO(fake_page(rng, number))
            writer.write_record(
                writer.create_warc_record(url, "response", payload=body, http_headers=headers)
            )
            meta = io.BytesIO(b"fetchTimeMs: 120\r\n")
            writer.write_record(
                writer.create_warc_record(
                    url, "metadata", payload=meta, warc_content_type="application/warc-fields"
                )
            )


def read_fastwarc(path: Path) -> int:
    """HTML payloads read with FastWARC (its own gzip reader)."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    count = 0
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream, record_types=WarcRecordType.response):
            if record.http_headers.status_code == 200 and "html" in (record.http_content_type or ""):
                record.reader.read()
                count += 1
    return count


def read_warcio(path: Path) -> int:
    """HTML payloads read with warcio."""
    from warcio.archiveiterator import ArchiveIterator

    count = 0
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            content_type = record.http_headers.get_header("Content-Type") or ""
            if record.http_headers.get_statuscode() == "200" and "html" in content_type:
                record.content_stream().read()
                count += 1
    return count


def read_onrecord(path: Path) -> int:
    """Items from ``onrecord.corpus.sources.iter_items`` (FastWARC plus the fault checks)."""
    from onrecord.corpus.records import Item
    from onrecord.corpus.sources import iter_items

    return sum(isinstance(entry, Item) for entry in iter_items([str(path)]))


READERS: dict[str, Callable[[Path], int]] = {
    "fastwarc": read_fastwarc,
    "warcio": read_warcio,
    "onrecord": read_onrecord,
}


def best_rate(reader: Callable[[Path], int], path: Path, repeat: int) -> tuple[float, int]:
    """The best records/s of ``repeat`` runs, and the number of records read."""
    best = 0.0
    count = 0
    for _ in range(repeat):
        start = time.perf_counter()
        count = reader(path)
        elapsed = time.perf_counter() - start
        best = max(best, count / elapsed if elapsed else 0.0)
    return best, count


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("path", nargs="?", type=Path, help="a WARC or WARC.gz (default: a synthetic one)")
    parser.add_argument("--records", type=int, default=2000, help="HTML responses in the synthetic WARC")
    parser.add_argument("--repeat", type=int, default=3, help="runs per reader; the best counts")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = args.path
        if path is None:
            path = Path(folder) / "synthetic.warc.gz"
            write_warc(path, args.records)
        results = {name: best_rate(reader, path, args.repeat) for name, reader in READERS.items()}
        size = path.stat().st_size
    if args.json:
        print(
            json.dumps(
                {
                    name: {"records_per_s": round(rate), "records": count}
                    for name, (rate, count) in results.items()
                }
            )
        )
        return 0
    print(f"{path.name}: {size / 1e6:.1f} MB")
    for name, (rate, count) in results.items():
        print(f"{name:>9}: {rate:8.0f} records/s ({count} HTML responses)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
