"""`sarkit actions` on hand-built messy plans, and `sarkit new-action-plan`, through the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from sarkit.cli import app


def run(*args: object, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, [str(a) for a in args], env=env)


def write_plan(path: Path, header: list[str], rows: list[list[object]], *, title: str | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Actions"
    if title:
        sheet.append([title])
        sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    """Three agencies' plans as they come back: titles, renamed headers, text dates, any case."""
    folder = tmp_path / "plans"
    write_plan(folder / "Police action plan.xlsx",
               ["Ref", "Recommendation", "Action to be Taken", "Responsible Officer", "Deadline",
                "Status", "RAG Status", "Update on Progress", "Evidence"],
               [
                   ["P1", "Share risk", "Train officers in MARAC referral", "DI Smith",
                    dt.datetime(2026, 1, 15), "in progress", "AMBER", "Half trained", None],
                   ["P2", "Share risk", "Audit referrals", "DS Khan", "31/03/2026", "COMPLETED", "green",
                    "Done", None],
                   ["P3", "Record", "Review DASH forms", "", "15 March 2026", "not started", "red",
                    None, None],
               ],
               title="Northshire Police – SAR-2025-07 action plan")
    write_plan(folder / "asc.xlsx",
               ["No", "Agency", "Action", "Owner", "Due Date", "Status", "RAG", "Progress",
                "Supporting Evidence", "Completion Date"],
               [
                   [1, "Adult Social Care", "Supervision audit", "Team manager", "01/02/2026",
                    "Complete", "Blue", "Audit done", "Audit report Jan 2026", "30/01/2026"],
                   [2, "ASC", "Refresh MCA training", "Principal SW", "2026-04-20", "In Progress",
                    "Amber", None, None, None],
                   [3, "asc", "Policy on self-neglect", None, None, None, None, None, None, None],
               ])
    write_plan(folder / "gp-plan.xlsx",
               ["Ref", "Action", "By Whom", "By When", "Status", "RAG"],
               [["G1", "Recall missed reviews", "Practice manager", "28/02/2026", "not achieved", "R"]])
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    (folder / "~$asc.xlsx").write_bytes(b"lock")
    return folder


@pytest.fixture
def review_file(tmp_path: Path) -> Path:
    path = tmp_path / "review.toml"
    path.write_text(
        '[review]\nreference = "SAR-2025-07"\nsubject = "Adult B"\n\n'
        '[[agencies]]\nname = "Northshire Police"\nshort = "Police"\n\n'
        '[[agencies]]\nname = "Adult Social Care"\nshort = "ASC"\naliases = ["asc"]\n\n'
        '[[agencies]]\nname = "Hill Surgery"\nshort = "GP"\nfiles = ["gp*"]\n',
        encoding="utf-8",
    )
    return path


EXPECTED = {
    "as_of": "2026-03-01",
    "agencies": [
        {"agency": "Northshire Police", "actions": 3,
         "by_status": {"Not started": 1, "In progress": 1, "Complete": 1, "Not achieved": 0},
         "by_rag": {"Red": 1, "Amber": 1, "Green": 1, "Blue": 0}},
        {"agency": "Adult Social Care", "actions": 3,
         "by_status": {"Not started": 0, "In progress": 1, "Complete": 1, "Not achieved": 0,
                       "Not recorded": 1},
         "by_rag": {"Red": 0, "Amber": 1, "Green": 0, "Blue": 1, "Not recorded": 1}},
        {"agency": "Hill Surgery", "actions": 1,
         "by_status": {"Not started": 0, "In progress": 0, "Complete": 0, "Not achieved": 1},
         "by_rag": {"Red": 1, "Amber": 0, "Green": 0, "Blue": 0}},
    ],
    "overdue": [
        {"agency": "Northshire Police", "ref": "P1", "action": "Train officers in MARAC referral",
         "target_date": "2026-01-15", "lead_officer": "DI Smith"},
        {"agency": "Hill Surgery", "ref": "G1", "action": "Recall missed reviews",
         "target_date": "2026-02-28", "lead_officer": "Practice manager"},
    ],
    "due_soon": [
        {"agency": "Northshire Police", "ref": "P3", "action": "Review DASH forms",
         "target_date": "2026-03-15", "lead_officer": ""},
    ],
    "completed_without_evidence": [
        {"agency": "Northshire Police", "ref": "P2", "action": "Audit referrals",
         "target_date": "2026-03-31", "lead_officer": "DS Khan"},
    ],
    "incomplete": [
        {"agency": "Northshire Police", "ref": "P3", "action": "Review DASH forms",
         "target_date": "2026-03-15", "lead_officer": ""},
        {"agency": "Adult Social Care", "ref": "3", "action": "Policy on self-neglect",
         "target_date": None, "lead_officer": ""},
    ],
    "without_plan": [],
    "progress": [
        {"agency": "Northshire Police", "ref": "P1", "status": "In progress",
         "latest_update": "Half trained"},
        {"agency": "Northshire Police", "ref": "P2", "status": "Complete", "latest_update": "Done"},
        {"agency": "Northshire Police", "ref": "P3", "status": "Not started", "latest_update": ""},
        {"agency": "Adult Social Care", "ref": "1", "status": "Complete",
         "latest_update": "Audit done"},
        {"agency": "Adult Social Care", "ref": "2", "status": "In progress", "latest_update": ""},
        {"agency": "Adult Social Care", "ref": "3", "status": "Not recorded", "latest_update": ""},
        {"agency": "Hill Surgery", "ref": "G1", "status": "Not achieved", "latest_update": ""},
    ],
}


