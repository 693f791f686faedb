"""Measure `sarkit gaps` on a combined workbook, end to end, against the floor of reading it.

    python benchmarks/bench_gaps.py [--entries 100000] [--runs 3]
    python benchmarks/bench_gaps.py --entries 5000        # the realistic review
    python benchmarks/bench_gaps.py --texts chronology    # entries as agencies write them

Makes the combined workbook once with `sarkit collate` (from returns generated as
benchmarks/bench_collate.py does, into benchmarks/data/, reused when present and made by a sarkit
that writes the values part), then times:
  1. `sarkit gaps combined.xlsx`, end to end, as a user runs it (a fresh process, the terminal
     report written to a pipe);
  2. the floor: python-calamine reading the Chronology sheet (a fresh process);
  3. the floor of the values part: unzipping it and parsing its JSON, nothing else.
The entries' texts are word salads by default (`--texts salad`: every entry holds several pattern
and referral words and no punctuation, so clauses run long: the analysis' worst case), all of one
agency; `--texts chronology` writes one return per agency of a review.toml (benchmarks/
chronology_texts.py), in sentences, with referrals to the others and answers to most of them.
Each figure is the median of --runs interleaved runs: wall time with the CPU time (user + system
of the process and its child processes: the reader worker, and the one that reads a share of
the trails) beside it. Then one in-process run shows where the time goes: the reading in its
isolated worker (with, measured again in this process, the limits scan and the reading proper,
which the worker runs side by side where the OS caps its memory, less the worker's start and the
transfer of the entries), the analysis by part (`trail_records`: this process's share of the
trails; the rest is read beside it, and what is not done by the time this process has read its
share and the patterns is the wait), and the terminal report (written to a string, 80 columns).
Issue 13's target for 100,000 entries: under 3 s in all, under 1 s for the terminal part.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_collate import ENV, HEADER, SARKIT, generate, load, timed  # noqa: E402
from chronology_texts import GENERATION, write_returns  # noqa: E402

COLLATE_REVIEW = """
import sys
from sarkit.cli import main
sys.argv = ["sarkit", "collate", sys.argv[1], "-o", sys.argv[2], "--review", sys.argv[3],
            "--force", "-q"]
try:
    main()
except SystemExit as exit:
    assert exit.code in (0, 1, None), exit.code
"""

GAPS = """
import sys
from sarkit.cli import main  # what the installed `sarkit` runs
sys.argv = ["sarkit", "gaps", sys.argv[1]]
try:
    main()
except SystemExit as exit:
    assert exit.code in (0, 1, None), exit.code
"""

FLOOR = """
import sys, python_calamine
book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
rows = book.get_sheet_by_name("Chronology").to_python()
"""

PART_FLOOR = """
import json, sys, zipfile
data = zipfile.ZipFile(sys.argv[1]).read("sarkit/values.xml")
values = json.loads(data[data.index(b">", 60) + 1:-len(b"</values>")])
"""

BREAKDOWN = """
import io, sys, time
from pathlib import Path
import sarkit.analysis as analysis
from sarkit.intake.combined import read_combined_workbook
from sarkit.pipeline import chronology
from sarkit.review import Review

path = Path(sys.argv[1])
spent = {}

def timing(name, function):
    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - started
    return timed

