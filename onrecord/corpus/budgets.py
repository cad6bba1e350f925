"""The caps on reading corpus inputs: bytes per record, bytes decompressed per record and per
file (the decompression budgets), and the Stop that ends the reading of a file; with the one way
the readers open an input (a regular file, or a coded InputError).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from typing import BinaryIO

from onrecord.corpus.records import Failure
from onrecord.errors import Errors, InputError
from onrecord.ingest.read import DEFAULT_MAX_BYTES, _reason

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
CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
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


class Stop(Exception):
    """The rest of a file cannot be read: ``failure`` says why."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.reason)
        self.failure = failure


def open_regular(path: str) -> BinaryIO:
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
