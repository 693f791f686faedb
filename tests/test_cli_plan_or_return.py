"""An agency's chronology return given where an action plan is read, and an action plan given where
a return or combined workbook is read: said in one sentence (exit code 2), never read as the other
kind (a return's Ref and Action headings once made it a plan of 'actions'; a plan not marked by
sarkit was read as an empty return)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import write_return
from test_cli_actions import write_plan
from typer.testing import CliRunner

from sarkit.cli import app

runner = CliRunner()

# a police chronology's headings: Ref No and Action name plan columns too
HEADINGS = ["Ref No", "Date of Contact", "Time", "Source", "Details of Contact", "Action",
            "Staff Name & Role"]
PLAN_HEADINGS = ["Ref", "Recommendation", "Action to be Taken", "Owner", "Due", "Status"]


def said(result) -> str:
    return " ".join(result.stderr.split())


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def police_return(tmp_path: Path) -> Path:
    """A police return of two entries, with a title row, whose headings include Ref No and Action."""
    return write_return(tmp_path / "returns" / "police-chronology.xlsx", [
        ["NP01", "27/01/2025", "19:40", "Incident log", "Call from a neighbour", "Officers attended",
         "PC, Response Team"],
        ["NP02", "19/02/2025", "09:20", "Incident log", "Silent call", "Call back answered",
         "Call handler"],
    ], header=HEADINGS, title_rows=[["Police chronology"]])


@pytest.fixture
def police_plan(tmp_path: Path) -> Path:
    """An action plan typed from the template (no sarkit mark): one action."""
    return write_plan(tmp_path / "plans" / "police-action-plan.xlsx", PLAN_HEADINGS,
                      [["1", "Share risk", "Train officers", "DI Smith", "31/03/2026", "In progress"]],
                      title="Police action plan")


def test_actions_given_a_return_says_it_is_a_return_and_writes_nothing(police_return, review_file,
                                                                        tmp_path):
    html = tmp_path / "out" / "actions.html"
    result = run("actions", police_return, "--review", review_file, "--html", html)
    assert result.exit_code == 2
    assert said(result) == (
        f"Error: {police_return} is an agency's chronology return, not an action plan: sarkit actions "
        "reads the agencies' filled-in action plans. Give the agencies' action plans, e.g. sarkit "
        "actions plans/ (sarkit validate and sarkit collate read the returns).")
    assert result.stdout == "" and not html.exists()


def test_actions_given_a_folder_of_returns_says_it_holds_returns(police_return, review_file, tmp_path):
    write_return(tmp_path / "returns" / "asc.csv", [["01/02/2025", "Visit", "Case notes", "Home visit"]],
                 header=["Date", "Time", "Source of Information", "Event / Contact Details"])
    folder = tmp_path / "returns"
    result = run("actions", folder, "--review", review_file)
    assert result.exit_code == 2
    assert said(result).startswith(
        f"Error: {folder} holds only the agencies' chronology returns (2 files), not action plans: "
        "sarkit actions reads the agencies' filled-in action plans.")


def test_actions_given_a_return_among_plans_reports_the_plans_and_names_the_return(
        police_return, police_plan, review_file):
    result = run("actions", police_plan, police_return, "--review", review_file, "--as-of", "01/03/2026",
                 "--format", "json")
    assert result.exit_code == 1  # an input had an error; the report of the plan stands
    assert [(a["agency"], a["actions"]) for a in json.loads(result.stdout)["agencies"]] == [
        ("Testshire Police", 1)]
    assert result.stderr.splitlines() == [
        f"Error: {police_return}: This file is an agency's chronology return (its headings name a Date "
        "and an Event or Source), not an action plan, so no action was read from it. Give the agency's "
        "filled-in action plan; sarkit validate and sarkit collate read the returns."]


@pytest.mark.parametrize("plan_first", [True, False])
def test_diff_refuses_an_action_plan_on_either_side(police_return, police_plan, review_file, plan_first):
    sides = [police_plan, police_return] if plan_first else [police_return, police_plan]
    result = run("diff", *sides, "--review", review_file)
    assert result.exit_code == 2
    assert said(result) == (
        f"Error: {police_plan} is an agency's action plan, not a return: sarkit diff compares two "
        "versions of a return or two combined workbooks. sarkit actions reads the action plans.")
    assert result.stdout == ""


def test_diff_of_two_versions_of_a_return_still_compares_them(police_return, review_file, tmp_path):
    again = tmp_path / "police-chronology-v2.xlsx"
    again.write_bytes(police_return.read_bytes())
    result = run("diff", police_return, again, "--review", review_file, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["added"] == []


@pytest.mark.parametrize(("kind", "what", "hint"), [
    ("return", "an agency's return",
     "Give the return as PATH (sarkit new-imr {path} --agency NAME), or the combined workbook, e.g. "
     "--chronology out/combined.xlsx"),
    ("plan", "an agency's action plan",
     "Give the combined workbook, e.g. --chronology out/combined.xlsx, or the returns as PATH."),
])
def test_new_imr_chronology_given_a_return_or_plan_says_what_it_is(
        police_return, police_plan, review_file, tmp_path, kind, what, hint):
    path = police_return if kind == "return" else police_plan
    out = tmp_path / "imr.md"
    result = run("new-imr", "--agency", "Police", "--chronology", path, "--review", review_file, "-o", out)
    assert result.exit_code == 2
    assert said(result) == (
        f"Error: --chronology {path} is {what}, not a combined workbook: sarkit new-imr reads the "
        "combined workbook written by sarkit collate (or returns given as PATH). " + hint.format(path=path))
    assert not out.exists()


STATUS_HINT = ("sarkit actions reads the action plans; give sarkit status the returns, e.g. sarkit "
               "status returns/")


def test_status_given_an_action_plan_says_it_is_one(police_return, police_plan, review_file):
    for paths in ([police_plan], [police_return.parent, police_plan]):
        result = run("status", *paths, "--review", review_file)
        assert result.exit_code == 2
        assert said(result) == (f"Error: {police_plan} is an agency's action plan, not a return: sarkit "
                                f"status reads the agencies' returns. {STATUS_HINT}")
        assert result.stdout == ""


def test_status_given_a_folder_of_plans_says_it_holds_plans(police_plan, review_file):
    write_plan(police_plan.parent / "gp-plan.xlsx", ["Action", "Lead Officer"], [["Recall", "Manager"]])
    result = run("status", police_plan.parent, "--review", review_file)
    assert result.exit_code == 2
    assert said(result) == (f"Error: {police_plan.parent} holds only the agencies' action plans, not "
                            f"returns: sarkit status reads the agencies' returns. {STATUS_HINT}")


def test_status_of_a_folder_with_a_plan_among_returns_tracks_the_plan_as_unusable(
        police_return, review_file):
    write_plan(police_return.parent / "gp-plan.xlsx", ["Action", "Lead Officer"], [["Recall", "Manager"]])
    result = run("status", police_return.parent, "--review", review_file, "--format", "json",
                 "--as-of", "01/03/2025")
    assert result.exit_code == 1
    states = {a["agency"]: a["state"] for a in json.loads(result.stdout)["agencies"]}
    assert states == {"Testshire Police": "received", "Testshire Adult Social Care": "outstanding",
                      "Hill Surgery": "unusable"}


def test_a_return_with_no_entries_and_its_action_plan_on_another_sheet_is_no_plan(
        review_file, tmp_path):
    import openpyxl

    from sarkit.intake.action_plans import is_action_plan

    path = tmp_path / "returns" / "police-chronology.xlsx"
    path.parent.mkdir()
    book = openpyxl.Workbook()
    book.active.title = "Chronology"
    book.active.append(HEADINGS)  # no entry yet
    book.create_sheet("Action plan").append(PLAN_HEADINGS)
    book["Action plan"].append(["1", "Share risk", "Train officers", "DI Smith", "31/03/2026", "Open"])
    book.save(path)
    assert is_action_plan(path) is False
    result = run("status", path, "--review", review_file, "--format", "json", "--as-of", "01/03/2025")
    assert result.exit_code == 1  # read as the agency's return (a nil return), not refused as a plan
    assert [a["state"] for a in json.loads(result.stdout)["agencies"]] == ["nil return", "outstanding",
                                                                         "outstanding"]
    assert "action plan" not in result.stderr


@pytest.mark.parametrize("command", ["validate", "collate", "gaps", "new-imr"])
def test_a_command_reading_returns_given_an_action_plan_says_it_is_one_and_writes_nothing(
        police_return, police_plan, review_file, tmp_path, command):
    out = tmp_path / "out" / "written"
    extra = {"collate": ["-o", out.with_suffix(".xlsx")], "gaps": ["--html", out.with_suffix(".html")],
             "new-imr": ["--agency", "Police", "-o", out.with_suffix(".md")]}.get(command, [])
    result = run(command, police_return, police_plan, "--review", review_file, *extra)
    assert result.exit_code == 2
    assert said(result) == (
        f"Error: {police_plan} is an agency's action plan, not a return: sarkit {command} reads the "
        f"agencies' returns. sarkit actions reads the action plans; give sarkit {command} the returns, "
        f"e.g. sarkit {command} returns/")
    assert result.stdout == "" and not out.parent.exists()


@pytest.mark.parametrize("unreadable_first", [True, False])
@pytest.mark.parametrize("kind", ["text", "password"])
def test_diff_refuses_a_version_it_could_not_read(police_return, review_file, tmp_path, kind,
                                                   unreadable_first, monkeypatch):
    """Compared as empty, an unreadable version would make every entry look added or removed,
    with exit code 0."""
    from corpus import encrypt_office

    monkeypatch.delenv("SARKIT_PASSWORD", raising=False)
    unreadable = tmp_path / "police-chronology-v0.xlsx"
    if kind == "text":
        unreadable.write_text("not a workbook\n", encoding="utf-8")
        reason = "The file is named .xlsx but is not an Excel workbook"
    else:
        unreadable.write_bytes(encrypt_office(police_return.read_bytes(), "Fict10nal"))
        reason = "The workbook is protected by a password, and no password was given."
    sides = [unreadable, police_return] if unreadable_first else [police_return, unreadable]
    result = run("diff", *sides, "--review", review_file)
    assert result.exit_code == 2, result.output
    assert said(result).startswith(
        f"Error: {unreadable} could not be read, so it cannot be compared: {reason}")
    assert result.stdout == ""
