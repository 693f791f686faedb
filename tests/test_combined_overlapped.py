"""Reading a combined workbook with the native reader started while the intake limits measure it
(only where the OS caps the worker's memory), and the sequential read it falls back to."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import row, without_values_part, write_return
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.errors import SarkitError
from sarkit.pipeline import chronology
from sarkit.pipeline.workers import (
    WorkerStopped,
    call_isolated,
    in_background,
    limit_memory,
    memory_capped,
)
from sarkit.returns import MEMORY_LIMIT_BYTES


def _collated(tmp_path: Path, review_file: Path) -> Path:
    returns = tmp_path / "returns"
    write_return(returns / "police.xlsx", [
        row(day="03/03/2025", time="09:00", event="Welfare check"),
        row(day="May 2025", time="", event="Patrols"),
    ])
    write_return(returns / "asc.xlsx", [row(day="?06/05/2025", time="", event="Visit")])
    write_return(returns / "gp.xlsx", [row(day="01/03/2025", time="", event="GP letter")])
    done = CliRunner().invoke(app, ["collate", str(returns), "--review", str(review_file)])
    assert done.exit_code == 0, done.output
    return without_values_part(tmp_path / "out" / "combined.xlsx")  # read by the worker


def _read(path: Path, overlapped: bool) -> tuple:
    return call_isolated(chronology.read_combined_within_limits, path, None, overlapped,
                         what=f"The workbook {path}", memory_limit=MEMORY_LIMIT_BYTES, timeout=60)


def test_in_background_gives_the_result_or_raises_the_exception() -> None:
    assert in_background(sum, [1, 2, 3])() == 6
    failing = in_background(int, "not a number")
    with pytest.raises(ValueError):
        failing()


def _capped_in_a_child(limit: int) -> tuple[bool, bool]:
    before = memory_capped()
    limit_memory(limit)
    return before, memory_capped()


def test_memory_is_capped_in_a_worker_only_where_the_os_can_cap_it() -> None:
    before, after = call_isolated(_capped_in_a_child, MEMORY_LIMIT_BYTES, what="a test",
                                  memory_limit=0, timeout=60)
    assert before is False
    try:
        import resource  # noqa: F401 - Unix only; blocked in the simulated-Windows lane
    except ImportError:
        assert after is False
    else:
        assert after is True


def test_the_overlapped_read_gives_what_the_sequential_read_gives(tmp_path, review_file) -> None:
    path = _collated(tmp_path, review_file)
    overlapped_columns, overlapped_about = _read(path, True)
    columns, about = _read(path, False)
    assert overlapped_about == about
    assert chronology.entries_of(overlapped_columns) == chronology.entries_of(columns)
    assert [e.event for e in chronology.entries_of(columns)] == [
        "GP letter", "Welfare check", "Patrols", "Visit"]  # a month sorts before its days


def test_the_native_reader_starts_alongside_the_limits_only_where_memory_is_capped(
        tmp_path, review_file, monkeypatch) -> None:
    path = _collated(tmp_path, review_file)
    marker = tmp_path / "started alongside"
    real = chronology.in_background

    def marking(function, *args):
        marker.touch()
        return real(function, *args)

    monkeypatch.setattr(chronology, "in_background", marking)  # seen by a forked worker
    monkeypatch.setenv("SARKIT_START_METHOD", "fork")
    _read(path, False)
    assert not marker.exists()
    _read(path, True)
    try:
        import resource  # noqa: F401 - Unix only; blocked in the simulated-Windows lane
    except ImportError:
        assert not marker.exists()  # no cap: the limits are measured first, as before
    else:
        assert marker.exists()


def test_a_worker_that_dies_while_reading_alongside_is_followed_by_a_sequential_read(
        tmp_path, review_file, monkeypatch) -> None:
    path = _collated(tmp_path, review_file)
    asked: list[bool] = []
    real = chronology.call_isolated

    def dying_when_overlapped(function, *args, **kwargs):
        asked.append(args[-1])
        if args[-1]:
            raise WorkerStopped("The workbook was refused: the reader stopped abnormally.")
        return real(function, *args, **kwargs)

    monkeypatch.setattr(chronology, "call_isolated", dying_when_overlapped)
    entries, about = chronology.read_combined(path)
    assert asked == [True, False]
    assert len(entries) == 4 and about["reference"] == "SAR-TEST-1"


def test_a_refusal_of_the_overlapped_read_is_not_read_again(tmp_path, monkeypatch) -> None:
    asked: list[bool] = []

    def refusing(function, *args, **kwargs):
        asked.append(args[-1])
        raise SarkitError("The workbook was refused: it is larger than the limit for one file.")

    monkeypatch.setattr(chronology, "call_isolated", refusing)
    with pytest.raises(SarkitError, match="larger than the limit"):
        chronology.read_combined(tmp_path / "combined.xlsx")
    assert asked == [True]
