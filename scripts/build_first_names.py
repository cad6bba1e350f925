"""Build ``onrecord/resolve/first_names.tsv``: the likely gender of first names, from PolNeAR train.

Usage (from the repository root, in the project's venv)::

    python scripts/build_first_names.py [POLNEAR_DIR] [OUT_TSV]

``POLNEAR_DIR`` defaults to ``../shared/data/polnear`` and ``OUT_TSV`` to
``onrecord/resolve/first_names.tsv``. Only the **train** split is read (``data/train/text/*.txt``).

The articles belong to their publishers: nothing of their text is written anywhere. The output
holds aggregate statistics only, one line per lowercased first name::

    name<TAB>gender<TAB>male<TAB>female

People. Every PERSON entity with at least two name words (titles such as "Mr.", "Sen.",
"President" stripped) gives a full name; its first word is the first name, unless the article
uses that word as a surname ("Trump" in "Trump Tower"). A shorter mention ("Warren", "Wasserman
Schultz") stands for the one person of the article whose full name ends with it. Surnames that
belong to several well-attested people in the corpus ("Obama": Barack and Michelle) are not
resolved that way, as news refers to the famous one by surname whoever else the article names.

Evidence for a first name, one vote each:

(a) honorifics: "Mr"/"Sir"/"Lord" (male) or "Mrs"/"Ms"/"Miss"/"Dame"/"Lady" (female) directly
    before the full name or before a surname-only mention of the person;
(b) pronouns: the person is the subject (nsubj/nsubjpass) of a sentence's main verb, and the
    next subject pronoun he/she, in the same or the next sentence, comes with no other PERSON
    mention and no quotation mark (quoted speech switches the point of view) in between;
(c) possessives: the first "his"/"her" (dependency ``poss``) after such a subject mention, in
    the predicate of the same clause (no other subject on the way up the tree to the verb) and
    with no other PERSON mention in between.

A name is kept with at least ``MIN_VOTES`` votes of which at least ``MIN_AGREEMENT`` agree.
Besides the table the script prints a held-out check: pronoun evidence (b, c) alone compared with
honorific evidence (a) alone, per vote and per name, on the names that have both.

The output is deterministic: the model runs on CPU, files are read in sorted order and the table
is sorted by name. A full run takes a few minutes on two cores.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from onrecord.nlp.model import load_pipeline
from onrecord.resolve.names import name_words

MIN_VOTES = 3
MIN_AGREEMENT = 0.8
# A surname is ambiguous in the corpus when a second first name comes with it in this many articles.
AMBIGUOUS_SURNAME_ARTICLES = 3

HONORIFIC_GENDER = {
    "mr": "male", "sir": "male", "lord": "male",
    "mrs": "female", "ms": "female", "miss": "female", "dame": "female", "lady": "female",
}  # fmt: skip
PRONOUN_GENDER = {"he": "male", "she": "female"}
POSSESSIVE_GENDER = {"his": "male", "her": "female"}
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
QUOTES = frozenset({'"', "“", "”", "''", "``", "«", "»"})


@dataclass(frozen=True)
class Vote:
    first: str  # lowercased first name
    source: str  # "hon" for (a), "pro" for (b) and (c)
    gender: str  # "male" or "female"
    surname: tuple[str, ...] | None  # the surname-only mention it came through, if any


def honorific_gender(token: Token) -> str | None:
    """'Mr.' -> 'male', 'Ms' -> 'female'; capitalised forms only ('miss' the verb is not one)."""
    text = token.text.rstrip(".")
    if not text or not text[0].isupper():
        return None
    return HONORIFIC_GENDER.get(text.lower())


def valid_first(word: str) -> bool:
    """A plausible given name: a capitalised alphabetic word, not an initial ('J.') or all caps."""
    core = word.replace("-", "").replace("'", "").replace("’", "")
    return len(core) >= 2 and core.isalpha() and word[0].isupper() and not word.isupper()


class Article:
    """The people of one parsed article and the votes its sentences give their first names."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.persons = [ent for ent in doc.ents if ent.label_ == "PERSON"]
        self.person_at: dict[int, Span] = {}
        for ent in self.persons:
            for i in range(ent.start, ent.end):
                self.person_at[i] = ent
        # Full names (two words or more), lowercased, with whether the first word looks like one.
        full: dict[tuple[str, ...], bool] = {}
        for ent in self.persons:
            words = name_words(ent.text)
            if len(words) >= 2:
                key = tuple(w.lower() for w in words)
                full[key] = full.get(key, False) or valid_first(words[0])
        # "Wasserman Schultz" after "Debbie Wasserman Schultz" is a surname, not a full name.
        self.full_names = {
            n: ok for n, ok in full.items() if not any(len(m) > len(n) and m[-len(n) :] == n for m in full)
        }
        # A word used as a surname in the article is not a first name there ("Trump Tower").
        self.surnames = {n[-1] for n in self.full_names}

    def people(self) -> Iterator[tuple[str, str]]:
        """(surname, first name) of every full name of the article with a usable first name."""
        for name in sorted(self.full_names):
            first = self._first_of_full(name)
            if first is not None:
                yield name[-1], first

    def _first_of_full(self, name: tuple[str, ...]) -> str | None:
        if not self.full_names[name] or name[0] in self.surnames:
            return None
        return name[0]

    def resolve(self, words: list[str]) -> tuple[str, tuple[str, ...] | None] | None:
        """(first name, surname if resolved through a surname-only mention), or None."""
        lowered = tuple(w.lower() for w in words)
        if not lowered:
            return None
        if lowered in self.full_names:
            first = self._first_of_full(lowered)
            return None if first is None else (first, None)
        # A surname alone, of one word or more: the one person of the article whose name ends so.
        owners = {
            self._first_of_full(n)
            for n in self.full_names
            if len(n) > len(lowered) and n[-len(lowered) :] == lowered
        }
        if len(owners) == 1:
            first = owners.pop()
            return None if first is None else (first, lowered)
        return None

    def votes(self) -> Iterator[Vote]:
        yield from self.honorific_votes()
        yield from self.pronoun_votes()

    # (a) honorifics ---------------------------------------------------------------------

    def honorific_votes(self) -> Iterator[Vote]:
        doc = self.doc
        for token in doc:
            gender = honorific_gender(token)
            if gender is None:
                continue
            ent = self.person_at.get(token.i)  # "Mr. Warren" tagged as a whole
            if ent is None and token.i + 1 < len(doc):
                ent = self.person_at.get(token.i + 1)
                if ent is not None and ent.start != token.i + 1:
                    ent = None
            if ent is not None:
                words = name_words(ent.text)
            else:
                # "Mr. Warren" where the NER missed the surname: the proper nouns that follow.
                following: list[str] = []
                for nxt in doc[token.i + 1 : token.i + 4]:
                    if nxt.pos_ != "PROPN" or not nxt.text[:1].isupper():
                        break
                    following.append(nxt.text)
                words = name_words(" ".join(following))
            resolved = self.resolve(words)
            if resolved is not None:
                yield Vote(resolved[0], "hon", gender, resolved[1])

    # (b) and (c) pronouns ---------------------------------------------------------------

    def pronoun_votes(self) -> Iterator[Vote]:
        sents = list(self.doc.sents)
        sent_of: dict[int, int] = {}
        for k, sent in enumerate(sents):
            for i in range(sent.start, sent.end):
                sent_of[i] = k
        for ent in self.persons:
            root = ent.root
            k = sent_of[ent.start]
            if root.dep_ not in SUBJECT_DEPS or root.head.i != sents[k].root.i:
                continue  # not the subject of the sentence's main verb
            resolved = self.resolve(name_words(ent.text))
            if resolved is None:
                continue
            first, surname = resolved
            stop = sents[k + 1].end if k + 1 < len(sents) else sents[k].end
            for gender in (self._next_subject_pronoun(ent, stop), self._possessive(ent, sents[k].end)):
                if gender is not None:
                    yield Vote(first, "pro", gender, surname)

    def _next_subject_pronoun(self, ent: Span, stop: int) -> str | None:
        for token in self.doc[ent.end : stop]:
            if token.i in self.person_at or token.text in QUOTES:
                return None
            if token.dep_ in SUBJECT_DEPS and token.lower_ in PRONOUN_GENDER:
                return PRONOUN_GENDER[token.lower_]
        return None

    def _possessive(self, ent: Span, sent_end: int) -> str | None:
        verb = ent.root.head
        for token in self.doc[ent.end : sent_end]:
            if token.i in self.person_at or token.text in QUOTES:
                return None
            if token.dep_ == "poss" and token.lower_ in POSSESSIVE_GENDER:
                if token.i > verb.i and same_clause(token, verb):
                    return POSSESSIVE_GENDER[token.lower_]
                return None  # only the first possessive after the mention counts
        return None


