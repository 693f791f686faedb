"""A wrapped line joins the entry above whatever text cells it fills (Event, Action, Analysis, one
or several), and in a Word table split by a page break the first row of the next part joins the
last entry of the part before (review Z2, items 2 and 3)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from corpus import HEADER, entries, good_xlsx

from sarkit.intake import read_workbook
from sarkit.returns import ReadOptions, validate_workbook

OPTIONS = ReadOptions(agency="Northshire Police", today=dt.date(2025, 6, 1))
CUT = ["", "", "", '"in charge of everything".', "Discussed with team leader", ""]


def _docx(tmp_path: Path, *tables: list[list[str]], page_break: bool = True) -> Path:
    """A Word return: each table under the same headings, a page break between them."""
    from docx import Document
    from docx.enum.text import WD_BREAK

    document = Document()
    document.add_paragraph("Agency: Northshire Police")
    for number, rows in enumerate(tables):
        if number and page_break:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        table = document.add_table(rows=0, cols=len(HEADER))
        for values in (HEADER, *rows):
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = value
    out = io.BytesIO()
    document.save(out)
    path = tmp_path / "police.docx"
    path.write_bytes(out.getvalue())
    return path


def _validate(path: Path):
    return validate_workbook(read_workbook(path), OPTIONS)


def _found(result) -> list[tuple[str, str, str | None, int | None, str | None]]:
    return [(f.code, f.severity.value, f.sheet, f.row, f.cell) for f in result.findings]


def _cut_off() -> list[list[str]]:
    """Two entries, the second's event cut off and with no Action yet."""
    rows = entries(2)
    rows[1][3], rows[1][4] = "Telephone contact. She described son as", ""
    return rows


def test_a_row_with_event_and_action_text_joins_the_entry_above_in_a_workbook(tmp_path: Path) -> None:
    rows = _cut_off()
    result = _validate(good_xlsx(tmp_path / "police.xlsx", [*rows, CUT]))
    assert _found(result) == [("continuation-row", "info", "Chronology", 4, "D4")]
    assert result.findings[0].message == (
        "Row 4 has no date and no source, only more Event / Contact Details and Action Taken / "
        "Outcome: it continues the entry in row 3, and its text was added to that entry.")
    assert [(e.row, e.event, e.action) for e in result.entries][1] == (
        3, 'Telephone contact. She described son as\n"in charge of everything".',
        "Discussed with team leader")
    assert (len(result.entries), result.data_rows, result.rejected_rows) == (2, 2, 0)


def test_a_row_with_event_and_action_text_joins_the_entry_above_in_a_word_table(tmp_path: Path) -> None:
    rows = _cut_off()
    result = _validate(_docx(tmp_path, [*rows, CUT]))
    assert _found(result) == [("continuation-row", "info", "Table 1", 4, None)]
    assert result.entries[1].event.endswith('as\n"in charge of everything".')
    assert result.entries[1].action == "Discussed with team leader"
    assert result.rejected_rows == 0


def test_event_action_and_analysis_text_all_join(tmp_path: Path) -> None:
    header = [*HEADER, "Analysis"]
    rows = [[*r, "Risk noted"] for r in _cut_off()]
    rows[1][6] = ""
    line = [*CUT, "Escalation was timely"]
    result = _validate(_xlsx_with_header(tmp_path, header, [*rows, line]))
    assert _found(result) == [("continuation-row", "info", "Chronology", 4, "D4")]
    assert "only more Event / Contact Details and Action Taken / Outcome and Analysis:" in (
        result.findings[0].message)
    assert (result.entries[1].action, result.entries[1].analysis) == (
        "Discussed with team leader", "Escalation was timely")


