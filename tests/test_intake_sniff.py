"""The format comes from the bytes, never from the name."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from corpus import (
    HEADER,
    csv_bytes,
    docx_bytes,
    eml_bytes,
    good_xlsx,
    msg_bytes,
    ods_bytes,
    ods_content,
    xls_bytes,
)

from sarkit.intake import read_workbook
from sarkit.intake.sniff import is_junk, sniff_bytes


def test_formats_from_bytes(tmp_path: Path) -> None:
    assert sniff_bytes(good_xlsx(tmp_path / "a.bin").read_bytes()) == "xlsx"
    assert sniff_bytes(xls_bytes([HEADER])) == "xls"
    assert sniff_bytes(ods_bytes(ods_content(""))) == "ods"
    assert sniff_bytes(docx_bytes([])) == "docx"
    assert sniff_bytes(eml_bytes([])) == "eml"
    assert sniff_bytes(msg_bytes([])) == "msg"
    assert sniff_bytes(csv_bytes([HEADER])) == "text"
    assert sniff_bytes(b"") == "empty"
    assert sniff_bytes(b"PK\x03\x04garbage") == "zip-broken"
    assert sniff_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR") == "unknown"


def test_packages_found_through_relationships(tmp_path: Path) -> None:
    """Workbooks at the package root, with backslashes: found as Excel finds them."""
    source = zipfile.ZipFile(good_xlsx(tmp_path / "a.xlsx"))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            archive.writestr(info.filename.replace("/", "\\"), source.read(info))
    path = tmp_path / "backslash.xlsx"
    path.write_bytes(out.getvalue())
    book = read_workbook(path)
    assert book.format == "xlsx" and book.sheets[0].rows[0] == HEADER


def test_junk_names() -> None:
    for name in ("~$police.xlsx", ".~lock.police.xlsx#", "._police.xlsx", ".DS_Store", "Thumbs.db"):
        assert is_junk(Path(name))
    assert not is_junk(Path("police.xlsx"))


def test_unreadable_formats_say_what_they_are(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    for data, phrase in [(b"", "empty"), (b"PK\x05\x06" + b"\0" * 18, "zip archive"),
                         (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "not a spreadsheet")]:
        path.write_bytes(data)
        [f] = read_workbook(path).findings
        assert f.code == "file-unreadable" and phrase in f.message, (phrase, f.message)
