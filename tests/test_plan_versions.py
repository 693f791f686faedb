"""Two versions of one agency's action plan: each action counted once, from the later version."""

from __future__ import annotations

from sarkit.action_plans import ActionRow
from sarkit.plan_versions import PlanFile, one_version_each, version_mark


def gp(*refs: str, status: str = "In progress", agency: str = "GP") -> list[ActionRow]:
    return [ActionRow(agency=agency, ref=ref, action=f"action {ref}", status=status) for ref in refs]


def test_version_marks_in_file_names():
    assert [version_mark(n) for n in ("gp-action-plan-v2.xlsx", "plans/GP plan version 3.xlsx",
                                      "gp_V10.xlsx", "gp (v4).xlsx", "gp-action-plan.xlsx", "gp-review.xlsx",
                                      "gp-plan (2).xlsx")] == [2, 3, 10, 4, None, None, None]


def test_the_later_version_by_its_name_is_counted_once_and_both_files_are_named():
    older = PlanFile("plans/gp-action-plan-v2.xlsx", gp("G1", "G2", "G3", status="Not started"), 200.0)
    newer = PlanFile("plans/gp-action-plan-v3.xlsx", gp("G1", "g2 ", "G3", status="Complete"), 100.0)
    rows, findings = one_version_each([older, newer])
    assert [(r.ref, r.status) for r in rows] == [("G1", "Complete"), ("g2 ", "Complete"), ("G3", "Complete")]
    [repeat] = findings
    assert (repeat.code, repeat.severity, repeat.file) == ("several-plans", "warning", older.path)
    assert repeat.message == (
        "GP has two versions of its action plan, this file and plans/gp-action-plan-v3.xlsx: 3 actions "
        "in both (the same Ref, or the same Recommendation and Action) are counted once, as "
        "plans/gp-action-plan-v3.xlsx gives them, the later version (by the version in its name).")


def test_without_a_version_mark_the_file_modified_last_is_the_later_and_no_action_is_lost():
    first = PlanFile("gp-action-plan.xlsx", gp("G1", "G2", "G9", status="Not started"), modified=300.0)
    second = PlanFile("gp plan updated.xlsx", gp("G1", "G2", status="Complete"), modified=100.0)
    rows, findings = one_version_each([first, second])
    assert [(r.ref, r.status) for r in rows] == [("G1", "Not started"), ("G2", "Not started"),
                                                 ("G9", "Not started")]
    [repeat] = findings
    assert repeat.file == "gp plan updated.xlsx"
    assert repeat.message == (
        "GP has two versions of its action plan, this file and gp-action-plan.xlsx: 2 actions in both "
        "(the same Ref, or the same Recommendation and Action) are counted once, as gp-action-plan.xlsx "
        "gives them, the later version (the file modified last).")
    # the earlier file's own actions are still counted, and said so
    rows, findings = one_version_each([second, first])
    assert sorted(r.ref for r in rows) == ["G1", "G2", "G9"]
    rows, findings = one_version_each([PlanFile("a-v2.xlsx", gp("G1", "G9")),
                                       PlanFile("a-v3.xlsx", gp("G1"))])
    assert [(r.ref, r.status) for r in rows] == [("G9", "In progress"), ("G1", "In progress")]
    assert findings[0].message.endswith("The 1 action only in this file is still counted.")


def test_two_plans_with_different_actions_and_other_agencies_are_all_counted():
    single = PlanFile("asc-single.xlsx", gp("A1", "A2", agency="ASC"))
    multi = PlanFile("asc-multi.xlsx", gp("M1", agency="ASC"))
    police = PlanFile("police.xlsx", gp("A1", agency="Police"))
    rows, findings = one_version_each([single, multi, police])
    assert [(r.agency, r.ref) for r in rows] == [
        ("ASC", "A1"), ("ASC", "A2"), ("ASC", "M1"), ("Police", "A1")]
    assert findings == []


def test_the_same_ref_twice_in_one_plan_is_two_actions():
    rows = [ActionRow(agency="GP", ref="1", action="Train"), ActionRow(agency="GP", ref="1", action="Audit")]
    kept, findings = one_version_each([PlanFile("gp.xlsx", rows)])
    assert kept == rows and findings == []


def test_without_a_ref_the_recommendation_and_action_say_which_action():
    older = PlanFile("gp-v1.xlsx", [ActionRow(agency="GP", recommendation="Share risk",
                                              action="Train  staff")])
    newer = PlanFile("gp-v2.xlsx", [ActionRow(agency="GP", recommendation="share risk", action="Train staff",
                                              status="Complete"),
                                    ActionRow(agency="GP", recommendation="share risk", action="Audit")])
    rows, findings = one_version_each([older, newer])
    assert [(r.action, r.status) for r in rows] == [("Train staff", "Complete"), ("Audit", "Not recorded")]
    assert [f.file for f in findings] == ["gp-v1.xlsx"]
