"""CSV text encodings: UTF-8 read as it is, single-byte encodings guessed and said so."""

from __future__ import annotations

import pytest
from corpus import HEADER, csv_bytes, entries

from sarkit.intake import read_workbooks
from sarkit.intake.delimited import decode_text, detect_encoding

EVENT = "Visit to Zoë at the café – she said “don’t”"


def _csv(tmp_path, encoding: str, event: str = EVENT):
    rows = entries(1)
    rows[0][3] = event
    path = tmp_path / f"{encoding}.csv"
    path.write_bytes(csv_bytes([HEADER, *rows], encoding=encoding))
    [book] = read_workbooks(path)
    return book


@pytest.mark.parametrize(("encoding", "named", "event"), [
    ("mac_roman", "Mac Roman (what Excel on an older Mac writes)", EVENT),
    ("cp1250", "Windows-1250 (Central European)", "Visit to Mrs Wójcik in Łódź – “don’t”"),
])
def test_a_single_byte_csv_is_read_right_and_the_guess_reported(tmp_path, encoding, named, event) -> None:
    book = _csv(tmp_path, encoding, event)
    assert book.sheets[0].rows[1][3] == event
    [guess] = [f for f in book.findings if f.code == "encoding-guessed"]
    assert guess.severity == "warning"
    assert guess.message == (f"The file is not saved as UTF-8; its letters were read as {named}, "
                             "the most likely of the encodings tried.")
    assert "CSV UTF-8" in guess.hint
    assert "Zoë" not in guess.message


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_utf8_and_windows_1252_are_read_without_a_word(tmp_path, encoding: str) -> None:
    """Windows-1252 is what Excel on a UK PC writes as 'CSV': the documented default."""
    book = _csv(tmp_path, encoding)
    assert book.sheets[0].rows[1][3] == EVENT
    assert [f.code for f in book.findings] == []


@pytest.mark.parametrize(("text", "encoding"), [
    ("café, naïve, don’t", "mac_roman"),
    ("café, naïve, don’t", "cp1252"),
    ("Zażółć gęślą jaźń, Łódź", "cp1250"),
    ("résumé, café", "cp850"),
    ("£5 – paid", "cp1252"),
    ("Ångström Ölander", "mac_roman"),
])
def test_the_common_single_byte_encodings_are_told_apart(text: str, encoding: str) -> None:
    data = f"Date,Event\r\n01/05/2024,{text}\r\n".encode(encoding)
    assert detect_encoding(data) == (encoding, True)
    assert text in decode_text(data)


def test_boms_and_ascii() -> None:
    assert detect_encoding(b"Date,Event\r\n") == ("utf-8-sig", False)
    assert detect_encoding("\ufeffDate,Évent".encode("utf-8")) == ("utf-8-sig", False)
    assert detect_encoding("Date,Évent".encode("utf-16")) == ("utf-16", False)
    assert decode_text("\ufeffDate".encode("utf-8")) == "Date"
