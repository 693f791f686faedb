"""The deflate level of the workbooks xlsxwriter zips for sarkit.

xlsxwriter zips a workbook at zlib's default level (6) and has no option for another. Level 1
zips the 100,000-entry Chronology (132 MB of XML) in about 0.65 s of CPU instead of 2.5 s, for a
file about 30% larger (21 MB instead of 16 MB); every program reads either. While sarkit closes a
workbook, the `ZipFile` name xlsxwriter's workbook module calls is made to pass `compresslevel`;
when that name is not the standard library's `zipfile.ZipFile` (a future xlsxwriter that zips
another way), nothing is changed and the workbook is zipped at xlsxwriter's own level.
"""

from __future__ import annotations

import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

import xlsxwriter.workbook

ZIP_LEVEL = 1  # zlib's fastest
_LOCK = threading.Lock()  # one workbook closes at a time here, so the name is always put back


@contextmanager
def zip_level(level: int = ZIP_LEVEL) -> Iterator[bool]:
    """While in the block, xlsxwriter zips at `level`; gives whether it does (False: unchanged)."""
    with _LOCK:
        module = xlsxwriter.workbook
        if getattr(module, "ZipFile", None) is not zipfile.ZipFile:
            yield False
            return
        module.ZipFile = partial(zipfile.ZipFile, compresslevel=level)  # type: ignore[attr-defined]
        try:
            yield True
        finally:
            module.ZipFile = zipfile.ZipFile  # type: ignore[attr-defined]
