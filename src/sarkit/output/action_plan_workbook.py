"""The action plan workbook an agency fills in: drop-downs, date checks, overdue rows in red."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter

from sarkit.action_plans import COLUMNS, COMPLETE, RAGS, STATUSES, ActionRow
from sarkit.dates import Precision
from sarkit.findings import column_letter
from sarkit.output.combined_workbook import close
from sarkit.output.row_heights import row_height

SHEET = "Action Plan"
BLANK_ROWS = 20  # bordered rows left for the agency below the pre-filled ones
VALIDATED_ROWS = 500  # drop-downs and date checks reach this far down
OVERDUE_FILL = "#F4CCCC"
OVERDUE_TEXT = "#7A0000"


def _column(key: str) -> int:
    return next(i for i, c in enumerate(COLUMNS) if c.key == key)


def write_action_plan_workbook(
    path: Path,
    rows: Sequence[ActionRow],
    *,
    marking: str,
    reference: str = "",
    agency: str = "",
    subject: str = "",
) -> None:
    """Write the plan: header row 1 (bold, frozen), one row per action, room for more."""
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                               "strings_to_numbers": False})
    try:
        _write(workbook, rows, marking=marking, reference=reference, agency=agency, subject=subject)
    finally:
        close(workbook)  # a full disk: the OSError it is, one sentence for the user


def _write(workbook, rows, *, marking, reference, agency, subject) -> None:
    title = " – ".join(p for p in ("Action plan", agency, reference, subject) if p)
    workbook.set_properties({"title": title, "subject": marking, "comments": "Made by sarkit"})
    sheet = workbook.add_worksheet(SHEET)
    header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1,
                                  "bg_color": "#D9D9D9"})
    text = workbook.add_format({"text_wrap": True, "valign": "top", "border": 1})
    date = workbook.add_format({"num_format": "dd/mm/yyyy", "valign": "top", "border": 1})
    overdue = workbook.add_format({"bg_color": OVERDUE_FILL, "font_color": OVERDUE_TEXT})
    last_col = len(COLUMNS) - 1
    last_row = max(len(rows) + BLANK_ROWS, VALIDATED_ROWS)  # 1-based sheet row of the last data row

    for col, column in enumerate(COLUMNS):
        is_date = column.key in ("target_date", "date_completed")
        sheet.set_column(col, col, column.width, date if is_date else text)
        sheet.write_string(0, col, column.heading, header)
    sheet.freeze_panes(1, 0)
    sheet.set_row(0, 30)
    sheet.autofilter(0, 0, len(rows) + BLANK_ROWS, last_col)

    widths = [column.width for column in COLUMNS]
    for index, row in enumerate(rows, start=1):
        # LibreOffice and Excel do not grow the rows of a written file: text would print over text
        texts = [getattr(row, column.key) if column.key not in ("status", "rag") else ""
                 for column in COLUMNS]  # a status or RAG is one short word
        sheet.set_row(index, row_height(texts, widths, line_points=15.0, size=11))
        for col, column in enumerate(COLUMNS):
            value = getattr(row, column.key)
            if column.key in ("target_date", "date_completed"):
                if value is not None and value.precision is not Precision.DAY:
                    # 'March 2026' stays a month (due by its end), as when typed in the plan: a
                    # date cell would be 01/03/2026, overdue from the 2nd
                    sheet.write_string(index, col, value.display(), text)
                elif value is not None:
                    sheet.write_datetime(index, col, _as_datetime(value.start), date)
                else:
                    sheet.write_blank(index, col, None, date)
                continue
            if column.key in ("status", "rag") and value not in STATUSES + RAGS or not value:
                sheet.write_blank(index, col, None, text)
            else:
                sheet.write_string(index, col, str(value), text)
    for index in range(len(rows) + 1, len(rows) + BLANK_ROWS + 1):
        for col, column in enumerate(COLUMNS):
            is_date = column.key in ("target_date", "date_completed")
            if column.key == "agency" and agency:  # the plan says whose it is, whatever its file name
                sheet.write_string(index, col, agency, text)
            else:
                sheet.write_blank(index, col, None, date if is_date else text)

    first, last = 2, last_row  # sheet rows of the data (1-based)
    status = column_letter(_column("status"))
    target = column_letter(_column("target_date"))
    sheet.data_validation(f"{status}{first}:{status}{last}", {
        "validate": "list", "source": list(STATUSES),
        "input_title": "Status", "input_message": "Choose from the list.",
        "error_title": "Status", "error_message": "Choose one of: " + ", ".join(STATUSES) + ".",
    })
    rag = column_letter(_column("rag"))
    sheet.data_validation(f"{rag}{first}:{rag}{last}", {
        "validate": "list", "source": list(RAGS),
        "error_title": "RAG", "error_message": "Choose one of: " + ", ".join(RAGS) + ".",
    })
    for key, heading in (("target_date", "Target Date"), ("date_completed", "Date Completed")):
        letter = column_letter(_column(key))
        sheet.data_validation(f"{letter}{first}:{letter}{last}", {
            "validate": "date", "criteria": "between",
            "minimum": dt.datetime(2000, 1, 1), "maximum": dt.datetime(2099, 12, 31),
            "input_title": heading, "input_message": "A date, day first: dd/mm/yyyy.",
            "error_title": heading, "error_message": "Enter a date as dd/mm/yyyy (for example 31/03/2026).",
        })
    # Overdue: a target date before today and not Complete. Blank dates are never overdue.
    sheet.conditional_format(f"A{first}:{column_letter(last_col)}{last}", {
        "type": "formula",
        "criteria": f'=AND(${target}{first}<>"",${target}{first}<TODAY(),${status}{first}<>"{COMPLETE}")',
        "format": overdue,
    })

    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_margins(left=0.5, right=0.5, top=0.9, bottom=0.8)
    head = _header_text(marking)
    sheet.set_header(_header(reference, f'&"-,Bold"{head}' if head else "", _header_text(agency)))
    sheet.set_footer(_header("Action plan", "Page &P of &N", f'&"-,Bold"{head}' if head else ""))


def _header(left: str, centre: str, right: str) -> str:
    """An Excel header/footer string; empty parts left out (some readers stumble on them)."""
    return "".join(f"&{code}{part}" for code, part in (("L", left), ("C", centre), ("R", right)) if part)


def _header_text(text: str) -> str:
    """Text for an Excel page header: '&' doubled so it is not read as a code."""
    return (text or "").replace("&", "&&")



def _as_datetime(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)
