"""Word returns (.docx): each table becomes a raw sheet ("Table 1", …); 'Agency: X' lines are details.

Some agencies write their chronology as a table in a Word document (the form the best-known
commercial tool produces). A table is read like a sheet: the chronology code finds its header
row, and findings name the table, row and column. Merged cells (gridSpan, vMerge) keep their
text in the first cell and are listed as merged ranges, as in a workbook.

A cell's text is what Word shows in it, read from the cell's XML in document order, one line a
paragraph: plain runs and hyperlinks, the shown result of a field (never its instruction), the
shown text of a content control (a date picker, a drop-down; an empty control's placeholder
prompt is not text), text boxes, equations, and a table nested in the cell (one line a row, its
cells joined by ' | ', with a `table-in-cell` finding). Tracked changes are read as the document
reads with them accepted (Word's default Simple Markup view, and what the author meant to send):
inserted text is kept, deleted text is left out, and a `tracked-changes` finding lists the cells.
Text formatted as hidden (w:vanish) is read like the text around it, as hidden rows of a sheet
are, and a `hidden-text` warning lists the cells; a footnote or endnote reference is read as
nothing, and a `note-not-read` warning lists the cells (the note's text is not in the table).
A comment on a cell's text is a `cell-comment` warning; a date picker alone in a cell gives the
date it stores when its text shows that date in any order (`date-picker`).

A text box is saved twice (the choice and a fallback copy for older Word): only the choice is
read, so a table in a text box is one table. A table set inside a one-column layout table (a
letterhead) is read as a table of its own (`table-in-layout`). A paragraph outside the tables
that starts with a date followed by words is named (`paragraph-not-read`): only tables are read.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field, replace

from sarkit.dated_lines import dated_remark, starts_with_date
from sarkit.dates import DateError, parse_date
from sarkit.findings import Severity, finding
from sarkit.raw_tables import RawSheet, RawWorkbook
from sarkit.wording import and_list

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
DETAIL_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z /&()'’-]{0,40}?)\s*:\s*(\S.*?)\s*$")
DETAIL_PARAGRAPHS = 200
PLACES_LISTED = 20  # cells named in one finding; the rest are counted

_P, _R, _T, _TBL, _TR, _TC = W + "p", W + "r", W + "t", W + "tbl", W + "tr", W + "tc"
_SDT, _SDT_CONTENT, _SDT_PR = W + "sdt", W + "sdtContent", W + "sdtPr"
_TXBX = W + "txbxContent"
# inline elements whose children are read as the paragraph's own content
_WRAPPERS = {W + "hyperlink", W + "smartTag", W + "customXml", W + "fldSimple", W + "dir", W + "bdo"}
_INSERTED = {W + "ins", W + "moveTo"}
_DELETED = {W + "del", W + "moveFrom"}
_CHARACTERS = {W + "tab": "\t", W + "ptab": "\t", W + "br": "\n", W + "cr": "\n",
               W + "noBreakHyphen": "-"}
_PICTURES = {W + "drawing", W + "pict", _MC + "AlternateContent"}
_NOT_SHOWN = {W + "instrText", W + "delText", W + "delInstrText"}
_NOTES = {W + "footnoteReference", W + "endnoteReference"}
_COMMENTS = {W + "commentRangeStart", W + "commentReference"}
# tracked changes to a row or cell itself (a row or cell inserted, deleted or merged)
_ROW_CHANGES = (f"{W}trPr/{W}ins", f"{W}trPr/{W}del")
_CELL_CHANGES = (f"{W}tcPr/{W}cellIns", f"{W}tcPr/{W}cellDel", f"{W}tcPr/{W}cellMerge")
# symbol fonts' private-use characters (U+F0xx) Word documents use most; others show as U+FFFD
_SYMBOL_FONTS = {
    "symbol": {0xB0: "°", 0xB1: "±", 0xB4: "×", 0xB8: "÷", 0xAC: "←", 0xAD: "↑", 0xAE: "→",
               0xAF: "↓", 0xB7: "•", 0xA3: "≤", 0xB3: "≥", 0xB9: "≠", 0xBB: "≈", 0x2D: "−",
               0x2B: "+", 0x3D: "=", 0x3C: "<", 0x3E: ">", 0x20: " ", 0x6D: "μ",
               **{code: chr(code) for code in range(0x30, 0x3A)}},
    "wingdings": {0xFB: "✗", 0xFC: "✔", 0xFD: "☒", 0xFE: "☑", 0xA8: "◻", 0x6E: "■", 0x6F: "□",
                  0xA7: "▪", 0x9F: "•"},
}


@dataclass(slots=True)
class _Reading:
    """What reading one cell (or paragraph) met, and the complex fields it is inside."""

    fields: list[bool] = field(default_factory=list)  # per open field: past its 'separate'?
    tracked: bool = False
    nested: bool = False
    join_next: bool = False  # the last paragraph's mark was deleted: the next one runs on
    hidden: bool = False  # text formatted as hidden (w:vanish) was read
    notes: bool = False  # a footnote or endnote reference was met
    comment: bool = False  # a comment is anchored in the text read
    struck_styles: frozenset[str] = frozenset()  # style ids whose text is struck through
    paragraph_struck: bool = False  # the paragraph's style strikes its text through
    struck: bool = False  # text struck through (w:strike, w:dstrike) was read
    plain: bool = False  # text not struck through was read
    pickers: list[tuple[str, str]] = field(default_factory=list)  # date pickers: (stored, shown)


def read_docx(data: bytes, workbook: RawWorkbook) -> dict[str, str]:
    """Fill `workbook.sheets` with the document's tables; returns the 'Label: value' paragraphs."""
    from docx import Document

    document = Document(io.BytesIO(data))
    body = document.element.body
    struck_styles = _struck_styles(document)
    details: dict[str, str] = {}
    tracked: list[tuple[str, int | None, int | None]] = []  # (table, row, column); table '' = text
    nested: list[tuple[str, int | None, int | None]] = []
    hidden: list[tuple[str, int | None, int | None]] = []
    notes: list[tuple[str, int | None, int | None]] = []
    comments: list[tuple[str, int | None, int | None]] = []
    pickers: dict[str, list] = {"differs": [], "order": []}  # date pickers' cells
    framed: list[str] = []  # tables read from inside a one-column layout table
    seen = 0
    number = 0
    paragraphs = 0
    dated: list[tuple[int, int]] = []  # (paragraph number, tables before it)
    for element in body.iter(_P, _TBL):
        if _inside(element, _TBL, body) or _fallback(element, body):
            continue  # a cell's text, or the copy of a text box saved for older Word
        if element.tag == _TBL:
            inner = _layout_tables(element)
            for table in inner or [element]:
                number += 1
                workbook.sheets.append(_table_sheet(table, f"Table {number}", tracked, nested, hidden,
                                                    notes, comments, pickers, struck_styles))
                if inner:
                    framed.append(f"Table {number}")
            continue
        paragraphs += 1
        reading = _Reading()
        text = paragraph_text(element, reading)
        if starts_with_date(text) and not dated_remark(text):
            dated.append((paragraphs, number))
        seen += 1
        if seen > DETAIL_PARAGRAPHS:
            continue
        match = DETAIL_LINE.match(text)
        if match:
            details.setdefault(match.group(1).strip().lower(), match.group(2).strip())
            if reading.tracked:
                tracked.append(("", None, None))
            if reading.hidden:
                hidden.append(("", None, None))
    for paragraph, before in dated:
        workbook.findings.append(_paragraph_finding(workbook.path, paragraph, before, number))
    _report(workbook, tracked_changes=tracked, table_in_cell=nested, hidden_text=hidden,
            note_not_read=notes, cell_comment=comments)
    if framed:
        workbook.findings.append(finding(
            "table-in-layout", workbook.path,
            f"{and_list(framed)} {'is' if len(framed) == 1 else 'are'} set inside a table of one "
            "column (a letterhead or a frame around the page); "
            f"{'it was' if len(framed) == 1 else 'they were'} read as "
            f"{'a table' if len(framed) == 1 else 'tables'} of {'its' if len(framed) == 1 else 'their'} "
            "own, and the frame's own text was not read.", sheet=framed[0]))
    for kind, message in _PICKER_MESSAGES.items():
        if pickers[kind]:
            found = _places_finding(workbook.path, "date-picker", pickers[kind], message)
            workbook.findings.append(found if kind == "differs" else replace(found, severity=Severity.INFO))
    return details


