"""Bad files are refused with every problem named: file, sheet, row (as Excel shows it), column, value.

Rows and columns below are read off the fixture layouts in tests/fixtures/make_fixtures.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.errors import IngestError, Problem
from analysis.ingest.sheets import parse_file


def problems_of(path: Path, name: str | None = None) -> list[Problem]:
    with pytest.raises(IngestError) as caught:
        parse_file(path.read_bytes(), name or path.name)
    return caught.value.problems


def cells(problems: list[Problem]) -> list[str]:
    """The Excel address of each problem (such as «D5», naming the row too), in report order."""
    return [p.cell for p in problems]


def values(problems: list[Problem]) -> list[str | None]:
    return [None if p.value is None else str(p.value) for p in problems]


# Files that are not spreadsheets ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "file", "phrases"),
    [
        ("text_as_xlsx", "bao_cao.xlsx", ["nội dung là văn bản thuần, không phải bảng tính"]),
        ("png_as_xlsx", "anh_chup.xlsx", ["ảnh PNG", "không phải bảng tính"]),
        ("empty_sheet", "trang_trong.xlsx", ["Không tìm thấy bảng dữ liệu nào"]),
    ],
)
def test_file_without_a_table_is_named_and_explained(gallery, case, file, phrases):
    [p] = problems_of(gallery[case])
    assert p.file == file
    for phrase in phrases:
        assert phrase in p.message


def test_zip_that_is_a_word_file(tmp_path):
    import zipfile

    path = tmp_path / "bao_cao.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    [p] = problems_of(path)
    assert "văn bản Word" in p.message


def test_corrupt_xlsx(gallery, tmp_path):
    # The first 2,000 bytes of a real workbook: a ZIP whose central directory is missing.
    path = tmp_path / "hong.xlsx"
    path.write_bytes(gallery["plan_appendix"].read_bytes()[:2000])
    [p] = problems_of(path)
    assert "bị hỏng" in p.message


def test_unsupported_suffix(tmp_path):
    path = tmp_path / "bao_cao.docx"
    path.write_bytes(b"anything")
    [p] = problems_of(path)
    assert p.value == ".docx"
    assert "không được hỗ trợ" in p.message


def test_empty_file(gallery):
    [p] = problems_of(gallery["empty_file"])
    assert (p.file, p.row, p.col) == ("rong.xlsx", None, None)
    assert p.message == "Tệp rỗng, không có dữ liệu."


# Header problems ----------------------------------------------------------------------------------


def test_header_missing_a_required_column(gallery):
    [p] = problems_of(gallery["missing_column"])
    # Header on row 3: TT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Ghi chú.
    assert (p.sheet, p.row, p.column) == ("Nhiệm vụ", 3, "Thời gian hoàn thành")
    assert "Thiếu cột bắt buộc «Thời gian hoàn thành»" in p.message
    assert "«thời hạn»" in p.expected  # tells which other headers would do


# Cell problems ------------------------------------------------------------------------------------


def test_duplicate_task_codes(gallery):
    problems = problems_of(gallery["duplicate_codes"])
    # Header on row 3, so codes 1, 2, 3, 2 are on rows 4-7: the two «2» are rows 5 and 7, column A.
    assert cells(problems) == ["A5", "A7"]
    assert values(problems) == ["2", "2"]
    assert all(p.column == "TT" and "trùng" in p.message for p in problems)


def test_points_that_are_not_numbers(gallery):
    problems = problems_of(gallery["points_not_numeric"])
    # Header on row 3 (A STT, B name, C max, D self, E appraised); criteria on rows 5 and 6.
    assert cells(problems) == ["D5", "E6"]
    assert values(problems) == ["một điểm", "1.5đ"]
    assert [p.column for p in problems] == ["Điểm tự đánh giá", "Điểm thẩm định"]
    assert all("không phải số" in p.message for p in problems)


def test_points_above_the_maximum(gallery):
    problems = problems_of(gallery["points_above_max"])
    # 1.5 > 1 on row 5 (self), 2.25 > 2 on row 6 (appraised).
    assert cells(problems) == ["D5", "E6"]
    assert values(problems) == ["1.5", "2.25"]
    assert "Điểm vượt điểm tối đa (1)" in problems[0].message
    assert "Điểm vượt điểm tối đa (2)" in problems[1].message
    assert problems[0].expected == "từ 0 đến 1"


def test_unparseable_dates_and_deadlines(gallery):
    problems = problems_of(gallery["bad_dates"])
    # Columns: D deadline, F completion date; rows 4-7.
    assert cells(problems) == "F4 D5 D6 F6 D7".split()
    assert values(problems) == ["31/02/2024", "Sớm nhất có thể", "Quý 5", "hôm qua", "Tháng 13/2024"]
    assert "ngày không tồn tại" in problems[0].message
    assert "không hiểu thời hạn" in problems[1].message
    assert "«Quý II/2024»" in problems[1].expected  # the accepted forms are listed
    assert "không phải ngày hợp lệ" in problems[3].message
    assert "tháng 13 không tồn tại" in problems[4].message


def test_unknown_statuses(gallery):
    problems = problems_of(gallery["unknown_status"])
    # «Tạm dừng» on row 5 and «???» on row 6, status column E.
    assert cells(problems) == ["E5", "E6"]
    assert values(problems) == ["Tạm dừng", "???"]
    assert all("không nhận ra tình trạng nhiệm vụ" in p.message for p in problems)
    assert all(p.column == "Tình trạng" for p in problems)


def test_several_errors_are_all_reported_at_once(gallery):
    problems = problems_of(gallery["many_errors"])
    # Row 4 is fine. Row 5: deadline «khi nào xong». Row 6: code 3 repeated on row 7, lead unit
    # empty, status «Không rõ». Row 7: code 3 again, completion date 32/7/2024.
    assert cells(problems) == "D5 A6 C6 E6 A7 F7".split()
    assert values(problems) == ["khi nào xong", "3", "", "Không rõ", "3", "32/7/2024"]
    assert [p.column for p in problems] == [
        "Thời gian hoàn thành",
        "TT",
        "Cơ quan chủ trì",
        "Tình trạng",
        "TT",
        "Ngày hoàn thành",
    ]
    assert all(p.file == "nhieu_loi.xlsx" and p.sheet == "Nhiệm vụ" for p in problems)
    assert all(p.severity == "error" and p.message and p.message_en for p in problems)


def test_resolved_dossier_without_timing_or_dates(tmp_path):
    # «Đã giải quyết» can be settled from the dates only when both are there.
    path = tmp_path / "ho_so.csv"
    path.write_text(
        "DANH SÁCH HỒ SƠ NĂM 2024\n"
        "Mã hồ sơ,Đơn vị,Ngày tiếp nhận,Ngày hẹn trả,Ngày trả kết quả,Trạng thái\n"
        "HS-1,UBND xã Ba Tô,01/07/2024 08:00,03/07/2024 17:00,02/07/2024 09:00,Đã giải quyết\n"
        "HS-2,UBND xã Ba Tô,01/07/2024 08:00,03/07/2024 17:00,,Đã giải quyết\n",
        encoding="utf-8",
    )
    # Header on row 2: HS-1 (row 3) has both dates; HS-2 (row 4) has no resolution date.
    [p] = problems_of(path)
    assert (p.row, p.cell, p.value, p.column) == (4, "F4", "Đã giải quyết", "Trạng thái")
    assert "không rõ trước hạn, đúng hạn hay quá hạn" in p.message


def test_report_text_is_vietnamese_and_names_every_place(gallery):
    with pytest.raises(IngestError) as caught:
        path = gallery["many_errors"]
        parse_file(path.read_bytes(), path.name)
    report = str(caught.value)
    assert report.startswith("Không nạp được dữ liệu: 6 lỗi.")
    line = report.splitlines()[1]
    assert line.startswith(
        "- Tệp «nhieu_loi.xlsx», trang tính «Nhiệm vụ», dòng 5, ô D5, cột «Thời gian hoàn thành»"
    )
    assert "giá trị «khi nào xong»" in line
    for cell in ("D5", "A6", "C6", "E6", "A7", "F7"):
        assert f"ô {cell}" in report
