"""Writes the default Word template of the periodic report: `python -m analysis.exports.make_templates`.

The template is an ordinary .docx with docxtpl (Jinja) tags; an office can open it in Word, change
the letterhead, the wording, the recipients or the styles, keep the {{ … }} / {%p … %} tags, and
use its own copy. The file is generated deterministically (fixed core properties), so re-running the
script on an unchanged source gives the same content.
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from docx.shared import Pt

from analysis.exports import admin_doc as ad
from analysis.exports.report import (
    APPENDIX_TITLES,
    CRITERION_HEADER,
    CRITERION_WIDTHS_CM,
    DEFAULT_TEMPLATE,
    TASK_HEADER,
    TASK_WIDTHS_CM,
)

FIXED_TIME = datetime(2024, 1, 1)


def _tag(container, text: str) -> None:
    """A paragraph that only holds a docxtpl block tag (removed when rendered)."""
    ad.paragraph(container, text, space_after=0)


def _cell_tagged(cell, lines: list[tuple[str, dict]]) -> None:
    for text, style in lines:
        rule = style.pop("rule", None)
        ad.cell_line(cell, text, **{"size": ad.BODY_PT, **style})
        if rule:
            ad.add_rule(cell, rule)


def _appendix(doc, number: str, title: str) -> None:
    ad.paragraph(doc, f"PHỤ LỤC {number}", bold=True, align="center", space_after=0)
    ad.paragraph(doc, title.format(period="{{ period|upper }}"), bold=True, align="center", space_after=0)
    ad.paragraph(doc, "{{ appendix_ref }}", italic=True, align="center", space_after=6)


def report_template() -> bytes:
    """The default template of the quarterly report."""
    doc = ad.new_document()
    head = doc.add_table(rows=2, cols=2)
    ad._no_borders(head)
    ad._widths(head, (6.2, ad.TEXT_WIDTH_CM - 6.2))
    _cell_tagged(
        head.cell(0, 0),
        [
            ("{%p if org_parent %}", {}),
            ("{{ org_parent }}", {"size": ad.HEADING_PT}),
            ("{%p endif %}", {}),
            ("{%p for line in org_lines[:-1] %}", {}),
            ("{{ line }}", {"size": ad.HEADING_PT, "bold": True}),
            ("{%p endfor %}", {}),
            ("{{ org_lines[-1] }}", {"size": ad.HEADING_PT, "bold": True, "rule": 1.9}),
        ],
    )
    _cell_tagged(
        head.cell(0, 1),
        [(ad.NATION, {"size": 12.5, "bold": True}), (ad.MOTTO, {"bold": True, "rule": 2.3})],
    )
    _cell_tagged(head.cell(1, 0), [("{{ number_line }}", {})])
    _cell_tagged(head.cell(1, 1), [("{{ date_line }}", {"italic": True})])
    for cell in (head.cell(1, 0), head.cell(1, 1)):
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)

    ad.paragraph(doc, "", space_after=6)
    ad.paragraph(doc, "{{ title }}", bold=True, align="center", space_after=0, keep_with_next=True)
    ad.paragraph(doc, "{{ subject }}", bold=True, align="center", space_after=0)
    ad.add_rule(doc, 6.0).paragraph_format.space_after = Pt(12)

    ad.add_body(doc, "{{ intro }}")
    _tag(doc, "{%p for s in sections %}")
    ad.add_section_heading(doc, "{{ s.heading }}")
    _tag(doc, "{%p for line in s.paragraphs %}")
    ad.add_body(doc, "{{ line }}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endfor %}")
    ad.add_body(doc, "{{ closing }}")

    closing = doc.add_table(rows=1, cols=2)
    ad._no_borders(closing)
    ad._widths(closing, (7.5, ad.TEXT_WIDTH_CM - 7.5))
    _cell_tagged(
        closing.cell(0, 0),
        [
            ("Nơi nhận:", {"size": 12, "bold": True, "italic": True, "align": "left"}),
            ("{%p for r in recipients %}", {}),
            ("{{ r }}", {"size": 11, "align": "left"}),
            ("{%p endfor %}", {}),
        ],
    )
    _cell_tagged(
        closing.cell(0, 1),
        [("{%p for line in signature %}", {}), ("{{ line }}", {"bold": True}), ("{%p endfor %}", {})],
    )
    closing.cell(0, 0).paragraphs[0].paragraph_format.space_before = Pt(6)

    ad.landscape_section(doc)
    _tag(doc, "{%p if show_task_appendix %}")
    _appendix(doc, "I", APPENDIX_TITLES["I"])
    _loop_table(
        doc,
        TASK_HEADER,
        TASK_WIDTHS_CM,
        "t in tasks",
        ["t.no", "t.title", "t.unit", "t.deadline", "t.state", "t.done"],
        ["center", "left", "left", "center", "left", "center"],
    )
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if show_task_appendix and show_criterion_appendix %}")
    ad.page_break(doc)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if show_criterion_appendix %}")
    _appendix(doc, "II", APPENDIX_TITLES["II"])
    _loop_table(
        doc,
        CRITERION_HEADER,
        CRITERION_WIDTHS_CM,
        "c in criteria",
        ["c.code", "c.name", "c.max", "c.likely", "c.deducted", "c.unit", "c.why"],
        ["center", "left", "right", "right", "right", "left", "left"],
    )
    _tag(doc, "{%p endif %}")

    props = doc.core_properties
    props.title = "Báo cáo kết quả thực hiện công tác cải cách hành chính (mẫu)"
    props.author = props.last_modified_by = "Chỉ số CCHC"
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    out = io.BytesIO()
    doc.save(out)
    return _stable_zip(out.getvalue())


def _loop_table(doc, header, widths, loop: str, fields: list[str], align: list[str]) -> None:
    blank = [""] * (len(header) - 1)
    rows = [[f"{{%tr for {loop} %}}", *blank], [f"{{{{ {f} }}}}" for f in fields], ["{%tr endfor %}", *blank]]
    ad.add_table(doc, header, rows, widths, align=align)


def _stable_zip(data: bytes) -> bytes:
    """Same bytes for the same content: fixed timestamps and order inside the .docx zip."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(name))
    return out.getvalue()


def write_templates(target: Path = DEFAULT_TEMPLATE) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(report_template())
    return target


if __name__ == "__main__":
    path = write_templates(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_TEMPLATE)
    print(f"Đã tạo mẫu báo cáo «{path}». / Template written.")
