"""The dashboard's figures with their titles, built once for pages and for the meeting slides.

Each function takes the year's data and the selection (cut-off, quarter, unit) and returns a
plotly Figure, or None when there is nothing to draw (the caller says so in words).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

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


def completion_trend(data: year_view.YearData, sel: Selection, series) -> go.Figure:
    return charts.completion_trend(
        series,
        title=f"Tiến độ hoàn thành nhiệm vụ so với kế hoạch — năm {sel.year}",
        footnote=footnote(data, sel),
    )


def states_by_quarter(data: year_view.YearData, sel: Selection, series) -> go.Figure:
    return charts.states_by_quarter(
        series, title=f"Tình trạng nhiệm vụ theo quý — năm {sel.year}", footnote=footnote(data, sel)
    )


def score_trend(data: year_view.YearData, sel: Selection, series) -> go.Figure | None:
    if series["max"].fillna(0).sum() <= 0:
        return None
    return charts.score_trend(
        series, title=f"Điểm chỉ số dự kiến theo quý — năm {sel.year}", footnote=footnote(data, sel)
    )


def area_deductions(data: year_view.YearData, sel: Selection, long) -> go.Figure | None:
    if long.empty:
        return None
    return charts.deductions_by_area_quarter(
        long, title=f"Điểm bị trừ theo lĩnh vực qua các quý — năm {sel.year}", footnote=footnote(data, sel)
    )


def unit_league(data: year_view.YearData, sel: Selection, league, kind: str) -> go.Figure | None:
    league = league[league["assigned"] > 0]
    if league.empty:
        return None
    return charts.unit_league_chart(
        league,
        title=f"Tỷ lệ hoàn thành nhiệm vụ đến hạn — {UNIT_GROUP_LABELS.get(kind, 'Tất cả đơn vị') if kind != 'all' else 'Tất cả đơn vị'} — {sel.period}",
        footnote=footnote(data, sel),
    )


def unit_area(data: year_view.YearData, sel: Selection, matrix) -> go.Figure | None:
    if matrix.empty:
        return None
    return charts.unit_area_heatmap(
        matrix,
        title=f"Tỷ lệ hoàn thành nhiệm vụ đến hạn theo đơn vị và lĩnh vực — {sel.period}",
        footnote=footnote(data, sel),
    )


def commune_index(data: year_view.YearData, sel: Selection, communes) -> go.Figure | None:
    if communes.empty:
        return None
    return charts.commune_index_chart(
        communes, title=f"Chỉ số CCHC dự kiến của xã, thị trấn — {sel.period}", footnote=footnote(data, sel)
    )


def dossiers(data: year_view.YearData, sel: Selection, summary) -> go.Figure | None:
    if summary.empty:
        return None
    return charts.dossier_on_time_chart(
        summary,
        title=f"Tỷ lệ hồ sơ TTHC giải quyết đúng hạn theo đơn vị — {sel.period}",
        footnote=footnote(data, sel),
    )


def criteria(data: year_view.YearData, sel: Selection, crit) -> go.Figure | None:
    if crit.empty or crit["deducted"].fillna(0).sum() <= 0:
        return None
    return charts.criterion_deductions(
        crit, title=f"Các tiêu chí bị trừ nhiều điểm nhất — {sel.period}", footnote=footnote(data, sel)
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
