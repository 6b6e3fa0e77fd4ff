"""Golden tests of the rule engine for one criterion; every expected value worked out by hand."""

from __future__ import annotations

import math

import pytest

from analysis.engine.rules import apology_penalty, evaluate_rule, parse_thresholds, per_event

PLAN_BANDS = "100%: 2; 80%: 1; 0%: 0"
DOSSIER_BANDS = "100%: 3; 98%: 2; 95%: 1; 0%: 0; apology: 0.5"


# parse_thresholds -------------------------------------------------------------------------


def test_parse_thresholds_sorted_descending_with_percent_flag():
    assert parse_thresholds("0%: 0; 100%: 2; 80%: 1") == [
        (100.0, 2.0, True),
        (80.0, 1.0, True),
        (0.0, 0.0, True),
    ]


def test_parse_thresholds_raw_values_and_vietnamese_decimals():
    assert parse_thresholds("70: 1; 90: 3; 80: 2") == [
        (90.0, 3.0, False),
        (80.0, 2.0, False),
        (70.0, 1.0, False),
    ]
    # "≥ 50 %: 3,0" is how people type it in Excel; 1,5 is one and a half.
    assert parse_thresholds("≥ 50 %: 3,0; ≥ 30 %: 1,5") == [(50.0, 3.0, True), (30.0, 1.5, True)]


def test_parse_thresholds_ignores_the_apology_clause():
    assert parse_thresholds(DOSSIER_BANDS) == [
        (100.0, 3.0, True),
        (98.0, 2.0, True),
        (95.0, 1.0, True),
        (0.0, 0.0, True),
    ]


def test_parse_thresholds_empty_and_bad_text():
    assert parse_thresholds(None) == []
    assert parse_thresholds("  ") == []
    with pytest.raises(ValueError, match="80%: một"):
        parse_thresholds("100%: 2; 80%: một")


def test_apology_penalty_and_points_per_event():
    assert apology_penalty(DOSSIER_BANDS) == 0.5
    assert apology_penalty("100%: 3; xin lỗi: 0,5") == 0.5
    assert apology_penalty(PLAN_BANDS) == 0.0
    assert per_event("0.25") == 0.25
    assert per_event("-0,25 điểm/lần") == 0.25
    with pytest.raises(ValueError):
        per_event(None)


# bands ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        (1.0, 2.0),  # 100 % reaches the top band exactly
        (0.9999, 1.0),  # 99.99 % is below 100 %: the 80 % band
        (0.8, 1.0),  # 80 % exactly is in the 80 % band
        (0.7999, 0.0),  # 79.99 %: the 0 % band
        (0.0, 0.0),
    ],
)
def test_bands_edges(ratio, expected):
    result = evaluate_rule("bands", 2.0, ratio, PLAN_BANDS, metric="plan_completion")
    assert result.points == expected
    assert result.status == "known"
    assert result.source == "data"


def test_bands_float_noise_at_the_threshold():
    # 0.29 * 100 is 28.999999999999996 in floating point; 29 % must still reach the 29 % band.
    assert evaluate_rule("bands", 1.0, 0.29, "29%: 1; 0%: 0", metric="dossier_online").points == 1.0


def test_bands_below_every_threshold_is_zero():
    # No "0 %" band: 40 % reaches the 30 % band (1.5); 20 % reaches no band at all -> 0.
    assert evaluate_rule("bands", 3.0, 0.4, "50%: 3; 30%: 1.5", metric="dossier_online").points == 1.5
    result = evaluate_rule("bands", 3.0, 0.2, "50%: 3; 30%: 1.5", metric="dossier_online")
    assert result.points == 0.0
    assert "chưa đạt mức thấp nhất (≥ 30 %)" in result.why


@pytest.mark.parametrize(
    ("value", "expected"), [(95, 3.0), (90, 3.0), (89.9, 2.0), (80, 2.0), (70, 1.0), (69.9, 0)]
)
def test_raw_value_bands(value, expected):
    # "90: 3; 80: 2; 70: 1" compares the raw value (a service index score), not a percentage.
    assert evaluate_rule("bands", 3.0, value, "90: 3; 80: 2; 70: 1").points == expected


