"""Header matching: case, spaces and punctuation ignored; variants, hints, --map, a Board's schema."""

from __future__ import annotations

import pytest

from sarkit.errors import SarkitError
from sarkit.schema import Conflict, find_header_row, load_schema, normalise_header

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


def test_first_column_for_a_text_field_wins_and_the_repeat_is_extra():
    match = find_header_row([["Date", "Event", "Source", "Record"]], SCHEMA)
    assert match.columns == {0: "date", 1: "event", 2: "source"}
    assert match.extras == {3: "Record"} and match.conflicts == []


def test_two_columns_naming_the_date_equally_give_no_date_column():
    # (tests/test_date_columns.py has what a return with them reports)
    match = find_header_row([["Date", "Event", "Source", "Date of Contact"]], SCHEMA)
    assert match.columns == {1: "event", 2: "source"}
    assert match.extras == {0: "Date", 3: "Date of Contact"}
    assert match.ambiguous == [Conflict("date", None, (0, 3))] and match.score == 3


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


@pytest.mark.parametrize(("header", "key"), [
    ("Outcome/Action", "action"), ("Action/Outcome", "action"), ("Analysis/Comment", "analysis"),
    ("Name and designation of staff", "practitioner"), ("Summary of contact", "event"),
    ("Details of contact/event", "event"), ("Staff member and role", "practitioner"),
    ("Significance", "analysis"), ("Significant", "key_event"), ("Date/Time", "date"),
    ("Date of contact/event", "date"), ("Contact Date", "date"), ("Contact Time", "time"),
    ("Significant Event (Y/N)", "key_event"), ("Significant Event", "event"),
    ("Type of contact", None), ("Contact type", None), ("Nature of contact", None),
])
def test_headings_agencies_use(header, key):
    assert SCHEMA.match(header) == key


def test_no_heading_variant_means_two_fields():
    """Every variant of the packaged schema names one field ('Significance' is not 'Significant')."""
    import tomllib
    from importlib import resources

    data = tomllib.loads(resources.files("sarkit").joinpath("schemas/appendix-8b.toml").read_text())
    owner: dict[str, str] = {}
    for f in data["fields"]:
        for variant in (f["key"], f["heading"], *f.get("aliases", [])):
            assert owner.setdefault(normalise_header(variant), f["key"]) == f["key"], variant


@pytest.mark.parametrize("heading", ["Contact type", "Type of contact", "Nature of contact",
                                     "Contact Tipe", "Date of Birth", "NHS Number", "Risk level"])
def test_did_you_mean_only_for_a_misspelling(heading):
    assert SCHEMA.suggest(heading) is None


def test_did_you_mean_never_a_field_already_given():
    assert SCHEMA.suggest("Practioner").key == "practitioner"
    assert SCHEMA.suggest("Practioner", exclude={"practitioner"}) is None
    assert SCHEMA.suggest("Sourse of Informaton").key == "source"


def test_check_mapping_names_the_wrong_field():
    assert SCHEMA.check_mapping({"When": "date", "Who": "Practitioner / Role"}, "review.toml") == {
        "when": "date", "who": "practitioner"}
    with pytest.raises(SarkitError) as caught:
        SCHEMA.check_mapping({"When": "dat"}, "review.toml [map]")
    assert str(caught.value).startswith(
        'In review.toml [map], the heading "When" is mapped to "dat", which is not a chronology field.')
    assert caught.value.hint == "Fields are: " + ", ".join(SCHEMA.keys) + "."


# --------------------------------------------------------------------------------------------
# Two-row headers


def test_group_title_over_sub_headings_reads_as_one_heading():
    rows = [["Contact", None, "Source", "Details"], ["Date", "Time", None, None], ["03/03/2025"]]
    match = find_header_row(rows, SCHEMA, merged=[(0, 0, 0, 1)])
    assert (match.row_index, match.upper_index) == (1, 0)
    assert match.columns == {0: "date", 1: "time", 2: "source", 3: "event"}
    assert match.headers == {0: "Contact Date", 1: "Contact Time", 2: "Source", 3: "Details"}


def test_title_stretches_over_blank_cells_only_when_given_no_merges():
    rows = [["Contact", None, "Source", "Details"], ["Date", "Time", None, None]]
    assert find_header_row(rows, SCHEMA).headers[1] == "Contact Time"
    assert find_header_row(rows, SCHEMA, merged=[]).headers[1] == "Time"


def test_heading_words_split_over_two_rows():
    rows = [["Date", "Source of", "Event /", "Action"], [None, "Information", "Contact Details", None]]
    match = find_header_row(rows, SCHEMA)
    assert (match.row_index, match.upper_index) == (1, 0)
    assert match.columns == {0: "date", 1: "source", 2: "event", 3: "action"}


def test_a_header_and_its_first_row_are_not_read_together():
    rows = [["Date", "Source", "Event"], ["Unknown", "Case notes", "Home visit"]]
    match = find_header_row(rows, SCHEMA)
    assert (match.row_index, match.upper_index) == (0, None)


def test_a_details_block_is_not_part_of_the_header():
    rows = [["Agency:", "Police"], ["When", "Who", "What happened"]]
    assert find_header_row(rows, SCHEMA) is None


def test_a_data_row_is_never_taken_for_the_header_of_a_return_sent_without_one(tmp_path) -> None:
    """Issue 15: a return with no header row whose first entry holds two heading words."""
    from conftest import write_return

    from sarkit.returns import ReadOptions, read_returns

    first = ["03/03/2025", "Police", "Staff", "Comments", "Mr Example of 1 Sample Street", "Visit"]
    path = write_return(tmp_path / "police.xlsx", [["04/03/2025", "Log", "Notes", "Call", "Name",
                                                    "Advice"]], header=first)
    [result] = read_returns([path], ReadOptions(agency="Police"))
    assert [f.code for f in result.findings] == ["no-chronology-sheet"]
    text = " ".join(f"{f.message} {f.hint}" for f in result.findings)
    assert "Sample Street" not in text and "Mr Example" not in text
