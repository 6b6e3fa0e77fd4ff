"""The dashboard's figures with their titles, built once for pages and for the meeting slides.

Each function takes the year's data and the selection (cut-off, quarter, unit) and returns a
plotly Figure, or None when there is nothing to draw (the caller says so in words).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from analysis import fmt
from analysis.engine import year as year_view
from analysis.engine.organisation import organisation
from analysis.present import charts
from analysis.schema import UNIT_GROUP_LABELS


@dataclass(frozen=True)
class Selection:
    """What the user looks at: a year, a quarter, a cut-off date and an optional unit.

    `whole` names the organisation as a whole («Toàn xã», «Toàn huyện», …; see
    analysis.engine.organisation); it is what `unit_label` says when no unit is chosen.
    """

    year: int
    quarter: int
    as_of: date
    unit: str | None = None
    whole: str = ""
    whole_unit: str | None = None  # the organisation's own unit, when the data holds it as a unit

    @property
    def period(self) -> str:
        return fmt.quarter_label(self.quarter, self.year)

    @property
    def unit_label(self) -> str:
        if self.unit is None or self.unit == self.whole_unit:
            return self.whole or organisation().whole_label
        return self.unit


def with_whole(data: year_view.YearData, sel: Selection) -> Selection:
    """The selection with the organisation's «Toàn …» label filled in from the data's units file."""
    if sel.whole:
        return sel
    return replace(sel, whole=organisation(data.units, sel.as_of).whole_label)


def footnote(data: year_view.YearData, sel: Selection) -> str:
    """Cut-off date, unit and source files, for chart footnotes."""
    files = sorted(set(data.sources["file_name"].dropna())) if not data.sources.empty else []
    shown = ", ".join(files[:3]) + (f" và {len(files) - 3} tệp khác" if len(files) > 3 else "")
    label = with_whole(data, sel).unit_label
    return f"Số liệu đến {fmt.vdate(sel.as_of)} · {label} · Nguồn: {shown or 'chưa có'}"


def waterfall(data: year_view.YearData, sel: Selection, summary: dict) -> go.Figure | None:
    if not summary["index"]["by_area"]:
        return None
    return charts.score_waterfall(
        summary["index"]["by_area"],
        summary["index"],
        title=f"Từ điểm tối đa đến điểm dự kiến theo lĩnh vực — {sel.period}",
        footnote=footnote(data, sel),
    )


def _chart(
    build: Callable[..., go.Figure], frame, data: year_view.YearData, sel: Selection, title: str
) -> go.Figure:
    """`build`'s figure of `frame` with `title` and the selection's footnote."""
    return build(frame, title=title, footnote=footnote(data, sel))


def completion_trend(data: year_view.YearData, sel: Selection, series) -> go.Figure:
    title = f"Tiến độ hoàn thành nhiệm vụ so với kế hoạch — năm {sel.year}"
    return _chart(charts.completion_trend, series, data, sel, title)


def states_by_quarter(data: year_view.YearData, sel: Selection, series) -> go.Figure:
    return _chart(
        charts.states_by_quarter, series, data, sel, f"Tình trạng nhiệm vụ theo quý — năm {sel.year}"
    )


def score_trend(data: year_view.YearData, sel: Selection, series) -> go.Figure | None:
    if series["max"].fillna(0).sum() <= 0:
        return None
    return _chart(charts.score_trend, series, data, sel, f"Điểm chỉ số dự kiến theo quý — năm {sel.year}")


# The titles of the charts drawn only when their frame has rows; {sel} is the selection, {as_of} its
# cut-off date.
TITLES: dict[Callable[..., go.Figure], str] = {
    charts.deductions_by_area_quarter: "Điểm chưa đạt theo lĩnh vực qua các quý — năm {sel.year}",
    charts.unit_area_heatmap: "Tỷ lệ hoàn thành nhiệm vụ đến hạn theo đơn vị và lĩnh vực — {sel.period}",
    charts.commune_index_chart: "Chỉ số CCHC dự kiến của xã, thị trấn — {sel.period}",
    charts.dossier_on_time_chart: "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn theo đơn vị — {sel.period}",
    charts.forecast_by_area: "Dự báo cuối năm {sel.year} theo lĩnh vực (số liệu đến {as_of})",
}


def _unless_empty(
    build: Callable[..., go.Figure],
) -> Callable[[year_view.YearData, Selection, pd.DataFrame], go.Figure | None]:
    """A figure function: `build`'s chart of the frame with its title, None when the frame is empty."""

    def figure(data: year_view.YearData, sel: Selection, frame: pd.DataFrame) -> go.Figure | None:
        if frame.empty:
            return None
        return _chart(build, frame, data, sel, TITLES[build].format(sel=sel, as_of=fmt.vdate(sel.as_of)))

    return figure


area_deductions = _unless_empty(charts.deductions_by_area_quarter)
unit_area = _unless_empty(charts.unit_area_heatmap)
commune_index = _unless_empty(charts.commune_index_chart)
dossiers = _unless_empty(charts.dossier_on_time_chart)
forecast = _unless_empty(charts.forecast_by_area)  # secured, at risk, unknown and lost points per area


def unit_league(data: year_view.YearData, sel: Selection, league, kind: str) -> go.Figure | None:
    league = league[league["assigned"] > 0]
    if league.empty:
        return None
    group = UNIT_GROUP_LABELS.get(kind, "Tất cả đơn vị") if kind != "all" else "Tất cả đơn vị"
    title = f"Tỷ lệ hoàn thành nhiệm vụ đến hạn — {group} — {sel.period}"
    return _chart(charts.unit_league_chart, league, data, sel, title)


def criteria(data: year_view.YearData, sel: Selection, crit) -> go.Figure | None:
    if crit.empty or crit["deducted"].fillna(0).sum() <= 0:
        return None
    return _chart(
        charts.criterion_deductions, crit, data, sel, f"Các tiêu chí chưa đạt nhiều điểm nhất — {sel.period}"
    )


def file_stem(kind: str, sel: Selection) -> str:
    """A meaningful ASCII name for exported images: 'diem-bi-tru-theo-linh-vuc-quy-ii-2024'."""
    return charts.slug(f"{kind} {sel.period}")


def multi_year(trend, official, unit_label: str, footnote_text: str) -> go.Figure | None:
    """The multi-year trend page's chart (index by area and in total, task completion, published results)."""
    if trend.empty:
        return None
    years = sorted(trend["year"].unique())
    return charts.multi_year_trend(
        trend,
        official,
        title=f"Chỉ số CCHC và tiến độ nhiệm vụ qua các năm — {unit_label} ({years[0]}–{years[-1]})",
        footnote=footnote_text,
    )
