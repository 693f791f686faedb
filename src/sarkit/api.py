"""The analyst's Python API: `sarkit.load(paths, review=...)`, built on the pipeline every command
uses (the same reading, checks, collation, refs and analysis as `sarkit collate` and `gaps`).

    import sarkit
    review = sarkit.load("returns/", review="review.toml")
    review.entries.to_pandas()      # one row per entry: typed columns (dates as datetimes)

pandas is optional: it is imported by `to_pandas()` only, with a plain message when missing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sarkit.account import Account
from sarkit.entries import Entry
from sarkit.findings import Finding
from sarkit.pipeline.chronology import AnalysedChronology, Settings, add_trails_and_patterns
from sarkit.pipeline.chronology import load as load_chronology

Row = dict[str, Any]


class Table(list):
    """A list of sarkit's own objects (entries, findings, gaps…) that can become a DataFrame."""

    def __init__(self, items: Iterable[Any], rows: Callable[[Any], Row], types: dict[str, str],
                 columns: tuple[str, ...]) -> None:
        super().__init__(items)
        self._rows = rows
        self._types = types
        self._columns = columns

    def to_pandas(self) -> Any:
        """A pandas DataFrame with typed columns (datetimes, categories, nullable integers)."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("to_pandas() needs pandas, which sarkit does not install: "
                              "run  pip install pandas  and try again.") from None
        frame = pd.DataFrame([self._rows(item) for item in self], columns=list(self._columns))
        for name, kind in self._types.items():
            if kind.startswith("category:"):
                frame[name] = pd.Categorical(frame[name], categories=kind[9:].split("|"))
            elif kind == "datetime":
                frame[name] = pd.to_datetime(frame[name])
            else:
                frame[name] = frame[name].astype(kind)
        return frame


@dataclasses.dataclass(slots=True)
class LoadedReview:
    """What `sarkit.load` returns: the analysed chronology as tables."""

    chronology: AnalysedChronology
    entries: Table
    findings: Table
    gaps: Table
    overlaps: Table
    trails: Table
    account: AccountTable


class AccountTable(Table):
    """The closing account: one row per missing agency, unusable return and rejected row;
    `.complete` and `.to_json()` as in every command's JSON."""

    def __init__(self, account: Account) -> None:
        rows: list[Row] = [{"kind": "missing", "agency": name, "file": None, "sheet": None,
                            "row": None, "reason": "no return received"} for name in account.missing]
        rows += [{"kind": "unusable", "agency": u.agency, "file": u.file, "sheet": None,
                  "row": None, "reason": u.reason} for u in account.unusable]
        rows += [{"kind": "rejected row", "agency": r.agency, "file": r.file, "sheet": r.sheet,
                  "row": r.row, "reason": ", ".join(r.codes)} for r in account.rejected]
        super().__init__(rows, dict, {"kind": "category", "row": "Int64"},
                         ("kind", "agency", "file", "sheet", "row", "reason"))
        self.data = account

    @property
    def complete(self) -> bool:
        return self.data.complete

    def to_json(self) -> dict[str, object]:
        return self.data.to_json()


def load(paths: str | Path | Iterable[str | Path], review: str | Path | None = None, *,
         gap_days: int | None = None, window_days: int | None = None,
         agency: str | None = None) -> LoadedReview:
    """Read returns (files and folders) or one combined workbook, as `sarkit gaps` does.

    `review` is the review.toml to use (None: none, agencies taken from the files). Refs are the
    ones `sarkit collate` gave (from out/.refs.json next to review.toml) when it has run.
    """
    from sarkit.commands.options import merge_mappings
    from sarkit.returns import ReadOptions
    from sarkit.review import Review, find_review
    from sarkit.schema import load_schema

    given = [paths] if isinstance(paths, str | Path) else list(paths)
    the_review = Review() if review is None else find_review(Path(review))
    schema = load_schema(None)
    options = ReadOptions(review=the_review, schema=schema,
                          mapping=merge_mappings(the_review, schema, []), agency=agency)
    chronology = load_chronology([Path(p) for p in given], options, Settings(gap_days, window_days))
    add_trails_and_patterns(chronology)
    return tables_of(chronology)


