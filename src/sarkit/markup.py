"""HTML and RTF that a case system's export leaves in a cell's text.

Decisions:
- A cell is read as HTML only when it clearly holds markup: a known tag ('<br>', '<p>',
  '</div>', '<span style="...">') or a named or numbered entity ending in ';' ('&amp;',
  '&nbsp;', '&#39;'). 'BP <90', 'score <3 >1', '<< see above', 'A&E' and 'Adult & son' are
  not markup and are kept as written.
- HTML is turned into the text it shows: <br> and the tags of blocks (<p>, <div>, <li>...) are
  line breaks (two <br> in a row a blank line), entities are decoded ('&nbsp;' a space), every
  other known tag is dropped. Line breaks typed in the cell are kept.
- RTF ('{\\rtf1...') is not converted: `is_rtf` lets the caller keep it as written and say so.
- Pure: no file format, no findings.
"""

from __future__ import annotations

import html
import re
from html.entities import html5

from sarkit.lazy_re import lazy_compile

_BLOCK = ("p|div|li|ul|ol|tr|table|tbody|thead|h[1-6]|blockquote|pre|hr|center|section|article"
          "|header|footer")
_INLINE = ("span|font|b|i|u|s|em|strong|a|sub|sup|small|big|strike|code|img|td|th|o:p|label"
           "|abbr|mark|ins|del")
# an attribute needs a value: '<a lot>' in a sentence is not a tag
_ATTRS = (r"""(?:\s+[A-Za-z_:][-A-Za-z0-9_:.]{0,40}\s*=\s*"""
          r"""(?:"[^"<>]{0,500}"|'[^'<>]{0,500}'|[^\s"'<>]{1,200}))*""")
_TAG = lazy_compile(
    rf"<(?P<br>br)\s*/?>|<(?P<close>/)?(?:(?P<block>{_BLOCK})|(?:{_INLINE}))\b{_ATTRS}\s*/?>"
    r"|<!--[^<>]{0,200}-->",
    re.IGNORECASE)
_ENTITY = lazy_compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_LINE, _PARA = "\ue000", "\ue001"  # private-use marks for the breaks tags make
_BREAKS = lazy_compile(rf"[ \t]*[{_LINE}{_PARA}][\s{_LINE}{_PARA}]*")


def _entity(m: re.Match[str]) -> str | None:
    """The character an entity stands for, or None when it is not one ('&madeup;')."""
    text = m[0]
    if text[1] != "#" and text[1:] not in html5:
        return None
    shown = html.unescape(text)
    return " " if shown == "\xa0" else shown


def holds_html(value: str) -> bool:
    """Whether a text clearly holds HTML markup: a known tag or a known entity."""
    if "<" in value and _TAG.search(value):
        return True
    m = _ENTITY.search(value) if "&" in value else None  # 'A&E', 'Adult & son': no match
    while m is not None:
        if _entity(m) is not None:
            return True
        m = _ENTITY.search(value, m.end())
    return False


def _tag(m: re.Match[str]) -> str:
    if m["br"]:
        return _LINE
    return _PARA if m["block"] else ""


def _breaks(m: re.Match[str]) -> str:
    """A run of breaks made by tags (and the spaces around them): one line break, or a blank line
    for two <br> in a row; line breaks typed in the cell are kept."""
    run = m[0]
    typed = run.count("\n")
    return "\n" * max(typed, 2 if run.count(_LINE) >= 2 else 1)


def html_text(value: str) -> str | None:
    """The text an HTML fragment shows, or None when the text holds no markup (kept as written)."""
    if not holds_html(value):
        return None
    text = _TAG.sub(_tag, value)
    text = _ENTITY.sub(lambda m: e if (e := _entity(m)) is not None else m[0], text)
    text = _BREAKS.sub(_breaks, text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def is_rtf(value: str) -> bool:
    """Whether a text is an RTF document ('{\\rtf1\\ansi...'), as some case systems store notes."""
    return value.lstrip()[:5] == "{\\rtf"
