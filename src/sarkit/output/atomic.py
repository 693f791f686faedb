"""Writing an output safely: never over an input, never over a file without --force, atomically."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from sarkit.errors import SarkitError


def check_output_path(path: Path, *, force: bool, inputs: Iterable[Path] = ()) -> None:
    """Refuse an output that is one of the inputs, or that exists when --force is not given."""
    target = Path(path).resolve()
    for item in inputs:
        item = Path(item).resolve()
        if target == item or (item.is_dir() and target.is_relative_to(item) and target.exists()):
            raise SarkitError(f"The output {path} is one of the inputs; sarkit never overwrites "
                              "an input.", hint="Choose another output name, e.g. out/combined.xlsx.")
    if target.exists() and not force:
        raise SarkitError(f"The output {path} already exists.",
                          hint="Give --force to replace it, or choose another name.")


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path in the same folder; rename it over `path` only if all went well.

    Whatever goes wrong (a read-only folder, a full disk, the output open in Excel) becomes one
    sentence and exit code 2; the temporary file never stays behind and an existing output is
    left as it was.
    """
    path = Path(path)
    try:
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.stem[:60]}-", suffix=path.suffix,
                                             dir=path.parent)
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
            os.replace(temporary, path)
        except OSError as exc:
            raise cannot_write(path, exc, replacing=True) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def cannot_write(path: Path, exc: OSError, *, replacing: bool = False) -> SarkitError:
    """One sentence for an output that could not be written, saying what to do (exit code 2)."""
    folder = path.parent if str(path.parent) not in {"", "."} else Path.cwd()
    if exc.errno in {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}:
        message, hint = (f"There is not enough disk space to write {path}.",
                         "Free some space, or write somewhere else with -o.")
    elif isinstance(exc, IsADirectoryError) or (replacing and path.is_dir()):
        message, hint = (f"The output {path} is a folder, not a file.",
                         "Give a file name, e.g. out/combined.xlsx.")
    elif exc.errno == errno.ENAMETOOLONG:
        message, hint = (f"The output name {path} is too long for this computer.",
                         "Choose a shorter name or a folder nearer the top of the drive.")
    elif exc.errno == errno.EROFS:
        message, hint = (f"The folder {folder} is read-only, so {path.name} cannot be written there.",
                         "Write somewhere else with -o.")
    elif isinstance(exc, PermissionError) and replacing and path.exists():
        message, hint = (f"{path} is open in another program, probably Excel, or is read-only, "
                         "so it cannot be replaced.", "Close it and run again.")
    elif isinstance(exc, PermissionError):
        message, hint = (f"sarkit is not allowed to write {path.name} in the folder {folder}.",
                         "Write somewhere else with -o, or ask for access to the folder.")
    else:
        reason = exc.strerror or type(exc).__name__
        message, hint = (f"{path} could not be written ({reason}).", "Write somewhere else with -o.")
    return SarkitError(message, hint=hint, exit_code=2)
