"""Words in cells that change what a row means: an entry made in error or withdrawn, a late entry
for an earlier day, an Event pointing at the row above, ditto marks, several dated events in one
cell, and a Time cell in words (kept in the column Time (as written))."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from conftest import TODAY, row, write_return
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.dated_lines import dated_lines, starts_with_day_month
from sarkit.returns import ReadOptions, read_returns
from sarkit.row_words import is_ditto, is_ditto_mark, late_entry, refers_above, withdrawn

runner = CliRunner()


def read_one(path: Path, **options: object):
    options.setdefault("agency", "Police")
    options.setdefault("today", TODAY)
    [result] = read_returns([path], ReadOptions(**options))  # type: ignore[arg-type]
    return result


def found(result) -> list[tuple[str, str, int | None, str | None]]:
    return [(f.code, f.severity.value, f.row, f.cell) for f in result.findings]


# 1. an entry made in error or withdrawn ----------------------------------------------------

@pytest.mark.parametrize(("text", "points"), [
    ("Entered in error", "self"),
    ("ENTRY WITHDRAWN", "self"),
    ("written in error", "self"),
    ("Entered in error - wrong patient", "self"),
    ("This entry was made in error", "self"),
    ("Recorded on wrong patient record", "self"),
    ("Void", "self"),
    ("Entry made in error - see next entry", "next"),
    ("Error - see next entry", "next"),
    ("Previous entry entered in error", "previous"),
    ("NB: entry made in error, see previous", "previous"),
    ("Disregard previous entry", "previous"),
])
def test_an_event_saying_the_entry_was_made_in_error_is_told(text, points):
    assert withdrawn(text) == points


@pytest.mark.parametrize("text", [
    "medication given in error", "error in dosage", "letter sent in error to old address",
    "Referral made in error by GP to wrong team, redirected", "Benefit deleted in error by DWP",
    "Withdrawn and low in mood", "Adult Z withdrew from college", "Entry to property forced",
    "Adult Z said police made it up in error", "Void of furniture, no heating",
])
def test_an_event_about_an_error_is_not_an_entry_made_in_error(text):
    assert withdrawn(text) is None


# 2. a late or retrospective entry ----------------------------------------------------------

@pytest.mark.parametrize(("text", "day"), [
    ("Late entry for 12/03/2025: PC 3 visited and found home cold", "12/03/2025"),
    ("Retrospective entry - visit on 14/03/2025 not previously recorded", "14/03/2025"),
    ("Late entry: visit on 3rd March", "3rd March"),
    ("Entry written retrospectively for 12 March 2025", "12 March 2025"),
    ("Late entry", ""),
])
def test_a_late_entry_gives_the_day_it_names(text, day):
    assert late_entry(text) == day


@pytest.mark.parametrize("text", [
    "Late entry to hostel after curfew, warned", "Adult Z returned late, entry refused",
    "Retrospective review of case", "Forced entry late at night",
])
def test_late_words_in_an_event_are_not_a_late_entry(text):
    assert late_entry(text) is None


# 3. pointers to the row above and ditto marks ----------------------------------------------

@pytest.mark.parametrize(("text", "above"), [
    ("As above", True), ("Same as previous entry", True), ("see above", True),
    ("See above - no change", True), ("As above, Adult Z refused entry", True), ("As before", True),
    ("Assessment above threshold", False), ("Same day visit by DN", False),
    ("As previously discussed with GP, plan agreed", False), ("Seen as previously arranged", False),
])
def test_an_event_pointing_at_the_row_above_is_told(text, above):
    assert refers_above(text) is above


@pytest.mark.parametrize(("text", "ditto", "mark"), [
    ('"', True, True), ("〃", True, True), ("do.", True, True), ("Do", False, False), ("DO", False, False),
    ('" "', True, True), ("ditto", True, False), ("As above", True, False), ("same", True, False),
    ("Niche log", False, False), ("Doctor", False, False), ("Domestic abuse", False, False),
])
def test_ditto_marks_and_words(text, ditto, mark):
    assert (is_ditto(text), is_ditto_mark(text)) == (ditto, mark)


def test_rows_withdrawn_or_late_in_words_are_kept_with_a_warning_each(tmp_path):
    rows = [
        row(day="10/03/2025", event="Adult Z reported missing by carer"),
        row(day="10/03/2025", time="10:05", event="Entered in error"),
        row(day="11/03/2025", event="Entry made in error - see next entry"),
        row(day="11/03/2025", time="10:10", event="Adult Z found safe at bus station"),
        row(day="20/03/2025", event="Late entry for 12/03/2025: PC 3 visited, home cold"),
        row(day="21/03/2025", event="Retrospective entry - visit on 14/03/2025 not recorded"),
        row(day="22/03/2025", event="ENTRY WITHDRAWN"),
        row(day="23/03/2025", event="Late entry for 23/03/2025: call from GP"),
        row(day="24/03/2025", event="Medication given in error by carer, GP informed"),
    ]
    result = read_one(write_return(tmp_path / "police.xlsx", rows))
    assert found(result) == [
        ("entry-in-error", "warning", 3, "D3"), ("entry-in-error", "warning", 4, "D4"),
        ("late-entry", "warning", 6, "D6"), ("late-entry", "warning", 7, "D7"),
        ("entry-in-error", "warning", 8, "D8"),
    ]
    assert [e.row for e in result.entries] == [2, 3, 4, 5, 6, 7, 8, 9, 10]  # nothing dropped
    assert [e.date.display() for e in result.entries][4:6] == ["20/03/2025", "21/03/2025"]  # not re-dated
    messages = [f.message for f in result.findings]
    assert messages[0] == (
        "The Event / Contact Details of row 3 says an entry was made in error or withdrawn; the row "
        "is kept in the chronology as an entry, and if it withdraws the entry before it, that entry "
        "is still in the chronology too. Ask the agency which entries stand.")
    assert messages[1] == (
        "The Event / Contact Details of row 4 says an entry was made in error or withdrawn; the row "
        "is kept in the chronology as an entry, and so is the next entry it points to. Ask the "
        "agency which entries stand.")
    assert messages[2] == (
        "The Event / Contact Details of row 6 says it is a late or retrospective entry for an "
        "earlier day named in its Event / Contact Details; the entry is kept on the day of its Date "
        "cell, not re-dated, so its place in the chronology and its gaps may be wrong. Ask the "
        "agency for the day of the event.")
    assert not any("12/03" in m or "14/03" in m for m in messages)  # no cell value without show_values


def test_a_late_entry_names_its_day_only_with_show_values(tmp_path):
    path = write_return(tmp_path / "police.xlsx",
                        [row(day="20/03/2025", event="Late entry for 12/03/2025: PC 3 visited")])
    [late] = read_one(path, show_values=True).findings
    assert late.code == "late-entry"
    assert "named in its Event / Contact Details (12/03/2025);" in late.message


# 4. ditto marks in Source, Action, Practitioner and Event ----------------------------------

def test_ditto_marks_are_missing_cells_and_as_above_is_a_warned_entry(tmp_path):
    rows = [
        row(day="03/03/2025", event="Welfare visit, Adult Z found on floor"),
        row(day="04/03/2025", source='"', event="As above", action="ditto", practitioner='"'),
        row(day="05/03/2025", source="〃", event="Same as previous entry", action="〃",
            practitioner="do."),
        row(day="06/03/2025", event='"', action='"'),
        row(day="07/03/2025", event="See above - no change", action="NFA"),
        row(day="08/03/2025", source="Dover House", event="Domestic abuse disclosed",
            action="Done: DASH completed", practitioner="Doctor"),
    ]
    result = read_one(write_return(tmp_path / "police.xlsx", rows))
    assert found(result) == [
        ("source-missing", "error", 3, "C3"), ("event-refers-above", "warning", 3, "D3"),
        ("action-missing", "warning", 3, "E3"), ("practitioner-missing", "warning", 3, "F3"),
        ("source-missing", "error", 4, "C4"), ("event-refers-above", "warning", 4, "D4"),
        ("action-missing", "warning", 4, "E4"), ("practitioner-missing", "warning", 4, "F4"),
        ("event-missing", "error", 5, "D5"), ("action-missing", "warning", 5, "E5"),
        ("event-refers-above", "warning", 6, "D6"),
    ]
    assert [e.row for e in result.entries] == [2, 6, 7]
    assert [e.event for e in result.entries] == [
        "Welfare visit, Adult Z found on floor", "See above - no change", "Domestic abuse disclosed"]
    by_code = {f.code: f.message for f in result.findings if f.row == 3}
    assert by_code["source-missing"] == (
        "Row 3 has no Source of Information (only a ditto mark or 'as above', which points at the "
        "row above: once sorted among other agencies' entries, that is another entry's).")
    assert by_code["action-missing"].endswith("that is another entry's; it is kept as written).")
    assert by_code["event-refers-above"] == (
        "The Event / Contact Details of row 3 points at the entry above it (such as 'as above' or "
        "'same as previous entry'); once sorted among other agencies' entries, the row above is "
        "another entry, so the event says nothing of its own.")
    rejected = next(f for f in result.findings if f.code == "source-missing")
    assert rejected.values["Source of Information"] == '"'  # the rejected row is in its finding


def test_a_ditto_source_fails_validate(tmp_path):
    path = write_return(tmp_path / "police.csv", [row(), row(day="04/03/2025", source="do.")])
    made = runner.invoke(app, ["validate", "--agency", "Police", "--format", "json", str(path)])
    assert made.exit_code == 1
    [file] = json.loads(made.stdout)["files"]
    assert [(f["code"], f["cell"]) for f in file["findings"]] == [("source-missing", "C3")]


# 5. several dated events in one cell -------------------------------------------------------

@pytest.mark.parametrize(("cell", "dated"), [
    ("06/05/2025 visit\n14/05/2025 call\n27/05/2025 DNA", 3),
    ("June contacts:\n3rd - call from GP\n15th - visit, Adult Z found on floor", 2),
    ("03/07 - visit\n05/07 - call\n12/07 - Adult Z arrested\n28/07 - welfare check, no answer", 4),
    ("Mon 3rd - visit\nWed 5th: call", 2),
    ("03/05/25 visit\n04.05.2025 call", 2),
    ("14/03 dressing changed\n18/03 wound healing", 2),
    ("24/7 care\n1/2 tablets", 0),
    ("24/7 care package agreed\n1/2 tablet taken with food", 0),
    ("1st visit by new carer\n2nd visit missed", 0),
    ("Seen on 03/05/2025\nplan agreed", 0),
    ("06/05/2025\n07/05/2025", 0),
    ("Review 12/06/2025 booked\nNFA", 0),
])
def test_dated_lines_count_terse_and_ordinal_lines(cell, dated):
    assert dated_lines(cell.splitlines()) == dated


def test_several_terse_dated_events_in_a_cell_are_told_with_the_right_count(tmp_path):
    rows = [
        row(day="01/05/2025", event="06/05/2025 visit\n14/05/2025 call\n27/05/2025 DNA"),
        row(day="01/06/2025", event="June contacts:\n3rd - call from GP\n15th - visit"),
        row(day="01/07/2025", event="03/07 - visit\n05/07 - call\n12/07 - arrest\n28/07 - welfare check"),
        row(day="02/07/2025", event="24/7 care agreed\n1/2 tablets at night"),
        row(day="03/07/2025", event="Visit\nFollow-up agreed for 10/07/2025 visit"),
    ]
    result = read_one(write_return(tmp_path / "police.xlsx", rows))
    assert found(result) == [("several-events-in-cell", "warning", 2, "D2"),
                             ("several-events-in-cell", "warning", 3, "D3"),
                             ("several-events-in-cell", "warning", 4, "D4")]
    assert [f.message.split("(")[1].split(")")[0] for f in result.findings] == [
        "3 of its 3 lines start with a date of their own",
        "2 of its 3 lines start with a date of their own",
        "4 of its 4 lines start with a date of their own"]


# 6. a Time cell in words -------------------------------------------------------------------

def test_time_words_are_kept_in_a_column_of_their_own(tmp_path, monkeypatch):
    rows = [row(day="03/03/2025", time="am visit"), row(day="04/03/2025", time="between 2 and 4"),
            row(day="05/03/2025", time="14:30")]
    write_return(tmp_path / "returns" / "police.csv", rows)
    result = read_one(tmp_path / "returns" / "police.csv")
    assert found(result) == [("time-invalid", "warning", 2, "B2"), ("time-invalid", "warning", 3, "B3")]
    assert result.findings[0].message == (
        "The Time in row 2 cannot be read as a time, so the entry is kept without a time; its words "
        "are kept in the column Time (as written). This is not a time that can be read.")
    assert [(e.time, e.extras) for e in result.entries][:2] == [
        (None, {"Time (as written)": "am visit"}), (None, {"Time (as written)": "between 2 and 4"})]
    assert result.entries[2].extras == {}
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(app, ["collate", "returns", "--agency", "Police", "-o", "out/c.json"])
    assert made.exit_code == 0, made.output
    entries = json.loads((tmp_path / "out" / "c.json").read_text("utf-8"))["entries"]
    assert [e["Time (as written)"] for e in entries] == ["am visit", "between 2 and 4", ""]
    made = runner.invoke(app, ["collate", "returns", "--agency", "Police", "-o", "out/c.xlsx"])
    assert made.exit_code == 0, made.output
    sheet = openpyxl.load_workbook(tmp_path / "out" / "c.xlsx")["Chronology"]
    header = [c.value for c in sheet[1]]
    column = header.index("Time (as written)")
    assert [r[column] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        "am visit", "between 2 and 4", None]


def test_an_end_time_in_words_keeps_the_start_time_and_says_so(tmp_path):
    """An End Time that cannot be read drops the end time only: the message says 'without an end
    time', not 'without a time', since the entry keeps its Time."""
    header = ["Date", "Time", "End Time", "Source of Information", "Event / Contact Details",
              "Action Taken / Outcome", "Practitioner / Role"]
    rows = [["05/01/2025", "10:00", "late morning", "Log", "Welfare check.", "Advice given", "PC 1"]]
    result = read_one(write_return(tmp_path / "police.csv", rows, header=header))
    assert found(result) == [("time-invalid", "warning", 2, "C2")]
    assert result.findings[0].message == (
        "The End Time in row 2 cannot be read as a time, so the entry is kept without an end time; its "
        "words are kept in the column End Time (as written). This is not a time that can be read.")
    [entry] = result.entries
    assert (str(entry.time), entry.end_time, entry.extras) == (
        "10:00:00", None, {"End Time (as written)": "late morning"})


