"""A 16:9 PowerPoint deck for the steering committee, built from the same figures as the pages.

Charts are rendered to PNG by kaleido (it drives Debian's Chromium; nothing is downloaded).
"""

from __future__ import annotations

import io
import tempfile
import warnings
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_CONNECTOR
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from analysis import fmt
from analysis.engine import dossiers, league
from analysis.engine import series as quarter_views
from analysis.engine import year as year_view
from analysis.exports import admin_doc, browser, excel
from analysis.exports.report import sentence_case
from analysis.present import figures, tables

WIDTH, HEIGHT = Emu(12192000), Emu(6858000)  # exactly 16:9 (13⅓ × 7½ in)
IMAGE_PX = (1600, 900)
TITLE_COLOR = RGBColor(0x1F, 0x29, 0x33)
MUTED = RGBColor(0x52, 0x60, 0x6D)
OFFICIAL_RED = RGBColor(0xC0, 0x00, 0x00)
LATE_ROWS = 10  # rows of the late-unit slide that fit with two-line unit names


def _slide_title(slide, text: str) -> None:
    """A slide's title line, in the same place and size on every slide."""
    _text(slide, text, Inches(0.6), Inches(0.3), Inches(12), Inches(0.8), 28, bold=True)


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


def render_pngs(figs: list[go.Figure], size: tuple[int, int] = IMAGE_PX, scale: float = 2) -> list[bytes]:
    """PNG bytes of each figure, in one browser session (the first image starts Chromium)."""
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        # With a pack's warm browser (kaleido's sync server) plotly's default options are ignored: expected.
        warnings.filterwarnings("ignore", message="The kopts argument is ignored")
        paths = [Path(tmp) / f"{i}.png" for i in range(len(figs))]
        pio.write_images(figs, paths, width=size[0], height=size[1], scale=scale)
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
    done = t["done"]
    lines = [
        f"Nhiệm vụ đã hoàn thành: {done}/{t['assigned']} ({fmt.pct(t['done_ratio_of_assigned'])})",
        f"Hoàn thành trên số nhiệm vụ đến hạn: {fmt.pct(t['done_ratio_of_due'])}",
        f"Nhiệm vụ chưa hoàn thành quá hạn: {t['open_overdue']}",
    ]
    if i["likely"] is not None:
        lines.append(f"Điểm chỉ số dự kiến: {fmt.num(i['likely'], 2)} / {fmt.num(i['max'], 2)} điểm")
        lines.append(f"Điểm chưa đạt: {fmt.num(i['deducted'], 2)} điểm")
    if i["percent"] is not None:
        lines.append(tables.rating_line(i))
    return lines


def _title_slide(prs, blank, sel: figures.Selection, org: admin_doc.Organisation) -> None:
    """The official-style cover: issuing body and national motto on top, the report's title centred."""
    slide = prs.slides.add_slide(blank)
    top = Inches(0.45)
    _centred(slide, "\n".join(org.heading_lines), Inches(0.4), top, Inches(4.6), Inches(0.9), 16, bold=True)
    _line(slide, Inches(1.9), top + Inches(0.72), Inches(1.6))
    _centred(
        slide,
        f"{admin_doc.NATION}\n{admin_doc.MOTTO}",
        Inches(6.0),
        top,
        Inches(7.0),
        Inches(0.9),
        16,
        bold=True,
    )
    _line(slide, Inches(8.25), top + Inches(0.72), Inches(2.5))
    _centred(
        slide,
        "BÁO CÁO KẾT QUẢ THỰC HIỆN\nCÔNG TÁC CẢI CÁCH HÀNH CHÍNH",
        Inches(0.8),
        Inches(2.3),
        Inches(11.7),
        Inches(1.5),
        36,
        bold=True,
        color=OFFICIAL_RED,
    )
    _line(slide, Inches(5.4), Inches(3.95), Inches(2.5), color=OFFICIAL_RED)
    _centred(
        slide,
        f"{sel.unit_label} — {sel.period}\nSố liệu đến {fmt.vdate(sel.as_of)}",
        Inches(0.8),
        Inches(4.25),
        Inches(11.7),
        Inches(1.2),
        24,
        color=MUTED,
    )


def _centred(
    slide, text: str, left, top, width, height, size: int, bold: bool = False, color=TITLE_COLOR
) -> None:
    _text(slide, text, left, top, width, height, size, bold=bold, color=color)
    for para in slide.shapes[-1].text_frame.paragraphs:
        para.alignment = PP_ALIGN.CENTER


def _line(slide, left, top, width, color=TITLE_COLOR) -> None:
    line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, left, top, left + width, top)
    line.line.color.rgb = color
    line.line.width = Pt(1.25)


