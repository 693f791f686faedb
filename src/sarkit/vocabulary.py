"""The words the analysis looks for (referrals, their answers, recurring kinds of event): the
schema's `[vocabulary]`, extended by review.toml's `[analysis]` (DESIGN.md section 11)."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from sarkit.analysis import Vocabulary
from sarkit.errors import SarkitError
from sarkit.review import Review
from sarkit.textfile import read_user_text


def schema_vocabulary(path: Path | None = None) -> Vocabulary:
    """The `[vocabulary]` of the packaged schema, or of a Board's own schema file."""
    try:
        if path is None:
            text = resources.files("sarkit").joinpath("schemas/appendix-8b.toml").read_text("utf-8")
        else:
            text = read_user_text(Path(path), "The schema file")
        data = tomllib.loads(text).get("vocabulary", {})
    except (OSError, SarkitError, tomllib.TOMLDecodeError):
        data = {}  # load_schema has already said what is wrong with the file
    if not isinstance(data, dict):
        raise SarkitError(f"In {path or 'appendix-8b.toml'}, [vocabulary] must be a table of word lists.")
    patterns = data.get("patterns", {})
    unlike = data.get("not_patterns", {})
    return Vocabulary(
        referral=_words(data.get("referral")),
        answer=_words(data.get("answer")),
        patterns=_kinds(patterns),
        not_patterns=_kinds(unlike),
    )


def vocabulary_for(review: Review, schema_path: Path | None = None) -> Vocabulary:
    """The schema's words with review.toml's added (a new pattern kind after the schema's)."""
    base = schema_vocabulary(schema_path)
    patterns = dict(base.patterns)
    for kind, words in review.pattern_words.items():
        patterns[kind] = _unique((*patterns.get(kind, ()), *words))
    return Vocabulary(
        referral=_unique((*base.referral, *review.referral_words)),
        answer=_unique((*base.answer, *review.answer_words)),
        patterns=tuple(patterns.items()),
        not_patterns=base.not_patterns,
    )


def _kinds(value: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A table of word lists (kind -> words); anything else holds none."""
    if not isinstance(value, dict):
        return ()
    return tuple((str(kind), _words(words)) for kind, words in value.items())


def _words(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return _unique(str(v) for v in value)


def _unique(words) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w for w in words if w.strip()))
