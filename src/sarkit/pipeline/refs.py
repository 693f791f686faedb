"""The ref map beside collate's output, read before anything is written and written after the
output: `.refs.json` in the output's folder for combined.xlsx (or .csv, .json, .docx), and
`.NAME.refs.json` for an output of another name (out/key-events.xlsx has `.key-events.refs.json`),
so a second output in the folder never rewrites the map of the first. A first run to another name
starts from `.refs.json` (its entries keep the refs the combined workbook gives them); without
either, the refs of a previous combined workbook at the output path are read back instead, so a
first run with this version keeps its refs too.

The file holds refs, agency names and hashes only (no event text): it is safe to keep in `out/`.
One entry per line, so a message can name the line to fix.
"""

from __future__ import annotations

import hashlib
import json
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from pathlib import Path

from sarkit.errors import SarkitError
from sarkit.intake.combined import is_combined_workbook
from sarkit.output.atomic import fit_name
from sarkit.output.files import write_text_atomically
from sarkit.pipeline.chronology import read_combined
from sarkit.refs import Known, RefMap, content_hash, entry_keys, ref_number

REFS_FILE = ".refs.json"
MARK = "sarkit ref map"
_HINT = ("Fix that line, or delete the file (or give --renumber) to number the entries afresh; "
         "refs cited in notes would then point at other entries.")


DEFAULT_STEM = "combined"


def refs_path(output: Path) -> Path:
    """Where the map of an output lives: `.refs.json` in the output's folder for combined.*,
    `.NAME.refs.json` for any other name."""
    output = Path(output)
    if output.stem == DEFAULT_STEM:
        return output.parent / REFS_FILE
    return output.parent / fit_name(output.parent, f".{output.stem}", REFS_FILE)


def review_mark(reference: str) -> str:
    """Which review a map belongs to: a hash of its reference (no reference text kept in out/)."""
    return hashlib.sha256(" ".join(reference.split()).casefold().encode("utf-8")).hexdigest()[:16]


def load_ref_map(output: Path, reference: str | None = None) -> RefMap | None:
    """The map of `output`, else the folder's `.refs.json`, else one rebuilt from the combined
    workbook at `output`, else None. With the review's `reference`, a map or workbook made for a
    review with another reference is passed over (two reviews written to one folder). A map that
    cannot be read stops the command (before anything is written)."""
    return ref_map_for(output, reference)[0]


def ref_map_for(output: Path, reference: str | None = None) -> tuple[RefMap | None, str]:
    """`load_ref_map`, and a sentence for the user when a map or workbook at `output` itself was
    made for another review (its entries are then numbered afresh), else ''."""
    mark = None if reference is None else review_mark(reference)
    own = refs_path(output)
    for path in dict.fromkeys((own, Path(output).parent / REFS_FILE)):
        if path.is_file():
            refs, made_for = _read_map(path)
            if mark is None or made_for in (None, mark):
                return refs, ""
            if path == own:
                return None, _another_review(path)
    if Path(output).is_file() and is_combined_workbook(Path(output)):
        refs, made_for = _from_workbook(Path(output))
        if mark is None or made_for in (None, mark):
            return refs, ""
        return None, _another_review(Path(output))
    return None, ""


def _another_review(path: Path) -> str:
    return (f"{path} was made for a review with another reference, so its refs were not used: "
            "the entries are numbered from C0001. If it is this review and only its reference "
            "changed in review.toml, put the reference back and run again to keep the refs.")


def _fail(path: Path, line: int, what: str) -> SarkitError:
    return SarkitError(f"The ref map {path} cannot be read: line {line} {what}.", hint=_HINT)


