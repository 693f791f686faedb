"""The combined workbook's layout: its sheets and their columns, in order. `sarkit collate`
writes it (output/combined_workbook.py) and `gaps`/`new-imr` read it back (intake/combined.py)."""

from __future__ import annotations

SHEETS = ("Chronology", "Agencies", "Gaps", "Overlaps", "Findings", "About")
CHRONOLOGY_COLUMNS = (
    "Ref", "Date", "Time", "Agency", "Source of Information", "Event / Contact Details",
    "Action Taken / Outcome", "Practitioner / Role", "Comment / Analysis", "Key Event", "Flags",
    "Agency Ref", "Source File", "Source Row",
)
HIDDEN_COLUMNS = ("Sort Date", "End Date", "End Time")
AGENCIES_COLUMNS = ("Agency", "Short Name", "Returns", "Entries", "First Date", "Last Date",
                    "Errors", "Warnings", "Nil Return", "Missing Return", "Unusable Return", "Files",
                    "SHA-256", "Received")
GAPS_COLUMNS = ("Kind", "Agency", "Start", "End", "Days", "Before Ref", "After Ref",
                "Other Agencies Active", "Their Entries")
OVERLAPS_COLUMNS = ("Overlap", "Start", "End", "Agencies", "Refs", "Communication")
FINDINGS_COLUMNS = ("File", "Sheet", "Row", "Cell", "Column", "Code", "Severity", "Message",
                    "Hint", "Original Values")
# added before About when a correction was applied or found stale (corrections.toml)
CORRECTIONS_SHEET = "Corrections"
CORRECTIONS_COLUMNS = ("Ref", "File", "Sheet", "Cell", "Original", "Corrected To", "Reason",
                       "Who", "When", "Applied")
