"""Tables the pages and exports show: quarter series, unit league, late units, commune index, dossiers.

Every function takes a views.YearData and returns a pandas frame; numbers come from the same
engine as views.summary (task states from analysis.engine.tasks, points from analysis.engine.index). Ratios
are fractions (0.855) with NaN where there is nothing to divide by; pages format them with fmt.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from analysis import facade as views
from analysis.engine import index as engine
from analysis.engine.tasks import (
    COUNT_COLUMNS,
    quarter_end,
    quarter_of,
    task_counts,
    task_states,
    tasks_with_state,
)
from analysis.engine.units import UnitIndex
from analysis.fmt import is_missing, quarter_label
from analysis.schema import (
    CHANNELS,
    DOSSIER_STATUSES,
    TASK_STATES,
    TASK_STATUSES,
    UNIT_KINDS,
    dataset,
)
from analysis.text import clean

LEAGUE_KINDS = ("office", "commune", "town", "other")
KIND_FILTERS = {"office": frozenset({"office"}), "commune": frozenset({"commune", "town"})}
RESOLVED = ("resolved_early", "resolved_on_time", "resolved_late")
ON_TIME = ("resolved_early", "resolved_on_time")

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
COMMUNE_COLUMNS = ["unit", "max", "likely", "deducted", "unknown_max", "percent", "rank"]
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

# Vietnamese headers of the report columns; schema labels cover the canonical ones.
REPORT_LABELS: dict[str, str] = {
    "unit": "Đơn vị",
    "kind": "Loại đơn vị",
    "quarter": "Quý",
    "label": "Kỳ",
    "as_of": "Số liệu đến ngày",
    "assigned": "Số nhiệm vụ được giao",
    "due": "Số nhiệm vụ đến hạn",
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
    "open_in_time": "Chưa hoàn thành trong hạn",
    "open_overdue": "Chưa hoàn thành quá hạn",
    "done": "Đã hoàn thành",
    "done_ratio_of_due": "Tỷ lệ hoàn thành / đến hạn",
    "done_ratio_of_assigned": "Tỷ lệ hoàn thành / được giao",
    "planned_due": "Số nhiệm vụ đến hạn theo kế hoạch",
    "max": "Điểm tối đa",
    "likely": "Điểm dự kiến",
    "deducted": "Điểm bị trừ",
    "unknown_max": "Điểm chưa có số liệu",
    "percent": "Chỉ số dự kiến (%)",
    "rank": "Xếp loại dự kiến",
    "area": "Lĩnh vực",
    "name": "Tên",
    "deducted_points": "Điểm bị trừ quy cho đơn vị",
    "task_codes": "Nhiệm vụ quá hạn (TT)",
    "oldest_overdue_days": "Quá hạn lâu nhất (ngày)",
    "late_dossiers": "Hồ sơ trễ hạn",
    "late_without_apology": "Hồ sơ trễ hạn chưa có phiếu xin lỗi (Mẫu 04)",
    "on_time_rate": "Tỷ lệ hồ sơ đúng hạn",
    "online_rate": "Tỷ lệ hồ sơ trực tuyến",
    "total": "Tổng số hồ sơ",
    "resolved": "Đã giải quyết",
    "on_time": "Giải quyết đúng hạn, trước hạn",
    "late": "Giải quyết quá hạn",
    "online": "Nộp trực tuyến",
    "state": "Trạng thái tại ngày số liệu",
    "days_overdue": "Số ngày quá hạn",
    "code": "TT",
    "title": "Nội dung nhiệm vụ",
    "lead_unit": "Cơ quan chủ trì",
    "co_units": "Cơ quan phối hợp",
    "deadline_text": "Thời gian hoàn thành",
    "deadline": "Hạn",
    "completed_on": "Ngày hoàn thành",
    "status": "Tình trạng (chuẩn hóa)",
    "gain": "Điểm lấy lại",
    "points": "Điểm bị trừ",
}
RATIO_COLUMNS = frozenset(
    {"done_ratio_of_due", "done_ratio_of_assigned", "on_time_rate", "online_rate"}
    | {
        REPORT_LABELS[c]
        for c in ("done_ratio_of_due", "done_ratio_of_assigned", "on_time_rate", "online_rate")
    }
)
# Values shown in Vietnamese in exports (task and dossier status keys do not overlap).
VALUE_LABELS: dict[str, dict[str, str]] = {
    "state": dict(TASK_STATES),
    "status": {**TASK_STATUSES, **DOSSIER_STATUSES},
    "kind": dict(UNIT_KINDS),
    "channel": dict(CHANNELS),
}
TASK_EXPORT_COLUMNS = [
    "code",
    "area",
    "title",
    "lead_unit",
    "co_units",
    "deadline_text",
    "deadline",
    "state",
    "completed_on",
    "days_overdue",
    "criterion",
    "product",
    "note",
]
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


# Small helpers ---------------------------------------------------------------------------


_missing = is_missing  # one definition of 'missing' for every module


def _key(value: Any) -> str:
    """Matching key for unit names: NFC, trimmed, case-folded; accents kept (Ba Tơ ≠ Ba Tô)."""
    return "" if _missing(value) else clean(value).casefold()


def _float(value: Any) -> float:
    return math.nan if _missing(value) else float(value)


def _per_distinct(values: pd.Series, fn: Any) -> list[Any]:
    """[fn(v) for v in values], calling fn once per distinct value, in order of first appearance.

    A year of dossiers repeats a hundred unit names a million times; calling fn per row took seconds.
    First-appearance order keeps order-dependent functions (first spelling wins) exact.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    mapped = np.empty(len(uniques), dtype=object)
    mapped[:] = [fn(v) for v in uniques]
    return mapped[codes].tolist()


