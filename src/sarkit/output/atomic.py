"""Writing an output safely: never over an input, never over a file without --force, atomically."""

from __future__ import annotations

import contextlib
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
    """Yield a temporary path in the same folder; rename it over `path` only if all went well."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix,
                                         dir=path.parent)
    os.close(handle)
    try:
        yield Path(temporary)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's 0600
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
