"""PolNeAR's article texts belong to their publishers: none of their phrases may sit in the
repository (code comments, tests, README). This scans every file git tracks for runs of six
words that occur in a PolNeAR article, and skips where ``../shared`` is absent (fails under
``ONRECORD_REQUIRE_DATA=1``)."""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

import pytest
from shared_data import need_data

from onrecord.evaluate.metrics import words

ROOT = Path(__file__).resolve().parents[1]
#: Words in a row that make a quoted phrase. Five gives generic English ("at the end of a").
RUN = 6
#: A run made only of words found in at least this share of the articles is stock English
#: ("at the end of the day, the ...", which tests/test_provenance.py needs), not a quotation.
COMMON_SHARE = 0.05
#: Binaries, and the model's word lists (its vocabulary, the encoder's word pieces): words one by
#: one, in an order of their own, not phrases.
SKIP_SUFFIXES = (".onnx", ".npz", ".png", ".ico", ".woff2", "model/vocab.json", "model/tokenizer.json")


def runs(tokens: list[str]) -> list[tuple[str, ...]]:
    return [tuple(tokens[i : i + RUN]) for i in range(len(tokens) - RUN + 1)]


def quoted_runs(corpus: dict[str, list[str]], files: dict[str, str]) -> list[str]:
    """``path:line: phrase`` for every run of ``RUN`` words of ``files`` found in ``corpus``
    (article file name -> its words). Stock English aside, and the articles' file names: they
    are the corpus's identifiers (the model's ``calibration_doc_ids`` lists them), made from the
    headline."""
    document_frequency: Counter[str] = Counter()
    known: set[tuple[str, ...]] = set()
    for tokens in corpus.values():
        document_frequency.update(set(tokens))
        known.update(runs(tokens))
    for name in corpus:
        known.difference_update(runs(words(name.replace("_", " "))))
    common = {w for w, n in document_frequency.items() if n >= COMMON_SHARE * len(corpus)}
    found = []
    for path, text in files.items():
        for number, line in enumerate(text.splitlines(), 1):
            for run in runs(words(line)):
                if run in known and not set(run) <= common:
                    found.append(f"{path}:{number}: {' '.join(run)}")
                    break
    return found


def test_the_scan_finds_a_phrase_and_passes_stock_english() -> None:
    corpus = {
        f"gazette_2025-03-{day:02d}_ferry-news.txt": words("At the end of the day the board met.")
        for day in range(1, 30)
    }
    # the file name is made from the headline, as PolNeAR's are
    corpus["gazette_2025-04-01_the-harbour-board-unveiled-a-slate-of-ferry.txt"] = words(
        "The harbour board unveiled a slate of ferry captains on Monday."
    )
    files = {
        "README.md": "As the board unveiled a slate of ferry captains, ...\nAt the end of the day the vote",
        "meta.json": '"gazette_2025-04-01_the-harbour-board-unveiled-a-slate-of-ferry"',
        "tests/x.py": "x = 1  # nothing from the corpus here",
    }
    assert quoted_runs(corpus, files) == ["README.md:1: unveiled a slate of ferry captains"]


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git checkout: no list of tracked files")
def test_no_polnear_phrase_is_in_the_repository() -> None:
    polnear = need_data("polnear", "data")
    corpus = {
        str(p.relative_to(polnear)): words(p.read_text(encoding="utf-8", errors="replace"))
        for p in sorted(polnear.rglob("*.txt"))
    }
    assert len(corpus) > 500, "PolNeAR's texts were not found where expected"
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, text=True
    ).stdout.split("\0")
    files = {}
    for name in filter(None, listed):
        path = ROOT / name
        if name.endswith(SKIP_SUFFIXES) or not path.is_file():
            continue
        try:
            files[name] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
    found = quoted_runs(corpus, files)
    assert not found, "PolNeAR text in the repository:\n" + "\n".join(found)
