"""Reading filled-in action plans, as messy as returns: title rows, renamed headers, text dates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from sarkit.action_plans import (
    CONTENT_KEYS,
    RAGS,
    STATUSES,
    ActionRow,
    known_value,
    match_plan_column,
    normalise_rag,
    normalise_status,
)
from sarkit.chronology import cell_text
from sarkit.dates import DateError, PartialDate, TimeError, parse_date, reads_month_first_too
from sarkit.errors import SarkitError
from sarkit.findings import Finding, Severity, cell_name, finding
from sarkit.intake import read_workbook
from sarkit.raw_tables import RawSheet, RawWorkbook
from sarkit.review import Review
from sarkit.row_shapes import END_MARKER, SIGN_OFF, says_nothing
from sarkit.row_shapes import text as shown_text
from sarkit.schema import HEADER_SEARCH_ROWS, Schema, load_schema, match_header_row, normalise_header
from sarkit.textfile import read_user_text
from sarkit.wording import and_list, rows_listed

MIN_PLAN_COLUMNS = 2
# Besides an Action or Recommendation, a plan's table names one of these (or both of those):
# a chronology's Action (its outcome) beside a Ref is no plan.
_PLAN_DEFINING = frozenset({"lead_officer", "target_date", "status", "rag", "progress", "evidence",
                            "date_completed", "critical_friend"})
UNKNOWN_AGENCY = "Unknown agency"
DATE_KEYS = {"target_date": "Target Date", "date_completed": "Date Completed"}
# Words in a plan's file name that say nothing about the agency.
_NAME_NOISE = re.compile(
    r"\b(?:sar|action|actions|plan|plans|update|updated|updates|final|draft|copy|progress|"
    r"v\d+|version|\d+)\b",
    re.IGNORECASE,
)


@dataclass(slots=True)
class PlanResult:
    """What became of one action plan file."""

    path: str
    rows: list[ActionRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    sheet: str | None = None
    header_row: int | None = None
    chronology: bool = False  # no plan table, but a chronology's headings: an agency's return


@dataclass(slots=True)
class _Header:
    sheet: RawSheet
    index: int  # 0-based index into sheet.rows
    columns: dict[int, str]  # 0-based column -> plan column key


def read_action_plan(
    path: Path, *, agency: str | None = None, review: Review | None = None, password: str | None = None
) -> PlanResult:
    """Read one plan file; a file that cannot be read gives findings, never an exception."""
    workbook = read_workbook(Path(path), password=password)
    return plan_rows(workbook, agency=agency, review=review or Review())


def plan_rows(
    workbook: RawWorkbook, *, agency: str | None = None, review: Review | None = None
) -> PlanResult:
    """The actions of a raw workbook: find the header row, read each data row."""
    review = review or Review()
    result = PlanResult(path=workbook.path, findings=list(workbook.findings))
    if any(f.severity is Severity.ERROR and f.row is None for f in workbook.findings):
        return result  # the file itself could not be read; a bad cell costs only its row
    headers = _find_headers(workbook.sheets)
    if not headers and is_chronology(workbook):
        result.chronology = True
        result.findings.append(finding(
            "no-chronology-sheet", workbook.path,
            "This file is an agency's chronology return (its headings name a Date and an Event or "
            "Source), not an action plan, so no action was read from it.",
            hint="Give the agency's filled-in action plan; sarkit validate and sarkit collate read "
            "the returns.",
        ))
        return result
    if not headers:
        result.findings.append(finding(
            "no-chronology-sheet", workbook.path,
            "No sheet has an action plan header row (such as Action, Lead Officer, Target Date, "
            "Status) in its first 30 rows.",
            hint="Use the workbook made by sarkit new-action-plan, or put the column headings "
            "Ref, Recommendation, Action, Lead Officer, Target Date and Status in one row.",
        ))
        return result
    result.sheet = headers[0].sheet.name
    result.header_row = headers[0].sheet.cell_ref(headers[0].index, 0)[0]
    file_agency, unlisted = _file_agency(workbook, agency, review)
    if unlisted:
        result.findings.append(_not_listed(workbook.path, f"The {unlisted}", review,
                                           "its actions without an Agency"))
    for header in headers:
        _sheet_rows(workbook, header, result, review, file_agency, unlisted)
    return result


def _sheet_rows(workbook: RawWorkbook, header: _Header, result: PlanResult, review: Review,
                file_agency: str, unlisted: str) -> None:
    """The actions of one sheet's plan table, down to where the table ends."""
    sheet = header.sheet
    rows = _unmerged(sheet)
    end = _table_end(sheet, header)
    after: list[int] = []
    month_first: list[int] = []  # rows with a date that reads only month first
    either_way: list[tuple[int, int, str]] = []  # (row, column, heading) of dates that read both ways
    for index in range(header.index + 1, len(rows)):
        cells = rows[index]
        values = {key: cells[col] if col < len(cells) else None for col, key in header.columns.items()}
        if all(_blank(values.get(key)) for key in CONTENT_KEYS):
            continue
        row_number = sheet.cell_ref(index, 0)[0]
        if end is not None and index >= end and not _action_shaped(sheet.rows[index], header):
            after.append(row_number)
            continue
        row = ActionRow(
            agency="",
            ref=cell_text(values.get("ref")),
            recommendation=cell_text(values.get("recommendation")),
            action=cell_text(values.get("action")),
            lead_officer=cell_text(values.get("lead_officer")),
            status=normalise_status(cell_text(values.get("status"))),
            rag=normalise_rag(cell_text(values.get("rag"))),
            progress=cell_text(values.get("progress")),
            evidence=cell_text(values.get("evidence")),
            critical_friend=cell_text(values.get("critical_friend")),
            file=workbook.path,
            sheet=sheet.name,
            row=row_number,
        )
        for key, heading in (("status", "Status"), ("rag", "RAG")):
            if not known_value(getattr(row, key)):
                col = next(c for c, k in header.columns.items() if k == key)
                result.findings.append(finding(
                    "plan-value-unknown", workbook.path,
                    f"The {heading} in row {row_number} is not one on the plan's list "
                    f"({', '.join(STATUSES if key == 'status' else RAGS)}); the action is counted "
                    "under it as written.",
                    sheet=sheet.name, row=row_number, column=heading,
                    cell=cell_name(row_number, sheet.cell_ref(index, col)[1]),
                ))
        for key, heading in DATE_KEYS.items():
            col = next((c for c, k in header.columns.items() if k == key), None)
            value = values.get(key)
            if _blank(value) or col is None:
                continue
            try:
                date, _ = parse_date(value, date1904=workbook.date1904)
            except DateError as exc:
                if exc.reason == "month-first":
                    month_first.append(row_number)
                result.findings.append(finding(
                    "date-invalid", workbook.path,
                    f"The {heading} in row {row_number} cannot be read as a date: "
                    f"{str(exc).rstrip('.')}. The action is counted as having no {heading}.",
                    hint=exc.hint or None, severity=Severity.WARNING, sheet=sheet.name,
                    row=row_number, column=heading,
                    cell=cell_name(row_number, sheet.cell_ref(index, col)[1]),
                ))
                continue
            if reads_month_first_too(value):
                either_way.append((row_number, sheet.cell_ref(index, col)[1], heading))
            setattr(row, key, date)
        written = cell_text(values.get("agency"))
        if written and (named := _agency_name(written, review)):
            row.agency = named
        elif written:
            col = next(c for c, k in header.columns.items() if k == "agency")
            result.findings.append(_not_listed(
                workbook.path, f"The Agency in row {row_number}", review, "the action", sheet=sheet.name,
                row=row_number, cell=cell_name(row_number, sheet.cell_ref(index, col)[1])))
            row.agency = UNKNOWN_AGENCY
        elif file_agency:
            row.agency = file_agency
        elif unlisted:
            row.agency = UNKNOWN_AGENCY  # the file-level finding says why
        else:
            result.findings.append(finding(
                "agency-unknown", workbook.path,
                f"The action in row {row_number} has no Agency and the file does not say which "
                "agency it is from; it is listed under 'Unknown agency'.",
                hint="Fill in the Agency column, or give --agency NAME.",
                severity=Severity.WARNING, sheet=sheet.name, row=row_number,
            ))
            row.agency = UNKNOWN_AGENCY
        result.rows.append(row)
    if month_first:
        _report_day_first(workbook.path, sheet.name, either_way, month_first, result)
    if after:
        result.findings.append(finding(
            "text-after-table", workbook.path,
            f"The action plan table ends before row {after[0]}: {rows_listed(after)} under it (a sign-off, "
            f"a total, a key or notes) {'is' if len(after) == 1 else 'are'} not read as actions.",
            hint="Nothing to do; if an action is among the rows listed, move it into the table.",
            sheet=sheet.name, row=after[0],
        ))