def _paragraph_finding(path: str, paragraph: int, before: int, tables: int):
    """A paragraph outside the tables that reads like an entry (a date, then words): only the
    tables are read, so it is named, never lost in silence."""
    if before == 0:
        where = "before the first table" if tables else "in a document with no table"
    elif before == tables:
        where = f"after Table {before}, the last table"
    else:
        where = f"between Table {before} and Table {before + 1}"
    return finding(
        "paragraph-not-read", path,
        f"Paragraph {paragraph} of the document's text (outside the tables), {where}, starts with "
        "a date followed by words, like a chronology entry; only tables are read, so it is not "
        "in the chronology.")


def cell_text(tc, reading: _Reading) -> str:
    """The text Word shows in a table cell (`w:tc`), one line a paragraph, stripped."""
    lines: list[str] = []
    reading.fields.clear()
    reading.join_next = False
    _blocks(tc, lines, reading)
    return "\n".join(lines).strip()


def paragraph_text(p, reading: _Reading) -> str:
    """The text Word shows in one paragraph (`w:p`), without the text boxes it anchors."""
    parts: list[str] = []
    _paragraph_parts(p, parts, [], reading)
    return "".join(parts)


def _blocks(parent, lines: list[str], reading: _Reading) -> None:
    for child in parent:
        tag = child.tag
        if tag == _P:
            parts: list[str] = []
            boxes: list[str] = []
            joined = reading.join_next
            reading.join_next = _paragraph_parts(child, parts, boxes, reading)
            if joined and lines:
                lines[-1] += "".join(parts)
            else:
                lines.append("".join(parts))
            lines.extend(boxes)
        elif tag == _TBL:
            reading.nested = True
            _nested_table(child, lines, reading)
            reading.join_next = False
        elif tag == _SDT:
            content = _shown_content(child, reading)
            if content is not None:
                _blocks(content, lines, reading)
        elif tag == W + "customXml":
            _blocks(child, lines, reading)


