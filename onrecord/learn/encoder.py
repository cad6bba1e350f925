"""Contextual token vectors from the tagger's transformer encoder (the first layers of MiniLM-L6).

The same functions cut a parsed Doc into word pieces and windows for training (``onrecord train``)
and at run time, so the model sees at run time what it saw when it learned:

1. ``WordPieces.encode``: the Doc's tokens, as spaCy split them, cut into BERT word pieces by the
   encoder's own tokenizer (HF ``tokenizers``; ``tokenizer.json`` ships with the model). Whitespace
   tokens get no pieces;
2. ``windows``: the chunks of whole sentences (``features.chunks``), each cut again where it
   would pass ``MAX_PIECES`` pieces, since the encoder reads at most 512 positions;
3. ``ContextEncoder.vectors``: ``[CLS] pieces [SEP]`` of each window through ``encoder.onnx``,
   each token's vector the mean of its pieces' states (zeros for a token without pieces).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from onrecord.errors import Errors, ModelError

#: Word pieces per window, [CLS] and [SEP] aside (BERT reads 512 positions).
MAX_PIECES = 510
CLS, SEP = "[CLS]", "[SEP]"

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]


class WordPieces:
    """The encoder's word-piece tokenizer over tokens already split by spaCy."""

    def __init__(self, path: str | Path) -> None:
        try:
            from tokenizers import Tokenizer  # tokenizers, only for a model with an encoder
        except ImportError as e:  # a dependency of onrecord; a broken install
            raise ModelError(Errors.E008.format(what="tokenizers")) from e
        try:
            self.tokenizer = Tokenizer.from_file(str(path))
        except Exception as e:  # the tokenizers library raises its own exception type
            raise ModelError(Errors.E004.format(path=path, reason=e)) from e
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        cls, sep = self.tokenizer.token_to_id(CLS), self.tokenizer.token_to_id(SEP)
        if cls is None or sep is None:
            raise ModelError(Errors.E004.format(path=path, reason="the tokenizer has no [CLS] or [SEP]"))
        self.cls, self.sep = int(cls), int(sep)

    @property
    def markers(self) -> tuple[int, int]:
        return self.cls, self.sep

    def encode(self, words: Sequence[str]) -> tuple[IntArray, IntArray]:
        """(piece ids, the token index of each piece); pieces come in token order."""
        if not words:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        encoding = self.tokenizer.encode(list(words), is_pretokenized=True, add_special_tokens=False)
        owners = np.asarray([-1 if w is None else w for w in encoding.word_ids], dtype=np.int64)
        return np.asarray(encoding.ids, dtype=np.int64), owners


def windows(
    piece_token: IntArray, n_tokens: int, chunks: Sequence[tuple[int, int]], max_pieces: int = MAX_PIECES
) -> list[tuple[int, int]]:
    """Token ranges: each chunk, cut before the token that would take it past ``max_pieces``
    pieces (a single token with more pieces than that is a window of its own, truncated)."""
    counts = np.bincount(piece_token[piece_token >= 0], minlength=n_tokens).tolist()
    out: list[tuple[int, int]] = []
    for lo, hi in chunks:
        start, count = lo, 0
        for i in range(lo, hi):
            if count + counts[i] > max_pieces and i > start:
                out.append((start, i))
                start, count = i, 0
            count += counts[i]
        out.append((start, hi))
    return out


def window_inputs(
    pieces: IntArray,
    piece_token: IntArray,
    window: tuple[int, int],
    cls: int,
    sep: int,
    max_pieces: int = MAX_PIECES,
) -> tuple[IntArray, IntArray]:
    """``[CLS] pieces [SEP]`` of one window and the token (relative to the window's start) of
    each position, -1 for the markers."""
    lo, hi = window
    a, b = np.searchsorted(piece_token, [lo, hi])
    b = min(int(b), int(a) + max_pieces)
    ids = np.concatenate([[cls], pieces[a:b], [sep]]).astype(np.int64)
    slots = np.concatenate([[-1], piece_token[a:b] - lo, [-1]]).astype(np.int64)
    return ids, slots


def mean_pool(states: FloatArray, slots: IntArray, n_tokens: int) -> FloatArray:
    """The mean of the states (positions, dim) of each token's pieces; zeros for tokens without.

    A token's pieces are neighbours (``window_inputs`` gives them in token order), so each mean is
    one ``reduceat`` segment (a tenth of the time of ``np.add.at``); out-of-order slots are summed
    one by one."""
    keep = slots >= 0
    tokens, kept = slots[keep], states[keep]
    out = np.zeros((n_tokens, states.shape[-1]), dtype=np.float32)
    if not len(tokens):
        return out
    if np.all(tokens[1:] >= tokens[:-1]):
        firsts = np.flatnonzero(np.r_[True, tokens[1:] != tokens[:-1]])
        sums = np.add.reduceat(kept.astype(np.float32), firsts, axis=0)
        counts = np.diff(np.r_[firsts, len(tokens)]).astype(np.float32)
        out[tokens[firsts]] = sums / counts[:, None]
        return out
    np.add.at(out, tokens, kept)
    counts = np.bincount(tokens, minlength=n_tokens).astype(np.float32)
    pooled: FloatArray = (out / np.maximum(counts, 1.0)[:, None]).astype(np.float32)
    return pooled


class ContextEncoder:
    """``encoder.onnx`` and its tokenizer: contextual vectors for a Doc's tokens."""

    def __init__(self, path: str | Path, session_options: Any, *, dim: int) -> None:
        import onnxruntime as ort  # onnxruntime, only when an encoder model is run

        self.path = Path(path)
        self.pieces = WordPieces(self.path / "tokenizer.json")
        self.dim = dim
        try:
            self.session = ort.InferenceSession(
                str(self.path / "encoder.onnx"), session_options, providers=["CPUExecutionProvider"]
            )
        except Exception as e:  # onnxruntime raises its own types for a bad file
            raise ModelError(Errors.E004.format(path=self.path, reason=e)) from e

    def vectors(self, words: Sequence[str], chunks: Sequence[tuple[int, int]]) -> FloatArray:
        n = len(words)
        out = np.zeros((n, self.dim), dtype=np.float32)
        pieces, owners = self.pieces.encode(words)
        if not len(pieces):
            return out
        for lo, hi in windows(owners, n, chunks):
            ids, slots = window_inputs(pieces, owners, (lo, hi), self.pieces.cls, self.pieces.sep)
            if len(ids) == 2:
                continue
            (states,) = self.session.run(
                None, {"pieces": ids[None], "mask": np.ones((1, len(ids)), dtype=np.int64)}
            )
            out[lo:hi] = mean_pool(states[0], slots, hi - lo)
        return out
