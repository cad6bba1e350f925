"""Constrained decoding of BIO tags: the best sequence in which INSIDE never follows OUT."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

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
    3, 3), ``start`` (roles, 3); returns (tokens, roles) tags.

    Written out for three tags in plain Python floats: with so few states, numpy's per-call cost
    dominates, and this runs 2.5 times faster (ties go to the lower tag, as ``argmax`` does)."""
    n, roles, _ = logp.shape
    tags = np.zeros((n, roles), dtype=np.int8)
    if n == 0:
        return tags
    scores = logp.astype(np.float64).tolist()
    allowed = (TRANSITION[None, :, :] + transitions).tolist()  # roles x prev x next
    first = np.asarray(start, dtype=np.float64).tolist()
    for r in range(roles):
        (t00, t01, t02), (t10, t11, t12), (t20, t21, t22) = allowed[r]
        o = scores[0][r][0] + first[r][0]
        b = scores[0][r][1] + first[r][1]
        i = NEG  # a span cannot open INSIDE
        back: list[tuple[int, int, int]] = []
        for row in scores[1:]:
            e0, e1, e2 = row[r]
            p0, to_o = _best3(o + t00, b + t10, i + t20)
            p1, to_b = _best3(o + t01, b + t11, i + t21)
            p2, to_i = _best3(o + t02, b + t12, i + t22)
            back.append((p0, p1, p2))
            o, b, i = to_o + e0, to_b + e1, to_i + e2
        tag = _best3(o, b, i)[0]
        column = [0] * n
        column[-1] = tag
        for k in range(n - 1, 0, -1):
            tag = back[k - 1][tag]
            column[k - 1] = tag
        tags[:, r] = column
    return tags


def _best3(a: float, b: float, c: float) -> tuple[int, float]:
    """Index and value of the largest of three (the first on ties)."""
    if a >= b and a >= c:
        return 0, a
    if b >= c:
        return 1, b
    return 2, c


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
