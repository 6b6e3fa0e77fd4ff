"""Dossier handling by unit and the late-unit list the directive asks to publish."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd

from analysis.engine import year as year_view
from analysis.engine._frames import (
    _code_order,
    _empty,
    _key,
    _kind_of,
    _missing,
    _Names,
    _of_year,
    _per_distinct,
    _ratio,
    _tasks_of_year,
)
from analysis.engine.tasks import (
    tasks_with_state,
)
from analysis.text import clean

RESOLVED = ("resolved_early", "resolved_on_time", "resolved_late")
ON_TIME = ("resolved_early", "resolved_on_time")
DOSSIER_COLUMNS = [
    "unit",
    "kind",
    "total",
    "resolved",
    "on_time",
    "late",
    "open_overdue",
    "online",
    "on_time_rate",
    "online_rate",
    "late_without_apology",
]
LATE_COLUMNS = [
    "unit",
    "kind",
    "open_overdue",
    "task_codes",
    "oldest_overdue_days",
    "late_dossiers",
    "late_without_apology",
    "on_time_rate",
]


def _dossier_states(data: year_view.YearData, as_of: date) -> pd.DataFrame:
    """Dossiers received in the year up to as_of, with their situation at as_of.

    resolved: a resolved status and a resolution date on or before as_of (or none given);
    late: resolved late; open_overdue: not resolved at as_of and past its due date at as_of
    (for dossiers still open today, only when the system also says 'processing_overdue');
    late_without_apology: late or open overdue with the apology slip (Mẫu 04) recorded as
    missing (an unknown apology is not counted).
    """
    dossiers = _of_year(data.dossiers, data.year)
    columns = ["unit", "resolved", "on_time", "late", "open_overdue", "online", "late_without_apology"]
    if dossiers.empty:
        return pd.DataFrame({c: pd.Series(dtype=object if c == "unit" else bool) for c in columns})
    day = pd.Timestamp(as_of).normalize()
    day_after = day + pd.Timedelta(days=1)
    received = pd.to_datetime(dossiers["received_at"], errors="coerce")
    dossiers = dossiers[(received.dt.year.eq(data.year) & received.lt(day_after)).fillna(False).astype(bool)]
    if dossiers.empty:
        return pd.DataFrame({c: pd.Series(dtype=object if c == "unit" else bool) for c in columns})
    names = _Names()
    status = dossiers["status"].astype(object)
    resolved_at = pd.to_datetime(dossiers["resolved_at"], errors="coerce")
    due_at = pd.to_datetime(dossiers["due_at"], errors="coerce").dt.normalize()
    resolved_status = status.isin(RESOLVED).fillna(False).astype(bool)
    resolved = resolved_status & (resolved_at.isna() | resolved_at.lt(day_after))
    open_now = ~resolved & status.ne("withdrawn").fillna(True).astype(bool)
    past_due = due_at.notna() & due_at.lt(day)
    says_overdue = status.eq("processing_overdue").fillna(False).astype(bool)
    open_overdue = open_now & ((resolved_status & past_due) | (says_overdue & (due_at.isna() | past_due)))
    late = resolved & status.eq("resolved_late").fillna(False).astype(bool)
    apology = dossiers["apology"] if "apology" in dossiers.columns else pd.Series(None, index=dossiers.index)
    no_apology = pd.Series(
        _per_distinct(apology, lambda a: not _missing(a) and not bool(a)), index=dossiers.index, dtype=bool
    )
    channel = dossiers["channel"] if "channel" in dossiers.columns else pd.Series(None, index=dossiers.index)
    return pd.DataFrame(
        {
            "unit": _per_distinct(dossiers["unit"], lambda u: names.add(u, "Chưa rõ đơn vị")),
            "resolved": resolved.to_numpy(bool),
            "on_time": (resolved & status.isin(ON_TIME).fillna(False).astype(bool)).to_numpy(bool),
            "late": late.to_numpy(bool),
            "open_overdue": open_overdue.to_numpy(bool),
            "online": channel.eq("online").fillna(False).astype(bool).to_numpy(bool),
            "late_without_apology": ((late | open_overdue) & no_apology).to_numpy(bool),
        }
    )


def dossier_summary(data: year_view.YearData, as_of: date) -> pd.DataFrame:
    """Per unit: dossiers received in the year up to as_of, resolved, on time, late, overdue, online.

    on_time_rate = (early + on time) ÷ resolved; online_rate = online ÷ received. Worst on-time
    rate first (units with nothing resolved last).
    """
    states = _dossier_states(data, as_of)
    ints = ("total", "resolved", "on_time", "late", "open_overdue", "online", "late_without_apology")
    floats = ("on_time_rate", "online_rate")
    if states.empty:
        return _empty(DOSSIER_COLUMNS, floats, ints)
    kind_of = _kind_of(data.units)
    rows = []
    for unit, group in states.groupby("unit", sort=False):
        counts = {c: int(group[c].sum()) for c in ints if c != "total"}
        total = len(group)
        rows.append(
            {
                "unit": unit,
                "kind": kind_of(unit),
                "total": total,
                **counts,
                "on_time_rate": _ratio(counts["on_time"], counts["resolved"]),
                "online_rate": _ratio(counts["online"], total),
            }
        )
    frame = pd.DataFrame(rows, columns=DOSSIER_COLUMNS)
    frame = frame.astype({**dict.fromkeys(ints, "int64"), **dict.fromkeys(floats, "float64")})
    order = frame.assign(
        _none=frame["on_time_rate"].isna(),
        _rate=frame["on_time_rate"].fillna(0.0),
        _name=[u.casefold() for u in frame["unit"]],
    ).sort_values(["_none", "_rate", "late", "_name"], ascending=[True, True, False, True], kind="stable")
    return frame.loc[order.index].reset_index(drop=True)


def late_units(data: year_view.YearData, as_of: date) -> pd.DataFrame:
    """Units late at as_of, the list the directive asks to publish.

    A unit is listed when it leads an open overdue task or has a late dossier (resolved late or
    open past its due date). Columns: unit, kind, open_overdue, task_codes ('3, 6'),
    oldest_overdue_days, late_dossiers, late_without_apology, on_time_rate. The dossier columns
    are <NA> when the year has no dossiers up to as_of. Most overdue tasks first.
    """
    tasks = _tasks_of_year(data)
    rows: dict[str, dict[str, Any]] = {}
    if not tasks.empty:
        listed = tasks_with_state(tasks, as_of)
        overdue = listed[listed["state"].eq("open_overdue")]
        for unit, group in overdue.groupby("lead_unit", sort=False):
            codes = sorted((clean(c) for c in group["code"] if not _missing(c)), key=_code_order)
            rows[_key(unit)] = {
                "unit": unit,
                "open_overdue": len(group),
                "task_codes": ", ".join(codes),
                "oldest_overdue_days": int(group["days_overdue"].max()),
            }
    dossiers = dossier_summary(data, as_of)
    has_dossiers = not dossiers.empty
    for record in dossiers.to_dict("records"):
        late = record["late"] + record["open_overdue"]
        key = _key(record["unit"])
        if late == 0 and key not in rows:
            continue
        row = rows.setdefault(
            key, {"unit": record["unit"], "open_overdue": 0, "task_codes": "", "oldest_overdue_days": 0}
        )
        row.update(
            late_dossiers=late,
            late_without_apology=record["late_without_apology"],
            on_time_rate=record["on_time_rate"],
        )
    kind_of = _kind_of(data.units)
    out = []
    for row in rows.values():
        if has_dossiers:
            row.setdefault("late_dossiers", 0)
            row.setdefault("late_without_apology", 0)
            row.setdefault("on_time_rate", math.nan)
        out.append({"kind": kind_of(row["unit"]), **row})
    frame = pd.DataFrame(out, columns=LATE_COLUMNS)
    frame = frame.astype(
        {
            "open_overdue": "int64",
            "oldest_overdue_days": "int64",
            "late_dossiers": "Int64",
            "late_without_apology": "Int64",
            "on_time_rate": "float64",
        }
    )
    if frame.empty:
        return frame
    order = frame.assign(
        _late=frame["late_dossiers"].fillna(0).astype("int64"), _name=[u.casefold() for u in frame["unit"]]
    ).sort_values(
        ["open_overdue", "oldest_overdue_days", "_late", "_name"],
        ascending=[False, False, False, True],
        kind="stable",
    )
    return frame.loc[order.index].reset_index(drop=True)
