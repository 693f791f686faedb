"""Markdown -> a Word document: real heading styles, real tables sized to their text, the
protective marking and the review reference in the page header, page numbers in the footer."""

from __future__ import annotations

import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from markdown_it.token import Token

from sarkit.formats.mark import MADE_BY
from sarkit.formats.markdown import LINE_BREAK, inline_text, parse_markdown, without_marking_line

A4 = (Cm(21.0), Cm(29.7))
MARGIN = Cm(2.0)
TABLE_FONT = Pt(10)
TABLE_CHAR = Cm(0.2)  # a generous width of one character of 10pt Arial
HEADING_CHAR = Cm(0.24)  # and of 10pt Arial bold, for the header row
CELL_PADDING = Cm(0.5)


PROPERTY_LIMIT = 255  # characters in a Word document property (title, subject, comments...)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def property_text(text: str) -> str:
    """Text a Word document property can hold: characters XML cannot carry replaced, and cut
    to PROPERTY_LIMIT characters with '…' (a return's long file name in a letter's title)."""
    text = _NOT_XML.sub("\ufffd", text)
    return text if len(text) <= PROPERTY_LIMIT else text[:PROPERTY_LIMIT - 1].rstrip() + "…"


def set_properties(document, *, title: str, subject: str) -> None:
    """The document properties of every .docx sarkit writes: title, subject (the protective
    marking), no author, and sarkit's mark in the comments; each cut to its limit."""
    properties = document.core_properties
    properties.title = property_text(title)
    properties.subject = property_text(subject)
    properties.author = ""
    properties.comments = property_text(MADE_BY)


def markdown_to_docx(text: str, *, marking: str, reference: str = "", landscape: bool = False):
    """A Word document from Markdown: Heading 1-3 styles, real tables, marking in the header."""
    document = Document()
    _page_setup(document, marking=marking, reference=reference, landscape=landscape)
    tokens = without_marking_line(parse_markdown(text), marking)
    lists: list[str] = []  # 'bullet' / 'number' per open list
    quote = 0
    first_in_item = False
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind == "heading_open":
            level = min(int(token.tag[1]), 9)
            paragraph = document.add_paragraph(style=f"Heading {level}")
            _add_inline(paragraph, tokens[index + 1])
            index += 3
            continue
        if kind == "paragraph_open":
            style = None
            if lists:
                depth = min(len(lists), 3)
                suffix = "" if depth == 1 else f" {depth}"
                if first_in_item:
                    style = ("List Bullet" if lists[-1] == "bullet" else "List Number") + suffix
                    first_in_item = False
                else:
                    style = "List Continue" + suffix
            elif quote:
                style = "Quote"
            paragraph = document.add_paragraph(style=style)
            _add_inline(paragraph, tokens[index + 1])
            index += 3
            continue
        if kind == "bullet_list_open":
            lists.append("bullet")
        elif kind == "ordered_list_open":
            lists.append("number")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            first_in_item = True
        elif kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind == "table_open":
            index = _add_table(document, tokens, index)
            continue
        elif kind in ("fence", "code_block"):
            paragraph = document.add_paragraph(style="No Spacing")
            run = paragraph.add_run(token.content.rstrip("\n"))
            run.font.name = "Courier New"
        elif kind == "hr":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        index += 1
    last = document.paragraphs[-1] if document.paragraphs else None
    if last is not None and not last.text:
        _mark_size(last, Pt(1))
    return document


def _page_setup(document, *, marking: str, reference: str, landscape: bool) -> None:
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Arial")
    for name in ("Heading 1", "Heading 2", "Heading 3", "Heading 4", "Title"):
        fonts = document.styles[name].element.get_or_add_rPr().get_or_add_rFonts()
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
        document.styles[name].font.name = "Arial"
    section = document.sections[0]
    width, height = A4
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = width, height
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.add_run(marking).bold = True
    if reference:
        header.add_run().add_break()
        header.add_run(reference).font.size = Pt(9)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _add_field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _add_field(footer, "NUMPAGES", "1")
    if marking:
        footer.add_run().add_break()
        footer.add_run(marking).bold = True


