"""What pages, the CLI and exports ask for: one place that reads the store and calls the engine.

Every number a user sees comes through here, so the dashboard and `python -m analysis summary`
cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from analysis import index as engine
from analysis.store import Store
from analysis.summary import build_summary
from analysis.tasks import quarter_end, quarter_of, tasks_with_state


@dataclass(frozen=True)
class YearData:
    """The current data of one year, read once and shared by every view of that year."""

    year: int
    tasks: pd.DataFrame
    framework: pd.DataFrame
    scores: pd.DataFrame
    dossiers: pd.DataFrame
    units: pd.DataFrame
    sources: pd.DataFrame

    @property
    def empty(self) -> bool:
        return self.tasks.empty and self.framework.empty and self.scores.empty

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """(framework, scores, tasks, dossiers, units): the engine's argument order."""
        return self.framework, self.scores, self.tasks, self.dossiers, self.units


def year_data(store: Store, year: int) -> YearData:
    """Read the current tasks, framework, scores, dossiers and units of a year."""
    return YearData(
        year=year,
        tasks=store.current("tasks", year),
        framework=store.current("framework", year),
        scores=store.current("scores", year),
        dossiers=store.current("dossiers", year),
        units=store.units(),
        sources=store.current_sources(year),
    )


def latest_quarter(data: YearData) -> int:
    """The last quarter the data speaks of: newest self-score quarter or newest completion date."""
    quarters = set()
    if not data.scores.empty:
        quarters.update(int(q) for q in data.scores["quarter"].dropna().unique())
    if not data.tasks.empty and data.tasks["completed_on"].notna().any():
        last = data.tasks["completed_on"].max()
        if last.year == data.year:
            quarters.add(quarter_of(last.date()))
    today = date.today()
    if not quarters:
        return quarter_of(today) if today.year == data.year else 4
    return max(quarters)


def resolve_as_of(data: YearData, quarter: int | None = None, as_of: date | None = None) -> date:
    """The cut-off date: given, or the end of the given quarter, or of the latest quarter with data."""
    if as_of is not None:
        return as_of
    return quarter_end(data.year, quarter or latest_quarter(data))


def summary(data: YearData, as_of: date, unit: str | None = None) -> dict[str, Any]:
    """The headline numbers (see analysis.summary.build_summary) for a year's data."""
    return build_summary(
        data.tasks, data.framework, data.scores, data.dossiers, data.units, data.year, as_of, unit
    )


def summary_for(
    store: Store, year: int, *, quarter: int | None = None, as_of: date | None = None, unit: str | None = None
) -> dict[str, Any]:
    """The CLI's summary: read the year, pick the cut-off, summarise."""
    data = year_data(store, year)
    return summary(data, resolve_as_of(data, quarter, as_of), unit)


def criteria(data: YearData, as_of: date, unit: str | None = None) -> pd.DataFrame:
    """Every leaf criterion with max, likely, deducted, rule and why."""
    return engine.criteria_scores(*data.frames(), as_of, unit, year=data.year)


def points_at_stake(data: YearData, as_of: date, unit: str | None = None) -> pd.DataFrame:
    """Open tasks ranked by the points finishing them would restore."""
    return engine.points_at_stake(*data.frames(), as_of, unit, year=data.year)


def what_if(
    data: YearData, as_of: date, done_codes: Iterable[str], unit: str | None = None
) -> dict[str, Any]:
    """The likely total if the given tasks were done by the cut-off."""
    return engine.what_if(*data.frames(), as_of, done_codes, unit, year=data.year)


def task_list(data: YearData, as_of: date) -> pd.DataFrame:
    """All tasks with their state and days overdue at the cut-off."""
    return tasks_with_state(data.tasks, as_of)


def quarters_available(data: YearData) -> list[int]:
    """Quarters 1..latest, for the quarter selector."""
    return list(range(1, latest_quarter(data) + 1))
