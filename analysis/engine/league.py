"""Units compared: tasks by unit and area, the unit league, and each commune's own index."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from analysis.engine import attribution, scoring
from analysis.engine import year as year_view
from analysis.engine._frames import (
    _empty,
    _float,
    _key,
    _kind_of,
    _missing,
    _Names,
    _of_year,
    _parts_by_unit,
    _ratio,
    _roman,
    _tasks_of_year,
)
from analysis.engine.tasks import task_counts, task_states
from analysis.periods import quarter_of
from analysis.schema import UNIT_KIND_GROUPS
from analysis.text import clean

LEAGUE_COLUMNS = [
    "unit",
    "kind",
    "assigned",
    "due",
    "done",
    "open_overdue",
    "done_ratio_of_due",
    "done_ratio_of_assigned",
    "deducted_points",
]
COMMUNE_COLUMNS = ["unit", "max", "likely", "deducted", "unknown_max", "percent", "rank"]


def _unit_area_counts(data: year_view.YearData, as_of: date) -> tuple[list[str], list[str], pd.DataFrame]:
    """Lead units (alphabetical), areas present (Roman order) and tasks with their state."""
    tasks = _tasks_of_year(data)
    if tasks.empty:
        return [], [], tasks
    tasks = tasks.assign(
        state=task_states(tasks, as_of).to_numpy(),
        area=[None if _missing(a) or not clean(a) else clean(a) for a in tasks["area"]],
    )
    units = sorted(set(tasks["lead_unit"]), key=lambda u: (u.casefold(), u))
    areas = sorted({a for a in tasks["area"] if a is not None}, key=_roman)
    return units, areas, tasks


def unit_area_matrix(data: year_view.YearData, as_of: date) -> pd.DataFrame:
    """Done ÷ due per lead unit (rows) and area (columns I..VIII present); NaN where nothing is due.

    Tasks without an area are left out of the columns; every lead unit of the year is a row.
    """
    units, areas, tasks = _unit_area_counts(data, as_of)
    matrix = pd.DataFrame(np.nan, index=pd.Index(units, name="unit"), columns=pd.Index(areas, name="area"))
    if tasks.empty:
        return matrix
    for (unit, area), group in tasks[tasks["area"].notna()].groupby(["lead_unit", "area"], sort=False):
        done = int(group["state"].isin(["done_on_time", "done_late"]).sum())
        due = done + int(group["state"].eq("open_overdue").sum())
        matrix.loc[unit, area] = _ratio(done, due)
    return matrix.astype("float64")


def unit_area_overdue(data: year_view.YearData, as_of: date) -> pd.DataFrame:
    """Open overdue tasks per lead unit and area (same rows and columns as unit_area_matrix)."""
    units, areas, tasks = _unit_area_counts(data, as_of)
    counts = pd.DataFrame(0, index=pd.Index(units, name="unit"), columns=pd.Index(areas, name="area"))
    if tasks.empty:
        return counts.astype("int64")
    overdue = tasks[tasks["area"].notna() & tasks["state"].eq("open_overdue")]
    for (unit, area), group in overdue.groupby(["lead_unit", "area"], sort=False):
        counts.loc[unit, area] = len(group)
    return counts.astype("int64")


def unit_league(data: year_view.YearData, as_of: date, kind: str | None = None) -> pd.DataFrame:
    """Per lead unit: task counts, completion ratios and index points attributed to it, worst first.

    Worst first = lowest done ÷ due (units with nothing due last), then most overdue, then most
    points lost. kind 'office' keeps offices, 'commune' communes and towns, None everything.
    Units that lost points but lead no task are listed with zero tasks.
    """
    if kind is not None and kind not in UNIT_KIND_GROUPS:
        raise ValueError(f"kind must be None, 'office' or 'commune', got {kind!r}")
    tasks = _tasks_of_year(data)
    kind_of = _kind_of(data.units)
    rows: dict[str, dict[str, Any]] = {}
    if not tasks.empty:
        for record in task_counts(tasks, as_of, by="lead_unit").to_dict("records"):
            rows[_key(record["lead_unit"])] = {
                "unit": record["lead_unit"],
                **{c: int(record[c]) for c in ("assigned", "due", "done", "open_overdue")},
                "deducted_points": 0.0,
            }
    criteria = year_view.criteria(data, as_of)
    if not criteria.empty:
        lost = attribution.deductions_by_unit(criteria, data.tasks, as_of, year=data.year)
        for record in lost.to_dict("records"):
            row = rows.setdefault(
                _key(record["unit"]),
                {"unit": record["unit"], "assigned": 0, "due": 0, "done": 0, "open_overdue": 0},
            )
            row["deducted_points"] = row.get("deducted_points", 0.0) + float(record["points"])
    out = []
    for row in rows.values():
        unit_kind = kind_of(row["unit"])
        if kind is not None and unit_kind not in UNIT_KIND_GROUPS[kind]:
            continue
        out.append(
            {
                **row,
                "kind": unit_kind,
                "deducted_points": round(row.get("deducted_points", 0.0), 9),
                "done_ratio_of_due": _ratio(row["done"], row["due"]),
                "done_ratio_of_assigned": _ratio(row["done"], row["assigned"]),
            }
        )
    ints = ("assigned", "due", "done", "open_overdue")
    floats = ("done_ratio_of_due", "done_ratio_of_assigned", "deducted_points")
    if not out:
        return _empty(LEAGUE_COLUMNS, floats, ints)
    frame = pd.DataFrame(out, columns=LEAGUE_COLUMNS)
    frame = frame.astype({**dict.fromkeys(ints, "int64"), **dict.fromkeys(floats, "float64")})
    order = frame.assign(
        _nothing_due=frame["done_ratio_of_due"].isna(),
        _ratio=frame["done_ratio_of_due"].fillna(0.0),
        _name=[u.casefold() for u in frame["unit"]],
    ).sort_values(
        ["_nothing_due", "_ratio", "open_overdue", "deducted_points", "_name"],
        ascending=[True, True, False, False, True],
        kind="stable",
    )
    return frame.loc[order.index].reset_index(drop=True)


def _assessed_units(data: year_view.YearData, as_of: date) -> list[str]:
    """Units (not the district) with score rows of the year up to as_of's quarter."""
    scores = _of_year(data.scores, data.year)
    if scores.empty or "unit" not in scores.columns:
        return []
    if "quarter" in scores.columns and as_of.year == data.year:
        quarter = pd.to_numeric(scores["quarter"], errors="coerce")
        scores = scores[quarter.le(quarter_of(as_of)).fillna(False).astype(bool)]
    names = _Names()
    units = [names.add(u) for u in scores["unit"].tolist() if not _missing(u) and clean(u)]
    return sorted(set(units), key=lambda u: (u.casefold(), u))


