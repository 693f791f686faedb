"""`sarkit collate -o X.docx` / `--also docx`: the combined chronology as a Word document."""

from __future__ import annotations

import shutil
import subprocess

import docx
import pytest
from conftest import HEADER, row, write_return
from docx.oxml.ns import qn
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.formats.combined_layout import CHRONOLOGY_COLUMNS, GAPS_COLUMNS, OVERLAPS_COLUMNS
from sarkit.formats.mark import MADE_BY, is_sarkit_output
from sarkit.output.colours import agency_colours

runner = CliRunner()
KEY_HEADER = [*HEADER, "Key Event (Y/N)"]
AGENCIES = ["Testshire Police", "Testshire Adult Social Care", "Hill Surgery"]


@pytest.fixture
def returns(tmp_path, review_file):
    """Police (one key event), ASC (a row with no date: rejected) and GP returns."""
    review_file.write_text(review_file.read_text("utf-8").replace(
        'marking = "OFFICIAL-SENSITIVE"',
        'marking = "OFFICIAL-SENSITIVE"\nterms_of_reference = ["How well was risk shared?"]\n'
        '[pseudonyms]\n"Jane Roe" = "Adult T"', 1).replace("[analysis]", "\n[analysis]"),
        encoding="utf-8")
    folder = tmp_path / "returns"
    write_return(folder / "police.xlsx", [
        [*row(day="03/03/2025", time="09:00", event="Welfare check on Jane Roe"), "Y"],
        [*row(day="20/06/2025", time="", event="Patrol visit\nsecond line"), "N"],
    ], header=KEY_HEADER)
    write_return(folder / "asc.xlsx", [row(day="03/03/2025", event="Concern received"),
                                       row(day="", event="Row with no date")])
    write_return(folder / "gp.csv", [row(day="05/03/2025", event="=SUM(A1)")])
    return folder


def fill(cell) -> str | None:
    shading = cell._tc.tcPr.find(qn("w:shd"))
    return None if shading is None else shading.get(qn("w:fill"))


def texts(table) -> list[list[str]]:
    return [[cell.text for cell in r.cells] for r in table.rows]


def test_collate_writes_the_chronology_as_word(returns, review_file, tmp_path):
    out = tmp_path / "out" / "combined.docx"
    result = runner.invoke(app, ["collate", str(returns), "-o", str(out), "--review",
                                 str(review_file)])
    assert result.exit_code == 1, result.output  # written, but a row was rejected
    assert f"Wrote {out} (4 entries)." in result.output
    document = docx.Document(str(out))
    section = document.sections[0]
    assert (round(section.page_width.cm), round(section.page_height.cm)) == (42, 30)
    assert "OFFICIAL-SENSITIVE" in section.header.paragraphs[0].text
    assert "SAR-TEST-1" in section.header.paragraphs[0].text
    assert "PAGE" in section.footer.paragraphs[0]._p.xml
    assert document.core_properties.comments == MADE_BY and is_sarkit_output(out)
    paragraphs = [p.text for p in document.paragraphs]
    for line in ("Review: SAR-TEST-1", "Subject: Adult T", "Period: 01/01/2025 to 31/12/2025",
                 "How well was risk shared?",
                 "1 row was rejected and is not in this chronology: asc.xlsx row 3."):
        assert line in paragraphs
    returned, chronology, gaps, overlaps = document.tables
    assert texts(returned)[1:] == [
        ["Testshire Police", "Police", "2 entries", "police.xlsx", ""],
        ["Testshire Adult Social Care", "ASC", "1 entry", "asc.xlsx", ""],
        ["Hill Surgery", "GP", "1 entry", "gp.csv", ""],
    ]
    rows = texts(chronology)
    assert rows[0] == list(CHRONOLOGY_COLUMNS)
    assert [r[:4] for r in rows[1:]] == [["C0001", "03/03/2025", "09:00", "Police"],
                                         ["C0002", "03/03/2025", "10:00", "ASC"],
                                         ["C0003", "05/03/2025", "10:00", "GP"],
                                         ["C0004", "20/06/2025", "", "Police"]]
    assert rows[1][5] == "Welfare check on Adult T"  # pseudonym applied
    assert rows[3][5] == "=SUM(A1)" and rows[4][5] == "Patrol visit\nsecond line"
    assert [r[9] for r in rows[1:]] == ["Y", "", "", "N"]
    header = chronology.rows[0]._tr
    assert header.trPr.find(qn("w:tblHeader")) is not None
    assert all(run.bold for cell in chronology.rows[0].cells for run in cell.paragraphs[0].runs)
    colours = {k: v.lstrip("#") for k, v in agency_colours(AGENCIES).items()}
    assert [fill(r.cells[0]) for r in chronology.rows[1:]] == [
        colours["Testshire Police"], colours["Testshire Adult Social Care"],
        colours["Hill Surgery"], colours["Testshire Police"]]
    bold = [any(run.bold for run in r.cells[5].paragraphs[0].runs) for r in chronology.rows[1:]]
    assert bold == [True, False, False, False]  # the key event only
    assert texts(gaps)[0] == list(GAPS_COLUMNS) and len(gaps.rows) > 1
    assert texts(overlaps)[0] == list(OVERLAPS_COLUMNS)
    assert texts(overlaps)[1][0] == "O1" and texts(overlaps)[1][3] == "Police, ASC"