def _nested_table(table, lines: list[str], reading: _Reading) -> None:
    """A table inside a cell: one line a row, the row's cells that hold text joined by ' | '."""
    for tr in _rows(table):
        texts = []
        for tc in _cells(tr):
            cell: list[str] = []
            reading.join_next = False  # a paragraph never runs on into the next cell
            _blocks(tc, cell, reading)
            text = "\n".join(cell).strip()
            if text:
                texts.append(text)
        if texts:
            lines.append(" | ".join(texts))


def _rows(table):
    for child in table:
        if child.tag == _TR:
            yield child
        elif child.tag in (_SDT, W + "customXml"):  # a repeating section around rows
            content = child.find(_SDT_CONTENT) if child.tag == _SDT else child
            if content is not None:
                yield from _rows(content)


def _cells(tr):
    for child in tr:
        if child.tag == _TC:
            yield child
        elif child.tag in (_SDT, W + "customXml"):
            content = child.find(_SDT_CONTENT) if child.tag == _SDT else child
            if content is not None:
                yield from _cells(content)


def _paragraph_parts(p, parts: list[str], boxes: list[str], reading: _Reading) -> bool:
    """Add the paragraph's shown text to `parts` (text boxes' lines to `boxes`); True when its
    paragraph mark is a tracked deletion (accepted, the next paragraph runs on)."""
    deleted_mark = False
    style = p.find(f"{W}pPr/{W}pStyle")
    reading.paragraph_struck = style is not None and style.get(W + "val") in reading.struck_styles
    for child in p:
        if child.tag == W + "pPr":
            mark = child.find(W + "rPr")
            if mark is not None:
                if mark.find(W + "del") is not None or mark.find(W + "moveFrom") is not None:
                    deleted_mark = reading.tracked = True
                elif mark.find(W + "ins") is not None or mark.find(W + "moveTo") is not None:
                    reading.tracked = True
        else:
            _inline(child, parts, boxes, reading)
    return deleted_mark


