"""Workbook features reported, never run or copied: macros, links, formulas, comments, hidden rows.

Each finding names its sheet and cell and never quotes what a cell, comment or link holds.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from sarkit.findings import Finding, Severity, cell_name, finding
from sarkit.intake.limits import ZipPackage
from sarkit.intake.ods_dates import read_ods_times, show_ods_dates
from sarkit.intake.package import PackageScan, has_vba, relationships
from sarkit.intake.shown_dates import show_dates_as_written
from sarkit.intake.struck import find_struck_ods, find_struck_xlsx
from sarkit.raw_tables import RawSheet, RawWorkbook
from sarkit.wording import CALCULATE_HINT, rows_listed

MAX_CELLS_LISTED = 20  # per sheet and code; the rest are counted in one more finding
_ODS_MACRO = re.compile(r"^(?:basic/[^/]+/[^/]+\.xml|scripts/.+)$")


def report_package(workbook: RawWorkbook, package: ZipPackage, scan: PackageScan) -> None:
    """Findings for what a zipped workbook carries; fills the RawSheets' formula/hidden fields."""
    names = list(package.lower)
    macros = has_vba(package) or any(s.kind == "macrosheet" for s in scan.sheets)
    if scan.fmt == "ods":
        macros = macros or any(_ODS_MACRO.match(n) for n in names)
    if macros:
        report_macros(workbook)
    links = sum(1 for n in names if re.match(r"(?:.*/)?externallinks/externallink\d*\.(?:xml|bin)$", n))
    if links:
        workbook.findings.append(finding(
            "external-link", workbook.path,
            f"The workbook links to {links} other file{'s' if links > 1 else ''}; the links were "
            "not followed (the values saved in this workbook were used).",
        ))
    # a relationship to a part the file does not hold (an empty relationship id is a quirk of
    # some programs, not damage: such a sheet has nothing to read)
    for broken in (s for s in scan.sheets if s.part is None and s.target and s.kind == "worksheet"):
        workbook.findings.append(finding(
            "sheet-damaged", workbook.path,
            f"The workbook lists a sheet {broken.name} but its contents are missing from the "
            "file (it is damaged); that sheet was not read.", sheet=broken.name,
        ))
    sheets = {sheet.name: sheet for sheet in workbook.sheets if sheet.visible}
    if scan.fmt in {"xlsx", "xlsm"}:
        show_dates_as_written(package, {name: (sheets[name], measured.part)
                                        for name, measured in scan.scans.items() if name in sheets})
    if scan.fmt == "ods":
        for sheet in sheets.values():
            read_ods_times(sheet)
    if scan.fmt in {"xlsx", "xlsm"}:
        find_struck_xlsx(package, scan, {name: (sheets[name], measured)
                                              for name, measured in scan.scans.items() if name in sheets})
    if scan.fmt == "ods":
        find_struck_ods(package, scan.ods_strikes, sheets)
    if scan.fmt == "ods" and scan.ods_styles is not None:
        show_ods_dates(package, scan.ods_styles, {name: (sheets[name], measured) for name, measured
                                                  in scan.scans.items() if name in sheets})
    for name, measured in scan.scans.items():
        sheet = sheets.get(name)
        if sheet is None:
            continue
        sheet.formulas = set(measured.formulas)
        if not sheet.merged:  # calamine lists no merged ranges for .ods; the scan has them
            sheet.merged = list(measured.merged)
        sheet.formulas_without_value = set(measured.formulas_without_value)
        sheet.unsaved_rows = {row for first, last in measured.unsaved_rows
                              for row in range(first, last + 1)}
        sheet.errors = dict(measured.errors)
        if scan.fmt in {"xlsx", "xlsm"}:
            sheet.totals_rows = _totals_rows(package, measured.part)
        sheet.hidden_rows = {row for row in measured.hidden_rows if _has_data(sheet, row)}
        comments = list(measured.comments)
        if scan.fmt in {"xlsx", "xlsm"}:
            comments.extend(_ooxml_comments(package, measured.part))
            ticked = _unlinked_ticks(package, measured.part)
            if ticked:
                _report_unlinked_ticks(workbook, name, ticked, _ticked_rows(package, measured.part, ticked))
        _report_sheet(workbook, sheet, sorted(set(comments)), measured.autofilter, measured.filtered)


