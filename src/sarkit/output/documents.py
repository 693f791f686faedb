"""Documents from Jinja templates: one rendered Markdown text, written as .md, .docx or .html.

The Markdown is parsed with markdown-it-py (CommonMark plus tables) and the same tokens become
Word paragraphs with real heading styles and real tables, or an HTML page. Template values are
escaped for Markdown by the `md` filter, so a cell holding `|`, `*` or `<script>` stays text.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from markdown_it import MarkdownIt
from markdown_it.token import Token

from sarkit.account import Account, caveats
from sarkit.analysis import Analysis
from sarkit.dates import format_time
from sarkit.entries import Entry
from sarkit.errors import SarkitError
from sarkit.formats.mark import GENERATOR, MADE_BY, markdown_comment
from sarkit.output.atomic import atomic_output
from sarkit.output.safe_text import TextCleaner
from sarkit.review import Review
from sarkit.schema import normalise_header

DOCUMENT_FORMATS = {".md": "md", ".markdown": "md", ".docx": "docx", ".html": "html", ".htm": "html"}
A4 = (Cm(21.0), Cm(29.7))
MARGIN = Cm(2.0)
TABLE_FONT = Pt(10)
TABLE_CHAR = Cm(0.2)  # a generous width of one character of 10pt Arial
HEADING_CHAR = Cm(0.24)  # and of 10pt Arial bold, for the header row
CELL_PADDING = Cm(0.5)
_BR = re.compile(r"^<br\s*/?>$", re.IGNORECASE)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_BULLET_START = re.compile(r"^(\s*)([-+=])(?=\s|$)")
_MD_NUMBER_START = re.compile(r"^(\s*\d+)([.)])(?=\s|$)")


# ---------------------------------------------------------------- Markdown escaping and filters


def md_escape(value: object) -> str:
    """A value as inline Markdown text that renders exactly as written, on one line."""
    if value is None:
        return ""
    lines = [" ".join(line.split()) for line in str(value).splitlines()]
    text = " / ".join(line for line in lines if line)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_ENTITY.sub(r"\\&", text)
    text = _MD_BULLET_START.sub(r"\1\\\2", text)
    return _MD_NUMBER_START.sub(r"\1\\\2", text)


def md_cell(value: object) -> str:
    """A value for a Markdown table cell: escaped, its line breaks kept as <br>."""
    if value is None:
        return ""
    lines = [md_escape(line) for line in str(value).splitlines()]
    return "<br>".join(line for line in lines if line)


def document_filters(review: Review) -> dict[str, Callable[[object], str]]:
    """The Jinja filters documents use; each applies the review's pseudonyms first."""
    cleaner = TextCleaner(review.pseudonyms)

    def clean(value: object) -> str:
        return cleaner("" if value is None else str(value))

    return {
        "md": lambda value: md_escape(clean(value)),
        "md_cell": lambda value: md_cell(clean(value)),
        "pseudonymise": clean,
    }


# ---------------------------------------------------------------- templates


def render_template(
    name: str,
    context: dict[str, object],
    *,
    review: Review,
    template_file: Path | None = None,
    autoescape: bool = False,
) -> str:
    """Render a packaged template (or the Board's own, or `--template FILE`) to text."""
    from jinja2 import TemplateError

    from sarkit.output.jinja_env import template_environment

    env = template_environment(review.folder, autoescape=autoescape)
    # sarkit's templates put block tags on lines of their own; Markdown tables need no blank lines.
    env.trim_blocks = env.lstrip_blocks = env.keep_trailing_newline = True
    env.filters.update(document_filters(review))
    try:
        if template_file is not None:
            try:
                source = Path(template_file).read_text("utf-8-sig")
            except OSError as exc:
                raise SarkitError(f"The template {template_file} cannot be read ({exc.strerror}).",
                                  hint="Check the path given to --template.") from None
            template = env.from_string(source)
        else:
            template = env.get_template(name)
        text = template.render(**context)
    except TemplateError as exc:
        where = template_file or name
        line = getattr(exc, "lineno", None)
        raise SarkitError(
            f"The template {where} cannot be used: {exc.message}"
            + (f" (line {line})." if line else "."),
            hint="Correct the template, or remove it to use the one that ships with sarkit.",
        ) from None
    return text if text.endswith("\n") else text + "\n"