def _inline(element, parts: list[str], boxes: list[str], reading: _Reading) -> None:
    tag = element.tag
    if tag == _R:
        _run(element, parts, boxes, reading)
    elif tag in _WRAPPERS:
        for child in element:
            _inline(child, parts, boxes, reading)
    elif tag in _INSERTED:
        reading.tracked = True
        for child in element:
            _inline(child, parts, boxes, reading)
    elif tag in _DELETED:
        reading.tracked = True
    elif tag == _SDT:
        ticked = _checkbox_control(element)
        if ticked is not None:
            if all(reading.fields):
                parts.append("☒" if ticked else "☐")
            return
        content = _shown_content(element, reading)
        if content is not None:
            for child in content:
                _inline(child, parts, boxes, reading)
    elif tag == W + "ruby":
        base = element.find(W + "rubyBase")
        if base is not None:
            for child in base:
                _inline(child, parts, boxes, reading)
    elif tag in _COMMENTS:
        reading.comment = True
    elif tag in (_M + "oMath", _M + "oMathPara"):
        if all(reading.fields):
            text = "".join(t.text or "" for t in element.iter(_M + "t"))
            parts.append(text)
            reading.plain = reading.plain or bool(text.strip())


def _run(r, parts: list[str], boxes: list[str], reading: _Reading) -> None:
    hidden = _hidden(r)
    struck = _struck(r, reading)
    for child in r:
        tag = child.tag
        if tag == _T:
            if all(reading.fields):
                parts.append(child.text or "")
                shown = bool((child.text or "").strip())
                reading.hidden = reading.hidden or hidden and shown
                if shown:
                    reading.struck, reading.plain = reading.struck or struck, reading.plain or not struck
        elif tag in _NOTES:
            reading.notes = True
        elif tag in _COMMENTS:
            reading.comment = True
        elif tag in _CHARACTERS:
            if all(reading.fields):
                parts.append(_CHARACTERS[tag])
        elif tag == W + "fldChar":
            kind = child.get(W + "fldCharType")
            if kind == "begin":
                ticked = _form_checkbox(child)
                if ticked is not None and all(reading.fields):
                    parts.append("☒" if ticked else "☐")
                reading.fields.append(False)
            elif kind == "separate" and reading.fields:
                reading.fields[-1] = True
            elif kind == "end" and reading.fields:
                reading.fields.pop()
        elif tag == W + "sym":
            if all(reading.fields):
                parts.append(_symbol(child))
        elif tag in _NOT_SHOWN:
            if tag != W + "instrText":
                reading.tracked = True  # deleted text outside a w:del: still a deletion
        elif tag in _PICTURES:
            for box in _text_boxes(child):
                _blocks(box, boxes, reading)


def _struck(r, reading: _Reading) -> bool:
    """Whether a run's text is struck through (once or twice): its own properties say so, else
    its character style, else its paragraph's style."""
    for tag in ("strike", "dstrike"):
        own = r.find(f"{W}rPr/{W}{tag}")
        if own is not None and _on(own):
            return True
    if any(r.find(f"{W}rPr/{W}{tag}") is not None for tag in ("strike", "dstrike")):
        return False  # switched off in the run itself
    style = r.find(f"{W}rPr/{W}rStyle")
    if style is not None and style.get(W + "val") in reading.struck_styles:
        return True
    return reading.paragraph_struck


def _on(element) -> bool:
    return (element.get(W + "val") or "true").lower() not in ("0", "false", "off")


def _struck_styles(document) -> frozenset[str]:
    """The ids of the paragraph and character styles whose text is struck through, through the
    styles they are based on (a style's own w:strike or w:dstrike, on or off, comes first)."""
    try:
        root = document.styles.element
    except Exception:  # noqa: BLE001 - a document without a styles part: no style strikes
        return frozenset()
    own: dict[str, bool] = {}
    based: dict[str, str] = {}
    for style in root.iter(W + "style"):
        sid = style.get(W + "styleId") or ""
        for tag in ("strike", "dstrike"):
            mark = style.find(f"{W}rPr/{W}{tag}")
            if mark is not None:
                own[sid] = own.get(sid, False) or _on(mark)
        parent = style.find(W + "basedOn")
        if parent is not None:
            based[sid] = parent.get(W + "val") or ""
    if not any(own.values()):
        return frozenset()
    found = set()
    for sid in {*own, *based}:
        seen, name = set(), sid
        while name and name not in seen and name not in own:
            seen.add(name)
            name = based.get(name, "")
        if own.get(name, False):
            found.add(sid)
    return frozenset(found)


