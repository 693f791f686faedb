"""Measure what the scan for possible identifiers adds to `sarkit collate` (target: under 20%).

    python benchmarks/bench_identifiers.py [--returns 20] [--entries 5000] [--runs 3] [--clean]

Uses the returns of bench_collate.py (generated into benchmarks/data/ when absent; every tenth
entry gets a fictional phone number, NHS test number or name after a title; not with --clean), then
times, each in
a fresh process and best of `--runs`: collate as users run it (scan on), collate with the scan
switched off (the scanner patched out, which only a benchmark does), and collate --redact. Also
times the scan alone over every text cell, and the slowest of a set of pathological cells.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_collate import generate  # noqa: E402

PLANTS = ("Daughter on 07700 900{n:03d}", "NHS 999 000 0018", "Mrs Kettle next door",
          "Letter to LS99 9ZZ", "email jo{n}@example.org")

RUN = """
import sys
OFF = sys.argv[1] == "off"
if OFF:
    import sarkit.pipeline.chronology as pipeline
    import sarkit.review as review
    review.Review.identifier_scanner = lambda self: None
    pipeline._identifiers = lambda chronology, redact: chronology
from sarkit.cli import app
extra = ["--redact"] if sys.argv[1] == "redact" else []
sys.argv = ["sarkit", "collate", *sys.argv[2:-1], "-o", sys.argv[-1], "--force", "-q",
            "--agency", "Agency", *extra]
try:
    app()
except SystemExit as exit:
    assert exit.code in (0, None), exit.code
"""


def plant(paths: list[Path], folder: Path) -> list[Path]:
    """Copies of the returns with an identifier in every tenth event (openpyxl, done once)."""
    import openpyxl

    folder.mkdir(parents=True, exist_ok=True)
    planted = []
    for path in paths:
        target = folder / path.name
        planted.append(target)
        if target.exists():
            continue
        rng = random.Random(path.name)
        book = openpyxl.load_workbook(path)
        sheet = book.active
        for row in range(2, sheet.max_row + 1, 10):
            cell = sheet.cell(row, 5)
            cell.value = f"{cell.value} {rng.choice(PLANTS).format(n=rng.randrange(1000))}."
        book.save(target)
    return planted


def cpu_of_children() -> float:
    """CPU seconds of every finished child process and theirs (workers); 0 where unknown."""
    try:
        import resource
    except ImportError:  # Windows: wall time only
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(paths: list[Path], out: Path, runs: int) -> dict[str, tuple[float, float]]:
    """mode -> (best wall seconds, best CPU seconds); the modes interleaved round by round, so
    a busy moment on a shared machine does not land on one mode only."""
    best: dict[str, tuple[float, float]] = {}
    for _ in range(runs):
        for mode in ("off", "on", "redact"):
            cpu = cpu_of_children()
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", RUN, mode, *map(str, paths), str(out)],
                           check=True, stderr=subprocess.DEVNULL)
            wall, cpu = time.perf_counter() - started, cpu_of_children() - cpu
            old = best.get(mode, (wall, cpu))
            best[mode] = (min(old[0], wall), min(old[1], cpu))
    return best


def scan_alone(paths: list[Path]) -> tuple[int, float]:
    import python_calamine

    from sarkit.identifiers import Scanner

    cells = [v for p in paths
             for r in python_calamine.CalamineWorkbook.from_path(str(p)).get_sheet_by_index(0)
             .to_python()[1:] for v in r if isinstance(v, str) and v]
    scanner = Scanner()
    started = time.perf_counter()
    for text in cells:
        scanner.scan(text)
    return len(cells), time.perf_counter() - started


def pathological() -> float:
    from sarkit.identifiers import Scanner

    worst = 0.0
    for text in ("1" * 1_000_000, "a@" * 500_000, "Mr A. " * 200_000, "DOB " * 250_000,
                 "0" + " 1" * 500_000, ("a" * 63 + ".") * 15_000 + "@"):
        started = time.perf_counter()
        Scanner().scan(text)
        worst = max(worst, time.perf_counter() - started)
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--returns", type=int, default=20)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--clean", action="store_true", help="the returns without identifiers")
    args = parser.parse_args()
    data = HERE / "data"
    paths = generate(data / f"returns-{args.returns}x{args.entries}", args.returns, args.entries)
    if not args.clean:
        paths = plant(paths, data / f"identifiers-{args.returns}x{args.entries}")
    out = data / "identifiers-combined.xlsx"
    best = measure(paths, out, args.runs)
    off, on, redacted = best["off"], best["on"], best["redact"]
    cells, alone = scan_alone(paths)
    print(f"collate {args.returns} x {args.entries} entries "
          f"({'no identifiers' if args.clean else 'one in ten with an identifier'}), "
          f"best of {args.runs}:")
    for name, (wall, cpu) in (("scan off", off), ("scan on", on), ("--redact", redacted)):
        added = "" if name == "scan off" else (
            f"   (+{wall / off[0] - 1:.0%} wall, +{cpu / off[1] - 1:.0%} CPU; target under +20%)"
            if off[1] else f"   (+{wall / off[0] - 1:.0%})")
        print(f"  {name:<12}{wall:6.2f} s wall {cpu:6.2f} s CPU{added}")
    print(f"  scan alone    {alone:6.2f} s over {cells:,} text cells "
          f"({alone / cells * 1e6:.1f} us a cell, one process)")
    print(f"  worst pathological cell (1-3 MB): {pathological():.2f} s")


if __name__ == "__main__":
    main()
