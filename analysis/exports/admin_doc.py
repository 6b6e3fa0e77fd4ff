"""Building blocks of an administrative document in the format of Nghị định 30/2020/NĐ-CP.

A4 portrait, Times New Roman, the state margins; the heading block (issuing body left, national
motto right, number and date line left blank for the clerk), the title, the «Nơi nhận» block and the
signature. The periodic report's template, the weekly late-list notice and the PDF read the same
organisation and the same texts from here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
from docx import Document as new_docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from analysis import settings
from analysis.engine.organisation import organisation as served_organisation
from analysis.text import clean, fold

FONT = "Times New Roman"
BODY_PT = 14
HEADING_PT = 13
TABLE_PT = 11
PAGE_MM = (210, 297)  # A4 portrait
# Nghị định 30/2020, Phụ lục I: top 20–25, bottom 20–25, left 30–35, right 15–20 mm.
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_CM = (PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]) / 10  # 16.5 cm

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
BLANK = "…"  # left for the clerk: number, day, month, year
DRAFT_MARK = "DỰ THẢO"
DEFAULT_RECIPIENTS = (
    "UBND tỉnh (b/c)",
    "Sở Nội vụ tỉnh (b/c)",
    "TT Huyện ủy, TT HĐND huyện (b/c)",
    "CT, các PCT UBND huyện",
    "Các cơ quan, đơn vị thuộc UBND huyện",
    "UBND các xã, thị trấn",
    "Lưu: VT, NV",
)


@dataclass(frozen=True)
class Organisation:
    """The issuing body in full («Ủy ban nhân dân huyện Ba Tơ»), its place and its signatory."""

    name: str
    place: str
    signer_title: str
    signer_name: str = ""
    parent: str = ""
    level: str = ""
    unit_name: str = ""  # the organisation as a unit of the data («Xã Ba Vì»), when known

    @property
    def is_people_committee(self) -> bool:
        return fold(self.name).startswith(("uy ban nhan dan", "ubnd"))

    @property
    def territory(self) -> str:
        """'huyện Ba Tơ' from 'Ủy ban nhân dân huyện Ba Tơ' (the name without the body's kind)."""
        name = clean(self.name)
        if fold(name).startswith("uy ban nhan dan"):
            return name.split(" ", 4)[4] if name.count(" ") >= 4 else name
        if fold(name).startswith("ubnd "):
            return name.split(" ", 1)[1]
        return name

    @property
    def heading_lines(self) -> list[str]:
        """The issuing body in capitals, 'ỦY BAN NHÂN DÂN' on its own line as in official headings."""
        if self.is_people_committee:
            return ["ỦY BAN NHÂN DÂN", self.territory.upper()]
        return [clean(self.name).upper()]

    @property
    def code(self) -> str:
        """The issuer's abbreviation in document numbers: 'UBND', or a department's initials ('SNV')."""
        if self.is_people_committee or not clean(self.name):
            return "UBND"
        own = re.split(r"\s+(?:tỉnh|thành phố)\s+", clean(self.name), maxsplit=1)[0]
        return "".join(w[0] for w in own.split(" ") if w).upper()

    @property
    def on_behalf(self) -> str:
        """'TM. ỦY BAN NHÂN DÂN' above the signatory of a collective body; '' otherwise."""
        return "TM. ỦY BAN NHÂN DÂN" if self.is_people_committee else ""


def organisation(units: pd.DataFrame | None = None, on: date | None = None) -> Organisation:
    """The organisation that issues reports: the one the dashboard serves (settings CCHC_ORG_*, else
    the units file valid on `on`; see analysis.engine.organisation), with its signatory from settings."""
    served = served_organisation(units, on)
    signatory = settings.signatory_settings()
    default_title = "Giám đốc" if served.level == "department" else "Chủ tịch"
    return Organisation(
        name=served.issuer or f"Ủy ban nhân dân {BLANK}",  # unknown: left for the clerk
        place=served.place or BLANK,
        signer_title=signatory["signer_title"] or default_title,
        signer_name=signatory["signer_name"],
        parent=signatory["parent"],
        level=served.level,
        unit_name=served.name,
    )


def number_line(org: Organisation, kind: str = "BC") -> str:
    """'Số: …/BC-UBND' with the number left for the clerk."""
    return f"Số: {BLANK}/{kind}-{org.code}"


def date_line(org: Organisation) -> str:
    """'Ba Tơ, ngày … tháng … năm …' with the date left for the clerk."""
    return f"{org.place}, ngày {BLANK} tháng {BLANK} năm {BLANK}"


# ---------------------------------------------------------------------------------------------
# python-docx helpers


def new_document() -> Document:
    """An empty A4 portrait document with the state margins and Times New Roman body text."""
    doc = new_docx()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.orientation = WD_ORIENT.PORTRAIT
    _margins(section)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(6), 1.15
    return doc


def _margins(section) -> None:
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])


