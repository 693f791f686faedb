"""sarkit's mark in the document properties of an Office file it wrote (see formats/mark.py).

The combined workbook's writer has no document properties, so after it has written the file its
core properties (the last members of the zip) are rewritten in place: every other member is kept
byte for byte, so marking costs the same on a 100,000-entry workbook as on a small one.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from sarkit.formats.mark import GENERATOR, MADE_BY

_CORE = "docProps/core.xml"
_CREATOR = re.compile(rb"<dc:creator\s*/>|<dc:creator>.*?</dc:creator>", re.S)
_DESCRIPTION = re.compile(rb"<dc:description\s*/>|<dc:description>.*?</dc:description>", re.S)


def mark_core_properties(path: Path) -> None:
    """Creator `sarkit …` and description `Made by sarkit …` in docProps/core.xml."""
    with open(path, "r+b") as handle:
        with zipfile.ZipFile(handle) as archive:
            infos = sorted(archive.infolist(), key=lambda i: i.header_offset)
            names = [i.filename for i in infos]
            if _CORE not in names:
                return
            first = names.index(_CORE)
            moved = [(info, archive.read(info)) for info in infos[first:]]
        handle.seek(infos[first].header_offset)
        handle.truncate()
        with zipfile.ZipFile(handle, "w") as archive:
            for info in infos[:first]:
                archive.filelist.append(info)
                archive.NameToInfo[info.filename] = info
            for info, data in moved:
                if info.filename == _CORE:
                    data = _marked(data)
                archive.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED)


def _marked(core: bytes) -> bytes:
    creator = f"<dc:creator>{GENERATOR}</dc:creator>".encode()
    description = f"<dc:description>{MADE_BY}</dc:description>".encode()
    core = _CREATOR.sub(creator, core, count=1) if _CREATOR.search(core) else core.replace(
        b"</cp:coreProperties>", creator + b"</cp:coreProperties>")
    core = _DESCRIPTION.sub(b"", core)
    return core.replace(b"</cp:coreProperties>", description + b"</cp:coreProperties>")
