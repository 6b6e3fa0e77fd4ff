"""Plotly figures for the dashboard and meeting slides, one builder per chart.

Every builder takes the frame or summary part it draws, a title saying what and when, and a
footnote (cut-off date and source) drawn under the plot. Figures use a light theme, fonts
readable on a projector, Vietnamese separators (85,5 and 1.234) and Vietnamese hover texts.
"""

from __future__ import annotations

import math
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from analysis.engine.forecast import PART_LABELS
from analysis.fmt import is_missing, num, pct
from analysis.schema import TASK_STATES

FONT_FAMILY = "Noto Sans, DejaVu Sans, Arial, sans-serif"
TEXT_COLOR = "#1F2933"
MUTED_COLOR = "#52606D"
GRID_COLOR = "#E4E7EB"
TITLE_SIZE = 24
FONT_SIZE = 16
TICK_SIZE = 15
FOOTNOTE_SIZE = 14
FOOTNOTE_WIDTH = 100  # characters per footnote line

# Paul Tol's "muted" scheme: distinguishable with the common colour-vision deficiencies.
AREA_COLORS: dict[str, str] = {
    "I": "#332288",
    "II": "#88CCEE",
    "III": "#44AA99",
    "IV": "#117733",
    "V": "#999933",
    "VI": "#DDCC77",
    "VII": "#CC6677",
    "VIII": "#882255",
}
OTHER_AREA_COLOR = "#BBBBBB"
STATE_COLORS: dict[str, str] = {
    "done_on_time": "#2E8B57",
    "done_late": "#E8A33D",
    "open_in_time": "#90A4AE",
    "open_overdue": "#D64541",
}
BAND_COLORS: dict[str, str] = {"red": "#D64541", "amber": "#E8A33D", "green": "#2E8B57"}
NEUTRAL_COLOR = "#B0BEC5"
MAX_COLOR = "#3E5C76"
LIKELY_COLOR = "#2E8B57"
UNKNOWN_COLOR = "#B0BEC5"
PLAN_COLOR = "#52606D"


# Layout helpers ---------------------------------------------------------------------------


def _wrap(text: str, width: int = FOOTNOTE_WIDTH) -> list[str]:
    return textwrap.wrap(text or "", width=width, break_long_words=False) or [""]


def _layout(
    fig: go.Figure,
    title: str,
    footnote: str,
    *,
    x_title: str | None = None,
    y_title: str | None = None,
    height: int = 560,
    legend: bool = True,
    xgrid: bool = False,
) -> go.Figure:
    """The house layout: light theme, large fonts, Vietnamese separators, footnote under the plot."""
    lines = _wrap(footnote)
    # Space under the plot: tick labels (about 30 px), the x axis title, then the footnote lines.
    below_axis = 36 + (30 if x_title else 0)
    bottom = below_axis + 20 * len(lines) + 16
    fig.update_layout(
        template="plotly_white",
        separators=",.",
        font=dict(family=FONT_FAMILY, size=FONT_SIZE, color=TEXT_COLOR),
        title=dict(
            text=title,
            font=dict(size=TITLE_SIZE, color=TEXT_COLOR),
            x=0.0,
            xref="paper",
            xanchor="left",
            y=0.98,
            yref="container",
            yanchor="top",
        ),
        height=height,
        margin=dict(l=20, r=30, t=110 if legend else 80, b=bottom, pad=4),
        showlegend=legend,
        legend=dict(
            orientation="h",
            traceorder="normal",
            x=0.0,
            xanchor="left",
            y=1.02,
            yanchor="bottom",
            font=dict(size=TICK_SIZE),
            title=dict(text=""),
        ),
        hoverlabel=dict(font=dict(family=FONT_FAMILY, size=TICK_SIZE)),
        annotations=[
            dict(
                text="<br>".join(lines),
                name="footnote",
                xref="paper",
                yref="paper",
                x=0.0,
                y=0.0,
                xanchor="left",
                yanchor="top",
                yshift=-below_axis,
                align="left",
                showarrow=False,
                font=dict(size=FOOTNOTE_SIZE, color=MUTED_COLOR),
            )
        ],
    )
    fig.update_xaxes(
        automargin=True,
        tickfont=dict(size=TICK_SIZE),
        title=dict(text=x_title, font=dict(size=FONT_SIZE)),
        gridcolor=GRID_COLOR,
        showgrid=xgrid,
    )
    fig.update_yaxes(
        automargin=True,
        tickfont=dict(size=TICK_SIZE),
        title=dict(text=y_title, font=dict(size=FONT_SIZE)),
        gridcolor=GRID_COLOR,
    )
    return fig


