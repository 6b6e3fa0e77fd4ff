"""Which dataset a sheet is, when the analyst does not say."""

from __future__ import annotations

import io

import xlsxwriter

from analysis.ingest.sheets import parse_file


def _sheet(rows: list[list[object]]) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf)
    ws = wb.add_worksheet()
    for r, row in enumerate(rows):
        ws.write_row(r, 0, row)
    wb.close()
    return buf.getvalue()


def test_score_sheet_with_only_self_points_is_scores_not_framework():
    # Three of the framework's required columns are here too (code, name, maximum); the self-score
    # column only exists in score sheets, so a complete fit of scores must win.
    data = _sheet(
        [
            ["BIỂU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CCHC NĂM 2024"],
            ["Kỳ đánh giá: Quý I/2024"],
            [],
            ["STT", "Tên tiêu chí", "Điểm tối đa", "Điểm tự đánh giá"],
            ["I", "Công tác chỉ đạo, điều hành", 10, 8],
            ["1.1", "Kế hoạch CCHC", 2, 1.5],
        ]
    )
    (sheet,) = parse_file(data, "tu_danh_gia.xlsx").sheets
    assert sheet.dataset == "scores"
    assert sheet.quarter == 1 and sheet.year == 2024
    assert list(sheet.frame["self_points"]) == [8.0, 1.5]


def test_framework_sheet_stays_framework():
    data = _sheet(
        [
            ["BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CCHC NĂM 2024"],
            ["Mã", "Tên tiêu chí", "Điểm tối đa", "Loại điểm", "Cách tính", "Chỉ số", "Ngưỡng"],
            ["I", "Chỉ đạo", 2, "", "", "", ""],
            [
                "1.1",
                "Hoàn thành kế hoạch",
                2,
                "Tự đánh giá",
                "Bậc",
                "Hoàn thành kế hoạch",
                "100%: 2; 80%: 1; 0%: 0",
            ],
        ]
    )
    (sheet,) = parse_file(data, "bo_tieu_chi.xlsx").sheets
    assert sheet.dataset == "framework"
    assert sheet.frame.loc[1, "rule"] == "bands"
