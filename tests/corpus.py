"""A corpus of hostile and unusual returns, built in code at test time (no binary blobs).

Each builder writes one file into a folder and returns its path. `build_corpus(folder)` writes
them all and returns `{name: Case}`: what sarkit must say about each file.
Every crafted file carries SECRET in its cells, so a test can check no message quotes a cell.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import os
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from xml.sax.saxutils import escape

SECRET = "SECRET-Jane-Example-1961"
PASSWORD = "Correct horse 7"

HEADER = ["Date", "Time", "Source of Information", "Event / Contact Details",
          "Action Taken / Outcome", "Practitioner / Role"]


def entries(count: int = 3, *, start: dt.date = dt.date(2024, 5, 1)) -> list[list[str]]:
    """`count` valid chronology rows, one a day, the first carrying SECRET in its event."""
    rows = []
    for i in range(count):
        day = start + dt.timedelta(days=i)
        event = f"Home visit {i + 1}" + (f" to {SECRET}" if i == 0 else "")
        rows.append([day.strftime("%d/%m/%Y"), "10:00", "Case notes", event,
                     "Referred to ASC", "Social worker"])
    return rows


# ---- raw xlsx packages ---------------------------------------------------------------------------

CT_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
           '<Default Extension="rels" '
           'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
           '<Default Extension="xml" ContentType="application/xml"/>'
           '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
           '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
           'officedocument.spreadsheetml.sheet.main+xml"/>')
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>')
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MS_REL_NS = "http://schemas.microsoft.com/office/2006/relationships"
MS_XM_NS = "http://schemas.microsoft.com/office/excel/2006/main"


def cell_ref(row: int, col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


def rows_xml(rows: list[list[object]], *, first_row: int = 1, hidden: set[int] = frozenset(),
             with_r: bool = True) -> str:
    """Sheet rows as XML with inline strings (no shared strings part needed)."""
    out = []
    for i, cells in enumerate(rows):
        r = first_row + i
        attrs = f' r="{r}"' if with_r else ""
        if r in hidden:
            attrs += ' hidden="1"'
        parts = []
        for c, value in enumerate(cells):
            ref = f' r="{cell_ref(r, c)}"' if with_r else ""
            if value is None:
                continue
            if isinstance(value, (int, float)):
                parts.append(f"<c{ref}><v>{value}</v></c>")
            else:
                text = escape(str(value))
                parts.append(f'<c{ref} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>')
        out.append(f"<row{attrs}>{''.join(parts)}</row>")
    return "".join(out)


def sheet_xml(data: str, *, dimension: str = "A1", before: str = "", after: str = "",
              prolog: str = "") -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + prolog
            + f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><dimension ref="{dimension}"/>'
            + before + f"<sheetData>{data}</sheetData>" + after + "</worksheet>")


@dataclass
class Sheet:
    name: str
    xml: str
    state: str = "visible"
    rels: list[tuple[str, str, str]] = field(default_factory=list)  # (type, target, mode)


def write_xlsx(path: Path, sheets: list[Sheet], *, extra: dict[str, bytes | str] | None = None,
               workbook_rels: list[tuple[str, str]] = (), compression: int = zipfile.ZIP_DEFLATED,
               ) -> Path:
    """A hand-made xlsx package: any sheet XML, extra parts, extra workbook relationships."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1))
    sheet_list = "".join(
        f'<sheet name="{escape(s.name)}" sheetId="{i}" r:id="rId{i}"'
        + (f' state="{s.state}"' if s.state != "visible" else "") + "/>"
        for i, s in enumerate(sheets, start=1))
    workbook = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN_NS}" '
                f'xmlns:r="{REL_NS}"><sheets>{sheet_list}</sheets></workbook>')
    rels = [(f"rId{i}", f"{REL_NS}/worksheet", f"worksheets/sheet{i}.xml")
            for i in range(1, len(sheets) + 1)]
    rels += [(f"rId{100 + i}", kind, target) for i, (kind, target) in enumerate(workbook_rels)]
    with zipfile.ZipFile(path, "w", compression) as archive:
        archive.writestr("[Content_Types].xml", CT_HEAD + overrides + "</Types>")
        archive.writestr("_rels/.rels", PKG_RELS)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", _rels(rels))
        for i, sheet in enumerate(sheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", sheet.xml)
            if sheet.rels:
                archive.writestr(f"xl/worksheets/_rels/sheet{i}.xml.rels", _rels(
                    [(f"rId{j}", kind, target) for j, (kind, target, _) in enumerate(sheet.rels, 1)]))
        for name, body in (extra or {}).items():
            archive.writestr(name, body)
    return path


def _rels(items: list[tuple[str, str, str]]) -> str:
    body = "".join(
        f'<Relationship Id="{rid}" Type="{kind}" Target="{escape(target)}"'
        + (' TargetMode="External"' if target.startswith("file:") else "") + "/>"
        for rid, kind, target in items)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="'
            f'http://schemas.openxmlformats.org/package/2006/relationships">{body}</Relationships>')