_missing = is_missing  # one definition of 'missing' for every module


def _float(value: Any) -> float:
    return math.nan if _missing(value) else float(value)


def _percent(ratio: Any) -> float | None:
    """A ratio as percent points for plotting (None for gaps)."""
    value = _float(ratio)
    return None if math.isnan(value) else 100 * value


def area_color(area: Any) -> str:
    """The colour of an area code ('I'..'VIII'), grey for anything else."""
    return AREA_COLORS.get("" if _missing(area) else str(area).strip().upper(), OTHER_AREA_COLOR)


def band_color(ratio: Any) -> str:
    """Green at 100 % or more, amber from 80 %, red below; neutral grey without a ratio."""
    value = _float(ratio)
    if math.isnan(value):
        return NEUTRAL_COLOR
    if value >= 1 - 1e-9:
        return BAND_COLORS["green"]
    if value >= 0.8 - 1e-9:
        return BAND_COLORS["amber"]
    return BAND_COLORS["red"]


PERCENT_TICKS = [0, 20, 40, 60, 80, 100]


def _percent_ticks(values: Sequence[float]) -> list[str]:
    return [f"{num(v, 0)} %" for v in values]


def _short(text: str, width: int = 34) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _by_area(frame: pd.DataFrame) -> list[tuple[Any, pd.DataFrame]]:
    """Rows grouped by area, areas in Roman-numeral order (missing last)."""
    keys = ["" if _missing(a) else str(a).strip().upper() for a in frame["area"]]
    order = {a: i for i, a in enumerate(AREA_COLORS)}
    groups = [(frame["area"].iloc[idx[0]], frame.iloc[idx]) for idx in _positions(keys).values()]
    return sorted(groups, key=lambda g: order.get("" if _missing(g[0]) else str(g[0]).strip().upper(), 99))


def _positions(keys: list[str]) -> dict[str, list[int]]:
    positions: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        positions.setdefault(key, []).append(i)
    return positions


def _bar_height(n: int) -> int:
    return max(420, 200 + 44 * n)


def _check_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} needs column(s) {', '.join(missing)}")