def same_clause(token: Token, verb: Token) -> bool:
    """True when ``verb`` governs ``token`` with no other subject-bearing head in between."""
    node = token
    while node.head.i != node.i:  # spaCy makes a new Token object on every access: compare indices
        node = node.head
        if node.i == verb.i:
            return True
        if any(child.dep_ in SUBJECT_DEPS for child in node.children):
            return False
    return False


# first name -> source -> gender -> count
Votes = dict[str, dict[str, Counter[str]]]


@dataclass
class Evidence:
    votes: list[tuple[int, Vote]]  # (article number, vote)
    # surname -> first name -> number of articles with that full name
    people: dict[str, Counter[str]]

    def ambiguous_surnames(self) -> set[str]:
        """Surnames that come with more than one first name in several articles ('obama')."""
        return {
            surname
            for surname, firsts in self.people.items()
            if len(firsts) >= 2 and firsts.most_common(2)[1][1] >= AMBIGUOUS_SURNAME_ARTICLES
        }

    def tally(self) -> Votes:
        ambiguous = self.ambiguous_surnames()
        votes: Votes = defaultdict(lambda: defaultdict(Counter))
        for _, vote in self.votes:
            if vote.surname is not None and vote.surname[-1] in ambiguous:
                continue
            votes[vote.first][vote.source][vote.gender] += 1
        return votes

    def single_article_names(self) -> set[str]:
        """First names all of whose counted votes come from one article (often one person)."""
        ambiguous = self.ambiguous_surnames()
        articles: dict[str, set[int]] = defaultdict(set)
        for n, vote in self.votes:
            if vote.surname is None or vote.surname[-1] not in ambiguous:
                articles[vote.first].add(n)
        return {name for name, found in articles.items() if len(found) == 1}


