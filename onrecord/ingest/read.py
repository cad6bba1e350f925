"""Reading inputs named on the command line: files, directories, ``-`` (stdin) and URLs.

``expand_inputs`` turns the arguments into a flat list of sources (a directory becomes the
article files under it); ``read_source`` reads one source into a ``Document``, refusing bad
input with one coded ``InputError`` each (E010-E017) so a batch can record it and go on.
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
import zlib
from collections.abc import Sequence
from typing import BinaryIO
from urllib.parse import urlsplit

from onrecord.errors import Errors, InputError
from onrecord.ingest.document import Document, looks_like_html
from onrecord.ingest.fetch import DEFAULT_TIMEOUT, fetch_url, is_url

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
STDIN = "-"
STDIN_NAME = "<stdin>"
HTML_EXTENSIONS = (".html", ".htm", ".xhtml")
TEXT_EXTENSIONS = (".txt", ".text")
#: Article files, plain or gzipped (``page.html.gz``: read as ``page.html``).
ARTICLE_EXTENSIONS = tuple(e + gz for e in TEXT_EXTENSIONS + HTML_EXTENSIONS for gz in ("", ".gz"))
_BOM = b"\xef\xbb\xbf"


def expand_inputs(args: Sequence[str]) -> list[str]:
    """The sources named by ``args``, in order, directories expanded.

    Each argument is kept as given when it is ``-`` (stdin), an http(s) URL, a file (any
    extension) or a path that does not exist (``read_source`` reports it, E017). A directory
    becomes the files under it, recursively and sorted, whose names end in ``.txt``,
    ``.text``, ``.html``, ``.htm`` or ``.xhtml`` (any case); files are listed whether or not
    they can be read, and a subdirectory that cannot be listed is itself listed, so that every
    problem surfaces as an error from ``read_source`` rather than as a silent gap.
    """
    sources: list[str] = []
    for arg in args:
        if arg == STDIN or is_url(arg) or not os.path.isdir(arg):
            sources.append(arg)
            continue
        found: list[str] = []
        unlistable: list[OSError] = []
        for folder, _subfolders, files in os.walk(arg, onerror=unlistable.append):
            found.extend(os.path.join(folder, name) for name in files if _is_article_name(name))
        found.extend(os.fsdecode(err.filename) for err in unlistable if err.filename)
        sources.extend(sorted(found))
    return sources


def _is_article_name(name: str) -> bool:
    return name.lower().endswith(ARTICLE_EXTENSIONS)


def read_source(
    arg: str,
    *,
    clean: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    allow_private: bool = False,
) -> Document:
    """A Document from one source: a file path, ``-`` for stdin, or an http(s) URL.

    Reading: stdin is read from ``sys.stdin.buffer``; a URL through ``fetch_url`` (``timeout``
    seconds, non-public addresses refused unless ``allow_private``); a file after a ``stat``,
    so that a file over ``max_bytes`` is refused from its size without being read. The checks,
    in order, each raising ``InputError`` with its code:

    - E017 the file does not exist; E015 it cannot be read (permission, a directory);
      E016 the URL cannot be fetched;
    - E013 it is over ``max_bytes``;
    - E010 it is empty or only whitespace;
    - E011 it is binary (holds NUL bytes);
    - E012 it is not valid UTF-8 (the message gives the byte offset); a leading UTF-8 byte
      order mark is dropped first.

    Then HTML (a ``.html``/``.htm``/``.xhtml`` name, or content that ``looks_like_html``) goes
    to ``from_html`` (E014 when it has no body text) and anything else to ``from_text`` with
    ``clean``. ``Document.source_path`` is ``arg`` exactly as given; for a URL ``url`` is set
    too.
    """
    if arg == STDIN:
        where, url = STDIN_NAME, None
        data = _read_stdin(max_bytes)
    elif is_url(arg):
        where, url = arg, arg
        data = fetch_url(arg, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private).encode()
        if len(data) > max_bytes:
            raise InputError(Errors.E013.format(path=where, size=len(data), limit=max_bytes))
    else:
        where, url = arg, None
        data = _read_file(arg, max_bytes)
    raw = decode(data, where)
    name = urlsplit(arg).path if url else arg
    if is_html_name(name) or looks_like_html(raw):
        from onrecord.ingest.html import from_html  # heavy: trafilatura and lxml, for HTML only

        return from_html(raw, url=url, source_path=arg, clean=clean)
    from onrecord.ingest.text import from_text  # ftfy, only when a file is read

    return from_text(raw, clean=clean, source_path=arg, url=url)


def is_html_name(name: str) -> bool:
    """An HTML file by its name, gzipped or not ("page.html", "page.htm.gz")."""
    return name.lower().removesuffix(".gz").endswith(HTML_EXTENSIONS)


def _reason(err: OSError) -> str:
    return (err.strerror or type(err).__name__).lower()


def _read_file(path: str, max_bytes: int) -> bytes:
    """The bytes of the file at ``path``: E017, E015 or E013 when it cannot be had."""
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError) as err:
        raise InputError(Errors.E017.format(path=path)) from err
    except OSError as err:
        raise InputError(Errors.E015.format(path=path, reason=_reason(err))) from err
    if stat.S_ISDIR(info.st_mode):
        raise InputError(Errors.E015.format(path=path, reason="is a directory"))
    if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
        raise InputError(Errors.E013.format(path=path, size=info.st_size, limit=max_bytes))
    try:
        with open(path, "rb") as stream:
            data = _read_capped(stream, path, max_bytes)
    except FileNotFoundError as err:  # removed between stat and open
        raise InputError(Errors.E017.format(path=path)) from err
    except OSError as err:
        raise InputError(Errors.E015.format(path=path, reason=_reason(err))) from err
    return gunzip(data, path, max_bytes) if path.lower().endswith(".gz") else data


def gunzip(data: bytes, where: str, max_bytes: int) -> bytes:
    """A gzipped file's content, at most ``max_bytes`` of it (E013 past that: a gzip bomb is
    stopped after ``max_bytes``, not read out); E015 when it is not gzip or is cut short."""
    inflate = zlib.decompressobj(wbits=31)
    try:
        out = inflate.decompress(data, max_bytes + 1)
    except zlib.error as err:
        raise InputError(Errors.E015.format(path=where, reason=f"not readable as gzip ({err})")) from err
    if len(out) > max_bytes:
        raise InputError(
            Errors.E013.format(path=f"{where} (decompressed)", size=f"more than {max_bytes}", limit=max_bytes)
        )
    if not inflate.eof:
        raise InputError(Errors.E015.format(path=where, reason="gzip data cut short"))
    return out


def _read_stdin(max_bytes: int) -> bytes:
    stream = sys.stdin.buffer if sys.stdin is not None else None
    if stream is None:
        raise InputError(Errors.E015.format(path=STDIN_NAME, reason="no standard input"))
    try:
        return _read_capped(stream, STDIN_NAME, max_bytes)
    except OSError as err:
        raise InputError(Errors.E015.format(path=STDIN_NAME, reason=_reason(err))) from err


def _read_capped(stream: BinaryIO, where: str, max_bytes: int) -> bytes:
    """At most ``max_bytes`` from ``stream``; E013 when there is more (pipes, growing files)."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(Errors.E013.format(path=where, size=f"more than {max_bytes}", limit=max_bytes))
    return data


