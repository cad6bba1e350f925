"""One exit-code rule for every command (docs/cli.md): 0 all done, 1 something failed (the rest
still done where there is a rest), 2 a usage error. Each command is run three ways: on good
input, with one failed input (among good ones where the command takes several), and with a
usage error. Invented inputs only."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from train_configs import small_config

from onrecord.cli import cli

STORY = (
    "Harbour plan splits council\n\n"
    "Ann Lee, the harbour master, said the ferry budget would not cover the winter timetable.\n\n"
    '"We cannot keep the boats running on hope," Lee told the Harbour Gazette.\n'
)
OTHER = 'Tom Reyes said: "The bridge will open in May, whatever the council decides."\n'

TEXT = (
    'The mayor said the budget was "balanced and fair." Critics disagreed.\n'
    '"We will not pay," Ms Ortiz told reporters, "not one cent."\n'
)

SMALL_CONFIG = small_config(epochs=2)


def _ann(text: str) -> str:
    """A brat file with one attribution: the mayor said ... ."""

    def at(piece: str) -> str:
        start = text.index(piece)
        return f"{start} {start + len(piece)}"

    return (
        f"T1\tSource {at('The mayor')}\tThe mayor\n"
        f"T2\tCue {at('said')}\tsaid\n"
        f"T3\tContent {at('the budget was')}\tthe budget was\n"
        f"T4\tAttribution {at('said')}\tsaid\n"
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    )


def _polnear(root: Path, *, broken: bool = False) -> Path:
    """A PolNeAR-shaped folder with three articles in train and dev; ``broken``: one .ann of dev
    refers to an annotation it does not have."""
    data = root / "data"
    rows = ["compartment\tfilename\tlevel\tannotators\tpublisher"]
    for split in ("train", "dev"):
        for folder in ("text", "attributions"):
            (data / split / folder).mkdir(parents=True)
        for n in range(3):
            doc = f"{split}-{n}"
            (data / split / "text" / f"{doc}.txt").write_text(TEXT, encoding="utf-8")
            ann = "E1\tAttribution:T9 Content:T8\n" if broken and split == "dev" and n == 1 else _ann(TEXT)
            (data / split / "attributions" / f"{doc}_aaaa.ann").write_text(ann, encoding="utf-8")
            rows.append(f"{split}\t{doc}\tNone\taaaa\tnobody")
    (data / "metadata.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root


def _pages(folder: Path, *, broken: bool = False) -> Path:
    """Annotated pages in the web-quotes (and seed) format; ``broken``: a third page whose text
    is not UTF-8."""
    folder.mkdir()
    for n, (text, speaker) in enumerate(((STORY, "Ann Lee"), (OTHER, "Tom Reyes"))):
        (folder / f"p{n}.txt").write_text(text, encoding="utf-8")
        content = "We cannot keep the boats running on hope" if n == 0 else "The bridge will open in May"
        gold = {"quotes": [{"id": "q1", "speaker": speaker, "content": content, "cue": "said"}]}
        (folder / f"p{n}.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    if broken:
        (folder / "p2.gold.json").write_text(json.dumps({"quotes": []}), encoding="utf-8")
        (folder / "p2.txt").write_bytes(b"\xff\xfe\x00broken")
    return folder


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Everything the cases use, made once: good inputs, a failing one, a corpus database."""
    root = tmp_path_factory.mktemp("exit")
    (root / "in").mkdir()
    (root / "in" / "a.txt").write_text(STORY, encoding="utf-8")
    (root / "in" / "b.txt").write_text(OTHER, encoding="utf-8")
    (root / "empty.txt").write_text("  \n", encoding="utf-8")  # E010: no text
    (root / "small.toml").write_text(SMALL_CONFIG, encoding="utf-8")
    _polnear(root / "polnear")
    _polnear(root / "polnear-broken", broken=True)
    _pages(root / "pages")
    _pages(root / "pages-broken", broken=True)
    result = CliRunner().invoke(
        cli, ["ingest", str(root / "c.db"), str(root / "in"), "--mode", "fast", "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    search = CliRunner().invoke(cli, ["search", str(root / "c.db"), "boats", "--format", "json"])
    (root / "quote_id").write_text(json.loads(search.stdout)[0]["quote_id"])
    return root


def _quote_id(place: Path) -> str:
    return (place / "quote_id").read_text()


# (command, case, args with {p} for the fixture folder, exit code); "db" is the ingested corpus
CASES: list[tuple[str, str, str, int]] = [
    ("extract", "ok", "{p}/in/a.txt {p}/in/b.txt --mode fast --format jsonl", 0),
    ("extract", "failed input", "{p}/in/a.txt {p}/nosuch.txt {p}/in/b.txt --mode fast --format jsonl", 1),
    ("extract", "usage", "{p}/in/a.txt --format xml", 2),
    ("ingest", "ok", "{p}/new.db {p}/in --mode fast --no-progress", 0),
    ("ingest", "failed input", "{p}/new-failed.db {p}/in {p}/empty.txt --mode fast --no-progress", 1),
    ("ingest", "usage", "{p}/new.db {p}/in --jobs 0", 2),
    ("batch", "ok", "{p}/in --out {p}/shards --mode fast --engine local", 0),
    ("batch", "failed input", "{p}/in {p}/empty.txt --out {p}/shards-failed --mode fast --engine local", 1),
    ("batch", "usage", "{p}/in", 2),
    ("search", "ok", "{p}/c.db boats", 0),
    ("search", "failed input", "{p}/nosuch.db boats", 1),
    ("search", "usage", "{p}/c.db boats --since 2025-13-01", 2),
    ("speakers", "ok", "{p}/c.db", 0),
    ("speakers", "failed input", "{p}/nosuch.db", 1),
    ("speakers", "usage", "{p}/c.db --limit 0", 2),
    ("speaker", "ok", "{p}/c.db 'Ann Lee'", 0),
    ("speaker", "failed input", "{p}/nosuch.db 'Ann Lee'", 1),
    ("speaker", "usage", "{p}/c.db 'Ann Le'", 2),
    ("status", "ok", "{p}/c.db", 0),
    ("status", "failed input", "{p}/nosuch.db", 1),
    ("status", "usage", "{p}/c.db --bogus", 2),
    ("export", "ok", "{p}/c.db --format csv", 0),
    ("export", "failed input", "{p}/nosuch.db", 1),
    ("export", "usage", "{p}/c.db --table nosuch", 2),
    ("quote", "ok", "{p}/c.db {quote_id}", 0),
    ("quote", "failed input", "{p}/nosuch.db {quote_id}", 1),
    ("quote", "usage", "{p}/c.db nosuch:q1", 2),
    ("relations", "ok", "{p}/c.db", 0),
    ("relations", "failed input", "{p}/nosuch.db", 1),
    ("relations", "usage", "{p}/c.db --speaker 'Nobody Known'", 2),
    ("stance", "ok", "{p}/c.db ferry", 0),
    ("stance", "failed input", "{p}/nosuch.db ferry", 1),
    ("stance", "usage", "{p}/c.db", 2),
    ("diversity", "ok", "{p}/c.db --by outlet --format csv", 0),
    ("diversity", "failed input", "{p}/nosuch.db", 1),
    ("diversity", "usage", "{p}/c.db --by topic", 2),
    ("serve", "failed input", "{p}/nosuch.db", 1),
    ("serve", "usage", "{p}/c.db --port x", 2),
    ("eval polnear", "ok", "{p}/polnear --mode fast", 0),
    ("eval polnear", "failed input", "{p}/polnear-broken --mode fast", 1),
    ("eval polnear", "usage", "{p}/nosuch", 2),
    ("eval quotes", "ok", "{p}/pages --mode fast", 0),
    ("eval quotes", "failed input", "{p}/pages-broken --mode fast", 1),
    ("eval quotes", "usage", "{p}/pages --mode slow", 2),
    ("eval seed", "ok", "{p}/pages --mode fast", 0),
    ("eval seed", "failed input", "{p}/pages-broken --mode fast", 1),
    ("eval seed", "usage", "{p}/nosuch", 2),
    ("train polnear", "failed input", "{p}/polnear-broken --out {p}/model-broken --config {p}/small.toml", 1),
    ("train polnear", "usage", "{p}/polnear", 2),
]


def _args(template: str, place: Path) -> list[str]:
    import shlex

    return shlex.split(template.format(p=place, quote_id=_quote_id(place)))


@pytest.mark.parametrize(
    ("command", "case", "template", "code"), CASES, ids=[f"{c[0]}-{c[1]}".replace(" ", "_") for c in CASES]
)
def test_exit_code(
    place: Path, command: str, case: str, template: str, code: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from onrecord.scale import batch

    monkeypatch.setattr(batch, "ray_available", lambda: False)  # worker processes: the same codes, sooner
    result = CliRunner().invoke(cli, [*command.split(), *_args(template, place)])
    assert result.exit_code == code, (result.output, result.exception)
    if code:
        assert "Error" in result.stderr or "E0" in result.stderr, result.stderr
    if case == "failed input" and command in ("ingest", "batch"):
        assert "empty.txt" in result.stderr and "E010" in result.stderr  # the failed input, named
    if case == "failed input" and command == "eval quotes":
        assert "Error: page p2:" in result.stderr and "p0" in result.stdout  # the good pages scored
    if case == "failed input" and command == "extract":
        assert "nosuch.txt" in result.stderr and len(result.stdout.splitlines()) == 2  # the good ones done


def test_train_exits_0_when_it_wrote_a_model(place: Path) -> None:
    pytest.importorskip("torch", reason="the train extra is not installed: bash scripts/setup.sh --train")
    out = place / "model"
    args = [
        "train",
        "polnear",
        str(place / "polnear"),
        "--out",
        str(out),
        "--config",
        str(place / "small.toml"),
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, (result.output, result.exception)
    assert (out / "tagger.onnx").is_file()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_exits_0_when_stopped(place: Path) -> None:
    """A server stopped with Ctrl-C (SIGINT) after serving ends with 0."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "onrecord",
        "serve",
        str(place / "c.db"),
        "--port",
        str(port),
        "--mode",
        "fast",
    ]
    server = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ.copy()
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/quotes", timeout=2) as answer:
                    assert answer.status == 200
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, server.stderr
                time.sleep(0.2)
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_every_command_is_in_the_table() -> None:
    import click

    def names(group: click.Group, prefix: str = "") -> set[str]:
        found: set[str] = set()
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                found |= names(command, f"{prefix}{name} ")
            else:
                found.add(f"{prefix}{name}")
        return found

    tested = {command for command, *_ in CASES} | {"speaker show"}  # speaker DB NAME is speaker show
    leaves = names(cli)
    # merge and split: their unknown names below; they share the code of the rest (_correct)
    assert leaves - tested <= {"speaker merge", "speaker split"}, leaves - tested


def test_a_correction_of_an_unknown_speaker_is_a_usage_error_with_a_hint(place: Path) -> None:
    result = CliRunner().invoke(cli, ["speaker", "split", str(place / "c.db"), "Ann Le", "A. Lee"])
    assert result.exit_code == 2
    assert "did you mean 'Ann Lee'?" in result.stderr
