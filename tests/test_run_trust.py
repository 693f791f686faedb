"""Whole runs: exit codes that say what happened, and no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import row, write_return
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.pipeline.refs import refs_path
from sarkit.returns import expand_paths

runner = CliRunner()
READERS = ["validate", "collate", "gaps"]


@pytest.fixture
def police(tmp_path: Path, review_file: Path) -> Path:
    """returns/police.xlsx: two valid entries for Testshire Police."""
    return write_return(tmp_path / "returns" / "police.xlsx",
                        [row(day="03/03/2025"), row(day="04/04/2025", event="Phone call")])


@pytest.mark.parametrize("command", READERS)
def test_review_that_is_not_text_is_a_usage_error(command, police, review_file, monkeypatch):
    monkeypatch.chdir(review_file.parent)
    result = runner.invoke(app, [command, "--review", "returns/police.xlsx"])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: The review file returns/police.xlsx is not a text file (it may be a workbook or a "
        "document), so it cannot be read as review.toml. Give the review.toml made by sarkit "
        "init: --review review.toml\n")
    assert not (review_file.parent / "out").exists()


@pytest.mark.parametrize("args", [
    ["validate", "--review", "missing.toml"],
    ["collate", "--review", "missing.toml", "--force"],
    ["gaps", "--review", "missing.toml"],
])
def test_missing_review_is_a_usage_error(args, police, review_file, monkeypatch):
    monkeypatch.chdir(review_file.parent)
    result = runner.invoke(app, args)
    assert (result.exit_code, result.stderr) == (
        2, "Error: There is no review file at missing.toml. Create one with: sarkit init FOLDER\n")


def test_missing_passwords_file_is_a_usage_error(police, review_file, monkeypatch):
    monkeypatch.chdir(review_file.parent)
    result = runner.invoke(app, ["validate", "--passwords", "nofile.txt"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: The passwords file nofile.txt cannot be read (")


def test_existing_output_and_bad_path(police, review_file, monkeypatch):
    monkeypatch.chdir(review_file.parent)
    assert runner.invoke(app, ["collate"]).exit_code == 1  # ASC and GP sent nothing
    again = runner.invoke(app, ["collate"])
    assert again.exit_code == 2
    assert again.stderr.startswith(f"Error: The output {Path('out', 'combined.xlsx')} already exists.")
    nope = runner.invoke(app, ["collate", "nope/"])  # the bad path is named, not the output
    assert (nope.exit_code, nope.stderr) == (
        2, "Error: There is no file or folder nope. Check the spelling of the path.\n")


@pytest.mark.parametrize("command", READERS)
def test_no_return_found_is_a_usage_error(command, review_file, monkeypatch):
    (review_file.parent / "returns").mkdir()
    monkeypatch.chdir(review_file.parent)
    result = runner.invoke(app, [command])
    assert (result.exit_code, result.stderr) == (
        2, f"Error: No returns were found in returns{os.sep}. Put the agencies' files there, or "
        "give their paths.\n")
    assert result.stdout == ""
    assert not (review_file.parent / "out" / "combined.xlsx").exists()


def test_a_folder_of_sarkit_outputs_holds_no_return(police, review_file, monkeypatch):
    monkeypatch.chdir(review_file.parent)
    assert runner.invoke(app, ["collate"]).exit_code == 1
    assert sorted(p.name for p in Path("out").iterdir()) == [".refs.json", "combined.xlsx"]
    assert expand_paths([Path("out")]) == [Path("out", "combined.xlsx")]
    result = runner.invoke(app, ["validate", "out"])
    assert (result.exit_code, result.stderr) == (
        2, f"Error: No returns were found in out{os.sep} (1 file there is not read as a return: "
        "combined.xlsx). Put the agencies' files there, or give their paths.\n")


def test_gaps_on_a_workbook_counts_an_agency_added_since_as_missing(tmp_path, monkeypatch):
    (tmp_path / "review.toml").write_text(
        '[review]\nreference = "SAR-T"\nperiod_start = 2025-01-01\nperiod_end = 2025-12-31\n\n'
        '[[agencies]]\nname = "Testshire Police"\nshort = "Police"\nfiles = ["*police*"]\n',
        encoding="utf-8")
    write_return(tmp_path / "returns" / "police.xlsx", [row(day="03/03/2025")])
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["collate"]).exit_code == 0
    with open("review.toml", "a", encoding="utf-8") as handle:
        handle.write('\n[[agencies]]\nname = "Late Agency"\nshort = "Late"\n')
    on_workbook = runner.invoke(app, ["gaps", "out/combined.xlsx", "--format", "json"])
    on_returns = runner.invoke(app, ["gaps", "--format", "json"])
    assert (on_workbook.exit_code, on_returns.exit_code) == (1, 1)
    data = json.loads(on_workbook.stdout)
    assert data["missing_returns"] == ["Late Agency"]
    assert (data["account"]["complete"], data["account"]["missing"]) == (False, ["Late Agency"])
    assert json.loads(on_returns.stdout)["account"]["missing"] == ["Late Agency"]


def test_ref_map_per_output_name(police, review_file, monkeypatch):
    assert refs_path(Path("out/combined.xlsx")) == Path("out/.refs.json")
    assert refs_path(Path("out/combined.csv")) == Path("out/.refs.json")
    assert refs_path(Path("out/key-events.xlsx")) == Path("out/.key-events.refs.json")
    monkeypatch.chdir(review_file.parent)
    assert runner.invoke(app, ["collate"]).exit_code == 1
    shared = Path("out/.refs.json").read_bytes()
    other = runner.invoke(app, ["collate", "-o", "out/other.xlsx"])
    assert other.exit_code == 1
    assert "no entry added, removed or changed; every ref kept" in other.stderr  # from .refs.json
    assert Path("out/.refs.json").read_bytes() == shared
    assert Path("out/.other.refs.json").is_file()
    again = runner.invoke(app, ["collate", "--force"])
    assert "no entry added, removed or changed; every ref kept" in again.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="the C locale is a Unix setting")
@pytest.mark.parametrize(("args", "code"), [(["validate", "--feedback", "out/fb"], 0),
                                            (["status"], 1)])  # status: ASC and GP outstanding
def test_accented_names_with_an_ascii_file_system_encoding(args, code, tmp_path, review_file):
    write_return(tmp_path / "returns" / "café-police.xlsx", [row(day="03/03/2025")])
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": "utf-8",
           "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-m", "sarkit", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert "Traceback" not in done.stderr
    assert done.returncode == code
    if args[0] == "validate":
        assert sorted(os.listdir(os.fsencode(tmp_path / "out" / "fb"))) == [
            "café-police-feedback.docx".encode(), "café-police-feedback.txt".encode()]
