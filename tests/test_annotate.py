"""`sarkit validate --annotate DIR` and `--feedback DIR`: what agencies get back."""

from __future__ import annotations

import hashlib
import json
import os
import re

import docx
import openpyxl
import pytest
from conftest import HEADER, row, write_return
from corpus import encrypt_office
from openpyxl.comments import Comment
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.findings import CATALOGUE, finding
from sarkit.output.agency_wording import JARGON, advice
from sarkit.output.annotated_returns import FILLS

runner = CliRunner()
RED, AMBER = FILLS.values()
NO_JARGON = re.compile(r"--|review\.toml|sarkit|=date|HEADING=|schema", re.IGNORECASE)


def run(*args: str):
    return runner.invoke(app, list(args))


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def police(tmp_path):
    """An xlsx return: a bad date (A3), a blank action (E4), an unknown column (G1), a formula
    and the author's own comment, which the copy keeps."""
    path = write_return(tmp_path / "returns" / "police.xlsx", [
        [*row(), "x"], [*row(day="31/02/2025"), ""], [*row(action=""), ""]],
        header=[*HEADER, "Whenn"])
    book = openpyxl.load_workbook(path)
    sheet = book["Chronology"]
    sheet["B2"].comment = Comment("Time from the call log", "PC 101")
    sheet["H2"] = "=1+1"
    book.save(path)
    return path


def cell_notes(path, sheet: str = "Chronology") -> dict[str, tuple[str, str]]:
    ws = openpyxl.load_workbook(path)[sheet]
    return {c.coordinate: (c.fill.fgColor.rgb[-6:], c.comment.text) for r in ws.iter_rows()
            for c in r if c.comment is not None}


def test_annotated_copy_marks_each_cell_and_keeps_the_original(police, tmp_path):
    before = digest(police)
    out = tmp_path / "out" / "annotated"
    result = run("validate", str(police), "--agency", "Police", "--annotate", str(out),
                 "--reply-by", "31/12/2099")
    assert result.exit_code == 1
    assert f"Wrote 1 annotated copy to {out}." in result.stderr
    assert digest(police) == before
    copy = out / "police-annotated.xlsx"
    book = openpyxl.load_workbook(copy)
    assert book.sheetnames == ["What to fix", "Chronology"] and book.active.title == "What to fix"
    notes = cell_notes(copy)
    assert set(notes) == {"A3", "E4", "G1", "H2", "B2"}
    assert notes["A3"][0] == RED and notes["A3"][1].startswith(
        "Must be corrected: The Date in row 3 cannot be read as a date.")
    assert notes["E4"] == (AMBER, "Please check: Row 4 has no Action Taken / Outcome. "
                           "Say what was done as a result, or 'No action'.")
    assert notes["G1"][0] == AMBER and "--map" not in notes["G1"][1]
    assert notes["H2"] == (RED, "Must be corrected: The cell H2 of the sheet Chronology holds a "
                           "formula with no saved value, so it reads as blank. Open the workbook in "
                           "Excel or LibreOffice, let it calculate its formulas and save it, or "
                           "replace the formulas with their values (Copy, then Paste Special > "
                           "Values).")
    assert notes["B2"] == (AMBER, "Time from the call log\n\nReview team: Please check: The cell "
                           "B2 of the sheet Chronology has a comment; comments are not read into "
                           "the chronology. Move anything important in the comment into the "
                           "Comment / Analysis column.")  # the author's comment kept, ours added
    assert book["Chronology"]["H2"].value == "=1+1"  # the author's formula kept
    setup = book["What to fix"].page_setup
    assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0)
    listing = list(book["What to fix"].iter_rows(values_only=True))
    assert listing[1][0] == ("We found 2 things that must be corrected and 3 things to check. "
                             "Please send the corrected return by Thursday 31 December 2099.")
    header = listing.index(("Where", "How serious", "What is wrong", "How to fix it"))
    assert [r[:2] for r in listing[header + 1:]] == [
        ("sheet Chronology, cell H2", "Must be corrected"),
        ("sheet Chronology, cell A3", "Must be corrected"),
        ("sheet Chronology, cell G1", "Please check"),
        ("sheet Chronology, cell B2", "Please check"),
        ("sheet Chronology, cell E4", "Please check")]
    text = " ".join(str(v) for r in listing for v in r if v) + " ".join(n for _, n in notes.values())
    assert not NO_JARGON.search(text)
    back = run("validate", str(copy), "--agency", "Police", "--format", "json")  # sent back as is
    data = json.loads(back.stdout)["files"][0]
    assert (data["skipped"], data["sheet"], data["entries"]) == (False, "Chronology", 2)


