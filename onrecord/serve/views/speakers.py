"""The speakers pages: the most quoted speakers, and one speaker's identity, roles, channels and
timeline."""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from onrecord.errors import Errors
from onrecord.lexicon import KNOWN_OUTLETS, MEDIUM_NOUNS, OUTLET_WORDS, PERSON_NOUNS, ROLE_NOUNS
from onrecord.serve.views.common import NotFound, listing, month_range
from onrecord.store import Store

LATEST = 50  # quotations on a speaker's page (all of them: the search it links to)


def speakers_view(store: Store, *, q: str = "", limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """The most quoted speakers, those whose name holds ``q`` when given, a page at a time."""
    rows = store.speakers(limit=limit, offset=offset, name=q)
    total = store.speaker_total(q)
    return listing("speakers", rows, q=q, limit=limit, offset=offset, total=total, default_limit=50)


def speaker_view(store: Store, name: str) -> dict[str, Any]:
    """One speaker: identity, roles over time, outlets, media, addressees, who they speak about,
    and the quotations per month for the timeline chart."""
    info = store.speaker(name, latest=LATEST)
    if info is None:
        raise NotFound(Errors.E053.format(name=name))
    months: Counter[str] = Counter(
        {m: n for m, n in info.pop("months").items() if re.match(r"\d{4}-\d{2}$", m)}
    )
    searches = month_searches(info["speaker_id"])
    info["per_month"] = [
        {"month": m, "count": months.get(m, 0), "link": searches(m)} for m in month_range(months)
    ]
    info["speaks_about"] = store.speaks_about(info["speaker_id"])
    info["relations"] = store.relations_of(info["speaker_id"])
    info["roles"] = [r for r in info["roles"] if is_role(r["role"])]
    info["media"] = [r for r in info["media"] if is_medium(r["name"])]
    info["addressees"] = [r for r in info["addressees"] if is_addressee(r["name"])]
    info["latest"] = info.pop("timeline")[::-1]
    info["all_quotations"] = "/search?" + urlencode({"speaker": info["speaker_id"], "sort": "-date"})
    return info


_WORDS = re.compile(r"[^\W\d_][\w'’.-]*")
_SITE = re.compile(r"\b[\w-]+\.(?:com|org|net|news|co\.uk|eu)\b", re.IGNORECASE)
#: Whom a statement is made to when it is not a name: people and bodies.
ADDRESSEE_NOUNS = frozenset(
    """
    reporter journalist audience crowd supporter voter student member lawmaker official colleague
    follower fan viewer listener reader committee council board panel congress senate parliament
    assembly court jury staff worker employee donor delegate investor resident parent people group
    """.split()
)
#: The words that make an addressee people or a body: roles, nouns for people, and the above.
ADDRESSEE_WORDS = ROLE_NOUNS | PERSON_NOUNS | ADDRESSEE_NOUNS


def is_role(text: str) -> bool:
    """A role the page shows: words, not a count or a score ("57 percent to 22 percent")."""
    return not re.search(r"\d|%|\bper ?cent\b", text, re.IGNORECASE) and bool(_WORDS.search(text))


def is_medium(text: str) -> bool:
    """A medium the page shows: it names a channel, a document, an outlet or a site ("a letter
    to the council", "The Harbour Times", "X"), not a place ("Mexico City")."""
    words = {w.lower().strip(".'’") for w in _WORDS.findall(text)}
    return bool(words & (MEDIUM_NOUNS | OUTLET_WORDS | KNOWN_OUTLETS)) or bool(_SITE.search(text))


def is_addressee(text: str) -> bool:
    """An addressee the page shows: a name, or people or a body ("reporters", "the council"),
    not a thing ("an enormous cheer")."""
    words = _WORDS.findall(text)
    if not words:
        return False
    for word in (w.lower().strip(".'’") for w in words):
        if word in ADDRESSEE_WORDS or (word.endswith("s") and word[:-1] in ADDRESSEE_WORDS):
            return True
    return words[0][0].isupper() and not is_medium(text)


def month_searches(speaker_id: str) -> Callable[[str], str]:
    """The function that gives the search for a speaker's quotations in one month ("2024-02")."""
    prefix = "/search?" + urlencode({"speaker": speaker_id})

    def search(month: str) -> str:
        year, number = int(month[:4]), int(month[5:7])
        last = calendar.monthrange(year, number)[1]
        # the month is digits and a hyphen: nothing in it to escape
        return f"{prefix}&since={month}-01&until={month}-{last:02d}&sort=date"

    return search