def _xlsx_with_header(tmp_path: Path, header: list[str], rows: list[list[str]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Chronology"
    for values in (header, *rows):
        sheet.append(values)
    path = tmp_path / "analysis.xlsx"
    book.save(path)
    return path


def test_a_second_action_under_an_entry_with_one_is_joined_with_a_warning(tmp_path: Path) -> None:
    rows = _cut_off()
    rows[1][4] = "Engaged"
    result = _validate(good_xlsx(tmp_path / "police.xlsx", [*rows, CUT]))
    assert _found(result) == [("continuation-row", "warning", "Chronology", 4, "D4")]
    assert result.findings[0].message == (
        "Row 4 has no date and no source, only more Event / Contact Details and Action Taken / "
        "Outcome: it continues the entry in row 3, and its text was added to that entry. The "
        "entry in row 3 already had an Action Taken / Outcome, and row 4's reads like another "
        "one: check that row 4 is not an entry of its own missing its date and source.")
    assert result.findings[0].hint == ("If row 4 is an event of its own, give it its Date and "
                                       "Source; if it goes on the entry in row 3, nothing to do.")
    assert result.entries[1].action == "Engaged\nDiscussed with team leader"


def test_the_rest_of_a_sentence_under_an_entry_with_an_action_is_joined_as_info(tmp_path: Path) -> None:
    rows = _cut_off()
    rows[1][4] = "Engaged"
    line = ["", "", "", "and asked the worker not to call again.", "and with her GP", ""]
    result = _validate(good_xlsx(tmp_path / "police.xlsx", [*rows, line]))
    assert _found(result) == [("continuation-row", "info", "Chronology", 4, "D4")]
    assert result.entries[1].action == "Engaged\nand with her GP"


def test_a_row_with_event_and_action_text_starting_with_its_own_date_is_not_joined(tmp_path: Path) -> None:
    rows = _cut_off()
    line = ["", "", "", "14/03/2024 Phone call from bank.", "Account frozen", ""]
    result = _validate(good_xlsx(tmp_path / "police.xlsx", [*rows, line]))
    assert [f.code for f in result.findings] == ["action-missing", "dated-row-not-joined"]
    assert result.rejected_rows == 1


def test_one_value_merged_across_event_and_action_is_not_a_wrapped_line(tmp_path: Path) -> None:
    rows = _cut_off()
    line = ["", "", "", "Same words", "Same words", ""]
    result = _validate(good_xlsx(tmp_path / "police.xlsx", [*rows, line]))
    assert [f.code for f in result.findings][1:3] == ["date-missing", "source-missing"]
    assert result.rejected_rows == 1


def test_a_row_with_its_own_source_is_still_an_entry(tmp_path: Path) -> None:
    rows = _cut_off()
    line = ["", "", "GP record", '"in charge of everything".', "Discussed with team leader", ""]
    result = _validate(good_xlsx(tmp_path / "police.xlsx", [*rows, line]))
    assert ("date-missing", "error", "Chronology", 4, "A4") in _found(result)
    assert result.rejected_rows == 1


def test_the_first_row_after_a_page_break_joins_the_last_entry_of_the_part_before(tmp_path: Path) -> None:
    rows = _cut_off()
    later = entries(3)[2]
    event_only = ["", "", "", '"in charge of everything".', "", ""]
    result = _validate(_docx(tmp_path, rows, [event_only, later]))
    assert _found(result) == [("action-missing", "warning", "Table 1", 3, None),
                              ("table-continued", "info", "Table 2", 4, None),
                              ("continuation-row", "info", "Table 2", 5, None)]
    assert result.findings[2].message == (
        "Row 5 has no date and no source, only more Event / Contact Details: it continues the "
        "entry in row 3 of Table 1, and its text was added to that entry.")
    assert [e.event for e in result.entries] == [
        rows[0][3], 'Telephone contact. She described son as\n"in charge of everything".', later[3]]
    assert (result.data_rows, result.rejected_rows) == (3, 0)


def test_event_and_action_after_a_page_break_join_and_the_action_is_no_longer_missing(
        tmp_path: Path) -> None:
    rows = _cut_off()
    later = entries(3)[2]
    result = _validate(_docx(tmp_path, rows, [CUT, later]))
    assert _found(result) == [("table-continued", "info", "Table 2", 4, None),
                              ("continuation-row", "info", "Table 2", 5, None)]
    assert result.entries[1].action == "Discussed with team leader"


def test_a_part_that_ended_on_no_entry_is_not_carried_on(tmp_path: Path) -> None:
    rows = _cut_off()
    rows[1][0] = ""  # the last row of the first part is rejected: nothing to join
    later = entries(3)[2]
    result = _validate(_docx(tmp_path, rows, [["", "", "", "more words", "", ""], later]))
    assert ("date-missing", "error", "Table 2", 5, None) in _found(result)
    assert result.rejected_rows == 2
