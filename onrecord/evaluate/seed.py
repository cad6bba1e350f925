"""The seed acceptance: hand-annotated articles run end to end, cleaning on.

Each ``<name>.gold.json`` in the folder names its text file and lists the article's title,
publication date and clutter lines, and its quotations (speaker, type, source, cue, content,
medium, addressee, and ``optional`` for the ones a reader could argue about). Gold content is
text, not offsets, so quotations are matched on casefolded word tokens:

- a required quotation is found when a prediction's content has word Jaccard >= 0.5 with it
  (one-to-one, best pair first);
- a prediction is spurious when it overlaps no gold quotation, required or optional (word
  overlap coefficient under 0.5 with every one of them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from onrecord.corpus.stance import parse_topic
from onrecord.errors import Errors, InputError
from onrecord.evaluate.metrics import (
    greedy_match,
    jaccard,
    names_match,
    overlap_coefficient,
    texts_match,
    words,
)
from onrecord.evaluate.seed_report import SeedArticleReport, SeedQuoteStatus, SeedReport
from onrecord.ingest.text import from_text
from onrecord.model import Article
from onrecord.pipeline import Pipeline

MATCH_THRESHOLD = 0.5
SPURIOUS_OVERLAP = 0.5


@dataclass(slots=True)
class SeedGold:
    name: str
    text_path: Path
    data: dict[str, Any]

    @property
    def quotes(self) -> list[dict[str, Any]]:
        return list(self.data.get("quotes", []))

    @property
    def required(self) -> list[dict[str, Any]]:
        return [q for q in self.quotes if not q.get("optional", False)]


def read_seed(path: str | Path) -> list[SeedGold]:
    """Every ``*.gold.json`` of the folder with the path of its text file, sorted by name."""
    folder = Path(path)
    golds: list[SeedGold] = []
    for gold_path in sorted(folder.glob("*.gold.json")):
        try:
            data = json.loads(gold_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise InputError(Errors.E015.format(path=gold_path, reason=e)) from e
        name = gold_path.name.removesuffix(".gold.json")
        text_path = folder / str(data.get("text_file") or f"{name}.txt")
        golds.append(SeedGold(name, text_path, data))
    if not golds:
        raise InputError(Errors.E017.format(path=folder / "*.gold.json"))
    return golds


def same_date(predicted: str | None, gold: str | None) -> bool:
    """Equal dates: the same string, or the same ISO date-time once parsed ("…T13:30" ~ "…T13:30:00")."""
    if predicted is None or gold is None:
        return predicted == gold
    if predicted.strip() == gold.strip():
        return True
    try:
        return datetime.fromisoformat(predicted.strip()) == datetime.fromisoformat(gold.strip())
    except ValueError:
        return False


def score_seed(gold: SeedGold, article: Article) -> SeedArticleReport:
    """Compare one extracted article with its seed gold."""
    required = gold.required
    pred_words = [set(words(q.content_text)) for q in article.quotes]
    gold_words = [set(words(str(q["content"]))) for q in required]

    matches = greedy_match(
        range(len(pred_words)),
        range(len(gold_words)),
        lambda i, j: jaccard(pred_words[i], gold_words[j]),
        MATCH_THRESHOLD,
    )
    by_gold = {j: i for i, j, _ in matches}
    statuses: list[SeedQuoteStatus] = []
    for j, item in enumerate(required):
        status = SeedQuoteStatus(
            id=str(item.get("id", j + 1)),
            speaker=item.get("speaker"),
            content=str(item["content"]),
            medium=item.get("medium"),
            addressee=item.get("addressee"),
        )
        if j in by_gold:
            quote = article.quotes[by_gold[j]]
            status.found = True
            status.predicted_speaker = quote.speaker.name if quote.speaker is not None else None
            status.speaker_right = names_match(status.predicted_speaker, status.speaker)
            status.predicted_medium = quote.medium.text if quote.medium is not None else None
            status.medium_right = texts_match(status.predicted_medium, status.medium)
            status.predicted_addressee = quote.addressee.text if quote.addressee is not None else None
            status.addressee_right = texts_match(status.predicted_addressee, status.addressee)
        statuses.append(status)

    every_gold = [set(words(str(q["content"]))) for q in gold.quotes]
    spurious = [
        quote.content_text
        for quote, found in zip(article.quotes, pred_words, strict=True)
        if all(overlap_coefficient(found, g) < SPURIOUS_OVERLAP for g in every_gold)
    ]
    meta = gold.data.get("article", {})
    clutter = [str(line) for line in meta.get("clutter_lines", [])]
    title, published = meta.get("title"), meta.get("published")
    return SeedArticleReport(
        name=gold.name,
        quotes=statuses,
        spurious=spurious,
        clutter_left=[line for line in clutter if line.strip() and line.strip() in article.text],
        title=title,
        predicted_title=article.title,
        published=published,
        predicted_published=article.published,
        title_right=(article.title or "").strip() == (title or "").strip(),
        published_right=same_date(article.published, published),
        bad_spans=len(article.bad_spans()),
        **score_relations(gold, article),
    )


def score_relations(gold: SeedGold, article: Article) -> dict[str, list[str]]:
    """The gold relations found, missed and added; the gold stance holders put on the right side
    (the article's stances whose target names the topic's head or a variant, see
    ``onrecord.corpus.stance``) and on a wrong one or none."""

    def show(triple: tuple[str, str, str]) -> str:
        return " ".join(triple)

    found = {(r.subject.name, r.predicate, r.object.name) for r in article.relations}
    wanted = [
        (str(r["subject"]), str(r["predicate"]), str(r["object"])) for r in gold.data.get("relations", [])
    ]

    def hit(triple: tuple[str, str, str]) -> bool:
        return any(
            p == triple[1] and names_match(s, triple[0]) and names_match(o, triple[2]) for s, p, o in found
        )

    extra = [
        t
        for t in sorted(found)
        if not any(t[1] == w[1] and names_match(t[0], w[0]) and names_match(t[2], w[2]) for w in wanted)
    ]
    right: list[str] = []
    wrong: list[str] = []
    for item in gold.data.get("stances", []):
        topic = parse_topic(str(item["topic"]))
        sides = {
            s.stance
            for s in article.stances
            if names_match(s.holder.name, str(item["holder"]))
            and any(v in s.target.text.lower() for v in topic.variants)
        }
        label = f"{item['holder']} {item['stance']} {item['topic']}"
        (right if sides == {item["stance"]} else wrong).append(
            label + ("" if sides == {item["stance"]} else f" (found: {', '.join(sorted(sides)) or 'none'})")
        )
    return {
        "relations_found": [show(t) for t in wanted if hit(t)],
        "relations_missing": [show(t) for t in wanted if not hit(t)],
        "relations_extra": [show(t) for t in extra],
        "stances_right": right,
        "stances_wrong": wrong,
    }


def evaluate_seed(
    path: str | Path = "../shared/data/seed", *, pipeline: Pipeline | None = None
) -> SeedReport:
    """Run every seed article through cleaning and ``pipeline`` (default ``Pipeline()``) and score it."""
    golds = read_seed(path)
    documents = []
    for gold in golds:
        try:
            raw = gold.text_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise InputError(Errors.E015.format(path=gold.text_path, reason=e)) from e
        documents.append(from_text(raw, clean=True, source_path=str(gold.text_path)))
    if pipeline is None:
        pipeline = Pipeline()
    articles = list(pipeline.process(documents))
    return SeedReport([score_seed(g, a) for g, a in zip(golds, articles, strict=True)])