def test_a_cell_inside_merged_cells_is_marked_on_its_top_left_cell(tmp_path):
    path = write_return(tmp_path / "returns" / "gp.xlsx", [row(), row(day=""), row(day="")],
                        merge=["A3:A4"])
    out = tmp_path / "annotated"
    result = run("validate", str(path), "--agency", "GP", "--annotate", str(out))
    assert "Wrote 1 annotated copy" in result.stderr
    notes = cell_notes(out / "gp-annotated.xlsx")
    assert set(notes) == {"A3"} and notes["A3"][0] == RED
    assert "Row 3 has no date" in notes["A3"][1] and "Row 4 has no date" in notes["A3"][1]
    assert "merged" in notes["A3"][1]


def test_other_formats_get_an_xlsx_copy_of_the_table(tmp_path):
    csv = write_return(tmp_path / "returns" / "asc.csv", [row(), row(event="=cmd|' /C calc'!A0"),
                                                          row(day="")])
    out = tmp_path / "annotated"
    run("validate", str(csv), "--agency", "ASC", "--annotate", str(out))
    book = openpyxl.load_workbook(out / "asc-annotated.xlsx")
    sheet = book["CSV"]
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet["D3"].value == "=cmd|' /C calc'!A0" and sheet["D3"].data_type == "s"
    assert sheet["A2"].value == "03/03/2025"
    assert cell_notes(out / "asc-annotated.xlsx", "CSV")["A4"][0] == RED


def test_a_damaged_return_is_listed_and_the_others_annotated(police, tmp_path):
    broken = tmp_path / "returns" / "gp.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a workbook")
    out = tmp_path / "annotated"
    result = run("validate", str(tmp_path / "returns"), "--agency", "Police", "--annotate", str(out))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (f"Not annotated: {broken}: The file looks like a zipped Office file but it is "
            "damaged or incomplete.") in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["police-annotated.xlsx"]


def test_encrypted_return_only_with_its_password_and_the_copy_says_so(police, tmp_path,
                                                                      monkeypatch):
    locked = tmp_path / "locked" / "police.xlsx"
    locked.parent.mkdir()
    locked.write_bytes(encrypt_office(police.read_bytes(), "s3cret"))
    out = tmp_path / "annotated"
    result = run("validate", str(locked), "--agency", "Police", "--annotate", str(out))
    assert "Not annotated" in result.stderr and not out.exists()
    monkeypatch.setenv("SARKIT_PASSWORD", "s3cret")
    result = run("validate", str(locked), "--agency", "Police", "--annotate", str(out))
    copy = out / "police-annotated.xlsx"
    assert "is NOT password-protected" in result.stderr
    assert cell_notes(copy)["A3"][0] == RED
    first = [r[0] for r in openpyxl.load_workbook(copy)["What to fix"].iter_rows(values_only=True)]
    assert any(str(v).startswith("This copy is NOT password-protected") for v in first)


def test_output_rules(police, tmp_path):
    out = tmp_path / "annotated"
    args = ["validate", str(police), "--agency", "Police", "--annotate", str(out)]
    assert run(*args).exit_code == 1
    copy = out / "police-annotated.xlsx"
    copy.write_bytes(b"kept")
    again = run(*args)
    assert "already exists" in again.stderr and copy.read_bytes() == b"kept"
    assert run(*args, "--force").exit_code == 1 and copy.read_bytes() != b"kept"
    inside = run("validate", str(police.parent), "--agency", "Police", "--annotate",
                 str(police.parent / "annotated"))
    assert inside.exit_code == 2 and not (police.parent / "annotated").exists()
    link = tmp_path / "link"
    try:
        os.symlink(tmp_path / "elsewhere", link, target_is_directory=True)
    except OSError:
        pytest.skip("symbolic links need privileges here")
    (tmp_path / "elsewhere").mkdir()
    through = run("validate", str(police), "--agency", "Police", "--annotate", str(link))
    assert through.exit_code == 2 and "symbolic link" in through.stderr
    assert not list((tmp_path / "elsewhere").iterdir())
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_feedback_letters_in_word_and_plain_text(police, tmp_path):
    folder = tmp_path / "feedback"
    result = run("validate", str(police), "--agency", "Police", "--feedback", str(folder),
                 "--reply-by", "31/12/2099")
    assert result.exit_code == 1
    assert sorted(p.name for p in folder.iterdir()) == ["police-feedback.docx",
                                                        "police-feedback.txt"]
    text = (folder / "police-feedback.txt").read_text("utf-8")
    assert text.startswith("OFFICIAL-SENSITIVE\n\nTo: Police\nSubject: Your chronology return")
    assert ("Please correct them and send the return back to us by Thursday 31 December 2099."
            in text)
    assert "- Sheet Chronology, cell A3: The Date in row 3 cannot be read as a date." in text
    assert ("- Sheet Chronology, cell E4: Row 4 has no Action Taken / Outcome. Say what was done "
            "as a result, or 'No action'.") in text
    assert "31/02" not in text and not NO_JARGON.search(text)
    letter = docx.Document(str(folder / "police-feedback.docx"))
    words = "\n".join(p.text for p in letter.paragraphs)
    assert "Please correct these" in words and "Thursday 31 December 2099" in words
    assert "Sheet Chronology, cell A3: The Date in row 3" in words
    assert not NO_JARGON.search(words)
    assert "OFFICIAL-SENSITIVE" in letter.sections[0].header.paragraphs[0].text


