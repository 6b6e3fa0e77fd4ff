"""The periodic report as PDF (fpdf2): the same content as the Word file, fonts embedded.

Times New Roman is not free to ship; Noto Serif (Debian `fonts-noto-core`) has every Vietnamese
glyph and a close look, and DejaVu fills in the few symbols it lacks (≥, →). Text stays
extractable with its diacritics (fpdf2 embeds the fonts with a Unicode map).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from analysis.errors import UserError
from analysis.exports import admin_doc as ad
from analysis.exports.report import (
    APPENDIX_TITLES,
    CRITERION_HEADER,
    CRITERION_WIDTHS_CM,
    TASK_HEADER,
    TASK_WIDTHS_CM,
    ReportContent,
)

FONT_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/noto"), Path("C:/Windows/Fonts"))
SERIF_FILES = {
    "": "NotoSerif-Regular.ttf",
    "B": "NotoSerif-Bold.ttf",
    "I": "NotoSerif-Italic.ttf",
    "BI": "NotoSerif-BoldItalic.ttf",
}
SYMBOL_FILES = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),)
FONT_HINT = (
    "Không tìm thấy phông chữ Noto Serif để tạo PDF tiếng Việt. Cài gói fonts-noto-core "
    "(Debian/Ubuntu: sudo apt-get install -y fonts-noto-core). / Noto Serif fonts not found."
)
BODY_PT = ad.BODY_PT
LINE_MM = 6.4  # body line height at 14 pt, about 1.15 lines
MM_PER_CM = 10


class _Doc(FPDF):
    draft = False

    def header(self) -> None:
        if self.draft:  # drawn first on every page, so the text sits on top of it
            self.set_font("serif", "B", 90)
            self.set_text_color(215, 215, 215)
            cx, cy = self.w / 2, self.h / 2
            with self.rotation(35, cx, cy):
                width = self.get_string_width(ad.DRAFT_MARK)
                self.text(cx - width / 2, cy + 12, ad.DRAFT_MARK)
            self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        if self.page_no() > 1:
            self.set_y(-14)
            self.set_font("serif", "", 11)
            self.cell(0, 6, str(self.page_no()), align="C")


def font_path(name: str) -> Path | None:
    """A Noto font file ('NotoSerif-Bold.ttf') from the system's font folders, or None."""
    return next((d / name for d in FONT_DIRS if (d / name).is_file()), None)


def _setup(draft: bool) -> _Doc:
    pdf = _Doc(orientation="P", unit="mm", format="A4")
    pdf.draft = draft
    pdf.set_margins(ad.MARGINS_MM["left"], ad.MARGINS_MM["top"], ad.MARGINS_MM["right"])
    pdf.set_auto_page_break(True, margin=ad.MARGINS_MM["bottom"])
    for style, name in SERIF_FILES.items():
        path = font_path(name)
        if path is None:
            raise UserError(FONT_HINT)
        pdf.add_font("serif", style, str(path))
    symbols = next((p for p in SYMBOL_FILES if p.is_file()), None)
    if symbols is not None:
        pdf.add_font("symbols", "", str(symbols))
        pdf.set_fallback_fonts(["symbols"], exact_match=False)
    pdf.set_title("Báo cáo kết quả thực hiện công tác cải cách hành chính")
    pdf.set_creator("Chỉ số CCHC")
    pdf.set_creation_date(datetime(2024, 1, 1, tzinfo=UTC))  # stable bytes for the same content
    return pdf


