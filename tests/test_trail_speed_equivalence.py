"""The quick ways of reading a clause (`_clause`, `_undone`, `_matching`) give exactly what the
straightforward ones give: checked against the plain readings below on random texts made of
clause breaks, joining words, negations, signposting, referral and pattern words, and letters
not in ASCII."""

from __future__ import annotations

import datetime as dt
import random
import re
from bisect import bisect_right

import numpy as np
import pytest

import sarkit.analysis as analysis
from sarkit.dates import PartialDate
from sarkit.entries import Entry
from sarkit.review import Agency, Review
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


def plain_excerpt(text: str, start: int, end: int) -> str:
    """`_excerpt` as first written: each clause end looked for in a loop."""
    left = max(text.rfind(c, 0, start) for c in analysis._CLAUSE_ENDS) + 1
    cut_left = left < start - analysis._EXCERPT_ROOM
    left = max(left, start - analysis._EXCERPT_ROOM)
    right = min((i for i in (text.find(c, end) for c in analysis._CLAUSE_ENDS) if i >= 0),
                default=len(text))
    cut_right = right > end + analysis._EXCERPT_ROOM
    right = min(right, end + analysis._EXCERPT_ROOM)
    words = " ".join(text[left:right].split())
    return ("…" if cut_left else "") + words + ("…" if cut_right else "")


@pytest.mark.parametrize("seed", range(40))
def test_the_excerpt_is_as_the_plain_reading_at_every_place(seed):
    rng = random.Random(2000 + seed)
    text = random_text(rng, rng.randint(0, 80))
    places = sorted({0, len(text), *(rng.randint(0, len(text)) for _ in range(40))})
    for start in places:
        for end in (start, min(len(text), start + rng.randint(1, 30))):
            assert analysis._excerpt(text, start, end) == plain_excerpt(text, start, end), (seed, start)


AGENCIES = [Agency("Hill Surgery", "GP"), Agency("Northshire Adult Social Care", "ASC"),
            Agency("Northshire Mental Health Trust", "Mental Health", ("Memory Service",)),
            Agency("North West Ambulance Service", "Ambulance", ("Fire",))]
TRAIL_WORDS = [
    # names, as written and not
    "GP", "gp", "Hill Surgery", "ASC", "asc", "Adult Social Care", "Mental Health", "MENTAL HEALTH",
    "Memory Service", "Ambulance", "Fire", "fire service", "Police", "GPS", "ASCOT",
    # referral and answer words (and words that hold them)
    "referred to", "referral to", "letter sent to", "safeguarding concern raised with", "notified",
    "referral", "Referral", "REFERRAL", "referrals", "letter", "letters", "notification",
    "discharge summary", "concern received", "received", "triaged", "allocated", "reallocated",
    "request", "requested", "from", "by", "via", "to", "sent", "phoned",
]


def trail_text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(0, 14)):
        parts.append(rng.choice(TRAIL_WORDS) if rng.random() < 0.5 else rng.choice(WORDS))
        parts.append(rng.choice([" ", " ", " ", ", ", ". ", "\n"]))
    return "".join(parts)


def random_entries(rng: random.Random) -> list[Entry]:
    entries = []
    for number in range(rng.randint(20, 120)):
        agency = rng.choice(AGENCIES)
        day = dt.date(2025, 3, 1) + dt.timedelta(days=rng.randint(0, 50))
        date = PartialDate(day.year, day.month, day.day if rng.random() < 0.95 else None)
        entries.append(Entry(agency=agency.name if rng.random() < 0.8 else agency.short,
                             date=date, source="Records", event=trail_text(rng),
                             action=trail_text(rng) if rng.random() < 0.5 else "",
                             ref=f"C{number:04d}"))
    return entries


def read_every_entry(t, mentions, answer, joined, ends, windows, names=None):
    """The plain reading: no screen, every entry of every window read."""
    return np.ones(len(t), bool)


@pytest.mark.parametrize("seed", range(30))
def test_trails_found_with_the_screen_are_those_of_reading_every_entry(seed, monkeypatch):
    rng = random.Random(3000 + seed)
    entries = random_entries(rng)
    window = rng.choice([0, 3, 14, 30])

    def run():
        return analysis.trails_and_patterns(entries, agencies=AGENCIES, vocabulary=VOCABULARY,
                                            referral_window_days=window)

    quick = run()
    monkeypatch.setattr(analysis, "_may_answer", read_every_entry)
    plain = run()
    assert quick.trails == plain.trails, seed
    assert quick.patterns == plain.patterns, seed


