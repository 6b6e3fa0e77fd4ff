"""The likely index on a small hand-built case: criteria, areas, total, attribution, what-if, summary.

The case (as of 30/06/2024):
  Area I "Công tác chỉ đạo, điều hành CCHC"
    1.1 yes/no from scores, 0.5 (self 0.5, no evidence)
    1.2 bands plan_completion "100%: 2; 80%: 1; 0%: 0", 2.0, Phòng Nội vụ
    1.3 deduction late_reports 0.25, 1.0, Phòng Nội vụ
    1.4 survey, 1.0, no scores -> unknown
  Area III "Cải cách thủ tục hành chính"
    3.1 bands dossier_on_time:commune "100%: 3; 98%: 2; 95%: 1; 0%: 0; apology: 0.5", 3.0, Văn phòng
    3.2 bands dossier_online "50%: 2; 30%: 1; 0%: 0", 2.0, Phòng Văn hóa và Thông tin
Tasks: 1 done on time, 2 done late (1.3), 3 open overdue (1.3), 4 done on time, 5 open in time,
6 open overdue -> due = 3 done + 2 overdue = 5, done 3/5 = 60 %.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
from factories import area, dossier, frame, leaf, score, task, unit, year_data
from unit_names import BA_TO_COMMUNE, BA_TO_TOWN, NOI_VU, TU_PHAP, VAN_HOA, VAN_PHONG

from analysis.engine.attribution import deductions_by_unit, points_at_stake, self_score_audit, what_if
from analysis.engine.data import YearData
from analysis.engine.scoring import (
    ATTRIBUTION_NOTE,
    CRITERIA_COLUMNS,
    criteria_scores,
    index_by_area,
    index_total,
    rank_label,
    rank_name,
)
from analysis.engine.summary import build_summary

AS_OF = date(2024, 6, 30)
UNITS = [
    unit("21523", BA_TO_COMMUNE, "commune"),
    unit("21484", BA_TO_TOWN, "town"),
    unit("TP", TU_PHAP, "office"),
]


DOSSIER_BANDS = "100%: 3; 98%: 2; 95%: 1; 0%: 0; apology: 0.5"


@pytest.fixture
def case() -> YearData:
    return year_data(
        framework=[
            area("I", "Công tác chỉ đạo, điều hành CCHC", 4.5),
            leaf("1.1", "I", 0.5, "yesno", unit=VAN_PHONG),
            leaf("1.2", "I", 2.0, "bands", "plan_completion", "100%: 2; 80%: 1; 0%: 0", unit=NOI_VU),
            leaf("1.3", "I", 1.0, "deduction", "late_reports", "0.25", unit=NOI_VU),
            leaf("1.4", "I", 1.0, "manual", kind="survey"),
            area("III", "Cải cách thủ tục hành chính", 5.0),
            leaf("3.1", "III", 3.0, "bands", "dossier_on_time:commune", DOSSIER_BANDS, unit=VAN_PHONG),
            leaf("3.2", "III", 2.0, "bands", "dossier_online", "50%: 2; 30%: 1; 0%: 0", unit=VAN_HOA),
        ],
        tasks=[
            task("1", NOI_VU, "2024-03-31", "2024-03-20"),  # done on time
            task("2", TU_PHAP, "2024-03-31", "2024-04-10", criterion="1.3"),  # done late
            task("3", TU_PHAP, "2024-05-31", criterion="1.3"),  # open overdue
            task("4", NOI_VU, "2024-06-30", "2024-06-01"),  # done on time
            task("5", VAN_HOA, "2024-09-30"),  # open in time
            task("6", NOI_VU, "2024-04-30"),  # open overdue
        ],
        dossiers=_dossiers(),
        scores=[score("1.1", 0.5), score("1.2", 2.0, evidence="Báo cáo số 12/BC-UBND")],
        units=UNITS,
    )


def _dossiers() -> list[dict]:
    rows = []
    # Communes and the town: 40 + 9 + 1 = 50 dossiers; 49 on time or early, 1 late without apology.
    rows += [
        dossier(i, BA_TO_COMMUNE, "resolved_on_time", "online" if i < 20 else "direct") for i in range(40)
    ]
    rows += [dossier(100 + i, BA_TO_TOWN, "resolved_early") for i in range(9)]
    rows += [dossier(200, BA_TO_TOWN, "resolved_late", "online", apology=False)]
    # An office: 10 late dossiers, all with an apology slip; all online. Not in the commune scope.
    rows += [dossier(300 + i, TU_PHAP, "resolved_late", "online", apology=True) for i in range(10)]
    # Outside the window: received after as_of, and received the previous year.
    rows += [
        dossier(400, BA_TO_COMMUNE, "resolved_late", apology=False, received="2024-07-05", resolved=None)
    ]
    rows += [dossier(401, BA_TO_COMMUNE, "resolved_late", apology=False, received="2023-12-28")]
    return rows


def crit(criteria: pd.DataFrame, code: str) -> pd.Series:
    return criteria.set_index("code").loc[code]


# criteria_scores ----------------------------------------------------------------------------


def test_criteria_columns_and_one_row_per_leaf(case):
    criteria = criteria_scores(case, AS_OF)
    assert list(criteria.columns) == CRITERIA_COLUMNS
    assert criteria["code"].tolist() == ["1.1", "1.2", "1.3", "1.4", "3.1", "3.2"]


def test_plan_completion_band_and_causes(case):
    c = crit(criteria_scores(case, AS_OF), "1.2")
    # done 3 (tasks 1, 2, 4) / due 5 (+ overdue 3, 6) = 60 % -> the 0 % band -> 0 of 2.
    assert c["metric_value"] == pytest.approx(0.6)
    assert c["likely"] == 0.0
    assert c["deducted"] == 2.0
    assert sorted(c["causes"]) == ["3", "6"]  # the open overdue tasks (task 2 is late but done)
    assert c["why"] == "2/5 nhiệm vụ của kế hoạch đến hạn chưa hoàn thành → 60 % → đạt mức ≥ 0 % → 0 / 2 điểm"


def test_late_reports_deduction(case):
    c = crit(criteria_scores(case, AS_OF), "1.3")
    # Linked: task 2 (done late) and 3 (open overdue) -> 2 events x 0.25 = 0.5 -> 1 - 0.5 = 0.5.
    assert (c["likely"], c["deducted"], c["metric_value"]) == (0.5, 0.5, 2.0)
    assert sorted(c["causes"]) == ["2", "3"]


def test_yesno_from_scores_and_survey_unknown(case):
    criteria = criteria_scores(case, AS_OF)
    assert crit(criteria, "1.1")["likely"] == 0.5  # self 0.5 = max -> yes
    survey = crit(criteria, "1.4")
    assert survey["status"] == "unknown"
    assert math.isnan(survey["likely"]) and math.isnan(survey["deducted"])
    assert survey["max_points"] == 1.0


def test_commune_dossiers_on_time_with_apology_clause(case):
    c = crit(criteria_scores(case, AS_OF), "3.1")
    # Commune/town scope: 49 / 50 = 98 % -> 2 points; one late without Mẫu 04 -> 2 - 0.5 = 1.5.
    # (The office's 10 late dossiers, the July dossier and the 2023 dossier are outside the scope.)
    assert c["metric_value"] == pytest.approx(0.98)
    assert (c["likely"], c["deducted"]) == (1.5, 1.5)
    assert c["causes"] == []


def test_online_share_over_all_dossiers(case):
    c = crit(criteria_scores(case, AS_OF), "3.2")
    # Online: 20 commune + 1 town + 10 office = 31 of 40 + 9 + 1 + 10 = 60 -> 51.67 % -> the 50 % band -> 2.
    assert c["metric_value"] == pytest.approx(31 / 60)
    assert c["likely"] == 2.0


def test_dossier_resolved_after_as_of_is_not_yet_resolved(case):
    # At 05/02/2024 no dossier is resolved (all resolved 10/02) -> no data -> no scores -> unknown.
    c = crit(criteria_scores(case, date(2024, 2, 5)), "3.1")
    assert c["status"] == "unknown"
    assert "Chưa có hồ sơ của xã, thị trấn đã giải quyết" in c["why"]


def test_scores_latest_quarter_up_to_as_of(case):
    case = replace(
        case,
        scores=frame(
            "scores",
            [score("1.1", 0.0, quarter=1), score("1.1", 0.5, quarter=2), score("1.1", 0.0, quarter=3)],
        ),
    )
    # As of 30/06 -> quarter 2 is the latest allowed -> 0.5 (yes).
    assert crit(criteria_scores(case, AS_OF), "1.1")["likely"] == 0.5
    # As of 31/03 -> quarter 1 -> 0 (no).
    assert crit(criteria_scores(case, date(2024, 3, 31)), "1.1")["likely"] == 0.0


def test_scores_of_another_unit_or_year_are_not_used(case):
    case = replace(
        case,
        scores=frame("scores", [score("1.1", 0.5, unit=BA_TO_COMMUNE), {**score("1.1", 0.5), "year": 2023}]),
    )
    assert crit(criteria_scores(case, AS_OF), "1.1")["status"] == "unknown"


def test_not_applicable_removes_the_max(case):
    case = replace(case, scores=frame("scores", [score("1.1", 0.5), score("1.4", na=True)]))
    criteria = criteria_scores(case, AS_OF)
    c = crit(criteria, "1.4")
    assert (c["status"], bool(c["applicable"]), c["deducted"]) == ("not_applicable", False, 0.0)
    total = index_total(criteria)
    # max 9.5 - 1 (n/a) = 8.5; nothing unknown; likely 4.5 -> 52.94 %.
    assert total["max"] == 8.5
    assert total["unknown_max"] == 0.0
    assert total["percent"] == pytest.approx(100 * 4.5 / 8.5)


def test_criterion_tasks_yesno_and_fallback():
    framework = frame(
        "framework",
        [
            area("I", "Chỉ đạo", 2.0),
            leaf("1.1", "I", 0.5, "yesno", "criterion_tasks"),
            leaf("1.2", "I", 1.0, "bands", "criterion_tasks", "100%: 1; 50%: 0.5"),
            leaf("1.3", "I", 0.5, "yesno", "criterion_tasks"),
        ],
    )
    tasks = frame(
        "tasks",
        [
            task("1", NOI_VU, "2024-03-31", "2024-03-01", criterion="1.1"),
            task("2", NOI_VU, "2024-03-31", "2024-03-02", criterion="1.1"),
            task("3", NOI_VU, "2024-03-31", "2024-03-01", criterion="1.3"),
            task("4", TU_PHAP, "2024-03-31", "2024-05-01", criterion="1.3"),  # done late
        ],
    )
    scores = frame("scores", [score("1.2", 0.75)])
    criteria = criteria_scores(year_data(framework=framework, scores=scores, tasks=tasks, units=UNITS), AS_OF)
    # 1.1: both linked tasks done on time -> yes -> 0.5.
    assert crit(criteria, "1.1")["likely"] == 0.5
    # 1.2: no task linked -> falls back to self 0.75, saying so.
    c = crit(criteria, "1.2")
    assert (c["likely"], c["source"]) == (0.75, "scores")
    assert c["why"].startswith("Chưa có nhiệm vụ nào gắn tiêu chí → ")
    # 1.3: task 4 done late -> not every task on time -> 0; task 4 is the cause.
    c = crit(criteria, "1.3")
    assert (c["likely"], c["causes"]) == (0.0, ["4"])


def test_assessed_unit_scope_and_diacritics(case):
    # Ba Tơ (the town): 9 early + 1 late without apology = 90 % -> 0 band -> 0 - 0.5 floors at 0.
    town = crit(criteria_scores(case, AS_OF, BA_TO_TOWN), "3.1")
    assert town["metric_value"] == pytest.approx(0.9)
    assert town["likely"] == 0.0
    # Ba Tô (the commune): 40 on time / 40 = 100 % -> 3; its July and 2023 dossiers are out of scope.
    commune = crit(criteria_scores(case, AS_OF, BA_TO_COMMUNE), "3.1")
    assert commune["metric_value"] == 1.0
    assert commune["likely"] == 3.0


def test_assessed_unit_plan_is_its_own_tasks(case):
    c = crit(criteria_scores(case, AS_OF, TU_PHAP), "1.2")
    # Tư pháp leads tasks 2 (done late) and 3 (open overdue): done 1 / due 2 = 50 % -> 0.
    assert c["metric_value"] == 0.5
    assert c["causes"] == ["3"]


def test_empty_frames():
    criteria = criteria_scores(year_data(), AS_OF)
    assert criteria.empty
    assert index_total(criteria) == dict(
        max=0.0, likely=0.0, deducted=0.0, unknown_max=0.0, pending_max=0.0, percent=None
    )


# Aggregation ------------------------------------------------------------------------------


def test_index_total(case):
    total = index_total(criteria_scores(case, AS_OF))
    # max 0.5 + 2 + 1 + 1 + 3 + 2 = 9.5; likely 0.5 + 0 + 0.5 + 1.5 + 2 = 4.5;
    # deducted 0 + 2 + 0.5 + 1.5 + 0 = 4.0; unknown 1.0 (1.4); percent 4.5 / 8.5 = 52.94 %.
    assert total["max"] == 9.5
    assert total["likely"] == 4.5
    assert total["deducted"] == 4.0
    assert total["unknown_max"] == 1.0
    assert total["percent"] == pytest.approx(52.941176, abs=1e-5)


def test_index_by_area(case):
    areas = index_by_area(criteria_scores(case, AS_OF), case.framework)
    assert areas["area"].tolist() == ["I", "III"]
    assert areas["name"].tolist() == ["Công tác chỉ đạo, điều hành CCHC", "Cải cách thủ tục hành chính"]
    first, third = areas.iloc[0], areas.iloc[1]
    # I: max 4.5, likely 0.5 + 0 + 0.5 = 1.0, deducted 2.5, unknown 1.0 -> 1 / 3.5 = 28.57 %.
    assert (first["max"], first["likely"], first["deducted"], first["unknown_max"]) == (4.5, 1.0, 2.5, 1.0)
    assert first["percent"] == pytest.approx(100 / 3.5)
    # III: max 5, likely 1.5 + 2 = 3.5, deducted 1.5 -> 70 %.
    assert (third["max"], third["likely"], third["deducted"], third["percent"]) == (5.0, 3.5, 1.5, 70.0)


def test_area_with_only_unknown_criteria_has_no_percent():
    framework = frame(
        "framework", [area("VIII", "Tác động", 15), leaf("8.1", "VIII", 15, "manual", kind="survey")]
    )
    criteria = criteria_scores(year_data(framework=framework), AS_OF)
    assert index_by_area(criteria, framework)["percent"].tolist() == [None]
    assert index_total(criteria)["percent"] is None


def test_areas_in_roman_order():
    framework = frame(
        "framework",
        [leaf(c, a, 1, "manual") for c, a in [("10.1", "X"), ("4.1", "IV"), ("9.1", "IX"), ("2.1", "II")]],
    )
    scores = frame("scores", [score(c, 1) for c in ("10.1", "4.1", "9.1", "2.1")])
    criteria = criteria_scores(year_data(framework=framework, scores=scores), AS_OF)
    assert index_by_area(criteria)["area"].tolist() == ["II", "IV", "IX", "X"]


@pytest.mark.parametrize(
    ("percent", "label", "name"),
    [
        (100, "A", "Xuất sắc"),
        (90, "A", "Xuất sắc"),
        (89.99, "B", "Tốt"),
        (80, "B", "Tốt"),
        (79.99, "C", "Khá"),
        (70, "C", "Khá"),
        (69.99, "D", "Trung bình"),
        (0, "D", "Trung bình"),
    ],
)
def test_rank_label(percent, label, name):
    assert rank_label(percent) == label
    assert rank_name(percent) == name


def test_rank_without_percent():
    assert rank_label(None) == "—"


# Attribution ------------------------------------------------------------------------------


def test_deductions_by_unit(case):
    criteria = criteria_scores(case, AS_OF)
    units = deductions_by_unit(criteria, case.tasks, AS_OF)
    # 1.2 loses 2 -> causes 3 (Tư pháp) and 6 (Nội vụ) -> 1 each.
    # 1.3 loses 0.5 -> causes 2 and 3, both Tư pháp -> 0.5.
    # 3.1 loses 1.5 -> its responsible unit, Văn phòng.
    # Tư pháp 1 + 0.5 = 1.5; Văn phòng 1.5; Nội vụ 1.0. Ties by name: "Phòng Tư pháp" < "Văn phòng ...".
    assert units["unit"].tolist() == [TU_PHAP, VAN_PHONG, NOI_VU]
    assert units["points"].tolist() == [1.5, 1.5, 1.0]
    assert units["points"].sum() == pytest.approx(index_total(criteria)["deducted"])


def test_attribution_note_is_vietnamese():
    assert "đơn vị chịu trách nhiệm" in ATTRIBUTION_NOTE
    assert "nhiệm vụ trễ hạn hoặc quá hạn" in ATTRIBUTION_NOTE


# points at stake / what if ----------------------------------------------------------------


def test_points_at_stake_small_case():
    # 5 due tasks, 4 done -> 80 % -> 1.0; finishing the fifth -> 100 % -> 2.0: gain 1.0.
    # A sixth task not yet due: finishing it -> 5 done / 6 due = 83 % -> still 1.0: gain 0.
    framework = frame(
        "framework",
        [
            area("I", "Chỉ đạo", 2),
            leaf("1.2", "I", 2.0, "bands", "plan_completion", "100%: 2; 80%: 1; 0%: 0"),
        ],
    )
    rows = [task(str(i), NOI_VU, "2024-03-31", "2024-03-01") for i in range(1, 5)]
    rows += [task("5", TU_PHAP, "2024-05-31"), task("6", VAN_HOA, "2024-12-31")]
    data = year_data(framework=framework, tasks=rows)
    stake = points_at_stake(data, AS_OF)
    assert list(stake.columns) == ["code", "title", "lead_unit", "deadline", "state", "gain"]
    assert stake["code"].tolist() == ["5", "6"]
    assert stake["gain"].tolist() == [1.0, 0.0]
    assert stake["state"].tolist() == ["open_overdue", "open_in_time"]
    assert index_total(criteria_scores(data, AS_OF))["likely"] == 1.0
    assert what_if(data, AS_OF, ["5"])["likely"] == 2.0
    # Finishing both: 6 done / 6 due = 100 % -> 2.0.
    assert what_if(data, AS_OF, ["5", "6"])["likely"] == 2.0


def test_points_at_stake_order_and_gain(case):
    stake = points_at_stake(case, AS_OF)
    # Open: 3 (overdue 31/05), 5 (in time 30/09), 6 (overdue 30/04).
    # Finishing 3 or 6 -> done 4 / due 5 = 80 % -> 1 point (late_reports unchanged: still 2 late) -> gain 1.
    # Finishing 5 -> 4 done / 6 due = 66.7 % -> 0 -> gain 0. Ties by deadline: 6 (30/04) before 3 (31/05).
    assert stake["code"].tolist() == ["6", "3", "5"]
    assert stake["gain"].tolist() == [1.0, 1.0, 0.0]


def test_what_if(case):
    result = what_if(case, AS_OF, ["3", "6"])
    # Plan: 5 / 5 = 100 % -> 2 (+2); 1.3 still 2 late events -> 0.5. likely 4.5 + 2 = 6.5; deducted 2.0.
    assert result["likely"] == 6.5
    assert result["deducted"] == 2.0
    assert result["percent"] == pytest.approx(100 * 6.5 / 8.5)


def test_what_if_ignores_done_tasks_and_rejects_unknown_codes(case):
    assert what_if(case, AS_OF, ["1"])["likely"] == 4.5  # task 1 is already done
    with pytest.raises(ValueError, match="99"):
        what_if(case, AS_OF, ["99"])


# Self-assessment audit --------------------------------------------------------------------


def test_self_score_audit(case):
    audit = self_score_audit(criteria_scores(case, AS_OF))
    rows = {(r["code"], r["issue"]): r for r in audit.to_dict("records")}
    # 1.2: self 2.0 but the plan is 60 % done -> 0 supported.
    over = rows[("1.2", "over_scored")]
    assert (over["self_points"], over["supported"]) == (2.0, 0.0)
    assert "Tự chấm 2 điểm" in over["message"]
    # 1.1: self 0.5 and no evidence.
    assert ("1.1", "no_evidence") in rows
    # 1.1 is scored from the sheet itself, so it cannot be over-scored against data; 1.2 has evidence.
    assert set(rows) == {("1.2", "over_scored"), ("1.1", "no_evidence")}


# Summary ----------------------------------------------------------------------------------


def test_build_summary(case):
    summary = build_summary(case, AS_OF)
    json.dumps(summary)  # serialisable as is
    assert summary["year"] == 2024 and summary["as_of"] == "2024-06-30" and summary["unit"] is None
    # 6 assigned; done on time 1, 4; late 2; open in time 5; overdue 3, 6; due 3 + 2 = 5; 3/5 = 0.6; 3/6 = 0.5.
    assert summary["tasks"] == {
        "assigned": 6,
        "due": 5,
        "done": 3,  # 1, 4 on time and 2 late
        "done_of_due": 3,  # 1, 2, 4 (all three have deadlines on or before 30/6)
        "done_on_time": 2,
        "done_late": 1,
        "open_in_time": 1,
        "open_overdue": 2,
        "done_ratio_of_due": 0.6,
        "done_ratio_of_assigned": 0.5,
    }
    units = {row["unit"]: row for row in summary["tasks_by_unit"]}
    # Nội vụ: 1, 4 on time, 6 overdue -> 2 / 3 = 0.6667.
    assert units[NOI_VU]["done_ratio_of_due"] == 0.6667
    assert [row["area"] for row in summary["tasks_by_area"]] == ["I"]
    index = summary["index"]
    assert (index["max"], index["likely"], index["deducted"], index["unknown_max"]) == (9.5, 4.5, 4.0, 1.0)
    assert index["percent"] == 52.94  # 52.941176... rounded to 2
    assert index["rank"] == "D"
    assert index["by_area"][1] == {
        "area": "III",
        "name": "Cải cách thủ tục hành chính",
        "max": 5.0,
        "likely": 3.5,
        "deducted": 1.5,
    }
    survey = next(row for row in index["by_criterion"] if row["code"] == "1.4")
    assert survey["likely"] is None and survey["status"] == "unknown"
    assert set(index["by_criterion"][0]) == {"code", "max", "likely", "deducted", "metric", "status", "why"}


def test_build_summary_for_a_unit(case):
    summary = build_summary(case, AS_OF, TU_PHAP)
    # Tư pháp: tasks 2 (late) and 3 (overdue) -> due 2, done 1 -> 0.5.
    assert summary["tasks"]["assigned"] == 2
    assert summary["tasks"]["done_ratio_of_due"] == 0.5
    assert [row["unit"] for row in summary["tasks_by_unit"]] == [TU_PHAP]


def test_build_summary_empty():
    summary = build_summary(year_data(), AS_OF)
    json.dumps(summary)
    assert summary["tasks"]["assigned"] == 0 and summary["tasks"]["done_ratio_of_due"] is None
    assert summary["index"]["percent"] is None and summary["index"]["rank"] is None


def test_scores_match_units_after_nfc_but_keep_diacritics(case):
    import unicodedata

    case = replace(
        case, scores=frame("scores", [score("1.1", 0.5, unit=unicodedata.normalize("NFD", BA_TO_COMMUNE))])
    )
    # The same name typed in NFD is the same unit: 0.5 = max -> yes.
    assert crit(criteria_scores(case, AS_OF, BA_TO_COMMUNE), "1.1")["likely"] == 0.5
    # Ba Tơ is another unit: no scores -> unknown.
    assert crit(criteria_scores(case, AS_OF, BA_TO_TOWN), "1.1")["status"] == "unknown"


def test_build_summary_accepts_a_timestamp(case):
    summary = build_summary(case, pd.Timestamp(AS_OF))
    assert summary["as_of"] == "2024-06-30"
    assert summary["index"]["likely"] == 4.5


# Official sources first -------------------------------------------------------------------


def test_appraisal_is_final_and_the_data_rule_is_shown_as_a_check(case):
    case = replace(
        case,
        scores=frame(
            "scores", [score("1.1", 0.5), score("1.2", 2.0, appraised=1.0, evidence="Báo cáo số 12/BC-UBND")]
        ),
    )
    criteria = criteria_scores(case, AS_OF)
    c = crit(criteria, "1.2")
    # Data: 3 done of 5 due = 60 % -> the 0 % band -> 0. The council appraised 1.0: that is final.
    assert (c["likely"], c["deducted"], c["source"]) == (1.0, 1.0, "scores")
    assert c["data_points"] == 0.0
    assert "thẩm định" in c["why"] and "theo số liệu: 2/5 nhiệm vụ" in c["why"]
    audit = self_score_audit(criteria)
    rows = {(r["code"], r["issue"]): r for r in audit.to_dict("records")}
    differs = rows[("1.2", "appraisal_differs")]
    assert (differs["self_points"], differs["supported"]) == (1.0, 0.0)
    # the appraisal replaces the over-scoring check against the data
    assert ("1.2", "over_scored") not in rows


def _manual_case(scores: list[dict]) -> YearData:
    return year_data(
        framework=frame("framework", [area("I", "Chỉ đạo", 1.0), leaf("1.1", "I", 1.0, "manual")]),
        scores=frame("scores", scores),
        units=UNITS,
    )


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2024, 3, 30), None),  # inside Q1: no quarter has ended, nothing counts yet
        (date(2024, 3, 31), 0.5),  # Q1 ends: Q1's self-score
        (date(2024, 5, 15), 0.5),  # inside Q2: still Q1's
        (date(2024, 6, 29), 0.5),
        (date(2024, 6, 30), 0.75),  # Q2 ends: Q2's
        (date(2025, 2, 1), 1.0),  # after the year: the last quarter's
    ],
)
def test_a_quarter_self_assessment_counts_from_its_quarter_end(as_of, expected):
    case = _manual_case(
        [score("1.1", 0.5, quarter=1), score("1.1", 0.75, quarter=2), score("1.1", 1.0, quarter=4)]
    )
    c = crit(criteria_scores(case, as_of), "1.1")
    if expected is None:
        assert c["status"] == "unknown" and math.isnan(c["likely"])
    else:
        assert (c["status"], c["likely"]) == ("known", expected)


def _yesno_case(completed: str | None, self_points: float = math.nan) -> YearData:
    return year_data(
        framework=frame(
            "framework",
            [
                area("I", "Chỉ đạo", 1.5),
                leaf("1.1", "I", 0.5, "yesno", "criterion_tasks"),
                leaf("1.2", "I", 1.0, "manual"),
            ],
        ),
        scores=frame("scores", [score("1.1", self_points, quarter=2), score("1.2", 1.0, quarter=2)]),
        tasks=frame("tasks", [task("1", NOI_VU, "2024-09-30", completed, criterion="1.1")]),
        units=UNITS,
    )


def test_a_yesno_criterion_whose_evidence_is_not_yet_due_is_pending_never_zero():
    # The only linked task is due 30/9; at 30/6 nothing is due -> pending, even with a self-score of 0.
    criteria = criteria_scores(_yesno_case(None, self_points=0.0), AS_OF)
    c = crit(criteria, "1.1")
    assert c["status"] == "pending" and math.isnan(c["likely"]) and math.isnan(c["deducted"])
    assert "chưa đến hạn" in c["why"]
    total = index_total(criteria)
    # max 1.5; pending 0.5 is out of what is assessed like unknown: 1.0 / (1.5 - 0.5) = 100 %.
    assert (total["max"], total["likely"], total["unknown_max"], total["pending_max"]) == (1.5, 1.0, 0.5, 0.5)
    assert total["percent"] == 100.0
    assert total["deducted"] == 0.0
    # Finished early (1/5): still not due at 30/6 -> pending; due at 30/9 and on time -> yes, 0.5.
    early = _yesno_case("2024-05-01")
    assert crit(criteria_scores(early, AS_OF), "1.1")["status"] == "pending"
    c = crit(criteria_scores(early, date(2024, 9, 30)), "1.1")
    assert (c["status"], c["likely"]) == ("known", 0.5)
    # Still open at the end of 30/9 -> overdue -> not on time -> 0.
    c = crit(criteria_scores(_yesno_case(None), date(2024, 9, 30)), "1.1")
    assert (c["status"], c["likely"], c["causes"]) == ("known", 0.0, ["1"])
