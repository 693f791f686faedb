"""`sarkit gaps`: exact gaps, overlaps and missing returns; the same from the combined workbook."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import HEADER, row, write_return
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.output.analysis_report import CSV_COLUMNS

runner = CliRunner()

POLICE = "Testshire Police"
ASC = "Testshire Adult Social Care"
GP = "Hill Surgery"


def gaps(*args: str):
    return runner.invoke(app, ["gaps", *args])


def gaps_json(*args: str) -> dict:
    """The JSON of a gaps run; its exit code says whether the account is complete."""
    result = gaps(*args, "--format", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == (0 if data["account"]["complete"] else 1), result.output
    return data


@pytest.fixture
def returns(tmp_path: Path) -> Path:
    """Police and ASC returns for review_file's review (period 2025); the GP sent nothing.

    Refs: C0001 Police 10/01, C0002 ASC 10/01, C0003 Police 03/03, C0004 ASC 05/03,
    C0005 Police 20/03, C0006 ASC 15/12.
    """
    folder = tmp_path / "returns"
    write_return(folder / "police.xlsx", [
        row(day="10/01/2025", event="Welfare check at home", action="Informed ASC of concerns"),
        row(day="03/03/2025", event="Found in the street, confused", action="Taken home"),
        row(day="20/03/2025", event="Concern for welfare call", action="No further action"),
    ])
    write_return(folder / "asc.xlsx", [
        row(day="10/01/2025", event="Safeguarding concern received",
            action="Section 42 enquiry opened"),
        row(day="05/03/2025", event="Visit by social worker", action="Care plan agreed"),
        row(day="15/12/2025", event="Annual review", action="Case closed"),
    ])
    return folder


def gap(kind, agency, start, end, days, before, after, active=0, entries=0) -> dict:
    return {"kind": kind, "agency": agency, "start": start, "end": end, "days": days,
            "before_ref": before, "after_ref": after, "others_active": active,
            "others_entries": entries}


MISSING_GP = gap("missing-return", GP, None, None, None, None, None)
EXPECTED_GAPS = [
    gap("all-agency", None, "2025-01-11", "2025-03-02", 51, "C0002", "C0003"),
    gap("all-agency", None, "2025-03-21", "2025-12-14", 269, "C0005", "C0006"),
    gap("agency", POLICE, "2025-01-11", "2025-03-02", 51, "C0001", "C0003"),
    gap("agency", ASC, "2025-01-11", "2025-03-04", 53, "C0002", "C0004", 1, 1),
    gap("agency", ASC, "2025-03-06", "2025-12-14", 284, "C0004", "C0006", 1, 1),
    MISSING_GP,
]
O1 = {"id": "O1", "start": "2025-01-10", "end": "2025-01-10", "agencies": [POLICE, ASC],
      "refs": ["C0001", "C0002"], "communication": "recorded",
      "evidence": [{"ref": "C0001", "words": "Informed ASC of concerns"}], "looked_for": []}
O2 = {"id": "O2", "start": "2025-03-03", "end": "2025-03-05", "agencies": [POLICE, ASC],
      "refs": ["C0003", "C0004"], "communication": "none recorded", "evidence": [],
      "looked_for": ["PC ", "Police", "Testshire Police", "ASC", "social care",
                     "Testshire Adult Social Care"]}
# 'Informed ASC of concerns' is a referral; ASC's concern received that day answers it
T1 = {"id": "T1", "from_agency": POLICE, "to_agency": ASC, "ref": "C0001", "date": "2025-01-10",
      "words": "Informed ASC of concerns", "answered": True, "answer_ref": "C0002",
      "answer_date": "2025-01-10", "days": 0, "answer_words": "Safeguarding concern received",
      "next_ref": None, "next_date": None, "no_return": None}
PATTERNS = [
    {"kind": "Police welfare checks", "agency": POLICE, "month": "2025-01", "count": 1,
     "refs": ["C0001"]},
    {"kind": "Police welfare checks", "agency": POLICE, "month": "2025-03", "count": 1,
     "refs": ["C0005"]},
    {"kind": "Safeguarding concerns", "agency": ASC, "month": "2025-01", "count": 1,
     "refs": ["C0002"]},
]


def test_same_day_window(returns, review_file):
    data = gaps_json(str(returns), "--review", str(review_file))
    assert data == {"gaps": EXPECTED_GAPS, "overlaps": [O1], "duplicates": [],
                    "missing_returns": [GP], "unusable_returns": [], "trails": [T1],
                    "referral_window_days": 14, "patterns": PATTERNS,
                    "account": {"complete": False, "review_file": str(review_file),
                                "missing": [GP], "unusable": [], "rejected_rows": [],
                                "entries": 6, "rows": 6}}


def test_window_of_three_days_joins_03_and_05_march(returns, review_file):
    data = gaps_json(str(returns), "--review", str(review_file), "--window", "3")
    assert data["overlaps"] == [O1, O2]
    assert data["gaps"] == EXPECTED_GAPS
    # 15 days from 05/03 to 20/03: a window of 14 is not enough, 15 is.
    assert len(gaps_json(str(returns), "--review", str(review_file), "--window", "14")
               ["overlaps"]) == 2
    wide = gaps_json(str(returns), "--review", str(review_file), "--window", "15")["overlaps"]
    assert [(o["id"], o["start"], o["end"], o["refs"]) for o in wide] == [
        ("O1", "2025-01-10", "2025-01-10", ["C0001", "C0002"]),
        ("O2", "2025-03-03", "2025-03-20", ["C0003", "C0004", "C0005"]),
    ]


def test_gap_days_overrides_review(returns, review_file):
    data = gaps_json(str(returns), "--review", str(review_file), "--gap-days", "60")
    assert data["gaps"] == [EXPECTED_GAPS[1], EXPECTED_GAPS[4], MISSING_GP]


def test_agency_narrows_gaps_and_overlaps(returns, review_file):
    asc = gaps_json(str(returns), "--review", str(review_file), "--agency", "ASC", "--window", "3")
    assert asc["gaps"] == [*EXPECTED_GAPS[:2], *EXPECTED_GAPS[3:5]]
    assert asc["overlaps"] == [O1, O2]
    assert asc["missing_returns"] == []
    gp = gaps_json(str(returns), "--review", str(review_file), "--agency", "surgery")
    assert gp["gaps"] == [*EXPECTED_GAPS[:2], MISSING_GP]
    assert gp["overlaps"] == [] and gp["missing_returns"] == [GP]


def test_csv_is_one_table_with_sections(returns, review_file):
    result = gaps(str(returns), "--review", str(review_file), "--window", "3", "--format", "csv")
    assert result.exit_code == 1, result.output  # the GP's return is missing
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [r["section"] for r in rows] == (["gap"] * 5 + ["overlap"] * 2 + ["trail"]
                                            + ["pattern"] * 3 + ["missing-return"])
    assert rows[5]["words"] == "C0001: Informed ASC of concerns"
    assert (rows[7]["id"], rows[7]["kind"], rows[7]["refs"]) == ("T1", "answered", "C0001 C0002")
    assert (rows[8]["kind"], rows[8]["agency"], rows[8]["start"], rows[8]["count"],
            rows[8]["refs"]) == ("Police welfare checks", POLICE, "2025-01-01", "1", "C0001")
    asc_gap = rows[3]
    assert (asc_gap["kind"], asc_gap["agency"], asc_gap["start"], asc_gap["end"], asc_gap["days"],
            asc_gap["others_active"], asc_gap["others_entries"]) == (
        "agency", ASC, "2025-01-11", "2025-03-04", "53", "1", "1")
    o2 = rows[6]
    assert (o2["id"], o2["agencies"], o2["start"], o2["end"], o2["refs"], o2["communication"]) == (
        "O2", f"{POLICE}; {ASC}", "2025-03-03", "2025-03-05", "C0003 C0004", "none recorded")
    assert rows[-1]["agency"] == GP


def test_table_for_people(returns, review_file):
    result = gaps(str(returns), "--review", str(review_file), "--window", "3")
    assert result.exit_code == 1, result.output  # the GP's return is missing
    out = result.stdout
    lines = out.splitlines()
    first_gap = next(line for line in lines if re.search(r"\d\d/\d\d/\d{4}", line))
    assert "06/03/2025" in first_gap and "284" in first_gap  # longest first
    assert "none recorded" in out and "recorded" in out
    assert "Missing returns (listed in review.toml, no return received): GP" in out
    assert lines[-1] == (
        "1 referral trail (0 with no answer within 14 days), 5 gaps (2 all-agency, 3 agency), "
        "2 overlaps (1 with no recorded communication), 0 possible duplicates, 1 missing return, "
        "0 agencies without a usable return (gaps of 28 days or more, overlap window 3 days, "
        "6 entries)."
    )
    assert result.stderr.splitlines() == [
        f"Review: {review_file}",
        "GP: missing — no return was received. Ask the agency for it.",
        "Not complete: 6 entries in the chronology, 0 of 6 rows rejected, 1 agency missing, "
        "0 agencies without a usable return, 0 unusable files.",
    ]


def test_combined_workbook_gives_the_same_answers(returns, review_file, tmp_path):
    combined = tmp_path / "out" / "combined.xlsx"
    made = runner.invoke(app, ["collate", str(returns), "-o", str(combined), "--review",
                               str(review_file), "-q"])
    assert made.exit_code == 1, made.output  # written; the GP's return is missing
    for extra in ([], ["--window", "3"], ["--gap-days", "60"], ["--agency", "Police"]):
        from_returns = gaps_json(str(returns), "--review", str(review_file), *extra)
        from_combined = gaps_json(str(combined), "--review", str(review_file), *extra)
        assert from_combined == from_returns, extra
    assert gaps_json(str(combined), "--review", str(review_file))["gaps"] == EXPECTED_GAPS


def test_combined_workbook_without_review_toml(tmp_path, monkeypatch):
    """Agencies from Details sheets; month, uncertain and ranged dates, notes, key events and
    extra columns survive the round trip; the workbook's own settings are used."""
    folder = tmp_path / "returns"
    header = [*HEADER, "End Date", "Key Event", "Risk"]
    write_return(folder / "a.xlsx", [
        [*row(day="03/03/2025", event="Admitted to ward 4"), "17/03/2025", "Y", "High"],
        [*row(day="May 2025", time="", event="Several phone calls"), "", "N", ""],
        [*row(day="?12/06/2025", time="", source="# author's note", event="Date unsure"), "", "", ""],
        [*row(day="01/08/2025", event="Discharge letter to the surgery"), "", "", ""],
    ], header=header, details={"Agency:": "Hospital"})
    write_return(folder / "b.xlsx", [
        [*row(day="04/03/2025", event="Hospital visit by the practice"), "", "N", ""],
        [*row(day="16/03/2025", event="Telephone call to the ward"), "", "", ""],
        [*row(day="12/06/2025", event="Telephone review"), "", "", "Low"],
        [*row(day="01/08/2025", event="Discharge letter received"), "", "", ""],
    ], header=header, details={"Agency:": "Surgery"})
    write_return(folder / "c.xlsx", [], header=header, details={"Agency:": "Housing"})
    combined = tmp_path / "combined.xlsx"
    monkeypatch.chdir(tmp_path)  # no review.toml here
    made = runner.invoke(app, ["collate", str(folder), "-o", str(combined), "-q",
                               "--gap-days", "20", "--window", "2"])
    assert made.exit_code == 0, made.output
    # the workbook was made with gap days 20 and window 2: gaps uses them unless told otherwise
    from_combined = gaps_json(str(combined))
    from_returns = gaps_json(str(folder), "--gap-days", "20", "--window", "2")
    assert from_combined == from_returns
    assert [(o["start"], o["end"]) for o in from_combined["overlaps"]] == [
        ("2025-03-03", "2025-03-04"), ("2025-03-16", "2025-03-17"), ("2025-08-01", "2025-08-01")]
    assert gaps_json(str(combined), "--window", "0") == gaps_json(str(folder), "--gap-days", "20")
    # the same timeline either way
    html_a, html_b = tmp_path / "a.html", tmp_path / "b.html"
    assert gaps(str(combined), "--html", str(html_a), "-q").exit_code == 0
    assert gaps(str(folder), "--gap-days", "20", "--window", "2", "--html", str(html_b),
                "-q").exit_code == 0
    svg = re.compile(r"<svg class=\"timeline\".*?</svg>", re.S)
    assert svg.search(html_a.read_text()).group(0) == svg.search(html_b.read_text()).group(0)


