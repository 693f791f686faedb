"""Stable refs across runs (issue 14 point 1) and `sarkit diff` (point 2), through the CLI."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import string
from collections import Counter
from pathlib import Path

import openpyxl
from conftest import row, write_return
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.dates import PartialDate
from sarkit.entries import Entry
from sarkit.pipeline.refs import _read_map, review_mark, save_ref_map
from sarkit.refs import Known, RefMap, _normal, content_hash, entry_keys

runner = CliRunner()
EVENTS = [f"Contact number {n}" for n in range(1, 125)]


def refs_by_event(path: Path) -> dict[str, str]:
    rows = list(openpyxl.load_workbook(path)["Chronology"].iter_rows(values_only=True))
    head = rows[0]
    ref, event = head.index("Ref"), head.index("Event / Contact Details")
    return {r[event]: r[ref] for r in rows[1:]}


def sheet_column(path: Path, name: str) -> list[object]:
    rows = list(openpyxl.load_workbook(path)["Chronology"].iter_rows(values_only=True))
    return [r[rows[0].index(name)] for r in rows[1:]]


def day(n: int) -> str:
    return f"{1 + n % 28:02d}/{1 + n // 28 + 2:02d}/2025"


def collate(tmp_path: Path, *extra: str):
    return runner.invoke(app, ["collate", str(tmp_path / "returns"), "-o",
                               str(tmp_path / "out" / "combined.xlsx"), "--force",
                               "--review", str(tmp_path / "review.toml"), *extra])


def test_late_return_and_resubmission_keep_every_other_ref(tmp_path, review_file):
    """The issue's case: 124 entries collated, a late return of 4 arrives; then a resubmission."""
    police = [row(day=day(n), time="", event=EVENTS[n]) for n in range(0, 124, 2)]
    asc = [row(day=day(n), time="", event=EVENTS[n]) for n in range(1, 124, 2)]
    write_return(tmp_path / "returns" / "police.xlsx", police)
    write_return(tmp_path / "returns" / "asc.xlsx", asc)
    first = collate(tmp_path)
    assert first.exit_code == 1, first.output  # written; the GP return is missing
    out = tmp_path / "out" / "combined.xlsx"
    before = refs_by_event(out)
    assert sorted(before.values()) == [f"C{n:04d}" for n in range(1, 125)]
    assert json.loads((tmp_path / "out" / ".refs.json").read_text())["highest"] == 124
    # a late GP return whose entries fall between the others, the first dated earliest
    write_return(tmp_path / "returns" / "gp.xlsx",
                 [row(day="01/01/2025", time="", event="GP first"),
                  *(row(day=day(n), time="", event=f"GP {n}") for n in (5, 50, 100))])
    late = collate(tmp_path)
    assert late.exit_code == 0, late.output
    assert "Since the previous run: GP: 4 added." in late.stderr
    after = refs_by_event(out)
    assert len(after) == 128
    assert {e: after[e] for e in before} == before  # all 124 earlier entries keep their ref
    assert [after[e] for e in ("GP first", "GP 5", "GP 50", "GP 100")] == [
        "C0125", "C0126", "C0127", "C0128"]
    assert sheet_column(out, "Event / Contact Details")[0] == "GP first"  # still chronological
    # police resend: one action corrected, one entry withdrawn, one new
    police[3] = row(day=day(6), time="", event=EVENTS[6], action="Referred to ASC and GP")
    withdrawn = police.pop(5)
    police.append(row(day="30/04/2025", time="", event="New police entry"))
    write_return(tmp_path / "returns" / "police.xlsx", police)
    resent = collate(tmp_path)
    assert "Since the previous run: Police: 1 added, 1 removed, 1 changed." in resent.stderr
    again = refs_by_event(out)
    assert withdrawn[3] not in again
    assert again["New police entry"] == "C0129"  # never the withdrawn entry's ref
    assert {e: again[e] for e in before if e != withdrawn[3]} == {
        e: r for e, r in before.items() if e != withdrawn[3]}
    unchanged = collate(tmp_path)
    assert "Since the previous run: no entry added, removed or changed; every ref kept." in (
        unchanged.stderr)
    renumbered = collate(tmp_path, "--renumber")
    assert renumbered.exit_code == 0
    assert sorted(refs_by_event(out).values()) == [f"C{n:04d}" for n in range(1, 129)]
    assert sheet_column(out, "Ref")[:3] == ["C0001", "C0002", "C0003"]


