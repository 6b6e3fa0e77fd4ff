"""The meeting pack of a quarter: the report (.docx, .pdf), the deck (.pptx) and every chart as a
1920×1080 PNG (.zip).

Charts are drawn once per pack, in one browser session, and shared by the deck and the bundle. When
no browser is found the documents carry tables only and say what to install.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import kaleido
import plotly.graph_objects as go
from PIL import Image, ImageDraw, ImageFont

from analysis.engine import year as year_view
from analysis.exports import admin_doc, browser, excel, pdf, report, slides
from analysis.periods import quarter_end
from analysis.present import charts, figures, tables

PNG_SIZE = (1920, 1080)
FORMATS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Báo cáo (Word)"),
    "pdf": ("application/pdf", "Báo cáo (PDF)"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "Bộ trình chiếu"),
    "zip": ("application/zip", "Ảnh biểu đồ 1920×1080 (.zip)"),
}
NO_CHARTS_FILE = "HUONG-DAN-CAI-TRINH-DUYET.txt"


@dataclass(frozen=True)
class PackFile:
    """One file of the pack: its name, MIME type and bytes."""

    name: str
    mime: str
    data: bytes


@dataclass(frozen=True)
class ChartImage:
    name: str
    title: str
    png: bytes


def selection(data: year_view.YearData, quarter: int, unit: str | None = None) -> figures.Selection:
    """The quarter (to its last day) and unit, with the organisation's «Toàn …» label."""
    return figures.with_whole(
        data, figures.Selection(data.year, quarter, quarter_end(data.year, quarter), unit)
    )


def chart_images(data: year_view.YearData, sel: figures.Selection) -> list[ChartImage] | None:
    """Every chart of the deck as a 1920×1080 PNG, in one browser session; None without a browser."""
    return render_charts(slides.deck_figures(data, sel))


def render_charts(figs: list[go.Figure]) -> list[ChartImage] | None:
    """The figures as 1920×1080 PNGs, one batch in one browser session; None without a browser."""
    if not figs:
        return []
    if browser.find_browser() is None:
        return None
    pngs = slides.render_pngs(figs, PNG_SIZE, scale=1)
    out = []
    for i, (fig, png) in enumerate(zip(figs, pngs, strict=True), start=1):
        title = str(fig.layout.title.text or f"Biểu đồ {i}")
        out.append(ChartImage(f"{i:02d}-{charts.slug(title)[:70]}.png", title, png))
    return out


def draft_png(png: bytes, text: str = admin_doc.DRAFT_MARK) -> bytes:
    """The image with a large, light diagonal 'DỰ THẢO' across it (same size)."""
    base = Image.open(io.BytesIO(png)).convert("RGBA")
    font_file = pdf.font_path("NotoSans-Bold.ttf") or pdf.font_path("NotoSerif-Bold.ttf")
    size = base.height // 4
    font = ImageFont.truetype(str(font_file), size) if font_file else ImageFont.load_default(size)
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    box = draw.textbbox((0, 0), text, font=font)
    w, h = box[2] - box[0], box[3] - box[1]
    draw.text(
        ((base.width - w) / 2 - box[0], (base.height - h) / 2 - box[1]),
        text,
        font=font,
        fill=(150, 150, 150, 80),
    )
    layer = layer.rotate(25, resample=Image.Resampling.BICUBIC, center=(base.width / 2, base.height / 2))
    out = io.BytesIO()
    Image.alpha_composite(base, layer).convert("RGB").save(out, format="PNG", optimize=False)
    return out.getvalue()