def is_action_plan(path: Path, password: str | None = None) -> bool:
    """Whether a file is an action plan and no return: it holds a plan's table, as `sarkit
    actions` reads it (`_find_headers`), and no chronology's headings (a return's workbook may
    hold its agency's action plan on another sheet)."""
    workbook = read_workbook(Path(path), password=password)
    return holds_plan(workbook) and not is_chronology(workbook)


def holds_plan(workbook: RawWorkbook) -> bool:
    """Whether a visible sheet of a raw workbook has an action plan's header row."""
    return bool(_find_headers(workbook.sheets))


def is_chronology(workbook: RawWorkbook) -> bool:
    """Whether a visible sheet has a chronology's heading row in its first 30 rows."""
    return any(_chronology_headings(cells) for sheet in workbook.sheets if sheet.visible
               for cells in sheet.rows[:HEADER_SEARCH_ROWS])


def _chronology_headings(cells: list[object]) -> bool:
    """A row whose headings name a chronology's Date and its Event or Source (Appendix 8b)."""
    keys = set(match_header_row(cells, _schema()).columns.values())
    return "date" in keys and bool(keys & {"event", "source"})


@cache
def _schema() -> Schema:
    return load_schema()


def _find_headers(sheets: list[RawSheet]) -> list[_Header]:
    """Each visible sheet's plan header row: the row (of its first 30) naming the most plan
    columns, Action or Recommendation among them and a column only a plan has (Lead Officer,
    Target Date, Status…, or both of them); the first such row on a tie; never a row of a
    chronology's headings (`_chronology_headings`). A workbook may hold a plan on several
    sheets ('Single agency', 'Multi-agency'): every one is read."""
    found: list[_Header] = []
    for sheet in sheets:
        if not sheet.visible:
            continue
        best: _Header | None = None
        for index, cells in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
            columns: dict[int, str] = {}
            for col, value in enumerate(cells):
                key = match_plan_column(value) if isinstance(value, str) else None
                if key and key not in columns.values():
                    columns[col] = key
            keys = set(columns.values())
            if len(keys) < MIN_PLAN_COLUMNS or not keys & {"action", "recommendation"}:
                continue
            if not (keys & _PLAN_DEFINING or {"action", "recommendation"} <= keys):
                continue
            if _chronology_headings(cells):
                continue
            if best is None or len(columns) > len(best.columns):
                best = _Header(sheet, index, columns)
        if best is not None:
            found.append(best)
    return found


