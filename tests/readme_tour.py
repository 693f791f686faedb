"""The README's tour and every command's --help example, run as a new user would run them.

Used by tests/test_cli_examples.py, and to write the tour's outputs back into the README:

    PYTHONPATH=src python tests/readme_tour.py --write

A tour block is a plain fenced block whose `$ ` lines are all `sarkit ...` or `cd ...` (blocks
with other commands, such as `ls` or the benchmarks, illustrate other folders and are left as
they are). Commands run in a copy of examples/, one shell-like session in README order.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
EXAMPLES = ROOT / "examples"
SHOWN_LINES = 30  # a longer output is cut after this many lines, with "..."
COLUMNS = "100"


@dataclass
class Block:
    start: int  # index of the line after the opening fence
    end: int  # index of the closing fence
    commands: list[str]  # each as written, continuation lines joined by "\n"


@dataclass
class Run:
    command: str
    output: str
    exit_code: int


def tour_blocks(lines: list[str]) -> list[Block]:
    """The tour blocks of the README, in order."""
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        if not lines[index].startswith("```"):
            index += 1
            continue
        plain = lines[index].strip() == "```"  # ```toml, ```python… are not tours
        start = index + 1
        end = start
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        commands: list[str] = []
        line = start
        while line < end:
            if lines[line].startswith("$ "):
                written = [lines[line]]
                while written[-1].endswith("\\") and line + 1 < end:
                    line += 1
                    written.append(lines[line])
                commands.append("\n".join(written))
            line += 1
        if plain and commands and all(_words(c)[0] in ("sarkit", "cd") for c in commands):
            blocks.append(Block(start, end, commands))
        index = end + 1
    return blocks


def _words(command: str) -> list[str]:
    return shlex.split(command.removeprefix("$ ").replace("\\\n", " "))


def help_examples(help_text: str) -> list[str]:
    """The `sarkit ...` command lines after "Example" in a command's --help."""
    _, _, tail = help_text.partition("Example")
    commands: list[str] = []
    current = ""
    for line in tail.splitlines():
        text = line.strip()
        if current:
            current += " " + text
        elif text.startswith("sarkit "):
            current = text
        else:
            continue
        if current.endswith("\\"):
            current = current[:-1].rstrip()
            continue
        commands.append(current)
        current = ""
    return commands


class Session:
    """A shell-like session in a copy of examples/: `cd` is remembered between commands."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copytree(EXAMPLES, root / "examples",
                        ignore=shutil.ignore_patterns("out", ".refs.json", "__pycache__"))
        self.cwd = root

    def run(self, command: str) -> Run:
        outputs: list[str] = []
        code = 0
        for part in command.removeprefix("$ ").replace("\\\n", " ").split("&&"):
            words = shlex.split(part)
            if words[0] == "cd":
                target = self.cwd / words[1]
                self.cwd = target if target.is_dir() else self.root / words[1]
                assert self.cwd.is_dir(), f"{command}: no folder {words[1]}"
                continue
            assert words[0] == "sarkit", command
            result = subprocess.run(
                [sys.executable, "-m", "sarkit", *words[1:]], cwd=self.cwd, env=_env(),
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                text=True, encoding="utf-8", errors="replace", timeout=600,
            )
            outputs.append(result.stdout)
            code = result.returncode
        return Run(command, "".join(outputs), code)


def _env() -> dict[str, str]:
    import sarkit

    env = dict(os.environ)
    source = str(Path(sarkit.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join([source, *filter(None, [env.get("PYTHONPATH")])])
    env.update(COLUMNS=COLUMNS, PYTHONUNBUFFERED="1", PYTHONIOENCODING="utf-8")
    env.pop("SARKIT_PASSWORD", None)
    return env


def shown(output: str) -> list[str]:
    """An output as the README shows it: trailing spaces gone, cut after SHOWN_LINES lines."""
    lines = [line.rstrip() for line in output.rstrip("\n").splitlines()]
    return lines if len(lines) <= SHOWN_LINES + 1 else [*lines[:SHOWN_LINES], "..."]


def run_tour(root: Path, text: str) -> tuple[list[Block], list[list[Run]]]:
    """Every tour command of the README text, run in order; the runs block by block."""
    lines = text.splitlines()
    blocks = tour_blocks(lines)
    session = Session(root)
    return blocks, [[session.run(c) for c in block.commands] for block in blocks]


def rewrite(text: str, blocks: list[Block], runs: list[list[Run]]) -> str:
    """The README with each tour block's outputs replaced by the real ones."""
    lines = text.splitlines()
    for block, block_runs in reversed(list(zip(blocks, runs, strict=True))):
        body: list[str] = []
        for run in block_runs:
            body += run.command.splitlines()
            body += shown(run.output)
        lines[block.start:block.end] = body
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import tempfile

    if sys.argv[1:] != ["--write"]:
        sys.exit("Usage: python tests/readme_tour.py --write")
    with tempfile.TemporaryDirectory() as folder:
        original = README.read_text(encoding="utf-8")
        found, done = run_tour(Path(folder), original)
        for block_runs in done:
            for run in block_runs:
                print(f"{run.exit_code}  {run.command.splitlines()[0]}")
        README.write_text(rewrite(original, found, done), encoding="utf-8")
