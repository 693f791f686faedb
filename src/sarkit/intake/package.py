"""The structure of a zipped Office package: which part is the workbook, which parts are sheets.

Parts are found through the package's relationships, as Excel does, not by guessing names:
files written by other tools put the workbook at the root, use backslashes or Strict OOXML.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
from dataclasses import dataclass, field

from sarkit.intake.limits import (
    XML_SUFFIXES,
    BrokenPackage,
    Limits,
    PrologCheck,
    SheetScan,
    XlsbSheetScanner,
    ZipPackage,
    normalise_name,
    xlsb_record,
)
from sarkit.intake.ods_dates import OdsStyles
from sarkit.intake.ods_strikes import OdsStrikes
from sarkit.intake.xml_scan import DocxScanner, OdsContentScanner, XlsxSheetScanner


@dataclass(slots=True)
class SheetPart:
    """One sheet of a workbook: its name, its part in the package and its visibility."""

    name: str
    part: str | None  # normalised member name, None when the relationship is broken
    state: str = "visible"  # visible, hidden, veryHidden
    kind: str = "worksheet"  # worksheet, chartsheet, dialogsheet, macrosheet
    target: str = ""  # where the relationship points ('' when there is none)


def _parse_xml(raw: bytes):
    import defusedxml.ElementTree as SafeET

    return SafeET.fromstring(raw, forbid_dtd=True)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def relationships(package: ZipPackage, source: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type's last word, target member name) of a part ('' = the package)."""
    key = "rels:" + source
    if key not in package.parsed:
        package.parsed[key] = _relationships(package, source)
    return package.parsed[key]  # type: ignore[return-value]


def _relationships(package: ZipPackage, source: str) -> dict[str, tuple[str, str]]:
    folder, name = posixpath.split(source)
    rels_name = posixpath.join(folder, "_rels", name + ".rels") if source else "_rels/.rels"
    raw = package.read_small(rels_name)
    if not raw:
        return {}
    try:
        root = _parse_xml(raw)
    except Exception:  # noqa: BLE001 - damaged rels: the reader decides
        return {}
    found = {}
    for rel in root:
        if _local(rel.tag) != "Relationship":
            continue
        target = rel.get("Target", "")
        if rel.get("TargetMode", "").lower() == "external":
            resolved = target
        elif target.startswith(("/", "\\")):
            resolved = normalise_name(target)
        else:
            resolved = posixpath.normpath(posixpath.join(folder, normalise_name(target)))
        kind = rel.get("Type", "").rstrip("/").rsplit("/", 1)[-1]
        found[rel.get("Id", "")] = (kind, resolved)
    return found


def main_part(package: ZipPackage) -> str | None:
    """The package's main document (xl/workbook.xml, word/document.xml, …)."""
    for kind, target in relationships(package, "").values():
        if kind == "officeDocument" and package.has(target):
            return package.lower[target.lower()]
    for guess in ("xl/workbook.xml", "xl/workbook.bin", "word/document.xml", "workbook.xml"):
        if package.has(guess):
            return package.lower[guess]
    return None


def sheet_parts(package: ZipPackage, workbook: str) -> list[SheetPart]:
    """The sheets a workbook part lists, in order, with their parts."""
    rels = relationships(package, workbook)
    sheets: list[SheetPart] = []
    if workbook.endswith(".bin"):
        raw = package.read_small(workbook) or b""
        for name, rid, state in _xlsb_sheets(raw):
            kind, target = rels.get(rid, ("worksheet", ""))
            sheets.append(SheetPart(name, _member(package, target), state, _kind(kind), target))
        return sheets
    raw = package.read_small(workbook)
    if not raw:
        return sheets
    try:
        root = _parse_xml(raw)
    except Exception:  # noqa: BLE001
        return sheets
    for element in root.iter():
        if _local(element.tag) != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if k.startswith("{") and _local(k) == "id"), "")
        kind, target = rels.get(rid, ("worksheet", ""))
        sheets.append(SheetPart(element.get("name", "?"), _member(package, target),
                                element.get("state", "visible"), _kind(kind), target))
    return sheets


def _kind(relationship: str) -> str:
    return {"chartsheet": "chartsheet", "dialogsheet": "dialogsheet",
            "xlMacrosheet": "macrosheet", "xlIntlMacrosheet": "macrosheet"}.get(relationship, "worksheet")


