"""The PolNeAR corpus (Newell, Margolin and Ruths, LREC 2018) as data: the brat standoff gold,
the annotators, and the resolved speakers and genders beside it (``../shared/data``).

The corpus has one ``.txt`` per article and one ``.ann`` per annotator; ``data/metadata.tsv``
lists the annotators of each article and the first one is gold, so nothing counts twice. A
relation (``E`` line) joins ``Source`` (optional), ``Cue`` and ``Content`` text-bound annotations
(``T`` lines, discontinuous pieces joined by ``;``); the quote type is not annotated and is
derived from the quote marks in the gold content (``quote_type_of``). ``Discuss``/``Discard``
are annotator flags, not relations. Scoring is ``onrecord.evaluate.polnear``'s; training reads
these too (``onrecord.training``).
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from onrecord.errors import Errors, InputError
from onrecord.model import QuoteType, Span

#: Words, for the share of a content inside quotation marks.
WORDS = re.compile(r"\w+")
ROLES = ("source", "cue", "content")
#: Share of the content's words inside quote marks from which a quotation counts as direct.
DIRECT_SHARE = 1.0

OPENING = "“„«"
CLOSING = "”»"
T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)(?:\t|$)")


@dataclass(frozen=True, slots=True)
class GoldRelation:
    """One attribution relation of the gold annotator, spans as in the ``.ann`` file."""

    id: str
    content: tuple[Span, ...]
    cue: tuple[Span, ...] = ()
    source: tuple[Span, ...] = ()
    type: QuoteType = "indirect"

    @property
    def content_text(self) -> str:
        return " ".join(s.text for s in self.content)


@dataclass(slots=True)
class GoldArticle:
    doc_id: str
    text_path: Path
    text: str
    relations: list[GoldRelation] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


# -- reading ------------------------------------------------------------------------------------


def quoted_share(content: str) -> float:
    """Share of the words of ``content`` that sit inside quote marks.

    Curly double quotes open and close; a straight ``"`` opens after a space or at the start
    and closes otherwise. A closing mark before the first word opens (a common typo); any other
    closing mark with no opening before it means the quotation began before the span, so
    everything up to it is quoted; an opening mark never closed runs to the end (quotations
    left open across paragraphs). Curly single quotes count too, ``’`` only after a ``‘``
    (otherwise it is an apostrophe); straight ``'`` never does.
    """
    inside = [False] * len(content)
    double = single = opened = seen_word = False
    for i, char in enumerate(content):
        if char == '"':
            prev = content[i - 1] if i else " "
            char = "“" if prev.isspace() or prev in "([—–-" else "”"
        if char in OPENING or (char in CLOSING and not seen_word):
            double = opened = True
        elif char in CLOSING:
            if not double and not opened:
                inside[:i] = [True] * i
            double, opened = False, True
            inside[i] = True
            continue
        elif char == "‘":
            single = True
        elif char == "’" and single:
            single = False
            inside[i] = True
            continue
        inside[i] = double or single
        seen_word = seen_word or char.isalnum()
    spans = [m.span() for m in WORDS.finditer(content)]
    if not spans:
        return 0.0
    return sum(all(inside[start:end]) for start, end in spans) / len(spans)


def quote_type_of(content: str) -> QuoteType:
    """direct when the content is essentially all inside quote marks, mixed when part of it is."""
    share = quoted_share(content)
    if share >= DIRECT_SHARE:
        return "direct"
    return "mixed" if share > 0 else "indirect"


def parse_ann(ann: str, text: str) -> tuple[list[GoldRelation], list[str]]:
    """Relations of one brat ``.ann`` file over ``text``; also the ids of relations skipped.

    A relation without content (an annotator's unfinished line) is skipped.
    """
    spans: dict[str, tuple[Span, ...]] = {}
    events: list[tuple[str, list[tuple[str, str]]]] = []
    for line in ann.split("\n"):
        match = T_LINE.match(line)
        if match is not None:
            pieces = (piece.split() for piece in match.group(3).split(";"))
            spans[match.group(1)] = tuple(Span.of(text, int(a), int(b)) for a, b in pieces)
        elif line.startswith("E"):
            eid, _, args = line.partition("\t")
            pairs = (arg.partition(":") for arg in args.split())
            events.append((eid, [(role, tid) for role, sep, tid in pairs if sep]))
    relations: list[GoldRelation] = []
    skipped: list[str] = []
    for eid, roles in events:
        found: dict[str, list[Span]] = {"source": [], "cue": [], "content": []}
        for role, tid in roles:
            if tid not in spans:
                raise ValueError(f"{eid} refers to a missing annotation {tid}")
            key = "content" if role.startswith("Content") else role.lower()
            if key in found:
                found[key].extend(spans[tid])
        if not found["content"]:
            skipped.append(eid)
            continue
        content = tuple(sorted(found["content"], key=lambda s: (s.start, s.end)))
        relations.append(
            GoldRelation(
                id=eid,
                content=content,
                cue=tuple(found["cue"]),
                source=tuple(found["source"]),
                type=quote_type_of(" ".join(s.text for s in content)),
            )
        )
    return relations, skipped


def data_dir(path: str | Path) -> Path:
    """The folder holding ``metadata.tsv``: ``path`` itself or its ``data`` subfolder."""
    root = Path(path)
    for candidate in (root / "data", root):
        if (candidate / "metadata.tsv").is_file():
            return candidate
    raise InputError(Errors.E030.format(path=root, reason="no data/metadata.tsv"))


def gold_annotators(data: Path, split: str) -> dict[str, str]:
    """``{doc_id: first listed annotator}`` for the articles of one split, in file order."""
    found: dict[str, str] = {}
    with (data / "metadata.tsv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["compartment"] == split:
                found[row["filename"]] = row["annotators"].split("|")[0]
    return found


def read_split(path: str | Path, split: str = "dev", *, limit: int | None = None) -> list[GoldArticle]:
    """The articles of one split with their gold relations, in metadata order."""
    data = data_dir(path)
    annotators = gold_annotators(data, split)
    if not annotators:
        raise InputError(Errors.E030.format(path=data, reason=f"no articles in split {split!r}"))
    articles: list[GoldArticle] = []
    for doc_id, annotator in list(annotators.items())[:limit]:
        text_path = data / split / "text" / f"{doc_id}.txt"
        ann_path = data / split / "attributions" / f"{doc_id}_{annotator}.ann"
        try:
            # newline="" keeps the text byte-for-byte, so the brat offsets stay right
            with text_path.open(encoding="utf-8", newline="") as f:
                text = f.read()
            ann = ann_path.read_text(encoding="utf-8")
            relations, skipped = parse_ann(ann, text)
        except (OSError, UnicodeDecodeError, ValueError) as e:
            raise InputError(Errors.E030.format(path=ann_path, reason=e)) from e
        articles.append(GoldArticle(doc_id, text_path, text, relations, skipped))
    return articles


@dataclass(frozen=True, slots=True)
class ResolvedRelation:
    speaker: str | None
    speaker_kind: str
    speaker_resolution: str
    medium: str | None
    addressee: str | None


def read_genders(*paths: str | Path) -> dict[tuple[str, str], str]:
    """``{(doc_id, speaker): gender}`` from the ``*_gender.jsonl`` files beside resolved files
    (``train_gender.jsonl`` beside ``train_resolved.jsonl``), where there are such files."""
    found: dict[tuple[str, str], str] = {}
    for path in paths:
        beside = Path(path).with_name(Path(path).name.replace("_resolved", "_gender"))
        if beside == Path(path) or not beside.is_file():
            continue
        try:
            with beside.open(encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        record = json.loads(line)
                        found[(record["doc_id"], record["speaker"])] = record["gender"]
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise InputError(Errors.E030.format(path=beside, reason=e)) from e
    return found


def read_resolved(*paths: str | Path) -> dict[tuple[str, str], ResolvedRelation]:
    """``{(doc_id, relation id): ResolvedRelation}`` from ``dev_resolved.jsonl`` and the like."""
    found: dict[tuple[str, str], ResolvedRelation] = {}
    for path in paths:
        found.update(_read_resolved(path))
    return found


def _read_resolved(path: str | Path) -> dict[tuple[str, str], ResolvedRelation]:
    found: dict[tuple[str, str], ResolvedRelation] = {}
    try:
        with Path(path).open(encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                record = json.loads(line)
                for item in record["attributions"]:
                    found[(record["doc_id"], item["id"])] = ResolvedRelation(
                        speaker=item.get("speaker"),
                        speaker_kind=item.get("speaker_kind") or "none",
                        speaker_resolution=item.get("speaker_resolution") or "none",
                        medium=item.get("medium"),
                        addressee=item.get("addressee"),
                    )
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise InputError(Errors.E030.format(path=path, reason=e)) from e
    return found


# -- scoring ------------------------------------------------------------------------------------
