"""Returns inside saved emails: each attachment a return, the email's sender, date and subject kept."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from pathlib import Path

from corpus import (
    HEADER,
    PASSWORD,
    csv_bytes,
    docx_bytes,
    eml_bytes,
    encrypt_office,
    entries,
    good_xlsx,
    msg_bytes,
)

from sarkit.intake import read_workbook, read_workbooks
from sarkit.returns import ReadOptions, validate_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROVENANCE = {"email_from": "Police SAR Team <sar@police.example>", "email_date": "03/03/2025 10:15",
              "email_subject": "SAR return: Police"}


def _xlsx(tmp_path: Path, rows=None) -> bytes:
    return good_xlsx(tmp_path / "x.xlsx", rows).read_bytes()


def test_each_attachment_is_a_return(tmp_path: Path) -> None:
    path = tmp_path / "mail.eml"
    path.write_bytes(eml_bytes([
        ("police.xlsx", XLSX, _xlsx(tmp_path)),
        ("extra.csv", "text/csv", csv_bytes([HEADER, *entries(2)])),
        ("word.docx", "application/octet-stream", docx_bytes(entries(1))),
        ("photo.jpg", "image/jpeg", b"\xff\xd8\xff" + b"\0" * 100),
        ("notes.txt", "text/plain", b"see attached"),
    ]))
    books = read_workbooks(path)
    assert [b.path for b in books] == [f"{path} › police.xlsx", f"{path} › extra.csv",
                                       f"{path} › word.docx"]
    assert [b.format for b in books] == ["xlsx", "text", "docx"]
    for book, name in zip(books, ["police.xlsx", "extra.csv", "word.docx"], strict=True):
        assert book.provenance == {**PROVENANCE, "attachment": name}
        assert book.sha256 and not book.findings
    assert books[0].sha256 != books[1].sha256


def test_a_return_in_an_email_collates_like_the_file(tmp_path: Path) -> None:
    rows = entries(4)
    plain = good_xlsx(tmp_path / "police.xlsx", rows)
    mail = tmp_path / "mail.eml"
    mail.write_bytes(eml_bytes([("police.xlsx", XLSX, plain.read_bytes())]))
    options = ReadOptions(agency="Police", today=dt.date(2025, 6, 1))
    direct = validate_workbook(read_workbook(plain), options)
    [book] = read_workbooks(mail)
    inside = validate_workbook(book, options)
    assert [(e.date, e.source, e.event, e.row) for e in inside.entries] == [
        (e.date, e.source, e.event, e.row) for e in direct.entries]
    assert inside.provenance["email_subject"] == "SAR return: Police"
    assert inside.sha256 == direct.sha256


def test_outlook_msg(tmp_path: Path) -> None:
    path = tmp_path / "mail.msg"
    path.write_bytes(msg_bytes([("police.xlsx", _xlsx(tmp_path)), ("logo.png", b"\x89PNG\r\n")]))
    [book] = read_workbooks(path)
    assert book.path == f"{path} › police.xlsx"
    assert book.format == "xlsx"
    assert book.provenance == {**PROVENANCE, "attachment": "police.xlsx"}


def test_forwarded_email_inside_an_email(tmp_path: Path) -> None:
    inner = EmailMessage()
    inner["From"] = "GP Practice <gp@example.org>"
    inner["Subject"] = "Our chronology"
    inner["Date"] = "Tue, 04 Mar 2025 09:00:00 +0000"
    inner.set_content("attached")
    inner.add_attachment(csv_bytes([HEADER, *entries(1)]), maintype="text", subtype="csv",
                         filename="gp.csv")
    outer = EmailMessage()
    outer["From"] = "Admin <admin@example.org>"
    outer["Subject"] = "Fwd: Our chronology"
    outer["Date"] = "Wed, 05 Mar 2025 09:00:00 +0000"
    outer.set_content("forwarding")
    outer.add_attachment(inner)
    path = tmp_path / "fwd.eml"
    path.write_bytes(outer.as_bytes())
    [book] = read_workbooks(path)
    assert book.path.endswith("› gp.csv")
    assert book.path.count(" › ") == 2
    assert book.provenance["email_subject"] == "Our chronology"  # the nearest email's


def test_protected_attachment_takes_its_own_password(tmp_path: Path) -> None:
    locked = encrypt_office(_xlsx(tmp_path), PASSWORD)
    path = tmp_path / "mail.eml"
    path.write_bytes(eml_bytes([("police.xlsx", XLSX, locked)]))
    [book] = read_workbooks(path)
    assert book.findings[0].code == "file-encrypted"
    [book] = read_workbooks(path, passwords={"police.xlsx": PASSWORD})
    assert book.sheets and not book.findings
    [book] = read_workbooks(path, passwords={"mail.eml": PASSWORD})
    assert book.sheets


def test_nothing_readable_attached(tmp_path: Path) -> None:
    path = tmp_path / "mail.eml"
    path.write_bytes(eml_bytes([("scan.pdf", "application/pdf", b"%PDF-1.4"),
                                ("photo.png", "image/png", b"\x89PNG")]))
    [book] = read_workbooks(path)
    assert book.path == f"{path} › scan.pdf"
    [f] = book.findings
    assert f.code == "file-unreadable" and "is a PDF" in f.message
    path.write_bytes(eml_bytes([("photo.png", "image/png", b"\x89PNG")]))
    [book] = read_workbooks(path)
    assert book.path == str(path)
    assert "no spreadsheet, CSV or Word attachment" in book.findings[0].message
    assert book.provenance["email_subject"] == "SAR return: Police"


def test_read_workbook_of_an_email_with_several_returns_says_so(tmp_path: Path) -> None:
    path = tmp_path / "mail.eml"
    path.write_bytes(eml_bytes([("a.csv", "text/csv", csv_bytes([HEADER])),
                                ("b.csv", "text/csv", csv_bytes([HEADER]))]))
    book = read_workbook(path)
    assert book.path.endswith("› a.csv")
    assert any("only the first was read" in f.message and "b.csv" in f.message for f in book.findings)


def test_attachment_names_cannot_escape_or_collide(tmp_path: Path) -> None:
    path = tmp_path / "mail.eml"
    path.write_bytes(eml_bytes([("../../etc/x.csv", "text/csv", csv_bytes([HEADER])),
                                ("x.csv", "text/csv", csv_bytes([HEADER, *entries(1)]))]))
    books = read_workbooks(path)
    assert [b.path.rsplit(" › ", 1)[1] for b in books] == ["x.csv", "x (2).csv"]


def test_a_damaged_email(tmp_path: Path) -> None:
    path = tmp_path / "mail.msg"
    from extract_msg import OleWriter

    writer = OleWriter()
    writer.addEntry("__substg1.0_0037001F", "x".encode("utf-16-le"))
    with open(path, "wb") as handle:
        writer.write(handle)
    [book] = read_workbooks(path)
    assert book.findings[0].code == "file-unreadable"