def test_the_random_trails_are_answered_and_not():
    """The texts above make trails of both kinds, some answered only by answer words."""
    answered = unanswered = by_words = 0
    for seed in range(30):
        entries = random_entries(random.Random(3000 + seed))
        found = analysis.trails_and_patterns(entries, agencies=AGENCIES, vocabulary=VOCABULARY,
                                             referral_window_days=14).trails
        answered += sum(trail.answered for trail in found)
        unanswered += sum(not trail.answered for trail in found)
        by_words += sum(trail.answered and trail.from_agency not in trail.answer_words
                        for trail in found)
    assert answered > 30 and unanswered > 30 and by_words > 10


UNDONE_WORDS = [
    "no", "not", "nor", "never", "without", "didn't", "wasn’t", "unable to", "failed to",
    "declined", "declines", "declining", "refused", "refuses", "refusing", "consider",
    "considered", "considering", "offered", "previous", "previously", "prior", "historic",
    "historical", "history of", "hx of", "if", "unless", "whether", "would", "could", "should",
    "might", "self-", "self "]
ASKED_WORDS = ["asked", "asking", "requested", "requesting", "request", "requests"]


@pytest.mark.parametrize("word", UNDONE_WORDS + ASKED_WORDS)
def test_each_undone_word_alone_is_found_as_in_the_plain_reading(word):
    """Each word of the expressions alone in the room before a place (the quick look for what
    the words hold must not skip one)."""
    text = f"pt seen at home {word}{'' if word.startswith('self') else ' '}referral to asc"
    start = text.index("referral")
    end = start + len("referral")
    for requests in (False, True):
        expected = plain_undone(text, start, end, requests)
        assert analysis._undone(text, start, end, requests) == expected, (word, requests)
        assert expected == (requests or word not in ASKED_WORDS), (word, requests)


UNDONE_AFTER_WORDS = [
    "not made", "never sent", "not yet been made", "not\tneeded", "declined", "refused",
    "withdrawn", "cancelled", "canceled", "considered", "offered", "unnecessary", "unless", "if"]


@pytest.mark.parametrize("word", UNDONE_AFTER_WORDS)
def test_each_undone_word_alone_after_is_found_as_in_the_plain_reading(word):
    text = f"pt seen at home referral to asc {word} today"
    start = text.index("referral")
    for requests in (False, True):
        assert plain_undone(text, start, start + 8, requests) is True, word
        assert analysis._undone(text, start, start + 8, requests) is True, (word, requests)


def plain_signposted(text: str, start: int, end: int) -> bool:
    """`_signposted` as first written: the expression of its words tried at once."""
    before = text[max(0, start - analysis._SIGNPOST_ROOM):start]
    if analysis._SIGNPOST_WORDS.search(before) is None:
        return False
    for word in analysis._SIGNPOST_START.finditer(before):
        m = analysis._SIGNPOSTED.fullmatch(before, word.start())
        if m is not None:
            return not m.group("listed") or not analysis._LISTED_THEN_DONE.match(text, end)
    return False


SIGNPOST_WORDS = ["advised to see", "advice to see", "told to see", "asked to see",
                  "encouraged to see", "reminded to see", "signposted to", "sign-posted to",
                  "directed to", "given the contact details of", "given details of",
                  "given their number for", "given leaflet for"]


@pytest.mark.parametrize("word", SIGNPOST_WORDS)
def test_each_signpost_word_alone_is_found_as_in_the_plain_reading(word):
    text = f"pt seen at home, {word} the gp today"
    start = text.index("gp")
    expected = plain_signposted(text, start, start + 2)
    assert analysis._signposted(text, start, start + 2) == expected, word
    assert expected is True, word


@pytest.mark.parametrize("seed", range(40))
def test_signposting_is_as_the_plain_reading_at_every_place(seed):
    rng = random.Random(4000 + seed)
    text = lowered(random_text(rng, rng.randint(1, 60)))
    for start in sorted({0, len(text), *(rng.randint(0, len(text)) for _ in range(60))}):
        end = min(len(text), start + rng.randint(0, 10))
        assert analysis._signposted(text, start, end) == plain_signposted(text, start, end), seed


def plain_patterns(t, vocabulary, matched):
    """`_patterns` as first written: each matching entry put in its (agency, month) group in a loop."""
    counts = []
    months = t.first.astype("datetime64[D]").astype("datetime64[M]")
    for k, (kind, _) in enumerate(vocabulary.patterns):
        if k not in matched:
            continue
        groups = {}
        for pos in sorted(matched[k]):
            groups.setdefault((int(t.code[pos]), months[pos]), []).append(pos)
        for (code, month), positions in sorted(groups.items(), key=lambda g: (g[0][0], g[0][1])):
            counts.append(analysis.PatternCount(kind, t.names[code], month.astype(dt.date),
                                                len(positions), tuple(t.refs(np.array(positions)))))
    return counts


