"""The review's settings (`review.toml`): model, loading with clear messages, writing."""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from sarkit.errors import SarkitError
from sarkit.identifiers import Scanner
from sarkit.schema import normalise_header
from sarkit.textfile import read_user_text, toml_mistake

REVIEW_FILE = "review.toml"
DEFAULT_MARKING = "OFFICIAL-SENSITIVE"

_KNOWN = {
    "": {"review", "analysis", "agencies", "pseudonyms", "map", "identifiers"},
    "identifiers": {"allow"},
    "review": {"reference", "subject", "period_start", "period_end", "marking",
               "terms_of_reference", "subject_birth_date", "subject_age_at_start"},
    "analysis": {"gap_days", "overlap_window_days", "referral_window_days", "referral_words",
                 "answer_words", "other_words", "patterns", "not_patterns"},
    "agencies": {"name", "short", "aliases", "files", "map", "contact", "due"},
}


@dataclass(frozen=True, slots=True)
class Agency:
    """An agency taking part in the review, and the words that mean it."""

    name: str
    short: str = ""
    aliases: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    # heading as written -> field, for this agency's returns (checked against the schema in use)
    mapping: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    contact: str = field(default="", compare=False)  # who to chase for the return
    due: dt.date | None = field(default=None, compare=False)  # when the return is due

    @property
    def label(self) -> str:
        """The short name used in tables and the timeline."""
        return self.short or self.name

    def names(self) -> tuple[str, ...]:
        """Every way this agency may be written: name, short name, aliases."""
        return tuple(n for n in (self.name, self.short, *self.aliases) if n.strip())


@dataclass(slots=True)
class Review:
    """Everything `review.toml` says; every field has a default so no file is needed."""

    reference: str = ""
    subject: str = "the adult"
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    marking: str = DEFAULT_MARKING
    terms_of_reference: list[str] = field(default_factory=list)
    subject_birth_date: dt.date | None = None  # for the Age column of the combined workbook
    subject_age_at_start: int | None = None  # in whole years on period_start, when no birth date
    gap_days: int = 28
    overlap_window_days: int = 0
    referral_window_days: int = 14  # days within which a referral should be answered
    # Words added to the schema's vocabulary ([analysis] referral_words, answer_words, patterns)
    referral_words: tuple[str, ...] = ()
    answer_words: tuple[str, ...] = ()
    # ([analysis] other_words) people who are not agencies: a referral they made is not the agency's
    other_words: tuple[str, ...] = ()
    pattern_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # ([analysis.not_patterns]) words holding a kind's word that are not that kind of event
    not_pattern_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    agencies: list[Agency] = field(default_factory=list)
    pseudonyms: dict[str, str] = field(default_factory=dict)
    mapping: dict[str, str] = field(default_factory=dict)  # [map]: heading as written -> field
    identifier_allow: tuple[str, ...] = ()  # [identifiers] allow: not identifiers (a switchboard)
    path: Path | None = None

    def identifier_scanner(self) -> Scanner:
        """The scanner for possible identifiers: the allow-list, and the names the pseudonyms
        and the subject already cover."""
        return Scanner(allow=self.identifier_allow,
                       known_names=[self.subject, *self.pseudonyms, *self.pseudonyms.values()])

    @property
    def folder(self) -> Path | None:
        return self.path.parent if self.path else None

    def find_agency(self, text: str) -> Agency | None:
        """The agency a name, short name or alias means (case, spaces, punctuation ignored)."""
        wanted = normalise_header(text)
        if not wanted:
            return None
        for agency in self.agencies:
            if wanted in {normalise_header(n) for n in agency.names()}:
                return agency
        return None

    def agency_for_file(self, file_name: str) -> Agency | None:
        """The agency whose `files` glob matches a return's file name (case ignored): the first
        in review.toml when several do (`agencies_for_file` lists them)."""
        found = self.agencies_for_file(file_name)
        return found[0] if found else None

    def agencies_for_file(self, file_name: str) -> list[Agency]:
        """Every agency whose `files` glob matches a return's file name (case ignored; both in
        NFC, so a name stored decomposed, as macOS and many unzip tools write it, still matches)."""
        name = unicodedata.normalize("NFC", file_name).lower()
        return [agency for agency in self.agencies
                if any(fnmatch.fnmatch(name, unicodedata.normalize("NFC", pattern).lower())
                       for pattern in agency.files)]

    def agency_order(self, name: str) -> int:
        """Position of an agency in review.toml (unknown agencies after, by name)."""
        for index, agency in enumerate(self.agencies):
            if agency.name == name:
                return index
        return len(self.agencies)

    def label(self, name: str) -> str:
        """The short name of an agency if review.toml gives one."""
        agency = self.find_agency(name)
        return agency.label if agency else name


