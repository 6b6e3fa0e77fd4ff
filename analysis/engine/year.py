"""A year's current data, read once, and the engine's entry points over it.

Pages (through analysis.facade), the CLI and the exports all call these, so the dashboard and
`python -m analysis summary` cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from analysis.engine import attribution, scoring
from analysis.engine.summary import build_summary
from analysis.engine.tasks import tasks_with_state
from analysis.periods import quarter_end, quarter_of
from analysis.schema import UNIT_KIND_GROUPS
from analysis.store import Store


@dataclass(frozen=True, eq=False)  # hashed by identity: a cache key for derived views
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
    with store.session():  # one connection for the seven reads
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
    """The headline numbers (see analysis.engine.summary.build_summary) for a year's data."""
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
    return scoring.criteria_scores(*data.frames(), as_of, unit, year=data.year)


def points_at_stake(data: YearData, as_of: date, unit: str | None = None) -> pd.DataFrame:
    """Open tasks ranked by the points finishing them would restore."""
    return attribution.points_at_stake(*data.frames(), as_of, unit, year=data.year)


def what_if(
    data: YearData, as_of: date, done_codes: Iterable[str], unit: str | None = None
) -> dict[str, Any]:
    """The likely total if the given tasks were done by the cut-off."""
    return attribution.what_if(*data.frames(), as_of, done_codes, unit, year=data.year)


def task_list(data: YearData, as_of: date) -> pd.DataFrame:
    """All tasks with their state and days overdue at the cut-off."""
    return tasks_with_state(data.tasks, as_of)


def quarters_available(data: YearData) -> list[int]:
    """Quarters 1..latest, for the quarter selector."""
    return list(range(1, latest_quarter(data) + 1))


def unit_kinds(data: YearData) -> dict[str, str]:
    """Unit name -> kind ('office', 'commune', 'town', …) from the unit list."""
    units = data.units.dropna(subset=["name"])
    return dict(zip(units["name"], units["kind"].fillna("other"), strict=True))


def unit_choices(data: YearData, kind: str = "all") -> list[str]:
    """Units that lead tasks or were assessed this year, filtered by 'office' / 'commune' / 'all'."""
    names: set[str] = set()
    if not data.tasks.empty:
        names.update(data.tasks["lead_unit"].dropna())
    if not data.scores.empty:
        names.update(data.scores["unit"].dropna())
    kinds = unit_kinds(data)
    wanted = UNIT_KIND_GROUPS.get(kind)
    if wanted is not None:
        names = {n for n in names if kinds.get(n, "other") in wanted}
    return sorted(names)


def finish_first(stake: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The 'finish these first' list: biggest gain, then overdue before in-time, then earliest deadline."""
    if stake.empty:
        return stake
    order = stake.assign(_overdue=stake["state"].eq("open_overdue"))
    order = order.sort_values(
        ["gain", "_overdue", "deadline"], ascending=[False, False, True], na_position="last"
    )
    return order.drop(columns="_overdue").head(n)


def filter_tasks(
    tasks: pd.DataFrame,
    *,
    areas: Iterable[str] = (),
    units: Iterable[str] = (),
    states: Iterable[str] = (),
    quarters: Iterable[int] = (),
    query: str = "",
) -> pd.DataFrame:
    """Filter the task list; the search matches with or without diacritics."""
    from analysis.text import fold

    mask = pd.Series(True, index=tasks.index)
    if areas := list(areas):
        mask &= tasks["area"].isin(areas)
    if units := list(units):
        mask &= tasks["lead_unit"].isin(units)
    if states := list(states):
        mask &= tasks["state"].isin(states)
    if quarters := list(quarters):
        mask &= tasks["deadline"].dt.quarter.isin(quarters)
    if query.strip():
        needle = fold(query)
        haystack = (
            tasks["code"].astype(str) + " " + tasks["title"].fillna("") + " " + tasks["lead_unit"].fillna("")
        )
        mask &= haystack.map(lambda text: needle in fold(text))
    return tasks[mask]


def overdue_gain(data: YearData, as_of: date, unit: str | None = None) -> tuple[int, float]:
    """How many tasks are overdue, and the points regained if all of them were finished by the cut-off."""
    stake = points_at_stake(data, as_of, unit)
    codes = list(stake.loc[stake["state"] == "open_overdue", "code"]) if not stake.empty else []
    if not codes:
        return 0, 0.0
    base = summary(data, as_of, unit)["index"]["likely"] or 0.0
    after = what_if(data, as_of, codes, unit)["likely"] or 0.0
    return len(codes), round(after - base, 2)
