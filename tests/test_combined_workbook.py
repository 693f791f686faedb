"""The combined workbook as a spreadsheet: real cells, read back by openpyxl and by sarkit itself."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import HEADER, row, write_return
from typer.testing import CliRunner

from sarkit.ages import age_range, age_text
from sarkit.cli import app
from sarkit.dates import PartialDate
from sarkit.errors import SarkitError
from sarkit.formats.combined_layout import CHRONOLOGY_COLUMNS, format_precision
from sarkit.intake.combined import read_combined_workbook
from sarkit.pipeline.chronology import Settings, from_returns
from sarkit.returns import ReadOptions
from sarkit.review import Review, load_review

runner = CliRunner()
D = PartialDate
EXTRA_HEADER = [*HEADER, "End Date", "Key Event (Y/N)", "Risk"]


@pytest.fixture
def returns(tmp_path, review_file):
    """Police and ASC returns with every kind of date, Details blocks and glossaries."""
    review_file.write_text(review_file.read_text().replace(
        'marking = "OFFICIAL-SENSITIVE"',
        'marking = "OFFICIAL-SENSITIVE"\nsubject_birth_date = 1977-06-15'))
    folder = tmp_path / "returns"
    police = write_return(folder / "police.xlsx", [
        [*row(day="03/03/2025", time="?14:30", event="Welfare check"), "", "Y", "High"],
        [*row(day="May 2025", time="", event="Patrols in the area"), "", "N", ""],
        [*row(day="?12/06/2025", time="", event="Date unsure"), "", "", ""],
        [*row(day="2025", time="", event="Several calls that year"), "", "", "Low"],
        [*row(day="16/06/2025", time="09:15", event="Arrest"), "18/06/2025", "Y", ""],
    ], header=EXTRA_HEADER, details={"Agency:": "Testshire Police", "Author:": "DS Example",
                                     "Role:": "Review officer", "Date completed:": "01/10/2025"})
    book = openpyxl.load_workbook(police)
    glossary = book.create_sheet("Glossary")
    for pair in (("Abbreviation", "Meaning"), ("PVP", "Public protection notice"),
                 ("DNA", "Did not attend")):
        glossary.append(pair)
    book.save(police)
    asc = write_return(folder / "asc.xlsx", [
        [*row(day="04/03/2025", time="", event="Concern received"), "", "Y", ""],
        [*row(day="June 2025", time="", event="Reviews"), "July 2025", "", ""],
    ], header=EXTRA_HEADER, details={"Agency:": "ASC", "Completed by:": "A Manager"})
    book = openpyxl.load_workbook(asc)
    glossary = book.create_sheet("Glossary")
    for pair in (("Abbreviation", "Meaning"), ("DNA", "did not  attend"), ("S42", "Section 42 enquiry")):
        glossary.append(pair)
    book.save(asc)
    return folder


def collate(*args: str):
    return runner.invoke(app, ["collate", *args])


def rows_of(sheet) -> list[dict[str, object]]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]


def test_real_cells_formats_and_added_columns(returns, review_file, tmp_path):
    out = tmp_path / "combined.xlsx"
    made = collate(str(returns), "-o", str(out), "--review", str(review_file), "-q")
    assert made.exit_code == 1, made.output  # the GP's return is missing
    sheet = openpyxl.load_workbook(out)["Chronology"]
    header = [c.value for c in sheet[1]]
    assert header == [*CHRONOLOGY_COLUMNS, "End Date", "End Time", "Age", "Days Since Previous",
                      "Risk"]
    dates = [(c.value, c.number_format, c.data_type) for c in sheet["B"][1:]]
    assert dates == [
        (dt.datetime(2025, 1, 1), "yyyy", "d"),
        (dt.datetime(2025, 3, 3), "dd/mm/yyyy", "d"),
        (dt.datetime(2025, 3, 4), "dd/mm/yyyy", "d"),
        (dt.datetime(2025, 5, 1), "mmmm yyyy", "d"),
        (dt.datetime(2025, 6, 1), "mmmm yyyy", "d"),
        (dt.datetime(2025, 6, 12), '"?"dd/mm/yyyy', "d"),
        (dt.datetime(2025, 6, 16), "dd/mm/yyyy", "d"),
    ]
    chronology = rows_of(sheet)
    assert [r["Time"] for r in chronology] == [None, "?14:30", None, None, None, None, "09:15"]
    assert [(r["End Date"], sheet.cell(row=i, column=15).number_format)
            for i, r in enumerate(chronology, start=2) if r["End Date"]] == [
        (dt.datetime(2025, 7, 1), "mmmm yyyy"), (dt.datetime(2025, 6, 18), "dd/mm/yyyy")]
    assert [r["Source Row"] for r in chronology] == [5, 2, 2, 3, 3, 4, 6]
    assert all(sheet.cell(row=i, column=14).data_type == "n" for i in range(2, 9))
    assert [r["Age"] for r in chronology] == ["47 or 48", 47, 47, 47, "47 or 48", 47, 48]
    assert [r["Days Since Previous"] for r in chronology] == [None, None, 1, None, None, None, 4]
    assert [r["Risk"] for r in chronology] == ["Low", "High", None, None, None, None, None]
    assert sheet.freeze_panes == "C2"


def test_agencies_authors_and_glossary(returns, review_file, tmp_path):
    out = tmp_path / "combined.xlsx"
    collate(str(returns), "-o", str(out), "--review", str(review_file), "-q")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Chronology", "Agencies", "Gaps", "Overlaps", "Findings",
                               "Glossary", "About"]
    agencies = rows_of(book["Agencies"])
    assert [(a["Short Name"], a["Author"], a["Role"], a["Date Completed"], a["Entries"])
            for a in agencies] == [
        ("Police", "DS Example", "Review officer", "01/10/2025", 5),
        ("ASC", "A Manager", None, None, 2),
        ("GP", None, None, None, 0),
    ]
    assert [tuple(r.values()) for r in rows_of(book["Glossary"])] == [
        ("DNA", "Did not attend", "Police, ASC"),  # one meaning, written two ways: once
        ("PVP", "Public protection notice", "Police"),
        ("S42", "Section 42 enquiry", "ASC"),
    ]
    for name in book.sheetnames:  # every sheet prints the same way
        setup = book[name].page_setup
        assert (setup.orientation, setup.paperSize, setup.fitToHeight) == ("landscape", 8, 0), name
        assert book[name].print_title_rows in ("1:1", "$1:$1"), name


def test_round_trip_gives_the_same_entries_and_analysis(returns, review_file, tmp_path):
    out = tmp_path / "combined.xlsx"
    collate(str(returns), "-o", str(out), "--review", str(review_file), "-q")
    options = ReadOptions(review=load_review(review_file))
    collation = from_returns([returns], options, Settings()).collation
    entries, about = read_combined_workbook(out)

    def shown(entry):
        extras = {k: v for k, v in entry.extras.items() if v}  # a blank extra is no value
        return (entry.ref, entry.agency, entry.date, entry.time, str(entry.time), entry.end_date,
                entry.end_time, entry.key_event, entry.row, extras, entry.event, entry.flags)

    assert [shown(e) for e in entries] == [shown(e) for e in collation.entries]
    assert [e.date for e in entries] == [D(2025), D(2025, 3, 3), D(2025, 3, 4), D(2025, 5),
                                         D(2025, 6), D(2025, 6, 12, True), D(2025, 6, 16)]
    assert str(entries[1].time) == "14:30:00" and entries[1].time.__class__.__name__ == "UncertainTime"

    def gaps(source: Path) -> dict:
        result = runner.invoke(app, ["gaps", str(source), "--review", str(review_file),
                                     "--format", "json"])
        data = json.loads(result.stdout)
        data.pop("account", None)
        return data

    assert gaps(out) == gaps(returns)
    imrs = []
    for source in (["--chronology", str(out)], [str(returns)]):
        target = tmp_path / f"imr-{len(imrs)}.md"
        made = runner.invoke(app, ["new-imr", "--agency", "Police", *source, "-o", str(target),
                                   "--review", str(review_file)])
        assert made.exit_code in (0, 1), made.output
        imrs.append(target.read_text("utf-8"))
    # the same IMR; its glossary in the Glossary sheet's (alphabetical) order from the workbook
    combined, direct = (text.split("## 13. Glossary") for text in imrs)
    assert combined[0] == direct[0]
    assert combined[1].splitlines()[-2:] == ["| DNA | Did not attend |", "| PVP | Public protection notice |"]
    assert sorted(combined[1].splitlines()) == sorted(direct[1].splitlines())


def test_a_date_typed_over_as_text_is_read_as_written(returns, review_file, tmp_path):
    out = tmp_path / "combined.xlsx"
    collate(str(returns), "-o", str(out), "--review", str(review_file), "-q")
    book = openpyxl.load_workbook(out)
    book["Chronology"]["B3"] = "?April 2025"  # an administrator's correction, as text
    book.save(out)
    entries, _ = read_combined_workbook(out)
    assert entries[1].date == D(2025, 4, None, True)
    assert entries[2].date == D(2025, 3, 4)  # openpyxl kept the other cells' formats


def test_key_events_view(returns, review_file, tmp_path):
    out = tmp_path / "key.xlsx"
    made = collate(str(returns), "-o", str(out), "--review", str(review_file), "--key-events")
    assert "Wrote" in made.stderr and "(3 key events)" in made.stderr
    book = openpyxl.load_workbook(out)
    chronology = rows_of(book["Chronology"])
    assert [(r["Ref"], r["Key Event"]) for r in chronology] == [
        ("C0002", "Y"), ("C0003", "Y"), ("C0007", "Y")]
    full = tmp_path / "full.xlsx"
    collate(str(returns), "-o", str(full), "--review", str(review_file), "-q")
    assert rows_of(book["Gaps"]) == rows_of(openpyxl.load_workbook(full)["Gaps"])
    about = {r["Item"]: r["Value"] for r in rows_of(book["About"])}
    assert (about["View"], about["Entries shown"], about["Entries"]) == ("key events only", 3, 7)
    with pytest.raises(SarkitError, match="holds only the key events"):
        read_combined_workbook(out)
    # refused as the wrong kind of input: nothing written, exit 2 (not 1, "written with errors")
    imr = tmp_path / "imr.md"
    for args in (["gaps", str(out), "--review", str(review_file)],
                 ["new-imr", "--agency", "GP", "--chronology", str(out), "-o", str(imr),
                  "--review", str(review_file)]):
        refused = runner.invoke(app, args)
        assert refused.exit_code == 2, refused.output
        assert "holds only the key events" in refused.output
    assert not imr.exists()
    csv_out = tmp_path / "key.csv"
    collate(str(returns), "-o", str(csv_out), "--review", str(review_file), "--key-events", "-q")
    lines = csv_out.read_text("utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in lines[2:]] == ["C0002", "C0003", "C0007"]


def test_rows_are_as_high_as_their_wrapped_text(returns, review_file, tmp_path):
    out = tmp_path / "combined.xlsx"
    collate(str(returns), "-o", str(out), "--review", str(review_file), "-q")
    book = openpyxl.load_workbook(out)
    findings = book["Findings"]
    assert findings.max_row > 1
    for number in range(2, findings.max_row + 1):
        message = findings.cell(row=number, column=8).value or ""
        lines = -(-len(message) // 69)  # 60 wide at 1.15 characters per unit
        assert findings.row_dimensions[number].height >= 12 * lines, number


@pytest.mark.parametrize(("review", "date", "shown"), [
    (Review(subject_birth_date=dt.date(1980, 2, 29)), D(2024, 2, 28), 43),
    (Review(subject_birth_date=dt.date(1980, 2, 29)), D(2024, 2, 29), 44),
    (Review(subject_birth_date=dt.date(1980, 2, 29)), D(2024, 2), "43 or 44"),
    (Review(subject_birth_date=dt.date(1980, 2, 29)), D(1979), None),
    (Review(subject_age_at_start=40, period_start=dt.date(2024, 4, 1)), D(2024, 4, 1), 40),
    (Review(subject_age_at_start=40, period_start=dt.date(2024, 4, 1)), D(2024, 4, 2), "40 or 41"),
    (Review(subject_age_at_start=40, period_start=dt.date(2024, 4, 1)), D(2025, 3, 31), "40 or 41"),
    (Review(subject_age_at_start=40, period_start=dt.date(2024, 4, 1)), D(2025, 4, 1), 41),
    (Review(), D(2024, 4, 1), None),
])
def test_age_is_a_range_when_it_is_not_known(review, date, shown):
    assert age_text(age_range(review, date)) == shown


def test_review_toml_subject_keys(tmp_path):
    path = tmp_path / "review.toml"
    path.write_text("[review]\nperiod_start = 2024-04-01\nsubject_age_at_start = 40\n")
    assert load_review(path).subject_age_at_start == 40
    path.write_text("[review]\nsubject_age_at_start = 40\n")
    with pytest.raises(SarkitError, match="subject_age_at_start needs period_start"):
        load_review(path)
    path.write_text("[review]\nperiod_start = 2024-04-01\nsubject_birth_date = 1980-01-01\n"
                    "subject_age_at_start = 40\n")
    with pytest.raises(SarkitError, match="not both"):
        load_review(path)
    path.write_text("[review]\nsubject_birth_date = 1980-01-01\n")
    assert load_review(path).subject_birth_date == dt.date(1980, 1, 1)


@pytest.mark.parametrize(("number_format", "meaning"), [
    ("dd/mm/yyyy", ("day", False)), ('"?"dd/mm/yyyy', ("day", True)), ("mmmm yyyy", ("month", False)),
    ('"?"mmmm yyyy', ("month", True)), ("yyyy", ("year", False)), (r"\?yyyy", ("year", True)),
    ("d-mmm-yy", ("day", False)), ("General", None), ("0", None),
])
def test_number_format_precision(number_format, meaning):
    assert format_precision(number_format) == meaning


@pytest.mark.libreoffice
def test_every_sheet_prints_landscape_with_marking_and_page_numbers(returns, review_file, tmp_path):
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or pdftotext is not installed")
    out = tmp_path / "combined.xlsx"
    collate(str(returns), "-o", str(out), "--review", str(review_file), "-q")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "combined.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages == 7  # one page for each sheet
    size = next(line for line in info.splitlines() if line.startswith("Page size:"))
    width, height = (float(v) for v in size.split()[2:5:2])
    assert (round(width), round(height)) == (1191, 842)  # A3 landscape, in points
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout.split("\f")
    for number, page in enumerate(text[:pages], start=1):
        assert "OFFICIAL-SENSITIVE" in page and "SAR-TEST-1" in page, number
        assert f"Page {number} of" in page or "Page 1 of 1" in page, number
    assert "?12/06/2025" in text[0] and "May 2025" in text[0] and "47 or 48" in text[0]


def test_a_workbook_made_before_date_cells_still_reads(tmp_path):
    """Text dates, a text Source Row and the hidden Sort Date / End Date / End Time at the end."""
    path = tmp_path / "old.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Chronology"
    sheet.append([*CHRONOLOGY_COLUMNS, "Risk", "Sort Date", "End Date", "End Time"])
    sheet.append(["C0001", "May 2025", "", "Police", "Log", "Patrols", "", "", "", "N", "", "",
                  "police.xlsx", "7", "High", dt.datetime(2025, 5, 1), "June 2025", ""])
    sheet.append(["C0002", "?03/06/2025", "?14:30", "Police", "Log", "Visit", "", "", "", "", "",
                  "", "police.xlsx", "8", "", dt.datetime(2025, 6, 3), "", ""])
    book.create_sheet("About").append(["Item", "Value"])
    book.save(path)
    entries, _ = read_combined_workbook(path)
    assert [(e.date, e.end_date, str(e.time), e.row, e.extras) for e in entries] == [
        (D(2025, 5), D(2025, 6), "None", 7, {"Risk": "High"}),
        (D(2025, 6, 3, True), None, "14:30:00", 8, {}),
    ]
    assert entries[1].time.__class__.__name__ == "UncertainTime"


def test_a_disk_that_fills_while_the_workbook_is_zipped_is_one_sentence(returns, review_file,
                                                                       tmp_path, monkeypatch):
    import errno

    import xlsxwriter.workbook

    def full(*_args: object, **_kwargs: object):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(xlsxwriter.workbook, "ZipFile", full)
    out = tmp_path / "out" / "combined.xlsx"
    made = collate(str(returns), "-o", str(out), "--review", str(review_file), "-q")
    assert made.exit_code == 2, made.output
    assert made.output.strip().splitlines()[-1] == (
        f"Error: There is not enough disk space to write {out}. Free some space, or write "
        "somewhere else with -o.")
    assert list(out.parent.iterdir()) == []


def test_dates_before_march_1900_are_text_and_read_back(tmp_path, monkeypatch):
    """Excel's day numbers before March 1900 differ between programs (the 1900 leap-year bug):
    such dates (a typo, a birth recorded as an event) are written as text, as written."""
    folder = tmp_path / "returns"
    write_return(folder / "a.xlsx", [row(day="May 1899", time=""), row(day="01/01/1900", time=""),
                                     row(day="01/03/1900", time="")], details={"Agency:": "Police"})
    out = tmp_path / "combined.xlsx"
    monkeypatch.chdir(tmp_path)
    made = collate(str(folder), "-o", str(out), "-q")
    assert made.exit_code == 0, made.output
    cells = [(c.value, c.data_type) for c in openpyxl.load_workbook(out)["Chronology"]["B"][1:]]
    assert cells == [("May 1899", "s"), ("01/01/1900", "s"), (dt.datetime(1900, 3, 1), "d")]
    entries, _ = read_combined_workbook(out)
    assert [e.date for e in entries] == [D(1899, 5), D(1900, 1, 1), D(1900, 3, 1)]


def test_a_sheet_that_would_pass_the_row_limit_ends_with_what_was_left_out(tmp_path, monkeypatch):
    """Issue 15: 530,000 rejected rows must not fail the review; the Findings sheet says how many
    rows it could not hold (the limit is lowered here to keep the test small)."""
    from conftest import row, write_return
    from typer.testing import CliRunner

    import sarkit.output.combined_workbook as writer
    from sarkit.cli import app

    monkeypatch.setattr(writer, "SHEET_ROW_LIMIT", 5)
    write_return(tmp_path / "returns" / "police.csv",
                 [row(day="31/02/2025", event=f"Visit {i}") for i in range(12)])
    out = tmp_path / "out" / "combined.xlsx"
    done = CliRunner().invoke(app, ["collate", str(tmp_path / "returns"), "--agency", "Police",
                                    "-o", str(out), "-q"])
    assert done.exit_code == 1, done.output  # every row rejected: written, not complete
    rows = list(openpyxl.load_workbook(out)["Findings"].iter_rows(values_only=True))
    assert len(rows) == 1 + 5
    assert rows[5][0] == ("… and 8 more rows, over the 5 a sheet can hold: see sarkit validate "
                          "--format json for all.")


def test_the_source_file_column_fits_its_longest_name_and_long_names_raise_the_row(tmp_path, review_file):
    """Source File is as wide as its longest file name (one line, so the row stays one line
    high); past 40 a name wraps, and its row is made as high as its lines, as are rows whose
    agency or extra column wraps. Before, a wrapped file name ran over the next row in print."""
    from sarkit.output.combined_workbook import source_file_width

    assert source_file_width(["police.xlsx"]) == 18  # the usual width: short names
    assert source_file_width(["hospital-ward-chronology.xlsx"]) == 26.2  # 29 characters / 1.15 + 1
    assert source_file_width(["POLICE-CHRONOLOGY-2025.XLSX"]) == 30.4  # capitals: 154.5 points / 5.25 + 1
    assert source_file_width(["x" * 80]) == 40
    folder = tmp_path / "returns"
    write_return(folder / "police-ward-chronology.xlsx", [row(day="03/03/2025"), row(day="04/03/2025")])
    write_return(folder / f"{'asc-' * 14}chronology.xlsx", [[*row(day="05/03/2025"), "ok"],
                                                              [*row(day="06/03/2025"), "x " * 20]],
                 header=[*HEADER, "Note"])
    out = tmp_path / "combined.xlsx"
    collate(str(folder), "-o", str(out), "--review", str(review_file), "-q")
    sheet = openpyxl.load_workbook(out)["Chronology"]
    header = [c.value for c in sheet[1]]
    assert header[12:13] == ["Source File"] and header[-1] == "Note"
    assert sheet.column_dimensions["M"].width == pytest.approx(40.71, abs=0.01)  # 40 + padding
    heights = [sheet.row_dimensions[n].height for n in range(2, 6)]
    names = [sheet.cell(row=n, column=13).value for n in range(2, 6)]
    assert names == [*["police-ward-chronology.xlsx"] * 2, *[f"{'asc-' * 14}chronology.xlsx"] * 2]
    # row 2: its Flags on two lines (as before); row 3: one line, its file name fits; row 4: the
    # long name, 71 characters at 46 a line, two lines; row 5: the Note, 39 characters at 18 a line
    assert heights == [2 * 12 + 3, None, 2 * 12 + 3, 3 * 12 + 3]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_line_breaks_typed_as_cr_lf_or_cr_are_written_as_lf(review_file, tmp_path, suffix):
    """Spreadsheet programs save a cell's line breaks as LF: a CR LF or lone CR copied as it was
    made a workbook saved again in LibreOffice differ (sarkit diff: 'changed') from the one written."""
    folder = tmp_path / "returns"
    write_return(folder / f"police{suffix}",
                 [row(event="Call from a neighbour\r\nOfficers attended\rAdult safe")])
    out = tmp_path / "combined.xlsx"
    made = collate(str(folder), "-o", str(out), "--review", str(review_file), "-q")
    assert out.is_file(), made.output
    entries, _ = read_combined_workbook(out)
    assert [e.event for e in entries] == ["Call from a neighbour\nOfficers attended\nAdult safe"]
    sheet_events = [r["Event / Contact Details"] for r in rows_of(openpyxl.load_workbook(out)["Chronology"])]
    assert sheet_events == ["Call from a neighbour\nOfficers attended\nAdult safe"]