def chronology_sheet(rows: list[list[object]] | None = None, **options) -> Sheet:
    rows = entries() if rows is None else rows
    return Sheet("Chronology", sheet_xml(rows_xml([HEADER, *rows], **options)))


def good_xlsx(path: Path, rows: list[list[object]] | None = None) -> Path:
    return write_xlsx(path, [chronology_sheet(rows)])


SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
DOC_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TEMPLATE_TYPES = {  # extension -> (main content type, whether it carries a VBA project)
    "xltx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml", False),
    "xltm": ("application/vnd.ms-excel.template.macroEnabled.main+xml", True),
    "docm": ("application/vnd.ms-word.document.macroEnabled.main+xml", True),
    "dotx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml", False),
    "dotm": ("application/vnd.ms-word.template.macroEnabledTemplate.main+xml", True),
}


def retyped(data: bytes, extension: str) -> bytes:
    """An xlsx or docx package saved as a template or macro-enabled file: its main part's
    content type changed as Office writes it, with a VBA project part when macro-enabled."""
    kind, vba = TEMPLATE_TYPES[extension]
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {info.filename: source.read(info) for info in source.infolist()}
    folder = "word" if extension.startswith("do") else "xl"
    types = parts["[Content_Types].xml"].decode()
    types = types.replace(DOC_MAIN if folder == "word" else SHEET_MAIN, kind)
    if vba:
        types = types.replace("</Types>", f'<Override PartName="/{folder}/vbaProject.bin" '
                              'ContentType="application/vnd.ms-office.vbaProject"/></Types>')
        parts[f"{folder}/vbaProject.bin"] = b"\xd0\xcf\x11\xe0" + SECRET.encode()
    parts["[Content_Types].xml"] = types.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return out.getvalue()


def with_odd_sheet(path: Path, rows: list[list[object]], *, macro_sheet: bool) -> Path:
    """A workbook whose sheet list also names an Excel 4 macro sheet (macro_sheet) or a sheet
    with an empty relationship id: either stopped calamine reading any sheet."""
    rels = [(f"{MS_REL_NS}/xlMacrosheet", "macrosheets/sheet1.xml")] if macro_sheet else []
    write_xlsx(path, [chronology_sheet(rows)], workbook_rels=rels, extra={
        "xl/macrosheets/sheet1.xml": f'<xm:macrosheet xmlns="{MAIN_NS}" xmlns:xm="{MS_XM_NS}">'
        '<sheetData><row r="1"><c r="A1"><f>HALT()</f></c></row></sheetData></xm:macrosheet>'}
        if macro_sheet else None)
    source = zipfile.ZipFile(path)
    parts = {info.filename: source.read(info) for info in source.infolist()}
    source.close()
    entry = '<sheet name="Macro1" sheetId="9" r:id="rId100"/>' if macro_sheet else (
        '<sheet name="Blank" sheetId="9" r:id=""/>')
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b"</sheets>", entry.encode() + b"</sheets>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return path


# ---- other formats -------------------------------------------------------------------------------

def csv_bytes(rows: list[list[object]], *, delimiter: str = ",", encoding: str = "utf-8",
              bom: bool = False) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + data