def _table_end(sheet: RawSheet, header: _Header) -> int | None:
    """The index of the row where the plan table ends, as a return's table does: the first end
    line (`_end_line`); None when no row is one."""
    return next((index for index in range(header.index + 1, len(sheet.rows))
                 if _end_line(sheet.rows[index], header)), None)


def _end_line(cells: list[object], header: _Header) -> bool:
    """An end line typed from the table's first column or alone in its row ('Signed off by:',
    'Total actions', 'Key:', 'RAG key', 'Legend'), row_shapes' END_MARKER and SIGN_OFF; never
    a recommendation or action beginning so ('Author guidance…') beside a Lead Officer, Target
    Date, Status or Ref."""
    filled = [(col, shown_text(value)) for col, value in enumerate(cells) if shown_text(value)]
    if not filled:
        return False
    col, value = filled[0]
    alone = len({v.casefold() for _, v in filled}) == 1
    if not ((col <= min(header.columns, default=0) or alone)
            and (END_MARKER.match(value) or SIGN_OFF.match(value))):
        return False
    return header.columns.get(col) not in ("action", "recommendation") or not any(
        _values(cells, header).get(key) for key in _DETAIL_KEYS)


_DETAIL_KEYS = ("ref", "lead_officer", "target_date", "status")


def _values(cells: list[object], header: _Header) -> dict[str, str]:
    return {key: shown_text(cells[col]) if col < len(cells) else "" for col, key in header.columns.items()}


