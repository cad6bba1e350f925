"""The error catalogue tells users what to install: every extra an E003 message names exists in
pyproject.toml, and every package an E008 message names is a core dependency (not an extra)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def calls(code: str) -> list[str]:
    """The text after every ``Errors.<code>.format(`` in the package, to the end of its line."""
    found = []
    for path in (ROOT / "onrecord").rglob("*.py"):
        found += re.findall(rf"Errors\.{code}\.format\((.*)", path.read_text(encoding="utf-8"))
    return found


def test_every_extra_named_exists() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    named = {m for args in calls("E003") for m in re.findall(r'extra="(\w+)"', args)}
    assert named and named <= set(extras), named - set(extras)


def test_core_dependencies_are_not_sent_to_an_extra() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {re.split(r"[\[=<>]", d)[0].lower() for d in project["dependencies"]}
    assert calls("E008")
    for args in calls("E008"):
        what = re.search(r'what="([^"]+)"', args)
        assert what is not None
        package = re.search(r"\(the (\S+) package\)", what.group(1))
        name = (package.group(1) if package else what.group(1)).lower()
        assert name in core, what.group(1)
