"""Every command given a path of the wrong kind (a combined workbook, a pack, an IMR, an action
plan, the review folder, review.toml) does the right thing or says in one sentence what it got
and what it expected (exit code 2), never an empty or misleading document."""

from __future__ import annotations

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
