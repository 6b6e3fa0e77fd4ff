"""The validation report: every problem with its Excel address, and a workbook with the bad cells marked."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import openpyxl
import pytest

from analysis.errors import IngestError, Problem
from analysis.ingest.sheets import parse_file
from analysis.ingest.validation import (
    ERROR_FILL,
    LIST_SHEET,
    PROBLEM_COLUMNS,
    problems_frame,
    report_file_name,
    report_workbook,
)

sys.path.insert(0, str(Path(__file__).parent))
from helpers_store import BAD_CELL_COLUMNS, BAD_CELLS, BAD_ROWS, csv_bytes, xlsx_bytes  # noqa: E402


def _problems(data: bytes, filename: str) -> list[Problem]:
    with pytest.raises(IngestError) as caught:
        parse_file(data, filename)
    return caught.value.problems


@pytest.fixture(scope="module")
def bad_xlsx() -> bytes:
    return xlsx_bytes({"Tiến độ": BAD_ROWS})


def test_every_problem_is_listed_with_its_cell(bad_xlsx):
    frame = problems_frame(_problems(bad_xlsx, "tien_do.xlsx"))
    assert list(frame.columns) == PROBLEM_COLUMNS == ["Trang tính", "Ô", "Cột", "Giá trị", "Lỗi", "Cần"]
    assert frame["Ô"].tolist() == BAD_CELLS
    assert frame["Trang tính"].tolist() == ["Tiến độ"] * 4
    assert frame["Cột"].tolist() == BAD_CELL_COLUMNS
    assert frame["Giá trị"].tolist() == ["Khi nào xong", "31/02/2024", "", "Làm rồi"]
    # Messages read as sentences; what is expected sits in its own column, not inside the message.
    assert frame["Lỗi"].iloc[1] == "Ngày không tồn tại (31/2/2024)."
    assert frame["Cần"].iloc[1] == "ngày dạng 30/06/2024"
    assert "Quý II/2024" in frame["Cần"].iloc[0]
    assert "«Cơ quan chủ trì»" in frame["Lỗi"].iloc[2]
    assert all(frame["Lỗi"].str.len() > 0)


def test_problems_are_sorted_sheet_by_sheet_then_by_row_and_column():
    problems = [
        Problem("f.xlsx", "B", 3, 1, message="x"),
        Problem("f.xlsx", "A", 9, 0, message="x"),
        Problem("f.xlsx", "B", 2, 4, message="x"),
        Problem("f.xlsx", "A", 9, None, message="x"),
        Problem("f.xlsx", None, None, None, message="no place"),
    ]
    frame = problems_frame(problems)
    # Sheets in order of first appearance (B, A, then none); inside a sheet by row, then column.
    assert frame["Ô"].tolist() == ["E2", "B3", "dòng 9", "A9", ""]


def _load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _is_red(cell) -> bool:
    return cell.fill is not None and (cell.fill.fgColor.rgb or "").upper().endswith(
        ERROR_FILL.lstrip("#").upper()
    )


def test_report_workbook_marks_exactly_the_bad_cells(bad_xlsx):
    problems = _problems(bad_xlsx, "tien_do.xlsx")
    book = _load(report_workbook(bad_xlsx, "tien_do.xlsx", problems))
    assert book.sheetnames == [LIST_SHEET, "Tiến độ"]
    sheet = book["Tiến độ"]
    red = sorted(c.coordinate for row in sheet.iter_rows() for c in row if _is_red(c))
    assert red == sorted(BAD_CELLS)
    commented = {c.coordinate: c.comment.text for row in sheet.iter_rows() for c in row if c.comment}
    assert sorted(commented) == sorted(BAD_CELLS)
    assert "Không hiểu thời hạn" in commented["D4"]
    assert "Cần: ngày dạng 30/06/2024" in commented["F5"]
    assert "Không nhận ra tình trạng nhiệm vụ" in commented["E7"]


def test_report_workbook_keeps_every_original_value(bad_xlsx):
    book = _load(report_workbook(bad_xlsx, "tien_do.xlsx", _problems(bad_xlsx, "tien_do.xlsx")))
    sheet = book["Tiến độ"]
    for r, row in enumerate(BAD_ROWS, start=1):
        for c, value in enumerate(row, start=1):
            got = sheet.cell(r, c).value
            assert got == value, f"{sheet.cell(r, c).coordinate}: {got!r} != {value!r}"


def test_problem_list_sheet_links_to_each_cell(bad_xlsx):
    book = _load(report_workbook(bad_xlsx, "tien_do.xlsx", _problems(bad_xlsx, "tien_do.xlsx")))
    ws = book[LIST_SHEET]
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    assert [r[2] for r in rows] == BAD_CELLS
    assert [r[0] for r in rows] == [1, 2, 3, 4]
    assert ws["A1"].value == "DANH SÁCH LỖI CỦA TỆP «tien_do.xlsx»"
    assert ws["A2"].value.startswith("4 lỗi.")
    link = ws["C5"].hyperlink
    assert link is not None and link.location == "'Tiến độ'!D4"


def test_csv_file_becomes_one_sheet_named_after_the_file():
    data = csv_bytes(BAD_ROWS)
    problems = _problems(data, "tien_do_q3.csv")
    book = _load(report_workbook(data, "tien_do_q3.csv", problems))
    assert book.sheetnames == [LIST_SHEET, "tien_do_q3"]
    # In a CSV every value is text; the red cells are the same addresses as in the workbook.
    red = sorted(c.coordinate for row in book["tien_do_q3"].iter_rows() for c in row if _is_red(c))
    assert red == sorted(BAD_CELLS)


def test_missing_required_column_marks_the_header_row():
    rows = [
        ["DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2024"],
        ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Tình trạng"],  # no deadline column
        [1, "Ban hành kế hoạch", "Phòng Nội vụ", "Đã hoàn thành"],
    ]
    data = xlsx_bytes({"NV": rows})
    problems = _problems(data, "nv.xlsx")
    frame = problems_frame(problems)
    # The header is row 2 and no column is known: the report names the row.
    assert frame["Ô"].tolist() == ["dòng 2"]
    book = _load(report_workbook(data, "nv.xlsx", problems))
    assert book["NV"]["A2"].comment is not None
    assert "Thời gian hoàn thành" in book["NV"]["A2"].comment.text


def test_unreadable_file_gives_the_problem_list_alone():
    data = b"this is not a spreadsheet"
    problems = _problems(data, "hong.xlsx")
    book = _load(report_workbook(data, "hong.xlsx", problems))
    assert book.sheetnames == [LIST_SHEET]
    assert len(problems) == 1 and problems[0].row is None
    assert book[LIST_SHEET]["F5"].value.rstrip(".") == problems[0].message.rstrip(".")


def test_report_file_name():
    assert report_file_name("tien_do_Q2.xlsx") == "tien_do_Q2_danh_sach_loi.xlsx"
    assert report_file_name("ho_so.csv") == "ho_so_danh_sach_loi.xlsx"
