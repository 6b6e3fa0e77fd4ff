"""Task state as of a date (the Government Office's four states) and completion counts.

History is reconstructed from completion dates, so one year-end progress file can answer
"how did the plan look at the end of Q2".
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from analysis.periods import quarter_end, quarter_start
from analysis.schema import TASK_STATES
from analysis.text import roman_to_int

STATE_KEYS: tuple[str, ...] = tuple(TASK_STATES)  # done_on_time, done_late, open_in_time, open_overdue
DONE_STATUSES: frozenset[str] = frozenset({"done", "done_on_time", "done_late"})
COUNT_COLUMNS: tuple[str, ...] = (
    "assigned",
    "due",
    "done_on_time",
    "done_late",
    "open_in_time",
    "open_overdue",
    "done",
    "done_ratio_of_due",
    "done_ratio_of_assigned",
)
_NEEDED = ("deadline", "ongoing", "status", "completed_on")


def _day(as_of: date | datetime | pd.Timestamp) -> pd.Timestamp:
    """The as-of date as a midnight Timestamp (time of day is ignored)."""
    if as_of is None or pd.isna(as_of):
        raise ValueError("as_of must be a date, got nothing")
    return pd.Timestamp(as_of).normalize()


def _days(values: pd.Series) -> pd.Series:
    """A date column as midnight datetimes; anything unparseable becomes NaT."""
    return pd.to_datetime(values, errors="coerce").dt.normalize()


def _check_columns(tasks: pd.DataFrame) -> None:
    missing = [c for c in _NEEDED if c not in tasks.columns]
    if missing:
        raise ValueError(f"tasks frame lacks column(s) {', '.join(missing)}")


def _effective_deadline(tasks: pd.DataFrame) -> pd.Series:
    """Deadline, or NaT for ongoing tasks (judged per period, never overdue)."""
    ongoing = tasks["ongoing"].eq(True).fillna(False).astype(bool)
    return _days(tasks["deadline"]).where(~ongoing)


def task_states(tasks: pd.DataFrame, as_of: date) -> pd.Series:
    """The state of each task as of a date: done_on_time, done_late, open_in_time or open_overdue."""
    _check_columns(tasks)
    day = _day(as_of)
    completed = _days(tasks["completed_on"])
    deadline = _effective_deadline(tasks)
    status = tasks["status"]
    says_late = status.eq("done_late").fillna(False).astype(bool)

    has_date = completed.notna()
    # Rule 1: a completion date decides, whatever the status cell says.
    done_by_date = has_date & (completed <= day)
    # Rule 2: a done status without a date is done at every date.
    done_by_status = ~has_date & status.isin(DONE_STATUSES)
    done = done_by_date | done_by_status
    # Rule 3: late when finished after the deadline; without a deadline only the status can say late.
    late = (done_by_date & deadline.notna() & (completed > deadline)) | (done & deadline.isna() & says_late)
    late |= done_by_status & says_late
    # Rule 4: open tasks are overdue only once the deadline has passed (due on the day is in time).
    overdue = ~done & deadline.notna() & (deadline < day)

    values = np.select(
        [done & late, done, overdue],
        ["done_late", "done_on_time", "open_overdue"],
        default="open_in_time",
    )
    return pd.Series(values, index=tasks.index, name="state", dtype=object)


def days_overdue(tasks: pd.DataFrame, as_of: date) -> pd.Series:
    """Days past the deadline for tasks open and overdue at the date; 0 for every other task."""
    states = task_states(tasks, as_of)
    late_by = (_day(as_of) - _effective_deadline(tasks)).dt.days
    result = late_by.where(states.eq("open_overdue"), 0).fillna(0).astype("int64")
    result.name = "days_overdue"
    return result


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _counts(states: pd.Series) -> dict[str, Any]:
    """Counts and ratios of one group of task states."""
    row: dict[str, Any] = {k: int(states.eq(k).sum()) for k in STATE_KEYS}
    done = row["done_on_time"] + row["done_late"]
    due = done + row["open_overdue"]
    assigned = int(len(states))
    return {
        "assigned": assigned,
        "due": due,
        **row,
        "done": done,
        "done_ratio_of_due": _ratio(done, due),
        "done_ratio_of_assigned": _ratio(done, assigned),
    }


def _group_key(value: Any) -> Any:
    """A group value with missing as None and text in NFC."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return value


