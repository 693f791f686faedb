"""`sarkit init`: the review folder, its review.toml, and refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.review import Agency, load_review

runner = CliRunner()


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def test_init_creates_the_folder_and_a_review_toml_with_the_values_given(tmp_path):
    result = runner.invoke(app, [
        "init", "case", "--reference", "SAR-2025-07", "--subject", "Adult B",
        "--start", "01/04/2024", "--end", "2025-09-30",
        "--agency", "Northshire Police=Police", "--agency", "Riverside Medical Practice",
    ])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Created case/review.toml",
        "Created case/returns/",
        "Created case/out/",
        "Each agency's short name, initials and file name patterns are in review.toml (aliases, "
        "files): check them against the returns' names.",
    ]
    assert result.stderr == ""
    assert (tmp_path / "case" / "returns").is_dir()
    assert (tmp_path / "case" / "out").is_dir()
    review = load_review(tmp_path / "case" / "review.toml")
    assert review.reference == "SAR-2025-07"
    assert review.subject == "Adult B"
    assert review.period_start == dt.date(2024, 4, 1)
    assert review.period_end == dt.date(2025, 9, 30)
    assert review.agencies == [
        Agency(name="Northshire Police", short="Police", aliases=("Police",), files=("*police*",)),
        Agency(name="Riverside Medical Practice", short="Riverside Medical Practice",
               aliases=("RMP",), files=("*riverside*medical*practice*", "*rmp*")),
    ]
    assert review.marking == "OFFICIAL-SENSITIVE"
    assert review.gap_days == 28
    assert review.overlap_window_days == 0


def test_init_without_options_asks_nothing_and_writes_a_loadable_file(tmp_path):
    result = runner.invoke(app, ["init", "case"], input="")
    assert result.exit_code == 0, result.output
    review = load_review(tmp_path / "case" / "review.toml")
    assert review.reference == ""
    assert review.period_start is None and review.period_end is None
    assert review.agencies == []


def test_init_at_a_terminal_asks_for_a_missing_reference_and_subject(tmp_path, monkeypatch):
    monkeypatch.setattr("sarkit.commands.init.at_terminal", lambda: True)
    result = runner.invoke(app, ["init", "case", "--start", "01/01/2025"], input="SAR-9\nAdult D\n")
    assert result.exit_code == 0, result.output
    review = load_review(tmp_path / "case" / "review.toml")
    assert (review.reference, review.subject) == ("SAR-9", "Adult D")


def test_init_at_a_terminal_asks_nothing_that_was_given(tmp_path, monkeypatch):
    monkeypatch.setattr("sarkit.commands.init.at_terminal", lambda: True)
    result = runner.invoke(app, ["init", "case", "--reference", "R", "--subject", "Adult E"], input="")
    assert result.exit_code == 0, result.output
    assert "Review reference" not in result.output and "pseudonym" not in result.output
    assert load_review(tmp_path / "case" / "review.toml").subject == "Adult E"


def test_init_in_an_existing_folder_creates_only_what_is_missing(tmp_path):
    (tmp_path / "case" / "returns").mkdir(parents=True)
    (tmp_path / "case" / "returns" / "police.xlsx").write_bytes(b"kept")
    result = runner.invoke(app, ["init", "case", "--reference", "R1"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["Created case/review.toml", "Created case/out/"]
    assert (tmp_path / "case" / "returns" / "police.xlsx").read_bytes() == b"kept"


def test_init_refuses_to_overwrite_a_review_toml(tmp_path):
    (tmp_path / "case").mkdir()
    (tmp_path / "case" / "review.toml").write_text("# mine\n", "utf-8")
    result = runner.invoke(app, ["init", "case", "--reference", "R2"])
    assert result.exit_code == 2
    assert "case/review.toml already exists" in result.stderr
    assert "Edit it" in result.stderr
    assert result.stdout == ""
    assert (tmp_path / "case" / "review.toml").read_text("utf-8") == "# mine\n"
    assert not (tmp_path / "case" / "out").exists()


def test_init_refuses_a_path_that_is_a_file(tmp_path):
    (tmp_path / "case").write_text("not a folder", "utf-8")
    result = runner.invoke(app, ["init", "case"])
    assert result.exit_code == 2
    assert "is a file, not a folder" in result.stderr


@pytest.mark.parametrize("args", [
    ["--start", "31/02/2024"],
    ["--start", "2024/04/01"],
    ["--end", "April 2024"],
    ["--start", "01/05/2024", "--end", "30/04/2024"],
    ["--agency", "=Police"],
    ["--agency", "Northshire Police="],
    ["--agency", "Northshire Police", "--agency", "northshire police=NP"],
    ["--no-such-option"],
])
def test_init_usage_errors_exit_2_and_create_nothing(tmp_path, args):
    result = runner.invoke(app, ["init", "case", *args])
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "case").exists()


def test_init_accepts_both_date_forms(tmp_path):
    result = runner.invoke(app, ["init", "case", "--start", "2024-04-01", "--end", "30/09/2025"])
    assert result.exit_code == 0, result.output
    review = load_review(tmp_path / "case" / "review.toml")
    assert (review.period_start, review.period_end) == (dt.date(2024, 4, 1), dt.date(2025, 9, 30))


def test_init_keeps_quotes_and_non_ascii_text_intact(tmp_path):
    result = runner.invoke(app, [
        "init", "case", "--reference", 'SAR "2025"', "--subject", "Adult É",
        "--agency", "Ysbyty Gwynedd & Môn=Hospital",
    ])
    assert result.exit_code == 0, result.output
    review = load_review(tmp_path / "case" / "review.toml")
    assert review.reference == 'SAR "2025"'
    assert review.subject == "Adult É"
    assert review.agencies == [Agency(name="Ysbyty Gwynedd & Môn", short="Hospital",
                                      aliases=("Hospital", "YGM"),
                                      files=("*hospital*", "*ysbyty*gwynedd*môn*", "*ygm*"))]


def test_init_help_has_an_example_and_explains_short_names():
    result = runner.invoke(app, ["init", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    assert "sarkit init SAR-2025-07 --reference SAR-2025-07" in result.stdout
    assert '"Name=Short"' in result.stdout


def test_init_fills_aliases_and_file_patterns_so_the_agencys_own_file_names_are_known(tmp_path):
    result = runner.invoke(app, ["init", "case", "-q", "--subject", "Adult B",
                                 "--agency", "North West Ambulance Service=Ambulance",
                                 "--agency", "Housing"])
    assert result.exit_code == 0, result.output
    assert result.output == ""
    review = load_review(tmp_path / "case" / "review.toml")
    assert [(a.aliases, a.files) for a in review.agencies] == [
        (("Ambulance", "NWAS"), ("*ambulance*", "*nwas*")),
        ((), ("*housing*",)),
    ]
    names = ["Ambulance-chronology.xlsx", "nwas_return_v2.csv", "North West Ambulance Service.xls",
             "Housing-chronology.xlsx", "gp.xlsx"]
    assert [getattr(review.agency_for_file(n), "short", None) for n in names] == [
        "Ambulance", "Ambulance", "Ambulance", "Housing", None]


@pytest.mark.parametrize(("subject", "warned"), [
    ("Jane Smith", True), ("Mary-Ann O'Neill", True), ("Adult B", False), ("Child C", False),
    ("Mr A", False), ("Ruby", False), ("AB", False), ("Adult B2", False),
])
def test_init_warns_when_the_subject_looks_like_a_real_name(tmp_path, subject, warned):
    result = runner.invoke(app, ["init", "case", "--subject", subject])
    assert result.exit_code == 0, result.output
    warning = ("Warning: the subject given looks like a real name (a first name and a surname), not "
               "a pseudonym. Every output shows it. If it is a real name, change subject in "
               'case/review.toml to a pseudonym such as "Adult B".\n')
    assert result.stderr == (warning if warned else "")
    assert subject not in result.output
