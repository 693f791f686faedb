"""Windows and macOS: no Unix-only module on any path, spawn workers, consoles that cannot crash,
outputs that cannot be written explained in one sentence.

The simulated-Windows lane (`.ci/run`) runs the whole suite again with tests/windows on
PYTHONPATH and SARKIT_SIMULATE_WINDOWS=1; the tests here check that the lane really blocks what
Windows lacks, and run sarkit the way a Windows user's console would.
"""

from __future__ import annotations

import ast
import errno
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SIMULATED_WINDOWS, write_return
from typer.testing import CliRunner

import sarkit
import sarkit.errors
from sarkit.cli import app
from sarkit.output.atomic import atomic_output
from sarkit.output.terminal import echo_json
from sarkit.pipeline.workers import START_METHOD_VARIABLE, start_method
from sarkit.returns import ReadOptions, read_returns

LANE = Path(__file__).parent / "windows"
SRC = Path(sarkit.__file__).parent
UNIX_ONLY_MODULES = {"resource", "fcntl", "termios", "tty", "pty", "pwd", "grp", "syslog", "crypt"}
UNIX_ONLY_NAMES = {("os", "fork"), ("os", "forkpty"), ("os", "getuid"), ("os", "geteuid"),
                   ("os", "getgid"), ("os", "killpg"), ("os", "setsid"), ("os", "getpgid"),
                   ("os", "chown"), ("os", "mkfifo"), ("signal", "SIGALRM"), ("signal", "SIGHUP"),
                   ("signal", "alarm"), ("signal", "setitimer"), ("signal", "SIGUSR1")}


def simulated(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run Python code in a fresh process of the simulated-Windows lane."""
    environment = {**os.environ, "SARKIT_SIMULATE_WINDOWS": "1",
                   "PYTHONPATH": os.pathsep.join([str(LANE), str(SRC.parent)]), **env}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=environment, timeout=120)


def test_the_lane_blocks_unix_only_modules_and_fork() -> None:
    done = simulated(
        "import os, sys\n"
        "try:\n    import resource\nexcept ModuleNotFoundError:\n    print('resource blocked')\n"
        "try:\n    import fcntl\nexcept ModuleNotFoundError:\n    print('fcntl blocked')\n"
        "print('fork' if hasattr(os, 'fork') else 'no fork')\n"
        "from sarkit.pipeline.workers import start_method\nprint(start_method())\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:4] == ["resource blocked", "fcntl blocked", "no fork", "spawn"]


def test_a_deliberate_unix_import_fails_in_the_lane() -> None:
    done = simulated("import resource")
    assert done.returncode == 1
    assert "ModuleNotFoundError: No module named 'resource' (simulated Windows)" in done.stderr


def test_every_sarkit_module_imports_in_the_lane() -> None:
    done = simulated(
        "import importlib, pkgutil, sarkit\n"
        "for info in pkgutil.walk_packages(sarkit.__path__, 'sarkit.'):\n"
        "    if not info.name.endswith('__main__'):\n"
        "        importlib.import_module(info.name)\n"
        "print('ok')\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def _guarded(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether an import sits inside `try: ... except ImportError` (or ModuleNotFoundError)."""
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.Try):
            for handler in node.handlers:
                names = ast.unparse(handler.type) if handler.type else ""
                if "ImportError" in names or "ModuleNotFoundError" in names:
                    return True
    return False


def test_src_uses_unix_only_modules_only_behind_a_guard() -> None:
    problems = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                modules = ([a.name for a in node.names] if isinstance(node, ast.Import)
                           else [node.module or ""])
                if any(m.partition(".")[0] in UNIX_ONLY_MODULES for m in modules) \
                        and not _guarded(node, parents):
                    problems.append(f"{path.name}:{node.lineno} imports {modules}")
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and (node.value.id, node.attr) in UNIX_ONLY_NAMES):
                problems.append(f"{path.name}:{node.lineno} uses {node.value.id}.{node.attr}")
    assert problems == []


