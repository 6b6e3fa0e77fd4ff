"""Figures as data: traces, colours, titles, separators and footnotes on small hand-built frames."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import pytest
from helpers_frames import table

from analysis.present import charts
from analysis.schema import TASK_STATES

TITLE = "Điểm bị trừ theo lĩnh vực — Quý II/2024"
NOTE = "Số liệu đến 30/06/2024 · Toàn huyện · Nguồn: tien_do_Q2.xlsx"


def footnotes(fig: go.Figure) -> list[str]:
    return [a.text.replace("<br>", " ") for a in fig.layout.annotations if a.name == "footnote"]


def assert_house_layout(fig: go.Figure, title: str = TITLE, note: str = NOTE) -> None:
    assert fig.layout.title.text == title
    assert fig.layout.separators == ",."
    assert fig.layout.title.font.size >= 20
    assert fig.layout.font.family.startswith("Noto Sans")
    assert footnotes(fig) == [note]
    footnote = next(a for a in fig.layout.annotations if a.name == "footnote")
    assert footnote.yref == "paper" and footnote.y == 0 and footnote.yanchor == "top"  # under the plot
    for axis in (fig.layout.xaxis, fig.layout.yaxis):
        assert axis.tickfont.size >= 14
        assert axis.automargin is True


def series() -> pd.DataFrame:
    # Q1: 6 assigned, 3 due by plan, 1 done of 2 due; Q2: 5 due by plan, 3 done of 5 due.
    return table(
        (
            "quarter label assigned due done_on_time done_late open_in_time open_overdue done"
            " done_ratio_of_due done_ratio_of_assigned planned_due max likely percent"
        ),
        [
            (1, "Quý I/2024", 6, 2, 1, 0, 4, 1, 1, 0.5, 1 / 6, 3, 8.0, 2.0, 28.57),
            (2, "Quý II/2024", 6, 5, 2, 1, 1, 2, 3, 0.6, 0.5, 5, 8.0, 1.5, 18.75),
        ],
    )


# Index ------------------------------------------------------------------------------------


BY_AREA = [
    {"area": "I", "name": "Công tác chỉ đạo, điều hành CCHC", "max": 3.0, "likely": 0.5, "deducted": 2.5},
    {"area": "II", "name": "Cải cách thể chế", "max": 2.0, "likely": 1.0, "deducted": 1.0},
    {"area": "III", "name": "Cải cách thủ tục hành chính", "max": 3.0, "likely": 0.0, "deducted": 3.0},
]


def test_score_waterfall_steps_down_to_the_likely_score():
    total = {"max": 8.0, "likely": 1.5, "deducted": 6.5, "unknown_max": 0.0, "percent": 18.75}
    fig = charts.score_waterfall(BY_AREA, total, TITLE, NOTE)
    assert_house_layout(fig)
    bar = fig.data[0]
    assert list(bar.x) == ["Tối đa", "I", "II", "III", "Dự kiến"]
    # 8 -> 8 - 2,5 = 5,5 -> 5,5 - 1 = 4,5 -> 4,5 - 3 = 1,5 = the likely score.
    assert list(bar.y) == [8.0, 2.5, 1.0, 3.0, 1.5]
    assert list(bar.base) == [0.0, 5.5, 4.5, 1.5, 0.0]
    assert list(bar.text)[1:4] == ["−2,5", "−1", "−3"]
    assert list(bar.text)[-1] == "1,5<br>(18,8 %)"
    assert list(bar.marker.color)[1:4] == [charts.BAND_COLORS["red"]] * 3
    assert "Cải cách thể chế" in bar.hovertext[2]


def test_score_waterfall_shows_points_not_yet_known_apart():
    # 8 max, 1 point unknown: 8 - 2,5 - 1 - 3 = 1,5, minus 1 unknown = 0,5 likely.
    total = {"max": 8.0, "likely": 0.5, "deducted": 6.5, "unknown_max": 1.0, "percent": 7.14}
    bar = charts.score_waterfall(BY_AREA, total, TITLE, NOTE).data[0]
    assert list(bar.x) == ["Tối đa", "I", "II", "III", "Chưa rõ", "Dự kiến"]
    assert bar.base[4] == pytest.approx(0.5) and bar.y[4] == 1.0
    assert bar.marker.color[4] == charts.UNKNOWN_COLOR


def test_score_trend_points_and_percent():
    fig = charts.score_trend(series(), TITLE, NOTE)
    assert_house_layout(fig)
    bars, line = fig.data
    assert list(bars.y) == [2.0, 1.5]
    assert list(line.y) == [28.57, 18.75] and line.yaxis == "y2"
    assert list(line.text) == ["28,6 %", "18,8 %"]
    assert fig.layout.yaxis2.ticktext[-1] == "100 %"


def test_deductions_by_area_quarter_stacks_areas_in_their_colours():
    long = table(
        "quarter label area name max likely deducted",
        [
            (1, "Quý I/2024", "I", "Chỉ đạo", 3.0, 1.0, 2.0),
            (1, "Quý I/2024", "III", "Thủ tục hành chính", 3.0, 0.0, 3.0),
            (2, "Quý II/2024", "I", "Chỉ đạo", 3.0, 0.5, 2.5),
            (2, "Quý II/2024", "II", "Thể chế", 2.0, 1.0, 1.0),
            (2, "Quý II/2024", "III", "Thủ tục hành chính", 3.0, 0.0, 3.0),
        ],
    )
    fig = charts.deductions_by_area_quarter(long, TITLE, NOTE)
    assert_house_layout(fig)
    assert fig.layout.barmode == "stack"
    bars = [t for t in fig.data if t.type == "bar"]
    # Areas in Roman order whatever the row order; the legend shows codes, the hover the name.
    assert [t.name for t in bars] == ["I", "II", "III"]
    assert [t.marker.color for t in bars] == [charts.AREA_COLORS[a] for a in ("I", "II", "III")]
    assert list(bars[0].y) == [2.0, 2.5]
    assert math.isnan(bars[1].y[0]) and bars[1].y[1] == 1.0  # no area II row in Q1
    assert "II. Thể chế" in bars[1].hovertemplate
    totals = next(t for t in fig.data if t.type == "scatter")
    assert list(totals.text) == ["5", "6,5"]  # 2 + 3; 2,5 + 1 + 3


def test_criterion_deductions_top_and_hover_reason():
    criteria = table(
        "code area name max_points status deducted why",
        [
            (
                "1.1",
                "I",
                "Hoàn thành kế hoạch CCHC",
                2.0,
                "known",
                2.0,
                "3/5 nhiệm vụ đến hạn đã hoàn thành → 0",
            ),
            ("1.2", "I", "Báo cáo định kỳ", 1.0, "known", 0.5, "Chấm tay"),
            ("2.1", "II", "Văn bản QPPL", 2.0, "unknown", math.nan, None),
            ("3.1", "III", "Hồ sơ đúng hạn", 3.0, "known", 3.0, "3/6 hồ sơ đúng hạn → 0"),
        ],
    )
    fig = charts.criterion_deductions(criteria, TITLE, NOTE, top=2)
    assert_house_layout(fig)
    # The two largest known losses: 3.1 (3) then 1.1 (2); 2.1 is unknown and not drawn.
    assert list(fig.layout.yaxis.categoryarray) == ["3.1 Hồ sơ đúng hạn", "1.1 Hoàn thành kế hoạch CCHC"]
    assert fig.layout.yaxis.autorange == "reversed"
    colours = {t.name: t.marker.color for t in fig.data}
    assert colours == {"Lĩnh vực III": charts.AREA_COLORS["III"], "Lĩnh vực I": charts.AREA_COLORS["I"]}
    assert [t.name for t in fig.data] == ["Lĩnh vực I", "Lĩnh vực III"]  # legend in area order
    third = fig.data[1]
    assert list(third.x) == [3.0] and third.customdata[0][1] == "3/6 hồ sơ đúng hạn → 0"
    assert "Chưa đạt" in third.hovertemplate


def test_criterion_deductions_nothing_lost():
    criteria = table(
        "code area name status deducted max_points",
        [("1.1", "I", "A", "known", 0.0, 2.0)],
    )
    fig = charts.criterion_deductions(criteria, TITLE, NOTE)
    assert not fig.data
    assert any(a.text == "Không có tiêu chí nào chưa đạt điểm." for a in fig.layout.annotations)


# Tasks ------------------------------------------------------------------------------------


def test_completion_trend_lines():
    fig = charts.completion_trend(series(), TITLE, NOTE)
    assert_house_layout(fig)
    plan, of_assigned, of_due = fig.data
    # Plan: 3/6 = 50 %, 5/6 = 83,3 %. Done: 1/6 = 16,7 %, 3/6 = 50 %. Of due: 1/2 = 50 %, 3/5 = 60 %.
    assert plan.y == pytest.approx((50.0, 500 / 6))
    assert plan.line.dash == "dash"
    assert of_assigned.y == pytest.approx((100 / 6, 50.0))
    assert of_due.y == pytest.approx((50.0, 60.0))
    assert list(of_assigned.text) == ["16,7 %", "50 %"]
    assert list(fig.layout.yaxis.ticktext) == ["0 %", "20 %", "40 %", "60 %", "80 %", "100 %"]


def test_states_by_quarter_stacks_the_four_states():
    fig = charts.states_by_quarter(series(), TITLE, NOTE)
    assert_house_layout(fig)
    assert fig.layout.barmode == "stack"
    assert [t.name for t in fig.data] == list(TASK_STATES.values())
    assert [t.marker.color for t in fig.data] == [charts.STATE_COLORS[k] for k in TASK_STATES]
    assert [list(t.y) for t in fig.data] == [[1, 2], [0, 1], [4, 1], [1, 2]]
    assert list(fig.data[1].text) == ["", "1"]  # no label on an empty segment
    assert fig.data[3].textposition == "outside"  # overdue count above the bar, never hidden
    assert fig.data[0].textposition == "inside"


# Units ------------------------------------------------------------------------------------


def test_unit_league_chart_bands_order_and_labels():
    league = table(
        "unit done due open_overdue done_ratio_of_due",
        [
            ("Phòng Tư pháp", 1, 2, 1, 0.5),
            ("Ba Tô", 17, 20, 3, 0.85),
            ("Phòng Nội vụ", 4, 4, 0, 1.0),
            ("Ba Tơ", 0, 0, 0, math.nan),
        ],
    )
    fig = charts.unit_league_chart(league, TITLE, NOTE)
    assert_house_layout(fig)
    bar = fig.data[0]
    assert list(bar.y) == ["Phòng Tư pháp", "Ba Tô", "Phòng Nội vụ", "Ba Tơ"]
    assert fig.layout.yaxis.autorange == "reversed"  # first row (worst) at the top
    assert list(bar.x) == [50.0, 85.0, 100.0, 0.0]
    red, amber, green = (charts.BAND_COLORS[k] for k in ("red", "amber", "green"))
    assert list(bar.marker.color) == [red, amber, green, charts.NEUTRAL_COLOR]
    assert list(bar.text) == ["50 % · 1 quá hạn", "85 % · 3 quá hạn", "100 %", "chưa có nhiệm vụ đến hạn"]


def test_unit_area_heatmap_blank_cells():
    matrix = pd.DataFrame(
        {"I": [1.0, math.nan], "II": [0.5, 0.25]}, index=pd.Index(["Phòng Nội vụ", "Ba Tô"], name="unit")
    )
    fig = charts.unit_area_heatmap(matrix, TITLE, NOTE)
    assert_house_layout(fig)
    heat = fig.data[0]
    assert list(heat.x) == ["I", "II"] and list(heat.y) == ["Phòng Nội vụ", "Ba Tô"]
    assert [list(r) for r in heat.z] == [[100.0, 50.0], [None, 25.0]]
    assert [list(r) for r in heat.text] == [["100 %", "50 %"], ["", "25 %"]]
    assert heat.zmin == 0 and heat.zmax == 100
    assert heat.colorscale[0][1] == charts.BAND_COLORS["red"]
    assert heat.colorscale[-1][1] == charts.BAND_COLORS["green"]


def test_commune_index_chart():
    commune = table(
        "unit max likely deducted unknown_max percent rank I III",
        [
            ("Ba Tơ", 8.0, 1.0, 3.0, 4.0, 25.0, "D", 0.0, 3.0),
            ("Ba Tô", 8.0, 3.0, 3.0, 2.0, 50.0, "D", 0.0, 3.0),
            ("Ba Vì", 8.0, 7.6, 0.4, 0.0, 95.0, "A", 0.4, 0.0),
        ],
    )
    fig = charts.commune_index_chart(commune, TITLE, NOTE)
    assert_house_layout(fig)
    bar = fig.data[0]
    assert list(bar.x) == [25.0, 50.0, 95.0]
    assert list(bar.text) == ["25 % (D)", "50 % (D)", "95 % (A)"]
    assert (
        bar.marker.color[2] == charts.BAND_COLORS["green"]
        and bar.marker.color[0] == charts.BAND_COLORS["red"]
    )
    assert "III: −3" in bar.hovertext[0] and "Chưa có số liệu: 4 điểm" in bar.hovertext[0]
    assert "I: −0,4" in bar.hovertext[2]


def test_dossier_on_time_chart_lowest_first():
    dossiers = table(
        "unit resolved on_time late open_overdue on_time_rate late_without_apology",
        [
            ("Ba Tô", 3, 2, 1, 0, 2 / 3, 1),
            ("Phòng Tư pháp", 1, 0, 1, 1, 0.0, 0),
            ("Ba Tơ", 0, 0, 0, 1, math.nan, 1),
        ],
    )
    fig = charts.dossier_on_time_chart(dossiers, TITLE, NOTE)
    assert_house_layout(fig)
    bar = fig.data[0]
    assert list(bar.y) == ["Phòng Tư pháp", "Ba Tô", "Ba Tơ"]  # 0 %, 66,7 %, nothing resolved
    assert bar.x[1] == pytest.approx(200 / 3)
    assert bar.text[1] == "66,7 % · 1 trễ hạn · 1 chưa xin lỗi"
    assert bar.text[0] == "0 % · 1 trễ hạn · 1 đang quá hạn"
    assert bar.text[2] == "chưa có hồ sơ đã giải quyết"


# Empty inputs, footnotes, export ------------------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        lambda: charts.score_waterfall([], {"max": None}, TITLE, NOTE),
        lambda: charts.completion_trend(pd.DataFrame(), TITLE, NOTE),
        lambda: charts.states_by_quarter(pd.DataFrame(), TITLE, NOTE),
        lambda: charts.score_trend(pd.DataFrame(), TITLE, NOTE),
        lambda: charts.deductions_by_area_quarter(pd.DataFrame(), TITLE, NOTE),
        lambda: charts.unit_league_chart(pd.DataFrame(), TITLE, NOTE),
        lambda: charts.unit_area_heatmap(pd.DataFrame(), TITLE, NOTE),
        lambda: charts.commune_index_chart(pd.DataFrame(), TITLE, NOTE),
        lambda: charts.criterion_deductions(pd.DataFrame(), TITLE, NOTE),
        lambda: charts.dossier_on_time_chart(pd.DataFrame(), TITLE, NOTE),
    ],
)
def test_empty_inputs_give_a_message(build):
    fig = build()
    assert not fig.data
    assert fig.layout.title.text == TITLE
    assert any(a.name == "message" and a.text == charts.NO_DATA for a in fig.layout.annotations)
    assert footnotes(fig) == [NOTE]


def test_empty_figure():
    fig = charts.empty_figure("Chưa có hồ sơ nào.")
    assert [a.text for a in fig.layout.annotations if a.name == "message"] == ["Chưa có hồ sơ nào."]
    assert fig.layout.xaxis.visible is False


def test_missing_column_is_named():
    with pytest.raises(ValueError, match="planned_due"):
        charts.completion_trend(series().drop(columns="planned_due"), TITLE, NOTE)


def test_long_footnote_wraps_without_losing_words():
    note = " · ".join(f"bao_cao_tien_do_quy_{i}.xlsx" for i in range(12))
    fig = charts.states_by_quarter(series(), TITLE, note)
    text = next(a.text for a in fig.layout.annotations if a.name == "footnote")
    lines = text.split("<br>")
    assert len(lines) >= 3 and all(len(line) <= charts.FOOTNOTE_WIDTH for line in lines)
    assert " ".join(lines) == note
    # The bottom margin grows with the lines so the footnote is not cut.
    short = charts.states_by_quarter(series(), TITLE, NOTE)
    assert fig.layout.margin.b - short.layout.margin.b == 20 * (len(lines) - 1)


def test_hover_templates_speak_vietnamese_with_vietnamese_numbers():
    fig = charts.completion_trend(series(), TITLE, NOTE)
    assert all("<extra></extra>" in t.hovertemplate for t in fig.data)
    assert "nhiệm vụ đến hạn" in fig.data[2].hovertemplate
    assert "%{y:,.1f} %" in fig.data[2].hovertemplate  # d3 format; separators ",." make it 85,5 and 1.234


def test_area_colours_are_distinct():
    assert list(charts.AREA_COLORS) == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
    assert len(set(charts.AREA_COLORS.values())) == 8
    assert set(charts.STATE_COLORS) == set(TASK_STATES)
    assert (
        charts.area_color("ix") == charts.OTHER_AREA_COLOR
        and charts.area_color(" ii ") == charts.AREA_COLORS["II"]
    )


def test_export_config():
    config = charts.export_config("Điểm bị trừ theo lĩnh vực — Quý II/2024")
    assert config["displaylogo"] is False
    assert config["toImageButtonOptions"]["scale"] == 3
    assert config["toImageButtonOptions"]["format"] == "png"
    assert config["toImageButtonOptions"]["filename"] == "diem-bi-tru-theo-linh-vuc-quy-ii-2024"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đơn vị trễ hạn — Ba Tơ", "don-vi-tre-han-ba-to"),
        ("diem-du-kien-theo-linh-vuc-Quý I/2024", "diem-du-kien-theo-linh-vuc-quy-i-2024"),
        ("Thủ tục hành chính (TTHC): 98,5 %", "thu-tuc-hanh-chinh-tthc-98-5"),
        ("——", "bieu-do"),
    ],
)
def test_slug_is_ascii(text, expected):
    assert charts.slug(text) == expected
    assert charts.slug(text).isascii()
