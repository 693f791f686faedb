"""A total or count line in a chronology table is no entry: at the foot it is text under the table,
inside the table (a subtotal for a year) it is named and skipped; nothing is rejected or lost."""

from __future__ import annotations

import json

import pytest
import xlsxwriter
from conftest import HEADER, row
from test_table_shapes import BLANK, conserved, divider, found, non_blank, read_one, write_csv, write_xlsx
from typer.testing import CliRunner

from sarkit.cli import app

ENTRIES = [row(day="02/05/2024", event="Fall at home."), row(day="03/07/2024", event="Fall, intoxicated.")]


@pytest.mark.parametrize("total", [
    ["Total attendances", None, None, "5", None, None],  # the words in one column, a count in another
    ["Total attendances", 5, None, None, None, None],
    ["TOTAL", None, None, 2, None, None],
    ["Total: 5", None, None, None, None, None],
    ["Number of contacts 12", None, None, None, None, None],
    ["Count 5", None, None, None, None, None],
    ["Total attendances", None, None, "1,234", None, None],
])
@pytest.mark.parametrize("gap", [[], [BLANK]], ids=["straight-under", "under-a-blank-row"])
def test_a_total_at_the_foot_is_text_under_the_table(tmp_path, total, gap):
    rows = [*ENTRIES, *gap, total]
    result = read_one(write_xlsx(tmp_path / "acute.xlsx", rows), agency="Acute")
    last = len(rows) + 1
    assert found(result) == [("text-after-table", last, f"A{last}")]
    assert (len(result.entries), result.data_rows, result.rejected_rows) == (2, 2, 0)
    conserved(result, non_blank(rows))


def test_a_sum_formula_beside_total_under_date_is_text_under_the_table(tmp_path):
    path = tmp_path / "acute.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Chronology")
    sheet.write_row(0, 0, HEADER)
    for r, cells in enumerate(ENTRIES, start=1):
        sheet.write_row(r, 0, cells)
    sheet.write(4, 0, "TOTAL")
    sheet.write_formula(4, 3, "=COUNTA(D2:D3)", None, 2)
    book.close()
    result = read_one(path, agency="Acute")
    # the formula's warning stays (as for any formula cell); the row is no entry
    assert found(result) == [("formula-cell", 5, "D5"), ("text-after-table", 5, "A5")]
    assert (len(result.entries), result.rejected_rows) == (2, 0)


def test_validate_exits_0_for_a_return_with_a_totals_row(tmp_path, monkeypatch):
    """The blind review's return: 'Total attendances | | | 5' under a blank row gave date-invalid,
    source-missing and event-missing errors and exit code 1."""
    monkeypatch.chdir(tmp_path)
    path = write_xlsx(tmp_path / "acute_ed.xlsx", [*ENTRIES, BLANK, ["Total attendances", None, None, "5"]])
    result = CliRunner().invoke(app, ["validate", "--agency", "Acute", "--format", "json", str(path)])
    assert result.exit_code == 0, result.output
    [file] = json.loads(result.stdout)["files"]
    assert [(f["code"], f["severity"], f["cell"]) for f in file["findings"]] == [
        ("text-after-table", "info", "A5")]


def test_a_subtotal_inside_the_table_is_named_and_the_entries_under_it_are_read(tmp_path):
    rows = [
        row(day="02/05/2024", event="E1"), row(day="03/07/2024", event="E2"),
        ["Total for 2024", None, None, 2, None, None],  # row 4: a subtotal with a count
        divider("2025"),  # row 5: still a divider
        row(day="10/01/2025", event="E3"),
        divider("Total 2025: 1"),  # row 7: words only, entries under it
        row(day="11/02/2025", event="E4"),
        [None, None, None, "a wrapped line", None, None],
        BLANK,
        ["Grand total", None, None, "4", None, None],  # row 11: the foot
    ]
    result = read_one(write_xlsx(tmp_path / "acute.xlsx", rows), agency="Acute")
    assert found(result) == [("total-row", 4, "A4"), ("divider-row", 5, "A5"), ("total-row", 7, "A7"),
                             ("continuation-row", 9, "D9"), ("text-after-table", 11, "A11")]
    assert result.findings[0].message == (
        "Row 4 holds only a total or a count (such as a subtotal for a year, with entries under it), "
        "not an entry; it was skipped.")
    assert [e.event for e in result.entries] == ["E1", "E2", "E3", "E4\na wrapped line"]
    assert (result.data_rows, result.rejected_rows) == (4, 0)
    conserved(result, non_blank(rows))


