"""What the workshop relies on cites the right things: a referral to an agency with no
entries is a trail that says why nothing answers it; new-imr cites the combined workbook's refs;
a workbook analysed with other settings says so; gaps --strict writes no results; new-imr with
nothing given reads what the other commands read."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from conftest import row, write_return
from typer.testing import CliRunner

from sarkit.analysis import Vocabulary, trails_and_patterns
from sarkit.cli import app
from sarkit.dates import PartialDate
from sarkit.entries import Entry
from sarkit.review import Agency

runner = CliRunner()

POLICE = "Testshire Police"
ASC = "Testshire Adult Social Care"
GP = "Hill Surgery"


def run(*args: str):
    return runner.invoke(app, list(args))


def flat(text: str) -> str:
    return " ".join(text.split())


def pack_text(path: Path) -> str:
    """The workshop pack's words, tags taken out."""
    return flat(html.unescape(re.sub(r"<[^>]+>", " ", path.read_text("utf-8"))))


def police_referring(folder: Path) -> None:
    """C0001 refers to ASC ('social care' is its alias), C0002 to the GP; 02/05/2025."""
    write_return(folder / "police.xlsx", [
        row(day="02/05/2025", time="10:00", event="Rent arrears", action="Referral made to social care"),
        row(day="02/05/2025", time="11:00", event="Low mood", action="Referral sent to the GP"),
    ])


def trail(number: int, ref: str, to: str, words: str, no_return: str | None) -> dict:
    return {"id": f"T{number}", "from_agency": POLICE, "to_agency": to, "ref": ref,
            "date": "2025-05-02", "words": words, "answered": False, "answer_ref": None,
            "answer_date": None, "days": None, "answer_words": "", "next_ref": None,
            "next_date": None, "no_return": no_return}


T_ASC = ("Referral made to social care", "Police to ASC")
T_GP = ("Referral sent to the GP", "Police to GP")


@pytest.mark.parametrize(("gp_file", "gp_kind", "gp_why"), [
    (None, "missing", "no return was received from GP"),
    (b"PK\x03\x04 cut short in the email", "unusable", "GP's return could not be used"),
])
def test_a_referral_to_an_agency_without_entries_is_a_trail_saying_why(
        tmp_path, review_file, monkeypatch, gp_file, gp_kind, gp_why):
    folder = tmp_path / "returns"
    police_referring(folder)
    write_return(folder / "asc.xlsx", [])  # a nil return
    if gp_file is not None:
        (folder / "gp.xlsx").write_bytes(gp_file)
    monkeypatch.chdir(tmp_path)

    data = json.loads(run("gaps", "--format", "json").stdout)
    assert data["trails"] == [trail(1, "C0001", ASC, T_ASC[0], "nil"),
                              trail(2, "C0002", GP, T_GP[0], gp_kind)]

    table = run("gaps")
    assert table.exit_code == 1  # the GP's return is missing or unusable
    assert ("T1 C0001 02/05/2025 Police to ASC: no answer can be found: ASC sent a nil return "
            "(no contact in the period).") in flat(table.stdout)
    assert f"T2 C0002 02/05/2025 Police to GP: no answer can be found: {gp_why}." in flat(table.stdout)

    rows = [r for r in csv.DictReader(io.StringIO(run("gaps", "--format", "csv").stdout))
            if r["section"] == "trail"]
    assert [(r["id"], r["kind"], r["communication"]) for r in rows] == [
        ("T1", "unanswered", f"no answer: {ASC} sent a nil return (no contact in the period)"),
        ("T2", "unanswered", f"no answer: {gp_why.replace('GP', GP)}"),
    ]

    assert run("gaps", "--html", "out/pack.html").exit_code == 1
    pack = pack_text(tmp_path / "out" / "pack.html")
    assert "2 referrals with no answer in 14 days" in pack
    assert (f"On 02/05/2025 {POLICE} (Police) recorded sending something to {ASC} (ASC) (C0001: "
            "“Referral made to social care”); no answer can be found: ASC sent a nil return "
            "(no contact in the period). Was it received, and what was done with it?") in pack

    assert run("new-imr", "--agency", "ASC", "returns", "-o", "out/imr.md").exit_code == 0
    imr = flat((tmp_path / "out" / "imr.md").read_text("utf-8"))
    assert (f"On 02/05/2025 {POLICE} (Police) recorded sending something to {ASC} (ASC) (C0001: "
            "“Referral made to social care”); no answer can be found: ASC sent a nil return "
            "(no contact in the period). Was it received, and what was done with it?") in imr


