"""What a path given on the command line is, when it is not what the command reads: the review
folder, review.toml, a combined workbook or another file sarkit wrote. Said in one sentence (a
usage error, exit code 2) before anything is read or written, never read as a return.

Only sarkit's own files and the review's are known here, by their mark or sheet list (a few
kilobytes read, nothing parsed); any other file is left to the readers, which say what they
found in it."""

from __future__ import annotations

from pathlib import Path

from sarkit.errors import SarkitError, usage_error

COMBINED = "a combined workbook made by sarkit collate"
MARKED_WORKBOOK = "a workbook written by sarkit (an action plan or a marked-up return)"
_WRITTEN = {
    ".html": "a page written by sarkit (a workshop pack or report)",
    ".htm": "a page written by sarkit (a workshop pack or report)",
    ".docx": "a Word document written by sarkit (an IMR or a chronology)",
    ".md": "a Markdown document written by sarkit (an IMR, action plan or report)",
    ".csv": "a table exported by sarkit",
    ".json": "a file exported by sarkit",
    ".xlsx": MARKED_WORKBOOK,
}


def kind_of(path: Path) -> str | None:
    """The kind of one of sarkit's or the review's own files or folders, in words (to follow
    "PATH is"); None for anything else (a return, a folder of returns, a plan, no such path)."""
    from sarkit.formats.mark import is_sarkit_output
    from sarkit.intake.combined import is_combined_workbook

    path = Path(path)
    if path.is_dir():
        return "the review folder (it holds review.toml)" if (path / "review.toml").is_file() else None
    if not path.is_file():
        return None
    if path.suffix.lower() == ".toml":
        return "a review settings file (.toml)"
    if is_combined_workbook(path):
        return COMBINED
    if is_sarkit_output(path):
        return _WRITTEN.get(path.suffix.lower(), "a file written by sarkit")
    return None


def refuse_not_returns(paths: list[Path], command: str, *, combined_ok: bool = False) -> None:
    """A usage error for the first path given that is not a return nor a folder of returns (a
    combined workbook is let through when the command reads one: `combined_ok`, and so is a
    workbook with sarkit's mark, which may be one with a sheet renamed: its reader says which)."""
    for path in paths:
        kind = kind_of(path)
        if kind is None or (combined_ok and kind in (COMBINED, MARKED_WORKBOOK)):
            continue
        raise not_returns(path, kind, command)


def not_returns(path: Path, kind: str, command: str) -> SarkitError:
    """The usage error for a path of `kind` given where returns are expected."""
    path = Path(path)
    if kind.startswith("the review folder"):
        hint = (f"Give its returns folder (sarkit {command} {path / 'returns'}), or run sarkit "
                f"{command} in that folder with no path.")
    elif kind.startswith("a review settings file"):
        hint = f"Give it as --review {path}, and the returns as PATH (or no path for returns/)."
    elif kind == COMBINED:
        hint = ("sarkit gaps, sarkit new-imr and sarkit diff read a combined workbook; give "
                f"sarkit {command} the returns, e.g. sarkit {command} returns/")
    else:
        hint = f"Give the agencies' returns, e.g. sarkit {command} returns/"
    return usage_error(f"{path} is {kind}, not a return: sarkit {command} reads the agencies' "
                       "returns.", hint=hint)


def refuse_not_comparable(*paths: Path) -> None:
    """`diff` given a folder, or one of sarkit's or the review's own files that is neither a
    combined workbook nor a workbook (a marked-up return is compared with its return)."""
    for path in map(Path, paths):
        if path.is_dir():
            raise usage_error(f"{path} is a folder: sarkit diff compares two files, two versions of "
                              "a return or two combined workbooks.",
                              hint="For example: sarkit diff out/combined-v1.xlsx out/combined.xlsx")
        kind = kind_of(path)
        if kind is not None and kind not in (COMBINED, MARKED_WORKBOOK):
            raise usage_error(f"{path} is {kind}: sarkit diff compares two versions of a return or "
                              "two combined workbooks.",
                              hint="For example: sarkit diff out/combined-v1.xlsx out/combined.xlsx")