def commune_index(data: year_view.YearData, as_of: date) -> pd.DataFrame:
    """One row per assessed unit with scores: max, likely, deducted, unknown_max, percent, rank,
    then one column per area (named by its code, 'I'..'VIII') with the points deducted there.

    Each unit is scored by index.criteria_scores on its own scores, tasks and dossiers. Lowest
    percent first (units with no known points last).
    """
    framework = _of_year(data.framework, data.year)
    rows: list[dict[str, Any]] = []
    areas: list[str] = []
    # Each unit's engine keeps only its own dossiers and scores: hand it those (split once) rather
    # than the whole year's, which it would scan once per commune.
    dossiers = _parts_by_unit(data.dossiers, "unit")
    scores = _parts_by_unit(data.scores, "unit")
    for unit in _assessed_units(data, as_of):
        own = replace(
            data,
            dossiers=dossiers.get(_key(unit), data.dossiers.iloc[0:0]),
            scores=scores.get(_key(unit), data.scores.iloc[0:0]),
        )
        criteria = year_view.criteria(own, as_of, unit)
        total = scoring.index_total(criteria)
        by_area = scoring.index_by_area(criteria, framework if not framework.empty else None)
        row: dict[str, Any] = {
            "unit": unit,
            **{k: _float(total[k]) for k in ("max", "likely", "deducted", "unknown_max", "percent")},
            "rank": scoring.rank_label(total["percent"]),
        }
        for record in by_area.to_dict("records"):
            area = record["area"] if record["area"] is not None else "?"
            if area not in areas:
                areas.append(area)
            row[area] = _float(record["deducted"])
        rows.append(row)
    areas.sort(key=_roman)
    columns = COMMUNE_COLUMNS + areas
    floats = ["max", "likely", "deducted", "unknown_max", "percent", *areas]
    if not rows:
        return _empty(columns, floats)
    frame = pd.DataFrame(rows, columns=columns).astype(dict.fromkeys(floats, "float64"))
    order = frame.assign(
        _none=frame["percent"].isna(),
        _pct=frame["percent"].fillna(0.0),
        _name=[u.casefold() for u in frame["unit"]],
    ).sort_values(["_none", "_pct", "_name"], kind="stable")
    return frame.loc[order.index].reset_index(drop=True)