def empty_figure(message: str, *, title: str = "", footnote: str = "") -> go.Figure:
    """A blank figure carrying a message, for nothing-to-show cases."""
    fig = go.Figure()
    _layout(fig, title, footnote, legend=False, height=360)
    fig.add_annotation(
        text=message,
        name="message",
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        font=dict(size=20, color=MUTED_COLOR),
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


@dataclass(frozen=True)
class _UnitBars:
    """What a chart of one bar per unit says besides its data: the trace name, the x axis (title,
    end in percent), the hover and the dotted vertical lines (position, label or None)."""

    name: str
    x_title: str
    x_max: int
    hover: str
    marks: tuple[tuple[int, str | None], ...] = ((100, None),)


LEAGUE_BARS = _UnitBars(
    "Hoàn thành / đến hạn",
    "Hoàn thành / đến hạn (%)",
    135,
    "<b>%{y}</b><br>Hoàn thành %{customdata[0]:,.0f}/%{customdata[1]:,.0f} nhiệm vụ đến hạn "
    "(%{x:,.1f} %)<br>Chưa hoàn thành quá hạn: %{customdata[2]:,.0f}<extra></extra>",
)
COMMUNE_BARS = _UnitBars(
    "Chỉ số dự kiến",
    "Chỉ số dự kiến (%)",
    118,
    "%{hovertext}<extra></extra>",
    marks=tuple((edge, f"{rank} ≥ {edge} %") for edge, rank in ((80, "B"), (90, "A"))),
)
DOSSIER_BARS = _UnitBars(
    "Tỷ lệ đúng hạn",
    "Hồ sơ giải quyết đúng hạn (%)",
    145,
    "<b>%{y}</b><br>Đúng hạn, trước hạn: %{customdata[0]:,.0f}/%{customdata[1]:,.0f} hồ sơ "
    "đã giải quyết (%{x:,.1f} %)<br>Quá hạn: %{customdata[2]:,.0f}<extra></extra>",
)


def _unit_bars(
    units: list[str],
    values: list[float],
    colors: list[str],
    texts: list[str],
    spec: _UnitBars,
    title: str,
    footnote: str,
    **hover_data: Any,
) -> go.Figure:
    """One horizontal bar per unit on a percent axis, first unit at top, its label outside the bar;
    `hover_data` is what the hover reads (customdata or hovertext)."""
    fig = go.Figure(
        go.Bar(
            y=units,
            x=values,
            text=texts,
            hovertemplate=spec.hover,
            **hover_data,
            name=spec.name,
            orientation="h",
            marker_color=colors,
            textposition="outside",
            cliponaxis=False,
            showlegend=False,
        )
    )
    height = _bar_height(len(units))
    _layout(fig, title, footnote, x_title=spec.x_title, legend=False, height=height, xgrid=True)
    fig.update_yaxes(categoryorder="array", categoryarray=units, autorange="reversed", showgrid=False)
    fig.update_xaxes(range=[0, spec.x_max], tickvals=PERCENT_TICKS, ticktext=_percent_ticks(PERCENT_TICKS))
    line = dict(color=MUTED_COLOR, width=1, dash="dot")
    for x, label in spec.marks:
        if label is None:
            fig.add_vline(x=x, line=line)
        else:
            note = dict(text=label, font=dict(size=14, color=MUTED_COLOR))
            fig.add_vline(x=x, line=line, annotation=note, annotation_position="top")
    return fig


NO_DATA = "Chưa có số liệu để vẽ biểu đồ này."


# Index ------------------------------------------------------------------------------------


def score_waterfall(
    by_area: list[dict[str, Any]], total: dict[str, Any], title: str, footnote: str
) -> go.Figure:
    """From the maximum down through each area's deducted points (and the points not yet known)
    to the likely score."""
    if not by_area or _missing(total.get("max")):
        return empty_figure(NO_DATA, title=title, footnote=footnote)
    top = _float(total["max"])
    labels, bases, heights, colors, texts, hovers = ["Tối đa"], [0.0], [top], [MAX_COLOR], [num(top)], []
    hovers.append(f"<b>Điểm tối đa</b><br>{num(top)} điểm")
    level = top
    for area in by_area:
        deducted = _float(area.get("deducted"))
        deducted = 0.0 if math.isnan(deducted) else deducted
        code = area.get("area") or "Khác"
        level -= deducted
        labels.append(str(code))
        bases.append(level)
        heights.append(deducted)
        colors.append(BAND_COLORS["red"])
        texts.append(f"−{num(deducted)}" if deducted else "0")
        name = area.get("name") or f"Lĩnh vực {code}"
        hovers.append(
            f"<b>{code}. {name}</b><br>Chưa đạt: {num(deducted)} điểm"
            f"<br>Dự kiến: {num(_float(area.get('likely')))} / {num(_float(area.get('max')))} điểm"
        )
    unknown = _float(total.get("unknown_max"))
    if not math.isnan(unknown) and unknown > 0:
        level -= unknown
        labels.append("Chưa rõ")
        bases.append(level)
        heights.append(unknown)
        colors.append(UNKNOWN_COLOR)
        texts.append(f"−{num(unknown)}")
        hovers.append(f"<b>Chưa có số liệu</b><br>{num(unknown)} điểm chưa tính được")
    likely = _float(total.get("likely"))
    labels.append("Dự kiến")
    bases.append(0.0)
    heights.append(likely)
    colors.append(LIKELY_COLOR)
    percent = total.get("percent")
    texts.append(num(likely) + ("" if _missing(percent) else f"<br>({num(percent, 1)} %)"))
    hovers.append(
        f"<b>Điểm dự kiến</b><br>{num(likely)} điểm"
        + ("" if _missing(percent) else f"<br>{num(percent, 2)} % số điểm đã có số liệu")
    )
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=heights,
            base=bases,
            marker=dict(color=colors, line=dict(width=0)),
            text=texts,
            textposition="outside",
            constraintext="none",
            cliponaxis=False,
            textfont=dict(size=TICK_SIZE),
            hovertext=hovers,
            hovertemplate="%{hovertext}<extra></extra>",
            name="Điểm",
            showlegend=False,
        )
    )
    _layout(fig, title, footnote, x_title="Lĩnh vực", y_title="Điểm", legend=False)
    fig.update_yaxes(range=[0, top * 1.12 if top > 0 else 1], tickformat=",~f")
    return fig