def load_review(path: Path) -> Review:
    """Read and check a review.toml; every mistake is a sentence naming the key, and a usage
    error (exit code 2): nothing has been read or written yet."""
    try:
        return _load_review(Path(path))
    except SarkitError as exc:
        exc.exit_code = 2
        raise


def _load_review(path: Path) -> Review:
    text = ""
    try:
        text = read_user_text(path, "The review file", use="review.toml",
                              hint="Give the review.toml made by sarkit init: --review review.toml")
        data = tomllib.loads(text)
    except FileNotFoundError:
        raise SarkitError(f"There is no review file at {path}.",
                          hint="Create one with: sarkit init FOLDER") from None
    except OSError as exc:
        raise SarkitError(f"The review file {path} cannot be read ({exc.strerror}).") from None
    except tomllib.TOMLDecodeError as exc:
        where, said, fix = toml_mistake(text, exc)
        raise SarkitError(f"The review file {path} is not valid TOML at {where}.{said}", hint=fix) from None
    where = str(path)
    _check_keys(data, "", where)
    section = data.get("review", {})
    _check_keys(section, "review", where)
    analysis = data.get("analysis", {})
    _check_keys(analysis, "analysis", where)
    review = Review(path=path)
    review.reference = _text(section, "reference", where, "")
    review.subject = _text(section, "subject", where, review.subject)
    review.marking = _text(section, "marking", where, DEFAULT_MARKING)
    review.period_start = _date(section, "period_start", where)
    review.period_end = _date(section, "period_end", where)
    if review.period_start and review.period_end and review.period_end < review.period_start:
        raise SarkitError(f"In {where}, period_end is before period_start.",
                          hint="Swap the two dates or correct the year.")
    tor = section.get("terms_of_reference", [])
    if not isinstance(tor, list) or not all(isinstance(t, str) for t in tor):
        raise SarkitError(f"In {where}, terms_of_reference must be a list of sentences in quotes.")
    review.terms_of_reference = list(tor)
    review.subject_birth_date = _date(section, "subject_birth_date", where)
    if "subject_age_at_start" in section:
        if review.subject_birth_date is not None:
            raise SarkitError(f"In {where}, give subject_birth_date or subject_age_at_start, "
                              "not both.", hint="Keep subject_birth_date when it is known.")
        if review.period_start is None:
            raise SarkitError(f"In {where}, subject_age_at_start needs period_start (the age is "
                              "counted from the start of the period).",
                              hint="Add period_start = YYYY-MM-DD, or give subject_birth_date.")
        review.subject_age_at_start = _count(section, "subject_age_at_start", where, 0, minimum=0)
    review.gap_days = _count(analysis, "gap_days", where, 28, minimum=1)
    review.overlap_window_days = _count(analysis, "overlap_window_days", where, 0, minimum=0)
    review.referral_window_days = _count(analysis, "referral_window_days", where, 14, minimum=0)
    review.referral_words = _strings(analysis, "referral_words", where)
    review.answer_words = _strings(analysis, "answer_words", where)
    review.other_words = _strings(analysis, "other_words", where)
    review.pattern_words = _kinds_of_event(analysis, "patterns", where, '"Falls" = ["fall", "fell"]')
    review.not_pattern_words = _kinds_of_event(analysis, "not_patterns", where,
                                               '"Falls" = ["fall in income"]')
    agencies = data.get("agencies", [])
    if not isinstance(agencies, list):
        raise SarkitError(f"In {where}, agencies must be written as [[agencies]] tables.")
    seen: set[str] = set()
    for number, raw in enumerate(agencies, start=1):
        _check_keys(raw, "agencies", f"{where} (agency {number})")
        name = _text(raw, "name", where, "").strip()
        if not name:
            raise SarkitError(f"In {where}, agency {number} has no name.",
                              hint='Add name = "…" to that [[agencies]] table.')
        if name.lower() in seen:
            raise SarkitError(f"In {where}, the agency {name} is listed twice.")
        seen.add(name.lower())
        review.agencies.append(Agency(
            name=name,
            short=_text(raw, "short", where, "").strip(),
            aliases=_strings(raw, "aliases", where),
            files=_strings(raw, "files", where),
            mapping=_mapping(raw, f"{where} (agency {name})"),
            contact=_text(raw, "contact", f"{where} (agency {name})", "").strip(),
            due=_date(raw, "due", f"{where} (agency {name})"),
        ))
    pseudonyms = data.get("pseudonyms", {})
    if not isinstance(pseudonyms, dict) or not all(
        isinstance(v, str) for v in pseudonyms.values()
    ):
        raise SarkitError(f"In {where}, [pseudonyms] must map text to text.")
    review.pseudonyms = {k: v for k, v in pseudonyms.items() if k}
    review.mapping = _mapping(data, where)
    identifiers = data.get("identifiers", {})
    _check_keys(identifiers, "identifiers", where)
    review.identifier_allow = _strings(identifiers, "allow", where)
    return review


