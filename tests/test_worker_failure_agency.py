"""A return whose reader worker dies (a native crash, the OS's memory cap) or takes too long keeps
the agency its file name gives, as a return refused inside the worker (a zip bomb) does: that
agency is unusable, never missing, in validate's account, status and collate's Agencies sheet.

The worker is made to die by a serve function of this module that replaces the real one: with
fork it is inherited, with spawn the child imports this module (tests/ is on its sys.path)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import openpyxl
import pytest
from conftest import row, write_return
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.pipeline import workers
from sarkit.returns import ReadOptions, read_returns
from sarkit.review import load_review

runner = CliRunner()
_REAL_SERVE = workers._serve  # the module's own, whatever a test patches later

REVIEW = """[review]
reference = "SAR-TEST-1"
subject = "Adult T"
period_start = 2025-01-01
period_end = 2025-12-31

[[agencies]]
name = "Northshire Police"
short = "Police"
files = ["*police*"]

[[agencies]]
name = "Testshire Housing"
short = "Housing"
files = ["*housing*"]
"""

CRASHED = ("The file was refused: the reader stopped abnormally (the file may be crafted to exhaust "
           "memory or crash the program).")


def _serve_failing(conn, options) -> None:
    """The real worker, whose reading of a file named '...crash...' dies at once (os._exit, as a
    native crash would) and of one named '...slow...' outlasts the timeout."""
    import sarkit.returns as returns

    real = returns.read_return

    def read_return(path, options):
        if "crash" in Path(path).name:
            os._exit(3)
        if "slow" in Path(path).name:
            time.sleep(60)
        return real(path, options)

    returns.read_return = read_return
    _REAL_SERVE(conn, options)


@pytest.fixture
def failing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(workers, "_serve", _serve_failing)
    (tmp_path / "review.toml").write_text(REVIEW, encoding="utf-8")
    write_return(tmp_path / "returns" / "police.xlsx", [row()])
    write_return(tmp_path / "returns" / "housing crash.xlsx", [row()])
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_crashed_return_keeps_its_agency_in_the_account(failing):
    result = runner.invoke(app, ["validate", "--format", "json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    crashed = next(f for f in data["files"] if f["path"] == "returns/housing crash.xlsx")
    assert (crashed["agency"], [(f["code"], f["message"]) for f in crashed["findings"]]) == (
        "Testshire Housing", [("file-refused", CRASHED)])
    account = data["account"]
    assert account["missing"] == []
    assert [(u["agency"], u["file"]) for u in account["unusable"]] == [
        ("Testshire Housing", "returns/housing crash.xlsx")]


def test_a_crashed_return_is_unusable_in_status_and_the_agencies_sheet(failing):
    status = runner.invoke(app, ["status", "--format", "json"])
    assert status.exit_code == 1, status.output
    states = {a["agency"]: a["state"] for a in json.loads(status.stdout)["agencies"]}
    assert states == {"Northshire Police": "received", "Testshire Housing": "unusable"}
    collated = runner.invoke(app, ["collate", "-o", "out/combined.xlsx", "--force"])
    assert collated.exit_code == 1, collated.output
    book = openpyxl.load_workbook("out/combined.xlsx", read_only=True)
    rows = list(book["Agencies"].iter_rows(values_only=True))
    book.close()  # read-only: the file stays open until closed
    columns = {name: rows[0].index(name) for name in ("Agency", "Missing Return", "Unusable Return")}
    housing = next(r for r in rows if r[columns["Agency"]] == "Testshire Housing")
    assert (housing[columns["Missing Return"]], housing[columns["Unusable Return"]]) == ("no", "yes")


def test_a_return_read_too_long_keeps_its_agency(failing, monkeypatch):
    write_return(failing / "returns" / "police slow.xlsx", [row()])
    options = ReadOptions(review=load_review(failing / "review.toml"), timeout=0.5)
    results = {r.path: r for r in read_returns([Path("returns")], options)}
    slow = results["returns/police slow.xlsx"]
    assert (slow.agency, [f.message for f in slow.findings]) == (
        "Northshire Police", ["The file was refused: reading it took longer than 0 seconds."])
    assert results["returns/housing crash.xlsx"].agency == "Testshire Housing"
    assert results["returns/police.xlsx"].agency == "Northshire Police"  # read, or too long (spawn)


def test_with_no_files_pattern_the_crashed_return_takes_agency_or_none(failing):
    options = ReadOptions(review=load_review(failing / "review.toml"), agency="Housing")
    crash = failing / "returns" / "other crash.xlsx"
    write_return(crash, [row()])
    [result] = read_returns([crash], options)
    assert result.agency == "Testshire Housing"
    [result] = read_returns([crash], ReadOptions(review=load_review(failing / "review.toml")))
    assert result.agency is None
