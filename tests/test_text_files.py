"""Text files the user writes, as Notepad saves them: UTF-8 (with or without its mark) and "Unicode"
(UTF-16 with its mark) are read; "ANSI" is not guessed at but named with the fix; a Windows path in
double quotes in a TOML file is named with the three ways to write it."""

from __future__ import annotations

import pytest
from conftest import row, write_return
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.commands.options import load_passwords
from sarkit.corrections import load_corrections
from sarkit.errors import SarkitError
from sarkit.review import load_review
from sarkit.textfile import read_user_text

runner = CliRunner()
REVIEW = ('[review]\nreference = "SAR-1"\nsubject = "Adult Z’s review – £5"\n\n'
          '[[agencies]]\nname = "Café Clinic"\n')
SAVE_AS = "Open it in Notepad, choose File > Save As, set Encoding to UTF-8 and save it again."
BACKSLASH = ("Write a Windows path in single quotes, as in file = 'returns\\police.xlsx', or double each "
             "backslash (returns\\\\police.xlsx), or use forward slashes (returns/police.xlsx).")
CORRECTION = ('[[corrections]]\nfile = {file}\nsheet = "Chronology"\ncell = "D2"\noriginal = "Home vist"\n'
              'value = "Home visit"\nreason = "Typo ’ confirmed"\nwho = "A. Admin"\nwhen = 2025-04-02\n')


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_utf8_and_utf16_with_their_marks_are_read_as_what_they_are(tmp_path, encoding):
    path = tmp_path / "review.toml"
    mark = {"utf-16-le": "\ufeff", "utf-16-be": "\ufeff"}.get(encoding, "")
    path.write_bytes((mark + REVIEW.replace("\n", "\r\n")).encode(encoding))
    review = load_review(path)
    assert review.subject == "Adult Z’s review – £5"
    assert [a.name for a in review.agencies] == ["Café Clinic"]


def test_ansi_review_file_is_named_with_the_fix_not_called_a_workbook(tmp_path):
    path = tmp_path / "review.toml"
    path.write_bytes(REVIEW.encode("cp1252"))
    with pytest.raises(SarkitError) as caught:
        load_review(path)
    assert caught.value.exit_code == 2
    assert caught.value.message == (
        f"The review file {path} is not saved as UTF-8: line 3 has a character in another encoding "
        "(Notepad's ANSI), so it cannot be read safely.")
    assert caught.value.hint == SAVE_AS


def test_a_workbook_given_as_review_file_is_still_not_a_text_file(tmp_path):
    path = write_return(tmp_path / "police.xlsx", [row()])
    with pytest.raises(SarkitError) as caught:
        load_review(path)
    assert caught.value.message == (f"The review file {path} is not a text file (it may be a workbook or "
                                    "a document), so it cannot be read as review.toml.")


def test_ansi_and_unicode_corrections_files(tmp_path):
    path = tmp_path / "corrections.toml"
    path.write_bytes(CORRECTION.format(file="'returns\\police.xlsx'").encode("utf-16"))
    [read] = load_corrections(path)
    assert (read.file, read.reason) == ("returns\\police.xlsx", "Typo ’ confirmed")
    path.write_bytes(CORRECTION.format(file='"police.xlsx"').encode("cp1252"))
    with pytest.raises(SarkitError) as caught:
        load_corrections(path)
    assert (caught.value.exit_code, caught.value.hint) == (2, SAVE_AS)
    assert caught.value.message == (
        f"The corrections file {path} is not saved as UTF-8: line 7 has a character in another "
        "encoding (Notepad's ANSI), so it cannot be read safely.")


def test_ansi_corrections_file_on_the_command_line_names_no_exception(tmp_path, review_file):
    write_return(tmp_path / "returns" / "police.xlsx", [row(event="Home vist")])
    (tmp_path / "corrections.toml").write_bytes(CORRECTION.format(file='"police.xlsx"').encode("cp1252"))
    result = runner.invoke(app, ["validate", str(tmp_path / "returns"), "--review", str(review_file)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: The corrections file {tmp_path / 'corrections.toml'} is not saved as UTF-8: line 7 has a "
        f"character in another encoding (Notepad's ANSI), so it cannot be read safely. {SAVE_AS}\n")


def test_windows_path_in_double_quotes_is_named_with_the_fix(tmp_path):
    path = tmp_path / "corrections.toml"
    path.write_text(CORRECTION.format(file='"returns\\clinic return.xlsx"'), encoding="utf-8")
    with pytest.raises(SarkitError) as caught:
        load_corrections(path)
    assert caught.value.message == (
        f"The corrections file {path} is not valid TOML at line 2. It has a backslash (\\) inside double "
        "quotes, which TOML reads as the start of a special character.")
    assert caught.value.hint == BACKSLASH


def test_windows_path_that_toml_reads_as_a_new_line_is_not_used(tmp_path):
    """"returns\\new.xlsx" is valid TOML, with a new line in it: never a correction for no file."""
    path = tmp_path / "corrections.toml"
    path.write_text(CORRECTION.format(file='"returns\\new.xlsx"'), encoding="utf-8")
    with pytest.raises(SarkitError) as caught:
        load_corrections(path)
    assert caught.value.message == (
        f"In {path}, the correction at line 1: file has a backslash (\\) inside double quotes, which "
        "TOML reads as the start of a special character.")
    assert caught.value.hint == BACKSLASH


def test_other_toml_mistakes_keep_the_general_hint(tmp_path):
    path = tmp_path / "review.toml"
    path.write_text('[review]\nreference = "X\n', encoding="utf-8")
    with pytest.raises(SarkitError) as caught:
        load_review(path)
    assert caught.value.message == f"The review file {path} is not valid TOML at line 2."
    assert caught.value.hint == "Check the quotes around text and the form YYYY-MM-DD for dates on that line."
    path.write_text('[review]\nsubject = "C:\\Reviews\\Adult Z"\n', encoding="utf-8")
    with pytest.raises(SarkitError) as caught:
        load_review(path)
    assert caught.value.message.endswith("not valid TOML at line 2. It has a backslash (\\) inside double "
                                         "quotes, which TOML reads as the start of a special character.")


def test_passwords_file_in_unicode_is_read_and_in_ansi_is_not_guessed(tmp_path, monkeypatch):
    monkeypatch.delenv("SARKIT_PASSWORD", raising=False)
    path = tmp_path / "passwords.txt"
    path.write_bytes("police.xlsx = pa£ss\r\n".encode("utf-16"))
    assert load_passwords(False, path) == {"police.xlsx": "pa£ss"}
    path.write_bytes("# ours\npolice.xlsx = pa£ss\n".encode("cp1252"))
    with pytest.raises(SarkitError) as caught:
        load_passwords(False, path)
    assert caught.value.message == (
        f"The passwords file {path} is not saved as UTF-8: line 2 has a character in another encoding "
        "(Notepad's ANSI), so it cannot be read safely.")


def test_a_mark_then_not_utf16_and_nul_bytes_are_not_text(tmp_path):
    path = tmp_path / "notes.txt"
    for data in (b"\xff\xfe\x00\xd8", b"a\x00b"):
        path.write_bytes(data)
        with pytest.raises(SarkitError) as caught:
            read_user_text(path, "The template")
        assert caught.value.message == (
            f"The template {path} is not a text file (it may be a workbook or a document), so it cannot "
            "be read.")
