"""Constrained decoding of BIO tags: the best sequence in which INSIDE never follows OUT."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from onrecord.learn.features import INSIDE

NEG = -1e9
#: allowed[prev, next]
ALLOWED = np.array(
    [
        [True, True, False],  # after OUT: OUT or BEGIN
        [True, True, True],  # after BEGIN
        [True, True, True],  # after INSIDE
    ]
)
TRANSITION = np.where(ALLOWED, 0.0, NEG)


def viterbi(
    logp: npt.NDArray[np.floating],
    transitions: npt.NDArray[np.floating] | None = None,
    start: npt.NDArray[np.floating] | None = None,
) -> npt.NDArray[np.int8]:
    """``logp`` is (tokens, 3) scores of OUT, BEGIN, INSIDE; ``transitions`` (previous x next) and
    ``start`` are a CRF's learned scores, if any. Returns the best allowed tags."""
    n = logp.shape[0]
    tags = np.zeros(n, dtype=np.int8)
    if n == 0:
        return tags
    transition = TRANSITION + (transitions if transitions is not None else 0.0)
    score = logp[0].astype(np.float64) + (start if start is not None else 0.0)
    score[INSIDE] = NEG
    back = np.zeros((n, 3), dtype=np.int8)
    for t in range(1, n):
        total = score[:, None] + transition  # prev x next
        back[t] = np.argmax(total, axis=0)
        score = total[back[t], np.arange(3)] + logp[t]
    tags[-1] = int(np.argmax(score))
    for t in range(n - 1, 0, -1):
        tags[t - 1] = back[t, tags[t]]
    return tags


__all__ = ["viterbi"]
