"""One pipeline: every output of a run shows the same counts; reading and writing stay apart."""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import HEADER, row, write_return
from typer.testing import CliRunner

from sarkit.cli import app

runner = CliRunner()
EXAMPLES = Path(__file__).parent.parent / "examples"
SRC = Path(__file__).parent.parent / "src" / "sarkit"


def run(*args: str):
    return runner.invoke(app, list(args))


def sheet(path: Path, name: str) -> list[dict[str, object]]:
    rows = list(openpyxl.load_workbook(path)[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]


def messy_review(root: Path) -> None:
    """review_file's agencies plus one more: a resubmission, a rejected row, an author's note,
    an unusable return, a missing agency, a nil return and sarkit's own output in returns/."""
    (root / "review.toml").write_text("""
[review]
reference = "SAR-MESSY"
subject = "Adult M"
period_start = 2025-01-01
period_end = 2025-12-31

[[agencies]]
name = "Testshire Police"
short = "Police"
files = ["*police*"]

[[agencies]]
name = "Testshire Adult Social Care"
short = "ASC"
files = ["*asc*"]

[[agencies]]
name = "Hill Surgery"
short = "GP"
files = ["*gp*"]

[[agencies]]
name = "Testshire Housing"
short = "Housing"
files = ["*housing*"]

[[agencies]]
name = "Fire Service"
short = "Fire"
files = ["*fire*"]
""", encoding="utf-8")
    folder = root / "returns"
    write_return(folder / "police.xlsx", [row(day="03/03/2025", event="Welfare check"),
                                          row(day="10/03/2025", event="Patrol visit"),
                                          row(day="31/02/2025", event="Impossible date")])
    write_return(folder / "police-v2.xlsx", [row(day="03/03/2025", event="Welfare check"),
                                             row(day="12/03/2025", event="Follow-up call")])
    write_return(folder / "asc.csv", [row(day="04/03/2025", event="Concern received"),
                                      row(day="?20/04/2025", source="# note", event="Unsure"),
                                      row(day="May 2025", time="", event="Several calls")])
    write_return(folder / "gp.xlsx", [["Seen in clinic", "GP record"]],
                 header=["Event / Contact Details", "Source of Information"])
    write_return(folder / "housing.xlsx", [])


@pytest.mark.parametrize("review", ["example", "messy"])
def test_every_output_shows_the_same_counts(review, tmp_path, monkeypatch):
    if review == "example":
        shutil.copytree(EXAMPLES / "returns", tmp_path / "returns")
        shutil.copy(EXAMPLES / "review.toml", tmp_path / "review.toml")
    else:
        messy_review(tmp_path)
    monkeypatch.chdir(tmp_path)
    made = run("collate", "returns", "-o", "out/combined.xlsx")
    assert made.exit_code in (0, 1), made.output
    wrote = re.search(r"Wrote out/combined.xlsx \((\d+) entr", made.stderr)
    terminal = int(wrote.group(1))
    assert re.search(rf"[│|] Entries +[│|] +{terminal} [│|]", made.stderr)  # ASCII boxes on cp1252
    account_line = made.stderr.splitlines()[-2]
    assert re.search(rf"\b{terminal} entr(y|ies) in the chronology", account_line)

    chronology = sheet(Path("out/combined.xlsx"), "Chronology")
    about = {r["Item"]: r["Value"] for r in sheet(Path("out/combined.xlsx"), "About")}
    agencies = sheet(Path("out/combined.xlsx"), "Agencies")
    assert len(chronology) == terminal == int(about["Entries"])
    assert sum(a["Entries"] for a in agencies) == terminal
    assert json.loads(about["Account data"])["entries"] == terminal

    assert run("collate", "returns", "-o", "out/combined.json").exit_code == made.exit_code
    exported = json.loads(Path("out/combined.json").read_text("utf-8"))
    assert len(exported["entries"]) == exported["account"]["entries"] == terminal

    checked = json.loads(run("validate", "returns", "--format", "json").stdout)
    assert checked["summary"]["entries"] == checked["account"]["entries"] == terminal
    assert checked["account"]["rejected_rows"] == exported["account"]["rejected_rows"]

    for source in ("returns", "out/combined.xlsx"):
        analysed = run("gaps", source, "--format", "json", "--html", "out/pack.html", "--force")
        assert analysed.exit_code == made.exit_code, analysed.output
        account = json.loads(analysed.stdout)["account"]
        assert account == exported["account"], source
        pack = Path("out/pack.html").read_text("utf-8")
        sent = sum(1 for a in agencies if a["Entries"])
        assert f"<dd>{terminal} entries from {sent} agencies" in pack, source
        shown = re.findall(r'<td class="num">(\d+)</td><td class="nowrap">', pack)
        assert sum(map(int, shown)) == terminal

    imr_total = 0
    for agency in agencies:
        out = f"out/imr-{agency['Short Name']}.md"
        written = run("new-imr", "--agency", agency["Agency"], "--chronology", "out/combined.xlsx",
                      "-o", out, "--force")
        assert written.exit_code == 0, written.output
        found = re.search(r"The combined chronology holds (\d+) entr", Path(out).read_text("utf-8"))
        imr_total += int(found.group(1)) if found else 0
        assert (agency["Entries"] > 0) == bool(found)
    assert imr_total == terminal
    if review == "messy":
        assert made.exit_code == 1
        assert exported["account"]["missing"] == ["Fire Service"]
        assert [u["agency"] for u in exported["account"]["unusable"]] == ["Hill Surgery"]
        assert [(Path(r["file"]).name, r["row"]) for r in exported["account"]["rejected_rows"]] == [
            ("police.xlsx", 4)]
        assert terminal == 6  # police 3 (one repeat, one rejected), ASC 3 with its note


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize(("reader", "writer"), [("intake", "output"), ("output", "intake")])
def test_intake_and_output_never_import_each_other(reader, writer):
    wrong = {str(path.relative_to(SRC)): sorted(m for m in _imports(path)
                                                if m == f"sarkit.{writer}"
                                                or m.startswith(f"sarkit.{writer}."))
             for path in (SRC / reader).rglob("*.py")}
    assert {k: v for k, v in wrong.items() if v} == {}


def test_the_core_imports_no_cli_terminal_or_file_format_library():
    banned = ("typer", "rich", "openpyxl", "xlsxwriter", "rustpy_xlsxwriter", "python_calamine",
              "docx", "odf", "sarkit.output", "sarkit.intake", "sarkit.commands")
    for name in ("dates", "schema", "chronology", "collate", "analysis", "account", "questions"):
        path = SRC / f"{name}.py"
        if not path.exists():
            continue
        bad = [m for m in _imports(path) if any(m == b or m.startswith(b + ".") for b in banned)]
        assert bad == [], name


def test_architecture_test_sees_a_forbidden_import(tmp_path):
    """The check above is not vacuous: it finds an import of output/ in a module."""
    module = tmp_path / "m.py"
    module.write_text("from sarkit.output.combined_workbook import SHEETS\nimport json\n")
    assert "sarkit.output.combined_workbook" in _imports(module)


def test_header_only_is_kept(tmp_path):
    """A nil return among the returns: entries 0, accounted for."""
    write_return(tmp_path / "r" / "police.xlsx", [], header=HEADER)
    result = run("collate", str(tmp_path / "r"), "-o", str(tmp_path / "c.xlsx"), "--agency", "Police")
    assert result.exit_code == 0, result.output
    assert "All 0 rows accounted for: 0 entries in the chronology." in result.stderr