def _hidden(r) -> bool:
    """Whether a run is formatted as hidden: w:vanish in its own properties, not switched off."""
    vanish = r.find(f"{W}rPr/{W}vanish")
    return vanish is not None and (vanish.get(W + "val") or "true").lower() not in ("0", "false", "off")


def _shown_content(sdt, reading: _Reading | None = None):
    """A content control's content, or None while it shows only its placeholder prompt; a date
    picker's stored date and shown text are noted in `reading`."""
    props = sdt.find(_SDT_PR)
    if props is not None and props.find(W + "showingPlcHdr") is not None:
        return None
    content = sdt.find(_SDT_CONTENT)
    picker = props.find(W + "date") if props is not None else None
    if reading is not None and picker is not None and content is not None:
        stored = picker.get(W + "fullDate") or ""
        reading.pickers.append((stored, "".join(t.text or "" for t in content.iter(_T))))
    return content


def _on(element, attribute: str = W + "val") -> bool:
    """An on/off property: on unless its value says off ('0', 'false', 'off')."""
    return (element.get(attribute) or "true").strip().lower() not in ("0", "false", "off")


def _checkbox_control(sdt) -> bool | None:
    """A checkbox content control's state (w14:checkbox/w14:checked), whatever glyph it shows;
    None when the content control is not a checkbox."""
    box = sdt.find(f"{_SDT_PR}/{_W14}checkbox")
    if box is None:
        return None
    checked = box.find(_W14 + "checked")
    return checked is not None and _on(checked, _W14 + "val")


def _form_checkbox(fld_char) -> bool | None:
    """A legacy check box form field's state (FORMCHECKBOX: w:ffData/w:checkBox, which shows no
    text): w:checked when present, else w:default; None when the field is no check box."""
    box = fld_char.find(f"{W}ffData/{W}checkBox")
    if box is None:
        return None
    checked = box.find(W + "checked")
    if checked is not None:
        return _on(checked)
    default = box.find(W + "default")
    return default is not None and _on(default)


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def picker_date(stored: str, shown: str) -> dt.date | None | bool:
    """The date a date picker stores (w:fullDate) when the text it shows says the same date in
    any order of day, month and year ('3/4/2024' for 4 March 2024 in a month-first picker); False
    when the text shows another date; None when it cannot be told (no stored date, a time)."""
    try:
        day = dt.date.fromisoformat(stored[:10])
    except ValueError:
        return None
    numbers = [int(n) for n in re.findall(r"\d+", shown)]
    words = [w[:3].lower() for w in re.findall(r"[A-Za-z]{3,}", shown)]
    months = [_MONTHS.index(w) + 1 for w in words if w in _MONTHS]
    if len(months) > 1 or len(numbers) != 3 - len(months) or not numbers:
        return None  # a time, or no date at all: read as shown
    wanted = [day.day, *([] if months else [day.month])]
    written = re.findall(r"\d+", shown)
    full = [i for i, n in enumerate(written) if len(n) == 4]
    at = full[0] if len(full) == 1 else len(numbers) - 1 if not full else None  # the year
    if at is None or (months and months[0] != day.month):
        return False
    year = numbers.pop(at)
    same_year = year == day.year if len(written[at]) == 4 else year == day.year % 100
    return day if same_year and sorted(numbers) == sorted(wanted) else False


def _text_boxes(picture) -> list:
    """The outermost text boxes of a drawing, read once (a drawing saved with a fallback
    picture for older Word holds each text box twice: the first choice is read)."""
    if picture.tag == _MC + "AlternateContent":
        for choice in picture:
            boxes = _text_boxes(choice)
            if boxes:
                return boxes
        return []
    return [box for box in picture.iter(_TXBX) if _nearest(box, (_TXBX,), picture) is None]