def _parts_by_unit(frame: pd.DataFrame, column: str) -> dict[str, pd.DataFrame]:
    """The rows of a frame grouped by the matching key of a unit column (row order kept)."""
    if frame.empty or column not in frame.columns:
        return {}
    keys = np.asarray(_per_distinct(frame[column], _key), dtype=object)
    return {key: part for key, part in frame.groupby(keys, sort=False)}


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.nan


def _of_year(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    if frame.empty or "year" not in frame.columns:
        return frame
    return frame[pd.to_numeric(frame["year"], errors="coerce").eq(year).fillna(False).astype(bool)]


def _code_order(code: Any) -> tuple[int, float, str]:
    """Task codes in natural order: 2 before 10."""
    text = "" if _missing(code) else clean(code)
    try:
        return (0, float(text), text)
    except ValueError:
        return (1, 0.0, text)


def _roman(text: Any) -> tuple[int, str]:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    word = "" if _missing(text) else str(text).upper()
    if not word or any(ch not in values for ch in word):
        return (10_000, word)
    digits = [values[ch] for ch in word]
    total = sum(-v if i + 1 < len(digits) and digits[i + 1] > v else v for i, v in enumerate(digits))
    return (total, word)


class _Names:
    """Display names of units keyed by their matching key (first spelling seen wins)."""

    def __init__(self) -> None:
        self.shown: dict[str, str] = {}

    def add(self, name: Any, fallback: str = engine.NO_LEAD_UNIT) -> str:
        shown = fallback if _missing(name) or not clean(name) else clean(name)
        return self.shown.setdefault(_key(shown), shown)


def _kind_of(units: pd.DataFrame):
    """A function from unit name to 'office' | 'commune' | 'town' | 'other'."""
    has_columns = not units.empty and {"name", "kind"} <= set(units.columns)
    lookup = UnitIndex(units) if has_columns else None

    def kind(name: str) -> str:
        if lookup is None:
            return "other"
        found = lookup.resolve(name)
        return found.kind if found.known and found.kind in LEAGUE_KINDS else "other"

    return kind


def _tasks_of_year(data: views.YearData) -> pd.DataFrame:
    """The year's tasks with a display unit name in lead_unit ('Chưa rõ đơn vị chủ trì' if missing)."""
    tasks = _of_year(data.tasks, data.year)
    if tasks.empty:
        return tasks.reset_index(drop=True)
    names = _Names()
    tasks = tasks.reset_index(drop=True).copy()
    tasks["lead_unit"] = [names.add(u) for u in tasks["lead_unit"].tolist()]
    return tasks


def _empty(columns: list[str], floats: Iterable[str] = (), ints: Iterable[str] = ()) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    for column in floats:
        frame[column] = frame[column].astype("float64")
    for column in ints:
        frame[column] = frame[column].astype("int64")
    return frame


# Quarter series ---------------------------------------------------------------------------


def _quarter_cutoffs(
    data: views.YearData, until_quarter: int | None, as_of: date | None
) -> list[tuple[int, date]]:
    """(quarter, cut-off date) for quarters 1..until; the last one stops at as_of when given."""
    if until_quarter is None:
        until_quarter = quarter_of(as_of) if as_of is not None and as_of.year == data.year else None
    until = until_quarter or views.latest_quarter(data)
    until = max(1, min(4, int(until)))
    cutoffs = []
    for quarter in range(1, until + 1):
        end = quarter_end(data.year, quarter)
        cutoffs.append((quarter, min(end, as_of) if as_of is not None else end))
    return cutoffs


def _quarter_summaries(
    data: views.YearData, unit: str | None, until_quarter: int | None, as_of: date | None
) -> list[tuple[int, date, dict[str, Any]]]:
    return [
        (q, cut, views.summary(data, cut, unit)) for q, cut in _quarter_cutoffs(data, until_quarter, as_of)
    ]


def _planned_due(data: views.YearData, unit: str | None, end: date) -> int:
    """Tasks (of the unit, when given) whose fixed deadline falls on or before the date."""
    tasks = _of_year(data.tasks, data.year)
    if tasks.empty:
        return 0
    if unit is not None:
        tasks = tasks[[_key(u) == _key(unit) for u in tasks["lead_unit"]]]
    deadline = pd.to_datetime(tasks["deadline"], errors="coerce").dt.normalize()
    ongoing = tasks["ongoing"].eq(True).fillna(False).astype(bool) if "ongoing" in tasks else False
    return int((deadline.le(pd.Timestamp(end)) & ~ongoing).sum())


def quarter_series(
    data: views.YearData,
    unit: str | None = None,
    until_quarter: int | None = None,
    *,
    as_of: date | None = None,
) -> pd.DataFrame:
    """One row per quarter 1..until_quarter (default: the latest quarter with data): task counts
    and the likely index at each quarter end, from views.summary.

    With `as_of`, the series stops at that date's quarter and the last quarter is counted at
    as_of (a quarter end in the future would call tasks overdue that are not yet).
    planned_due counts tasks whose deadline falls on or before the quarter end.
    """
    rows = []
    for quarter, cut, summary in _quarter_summaries(data, unit, until_quarter, as_of):
        tasks, index = summary["tasks"], summary["index"]
        done = tasks["done_on_time"] + tasks["done_late"]
        rows.append(
            {
                "quarter": quarter,
                "label": quarter_label(quarter, data.year),
                "as_of": pd.Timestamp(cut),
                **{k: tasks[k] for k in ("assigned", "due", "done_on_time", "done_late")},
                "open_in_time": tasks["open_in_time"],
                "open_overdue": tasks["open_overdue"],
                "done": done,
                # From the counts rather than the summary's rounded ratios.
                "done_ratio_of_due": _ratio(done, tasks["due"]),
                "done_ratio_of_assigned": _ratio(done, tasks["assigned"]),
                "planned_due": _planned_due(data, unit, quarter_end(data.year, quarter)),
                **{k: _float(index[k]) for k in ("max", "likely", "deducted", "unknown_max", "percent")},
                "rank": index["rank"] or "—",
            }
        )
    ints = ("quarter", "assigned", "due", "done_on_time", "done_late", "open_in_time", "open_overdue")
    ints += ("done", "planned_due")
    floats = ("done_ratio_of_due", "done_ratio_of_assigned", "max", "likely", "deducted", "unknown_max")
    floats += ("percent",)
    if not rows:
        return _empty(SERIES_COLUMNS, floats, ints)
    frame = pd.DataFrame(rows, columns=SERIES_COLUMNS)
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    return frame.astype({**dict.fromkeys(ints, "int64"), **dict.fromkeys(floats, "float64")})


def area_deductions_by_quarter(
    data: views.YearData,
    unit: str | None = None,
    until_quarter: int | None = None,
    *,
    as_of: date | None = None,
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


# Units × areas ----------------------------------------------------------------------------


def _unit_area_counts(data: views.YearData, as_of: date) -> tuple[list[str], list[str], pd.DataFrame]:
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


def unit_area_matrix(data: views.YearData, as_of: date) -> pd.DataFrame:
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


def unit_area_overdue(data: views.YearData, as_of: date) -> pd.DataFrame:
    """Open overdue tasks per lead unit and area (same rows and columns as unit_area_matrix)."""
    units, areas, tasks = _unit_area_counts(data, as_of)
    counts = pd.DataFrame(0, index=pd.Index(units, name="unit"), columns=pd.Index(areas, name="area"))
    if tasks.empty:
        return counts.astype("int64")
    overdue = tasks[tasks["area"].notna() & tasks["state"].eq("open_overdue")]
    for (unit, area), group in overdue.groupby(["lead_unit", "area"], sort=False):
        counts.loc[unit, area] = len(group)
    return counts.astype("int64")


# Unit league ------------------------------------------------------------------------------


def unit_league(data: views.YearData, as_of: date, kind: str | None = None) -> pd.DataFrame:
    """Per lead unit: task counts, completion ratios and index points attributed to it, worst first.

    Worst first = lowest done ÷ due (units with nothing due last), then most overdue, then most
    points lost. kind 'office' keeps offices, 'commune' communes and towns, None everything.
    Units that lost points but lead no task are listed with zero tasks.
    """
    if kind is not None and kind not in KIND_FILTERS:
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
    criteria = views.criteria(data, as_of)
    if not criteria.empty:
        lost = engine.deductions_by_unit(criteria, data.tasks, as_of, year=data.year)
        for record in lost.to_dict("records"):
            row = rows.setdefault(
                _key(record["unit"]),
                {"unit": record["unit"], "assigned": 0, "due": 0, "done": 0, "open_overdue": 0},
            )
            row["deducted_points"] = row.get("deducted_points", 0.0) + float(record["points"])
    out = []
    for row in rows.values():
        unit_kind = kind_of(row["unit"])
        if kind is not None and unit_kind not in KIND_FILTERS[kind]:
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


# Dossiers ---------------------------------------------------------------------------------


def _dossier_states(data: views.YearData, as_of: date) -> pd.DataFrame:
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


def dossier_summary(data: views.YearData, as_of: date) -> pd.DataFrame:
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


# Late units -------------------------------------------------------------------------------


def late_units(data: views.YearData, as_of: date) -> pd.DataFrame:
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


def late_units_for_export(df: pd.DataFrame) -> pd.DataFrame:
    """late_units with Vietnamese headers and unit kinds; dossier columns dropped when all empty."""
    frame = df.copy()
    for column in ("late_dossiers", "late_without_apology", "on_time_rate"):
        if column in frame.columns and frame[column].isna().all() and len(frame):
            frame = frame.drop(columns=column)
    if "kind" in frame.columns:
        frame["kind"] = [UNIT_KINDS.get(k, k) for k in frame["kind"]]
    labels = {**REPORT_LABELS, "open_overdue": "Số nhiệm vụ chưa hoàn thành quá hạn"}
    return frame.rename(columns={c: labels.get(c, c) for c in frame.columns})


def task_list_for_export(tasks: pd.DataFrame) -> pd.DataFrame:
    """views.task_list output with the columns people read, Vietnamese headers and state names."""
    columns = [c for c in TASK_EXPORT_COLUMNS if c in tasks.columns]
    frame = tasks[columns].copy()
    if "code" in frame.columns:
        frame = frame.iloc[sorted(range(len(frame)), key=lambda i: _code_order(frame["code"].iloc[i]))]
    if "state" in frame.columns:
        frame["state"] = [TASK_STATES.get(s, s) for s in frame["state"]]
    labels = {c: REPORT_LABELS.get(c) or _schema_label(c) or c for c in frame.columns}
    labels["criterion"] = "Mã tiêu chí"
    return frame.reset_index(drop=True).rename(columns=labels)


# Commune index ----------------------------------------------------------------------------


def _assessed_units(data: views.YearData, as_of: date) -> list[str]:
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


def commune_index(data: views.YearData, as_of: date) -> pd.DataFrame:
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
        criteria = views.criteria(own, as_of, unit)
        total = engine.index_total(criteria)
        by_area = engine.index_by_area(criteria, framework if not framework.empty else None)
        row: dict[str, Any] = {
            "unit": unit,
            **{k: _float(total[k]) for k in ("max", "likely", "deducted", "unknown_max", "percent")},
            "rank": engine.rank_label(total["percent"]),
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


# Excel export -----------------------------------------------------------------------------


def _schema_label(column: str) -> str | None:
    for name in ("tasks", "dossiers", "scores", "framework", "units"):
        try:
            return dataset(name).column(column).label
        except KeyError:
            continue
    return None


def _header(column: Any) -> str:
    text = str(column)
    return REPORT_LABELS.get(text) or _schema_label(text) or text


def _sheet_names(keys: Iterable[str]) -> list[str]:
    names: list[str] = []
    for i, key in enumerate(keys, start=1):
        base = _SHEET_BAD.sub("-", clean(key)).strip("'") or f"Trang {i}"
        name, n = base[:31], 2
        while name.casefold() in {x.casefold() for x in names}:
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        names.append(name)
    return names


def _cell_value(value: Any, labels: dict[str, str] | None) -> Any:
    """A plain Python value for xlsxwriter (None for blanks)."""
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(v) for v in value)
    if _missing(value):
        return None
    if isinstance(value, (bool, np.bool_)):
        return "Có" if value else "Không"
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if labels is not None and isinstance(value, str):
        return labels.get(value, value)
    return value


def _display_length(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, (date, datetime)):
        return 16 if isinstance(value, datetime) and value.time() != datetime.min.time() else 10
    if isinstance(value, float):
        return len(f"{value:,.2f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def to_excel_bytes(frames: dict[str, pd.DataFrame], title: str, *, subtitle: str | None = None) -> bytes:
    """An .xlsx with one sheet per frame: title row (and subtitle), bold frozen Vietnamese headers,
    dates as dd/mm/yyyy, ratios as percentages, column widths fitted to the content.

    Canonical column names get their Vietnamese header and coded values (task states, statuses,
    unit kinds, channels) their Vietnamese names; columns already in Vietnamese are kept.
    """
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    title_fmt = book.add_format({"bold": True, "font_size": 14})
    subtitle_fmt = book.add_format({"italic": True, "font_color": "#555555"})
    header_fmt = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "vcenter", "bg_color": "#E8EEF4", "border": 1}
    )
    formats = {
        "date": book.add_format({"num_format": "dd/mm/yyyy"}),
        "datetime": book.add_format({"num_format": "dd/mm/yyyy hh:mm"}),
        "percent": book.add_format({"num_format": "0.0%"}),
        "float": book.add_format({"num_format": "#,##0.00"}),
        "int": book.add_format({"num_format": "0"}),
        "text": book.add_format({"text_wrap": False}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
    }
    if not frames:
        frames = {"Trang 1": pd.DataFrame()}
    header_row = 2
    for name, frame in zip(_sheet_names(frames.keys()), frames.values(), strict=True):
        if not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None:
            frame = frame.reset_index()
        sheet = book.add_worksheet(name)
        sheet.write(0, 0, title, title_fmt)
        if subtitle:
            sheet.write(1, 0, subtitle, subtitle_fmt)
        sheet.set_row(header_row, 36)
        for col, column in enumerate(frame.columns):
            header = _header(column)
            sheet.write(header_row, col, header, header_fmt)
            labels = VALUE_LABELS.get(str(column))
            values = [_cell_value(v, labels) for v in frame[column].tolist()]
            with_time = any(isinstance(v, datetime) and v.time() != datetime.min.time() for v in values)
            is_ratio = str(column) in RATIO_COLUMNS
            is_float = any(isinstance(v, float) for v in values)
            is_int = pd.api.types.is_integer_dtype(frame[column].dtype)
            width = max([_display_length(v) for v in values] + [min(len(header), 24), 6]) + 2
            wrap = width > 60
            for row, value in enumerate(values, start=header_row + 1):
                if value is None:
                    sheet.write_blank(row, col, None)
                elif isinstance(value, (datetime, date)):
                    if not isinstance(value, datetime):
                        value = datetime(value.year, value.month, value.day)
                    sheet.write_datetime(row, col, value, formats["datetime" if with_time else "date"])
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    if isinstance(value, float) and not math.isfinite(value):
                        sheet.write_blank(row, col, None)
                    elif is_ratio:
                        sheet.write_number(row, col, value, formats["percent"])
                    elif is_int or (not is_float and isinstance(value, int)):
                        sheet.write_number(row, col, value, formats["int"])
                    else:
                        sheet.write_number(row, col, value, formats["float"])
                else:
                    sheet.write_string(row, col, str(value), formats["wrap" if wrap else "text"])
            sheet.set_column(col, col, min(width, 60))
        sheet.freeze_panes(header_row + 1, 0)
        if len(frame.columns):
            sheet.autofilter(header_row, 0, header_row + max(len(frame), 1), len(frame.columns) - 1)
    book.close()
    return buffer.getvalue()


__all__ = [
    "REPORT_LABELS",
    "area_deductions_by_quarter",
    "commune_index",
    "dossier_summary",
    "late_units",
    "late_units_for_export",
    "quarter_series",
    "task_list_for_export",
    "to_excel_bytes",
    "unit_area_matrix",
    "unit_area_overdue",
    "unit_league",
]
