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
import time
import tomllib
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from onrecord.learn.data import Example
from onrecord.learn.features import COLUMNS, PAD, ROLES, Vocab, spans_from_tags

logger = logging.getLogger(__name__)

DEFAULT_CONFIG = Path(__file__).with_name("tagger.toml")
FORMAT = "onrecord.tagger.v1"


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
    try:
        import torch
    except ImportError as e:  # pragma: no cover - depends on the install
        from onrecord.errors import Errors, ModelError

        raise ModelError(Errors.E003.format(what="PyTorch", extra="train")) from e
    return torch


def build_model(vocab: Vocab, config: Config) -> Any:
    torch = _torch()
    nn = torch.nn
    m = config["model"]

    class Tagger(nn.Module):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            super().__init__()
            dims = [m["word_dim"] if c == "word" else m["feature_dim"] for c in COLUMNS]
            self.embeds = nn.ModuleList(
                nn.Embedding(vocab.size(c), d, padding_idx=PAD) for c, d in zip(COLUMNS, dims, strict=True)
            )
            width = sum(dims) + 96
            self.mix = nn.Sequential(nn.Linear(width, 2 * m["hidden"]), nn.ReLU(), nn.Dropout(m["dropout"]))
            self.lstm = nn.LSTM(
                2 * m["hidden"], m["hidden"], num_layers=m["layers"], bidirectional=True,
                batch_first=True, dropout=m["dropout"],
            )
            self.drop = nn.Dropout(m["dropout"])
            self.out = nn.Linear(2 * m["hidden"], 3 * len(ROLES))
            # CRF scores, one chain per role: transitions[role, previous, next], start[role, tag]
            self.transitions = nn.Parameter(torch.zeros(len(ROLES), 3, 3))
            self.start = nn.Parameter(torch.zeros(len(ROLES), 3))
            self.crf = bool(m.get("crf", False))

        def forward(self, ids: Any, vectors: Any) -> Any:
            parts = [e(ids[:, :, k]) for k, e in enumerate(self.embeds)]
            x = self.mix(torch.cat([*parts, vectors], dim=-1))
            x, _ = self.lstm(x)
            logits = self.out(self.drop(x))
            return torch.log_softmax(logits.view(logits.shape[0], logits.shape[1], len(ROLES), 3), dim=-1)

    return Tagger()


def crf_nll(logp: Any, gold: Any, transitions: Any, start: Any) -> Any:
    """Mean negative log-likelihood of the gold tag sequences under a linear-chain CRF per role.

    ``logp`` (batch, tokens, roles, 3) are the emission scores, ``gold`` (batch, tokens, roles)
    the tags with -100 on padding (padding only ever follows a sequence's end).
    """
    torch = _torch()
    mask = gold[:, :, 0] != -100  # batch, tokens
    tags = gold.clamp(min=0)
    _, length, roles, _ = logp.shape
    emitted = logp.gather(-1, tags.unsqueeze(-1)).squeeze(-1)  # batch, tokens, roles
    role_index = torch.arange(roles)
    score = start[role_index, tags[:, 0]] + emitted[:, 0]
    alpha = start.unsqueeze(0) + logp[:, 0]  # batch, roles, 3
    for t in range(1, length):
        step = mask[:, t].unsqueeze(-1)
        moved = transitions[role_index, tags[:, t - 1], tags[:, t]] + emitted[:, t]
        score = score + moved * step
        nxt = torch.logsumexp(alpha.unsqueeze(-1) + transitions.unsqueeze(0), dim=-2) + logp[:, t]
        alpha = torch.where(step.unsqueeze(-1), nxt, alpha)
    log_z = torch.logsumexp(alpha, dim=-1)
    return (log_z - score).sum() / (mask.sum() * roles)


def _batches(items: list[tuple[Example, int, int]], size: int, rng: random.Random) -> list[list[tuple[Example, int, int]]]:
    """Chunks of similar length together, the batches in random order."""
    ordered = sorted(items, key=lambda x: x[2] - x[1])
    batches = [ordered[i : i + size] for i in range(0, len(ordered), size)]
    rng.shuffle(batches)
    return batches


