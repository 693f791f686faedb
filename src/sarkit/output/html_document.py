"""Markdown -> one self-contained HTML page (no scripts, no network), marked as sarkit's."""

from __future__ import annotations

import html

from sarkit.formats.mark import GENERATOR
from sarkit.formats.markdown import parser, without_marking_line

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
    markdown = parser()
    tokens = without_marking_line(markdown.parse(text), marking)
    body = markdown.renderer.render(tokens, markdown.options, {})
    return _HTML_PAGE.format(title=html.escape(title), marking=html.escape(marking), body=body,
                             generator=html.escape(GENERATOR))
