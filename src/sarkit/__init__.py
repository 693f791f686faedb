"""sarkit: collate, validate and analyse Safeguarding Adults Review chronologies."""

__version__ = "0.1.0"


def load(paths, review=None, **options):  # noqa: ANN001, ANN201 - see sarkit.api.load
    """Read returns or a combined workbook into tables: see `sarkit.api.load`."""
    from sarkit.api import load as load_review

    return load_review(paths, review, **options)