def test_a_return_column_named_time_as_written_is_not_overwritten(tmp_path):
    header = ["Date", "Time", "Source of Information", "Event / Contact Details",
              "Action Taken / Outcome", "Practitioner / Role", "Time (as written)"]
    path = write_return(tmp_path / "police.csv", [[*row(time="evening"), "own"]], header=header)
    [entry] = read_one(path).entries
    assert entry.extras == {"Time (as written)": "own", "Time (as written) (sarkit)": "evening"}


@pytest.mark.parametrize(("line", "dated"), [
    ("1.1 Care package to start", False), ("2.1 Review in 2/52", False),  # points of a plan
    ("2/5 falls risk", False), ("3/5 nutrition risk (MUST)", False), ("7/10 pain", False),  # scores
    ("24/7 support discussed with family", False),
    ("03/10 seen by GP at surgery", True), ("3/10 - visit", True), ("12.03 - visit", True),
    ("12/03 update: dressing changed", True), ("15/05 visit by DN to dress leg", True),
])
def test_plan_points_and_scores_are_not_days(line, dated):
    assert starts_with_day_month(line) is dated


def test_lists_and_scores_in_one_cell_are_not_several_events():
    assert dated_lines(["Plan:", "1.1 Care package to start", "1.2 Key safe fitted",
                        "2.1 Review in 2/52"]) == 0
    assert dated_lines(["Risk scores:", "2/5 falls risk", "3/5 nutrition risk (MUST)",
                        "4/5 skin (Waterlow)"]) == 0
    assert dated_lines(["1/2 tablet taken", "24/7 care", "7/10 pain"]) == 0
    assert dated_lines(["03/07 - visit", "05/07 - call", "12/07 DN visit to dress leg"]) == 3


@pytest.mark.parametrize("text", ["Entered in error on the rota: carers did not attend the 18:00 call",
                                  "Recorded in error by the carer agency, call rearranged"])
def test_an_error_elsewhere_is_no_withdrawn_entry(text):
    assert withdrawn(text) is None


def test_late_entry_for_someone_names_no_day():
    assert late_entry("Late entry for the carers: key safe code changed") is None
    assert late_entry("Late entry for yesterday: visit") == ""
    assert late_entry("Late entry re visit on 3 March") == "3 March"


def test_ditto_in_a_sentence_is_no_pointer():
    assert refers_above("Ditto medication left out on the table") is False
    assert refers_above("Ditto - no change") is True
