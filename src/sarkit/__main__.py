"""Allow `python -m sarkit`."""

from sarkit.cli import main

main()