def xls_bytes(rows: list[list[object]], sheet: str = "Chronology", *, vba: bool = False,
              hidden: frozenset[int] = frozenset()) -> bytes:
    """A minimal Excel 97-2003 (BIFF8) workbook in an OLE container, written record by record;
    `hidden`: 1-based rows written with a ROW record marking them hidden (height zero)."""
    from extract_msg import OleWriter

    def rec(kind: int, body: bytes = b"") -> bytes:
        return struct.pack("<HH", kind, len(body)) + body

    strings: list[str] = []
    index: dict[str, int] = {}
    for row in rows:
        for value in row:
            if isinstance(value, str) and value not in index:
                index[value] = len(strings)
                strings.append(value)
    sst = struct.pack("<II", sum(isinstance(v, str) for r in rows for v in r), len(strings)) + b"".join(
        struct.pack("<HB", len(s), 1) + s.encode("utf-16-le") for s in strings)

    def globals_(pos: int) -> bytes:
        return (rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0))
                + rec(0x0042, struct.pack("<H", 1200))
                + rec(0x0085, struct.pack("<IBB", pos, 0, 0) + struct.pack("<BB", len(sheet), 1)
                      + sheet.encode("utf-16-le"))
                + rec(0x00FC, sst) + rec(0x000A))

    head = globals_(len(globals_(0)))
    cells = b"".join(rec(0x0208, struct.pack("<HHHHHHI", r - 1, 0, len(rows[r - 1]), 0x8000 | 300, 0, 0,
                                             0x0F000120)) for r in sorted(hidden))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                cells += rec(0x00FD, struct.pack("<HHHI", r, c, 0, index[value]))
            elif value is not None:
                cells += rec(0x0203, struct.pack("<HHHd", r, c, 0, float(value)))
    width = max(len(r) for r in rows)
    body = (rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0))
            + rec(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0)) + cells + rec(0x000A))
    writer = OleWriter()
    writer.addEntry("Workbook", head + body)
    if vba:
        writer.addEntry("_VBA_PROJECT_CUR", storage=True)
        writer.addEntry("_VBA_PROJECT_CUR/VBA", storage=True)
        writer.addEntry("_VBA_PROJECT_CUR/VBA/dir", b"\x01" * 16)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(rows: list[list[object]], *, agency: str | None = "Northshire Police",
               merge_first_two_header_cells: bool = False) -> bytes:
    """A Word return: a title, 'Agency: X', then the chronology as a table."""
    from docx import Document

    document = Document()
    document.add_heading("Appendix 8b chronology", level=1)
    if agency:
        document.add_paragraph(f"Agency: {agency}")
    document.add_paragraph("Subject: Adult B")
    table = document.add_table(rows=0, cols=len(HEADER))
    for values in [HEADER, *rows]:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=False):
            cell.text = "" if value is None else str(value)
    if merge_first_two_header_cells:
        table.cell(1, 4).merge(table.cell(2, 4))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def eml_bytes(attachments: list[tuple[str, str, bytes]], *, subject: str = "SAR return: Police",
              sender: str = "Police SAR Team <sar@police.example>",
              date: str = "Mon, 03 Mar 2025 10:15:00 +0000") -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "sar-admin@board.example"
    message["Subject"] = subject
    message["Date"] = date
    message.set_content(f"Please find attached our chronology. Kind regards, {SECRET}")
    for name, mime, data in attachments:
        maintype, subtype = mime.split("/", 1)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


@dataclass
class Msg:
    """An Outlook email for `msg_bytes`: an attachment is (name, bytes), (name, Msg) for an attached
    email, (name, None) for a link to a file (attached by reference) or (name, {stream: bytes}) for
    an object pasted into the body; a third item is its MIME type. `date` goes in the
    transport headers (None: no headers); `sent` is PR_CLIENT_SUBMIT_TIME; `codepage` stores every
    string 8-bit (001E) in that code page instead of UTF-16 (001F)."""

    attachments: list[tuple]
    subject: str = "SAR return: Police"
    sender: str = "Police SAR Team <sar@police.example>"
    date: str | None = "Mon, 03 Mar 2025 10:15:00 +0000"
    sent: dt.datetime | None = None
    sender_email: str | None = None
    codepage: int | None = None
    message_class: str = "IPM.Note"


def msg_bytes(attachments: list[tuple], *, subject: str = "SAR return: Police",
              sender: str = "Police SAR Team <sar@police.example>",
              date: str | None = "Mon, 03 Mar 2025 10:15:00 +0000", **more) -> bytes:
    """A minimal Outlook .msg (an OLE container of MAPI property streams)."""
    return write_msg(Msg(attachments, subject, sender, date, **more))


