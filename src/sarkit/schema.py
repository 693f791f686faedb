"""The Appendix 8b schema as data, and the one header matcher."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from sarkit.errors import SarkitError
from sarkit.textfile import read_user_text

FIELD_TYPES = {"text", "date", "time", "yesno"}
FIELD_RULES = {"required", "recommended", "optional"}
HEADER_SEARCH_ROWS = 30
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_PARTS = re.compile(r"/|&|\band\b|\bac\b", re.IGNORECASE)  # 'Date and Time', 'Dyddiad ac Amser'
MIN_HEADER_MATCHES = 2
# how firmly a heading names a field (Schema.ranked_match): the firmer column wins
FALLBACK, NAMED, MAPPED = 1, 2, 3


def normalise_header(text: object) -> str:
    """Lower case, '&' read as 'and', every space and punctuation mark dropped."""
    if text is None:
        return ""
    words = str(text).lower().replace("&", " and ")
    return re.sub(r"[\W_]+", "", words)


@dataclass(frozen=True, slots=True)
class Field:
    """One column of the chronology: key, the heading templates write, accepted variants."""

    key: str
    heading: str
    aliases: tuple[str, ...] = ()
    type: str = "text"
    rule: str = "optional"
    # headings naming when an entry was recorded ('Date of Entry'): the field's column only
    # when no column names it otherwise ('Date of Event')
    fallback_aliases: tuple[str, ...] = ()

    @property
    def required(self) -> bool:
        return self.rule == "required"


@dataclass(slots=True)
class Schema:
    """The fields of a chronology and the lookup from normalised header text to field key."""

    name: str
    fields: list[Field]
    _lookup: dict[str, str] = field(default_factory=dict, repr=False)

    _words: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _fallback: set[str] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        for f in self.fields:
            for variant in (f.key, f.heading, *f.aliases):
                norm = normalise_header(variant)
                self._lookup.setdefault(norm, f.key)
                self._words.setdefault(norm, _words(variant))
        for f in self.fields:
            for variant in f.fallback_aliases:
                norm = normalise_header(variant)
                if self._lookup.setdefault(norm, f.key) == f.key and norm not in self._words:
                    self._fallback.add(norm)
                    self._words[norm] = _words(variant)

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)

    @property
    def keys(self) -> list[str]:
        return [f.key for f in self.fields]

    def match(self, header: object, mapping: dict[str, str] | None = None) -> str | None:
        """The field key a header means, or None. `mapping` (normalised header -> key) wins."""
        return self.ranked_match(header, mapping)[0]

    def ranked_match(self, header: object, mapping: dict[str, str] | None = None
                     ) -> tuple[str | None, int]:
        """The field key a header means and how firmly: MAPPED (by hand), NAMED (its heading or
        an alias) or FALLBACK (it names when the entry was recorded); (None, 0) for no field."""
        norm = normalise_header(header)
        if not norm:
            return None, 0
        if mapping and norm in mapping:
            return mapping[norm], MAPPED
        if norm in self._lookup:
            return self._lookup[norm], FALLBACK if norm in self._fallback else NAMED
        # 'Date (dd/mm/yyyy)', 'Time [24h]', 'Source of Information\n(e.g. GP record)'
        core = normalise_header(_BRACKETED.sub(" ", str(header).split("\n")[0]))
        if core in self._lookup:
            return self._lookup[core], FALLBACK if core in self._fallback else NAMED
        if mapping and core in mapping:
            return mapping[core], MAPPED
        return self._sides_match(header, mapping)

    def _sides_match(self, header: object, mapping: dict[str, str] | None) -> tuple[str | None, int]:
        """A heading 'A / B' whose whole names no field, read by its sides: the field when the
        sides name exactly one ('Dyddiad / Date', 'Practitioner name/role'), as firmly as the
        firmest side names it; else (None, 0) (never a guess between two fields)."""
        sides = [side for side in _BRACKETED.sub(" ", str(header).split("\n")[0]).split("/")
                 if normalise_header(side)]
        if len(sides) < 2:
            return None, 0
        named = [self.ranked_match(side, mapping) for side in sides]
        keys = {key for key, _ in named if key is not None}
        if len(keys) != 1:
            return None, 0
        return keys.pop(), max(rank for _, rank in named)

    def by_sides(self, header: object, mapping: dict[str, str] | None = None) -> bool:
        """Whether the heading names its field only by its sides ('Time / Duration'), not whole."""
        norm = normalise_header(header)
        core = normalise_header(_BRACKETED.sub(" ", str(header).split("\n")[0]))
        whole = {norm, core} & ({*self._lookup, *(mapping or {})})
        return not whole and self._sides_match(header, mapping)[0] is not None

    def gives(self, header: object, key: str, mapping: dict[str, str] | None = None) -> bool:
        """Whether a heading names the field `key` whole or in one of its parts ('Date / Time' and
        'Date and Time of Contact' give the time)."""
        if self.ranked_match(header, mapping)[1] >= NAMED and self.match(header, mapping) == key:
            return True
        parts = _PARTS.split(_BRACKETED.sub(" ", str(header).split("\n")[0]))
        return len(parts) > 1 and any(self.ranked_match(part, mapping) == (key, NAMED) for part in parts)

    def suggest(self, header: object, exclude: set[str] | frozenset[str] = frozenset()) -> Field | None:
        """The field a heading that matches nothing most resembles ("did you mean"), or None.

        A near-miss in spelling counts: the heading has the words of a known variant, each word
        misspelt at most a little ('Practioner', 'Evnt Details'); so do a variant's words in
        another order, small words ('of', 'and') aside ('Involvement summary'). A different word is never
        a near-miss ('Contact type' is not 'Contact date'). Fields in `exclude` (already given by
        another column) are never suggested.
        """
        words = _words(header)
        if not words or len("".join(words)) < 3:
            return None
        bag = _content_words(words)
        best: tuple[float, str] | None = None
        for variant, key in self._lookup.items():
            if key in exclude:
                continue
            # the same words in another order ('Involvement summary', 'Role and name of staff')
            score = 1.0 if len(bag) > 1 and bag == _content_words(self._words[variant]) else (
                _resemblance(words, self._words[variant]))
            if score is not None and (best is None or score > best[0]):
                best = (score, key)
        return self.field(best[1]) if best else None

    def check_mapping(self, mapping: dict[str, str], where: str) -> dict[str, str]:
        """A heading -> field table from review.toml as normalised heading -> key; a sentence
        naming the key when a field is unknown."""
        checked: dict[str, str] = {}
        for heading, target in mapping.items():
            key = self._lookup.get(normalise_header(target)) if isinstance(target, str) else None
            if key is None or not normalise_header(heading):
                raise SarkitError(
                    f'In {where}, the heading "{heading}" is mapped to "{target}", which is not a '
                    "chronology field.",
                    hint="Fields are: " + ", ".join(self.keys) + ".",
                )
            checked[normalise_header(heading)] = key
        return checked

    def parse_mapping(self, pairs: list[str]) -> dict[str, str]:
        """Turn `--map "When=date"` options into normalised header -> field key."""
        mapping: dict[str, str] = {}
        for pair in pairs:
            header, sep, target = pair.rpartition("=")
            key = self._lookup.get(normalise_header(target))
            if not sep or not header.strip() or key is None:
                raise SarkitError(
                    f'The --map option "{pair}" is not of the form "HEADING=field".',
                    hint="Fields are: " + ", ".join(self.keys) + ".",
                )
            mapping[normalise_header(header)] = key
        return mapping


@dataclass(frozen=True, slots=True)
class Conflict:
    """Several columns of one header row name the same date field.

    `used` is the column chosen (one naming the event's date over others naming when it was
    recorded); None when the columns name it equally and none is used (never a guess).
    `others` are the columns kept as extra columns.
    """

    key: str
    used: int | None
    others: tuple[int, ...]


@dataclass(slots=True)
class HeaderMatch:
    """Where the header row is and what each of its columns means."""

    row_index: int  # 0-based index into the rows given (the lower row of a two-row header)
    columns: dict[int, str]  # 0-based column -> field key
    extras: dict[int, str]  # 0-based column -> header as written, for columns matching no field
    headers: dict[int, str]  # 0-based column -> header as written, for every non-blank header
    upper_index: int | None = None  # the row above, when the header is spread over two rows
    conflicts: list[Conflict] = field(default_factory=list)
    # columns with a blank heading over data: 0-based column -> the name they are kept under
    # ('Column E'), also in `extras` and `headers`; see `name_unheaded`
    unheaded: dict[int, str] = field(default_factory=dict)
    row_numbers: list[int] = field(default_factory=list)  # blank-headed columns of 0, 1, 2, …
    # rows under the header (indexes) that give the same fields in the same columns in other
    # words ('Date of Event' for 'Date'): the headings again after a page break, not entries
    repeats: list[int] = field(default_factory=list)
    # columns a fallback heading named for a field that is not a date ('Service' for agency)
    # whose cells do not fit it: 0-based column -> field key; kept as extra columns instead
    set_aside: dict[int, str] = field(default_factory=dict)

    def set_apart(self, cols: dict[int, str]) -> None:
        """Keep the columns `cols` (column -> the field they were taken for) as extra columns."""
        for col, key in cols.items():
            if self.columns.get(col) == key:
                del self.columns[col]
                self.extras[col] = self.headers[col]
                self.set_aside[col] = key
        self.extras = dict(sorted(self.extras.items()))

    @property
    def score(self) -> int:
        """Fields matched, a field named by several columns equally counted too."""
        return len(self.columns) + sum(1 for c in self.conflicts if c.used is None)

    @property
    def ambiguous(self) -> list[Conflict]:
        """The fields named equally by several columns: none of them is used."""
        return [c for c in self.conflicts if c.used is None]


def match_header_row(
    cells: list[object], schema: Schema, mapping: dict[str, str] | None = None
) -> HeaderMatch:
    """Match one row of cells against the schema; for a field several columns name, the one
    naming it most firmly wins, the first on a tie (a date field: see `_match_texts`)."""
    return _match_texts({col: _header_text(v) for col, v in enumerate(cells)}, schema, mapping)


def match_two_row_header(
    upper: list[object], lower: list[object], schema: Schema, mapping: dict[str, str] | None = None,
    spans: list[tuple[int, int]] | None = None,
) -> HeaderMatch | None:
    """Match a header spread over two rows: each column's words read top to bottom; None when
    the rows do not read as one header (no column's two parts make a heading, and some column
    has text in both rows).

    'Contact' over 'Date' reads 'Contact Date'; a heading split over two rows ('Source of' over
    'Information') reads whole. A group title over headings that match on their own ('Police
    chronology' over 'Date') is left out. `spans` are the upper row's merged ranges (first and
    last column); without them a title stretches right over the blank cells above sub-headings.
    """
    top = {col: _header_text(v) for col, v in enumerate(upper)}
    bottom = {col: _header_text(v) for col, v in enumerate(lower)}
    for first, last in spans if spans is not None else _implied_spans(top, bottom):
        for col in range(first + 1, last + 1):
            if not top.get(col):
                top[col] = top.get(first, "")
    texts: dict[int, str] = {}
    joined = overlapping = 0
    for col in sorted(set(top) | set(bottom)):
        u, b = top.get(col, ""), bottom.get(col, "")
        if not u or not b or u == b:
            texts[col] = u or b
            continue
        overlapping += 1
        both = f"{u} {b}"
        if schema.match(both, mapping) is not None:
            texts[col] = both
            joined += 1
        elif schema.match(b, mapping) is not None:
            texts[col] = b
        elif schema.match(u, mapping) is not None:
            texts[col] = u
        else:
            texts[col] = both
    if overlapping and not joined:
        return None
    return _match_texts(texts, schema, mapping)


def _implied_spans(top: dict[int, str], bottom: dict[int, str]) -> list[tuple[int, int]]:
    """Where a group title without merge information stretches: from a title standing over a
    sub-heading, right over blank cells that stand over sub-headings."""
    spans = []
    last = max([*top, *bottom], default=-1)
    for col, text in top.items():
        if not text or not bottom.get(col):
            continue
        end = col
        while end + 1 <= last and not top.get(end + 1) and bottom.get(end + 1):
            end += 1
        if end > col:
            spans.append((col, end))
    return spans


def _match_texts(texts: dict[int, str], schema: Schema, mapping: dict[str, str] | None) -> HeaderMatch:
    """Each column's field. Where several columns name one field, the firmest wins and the
    others are extra columns; for a date field that is a `Conflict` to report (the event's date
    chosen over when it was recorded), and columns naming it equally give none (never a guess)."""
    extras: dict[int, str] = {}
    headers: dict[int, str] = {}
    named: dict[str, list[tuple[int, int]]] = {}  # key -> [(col, rank)] in column order
    for col, text in texts.items():
        if not text:
            continue
        headers[col] = text
        key, rank = schema.ranked_match(text, mapping)
        if key is None:
            extras[col] = text
        else:
            named.setdefault(key, []).append((col, rank))
    for key, cols in list(named.items()):  # a side names a field another column gives: not it
        sided = {col for col, _ in cols if schema.by_sides(texts[col], mapping)}
        if not sided or not any(schema.gives(text, key, mapping) for col, text in texts.items()
                                if text and col not in sided):
            continue
        extras.update({col: texts[col] for col in sided})
        named[key] = [(col, rank) for col, rank in cols if col not in sided]
        if not named[key]:
            del named[key]
    columns: dict[int, str] = {}
    conflicts: list[Conflict] = []
    for key, cols in named.items():
        top = max(rank for _, rank in cols)
        firmest = [col for col, rank in cols if rank == top]
        dated = len(cols) > 1 and top != MAPPED and schema.field(key).type == "date"
        used = None if dated and len(firmest) > 1 else firmest[0]
        if used is not None:
            columns[used] = key
        others = tuple(col for col, _ in cols if col != used)
        for col in others:
            extras[col] = headers[col]
        if dated:
            conflicts.append(Conflict(key, used, tuple(firmest) if used is None else others))
    columns = dict(sorted(columns.items()))
    extras = dict(sorted(extras.items()))
    return HeaderMatch(0, columns, extras, headers, conflicts=conflicts)


def find_header_row(
    rows: list[list[object]], schema: Schema, mapping: dict[str, str] | None = None,
    merged: list[tuple[int, int, int, int]] | None = None,
) -> HeaderMatch | None:
    """The row (within the first 30) that matches the most fields; None if none matches enough.

    Two rows of headings read together win over either alone only when they match more fields.
    `merged` holds merged ranges as 0-based (first row, first col, last row, last col) indexes
    into `rows`; given (even empty), they say where group titles stretch.
    """
    best: HeaderMatch | None = None
    previous: HeaderMatch | None = None
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        candidate = match_header_row(cells, schema, mapping)
        single = candidate
        if previous is not None and heading_like(rows[index - 1]) and heading_like(cells):
            spans = None if merged is None else [
                (c1, c2) for r1, c1, r2, c2 in merged if r1 == index - 1 and c2 > c1
            ]
            pair = match_two_row_header(rows[index - 1], cells, schema, mapping, spans)
            if pair is not None and pair.score > max(candidate.score, previous.score):
                pair.upper_index = index - 1
                candidate = pair
        if candidate.score >= MIN_HEADER_MATCHES and (best is None or candidate.score > best.score) \
                and not holds_data(cells):
            candidate.row_index = index
            best = candidate
        previous = single
    return best


def name_unheaded(match: HeaderMatch, rows: list[list[object]], names: dict[int, str]) -> None:
    """Give the blank-headed columns that hold data under the header their `names` ('Column E'):
    kept as extra columns, never dropped. A column holding only running numbers, one in every
    row (0, 1, 2, … or 1, 2, 3, …: a spreadsheet program's or pandas' index), is a column of row
    numbers instead (`row_numbers`), not kept. `rows` are the rows under the header."""
    filled: list[list[object]] | None = None
    for col, name in names.items():
        if col in match.headers or not any(
                col < len(cells) and (v := cells[col]) is not None and (
                    v.__class__ is not str or v.strip()) for cells in rows):
            continue
        if filled is None:  # the rows that hold something, found once
            filled = [cells for cells in rows if _filled_row(cells)]
        values = [cells[col] if col < len(cells) else None for cells in filled]
        if _running_numbers(values):
            match.row_numbers.append(col)
            continue
        match.unheaded[col] = match.headers[col] = match.extras[col] = name
    match.headers = dict(sorted(match.headers.items()))
    match.extras = dict(sorted(match.extras.items()))


def _filled_row(cells: list[object]) -> bool:
    return any(_header_text(v) for v in cells)


def _running_numbers(values: list[object]) -> bool:
    """Whether every value is a whole number, each one more than the one before, from 0 or 1."""
    numbers = []
    for value in values:
        if isinstance(value, bool):
            return False
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if not isinstance(value, int):
            return False
        numbers.append(value)
    return numbers[:1] in ([0], [1]) and all(b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False))


def holds_data(cells: list[object]) -> bool:
    """Whether a row holds a number, a date or a time: an entry, never a header row, however many
    of its words happen to be headings (a return sent without its header row)."""
    from sarkit.dates import DateError, parse_date

    for value in cells:
        if value is None or isinstance(value, bool) or isinstance(value, str) and not value.strip():
            continue
        if not isinstance(value, str):
            return True
        if len(value) <= 40 and any(ch.isdigit() for ch in value):
            try:
                parse_date(value)
            except DateError:
                continue
            return True
    return False


def heading_like(cells: list[object]) -> bool:
    """Whether a row could be headings: some cells, all short text with letters in them, and
    no 'Label:' of a details block ('Agency:', 'Author:')."""
    texts = [v for v in cells if v is not None and not (isinstance(v, str) and not v.strip())]
    return bool(texts) and all(
        isinstance(v, str) and len(v) <= _HEADING_MAX and _LETTER.search(v)
        and not v.rstrip().endswith(":") for v in texts
    )


_HEADING_MAX = 80
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W_]+")
_WORD_CUTOFF = 0.8
_JOINED_CUTOFF = 0.88


def _words(text: object) -> tuple[str, ...]:
    """The words of a heading, lower case, without bracketed notes: 'Staff (name)' -> ('staff',)."""
    if text is None:
        return ()
    plain = _BRACKETED.sub(" ", str(text).split("\n")[0]) or str(text)
    return tuple(_WORD.findall(plain.lower().replace("&", " and "))) or tuple(
        _WORD.findall(str(text).lower()))


_SMALL_WORDS = frozenset({"a", "an", "and", "the", "of", "to", "by", "in", "for", "or"})


def _content_words(words: tuple[str, ...]) -> list[str]:
    """A heading's words without the small ones, sorted: equal for the same words in any order."""
    return sorted(w for w in words if w not in _SMALL_WORDS)


def _resemblance(words: tuple[str, ...], variant: tuple[str, ...]) -> float | None:
    """How closely a heading's words spell a variant's words (0..1), or None when they differ.

    Word by word when both have as many words; each pair must be a small misspelling (short
    words exactly). Headings written run together ('EvntDetails') are compared whole.
    """
    if not variant:
        return None
    if len(words) == len(variant):
        ratios = []
        for a, b in zip(words, variant, strict=True):
            if a == b:
                ratios.append(1.0)
                continue
            if min(len(a), len(b)) <= 3:
                return None
            ratio = difflib.SequenceMatcher(None, a, b).ratio()
            if ratio < _WORD_CUTOFF:
                return None
            ratios.append(ratio)
        return sum(ratios) / len(ratios)
    joined, target = "".join(words), "".join(variant)
    if len(words) != 1 and len(variant) != 1:
        return None
    ratio = difflib.SequenceMatcher(None, joined, target).ratio()
    return ratio if ratio >= _JOINED_CUTOFF else None


def _header_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def load_schema(path: Path | None = None) -> Schema:
    """Load the packaged Appendix 8b schema, or a Board's own variant from `path`."""
    try:
        if path is None:
            text = resources.files("sarkit").joinpath("schemas/appendix-8b.toml").read_text("utf-8")
        else:
            text = read_user_text(Path(path), "The schema file", use="a schema")
        data = tomllib.loads(text)
    except OSError as exc:
        raise SarkitError(f"The schema file {path} cannot be read ({exc.strerror}).") from None
    except tomllib.TOMLDecodeError as exc:
        raise SarkitError(f"The schema file {path} is not valid TOML: {exc}.") from None
    where = str(path or "appendix-8b.toml")
    fields = []
    for raw in data.get("fields", []):
        try:
            f = Field(
                key=str(raw["key"]),
                heading=str(raw["heading"]),
                aliases=tuple(str(a) for a in raw.get("aliases", [])),
                fallback_aliases=tuple(str(a) for a in raw.get("fallback_aliases", [])),
                type=str(raw.get("type", "text")),
                rule=str(raw.get("rule", "optional")),
            )
        except KeyError as exc:
            raise SarkitError(f"A field in {where} has no {exc.args[0]}.") from None
        if f.type not in FIELD_TYPES or f.rule not in FIELD_RULES:
            raise SarkitError(
                f"The field {f.key} in {where} has an unknown type or rule.",
                hint=f"Types: {', '.join(sorted(FIELD_TYPES))}; "
                f"rules: {', '.join(sorted(FIELD_RULES))}.",
            )
        fields.append(f)
    missing = {"date", "source", "event"} - {f.key for f in fields}
    if missing:
        raise SarkitError(f"The schema {where} lacks the fields {', '.join(sorted(missing))}.")
    return Schema(name=str(data.get("schema", {}).get("name", where)), fields=fields)