def test_start_method_is_spawn_without_fork_and_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(START_METHOD_VARIABLE, "spawn")
    assert start_method() == "spawn"
    monkeypatch.delenv(START_METHOD_VARIABLE)
    monkeypatch.delattr(os, "fork", raising=False)
    assert start_method() == "spawn"


def test_cli_and_workers_import_nothing_heavy_at_start() -> None:
    done = subprocess.run(
        [sys.executable, "-c",
         "import sys, sarkit.cli\n"
         "print(sorted(m for m in ('numpy', 'rich', 'pandas', 'openpyxl', 'jinja2', 'docx', "
         "'python_calamine', 'sarkit.commands.collate') if m in sys.modules))\n"
         "import sarkit.pipeline.workers, sarkit.returns\n"
         "print(sorted(m for m in ('numpy', 'rich', 'pandas', 'openpyxl', 'jinja2', 'docx', "
         "'xlsxwriter', 'sarkit.commands.collate') if m in sys.modules))\n"],
        capture_output=True, text=True, check=True, timeout=60,
    )
    assert done.stdout.splitlines() == ["[]", "[]"]


def test_validate_and_collate_import_no_numpy_before_analysing() -> None:
    """numpy (for the analysis) only when a chronology is analysed: validating never imports
    it, and the reader workers are forked without it."""
    done = subprocess.run(
        [sys.executable, "-c",
         "import sys, sarkit.cli, sarkit.commands.validate, sarkit.commands.collate\n"
         "import sarkit.pipeline.chronology, sarkit.collate\n"
         "print('numpy' in sys.modules, 'sarkit.analysis' in sys.modules)\n"
         "from sarkit.collate import collate\n"
         "from sarkit.review import Review\n"
         "collate([], Review())\n"
         "print('numpy' in sys.modules)\n"],
        capture_output=True, text=True, check=True, timeout=60,
    )
    assert done.stdout.split() == ["False", "False", "True"]


def test_spawned_workers_read_every_return_in_order(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(START_METHOD_VARIABLE, "spawn")
    paths = [write_return(tmp_path / f"r{i}.xlsx", [[f"0{i}/03/2025", "", "Notes", f"Visit {i}",
                                                      "Advice", "Nurse"]]) for i in range(1, 6)]
    results = read_returns(paths, ReadOptions(agency="GP", workers=2))
    assert [Path(r.path).name for r in results] == [f"r{i}.xlsx" for i in range(1, 6)]
    assert [r.entries[0].event for r in results] == [f"Visit {i}" for i in range(1, 6)]


def test_a_file_name_with_polish_letters_and_brackets_on_a_cp1252_console(tmp_path: Path) -> None:
    name = "Łódź asc chronology [final].csv"
    write_return(tmp_path / name, [["01/02/2025", "", "Case notes", "Visit – all well", "None",
                                    "Social worker"]])
    done = subprocess.run(
        [sys.executable, "-m", "sarkit", "validate", name, "--agency", "ASC"],
        capture_output=True, cwd=tmp_path, timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "cp1252"},
    )
    out = done.stdout.decode("cp1252")
    assert done.returncode == 0, done.stderr.decode("cp1252")
    assert "?ód? asc chronology [final].csv — ASC, 1 entry" in out
    assert "Traceback" not in done.stderr.decode("cp1252")


def test_json_on_a_cp1252_console_keeps_every_character_of_a_path(tmp_path: Path) -> None:
    name = "Łódź asc 📎 – final.csv"
    write_return(tmp_path / name, [["01/02/2025", "", "Case notes", "Visit", "None", "Social worker"]])
    done = subprocess.run(
        [sys.executable, "-m", "sarkit", "validate", name, "--agency", "ASC", "--format", "json"],
        capture_output=True, cwd=tmp_path, timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0"},
    )
    assert done.returncode == 0, done.stderr.decode("cp1252")
    assert done.stdout.isascii()  # \u escapes, which any console shows as they are
    assert [f["path"] for f in json.loads(done.stdout)["files"]] == [name]


