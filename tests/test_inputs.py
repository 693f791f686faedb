"""What is read from a returns folder: links out of it and pipes are listed as skipped, never read."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from conftest import row, write_return
from typer.testing import CliRunner

from sarkit.cli import app

runner = CliRunner()
unix_only = pytest.mark.skipif(sys.platform == "win32" or not hasattr(os, "mkfifo"),
                               reason="symlinks and FIFOs as Unix makes them")


def validate_json(*args: str) -> tuple[int, dict]:
    done = runner.invoke(app, ["validate", *args, "--agency", "Police", "--format", "json"])
    return done.exit_code, json.loads(done.stdout)


def by_name(report: dict) -> dict[str, dict]:
    return {Path(f["path"]).name: f for f in report["files"]}


@unix_only
def test_a_link_out_of_the_returns_folder_is_listed_and_not_read(tmp_path: Path) -> None:
    outside = write_return(tmp_path / "elsewhere" / "private.csv", [row()])
    returns = tmp_path / "returns"
    write_return(returns / "police.csv", [row()])
    (returns / "private.csv").symlink_to(outside)
    (returns / "system").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    code, report = validate_json(str(returns))
    files = by_name(report)
    assert code == 0
    assert sorted(files) == ["police.csv", "private.csv", "system"]
    assert files["police.csv"]["entries"] == 1
    for name in ("private.csv", "system"):
        assert files[name]["entries"] == 0 and files[name]["skipped"] is True
        [found] = files[name]["findings"]
        assert found["code"] == "skipped-file"
    assert "link to a file outside the folder" in files["private.csv"]["findings"][0]["message"]
    assert "link to a folder" in files["system"]["findings"][0]["message"]


@unix_only
def test_a_link_inside_the_folder_and_a_named_link_are_read(tmp_path: Path) -> None:
    returns = tmp_path / "returns"
    real = write_return(returns / "archive" / "police.csv", [row()])
    (returns / "latest.csv").symlink_to(real)
    code, report = validate_json(str(returns))
    latest = by_name(report)["latest.csv"]
    assert latest["skipped"] is False  # read: the same bytes as archive/police.csv, so
    assert [f["code"] for f in latest["findings"]] == ["duplicate-file"]  # collated once
    named = tmp_path / "named.csv"
    named.symlink_to(write_return(tmp_path / "other" / "p.csv", [row()]))
    code, report = validate_json(str(named))
    assert by_name(report)["named.csv"]["entries"] == 1


@unix_only
def test_a_pipe_in_the_returns_folder_is_skipped_not_waited_on(tmp_path: Path) -> None:
    returns = tmp_path / "returns"
    write_return(returns / "police.csv", [row()])
    os.mkfifo(returns / "pipe.csv")
    code, report = validate_json(str(returns))
    files = by_name(report)
    assert files["pipe.csv"]["skipped"] is True
    assert "not an ordinary file" in files["pipe.csv"]["findings"][0]["message"]
    assert files["police.csv"]["entries"] == 1


@pytest.mark.skipif(sys.platform != "linux", reason="a file name that is not valid UTF-8, as Linux allows")
def test_a_file_name_that_is_not_utf8_is_shown_with_a_replacement_and_read(tmp_path: Path) -> None:
    """Issue 15: a Latin-1 'é' left by unzip must not crash collate, the pack or the letters."""
    returns = tmp_path / "returns"
    returns.mkdir()
    raw = os.fsencode(returns) + b"/caf\xe9-police.csv"
    with open(raw, "wb") as handle:
        handle.write(b"Date,Source of Information,Event / Contact Details,Action Taken / Outcome,"
                     b"Practitioner / Role\n03/03/2025,Log,Visit,Advice,PC 1\n")
    code, report = validate_json(str(returns))
    assert code == 0
    [only] = report["files"]
    # U+FFFD on any console: JSON on one that is not UTF-8 (cp1252) writes it as \ufffd, not "?"
    assert only["path"].endswith("caf\ufffd-police.csv") and only["entries"] == 1
    for args in (["collate", str(returns), "--agency", "Police", "-o", str(tmp_path / "o.xlsx")],
                 ["collate", str(returns), "--agency", "Police", "-o", str(tmp_path / "o.docx")],
                 ["gaps", str(returns), "--agency", "Police", "--html", str(tmp_path / "p.html")],
                 ["validate", str(returns), "--agency", "Police", "--feedback",
                  str(tmp_path / "letters"), "--annotate", str(tmp_path / "copies")]):
        done = runner.invoke(app, args)
        assert done.exit_code == 0, done.output
        assert done.exception is None or isinstance(done.exception, SystemExit)
    assert len(list((tmp_path / "letters").iterdir())) == 2
    assert len(list((tmp_path / "copies").iterdir())) == 1