def test_html_pack_written(returns, review_file, tmp_path):
    out = tmp_path / "out" / "workshop.html"
    result = gaps(str(returns), "--review", str(review_file), "--window", "3", "--html", str(out))
    assert result.exit_code == 1, result.output  # written; the GP's return is missing
    text = out.read_text("utf-8")
    assert text.count('<g class="lane"') == 3
    assert len(re.findall(r'class="overlap-band[^"]*" data-overlap="O\d+"', text)) == 2
    assert f"Wrote {out}" in result.stderr
    again = gaps(str(returns), "--review", str(review_file), "--html", str(out))
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert gaps(str(returns), "--review", str(review_file), "--html", str(out),
                "--force").exit_code == 1


def test_exit_codes(returns, review_file, tmp_path):
    assert gaps(str(tmp_path / "nowhere")).exit_code == 2
    assert gaps(str(returns), "--format", "xml").exit_code == 2
    assert gaps(str(returns), "--gap-days", "0").exit_code == 2
    unknown = gaps(str(returns), "--review", str(review_file), "--agency", "Fire Service")
    assert unknown.exit_code == 2
    assert "There is no agency Fire Service" in unknown.stderr and "Police, ASC, GP" in unknown.stderr
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "notes.txt").write_bytes(b"\x00\x01 not a return")
    nothing = gaps(str(junk))
    assert nothing.exit_code == 1 and "No entries could be read" in nothing.stderr
    combined = tmp_path / "combined.xlsx"
    runner.invoke(app, ["collate", str(returns), "-o", str(combined), "--review",
                        str(review_file), "-q"])
    both = gaps(str(combined), str(returns))
    assert both.exit_code == 2 and "combined workbook" in both.stderr


