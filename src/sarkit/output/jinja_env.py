"""The Jinja environment every document is rendered with: a Board's templates first, then sarkit's."""

from __future__ import annotations

from pathlib import Path

import jinja2

TEMPLATES_FOLDER = "templates"


def template_environment(review_folder: Path | None, *, autoescape: bool) -> jinja2.Environment:
    """Templates are looked up in `templates/` beside review.toml (a Board's own), then in the
    ones shipped with sarkit. Undefined names are errors, so a mistyped template fails loudly."""
    loaders: list[jinja2.BaseLoader] = []
    if review_folder is not None:
        board = Path(review_folder) / TEMPLATES_FOLDER
        if board.is_dir():
            loaders.append(jinja2.FileSystemLoader(str(board), encoding="utf-8"))
    loaders.append(jinja2.PackageLoader("sarkit", TEMPLATES_FOLDER))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
    )