def collect(docs: Iterable[Doc], total: int = 0, started: float | None = None) -> Evidence:
    """The votes and the people of all articles."""
    evidence = Evidence([], defaultdict(Counter))
    for n, doc in enumerate(docs, 1):
        article = Article(doc)
        evidence.votes.extend((n, vote) for vote in article.votes())
        for surname, first in set(article.people()):
            evidence.people[surname][first] += 1
        if started is not None and n % 100 == 0:
            print(f"  {n}/{total} articles, {time.monotonic() - started:.0f}s", file=sys.stderr)
    return evidence


def label(male: int, female: int) -> str | None:
    """'male'/'female' when there are enough votes and they agree enough, else None."""
    total = male + female
    if total < MIN_VOTES:
        return None
    if male >= MIN_AGREEMENT * total:
        return "male"
    if female >= MIN_AGREEMENT * total:
        return "female"
    return None


def table(votes: Votes) -> list[tuple[str, str, int, int]]:
    """(name, gender, male votes, female votes) of the names kept, sorted by name."""
    rows: list[tuple[str, str, int, int]] = []
    for name in sorted(votes):
        male = sum(votes[name][s]["male"] for s in ("hon", "pro"))
        female = sum(votes[name][s]["female"] for s in ("hon", "pro"))
        gender = label(male, female)
        if gender is not None:
            rows.append((name, gender, male, female))
    return rows