@pytest.mark.parametrize("args, says", [
    (["--reply-by", "31/12/2099"], "give --feedback DIR or --annotate DIR"),
    (["--feedback", "fb", "--reply-by", "December 2025"], "is not a day written as dd/mm/yyyy"),
    (["--feedback", "fb", "--reply-by", "31/02/2025"], "is not a day written as dd/mm/yyyy"),
    (["--feedback", "fb", "--reply-by", "01/01/2020"], "is in the past"),
])
def test_reply_by_must_be_a_day_for_a_letter(police, tmp_path, args, says):
    result = run("validate", str(police), "--agency", "Police", *args)
    assert result.exit_code == 2 and says in result.stderr


@pytest.mark.parametrize("code", list(CATALOGUE))
def test_every_finding_has_agency_words_without_jargon(code):
    said = advice(finding(code, "x.xlsx", "No agency could be determined (no --agency).",
                          sheet="Chronology", row=4, cell="B4"))
    assert said.what and said.fix and said.where == "sheet Chronology, cell B4"
    assert not JARGON.search(said.what + " " + said.fix)
    assert not NO_JARGON.search(said.what + " " + said.fix)


def test_a_word_return_and_an_emailed_one_get_copies_with_their_cells_marked(tmp_path):
    from corpus import docx_bytes, eml_bytes

    folder = tmp_path / "returns"
    folder.mkdir()
    bad = [["31/02/2024", "10:00", "Case notes", "Visit", "None", "PC 1"],
           ["01/03/2024", "10:00", "Case notes", "Call", "", "PC 2"]]
    (folder / "police.docx").write_bytes(docx_bytes(bad))
    workbook = write_return(tmp_path / "gp.xlsx", [row(day="")]).read_bytes()
    (folder / "gp.eml").write_bytes(eml_bytes([(
        "gp return.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        workbook)]))
    out = tmp_path / "annotated"
    result = run("validate", str(folder), "--agency", "Police", "--annotate", str(out))
    assert "Wrote 2 annotated copies" in result.stderr, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["gp-return-annotated.xlsx",
                                                     "police-annotated.xlsx"]
    word = openpyxl.load_workbook(out / "police-annotated.xlsx")
    table = word.sheetnames[1]
    notes = cell_notes(out / "police-annotated.xlsx", table)
    assert notes["A2"][0] == RED and "31/02" not in notes["A2"][1]  # the Date column, row 2
    assert notes["E3"][0] == AMBER and "Action Taken / Outcome" in notes["E3"][1]
    assert cell_notes(out / "gp-return-annotated.xlsx")["A2"][0] == RED


def test_every_return_of_the_example_review_is_annotated(tmp_path):
    from pathlib import Path

    returns = Path(__file__).resolve().parent.parent / "examples" / "returns"
    before = {p.name: digest(p) for p in returns.iterdir()}
    out = tmp_path / "annotated"
    result = run("validate", str(returns), "--annotate", str(out), "--review",
                 str(returns.parent / "review.toml"))
    assert "Not annotated" not in result.stderr and "Traceback" not in result.output
    assert len(list(out.iterdir())) == len(before) == 7
    assert {p.name: digest(p) for p in returns.iterdir()} == before
    xls = cell_notes(out / "hospital-trust-chronology-annotated.xlsx")
    assert xls["F8"][0] == RED


# The review team's words about the agency ("Ask the agency…", "ask it to…"); 'the Agency cell' is a column.
THIRD_PERSON = re.compile(r"\b[Tt]he agency\b|\b[Aa]sk (?:it|them)\b")


def _clauses(text: str) -> list[str]:
    """The clauses of a text (cut at . ; : ? !), lower case, spaces run together."""
    return [" ".join(c.split()).casefold() for c in re.split(r"[.;:?!]", text) if c.strip()]


@pytest.mark.parametrize("code", list(CATALOGUE))
@pytest.mark.parametrize("message, hint", [
    (None, None),  # the catalogue's own words, as a message of those words would give
    ("Row 4 was read. Ask the agency which entries stand.", "Ask the agency to send it again."),
    ("Row 4 was read; ask the agency for the day.", "If it is late, ask it to say so; else ask them."),
])
def test_a_letter_never_speaks_of_the_agency_nor_says_a_thing_twice(code, message, hint):
    """What the letter and the annotated copy print for each code: never the review team's words
    about the agency (the letter is to the agency), never one clause said twice."""
    said = advice(finding(code, "x.xlsx", message or CATALOGUE[code].description,
                          hint=hint, sheet="Chronology", row=4, cell="B4"))
    assert said.what and said.fix
    assert not THIRD_PERSON.search(said.what), said.what
    assert not THIRD_PERSON.search(said.fix), said.fix
    clauses = [c for c in _clauses(said.what) + _clauses(said.fix) if len(c.split()) >= 4]
    assert len(clauses) == len(set(clauses)), clauses
    fix = " ".join(said.fix.split()).casefold()
    assert not [c for c in _clauses(said.what) if len(c.split()) >= 4 and c in fix], (said.what, said.fix)


def test_event_words_in_the_letter_and_the_annotated_copy_are_for_the_agency(tmp_path):
    """entry-in-error, late-entry, event-refers-above and html-in-cell: what the review team would
    ask the agency is left out; each fix is said once, to the agency."""
    path = write_return(tmp_path / "returns" / "police.xlsx", [
        row(day="05/01/2025", event="Welfare check"),
        row(day="08/01/2025", event="Entered in error"),
        row(day="10/01/2025", event="Late entry for visit on 02/01/2025 - found on floor."),
        row(day="10/01/2025", time="15:00", event="As above"),
        row(day="12/01/2025", event="Home visit.<br>Adult T &amp; daughter present.")])
    result = run("validate", str(path), "--agency", "Police", "--feedback", str(tmp_path / "fb"),
                 "--annotate", str(tmp_path / "ann"), "--reply-by", "31/12/2099")
    assert result.exit_code == 0, result.output
    expected = [
        ("sheet Chronology, cell D3", "The Event / Contact Details of row 3 says an entry was made in "
         "error or withdrawn; the row is kept in the chronology as an entry, and if it withdraws the "
         "entry before it, that entry is still in the chronology too.",
         "Remove the entries made in error from the return (or say which entry stands), and send the "
         "return again."),
        ("sheet Chronology, cell D4", "The Event / Contact Details of row 4 says it is a late or "
         "retrospective entry for an earlier day named in its Event / Contact Details; the entry is "
         "kept on the day of its Date cell, not re-dated, so its place in the chronology and its gaps "
         "may be wrong.",
         "Put the day the event happened in the Date column (the note can say when it was written), "
         "and send the return again."),
        ("sheet Chronology, cell D5", "The Event / Contact Details of row 5 points at the entry above "
         "it (such as 'as above' or 'same as previous entry'); once sorted among other agencies' "
         "entries, the row above is another entry, so the event says nothing of its own.",
         "Write the event out in full in its own cell, and send the return again."),
        ("sheet Chronology, cell D6", "The Event / Contact Details cell in row 6 holds HTML markup from "
         "a case system's export (such as '<br>', '<p>' or '&amp;'); it was read as the text it "
         "shows: tags as line breaks or left out, '&amp;' as '&'.",
         "Please export the notes as plain text (or copy the text from the case record), check the "
         "entries read right, and send the return again.")]
    letter = (tmp_path / "fb" / "police-feedback.txt").read_text("utf-8")
    assert [line for line in letter.splitlines() if line.startswith("- ")] == [
        f"- {where[0].upper()}{where[1:]}: {what} {fix}" for where, what, fix in expected]
    assert not THIRD_PERSON.search(letter)
    sheet = openpyxl.load_workbook(tmp_path / "ann" / "police-annotated.xlsx")["What to fix"]
    rows = [r for r in sheet.iter_rows(values_only=True) if r[0] and r[0].startswith("sheet ")]
    assert [(r[0], r[2], r[3]) for r in rows] == expected


def test_letters_about_an_agencys_other_files_are_addressed_to_it(review_file, tmp_path, monkeypatch):
    """several-returns, agency-ref-versions, a cross-file duplicate-row (of the agency's own other
    file, and of another agency's return) and agency-file-mismatch: their messages and hints speak
    to the review team (returns/gp v2.xlsx, 'remove the older one from the returns folder',
    review.toml); the letter and the annotated copy say each to the agency, exactly so."""
    monkeypatch.chdir(tmp_path)
    ref_header = ["Ref", *HEADER]
    first = [["1", *row(day="14/03/2025", time="02:10", event="Attended after a fall")],
             ["2", *row(day="02/06/2025", time="19:40", event="Attended with UTI symptoms")],
             ["3", *row(day="30/11/2025", time="13:05", event="Attended: found on floor")]]
    write_return(tmp_path / "returns" / "gp.xlsx", first, header=ref_header)
    write_return(tmp_path / "returns" / "gp v2.xlsx", [
        ["1", *row(day="01/03/2025", event="Telephone triage")],
        *[[str(int(cells[0]) + 1), *cells[1:]] for cells in first]], header=ref_header)
    write_return(tmp_path / "returns" / "asc.xlsx", [row(event="Assessment")])
    write_return(tmp_path / "returns" / "police.xlsx", [[*row(event="Welfare check"), "ASC"],
                                                        [*row(event="Assessment"), "ASC"]],
                 header=[*HEADER, "Agency"])
    result = run("validate", "returns", "--review", str(review_file), "--feedback", "fb",
                 "--annotate", "ann", "--reply-by", "31/12/2099")
    assert result.exit_code == 0, result.output
    files = "We received 2 files from you: gp v2.xlsx and gp.xlsx."
    several = ("the whole file", f"{files} We included the entries of each (an entry that is the same "
               "in more than one is included once).",
               "If one of these files replaces the other, please tell us which one to use.")
    expected = {
        "gp": [several,
               ("sheet Chronology, row 2", "Rows 2, 3 and 4 of this file have the same Ref numbers as "
                "rows 2, 3 and 4 of gp v2.xlsx, another file you sent us, but other contents: we "
                "included both versions.", "If one of the two files corrects the other, please tell us "
                "which, so that we use only the corrected entries."),
               *[(f"sheet Chronology, row {n}", f"Row {n} is the same entry as row {n + 1} of gp "
                  "v2.xlsx, another file you sent us; we included it once.", "Nothing to do.")
                 for n in (2, 3, 4)]],
        "gp-v2": [several],
        "police": [
            ("the whole file", "The file's name says it is Testshire Police's return, but its entries "
             "name Testshire Adult Social Care, so we included them as Testshire Adult Social Care's "
             "entries and did not count this file as Testshire Police's return.",
             "If this file is Testshire Police's return, please correct the Agency of its entries and "
             "send it again; if it is Testshire Adult Social Care's, nothing needs to change."),
            ("sheet Chronology, row 3", "Row 3 is an entry of Testshire Adult Social Care, and the "
             "same entry is in Testshire Adult Social Care's own return; we included it once.",
             "Nothing to do.")]}
    gp = (tmp_path / "fb" / "gp-feedback.txt").read_text("utf-8")
    assert "We read 3 entries from gp.xlsx." in gp  # its rows repeated in gp v2.xlsx were read too
    for name, said in expected.items():
        letter = (tmp_path / "fb" / f"{name}-feedback.txt").read_text("utf-8")
        assert [line for line in letter.splitlines() if line.startswith("- ")] == [
            f"- {where[0].upper()}{where[1:]}: {what} {fix}" for where, what, fix in said]
        assert not THIRD_PERSON.search(letter) and not NO_JARGON.search(letter)
        assert "returns/" not in letter and "returns folder" not in letter
        sheet = openpyxl.load_workbook(tmp_path / "ann" / f"{name}-annotated.xlsx")["What to fix"]
        rows = [r for r in sheet.iter_rows(values_only=True) if r[0] and r[0].startswith(("sheet ", "the "))]
        assert [(r[0], r[2], r[3]) for r in rows] == said