def paragraph(
    container,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    align: str = "justify",
    indent_cm: float = 0.0,
    space_after: float = 6,
    keep_with_next: bool = False,
) -> Paragraph:
    """One paragraph of one run (container: the document or a table cell)."""
    para = container.add_paragraph()
    if text:
        run = para.add_run(text)
        run.font.size, run.font.bold, run.font.italic = Pt(size), bold, italic
    para.alignment = _ALIGN[align]
    pf = para.paragraph_format
    pf.first_line_indent = Cm(indent_cm) if indent_cm else None
    pf.space_before, pf.space_after = Pt(0), Pt(space_after)
    pf.keep_with_next = keep_with_next
    return para


def add_rule(container, inset_cm: float) -> Paragraph:
    """A short centred line (under the body's name, the motto and the subject): an empty, tiny
    paragraph with a bottom border, narrowed by its indents so the text above keeps its width."""
    para = container.add_paragraph()
    pf = para.paragraph_format
    pf.left_indent = pf.right_indent = Cm(inset_cm)
    pf.space_before, pf.space_after, pf.line_spacing = Pt(0), Pt(0), Pt(2)
    para.add_run("").font.size = Pt(1)
    borders = parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'
    )
    para._p.get_or_add_pPr().append(borders)
    return para


def _no_borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _widths(table: Table, widths_cm: Sequence[float]) -> None:
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
    for col, width in zip(table.columns, widths_cm, strict=True):
        col.width = Cm(width)


def cell_line(
    cell,
    text: str,
    *,
    size: float = HEADING_PT,
    bold: bool = False,
    italic: bool = False,
    align: str = "center",
) -> Paragraph:
    """One line in a table cell: the cell's empty first paragraph, else a new one after the others."""
    para = (
        cell.paragraphs[0]
        if len(cell.paragraphs) == 1 and not cell.paragraphs[0].runs
        else cell.add_paragraph()
    )
    if text:
        run = para.add_run(text)
        run.font.size, run.font.bold, run.font.italic = Pt(size), bold, italic
    para.alignment = _ALIGN[align]
    para.paragraph_format.space_after = Pt(0)
    return para


_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def add_heading_block(doc: Document, org: Organisation, kind: str = "BC") -> Table:
    """Issuing body and number on the left, national name, motto and date line on the right."""
    left_w, right_w = 6.2, TEXT_WIDTH_CM - 6.2
    table = doc.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _widths(table, (left_w, right_w))
    left, right = table.cell(0, 0), table.cell(0, 1)
    if org.parent:
        cell_line(left, clean(org.parent).upper())
    for line in org.heading_lines:
        cell_line(left, line, bold=True)
    add_rule(left, 1.9)
    cell_line(right, NATION, size=12.5, bold=True)
    cell_line(right, MOTTO, bold=True, size=BODY_PT)
    add_rule(right, 2.3)
    cell_line(table.cell(1, 0), number_line(org, kind), size=BODY_PT).paragraph_format.space_before = Pt(6)
    dline = cell_line(table.cell(1, 1), date_line(org), size=BODY_PT, italic=True)
    dline.paragraph_format.space_before = Pt(6)
    return table


def add_title(doc: Document, kind: str, subject_lines: Sequence[str]) -> None:
    """'BÁO CÁO' and the subject in bold, centred, with a short rule under the subject."""
    paragraph(doc, "", space_after=6)
    paragraph(doc, kind, bold=True, align="center", space_after=0, keep_with_next=True)
    for line in subject_lines:
        paragraph(doc, line, bold=True, align="center", space_after=0)
    add_rule(doc, 6.0).paragraph_format.space_after = Pt(12)