def test_python_dash_m(returns, review_file):
    done = subprocess.run(
        [sys.executable, "-m", "sarkit", "gaps", str(returns), "--review", str(review_file),
         "--format", "json"], capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 1, done.stderr  # the GP's return is missing
    assert json.loads(done.stdout)["missing_returns"] == [GP]


def test_combined_workbook_edited_by_hand(returns, review_file, tmp_path):
    """A bad date typed into the combined workbook stops gaps with its cell; a workbook that
    merely has Chronology and About sheets is refused with a sentence."""
    import openpyxl

    combined = tmp_path / "combined.xlsx"
    runner.invoke(app, ["collate", str(returns), "-o", str(combined), "--review",
                        str(review_file), "-q"])
    book = openpyxl.load_workbook(combined)
    book["Chronology"]["B3"] = "31/02/2025"
    book.save(combined)
    result = gaps(str(combined), "--review", str(review_file))
    assert result.exit_code == 1
    assert "The date in the Chronology sheet cannot be read" in result.stderr
    assert "sheet Chronology, cell B3" in result.stderr
    other = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Chronology"
    book.active.append(["When", "What"])
    book.create_sheet("About")
    book.save(other)
    refused = gaps(str(other))
    assert refused.exit_code == 2
    assert (f"The Chronology sheet of {other} has no column headed Ref, Date, Time, Agency, "
            "Source of Information, Event / Contact Details, Action Taken / Outcome, Practitioner / "
            "Role, Comment / Analysis, Key Event, Flags, Agency Ref, Source File, Source Row: sarkit "
            "reads its entries by the headings sarkit collate writes in row 1." in refused.stderr)


def test_strict_writes_no_pack_when_the_chronology_is_not_complete(returns, review_file, tmp_path):
    out = tmp_path / "pack.html"
    result = gaps(str(returns), "--review", str(review_file), "--html", str(out), "--strict")
    assert result.exit_code == 1 and not out.exists()
    assert result.stdout == ""
    assert (f"Nothing written (no results and no {out}): the chronology is not complete or a return "
            "had an error, and --strict was given. Run: sarkit validate " in result.stderr)
    assert "GP: missing — no return was received. Ask the agency for it." in result.stderr
    write_return(returns / "gp.xlsx", [row(day="10/01/2025", event="Seen in clinic")])
    complete = gaps(str(returns), "--review", str(review_file), "--html", str(out), "--strict")
    assert complete.exit_code == 0, complete.output
    assert out.exists() and "All 7 rows accounted for: 7 entries in the chronology." in complete.stderr


def test_trails_in_json_csv_and_the_terminal(tmp_path, review_file):
    folder = tmp_path / "returns"
    write_return(folder / "police.xlsx", [
        row(day="10/01/2025", event="Welfare check", action="Referral sent to ASC"),
        row(day="03/03/2025", event="Safeguarding concern raised with ASC"),
    ])
    write_return(folder / "asc.xlsx", [
        row(day="20/01/2025", event="Referral from Police triaged"),
        row(day="25/03/2025", event="Annual review"),
    ])
    data = gaps_json(str(folder), "--review", str(review_file))
    assert [(t["id"], t["ref"], t["answered"], t["answer_ref"], t["next_ref"]) for t in
            data["trails"]] == [("T2", "C0003", False, None, "C0004"),
                                ("T1", "C0001", True, "C0002", None)]
    assert data["trails"][1]["answer_words"] == "Referral from Police triaged"
    rows = list(csv.DictReader(io.StringIO(
        gaps(str(folder), "--review", str(review_file), "--format", "csv").stdout)))
    trails = [r for r in rows if r["section"] == "trail"]
    assert [(r["id"], r["kind"], r["before_ref"], r["after_ref"], r["communication"]) for r in
            trails] == [("T2", "unanswered", "C0003", "C0004", "no answer"),
                        ("T1", "answered", "C0001", "C0002", "answered")]
    out = gaps(str(folder), "--review", str(review_file)).stdout
    assert "Referral trails with no answer within 14 days (1 of 2)" in out
    assert "T2 C0003 03/03/2025 Police to ASC: no ASC entry until 25/03/2025." in out
    assert "Safeguarding concern raised" not in out  # no entry text in the terminal


def test_the_terminal_report_scales_and_never_breaks_a_name_mid_word():
    import datetime as dt

    from rich.console import Console

    from sarkit.analysis import analyse
    from sarkit.dates import PartialDate
    from sarkit.entries import Entry
    from sarkit.output.analysis_report import GapsReport, print_report
    from sarkit.review import Agency, Review

    agencies = [Agency(f"Northshire Community Rehabilitation Service {n}",
                       f"Community Rehabilitation {n}") for n in range(3)]
    review = Review(agencies=agencies)
    entries = []
    for number in range(60):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=number * 40)
        for agency in agencies:
            entries.append(Entry(agency=agency.name, date=PartialDate(day.year, day.month, day.day),
                                 source="Notes", event="Visit", ref=f"C{len(entries) + 1:04d}"))
    analysis = analyse(entries, agencies=agencies)
    report = GapsReport(review=review, entries=entries, analysis=analysis,
                        agency_order=[a.name for a in agencies],
                        labels={a.name: a.short for a in agencies})
    console = Console(width=80, record=True, color_system=None)
    print_report(report, console, rows=5)
    text = console.export_text()
    print(text)
    assert len(analysis.overlaps) == 60 and len(analysis.gaps) == 59 * 4
    assert "… and 231 more (--format csv for all)" in text
    assert "… and 55 more (--format csv for all)" in text
    words = {"Community", "Rehabilitation"}
    for line in text.splitlines()[1:-1]:  # the summary (first and last) is one long line
        assert len(line) <= 80
        for word in line.split():
            stripped = word.strip(",")
            assert not any(w != stripped and w.startswith(stripped) and len(stripped) > 2
                           for w in words) or stripped in words, line