def png_bundle(
    data: year_view.YearData, sel: figures.Selection, images: list[ChartImage] | None, *, draft: bool = False
) -> bytes:
    """A zip of the chart PNGs; without a browser, the tables as Excel and what to install."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        if images is None:
            summary = year_view.summary(data, sel.as_of, sel.unit)
            crit = tables.criteria_table(year_view.criteria(data, sel.as_of, sel.unit))
            zf.writestr(NO_CHARTS_FILE, browser.install_hint() + "\n")
            zf.writestr(
                "bang-so-lieu.xlsx",
                excel.to_excel_bytes(
                    {"Lĩnh vực": tables.area_table(summary), "Tiêu chí": crit},
                    f"Chỉ số CCHC — {sel.unit_label} — {sel.period}",
                ),
            )
        else:
            for image in images:
                # PNG is compressed already: stored as it is.
                zf.writestr(image.name, draft_png(image.png) if draft else image.png, zipfile.ZIP_STORED)
    return out.getvalue()


def _stem(sel: figures.Selection) -> str:
    who = f"-{charts.slug(sel.unit)}" if sel.unit else ""
    return f"cchc-{sel.year}-quy-{sel.quarter}{who}"


def pack_file(
    data: year_view.YearData,
    quarter: int,
    kind: str,
    *,
    unit: str | None = None,
    sections: Iterable[str] | None = None,
    draft: bool = False,
    images: list[ChartImage] | None | bool = False,
    content: report.ReportContent | None = None,
) -> PackFile:
    """One file of the pack ('docx', 'pdf', 'pptx' or 'zip').

    `images=False` draws the charts here; `content` is the report already written (a full pack writes
    it once for the Word file and the PDF).
    """
    if kind not in FORMATS:
        raise ValueError(f"unknown format {kind!r}")
    sel = selection(data, quarter, unit)
    name = f"{_stem(sel)}.{kind}"
    if kind in ("docx", "pdf"):
        content = content or report.report_content(data, quarter, unit, sections, draft=draft)
        body = report.report_docx(content) if kind == "docx" else pdf.report_pdf(content)
        return PackFile(f"bao-cao-{name}", FORMATS[kind][0], body)
    if images is False:
        images = chart_images(data, sel)
    if kind == "pptx":
        pngs = None if images is None else [i.png for i in images]
        if pngs is None:  # no browser: the deck shows tables and says what to install
            body = slides.quarter_deck(data, sel, draft=draft)
        else:
            body = slides.quarter_deck(data, sel, images=pngs, draft=draft)
        return PackFile(f"trinh-chieu-{name}", FORMATS[kind][0], body)
    return PackFile(f"bieu-do-{name}", FORMATS[kind][0], png_bundle(data, sel, images, draft=draft))


@contextmanager
def warm_browser() -> Iterator[ThreadPoolExecutor]:
    """One browser for the whole pack, started in the background while the engine computes.

    kaleido's sync server keeps Chromium open between calls; a tiny first image starts it at once on
    the worker thread. Chart renders submitted to the yielded pool then find it warm.
    """
    pool = ThreadPoolExecutor(max_workers=1)
    started = browser.find_browser() is not None
    if started:
        kaleido.start_sync_server(silence_warnings=True)
        pool.submit(slides.render_pngs, [go.Figure()], (16, 16), 1)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True)
        if started:
            kaleido.stop_sync_server(silence_warnings=True)


def full_pack(
    data: year_view.YearData,
    quarter: int,
    *,
    unit: str | None = None,
    sections: Iterable[str] | None = None,
    draft: bool = False,
) -> dict[str, PackFile]:
    """All four files, the charts drawn once for the deck and the bundle. The browser starts and draws
    in its own process while this one computes and writes the report, so the two overlap."""
    sel = selection(data, quarter, unit)
    with warm_browser() as pool:
        figs = slides.deck_figures(data, sel)
        drawing = pool.submit(render_charts, figs)
        content = report.report_content(data, quarter, unit, sections, draft=draft)
        out = {
            kind: pack_file(data, quarter, kind, unit=unit, sections=sections, draft=draft, content=content)
            for kind in ("docx", "pdf")
        }
        images = drawing.result()
    for kind in ("pptx", "zip"):
        out[kind] = pack_file(data, quarter, kind, unit=unit, draft=draft, images=images)
    return out