def score_trend(series: pd.DataFrame, title: str, footnote: str) -> go.Figure:
    """Likely points (bars, left axis) and the likely index percent (line, right axis) per quarter."""
    if series.empty:
        return empty_figure(NO_DATA, title=title, footnote=footnote)
    _check_columns(series, ("label", "likely", "max", "percent"), "score_trend")
    fig = go.Figure()
    fig.add_bar(
        x=series["label"],
        y=series["likely"],
        name="Điểm dự kiến",
        marker_color=MAX_COLOR,
        text=[num(v) for v in series["likely"]],
        textposition="inside",
        customdata=series[["max"]].to_numpy(),
        hovertemplate="<b>%{x}</b><br>Điểm dự kiến: %{y:,.2~f} / %{customdata[0]:,.2~f} điểm<extra></extra>",
    )
    fig.add_scatter(
        x=series["label"],
        y=[None if _missing(p) else float(p) for p in series["percent"]],
        name="Chỉ số dự kiến (%)",
        yaxis="y2",
        mode="lines+markers+text",
        line=dict(color=BAND_COLORS["amber"], width=3),
        marker=dict(size=10),
        text=[None if _missing(p) else f"{num(p, 1)} %" for p in series["percent"]],
        textposition="top center",
        hovertemplate="<b>%{x}</b><br>Chỉ số dự kiến: %{y:,.2~f} %<extra></extra>",
    )
    _layout(fig, title, footnote, y_title="Điểm")
    fig.update_layout(
        yaxis2=dict(
            title=dict(text="Chỉ số (%)", font=dict(size=FONT_SIZE)),
            overlaying="y",
            side="right",
            range=[0, 110],
            tickvals=PERCENT_TICKS,
            ticktext=_percent_ticks(PERCENT_TICKS),
            tickfont=dict(size=TICK_SIZE),
            showgrid=False,
            automargin=True,
        )
    )
    top = series["max"].max()
    fig.update_layout(yaxis=dict(rangemode="tozero", tickformat=",~f"))
    if not _missing(top) and top > 0:
        fig.update_layout(yaxis=dict(range=[0, float(top) * 1.1]))
    return fig


def deductions_by_area_quarter(long: pd.DataFrame, title: str, footnote: str) -> go.Figure:
    """Stacked bars of deducted points per quarter, one colour per area (legend by area code,
    the area's name in the hover), the total on top."""
    if long.empty:
        return empty_figure(NO_DATA, title=title, footnote=footnote)
    _check_columns(long, ("label", "area", "deducted"), "deductions_by_area_quarter")
    quarters = list(dict.fromkeys(long["label"]))
    fig = go.Figure()
    for area, part in _by_area(long):
        code = None if _missing(area) else str(area)
        values = dict(zip(part["label"], part["deducted"], strict=True))
        name_text = part["name"].dropna().iloc[0] if "name" in part and part["name"].notna().any() else None
        shown = f"{code or 'Khác'}. {name_text}" if name_text else f"Lĩnh vực {code or 'khác'}"
        fig.add_bar(
            x=quarters,
            y=[_float(values.get(q)) for q in quarters],
            name=code or "Khác",
            marker_color=area_color(code),
            hovertemplate=f"<b>%{{x}}</b><br>{shown}<br>Chưa đạt: %{{y:,.2~f}} điểm<extra></extra>",
        )
    totals = long.groupby("label", sort=False)["deducted"].sum(min_count=1)
    fig.add_scatter(
        x=quarters,
        y=[_float(totals.get(q)) for q in quarters],
        mode="text",
        text=[f"{num(_float(totals.get(q)))}" for q in quarters],
        textposition="top center",
        textfont=dict(size=TICK_SIZE, color=TEXT_COLOR),
        showlegend=False,
        hoverinfo="skip",
        name="Tổng",
    )
    _layout(fig, title, footnote, y_title="Điểm chưa đạt", height=600)
    fig.update_layout(barmode="stack", legend=dict(title=dict(text="Lĩnh vực:")))
    fig.update_yaxes(rangemode="tozero", tickformat=",~f")
    return fig


def criterion_deductions(criteria: pd.DataFrame, title: str, footnote: str, top: int = 15) -> go.Figure:
    """Horizontal bars of the criteria losing most points (worst at top), coloured by area,
    with the reason in the hover."""
    if criteria.empty:
        return empty_figure(NO_DATA, title=title, footnote=footnote)
    _check_columns(criteria, ("code", "area", "name", "deducted"), "criterion_deductions")
    known = criteria[pd.to_numeric(criteria["deducted"], errors="coerce").gt(0).fillna(False).astype(bool)]
    if "status" in known.columns:
        known = known[known["status"].eq("known")]
    if known.empty:
        return empty_figure("Không có tiêu chí nào chưa đạt điểm.", title=title, footnote=footnote)
    worst = known.sort_values("deducted", ascending=False, kind="stable").head(top)
    labels = [_criterion_label(c, n) for c, n in zip(worst["code"], worst["name"], strict=True)]
    worst = worst.assign(_label=labels)
    fig = go.Figure()
    for area, part in _by_area(worst):
        code = None if _missing(area) else str(area)
        why = [
            "<br>".join(_wrap(str(w), 70)) if not _missing(w) else ""
            for w in part.get("why", [""] * len(part))
        ]
        maxima = part["max_points"] if "max_points" in part else [math.nan] * len(part)
        fig.add_bar(
            y=part["_label"],
            x=part["deducted"],
            orientation="h",
            name=f"Lĩnh vực {code}" if code else "Khác",
            marker_color=area_color(code),
            text=[f"−{num(v)}" for v in part["deducted"]],
            textposition="outside",
            cliponaxis=False,
            customdata=list(zip(maxima, why, strict=True)),
            hovertemplate=(
                "<b>%{y}</b><br>Chưa đạt: %{x:,.2~f} / %{customdata[0]:,.2~f} điểm"
                "<br>%{customdata[1]}<extra></extra>"
            ),
        )
    _layout(fig, title, footnote, x_title="Điểm chưa đạt", height=_bar_height(len(worst)), xgrid=True)
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed", gridcolor=None)
    fig.update_xaxes(rangemode="tozero", tickformat=",~f")
    fig.update_layout(xaxis=dict(range=[0, float(worst["deducted"].max()) * 1.18]))
    return fig


