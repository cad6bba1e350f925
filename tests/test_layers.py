"""Layers that only point down: every import in ``onrecord/`` (at module level, inside functions
or under ``TYPE_CHECKING``) goes to the importer's own package or to a package below it in
``LAYERS``, and no two modules import each other, directly or round a longer cycle. An import
inside a function says why it is not at the top (a comment on its line or the line above): an
optional or heavy dependency, or what a light entry point must not load.

Read with Python's ``ast``, so the imports are the ones in the files, whatever runs.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "onrecord"

#: The stack, lowest first. A module of layer ``k`` imports from layers below ``k`` and from its
#: own package only: the run-time stages in the order data flows, then what serves or scales them,
#: then evaluation and training, which run the engine as a user would, then the command line.
LAYERS: tuple[str, ...] = (
    "errors",
    "version",
    "options",
    "lexicon",
    "model",
    "schema",
    "ingest",
    "nlp",
    "attribution",
    "learn",
    "resolve",
    "relate",
    "engine",
    "component",
    "pipeline",
    "render",
    "store",
    "corpus",
    "scale",
    "serve",
    "datasets",
    "evaluate",
    "training",
    "cli",
    "__init__",  # the facade: ``onrecord.extract`` and the public names
    "__main__",
)


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module name
    target: str  # dotted module name (the module, not a name inside it)
    line: int
    in_function: bool
    commented: bool


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(root: Path = PACKAGE) -> dict[str, Path]:
    return {module_name(p, root): p for p in sorted(root.rglob("*.py"))}


def imports(path: Path, known: set[str], root: Path = PACKAGE) -> Iterator[Import]:
    """Every import in one file (of onrecord's modules or another package's)."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    inside = {id(n) for f in functions for n in ast.walk(f) if isinstance(n, ast.Import | ast.ImportFrom)}
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            # "from onrecord.x import y" imports the module onrecord.x.y where there is one
            targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in known else module for a in node.names]
        else:
            continue
        line = lines[node.lineno - 1]
        above = lines[node.lineno - 2].strip() if node.lineno >= 2 else ""
        commented = "#" in line or above.startswith("#")
        for target in dict.fromkeys(targets):
            yield Import(name, target, node.lineno, id(node) in inside, commented)


def ours(found: list[Import]) -> list[Import]:
    """The imports of onrecord's own modules."""
    return [i for i in found if i.target == "onrecord" or i.target.startswith("onrecord.")]


def layer(module: str) -> tuple[int, str]:
    """(rank in LAYERS, package) of a dotted module name."""
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    if top not in LAYERS:
        raise AssertionError(f"{module}: its package {top!r} is not in LAYERS (tests/test_layers.py)")
    return LAYERS.index(top), top


def upward(found: list[Import]) -> list[str]:
    wrong = []
    for i in ours(found):
        (rank, top), (target_rank, target_top) = layer(i.importer), layer(i.target)
        if top != target_top and target_rank >= rank:
            wrong.append(f"{i.importer}:{i.line} imports {i.target} ({target_top} is not below {top})")
    return wrong


def cycles(found: list[Import]) -> list[list[str]]:
    """The import cycles among modules (strongly connected components of two or more, or a
    module importing itself), by Tarjan's algorithm."""
    graph: dict[str, set[str]] = defaultdict(set)
    for i in ours(found):
        graph[i.importer].add(i.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found_cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found_cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found_cycles


def all_imports(root: Path = PACKAGE) -> list[Import]:
    known = modules(root)
    return [i for path in known.values() for i in imports(path, set(known), root)]


def test_every_package_has_a_layer() -> None:
    for name in modules():
        layer(name)


def test_no_import_points_up_the_stack() -> None:
    assert upward(all_imports()) == []


def test_no_import_cycles() -> None:
    assert cycles(all_imports()) == []


def test_imports_inside_functions_say_why() -> None:
    """Every import inside a function (of onrecord's modules or another package) carries a
    comment saying which dependency or entry point requires it there."""
    missing = {f"{i.importer}:{i.line}" for i in all_imports() if i.in_function and not i.commented}
    assert sorted(missing) == []


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "onrecord" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "onrecord"


@pytest.mark.parametrize(
    ("files", "up", "cycle"),
    [
        pytest.param(
            {"__init__.py": "", "model.py": "", "store/__init__.py": "from onrecord.model import x\n"},
            [],
            [],
            id="downward",
        ),
        pytest.param(
            {
                "__init__.py": "",
                "store/__init__.py": "",
                "store/base.py": "def f():\n    from onrecord.corpus.identity import g\n",
                "corpus/__init__.py": "",
                "corpus/identity.py": "",
            },
            ["onrecord.store.base:2 imports onrecord.corpus.identity (corpus is not below store)"],
            [],
            id="upward inside a function",
        ),
        pytest.param(
            {
                "__init__.py": "",
                "resolve/__init__.py": "from onrecord.resolve import b\n",
                "resolve/b.py": "from .. import resolve\nfrom onrecord.resolve import __name__ as n\n",
            },
            [],
            [["onrecord.resolve", "onrecord.resolve.b"]],
            id="cycle inside a package",
        ),
    ],
)
def test_the_checks_find_what_they_look_for(
    tmp_path: Path, files: dict[str, str], up: list[str], cycle: list[list[str]]
) -> None:
    root = write(tmp_path, files)
    found = all_imports(root)
    assert (upward(found), cycles(found)) == (up, cycle)


def test_the_developer_map_lists_the_layers_in_order() -> None:
    """docs/development.md's map of the packages names every package once, in LAYERS' order."""
    text = (PACKAGE.parent / "docs" / "development.md").read_text(encoding="utf-8")
    rows = text.split("## A map of the packages", 1)[1].splitlines()
    named = [
        n for row in rows if row.startswith("| `") for n in re.findall(r"`([a-z_]+)`", row.split("|")[1])
    ]
    packages = {p.name.removesuffix(".py") for p in PACKAGE.iterdir() if p.name != "__pycache__"}
    expected = [name for name in LAYERS if name in packages and name not in ("__init__", "__main__")]
    assert named == expected
