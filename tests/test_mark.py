"""sarkit's output mark (formats/mark.py): found on what sarkit writes, never on a return."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
from conftest import row, write_return

from sarkit.formats.mark import csv_comment, is_sarkit_output, markdown_comment


@pytest.mark.parametrize(("name", "text", "marked"), [
    ("a.csv", "\ufeff" + csv_comment() + "\r\nRef,Date\r\n", True),
    ("a.md", markdown_comment() + "\n# IMR\n", True),
    ("a.json", '{"generator": "sarkit 1.0", "entries": []}', True),
    ("a.html", '<!DOCTYPE html><head><meta name="generator" content="sarkit 1.0">', True),
    ("b.csv", "Date,Source\n03/03/2025,# Made by sarkit\n", False),
    ("b.md", "# Chronology\n<!-- Made by sarkit -->\n", False),
    ("b.json", '{"entries": [], "generator": "sarkit"}', False),
    ("b.html", '<meta name="generator" content="Microsoft Word 15">', False),
])
def test_text_marks(tmp_path, name, text, marked):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    assert is_sarkit_output(path) is marked


def test_a_return_with_an_about_sheet_is_not_sarkit_output(tmp_path):
    path = write_return(tmp_path / "police.xlsx", [row()])
    book = openpyxl.load_workbook(path)
    book.create_sheet("About")
    book.create_sheet("Findings")
    book.properties.description = "made by sarkit template, filled in by the police"
    book.save(path)
    assert not is_sarkit_output(path)


def test_a_zip_with_too_many_members_is_not_opened(tmp_path):
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for number in range(10_001):
            archive.writestr(f"x/{number}", b"")
        archive.writestr("docProps/core.xml", b"<dc:description>Made by sarkit</dc:description>")
    assert not is_sarkit_output(path)
    small = tmp_path / "few.docx"
    with zipfile.ZipFile(small, "w") as archive:
        archive.writestr("docProps/core.xml", b"<dc:description>Made by sarkit</dc:description>")
    assert is_sarkit_output(small)


def test_unreadable_and_missing_files_are_not_marked(tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    assert not is_sarkit_output(broken)
    assert not is_sarkit_output(tmp_path / "nowhere.csv")
