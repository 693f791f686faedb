"""The blank Appendix 8b workbook an agency fills in: Instructions, Details, Chronology, Glossary.

Everything is laid out so that the filled-in workbook reads back with no finding but the ones
its entries earn: the Details labels end in ':' (how intake finds 'Agency:'), the Chronology
header is row 1 with the schema's own headings, and no other sheet has a row that looks like
a chronology header.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import xlsxwriter

from sarkit.findings import column_letter
from sarkit.review import Agency, Review
from sarkit.schema import Field, Schema

SHEETS = ("Instructions", "Details", "Chronology", "Glossary")
DETAIL_LABELS = ("Agency:", "Review:", "Subject:", "Period:", "Author:", "Role:", "Date completed:")
INSTRUCTIONS_WIDTH = 72  # characters; one column of sentences
LAST_ROW = 2000  # data validations reach this sheet row
EXCLUDED_FIELDS = {"agency"}  # the Details sheet says the agency once for the whole return

# Column widths by field key; a Board's own fields get a width by type.
WIDTHS = {
    "ref": 8, "date": 13, "time": 8, "end_date": 13, "end_time": 9, "source": 24,
    "event": 60, "action": 40, "practitioner": 24, "analysis": 40, "key_event": 10,
}
WIDTHS_BY_TYPE = {"date": 13, "time": 9, "yesno": 10, "text": 30}

DATE_HELP = (
    "Day first: dd/mm/yyyy, e.g. 22/05/2025. Uncertain date: ?22/05/2025. "
    "Day not known: the month alone, e.g. May 2025."
)
DATE_WARNING = (
    "Excel does not see a date here. That is fine for ?22/05/2025 or May 2025: press OK to keep "
    "it. Otherwise write the date day first as dd/mm/yyyy."
)


def chronology_fields(schema: Schema) -> list[Field]:
    """The fields that are columns of the template's Chronology sheet, in order."""
    return [f for f in schema.fields if f.key not in EXCLUDED_FIELDS]


def format_period(review: Review) -> str:
    """'01/01/2025 to 31/12/2025', with 'open' for a missing end; blank when neither is set."""
    start, end = review.period_start, review.period_end
    if start is None and end is None:
        return ""

    def show(day: dt.date | None) -> str:
        return day.strftime("%d/%m/%Y") if day else "open"

    return f"{show(start)} to {show(end)}"


def write_template_workbook(path: Path, *, agency: Agency, review: Review, schema: Schema) -> None:
    """Write the blank chronology workbook for one agency to `path`."""
    workbook = xlsxwriter.Workbook(str(path), {
        "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
    })
    try:
        _write(workbook, agency, review, schema)
    finally:
        workbook.close()


def _write(workbook: xlsxwriter.Workbook, agency: Agency, review: Review, schema: Schema) -> None:
    title = " – ".join(p for p in ("Chronology", agency.name, review.reference) if p)
    workbook.set_properties({"title": title, "subject": review.marking,
                             "comments": "Appendix 8b template made by sarkit"})
    styles = {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "heading": workbook.add_format({"bold": True, "font_size": 12}),
        "label": workbook.add_format({"bold": True, "valign": "top"}),
        "header": workbook.add_format({"bold": True, "text_wrap": True, "valign": "top",
                                       "border": 1, "bg_color": "#D9D9D9"}),
        "text": workbook.add_format({"text_wrap": True, "valign": "top"}),
        "date": workbook.add_format({"num_format": "dd/mm/yyyy", "valign": "top"}),
        "time": workbook.add_format({"num_format": "hh:mm", "valign": "top"}),
    }
    sheets = {name: workbook.add_worksheet(name) for name in SHEETS}
    _instructions(sheets["Instructions"], styles, agency, review, schema)
    _details(sheets["Details"], styles, agency, review)
    _chronology(sheets["Chronology"], styles, schema)
    _glossary(sheets["Glossary"], styles)
    for name, sheet in sheets.items():
        _page_setup(sheet, name, agency, review)


