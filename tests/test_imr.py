"""The IMR skeleton: rendered Markdown (golden files), and the same text as .docx and .html.

Regenerate the golden files after a deliberate change with: SARKIT_REGEN_GOLDEN=1 pytest tests/test_imr.py
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from sarkit.analysis import Analysis, Gap, Overlap
from sarkit.dates import PartialDate
from sarkit.entries import Entry
from sarkit.formats.mark import markdown_comment
from sarkit.formats.markdown import parse_markdown, section_items
from sarkit.output.documents import write_document
from sarkit.output.docx_document import markdown_to_docx
from sarkit.output.html_document import markdown_to_html
from sarkit.output.imr import imr_context
from sarkit.output.rendering import md_cell, md_escape, render_template
from sarkit.review import Agency, Review

GOLDEN = Path(__file__).parent / "golden"
MADE = dt.date(2025, 7, 1)
POLICE = "Northshire Police"
ASC = "Northshire Adult Social Care"
GP = "Hill Surgery"


def assert_golden(name: str, text: str) -> None:
    """Compare with tests/golden/NAME byte for byte; SARKIT_REGEN_GOLDEN=1 rewrites it."""
    path = GOLDEN / name
    if os.environ.get("SARKIT_REGEN_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8", newline="\n")
    assert path.exists(), f"{path} is missing: run with SARKIT_REGEN_GOLDEN=1 to create it"
    assert text == path.read_text("utf-8"), f"{name} differs from the golden file"


@pytest.fixture
def review() -> Review:
    return Review(
        reference="SAR-2025-07",
        subject="Adult B",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 6, 30),
        terms_of_reference=[
            "How well did agencies share information about the risks to Adult B?",
            "Was the Mental Capacity Act applied appropriately?",
        ],
        agencies=[Agency(POLICE, "Police"), Agency(ASC, "ASC"), Agency(GP, "GP")],
        pseudonyms={"Jane Example": "Adult B"},
    )


def entry(ref: str, agency: str, date: PartialDate, event: str, **extra: object) -> Entry:
    values: dict[str, object] = {"source": "Case notes", "action": "", **extra}
    return Entry(agency=agency, date=date, event=event, ref=ref, **values)  # type: ignore[arg-type]


@pytest.fixture
def entries() -> list[Entry]:
    return [
        entry("C0001", POLICE, PartialDate(2025, 1, 5), "Call from a neighbour: Jane Example shouting",
              source="Incident log", action="Officers attended", time=dt.time(22, 15)),
        entry("C0002", ASC, PartialDate(2025, 1, 5), "Safeguarding concern received",
              action="Triage"),
        entry("C0003", GP, PartialDate(2025, 2, 10), "Annual review", action="Bloods taken"),
        entry("C0004", POLICE, PartialDate(2025, 3), "Warning marker added\nReviewed by sergeant",
              source="PNC", key_event=True),
        entry("C0005", POLICE, PartialDate(2025, 4, 2, uncertain=True), "Welfare check",
              source="Incident log", action="No concerns | *none*"),
    ]


@pytest.fixture
def analysis() -> Analysis:
    return Analysis(
        gaps=[
            Gap("agency", POLICE, dt.date(2025, 1, 6), dt.date(2025, 2, 28), 54, "C0001", "C0004",
                others_active=2, others_entries=14),
            Gap("agency", POLICE, dt.date(2025, 4, 3), dt.date(2025, 5, 1), 29, "C0005", None,
                others_active=1, others_entries=1),
            Gap("agency", ASC, dt.date(2025, 1, 6), dt.date(2025, 6, 30), 176, "C0002", None),
            Gap("all-agency", None, dt.date(2025, 5, 2), dt.date(2025, 6, 30), 60, "C0005", None),
        ],
        overlaps=[
            Overlap("O1", dt.date(2025, 1, 5), dt.date(2025, 1, 5), (POLICE, ASC), ("C0001", "C0002"),
                    "none recorded"),
            Overlap("O2", dt.date(2025, 2, 10), dt.date(2025, 2, 11), (ASC, GP), ("C0003", "C0009"),
                    "none recorded"),
            Overlap("O3", dt.date(2025, 4, 2), dt.date(2025, 4, 2), (GP, POLICE, ASC),
                    ("C0005", "C0010", "C0011"), "recorded"),
        ],
    )


def render_imr(agency: str, review: Review, entries, analysis, glossary=()) -> str:
    context = imr_context(agency, review=review, entries=entries, analysis=analysis,
                          glossary=glossary, today=MADE)
    return render_template("imr.md.j2", context, review=review)


def test_imr_markdown_matches_golden(review, entries, analysis):
    text = render_imr(POLICE, review, entries, analysis, [("PNC", "Police National Computer")])
    assert_golden("imr-police.md", text)


def test_imr_for_an_agency_without_entries_says_so_plainly(review, entries, analysis):
    text = render_imr("Northshire Fire", review, entries, Analysis())
    assert_golden("imr-no-entries.md", text)
    assert ("Northshire Fire has no entries in the combined chronology: it recorded no involvement "
            "with\nAdult B between 01/01/2025 and 30/06/2025.") in text


def test_imr_without_a_chronology_says_none_was_given(review):
    text = render_imr(POLICE, review, None, None)
    assert "This is an empty skeleton: no combined chronology was given when it was made" in text
    assert "| Ref | Date |" not in text


def test_questions_come_from_the_gaps_and_overlaps_of_the_agency(review, entries, analysis):
    context = imr_context(POLICE, review=review, entries=entries, analysis=analysis, today=MADE)
    assert [q.text for q in context["overlap_questions"]] == [
        "On 05/01/2025 Northshire Police (Police) and Northshire Adult Social Care (ASC) both had "
        "contact with Adult B; no communication is recorded (C0001, C0002). Was this a missed "
        "opportunity?",
        "On 02/04/2025 Hill Surgery (GP), Police and ASC all had contact with Adult B, and "
        "communication between them is recorded (C0005, C0010, C0011). What did Police share or "
        "receive, and what difference did it make?",
    ]
    assert [q.text for q in context["gap_questions"]] == [
        "Between 06/01/2025 and 28/02/2025 (54 days) Police recorded no contact while 2 other "
        "agencies recorded 14 entries. Was anything missed?",
        "Between 03/04/2025 and 01/05/2025 (29 days) Police recorded no contact while 1 other "
        "agency recorded 1 entry. Was anything missed?",
        "Between 02/05/2025 and 30/06/2025 (60 days) no agency recorded any contact with Adult B. "
        "Did Police have any involvement or information in that time that is not recorded?",
    ]
    assert context["entry_count"] == 3
    assert (context["first_contact"], context["last_contact"]) == ("05/01/2025", "?02/04/2025")


def test_values_cannot_change_the_markdown_layout():
    assert md_escape("a | b *c* <script>x</script> [l](u) &amp;") == (
        r"a \| b \*c\* \<script\>x\</script\> \[l\](u) \&amp;")
    assert md_escape("- not a list") == r"\- not a list"
    assert md_escape("1. not a list") == r"1\. not a list"
    assert md_cell("line one\nline | two") == r"line one<br>line \| two"


def test_every_entry_row_has_eight_cells_and_pseudonyms_are_applied(review, entries, analysis):
    text = render_imr(POLICE, review, entries, analysis)
    assert "Jane Example" not in text
    tokens = parse_markdown(text)
    start = next(i for i, t in enumerate(tokens) if t.type == "inline" and t.content == "Ref")
    table_rows = []
    for token in tokens[start - 3:]:
        if token.type == "tr_open":
            table_rows.append(0)
        elif token.type in ("th_open", "td_open"):
            table_rows[-1] += 1
        elif token.type == "table_close":
            break
    assert table_rows == [8, 8, 8, 8]


def test_docx_has_headings_tables_marking_and_page_numbers(tmp_path, review, entries, analysis):
    text = render_imr(POLICE, review, entries, analysis, [("PNC", "Police National Computer")])
    path = tmp_path / "imr.docx"
    write_document(path, text, review=review, title="IMR")
    document = docx.Document(str(path))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == ("Heading 1", "Individual Management Review: Northshire Police")
    assert ("Heading 2", "6. Summary of involvement") in headings
    assert ("Heading 3", "3.1 How well did agencies share information about the risks to Adult B?") \
        in headings
    assert {style for style, _ in headings} == {"Heading 1", "Heading 2", "Heading 3"}
    entries_table = next(t for t in document.tables if t.rows[0].cells[0].text == "Ref")
    assert [c.text for c in entries_table.rows[0].cells] == [
        "Ref", "Own ref", "Date", "Time", "Source", "Event", "Action", "Practitioner"]
    assert [c.text for c in entries_table.rows[1].cells][:4] == ["C0001", "", "05/01/2025", "22:15"]
    assert entries_table.rows[2].cells[5].text == "Warning marker added\nReviewed by sergeant"
    assert entries_table.rows[3].cells[6].text == "No concerns | *none*"
    assert entries_table.rows[0]._tr.xml.count("tblHeader") == 1
    glossary = document.tables[-1]
    assert [[c.text for c in r.cells] for r in glossary.rows] == [
        ["Abbreviation", "Meaning"], ["PNC", "Police National Computer"]]
    section = document.sections[0]
    assert "OFFICIAL-SENSITIVE" in section.header.paragraphs[0].text
    assert "SAR-2025-07" in section.header.paragraphs[0].text
    assert "PAGE" in section.footer._element.xml and "NUMPAGES" in section.footer._element.xml
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    # The marking line on top of the Markdown lives in the page header instead.
    assert document.paragraphs[0].text == "Individual Management Review: Northshire Police"
    prompts = [p for p in document.paragraphs if p.text.startswith("What did Northshire Police know")]
    assert prompts and prompts[0].style.name == "List Bullet" and prompts[0].runs[0].italic


def test_html_is_one_escaped_page(review, entries, analysis):
    hostile = [*entries, entry("C0006", POLICE, PartialDate(2025, 4, 3), "<script>alert(1)</script>")]
    text = render_imr(POLICE, review, hostile, analysis)
    page = markdown_to_html(text, title="IMR <Police>", marking=review.marking)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<title>IMR &lt;Police&gt;</title>" in page
    assert page.count('<p class="marking">OFFICIAL-SENSITIVE</p>') == 2
    assert "<h2>6. Summary of involvement</h2>" in page


def test_recommendations_section_is_found_in_markdown():
    text = ("# IMR\n\n## 10. Recommendations (SMART)\n\n| No. | Recommendation | Specific |\n"
            "| --- | --- | --- |\n| 1 | Train staff | yes |\n| 2 | | |\n\n- Audit cases\n\n"
            "## 11. Action plan\n\n- not this\n")
    tables, items = section_items(text, "Recommendations")
    assert tables[0].header == ["No.", "Recommendation", "Specific"]
    assert tables[0].rows == [["1", "Train staff", "yes"], ["2", "", ""]]
    assert items == ["Audit cases"]
    assert section_items(text, "Good practice") is None


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_the_docx_to_pdf(tmp_path, review, entries, analysis):
    text = render_imr(POLICE, review, entries, analysis)
    document = markdown_to_docx(text, marking=review.marking, reference=review.reference)
    path = tmp_path / "imr-police.docx"
    document.save(str(path))
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=180,
    )
    pdf = tmp_path / "imr-police.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout
        assert "Individual Management Review: Northshire Police" in words
        assert "OFFICIAL-SENSITIVE" in words
        assert "Page 1 of" in words


# ---------------------------------------------------------------- the command


def write_review_toml(folder: Path) -> Path:
    path = folder / "review.toml"
    path.write_text(
        '[review]\nreference = "SAR-TEST-1"\nsubject = "Adult T"\n'
        'period_start = 2025-01-01\nperiod_end = 2025-12-31\n'
        'terms_of_reference = ["Was risk shared?"]\n\n'
        '[[agencies]]\nname = "Testshire Police"\nshort = "Police"\nfiles = ["*police*"]\n\n'
        '[[agencies]]\nname = "Hill Surgery"\nshort = "GP"\nfiles = ["*gp*"]\n',
        encoding="utf-8",
    )
    return path


def run(*args: str):
    from sarkit.cli import app

    return CliRunner().invoke(app, list(args))


def test_new_imr_from_returns_writes_a_prefilled_docx(tmp_path, make_return):
    from conftest import row

    review_path = write_review_toml(tmp_path)
    police = make_return("police.xlsx", [row("03/03/2025", event="Welfare check"),
                                         row("20/05/2025", event="Arrest")])
    book = openpyxl.load_workbook(police)
    book.create_sheet("Glossary").append(["Abbreviation", "Meaning"])
    book["Glossary"].append(["PNC", "Police National Computer"])
    book.save(police)
    make_return("gp.xlsx", [row("03/03/2025", event="Appointment", action="Prescribed")])
    out = tmp_path / "out" / "imr-police.docx"
    result = run("new-imr", "--agency", "Police", "--review", str(review_path), "-q",
                 str(tmp_path / "returns"), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.stderr and "2 entries" in result.stderr
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "The combined chronology holds 2 entries from Testshire Police" in text
    assert ("On 03/03/2025 Testshire Police (Police) and Hill Surgery (GP) both had contact with "
            "Adult T") in " ".join(text.split())
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert {"Welfare check", "Arrest"} <= cells and "Appointment" not in cells
    assert [[c.text for c in r.cells] for r in document.tables[-1].rows] == [
        ["Abbreviation", "Meaning"], ["PNC", "Police National Computer"]]


def test_new_imr_refuses_to_overwrite_without_force(tmp_path):
    review_path = write_review_toml(tmp_path)
    out = tmp_path / "imr.md"
    out.write_text("mine", "utf-8")
    result = run("new-imr", "--agency", "Police", "--review", str(review_path), "-o", str(out))
    assert result.exit_code == 2
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert out.read_text("utf-8") == "mine"
    result = run("new-imr", "--agency", "Police", "--review", str(review_path), "-o", str(out),
                 "--force")
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8").startswith("<!-- Made by sarkit ")  # sarkit's mark, then the IMR
    assert out.read_text("utf-8").splitlines()[1:4] == [
        "**OFFICIAL-SENSITIVE**", "", "# Individual Management Review: Testshire Police"]


def test_new_imr_rejects_an_unknown_format_and_an_unknown_agency(tmp_path):
    review_path = write_review_toml(tmp_path)
    result = run("new-imr", "--agency", "Police", "--review", str(review_path), "-o",
                 str(tmp_path / "imr.pdf"))
    assert result.exit_code == 2 and ".docx" in result.stderr
    result = run("new-imr", "--agency", "Fire", "--review", str(review_path), "-o",
                 str(tmp_path / "imr.md"))
    assert result.exit_code == 2
    assert "Fire is neither in review.toml nor in the chronology" in result.stderr
    assert not (tmp_path / "imr.md").exists()


def test_new_imr_uses_a_template_given_on_the_command_line(tmp_path):
    review_path = write_review_toml(tmp_path)
    template = tmp_path / "mine.md.j2"
    template.write_text("# {{ agency | md }} for {{ reference | md }}\n", "utf-8")
    out = tmp_path / "imr.html"
    result = run("new-imr", "--agency", "GP", "--review", str(review_path), "--template",
                 str(template), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "<h1>Hill Surgery for SAR-TEST-1</h1>" in out.read_text("utf-8")


def test_a_board_template_beside_review_toml_is_used_first(tmp_path):
    review_path = write_review_toml(tmp_path)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "imr.md.j2").write_text(
        "# Our Board's IMR: {{ agency | md }}\n\n## Recommendations\n", "utf-8")
    out = tmp_path / "imr.md"
    result = run("new-imr", "--agency", "Police", "--review", str(review_path), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8") == (f"{markdown_comment()}\n"
                                      "# Our Board's IMR: Testshire Police\n\n## Recommendations\n")


def test_a_broken_template_is_a_sentence_not_a_traceback(tmp_path):
    review_path = write_review_toml(tmp_path)
    template = tmp_path / "broken.md.j2"
    template.write_text("# {{ agency | md }}\n{{ no_such_name }}\n", "utf-8")
    result = run("new-imr", "--agency", "Police", "--review", str(review_path), "--template",
                 str(template), "-o", str(tmp_path / "imr.md"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: The template {template} cannot be used: 'no_such_name' is "
                                    "undefined")
    assert not (tmp_path / "imr.md").exists()


def test_new_imr_from_the_combined_workbook_matches_the_one_from_returns(tmp_path, make_return):
    from conftest import row

    review_path = write_review_toml(tmp_path)
    make_return("police.xlsx", [row("03/03/2025", event="Welfare check"),
                                row("20/05/2025", event="Arrest")])
    make_return("gp.xlsx", [row("03/03/2025", event="Appointment", action="Prescribed")])
    combined = tmp_path / "out" / "combined.xlsx"
    collated = run("collate", str(tmp_path / "returns"), "-o", str(combined), "--review",
                   str(review_path), "-q")
    assert collated.exit_code == 0, collated.output
    from_returns, from_combined = tmp_path / "a.md", tmp_path / "b.md"
    assert run("new-imr", "--agency", "Police", "--review", str(review_path), "-q",
               str(tmp_path / "returns"), "-o", str(from_returns)).exit_code == 0
    result = run("new-imr", "--agency", "Police", "--review", str(review_path), "--chronology",
                 str(combined), "-o", str(from_combined))
    assert result.exit_code == 0, result.output
    assert from_combined.read_text("utf-8") == from_returns.read_text("utf-8")


def test_new_imr_from_the_combined_workbook_alone_takes_the_review_from_its_about_sheet(
        tmp_path, make_return, monkeypatch):
    from conftest import row

    review_path = write_review_toml(tmp_path)
    make_return("police.xlsx", [row("03/03/2025", event="Welfare check")])
    make_return("gp.xlsx", [row("03/03/2025", event="Appointment")])
    combined = tmp_path / "out" / "combined.xlsx"
    assert run("collate", str(tmp_path / "returns"), "-o", str(combined), "--review",
               str(review_path), "-q").exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = run("new-imr", "--agency", "GP", "--chronology", str(combined), "-o", "imr.md")
    assert result.exit_code == 0, result.output
    text = (elsewhere / "imr.md").read_text("utf-8")
    assert "# Individual Management Review: Hill Surgery\n" in text
    assert "| Safeguarding Adults Review | SAR-TEST-1 |" in text
    assert ("On 03/03/2025 Testshire Police (Police) and Hill Surgery (GP) both had contact with "
            "Adult T") in " ".join(text.split())
    assert run("new-imr", "--agency", "GP", "--chronology", str(tmp_path / "nope.xlsx"),
               "-o", "x.md").exit_code == 2


def test_what_other_agencies_recorded_about_the_agency_and_its_trails(review):
    from sarkit.analysis import analyse
    from sarkit.vocabulary import vocabulary_for

    def make(agency: str, date: str, event: str, ref: str, agency_ref: str = "") -> Entry:
        d, m, y = (int(p) for p in date.split("/"))
        return Entry(agency=agency, date=PartialDate(y, m, d), source="Notes", event=event,
                     ref=ref, agency_ref=agency_ref, practitioner="PC 123")

    entries = [
        make(ASC, "03/02/2025", "Referral sent to Police about cuckooing", "C0001"),
        make(POLICE, "04/02/2025", "Referral from ASC received and triaged", "C0002", "P-17"),
        make(GP, "10/03/2025", "Police not informed", "C0003"),  # negated: does not name them
        make(GP, "12/03/2025", "Letter to Police about the injuries", "C0004"),
    ]
    analysis = analyse(entries, agencies=review.agencies, vocabulary=vocabulary_for(review))
    context = imr_context(POLICE, review=review, entries=entries, analysis=analysis, today=MADE)
    assert [(e["ref"], e["agency"], e["words"]) for e in context["named_by_others"]] == [
        ("C0001", "ASC", "Referral sent to Police about cuckooing"),
        ("C0004", "GP", "Letter to Police about the injuries"),
    ]
    assert [q.text for q in context["trail_questions"]] == [
        "On 12/03/2025 Hill Surgery (GP) recorded sending something to Northshire Police (Police) "
        "(C0004: “Letter to Police about the injuries”); no Police entry after that. Was it "
        "received, and what was done with it?",
        "On 03/02/2025 Northshire Adult Social Care (ASC) recorded sending something to Police "
        "(C0001: “Referral sent to Police about cuckooing”); answered by C0002 after 1 day "
        "(“Referral from ASC received and triaged”). What happened next?",
    ]
    text = render_template("imr.md.j2", context, review=review)
    assert "| C0002 | P-17 | 04/02/2025 |" in text and "| PC 123 |" in text
    assert "### What other agencies recorded about this agency" in text
    assert "sarkit " not in text.replace("made by sarkit on", "")  # no command-line text


def test_new_imr_without_a_chronology_says_it_writes_an_empty_skeleton(tmp_path):
    review_path = write_review_toml(tmp_path)
    result = run("new-imr", "--agency", "Police", "--review", str(review_path), "-o",
                 str(tmp_path / "imr.md"))
    assert result.exit_code == 0, result.output
    assert ("No chronology was given (--chronology or return files), so this is an empty "
            "skeleton for Testshire Police: no entries and no questions from the chronology."
            in " ".join(result.stderr.split()))
    assert "(an empty skeleton: no chronology given)" in result.stderr


def test_time_words_are_shown_in_place_of_the_time_marked_as_written(tmp_path, review, analysis):
    """A Time cell in words ('am visit') is kept in Time (as written): the IMR shows the words
    where the time would be, marked as written, in the Markdown and the docx; an End Time (read
    or in words) follows 'to'. Before, the Time cell was blank and the words were nowhere."""
    words = [
        entry("C0001", POLICE, PartialDate(2025, 1, 7), "Neighbour reported shouting",
              extras={"Time (as written)": "am visit"}),
        entry("C0002", POLICE, PartialDate(2025, 1, 8), "Silent 999 call", time=dt.time(10, 0),
              extras={"End Time (as written)": "late morning | *"}),
        entry("C0003", POLICE, PartialDate(2025, 1, 9), "Welfare check", time=dt.time(9, 0),
              end_time=dt.time(9, 30)),
        entry("C0004", POLICE, PartialDate(2025, 1, 10), "Own column only", time=dt.time(11, 0),
              extras={"Time (as written)": "own", "Time (as written) (sarkit)": "ignored"}),
        entry("C0005", POLICE, PartialDate(2025, 1, 11), "Sarkit's column beside the return's",
              extras={"Time (as written)": "own", "Time (as written) (sarkit)": "evening"}),
    ]
    text = render_imr(POLICE, review, words, analysis)
    rows = [line for line in text.splitlines() if line.startswith("| C000")]
    assert [line.split(" | ")[3] for line in rows] == [
        "am visit (as written)", r"10:00 to late morning \| \* (as written)", "09:00 to 09:30", "11:00",
        "evening (as written)"]
    path = tmp_path / "imr.docx"
    write_document(path, text, review=review, title="IMR")
    table = next(t for t in docx.Document(str(path)).tables if t.rows[0].cells[0].text == "Ref")
    assert [r.cells[3].text for r in table.rows[1:]] == [
        "am visit (as written)", "10:00 to late morning | * (as written)", "09:00 to 09:30", "11:00",
        "evening (as written)"]
