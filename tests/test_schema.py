"""Header matching: case, spaces and punctuation ignored; variants, hints, --map, a Board's schema."""

from __future__ import annotations

import pytest

from sarkit.errors import SarkitError
from sarkit.schema import find_header_row, load_schema, normalise_header

SCHEMA = load_schema()


@pytest.mark.parametrize(("header", "key"), [
    ("Date", "date"), ("DATE OF CONTACT", "date"), ("date/time", "date"),
    ("Date and Time", "date"), ("Date (dd/mm/yyyy)", "date"), ("Start Time", "time"),
    ("Time [24h]", "time"), ("Date To", "end_date"), ("Source of Info", "source"),
    ("Source of Information (e.g. GP record)", "source"), ("Details of Contact", "event"),
    ("Event / Contact Details", "event"), ("what happened", "event"), ("Outcome", "action"),
    ("Staff Name & Role", "practitioner"), ("Staff Name and Role", "practitioner"),
    ("Crew/Role", "practitioner"), ("Significance", "analysis"), ("Key Event (Y/N)", "key_event"),
    ("Organisation", "agency"), ("Entry No.", "ref"), ("  event  ref ", "ref"),
    ("Risk level", None), ("", None), (None, None),
])
def test_header_variants(header, key):
    assert SCHEMA.match(header) == key


def test_normalise_header():
    assert normalise_header(" Staff Name & Role ") == "staffnameandrole"
    assert normalise_header("Event/Contact-Details") == "eventcontactdetails"


def test_did_you_mean():
    assert SCHEMA.suggest("Practioner").key == "practitioner"
    assert SCHEMA.suggest("Evnt Details").key == "event"
    assert SCHEMA.suggest("Risk level") is None


def test_map_option():
    mapping = SCHEMA.parse_mapping(["When=date", "What was done = action"])
    assert SCHEMA.match("when", mapping) == "date"
    assert SCHEMA.match("What was done", mapping) == "action"
    with pytest.raises(SarkitError, match="not of the form"):
        SCHEMA.parse_mapping(["When"])
    with pytest.raises(SarkitError, match="not of the form"):
        SCHEMA.parse_mapping(["When=nonsense"])


def test_header_row_found_below_title_and_details_block():
    rows = [
        ["Appendix 8b — single agency chronology"],
        [],
        ["Agency:", "Northshire Police"],
        ["Author:", "DS Example"],
        ["Date", "Time", "Source", "Details", "Outcome", "Staff"],
        ["03/03/2025", "10:00", "Log", "Visit", "None", "PC"],
    ]
    match = find_header_row(rows, SCHEMA)
    assert match.row_index == 4
    assert match.columns == {0: "date", 1: "time", 2: "source", 3: "event", 4: "action",
                             5: "practitioner"}


def test_header_beyond_row_30_is_not_searched():
    rows = [[f"note {i}"] for i in range(30)] + [["Date", "Source", "Event"]]
    assert find_header_row(rows, SCHEMA) is None


def test_first_column_for_a_field_wins_and_the_repeat_is_extra():
    match = find_header_row([["Date", "Event", "Source", "Date of Contact"]], SCHEMA)
    assert match.columns == {0: "date", 1: "event", 2: "source"}
    assert match.extras == {3: "Date of Contact"}


def test_board_schema_variant(tmp_path):
    board = tmp_path / "board.toml"
    board.write_text(
        '[schema]\nname = "Board variant"\n'
        '[[fields]]\nkey = "date"\nheading = "When"\ntype = "date"\nrule = "required"\n'
        '[[fields]]\nkey = "source"\nheading = "From"\nrule = "required"\n'
        '[[fields]]\nkey = "event"\nheading = "What"\nrule = "required"\n'
    )
    schema = load_schema(board)
    assert schema.name == "Board variant" and schema.match("when") == "date"
    bad = tmp_path / "bad.toml"
    bad.write_text('[[fields]]\nkey = "date"\nheading = "When"\ntype = "colour"\n')
    with pytest.raises(SarkitError, match="unknown type or rule"):
        load_schema(bad)
