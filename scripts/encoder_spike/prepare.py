"""The data of the encoder spike (README, "The transformer encoder"): PolNeAR train and dev as
compact arrays a GPU machine without spaCy can train on.

    python scripts/encoder_spike/prepare.py CACHE_DIR OUT_DIR [--layers 3] [--pca 32]

CACHE_DIR is a feature cache of the shipped recipe (``onrecord train ... --cache CACHE_DIR``,
chunks of 256 tokens). Writes to OUT_DIR (keep it out of git: it is derived from PolNeAR):

- ``train.npz``, ``dev.npz``: per article the categorical ids, gold tags, chunks, MiniLM word
  pieces with their tokens and windows (``onrecord.learn.encoder``), and spaCy's tok2vec vectors
  cut to ``--pca`` principal components in int8 (they would not fit the machine's 64 MiB);
- ``minilm.npz``: MiniLM-L6's embeddings and first ``--layers`` layers in float16;
- ``meta.json``: the vocabulary sizes and MiniLM's config.

Then ``scripts/encoder_spike/train_gpu.py`` trains on them.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file

from onrecord.evaluate.polnear import read_split
from onrecord.learn import arrays
from onrecord.learn.arrays import COLUMNS, Vocab
from onrecord.learn.encoder import windows
from onrecord.learn.train import encoder_source, word_pieces
from onrecord.nlp.model import load_pipeline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cache", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--polnear", type=Path, default=Path("../shared/data/polnear"))
    parser.add_argument("--layers", type=int, default=3)
    parser.add_argument("--pca", type=int, default=32)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    tokenizer = word_pieces()
    nlp = load_pipeline()
    vocab = Vocab.from_json(json.loads((args.cache / "vocab.json").read_text()))
    examples = {split: arrays.load(args.cache / f"{split}.npz") for split in ("train", "dev")}
    vectors = np.concatenate([e.vectors for e in examples["train"]]).astype(np.float32)
    sample = vectors[np.random.default_rng(0).choice(len(vectors), min(200_000, len(vectors)), replace=False)]
    mean = sample.mean(0)
    _, singular, basis = np.linalg.svd(sample - mean, full_matrices=False)
    basis = basis[: args.pca]
    kept = float((singular[: args.pca] ** 2).sum() / (singular**2).sum())
    scale = np.abs((vectors - mean) @ basis.T).max(0) / 127
    np.savez(args.out / "pca.npz", basis=basis, mean=mean, scale=scale)
    for split, items in examples.items():
        texts = {a.doc_id: a.text for a in read_split(args.polnear, split)}
        columns: dict[str, list[np.ndarray]] = {
            k: [] for k in ("ids", "gold", "chunks", "wp", "wptok", "win", "vec")
        }
        for ex in items:
            words = [t.text for t in nlp.tokenizer(texts[ex.doc_id])]
            assert len(words) == len(ex.ids), ex.doc_id
            pieces, owners = tokenizer.encode(words)
            projected = ((ex.vectors.astype(np.float32) - mean) @ basis.T) / scale
            columns["ids"].append(ex.ids.astype(np.uint16))
            columns["gold"].append(ex.gold)
            columns["chunks"].append(np.asarray(ex.chunks, np.int32))
            columns["wp"].append(pieces.astype(np.uint16))
            columns["wptok"].append(owners.astype(np.int32))
            columns["win"].append(np.asarray(windows(owners, len(words), ex.chunks), np.int32))
            columns["vec"].append(np.clip(np.round(projected), -127, 127).astype(np.int8))
        arrays: dict[str, np.ndarray] = {"docs": np.asarray([e.doc_id for e in items])}
        for name, parts in columns.items():
            arrays[name] = np.concatenate(parts)
            arrays[name + "_n"] = np.asarray([len(p) for p in parts], np.int64)
        arrays["vec_scale"] = scale.astype(np.float32)
        np.savez_compressed(args.out / f"{split}.npz", **arrays)  # type: ignore[arg-type]
        print(f"{split}: {len(items)} articles, {len(arrays['ids'])} tokens, {len(arrays['wp'])} word pieces")
    weights = load_file(str(encoder_source() / "model.safetensors"))
    layers = tuple(f"encoder.layer.{i}." for i in range(args.layers))
    keep = {
        k: v.astype(np.float16)
        for k, v in weights.items()
        if (k.startswith("embeddings.") and "position_ids" not in k) or k.startswith(layers)
    }
    np.savez(args.out / "minilm.npz", **keep)  # type: ignore[arg-type]
    bert = json.loads((encoder_source() / "config.json").read_text())
    (args.out / "meta.json").write_text(json.dumps({"sizes": [vocab.size(c) for c in COLUMNS], "bert": bert}))
    print(f"tok2vec vectors: {args.pca} components keep {kept:.1%} of the variance")


if __name__ == "__main__":
    main()
