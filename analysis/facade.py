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

from analysis.engine import index as engine
from analysis.engine.summary import build_summary
from analysis.engine.tasks import quarter_end, quarter_of, tasks_with_state
from analysis.store import Store


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
    wanted = {"office": {"office"}, "commune": {"commune", "town"}}.get(kind)
    if wanted is not None:
        names = {n for n in names if kinds.get(n, "other") in wanted}
    return sorted(names)


def _signed(value: float, decimals: int = 2, unit: str = "") -> str:
    """'+1,5 điểm' / '-2 nhiệm vụ' for metric deltas (the sign sets the arrow)."""
    from analysis.fmt import num

    sign = "+" if value > 0 else ("-" if value < 0 else "±")
    return f"{sign}{num(abs(value), decimals)}{(' ' + unit) if unit else ''}"


def headline_cards(now: dict[str, Any], prev: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The overview's cards: label, value, change since the previous quarter, colour sense and help."""
    from analysis.fmt import num, pct

    t, i = now["tasks"], now["index"]
    done = t["done_on_time"] + t["done_late"]
    cards: list[dict[str, Any]] = []

    def delta(get, decimals: int = 2, unit: str = "", percent: bool = False) -> str | None:
        if prev is None:
            return None
        a, b = get(now), get(prev)
        if a is None or b is None:
            return None
        diff = (a - b) * (100 if percent else 1)
        return _signed(diff, decimals, unit)

    def done_of(s: dict[str, Any]) -> int:
        return s["tasks"]["done_on_time"] + s["tasks"]["done_late"]

    cards.append(
        {
            "label": "Nhiệm vụ đã hoàn thành",
            "value": f"{done}/{t['assigned']}",
            "delta": delta(done_of, 0, "nhiệm vụ"),
            "delta_color": "normal",
            "help": "Số nhiệm vụ đã hoàn thành trên tổng số nhiệm vụ được giao trong kế hoạch.",
        }
    )
    cards.append(
        {
            "label": "Hoàn thành / đến hạn",
            "value": pct(t["done_ratio_of_due"]),
            "delta": delta(lambda s: s["tasks"]["done_ratio_of_due"], 1, "điểm %", percent=True),
            "delta_color": "normal",
            "help": "Tỷ lệ chính thức: nhiệm vụ đã hoàn thành trên số nhiệm vụ đã đến hạn "
            "(đã hoàn thành cộng chưa hoàn thành quá hạn).",
        }
    )
    cards.append(
        {
            "label": "Nhiệm vụ quá hạn",
            "value": num(t["open_overdue"], 0),
            "delta": delta(lambda s: s["tasks"]["open_overdue"], 0, "nhiệm vụ"),
            "delta_color": "inverse",
            "help": "Nhiệm vụ chưa hoàn thành mà đã quá thời hạn.",
        }
    )
    cards.append(
        {
            "label": "Điểm dự kiến",
            "value": "—" if i["likely"] is None else f"{num(i['likely'], 2)} / {num(i['max'], 0)}",
            "delta": delta(lambda s: s["index"]["likely"], 2, "điểm"),
            "delta_color": "normal",
            "help": "Điểm chỉ số CCHC dự kiến theo số liệu hiện có (tiêu chí chưa có số liệu không được tính).",
        }
    )
    cards.append(
        {
            "label": "Điểm bị trừ",
            "value": "—" if i["deducted"] is None else num(i["deducted"], 2),
            "delta": delta(lambda s: s["index"]["deducted"], 2, "điểm"),
            "delta_color": "inverse",
            "help": "Tổng điểm tối đa trừ điểm dự kiến của các tiêu chí đã có số liệu.",
        }
    )
    return cards


def stake_table(stake: pd.DataFrame, title_chars: int = 70) -> pd.DataFrame:
    """points_at_stake rows with Vietnamese headers, narrow enough for half a projected screen."""
    from analysis.fmt import num
    from analysis.schema import TASK_STATES

    def short(text: str) -> str:
        return text if len(text) <= title_chars else text[: title_chars - 1].rstrip() + "…"

    return pd.DataFrame(
        {
            "TT": stake["code"],
            "Nhiệm vụ": [short(str(t)) for t in stake["title"]],
            "Đơn vị chủ trì": stake["lead_unit"],
            "Tình trạng": stake["state"].map(TASK_STATES),
            "Điểm lấy lại": [num(float(v), 2) for v in stake["gain"]],
        }
    )


def sources_line(data: YearData) -> str:
    """'16 tệp, nạp lần cuối 05/01/2025 bởi an.nv' for the 'data as of' line."""
    from analysis.fmt import vdate

    if data.sources.empty:
        return "chưa có tệp nào"
    files = data.sources["file_name"].nunique()
    last = data.sources.sort_values("loaded_at").iloc[-1]
    return (
        f"{files} tệp, nạp lần cuối {vdate(last['loaded_at'])} bởi {last['loaded_by']} ({last['file_name']})"
    )


def finish_first(stake: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The 'finish these first' list: biggest gain, then overdue before in-time, then earliest deadline."""
    if stake.empty:
        return stake
    order = stake.assign(_overdue=stake["state"].eq("open_overdue"))
    order = order.sort_values(
        ["gain", "_overdue", "deadline"], ascending=[False, False, True], na_position="last"
    )
    return order.drop(columns="_overdue").head(n)


def quarter_table(series: pd.DataFrame) -> pd.DataFrame:
    """reports.quarter_series with Vietnamese headers and formatted values, for display."""
    from analysis.fmt import num, pct

    return pd.DataFrame(
        {
            "Quý": series["label"],
            "Được giao": series["assigned"],
            "Đến hạn (kế hoạch)": series["planned_due"],
            "Đến hạn (thực tế)": series["due"],
            "Đã hoàn thành": series["done"],
            "Quá hạn": series["open_overdue"],
            "Hoàn thành / đến hạn": [pct(v) for v in series["done_ratio_of_due"]],
            "Điểm dự kiến": [num(v, 2) for v in series["likely"]],
            "Điểm bị trừ": [num(v, 2) for v in series["deducted"]],
        }
    )


def task_table(tasks: pd.DataFrame) -> pd.DataFrame:
    """tasks_with_state rows with Vietnamese headers and formatted dates, for display and export."""
    from analysis.fmt import vdate
    from analysis.schema import TASK_STATES

    return pd.DataFrame(
        {
            "TT": tasks["code"],
            "Lĩnh vực": tasks["area"],
            "Nhiệm vụ": tasks["title"],
            "Đơn vị chủ trì": tasks["lead_unit"],
            "Thời hạn": tasks["deadline_text"],
            "Hạn (ngày)": [vdate(d) if pd.notna(d) else "—" for d in tasks["deadline"]],
            "Tình trạng": tasks["state"].map(TASK_STATES),
            "Ngày hoàn thành": [vdate(d) if pd.notna(d) else "" for d in tasks["completed_on"]],
            "Số ngày quá hạn": tasks["days_overdue"].astype(int),
        }
    )


def criteria_table(criteria: pd.DataFrame) -> pd.DataFrame:
    """criteria_scores rows with Vietnamese headers, for display."""
    from analysis.fmt import num
    from analysis.schema import RULE_KINDS

    def value(v: Any) -> str:
        return "—" if v is None or pd.isna(v) else num(float(v), 2)

    return pd.DataFrame(
        {
            "Mã": criteria["code"],
            "Tiêu chí": criteria["name"],
            "Điểm tối đa": [value(v) for v in criteria["max_points"]],
            "Tự đánh giá": [value(v) for v in criteria["self_points"]],
            "Thẩm định": [value(v) for v in criteria["appraised_points"]],
            "Dự kiến": [value(v) for v in criteria["likely"]],
            "Bị trừ": [value(v) for v in criteria["deducted"]],
            "Cách tính": criteria["rule"].map(RULE_KINDS),
            "Giải thích": criteria["why"],
            "Đơn vị chịu trách nhiệm": criteria["responsible_unit"],
        }
    )


def unit_detail(data: YearData, as_of: date, unit: str) -> dict[str, Any]:
    """One unit's tasks (with state), counts, and the criteria it is responsible for."""
    from analysis.text import same_name

    tasks = task_list(data, as_of)
    own = tasks[[same_name(u, unit) for u in tasks["lead_unit"]]] if not tasks.empty else tasks
    states = own["state"].value_counts() if not own.empty else pd.Series(dtype=int)
    crit = criteria(data, as_of)
    mine = crit[[same_name(u, unit) for u in crit["responsible_unit"]]] if not crit.empty else crit
    return {
        "assigned": int(len(own)),
        "done": int(states.get("done_on_time", 0) + states.get("done_late", 0)),
        "open_overdue": int(states.get("open_overdue", 0)),
        "tasks": task_table(own.sort_values("days_overdue", ascending=False)) if not own.empty else own,
        "criteria": criteria_table(mine) if not mine.empty else mine,
    }


def signed(value: float, decimals: int = 2, unit: str = "") -> str:
    """Public alias of the delta formatter used by the cards."""
    return _signed(value, decimals, unit)


def roman_order(area: str) -> int:
    """Sort key for areas I..VIII (unknown last)."""
    from analysis.ingest.parsing import roman_to_int

    return roman_to_int(area) or 99


def area_table(summary: dict[str, Any]) -> pd.DataFrame:
    """summary['index']['by_area'] with Vietnamese headers and numbers."""
    from analysis.fmt import num

    rows = summary["index"]["by_area"]
    return pd.DataFrame(
        {
            "Lĩnh vực": [r["area"] for r in rows],
            "Tên lĩnh vực": [r["name"] for r in rows],
            "Điểm tối đa": [num(r["max"]) for r in rows],
            "Dự kiến": [num(r["likely"]) for r in rows],
            "Bị trừ": [num(r["deducted"]) for r in rows],
        }
    )


def audit_table(criteria_frame: pd.DataFrame) -> pd.DataFrame:
    """The self-score audit with Vietnamese headers."""
    from analysis.fmt import num

    audit = engine.self_score_audit(criteria_frame)
    if audit.empty:
        return audit
    issues = {"over_scored": "Tự chấm cao hơn số liệu", "no_evidence": "Thiếu tài liệu kiểm chứng"}
    return pd.DataFrame(
        {
            "Mã": audit["code"],
            "Tiêu chí": audit["name"],
            "Vấn đề": audit["issue"].map(issues),
            "Tự chấm": [num(v) for v in audit["self_points"]],
            "Số liệu cho phép": [num(v) for v in audit["supported"]],
            "Ghi chú": audit["message"],
        }
    )


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


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers as Vietnamese text for on-screen tables: ratio columns ('Tỷ lệ …') as percentages."""
    from analysis.fmt import num, pct

    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_float_dtype(out[column]):
            continue
        if str(column).startswith("Tỷ lệ"):
            out[column] = [pct(v) if pd.notna(v) else "—" for v in out[column]]
        else:
            out[column] = [num(v, 2) if pd.notna(v) else "—" for v in out[column]]
    return out


def overdue_gain(data: YearData, as_of: date, unit: str | None = None) -> tuple[int, float]:
    """How many tasks are overdue, and the points regained if all of them were finished by the cut-off."""
    stake = points_at_stake(data, as_of, unit)
    codes = list(stake.loc[stake["state"] == "open_overdue", "code"]) if not stake.empty else []
    if not codes:
        return 0, 0.0
    base = summary(data, as_of, unit)["index"]["likely"] or 0.0
    after = what_if(data, as_of, codes, unit)["likely"] or 0.0
    return len(codes), round(after - base, 2)


# Workbooks the pages offer, built once for the pages and the CLI `export` command ------------------


@dataclass(frozen=True)
class Workbook:
    """An Excel export: its sheets, the title row above them and the file name offered."""

    frames: dict[str, pd.DataFrame]
    title: str
    file_name: str

    def to_bytes(self) -> bytes:
        from analysis.engine.reports import to_excel_bytes

        return to_excel_bytes(self.frames, self.title)


def tasks_workbook(data: YearData, as_of: date, shown: pd.DataFrame | None = None) -> Workbook:
    """The task list with each task's state at as_of (shown: the page's filtered rows; default all)."""
    from analysis.fmt import vdate

    tasks = task_list(data, as_of) if shown is None else shown
    return Workbook(
        {"Nhiệm vụ": task_table(tasks)},
        f"DANH SÁCH NHIỆM VỤ CCHC NĂM {data.year} (tình trạng đến {vdate(as_of)})",
        f"nhiem-vu-{data.year}-{as_of.isoformat()}.xlsx",
    )


def late_units_workbook(
    data: YearData, as_of: date, quarter: int, late: pd.DataFrame | None = None
) -> Workbook:
    """The list of late units the directive asks to publish (late: reports.late_units, if computed)."""
    from analysis.engine import reports
    from analysis.fmt import quarter_label, vdate

    export = reports.late_units_for_export(reports.late_units(data, as_of) if late is None else late)
    return Workbook(
        {"Đơn vị chậm trễ": export},
        f"DANH SÁCH ĐƠN VỊ CHẬM TRỄ — {quarter_label(quarter, data.year).upper()} (số liệu đến {vdate(as_of)})",
        f"don-vi-cham-tre-{data.year}-q{quarter}.xlsx",
    )


def criteria_workbook(
    data: YearData, as_of: date, quarter: int, unit: str | None = None, crit: pd.DataFrame | None = None
) -> Workbook:
    """Every criterion with its maximum, points, likely points, deduction and why (crit: if computed)."""
    from analysis.fmt import quarter_label, vdate
    from analysis.present.figures import DISTRICT_LABEL

    who = unit or DISTRICT_LABEL
    return Workbook(
        {"Tiêu chí": criteria_table(criteria(data, as_of, unit) if crit is None else crit)},
        f"CHỈ SỐ THÀNH PHẦN — {quarter_label(quarter, data.year).upper()} — {who} (số liệu đến {vdate(as_of)})",
        f"chi-so-thanh-phan-{data.year}-q{quarter}.xlsx",
    )
