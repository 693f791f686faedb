"""Identifiers the pseudonyms missed: NHS and National Insurance numbers, postcodes, phone
numbers, email addresses, dates of birth and names after a title, found in free text.

Decisions:
- One compiled regular expression, one `finditer` pass per cell; each alternative is a named
  group, and the few checks a pattern cannot express (the NHS modulus-11 check digit, the
  National Insurance prefixes never issued, the allow-list, pseudonyms, practitioners) run per
  match, never per pattern per cell.
- Every quantifier is bounded or followed by a character it cannot consume, and no group is
  quantified inside a quantified group that could match the same text, so the engine cannot
  backtrack catastrophically: the cost is linear in the length of the cell.
- A hit is a *possible* identifier: a warning for the administrator, never an error.
- Pure: no file format, no terminal; used by validation (findings) and the pipeline (redaction).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from sarkit.findings import Finding, cell_name, finding
from sarkit.lazy_re import lazy_compile
from sarkit.wording import and_list, plural

# kind -> (phrase in a sentence, the mark that replaces it when redacting)
KINDS: dict[str, tuple[str, str]] = {
    "nhs": ("an NHS number", "[NHS number]"),
    "ni": ("a National Insurance number", "[NI number]"),
    "postcode": ("a postcode", "[postcode]"),
    "phone": ("a phone number", "[phone]"),
    "email": ("an email address", "[email]"),
    "dob": ("a date of birth", "[date of birth]"),
    "name": ("a name after a title", "[name]"),
}

NOUNS = {"nhs": "NHS number", "ni": "National Insurance number", "postcode": "postcode",
         "phone": "phone number", "email": "email address", "dob": "date of birth",
         "name": "name after a title"}
PLURALS = {**{k: v + "s" for k, v in NOUNS.items()}, "email": "email addresses",
           "dob": "dates of birth", "name": "names after a title"}

TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Sir", "Dame", "Lady", "Lord")

_DATE = (r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
         r"|\d{1,2}(?:st|nd|rd|th)?[ ]{1,3}[A-Za-z]{3,9}\.?,?[ ]{1,3}\d{4})")
# a surname: Smith, O'Brien, McDonald, Smith-Jones (each part bounded)
# or in capitals, as police records write it: THORNBURY, O'BRIEN, SMITH-JONES (checked in `is_hit`
# against the abbreviations written in capitals after a title: "Mr NFA" is not a name)
_SURNAME = (r"(?:[A-Z](?:[a-z]{1,30}|['’][A-Z][a-z]{1,30})(?:[A-Z][a-z]{1,30})?(?:-[A-Z][a-z]{1,30})?"
            r"(?![A-Z])|(?:[A-Z]['’]|Ma?c)?[A-Z]{2,30}(?:-[A-Z]{2,30})?\b)")
_NOT_TITLE = rf"(?!(?:{'|'.join(TITLES)})\b)"  # "Mr Smith Mrs Jones": two names, not one
_KINDS_RE = (
    # a UK phone number: +44 (the + is checked) or 0, then 9 or 10 more digits in any spacing
    r"(?P<phone>(?:44[ ]?(?:\(0\)[ ]?)?|0)\d{1,4}\)?(?:[ -]?\d){6,9}\b)"
    # an NHS number: 10 digits as 3-3-4 (spaces or hyphens) or run together
    r"|(?P<nhs>\d{3}(?P<sep>[ -]?)\d{3}(?P=sep)\d{4}\b)"
    # a National Insurance number: two prefix letters, six digits, suffix A-D
    r"|(?P<ni>[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][ ]?\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?[A-D]\b)"
    # a full UK postcode: outward code, optional space, inward code
    r"|(?P<postcode>[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?[ ]?\d[ABD-HJLNP-UW-Z]{2}\b)"
    # a date of birth: the words, a few characters, a date
    r"|(?i:(?:d\.?o\.?b\.?|date[ ]of[ ]birth|born(?:[ ]on)?)\b[ :.,=-]{0,4})"
    rf"(?P<dob>{_DATE})"
    # a name after a title: initials then a capitalised word (two at most)
    rf"|(?:{'|'.join(TITLES)})\.?[ ]{{1,3}}"
    rf"(?P<name>(?:[A-Z]\.?[ ]{{1,3}}){{0,2}}{_SURNAME}(?:[ ]{_NOT_TITLE}{_SURNAME})?)"
)
# Every kind starts at a word boundary with a digit, a capital, or d/b (dob, born): the
# lookahead rejects every other position in one step, which keeps the scan fast on long text.
_PATTERN = lazy_compile(rf"\b(?=[\dA-Zbd])(?:{_KINDS_RE})")
# an email address (bounded local part and labels); used only for a cell holding an @
_WITH_EMAIL = lazy_compile(
    r"\b(?:(?P<email>[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,6})"
    rf"|(?=[\dA-Zbd])(?:{_KINDS_RE}))"
)
# a text without a digit can hold only a name (every other kind has digits) or an email
_NAMES_ONLY = lazy_compile(
    rf"\b(?:{'|'.join(TITLES)})\.?[ ]{{1,3}}"
    rf"(?P<name>(?:[A-Z]\.?[ ]{{1,3}}){{0,2}}{_SURNAME}(?:[ ]{_NOT_TITLE}{_SURNAME})?)"
)
# words in capitals that follow a title but are not surnames: abbreviations of safeguarding and
# police records ("Mr NFA", "Dr GP"), and a few words a sentence in capitals puts there
NOT_SURNAMES = frozenset({
    "NFA", "GP", "GPS", "ASC", "AMHP", "MASH", "CPN", "DOLS", "LPS", "LPA", "MCA", "MHA", "NHS", "AE",
    "ED", "OT", "SW", "DNA", "DNAR", "DNACPR", "UK", "MARAC", "MAPPA", "IDVA", "ISVA", "PCSO", "PC",
    "DC", "DS", "DI", "ASB", "ICB", "CCG", "SAR", "SAB", "DHR", "IMR", "PNC", "CAD", "BWV", "RTA",
    "RTC", "CID", "MSP", "RIP", "NOK", "AKA", "TBC", "NA", "NK", "OK", "AND", "OR", "THE", "WAS",
    "HAS", "IS", "AT", "TO", "ON", "IN", "OF", "SAID", "AS", "ALSO", "NOT", "NO", "STATED", "REPORTED",
})
# a date or time written by a case system, whose figures are not a phone number: the fraction of
# a second of a timestamp ('02.30.00.000000000', Oracle) and a compact stamp ('20250310 0900')
_STAMP = lazy_compile(
    r"\d{1,2}[:.]\d{2}[:.]\d{2}[.,]\d{1,9}\b"
    r"|\b(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[ T]?(?:[01]\d|2[0-3])[0-5]\d(?:[0-5]\d)?\b")
_NI_NEVER = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
_DIGITS = lazy_compile(r"\d")
_NOT_ALNUM = lazy_compile(r"[\W_]+")
_WORD = lazy_compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")


@dataclass(frozen=True, slots=True)
class Hit:
    """One possible identifier in a text: its kind, where it is, and the text itself."""

    kind: str
    start: int
    end: int
    value: str

    @property
    def phrase(self) -> str:
        return KINDS[self.kind][0]

    @property
    def mark(self) -> str:
        return KINDS[self.kind][1]


def _key(text: str) -> str:
    """Text compared without case, spaces or punctuation (allow-list, pseudonyms)."""
    return _NOT_ALNUM.sub("", text.casefold())


def nhs_number_valid(digits: str) -> bool:
    """The NHS number modulus-11 check: weights 10..2 on the first nine digits."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def ni_number_valid(text: str) -> bool:
    """National Insurance prefix rules beyond the letters: BG, GB, KN, NK, NT, TN, ZZ never issued."""
    return text[:2].upper() not in _NI_NEVER


