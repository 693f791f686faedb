"""Possible identifiers the pseudonyms missed: the scan, its findings on every read (every
format), the allow-list, --suggest-pseudonyms, the closing account and --redact in every output.

Every planted value is fictional: NHS numbers in the 999 test range, Ofcom drama numbers
(07700 900xxx, 0113 496 0xxx), the non-geographic postcode LS99 9ZZ, example.org addresses.
"""

from __future__ import annotations

import json
import re
import time
import zipfile
from pathlib import Path

import pytest
from conftest import row, write_return
from corpus import docx_bytes, eml_bytes
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.identifiers import Scanner, add_pseudonym_suggestions, nhs_number_valid, redact

runner = CliRunner()

NHS = "999 000 0018"  # valid check digit
NHS_BAD = "999 000 0019"  # wrong check digit: not flagged
NI = "AB 12 34 56 C"
POSTCODE = "LS99 9ZZ"
MOBILE = "07700 900123"
LANDLINE = "0113 496 0456"
INTERNATIONAL = "+44 7700 900789"
EMAIL = "jo.relative@example.org"
BIRTH = "14/02/1961"
NEIGHBOUR = "Kettle"
PLANTED = [NHS, NI, POSTCODE, MOBILE, LANDLINE, INTERNATIONAL, EMAIL, BIRTH, NEIGHBOUR,
           "9990000018", "AB123456C", "07700900123", "jo.relative"]


def kinds(text: str, scanner: Scanner | None = None) -> list[tuple[str, str]]:
    return [(h.kind, h.value) for h in (scanner or Scanner()).scan(text)]


# ---- the scan ---------------------------------------------------------------------------------


def test_every_kind_is_found_with_its_text():
    text = (f"NHS {NHS}, NI {NI}, lives at 4 Any Road {POSTCODE}; mobile {MOBILE}, home "
            f"{LANDLINE}, daughter {INTERNATIONAL}, email {EMAIL}. DOB {BIRTH}. "
            f"Neighbour Mrs J. {NEIGHBOUR} called.")
    assert kinds(text) == [("nhs", NHS), ("ni", NI), ("postcode", POSTCODE), ("phone", MOBILE),
                           ("phone", LANDLINE), ("phone", INTERNATIONAL), ("email", EMAIL),
                           ("dob", BIRTH), ("name", f"J. {NEIGHBOUR}")]


@pytest.mark.parametrize("text, found", [
    ("9990000018", [("nhs", "9990000018")]),
    ("999-000-0018", [("nhs", "999-000-0018")]),
    ("999 000 0019", []),  # check digit wrong
    ("9990000019", []),
    ("999 0000018", []),  # mixed spacing is not an NHS number's
    ("Ref 1234567890", []),  # a random 10-digit number fails the check
    ("AB123456C", [("ni", "AB123456C")]),
    ("QQ123456C", []),  # Q is never a first prefix letter
    ("BG123456A", []), ("GB123456A", []), ("NK123456A", []), ("TN123456A", []), ("ZZ123456A", []),
    ("AO123456A", []),  # O is never a second prefix letter
    ("AB123456E", []),  # suffix is A-D
    ("SW1A 1AA and M1 1AA", [("postcode", "SW1A 1AA"), ("postcode", "M1 1AA")]),
    ("LS99", []),  # an outward code alone is not a full postcode
    ("(0113) 496 0456", [("phone", "(0113) 496 0456")]),
    ("+44 (0)113 496 0456", [("phone", "+44 (0)113 496 0456")]),
    ("44 7700 900123", []),  # 44 without the + is not a UK number
    ("at 14:30 on 12/05/2024", []),
    ("born on 3rd March 1948", [("dob", "3rd March 1948")]),
    ("Date of birth: 4.5.61", [("dob", "4.5.61")]),
    ("seen on 4.5.61", []),  # a date with no words of birth near it
    ("Dr Patel and Mr John Smith", [("name", "Patel"), ("name", "John Smith")]),
    ("Mr B and Mrs X", []),  # single letters are pseudonyms, not names
    ("mr smith", []),
])
def test_patterns(text, found):
    assert kinds(text) == found


def test_nhs_check_digit():
    assert nhs_number_valid("9990000018") and nhs_number_valid("9434765919")
    assert not nhs_number_valid("9434765918") and not nhs_number_valid("999000001")