@pytest.mark.parametrize("seed", range(30))
def test_patterns_grouped_at_once_are_those_of_the_plain_loop(seed, monkeypatch):
    rng = random.Random(5000 + seed)
    entries = random_entries(rng)
    for number in range(rng.randint(0, 60)):  # more of each kind, over months and agencies
        day = dt.date(2024, 11, 1) + dt.timedelta(days=rng.randint(0, 150))
        entries.append(Entry(agency=rng.choice(AGENCIES).name, date=PartialDate(day.year, day.month, day.day),
                             source="Records", event=rng.choice(["Fall at home", "no fall", "DNA", "A&E"]),
                             ref=f"P{number:04d}"))

    def run():
        return analysis.trails_and_patterns(entries, agencies=AGENCIES, vocabulary=VOCABULARY,
                                            referral_window_days=14).patterns

    quick = run()
    monkeypatch.setattr(analysis, "_patterns", plain_patterns)
    assert quick == run(), seed
    assert sum(count.count for count in quick) >= 1


def plain_about_another(lowered: str, start: int, end: int, places: dict[int, frozenset[int]],
                        sender: int, receiver: int) -> bool:
    """The old `_about_another`: the clause read in one go for one trail (as it was before the
    reading was kept per answer word)."""
    left, right = analysis._clause(lowered, start, end)
    for m in analysis._CAME_OR_WENT.finditer(lowered, left, right):
        at, way = m.end(), m.group("way")
        codes = places.get(at)
        if codes is not None:
            if sender not in codes and receiver not in codes:
                return True
        elif way in ("from", "via"):
            if not analysis._WAYS.match(lowered, at):
                return True
        elif way == "by" and analysis._SOURCES.match(lowered, at):
            return True
    return False


ABOUT_WORDS = ["from", "via", "by", "to", "the", "a", "our", "hospital", "neighbour", "post",
               "email", "today", "duty", "team", "us", "GP", "ASC", "police", "letter received",
               "referral", "referred", "discharge summary", "3", "and", "but", ",", ". ", "\n"]


@pytest.mark.parametrize("seed", range(40))
def test_what_came_or_went_read_once_is_the_plain_reading_for_every_trail(seed):
    rng = random.Random(7000 + seed)
    found = 0
    for _ in range(40):
        text = lowered("".join(rng.choice(ABOUT_WORDS) + rng.choice([" ", " ", "  ", ", "])
                               for _ in range(rng.randint(1, 25))))
        # agencies named after some of the 'from', 'via', 'by', 'to' (and at a few other places)
        ends = [m.end() for m in analysis._CAME_OR_WENT.finditer(text)]
        places = {at: frozenset(rng.sample(range(4), rng.randint(1, 2)))
                  for at in ends + rng.sample(range(len(text) + 1), 2) if rng.random() < 0.6}
        for _ in range(4):
            start = rng.randrange(len(text) + 1)
            end = min(len(text), start + rng.randint(0, 8))
            came_or_went = analysis._came_or_went(text, start, end, places)
            for sender in range(4):
                for receiver in range(4):
                    plain = plain_about_another(text, start, end, places, sender, receiver)
                    assert analysis._about_others(came_or_went, sender, receiver) == plain, (
                        seed, text, start, end, sender, receiver)
                    found += plain
    assert found  # some words are about another, some not


