"""What changed, in words: collate's one line since the previous run, and `sarkit diff`'s report
(plain lines for people, one JSON object for scripts)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sarkit.collate import Collation
from sarkit.diff import FIELD_HEADINGS, Diff, DiffItem, Side
from sarkit.output.terminal import printable
from sarkit.wording import plural


def change_summary(collation: Collation) -> str:
    """'Since the previous run: Police: 3 added, 1 changed.' (or that nothing changed)."""
    if not collation.changes:
        return "Since the previous run: no entry added, removed or changed; every ref kept."
    label = collation.review.label
    parts = []
    for change in collation.changes:
        counts = [f"{n} {what}" for n, what in ((change.added, "added"),
                  (change.removed, "removed"), (change.changed, "changed")) if n]
        parts.append(f"{label(change.agency)}: {', '.join(counts)}")
    return "Since the previous run: " + "; ".join(parts) + "."


def _where(item: DiffItem, label: Callable[[str], str]) -> str:
    return (f"{item.ref} ({label(item.agency)}, row {_row(item.row, item.sheet)} of "
            f"{Path(item.file).name})")


def _row(row: int | None, sheet: str) -> str:
    """'12', or '12 (April)' for a return whose entries came from more than one sheet."""
    return f"{row} ({sheet})" if sheet else str(row)


def diff_lines(old: Side, new: Side, result: Diff, *, label: Callable[[str], str],
               show_values: bool) -> list[str]:
    """The diff for people: one line per entry, one indented line per changed field."""
    lines = [f"From {old.path} to {new.path}: {len(result.added)} added, "
             f"{len(result.removed)} removed, {len(result.changed)} changed."]
    for item in result.added:
        lines.append(f"Added: {_where(item, label)}")
    for item in result.removed:
        lines.append(f"Removed: {_where(item, label)}")
    for item in result.changed:
        lines.append(f"Changed: {_where(item, label)}, row {_row(item.old_row, item.old_sheet)} before")
        for key, (before, after) in item.fields.items():
            heading = FIELD_HEADINGS.get(key, key.removeprefix("extra: "))
            text = f"  {heading}: {before!r} -> {after!r}" if show_values else f"  {heading} changed"
            lines.append(text)
    if not show_values and result.changed:
        lines.append("Give --show-values to see the old and new values.")
    for side, name in ((old, "old"), (new, "new")):
        if side.rejected_rows:
            verb = "was" if side.rejected_rows == 1 else "were"
            where = ("its Findings sheet lists them" if side.combined
                     else f"run sarkit validate {side.path}")
            lines.append(f"{plural(side.rejected_rows, 'row')} of the {name} version {verb} "
                         f"rejected and not compared: {where}")
    return [printable(line) for line in lines]


def diff_json(old: Side, new: Side, result: Diff, *, label: Callable[[str], str],
              show_values: bool) -> dict[str, object]:
    """DESIGN §11's shape; the values of changed fields only with --show-values (else null)."""
    def item(entry: DiffItem) -> dict[str, object]:
        return {"ref": entry.ref, "agency": entry.agency, "file": entry.file, "row": entry.row,
                **({"sheet": entry.sheet} if entry.sheet else {})}

    changed = []
    for entry in result.changed:
        fields = {key: list(pair) if show_values else [None, None]
                  for key, pair in entry.fields.items()}
        changed.append({**item(entry), "old_row": entry.old_row,
                        **({"old_sheet": entry.old_sheet} if entry.old_sheet else {}), "fields": fields})
    return {"old": old.path, "new": new.path, "values_shown": show_values,
            "added": [item(e) for e in result.added], "removed": [item(e) for e in result.removed],
            "changed": changed,
            "rejected_rows": {"old": old.rejected_rows, "new": new.rejected_rows}}
