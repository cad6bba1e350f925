"""The payload of a WARC record as text: the media type and charset of its Content-Type, its
HTTP transfer and content encodings (chunked, gzip, deflate, br, zstd) and its decoding.
"""

from __future__ import annotations

import codecs
import contextlib
from typing import TYPE_CHECKING, BinaryIO

from onrecord.errors import Errors, InputError

if TYPE_CHECKING:
    from fastwarc.stream_io import WarcReader


def media_type(value: str | None) -> tuple[str, str | None]:
    """``(media type, charset)`` of a Content-Type value, lowercased; ``("", None)`` for none."""
    media, *parameters = (value or "").split(";")
    charset = None
    for parameter in parameters:
        name, _, given = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = given.strip().strip("\"'").lower() or None
    return media.strip().lower(), charset


def codings(value: str | None) -> list[str]:
    """The codings listed in a Transfer-Encoding or Content-Encoding value, in order applied."""
    return [coding.strip().lower() for coding in (value or "").split(",") if coding.strip()]


def decoder(coding: str, data: BinaryIO) -> WarcReader | None:
    """A FastWARC reader undoing ``coding`` over ``data``; None for a coding it does not know."""
    # fastwarc, only once a WARC is read (iter_warc turns a missing one into a Failure)
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


def decode_payload(data: bytes, charset: str | None, key: str) -> str:
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
