"""Writing documents: one rendered Markdown text as .md, .docx or .html (by the output's
suffix), atomically and with sarkit's mark.

Rendering lives in output/rendering.py, the Word and HTML conversions in output/docx_document.py
and output/html_document.py, the IMR's content in output/imr.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sarkit.errors import SarkitError
from sarkit.formats.mark import markdown_comment
from sarkit.output.atomic import atomic_output
from sarkit.output.docx_document import markdown_to_docx, set_properties
from sarkit.output.files import write_text_atomically
from sarkit.output.html_document import markdown_to_html
from sarkit.review import Review

DOCUMENT_FORMATS = {".md": "md", ".markdown": "md", ".docx": "docx", ".html": "html", ".htm": "html"}


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


def write_document(path: Path, markdown_text: str, *, review: Review, title: str) -> None:
    """Write rendered Markdown as .md, .docx or .html (chosen by the suffix), atomically."""
    fmt = output_format(path)
    if fmt == "md":
        write_text_atomically(path, markdown_comment() + "\n" + markdown_text)
    elif fmt == "docx":
        document = markdown_to_docx(markdown_text, marking=review.marking, reference=review.reference)
        set_properties(document, title=title, subject=review.marking)
        with atomic_output(path) as temporary:
            document.save(str(temporary))
    else:
        write_text_atomically(path, markdown_to_html(markdown_text, title=title, marking=review.marking))