def add_section_heading(doc: Document, text: str) -> Paragraph:
    return paragraph(doc, text, bold=True, indent_cm=1.0, keep_with_next=True)


def add_body(doc: Document, text: str) -> Paragraph:
    return paragraph(doc, text, indent_cm=1.0)


def add_closing(doc: Document, org: Organisation, recipients: Sequence[str] = DEFAULT_RECIPIENTS) -> Table:
    """«Nơi nhận» on the left, the signature block on the right."""
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, (7.5, TEXT_WIDTH_CM - 7.5))
    left, right = table.cell(0, 0), table.cell(0, 1)
    label = left.paragraphs[0]
    run = label.add_run("Nơi nhận:")
    run.font.size, run.font.bold, run.font.italic = Pt(12), True, True
    label.paragraph_format.space_after = Pt(0)
    label.paragraph_format.space_before = Pt(6)
    for i, item in enumerate(recipients):
        end = "." if i == len(recipients) - 1 else ";"
        para = left.add_paragraph()
        run = para.add_run(f"- {item}{end}")
        run.font.size = Pt(11)
        para.paragraph_format.space_after = Pt(0)
    for i, line in enumerate(signature_lines(org)):
        para = cell_line(right, line, bold=True, size=BODY_PT)
        para.paragraph_format.space_before = Pt(6) if i == 0 else Pt(0)
    return table


def signature_lines(org: Organisation) -> list[str]:
    """'TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH', room to sign, and the signatory's name."""
    lines = [org.on_behalf] if org.on_behalf else []
    lines.append(clean(org.signer_title).upper())
    lines += ["", "", "", ""]
    lines.append(clean(org.signer_name))
    return lines


def add_table(
    doc: Document,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths_cm: Sequence[float],
    *,
    align: Sequence[str] | None = None,
    size: float = TABLE_PT,
) -> Table:
    """A bordered Word table, header row bold and repeated on every page."""
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, widths_cm)
    align = align or ["left"] * len(header)
    for c, text in enumerate(header):
        _cell_text(table.cell(0, c), text, size=size, bold=True, align="center")
    _repeat_header(table.rows[0])
    for r, values in enumerate(rows, start=1):
        for c, text in enumerate(values):
            _cell_text(table.cell(r, c), text, size=size, align=align[c])
    return table


def _cell_text(cell, text: str, *, size: float, bold: bool = False, align: str = "left") -> None:
    para = cell.paragraphs[0]
    run = para.add_run(text)
    run.font.size, run.font.bold = Pt(size), bold
    para.alignment = _ALIGN[align]
    para.paragraph_format.space_after = Pt(0)
    para.paragraph_format.first_line_indent = None


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def page_break(doc: Document) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def landscape_section(doc: Document):
    """Start a new page in A4 landscape (wide appendix tables), same margins."""
    from docx.enum.section import WD_SECTION

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(PAGE_MM[1]), Mm(PAGE_MM[0])
    _margins(section)
    return section


def add_watermark(doc: Document, text: str = DRAFT_MARK) -> None:
    """A large grey diagonal text behind every page (Word's own watermark shape, in each header)."""
    for n, section in enumerate(doc.sections):
        header = section.header
        header.is_linked_to_previous = False
        para = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        shape = parse_xml(_WATERMARK_XML.format(text=text, n=n + 1))
        para.add_run()._r.append(shape)


_WATERMARK_XML = (
    '<w:pict xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:path textpathok="t" o:connecttype="custom"/>'
    '<v:textpath on="t" fitshape="t"/></v:shapetype>'
    '<v:shape id="DraftWatermark{n}" o:spid="_x0000_s20{n}" type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:420pt;height:140pt;rotation:315;'
    "z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
    'mso-position-vertical:center;mso-position-vertical-relative:margin" fillcolor="#c0c0c0" stroked="f">'
    '<v:fill opacity=".45"/><v:textpath style="font-family:&quot;Times New Roman&quot;;font-size:1pt" '
    'string="{text}"/></v:shape></w:pict>'
)