def _group_order(value: Any, by: str) -> tuple[int, float, str, str]:
    """Sort key: areas in Roman-numeral order, text alphabetically (NFC), missing last."""
    if value is None:
        return (3, 0.0, "", "")
    if isinstance(value, str):
        if by == "area":
            roman = roman_to_int(value)
            if roman is not None:
                return (0, float(roman), "", "")
        return (2, 0.0, value.casefold(), value)
    try:
        return (1, float(value), "", "")
    except (TypeError, ValueError):
        return (2, 0.0, str(value).casefold(), str(value))


_INT_COLUMNS = frozenset({*COUNT_COLUMNS[:7], "quarter", "planned_due"})


def _counts_frame(
    rows: list[dict[str, Any]], leading: list[str], trailing: tuple[str, ...] = ()
) -> pd.DataFrame:
    """A frame of count rows: counts as int64; ratios and keys as objects so missing stays None."""
    columns = [*leading, *COUNT_COLUMNS, *trailing]
    return pd.DataFrame(
        {c: pd.Series([r[c] for r in rows], dtype="int64" if c in _INT_COLUMNS else object) for c in columns},
        columns=columns,
    )


def task_counts(tasks: pd.DataFrame, as_of: date, by: str | None = None) -> pd.DataFrame:
    """Counts of tasks per state, due, done and completion ratios as of a date, overall or per group."""
    states = task_states(tasks, as_of)
    if by is None:
        return _counts_frame([_counts(states)], [])
    if by not in tasks.columns:
        raise ValueError(f"tasks frame has no column {by!r} to group by")
    # Built from a plain list so missing stays None (a string column would turn it into NaN).
    keys = pd.Series([_group_key(v) for v in tasks[by].tolist()], index=tasks.index, dtype=object)
    groups = sorted(set(keys.tolist()), key=lambda v: _group_order(v, by))
    rows = []
    for group in groups:
        mask = keys.isna() if group is None else keys.eq(group).fillna(False).astype(bool)
        rows.append({by: group, **_counts(states[mask])})
    return _counts_frame(rows, [by])


def completion_by_unit(tasks: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Task counts per lead unit as of a date, units in alphabetical order."""
    return task_counts(tasks, as_of, by="lead_unit")


def completion_by_area(tasks: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Task counts per component area as of a date, areas in Roman-numeral order."""
    return task_counts(tasks, as_of, by="area")


def completion_trend(tasks: pd.DataFrame, year: int, until: date | None = None) -> pd.DataFrame:
    """Task counts at the end of each quarter of a year, with the planned number due by then.

    With `until`, only quarters that have started by then are listed, and counts of the running
    quarter are taken at `until` (a date in the future would call tasks overdue that are not yet).
    """
    _check_columns(tasks)
    if "year" in tasks.columns:
        tasks = tasks[tasks["year"].eq(year).fillna(False).astype(bool)]
    deadline = _effective_deadline(tasks)
    rows = []
    for quarter in (1, 2, 3, 4):
        end = quarter_end(year, quarter)
        if until is not None and quarter_start(year, quarter) > _day(until).date():
            break
        as_of = end if until is None else min(end, _day(until).date())
        planned = int((deadline <= pd.Timestamp(end)).sum())
        rows.append(
            {
                "quarter": quarter,
                "as_of": as_of,
                "quarter_end": end,
                **_counts(task_states(tasks, as_of)),
                "planned_due": planned,
            }
        )
    return _counts_frame(rows, ["quarter", "as_of", "quarter_end"], ("planned_due",))


def tasks_with_state(tasks: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """A copy of the tasks with their state and days overdue as of a date."""
    result = tasks.copy()
    result["state"] = task_states(tasks, as_of)
    result["days_overdue"] = days_overdue(tasks, as_of)
    return result
