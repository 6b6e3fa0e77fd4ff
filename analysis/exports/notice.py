"""The weekly notice of units and officials late in resolving administrative procedure dossiers.

Takes the late-list dict of `python -m analysis late-list --json` (week, from, to, totals, units,
officials, dossiers) and writes the Word notice in the administrative format, with the same heading
block as the periodic report. It formats the numbers it is given; it computes none.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pandas as pd
from docx.shared import Pt

from analysis import fmt
from analysis.exports import admin_doc as ad

UNIT_HEADER = ("TT", "Đơn vị", "Hồ sơ đã giải quyết", "Giải quyết trễ hạn", "Đang giải quyết quá hạn")
UNIT_WIDTHS_CM = (1.1, 7.6, 2.6, 2.6, 2.6)
OFFICIAL_HEADER = ("TT", "Cán bộ, công chức", "Đơn vị", "Giải quyết trễ hạn", "Đang giải quyết quá hạn")
OFFICIAL_WIDTHS_CM = (1.1, 4.8, 5.4, 2.6, 2.6)
DOSSIER_HEADER = (
    "TT",
    "Mã hồ sơ",
    "Đơn vị",
    "Người xử lý",
    "Thủ tục hành chính",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày trả kết quả",
    "Tình trạng",
    "Số ngày trễ",
    "Phiếu xin lỗi (Mẫu 04)",
)
DOSSIER_WIDTHS_CM = (0.9, 2.9, 3.0, 2.6, 4.4, 2.2, 2.2, 2.2, 2.2, 1.2, 1.4)  # landscape: 25.2 cm
DOSSIER_STATES = {"resolved_late": "Giải quyết trễ hạn", "pending_overdue": "Đang quá hạn"}


def _day(text: str | None) -> date | None:
    if not text:
        return None
    return date.fromisoformat(str(text)[:10])


def week_label(late: dict[str, Any]) -> str:
    """'Tuần 26/2024 (24/6–30/6/2024)' from {'week': '2024-W26', 'from': …, 'to': …}."""
    year, week = str(late["week"]).split("-W")
    start, end = _day(late["from"]), _day(late["to"])
    if start is None or end is None:
        return f"Tuần {int(week)}/{year}"
    first = f"{start.day}/{start.month}" + (f"/{start.year}" if start.year != end.year else "")
    return f"Tuần {int(week)}/{year} ({first}–{end.day}/{end.month}/{end.year})"


def notice_title(late: dict[str, Any]) -> str:
    return f"Danh sách đơn vị, cá nhân chậm trễ trong giải quyết TTHC — {week_label(late)}"


def _count(value: Any) -> str:
    return "" if value is None else fmt.num(value, 0)


def _when(value: Any) -> str:
    day = _day(value) if value else None
    return fmt.vdate(day) if day else ""


def _apology(value: Any) -> str:
    return {True: "Đã gửi", False: "Chưa gửi"}.get(value, "")


def summary_sentence(late: dict[str, Any], org: ad.Organisation) -> str:
    """The week's totals in one sentence, as given in the late list."""
    rate = late.get("on_time_rate")
    text = (
        f"Trong {week_label(late)[0].lower()}{week_label(late)[1:]}, {org.name} đã giải quyết "
        f"{_count(late.get('resolved', 0))} hồ sơ thủ tục hành chính, trong đó "
        f"{_count(late.get('resolved_late', 0))} hồ sơ giải quyết trễ hạn"
    )
    if rate is not None:
        text += f"; tỷ lệ giải quyết đúng hạn đạt {fmt.pct(rate)}".replace(" %", "\u00a0%")
    text += f"; {_count(late.get('pending_overdue', 0))} hồ sơ đang giải quyết quá hạn tại cuối tuần."
    return text


