"""Quarter by quarter: task counts, the likely index and deductions per area at each quarter end."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from analysis.engine import year as year_view
from analysis.engine._frames import (
    _empty,
    _float,
    _key,
    _of_year,
    _ratio,
)
from analysis.engine.data import YearData
from analysis.engine.tasks import COUNT_COLUMNS, task_due
from analysis.fmt import quarter_label
from analysis.periods import quarter_end, quarter_of

SERIES_COLUMNS = [
    "quarter",
    "label",
    "as_of",
    *COUNT_COLUMNS,
    "planned_due",
    "max",
    "likely",
    "deducted",
    "unknown_max",
    "percent",
    "rank",
]
AREA_QUARTER_COLUMNS = ["quarter", "label", "area", "name", "max", "likely", "deducted"]


def _quarter_cutoffs(data: YearData, until_quarter: int | None, as_of: date | None) -> list[tuple[int, date]]:
    """(quarter, cut-off date) for quarters 1..until; the last one stops at as_of when given."""
    if until_quarter is None:
        until_quarter = quarter_of(as_of) if as_of is not None and as_of.year == data.year else None
    until = until_quarter or year_view.latest_quarter(data)
    until = max(1, min(4, int(until)))
    cutoffs = []
    for quarter in range(1, until + 1):
        end = quarter_end(data.year, quarter)
        cutoffs.append((quarter, min(end, as_of) if as_of is not None else end))
    return cutoffs


def _quarter_summaries(
    data: YearData, unit: str | None, until_quarter: int | None, as_of: date | None
) -> list[tuple[int, date, dict[str, Any]]]:
    return [
        (q, cut, year_view.summary(data, cut, unit))
        for q, cut in _quarter_cutoffs(data, until_quarter, as_of)
    ]


def _planned_due(data: YearData, unit: str | None, end: date) -> int:
    """Tasks (of the unit, when given) due by the date (ongoing ones at the plan year's end)."""
    tasks = _of_year(data.tasks, data.year)
    if tasks.empty:
        return 0
    if unit is not None:
        tasks = tasks[[_key(u) == _key(unit) for u in tasks["lead_unit"]]]
    return int(task_due(tasks, end, data.year).sum())


def quarter_series(
    data: YearData, unit: str | None = None, until_quarter: int | None = None, *, as_of: date | None = None
) -> pd.DataFrame:
    """One row per quarter 1..until_quarter (default: the latest quarter with data): task counts
    and the likely index at each quarter end, from year_view.summary.

    With `as_of`, the series stops at that date's quarter and the last quarter is counted at
    as_of (a quarter end in the future would call tasks overdue that are not yet).
    planned_due counts tasks whose deadline falls on or before the quarter end.
    """
    rows = []
    for quarter, cut, summary in _quarter_summaries(data, unit, until_quarter, as_of):
        tasks, index = summary["tasks"], summary["index"]
        done = tasks["done"]
        rows.append(
            {
                "quarter": quarter,
                "label": quarter_label(quarter, data.year),
                "as_of": pd.Timestamp(cut),
                **{k: tasks[k] for k in ("assigned", "due", "done_of_due", "done_on_time", "done_late")},
                "open_in_time": tasks["open_in_time"],
                "open_overdue": tasks["open_overdue"],
                "done": done,
                # From the counts rather than the summary's rounded ratios.
                "done_ratio_of_due": _ratio(tasks["done_of_due"], tasks["due"]),
                "done_ratio_of_assigned": _ratio(done, tasks["assigned"]),
                "planned_due": _planned_due(data, unit, quarter_end(data.year, quarter)),
                **{k: _float(index[k]) for k in ("max", "likely", "deducted", "unknown_max", "percent")},
                "rank": index["rank"] or "—",
            }
        )
    # The count columns (everything of COUNT_COLUMNS but the two ratios) are whole numbers.
    ints = ("quarter", *(c for c in COUNT_COLUMNS if not c.startswith("done_ratio")), "planned_due")
    floats = ("done_ratio_of_due", "done_ratio_of_assigned", "max", "likely", "deducted", "unknown_max")
    floats += ("percent",)
    if not rows:
        return _empty(SERIES_COLUMNS, floats, ints)
    frame = pd.DataFrame(rows, columns=SERIES_COLUMNS)
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    return frame.astype({**dict.fromkeys(ints, "int64"), **dict.fromkeys(floats, "float64")})


def area_deductions_by_quarter(
    data: YearData, unit: str | None = None, until_quarter: int | None = None, *, as_of: date | None = None
) -> pd.DataFrame:
    """Long format: per quarter and area, max, likely and deducted points (summary's by_area)."""
    rows = []
    for quarter, _, summary in _quarter_summaries(data, unit, until_quarter, as_of):
        for area in summary["index"]["by_area"]:
            rows.append(
                {
                    "quarter": quarter,
                    "label": quarter_label(quarter, data.year),
                    "area": area["area"],
                    "name": area["name"],
                    "max": _float(area["max"]),
                    "likely": _float(area["likely"]),
                    "deducted": _float(area["deducted"]),
                }
            )
    frame = pd.DataFrame(rows, columns=AREA_QUARTER_COLUMNS)
    return frame.astype({"quarter": "int64", "max": "float64", "likely": "float64", "deducted": "float64"})
