"""A 16:9 PowerPoint deck for the steering committee, built from the same figures as the pages.

Charts are rendered to PNG by kaleido (it drives Debian's Chromium; nothing is downloaded).
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from analysis import fmt
from analysis.engine import dossiers, league
from analysis.engine import series as quarter_views
from analysis.engine import year as year_view
from analysis.engine.scoring import rank_name
from analysis.exports import excel
from analysis.present import figures

WIDTH, HEIGHT = Emu(12192000), Emu(6858000)  # exactly 16:9 (13⅓ × 7½ in)
IMAGE_PX = (1600, 900)
TITLE_COLOR = RGBColor(0x1F, 0x29, 0x33)
MUTED = RGBColor(0x52, 0x60, 0x6D)


def _text(
    slide, text: str, left, top, width, height, size: int, bold: bool = False, color=TITLE_COLOR
) -> None:
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(text.split("\n")):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.text = line
        para.font.size = Pt(size)
        para.font.bold = bold
        para.font.color.rgb = color


def _render(figs: list[go.Figure]) -> list[bytes]:
    """PNG bytes of each figure, in one browser session (the first image starts Chromium)."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = [Path(tmp) / f"{i}.png" for i in range(len(figs))]
        pio.write_images(figs, paths, width=IMAGE_PX[0], height=IMAGE_PX[1], scale=2)
        return [p.read_bytes() for p in paths]


def deck_figures(
    data: year_view.YearData, sel: figures.Selection, summary: dict | None = None
) -> list[go.Figure]:
    """The charts of the deck, in order; sections with no data are left out."""
    summary = summary or year_view.summary(data, sel.as_of, sel.unit)
    series = quarter_views.quarter_series(data, sel.unit, sel.quarter)
    candidates = [
        figures.waterfall(data, sel, summary),
        figures.completion_trend(data, sel, series),
        figures.states_by_quarter(data, sel, series),
        figures.area_deductions(
            data, sel, quarter_views.area_deductions_by_quarter(data, sel.unit, sel.quarter)
        ),
        figures.criteria(data, sel, year_view.criteria(data, sel.as_of, sel.unit)),
    ]
    if sel.unit is None:
        for kind in ("office", "commune"):
            candidates.append(figures.unit_league(data, sel, league.unit_league(data, sel.as_of, kind), kind))
        candidates.append(figures.commune_index(data, sel, league.commune_index(data, sel.as_of)))
    return [f for f in candidates if f is not None]


def headline_lines(summary: dict) -> list[str]:
    """The numbers slide, one line each (the same values as the overview cards)."""
    t, i = summary["tasks"], summary["index"]
    done = t["done_on_time"] + t["done_late"]
    lines = [
        f"Nhiệm vụ đã hoàn thành: {done}/{t['assigned']} ({fmt.pct(t['done_ratio_of_assigned'])})",
        f"Hoàn thành trên số nhiệm vụ đến hạn: {fmt.pct(t['done_ratio_of_due'])}",
        f"Nhiệm vụ chưa hoàn thành quá hạn: {t['open_overdue']}",
    ]
    if i["likely"] is not None:
        lines.append(f"Điểm chỉ số dự kiến: {fmt.num(i['likely'], 2)} / {fmt.num(i['max'], 2)} điểm")
        lines.append(f"Điểm chưa đạt: {fmt.num(i['deducted'], 2)} điểm")
    if i["percent"] is not None:
        lines.append(
            f"Xếp loại dự kiến: {i['rank']} — {rank_name(i['percent'])} ({fmt.num(i['percent'], 2)} %)"
        )
    return lines


def quarter_deck(data: year_view.YearData, sel: figures.Selection) -> bytes:
    """The .pptx bytes: title, headline numbers, one chart per slide, the late-unit list."""
    sel = figures.with_whole(data, sel)
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    blank = prs.slide_layouts[6]

    slide = prs.slides.add_slide(blank)
    _text(
        slide, "CHỈ SỐ CẢI CÁCH HÀNH CHÍNH", Inches(0.8), Inches(2.2), Inches(11.7), Inches(1), 40, bold=True
    )
    _text(
        slide,
        f"{sel.unit_label} — {sel.period}\nSố liệu đến {fmt.vdate(sel.as_of)}",
        Inches(0.8),
        Inches(3.4),
        Inches(11.7),
        Inches(1.5),
        24,
        color=MUTED,
    )

    summary = year_view.summary(data, sel.as_of, sel.unit)
    slide = prs.slides.add_slide(blank)
    _text(
        slide,
        f"Kết quả chính — {sel.period}",
        Inches(0.6),
        Inches(0.4),
        Inches(12),
        Inches(0.9),
        32,
        bold=True,
    )
    _text(slide, "\n".join(headline_lines(summary)), Inches(0.8), Inches(1.6), Inches(11.5), Inches(5), 26)

    figs = deck_figures(data, sel, summary)
    for png in _render(figs) if figs else []:
        slide = prs.slides.add_slide(blank)
        picture = slide.shapes.add_picture(io.BytesIO(png), 0, 0, width=WIDTH)
        # Keep the 16:9 picture centred if the slide is a little taller.
        picture.top = Emu(max(0, (HEIGHT - picture.height) // 2))

    late = dossiers.late_units(data, sel.as_of)
    if not late.empty:
        table = excel.late_units_for_export(late).head(14)
        slide = prs.slides.add_slide(blank)
        _text(
            slide,
            f"Đơn vị chậm trễ — {sel.period}",
            Inches(0.6),
            Inches(0.3),
            Inches(12),
            Inches(0.8),
            28,
            bold=True,
        )
        rows, cols = len(table) + 1, len(table.columns)
        shape = slide.shapes.add_table(rows, cols, Inches(0.4), Inches(1.2), Inches(12.5), Inches(0.4) * rows)
        for c, name in enumerate(table.columns):
            shape.table.cell(0, c).text = str(name)
        for r, record in enumerate(table.itertuples(index=False), start=1):
            for c, value in enumerate(record):
                shape.table.cell(r, c).text = _cell(value)
        for r in range(rows):
            for c in range(cols):
                for para in shape.table.cell(r, c).text_frame.paragraphs:
                    para.font.size = Pt(12)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return fmt.num(value, 2)
    return str(value)
