"""Full names that only the headline gives.

A page's title is metadata, not part of the text the pipeline parses, yet it is part of the
article: "Ana Ortiz wins the harbour primary" above a body that says only "Ortiz won ...",
"Ortiz said ...". The speaker's name is then the fullest one the article gives, the
headline's. Read off the title's words (no parse): the person named in the body by surname
alone (or by a surname of two words, "Ruiz Castro") takes the run of capitalised words before
that surname in the title that opens with a known first name, as ``_full_names_the_tagger_missed``
does for a full name the tagger missed in the body.
"""

from __future__ import annotations

import re

from onrecord.lexicon import HONORIFICS, TITLES
from onrecord.resolve.clusters import Cluster
from onrecord.resolve.gender import first_name_gender

#: A title's words: letters, with inner hyphens, apostrophes and full stops ("Anna-Lena", "O'Neill").
_WORD = re.compile(r"[^\W\d_](?:[\w'’.-]*\w)?\.?")
_POSSESSIVE = re.compile(r"['’]s?$")
#: At most this many capitalised words before the surname (first and middle names, initials).
MAX_BEFORE = 3


def names_from_title(clusters: list[Cluster], title: str | None) -> None:
    """Give each person the body names by surname alone the full name the headline gives,
    when the headline gives one for exactly one such person."""
    if not title:
        return
    words = [_POSSESSIVE.sub("", w) for w in _WORD.findall(title)]
    surnamed = [
        c
        for c in clusters
        if c.kind == "person"
        and 1 <= len(c.words) <= 2
        and all(first_name_gender(w) is None for w in c.words)
        and not c.suffix
    ]
    for cluster in surnamed:
        same = [c for c in surnamed if [w.lower() for w in c.words] == [w.lower() for w in cluster.words]]
        if len(same) > 1:
            continue  # two people the body names alike: the headline cannot say which
        run = _full_name_before(words, cluster.words)
        if run is None:
            continue
        cluster.words = run
        cluster.forms[" ".join(run)] += 1
        cluster.gender = cluster.gender or first_name_gender(run[0])


def _full_name_before(words: list[str], surname: list[str]) -> list[str] | None:
    """The headline's full name that ends in ``surname`` (its words as written), or None."""
    n = len(surname)
    for end in range(n, len(words) + 1):
        if words[end - n : end] != surname:
            continue
        start = end - n
        while (
            start > 0
            and end - n - start < MAX_BEFORE
            and words[start - 1][:1].isupper()
            and words[start - 1].lower().rstrip(".") not in TITLES | HONORIFICS
        ):
            start -= 1
        while start < end - n and first_name_gender(words[start]) is None:
            start += 1  # "Why Ana Ortiz ...": a word before the first name is not the name
        if start < end - n:
            return words[start:end]
    return None
