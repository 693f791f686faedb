"""sarkit: collate, validate and analyse Safeguarding Adults Review chronologies."""

__version__ = "0.1.0"
