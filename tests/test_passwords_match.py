"""--passwords FILE: a line names a file as Windows does (case ignored, either slash, a relative
path or its file name), and a protected return no line names says so, not "no password was given"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from corpus import PASSWORD, encrypt_office, good_xlsx
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.intake import password_for, read_workbooks

runner = CliRunner()

UNLISTED = ("The workbook is protected by a password, and the passwords file has no line for this "
            "file; the lines are matched by file name.")


@pytest.fixture
def locked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SARKIT_PASSWORD", raising=False)
    plain = good_xlsx(tmp_path / "plain.xlsx").read_bytes()
    (tmp_path / "plain.xlsx").unlink()
    path = tmp_path / "returns" / "locked.xlsx"
    path.parent.mkdir()
    path.write_bytes(encrypt_office(plain, PASSWORD))
    return path


@pytest.mark.parametrize("line", ["locked.xlsx", "LOCKED.xlsx", "Locked.XLSX", "returns\\locked.xlsx",
                                  "returns/LOCKED.xlsx", "RETURNS\\Locked.xlsx", "./returns/locked.xlsx",
                                  "C:\\Users\\admin\\SAR\\returns\\locked.xlsx"])
def test_a_line_naming_the_file_as_windows_would_opens_it(locked, line):
    (locked.parent.parent / "pw.txt").write_bytes(f"\ufeff{line} = {PASSWORD}\r\n".encode())
    result = runner.invoke(app, ["validate", "returns", "--agency", "Police", "--passwords", "pw.txt",
                                 "--format", "json"])
    [found] = json.loads(result.stdout)["files"]
    assert (result.exit_code, found["path"], found["entries"], found["findings"]) == (
        0, "returns/locked.xlsx", 3, [])


def test_no_line_for_the_file_is_said_plainly(locked):
    (locked.parent.parent / "pw.txt").write_text(f"other.xlsx = {PASSWORD}\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", "returns", "--agency", "Police", "--passwords", "pw.txt",
                                 "--format", "json"])
    [found] = json.loads(result.stdout)["files"]
    assert result.exit_code == 1
    assert [(f["code"], f["message"]) for f in found["findings"]] == [("file-encrypted", UNLISTED)]


def test_the_lines_are_matched_path_first_then_file_name_then_any():
    lines = {"*": "any", "a/locked.xlsx": "a", "B\\LOCKED.xlsx": "b", "police.xlsx": "p"}
    assert password_for("locked.xlsx", lines, "b/locked.xlsx") == "b"
    assert password_for("locked.xlsx", lines, "c/locked.xlsx") == "a"  # the first by file name
    assert password_for("POLICE.XLSX", lines) == "p"
    assert password_for("asc.xlsx", lines, "returns/asc.xlsx") == "any"
    assert password_for("asc.xlsx", {"police.xlsx": "p"}) is None


def test_without_a_passwords_file_or_with_an_empty_line_no_password_was_given(locked):
    [book] = read_workbooks(locked)
    assert book.findings[0].message == "The workbook is protected by a password, and no password was given."
    [book] = read_workbooks(locked, passwords={"LOCKED.XLSX": ""})
    assert book.findings[0].message == "The workbook is protected by a password, and no password was given."
    [book] = read_workbooks(locked, passwords={"other.xlsx": PASSWORD})
    assert book.findings[0].message == UNLISTED
