"""Every command given a path of the wrong kind (a combined workbook, a pack, an IMR, an action
plan, the review folder, review.toml) does the right thing or says in one sentence what it got
and what it expected (exit code 2), never an empty or misleading document."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import row, write_return
from test_combined_edits import combined_ods
from typer.testing import CliRunner

import sarkit.pipeline.chronology as chronology
from sarkit.cli import app

runner = CliRunner()


def said(result) -> str:
    return " ".join(result.stderr.split())


def test_a_combined_workbook_saved_as_ods_is_read_once_by_gaps_then_refused(
        review_file, tmp_path, monkeypatch):
    ods = combined_ods(tmp_path / "combined.ods")
    calls: list[str] = []
    real = chronology.call_isolated

    def counting(function, *args, **kwargs):
        calls.append(function.__name__)
        return real(function, *args, **kwargs)

    monkeypatch.setattr(chronology, "call_isolated", counting)
    result = runner.invoke(app, ["gaps", str(ods), "--review", str(review_file)])
    assert result.exit_code == 2
    assert said(result).startswith(f"Error: {ods} is a combined workbook made by sarkit collate, saved "
                                   "again as a LibreOffice spreadsheet (.ods)")
    assert calls == ["probe_combined"]


@pytest.mark.parametrize("command", ["status", "validate", "collate"])
def test_a_combined_workbook_with_a_password_given_where_returns_are_read_is_refused(
        review_file, tmp_path, monkeypatch, command):
    """Decrypted, it was skipped as sarkit's own output: status then listed every agency as
    outstanding without a word about the file given, and validate said no return was found in it."""
    from corpus import encrypt_office

    folder = tmp_path / "returns"
    write_return(folder / "police.xlsx", [row()])
    plain = tmp_path / "combined.xlsx"
    made = runner.invoke(app, ["collate", str(folder), "-o", str(plain), "-q", "--review", str(review_file)])
    assert made.exit_code == 1 and plain.is_file(), made.output  # written; two agencies missing
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(encrypt_office(plain.read_bytes(), "Fict10nal"))
    monkeypatch.setenv("SARKIT_PASSWORD", "Fict10nal")
    args = [command, str(locked), "--review", str(review_file)]
    result = runner.invoke(app, [*args, "-o", str(tmp_path / "again.xlsx")] if command == "collate" else args)
    assert result.exit_code == 2, result.output
    assert said(result) == (
        f"Error: {locked} is a combined workbook made by sarkit collate, not a return: sarkit {command} "
        "reads the agencies' returns. sarkit gaps, sarkit new-imr and sarkit diff read a combined "
        f"workbook; give sarkit {command} the returns, e.g. sarkit {command} returns/")
    assert not (tmp_path / "again.xlsx").exists()


def test_a_heading_wraps_at_spaces_into_lines_of_so_many_characters():
    from sarkit.output.row_heights import wrapped_lines

    assert wrapped_lines("Ref", 8) == 1
    assert wrapped_lines("Outcome of the multi-agency safeguarding strategy discussion", 16) == 5
    assert wrapped_lines("Other Agencies Active", 12) == 3
    assert wrapped_lines("Safeguarding", 5) == 3  # a word longer than a line is broken
    assert wrapped_lines("Key\nEvent", 16) == 2
    assert wrapped_lines("", 5) == 1


def test_the_header_row_is_tall_enough_for_its_longest_wrapped_heading(tmp_path):
    import openpyxl
    from conftest import HEADER

    header = [*HEADER, "Outcome of the multi-agency safeguarding strategy discussion", "Notes"]
    write_return(tmp_path / "returns" / "police.csv",
                 [[*row(), "Plan agreed", ""], [*row(day="04/03/2025"), "None", ""]], header=header)
    out = tmp_path / "combined.xlsx"
    made = runner.invoke(app, ["collate", "-q", "--agency", "Police", str(tmp_path / "returns"),
                               "-o", str(out)])
    assert made.exit_code == 0, made.output
    book = openpyxl.load_workbook(out)
    heights = {sheet.title: sheet.row_dimensions[1].height for sheet in book}
    # 5 lines of 16 characters (a column of width 16): 27 points for two, 13 for each further line;
    # "Other Agencies Active" takes 3 lines of 12 (40 points, 53 pixels: 39.75 as Excel stores it)
    assert heights == {"Chronology": 66.0, "Agencies": 27.0, "Gaps": 39.75, "Overlaps": 27.0,
                       "Findings": 27.0, "About": 27.0}


def test_the_usual_headings_take_three_lines_for_days_since_previous(tmp_path):
    """"Days Since Previous" in a column of width 9 (9 characters a line) wraps to 3 lines."""
    import openpyxl

    write_return(tmp_path / "returns" / "police.csv", [row()])
    out = tmp_path / "combined.xlsx"
    made = runner.invoke(app, ["collate", "-q", "--agency", "Police", str(tmp_path / "returns"),
                               "-o", str(out)])
    assert made.exit_code == 0, made.output
    assert openpyxl.load_workbook(out)["Chronology"].row_dimensions[1].height == 39.75


@pytest.fixture
def outputs(review_file: Path, tmp_path: Path) -> dict[str, Path]:
    """The review folder's own files: the combined workbook (Police 2 entries, ASC 1), a workshop
    pack, an IMR (Word), review.toml and the review folder."""
    folder = tmp_path / "returns"
    write_return(folder / "police.xlsx", [row(day="10/01/2025"), row(day="03/03/2025")])
    write_return(folder / "asc.xlsx", [row(day="05/03/2025")])
    combined = tmp_path / "out" / "combined.xlsx"
    made = runner.invoke(app, ["collate", str(folder), "-o", str(combined), "--review", str(review_file),
                               "-q"])
    assert combined.is_file(), made.output
    pack, imr = tmp_path / "out" / "pack.html", tmp_path / "out" / "imr.docx"
    made = runner.invoke(app, ["gaps", str(combined), "--review", str(review_file), "--html", str(pack),
                               "-q"])
    assert pack.is_file(), made.output
    made = runner.invoke(app, ["new-imr", "--agency", "Police", "--chronology", str(combined),
                               "--review", str(review_file), "-o", str(imr), "-q"])
    assert made.exit_code == 0, made.output
    return {"combined": combined, "pack": pack, "imr": imr, "toml": review_file,
            "folder": review_file.parent}


KINDS = {
    "combined": "is a combined workbook made by sarkit collate",
    "pack": "is a page written by sarkit (a workshop pack or report)",
    "imr": "is a Word document written by sarkit (an IMR or a chronology)",
    "toml": "is a review settings file (.toml)",
    "folder": "is the review folder (it holds review.toml)",
}


# gaps and new-imr read a combined workbook given as PATH (tested below)
WRONG_KINDS = [(command, kind) for command in ("validate", "collate", "gaps", "status", "new-imr")
               for kind in KINDS if not (kind == "combined" and command in ("gaps", "new-imr"))]


@pytest.mark.parametrize(("command", "kind"), WRONG_KINDS)
def test_a_path_that_is_not_a_return_is_a_usage_error_saying_what_it_is(
        outputs, review_file, tmp_path, command, kind):
    path = outputs[kind]
    extra = {"collate": ["-o", str(tmp_path / "c2.xlsx")], "new-imr": [
        "--agency", "Police", "-o", str(tmp_path / "imr2.md")]}.get(command, [])
    result = runner.invoke(app, [command, str(path), "--review", str(review_file), *extra])
    assert result.exit_code == 2
    assert said(result).startswith(f"Error: {path} {KINDS[kind]}, not a return: sarkit {command} "
                                   "reads the agencies' returns.")
    assert not (tmp_path / "c2.xlsx").exists() and not (tmp_path / "imr2.md").exists()


def test_new_imr_given_the_combined_workbook_as_path_reads_it_as_with_chronology(
        outputs, review_file, tmp_path):
    combined = outputs["combined"]
    by_option, by_path = tmp_path / "a.md", tmp_path / "b.md"
    first = runner.invoke(app, ["new-imr", "--agency", "Police", "--chronology", str(combined),
                                "--review", str(review_file), "-o", str(by_option)])
    second = runner.invoke(app, ["new-imr", str(combined), "--agency", "Police",
                                 "--review", str(review_file), "-o", str(by_path)])
    assert (first.exit_code, second.exit_code) == (0, 0)
    assert by_path.read_text(encoding="utf-8") == by_option.read_text(encoding="utf-8")
    assert "(2 entries" in said(second)
    assert (f"{combined} is a combined workbook made by sarkit collate, so the IMR is made from it "
            "(as with --chronology).") in said(second)


@pytest.mark.parametrize(("kind", "message"), [
    ("folder", "--chronology {path} is a folder, but --chronology takes one file: the combined "
               "workbook made by sarkit collate."),
    ("pack", "--chronology {path} is a page written by sarkit (a workshop pack or report), not a "
             "combined workbook made by sarkit collate."),
    ("missing", "There is no file {path} (given to --chronology)."),
])
def test_new_imr_chronology_given_something_else_says_what_it_got(
        outputs, review_file, tmp_path, kind, message):
    path = outputs.get(kind, tmp_path / "out" / "combined.xslx")
    result = runner.invoke(app, ["new-imr", "--agency", "Police", "--chronology", str(path),
                                 "--review", str(review_file), "-o", str(tmp_path / "x.md")])
    assert result.exit_code == 2
    assert said(result).startswith("Error: " + message.format(path=path))
    assert not (tmp_path / "x.md").exists()


def test_new_imr_from_returns_that_give_no_entry_writes_nothing(review_file, tmp_path):
    returns = tmp_path / "plans"
    write_return(returns / "plan.xlsx", [["P1", "Train staff", "Police"]],
                 header=["Ref", "Recommendation", "Agency"])
    result = runner.invoke(app, ["new-imr", str(returns), "--agency", "Police",
                                 "--review", str(review_file), "-o", str(tmp_path / "x.md")])
    assert result.exit_code == 1
    assert "Error: No entries could be read from the returns given, so no IMR was written." in said(result)
    assert not (tmp_path / "x.md").exists()


@pytest.mark.parametrize(("kind", "message"), [
    ("combined", "--from-imr {path} is a combined workbook made by sarkit collate, not an IMR: "
                 "--from-imr takes the IMR (.docx or .md) made by sarkit new-imr."),
    ("folder", "--from-imr {path} is a folder, but --from-imr takes one file: the IMR (.docx or "
               ".md) made by sarkit new-imr."),
    ("missing", "There is no file {path} (given to --from-imr)."),
])
def test_new_action_plan_from_imr_given_something_else_says_what_it_got(
        outputs, review_file, tmp_path, kind, message):
    path = outputs.get(kind, tmp_path / "out" / "imr.docz")
    result = runner.invoke(app, ["new-action-plan", "--from-imr", str(path), "--review", str(review_file),
                                 "-o", str(tmp_path / "plan.xlsx")])
    assert result.exit_code == 2
    assert said(result).startswith("Error: " + message.format(path=path))
    assert not (tmp_path / "plan.xlsx").exists()


def test_diff_and_actions_given_a_file_they_do_not_read_say_what_it_is(outputs, review_file):
    workbook, pack, folder = outputs["combined"], outputs["pack"], outputs["folder"]
    result = runner.invoke(app, ["diff", str(workbook), str(pack), "--review", str(review_file)])
    assert result.exit_code == 2
    assert said(result).startswith(f"Error: {pack} is a page written by sarkit (a workshop pack or "
                                   "report): sarkit diff compares two versions of a return or two "
                                   "combined workbooks.")
    result = runner.invoke(app, ["diff", str(folder), str(workbook), "--review", str(review_file)])
    assert result.exit_code == 2
    assert said(result).startswith(f"Error: {folder} is a folder: sarkit diff compares two files")
    result = runner.invoke(app, ["actions", str(workbook), "--review", str(review_file)])
    assert result.exit_code == 2
    assert said(result).startswith(f"Error: {workbook} is a combined workbook made by sarkit collate, "
                                   "not an action plan: sarkit actions reads the agencies' filled-in "
                                   "action plans.")
