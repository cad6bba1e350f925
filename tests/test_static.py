"""The package type-checks (mypy --strict, configured in pyproject.toml) and lints clean (ruff)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.slow
def test_mypy_strict() -> None:
    """mypy keeps its incremental cache in .mypy_cache (git ignores it), where a hand-run mypy
    keeps it too: without it each run would check every module afresh (90 s, not 2)."""
    pytest.importorskip("mypy")
    result = run(sys.executable, "-m", "mypy", "onrecord")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed")
    result = run(ruff, "check", "--no-cache", "onrecord", "tests", "benchmarks", "scripts")
    assert result.returncode == 0, result.stdout + result.stderr