def test_a_referral_to_an_agency_with_entries_is_not_said_to_have_no_return(
        tmp_path, review_file, monkeypatch):
    folder = tmp_path / "returns"
    police_referring(folder)
    write_return(folder / "asc.xlsx", [row(day="20/11/2025", event="Annual review", action="None")])
    write_return(folder / "gp.xlsx", [row(day="20/11/2025", event="Flu jab", action="None")])
    monkeypatch.chdir(tmp_path)
    data = json.loads(run("gaps", "--format", "json").stdout)
    assert [(t["to_agency"], t["next_ref"], t["no_return"]) for t in data["trails"]] == [
        (ASC, "C0003", None), (GP, "C0004", None)]


def test_trails_know_review_agencies_without_entries_by_any_of_their_names():
    police = Agency(POLICE, "Police")
    mht = Agency("Testshire Mental Health Trust", "MHT", ("mental health team",))
    housing = Agency("Brightlet Housing", "Housing")
    entries = [Entry(agency=POLICE, date=PartialDate(2025, 5, 2), source="Log", ref="C0001",
                     event="Referred to the mental health team; letter to Housing; sent to Dr Who")]
    vocabulary = Vocabulary(referral=("referred", "letter to", "sent to"))
    found = trails_and_patterns(entries, agencies=[police, mht, housing], vocabulary=vocabulary,
                                without_entries={"Housing": "nil", "Dr Who": "no-entries"}).trails
    assert [(t.to_agency, t.words, t.no_return) for t in found] == [
        (mht.name, "Referred to the mental health team", "no-entries"),
        (housing.name, "letter to Housing", "nil"),  # each trail quotes its own words
        ("Dr Who", "sent to Dr Who", "no-entries"),
    ]


def collated_twice(tmp_path: Path, review_file: Path) -> Path:
    """A review collated, one ASC row corrected, collated again: the refs map has moved on."""
    folder = tmp_path / "returns"
    write_return(folder / "police.xlsx", [row(day="10/01/2025", event="Welfare check"),
                                          row(day="03/03/2025", event="Found in the street")])
    write_return(folder / "gp.xlsx", [row(day="05/01/2025", event="Missed appointment")])
    asc = write_return(folder / "asc.xlsx", [row(day="12/01/2025", event="Screening"),
                                             row(day="01/02/2025", event="")])  # rejected row
    assert run("collate", "-q").exit_code == 1  # a rejected row
    book = openpyxl.load_workbook(asc)
    book.active["D3"] = "Telephone review"
    book.save(asc)
    assert run("collate", "-q", "--force").exit_code == 0
    return tmp_path / "out" / "combined.xlsx"


def imr_rows(path: Path) -> list[tuple[str, str]]:
    """(ref, date) of the agency's entries table of an IMR in Markdown (section 6)."""
    table = path.read_text("utf-8").split("| Ref | Own ref | Date |", 1)[1].split("\n\n", 1)[0]
    return re.findall(r"^\| (C\d{4}) \| [^|]* \| (\d\d/\d\d/\d{4}) \|", table, re.M)


def test_new_imr_from_the_returns_cites_the_combined_workbooks_refs(
        tmp_path, review_file, monkeypatch):
    monkeypatch.chdir(tmp_path)
    combined = collated_twice(tmp_path, review_file)
    chronology = {r[0]: (r[3], r[5]) for r in openpyxl.load_workbook(combined)["Chronology"]
                  .iter_rows(min_row=2, values_only=True)}
    assert run("new-imr", "--agency", "ASC", "returns", "-o", "out/a.md").exit_code == 0
    assert run("new-imr", "--agency", "ASC", "--chronology", str(combined), "-o", "out/b.md"
               ).exit_code == 0
    assert imr_rows(tmp_path / "out" / "a.md") == imr_rows(tmp_path / "out" / "b.md") == [
        ("C0003", "12/01/2025"), ("C0005", "01/02/2025")]  # numbered afresh, it would be C0004
    assert [chronology[ref] for ref in ("C0003", "C0004", "C0005")] == [
        ("ASC", "Screening"), ("Police", "Found in the street"), ("ASC", "Telephone review")]


