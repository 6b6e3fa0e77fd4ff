"""Excel templates for every dataset, generated from the schema declaration.

A template has one data sheet (title rows that ingestion reads the year, quarter and unit from,
the Vietnamese headers, one example row, drop-down lists and date formats) and a sheet
«Hướng dẫn» that explains every column and holds the lists the drop-downs read.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from analysis import fmt
from analysis.ingest import parsing
from analysis.schema import (
    AREA_NAMES,
    CHANNELS,
    DATASETS,
    DOSSIER_STATUSES,
    METRICS,
    POINT_KINDS,
    RULE_KINDS,
    TASK_STATUSES,
    TEMPLATE_NOTES,
    UNIT_KINDS,
    Column,
    Dataset,
    choice_label,
)

# The helper sheet; ingestion skips a sheet of this name (it holds no data).
HELP_SHEET = "Hướng dẫn"
# Drop-downs cover this many rows below the header (a range reference costs nothing in the file).
VALIDATED_ROWS = 100_000


TITLES = {
    "units": "DANH MỤC ĐƠN VỊ HÀNH CHÍNH",
    "framework": "BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}",
    "tasks": "DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM {year}",
    "scores": "BIỂU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}",
    "dossiers": "DANH SÁCH HỒ SƠ THỦ TỤC HÀNH CHÍNH NĂM {year}",
    "dossier_stats": "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH NĂM {year}",
    "amendments": "ĐIỀU CHỈNH KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM {year}",
    "results": "KẾT QUẢ CÔNG BỐ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}",
}

PURPOSES = {
    "units": "Danh sách phòng, ban, xã, thị trấn; ngày hiệu lực và đơn vị sáp nhập vào (nếu có).",
    "framework": "Bộ tiêu chí của một năm: lĩnh vực (I, II, …), tiêu chí (1.1), tiêu chí thành phần (1.1.2), "
    "điểm tối đa và cách tính điểm.",
    "tasks": "Các nhiệm vụ của kế hoạch cải cách hành chính năm và tình hình thực hiện. "
    "Dòng lĩnh vực ghi số La Mã (I, II, …) ở cột «TT»; các nhiệm vụ bên dưới thuộc lĩnh vực đó. "
    "Khi báo cáo tiến độ, giữ dòng «Tình hình thực hiện đến hết Quý …» cho đúng quý báo cáo.",
    "scores": "Điểm tự đánh giá và điểm thẩm định từng tiêu chí của một đơn vị trong một quý. "
    "Sửa dòng «Quý …/…» dưới tiêu đề cho đúng quý chấm điểm; ghi dòng «Đơn vị được đánh giá: …» khi chấm "
    "cho một xã hay phòng, bỏ dòng đó khi chấm cho toàn đơn vị (toàn xã, toàn huyện).",
    "amendments": "Mỗi dòng là một điều chỉnh kế hoạch đã được Chủ tịch phê duyệt: gia hạn (ghi thời hạn mới) "
    "hoặc đưa nhiệm vụ ra khỏi kế hoạch, kèm giải trình và văn bản phê duyệt. Điều chỉnh áp dụng từ ngày phê duyệt.",
    "dossiers": "Mỗi dòng là một hồ sơ thủ tục hành chính.",
    "dossier_stats": "Số hồ sơ tiếp nhận, đã giải quyết và đang giải quyết của mỗi đơn vị (hoặc lĩnh vực) trong kỳ. "
    "Ghi kỳ báo cáo dưới tiêu đề («Kỳ báo cáo: từ ngày 01/04/2024 đến ngày 30/06/2024»); bảng in hai tầng "
    "tiêu đề (Đã giải quyết: Tổng, Trước hạn, Đúng hạn, Quá hạn …) cũng được nhận.",
    "results": "Kết quả chính thức tỉnh công bố cho một năm: mỗi dòng là một đơn vị với điểm, chỉ số (%) và "
    "thứ hạng; cột «Khối xếp hạng» ghi nhóm đơn vị được xếp hạng cùng nhau (Cấp huyện, Cấp xã).",
}

TYPE_LABELS = {
    "text": "Chữ",
    "int": "Số nguyên",
    "float": "Số (dấu phẩy thập phân, ví dụ 1,5)",
    "date": "Ngày (dd/mm/yyyy)",
    "timestamp": "Ngày giờ (dd/mm/yyyy hh:mm)",
    "bool": "Có / Không",
}

# What each column holds, in Vietnamese (the schema's descriptions are for developers).

# One realistic example row per dataset (canonical column -> cell value as a person would type it).
EXAMPLES: dict[str, dict[str, Any]] = {
    "units": {
        "code": "21487",
        "name": "Xã Ba Điền",
        "kind": UNIT_KINDS["commune"],
        "valid_from": date(2020, 1, 1),
    },
    "framework": {
        "code": "1.1.2",
        "name": "Mức độ hoàn thành kế hoạch cải cách hành chính năm",
        "max_points": 2.0,
        "point_kind": POINT_KINDS["assessed"],
        "rule": RULE_KINDS["bands"],
        "metric": METRICS["plan_completion"],
        "thresholds": "100%: 2; 80%: 1; 0%: 0",
        "responsible_unit": "Phòng Nội vụ",
    },
    "tasks": {
        "code": "1",
        "title": "Ban hành Kế hoạch cải cách hành chính năm {year}",
        "lead_unit": "Phòng Nội vụ",
        "co_units": "Văn phòng HĐND và UBND",
        "deadline_text": "Quý I/{year}",
        "status_text": TASK_STATUSES["done"],
        "completed_on": "{year}-01-15",
        "criterion": "1.1.1",
        "product": "Kế hoạch số 12/KH-UBND ngày 15/01/{year}",
    },
    "scores": {
        "code": "1.1.1",
        "name": "Ban hành kế hoạch cải cách hành chính năm đúng thời hạn",
        "max_points": 0.5,
        "self_points": 0.5,
        "evidence": "Kế hoạch số 12/KH-UBND ngày 15/01/{year}",
    },
    "dossiers": {
        "dossier_id": "000.00.21.H48-{year}0115-0001",
        "unit": "Xã Ba Điền",
        "procedure": "Đăng ký khai sinh",
        "field": "Hộ tịch",
        "received_at": "{year}-01-15 08:30",
        "due_at": "{year}-01-16 17:00",
        "resolved_at": "{year}-01-16 10:00",
        "status": DOSSIER_STATUSES["resolved_on_time"],
        "channel": CHANNELS["online"],
        "apology": False,
    },
    "dossier_stats": {
        "unit": "Xã Ba Điền",
        "field": "Hộ tịch",
        "received_total": 40,
        "carried_over": 2,
        "received_online": 18,
        "received_direct": 20,
        "resolved_total": 37,
        "resolved_early": 20,
        "resolved_on_time": 16,
        "resolved_late": 1,
        "pending_total": 3,
        "pending_in_time": 3,
        "pending_overdue": 0,
    },
    "results": {
        "unit": "Huyện Ba Tơ",
        "score": 84.35,
        "max_score": 100.0,
        "percent": 84.35,
        "rank": 7,
        "peer_group": "Cấp huyện",
    },
    "amendments": {
        "code": "12",
        "kind": "Điều chỉnh thời hạn",
        "new_deadline": "{year}-09-30",
        "effective_on": "{year}-04-15",
        "explanation": "Chờ hướng dẫn của UBND tỉnh",
        "document": "Quyết định số 123/QĐ-UBND ngày 15/04/{year}",
    },
}

# Columns that must stay text even when they look like numbers ("1.10" is not 1.1).
TEXT_COLUMNS = {"code", "parent", "successor", "criterion", "dossier_id"}
# Columns whose drop-down lists the units (other names are allowed: a new unit is only warned about).
UNIT_COLUMNS = {("tasks", "lead_unit"), ("framework", "responsible_unit"), ("dossiers", "unit")}
WIDTHS = {
    "title": 60,
    "name": 50,
    "product": 35,
    "note": 25,
    "thresholds": 28,
    "evidence": 35,
    "explanation": 30,
}


def metric_labels() -> list[str]:
    """Metric labels as typed in a framework, with the «cấp xã» / «cấp huyện» variants."""
    return [
        *METRICS.values(),
        *(f"{label} cấp xã" for label in METRICS.values() if label.startswith("Hồ sơ")),
        *(f"{label} cấp huyện" for label in METRICS.values() if label.startswith("Hồ sơ")),
    ]


def _choice_lists(ds: Dataset, units: Sequence[str]) -> dict[str, tuple[str, list[str], bool]]:
    """Canonical column -> (list title, values, strict) for every column with a drop-down."""
    lists: dict[str, tuple[str, list[str], bool]] = {}
    if ds.name == "units":
        lists["kind"] = ("Loại đơn vị", list(UNIT_KINDS.values()), True)
    if ds.name == "framework":
        lists["point_kind"] = ("Loại điểm", list(POINT_KINDS.values()), True)
        lists["rule"] = ("Cách tính", list(RULE_KINDS.values()), True)
        lists["metric"] = ("Chỉ số", metric_labels(), True)
    if ds.name == "tasks":
        lists["status_text"] = ("Tình trạng", list(TASK_STATUSES.values()), False)
    if ds.name == "dossiers":
        lists["status"] = ("Trạng thái", list(DOSSIER_STATUSES.values()), True)
        lists["channel"] = ("Hình thức nộp", list(CHANNELS.values()), True)
        lists["apology"] = ("Có/Không", ["Có", "Không"], True)
    names = sorted({n for n in units if n}, key=str.casefold)
    for table, column in UNIT_COLUMNS:
        if table == ds.name and names:
            lists[column] = ("Đơn vị", names, False)
    return lists


def _accepted(ds: Dataset, col: Column, lists: dict[str, tuple[str, list[str], bool]]) -> str:
    if col.name in lists and lists[col.name][2]:
        return "Một trong: " + ", ".join(f"«{v}»" for v in lists[col.name][1])
    if ds.name == "tasks" and col.name == "status_text":
        return parsing.TASK_STATUS_FORMS + ", hoặc cách ghi tương tự"
    if (ds.name, col.name) in UNIT_COLUMNS:
        return "Tên đơn vị (chọn trong danh sách hoặc gõ tên đầy đủ)"
    return {
        "date": "Ngày, ví dụ 30/06/2024",
        "timestamp": "Ngày giờ, ví dụ 30/06/2024 14:30",
        "float": "Số, ví dụ 1,5",
        "int": "Số nguyên",
        "bool": "«Có» hoặc «Không»",
    }.get(col.type, "")


def _title_lines(ds: Dataset, year: int, quarter: int | None, unit: str | None) -> list[str]:
    lines = [TITLES[ds.name].format(year=year)]
    if ds.name == "scores":
        lines.append(fmt.quarter_label(quarter or 1, year))
        if unit:
            lines.append(f"Đơn vị được đánh giá: {unit}")
    elif ds.name == "tasks" and quarter:
        lines.append(f"Tình hình thực hiện đến hết {fmt.quarter_label(quarter, year)}")
    return lines


def _example(ds: Dataset, year: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in EXAMPLES[ds.name].items():
        if isinstance(value, str):
            value = value.format(year=year)
            col = ds.column(key)
            if col.type == "date" and key != "deadline_text":
                value = date.fromisoformat(value)
            elif col.type == "timestamp":
                value = datetime.fromisoformat(value)
        out[key] = value
    return out


def template_note(dataset: str, column: str) -> str:
    """The schema's note for a template column, with the accepted deadline forms filled in."""
    return TEMPLATE_NOTES.get((dataset, column), "").format(deadline_forms=parsing.DEADLINE_FORMS)


