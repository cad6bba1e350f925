"""Write docs/cli.md from the CLI's own --help texts (tests/test_cli_docs.py checks it is current).

python scripts/cli_docs.py            # rewrite docs/cli.md
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from onrecord.cli import cli  # noqa: E402

EXIT_CODES = """## Exit codes

Every command: **0** when all was done; **1** when something failed: an input that could not be
read or extracted (the rest still done and recorded: `onrecord status DB --failures` lists
them), a database that is not there, a search that cannot be run, an annotated page or file that
an `eval` cannot read (it stops there: a score over part of the set would mislead); **2** for a
usage error (an unknown option, a missing argument, a path that is not there for `eval` or
`train`, a bad value: a date that is not one, a speaker or quotation id the corpus does not
hold, with the closest names as a hint), with the reason on standard error. A query that starts
with `-` follows `--`: `onrecord search news.db -- -excluded words`. `tests/test_exit_codes.py`
checks the three codes for every command.

"""


def commands(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> list[list[str]]:
    """Every command and group of the CLI, depth first, in the order they were defined."""
    found = [list(prefix)]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found.extend(commands(command, (*prefix, name)))
        else:
            found.append([*prefix, name])
    return found


def render() -> str:
    runner = CliRunner()
    parts = [
        "# Command line\n\n",
        "Generated from `onrecord ... --help` by `scripts/cli_docs.py`; a test fails when it is out of date.\n\n",
        EXIT_CODES,
    ]
    for words in commands():
        result = runner.invoke(cli, [*words, "--help"], prog_name="onrecord", terminal_width=100)
        if result.exit_code != 0:
            raise click.ClickException(f"onrecord {' '.join(words)} --help failed: {result.output}")
        title = " ".join(["onrecord", *words])
        parts.append(f"\n## `{title}`\n\n```\n{result.output.rstrip()}\n```\n")
    return "".join(parts)


if __name__ == "__main__":
    target = ROOT / "docs" / "cli.md"
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}")