def test_agency_ref_keeps_the_ref_when_the_text_is_corrected(tmp_path, review_file):
    header = ["Ref", "Date", "Time", "Source of Information", "Event / Contact Details",
              "Action Taken / Outcome", "Practitioner / Role"]
    path = tmp_path / "returns" / "police.xlsx"
    write_return(path, [["P1", *row(event="Home vist")], ["P2", *row(day="05/03/2025")]],
                 header=header)
    collate(tmp_path)
    write_return(path, [["P1", *row(event="Home visit")], ["P2", *row(day="05/03/2025")]],
                 header=header)
    result = collate(tmp_path)
    assert "Since the previous run: Police: 1 changed." in result.stderr
    assert sheet_column(tmp_path / "out" / "combined.xlsx", "Ref") == ["C0001", "C0002"]


def test_previous_workbook_gives_the_refs_when_the_map_is_gone(tmp_path, review_file):
    write_return(tmp_path / "returns" / "police.xlsx", [row(day="05/03/2025", event="B")])
    collate(tmp_path)
    (tmp_path / "out" / ".refs.json").unlink()
    write_return(tmp_path / "returns" / "asc.xlsx", [row(day="01/03/2025", event="A")])
    result = collate(tmp_path)
    assert "Since the previous run: ASC: 1 added." in result.stderr
    assert refs_by_event(tmp_path / "out" / "combined.xlsx") == {"A": "C0002", "B": "C0001"}


def test_a_corrupt_ref_map_stops_before_writing(tmp_path, review_file):
    write_return(tmp_path / "returns" / "police.xlsx", [row()])
    collate(tmp_path)
    out = tmp_path / "out" / "combined.xlsx"
    out.unlink()
    refs = tmp_path / "out" / ".refs.json"
    lines = refs.read_text().splitlines()
    lines[6] = lines[6].replace('"ref"', '"rfe"')
    refs.write_text("\n".join(lines))
    result = collate(tmp_path)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: The ref map {refs} cannot be read: line 7 needs "
                                    '"ref", "agency" and "identity" as text.')
    assert not out.exists()
    refs.write_text('{"sarkit": "sarkit ref map",\n "highest": 1,,\n}')
    broken = collate(tmp_path)
    assert f"The ref map {refs} cannot be read: line 2 is not valid JSON" in broken.stderr
    assert not out.exists()


def diff(*args: object):
    return runner.invoke(app, ["diff", *map(str, args)])


def test_diff_of_two_versions_of_a_return(tmp_path, review_file):
    old = write_return(tmp_path / "v1" / "police.xlsx", [
        row(day="03/03/2025", event="Visit"), row(day="04/03/2025", event="Call"),
        row(day="05/03/2025", event="Letter")])
    new = write_return(tmp_path / "v2" / "police.xlsx", [
        row(day="03/03/2025", event="Visit", action="Referred to ASC and GP"),
        row(day="05/03/2025", event="Letter"), row(day="06/03/2025", event="Strategy meeting")])
    text = diff(old, new, "--review", review_file)
    assert text.exit_code == 0, text.output
    assert text.stdout.splitlines() == [
        f"From {old} to {new}: 1 added, 1 removed, 1 changed.",
        "Added: C0004 (Police, row 4 of police.xlsx)",
        "Removed: C0002 (Police, row 3 of police.xlsx)",
        "Changed: C0001 (Police, row 2 of police.xlsx), row 2 before",
        "  Action Taken / Outcome changed",
        "Give --show-values to see the old and new values.",
    ]
    assert "Referred" not in text.stdout
    data = json.loads(diff(old, new, "--format", "json", "--show-values", "--review",
                           review_file).stdout)
    assert data["changed"] == [{"ref": "C0001", "agency": "Testshire Police", "file": str(new),
                                "row": 2, "old_row": 2, "fields": {
                                    "action": ["Referred to ASC", "Referred to ASC and GP"]}}]
    assert [a["ref"] for a in data["added"]] == ["C0004"]
    assert [(r["ref"], r["row"]) for r in data["removed"]] == [("C0002", 3)]