def _read_map(path: Path) -> tuple[RefMap, str | None]:
    """The map in `path`, and the mark of the review it was made for (None from older maps)."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SarkitError(f"The ref map {path} cannot be read ({type(exc).__name__}).",
                          hint=_HINT) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(path, exc.lineno, f"is not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict) or data.get("sarkit") != MARK:
        raise _fail(path, 1, f'does not start a sarkit ref map (a "sarkit": "{MARK}" key)')
    lines = text.splitlines()
    entries = data.get("entries")
    highest = data.get("highest")
    if not isinstance(highest, int) or highest < 0:
        raise _fail(path, _line_of(lines, '"highest"'), 'needs "highest" as a whole number')
    if not isinstance(entries, list):
        raise _fail(path, _line_of(lines, '"entries"'), 'needs "entries" as a list')
    refs = RefMap(highest=highest)
    seen_refs: set[str] = set()
    known = refs.known
    for index, item in enumerate(entries):
        # the line is looked for only when there is something to say (a map has 100,000 lines)
        if item.__class__ is not dict:
            raise _fail(path, _entry_line(lines, index), 'needs "ref", "agency" and "identity" as text')
        ref, agency, identity = item.get("ref"), item.get("agency"), item.get("identity")
        if not (ref.__class__ is str and agency.__class__ is str and identity.__class__ is str
                and ref and agency and identity):
            raise _fail(path, _entry_line(lines, index), 'needs "ref", "agency" and "identity" as text')
        if ref in seen_refs or identity in known:
            raise _fail(path, _entry_line(lines, index), f"repeats the ref {ref} or its identity")
        seen_refs.add(ref)
        known[identity] = Known(ref, agency, str(item.get("content", "")),
                                bool(item.get("present", True)), str(item.get("text", "")),
                                str(item.get("place", "")))
    refs.highest = max(refs.highest, max(map(ref_number, seen_refs), default=0))
    made_for = data.get("review")
    return refs, made_for if isinstance(made_for, str) and made_for else None


def _entry_line(lines: list[str], index: int) -> int:
    """The line of the index-th entry: sarkit writes one entry a line after the '"entries": ['
    line; a map edited by hand is looked through for its index-th '{'."""
    start = _line_of(lines, '"entries"')
    opened = [n for n, text in enumerate(lines[start:], start=start + 1) if "{" in text]
    return opened[index] if index < len(opened) else max(1, len(lines))


def _line_of(lines: list[str], token: str, index: int = 0) -> int:
    """The line (1-based) of the index-th occurrence of token; the last line when not found."""
    found = -1
    for number, text in enumerate(lines, start=1):
        if token in text:
            found += 1
            if found == index:
                return number
    return max(1, len(lines))


def _from_workbook(path: Path) -> tuple[RefMap, str | None]:
    """The refs a combined workbook gives its entries, and the mark of its review's reference."""
    entries, about = read_combined(path)
    refs = RefMap()
    for entry, key, text in zip(entries, *entry_keys(entries), strict=True):
        if not entry.ref:
            continue
        refs.known[key] = Known(entry.ref, entry.agency, content_hash(entry), text=text)
        refs.highest = max(refs.highest, ref_number(entry.ref))
    return refs, review_mark(about.get("reference") or "")


def save_ref_map(output: Path, refs: RefMap, reference: str = "") -> Path:
    """Write the map beside `output` (atomically), marked with its review; returns its path."""
    path = refs_path(output)
    lines = ["{", f'"sarkit": "{MARK}",', '"version": 1,', f'"review": "{review_mark(reference)}",',
             f'"highest": {refs.highest},', '"entries": [']
    items = sorted(refs.known.items(), key=lambda kv: (ref_number(kv[1].ref), kv[1].ref))
    # each entry's line as json.dumps(item, ensure_ascii=False) writes it, through the same string
    # encoder (5x quicker than a dumps call a line on 100,000 entries; a test holds them equal)
    text = encode_basestring
    lines += [f'{{"ref": {text(k.ref)}, "agency": {text(k.agency)}, "identity": {text(key)}, '
              f'"content": {text(k.content)}, "text": {text(k.text)}, "place": {text(k.place)}, '
              f'"present": {"true" if k.present else "false"}}},' for key, k in items]
    if items:
        lines[-1] = lines[-1][:-1]  # no comma after the last
    lines += ["]", "}"]
    write_text_atomically(path, "\n".join(lines) + "\n")
    return path
