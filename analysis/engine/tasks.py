"""Task state as of a date (the Government Office's four states) and completion counts.

History is reconstructed from completion dates, so one year-end progress file can answer
"how did the plan look at the end of Q2".

Official semantics (see TASK_RULES_VI / TASK_RULES_EN, shown on the pages and in the docs):
- "as of D" means data up to the end of day D;
- a task with deadline d has fallen due at D when d <= D; open then, it is overdue (a task due on
  D and still open at the end of D is overdue, so a quarter counts its own misses);
- ongoing and no-fixed-date tasks take the last day of the plan year as their deadline;
- due = tasks with deadline <= D; done_of_due = those among them done by D;
  done_ratio_of_due = done_of_due / due; done_ratio_of_assigned = done / assigned.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from analysis.periods import quarter_end, quarter_start
from analysis.schema import TASK_RULES_EN, TASK_RULES_VI, TASK_STATES  # noqa: F401 (re-exported)
from analysis.text import roman_to_int

STATE_KEYS: tuple[str, ...] = tuple(TASK_STATES)  # done_on_time, done_late, open_in_time, open_overdue
DONE_STATUSES: frozenset[str] = frozenset({"done", "done_on_time", "done_late"})
COUNT_COLUMNS: tuple[str, ...] = (
    "assigned",
    "due",
    "done_of_due",
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


def _plan_year_end(tasks: pd.DataFrame, fallback: int | None) -> pd.Series:
    """31/12 of each task's plan year (its `year` column, else the fallback year)."""
    if "year" in tasks.columns:
        years = pd.to_numeric(tasks["year"], errors="coerce")
    else:
        years = pd.Series(np.nan, index=tasks.index, dtype="float64")
    if fallback is not None:
        years = years.fillna(fallback)
    ends = pd.to_datetime(
        {"year": years.fillna(1970).astype("int64"), "month": 12, "day": 31}, errors="coerce"
    )
    return ends.where(years.notna())


def _fixed_deadline(tasks: pd.DataFrame) -> pd.Series:
    """The task's own fixed deadline; NaT for ongoing and no-fixed-date tasks."""
    ongoing = tasks["ongoing"].eq(True).fillna(False).astype(bool)
    return _days(tasks["deadline"]).where(~ongoing)


def _effective_deadline(tasks: pd.DataFrame, year: int | None = None) -> pd.Series:
    """Deadline used for due and overdue: the fixed one, else the last day of the plan year.

    `year` is the plan year used for tasks without a `year` column value (else NaT stays).
    """
    fixed = _fixed_deadline(tasks)
    return fixed.fillna(_plan_year_end(tasks, year))


def task_states(tasks: pd.DataFrame, as_of: date, year: int | None = None) -> pd.Series:
    """The state of each task as of the end of a day: done_on_time, done_late, open_in_time or open_overdue.

    `year` is the plan year of tasks whose frame has no `year` value (default: as_of's year).
    """
    _check_columns(tasks)
    day = _day(as_of)
    completed = _days(tasks["completed_on"])
    fixed = _fixed_deadline(tasks)
    deadline = _effective_deadline(tasks, day.year if year is None else year)
    status = tasks["status"]
    says_late = status.eq("done_late").fillna(False).astype(bool)

    has_date = completed.notna()
    # Rule 1: a completion date decides, whatever the status cell says.
    done_by_date = has_date & (completed <= day)
    # Rule 2: a done status without a date is done at every date.
    done_by_status = ~has_date & status.isin(DONE_STATUSES)
    done = done_by_date | done_by_status
    # Rule 3: late when finished after the deadline; without a fixed deadline the status may also say late.
    late = (done_by_date & deadline.notna() & (completed > deadline)) | (done & fixed.isna() & says_late)
    late |= done_by_status & says_late
    # Rule 4: as of the END of day D, an open task whose deadline is D or earlier is overdue.
    overdue = ~done & deadline.notna() & (deadline <= day)

    values = np.select(
        [done & late, done, overdue],
        ["done_late", "done_on_time", "open_overdue"],
        default="open_in_time",
    )
    return pd.Series(values, index=tasks.index, name="state", dtype=object)


def task_due(tasks: pd.DataFrame, as_of: date, year: int | None = None) -> pd.Series:
    """Whether each task has fallen due by the end of the day (deadline, or plan-year end, <= D)."""
    _check_columns(tasks)
    day = _day(as_of)
    deadline = _effective_deadline(tasks, day.year if year is None else year)
    return deadline.le(day).fillna(False).astype(bool).rename("due")


def days_overdue(tasks: pd.DataFrame, as_of: date) -> pd.Series:
    """Days past the deadline for tasks open and overdue at the date; 0 for every other task.

    A task due on D and still open at the end of D is 0 days overdue (but overdue).
    """
    states = task_states(tasks, as_of)
    late_by = (_day(as_of) - _effective_deadline(tasks, _day(as_of).year)).dt.days
    result = late_by.where(states.eq("open_overdue"), 0).fillna(0).astype("int64")
    result.name = "days_overdue"
    return result


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _counts(states: pd.Series, due_mask: pd.Series) -> dict[str, Any]:
    """Counts and ratios of one group of task states (due_mask: fallen due, same index)."""
    row: dict[str, Any] = {k: int(states.eq(k).sum()) for k in STATE_KEYS}
    done = row["done_on_time"] + row["done_late"]
    due = int(due_mask.sum())
    done_of_due = int((due_mask & states.isin(("done_on_time", "done_late"))).sum())
    assigned = int(len(states))
    return {
        "assigned": assigned,
        "due": due,
        "done_of_due": done_of_due,
        **row,
        "done": done,
        "done_ratio_of_due": _ratio(done_of_due, due),
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


_INT_COLUMNS = frozenset({*COUNT_COLUMNS[:8], "quarter", "planned_due"})


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
    due = task_due(tasks, as_of)
    if by is None:
        return _counts_frame([_counts(states, due)], [])
    if by not in tasks.columns:
        raise ValueError(f"tasks frame has no column {by!r} to group by")
    # Built from a plain list so missing stays None (a string column would turn it into NaN).
    keys = pd.Series([_group_key(v) for v in tasks[by].tolist()], index=tasks.index, dtype=object)
    groups = sorted(set(keys.tolist()), key=lambda v: _group_order(v, by))
    rows = []
    for group in groups:
        mask = keys.isna() if group is None else keys.eq(group).fillna(False).astype(bool)
        rows.append({by: group, **_counts(states[mask], due[mask])})
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
    deadline = _effective_deadline(tasks, year)
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
                **_counts(task_states(tasks, as_of, year), task_due(tasks, as_of, year)),
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
