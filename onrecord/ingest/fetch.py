"""Downloading a page over HTTP(S) with trafilatura's fetcher, failures as coded errors."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterator
from configparser import ConfigParser
from contextlib import contextmanager
from urllib.parse import urlsplit

from trafilatura import fetch_response
from trafilatura.settings import DEFAULT_CONFIG

from onrecord.errors import Errors, InputError

DEFAULT_TIMEOUT = 30.0
# trafilatura's own cap on a download (decompressed), used unless the caller sets one
DEFAULT_MAX_DOWNLOAD = 20_000_000
NO_RESPONSE = "no response: connection failed, timed out, too many redirects or over {max_bytes} bytes"
# "HTTPConnection(host='x', port=1): " in front of urllib3's messages
_POOL_PREFIX = re.compile(r"^\w+\(host=[^)]*\):\s*")


class _DownloadErrors(logging.Handler):
    """Collects the errors trafilatura logs (and then swallows) while fetching one URL."""

    def __init__(self, url: str) -> None:
        super().__init__(logging.WARNING)
        self.url = url
        self.errors: list[object] = []

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        if len(args) >= 2 and args[0] == self.url:
            self.errors.append(args[1])


def _describe(error: object) -> str:
    """The innermost, shortest useful message of a download error."""
    inner = getattr(error, "reason", None) or error  # urllib3's MaxRetryError wraps the cause
    return _POOL_PREFIX.sub("", str(inner)) or type(inner).__name__


def _too_large(error: object) -> bool:
    """trafilatura's download cap (MAX_FILE_SIZE) stopped the download."""
    return isinstance(error, ValueError) and "MAX_FILE_SIZE" in str(error)


@contextmanager
def _download_errors(url: str) -> Iterator[_DownloadErrors]:
    logger = logging.getLogger("trafilatura.downloads")
    handler = _DownloadErrors(url)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def is_url(arg: str) -> bool:
    """True for an ``http://`` or ``https://`` URL with a host."""
    parts = urlsplit(arg)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _config(timeout: float, max_bytes: int, allow_private: bool) -> ConfigParser:
    """A copy of trafilatura's default settings with this download's limits."""
    config = ConfigParser()
    config.read_dict({section: dict(DEFAULT_CONFIG[section]) for section in DEFAULT_CONFIG})
    config["DEFAULT"]["DOWNLOAD_TIMEOUT"] = str(max(1, math.ceil(timeout)))
    config["DEFAULT"]["MAX_FILE_SIZE"] = str(max_bytes)
    config["DEFAULT"]["SSRF_PROTECTION"] = "off" if allow_private else "on"
    return config


def fetch_url(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_DOWNLOAD,
    allow_private: bool = False,
) -> str:
    """The page at ``url``, decoded to a string.

    Uses ``trafilatura.fetch_response``: its pooled urllib3 (or pycurl) download, retries and
    redirects (at most two), an SSL retry without verification, the cap on the (decompressed)
    size, and ``decode_file`` (gzip/brotli/zstd, then UTF-8, then the detected charset, then a
    lossy UTF-8 decode). ``timeout`` is the per-request time limit in seconds (rounded up to a
    whole second). Addresses that are not public (loopback, private, link-local) are refused
    unless ``allow_private`` is true, trafilatura's SSRF protection.

    Raises ``InputError``: E013 when the download goes over ``max_bytes`` (it is stopped
    there); E016 when the URL is not http(s), when no response comes back (refused or failed
    connection, time-out, blocked address, too many redirects: the reason trafilatura logged
    is given), when the status is not 200, or when the body is empty.
    """
    if not is_url(url):
        raise InputError(Errors.E016.format(path=url, reason="not an http:// or https:// URL"))
    config = _config(timeout, max_bytes, allow_private)
    with _download_errors(url) as logged:
        try:
            response = fetch_response(url, decode=True, config=config)
        except (OSError, ValueError) as err:  # it logs and returns None for most errors
            raise InputError(Errors.E016.format(path=url, reason=_describe(err))) from err
    if response is None:
        if any(_too_large(err) for err in logged.errors):
            raise InputError(Errors.E013.format(path=url, size=f"more than {max_bytes}", limit=max_bytes))
        reason = _describe(logged.errors[-1]) if logged.errors else NO_RESPONSE.format(max_bytes=max_bytes)
        raise InputError(Errors.E016.format(path=url, reason=reason))
    if response.status != 200:
        raise InputError(Errors.E016.format(path=url, reason=f"HTTP status {response.status}"))
    if not response.data or not response.html:
        raise InputError(Errors.E016.format(path=url, reason="empty response body"))
    return response.html
