"""Two versions of one agency's action plan: each action counted once, from the later version.

Pure: takes each plan's actions, its file name and when it was last modified.

Decisions: an action of one file is the same action as one in another file of the same agency
when both have the same Ref (case and spaces ignored), or, with no Ref, the same Recommendation
and Action. The later version is the one with the higher version mark in its name ('v2',
'version 3'; a name without one is version 1), else the one modified last. The earlier file's
copies of those actions are not counted; its actions that the later file does not have are
counted (never silently dropped), and one `several-plans` warning names both files.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from sarkit.action_plans import ActionRow
from sarkit.findings import Finding, finding
from sarkit.wording import plural

_VERSION = re.compile(r"(?:^|[\s_\-.(\[])v(?:ersion)?[\s_\-.]?(\d{1,3})(?=$|[\s_\-.)\]])", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PlanFile:
    """One plan file's actions, and what says how recent it is."""

    path: str
    rows: Sequence[ActionRow]
    modified: float = 0.0  # seconds since the epoch, as the file system gives it


def version_mark(path: str) -> int | None:
    """The version a file's name gives ('plan-v2.xlsx' -> 2, 'Plan version 3.xlsx' -> 3), or None."""
    found = _VERSION.findall(PurePath(path).stem)
    return int(found[-1]) if found else None


def action_key(row: ActionRow) -> tuple[str, ...]:
    """What makes two rows of one agency the same action: the Ref, else Recommendation and Action."""
    def plain(text: str) -> str:
        return " ".join(text.casefold().split())

    if row.ref.strip():
        return (row.agency, plain(row.ref))
    return (row.agency, "", plain(row.recommendation), plain(row.action))


def one_version_each(plans: Sequence[PlanFile]) -> tuple[list[ActionRow], list[Finding]]:
    """Every action once: an action in two files of one agency is taken from the later file."""
    order = sorted(range(len(plans)), key=lambda i: _recency(plans[i]), reverse=True)
    taken_from: dict[tuple[str, ...], int] = {}
    dropped: dict[tuple[int, int, str], int] = {}  # (earlier, later, agency) -> actions not counted
    kept: dict[int, list[ActionRow]] = {}
    for index in order:  # latest first
        mine: set[tuple[str, ...]] = set()
        for row in plans[index].rows:
            key = action_key(row)
            later = taken_from.get(key)
            if later is not None and later != index:
                dropped[(index, later, row.agency)] = dropped.get((index, later, row.agency), 0) + 1
                continue
            mine.add(key)
            kept.setdefault(index, []).append(row)
        for key in mine:
            taken_from.setdefault(key, index)
    rows = [row for index in range(len(plans)) for row in kept.get(index, [])]
    findings = []
    for (earlier, later, agency), count in dropped.items():
        findings.append(_several(plans[earlier], plans[later], agency, count,
                                 sum(1 for r in kept.get(earlier, []) if r.agency == agency)))
    return rows, findings


def _recency(plan: PlanFile) -> tuple[int, float, str]:
    return (version_mark(plan.path) or 1, plan.modified, plan.path)


def _several(earlier: PlanFile, later: PlanFile, agency: str, count: int, only_here: int) -> Finding:
    mark_e, mark_l = version_mark(earlier.path) or 1, version_mark(later.path) or 1
    why = "by the version in its name" if mark_l != mark_e else "the file modified last"
    rest = (f" The {plural(only_here, 'action')} only in this file {'is' if only_here == 1 else 'are'} "
            "still counted." if only_here else "")
    return finding(
        "several-plans", earlier.path,
        f"{agency} has two versions of its action plan, this file and {later.path}: "
        f"{plural(count, 'action')} in both (the same Ref, or the same Recommendation and Action) "
        f"{'is' if count == 1 else 'are'} counted once, as {later.path} gives "
        f"{'it' if count == 1 else 'them'}, the later version ({why}).{rest}",
    )
