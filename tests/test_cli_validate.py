"""`sarkit validate` through the CLI: JSON shape, exit codes, feedback files, the real entry point."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import row
from typer.testing import CliRunner

from sarkit.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_json_has_the_documented_shape(make_return, tmp_path):
    good = make_return("police.xlsx", [row(), row(day="04/03/2025")])
    bad = make_return("gp.xlsx", [row(), row(day="31/02/2025")], details={"Agency:": "GP"})
    result = run("validate", str(good), str(bad), "--agency", "Police", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"valid", "files", "summary", "account"}
    assert data["account"] == {
        "complete": False, "review_file": None, "missing": [], "unusable": [],
        "rejected_rows": [{"agency": "GP", "file": str(bad), "sheet": "Chronology", "row": 3,
                           "codes": ["date-invalid"], "cells": ["A3"]}],
        "entries": 3, "rows": 4}
    assert data["valid"] is False
    assert data["summary"] == {"files": 2, "entries": 3, "rejected_rows": 1, "errors": 1,
                               "warnings": 0}
    first, second = data["files"]
    assert {"path", "agency", "sheet", "header_row", "entries", "rejected_rows",
            "findings"} <= set(first)
    assert (first["agency"], first["sheet"], first["header_row"], first["entries"]) == (
        "Police", "Chronology", 1, 2)
    assert second["agency"] == "GP"
    [item] = second["findings"]
    assert item == {
        "code": "date-invalid", "severity": "error", "sheet": "Chronology", "row": 3,
        "column": "Date", "cell": "A3", "message": item["message"], "hint": item["hint"],
    }
    assert "31/02" not in item["message"] + item["hint"]


def test_exit_codes(make_return, tmp_path):
    clean = make_return("clean.xlsx", [row()])
    warned = make_return("warned.xlsx", [row(action="")])
    assert run("validate", str(clean), "--agency", "Police").exit_code == 0
    assert run("validate", str(warned), "--agency", "Police").exit_code == 0
    assert run("validate", str(warned), "--agency", "Police", "--strict").exit_code == 1
    missing = run("validate", str(tmp_path / "nope.xlsx"))
    assert missing.exit_code == 2
    assert "There is no file or folder" in missing.stderr
    assert run("validate", str(clean), "--format", "yaml").exit_code == 2


def test_every_input_listed_including_skipped(make_return, tmp_path):
    make_return("police.xlsx", [row()])
    (tmp_path / "returns" / ".DS_Store").write_bytes(b"\x00\x01")
    result = run("validate", str(tmp_path / "returns"), "--agency", "Police", "--format", "json")
    files = {f["path"].rsplit("/", 1)[-1]: f for f in json.loads(result.stdout)["files"]}
    assert set(files) == {".DS_Store", "police.xlsx"}
    assert files[".DS_Store"]["entries"] == 0
    assert [f["code"] for f in files[".DS_Store"]["findings"]] == ["skipped-file"]


def test_table_output_names_file_cell_and_summary(make_return):
    path = make_return("police.xlsx", [row(), row(event="")])
    result = run("validate", str(path), "--agency", "Police")
    assert result.exit_code == 1
    assert "police.xlsx — Police, 1 entry, 1 row rejected: 1 error, 0 warnings" in result.stdout
    assert "D3" in result.stdout and "event-missing" in result.stdout
    assert "Rejected rows" in result.stdout


def test_feedback_files(make_return, tmp_path):
    path = make_return("police.xlsx", [row(), row(day="31/02/2025"), row(action="")])
    folder = tmp_path / "feedback"
    result = run("validate", str(path), "--agency", "Police", "--feedback", str(folder))
    assert result.exit_code == 1
    text = (folder / "police-feedback.txt").read_text("utf-8")
    assert "PLEASE CORRECT THESE" in text and "as soon as you can" in text
    assert "- Sheet Chronology, cell A3: The Date in row 3" in text
    assert "PLEASE CHECK THESE" in text and "- Sheet Chronology, cell E4: Row 4 has no" in text
    assert "31/02" not in text and (folder / "police-feedback.docx").exists()


def test_review_toml_mistake_is_one_line(tmp_path, make_return):
    bad = tmp_path / "review.toml"
    bad.write_text('[review]\nreference = "X"\ncolour = "red"\n')
    result = run("validate", str(make_return("a.xlsx", [row()])), "--review", str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: In ") and "unknown key: colour" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_help_lists_every_finding_code():
    from sarkit.findings import CATALOGUE

    result = run("validate", "--help")
    flat = "".join(result.stdout.split())
    for code in CATALOGUE:
        assert code in flat


def test_python_dash_m_entry_point(make_return):
    path = make_return("police.xlsx", [row()])
    done = subprocess.run(
        [sys.executable, "-m", "sarkit", "validate", str(path), "--agency", "Police",
         "--format", "json"], capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["valid"] is True


def test_limit_option(make_return):
    path = make_return("police.xlsx", [row(), row(day="04/03/2025")])
    refused = run("validate", str(path), "--agency", "Police", "--limit", "max-rows=2",
                  "--format", "json")
    [finding] = json.loads(refused.stdout)["files"][0]["findings"]
    assert (refused.exit_code, finding["code"]) == (1, "file-refused")
    assert "--limit max-rows=" in finding["hint"] or "max-rows" in finding["message"]
    bad = run("validate", str(path), "--limit", "max-rows")
    assert bad.exit_code == 2 and "--limit" in bad.stderr


def test_word_table_findings_name_row_and_column(tmp_path):
    from corpus import docx_bytes

    path = tmp_path / "police.docx"
    path.write_bytes(docx_bytes([["31/02/2025", "10:00", "Case notes", "Visit", "None", "PC 1"]]))
    result = run("validate", str(path), "--format", "json")
    [finding] = json.loads(result.stdout)["files"][0]["findings"]
    assert (finding["code"], finding["cell"], finding["row"]) == ("date-invalid", None, 2)
    assert finding["sheet"] == "Table 1" and finding["column"] == "Date"


# --------------------------------------------------------------------------------------------
# Mappings that last: review.toml [map], an agency's map, --save-map

WHEN_HEADER = ["When", "Log", "Event / Contact Details", "Action Taken / Outcome", "Staff"]
WHEN_ROW = ["03/03/2025", "Case notes", "Home visit", "None", "PC"]


def codes_of(result) -> list[list[tuple[str, str]]]:
    return [[(f["code"], f["cell"]) for f in item["findings"]]
            for item in json.loads(result.stdout)["files"]]


def test_review_map_applies_to_every_return_and_agency_map_to_its_own(make_return, tmp_path):
    review = tmp_path / "review.toml"
    review.write_text('[map]\n"When" = "date"\n\n[[agencies]]\nname = "Police"\nfiles = ["*police*"]\n'
                      'map = { "Log" = "source" }\n\n[[agencies]]\nname = "GP"\nfiles = ["*gp*"]\n')
    police = make_return("police.xlsx", [WHEN_ROW], header=WHEN_HEADER)
    gp = make_return("gp.xlsx", [[*WHEN_ROW[:4], "GP"]], header=WHEN_HEADER)
    result = run("validate", str(police), str(gp), "--review", str(review), "--format", "json")
    assert result.exit_code == 1
    assert codes_of(result) == [
        [],  # Police: When -> date ([map]), Log -> source (its own map)
        # GP: Log means nothing, so no Source column: its one row goes with the return
        [("missing-column", None), ("unknown-column", "B1"), ("rows-not-used", None)],
    ]


def test_map_option_wins_over_the_agency_map(make_return, tmp_path):
    review = tmp_path / "review.toml"
    review.write_text('[[agencies]]\nname = "Police"\nfiles = ["*police*"]\n'
                      'map = { "When" = "end_date", "Log" = "source" }\n')
    police = make_return("police.xlsx", [WHEN_ROW], header=WHEN_HEADER)
    result = run("validate", str(police), "--review", str(review), "--map", "When=date",
                 "--format", "json")
    assert (result.exit_code, codes_of(result)) == (0, [[]])


def test_unknown_field_in_review_map_is_one_sentence(make_return, tmp_path):
    review = tmp_path / "review.toml"
    review.write_text('[[agencies]]\nname = "Police"\nmap = { "When" = "dat" }\n')
    result = run("validate", str(make_return("a.xlsx", [row()])), "--review", str(review))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f'Error: In {review} (agency Police) map, the heading "When" is mapped to "dat", which is '
        "not a chronology field.")
    assert "Fields are: ref, date, time," in result.stderr and "Traceback" not in result.stderr


def test_save_map_writes_into_the_review_file_and_keeps_its_layout(make_return, tmp_path):
    review = tmp_path / "review.toml"
    original = '# our review\n[review]\nreference = "SAR-1"  # keep\n\n[map]\n"Log" = "source"\n'
    review.write_text(original)
    police = make_return("police.xlsx", [WHEN_ROW], header=WHEN_HEADER)
    saved = run("validate", str(police), "--review", str(review), "--agency", "Police",
                "--map", "When=Date", "--save-map", "--format", "json")
    assert (saved.exit_code, codes_of(saved)) == (0, [[]])
    assert review.read_text() == original + '"When" = "date"\n'
    assert f'Saved in {review} under [map]: "When" = "date".' in saved.stderr
    again = run("validate", str(police), "--review", str(review), "--agency", "Police",
                "--format", "json")
    assert (again.exit_code, codes_of(again)) == (0, [[]])  # the mapping lasts


def test_save_map_needs_a_map_and_a_review_file(make_return, tmp_path, monkeypatch):
    police = make_return("police.xlsx", [row()])
    review = tmp_path / "review" / "review.toml"
    review.parent.mkdir()
    review.write_text('[review]\nreference = "SAR-1"\n')
    nothing = run("validate", str(police), "--review", str(review), "--save-map")
    assert nothing.exit_code == 2 and "--save-map needs at least one --map" in nothing.stderr
    monkeypatch.chdir(tmp_path / "returns")
    nowhere = run("validate", str(police), "--map", "When=date", "--save-map")
    assert nowhere.exit_code == 2 and "There is no review.toml to save" in nowhere.stderr
    assert review.read_text() == '[review]\nreference = "SAR-1"\n'
