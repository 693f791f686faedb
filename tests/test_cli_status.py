"""`sarkit status`: the returns tracker with due dates before and after the given day (issue 14
point 3); the day is injected with --as-of, never read from the clock."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import row, write_return
from typer.testing import CliRunner

from sarkit.cli import app

runner = CliRunner()

REVIEW = """
[review]
reference = "SAR-TEST-2"
period_start = 2025-01-01
period_end = 2025-12-31

[[agencies]]
name = "Testshire Police"
short = "Police"
files = ["*police*"]
contact = "police.sar@example.org"
due = 2025-03-14

[[agencies]]
name = "Testshire Adult Social Care"
short = "ASC"
files = ["*asc*"]
contact = "asc@example.org"
due = 2025-03-14

[[agencies]]
name = "Hill Surgery"
short = "GP"
files = ["*gp*"]
contact = "Practice manager, hill.surgery@example.org"
due = 2025-03-14

[[agencies]]
name = "Northshire Ambulance"
short = "Ambulance"
files = ["*ambulance*"]
due = 2025-04-30

[[agencies]]
name = "Testshire Housing"
short = "Housing"
files = ["*housing*"]
due = 2025-03-01

[[agencies]]
name = "Mental Health Trust"
short = "MHT"
files = ["*mht*"]
"""


def setup(tmp_path: Path) -> Path:
    (tmp_path / "review.toml").write_text(REVIEW, encoding="utf-8")
    returns = tmp_path / "returns"
    write_return(returns / "police.xlsx", [row(), row(day="04/03/2025")])
    write_return(returns / "asc.xlsx", [row(), row(day="31/02/2025")])  # one row to correct
    write_return(returns / "housing.xlsx", [])  # nil return
    (returns / "mht.xlsx").write_bytes(b"not a workbook at all")
    return tmp_path


def status(tmp_path: Path, *args: str):
    return runner.invoke(app, ["status", str(tmp_path / "returns"), "--review",
                               str(tmp_path / "review.toml"), *args])


def test_status_json_before_and_after_the_due_dates(tmp_path):
    setup(tmp_path)
    early = status(tmp_path, "--as-of", "10/03/2025", "--format", "json")
    assert early.exit_code == 1, early.output
    data = json.loads(early.stdout)
    assert data["as_of"] == "2025-03-10"
    got = {a["agency"]: (a["state"], a["entries"], a["due"], a["days_overdue"])
           for a in data["agencies"]}
    assert got == {
        "Testshire Police": ("received", 2, "2025-03-14", 0),
        "Testshire Adult Social Care": ("needs resubmission", 1, "2025-03-14", 0),
        "Hill Surgery": ("outstanding", 0, "2025-03-14", 0),
        "Northshire Ambulance": ("outstanding", 0, "2025-04-30", 0),
        "Testshire Housing": ("nil return", 0, "2025-03-01", 0),
        "Mental Health Trust": ("unusable", 0, None, 0),
    }
    police = data["agencies"][0]
    assert police["files"] == [str(tmp_path / "returns" / "police.xlsx")]
    assert police["contact"] == "police.sar@example.org"
    late = json.loads(status(tmp_path, "--as-of", "26/03/2025", "--format", "json").stdout)
    overdue = {a["agency"]: a["days_overdue"] for a in late["agencies"]}
    assert overdue == {"Testshire Police": 0, "Testshire Adult Social Care": 0,
                       "Hill Surgery": 12, "Northshire Ambulance": 0, "Testshire Housing": 0,
                       "Mental Health Trust": 0}


def test_chase_list_is_plain_text_to_paste(tmp_path):
    setup(tmp_path)
    chase = tmp_path / "out" / "chase.txt"
    result = status(tmp_path, "--as-of", "26/03/2025", "--chase", str(chase))
    assert result.exit_code == 1
    text = chase.read_text("utf-8")
    assert text.splitlines() == [
        "Chronology returns to chase for SAR-TEST-2 as of 26/03/2025:",
        "",
        "- Testshire Adult Social Care (contact: asc@example.org): the return asc.xlsx has "
        "1 problem to correct (see the feedback from sarkit validate --feedback); please correct "
        "it and send it again.",
        "",
        "- Hill Surgery (contact: Practice manager, hill.surgery@example.org): no chronology "
        "return has been received; it was due on 14/03/2025 and is 12 days overdue.",
        "",
        "- Northshire Ambulance (no contact in review.toml): no chronology return has been "
        "received; it is due on 30/04/2025.",
        "",
        f"- Mental Health Trust (no contact in review.toml): the return mht.xlsx could not be "
        f"used ({_reason(result.stdout)}); please send it again.",
    ]
    assert text in result.stdout.replace("\r\n", "\n")
    assert "Returns as of 26/03/2025" in result.stdout


def _reason(stdout: str) -> str:
    start = stdout.index("could not be used (") + len("could not be used (")
    return stdout[start:stdout.index("); please send it again", start)]


def test_everyone_received_exits_0(tmp_path):
    (tmp_path / "review.toml").write_text(
        '[[agencies]]\nname = "Testshire Police"\nfiles = ["*police*"]\ndue = 2025-03-14\n',
        encoding="utf-8")
    write_return(tmp_path / "returns" / "police.xlsx", [row()])
    result = status(tmp_path, "--as-of", "01/04/2025")
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith(
        "Chronology returns to chase as of 01/04/2025: none. Every agency's return has been "
        "received.")


def test_bad_due_date_in_review_toml_is_one_sentence(tmp_path):
    (tmp_path / "review.toml").write_text(
        '[[agencies]]\nname = "Testshire Police"\ndue = "next week"\n', encoding="utf-8")
    (tmp_path / "returns").mkdir()
    result = status(tmp_path)
    assert result.exit_code == 2
    assert "due is not a date" in result.stderr
    assert "Traceback" not in result.output


def test_without_paths_it_reads_returns_next_to_review_toml(tmp_path, monkeypatch):
    setup(tmp_path)
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path / "out")  # review.toml is found one folder up
    result = runner.invoke(app, ["status", "--as-of", "10/03/2025", "--format", "json"])
    assert [a["state"] for a in json.loads(result.stdout)["agencies"]] == [
        "received", "needs resubmission", "outstanding", "outstanding", "nil return", "unusable"]
