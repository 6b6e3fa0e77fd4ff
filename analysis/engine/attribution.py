"""Who lost the points, what finishing open tasks would restore, and the self-score audit."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date
from typing import Any

import pandas as pd

from analysis.engine.data import YearData
from analysis.engine.scoring import (
    _EPS,
    NO_LEAD_UNIT,
    TASK_METRICS,
    UNASSIGNED,
    _criteria,
    _engine,
    _float,
    _key,
    _of_year,
    _rule_kind,
    _split_metric,
    _states,
    _text,
    index_total,
)
from analysis.engine.tasks import task_states
from analysis.fmt import num, points
from analysis.text import clean


def deductions_by_unit(
    criteria: pd.DataFrame, tasks: pd.DataFrame, as_of: date, *, year: int | None = None
) -> pd.DataFrame:
    """Deducted points per unit (see ATTRIBUTION_NOTE), largest first.

    Task-based criteria with causes are split over the lead units of those tasks in proportion
    to their number; every other known loss goes to the criterion's responsible unit.
    """
    year = as_of.year if year is None else year
    lead: dict[str, str | None] = {}
    for record in _of_year(tasks, year).to_dict("records"):
        lead.setdefault(_key(record.get("code")), _text(record.get("lead_unit")))
    totals: dict[str, float] = {}
    shown: dict[str, str] = {}

    def add(unit: str | None, value: float) -> None:
        name = unit or UNASSIGNED
        key = _key(name)
        shown.setdefault(key, name)
        totals[key] = totals.get(key, 0.0) + value

    for record in criteria.to_dict("records"):
        deducted = _float(record.get("deducted"))
        if record.get("status") != "known" or math.isnan(deducted) or deducted <= _EPS:
            continue
        base, _ = _split_metric(record.get("metric"))
        causes = list(record.get("causes") or [])
        if base in TASK_METRICS and causes:
            for code in causes:
                add(lead.get(_key(code)) or NO_LEAD_UNIT, deducted / len(causes))
        else:
            add(_text(record.get("responsible_unit")), deducted)
    frame = pd.DataFrame(
        {"unit": [shown[k] for k in totals], "points": [totals[k] for k in totals]},
        columns=["unit", "points"],
    )
    frame["points"] = frame["points"].astype("float64")
    return frame.sort_values(["points", "unit"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )


# What if ----------------------------------------------------------------------------------


def _completed(tasks: pd.DataFrame, positions: list[int], as_of: date) -> pd.DataFrame:
    """A copy of the tasks with the rows at the given index labels marked done on as_of."""
    tasks = tasks.copy()
    if positions:
        tasks["status"] = tasks["status"].astype(object)
        tasks.loc[positions, "status"] = "done"
        completed = pd.to_datetime(tasks["completed_on"], errors="coerce")
        completed.loc[positions] = pd.Timestamp(as_of)
        tasks["completed_on"] = completed
    return tasks


def _likely_total(criteria: pd.DataFrame) -> float:
    known = criteria[criteria["status"].eq("known") & criteria["applicable"]]
    return float(known["likely"].sum())


def points_at_stake(data: YearData, as_of: date, unit: str | None = None) -> pd.DataFrame:
    """For each open task in scope, the gain in likely total points if it were completed on as_of.

    Columns code, title, lead_unit, deadline, state, gain; sorted by gain (largest first) then deadline.
    """
    engine = _engine(data, as_of, unit)
    columns = ["code", "title", "lead_unit", "deadline", "state", "gain"]
    states = _states(engine)
    base = _criteria(engine, states)
    # Completing a task can only change the plan-wide criteria and those the task is linked to.
    plan_wide: list[int] = []
    linked: dict[str, list[int]] = {}
    for i, (_, leaf) in enumerate(engine.leaves.iterrows()):
        metric = _split_metric(leaf.get("metric"))[0]
        if metric not in TASK_METRICS or _rule_kind(leaf) == "manual":
            continue
        if metric == "plan_completion":
            plan_wide.append(i)
        else:
            linked.setdefault(_key(leaf["code"]), []).append(i)
    criterion = engine.tasks["criterion"] if "criterion" in engine.tasks else pd.Series(None, dtype=object)
    open_positions = [int(i) for i in states.index[states.isin(["open_in_time", "open_overdue"])]]
    # Each open task's state once completed on as_of (task states are computed row by row).
    done_states = task_states(
        _completed(engine.tasks, open_positions, engine.as_of), engine.as_of, engine.year
    )
    # Metrics count states, so the gain depends only on the task's state before and after and on
    # the criterion it is linked to: evaluate once per such triple, not once per task.
    gains: dict[tuple[str, str, str], float] = {}
    rows = []
    for position in open_positions:
        link = _key(criterion.get(position))
        affected = plan_wide + linked.get(link, [])
        gain = 0.0
        if affected:
            triple = (states.loc[position], done_states.loc[position], link)
            if triple not in gains:
                new_states = states.copy()
                new_states.loc[position] = done_states.loc[position]
                after = _criteria(engine, new_states, engine.leaves.iloc[affected])
                gains[triple] = _likely_total(after) - _likely_total(base.iloc[affected])
            gain = gains[triple]
        task = engine.tasks.loc[position]
        rows.append(
            {
                "code": clean(task["code"]),
                "title": _text(task.get("title")),
                "lead_unit": _text(task.get("lead_unit")),
                "deadline": task.get("deadline"),
                "state": states.loc[position],
                "gain": round(gain, 9),  # drop float noise from re-summing
            }
        )
    frame = pd.DataFrame(rows, columns=columns)
    frame["gain"] = frame["gain"].astype("float64")
    frame["deadline"] = pd.to_datetime(frame["deadline"], errors="coerce")
    return frame.sort_values(
        ["gain", "deadline"], ascending=[False, True], na_position="last", kind="stable"
    ).reset_index(drop=True)


def what_if(
    data: YearData, as_of: date, done_codes: Iterable[str], unit: str | None = None
) -> dict[str, Any]:
    """index_total after marking the given tasks completed on as_of (tasks already done stay as they are).

    Raises ValueError naming the codes that are not tasks in scope.
    """
    engine = _engine(data, as_of, unit)
    wanted = {_key(c) for c in done_codes}
    codes = [_key(c) for c in engine.tasks["code"]] if not engine.tasks.empty else []
    unknown = sorted(wanted - set(codes))
    if unknown:
        raise ValueError(f"no such task in scope: {', '.join(unknown)}")
    states = _states(engine)
    positions = [
        i for i, c in enumerate(codes) if c in wanted and states.iloc[i] in ("open_in_time", "open_overdue")
    ]
    engine.set_tasks(_completed(engine.tasks, positions, engine.as_of))
    return index_total(_criteria(engine, _states(engine)))


# Self-assessment audit --------------------------------------------------------------------


def self_score_audit(criteria: pd.DataFrame) -> pd.DataFrame:
    """Self-assessed points the data does not support, and points claimed without evidence.

    issue 'over_scored': a data-driven criterion whose self points exceed the likely points;
    issue 'no_evidence': self points above 0 with no evidence document;
    issue 'appraisal_differs': appraised points (final) differ from what the data rule gives
    (self_points holds the appraised points there, supported the data rule's points).
    """
    columns = ["code", "name", "issue", "self_points", "supported", "message"]
    rows = []
    for record in criteria.to_dict("records"):
        if not record.get("applicable", True):
            continue
        appraised = _float(record.get("appraised_points"))
        by_data = _float(record.get("data_points"))
        if not math.isnan(appraised) and not math.isnan(by_data) and abs(appraised - by_data) > _EPS:
            rows.append(
                {
                    "code": record["code"],
                    "name": record.get("name"),
                    "issue": "appraisal_differs",
                    "self_points": appraised,
                    "supported": by_data,
                    "message": (
                        f"Điểm thẩm định {points(appraised)} (điểm chính thức) khác điểm theo số liệu "
                        f"{points(by_data)} (chênh {num(appraised - by_data)})"
                    ),
                }
            )
        own = _float(record.get("self_points"))
        if math.isnan(own):
            continue
        likely = _float(record.get("likely"))
        if record.get("source") == "data" and not math.isnan(likely) and own > likely + _EPS:
            rows.append(
                {
                    "code": record["code"],
                    "name": record.get("name"),
                    "issue": "over_scored",
                    "self_points": own,
                    "supported": likely,
                    "message": (
                        f"Tự chấm {points(own)} nhưng số liệu chỉ cho {points(likely)} "
                        f"(chênh {num(own - likely)}): {record.get('why')}"
                    ),
                }
            )
        if own > _EPS and not _text(record.get("evidence")):
            rows.append(
                {
                    "code": record["code"],
                    "name": record.get("name"),
                    "issue": "no_evidence",
                    "self_points": own,
                    "supported": likely,
                    "message": f"Tự chấm {points(own)} nhưng chưa có tài liệu kiểm chứng",
                }
            )
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("self_points", "supported"):
        frame[column] = frame[column].astype("float64")
    return frame