def _watermark(slide, text: str = admin_doc.DRAFT_MARK) -> None:
    """A large, light, see-through diagonal 'DỰ THẢO' over the slide."""
    box = slide.shapes.add_textbox(Inches(1.7), Inches(2.6), Inches(10), Inches(2.2))
    box.rotation = -25
    para = box.text_frame.paragraphs[0]
    para.text = text
    para.alignment = PP_ALIGN.CENTER
    font = para.runs[0].font
    font.size, font.bold = Pt(120), True
    font.color.rgb = RGBColor(0x9A, 0x9A, 0x9A)
    fill = font.color._xFill  # <a:solidFill><a:srgbClr/></a:solidFill>
    alpha = fill.srgbClr.makeelement(qn("a:alpha"), {"val": "35000"})  # 35 % opaque
    fill.srgbClr.append(alpha)


def _tables_only_slides(prs, blank, sel: figures.Selection, summary: dict, note: str) -> None:
    """Without a browser: the areas as a table instead of the charts, and what to install."""
    slide = prs.slides.add_slide(blank)
    _slide_title(slide, f"Điểm dự kiến theo lĩnh vực — {sel.period}")
    table = tables.area_table(summary)
    if not table.empty:
        table["Tên lĩnh vực"] = [sentence_case(n) for n in table["Tên lĩnh vực"]]
        _table(slide, table, top=Inches(1.2), size=14, widths=(1.1, 7.4, 1.3, 1.3, 1.4))
    _text(slide, note, Inches(0.6), Inches(6.5), Inches(12), Inches(0.6), 12, color=MUTED)


def _table(slide, table, top, size: int, widths: tuple[float, ...] | None = None) -> None:
    rows, cols = len(table) + 1, len(table.columns)
    shape = slide.shapes.add_table(rows, cols, Inches(0.4), top, Inches(12.5), Inches(0.4) * rows)
    for c, width in enumerate(widths or ()):
        shape.table.columns[c].width = Inches(width)
    for c, name in enumerate(table.columns):
        shape.table.cell(0, c).text = str(name)
    ratio_columns = {c for c, name in enumerate(table.columns) if str(name).startswith("Tỷ lệ")}
    for r, record in enumerate(table.itertuples(index=False), start=1):
        for c, value in enumerate(record):
            ratio = c in ratio_columns and isinstance(value, float) and value == value
            shape.table.cell(r, c).text = fmt.pct(value) if ratio else _cell(value)
    for r in range(rows):
        for c in range(cols):
            for para in shape.table.cell(r, c).text_frame.paragraphs:
                para.font.size = Pt(size)


def quarter_deck(
    data: year_view.YearData,
    sel: figures.Selection,
    *,
    images: list[bytes] | None = None,
    draft: bool = False,
    org: admin_doc.Organisation | None = None,
) -> bytes:
    """The .pptx bytes: title, headline numbers, one chart per slide, the late-unit list.

    `images` are the charts already drawn (a pack draws them once for the deck and the PNG bundle);
    without them the charts are drawn here, or, when no browser is found, shown as a table.
    """
    sel = figures.with_whole(data, sel)
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    blank = prs.slide_layouts[6]
    _title_slide(prs, blank, sel, org or admin_doc.organisation(data.units, sel.as_of))

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
    _text(slide, "\n".join(headline_lines(summary)), Inches(0.8), Inches(1.6), Inches(11.9), Inches(5), 24)

    if images is None and browser.find_browser() is None:
        _tables_only_slides(prs, blank, sel, summary, browser.install_hint())
        images = []
    elif images is None:
        figs = deck_figures(data, sel, summary)
        images = render_pngs(figs) if figs else []
    for png in images:
        slide = prs.slides.add_slide(blank)
        picture = slide.shapes.add_picture(io.BytesIO(png), 0, 0, width=WIDTH)
        # Keep the 16:9 picture centred if the slide is a little taller.
        picture.top = Emu(max(0, (HEIGHT - picture.height) // 2))

    late = dossiers.late_units(data, sel.as_of)
    if not late.empty:
        table = excel.late_units_for_export(late).head(LATE_ROWS)
        slide = prs.slides.add_slide(blank)
        _slide_title(
            slide,
            f"Đơn vị chậm trễ — {sel.period}"
            + (f" ({LATE_ROWS}/{len(late)} đơn vị chậm nhất)" if len(late) > LATE_ROWS else ""),
        )
        _table(slide, table, top=Inches(1.2), size=12)
    if draft:
        for slide in prs.slides:
            _watermark(slide)
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