def report_macros(workbook: RawWorkbook) -> None:
    what = "document" if workbook.format == "docx" else "workbook"
    workbook.findings.append(finding(
        "macros-present", workbook.path,
        f"The {what} carries macros; they were not run and are never copied.",
    ))


def report_ole_macros(workbook: RawWorkbook, streams: set[str] | None, kinds: list[tuple[str, str]]) -> None:
    """Macros of an Excel 97-2003 workbook: a VBA project stream or an Excel 4.0 macro sheet."""
    vba = streams is not None and any(
        s == "_vba_project_cur" or s.startswith("_vba_project_cur/") or s == "macros" for s in streams)
    if vba or any(kind == "MacroSheet" for _, kind in kinds):
        report_macros(workbook)


def report_xls_rows(workbook: RawWorkbook, data: bytes) -> None:
    """Hidden rows and formula cells of an Excel 97-2003 workbook (from its records), reported as
    for .xlsx; its month or year date cells read as they show."""
    from sarkit.intake.shown_dates import show_cells, show_times_as_dates, times_among_dates
    from sarkit.intake.xls_rows import xls_sheet_facts

    facts = xls_sheet_facts(data, {sheet.name: times_among_dates(sheet)
                                   for sheet in workbook.sheets if sheet.visible})
    for sheet in workbook.sheets:
        found = facts.get(sheet.name)
        if not sheet.visible or found is None:
            continue
        show_cells(sheet, found.shown)
        show_times_as_dates(sheet, found.dated_times)
        sheet.hidden_rows = {row for row in found.hidden_rows if _has_data(sheet, row)}
        sheet.formulas = set(found.formulas)
        sheet.errors = dict(found.errors)
        sheet.struck = dict.fromkeys(found.struck, True)  # a cell's font; rich text is not looked at
        if sheet.hidden_rows or sheet.formulas:
            _report_sheet(workbook, sheet, [], None, False)


def _has_data(sheet: RawSheet, row: int) -> bool:
    index = row - sheet.first_row
    if not 0 <= index < len(sheet.rows):
        return False
    return any(v is not None and not (isinstance(v, str) and not v.strip()) for v in sheet.rows[index])


def _ooxml_comments(package: ZipPackage, part: str) -> list[tuple[int, int]]:
    """Cells holding a (legacy or threaded) comment with text, from the sheet's related parts."""
    import defusedxml.ElementTree as SafeET

    from sarkit.intake.limits import parse_range

    cells = []
    for kind, target in relationships(package, part).values():
        if kind not in {"comments", "threadedComment"} or not package.has(target):
            continue
        raw = package.read_small(target)
        if not raw:
            continue
        try:
            root = SafeET.fromstring(raw, forbid_dtd=True)
        except Exception:  # noqa: BLE001 - a damaged comments part is not worth a finding
            continue
        for element in root.iter():
            if not element.tag.endswith(("}comment", "}threadedComment")):
                continue
            text = "".join(element.itertext()).strip()
            area = parse_range(element.get("ref", ""))
            if text and area is not None:
                cells.append((area[0], area[1]))
    return cells


def _unlinked_ticks(package: ZipPackage, part: str) -> int:
    """How many ticked checkboxes (form controls, xl/ctrlProps/) of the sheet are linked to no
    cell: their tick is in the control only, never in a cell."""
    import defusedxml.ElementTree as SafeET

    ticked = 0
    for kind, target in relationships(package, part).values():
        if kind != "ctrlProp" or not package.has(target):
            continue
        raw = package.read_small(target)
        try:
            root = SafeET.fromstring(raw, forbid_dtd=True) if raw else None
        except Exception:  # noqa: BLE001 - a damaged control part: nothing to say of it
            continue
        if (root is not None and (root.get("objectType") or "").lower() == "checkbox"
                and (root.get("checked") or "").lower() in {"checked", "mixed"}
                and not (root.get("fmlaLink") or "").strip()):
            ticked += 1
    return ticked


