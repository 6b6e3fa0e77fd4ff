"""Engine results as tables for people: Vietnamese headers, formatted numbers, card texts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from analysis.engine import attribution, year
from analysis.engine.year import YearData
from analysis.text import roman_order  # noqa: F401 (pages sort areas with it)


def _signed(value: float, decimals: int = 2, unit: str = "") -> str:
    """'+1,5 điểm' / '-2 nhiệm vụ' for metric deltas (the sign sets the arrow)."""
    from analysis.fmt import num

    sign = "+" if value > 0 else ("-" if value < 0 else "±")
    return f"{sign}{num(abs(value), decimals)}{(' ' + unit) if unit else ''}"


def _headed(
    frame: pd.DataFrame, headers: dict[str, str], computed: dict[str, Any] | None = None
) -> pd.DataFrame:
    """The columns of `frame` named in `headers`, in its order and under its Vietnamese headers, then
    the `computed` ones."""
    return frame[list(headers)].rename(columns=headers).assign(**(computed or {}))


def headline_cards(now: dict[str, Any], prev: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The overview's cards: label, value, change since the previous quarter, colour sense and help."""
    from analysis.fmt import num, pct

    t, i = now["tasks"], now["index"]
    done = t["done"]
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
        return s["tasks"]["done"]

    cards.append(
        {
            "label": "Nhiệm vụ đã hoàn thành",
            "value": f"{done}/{t['assigned']}",
            "delta": delta(done_of, 0, "nhiệm vụ"),
            "lower_is_better": False,
            "help": "Số nhiệm vụ đã hoàn thành trên tổng số nhiệm vụ được giao trong kế hoạch.",
        }
    )
    cards.append(
        {
            "label": "Hoàn thành / đến hạn",
            "value": pct(t["done_ratio_of_due"]),
            "delta": delta(lambda s: s["tasks"]["done_ratio_of_due"], 1, "điểm %", percent=True),
            "lower_is_better": False,
            "help": (
                f"Tỷ lệ chính thức: {t.get('done_of_due', '—')}/{t['due']} nhiệm vụ đã đến hạn (hạn ≤ ngày số liệu) "
                "đã hoàn thành. Nhiệm vụ xong sớm chỉ vào tỷ lệ này khi tới hạn."
            ),
        }
    )
    cards.append(
        {
            "label": "Nhiệm vụ quá hạn",
            "value": num(t["open_overdue"], 0),
            "delta": delta(lambda s: s["tasks"]["open_overdue"], 0, "nhiệm vụ"),
            "lower_is_better": True,
            "help": "Nhiệm vụ chưa hoàn thành mà đã quá thời hạn.",
        }
    )
    cards.append(
        {
            "label": "Điểm dự kiến",
            "value": "—" if i["likely"] is None else f"{num(i['likely'], 2)} / {num(i['max'], 0)}",
            "delta": delta(lambda s: s["index"]["likely"], 2, "điểm"),
            "lower_is_better": False,
            "help": "Điểm chỉ số CCHC dự kiến theo số liệu hiện có (tiêu chí chưa có số liệu không được tính).",
        }
    )
    cards.append(
        {
            "label": "Điểm chưa đạt",
            "value": "—" if i["deducted"] is None else num(i["deducted"], 2),
            "delta": delta(lambda s: s["index"]["deducted"], 2, "điểm"),
            "lower_is_better": True,
            "help": (
                "Tổng điểm tối đa trừ điểm dự kiến của các tiêu chí đã có số liệu, tại ngày số liệu. Phần lớn "
                "chưa phải điểm đã mất: xem «Dự báo cuối năm»."
            ),
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
            **(
                {"Điểm còn rủi ro": [num(float(v), 2) for v in stake["at_risk"]]}
                if "at_risk" in stake.columns
                else {}
            ),
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


def quarter_table(series: pd.DataFrame) -> pd.DataFrame:
    """reports.quarter_series with Vietnamese headers and formatted values, for display."""
    from analysis.fmt import num, pct

    columns = "label assigned planned_due due done open_overdue".split()
    headers = ["Quý", "Được giao", "Đến hạn (kế hoạch)", "Đến hạn (thực tế)", "Đã hoàn thành", "Quá hạn"]
    return _headed(
        series,
        dict(zip(columns, headers, strict=True)),
        {
            "Hoàn thành / đến hạn": [pct(v) for v in series["done_ratio_of_due"]],
            "Điểm dự kiến": [num(v, 2) for v in series["likely"]],
            "Điểm chưa đạt": [num(v, 2) for v in series["deducted"]],
        },
    )


def task_table(tasks: pd.DataFrame) -> pd.DataFrame:
    """tasks_with_state rows with Vietnamese headers and formatted dates, for display and export."""
    from analysis.fmt import vdate
    from analysis.schema import TASK_STATES

    headers = {
        "code": "TT",
        "area": "Lĩnh vực",
        "title": "Nhiệm vụ",
        "lead_unit": "Đơn vị chủ trì",
        "deadline_text": "Thời hạn",
    }
    return _headed(
        tasks,
        headers,
        {
            "Hạn (ngày)": [vdate(d) if pd.notna(d) else "—" for d in tasks["deadline"]],
            "Tình trạng": tasks["state"].map(TASK_STATES),
            "Ngày hoàn thành": [vdate(d) if pd.notna(d) else "" for d in tasks["completed_on"]],
            "Số ngày quá hạn": tasks["days_overdue"].astype(int),
            **(
                {"Điều chỉnh kế hoạch": [a if isinstance(a, str) else "" for a in tasks["amendment"]]}
                if "amendment" in tasks.columns
                else {}
            ),
        },
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
            "Chưa đạt": [value(v) for v in criteria["deducted"]],
            "Cách tính": criteria["rule"].map(RULE_KINDS),
            "Giải thích": criteria["why"],
            "Đơn vị chịu trách nhiệm": criteria["responsible_unit"],
        }
    )


def signed(value: float, decimals: int = 2, unit: str = "") -> str:
    """Public alias of the delta formatter used by the cards."""
    return _signed(value, decimals, unit)


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
            "Chưa đạt": [num(r["deducted"]) for r in rows],
        }
    )