def write_msg(message: Msg) -> bytes:
    from extract_msg import OleWriter

    writer = OleWriter()
    writer.addEntry("__nameid_version1.0", storage=True)
    for stream in ("__substg1.0_00020102", "__substg1.0_00030102", "__substg1.0_00040102"):
        writer.addEntry(f"__nameid_version1.0/{stream}", b"")
    for path, data in msg_entries(message, "", top=True):
        if data is None:
            writer.addEntry(path, storage=True)
        else:
            writer.addEntry(path, data)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def msg_entries(message: Msg, folder: str, *, top: bool = False) -> list[tuple[str, bytes | None]]:
    """The streams (and storages, with None) of a message under `folder` ('' or 'a/b/')."""

    def prop(tag: int, value: int = 0) -> bytes:
        return struct.pack("<IIQ", tag, 6, value)

    def text(prop_id: int, value: str) -> tuple[str, bytes]:
        if message.codepage:
            return f"__substg1.0_{prop_id:04X}001E", value.encode(f"cp{message.codepage}")
        return f"__substg1.0_{prop_id:04X}001F", value.encode("utf-16-le")

    count = len(message.attachments)
    fixed = prop(0x0E070003)
    if message.codepage:
        fixed += prop(0x3FFD0003, message.codepage)
    if message.sent:
        since = message.sent - dt.datetime(1601, 1, 1, tzinfo=dt.UTC)
        fixed += prop(0x00390040, (since // dt.timedelta(microseconds=1)) * 10)
    head = struct.pack("<8sIIII", b"\0" * 8, 0, count, 0, count) + (b"\0" * 8 if top else b"")
    streams = [("__properties_version1.0", head + fixed), text(0x001A, message.message_class),
               text(0x0037, message.subject), text(0x0C1A, message.sender),
               text(0x1000, f"Our return is attached. {SECRET}")]
    if message.sender_email:
        streams.append(text(0x5D01, message.sender_email))
    if message.date is not None:
        streams.append(text(0x007D, f"From: {message.sender}\r\nSubject: {message.subject}\r\n"
                                    f"Date: {message.date}\r\nMIME-Version: 1.0\r\n\r\n"))
    found: list[tuple[str, bytes | None]] = [(folder + name, data) for name, data in streams]
    for i, (name, data, *mime) in enumerate(message.attachments):
        storage = f"{folder}__attach_version1.0_#{i:08X}"
        method = 5 if isinstance(data, Msg) else 2 if data is None else 6 if isinstance(data, dict) else 1
        label, encoded = text(0x3001 if method == 6 else 0x3707, name)  # a pasted object: a display name
        found += [(storage, None),
                  (f"{storage}/__properties_version1.0", b"\0" * 8 + prop(0x37050003, method)
                   + prop(0x0E210003, i)),
                  (f"{storage}/{label}", encoded)]
        if mime:
            found.append((f"{storage}/{text(0x370E, mime[0])[0]}", text(0x370E, mime[0])[1]))
        if isinstance(data, Msg):
            found += [(f"{storage}/__substg1.0_3701000D", None),
                      *msg_entries(data, f"{storage}/__substg1.0_3701000D/")]
        elif isinstance(data, dict):
            found += [(f"{storage}/__substg1.0_3701000D", None),
                      *[(f"{storage}/__substg1.0_3701000D/{key}", value) for key, value in data.items()]]
        elif data is not None:
            found.append((f"{storage}/__substg1.0_37010102", data))
    return found


def encrypt_office(plain: bytes, password: str) -> bytes:
    """An Excel/Word file protected by a password (Agile encryption), as Office writes it."""
    from msoffcrypto.format.ooxml import OOXMLFile

    if len(plain) < 8192:
        # msoffcrypto writes an encrypted package under 4 KB into the OLE mini stream wrongly;
        # Office files are never that small, so pad the package with an incompressible part.
        buffer = io.BytesIO(plain)
        with zipfile.ZipFile(buffer, "a") as archive:
            noise = b"".join(hashlib.sha256(bytes([i])).digest() for i in range(256))
            archive.writestr("docProps/padding.bin", noise * 2, zipfile.ZIP_STORED)
        plain = buffer.getvalue()
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt(password, out)
    return out.getvalue()


# ---- ODS -----------------------------------------------------------------------------------------

ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"


def ods_content(rows_xml_: str, name: str = "Chronology") -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            f'<office:body><office:spreadsheet><table:table table:name="{name}">{rows_xml_}'
            '</table:table></office:spreadsheet></office:body></office:document-content>')


def ods_rows(rows: list[list[object]]) -> str:
    out = []
    for cells in rows:
        parts = "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p>'
            "</table:table-cell>" if v is not None else "<table:table-cell/>" for v in cells)
        out.append(f"<table:table-row>{parts}</table:table-row>")
    # LibreOffice pads every sheet to the full grid with empty repeated rows: harmless.
    out.append('<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
               'table:number-columns-repeated="1024"/></table:table-row>')
    return "".join(out)