def test_allow_list_pseudonyms_and_practitioners_are_not_hits():
    scanner = Scanner(allow=["0113 496 0000", "LS99 9ZZ"], known_names=["Jane Example", "Adult B"])
    text = "Switchboard 0113 496 0000, ward at LS99 9ZZ, Mrs Example and Dr Patel"
    assert kinds(text, scanner) == [("name", "Patel")]
    assert kinds(text, scanner.with_names(["Dr Patel (GP)"])) == []
    assert kinds("switchboard 01134960000", scanner) == []  # spacing ignored
    assert kinds("Dr Patel and Dr Jones", Scanner(allow=["Dr Patel"])) == [("name", "Jones")]


def test_redact_replaces_each_hit_by_its_kind():
    text = f"Call {MOBILE} or email {EMAIL}; NHS {NHS}; Mrs {NEIGHBOUR}."
    assert redact(text, Scanner().scan(text)) == (
        "Call [phone] or email [email]; NHS [NHS number]; Mrs [name].")


ADVERSARIAL = ["1" * 1_000_000, "1 " * 500_000, "a@" * 500_000, "@" + "a." * 500_000,
               "a" * 1_000_000 + "@", "Mr " * 300_000, "DOB " * 250_000, "AB12" * 250_000,
               "0" + " 1" * 500_000, "+44" * 300_000, ("a" * 63 + ".") * 15_000 + "@x"]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=lambda t: repr(t[:8]))
def test_pathological_cells_scan_in_linear_time(text):
    """A guard against catastrophic backtracking, not a speed claim: a million characters
    scanned in quadratic time take hours, in linear time under a second. CPU time, with a wide
    margin, so that a busy machine does not fail it."""
    started = time.process_time()
    Scanner().scan(text)
    assert time.process_time() - started < 30


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="0123456789 +-()@.ABDLMNSZabdorvhtf:/", min_size=1, max_size=40),
       st.integers(min_value=200, max_value=4000))
def test_long_repeated_fragments_never_backtrack(fragment, times):
    text = fragment * times
    started = time.process_time()  # a backtracking guard, as above
    hits = Scanner().scan(text)
    assert time.process_time() - started < 10
    assert all(text[h.start:h.end] == h.value for h in hits)


# ---- findings on every read --------------------------------------------------------------------

EVENT = f"Daughter rang from {MOBILE}; NHS {NHS} (not {NHS_BAD}); Mrs {NEIGHBOUR} next door"
ACTION = f"Letter to {POSTCODE}, copy to {EMAIL}"
EXPECTED = [("D2", "Event / Contact Details", "an NHS number"),
            ("D2", "Event / Contact Details", "a phone number"),
            ("D2", "Event / Contact Details", "a name after a title"),
            ("E2", "Action Taken / Outcome", "a postcode"),
            ("E2", "Action Taken / Outcome", "an email address"),
            ("D3", "Event / Contact Details", "a National Insurance number"),
            ("D3", "Event / Contact Details", "2 phone numbers"),
            ("D3", "Event / Contact Details", "a date of birth")]


def planted_rows() -> list[list[object]]:
    return [row(event=EVENT, action=ACTION, practitioner="Dr Patel, GP"),
            row(day="04/03/2025", event=f"NI {NI}; DOB {BIRTH}; {LANDLINE} or {INTERNATIONAL}; "
                f"seen by Dr Patel", action="None", practitioner="Dr Patel, GP")]