def _criterion_label(code: Any, name: Any, width: int = 55) -> str:
    text = "" if _missing(name) else str(name)
    if len(text) > width:
        text = text[: width - 1].rstrip() + "…"
    return f"{code} {text}".strip()


# Tasks ------------------------------------------------------------------------------------


def completion_trend(series: pd.DataFrame, title: str, footnote: str) -> go.Figure:
    """Done ÷ assigned and done ÷ due per quarter, with the planned pace (due by plan ÷ assigned)."""
    if series.empty:
        return empty_figure(NO_DATA, title=title, footnote=footnote)
    _check_columns(
        series,
        ("label", "assigned", "due", "done", "done_ratio_of_due", "done_ratio_of_assigned", "planned_due"),
        "completion_trend",
    )
    plan = [
        p / a if not _missing(a) and a else None
        for p, a in zip(series["planned_due"], series["assigned"], strict=True)
    ]
    custom = series[["done", "due", "assigned", "planned_due"]].to_numpy()
    fig = go.Figure()
    # (ratios, name, colour, where the labels go, the hover's counts); the plan is dashed and unlabelled.
    lines = (
        (
            plan,
            "Kế hoạch: đến hạn / được giao",
            PLAN_COLOR,
            None,
            "Theo kế hoạch đến hạn: %{customdata[3]:,.0f}/%{customdata[2]:,.0f} nhiệm vụ",
        ),
        (
            series["done_ratio_of_assigned"],
            "Hoàn thành / được giao",
            MAX_COLOR,
            "bottom center",
            "Hoàn thành: %{customdata[0]:,.0f}/%{customdata[2]:,.0f} nhiệm vụ được giao",
        ),
        (
            series["done_ratio_of_due"],
            "Hoàn thành / đến hạn",
            LIKELY_COLOR,
            "top center",
            "Hoàn thành: %{customdata[0]:,.0f}/%{customdata[1]:,.0f} nhiệm vụ đến hạn",
        ),
    )
    for ratios, name, color, text_at, counts in lines:
        labelled = text_at is not None
        fig.add_scatter(
            x=series["label"],
            y=[_percent(r) for r in ratios],
            name=name,
            mode="lines+markers+text" if labelled else "lines+markers",
            line=dict(color=color, width=3) if labelled else dict(color=color, width=2, dash="dash"),
            marker=dict(size=10 if labelled else 8),
            text=[pct(r) if not _missing(r) else None for r in ratios] if labelled else None,
            textposition=text_at,
            customdata=custom,
            hovertemplate=f"<b>%{{x}}</b><br>{counts} (%{{y:,.1f}} %)<extra></extra>",
        )
    _layout(fig, title, footnote, y_title="Tỷ lệ (%)")
    fig.update_yaxes(range=[0, 112], tickvals=PERCENT_TICKS, ticktext=_percent_ticks(PERCENT_TICKS))
    return fig


def states_by_quarter(series: pd.DataFrame, title: str, footnote: str) -> go.Figure:
    """Stacked bars of the four task states per quarter."""
    if series.empty:
        return empty_figure(NO_DATA, title=title, footnote=footnote)
    _check_columns(series, ("label", *TASK_STATES), "states_by_quarter")
    fig = go.Figure()
    for state, label in TASK_STATES.items():
        values = [int(v) for v in series[state]]
        fig.add_bar(
            x=series["label"],
            y=values,
            name=label,
            marker_color=STATE_COLORS[state],
            text=[str(v) if v else "" for v in values],
            # Overdue tasks (the top segment) are labelled above the bar so a thin segment still shows.
            textposition="outside" if state == "open_overdue" else "inside",
            insidetextanchor="middle",
            textangle=0,
            cliponaxis=False,
            outsidetextfont=dict(color=STATE_COLORS[state], size=FONT_SIZE),
            hovertemplate=f"<b>%{{x}}</b><br>{label}: %{{y:,.0f}} nhiệm vụ<extra></extra>",
        )
    _layout(fig, title, footnote, y_title="Số nhiệm vụ")
    # Labels that do not fit their segment are hidden rather than shrunk or turned.
    fig.update_layout(barmode="stack", uniformtext=dict(minsize=13, mode="hide"))
    fig.update_yaxes(rangemode="tozero", tickformat=",d")
    return fig


