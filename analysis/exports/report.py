"""The periodic report on administrative reform (Báo cáo kết quả thực hiện công tác CCHC quý …).

`report_content` turns the engine's numbers (the summary dict, the criteria and the task list) into
sentences and table rows, without computing any rate or score itself. `report_docx` fills the Word
template (the default one in templates/, or the office's own copy of it) with docxtpl; the PDF
(analysis.exports.pdf) lays out the same content.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from docx import Document as open_docx
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import TemplateError

from analysis import fmt, settings
from analysis.engine import dossiers
from analysis.engine import year as year_view
from analysis.errors import UserError
from analysis.exports import admin_doc
from analysis.periods import quarter_end
from analysis.present.tables import rating_line
from analysis.schema import TASK_STATES
from analysis.text import ROMAN_NUMERALS, clean, fold, same_name

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
DEFAULT_TEMPLATE = TEMPLATE_DIR / "bao_cao_quy.docx"

# The parts a user can choose on the «Báo cáo» page and with the CLI, in report order.
SECTIONS: dict[str, str] = {
    "tasks": "Kết quả chung: số nhiệm vụ hoàn thành (x/tổng số) và tỷ lệ hoàn thành nhiệm vụ đến hạn",
    "areas": "Kết quả theo 8 lĩnh vực cải cách hành chính",
    "index": "Dự báo Chỉ số CCHC và điểm chưa đạt theo lĩnh vực",
    "late": "Đơn vị chậm trễ",
    "next": "Nhiệm vụ trọng tâm quý tiếp theo",
    "appendix_tasks": "Phụ lục I: Danh mục nhiệm vụ và tình trạng thực hiện",
    "appendix_criteria": "Phụ lục II: Phân tích Chỉ số CCHC theo tiêu chí",
}
LATE_SHOWN = 10  # units named in the late section; the rest are counted
NEXT_SHOWN = 15  # tasks named in the next-quarter section

TASK_HEADER = ("TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Tình trạng", "Ngày hoàn thành")
TASK_WIDTHS_CM = (1.2, 10.4, 4.6, 2.8, 3.6, 2.6)  # landscape text width 25.2 cm
CRITERION_HEADER = (
    "Mã",
    "Tiêu chí",
    "Điểm tối đa",
    "Điểm dự kiến",
    "Điểm chưa đạt",
    "Đơn vị chịu trách nhiệm",
    "Căn cứ tính điểm",
)
CRITERION_WIDTHS_CM = (1.3, 6.4, 1.6, 1.6, 1.6, 3.8, 8.9)
APPENDIX_TITLES = {
    "I": "DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH VÀ TÌNH TRẠNG THỰC HIỆN ĐẾN HẾT {period}",
    "II": "PHÂN TÍCH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH THEO TIÊU CHÍ ĐẾN HẾT {period}",
}


@dataclass
class Section:
    heading: str
    paragraphs: list[str]


@dataclass
class ReportContent:
    """Everything the report says, as text: the template, the PDF and the page preview read it."""

    org: admin_doc.Organisation
    year: int
    quarter: int
    as_of: date
    unit: str | None
    title: str
    subject: str
    intro: str
    sections: list[Section]
    task_rows: list[dict[str, str]] = field(default_factory=list)
    criterion_rows: list[dict[str, str]] = field(default_factory=list)
    show_task_appendix: bool = True
    show_criterion_appendix: bool = True
    closing: str = ""
    draft: bool = False
    summary: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        """The narrative as plain text (the page's preview)."""
        lines = [self.title, self.subject, "", self.intro]
        for s in self.sections:
            lines += ["", s.heading, *s.paragraphs]
        if self.closing:
            lines += ["", self.closing]
        return "\n".join(lines)

    def context(self) -> dict[str, Any]:
        """The docxtpl context: every tag of the template is a key here."""
        return _keep_units(
            {
                "org_parent": clean(self.org.parent).upper(),
                "org_lines": self.org.heading_lines,
                "number_line": admin_doc.number_line(self.org),
                "date_line": admin_doc.date_line(self.org),
                "title": self.title,
                "subject": self.subject,
                "intro": self.intro,
                "sections": [{"heading": s.heading, "paragraphs": s.paragraphs} for s in self.sections],
                "closing": self.closing,
                "recipients": _recipient_lines(admin_doc.DEFAULT_RECIPIENTS),
                "signature": admin_doc.signature_lines(self.org),
                "show_task_appendix": self.show_task_appendix,
                "show_criterion_appendix": self.show_criterion_appendix,
                "appendix_ref": f"(Kèm theo Báo cáo số {admin_doc.BLANK}/BC-{self.org.code} của {self.org.name})",
                "period": self.period_words,
                "tasks": self.task_rows,
                "criteria": self.criterion_rows,
            }
        )

    @property
    def period_words(self) -> str:
        return period_words(self.quarter, self.year)


def period_words(quarter: int, year: int) -> str:
    """'Quý II năm 2024', as report titles write a quarter."""
    return f"{fmt.quarter_label(quarter)} năm {year}"


def _keep_units(value: Any) -> Any:
    """No line break between a number and its '%' (no-break space), in every text of the context."""
    if isinstance(value, str):
        return value.replace(" %", "\u00a0%")
    if isinstance(value, dict):
        return {k: _keep_units(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_keep_units(v) for v in value]
    return value


def _recipient_lines(items: Sequence[str]) -> list[str]:
    return [f"- {item}{'.' if i == len(items) - 1 else ';'}" for i, item in enumerate(items)]


def report_content(
    data: year_view.YearData,
    quarter: int,
    unit: str | None = None,
    sections: Iterable[str] | None = None,
    *,
    as_of: date | None = None,
    draft: bool = False,
    org: admin_doc.Organisation | None = None,
) -> ReportContent:
    """The report of a quarter (to its last day unless as_of is given), for the organisation or a unit."""
    chosen = [k for k in SECTIONS if sections is None or k in set(sections)]
    as_of = as_of or quarter_end(data.year, quarter)
    org = org or admin_doc.organisation(data.units, as_of)
    summary = year_view.summary(data, as_of, unit)
    crit = year_view.criteria(data, as_of, unit)
    tasks = _tasks_in_scope(year_view.task_list(data, as_of), unit)
    period = fmt.quarter_label(quarter, data.year)
    # The organisation's own unit (a commune on a shared store) is the organisation itself.
    named = unit if unit and not same_name(unit, org.unit_name) else None
    who = named or org.territory
    of_unit = f" của {named}" if named else ""
    subject = f"Kết quả thực hiện công tác cải cách hành chính {period_words(quarter, data.year)}{of_unit}"

    builders = {
        "tasks": lambda: _tasks_section(summary, period),
        "areas": lambda: _areas_section(summary),
        "index": lambda: _index_section(summary, crit, period, who),
        "late": lambda: _late_section(data, as_of, unit),
        "next": lambda: _next_section(tasks, data.year, quarter),
    }
    body = [k for k in chosen if k in builders]
    sections_out = []
    for n, key in enumerate(body):
        section = builders[key]()
        section.heading = f"{ROMAN_NUMERALS[n]}. {section.heading}"
        sections_out.append(section)

    intro = (
        f"Thực hiện Kế hoạch cải cách hành chính năm {data.year}, {org.name} báo cáo kết quả thực hiện công tác "
        f"cải cách hành chính {period_words(quarter, data.year)}{of_unit} (số liệu đến ngày {fmt.vdate(as_of)}) "
        "như sau:"
    )
    appendices = [SECTIONS[k].split(":")[0] for k in ("appendix_tasks", "appendix_criteria") if k in chosen]
    closing = (
        f"Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính {period}"
        + (f" ({' và '.join(appendices)} kèm theo)" if appendices else "")
        + "./."
    )
    return ReportContent(
        org=org,
        year=data.year,
        quarter=quarter,
        as_of=as_of,
        unit=unit,
        title="BÁO CÁO",
        subject=subject,
        intro=intro,
        sections=sections_out,
        task_rows=task_rows(tasks) if "appendix_tasks" in chosen else [],
        criterion_rows=criterion_rows(crit) if "appendix_criteria" in chosen else [],
        show_task_appendix="appendix_tasks" in chosen,
        show_criterion_appendix="appendix_criteria" in chosen,
        closing=closing,
        draft=draft,
        summary=summary,
    )


def _tasks_in_scope(tasks: pd.DataFrame, unit: str | None) -> pd.DataFrame:
    if unit is None or tasks.empty:
        return tasks
    return tasks[[same_name(u, unit) if isinstance(u, str) else False for u in tasks["lead_unit"]]]


def headline(summary: dict[str, Any], period: str) -> str:
    """'Đến hết Quý II/2024, đã hoàn thành 44/93 nhiệm vụ (47,3 %)…' from the summary dict."""
    t = summary["tasks"]
    done = t["done"]
    return (
        f"Đến hết {period}, đã hoàn thành {done}/{t['assigned']} nhiệm vụ "
        f"({fmt.pct(t['done_ratio_of_assigned'])} kế hoạch năm), trong đó {t['done_on_time']} nhiệm vụ "
        f"hoàn thành đúng hạn, {t['done_late']} nhiệm vụ hoàn thành quá hạn."
    )


def _tasks_section(summary: dict[str, Any], period: str) -> Section:
    t = summary["tasks"]
    if not t["assigned"]:
        return Section(
            "KẾT QUẢ THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH",
            [f"Chưa có danh mục nhiệm vụ của kế hoạch cải cách hành chính năm {summary['year']}."],
        )
    due = (
        f"Số nhiệm vụ đã đến hạn: {t['due']}; tỷ lệ hoàn thành nhiệm vụ đến hạn đạt "
        f"{fmt.pct(t['done_ratio_of_due'])}."
        if t["due"]
        else "Chưa có nhiệm vụ nào đến hạn."
    )
    open_parts = [
        f"{n} nhiệm vụ {label}"
        for n, label in (
            (t["open_overdue"], "chưa hoàn thành quá hạn"),
            (t["open_in_time"], "chưa hoàn thành trong hạn"),
        )
        if n
    ]
    lines = [headline(summary, period), due]
    if open_parts:
        lines.append(f"Còn {' và '.join(open_parts)}.")
    return Section("KẾT QUẢ THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH", lines)


def area_title(area: str, name: str) -> str:
    """'Lĩnh vực III. Cải cách thủ tục hành chính' from the framework's capitalised area name."""
    return f"Lĩnh vực {area}. {sentence_case(name)}"


def sentence_case(text: str) -> str:
    """'CẢI CÁCH THỦ TỤC HÀNH CHÍNH (TTHC)' -> 'Cải cách thủ tục hành chính (TTHC)'; acronyms kept."""
    words = clean(text).split(" ")
    out = []
    for i, word in enumerate(words):
        letters = fold(word).replace(" ", "")
        is_acronym = word.isupper() and letters and not any(v in letters for v in "aeiouy")
        low = word if is_acronym or not word.isupper() else word.lower()
        out.append(low[:1].upper() + low[1:] if i == 0 else low)
    return " ".join(out)


def _areas_section(summary: dict[str, Any]) -> Section:
    by_task = {row["area"]: row for row in summary["tasks_by_area"]}
    lines = []
    for row in summary["index"]["by_area"]:
        t = by_task.get(row["area"])
        parts = []
        if t and t["assigned"]:
            parts.append(f"hoàn thành {t['done_on_time'] + t['done_late']}/{t['assigned']} nhiệm vụ")
            if t["due"]:
                parts.append(f"tỷ lệ hoàn thành nhiệm vụ đến hạn {fmt.pct(t['done_ratio_of_due'])}")
            if t["open_overdue"]:
                parts.append(f"{t['open_overdue']} nhiệm vụ quá hạn chưa hoàn thành")
        else:
            parts.append("không có nhiệm vụ trong kế hoạch")
        if row["likely"] is not None:
            parts.append(
                f"điểm dự kiến {fmt.num(row['likely'])}/{fmt.points(row['max'])} "
                f"(chưa đạt {fmt.points(row['deducted'])})"
            )
        lines.append(f"- {area_title(row['area'], row['name'])}: {'; '.join(parts)}.")
    known = {row["area"] for row in summary["index"]["by_area"]}
    for area, t in by_task.items():  # tasks of an area the framework does not list
        if area not in known and not fmt.is_missing(area):
            lines.append(
                f"- Lĩnh vực {area}: hoàn thành {t['done_on_time'] + t['done_late']}/{t['assigned']} nhiệm vụ."
            )
    if not lines:
        lines = ["Chưa có số liệu theo lĩnh vực."]
    return Section("KẾT QUẢ THEO TỪNG LĨNH VỰC", lines)


def _forecast_sentence(index: dict[str, Any]) -> str | None:
    """The engine's year-end forecast, when it gives one (summary['index']['forecast'])."""
    forecast = index.get("forecast")
    if not isinstance(forecast, dict):
        return None
    numbers = {k: v for k, v in forecast.items() if isinstance(v, int | float) and not isinstance(v, bool)}
    if not numbers:
        return None
    low, high = numbers.get("low"), numbers.get("high")
    point = next((numbers[k] for k in ("likely", "points", "total", "expected") if k in numbers), None)
    if low is not None and high is not None:
        text = f"khoảng {fmt.num(low)} đến {fmt.num(high)} điểm"
    elif point is not None:
        text = f"khoảng {fmt.points(point)}"
    else:
        return None
    return f"Dự báo điểm Chỉ số cả năm: {text}."


def _index_section(summary: dict[str, Any], crit: pd.DataFrame, period: str, who: str) -> Section:
    idx = summary["index"]
    if idx["likely"] is None or not idx["max"]:
        return Section("DỰ BÁO CHỈ SỐ CẢI CÁCH HÀNH CHÍNH", ["Chưa có bộ tiêu chí hoặc số liệu chấm điểm."])
    lines = [
        f"Tạm tính đến hết {period}, Chỉ số CCHC của {who} dự kiến đạt {fmt.num(idx['likely'])} điểm "
        f"trên tổng số {fmt.points(idx['max'])}; tổng số điểm chưa đạt {fmt.points(idx['deducted'])}.",
        rating_line(idx).rstrip(".") + ".",
    ]
    forecast = _forecast_sentence(idx)
    if forecast:
        lines.append(forecast)
    lost = sorted((a for a in idx["by_area"] if (a["deducted"] or 0) > 0), key=lambda a: -a["deducted"])
    if lost:
        lines.append("Điểm chưa đạt theo lĩnh vực:")
        lines += [
            f"- {area_title(a['area'], a['name'])}: chưa đạt {fmt.points(a['deducted'])} "
            f"(đạt {fmt.num(a['likely'])}/{fmt.points(a['max'])})."
            for a in lost
        ]
    top = (
        crit[crit["deducted"].fillna(0) > 0]
        .sort_values(["deducted", "code"], ascending=[False, True])
        .head(5)
    )
    if not top.empty:
        lines.append("Các tiêu chí chưa đạt nhiều điểm nhất:")
        for row in top.to_dict("records"):
            owner = row.get("responsible_unit")
            owner_text = f"; đơn vị chịu trách nhiệm: {owner}" if not fmt.is_missing(owner) and owner else ""
            lines.append(
                f"- Tiêu chí {row['code']} ({clean(row['name'])}): chưa đạt {fmt.points(row['deducted'])}{owner_text}."
            )
    return Section("DỰ BÁO CHỈ SỐ CẢI CÁCH HÀNH CHÍNH VÀ ĐIỂM BỊ TRỪ", lines)


def _late_section(data: year_view.YearData, as_of: date, unit: str | None) -> Section:
    late = dossiers.late_units(data, as_of)
    if unit is not None and not late.empty:
        late = late[[same_name(u, unit) for u in late["unit"]]]
    if late.empty:
        return Section(
            "ĐƠN VỊ CHẬM TRỄ", ["Không có đơn vị chậm trễ trong thực hiện nhiệm vụ và giải quyết TTHC."]
        )
    lines = [f"Có {len(late)} đơn vị chậm trễ trong thực hiện nhiệm vụ hoặc giải quyết hồ sơ TTHC:"]
    for row in late.head(LATE_SHOWN).to_dict("records"):
        lines.append(f"- {row['unit']}: {_late_parts(row)}.")
    if len(late) > LATE_SHOWN:
        lines.append(f"- Và {len(late) - LATE_SHOWN} đơn vị khác.")
    return Section("ĐƠN VỊ CHẬM TRỄ", lines)


def _late_parts(row: dict[str, Any]) -> str:
    parts = []
    overdue = row.get("open_overdue") or 0
    if overdue:
        codes = row.get("task_codes") or ""
        parts.append(
            f"{overdue} nhiệm vụ chưa hoàn thành quá hạn"
            + (f" (nhiệm vụ số {codes}" if codes else " (")
            + (
                f", quá hạn lâu nhất {row.get('oldest_overdue_days')} ngày)"
                if row.get("oldest_overdue_days")
                else ")"
            )
        )
    late = row.get("late_dossiers")
    if not fmt.is_missing(late) and late:
        text = f"{int(late)} hồ sơ TTHC trễ hạn"
        missing = row.get("late_without_apology")
        if not fmt.is_missing(missing) and missing:
            text += f" ({int(missing)} hồ sơ chưa có phiếu xin lỗi)"
        rate = row.get("on_time_rate")
        if not fmt.is_missing(rate):
            text += f", tỷ lệ giải quyết đúng hạn {fmt.pct(rate)}"
        parts.append(text)
    return "; ".join(parts) or "chậm trễ"


def _next_section(tasks: pd.DataFrame, year: int, quarter: int) -> Section:
    heading = "NHIỆM VỤ TRỌNG TÂM QUÝ TIẾP THEO"
    if tasks.empty:
        return Section(heading, ["Chưa có danh mục nhiệm vụ."])
    overdue = tasks[tasks["state"].eq("open_overdue")]
    lines = []
    if not overdue.empty:
        lines.append(f"Khẩn trương hoàn thành {len(overdue)} nhiệm vụ đã quá hạn:")
        lines += [_task_line(r) for r in overdue.head(NEXT_SHOWN).to_dict("records")]
    if quarter < 4:
        end = pd.Timestamp(quarter_end(year, quarter + 1))
        coming = tasks[
            tasks["state"].eq("open_in_time") & tasks["deadline"].le(end) & ~tasks["ongoing"].fillna(False)
        ]
        label = f"{fmt.quarter_label(quarter + 1)}/{year}"
        if not coming.empty:
            lines.append(f"Tập trung hoàn thành {len(coming)} nhiệm vụ có thời hạn đến hết {label}:")
            lines += [
                _task_line(r) for r in coming.sort_values("deadline").head(NEXT_SHOWN).to_dict("records")
            ]
            if len(coming) > NEXT_SHOWN:
                lines.append(f"- Và {len(coming) - NEXT_SHOWN} nhiệm vụ khác (xem Phụ lục I).")
        ongoing = tasks[tasks["ongoing"].fillna(False) & tasks["state"].str.startswith("open")]
        if not ongoing.empty:
            lines.append(f"Tiếp tục thực hiện {len(ongoing)} nhiệm vụ thường xuyên, đánh giá vào cuối năm.")
    else:
        lines.append(
            f"Tổng kết, đánh giá kết quả năm {year}; xây dựng kế hoạch cải cách hành chính năm {year + 1}."
        )
    if not lines:
        lines.append("Các nhiệm vụ đến hạn đã hoàn thành; tiếp tục duy trì kết quả đạt được.")
    return Section(heading, lines)


def _task_line(row: dict[str, Any]) -> str:
    deadline = clean(row.get("deadline_text")) or fmt.vdate(row.get("deadline"))
    return f"- Nhiệm vụ số {row['code']}: {clean(row['title'])} ({row['lead_unit']}; thời hạn: {deadline})."


def task_rows(tasks: pd.DataFrame) -> list[dict[str, str]]:
    """Appendix I: one row per task, with its state at the cut-off."""
    out = []
    for row in tasks.to_dict("records"):
        deadline = clean(row.get("deadline_text")) or fmt.vdate(row.get("deadline"))
        done = row.get("completed_on")
        out.append(
            {
                "no": clean(row["code"]),
                "title": clean(row["title"]),
                "unit": "" if fmt.is_missing(row["lead_unit"]) else clean(row["lead_unit"]),
                "deadline": deadline,
                "state": TASK_STATES.get(row["state"], str(row["state"])),
                # A completion after the cut-off is not yet known at the cut-off.
                "done": fmt.vdate(done)
                if str(row["state"]).startswith("done") and not fmt.is_missing(done)
                else "",
            }
        )
    return out


def criterion_rows(crit: pd.DataFrame) -> list[dict[str, str]]:
    """Appendix II: one row per leaf criterion, with the engine's points and reason."""
    out = []
    for row in crit.to_dict("records"):
        owner = row.get("responsible_unit")
        out.append(
            {
                "code": clean(row["code"]),
                "name": clean(row["name"]),
                "max": fmt.num(row["max_points"]),
                "likely": "" if fmt.is_missing(row["likely"]) else fmt.num(row["likely"]),
                "deducted": "" if fmt.is_missing(row["deducted"]) else fmt.num(row["deducted"]),
                "unit": "" if fmt.is_missing(owner) else clean(owner),
                "why": "" if fmt.is_missing(row.get("why")) else clean(row["why"]),
            }
        )
    return out


# ---------------------------------------------------------------------------------------------
# Word


def report_docx(content: ReportContent, template: Path | bytes | None = None) -> bytes:
    """The report as .docx: the template filled with the content.

    The template is the one given, else the office's own (setting CCHC_REPORT_TEMPLATE), else the
    shipped default. A template whose tags were broken while editing is reported, not raised raw.
    """
    template = template or settings.report_template() or DEFAULT_TEMPLATE
    name = "mẫu báo cáo" if isinstance(template, bytes) else f"mẫu báo cáo «{template}»"
    try:
        doc = DocxTemplate(io.BytesIO(template) if isinstance(template, bytes) else template)
        doc.render(content.context(), autoescape=True)
    except OSError as exc:
        raise UserError(
            vi=f"Không đọc được {name} ({exc.strerror or exc}).", en="Cannot read the report template."
        ) from None
    except (TemplateError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise UserError(
            vi=f"{name.capitalize()} có thẻ {{{{ … }}}} hoặc {{% … %}} bị lỗi khi sửa: {exc}. "
            "Sửa lại thẻ trong Word hoặc dùng mẫu mặc định.",
            en="The report template has a broken tag.",
        ) from None
    out = io.BytesIO()
    doc.save(out)
    data = out.getvalue()
    if not (content.show_task_appendix or content.show_criterion_appendix) or content.draft:
        data = _finish(data, content)
    return data


def _finish(data: bytes, content: ReportContent) -> bytes:
    """Drop the empty appendix section when no appendix was chosen; add the draft watermark."""
    doc = open_docx(io.BytesIO(data))
    if not (content.show_task_appendix or content.show_criterion_appendix):
        body = doc.element.body
        breaks = [
            p for p in body.iterchildren(qn("w:p")) if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None
        ]
        if breaks:
            last = breaks[-1]
            portrait = last.find(qn("w:pPr")).find(qn("w:sectPr"))
            after = False
            for child in list(body):
                if child is last:
                    after = True
                    continue
                if after and child.tag != qn("w:sectPr"):
                    body.remove(child)
            final = body.find(qn("w:sectPr"))
            body.replace(final, portrait)
            body.remove(last)
    if content.draft:
        admin_doc.add_watermark(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
