"""Output names too long for the file system: one sentence and exit 2 for a name the user gave;
a name sarkit builds from a return's file name (annotated copy, feedback letter, map of refs) is
cut so it fits. Word document properties are cut to their 255-character limit, and one feedback
letter that cannot be made costs that letter only."""

from __future__ import annotations

import errno
import os
import re
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import row
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.errors import SarkitError
from sarkit.output import atomic, feedback
from sarkit.output.atomic import atomic_output, cannot_write, fit_name, name_too_long
from sarkit.output.docx_document import PROPERTY_LIMIT, property_text, set_properties
from sarkit.pipeline.refs import refs_path

runner = CliRunner()
LONG_STEM = "police " + "y" * 238  # 245 characters: "<stem>-annotated.xlsx" is 265

TOO_LONG = "cannot be written: its name or folder path is too long for this computer."


def run(*args: str):
    return runner.invoke(app, list(args))


def _bytes(name: str) -> int:
    return len(os.fsencode(name))


@pytest.mark.parametrize("command", [("collate", "-o", "{}.xlsx"), ("gaps", "--html", "{}.html")])
def test_an_output_name_too_long_is_one_sentence_and_exit_2(make_return, tmp_path, command):
    path = make_return("police.xlsx", [row()])
    name, option, pattern = command
    target = tmp_path / "out" / pattern.format("z" * 300)
    result = run(name, str(path), "--agency", "Police", "-q", option, str(target))
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert f"Error: The output {target} {TOO_LONG}" in result.stderr
    assert "Choose a shorter file name, or an output folder nearer the top of the drive" in result.stderr
    assert "Traceback" not in result.output and "Errno" not in result.output
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_atomic_output_with_a_name_too_long_says_so(tmp_path):
    target = tmp_path / ("z" * 300 + ".xlsx")
    with pytest.raises(SarkitError) as caught, atomic_output(target) as temporary:
        temporary.write_bytes(b"x")
    assert caught.value.exit_code == 2
    assert caught.value.message == f"The output {target} {TOO_LONG}"
    assert list(tmp_path.iterdir()) == []


def test_cannot_write_does_not_fail_again_on_a_name_it_cannot_look_at(tmp_path):
    target = tmp_path / ("z" * 300) / "combined.xlsx"
    error = cannot_write(target, OSError(errno.ENAMETOOLONG, "File name too long"), replacing=True)
    assert (error.exit_code, error.message) == (2, f"The output {target} {TOO_LONG}")


def test_a_windows_path_too_long_refers_to_the_path_limit(tmp_path, monkeypatch):
    error = OSError(errno.ENOENT, "The filename or extension is too long")
    error.winerror = 206  # type: ignore[attr-defined]
    assert cannot_write(tmp_path / "a.xlsx", error).message == f"The output {tmp_path / 'a.xlsx'} {TOO_LONG}"
    monkeypatch.setattr(atomic, "ON_WINDOWS", True)
    folder = Path("/" + "f" * 150)  # C:\ and 149 characters
    assert not name_too_long(folder / "combined.xlsx")  # room for the temporary file's name too
    assert not name_too_long(folder / ("c" * 102 + ".xlsx"))  # 151 + 1 + 107 = 259
    assert name_too_long(folder / ("c" * 103 + ".xlsx"))
    # the temporary file (".combined-12345678.sarkit-tmp.xlsx", up to 46) must fit as well
    assert not name_too_long(Path("/" + "f" * 211) / "combined.xlsx")  # 212 + 1 + 46 = 259
    assert name_too_long(Path("/" + "f" * 212) / "combined.xlsx")


def test_a_built_name_that_fits_is_kept_whole(tmp_path):
    assert fit_name(tmp_path, "police", "-annotated.xlsx") == "police-annotated.xlsx"
    assert fit_name(tmp_path, "y" * 230, "-feedback", later=".docx") == "y" * 230 + "-feedback"


def test_a_built_name_too_long_is_cut_with_its_hash_and_fits(tmp_path):
    name = fit_name(tmp_path, "y" * 300, "-annotated.xlsx")
    assert re.fullmatch(r"y+-[0-9a-f]{6}-annotated\.xlsx", name)
    assert _bytes(name) == 255
    other = fit_name(tmp_path, "y" * 299 + "z", "-annotated.xlsx")
    assert other != name and other[:200] == name[:200]
    letter = fit_name(tmp_path, "é" * 200, "-feedback", later=".docx")  # 2 bytes a letter
    assert _bytes(letter + ".docx") <= 255 and letter.startswith("é" * 100)


def test_a_built_name_fits_a_long_folder_on_windows(monkeypatch):
    monkeypatch.setattr(atomic, "ON_WINDOWS", True)
    folder = Path("/" + "f" * 150)
    name = fit_name(folder, "y" * 200, "-annotated.xlsx")
    assert re.fullmatch(r"y+-[0-9a-f]{6}-annotated\.xlsx", name)
    assert len(str((folder / name).absolute())) <= 259 < len(str((folder / (name + "y")).absolute()))


def test_the_map_of_refs_beside_a_long_output_fits(tmp_path):
    output = tmp_path / ("z" * 250 + ".xlsx")
    path = refs_path(output)
    assert path.parent == tmp_path and _bytes(path.name) == 255
    assert re.fullmatch(r"\.z+-[0-9a-f]{6}\.refs\.json", path.name)
    assert refs_path(tmp_path / "combined.xlsx") == tmp_path / ".refs.json"
    assert refs_path(tmp_path / "key.xlsx") == tmp_path / ".key.refs.json"


