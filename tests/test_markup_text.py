"""Cell text left by case-record systems (red team rt-S items 4 and 6): HTML read as the text it
shows with one warning per column, RTF kept as written with a warning per cell, system timestamps
not taken for phone numbers, and an end time written in the Date cell used as the End Time."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from conftest import HEADER, TODAY, row
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.identifiers import Scanner
from sarkit.markup import html_text, is_rtf
from sarkit.returns import ReadOptions, read_returns

runner = CliRunner()
T = dt.time

HOME_VISIT = "Home visit.<br>Adult Z &amp; daughter present.&nbsp;Kitchen dirty."
RTF = ("{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Arial;}} \\f0\\fs20 Safeguarding concern raised by "
       "neighbour.\\par}")


ONE_AGENCY = """
[review]
reference = "SAR-TEST-1"
subject = "Adult Z"
period_start = 2025-01-01
period_end = 2025-12-31

[[agencies]]
name = "Testshire Adult Social Care"
short = "ASC"
files = ["*asc*"]
"""


def review(tmp_path: Path) -> list[str]:
    path = tmp_path / "review.toml"
    path.write_text(ONE_AGENCY, encoding="utf-8")
    return ["--review", str(path)]


def read(paths: list[Path], **options: object):
    options.setdefault("agency", "ASC")
    options.setdefault("today", TODAY)
    return read_returns(paths, ReadOptions(**options))  # type: ignore[arg-type]


def codes(result) -> list[tuple[str, str | None, str, int | None]]:
    return [(f.code, f.cell, str(f.severity), f.row) for f in result.findings]


# -- 1. HTML and RTF inside good text ------------------------------------------------------------

@pytest.mark.parametrize(("text", "shown"), [
    (HOME_VISIT, "Home visit.\nAdult Z & daughter present. Kitchen dirty."),
    ("<p>Referral to OT</p>", "Referral to OT"),
    ("<p>Visit</p><p>Adult Z seen &amp; fed</p>", "Visit\nAdult Z seen & fed"),
    ("Seen<br><br>Fed", "Seen\n\nFed"),
    ("Line one\nLine two<br/>Line three", "Line one\nLine two\nLine three"),
    ('<span style="color:red">Urgent</span> call', "Urgent call"),
    ("<DIV>Call</DIV><div>Letter</div>", "Call\nLetter"),
    ("A&amp;E attendance", "A&E attendance"),
    ("&lt;b&gt; typed &#39;as is&#39;", "<b> typed 'as is'"),
    ("<!-- StartFragment -->Visit", "Visit"),
])
def test_html_is_read_as_the_text_it_shows(text, shown):
    assert html_text(text) == shown


@pytest.mark.parametrize("text", [
    "BP <90", "score <3 >1", "A&E", "Adult & son", "<< see above", "Seen <3 times>",
    "x <a lot> of help", "R&D; test", "Tom &amp Jerry", "Visit", "Call 5<6 and 7>2",
])
def test_text_that_is_not_markup_is_kept_as_written(text):
    assert html_text(text) is None


def test_rtf_is_recognised():
    assert is_rtf(RTF) and is_rtf("  {\\rtf1 x}")
    assert not is_rtf("{see note}") and not is_rtf("Visit {rtf}")


def markup_rows() -> list[list[object]]:
    return [
        row(event=HOME_VISIT, action="<p>Referral to OT</p>"),
        row(day="04/03/2025", event="BP <90, score <3 >1", action="A&E"),
        row(day="05/03/2025", event="<p>Visit</p><p>Adult Z seen &amp; fed</p>", action="Adult & son"),
        row(day="06/03/2025", event=RTF),
        row(day="07/03/2025", event="&nbsp;"),  # markup only: no event, rejected
    ]


EXPECTED_FINDINGS = [
    ("rtf-in-cell", "D5", "warning", 5),
    ("event-missing", "D6", "error", 6),
    ("html-in-cell", "D2", "warning", 2),
    ("html-in-cell", "E2", "warning", 2),
]
EXPECTED_EVENTS = ["Home visit.\nAdult Z & daughter present. Kitchen dirty.", "BP <90, score <3 >1",
                   "Visit\nAdult Z seen & fed", RTF]


def ods_return(tmp_path: Path, rows: list[list[object]]) -> Path:
    from corpus import ods_bytes, ods_content, ods_rows

    path = tmp_path / "asc.ods"
    path.write_bytes(ods_bytes(ods_content(ods_rows([HEADER, *rows]))))
    return path


@pytest.mark.parametrize("kind", ["xlsx", "csv", "ods"])
def test_markup_in_each_reader_is_read_as_text_with_one_warning_per_column(make_return, tmp_path,
                                                                            kind):
    rows = markup_rows()
    path = ods_return(tmp_path, rows) if kind == "ods" else make_return(f"asc.{kind}", rows)
    [result] = read([path])
    assert [e.event for e in result.entries] == EXPECTED_EVENTS
    assert [e.action for e in result.entries] == ["Referral to OT", "A&E", "Adult & son",
                                                  "Referred to ASC"]
    assert codes(result) == EXPECTED_FINDINGS
    events = result.findings[2].message
    assert events == (
        "The Event / Contact Details cells in rows 2 and 4 hold HTML markup from a case system's "
        "export (such as '<br>', '<p>' or '&amp;'); they were read as the text it shows: tags as "
        "line breaks or left out, '&amp;' as '&'. Check the entries, and ask the agency for a "
        "plain-text export.")
    assert result.findings[3].message.startswith("The Action Taken / Outcome cell in row 2 holds HTML")
    assert result.findings[0].message == (
        "The Event / Contact Details cell in row 5 holds an RTF document (formatting codes such as "
        "'{\\rtf1' and '\\par' from a case system's export); it is kept as written, codes and all. "
        "Ask the agency for the text alone.")
    # the rejected row keeps what was written
    assert result.findings[1].values["Event / Contact Details"] == "&nbsp;"


def test_markup_in_an_extra_column_and_no_finding_for_plain_text(make_return):
    header = [*HEADER, "Case note"]
    rows = [[*row(), "<b>Seen</b> at home"], [*row(day="04/03/2025"), "Seen <3 times"]]
    [result] = read([make_return("asc.xlsx", rows, header=header)])
    assert [e.extras["Case note"] for e in result.entries] == ["Seen at home", "Seen <3 times"]
    assert codes(result) == [("unknown-column", "G1", "warning", 1),
                             ("html-in-cell", "G2", "warning", 2)]
    [plain] = read([make_return("plain.xlsx", [row(event="BP <90 & A&E, Adult & son")])])
    assert plain.findings == [] and plain.entries[0].event == "BP <90 & A&E, Adult & son"


def test_collate_writes_the_text_markup_shows_to_json_workbook_and_pack(make_return, tmp_path,
                                                                       monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_return("asc.csv", markup_rows()[:3])
    args = review(tmp_path)
    validated = runner.invoke(app, ["validate", *args, "--format", "json", "returns"])
    assert validated.exit_code == 0, validated.output
    [found] = json.loads(validated.stdout)["files"]
    assert [(f["code"], f["cell"]) for f in found["findings"]] == [("html-in-cell", "D2"),
                                                                    ("html-in-cell", "E2")]
    assert runner.invoke(app, ["collate", *args, "returns", "-o", "out/c.json"]).exit_code == 0
    entries = json.loads((tmp_path / "out" / "c.json").read_text(encoding="utf-8"))["entries"]
    assert [e["Event / Contact Details"] for e in entries] == EXPECTED_EVENTS[:3]
    assert runner.invoke(app, ["collate", *args, "returns", "-o", "out/c.xlsx"]).exit_code == 0
    sheet = openpyxl.load_workbook(tmp_path / "out" / "c.xlsx")["Chronology"]
    heads = [c.value for c in sheet[1]]
    col = heads.index("Event / Contact Details")
    assert [r[col] for r in sheet.iter_rows(min_row=2, values_only=True)] == EXPECTED_EVENTS[:3]
    pack = runner.invoke(app, ["gaps", *args, "out/c.xlsx", "--html", "out/pack.html"])
    assert pack.exit_code == 0, pack.output
    page = (tmp_path / "out" / "pack.html").read_text(encoding="utf-8")
    assert "Adult Z &amp; daughter present. Kitchen dirty." in page
    assert "&amp;amp;" not in page and "&amp;nbsp;" not in page and "<br>Adult Z" not in page
    assert "BP &lt;90, score &lt;3 &gt;1" in page  # still escaped


# -- 2. system timestamps are not phone numbers ----------------------------------------------------

@pytest.mark.parametrize("text", [
    "03-MAR-25 02.30.00.000000000 PM", "E15: 13-MAR-25 12.00.00.000000000 AM",
    "2025-03-03 14:30:00,000000000", "20250310 0900", "202503100900", "20250310T090000",
])
def test_a_system_timestamp_is_not_a_phone_number(text):
    assert Scanner().scan(text) == []


@pytest.mark.parametrize(("text", "phone"), [
    ("12/03/2025 07700 900123", "07700 900123"),
    ("03-MAR-25 02.30.00.000000000 PM call 07700900123", "07700900123"),
    ("20250310 07700900123", "07700900123"),
])
def test_a_phone_number_beside_a_date_is_still_found(text, phone):
    assert [(h.kind, h.value) for h in Scanner().scan(text)] == [("phone", phone)]


def test_oracle_timestamps_in_a_return_get_no_identifier_warning(make_return):
    header = [*HEADER, "Created on"]
    rows = [[*row(event="Seen 03-MAR-25 02.30.00.000000000 PM"), "03-MAR-25 14.30.00.000000000"],
            [*row(day="04/03/2025", event="Call from 07700 900123"), "20250310 0900"]]
    [result] = read([make_return("asc.csv", rows, header=header)])
    assert codes(result) == [("unknown-column", "G1", "warning", 1),
                             ("possible-identifier", "D3", "warning", 3)]


# -- 3. an end time in the Date cell -----------------------------------------------------------------

END_HEADER = [*HEADER, "End Time"]


@pytest.mark.parametrize(("day", "end_cell", "end", "said"), [
    ("12/03/2025 09:30 - 10:00", None, T(10), "; the end time after the start time was read as the "
     "end time."),
    ("12/03/2025 09:30-10:00", "", T(10), "; the end time after the start time was read as the "
     "end time."),
    ("12/03/2025 09:30 - 10:00", "10:00", T(10), "; the end time after the start time is the one "
     "in the End Time column."),
    ("12/03/2025 09:30 - 10:00", "11:15", T(11, 15), "; the end time after the start time was not "
     "used, because the End Time cell gives another end time, which was kept: check which is "
     "right."),
])
def test_an_end_time_in_the_date_cell(make_return, day, end_cell, end, said):
    base = row(day=day, time="")
    rows, header = ([base], HEADER) if end_cell is None else ([[*base, end_cell]], END_HEADER)
    [result] = read([make_return("asc.xlsx", rows, header=header)])
    assert [(e.date.display(), e.time, e.end_time) for e in result.entries] == [
        ("12/03/2025", T(9, 30), end)]
    assert codes(result) == [("date-extra-text", "A2", "warning", 2)]
    assert result.findings[0].message == (
        "The Date in row 2 holds more than a date and a time; the date and its time were read"
        + said)


def test_an_end_time_in_the_date_cell_with_a_zone_names_both(make_return):
    [result] = read([make_return("asc.xlsx", [row(day="12/03/2025 09:30 - 10:00 GMT", time="")])])
    assert [(e.time, e.end_time) for e in result.entries] == [(T(9, 30), T(10))]
    assert result.findings[0].message == (
        "The Date in row 2 holds more than a date and a time; the date and its time were read, but "
        "not the time zone after the time (the time is taken as UK clock time); the end time after "
        "the start time was read as the end time.")


def test_a_time_range_in_the_time_cell_without_an_end_time_column_fills_the_end(make_return):
    [result] = read([make_return("asc.xlsx", [row(time="14:30-15:00")])])
    assert [(e.time, e.end_time) for e in result.entries] == [(T(14, 30), T(15))]
    assert codes(result) == [("time-range-split", "B2", "warning", 2)]
    assert result.findings[0].message == ("The Time in row 2 holds a time range: its start is read "
                                          "as the time and its end as the end time.")


def test_the_end_time_from_the_date_cell_reaches_the_combined_workbook(make_return, tmp_path,
                                                                        monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_return("asc.csv", [row(day="12/03/2025 09:30 - 10:00", time="")])
    done = runner.invoke(app, ["collate", *review(tmp_path), "returns", "-o", "out/c.json"])
    assert done.exit_code == 0, done.output
    [entry] = json.loads((tmp_path / "out" / "c.json").read_text(encoding="utf-8"))["entries"]
    assert (entry["Time"], entry["End Time"]) == ("09:30", "10:00")


def test_an_event_written_between_angle_brackets_is_an_entry(make_return):
    """Words between angle brackets are no tag: the entry stands; markup alone is no event."""
    rows = [row(day="03/03/2025", event="<Discharge letter sent to GP>"),
            row(day="04/03/2025", event="<Telephone call from daughter - worried about 24/7 care>"),
            row(day="05/03/2025", event="<p>&nbsp;</p>")]
    [result] = read([make_return("asc.xlsx", rows)])
    assert [e.event for e in result.entries] == [
        "<Discharge letter sent to GP>", "<Telephone call from daughter - worried about 24/7 care>"]
    assert [(f.code, f.cell, str(f.severity)) for f in result.findings] == [
        ("event-missing", "D4", "error")]
