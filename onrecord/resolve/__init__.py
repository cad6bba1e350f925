"""Resolution: candidates -> quotations with resolved speakers, medium and addressee, plus the entities."""

from __future__ import annotations

from typing import NamedTuple

from spacy.tokens import Doc

from onrecord.attribution.candidates import Candidate, CharSpan
from onrecord.attribution.precision import Scope, is_quotation
from onrecord.attribution.quotes import find_quotes
from onrecord.attribution.rules import QA_LABELS
from onrecord.model import Entity, Quote, QuoteType, Relation, Span, Speaker, Stance
from onrecord.nlp.text import doc_text
from onrecord.resolve.authors import find_authors
from onrecord.resolve.channel import find_channel
from onrecord.resolve.confidence import calibrated
from onrecord.resolve.entities import Cluster, build_entities
from onrecord.resolve.gender_evidence import gender_of
from onrecord.resolve.speakers import SpeakerResolver

#: Cues that go on with the last quotation: '"...," he added' is its speaker still.
GOING_ON_CUES = frozenset({"add", "continue"})

DIRECT_SHARE = 0.8  # share of the content inside quotation marks that makes a quotation direct


def quote_type(candidate: Candidate, text: str) -> QuoteType:
    chars = sum(len("".join(text[s:e].split())) for s, e in candidate.content)  # non-space characters
    if not chars or not candidate.quoted_chars:
        return "indirect"
    return "direct" if candidate.quoted_chars / chars >= DIRECT_SHARE else "mixed"


FIRST_PERSON = frozenset({"i", "we", "me", "us"})


def _enclosing_speaker(
    candidates: list[Candidate], speakers: list[int | None], source: CharSpan
) -> int | None:
    """The speaker of an earlier quotation whose content holds ``source``."""
    for index in range(len(speakers) - 1, -1, -1):
        if speakers[index] is not None and any(
            s <= source[0] and source[1] <= e for s, e in candidates[index].content
        ):
            return speakers[index]
    return None


def _span(text: str, span: CharSpan | None) -> Span | None:
    return Span.of(text, *span) if span is not None else None


class Resolution(NamedTuple):
    entities: list[Entity]
    quotes: list[Quote]
    relations: list[Relation]
    stances: list[Stance]


