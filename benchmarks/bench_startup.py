"""Measure start-up and worker start: `sarkit --version`/`--help` CPU, `sarkit gaps` on the example
review (its returns, and its combined workbook: the fixed cost of gaps), and collate of the example
review with workers started by fork and by spawn (what Windows and macOS use), side by side.

    python benchmarks/bench_startup.py [--runs 7]

Each figure is the median of the runs, the two start methods interleaved so that a busy machine
disturbs both alike. CPU is the child's user + system time (os.times; Unix only, 0 on Windows).
Targets (DESIGN §10): --help and --version under 0.25 s of CPU; spawn within 1.5x of fork.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "examples"
# an installed sarkit has its modules compiled; with PYTHONDONTWRITEBYTECODE set every run would
# compile them again and the benchmark would measure the compiler
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def run(args: list[str], *, env: dict[str, str] | None = None,
        cwd: Path | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of a command in a fresh process."""
    before = os.times()
    start = time.perf_counter()
    subprocess.run(args, env=env or ENV, cwd=cwd, check=False, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu


def median_of(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    sarkit = [sys.executable, "-m", "sarkit"]

    print(f"sarkit start-up and worker start, median of {runs} runs ({os.cpu_count()} cores)")
    for flag in ("--version", "--help"):
        wall, cpu = median_of([run([*sarkit, flag]) for _ in range(runs)])
        verdict = "ok" if cpu < 0.25 else "OVER the 0.25 s target"
        print(f"  sarkit {flag:<10} {wall:6.3f} s wall  {cpu:6.3f} s CPU   ({verdict})")
    floor = median_of([run([sys.executable, "-c", "pass"]) for _ in range(runs)])
    print(f"  python -c pass     {floor[0]:6.3f} s wall  {floor[1]:6.3f} s CPU   (the interpreter alone)")

    with tempfile.TemporaryDirectory() as scratch:
        combined = Path(scratch) / "combined.xlsx"
        run([*sarkit, "collate", "returns", "-o", str(combined), "-q"], cwd=EXAMPLE)
        print("sarkit gaps on the example review (95 entries), whole process:")
        for label, args in (("on its returns", []), ("on its combined", [str(combined)])):
            wall, cpu = median_of([run([*sarkit, "gaps", *args], cwd=EXAMPLE) for _ in range(runs)])
            print(f"  {label:<18} {wall:6.3f} s wall  {cpu:6.3f} s CPU")

    samples: dict[str, list[tuple[float, float]]] = {"fork": [], "spawn": []}
    with tempfile.TemporaryDirectory() as scratch:
        for index in range(runs):
            for method in samples:
                out = Path(scratch) / f"{method}-{index}" / "combined.xlsx"
                env = {**ENV, "SARKIT_START_METHOD": method}
                samples[method].append(run([*sarkit, "collate", "returns", "-o", str(out), "-q"],
                                           env=env, cwd=EXAMPLE))
                shutil.rmtree(out.parent, ignore_errors=True)
    fork, spawn = median_of(samples["fork"]), median_of(samples["spawn"])
    print("collate of the example review (7 returns, 97 rows), whole process:")
    print(f"  fork               {fork[0]:6.3f} s wall  {fork[1]:6.3f} s CPU")
    print(f"  spawn              {spawn[0]:6.3f} s wall  {spawn[1]:6.3f} s CPU")
    ratio = spawn[0] / fork[0]
    print(f"  spawn / fork       {ratio:6.2f}x wall ({'ok' if ratio <= 1.5 else 'OVER'} the 1.5x target)")


if __name__ == "__main__":
    main()