def _instructions(sheet, styles, agency: Agency, review: Review, schema: Schema) -> None:
    headings = {f.key: f.heading for f in schema.fields}
    subject = review.subject or "the adult"

    def heading(key: str, default: str) -> str:
        return headings.get(key, default)

    lines: list[tuple[str, str]] = [
        ("title", "Single-agency chronology (Appendix 8b)"),
        ("text", " ".join(part for part in (
            f"Agency: {agency.name}." if agency.name else "",
            f"Review: {review.reference}." if review.reference else "",
            f"Subject: {review.subject}." if review.subject else "",
            f"Period: {format_period(review)}." if format_period(review) else "",
        ) if part)),
        ("text", f"Protective marking: {review.marking}. Return this workbook by secure email only."),
        ("text", ""),
        ("heading", "How to fill it in"),
        ("text", "1. On the Details sheet, fill in Author, Role and Date completed. "
                 "Leave Agency, Review, Subject and Period as they are."),
        ("text", "2. On the Chronology sheet, write one event per row, oldest first, starting in "
                 "row 2. Keep each entry to one event or contact."),
        ("text", f"3. {heading('date', 'Date')}: day first, as dd/mm/yyyy (for example "
                 "22/05/2025). Put ? before a date that is uncertain (?22/05/2025). If the day is "
                 "not known, write the month alone (May 2025)."),
        ("text", "4. Times as hh:mm in 24-hour form (14:30). Leave the time blank if it is not "
                 "recorded."),
        ("text", f"5. {heading('end_date', 'End Date')} and {heading('end_time', 'End Time')} "
                 "only for something that lasted: a hospital admission, a placement, a period "
                 "of supervision."),
        ("text", f"6. {heading('source', 'Source of Information')}: the record the entry comes "
                 "from (for example GP record, incident log, case notes)."),
        ("text", f"7. {heading('event', 'Event / Contact Details')}: what happened, stated as "
                 f"fact, not opinion. Refer to the adult as {subject}. Put your reflections in "
                 f"{heading('analysis', 'Comment / Analysis')}."),
        ("text", f"8. {heading('action', 'Action Taken / Outcome')}: what was done as a result. "
                 "If nothing was done, say so."),
        ("text", f"9. {heading('practitioner', 'Practitioner / Role')}: the role of the person "
                 "involved (and the name, if your agency's policy allows)."),
        ("text", f"10. {heading('key_event', 'Key Event (Y/N)')}: Y for an event that mattered "
                 "to what happened to the adult, otherwise N."),
        ("text", "11. If your agency had no contact with the adult in the period, say so: leave "
                 "the Chronology sheet with its header row and no entries, fill in the Details "
                 "sheet, and return the workbook (a nil return)."),
        ("text", "12. Write every abbreviation you use on the Glossary sheet, with its meaning."),
        ("text", "13. A row whose Source of Information starts with # (for example '# Records "
                 "before March 2025 are archived') is a note to the review: it is kept and shown, "
                 "and only its date is checked."),
        ("text", "14. Keep the header row as it is: do not rename, move or delete its columns. "
                 "Do not merge cells, add formulas, hide or add sheets, or use colour to carry "
                 "meaning."),
        ("text", "15. The date cells warn when Excel does not see a date. For ?22/05/2025 or "
                 "May 2025 press OK (or Yes) to keep what you typed."),
    ]
    sheet.set_column(0, 0, INSTRUCTIONS_WIDTH, styles["text"])
    for row, (style, text) in enumerate(lines):
        if text:
            sheet.write_string(row, 0, text, styles[style])
        if style == "text" and len(text) > INSTRUCTIONS_WIDTH * 0.9:
            # Spreadsheets do not grow a row for wrapped text they did not lay out themselves.
            sheet.set_row(row, 15 * math.ceil(len(text) / (INSTRUCTIONS_WIDTH * 0.9)))
    sheet.activate()


def _details(sheet, styles, agency: Agency, review: Review) -> None:
    values = (agency.name, review.reference, review.subject, format_period(review), "", "", "")
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, 1, 60, styles["text"])
    for row, (label, value) in enumerate(zip(DETAIL_LABELS, values, strict=True)):
        sheet.write_string(row, 0, label, styles["label"])
        if value:
            sheet.write_string(row, 1, value, styles["text"])
    sheet.write_blank(DETAIL_LABELS.index("Date completed:"), 1, None, styles["date"])


def _chronology(sheet, styles, schema: Schema) -> None:
    fields = chronology_fields(schema)
    for col, f in enumerate(fields):
        width = WIDTHS.get(f.key, WIDTHS_BY_TYPE.get(f.type, 30))
        style = {"date": styles["date"], "time": styles["time"]}.get(f.type, styles["text"])
        sheet.set_column(col, col, width, style)
        sheet.write_string(0, col, f.heading, styles["header"])
    sheet.set_row(0, 32)
    sheet.freeze_panes(1, 0)
    for col, f in enumerate(fields):
        letter = column_letter(col)
        cells = f"{letter}2:{letter}{LAST_ROW}"
        if f.type == "date":
            # Text such as ?22/05/2025 or May 2025 is valid: 'information' only warns.
            sheet.data_validation(cells, {
                "validate": "date", "criteria": "between",
                "minimum": dt.datetime(1900, 1, 1), "maximum": dt.datetime(2199, 12, 31),
                "ignore_blank": True, "error_type": "information",
                "input_title": f.heading[:32], "input_message": DATE_HELP,
                "error_title": "Is this a date?", "error_message": DATE_WARNING,
            })
        elif f.type == "yesno":
            sheet.data_validation(cells, {
                "validate": "list", "source": ["Y", "N"], "ignore_blank": True,
                "error_type": "warning", "error_title": f.heading[:32],
                "error_message": "Write Y for a key event, N otherwise.",
            })


def _glossary(sheet, styles) -> None:
    sheet.set_column(0, 0, 18, styles["text"])
    sheet.set_column(1, 1, 70, styles["text"])
    sheet.write_string(0, 0, "Abbreviation", styles["header"])
    sheet.write_string(0, 1, "Meaning", styles["header"])
    sheet.freeze_panes(1, 0)


def _page_setup(sheet, name: str, agency: Agency, review: Review) -> None:
    sheet.set_paper(9)  # A4
    if name == "Chronology":
        sheet.set_landscape()
        sheet.repeat_rows(0)
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.5, right=0.5, top=0.9, bottom=0.8)
    marking = _header_text(review.marking)
    sheet.set_header(f'&L{_header_text(review.reference)}&C&"-,Bold"{marking}'
                     f'&R{_header_text(agency.label)}')
    sheet.set_footer(f'&L{_header_text(name)}&CPage &P of &N&R&"-,Bold"{marking}')


def _header_text(text: str) -> str:
    """Text for an Excel page header: '&' doubled so it is not read as a code."""
    return (text or "").replace("&", "&&")
