"""Raw tables as readers hand them on: every value keeps its sheet, row and column."""

from __future__ import annotations

from dataclasses import dataclass, field

from sarkit.findings import Finding

# A cell value as readers give it: str, int, float, bool, datetime.date/datetime/time or None.
CellValue = object


@dataclass(slots=True)
class RawSheet:
    """One sheet (or CSV, or Word table) as rows of values.

    `rows[i][j]` is the cell at sheet row `first_row + i` (1-based) and column
    `first_col + j` (0-based), so a finding can name its cell in A1 form.
    """

    name: str
    rows: list[list[CellValue]]
    first_row: int = 1
    first_col: int = 0
    visible: bool = True
    # merged ranges as (r1, c1, r2, c2): 1-based rows, 0-based columns
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    formulas: set[tuple[int, int]] = field(default_factory=set)  # (row, col) holding a formula
    formulas_without_value: set[tuple[int, int]] = field(default_factory=set)
    # rows holding a formula saved with no value at all, or filled by such an array formula
    # (a spill): what they show is not known, so they are never unused template rows
    unsaved_rows: set[int] = field(default_factory=set)
    hidden_rows: set[int] = field(default_factory=set)
    # (row, col) -> the spreadsheet error it shows ('#N/A'; readers give such a cell as blank)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    totals_rows: set[int] = field(default_factory=set)  # a table's totals row (Excel's own)
    # (row, col) of date cells at 00:00 whose number format shows the time (a call at midnight)
    midnights: set[tuple[int, int]] = field(default_factory=set)
    # (row, col) of cells with text struck through: True when all of it is, False when part is
    struck: dict[tuple[int, int], bool] = field(default_factory=dict)

    def cell_ref(self, index: int, col: int) -> tuple[int, int]:
        """(sheet row, sheet column) of rows[index][col]."""
        return self.first_row + index, self.first_col + col


@dataclass(slots=True)
class RawWorkbook:
    """Everything read from one input file, before the schema is applied."""

    path: str  # as given (shown to users)
    format: str  # xlsx, xlsm, xls, xlsb, ods, csv, docx, …
    sheets: list[RawSheet] = field(default_factory=list)
    date1904: bool = False
    details: dict[str, str] = field(default_factory=dict)  # Details sheet labels -> values
    findings: list[Finding] = field(default_factory=list)  # found while reading
    sha256: str = ""
    provenance: dict[str, str] = field(default_factory=dict)  # e.g. email sender, date, subject