def test_also_docx_next_to_the_workbook_and_output_rules(returns, review_file, tmp_path):
    out = tmp_path / "out" / "combined.xlsx"
    args = ["collate", str(returns), "-o", str(out), "--review", str(review_file), "--also", "docx"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert f"Wrote {out} and {out.with_suffix('.docx')} (4 entries)." in result.output
    assert len(docx.Document(str(out.with_suffix(".docx"))).tables) == 4
    out.unlink()
    before = out.with_suffix(".docx").read_bytes()
    again = runner.invoke(app, args)
    assert again.exit_code == 2 and "already exists" in again.output
    assert not out.exists() and out.with_suffix(".docx").read_bytes() == before
    assert runner.invoke(app, [*args, "--force"]).exit_code == 1 and out.exists()
    inside = runner.invoke(app, ["collate", str(returns), "-o", str(returns / "c.docx")])
    assert inside.exit_code == 2 and not (returns / "c.docx").exists()


def test_no_entries_still_makes_a_document(tmp_path):
    write_return(tmp_path / "returns" / "police.csv", [])
    out = tmp_path / "combined.docx"
    result = runner.invoke(app, ["collate", str(tmp_path / "returns"), "-o", str(out),
                                 "--agency", "Police"])
    assert out.exists(), result.output
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "No entries." in paragraphs and "No gaps." in paragraphs


@pytest.mark.libreoffice
def test_libreoffice_prints_the_word_chronology(returns, review_file, tmp_path):
    """LibreOffice converts it to PDF: the marking on every page, the header row repeated."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    folder = returns
    write_return(folder / "police.xlsx", [
        [*row(day=f"{d:02d}/04/2025", time="", event="Long event text " * 30), ""]
        for d in range(1, 29)], header=KEY_HEADER)
    out = tmp_path / "combined.docx"
    runner.invoke(app, ["collate", str(folder), "-o", str(out), "--review", str(review_file)])
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(out)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "pdf" / "combined.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert "OFFICIAL-SENSITIVE" in page and f"Page {number} of {len(pages)}" in page
    chronology_pages = [p for p in pages[1:] if "C00" in p]
    assert len(chronology_pages) >= 2
    assert all("Source of" in page for page in chronology_pages)  # the header row repeats
    assert "Combined multi-agency chronology" in pages[0]


def test_end_dates_and_extra_columns_get_their_columns(tmp_path):
    write_return(tmp_path / "returns" / "police.csv", [
        [*row(day="03/03/2025", event="Admitted"), "10/03/2025", "Ward 4"],
        [*row(day="12/03/2025", event="Seen"), "", ""]],
        header=[*HEADER, "End Date", "Location"])
    out = tmp_path / "combined.docx"
    runner.invoke(app, ["collate", str(tmp_path / "returns"), "-o", str(out), "--agency", "Police"])
    rows = texts(docx.Document(str(out)).tables[1])
    assert rows[0] == [*CHRONOLOGY_COLUMNS, "Location", "End Date", "End Time"]
    assert [r[-3:] for r in rows[1:]] == [["Ward 4", "10/03/2025", ""], ["", "", ""]]


def grid(table) -> dict[str, int]:
    """Heading -> the column's width in twips."""
    widths = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    return dict(zip([cell.text for cell in table.rows[0].cells], widths, strict=True))


def test_dates_times_and_heading_words_are_never_broken(returns, review_file, tmp_path):
    """Date and Time are as wide as their widest value in bold 8-point Arial (+ margins), Ref
    too, and no heading word is cut ('Key Eve|nt'): the text columns give up the width. Before,
    Date had 890 twips and Time 485, and '05/01/2025' printed as '05/01/202|5'."""
    from sarkit.output.chronology_docx import CHRONOLOGY_WEIGHTS, column_widths

    out = tmp_path / "out" / "combined.docx"
    runner.invoke(app, ["collate", str(returns), "-o", str(out), "--review", str(review_file)])
    widths = grid(docx.Document(str(out)).tables[1])
    # '05/03/2025': 5004 thousandths of an em at 8 points = 800.6 twips, a tenth more, 114 of
    # margins and 20; '09:00' (a bold colon): 2557; 'C0001': 2946; 'Event' of Key Event: 2723
    assert [widths[n] for n in ("Ref", "Date", "Time", "Key Event")] == [725, 1014, 584, 642]
    assert sum(widths.values()) <= 22110  # A3 landscape less 1.5 cm margins
    assert widths["Event / Contact Details"] == 4351  # 4403 before: the text columns give way
    # ten extra columns: the text columns shrink, the dates and times do not
    columns = [*CHRONOLOGY_COLUMNS, *(f"Extra {n}" for n in range(10)), "End Date", "End Time"]
    values = ["C0001", "?05/01/2025", "?10:00:30", *[""] * 11, *[""] * 10, "06/01/2025", "11:00"]
    weights = [*CHRONOLOGY_WEIGHTS, *[16] * 12]
    many = dict(zip(columns, column_widths(columns, [values], weights, 22110), strict=True))
    # '?05/01/2025': 5615 thousandths of an em; '?10:00:30': 4613
    assert [many[n] for n in ("Date", "Time", "End Date", "End Time")] == [1122, 945, 1014, 650]
    assert sum(many.values()) <= 22110 and many["Event / Contact Details"] == 1951


def test_widths_give_way_when_the_page_cannot_hold_every_column():
    """So many columns that even the dates cannot all have their width: the table keeps the
    page's width, shared by weight (never wider than the page)."""
    from sarkit.output.chronology_docx import column_widths

    columns = ["Date"] * 30
    widths = column_widths(columns, [["05/01/2025"] * 30], [1] * 30, 22110)
    assert widths == [737] * 30


def test_a_narrow_text_column_is_as_wide_as_its_longest_word():
    from sarkit.output.chronology_docx import _twips, column_widths

    columns = ("Agency", "Source of Information", "Event / Contact Details")
    rows = [("Ambulance", "Correspondence", "A long event " * 30),
            ("GP", "Letter", "Seen"), ("Police", "a-very-long-system-identifier-word", "Call")]
    agency, source, event = column_widths(columns, rows, (12, 18, 48), 12000)
    assert agency >= _twips("Ambulance", bold=True)
    assert source == max(_twips("a-very-long-syst", bold=True), 12000 * 18 // 78)  # capped at 16
    assert agency + source + event <= 12000
