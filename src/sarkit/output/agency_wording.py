"""Findings in the words of the agency that wrote the return: what is wrong and how to fix it,
with none of sarkit's own terms (command-line options, review.toml, field keys).

Used by the feedback letters and the annotated copies, which go to the agency. A finding's
message is kept sentence by sentence when a sentence holds no such term; the fix comes from the
finding's own hint, or from `AGENCY_FIX` when the hint speaks to the administrator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sarkit.findings import CATALOGUE, Finding, Severity

JARGON = re.compile(r"(?:^|\s|\()--[a-z]|review\.toml|corrections\.toml|SARKIT_|\bsarkit\b|HEADING=|"
                    r"=[a-z_]+\"|\bschema\b", re.IGNORECASE)
# Words to the review team about the agency ("Ask the agency for…", "ask it to…"): a letter to the
# agency leaves such a sentence out ('the Agency cell' is a column, and is kept).
FOR_THE_TEAM = re.compile(r"\b[Tt]he agency\b|\b[Aa]sk (?:it|them)\b")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'])")

# What is wrong, for findings whose message is about the administrator's setup.
AGENCY_WHAT = {
    "agency-unknown": "We could not tell which agency this return is from.",
    "agency-ambiguous": "The file's name fits more than one agency, and the return does not say "
                        "which agency it is from.",
    "agency-not-listed": "Your return names an agency that is not one of the agencies in this "
                         "review, so we could not tell whose entries these are.",
    "agency-file-mismatch": "The file's name is one agency's, but the return names another agency.",
    "agency-joint-entry": "A row names your agency and another agency (a joint visit); we kept it "
                          "as your agency's entry.",
    "agency-several": "A row names several other agencies and not yours, so we could not tell whose "
                      "entry it is.",
    "agency-ref-parts": "Your return came in several files whose Ref numbers overlap; we read every "
                        "file.",
    "agency-parts": "Your return came in several files, which hold different entries over "
                    "different periods, so we read them as parts of one return and included every "
                    "entry of each.",
    "agency-without-return": "Some rows of your return name another agency, which has not sent "
                             "its own return.",
    "blank-template": "The file is the blank template: it has no entries and has not been signed "
                      "off, so we cannot count it as a nil return.",
    "file-encrypted": "The file is protected by a password, so we could not open it.",
    "file-label-encrypted": "The file is encrypted by a sensitivity label (Microsoft Purview "
                            "Information Protection), so we could not open it.",
    "checkbox-not-read": "Some ticked checkboxes are not linked to any cell, so we could not read "
                         "their ticks.",
    "file-refused": "The file is too large or too complicated for us to open safely.",
    "file-unreadable": "We could not open the file.",
    "sarkit-output": "This file is not a chronology return.",
    "combined-ref-missing": "This file is not a chronology return.",
    "combined-ref-repeated": "This file is not a chronology return.",
    "combined-rows-edited": "This file is not a chronology return.",
    "combined-agencies-sheet-missing": "This file is not a chronology return.",
    "combined-agency-not-in-review": "This file is not a chronology return.",
    "no-chronology-sheet": "We could not find the chronology table in the file.",
    "missing-column": "A column the chronology must have is missing.",
    "unknown-column": "A column's heading is not one of the chronology template's headings.",
    "colour-only-column": "A column shows its meaning only by the colours of its cells, with no "
                          "words in them; colours are not read, so the column is empty when read.",
    "key-event-words": "A Key Event cell says more than yes or no.",
    "key-event-unclear": "A Key Event cell says neither yes nor no.",
    "struck-through": "A row has a line through all its text, which we take to mean the entry "
                      "was withdrawn, so it is not in the chronology.",
    "struck-text": "A cell has words with a line through them; we read them as written, as if "
                   "they stand.",
    "nil-return": "The return has its headings and no entries: we take it that your agency had "
                  "no involvement in the review period.",
    "corrected-cell": "We corrected a cell of this return for the review; your file is unchanged.",
    "correction-stale": "A correction we had made to a cell of an earlier copy of this return no "
                        "longer fits the cell, so we did not use it.",
    "possible-identifier": "A cell may name or identify someone (an NHS or National Insurance "
                           "number, an address, a phone number, an email address, a date of "
                           "birth or a name).",
}
# How to fix it, for findings whose hint speaks to the administrator.
AGENCY_FIX = {
    "file-encrypted": "Please save it again without a password and send it to us by secure email.",
    "file-label-encrypted": "Please send it again with a sensitivity label that does not encrypt "
                            "the file (or protected by a password instead), by secure email.",
    "checkbox-not-read": "Please type Y in the Key Event cell of each row whose checkbox is ticked.",
    "file-refused": "Please save the chronology again as a plain .xlsx workbook (no pictures, "
                    "links or very large ranges) and send it again.",
    "missing-column": "Please add the column, with the heading used in the Appendix 8b "
                      "chronology template, or rename the column that holds this information.",
    "agency-unknown": "Please fill in 'Agency:' on the Details sheet, or add an Agency column.",
    "agency-ambiguous": "Please fill in 'Agency:' on the Details sheet, or name the file after "
                        "your agency only.",
    "agency-not-listed": "Please write your agency's name as it appears in our request in "
                         "'Agency:' (and in the Agency column), and send the return again.",
    "agency-file-mismatch": "Please check that 'Agency:' names your agency, and send the return "
                            "again if it does not.",
    "agency-without-return": "Nothing to do: we will ask that agency for its own return.",
    "agency-joint-entry": "Nothing to do.",
    "agency-several": "Please write in the Agency cell the one agency whose entry the row is, and "
                      "send the return again.",
    "agency-ref-parts": "Nothing to do; in future, please number the rows of the parts on from one "
                        "another.",
    "agency-parts": "Nothing to do; if one of the files in fact replaces another, please tell us "
                    "which one to use.",
    "blank-template": "If you had no involvement, please fill in Author and Date completed on the "
                      "Details sheet and send it again; otherwise please send your completed "
                      "chronology.",
    "date-column-ambiguous": "Please rename the headings so that only the column giving the date "
                             "of each event is called Date (for example Date Recorded for the "
                             "date the entry was written).",
    "unknown-column": "If the column holds one of the template's columns, please give it the "
                      "template's heading; otherwise nothing needs to change (it is kept).",
    "colour-only-column": "Please type the level (or what each colour stands for) in the cells "
                          "as words, and send the return again.",
    "macros-present": "Please save the return as a plain .xlsx workbook (without macros).",
    "external-link": "Please break the links to other files (Data > Edit Links > Break Link) "
                     "and send the return again.",
    "duplicate-file": "Nothing to do: the same file reached us twice.",
    "several-returns": "If one of these files replaces the other, please tell us which one to use.",
    "midnight-as-time": "If an entry's time is not known, please write its date alone.",
    "time-zone-converted": "If your system can, please export dates and times as UK local time.",
    "struck-through": "If this entry was withdrawn, please confirm it; if it stands, please "
                      "remove the line through its text and send the return again.",
    "struck-text": "Please tell us whether the words with a line through them stand: if they "
                   "were withdrawn, delete them; if not, remove the line through them.",
    "note-row": "Please put this note in the Event cell of the entry it belongs to, or, if it is "
                "an event of its own, give it its own row with a date.",
    "total-row": "Nothing to do; the total is not needed, as we count the entries ourselves.",
    "continuation-day-month": "If this line is an event of its own, please give it its own row "
                              "with its full date and source.",
    "agency-ref-versions": "If this return corrects the earlier one, please tell us so that we use "
                           "only this one.",
    "several-plans": "If one of these plans replaces the other, please tell us which one to use.",
    "plan-value-unknown": "Please choose the Status or RAG from the list in the plan's drop-down.",
    "sarkit-output": "Nothing to do.",
    "combined-ref-missing": "Nothing to do.",
    "combined-ref-repeated": "Nothing to do.",
    "combined-rows-edited": "Nothing to do.",
    "combined-agencies-sheet-missing": "Nothing to do.",
    "combined-agency-not-in-review": "Nothing to do.",
    "skipped-file": "Nothing to do.",
    "possible-identifier": "If it identifies the adult, a relative or a neighbour, please replace "
                           "it with the pseudonym agreed for the review, or remove it.",
    "file-unreadable": "Please open the file in Excel or LibreOffice, save it again as an Excel "
                       "workbook (.xlsx), check that the chronology looks right, and send it again.",
    "sheet-damaged": "Please open the file, save it again and send it again.",
    "encoding-guessed": "If names or accents look wrong when you open the file, please save it "
                        "again as 'CSV UTF-8 (Comma delimited)' and send it again.",
    "nil-return": "Nothing to do, if your agency really had no contact with the adult in the "
                  "period.",
    "corrected-cell": "Nothing to send again; please make the same change in your own records.",
    "correction-stale": "Nothing to do.",
    "other-chronology-sheet": "If the sheet is another agency's chronology, please tell us whose it "
                              "is; if it is yours, please put every entry on one Chronology sheet "
                              "(copy the rows across) and send the return again.",
    "html-in-cell": "Please export the notes as plain text (or copy the text from the case "
                    "record), check the entries read right, and send the return again.",
    "rtf-in-cell": "Please export the note as plain text (or copy the text from the case record) "
                   "and send the return again.",
}
# Codes whose message speaks of the agency by name and of the review's files and columns ("Hill
# Surgery's return came in more than one file… told apart by Source File"): AGENCY_WHAT instead.
OWN_WORDS = frozenset({"agency-ref-parts", "agency-parts"})
# Codes whose every hint speaks to the administrator ("Unzip it into the returns folder", "read
# that file"): the letter gives AGENCY_FIX instead.
ADMINISTRATOR_HINTS = frozenset({"file-unreadable"})
# sarkit's words in otherwise plain messages, and the agency's words for them
REWORDED = (
    ("matches no chronology field", "is not a heading of the chronology template"),
    ("repeats a field another column already gives",
     "holds the same kind of information as another column"),
)
SEVERITY_WORDS = {Severity.ERROR: "Must be corrected", Severity.WARNING: "Please check",
                  Severity.INFO: "For information"}


@dataclass(frozen=True, slots=True)
class AgencyAdvice:
    """One finding for the agency: where, how serious (in words), what is wrong, how to fix it."""

    where: str
    severity: Severity
    what: str
    fix: str

    @property
    def level(self) -> str:
        return SEVERITY_WORDS[self.severity]


def plain(text: str) -> str:
    """The sentences of `text` that hold none of sarkit's terms and are not words to the review
    team about the agency."""
    for words, instead in REWORDED:
        text = text.replace(words, instead)
    return " ".join(s for s in _SENTENCE.split(text.strip())
                    if s and not JARGON.search(s) and not FOR_THE_TEAM.search(s))


def _not_for_agency(text: str) -> bool:
    return bool(JARGON.search(text) or FOR_THE_TEAM.search(text))


def advice(f: Finding) -> AgencyAdvice:
    """A finding in the agency's terms: its own `agency_words` when it has them (a finding about
    the agency's other files, said to the agency: 'we received two files from you')."""
    if f.agency_words:
        return AgencyAdvice(where=where(f), severity=f.severity, what=f.agency_words[0],
                            fix=f.agency_words[1])
    entry = CATALOGUE[f.code]
    what = plain(f.message) or AGENCY_WHAT.get(f.code) or plain(entry.description)
    if f.code in AGENCY_WHAT and (_not_for_agency(f.message) or f.code in OWN_WORDS):
        what = AGENCY_WHAT[f.code]
    hint = f.hint or entry.hint
    if f.code in AGENCY_FIX and (hint == entry.hint or f.code in ADMINISTRATOR_HINTS):
        fix = AGENCY_FIX[f.code]
    elif _not_for_agency(hint):
        fix = f"{plain(hint)} {AGENCY_FIX.get(f.code, '')}".strip() or plain(entry.hint)
    else:
        fix = hint
    return AgencyAdvice(where=where(f), severity=f.severity, what=what, fix=fix)


def where(f: Finding) -> str:
    """'sheet Chronology, cell D7', 'row 7, Date' (Word tables), or 'the whole file'."""
    place = f.cell or (f"row {f.row}, {f.column}" if f.row and f.column else
                       f"row {f.row}" if f.row else "")
    if place and f.sheet:
        return f"sheet {f.sheet}, {'cell ' if f.cell else ''}{place}"
    if place:
        return ("cell " if f.cell else "") + place
    return f"sheet {f.sheet}" if f.sheet else "the whole file"
