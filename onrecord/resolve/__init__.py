"""Resolution: candidates -> quotations with resolved speakers, medium and addressee, and the
article's entities (``Resolved``, which ``onrecord.relate`` reads next and ``onrecord.engine``
turns into output records)."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from onrecord.attribution.candidates import Candidate, CharSpan, quote_type
from onrecord.attribution.precision import is_quotation
from onrecord.attribution.quotes import find_quotes
from onrecord.attribution.transcripts import QA_LABELS, in_faq
from onrecord.lexicon import FIRST_PERSON
from onrecord.model import Entity, Quote, Span
from onrecord.nlp.text import doc_text
from onrecord.options import Scope
from onrecord.resolve.authors import find_authors
from onrecord.resolve.channel import find_channel
from onrecord.resolve.clusters import Cluster
from onrecord.resolve.confidence import calibrated
from onrecord.resolve.entities import build_entities
from onrecord.resolve.gender_evidence import gender_of
from onrecord.resolve.speakers import SpeakerResolver
from onrecord.resolve.titles import names_from_title

#: Cues that go on with the last quotation: '"...," he added' is its speaker still.
GOING_ON_CUES = frozenset({"add", "continue"})


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


@dataclass
class Resolved:
    """One doc resolved: its quotations (speaker not yet set: ``speakers`` holds each one's
    entity index) and the entity index the later stages look things up in and add to."""

    doc: Doc
    index: SpeakerResolver
    candidates: list[Candidate]
    speakers: list[int | None]
    quotes: list[Quote]

    @property
    def clusters(self) -> list[Cluster]:
        return self.index.clusters

    @property
    def token_map(self) -> dict[int, int]:
        return self.index.token_map

    def entities(self) -> tuple[list[Entity], dict[int, str]]:
        """The entities to output (every cluster with a mention) and their ids by index."""
        return _entities(
            self.doc, self.clusters, self.token_map, [s for c in self.candidates for s in c.content]
        )


def resolve(
    doc: Doc,
    candidates: list[Candidate],
    *,
    extractor: str = "",
    min_confidence: float = 0.0,
    byline: str | None = None,
    title: str | None = None,
    scope: Scope = "attributions",
) -> Resolved:
    """Resolve every candidate's speaker, medium and addressee. Quotations whose confidence is
    under ``min_confidence`` are left out (before relations and stances are read from them).
    With ``scope="quotations"``, what people think, plan or find but did not say is left out
    too, after every speaker is resolved (``onrecord.attribution.precision``).
    ``byline`` is the page's author as its metadata gives it: with the bylines and author's
    notes the text holds, it says who an "I" outside any quotation is. ``title`` is the page's
    headline when it is not part of the text: a full name it alone gives names the person the
    text names by surname (``onrecord.resolve.titles``)."""
    text = doc_text(doc)
    clusters, token_map = build_entities(doc)
    names_from_title(clusters, title)
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
            # "A: ..." is the one interviewed, "Q: ..." the interviewer (the author, if known);
            # under a page's FAQ heading both are the publication's own
            if text[candidate.source[0]].lower() == "a" and not in_faq(text, candidate.source[0]):
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
            previous = candidates[index - 1].source if index else None
            if cluster is None and previous is not None:
                cluster = resolver.same_document(previous, speakers[index - 1], candidate.source)
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
                cluster = resolver.agree_with_content(cluster, candidate.content[0], candidate.source)
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
    return Resolved(doc, resolver, candidates, speakers, quotes)


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