def find_review(explicit: Path | None = None, cwd: Path | None = None) -> Review:
    """The review given by `--review`, else the first `review.toml` in the current folder or
    one of its parents (as git and ruff find their settings), else an empty review."""
    if explicit is not None:
        explicit = Path(explicit)
        return load_review(explicit / REVIEW_FILE if explicit.is_dir() else explicit)
    here = Path(cwd or Path.cwd()).absolute()
    for folder in (here, *here.parents):
        candidate = folder / REVIEW_FILE
        if candidate.is_file():
            return load_review(candidate)
    return Review()


def render_review_toml(review: Review) -> str:
    """review.toml text for a new review, with comments a user can follow."""
    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    lines = [
        "# The settings of this Safeguarding Adults Review, read by every sarkit command.",
        "",
        "[review]",
        f"reference = {q(review.reference)}",
        f"subject = {q(review.subject)}                 # the pseudonym used in every output",
    ]
    lines.append(f"period_start = {review.period_start.isoformat()}" if review.period_start
                 else "# period_start = 2024-04-01")
    lines.append(f"period_end = {review.period_end.isoformat()}" if review.period_end
                 else "# period_end = 2025-09-30")
    lines += [
        f"marking = {q(review.marking)}      # protective marking printed on every page",
        "terms_of_reference = [",
        *[f"  {q(t)}," for t in review.terms_of_reference],
        "]",
        "",
        "[analysis]",
        f"gap_days = {review.gap_days}                       # a silence this long is a gap",
        f"overlap_window_days = {review.overlap_window_days}"
        "            # 0 = same day; N = within N days",
        f"referral_window_days = {review.referral_window_days}"
        "          # a referral unanswered this long is listed",
        '# referral_words = ["passed on to"]   # added to the words that open a referral trail',
        '# other_words = ["landlord"]   # people who are not agencies: a referral they made opens no trail',
    ]
    for agency in review.agencies:
        lines += [
            "",
            "[[agencies]]",
            f"name = {q(agency.name)}",
            f"short = {q(agency.label)}",
            f"aliases = [{', '.join(q(a) for a in agency.aliases)}]",
            f"files = [{', '.join(q(f) for f in agency.files)}]",
        ]
    lines += [
        "",
        "[pseudonyms]                        # real text -> pseudonym, applied to every output",
        "",
    ]
    return "\n".join(lines)


def _check_keys(table: object, section: str, where: str) -> None:
    if not isinstance(table, dict):
        raise SarkitError(f"In {where}, [{section}] must be a table.")
    unknown = sorted(set(table) - _KNOWN[section])
    if unknown:
        place = f"[{section}]" if section else "the top level"
        raise SarkitError(
            f"In {where}, {place} has an unknown key: {', '.join(unknown)}.",
            hint="Known keys: " + ", ".join(sorted(_KNOWN[section])) + ".",
        )