def _symbol(sym) -> str:
    try:
        code = int(sym.get(W + "char") or "", 16)
    except ValueError:
        return "\ufffd"
    if 0xF000 <= code <= 0xF0FF:
        return _SYMBOL_FONTS.get((sym.get(W + "font") or "").lower(), {}).get(code - 0xF000, "\ufffd")
    if 0xD800 <= code <= 0xDFFF or code < 0x20 or code > 0x10FFFF:
        return "\ufffd"
    return chr(code)


def _inside(element, tag: str, stop) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


def _layout_tables(table) -> list:
    """The tables set inside a layout table (one cell a row: a letterhead or a frame around the
    page), in order; empty when the table is not one, or holds no table."""
    rows = list(_rows(table))
    if not rows or any(len(list(_cells(tr))) != 1 for tr in rows):
        return []
    return [inner for inner in table.iter(_TBL)
            if inner is not table and _nearest(inner, (_TBL,)) is table]


def _fallback(element, stop) -> bool:
    """Whether an element is inside the fallback copy of a text box or drawing (mc:Fallback of
    an mc:AlternateContent that has a first choice): Word and LibreOffice save a text box twice,
    and only the choice is read."""
    parent = element.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == _MC + "Fallback":
            alternate = parent.getparent()
            if alternate is not None and alternate.find(_MC + "Choice") is not None:
                return True
        parent = parent.getparent()
    return False


def _nearest(element, tags: tuple[str, ...], stop=None):
    parent = element.getparent()
    while parent is not None and parent is not stop and parent.tag not in tags:
        parent = parent.getparent()
    return parent if parent is not stop else None


def _picked(picker: tuple[str, str], value: object, place: tuple[str, int, int],
            pickers: dict[str, list]) -> object:
    """A cell that is one date picker: the date it stores when its text shows that date (noted
    when day-first reading of the text would give another day), else the text (noted when the
    text shows another date than the one stored)."""
    got = picker_date(*picker)
    if got is False:
        pickers["differs"].append(place)
        return value
    if got is None:
        return value
    try:
        read, _ = parse_date(picker[1])
        same = read.start == got and read.last == got
    except DateError:
        same = False
    if not same:
        pickers["order"].append(place)
    return got


def _table_sheet(table, name: str, tracked: list, nested: list, hidden: list, notes: list,
                 comments: list, pickers: dict[str, list], struck_styles: frozenset[str] = frozenset(),
                 ) -> RawSheet:
    rows: list[list[object]] = []
    merged: list[tuple[int, int, int, int]] = []
    open_vertical: dict[int, list[int]] = {}  # column -> [first row, last row, width]
    struck: dict[tuple[int, int], bool] = {}  # (row, col) -> all its text struck through?
    reading = _Reading(struck_styles=struck_styles)
    for tr in table.iter(_TR):
        if _nearest(tr, (_TBL,)) is not table:
            continue
        row_number = len(rows) + 1
        cells: list[object] = []
        before = tr.find(f"{W}trPr/{W}gridBefore")
        if before is not None:
            cells.extend([None] * _int(before.get(W + "val"), 0))
        if any(tr.find(path) is not None for path in _ROW_CHANGES):
            tracked.append((name, row_number, None))
        continued: set[int] = set()
        for tc in tr.iter(_TC):
            if _nearest(tc, (_TR,)) is not tr:
                continue
            col = len(cells)
            props = tc.find(W + "tcPr")
            span = 1
            vmerge = None
            if props is not None:
                grid = props.find(W + "gridSpan")
                span = max(1, min(_int(grid.get(W + "val") if grid is not None else None, 1), 16_384))
                vm = props.find(W + "vMerge")
                if vm is not None:
                    vmerge = vm.get(W + "val") or "continue"
            reading.tracked = reading.nested = reading.hidden = reading.notes = False
            reading.comment = reading.struck = reading.plain = False
            reading.pickers.clear()
            text = cell_text(tc, reading)
            if reading.struck and text:
                struck[(row_number, col)] = not reading.plain
            value: object = text if text else None
            if len(reading.pickers) == 1 and text == reading.pickers[0][1].strip():
                value = _picked(reading.pickers[0], value, (name, row_number, col + 1), pickers)
            if reading.comment:
                comments.append((name, row_number, col + 1))
            if reading.hidden:
                hidden.append((name, row_number, col + 1))
            if reading.notes:
                notes.append((name, row_number, col + 1))
            if reading.tracked or any(tc.find(path) is not None for path in _CELL_CHANGES):
                tracked.append((name, row_number, col + 1))
            if reading.nested:
                nested.append((name, row_number, col + 1))
            if vmerge == "continue" and col in open_vertical:
                open_vertical[col][1] = row_number
                continued.add(col)
                cells.append(None)
            else:
                cells.append(value)
                if vmerge == "restart":
                    open_vertical[col] = [row_number, row_number, span]
                    continued.add(col)
            cells.extend([None] * (span - 1))
            if span > 1 and vmerge is None:
                merged.append((row_number, col, row_number, col + span - 1))
        for col in list(open_vertical):
            if col not in continued:
                _close(merged, col, open_vertical.pop(col))
        rows.append(cells)
    for col, (first, last, width) in open_vertical.items():
        _close(merged, col, [first, last, width])
    return RawSheet(name=name, rows=rows, merged=merged, struck=struck)


