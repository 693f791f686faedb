"""Key Event checkboxes (typed glyphs, Word checkbox controls and form fields, Excel form
controls) and files encrypted by a sensitivity label (red team V, items 3 to 5)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from conftest import row, write_return
from corpus import HEADER, REL_NS, Sheet, entries, rows_xml, sheet_xml, write_xlsx
from typer.testing import CliRunner

from sarkit.chronology import read_yes_no
from sarkit.cli import app
from sarkit.findings import Severity
from sarkit.intake import read_workbook
from sarkit.returns import ReadOptions, validate_workbook

KEY = "Key Event (Y/N)"
OPTIONS = ReadOptions(agency="Northshire Police", today=dt.date(2025, 6, 1))


@pytest.mark.parametrize(("text", "read"), [
    ("☒", (True, "plain")), ("☑", (True, "plain")), ("✅", (True, "plain")),
    ("☐", (False, "plain")), ("◻", (False, "plain")),
    ("✓", (True, "plain")), ("X", (True, "plain")),
    ("☒ Yes ☐ No", (True, "plain")), ("☐ Yes ☒ No", (False, "plain")),
    ("Yes ☐ No ☒", (False, "plain")), ("Yes ☒ No ☐", (True, "plain")),
    ("☒ Yes ☒ No", (None, "unclear")), ("☐ Yes ☐ No", (None, "unclear")),
    ("☒ first disclosure", (True, "words")), ("Yes ☒", (True, "plain")), ("No ☑", (False, "plain")),
    ("Yes ☐", (None, "unclear")),
    ("✗", (None, "unclear")), ("✘", (None, "unclear")),
])
def test_checkbox_glyphs_read_as_yes_or_no(text: str, read: tuple) -> None:
    assert read_yes_no(text) == read


def test_glyph_key_events_in_a_workbook(tmp_path: Path) -> None:
    glyphs = ["☒", "☐", "☑", "✗"]
    rows = [row(day=f"0{i + 1}/03/2025") + [g] for i, g in enumerate(glyphs)]
    path = write_return(tmp_path / "police.xlsx", rows, header=[*HEADER[:6], KEY])
    result = validate_workbook(read_workbook(path), OPTIONS)
    assert [e.key_event for e in result.entries] == [True, False, True, None]
    [f] = result.findings
    assert (f.code, f.severity, f.row) == ("key-event-unclear", Severity.WARNING, 5)
    assert f.message == ("The Key Event (Y/N) in row 5 is not yes or no, so the entry is not marked "
                         "as a key event; the text is kept in the column Key Event (as written).")


W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def _content_control(checked: bool, glyph: str) -> str:
    return (f'<w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="{int(checked)}"/></w14:checkbox>'
            f'</w:sdtPr><w:sdtContent><w:r><w:t>{glyph}</w:t></w:r></w:sdtContent></w:sdt>')


def _form_field(box: str) -> str:
    return ('<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check1"/>'
            f'<w:checkBox><w:sizeAuto/>{box}</w:checkBox></w:ffData></w:fldChar></w:r>'
            '<w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def test_word_checkboxes_are_read_by_their_state(tmp_path: Path) -> None:
    # content controls whose glyph disagrees with their state (a custom glyph): the state decides;
    # form fields show no text: w:checked, else w:default
    boxes = [_content_control(True, "✔"), _content_control(False, "Y"),
             _form_field('<w:default w:val="0"/><w:checked/>'), _form_field('<w:default w:val="1"/>'),
             _form_field('<w:default w:val="1"/><w:checked w:val="0"/>'), _form_field("")]
    from docx import Document

    document = Document()
    table = document.add_table(rows=0, cols=len(HEADER) + 1)
    rows = [[*e, f"KEYMARK{i}"] for i, e in enumerate(entries(len(boxes)))]
    for values in [[*HEADER, KEY], *rows]:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    archive = zipfile.ZipFile(io.BytesIO(data))
    parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["word/document.xml"].decode()
    if "xmlns:w14" not in xml:
        xml = xml.replace("<w:document ", f'<w:document xmlns:w14="{W14}" ', 1)
    for i, box in enumerate(boxes):
        xml = re.sub(rf"<w:r>(?:(?!<w:r>).)*?KEYMARK{i}</w:t></w:r>", box, xml, count=1, flags=re.S)
    assert "KEYMARK" not in xml
    parts["word/document.xml"] = xml.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as new:
        for name, body in parts.items():
            new.writestr(name, body)
    path = tmp_path / "police.docx"
    path.write_bytes(out.getvalue())
    result = validate_workbook(read_workbook(path), OPTIONS)
    assert [e.key_event for e in result.entries] == [True, False, True, True, False, False]
    assert result.findings == []


def _form_checkbox_book(path: Path, controls: list[str], vml: str | None = None) -> Path:
    rels = [(f"{REL_NS}/ctrlProp", f"../ctrlProps/ctrlProp{i}.xml", "") for i in range(1, len(controls) + 1)]
    extra = {f"xl/ctrlProps/ctrlProp{i}.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<formControlPr xmlns='
        f'"http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" {attributes}/>')
        for i, attributes in enumerate(controls, start=1)}
    if vml is not None:
        rels.append((f"{REL_NS}/vmlDrawing", "../drawings/vmlDrawing1.vml", ""))
        extra["xl/drawings/vmlDrawing1.vml"] = vml
    sheet = Sheet("Chronology", sheet_xml(rows_xml([[*HEADER, KEY], *entries(3)])), rels=rels)
    return write_xlsx(path, [sheet], extra=extra)


def test_ticked_form_checkboxes_linked_to_no_cell_are_said(tmp_path: Path) -> None:
    path = _form_checkbox_book(tmp_path / "police.xlsx", [
        'objectType="CheckBox" checked="Checked"', 'objectType="CheckBox" checked="Checked"',
        'objectType="CheckBox"',  # not ticked: nothing lost
        'objectType="CheckBox" checked="Checked" fmlaLink="$G$4"',  # linked: its cell says
        'objectType="Button"'])
    book = read_workbook(path)
    [f] = [f for f in book.findings if f.code == "checkbox-not-read"]
    assert (f.severity, f.sheet) == (Severity.WARNING, "Chronology")
    assert f.message == ("The sheet Chronology has 2 ticked checkboxes that are not linked to any "
                         "cell; sarkit reads cells only, so those ticks were not read (a Key Event "
                         "ticked that way is blank in the chronology).")
    ticked = 'objectType="CheckBox" checked="Checked"'
    one = read_workbook(_form_checkbox_book(tmp_path / "gp.xlsx", [ticked]))
    assert [f.message for f in one.findings if f.code == "checkbox-not-read"] == [
        "The sheet Chronology has a ticked checkbox that is not linked to any cell; sarkit reads "
        "cells only, so that tick was not read (a Key Event ticked that way is blank in the "
        "chronology)."]
    none = read_workbook(_form_checkbox_book(tmp_path / "asc.xlsx", [
        'objectType="CheckBox"', 'objectType="CheckBox" checked="Checked" fmlaLink="$G$2"']))
    assert not [f for f in none.findings if f.code == "checkbox-not-read"]


def _vml(*shapes: tuple[str, bool, str | None]) -> str:
    """A drawing of checkboxes: (anchor, ticked, linked cell) each, as Excel writes beside them."""
    body = "".join(
        f'<v:shape type="#_x0000_t201"><x:ClientData ObjectType="Checkbox"><x:Anchor>{anchor}</x:Anchor>'
        + (f"<x:FmlaLink>{link}</x:FmlaLink>" if link else "")
        + ("<x:Checked>1</x:Checked>" if ticked else "")
        + "</x:ClientData></v:shape>" for anchor, ticked, link in shapes)
    return ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:x="urn:schemas-microsoft-com:office:excel">'
            f"{body}</xml>")


def test_the_rows_of_unlinked_ticks_come_from_the_drawing(tmp_path: Path) -> None:
    ticked, linked = 'objectType="CheckBox" checked="Checked"', 'objectType="CheckBox" fmlaLink="$G$2"'
    vml = _vml(("6, 10, 1, 2, 6, 40, 1, 18", False, "$G$2"), ("6, 10, 4, 2, 6, 40, 4, 18", True, None),
               ("6, 10, 2, 2, 6, 40, 2, 18", True, None))
    book = read_workbook(_form_checkbox_book(tmp_path / "police.xlsx", [linked, ticked, ticked], vml))
    [f] = [f for f in book.findings if f.code == "checkbox-not-read"]
    assert f.row == 3
    assert f.message == ("The sheet Chronology has 2 ticked checkboxes that are not linked to any "
                         "cell (on rows 3 and 5); sarkit reads cells only, so those ticks were not "
                         "read (a Key Event ticked that way is blank in the chronology).")
    # a checkbox across two rows, a drawing that disagrees with the controls, or one that does
    # not read: no row is guessed
    for name, drawing in [("gp.xlsx", _vml(("6, 10, 4, 2, 6, 40, 5, 18", True, None))),
                          ("asc.xlsx", _vml(("6, 10, 4, 2, 6, 40, 4, 18", True, None))[:-6]),
                          ("ccg.xlsx", _vml(("6, 10, 4, 2, 6, 40, 4, 18", True, None),
                                            ("6, 10, 5, 2, 6, 40, 5, 18", True, None)))]:
        book = read_workbook(_form_checkbox_book(tmp_path / name, [ticked], drawing))
        [f] = [f for f in book.findings if f.code == "checkbox-not-read"]
        assert (f.row, "(on row" in f.message) == (None, False)


# ---- sensitivity labels ---------------------------------------------------------------------------

def _ole(streams: dict[str, bytes]) -> bytes:
    from extract_msg import OleWriter

    writer = OleWriter()
    made: set[str] = set()
    for name, data in streams.items():
        parts = name.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder not in made:
                writer.addEntry(folder, storage=True)
                made.add(folder)
        writer.addEntry(name, data)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_DATA_SPACES = {
    "\x06DataSpaces/Version": b"\0" * 64,
    "\x06DataSpaces/DataSpaceMap": b"\0" * 64,
    "\x06DataSpaces/DataSpaceInfo/DRMEncryptedDataSpace": b"\0" * 64,
    "\x06DataSpaces/TransformInfo/DRMEncryptedTransform/\x06Primary": b"\0" * 64,
}
LABELLED = _ole({**_DATA_SPACES, "EncryptedPackage": b"\x70\x17\0\0\0\0\0\0" + b"\x5a" * 6000})
LABELLED_XLS = _ole({**_DATA_SPACES, "\tDRMContent": b"\x5a" * 9000,
                     "\x05SummaryInformation": b"\xfe\xff" + b"\0" * 46})
LABEL_HINT = ("Ask the agency to send it again with a sensitivity label that does not encrypt (or "
              "protected by a password instead, the password sent separately), by secure email.")


@pytest.mark.parametrize(("name", "data", "noun"), [
    ("police.xlsx", LABELLED, "workbook"), ("police.docx", LABELLED, "document"),
    ("police.xls", LABELLED_XLS, "workbook")])
def test_a_file_encrypted_by_a_sensitivity_label_is_said_so(tmp_path: Path, name: str, data: bytes,
                                                            noun: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    for password in (None, "guess"):
        book = read_workbook(path, password=password)
        [f] = book.findings
        assert (f.code, f.severity, f.hint) == ("file-label-encrypted", Severity.ERROR, LABEL_HINT)
        assert f.message == (f"The {noun} is encrypted by a sensitivity label (Microsoft Purview "
                             "Information Protection), which sarkit cannot open; it has no password, "
                             "so no password opens it.")
        assert book.sheets == []


def test_a_labelled_return_is_unusable_and_fails_validation(tmp_path: Path, review_file: Path) -> None:
    (tmp_path / "returns").mkdir()
    (tmp_path / "returns" / "police.xlsx").write_bytes(LABELLED)
    write_return(tmp_path / "returns" / "gp.xlsx", [row()])
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "returns"), "--review", str(review_file),
                                      "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    police = next(f for f in data["files"] if f["path"].endswith("police.xlsx"))
    assert [x["code"] for x in police["findings"]] == ["file-label-encrypted"]
    assert police["entries"] == 0
    gp = next(f for f in data["files"] if f["path"].endswith("gp.xlsx"))
    assert (gp["entries"], gp["findings"]) == (1, [])
    assert data["account"]["missing"] == ["Testshire Adult Social Care"]  # sent nothing
    assert [u["agency"] for u in data["account"]["unusable"]] == ["Testshire Police"]
