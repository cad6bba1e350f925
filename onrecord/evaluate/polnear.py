"""PolNeAR: scoring a pipeline against the gold (read by ``onrecord.datasets.polnear``).

``evaluate_polnear`` reads the articles as they are (no cleaning: offsets refer to the files),
runs them through ``Pipeline.process`` in one stream and scores roles, relations, quote types,
and (with ``resolved``) speakers, medium and addressee.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from onrecord.datasets.polnear import (
    ROLES,
    GoldArticle,
    GoldRelation,
    ResolvedRelation,
    read_genders,
    read_resolved,
    read_split,
)
from onrecord.errors import Errors, ExtractionError
from onrecord.evaluate.calibration import Reliability
from onrecord.evaluate.metrics import (
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
from onrecord.ingest import Document
from onrecord.model import Article, Quote, QuoteType, Span
from onrecord.pipeline import Pipeline
from onrecord.resolve.confidence import calibration_key

QUOTE_TYPES: tuple[QuoteType, ...] = ("direct", "mixed", "indirect")
#: Content token Jaccard from which a prediction matches a gold relation.
MATCH_THRESHOLD = 0.5


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
    golds = read_split(path, split, limit=limit)
    if doc_ids is not None:
        golds = [g for g in golds if g.doc_id in doc_ids]
    if isinstance(resolved, str | Path):
        resolved = [resolved]
    resolved_map = read_resolved(*resolved) if resolved is not None else None
    genders = read_genders(*resolved) if resolved is not None else None
    if pipeline is None:
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
