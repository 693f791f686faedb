"""The combined chronology as a Word document, for panels and reviewers who work only in Word.

Landscape A3, the Chronology sheet's columns (formats/combined_layout.py), one light colour per
agency (output/colours.py, as in the workbook and the pack), key events in bold, the marking in
the page header and page numbers in the footer (output/docx_document.py), a title page with the
review and the closing account's caveats, then the Gaps and Overlaps as tables.

Through python-docx's API, only filling the text of 5,000 rows of 14 cells takes about 9 s (and
lxml takes tens of seconds to move a parsed table of 20,000 rows into a document), so the tables
are written as strings of WordprocessingML put into the saved document in place
of a placeholder paragraph each; their text goes through the same cleaner as every output.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Cm, Pt

from sarkit.account import caveats
from sarkit.collate import Collation
from sarkit.dates import format_time
from sarkit.entries import several_sheets, source_row
from sarkit.formats.combined_layout import CHRONOLOGY_COLUMNS, GAPS_COLUMNS, OVERLAPS_COLUMNS
from sarkit.output.colours import agency_colours
from sarkit.output.docx_document import _page_setup, set_properties
from sarkit.output.safe_text import TextCleaner
from sarkit.output.text_width import text_points
from sarkit.wording import day, plural

A3_LANDSCAPE = (Cm(42.0), Cm(29.7))
MARGIN = Cm(1.5)
HEADER_FILL = "D9D9D9"
TABLE_STYLE = "Chronology Table"
# relative widths of the Chronology columns (the workbook's, in characters); extras get 16
CHRONOLOGY_WEIGHTS = (8, 11, 6, 12, 18, 48, 32, 18, 28, 6, 20, 8, 18, 8)
END_COLUMNS = ("End Date", "End Time")
TABLE_POINTS = 8  # the tables' text size
# columns whose values are never broken across lines: the column is as wide as its widest value
UNBROKEN = frozenset({"Ref", "Date", "Time", "End Date", "End Time", "Start", "End"})
WIDE_TEXT = 28  # a column weighted this or more holds long text (Event, Action, Comment)
WORD_ROOM = 16  # the longest word a narrow column is made wide enough for, in characters


def write_chronology_docx(collation: Collation, path: Path, *, key_events: bool = False) -> None:
    """Write the combined chronology as .docx to `path` (the caller makes the write atomic);
    with `key_events`, the chronology table holds only the entries marked Key Event."""
    if key_events:
        collation = dataclasses.replace(
            collation, entries=[e for e in collation.entries if e.key_event is True])
    review = collation.review
    clean = TextCleaner(review.pseudonyms)
    document = Document()
    _page_setup(document, marking=review.marking, reference=review.reference, landscape=True)
    section = document.sections[0]
    section.page_width, section.page_height = A3_LANDSCAPE
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    style = document.styles.add_style(TABLE_STYLE, 1)  # 1: a paragraph style
    style.base_style = document.styles["Normal"]
    style.font.size = Pt(TABLE_POINTS)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.space_before = Pt(0)
    table_style = style.style_id
    usable = int((section.page_width - section.left_margin - section.right_margin) / 635)  # twips
    colours = {name: colour.lstrip("#") for name, colour in
               agency_colours(collation.agency_order).items()}
    tables: dict[str, str] = {}
    _title_page(document, tables, collation, clean, colours, table_style, usable)
    document.add_heading("Chronology", level=1)
    columns, rows, fills, bold = _chronology_rows(collation, clean)
    extra = len(columns) - len(CHRONOLOGY_COLUMNS)
    weights = [*CHRONOLOGY_WEIGHTS[:len(CHRONOLOGY_COLUMNS)], *([16] * extra)]
    _append_table(document, tables, columns, rows, weights, usable, table_style, fills=fills,
                  bold=bold, empty="No entries.")
    document.add_heading("Gaps", level=1)
    _append_table(document, tables, GAPS_COLUMNS, _gap_rows(collation, clean),
                  (14, 18, 11, 11, 7, 10, 10, 12, 10), usable, table_style, empty="No gaps.")
    document.add_heading("Overlaps", level=1)
    _append_table(document, tables, OVERLAPS_COLUMNS, _overlap_rows(collation, clean),
                  (9, 11, 11, 36, 48, 16), usable, table_style, empty="No overlaps.")
    set_properties(document, title=f"Combined chronology {review.reference}".strip(),
                   subject=review.marking)
    _save(document, tables, path)


def _title_page(document, tables: dict[str, str], collation: Collation, clean: TextCleaner,
                colours: dict[str, str], table_style: str, usable: int) -> None:
    review = collation.review
    document.add_heading("Combined multi-agency chronology", level=0)
    period = (f"{day(review.period_start) or 'not set'} to {day(review.period_end) or 'not set'}"
              if review.period_start or review.period_end else "not set in review.toml")
    for label, value in (("Review", review.reference or "not set in review.toml"),
                         ("Subject", review.subject), ("Period", period),
                         ("Marking", review.marking),
                         ("Entries", str(len(collation.entries)))):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(clean(value))
    if review.terms_of_reference:
        document.add_heading("Terms of reference", level=2)
        for term in review.terms_of_reference:
            document.add_paragraph(clean(term), style="List Number")
    document.add_heading("Returns received", level=2)
    rows = []
    fills = []
    for summary in collation.agencies:
        if summary.missing:
            state = "missing: no return received"
        elif summary.unusable:
            state = "received, could not be used"
        elif summary.nil:
            state = "nil return"
        else:
            state = plural(summary.entries, "entry", "entries")
        files = "\n".join(Path(p).name for p, _ in summary.files)
        rows.append([clean(summary.name), clean(summary.label), state, clean(files),
                     clean("\n".join(summary.received))])
        fills.append(colours.get(summary.name))
    _append_table(document, tables, ("Agency", "Short Name", "Returned", "Files", "Received"), rows,
                  (30, 12, 22, 40, 40), usable, table_style, fills=fills,
                  empty="No returns were received.")
    document.add_heading("What this chronology does not hold", level=2)
    labels = {a.name: a.label for a in collation.agencies}
    said = caveats(collation.account, lambda name: labels.get(name, name))
    if not said:
        document.add_paragraph("Nothing left out: every listed agency's return was received and "
                               "every row of every return is in this chronology.")
    for sentence in said:
        document.add_paragraph(clean(sentence), style="List Bullet")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _chronology_rows(collation: Collation, clean: TextCleaner
                     ) -> tuple[list[str], list[list[str]], list[str | None], list[bool]]:
    """(columns, rows of text, a fill per row, bold per row) of the Chronology table."""
    extras: list[str] = []
    for entry in collation.entries:
        for name in entry.extras:
            if name not in extras:
                extras.append(name)
    ends = any(e.end_date is not None or e.end_time is not None for e in collation.entries)
    taken = set(CHRONOLOGY_COLUMNS) | set(END_COLUMNS)
    columns = [*CHRONOLOGY_COLUMNS, *(clean(f"{n} (return)" if n in taken else n) for n in extras),
               *(END_COLUMNS if ends else ())]
    labels = {a.name: a.label for a in collation.agencies}
    colours = {name: colour.lstrip("#") for name, colour in
               agency_colours(collation.agency_order).items()}
    rows, fills, bold = [], [], []
    several = several_sheets(collation.entries)
    for entry in collation.entries:
        values = [
            entry.ref, entry.date.display(), format_time(entry.time) if entry.time else "",
            clean(labels.get(entry.agency, entry.agency)), clean(entry.source), clean(entry.event),
            clean(entry.action), clean(entry.practitioner), clean(entry.analysis),
            {True: "Y", False: "N", None: ""}[entry.key_event], "; ".join(entry.flags),
            clean(entry.agency_ref), clean(Path(entry.file).name),
            clean(str(source_row(entry, several))),
            *(clean(entry.extras.get(name, "")) for name in extras),
        ]
        if ends:
            values += [entry.end_date.display() if entry.end_date else "",
                       format_time(entry.end_time) if entry.end_time else ""]
        rows.append(values)
        fills.append(colours.get(entry.agency))
        bold.append(entry.key_event is True)
    return columns, rows, fills, bold


def _gap_rows(collation: Collation, clean: TextCleaner) -> list[list[str]]:
    labels = {a.name: a.label for a in collation.agencies}
    rows = []
    for gap in collation.analysis.gaps:
        inside = gap.kind == "agency"
        rows.append([gap.kind, clean(labels.get(gap.agency, gap.agency)) if gap.agency else "",
                     day(gap.start), day(gap.end), "" if gap.days is None else str(gap.days),
                     gap.before_ref or "", gap.after_ref or "",
                     str(gap.others_active) if inside else "",
                     str(gap.others_entries) if inside else ""])
    return rows


def _overlap_rows(collation: Collation, clean: TextCleaner) -> list[list[str]]:
    labels = {a.name: a.label for a in collation.agencies}
    analysis = collation.analysis
    rows = [[o.id, day(o.start), day(o.end), clean(", ".join(labels.get(a, a) for a in o.agencies)),
             ", ".join(o.refs), o.communication] for o in analysis.overlaps]
    rows += [[f"D{number}", day(d.date), day(d.date),
              clean(", ".join(labels.get(a, a) for a in d.agencies)), ", ".join(d.refs),
              "possible duplicate"] for number, d in enumerate(analysis.duplicates, start=1)]
    return rows


def _append_table(document, tables: dict[str, str], columns: Sequence[str], rows: Sequence[Sequence[str]],
                  weights: Sequence[float], usable: int, paragraph_style: str, *,
                  fills: Sequence[str | None] = (), bold: Sequence[bool] = (), empty: str) -> None:
    """A Word table with a grey header row repeated on each page, built as XML in one go."""
    if not rows:
        document.add_paragraph(empty)
        return
    widths = column_widths(columns, rows, weights, usable)
    parts = ['<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/>'
             f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
             '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/>'
             '</w:tblCellMar><w:tblLook w:val="04A0" w:firstRow="1" w:noHBand="0" w:noVBand="1"/>'
             '</w:tblPr><w:tblGrid>']
    parts += [f'<w:gridCol w:w="{w}"/>' for w in widths]
    parts.append("</w:tblGrid>")
    parts.append('<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>')
    parts += _cells(columns, widths, paragraph_style, HEADER_FILL, True)
    parts.append("</w:tr>")
    for index, values in enumerate(rows):
        parts.append("<w:tr>")
        parts += _cells(values, widths, paragraph_style, fills[index] if fills else None,
                        bold[index] if bold else False)
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    token = f"sarkit-table-{len(tables)}-{id(tables)}"
    tables[token] = "".join(parts)
    document.add_paragraph(token)  # before the section properties, which come last
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_after = Pt(0)


def _save(document, tables: dict[str, str], path: Path) -> None:
    """Save, putting each table's XML where its placeholder paragraph is.

    lxml takes tens of seconds to move a parsed table of 20,000 rows into the document's tree
    (it reconciles namespaces node by node), so the tables join the document as text.
    """
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                pieces, at = [], 0
                for token, xml in tables.items():  # in document order
                    found = text.index(token, at)
                    start = text.rindex("<w:p>", at, found)
                    end = text.index("</w:p>", found) + len("</w:p>")
                    pieces += [text[at:start], xml]
                    at = end
                pieces.append(text[at:])
                data = "".join(pieces).encode("utf-8")
            out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)


def column_widths(columns: Sequence[str], rows: Sequence[Sequence[str]], weights: Sequence[float],
                  usable: int) -> list[int]:
    """Twips per column, shared out by `weights`, but never so narrow that a heading's longest word
    or a value of a column of dates, times or refs (UNBROKEN) breaks mid-word: such a column gets
    the width it needs and the other (text) columns share what is left. When even that does not
    fit the page, the headings' words give way first, then the values."""
    words = [_twips(max(heading.split() or [""], key=len), bold=True) for heading in columns]
    values = [max((_twips(text, bold=True) for text in {row[index] for row in rows}), default=0)
              if heading in UNBROKEN else 0 for index, heading in enumerate(columns)]
    both = [max(pair) for pair in zip(words, values, strict=True)]
    # a narrow text column is as wide as its longest word, up to WORD_ROOM characters: 'Ambulance'
    # or 'Correspondence' whole (never the long text columns: their share is wide already)
    value_words = [_twips(max((w for text in {row[index] for row in rows} for w in text.split()),
                              key=len, default="")[:WORD_ROOM], bold=True)
                   if weight < WIDE_TEXT and heading not in UNBROKEN else 0
                   for index, (heading, weight) in enumerate(zip(columns, weights, strict=True))]
    whole = [max(pair) for pair in zip(both, value_words, strict=True)]
    for wanted in (whole, both, values, [0] * len(columns)):
        widths = _shared(weights, wanted, usable)
        if sum(widths) <= usable:
            return widths
    return widths


