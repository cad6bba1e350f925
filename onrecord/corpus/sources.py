"""Reading corpus inputs into ``Item`` records: text and HTML files, JSONL, WARC and WARC.gz.

``iter_items`` goes over the paths named, in a fixed order, and yields one ``Item`` per
article-to-be or one ``Failure`` per record that cannot be one, with a coded reason (E0xx).
Bad input never raises: a broken record is a Failure and the reading goes on (with the next
line of a JSONL file, the next record of a WARC file, or the next input where the rest of a
file cannot be trusted). Only programming errors raise.

WARC files are read with FastWARC: on a synthetic Common Crawl News style WARC.gz of 2,000 HTML
responses (``benchmarks/warc.py``) it reads 4 to 5 times as many records per second as warcio,
and it skips an over-limit record in bounded memory where warcio inflates a whole read block at
once (about 65 MB held for a 50 MB bomb). Neither library reports every fault: both end quietly
at a gzip member cut short, and FastWARC gives meaningless offsets for a WARC.gz compressed as
one gzip stream (warcio refuses it). So this module adds checks of its own:

- a record that the file ends inside of is a Failure (E041): its payload reads shorter than
  its length, or, after the last record, the rest of the file (the last record's gzip member,
  decompressed again) does not hold a whole record, or holds more than FastWARC read;
- a WARC.gz must hold one gzip member per record (E045): offsets must grow, and the first gzip
  member must hold the first record alone and end where the second record starts;
- a corrupt gzip member (E042), an unreadable record (E041) or a file over its decompression
  budget (E043) stops the reading of that file;
- a payload over the limit (E013) is not read at all: FastWARC skips it without holding it.
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import io
import json
import os
import stat
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

from onrecord.corpus.records import Failure, Item, ItemKind
from onrecord.errors import Errors, InputError
from onrecord.ingest import looks_like_html
from onrecord.ingest.read import (
    ARTICLE_EXTENSIONS,
    DEFAULT_MAX_BYTES,
    _read_file,
    _reason,
    decode,
    is_html_name,
)

if TYPE_CHECKING:
    from fastwarc.stream_io import WarcReader
    from fastwarc.warc import HeaderMap, WarcRecord

DEFAULT_MAX_DECOMPRESSED = DEFAULT_MAX_BYTES
# All the bytes decompressed from one file (WARC.gz records, HTTP content encodings, a
# .jsonl.gz) may be at most this many times ``max_decompressed``: 10 GiB with the defaults,
# room for a 1 GiB crawl file of HTML (which compresses some 4 to 8 times), not for a file of
# gzip bombs (which expand up to about 1000 times).
FILE_DECOMPRESSED_FACTOR = 1000
# And at most this many times the file's own size on disk, once past FILE_RATIO_FLOOR bytes:
# news HTML gzips some 4 to 20 times, a file of gzip bombs some 1000 times, so a 2 MB file of
# bombs stops after about 200 MB decompressed rather than 10 GiB.
FILE_DECOMPRESSION_RATIO = 100
FILE_RATIO_FLOOR = 100 * 1024 * 1024
JSONL_EXTENSIONS = (".jsonl", ".jsonl.gz")
WARC_EXTENSIONS = (".warc", ".warc.gz")
SOURCE_EXTENSIONS = ARTICLE_EXTENSIONS + JSONL_EXTENSIONS + WARC_EXTENSIONS
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
JSONL_METADATA = ("url", "title", "published", "outlet")
_GZIP_MAGIC = b"\x1f\x8b"
_BOM = b"\xef\xbb\xbf"
_CHUNK = 64 * 1024
# Room for a record's WARC header on top of its Content-Length (FastWARC refuses headers
# over 32 KiB).
_HEADER_ROOM = 64 * 1024
# The CRLF CRLF that ends a record, with room to spare: a gzip member holding more than a
# record and this is not one member per record.
_TRAILER_ROOM = 16


@dataclass(frozen=True, slots=True)
class _Limits:
    """The caps of one run: ``record`` bytes for one article (a file, a JSONL line, a WARC
    payload), ``decompressed`` bytes out of a decompressor for one record."""

    record: int
    decompressed: int

    @property
    def file_total(self) -> int:
        """The most bytes that may be decompressed from any one file, all records together."""
        return FILE_DECOMPRESSED_FACTOR * self.decompressed

    def file_budget(self, compressed_size: int) -> int:
        """The most bytes that a file of ``compressed_size`` bytes may decompress to: the
        absolute ``file_total``, and ``FILE_DECOMPRESSION_RATIO`` times its size once past
        ``FILE_RATIO_FLOOR``."""
        by_ratio = max(FILE_RATIO_FLOOR, FILE_DECOMPRESSION_RATIO * compressed_size)
        return min(self.file_total, by_ratio)

    def per_record(self, decompressed: bool) -> int:
        """The cap on one record, which is lower when it comes out of a decompressor."""
        return min(self.record, self.decompressed) if decompressed else self.record


class _Stop(Exception):
    """The rest of a file cannot be read: ``failure`` says why."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.reason)
        self.failure = failure


