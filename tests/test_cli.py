"""The ``onrecord`` command, run through click's CliRunner: help texts, exact error lines and exit
codes, and what ``extract`` writes in each format.

Every article here is invented.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import click
import jsonschema
import pytest
from click.testing import CliRunner, Result
from shared_data import need_data

import onrecord
from onrecord.cli import cli
from onrecord.errors import Errors
from onrecord.ingest import Document
from onrecord.model import Article, Quote, Span
from onrecord.schema import load_schema

FERRY = """Ferry timetable approved

Harbour City council approved a new ferry timetable on Tuesday.

"This will cut waiting times in half," said Mayor Elena Duarte, speaking to reporters outside the town hall.

Transport director Samuel Okafor said the changes would take effect in March. "We have listened to commuters," he told the council.
"""

BRIDGE = """Bridge repairs to finish early

"The crews have worked through the winter," said engineer Priya Natarajan on Monday.
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1"})


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding ferry.txt and bridge.txt (relative names keep messages short)."""
    (tmp_path / "ferry.txt").write_text(FERRY, encoding="utf-8")
    (tmp_path / "bridge.txt").write_text(BRIDGE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(runner: CliRunner, *args: str, input: str | None = None) -> Result:
    return runner.invoke(cli, list(args), input=input, catch_exceptions=False, terminal_width=80)


def jsonl(result: Result) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def check_article(data: dict[str, Any]) -> Article:
    """Validate against the schema and check that every span slices back to its text."""
    jsonschema.validate(data, load_schema())
    article = Article.from_dict(data)
    assert article.bad_spans() == []
    return article


# --- help and version --------------------------------------------------------------------------


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield prefix
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))
        else:
            yield (*prefix, name)


@pytest.mark.parametrize("path", list(_commands(cli)), ids=lambda p: " ".join(p) or "onrecord")
def test_every_help_text_has_an_example(runner: CliRunner, path: tuple[str, ...]) -> None:
    result = invoke(runner, *path, "--help")
    assert result.exit_code == 0
    assert "\nExample:\n" in result.stdout.replace("  Example:", "Example:")
    assert f"Usage: onrecord {' '.join(path)}".rstrip() in result.stdout


def test_root_help_exact(runner: CliRunner) -> None:
    result = invoke(runner, "--help")
    assert result.stdout == (
        "Usage: onrecord [OPTIONS] COMMAND [ARGS]...\n"
        "\n"
        "  Who said what, to whom, through which channel: attributed quotations from news\n"
        "  articles.\n"
        "\n"
        "  Example:\n"
        "\n"
        "      onrecord extract article.html --format table\n"
        "      onrecord ingest news.db pages/ -j 2 && onrecord serve news.db\n"
        "\n"
        "Options:\n"
        "  --version   Show the version and exit.\n"
        "  -h, --help  Show this message and exit.\n"
        "\n"
        "Commands:\n"
        "  batch      Extract a corpus into Parquet shards (articles, quotes,...\n"
        "  diversity  Who gets quoted: quotations and people quoted by gender, and...\n"
        "  eval       Score the extractor against annotated data.\n"
        "  export     Export a table as JSONL, CSV or Parquet (for pandas, DuckDB,...\n"
        "  extract    Extract attributed quotations from articles.\n"
        "  ingest     Extract articles into a corpus database, then link speakers...\n"
        "  quote      A quotation's provenance: every article that carried it, the...\n"
        "  relations  Who praises, criticises, thanks, accuses, supports or opposes...\n"
        '  search     Search quotations: words, "exact phrases", OR, -excluded...\n'
        "  serve      Serve a corpus: search, speaker, article and quotation pages,...\n"
        "  speaker    One speaker (onrecord speaker DB NAME), or correct speaker...\n"
        "  speakers   The most quoted speakers, with their counts.\n"
        "  stance     Who is for, who against, and who speaks of TOPIC without a...\n"
        "  status     What a corpus holds: articles, quotations, speakers, and...\n"
        "  train      Train the learned attribution model (needs the train extra:...\n"
    )


def test_version(runner: CliRunner) -> None:
    result = invoke(runner, "--version")
    assert (result.exit_code, result.stdout) == (0, f"onrecord, version {onrecord.__version__}\n")


def test_max_bytes_default_in_help_is_the_readers(runner: CliRunner) -> None:
    from onrecord.ingest.read import DEFAULT_MAX_BYTES

    assert DEFAULT_MAX_BYTES == 10 * 1024 * 1024
    assert "[default: 10 MiB]" in " ".join(invoke(runner, "extract", "--help").stdout.split())


# --- usage errors: exit 2 ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Error: Missing argument 'INPUT...'."),
        (
            ("a.txt", "--format", "xml"),
            "Error: Invalid value for '--format': 'xml' is not one of 'json', 'jsonl', 'table', 'html'.",
        ),
        (
            ("a.txt", "--max-bytes", "0"),
            "Error: Invalid value for '--max-bytes': 0 is not in the range x>=1.",
        ),
    ],
)
def test_usage_errors_exit_2(runner: CliRunner, args: tuple[str, ...], message: str) -> None:
    result = invoke(runner, "extract", *args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == message
    assert result.stdout == ""


# --- extract with the real engine ---------------------------------------------------------------


def test_extract_jsonl(runner: CliRunner, folder: Path) -> None:
    result = invoke(runner, "extract", "ferry.txt", "--format", "jsonl")
    assert (result.exit_code, result.stderr) == (0, "")
    [data] = jsonl(result)
    article = check_article(data)
    assert (article.source_path, article.title) == ("ferry.txt", "Ferry timetable approved")
    [duarte] = [q for q in article.quotes if "cut waiting times in half" in q.content_text]
    assert duarte.type == "direct"
    assert duarte.speaker is not None and duarte.speaker.name == "Elena Duarte"
    assert duarte.cue is not None and duarte.cue.text == "said"
    entity = article.entity(duarte.speaker.entity)
    assert entity is not None and entity.name == "Elena Duarte"


def test_bad_inputs_are_reported_and_the_good_one_is_still_written(runner: CliRunner, folder: Path) -> None:
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"GIF89a\x00\x01\x02")
    (folder / "latin1.txt").write_bytes("Caf\xe9 owners said little.".encode("latin-1"))
    result = invoke(
        runner,
        "extract",
        "missing.txt",
        "empty.txt",
        "ferry.txt",
        "binary.txt",
        "latin1.txt",
        "--format",
        "jsonl",
        "-q",
    )
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {Errors.E017.format(path='missing.txt')}\n"
        f"Error: {Errors.E010.format(path='empty.txt')}\n"
        f"Error: {Errors.E011.format(path='binary.txt')}\n"
        f"Error: {Errors.E012.format(path='latin1.txt', reason='byte 0xe9 at offset 3: invalid continuation byte')}\n"
    )
    [data] = jsonl(result)
    assert data["source_path"] == "ferry.txt"
    check_article(data)


def test_max_bytes(runner: CliRunner, folder: Path) -> None:
    size = len(BRIDGE.encode())
    result = invoke(
        runner, "extract", "bridge.txt", "ferry.txt", "--max-bytes", str(size), "--format", "jsonl", "-q"
    )
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {Errors.E013.format(path='ferry.txt', size=len(FERRY.encode()), limit=size)}\n"
    )
    assert [a["source_path"] for a in jsonl(result)] == ["bridge.txt"]


def test_no_clean_offsets_slice_back_to_the_input(runner: CliRunner, folder: Path) -> None:
    raw = "Listen to this article\n\n  " + FERRY.replace("\n\n", "\n\n\n") + "Share this article\n"
    (folder / "raw.txt").write_text(raw, encoding="utf-8")
    result = invoke(runner, "extract", "raw.txt", "--no-clean", "--format", "jsonl")
    assert result.exit_code == 0
    [data] = jsonl(result)
    article = check_article(data)
    assert article.text == raw
    spans = [s for q in article.quotes for s in q.spans()] + [m for e in article.entities for m in e.mentions]
    assert spans
    for span in spans:
        assert raw[span.start : span.end] == span.text
    cleaned = jsonl(invoke(runner, "extract", "raw.txt", "--format", "jsonl"))[0]
    assert "Listen to this article" not in cleaned["text"]
    check_article(cleaned)


def test_json_is_one_object_for_one_input_and_an_array_otherwise(runner: CliRunner, folder: Path) -> None:
    one = invoke(runner, "extract", "ferry.txt")
    assert one.exit_code == 0
    data = json.loads(one.stdout)
    assert data["schema"] == "onrecord.article.v4"
    assert one.stdout == json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    several = invoke(runner, "extract", "ferry.txt", "bridge.txt")
    items = json.loads(several.stdout)
    assert [a["source_path"] for a in items] == ["ferry.txt", "bridge.txt"]
    assert several.stdout == json.dumps(items, indent=2, ensure_ascii=False) + "\n"

    os.mkdir("news")
    os.rename("bridge.txt", os.path.join("news", "bridge.txt"))
    folder_result = invoke(runner, "extract", "news")
    assert [a["source_path"] for a in json.loads(folder_result.stdout)] == [
        os.path.join("news", "bridge.txt")
    ]

    nothing = invoke(runner, "extract", "missing.txt", "ferry-missing.txt")
    assert (nothing.exit_code, nothing.stdout) == (1, "[]\n")


def test_stdin_and_output_file(runner: CliRunner, folder: Path) -> None:
    result = invoke(runner, "extract", "-", "-o", "out.jsonl", "--format", "jsonl", input=BRIDGE)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    [data] = [json.loads(line) for line in (folder / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert data["source_path"] == "-"
    check_article(data)


def test_table(runner: CliRunner, folder: Path) -> None:
    result = invoke(runner, "extract", "ferry.txt", "bridge.txt", "--format", "table")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ferry.txt: Ferry timetable approved (")
    assert any(line.startswith("bridge.txt: Bridge repairs to finish early (") for line in lines)
    assert "Elena Duarte" in result.stdout
    assert "\x1b[" not in result.stdout  # no colour codes when not writing to a terminal


def test_html(runner: CliRunner, folder: Path) -> None:
    result = invoke(runner, "extract", "ferry.txt", "bridge.txt", "--format", "html")
    assert result.exit_code == 0
    assert result.stdout.startswith("<!doctype html>")
    assert result.stdout.count("<article ") == 2
    assert "Elena Duarte" in result.stdout


# --- extract with a stand-in pipeline: a failing article does not lose its batch ----------------


class FakePipeline:
    """Finds one quotation per article (the first quoted passage); fails on articles saying BOOM."""

    batch_size = 2
    calls: ClassVar[list[int]] = []

    def __init__(
        self, *, mode: str = "accurate", min_confidence: float = 0.0, scope: str = "quotations"
    ) -> None:
        self.mode = mode

    def process(self, documents: Iterable[Document]) -> Iterator[Article]:
        batch = list(documents)
        FakePipeline.calls.append(len(batch))
        for document in batch:
            if "BOOM" in document.text:
                raise ValueError("cannot parse")
            start = document.text.index('"')
            end = document.text.index('"', start + 1) + 1
            quote = Quote("q1", "direct", [Span.of(document.text, start, end)])
            yield Article(
                text=document.text, source_path=document.source_path, title=document.title, quotes=[quote]
            )


def test_a_failing_article_is_reported_and_the_rest_of_its_batch_is_kept(
    runner: CliRunner, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("onrecord.pipeline.Pipeline", FakePipeline)
    FakePipeline.calls = []
    (folder / "boom.txt").write_text('Title\n\n"BOOM," said the engineer.\n', encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    result = invoke(
        runner, "extract", "ferry.txt", "boom.txt", "empty.txt", "bridge.txt", "--format", "jsonl", "-q"
    )
    assert result.exit_code == 1
    # [ferry, boom] is read and run before empty.txt is read.
    assert result.stderr == (
        f"Error: {Errors.E020.format(reason='boom.txt: ValueError: cannot parse')}\n"
        f"Error: {Errors.E010.format(path='empty.txt')}\n"
    )
    articles = jsonl(result)
    assert [a["source_path"] for a in articles] == ["ferry.txt", "bridge.txt"]
    assert [a["quotes"][0]["content"][0]["text"] for a in articles] == [
        '"This will cut waiting times in half,"',
        '"The crews have worked through the winter,"',
    ]
    # Batches of two: [ferry, boom] fails and is redone one by one; [bridge] goes through.
    assert FakePipeline.calls == [2, 1, 1, 1]


# --- eval ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["polnear", "seed"])
def test_eval_on_a_folder_without_data_is_one_error_line(
    runner: CliRunner, tmp_path: Path, command: str
) -> None:
    result = invoke(runner, "eval", command, str(tmp_path))
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: [E0") and str(tmp_path) in line
    assert result.stdout == ""


@pytest.mark.slow
def test_eval_seed_json(runner: CliRunner) -> None:
    result = invoke(runner, "eval", "seed", str(need_data("seed")), "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["corpus"] == "seed" and report["summary"]["required"] > 0


def test_extract_scope(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "belief.txt").write_text(
        "Ana Ortiz said that the ferry would run late. Most commuters believe that the new "
        "timetable is worse than the old one.\n",
        encoding="utf-8",
    )
    said = check_article(json.loads(invoke(runner, "extract", "belief.txt", "--mode", "fast").stdout))
    assert [q.content_text for q in said.quotes] == ["that the ferry would run late"]
    everything = invoke(runner, "extract", "belief.txt", "--mode", "fast", "--scope", "attributions")
    wider = check_article(json.loads(everything.stdout))
    assert len(wider.quotes) == 2
    refused = runner.invoke(cli, ["extract", "belief.txt", "--scope", "all"])
    assert refused.exit_code == 2 and "'all' is not one of" in refused.output


def test_help_is_printed_without_spacy_and_h_is_help_everywhere() -> None:
    """``--help`` of a command that runs spaCy does not import it (0.06 s, not 0.7 s)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from onrecord.cli import cli\n"
        "for args in (['extract', '--help'], ['ingest', '-h'], ['eval', 'polnear', '-h'], ['serve', '-h'],"
        " ['batch', '--help'], ['train', 'polnear', '-h'], ['-h']):\n"
        "    try:\n"
        "        cli(args)\n"
        "    except SystemExit as done:\n"
        "        assert done.code == 0, (args, done.code)\n"
        "assert 'spacy' not in sys.modules, 'spaCy was imported for --help'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("Usage: ") == 7


