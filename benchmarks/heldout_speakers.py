"""Speakers on PolNeAR train_resolved, scored with a tagger that never saw those articles.

The shipped tagger is fitted on PolNeAR train, which holds 55 of the 60 articles of
``train_resolved.jsonl``: its source, cue and content spans there are in-sample, so the speaker
figure ``onrecord eval polnear --split train --resolved ...`` prints for them flatters the
pipeline. This benchmark fits the shipped recipe again with those articles held out of the fit
and its vocabulary (``onrecord train polnear --hold-out``, the epoch still chosen on dev), then
scores both models on them, speakers and relations, side by side. The resolver's rules are not
fitted on anything; they were written from train errors, which no benchmark can undo.

A fit takes about 70 minutes on 2 CPU cores (``--threads``); ``--model DIR`` reuses one.

Example:
    python benchmarks/heldout_speakers.py --train-into /tmp/heldout-model --cache /tmp/heldout-feats
    python benchmarks/heldout_speakers.py --model /tmp/heldout-model --json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def score(polnear: Path, resolved: Path, doc_ids: set[str], model: str | None) -> dict[str, Any]:
    from onrecord.evaluate.polnear import evaluate_polnear
    from onrecord.pipeline import Pipeline

    pipeline = Pipeline(scope="attributions", model_path=model)
    report = evaluate_polnear(polnear, split="train", pipeline=pipeline, resolved=resolved, doc_ids=doc_ids)
    speakers = report.speakers
    assert speakers is not None
    return {
        "model": model or "shipped",
        "articles": report.articles,
        "relation_f1": round(report.relation.f1, 4),
        "speaker_right": speakers.accuracy.to_dict(),
        "by_resolution": {k: v.to_dict() for k, v in sorted(speakers.by_kind.items())},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--polnear", type=Path, default=DATA / "polnear")
    parser.add_argument("--resolved", type=Path, default=DATA / "resolved" / "train_resolved.jsonl")
    found = parser.add_mutually_exclusive_group(required=True)
    found.add_argument("--model", help="a model folder fitted with these articles held out")
    found.add_argument("--train-into", type=Path, help="fit one here first (about 70 min on 2 cores)")
    parser.add_argument("--cache", type=Path, help="featurized corpus for the fit (kept for reruns)")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from onrecord.training.train import read_doc_ids, train_polnear

    doc_ids = read_doc_ids(args.resolved)
    model = args.model
    if args.train_into is not None:
        started = time.perf_counter()
        kw = {"cache": args.cache, "n_process": args.jobs, "threads": args.threads}
        train_polnear(
            args.polnear, args.train_into, held_out=doc_ids, log=lambda m: print(m, file=sys.stderr), **kw
        )
        print(f"fitted in {time.perf_counter() - started:.0f}s", file=sys.stderr)
        model = str(args.train_into)
    meta = json.loads((Path(str(model)) / "meta.json").read_text(encoding="utf-8"))
    held = set(meta.get("held_out_doc_ids", []))
    if not doc_ids <= held:
        print(f"{model} was fitted on {len(doc_ids - held)} of these articles", file=sys.stderr)
        return 2
    rows = [
        score(args.polnear, args.resolved, doc_ids, None),
        score(args.polnear, args.resolved, doc_ids, model),
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"{'tagger':<40} {'relation F1':>11} {'right speaker':>20}  by how the mention names it")
    for row in rows:
        right = row["speaker_right"]
        kinds = ", ".join(f"{k} {v['hits']}/{v['total']}" for k, v in row["by_resolution"].items())
        label = "shipped (fitted on them)" if row["model"] == "shipped" else "held out of the fit"
        ratio = f"{right['hits']}/{right['total']} = {100 * right['hits'] / max(1, right['total']):.1f}"
        print(f"{label:<40} {100 * row['relation_f1']:>11.1f} {ratio:>20}  {kinds}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