def _tensors(batch: Sequence[tuple[Example, int, int]], word_dropout: float, rng: np.random.Generator) -> tuple[Any, Any, Any]:
    torch = _torch()
    length = max(hi - lo for _, lo, hi in batch)
    ids = np.zeros((len(batch), length, len(COLUMNS)), dtype=np.int64)
    vectors = np.zeros((len(batch), length, 96), dtype=np.float32)
    gold = np.full((len(batch), length, len(ROLES)), -100, dtype=np.int64)
    for row, (ex, lo, hi) in enumerate(batch):
        n = hi - lo
        ids[row, :n] = ex.ids[lo:hi]
        vectors[row, :n] = ex.vectors[lo:hi]
        gold[row, :n] = ex.gold[lo:hi]
    if word_dropout:
        mask = (rng.random(ids.shape[:2]) < word_dropout) & (ids[:, :, 0] > 1)
        ids[:, :, 0][mask] = 1
    return torch.from_numpy(ids), torch.from_numpy(vectors), torch.from_numpy(gold)


def predict_tags(model: Any, examples: Sequence[Example]) -> list[np.ndarray]:
    """Best tag sequences (constrained) for every example, chunk by chunk, with the torch model."""
    from onrecord.learn.decode import viterbi_roles

    torch = _torch()
    model.eval()
    transitions, start = crf_scores(model)
    out: list[np.ndarray] = []
    with torch.no_grad():
        for ex in examples:
            tags = np.zeros((len(ex.ids), len(ROLES)), dtype=np.int8)
            for lo, hi in ex.chunks:
                ids = torch.from_numpy(ex.ids[None, lo:hi])
                vec = torch.from_numpy(ex.vectors[None, lo:hi].astype(np.float32))
                logp = model(ids, vec)[0].numpy()
                tags[lo:hi] = viterbi_roles(logp, transitions, start)
            out.append(tags)
    return out


def crf_scores(model: Any) -> tuple[np.ndarray, np.ndarray]:
    """The model's CRF transition and start scores (zeros when it was trained without a CRF)."""
    if not model.crf:
        return np.zeros((len(ROLES), 3, 3), dtype=np.float32), np.zeros((len(ROLES), 3), dtype=np.float32)
    return model.transitions.detach().numpy().copy(), model.start.detach().numpy().copy()


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
    log: Callable[[str], None] = print,
) -> tuple[Any, dict[str, Any]]:
    """Train; return the model of the best dev epoch and a history."""
    torch = _torch()
    t = config["train"]
    seed = int(t["seed"])
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    model = build_model(vocab, config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=t["learning_rate"], weight_decay=t["weight_decay"])
    epochs = int(t["epochs"])
    items = [(ex, lo, hi) for ex in train for lo, hi in ex.chunks]
    steps = epochs * ((len(items) + t["batch_size"] - 1) // t["batch_size"])
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=t["learning_rate"], total_steps=steps)
    loss_fn = torch.nn.NLLLoss(ignore_index=-100)
    crf = bool(config["model"].get("crf", False))
    best: tuple[float, dict[str, Any] | None, int] = (-1.0, None, 0)
    history: list[dict[str, Any]] = []
    for epoch in range(1, epochs + 1):
        model.train()
        started, total, count = time.perf_counter(), 0.0, 0
        for batch in _batches(items, int(t["batch_size"]), rng):
            ids, vectors, gold = _tensors(batch, float(t["word_dropout"]), nrng)
            logp = model(ids, vectors)
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
        scores = span_scores(dev, predict_tags(model, dev))
        mean = sum(scores.values()) / len(scores)
        history.append({"epoch": epoch, "loss": total / max(1, count), "dev": scores, "seconds": time.perf_counter() - started})
        log(
            f"epoch {epoch:2d}  loss {total / max(1, count):.4f}  dev span F1 "
            + "  ".join(f"{r} {s:.3f}" for r, s in scores.items())
            + f"  ({time.perf_counter() - started:.0f}s)"
        )
        if mean > best[0]:
            best = (mean, {k: v.clone() for k, v in model.state_dict().items()}, epoch)
    assert best[1] is not None
    model.load_state_dict(best[1])
    return model, {"best_epoch": best[2], "history": history}


def _export_onnx(torch: Any, model: Any, ids: Any, vectors: Any, path: Path) -> None:
    torch.onnx.export(
        model,
        (ids, vectors),
        str(path),
        input_names=["ids", "vectors"],
        output_names=["logp"],
        dynamic_axes={
            "ids": {0: "batch", 1: "tokens"},
            "vectors": {0: "batch", 1: "tokens"},
            "logp": {0: "batch", 1: "tokens"},
        },
        opset_version=17,
        dynamo=False,
    )


