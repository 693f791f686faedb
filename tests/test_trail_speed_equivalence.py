"""The quick ways of reading a clause (`_clause`, `_undone`, `_matching`) give exactly what the
straightforward ones give: checked against the plain readings below on random texts made of
clause breaks, joining words, negations, signposting, referral and pattern words, and letters
not in ASCII."""

from __future__ import annotations

import random

import numpy as np
import pytest

import sarkit.analysis as analysis
from sarkit.review import Review
from sarkit.vocabulary import vocabulary_for

VOCABULARY = vocabulary_for(Review())

WORDS = [
    # clause breaks and joining words (and words that start like them)
    ",", ";", ":", "!", "?", ".", ". ", "s.42", "\n", "and", "but", "as", "ask", "so", "some",
    "then", "who", "whom", "whose", "which", "while", "whilst", "whereas", "however", "though",
    "although", "because", "since",
    # negations, declined, past, hypothetical, requests
    "no", "not", "nor", "never", "none", "didn't", "wasn’t", "n't", "unable to", "failed to",
    "declined", "refused", "considered", "offered", "previous", "prior", "prior to", "history of",
    "hx of", "if", "iffy", "see if", "unless", "whether", "would", "could", "should", "might",
    "self", "self-", "self ", "asked", "requested", "request", "not yet been", "been", "yet",
    "made", "needed", "withdrawn", "cancelled", "unnecessary", "not\nmade", "not  made",
    # signposting
    "advised to see own", "signposted to", "told to contact", "given details of", "advice to",
    "encouraged to", "directed", "and the", "or", "/", "&", "informed", "was",
    # referral and pattern words
    "referral", "referred", "refer", "letter sent", "safeguarding concern", "SG concern", "fall",
    "falls", "fell", "falls risk", "fall asleep", "A&E", "ED", "DNA", "did not attend",
    "welfare check", "not conveyed", "section 42", "GP", "ASC", "hospital", "police",
    # other words, and letters not in ASCII
    "pt", "the", "to", "at", "home", "visit", "café", "résumé", "İstanbul", "é", "naïve",
    "", " ", "  ", "-", "(", ")", "'", "’",
]


def random_text(rng: random.Random, count: int) -> str:
    parts = []
    for _ in range(count):
        word = rng.choice(WORDS)
        parts.append(word.upper() if rng.random() < 0.05 else word)
        parts.append(rng.choice([" ", " ", " ", "", ", ", ". ", "\n", "\0"]))
    return "".join(parts)


def lowered(text: str) -> str:
    low = text.lower()
    return low if len(low) == len(text) else "".join(
        c if len(c.lower()) != 1 else c.lower() for c in text)


def plain_clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause as first written: every break before the place found in a loop."""
    left = max(0, start - analysis._CLAUSE_ROOM)
    for m in analysis._CLAUSE_START.finditer(text, left, start):
        left = m.end()
    m = analysis._CLAUSE_BREAK.search(text, end, min(len(text), end + analysis._CLAUSE_ROOM))
    return left, m.start() if m else min(len(text), end + analysis._CLAUSE_ROOM)


def plain_undone(text: str, start: int, end: int, requests: bool = False) -> bool:
    """`_undone` as first written: the clause, then the words searched in it."""
    left, right = plain_clause(text, start, end)
    before = analysis._UNDONE_OR_ASKED_BEFORE if requests else analysis._UNDONE_BEFORE_ALL
    if before.search(text, left, start):
        return True
    return bool(analysis._UNDONE_AFTER.search(text, end, right))


def plain_matching(lowered: str, ends: np.ndarray, spans: list[tuple[int, int]],
                   not_events: frozenset[str] = frozenset()) -> dict[int, tuple[int, int]]:
    """`_matching` as first written: each span read on its own."""
    found: dict[int, tuple[int, int]] = {}
    for start, end in spans:
        pos = int(np.searchsorted(ends, start, "right"))
        if pos in found or (not_events and lowered[start:end] in not_events):
            continue
        if not plain_undone(lowered, start, end, True) and not analysis._signposted(lowered, start, end):
            found[pos] = (start, end)
    return found


@pytest.mark.parametrize("seed", range(40))
def test_clause_and_undone_are_as_the_plain_reading_at_every_place(seed):
    rng = random.Random(seed)
    text = lowered(random_text(rng, rng.randint(1, 60)))
    places = sorted({0, len(text), *(rng.randint(0, len(text)) for _ in range(60))})
    checked = 0
    for start in places:
        for end in (start, min(len(text), start + rng.randint(1, 12))):
            assert analysis._clause(text, start, end) == plain_clause(text, start, end), (seed, start, end)
            for requests in (False, True):
                assert analysis._undone(text, start, end, requests) == plain_undone(
                    text, start, end, requests), (seed, start, end, requests)
            checked += 1
    assert checked >= 2


@pytest.mark.parametrize("seed", range(40))
def test_the_words_of_each_kind_match_as_in_the_plain_reading(seed):
    rng = random.Random(1000 + seed)
    texts = [random_text(rng, rng.randint(0, 40)) for _ in range(rng.randint(10, 30))]
    joined = "\0".join(texts)
    low = lowered(joined)
    ends = np.cumsum(np.array([len(t) + 1 for t in texts], np.int64))
    unlike = dict(VOCABULARY.not_patterns)
    compared = 0
    for kind, words in VOCABULARY.patterns:
        phrases = analysis._phrases((*words, *unlike.get(kind, ())))
        spans = phrases.finditer(joined, low)
        not_events = frozenset(w.strip().lower() for w in unlike.get(kind, ()))
        expected = plain_matching(low, ends, spans, not_events)
        assert analysis._matching(low, ends, spans, not_events) == expected, (seed, kind)
        compared += len(spans)
    assert compared > 0
