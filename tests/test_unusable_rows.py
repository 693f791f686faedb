"""An unusable return's `rows` in the closing account are the rows the file held, whatever made it
unusable; `rows_not_listed` says how many of them are rejected with the whole return rather than
listed one by one, so the numbers add up the same in every output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import HEADER, row, write_return
from test_agency_accounting import REVIEW
from typer.testing import CliRunner

from sarkit.account import Account, UnusableReturn
from sarkit.cli import app

runner = CliRunner()

POLICE = ("Police: unusable — returns/police.xlsx (its 3 rows under the header in row 1 of sheet "
          "Chronology are not in the chronology; they are listed as rejected rows): The Agency in row "
          "2 names an agency that is not in review.toml")
HOUSING = ("Housing: unusable — returns/housing.xlsx (its 2 rows under the header in row 1 of sheet "
           "Chronology are not in the chronology): The chronology has no Date column")


@pytest.fixture
def review(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """GP usable; Police's every row names an agency review.toml does not list (each row rejected
    and listed); Housing has no Date column (its rows rejected with the whole return)."""
    (tmp_path / "review.toml").write_text(REVIEW, encoding="utf-8")
    returns = tmp_path / "returns"
    write_return(returns / "gp.xlsx", [row(), row(day="04/03/2025")])
    write_return(returns / "police.xlsx", [[*row(day=day), "Northshire Fire Service"]
                                           for day in ("03/03/2025", "04/03/2025", "05/03/2025")],
                 header=[*HEADER, "Agency"])
    write_return(returns / "housing.xlsx", [["Concern received", "Case notes"], ["Visit", "Case notes"]],
                 header=["Event / Contact Details", "Source of Information"])
    monkeypatch.chdir(tmp_path)
    return returns


def _unusable(account: dict) -> list[tuple[str, int, int, bool]]:
    return [(u["file"], u["rows"], u["rows_not_listed"], u["rows_repeated"]) for u in account["unusable"]]


def test_every_unusable_return_gives_the_rows_it_held(review):
    """Before: the Police return whose 3 rows were each rejected and listed gave "rows": 0."""
    result = runner.invoke(app, ["validate", "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    account = data["account"]
    assert _unusable(account) == [("returns/housing.xlsx", 2, 2, False),
                                  ("returns/police.xlsx", 3, 0, False)]
    assert [(r["file"], r["row"]) for r in account["rejected_rows"]] == [
        ("returns/police.xlsx", 2), ("returns/police.xlsx", 3), ("returns/police.xlsx", 4)]
    # the rows rejected: those listed plus those not listed, of 7 rows read
    assert (data["summary"]["rejected_rows"], account["rows"], account["entries"]) == (5, 7, 2)
    lines = runner.invoke(app, ["validate"], env={"COLUMNS": "200"}).stdout.splitlines()
    assert [line[:len(POLICE)] for line in lines if line.startswith("Police: unusable")] == [POLICE]
    assert [line[:len(HOUSING)] for line in lines if line.startswith("Housing: unusable")] == [HOUSING]
    assert lines[-1] == ("Not complete: 2 entries in the chronology, 5 of 7 rows rejected (3 listed row "
                         "by row, 2 in 1 unusable file), 0 agencies missing, 2 agencies without a "
                         "usable return, 2 unusable files.")


def test_the_about_sheet_the_pack_and_gaps_say_the_same_rows(review, tmp_path):
    assert runner.invoke(app, ["collate", "-o", "out/c.xlsx"]).exit_code == 1
    sheet = openpyxl.load_workbook(tmp_path / "out" / "c.xlsx")["About"]
    said = [value for item, value, *_ in sheet.iter_rows(values_only=True)
            if isinstance(value, str) and ("could not be used" in value or "rejected" in value)]
    assert said[:3] == [
        "NO: The return housing.xlsx from Housing could not be used (its 2 rows under the header in "
        "row 1 of sheet Chronology are not in this chronology): The chronology has no Date column "
        "(row 1 has: Event / Contact Details, Source of Information).",
        "The return police.xlsx from Police could not be used (its 3 rows under the header in row 1 "
        "of sheet Chronology are not in this chronology; they are listed as rejected rows): The "
        "Agency in row 2 names an agency that is not in review.toml (it lists Police, GP and "
        "Housing), so the row is not put under any agency.",
        "5 rows were rejected and are not in this chronology: 3 rows listed here (police.xlsx row 2; "
        "police.xlsx row 3; police.xlsx row 4) and 2 rows of housing.xlsx, a return that could not "
        "be used."]
    gaps = runner.invoke(app, ["gaps", "out/c.xlsx", "--format", "json", "--html", "out/p.html"])
    assert _unusable(json.loads(gaps.stdout)["account"]) == [("returns/housing.xlsx", 2, 2, False),
                                                            ("returns/police.xlsx", 3, 0, False)]
    pack = (tmp_path / "out" / "p.html").read_text("utf-8")
    assert "(its 3 rows under the header in row 1 of sheet Chronology are not in this chronology; " \
           "they are listed as rejected rows)" in pack
    assert "3 rows listed here" in pack and "2 rows of housing.xlsx, a return that could not be used" in pack


def test_a_copy_under_another_agencys_name_gives_its_rows_as_repeated(review):
    shutil.copy(review / "gp.xlsx", review / "police.xlsx")
    account = json.loads(runner.invoke(app, ["validate", "--format", "json"]).stdout)["account"]
    assert _unusable(account)[1] == ("returns/police.xlsx", 2, 0, True)
    lines = runner.invoke(app, ["validate"], env={"COLUMNS": "200"}).stdout.splitlines()
    [police] = [line for line in lines if line.startswith("Police: unusable")]
    assert police.startswith("Police: unusable — returns/police.xlsx: This file has the same content")


def test_an_account_written_before_rows_not_listed_reads_rows_as_before():
    """An About sheet whose unusable returns carry `rows` but not `rows_not_listed`: its `rows`
    were the rows kept out with the return, and are read so."""
    old = Account.from_json({"entries": 3, "rows": 5, "rejected_row_count": 2, "rejected_rows": [],
                             "unusable": [{"agency": "ASC", "file": "asc.xlsx", "reason": "No Date.",
                                           "rows": 2}]})
    assert (old.unusable[0].kept_out, old.unusable_rows, old.unlisted, old.unaccounted) == (2, 2, 0, 0)
    new = Account(entries=3, rows=8, rejected_rows=5, unusable=[
        UnusableReturn("ASC", "asc.xlsx", "No Date.", "", 2, "Chronology", 1, 2),
        UnusableReturn("Police", "police.xlsx", "Not listed.", "", 3, "Chronology", 1, 0)])
    again = Account.from_json({**json.loads(json.dumps(new.to_json())), "rejected_row_count": 5})
    assert again.unusable == new.unusable and again.unusable_rows == 2
