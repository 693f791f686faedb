"""--passwords FILE: a line names a file as Windows does (case ignored, either slash, a relative
path or its file name), and a protected return no line names says so, not "no password was given"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import row, write_return
from corpus import PASSWORD, encrypt_office, good_xlsx
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.intake import password_for, passwords_for, read_workbooks

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


# ---- two protected files of one name in two folders, each with its own line ----

@pytest.fixture
def two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """returns/gp/chronology.xlsx (password gp-pw) and returns/asc/chronology.xlsx (asc-pw)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SARKIT_PASSWORD", raising=False)
    for folder in ("gp", "asc"):
        plain = write_return(tmp_path / "plain.xlsx", [row(day=f"0{n}/03/2025", event=f"{folder} contact {n}")
                                                       for n in (3, 4, 5)]).read_bytes()
        (tmp_path / "plain.xlsx").unlink()
        (tmp_path / "returns" / folder).mkdir(parents=True)
        (tmp_path / "returns" / folder / "chronology.xlsx").write_bytes(
            encrypt_office(plain, f"{folder}-pw"))
    return tmp_path


def _opened(lines: str, *where: str) -> list[tuple[str, int, list[str]]]:
    Path("pw.txt").write_text(lines, encoding="utf-8")
    result = runner.invoke(app, ["validate", *(where or ("returns",)), "--agency", "Police",
                                 "--passwords", "pw.txt", "--format", "json"])
    return [(Path(f["path"]).parent.name, f["entries"], [x["message"] for x in f["findings"]
                                                         if x["code"] == "file-encrypted"])
            for f in json.loads(result.stdout)["files"]]


BOTH_OPEN = [("asc", 3, []), ("gp", 3, [])]


@pytest.mark.parametrize("style", ["full", "FULL\\", "relative", "from returns", "../"])
def test_lines_giving_each_files_path_open_each_with_its_own_password(two, style):
    def line(folder: str) -> str:
        full = str(two / "returns" / folder / "chronology.xlsx")
        return {"full": full, "FULL\\": full.upper().replace("/", "\\"),
                "relative": f"returns/{folder}/chronology.xlsx",
                "from returns": f"{folder}\\chronology.xlsx",
                "../": f"../{two.name}/returns/{folder}/chronology.xlsx"}[style]

    assert _opened(f"{line('gp')} = gp-pw\n{line('asc')} = asc-pw\n") == BOTH_OPEN
    assert _opened(f"{line('asc')} = asc-pw\n{line('gp')} = gp-pw\n") == BOTH_OPEN


def test_full_path_lines_match_when_the_folder_is_given_by_its_full_path(two):
    lines = "".join(f"{two / 'returns' / f / 'chronology.xlsx'} = {f}-pw\n" for f in ("gp", "asc"))
    assert _opened(lines, str(two / "returns")) == BOTH_OPEN


def test_lines_from_another_computer_naming_the_file_name_are_each_tried(two):
    """Paths that name neither file here: every line with its file name is tried until one opens it."""
    lines = "C:\\Old\\gp\\chronology.xlsx = gp-pw\nD:\\Old\\asc\\Chronology.xlsx = asc-pw\n"
    assert _opened(lines) == BOTH_OPEN


def test_when_no_line_opens_it_every_password_tried_is_counted(two):
    lines = "C:\\Old\\gp\\chronology.xlsx = wrong-1\nC:\\Old\\asc\\chronology.xlsx = wrong-2\n"
    said = ("The workbook is protected by a password, and none of the 2 passwords given for it "
            "opened it.")
    assert _opened(lines) == [("asc", 0, [said]), ("gp", 0, [said])]
    one = "The workbook is protected by a password, and the password given did not open it."
    assert _opened("chronology.xlsx = wrong\n") == [("asc", 0, [one]), ("gp", 0, [one])]


def test_the_passwords_to_try_are_its_path_longest_first_then_its_name_then_any():
    lines = {"old/gp/chronology.xlsx": "name-1", "returns/asc/chronology.xlsx": "path-2",
             "*": "any", "C:\\SAR\\returns\\asc\\chronology.xlsx": "other-full",
             "asc\\CHRONOLOGY.xlsx": "path-1", "/srv/sar/returns/asc/chronology.xlsx": "full"}
    assert passwords_for("chronology.xlsx", lines, "returns/asc/chronology.xlsx",
                         "/srv/sar/returns/asc/chronology.xlsx") == [
        "full", "path-2", "path-1", "name-1", "other-full", "any"]
    assert passwords_for("chronology.xlsx", lines, "returns/gp/chronology.xlsx") == [
        "name-1", "path-2", "other-full", "path-1", "full", "any"]
    assert password_for("chronology.xlsx", {"../sar/asc/chronology.xlsx": "a"},
                        "/srv/sar/asc/chronology.xlsx") == "a"


def test_each_file_of_one_name_is_annotated_with_the_password_that_opened_it(two):
    lines = "C:\\Old\\gp\\chronology.xlsx = gp-pw\nC:\\Old\\asc\\chronology.xlsx = asc-pw\n"
    Path("pw.txt").write_text(lines, encoding="utf-8")
    result = runner.invoke(app, ["validate", "returns", "--agency", "Police", "--passwords", "pw.txt",
                                 "--annotate", "out/ann", "--format", "json"])
    assert "could not be opened again" not in result.output + result.stderr
    assert sorted(p.name for p in Path("out/ann").iterdir()) == [
        "chronology-2-annotated.xlsx", "chronology-annotated.xlsx"]