def _member(package: ZipPackage, target: str) -> str | None:
    if target and package.has(target):
        return package.lower[target.lower()]
    return None


def _xlsb_sheets(raw: bytes) -> list[tuple[str, str, str]]:
    """(name, relationship id, state) of each BrtBundleSh record of an xlsb workbook.bin."""
    sheets = []
    pos = 0
    while (record := xlsb_record(raw, pos, len(raw))) is not None:
        kind, start, size = record
        if start + size > len(raw):
            break
        if kind == 0x009C and size >= 12:
            body = raw[start : start + size]
            (state,) = struct.unpack_from("<I", body, 0)
            rid, offset = _wide(body, 8)
            name, _ = _wide(body, offset)
            sheets.append((name, rid, {0: "visible", 1: "hidden", 2: "veryHidden"}.get(state & 3, "visible")))
        pos = start + size
    return sheets


def _wide(body: bytes, offset: int) -> tuple[str, int]:
    if offset + 4 > len(body):
        return "", len(body)
    (count,) = struct.unpack_from("<I", body, offset)
    offset += 4
    if count == 0xFFFFFFFF:
        return "", offset
    end = min(len(body), offset + 2 * count)
    return body[offset:end].decode("utf-16-le", "replace"), end


# ---- content types: what the package says each part is --------------------------------------------

_SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml."
_WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml."
WORD_MAIN = _WORD + "document.main+xml"
# The main part's content type -> (format, macro-enabled). Templates and add-ins hold the same
# parts as the workbook or document they are a template for.
MAIN_TYPES = {
    _SPREADSHEET + "sheet.main+xml": ("xlsx", False),
    _SPREADSHEET + "template.main+xml": ("xlsx", False),
    "application/vnd.ms-excel.sheet.macroenabled.main+xml": ("xlsm", True),
    "application/vnd.ms-excel.template.macroenabled.main+xml": ("xlsm", True),
    "application/vnd.ms-excel.addin.macroenabled.main+xml": ("xlsm", True),
    "application/vnd.ms-excel.sheet.binary.macroenabled.main": ("xlsb", True),
    WORD_MAIN: ("docx", False),
    _WORD + "template.main+xml": ("docx", False),
    "application/vnd.ms-word.document.macroenabled.main+xml": ("docx", True),
    "application/vnd.ms-word.template.macroenabledtemplate.main+xml": ("docx", True),
}
VBA_PROJECT = "application/vnd.ms-office.vbaproject"


def content_types(package: ZipPackage) -> tuple[dict[str, str], dict[str, str]]:
    """([Content_Types].xml's overrides by lower-cased part name, defaults by extension)."""
    if "content_types" not in package.parsed:
        package.parsed["content_types"] = _content_types(package)
    return package.parsed["content_types"]  # type: ignore[return-value]


def _content_types(package: ZipPackage) -> tuple[dict[str, str], dict[str, str]]:
    raw = package.read_small("[Content_Types].xml")
    overrides: dict[str, str] = {}
    defaults: dict[str, str] = {}
    if not raw:
        return overrides, defaults
    try:
        root = _parse_xml(raw)
    except Exception:  # noqa: BLE001 - damaged: the parts' names decide
        return overrides, defaults
    for item in root:
        kind = item.get("ContentType", "").strip().lower()
        if _local(item.tag) == "Override":
            overrides[normalise_name(item.get("PartName", "")).lower()] = kind
        elif _local(item.tag) == "Default":
            defaults[item.get("Extension", "").lower()] = kind
    return overrides, defaults


def content_type(package: ZipPackage, part: str) -> str:
    """The content type [Content_Types].xml gives a part ('' when none)."""
    overrides, defaults = content_types(package)
    name = normalise_name(part).lower()
    return overrides.get(name) or defaults.get(name.rsplit(".", 1)[-1], "")


def has_vba(package: ZipPackage) -> bool:
    """Whether the package holds a VBA project, by its content type or its usual name (not by
    the default type of '.bin': Excel declares that in every macro-enabled file, VBA or not)."""
    overrides, _ = content_types(package)
    return VBA_PROJECT in overrides.values() or any(n.endswith("vbaproject.bin") for n in package.lower)