def test_extract_over_several_inputs_reports_progress_unless_quiet(tmp_path: Path) -> None:
    """Piped, one line every 10 inputs and one at the end, on standard error; nothing with -q."""
    folder = tmp_path / "news"
    folder.mkdir()
    for n in range(23):
        (folder / f"s{n:02d}.txt").write_text(
            f'Ann Lee said: "The ferry will run on day {n} of the strike."\n'
        )
    (folder / "zz.txt").write_bytes(b"\x00binary")
    out = tmp_path / "out.jsonl"
    runner = CliRunner()
    result = runner.invoke(
        cli, ["extract", str(folder), "--mode", "fast", "--format", "jsonl", "-o", str(out)]
    )
    assert result.exit_code == 1  # one input failed, the rest written
    lines = [line for line in result.stderr.splitlines() if line.startswith("extract: ")]
    assert [line.split(",")[0] for line in lines] == [
        "extract: 10/24 inputs",
        "extract: 20/24 inputs",
        "extract: 24/24 inputs",
    ]
    assert "1 failed" in lines[-1] and len(out.read_text().splitlines()) == 23
    quiet = runner.invoke(
        cli, ["extract", str(folder), "--mode", "fast", "--format", "jsonl", "-o", str(out), "-q"]
    )
    assert quiet.exit_code == 1 and "extract: " not in quiet.stderr and "E011" in quiet.stderr