def test_diff_of_two_combined_workbooks_and_of_unrelated_files(tmp_path, review_file):
    write_return(tmp_path / "returns" / "police.xlsx", [row(day="03/03/2025", event="Visit")])
    runner.invoke(app, ["collate", str(tmp_path / "returns"), "-o", str(tmp_path / "a.xlsx"),
                        "--review", str(review_file)])
    write_return(tmp_path / "returns" / "police.xlsx", [row(day="03/03/2025", event="Visit",
                                                            practitioner="PC 7")])
    runner.invoke(app, ["collate", str(tmp_path / "returns"), "-o", str(tmp_path / "b.xlsx"),
                        "--review", str(review_file)])
    data = json.loads(diff(tmp_path / "a.xlsx", tmp_path / "b.xlsx", "--format", "json",
                           "--review", review_file).stdout)
    assert (data["added"], data["removed"]) == ([], [])
    assert data["changed"][0]["ref"] == "C0001"
    assert data["changed"][0]["fields"] == {"practitioner": [None, None]}
    asc = write_return(tmp_path / "other" / "asc.xlsx", [row()])
    unrelated = diff(tmp_path / "returns" / "police.xlsx", asc, "--review", review_file)
    assert unrelated.exit_code == 2
    assert "share no agency (Testshire Police and Testshire Adult Social Care)" in unrelated.stderr
    mixed = diff(tmp_path / "a.xlsx", asc)
    assert mixed.exit_code == 2
    assert "are not the same kind of file" in mixed.stderr


def test_a_ref_column_added_in_a_resubmission_keeps_the_refs(tmp_path, review_file):
    path = tmp_path / "returns" / "police.xlsx"
    write_return(path, [row(day="03/03/2025", event="Visit"), row(day="05/03/2025", event="Call")])
    collate(tmp_path)
    header = ["Ref", "Date", "Time", "Source of Information", "Event / Contact Details",
              "Action Taken / Outcome", "Practitioner / Role"]
    write_return(path, [["P1", *row(day="03/03/2025", event="Visit")],
                        ["P2", *row(day="04/03/2025", event="Letter")],
                        ["P3", *row(day="05/03/2025", event="Call")]], header=header)
    result = collate(tmp_path)
    assert "Since the previous run: Police: 1 added, 2 changed." in result.stderr  # agency refs
    assert refs_by_event(tmp_path / "out" / "combined.xlsx") == {
        "Visit": "C0001", "Letter": "C0003", "Call": "C0002"}
    again = collate(tmp_path)  # now known by their agency refs
    assert "no entry added, removed or changed" in again.stderr