def clock(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started

chronology.call_isolated = timing("worker", chronology.call_isolated)
chronology._from_values_part = timing("values part", chronology._from_values_part)
if hasattr(chronology, "entries_of"):
    chronology.entries_of = timing("entries built", chronology.entries_of)
for name in ("_table", "_all_agency_gaps", "_agency_gaps", "_overlaps", "_duplicates",
             "_sending", "_trail_records", "_trails", "_patterns", "_event_texts", "_phrase_spans"):
    if hasattr(analysis, name):
        setattr(analysis, name, timing(name.strip("_"), getattr(analysis, name)))
from sarkit.analysis import trails_and_patterns
from sarkit.pipeline.workers import beside, beside_pays

def timed_beside(function, *args):  # `beside`, the wait for the child's share timed
    later = beside(function, *args)
    return timing("waiting for the share read beside", later)
from sarkit.output.analysis_report import GapsReport, print_report
from sarkit.output.validation_report import print_account
from sarkit.vocabulary import vocabulary_for
from rich.console import Console

started = time.perf_counter()
loaded = chronology.from_combined(path, Review())
load_seconds = time.perf_counter() - started
collation = loaded.collation
started = time.perf_counter()
trails_and_patterns(collation.entries, agencies=loaded.review.agencies,
                    vocabulary=vocabulary_for(loaded.review), analysis=collation.analysis,
                    referral_window_days=loaded.review.referral_window_days,
                    beside=timed_beside if beside_pays(len(collation.entries)) else None)
trails_seconds = time.perf_counter() - started
started = time.perf_counter()
report = GapsReport(review=loaded.review, entries=collation.entries, analysis=collation.analysis,
                    agency_order=collation.agency_order, labels=loaded.labels,
                    gap_days=collation.gap_days, window_days=collation.window_days,
                    account=collation.account)
out = io.StringIO()
print_report(report, Console(file=out, width=80, highlight=False, emoji=False))
print_account(report.account, Console(file=out, width=80, highlight=False, emoji=False),
              report.label)
terminal = time.perf_counter() - started
del loaded, collation, report
# measured again in this process, after the run (the worker above started from a lean parent)
_, inside = clock(chronology.read_combined_within_limits, path)
_, reading = clock(read_combined_workbook, path)
worker = spent.pop("worker", 0.0)
part = spent.pop("values part", 0.0)
built = spent.pop("entries built", 0.0)
rows = [
    ("read from the values part (no sheet parsed, no worker)", part, 0),
    ("read in the isolated worker, as the parent waits for it", worker, 0),
    ("a workbook saved again: its sheets read (measured in this process)", inside, 0),
    ("limits scan", inside - reading, 1),
    ("reading the sheets", reading, 1),
    ("entries built in the parent", built, 0),
    ("analysis: gaps, overlaps, duplicates (from_combined)", load_seconds - worker - part - built, 0),
    ("analysis: referral trails and patterns", trails_seconds, 0),
    *((f"part: {name}", seconds, 1) for name, seconds in spent.items()),
    ("terminal report and account (80 columns, to a string)", terminal, 0),
]
for label, seconds, level in rows:
    print(f"  {'  ' * level}{label:60} {seconds:7.2f} s")
print(f"  in all (this process) {load_seconds + trails_seconds + terminal:44.2f} s")
"""


def median(samples: list[tuple[float, float, float]]) -> tuple[float, ...]:
    return tuple(statistics.median(s[i] for s in samples) for i in range(3))


def combined_workbook(entries: int, texts: str = "salad") -> Path:
    """The combined workbook of `entries` entries (20 returns, or 10 under 20,000), made once."""
    returns = 20 if entries >= 20_000 else 10
    each = max(1, entries // returns)
    name = f"{returns}x{each}" if texts == "salad" else f"{texts}{GENERATION}-{returns}x{each}"
    folder = HERE / "data" / name
    out = HERE / "data" / "out" / f"gaps-{name}"
    path = out / "combined.xlsx"
    if path.is_file() and has_values_part(path):
        return path
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    if texts == "salad":
        timed(SARKIT, *(str(p) for p in generate(folder, returns, each)), str(path))
    else:
        review = write_returns(folder, returns, each, HEADER)
        timed(COLLATE_REVIEW, str(folder / "returns"), str(path), str(review))
    print(f"made {path} with sarkit collate ({returns} returns x {each} entries) in "
          f"{time.perf_counter() - started:.1f} s")
    return path


def has_values_part(path: Path) -> bool:
    """Whether the workbook was made by a sarkit that writes the values part (else made again)."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return "sarkit/values.xml" in archive.namelist()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000,
                        help="entries in the combined workbook (default 100,000; 5,000 is a "
                             "realistic review)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--texts", choices=("salad", "chronology"), default="salad",
                        help="word salads dense in pattern words, all of one agency (default), or "
                             "sentences as 20 agencies write them (benchmarks/chronology_texts.py)")
    parser.add_argument("--no-breakdown", action="store_true")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; Python {sys.version.split()[0]}")
    path = str(combined_workbook(args.entries, args.texts))
    pipelines = {"floor: calamine reads the Chronology sheet": FLOOR,
                 "floor: the values part unzipped and parsed": PART_FLOOR, "sarkit gaps": GAPS}
    samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in pipelines}
    timed(GAPS, path)  # warm-up: compiles sarkit's modules, warms the disk cache
    loads = [load()]
    for _ in range(args.runs):
        for name, code in pipelines.items():
            samples[name].append(timed(code, path))
        loads.append(load())
    results = {name: median(values) for name, values in samples.items()}
    floor = results["floor: calamine reads the Chronology sheet"][0]
    print(f"{path}: median of {args.runs} interleaved runs; load average before and after each "
          f"round: {' | '.join(loads)}")
    print(f"{'pipeline':44} {'seconds':>8} {'CPU s':>8} {'x floor':>8} {'peak MB':>8}")
    for name, (seconds, cpu, peak) in results.items():
        print(f"{name:44} {seconds:8.2f} {cpu:8.2f} {seconds / floor:8.2f} {peak:8.0f}")
    if not args.no_breakdown:
        print("where the time goes (one in-process run, wall seconds):")
        sys.stdout.flush()
        import subprocess

        subprocess.run([sys.executable, "-c", BREAKDOWN, path], check=True, env=ENV)


if __name__ == "__main__":
    main()
