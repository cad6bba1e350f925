"""The README's examples are the commands' real output, every example command line in the
README and in every page of docs/ parses with the options the CLI has today, and every relative
link of those pages leads to a file and heading that exist: run here so they cannot drift."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from shared_data import need_data

from onrecord.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
#: The documentation pages (docs/cli.md, generated from --help, among them).
DOCS = sorted((ROOT / "docs").glob("*.md"))


def blocks(kind: str) -> list[str]:
    """The bodies of the README's fenced blocks of one kind (console, json, bash)."""
    return re.findall(rf"^```{kind}\n(.*?)^```", README, flags=re.S | re.M)


def sessions() -> dict[str, list[str]]:
    """``{command: output lines}`` for each ``$ onrecord ...`` line of the console blocks."""
    found: dict[str, list[str]] = {}
    for body in blocks("console"):
        command = None
        for line in body.splitlines():
            if line.startswith("$ "):
                command = line[2:]
                found[command] = []
            elif command is not None:
                found[command].append(line)
    return found


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding examples/ and ex.db as the README makes it (onrecord ingest ex.db examples/)."""
    folder = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "examples", folder / "examples")
    return folder


@pytest.fixture(scope="module")
def extracted(example: Path, monkeypatch_module: pytest.MonkeyPatch) -> dict[str, object]:
    monkeypatch_module.chdir(example)
    data: dict[str, object] = json.loads(run("extract", "examples/harbour-ferry.txt", "--format", "json"))
    return data


@pytest.fixture(scope="module")
def monkeypatch_module() -> object:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_the_table_example_is_what_extract_gives(extracted: dict[str, object]) -> None:
    command = "onrecord extract examples/harbour-ferry.txt --format table"
    lines = sessions()[command]
    header = lines[1]
    columns = ["#", "speaker", "type", "cue", "content", "medium", "addressee"]
    starts = [re.search(rf"(?<![^ ]){re.escape(name)}(?= |$)", header).start() for name in columns]  # type: ignore[union-attr]
    quotes = extracted["quotes"]
    assert isinstance(quotes, list)
    assert lines[0].endswith(f"({len(quotes)} quotations)")
    rows = lines[2:]
    assert len(rows) == len(quotes)
    for row, quote in zip(rows, quotes, strict=True):
        cells = [row[a:b].strip() for a, b in zip(starts, [*starts[1:], None], strict=True)]
        _, speaker, kind, cue, content, medium, addressee = cells
        assert speaker == (quote["speaker"] or {}).get("name", "")
        assert kind == quote["type"]
        assert cue == (quote["cue"] or {}).get("text", "")
        assert " ".join(p["text"] for p in quote["content"]).startswith(content.removesuffix("…"))
        assert medium == (quote["medium"] or {}).get("text", "")
        assert addressee == (quote["addressee"] or {}).get("text", "")


def test_the_json_example_is_part_of_what_extract_gives(extracted: dict[str, object]) -> None:
    [shown] = [json.loads(body) for body in blocks("json") if '"schema": "onrecord.article' in body]
    for key in ("schema", "source_path", "title", "published"):
        assert shown[key] == extracted[key], key
    entities = {e["id"]: e for e in extracted["entities"]}  # type: ignore[attr-defined]
    for entity in shown["entities"]:
        real = entities[entity["id"]]
        shown_keys = [k for k in entity if k != "mentions"]
        assert {k: real[k] for k in shown_keys} == {k: entity[k] for k in shown_keys}
        assert all(m in real["mentions"] for m in entity["mentions"])  # mentions abridged
    quotes = {q["id"]: q for q in extracted["quotes"]}  # type: ignore[attr-defined]
    for quote in shown["quotes"]:
        real = quotes[quote["id"]]
        assert {k: real.get(k) for k in quote} == quote


@pytest.fixture(scope="module")
def ex_db(example: Path, monkeypatch_module: pytest.MonkeyPatch) -> Path:
    monkeypatch_module.chdir(example)
    CliRunner().invoke(cli, ["ingest", "ex.db", "examples/", "--no-progress"])
    return example / "ex.db"


def test_the_corpus_examples_are_what_the_commands_print(ex_db: Path) -> None:
    shown = sessions()
    speakers = "onrecord speakers ex.db --format csv"
    assert run(*shlex.split(speakers)[1:]).splitlines() == shown[speakers]
    search = "onrecord search ex.db timetable --speaker okafor --format nl"
    real = [json.loads(line) for line in run(*shlex.split(search)[1:]).splitlines()]
    lines = shown[search]
    assert len(lines) == len(real)
    for line, row in zip(lines, real, strict=True):
        # the README leaves keys out with "...": each key it shows has the value printed
        given = json.loads(line.replace(", ...,", ","))
        assert {k: row[k] for k in given} == given


def test_the_stance_example_is_what_stance_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seed = need_data("seed")
    monkeypatch.chdir(tmp_path)
    run("ingest", "seed.db", str(seed), "--no-progress")
    command = 'onrecord stance seed.db "national inquiry into grooming gangs"'
    printed = run(*shlex.split(command)[1:]).splitlines()
    shown = sessions()[command]
    # the README leaves out the evidence lines under each speaker: what it shows comes in order
    at = iter(printed)
    assert all(any(line == p for p in at) for line in shown), printed


def command_lines(text: str) -> list[str]:
    """Every ``onrecord ...`` command line of a text's examples: continuation lines joined,
    ``&&`` chains split, comments and the ``$`` prompt dropped."""
    joined = re.sub(r"\\\n\s*", " ", text)
    found = []
    for raw in joined.splitlines():
        line = re.split(r" [>|] ", raw.strip().removeprefix("$ "))[0]  # no redirection or pipe
        for part in line.split("&&"):
            part = part.strip()
            if part.startswith("onrecord "):
                found.append(part)
    return found


def parse(args: list[str]) -> None:
    """Parse a command line as the CLI would, down to the command it names, without running it."""
    command: click.Command = cli
    # with the root's context settings (-h as well as --help), as the CLI runs: a command caches
    # its help option the first time it is asked for it, and docs/cli.md is rendered from the same
    # command objects in the same test process
    ctx = click.Context(cli, info_name="onrecord", **cli.context_settings)
    name, tokens = "onrecord", list(args)
    while isinstance(command, click.Group):
        if tokens and tokens[0] not in command.commands and "show" in command.commands:
            tokens = ["show", *tokens]  # onrecord speaker DB NAME (a group with a default command)
        found, sub, tokens = command.resolve_command(ctx, tokens)
        assert sub is not None and found is not None, tokens
        name, command = found, sub
        if isinstance(command, click.Group):
            ctx = click.Context(command, info_name=name, parent=ctx)
    command.make_context(name, tokens, parent=ctx)


def fenced(text: str) -> str:
    """The insides of a Markdown text's fenced blocks, one after another."""
    return "\n".join(re.findall(r"^```[a-z]*\n(.*?)^```", text, flags=re.S | re.M))