def identifier_findings(*args: str) -> list[list[dict]]:
    result = runner.invoke(app, ["validate", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return [[f for f in entry["findings"] if f["code"] == "possible-identifier"]
            for entry in json.loads(result.stdout)["files"]]


def test_xlsx_findings_name_the_cell_and_kind_never_the_value(tmp_path):
    path = write_return(tmp_path / "police.xlsx", planted_rows())
    [found] = identifier_findings(str(path), "--agency", "Police")
    assert [(f["cell"], f["column"], f["severity"]) for f in found] == [
        (cell, column, "warning") for cell, column, _ in EXPECTED]
    assert [f["message"] for f in found] == [
        f"Cell {cell} ({column}) may hold {kind}; check it before the chronology is circulated."
        for cell, column, kind in EXPECTED]
    assert not any(value in json.dumps(found) for value in PLANTED)


def test_show_values_quotes_the_values(tmp_path):
    path = write_return(tmp_path / "police.xlsx", planted_rows())
    [found] = identifier_findings(str(path), "--agency", "Police", "--show-values")
    assert found[1]["message"] == (f'Cell D2 (Event / Contact Details) may hold a phone number '
                                   f'("{MOBILE}"); check it before the chronology is circulated.')
    assert found[-2]["message"].startswith(
        f'Cell D3 (Event / Contact Details) may hold 2 phone numbers ("{LANDLINE}", '
        f'"{INTERNATIONAL}")')


def test_csv_findings(tmp_path):
    path = write_return(tmp_path / "police.csv", planted_rows())
    [found] = identifier_findings(str(path), "--agency", "Police")
    assert [(f["cell"], f["column"]) for f in found] == [(c, h) for c, h, _ in EXPECTED]


def test_word_findings_name_row_and_column(tmp_path):
    rows = [r[:5] + [r[5]] for r in planted_rows()]
    path = tmp_path / "police.docx"
    path.write_bytes(docx_bytes(rows))
    [found] = identifier_findings(str(path))
    assert [(f["cell"], f["row"], f["column"]) for f in found] == [
        (None, int(c[1:]), h) for c, h, _ in EXPECTED]  # rows of the Word table
    assert found[0]["message"].startswith(
        f"Row {found[0]['row']}, column Event / Contact Details, may hold an NHS number")


def test_email_attachment_findings(tmp_path):
    attached = write_return(tmp_path / "attached.xlsx", planted_rows())
    path = tmp_path / "police.eml"
    path.write_bytes(eml_bytes([("police.xlsx", "application/vnd.openxmlformats-officedocument."
                                 "spreadsheetml.sheet", attached.read_bytes())]))
    [found] = identifier_findings(str(path), "--agency", "Police")
    assert [(f["cell"], f["column"]) for f in found] == [(c, h) for c, h, _ in EXPECTED]


def test_allow_list_in_review_toml(tmp_path):
    review = tmp_path / "review.toml"
    review.write_text(f'[identifiers]\nallow = ["{MOBILE}", "{POSTCODE}"]\n', encoding="utf-8")
    path = write_return(tmp_path / "police.xlsx", planted_rows())
    [found] = identifier_findings(str(path), "--agency", "Police", "--review", str(review))
    assert [(f["cell"], f["message"].split(" may hold ")[1].split(";")[0]) for f in found] == [
        ("D2", "an NHS number"), ("D2", "a name after a title"), ("E2", "an email address"),
        ("D3", "a National Insurance number"), ("D3", "2 phone numbers"), ("D3", "a date of birth")]


def test_pseudonymised_names_are_not_flagged(tmp_path):
    review = tmp_path / "review.toml"
    review.write_text(f'[pseudonyms]\n"Joan {NEIGHBOUR}" = "Neighbour N"\n', encoding="utf-8")
    path = write_return(tmp_path / "police.xlsx", planted_rows())
    [found] = identifier_findings(str(path), "--agency", "Police", "--review", str(review))
    assert "a name after a title" not in json.dumps(found)


def test_closing_account_counts_by_kind_and_agency(tmp_path, review_file):
    path = write_return(tmp_path / "returns" / "police.xlsx", planted_rows())
    result = runner.invoke(app, ["validate", str(path), "--review", str(review_file)])
    assert "Police: 1 NHS number, 1 National Insurance number, 1 postcode, 3 phone numbers, " \
           "1 email address, 1 date of birth and 1 name after a title may remain in the text" \
           in result.stdout
    result = runner.invoke(app, ["validate", str(path), "--review", str(review_file),
                                 "--format", "json"])
    assert json.loads(result.stdout)["account"]["possible_identifiers"] == {
        "redacted": False, "by_agency": {"Testshire Police": {
            "phone": 3, "nhs": 1, "name": 1, "postcode": 1, "email": 1, "ni": 1, "dob": 1}}}


# ---- --suggest-pseudonyms -----------------------------------------------------------------------


def test_suggest_pseudonyms_adds_commented_lines_keeping_the_layout(tmp_path):
    review = tmp_path / "review.toml"
    before = ('[review]\nsubject = "Adult T"   # kept\n\n[pseudonyms]   # real -> pseudonym\n'
              '"Jane Example" = "Adult T"\n\n[map]\n"When" = "date"\n')
    review.write_text(before, encoding="utf-8")
    path = write_return(tmp_path / "police.xlsx", planted_rows())
    result = runner.invoke(app, ["validate", str(path), "--agency", "Police", "--review",
                                 str(review), "--suggest-pseudonyms"])
    assert result.exit_code == 0, result.output
    assert review.read_text(encoding="utf-8") == (
        '[review]\nsubject = "Adult T"   # kept\n\n[pseudonyms]   # real -> pseudonym\n'
        '"Jane Example" = "Adult T"\n'
        f'# "{NEIGHBOUR}" = ""   # fill in a pseudonym, then remove the #\n'
        '\n[map]\n"When" = "date"\n')
    again = runner.invoke(app, ["validate", str(path), "--agency", "Police", "--review",
                                str(review), "--suggest-pseudonyms"])
    assert again.exit_code == 0 and review.read_text(encoding="utf-8").count(NEIGHBOUR) == 1


def test_suggest_pseudonyms_without_review_prints_the_lines(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write_return(tmp_path / "police.xlsx", planted_rows())
    result = runner.invoke(app, ["validate", str(path), "--agency", "Police",
                                 "--suggest-pseudonyms"])
    assert result.exit_code == 0
    assert f'# "{NEIGHBOUR}" = ""   # fill in a pseudonym, then remove the #' in result.stderr


def test_add_pseudonym_suggestions_adds_a_table_when_there_is_none():
    assert add_pseudonym_suggestions('[review]\nsubject = "A"\n', ["J. Kettle", "J. Kettle"]) == (
        '[review]\nsubject = "A"\n\n[pseudonyms]\n'
        '# "J. Kettle" = ""   # fill in a pseudonym, then remove the #\n')


# ---- --redact in every output -------------------------------------------------------------------


def texts_of(path: Path) -> str:
    """Every byte of an output as text; an xlsx or docx unzipped, every part."""
    if path.suffix in {".xlsx", ".docx"}:
        with zipfile.ZipFile(path) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return path.read_text(encoding="utf-8-sig").replace("\\[", "[").replace("\\]", "]")


def assert_no_planted_value(text: str) -> None:
    flat = re.sub(r"\s+", " ", text)
    for value in PLANTED:
        assert value not in flat, value


@pytest.fixture
def planted(tmp_path, review_file) -> Path:
    folder = tmp_path / "returns"
    write_return(folder / "police.xlsx", planted_rows())
    write_return(folder / "asc.csv", [row(event=f"Visit; son on {MOBILE}", practitioner="SW"),
                                      row(day="31/02/2025", event=f"Rang {EMAIL}")])  # rejected
    (folder / "gp.docx").write_bytes(docx_bytes([row(event=f"Patient NHS {NHS}")], agency="GP"))
    return folder


def test_redact_collate_every_format(planted, tmp_path, review_file):
    out = tmp_path / "out"
    for name in ("combined.xlsx", "combined.csv", "combined.json"):
        result = runner.invoke(app, ["collate", str(planted), "--review", str(review_file), "-q",
                                     "--redact", "-o", str(out / name)])
        assert result.exit_code in (0, 1), result.output
        text = texts_of(out / name)
        assert_no_planted_value(text)
        assert "[NHS number]" in text and "[phone]" in text and "[name]" in text
    assert ("Redaction applied: 2 NHS numbers, 1 National Insurance number, 1 postcode, "
            "4 phone numbers, 1 email address, 1 date of birth and 1 name after a title replaced"
            in texts_of(out / "combined.xlsx"))
    assert "Redaction applied" in result.stderr


def test_without_redact_the_values_are_there_and_the_account_says_so(planted, tmp_path,
                                                                      review_file):
    out = tmp_path / "out" / "combined.xlsx"
    result = runner.invoke(app, ["collate", str(planted), "--review", str(review_file), "-q",
                                 "-o", str(out)])
    assert MOBILE in texts_of(out)
    assert "Possible identifiers remain: 2 NHS numbers" in result.stderr
    assert "GP: 1 NHS number may remain in the text" in result.stderr


def test_redact_gaps_pack_json_and_imr(planted, tmp_path, review_file):
    out = tmp_path / "out"
    pack = out / "workshop.html"
    result = runner.invoke(app, ["gaps", str(planted), "--review", str(review_file), "-q",
                                 "--redact", "--html", str(pack), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    assert_no_planted_value(result.stdout)
    html = texts_of(pack)
    assert_no_planted_value(html)
    assert "<h2>Redaction applied</h2>" in html
    for name in ("imr.md", "imr.docx", "imr.html"):
        done = runner.invoke(app, ["new-imr", "--agency", "Police", "--review", str(review_file),
                                   "-q", "--redact", str(planted), "-o", str(out / name)])
        assert done.exit_code == 0, done.output
        text = texts_of(out / name)
        assert_no_planted_value(text)
        assert "[NHS number]" in text or "[phone]" in text


def test_redact_from_a_combined_workbook(planted, tmp_path, review_file):
    combined = tmp_path / "out" / "combined.xlsx"
    runner.invoke(app, ["collate", str(planted), "--review", str(review_file), "-q",
                        "-o", str(combined)])
    imr = tmp_path / "out" / "imr.md"
    done = runner.invoke(app, ["new-imr", "--agency", "Police", "--review", str(review_file),
                               "--redact", "--chronology", str(combined), "-o", str(imr)])
    assert done.exit_code == 0, done.output
    assert_no_planted_value(texts_of(imr))


def test_pack_warns_without_redact(planted, tmp_path, review_file):
    pack = tmp_path / "out" / "workshop.html"
    runner.invoke(app, ["gaps", str(planted), "--review", str(review_file), "-q",
                        "--html", str(pack)])
    assert "<h2>Possible identifiers remain</h2>" in pack.read_text(encoding="utf-8")


def test_feedback_never_holds_the_values(planted, tmp_path, review_file):
    import zipfile

    folder = tmp_path / "feedback"
    runner.invoke(app, ["validate", str(planted), "--review", str(review_file),
                        "--feedback", str(folder)])
    written = sorted(folder.iterdir())
    assert len(written) == 6  # a letter per return, as .docx and as .txt
    for path in written:
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as package:
                text = " ".join(package.read(n).decode("utf-8", "replace") for n in package.namelist()
                                if n.endswith(".xml"))
        else:
            text = path.read_text(encoding="utf-8")
        assert_no_planted_value(text)
    letter = next(p for p in written if p.name.startswith("gp") and p.suffix == ".txt")
    assert "may hold an NHS number" in letter.read_text(encoding="utf-8")


def test_numbers_and_continuation_rows_are_scanned_and_redacted(tmp_path, review_file):
    header = ["Date", "Source of Information", "Event / Contact Details", "NHS No"]
    path = write_return(tmp_path / "returns" / "police.xlsx", [
        ["03/03/2025", "Case notes", "Home visit", 9990000018],
        [None, None, f"then rang {MOBILE}", None],  # continues the entry above
    ], header=header)
    [found] = identifier_findings(str(path), "--review", str(review_file))
    assert [(f["cell"], f["column"], f["message"].split(" may hold ")[1].split(";")[0])
            for f in found] == [("D2", "NHS No", "an NHS number"),
                                ("C3", "Event / Contact Details", "a phone number")]
    out = tmp_path / "out" / "combined.csv"
    runner.invoke(app, ["collate", str(path), "--review", str(review_file), "-q", "--redact",
                        "-o", str(out)])
    text = texts_of(out)
    assert "Home visit\nthen rang [phone]" in text and "[NHS number]" in text
    assert_no_planted_value(text)


def test_gaps_on_a_combined_workbook_reports_what_it_says(planted, tmp_path, review_file):
    combined = tmp_path / "out" / "combined.xlsx"
    runner.invoke(app, ["collate", str(planted), "--review", str(review_file), "-q",
                        "-o", str(combined)])
    result = runner.invoke(app, ["gaps", str(combined), "--review", str(review_file),
                                 "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    assert json.loads(result.stdout)["account"]["possible_identifiers"]["by_agency"][
        "Hill Surgery"] == {"nhs": 1}
