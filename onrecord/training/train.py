"""Training the attribution tagger on PolNeAR with PyTorch, exported to ONNX for inference.

``onrecord train polnear PATH --out DIR`` runs ``train_polnear``: parse train and dev with the
checked spaCy model, featurize them (``onrecord.learn.features``), train a BiLSTM over the tok2vec
vectors and the categorical features with one BIO head per role (source, cue, content), keep the
epoch that scores best on dev (token-span exact F1, averaged over the roles), and write
``tagger.onnx``, ``vocab.json`` and ``meta.json`` to ``DIR``. PyTorch is needed only here (the
``train`` extra); inference runs the ONNX file with onnxruntime.

The fitting itself needs no spaCy: with the features in a cache (``--cache DIR --features-only``,
which also keeps the slice of the pretrained encoder the config tunes), a machine with only
PyTorch fits them with ``python -m onrecord.training.train DIR WEIGHTS.pt --device cuda``, and
``onrecord train polnear PATH --cache DIR --weights WEIGHTS.pt --out MODEL`` exports and calibrates
the result back where spaCy is.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import time
import tomllib
import zipfile
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from onrecord.errors import Errors, InputError, ModelError
from onrecord.learn import arrays
from onrecord.learn.arrays import COLUMNS, Example, Vocab
from onrecord.training.export import calibrate, export
from onrecord.training.fit import (
    CACHE_FORMAT,
    CHECKPOINT_FORMAT,
    Config,
    Pretrained,
    _torch,
    build_model,
    encoder_layers,
    fit,
    uses_tok2vec,
    word_pieces,
)

logger = logging.getLogger(__name__)


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
    from onrecord.datasets.polnear import read_split  # featurizing only: a fit from a cache needs no spaCy
    from onrecord.nlp.model import load_pipeline  # spaCy, as above
    from onrecord.training import data  # spaCy, as above

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
    ``cache``); with ``weights`` (``python -m onrecord.training.train``'s output) nothing is fitted:
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


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m onrecord.training.train CACHE WEIGHTS.pt``: fit on a feature cache, no spaCy needed."""
    parser = argparse.ArgumentParser(
        prog="python -m onrecord.training.train",
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
