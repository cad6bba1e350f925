"""The hashed locks are complete: `scripts/setup.sh` installs them with `--no-deps`, so a package
that a locked package needs and no lock pins would simply be missing. This module proves, for
this platform, that every requirement of every locked package (its markers evaluated, the extras
that other packages ask of it included) is pinned in the lock, at a version that satisfies it.

Requirements are read with `packaging` from the metadata of the packages installed in this venv,
which must be the locked versions (`scripts/setup.sh` makes it so; the test says when it is not).
"""

from __future__ import annotations

import importlib.metadata
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "lock.txt"
TRAIN_LOCK = ROOT / "requirements" / "train.txt"
TRAIN_IN = ROOT / "requirements" / "train.in"

Pins = dict[NormalizedName, Version]
Requires = Callable[[NormalizedName], list[Requirement]]


def logical_lines(text: str) -> Iterable[str]:
    """A requirements file's lines, continuations joined, comments and blank lines dropped."""
    for line in text.replace("\\\n", " ").splitlines():
        line = line.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            yield line


def read_requirements(text: str) -> list[Requirement]:
    """The requirements in a pip requirements file, without options (-c, -r, --hash=...)."""
    requirements = []
    for line in logical_lines(text):
        if line.startswith("-"):
            continue
        spec = " ".join(word for word in line.split() if not word.startswith("--"))
        requirements.append(Requirement(spec))
    return requirements


def read_lock(text: str) -> Pins:
    """A lock's pins, name -> version; every line must pin one exact version."""
    pins: Pins = {}
    for requirement in read_requirements(text):
        (spec,) = requirement.specifier  # a lock line has exactly one specifier
        assert spec.operator == "==", f"{requirement} is not pinned with =="
        pins[canonicalize_name(requirement.name)] = Version(spec.version)
    return pins


def unmet(roots: Iterable[Requirement], pins: Pins, requires: Requires) -> list[str]:
    """What the lock fails to provide, walking the requirements from `roots` down.

    Each requirement whose marker holds on this platform (with the extras asked of its package)
    must name a pinned package, at a pinned version that its specifier admits. The walk visits
    each (package, extra) once. Returns one line per unmet requirement, naming who needs what.
    """
    problems: list[str] = []
    seen: set[tuple[NormalizedName, str]] = set()
    todo: list[tuple[str, Requirement]] = [("the project", root) for root in roots]
    while todo:
        needed_by, requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{needed_by} requires {requirement}, which the lock does not pin")
            continue
        if not requirement.specifier.contains(pins[name], prereleases=True):
            problems.append(f"{needed_by} requires {requirement}, the lock pins {name}=={pins[name]}")
        for extra in ["", *(canonicalize_name(extra) for extra in requirement.extras)]:
            if (name, extra) in seen:
                continue
            seen.add((name, extra))
            for dependency in requires(name):
                if dependency.marker is None or dependency.marker.evaluate({"extra": extra}):
                    todo.append((f"{name}=={pins[name]}", dependency))
    return sorted(set(problems))


def installed_requires(pins: Pins) -> Requires:
    """Each package's requirements, from the installed distribution at its locked version."""

    def requires(name: NormalizedName) -> list[Requirement]:
        try:
            distribution = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            pytest.fail(f"{name} is locked but not installed: run bash scripts/setup.sh --train")
        if Version(distribution.version) != pins[name]:
            pytest.fail(
                f"{name} {distribution.version} is installed, the lock pins {pins[name]}: "
                "run bash scripts/setup.sh --train"
            )
        return [Requirement(line) for line in distribution.requires or []]

    return requires


def project_roots() -> list[Requirement]:
    """What lock.txt is compiled from: pyproject.toml's dependencies and its `test` extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(line) for line in project["dependencies"] + project["optional-dependencies"]["test"]]


def test_lock_is_complete() -> None:
    pins = read_lock(LOCK.read_text())
    assert unmet(project_roots(), pins, installed_requires(pins)) == []


def test_train_lock_is_complete() -> None:
    pins = read_lock(TRAIN_LOCK.read_text())
    if "torch" not in {canonicalize_name(d.metadata["Name"]) for d in importlib.metadata.distributions()}:
        pytest.skip("the train lock is not installed (bash scripts/setup.sh --train)")
    assert unmet(read_requirements(TRAIN_IN.read_text()), pins, installed_requires(pins)) == []


def test_train_lock_agrees_with_the_main_lock() -> None:
    """setup.sh installs both with --no-deps: a package in both must have one version."""
    main, train = read_lock(LOCK.read_text()), read_lock(TRAIN_LOCK.read_text())
    assert {
        name: (main[name], train[name]) for name in main.keys() & train.keys() if main[name] != train[name]
    } == {}


# The checker itself, on hand-made locks: it must fail when a dependency is dropped.

FAKE = {
    "web": ["parser[clean]>=4", "dates>=1"],
    "parser": ['cleaner; extra == "clean"', 'oldlib; python_version < "3.0"'],
    "cleaner": ["parser>=5"],
    "dates": [],
}


def fake_requires(name: NormalizedName) -> list[Requirement]:
    return [Requirement(line) for line in FAKE[name]]


FAKE_LOCK = (
    "web==1.0 \\\n    --hash=sha256:00\n    # via the project\nparser==6.1\ncleaner==0.4\ndates==1.1\n"
)


def test_unmet_passes_a_complete_lock() -> None:
    assert unmet([Requirement("web")], read_lock(FAKE_LOCK), fake_requires) == []


@pytest.mark.parametrize(
    ("dropped", "problem"),
    [
        # the package an extra brings (lxml[html_clean] -> lxml-html-clean was once dropped so)
        ("cleaner==0.4\n", "parser==6.1 requires cleaner"),
        ("dates==1.1\n", "web==1.0 requires dates>=1"),
        ("web==1.0 \\\n    --hash=sha256:00\n", "the project requires web"),
    ],
)
def test_unmet_names_a_dropped_dependency(dropped: str, problem: str) -> None:
    lock = FAKE_LOCK.replace(dropped, "")
    assert lock != FAKE_LOCK
    problems = unmet([Requirement("web")], read_lock(lock), fake_requires)
    assert [line for line in problems if line.startswith(problem)], problems


def test_unmet_names_a_version_the_specifier_refuses() -> None:
    lock = FAKE_LOCK.replace("parser==6.1", "parser==3.0")
    problems = unmet([Requirement("web")], read_lock(lock), fake_requires)
    assert problems == [
        "cleaner==0.4 requires parser>=5, the lock pins parser==3.0",
        "web==1.0 requires parser[clean]>=4, the lock pins parser==3.0",
    ]


def drop_entry(text: str, name: str) -> str:
    """A pip-compile lock without one package's entry (its pin, hashes and `# via` lines)."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{name}=="))
    end = next((i for i in range(start + 1, len(lines)) if lines[i][:1].isalnum()), len(lines))
    return "".join(lines[:start] + lines[end:])


def test_real_lock_without_lxml_html_clean_fails() -> None:
    """The real lock less lxml-html-clean: justext's lxml[html_clean] brings it, so it is unmet."""
    text = LOCK.read_text()
    pins = read_lock(drop_entry(text, "lxml-html-clean"))
    assert "lxml-html-clean" not in pins and len(pins) == len(read_lock(text)) - 1
    problems = unmet(project_roots(), pins, installed_requires(read_lock(text)))
    assert any(line.startswith("lxml==") and "lxml_html_clean" in line for line in problems), problems
