"""The records onrecord produces: Span, Entity, Quote, Relation, Stance, Article (schema
``onrecord.article.v4``; ``onrecord.article.v3`` (no person ``gender``), ``onrecord.article.v2``
(no group ``speakers`` either) and ``onrecord.article.v1`` (no relations or stances either) still
read).

Every span is a pair of character offsets into ``Article.text`` plus the text they cover, and
``article.text[span.start:span.end] == span.text`` always holds (``Article.bad_spans`` is empty).
The JSON form is documented in ``docs/format.md`` and validated by ``onrecord/schema/article.v4.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SCHEMA = "onrecord.article.v4"
READABLE_SCHEMAS = ("onrecord.article.v1", "onrecord.article.v2", "onrecord.article.v3", SCHEMA)

QuoteType = Literal["direct", "mixed", "indirect"]
Predicate = Literal["praises", "criticises", "thanks", "accuses", "supports", "opposes"]
Side = Literal["for", "against"]
EntityKind = Literal["person", "organization", "group", "unnamed"]
Gender = Literal["female", "male", "unknown"]


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        """The span of ``text[start:end]``."""
        return cls(start, end, text[start:end])

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Span:
        return cls(int(data["start"]), int(data["end"]), str(data["text"]))


@dataclass(slots=True)
class Entity:
    id: str
    name: str
    kind: EntityKind
    mentions: list[Span] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    #: A person's gender as the article shows it (``onrecord.resolve.gender``), ``unknown`` when
    #: nothing or conflicting evidence says; None for organisations, groups and unnamed sources.
    gender: Gender | None = None
    #: What decided ``gender``, strongest first: the article's pronouns and gendered nouns that
    #: refer to the person, honorifics, then the first-name lexicon ("first name: Ana").
    gender_evidence: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "mentions": [m.to_dict() for m in self.mentions],
            "descriptions": list(self.descriptions),
            **(
                {"gender": self.gender, "gender_evidence": list(self.gender_evidence)}
                if self.gender is not None
                else {}
            ),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        return cls(
            id=data["id"],
            name=data["name"],
            kind=data["kind"],
            mentions=[Span.from_dict(m) for m in data.get("mentions", [])],
            descriptions=list(data.get("descriptions", [])),
            gender=data.get("gender"),
            gender_evidence=list(data.get("gender_evidence", [])),
        )


@dataclass(frozen=True, slots=True)
class Speaker:
    entity: str
    name: str

    def to_dict(self) -> dict[str, Any]:
        return {"entity": self.entity, "name": self.name}


@dataclass(slots=True)
class Quote:
    id: str
    type: QuoteType
    content: list[Span]
    cue: Span | None = None
    source: Span | None = None
    speaker: Speaker | None = None
    medium: Span | None = None
    addressee: Span | None = None
    confidence: float = 0.5
    extractor: str = ""
    #: Each named member when the source names several ("Ana Ortiz and Ben Lutz said"); then
    #: ``speaker`` is the group they form. Empty otherwise.
    speakers: list[Speaker] = field(default_factory=list)

    @property
    def content_text(self) -> str:
        return " ".join(s.text for s in self.content)

    @property
    def start(self) -> int:
        return min(s.start for s in self.content)

    @property
    def end(self) -> int:
        return max(s.end for s in self.content)

    def to_dict(self) -> dict[str, Any]:
        def opt(span: Span | None) -> dict[str, Any] | None:
            return span.to_dict() if span is not None else None

        return {
            "id": self.id,
            "type": self.type,
            "content": [s.to_dict() for s in self.content],
            "cue": opt(self.cue),
            "source": opt(self.source),
            "speaker": self.speaker.to_dict() if self.speaker is not None else None,
            **({"speakers": [s.to_dict() for s in self.speakers]} if len(self.speakers) >= 2 else {}),
            "medium": opt(self.medium),
            "addressee": opt(self.addressee),
            "confidence": round(self.confidence, 4),
            "extractor": self.extractor,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quote:
        def opt(value: dict[str, Any] | None) -> Span | None:
            return Span.from_dict(value) if value else None

        speaker = data.get("speaker")
        return cls(
            id=data["id"],
            type=data["type"],
            content=[Span.from_dict(s) for s in data["content"]],
            cue=opt(data.get("cue")),
            source=opt(data.get("source")),
            speaker=Speaker(speaker["entity"], speaker["name"]) if speaker else None,
            medium=opt(data.get("medium")),
            addressee=opt(data.get("addressee")),
            confidence=float(data.get("confidence", 0.5)),
            extractor=str(data.get("extractor", "")),
            speakers=[Speaker(s["entity"], s["name"]) for s in data.get("speakers", [])],
        )

    def spans(self) -> list[Span]:
        """Every span this quotation carries."""
        found = list(self.content)
        for span in (self.cue, self.source, self.medium, self.addressee):
            if span is not None:
                found.append(span)
        return found


def _opt_span(value: dict[str, Any] | None) -> Span | None:
    return Span.from_dict(value) if value else None


@dataclass(slots=True)
class Relation:
    """One entity praises, criticises, thanks, accuses, supports or opposes another, as the
    ``evidence`` sentence says (``cue``: the verb or phrase it rests on)."""

    subject: Speaker
    predicate: Predicate
    object: Speaker
    evidence: Span
    cue: Span | None = None
    confidence: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject.to_dict(),
            "predicate": self.predicate,
            "object": self.object.to_dict(),
            "evidence": self.evidence.to_dict(),
            "cue": self.cue.to_dict() if self.cue is not None else None,
            "confidence": round(self.confidence, 4),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Relation:
        return cls(
            subject=Speaker(data["subject"]["entity"], data["subject"]["name"]),
            predicate=data["predicate"],
            object=Speaker(data["object"]["entity"], data["object"]["name"]),
            evidence=Span.from_dict(data["evidence"]),
            cue=_opt_span(data.get("cue")),
            confidence=float(data.get("confidence", 0.5)),
        )

    def spans(self) -> list[Span]:
        return [self.evidence] + ([self.cue] if self.cue is not None else [])


@dataclass(slots=True)
class Stance:
    """A holder is for or against ``target`` ("called for *a national inquiry*"); which topic it
    is about is decided when the corpus is asked (``onrecord stance``). ``quote``: the id of the
    quotation it was said in, if any."""

    holder: Speaker
    stance: Side
    target: Span
    evidence: Span
    cue: Span | None = None
    quote: str | None = None
    confidence: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        return {
            "holder": self.holder.to_dict(),
            "stance": self.stance,
            "target": self.target.to_dict(),
            "evidence": self.evidence.to_dict(),
            "cue": self.cue.to_dict() if self.cue is not None else None,
            "quote": self.quote,
            "confidence": round(self.confidence, 4),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Stance:
        return cls(
            holder=Speaker(data["holder"]["entity"], data["holder"]["name"]),
            stance=data["stance"],
            target=Span.from_dict(data["target"]),
            evidence=Span.from_dict(data["evidence"]),
            cue=_opt_span(data.get("cue")),
            quote=data.get("quote"),
            confidence=float(data.get("confidence", 0.5)),
        )

    def spans(self) -> list[Span]:
        return [self.target, self.evidence] + ([self.cue] if self.cue is not None else [])


@dataclass(slots=True)
class Article:
    text: str
    source_path: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "source_path": self.source_path,
            "title": self.title,
            "published": self.published,
            "outlet": self.outlet,
            "author": self.author,
            "url": self.url,
            "text": self.text,
            "entities": [e.to_dict() for e in self.entities],
            "quotes": [q.to_dict() for q in self.quotes],
            "relations": [r.to_dict() for r in self.relations],
            "stances": [s.to_dict() for s in self.stances],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        if data.get("schema") not in READABLE_SCHEMAS:
            raise ValueError(f"not an {SCHEMA} record: schema={data.get('schema')!r}")
        return cls(
            text=data["text"],
            source_path=data.get("source_path"),
            title=data.get("title"),
            published=data.get("published"),
            outlet=data.get("outlet"),
            author=data.get("author"),
            url=data.get("url"),
            entities=[Entity.from_dict(e) for e in data.get("entities", [])],
            quotes=[Quote.from_dict(q) for q in data.get("quotes", [])],
            relations=[Relation.from_dict(r) for r in data.get("relations", [])],
            stances=[Stance.from_dict(s) for s in data.get("stances", [])],
        )

    def entity(self, entity_id: str) -> Entity | None:
        for entity in self.entities:
            if entity.id == entity_id:
                return entity
        return None

    def bad_spans(self) -> list[Span]:
        """Spans whose offsets do not slice back to their text (always empty for a sound article)."""
        spans = [s for q in self.quotes for s in q.spans()]
        spans += [m for e in self.entities for m in e.mentions]
        spans += [s for r in self.relations for s in r.spans()]
        spans += [s for st in self.stances for s in st.spans()]
        return [s for s in spans if self.text[s.start : s.end] != s.text or s.start > s.end]