class _Writer:
    """Builds one template workbook in memory."""

    def __init__(self, ds: Dataset, year: int, quarter: int | None, unit: str | None, units: Sequence[str]):
        self.ds = ds
        self.year = year
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, {"in_memory": True})
        self.book.set_properties({"title": ds.label, "subject": "Mẫu nhập liệu Chỉ số CCHC"})
        self.columns = ds.sheet_columns
        self.lists = _choice_lists(ds, units)
        self.titles = _title_lines(ds, year, quarter, unit)
        self.header_row = len(self.titles) + 1  # one blank row between title and header (0-based)
        self.first_data_row = self.header_row + 1
        f = self.book.add_format
        self.f_title = f({"bold": True, "font_size": 13, "align": "center"})
        self.f_subtitle = f({"italic": True, "align": "center"})
        self.f_header = f(
            {
                "bold": True,
                "text_wrap": True,
                "valign": "vcenter",
                "align": "center",
                "border": 1,
                "bg_color": "#DDEBF7",
            }
        )
        self.f_required = f(
            {
                "bold": True,
                "text_wrap": True,
                "valign": "vcenter",
                "align": "center",
                "border": 1,
                "bg_color": "#FCE4D6",
            }
        )
        self.f_date = f({"num_format": "dd/mm/yyyy"})
        self.f_timestamp = f({"num_format": "dd/mm/yyyy hh:mm"})
        self.f_text = f({"num_format": "@"})
        self.f_example = f({"italic": True, "font_color": "#7F7F7F"})
        self.f_example_date = f({"italic": True, "font_color": "#7F7F7F", "num_format": "dd/mm/yyyy"})
        self.f_example_ts = f({"italic": True, "font_color": "#7F7F7F", "num_format": "dd/mm/yyyy hh:mm"})
        self.f_example_text = f({"italic": True, "font_color": "#7F7F7F", "num_format": "@"})
        self.f_section = f({"bold": True})
        self.f_wrap = f({"text_wrap": True, "valign": "top"})
        self.f_help_header = f({"bold": True, "border": 1, "bg_color": "#DDEBF7", "text_wrap": True})
        self.data = self.book.add_worksheet(ds.label[:31])
        self.help = self.book.add_worksheet(HELP_SHEET)
        self.list_refs: dict[str, str] = {}

    # Helper sheet -------------------------------------------------------------------------

    def write_help(self) -> None:
        ws, ds = self.help, self.ds
        ws.write(0, 0, f"HƯỚNG DẪN ĐIỀN MẪU «{ds.label.upper()}»", self.f_title)
        ws.write(1, 0, PURPOSES[ds.name])
        rules = [
            "Điền dữ liệu ở trang tính đầu tiên, bắt đầu từ dòng ví dụ (chữ nghiêng màu xám): ghi đè hoặc xóa dòng ví dụ.",
            "Không đổi tên, không xóa các cột có tiêu đề màu cam (bắt buộc); giữ nguyên các dòng tiêu đề phía trên "
            "bảng vì năm, quý và đơn vị được đọc từ đó.",
            "Ngày ghi theo dạng ngày/tháng/năm (30/06/2024). Số thập phân dùng dấu phẩy (1,5).",
            "Dòng tổng cộng, dòng trống và phần chữ ký cuối bảng được bỏ qua khi nạp.",
            "Trang tính này không được nạp vào cơ sở dữ liệu.",
        ]
        for i, text in enumerate(rules):
            ws.write(3 + i, 0, f"{i + 1}. {text}")
        top = 4 + len(rules)
        heads = [
            "Cột",
            "Tiêu đề cột",
            "Bắt buộc",
            "Kiểu dữ liệu",
            "Giá trị chấp nhận",
            "Giải thích",
            "Tiêu đề khác cũng được nhận",
        ]
        for c, text in enumerate(heads):
            ws.write(top, c, text, self.f_help_header)
        for i, col in enumerate(self.columns):
            r = top + 1 + i
            # "B · Tên" rather than the bare label, so this table is never taken for a data header.
            ws.write(r, 0, xl_col_to_name(i), self.f_wrap)
            ws.write(r, 1, f"{xl_col_to_name(i)} · {col.label}", self.f_wrap)
            ws.write(r, 2, "Có" if col.required else "Không", self.f_wrap)
            ws.write(r, 3, TYPE_LABELS[col.type], self.f_wrap)
            ws.write(r, 4, _accepted(self.ds, col, self.lists), self.f_wrap)
            ws.write(r, 5, template_note(ds.name, col.name), self.f_wrap)
            ws.write(r, 6, "; ".join(f"«{a}»" for a in col.aliases), self.f_wrap)
        ws.set_column(0, 0, 6)
        ws.set_column(1, 1, 28)
        ws.set_column(2, 2, 9)
        ws.set_column(3, 3, 20)
        ws.set_column(4, 5, 45)
        ws.set_column(6, 6, 35)
        # The drop-down lists, to the right; the data sheet's validations point here.
        left = len(heads) + 1
        ws.write(top - 1, left, "Danh sách giá trị cho các ô chọn:", self.f_section)
        for j, (column, (title, values, _strict)) in enumerate(self.lists.items()):
            c = left + j
            ws.write(top, c, f"DS: {title}", self.f_help_header)
            for k, value in enumerate(values):
                ws.write_string(top + 1 + k, c, value)
            ws.set_column(c, c, max(14, min(40, max(len(v) for v in values) + 2)))
            first = xl_rowcol_to_cell(top + 1, c, row_abs=True, col_abs=True)
            last = xl_rowcol_to_cell(top + len(values), c, row_abs=True, col_abs=True)
            self.list_refs[column] = f"='{HELP_SHEET}'!{first}:{last}"

    # Data sheet -----------------------------------------------------------------------------

    def write_data_frame(self) -> None:
        ws = self.data
        last_col = len(self.columns) - 1
        for i, line in enumerate(self.titles):
            if last_col > 0:
                ws.merge_range(i, 0, i, last_col, line, self.f_title if i == 0 else self.f_subtitle)
            else:
                ws.write(i, 0, line, self.f_title)
        ws.set_row(self.header_row, 45)
        for c, col in enumerate(self.columns):
            ws.write(self.header_row, c, col.label, self.f_required if col.required else self.f_header)
            ws.set_column(
                c, c, WIDTHS.get(col.name, 18 if col.type != "timestamp" else 20), self._column_format(col)
            )
            self._validate(c, col)
        ws.freeze_panes(self.first_data_row, 0)

    def _column_format(self, col: Column) -> Any:
        if col.type == "date":
            return self.f_date
        if col.type == "timestamp":
            return self.f_timestamp
        if col.name in TEXT_COLUMNS:
            return self.f_text
        return None

    def _validate(self, c: int, col: Column) -> None:
        first, last = self.first_data_row, self.first_data_row + VALIDATED_ROWS
        note = template_note(self.ds.name, col.name)
        options: dict[str, Any] | None = None
        if col.name in self.list_refs:
            strict = self.lists[col.name][2]
            options = {
                "validate": "list",
                "source": self.list_refs[col.name],
                "error_type": "stop" if strict else "information",
                "error_title": col.label[:32],
                "error_message": "Hãy chọn một giá trị trong danh sách."
                if strict
                else "Giá trị không có trong danh sách; vẫn được chấp nhận nếu đúng.",
            }
        elif col.type == "date":
            options = {
                "validate": "date",
                "criteria": "between",
                "minimum": date(2000, 1, 1),
                "maximum": date(2100, 12, 31),
                "error_title": col.label[:32],
                "error_message": "Hãy nhập ngày dạng ngày/tháng/năm, ví dụ 30/06/2024.",
            }
        elif col.type == "float" and self.ds.name == "framework":
            options = {
                "validate": "decimal",
                "criteria": ">=",
                "value": 0,
                "error_title": col.label[:32],
                "error_message": "Hãy nhập một số không âm, ví dụ 1,5.",
            }
        if options is None:
            if not note:
                return
            options = {"validate": "any"}
        if note:
            options["input_title"] = col.label[:32]
            options["input_message"] = note[:255]
        self.data.data_validation(first, c, last, c, options)

    def write_example(self) -> None:
        values = _example(self.ds, self.year)
        r = self.first_data_row
        for c, col in enumerate(self.columns):
            value = values.get(col.name)
            if value is None:
                continue
            if col.type == "timestamp":
                self.data.write_datetime(r, c, value, self.f_example_ts)
            elif col.type == "date":
                self.data.write_datetime(r, c, value, self.f_example_date)
            elif col.type == "bool":
                self.data.write_string(r, c, "Có" if value else "Không", self.f_example)
            elif isinstance(value, float):
                self.data.write_number(r, c, value, self.f_example)
            else:
                self.data.write_string(
                    r, c, str(value), self.f_example_text if col.name in TEXT_COLUMNS else self.f_example
                )
        self.data.write_comment(
            r, 0, "Dòng ví dụ: hãy ghi đè hoặc xóa dòng này trước khi gửi.", {"x_scale": 1.6, "y_scale": 0.6}
        )

    def write_rows(self, frame: pd.DataFrame) -> None:
        """Canonical rows as cells (labels for coded values), with section rows for task areas."""
        r = self.first_data_row
        area: Any = None
        for record in frame.to_dict("records"):
            if (
                self.ds.name == "tasks"
                and not fmt.is_missing(record.get("area"))
                and record.get("area") != area
            ):
                area = record["area"]
                self.data.write_string(r, 0, str(area), self.f_section)
                self.data.write_string(r, 1, AREA_NAMES.get(str(area), f"Lĩnh vực {area}"), self.f_section)
                r += 1
            for c, col in enumerate(self.columns):
                self._write_cell(r, c, col, record)
            r += 1

    def _write_cell(self, r: int, c: int, col: Column, record: dict[str, Any]) -> None:
        value = record.get(col.name)
        ws = self.data
        if self.ds.name == "scores" and col.name == "self_points" and bool(record.get("not_applicable")):
            if fmt.is_missing(value):
                ws.write_string(r, c, "Không áp dụng")
                return
        if fmt.is_missing(value):
            return
        if col.type == "timestamp":
            ws.write_datetime(r, c, pd.Timestamp(value).to_pydatetime(), self.f_timestamp)
        elif col.type == "date":
            ws.write_datetime(r, c, pd.Timestamp(value).to_pydatetime(), self.f_date)
        elif col.type == "bool":
            ws.write_string(r, c, "Có" if bool(value) else "Không")
        elif col.type in ("float", "int"):
            ws.write_number(r, c, float(value))
        else:
            ws.write_string(r, c, choice_label(self.ds.name, col.name, str(value)))

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def template_workbook(
    dataset_name: str,
    *,
    year: int | None = None,
    quarter: int | None = None,
    unit: str | None = None,
    units: Sequence[str] = (),
) -> bytes:
    """An empty .xlsx template for a dataset: title, headers, one example row, drop-downs, instructions.

    `units` fills the unit drop-downs; `quarter` and `unit` go into the title rows of score sheets.
    """
    ds = DATASETS[dataset_name]
    writer = _Writer(ds, year or date.today().year, quarter, unit, units)
    writer.write_help()
    writer.write_data_frame()
    writer.write_example()
    return writer.close()


