"""Action plans: the report's rules, reading messy plans, the workbook, recommendations from an IMR."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from sarkit.action_plans import (
    HEADINGS,
    ActionRow,
    iso_partial,
    match_plan_column,
    normalise_rag,
    normalise_status,
    report_actions,
)
from sarkit.dates import PartialDate
from sarkit.findings import Severity
from sarkit.intake.action_plans import plan_rows, read_imr_recommendations
from sarkit.output.action_plan_workbook import write_action_plan_workbook
from sarkit.output.docx_document import markdown_to_docx
from sarkit.raw_tables import RawSheet, RawWorkbook
from sarkit.review import Agency, Review

AS_OF = dt.date(2026, 3, 1)


def day(d: int, m: int, y: int = 2026) -> PartialDate:
    return PartialDate(y, m, d)


def test_headers_are_matched_in_any_of_their_forms():
    assert [match_plan_column(h) for h in ("Owner", "LEAD", "Responsible Officer", "By Whom")] == [
        "lead_officer"] * 4
    assert [match_plan_column(h) for h in ("Due", "Due Date", "By When", "Deadline")] == ["target_date"] * 4
    assert match_plan_column("RAG Status") == "rag"
    assert match_plan_column("Update on Progress") == match_plan_column("Progress") == "progress"
    assert match_plan_column("Evidence") == "evidence"
    assert match_plan_column("Completed") == match_plan_column("Completion Date") == "date_completed"
    assert match_plan_column("Action to be Taken") == "action"
    assert match_plan_column("Favourite colour") is None
    assert [match_plan_column(h) for h in HEADINGS] == [
        "ref", "recommendation", "agency", "action", "lead_officer", "target_date", "status", "rag",
        "progress", "evidence", "date_completed", "critical_friend"]


def test_statuses_and_rags_in_any_case():
    assert [normalise_status(s) for s in ("COMPLETE", "completed", " in progress ", "Not Started",
                                          "not achieved", "", "Parked")] == [
        "Complete", "Complete", "In progress", "Not started", "Not achieved", "Not recorded", "Parked"]
    assert [normalise_rag(r) for r in ("red", "A", "GREEN", "blue", "", "Purple")] == [
        "Red", "Amber", "Green", "Blue", "Not recorded", "Purple"]


def test_report_counts_and_lists_by_the_rules():
    rows = [
        ActionRow("Police", ref="1", action="Train", lead_officer="DI", target_date=day(15, 1),
                  status="In progress", rag="Amber"),                        # overdue
        ActionRow("Police", ref="2", action="Audit", lead_officer="DS", target_date=day(31, 3),
                  status="Complete", rag="Green"),                           # complete, no evidence
        ActionRow("Police", ref="3", action="Review", lead_officer="PS", target_date=PartialDate(2026, 3),
                  status="Not started", rag="Red"),                          # due soon (March)
        ActionRow("Police", ref="4", action="Policy", target_date=day(1, 3),
                  status="Not started", rag="Red"),                          # due soon (today) + incomplete
        ActionRow("ASC", ref="A1", action="Supervise", lead_officer="TM", status="Parked",
                  rag="Not recorded"),                                       # incomplete: no date
        ActionRow("ASC", ref="A2", action="Done", lead_officer="TM", target_date=day(1, 1),
                  status="Complete", rag="Blue", evidence="Audit report"),   # complete, fine
        ActionRow("ASC", ref="A3", action="Later", lead_officer="TM", target_date=day(1, 4),
                  status="In progress", rag="Green"),                        # 31 days: not due soon
        ActionRow("ASC", ref="A4", action="Missed", lead_officer="TM", target_date=day(28, 2),
                  status="Not achieved", rag="Red"),                         # overdue
    ]
    report = report_actions(rows, as_of=AS_OF, agency_order=["ASC", "Police"])
    assert [a.agency for a in report.agencies] == ["ASC", "Police"]
    asc, police = report.agencies
    assert police.actions == 4 and asc.actions == 4
    assert police.by_status == {"Not started": 2, "In progress": 1, "Complete": 1, "Not achieved": 0}
    assert asc.by_status == {"Not started": 0, "In progress": 1, "Complete": 1, "Not achieved": 1,
                             "Parked": 1}
    assert asc.by_rag == {"Red": 1, "Amber": 0, "Green": 1, "Blue": 1, "Not recorded": 1}
    assert [(i.agency, i.ref) for i in report.overdue] == [("Police", "1"), ("ASC", "A4")]
    assert [(i.agency, i.ref) for i in report.due_soon] == [("Police", "4"), ("Police", "3")]
    assert [(i.agency, i.ref) for i in report.completed_without_evidence] == [("Police", "2")]
    assert [(i.agency, i.ref) for i in report.incomplete] == [("ASC", "A1"), ("Police", "4")]
    assert report.to_json()["due_soon"][1] == {
        "agency": "Police", "ref": "3", "action": "Review", "target_date": "2026-03",
        "lead_officer": "PS"}


def test_iso_dates_keep_their_precision():
    assert [iso_partial(d) for d in (day(5, 3), PartialDate(2026, 3), PartialDate(2026), None)] == [
        "2026-03-05", "2026-03", "2026", None]


def raw(rows, *, name="police-plan.xlsx", merged=(), sheets=None) -> RawWorkbook:
    return RawWorkbook(path=name, format="xlsx",
                       sheets=sheets or [RawSheet("Plan", [list(r) for r in rows], merged=list(merged))])


def test_a_messy_plan_is_read_with_its_title_row_and_renamed_headers():
    review = Review(agencies=[Agency("Northshire Police", "Police", aliases=("police",))])
    workbook = raw([
        ["SAR-2025-07 – Police action plan", None, None],
        [],
        ["Ref", "Recommendation", "Action to be Taken", "Owner", "By When", "STATUS", "RAG Status",
         "Evidence", "Completed", "Notes"],
        [1, "Share risk", "Train officers", "DI Smith", dt.datetime(2026, 1, 15), "in progress",
         "amber", None, None, "x"],
        [2, None, "Audit", None, "31.03.26", "COMPLETE", "g", "", "2nd March 2026", None],
        [None, None, None, None, None, "Not started", None, None, None, None],  # blank: ignored
        [3, None, "Policy", "PS Jones", "31/02/2026", None, None, None, None, None],
    ], merged=[(4, 1, 5, 1)])
    result = plan_rows(workbook, review=review)
    assert (result.sheet, result.header_row) == ("Plan", 3)
    assert [(r.ref, r.recommendation, r.action, r.lead_officer, iso_partial(r.target_date), r.status,
             r.rag, r.agency, r.row) for r in result.rows] == [
        ("1", "Share risk", "Train officers", "DI Smith", "2026-01-15", "In progress", "Amber",
         "Northshire Police", 4),
        ("2", "Share risk", "Audit", "", "2026-03-31", "Complete", "Green", "Northshire Police", 5),
        ("3", "", "Policy", "PS Jones", None, "Not recorded", "Not recorded", "Northshire Police", 7),
    ]
    assert iso_partial(result.rows[1].date_completed) == "2026-03-02"
    [problem] = result.findings
    assert (problem.code, problem.severity, problem.cell, problem.column) == (
        "date-invalid", "warning", "E7", "Target Date")
    assert "31/02/2026" not in problem.message


def test_agency_comes_from_the_column_then_option_then_file_name():
    rows = [["Action", "Agency", "Lead Officer"], ["A", "ASC", "x"], ["B", None, "y"]]
    review = Review(agencies=[Agency("Adult Social Care", "ASC"), Agency("Hill Surgery", "GP")])
    assert [r.agency for r in plan_rows(raw(rows, name="plan-gp.xlsx"), review=review).rows] == [
        "Adult Social Care", "Hill Surgery"]
    assert [r.agency for r in plan_rows(raw(rows), agency="GP", review=review).rows] == [
        "Adult Social Care", "Hill Surgery"]
    # police-plan.xlsx names no agency review.toml lists: never an agency "Police" made up
    guessed = plan_rows(raw(rows), review=review)
    assert [r.agency for r in guessed.rows] == ["Adult Social Care", "Unknown agency"]
    assert [(f.code, f.row) for f in guessed.findings] == [("agency-unknown", 3)]
    named = plan_rows(raw(rows, name="plans/SAR action plan v2.xlsx"), review=review)
    assert named.rows[1].agency == "Unknown agency"
    assert named.findings[0].code == "agency-unknown"
    # without agencies in review.toml, the file name is all there is
    assert [r.agency for r in plan_rows(raw(rows), review=Review()).rows] == ["ASC", "Police"]


def test_a_workbook_without_a_plan_table_gets_a_finding():
    result = plan_rows(raw([["Name", "Notes"], ["Training", "x"]]))
    assert (result.rows, result.chronology) == ([], False)
    assert [f.code for f in result.findings] == ["no-chronology-sheet"]
    assert result.findings[0].message == (
        "No sheet has an action plan header row (such as Action, Lead Officer, Target Date, Status) "
        "in its first 30 rows.")


# a chronology return's headings: Ref and Action name plan columns too
CHRONOLOGY_HEADINGS = ["Ref No", "Date of Contact", "Time", "Source", "Details of Contact", "Action",
                       "Staff Name & Role"]


def test_a_chronology_return_is_no_action_plan_and_is_said_to_be_a_return():
    result = plan_rows(raw([["Police chronology"], CHRONOLOGY_HEADINGS,
                            ["NP01", "27/01/2025", "1940", "Incident log", "Call", "Attended", "PC"]]))
    assert (result.rows, result.sheet, result.chronology) == ([], None, True)
    assert [(f.code, f.severity, f.row) for f in result.findings] == [
        ("no-chronology-sheet", Severity.ERROR, None)]
    assert result.findings[0].message == (
        "This file is an agency's chronology return (its headings name a Date and an Event or "
        "Source), not an action plan, so no action was read from it.")


@pytest.mark.parametrize(("headings", "plan"), [
    (["Ref", "Action"], False),  # an Action beside a Ref: a chronology's outcome as likely
    (["Ref", "Action", "Status"], True),
    (["Recommendation", "Action"], True),
    (["Action", "Owner"], True),
    (["Date", "Event", "Action", "Status"], False),  # a chronology's Date and Event
    (["Date", "Source", "Action", "Lead Officer"], False),  # a chronology's Date and Source
    (["Recommendation", "Action", "Target Date", "Status"], True),
])
def test_a_plan_table_names_an_action_and_a_column_only_a_plan_has(headings, plan):
    result = plan_rows(raw([headings, ["x"] * len(headings)]))
    assert (result.sheet == "Plan", len(result.rows)) == (plan, int(plan))


def test_the_workbook_has_validations_conditional_format_and_marking(tmp_path):
    path = tmp_path / "plan.xlsx"
    rows = [ActionRow("Northshire Police", ref="1", recommendation="=HYPERLINK(\"x\")",
                      status="Not started", target_date=day(31, 3))]
    write_action_plan_workbook(path, rows, marking="OFFICIAL-SENSITIVE", reference="SAR-2025-07",
                               agency="Northshire Police")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Action Plan"]
    sheet = book["Action Plan"]
    assert [c.value for c in sheet[1]] == list(HEADINGS) == [
        "Ref", "Recommendation", "Agency", "Action", "Lead Officer", "Target Date", "Status", "RAG",
        "Progress Update", "Supporting Evidence", "Date Completed", "Critical Friend Comments"]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet["B2"].value == '=HYPERLINK("x")' and sheet["B2"].data_type == "s"
    assert sheet["F2"].value == dt.datetime(2026, 3, 31) and sheet["F2"].number_format == "dd/mm/yyyy"
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert validations["G2:G500"].type == "list"
    assert validations["G2:G500"].formula1 == '"Not started,In progress,Complete,Not achieved"'
    assert validations["H2:H500"].formula1 == '"Red,Amber,Green,Blue"'
    for cells in ("F2:F500", "K2:K500"):
        rule = validations[cells]  # between 01/01/2000 and 31/12/2099 (Excel serials)
        assert (rule.type, rule.operator, rule.formula1, rule.formula2) == ("date", None, "36526", "73050")
    [(cells, rules)] = [(str(r.sqref), rules) for r, rules in sheet.conditional_formatting._cf_rules.items()]
    assert cells == "A2:L500"
    assert [(rule.type, rule.formula) for rule in rules] == [
        ("expression", ['AND($F2<>"",$F2<TODAY(),$G2<>"Complete")'])]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.oddHeader.center.text == "OFFICIAL-SENSITIVE"
    assert sheet.oddFooter.center.text == "Page &P of &N"
    assert sheet.print_title_rows == "$1:$1"


@pytest.fixture
def imr_docx(tmp_path):
    """An IMR made by sarkit, its recommendations filled in as an author would in Word."""
    text = ("# Individual Management Review: Northshire Police\n\n## 10. Recommendations\n\n"
            "*Guidance that is not a recommendation.*\n\n"
            "| No. | Recommendation | Specific |\n| --- | --- | --- |\n| 1 | | |\n| 2 | | |\n| 3 | | |\n\n"
            "## 11. Action plan\n\n- Not a recommendation\n")
    document = markdown_to_docx(text, marking="OFFICIAL-SENSITIVE")
    table = document.tables[0]
    table.rows[1].cells[1].text = "Train all officers in MARAC referrals"
    table.rows[2].cells[0].text = "R2"
    table.rows[2].cells[1].text = "Audit DASH risk assessments"
    document.add_paragraph("A late addition", style="List Bullet")  # under Action plan: ignored
    path = tmp_path / "imr.docx"
    document.save(str(path))
    return path


def test_recommendations_are_read_from_a_docx_imr(imr_docx):
    found = read_imr_recommendations(imr_docx)
    assert found.agency == "Northshire Police"
    assert found.items == [("1", "Train all officers in MARAC referrals"),
                           ("R2", "Audit DASH risk assessments")]


def test_recommendations_are_read_from_a_markdown_imr(tmp_path):
    path = tmp_path / "imr.md"
    path.write_text("# Individual Management Review: Hill Surgery\n\n## Recommendations\n\n"
                    "1. Recall patients who miss reviews\n2. Code safeguarding concerns\n\n"
                    "## Sign-off\n", "utf-8")
    found = read_imr_recommendations(path)
    assert found.agency == "Hill Surgery"
    assert found.items == [("1", "Recall patients who miss reviews"), ("2", "Code safeguarding concerns")]


def test_an_imr_without_recommendations_heading_is_refused(tmp_path):
    from sarkit.errors import SarkitError

    path = tmp_path / "imr.md"
    path.write_text("# IMR\n\n## Lessons\n", "utf-8")
    with pytest.raises(SarkitError, match="no section headed 'Recommendations'"):
        read_imr_recommendations(path)
    broken = tmp_path / "imr.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(SarkitError, match="cannot be read"):
        read_imr_recommendations(broken)


def test_prefilled_rows_are_as_high_as_their_wrapped_text(tmp_path):
    """LibreOffice and Excel do not grow written rows: a long recommendation would print over
    the row below it."""
    path = tmp_path / "plan.xlsx"
    long = "Review the multi-agency risk management procedure with every partner agency. " * 4
    write_action_plan_workbook(path, [ActionRow("Police", ref="1", recommendation=long),
                                      ActionRow("Police", ref="2", recommendation="Short")],
                               marking="OFFICIAL-SENSITIVE")
    sheet = openpyxl.load_workbook(path)["Action Plan"]
    from sarkit.action_plans import COLUMNS

    width = next(c.width for c in COLUMNS if c.key == "recommendation")
    lines = -(-len(long) // int(width * 1.15 * 9 / 11))
    assert sheet.row_dimensions[2].height == lines * 15 + 3
    assert sheet.row_dimensions[3].height == 18  # one line


PLAN_HEADER = ["Ref", "Recommendation", "Agency", "Action", "Lead Officer", "Target Date", "Status", "RAG"]


def test_rows_under_the_table_are_not_actions_but_an_action_there_still_is():
    workbook = raw([
        PLAN_HEADER,
        [],
        ["Section A: Practice"],
        ["P1", "Rec 1", "Police", "Brief officers", "Insp A", dt.datetime(2026, 6, 1), "In progress",
         "Amber"],
        ["P2", "Rec 2", "Police", "Audit", "Insp B", dt.datetime(2027, 6, 1), "Not started", "Red"],
        [],
        ["RAG key:", "Red = not started or off track", None, None, None, None, None, "Red"],
        ["", "Amber = in progress", None, None, None, None, None, "Amber"],
        ["Signed off by:", None, None, None, "Det Supt Example", dt.datetime(2026, 11, 2)],
        ["Total actions", 2],
        [],
        ["P3", "Rec 3", "Police", "Added after the sign-off", "Insp C", "31/01/2027", None, None],
    ])
    result = plan_rows(workbook, review=Review())
    assert [(r.ref, r.row) for r in result.rows] == [("P1", 4), ("P2", 5), ("P3", 12)]
    [after] = result.findings
    assert (after.code, after.severity, after.sheet, after.row) == ("text-after-table", "info", "Plan", 7)
    assert after.message == ("The action plan table ends before row 7: rows 7-10 under it (a sign-off, "
                             "a total, a key or notes) are not read as actions.")


def test_a_recommendation_that_starts_like_an_end_line_is_still_an_action():
    workbook = raw([
        ["Recommendation", "Action", "Lead Officer", "Target Date"],
        ["Totals of referrals are audited", "Audit", "DI Smith", "31/03/2026"],
        ["Author guidance on self-neglect", "Write it", "DS Khan", "30/04/2026"],
    ])
    assert [r.row for r in plan_rows(workbook, review=Review()).rows] == [2, 3]


def test_every_sheet_with_a_plan_table_is_read():
    sheets = [
        RawSheet("Instructions", [["How to fill in this plan"], ["Use the drop-downs."]]),
        RawSheet("Single agency", [PLAN_HEADER, ["A1", "Rec", "ASC", "act 1", "TM", "01/01/2026", "", ""]]),
        RawSheet("Multi-agency", [PLAN_HEADER, ["M1", "Rec", "ASC", "act M1", "TM", "01/02/2026", "", ""],
                                  ["M2", "Rec", "ASC", "act M2", "TM", "01/03/2026", "", ""]]),
    ]
    result = plan_rows(raw([], sheets=sheets), review=Review())
    assert [(r.ref, r.sheet, r.row) for r in result.rows] == [
        ("A1", "Single agency", 2), ("M1", "Multi-agency", 2), ("M2", "Multi-agency", 3)]
    assert result.findings == []


def test_a_plan_that_writes_dates_month_first_gets_a_warning_at_each_date_read_both_ways():
    header = ["Ref", "Action", "Lead Officer", "Target Date"]
    rows = [header, ["P1", "Train", "DI Smith", "12/15/2026"], ["P2", "Audit", "DS Khan", "11/01/2026"],
            ["P3", "Policy", "DS Khan", "13/01/2026"]]
    result = plan_rows(raw(rows), review=Review())
    assert [(r.ref, iso_partial(r.target_date)) for r in result.rows] == [
        ("P1", None), ("P2", "2026-01-11"), ("P3", "2026-01-13")]
    assert [(f.code, f.severity, f.cell) for f in result.findings] == [
        ("date-invalid", "warning", "D2"), ("date-maybe-month-first", "warning", "D3")]
    assert result.findings[1].message == (
        "The Target Date in row 3 was read day first, but this plan appears to write dates month "
        "first: the date in row 2 can only be read month first. If this date is month first too, "
        "the action is due on another day.")
    assert "11/01/2026" not in result.findings[1].message
    # without a date that reads only month first, a date that reads both ways is day first, silently
    plain = plan_rows(raw([header, ["P2", "Audit", "DS Khan", "11/01/2026"]]), review=Review())
    assert plain.findings == []


def test_statuses_and_rags_off_the_list_are_mapped_or_named_by_their_cell():
    assert [normalise_status(s) for s in ("on track", "Status: complete", "Progressing", "Achieved")] == [
        "In progress", "Complete", "In progress", "Complete"]
    assert [normalise_rag(r) for r in ("RAG: Amber", "rag - g", "RAG Status = red")] == [
        "Amber", "Green", "Red"]
    workbook = raw([
        ["Ref", "Action", "Status", "RAG"],
        ["P1", "Train", "on track", "RAG: Amber"],
        ["P2", "Audit", "Waiting for funding", "Amber/Green"],
    ])
    result = plan_rows(workbook, review=Review(agencies=[Agency("Northshire Police", "Police")]))
    assert [(r.status, r.rag) for r in result.rows] == [("In progress", "Amber"),
                                                         ("Waiting for funding", "Amber/Green")]
    unknown = [(f.code, f.severity, f.column, f.cell) for f in result.findings
               if f.code == "plan-value-unknown"]
    assert unknown == [("plan-value-unknown", "warning", "Status", "C3"),
                       ("plan-value-unknown", "warning", "RAG", "D3")]
    messages = " ".join(f.message for f in result.findings)
    assert "Waiting" not in messages and "Amber/Green" not in messages


def test_the_end_lines_are_the_returns_own():
    from sarkit.row_shapes import END_MARKER

    ends = ["RAG key:", "RAG key", "Colour key:", "Key:", "Legend", "Total actions", "Signed off by:"]
    assert [bool(END_MARKER.match(t)) for t in ends] == [True] * len(ends)
    assert [bool(END_MARKER.match(t)) for t in ("Key learning: share risk", "RAG rating agreed",
                                                  "Keyworker visit")] == [False, False, False]
