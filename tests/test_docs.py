"""Documentation generated from or checked against the code."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.findings import CATALOGUE, catalogue_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_findings_doc_is_generated_from_the_catalogue():
    assert (ROOT / "docs" / "findings.md").read_text() == catalogue_markdown(), (
        "run: python -m sarkit.findings > docs/findings.md")


def test_every_command_is_documented_in_help_and_readme():
    readme = (ROOT / "README.md").read_text()
    runner = CliRunner()
    listing = runner.invoke(app, ["--help"]).stdout
    commands = re.findall(r"^  ([a-z][a-z-]+)\s", listing, flags=re.MULTILINE)
    assert {"init", "template", "validate", "collate", "gaps", "new-imr", "new-action-plan",
            "actions"} <= set(commands)
    for command in commands:
        help_text = runner.invoke(app, [command, "--help"]).stdout
        assert "Example" in help_text, f"{command} --help has no example"
        assert f"sarkit {command}" in readme, f"README does not show sarkit {command}"


def test_readme_lists_every_finding_code_doc():
    readme = (ROOT / "README.md").read_text()
    assert "docs/findings.md" in readme
    assert len(CATALOGUE) >= 28


def test_core_imports_no_cli_or_file_format_library():
    """dates, schema, chronology, collate and analysis take and return plain values."""
    import subprocess
    import sys

    code = (
        "import sys, sarkit.dates, sarkit.schema, sarkit.chronology, sarkit.collate, "
        "sarkit.analysis\n"
        "banned = {'typer', 'rich', 'openpyxl', 'xlsxwriter', 'python_calamine', "
        "'rustpy_xlsxwriter', 'docx', 'pandas'}\n"
        "print(sorted(banned & {m.split('.')[0] for m in sys.modules}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