# ---------------------------------------------------------------- writing files


def output_format(path: Path, allowed: Sequence[str] = ("md", "docx", "html")) -> str:
    """The format an output name asks for (by suffix); a sentence when it is not one of `allowed`."""
    fmt = DOCUMENT_FORMATS.get(Path(path).suffix.lower())
    if fmt not in allowed:
        names = ", ".join(f".{a}" for a in allowed)
        error = SarkitError(f"The output {path} must end in one of {names}.",
                            hint="Choose the format by the output file name, e.g. -o out/imr-police.docx.",
                            exit_code=2)
        raise error
    return fmt


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write` on a temporary path, then rename it over `path` (see output.atomic)."""
    with atomic_output(path) as temporary:
        write(temporary)


def write_text_atomically(path: Path, text: str) -> None:
    """Write UTF-8 text through a temporary file in the same folder, then rename."""
    with atomic_output(path) as temporary:
        temporary.write_text(text, "utf-8")


def write_document(path: Path, markdown_text: str, *, review: Review, title: str) -> None:
    """Write rendered Markdown as .md, .docx or .html (chosen by the suffix), atomically."""
    fmt = output_format(path)
    if fmt == "md":
        write_text_atomically(path, markdown_comment() + "\n" + markdown_text)
    elif fmt == "docx":
        document = markdown_to_docx(markdown_text, marking=review.marking, reference=review.reference)
        document.core_properties.title = title
        document.core_properties.subject = review.marking
        document.core_properties.author = ""
        document.core_properties.comments = MADE_BY
        with atomic_output(path) as temporary:
            document.save(str(temporary))
    else:
        write_text_atomically(path, markdown_to_html(markdown_text, title=title, marking=review.marking))


# ---------------------------------------------------------------- Markdown -> tokens


def _parser() -> MarkdownIt:
    # html on: only the templates' own <br> survives, since values are escaped by the md filter.
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def parse_markdown(text: str) -> list[Token]:
    return _parser().parse(text)


@dataclass(slots=True)
class MarkdownTable:
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)


def section_items(text: str, heading: str) -> tuple[list[MarkdownTable], list[str]] | None:
    """The tables and list items under a Markdown heading (numbering ignored); None if absent."""
    tokens = parse_markdown(text)
    start = _find_heading(tokens, heading)
    if start is None:
        return None
    level = int(tokens[start].tag[1])
    tables: list[MarkdownTable] = []
    items: list[str] = []
    index = start + 3
    depth = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open" and int(token.tag[1]) <= level:
            break
        if token.type == "table_open":
            table, index = _read_table(tokens, index)
            tables.append(MarkdownTable(table[0] if table else [], table[1:]))
            continue
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "inline" and depth > 0:
            text_ = inline_text(token).strip()
            if text_:
                items.append(text_)
        index += 1
    return tables, items


def heading_matches(text: str, wanted: str) -> bool:
    """'11. Recommendations (SMART)' matches 'Recommendations': numbering and brackets ignored."""
    text = re.sub(r"^\s*[\d.]+\s*", "", text)
    text = re.sub(r"\(.*?\)", "", text)
    return normalise_header(text) == normalise_header(wanted)


def _find_heading(tokens: list[Token], wanted: str) -> int | None:
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and heading_matches(inline_text(tokens[index + 1]), wanted):
            return index
    return None


def inline_text(token: Token) -> str:
    """Plain text of an inline token (emphasis dropped, <br> as a line break)."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak" or (child.type == "html_inline" and _BR.match(child.content)):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


def _without_marking_line(tokens: list[Token], marking: str) -> list[Token]:
    """Drop the marking line a template puts on top of the Markdown: .docx and .html pages
    carry the marking in their page header instead."""
    if (len(tokens) >= 3 and tokens[0].type == "paragraph_open" and marking.strip()
            and inline_text(tokens[1]).strip() == marking.strip()):
        return tokens[3:]
    return tokens


def _read_table(tokens: list[Token], index: int) -> tuple[list[list[str]], int]:
    """Rows of plain text from table_open to table_close; returns the index after the table."""
    rows: list[list[str]] = []
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            rows[-1].append(inline_text(token))
        index += 1
    return rows, index + 1


# ---------------------------------------------------------------- Markdown -> .docx


def markdown_to_docx(text: str, *, marking: str, reference: str = "", landscape: bool = False):
    """A Word document from Markdown: Heading 1-3 styles, real tables, marking in the header."""
    document = Document()
    _page_setup(document, marking=marking, reference=reference, landscape=landscape)
    tokens = _without_marking_line(parse_markdown(text), marking)
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
        elif kind == "hardbreak" or (kind == "html_inline" and _BR.match(child.content)):
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


# ---------------------------------------------------------------- Markdown -> .html

_HTML_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{generator}">
<title>{title}</title>
<style>
body {{ font-family: Arial, Helvetica, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.45; color: #000; }}
.marking {{ text-align: center; font-weight: bold; letter-spacing: 0.05em; }}
table {{ border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }}
th, td {{ border: 1px solid #666; padding: 0.3rem 0.45rem; vertical-align: top; text-align: left; }}
th {{ background: #d9d9d9; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
h1, h2, h3 {{ break-after: avoid; }}
@media print {{ body {{ max-width: none; margin: 0; }} }}
</style>
</head>
<body>
<p class="marking">{marking}</p>
{body}
<p class="marking">{marking}</p>
</body>
</html>
"""


def markdown_to_html(text: str, *, title: str, marking: str) -> str:
    """One self-contained HTML page from Markdown (no scripts, no network)."""
    parser = _parser()
    tokens = _without_marking_line(parser.parse(text), marking)
    body = parser.renderer.render(tokens, parser.options, {})
    return _HTML_PAGE.format(title=html.escape(title), marking=html.escape(marking), body=body,
                             generator=html.escape(GENERATOR))


# ---------------------------------------------------------------- the IMR's content


@dataclass(frozen=True, slots=True)
class Question:
    """A question for the IMR author raised by the combined chronology, and where it comes from."""

    kind: str  # 'overlap' | 'agency-gap' | 'all-agency-gap'
    text: str
    refs: tuple[str, ...] = ()


def imr_context(
    agency: str,
    *,
    review: Review,
    entries: Sequence[Entry] | None,
    analysis: Analysis | None,
    glossary: Sequence[tuple[str, str]] = (),
    today: dt.date | None = None,
    account: Account | None = None,
    gap_days: int | None = None,
) -> dict[str, object]:
    """Everything the IMR template shows. `entries` None: no chronology was supplied;
    `account` says what the chronology lacks (missing, unusable returns, rejected rows)."""
    label = review.label(agency)
    mine = [e for e in entries or () if e.agency == agency]
    mine.sort(key=lambda e: (e.date.start, e.time is not None, e.time or dt.time(), e.order))
    last = max(mine, key=lambda e: e.last_day, default=None)
    return {
        "review": review,
        "agency": agency,
        "label": label,
        "subject": review.subject,
        "reference": review.reference,
        "marking": review.marking,
        "period_start": _day(review.period_start),
        "period_end": _day(review.period_end),
        "terms_of_reference": list(review.terms_of_reference),
        "gap_days": review.gap_days if gap_days is None else gap_days,
        "caveats": caveats(account, review.label) if account is not None else [],
        "made": _day(today or dt.date.today()),
        "chronology_given": entries is not None,
        "entries": [_entry_row(e) for e in mine],
        "entry_count": len(mine),
        "first_contact": mine[0].date.display() if mine else "",
        "last_contact": (last.end_date or last.date).display() if last else "",
        "other_agencies": len({e.agency for e in entries or () if e.agency != agency}),
        "key_events": [_entry_row(e) for e in mine if e.key_event],
        "overlap_questions": overlap_questions(agency, review, analysis, entries or ()),
        "gap_questions": gap_questions(agency, review, analysis),
        "glossary": [(a, m) for a, m in glossary if str(a).strip() or str(m).strip()],
    }


def _day(date: dt.date | None) -> str:
    return date.strftime("%d/%m/%Y") if date else ""


def _entry_row(entry: Entry) -> dict[str, str]:
    date = entry.date.display()
    if entry.end_date is not None:
        date = f"{date} to {entry.end_date.display()}"
    return {
        "ref": entry.ref or entry.agency_ref,
        "date": date,
        "time": format_time(entry.time) if entry.time else "",
        "source": entry.source,
        "event": entry.event,
        "action": entry.action,
        "practitioner": entry.practitioner,
        "analysis": entry.analysis,
    }


def _and(words: Sequence[str]) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def overlap_questions(
    agency: str, review: Review, analysis: Analysis | None, entries: Sequence[Entry]
) -> list[Question]:
    """'On 03/03/2025 the GP and ASC both had contact with Adult B; …' for each overlap."""
    if analysis is None:
        return []
    questions = []
    for overlap in analysis.overlaps:
        if agency not in overlap.agencies:
            continue
        labels = [review.label(a) for a in overlap.agencies]
        when = (f"On {_day(overlap.start)}" if overlap.start == overlap.end
                else f"Between {_day(overlap.start)} and {_day(overlap.end)}")
        together = "both" if len(labels) == 2 else "all"
        refs = ", ".join(overlap.refs)
        if overlap.communication == "recorded":
            text = (f"{when} the {_and(labels)} {together} had contact with {review.subject}, and "
                    f"communication between them is recorded ({refs}). What did the "
                    f"{review.label(agency)} share or receive, and what difference did it make?")
        else:
            text = (f"{when} the {_and(labels)} {together} had contact with {review.subject}; "
                    f"no communication is recorded ({refs}). Was this a missed opportunity?")
        questions.append(Question("overlap", text, tuple(overlap.refs)))
    return questions


def gap_questions(agency: str, review: Review, analysis: Analysis | None) -> list[Question]:
    """A question for each of the agency's silences, then each silence of every agency that
    one of the agency's own silences does not already cover."""
    if analysis is None:
        return []
    label = review.label(agency)
    own = [g for g in analysis.gaps if g.kind == "agency" and g.agency == agency
           and g.start is not None and g.end is not None]
    questions = []
    for gap in own:
        if gap.others_active:
            others = (f"while {gap.others_active} other "
                      f"{'agency' if gap.others_active == 1 else 'agencies'} recorded "
                      f"{gap.others_entries} {'entry' if gap.others_entries == 1 else 'entries'}")
        else:
            others = "and no other agency recorded anything either"
        text = f"{_span(gap)} the {label} recorded no contact {others}. Was anything missed?"
        questions.append(Question("agency-gap", text, _gap_refs(gap)))
    for gap in analysis.gaps:
        if gap.kind != "all-agency" or gap.start is None or gap.end is None:
            continue
        if any(o.start <= gap.start and gap.end <= o.end for o in own):
            continue
        text = (f"{_span(gap)} no agency recorded any contact with {review.subject}. Did the "
                f"{label} have any involvement or information in that time that is not recorded?")
        questions.append(Question("all-agency-gap", text, _gap_refs(gap)))
    return questions


def _span(gap) -> str:
    return f"Between {_day(gap.start)} and {_day(gap.end)} ({gap.days} days)"


def _gap_refs(gap) -> tuple[str, ...]:
    return tuple(r for r in (gap.before_ref, gap.after_ref) if r)
