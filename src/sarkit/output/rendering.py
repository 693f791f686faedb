"""Documents from Jinja templates, rendered to Markdown text: values escaped by the `md` and
`md_cell` filters so that what an agency wrote (`|`, `*`, `<script>`) stays text."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from sarkit.errors import SarkitError
from sarkit.output.safe_text import TextCleaner
from sarkit.review import Review
from sarkit.textfile import read_user_text

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_BULLET_START = re.compile(r"^(\s*)([-+=])(?=\s|$)")
_MD_NUMBER_START = re.compile(r"^(\s*\d+)([.)])(?=\s|$)")


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
                source = read_user_text(Path(template_file), "The template")
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