def tables_of(chronology: AnalysedChronology) -> LoadedReview:
    """The tables of an analysed chronology."""
    collation = chronology.collation
    order = collation.agency_order
    agency = f"category:{'|'.join(order)}"
    analysis = collation.analysis
    trails = getattr(analysis, "trails", [])
    return LoadedReview(
        chronology=chronology,
        entries=Table(collation.entries, _entry_row, {
            "date": "datetime", "date_precision": "category", "date_uncertain": "bool",
            "time": "string", "end_date": "datetime", "end_time": "string", "agency": agency,
            "key_event": "boolean", "row": "Int64",
            **dict.fromkeys(("ref", "source", "event", "action", "practitioner", "analysis",
                             "flags", "agency_ref", "file", "sheet"), "string")},
            ENTRY_COLUMNS),
        findings=Table(collation.findings, _finding_row, {
            "code": "category", "severity": "category", "row": "Int64",
            **dict.fromkeys(("file", "sheet", "column", "cell", "message", "hint"), "string")},
            FINDING_COLUMNS),
        gaps=Table(analysis.gaps, dataclasses.asdict, {
            "kind": "category", "start": "datetime", "end": "datetime", "days": "Int64",
            "agency": "string", "before_ref": "string", "after_ref": "string"},
            tuple(f.name for f in dataclasses.fields(analysis.gaps[0])) if analysis.gaps else
            ("kind", "agency", "start", "end", "days", "before_ref", "after_ref",
             "others_active", "others_entries")),
        overlaps=Table(analysis.overlaps, _overlap_row, {
            "start": "datetime", "end": "datetime", "communication": "category", "id": "string"},
            ("id", "start", "end", "agencies", "refs", "communication")),
        trails=Table(trails, _plain_row, {},
                     tuple(f.name for f in dataclasses.fields(trails[0])) if trails else ()),
        account=AccountTable(collation.account),
    )


ENTRY_COLUMNS = ("ref", "date", "date_precision", "date_uncertain", "time", "end_date", "end_time",
                 "agency", "source", "event", "action", "practitioner", "analysis", "key_event",
                 "flags", "agency_ref", "file", "sheet", "row")
FINDING_COLUMNS = ("file", "sheet", "row", "column", "cell", "code", "severity", "message", "hint")


def _entry_row(e: Entry) -> Row:
    return {
        "ref": e.ref, "date": e.date.start, "date_precision": str(e.date.precision),
        "date_uncertain": e.date.uncertain, "time": e.time.strftime("%H:%M") if e.time else None,
        "end_date": e.end_date.start if e.end_date else None,
        "end_time": e.end_time.strftime("%H:%M") if e.end_time else None, "agency": e.agency,
        "source": e.source, "event": e.event, "action": e.action,
        "practitioner": e.practitioner, "analysis": e.analysis, "key_event": e.key_event,
        "flags": "; ".join(e.flags), "agency_ref": e.agency_ref, "file": e.file,
        "sheet": e.sheet, "row": e.row,
    }


def _finding_row(f: Finding) -> Row:
    return {"file": f.file, "sheet": f.sheet, "row": f.row, "column": f.column, "cell": f.cell,
            "code": f.code, "severity": str(f.severity), "message": f.message, "hint": f.hint}


def _overlap_row(o: Any) -> Row:
    return {"id": o.id, "start": o.start, "end": o.end, "agencies": list(o.agencies),
            "refs": list(o.refs), "communication": o.communication}


def _plain_row(item: Any) -> Row:
    return dataclasses.asdict(item) if dataclasses.is_dataclass(item) else dict(item)