def notice_docx(
    late: dict[str, Any],
    *,
    draft: bool = False,
    org: ad.Organisation | None = None,
    units: pd.DataFrame | None = None,
) -> bytes:
    """The Word notice of a week's late list: heading block, title, unit and official tables, closing.

    The issuer is `org`, else the organisation the dashboard serves on the week's last day (settings,
    else `units`, the units file).
    """
    org = org or ad.organisation(units, _day(late.get("to")))
    doc = ad.new_document()
    ad.add_heading_block(doc, org, kind="TB")
    ad.add_title(doc, "THÔNG BÁO", [notice_title(late)])
    ad.add_body(doc, summary_sentence(late, org))
    units = late.get("units") or []
    officials = late.get("officials") or []
    dossiers = late.get("dossiers") or []
    if not units and not officials:
        ad.add_body(doc, "Trong tuần không có đơn vị, cá nhân chậm trễ trong giải quyết thủ tục hành chính.")
    if units:
        ad.add_section_heading(doc, "1. Đơn vị có hồ sơ chậm trễ")
        rows = [
            [
                str(i),
                u["unit"],
                _count(u.get("resolved")),
                _count(u.get("resolved_late")),
                _count(u.get("pending_overdue")),
            ]
            for i, u in enumerate(units, start=1)
        ]
        ad.add_table(
            doc, UNIT_HEADER, rows, UNIT_WIDTHS_CM, align=["center", "left", "right", "right", "right"]
        )
    if officials:
        heading = ad.add_section_heading(doc, f"{2 if units else 1}. Cán bộ, công chức có hồ sơ chậm trễ")
        heading.paragraph_format.space_before = Pt(6)
        rows = [
            [
                str(i),
                o.get("official") or "(chưa ghi người xử lý)",
                o.get("unit") or "",
                _count(o.get("resolved_late")),
                _count(o.get("pending_overdue")),
            ]
            for i, o in enumerate(officials, start=1)
        ]
        ad.add_table(
            doc, OFFICIAL_HEADER, rows, OFFICIAL_WIDTHS_CM, align=["center", "left", "left", "right", "right"]
        )
    ad.paragraph(doc, "", space_after=0)
    ad.add_body(
        doc,
        "Đề nghị Thủ trưởng các đơn vị, cán bộ, công chức có tên trong danh sách khẩn trương giải quyết "
        "các hồ sơ quá hạn, thực hiện xin lỗi tổ chức, cá nhân theo Mẫu 04 đối với hồ sơ trễ hạn và báo cáo "
        "kết quả khắc phục trong tuần tiếp theo./.",
    )
    ad.add_closing(doc, org, ("Như trên", "CT, các PCT UBND huyện", "Bộ phận Một cửa huyện", "Lưu: VT, NV"))
    if dossiers:
        ad.landscape_section(doc)
        ad.paragraph(doc, "DANH SÁCH HỒ SƠ CHẬM TRỄ", bold=True, align="center", space_after=0)
        ad.paragraph(
            doc,
            f"(Kèm theo Thông báo số {ad.BLANK}/TB-{org.code} — {week_label(late)})",
            italic=True,
            align="center",
            space_after=6,
        )
        rows = [
            [
                str(i),
                str(d.get("dossier_id") or ""),
                d.get("unit") or "",
                d.get("official") or "",
                d.get("procedure") or "",
                _when(d.get("received_at")),
                _when(d.get("due_at")),
                _when(d.get("resolved_at")),
                DOSSIER_STATES.get(d.get("state"), str(d.get("state") or "")),
                _count(d.get("days_late")),
                _apology(d.get("apology")),
            ]
            for i, d in enumerate(dossiers, start=1)
        ]
        ad.add_table(
            doc,
            DOSSIER_HEADER,
            rows,
            DOSSIER_WIDTHS_CM,
            size=10,
            align=[
                "center",
                "left",
                "left",
                "left",
                "left",
                "center",
                "center",
                "center",
                "left",
                "right",
                "center",
            ],
        )
    if draft:
        ad.add_watermark(doc)
    doc.core_properties.title = notice_title(late)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