@dataclass(slots=True)
class Scanner:
    """Finds possible identifiers; `allow` values and names known as pseudonyms or practitioners
    are not hits."""

    allow: Iterable[str] = ()
    known_names: Iterable[str] = ()  # pseudonyms (both sides) and practitioners' records
    _allow: set[str] = field(init=False, default_factory=set)
    _known: set[str] = field(init=False, default_factory=set)  # the words of the known names

    def __post_init__(self) -> None:
        self._allow = {_key(a) for a in self.allow if _key(a)}
        self._known = {w for n in self.known_names for w in _WORD.findall(n.casefold())}

    def with_names(self, names: Iterable[str]) -> Scanner:
        """A scanner that also knows these names (a return's practitioner records)."""
        return Scanner(allow=self._allow, known_names=[*self._known, *names])

    def scan(self, text: str) -> list[Hit]:
        """Every possible identifier in one cell's text, in order (one pass)."""
        if not text:
            return []
        hits: list[Hit] = []
        stamps: list[tuple[int, int]] | None = None  # found at the first phone number, if any
        pattern = (_WITH_EMAIL if "@" in text else _PATTERN if _DIGITS.search(text)
                   else _NAMES_ONLY)
        for m in pattern.finditer(text):
            kind = m.lastgroup or ""  # the kind's group closes last in its branch
            start, end = m.span(kind)
            if kind == "phone":
                if text[start:start + 2] == "44":
                    if start == 0 or text[start - 1] != "+":
                        continue  # 44 without a + is not a UK phone number
                    start -= 1
                elif start and text[start - 1] == "(" and ")" in text[start:end]:
                    start -= 1
                if stamps is None:
                    stamps = [m.span() for m in _STAMP.finditer(text)]
                if any(a <= start and end <= b for a, b in stamps):
                    continue  # the figures of a timestamp, not a phone number
            value = text[start:end]
            if not self.is_hit(kind, value):
                continue
            hits.append(Hit(kind, start, end, value))
        return hits

    def is_hit(self, kind: str, value: str) -> bool:
        """Whether a match is reported: not allowed, a valid check digit or prefix, not a known name."""
        key = _key(value) if self._allow else ""
        if key and key in self._allow:
            return False
        if kind == "nhs":
            return nhs_number_valid("".join(_DIGITS.findall(value)))
        if kind == "ni":
            return ni_number_valid(value)
        if kind == "name":  # allowed with its title ("Dr Patel"); a word of a known name
            if not _surname_in_capitals_ok(value):
                return False
            return (not (key and any(a.endswith(key) for a in self._allow))
                    and _WORD.findall(value.casefold())[-1] not in self._known)
        return True