def test_annotated_copies_of_returns_with_long_names_are_cut_to_fit(make_return, tmp_path):
    first = make_return(f"{LONG_STEM}.xlsx", [row()])
    second = make_return(f"{LONG_STEM[:-1]}z.xlsx", [row()])
    folder = tmp_path / "annotated"
    result = run("validate", str(first), str(second), "--agency", "Police", "-q", "--annotate", str(folder))
    assert result.exit_code == 0, result.output
    assert "Wrote 2 annotated copies" in result.stderr
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 2 and names[0] != names[1]
    for name in names:
        assert re.fullmatch(r"police-y+-[0-9a-f]{6}-annotated\.xlsx", name) and _bytes(name) == 255


def test_feedback_letters_for_a_long_file_name_are_written(make_return, tmp_path):
    path = make_return(f"{LONG_STEM}.xlsx", [row()])
    folder = tmp_path / "feedback"
    result = run("validate", str(path), "--agency", "Police", "-q", "--feedback", str(folder))
    assert result.exit_code == 0, result.output
    assert "Wrote 1 feedback letter (.docx and .txt)" in result.stderr
    letters = sorted(folder.iterdir())
    assert [p.suffix for p in letters] == [".docx", ".txt"]
    assert letters[0].stem == letters[1].stem and _bytes(letters[0].name) == 255
    title = docx.Document(str(letters[0])).core_properties.title
    assert len(title) == PROPERTY_LIMIT and title == f"Feedback on {LONG_STEM}.xlsx"[:254] + "…"


def test_one_letter_that_cannot_be_made_costs_that_letter_only(make_return, tmp_path, monkeypatch):
    police = make_return("police.xlsx", [row()])
    gp = make_return("gp.xlsx", [row()], details={"Agency:": "GP"})
    made = feedback.write_document

    def failing(path, markdown, *, review, title):
        if "gp" in path.name:
            raise ValueError("python-docx refused a property")
        made(path, markdown, review=review, title=title)

    monkeypatch.setattr(feedback, "write_document", failing)
    folder = tmp_path / "feedback"
    result = run("validate", str(police), str(gp), "--agency", "Police", "-q", "--feedback", str(folder))
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert "Wrote 1 feedback letter (.docx and .txt)" in result.stderr
    assert (f"Letter not written: {gp}: The letter could not be made; this is a fault in sarkit or in "
            "the letter's template (templates/ beside review.toml).") in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["police-feedback.docx", "police-feedback.txt"]


def test_a_letter_whose_text_cannot_be_written_leaves_no_half(make_return, tmp_path, monkeypatch):
    police = make_return("police.xlsx", [row()])

    def full_disk(path, text):
        raise SarkitError(f"There is not enough disk space to write {path}.", exit_code=2)

    monkeypatch.setattr(feedback, "write_text_atomically", full_disk)
    folder = tmp_path / "feedback"
    result = run("validate", str(police), "--agency", "Police", "-q", "--feedback", str(folder))
    assert result.exit_code == 2
    assert (f"Letter not written: {police}: There is not enough disk space to write "
            f"{folder / 'police-feedback.txt'}.") in result.stderr
    assert list(folder.iterdir()) == []


def test_document_properties_are_cut_to_their_limit_and_made_xml_safe():
    assert property_text("short") == "short"
    assert property_text("a" * 255) == "a" * 255
    assert property_text("a" * 256) == "a" * 254 + "…"
    assert property_text("bad\x01name\x0b") == "bad\ufffdname\ufffd"
    document = docx.Document()
    set_properties(document, title="T" * 400, subject="M" * 300)
    core = document.core_properties
    assert (core.title, core.subject, core.author) == ("T" * 254 + "…", "M" * 254 + "…", "")
    assert core.comments.startswith("Made by sarkit")


def test_a_long_reference_and_marking_reach_the_chronology_docx(make_return, tmp_path):
    path = make_return("police.xlsx", [row()])
    review = tmp_path / "review.toml"
    review.write_text(f'[review]\nreference = "{"R" * 300}"\nmarking = "{"M" * 300}"\n', encoding="utf-8")
    output = tmp_path / "out" / "combined.docx"
    result = run("collate", str(path), "--agency", "Police", "-q", "--review", str(review),
                 "-o", str(output))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(output) as archive:
        assert "docProps/core.xml" in archive.namelist()
    core = docx.Document(str(output)).core_properties
    assert core.title == ("Combined chronology " + "R" * 300)[:254] + "…"
    assert core.subject == "M" * 254 + "…"


@pytest.mark.parametrize("command", [("template", "-o", "{}.xlsx"), ("template", "-o", "{}"),
                                     ("status", "--chase", "{}.txt")])
def test_template_and_the_chase_list_refuse_a_name_too_long_before_any_work(
        make_return, tmp_path, command):
    make_return("police.xlsx", [row()])
    name, option, pattern = command
    target = tmp_path / "out" / pattern.format("z" * 300)
    extra = [str(tmp_path / "returns"), "--agency", "Police"] if name == "status" else ["--agency", "Police"]
    result = run(name, *extra, option, str(target))
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.stderr.startswith(f"Error: The output {target} {TOO_LONG}")
    assert result.stdout == ""


def test_init_in_a_folder_whose_name_is_too_long(tmp_path):
    folder = tmp_path / ("z" * 300)
    result = run("init", str(folder), "--reference", "SAR-1", "--subject", "Adult A")
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.stderr.startswith(f"Error: The output {folder / 'review.toml'} {TOO_LONG}")
    assert list(tmp_path.iterdir()) == []