def test_a_corrected_resubmission_beside_the_first_says_both_versions_and_keeps_its_ref(
        tmp_path, review_file):
    """The corrected return ('v2 FINAL') arrives beside the first: the entry it corrects is in
    both versions, each said; once the first is removed, the correction keeps its own ref and
    the first version is the one removed."""
    header = ["Ref", "Date", "Time", "Source of Information", "Event / Contact Details",
              "Action Taken / Outcome", "Practitioner / Role"]
    first = [["P1", *row(day="03/02/2025", event="Visit")], ["P2", *row(day="12/02/2025", event="Call")],
             ["P3", *row(day="21/02/2025", event="Letter")]]
    write_return(tmp_path / "returns" / "police.xlsx", first, header=header)
    collate(tmp_path)
    corrected = [list(cells) for cells in first]
    corrected[1][1] = "14/02/2025"
    write_return(tmp_path / "returns" / "police v2.xlsx", corrected, header=header)
    both = collate(tmp_path)
    assert "Since the previous run: Police: 1 added." in both.stderr
    assert sorted(refs_by_day(tmp_path / "out" / "combined.xlsx")) == [
        ("C0001", "03/02"), ("C0002", "12/02"), ("C0003", "21/02"), ("C0004", "14/02")]
    versions = [f for f in openpyxl.load_workbook(tmp_path / "out" / "combined.xlsx")["Findings"]
                .iter_rows(values_only=True) if "agency-ref-versions" in f]
    [(file, sheet, number, *_, message, hint, _)] = versions
    v2 = tmp_path / "returns" / "police v2.xlsx"
    assert (Path(file).name, sheet, number) == ("police.xlsx", "Chronology", 3)
    assert message == (
        f"Row 3 of this return has the same Agency Ref as row 3 of {v2}, another return of "
        "Testshire Police, with other contents (one return correcting the other?): both versions "
        "are in the chronology.")
    assert hint == ("If one of the two returns corrects the other, remove the older one from the "
                    "returns folder.")
    (tmp_path / "returns" / "police.xlsx").unlink()
    after = collate(tmp_path)
    assert "Since the previous run: Police: 1 removed." in after.stderr
    assert sorted(refs_by_day(tmp_path / "out" / "combined.xlsx")) == [
        ("C0001", "03/02"), ("C0003", "21/02"), ("C0004", "14/02")]


def refs_by_day(path: Path) -> list[tuple[str, str]]:
    rows = list(openpyxl.load_workbook(path)["Chronology"].iter_rows(values_only=True))
    return [(r[0], r[1].strftime("%d/%m")) for r in rows[1:]]


def test_diff_says_when_rows_were_rejected_and_not_compared(tmp_path, review_file):
    old = write_return(tmp_path / "v1" / "police.xlsx", [row(day="03/03/2025", event="Visit")])
    new = write_return(tmp_path / "v2" / "police.xlsx", [row(day="03/03/2025", event="Visit"),
                                                         row(day="31/02/2025", event="Call")])
    result = diff(old, new, "--review", review_file)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"From {old} to {new}: 0 added, 0 removed, 0 changed.",
        f"1 row of the new version was rejected and not compared: run sarkit validate {new}",
    ]


# ---- the hashes and the map file stay byte for byte what they were (issue 18's quicker code) ----


_PUNCTUATION = str.maketrans(dict.fromkeys(string.punctuation, " "))


def reference_normal(text: str) -> str:
    return " ".join(text.casefold().translate(_PUNCTUATION).split())


def reference_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def reference_day(date):
    if date is None:
        return ""
    return f"{date.year}-{date.month or 0}-{date.day or 0}{'?' if date.uncertain else ''}"


def reference_clock(time):
    return f"{time.hour:02d}:{time.minute:02d}" if time else ""


def reference_content_hash(e: Entry) -> str:
    parts = (reference_day(e.date), reference_clock(e.time), reference_day(e.end_date),
             reference_clock(e.end_time), e.source, e.event, e.action, e.practitioner, e.analysis,
             str(e.key_event), e.agency_ref, *(f"{k}={v}" for k, v in sorted(e.extras.items())))
    return reference_hash("\x1f".join(parts))


