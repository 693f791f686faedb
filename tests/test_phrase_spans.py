"""The one-pass matcher of the referral and pattern words (`_phrase_spans`) finds exactly what
each set's own scan (`_Phrases.finditer`) finds: on generated texts made of the vocabulary's
words, their pieces and capitals, negations, word boundaries and characters not in ASCII."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sarkit.analysis import (
    _NEGATION_AFTER,
    _NEGATION_BEFORE,
    _negated,
    _occurrences,
    _phrase_spans,
    _Phrases,
)
from sarkit.vocabulary import schema_vocabulary

SCHEMA = schema_vocabulary()
SCHEMA_SETS = [SCHEMA.referral, *(words for _, words in SCHEMA.patterns)]
WORDS = sorted({w for words in SCHEMA_SETS for w in words} | {
    "falls", "fal", "fallen", "refer", "preferred", "Referral", "REFERRAL", "ed", "Ed", "dna",
    "(x", "x)", "s.42", "a", "A", "café", "naïve", "e-mailed", "İstanbul", "straße", "ﬁle",
    "no", "not", "never", "did not", "failed to", "not informed", "received from"})
PIECES = [*WORDS, " ", " ", " ", ".", ",", "\n", "\0", "-", "_", "é", "İ", "ß", "1", "x", "’"]


def lowered_of(text: str) -> str:
    """As `_event_texts` lower-cases the joined texts (letter for letter)."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lowered


def expected(text: str, sets: list[list[str]]) -> list[list[tuple[int, int]]]:
    lowered = lowered_of(text)
    return [list(_Phrases(words).finditer(text, lowered)) for words in sets]


texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
word_sets = st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8), min_size=1,
                     max_size=7)


@settings(max_examples=400, deadline=None)
@given(texts, word_sets)
@example("Fell; falls. fallen, fall", [["fall", "falls", "fell"], ["fall", "fallen"]])
@example("ED and Ed ed: A&E, DNA.", [["ED", "A&E"], ["DNA", "did not attend"], ["ed"]])
@example("referral referred preferred refer", [["referral", "refer"], ["referred", "refer"]])
@example("(x) x) s.42 as.42 s42", [["(x", "x)"], ["s.42", "s42"]])
@example("İstanbul café straße ﬁle naïve", [["café", "naïve"], ["a", "e"]])
@example("éa aé a", [["a"]])
def test_one_pass_finds_what_each_scan_finds(text, sets) -> None:
    found = [s for s in (_Phrases(words) for words in sets) if s]
    wanted = [s for s, words in zip(expected(text, sets), sets, strict=True) if _Phrases(words)]
    assert _phrase_spans(text, lowered_of(text), found) == wanted


@settings(max_examples=200, deadline=None)
@given(texts)
def test_the_schema_vocabulary_in_one_pass(text) -> None:
    sets = [_Phrases(words) for words in SCHEMA_SETS]
    assert _phrase_spans(text, lowered_of(text), sets) == expected(text, SCHEMA_SETS)


def test_occurrences_are_the_places_a_word_starts_and_no_word_goes_on_before() -> None:
    assert _occurrences("fall é fall falls xfall", {"fall", "ls"}) == [0, 7, 12]
    assert _occurrences("éa a ?a", {"a"}) == [3, 6]  # 'é' is a letter, '?' is not
    assert _occurrences("(x x(x", {"(x"}) == [0, 4]
    assert _occurrences("no words", set()) == []
    assert _occurrences("café", {"café"}) is None  # not ASCII: the caller searches instead


NEGATIONS = ["no", "No", "NOT", "not", "never", "Never", "without", "nor", "didn't", "DIDN'T",
             "did not", "wasn't", "was not", "were not", "unable to", "failed to", "Failed To",
             "informed", "told", "aware", "been", "İ", "ß", " ", " ", ".", ",", "\n", "GP",
             "referral", "know", "note", "ton"]


def regex_negated(text: str, start: int, end: int) -> bool:
    """`_negated` as it was: both expressions tried everywhere."""
    return bool(_NEGATION_BEFORE.search(text[max(0, start - 60):start].lower())
                or _NEGATION_AFTER.match(text[end:end + 60].lower()))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(NEGATIONS), max_size=30).map("".join), st.data())
@example("no GP", None)
@example("GP was not informed", None)
def test_negations_found_only_where_their_words_are(text, data) -> None:
    if data is None:
        start = text.index("GP")
        end = start + 2
    else:
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, len(text)))
    assert _negated(text, start, end) == regex_negated(text, start, end)