def test_bands_points_never_above_max():
    # The sheet says 5 points for the top band but the criterion is worth 2.
    result = evaluate_rule("bands", 2.0, 1.0, "100%: 5; 0%: 0", metric="plan_completion")
    assert result.points == 2.0


def test_bands_why_sentence():
    # 7 of 40 due tasks overdue: 33 / 40 = 0.825 -> 82,5 % -> the 80 % band -> 1 of 2 points.
    result = evaluate_rule(
        "bands", 2.0, 33 / 40, PLAN_BANDS, metric="plan_completion", basis="7/40 nhiệm vụ quá hạn"
    )
    assert result.why == "7/40 nhiệm vụ quá hạn → 82,5 % → đạt mức ≥ 80 % → 1 / 2 điểm"


def test_bands_with_unreadable_thresholds_falls_back_to_scores():
    result = evaluate_rule("bands", 2.0, 0.9, "cao: 2", metric="plan_completion", self_points=1.0)
    assert (result.points, result.source) == (1.0, "scores")
    assert "không đọc được" in result.why


# apology clause ---------------------------------------------------------------------------


def test_apology_clause_subtracts_once_when_a_late_dossier_had_no_slip():
    # 98.5 % -> the 98 % band = 2 points; a late dossier without Mẫu 04 -> 2 - 0.5 = 1.5.
    result = evaluate_rule("bands", 3.0, 0.985, DOSSIER_BANDS, metric="dossier_on_time", apology_missing=True)
    assert result.points == 1.5
    assert "Mẫu 04" in result.why
    # The same rate with every slip issued keeps 2.
    assert evaluate_rule("bands", 3.0, 0.985, DOSSIER_BANDS, metric="dossier_on_time").points == 2.0


def test_apology_clause_floor_at_zero():
    # 90 % -> the 0 % band = 0 points; 0 - 0.5 would be negative -> 0.
    result = evaluate_rule("bands", 3.0, 0.9, DOSSIER_BANDS, metric="dossier_on_time", apology_missing=True)
    assert result.points == 0.0


def test_apology_missing_without_the_clause_changes_nothing():
    assert (
        evaluate_rule("bands", 2.0, 1.0, PLAN_BANDS, metric="plan_completion", apology_missing=True).points
        == 2.0
    )


# not applicable ---------------------------------------------------------------------------


def test_not_applicable_is_removed_whatever_the_data_says():
    result = evaluate_rule("bands", 2.0, 1.0, PLAN_BANDS, metric="plan_completion", not_applicable=True)
    assert result.status == "not_applicable"
    assert result.points == 0.0
    assert "Không áp dụng" in result.why


# deduction --------------------------------------------------------------------------------


def test_deduction_per_event():
    # 2 late reports x 0.25 = 0.5 -> 1 - 0.5 = 0.5.
    result = evaluate_rule("deduction", 1.0, 2, "0.25", metric="late_reports")
    assert result.points == 0.5
    assert "2 × 0,25 = trừ 0,5" in result.why


def test_deduction_floor_at_zero():
    # 5 x 0.25 = 1.25 > 1 -> 0, never negative.
    assert evaluate_rule("deduction", 1.0, 5, "0.25", metric="late_reports").points == 0.0


def test_deduction_no_event_keeps_max():
    assert evaluate_rule("deduction", 1.0, 0, "0.25", metric="late_reports").points == 1.0


# proportional -----------------------------------------------------------------------------


def test_proportional():
    # 0.6 x 2.5 = 1.5
    assert evaluate_rule("proportional", 2.5, 0.6, None, metric="dossier_online").points == pytest.approx(1.5)


def test_proportional_cap_at_max_and_floor_at_zero():
    # 1.2 x 2 = 2.4 -> capped at 2; a negative ratio -> 0.
    assert evaluate_rule("proportional", 2.0, 1.2, None, metric="dossier_online").points == 2.0
    assert evaluate_rule("proportional", 2.0, -0.1, None, metric="dossier_online").points == 0.0


