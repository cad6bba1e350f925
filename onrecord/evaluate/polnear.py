"""PolNeAR: reading the brat standoff gold and scoring a pipeline against it.

The corpus (``../shared/data/polnear``) has one ``.txt`` per article and one ``.ann`` per
annotator; ``data/metadata.tsv`` lists the annotators of each article and the first one is gold,
so nothing counts twice. A relation (``E`` line) joins ``Source`` (optional), ``Cue`` and
``Content`` text-bound annotations (``T`` lines, discontinuous pieces joined by ``;``); the
quote type is not annotated and is derived from the quote marks in the gold content
(``quote_type_of``). ``Discuss``/``Discard`` are annotator flags, not relations.

``evaluate_polnear`` reads the articles as they are (no cleaning: offsets refer to the files),
runs them through ``Pipeline.process`` in one stream and scores roles, relations, quote types,
and (with ``resolved``) speakers, medium and addressee.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from onrecord.errors import Errors, ExtractionError, InputError
from onrecord.evaluate.calibration import Reliability
from onrecord.evaluate.metrics import (
    WORD_RE,
    Offsets,
    Ratio,
    Score,
    TokenIndex,
    exact_match,
    greedy_match,
    jaccard,
    names_match,
    optional_match,
    span_key,
    texts_match,
    token_overlap,
)
from onrecord.evaluate.report import PolnearReport, RelationErrors, SpeakerReport
from onrecord.model import Article, Quote, QuoteType, Span
from onrecord.resolve.confidence import calibration_key

if TYPE_CHECKING:
    from onrecord.pipeline import Pipeline

ROLES = ("source", "cue", "content")
QUOTE_TYPES: tuple[QuoteType, ...] = ("direct", "mixed", "indirect")
#: Share of the content's words inside quote marks from which a quotation counts as direct.
DIRECT_SHARE = 1.0
#: Content token Jaccard from which a prediction matches a gold relation.
MATCH_THRESHOLD = 0.5

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
    spans = [m.span() for m in WORD_RE.finditer(content)]
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


def score_genders(
    doc_id: str, article: Article, genders: dict[tuple[str, str], str], report: SpeakerReport
) -> None:
    """Count one article's person speakers against their gold gender: the entity whose name is
    the gold speaker's (a person's, else any kind) carries the gender predicted."""
    people = [e for e in article.entities if e.kind == "person"]
    for (doc, speaker), gold in genders.items():
        if doc != doc_id:
            continue
        entity = next((e for e in people if names_match(e.name, speaker)), None)
        predicted = entity.gender if entity is not None else None
        if gold in ("female", "male"):
            report.gender_right += Ratio(int(predicted == gold), 1)
            report.gender_wrong += Ratio(int(predicted in ("female", "male") and predicted != gold), 1)
        else:
            report.gender_given_unknown += Ratio(int(predicted in ("female", "male")), 1)


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


def _offsets(spans: tuple[Span, ...] | list[Span]) -> list[Offsets]:
    return [(s.start, s.end) for s in spans]


def _pred_role(quote: Quote, role: str) -> list[Span]:
    if role == "content":
        return list(quote.content)
    span: Span | None = quote.cue if role == "cue" else quote.source
    return [span] if span is not None else []


def _gold_role(relation: GoldRelation, role: str) -> tuple[Span, ...]:
    return relation.content if role == "content" else relation.cue if role == "cue" else relation.source


@dataclass(slots=True)
class _Tally:
    """Running counts while scoring article after article."""

    exact: dict[str, Score] = field(default_factory=lambda: {r: Score() for r in ROLES})
    overlap: dict[str, Score] = field(default_factory=lambda: {r: Score() for r in ROLES})
    relation: Score = field(default_factory=Score)
    errors: RelationErrors = field(default_factory=RelationErrors)
    by_type: dict[str, Ratio] = field(default_factory=lambda: {t: Ratio() for t in QUOTE_TYPES})
    speakers: SpeakerReport | None = None
    reliability: Reliability = field(default_factory=Reliability)
    outcomes: list[tuple[str, bool]] = field(default_factory=list)


def quote_right(quote: Quote, relation: GoldRelation) -> bool:
    """Right when matched (the caller's job) and the source overlaps the gold source, if any."""
    if not relation.source:
        return True
    if quote.source is None:
        return False
    return any(quote.source.start < g.end and g.start < quote.source.end for g in relation.source)


#: One relation as offsets per role (pieces of a possibly discontinuous span).
RoleOffsets = dict[str, list[Offsets]]


def quote_offsets(quote: Quote) -> RoleOffsets:
    return {role: _offsets(_pred_role(quote, role)) for role in ROLES}


def relation_offsets(relation: GoldRelation) -> RoleOffsets:
    return {role: _offsets(_gold_role(relation, role)) for role in ROLES}


@dataclass(slots=True)
class Comparison:
    """Two sets of relations over one text, scored as ``onrecord eval polnear`` scores them."""

    exact: dict[str, Score]
    overlap: dict[str, Score]
    relation: Score
    matches: list[tuple[int, int, float]]
    errors: RelationErrors


def compare_relations(
    text: str, pred: list[RoleOffsets], gold: list[RoleOffsets], tokens: TokenIndex | None = None
) -> Comparison:
    """Per-role exact match (sets of whitespace-stripped spans), per-role token overlap, and the
    relations matched one to one by content token Jaccard >= ``MATCH_THRESHOLD``. The same
    function scores the pipeline against the gold annotator and one annotator against another
    (``benchmarks/agreement.py``)."""
    tokens = tokens or TokenIndex(text)
    exact: dict[str, Score] = {}
    overlap: dict[str, Score] = {}
    keys: dict[str, tuple[list[frozenset[Offsets]], list[frozenset[Offsets]]]] = {}
    for role in ROLES:
        pred_keys = [span_key(text, r[role]) for r in pred]
        gold_keys = [span_key(text, r[role]) for r in gold]
        keys[role] = pred_keys, gold_keys
        exact[role] = exact_match((k for k in pred_keys if k), (k for k in gold_keys if k))
        pred_tokens = tokens.positions(p for r in pred for p in r[role])
        gold_tokens = tokens.positions(p for r in gold for p in r[role])
        overlap[role] = token_overlap(pred_tokens, gold_tokens)
    pred_content = [tokens.positions(r["content"]) for r in pred]
    gold_content = [tokens.positions(r["content"]) for r in gold]
    matches = greedy_match(
        range(len(pred)),
        range(len(gold)),
        lambda i, j: jaccard(pred_content[i], gold_content[j]),
        MATCH_THRESHOLD,
    )
    relation = Score(len(matches), len(pred), len(matches), len(gold))
    touching = [
        (i, j) for i in range(len(pred)) for j in range(len(gold)) if pred_content[i] & gold_content[j]
    ]
    touched_pred, touched_gold = {i for i, _ in touching}, {j for _, j in touching}
    pred_content_keys, gold_content_keys = keys["content"]
    errors = RelationErrors(
        matched=len(matches),
        matched_exact=sum(pred_content_keys[i] == gold_content_keys[j] for i, j, _ in matches),
        gold_missed=len(gold) - len(touched_gold),
        gold_boundary=len(touched_gold - {j for _, j, _ in matches}),
        pred_spurious=len(pred) - len(touched_pred),
        pred_boundary=len(touched_pred - {i for i, _, _ in matches}),
    )
    return Comparison(exact, overlap, relation, matches, errors)


def score_article(
    gold: GoldArticle,
    article: Article,
    tally: _Tally,
    resolved: dict[tuple[str, str], ResolvedRelation] | None = None,
    genders: dict[tuple[str, str], str] | None = None,
) -> None:
    """Add one article's counts to ``tally``."""
    quotes = article.quotes
    found = compare_relations(
        gold.text, [quote_offsets(q) for q in quotes], [relation_offsets(r) for r in gold.relations]
    )
    for role in ROLES:
        tally.exact[role] += found.exact[role]
        tally.overlap[role] += found.overlap[role]
    tally.relation += found.relation
    tally.errors += found.errors
    matches = found.matches
    matched = {j: i for i, j, _ in matches}
    by_pred = {i: j for i, j, _ in matches}
    for i, prediction in enumerate(quotes):
        ok = i in by_pred and quote_right(prediction, gold.relations[by_pred[i]])
        tally.reliability.add(prediction.confidence, ok)
        rule = prediction.extractor.rsplit(":", 1)[-1]
        tally.outcomes.append((calibration_key(rule, prediction.type, prediction.source is not None), ok))
    for j, relation in enumerate(gold.relations):
        tally.by_type[relation.type] += Ratio(int(j in matched), 1)

    if resolved is None or tally.speakers is None:
        return
    keys = [(gold.doc_id, r.id) for r in gold.relations]
    if not any(k in resolved for k in keys):
        return
    speakers = tally.speakers
    speakers.articles += 1
    if genders:
        score_genders(gold.doc_id, article, genders, speakers)
    for j, key in enumerate(keys):
        info = resolved.get(key)
        if info is None:
            continue
        speakers.relations += 1
        quote = quotes[matched[j]] if j in matched else None
        predicted = quote.speaker.name if quote is not None and quote.speaker is not None else None
        kind = info.speaker_resolution
        if info.speaker is not None:
            right = Ratio(int(names_match(predicted, info.speaker)), 1)
            speakers.end_to_end += right
            speakers.end_to_end_by_kind[kind] = speakers.end_to_end_by_kind.get(kind, Ratio()) + right
            if quote is not None:
                speakers.accuracy += right
                speakers.by_kind[kind] = speakers.by_kind.get(kind, Ratio()) + right
        if quote is None:
            continue
        speakers.matched += 1
        if info.speaker is None:
            entity = article.entity(quote.speaker.entity) if quote.speaker is not None else None
            unnamed = quote.speaker is None or (entity is not None and entity.kind == "unnamed")
            speakers.unnamed_no_speaker += Ratio(int(unnamed), 1)
        medium = quote.medium.text if quote.medium is not None else None
        addressee = quote.addressee.text if quote.addressee is not None else None
        speakers.medium += optional_match(medium, info.medium, texts_match)
        speakers.addressee += optional_match(addressee, info.addressee, texts_match)


def evaluate_polnear(
    path: str | Path,
    *,
    split: str = "dev",
    resolved: str | Path | Sequence[str | Path] | None = None,
    pipeline: Pipeline | None = None,
    limit: int | None = None,
    doc_ids: Collection[str] | None = None,
) -> PolnearReport:
    """Score ``pipeline`` (default: a fresh ``Pipeline(scope="attributions")``, PolNeAR's notion of
    an attribution) on one PolNeAR split.

    ``path`` is the PolNeAR folder (or its ``data`` folder). ``resolved`` is
    ``dev_resolved.jsonl`` or several such files: they add speaker accuracy, medium and
    addressee for their articles.
    ``limit`` keeps the first N articles of the split; ``doc_ids`` keeps those articles only.
    """
    from onrecord.ingest import Document

    golds = read_split(path, split, limit=limit)
    if doc_ids is not None:
        golds = [g for g in golds if g.doc_id in doc_ids]
    if isinstance(resolved, str | Path):
        resolved = [resolved]
    resolved_map = read_resolved(*resolved) if resolved is not None else None
    genders = read_genders(*resolved) if resolved is not None else None
    if pipeline is None:
        from onrecord.pipeline import Pipeline

        pipeline = Pipeline(scope="attributions")  # PolNeAR annotates beliefs and plans too
    tally = _Tally(speakers=SpeakerReport() if resolved_map is not None else None)
    documents = (Document(text=g.text, source_path=str(g.text_path)) for g in golds)
    articles = iter(pipeline.process(documents))
    for count, gold in enumerate(golds):
        article = next(articles, None)
        if article is None:
            reason = f"the pipeline gave {count} articles for {len(golds)}"
            raise ExtractionError(Errors.E020.format(reason=reason))
        score_article(gold, article, tally, resolved_map, genders)
    return PolnearReport(
        split=split,
        articles=len(golds),
        gold_relations=sum(len(g.relations) for g in golds),
        skipped_relations=sum(len(g.skipped) for g in golds),
        predicted_quotes=tally.relation.pred,
        exact=tally.exact,
        overlap=tally.overlap,
        relation=tally.relation,
        recall_by_type=tally.by_type,
        speakers=tally.speakers,
        reliability=tally.reliability,
        outcomes=tally.outcomes,
        errors=tally.errors,
    )
