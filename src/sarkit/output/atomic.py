"""Writing an output safely: never over an input, never over a file without --force, atomically.

The temporary file is named `.<name>-<random>.sarkit-tmp<suffix>` beside the output; one left by
a run that was killed outright is removed by the next run that writes into the same folder (once
it is an hour old, so a run still writing is never disturbed). An output that did not exist when
the run began is created exclusively: of two runs writing the same new file, one succeeds and the
other says so.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from sarkit.errors import SarkitError


def disk_path(path: Path | str) -> Path:
    """An output path the file system can take. Names made from display text (an agency's
    'Café', a return's name) cannot be encoded when Python runs with a narrow file-system
    encoding (LC_ALL=C with PYTHONUTF8=0): their UTF-8 bytes are used then, as the names sarkit
    reads are (os.fsdecode), so the file gets its proper name rather than a traceback."""
    text = str(path)
    try:
        text.encode(sys.getfilesystemencoding(), "surrogateescape")
    except UnicodeEncodeError:
        return Path(os.fsdecode(text.encode("utf-8", "surrogateescape")))
    return Path(path)


# A file or folder name holds at most 255 bytes (ext4, APFS; NTFS counts 255 UTF-16 units); a
# Windows path at most 259 characters (MAX_PATH), which Excel and Word need even where Windows
# allows longer ones.
NAME_LIMIT = 255
WINDOWS_PATH_LIMIT = 259
ON_WINDOWS = sys.platform == "win32"
TEMPORARY_STEM = 20  # characters of the output's name in its temporary file's name
# the temporary file's name beyond its stem and suffix: '.', '-', 8 random characters, the mark
TEMPORARY_EXTRA = 1 + 1 + 8 + len(".sarkit-tmp")


def _name_units(name: str) -> int:
    """A name's length as the file system counts it."""
    if ON_WINDOWS:
        return len(name.encode("utf-16-le", "surrogatepass")) // 2
    return len(_name_bytes(name))


def _name_bytes(name: str) -> bytes:
    """A name as the file system stores it: its UTF-8 bytes when the file-system encoding cannot
    encode it (LC_ALL=C with PYTHONUTF8=0), as disk_path writes it."""
    try:
        return name.encode(sys.getfilesystemencoding(), "surrogateescape")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogatepass")


def name_too_long(path: Path | str) -> bool:
    """True when a name in `path`, or (on Windows) the whole path with the temporary file written
    beside it, is longer than the file system takes."""
    path = Path(path)
    if any(_name_units(part) > NAME_LIMIT for part in path.parts[1 if path.anchor else 0:]):
        return True
    if ON_WINDOWS:
        room = max(len(path.name), TEMPORARY_EXTRA + TEMPORARY_STEM + len(path.suffix))
        return len(str(path.parent.absolute())) + 1 + room > WINDOWS_PATH_LIMIT
    return False


def too_long(path: Path | str) -> SarkitError:
    """The one sentence for an output whose name or path is too long (exit code 2)."""
    return SarkitError(f"The output {path} cannot be written: its name or folder path is too long "
                       "for this computer.",
                       hint="Choose a shorter file name, or an output folder nearer the top of the "
                       "drive (for example C:\\SAR\\out).", exit_code=2)


def fit_name(folder: Path, stem: str, ending: str, *, later: str = "") -> str:
    """`stem + ending`, with the stem cut (and 6 characters of its hash added, so two long names
    that begin alike stay apart) when the name, with the `later` suffix added to it, would be too
    long in `folder`. The stem is kept whole when it fits."""
    name = stem + ending
    if not name_too_long(folder / (name + later)):
        return name
    mark = "-" + hashlib.sha256(stem.encode("utf-8", "surrogatepass")).hexdigest()[:6]
    low, high = 0, len(stem)  # the longest start of the stem that fits: stem[:low] fits
    while low < high:
        middle = (low + high + 1) // 2
        if name_too_long(folder / (stem[:middle] + mark + ending + later)):
            high = middle - 1
        else:
            low = middle
    if low == 0 and name_too_long(folder / (mark[1:] + ending + later)):
        return name  # the folder itself is too long: check_output_path says so
    return (stem[:low].rstrip(" .-") + mark if low else mark[1:]) + ending


def check_name_fits(path: Path | str) -> None:
    """Refuse (exit code 2) an output whose name or path the file system cannot take."""
    if name_too_long(disk_path(path)):
        raise too_long(path)


def check_output_path(path: Path, *, force: bool, inputs: Iterable[Path] = ()) -> None:
    """Refuse an output that is one of the inputs, whose name is too long, or that exists when
    --force is not given (usage errors, exit code 2: nothing has been written)."""
    check_name_fits(path)
    target = disk_path(path).resolve()
    for item in inputs:
        item = Path(item).resolve()
        if target == item or (item.is_dir() and target.is_relative_to(item) and target.exists()):
            raise SarkitError(f"The output {path} is one of the inputs; sarkit never overwrites "
                              "an input.", hint="Choose another output name, e.g. out/combined.xlsx.",
                              exit_code=2)
    blocked = _blocked(Path(path))
    if blocked:
        raise SarkitError(blocked[0], hint=blocked[1], exit_code=2)
    if target.exists() and not force:
        raise SarkitError(f"The output {path} already exists.",
                          hint="Give --force to replace it, or choose another name.", exit_code=2)
    if target.exists():
        _MUST_BE_NEW.discard(target)
    else:
        _MUST_BE_NEW.add(target)


TEMPORARY_MARK = ".sarkit-tmp"
STALE_SECONDS = 3600
_MUST_BE_NEW: set[Path] = set()  # outputs checked as new: created exclusively


def sweep_stale_temporaries(folder: Path) -> None:
    """Remove the temporary files of runs that were killed before they could clean up."""
    cutoff = time.time() - STALE_SECONDS
    try:
        candidates = [p for p in Path(folder).iterdir()
                      if p.name.startswith(".") and TEMPORARY_MARK in p.name]
    except OSError:
        return
    for candidate in candidates:
        with contextlib.suppress(OSError):
            if candidate.is_file() and not candidate.is_symlink() \
                    and candidate.stat().st_mtime < cutoff:
                candidate.unlink()


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path in the same folder; rename it over `path` only if all went well.

    Whatever goes wrong (a read-only folder, a full disk, the output open in Excel) becomes one
    sentence and exit code 2; the temporary file never stays behind and an existing output is
    left as it was.
    """
    path = disk_path(path)
    try:
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        sweep_stale_temporaries(path.parent)
        handle, temporary = tempfile.mkstemp(prefix=f".{_temporary_stem(path.stem)}-",
                                             suffix=TEMPORARY_MARK + path.suffix, dir=path.parent)
        os.close(handle)
    except OSError as exc:
        raise cannot_write(path, exc) from None
    try:
        try:
            yield Path(temporary)
        except OSError as exc:  # the writer itself: a full disk, a vanished folder
            raise cannot_write(path, exc) from None
        umask = os.umask(0)
        os.umask(umask)
        try:
            os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's 0600
            if path.absolute().resolve() in _MUST_BE_NEW:
                _create_exclusively(Path(temporary), path)
                _MUST_BE_NEW.discard(path.absolute().resolve())
            else:
                os.replace(temporary, path)
        except OSError as exc:
            raise cannot_write(path, exc, replacing=True) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _temporary_stem(stem: str) -> str:
    """The start of the output's name that its temporary file's name carries: at most
    TEMPORARY_STEM characters and 60 bytes."""
    stem = stem[:TEMPORARY_STEM]
    while len(_name_bytes(stem)) > 60:
        stem = stem[:-1]
    return stem


def _create_exclusively(temporary: Path, path: Path) -> None:
    """Give `path` the temporary's content only if nothing has appeared there meanwhile."""
    try:
        os.link(temporary, path)  # fails if path exists: atomic on every local file system
    except FileExistsError:
        raise SarkitError(f"The output {path} was written by another run while this one was "
                          "working; this run's output was not kept.",
                          hint="Run again with --force to replace it, or choose another name.",
                          exit_code=2) from None
    except (OSError, NotImplementedError):  # no hard links here (FAT, some network drives)
        if path.exists():
            raise SarkitError(f"The output {path} was written by another run while this one was "
                              "working; this run's output was not kept.",
                              hint="Run again with --force to replace it, or choose another name.",
                              exit_code=2) from None
        os.replace(temporary, path)


def _blocked(path: Path) -> tuple[str, str] | None:
    """Message and hint when `path` is a folder, or when a folder it needs is a file (None when
    neither, or when the file system cannot even look: cannot_write then says why)."""
    try:
        if path.is_dir():
            return f"The output {path} is a folder, not a file.", "Give a file name, e.g. out/combined.xlsx."
        for parent in path.parents:
            if parent.exists() or parent.is_symlink():
                if parent.is_dir():
                    return None
                return (f"{parent} is a file, not a folder, so the output {path} cannot be written in it.",
                        "Give another folder with -o, or move or rename that file.")
    except OSError:  # a name too long to look at (ENAMETOOLONG), a vanished drive
        return None
    return None


_WINDOWS_TOO_LONG = 206  # ERROR_FILENAME_EXCED_RANGE: "The filename or extension is too long"


def _exists(path: Path) -> bool:
    """Path.exists that says False when the file system cannot look."""
    try:
        return path.exists()
    except OSError:
        return False


def cannot_write(path: Path, exc: OSError, *, replacing: bool = False) -> SarkitError:
    """One sentence for an output that could not be written, saying what to do (exit code 2)."""
    folder = path.parent if str(path.parent) not in {"", "."} else Path.cwd()
    if exc.errno in {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}:
        message, hint = (f"There is not enough disk space to write {path}.",
                         "Free some space, or write somewhere else with -o.")
    elif (replacing or isinstance(exc, IsADirectoryError | FileExistsError | NotADirectoryError)) \
            and (blocked := _blocked(path)):
        message, hint = blocked
    elif exc.errno == errno.ENAMETOOLONG or getattr(exc, "winerror", None) == _WINDOWS_TOO_LONG \
            or name_too_long(path):
        return too_long(path)
    elif exc.errno == errno.EROFS:
        message, hint = (f"The folder {folder} is read-only, so {path.name} cannot be written there.",
                         "Write somewhere else with -o.")
    elif isinstance(exc, PermissionError) and replacing and _exists(path):
        message, hint = (f"{path} is open in another program, probably Excel, or is read-only, "
                         "so it cannot be replaced.", "Close it and run again.")
    elif isinstance(exc, PermissionError):
        message, hint = (f"sarkit is not allowed to write {path.name} in the folder {folder}.",
                         "Write somewhere else with -o, or ask for access to the folder.")
    else:
        reason = exc.strerror or type(exc).__name__
        message, hint = (f"{path} could not be written ({reason}).", "Write somewhere else with -o.")
    return SarkitError(message, hint=hint, exit_code=2)