def ods_bytes(content: str, *, password: str | None = None, iterations: int = 1000) -> bytes:
    """An ODS package; with a password, content.xml is encrypted as LibreOffice does (AES-256-CBC)."""
    manifest_entries = [('/', ODS_MIME, None), ("content.xml", "text/xml", None)]
    body = content.encode("utf-8")
    encryption = ""
    if password is not None:
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        deflated = compressor.compress(body) + compressor.flush()
        salt, iv = os.urandom(16), os.urandom(16)
        # Over 100,000 iterations the file is only ever refused: its key is not worth deriving.
        key = hashlib.pbkdf2_hmac("sha1", hashlib.sha256(password.encode()).digest(), salt,
                                  iterations if iterations <= 100_000 else 1, 32)
        pad = 16 - len(deflated) % 16
        padded = deflated + bytes([pad]) * pad
        encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
        checksum = hashlib.sha256(deflated[:1024]).digest()
        encryption = (
            '<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:'
            f'xmlns:manifest:1.0#sha256-1k" manifest:checksum="{base64.b64encode(checksum).decode()}">'
            '<manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" '
            f'manifest:initialisation-vector="{base64.b64encode(iv).decode()}"/>'
            '<manifest:start-key-generation manifest:start-key-generation-name='
            '"http://www.w3.org/2000/09/xmldsig#sha256" manifest:key-size="32"/>'
            '<manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:key-size="32" '
            f'manifest:iteration-count="{iterations}" manifest:salt="{base64.b64encode(salt).decode()}"/>'
            "</manifest:encryption-data>")
        body = encryptor.update(padded) + encryptor.finalize()
    entries_xml = "".join(
        f'<manifest:file-entry manifest:full-path="{p}" manifest:media-type="{m}"'
        + (f' manifest:size="{len(content.encode())}">{encryption}</manifest:file-entry>'
           if p == "content.xml" and encryption else "/>")
        for p, m, _ in manifest_entries)
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
                f'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">{entries_xml}'
                "</manifest:manifest>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIME)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", body,
                         zipfile.ZIP_STORED if password is not None else zipfile.ZIP_DEFLATED)
    return out.getvalue()


# ---- zip surgery ---------------------------------------------------------------------------------

def lie_about_sizes(data: bytes, member: str, claimed: int) -> bytes:
    """Rewrite a member's recorded uncompressed size (local header and central directory)."""
    buffer = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    struct.pack_into("<I", buffer, info.header_offset + 22, claimed)
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        (name_len,) = struct.unpack_from("<H", data, pos + 28)
        if data[pos + 46 : pos + 46 + name_len].decode() == member:
            struct.pack_into("<I", buffer, pos + 24, claimed)
        pos = data.find(b"PK\x01\x02", pos + 4)
    return bytes(buffer)


# ---- the corpus ----------------------------------------------------------------------------------

def _ragged(rows: list[list[str]]) -> list[list[str]]:
    return [rows[0][:4], rows[1] + ["extra", "more"], rows[2]]


def _huge(rows: list[list[str]]) -> list[list[str]]:
    return [[*rows[0][:3], "x" * 200_000, *rows[0][4:]], *rows[1:]]


@dataclass
class Case:
    """What sarkit must say about one crafted file."""

    codes: set[str]  # finding codes that must be present
    entries: int | None = None  # entries that must be collated (None: not checked)
    absent: set[str] = field(default_factory=set)  # codes that must not be present
    message: str = ""  # a phrase the first finding of `codes` must contain
    password: str | None = None