# what the document holds that its cells' text does not show: one finding each, naming the cells
_PLACES_MESSAGES = {
    "tracked-changes":
        "The document has tracked changes (text typed or deleted with Track Changes on) in {}; "
        "the text was read as it reads with every change accepted: inserted text kept, "
        "deleted text left out.",
    "table-in-cell":
        "A table is set inside {}; its text was read into the cell, one line a row, the row's "
        "cells joined by ' | '.",
    "hidden-text":
        "Text formatted as hidden (which Word shows only with Show/Hide on) is in {}; it was "
        "read like the text around it.",
    "note-not-read":
        "A footnote or endnote is referenced in {}; the note's text is not in the chronology.",
    "cell-comment":
        "A comment is attached to the text of {}; comments are not read into the chronology.",
}


_PICKER_MESSAGES = {
    "differs": "In {}, a date picker shows a date other than the one it stores (its text typed "
               "over, or its date format changed); the date shown was read: check that it is right.",
    "order": "In {}, a date picker shows its date with the month first, as its date format is set; "
             "the date the picker stores, which its text shows, was read (not the text read day "
             "first).",
}


def _report(workbook: RawWorkbook, **places: list) -> None:
    """One finding for each kind of place found (tracked changes, tables inside cells, hidden
    text, note references), in that order; `places` by finding code with '_' for '-'."""
    for code, message in _PLACES_MESSAGES.items():
        found = places.get(code.replace("-", "_"))
        if found:
            workbook.findings.append(_places_finding(workbook.path, code, found, message))


def _places_finding(path: str, code: str, places: list, message: str):
    """`message` with '{}' as 'the cells at row 2 column 4 and row 5 column 1 of Table 1' (at
    most PLACES_LISTED places named); the finding points at the first table and row."""
    cells = {(table, row) for table, row, col in places if col is not None}
    places = [p for p in places if p[2] is not None or (p[0], p[1]) not in cells]  # a row once
    in_tables = [p for p in places if p[0]]
    tables = {table for table, _, _ in in_tables}
    named = [f"row {row}" + (f" column {col}" if col is not None else "")
             + ("" if len(tables) == 1 else f" of {table}") for table, row, col in in_tables]
    where = []
    if named:
        noun = "cell" if all(col is not None for _, _, col in in_tables) else "place"
        where.append(f"the {noun}{'s' if len(named) > 1 else ''} at "
                     + and_list(named, at_most=PLACES_LISTED)
                     + (f" of {next(iter(tables))}" if len(tables) == 1 else ""))
    if len(in_tables) < len(places):
        where.append("a 'Label: value' line outside the tables")
    first = in_tables[0] if in_tables else (None, None, None)
    return finding(code, path, message.format(" and ".join(where)), sheet=first[0], row=first[1])


def _close(merged: list[tuple[int, int, int, int]], col: int, run: list[int]) -> None:
    first, last, width = run
    if last > first or width > 1:
        merged.append((first, col, last, col + width - 1))


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
