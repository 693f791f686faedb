"""review.toml: loading with a sentence per mistake, agency lookup by name, short name, alias."""

from __future__ import annotations

import datetime as dt

import pytest

from sarkit.errors import SarkitError
from sarkit.review import Review, find_review, load_review


def write(tmp_path, text: str):
    path = tmp_path / "review.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_every_setting(review_file):
    review = load_review(review_file)
    assert (review.reference, review.subject, review.marking) == (
        "SAR-TEST-1", "Adult T", "OFFICIAL-SENSITIVE")
    assert (review.period_start, review.period_end) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert [a.label for a in review.agencies] == ["Police", "ASC", "GP"]
    assert review.find_agency("pc").name == "Testshire Police"  # alias "PC " (spaces ignored)
    assert review.find_agency("Social Care").name == "Testshire Adult Social Care"
    assert review.find_agency("Hill-Surgery").name == "Hill Surgery"
    assert review.find_agency("Fire Service") is None
    assert review.agency_for_file("NORTH-POLICE-return.xlsx").label == "Police"


@pytest.mark.parametrize(("text", "message"), [
    ('[review]\ncolour = "red"\n', "[review] has an unknown key: colour"),
    ("[reveiw]\n", "the top level has an unknown key: reveiw"),
    ("[review]\nperiod_start = 2025-02-01\nperiod_end = 2025-01-01\n", "period_end is before"),
    ('[review]\nperiod_start = "01/02/2025"\n', "period_start is not a date"),
    ("[analysis]\ngap_days = 0\n", "gap_days must be a whole number of at least 1"),
    ('[[agencies]]\nshort = "X"\n', "agency 1 has no name"),
    ('[[agencies]]\nname = "A"\n[[agencies]]\nname = "a"\n', "listed twice"),
    ('[review]\nreference = "X\n', "not valid TOML"),
])
def test_mistakes_are_sentences(tmp_path, text, message):
    with pytest.raises(SarkitError) as caught:
        load_review(write(tmp_path, text))
    assert message in str(caught.value)


def test_works_without_a_review_file(tmp_path):
    review = find_review(cwd=tmp_path)
    assert isinstance(review, Review) and review.path is None and review.agencies == []
    with pytest.raises(SarkitError, match="There is no review file"):
        find_review(tmp_path / "missing.toml")
