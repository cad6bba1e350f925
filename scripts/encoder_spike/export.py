"""Turn weights saved by ``train_gpu.py`` into a model folder, as ``onrecord train`` writes it
(ONNX files, vocabulary, calibration on the recipe's 84 held-out train articles).

    python scripts/encoder_spike/export.py NAME.pt CONFIG.toml VOCAB.json OUT_DIR [--polnear PATH]

CONFIG is the recipe config with the run's settings (``onrecord/learn/tagger-minilm.toml`` for
``K=3``); VOCAB is the feature cache's ``vocab.json``. Runs without tok2vec vectors only: a
``vec=1`` run read them cut by PCA, which the run-time tagger does not do. Then score it with
``ONRECORD_MODEL=OUT_DIR onrecord eval polnear PATH``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch

from onrecord.learn.arrays import Vocab
from onrecord.learn.train import Config, Pretrained, build_model, calibrate, encoder_layers, export


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("weights", type=Path)
    parser.add_argument("config", type=Path)
    parser.add_argument("vocab", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--polnear", type=Path, default=Path("../shared/data/polnear"))
    args = parser.parse_args()
    saved = torch.load(args.weights)
    if saved["args"].get("vec"):
        parser.error("a run with vec=1 read PCA-cut tok2vec vectors: the run-time tagger cannot run it")
    config = Config.load(args.config)
    vocab = Vocab.from_json(json.loads(args.vocab.read_text()))
    # MiniLM's word-piece table, frozen in training, from the package (and its tokenizer, for export)
    pretrained = Pretrained.from_package(encoder_layers(config))
    model = build_model(vocab, config, pretrained)
    missing, unexpected = model.load_state_dict(
        {k: v.float() for k, v in saved["state"].items()}, strict=False
    )
    if unexpected or any("word_embeddings" not in k for k in missing):
        raise SystemExit(f"the weights do not fit the config: missing {missing}, unexpected {unexpected}")
    shipped = json.loads((Path(__file__).resolve().parents[2] / "onrecord/learn/model/meta.json").read_text())
    held = shipped["calibration_doc_ids"]
    info = {"best_epoch": saved["epoch"], "trained": f"scripts/encoder_spike/train_gpu.py {saved['args']}"}
    export(model, vocab, config, args.out, info, pretrained)
    info.update(calibration=calibrate(args.polnear, args.out, held), calibration_doc_ids=held)
    export(model, vocab, config, args.out, info, pretrained)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
