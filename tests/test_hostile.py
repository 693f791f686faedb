"""The bad-input corpus end to end: every crafted file gets its finding, the good ones are read.

Files are read as `sarkit validate` reads them: each in a worker process with a memory cap,
so a reader crash or blow-up would cost one file. The heaviest run also goes through the real
command line under `ulimit -v 2000000`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from corpus import SECRET, build_corpus

from sarkit.returns import ReadOptions, ReturnResult, read_returns

TODAY = dt.date(2025, 6, 1)
SEP = " › "


def _file_of(result: ReturnResult) -> str:
    return Path(result.path.split(SEP, 1)[0]).name


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("corpus")
    cases = build_corpus(folder)
    passwords = {name: case.password for name, case in cases.items() if case.password}
    started = time.monotonic()
    results = read_returns([folder], ReadOptions(agency="Police", passwords=passwords, today=TODAY))
    return folder, cases, results, time.monotonic() - started


def test_corpus_is_large_enough(corpus_run) -> None:
    _, cases, _, _ = corpus_run
    assert len(cases) >= 25
    assert sum(1 for c in cases.values() if c.codes - {"duplicate-file", "skipped-file"}) >= 25


def test_every_file_gets_its_finding(corpus_run) -> None:
    _, cases, results, _ = corpus_run
    problems = []
    for name, case in cases.items():
        mine = [r for r in results if _file_of(r) == name]
        if not mine:
            problems.append(f"{name}: no result")
            continue
        findings = [f for r in mine for f in r.findings]
        codes = {f.code for f in findings}
        if not case.codes <= codes:
            problems.append(f"{name}: expected {sorted(case.codes)}, got {sorted(codes)}")
        if case.absent & codes:
            problems.append(f"{name}: unexpected {sorted(case.absent & codes)}")
        entries = sum(len(r.entries) for r in mine)
        if case.entries is not None and entries != case.entries:
            problems.append(f"{name}: {entries} entries, expected {case.entries} "
                            f"({[(f.code, f.message) for f in findings][:4]})")
        if case.message:
            first = next((f for f in findings if f.code in case.codes), None)
            if first is None or case.message.lower() not in first.message.lower():
                problems.append(f"{name}: message {first.message if first else None!r} lacks "
                                f"{case.message!r}")
        for f in findings:
            if "unexpected problem" in f.message or "Traceback" in f.message:
                problems.append(f"{name}: {f.message}")
    assert not problems, "\n".join(problems)


def test_every_input_is_listed(corpus_run) -> None:
    folder, _, results, _ = corpus_run
    listed = {_file_of(r) for r in results}
    assert listed == {p.name for p in folder.iterdir()}


def test_good_returns_are_read_next_to_hostile_ones(corpus_run) -> None:
    _, cases, results, _ = corpus_run
    for name in (n for n in cases if n.startswith("good-")):
        assert sum(len(r.entries) for r in results if _file_of(r) == name) == 3, name


def test_no_message_quotes_a_cell(corpus_run) -> None:
    _, _, results, _ = corpus_run
    for result in results:
        for f in result.findings:
            assert SECRET not in f.message and SECRET not in f.hint, (result.path, f.code)
            assert not f.values or f.code not in {"file-refused", "file-unreadable"}


def test_the_corpus_is_read_quickly(corpus_run) -> None:
    _, _, _, elapsed = corpus_run
    assert elapsed < 60


def test_refusals_name_the_limit(corpus_run) -> None:
    _, _, results, _ = corpus_run
    refused = [f for r in results for f in r.findings if f.code == "file-refused"]
    assert len(refused) >= 8
    for f in refused:
        assert f.message.startswith("The file was refused: ")
        assert "limit" in f.message or "entities" in f.message or "compressed more" in f.message


def test_email_attachments_keep_their_provenance(corpus_run) -> None:
    _, _, results, _ = corpus_run
    mail = next(r for r in results if r.path.endswith("good-email.eml › chronology.xlsx"))
    assert mail.provenance == {
        "email_from": "Police SAR Team <sar@police.example>", "email_date": "03/03/2025 10:15",
        "email_subject": "SAR return: Police", "attachment": "chronology.xlsx",
    }
    outlook = next(r for r in results if _file_of(r) == "good-outlook.msg")
    assert outlook.provenance["email_subject"] == "SAR return: Police"
    assert outlook.provenance["attachment"] == "chronology.csv"


LIMITS_ALONE = """
import json, sys
from pathlib import Path
from sarkit.returns import ReadOptions, read_returns
results = read_returns([Path(p) for p in sys.argv[1:]], ReadOptions(agency="Police", memory_limit=0))
print(json.dumps({r.path: [(f.code, f.message) for f in r.findings] for r in results}))
"""


def test_limits_hold_without_the_memory_limit(corpus_run) -> None:
    """Windows and macOS have no memory limit for a worker: the limits alone refuse every
    hostile package, quickly and in bounded memory (peak RSS of the run and its workers)."""
    folder, cases, _, _ = corpus_run
    refused = sorted(str(folder / n) for n, c in cases.items() if c.codes == {"file-refused"})
    assert len(refused) >= 10
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-c", LIMITS_ALONE, *refused], stdout=subprocess.PIPE)
    with process.stdout:
        output = process.stdout.read()
    usage = None
    if hasattr(os, "wait4"):  # Unix: the peak memory of the run and its workers too
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    else:  # Windows (and its simulated lane): no wait4, so time and findings only
        process.wait()
    elapsed = time.monotonic() - started
    assert process.returncode == 0
    found = json.loads(output)
    assert {Path(p).name: [code for code, _ in f] for p, f in found.items()} == {
        Path(p).name: ["file-refused"] for p in refused}
    for path, [(_, message)] in found.items():  # refused by a limit, not by a dying worker
        assert "limit" in message or "entities" in message or "compressed more" in message, path
    assert elapsed < 60
    if usage is not None:
        assert usage.ru_maxrss < 700 * 1024  # KB: well under what any far cell would take


@pytest.mark.slow
def test_cli_over_the_corpus_under_a_memory_cap(corpus_run, tmp_path: Path) -> None:
    """`sarkit validate` under `ulimit -v 2000000` lists every file with its finding."""
    folder, cases, _, _ = corpus_run
    secrets = tmp_path / "passwords.txt"
    secrets.write_text("".join(f"{n} = {c.password}\n" for n, c in cases.items() if c.password))
    command = (f"ulimit -v 2000000; exec {sys.executable} -m sarkit validate {folder} "
               f"--format json --agency Police --passwords {secrets} -q")
    env = {**os.environ, "SARKIT_PASSWORD": ""}
    env.pop("SARKIT_PASSWORD")
    started = time.monotonic()
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=300, env=env)
    elapsed = time.monotonic() - started
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    report = json.loads(done.stdout)
    listed = {Path(f["path"].split(SEP, 1)[0]).name for f in report["files"]}
    assert listed == {p.name for p in folder.iterdir()}
    by_name: dict[str, set[str]] = {}
    for item in report["files"]:
        by_name.setdefault(Path(item["path"].split(SEP, 1)[0]).name, set()).update(
            f["code"] for f in item["findings"])
    for name, case in cases.items():
        assert case.codes <= by_name[name], (name, by_name[name])
    assert SECRET not in done.stdout
    assert elapsed < 120


def test_a_huge_cell_is_cut_once_with_a_finding_and_every_output_sees_the_cut(tmp_path: Path) -> None:
    from conftest import write_return

    from sarkit.chronology import TEXT_KEEP_LIMIT

    huge = "word " * 2_000_000  # 10 MB in one cell
    path = write_return(tmp_path / "police.csv", [["03/03/2025", "", "Log", huge, "Advice", "PC 1"]])
    [result] = read_returns([path], ReadOptions(agency="Police"))
    [entry] = result.entries
    assert entry.event == huge.strip()[:TEXT_KEEP_LIMIT] + (
        f" … [cut here: {len(huge.strip()) - TEXT_KEEP_LIMIT:,} more characters]")
    assert [(f.code, f.row, f.cell) for f in result.findings] == [("cell-too-long", 2, "D2")]
    assert "9,999,999 characters" in result.findings[0].message
    assert result.findings[0].message.endswith(
        "every other output keeps its first 1,000,000 and marks the cut there.")


def test_tab_and_carriage_return_prefixed_cells_are_neutralised_in_csv() -> None:
    from sarkit.output.safe_text import csv_safe

    for risky in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1"):
        assert csv_safe(risky) == "'" + risky
    assert csv_safe("Home visit") == "Home visit"


def test_a_combined_workbook_look_alike_with_a_far_cell_is_refused_in_a_sentence(tmp_path: Path) -> None:
    """Issue 15 point 4: `gaps FILE`, `new-imr --chronology FILE`, `diff` and the refs of a
    previous output read a combined workbook under the same limits, in a worker, as returns."""
    from corpus import Sheet, good_xlsx, rows_xml, sheet_xml, write_xlsx
    from typer.testing import CliRunner

    from sarkit.cli import app
    from sarkit.formats.combined_layout import CHRONOLOGY_COLUMNS

    far = '<row r="1048576"><c\tr="XFD1048576"><v>1</v></c></row>'
    path = write_xlsx(tmp_path / "combined.xlsx", [
        Sheet("Chronology", sheet_xml(rows_xml([list(CHRONOLOGY_COLUMNS)]) + far)),
        Sheet("About", sheet_xml(rows_xml([["Reference", "SAR-1"]]))),
    ])
    assert path.stat().st_size < 3000
    runner = CliRunner()
    returns = tmp_path / "returns"
    returns.mkdir()
    good_xlsx(returns / "police.xlsx")
    for args in (["gaps", str(path)],
                 ["new-imr", "--agency", "Police", "--chronology", str(path), "-o",
                  str(tmp_path / "imr.md")],
                 ["diff", str(path), str(path)],  # and the refs of a previous output:
                 ["collate", str(returns), "-o", str(path), "--force", "--agency", "Police"]):
        done = runner.invoke(app, args)
        assert done.exit_code == 1, done.output
        last = done.output.strip().splitlines()[-1]
        assert last.startswith(f"Error: The workbook {path} was refused: ") and "cells" in last
        assert "Traceback" not in done.output


def test_a_reader_panic_is_a_limitation_of_the_reader_not_damage(tmp_path: Path, monkeypatch) -> None:
    """Issue 15 point 13: calamine raises a PanicException (a BaseException) on some sound files."""
    from corpus import good_xlsx

    import sarkit.intake

    class PanicException(BaseException):
        pass

    def panicking(*_args, **_kwargs):
        raise PanicException("index out of bounds")

    monkeypatch.setattr(sarkit.intake, "read_spreadsheet", panicking)
    book = sarkit.intake.read_one(good_xlsx(tmp_path / "police.xlsx").read_bytes(), "police.xlsx")
    [found] = book.findings
    assert found.code == "file-unreadable"
    assert "a limitation of the reader, not necessarily damage to the file" in found.message
    assert found.hint == "Open it in Excel or LibreOffice and save it as an .xlsx workbook, then read that."


def test_the_account_is_complete_only_when_no_row_is_listed_as_rejected(corpus_run) -> None:
    """Over the whole corpus, file by file: a row listed as rejected makes the account incomplete
    (a subtotal's uncalculated formula once listed its row while `complete` stayed true)."""
    from sarkit.account import account_for
    from sarkit.review import Review

    _, _, results, _ = corpus_run
    for result in results:
        account = account_for([result], Review(), entries=len(result.entries))
        assert not (account.complete and account.rejected), _file_of(result)
        assert account.complete == (not (account.missing or account.unusable or account.rejected_rows
                                         or account.rejected)), _file_of(result)
        assert (account.unlisted, account.unaccounted) == (0, 0), _file_of(result)
