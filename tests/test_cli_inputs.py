"""Every command given a path of the wrong kind (a combined workbook, a pack, an IMR, an action
plan, the review folder, review.toml) does the right thing or says in one sentence what it got
and what it expected (exit code 2), never an empty or misleading document."""

from __future__ import annotations

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
