"""Year-end forecast: a golden case worked by hand, then properties on random years."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
from factories import area, dossier, leaf, score, task, year_data
from hypothesis import given
from test_engine_properties import SETTINGS, cases
from unit_names import NOI_VU

from analysis.engine.data import YearData
from analysis.engine.forecast import PARTS, criteria_forecast, forecast_summary, year_forecast
from analysis.engine.ranks import DEFAULT_RANKS, parse_ranks, ranks_of
from analysis.engine.scoring import criteria_scores
from analysis.engine.summary import build_summary
from analysis.engine.tasks import task_states

AS_OF = date(2024, 6, 30)
# Last year's survey result: appraised 1.5 of 2.
PREVIOUS = year_data(scores=[score("1.4", appraised=1.5, year=2023, max_points=2.0)]).scores


def golden(rank_text: str | None = None, previous: pd.DataFrame | None = None) -> YearData:
    framework = [
        area("I", "Chỉ đạo", 8.0),
        leaf("1.1", "I", 2.0, "bands", "plan_completion", "100%: 2; 80%: 1; 0%: 0"),
        leaf("1.2", "I", 1.0, "yesno", "criterion_tasks"),
        leaf("1.3", "I", 1.0, "manual"),
        leaf("1.4", "I", 2.0, "manual", kind="survey"),
        leaf("1.5", "I", 1.0, "manual"),
        leaf("1.6", "I", 1.0, "manual"),
    ]
    if rank_text:
        framework.append(dict(year=2024, code="XL", level="area", name="Xếp loại", thresholds=rank_text))
    tasks = [
        task("1", NOI_VU, "2024-03-31", "2024-03-01", criterion="1.2"),  # done on time
        task("2", NOI_VU, "2024-03-31", "2024-04-15"),  # done late
        task("3", NOI_VU, "2024-05-31"),  # open, overdue at 30/6
        task("4", NOI_VU, "2024-09-30", criterion="1.2"),  # open, in time
        task("5", NOI_VU, None),  # ongoing, judged at year end
    ]
    scores = [score("1.3", self_points=0.75), score("1.5", appraised=0.5)]
    return year_data(framework=framework, scores=scores, tasks=tasks, previous_scores=previous)


def test_golden_forecast_parts_and_totals():
    f = criteria_forecast(golden(previous=PREVIOUS), AS_OF).set_index("code")
    # Rate now: due = tasks 1, 2, 3 (deadlines <= 30/6); done of due = 1, 2 -> 2/3.
    # 1.1 plan (bands on done ÷ assigned at year end): worst 2/5 = 40 % -> 0; best 5/5 -> 2 (a late
    #     completion still counts as done) -> secured 0, lost 0, at risk 2; expected
    #     (2 + 2/3 × 3) / 5 = 80 % -> 1.
    assert tuple(f.loc["1.1", list(PARTS)]) == (0.0, 0.0, 2.0, 0.0)
    assert f.loc["1.1", "likely"] == 1.0
    # 1.2 yes/no on linked tasks 1 (on time) and 4 (open, in time): worst 0, best 1; the rate 2/3 < 1 -> 0.
    assert tuple(f.loc["1.2", list(PARTS)]) == (0.0, 0.0, 1.0, 0.0)
    assert f.loc["1.2", "likely"] == 0.0
    # 1.3 self-assessed 0.75, not yet appraised -> at risk 1, expected 0.75.
    assert tuple(f.loc["1.3", list(PARTS)]) == (0.0, 0.0, 1.0, 0.0)
    assert f.loc["1.3", "likely"] == 0.75
    # 1.4 survey: last year appraised 1.5 of 2 = 75 % -> at risk 2, expected 1.5.
    assert tuple(f.loc["1.4", list(PARTS)]) == (0.0, 0.0, 2.0, 0.0)
    assert f.loc["1.4", "likely"] == 1.5
    # 1.5 appraised 0.5 of 1: final -> secured 0.5, lost 0.5.
    assert tuple(f.loc["1.5", list(PARTS)]) == (0.5, 0.5, 0.0, 0.0)
    # 1.6 nothing at all -> unknown 1.
    assert tuple(f.loc["1.6", list(PARTS)]) == (0.0, 0.0, 0.0, 1.0)
    summary = forecast_summary(f.reset_index())
    # max 8; floor = secured 0.5; ceiling = 8 - lost 0.5 = 7.5; likely 1 + 0 + 0.75 + 1.5 + 0.5 = 3.75.
    assert (summary["floor"], summary["likely"], summary["ceiling"]) == (0.5, 3.75, 7.5)
    # 0.5/8 = 6.25 % -> D; 3.75/8 = 46.9 % -> D; 7.5/8 = 93.75 % -> A.
    assert (summary["rank_floor"], summary["rank_likely"], summary["rank_ceiling"]) == ("D", "D", "A")
    assert {"code", *PARTS} <= set(summary["by_criterion"][0])


def test_survey_without_last_year_stays_unknown():
    f = criteria_forecast(golden(), AS_OF).set_index("code")
    assert tuple(f.loc["1.4", list(PARTS)]) == (0.0, 0.0, 0.0, 2.0)
    assert f.loc["1.4", "likely"] == 0.0


def test_rank_thresholds_are_framework_data():
    case = golden("A (Xuất sắc): 95%; B (Tốt): 90%; C (Khá): 40%; D (Trung bình): 0%", PREVIOUS)
    assert ranks_of(case.framework)[1].min_percent == 90.0
    # The rank row is not a criterion.
    assert "XL" not in set(criteria_scores(case, AS_OF)["code"])
    result = year_forecast(case, AS_OF)
    # Same numbers as the golden case: 93.75 % -> B (90..95); 46.9 % -> C (40..90); 6.25 % -> D.
    assert (result["rank_floor"], result["rank_likely"], result["rank_ceiling"]) == ("D", "C", "B")
    assert ranks_of(None) == DEFAULT_RANKS
    assert [r.label for r in parse_ranks("B: 80%; A: 90%")] == ["A", "B"]
    with pytest.raises(ValueError, match="cannot read"):
        parse_ranks("A: chín mươi")


def test_dossiers_resolved_late_are_lost_the_rest_of_the_year_at_risk():
    framework = [
        area("III", "TTHC", 3.0),
        leaf("3.4", "III", 3.0, "bands", "dossier_on_time", "100%: 3; 98%: 2; 95%: 1; 0%: 0"),
    ]
    # 20 dossiers received 1/2, due 10/2: the first resolved late (20/2), the rest on time (5/2).
    late, on_time = ("resolved_late", "2024-02-20"), ("resolved_on_time", "2024-02-05")
    dossiers = [
        dossier(i, NOI_VU, status, apology=True, resolved=resolved)
        for i, (status, resolved) in enumerate([late] + [on_time] * 19)
    ]
    case = year_data(framework=framework, dossiers=dossiers)
    row = criteria_forecast(case, AS_OF).iloc[0]
    # 19/20 = 95 % -> 1 now. Elapsed share at 30/6/2024 = 182/366 = 0.4973.
    # Best (the rest on time): 0.95 × 0.4973 + 0.5027 = 97.5 % -> 1; worst: 0.95 × 0.4973 = 47.2 % -> 0.
    # secured 0, at risk 1, lost 3 - 1 = 2; expected at the current rate: 1.
    assert (row["secured"], row["lost"], row["at_risk"], row["unknown"]) == (0.0, 2.0, 1.0, 0.0)
    assert row["likely"] == 1.0
    # At year end nothing is left at risk: the current result is final.
    end = criteria_forecast(case, date(2024, 12, 31)).iloc[0]
    assert (end["secured"], end["lost"], end["at_risk"]) == (1.0, 2.0, 0.0)


def test_summary_json_carries_the_forecast():
    summary = build_summary(golden(previous=PREVIOUS), AS_OF)
    forecast = summary["index"]["forecast"]
    assert (forecast["floor"], forecast["likely"], forecast["ceiling"]) == (0.5, 3.75, 7.5)
    assert {"rank_floor", "rank_likely", "rank_ceiling", "by_criterion"} <= set(forecast)


# Properties -------------------------------------------------------------------------------


@SETTINGS
@given(cases())
def test_parts_sum_to_max_and_floor_likely_ceiling_are_ordered(case):
    f = criteria_forecast(case, AS_OF)
    for row in f.to_dict("records"):
        assert sum(row[p] for p in PARTS) == pytest.approx(row["max_points"], abs=1e-9)
        assert all(row[p] >= -1e-9 for p in PARTS)
        assert row["secured"] - 1e-9 <= row["likely"] <= row["secured"] + row["at_risk"] + 1e-9
    summary = forecast_summary(f)
    assert summary["floor"] <= summary["likely"] + 1e-9 <= summary["ceiling"] + 2e-9


def _complete(tasks: pd.DataFrame, position: int, as_of: date) -> pd.DataFrame:
    """The tasks with the one at `position` reported done on as_of."""
    rows = tasks.to_dict("records")
    rows[position] |= {"status": "done", "completed_on": pd.Timestamp(as_of)}
    return pd.DataFrame(rows, columns=tasks.columns)


@SETTINGS
@given(cases())
def test_completing_an_open_task_never_lowers_floor_likely_or_ceiling(case):
    before = year_forecast(case, AS_OF)
    tasks = case.tasks.reset_index(drop=True)
    states = task_states(tasks, AS_OF) if not tasks.empty else pd.Series([], dtype=object)
    for position in [i for i, s in states.items() if str(s).startswith("open")][:3]:
        after = year_forecast(replace(case, tasks=_complete(tasks, position, AS_OF)), AS_OF)
        for key in ("floor", "likely", "ceiling"):
            assert after[key] >= before[key] - 1e-6, (key, position)