def audit_table(criteria_frame: pd.DataFrame) -> pd.DataFrame:
    """The self-score audit with Vietnamese headers."""
    from analysis.fmt import num

    audit = attribution.self_score_audit(criteria_frame)
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


def unit_detail(data: YearData, as_of: date, unit: str) -> dict[str, Any]:
    """One unit's tasks (with state), counts, and the criteria it is responsible for."""
    from analysis.text import same_name

    tasks = year.task_list(data, as_of)
    own = tasks[[same_name(u, unit) for u in tasks["lead_unit"]]] if not tasks.empty else tasks
    states = own["state"].value_counts() if not own.empty else pd.Series(dtype=int)
    crit = year.criteria(data, as_of)
    mine = crit[[same_name(u, unit) for u in crit["responsible_unit"]]] if not crit.empty else crit
    return {
        "assigned": int(len(own)),
        "done": int(states.get("done_on_time", 0) + states.get("done_late", 0)),
        "open_overdue": int(states.get("open_overdue", 0)),
        "tasks": task_table(own.sort_values("days_overdue", ascending=False)) if not own.empty else own,
        "criteria": criteria_table(mine) if not mine.empty else mine,
    }


def remediation_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The remediation tracker with Vietnamese headers (points formatted the Vietnamese way)."""
    from analysis.fmt import num

    return pd.DataFrame(
        {
            "Mã": frame["code"],
            "Tiêu chí": frame["name"],
            "Đơn vị chịu trách nhiệm": frame["responsible_unit"],
            "Điểm tối đa": [num(v, 2) for v in frame["max_points"]],
            "Điểm chưa đạt quý I": [num(v, 2) for v in frame["lost_then"]],
            "Điểm hiện nay": [num(v, 2) for v in frame["points_now"]],
            "Chắc chắn đạt": [num(v, 2) for v in frame["secured"]],
            "Đã mất": [num(v, 2) for v in frame["lost"]],
            "Còn rủi ro": [num(v, 2) for v in frame["at_risk"]],
            "Tình trạng": frame["state"],
        }
    )


def removed_table(removed: pd.DataFrame) -> pd.DataFrame:
    """Tasks removed from the plan by an approved amendment, with Vietnamese headers."""
    headers = {"code": "TT", "title": "Nhiệm vụ", "lead_unit": "Đơn vị chủ trì", "amendment": "Điều chỉnh"}
    return _headed(removed, headers)


def year_comparison_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The same-quarter comparison with Vietnamese headers: counts as numbers, ratios and index as %."""

    from analysis.fmt import is_missing, num, pct

    def shown(value: Any, kind: str, change: bool = False) -> str:
        if is_missing(value):
            return "—"
        if kind == "ratio":  # a change of a ratio is in percentage points
            return signed(value * 100, 1, "điểm %") if change else pct(value, 1)
        if kind == "percent":
            return signed(value, 2, "điểm %") if change else f"{num(value, 2)} %"
        return signed(value, 0) if change else num(value, 0)

    return pd.DataFrame(
        {
            "Chỉ tiêu": frame["label"],
            "Năm nay": [shown(v, k) for v, k in zip(frame["now"], frame["kind"], strict=True)],
            "Cùng kỳ năm trước": [shown(v, k) for v, k in zip(frame["before"], frame["kind"], strict=True)],
            "Thay đổi": [shown(v, k, True) for v, k in zip(frame["change"], frame["kind"], strict=True)],
        }
    )


