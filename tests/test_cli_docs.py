"""docs/cli.md is the CLI's current --help output (regenerate with scripts/cli_docs.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_cli_docs_are_current() -> None:
    spec = importlib.util.spec_from_file_location("cli_docs", ROOT / "scripts" / "cli_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = module.render()
    actual = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/cli.md is out of date: run python scripts/cli_docs.py"


def test_every_command_has_an_example() -> None:
    spec = importlib.util.spec_from_file_location("cli_docs", ROOT / "scripts" / "cli_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from click.testing import CliRunner

    from onrecord.cli import cli

    for words in module.commands():
        result = CliRunner().invoke(cli, [*words, "--help"])
        assert result.exit_code == 0 and "Example:" in result.output, f"onrecord {' '.join(words)} --help"