def plain_sent_to(text, lowered, spans, mentions, own, others=None):
    """`_sent_to` as it read before its shortcuts: every check made for every name and every
    referral words, the sentence breaks always listed."""
    a = analysis
    folded = text.casefold()
    if len(folded) != len(text):
        folded = lowered
    found = mentions.found(folded, text)
    if all(own in codes for codes, _, _ in found):
        return []
    breaks = [m.end() for m in a._SENTENCE_END.finditer(lowered)]
    valid = {(start, end) for start, end in spans
             if not a._ARRIVED.match(lowered, end, min(end + 30, len(lowered)))
             and not a._RECEIVED_BEFORE.search(lowered[max(0, start - 30):start])
             and not a._TO_US.match(lowered, end)
             and not a._undone(lowered, start, end)}
    places = {start: (codes, end) for codes, start, end in found}
    by_own = set()
    if valid and "by" in lowered:
        named = {start: codes for codes, start, _ in found}
        nexts = [*(start for start, _ in spans[1:]), len(lowered)]
        for span, following in zip(spans, nexts, strict=True):
            if span in valid:
                whom = a._by_whom(lowered, span[1], following, named, own, others)
                if whom == "other":
                    valid.discard(span)
                elif whom == "own":
                    by_own.add(span)
    valid -= {(start, end) for start, end in valid - by_own
              if a._said_by_other(lowered, start, end, places, own, others)}
    if not valid:
        return []
    subjects = {place for start, end in by_own & valid
                if (place := a._passive_subject(lowered, start, end, places)) is not None}
    names_end = {end: codes for codes, _, end in found}

    def own_service(start):
        if a._OWN_SERVICE_BEFORE.search(folded, max(0, start - 16), start):
            return True
        before = folded[max(0, start - 8):start]
        m = re.search(r"['’]s\s+$", before)
        return m is not None and (start - len(before) + m.start()) in names_end

    sentence_of = [bisect_right(breaks, start) for start, _ in spans]
    result = {}
    for codes, start, end in found:
        wanted = [code for code in sorted(codes) if code not in result] if own not in codes else []
        if (not wanted or start in subjects or own_service(start)
                or a._INCOMING.search(folded[max(0, start - 12):start])
                or a._signposted(folded, start, end) or a._undone(lowered, start, end)):
            continue
        sentence = bisect_right(breaks, start)
        same = [span for span, k in zip(spans, sentence_of, strict=True) if k == sentence]
        left, right = a._clause(lowered, start, end)
        candidates = [span for span in same if left <= span[0] < right] or same
        good = [span for span in candidates if span in valid]
        if not good:
            continue
        near = min(good, key=lambda span: abs(span[0] - start))
        words = a._excerpt(text, min(near[0], start), max(near[1], end))
        for code in wanted:
            result[code] = words
    return list(result.items())


SENT_WORDS = ["received", "letter received from", "by", "by ward", "by daughter", "by the GP",
              "us", "to us", "neighbour", "daughter", "pt", "she", "our", "our own", "hospital's",
              "GP's", "in-house", "from", "from the", "via", "advised to see own", "not made",
              "declined", "previous", "Fire", "fire service"]


@pytest.mark.parametrize("seed", range(40))
def test_sent_to_is_the_plain_reading(seed):
    rng = random.Random(9000 + seed)
    names = [agency.name for agency in AGENCIES] + ["Police"]
    mentions = analysis._Mentions(names, AGENCIES)
    referral = analysis._phrases(VOCABULARY.referral)
    others = analysis._others_pattern(VOCABULARY.others)
    sent = 0
    for _ in range(60):
        words = TRAIL_WORDS + SENT_WORDS
        text = "".join(rng.choice(words if rng.random() < 0.7 else WORDS)
                       + rng.choice([" ", " ", " ", ", ", ". ", "\n", "; "])
                       for _ in range(rng.randint(1, 30)))
        low = lowered(text)
        spans = referral.finditer(text, low)
        for own in range(len(names)):
            for who in (others, None):
                quick = analysis._sent_to(text, low, spans, mentions, own, who)
                assert quick == plain_sent_to(text, low, spans, mentions, own, who), (seed, text)
                sent += bool(quick)
    assert sent > 50  # many texts send something


@pytest.mark.parametrize("seed", range(20))
def test_the_clause_start_and_end_alone_are_those_of_the_clause(seed):
    rng = random.Random(11000 + seed)
    # the random texts, or long runs of words with no break (where the clause's room ends it)
    text = lowered(random_text(rng, 60) if seed % 2 else " ".join(
        rng.choice(["home", "visit", "pt", "seen", "asc", "to", "the", "." if seed % 4 else "a"])
        for _ in range(80)))
    for start in range(len(text) + 1):
        end = min(len(text), start + rng.randint(0, 12))
        assert (analysis._clause_start(text, start), analysis._clause_end(text, end)) == \
            plain_clause(text, start, end), (seed, start, end)


@pytest.mark.parametrize(("answering", "words"), [
    ("No referral received. Home visit.", None),
    ("No referral received. Referral triaged today.", "Referral triaged today"),
    ("Referral not received from hospital. Home visit.", None),
])
def test_a_negated_answer_word_answers_nothing_and_the_next_one_is_read(answering, words):
    """The answer words of an entry are read one by one, each looked at for negation only when
    a trail comes to it: a negated one answers nothing, the next one still may."""
    gp, asc = AGENCIES[0], AGENCIES[1]
    entries = [Entry(agency=gp.name, date=PartialDate(2025, 3, 1), source="Records",
                     event="Referral to ASC.", ref="C0001"),
               Entry(agency=asc.name, date=PartialDate(2025, 3, 3), source="Records",
                     event=answering, ref="C0002")]
    trails = analysis.trails_and_patterns(entries, agencies=AGENCIES, vocabulary=VOCABULARY,
                                          referral_window_days=14).trails
    assert [(trail.from_agency, trail.to_agency) for trail in trails] == [(gp.name, asc.name)]
    assert trails[0].answered is (words is not None)
    assert trails[0].answer_words == (words or "")
