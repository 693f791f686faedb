"""The Markdown sarkit's documents are written in, read back: tokens, sections, tables.

Shared by the writers (Markdown -> .docx and .html) and the readers (an IMR's Recommendations
for an action plan), so both read the same structure the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from sarkit.schema import normalise_header

LINE_BREAK = re.compile(r"^<br\s*/?>$", re.IGNORECASE)


def parser() -> MarkdownIt:
    """CommonMark with tables; raw HTML kept so a template's own <br> survives."""
    # html on: only the templates' own <br> survives, since values are escaped by the md filter.
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def parse_markdown(text: str) -> list[Token]:
    return parser().parse(text)


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
        elif child.type == "hardbreak" or (child.type == "html_inline" and LINE_BREAK.match(child.content)):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


def without_marking_line(tokens: list[Token], marking: str) -> list[Token]:
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
