"""One list of hostile strings, fed through every output: each arrives inert and nothing crashes.

Markup for the terminal, escape sequences, control characters, spreadsheet formulas, HTML,
Markdown and Jinja, in the cells, a heading and the file name of a return (issue 15).
"""

from __future__ import annotations

import csv
import json
import re
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sarkit.cli import app

HOSTILE = [
    "[/] [bold]loud[/bold] [link=file:///etc/passwd]click[/link]",
    "\x1b[2J\x1b]0;title\x07\x1b]52;c;ZXZpbA==\x07 cleared",
    '=HYPERLINK("http://example.invalid","open")',
    "+1+1", "-2+3", "@SUM(1)", "\t=1+1", "\r=1+1",
    "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "**bold** [a link](http://example.invalid) ![img](http://example.invalid/x.png) `code`",
    "{{ 7*7 }} {% for x in range(3) %}loop{% endfor %}",
    "# Heading\n- item\n| a | b |",
]
HEADER = ["Date", "Source of Information", "Event / Contact Details", "Action Taken / Outcome",
          "Practitioner / Role", "Key Event (Y/N)", "{{ config }} [b]Heading[/b] =1+1"]
runner = CliRunner()


@pytest.fixture(scope="module")
def review(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("review")
    (folder / "review.toml").write_text("""
[review]
reference = "SAR-TEST-H"
subject = "Adult H"
period_start = 2025-01-01
period_end = 2025-12-31
terms_of_reference = ["How well did agencies share information?"]

[[agencies]]
name = "Testshire Police"
short = "Police"
files = ["*police*"]

[[agencies]]
name = "Hill Surgery"
short = "GP"
files = ["*gp*"]
""", encoding="utf-8")
    returns = folder / "returns"
    returns.mkdir()
    for name, agency_day in (("police [final].csv", 3), ("gp.csv", 4)):
        with open(returns / name, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            for i, text in enumerate(HOSTILE):
                writer.writerow([f"{agency_day + i:02d}/03/2025", text, text, text, text, "Y", text])
    return folder


def run(folder: Path, *args: str):
    result = runner.invoke(app, [*args], env={"COLUMNS": "200"}, catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    return result


def test_the_terminal_obeys_nothing(review: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(review)
    for args in (["validate", "returns", "--show-values"], ["collate", "returns", "-o",
                 "out/t.xlsx", "--force"], ["gaps", "returns"]):
        result = run(review, *args)
        for stream in (result.stdout, result.stderr):
            assert "\x1b" not in stream and "\x07" not in stream
        if args[0] == "validate":
            assert "police [final].csv" in result.stdout


def _xlsx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        assert not [n for n in names if "externalLink" in n]
        rels = " ".join(package.read(n).decode() for n in names if n.endswith(".rels"))
        assert "hyperlink" not in rels
        return " ".join(package.read(n).decode("utf-8", "replace") for n in names
                        if n.startswith("xl/worksheets/"))


def test_every_file_output_holds_the_text_as_text(review: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(review)
    out = review / "out"
    run(review, "collate", "returns", "-o", "out/c.xlsx", "--also", "csv", "--also", "json",
        "--also", "docx", "--force")
    run(review, "gaps", "returns", "--html", "out/pack.html", "--format", "json")
    run(review, "validate", "returns", "--feedback", "out/letters", "--annotate", "out/copies",
        "--force")
    for suffix in ("md", "html", "docx"):
        run(review, "new-imr", "--agency", "Police", "--chronology", "out/c.xlsx", "-o",
            f"out/imr.{suffix}", "--force")

    sheets = _xlsx_text(out / "c.xlsx")
    assert "<f>" not in sheets  # no formula anywhere
    assert 'HYPERLINK("http://example.invalid","open")</t>' in sheets  # kept, as text

    with open(out / "c.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(line for line in handle if not line.startswith("# ")))
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell

    entries = json.loads((out / "c.json").read_text("utf-8"))["entries"]
    events = {e["Event / Contact Details"] for e in entries}
    assert HOSTILE[2] in events and HOSTILE[10] in events  # JSON is data: exactly as written

    for page in (out / "pack.html", out / "imr.html"):
        html = page.read_text("utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "49" not in re.findall(r"\{\{ ?(\S+) ?\}\}", html)
        assert "{{ 7*7 }}" in html.replace("&#123;", "{").replace("&#125;", "}")
    markdown = (out / "imr.md").read_text("utf-8")
    assert "{{ 7\\*7 }}" in markdown and "<script>alert" not in markdown  # Markdown-escaped
    with zipfile.ZipFile(out / "imr.docx") as package:
        assert "{{ 7*7 }}" in package.read("word/document.xml").decode()
    with zipfile.ZipFile(out / "c.docx") as package:
        document = package.read("word/document.xml").decode()
        assert "{{ 7*7 }}" in document and "<script>" not in document
    letters = sorted((out / "letters").iterdir())
    assert [p.suffix for p in letters] == [".docx", ".txt", ".docx", ".txt"]
    for letter in letters:
        if letter.suffix == ".txt":
            assert "\x1b" not in letter.read_text("utf-8")
    for copy in (out / "copies").iterdir():
        assert "<f>" not in _xlsx_text(copy).replace("<f>SUM", "")  # no formula of ours


def test_action_plans_and_their_report_hold_the_text_as_text(review: Path, tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Ref", "Action", "Lead Officer", "Target Date", "Status"])
    for i, text in enumerate(t for t in HOSTILE if "\x1b" not in t and "\r" not in t):
        sheet.append([f"P{i}", text, text, "01/01/2026", "Not started"])
        for cell in sheet[sheet.max_row][1:3]:
            cell.data_type = "s"  # as typed, not a formula (openpyxl would make '=...' one)
    plan = tmp_path / "police-plan.xlsx"
    book.save(plan)
    result = run(review, "actions", str(plan), "--as-of", "01/03/2026", "--md",
                 str(tmp_path / "r.md"), "--html", str(tmp_path / "r.html"))
    assert "[link=file:///etc/passwd]click[/link]" in result.stdout
    html = (tmp_path / "r.html").read_text("utf-8")
    assert "<script>alert" not in html and "{{ 7*7 }}" in html
    made = run(review, "new-action-plan", "--agency", "Police", "--from-imr",
               str(review / "out" / "imr.md"), "-o", str(tmp_path / "plan.xlsx"))
    assert made.exit_code == 0
    assert "<f>" not in _xlsx_text(tmp_path / "plan.xlsx").replace("<f>TODAY", "")
