"""Every command's --help example and the README's tour, run in a copy of the example review;
and the help itself, written for people."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from readme_tour import README, Session, help_examples, run_tour, tour_blocks
from typer.testing import CliRunner

from sarkit.cli import COMMANDS, app

# the order a review goes through them: each example may use what an earlier one wrote
ORDER = ["init", "template", "validate", "collate", "diff", "status", "gaps", "new-imr",
         "new-action-plan", "actions"]


def help_of(command: str) -> str:
    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_order_names_every_command():
    assert sorted(ORDER) == sorted(COMMANDS)


@pytest.mark.parametrize("command", ORDER)
def test_help_shows_plain_words_and_ends_with_an_example(command):
    text = help_of(command)
    assert not re.search(r"<[a-z][^>]*>|\[x[<>]|\{\w|INTEGER|\[PATH\]\.\.\.\]", text), text
    assert help_examples(text), f"sarkit {command} --help has no Example"
    assert text.rindex("Example") > text.index("--help  "), "the example ends the help"
    assert all(line.startswith(f"sarkit {command}") for line in help_examples(text))


def test_help_names_values_in_words():
    assert "--gap-days DAYS" in help_of("gaps")
    assert "--format table|json|csv" in help_of("gaps")
    assert "collate [OPTIONS] [PATH]...\n" in help_of("collate")
    assert "actions [OPTIONS] PATH...\n" in help_of("actions")
    assert "--as-of DATE" in help_of("actions") and "--html FILE" in help_of("actions")


@pytest.mark.slow
def test_every_help_example_runs_in_the_example_review(tmp_path):
    session = Session(tmp_path)
    session.cwd = tmp_path / "examples"
    ran = []
    for command in ORDER:
        for line in help_examples(help_of(command)):
            run = session.run(line)
            ran.append(line)
            assert run.exit_code in (0, 1), f"{line}\n{run.output}"
            assert "Traceback" not in run.output, f"{line}\n{run.output}"
    out = tmp_path / "examples" / "out"
    assert (tmp_path / "examples" / "SAR-2025-07" / "review.toml").is_file()
    for name in ("combined.xlsx", "combined.docx", "key-events.xlsx", "workshop.html",
                 "imr-police.docx", "action-plan-police.xlsx", "actions.html", "chase.txt"):
        assert (out / name).is_file(), name
    assert len(ran) >= len(ORDER)


def test_the_readme_tour_has_the_commands_of_every_section():
    commands = [c for b in tour_blocks(README.read_text("utf-8").splitlines()) for c in b.commands]
    used = {re.search(r"sarkit ([\w-]+)", c)[1] for c in commands if "sarkit " in c}
    assert used == set(COMMANDS)
    assert "$ cd examples && sarkit collate" in commands  # the short form, with no path


@pytest.mark.slow
def test_every_command_in_the_readme_tour_still_runs(tmp_path):
    blocks, runs = run_tour(tmp_path, README.read_text("utf-8"))
    assert len(blocks) >= 10
    for run in (r for block_runs in runs for r in block_runs):
        assert run.exit_code in (0, 1), f"{run.command}\n{run.output}"
        assert "Traceback" not in run.output and "Error:" not in run.output, (
            f"{run.command}\n{run.output}")


def test_tour_blocks_skip_other_commands_and_join_continued_lines():
    lines = ["```", "$ sarkit init x \\", "    --reference R", "Created x", "```", "",
             "```", "$ ls returns/", "$ sarkit validate", "```", "```toml", "$ sarkit x", "```"]
    blocks = tour_blocks(lines)
    assert [(b.start, b.end, b.commands) for b in blocks] == [
        (1, 4, ["$ sarkit init x \\\n    --reference R"])]
    assert Path(README).name == "README.md"


BOX = "│┃┏┓┗┛└┘┌┐┡┩╇┳┻━─┼┬┴╋|+"  # rich's borders, and the ASCII ones of a cp1252 console


def table_words(output: str) -> set[str]:
    """The words in the rows of boxed tables."""
    words: set[str] = set()
    for line in output.splitlines():
        if line[:1] in BOX and not set(line) <= set(BOX + "-= "):
            words.update("".join(" " if ch in BOX else ch for ch in line).split())
    return words


def broken_words(narrow: str, wide: str) -> set[str]:
    """Words of the narrow tables that the wide tables do not have: pieces of a broken word."""
    return table_words(narrow) - table_words(wide)


def test_broken_words_finds_a_word_broken_across_lines():
    wide = "│ Hospital │ Mental Health │"
    narrow = "│ Hospita │ Mental │\n│ l       │ Health │"
    assert broken_words(narrow, wide) == {"Hospita", "l"}


@pytest.mark.parametrize("args", [
    ["status", "--as-of", "26/03/2025"],
    ["actions", "plans", "--as-of", "31/03/2026"],
    ["validate"],
    ["gaps"],
])
def test_at_80_columns_no_table_breaks_a_word(tmp_path, monkeypatch, args):
    Session(tmp_path)
    monkeypatch.chdir(tmp_path / "examples")
    result = CliRunner().invoke(app, args, env={"COLUMNS": "80"})
    wide = CliRunner().invoke(app, args, env={"COLUMNS": "250"})
    assert result.exit_code in (0, 1), result.output
    assert broken_words(result.stdout, wide.stdout) == set()
    table_lines = [line for line in result.stdout.splitlines() if line[:1] in BOX]
    assert table_lines and max(len(line) for line in table_lines) <= 80
