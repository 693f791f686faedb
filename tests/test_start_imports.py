"""What `validate` and `collate` import before any file is read: numpy (for the analysis) only
when a chronology is analysed, so validating never imports it and the reader workers are forked
without it."""

from __future__ import annotations

import subprocess
import sys


def test_validate_and_collate_import_no_numpy_before_analysing() -> None:
    done = subprocess.run(
        [sys.executable, "-c",
         "import sys, sarkit.cli, sarkit.commands.validate, sarkit.commands.collate\n"
         "import sarkit.pipeline.chronology, sarkit.collate\n"
         "print('numpy' in sys.modules, 'sarkit.analysis' in sys.modules)\n"
         "from sarkit.collate import collate\n"
         "from sarkit.review import Review\n"
         "collate([], Review())\n"
         "print('numpy' in sys.modules)\n"],
        capture_output=True, text=True, check=True, timeout=60,
    )
    assert done.stdout.split() == ["False", "False", "True"]
