"""The combined workbook's layout: its sheets and their columns, in order. `sarkit collate`
writes it (output/combined_workbook.py) and `gaps`/`new-imr` read it back (intake/combined.py)."""

from __future__ import annotations

import re

SHEETS = ("Chronology", "Agencies", "Gaps", "Overlaps", "Findings", "About")
GLOSSARY_SHEET = "Glossary"  # after Findings, when any return has a glossary
CHRONOLOGY_COLUMNS = (
    "Ref", "Date", "Time", "Agency", "Source of Information", "Event / Contact Details",
    "Action Taken / Outcome", "Practitioner / Role", "Comment / Analysis", "Key Event", "Flags",
    "Agency Ref", "Source File", "Source Row",
)
# After Source Row, before a return's extra columns: End Date and End Time when any entry has
# one, Age when review.toml gives the subject's birth date or age, Days Since Previous always.
ADDED_COLUMNS = ("End Date", "End Time", "Age", "Days Since Previous")
# Columns of workbooks made by earlier versions: not a return's extra columns either.
OLD_COLUMNS = ("Sort Date",)
AGENCIES_COLUMNS = ("Agency", "Short Name", "Returns", "Entries", "First Date", "Last Date",
                    "Errors", "Warnings", "Nil Return", "Missing Return", "Unusable Return",
                    "Author", "Role", "Date Completed", "Files", "SHA-256", "Received")
GAPS_COLUMNS = ("Kind", "Agency", "Start", "End", "Days", "Before Ref", "After Ref",
                "Other Agencies Active", "Their Entries")
OVERLAPS_COLUMNS = ("Overlap", "Start", "End", "Agencies", "Refs", "Communication")
FINDINGS_COLUMNS = ("File", "Sheet", "Row", "Cell", "Column", "Code", "Severity", "Message",
                    "Hint", "Original Values")
GLOSSARY_COLUMNS = ("Abbreviation", "Meaning", "Agency")
# added before About when a correction was applied or found stale (corrections.toml)
CORRECTIONS_SHEET = "Corrections"
CORRECTIONS_COLUMNS = ("Ref", "File", "Sheet", "Cell", "Original", "Corrected To", "Reason",
                       "Who", "When", "Applied")
# what the Chronology's row 2 says when there is no entry (read back as no entry)
NO_ENTRIES, NO_KEY_EVENTS = "(no entries)", "(no key events)"
KEY_EVENTS_VIEW = "key events only"  # About sheet, item "View", of a `collate --key-events` workbook

# The Date cell's number format says the date's precision and whether it is uncertain.
DATE_FORMATS = {("day", False): "dd/mm/yyyy", ("month", False): "mmmm yyyy",
                ("year", False): "yyyy", ("day", True): '"?"dd/mm/yyyy',
                ("month", True): '"?"mmmm yyyy', ("year", True): '"?"yyyy'}
_QUOTED = re.compile(r'"[^"]*"|\\.')


def format_precision(number_format: str) -> tuple[str, bool] | None:
    """(precision, uncertain) that a Date cell's number format shows, e.g. '"?"mmmm yyyy' ->
    ('month', True); None when the format shows no date (then the cell is read as a day)."""
    shown = _QUOTED.sub("", number_format.split(";")[0]).lower()
    shown = re.sub(r"\[[^\]]*\]", "", shown)  # colours, locales
    uncertain = "?" in "".join(_QUOTED.findall(number_format.split(";")[0]))
    if "d" in shown:
        return "day", uncertain
    if "m" in shown and "y" in shown:
        return "month", uncertain
    if "y" in shown:
        return "year", uncertain
    return None
