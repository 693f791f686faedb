"""The Appendix 8b schema as data, and the one header matcher."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from sarkit.errors import SarkitError

FIELD_TYPES = {"text", "date", "time", "yesno"}
FIELD_RULES = {"required", "recommended", "optional"}
HEADER_SEARCH_ROWS = 30
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
MIN_HEADER_MATCHES = 2


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

    @property
    def required(self) -> bool:
        return self.rule == "required"


@dataclass(slots=True)
class Schema:
    """The fields of a chronology and the lookup from normalised header text to field key."""

    name: str
    fields: list[Field]
    _lookup: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for f in self.fields:
            for variant in (f.key, f.heading, *f.aliases):
                self._lookup.setdefault(normalise_header(variant), f.key)

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)

    @property
    def keys(self) -> list[str]:
        return [f.key for f in self.fields]

    def match(self, header: object, mapping: dict[str, str] | None = None) -> str | None:
        """The field key a header means, or None. `mapping` (normalised header -> key) wins."""
        norm = normalise_header(header)
        if not norm:
            return None
        if mapping and norm in mapping:
            return mapping[norm]
        key = self._lookup.get(norm)
        if key is None:
            # 'Date (dd/mm/yyyy)', 'Time [24h]', 'Source of Information\n(e.g. GP record)'
            core = normalise_header(_BRACKETED.sub(" ", str(header).split("\n")[0]))
            key = self._lookup.get(core) or (mapping or {}).get(core)
        return key

    def suggest(self, header: object) -> Field | None:
        """The field a header that matches nothing most resembles ("did you mean")."""
        norm = normalise_header(header)
        if len(norm) < 3:
            return None
        close = difflib.get_close_matches(norm, list(self._lookup), n=1, cutoff=0.75)
        return self.field(self._lookup[close[0]]) if close else None

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


@dataclass(slots=True)
class HeaderMatch:
    """Where the header row is and what each of its columns means."""

    row_index: int  # 0-based index into the rows given
    columns: dict[int, str]  # 0-based column -> field key
    extras: dict[int, str]  # 0-based column -> header as written, for columns matching no field
    headers: dict[int, str]  # 0-based column -> header as written, for every non-blank header

    @property
    def score(self) -> int:
        return len(self.columns)


def match_header_row(
    cells: list[object], schema: Schema, mapping: dict[str, str] | None = None
) -> HeaderMatch:
    """Match one row of cells against the schema; the first column for a field wins."""
    columns: dict[int, str] = {}
    extras: dict[int, str] = {}
    headers: dict[int, str] = {}
    seen: set[str] = set()
    for col, value in enumerate(cells):
        text = _header_text(value)
        if not text:
            continue
        headers[col] = text
        key = schema.match(text, mapping)
        if key is None or key in seen:
            extras[col] = text
        else:
            columns[col] = key
            seen.add(key)
    return HeaderMatch(0, columns, extras, headers)


def find_header_row(
    rows: list[list[object]], schema: Schema, mapping: dict[str, str] | None = None
) -> HeaderMatch | None:
    """The row (within the first 30) that matches the most fields; None if none matches enough."""
    best: HeaderMatch | None = None
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        candidate = match_header_row(cells, schema, mapping)
        if candidate.score >= MIN_HEADER_MATCHES and (best is None or candidate.score > best.score):
            candidate.row_index = index
            best = candidate
    return best


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
            text = Path(path).read_text("utf-8")
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
