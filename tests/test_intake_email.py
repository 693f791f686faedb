"""Returns inside saved emails: each attachment a return, the email's sender, date and subject kept."""

from __future__ import annotations

import datetime as dt
import os
import struct
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest
from corpus import (
    HEADER,
    PASSWORD,
    Msg,
    csv_bytes,
    docx_bytes,
    eml_bytes,
    encrypt_office,
    entries,
    good_xlsx,
    msg_bytes,
    write_msg,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sarkit
from sarkit.intake import read_bytes, read_workbook, read_workbooks
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


# ---- Outlook .msg, read with olefile ------------------------------------------------------------

UTC = dt.UTC
GP_CSV = csv_bytes([HEADER, *entries(2)])
NESTED_MSG = msg_bytes([("fwd.msg", Msg([("gp.csv", GP_CSV)], date=None)), ("a.csv", GP_CSV)])


def _findings(books) -> list[tuple[str, str, str]]:
    return [(f.code, f.file, f.message) for book in books for f in book.findings]


def test_an_outlook_email_attached_to_an_outlook_email(tmp_path: Path) -> None:
    inner = Msg([("gp.csv", GP_CSV)], subject="Our chronology", sender="GP Practice",
                sender_email="gp@example.org", date=None, sent=dt.datetime(2025, 7, 1, 9, 15, tzinfo=UTC))
    path = tmp_path / "fwd.msg"
    path.write_bytes(msg_bytes([("Our chronology.msg", inner), ("police.xlsx", _xlsx(tmp_path))],
                               subject="Fwd: Our chronology"))
    books = read_workbooks(path)
    assert [b.path for b in books] == [f"{path} › Our chronology.msg › gp.csv", f"{path} › police.xlsx"]
    assert [b.format for b in books] == ["text", "xlsx"]
    assert books[0].provenance == {"email_from": "GP Practice <gp@example.org>",
                                   "email_date": "01/07/2025 10:15", "email_subject": "Our chronology",
                                   "attachment": "gp.csv"}
    assert books[1].provenance == {**PROVENANCE, "email_subject": "Fwd: Our chronology",
                                   "attachment": "police.xlsx"}
    assert [len(sheet.rows) for sheet in books[0].sheets] == [3]
    assert _findings(books) == []


def test_an_outlook_email_saved_into_an_eml(tmp_path: Path) -> None:
    inner = msg_bytes([("gp.csv", GP_CSV)], subject="Our chronology")
    path = tmp_path / "mail.eml"
    path.write_bytes(eml_bytes([("Our chronology.msg", "application/vnd.ms-outlook", inner)],
                               subject="Fwd: Our chronology"))
    [book] = read_workbooks(path)
    assert book.path == f"{path} › Our chronology.msg › gp.csv"
    assert book.provenance == {**PROVENANCE, "email_subject": "Our chronology", "attachment": "gp.csv"}
    assert book.sheets and not book.findings


def test_outlook_emails_nested_too_deeply_are_refused(tmp_path: Path) -> None:
    message = Msg([("gp.csv", GP_CSV)])
    for level in (3, 2, 1):
        message = Msg([(f"level {level}.msg", message)], subject=f"Level {level - 1}")
    path = tmp_path / "deep.msg"
    path.write_bytes(write_msg(message))
    [book] = read_workbooks(path)
    assert book.path == f"{path} › level 1.msg › level 2.msg › level 3.msg"
    assert _findings([book]) == [("file-refused", book.path,
                                  "The file was refused: it is an email inside 3 other emails.")]
    assert book.provenance["email_subject"] == "Level 2"
    path.write_bytes(write_msg(message.attachments[0][1]))  # one level less: read
    [book] = read_workbooks(path)
    assert book.path == f"{path} › level 2.msg › level 3.msg › gp.csv"
    assert book.sheets and not book.findings


@pytest.mark.parametrize(("codepage", "subject", "sender", "name"), [
    (1252, "Retour – été", "Zoë Példa", "chronologie – été.csv"),
    (1251, "Хронология", "Ольга", "хронология.csv"),
    (65001, "Chronology 记录 – été", "Zoë 王", "记录.csv"),
])
def test_outlook_msg_with_8_bit_strings(tmp_path: Path, codepage: int, subject: str, sender: str,
                                        name: str) -> None:
    path = tmp_path / "mail.msg"
    path.write_bytes(msg_bytes([(name, GP_CSV)], subject=subject, sender=sender, date=None,
                               codepage=codepage, sent=dt.datetime(2025, 1, 15, 9, 30, tzinfo=UTC)))
    [book] = read_workbooks(path)
    assert book.path == f"{path} › {name}"
    assert book.provenance == {"email_from": sender, "email_date": "15/01/2025 09:30",
                               "email_subject": subject, "attachment": name}


@pytest.mark.parametrize(("headers", "sent", "shown"), [
    ("Tue, 01 Jul 2025 10:15:00 +0100", None, "01/07/2025 10:15"),  # the transport headers only
    ("Tue, 01 Jul 2025 10:15:00 +0100", dt.datetime(2025, 7, 2, 8, 0, tzinfo=UTC), "02/07/2025 09:00"),
    (None, dt.datetime(2025, 12, 2, 8, 0, tzinfo=UTC), "02/12/2025 08:00"),  # UK time: GMT in winter
    ("last Tuesday", None, "last Tuesday"),  # not a date: kept as it is
    (None, None, ""),
])
def test_outlook_msg_date(tmp_path: Path, headers: str | None, sent: dt.datetime | None, shown: str) -> None:
    path = tmp_path / "mail.msg"
    path.write_bytes(msg_bytes([("gp.csv", GP_CSV)], date=headers, sent=sent))
    [book] = read_workbooks(path)
    assert book.provenance["email_date"] == shown


def test_outlook_msg_date_without_time_zone_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows without the tzdata package has no Europe/London: the time is shown as UTC, and says so."""
    import zoneinfo

    def missing(key: str) -> None:
        raise zoneinfo.ZoneInfoNotFoundError(key)

    monkeypatch.setattr(zoneinfo, "ZoneInfo", missing)
    path = tmp_path / "mail.msg"
    path.write_bytes(msg_bytes([("gp.csv", GP_CSV)], sent=dt.datetime(2025, 7, 2, 8, 0, tzinfo=UTC)))
    [book] = read_workbooks(path)
    assert book.provenance["email_date"] == "02/07/2025 08:00 UTC"


@pytest.mark.parametrize(("address", "shown"), [
    ("gp@example.org", "GP Practice <gp@example.org>"),
    ("/O=NHS/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=GP", "GP Practice"),  # not an address
    (None, "GP Practice"),
])
def test_outlook_msg_sender_without_transport_headers(tmp_path: Path, address: str | None,
                                                      shown: str) -> None:
    path = tmp_path / "mail.msg"
    path.write_bytes(msg_bytes([("gp.csv", GP_CSV)], sender="GP Practice", sender_email=address, date=None))
    [book] = read_workbooks(path)
    assert book.provenance["email_from"] == shown


def test_outlook_attachment_that_is_only_a_link(tmp_path: Path) -> None:
    path = tmp_path / "mail.msg"
    path.write_bytes(msg_bytes([("police.xlsx", None), ("gp.csv", GP_CSV)]))
    books = read_workbooks(path)
    assert [b.path for b in books] == [f"{path} › police.xlsx", f"{path} › gp.csv"]
    assert _findings(books) == [("file-unreadable", f"{path} › police.xlsx",
                                 "The attachment police.xlsx cannot be read: it is a link to a file, "
                                 "not the file itself.")]
    assert books[0].provenance == {**PROVENANCE, "attachment": "police.xlsx"}


CUT_SHORT = ("The file looks like an Outlook email but cannot be read: the email file is cut short "
             "(it is incomplete).")
TOO_MUCH = ("The file looks like an Outlook email but cannot be read: the parts of the email file add up to "
            "more than it holds (it is damaged).")


def test_a_truncated_outlook_email_is_reported(tmp_path: Path) -> None:
    data = msg_bytes([("gp.csv", csv_bytes([HEADER, *entries(200)]))])
    path = tmp_path / "mail.msg"
    path.write_bytes(data[:len(data) // 2])
    assert _findings(read_workbooks(path)) == [("file-unreadable", str(path), TOO_MUCH)]
    path.write_bytes(data[:-1000])  # the attachment's last sectors are missing
    assert _findings(read_workbooks(path)) == [
        ("file-unreadable", f"{path} › gp.csv",
         "The attachment gp.csv cannot be read: the email file is cut short (it is incomplete).")]
    path.write_bytes(data[:600] + bytes(range(256)) * 4)
    [book] = read_workbooks(path)
    assert [f.code for f in book.findings] == ["file-unreadable"]


def test_every_truncation_of_an_outlook_email_loses_no_row_silently() -> None:
    data = msg_bytes([("first.csv", csv_bytes([HEADER, *entries(60)])),
                      ("fwd.msg", Msg([("second.csv", csv_bytes([HEADER, *entries(90)]))]))])
    full = {b.path: len(b.sheets[0].rows) for b in read_bytes(data, "m.msg")}
    assert full == {"m.msg › first.csv": 61, "m.msg › fwd.msg › second.csv": 91}
    outcomes = set()
    for end in range(0, len(data), 64):
        for book in read_bytes(data[:end], "m.msg"):
            assert book.findings or [len(s.rows) for s in book.sheets] == [full[book.path]], end
            outcomes.add(book.findings[0].message if book.findings else "read in full")
    assert {"read in full", CUT_SHORT, TOO_MUCH} <= outcomes


def test_outlook_streams_that_share_their_data_are_refused(tmp_path: Path) -> None:
    """A damaged file whose attachments all point at the same sectors would read far more than it holds."""
    big = csv_bytes([HEADER, *entries(300)])
    data = bytearray(msg_bytes([("a.csv", big), *[(f"{i}.csv", b"x") for i in range(30)]]))
    name = "__substg1.0_37010102".encode("utf-16-le")
    starts = [i for i in range(0, len(data), 128) if data[i:i + len(name)] == name]
    assert len(starts) == 31
    source = max(starts, key=lambda at: int.from_bytes(data[at + 120:at + 124], "little"))
    for at in starts:  # every data stream now claims the sectors and size of a.csv's
        data[at + 116:at + 128] = data[source + 116:source + 128]
    path = tmp_path / "mail.msg"
    path.write_bytes(bytes(data))
    assert _findings(read_workbooks(path)) == [("file-unreadable", str(path), TOO_MUCH)]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)),
                min_size=1, max_size=12))
def test_a_damaged_outlook_email_never_raises(flips: list[tuple[int, int]]) -> None:
    data = bytearray(NESTED_MSG)
    for at, value in flips:
        data[at % len(data)] = value
    books = read_bytes(bytes(data), "fuzz.msg")
    assert books and all(book.sheets or book.findings for book in books)


def test_reading_outlook_email_never_imports_extract_msg(tmp_path: Path) -> None:
    path = tmp_path / "mail.msg"
    path.write_bytes(NESTED_MSG)
    code = ("import sys; from sarkit.intake import read_workbooks; "
            f"books = read_workbooks({str(path)!r}); "
            "print(len(books), sum(len(b.findings) for b in books), 'extract_msg' in sys.modules)")
    src = str(Path(sarkit.__file__).parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["2", "0", "False"]


def _signed_mime(name: str, data: bytes) -> bytes:
    """The MIME body Outlook keeps as `smime.p7m` in a signed email: the email, then its signature."""
    from email.mime.application import MIMEApplication
    from email.mime.multipart import MIMEMultipart

    mixed = EmailMessage()
    mixed.set_content("Our chronology is attached.")
    mixed.add_attachment(data, maintype="text", subtype="csv", filename=name)
    signed = MIMEMultipart("signed", protocol="application/pkcs7-signature", micalg="sha-256")
    signed.attach(mixed)
    signed.attach(MIMEApplication(b"0\x82\x01", "pkcs7-signature", name="smime.p7s"))
    return signed.as_bytes()


def test_a_signed_outlook_email_is_read_and_an_encrypted_one_reported(tmp_path: Path) -> None:
    body = _signed_mime("gp.csv", GP_CSV)
    path = tmp_path / "signed.msg"
    path.write_bytes(msg_bytes([("smime.p7m", body, "multipart/signed")],
                               message_class="IPM.Note.SMIME.MultipartSigned"))
    [book] = read_workbooks(path)
    assert book.path == f"{path} › gp.csv"
    assert book.provenance == {**PROVENANCE, "attachment": "gp.csv"}
    assert [len(sheet.rows) for sheet in book.sheets] == [3] and not book.findings
    path.write_bytes(msg_bytes([("smime.p7m", b"0\x82\x01\x00sealed", "application/pkcs7-mime")],
                               message_class="IPM.Note.SMIME"))
    assert _findings(read_workbooks(path)) == [(
        "file-unreadable", f"{path} › smime.p7m", "The attachment smime.p7m cannot be read: the email is "
        "sealed with S/MIME (encrypted or signed), which sarkit cannot open.")]


def _comp_obj(user_type: str) -> bytes:
    """The `\\x01CompObj` stream of an OLE object: a header, then its user type."""
    return b"\1\0\xfe\xff" + b"\0" * 24 + struct.pack("<I", len(user_type) + 1) + user_type.encode() + b"\0"


def test_objects_pasted_into_an_outlook_email(tmp_path: Path) -> None:
    picture = {"\x01CompObj": _comp_obj("Picture (Device Independent Bitmap)")}
    workbook = {"\x01CompObj": _comp_obj("Microsoft Excel Worksheet"), "Workbook": b"\x09\x08" + b"\0" * 600}
    path = tmp_path / "mail.msg"
    path.write_bytes(msg_bytes([("Object 1", picture), ("Object 2", workbook), ("gp.csv", GP_CSV)]))
    books = read_workbooks(path)
    assert [b.path for b in books] == [f"{path} › Object 2", f"{path} › gp.csv"]  # the picture is ignored
    assert _findings(books) == [(
        "file-unreadable", f"{path} › Object 2", "The attachment Object 2 cannot be read: it is an object "
        "pasted into the body of the email, not an attached file.")]