#: Byte-order marks of the encodings read besides UTF-8 (UTF-32 first: its LE mark starts with UTF-16's).
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes, where: str) -> str:
    """``data`` as text: E010 empty, E011 binary, E012 not UTF-8; a UTF-8 BOM is dropped, and
    UTF-16 or UTF-32 with a BOM (as Windows tools write them) is decoded."""
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            try:
                wide = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as err:
                reason = f"not {encoding.upper()} after its byte-order mark: {err.reason} at byte {err.start + len(bom)}"
                raise InputError(Errors.E012.format(path=where, reason=reason)) from err
            if not wide.strip():
                raise InputError(Errors.E010.format(path=where))
            if "\x00" in wide:
                raise InputError(Errors.E011.format(path=where))
            return wide
    body = data.removeprefix(_BOM)
    if not body.strip():
        raise InputError(Errors.E010.format(path=where))
    if b"\x00" in body:
        raise InputError(Errors.E011.format(path=where))
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        offset = err.start + len(data) - len(body)
        bad = body[err.start : err.start + 1].hex()
        reason = f"byte 0x{bad} at offset {offset}: {err.reason}"
        raise InputError(Errors.E012.format(path=where, reason=reason)) from err
    if not text.strip():
        raise InputError(Errors.E010.format(path=where))
    return text