def test_new_imr_with_nothing_given_reads_the_combined_workbook_else_the_returns(
        tmp_path, review_file, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_return(tmp_path / "returns" / "police.xlsx", [row(day="10/01/2025", event="Welfare check")])
    from_returns = run("new-imr", "--agency", "Police", "-o", "out/r.md")
    assert from_returns.exit_code == 0
    assert ("No chronology or returns were given, and there is no out/combined.xlsx, so the IMR is "
            "made from the returns in returns.") in flat(from_returns.stderr)
    assert imr_rows(tmp_path / "out" / "r.md") == [("C0001", "10/01/2025")]
    assert run("collate", "-q").exit_code == 1  # ASC and GP are missing
    from_combined = run("new-imr", "--agency", "Police", "-o", "out/c.md")
    assert from_combined.exit_code == 0
    assert ("No chronology or returns were given, so the IMR is made from out/combined.xlsx, the "
            "combined workbook next to review.toml.") in flat(from_combined.stderr)
    assert imr_rows(tmp_path / "out" / "c.md") == [("C0001", "10/01/2025")]


def test_new_imr_with_nothing_to_read_is_still_an_empty_skeleton(tmp_path, review_file, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("new-imr", "--agency", "Police", "-o", "imr.md")
    assert result.exit_code == 0
    assert "No chronology was given (--chronology or return files), so this is an empty skeleton" \
        in flat(result.stderr)


def test_a_workbook_analysed_with_other_settings_says_so(tmp_path, review_file, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "returns"
    write_return(folder / "police.xlsx", [row(day="10/01/2025", event="Welfare check")])
    write_return(folder / "asc.xlsx", [row(day="12/01/2025", event="Screening")])
    write_return(folder / "gp.xlsx", [row(day="20/01/2025", event="Seen")])
    assert run("collate", "-q", "--gap-days", "10", "--window", "3", "-o", "out/g10.xlsx").exit_code == 0
    said = ("The combined workbook was made with gap days 10 and an overlap window of 3; this "
            "analysis uses review.toml's 28 and 0, so its gaps and overlaps can differ from, and be "
            "numbered differently from, the workbook's Gaps and Overlaps sheets. To match the "
            "workbook, give --gap-days 10 --window 3.")
    result = run("gaps", "out/g10.xlsx", "--html", "out/pack.html")
    assert result.exit_code == 0 and said in flat(result.stderr)
    pack = pack_text(tmp_path / "out" / "pack.html")
    assert "Other settings than the combined workbook's " + said in pack
    mixed = run("gaps", "out/g10.xlsx", "--window", "3")
    assert ("this analysis uses gap days 28 (review.toml's) and an overlap window of 3 (the command "
            "line's), so its gaps can differ from, and be numbered differently from, the "
            "workbook's Gaps sheet.") in flat(mixed.stderr)
    same = run("gaps", "out/g10.xlsx", "--gap-days", "10", "--window", "3", "--html", "out/same.html")
    assert same.exit_code == 0 and "was made with" not in same.stderr
    assert "Other settings" not in (tmp_path / "out" / "same.html").read_text("utf-8")
    imr = run("new-imr", "--agency", "GP", "--chronology", "out/g10.xlsx", "-o", "out/imr.md")
    assert imr.exit_code == 0 and said in flat(imr.stderr)


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_gaps_strict_on_an_incomplete_chronology_writes_no_results(
        tmp_path, review_file, monkeypatch, fmt):
    monkeypatch.chdir(tmp_path)
    write_return(tmp_path / "returns" / "police.xlsx", [row(day="10/01/2025", event="Welfare check")])
    result = run("gaps", "--strict", "--format", fmt, "--html", "out/pack.html")
    assert (result.exit_code, result.stdout) == (1, "")
    assert not (tmp_path / "out" / "pack.html").exists()
    assert ("Nothing written (no results and no out/pack.html): the chronology is not complete or a "
            "return had an error, and --strict was given. Run: sarkit validate returns") \
        in flat(result.stderr)


def test_the_api_finds_the_trails_gaps_finds(tmp_path, review_file, monkeypatch):
    import sarkit

    folder = tmp_path / "returns"
    police_referring(folder)
    write_return(folder / "asc.xlsx", [])  # a nil return
    monkeypatch.chdir(tmp_path)
    gaps = json.loads(run("gaps", "--format", "json").stdout)["trails"]
    loaded = sarkit.load(folder, review_file)
    assert [(t.id, t.ref, t.to_agency, t.no_return) for t in loaded.trails] == [
        (t["id"], t["ref"], t["to_agency"], t["no_return"]) for t in gaps] == [
        ("T1", "C0001", ASC, "nil"), ("T2", "C0002", GP, "missing")]