def _mapping(table: dict, where: str) -> dict[str, str]:
    """A `map` table (heading -> field), as written; whether each field exists is checked
    against the schema in use when the review is used (`Schema.check_mapping`)."""
    value = table.get("map", {})
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and k.strip() and isinstance(v, str) for k, v in value.items()
    ):
        raise SarkitError(f"In {where}, map must map headings to fields, each in quotes.",
                          hint='For example: [map] then a line "When" = "date".')
    return dict(value)


_TABLE_LINE = re.compile(r"^\s*\[\[?\s*([^\]]*?)\s*\]\]?\s*(?:#.*)?$")
_KEY_LINE = re.compile(r"""^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")


def add_mappings(text: str, mappings: dict[str, str]) -> str:
    """review.toml text with heading -> field lines set in its top-level [map] table.

    Edits the text, so the user's comments and layout stay: a heading already in [map] gets
    its line replaced, a new one is added at the end of the table, and a [map] table is added
    at the end of the file when there is none. The result is checked by reading it back.
    """
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines)
                  if (m := _TABLE_LINE.match(line)) and m[1] == "map" and "[[" not in line), None)
    new_lines = {heading: f"{json.dumps(heading, ensure_ascii=False)} = {json.dumps(key)}"
                 for heading, key in mappings.items()}
    if start is None:
        while lines and not lines[-1].strip():
            lines.pop()
        lines += ["", "[map]                               # headings mapped to fields by hand",
                  *new_lines.values()]
    else:
        end = next((i for i in range(start + 1, len(lines)) if _TABLE_LINE.match(lines[i])),
                   len(lines))
        last = start
        wanted = {normalise_header(h): h for h in new_lines}
        for i in range(start + 1, end):
            m = _KEY_LINE.match(lines[i])
            if not m:
                continue
            last = i
            try:
                key = next(iter(tomllib.loads(f"{m[1]} = 0")))
            except tomllib.TOMLDecodeError:
                continue
            heading = wanted.pop(normalise_header(key), None)
            if heading is not None:
                del new_lines[heading]
                lines[i] = f"{m[1]} = {json.dumps(mappings[heading])}"
        lines[last + 1 : last + 1] = list(new_lines.values())
    result = "\n".join(lines) + "\n"
    try:
        written = tomllib.loads(result).get("map", {})
    except tomllib.TOMLDecodeError:
        written = {}
    if not isinstance(written, dict) or any(
        {normalise_header(k): v for k, v in written.items()}.get(normalise_header(h)) != v
        for h, v in mappings.items()
    ):
        raise SarkitError(
            "The review file's map is written in a way sarkit cannot edit safely.",
            hint="Add these lines under [map] by hand: " + "; ".join(
                f"{json.dumps(h, ensure_ascii=False)} = {json.dumps(v)}" for h, v in mappings.items()),
        )
    return result


def _text(table: dict, key: str, where: str, default: str) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise SarkitError(f"In {where}, {key} must be text in quotes.")
    return value


def _kinds_of_event(analysis: dict, key: str, where: str, example: str
                    ) -> dict[str, tuple[str, ...]]:
    """[analysis.patterns] or [analysis.not_patterns]: a list of words for each kind of event."""
    kinds = analysis.get(key, {})
    if not isinstance(kinds, dict):
        raise SarkitError(f"In {where}, [analysis.{key}] must give a list of words for each kind "
                          f"of event, e.g. {example}.")
    return {str(kind): _strings(kinds, kind, f"{where} [analysis.{key}]") for kind in kinds}


def _strings(table: dict, key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SarkitError(f"In {where}, {key} must be a list of text in quotes.")
    return tuple(value)


def _date(table: dict, key: str, where: str) -> dt.date | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise SarkitError(f"In {where}, {key} is not a date.",
                      hint="Write it as YYYY-MM-DD without quotes, e.g. 2024-04-01.")


def _count(table: dict, key: str, where: str, default: int, *, minimum: int) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise SarkitError(f"In {where}, {key} must be a whole number of at least {minimum}.")
    return value