class _LineReader(Protocol):
    """A binary stream that reads lines (a file or a GzipFile)."""

    def readline(self, size: int = -1, /) -> bytes: ...


class _BadLine(ValueError):
    """A JSONL line that cannot become an Item; the message is the reason."""


def iter_items(
    paths: Sequence[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_decompressed: int = DEFAULT_MAX_DECOMPRESSED,
) -> Iterator[Item | Failure]:
    """Every Item (or Failure) in the inputs ``paths``, in order, directories expanded.

    Directories are expanded by ``expand_sources``; each file is keyed by its
    ``canonical_path``, then read by its name:

    - ``.warc``, ``.warc.gz``: one Item per ``response`` record with HTTP status 200 and an
      HTML or text/plain payload, or ``resource`` record of those types (``_iter_warc``);
    - ``.jsonl``, ``.jsonl.gz``: one Item per non-blank line (``_iter_jsonl``);
    - anything else: one Item for the whole file, HTML by its name or ``looks_like_html``.

    ``max_bytes`` caps one article: a text or HTML file (checked from its size before reading,
    E013), a JSONL line, a WARC payload; JSONL and WARC files themselves may be of any size.
    ``max_decompressed`` caps what one record may decompress to (a WARC.gz record, an HTTP
    content encoding, a .jsonl.gz line); what one file decompresses to in all is capped at
    ``FILE_DECOMPRESSED_FACTOR`` times that (E043). Over-limit records are never held in memory.
    """
    limits = _Limits(max_bytes, max_decompressed)
    for given in expand_sources(paths):
        path = canonical_path(given)
        name = path.lower()
        if name.endswith(WARC_EXTENSIONS):
            yield from _iter_warc(path, limits)
        elif name.endswith(JSONL_EXTENSIONS):
            yield from _iter_jsonl(path, limits)
        else:
            yield _read_document(path, max_bytes)


def canonical_path(path: str) -> str:
    """A file's one name, whatever way it was reached (relative, absolute, ``a/../a``, through a
    symlink): the absolute path with every link resolved, which keys its items so that an
    article's identity does not depend on how its path was spelled. A path that is not there
    stays as given (its failure names it as the user wrote it)."""
    return os.path.realpath(path) if os.path.exists(path) else path


def expand_sources(paths: Sequence[str]) -> list[str]:
    """The files named by ``paths``, in order, directories expanded.

    As ``onrecord.ingest.read.expand_inputs`` but for corpus inputs: a path that is not a
    directory is kept as given (missing ones fail later, E017); a directory becomes the files
    under it, recursively and sorted, whose names end in one of ``SOURCE_EXTENSIONS`` (any
    case), and a subdirectory that cannot be listed is itself listed so that it fails later
    instead of leaving a silent gap.
    """
    sources: list[str] = []
    for path in paths:
        if not os.path.isdir(path):
            sources.append(path)
            continue
        found: list[str] = []
        unlistable: list[OSError] = []
        for folder, _subfolders, files in os.walk(path, onerror=unlistable.append):
            found.extend(
                os.path.join(folder, name) for name in files if name.lower().endswith(SOURCE_EXTENSIONS)
            )
        found.extend(os.fsdecode(err.filename) for err in unlistable if err.filename)
        sources.extend(sorted(found))
    return sources


def _read_document(path: str, max_bytes: int) -> Item | Failure:
    """One text or HTML file as an Item keyed by its path; its InputError as a Failure."""
    try:
        raw = decode(_read_file(path, max_bytes), path)
    except InputError as err:
        return Failure(path, str(err))
    html = is_html_name(path) or looks_like_html(raw)
    return Item(path, raw, "html" if html else "text")


def _open_regular(path: str) -> BinaryIO:
    """The regular file at ``path``, open for reading: E017 when missing, else E015."""
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError) as err:
        raise InputError(Errors.E017.format(path=path)) from err
    except OSError as err:
        raise InputError(Errors.E015.format(path=path, reason=_reason(err))) from err
    if not stat.S_ISREG(info.st_mode):
        what = "is a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise InputError(Errors.E015.format(path=path, reason=what))
    try:
        return open(path, "rb")
    except FileNotFoundError as err:  # removed between stat and open
        raise InputError(Errors.E017.format(path=path)) from err
    except OSError as err:
        raise InputError(Errors.E015.format(path=path, reason=_reason(err))) from err