def reference_entry_keys(entries):
    seen, seen_text, keys, texts = Counter(), Counter(), [], []
    for e in entries:
        agency = reference_normal(e.agency)
        text = f"{agency}|{reference_day(e.date)}|{reference_clock(e.time)}|{reference_normal(e.event)}"
        key = f"{agency}|ref|{reference_normal(e.agency_ref)}" if e.agency_ref.strip() else text
        seen[key] += 1
        seen_text[text] += 1
        keys.append(reference_hash(key if seen[key] == 1 else f"{key}#{seen[key]}"))
        if key is text and seen[key] == seen_text[text]:
            texts.append(keys[-1])
        else:
            texts.append(reference_hash(text if seen_text[text] == 1 else f"{text}#{seen_text[text]}"))
    return keys, texts


# ASCII text with every separator str.split knows (\x1c-\x1f among them), punctuation, case;
# and some text beyond ASCII (casefold's ß, a non-breaking space, an emoji)
TEXT = st.text(alphabet=st.sampled_from(
    list(string.printable) + ["\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\xa0", "ß", "É", "😀"]),
    max_size=30)
DATES = st.sampled_from([PartialDate(2025, 3, 1), PartialDate(2025, 3, None),
                         PartialDate(2025, None, None, True)])
TIMES = st.sampled_from([None, dt.time(9, 5), dt.time(23, 59)])
ENTRIES = st.lists(st.builds(
    Entry, agency=st.sampled_from(["GP", "gp ", "Police.", "Mental Health"]), date=DATES,
    source=TEXT, event=st.one_of(TEXT, st.sampled_from(["Visit", "visit!", "VISIT"])),
    time=TIMES, end_date=st.one_of(st.none(), DATES), end_time=TIMES, action=TEXT,
    agency_ref=st.sampled_from(["", " ", "R1", "r-1", "R2"]),
    key_event=st.sampled_from([None, True, False]),
    extras=st.dictionaries(st.sampled_from(["NHS Trust", "Ward"]), TEXT, max_size=2),
), max_size=12)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_normal_is_the_casefolded_split_it_always_was(text):
    assert _normal(text) == reference_normal(text)


@settings(max_examples=200, deadline=None)
@given(ENTRIES)
def test_identities_and_content_hashes_are_unchanged(entries):
    """The hashes in every saved .refs.json depend on these: a change would renumber entries."""
    assert entry_keys(entries) == reference_entry_keys(entries)
    assert [content_hash(e) for e in entries] == [reference_content_hash(e) for e in entries]


def test_ref_map_lines_are_what_json_dumps_wrote(tmp_path):
    """The map is written line by line without json.dumps: each line is still exactly its
    output, for names with quotes, backslashes, control characters and text beyond ASCII."""
    names = ['Trust "North"', "A\\B", "tab\there", "new\nline", "Ünïcode – 😀", "\x00\x1f", "\u2028"]
    refs = RefMap(highest=len(names))
    for n, name in enumerate(names, 1):
        refs.known[f"id{n}"] = Known(f"C{n:04d}", name, f"c{n}", present=n % 2 == 0,
                                     text=f"t{n}", place="" if n == 3 else f"p{n}")
    path = save_ref_map(tmp_path / "combined.xlsx", refs)
    lines = path.read_text("utf-8").split("\n")
    items = [{"ref": k.ref, "agency": k.agency, "identity": key, "content": k.content,
              "text": k.text, "place": k.place, "present": k.present}
             for key, k in refs.known.items()]
    expected = [json.dumps(item, ensure_ascii=False) + ("," if i < len(items) - 1 else "")
                for i, item in enumerate(items)]
    assert lines[6:6 + len(items)] == expected
    assert lines[:6] == ["{", '"sarkit": "sarkit ref map",', '"version": 1,',
                         f'"review": "{review_mark("")}",', f'"highest": {len(names)},', '"entries": [']
    assert lines[6 + len(items):] == ["]", "}", ""]
    again, made_for = _read_map(path)
    assert again.highest == len(names)
    assert again.known == refs.known
    assert made_for == review_mark("")


