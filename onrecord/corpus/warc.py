"""Reading a WARC or WARC.gz corpus input: one ``Item`` per HTML or plain-text record
(``iter_warc``), one ``Failure`` per record that cannot be one.

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

import io
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from onrecord.corpus.budgets import CHUNK, Limits, Stop, open_regular
from onrecord.corpus.payloads import codings, decode_payload, decoder, media_type
from onrecord.corpus.records import Failure, Item
from onrecord.errors import Errors, InputError
from onrecord.ingest import looks_like_html
from onrecord.ingest.read import _reason

if TYPE_CHECKING:
    from fastwarc.warc import HeaderMap, WarcRecord

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
_GZIP_MAGIC = b"\x1f\x8b"
# Room for a record's WARC header on top of its Content-Length (FastWARC refuses headers
# over 32 KiB).
_HEADER_ROOM = 64 * 1024
# The CRLF CRLF that ends a record, with room to spare: a gzip member holding more than a
# record and this is not one member per record.
_TRAILER_ROOM = 16


def iter_warc(path: str, limits: Limits) -> Iterator[Item | Failure]:
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
        from fastwarc.warc import ArchiveIterator  # fastwarc, only for WARC inputs: missing, a Failure
    except ImportError:
        yield Failure(path, Errors.E008.format(what="FastWARC (the fastwarc package)"))
        return
    try:
        stream = open_regular(path)
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

    def __init__(self, path: str, stream: BinaryIO, limits: Limits) -> None:
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
        except Stop as stop:
            yield stop.failure
            return
        except OSError as err:
            yield Failure(self.path, self._library_error(err))
            return
        if end is not None:
            yield end

    def _record(self, record: WarcRecord) -> Item | Failure | None:
        """The Item or Failure of one record, None when it is skipped; ``Stop`` when it ends the file."""
        offset = record.stream_pos
        key = f"{self.path}#{offset}"
        length = _content_length(record.headers)
        if length is None:
            reason = "no valid Content-Length header: the record is cut short or malformed"
            raise Stop(Failure(key, Errors.E041.format(path=key, reason=reason)))
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
        """``Stop`` (E045) unless the records of a WARC.gz start each at a gzip member of its own.

        Offsets must grow; and when the second record comes, the gzip member at the first
        record's offset must hold that record alone and end where the second starts (a single
        gzip stream fails here, before any record gets a wrong offset).
        """
        if self.gzipped and self.last is not None and offset <= self.last[0]:
            raise Stop(Failure(self.path, Errors.E045.format(path=self.path)))
        self.last = (offset, length)
        if not self.gzipped or len(self.first_two) >= 2:
            return
        self.first_two.append(self.last)
        if len(self.first_two) == 2:
            (first, first_length), (second, _) = self.first_two
            member = self._member(first, first_length + _HEADER_ROOM)
            extent = _record_extent(member.head, first_length)
            if member.end != second or extent is None or member.size > extent + _TRAILER_ROOM:
                raise Stop(Failure(self.path, Errors.E045.format(path=self.path)))

    def _spend(self, size: int) -> None:
        """Count ``size`` decompressed bytes; ``Stop`` (E043) when the file goes over its budget."""
        self.decompressed += size
        limit = self.limits.file_budget(self.size)
        if self.decompressed > limit:
            raise Stop(Failure(self.path, Errors.E043.format(path=self.path, limit=limit)))

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
        media, charset = media_type((http if http is not None else record.headers).get("Content-Type"))
        if media not in HTML_TYPES and media not in TEXT_TYPES:
            return None
        raw = decode_payload(self._payload(record, key, http), charset, key)
        html = media in HTML_TYPES or looks_like_html(raw)
        return Item(key, raw, "html" if html else "text", url=_target_uri(record.headers))

    def _payload(self, record: WarcRecord, key: str, http: HeaderMap | None) -> bytes:
        """The payload bytes of a record, encodings undone: E013 over the limit (not read).

        ``Stop`` (E041) when the file ends before the payload does.
        """
        length = record.content_length
        limit = self.limits.per_record(self.gzipped)
        if length > limit:
            raise InputError(Errors.E013.format(path=key, size=length, limit=limit))
        data = record.reader.read(length) if length else b""
        if len(data) < length:
            reason = f"the file ends {length - len(data)} bytes before the end of the payload"
            raise Stop(Failure(key, Errors.E041.format(path=key, reason=reason)))
        if http is None:
            return data
        return self._undo_encodings(data, http, key)

    def _undo_encodings(self, data: bytes, http: HeaderMap, key: str) -> bytes:
        """``data`` with its HTTP transfer and content encodings undone, last applied first.

        E044 for an unknown or broken encoding; E013 when one decompresses to more than the
        limit, read with a bounded read so that a bomb is never held whole.
        """
        transfer = codings(http.get("Transfer-Encoding"))
        content = codings(http.get("Content-Encoding"))
        limit = self.limits.per_record(True)
        for coding in [*reversed(transfer), *reversed(content)]:
            if coding == "identity" or (coding in ("gzip", "x-gzip") and not data.startswith(_GZIP_MAGIC)):
                continue  # identity, or a gzip that the crawler already undid
            reader = decoder(coding, io.BytesIO(data))
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
            first = self._member(0, _HEADER_ROOM) if self.gzipped else None  # Stop when corrupt
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
        is left where it was. ``Stop`` (E042) when the member is corrupt.
        """
        position = self.stream.tell()
        try:
            return _gzip_member(self.stream, offset, limit)
        except zlib.error as err:
            reason = f"{err}, in the gzip member at offset {offset}"
            raise Stop(Failure(self.path, Errors.E042.format(path=self.path, reason=reason))) from err
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
            pending = stream.read(CHUNK)
            if not pending:
                break
            read += len(pending)
        out = inflater.decompress(pending, CHUNK)
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
