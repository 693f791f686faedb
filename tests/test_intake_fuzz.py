"""Fuzzing the intake: random bytes and damaged or mutated workbooks give findings, never exceptions."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from corpus import (
    HEADER,
    csv_bytes,
    docx_bytes,
    entries,
    good_xlsx,
    ods_bytes,
    ods_content,
    ods_rows,
    xls_bytes,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sarkit.intake import read_bytes
from sarkit.returns import ReadOptions, read_returns

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _seeds() -> dict[str, bytes]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        xlsx = good_xlsx(Path(folder) / "a.xlsx").read_bytes()
    return {
        "xlsx": xlsx,
        "xls": xls_bytes([HEADER, *entries(3)]),
        "ods": ods_bytes(ods_content(ods_rows([HEADER, *entries(3)]))),
        "docx": docx_bytes(entries(3)),
        "csv": csv_bytes([HEADER, *entries(3)]),
    }


SEEDS = _seeds()
# Zipped formats are checked (CRC, sizes, limits) before a reader sees a byte: fuzzed in-process.
ZIPPED = sorted(set(SEEDS) - {"xls"})


def _check(data: bytes) -> None:
    books = read_bytes(data, "fuzz.xlsx", passwords={"*": "x"})
    assert books
    for book in books:
        assert book.sheets or book.findings or book.format in {"text", "docx"}
        for f in book.findings:
            assert "Traceback" not in f.message


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes(data: bytes) -> None:
    _check(data)


FLIPS = st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 255)), min_size=1, max_size=8)


def _flip(data: bytes, flips: list[tuple[int, int]]) -> bytes:
    changed = bytearray(data)
    for position, value in flips:
        changed[position % len(changed)] = value
    return bytes(changed)


@FUZZ
@given(st.sampled_from(ZIPPED), FLIPS)
def test_flipped_bytes_in_real_workbooks(kind: str, flips: list[tuple[int, int]]) -> None:
    _check(_flip(SEEDS[kind], flips))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(FLIPS)
def test_flipped_bytes_in_old_excel_files_in_isolated_workers(tmp_path: Path, flips) -> None:
    """BIFF has no checksum: a damaged .xls goes straight to calamine, so it is read in a worker."""
    path = tmp_path / "flipped.xls"
    path.write_bytes(_flip(SEEDS["xls"], flips))
    [result] = read_returns([path], ReadOptions(agency="Police", workers=1))
    assert result.entries or result.findings
    for f in result.findings:
        assert "unexpected problem" not in f.message, (flips, f.message)


@FUZZ
@given(st.sampled_from(ZIPPED), st.integers(0, 10**9))
def test_truncated_workbooks(kind: str, cut: int) -> None:
    data = SEEDS[kind]
    _check(data[: cut % len(data)])


MUTATIONS = st.sampled_from([
    ('r="B2"', 'r="XFD1048576"'), ('r="A3"', 'r="A999999999"'), ("<v>", "<v>1E+308"),
    ("<row ", '<row hidden="1" '), ('t="inlineStr"', 't="s"'), ("<sheetData>", "<sheetData><row><c>"),
    ('r="C2"', ""), ("</sheetData>", '</sheetData><mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells>'),
    ("<is>", "<f>1</f><is>"), ("</worksheet>", ""), ('r="D4"', 'r="ZZZZ4"'), ("<t", "<!-- x --><t"),
])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(st.lists(MUTATIONS, min_size=1, max_size=4))
def test_mutated_sheet_xml_in_isolated_workers(tmp_path: Path, mutations: list[tuple[str, str]]) -> None:
    """XML-level mutations of a real sheet, read as `validate` reads (a worker per file):
    far cells, huge merges, broken structure — findings only, and no worker dies."""
    source = zipfile.ZipFile(io.BytesIO(SEEDS["xlsx"]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            body = source.read(info)
            if info.filename.endswith("sheet1.xml"):
                text = body.decode()
                for old, new in mutations:
                    text = text.replace(old, new, 1)
                body = text.encode()
            archive.writestr(info.filename, body)
    path = tmp_path / "mutated.xlsx"
    path.write_bytes(out.getvalue())
    [result] = read_returns([path], ReadOptions(agency="Police", workers=1))
    assert result.entries or result.findings
    for f in result.findings:
        assert "stopped abnormally" not in f.message, mutations
        assert "unexpected problem" not in f.message, (mutations, f.message)


def test_a_sheet_whose_part_is_missing_is_reported_not_dropped() -> None:
    """Found by the fuzzer: a byte flipped in the zip directory renames the sheet's part, so the
    workbook lists a sheet the file does not hold; it was read as a workbook with no sheets and
    no finding (then 'no chronology sheet', as if the agency had sent an empty workbook)."""
    data = _flip(SEEDS["xlsx"], [(81869, 1)])
    [book] = read_bytes(data, "fuzz.xlsx")
    assert book.sheets == []
    assert [(f.code, f.sheet, str(f.severity)) for f in book.findings] == [
        ("sheet-damaged", "Chronology", "error")]
    assert book.findings[0].message == (
        "The workbook lists a sheet Chronology but its contents are missing from the file (it is "
        "damaged); that sheet was not read.")