_VOWEL = lazy_compile("[AEIOUY]")


def _surname_in_capitals_ok(value: str) -> bool:
    """A surname in capitals ("THORNBURY") is a name unless it is a known abbreviation or has no
    vowel ("Mr NFA", "Dr GP", "Mr PNC"); a surname in mixed case is always one."""
    surname = next((w for w in _WORD.findall(value) if len(w.strip("'’")) > 1), "")
    if not surname.isupper():
        return True
    return bool(_VOWEL.search(surname)) and surname.replace("'", "").replace("’", "") not in NOT_SURNAMES


def redact(text: str, hits: list[Hit]) -> str:
    """The text with every hit replaced by its kind in brackets ("[NHS number]")."""
    if not hits:
        return text
    parts: list[str] = []
    at = 0
    for hit in hits:
        parts.append(text[at:hit.start])
        parts.append(hit.mark)
        at = hit.end
    parts.append(text[at:])
    return "".join(parts)


def describe_counts(counts: dict[str, int]) -> str:
    """'2 NHS numbers and 1 phone number' from kind -> count, in the catalogue's order."""
    parts = [plural(counts[k], NOUNS[k], PLURALS[k]) for k in KINDS if counts.get(k)]
    return and_list(parts)


_TABLE_LINE = lazy_compile(r"^\s*\[\[?\s*([^\]]*?)\s*\]\]?\s*(?:#.*)?$")


