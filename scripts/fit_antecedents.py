"""Fit the pronoun antecedent ranker (onrecord/resolve/antecedents.json) on PolNeAR train articles.

    .venv/bin/python scripts/fit_antecedents.py ../shared/data/polnear \\
        ../shared/data/resolved/train_resolved.jsonl [--folds 5] [--write]

Each article is parsed and attributed as `onrecord extract` does (accurate mode); speakers are
then resolved with every pronoun decision traced: its candidates, their features
(``onrecord.resolve.antecedents.FEATURES``) and, from the resolved file, which candidate is the
gold speaker (the one whose name matches it; decisions where none does are left out). The model
is a conditional logit (a softmax over one pronoun's candidates) with an L2 penalty, fitted with
PyTorch's L-BFGS (the train extra).

It reports speaker accuracy on the resolved relations by k-fold cross-validation over articles
(each fold resolved with a ranker fitted on the other folds), beside the hand-set ranker's, and
with --write stores the ranker fitted on all the articles. Needs `bash scripts/setup.sh --train`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from onrecord.evaluate.metrics import names_match  # noqa: E402
from onrecord.evaluate.polnear import (  # noqa: E402
    GoldArticle,
    compare_relations,
    quote_offsets,
    read_resolved,
    read_split,
    relation_offsets,
)
from onrecord.pipeline import Pipeline  # noqa: E402
from onrecord.resolve import antecedents, resolve  # noqa: E402
from onrecord.resolve.speakers import SpeakerResolver  # noqa: E402

L2 = 0.1


@contextmanager
def ranker_in_use(ranker: antecedents.Ranker | None) -> Iterator[None]:
    """Resolve with ``ranker`` (None: the hand-set salience) instead of the shipped one."""
    saved = antecedents.shipped_ranker
    antecedents.shipped_ranker = lambda: ranker  # type: ignore[assignment]
    try:
        yield
    finally:
        antecedents.shipped_ranker = saved


@contextmanager
def traced(decisions: list[tuple[int, list[int], list[list[float]], SpeakerResolver]]) -> Iterator[None]:
    """Record every pronoun decision the resolver makes."""
    original = SpeakerResolver._pronoun

    def pronoun(self: SpeakerResolver, head: Any, offset: int) -> int | None:
        candidates, rows = self.antecedent_features(offset, self.pronoun_candidates(head.lower_))
        decisions.append((head.idx, candidates, rows, self))
        return original(self, head, offset)

    SpeakerResolver._pronoun = pronoun  # type: ignore[method-assign]
    try:
        yield
    finally:
        SpeakerResolver._pronoun = original  # type: ignore[method-assign]


def parse(pipeline: Pipeline, golds: list[GoldArticle]) -> list[tuple[GoldArticle, Any, Any]]:
    parsed = []
    for number, gold in enumerate(golds, start=1):
        doc = pipeline.nlp(gold.text)
        parsed.append((gold, doc, pipeline.attribute(doc)))
        print(f"\rparsed {number}/{len(golds)}", end="", file=sys.stderr)
    print(file=sys.stderr)
    return parsed


def gold_sources(gold: GoldArticle, resolved: dict[tuple[str, str], Any]) -> list[tuple[int, int, str]]:
    """(start, end, speaker) of each resolved relation's source pieces that has a named speaker."""
    found = []
    for relation in gold.relations:
        info = resolved.get((gold.doc_id, relation.id))
        if info is None or info.speaker is None:
            continue
        found.extend((span.start, span.end, info.speaker) for span in relation.source)
    return found


def instances(parsed: list[tuple[GoldArticle, Any, Any]], resolved: dict[tuple[str, str], Any]) -> list[Any]:
    """Per article, the labelled pronoun decisions: (rows, index of the gold candidate)."""
    per_article = []
    for gold, doc, candidates in parsed:
        decisions: list[tuple[int, list[int], list[list[float]], SpeakerResolver]] = []
        with ranker_in_use(None), traced(decisions):
            resolve(doc, candidates)
        sources = gold_sources(gold, resolved)
        labelled = []
        for offset, clusters, rows, resolver in decisions:
            speakers = {speaker for start, end, speaker in sources if start <= offset < end}
            if len(speakers) != 1 or not clusters:
                continue
            (speaker,) = speakers
            right = [k for k, c in enumerate(clusters) if names_match(resolver.clusters[c].name, speaker)]
            if len(right) == 1:
                labelled.append((rows, right[0]))
        per_article.append(labelled)
    return per_article