def _centred(pdf: FPDF, x: float, width: float, lines: list[tuple[str, str, float]]) -> float:
    """Centred lines in a column starting at (x, current y); returns the y below them."""
    for text, style, size in lines:
        pdf.set_font("serif", style, size)
        pdf.set_x(x)
        pdf.multi_cell(width, size * 0.45, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return pdf.get_y()


def _rule(pdf: FPDF, x: float, width: float, length: float, y: float) -> None:
    pdf.set_line_width(0.3)
    pdf.line(x + (width - length) / 2, y, x + (width + length) / 2, y)


def _heading(pdf: FPDF, content: ReportContent) -> None:
    org = content.org
    left_w = 62.0
    right_w = pdf.epw - left_w
    x0, y0 = pdf.l_margin, pdf.get_y()
    x1 = x0 + left_w
    left = [(org.parent.upper(), "", ad.HEADING_PT)] if org.parent else []
    left += [(line, "B", ad.HEADING_PT) for line in org.heading_lines]
    y_left = _centred(pdf, x0, left_w, left)
    pdf.set_font("serif", "B", ad.HEADING_PT)
    _rule(pdf, x0, left_w, min(30.0, pdf.get_string_width(org.heading_lines[-1])), y_left + 0.8)
    pdf.set_y(y0)
    y_right = _centred(pdf, x1, right_w, [(ad.NATION, "B", 12.5), (ad.MOTTO, "B", BODY_PT)])
    pdf.set_font("serif", "B", BODY_PT)
    _rule(pdf, x1, right_w, pdf.get_string_width(ad.MOTTO), y_right + 0.8)
    y = max(y_left, y_right) + 3
    pdf.set_y(y)
    _centred(pdf, x0, left_w, [(ad.number_line(org), "", BODY_PT)])
    pdf.set_y(y)
    _centred(pdf, x1, right_w, [(ad.date_line(org), "I", BODY_PT)])
    pdf.ln(6)


def _title(pdf: FPDF, content: ReportContent) -> None:
    _centred(pdf, pdf.l_margin, pdf.epw, [(content.title, "B", BODY_PT), (content.subject, "B", BODY_PT)])
    _rule(pdf, pdf.l_margin, pdf.epw, 45, pdf.get_y() + 1.5)
    pdf.ln(6)


def _paragraphs(pdf: FPDF, texts: list[str], *, bold: bool = False) -> None:
    pdf.set_font("serif", "B" if bold else "", BODY_PT)
    with pdf.text_columns(text_align="J", line_height=1.15) as cols:
        for text in texts:
            with cols.paragraph(first_line_indent=10, bottom_margin=2) as par:
                par.write(text.replace(" %", "\u00a0%"))


def _closing(pdf: FPDF, content: ReportContent) -> None:
    if pdf.will_page_break(55):
        pdf.add_page()
    pdf.ln(2)
    y0 = pdf.get_y()
    left_w = 75.0
    pdf.set_font("serif", "BI", 12)
    pdf.set_x(pdf.l_margin)
    pdf.cell(left_w, 6, "Nơi nhận:", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("serif", "", 11)
    for line in content.context()["recipients"]:
        pdf.cell(left_w, 5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(y0)
    _centred(
        pdf,
        pdf.l_margin + left_w,
        pdf.epw - left_w,
        [(s, "B", BODY_PT) for s in ad.signature_lines(content.org)],
    )


def _appendix(
    pdf: FPDF,
    number: str,
    title: str,
    ref: str,
    header: tuple[str, ...],
    widths_cm: tuple[float, ...],
    rows: list[list[str]],
    align: str,
) -> None:
    pdf.add_page(orientation="L")
    _centred(
        pdf,
        pdf.l_margin,
        pdf.epw,
        [(f"PHỤ LỤC {number}", "B", BODY_PT), (title, "B", BODY_PT), (ref, "I", 13)],
    )
    pdf.ln(3)
    pdf.set_font("serif", "", 10.5)
    scale = pdf.epw / sum(widths_cm)
    with pdf.table(
        col_widths=[w * scale for w in widths_cm],
        text_align=tuple(align),
        line_height=5,
        repeat_headings=1,
        headings_style=FontFace(emphasis="BOLD"),
        padding=1,
    ) as table:
        head = table.row()
        for name in header:
            head.cell(name, align="C")
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(value)


_ALIGN = {"l": "LEFT", "c": "CENTER", "r": "RIGHT"}


def report_pdf(content: ReportContent) -> bytes:
    """The report as PDF bytes (A4, the state margins, appendices on landscape pages)."""
    pdf = _setup(content.draft)
    pdf.add_page()
    _heading(pdf, content)
    _title(pdf, content)
    _paragraphs(pdf, [content.intro])
    for section in content.sections:
        _paragraphs(pdf, [section.heading], bold=True)
        _paragraphs(pdf, section.paragraphs)
    if content.closing:
        if pdf.will_page_break(70):  # the closing sentence stays on the page of the signature
            pdf.add_page()
        _paragraphs(pdf, [content.closing])
    _closing(pdf, content)
    period = content.period_words.upper()
    ref = content.context()["appendix_ref"]
    if content.show_task_appendix:
        rows = [
            [r["no"], r["title"], r["unit"], r["deadline"], r["state"], r["done"]] for r in content.task_rows
        ]
        _appendix(
            pdf,
            "I",
            APPENDIX_TITLES["I"].format(period=period),
            ref,
            TASK_HEADER,
            TASK_WIDTHS_CM,
            rows,
            _align("clllcc"),
        )
    if content.show_criterion_appendix:
        rows = [
            [r["code"], r["name"], r["max"], r["likely"], r["deducted"], r["unit"], r["why"]]
            for r in content.criterion_rows
        ]
        _appendix(
            pdf,
            "II",
            APPENDIX_TITLES["II"].format(period=period),
            ref,
            CRITERION_HEADER,
            CRITERION_WIDTHS_CM,
            rows,
            _align("clrrrll"),
        )
    return bytes(pdf.output())


def _align(codes: str) -> list[str]:
    return [_ALIGN[c] for c in codes]
