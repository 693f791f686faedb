"""Password-protected returns: decrypted in memory with the right password, a plain finding otherwise."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from corpus import (
    HEADER,
    PASSWORD,
    docx_bytes,
    encrypt_office,
    entries,
    good_xlsx,
    ods_bytes,
    ods_content,
    ods_rows,
)

from sarkit.intake import crypto, read_workbook, read_workbooks
from sarkit.intake.limits import Limits, ZipPackage


@pytest.fixture
def locked(tmp_path: Path) -> Path:
    plain = good_xlsx(tmp_path / "plain.xlsx").read_bytes()
    path = tmp_path / "police.xlsx"
    path.write_bytes(encrypt_office(plain, PASSWORD))
    return path


def test_no_password_says_how_to_give_one(locked: Path) -> None:
    book = read_workbook(locked)
    [f] = book.findings
    assert f.code == "file-encrypted"
    assert f.message == "The workbook is protected by a password, and no password was given."
    assert "--password" in f.hint and "SARKIT_PASSWORD" in f.hint and "--passwords FILE" in f.hint
    assert book.sheets == []


def test_wrong_password_is_said_plainly(locked: Path) -> None:
    [f] = read_workbook(locked, password="guess").findings
    assert f.code == "file-encrypted"
    assert "the password given did not open it" in f.message


def test_right_password_reads_the_workbook_in_memory(locked: Path, tmp_path: Path) -> None:
    before = set(os.listdir(tmp_path))
    book = read_workbook(locked, password=PASSWORD)
    assert book.findings == []
    assert book.format == "xlsx"
    assert book.sheets[0].rows[0] == HEADER
    assert set(os.listdir(tmp_path)) == before  # nothing decrypted to disk


def test_passwords_by_file_name_then_any(locked: Path) -> None:
    [book] = read_workbooks(locked, passwords={"other.xlsx": "x", "police.xlsx": PASSWORD})
    assert book.sheets
    [book] = read_workbooks(locked, passwords={"*": PASSWORD})
    assert book.sheets
    [book] = read_workbooks(locked, passwords={"other.xlsx": PASSWORD})
    assert book.findings[0].code == "file-encrypted"


def test_protected_word_document(tmp_path: Path) -> None:
    path = tmp_path / "police.docx"
    path.write_bytes(encrypt_office(docx_bytes(entries(2)), PASSWORD))
    book = read_workbook(path, password=PASSWORD)
    assert book.format == "docx"
    assert book.sheets[0].name == "Table 1"
    assert book.details["agency"] == "Northshire Police"


def test_protected_libreoffice_file(tmp_path: Path) -> None:
    path = tmp_path / "police.ods"
    path.write_bytes(ods_bytes(ods_content(ods_rows([HEADER, *entries(2)])), password=PASSWORD))
    package = ZipPackage(path.read_bytes(), Limits())
    assert crypto.odf_is_encrypted(package)
    book = read_workbook(path, password=PASSWORD)
    assert book.findings == []
    assert book.sheets[0].rows[:2] == [HEADER, entries(2)[0]]
    assert read_workbook(path).findings[0].message.endswith("no password was given.")
    assert "did not open it" in read_workbook(path, password="nope").findings[0].message


def test_unsupported_odf_encryption_is_reported(tmp_path: Path) -> None:
    source = zipfile.ZipFile(io.BytesIO(ods_bytes(ods_content(ods_rows([HEADER])), password=PASSWORD)))
    path = tmp_path / "new.ods"
    with zipfile.ZipFile(path, "w") as archive:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "META-INF/manifest.xml":
                body = body.replace(b"xmlenc#aes256-cbc", b"xmlenc11#aes256-gcm")
            archive.writestr(info, body)
    [f] = read_workbook(path, password=PASSWORD).findings
    assert f.code == "file-encrypted" and "cannot open" in f.message


def test_an_office_container_that_is_not_encrypted_right(tmp_path: Path) -> None:
    from extract_msg import OleWriter

    writer = OleWriter()
    writer.addEntry("EncryptionInfo", b"\x04\x00\x04\x00" + b"\0" * 60)
    writer.addEntry("EncryptedPackage", b"\0" * 5000)
    path = tmp_path / "odd.xlsx"
    with open(path, "wb") as handle:
        writer.write(handle)
    [f] = read_workbook(path, password="x").findings
    assert f.code == "file-encrypted"
