"""Dossier handling: counts by unit, official and period, the weekly late list, on-time trends.

Every figure comes from the store's SQL aggregates (analysis.store.DossierRows), which hold the one
definition of resolved late, pending overdue, days late and the on-time rate. Pages, the criteria
(3.4, 3.5, 7.3 and the Mẫu 04 clause), the CLI and the exports all read them; no year of dossier
rows is ever held in pandas.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis.errors import UserError
from analysis.fmt import is_missing
from analysis.periods import month_end, quarter_end, quarter_start
from analysis.schema import DOSSIER_STATS
from analysis.store import DossierRows
from analysis.text import clean, name_key

if TYPE_CHECKING:  # the year view imports the scoring engine, which calls this module
    from analysis.engine.year import YearData

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
LATE_STATES = {"resolved_late": "Giải quyết quá hạn", "pending_overdue": "Đang xử lý quá hạn"}
NO_OFFICIAL = "Chưa rõ cán bộ thụ lý"
NOTICE_TITLE = "Danh sách đơn vị, cá nhân chậm trễ trong giải quyết TTHC"
PERIOD_KINDS = {"week": "Tuần", "month": "Tháng", "quarter": "Quý"}
STATS_COUNTS = frozenset(c.name for c in DOSSIER_STATS.columns if c.type == "int" and not c.derived)


class PeriodError(UserError):
    """A week, month or quarter that does not exist (message in Vietnamese / English)."""


_key = name_key  # one matching key for unit names (accents kept: Ba Tơ ≠ Ba Tô)


def rows_of(dossiers: DossierRows | pd.DataFrame | None, year: int | None) -> DossierRows:
    """The aggregate source of a year's dossiers: the store's handle, or a (small) frame wrapped."""
    if isinstance(dossiers, DossierRows):
        return dossiers
    return DossierRows(frame=dossiers if dossiers is not None else pd.DataFrame(), year=year)


def _span(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00): the whole of the days start..end."""
    return datetime(start.year, start.month, start.day), datetime(end.year, end.month, end.day) + timedelta(1)


# Periods ------------------------------------------------------------------------------------------


def iso_week(iso_year: int, week: int) -> tuple[date, date]:
    """Monday and Sunday of an ISO week (2024-W01 starts on 1/1/2024; 2020 has a week 53)."""
    try:
        monday = date.fromisocalendar(iso_year, week, 1)
    except ValueError:
        raise PeriodError(
            f"Năm {iso_year} không có tuần {week} (tuần ISO từ 1 đến {weeks_in_year(iso_year)}). "
            f"/ ISO year {iso_year} has no week {week}."
        ) from None
    return monday, monday + timedelta(days=6)


def weeks_in_year(iso_year: int) -> int:
    """52 or 53: the ISO week of 28 December is always the last one."""
    return date(iso_year, 12, 28).isocalendar()[1]


_ISO_WEEK = re.compile(r"^\s*(\d{4})\s*-?\s*W\s*(\d{1,2})\s*$", re.IGNORECASE)


def parse_week(text: str | int, year: int) -> tuple[int, int]:
    """'26' (a week of `year`) or '2024-W26' -> (ISO year, week); checked to exist."""
    raw = str(text).strip()
    if m := _ISO_WEEK.match(raw):
        iso_year, week = int(m.group(1)), int(m.group(2))
    elif raw.isdigit():
        iso_year, week = year, int(raw)
    else:
        raise PeriodError(
            f"Tuần «{raw}» không hợp lệ: ghi số tuần (26) hoặc dạng 2024-W26. / Week {raw!r}: use 26 or 2024-W26."
        )
    iso_week(iso_year, week)
    return iso_year, week


def week_code(iso_year: int, week: int) -> str:
    """'2024-W26'."""
    return f"{iso_year}-W{week:02d}"


def _short(day: date) -> str:
    return f"{day.day}/{day.month}"


