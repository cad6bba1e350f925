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


def viterbi_roles(
    logp: npt.NDArray[np.floating],
    transitions: npt.NDArray[np.floating],
    start: npt.NDArray[np.floating],
) -> npt.NDArray[np.int8]:
    """``viterbi`` for every role at once: ``logp`` (tokens, roles, 3), ``transitions`` (roles,
    3, 3), ``start`` (roles, 3); returns (tokens, roles) tags. One pass over the tokens instead
    of one per role."""
    n, roles, _ = logp.shape
    tags = np.zeros((n, roles), dtype=np.int8)
    if n == 0:
        return tags
    transition = TRANSITION[None, :, :] + transitions  # roles x prev x next
    score = logp[0].astype(np.float64) + start
    score[:, INSIDE] = NEG
    back = np.zeros((n, roles, 3), dtype=np.int8)
    role_index = np.arange(roles)[:, None]
    next_index = np.arange(3)[None, :]
    scores = logp.astype(np.float64)
    for t in range(1, n):
        total = score[:, :, None] + transition  # roles x prev x next
        best = np.argmax(total, axis=1)  # roles x next
        back[t] = best
        score = total[role_index, best, next_index] + scores[t]
    tags[-1] = np.argmax(score, axis=1)
    for t in range(n - 1, 0, -1):
        tags[t - 1] = back[t, np.arange(roles), tags[t]]
    return tags


def viterbi(
    logp: npt.NDArray[np.floating],
    transitions: npt.NDArray[np.floating] | None = None,
    start: npt.NDArray[np.floating] | None = None,
) -> npt.NDArray[np.int8]:
    """``logp`` is (tokens, 3) scores of OUT, BEGIN, INSIDE for one role; ``transitions``
    (previous x next) and ``start`` are a CRF's learned scores, if any. Returns the best allowed
    tags."""
    trans = np.zeros((1, 3, 3)) if transitions is None else np.asarray(transitions)[None]
    first = np.zeros((1, 3)) if start is None else np.asarray(start)[None]
    return viterbi_roles(logp[:, None, :], trans, first)[:, 0]


__all__ = ["viterbi", "viterbi_roles"]