# Units ------------------------------------------------------------------------------------


def unit_league_chart(league: pd.DataFrame, title: str, footnote: str) -> go.Figure:
    """Done ÷ due per unit as horizontal bars, worst at top, coloured by band, overdue count in the label."""
    if league.empty:
        return empty_figure(NO_DATA, title=title, footnote=footnote)
    _check_columns(league, ("unit", "done_ratio_of_due", "open_overdue", "done", "due"), "unit_league_chart")
    units = [str(u) for u in league["unit"]]
    values, texts = [], []
    for ratio, overdue in zip(league["done_ratio_of_due"], league["open_overdue"], strict=True):
        if _missing(ratio):
            values.append(0.0)
            texts.append("chưa có nhiệm vụ đến hạn")
            continue
        values.append(100 * float(ratio))
        texts.append(f"{pct(ratio)} · {int(overdue)} quá hạn" if overdue else pct(ratio))
    colors = [band_color(r) for r in league["done_ratio_of_due"]]
    counts = league[["done", "due", "open_overdue"]].to_numpy()
    return _unit_bars(units, values, colors, texts, LEAGUE_BARS, title, footnote, customdata=counts)


def unit_area_heatmap(matrix: pd.DataFrame, title: str, footnote: str) -> go.Figure:
    """Units × areas, done ÷ due as percent text on a red→green scale; cells with nothing due blank."""
    if matrix.empty or matrix.shape[1] == 0:
        return empty_figure(NO_DATA, title=title, footnote=footnote)
    z = [[None if _missing(v) else 100 * float(v) for v in row] for row in matrix.to_numpy()]
    text = [["" if v is None else f"{num(v, 0)} %" for v in row] for row in z]
    units = [str(u) for u in matrix.index]
    areas = [str(a) for a in matrix.columns]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=areas,
            y=units,
            text=text,
            texttemplate="%{text}",
            textfont=dict(size=TICK_SIZE),
            zmin=0,
            zmax=100,
            colorscale=[[0.0, BAND_COLORS["red"]], [0.8, BAND_COLORS["amber"]], [1.0, BAND_COLORS["green"]]],
            hoverongaps=False,
            xgap=2,
            ygap=2,
            colorbar=dict(
                title=dict(text="Tỷ lệ"),
                tickvals=PERCENT_TICKS,
                ticktext=_percent_ticks(PERCENT_TICKS),
                tickfont=dict(size=14),
            ),
            hovertemplate="<b>%{y}</b><br>Lĩnh vực %{x}: %{z:,.1f} % nhiệm vụ đến hạn đã hoàn thành<extra></extra>",
        )
    )
    _layout(fig, title, footnote, x_title="Lĩnh vực", legend=False, height=_bar_height(len(units)))
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(side="bottom", showgrid=False)
    fig.update_layout(plot_bgcolor="#F5F7FA")  # cells with nothing due stay blank on a pale ground
    return fig


def commune_index_chart(commune: pd.DataFrame, title: str, footnote: str) -> go.Figure:
    """Likely index percent per assessed unit (horizontal bars, lowest at top), with the points
    deducted in each area in the hover."""
    if commune.empty:
        return empty_figure(NO_DATA, title=title, footnote=footnote)
    _check_columns(commune, ("unit", "percent", "likely", "max", "rank"), "commune_index_chart")
    fixed = {"unit", "kind", "max", "likely", "deducted", "unknown_max", "percent", "rank"}
    areas = [c for c in commune.columns if c not in fixed]
    units = [str(u) for u in commune["unit"]]
    hovers = []
    for record in commune.to_dict("records"):
        lines = [
            f"<b>{record['unit']}</b>",
            f"Chỉ số dự kiến: {num(record['percent'], 2)} % (xếp loại {record['rank']})",
            f"Điểm dự kiến: {num(record['likely'])} / {num(record['max'])} điểm",
        ]
        if not _missing(record.get("unknown_max")) and record["unknown_max"] > 0:
            lines.append(f"Chưa có số liệu: {num(record['unknown_max'])} điểm")
        lost = [f"{a}: −{num(record[a])}" for a in areas if not _missing(record[a]) and record[a] > 0]
        if lost:
            lines.append("Chưa đạt theo lĩnh vực: " + "; ".join(lost))
        hovers.append("<br>".join(lines))
    values = [None if _missing(p) else float(p) for p in commune["percent"]]
    colors = [
        band_color(None if v is None else (1.0 if v >= 90 else 0.8 if v >= 80 else 0.0)) for v in values
    ]
    texts = [
        "chưa tính được" if v is None else f"{num(v, 1)} % ({r})"
        for v, r in zip(values, commune["rank"], strict=True)
    ]
    bars = [0.0 if v is None else v for v in values]
    return _unit_bars(units, bars, colors, texts, COMMUNE_BARS, title, footnote, hovertext=hovers)


