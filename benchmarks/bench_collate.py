"""Measure `sarkit collate` against the naive pandas pipeline and the I/O floor, in one run.

    python benchmarks/bench_collate.py [--returns 20] [--entries 5000] [--skip-naive]

Generates the returns once (into benchmarks/data/, reused when present), then times:
  1. sarkit collate, end to end, as a user runs it (a fresh process);
  2. the naive pipeline: pandas.read_excel (openpyxl) + concat + sort_values + to_excel;
  3. the I/O floor (DESIGN.md §10): python-calamine read + xlsxwriter constant-memory write,
     twice: writing the input's cells as they are (10 a row), and writing the cells sarkit's
     Chronology sheet holds (16 a row: the input's, and Ref, Agency, Source File, Source Row,
     Days Since Previous), each a plain string, with no formats and no other sheets.
Each runs in its own process so peak memory (max RSS) is measured per pipeline. sarkit writes
with xlsxwriter too (constant memory), so the second floor is the same work minus sarkit's own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = ["Ref", "Date", "Time", "Source of Information", "Event / Contact Details",
          "Action Taken / Outcome", "Practitioner / Role", "Comment / Analysis",
          "Key Event (Y/N)", "Risk Level"]
WORDS = ("visit home adult concerns reported neighbour fall welfare check medication review "
         "referral safeguarding carer support assessment telephone call discharge plan housing "
         "arrears GP appointment missed ambulance attended hospital admitted observed self-neglect "
         "declined services capacity discussed family contacted").split()


def sentence(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize() + "."


def generate(folder: Path, returns: int, entries: int) -> list[Path]:
    """Write `returns` xlsx returns of `entries` rows each with xlsxwriter (fast, deterministic)."""
    import xlsxwriter

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(returns):
        path = folder / f"agency-{number:02d}.xlsx"
        paths.append(path)
        if path.exists():
            continue
        rng = random.Random(number)
        book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        sheet = book.add_worksheet("Chronology")
        sheet.write_row(0, 0, HEADER)
        start = dt.date(2021, 1, 1)
        days = sorted(rng.randrange(0, 5 * 365) for _ in range(entries))
        for row, offset in enumerate(days, start=1):
            day = start + dt.timedelta(days=offset)
            sheet.write_row(row, 0, [
                f"{number}-{row}", day.strftime("%d/%m/%Y"),
                f"{rng.randint(7, 20):02d}:{rng.choice((0, 15, 30, 45)):02d}",
                rng.choice(("Case notes", "Incident log", "GP record", "Ward notes")),
                sentence(rng, 15, 60), sentence(rng, 5, 20), rng.choice(("Nurse", "PC", "SW")),
                sentence(rng, 0, 12), rng.choice(("Y", "N", "")), rng.choice(("Low", "High")),
            ])
        book.close()
    return paths


def timed(code: str, *args: str) -> tuple[float, float]:
    """Run Python `code` in a fresh process; (seconds, peak RSS in MB of that process)."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code, *args])
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"pipeline failed with exit code {process.returncode}")
    return seconds, usage.ru_maxrss / 1024


SARKIT = """
import sys
from sarkit.cli import app
sys.argv = ["sarkit", "collate", *sys.argv[1:-1], "-o", sys.argv[-1], "--force", "-q",
            "--agency", "Agency"]
try:
    app()
except SystemExit as exit:
    assert exit.code in (0, None), exit.code
"""

NAIVE = """
import sys, pandas as pd
frames = []
for path in sys.argv[1:-1]:
    frame = pd.read_excel(path, engine="openpyxl")
    frame["Source File"] = path
    frames.append(frame)
combined = pd.concat(frames, ignore_index=True)
combined["_d"] = pd.to_datetime(combined["Date"], dayfirst=True, errors="coerce")
combined = combined.sort_values(["_d", "Time"], kind="stable").drop(columns="_d")
combined.to_excel(sys.argv[-1], index=False)
"""

FLOOR = """
import sys, python_calamine, xlsxwriter
rows = []
for path in sys.argv[1:-1]:
    book = python_calamine.CalamineWorkbook.from_path(path)
    rows.extend(book.get_sheet_by_index(0).to_python()[1:])
out = xlsxwriter.Workbook(sys.argv[-1], {"constant_memory": True})
sheet = out.add_worksheet("Chronology")
for r, values in enumerate(rows):
    for c, value in enumerate(values):
        sheet.write_string(r, c, str(value))
out.close()
"""

FLOOR_SAME_CELLS = """
import sys, python_calamine, xlsxwriter
out = xlsxwriter.Workbook(sys.argv[-1], {"constant_memory": True})
sheet = out.add_worksheet("Chronology")
r = 0
for path in sys.argv[1:-1]:
    book = python_calamine.CalamineWorkbook.from_path(path)
    for number, values in enumerate(book.get_sheet_by_index(0).to_python()[1:], start=2):
        ref, date, time, source, event, action, who, comment, key, risk = values
        r += 1
        cells = (f"C{r:06d}", date, time, "Agency", source, event, action, who, comment, key,
                 "", ref, path.rsplit("/", 1)[-1], number, 1, risk)
        for c, value in enumerate(cells):
            sheet.write_string(r, c, str(value))
out.close()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--returns", type=int, default=20)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--skip-naive", action="store_true")
    args = parser.parse_args()
    folder = HERE / "data" / f"{args.returns}x{args.entries}"
    started = time.perf_counter()
    paths = [str(p) for p in generate(folder, args.returns, args.entries)]
    cells = args.returns * args.entries * len(HEADER)
    print(f"inputs: {args.returns} returns x {args.entries} entries = "
          f"{args.returns * args.entries:,} entries, {cells:,} cells "
          f"(generated/reused in {time.perf_counter() - started:.1f} s)")
    out = HERE / "data" / "out"
    out.mkdir(exist_ok=True)
    results = {}
    results["I/O floor (the input's cells)"] = timed(FLOOR, *paths, str(out / "floor.xlsx"))
    results["I/O floor (the Chronology's cells)"] = timed(
        FLOOR_SAME_CELLS, *paths, str(out / "floor-same.xlsx"))
    results["sarkit collate"] = timed(SARKIT, *paths, str(out / "sarkit.xlsx"))
    if not args.skip_naive:
        results["naive pandas + openpyxl"] = timed(NAIVE, *paths, str(out / "naive.xlsx"))
    import python_calamine

    written = python_calamine.CalamineWorkbook.from_path(str(out / "sarkit.xlsx"))
    rows = len(written.get_sheet_by_name("Chronology").to_python()) - 1
    expected = args.returns * args.entries
    print(f"sarkit wrote {rows:,} chronology rows (expected {expected:,})")
    if rows != expected:
        raise SystemExit("sarkit did not collate every entry: the figures below are not valid")
    floor = results["I/O floor (the input's cells)"][0]
    same = results["I/O floor (the Chronology's cells)"][0]
    print(f"{'pipeline':38} {'seconds':>8} {'x floor':>8} {'x same':>8} {'peak MB':>8}")
    for name, (seconds, peak) in results.items():
        print(f"{name:38} {seconds:8.1f} {seconds / floor:8.2f} {seconds / same:8.2f} {peak:8.0f}")
    print("x floor: against the input's cells; x same: against the cells the Chronology holds")
    if "naive pandas + openpyxl" in results:
        ratio = results["naive pandas + openpyxl"][0] / results["sarkit collate"][0]
        print(f"sarkit is {ratio:.1f}x faster than the naive pipeline")
    print("note: peak MB is the largest single process of each run; sarkit's reader workers "
          "are separate processes, counted the same way.")


if __name__ == "__main__":
    main()
