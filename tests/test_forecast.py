"""Year-end forecast: a golden case worked by hand, then properties on random years."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from test_engine_properties import SETTINGS, cases

from analysis.engine.forecast import PARTS, criteria_forecast, forecast_summary, year_forecast
from analysis.engine.ranks import DEFAULT_RANKS, parse_ranks, ranks_of
from analysis.engine.scoring import criteria_scores
from analysis.engine.summary import build_summary
from analysis.engine.tasks import task_states
from analysis.schema import dataset

AS_OF = date(2024, 6, 30)
NOI_VU = "Phòng Nội vụ"


def _frame(name: str, rows: list[dict], dates: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=dataset(name).names)
    for column in dates:
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _leaf(code, max_points, rule, metric=None, thresholds=None, kind="assessed"):
    return dict(
        year=2024, code=code, parent="I", level="criterion", area="I", name=f"Tiêu chí {code}",
        max_points=max_points, point_kind=kind, rule=rule, metric=metric, thresholds=thresholds,
    )  # fmt: skip


def _task(code, deadline, completed=None, criterion=None, ongoing=False):
    return dict(
        year=2024, code=code, area="I", title=f"Nhiệm vụ {code}", lead_unit=NOI_VU, deadline_text=deadline,
        deadline=None if ongoing else deadline, ongoing=ongoing, status="done" if completed else None,
        completed_on=completed, criterion=criterion,
    )  # fmt: skip


def _score(code, self_points=math.nan, appraised=math.nan, year=2024, max_points=None):
    return dict(
        year=year, quarter=2, unit=None, code=code, max_points=max_points, self_points=self_points,
        appraised_points=appraised, not_applicable=False,
    )  # fmt: skip


def golden(rank_text: str | None = None) -> dict:
    framework = [
        dict(year=2024, code="I", level="area", area="I", name="Chỉ đạo", max_points=8.0),
        _leaf("1.1", 2.0, "bands", "plan_completion", "100%: 2; 80%: 1; 0%: 0"),
        _leaf("1.2", 1.0, "yesno", "criterion_tasks"),
        _leaf("1.3", 1.0, "manual"),
        _leaf("1.4", 2.0, "manual", kind="survey"),
        _leaf("1.5", 1.0, "manual"),
        _leaf("1.6", 1.0, "manual"),
    ]
    if rank_text:
        framework.append(dict(year=2024, code="XL", level="area", name="Xếp loại", thresholds=rank_text))
    tasks = [
        _task("1", "2024-03-31", "2024-03-01", criterion="1.2"),  # done on time
        _task("2", "2024-03-31", "2024-04-15"),  # done late
        _task("3", "2024-05-31"),  # open, overdue at 30/6
        _task("4", "2024-09-30", criterion="1.2"),  # open, in time
        _task("5", None, ongoing=True),  # ongoing, judged at year end
    ]
    return dict(
        framework=_frame("framework", framework),
        scores=_frame("scores", [_score("1.3", self_points=0.75), _score("1.5", appraised=0.5)]),
        tasks=_frame("tasks", tasks, ("deadline", "completed_on")),
        dossiers=_frame("dossiers", []),
        units=_frame("units", []),
        as_of=AS_OF,
    )


PREVIOUS = _frame("scores", [_score("1.4", appraised=1.5, year=2023, max_points=2.0)])


def test_golden_forecast_parts_and_totals():
    f = criteria_forecast(**golden(), previous_scores=PREVIOUS).set_index("code")
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
    f = criteria_forecast(**golden()).set_index("code")
    assert tuple(f.loc["1.4", list(PARTS)]) == (0.0, 0.0, 0.0, 2.0)
    assert f.loc["1.4", "likely"] == 0.0


def test_rank_thresholds_are_framework_data():
    case = golden("A (Xuất sắc): 95%; B (Tốt): 90%; C (Khá): 40%; D (Trung bình): 0%")
    assert ranks_of(case["framework"])[1].min_percent == 90.0
    # The rank row is not a criterion.
    assert "XL" not in set(criteria_scores(**case)["code"])
    result = year_forecast(**case, year=2024, previous_scores=PREVIOUS)
    # Same numbers as the golden case: 93.75 % -> B (90..95); 46.9 % -> C (40..90); 6.25 % -> D.
    assert (result["rank_floor"], result["rank_likely"], result["rank_ceiling"]) == ("D", "C", "B")
    assert ranks_of(None) == DEFAULT_RANKS
    assert [r.label for r in parse_ranks("B: 80%; A: 90%")] == ["A", "B"]
    with pytest.raises(ValueError, match="cannot read"):
        parse_ranks("A: chín mươi")


def test_dossiers_resolved_late_are_lost_the_rest_of_the_year_at_risk():
    framework = [
        dict(year=2024, code="III", level="area", area="III", name="TTHC", max_points=3.0),
        dict(
            _leaf("3.4", 3.0, "bands", "dossier_on_time", "100%: 3; 98%: 2; 95%: 1; 0%: 0"),
            area="III",
            parent="III",
        ),
    ]
    dossiers = [
        dict(
            year=2024,
            dossier_id=f"H{i}",
            unit=NOI_VU,
            received_at="2024-02-01",
            due_at="2024-02-10",
            resolved_at="2024-02-05" if i else "2024-02-20",
            status="resolved_on_time" if i else "resolved_late",
            channel="direct",
            apology=True,
        )  # fmt: skip
        for i in range(20)
    ]
    case = dict(
        framework=_frame("framework", framework),
        scores=_frame("scores", []),
        tasks=_frame("tasks", []),
        dossiers=_frame("dossiers", dossiers, ("received_at", "due_at", "resolved_at")),
        units=_frame("units", []),
        as_of=AS_OF,
    )
    row = criteria_forecast(**case).iloc[0]
    # 19/20 = 95 % -> 1 now. Elapsed share at 30/6/2024 = 182/366 = 0.4973.
    # Best (the rest on time): 0.95 × 0.4973 + 0.5027 = 97.5 % -> 1; worst: 0.95 × 0.4973 = 47.2 % -> 0.
    # secured 0, at risk 1, lost 3 - 1 = 2; expected at the current rate: 1.
    assert (row["secured"], row["lost"], row["at_risk"], row["unknown"]) == (0.0, 2.0, 1.0, 0.0)
    assert row["likely"] == 1.0
    # At year end nothing is left at risk: the current result is final.
    end = criteria_forecast(**{**case, "as_of": date(2024, 12, 31)}).iloc[0]
    assert (end["secured"], end["lost"], end["at_risk"]) == (1.0, 2.0, 0.0)


def test_summary_json_carries_the_forecast():
    case = golden()
    summary = build_summary(
        case["tasks"], case["framework"], case["scores"], case["dossiers"], case["units"], 2024, AS_OF,
        previous_scores=PREVIOUS,
    )  # fmt: skip
    forecast = summary["index"]["forecast"]
    assert (forecast["floor"], forecast["likely"], forecast["ceiling"]) == (0.5, 3.75, 7.5)
    assert {"rank_floor", "rank_likely", "rank_ceiling", "by_criterion"} <= set(forecast)


# Properties -------------------------------------------------------------------------------


@SETTINGS
@given(cases())
def test_parts_sum_to_max_and_floor_likely_ceiling_are_ordered(case):
    f = criteria_forecast(**case)
    for row in f.to_dict("records"):
        assert sum(row[p] for p in PARTS) == pytest.approx(row["max_points"], abs=1e-9)
        assert all(row[p] >= -1e-9 for p in PARTS)
        assert row["secured"] - 1e-9 <= row["likely"] <= row["secured"] + row["at_risk"] + 1e-9
    summary = forecast_summary(f)
    assert summary["floor"] <= summary["likely"] + 1e-9 <= summary["ceiling"] + 2e-9


def _complete(tasks: pd.DataFrame, position: int, as_of: date) -> pd.DataFrame:
    done = tasks.copy()
    done["status"] = done["status"].astype(object)
    done.loc[position, "status"] = "done"
    completed = pd.to_datetime(done["completed_on"], errors="coerce")
    completed.loc[position] = pd.Timestamp(as_of)
    done["completed_on"] = completed
    return done


@SETTINGS
@given(cases())
def test_completing_an_open_task_never_lowers_floor_likely_or_ceiling(case):
    before = year_forecast(**case, year=2024)
    tasks = case["tasks"].reset_index(drop=True)
    states = task_states(tasks, AS_OF) if not tasks.empty else pd.Series([], dtype=object)
    for position in [i for i, s in states.items() if str(s).startswith("open")][:3]:
        after = year_forecast(**{**case, "tasks": _complete(tasks, position, AS_OF)}, year=2024)
        for key in ("floor", "likely", "ceiling"):
            assert after[key] >= before[key] - 1e-6, (key, position)