@pytest.mark.parametrize(("encoding", "written"), [
    ("utf-8", '{\n "path": "Łódź 📎"\n}\n'),
    ("cp1252", '{\n "path": "\\u0141\\u00f3d\\u017a \\ud83d\\udcce"\n}\n'),
])
def test_json_is_escaped_only_on_a_stdout_that_is_not_utf8(monkeypatch, encoding, written) -> None:
    stdout = io.TextIOWrapper(io.BytesIO(), encoding=encoding)
    monkeypatch.setattr(sys, "stdout", stdout)
    echo_json({"path": "Łódź 📎"}, indent=1)
    stdout.flush()
    assert stdout.buffer.getvalue().decode(encoding) == written


def test_every_json_on_stdout_goes_through_echo_json() -> None:
    """json.dumps straight to typer.echo would write '?' for a character a console cannot show."""
    offenders = [path.name for path in (SRC / "commands").glob("*.py")
                 if "echo(json.dumps" in path.read_text(encoding="utf-8").replace("\n", "").replace(" ", "")]
    assert offenders == []


def test_runner_of_the_lane_writes_cp1252() -> None:
    assert (CliRunner().charset == "cp1252") is SIMULATED_WINDOWS


# ---- outputs that cannot be written ----------------------------------------------------------

runner = CliRunner()


