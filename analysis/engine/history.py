"""More than one year: the same quarter a year earlier, the multi-year trend, rolled-up history and
the province's published results.

Frameworks differ by year (a district set in 2024, a commune set in 2025), so years are compared by
area (I, II, …) and as a percentage of each year's applicable maximum, never by raw points.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from analysis.engine import scoring
from analysis.engine import year as year_view
from analysis.engine.units import ROLLUP_RULE, lineage, resolve_on, roll_up
from analysis.periods import quarter_end
from analysis.text import same_name

TREND_RULE = (
    "Bộ tiêu chí thay đổi theo năm nên các năm được so sánh theo lĩnh vực và theo tỷ lệ điểm đạt trên điểm "
    "tối đa áp dụng của từng năm, không so điểm tuyệt đối."
)
TASK_COUNTS = ("assigned", "due", "done_on_time", "done_late", "open_in_time", "open_overdue")
COMPARISON_ROWS = {  # key: (label, kind)
    "assigned": ("Số nhiệm vụ được giao", "count"),
    "done": ("Đã hoàn thành", "count"),
    "open_overdue": ("Chưa hoàn thành quá hạn", "count"),
    "done_ratio_of_due": ("Tỷ lệ hoàn thành / đến hạn", "ratio"),
    "percent": ("Chỉ số dự kiến (% điểm tối đa áp dụng)", "percent"),
}


def same_quarter_last_year(
    now: year_view.YearData, before: year_view.YearData, quarter: int, unit: str | None = None
) -> pd.DataFrame:
    """Quarter Q of this year beside quarter Q of the previous year: key, label, kind, now, before, change.

    Counts compare as numbers; the index compares as a percentage of each year's applicable maximum.
    """
    a = year_view.summary(now, quarter_end(now.year, quarter), unit)
    b = year_view.summary(before, quarter_end(before.year, quarter), unit) if not before.empty else None
    olds = predecessors(now.units, unit, quarter_end(now.year, quarter)) if unit else []
    if b is not None and olds and olds != [unit]:
        # A merged commune a year earlier = the units it absorbed: counts summed, the index not
        # (units.ROLLUP_RULE), so the previous year's index is left empty.
        b = _summed_tasks([year_view.summary(before, quarter_end(before.year, quarter), o) for o in olds])

    def value(summary: dict[str, Any] | None, key: str) -> float | None:
        if summary is None:
            return None
        tasks = summary["tasks"]
        if key == "done":
            return tasks["done"]
        if key == "percent":
            return summary["index"]["percent"]
        return tasks.get(key)

    rows = []
    for key, (label, kind) in COMPARISON_ROWS.items():
        x, y = value(a, key), value(b, key)
        change = None if x is None or y is None else x - y
        rows.append({"key": key, "label": label, "kind": kind, "now": x, "before": y, "change": change})
    return pd.DataFrame(rows, columns=["key", "label", "kind", "now", "before", "change"])


def predecessors(units: pd.DataFrame, unit: str, on: date) -> list[str]:
    """The names of the units merged into `unit` (valid on `on`); [unit] when it absorbed none."""
    hit = resolve_on(units, unit, on)
    steps = lineage(units)
    olds = sorted(set(steps.loc[steps["new_code"].eq(hit.code), "old_name"])) if hit.code else []
    return olds or [unit]


def _summed_tasks(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """Task counts of several units added up; done ÷ due recomputed from the sums; no index."""
    keys = dict.fromkeys((*TASK_COUNTS, "done", "done_of_due"))
    tasks = {k: sum(s["tasks"][k] for s in summaries) for k in keys}
    tasks["done_ratio_of_due"] = round(tasks["done_of_due"] / tasks["due"], 4) if tasks["due"] else None
    return {"tasks": tasks, "index": {"percent": None}}


def year_point(data: year_view.YearData, unit: str | None = None) -> tuple[date, dict[str, Any]]:
    """A year's last cut-off with data and its summary (the year end once the year is over)."""
    as_of = year_view.resolve_as_of(data)
    return as_of, year_view.summary(data, as_of, unit)