# JSONL


def _iter_jsonl(path: str, limits: _Limits) -> Iterator[Item | Failure]:
    """One Item per non-blank line of a JSONL (or gzipped JSONL) file, keyed ``PATH#LINE``.

    A line is a JSON object with a string ``html`` or ``text`` (``html`` is taken when both are
    there) and optional string ``url``, ``title``, ``published`` and ``outlet`` (null or empty
    means absent). A line that is not such an object is a Failure (E040) naming the line, and
    the reading goes on; so is a line over the limit (E013), which is read through in chunks
    and dropped. Blank lines are skipped. The whole file fails when it cannot be opened (E017,
    E015), cannot be read further (E015), its gzip data is corrupt or cut short (E042) or it
    decompresses to more than the file budget (E043).
    """
    try:
        stream = _open_regular(path)
    except InputError as err:
        yield Failure(path, str(err))
        return
    compressed = path.lower().endswith(".gz")
    limit = limits.per_record(compressed)
    budget = limits.file_budget(os.fstat(stream.fileno()).st_size) if compressed else None
    source = gzip.GzipFile(fileobj=stream) if compressed else stream
    with stream, source:
        try:
            for lineno, line in _numbered_lines(source, path, limit, budget):
                key = f"{path}#{lineno}"
                if line is None:
                    size = f"more than {limit}"
                    yield Failure(key, Errors.E013.format(path=key, size=size, limit=limit))
                elif line.strip():
                    yield _jsonl_item(path, lineno, line)
        except _Stop as stop:
            yield stop.failure
        except (EOFError, zlib.error, gzip.BadGzipFile) as err:  # BadGzipFile before OSError
            yield Failure(path, Errors.E042.format(path=path, reason=str(err) or type(err).__name__))
        except OSError as err:
            yield Failure(path, Errors.E015.format(path=path, reason=_reason(err)))


def _numbered_lines(
    source: _LineReader, path: str, limit: int, budget: int | None
) -> Iterator[tuple[int, bytes | None]]:
    """``(number, line)`` for each line of ``source``, numbered from 1.

    The line is ``None`` when it holds more than ``limit`` bytes (its newline aside); it is read
    through in chunks and dropped, never held whole. ``_Stop`` (E043) once more than
    ``budget`` bytes have been read, when there is a budget.
    """
    total = 0
    number = 0
    while line := source.readline(limit + 1):
        number += 1
        total += len(line)
        over = len(line) > limit and not line.endswith(b"\n")
        rest = line
        while not rest.endswith(b"\n") and (rest := source.readline(_CHUNK)):
            total += len(rest)
            if budget is not None and total > budget:
                break
        if budget is not None and total > budget:
            raise _Stop(Failure(path, Errors.E043.format(path=path, limit=budget)))
        yield number, None if over else line


def _jsonl_item(path: str, lineno: int, line: bytes) -> Item | Failure:
    """The Item of one non-blank JSONL line, or its Failure (E040) naming the line."""
    key = f"{path}#{lineno}"
    try:
        return _jsonl_record(key, line.removeprefix(_BOM) if lineno == 1 else line)
    except _BadLine as err:
        return Failure(key, Errors.E040.format(path=path, line=lineno, reason=err))