@pytest.fixture
def one_return(tmp_path: Path) -> Path:
    return write_return(tmp_path / "returns" / "police.xlsx",
                        [["03/03/2025", "", "Log", "Welfare check", "Advice", "PC 1"]])


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_output_open_in_excel_is_one_sentence_and_exit_2(
    tmp_path: Path, one_return: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    output = tmp_path / "out" / "combined.xlsx"
    output.parent.mkdir()
    output.write_bytes(b"the workbook Excel holds open")

    def locked(source: str, target: str) -> None:
        raise PermissionError(errno.EACCES, "The process cannot access the file", str(target))

    monkeypatch.setattr(os, "replace", locked)
    result = runner.invoke(app, ["collate", str(one_return.parent), "--agency", "Police",
                                 "-o", str(output), "--force", "-q"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == (
        f"Error: {output} is open in another program, probably Excel, or is read-only, so it "
        "cannot be replaced. Close it and run again.")
    assert output.read_bytes() == b"the workbook Excel holds open"
    assert _leftovers(output.parent) == []


@pytest.mark.parametrize(("error", "expected"), [
    (OSError(errno.ENOSPC, "No space left on device"),
     "Error: There is not enough disk space to write {output}. Free some space, or write "
     "somewhere else with -o."),
    (OSError(errno.EROFS, "Read-only file system"),
     "Error: The folder {folder} is read-only, so combined.xlsx cannot be written there. "
     "Write somewhere else with -o."),
    (PermissionError(errno.EACCES, "Permission denied"),
     "Error: sarkit is not allowed to write combined.xlsx in the folder {folder}. Write "
     "somewhere else with -o, or ask for access to the folder."),
])
def test_a_full_disk_or_read_only_folder_is_one_sentence(
    tmp_path: Path, one_return: Path, monkeypatch: pytest.MonkeyPatch,
    error: OSError, expected: str,
) -> None:
    output = tmp_path / "out" / "combined.xlsx"
    output.parent.mkdir()
    import sarkit.commands.collate as collate_command

    def failing_writer(*_args: object, **_kwargs: object) -> None:
        raise error

    if error.errno == errno.ENOSPC:
        monkeypatch.setattr(collate_command, "write_combined_workbook", failing_writer)
    else:
        import tempfile

        monkeypatch.setattr(tempfile, "mkstemp", lambda **_kw: failing_writer())
    result = runner.invoke(app, ["collate", str(one_return.parent), "--agency", "Police",
                                 "-o", str(output), "-q"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == expected.format(output=output,
                                                                     folder=output.parent)
    assert not output.exists()
    assert _leftovers(output.parent) == []


@pytest.mark.parametrize("force", [["--force"], []])
def test_an_output_that_is_a_folder(tmp_path: Path, one_return: Path, force: list[str]) -> None:
    output = tmp_path / "combined.xlsx"
    output.mkdir()
    result = runner.invoke(app, ["collate", str(one_return.parent), "--agency", "Police",
                                 "-o", str(output), *force, "-q"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == (
        f"Error: The output {output} is a folder, not a file. Give a file name, "
        "e.g. out/combined.xlsx.")  # at once: not "already exists. Give --force" first
    assert list(output.iterdir()) == []


@pytest.mark.parametrize("below", ["combined.xlsx", "sub/combined.xlsx"])
def test_an_output_whose_folder_is_a_file(tmp_path: Path, one_return: Path, below: str) -> None:
    (tmp_path / "out").write_bytes(b"notes")
    output = tmp_path / "out" / below
    result = runner.invoke(app, ["collate", str(one_return.parent), "--agency", "Police",
                                 "-o", str(output), "-q"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == (
        f"Error: {tmp_path / 'out'} is a file, not a folder, so the output {output} cannot be written "
        "in it. Give another folder with -o, or move or rename that file.")
    assert (tmp_path / "out").read_bytes() == b"notes"


def test_a_folder_made_a_file_while_running_is_named(tmp_path: Path) -> None:
    """Between the check and the writing: the error from the file system gets the same sentence."""
    (tmp_path / "out").write_bytes(b"notes")
    output = tmp_path / "out" / "combined.xlsx"
    with pytest.raises(sarkit.errors.SarkitError) as caught, atomic_output(output):
        pass
    assert caught.value.message == (
        f"{tmp_path / 'out'} is a file, not a folder, so the output {output} cannot be written in it.")
    assert caught.value.exit_code == 2


def test_workers_only_when_they_pay(tmp_path: Path) -> None:
    from sarkit.pipeline.workers import FORK_BYTES_PER_WORKER, SPAWN_BYTES_PER_WORKER, worker_count

    small = []
    for i in range(6):
        small.append(tmp_path / f"s{i}.csv")
        small[-1].write_bytes(b"x" * 1000)
    big = tmp_path / "big.xlsx"
    big.write_bytes(b"x" * (SPAWN_BYTES_PER_WORKER * 3))
    cores = min(os.cpu_count() or 1, 4)
    assert worker_count(small, 0, "spawn") == 1  # a handful of small returns: one worker
    assert worker_count([*small, big], 0, "spawn") == min(cores, 4, 7)
    assert worker_count(small, 0, "fork") == 1  # forked workers too: one for small returns
    fork_big = tmp_path / "fork-big.xlsx"
    fork_big.write_bytes(b"x" * (FORK_BYTES_PER_WORKER + 1))
    assert worker_count([*small, fork_big], 0, "fork") == min(cores, 2)  # a second one pays
    assert worker_count([*small, fork_big], 0, "spawn") == 1  # a spawned one does not yet
    assert worker_count([*small, big], 0, "fork") == min(cores, 4, 7)
    assert worker_count(small, 3, "spawn") == 3  # asked for
    assert worker_count(small[:1], 3, "fork") == 1


def test_a_realistic_review_is_read_by_a_worker_per_core_forked_and_one_spawned(tmp_path: Path) -> None:
    """10 returns of 70 KB (500 entries each): reading them costs about 0.5 s of CPU, so two
    forked workers pay on two cores (one per core, at most 4); a spawned worker's start (its
    imports) is not paid back yet."""
    from sarkit.pipeline.workers import worker_count

    returns = []
    for i in range(10):
        returns.append(tmp_path / f"agency-{i:02d}.xlsx")
        returns[-1].write_bytes(b"x" * 70_000)
    assert worker_count(returns, 0, "fork") == min(os.cpu_count() or 1, 4)
    assert worker_count(returns, 0, "spawn") == 1
    assert worker_count(returns[:1], 0, "fork") == 1  # one small return: one worker


@pytest.mark.skipif(not hasattr(os, "fork"), reason="patches the reader of a forked worker")
def test_a_reader_writing_to_stderr_in_a_worker_reaches_no_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str],
) -> None:
    import sarkit.returns

    def panicking_reader(path: Path, options: ReadOptions) -> list:
        os.write(2, b"thread '<unnamed>' panicked at src/xlsb/mod.rs:1:1\n")
        raise RuntimeError("the reader failed")

    monkeypatch.setenv(START_METHOD_VARIABLE, "fork")  # the child inherits the patched reader
    monkeypatch.setattr(sarkit.returns, "read_return", panicking_reader)
    path = write_return(tmp_path / "r.xlsx", [["01/03/2025", "", "Notes", "Visit", "Advice", "Nurse"]])
    [result] = read_returns([path], ReadOptions(agency="GP"))
    assert [f.code for f in result.findings] == ["file-unreadable"]
    assert "panicked" not in capfd.readouterr().err


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "utf-8"])  # ANSI: tests/test_text_files.py
def test_a_passwords_file_saved_by_notepad_in_utf8_or_unicode(tmp_path: Path, encoding: str) -> None:
    from sarkit.commands.options import load_passwords

    passwords = tmp_path / "passwords.txt"
    passwords.write_bytes("# returns\r\npolice£.xlsx = Spring£2025\r\n\r\ngp.xlsx=Ünïcode\r\n"
                          .encode(encoding))
    assert load_passwords(False, passwords) == {"police£.xlsx": "Spring£2025", "gp.xlsx": "Ünïcode"}


@pytest.mark.skipif(sys.platform == "win32", reason="a signal sent to itself, as Unix does")
def test_a_terminated_run_leaves_no_temporary_output(tmp_path: Path) -> None:
    code = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from sarkit.cli import stop_cleanly_on_signals\n"
        "from sarkit.output.atomic import atomic_output\n"
        "stop_cleanly_on_signals()\n"
        f"with atomic_output(Path({str(tmp_path / 'combined.xlsx')!r})) as temporary:\n"
        "    temporary.write_bytes(b'personal data')\n"
        "    print(temporary.name, flush=True)\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    for _ in range(10**8):\n"
        "        pass\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 128 + 15
    assert ".sarkit-tmp" in done.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_stale_temporary_of_a_killed_run_is_swept(tmp_path: Path, one_return: Path) -> None:
    from sarkit.output.atomic import STALE_SECONDS

    out = tmp_path / "out"
    out.mkdir()
    stale, fresh = out / ".combined-abc123.sarkit-tmp.xlsx", out / ".combined-def456.sarkit-tmp.xlsx"
    for leftover in (stale, fresh):
        leftover.write_bytes(b"personal data")
    old = os.stat(stale).st_mtime - STALE_SECONDS - 60
    os.utime(stale, (old, old))
    result = runner.invoke(app, ["collate", str(one_return.parent), "--agency", "Police",
                                 "-o", str(out / "combined.xlsx"), "-q"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [fresh.name, ".refs.json", "combined.xlsx"]


def test_two_runs_to_the_same_new_output_cannot_both_succeed(tmp_path: Path) -> None:
    from sarkit.output.atomic import atomic_output, check_output_path

    target = tmp_path / "out" / "combined.xlsx"
    check_output_path(target, force=False)  # new when this run began
    with pytest.raises(sarkit.errors.SarkitError, match="written by another run"):
        with atomic_output(target) as temporary:
            temporary.write_bytes(b"this run")
            target.write_bytes(b"another run, meanwhile")  # finishes first
    assert target.read_bytes() == b"another run, meanwhile"
    assert [p.name for p in target.parent.iterdir()] == ["combined.xlsx"]