def resolve(
    doc: Doc,
    candidates: list[Candidate],
    *,
    extractor: str = "",
    min_confidence: float = 0.0,
    byline: str | None = None,
    scope: Scope = "attributions",
) -> Resolution:
    """Resolve every candidate's speaker, medium and addressee, and find the relations and
    stances between the entities (``onrecord.relate``). Quotations whose confidence is under
    ``min_confidence`` are left out (before relations and stances are read from them).
    With ``scope="quotations"``, what people think, plan or find but did not say is left out
    too, after every speaker is resolved (``onrecord.attribution.precision``).
    ``byline`` is the page's author as its metadata gives it: with the bylines and author's
    notes the text holds, it says who an "I" outside any quotation is."""
    from onrecord.relate import relate

    text = doc_text(doc)
    clusters, token_map = build_entities(doc)
    resolver = SpeakerResolver(doc, clusters, token_map, [s for c in candidates for s in c.content])
    speakers: list[int | None] = []
    quotes: list[Quote] = []
    authors: list[int] | None = None
    for index, candidate in enumerate(candidates):
        cluster: int | None = None
        if candidate.continues is not None and candidate.continues < index:
            cluster = speakers[candidate.continues]
        elif (
            candidate.source is not None
            and candidate.rule.endswith("transcript")
            and (text[candidate.source[0] : candidate.source[1]].lower().rstrip(".") in QA_LABELS)
        ):
            # "A: ..." is the one interviewed, "Q: ..." the interviewer (the author, if known)
            if text[candidate.source[0]].lower() == "a":
                cluster = resolver.interviewee(candidate.source[0])
            else:
                if authors is None:
                    authors = find_authors(doc, clusters, token_map, byline)
                cluster = authors[0] if authors else None
        elif candidate.source is not None:
            cluster = None
            if candidate.cue_token is not None and doc[candidate.cue_token].lemma_.lower() in GOING_ON_CUES:
                # '"...," he added': the speaker of the last quotation, if "he" fits them
                cluster = resolver.last_speaker(candidate.source)
            if cluster is None:
                cluster = resolver.resolve(candidate.source, candidate.source_token)
            first_person = text[candidate.source[0] : candidate.source[1]].lower()
            if cluster is None and first_person in FIRST_PERSON:
                # "I" inside someone's quotation is that someone; outside any, the author
                cluster = _enclosing_speaker(candidates, speakers, candidate.source)
                if cluster is None and not any(q.covers(*candidate.source) for q in find_quotes(text)):
                    if authors is None:
                        authors = find_authors(doc, clusters, token_map, byline)
                    cluster = resolver.narrator(first_person, authors)
            if cluster is not None:
                cluster = resolver.agree_with_content(cluster, candidate.content[0])
                resolver.note_speaker(candidate.source[0], cluster)
                source_mention = candidate.source
                if source_mention not in clusters[cluster].mentions:
                    clusters[cluster].mentions.append(source_mention)
        elif candidate.cue_token is not None and candidate.rule.startswith(("cue.", "learned.")):
            cluster = resolver.implicit(candidate.cue_token)
        speakers.append(cluster)
        medium, addressee = find_channel(doc, candidate)
        kind = quote_type(candidate, text)
        if candidate.rule.startswith("learned."):
            confidence = candidate.confidence  # calibrated by the tagger
        else:
            prior = candidate.confidence - (0.1 if candidate.source is not None and cluster is None else 0.0)
            confidence = calibrated(candidate.rule, kind, candidate.source is not None, prior)
        quotes.append(
            Quote(
                id=f"q{index + 1}",
                type=kind,
                content=[Span.of(text, s, e) for s, e in candidate.content],
                cue=_span(text, candidate.cue),
                source=_span(text, candidate.source),
                speaker=None,
                medium=_span(text, medium),
                addressee=_span(text, addressee),
                confidence=max(0.05, min(0.99, confidence)),
                extractor=f"{extractor}:{candidate.rule}" if extractor else candidate.rule,
            )
        )
    kept = [
        i
        for i, quote in enumerate(quotes)
        if quote.confidence >= min_confidence
        and (scope == "attributions" or is_quotation(doc, candidates[i]))
    ]
    if len(kept) < len(quotes):
        candidates, speakers = [candidates[i] for i in kept], [speakers[i] for i in kept]
        quotes = [quotes[i] for i in kept]
        for number, quote in enumerate(quotes, start=1):
            quote.id = f"q{number}"
    found_relations, found_stances = relate(
        doc,
        resolver,
        clusters,
        token_map,
        [(c.content, s) for c, s in zip(candidates, speakers, strict=True)],
    )
    entities, ids = _entities(doc, clusters, token_map, [s for c in candidates for s in c.content])

    def ref(cluster: int) -> Speaker:
        return Speaker(ids[cluster], clusters[cluster].name)

    for quote, cluster in zip(quotes, speakers, strict=True):
        if cluster is not None and cluster in ids:
            quote.speaker = ref(cluster)
            members = [ref(m) for m in clusters[cluster].members if m in ids]
            if len(members) >= 2:
                quote.speakers = members
    relations = [
        Relation(
            ref(r.subject),
            r.predicate,
            ref(r.object),
            Span.of(text, *r.evidence),
            Span.of(text, *r.cue),
            r.confidence,
        )
        for r in found_relations
        if r.subject in ids and r.object in ids
    ]
    stances = [
        Stance(
            ref(s.holder),
            s.side,
            Span.of(text, *s.target),
            Span.of(text, *s.evidence),
            Span.of(text, *s.cue),
            quotes[s.quote].id if s.quote is not None else None,
            s.confidence,
        )
        for s in found_stances
        if s.holder in ids
    ]
    return Resolution(entities, quotes, relations, stances)


def _entities(
    doc: Doc, clusters: list[Cluster], token_map: dict[int, int], contents: list[CharSpan]
) -> tuple[list[Entity], dict[int, str]]:
    text = doc_text(doc)
    entities: list[Entity] = []
    ids: dict[int, str] = {}
    for index, cluster in enumerate(clusters):
        if not cluster.mentions:
            continue
        entity_id = f"e{len(entities) + 1}"
        ids[index] = entity_id
        mentions = sorted(set(cluster.mentions))
        gender, evidence = (
            gender_of(doc, cluster, index, token_map, contents) if cluster.kind == "person" else (None, [])
        )
        entities.append(
            Entity(
                id=entity_id,
                name=cluster.name,
                kind=cluster.kind,  # type: ignore[arg-type]
                mentions=[Span.of(text, s, e) for s, e in mentions],
                descriptions=list(cluster.descriptions),
                gender=gender,
                gender_evidence=evidence,
            )
        )
    return entities, ids
