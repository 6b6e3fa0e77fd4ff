"""Small spreadsheets for the store, loader and CLI tests, written the way district offices send them."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

from analysis.store import Store
from analysis.workflow.load import load_sample

Rows = Sequence[Sequence[Any]]

PROJECT = Path(__file__).resolve().parent.parent  # the folder `python -m analysis` runs from

TASK_HEADER = (
    "TT",
    "Nội dung nhiệm vụ",
    "Cơ quan chủ trì",
    "Thời gian hoàn thành",
    "Tình trạng",
    "Ngày hoàn thành",
    "Mã tiêu chí",
)
FRAMEWORK_HEADER = ("Mã", "Tên tiêu chí", "Điểm tối đa", "Cách tính", "Chỉ số", "Ngưỡng")
SCORES_HEADER = ("STT", "Tên tiêu chí", "Điểm tối đa", "Điểm tự đánh giá", "Điểm thẩm định")
DOSSIER_HEADER = ("Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái", "Đã xin lỗi (Mẫu 04)")


def xlsx_bytes(sheets: dict[str, Rows]) -> bytes:
    """A workbook with one sheet per entry; None leaves a cell empty."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


def sheet_xlsx(rows: Rows, sheet: str = "Sheet1") -> bytes:
    """A workbook of one sheet."""
    return xlsx_bytes({sheet: rows})


def sample_db_in(folder: Path) -> Path:
    """A database file in `folder` holding the whole sample."""
    path = folder / "sample.duckdb"
    load_sample(Store(path))
    return path


def csv_bytes(rows: Rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def units_rows() -> list[list[Any]]:
    """The district, two communes, a town and an office (Xã Ba Tơ only: 'Ba Tơ' alone is unambiguous)."""
    return [
        ["DANH MỤC ĐƠN VỊ"],
        ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị"],
        ["BT", "Huyện Ba Tơ", "Huyện"],
        ["X1", "Xã Ba Điền", "Xã"],
        ["X2", "Xã Ba Tơ", "Xã"],
        ["TT", "Thị trấn Ba Tơ", "Thị trấn"],
        ["P1", "Phòng Nội vụ", "Phòng ban"],
    ]


def units_xlsx() -> bytes:
    return xlsx_bytes({"Đơn vị": units_rows()})


def tasks_rows(year: int, tasks: Rows, title: str | None = None) -> list[list[Any]]:
    """A task plan sheet: title naming the year, header, then rows (a Roman numeral row opens an area)."""
    return [[title or f"KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM {year}"], list(TASK_HEADER), *map(list, tasks)]


def tasks_xlsx(year: int, tasks: Rows, sheet: str = "Nhiệm vụ") -> bytes:
    return xlsx_bytes({sheet: tasks_rows(year, tasks)})


def simple_tasks(n: int, unit: str = "Phòng Nội vụ", tag: str = "") -> list[list[Any]]:
    """n plain tasks under area I, due 31/12, not started."""
    return [["I", "CÔNG TÁC CHỈ ĐẠO"]] + [
        [k, f"Nhiệm vụ {k}{tag}", unit, "31/12", "Chưa thực hiện", None, None] for k in range(1, n + 1)
    ]


def framework_rows(year: int) -> list[list[Any]]:
    """Two areas: I with a band rule on plan completion and a yes/no rule; II scored by hand."""
    return [
        [f"BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}"],
        list(FRAMEWORK_HEADER),
        ["I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", 3, None, None, None],
        ["1.1", "Mức độ hoàn thành kế hoạch CCHC", 2, "Bậc", "Hoàn thành kế hoạch", "100%: 2; 70%: 1; 0%: 0"],
        ["1.2", "Ban hành kế hoạch đúng hạn", 1, "Có/Không", "Hoàn thành nhiệm vụ tiêu chí", None],
        ["II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", 2, None, None, None],
        ["2.1", "Công khai thủ tục hành chính", 2, "Nhập tay", None, None],
    ]


def framework_xlsx(year: int) -> bytes:
    return xlsx_bytes({"Bộ tiêu chí": framework_rows(year)})


def framework_and_tasks_xlsx(year: int, n: int) -> bytes:
    """One workbook of two sheets: the framework, then n simple tasks."""
    return xlsx_bytes({"Bộ tiêu chí": framework_rows(year), "Nhiệm vụ": tasks_rows(year, simple_tasks(n))})


# A progress sheet with four bad cells. Row 1 title, row 2 header, row 3 the section «I», rows 4-7 tasks.
# Columns: A TT, B Nội dung, C Cơ quan chủ trì, D Thời gian hoàn thành, E Tình trạng, F Ngày hoàn thành.
BAD_ROWS = [
    ["DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2024"],
    ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành", "Tình trạng", "Ngày hoàn thành"],
    ["I", "CÔNG TÁC CHỈ ĐẠO"],
    [
        1,
        "Ban hành kế hoạch",
        "Phòng Nội vụ",
        "Khi nào xong",
        "Đã hoàn thành",
        None,
    ],  # D4: deadline unreadable
    [2, "Báo cáo quý", "Phòng Nội vụ", "Quý II", "Đã hoàn thành", "31/02/2024"],  # F5: no 31 February
    [3, "Rà soát văn bản", None, "Quý III", "Đang thực hiện", None],  # C6: required lead unit empty
    [4, "Kiểm tra công vụ", "Xã Ba Tô", "Quý IV", "Làm rồi", None],  # E7: status not understood
]
BAD_CELLS = ["D4", "F5", "C6", "E7"]
BAD_CELL_COLUMNS = ["Thời gian hoàn thành", "Ngày hoàn thành", "Cơ quan chủ trì", "Tình trạng"]


def scores_rows(year: int, quarter: int, unit: str | None, points: float = 1.5) -> list[list[Any]]:
    roman = ("I", "II", "III", "IV")[quarter - 1]
    rows: list[list[Any]] = [[f"BIỂU TỰ ĐÁNH GIÁ CHỈ SỐ CCHC QUÝ {roman} NĂM {year}"]]
    if unit is not None:
        rows.append([f"Đơn vị: {unit}"])
    rows += [
        list(SCORES_HEADER),
        ["I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", 2, None, None],
        ["1.1", "Mức độ hoàn thành kế hoạch CCHC", 2, points, None],
    ]
    return rows


def dossier_rows(year: int) -> list[list[Any]]:
    return [
        [f"DANH SÁCH HỒ SƠ TTHC NĂM {year}"],
        list(DOSSIER_HEADER),
        ["H1", "Xã Ba Điền", f"02/01/{year}", f"05/01/{year}", "Đã giải quyết quá hạn", None],
        ["H2", "Xã Ba Điền", f"03/01/{year}", f"06/01/{year}", "Đã giải quyết quá hạn", "Có"],
        ["H3", "Xã Ba Điền", f"04/01/{year}", f"07/01/{year}", "Đã giải quyết quá hạn", "Không"],
    ]
