"""review.toml: loading with a sentence per mistake, agency lookup by name, short name, alias."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sarkit.errors import SarkitError
from sarkit.findings import Severity
from sarkit.review import Review, add_mappings, find_review, load_review


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


def test_map_tables_for_every_return_and_for_one_agency(tmp_path):
    review = load_review(write(tmp_path, (
        '[map]\n"When" = "date"\n\n[[agencies]]\nname = "Police"\nmap = { "Log" = "source" }\n'
        '[[agencies]]\nname = "GP"\n')))
    assert review.mapping == {"When": "date"}
    assert [a.mapping for a in review.agencies] == [{"Log": "source"}, {}]


@pytest.mark.parametrize(("text", "message"), [
    ('map = "When=date"\n', "In {path}, map must map headings to fields, each in quotes."),
    ("[map]\nWhen = 3\n", "In {path}, map must map headings to fields, each in quotes."),
    ('[[agencies]]\nname = "Police"\nmap = ["When"]\n',
     "In {path} (agency Police), map must map headings to fields, each in quotes."),
    ('[[agencies]]\nname = "Police"\nmapping = {}\n',
     "In {path} (agency 1), [agencies] has an unknown key: mapping."),
])
def test_map_mistakes_are_sentences(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(SarkitError) as caught:
        load_review(path)
    assert str(caught.value).startswith(message.format(path=path))


REVIEW_TEXT = """# Our review: keep this comment
[review]
reference = "SAR-1"   # the Board's reference

[[agencies]]
name = "Police"
"""


def test_add_mappings_appends_a_map_table_and_keeps_everything_else():
    text = add_mappings(REVIEW_TEXT, {"When": "date", 'Who "did" it': "practitioner"})
    assert text == REVIEW_TEXT + (
        "\n[map]                               # headings mapped to fields by hand\n"
        '"When" = "date"\n"Who \\"did\\" it" = "practitioner"\n')


def test_add_mappings_merges_into_an_existing_map_table():
    text = REVIEW_TEXT.replace("[[agencies]]", '[map]  # ours\nWHEN = "source"\nLog = "source"\n\n'
                               "[[agencies]]")
    assert add_mappings(text, {"when": "date", "Staff": "practitioner"}) == REVIEW_TEXT.replace(
        "[[agencies]]", '[map]  # ours\nWHEN = "date"\nLog = "source"\n"Staff" = "practitioner"\n\n'
        "[[agencies]]")


def test_add_mappings_refuses_what_it_cannot_edit_safely():
    with pytest.raises(SarkitError, match="cannot edit safely") as caught:
        add_mappings('map = { "Log" = "source" }\n', {"When": "date"})
    assert caught.value.hint == 'Add these lines under [map] by hand: "When" = "date"'


def test_a_file_name_matching_two_agencies_is_an_error_naming_both(tmp_path, review_file):
    """'police-and-asc-joint-notes.xlsx' fits *police* and *asc*: no agency is guessed, its rows
    are kept out and an error says why; a name fitting one pattern, or a return that names its
    agency, gets no such finding."""
    from conftest import row, write_return

    from sarkit.returns import ReadOptions, read_returns

    review = load_review(review_file)
    joint = write_return(tmp_path / "returns" / "police-and-asc-joint-notes.xlsx", [row()])
    plain = write_return(tmp_path / "returns" / "police-notes.xlsx", [row(event="Other visit")])
    named = write_return(tmp_path / "returns" / "police-and-asc-named.xlsx", [row(event="Third")],
                         details={"Agency:": "Testshire Adult Social Care"})
    results = {Path(r.path).name: r for r in read_returns([joint, plain, named],
                                                          ReadOptions(review=review))}
    joint_result = results["police-and-asc-joint-notes.xlsx"]
    assert (joint_result.agency, joint_result.entries, joint_result.rejected_rows) == (None, [], 1)
    [error] = [f for f in joint_result.findings if f.code == "agency-ambiguous"]
    assert error.severity == Severity.ERROR
    assert error.message == (
        "The return does not say its agency, and its file name matches the files patterns of 2 "
        "agencies in review.toml (Testshire Police and Testshire Adult Social Care); no agency is "
        "guessed, so none of its rows is put under any agency.")
    assert not [f for f in joint_result.findings if f.code == "agency-unknown"]
    assert not [f for f in results["police-notes.xlsx"].findings if f.code == "agency-ambiguous"]
    named_result = results["police-and-asc-named.xlsx"]
    assert named_result.agency == "Testshire Adult Social Care"
    assert not [f for f in named_result.findings if f.code == "agency-ambiguous"]


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_a_files_pattern_matches_a_file_name_in_either_unicode_form(form):
    """'Ynys Môn chronology.xlsx' stored decomposed (NFD, as macOS and unzip write it) matches
    the pattern as the composed name does, whichever form the pattern was typed in."""
    import unicodedata

    from sarkit.review import Agency, Review

    for pattern_form in ("NFC", "NFD"):
        review = Review(agencies=[Agency(name="Cyngor Sir Ynys Môn", short="Môn",
                                         files=[unicodedata.normalize(pattern_form, "*ynys môn*")])])
        name = unicodedata.normalize(form, "Ynys Môn chronology.xlsx")
        assert [a.name for a in review.agencies_for_file(name)] == ["Cyngor Sir Ynys Môn"]
    assert Review(agencies=[Agency(name="Cyngor Sir Ynys Môn", files=["*ynys mon*"])]
                  ).agencies_for_file(unicodedata.normalize(form, "Ynys Môn chronology.xlsx")) == []