def held_out_check(votes: Votes) -> None:
    """Pronoun evidence (b, c) alone against honorific evidence (a) alone.

    Reference: the label from honorific votes only (same thresholds). Per name: the label from
    pronoun votes only, where both exist. Per vote: each pronoun vote for a name with an
    honorific label. Neither source sees the other.
    """
    both = agree = 0
    vote_total = vote_agree = 0
    disagreements: list[str] = []
    pro_labelled = hon_labelled = 0
    for name in sorted(votes):
        h, p = votes[name]["hon"], votes[name]["pro"]
        hon = label(h["male"], h["female"])
        pro = label(p["male"], p["female"])
        hon_labelled += hon is not None
        pro_labelled += pro is not None
        if hon is not None:
            vote_total += p["male"] + p["female"]
            vote_agree += p[hon]
        if hon is None or pro is None:
            continue
        both += 1
        if hon == pro:
            agree += 1
        else:
            disagreements.append(
                f"{name} (pronouns {p['male']}m/{p['female']}f, honorifics {h['male']}m/{h['female']}f)"
            )
    print(
        f"\nheld-out check: {pro_labelled} names labelled from pronouns alone, "
        f"{hon_labelled} from honorifics alone, {both} by both"
    )
    if both:
        print(f"  per name: pronoun label = honorific label for {agree}/{both} = {agree / both:.1%}")
    if vote_total:
        print(
            f"  per vote: {vote_agree}/{vote_total} = {vote_agree / vote_total:.1%} of pronoun votes "
            "agree with the name's honorific label"
        )
    for line in disagreements:
        print(f"  disagree: {line}")


def read_texts(polnear: Path) -> list[str]:
    text_dir = polnear / "data" / "train" / "text"
    paths = sorted(text_dir.glob("*.txt"))
    if not paths:
        sys.exit(f"no texts in {text_dir}")
    return [p.read_text(encoding="utf-8") for p in paths]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("polnear", nargs="?", default="../shared/data/polnear", type=Path)
    parser.add_argument("out", nargs="?", default="onrecord/resolve/first_names.tsv", type=Path)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles (quick checks)")
    args = parser.parse_args(argv)

    started = time.monotonic()
    texts = read_texts(args.polnear)[: args.limit]
    nlp = load_pipeline()
    with nlp.select_pipes(disable=["lemmatizer"]):
        docs = nlp.pipe(texts, batch_size=args.batch_size, n_process=1)
        evidence = collect(docs, total=len(texts), started=started)
    votes = evidence.tally()
    rows = table(votes)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="\n") as f:
        f.write("name\tgender\tmale\tfemale\n")
        for name, gender, male, female in rows:
            f.write(f"{name}\t{gender}\t{male}\t{female}\n")

    elapsed = time.monotonic() - started
    n_male = sum(1 for r in rows if r[1] == "male")
    print(f"{len(texts)} articles, {len(votes)} candidate first names, {elapsed:.0f}s")
    print(f"{len(rows)} names written to {args.out} ({n_male} male, {len(rows) - n_male} female)")
    single = evidence.single_article_names()
    print(f"{sum(1 for r in rows if r[0] in single)} of them rest on a single article")
    print(f"surnames not resolved alone (ambiguous): {', '.join(sorted(evidence.ambiguous_surnames()))}")

    step = max(1, len(rows) // 30)
    print(f"\nsample (every {step}th name):  name  gender  male  female")
    for name, gender, male, female in rows[::step][:30]:
        print(f"  {name:<14} {gender:<6} {male:>5} {female:>5}")

    held_out_check(votes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
