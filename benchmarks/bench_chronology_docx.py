"""Time the combined chronology as a Word document (`sarkit collate -o X.docx`).

Through python-docx's API only filling the text of 5,000 rows of 14 cells takes about 9 s (before
shading and bold); the writer builds the tables' XML as text instead.
This prints the time to write N entries (default 5,000 and 20,000) from 20 agencies.

    PYTHONPATH=src python benchmarks/bench_chronology_docx.py [--entries 5000 20000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench_analysis import AGENCIES, generate

from sarkit.collate import collate
from sarkit.entries import ReturnResult
from sarkit.output.chronology_docx import write_chronology_docx
from sarkit.review import Review


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, nargs="+", default=[5000, 20000])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (the best is shown)")
    args = parser.parse_args()
    review = Review(reference="SAR-BENCH", subject="Adult B", agencies=list(AGENCIES))
    for count in args.entries:
        by_agency: dict[str, list] = defaultdict(list)
        for entry in generate(count, seed=2025):
            entry.file = f"{entry.agency}.xlsx"
            by_agency[entry.agency].append(entry)
        results = [ReturnResult(path=f"{name}.xlsx", agency=name, entries=entries,
                                data_rows=len(entries)) for name, entries in by_agency.items()]
        collation = collate(results, review)
        best = float("inf")
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "combined.docx"
            for _ in range(args.repeat):
                started = time.perf_counter()
                write_chronology_docx(collation, target)
                best = min(best, time.perf_counter() - started)
            size = target.stat().st_size
        print(f"{count:>8,} entries  {best:6.2f} s  {size / 1024**2:6.1f} MB")


if __name__ == "__main__":
    main()