def dossier_on_time_chart(dossiers: pd.DataFrame, title: str, footnote: str) -> go.Figure:
    """On-time rate of resolved dossiers per unit, lowest at top, with late and unapologised counts."""
    if dossiers.empty:
        return empty_figure(NO_DATA, title=title, footnote=footnote)
    _check_columns(dossiers, ("unit", "resolved", "on_time", "late", "on_time_rate"), "dossier_on_time_chart")
    frame = dossiers.assign(
        _none=dossiers["on_time_rate"].isna(), _rate=dossiers["on_time_rate"].fillna(0.0)
    ).sort_values(["_none", "_rate", "late"], ascending=[True, True, False], kind="stable")
    units = [str(u) for u in frame["unit"]]
    values, texts, colors = [], [], []
    no_apology = frame["late_without_apology"] if "late_without_apology" in frame else [0] * len(frame)
    overdue = frame["open_overdue"] if "open_overdue" in frame else [0] * len(frame)
    for rate, late, missing, open_late in zip(
        frame["on_time_rate"], frame["late"], no_apology, overdue, strict=True
    ):
        if _missing(rate):
            values.append(0.0)
            texts.append("chưa có hồ sơ đã giải quyết")
            colors.append(NEUTRAL_COLOR)
            continue
        values.append(100 * float(rate))
        parts = [pct(rate)]
        if late:
            parts.append(f"{int(late)} trễ hạn")
        if open_late:
            parts.append(f"{int(open_late)} đang quá hạn")
        if missing:
            parts.append(f"{int(missing)} chưa xin lỗi")
        texts.append(" · ".join(parts))
        colors.append(
            BAND_COLORS["green"]
            if rate >= 1 - 1e-9
            else BAND_COLORS["amber"]
            if rate >= 0.95 - 1e-9
            else BAND_COLORS["red"]
        )
    counts = frame[["on_time", "resolved", "late"]].to_numpy()
    return _unit_bars(units, values, colors, texts, DOSSIER_BARS, title, footnote, customdata=counts)


# Export -----------------------------------------------------------------------------------


def slug(text: str) -> str:
    """An ASCII file name stem: 'Điểm bị trừ — Quý II/2024' -> 'diem-bi-tru-quy-ii-2024'."""
    decomposed = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii").lower()
    words = "".join(ch if ch.isalnum() else " " for ch in ascii_text).split()
    return "-".join(words) or "bieu-do"