def refuse_not_plans(paths: list[Path]) -> None:
    """`actions` given the review folder, review.toml, a combined workbook or a page, document or
    export sarkit wrote (never an action plan): a usage error saying what it got."""
    plans = (MARKED_WORKBOOK, _WRITTEN[".md"])
    for path in map(Path, paths):
        kind = kind_of(path)
        if kind is not None and kind not in plans:
            hint = (f"Give its folder of action plans, e.g. sarkit actions {path / 'plans'}"
                    if kind.startswith("the review folder") else
                    "Give the agencies' action plans, e.g. sarkit actions plans/")
            raise usage_error(f"{path} is {kind}, not an action plan: sarkit actions reads the "
                              "agencies' filled-in action plans.", hint=hint)


def refuse_not_a_file(path: Path, option: str, expected: str) -> None:
    """A usage error when the path given to `option` is a folder or does not exist."""
    path = Path(path)
    if path.is_dir():
        raise usage_error(f"{option} {path} is a folder, but {option} takes one file: {expected}.",
                          hint=f"Give the file's path, e.g. {option} {_example(expected)}")
    if not path.exists():
        raise usage_error(f"There is no file {path} (given to {option}).",
                          hint="Check the spelling of the path and its ending.")


def _example(expected: str) -> str:
    return "out/combined.xlsx" if "combined" in expected else "out/imr-police.docx"


def refuse_given_not_returns(paths: list[Path], results: list, command: str,
                             passwords: dict[str, str] | None = None) -> None:
    """After reading: a usage error for a file given by name that turned out not to be a return
    (a combined workbook saved with a password or in another format, a copy of the combined
    chronology, an action plan), which would otherwise be a finding of a run that reads nothing
    from it (status listed every agency as outstanding, without a word about the file)."""
    named = {_same(p): Path(p) for p in paths if Path(p).is_file()}
    for result in results:
        path = named.get(_same(result.source or result.path))
        said = result.findings[0] if result.skipped and result.findings else None
        if path is None or said is None or said.code != "sarkit-output":
            continue
        combined = said.sheet is None and "combined workbook" in said.message
        raise not_returns(path, COMBINED if combined else
                          "a copy of the combined chronology made by sarkit collate", command)
    refuse_plans_given(paths, results, command, passwords)


def refuse_plans_given(paths: list[Path], results: list, command: str,
                       passwords: dict[str, str] | None = None) -> None:
    """A usage error for a file given by name that was read as a return but holds an agency's
    action plan, not a chronology (no entry, no nil return, and a plan's table as `sarkit
    actions` recognises one), or for folders given whose files are all plans; a plan
    among returns in a folder stays a finding of the run."""
    from sarkit.intake import password_for
    from sarkit.intake.action_plans import is_action_plan
    from sarkit.wording import and_list

    named = {_same(p): Path(p) for p in paths if Path(p).is_file()}
    read = [result for result in results if not result.skipped]
    plans = 0
    for result in read:
        if result.entries or result.nil:
            continue
        file = Path(result.source or result.path)
        path = named.get(_same(file))
        if not is_action_plan(file, password_for(file.name, passwords, str(file))):
            continue
        plans += 1
        if path is not None:
            raise usage_error(f"{path} is an agency's action plan, not a return: sarkit {command} reads "
                              "the agencies' returns.", hint=_plans_hint(command))
    if read and plans == len(read):
        where = and_list([str(p) for p in paths], at_most=3)
        raise usage_error(f"{where} {'holds' if len(paths) == 1 else 'hold'} only the agencies' action "
                          f"plans, not returns: sarkit {command} reads the agencies' returns.",
                          hint=_plans_hint(command))


def _plans_hint(command: str) -> str:
    return (f"sarkit actions reads the action plans; give sarkit {command} the returns, e.g. "
            f"sarkit {command} returns/")


def _same(path: str | Path) -> Path:
    """A path as the file system names it, to match a path given with a result's."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):
        return Path(path)
