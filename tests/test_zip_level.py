"""Workbooks closed by sarkit are zipped at zlib's fastest level (output/zip_level.py), and
xlsxwriter is left as it was."""

from __future__ import annotations

import zipfile
import zlib

import pytest
import xlsxwriter
import xlsxwriter.workbook

from sarkit.output.combined_workbook import close
from sarkit.output.zip_level import ZIP_LEVEL, zip_level


def deflated_size(data: bytes, level: int) -> int:
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    return len(packer.compress(data) + packer.flush())


def write_book(path, rows: int = 2_000) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Chronology")
    for number in range(rows):
        sheet.write_row(number, 0, [f"C{number:04d}", f"Visit number {number} by the nurse", number])
    close(book)


def test_a_workbook_closed_by_sarkit_is_zipped_at_level_1(tmp_path):
    assert ZIP_LEVEL == 1
    write_book(tmp_path / "c.xlsx")
    with zipfile.ZipFile(tmp_path / "c.xlsx") as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
        data = archive.read(info)
    assert info.compress_type == zipfile.ZIP_DEFLATED
    assert info.compress_size == deflated_size(data, 1) != deflated_size(data, 6)
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile  # put back


def test_xlsxwriter_zipping_another_way_is_left_alone(tmp_path, monkeypatch):
    class OtherZip(zipfile.ZipFile):
        pass

    monkeypatch.setattr(xlsxwriter.workbook, "ZipFile", OtherZip)
    with zip_level() as changed:
        assert changed is False and xlsxwriter.workbook.ZipFile is OtherZip
    write_book(tmp_path / "c.xlsx", rows=50)
    with zipfile.ZipFile(tmp_path / "c.xlsx") as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
        assert info.compress_size == deflated_size(archive.read(info), zlib.Z_DEFAULT_COMPRESSION)
    assert xlsxwriter.workbook.ZipFile is OtherZip


def test_the_name_is_put_back_after_a_failure():
    with pytest.raises(RuntimeError), zip_level() as changed:
        assert changed is True and xlsxwriter.workbook.ZipFile is not zipfile.ZipFile
        raise RuntimeError("the disk is full")
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile
