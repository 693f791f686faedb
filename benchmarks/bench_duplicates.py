"""Measure the possible-duplicates similarity: rapidfuzz's screen then difflib, against difflib
alone (the check before rapidfuzz), on same-day pairs that pass the cheap filters.

    python benchmarks/bench_duplicates.py [--pairs 2000]

The pairs are the costly kind: the same words in another order (lengths and words agree, so the
length and shared-word filters let them through, and difflib's quick_ratio is 1.0), and the
same texts with one word changed (true near-duplicates). Both checks must agree on every pair.
"""

from __future__ import annotations

import argparse
import random
import time
from difflib import SequenceMatcher

import sarkit.analysis as analysis

WORDS = ("visit home adult concerns reported neighbour fall welfare check medication review "
         "referral safeguarding carer support assessment").split()


def difflib_only(a: bytes, b: bytes, words_a: frozenset[str], words_b: frozenset[str]) -> float:
    """The check as it was: the same cheap filters, then difflib on every pair left."""
    la, lb = len(a), len(b)
    if 2 * min(la, lb) < analysis.DUPLICATE_SIMILARITY * (la + lb):
        return 0.0
    if 2 * len(words_a & words_b) < analysis._DUPLICATE_WORDS * (len(words_a) + len(words_b)):
        return 0.0
    limit = analysis._DUPLICATE_MAX_CHARS
    matcher = SequenceMatcher(None, a[:limit], b[:limit], autojunk=False)
    if matcher.quick_ratio() < analysis.DUPLICATE_SIMILARITY:
        return 0.0
    return matcher.ratio()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=2000)
    count = parser.parse_args().pairs
    rng = random.Random(1)
    pairs = []
    for number in range(count):
        words = [rng.choice(WORDS) for _ in range(rng.randint(15, 60))]
        other = words[:]
        if number % 10:
            rng.shuffle(other)  # nine in ten: the same words in another order
        else:
            other[rng.randrange(len(other))] = rng.choice(WORDS)  # one in ten: a word changed
        a, b = " ".join(words), " ".join(other)
        key_a, key_b = analysis._duplicate_keys([a, b])
        pairs.append((key_a, key_b, analysis._words(a), analysis._words(b)))
    results = {}
    for name, check in [("rapidfuzz screen, then difflib", analysis._similarity),
                        ("difflib only (before)", difflib_only)] * 2:
        started = time.process_time()
        decided = [value if value >= analysis.DUPLICATE_SIMILARITY else None
                   for value in (check(*pair) for pair in pairs)]
        seconds = time.process_time() - started
        results.setdefault(name, (decided, []))[1].append(seconds)
    (fast, fast_times), (slow, slow_times) = results.values()
    if fast != slow:
        raise SystemExit("the two checks disagree: the figures are not valid")
    found = sum(value is not None for value in fast)
    print(f"{count:,} same-day pairs past the cheap filters, {found:,} near-identical (both agree)")
    for name, (_, times) in results.items():
        print(f"  {name:32} {min(times):7.3f} s CPU (best of {len(times)})")


if __name__ == "__main__":
    main()