def test_a_subtotal_merged_across_the_table_is_named_once(tmp_path):
    rows = [row(day="02/05/2024", event="E1"), divider("Total 2024: 1"), row(day="10/01/2025", event="E2")]
    result = read_one(write_xlsx(tmp_path / "acute.xlsx", rows, merged_rows=(3,)), agency="Acute")
    assert found(result) == [("total-row", 3, "A3")]
    assert [e.event for e in result.entries] == ["E1", "E2"]


@pytest.mark.parametrize("cells, codes", [
    # text more than a count in Event: still a row, rejected with its errors as before
    (["Total attendances", None, None, "Home visit to review the care package", None, None],
     [("date-invalid", 4, "A4"), ("source-missing", 4, "C4")]),
    # a source beside the words: an entry with a mistyped date
    (["Total hip replacement", None, "Hospital", "3", None, None],
     [("date-invalid", 4, "A4")]),
    # a dated row whose Event is a count: an entry
    (["05/08/2024", "10:00", "Ward notes", "Count 5", "None", "Nurse"], []),
    # a day in the words: never a total
    (["Total 03/08/2024", None, None, "5", None, None],
     [("date-invalid", 4, "A4"), ("source-missing", 4, "C4")]),
])
def test_a_row_that_is_more_than_a_count_stays_a_row(tmp_path, cells, codes):
    rows = [*ENTRIES, cells]
    result = read_one(write_csv(tmp_path / "acute.csv", rows), agency="Acute")
    assert [f for f in found(result) if f[0] not in ("action-missing", "practitioner-missing",
                                                     "time-missing", "time-invalid")] == codes
    assert result.data_rows == 3
    assert result.rejected_rows == (1 if codes else 0)
    conserved(result, non_blank(rows))


def _uncalculated(path, total_row: list[object], *, after: list[list[object]] = ()):
    """A return whose total's SUM was never calculated (openpyxl, like most programs other than
    Excel, saves a formula with no value): the Ref column counts, the total sits in column A."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Chronology"
    sheet.append(["Ref", *HEADER, "Contacts"])
    for n, cells in enumerate(ENTRIES, start=1):
        sheet.append([n, *cells, 1])
    sheet.append(total_row)
    for n, cells in enumerate(after, start=3):
        sheet.append([n, *cells, 1])
    book.save(path)
    return path


def test_a_subtotal_whose_sum_has_no_saved_value_is_a_total_row(tmp_path):
    """It read as a heading with a formula-cell error listed among the rejected rows while the
    account said complete, and exit 1; after a recalculation it was total-row, exit 0."""
    from sarkit.account import account_for
    from sarkit.review import Review

    total = ["Total 2024", None, None, None, None, None, None, "=SUM(H2:H3)"]
    path = _uncalculated(tmp_path / "gp.xlsx", total, after=[row(day="03/04/2025", event="Seen in April")])
    result = read_one(path, agency="GP")
    said = [(f.code, f.severity.value, f.row, f.cell) for f in result.findings]
    assert [s for s in said if s[0] != "unknown-column"] == [
        ("formula-cell", "warning", 4, "H4"), ("total-row", "info", 4, "A4")]
    assert result.findings[0].message == (
        "The cell H4 of the sheet Chronology holds a formula with no saved value, in a row that is no "
        "entry (a total, or text under the table); what it shows is not known.")
    assert (len(result.entries), result.data_rows, result.rejected_rows) == (3, 3, 0)
    account = account_for([result], Review(), entries=3)
    assert (account.complete, account.rejected) == (True, [])


def test_a_total_at_the_foot_whose_sum_has_no_saved_value_is_text_under_the_table(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = _uncalculated(tmp_path / "gp.xlsx", ["Total attendances", None, None, None, None, None, None,
                                               "=SUM(H2:H3)"])
    checked = CliRunner().invoke(app, ["validate", "--agency", "GP", "--format", "json", str(path)])
    assert checked.exit_code == 0, checked.output
    data = json.loads(checked.stdout)
    [file] = data["files"]
    said = [(f["code"], f["severity"], f["row"]) for f in file["findings"]]
    assert [s for s in said if s[0] != "unknown-column"] == [
        ("formula-cell", "warning", 4), ("text-after-table", "info", 4)]
    assert (data["account"]["complete"], data["account"]["rejected_rows"]) == (True, [])