def _add_field(paragraph, instruction: str, placeholder: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when the page is laid out."""
    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


def _add_inline(paragraph, token: Token) -> None:
    bold = italic = False
    for child in token.children or []:
        kind = child.type
        if kind == "strong_open":
            bold = True
        elif kind == "strong_close":
            bold = False
        elif kind == "em_open":
            italic = True
        elif kind == "em_close":
            italic = False
        elif kind in ("text", "code_inline", "image"):
            run = paragraph.add_run(child.content)
            run.bold = bold or None
            run.italic = italic or None
            if kind == "code_inline":
                run.font.name = "Courier New"
        elif kind == "softbreak":
            paragraph.add_run(" ")
        elif kind == "hardbreak" or (kind == "html_inline" and LINE_BREAK.match(child.content)):
            paragraph.add_run().add_break()


def _add_table(document, tokens: list[Token], index: int) -> int:
    """A real Word table from table_open; the header row bold and repeated on each page."""
    rows: list[list[Token]] = []
    header_rows = 0
    in_head = False
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            rows.append([])
            header_rows += in_head
        elif token.type == "inline" and rows:
            rows[-1].append(token)
        index += 1
    columns = max((len(r) for r in rows), default=0)
    if not columns:
        return index + 1
    table = document.add_table(rows=len(rows), cols=columns)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, cells in enumerate(rows):
        row = table.rows[r]
        if r < header_rows:
            _repeat_header(row)
        for c, inline in enumerate(cells):
            paragraph = row.cells[c].paragraphs[0]
            _add_inline(paragraph, inline)
            for run in paragraph.runs:
                run.font.size = TABLE_FONT
                if r < header_rows:
                    run.bold = True
            if r < header_rows:
                _shade(row.cells[c], "D9D9D9")
    section = document.sections[-1]
    usable = section.page_width - section.left_margin - section.right_margin
    _set_widths(table, [[inline_text(t) for t in cells] for cells in rows], usable)
    _spacer(document, Pt(6))
    return index + 1


def _spacer(document, size) -> None:
    """A small empty paragraph: the space after a table, and what Word wants after a last table."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.space_before = Pt(0)
    _mark_size(paragraph, size)


def _mark_size(paragraph, size) -> None:
    """The font size of a paragraph's mark: the height of an empty paragraph."""
    properties = paragraph._p.get_or_add_pPr()
    marks = properties.find(qn("w:rPr"))
    if marks is None:
        marks = OxmlElement("w:rPr")
        properties.append(marks)
    for tag in ("w:sz", "w:szCs"):
        element = marks.find(qn(tag))
        if element is None:
            element = OxmlElement(tag)
            marks.append(element)
        element.set(qn("w:val"), str(int(size.pt * 2)))


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _set_widths(table, texts: list[list[str]], usable: int) -> None:
    """Share the page width by how much each column holds: long text wide, dates narrow.

    Every column is at least as wide as its longest word, so a ref or a date never breaks;
    a column left blank for the author gets room by its heading.
    """
    columns = len(table.columns)
    minimums, weights = [], []
    for c in range(columns):
        values = [row[c] for row in texts if c < len(row)]
        head, body = (values[0] if values else ""), [v for v in values[1:] if v.strip()]
        longest = max(max((len(w) for w in head.split()), default=1) * HEADING_CHAR,
                      max((len(w) for v in body for w in v.split()), default=1) * TABLE_CHAR)
        minimums.append(int(longest + CELL_PADDING))
        if body:
            mean = sum(len(v) for v in body) / len(body)
            weights.append(max(min(mean, 60), 4))
        else:
            weights.append(max(len(head), 30))
    widths = _share(usable, weights, minimums)
    for c, width in enumerate(widths):
        table.columns[c].width = width
        for cell in table.columns[c].cells:
            cell.width = width
    table.autofit = False


def _share(usable: int, weights: list[float], minimums: list[int]) -> list[int]:
    """Widths proportional to weights, none below its minimum (when the page allows)."""
    if sum(minimums) >= usable:
        return [int(usable * m / sum(minimums)) for m in minimums]
    fixed: dict[int, int] = {}
    while True:
        free = usable - sum(fixed.values())
        total = sum(w for i, w in enumerate(weights) if i not in fixed)
        widths = {i: int(free * w / total) for i, w in enumerate(weights) if i not in fixed}
        short = {i: minimums[i] for i, w in widths.items() if w < minimums[i]}
        if not short:
            return [fixed.get(i, widths.get(i, 0)) for i in range(len(weights))]
        fixed.update(short)
