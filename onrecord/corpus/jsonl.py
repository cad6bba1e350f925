"""Reading a JSONL or gzipped JSONL corpus input: one ``Item`` per line, one ``Failure`` per line
that cannot be one (E040, E013), and a Failure that ends the file when the rest of it cannot be
read (E015, E042, E043).
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from collections.abc import Iterator
from typing import Any, Protocol

from onrecord.corpus.budgets import CHUNK, Limits, Stop, open_regular
from onrecord.corpus.records import Failure, Item, ItemKind
from onrecord.errors import Errors, InputError
from onrecord.ingest.read import _reason

JSONL_METADATA = ("url", "title", "published", "outlet")
_BOM = b"\xef\xbb\xbf"


class _LineReader(Protocol):
    """A binary stream that reads lines (a file or a GzipFile)."""

    def readline(self, size: int = -1, /) -> bytes: ...


class _BadLine(ValueError):
    """A JSONL line that cannot become an Item; the message is the reason."""


def iter_jsonl(path: str, limits: Limits) -> Iterator[Item | Failure]:
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
        stream = open_regular(path)
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
        except Stop as stop:
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
    through in chunks and dropped, never held whole. ``Stop`` (E043) once more than
    ``budget`` bytes have been read, when there is a budget.
    """
    total = 0
    number = 0
    while line := source.readline(limit + 1):
        number += 1
        total += len(line)
        over = len(line) > limit and not line.endswith(b"\n")
        rest = line
        while not rest.endswith(b"\n") and (rest := source.readline(CHUNK)):
            total += len(rest)
            if budget is not None and total > budget:
                break
        if budget is not None and total > budget:
            raise Stop(Failure(path, Errors.E043.format(path=path, limit=budget)))
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