def template_filled(
    dataset_name: str,
    frame: pd.DataFrame,
    *,
    year: int | None = None,
    quarter: int | None = None,
    unit: str | None = None,
    units: Sequence[str] = (),
) -> bytes:
    """The template of a dataset filled with canonical rows (as a person would fill it), for tests and exports.

    Year, quarter and unit default to the frame's own when it has them.
    """
    ds = DATASETS[dataset_name]
    year = year or _first(frame, "year") or date.today().year
    if ds.name == "scores":
        quarter = quarter or _first(frame, "quarter")
        unit = unit if unit is not None else _first(frame, "unit")
    writer = _Writer(ds, int(year), None if quarter is None else int(quarter), unit, units)
    writer.write_help()
    writer.write_data_frame()
    writer.write_rows(frame)
    return writer.close()


def _first(frame: pd.DataFrame, column: str) -> Any:
    if column not in frame or frame.empty:
        return None
    values = frame[column].dropna()
    if values.empty:
        return None
    value = values.iloc[0]
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return value.item() if hasattr(value, "item") else value


def template_file_name(dataset_name: str, year: int | None = None) -> str:
    """A download name such as «mau_nhiem_vu_2024.xlsx»."""
    slug = {
        "units": "don_vi",
        "framework": "bo_tieu_chi",
        "tasks": "nhiem_vu",
        "scores": "tu_danh_gia",
        "dossiers": "ho_so_tthc",
        "dossier_stats": "thong_ke_ho_so",
        "results": "ket_qua_cong_bo",
        "amendments": "dieu_chinh_ke_hoach",
    }[dataset_name]
    return f"mau_{slug}{'_' + str(year) if year and dataset_name != 'units' else ''}.xlsx"