def export(model: Any, vocab: Vocab, config: Config, out: Path, info: dict[str, Any]) -> None:
    """Write ``tagger.onnx``, ``vocab.json`` and ``meta.json`` into ``out``."""
    torch = _torch()
    out.mkdir(parents=True, exist_ok=True)
    model.eval()
    ids = torch.ones((1, 7, len(COLUMNS)), dtype=torch.int64)
    vectors = torch.zeros((1, 7, 96), dtype=torch.float32)
    full = out / "tagger.fp32.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's notes on tracing the LSTM
        _export_onnx(torch, model, ids, vectors, full)
    if config.raw.get("export", {}).get("quantize", False):
        # int8 weights, dynamic activations: 2.4x faster on one core, 8 MB -> 2 MB, dev F1 within 0.2
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(full), str(out / "tagger.onnx"), weight_type=QuantType.QInt8)
        full.unlink()
    else:
        full.replace(out / "tagger.onnx")
    (out / "vocab.json").write_text(json.dumps(vocab.to_json(), sort_keys=True), encoding="utf-8")
    transitions, start = crf_scores(model)
    meta = {
        "format": FORMAT,
        "columns": list(COLUMNS),
        "roles": list(ROLES),
        "config": config.raw,
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


def prepare(
    path: str | Path, config: Config, *, cache: Path | None, n_process: int, log: Callable[[str], None] = print
) -> tuple[Vocab, list[Example], list[Example]]:
    """Vocabulary and featurized train/dev examples, from ``cache`` when it holds them."""
    from onrecord.evaluate.polnear import read_split
    from onrecord.learn import data
    from onrecord.nlp.model import load_pipeline

    d = config["data"]
    if cache is not None and (cache / "vocab.json").exists() and (cache / "train.npz").exists():
        vocab = Vocab.from_json(json.loads((cache / "vocab.json").read_text(encoding="utf-8")))
        log(f"features from {cache}")
        return vocab, data.load(cache / "train.npz"), data.load(cache / "dev.npz")
    nlp = load_pipeline()
    train_articles = read_split(path, "train")
    dev_articles = read_split(path, "dev")
    words = data.word_list((a.text for a in train_articles), nlp, size=d["vocab_size"], min_count=d["min_count"])
    vocab = data.make_vocab(nlp, words)
    sets: list[list[Example]] = []
    for name, articles in (("train", train_articles), ("dev", dev_articles)):
        progress = _Progress(name, len(articles), log)
        sets.append(
            data.examples(articles, nlp, vocab, n_process=n_process, max_tokens=d["max_tokens"], progress=progress)
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
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """The whole recipe: featurize, fit, export. Returns the training record written to meta.json."""
    torch = _torch()
    if threads:
        torch.set_num_threads(threads)
    config = Config.load(config_path)
    started = time.perf_counter()
    vocab, train, dev = prepare(path, config, cache=Path(cache) if cache else None, n_process=n_process, log=log)
    featurized = time.perf_counter() - started
    held = int(config["train"]["calibration_articles"])
    fit_set, calibration_set = (train[:-held], train[-held:]) if held else (train, [])
    model, info = fit(fit_set, dev, vocab, config, log=log)
    info.update(
        featurize_seconds=round(featurized, 1),
        train_seconds=round(time.perf_counter() - started - featurized, 1),
        train_articles=len(fit_set),
        calibration_doc_ids=[e.doc_id for e in calibration_set],
        dev_articles=len(dev),
        torch=torch.__version__,
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
    from onrecord.learn.tagger import LearnedTagger, shared_tagger
    from onrecord.pipeline import Pipeline

    shared_tagger.cache_clear()
    pipeline = Pipeline(mode="accurate", model_path=str(model_dir))
    assert isinstance(pipeline.tagger, LearnedTagger)
    pipeline.tagger.calibration = []
    report = evaluate_polnear(path, split="train", pipeline=pipeline, doc_ids=set(doc_ids))
    reliability = report.reliability
    assert reliability is not None
    table = [[b.high, a] for b, a in zip(reliability.bins, monotone(reliability.bins), strict=True)]
    log(f"calibration on {len(doc_ids)} held-out articles, ECE before {reliability.ece:.3f}")
    shared_tagger.cache_clear()
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