def test_actions_json_gives_exact_counts_and_lists(plans, review_file):
    result = run("actions", plans, "--as-of", "01/03/2026", "--format", "json", "--review", review_file)
    assert result.exit_code == 1, result.output  # broken.xlsx could not be read: an input had an error
    report = json.loads(result.stdout)
    findings = report.pop("findings")
    assert report == EXPECTED
    assert [(f["code"], Path(f["file"]).name) for f in findings] == [("file-unreadable", "broken.xlsx")]
    assert result.stderr.startswith("Error: ")
    assert "broken.xlsx" in result.stderr and "damaged or incomplete" in result.stderr


def test_actions_without_review_toml_takes_agencies_from_rows_and_file_names(plans, tmp_path):
    result = run("actions", plans / "Police action plan.xlsx", plans / "gp-plan.xlsx",
                 "--as-of", "2026-03-01", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [(a["agency"], a["actions"]) for a in report["agencies"]] == [("Gp", 1), ("Police", 3)]
    assert report["findings"] == []
    assert result.stderr == ""


def test_actions_tables_for_people(plans, review_file):
    result = run("actions", plans, "--as-of", "01/03/2026", "--review", review_file)
    assert result.exit_code == 1, result.output  # broken.xlsx: the report stands, the exit says so
    out = result.stdout
    assert "Action plans as of 01/03/2026 — SAR-2025-07" in out
    assert "Overdue (2): Target date passed and not complete." in out
    assert "Completed without evidence (1)" in out
    assert "Train officers in MARAC" in out and "15/01/2026" in out
    assert "Incomplete (2)" in out


def test_actions_writes_markdown_and_html_reports(plans, review_file, tmp_path):
    md, html = tmp_path / "out" / "actions.md", tmp_path / "out" / "actions.html"
    result = run("actions", plans, "--as-of", "01/03/2026", "--review", review_file,
                 "--md", md, "--html", html)
    assert result.exit_code == 1, result.output  # broken.xlsx; the reports are still written
    text = md.read_text("utf-8")
    assert text.startswith("**OFFICIAL-SENSITIVE**\n\n# Action plans: progress as of 01/03/2026\n")
    assert "| Police | 3 | 1 | 1 | 1 | 0 |" in text
    assert "| GP | 1 | 0 | 0 | 0 | 1 |" in text
    assert "| Police | P1 | Train officers in MARAC referral | 15/01/2026 | DI Smith |" in text
    assert "## Plans with problems" in text
    page = html.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<h2>Overdue (2)</h2>" in page
    assert "<td>Recall missed reviews</td>" in page
    again = run("actions", plans, "--as-of", "01/03/2026", "--review", review_file, "--md", md)
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_the_html_report_escapes_what_plans_say(tmp_path):
    plan = write_plan(tmp_path / "police.xlsx", ["Action", "Lead Officer", "Target Date", "Status"],
                      [["<script>alert(1)</script>", "A & B", "01/01/2026", "Not started"]])
    html = tmp_path / "r.html"
    result = run("actions", plan, "--as-of", "01/03/2026", "--html", html)
    assert result.exit_code == 0, result.output
    page = html.read_text("utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "A &amp; B" in page


def test_cell_values_never_appear_in_messages(tmp_path):
    plan = write_plan(tmp_path / "police.xlsx", ["Action", "Lead Officer", "Target Date", "Status"],
                      [["Visit", "DC Jones", "Jane Example's birthday", "Not started"]])
    result = run("actions", plan, "--as-of", "01/03/2026", "--format", "json")
    assert result.exit_code == 0
    assert "Jane Example" not in result.stderr
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["code"], finding["cell"]) == ("date-invalid", "C2")
    assert "Jane Example" not in finding["message"]
    assert "police.xlsx, sheet Actions, cell C2: The Target Date in row 2 cannot be read" in result.stderr


def test_actions_rejects_a_bad_as_of_date(plans):
    result = run("actions", plans, "--as-of", "03/31/2026")
    assert result.exit_code == 2 and "--as-of is not a date" in result.stderr


# ---------------------------------------------------------------- new-action-plan


def test_new_action_plan_from_an_imr(tmp_path, review_file):
    imr = tmp_path / "imr.md"
    imr.write_text("# Individual Management Review: Police\n\n## 10. Recommendations\n\n"
                   "| No. | Recommendation |\n| --- | --- |\n| 1 | Train officers |\n| 2 | Audit DASH |\n",
                   "utf-8")
    out = tmp_path / "out" / "plan.xlsx"
    result = run("new-action-plan", "--from-imr", imr, "-o", out, "--review", review_file)
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.stderr and "with 2 recommendations" in result.stderr
    sheet = openpyxl.load_workbook(out)["Action Plan"]
    assert [[c.value for c in r][:7] for r in sheet.iter_rows(min_row=2, max_row=3)] == [
        ["1", "Train officers", "Northshire Police", None, None, None, "Not started"],
        ["2", "Audit DASH", "Northshire Police", None, None, None, "Not started"],
    ]
    assert sheet.oddHeader.left.text == "SAR-2025-07"
    # What the agency fills in comes back through sarkit actions.
    report = run("actions", out, "--as-of", "01/03/2026", "--format", "json")
    assert json.loads(report.stdout)["agencies"][0]["actions"] == 2


def test_new_action_plan_markdown_and_overwrite(tmp_path):
    out = tmp_path / "plan.md"
    result = run("new-action-plan", "--agency", "Hill Surgery", "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert "# Action plan: Hill Surgery\n" in text
    assert ("| Ref | Recommendation | Agency | Action | Lead Officer | Target Date | Status | RAG | "
            "Progress Update | Supporting Evidence | Date Completed | Critical Friend Comments |") in text
    assert run("new-action-plan", "-o", out).exit_code == 2
    assert run("new-action-plan", "-o", tmp_path / "plan.pdf").exit_code == 2


def test_new_action_plan_reads_the_time_bound_column_into_target_date(tmp_path, review_file):
    imr = tmp_path / "imr.md"
    imr.write_text(
        "# Individual Management Review: Police\n\n## 10. Recommendations\n\n"
        "| No. | Recommendation | Specific | Measurable | Achievable | Realistic | Time-bound |\n"
        "| --- | --- | --- | --- | --- | --- | --- |\n"
        "| 1 | Train officers | | | | | 31/03/2026 |\n"
        "| 2 | Audit DASH | | | | | By the end of June 2026 |\n"
        "| 3 | Review MARAC | | | | | within six months |\n"
        "| 4 | Share the learning | | | | | |\n", "utf-8")
    out = tmp_path / "out" / "plan.xlsx"
    result = run("new-action-plan", "--from-imr", imr, "-o", out, "--review", review_file)
    assert result.exit_code == 0, result.output
    assert "with 4 recommendations (2 with a Target Date from the IMR)" in result.stderr
    assert ("Warning: the Time-bound column of" in result.stderr
            and "is not a date for 1 recommendation (3), so its Target Date is left blank."
            in " ".join(result.stderr.split()))
    assert "six months" not in result.stderr  # no cell value in a message
    sheet = openpyxl.load_workbook(out)["Action Plan"]
    header = [c.value for c in sheet[1]]
    target = header.index("Target Date")
    cells = [r[target] for r in sheet.iter_rows(min_row=2, max_row=5)]
    values = [c.value for c in cells]
    assert values[0].date() == dt.date(2026, 3, 31)
    # 'By the end of June 2026' stays a month, as typed in a plan: due by 30 June, never 1 June
    assert values[1] == "June 2026" and cells[1].data_type == "s"
    assert values[2:] == [None, None]


def test_the_terminal_tables_print_what_plans_say_as_written(tmp_path):
    """Issue 15: rich markup and escape sequences in a plan are printed inert, never obeyed."""
    plan = write_plan(tmp_path / "police.xlsx", ["Action", "Lead Officer", "Target Date", "Status"],
                      [["Train [/] staff [link=file:///etc/passwd]now[/link]", "DC [b]Jones",
                        "01/01/2026", "Not started"]])
    result = CliRunner().invoke(app, ["actions", str(plan), "--as-of", "01/03/2026"],
                                env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "Train [/] staff [link=file:///etc/passwd]now[/link]" in result.stdout
    assert "DC [b]Jones" in result.stdout


def test_a_formula_with_no_saved_value_costs_its_cell_not_the_plan(tmp_path):
    plan = write_plan(tmp_path / "police.xlsx", ["Ref", "Action", "Lead Officer", "Target Date", "Status"],
                      [["P1", "Train staff", "DI Smith", "01/01/2026", "Not started"],
                       ["P2", "=A1+1", "DI Smith", "01/01/2026", "Not started"]])
    result = run("actions", plan, "--as-of", "01/03/2026", "--format", "json")
    report = json.loads(result.stdout)
    assert [item["ref"] for item in report["overdue"]] == ["P1", "P2"]
    assert [(f["code"], f["cell"]) for f in report["findings"]] == [("formula-cell", "B3")]


def test_a_month_time_bound_stays_a_month_through_new_action_plan_and_actions(tmp_path):
    imr = tmp_path / "imr.md"
    imr.write_text(
        "# Individual Management Review: Police\n\n## Recommendations\n\n"
        "| No. | Recommendation | Time-bound |\n| --- | --- | --- |\n"
        "| 1 | Brief officers | By March 2026 |\n| 2 | Audit | 2026 |\n| 3 | Train | 31/03/2026 |\n", "utf-8")
    plan = tmp_path / "police-action-plan.xlsx"
    assert run("new-action-plan", "--from-imr", imr, "-o", plan).exit_code == 0
    sheet = openpyxl.load_workbook(plan)["Action Plan"]
    target = [c.value for c in sheet[1]].index("Target Date")
    assert [r[target].value for r in sheet.iter_rows(min_row=2, max_row=4)] == [
        "March 2026", "2026", dt.datetime(2026, 3, 31)]
    for row in sheet.iter_rows(min_row=2, max_row=4):
        row[[c.value for c in sheet[1]].index("Lead Officer")].value = "DI Smith"
    sheet.parent.save(plan)
    report = json.loads(run("actions", plan, "--as-of", "15/03/2026", "--format", "json").stdout)
    assert report["overdue"] == []
    assert [(i["ref"], i["target_date"]) for i in report["due_soon"]] == [
        ("1", "2026-03"), ("3", "2026-03-31")]


def test_actions_exits_1_when_a_plan_cannot_be_read_and_still_reports_the_others(tmp_path):
    write_plan(tmp_path / "plans" / "gp-plan.xlsx", ["Ref", "Action", "By Whom", "By When"],
               [["G1", "Recall reviews", "Practice manager", "28/02/2026"]])
    (tmp_path / "plans" / "police-plan.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    result = run("actions", tmp_path / "plans", "--as-of", "01/03/2026", "--format", "json")
    assert result.exit_code == 1
    assert [i["ref"] for i in json.loads(result.stdout)["overdue"]] == ["G1"]
    assert "no action was found" not in result.stderr


def test_a_plan_that_cannot_be_opened_is_said_to_be_so(tmp_path):
    from corpus import encrypt_office

    plain = write_plan(tmp_path / "plain.xlsx", ["Ref", "Action", "Status"],
                       [["G1", "Recall", "In progress"]]).read_bytes()
    (tmp_path / "plans").mkdir()
    locked = tmp_path / "plans" / "gp-plan.xlsx"
    locked.write_bytes(encrypt_office(plain, "Fictional-1"))
    result = run("actions", tmp_path / "plans", "--as-of", "01/03/2026")
    assert result.exit_code == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last == (f"Error: no action was found in {tmp_path / 'plans'}: {locked} could not be "
                    "opened (see the error above).")
    assert "none of its files is an action plan" not in result.stderr
    opened = run("actions", tmp_path / "plans", "--as-of", "01/03/2026", "--format", "json",
                 env={"SARKIT_PASSWORD": "Fictional-1"})
    assert opened.exit_code == 0 and json.loads(opened.stdout)["agencies"][0]["actions"] == 1


def test_two_versions_of_a_plan_count_each_action_once(tmp_path):
    folder = tmp_path / "plans"
    header = ["Ref", "Action", "By Whom", "By When", "Status"]
    for name, status in (("gp-action-plan.xlsx", "Not started"), ("gp-action-plan-v2.xlsx", "Complete")):
        write_plan(folder / name, header,
                   [[f"G{i}", f"act {i}", "PM", "01/06/2026", status] for i in (1, 2, 3)])
    result = run("actions", folder, "--as-of", "01/07/2026", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [(a["agency"], a["actions"], a["by_status"]["Complete"]) for a in report["agencies"]] == [
        ("Gp", 3, 3)]
    assert report["overdue"] == [] and len(report["progress"]) == 3
    assert [(f["code"], Path(f["file"]).name) for f in report["findings"]] == [
        ("several-plans", "gp-action-plan.xlsx")]