def _jsonl_record(key: str, line: bytes) -> Item:
    """The Item of one JSONL line; ``_BadLine`` saying what is wrong with it."""
    try:
        value = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise _BadLine(
            f"not valid UTF-8 (byte 0x{line[err.start : err.start + 1].hex()} at offset {err.start})"
        ) from err
    except json.JSONDecodeError as err:
        raise _BadLine(f"invalid JSON: {err.msg} (column {err.colno})") from err
    except RecursionError as err:
        raise _BadLine("invalid JSON (nested too deeply)") from err
    if not isinstance(value, dict):
        raise _BadLine(f"expected a JSON object, got {_json_type(value)}")
    kind: ItemKind = "html" if value.get("html") is not None else "text"
    raw = value.get(kind)
    if raw is None:
        raise _BadLine("no 'text' or 'html' field")
    if not isinstance(raw, str):
        raise _BadLine(f"'{kind}' must be a string, got {_json_type(raw)}")
    if not raw.strip():
        raise _BadLine(f"'{kind}' is empty")
    metadata: list[str | None] = []
    for name in JSONL_METADATA:
        field = value.get(name)
        if field is not None and not isinstance(field, str):
            raise _BadLine(f"'{name}' must be a string, got {_json_type(field)}")
        metadata.append((field or "").strip() or None)
    url, title, published, outlet = metadata
    return Item(key, raw, kind, url=url, title=title, published=published, outlet=outlet)


