"""The learned attribution tagger at run time: features and encoder states -> ONNX tagger -> role spans -> candidates.

``LearnedTagger.attribute(doc, rule_candidates)`` returns ``Candidate`` objects like the rule
engine's, so the resolution stage is the same in both modes. The model tags every token with
BIO per role (source, cue, content); ``onrecord.learn.assemble`` links the spans into
quotations and merges them with the rules' candidates.

The weights ship in the package (``onrecord/learn/model``); nothing is downloaded.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from spacy.tokens import Doc

from onrecord.attribution.candidates import Candidate
from onrecord.errors import Errors, ModelError
from onrecord.learn.arrays import COLUMNS, ROLES, TOK2VEC_WIDTH, Vocab
from onrecord.learn.assemble import Tagged, assemble, combine
from onrecord.learn.decode import viterbi_roles
from onrecord.learn.encoder import ContextEncoder
from onrecord.learn.features import chunks, featurize
from onrecord.nlp import extraction_threads
from onrecord.nlp.text import doc_text

MODEL_DIR = Path(__file__).with_name("model")
#: the model formats this code reads (``onrecord.training.train``: v2 has other float inputs than tok2vec)
FORMATS = ("onrecord.tagger.v1", "onrecord.tagger.v2")


class LearnedTagger:
    """Loads ``tagger.onnx`` with its vocabulary; tags docs and assembles candidates."""

    def __init__(self, path: str | Path = MODEL_DIR, *, threads: int | None = None) -> None:
        self.path = Path(path)
        try:
            meta = json.loads((self.path / "meta.json").read_text(encoding="utf-8"))
            vocab = json.loads((self.path / "vocab.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise ModelError(Errors.E004.format(path=self.path, reason=e)) from e
        if meta.get("format") not in FORMATS or meta.get("columns") != list(COLUMNS):
            expected = " or ".join(FORMATS)
            reason = f"format {meta.get('format')!r}, expected {expected} with columns {', '.join(COLUMNS)}"
            raise ModelError(Errors.E004.format(path=self.path, reason=reason))
        self.meta: dict[str, Any] = meta
        self.vocab = Vocab.from_json(vocab)
        # chunks of whole sentences at inference: trained on chunks of ``data.max_tokens``, the
        # model reads longer ones better (``decode.max_tokens``, chosen on dev)
        config = meta["config"]
        self.max_tokens = int(config.get("decode", {}).get("max_tokens", config["data"]["max_tokens"]))
        zeros = [[[0.0] * 3] * 3] * len(ROLES)
        self.transitions = np.asarray(meta.get("transitions", zeros), dtype=np.float64)
        self.start = np.asarray(meta.get("start", [[0.0] * 3] * len(ROLES)), dtype=np.float64)
        # decoding bias per role for (OUT, BEGIN, INSIDE), tuned on dev: a span costs less to open
        self.bias = np.asarray(meta.get("bias", [[0.0] * 3] * len(ROLES)), dtype=np.float64)
        self.calibration: list[tuple[float, float]] = [
            (float(upper), float(accuracy)) for upper, accuracy in meta.get("calibration", [])
        ]
        try:
            import onnxruntime as ort  # onnxruntime, only in accurate mode
        except ImportError as e:  # pragma: no cover - a core dependency
            raise ModelError(Errors.E008.format(what="onnxruntime")) from e
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or extraction_threads()
        options.inter_op_num_threads = 1
        try:
            self.session = ort.InferenceSession(
                str(self.path / "tagger.onnx"), options, providers=["CPUExecutionProvider"]
            )
        except Exception as e:  # onnxruntime raises its own types for a bad file
            raise ModelError(Errors.E004.format(path=self.path, reason=e)) from e
        # the vectors into the tagger: spaCy's tok2vec output and/or the encoder's states
        self.tok2vec = bool(meta.get("tok2vec", True))
        encoder = meta.get("encoder")
        self.encoder = ContextEncoder(self.path, options, dim=int(encoder["dim"])) if encoder else None
        # the encoder reads windows within the chunks it was trained on
        self.window_tokens = int(config["data"]["max_tokens"])
        width = (TOK2VEC_WIDTH if self.tok2vec else 0) + (self.encoder.dim if self.encoder is not None else 0)
        reads = {i.name: i.shape for i in self.session.get_inputs()}.get("vectors", [None])[-1]
        if reads != width:
            reason = f"tagger.onnx reads {reads} floats per token, meta.json describes {width}"
            raise ModelError(Errors.E004.format(path=self.path, reason=reason))

    def tag(self, doc: Doc, candidates: Sequence[Candidate]) -> Tagged:
        ids, vectors = featurize(doc, candidates, self.vocab)
        n = len(doc)
        if not self.tok2vec or self.encoder is not None:
            vectors = self.token_vectors([t.text for t in doc], chunks(doc, self.window_tokens), vectors)
        logp = np.zeros((n, len(ROLES), 3), dtype=np.float32)
        tags = np.zeros((n, len(ROLES)), dtype=np.int8)
        for lo, hi in chunks(doc, self.max_tokens):
            (out,) = self.session.run(None, {"ids": ids[None, lo:hi], "vectors": vectors[None, lo:hi]})
            logp[lo:hi] = out[0]
            tags[lo:hi] = viterbi_roles(out[0] + self.bias, self.transitions, self.start)
        return Tagged(tags, logp)

    def token_vectors(
        self, words: Sequence[str], windows: Sequence[tuple[int, int]], tok2vec: npt.NDArray[np.floating]
    ) -> npt.NDArray[np.float32]:
        """The tagger's float input per token: the tok2vec vectors (when the model reads them),
        then the encoder's states (when it has one) over the ``windows`` it was trained on."""
        parts = [tok2vec.astype(np.float32)] if self.tok2vec else []
        if self.encoder is not None:
            parts.append(self.encoder.vectors(words, windows))
        if not parts:
            return np.zeros((len(words), 0), dtype=np.float32)
        return np.concatenate(parts, axis=1)

    def attribute(self, doc: Doc, candidates: Sequence[Candidate]) -> list[Candidate]:
        """Candidates from the model, with the rule candidates as features. Where each is
        stronger, the rules stay: their direct quotations (and the continuation paragraphs that
        follow them) that the model left out are added back, and a quotation with the same cue
        as a rule's keeps the rule's medium phrase."""
        learned = assemble(doc, self.tag(doc, candidates), self.calibrate)
        return combine(doc_text(doc), learned, candidates)

    def calibrate(self, raw: float) -> float:
        """Histogram binning measured on held-out articles: the accuracy of the bin of ``raw``."""
        for upper, accuracy in self.calibration:
            if raw <= upper:
                return accuracy
        return self.calibration[-1][1] if self.calibration else raw


#: A model folder (``onrecord train ... --out DIR``) to run instead of the packaged one.
MODEL_ENV = "ONRECORD_MODEL"


def named_model() -> str | None:
    """The model folder ``$ONRECORD_MODEL`` names, if any."""
    return os.environ.get(MODEL_ENV) or None


def model_dir(path: str | Path | None = None) -> Path:
    """The model folder to use: ``path``, else ``$ONRECORD_MODEL``, else the packaged model."""
    return Path(path or named_model() or MODEL_DIR)


def shared_tagger(path: str | Path | None = None) -> LearnedTagger:
    """One ``LearnedTagger`` per model folder in this process (see ``model_dir``)."""
    return _load_tagger(str(model_dir(path)))


@lru_cache(maxsize=2)
def _load_tagger(path: str) -> LearnedTagger:
    return LearnedTagger(path)


def forget_taggers() -> None:
    """Drop the loaded taggers (a model folder rewritten in this process is read again)."""
    _load_tagger.cache_clear()


# -- assembly -----------------------------------------------------------------------------------
