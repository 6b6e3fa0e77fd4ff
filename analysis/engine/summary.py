"""One JSON-serialisable summary of a year as of a date: task counts and the likely index.

Pages, the command line and exports read their numbers from build_summary so they agree.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from analysis.engine import forecast as year_end
from analysis.engine.data import YearData
from analysis.engine.ranks import ranks_of
from analysis.engine.scoring import _task_scope, criteria_scores, index_by_area, index_total, rank_label
from analysis.engine.tasks import task_counts
from analysis.fmt import is_missing

RATIO_KEYS = frozenset({"done_ratio_of_due", "done_ratio_of_assigned"})
TASK_KEYS = (
    "assigned",
    "due",
    "done",
    "done_of_due",
    "done_on_time",
    "done_late",
    "open_in_time",
    "open_overdue",
    "done_ratio_of_due",
    "done_ratio_of_assigned",
)


_missing = is_missing  # one definition of 'missing' for every module


def _ratio(value: Any) -> float | None:
    return None if _missing(value) else round(float(value), 4)


def _points(value: Any) -> float | None:
    return None if _missing(value) else round(float(value), 2)


def _counts(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (_ratio(row[k]) if k in RATIO_KEYS else int(row[k])) for k in TASK_KEYS}


def _grouped(tasks: pd.DataFrame, as_of: date, by: str, name: str) -> list[dict[str, Any]]:
    if tasks.empty:
        return []
    frame = task_counts(tasks, as_of, by=by)
    return [{name: row[by], **_counts(row)} for row in frame.to_dict("records")]


def build_summary(data: YearData, as_of: date, unit: str | None = None) -> dict[str, Any]:
    """Task counts (overall, per lead unit, per area), the likely index and the year-end forecast.

    Ratios are fractions rounded to 4 decimals, points rounded to 2; missing values are None.
    data.previous_scores (last year's scores) gives the survey's expectation in the forecast.
    """
    as_of = pd.Timestamp(as_of).date()
    year, framework = data.year, data.framework
    scoped = _task_scope(data.tasks, year, unit, data.units)
    if scoped.empty:
        overall = {k: (None if k in RATIO_KEYS else 0) for k in TASK_KEYS}
    else:
        overall = _counts(task_counts(scoped, as_of).iloc[0].to_dict())

    criteria = criteria_scores(data, as_of, unit)
    total = index_total(criteria)
    framework_of_year = framework[_of_year(framework, year)] if not framework.empty else None
    areas = index_by_area(criteria, framework_of_year)
    ranks = ranks_of(framework_of_year)
    forecast = year_end.year_forecast(data, as_of, unit)
    return {
        "year": int(year),
        "as_of": as_of.isoformat(),
        "unit": unit,
        "tasks": overall,
        "tasks_by_unit": _grouped(scoped, as_of, "lead_unit", "unit"),
        "tasks_by_area": _grouped(scoped, as_of, "area", "area"),
        "index": {
            "max": _points(total["max"]),
            "likely": _points(total["likely"]),
            "deducted": _points(total["deducted"]),
            "unknown_max": _points(total["unknown_max"]),
            "percent": _points(total["percent"]),
            "pending_max": _points(total["pending_max"]),
            "rank": None if total["percent"] is None else rank_label(total["percent"], ranks),
            "forecast": forecast,
            "by_area": [
                {
                    "area": row["area"],
                    "name": row["name"],
                    "max": _points(row["max"]),
                    "likely": _points(row["likely"]),
                    "deducted": _points(row["deducted"]),
                }
                for row in areas.to_dict("records")
            ],
            "by_criterion": [
                {
                    "code": row["code"],
                    "max": _points(row["max_points"]),
                    "likely": _points(row["likely"]),
                    "deducted": _points(row["deducted"]),
                    "metric": None if _missing(row["metric"]) else row["metric"],
                    "status": row["status"],
                    "why": row["why"],
                }
                for row in criteria.to_dict("records")
            ],
        },
    }


def _of_year(frame: pd.DataFrame, year: int) -> pd.Series:
    if "year" not in frame.columns:
        return pd.Series(True, index=frame.index)
    return pd.to_numeric(frame["year"], errors="coerce").eq(year).fillna(False).astype(bool)


__all__ = ["build_summary"]