EXAMPLES = sorted(
    set(command_lines(fenced(README))).union(
        *(command_lines(fenced(page.read_text(encoding="utf-8"))) for page in DOCS)
    )
)


@pytest.mark.parametrize("line", EXAMPLES)
def test_every_example_command_line_parses(
    line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # parsing opens an output file (-o view.html): here, not in the checkout
    args = shlex.split(line, comments=True)[1:]
    args = [a for a in args if a not in ("[--mode", "fast]", "[--pages", "ID,...]")]  # optional parts
    try:
        parse(args)
    except click.BadParameter as err:
        # an example's input path that this checkout does not have (../shared, a user's file)
        if "does not exist" not in err.format_message():
            raise


def test_the_examples_are_found() -> None:
    assert len(EXAMPLES) > 40
    assert "onrecord search news.db -- '-Musk inquiry'" in EXAMPLES  # docs/cli.md
    assert {"docs/cli.md", "docs/training.md", "docs/accuracy.md"} <= {
        str(page.relative_to(ROOT)) for page in DOCS
    }
    assert any(line.startswith("onrecord train polnear") and "--features-only" in line for line in EXAMPLES)


def anchor(heading: str) -> str:
    """The id GitHub gives a Markdown heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(text: str) -> set[str]:
    """The ids of a page's headings (outside fenced blocks)."""
    prose = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return {anchor(m) for m in re.findall(r"^#{1,6} (.+)$", prose, flags=re.M)}


LINKED = [ROOT / "README.md", *DOCS]


@pytest.mark.parametrize("page", LINKED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    prose = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", prose):
        if re.match(r"[a-z]+:", target):
            continue  # http(s), mailto: not checked here
        path, _, fragment = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        missing_heading = (
            linked.exists()
            and linked.suffix == ".md"
            and bool(fragment)
            and fragment not in anchors(linked.read_text(encoding="utf-8"))
        )
        if not linked.exists() or missing_heading:
            broken.append(target)
    assert not broken, broken


def test_the_anchor_rule() -> None:
    assert anchor("The learned tagger (`--mode accurate`)") == "the-learned-tagger---mode-accurate"
    assert anchor("`onrecord extract`") == "onrecord-extract"
    assert anchor("A corpus: who said what across articles") == "a-corpus-who-said-what-across-articles"
