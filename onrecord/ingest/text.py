"""Plain-text articles: drop page clutter, take the title and the dateline as metadata.

Scraped text usually keeps lines that are not the article: radio-show banners
("Vanessa Feltz 3pm - 6pm"), audio players ("Listen to this article", "Loading audio..."),
links ("Read more: ..."), share and subscribe prompts. ``clean_text`` removes them, takes the
first headline-like line as the title and a dateline ("12 January 2025, 13:30") as the
publication time. With ``clean=False`` the text is kept exactly as given so that offsets refer
to the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from onrecord.ingest.document import Document

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_TIME = r"(?:[,\s]+(?:at\s+)?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?(?:\s*(?:GMT|BST|UTC|[ECMP][SD]?T))?)?"
_PREFIX = r"(?:(?:published|updated|posted|last updated|first published)(?:\s+on)?\s*:?\s*)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
_DATELINE_PATTERNS = [
    re.compile(
        rf"^{_PREFIX}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{_MONTHS})\.?,?\s+(?P<year>\d{{4}}){_TIME}\s*$",
        re.I,
    ),
    re.compile(
        rf"^{_PREFIX}(?P<month>{_MONTHS})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}}){_TIME}\s*$",
        re.I,
    ),
    re.compile(
        rf"^{_PREFIX}(?P<year>\d{{4}})-(?P<mnum>\d{{2}})-(?P<day>\d{{2}})(?:[T\s]+(?P<hour>\d{{2}}):(?P<minute>\d{{2}})(?::\d{{2}})?)?\S*\s*$",
        re.I,
    ),
]

PAYWALL_PATTERNS = [
    # paywall and sign-in prompts, short lines only: "This article is exclusive to Harbour Times
    # subscribers.", "Already a subscriber? Log in", "Subscribe to continue reading"
    re.compile(
        r"^(?:this (?:article|story|content|piece) is )?(?:exclusive(?:ly)?|only available|available only|reserved) (?:to|for) "
        r"(?:[\w'’&.-]+ ){0,6}(?:subscribers|members|premium (?:subscribers|members))\b.{0,120}$",
        re.I,
    ),
    re.compile(r"^already (?:a |an )?(?:subscriber|member|registered)\b.{0,80}$", re.I),
    re.compile(
        r"^(?:log ?in|sign ?in|register|subscribe(?: now)?|create (?:a |an )?(?:free )?account|start (?:your )?free trial)"
        r"(?: (?:now|here|today))?(?:\s*(?:to|and) (?:continue|keep|read|unlock|access|get)\b.{0,80})?[.!]?$",
        re.I,
    ),
    re.compile(
        r"^to (?:continue|keep) reading\b.{0,100}(?:subscribe|log ?in|sign ?in|register)\b.{0,60}$", re.I
    ),
    re.compile(
        r"^you(?:'ve| have) (?:reached|used) (?:your|all your) (?:\w+ )?(?:free )?(?:article|story)\b.{0,100}$",
        re.I,
    ),
]

# Whole lines that are page furniture rather than article text.
_CLUTTER_PATTERNS = [
    # radio / TV schedule banners: "Vanessa Feltz 3pm - 6pm", "Nick Ferrari 7am - 10am"
    re.compile(
        r"^[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,4}\s+\d{1,2}(?::\d{2})?\s*[ap]m\s*[-–—]\s*\d{1,2}(?::\d{2})?\s*[ap]m$",
        re.I,
    ),
    re.compile(
        r"^(?:listen to (?:this|the) (?:article|story|podcast)|loading audio\.*|play(?:ing)? audio|audio player|listen now)\W*$",
        re.I,
    ),
    re.compile(
        r"^(?:read more|read next|more on this story|related|related articles?|related stories|see also|watch|watch more|most read|recommended|trending)\s*(?:[:|-].*)?$",
        re.I,
    ),
    re.compile(
        r"^(?:share|share this( article| story)?|share on \w+|tweet|email|print|copy link|comments?|\d+ comments?)\W*$",
        re.I,
    ),
    # prompts are short and have no clause of their own: "Follow us on X", not "Join us at the pier, she said."
    re.compile(
        r"^(?:sign up|subscribe|follow us|join us|download (?:the|our) app|get (?:the|our) (?:free )?newsletter)\b[^,.;]{0,80}[.!]?$",
        re.I,
    ),
    re.compile(
        r"^(?:advertisement|advert|sponsored|skip advert|continue reading|click here.*|image (?:caption|source)[:\s].*|getty images|\(?photo:.*)$",
        re.I,
    ),
    *PAYWALL_PATTERNS,
]


@dataclass(slots=True)
class Cleaned:
    text: str
    title: str | None = None
    published: str | None = None
    dropped: list[str] = field(default_factory=list)


def parse_dateline(line: str) -> str | None:
    """ISO 8601 for a line that is only a date (and time), else None."""
    stripped = line.strip()
    if len(stripped) > 60:
        return None
    for pattern in _DATELINE_PATTERNS:
        match = pattern.match(stripped)
        if not match:
            continue
        groups = match.groupdict()
        try:
            if groups.get("mnum"):
                month = int(groups["mnum"])
            else:
                month = datetime.strptime(groups["month"][:3].title(), "%b").month
            year, day = int(groups["year"]), int(groups["day"])
            hour = int(groups["hour"]) if groups.get("hour") else None
            minute = int(groups["minute"]) if groups.get("minute") else 0
            ampm = (groups.get("ampm") or "").replace(".", "").lower()
            if hour is not None and ampm == "pm" and hour < 12:
                hour += 12
            if hour is not None and ampm == "am" and hour == 12:
                hour = 0
            if hour is None:
                return datetime(year, month, day).date().isoformat()
            return datetime(year, month, day, hour, minute).isoformat()
        except ValueError:
            return None
    return None


def is_clutter(line: str) -> bool:
    stripped = line.strip()
    return any(p.match(stripped) for p in _CLUTTER_PATTERNS)


def _looks_like_title(line: str) -> bool:
    stripped = line.strip()
    words = stripped.split()
    if not 3 <= len(words) <= 30 or len(stripped) > 220:
        return False
    if stripped.endswith((".", ",", ";")) and not stripped.endswith("..."):
        return False
    if stripped[0] in "\"“‘'" and stripped.count(" ") < 3:
        return False
    return stripped[0].isupper() or stripped[0].isdigit() or stripped[0] in "\"“‘'"


def clean_text(raw: str) -> Cleaned:
    """Drop clutter lines; take a headline (before the first paragraph) and a dateline as metadata.

    The title is the first non-clutter line when it looks like a headline and is followed,
    possibly after a dateline, by more text. The dateline is a line holding only a date
    within the first lines of the article. Remaining lines are joined with single newlines;
    blank lines are dropped so paragraphs are one line each.
    """
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    dropped: list[str] = []
    title: str | None = None
    published: str | None = None
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if is_clutter(stripped):
            dropped.append(stripped)
            continue
        if published is None and len(kept) <= 2:
            date = parse_dateline(stripped)
            if date is not None:
                published = date
                dropped.append(stripped)
                continue
        kept.append(stripped)
    if len(kept) >= 2 and _looks_like_title(kept[0]):
        title = kept.pop(0)
    return Cleaned(text="\n".join(kept), title=title, published=published, dropped=dropped)


def from_text(
    raw: str,
    *,
    clean: bool = True,
    source_path: str | None = None,
    url: str | None = None,
) -> Document:
    """A Document from plain text; ``clean=False`` keeps the text byte for byte."""
    if not clean:
        return Document(text=raw, source_path=source_path, url=url)
    cleaned = clean_text(raw)
    return Document(
        text=cleaned.text,
        source_path=source_path,
        title=cleaned.title,
        published=cleaned.published,
        url=url,
    )