def _shared(weights: Sequence[float], least: Sequence[int], usable: int) -> list[int]:
    """`usable` twips shared by `weights`, each column at least its `least` (and 300)."""
    fixed: dict[int, int] = {}
    share: dict[int, int] = {}
    while len(fixed) < len(weights):
        rest = [i for i in range(len(weights)) if i not in fixed]
        room, total = usable - sum(fixed.values()), sum(weights[i] for i in rest)
        share = {i: max(300, int(room * weights[i] / total)) for i in rest}
        short = [i for i in rest if share[i] < least[i]]
        if not short:
            break
        fixed.update((i, least[i]) for i in short)
    return [fixed[i] if i in fixed else share[i] for i in range(len(weights))]


def _twips(text: str, *, bold: bool = False) -> int:
    """The width of a cell holding `text` on one line: the text at the table's 8 points, its
    margins (57 twips a side) and a tenth more, as renderers differ a little."""
    return int(text_points(text, TABLE_POINTS, bold=bold) * 20 * 1.1) + 2 * 57 + 20 if text else 0


def _cells(values: Iterable[str], widths: Sequence[int], paragraph_style: str, fill: str | None,
           bold: bool) -> list[str]:
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    run_properties = "<w:rPr><w:b/></w:rPr>" if bold else ""
    out = []
    for value, width in zip(values, widths, strict=False):
        runs = "<w:r>" + run_properties + "<w:br/>".join(
            f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in _lines(str(value))
        ) + "</w:r>" if value else ""
        out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shading}</w:tcPr>'
                   f'<w:p><w:pPr><w:pStyle w:val="{paragraph_style}"/></w:pPr>{runs}</w:p></w:tc>')
    return out


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