def standing_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Published results of one unit by year: percent, rank among peers, the peers' median and best."""
    from analysis.fmt import num

    return pd.DataFrame(
        {
            "Năm": [str(int(y)) for y in frame["year"]],
            "Đơn vị": frame["unit"],
            "Khối": frame["peer_group"].fillna("—"),
            "Chỉ số công bố": [f"{num(p, 2)} %" for p in frame["percent"]],
            "Xếp hạng": [f"{int(r)}/{int(n)}" for r, n in zip(frame["rank"], frame["of"], strict=True)],
            "Trung vị của khối": [f"{num(p, 2)} %" for p in frame["peers_median"]],
            "Cao nhất của khối": [f"{num(p, 2)} %" for p in frame["best"]],
        }
    )


def trend_table(trend: pd.DataFrame, official: pd.DataFrame) -> pd.DataFrame:
    """The trend's totals by year: likely index, how much of the maximum is known, completion, published."""
    from analysis.fmt import is_missing, num, pct, vdate

    total = trend[trend["area"].eq("Tổng")]
    published = {
        int(y): p for y, p in zip(official.get("year", []), official.get("percent", []), strict=False)
    }
    return pd.DataFrame(
        {
            "Năm": [str(int(y)) for y in total["year"]],
            "Số liệu đến": [vdate(d) for d in total["as_of"]],
            "Chỉ số dự kiến": ["—" if is_missing(p) else f"{num(p, 2)} %" for p in total["percent"]],
            "Phần điểm đã có số liệu": [pct(s, 0) for s in total["known_share"]],
            "Hoàn thành / đến hạn": [pct(r, 1) for r in total["done_ratio_of_due"]],
            "Kết quả công bố": [
                f"{num(published[int(y)], 2)} %" if int(y) in published else "—" for y in total["year"]
            ],
        }
    )


def forecast_beside_published(
    forecast: float | None, year: int, standing: pd.DataFrame, results: pd.DataFrame
) -> str:
    """The forecast beside the published results: the year's own result when announced, else where the
    forecast would stand among the peers of the latest earlier announcement (the unit itself left out)."""
    from analysis.fmt import is_missing, num

    same = standing[standing["year"] == year]
    if not same.empty:
        row = same.iloc[0]
        shown = "—" if is_missing(forecast) else f"{num(forecast, 2)} %"
        return (
            f"Năm {year}: kết quả công bố {num(row['percent'], 2)} %, xếp thứ {int(row['rank'])}/{int(row['of'])}; "
            f"chỉ số dự kiến từ số liệu {shown}."
        )
    earlier = standing[standing["year"] < year]
    if is_missing(forecast) or earlier.empty:
        return "Chưa có kết quả công bố của năm trước để so với chỉ số dự kiến."
    last = earlier.iloc[-1]
    peers = results[
        (results["year"] == last["year"]) & results["peer_group"].fillna("").eq(last["peer_group"] or "")
    ]
    others = peers[peers["unit"] != last["unit"]]
    position = int((others["percent"] > forecast).sum()) + 1
    return (
        f"Dự kiến năm {year}: {num(forecast, 2)} % (ước tính từ số liệu, chưa phải kết quả chính thức) — so với "
        f"kết quả công bố năm {int(last['year'])} của khối {last['peer_group'] or ''}, mức này đứng thứ "
        f"{position}/{len(others) + 1}."
    )


def rating_line(index: dict[str, Any]) -> str:
    """'Xếp loại dự kiến: D — … (69,09 %); 30 điểm chưa có số liệu': the caveat is never dropped."""
    from analysis.engine.scoring import rank_name
    from analysis.fmt import num

    if index["percent"] is None:
        return "Chưa đủ số liệu để xếp loại."
    line = f"Xếp loại dự kiến: {index['rank']} — {rank_name(index['percent'])} ({num(index['percent'], 2)} %)"
    unknown = index.get("unknown_max") or 0
    return line + (f"; {num(unknown, 2)} điểm chưa có số liệu" if unknown > 0 else "")