def _action_shaped(cells: list[object], header: _Header) -> bool:
    """An action's text beside a Ref, Lead Officer, Target Date or Status (or a recommendation
    beside its action), on a row that is no end line: an action even under the end of the table."""
    if _end_line(cells, header):
        return False
    values = _values(cells, header)
    what = values.get("action") or values.get("recommendation", "")
    if not what or says_nothing(what):
        return False
    return any(values.get(key) for key in _DETAIL_KEYS) or bool(
        values.get("action") and values.get("recommendation"))


def _report_day_first(path: str, sheet: str, either_way: list[tuple[int, int, str]],
                      evidence: list[int], result: PlanResult) -> None:
    """date-maybe-month-first at each date that reads both ways, when other dates of the sheet
    can only be read month first, as returns get it."""
    for row, col, heading in either_way:
        result.findings.append(finding(
            "date-maybe-month-first", path,
            f"The {heading} in row {row} was read day first, but this plan appears to write dates "
            f"month first: the {'date' if len(evidence) == 1 else 'dates'} in {rows_listed(evidence)} can "
            "only be read month first. If this date is month first too, the action is due on "
            "another day.",
            hint="Write every date day first (31/03/2026), or as a date cell, and send the plan again.",
            severity=Severity.WARNING, sheet=sheet, row=row, column=heading, cell=cell_name(row, col),
        ))




def _unmerged(sheet: RawSheet) -> list[list[object]]:
    """Rows with every merged cell given its top-left value (a recommendation spanning actions)."""
    rows = [list(r) for r in sheet.rows]
    for r1, c1, r2, c2 in sheet.merged:
        top = r1 - sheet.first_row
        left = c1 - sheet.first_col
        if not 0 <= top < len(rows) or left < 0 or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(max(top, 0), min(r2 - sheet.first_row + 1, len(rows))):
            for c in range(left, c2 - sheet.first_col + 1):
                if c < len(rows[r]) and _blank(rows[r][c]):
                    rows[r][c] = value
    return rows


def _file_agency(workbook: RawWorkbook, agency: str | None, review: Review) -> tuple[str, str]:
    """The agency of a plan's rows that have no Agency, from --agency, the Details sheet, or the
    file name matched against review.toml's agencies (names, short names, aliases, `files`
    patterns); never made up from the file name when review.toml lists agencies. With it, what
    named an agency review.toml does not list ("--agency option", "Agency on the Details sheet"),
    or "" when none did."""
    for text, where in ((agency, "--agency option"),
                        (workbook.details.get("agency"), "Agency on the Details sheet")):
        if text:
            name = _agency_name(text, review)
            return (name, "") if name else ("", where)
    name = Path(workbook.path).name
    by_glob = review.agency_for_file(name)
    if by_glob:
        return by_glob.name, ""
    words = [w for w in re.split(r"[\s_\-.]+", Path(workbook.path).stem)
             if w and not _NAME_NOISE.fullmatch(w)]
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            known = review.find_agency(" ".join(words[start : start + size]))
            if known:
                return known.name, ""
    if review.agencies or not words:
        return "", ""  # the rows' agency-unknown findings say what to do
    # no review.toml agencies to match: the file name, as written, is all there is to go on
    cleaned = " ".join(words)
    return (cleaned.title() if cleaned.islower() else cleaned), ""


