"""Findings: what validation found, as data. The catalogue of codes lives here and only here."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How serious a finding is: errors keep a row (or file) out of the combined chronology."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Code:
    """One entry of the catalogue: a stable kebab-case code and what it means."""

    code: str
    severity: Severity
    title: str
    description: str
    hint: str


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

CATALOGUE: dict[str, Code] = {
    c.code: c
    for c in [
        Code("file-unreadable", _E, "File cannot be read",
             "Not a spreadsheet, corrupt, truncated, or a format that cannot be read.",
             "Open the file in Excel or LibreOffice, save it again as .xlsx, and send it again."),
        Code("file-encrypted", _E, "File is password-protected",
             "The workbook is encrypted and no password, or a wrong one, was given.",
             "Give the password with --password, SARKIT_PASSWORD or --passwords FILE, "
             "or ask the agency to send it without a password by secure email."),
        Code("file-label-encrypted", _E, "File encrypted by a sensitivity label",
             "The workbook or document is encrypted by a sensitivity label (Microsoft Purview "
             "Information Protection, rights management); it has no password, and sarkit cannot "
             "open it.",
             "Ask the agency to send it again with a sensitivity label that does not encrypt (or "
             "protected by a password instead, the password sent separately), by secure email."),
        Code("file-misnamed", _W, "Text file named like a workbook",
             "The file's name ends like a workbook or Word document (.xlsx, .xls, .docx...), but "
             "it holds plain text; it was read as a CSV file, as its content is.",
             "Open the file in Excel or LibreOffice, save it again as .xlsx (Excel Workbook) and "
             "send it again; a CSV export should be named .csv."),
        Code("csv-quote-unclosed", _E, "Quotation mark never closed",
             "A cell of a CSV file starts with a quotation mark that is not closed on its row, so "
             "the rows after it ran into that one cell; the row was read again with the mark as a "
             "plain character and the rows after it as rows of their own.",
             "Check the row in the chronology. In the file, remove the quotation mark at the start "
             "of the cell, or save the file again from Excel (which closes it), and send it again."),
        Code("csv-row-in-cell", _W, "A row inside a cell",
             "A quoted CSV cell runs over several lines and one of them looks like a row of its "
             "own; the row was read as the quotation marks say (the line stays in the cell).",
             "Check the entry: if that line is an entry of its own, move it to its own row."),
        Code("file-refused", _E, "File over a safety limit",
             "The file is over a safety limit (zip bomb, XML entities, far cells, huge merges).",
             "Ask the agency to save the chronology again as a plain workbook; "
             "limits can be raised on the command line if the file is genuine."),
        Code("no-chronology-sheet", _E, "No chronology table found",
             "No visible sheet has a header row that matches the Appendix 8b schema.",
             "Make sure the chronology has a header row with Date, Source of Information and "
             "Event / Contact Details in the first 30 rows of a visible sheet."),
        Code("missing-column", _E, "Required column missing",
             "A required field has no column in the header row.",
             "Add the column with the heading from the Appendix 8b template, "
             "or map an existing heading with --map \"HEADING=field\"."),
        Code("agency-unknown", _E, "Agency cannot be determined",
             "No agency could be determined for the file or the row.",
             "Fill in 'Agency:' on the Details sheet, add an Agency column, list the file in "
             "review.toml, or give --agency NAME."),
        Code("date-missing", _E, "Date missing",
             "The required date is blank.",
             "Enter the date of the event as dd/mm/yyyy; use ? before it if it is uncertain."),
        Code("date-invalid", _E, "Date not readable",
             "Not a date, an impossible date, or a month-first date.",
             "Write the date day first as dd/mm/yyyy (for example 22/05/2016)."),
        Code("date-maybe-month-first", _W, "Date may be month first",
             "A typed date that reads as two different days (02/03/2025: 2 March or 3 February) "
             "was read day first, but other dates of the same return can only be read month "
             "first (01/13/2025), so the return appears to write dates month first.",
             "Type the date day first as dd/mm/yyyy (03/02/2025 for 3 February 2025), or with "
             "the month in words (3 Feb 2025), and correct the dates that are month first."),
        Code("date-from-number", _W, "Date read from a number",
             "A date typed as a bare number (45689), or a column of number cells the "
             "spreadsheet shows as numbers, was read as spreadsheet date numbers, the days "
             "counted from 1900 (45689 is 1 February 2025); a number may be something else.",
             "Type the date as dd/mm/yyyy (for example 01/02/2025)."),
        Code("time-conflict", _W, "Two different times",
             "The Date cell holds a time and the Time column another; the Time column's time "
             "is used.",
             "Keep the time in the Time column only, and check which time is right."),
        Code("time-invalid", _W, "Time not readable",
             "The time cannot be read; the row is kept without a time (an End Time: without an "
             "end time, keeping its Time), and the cell's words ('am visit', 'evening') are kept in "
             "the extra column Time (as written) or End Time (as written).",
             "Write the time as hh:mm in 24-hour form (for example 14:30)."),
        Code("cell-error", _W, "Cell shows a spreadsheet error",
             "A cell shows a spreadsheet error (#N/A, #REF!, #VALUE!, #DIV/0!) from a formula or "
             "lookup that failed, not a value; it is read as blank. In the Date column the row "
             "is rejected, as with a missing date; elsewhere the entry keeps its other cells.",
             "Fix the formula or lookup so that it gives the value, or type the value instead."),
        Code("end-before-start", _E, "End before start",
             "The end date or time is before the start.",
             "Check the End Date: it must be on or after the Date."),
        Code("date-range-split", _I, "Date range read as start and end",
             "The Date cell holds a range (12/05/2025 - 30/06/2025, 12-14 March 2025); its first "
             "date is read as the Date and its last as the End Date, so the entry is a span.",
             "Nothing to do; next time put the last date in the End Date column."),
        Code("time-from-number", _W, "Time typed as a number",
             "A time typed as 9.30 in a cell formatted General is kept by the spreadsheet as the "
             "number 9.3; it was read as hours and minutes (09:30). A number that cannot be hours "
             "and minutes (25.5, 9.75) is not read as a time. The number 0 in a cell not "
             "formatted as a time (what a formula copying a blank cell shows) is no time.",
             "Check the times, and format the Time column as Text or as a time (hh:mm)."),
        Code("time-other-day", _W, "Time cell on another day",
             "The Time cell holds a date and time whose date is not the entry's Date; the entry "
             "is kept on its Date without a time, since it is not clear which day is right.",
             "Put only the time in the Time column and the right date in the Date column."),
        Code("time-range-split", _W, "Time range read as start and end",
             "The Time cell holds a range (14:30-15:00); its start is read as the time, and its "
             "end as the End Time when the return has no End Time column or leaves it blank "
             "(an End Time cell of its own is kept).",
             "Put the start time in the Time column and the end time in the End Time column."),
        Code("html-in-cell", _W, "HTML markup read as text",
             "Cells hold HTML markup left by a case system's export ('<br>', '<p>', '&amp;', "
             "'&nbsp;'); each was read as the text it shows: <br> and paragraph tags as line "
             "breaks, entities as their characters, other tags left out. Said once per column, "
             "naming the rows. 'BP <90' or 'A&E' is not markup and is kept as written.",
             "Check the entries. Ask the agency to export the notes as plain text (or to copy "
             "the text from the case record) and send the return again."),
        Code("rtf-in-cell", _W, "RTF document in a cell",
             "A cell holds an RTF document ('{\\rtf1\\ansi ...') from a case system's export; it "
             "is kept as written, formatting codes and all, since reading the text out of it "
             "could drop words.",
             "Ask the agency to export the note as plain text (or to copy the text from the case "
             "record) and send the return again."),
        Code("date-extra-text", _W, "Date with words not used",
             "The Date cell holds a date with more than a time (a time zone, an end time, or "
             "words such as 'evening'); the date and its time were read, the rest was not used, "
             "except an end time ('09:30 - 10:00'), read as the End Time when the End Time cell "
             "is absent or blank (an End Time cell of its own is kept). Words after a date with no "
             "time ('03/03/2025 - night shift', '(late shift)', 'am') are kept: words for the part "
             "of the day in Time (as written) when the Time cell is blank, and the cell as written "
             "with the finding.",
             "Keep only the date and the time in the Date cell (22/05/2016 14:30); put an end "
             "time in the End Time column."),
        Code("end-date-invalid", _W, "End date not readable",
             "The End Date is not a date ('ongoing', 'not known'); the entry is kept without an "
             "end date. An End Date that does not exist (31/02/2025) or is written month first "
             "stays an error.",
             "Write the End Date day first (22/05/2016), or leave it blank when the entry has no end."),
        Code("end-next-day", _W, "End time the next day",
             "The End Time is before the Time and there is no End Date: the entry is taken to run "
             "past midnight into the next day.",
             "Put the next day's date in the End Date column, or correct the times."),
        Code("midnight-as-time", _I, "00:00 read as midnight",
             "Date cells show the time 00:00 where other rows of the column show real times or "
             "none (a log exported with its times): they were read as midnight, not as dates "
             "without a time.",
             "If an entry's time is not known, write its date alone."),
        Code("date-two-digit-year", _W, "Month with two figures",
             "A date such as Mar-12 was read as a month and a two-digit year (March 2012), but it "
             "could be a day of that month with no year.",
             "Write the year in full (March 2012), or the whole date (12/03/2025)."),
        Code("date-before-birth", _W, "Date before birth",
             "The date is before the subject's date of birth, so the entry cannot be about them "
             "as written.",
             "Check the year of the date."),
        Code("source-missing", _E, "Source missing",
             "The required Source of Information is blank, or holds only a ditto mark ('\"', "
             "'〃', 'do.', 'as above'): once sorted among other agencies' entries, the row above "
             "is another entry.",
             "Say which record the entry comes from (for example 'GP record', 'Incident log')."),
        Code("event-missing", _E, "Event missing",
             "The required Event / Contact Details is blank.",
             "Describe what happened, or delete the row if it was left by mistake."),
        Code("corrected-cell", _I, "Cell corrected by the administrator",
             "A cell was corrected through corrections.toml (the agency's file is untouched); the "
             "entry is flagged and the Corrections sheet keeps the original and the reason.",
             "Nothing to do; ask the agency to make the same change in its own records."),
        Code("correction-stale", _W, "Correction not applied",
             "A correction in corrections.toml names a cell that no longer holds the original "
             "value (the return was sent again, or corrected already), so it was not applied.",
             "Check the cell in the new return; change or remove the correction in "
             "corrections.toml."),
        Code("date-outside-period", _W, "Date outside the review period",
             "The date is outside the review's scoping period.",
             "Check the date; remove the entry if it is outside the period the review asked for."),
        Code("date-in-future", _E, "Date in the future",
             "The date is after today.",
             "Check the year and the day/month order of the date."),
        Code("out-of-order", _W, "Entries out of order",
             "The entries are neither in ascending nor descending date order.",
             "Sort the chronology by date, oldest first."),
        Code("action-missing", _W, "Action / outcome blank",
             "The recommended Action Taken / Outcome is blank, or holds only a ditto mark "
             "('\"', 'do.', 'as above'); a ditto mark is kept as written.",
             "Say what was done as a result, or 'No action'."),
        Code("practitioner-missing", _W, "Practitioner / role blank",
             "The recommended Practitioner / Role is blank, or holds only a ditto mark "
             "('\"', 'do.', 'as above'); a ditto mark is kept as written.",
             "Give the role of the practitioner involved (for example 'Duty social worker')."),
        Code("duplicate-row", _W, "Duplicate entry",
             "The same entry appears twice in one return.",
             "Delete one of the two rows if it was entered twice by mistake."),
        Code("unknown-column", _W, "Column not recognised",
             "A header matches no field of the schema; the column is kept as an extra column.",
             "Rename the heading to one from the Appendix 8b template if it is one of them, "
             "or map it with --map \"HEADING=field\"."),
        Code("colour-only-column", _W, "Column whose meaning is only its colours",
             "An extra column holds no text, but its cells are filled with colours that differ "
             "between rows (a RAG rating in red, amber and green): the column's meaning is in its "
             "colours, which sarkit does not read (a colour is never taken for a word), so the "
             "column is empty in every output. Only .xlsx, .xlsm and .ods files are looked at.",
             "Type the level (or what each colour stands for) in the cells as words, and send "
             "the return again."),
        Code("date-column-chosen", _W, "Date of the event chosen over date recorded",
             "Two columns look like the Date: one names the event's date (Date of Event), the "
             "other when the entry was recorded (Date of Entry); the event's date is used and "
             "the other column is kept as an extra column.",
             "Nothing to do if the column used gives the date of each event; otherwise rename "
             "the headings so that only the event's date column is called Date."),
        Code("date-column-ambiguous", _E, "Two columns for one date",
             "Two or more columns name the same date field equally (Date and Date of Event), so "
             "it cannot be told which gives the date of each event; no row of the return is "
             "read rather than guess.",
             "Rename one of the headings (for example to Date Recorded when it is the date the "
             "entry was written), or say which column is the date with review.toml [map] "
             "(\"Date of Event\" = \"date\") or --map \"Date of Event=date\"."),
        Code("two-row-header", _I, "Header over two rows",
             "The headings are spread over two rows (a group title over sub-headings, or words "
             "split over two rows); each column's words were read top to bottom as one heading.",
             "Nothing to do, if the headings listed are what the columns hold."),
        Code("other-chronology-sheet", _E, "Another sheet holds a chronology",
             "A second visible sheet also has a chronology table that does not carry the first on "
             "(other headings, or the same headings but a repeated period or overlapping dates: "
             "maybe a copy or an older version); only the best-matching sheet is read, so its rows "
             "are not in the combined chronology.",
             "Put every entry on one Chronology sheet (copy the rows across) and send the "
             "return again."),
        Code("rows-not-used", _I, "Rows of a return that could not be used",
             "The return could not be used as a whole (its error says why), so none of the rows "
             "under its headings is in the combined chronology; they are counted as rejected rows.",
             "Correct what the error names and send the return again; its rows are then read."),
        Code("instruction-row", _I, "Template instructions under the headings",
             "A row under the headings says how to fill the table in (its Date cell reads like "
             "'dd/mm/yyyy', not a date); it was skipped, not read as an entry.",
             "Nothing to do; or delete the row."),
        Code("table-continued", _I, "Word table carried on",
             "The chronology in a Word document goes on in the next table (split by a page break, "
             "a paragraph or a heading), with the same headings or none and the same columns; "
             "its rows were read as part of the chronology.",
             "Nothing to do, if the table is the chronology's continuation."),
        Code("sheet-continued", _I, "Later sheet read as the chronology carried on",
             "A later sheet has no heading row, but its columns are the chronology's and every "
             "row with a date has it in the Date column (a sheet per month, only the first with "
             "headings); or it has the chronology's headings and the sheet names are periods none "
             "of which repeats ('2024', '2025'), or its dates all come after those of the sheets "
             "before. Its rows were read as part of the chronology, under their own sheet and row "
             "numbers.",
             "Nothing to do, if the sheet carries the chronology on; better, copy its rows under "
             "the chronology's headings."),
        Code("table-not-read", _E, "Dated rows without headings not read",
             "A sheet or Word table other than the chronology's has rows with dates but no "
             "heading row, and its columns cannot be matched to the chronology's for certain "
             "(another number of columns, dates outside the Date column, or a Word table that "
             "does not follow the chronology's); its rows were not read and are counted as "
             "rejected rows.",
             "Copy the rows into the chronology's table, each value under its heading, or give "
             "the table the chronology's headings, and send the return again."),
        Code("sheet-not-read", _E, "Chronology sheet without a required column",
             "A sheet other than the chronology's has chronology headings but no column for a "
             "required field, and rows with a date and words beside it, like chronology entries; "
             "it was not read, and its rows are counted as rejected rows.",
             "If these are chronology entries, move them into the chronology sheet under its "
             "headings (or add the missing column), and send the return again."),
        Code("dates-on-other-sheet", _W, "Dated rows on a sheet not read",
             "A sheet that is not the chronology (headings of its own, or none) has rows with a "
             "date; it was not read. A warning when a dated row has words beside its date, like "
             "an entry; information when none has (a summary of totals by month, a sign-off) or when "
             "each is on a day the chronology has an entry on (a summary of its key dates).",
             "If these are chronology entries, move them into the chronology sheet under its "
             "headings; otherwise nothing to do."),
        Code("row-number-column", _I, "Column of row numbers left out",
             "A column with no heading holds only running numbers, one in every row (0, 1, 2, … "
             "or 1, 2, 3, …: the index a spreadsheet program or pandas adds); it is not kept.",
             "Nothing to do, if the column holds only row numbers; else give it a heading."),
        Code("second-table", _W, "A second table in the sheet",
             "Under the chronology, a row holds other headings (a second table, such as 'Contacts "
             "with family'); the rows under it were read with those headings, so a column means "
             "what its own heading says. When its headings are not the chronology's ('Date "
             "changed', 'Medication', 'Prescriber'), its rows are not read: each is an error, "
             "counted as a rejected row, its values kept with the finding.",
             "Check those rows in the chronology; better, move them into the main table under "
             "its headings."),
        Code("sheet-damaged", _E, "Sheet missing from the file",
             "The workbook lists a sheet whose contents are not in the file (the file is damaged: "
             "cut short, or changed by a program that broke it); that sheet was not read.",
             "Ask the agency to open the file, save it again and send it again."),
        Code("hidden-sheet", _W, "Hidden sheet not read",
             "The workbook has a hidden or very hidden sheet; it was not read.",
             "If the sheet holds chronology entries, unhide it and send the return again."),
        Code("formula-cell", _W, "Formula in a cell",
             "A cell holds a formula; its saved value is used (no saved value is an error).",
             "Replace the formula with its value (Copy, then Paste Special > Values)."),
        Code("merged-cells", _W, "Merged cells in the table",
             "Merged cells in the table; the value is taken from the top-left cell.",
             "Unmerge the cells and fill in each row."),
        Code("merged-across", _W, "Cells merged across columns",
             "Cells of a row are merged across columns; their text was kept in the first column "
             "only, and the columns they cover were left empty for that row.",
             "Unmerge the cells and put each part of the text in its own column (the event under "
             "Event, what was done under Action, and so on)."),
        Code("macros-present", _W, "Workbook has macros",
             "The workbook carries macros; they are never run and never copied.",
             "Ask the agency to save the return as a plain .xlsx workbook."),
        Code("external-link", _W, "Workbook links to other files",
             "The workbook links to other files; the links are never followed.",
             "Ask the agency to break the links (Data > Edit Links) and send it again."),
        Code("cell-comment", _W, "Comment on a cell",
             "A cell carries a comment; comments are not read into the chronology.",
             "Move anything important in the comment into the Comment / Analysis column."),
        Code("hidden-row", _W, "Hidden or filtered rows",
             "The table has hidden or filtered rows; they are read like every other row.",
             "Check that hidden rows are meant to be part of the return."),
        Code("tracked-changes", _W, "Tracked changes in a Word return",
             "Cells of a Word table hold tracked changes (text typed or deleted with Track Changes "
             "on); their text was read as it reads with every change accepted: inserted text "
             "kept, deleted text left out.",
             "Check those entries. In Word, accept or reject the changes (Review > Accept > Accept "
             "All Changes, or Reject) so the document says what is meant, and send it again."),
        Code("hidden-text", _W, "Hidden text in a Word return",
             "Cells of a Word table hold text formatted as hidden (Font > Hidden), which Word "
             "shows only with Show/Hide on; it was read like the text around it, as hidden rows "
             "of a sheet are.",
             "Check those entries: if the hidden text is not meant to be part of the return, "
             "delete it; else remove the Hidden formatting. Then send the return again."),
        Code("struck-through", _W, "Row struck through",
             "Every filled cell of the row, its Event among them, is struck through (a line "
             "through the text), as authors withdraw an entry: the row was kept out of the "
             "chronology, not read as an entry.",
             "Ask the agency to confirm that the entry was withdrawn; if it stands, remove the "
             "strikethrough and send the return again."),
        Code("struck-text", _W, "Text struck through in a cell",
             "Some or all of a cell's text is struck through (a line through it) while the rest "
             "of the row is not; the text is read as written, struck words included.",
             "Ask the agency whether the struck words stand: if they were withdrawn, delete them; "
             "else remove the strikethrough. Then send the return again."),
        Code("checkbox-not-read", _W, "Ticked checkbox linked to no cell",
             "A sheet has checkboxes (Excel form controls) that are ticked but linked to no "
             "cell; their ticks are in the controls only, never in a cell, so they were not read "
             "(a Key Event ticked that way is blank in the chronology).",
             "Type Y in the Key Event cell of each ticked row (or link each checkbox to its cell: "
             "Format Control > Cell link) and send the return again."),
        Code("note-not-read", _W, "Footnote or endnote in a Word return",
             "Cells of a Word table refer to a footnote or an endnote; the note's text is not in "
             "the chronology.",
             "If a note says something the chronology needs, put its text into the cell (or the "
             "Comment / Analysis column) and send the return again."),
        Code("table-in-cell", _I, "Table inside a Word table cell",
             "A cell of a Word table holds a table of its own; its text was read into the cell, "
             "one line a row, the row's cells joined by ' | '.",
             "Check that the entry reads as meant; a list in the cell reads better than a table."),
        Code("date-picker", _W, "Word date picker",
             "A Word table's Date cell is a date picker (a content control). When its text shows "
             "the date it stores in another order (month first, as the picker's format is set), the "
             "stored date is read and this is information; when its text shows another date than "
             "the one stored (typed over), the text is read and this is a warning.",
             "Check the date in the cell; to be sure, type the date as dd/mm/yyyy."),
        Code("table-in-layout", _I, "Word table inside a layout table",
             "A Word table is set inside a table of one column (a letterhead template, or a frame "
             "around the page); the inner table was read as a table of its own, and the frame's "
             "own text (a title) was not read.",
             "Nothing to do, if the inner table is the chronology."),
        Code("paragraph-not-read", _W, "Dated paragraph outside the Word tables",
             "A paragraph of a Word document, outside its tables (between two parts of the "
             "chronology's table, or after it), starts with a date followed by words, like an "
             "entry; only tables are read, so it is not in the chronology.",
             "If the paragraph is an entry, move it into the chronology's table as a row of its "
             "own (date, source, event) and send the return again."),
        Code("several-events-in-cell", _W, "Several dated events in one cell",
             "An Event / Contact Details cell holds lines that start with dates of their own, "
             "like several events written into one entry; the entry has only the row's date, so "
             "the other events are dated wrongly in the chronology and its gaps.",
             "Split the events into rows of their own, one event a row with its own date, and "
             "send the return again."),
        Code("entry-in-error", _W, "Entry said to be made in error",
             "An Event / Contact Details cell says an entry was made in error or withdrawn "
             "('Entered in error', 'Entry made in error - see next entry', 'ENTRY WITHDRAWN'); "
             "the row is kept as an entry, and so is the entry it withdraws or points to, so the "
             "chronology may hold an entry that does not stand.",
             "Remove the entries made in error from the return (or say which entry stands), and "
             "send the return again."),
        Code("late-entry", _W, "Late or retrospective entry",
             "An Event / Contact Details cell says it is a late or retrospective entry for an "
             "earlier day ('Late entry for …', 'Retrospective entry - visit on …'); the entry is "
             "kept on the day of its Date cell (perhaps the day it was written), never re-dated, "
             "so its place in the chronology and its gaps may be wrong.",
             "Put the day the event happened in the Date column (the note can say when it was "
             "written), and send the return again."),
        Code("event-refers-above", _W, "Event points at the entry above",
             "An Event / Contact Details cell points at the row above ('As above', 'Same as "
             "previous entry', 'See above'); once sorted among other agencies' entries, the row "
             "above is another entry, so the event says nothing of its own.",
             "Write the event out in full in its own cell, and send the return again."),
        Code("dated-row-not-joined", _E, "Row with only a dated event text",
             "A row has no date and no source, only Event text that starts with a date of its "
             "own; it looks like an entry of its own, so it was not added to "
             "the entry above, and without a date and a source it is rejected.",
             "Put the row's date in the Date column and its source in the Source column (or, if "
             "the text belongs to the entry above, move it into that entry's cell)."),
        Code("possible-identifier", _W, "Possible identifier in the text",
             "A cell may hold an identifier the pseudonyms missed: an NHS or National Insurance "
             "number, a postcode, a phone number, an email address, a date of birth or a name "
             "after a title (Mr, Mrs, Dr...) that is not a pseudonym or a practitioner's record. "
             "The value is never shown unless --show-values is given.",
             "Replace it with a pseudonym (add the name to [pseudonyms] in review.toml: sarkit "
             "validate --suggest-pseudonyms lists them) or remove it; if it is not personal (a "
             "hospital switchboard), add it to [identifiers] allow in review.toml. collate, gaps "
             "and new-imr --redact replace every one in their outputs."),
        Code("illegal-character", _W, "Control characters replaced",
             "A cell holds characters that cannot be written to a workbook; they were replaced.",
             "Nothing to do unless the text looks wrong in the combined chronology."),
        Code("cell-too-long", _W, "Cell text cut in the workbook",
             "A cell holds more text than a workbook cell can (32,767 characters); the combined "
             "workbook keeps its start and marks where it was cut, with how many characters "
             "followed; the JSON and CSV exports and the Word chronology keep the whole text.",
             "Split the text over several entries, or shorten it, and send the return again."),
        Code("divider-row", _I, "Divider row",
             "A row holding only a year, a month, a period or a heading (merged or repeated "
             "across the table, or typed in its first cell) divides the table; it is not an "
             "entry and dates no other row.",
             "Nothing to do; if the row was meant to be an entry, give it a date, a source and "
             "the event."),
        Code("repeated-header", _I, "Headings repeated",
             "A row repeats the column headings below the first row of them (a printed table's "
             "page break); it was skipped, not read as an entry.",
             "Nothing to do; or delete the row."),
        Code("page-text", _I, "Page text in the table",
             "A row holds only a page number or a 'continued' line ('Page 2 of 3', 'continued "
             "overleaf'), or, just above a repeated heading row, repeats a line of the page heading "
             "printed above the first column headings ('Client: …', 'Printed: … Page 2 of 2'); it "
             "was skipped and not added to the entry above it.",
             "Nothing to do; or delete the row."),
        Code("template-rows", _I, "Unused template rows",
             "Rows holding only a row number, a formula result, a default value (such as Key "
             "Event 'N'), a form placeholder or a word saying there is nothing ('n/a', 'nil', '-') are "
             "unused template rows; they are skipped.",
             "Nothing to do; if one of them was meant to be an entry, fill in its date, source "
             "and event."),
        Code("text-after-table", _I, "Text under the table",
             "The table ends at an end line, a sign-off, a total, a key or notes under blank rows; "
             "those rows are listed and not read as entries (a dated row with a source or event "
             "under them still is).",
             "Nothing to do; if an entry is among the rows listed, move it into the table with "
             "its date."),
        Code("total-row", _I, "Total inside the table",
             "A row holding only a total or a count ('Total 2024: 14', 'Number of contacts 12') "
             "with entries under it, such as a subtotal for a year, is not an entry; it is "
             "skipped. A total at the foot of the table is text under the table.",
             "Nothing to do; or delete the row."),
        Code("key-event-words", _I, "Key Event read from its first word",
             "A Key Event cell says more than yes or no ('Yes - first disclosure'); it is read by "
             "its first word (yes or no, in English or Welsh) and the whole text is kept in the "
             "extra column Key Event (as written).",
             "Nothing to do; to be sure, write only Y or N in the Key Event column and put the "
             "reason in the Comment / Analysis column."),
        Code("key-event-unclear", _W, "Key Event not yes or no",
             "A Key Event cell is neither yes nor no ('maybe'); the entry is not marked as a key "
             "event, and the text is kept in the extra column Key Event (as written).",
             "Write Y or N in the Key Event column, and put the reason in the Comment / Analysis "
             "column."),
        Code("continuation-row", _I, "Line joined to the entry above",
             "A row with no date and no source, holding only more Event, Action or Analysis "
             "text (one of them or several), continues the entry above it; its text is added to "
             "that entry. The first row of a Word table that carries the chronology on after a "
             "page break continues the last entry of the table before. A warning when the row "
             "adds an Action that reads as one of its own to an entry that had one.",
             "Nothing to do; if the row is a separate event, give it its own date and source."),
        Code("time-zone-converted", _W, "Timestamp with a time zone",
             "Date cells hold timestamps with a time zone ('2025-06-01T23:30:00Z', "
             "'…+01:00'): each was read as the UK clock showed it then, which is not the time "
             "written (and near midnight, not the day written).",
             "Check the times against the case system; export local UK times if it can."),
        Code("note-row", _W, "Note written across the table",
             "A row holding one sentence written (or merged) across the table, like a case note "
             "under its record. Straight under an entry (or under its joined lines) its text is "
             "added to that entry's Event on a new line, as a case-note export means it; with no "
             "entry above it (the first row, or under a rejected row, a divider or a blank row) it is "
             "not an entry and its words are not in the chronology.",
             "Check that a joined note belongs to the entry above it; put a note that is not in its "
             "entry's Event cell, or give it its own row with a date and source."),
        Code("continuation-day-month", _W, "Joined line that starts with a day and month",
             "A row with no date and no source continues the entry above it, but its Event text "
             "starts with what may be a day and a month without a year ('12/03 update: …'): "
             "maybe another day's event. Its text is added to the entry above; this says so.",
             "If the row is an entry of its own, give it its full date and source."),
        Code("encoding-guessed", _W, "Text encoding guessed",
             "A CSV file is not saved as UTF-8; the encoding its letters were read in was guessed "
             "(Windows-1252, Mac Roman, Windows-1250, DOS, or UTF-16 without a byte-order mark) "
             "and is named.",
             "If names or accents look wrong, save the file again as 'CSV UTF-8' and send it again."),
        Code("nil-return", _I, "Nil return",
             "The return has a header and no entries: the agency had no involvement.",
             "Nothing to do, if the agency really had no contact in the period."),
        Code("duplicate-file", _W, "Same file submitted twice",
             "The same file content was submitted twice (same SHA-256); an error when the copies "
             "are under two agencies' names (the copy is not counted as the second agency's return).",
             "Remove one of the copies from the returns folder; ask the second agency for its own "
             "return."),
        Code("skipped-file", _I, "File skipped",
             "A lock file or system file (~$x.xlsx, .~lock.x#, ._x, .DS_Store, Thumbs.db); or a file "
             "whose name says it is not a return (README, read me, Terms of Reference, ToR, guidance, "
             "instructions, covering letter or email, notes) and from which no chronology table "
             "could be read, unless its name matches an agency's files pattern.",
             "Nothing to do; these files are made by Excel, LibreOffice or the computer."),
        Code("sarkit-output", _I, "sarkit's own output",
             "A file sarkit wrote (combined workbook, workshop pack, IMR, CSV or JSON) was found "
             "among the returns; it is not read as a return.",
             "Keep sarkit's outputs out of the returns folder: the default output folder is out/ "
             "next to review.toml."),
        Code("combined-ref-missing", _E, "Combined workbook row without a Ref",
             "A row of the combined workbook's Chronology sheet has no Ref (added by hand): it is "
             "kept out of the analysis, as gaps, trails and patterns cite every entry by its Ref.",
             "Give the row a Ref not used by any other row (the next after the highest), or "
             "collate the returns again."),
        Code("combined-ref-repeated", _W, "Combined workbook Ref on two rows",
             "Two rows of the combined workbook's Chronology sheet have the same Ref (a row "
             "copied by hand): the first is analysed, the second is kept out, so no entry is "
             "analysed twice.",
             "Delete the copy, or give it a Ref of its own if it is another entry."),
        Code("combined-rows-edited", _W, "Combined workbook rows added or deleted by hand",
             "The Chronology sheet holds more or fewer entries than sarkit collate wrote (its About "
             "sheet says how many): rows were added, copied or deleted by hand since.",
             "If that was not meant, collate the returns again; the returns are the record."),
        Code("combined-agency-not-in-review", _W, "Combined workbook agency review.toml no longer lists",
             "The combined workbook holds entries of an agency that review.toml does not list "
             "(removed, or renamed without an alias, since the workbook was made): they are "
             "analysed as the workbook gives them.",
             "Collate the returns again to leave the agency out, or list it again in review.toml "
             "(an alias keeps a renamed agency)."),
        Code("combined-agencies-sheet-missing", _W, "Combined workbook without its Agencies sheet",
             "The combined workbook's Agencies sheet has been deleted, so which agencies sent a nil "
             "return, an unusable one or none cannot be known from it: no agency is called missing.",
             "Collate the returns again, or use a copy of the workbook that has its Agencies sheet."),
        Code("agency-ambiguous", _E, "File name fits several agencies",
             "The return does not say its agency, and its file name matches the files patterns "
             "of two or more agencies in review.toml: no agency is guessed, so its rows without "
             "an Agency cell are kept out and neither agency counts as received through it.",
             "Fill in 'Agency:' on the Details sheet, rename the file so that it matches one "
             "agency's pattern, or make the patterns in review.toml narrower."),
        Code("agency-without-return", _W, "Rows of an agency that sent no return",
             "Rows of a return name another agency of the review (a joint visit) that sent no "
             "return of its own: they are in the chronology under that agency, but the rows do "
             "not make the file its return, so its return is still missing.",
             "Ask the agency named for its own return; if the file is a return for several "
             "agencies, add its name to each one's files patterns in review.toml."),
        Code("blank-template", _E, "Blank template",
             "A return with no entries whose Details sheet has Author, Role and Date completed all "
             "empty (the blank template, never filled in): it is not counted as a nil return.",
             "If the agency had no involvement, ask it to fill in Author and Date completed (or to "
             "write 'Nil return' under the headings) and send it again; else ask for its chronology."),
        Code("agency-not-listed", _E, "Agency not in review.toml",
             "The return's 'Agency:' cell, or a row's Agency cell, names an agency that review.toml "
             "does not list: its rows are not put under any agency (never under a new one).",
             "If the cell means an agency in the review, add the name to that agency's aliases in "
             "review.toml; else correct the cell to the agency's name and send the return again."),
        Code("agency-joint-entry", _I, "Joint entry naming several agencies",
             "A row's Agency cell names several agencies of review.toml ('ASC and Police'), the "
             "return's own agency among them (a joint visit): the row is the return's agency's "
             "entry; the other agencies' own returns say their part.",
             "Nothing to do."),
        Code("agency-several", _E, "Agency cell names several agencies",
             "A row's Agency cell names several agencies of review.toml, none of them the return's "
             "own agency: the row is not put under any agency (whose entry it is is not guessed).",
             "Correct the cell to the one agency whose entry the row is, and send the return "
             "again."),
        Code("agency-ref-parts", _I, "Return in several parts with overlapping Refs",
             "An agency sent its return in several files (an ED file and a ward file) whose Ref "
             "numbers overlap but whose rows under the same Ref have other dates and events: they "
             "are parts, not versions, and every row of each is in the chronology (told apart by "
             "file).",
             "Nothing to do. Refer to an entry by its combined Ref (C0001) or by file and Agency Ref."),
        Code("agency-file-mismatch", _W, "File name and Agency cell disagree",
             "The file name matches one agency's files pattern in review.toml, but the return's "
             "entries name another agency of the review; they were put under the agency named.",
             "If the return is the file name's agency's, correct the Agency cell and send it again; "
             "else rename the file."),
        Code("several-returns", _W, "Several returns for one agency",
             "Two or more returns for one agency, not parts of one return (those are "
             "agency-ref-parts or agency-parts); an entry identical in both is collated once. When "
             "the files share few entries but their periods overlap, they may be versions or parts: "
             "the message says so, and asks for a check before either is removed.",
             "If one file is a resubmission, remove the older one from the returns folder."),
        Code("agency-parts", _I, "Return in several parts",
             "An agency sent its return in several files without Refs in common, which hold other "
             "entries (at most 1 in 5 in common) over periods that do not overlap (at most 1 in 5 "
             "entries inside the other file's period): they are parts, not versions, and every row "
             "of each is in the chronology (told apart by Source File).",
             "Nothing to do. If one file does replace the other, remove the older one from the "
             "returns folder."),
        Code("agency-ref-versions", _W, "One Agency Ref with two versions",
             "Two returns of one agency give the same Agency Ref to entries with different "
             "contents (a resubmission correcting a date or a text): both versions are in the "
             "chronology.",
             "If one return corrects the other, remove the older one from the returns folder."),
        Code("several-plans", _W, "Two versions of one action plan",
             "Two action plans of one agency hold the same actions (the same Ref, or the same "
             "Recommendation and Action): each is counted once, from the later version (the higher "
             "version mark in the file name, such as v2, else the file modified last); the earlier "
             "file's other actions are still counted.",
             "If the later file replaces the earlier one, remove the earlier one from the plans "
             "folder; if the wrong file was taken as the later one, rename it with its version (v2)."),
        Code("plan-value-unknown", _W, "Status or RAG not on the list",
             "A Status or RAG cell of an action plan holds a value that is not on the plan's list "
             "(Not started, In progress, Complete, Not achieved; Red, Amber, Green, Blue) nor a "
             "plain way of saying one; the action is counted under the value as written.",
             "Choose the value from the list in the Status or RAG column and send the plan again."),
    ]
}


@dataclass(slots=True)
class Finding:
    """One thing validation found, with the place it was found."""

    code: str
    severity: Severity
    file: str
    message: str
    hint: str = ""
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    cell: str | None = None
    values: dict[str, str] = field(default_factory=dict)
    # (what is wrong, how to fix it) in the words of a letter to the agency, when the message and
    # hint speak of the agency and its files to the review team (output/agency_wording.py)
    agency_words: tuple[str, str] | None = None

    def to_json(self, *, with_file: bool = False) -> dict[str, object]:
        """The documented JSON shape; `values` (a rejected row's cells) only when present."""
        data: dict[str, object] = {"code": self.code, "severity": str(self.severity)}
        if with_file:
            data["file"] = self.file
        data.update(sheet=self.sheet, row=self.row, column=self.column, cell=self.cell,
                    message=self.message, hint=self.hint)
        if self.values:
            data["values"] = dict(self.values)
        return data


def finding(
    code: str,
    file: str,
    message: str,
    *,
    hint: str | None = None,
    severity: Severity | None = None,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    cell: str | None = None,
) -> Finding:
    """Make a finding of a catalogued code; the catalogue supplies severity and hint by default."""
    entry = CATALOGUE[code]
    return Finding(
        code=code,
        severity=severity or entry.severity,
        file=file,
        message=message,
        hint=entry.hint if hint is None else hint,
        sheet=sheet,
        row=row,
        column=column,
        cell=cell,
    )


def column_letter(index: int) -> str:
    """A 0-based column index as spreadsheet letters: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_name(row: int, col: int) -> str:
    """A1 name of a 1-based row and a 0-based column."""
    return f"{column_letter(col)}{row}"


def count(findings: list[Finding], severity: Severity) -> int:
    """How many findings have this severity."""
    return sum(1 for f in findings if f.severity == severity)


def catalogue_markdown() -> str:
    """docs/findings.md, generated from the catalogue so the two cannot drift."""
    lines = [
        "# Finding codes",
        "",
        "Generated from `src/sarkit/findings.py` (`python -m sarkit.findings > docs/findings.md`).",
        "Errors keep a row (or a whole file) out of the combined chronology; warnings and",
        "information do not. Every finding names its file, and its sheet, row and cell when it",
        "has one.",
        "",
        "| code | severity | what it means | how to fix it |",
        "| --- | --- | --- | --- |",
    ]
    for code in CATALOGUE.values():
        lines.append(f"| `{code.code}` | {code.severity} | {code.description} | {code.hint} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(catalogue_markdown(), end="")
