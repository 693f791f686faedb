"""A peer's test suite as input: the 132 spreadsheets of the calamine library's own tests.

Written by Excel, LibreOffice, Google Sheets, old BIFF writers and fuzzers; none is a
chronology. Each must get entries or findings — never a crash — in bounded time and memory.
A copy lives in tests/data/calamine-tests (MIT licence, see its README); SARKIT_EXTERNAL_CORPUS
points at another folder of the same files.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from sarkit.intake import read_workbooks
from sarkit.returns import ReadOptions, read_returns


def _corpus() -> Path | None:
    named = os.environ.get("SARKIT_EXTERNAL_CORPUS")
    candidates = [Path(named)] if named else []
    candidates.append(Path(__file__).resolve().parent / "data" / "calamine-tests")
    return next((p for p in candidates if p.is_dir() and any(p.iterdir())), None)


CORPUS = _corpus()
pytestmark = pytest.mark.skipif(CORPUS is None, reason="the calamine test files are not present")

# What each special file must give (the rest: entries or any finding, never a crash).
EXPECTED = {
    "issue_594_dos.ods": "file-refused",  # 999,999,999 repeated rows x columns
    "pass_protected.ods": "file-encrypted",
    "pass_protected.xlsx": "file-encrypted",
    "pass_protected.xlsb": "file-encrypted",
    "issue252.xlsx": "file-unreadable",  # fuzzed: a part's checksum and size are wrong
    "OOM_alloc3.xls": "file-unreadable",
    "vba.xlsm": "macros-present",
    "with-annotation.ods": "cell-comment",
    "errors.xlsx": "external-link",
}


def test_every_file_gets_entries_or_findings() -> None:
    files = sorted(p for p in CORPUS.iterdir() if p.is_file())
    started = time.monotonic()
    results = read_returns(files, ReadOptions(agency="X", timeout=60))
    elapsed = time.monotonic() - started
    assert len(results) >= len(files)
    listed = {Path(r.path.split(" › ", 1)[0]).name for r in results}
    assert listed == {p.name for p in files}
    for result in results:
        assert result.entries or result.findings, result.path
        for f in result.findings:
            assert "unexpected problem" not in f.message, (result.path, f.message)
            assert "stopped abnormally" not in f.message, (result.path, f.message)
    codes = {Path(r.path).name: {f.code for f in r.findings} for r in results}
    for name, code in EXPECTED.items():
        if name in codes:
            assert code in codes[name], (name, codes[name])
    assert elapsed < 120


def test_the_files_protected_by_calamine_test_passwords_open_with_them() -> None:
    """pass_protected.ods and .xlsb open with '1234'; issue_385.xls with Excel's own default."""
    for name in ("pass_protected.ods", "pass_protected.xlsb"):
        path = CORPUS / name
        if path.exists():
            [book] = read_workbooks(path, passwords={"*": "1234"})
            assert book.sheets and not book.findings, (name, book.findings)
    path = CORPUS / "issue_385.xls"
    if path.exists():
        [book] = read_workbooks(path)
        assert book.sheets and not any(f.code == "file-encrypted" for f in book.findings)


@pytest.mark.slow
def test_a_run_over_the_folder_under_a_memory_cap() -> None:
    """`sarkit validate` over the whole folder under `ulimit -v 2000000`: one entry per file."""
    command = (f"ulimit -v 2000000; exec {sys.executable} -m sarkit validate {CORPUS} "
               "--format json --agency X -q")
    env = {k: v for k, v in os.environ.items() if k != "SARKIT_PASSWORD"}
    started = time.monotonic()
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=300,
                          env=env)
    elapsed = time.monotonic() - started
    assert "Traceback" not in done.stderr
    report = json.loads(done.stdout)
    names = Counter(Path(f["path"].split(" › ", 1)[0]).name for f in report["files"])
    assert set(names) == {p.name for p in CORPUS.iterdir() if p.is_file()}
    assert all(f["findings"] or f["entries"] for f in report["files"])
    assert elapsed < 120