def fit(labelled: list[tuple[list[list[float]], int]]) -> antecedents.Ranker:
    weights = torch.zeros(len(antecedents.FEATURES), dtype=torch.float64, requires_grad=True)
    tensors = [(torch.tensor(rows, dtype=torch.float64), gold) for rows, gold in labelled]
    optimizer = torch.optim.LBFGS([weights], max_iter=500, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        loss = sum(-torch.log_softmax(x @ weights, 0)[g] for x, g in tensors) / max(len(tensors), 1)
        loss = loss + L2 * (weights**2).sum()
        loss.backward()  # type: ignore[no-untyped-call]
        return loss

    optimizer.step(closure)
    return antecedents.Ranker(tuple(float(w) for w in weights.detach()))


def score(
    parsed: list[tuple[GoldArticle, Any, Any]],
    resolved: dict[tuple[str, str], Any],
    ranker: antecedents.Ranker | None,
) -> Counter[str]:
    """Right and total speakers among found relations, by how the source names the speaker."""
    tally: Counter[str] = Counter()
    with ranker_in_use(ranker):
        for gold, doc, candidates in parsed:
            quotes = resolve(doc, candidates).quotes
            found = compare_relations(
                gold.text, [quote_offsets(q) for q in quotes], [relation_offsets(r) for r in gold.relations]
            )
            matched = {j: i for i, j, _ in found.matches}
            for j, relation in enumerate(gold.relations):
                info = resolved.get((gold.doc_id, relation.id))
                if info is None or info.speaker is None or j not in matched:
                    continue
                speaker = quotes[matched[j]].speaker
                right = names_match(speaker.name if speaker is not None else None, info.speaker)
                for key in ("all", info.speaker_resolution):
                    tally[key + ":right"] += right
                    tally[key + ":total"] += 1
    return tally


def show(name: str, tally: Counter[str]) -> str:
    kinds = sorted({k.split(":")[0] for k in tally})
    cells = [f"{k} {tally[k + ':right'] / tally[k + ':total']:.3f} ({tally[k + ':total']})" for k in kinds]
    return f"{name}: " + ", ".join(cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("polnear")
    parser.add_argument("resolved", nargs="+")
    parser.add_argument("--split", default="train")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--write", action="store_true", help=f"store the ranker in {antecedents.MODEL_PATH}")
    args = parser.parse_args()

    resolved = read_resolved(*args.resolved)
    ids = {doc_id for doc_id, _ in resolved}
    golds = [g for g in read_split(args.polnear, args.split) if g.doc_id in ids]
    parsed = parse(Pipeline(), golds)
    per_article = instances(parsed, resolved)
    print(f"{sum(map(len, per_article))} labelled pronoun decisions in {len(golds)} articles", file=sys.stderr)

    folds = [list(range(k, len(golds), args.folds)) for k in range(args.folds)]
    learned: Counter[str] = Counter()
    for held in folds:
        train = [x for i, labelled in enumerate(per_article) if i not in held for x in labelled]
        learned += score([parsed[i] for i in held], resolved, fit(train))
    print(show("hand-set salience   ", score(parsed, resolved, None)))
    print(show(f"learned, {args.folds}-fold CV", learned))

    if args.write:
        ranker = fit([x for labelled in per_article for x in labelled])
        data = {
            "about": "pronoun antecedent ranker: conditional logit weights, scripts/fit_antecedents.py",
            "fitted_on": [Path(p).name for p in args.resolved],
            "articles": len(golds),
            "features": list(antecedents.FEATURES),
            "weights": [round(w, 6) for w in ranker.weights],
        }
        antecedents.MODEL_PATH.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {antecedents.MODEL_PATH}", file=sys.stderr)


if __name__ == "__main__":
    main()
