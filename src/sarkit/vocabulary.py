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
        others=_words(data.get("others")),
    )


def vocabulary_for(review: Review, schema_path: Path | None = None) -> Vocabulary:
    """The schema's words with review.toml's added (a new pattern kind after the schema's).
    A kind in review.toml's [analysis.not_patterns] must be a kind of event of either."""
    base = schema_vocabulary(schema_path)
    patterns = _extended(base.patterns, review.pattern_words)
    unknown = [kind for kind in review.not_pattern_words if kind not in dict(patterns)]
    if unknown:
        where = review.path or "review.toml"
        raise SarkitError(
            f"In {where}, [analysis.not_patterns] names {', '.join(map(repr, unknown))}, which is "
            "not a kind of event counted in the patterns (the schema's or [analysis.patterns]).",
            hint="Spell the kind as [analysis.patterns] or the schema does, e.g. \"Falls\".",
            exit_code=2)
    return Vocabulary(
        referral=_unique((*base.referral, *review.referral_words)),
        answer=_unique((*base.answer, *review.answer_words)),
        patterns=patterns,
        not_patterns=_extended(base.not_patterns, review.not_pattern_words),
        others=_unique((*base.others, *review.other_words)),
    )


def _extended(kinds: tuple[tuple[str, tuple[str, ...]], ...], added: dict[str, tuple[str, ...]]
              ) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each kind's words with those added (a new kind after the others)."""
    merged = dict(kinds)
    for kind, words in added.items():
        merged[kind] = _unique((*merged.get(kind, ()), *words))
    return tuple(merged.items())


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