def _ticked_rows(package: ZipPackage, part: str, ticked: int) -> list[int]:
    """The rows the sheet's ticked checkboxes linked to no cell sit on, from its drawing (VML,
    which Excel writes beside xl/ctrlProps/): [] unless the drawing reads and agrees with the
    controls' count, and each such checkbox lies within one row."""
    import defusedxml.ElementTree as SafeET

    rows: list[int] = []
    for kind, target in relationships(package, part).values():
        if kind != "vmlDrawing" or not package.has(target):
            continue
        raw = package.read_small(target)
        try:
            root = SafeET.fromstring(raw, forbid_dtd=True) if raw else None
        except Exception:  # noqa: BLE001 - VML is often not well-formed XML: no rows then
            return []
        for data in (root.iter() if root is not None else ()):
            if not data.tag.endswith("}ClientData") or (data.get("ObjectType") or "").lower() != "checkbox":
                continue
            values = {child.tag.rsplit("}", 1)[-1]: (child.text or "").strip() for child in data}
            if values.get("Checked", "0") in ("", "0") or values.get("FmlaLink"):
                continue
            anchor = values.get("Anchor", "").split(",")
            if len(anchor) != 8 or not all(a.strip().isdigit() for a in anchor):
                return []
            top, bottom = int(anchor[2]) + 1, int(anchor[6]) + 1
            if top != bottom:
                return []
            rows.append(top)
    return sorted(rows) if len(rows) == ticked else []


def _report_unlinked_ticks(workbook: RawWorkbook, name: str, ticked: int, rows: list[int]) -> None:
    what = "a ticked checkbox that is" if ticked == 1 else f"{ticked} ticked checkboxes that are"
    where = f" (on {rows_listed(rows, at_most=MAX_CELLS_LISTED)})" if rows else ""
    workbook.findings.append(finding(
        "checkbox-not-read", workbook.path,
        f"The sheet {name} has {what} not linked to any cell{where}; sarkit reads cells only, so "
        f"{'that tick was' if ticked == 1 else 'those ticks were'} not read (a Key Event ticked "
        "that way is blank in the chronology).", sheet=name, row=rows[0] if rows else None,
    ))


def _totals_rows(package: ZipPackage, part: str) -> set[int]:
    """The totals rows of the sheet's Excel tables (ListObjects): the last `totalsRowCount` rows
    of each table's range, as its definition in xl/tables/ says."""
    import defusedxml.ElementTree as SafeET

    from sarkit.intake.limits import parse_range

    rows: set[int] = set()
    for kind, target in relationships(package, part).values():
        if kind != "table" or not package.has(target):
            continue
        raw = package.read_small(target)
        try:
            root = SafeET.fromstring(raw, forbid_dtd=True) if raw else None
        except Exception:  # noqa: BLE001 - a damaged table part: its rows are read as rows
            continue
        area = parse_range(root.get("ref", "")) if root is not None else None
        count = (root.get("totalsRowCount") or "0").strip() if root is not None else "0"
        if area is None or not count.isdigit():
            continue
        first, _, last, _ = area
        rows.update(range(max(first + 1, last - min(int(count), 1000) + 1), last + 1))
    return rows


def _report_sheet(
    workbook: RawWorkbook, sheet: RawSheet, comments: list[tuple[int, int]],
    autofilter: str | None, filtered: bool,
) -> None:
    path, name = workbook.path, sheet.name
    workbook.findings.extend(formula_findings(path, sheet))
    workbook.findings += _cells(
        path, sheet, "cell-comment", comments, None,
        lambda cell: f"The cell {cell} of the sheet {name} has a comment; comments are not "
        "read into the chronology.",
        "cells of this sheet have comments; comments are not read into the chronology.")
    for first, last in _runs(sorted(sheet.hidden_rows))[:MAX_CELLS_LISTED]:
        where = f"Row {first} of the sheet {name} is hidden; it was" if first == last else (
            f"Rows {first} to {last} of the sheet {name} are hidden; they were")
        workbook.findings.append(finding(
            "hidden-row", path, f"{where} read like every other row.", sheet=name, row=first,
        ))
    if filtered and autofilter:
        workbook.findings.append(finding(
            "hidden-row", path,
            f"The sheet {name} has a filter on {autofilter}; rows it hides were read like every "
            "other row.", sheet=name, cell=autofilter.split(":")[0],
        ))