def _json_type(value: Any) -> str:
    """The JSON type of a decoded JSON value, for messages: "a number", "an array"..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


# WARC


def _iter_warc(path: str, limits: _Limits) -> Iterator[Item | Failure]:
    """One Item per readable HTML or plain-text record of a WARC or WARC.gz, keyed ``PATH#OFFSET``.

    Taken: ``response`` records with HTTP status 200 and a ``text/html``,
    ``application/xhtml+xml`` or ``text/plain`` Content-Type, and ``resource`` records whose
    Content-Type is one of those. Skipped without a Failure: every other record (warcinfo,
    request, metadata, revisit...) and every other response (other status, other or no type).
    ``OFFSET`` is the record's offset in the file as FastWARC reports it (the offset of its
    gzip member in a WARC.gz). ``url`` is WARC-Target-URI; ``published`` is left unset, since
    WARC-Date is the crawl date, not the publication date.

    The payload has its HTTP transfer and content encodings (chunked, gzip, deflate, br,
    zstd) undone and is decoded with the charset of its Content-Type when it names one Python
    knows, else as UTF-8; undecodable bytes become U+FFFD rather than a Failure, since web pages
    often mislabel their charset. A leading UTF-8 byte order mark is dropped.

    Failures that skip one record and go on: E013 over the limit (the payload is not read), E010
    empty, E011 NUL characters, E044 an encoding that cannot be undone. Failures that stop the
    file: E017/E015 cannot open or read it, E010 empty file, E041 a record cut short or
    unreadable, E042 corrupt gzip data, E043 over the file's decompression budget, E045 a
    WARC.gz not compressed record by record. Records read before a stopping failure are kept.
    """
    try:
        from fastwarc.warc import ArchiveIterator
    except ImportError:
        yield Failure(path, Errors.E003.format(what="FastWARC (the fastwarc package)", extra="corpus"))
        return
    try:
        stream = _open_regular(path)
    except InputError as err:
        yield Failure(path, str(err))
        return
    with stream:
        try:
            warc = _WarcFile(path, stream, limits)
            records = ArchiveIterator(stream, parse_http=True, auto_decode="none")
        except OSError as err:
            yield Failure(path, Errors.E015.format(path=path, reason=_reason(err)))
            return
        if warc.size == 0:
            yield Failure(path, Errors.E010.format(path=path))
            return
        yield from warc.items(records)


@dataclass(frozen=True, slots=True)
class _Member:
    """What decompressing one gzip member found: ``head`` is its first bytes, ``size`` its
    decompressed length (as far as read), ``end`` the file offset after it (None when the file
    ends inside it), ``over`` whether it decompressed to more than the limit asked for."""

    head: bytes
    size: int
    end: int | None
    over: bool


class _WarcFile:
    """One WARC or WARC.gz being read, with the state that the fault checks keep between records."""

    def __init__(self, path: str, stream: BinaryIO, limits: _Limits) -> None:
        self.path = path
        self.stream = stream
        self.limits = limits
        self.size = os.fstat(stream.fileno()).st_size
        self.gzipped = stream.read(len(_GZIP_MAGIC)) == _GZIP_MAGIC
        stream.seek(0)
        self.decompressed = 0  # bytes decompressed so far, counted against the file budget
        self.first_two: list[tuple[int, int]] = []  # (offset, Content-Length) of the first two records
        self.last: tuple[int, int] | None = None  # (offset, Content-Length) of the last record
        self.last_failed = False  # whether the last record has had its Failure already

    def items(self, records: Iterable[WarcRecord]) -> Iterator[Item | Failure]:
        """The Items and Failures of ``records``, then the check of the end of the file."""
        try:
            for record in records:
                self.last_failed = False
                outcome = self._record(record)
                if outcome is not None:
                    self.last_failed = isinstance(outcome, Failure)
                    yield outcome
            end = self._check_end()
        except _Stop as stop:
            yield stop.failure
            return
        except OSError as err:
            yield Failure(self.path, self._library_error(err))
            return
        if end is not None:
            yield end

    def _record(self, record: WarcRecord) -> Item | Failure | None:
        """The Item or Failure of one record, None when it is skipped; ``_Stop`` when it ends the file."""
        offset = record.stream_pos
        key = f"{self.path}#{offset}"
        length = _content_length(record.headers)
        if length is None:
            reason = "no valid Content-Length header: the record is cut short or malformed"
            raise _Stop(Failure(key, Errors.E041.format(path=key, reason=reason)))
        self._check_position(offset, length)
        self._spend(length if self.gzipped else 0)
        warc_type = (record.headers.get("WARC-Type") or "").lower()
        if warc_type not in ("response", "resource"):
            return None
        try:
            return self._item(record, key, warc_type)
        except InputError as err:
            return Failure(key, str(err))

    def _check_position(self, offset: int, length: int) -> None:
        """``_Stop`` (E045) unless the records of a WARC.gz start each at a gzip member of its own.

        Offsets must grow; and when the second record comes, the gzip member at the first
        record's offset must hold that record alone and end where the second starts (a single
        gzip stream fails here, before any record gets a wrong offset).
        """
        if self.gzipped and self.last is not None and offset <= self.last[0]:
            raise _Stop(Failure(self.path, Errors.E045.format(path=self.path)))
        self.last = (offset, length)
        if not self.gzipped or len(self.first_two) >= 2:
            return
        self.first_two.append(self.last)
        if len(self.first_two) == 2:
            (first, first_length), (second, _) = self.first_two
            member = self._member(first, first_length + _HEADER_ROOM)
            extent = _record_extent(member.head, first_length)
            if member.end != second or extent is None or member.size > extent + _TRAILER_ROOM:
                raise _Stop(Failure(self.path, Errors.E045.format(path=self.path)))

    def _spend(self, size: int) -> None:
        """Count ``size`` decompressed bytes; ``_Stop`` (E043) when the file goes over its budget."""
        self.decompressed += size
        limit = self.limits.file_budget(self.size)
        if self.decompressed > limit:
            raise _Stop(Failure(self.path, Errors.E043.format(path=self.path, limit=limit)))

    def _item(self, record: WarcRecord, key: str, warc_type: str) -> Item | None:
        """The Item of a response or resource record; None when its type or status is not taken."""
        http = None
        if warc_type == "response":
            if not record.is_http:
                return None
            http = record.http_headers
            if http.status_code is None:
                raise InputError(Errors.E044.format(path=key, reason="no HTTP status line"))
            if http.status_code != 200:
                return None
        media, charset = _media_type((http if http is not None else record.headers).get("Content-Type"))
        if media not in HTML_TYPES and media not in TEXT_TYPES:
            return None
        raw = _decode_payload(self._payload(record, key, http), charset, key)
        html = media in HTML_TYPES or looks_like_html(raw)
        return Item(key, raw, "html" if html else "text", url=_target_uri(record.headers))

    def _payload(self, record: WarcRecord, key: str, http: HeaderMap | None) -> bytes:
        """The payload bytes of a record, encodings undone: E013 over the limit (not read).

        ``_Stop`` (E041) when the file ends before the payload does.
        """
        length = record.content_length
        limit = self.limits.per_record(self.gzipped)
        if length > limit:
            raise InputError(Errors.E013.format(path=key, size=length, limit=limit))
        data = record.reader.read(length) if length else b""
        if len(data) < length:
            reason = f"the file ends {length - len(data)} bytes before the end of the payload"
            raise _Stop(Failure(key, Errors.E041.format(path=key, reason=reason)))
        if http is None:
            return data
        return self._undo_encodings(data, http, key)

    def _undo_encodings(self, data: bytes, http: HeaderMap, key: str) -> bytes:
        """``data`` with its HTTP transfer and content encodings undone, last applied first.

        E044 for an unknown or broken encoding; E013 when one decompresses to more than the
        limit, read with a bounded read so that a bomb is never held whole.
        """
        transfer = _codings(http.get("Transfer-Encoding"))
        content = _codings(http.get("Content-Encoding"))
        limit = self.limits.per_record(True)
        for coding in [*reversed(transfer), *reversed(content)]:
            if coding == "identity" or (coding in ("gzip", "x-gzip") and not data.startswith(_GZIP_MAGIC)):
                continue  # identity, or a gzip that the crawler already undid
            reader = _decoder(coding, io.BytesIO(data))
            if reader is None:
                raise InputError(Errors.E044.format(path=key, reason=f"unknown encoding {coding!r}"))
            try:
                decoded = reader.read(limit + 1)
            except OSError as err:
                raise InputError(Errors.E044.format(path=key, reason=f"{coding}: {err}")) from err
            self._spend(len(decoded))
            if len(decoded) > limit:
                raise InputError(Errors.E013.format(path=key, size=f"more than {limit}", limit=limit))
            data = decoded
        return data

    def _check_end(self) -> Failure | None:
        """A Failure when the file does not end with a whole record after the last one read.

        Plain WARC: the last record's header and block must fit in the file. WARC.gz: its gzip
        member, decompressed again, must hold its whole block and no more, and nothing may
        follow the member (a member cut short, which FastWARC drops without a word).
        """
        if self.last is None:
            first = self._member(0, _HEADER_ROOM) if self.gzipped else None  # _Stop when corrupt
            if first is not None and first.end is None and not first.over:
                reason = "the file ends inside its first gzip member"
                return Failure(self.path, Errors.E042.format(path=self.path, reason=reason))
            return Failure(self.path, Errors.E041.format(path=self.path, reason="no WARC record found"))
        offset, length = self.last
        key = f"{self.path}#{offset}"
        if self.gzipped:
            member = self._member(offset, length + _HEADER_ROOM)
            head, size, after = member.head, member.size, member.end
        else:
            self.stream.seek(offset)
            head = self.stream.read(_HEADER_ROOM)
            size, after = self.size - offset, None
        extent = _record_extent(head, length)
        if extent is None or size < extent:
            reason = "the file ends inside the record"
            return None if self.last_failed else Failure(key, Errors.E041.format(path=key, reason=reason))
        if self.gzipped and size > extent + _TRAILER_ROOM:
            return Failure(self.path, Errors.E045.format(path=self.path))
        if after is not None and after < self.size:
            reason = "the data after the last record cannot be read; the file is probably cut short"
            key = f"{self.path}#{after}"
            return Failure(key, Errors.E041.format(path=key, reason=reason))
        return None

    def _member(self, offset: int, limit: int) -> _Member:
        """The gzip member at ``offset``, decompressed again to at most ``limit`` bytes.

        The output is counted and dropped, all but its first ``_HEADER_ROOM`` bytes; the stream
        is left where it was. ``_Stop`` (E042) when the member is corrupt.
        """
        position = self.stream.tell()
        try:
            return _gzip_member(self.stream, offset, limit)
        except zlib.error as err:
            reason = f"{err}, in the gzip member at offset {offset}"
            raise _Stop(Failure(self.path, Errors.E042.format(path=self.path, reason=reason))) from err
        finally:
            self.stream.seek(position)

    def _library_error(self, err: OSError) -> str:
        """The coded message of an error raised while FastWARC reads the file."""
        if err.errno is not None:
            return Errors.E015.format(path=self.path, reason=_reason(err))
        where = f"after offset {self.last[0]}" if self.last else "at the start of the file"
        reason = f"{str(err) or type(err).__name__} {where}"
        if self.gzipped and "decompress" in reason.lower():
            return Errors.E042.format(path=self.path, reason=reason)
        return Errors.E041.format(path=self.path, reason=reason)


def _gzip_member(stream: BinaryIO, offset: int, limit: int) -> _Member:
    """Decompress the gzip member at ``offset`` of ``stream`` (see ``_Member``); zlib.error when corrupt."""
    stream.seek(offset)
    inflater = zlib.decompressobj(wbits=31)
    head = bytearray()
    size = read = 0
    pending = b""
    while not inflater.eof:
        if not pending:
            pending = stream.read(_CHUNK)
            if not pending:
                break
            read += len(pending)
        out = inflater.decompress(pending, _CHUNK)
        pending = inflater.unconsumed_tail
        size += len(out)
        head += out[: max(0, _HEADER_ROOM - len(head))]
        if size > limit:
            return _Member(bytes(head), size, None, over=True)
    # at the end of the member, everything read past it is in unused_data (zlib leaves the same
    # bytes in unconsumed_tail too when an output cap was hit: not to be counted twice, which
    # put the end of any member of more than 64 KB decompressed before its start: a false E045)
    end = offset + read - len(inflater.unused_data) if inflater.eof else None
    return _Member(bytes(head), size, end, over=False)


def _record_extent(head: bytes, length: int) -> int | None:
    """The bytes of a record's header and block, from its first bytes ``head`` and Content-Length."""
    header_end = head.find(b"\r\n\r\n")
    return None if header_end < 0 else header_end + 4 + length