def export_config(filename_stem: str) -> dict[str, Any]:
    """Plotly config for st.plotly_chart: the camera button saves a PNG at scale 3 named after the chart."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": slug(filename_stem), "scale": 3},
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }


__all__ = [
    "AREA_COLORS",
    "BAND_COLORS",
    "FONT_FAMILY",
    "STATE_COLORS",
    "area_color",
    "band_color",
    "commune_index_chart",
    "completion_trend",
    "criterion_deductions",
    "deductions_by_area_quarter",
    "dossier_on_time_chart",
    "empty_figure",
    "export_config",
    "score_trend",
    "score_waterfall",
    "slug",
    "states_by_quarter",
    "unit_area_heatmap",
    "unit_league_chart",
]


# The forecast's parts in stacking order, with the engine's labels (declared once in engine.forecast).
FORECAST_COLORS = {"secured": "#2E8B57", "at_risk": "#E8A33D", "unknown": "#B0BEC5", "lost": "#D64541"}
FORECAST_PARTS: tuple[tuple[str, str, str], ...] = tuple(
    (key, PART_LABELS[key], color) for key, color in FORECAST_COLORS.items()
)


def forecast_by_area(by_area: pd.DataFrame, title: str, footnote: str) -> go.Figure:
    """Per area, its maximum split into secured / at risk / unknown / lost points (stacked, horizontal).

    Columns: area, name (optional), secured, lost, at_risk, unknown.
    """
    if by_area.empty:
        return empty_figure(NO_DATA, title=title, footnote=footnote)
    _check_columns(by_area, ("area", "secured", "lost", "at_risk", "unknown"), "forecast_by_area")
    labels = [str(a) if not _missing(a) else "Khác" for a in by_area["area"]]
    names = by_area["name"] if "name" in by_area.columns else pd.Series([None] * len(by_area))
    fig = go.Figure()
    for key, label, color in FORECAST_PARTS:
        values = [_float(v) for v in by_area[key]]
        fig.add_bar(
            y=labels,
            x=values,
            orientation="h",
            name=label,
            marker_color=color,
            text=[num(v) if v > 0.005 else "" for v in values],
            textposition="inside",
            customdata=[
                [n if not _missing(n) else f"Lĩnh vực {a}"] for a, n in zip(labels, names, strict=True)
            ],
            hovertemplate=f"<b>%{{y}}. %{{customdata[0]}}</b><br>{label}: %{{x:,.2~f}} điểm<extra></extra>",
        )
    _layout(fig, title, footnote, x_title="Điểm", height=_bar_height(len(labels)), xgrid=True)
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(rangemode="tozero", tickformat=",~f")
    return fig


def multi_year_trend(trend: pd.DataFrame, official: pd.DataFrame, title: str, footnote: str) -> go.Figure:
    """Per year: the likely index (% of the applicable max) per area and in total, the task completion
    rate, and the officially published percent when there is one."""
    if trend.empty:
        return empty_figure(NO_DATA, title=title, footnote=footnote)
    _check_columns(trend, ("year", "area", "percent", "done_ratio_of_due"), "multi_year_trend")
    fig = go.Figure()
    years = sorted(trend["year"].unique())
    x = [str(y) for y in years]
    total = trend[trend["area"].eq("Tổng")].set_index("year").reindex(years)
    shares = total["known_share"] if "known_share" in total else pd.Series(1.0, index=total.index)
    # A year scored on less than half of its maximum is marked: its percent is not comparable yet.
    marks = ["" if _missing(s) or s >= 0.5 else "*" for s in shares]
    for area, part in _by_area(trend[~trend["area"].eq("Tổng")]):
        part = part.set_index("year").reindex(years)
        fig.add_scatter(
            x=x,
            y=[None if _missing(p) else float(p) for p in part["percent"]],
            name=f"Lĩnh vực {area}",
            mode="lines+markers",
            line=dict(color=area_color(area), width=1.5),
            marker=dict(size=6),
            opacity=0.7,
            hovertemplate=f"<b>%{{x}}</b><br>Lĩnh vực {area}: %{{y:,.1f}} %<extra></extra>",
        )
    fig.add_scatter(
        x=x,
        y=[None if _missing(p) else float(p) for p in total["percent"]],
        name="Chỉ số dự kiến (%)",
        mode="lines+markers+text",
        line=dict(color=MAX_COLOR, width=4),
        marker=dict(size=11),
        text=[
            None if _missing(p) else f"{num(p, 1)} %{m}" for p, m in zip(total["percent"], marks, strict=True)
        ],
        textposition="top center",
        hovertemplate="<b>%{x}</b><br>Chỉ số dự kiến: %{y:,.2~f} %<extra></extra>",
    )
    fig.add_scatter(
        x=x,
        y=[_percent(r) for r in total["done_ratio_of_due"]],
        name="Tỷ lệ hoàn thành nhiệm vụ đến hạn (%)",
        mode="lines+markers",
        line=dict(color=LIKELY_COLOR, width=3, dash="dash"),
        marker=dict(size=9),
        hovertemplate="<b>%{x}</b><br>Hoàn thành / đến hạn: %{y:,.1f} %<extra></extra>",
    )
    if not official.empty:
        fig.add_scatter(
            x=[str(int(y)) for y in official["year"]],
            y=[float(p) for p in official["percent"]],
            name="Kết quả công bố (%)",
            mode="markers+text",
            marker=dict(symbol="diamond", size=14, color=BAND_COLORS["amber"]),
            text=[f"{num(p, 2)} %" for p in official["percent"]],
            textposition="bottom center",
            hovertemplate="<b>%{x}</b><br>Công bố: %{y:,.2f} %<extra></extra>",
        )
    if any(marks):
        footnote = f"{footnote} · * dưới một nửa số điểm tối đa đã có số liệu"
    _layout(fig, title, footnote, y_title="%")
    fig.update_layout(
        yaxis=dict(range=[0, 110], tickvals=PERCENT_TICKS, ticktext=_percent_ticks(PERCENT_TICKS))
    )
    every_year = sorted({*years, *(int(y) for y in official.get("year", []))})
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=[str(y) for y in every_year])
    return fig
