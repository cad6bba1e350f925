"""The run options every entry point shares (Python API, spaCy component, CLI, server), with
their defaults and checks (ground floor: imports nothing of onrecord's)."""

from __future__ import annotations

from typing import Literal

Mode = Literal["fast", "accurate"]
MODES: tuple[Mode, ...] = ("fast", "accurate")
#: ``fast``: the rules alone; ``accurate``: the learned tagger over the rules.
DEFAULT_MODE: Mode = "accurate"

Scope = Literal["quotations", "attributions"]
SCOPES: tuple[Scope, ...] = ("quotations", "attributions")
#: What is extracted unless asked otherwise: ``"quotations"``, what people said (speech and
#: quoted words); ``"attributions"`` adds what they think, plan or find, as PolNeAR annotates.
DEFAULT_SCOPE: Scope = "quotations"

#: Quotations under this confidence are left out unless asked for (``min_confidence``).
DEFAULT_MIN_CONFIDENCE = 0.0


def checked_mode(mode: str) -> Mode:
    """``mode`` as a ``Mode``; ``ValueError`` naming the choices otherwise."""
    for known in MODES:
        if mode == known:
            return known
    raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")


def checked_scope(scope: str) -> Scope:
    """``scope`` as a ``Scope``; ``ValueError`` naming the choices otherwise."""
    for known in SCOPES:
        if scope == known:
            return known
    raise ValueError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")


def checked_min_confidence(value: float) -> float:
    """``value`` if it lies in [0, 1]; ``ValueError`` otherwise."""
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"min_confidence must be between 0 and 1, not {value!r}")
    return value
