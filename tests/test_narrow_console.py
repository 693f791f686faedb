"""A console with a narrow encoding (cp1252, cp850: a redirected Windows console): a character it
cannot show is replaced before rich's layout reaches the stream by as many '?' as the columns rich
gave it, so tables stay in line; CSV on such a stdout says once that characters were replaced."""

from __future__ import annotations

import csv
import io
import sys

import pytest
from conftest import row, write_return
from rich.table import Table
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.output.terminal import NarrowStream, fit_to_encoding, make_console, narrow_encoding

REVIEW = """[review]
reference = "SAR-N1"
subject = "Adult N"
period_start = 2025-01-01
period_end = 2025-12-31

[[agencies]]
name = "Northshire Police ☒ 😀"
short = "Police"
files = ["*police*"]
"""


@pytest.mark.parametrize(("text", "fitted"), [
    ("plain – “quoted” £5 é", "plain – “quoted” £5 é"),  # all in cp1252
    ("police 😀😀 final", "police ???? final"),  # an emoji takes 2 columns
    ("☒ done", "? done"),
    ("family 👨\u200d👩\u200d👧 here", "family ?? here"),  # one grapheme of 2 columns
    ("heart ❤\ufe0f", "heart ??"),
    ("Łódź", "?ód?"),
])
def test_what_cp1252_lacks_becomes_a_question_mark_per_column(text, fitted):
    assert fit_to_encoding(text, "cp1252") == fitted


def test_cp850_lacks_the_dash_and_keeps_its_column():
    assert fit_to_encoding("a – b 😀", "cp850") == "a ? b ??"


@pytest.mark.parametrize(("encoding", "narrow"), [("utf-8", None), ("UTF8", None), ("cp1252", "cp1252"),
                                                  ("cp850", "cp850"), ("ascii", "ascii")])
def test_which_encodings_are_narrow(encoding, narrow):
    assert narrow_encoding(io.TextIOWrapper(io.BytesIO(), encoding=encoding)) == narrow


def _table_on(encoding: str, monkeypatch) -> list[str]:
    stdout = io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="replace")
    monkeypatch.setattr(sys, "stdout", stdout)
    console = make_console()
    assert isinstance(console.file, NarrowStream) == (encoding != "utf-8")
    table = Table()
    table.add_column("Agency")
    table.add_column("Files")
    table.add_row("Police", "police 😀😀 final.xlsx")
    table.add_row("GP ☒", "gp.xlsx")
    console.print(table)
    stdout.flush()
    return stdout.buffer.getvalue().decode(encoding).splitlines()


@pytest.mark.parametrize("encoding", ["cp1252", "cp850"])
def test_a_table_on_a_narrow_console_stays_in_line(encoding, monkeypatch):
    lines = _table_on(encoding, monkeypatch)
    assert len(lines) == 6
    assert {len(line) for line in lines} == {len(lines[0])}
    assert "| Police | police ???? final.xlsx |" in lines
    assert "| GP ?   | gp.xlsx                |" in lines


def test_a_table_on_a_utf8_console_is_untouched(monkeypatch):
    lines = _table_on("utf-8", monkeypatch)
    assert "│ Police │ police 😀😀 final.xlsx │" in lines


def _review(tmp_path):
    (tmp_path / "review.toml").write_text(REVIEW, encoding="utf-8")
    write_return(tmp_path / "returns" / "police 😀😀 final.xlsx",
                 [row(day="10/01/2025"), row(day="20/11/2025")])
    return tmp_path / "review.toml"


def test_status_on_cp1252_is_in_line(tmp_path):
    review = _review(tmp_path)
    result = CliRunner(charset="cp1252").invoke(app, ["status", str(tmp_path / "returns"),
                                                      "--review", str(review)])
    assert result.exit_code == 0, result.output
    table = [line for line in result.stdout.splitlines() if line.startswith(("+", "|"))]
    assert len(table) == 5
    assert {len(line) for line in table} == {len(table[0])}
    assert "| Police | received |" in table[3] and "| police ???? final.xlsx |" in table[3]


@pytest.mark.parametrize(("charset", "note"), [("cp1252", True), ("utf-8", False)])
def test_csv_on_a_narrow_stdout_says_once_what_was_replaced(tmp_path, charset, note):
    review = _review(tmp_path)
    result = CliRunner(charset=charset).invoke(app, ["gaps", str(tmp_path / "returns"), "--review",
                                                     str(review), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    agency = "Northshire Police ? ?" if charset == "cp1252" else "Northshire Police ☒ 😀"  # a ? a character
    assert [r["agency"] for r in rows if r["kind"] == "agency"] == [agency]
    said = ("Some characters (in agency names, file names or text) cannot be shown in this "
            "console's encoding (cp1252) and were written as '?'. For every character, use "
            "--format json, or set the environment variable PYTHONUTF8=1 before running sarkit.")
    assert result.stderr.count(said) == (1 if note else 0)
    assert ("cannot be shown" in result.stderr) == note
