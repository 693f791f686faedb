"""Time `sarkit.analysis.analyse` (gaps, overlaps, duplicates) on a large synthetic chronology.

    python benchmarks/bench_analysis.py [--entries N] [--window DAYS] [--gap-days DAYS] [--seed S]
    python benchmarks/bench_analysis.py --entries 100000 --gaps

--gaps times what `sarkit gaps` does once the chronology is loaded: the analysis with referral
trails and patterns (the schema's vocabulary), then the terminal report at 80 columns (written
to a string, as to a terminal) and the JSON; the terminal part is shown on its own (issue 13:
under 3 s in all and under 1 s for the terminal on 100,000 entries).

Generates N entries (default 1,000,000) of 20 agencies over five years, sorted and numbered as
`sarkit collate` leaves them, with short realistic texts (some naming another agency, a few
copied between agencies), End Dates, author notes, sparse agencies and quiet spells so that
there are gaps, overlaps and duplicates to find. Generation is not timed. Prints the entries,
the seconds `analyse` took, what it found, and the peak memory it allocated (tracemalloc, in a
second run, as tracing slows Python down) and the process's peak resident size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import resource
import sys
import time
import tracemalloc

import numpy as np

from sarkit.analysis import analyse
from sarkit.dates import PartialDate
from sarkit.entries import Entry
from sarkit.review import Agency

AGENCIES = [
    Agency("Metropolitan Police Service", "Police", ("PC ", "MPS")),
    Agency("General Practice", "GP", ("surgery", "Dr ")),
    Agency("Adult Social Care", "ASC", ("social worker", "SW ")),
    Agency("London Ambulance Service", "LAS", ("ambulance", "paramedic")),
    Agency("Housing Department", "Housing", ("housing officer",)),
    Agency("Mental Health Trust", "MHT", ("CMHT", "care coordinator")),
    Agency("Acute Hospital Trust", "Hospital", ("A&E", "ED ")),
    Agency("Probation Service", "Probation", ("probation officer",)),
    Agency("Drug and Alcohol Service", "DAS", ("substance misuse",)),
    Agency("Fire and Rescue Service", "Fire", ("LFB",)),
    Agency("Community Nursing", "DN", ("district nurse",)),
    Agency("Independent Domestic Violence Advocate", "IDVA", ()),
    Agency("Department for Work and Pensions", "DWP", ("benefits",)),
    Agency("Voluntary Sector Outreach", "Outreach", ("outreach worker",)),
    Agency("Community Pharmacy", "Pharmacy", ("pharmacist",)),
    Agency("Safeguarding Adults Team", "SAT", ()),
    Agency("Care Agency", "Carers", ("carer",)),
    Agency("Substance Misuse Inpatient Unit", "Detox", ()),
    Agency("Learning Disability Team", "LD Team", ()),
    Agency("Advocacy Service", "Advocacy", ("advocate",)),
]

MISSING = Agency("Integrated Care Board", "ICB")  # listed in review.toml, sent no return

SOURCES = ["Case notes", "Electronic record", "Incident log", "Letter", "Telephone log",
           "Visit record", "Email", "Referral form", "Discharge summary", "Assessment"]
VERBS = ["Home visit", "Telephone call", "Appointment", "Welfare check", "Review meeting",
         "Assessment", "Medication review", "Follow-up call", "Attended clinic", "Letter sent",
         "Contact from neighbour", "Attempted visit", "Case discussion", "Text message",
         "Outreach contact"]
DETAILS = ["Adult B seen alone", "Adult B not at home", "mood described as low",
           "reported falls at home", "declined support offered", "property cluttered",
           "concerns about self-neglect", "no food in the fridge", "bruising to left arm noted",
           "said she felt unsafe", "missed two previous appointments", "medication not taken",
           "visitor present throughout", "smelled of alcohol", "weight loss noted",
           "agreed to a further visit", "heating not working", "rent arrears discussed",
           "pain in right leg", "anxious and tearful"]
OUTCOMES = ["no further action", "follow-up booked", "case closed", "plan reviewed",
            "advice given", "letter to be sent", "manager informed", "to be discussed in supervision"]


def generate(count: int, seed: int) -> list[Entry]:
    rng = np.random.default_rng(seed)
    start = dt.date(2020, 1, 1).toordinal()
    span = dt.date(2024, 12, 31).toordinal() - start + 1
    weights = 1.0 / np.arange(1, len(AGENCIES) + 1) ** 0.8  # some agencies busy, some sparse
    agency = rng.choice(len(AGENCIES), size=count, p=weights / weights.sum())
    day = rng.integers(0, span, size=count)
    # Quiet spells: the sparsest agencies are only involved for part of the time, and nobody
    # recorded anything for 45 days in the middle.
    sparse = agency >= 15
    day[sparse] = day[sparse] % (span // 3) + (agency[sparse] - 15) * (span // 6)
    quiet = (day >= span // 2) & (day < span // 2 + 45)
    day[quiet] -= 60
    order = np.lexsort((agency, day))
    agency, day = agency[order], day[order]
    verb = rng.integers(0, len(VERBS), size=count)
    detail = rng.integers(0, len(DETAILS), size=(count, 2))
    outcome = rng.integers(0, len(OUTCOMES), size=count)
    source = rng.integers(0, len(SOURCES), size=count)
    minute = rng.integers(0, 24 * 60, size=count)
    mention = rng.random(count) < 0.08
    mentioned = rng.integers(0, len(AGENCIES), size=count)
    with_end = rng.random(count) < 0.02
    length = rng.integers(1, 30, size=count)
    note = rng.random(count) < 0.01
    copy = rng.random(count) < 0.001

    dates = {}
    entries: list[Entry] = []
    width = len(str(count))
    for i in range(count):
        d = int(day[i])
        date = dates.get(d)
        if date is None:
            real = dt.date.fromordinal(start + d)
            date = dates[d] = PartialDate(real.year, real.month, real.day)
        a = int(agency[i])
        if copy[i] and entries and entries[-1].date is date and entries[-1].agency != AGENCIES[a].name:
            event = entries[-1].event  # the same incident recorded by two agencies
        else:
            event = (f"{VERBS[verb[i]]} at {minute[i] // 60:02d}:{minute[i] % 60:02d}; "
                     f"{DETAILS[detail[i, 0]]}, {DETAILS[detail[i, 1]]} (ref {i % 9973})")
        action = OUTCOMES[outcome[i]]
        if mention[i]:
            other = AGENCIES[int(mentioned[i])]
            action = f"Referred to {other.short}; {action}"
        end = None
        if with_end[i]:
            real = dt.date.fromordinal(start + d + int(length[i]))
            end = PartialDate(real.year, real.month, real.day)
        entries.append(Entry(
            agency=AGENCIES[a].name, date=date, end_date=end,
            source=("# Author's note" if note[i] else SOURCES[source[i]]), event=event,
            action=action, ref=f"C{i + 1:0{width}d}",
        ))
    return entries


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--window", type=int, default=0, help="overlap window in days")
    parser.add_argument("--gap-days", type=int, default=28)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (the best is shown)")
    parser.add_argument("--gaps", action="store_true",
                        help="time sarkit gaps after loading: analysis with trails and patterns, "
                             "the terminal report and the JSON")
    parser.add_argument("--bare", action="store_true",
                        help="as without review.toml: no agencies (so only full names are looked "
                             "for in texts, and none is found: the slowest case), no period")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    entries = generate(args.entries, args.seed)
    print(f"generated {len(entries):,} entries in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    kwargs: dict = {"gap_days": args.gap_days, "window_days": args.window}
    if not args.bare:
        kwargs.update(
            agencies=[*AGENCIES, MISSING],
            returned=[a.name for a in AGENCIES],
            period=(dt.date(2019, 10, 1), dt.date(2025, 3, 31)),
        )
    if args.gaps:
        bench_gaps(entries, kwargs, args.repeat)
        return
    timings, cpu = [], []
    for _ in range(max(1, args.repeat)):
        gc.collect()
        started, started_cpu = time.perf_counter(), time.process_time()
        result = analyse(entries, **kwargs)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    best = min(timings)

    gc.collect()
    tracemalloc.start()
    analyse(entries, **kwargs)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    kinds: dict[str, int] = {}
    for gap in result.gaps:
        kinds[gap.kind] = kinds.get(gap.kind, 0) + 1
    recorded = sum(o.communication == "recorded" for o in result.overlaps)
    print(f"entries            {len(entries):,}" + (" (bare: no review.toml)" if args.bare else ""))
    print(f"analyse seconds    {best:.2f} (best of {len(timings)}: "
          + ", ".join(f"{t:.2f}" for t in timings) + "; CPU "
          + ", ".join(f"{t:.2f}" for t in cpu) + ")")
    print(f"entries per second {len(entries) / best:,.0f}")
    print(f"gaps               {len(result.gaps):,} " + str(dict(sorted(kinds.items()))))
    print(f"overlaps           {len(result.overlaps):,} ({recorded:,} with communication recorded)")
    print(f"duplicates         {len(result.duplicates):,}")
    print(f"missing returns    {result.missing_returns}")
    print(f"peak memory        {peak / 2**20:,.0f} MiB allocated by analyse (tracemalloc)")
    print(f"peak RSS           {rss:,.0f} MiB (whole process, entries included)")


def bench_gaps(entries: list[Entry], kwargs: dict, repeat: int) -> None:
    """`sarkit gaps` after loading: analyse with the vocabulary, print the report at 80
    columns, make the JSON."""
    import io
    import json

    from rich.console import Console

    from sarkit.analysis import analysis_to_json, trails_and_patterns
    from sarkit.output.analysis_report import GapsReport, print_report
    from sarkit.review import Review
    from sarkit.vocabulary import vocabulary_for

    review = Review(agencies=list(kwargs.get("agencies", [])))
    vocabulary = vocabulary_for(review)
    runs = []
    for _ in range(max(1, repeat)):
        gc.collect()
        started, cpu_started = time.perf_counter(), time.process_time()
        # As the command does: the pipeline's analysis, then the trails and patterns added.
        result = analyse(entries, **kwargs)
        trails_and_patterns(entries, agencies=review.agencies, vocabulary=vocabulary,
                            referral_window_days=14, analysis=result)
        analysed = time.perf_counter()
        report = GapsReport(review=review, entries=entries, analysis=result,
                            agency_order=[a.name for a in AGENCIES],
                            labels={a.name: a.short for a in AGENCIES})
        console = Console(file=io.StringIO(), width=80, color_system=None)
        print_report(report, console)
        printed = time.perf_counter()
        text = json.dumps(analysis_to_json(result))
        done = time.perf_counter()
        runs.append((done - started, analysed - started, printed - analysed, done - printed,
                     time.process_time() - cpu_started))
    total, analysis_s, terminal_s, json_s, cpu_s = min(runs)
    unanswered = sum(not t.answered for t in result.trails)
    print(f"entries            {len(entries):,}")
    print(f"gaps seconds       {total:.2f} (best of {len(runs)}: analysis {analysis_s:.2f}, "
          f"terminal {terminal_s:.2f}, JSON {json_s:.2f}; CPU {cpu_s:.2f})")
    print(f"trails             {len(result.trails):,} ({unanswered:,} unanswered)")
    print(f"patterns           {len(result.patterns):,} agency-months")
    print(f"gaps, overlaps     {len(result.gaps):,}, {len(result.overlaps):,}")
    print(f"JSON               {len(text) / 2**20:,.1f} MiB")


if __name__ == "__main__":
    main()