def _content_length(headers: HeaderMap) -> int | None:
    """The record's Content-Length header as a number, None when it is missing or invalid."""
    value = (headers.get("Content-Length") or "").strip()
    return int(value) if value.isdigit() else None


def _target_uri(headers: HeaderMap) -> str | None:
    """WARC-Target-URI, without the angle brackets that some writers put around it."""
    uri = (headers.get("WARC-Target-URI") or "").strip().removeprefix("<").removesuffix(">")
    return uri or None


def _media_type(value: str | None) -> tuple[str, str | None]:
    """``(media type, charset)`` of a Content-Type value, lowercased; ``("", None)`` for none."""
    media, *parameters = (value or "").split(";")
    charset = None
    for parameter in parameters:
        name, _, given = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = given.strip().strip("\"'").lower() or None
    return media.strip().lower(), charset


def _codings(value: str | None) -> list[str]:
    """The codings listed in a Transfer-Encoding or Content-Encoding value, in order applied."""
    return [coding.strip().lower() for coding in (value or "").split(",") if coding.strip()]


def _decoder(coding: str, data: BinaryIO) -> WarcReader | None:
    """A FastWARC reader undoing ``coding`` over ``data``; None for a coding it does not know."""
    from fastwarc.stream_io import BrotliReader, ChunkedReader, GzipReader, ZstdReader

    if coding == "chunked":
        return ChunkedReader(data)
    if coding in ("gzip", "x-gzip", "deflate"):
        return GzipReader(data, zlib=coding == "deflate")
    if coding == "br":
        return BrotliReader(data)
    if coding == "zstd":
        return ZstdReader(data)
    return None


def _decode_payload(data: bytes, charset: str | None, key: str) -> str:
    """The payload as text: the charset given when Python knows it, else UTF-8; bad bytes replaced.

    E010 when it is empty or only whitespace, E011 when it holds NUL characters.
    """
    encoding = "utf-8"
    if charset:
        with contextlib.suppress(LookupError):
            encoding = codecs.lookup(charset).name
    if encoding == "utf-8":
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding, errors="replace")
    except LookupError:  # a codec that is not a text encoding (rot13, base64...)
        text = data.decode("utf-8-sig", errors="replace")
    if not text.strip():
        raise InputError(Errors.E010.format(path=key))
    if "\x00" in text:
        raise InputError(Errors.E011.format(path=key))
    return text
