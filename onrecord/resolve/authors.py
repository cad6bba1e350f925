"""Who wrote the article: the narrator an "I" or "we" outside any quotation stands for.

An opinion piece, a column or a book excerpt speaks in the first person; its statements are the
author's. The author is found, in this order, from

1. the byline the ingest read from the page's metadata (``Document.author``);
2. a byline paragraph near the top ("By Ana Ruiz");
3. an author's note at the end: a sentence that opens with a person's name and says who they
   are ("Ana Ruiz is a senior editor at ...");
4. a reprint credit at the end ("From HARBOUR DAYS by Ana Ruiz. Copyright ...");
5. a co-author's byline ("Co-authored by Ben Lutz").

Only people count; a page's metadata byline that names no one in the text still gives a person
(the "I" becomes their first mention).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from onrecord.attribution.quotes import paragraphs
from onrecord.nlp.text import doc_text
from onrecord.resolve.clusters import Cluster
from onrecord.resolve.names import name_words

BYLINE = re.compile(r"^(?:by|written by|co-?authored by|co-?written by|reporting by)\s+\S", re.IGNORECASE)
CO_AUTHOR = re.compile(r"^co-?(?:authored|written) by", re.IGNORECASE)
CREDIT = re.compile(r"^from\s|©|\bcopyright\b|\breprinted\b|\bexcerpted\b", re.IGNORECASE)
#: Words of a byline that are not a name: "Staff Writer", "Political Correspondent".
BYLINE_ROLES = frozenset(
    """staff writer writers editor editors reporter reporters correspondent correspondents
    contributor contributors columnist desk team newsroom""".split()
)
BYLINE_MAX = 120  # characters: a byline is a short line
HEAD_PARAGRAPHS = 4  # where a byline may stand
TAIL_PARAGRAPHS = 3  # where an author's note or a reprint credit may stand


def _name_from(doc: Doc, clusters: list[Cluster], token_map: dict[int, int], first: int) -> int | None:
    """The person whose name starts at token ``first``: a tagged person's, or two or three
    capitalised words the tagger left untagged ("By Ana Ruiz")."""
    if first in token_map:
        cluster = token_map[first]
        return cluster if clusters[cluster].kind == "person" else None
    name: list[Token] = []
    for word in doc[first : first + 4]:
        if not (word.pos_ in ("PROPN", "NOUN") and word.text[:1].isupper() and not word.is_upper):
            break
        if word.i in token_map:
            cluster = token_map[word.i]
            return cluster if clusters[cluster].kind == "person" else None
        name.append(word)
    if not 2 <= len(name) <= 3:
        return None
    cluster = _person_named(clusters, name_words(" ".join(w.text for w in name)))
    mention = (name[0].idx, name[-1].idx + len(name[-1].text))
    if mention not in clusters[cluster].mentions:
        clusters[cluster].mentions.append(mention)
        clusters[cluster].mention_tokens.append(name[-1].i)
    return cluster


def _bylined(doc: Doc, clusters: list[Cluster], token_map: dict[int, int], start: int, end: int) -> list[int]:
    """The people a byline line names: 'By Ana Ruiz and Ben Lutz'."""
    found: list[int] = []
    span = doc.char_span(start, end, alignment_mode="expand")
    tokens = list(span) if span is not None else []
    for token in tokens:
        if token.lower_ in ("by", "and", ",", "&") and token.i + 1 < tokens[-1].i + 1:
            cluster = _name_from(doc, clusters, token_map, token.i + 1)
            if cluster is not None and cluster not in found:
                found.append(cluster)
    return found


def _described(
    doc: Doc, clusters: list[Cluster], token_map: dict[int, int], start: int, end: int, body: tuple[int, int]
) -> list[int]:
    """People whom a sentence of the span opens with and says who they are ('X is a ...'), and
    whom the ``body`` never names (a report that ends 'X is the first mayor to ...' is about X,
    not by X)."""
    found: list[int] = []
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return found
    for sent in {token.sent.start: token.sent for token in span}.values():
        root = sent.root
        if root.lemma_ != "be":
            continue
        subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.left_edge.i != sent.start:
            continue
        cluster = _name_from(doc, clusters, token_map, sent.start)
        if cluster is None or cluster in found:
            continue
        if any(body[0] <= m_start < body[1] for m_start, _ in clusters[cluster].mentions):
            continue
        found.append(cluster)
    return found


def _credited(
    doc: Doc, clusters: list[Cluster], token_map: dict[int, int], start: int, end: int
) -> list[int]:
    """People a reprint credit gives as the author: 'by NAME', tagged or not ('From HARBOUR
    DAYS by Ana Ruiz. Copyright 2015 by Ana Ruiz.')."""
    found: list[int] = []
    span = doc.char_span(start, end, alignment_mode="expand")
    for token in span if span is not None else ():
        if token.lower_ == "by" and token.i + 1 < len(doc):
            cluster = _name_from(doc, clusters, token_map, token.i + 1)
            if cluster is not None and cluster not in found:
                found.append(cluster)
    return found


def _person_named(clusters: list[Cluster], words: list[str]) -> int:
    """The person cluster of that name (same surname, same first name or none), made if the
    article has none."""
    first, last = words[0].lower(), words[-1].lower()
    match = next(
        (
            i
            for i, c in enumerate(clusters)
            if c.kind == "person"
            and c.words[-1].lower() == last
            and (len(c.words) == 1 or c.words[0].lower() == first)
        ),
        None,
    )
    if match is None:
        clusters.append(Cluster("person", words))
        match = len(clusters) - 1
    return match


def byline_names(byline: str) -> list[list[str]]:
    """The people a metadata byline names: 'By Ana Ruiz and Ben Lutz, Staff' -> two names."""
    byline = re.sub(r"^\s*by\s+", "", byline, flags=re.IGNORECASE)
    names: list[list[str]] = []
    for part in re.split(r",|;|\band\b|&|\|", byline):
        words = name_words(part)
        if (
            2 <= len(words) <= 4
            and all(w[:1].isupper() for w in words)
            and not any(w.lower() in BYLINE_ROLES for w in words)
        ):
            names.append(words)
    return names


def find_authors(
    doc: Doc, clusters: list[Cluster], token_map: dict[int, int], byline: str | None = None
) -> list[int]:
    """Cluster indices of the article's authors, the main one first (``clusters`` may grow: a
    metadata byline's person the text never names gets a cluster of their own)."""
    authors: list[int] = []

    def add(found: list[int]) -> None:
        authors.extend(c for c in found if c not in authors)

    if byline:
        add([_person_named(clusters, words) for words in byline_names(byline)])
    text = doc_text(doc)
    paras = paragraphs(text)
    bylines = [
        (start, end)
        for start, end in paras[:HEAD_PARAGRAPHS]
        if end - start <= BYLINE_MAX and BYLINE.match(text[start:end])
    ]
    tail = paras[max(1, len(paras) - TAIL_PARAGRAPHS) :]
    for start, end in bylines:
        if not CO_AUTHOR.match(text[start:end]):
            add(_bylined(doc, clusters, token_map, start, end))
    body = (bylines[-1][1] if bylines else 0, tail[0][0] if tail else 0)
    for start, end in tail:
        add(_described(doc, clusters, token_map, start, end, body))
    for start, end in tail:
        if CREDIT.search(text[start:end]):
            add(_credited(doc, clusters, token_map, start, end))
    for start, end in bylines:  # a co-author comes after the author the notes name
        add(_bylined(doc, clusters, token_map, start, end))
    return authors
