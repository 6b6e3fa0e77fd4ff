"""The weekly dossier review for people: the late list as tables, the on-time trend against the bands."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from analysis.engine.dossiers import LATE_STATES, NO_OFFICIAL
from analysis.fmt import is_missing, num, pct
from analysis.present import charts

UNIT_HEADERS = {
    "unit": "Đơn vị",
    "resolved": "Đã giải quyết trong kỳ",
    "resolved_late": "Giải quyết quá hạn",
    "pending_overdue": "Đang quá hạn cuối kỳ",
    "on_time_rate": "Tỷ lệ đúng hạn",
    "late_without_apology": "Trễ hạn chưa có phiếu xin lỗi (Mẫu 04)",
}
OFFICIAL_HEADERS = {
    "official": "Cán bộ thụ lý",
    "unit": "Đơn vị",
    "resolved_late": "Giải quyết quá hạn",
    "pending_overdue": "Đang quá hạn cuối kỳ",
}
DOSSIER_HEADERS = {
    "dossier_id": "Mã hồ sơ",
    "unit": "Đơn vị",
    "official": "Cán bộ thụ lý",
    "procedure": "Tên TTHC",
    "received_at": "Ngày tiếp nhận",
    "due_at": "Ngày hẹn trả",
    "resolved_at": "Ngày trả kết quả",
    "state": "Tình trạng",
    "days_late": "Số ngày trễ",
    "apology": "Đã xin lỗi (Mẫu 04)",
}
BAND_LINE_COLORS = ("#2E8B57", "#E0A800", "#C0392B")


def _when(value: Any) -> str:
    """'2024-06-28 09:00' -> '28/06/2024 09:00'; the date alone for midnight (a date without a time)."""
    if is_missing(value):
        return ""
    text = str(value)
    day = f"{text[8:10]}/{text[5:7]}/{text[:4]}"
    return day if text[11:16] in ("", "00:00") else f"{day} {text[11:16]}"


def _apology(value: Any) -> str:
    return "Chưa rõ" if value is None else ("Có" if value else "Không")


def late_list_tables(late: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """The late list's three tables with Vietnamese headers and values (for the page and Excel)."""
    units = pd.DataFrame(late["units"], columns=list(UNIT_HEADERS))
    units["on_time_rate"] = units["on_time_rate"].astype("float64")
    officials = pd.DataFrame(late["officials"], columns=list(OFFICIAL_HEADERS))
    officials["official"] = officials["official"].map(lambda o: NO_OFFICIAL if o is None else o)
    dossiers = pd.DataFrame(late["dossiers"], columns=list(DOSSIER_HEADERS))
    for column in ("received_at", "due_at", "resolved_at"):
        dossiers[column] = dossiers[column].map(_when)
    dossiers["official"] = dossiers["official"].map(lambda o: NO_OFFICIAL if o is None else o)
    dossiers["state"] = dossiers["state"].map(LATE_STATES)
    dossiers["apology"] = dossiers["apology"].map(_apology)
    dossiers["days_late"] = dossiers["days_late"].astype("Int64")
    return {
        "Đơn vị chậm trễ": units.rename(columns=UNIT_HEADERS),
        "Cá nhân chậm trễ": officials.rename(columns=OFFICIAL_HEADERS),
        "Hồ sơ trễ hạn": dossiers.rename(columns=DOSSIER_HEADERS),
    }


def late_list_headline(late: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) cards of the period: resolved, late, on-time rate, pending overdue."""
    rate = late["on_time_rate"]
    return [
        ("Đã giải quyết trong kỳ", num(late["resolved"], 0)),
        ("Giải quyết quá hạn", num(late["resolved_late"], 0)),
        ("Tỷ lệ đúng hạn", "—" if rate is None else pct(rate)),
        ("Đang quá hạn cuối kỳ", num(late["pending_overdue"], 0)),
    ]


def weekly_on_time_chart(
    weekly: pd.DataFrame, bands: list[tuple[float, float]], title: str, footnote: str, units: list[str]
) -> go.Figure:
    """On-time rate by ISO week, one line per unit, with the criterion's bands as dashed lines."""
    chosen = weekly[weekly["unit"].isin(units)] if units else weekly
    if chosen.empty:
        return charts.empty_figure(charts.NO_DATA, title=title, footnote=footnote)
    fig = go.Figure()
    for unit, part in chosen.groupby("unit", sort=False):
        fig.add_trace(
            go.Scatter(
                x=part["week"],
                y=100 * part["on_time_rate"],
                mode="lines+markers",
                name=str(unit),
                customdata=part[["on_time", "resolved"]].to_numpy(),
                hovertemplate=(
                    f"<b>{unit}</b><br>%{{x}}: %{{y:,.1f}} % (%{{customdata[0]:,.0f}}/%{{customdata[1]:,.0f}} "
                    "hồ sơ đúng hạn)<extra></extra>"
                ),
            )
        )
    for i, (ratio, points) in enumerate(bands[:3]):
        if ratio <= 0:
            continue
        fig.add_hline(
            y=100 * ratio,
            line_dash="dash",
            line_color=BAND_LINE_COLORS[min(i, len(BAND_LINE_COLORS) - 1)],
            annotation_text=f"≥ {num(100 * ratio, 0)} %: {num(points)} điểm",
            annotation_position="bottom right",
        )
    low = min([100 * r for r, _ in bands if r > 0] + [float((100 * chosen["on_time_rate"]).min())])
    fig.update_yaxes(range=[max(0.0, low - 5), 101], ticksuffix=" %")
    # Weeks in calendar order whichever unit first had a dossier in them.
    fig.update_xaxes(categoryorder="array", categoryarray=sorted(set(chosen["week"])))
    return charts._layout(fig, title, footnote, y_title="Tỷ lệ đúng hạn", height=520)
