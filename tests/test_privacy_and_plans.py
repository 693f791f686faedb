"""Personal data left in glossaries and file names, surnames in capitals, agencies
made up from a plan's file name, diff's rejected rows of combined workbooks, status piped to a file."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import openpyxl
import pytest
from conftest import row, write_return
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.identifiers import Scanner

runner = CliRunner()


def names(text: str) -> list[str]:
    return [h.value for h in Scanner().scan(text) if h.kind == "name"]


# ---- a surname in capitals after a title (police style) ----

@pytest.mark.parametrize(("text", "found"), [
    ("Visit; Mrs THORNBURY (neighbour) present.", ["THORNBURY"]),
    ("Mr J THORNBURY called", ["J THORNBURY"]),
    ("Seen by Mr O'BRIEN and Mrs SMITH-JONES", ["O'BRIEN", "SMITH-JONES"]),
    ("Mrs McDONALD rang", ["McDONALD"]),  # the whole surname, not "Mc"
    ("Mr AND Mrs JONES", ["JONES"]),
    ("Mr Smith Mrs Jones", ["Smith", "Jones"]),  # a title is never the second word of a name
])
def test_a_surname_in_capitals_after_a_title_is_a_name(text, found):
    assert names(text) == found


@pytest.mark.parametrize("text", [
    "Mr NFA given", "Dr GP seen", "Mr PNC checked", "Mr BB", "Mr A", "MR SMITH",
])
def test_an_abbreviation_in_capitals_after_a_title_is_not_a_name(text):
    assert names(text) == []


def test_a_surname_in_capitals_is_redacted_by_collate(tmp_path, review_file):
    write_return(tmp_path / "returns" / "police.xlsx",
                 [row(event="Visit; Mrs THORNBURY (neighbour) present. Mr NFA.")])
    out = tmp_path / "combined.json"
    result = runner.invoke(app, ["collate", str(tmp_path / "returns"), "--review", str(review_file),
                                 "--redact", "-q", "-o", str(out)])
    assert result.exit_code == 1, result.output  # ASC and GP sent nothing: not complete
    assert "Redaction applied: 1 name after a title replaced" in result.stderr
    text = out.read_text("utf-8")
    assert "THORNBURY" not in text
    assert "Visit; Mrs [name] (neighbour) present. Mr NFA." in text


# ---- diff of two combined workbooks counts their rejected rows ----

def test_diff_of_combined_workbooks_gives_the_rows_their_about_sheets_rejected(tmp_path, review_file):
    write_return(tmp_path / "returns" / "police.xlsx", [row(day="03/03/2025", event="Visit"),
                                                         row(day="31/02/2025", event="Call")])
    for name in ("a.xlsx", "b.xlsx"):
        done = runner.invoke(app, ["collate", str(tmp_path / "returns"), "-o", str(tmp_path / name),
                                   "--review", str(review_file), "-q"])
        assert done.exit_code == 1, done.output  # a rejected row, two returns missing
    args = ["diff", str(tmp_path / "a.xlsx"), str(tmp_path / "b.xlsx"), "--review", str(review_file)]
    data = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    assert data["rejected_rows"] == {"old": 1, "new": 1}
    assert runner.invoke(app, args).stdout.splitlines()[1:] == [
        "1 row of the old version was rejected and not compared: its Findings sheet lists them",
        "1 row of the new version was rejected and not compared: its Findings sheet lists them",
    ]


# ---- status written to a file is not cropped at 80 columns ----

def test_status_to_a_file_is_not_cropped(tmp_path, review_file):
    police = write_return(tmp_path / "returns" / "police-chronology-with-a-long-file-name.xlsx", [row()])
    write_return(tmp_path / "returns" / "asc-chronology-needing-resubmission.xlsx",
                 [row(), row(day="31/02/2025")])
    received = dt.datetime(2026, 11, 30, 12, 0).timestamp()  # the day it came: never the clock's
    os.utime(police, (received, received))
    result = runner.invoke(app, ["status", str(tmp_path / "returns"), "--review", str(review_file),
                                 "--as-of", "01/12/2026"], env={"COLUMNS": None})
    lines = result.stdout.splitlines()
    # box characters, or | on a console that cannot show them (cp1252)
    cells = [[c.strip() for c in re.split("[┃│|]", line.strip())[1:-1]] for line in lines]
    assert ["Agency", "State", "Received", "Files", "Entries"] in cells
    assert ["Police", "received", "30/11/2026", "police-chronology-with-a-long-file-name.xlsx", "1"] in cells
    assert max(len(line.rstrip()) for line in lines) > 80


# ---- the Glossary sheet is scanned and redacted as the chronology is ----

GLOSSARY_MEANING = "Relative, 07700 900456, je@example.org, Mr Smithers next door"


def return_with_glossary(path: Path) -> Path:
    write_return(path, [row(event="Visit")])
    book = openpyxl.load_workbook(path)
    sheet = book.create_sheet("Glossary")
    sheet.append(["Abbreviation", "Meaning"])
    sheet.append(["JE", GLOSSARY_MEANING])
    book.save(path)
    return path


def test_validate_flags_identifiers_in_the_glossary_by_cell(tmp_path, review_file):
    path = return_with_glossary(tmp_path / "returns" / "police.xlsx")
    result = runner.invoke(app, ["validate", str(path), "--review", str(review_file), "--format", "json"])
    found = [(f["sheet"], f["cell"], f["message"]) for f in json.loads(result.stdout)["files"][0]["findings"]
             if f["code"] == "possible-identifier"]
    assert found == [
        ("Glossary", "B2", "Cell B2 (Meaning) may hold a phone number; check it before the chronology "
                           "is circulated."),
        ("Glossary", "B2", "Cell B2 (Meaning) may hold an email address; check it before the chronology "
                           "is circulated."),
        ("Glossary", "B2", "Cell B2 (Meaning) may hold a name after a title; check it before the "
                           "chronology is circulated."),
    ]
    assert "07700" not in result.stdout and "Smithers" not in result.stdout


def test_collate_and_new_imr_redact_the_glossary_and_count_it(tmp_path, review_file):
    return_with_glossary(tmp_path / "returns" / "police.xlsx")
    out = tmp_path / "combined.xlsx"
    result = runner.invoke(app, ["collate", str(tmp_path / "returns"), "--review", str(review_file),
                                 "--redact", "-q", "-o", str(out)])
    assert result.exit_code == 1, result.output  # ASC and GP missing
    assert ("Redaction applied: 1 phone number, 1 email address and 1 name after a title replaced"
            in result.stderr)
    rows = list(openpyxl.load_workbook(out)["Glossary"].iter_rows(values_only=True))
    assert rows == [("Abbreviation", "Meaning", "Agency"),
                    ("JE", "Relative, [phone], [email], Mr [name] next door", "Police")]
    imr = tmp_path / "imr.md"
    done = runner.invoke(app, ["new-imr", "--agency", "Police", "--redact", "--review", str(review_file),
                               str(tmp_path / "returns"), "-o", str(imr)])
    assert done.exit_code == 0, done.output
    text = imr.read_text("utf-8")
    assert "| JE | Relative, \\[phone\\], \\[email\\], Mr \\[name\\] next door |" in text
    assert "07700" not in text and "example.org" not in text and "Smithers" not in text


def test_without_redact_the_glossary_is_counted_not_changed(tmp_path, review_file):
    return_with_glossary(tmp_path / "returns" / "police.xlsx")
    out = tmp_path / "combined.xlsx"
    result = runner.invoke(app, ["collate", str(tmp_path / "returns"), "--review", str(review_file),
                                 "-q", "-o", str(out)])
    assert "1 phone number, 1 email address and 1 name after a title may remain" in result.stderr
    rows = list(openpyxl.load_workbook(out)["Glossary"].iter_rows(values_only=True))
    assert rows[1] == ("JE", GLOSSARY_MEANING, "Police")


# ---- a real name in a return's file name is shown through the pseudonyms in every output ----

def test_file_names_go_through_the_pseudonyms_in_every_output(tmp_path, review_file):
    review_file.write_text(review_file.read_text("utf-8") + '\n[pseudonyms]\n"Janet Ellingham" = "Adult Z"\n',
                           encoding="utf-8")
    write_return(tmp_path / "returns" / "Police chronology - Janet Ellingham.xlsx",
                 [row(day="03/03/2025"), row(day="31/02/2025")])
    (tmp_path / "returns" / "GP - Janet Ellingham.xlsx").write_bytes(b"PK\x03\x04broken")
    common = [str(tmp_path / "returns"), "--review", str(review_file)]
    gaps = runner.invoke(app, ["gaps", *common, "--format", "json", "--html", str(tmp_path / "pack.html")])
    assert gaps.exit_code == 1, gaps.output
    account = json.loads(gaps.stdout)["account"]
    assert [u["file"] for u in account["unusable"]] == [str(tmp_path / "returns" / "GP - Adult Z.xlsx")]
    assert [r["file"] for r in account["rejected_rows"]] == [
        str(tmp_path / "returns" / "Police chronology - Adult Z.xlsx")]
    assert "GP - Adult Z.xlsx" in (tmp_path / "pack.html").read_text("utf-8")
    status = runner.invoke(app, ["status", *common, "--as-of", "01/12/2026", "--format", "json"])
    assert [a["files"] for a in json.loads(status.stdout)["agencies"]] == [
        [str(tmp_path / "returns" / "Police chronology - Adult Z.xlsx")], [],
        [str(tmp_path / "returns" / "GP - Adult Z.xlsx")]]
    for result in (gaps, status):
        assert "Ellingham" not in result.stdout and "Ellingham" not in result.stderr
    assert "Ellingham" not in (tmp_path / "pack.html").read_text("utf-8")


# ---- an action plan's agency is one review.toml lists, never one made up from its file name ----

def fill_first_action(path: Path) -> None:
    """What an agency does with the plan: fill in row 2 (Ref, Recommendation, Action, Lead,
    Target Date, Status)."""
    book = openpyxl.load_workbook(path)
    sheet = book.active
    values = ["1", "Share referrals", "Audit", "DI Audit", "01/06/2026", "In progress"]
    for col, value in zip("ABDEFG", values, strict=True):
        sheet[f"{col}2"] = value
    book.save(path)


def actions_json(tmp_path: Path, review_file: Path, *extra: str) -> tuple[int, dict, str]:
    result = runner.invoke(app, ["actions", str(tmp_path / "plans"), "--review", str(review_file),
                                 "--as-of", "01/12/2026", "--format", "json", *extra])
    return result.exit_code, json.loads(result.stdout) if result.stdout else {}, result.stderr


def test_new_action_plan_fills_the_agency_cells_so_any_file_name_works(tmp_path, review_file):
    plans = tmp_path / "plans"
    for agency, name in (("GP", "plan-oakfield.xlsx"), ("police", "action-plan.xlsx")):
        made = runner.invoke(app, ["new-action-plan", "--agency", agency, "--review", str(review_file),
                                   "-o", str(plans / name)])
        assert made.exit_code == 0, made.output
    sheet = openpyxl.load_workbook(plans / "action-plan.xlsx").active
    assert sheet["C1"].value == "Agency"
    assert {sheet[f"C{r}"].value for r in range(2, 22)} == {"Testshire Police"}
    assert sheet["C22"].value is None
    for name in ("plan-oakfield.xlsx", "action-plan.xlsx"):
        fill_first_action(plans / name)
    code, report, _ = actions_json(tmp_path, review_file)
    assert code == 0
    assert [(a["agency"], a["actions"]) for a in report["agencies"]] == [
        ("Testshire Police", 1), ("Hill Surgery", 1)]
    assert report["without_plan"] == ["Testshire Adult Social Care"]
    assert report["findings"] == []


def test_a_plan_without_agency_cells_is_matched_to_review_toml_or_gets_a_finding(tmp_path, review_file):
    plans = tmp_path / "plans"
    for name in ("plan-oakfield.xlsx", "asc update v2.xlsx"):
        runner.invoke(app, ["new-action-plan", "-o", str(plans / name)])  # no --agency: no Agency cells
        fill_first_action(plans / name)
    code, report, stderr = actions_json(tmp_path, review_file)
    assert code == 0
    assert [a["agency"] for a in report["agencies"]] == ["Testshire Adult Social Care", "Unknown agency"]
    assert [(f["code"], f["file"].endswith("plan-oakfield.xlsx"), f["row"]) for f in report["findings"]] == [
        ("agency-unknown", True, 2)]
    assert "Oakfield" not in json.dumps(report["agencies"]) + json.dumps(report["without_plan"])
    assert report["without_plan"] == ["Testshire Police", "Hill Surgery"]


def test_an_agency_cell_review_toml_does_not_list_gets_a_finding_without_its_value(tmp_path, review_file):
    plans = tmp_path / "plans"
    runner.invoke(app, ["new-action-plan", "--agency", "Police", "--review", str(review_file),
                        "-o", str(plans / "police.xlsx")])
    fill_first_action(plans / "police.xlsx")
    book = openpyxl.load_workbook(plans / "police.xlsx")
    book.active["C2"] = "Oakfield Parish Council"
    book.save(plans / "police.xlsx")
    code, report, stderr = actions_json(tmp_path, review_file)
    assert code == 0
    [found] = report["findings"]
    assert (found["code"], found["severity"], found["cell"], found["row"]) == (
        "agency-not-listed", "warning", "C2", 2)
    assert found["message"] == ("The Agency in row 2 names an agency that is not in review.toml (it lists "
                                "Police, ASC and GP), so the action is listed under 'Unknown agency'.")
    assert [a["agency"] for a in report["agencies"]] == ["Unknown agency"]
    assert "Parish" not in stderr and "Parish" not in json.dumps(report)


def test_an_agency_review_toml_does_not_list_is_refused_as_new_imr_refuses_it(tmp_path, review_file):
    out = tmp_path / "plans" / "plan.xlsx"
    made = runner.invoke(app, ["new-action-plan", "--agency", "Nobody", "--review", str(review_file),
                               "-o", str(out)])
    imr = runner.invoke(app, ["new-imr", "--agency", "Nobody", "--review", str(review_file),
                              "-o", str(tmp_path / "imr.md")])
    assert (made.exit_code, imr.exit_code) == (2, 2)
    assert "The agency Nobody is neither in review.toml nor in the chronology." in made.stderr
    assert not out.exists()
    out.parent.mkdir(parents=True, exist_ok=True)
    refused = runner.invoke(app, ["actions", str(out.parent), "--agency", "Nobody",
                                  "--review", str(review_file)])
    assert refused.exit_code == 2
    assert "The agency Nobody is not in review.toml." in refused.stderr
