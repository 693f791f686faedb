"""Headings as agencies really write them: two columns headed alike, Key Event cells in words,
a Service column that names a team, Welsh and bilingual headings, near-copies of aliases."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from conftest import TODAY, write_return
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.intake.combined import read_combined_workbook
from sarkit.refs import content_hash
from sarkit.returns import ReadOptions, read_returns
from sarkit.review import load_review


def read(paths: list[Path], **options: object):
    options.setdefault("agency", "Police")
    options.setdefault("today", TODAY)
    return read_returns(paths, ReadOptions(**options))  # type: ignore[arg-type]


def found(result) -> list[tuple]:
    return [(f.code, f.cell, str(f.severity), f.message) for f in result.findings
            if f.code not in ("action-missing", "practitioner-missing")]


# -- two columns headed alike -------------------------------------------------------------------

NOTES = ["Date", "Source of Information", "Event", "Notes", "Notes"]
DETAILS = ["Date", "Source of Information", "Event", "Details", "Details"]


def test_two_columns_headed_alike_that_match_no_field_are_both_kept(tmp_path):
    path = write_return(tmp_path / "police.xlsx", [["03/03/2025", "Niche", "Attended", "A1", "B1"]],
                        header=NOTES)
    [result] = read([path])
    assert result.entries[0].extras == {"Notes": "A1", "Notes (2)": "B1"}
    assert found(result) == [
        ("unknown-column", "D1", "warning",
         "The column Notes matches no chronology field; it is kept as an extra column."),
        ("unknown-column", "E1", "warning",
         "The column Notes matches no chronology field; it is kept as an extra column named "
         "Notes (2)."),
    ]


def test_a_repeated_field_heading_twice_keeps_both_columns_csv(tmp_path):
    path = write_return(tmp_path / "police.csv", [["03/03/2025", "Niche", "EV", "D-ONE", "D-TWO"]],
                        header=DETAILS)
    [result] = read([path])
    assert result.entries[0].event == "EV"
    assert result.entries[0].extras == {"Details": "D-ONE", "Details (2)": "D-TWO"}
    assert [m for _, _, _, m in found(result)] == [
        "The column Details is not read as the Event / Contact Details, as the column Event gives "
        "it; it is kept as an extra column.",
        "The column Details is not read as the Event / Contact Details, as the column Event gives "
        "it; it is kept as an extra column named Details (2).",
    ]


def test_a_third_alike_heading_and_one_written_with_its_number(tmp_path):
    header = ["Date", "Source", "Event", "Notes", "Notes (2)", "Notes", "Flags", "Flags"]
    path = write_return(tmp_path / "police.xlsx",
                        [["03/03/2025", "Niche", "EV", "n1", "n2", "n3", "f1", "f2"]], header=header)
    [result] = read([path])
    assert result.entries[0].extras == {"Notes": "n1", "Notes (2)": "n2", "Notes (3)": "n3",
                                        "Flags (return)": "f1", "Flags (return) (2)": "f2"}


def test_both_alike_columns_are_in_every_output_and_read_back_unchanged(tmp_path, review_file):
    returns = tmp_path / "returns"
    write_return(returns / "police.xlsx", [["03/03/2025", "Niche", "Attended", "note A", "note B"]],
                 header=NOTES)
    out = tmp_path / "out"
    done = CliRunner().invoke(app, ["collate", str(returns), "--review", str(review_file),
                                    "-o", str(out / "combined.xlsx"), "--also", "csv", "--also",
                                    "json", "--also", "docx", "-q"])
    assert done.exit_code == 1, done.output  # written; ASC and GP sent nothing
    sheet = openpyxl.load_workbook(out / "combined.xlsx")["Chronology"]
    header = [c.value for c in sheet[1]]
    values = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert header[-2:] == ["Notes", "Notes (2)"]
    assert (values["Notes"], values["Notes (2)"]) == ("note A", "note B")
    lines = [t for t in (out / "combined.csv").read_text(encoding="utf-8-sig").splitlines()
             if not t.startswith("#")]
    assert ",Notes,Notes (2),Sort Date" in lines[0] and ",note A,note B," in lines[1]
    [entry] = json.loads((out / "combined.json").read_text(encoding="utf-8"))["entries"]
    assert (entry["Notes"], entry["Notes (2)"]) == ("note A", "note B")
    from docx import Document

    [table] = [t for t in Document(str(out / "combined.docx")).tables if t.rows[0].cells[0].text == "Ref"]
    cells = {h.text: c.text for h, c in zip(table.rows[0].cells, table.rows[1].cells, strict=True)}
    assert (cells["Notes"], cells["Notes (2)"]) == ("note A", "note B")
    [read_back], _ = read_combined_workbook(out / "combined.xlsx")
    [original] = read([returns / "police.xlsx"], review=load_review(review_file)).pop().entries
    assert read_back.extras == {"Notes": "note A", "Notes (2)": "note B"}
    assert content_hash(read_back) == content_hash(original)


# -- Key Event cells in words -------------------------------------------------------------------

KEYED = ["Date", "Source of Information", "Event", "Key event? (Y/N)"]


def test_key_event_cells_in_words_are_read_by_their_first_word_and_kept(tmp_path):
    cells = ["Yes - first disclosure", "maybe", "Ie", "Na", "Nac oes", "No, routine", "N/A", "Y", ""]
    rows = [[f"{day:02d}/03/2025", "Niche", f"Visit {day}", text] for day, text in enumerate(cells, 1)]
    [result] = read([write_return(tmp_path / "police.xlsx", rows, header=KEYED)])
    assert [(e.key_event, e.extras) for e in result.entries] == [
        (True, {"Key Event (as written)": "Yes - first disclosure"}),
        (None, {"Key Event (as written)": "maybe"}),
        (True, {}), (False, {}), (False, {}),
        (False, {"Key Event (as written)": "No, routine"}),
        (None, {}), (True, {}), (None, {}),
    ]
    assert found(result) == [
        ("key-event-words", "D2", "info",
         "The Key event? (Y/N) in row 2 says more than yes or no; it was read as yes from its first "
         "word, and the whole text is kept in the column Key Event (as written)."),
        ("key-event-unclear", "D3", "warning",
         "The Key event? (Y/N) in row 3 is not yes or no, so the entry is not marked as a key "
         "event; the text is kept in the column Key Event (as written)."),
        ("key-event-words", "D7", "info",
         "The Key event? (Y/N) in row 7 says more than yes or no; it was read as no from its first "
         "word, and the whole text is kept in the column Key Event (as written)."),
    ]


def test_key_event_text_column_never_takes_the_name_of_a_return_column(tmp_path):
    header = [*KEYED, "Key Event (as written)"]
    rows = [["03/03/2025", "Niche", "Visit", "maybe", "own text"]]
    [result] = read([write_return(tmp_path / "police.csv", rows, header=header)])
    assert result.entries[0].extras == {"Key Event (as written)": "own text",
                                        "Key Event (as written) (sarkit)": "maybe"}


# -- headings that may or may not name the field ------------------------------------------------

SERVICE = ["Date", "Service", "Source", "Event"]


def test_a_service_column_naming_teams_is_an_extra_column(tmp_path, review_file):
    rows = [["03/03/2025", "District Nursing", "EMIS", "Visit"], ["04/03/2025", "Custody", "Niche", "Arrest"]]
    [result] = read([write_return(tmp_path / "police.xlsx", rows, header=SERVICE)],
                    review=load_review(review_file))
    assert [(e.agency, e.extras) for e in result.entries] == [
        ("Testshire Police", {"Service": "District Nursing"}),
        ("Testshire Police", {"Service": "Custody"})]
    assert result.rejected_rows == 0
    [column] = [f for f in result.findings if f.code == "unknown-column"]
    assert (column.cell, column.message, column.hint) == (
        "B1", "The column Service could be the Agency column, but none of its cells names an agency "
        "of the review (it may name a team within the agency); it is kept as an extra column, not "
        "read as the Agency.",
        'If the column does give the Agency, use --map "Service=agency".')


def test_a_service_column_naming_agencies_of_the_review_is_the_agency_column(tmp_path, review_file):
    rows = [["03/03/2025", "Police", "Niche", "Visit"], ["04/03/2025", "Social care", "Case notes", "Call"],
            ["05/03/2025", "Custody", "Niche", "Arrest"]]
    [result] = read([write_return(tmp_path / "joint.xlsx", rows, header=SERVICE)],
                    review=load_review(review_file), agency=None)
    assert [e.agency for e in result.entries] == ["Testshire Police", "Testshire Adult Social Care"]
    assert [(f.code, f.cell) for f in result.findings if f.code.startswith("agency")] == [
        ("agency-not-listed", "B4")]  # a team among agencies: an error at its cell, never a guess


def test_an_agency_column_wins_over_a_service_column_and_a_map_makes_service_the_agency(
        tmp_path, review_file):
    header = ["Date", "Service", "Agency", "Source", "Event"]
    rows = [["03/03/2025", "Custody", "Police", "Niche", "Arrest"]]
    [result] = read([write_return(tmp_path / "police.xlsx", rows, header=header)],
                    review=load_review(review_file))
    assert (result.entries[0].agency, result.entries[0].extras) == ("Testshire Police",
                                                                    {"Service": "Custody"})
    [result] = read([write_return(tmp_path / "police.xlsx", [["03/03/2025", "Custody", "Niche", "Arrest"]],
                                  header=SERVICE)],
                    review=load_review(review_file), mapping={"service": "agency"})
    assert result.entries == [] and [f.code for f in result.findings if f.severity == "error"] == [
        "agency-not-listed"]


def test_a_key_column_is_the_key_event_only_when_its_cells_say_yes_or_no(tmp_path):
    header = ["Date", "Source", "Event", "Key"]
    coded = [["03/03/2025", "Niche", "Visit", "A3"], ["04/03/2025", "Niche", "Call", "Y"]]
    [result] = read([write_return(tmp_path / "police.xlsx", coded, header=header)])
    assert [(e.key_event, e.extras) for e in result.entries] == [(None, {"Key": "A3"}),
                                                                 (None, {"Key": "Y"})]
    assert [f.message for f in result.findings if f.code == "unknown-column"] == [
        "The column Key could be the Key Event (Y/N) column, but not all of its cells say yes or "
        "no; it is kept as an extra column, not read as the Key Event (Y/N)."]
    flagged = [["03/03/2025", "Niche", "Visit", "Y"], ["04/03/2025", "Niche", "Call", "No"]]
    [result] = read([write_return(tmp_path / "police.xlsx", flagged, header=header)])
    assert [(e.key_event, e.extras) for e in result.entries] == [(True, {}), (False, {})]
    assert not [f for f in result.findings if f.code == "unknown-column"]


# -- Welsh and bilingual headings ---------------------------------------------------------------

BILINGUAL = ["Cyf / Ref", "Dyddiad / Date", "Amser / Time", "Ffynhonnell / Source",
             "Digwyddiad / Event", "Camau a gymerwyd / Action taken", "Ymarferydd / Practitioner",
             "Sylwadau / Comments", "Digwyddiad allweddol / Key event (I/N)"]
WELSH = ["Cyfeirnod", "Dyddiad", "Amser", "Ffynhonnell y wybodaeth", "Manylion y digwyddiad",
         "Cam gweithredu", "Ymarferydd / Rôl", "Dadansoddiad", "Digwyddiad allweddol"]
CELLS = ["R1", "03/03/2025", "14:30", "Niche", "Attended", "Advice", "PC 1", "Note", "Ie"]


def test_bilingual_and_welsh_headings_name_every_field(tmp_path):
    for number, header in enumerate((BILINGUAL, WELSH)):
        [result] = read([write_return(tmp_path / f"police{number}.xlsx", [CELLS], header=header)])
        assert [f.code for f in result.findings] == []
        [e] = result.entries
        assert (e.agency_ref, str(e.date.start), str(e.time), e.source, e.event, e.action,
                e.practitioner, e.analysis, e.key_event, e.extras) == (
            "R1", "2025-03-03", "14:30:00", "Niche", "Attended", "Advice", "PC 1", "Note", True, {})


def test_a_heading_of_two_sides_names_a_field_only_when_the_sides_name_one(tmp_path):
    from sarkit.schema import load_schema

    schema = load_schema()
    assert [schema.match(h) for h in (
        "Amser / Time", "Practitioner name/role", "Analysis / reflection", "Outcome / next steps",
        "Date / Comments", "Notes / Other", "Date of birth / Age", "Service / Gwasanaeth")] == [
        "time", "practitioner", "analysis", "action", None, None, None, "agency"]
    header = ["Date", "Amser / Time", "Source", "Event", "Date / Comments"]
    [result] = read([write_return(tmp_path / "police.csv",
                                  [["03/03/2025", "14:30", "Niche", "Seen", "both"]], header=header)])
    assert (str(result.entries[0].time), result.entries[0].extras) == (
        "14:30:00", {"Date / Comments": "both"})


def test_no_chronology_header_says_which_fields_are_missing_and_counts_the_rows(tmp_path, review_file):
    returns = tmp_path / "returns"
    write_return(returns / "police.xlsx",
                 [["03/03/2025", "Niche", "Attended"], ["04/03/2025", "Niche", "Call"]],
                 header=["Pryd", "Ble", "Beth"])
    [result] = read([returns / "police.xlsx"])
    [missing] = result.findings
    assert missing.message == (
        "No sheet has a chronology header row in its first 30 rows (visible sheets: Chronology). "
        "The rows that look like headings are: sheet Chronology row 1: Pryd, Ble, Beth. Row 1 of the "
        "sheet Chronology has no heading naming the Date, Source of Information and Event / Contact "
        "Details columns, which a chronology must have; the 2 rows under it were not read and are "
        "counted as rejected.")
    assert (result.data_rows, result.rejected_rows) == (2, 2)
    done = CliRunner().invoke(app, ["collate", str(returns), "--review", str(review_file),
                                    "-o", str(tmp_path / "out" / "combined.xlsx")])
    assert "0 entries in the chronology, 2 of 2 rows rejected (2 in 1 unusable file)" in done.output


# -- near-copies of aliases ---------------------------------------------------------------------

def test_common_near_copies_of_aliases_name_their_fields(tmp_path):
    header = ["Date", "Source", "Summary of involvement", "Name and role of worker",
              "Analysis / reflection", "Agency response"]
    [result] = read([write_return(tmp_path / "police.xlsx",
                                  [["03/03/2025", "Niche", "Visit", "PC 1", "refl", "resp"]], header=header)])
    [e] = result.entries
    assert (e.event, e.practitioner, e.analysis, e.action, e.extras) == ("Visit", "PC 1", "refl", "resp", {})
    assert result.findings == []


def test_words_of_an_alias_in_another_order_get_a_did_you_mean(tmp_path):
    header = ["Date", "Source", "Involvement summary", "Role and name of staff", "Time of start",
              "Contact type"]
    cells = ["03/03/2025", "Niche", "Visit", "PC 1", "10:00", "Phone"]
    [result] = read([write_return(tmp_path / "police.xlsx", [cells], header=header)])
    assert [f.code for f in result.findings if f.severity == "error"] == ["missing-column"]
    assert [(f.cell, f.hint) for f in result.findings if f.code == "unknown-column"] == [
        ("C1", 'Did you mean "Event / Contact Details"? Rename the heading, or use '
               '--map "Involvement summary=event".'),
        ("D1", 'Did you mean "Practitioner / Role"? Rename the heading, or use '
               '--map "Role and name of staff=practitioner".'),
        ("E1", 'Did you mean "Time"? Rename the heading, or use --map "Time of start=time".'),
        ("F1", "Rename the heading to one from the Appendix 8b template if it is one of them, or "
               'map it with --map "HEADING=field".'),  # other words, not a near-miss
    ]


def test_a_service_provider_column_naming_agencies_of_the_review_is_the_agency_column(
        tmp_path, review_file):
    header = ["Date", "Service provider", "Source", "Event"]
    rows = [["03/03/2025", "Testshire Police", "Niche", "Visit"], ["04/03/2025", "Police", "Niche", "Call"]]
    [result] = read([write_return(tmp_path / "joint.xlsx", rows, header=header)],
                    review=load_review(review_file), agency=None)
    assert [e.agency for e in result.entries] == ["Testshire Police", "Testshire Police"]
    assert (result.rejected_rows, [f.code for f in result.findings if f.code != "action-missing"
                                   and f.code != "practitioner-missing"]) == (0, [])


def test_agency_unknown_names_the_agency_like_column_that_was_not_taken(tmp_path, review_file):
    header = ["Date", "Service provider", "Source", "Event"]
    rows = [["03/03/2025", "District Nursing", "EMIS", "Visit"]]
    [result] = read([write_return(tmp_path / "joint.xlsx", rows, header=header)],
                    review=load_review(review_file), agency=None)
    [unknown] = [f for f in result.findings if f.code == "agency-unknown"]
    assert (unknown.message, unknown.hint, result.rejected_rows) == (
        "No agency could be determined for this return (no Details sheet 'Agency:', no matching files "
        "pattern in review.toml, no --agency); the column Service provider was not read as the Agency "
        "column.",
        'If it gives each row\'s agency, use --map "Service provider=agency" and make sure review.toml '
        "lists the agencies it names.", 1)
    [result] = read([write_return(tmp_path / "joint.xlsx", rows, header=["Date", "Team", "Source", "Event"])],
                    review=load_review(review_file), agency=None)
    [unknown] = [f for f in result.findings if f.code == "agency-unknown"]
    assert (unknown.message, unknown.hint) == (
        "No agency could be determined for this return (no Details sheet 'Agency:', no Agency column, "
        "no matching files pattern in review.toml, no --agency).",
        "Fill in 'Agency:' on the Details sheet, add an Agency column, list the file in review.toml, or "
        "give --agency NAME.")


def test_a_significant_event_column_of_yes_and_no_is_the_key_event_not_the_event(tmp_path):
    for heading in ("Significant event?", "Significant Event"):
        for header in (["Date", "Source", "Event", heading], ["Date", "Source", heading, "Event"]):
            rows = [[f"0{day}/03/2025", "Niche", f"Visit {day}", answer]
                    for day, answer in ((3, "Yes"), (4, "No"), (5, ""), (6, "?"))]
            if header[2] == heading:
                rows = [[d, s, k, e] for d, s, e, k in rows]
            [result] = read([write_return(tmp_path / "police.xlsx", rows, header=header)])
            assert [(e.event, e.key_event, e.extras) for e in result.entries] == [
                ("Visit 3", True, {}), ("Visit 4", False, {}), ("Visit 5", None, {}),
                ("Visit 6", None, {"Key Event (as written)": "?"})]
            assert [code for code, *_ in found(result)] == ["key-event-unclear"]


def test_a_significant_event_column_of_words_stays_an_extra_column_saying_which_field_repeats(tmp_path):
    rows = [["03/03/2025", "Niche", "Visit", "No contact made"], ["04/03/2025", "Niche", "Call", "Yes"]]
    [result] = read([write_return(tmp_path / "police.xlsx", rows,
                                  header=["Date", "Source", "Event", "Significant Event"])])
    assert [(e.key_event, e.extras) for e in result.entries] == [
        (None, {"Significant Event": "No contact made"}), (None, {"Significant Event": "Yes"})]
    assert [message for *_, message in found(result)] == [
        "The column Significant Event is not read as the Event / Contact Details, as the column Event "
        "gives it; it is kept as an extra column."]


def test_a_key_event_of_question_marks_is_unclear_and_kept(tmp_path):
    rows = [["03/03/2025", "Niche", f"Visit {mark}", mark] for mark in ("?", "??", " ? ")]
    [result] = read([write_return(tmp_path / "police.xlsx", rows,
                                  header=["Date", "Source", "Event", "Key Event"])])
    assert [(e.key_event, e.extras) for e in result.entries] == [
        (None, {"Key Event (as written)": "?"}), (None, {"Key Event (as written)": "??"}),
        (None, {"Key Event (as written)": "?"})]
    assert [(code, cell, severity) for code, cell, severity, _ in found(result)] == [
        ("key-event-unclear", "D2", "warning"), ("key-event-unclear", "D3", "warning"),
        ("key-event-unclear", "D4", "warning")]


def test_a_repeated_heading_is_numbered_with_a_name_no_heading_of_the_return_uses(tmp_path):
    header = ["Date", "Source of Information", "Event", "Notes", "Notes", "Notes (2)"]
    path = write_return(tmp_path / "police.xlsx", [["03/03/2025", "Niche", "Attended", "A", "B", "C"]],
                        header=header)
    [result] = read([path])
    assert result.entries[0].extras == {"Notes": "A", "Notes (3)": "B", "Notes (2)": "C"}
    assert [message for *_, message in found(result)][1] == (
        "The column Notes matches no chronology field; it is kept as an extra column named Notes (3).")


def test_a_heading_is_read_by_its_sides_only_when_no_other_column_gives_that_field(tmp_path):
    header = ["Date / Time", "Source", "Event", "Time / Duration"]
    rows = [["03/03/2025 10:15", "Niche", "Visit", "45 mins"]]
    [result] = read([write_return(tmp_path / "police.xlsx", rows, header=header)])
    [e] = result.entries
    assert (str(e.time), e.extras) == ("10:15:00", {"Time / Duration": "45 mins"})
    assert found(result) == [(
        "unknown-column", "D1", "warning",
        "The column Time / Duration is not read as the Time, as the column Date / Time gives it; it is "
        "kept as an extra column.")]
    header = ["Date", "Source", "Event", "Time / Duration"]
    [result] = read([write_return(tmp_path / "police.xlsx", [["03/03/2025", "Niche", "Visit", "10:15"]],
                                  header=header)])
    assert (str(result.entries[0].time), result.entries[0].extras, found(result)) == ("10:15:00", {}, [])


def test_an_event_column_of_short_texts_that_read_as_yes_stays_the_event(tmp_path):
    rows = [["03/03/2025", "Niche", "X"], ["04/03/2025", "Niche", "Y"]]
    [result] = read([write_return(tmp_path / "police.xlsx", rows, header=["Date", "Source", "Event"])])
    assert [(e.event, e.key_event) for e in result.entries] == [("X", None), ("Y", None)]
