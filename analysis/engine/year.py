"""A year's current data, read once, and the engine's entry points over it.

Pages (through analysis.facade), the CLI and the exports all call these, so the dashboard and
`python -m analysis summary` cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any

import pandas as pd

from analysis.engine import attribution, scoring
from analysis.engine import forecast as year_end
from analysis.engine.amendments import amended_tasks
from analysis.engine.data import YearData
from analysis.engine.summary import build_summary
from analysis.engine.tasks import tasks_with_state
from analysis.periods import quarter_end, quarter_of
from analysis.schema import FRAMEWORK_LEVELS, UNIT_KIND_GROUPS
from analysis.store import Store


def year_data(store: Store, year: int, plan: str | None = None) -> YearData:
    """Read the current tasks (of one plan: the organisation's by default), framework, scores,
    dossiers and units of a year."""
    with store.session():  # one connection for all the reads
        return YearData(
            year=year,
            tasks=store.current("tasks", year, plan=plan),
            framework=store.current("framework", year),
            scores=store.current("scores", year),
            dossiers=store.dossier_rows(year),
            units=store.units(),
            sources=store.current_sources(year),
            previous_scores=store.current("scores", year - 1),
            amendments=store.current("amendments", year),
            level_frameworks={
                level: store.current("framework", year, plan=level) for level in FRAMEWORK_LEVELS
            },
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


def as_amended(data: YearData, as_of: date, unit: str | None = None) -> YearData:
    """The year's data with the plan as amended by the end of as_of (itself when nothing is amended),
    and, for a unit of a level with its own framework (a commune), that framework."""
    framework = framework_for(data, unit)
    if framework is not data.framework:
        data = replace(data, framework=framework)
    if data.amendments is None or data.amendments.empty:
        return data
    return replace(data, tasks=amended_tasks(data.tasks, data.amendments, as_of))


def framework_for(data: YearData, unit: str | None) -> pd.DataFrame:
    """The framework a unit is scored with: its level's (communes: the commune framework) when loaded."""
    if unit is None or not data.level_frameworks:
        return data.framework
    kind = unit_kinds(data).get(unit)
    for level, kinds in UNIT_KIND_GROUPS.items():
        framework = data.level_frameworks.get(level)
        if kind in kinds and framework is not None and not framework.empty:
            return framework
    return data.framework


def summary(data: YearData, as_of: date, unit: str | None = None) -> dict[str, Any]:
    """The headline numbers (see analysis.engine.summary.build_summary) for a year's data."""
    return build_summary(as_amended(data, as_of, unit), as_of, unit)


def summary_for(
    store: Store, year: int, when: int | date | None = None, unit: str | None = None, plan: str | None = None
) -> dict[str, Any]:
    """The CLI's summary: read the year (one plan's tasks), take the cut-off (`when`: a quarter, a date,
    or the end of the latest quarter with data), summarise."""
    data = year_data(store, year, plan)
    quarter, as_of = (when, None) if isinstance(when, int) else (None, when)
    return summary(data, resolve_as_of(data, quarter, as_of), unit)


def criteria(data: YearData, as_of: date, unit: str | None = None) -> pd.DataFrame:
    """Every leaf criterion with max, likely, deducted, rule and why."""
    return scoring.criteria_scores(as_amended(data, as_of, unit), as_of, unit)


def points_at_stake(data: YearData, as_of: date, unit: str | None = None) -> pd.DataFrame:
    """Open tasks with the points finishing them would restore now (gain) and their share of the
    year-end points still at risk (at_risk, see forecast.at_risk_by_task)."""
    data = as_amended(data, as_of, unit)
    stake = attribution.points_at_stake(data, as_of, unit)
    shares = year_end.at_risk_by_task(data, as_of, unit)
    stake["at_risk"] = [round(shares.get(code, 0.0), 9) for code in stake["code"]]
    return stake.astype({"at_risk": "float64"})


def what_if(
    data: YearData, as_of: date, done_codes: Iterable[str], unit: str | None = None
) -> dict[str, Any]:
    """The likely total if the given tasks were done by the cut-off, with the year-end forecast then
    ("forecast": floor, likely, ceiling)."""
    data = as_amended(data, as_of, unit)
    codes = list(done_codes)
    result = attribution.what_if(data, as_of, codes, unit)
    wanted = {scoring._key(c) for c in codes}
    tasks = data.tasks
    states = tasks_with_state(tasks, as_of)["state"] if not tasks.empty else pd.Series([], dtype=object)
    chosen = [
        i
        for i, code in zip(tasks.index, tasks.get("code", []), strict=True)
        if scoring._key(code) in wanted and str(states.loc[i]).startswith("open")
    ]
    done = attribution._completed(tasks, chosen, as_of) if chosen else tasks
    forecast = year_end.year_forecast(replace(data, tasks=done), as_of, unit)
    result["forecast"] = {k: forecast[k] for k in ("floor", "likely", "ceiling")}
    return result


def task_list(data: YearData, as_of: date) -> pd.DataFrame:
    """All tasks with their state and days overdue at the cut-off (the plan as amended by then)."""
    return tasks_with_state(as_amended(data, as_of).tasks, as_of)  # the plan's tasks: no unit


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
    # At-risk points first (what finishing protects at year end), then what it restores now.
    order = stake.assign(_overdue=stake["state"].eq("open_overdue"))
    if "at_risk" not in order.columns:
        order = order.assign(at_risk=0.0)
    order = order.sort_values(
        ["at_risk", "gain", "_overdue", "deadline"], ascending=[False, False, False, True], na_position="last"
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


def forecast_by_area(data: YearData, as_of: date, unit: str | None = None) -> pd.DataFrame:
    """The year-end forecast per area (area, name, secured, lost, at_risk, unknown, likely)."""
    data = as_amended(data, as_of, unit)
    by_criterion = year_end.criteria_forecast(data, as_of, unit)
    frame = year_end.forecast_by_area(by_criterion)
    names = {}
    if not data.framework.empty:
        areas = data.framework[data.framework["level"].eq("area").fillna(False).astype(bool)]
        names = dict(zip(areas["code"], areas["name"], strict=True))
    frame.insert(1, "name", [names.get(a) for a in frame["area"]])
    return frame


def remediation(data: YearData, as_of: date, unit: str | None = None) -> pd.DataFrame:
    """The criteria that lost points in the Q1 self-assessment and where each stands now."""
    from analysis.engine.remediation import remediation as tracker

    data = as_amended(data, as_of, unit)
    return tracker(data, as_of, unit)


def removed_from_plan(data: YearData, as_of: date) -> pd.DataFrame:
    """The tasks removed from the plan by approved amendments by the end of as_of, with the note."""
    from analysis.engine.amendments import removed_tasks

    if data.amendments is None or data.amendments.empty:
        return data.tasks.iloc[0:0].assign(amendment=pd.Series(dtype=object))
    return removed_tasks(data.tasks, data.amendments, as_of)