def trend(years: list[year_view.YearData], unit: str | None = None) -> pd.DataFrame:
    """One row per year and area (plus area 'Tổng'): as_of, percent of the applicable maximum, done ÷ due.

    `percent` = likely ÷ (applicable max − unknown) × 100 of that year's own framework; `known_share` =
    the part of the applicable maximum that has data (a year with little known is not comparable).
    """
    rows = []
    for data in sorted(years, key=lambda d: d.year):
        if data.empty:
            continue
        as_of, summary = year_point(data, unit)
        ratio = summary["tasks"]["done_ratio_of_due"]
        index = summary["index"]
        known_share = (index["max"] - index["unknown_max"]) / index["max"] if index["max"] else None
        rows.append(
            {
                "year": data.year,
                "as_of": as_of,
                "area": "Tổng",
                "percent": index["percent"],
                "done_ratio_of_due": ratio,
                "assigned": summary["tasks"]["assigned"],
                "known_share": known_share,
            }
        )
        tasks_by_area = {r["area"]: r for r in summary.get("tasks_by_area", [])}
        # Per area from the criteria (the summary's areas carry no unknown part).
        by_area = scoring.index_by_area(year_view.criteria(data, as_of, unit))
        for area in by_area.to_dict("records"):
            if area["area"] is None:
                continue
            known = (area["max"] or 0.0) - (area["unknown_max"] or 0.0)
            task_row = tasks_by_area.get(area["area"], {})
            rows.append(
                {
                    "year": data.year,
                    "as_of": as_of,
                    "area": area["area"],
                    "percent": area["percent"],
                    "done_ratio_of_due": task_row.get("done_ratio_of_due"),
                    "assigned": task_row.get("assigned", 0),
                    "known_share": known / area["max"] if area["max"] else None,
                }
            )
    columns = ["year", "as_of", "area", "percent", "done_ratio_of_due", "assigned", "known_share"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["percent"] = pd.to_numeric(frame["percent"], errors="coerce").astype("float64")
    for column in ("done_ratio_of_due", "known_share"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def rolled_up_tasks(before: year_view.YearData, as_of: date, on: date) -> pd.DataFrame:
    """Task counts per lead unit of an earlier year, summed into the units that carry them on `on`.

    Columns: unit, code, predecessors, the task counts, done, done_ratio_of_due. See units.ROLLUP_RULE.
    """
    by_unit = pd.DataFrame(year_view.summary(before, as_of)["tasks_by_unit"])
    columns = ["unit", "code", "predecessors", *TASK_COUNTS, "done", "done_ratio_of_due"]
    if by_unit.empty:
        return pd.DataFrame(columns=columns)
    out = roll_up(by_unit, before.units, unit_column="unit", data_date=as_of, on=on, sum_columns=TASK_COUNTS)
    out["done"] = out["done_on_time"] + out["done_late"]
    out["done_ratio_of_due"] = (out["done"] / out["due"].where(out["due"] > 0)).astype("float64")
    return out[columns]


def rolled_up_index(communes: pd.DataFrame, units: pd.DataFrame, data_date: date, on: date) -> pd.DataFrame:
    """Earlier units' index beside today's unit: compared (lowest, highest, each), never summed.

    `communes` is league.commune_index of the earlier year (unit, percent …).
    """
    columns = ["unit", "predecessors", "lowest", "highest", "each"]
    if communes.empty:
        return pd.DataFrame(columns=columns)
    frame = communes[["unit", "percent"]].copy()
    frame["one"] = 1
    mapped = roll_up(frame, units, unit_column="unit", data_date=data_date, on=on, sum_columns=["one"])
    rows = []
    for record in mapped.to_dict("records"):
        olds = [n.strip() for n in record["predecessors"].split(",")]
        values = {o: _percent_of(frame, o) for o in olds}
        known = [v for v in values.values() if v is not None]
        rows.append(
            {
                "unit": record["unit"],
                "predecessors": record["predecessors"],
                "lowest": min(known) if known else None,
                "highest": max(known) if known else None,
                "each": values,
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _percent_of(frame: pd.DataFrame, name: str) -> float | None:
    hit = frame[[same_name(u, name) for u in frame["unit"]]]
    if hit.empty or pd.isna(hit["percent"].iloc[0]):
        return None
    return float(hit["percent"].iloc[0])


def standing(results: pd.DataFrame, name: str) -> pd.DataFrame:
    """The organisation in the published results, per year: percent, rank, of (peers ranked), peers' median."""
    columns = ["year", "unit", "peer_group", "score", "percent", "rank", "of", "peers_median", "best"]
    if results.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for year, part in results.groupby("year", sort=True):
        mine = part[[same_name(u, name) for u in part["unit"]]]
        if mine.empty:
            continue
        row = mine.iloc[0]
        peers = (
            part[part["peer_group"].fillna("").eq(row["peer_group"] or "")] if "peer_group" in part else part
        )
        rows.append(
            {
                "year": int(year),
                "unit": row["unit"],
                "peer_group": row.get("peer_group"),
                "score": row.get("score"),
                "percent": row["percent"],
                "rank": row["rank"],
                "of": len(peers),
                "peers_median": float(peers["percent"].median()),
                "best": float(peers["percent"].max()),
            }
        )
    return pd.DataFrame(rows, columns=columns)


__all__ = [
    "ROLLUP_RULE",
    "TREND_RULE",
    "rolled_up_index",
    "rolled_up_tasks",
    "same_quarter_last_year",
    "standing",
    "trend",
    "year_point",
]
