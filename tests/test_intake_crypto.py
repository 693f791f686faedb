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


def test_excel_default_password_opens_without_asking(tmp_path: Path) -> None:
    """A workbook only 'protected for writing' is encrypted with VelvetSweatshop: Excel opens it
    without a password, and so does sarkit, whatever password was given for other files."""
    path = tmp_path / "police.xlsx"
    path.write_bytes(encrypt_office(good_xlsx(tmp_path / "plain.xlsx").read_bytes(),
                                    crypto.EXCEL_DEFAULT_PASSWORD))
    for password in (None, "", "the password of another file"):
        book = read_workbook(path, password=password)
        assert book.findings == [], password
        assert book.sheets[0].rows[0] == HEADER
    word = tmp_path / "police.docx"
    word.write_bytes(encrypt_office(docx_bytes(entries(2)), crypto.EXCEL_DEFAULT_PASSWORD))
    assert read_workbook(word).sheets[0].name == "Table 1"


def test_an_empty_password_is_no_password(locked: Path) -> None:
    [f] = read_workbook(locked, password="").findings
    assert f.message == "The workbook is protected by a password, and no password was given."
    [book] = read_workbooks(locked, passwords={"police.xlsx": ""})
    assert book.findings[0].message.endswith("no password was given.")


def test_a_right_password_opens_even_when_the_librarys_check_fails(locked: Path) -> None:
    """The verifier in the header is damaged (as some writers leave it); the package the
    password decrypts is a valid zip, so the password was right."""
    data = bytearray(locked.read_bytes())
    at = data.index(b'encryptedVerifierHashValue="') + len(b'encryptedVerifierHashValue="')
    data[at] = ord("B") if data[at] != ord("B") else ord("C")
    locked.write_bytes(bytes(data))
    import msoffcrypto
    from msoffcrypto.format.ooxml import OOXMLFile

    with pytest.raises(msoffcrypto.exceptions.InvalidKeyError):
        OOXMLFile(io.BytesIO(bytes(data))).load_key(password=PASSWORD, verify_password=True)
    book = read_workbook(locked, password=PASSWORD)
    assert book.findings == []
    assert book.sheets[0].rows[0] == HEADER
    assert "did not open it" in read_workbook(locked, password="guess").findings[0].message


def test_key_derivation_rounds_are_capped_before_any_are_spent(tmp_path: Path, locked: Path) -> None:
    import time

    path = tmp_path / "slow.ods"
    path.write_bytes(ods_bytes(ods_content(ods_rows([HEADER, *entries(2)])), password=PASSWORD,
                               iterations=2_000_000_000))
    started = time.monotonic()
    [f] = read_workbook(path, password=PASSWORD).findings
    assert time.monotonic() - started < 5
    assert f.code == "file-refused"
    assert f.message.startswith("The file was refused: its password protection asks for "
                                "2,000,000,000 rounds of key derivation, over the limit of 1,000,000")
    assert "--limit max-key-iterations=NUMBER" in f.hint
    # Office: the spinCount of the EncryptionInfo XML (Office writes 100,000)
    [f] = read_workbooks(locked, passwords={"*": PASSWORD}, limits=Limits(max_key_iterations=50_000)
                         )[0].findings
    assert f.code == "file-refused"
    assert "asks for 100,000 rounds" in f.message


def test_a_crafted_encryption_header_is_refused_unparsed(tmp_path: Path) -> None:
    from extract_msg import OleWriter

    for xml, phrase in (
        (b'<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption"><keyEncryptors>'
        b'<keyEncryptor><encryptedKey spinCount="4000000000"/></keyEncryptor></keyEncryptors>'
        b"</encryption>", "4,000,000,000 rounds"),
        (b'<!DOCTYPE e [<!ENTITY a "aaaa">]><encryption>&a;</encryption>', "DTD or entities"),
    ):
        writer = OleWriter()
        writer.addEntry("EncryptionInfo", b"\x04\x00\x04\x00\x40\x00\x00\x00" + xml)
        writer.addEntry("EncryptedPackage", b"\0" * 5000)
        path = tmp_path / "odd.xlsx"
        with open(path, "wb") as handle:
            writer.write(handle)
        [f] = read_workbook(path, password="x").findings
        assert f.code == "file-refused"
        assert phrase in f.message


def test_only_the_parts_the_reader_needs_are_decrypted(tmp_path: Path, monkeypatch) -> None:
    """Each encrypted part costs a key derivation: styles, settings and thumbnails are left out."""
    source = zipfile.ZipFile(io.BytesIO(ods_bytes(ods_content(ods_rows([HEADER, *entries(2)])),
                                                  password=PASSWORD)))
    manifest = source.read("META-INF/manifest.xml").decode()
    entry = manifest[manifest.index('<manifest:file-entry manifest:full-path="content.xml"'):]
    entry = entry[: entry.index("</manifest:file-entry>") + len("</manifest:file-entry>")]
    styles = entry.replace('full-path="content.xml"', 'full-path="styles.xml"')
    path = tmp_path / "police.ods"
    parts = {info.filename: source.read(info) for info in source.infolist()}
    parts["META-INF/manifest.xml"] = manifest.replace(entry, entry + styles).encode()
    parts["styles.xml"] = parts["content.xml"]
    with zipfile.ZipFile(path, "w") as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    calls = []
    real = crypto._decrypt_part
    monkeypatch.setattr(crypto, "_decrypt_part", lambda raw, params, pw, limits, part: (
        calls.append(part), real(raw, params, pw, limits, part))[1])
    book = read_workbook(path, password=PASSWORD)
    assert book.findings == []
    assert calls == ["content.xml"]


def test_a_libreoffice_encrypted_file_costs_one_key_derivation(monkeypatch) -> None:
    """LibreOffice encrypts five parts, each with 100,000 PBKDF2 iterations; only content.xml is
    decrypted (the file of calamine's own tests, password 1234)."""
    path = Path(__file__).parent / "data" / "calamine-tests" / "pass_protected.ods"
    if not path.exists():
        pytest.skip("the calamine test files are not present")
    package = ZipPackage(path.read_bytes(), Limits())
    encrypted = [e.path for e in crypto._odf_manifest(package) if e.encryption]
    assert sorted(encrypted) == ["content.xml", "manifest.rdf", "meta.xml", "settings.xml", "styles.xml"]
    calls = []
    real = crypto._decrypt_part
    def spy(raw, params, password, limits, part):
        calls.append((part, params["key-derivation.iteration-count"]))
        return real(raw, params, password, limits, part)

    monkeypatch.setattr(crypto, "_decrypt_part", spy)
    book = read_workbook(path, password="1234")
    assert book.findings == []
    assert book.sheets[0].rows[1][:3] == ["String", 1.0, 1.1]
    assert calls == [("content.xml", "100000")]