def _agency_name(text: str, review: Review) -> str:
    """The review's name for the agency written; "" when review.toml lists agencies and none is
    this one (a plan never adds an agency); the text as written when review.toml lists none."""
    known = review.find_agency(text)
    if known:
        return known.name
    return "" if review.agencies else " ".join(text.split())


def _not_listed(path: str, what: str, review: Review, whose: str, **where: object) -> Finding:
    listed = and_list([a.short or a.name for a in review.agencies], at_most=8)
    return finding(
        "agency-not-listed", path,
        f"{what} names an agency that is not in review.toml (it lists {listed}), so {whose} "
        f"{'is' if whose == 'the action' else 'are'} listed under '{UNKNOWN_AGENCY}'.",
        hint="If it means an agency in the review, add the name to that agency's aliases in "
             "review.toml; else correct it to the agency's name.",
        severity=Severity.WARNING, **where)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())



# ---------------------------------------------------------------- recommendations from an IMR

RECOMMENDATIONS_HEADING = "Recommendations"
_REF_HEADERS = {"no", "ref", "number", "recno", "refno", "recommendationno", "recommendationnumber"}
_TITLE_PREFIX = re.compile(r"^\s*individual management review\s*[:\-–]\s*", re.IGNORECASE)


@dataclass(slots=True)
class ImrRecommendations:
    """What an IMR's Recommendations section holds, and the agency its title names."""

    items: list[tuple[str, str]]  # (ref, recommendation)
    agency: str = ""
    time_bound: dict[str, str] = field(default_factory=dict)  # ref -> its Time-bound cell


_TIME_BOUND = {"timebound", "timebounded", "timescale", "targetdate", "bywhen", "deadline"}
_BY = re.compile(r"^\s*(?:by|before|no later than)\s+(?:the\s+end\s+of\s+)?", re.IGNORECASE)


def target_date(text: str) -> PartialDate | None:
    """The Target Date a Time-bound cell gives ('31/03/2026', 'by March 2026', '2026'), or None
    when it is not a date ('within six months')."""
    cleaned = _BY.sub("", text or "").strip().rstrip(".")
    if not cleaned:
        return None
    try:
        date, _ = parse_date(cleaned)
    except (DateError, TimeError):
        return None
    return date


def read_imr_recommendations(path: Path) -> ImrRecommendations:
    """The recommendations of an IMR (.docx or .md): its table rows or list items."""
    path = Path(path)
    if path.suffix.lower() in (".md", ".markdown", ".txt"):
        try:
            text = read_user_text(path, "The IMR")
        except OSError as exc:
            raise _imr_error(path, exc.strerror or "unreadable") from None
        return _markdown_recommendations(path, text)
    return _docx_recommendations(path)


def _imr_error(path: Path, why: str) -> SarkitError:
    return SarkitError(f"The IMR {path} cannot be read ({why}).",
                       hint="Give the IMR as a .docx or .md file made from sarkit new-imr.")


def _no_section(path: Path) -> SarkitError:
    return SarkitError(f"The IMR {path} has no section headed '{RECOMMENDATIONS_HEADING}'.",
                       hint="Give the recommendations their own heading, as in the skeleton "
                       "made by sarkit new-imr.")


def _markdown_recommendations(path: Path, text: str) -> ImrRecommendations:
    from sarkit.formats.markdown import inline_text, parse_markdown, section_items

    found = section_items(text, RECOMMENDATIONS_HEADING)
    if found is None:
        raise _no_section(path)
    tables, items = found
    tokens = parse_markdown(text)
    agency = next((_agency_from_title(inline_text(tokens[i + 1])) for i, t in enumerate(tokens)
                   if t.type == "heading_open" and t.tag == "h1"), "")
    rows, bound = [], {}
    for table in tables:
        found, times = _table_recommendations([table.header, *table.rows])
        rows += found
        bound.update(times)
    numbered = _numbered(rows + [("", i) for i in items])
    return ImrRecommendations(numbered, agency, _time_bound(rows, numbered, bound))


