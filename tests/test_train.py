"""Training: a small run on synthetic examples is reproducible, learns, and exports an ONNX model
that gives the same log-probabilities as PyTorch. Needs the train extra (PyTorch), which
``.ci/run`` installs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="the train extra is not installed: bash scripts/setup.sh --train")

from onrecord.learn.data import Example  # noqa: E402
from onrecord.learn.features import COLUMNS, ROLES, build_vocab  # noqa: E402
from onrecord.learn.train import Config, export, fit, predict_tags, span_scores  # noqa: E402

SMALL = """
[data]
max_tokens = 32
vocab_size = 50
min_count = 1

[model]
word_dim = 8
feature_dim = 4
hidden = 12
layers = 1
dropout = 0.0

[train]
seed = 3
epochs = 8
batch_size = 4
learning_rate = 0.03
weight_decay = 0.0
clip = 5.0
word_dropout = 0.0
calibration_articles = 0
"""


def synthetic(count: int, seed: int) -> list[Example]:
    """Token streams where word id 7 ("said") is a cue, the token before it a source and
    everything after it up to the chunk end the content: learnable from the word column."""
    rng = np.random.default_rng(seed)
    out = []
    for k in range(count):
        n = 24
        ids = rng.integers(10, 40, size=(n, len(COLUMNS))).astype(np.int64)
        ids[:, 1:] = 2
        gold = np.zeros((n, len(ROLES)), dtype=np.int8)
        cue = int(rng.integers(2, 12))
        ids[cue, 0] = 7
        gold[cue - 1, 0] = 1
        gold[cue, 1] = 1
        gold[cue + 1, 2] = 1
        gold[cue + 2 :, 2] = 2
        vectors = np.zeros((n, 96), dtype=np.float16)
        out.append(Example(f"d{k}", ids, vectors, gold, [(0, n)]))
    return out


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, object]:
    path = tmp_path_factory.mktemp("cfg") / "small.toml"
    path.write_text(SMALL)
    config = Config.load(path)
    vocab = build_vocab([f"w{i}" for i in range(48)], ["NN"], ["nsubj"], ["PERSON"], ["cue.ccomp"])
    return config, vocab


def test_training_learns_and_is_reproducible(setup: tuple[Config, object]) -> None:
    config, vocab = setup
    train, dev = synthetic(160, 1), synthetic(10, 2)
    model_a, info = fit(train, dev, vocab, config, log=lambda _: None)  # type: ignore[arg-type]
    scores = span_scores(dev, predict_tags(model_a, dev))
    assert scores["cue"] > 0.9 and scores["source"] > 0.9 and scores["content"] > 0.6, scores
    assert info["best_epoch"] >= 1 and len(info["history"]) == 8
    model_b, _ = fit(train, dev, vocab, config, log=lambda _: None)  # type: ignore[arg-type]
    for (name, a), b in zip(model_a.state_dict().items(), model_b.state_dict().values(), strict=True):
        assert torch.equal(a, b), name


def test_onnx_export_matches_torch(setup: tuple[Config, object], tmp_path: Path) -> None:
    import onnxruntime as ort

    config, vocab = setup
    train, dev = synthetic(12, 4), synthetic(3, 5)
    model, info = fit(train, dev, vocab, config, log=lambda _: None)  # type: ignore[arg-type]
    export(model, vocab, config, tmp_path, info)  # type: ignore[arg-type]
    assert {p.name for p in tmp_path.iterdir()} >= {"tagger.onnx", "vocab.json", "meta.json"}
    session = ort.InferenceSession(str(tmp_path / "tagger.onnx"), providers=["CPUExecutionProvider"])
    ex = dev[0]
    ids, vectors = ex.ids[None, :17], ex.vectors[None, :17].astype(np.float32)
    (onnx_logp,) = session.run(None, {"ids": ids, "vectors": vectors})
    model.eval()
    with torch.no_grad():
        torch_logp = model(torch.from_numpy(ids), torch.from_numpy(vectors)).numpy()
    assert onnx_logp.shape == (1, 17, len(ROLES), 3)
    np.testing.assert_allclose(onnx_logp, torch_logp, atol=1e-4)


def test_crf_loss_is_the_exact_negative_log_likelihood() -> None:
    import itertools

    from onrecord.learn.train import crf_nll

    gen = torch.Generator().manual_seed(0)
    logp = torch.randn(1, 4, len(ROLES), 3, generator=gen)
    transitions = torch.randn(len(ROLES), 3, 3, generator=gen)
    start = torch.randn(len(ROLES), 3, generator=gen)
    gold = torch.tensor([[[0, 1, 2], [1, 2, 2], [2, 0, 2], [-100, -100, -100]]])  # 3 tokens + padding

    def path_score(r: int, seq: tuple[int, ...]) -> float:
        total = float(start[r, seq[0]] + logp[0, 0, r, seq[0]])
        for t in range(1, len(seq)):
            total += float(transitions[r, seq[t - 1], seq[t]] + logp[0, t, r, seq[t]])
        return total

    expected = 0.0
    for r in range(len(ROLES)):
        log_z = float(torch.logsumexp(torch.tensor([path_score(r, s) for s in itertools.product(range(3), repeat=3)]), 0))
        expected += log_z - path_score(r, tuple(int(x) for x in gold[0, :3, r]))
    got = float(crf_nll(logp, gold, transitions, start))
    assert got == pytest.approx(expected / (3 * len(ROLES)), rel=1e-5)


def test_calibration_bins_are_pooled_until_they_never_decrease() -> None:
    from onrecord.evaluate.calibration import Bin
    from onrecord.learn.train import monotone

    bins = [Bin(0.0, 0.5, count=0), Bin(0.5, 0.6, count=8, right=6), Bin(0.6, 0.7, count=8, right=2), Bin(0.7, 1.0, count=10, right=9)]
    got = monotone(bins)
    assert got[0] == 0.25  # empty: the bin's middle
    assert got[1] == got[2] == round((6 + 1 + 2 + 1) / (8 + 2 + 8 + 2), 4)  # pooled
    assert got[3] == round(10 / 12, 4)
    assert got == sorted(got)
