"""The analyst's API (issue 14 point 5): `sarkit.load` gives the same entries, refs, gaps and
findings as the combined workbook, and typed pandas DataFrames."""

from __future__ import annotations

import builtins
import datetime as dt

import openpyxl
import pandas as pd
import pytest
from conftest import row, write_return
from typer.testing import CliRunner

import sarkit
from sarkit.cli import app


@pytest.fixture
def collated(tmp_path, review_file):
    returns = tmp_path / "returns"
    write_return(returns / "police.xlsx", [
        row(day="03/03/2025", time="09:00", event="Welfare check"),
        row(day="May 2025", time="", event="Patrols"),
        row(day="31/02/2025", event="Impossible date"),
    ])
    write_return(returns / "asc.xlsx", [row(day="?06/05/2025", time="", event="Visit")])
    result = CliRunner().invoke(app, ["collate", str(returns), "--review", str(review_file)])
    assert result.exit_code == 1, result.output  # a row rejected, the GP return missing
    # a late return after the collate: the API cites the workbook's refs, the new entry after them
    write_return(returns / "gp.xlsx", [row(day="01/03/2025", time="", event="GP letter")])
    return tmp_path


def workbook_rows(path, sheet):
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]


def test_entries_to_pandas_match_the_workbook(collated):
    review = sarkit.load(collated / "returns", review=collated / "review.toml")
    frame = review.entries.to_pandas()
    sheet = workbook_rows(collated / "out" / "combined.xlsx", "Chronology")
    police = frame[frame["agency"] != "Hill Surgery"]
    assert list(police["ref"]) == [r["Ref"] for r in sheet]
    assert list(police["event"]) == [r["Event / Contact Details"] for r in sheet]
    assert [d.to_pydatetime() for d in police["date"]] == [r["Date"] for r in sheet]  # date cells
    assert list(frame["ref"]) == ["C0004", "C0001", "C0002", "C0003"]  # GP's after the rest
    assert list(frame["date_precision"]) == ["day", "day", "month", "day"]
    assert list(frame["date_uncertain"]) == [False, False, False, True]
    assert str(frame["date"].dtype).startswith("datetime64")
    assert isinstance(frame["agency"].dtype, pd.CategoricalDtype)
    assert list(frame["agency"].cat.categories) == [
        "Testshire Police", "Testshire Adult Social Care", "Hill Surgery"]
    assert str(frame["time"].dtype) == "string"
    assert list(frame["time"].isna()) == [True, False, True, True]
    assert frame["time"].iloc[1] == "09:00"
    assert str(frame["row"].dtype) == "Int64"


def test_findings_gaps_overlaps_and_account(collated):
    review = sarkit.load([str(collated / "returns")], review=str(collated / "review.toml"))
    findings = review.findings.to_pandas()
    rejected = findings[findings["code"] == "date-invalid"]
    assert list(zip(rejected["file"].map(lambda p: p.rsplit("/", 1)[-1]), rejected["cell"],
                    strict=True)) == [("police.xlsx", "A4")]
    gaps = review.gaps.to_pandas()
    workbook_gaps = workbook_rows(collated / "out" / "combined.xlsx", "Gaps")
    # the same gaps with the same refs, but the first (GP's late entry) and GP no longer missing
    assert [tuple(g) for g in gaps[["kind", "start", "end", "days", "before_ref", "after_ref"]]
            .astype(object).where(gaps.notna(), None).itertuples(index=False)] == [
        ("all-agency", pd.Timestamp(2025, 1, 1), pd.Timestamp(2025, 2, 28), 59, None, "C0004"),
        *[(w["Kind"], pd.Timestamp(w["Start"]), pd.Timestamp(w["End"]), w["Days"], w["Before Ref"],
           w["After Ref"]) for w in workbook_gaps[1:4]]]
    assert workbook_gaps[4]["Kind"] == "missing-return"
    assert review.overlaps.to_pandas().columns.tolist() == [
        "id", "start", "end", "agencies", "refs", "communication"]
    assert review.account.complete is False
    account = review.account.to_pandas()
    assert list(account["kind"]) == ["rejected row"]
    assert list(account["row"]) == [4]
    # the trails `sarkit gaps` finds (the API once never looked for them)
    assert [(t.id, t.from_agency, t.to_agency, t.ref, t.answered, t.next_ref)
            for t in review.trails] == [
        ("T1", "Hill Surgery", "Testshire Adult Social Care", "C0004", False, "C0003"),
        ("T2", "Testshire Police", "Testshire Adult Social Care", "C0001", False, "C0003")]
    assert list(review.trails.to_pandas()["id"]) == ["T1", "T2"]


def test_a_combined_workbook_loads_too_and_pandas_is_optional(collated, monkeypatch):
    review = sarkit.load(collated / "out" / "combined.xlsx")
    assert [e.ref for e in review.entries] == ["C0001", "C0002", "C0003"]
    assert review.entries.to_pandas()["date"].iloc[0] == pd.Timestamp(dt.date(2025, 3, 3))
    real_import = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match="to_pandas\\(\\) needs pandas, which sarkit does not "
                       "install: run  pip install pandas  and try again."):
        review.entries.to_pandas()

