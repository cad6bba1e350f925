"""A person's gender as the article shows it, with the evidence that decided it.

Inferred from the text, never self-identified: what a reader of the article would take the
person's gender to be. The evidence, strongest first:

1. the article's own pronouns and gendered nouns that refer to the person: the pronouns the
   resolver linked to them (a source "she"; the first personal pronoun after their name as a
   subject, before anyone else is named, when it is a subject itself and outside reported words), and gendered nouns among their descriptions or
   mentions ("spokeswoman", "the mother of two", "first lady"; a gendered job title alone
   counts, as it does for the Gender Gap Tracker);
2. honorifics before a mention ("Ms", "Mrs", "Mr", "Sir", "Dame", "Lord", "Lady");
3. only when the article says nothing: the first-name lexicon (``onrecord.resolve.gender``),
   whose general table lists names 95% or more of one gender in the nomquamgender statistics
   and whose news table names with at least 3 votes of which 80% agree.

An honorific weighs 3, a gendered noun 2 (a family or plain noun as a description 1: "her son,
Tom" or "the man who" put on the wrong name is their usual error; descriptions that disagree with each other count for nothing), each
pronoun 1: a gender wins with at least twice the weight of the other; anything closer is
conflicting evidence and gives ``unknown`` (a pronoun linked to the wrong person must not decide
alone against an honorific).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from onrecord.lexicon import (
    FEMALE_HONORIFICS,
    FEMALE_NOUNS,
    FEMALE_PHRASES,
    FEMALE_PRONOUNS,
    GENDER_FAMILY_NOUNS,
    HONORIFICS,
    MALE_HONORIFICS,
    MALE_NOUNS,
    MALE_PHRASES,
    MALE_PRONOUNS,
    PLAIN_NOUNS,
    TITLES,
)
from onrecord.model import Gender
from onrecord.resolve.clusters import Cluster
from onrecord.resolve.entities import first_pronoun_after
from onrecord.resolve.gender import first_name_gender

NOUN_WEIGHT = 2
HONORIFIC_WEIGHT = 3
PRONOUN_WEIGHT = 1
#: The weight a gender needs over the other to win.
MARGIN = 2


#: Words that end a description's head phrase: "mother of two", "a spokeswoman for the board",
#: "whose son died" (a relative's noun, not the person's).
_HEAD_ENDS = frozenset(
    {"of", "for", "at", "in", "with", "who", "whose", "that", "which", "and", "to", "from", "on"}
)


def _noun_gender(text: str) -> tuple[Gender, str] | None:
    """The gendered noun that heads a description or a nominal mention, if there is one
    ("first lady", "the mother of two", "a spokeswoman for the board")."""
    words = [w.strip(".,;:'’\"()") for w in text.lower().replace("-", " ").split()]
    head: list[str] = []
    for word in words:
        if word in _HEAD_ENDS or not word:
            break
        head.append(word)
    phrase = " ".join(head)
    for phrases, gender in ((FEMALE_PHRASES, "female"), (MALE_PHRASES, "male")):
        for found in phrases:
            if phrase.endswith(found):
                return gender, found  # type: ignore[return-value]
    if head and head[-1] in FEMALE_NOUNS:
        return "female", head[-1]
    if head and head[-1] in MALE_NOUNS:
        return "male", head[-1]
    return None


def gender_of(
    doc: Doc,
    cluster: Cluster,
    index: int,
    token_map: dict[int, int],
    contents: Sequence[tuple[int, int]] = (),
) -> tuple[Gender, list[str]]:
    """The gender of the person ``cluster`` (number ``index``) and its evidence, strongest
    first. ``contents`` are the quotations' content spans: a pronoun inside one ("Ortiz said
    she would resign") is not taken to be the person's."""
    found: list[tuple[int, Gender, str]] = []  # (rank of the kind, gender, word)
    weights: dict[Gender, int] = {"female": 0, "male": 0, "unknown": 0}

    def add(rank: int, gender: Gender, word: str, weight: int) -> None:
        found.append((rank, gender, word))
        weights[gender] += weight

    nouns = [n for n in (_noun_gender(d) for d in cluster.descriptions) if n is not None]
    if len({said for said, _ in nouns}) == 1:  # descriptions that disagree say nothing
        for said, word in nouns:
            add(0, said, word, PRONOUN_WEIGHT if word in GENDER_FAMILY_NOUNS | PLAIN_NOUNS else NOUN_WEIGHT)
    honorifics_seen: set[int] = set()
    for start, end in sorted(set(cluster.mentions)):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        lower = span.text.lower()
        if lower in FEMALE_PRONOUNS or lower in MALE_PRONOUNS:
            add(0, "female" if lower in FEMALE_PRONOUNS else "male", lower, PRONOUN_WEIGHT)
            continue
        if span.root.pos_ == "NOUN":  # "the woman said"
            noun = _noun_gender(span.root.text)
            if noun is not None:
                add(0, noun[0], noun[1], NOUN_WEIGHT)
                continue
        for token in (doc[span.start - 1] if span.start > 0 else None, span[0]):
            word = token.lower_.rstrip(".") if token is not None else ""
            if token is not None and token.i in honorifics_seen:
                break  # two mentions that open with the same "Mr" count it once
            if token is not None and (word in FEMALE_HONORIFICS or word in MALE_HONORIFICS):
                honorifics_seen.add(token.i)
                add(1, "female" if word in FEMALE_HONORIFICS else "male", token.text, HONORIFIC_WEIGHT)
                break
    for token_i in cluster.mention_tokens:
        # "Ortiz spoke first. She said": the first personal pronoun after the person as a
        # subject, before anyone else is named, when it is a subject itself ("Ortiz thanked him",
        # an object, is someone else) and outside reported words ("Ortiz said she would resign")
        if doc[token_i].dep_ != "nsubj":
            continue
        follower = first_pronoun_after(doc, token_i, index, token_map)
        if (
            follower is not None
            and follower.dep_ in ("nsubj", "nsubjpass")
            and not any(s <= follower.idx < e for s, e in contents)
        ):
            lower = follower.lower_
            add(0, "female" if lower in FEMALE_PRONOUNS else "male", lower, PRONOUN_WEIGHT)
    female, male = weights["female"], weights["male"]
    if female or male:
        winner: Gender | None = (
            "female" if female >= MARGIN * male else "male" if male >= MARGIN * female else None
        )
        words = [w for _, g, w in sorted(found, key=lambda f: f[0]) if winner is None or g == winner]
        return winner or "unknown", list(dict.fromkeys(words))
    words = cluster.name.split()
    while words and words[0].lower().rstrip(".") in HONORIFICS | TITLES:
        words = words[1:]  # "Sen. Ana Ortiz": the first name after the title
    if len(words) >= 2 and len(words[0].rstrip(".")) > 1:
        lexicon = first_name_gender(words[0])
        if lexicon is not None:
            return lexicon, [f"first name: {words[0]}"]
    return "unknown", []