# manual and survey ------------------------------------------------------------------------


def test_manual_appraised_before_self():
    result = evaluate_rule("manual", 2.0, None, None, self_points=1.5, appraised_points=1.0)
    assert result.points == 1.0
    assert "thẩm định" in result.why


def test_manual_self_when_not_appraised():
    result = evaluate_rule("manual", 2.0, None, None, self_points=1.5, appraised_points=math.nan)
    assert result.points == 1.5
    assert "tự đánh giá" in result.why


def test_manual_appraised_zero_is_a_value_not_missing():
    assert evaluate_rule("manual", 2.0, None, None, self_points=1.5, appraised_points=0.0).points == 0.0


def test_manual_without_scores_is_unknown():
    result = evaluate_rule("manual", 2.0, None, None)
    assert result.status == "unknown"
    assert math.isnan(result.points)
    assert "tối đa 2 điểm" in result.why


def test_survey_criteria_are_scored_like_manual_even_with_a_metric():
    result = evaluate_rule(
        "bands", 2.0, 1.0, PLAN_BANDS, metric="plan_completion", point_kind="survey", appraised_points=1.2
    )
    assert (result.points, result.source) == (1.2, "scores")


def test_rule_none_is_manual():
    assert evaluate_rule(None, 1.0, None, None, self_points=0.75).points == 0.75


# yes / no ---------------------------------------------------------------------------------


def test_yesno_from_linked_tasks():
    # All 3 linked tasks done on time -> share 1 -> yes -> max.
    assert evaluate_rule("yesno", 0.5, 1.0, None, metric="criterion_tasks").points == 0.5
    # 2 of 3 on time -> share 2/3 -> no -> 0.
    result = evaluate_rule("yesno", 0.5, 2 / 3, None, metric="criterion_tasks")
    assert result.points == 0.0
    assert "không đạt" in result.why


def test_yesno_from_scores():
    # Appraised 0.5 = max -> yes.
    assert evaluate_rule("yesno", 0.5, None, None, self_points=0.0, appraised_points=0.5).points == 0.5
    # Self 0.25 < max 0.5 -> no -> 0 (a yes/no criterion has no half points).
    assert evaluate_rule("yesno", 0.5, None, None, self_points=0.25).points == 0.0
    # A written answer "Có" without points -> max; "Không" -> 0.
    assert evaluate_rule("yesno", 0.5, None, None, answer="Có").points == 0.5
    assert evaluate_rule("yesno", 0.5, None, None, answer="Không").points == 0.0


# no data ----------------------------------------------------------------------------------


def test_metric_without_data_falls_back_to_appraised_then_self():
    result = evaluate_rule("bands", 2.0, None, PLAN_BANDS, metric="plan_completion", self_points=2.0)
    assert (result.points, result.status, result.source) == (2.0, "known", "scores")
    assert result.why.startswith("Chưa có số liệu «Hoàn thành kế hoạch»")
    both = evaluate_rule(
        "bands", 2.0, None, PLAN_BANDS, metric="plan_completion", self_points=2, appraised_points=1
    )
    assert both.points == 1.0


def test_fallback_basis_says_why_there_is_no_data():
    result = evaluate_rule(
        "bands", 2.0, None, PLAN_BANDS, metric="criterion_tasks", basis="Chưa có nhiệm vụ nào gắn tiêu chí"
    )
    assert result.status == "unknown"
    assert result.why.startswith("Chưa có nhiệm vụ nào gắn tiêu chí → ")


def test_metric_without_data_and_without_scores_is_unknown_not_zero_or_full():
    for rule in ("bands", "yesno", "proportional", "deduction"):
        result = evaluate_rule(rule, 1.0, math.nan, "0.25" if rule == "deduction" else PLAN_BANDS, metric="x")
        assert result.status == "unknown", rule
        assert math.isnan(result.points), rule


def test_fallback_scores_above_max_are_capped():
    result = evaluate_rule("manual", 1.0, None, None, self_points=1.5)
    assert result.points == 1.0
    assert "vượt điểm tối đa" in result.why
