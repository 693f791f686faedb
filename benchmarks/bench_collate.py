"""Measure `sarkit collate` against the naive pandas pipeline and the I/O floor, in one run.

    python benchmarks/bench_collate.py [--review realistic|large|both] [--runs 3] [--profile]
    python benchmarks/bench_collate.py --returns 20 --entries 5000 [--skip-naive]

The realistic review is 10 returns x 500 entries (most reviews have 5-15 returns of 50-1,000
entries), the large one 20 x 5,000 (the default); DESIGN §10's targets are 2x the floor for the
realistic one and 1.25x for the large one, whole process. Each figure is the median of --runs
runs, the pipelines interleaved (a busy machine disturbs them alike), wall time with the CPU time
(user + system of the process and its reader workers) beside it, and the load average.
--profile adds where sarkit's time goes: cProfile's top functions by cumulative time of one
in-process run (the reader workers' own time is not in it: their wait is).

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
import statistics
import subprocess
import sys
import tempfile
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


# A Python that may write bytecode: an installed sarkit has its modules compiled (pip does it at
# install); with PYTHONDONTWRITEBYTECODE set, sarkit's 60-odd modules would be compiled from
# source on every run (about 0.1 s of CPU) and the benchmark would measure the compiler.
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def timed(code: str, *args: str) -> tuple[float, float, float]:
    """Run Python `code` in a fresh process; (seconds, CPU seconds, peak RSS in MB of that
    process). The CPU time counts the reader workers too (reaped children count in wait4's)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a full pipe would block it
        process = subprocess.Popen([sys.executable, "-c", code, *args],
                                   stdout=subprocess.DEVNULL, stderr=errors, env=ENV)
        _, status, usage = os.wait4(process.pid, 0)
        errors.seek(0)
        said = errors.read().decode("utf-8", "replace").strip().splitlines()
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"pipeline failed with exit code {process.returncode}: "
                         f"{said[-1] if said else 'no message'}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


SARKIT = """
import sys
from sarkit.cli import main  # what the installed `sarkit` runs
sys.argv = ["sarkit", "collate", *sys.argv[1:-1], "-o", sys.argv[-1], "--force", "-q",
            "--agency", "Agency"]
try:
    main()
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


PROFILE = """
import contextlib, cProfile, io, pstats, sys
from sarkit.cli import main
top = int(sys.argv[1])
sys.argv = ["sarkit", "collate", *sys.argv[2:-1], "-o", sys.argv[-1], "--force", "-q",
            "--agency", "Agency"]
profile = cProfile.Profile()
profile.enable()
try:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        main()
except SystemExit as exit:
    assert exit.code in (0, None), exit.code
profile.disable()
out = io.StringIO()
stats = pstats.Stats(profile, stream=out)
stats.sort_stats("cumulative").print_stats(top)
lines = [line for line in out.getvalue().splitlines() if line.strip()]
start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
print("  " + next((line.strip() for line in lines if "function calls" in line), ""))
for line in lines[start:]:
    print("  " + line.replace(sys.prefix, "").replace(sys.argv[0], ""))
"""

REVIEWS = {"realistic": (10, 500, 2.0), "large": (20, 5000, 1.25)}  # returns, entries, target


def median(samples: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    return tuple(statistics.median(s[i] for s in samples) for i in range(3))  # type: ignore[return-value]


def load() -> str:
    try:
        return " ".join(f"{value:.1f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def bench(returns: int, entries: int, runs: int, *, naive: bool, profile: int,
          target: float | None) -> None:
    folder = HERE / "data" / f"{returns}x{entries}"
    started = time.perf_counter()
    paths = [str(p) for p in generate(folder, returns, entries)]
    cells = returns * entries * len(HEADER)
    print(f"inputs: {returns} returns x {entries} entries = {returns * entries:,} entries, "
          f"{cells:,} cells (generated/reused in {time.perf_counter() - started:.1f} s)")
    # one folder per size: sarkit keeps its refs in out/.refs.json, and another review's refs
    # there would be compared with these entries (a "what changed" of 100,000 absent entries)
    out = HERE / "data" / "out" / f"{returns}x{entries}"
    out.mkdir(parents=True, exist_ok=True)
    (out / ".refs.json").unlink(missing_ok=True)
    pipelines = {
        "I/O floor (the input's cells)": FLOOR,
        "I/O floor (the Chronology's cells)": FLOOR_SAME_CELLS,
        "sarkit collate": SARKIT,
        **({"naive pandas + openpyxl": NAIVE} if naive else {}),
    }
    samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in pipelines}
    # the warm-up compiles sarkit's modules, warms the disk cache and writes the refs: every
    # timed run is a re-run of the same review, as a coordinator's weekly collate is
    timed(SARKIT, *paths, str(out / "warm-up.xlsx"))
    loads = [load()]
    for _ in range(runs):
        for number, (name, code) in enumerate(pipelines.items()):
            samples[name].append(timed(code, *paths, str(out / f"{number}.xlsx")))
        loads.append(load())
    import python_calamine

    written = python_calamine.CalamineWorkbook.from_path(str(out / "2.xlsx"))
    rows = len(written.get_sheet_by_name("Chronology").to_python()) - 1
    print(f"sarkit wrote {rows:,} chronology rows (expected {returns * entries:,})")
    if rows != returns * entries:
        raise SystemExit("sarkit did not collate every entry: the figures below are not valid")
    results = {name: median(values) for name, values in samples.items()}
    floor = results["I/O floor (the input's cells)"][0]
    same = results["I/O floor (the Chronology's cells)"][0]
    print(f"median of {runs} interleaved runs; load average (1, 5, 15 min) before and after each "
          f"round: {' | '.join(loads)}")
    print(f"{'pipeline':38} {'seconds':>8} {'CPU s':>8} {'x floor':>8} {'x same':>8} {'peak MB':>8}")
    for name, (seconds, cpu, peak) in results.items():
        print(f"{name:38} {seconds:8.2f} {cpu:8.2f} {seconds / floor:8.2f} {seconds / same:8.2f} "
              f"{peak:8.0f}")
    print("x floor: against the input's cells; x same: against the cells the Chronology holds")
    if target is not None:
        ratio = results["sarkit collate"][0] / floor
        print(f"sarkit is {ratio:.2f}x the floor: {'meets' if ratio <= target else 'OVER'} the "
              f"{target}x target")
    if naive:
        ratio = results["naive pandas + openpyxl"][0] / results["sarkit collate"][0]
        print(f"sarkit is {ratio:.2f}x faster than the naive pipeline" if ratio >= 1 else
              f"sarkit is SLOWER than the naive pipeline: {1 / ratio:.2f}x its time")
    if profile:
        print(f"where sarkit's time goes (one in-process run under cProfile, top {profile} by "
              "cumulative time; profiling slows it):")
        sys.stdout.flush()
        subprocess.run([sys.executable, "-c", PROFILE, str(profile), *paths,
                        str(out / "profiled.xlsx")], check=True, env=ENV)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--review", choices=[*REVIEWS, "both"], default=None,
                        help="a preset size (default: large, or --returns/--entries)")
    parser.add_argument("--returns", type=int, default=None)
    parser.add_argument("--entries", type=int, default=None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--profile", type=int, nargs="?", const=25, default=0, metavar="TOP",
                        help="print the top TOP functions of a profiled run (25 by default)")
    args = parser.parse_args()
    if not args.skip_naive:
        try:
            import pandas  # noqa: F401
        except ImportError:
            raise SystemExit("The naive pipeline needs pandas and openpyxl: pip install -e '.[bench]' "
                             "(or run with --skip-naive).") from None
    if args.returns or args.entries:
        sizes = [(args.returns or 20, args.entries or 5000, None)]
    else:
        sizes = [REVIEWS[name] for name in (REVIEWS if args.review == "both"
                                            else [args.review or "large"])]
    print(f"{os.cpu_count()} cores; Python {sys.version.split()[0]}")
    for number, (returns, entries, target) in enumerate(sizes):
        if number:
            print()
        bench(returns, entries, args.runs, naive=not args.skip_naive, profile=args.profile,
              target=target)
    print("note: peak MB is the largest single process of each run; sarkit's reader workers "
          "are separate processes, counted the same way.")


if __name__ == "__main__":
    main()