def formula_findings(path: str, sheet: RawSheet, template_rows: Collection[int] = (),
                     named_rows: Collection[int] = (), total_rows: Collection[int] = ()) -> list[Finding]:
    """The `formula-cell` findings of a sheet. The cells of unused template rows (`template_rows`,
    known once the table is read) are not listed one by one: the template-rows finding names
    those rows, and one warning says when their formulas had no saved value. Nor are the cells
    of rows of formulas never calculated (`named_rows`): each such row has its own finding. A
    formula with no saved value in a row that is no entry (`total_rows`: a total, text under the
    table) holds no entry's value: a warning, as a calculated one is, not an error."""
    name = sheet.name
    skip = set(template_rows) | set(named_rows)
    totals = {cell for cell in sheet.formulas_without_value if cell[0] in set(total_rows)} - {
        cell for cell in sheet.formulas_without_value if cell[0] in skip}
    without_value = {cell for cell in sheet.formulas_without_value if cell[0] not in skip} - totals
    # a formula showing an error (#N/A) is reported where the row is read (`cell-error`)
    with_value = sorted(cell for cell in sheet.formulas - without_value - totals - sheet.errors.keys()
                        if cell[0] not in skip)
    hint = CALCULATE_HINT
    found = _cells(path, sheet, "formula-cell", sorted(without_value), Severity.ERROR,
                   lambda cell: f"The cell {cell} of the sheet {name} holds a formula with no saved "
                   "value, so it reads as blank.",
                   "cells of this sheet hold formulas with no saved value (they read as blank).",
                   hint=hint)
    found += _cells(path, sheet, "formula-cell", sorted(totals), Severity.WARNING,
                    lambda cell: f"The cell {cell} of the sheet {name} holds a formula with no saved "
                    "value, in a row that is no entry (a total, or text under the table); what it "
                    "shows is not known.",
                    "cells of this sheet's rows that are no entry hold formulas with no saved value.",
                    hint=hint)
    found += _cells(path, sheet, "formula-cell", with_value, None,
                    lambda cell: f"The cell {cell} of the sheet {name} holds a formula; the value it "
                    "showed when the workbook was saved is used.",
                    "cells of this sheet hold formulas; the values they showed when saved are used.")
    unsaved = sorted(cell for cell in sheet.formulas_without_value if cell[0] in set(template_rows))
    if unsaved:
        rows = sorted({row for row, _ in unsaved})
        one = len(unsaved) == 1
        found.append(finding(
            "formula-cell", path,
            f"{len(unsaved):,} {'cell' if one else 'cells'} of the unused template rows "
            f"({rows_listed(rows)}) of the sheet {name} {'holds a formula' if one else 'hold formulas'} "
            f"with no saved value, so {'it reads' if one else 'they read'} as blank; the rows were "
            "taken as unused template rows.", hint=hint, severity=Severity.WARNING, sheet=name,
            row=rows[0], cell=cell_name(*unsaved[0]),
        ))
    return found


def _cells(path, sheet, code, cells, severity, one, many, *, hint=None) -> list[Finding]:
    found = []
    for row, col in cells[:MAX_CELLS_LISTED]:
        cell = cell_name(row, col)
        found.append(finding(
            code, path, one(cell), hint=hint, severity=severity, sheet=sheet.name,
            row=row, cell=cell,
        ))
    rest = len(cells) - MAX_CELLS_LISTED
    if rest > 0:
        found.append(finding(
            code, path, f"{rest:,} more {many}", hint=hint, severity=severity,
            sheet=sheet.name,
        ))
    return found


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs
