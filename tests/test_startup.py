"""Start-up of `sarkit gaps`: no module it does not need, no regex compiled before it is used."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import row, write_return
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.lazy_re import LazyPattern, lazy_compile

runner = CliRunner()

# modules `sarkit gaps` on a combined workbook never needs: each costs start-up time
NOT_NEEDED = ("rich.progress", "openpyxl", "xlsxwriter", "jinja2",
              "docx", "pandas", "sarkit.commands.collate", "sarkit.commands.validate",
              "sarkit.intake.action_plans", "sarkit.output.workshop")
# modules gaps imports (through the return readers) whose expressions it never uses
UNUSED_EXPRESSIONS = ("sarkit.row_shapes", "sarkit.row_words", "sarkit.dated_lines", "sarkit.sign_off",
                      "sarkit.sheet_periods", "sarkit.markup", "sarkit.intake.shown_dates")

RUN = """
import json, runpy, sys
from sarkit.lazy_re import LazyPattern
args, wanted, not_needed = (json.loads(given) for given in sys.argv[1:])
sys.argv, code = ["sarkit", *args], None
try:
    runpy.run_module("sarkit", run_name="__main__")
except SystemExit as exc:
    code = exc.code
compiled = sorted(f"{m}.{name}" for m in wanted for name, value in vars(sys.modules[m]).items()
                  if isinstance(value, LazyPattern) and "match" in vars(value))
imported = sorted(m for m in not_needed if m in sys.modules)
print(json.dumps({"code": code, "imported": imported, "compiled": compiled}))
"""


def run_sarkit(args: list[str], cwd: Path, *, modules: tuple[str, ...] = (),
               not_needed: tuple[str, ...] = NOT_NEEDED) -> dict[str, Any]:
    """Run sarkit in a fresh process: its exit code, which of `not_needed` it imported, and which
    expressions of `modules` it compiled."""
    done = subprocess.run(
        [sys.executable, "-c", RUN, json.dumps(args), json.dumps(list(modules)), json.dumps(not_needed)],
        capture_output=True, text=True, cwd=cwd, timeout=120, check=True)
    return json.loads(done.stdout.splitlines()[-1])


@pytest.fixture
def combined(tmp_path: Path, review_file: Path) -> Path:
    folder = tmp_path / "returns"
    write_return(folder / "police.xlsx", [
        row(day="10/01/2025", event="Welfare check at home", action="Informed ASC of concerns"),
        row(day="20/03/2025", event="Concern for welfare call", action="No further action")])
    write_return(folder / "asc.xlsx", [
        row(day="10/01/2025", event="Safeguarding concern received", action="Enquiry opened")])
    write_return(folder / "gp.xlsx", [row(day="11/02/2025", event="Review", action="Bloods")])
    path = tmp_path / "out" / "combined.xlsx"
    made = runner.invoke(app, ["collate", str(folder), "-o", str(path), "-q", "--review", str(review_file)])
    assert made.exit_code == 0, made.output
    return path


def test_gaps_on_a_combined_workbook_imports_and_compiles_only_what_it_uses(
        combined: Path, tmp_path: Path) -> None:
    seen = run_sarkit(["gaps", str(combined), "--gap-days", "20", "--format", "json"], tmp_path,
                      modules=UNUSED_EXPRESSIONS)
    assert seen == {"code": 0, "imported": [], "compiled": []}


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["gaps", "--help"]])
def test_help_and_version_import_neither_numpy_nor_the_analysis(args: list[str], tmp_path: Path) -> None:
    seen = run_sarkit(args, tmp_path, not_needed=(*NOT_NEEDED, "numpy", "sarkit.analysis"))
    assert seen == {"code": 0, "imported": [], "compiled": []}


def test_a_wrong_value_is_refused_as_typer_refuses_it(combined: Path) -> None:
    refused = runner.invoke(app, ["gaps", str(combined), "--gap-days", "x1"])
    assert refused.exit_code == 2
    assert ("Invalid value for '--gap-days': Input should be a valid integer, unable to parse "
            "string as an integer") in refused.output
    refused = runner.invoke(app, ["gaps", str(combined), "--format", "xml"])
    assert refused.exit_code == 2
    assert "Invalid value for '--format': Value error, 'xml' is not one of 'table', 'json', 'csv'." \
        in refused.output


def test_a_lazy_pattern_compiles_on_first_use_and_acts_as_the_compiled_one() -> None:
    lazy = lazy_compile(r"(\d+)-(?P<b>\w)", re.IGNORECASE)
    assert isinstance(lazy, LazyPattern) and "search" not in vars(lazy)
    compiled = re.compile(r"(\d+)-(?P<b>\w)", re.IGNORECASE)
    assert lazy.search("x 12-a").groups() == compiled.search("x 12-a").groups() == ("12", "a")
    assert "search" in vars(lazy)  # kept: later calls go straight to the compiled pattern
    assert lazy.sub("#", "1-a 2-B") == "# #"
    assert [lazy.pattern, lazy.flags, lazy.groups, dict(lazy.groupindex)] == \
        [compiled.pattern, compiled.flags, 2, {"b": 2}]
    assert lazy.findall("1-a 22-b") == [("1", "a"), ("22", "b")]
    with pytest.raises(AttributeError):
        lazy.__wrapped__  # noqa: B018
    bare = LazyPattern.__new__(LazyPattern)  # as copy and pickle make one: no recursion
    with pytest.raises(AttributeError):
        bare._source  # noqa: B018