def _docx_recommendations(path: Path) -> ImrRecommendations:
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on a bad file
        raise _imr_error(path, f"not a Word document, or damaged: {type(exc).__name__}") from None
    level: int | None = None
    agency = ""
    rows: list[tuple[str, str]] = []
    bound: dict[int, str] = {}
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            heading = _heading_level(block)
            if heading is not None:
                if not agency and heading <= 1:
                    agency = _agency_from_title(block.text)
                if level is not None and heading <= level:
                    break
                if level is None and _is_recommendations(block.text):
                    level = heading
                continue
            if level is not None and _is_list(block) and block.text.strip():
                rows.append(("", block.text.strip()))
        elif isinstance(block, Table) and level is not None:
            cells = [[cell.text for cell in row.cells] for row in block.rows]
            found, times = _table_recommendations(cells)
            bound.update({len(rows) + i: t for i, t in times.items()})
            rows.extend(found)
    if level is None:
        raise _no_section(path)
    numbered = _numbered(rows)
    return ImrRecommendations(numbered, agency, _time_bound(rows, numbered, bound))


def _time_bound(rows: list[tuple[str, str]], numbered: list[tuple[str, str]],
                bound: dict[int, str]) -> dict[str, str]:
    """Row index -> Time-bound text, keyed instead by each row's (numbered) ref."""
    return {numbered[i][0]: text for i, text in bound.items() if i < len(rows) and text}


def _heading_level(paragraph) -> int | None:
    name = paragraph.style.name if paragraph.style is not None else ""
    if name == "Title":
        return 0
    match = re.fullmatch(r"Heading (\d)", name)
    return int(match.group(1)) if match else None


def _is_list(paragraph) -> bool:
    name = paragraph.style.name if paragraph.style is not None else ""
    properties = paragraph._p.pPr
    return name.startswith("List") or (properties is not None and properties.numPr is not None)


def _is_recommendations(text: str) -> bool:
    from sarkit.formats.markdown import heading_matches

    return heading_matches(text, RECOMMENDATIONS_HEADING)


def _agency_from_title(text: str) -> str:
    """'Individual Management Review: Northshire Police' -> 'Northshire Police'."""
    return " ".join(_TITLE_PREFIX.sub("", text).split()) if _TITLE_PREFIX.match(text) else ""


def _table_recommendations(cells: list[list[str]]) -> tuple[list[tuple[str, str]], dict[int, str]]:
    """(ref, recommendation) of each filled-in row, and (by its index among them) the text of its
    Time-bound column when there is one; the header row says which column is which."""
    if not cells:
        return [], {}
    header = [normalise_header(h) for h in cells[0]]
    ref_col = next((i for i, h in enumerate(header) if h in _REF_HEADERS), None)
    rec_col = next((i for i, h in enumerate(header) if h.startswith("recommendation")
                    and h not in _REF_HEADERS), None)
    if rec_col is None:
        rec_col = next((i for i in range(len(header)) if i != ref_col), None)
    if rec_col is None:
        return [], {}
    time_col = next((i for i, h in enumerate(header) if h in _TIME_BOUND), None)
    found: list[tuple[str, str]] = []
    bound: dict[int, str] = {}
    for row in cells[1:]:
        text = " ".join(row[rec_col].split()) if rec_col < len(row) else ""
        if text:
            ref = row[ref_col].strip() if ref_col is not None and ref_col < len(row) else ""
            if time_col is not None and time_col < len(row) and row[time_col].strip():
                bound[len(found)] = " ".join(row[time_col].split())
            found.append((ref, text))
    return found, bound


def _numbered(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Give every recommendation a ref: its own, or the next number."""
    numbered = []
    for index, (ref, text) in enumerate(rows, start=1):
        numbered.append((ref or str(index), text))
    return numbered