def add_pseudonym_suggestions(text: str, names: Iterable[str]) -> str:
    """review.toml text with a commented line `# "Mrs Jones" = ""` per name in its [pseudonyms]
    table (added at the end when there is none); names already there, as a key or a
    suggestion, are not added again. Comments and layout are kept."""
    import json

    lines = text.splitlines()
    present = text.casefold()
    new = [f'# {json.dumps(n, ensure_ascii=False)} = ""   # fill in a pseudonym, then remove the #'
           for n in dict.fromkeys(names) if json.dumps(n, ensure_ascii=False).casefold() not in present]
    if not new:
        return text
    start = next((i for i, line in enumerate(lines)
                  if (m := _TABLE_LINE.match(line)) and m[1] == "pseudonyms" and "[[" not in line),
                 None)
    if start is None:
        tail = [""] if lines and lines[-1].strip() else []
        return "\n".join([*lines, *tail, "[pseudonyms]", *new]) + "\n"
    end = next((i for i in range(start + 1, len(lines)) if _TABLE_LINE.match(lines[i])), len(lines))
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return "\n".join([*lines[:end], *new, *lines[end:]]) + "\n"


@dataclass(slots=True)
class CellHits:
    """The possible identifiers of one cell of a return."""

    row: int
    col: int  # 0-based column of the sheet (first_col added)
    heading: str | None
    hits: list[Hit]


@dataclass(slots=True)
class IdentifierLog:
    """Collects one return's hits while its rows are read; names are decided at the end, when
    every practitioner record of the return is known."""

    scanner: Scanner
    cells: list[CellHits] = field(default_factory=list)

    def add_row(self, row: int, texts: Sequence[str], *, first_col: int,
                headings: Mapping[int, str], staff: int | None) -> None:
        """Scan one row, `texts` one per column ('' for none); joined by a line break, which no
        pattern crosses, so the row is one pass. Column `staff` (Practitioner / Role) records
        staff: no names are looked for there."""
        hits = self.scanner.scan("\n".join(texts))
        if not hits:
            return
        starts = list(accumulate((len(text) + 1 for text in texts[:-1]), initial=0))
        found: dict[int, list[Hit]] = {}
        for hit in hits:
            col = bisect_right(starts, hit.start) - 1
            if hit.kind == "name" and col == staff:
                continue
            at = starts[col]
            found.setdefault(col, []).append(Hit(hit.kind, hit.start - at, hit.end - at, hit.value))
        for col, cell_hits in found.items():
            self.cells.append(CellHits(row, first_col + col, headings.get(col), cell_hits))

    def findings(self, file: str, sheet: str, *, practitioners: Iterable[str], word: bool,
                 show_values: bool) -> list[Finding]:
        """One `possible-identifier` warning per cell and kind, in row and column order."""
        known = self.scanner.with_names(practitioners)
        found: list[Finding] = []
        for cell in sorted(self.cells, key=lambda c: (c.row, c.col)):
            by_kind: dict[str, list[str]] = {}
            for hit in cell.hits:
                if hit.kind == "name" and not known.is_hit("name", hit.value):
                    continue
                by_kind.setdefault(hit.kind, []).append(hit.value)
            name = None if word else cell_name(cell.row, cell.col)
            place = (f"Cell {name}" if name else f"Row {cell.row}") + (
                f" ({cell.heading})" if cell.heading and name else
                (f", column {cell.heading}," if cell.heading else ""))
            for kind in KINDS:
                values = by_kind.get(kind)
                if not values:
                    continue
                what = KINDS[kind][0] if len(values) == 1 else f"{len(values)} {PLURALS[kind]}"
                shown = (" (" + ", ".join(f'"{v}"' for v in values[:5]) + ")") if show_values else ""
                found.append(finding(
                    "possible-identifier", file,
                    f"{place} may hold {what}{shown}; check it before the chronology is circulated.",
                    sheet=sheet, row=cell.row, column=cell.heading, cell=name,
                ))
        return found
