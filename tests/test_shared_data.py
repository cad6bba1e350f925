"""``shared_data.need_data``: a test that reads ``../shared/data`` skips without it, and fails
instead under ``ONRECORD_REQUIRE_DATA=1`` (CI)."""

from __future__ import annotations

from pathlib import Path

import pytest
import shared_data
from shared_data import need_data


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``DATA`` pointed at a folder of the test's own holding one file, ``seed/x.gold.json``."""
    (tmp_path / "seed").mkdir()
    (tmp_path / "seed" / "x.gold.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(shared_data, "DATA", tmp_path)
    return tmp_path


def test_the_data_folder_is_next_to_the_repository() -> None:
    assert Path(__file__).resolve().parents[1].parent / "shared" / "data" == shared_data.DATA


@pytest.mark.parametrize("require", [None, "1"])
def test_present_data_is_its_path(data: Path, monkeypatch: pytest.MonkeyPatch, require: str | None) -> None:
    if require is None:
        monkeypatch.delenv("ONRECORD_REQUIRE_DATA", raising=False)
    else:
        monkeypatch.setenv("ONRECORD_REQUIRE_DATA", require)
    assert need_data("seed") == data / "seed"
    assert need_data("seed", "x.gold.json") == data / "seed" / "x.gold.json"


@pytest.mark.parametrize("require", [None, "0", ""])
def test_missing_data_skips(data: Path, monkeypatch: pytest.MonkeyPatch, require: str | None) -> None:
    if require is None:
        monkeypatch.delenv("ONRECORD_REQUIRE_DATA", raising=False)
    else:
        monkeypatch.setenv("ONRECORD_REQUIRE_DATA", require)
    with pytest.raises(pytest.skip.Exception, match=r"/polnear is absent "):
        need_data("polnear")


@pytest.mark.parametrize("parts", [("polnear",), ("seed", "missing.gold.json")])
def test_missing_data_fails_when_required(
    data: Path, monkeypatch: pytest.MonkeyPatch, parts: tuple[str, ...]
) -> None:
    monkeypatch.setenv("ONRECORD_REQUIRE_DATA", "1")
    with pytest.raises(pytest.fail.Exception) as failed:
        need_data(*parts)
    assert str(failed.value) == f"ONRECORD_REQUIRE_DATA=1 but {data.joinpath(*parts)} is absent"