def rebuild(package: ZipPackage, changes: dict[str, bytes | None]) -> bytes:
    """A copy of the package in memory with some parts replaced (None: left out)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for info in package.infos:
            name = normalise_name(info.filename)
            if name in changes:
                body = changes[name]
                if body is None:
                    continue
            else:
                body = b"".join(package.stream(info, count=False))
            archive.writestr(name, body)
    return out.getvalue()


def word_copy(package: ZipPackage, main: str | None) -> bytes | None:
    """A macro-enabled document or a template, typed as a plain document for the Word reader
    (python-docx reads only that type); None when the package is a plain document already."""
    if main is None:
        return None
    kind = content_type(package, main)
    if kind == WORD_MAIN.lower() or MAIN_TYPES.get(kind, ("", False))[0] != "docx":
        return None
    raw = package.read_small("[Content_Types].xml") or b""
    typed = re.sub(re.escape(kind).encode(), WORD_MAIN.encode(), raw, flags=re.IGNORECASE)
    return rebuild(package, {package.lower["[content_types].xml"]: typed})


_SHEET_ENTRY = re.compile(rb"<(?:[\w.-]+:)?sheet\s((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTRIBUTE = re.compile(rb"([\w.:-]+)\s*=\s*(\"[^\"]*\"|'[^']*')")
NOT_DATA = {"macrosheet", "dialogsheet"}


def readable_copy(package: ZipPackage, scan: PackageScan) -> bytes | None:
    """A copy of the workbook without what stops calamine reading any sheet: Excel 4 macro
    sheets, dialog sheets and sheet entries whose relationship is empty or broken (none holds
    data a reader could give). None when there is nothing to leave out."""
    if not scan.main or scan.main.lower().endswith(".bin"):
        return None
    changes = _readable_errors(package, scan)
    if not any(s.kind in NOT_DATA or s.part is None for s in scan.sheets):
        return rebuild(package, changes) if changes else None
    rels = relationships(package, scan.main)
    raw = package.read_small(scan.main) or b""

    def keep(entry: re.Match[bytes]) -> bytes:
        attributes = {k.rsplit(b":", 1)[-1]: v[1:-1] for k, v in _ATTRIBUTE.findall(entry.group(1))}
        rid = attributes.get(b"id", b"").decode("utf-8", "replace")
        kind, target = rels.get(rid, ("", "")) if rid else ("", "")
        readable = rid and _member(package, target) and _kind(kind) not in NOT_DATA
        return entry.group(0) if readable else b""

    changes[scan.main] = _SHEET_ENTRY.sub(keep, raw)
    for sheet in scan.sheets:
        if sheet.kind in NOT_DATA and sheet.part:
            changes[sheet.part] = None
    return rebuild(package, changes)


# the error values python-calamine reads (as a blank); any other in an error cell (t="e": Excel
# 365's #SPILL!, #CALC!, #BUSY! ...) stops it reading the whole workbook
READER_ERRORS = frozenset({b"#NULL!", b"#DIV/0!", b"#VALUE!", b"#REF!", b"#NAME?", b"#NUM!", b"#N/A", b""})
_TAG_ATTRS = rb"((?:[^>\"'/]|/(?!>)|\"[^\"]*\"|'[^']*')*)"  # a start tag's attributes, not '/>'
_CELL = re.compile(rb"<((?:[\w.-]+:)?)c\s" + _TAG_ATTRS + rb">(.*?)</\1c>", re.DOTALL)
_ERROR_TYPE = re.compile(rb"(?:^|\s)t\s*=\s*[\"']e[\"']")
_VALUE = re.compile(rb"(<(?:[\w.-]+:)?v>)([^<]*)(</(?:[\w.-]+:)?v>)")


def _readable_errors(package: ZipPackage, scan: PackageScan) -> dict[str, bytes | None]:
    """The sheets whose error cells show an error the reader cannot read, with that error
    made #N/A (a blank to the reader). The scan has kept which error each cell showed, so the
    `cell-error` finding still names it."""
    changes: dict[str, bytes | None] = {}
    for measured in scan.scans.values():
        # '' is an error the scan could not name (a value cut by its buffer, or unknown text)
        if all(text and text.encode() in READER_ERRORS for text in measured.errors.values()):
            continue
        info = package.find(measured.part)
        if info is None:
            continue
        changes[measured.part] = _CELL.sub(_known_error, b"".join(package.stream(info, count=False)))
    return changes


def _known_error(cell: re.Match[bytes]) -> bytes:
    if not _ERROR_TYPE.search(cell.group(2)):
        return cell.group(0)

    def known(value: re.Match[bytes]) -> bytes:
        if value.group(2).strip() in READER_ERRORS:
            return value.group(0)
        return value.group(1) + b"#N/A" + value.group(3)

    start = cell.start(3) - cell.start(0)
    whole = cell.group(0)
    return whole[:start] + _VALUE.sub(known, cell.group(3)) + whole[start + len(cell.group(3)):]


def workbook_date1904(package: ZipPackage, workbook: str | None) -> bool:
    """Whether an Excel workbook counts its date serials from 1904 (Mac Excel before 2011)."""
    import re

    if not workbook:
        return False
    raw = package.read_small(workbook) or b""
    if workbook.endswith(".bin"):
        pos = 0
        while (record := xlsb_record(raw, pos, len(raw))) is not None:
            kind, start, size = record
            if kind == 0x0099 and size >= 4 and start + 4 <= len(raw):
                return bool(raw[start] & 0x01)
            pos = start + size
        return False
    pattern = rb"<(?:\w+:)?workbookPr\b[^>]*\bdate1904\s*=\s*[\"'](?:1|true)[\"']"
    return bool(re.search(pattern, raw[:200_000]))


@dataclass(slots=True)
class PackageScan:
    """What measuring a package found: its main part, its sheets and what each really holds."""

    fmt: str
    main: str | None = None
    sheets: list[SheetPart] = field(default_factory=list)
    scans: dict[str, SheetScan] = field(default_factory=dict)  # sheet name -> measurements
    date1904: bool = False
    ods_styles: OdsStyles | None = None  # the styles of an .ods content.xml (see ods_dates)
    ods_strikes: OdsStrikes | None = None  # which of them strike text through (see struck)
    # .xlsx parts whose XML has the word 'strike' (a struck font or run, or only cell text): only
    # they are read again for struck-through text (see struck)
    strike_parts: set[str] = field(default_factory=set)


WORKBOOK_FORMATS = {"xlsx", "xlsm", "xlsb"}


def measure_package(package: ZipPackage, fmt: str, limits: Limits) -> PackageScan:
    """Stream every member under the limits: sizes, XML prologs, each sheet's real extent.

    Raises `LimitExceeded` at the first limit passed, `BrokenPackage` on a damaged zip.
    """
    package.check_declared()
    scan = PackageScan(fmt)
    if fmt in WORKBOOK_FORMATS or fmt == "docx":
        scan.main = main_part(package)
    if fmt in WORKBOOK_FORMATS:
        scan.sheets = sheet_parts(package, scan.main) if scan.main else []
        scan.date1904 = workbook_date1904(package, scan.main)
    by_part = {sheet.part: sheet for sheet in scan.sheets if sheet.part}
    ods: OdsContentScanner | None = None
    for info in sorted(package.infos, key=lambda i: i.header_offset):
        name = normalise_name(info.filename)
        consumer: XlsxSheetScanner | XlsbSheetScanner | OdsContentScanner | DocxScanner | None = None
        sheet = by_part.get(name)
        if sheet is not None:
            measured = SheetScan(part=name, name=sheet.name)
            scan.scans.setdefault(sheet.name, measured)
            if name.lower().endswith(".bin"):
                consumer = XlsbSheetScanner(measured, limits)
            else:
                consumer = XlsxSheetScanner(measured, limits)
        elif fmt == "ods" and name.lower() == "content.xml":
            consumer = ods = OdsContentScanner(limits)
        elif fmt == "docx" and name == scan.main:
            consumer = DocxScanner(limits)
        prolog = PrologCheck(name) if name.lower().endswith(XML_SUFFIXES) else None
        look = fmt in {"xlsx", "xlsm"} and prolog is not None
        tail = b""
        try:
            for chunk in package.stream(info):
                if prolog is not None:
                    prolog.feed(chunk)
                if consumer is not None:
                    consumer.feed(chunk)
                if look and (b"strike" in chunk or b"strike" in tail + chunk[:5]):
                    scan.strike_parts.add(name)
                    look = False
                tail = chunk[-5:]
        except BrokenPackage:
            if consumer is not None or name == scan.main:
                raise
            continue  # a damaged picture or printer setting: the reader never needs it
        if consumer is not None:
            consumer.close()
    if ods is not None:
        scan.ods_styles = ods.styles
        scan.ods_strikes = ods.strikes
        for measured in ods.sheets:
            scan.scans.setdefault(measured.name, measured)
    return scan