def week_label(iso_year: int, week: int) -> str:
    """'Tuần 26/2024 (24/6–30/6/2024)', the form of the weekly notice."""
    monday, sunday = iso_week(iso_year, week)
    return f"Tuần {week}/{iso_year} ({_short(monday)}–{_short(sunday)}/{sunday.year})"


def weeks_of_year(year: int, until: date | None = None) -> list[tuple[int, int]]:
    """The ISO weeks of a year (those starting up to `until`), oldest first."""
    last = weeks_in_year(year)
    weeks = [(year, w) for w in range(1, last + 1)]
    if until is not None:
        weeks = [(y, w) for y, w in weeks if iso_week(y, w)[0] <= until] or weeks[:1]
    return weeks


def week_of(day: date) -> tuple[int, int]:
    """The ISO week containing a day."""
    iso = day.isocalendar()
    return iso[0], iso[1]


def month_span(year: int, month: int) -> tuple[date, date]:
    """First and last day of a month."""
    return date(year, month, 1), month_end(year, month)


def quarter_span(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a quarter."""
    return quarter_start(year, quarter), quarter_end(year, quarter)


def period_label(kind: str, year: int, number: int) -> str:
    """'Tuần 26/2024 (24/6–30/6/2024)', 'Tháng 6/2024', 'Quý 2/2024'."""
    if kind == "week":
        return week_label(year, number)
    return f"{PERIOD_KINDS[kind]} {number}/{year}"


def period_span(kind: str, year: int, number: int) -> tuple[date, date]:
    """First and last day of a week, month or quarter."""
    if kind == "week":
        return iso_week(year, number)
    if kind == "month":
        return month_span(year, number)
    return quarter_span(year, number)


# Counts ------------------------------------------------------------------------------------------


def _rate(good: float, total: float) -> float:
    return good / total if total else math.nan


def period_counts(
    dossiers: DossierRows | pd.DataFrame,
    start: date,
    end: date,
    by: tuple[str, ...] = ("unit",),
    *,
    units: list[str] | None = None,
    year: int | None = None,
    received_from: date | None = None,
) -> pd.DataFrame:
    """Received, resolved (early / on time / late), pending overdue at the end, on-time rate, per group
    (only the dossiers received from `received_from` on, when given)."""
    since = None if received_from is None else _span(received_from, received_from)[0]
    frame = rows_of(dossiers, year).counts(*_span(start, end), by=by, units=units, since=since).copy()
    frame["on_time"] = frame["resolved_early"] + frame["resolved_on_time"]
    frame["on_time_rate"] = [_rate(g, t) for g, t in zip(frame["on_time"], frame["resolved"], strict=True)]
    return frame


def matching_units(dossiers: DossierRows, wanted: set[str]) -> list[str]:
    """The unit names of the rows whose matching key is in `wanted` (keys from _key)."""
    return [u for u in dossiers.unit_names() if _key(u) in wanted]


def criterion_counts(
    dossiers: DossierRows | pd.DataFrame, year: int, as_of: date, unit_keys: set[str] | None
) -> dict[str, int]:
    """The totals the dossier criteria read, for the year's dossiers (received from 1 January) up to
    as_of, for units with these keys.

    resolved, resolved_late, received, online, late_without_apology (resolved late or pending
    overdue at as_of with the slip recorded as not sent; an unknown slip is not counted).
    """
    rows = rows_of(dossiers, year)
    start = date(year, 1, 1)
    since = _span(start, start)[0]  # the year's own dossiers: those received in it
    per_unit = rows.counts(*_span(start, max(as_of, start - timedelta(days=1))), by=("unit",), since=since)
    if as_of < start:
        per_unit = per_unit.iloc[0:0]
    if unit_keys is not None:
        per_unit = per_unit[np.array([_key(u) in unit_keys for u in per_unit["unit"]], dtype=bool)]
    names = ("received", "online", "resolved", "resolved_late", "pending_overdue", "late_without_apology")
    if per_unit.empty and rows.frame is None:
        return stats_counts(rows, start, as_of, unit_keys) or dict.fromkeys(names, 0)
    return {n: int(per_unit[n].sum()) for n in names}


def stats_counts(
    dossiers: DossierRows, start: date, end: date, unit_keys: set[str] | None = None
) -> dict[str, int] | None:
    """The same totals from the aggregated statistics tables whose periods lie within start..end.

    For a year that has tables but no dossier list. Periods must not overlap (monthly or quarterly
    tables); pending overdue is that of the latest period. The apology slip is not in these tables:
    late_without_apology is 0. None when no table covers the span.
    """
    stats = dossiers.stats()
    if stats.empty:
        return None
    first = pd.to_datetime(stats["period_from"]).dt.date
    last = pd.to_datetime(stats["period_to"]).dt.date
    chosen = stats[((first >= start) & (last <= end)).to_numpy(bool)]
    if unit_keys is not None:
        chosen = chosen[np.array([_key(u) in unit_keys for u in chosen["unit"]], dtype=bool)]
    if chosen.empty:
        return None
    n = {c: pd.to_numeric(chosen[c], errors="coerce").fillna(0) for c in chosen.columns if c in STATS_COUNTS}
    latest = pd.to_datetime(chosen["period_to"]).eq(pd.to_datetime(chosen["period_to"]).max()).to_numpy(bool)
    return {
        "received": int(n["received_online"].sum() + n["received_direct"].sum()),
        "online": int(n["received_online"].sum()),
        "resolved": int(n["resolved_total"].sum()),
        "resolved_late": int(n["resolved_late"].sum()),
        "pending_overdue": int(n["pending_overdue"][latest].sum()),
        "late_without_apology": 0,
    }


def stats_rates(dossiers: DossierRows, start: date, end: date, by: str = "unit") -> pd.DataFrame:
    """Per unit (or field), from the statistics tables within start..end: resolved, on time, on_time_rate."""
    stats = dossiers.stats()
    first = pd.to_datetime(stats["period_from"]).dt.date
    last = pd.to_datetime(stats["period_to"]).dt.date
    chosen = stats[((first >= start) & (last <= end)).to_numpy(bool)].copy()
    for column in ("resolved_total", "resolved_early", "resolved_on_time", "resolved_late"):
        chosen[column] = pd.to_numeric(chosen[column], errors="coerce").fillna(0).astype("int64")
    grouped = chosen.groupby(by, sort=True)[
        ["resolved_total", "resolved_early", "resolved_on_time", "resolved_late"]
    ]
    frame = grouped.sum().reset_index().rename(columns={"resolved_total": "resolved"})
    frame["on_time"] = frame["resolved_early"] + frame["resolved_on_time"]
    frame["on_time_rate"] = [_rate(g, t) for g, t in zip(frame["on_time"], frame["resolved"], strict=True)]
    return frame


def dossier_summary(data: YearData, as_of: date) -> pd.DataFrame:
    """Per unit, the year's dossiers (received from 1 January) up to as_of: received (total), resolved, on time, late, pending overdue
    at as_of (open_overdue), online, on_time_rate = resolved not late ÷ resolved, online_rate =
    online ÷ received. Worst on-time rate first (units with nothing resolved last)."""
    from analysis.engine._frames import _kind_of  # _frames reads the scoring engine, which reads this

    first = date(data.year, 1, 1)
    counts = period_counts(data.dossiers, first, as_of, year=data.year, received_from=first)
    counts = counts[(counts["received"] + counts["resolved"] + counts["pending"]) > 0]
    kind_of = _kind_of(data.units)
    frame = pd.DataFrame(
        {
            "unit": counts["unit"].astype(object),
            "kind": [kind_of(u) for u in counts["unit"]],
            "total": counts["received"],
            "resolved": counts["resolved"],
            "on_time": counts["on_time"],
            "late": counts["resolved_late"],
            "open_overdue": counts["pending_overdue"],
            "online": counts["online"],
            "on_time_rate": counts["on_time_rate"],
            "online_rate": [_rate(o, t) for o, t in zip(counts["online"], counts["received"], strict=True)],
            "late_without_apology": counts["late_without_apology"],
        },
        columns=DOSSIER_COLUMNS,
    ).reset_index(drop=True)
    ints = ("total", "resolved", "on_time", "late", "open_overdue", "online", "late_without_apology")
    frame = frame.astype(
        {**dict.fromkeys(ints, "int64"), "on_time_rate": "float64", "online_rate": "float64"}
    )
    if frame.empty:
        return frame
    order = frame.assign(
        _none=frame["on_time_rate"].isna(),
        _rate=frame["on_time_rate"].fillna(0.0),
        _name=[u.casefold() for u in frame["unit"]],
    ).sort_values(["_none", "_rate", "late", "_name"], ascending=[True, True, False, True], kind="stable")
    return frame.loc[order.index].reset_index(drop=True)


def late_units(data: YearData, as_of: date) -> pd.DataFrame:
    """Units late at as_of: leading an open overdue task, or with dossiers resolved late since
    1 January or pending overdue at as_of. Columns LATE_COLUMNS; the dossier columns are <NA> when
    the year has no dossiers up to as_of. Most overdue tasks first."""
    from analysis.engine._frames import _code_order, _kind_of, _tasks_of_year
    from analysis.engine.tasks import tasks_with_state

    tasks = _tasks_of_year(data)
    rows: dict[str, dict[str, Any]] = {}
    if not tasks.empty:
        listed = tasks_with_state(tasks, as_of)
        overdue = listed[listed["state"].eq("open_overdue")]
        for unit, group in overdue.groupby("lead_unit", sort=False):
            codes = sorted((clean(c) for c in group["code"] if not is_missing(c)), key=_code_order)
            rows[_key(unit)] = {
                "unit": unit,
                "open_overdue": len(group),
                "task_codes": ", ".join(codes),
                "oldest_overdue_days": int(group["days_overdue"].max()),
            }
    summary = dossier_summary(data, as_of)
    has_dossiers = not summary.empty
    for record in summary.to_dict("records"):
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


# The weekly review -------------------------------------------------------------------------------


def resolve_unit(dossiers: DossierRows, unit: str) -> str:
    """The unit name as the dossiers spell it; a clear error naming the value when none matches."""
    found = matching_units(dossiers, {_key(unit)})
    if not found:
        known = ", ".join(dossiers.unit_names()[:8])
        raise UserError(
            f"Không có hồ sơ nào của đơn vị «{unit}». Các đơn vị có hồ sơ: {known}… "
            f"/ No dossiers for unit {unit!r}."
        )
    return found[0]


def late_list(
    dossiers: DossierRows | pd.DataFrame,
    start: date,
    end: date,
    *,
    period: str,
    label: str,
    unit: str | None = None,
    year: int | None = None,
) -> dict[str, Any]:
    """The late list of a period (the JSON of `python -m analysis late-list`).

    Totals over the period (resolved in it, resolved late, on-time rate, pending overdue at its end),
    then the units and officials with something late and every late dossier with its days late and
    whether the apology slip (Mẫu 04) was sent (null when the file does not say).
    """
    rows = rows_of(dossiers, year)
    units = [resolve_unit(rows, unit)] if unit else None
    span = _span(start, end)
    by_unit = period_counts(rows, start, end, ("unit",), units=units)
    totals = {k: int(by_unit[k].sum()) for k in ("resolved", "resolved_late", "pending_overdue", "on_time")}
    late = rows.late(*span, units=units)
    unit_rows = [
        {
            "unit": r["unit"],
            "resolved": int(r["resolved"]),
            "resolved_late": int(r["resolved_late"]),
            "pending_overdue": int(r["pending_overdue"]),
            "on_time_rate": None if math.isnan(r["on_time_rate"]) else round(float(r["on_time_rate"]), 4),
            "late_without_apology": int(r["late_without_apology"]),
        }
        for r in by_unit.to_dict("records")
        if r["resolved_late"] + r["pending_overdue"] > 0
    ]
    unit_rows.sort(key=lambda r: (-(r["resolved_late"] + r["pending_overdue"]), r["unit"].casefold()))
    officials: dict[tuple[str | None, str], dict[str, Any]] = {}
    for r in late:
        official = r["official"]
        entry = officials.setdefault(
            (official, r["unit"]),
            {"official": official, "unit": r["unit"], "resolved_late": 0, "pending_overdue": 0},
        )
        entry[r["state"]] += 1
    official_rows = sorted(
        officials.values(),
        key=lambda r: (
            -(r["resolved_late"] + r["pending_overdue"]),
            r["official"] is None,
            r["official"] or "",
            r["unit"],
        ),
    )
    # Records straight from the store: NULL is None, times are 'YYYY-MM-DD HH:MM' text.
    dossier_rows = [
        {
            k: r[k]
            for k in (
                "dossier_id",
                "unit",
                "official",
                "procedure",
                "received_at",
                "due_at",
                "resolved_at",
                "state",
                "days_late",
                "apology",
            )
        }
        for r in late
    ]
    return {
        "week" if period[5:6] == "W" else "period": period,
        "label": label,
        "title": f"{NOTICE_TITLE} — {label}",
        "from": start.isoformat(),
        "to": end.isoformat(),
        "unit": units[0] if units else None,
        "resolved": totals["resolved"],
        "resolved_late": totals["resolved_late"],
        "on_time_rate": round(totals["on_time"] / totals["resolved"], 4) if totals["resolved"] else None,
        "pending_overdue": totals["pending_overdue"],
        "units": unit_rows,
        "officials": official_rows,
        "dossiers": dossier_rows,
    }


def week_late_list(
    dossiers: DossierRows | pd.DataFrame, iso_year: int, week: int, unit: str | None = None
) -> dict[str, Any]:
    """The late list of one ISO week."""
    start, end = iso_week(iso_year, week)
    return late_list(
        dossiers, start, end, period=week_code(iso_year, week), label=week_label(iso_year, week), unit=unit
    )


def weekly_on_time(
    dossiers: DossierRows | pd.DataFrame, year: int, until: date, units: list[str] | None = None
) -> pd.DataFrame:
    """Per unit and ISO week of the (ISO) year up to `until`: resolved, on time, on_time_rate, week code."""
    first, last = iso_week(year, 1)[0], iso_week(year, weeks_in_year(year))[1]
    frame = rows_of(dossiers, year).weekly(*_span(first, min(until, last)), units=units).copy()
    frame["on_time_rate"] = [_rate(g, t) for g, t in zip(frame["on_time"], frame["resolved"], strict=True)]
    frame["week"] = [week_code(*week_of(d)) for d in pd.to_datetime(frame["week_start"]).dt.date]
    return frame


def on_time_bands(framework: pd.DataFrame) -> list[tuple[float, float]]:
    """(ratio, points) of the on-time criterion's bands in the year's framework, highest first."""
    from analysis.engine.rules import parse_thresholds

    if framework.empty or "metric" not in framework.columns:
        return []
    chosen = framework[framework["metric"].astype(str).str.startswith("dossier_on_time")]
    for text in chosen.get("thresholds", pd.Series(dtype=object)):
        try:
            bands = parse_thresholds(None if is_missing(text) else str(text))
        except ValueError:
            continue
        if bands:
            return [(t / 100 if pct else t, p) for t, p, pct in bands]
    return []