Builder = Callable[[Path], Path]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def build_corpus(folder: Path) -> dict[str, Case]:
    """Write every crafted file into `folder`; return what each must give."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: dict[str, Case] = {}

    def add(name: str, case: Case, build: Builder) -> None:
        build(folder / name)
        cases[name] = case

    months = iter(range(1, 1000))

    def fresh(count: int = 3) -> list[list[str]]:
        """Entries no other file of the corpus has (each file its own month)."""
        month = next(months)
        return entries(count, start=dt.date(2000 + month // 12, month % 12 + 1, 1))

    three = entries()
    # good returns, in every format: they must be collated whatever else is in the run
    add("good-police.xlsx", Case(set(), entries=3, absent={"file-unreadable", "file-refused"}),
        lambda p: good_xlsx(p))
    add("good-ambulance.csv", Case(set(), entries=3), lambda p: _write(p, csv_bytes([HEADER, *fresh()])))
    add("good-gp.xls", Case(set(), entries=3), lambda p: _write(p, xls_bytes([HEADER, *fresh()])))
    add("good-housing.ods", Case(set(), entries=3),
        lambda p: _write(p, ods_bytes(ods_content(ods_rows([HEADER, *fresh()])))))
    add("good-word.docx", Case(set(), entries=3),
        lambda p: _write(p, docx_bytes(fresh())))
    add("good-email.eml", Case(set(), entries=3), lambda p: _write(p, eml_bytes([
        ("chronology.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         good_xlsx(folder / "_inner.xlsx", fresh()).read_bytes()),
        ("logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
        ("smime.p7s", "application/pkcs7-signature", b"0\x82\x01"),
    ])))
    (folder / "_inner.xlsx").unlink()
    add("good-outlook.msg", Case(set(), entries=3), lambda p: _write(p, msg_bytes([
        ("chronology.csv", csv_bytes([HEADER, *fresh()]))])))

    # hostile packages: refused, quickly
    laughs = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;'
              '&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;'
              '&lol1;">]>')
    add("billion-laughs.xlsx", Case({"file-refused"}, entries=0, message="entities"),
        lambda p: write_xlsx(p, [Sheet("Chronology", sheet_xml(
            rows_xml([HEADER, ["01/05/2024", "10:00", "Notes", "&lol2;", "x", "y"]]).replace(
                "&amp;lol2;", "&lol2;"), prolog=laughs))]))
    add("xxe.xlsx", Case({"file-refused"}, entries=0, message="entities"),
        lambda p: write_xlsx(p, [chronology_sheet()], extra={
            "xl/sharedStrings.xml": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM '
            '"file:///etc/passwd">]><sst xmlns="' + MAIN_NS + '"><si><t>&e;</t></si></sst>'}))
    add("zip-bomb.xlsx", Case({"file-refused"}, entries=0, message="compressed more than"),
        lambda p: write_xlsx(p, [Sheet("Chronology", sheet_xml(
            rows_xml([HEADER, *three]), after="<!--" + " " * (40 * 1024 * 1024) + "-->"))]))
    add("lying-sizes.xlsx", Case({"file-refused"}, entries=0),
        lambda p: _write(p, lie_about_sizes(write_xlsx(p, [Sheet("Chronology", sheet_xml(
            rows_xml([HEADER, *three]), after="<!--" + " " * (30 * 1024 * 1024) + "-->"))]
        ).read_bytes(), "xl/worksheets/sheet1.xml", 4096)))
    add("far-cell.xlsx", Case({"file-refused"}, entries=0, message="cells"),
        lambda p: write_xlsx(p, [Sheet("Chronology", sheet_xml(
            rows_xml([HEADER, *three]) + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))]))
    add("far-cell-tab.xlsx", Case({"file-refused"}, entries=0, message="cells"),
        lambda p: write_xlsx(p, [Sheet("Chronology", sheet_xml(
            rows_xml([HEADER, *three]) + '<row r="1048576"><c\tr="XFD1048576"><v>1</v></c></row>'))]))
    add("far-cell-quoted.xlsx", Case({"file-refused"}, entries=0, message="cells"),
        lambda p: write_xlsx(p, [Sheet("Chronology", sheet_xml(
            rows_xml([HEADER, *three]) + "<row r='1048576'><c s='0' zz='>'\n r = 'XFD1048576'>"
            "<v>1</v></c></row>"))]))
    add("far-cell-no-refs.xlsx", Case({"file-refused"}, entries=0, message="column"),
        lambda p: write_xlsx(p, [Sheet("Chronology", sheet_xml(
            rows_xml([HEADER, *three], with_r=False) + "<row>" + "<c><v>1</v></c>" * 20_000 + "</row>"
        ))]))
    add("merge-bomb.xlsx", Case({"file-refused"}, entries=0, message="merged"),
        lambda p: write_xlsx(p, [Sheet("Chronology", sheet_xml(
            rows_xml([HEADER, *three]), after='<mergeCells count="1"><mergeCell ref="A3:XFD1048576"/>'
            "</mergeCells>"))]))
    add("too-many-parts.xlsx", Case({"file-refused"}, entries=0, message="files"),
        lambda p: write_xlsx(p, [chronology_sheet()],
                             extra={f"xl/media/x{i}.bin": b"" for i in range(10_001)}))
    add("ods-repeat-bomb.ods", Case({"file-refused"}, entries=0),
        lambda p: _write(p, ods_bytes(ods_content(
            '<table:table-row table:number-rows-repeated="999999999"><table:table-cell '
            'table:number-columns-repeated="999999999" office:value-type="string"><text:p>X</text:p>'
            "</table:table-cell></table:table-row>"))))

    add("ods-repeat-tab.ods", Case({"file-refused"}, entries=0),
        lambda p: _write(p, ods_bytes(ods_content(
            '<table:table-row\ttable:number-rows-repeated="99999"><table:table-cell zz=">"\n'
            "table:number-columns-repeated='99999' office:value-type='string'><text:p>X</text:p>"
            "</table:table-cell></table:table-row>"))))

    # readable despite lies or oddities
    add("false-dimension.xlsx", Case(set(), entries=5000),
        lambda p: write_xlsx(p, [Sheet("Chronology", sheet_xml(
            rows_xml([HEADER, *entries(5000, start=dt.date(1995, 1, 1))]), dimension="A1"))]))
    add("xls-named.xlsx", Case(set(), entries=3), lambda p: _write(p, xls_bytes([HEADER, *fresh()])))
    add("csv-named.xlsx", Case({"file-misnamed"}, entries=3),
        lambda p: _write(p, csv_bytes([HEADER, *fresh()])))
    add("cp1252.csv", Case(set(), entries=3), lambda p: _write(p, csv_bytes(
        [HEADER, *[[*r[:3], r[3] + " café – déjà vu", *r[4:]] for r in fresh()]], encoding="cp1252")))
    add("bom.csv", Case(set(), entries=3, absent={"missing-column"}),
        lambda p: _write(p, csv_bytes([HEADER, *fresh()], bom=True)))
    add("semicolon.csv", Case(set(), entries=3),
        lambda p: _write(p, csv_bytes([HEADER, *fresh()], delimiter=";")))
    add("ragged.csv", Case(set(), entries=3), lambda p: _write(p, csv_bytes(
        [HEADER, *_ragged(fresh())])))
    add("huge-field.csv", Case(set(), entries=3), lambda p: _write(p, csv_bytes(
        [HEADER, *_huge(fresh())])))
    add("same-file-copy.xlsx", Case({"duplicate-file"}, entries=0),
        lambda p: _write(p, (folder / "good-police.xlsx").read_bytes()))

    # unreadable
    add("empty.xlsx", Case({"file-unreadable"}, entries=0, message="empty"), lambda p: _write(p, b""))
    add("truncated.xlsx", Case({"file-unreadable"}, entries=0),
        lambda p: _write(p, good_xlsx(p).read_bytes()[:700]))
    add("picture-named.xlsx", Case({"file-unreadable"}, entries=0),
        lambda p: _write(p, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8))
    add("~$police.xlsx", Case({"skipped-file"}, entries=0), lambda p: _write(p, b"\x00" * 165))
    add(".~lock.police.xlsx#", Case({"skipped-file"}, entries=0),
        lambda p: _write(p, b"Jane,host,user,01.05.2024 10:00,"))
    add("pdf-email.eml", Case({"file-unreadable"}, entries=0, message="PDF"),
        lambda p: _write(p, eml_bytes(
            [("chronology.pdf", "application/pdf", b"%PDF-1.4\n%" + SECRET.encode())])))
    add("no-attachment.eml", Case({"file-unreadable"}, entries=0, message="no spreadsheet"),
        lambda p: _write(p, eml_bytes([])))

    # passwords
    # read with passwords for other files: the passwords file has no line for it
    add("encrypted-no-password.xlsx", Case({"file-encrypted"}, entries=0,
                                           message="the passwords file has no line for this file"),
        lambda p: _write(p, encrypt_office(good_xlsx(p).read_bytes(), PASSWORD)))
    add("encrypted-wrong-password.xlsx", Case({"file-encrypted"}, entries=0, message="did not open",
                                              password="not the password"),
        lambda p: _write(p, encrypt_office(good_xlsx(p).read_bytes(), PASSWORD)))
    add("encrypted-right-password.xlsx", Case(set(), entries=3, password=PASSWORD),
        lambda p: _write(p, encrypt_office(
            good_xlsx(p, fresh()).read_bytes(), PASSWORD)))
    add("encrypted-word.docx", Case(set(), entries=3, password=PASSWORD),
        lambda p: _write(p, encrypt_office(docx_bytes(fresh(),
                                                      agency=None), PASSWORD)))
    add("encrypted-ods-right.ods", Case(set(), entries=3, password=PASSWORD),
        lambda p: _write(p, ods_bytes(ods_content(ods_rows(
            [HEADER, *fresh()])), password=PASSWORD)))
    add("encrypted-ods-wrong.ods", Case({"file-encrypted"}, entries=0, password="nope"),
        lambda p: _write(p, ods_bytes(ods_content(ods_rows([HEADER, *three])), password=PASSWORD)))

    # features: reported, the entries still read
    add("macros.xlsm", Case({"macros-present"}, entries=3), lambda p: write_xlsx(
        p, [chronology_sheet(fresh())],
        extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + SECRET.encode()}))
    add("macros.xls", Case({"macros-present"}, entries=3),
        lambda p: _write(p, xls_bytes([HEADER, *fresh()], vba=True)))
    add("external-link.xlsx", Case({"external-link"}, entries=3), lambda p: write_xlsx(
        p, [chronology_sheet(fresh())],
        workbook_rels=[(f"{REL_NS}/externalLink", "externalLinks/externalLink1.xml")],
        extra={"xl/externalLinks/externalLink1.xml": f'<externalLink xmlns="{MAIN_NS}"/>'}))
    add("hidden-sheet.xlsx", Case({"hidden-sheet"}, entries=3), lambda p: write_xlsx(
        p, [chronology_sheet(fresh()),
            Sheet("Old", sheet_xml(rows_xml([[SECRET]])), state="hidden")]))
    add("merged-cells.xlsx", Case({"merged-cells"}, entries=3), lambda p: write_xlsx(
        p, [Sheet("Chronology", sheet_xml(
            rows_xml([HEADER, *fresh()]),
            after='<mergeCells count="1"><mergeCell ref="C3:C4"/></mergeCells>'))]))
    add("comments.xlsx", Case({"cell-comment"}, entries=3), lambda p: write_xlsx(
        p, [Sheet("Chronology", chronology_sheet(fresh()).xml,
                  rels=[(f"{REL_NS}/comments", "../comments1.xml", "")])],
        extra={"xl/comments1.xml": f'<comments xmlns="{MAIN_NS}"><authors><author>A</author></authors>'
               f'<commentList><comment ref="D2" authorId="0"><text><r><t>{SECRET}</t></r></text>'
               "</comment></commentList></comments>"}))
    add("hidden-rows.xlsx", Case({"hidden-row"}, entries=3), lambda p: write_xlsx(
        p, [Sheet("Chronology", sheet_xml(
            rows_xml([HEADER, *fresh()], hidden={3}),
            after='<autoFilter ref="A1:F4"><filterColumn colId="2"><filters><filter val="x"/>'
            "</filters></filterColumn></autoFilter>"))]))
    add("control-characters.xlsx", Case({"illegal-character"}, entries=3), lambda p: write_xlsx(
        p, [chronology_sheet([[*r[:3], r[3] + " _x0007_bell and _x001B_escape", *r[4:]]
                              for r in fresh()])]))
    add("formulas.xlsx", Case({"formula-cell"}, entries=3), lambda p: write_xlsx(
        p, [Sheet("Chronology", sheet_xml(
            rows_xml([[*HEADER, "Ref"]]) + "".join(
                rows_xml([r], first_row=i + 2)[:-6]
                + f'<c r="G{i + 2}"><f>ROW()-1</f><v>{i + 1}</v></c>'
                + (f'<c r="H{i + 2}"><f>G{i + 2}*2</f></c>' if i == 0 else "") + "</row>"
                for i, r in enumerate(fresh()))))]))
    for extension in TEMPLATE_TYPES:
        macros = TEMPLATE_TYPES[extension][1]
        word = extension.startswith("do")
        add(f"template.{extension}", Case({"macros-present"} if macros else set(), entries=3,
                                         absent=set() if macros else {"macros-present"}),
            lambda p, word=word, extension=extension: _write(p, retyped(
                docx_bytes(fresh()) if word else good_xlsx(p, fresh()).read_bytes(), extension)))
    add("excel4-macro-sheet.xlsm", Case({"macros-present"}, entries=3, absent={"file-unreadable"}),
        lambda p: with_odd_sheet(p, fresh(), macro_sheet=True))
    add("empty-relationship-id.xlsx", Case(set(), entries=3, absent={"file-unreadable"}),
        lambda p: with_odd_sheet(p, fresh(), macro_sheet=False))
    add("word-merged.docx", Case({"merged-cells"}, entries=3), lambda p: _write(
        p, docx_bytes(fresh(), merge_first_two_header_cells=True)))
    return cases


__all__ = ["PASSWORD", "SECRET", "Case", "build_corpus"]