def test_an_empty_ref_map_is_valid_json(tmp_path):
    path = save_ref_map(tmp_path / "combined.xlsx", RefMap())
    assert json.loads(path.read_text("utf-8"))["entries"] == []
    assert _read_map(path)[0].known == {}


def _second_review(tmp_path: Path, review_file: Path) -> Path:
    """A copy of the review with another reference, in its own folder, with two returns."""
    other = tmp_path / "other"
    (other / "returns").mkdir(parents=True)
    (other / "review.toml").write_text(review_file.read_text().replace("SAR-TEST-1", "SAR-TEST-2"))
    write_return(other / "returns" / "police.xlsx", [row(day="02/02/2025", event="X"),
                                                     row(day="03/02/2025", event="Y")])
    return other


def test_a_second_review_written_to_the_same_folder_numbers_its_own_entries(tmp_path, review_file):
    """Review B written beside review A's combined workbook (a shared Desktop folder) starts at
    C0001 and reports nothing 'since the previous run': A's map is not B's."""
    write_return(tmp_path / "returns" / "police.xlsx", [row(day=day(n), event=f"E{n}") for n in range(3)])
    shared = tmp_path / "Desktop"
    first = runner.invoke(app, ["collate", str(tmp_path / "returns"), "-o", str(shared / "combined.xlsx"),
                                "--review", str(review_file)])
    assert first.exit_code == 1, first.stderr  # ASC and GP sent nothing
    other = _second_review(tmp_path, review_file)
    second = runner.invoke(app, ["collate", str(other / "returns"), "-o", str(shared / "SAR-2 combined.xlsx"),
                                 "--review", str(other / "review.toml")])
    assert second.exit_code == 1, second.stderr
    assert refs_by_event(shared / "SAR-2 combined.xlsx") == {"X": "C0001", "Y": "C0002"}
    assert "Since the previous run" not in second.stderr
    assert "was made for a review with another reference" not in second.stderr
    assert refs_by_event(shared / "combined.xlsx") == {"E0": "C0001", "E1": "C0002", "E2": "C0003"}


def test_another_review_s_map_at_the_output_itself_is_not_used_and_the_user_is_told(tmp_path, review_file):
    write_return(tmp_path / "returns" / "police.xlsx", [row(day=day(n), event=f"E{n}") for n in range(3)])
    assert collate(tmp_path).exit_code == 1
    other = _second_review(tmp_path, review_file)
    again = runner.invoke(app, ["collate", str(other / "returns"), "-o",
                                str(tmp_path / "out" / "combined.xlsx"), "--force",
                                "--review", str(other / "review.toml")])
    assert again.exit_code == 1, again.stderr
    refs = tmp_path / "out" / ".refs.json"
    assert (f"{refs} was made for a review with another reference, so its refs were not used: the "
            "entries are numbered from C0001.") in " ".join(again.stderr.split())
    assert refs_by_event(tmp_path / "out" / "combined.xlsx") == {"X": "C0001", "Y": "C0002"}
    assert json.loads(refs.read_text("utf-8"))["review"] == review_mark("SAR-TEST-2")


def test_a_map_from_before_maps_named_their_review_is_still_used(tmp_path, review_file):
    write_return(tmp_path / "returns" / "police.xlsx", [row(day=day(n), event=f"E{n}") for n in range(2)])
    assert collate(tmp_path).exit_code == 1
    refs = tmp_path / "out" / ".refs.json"
    refs.write_text("\n".join(line for line in refs.read_text("utf-8").splitlines()
                              if not line.startswith('"review"')), "utf-8")
    write_return(tmp_path / "returns" / "police.xlsx", [row(day=day(n), event=f"E{n}") for n in range(3)])
    again = collate(tmp_path)
    assert "Since the previous run: Police: 1 added." in again.stderr
    assert refs_by_event(tmp_path / "out" / "combined.xlsx") == {"E0": "C0001", "E1": "C0002", "E2": "C0003"}
