"""`sarkit diff`'s use case: read two versions (returns or combined workbooks) and compare them."""

from __future__ import annotations

from pathlib import Path

from sarkit.account import Account
from sarkit.diff import Diff, Side, diff_sides
from sarkit.errors import SarkitError, usage_error
from sarkit.pipeline.chronology import from_returns, is_combined, read_combined
from sarkit.returns import ReadOptions


def read_side(path: Path, options: ReadOptions) -> Side:
    """A combined workbook's entries with their refs, or a return's valid entries."""
    path = Path(path)
    if not path.is_file():
        raise usage_error(f"There is no file {path}.", hint="Give two files: the old and the new.")
    if is_combined(path, options.passwords):
        entries, about = read_combined(path, options.passwords)
        account = about.get("account")  # the About sheet's account: the rows rejected when made
        rejected = Account.from_json(account).rejected_rows if isinstance(account, dict) else 0
        return Side(str(path), entries, combined=True, reference=str(about.get("reference") or ""),
                    rejected_rows=rejected)
    collation = from_returns([path], options).collation
    if not collation.entries and _plan_not_return(path, collation, options):
        raise usage_error(f"{path} is an agency's action plan, not a return: sarkit diff compares two "
                          "versions of a return or two combined workbooks.",
                          hint="sarkit actions reads the action plans.")
    unusable = collation.account.unusable[0] if collation.account.unusable else None
    return Side(str(path), collation.entries, combined=False, rejected_rows=collation.rejected_rows,
                unread=(unusable.reason, unusable.fix) if unusable is not None else None)


def _plan_not_return(path: Path, collation, options: ReadOptions) -> bool:
    """A file read as a return that gave no entry and is no nil return, but holds an action
    plan's table, as `sarkit actions` recognises one: a plan made by sarkit but saved again, or
    typed from the template."""
    from sarkit.intake import password_for
    from sarkit.intake.action_plans import is_action_plan

    if any(result.nil for result in collation.results):
        return False
    return is_action_plan(path, password_for(path.name, options.passwords, str(path)))


def compare(old: Path, new: Path, options: ReadOptions) -> tuple[Side, Side, Diff]:
    """Both sides read, checked to be related, and compared."""
    before, after = read_side(old, options), read_side(new, options)
    if before.combined == after.combined:  # two kinds of file: diff_sides says that first
        for side in (before, after):
            if side.unread is not None:  # compared as empty, each entry would look added or removed
                why, fix = side.unread
                raise SarkitError(f"{side.path} could not be read, so it cannot be compared: {why}",
                                  hint=fix or "Give a version sarkit validate can read.", exit_code=2)
    return before, after, diff_sides(before, after)
