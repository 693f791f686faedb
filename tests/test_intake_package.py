"""The package's own description decides: content types pick the reader, odd sheet entries are
left out of an in-memory copy so the data sheets can still be read."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from corpus import HEADER, TEMPLATE_TYPES, docx_bytes, entries, good_xlsx, retyped, with_odd_sheet

from sarkit.intake import read_workbook
from sarkit.intake.limits import Limits, ZipPackage
from sarkit.intake.package import measure_package, readable_copy
from sarkit.intake.sniff import sniff_bytes


@pytest.mark.parametrize("extension", sorted(TEMPLATE_TYPES))
def test_templates_and_macro_enabled_files_are_read(tmp_path: Path, extension: str) -> None:
    word = extension.startswith("do")
    plain = docx_bytes(entries(2)) if word else good_xlsx(tmp_path / "p.xlsx", entries(2)).read_bytes()
    path = tmp_path / f"police.{extension}"
    path.write_bytes(retyped(plain, extension))
    book = read_workbook(path)
    macros = TEMPLATE_TYPES[extension][1]
    assert sniff_bytes(path.read_bytes()) == ("docx" if word else "xlsm" if macros else "xlsx")
    assert [(f.code, f.message) for f in book.findings] == (
        [("macros-present", f"The {'document' if word else 'workbook'} carries macros; they were "
          "not run and are never copied.")] if macros else [])
    rows = book.sheets[0].rows
    assert rows[-2:] == [[str(v) for v in r] for r in entries(2)] if word else rows == [HEADER, *entries(2)]


@pytest.mark.parametrize("macro_sheet", [True, False])
def test_a_macro_sheet_or_an_empty_relationship_id_leaves_the_data_readable(
        tmp_path: Path, macro_sheet: bool) -> None:
    path = with_odd_sheet(tmp_path / "police.xlsm", entries(3), macro_sheet=macro_sheet)
    book = read_workbook(path)
    assert [s.name for s in book.sheets] == ["Chronology"]
    assert book.sheets[0].rows == [HEADER, *entries(3)]
    assert [f.code for f in book.findings] == (["macros-present"] if macro_sheet else [])
    package = ZipPackage(path.read_bytes(), Limits())
    copy = zipfile.ZipFile(io.BytesIO(readable_copy(package, measure_package(package, "xlsm", Limits()))))
    assert "xl/macrosheets/sheet1.xml" not in copy.namelist()
    assert b"Macro1" not in copy.read("xl/workbook.xml") and b"Blank" not in copy.read("xl/workbook.xml")
    assert b'<sheet name="Chronology"' in copy.read("xl/workbook.xml")


def test_a_plain_workbook_is_read_as_it_is(tmp_path: Path) -> None:
    package = ZipPackage(good_xlsx(tmp_path / "p.xlsx").read_bytes(), Limits())
    assert readable_copy(package, measure_package(package, "xlsx", Limits())) is None
