"""Issue 17: defaults that follow the review folder, -q everywhere, output names that mean what
they say, and `sarkit actions` on the example review, as a new user meets them."""

from __future__ import annotations

from pathlib import Path

import pytest
from readme_tour import Session
from typer.testing import CliRunner

from sarkit.cli import COMMANDS, app


def run(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "100"})


@pytest.fixture
def example(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the example review, as the working folder."""
    Session(tmp_path)
    monkeypatch.chdir(tmp_path / "examples")
    return tmp_path / "examples"


def test_collate_with_no_path_reads_returns_and_writes_out_combined(example):
    result = run("collate", "-q")
    assert result.exit_code == 1, result.output  # the example has two rejected rows
    assert (example / "out" / "combined.xlsx").is_file()
    assert result.stderr.splitlines()[-1] == "Wrote out/combined.xlsx (95 entries)."
    assert "Summary" not in result.output


def test_collate_from_a_subfolder_still_uses_the_review_folder(example, monkeypatch):
    monkeypatch.chdir(example / "plans")
    result = run("collate", "-q")
    assert result.exit_code == 1, result.output
    assert (example / "out" / "combined.xlsx").is_file()
    assert "Wrote ../out/combined.xlsx" not in result.stderr
    assert f"Wrote {example / 'out' / 'combined.xlsx'} (95 entries)." in result.stderr


def test_validate_and_gaps_with_no_path_read_returns(example):
    validated = run("validate", "--format", "json")
    assert validated.exit_code == 1
    assert '"path": "returns/asc-chronology.csv"' in validated.stdout
    gaps = run("gaps", "--format", "csv")
    assert gaps.exit_code == 1, gaps.output
    assert "C0001" in gaps.stdout


def test_no_path_and_no_review_toml_is_a_usage_error_naming_the_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for command in ("collate", "validate", "gaps", "status"):
        result = run(command)
        assert result.exit_code == 2
        assert result.stderr == ("Error: Give the returns folder (there is no review.toml to find "
                                 f"it by). For example: sarkit {command} returns/\n")


def test_no_returns_folder_beside_review_toml_is_a_usage_error(tmp_path, monkeypatch):
    (tmp_path / "review.toml").write_text('[review]\nreference = "R"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("validate")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: There is no returns folder returns next to review.toml.")


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_takes_q(command):
    result = run(command, "--help")
    assert "-q, --quiet" in result.stdout


def test_q_keeps_template_and_status_quiet(example):
    assert run("template", "-q").output == ""
    assert (example / "out" / "templates" / "Police-chronology.xlsx").is_file()
    status = run("status", "-q", "--as-of", "26/03/2025", "--chase", "out/chase.txt")
    assert "Wrote the chase list" not in status.stderr and (example / "out" / "chase.txt").is_file()
    loud = run("status", "--as-of", "26/03/2025", "--chase", "out/chase2.txt")
    assert "Wrote the chase list to out/chase2.txt." in loud.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["gaps", "--html", "out/w.pdf"],
     "Error: --html out/w.pdf would hold the workshop pack as HTML, so its name must end in .html "
     "or .htm. For example: --html out/w.html\n"),
    (["actions", "plans", "--html", "out/a.pdf"],
     "Error: --html out/a.pdf would hold the report as HTML, so its name must end in .html or .htm. "
     "For example: --html out/a.html\n"),
    (["actions", "plans", "--md", "out/a.txt"],
     "Error: --md out/a.txt would hold the report as Markdown, so its name must end in .md. For "
     "example: --md out/a.md\n"),
    (["collate", "-o", "out/c.pdf"],
     "Error: The output out/c.pdf must end in .xlsx, .docx, .csv or .json; sarkit chooses what to "
     "write by the ending. For example: -o out/combined.xlsx\n"),
    (["collate", "-o", "out/c.xlsx", "--format", "csv"],
     "Error: The output out/c.xlsx would hold CSV, so its name must end in .csv. For example: -o "
     "out/c.csv\n"),
    (["new-imr", "--agency", "Police", "-o", "out/imr.pdf"],
     "Error: The output out/imr.pdf must end in one of .md, .docx, .html. Choose the format by the "
     "output file name, e.g. -o out/imr-police.docx.\n"),
    (["new-action-plan", "-o", "out/plan.pdf"],
     "Error: The output out/plan.pdf must end in .xlsx or .md. For example: -o "
     "out/action-plan-police.xlsx\n"),
    (["template", "--agency", "Police", "-o", "out/police.ods"],
     "Error: -o out/police.ods ends in .ods, but sarkit template writes Excel workbooks (.xlsx). "
     "Give a file name ending in .xlsx with one --agency (-o out/police.xlsx), or a folder.\n"),
    (["validate", "--feedback", "out/letters.docx"],
     "Error: --feedback out/letters.docx is a folder for several files, but its name ends in .docx "
     "like a file. Give a folder name, e.g. --feedback out/letters\n"),
    (["validate", "--annotate", "out/annotated.xlsx"],
     "Error: --annotate out/annotated.xlsx is a folder for several files, but its name ends in "
     ".xlsx like a file. Give a folder name, e.g. --annotate out/annotated\n"),
])
def test_an_output_named_for_another_format_is_a_usage_error(example, args, message):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr == message
    assert not (example / "out").exists() or not any((example / "out").rglob("*.*"))


def test_actions_on_the_example_lists_agencies_without_a_plan_and_the_latest_updates(example):
    result = run("actions", "plans", "--as-of", "31/03/2026")
    assert result.exit_code == 0, result.output
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert "No plan yet from 5 agencies: Hospital, Ambulance, ASC, Housing, Mental Health." in lines
    lines = [line.replace("|", "│") for line in lines]  # a cp1252 console draws ASCII borders
    at = lines.index("Latest progress update per action")
    assert [line.split("│")[1:5] for line in lines[at + 4:at + 6]] == [
        [" Police ", " P1  ", " Complete    ", " Form changed 15/01/2026     "],
        [" Police ", " P2  ", " In progress ", " Meeting held with practices "],
    ]
    assert [line.split("│")[1:5] for line in lines[at + 6:at + 8]] == [
        [" Police ", " P3  ", " Not started ", " none recorded               "],
        [" Police ", " P4  ", " Complete    ", " Done at team meetings       "],
    ]


def test_actions_on_a_folder_with_no_plan_exits_1(example):
    (example / "empty").mkdir()
    result = run("actions", "empty")
    assert result.exit_code == 1
    assert result.stderr == ("Error: no action was found in empty: no file there is an action plan.\n"
                             "Give the folder of filled-in action plans (made by sarkit "
                             "new-action-plan), e.g. sarkit actions plans/\n")
    junk = run("actions", "review.toml")  # the review's settings: said what it is (a usage error)
    assert junk.exit_code == 2
    assert junk.stderr.startswith("Error: review.toml is a review settings file (.toml), not an "
                                  "action plan: sarkit actions reads the agencies' filled-in action "
                                  "plans.")


def test_latest_update_is_the_latest_dated_line_else_the_last():
    from sarkit.action_plans import latest_update

    assert latest_update("") == ""
    assert latest_update("Done") == "Done"
    assert latest_update("12/03/2026 second\n01/02/2026 first") == "12/03/2026 second"
    assert latest_update("01/02/2026: first\n12/03/2026: second\n") == "12/03/2026: second"
    assert latest_update("Met the team\nPolicy drafted") == "Policy drafted"


def test_a_spinner_names_the_output_while_it_is_written_at_a_terminal(monkeypatch):
    import io

    from rich.console import Console

    from sarkit.commands import options

    screen = io.StringIO()
    monkeypatch.setattr(options, "make_console", lambda stderr=False: Console(
        file=screen, force_terminal=True, width=80))
    with options.writing(Path("out/combined.xlsx"), quiet=False):
        pass
    assert "Writing out/combined.xlsx" in screen.getvalue()
    screen.truncate(0)
    with options.writing(Path("out/combined.xlsx"), quiet=True):
        pass
    assert screen.getvalue() == ""
