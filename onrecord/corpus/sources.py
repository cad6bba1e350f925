"""Reading corpus inputs into ``Item`` records: text and HTML files, JSONL, WARC and WARC.gz.

``iter_items`` goes over the paths named, in a fixed order, and yields one ``Item`` per
article-to-be or one ``Failure`` per record that cannot be one, with a coded reason (E0xx).
Bad input never raises: a broken record is a Failure and the reading goes on (with the next
line of a JSONL file, the next record of a WARC file, or the next input where the rest of a
file cannot be trusted). Only programming errors raise.

The readers of each kind are ``onrecord.corpus.jsonl`` and ``onrecord.corpus.warc``; the caps on
what they read and decompress are in ``onrecord.corpus.budgets``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence

from onrecord.corpus.budgets import DEFAULT_MAX_DECOMPRESSED, Limits
from onrecord.corpus.jsonl import iter_jsonl
from onrecord.corpus.records import Failure, Item
from onrecord.corpus.warc import iter_warc
from onrecord.errors import InputError
from onrecord.ingest import looks_like_html
from onrecord.ingest.read import (
    ARTICLE_EXTENSIONS,
    DEFAULT_MAX_BYTES,
    _read_file,
    decode,
    is_html_name,
)

JSONL_EXTENSIONS = (".jsonl", ".jsonl.gz")
WARC_EXTENSIONS = (".warc", ".warc.gz")
SOURCE_EXTENSIONS = ARTICLE_EXTENSIONS + JSONL_EXTENSIONS + WARC_EXTENSIONS


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
      HTML or text/plain payload, or ``resource`` record of those types (``iter_warc``);
    - ``.jsonl``, ``.jsonl.gz``: one Item per non-blank line (``iter_jsonl``);
    - anything else: one Item for the whole file, HTML by its name or ``looks_like_html``.

    ``max_bytes`` caps one article: a text or HTML file (checked from its size before reading,
    E013), a JSONL line, a WARC payload; JSONL and WARC files themselves may be of any size.
    ``max_decompressed`` caps what one record may decompress to (a WARC.gz record, an HTTP
    content encoding, a .jsonl.gz line); what one file decompresses to in all is capped at
    ``FILE_DECOMPRESSED_FACTOR`` times that (E043). Over-limit records are never held in memory.
    """
    limits = Limits(max_bytes, max_decompressed)
    for given in expand_sources(paths):
        path = canonical_path(given)
        name = path.lower()
        if name.endswith(WARC_EXTENSIONS):
            yield from iter_warc(path, limits)
        elif name.endswith(JSONL_EXTENSIONS):
            yield from iter_jsonl(path, limits)
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
