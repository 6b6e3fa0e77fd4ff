"""Ingestion of the ugly-but-valid files of the gallery (tests/fixtures/make_fixtures.py).

Expectations are written by hand from how each fixture is laid out (row numbers as Excel shows them).
"""

from __future__ import annotations

import codecs
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from make_fixtures import CSV_TASK_ROWS, cp1258_bytes, nfd

from analysis.ingest.readers import content_kind, decode_text
from analysis.ingest.sheets import ReadOptions, SheetResult, parse_file


def only_sheet(path: Path, **kwargs) -> SheetResult:
    result = parse_file(path.read_bytes(), path.name, ReadOptions(**kwargs))
    assert len(result.sheets) == 1
    return result.sheets[0]


def values(frame: pd.DataFrame, column: str) -> list:
    """A column as a plain list, with every kind of missing value as None."""
    out = []
    for v in frame[column]:
        if v is None or (not isinstance(v, (str, list)) and pd.isna(v)):
            out.append(None)
        elif isinstance(v, pd.Timestamp):
            out.append(v.to_pydatetime())
        else:
            out.append(v)
    return out


def mapped(sheet: SheetResult) -> dict[str, str | None]:
    """{column letter: canonical column} of the detected header."""
    return {m["col"]: m["column"] for m in sheet.mapping}


def is_nfc_and_trimmed(texts: list) -> bool:
    return all(
        t is None or (unicodedata.is_normalized("NFC", t) and t == t.strip() and "\u00a0" not in t)
        for t in texts
    )


# Plan appendix (.xlsx): merged title rows, column numbers, sections I-III, every deadline form ------


@pytest.fixture(scope="module")
def plan(gallery) -> SheetResult:
    return only_sheet(gallery["plan_appendix"])


def test_plan_detects_dataset_year_and_header(plan):
    assert plan.dataset == "tasks"
    assert plan.sheet == "Phụ lục"
    assert plan.header_row == 7
    # «DANH MỤC … NĂM 2024»; the decision date «15/01/2024» and the signing line are not the title.
    assert plan.year == 2024
    assert plan.quarter is None
    assert "DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2024" in plan.title
    assert mapped(plan) == {
        "A": "code",
        "B": "title",
        "C": "lead_unit",
        "D": "co_units",
        "E": "deadline_text",
        "F": "product",
        "G": "note",
    }


def test_plan_skips_column_numbers_sections_blank_rows_and_signatures(plan):
    # Row 8 "(1)…(7)", section rows 9 / 13 / 17, blank rows 12 and 24, signature block from row 25.
    assert plan.excel_rows == [10, 11, 14, 15, 16, 18, 19, 20, 21, 22, 23]
    assert values(plan.frame, "code") == [str(n) for n in range(1, 12)]
    # Section «III.» (with a dot) is area III.
    assert values(plan.frame, "area") == ["I"] * 2 + ["II"] * 3 + ["III"] * 6
    assert set(values(plan.frame, "year")) == {2024}


def test_plan_text_is_nfc_and_trimmed(plan):
    titles = values(plan.frame, "title")
    # Row 10 was written in NFD.
    assert titles[0] == "Rà soát, hệ thống hóa văn bản quy phạm pháp luật"
    # Row 11 had leading and trailing spaces; its unit a trailing non-breaking space.
    assert titles[1] == "Kiểm tra việc thực hiện văn bản QPPL"
    assert values(plan.frame, "lead_unit")[:5] == [
        "Phòng Tư pháp",
        "Phòng Tư pháp",
        "Văn phòng HĐND và UBND",
        "Văn phòng HĐND và UBND",  # leading non-breaking space in the file
        "Văn phòng HĐND và UBND",
    ]
    for column in ("title", "lead_unit", "co_units", "deadline_text", "product", "note"):
        assert is_nfc_and_trimmed(values(plan.frame, column)), column
    assert values(plan.frame, "co_units")[:4] == ["Các cơ quan", None, None, "UBND các xã"]
    assert values(plan.frame, "note")[3] == "Chỉ tiêu 100%"


def test_plan_parses_every_deadline_form(plan):
    assert values(plan.frame, "deadline_text") == [
        "Quý I",
        "Quý II/2024",
        "Tháng 6/2024",
        "Trước 15/12/2024",
        "30/6/2024",
        "30/09/2024",  # a real date cell, shown as Excel shows it
        "30/06/2024",  # the number 45473 in the deadline column
        "6 tháng đầu năm",
        "Năm 2024",
        "Thường xuyên",
        "Theo quy định",
    ]
    assert values(plan.frame, "deadline") == [
        date(2024, 3, 31),  # Quý I of the plan year 2024
        date(2024, 6, 30),  # end of Q2
        date(2024, 6, 30),  # June has 30 days
        date(2024, 12, 15),  # "before 15/12" is 15/12
        date(2024, 6, 30),
        date(2024, 9, 30),
        date(2024, 6, 30),  # 45473 = 45292 (1/1/2024) + 181 days
        date(2024, 6, 30),  # first half of 2024
        date(2024, 12, 31),  # the whole year
        None,  # ongoing
        None,  # no fixed date
    ]
    assert values(plan.frame, "ongoing") == [False] * 9 + [True, False]
    assert values(plan.frame, "status") == [None] * 11


# Progress report (.xlsx): two-level merged header, statuses, completion dates, subtotal ----------


@pytest.fixture(scope="module")
def progress(gallery) -> SheetResult:
    return only_sheet(gallery["progress_report"])


def test_progress_two_level_header_is_mapped(progress):
    # Rows 6-7: «TT», «Nhiệm vụ» … merged over both rows; «Kết quả thực hiện» spans E6:F6 above
    # «Tình trạng» | «Ngày hoàn thành».
    assert progress.header_row == 7
    assert mapped(progress) == {
        "A": "code",
        "B": "title",
        "C": "lead_unit",
        "D": "deadline_text",
        "E": "status_text",
        "F": "completed_on",
        "G": "product",
        "H": "note",
    }
    assert {m["col"]: m["header"] for m in progress.mapping}["A"] == "TT"


def test_progress_detects_quarter_and_year(progress):
    assert (progress.dataset, progress.year, progress.quarter) == ("tasks", 2024, 2)


def test_progress_rows_skip_sections_blank_subtotal_and_footer(progress):
    # Sections on rows 8, 11, 16; blank row 14; «Tổng cộng: 7 nhiệm vụ» on row 19; signatures 21-22.
    assert progress.excel_rows == [9, 10, 12, 13, 15, 17, 18]
    assert values(progress.frame, "code") == ["1", "2", "3", "4", "5", "6", "7"]
    assert values(progress.frame, "area") == ["I", "I", "II", "II", "II", "III", "III"]


def test_progress_statuses_and_completion_dates(progress):
    assert values(progress.frame, "status_text") == [
        "Đã hoàn thành",
        "Hoàn thành đúng hạn",
        "Hoàn thành quá hạn",
        "Hoàn thành trễ hạn",  # spaces around it in the file
        "Đang thực hiện",
        "Chưa thực hiện",  # NFD in the file
        "Quá hạn",
    ]
    assert values(progress.frame, "status") == [
        "done",
        "done_on_time",
        "done_late",
        "done_late",
        "in_progress",
        "not_started",
        "open_overdue",
    ]
    assert values(progress.frame, "completed_on") == [
        date(2024, 3, 28),  # a date cell
        date(2024, 3, 15),  # text "15/3/2024"
        date(2024, 7, 5),  # serial 45478 = 45473 (30/6/2024) + 5
        date(2024, 6, 20),  # text "20/06/2024"
        None,
        None,
        None,
    ]
    assert values(progress.frame, "deadline") == [
        date(2024, 3, 31),  # Quý I
        date(2024, 6, 30),  # Quý II
        date(2024, 5, 31),  # Tháng 5/2024
        date(2024, 4, 30),  # Tháng 4/2024
        date(2024, 12, 15),
        date(2024, 12, 31),  # Quý IV
        date(2024, 6, 30),
    ]
    assert values(progress.frame, "note")[2] == "Chậm do thiếu nhân lực"


# Numbering restarting in each section --------------------------------------------------------------


def test_restarting_numbering_prefixes_codes_with_the_section(gallery):
    sheet = only_sheet(gallery["restarting_numbering"])
    assert sheet.header_row == 3
    # Sections on rows 4, 7, 10; «Tổng cộng» on row 13; «Nơi nhận:» in the TT column on row 15.
    assert sheet.excel_rows == [5, 6, 8, 9, 11]
    assert values(sheet.frame, "code") == ["I.1", "I.2", "II.1", "II.2", "III.1"]
    assert values(sheet.frame, "area") == ["I", "I", "II", "II", "III"]
    assert values(sheet.frame, "deadline") == [
        date(2024, 3, 31),  # Quý I
        date(2024, 9, 30),  # Quý III
        date(2024, 3, 31),  # "Tháng 3" without a year: plan year 2024
        date(2024, 9, 30),  # "30/9" without a year
        None,
    ]
    assert values(sheet.frame, "ongoing") == [False, False, False, False, True]
    [warning] = sheet.warnings
    assert warning.file == "nhiem_vu_danh_so_lai.xlsx"
    assert warning.sheet == "Nhiệm vụ"
    assert "đánh lại theo từng phần" in warning.message


# Old .xls (BIFF8) ---------------------------------------------------------------------------------


def test_xls_with_merged_title_date_cell_and_group_heading(gallery):
    sheet = only_sheet(gallery["xls_plan"])
    assert (sheet.dataset, sheet.sheet, sheet.header_row, sheet.year) == ("tasks", "Phu luc", 4, 2024)
    # Section rows 5 and 9; «a) Xây dựng …» on row 6 is a group heading; «KT. CHỦ TỊCH» on row 13.
    assert sheet.excel_rows == [7, 8, 10, 11]
    assert values(sheet.frame, "code") == ["1", "2", "3", "4"]
    assert values(sheet.frame, "area") == ["I", "I", "II", "II"]
    assert values(sheet.frame, "deadline_text") == [
        "Quý II/2024",
        "15/11/2024",
        "Tháng 12/2024",
        "Theo yêu cầu",
    ]
    assert values(sheet.frame, "deadline") == [
        date(2024, 6, 30),
        date(2024, 11, 15),
        date(2024, 12, 31),
        None,
    ]
    assert values(sheet.frame, "ongoing") == [False, False, False, False]
    [warning] = sheet.warnings
    assert (warning.row, warning.value, warning.severity) == (6, "Xây dựng và kiểm tra văn bản", "warning")


# .ods (LibreOffice) -------------------------------------------------------------------------------


def test_ods_progress(gallery):
    sheet = only_sheet(gallery["ods_progress"])
    assert (sheet.sheet, sheet.header_row, sheet.year, sheet.quarter) == ("Quý III", 3, 2024, 3)
    assert mapped(sheet) == {
        "A": "code",  # «STT»
        "B": "title",
        "C": "lead_unit",  # «Đơn vị thực hiện»
        "D": "deadline_text",  # «Thời hạn hoàn thành»
        "E": "status_text",
        "F": "completed_on",
    }
    # Section I on row 4, «Tổng số» on row 8.
    assert sheet.excel_rows == [5, 6, 7]
    assert values(sheet.frame, "status") == ["done_on_time", "done", "in_progress"]
    assert values(sheet.frame, "completed_on") == [date(2024, 9, 20), date(2024, 10, 2), None]
    assert values(sheet.frame, "deadline") == [date(2024, 9, 30), date(2024, 9, 30), None]
    assert values(sheet.frame, "ongoing") == [False, False, True]


# CSV in three encodings -----------------------------------------------------------------------------

CSV_CASES = [
    # (gallery key, header row, data rows): UTF-8 has a blank line after its title.
    ("csv_utf8_bom", 3, [5, 6, 8, 9]),
    ("csv_cp1258", 2, [4, 5, 7, 8]),
    ("csv_utf16", 2, [4, 5, 7, 8]),
]


@pytest.mark.parametrize(("key", "header_row", "rows"), CSV_CASES)
def test_csv_encodings_give_the_same_rows(gallery, key, header_row, rows):
    sheet = only_sheet(gallery[key])
    assert (sheet.dataset, sheet.header_row, sheet.year) == ("tasks", header_row, 2024)
    assert sheet.excel_rows == rows
    assert values(sheet.frame, "code") == ["1", "2", "3", "4"]
    assert values(sheet.frame, "area") == ["I", "I", "II", "II"]
    assert values(sheet.frame, "title") == [
        "Rà soát, hệ thống hóa văn bản",  # a comma inside a quoted cell
        "Kiểm tra việc thực hiện quy định",
        "Triển khai dịch vụ công trực tuyến toàn trình",
        "Ứng dụng chữ ký số",
    ]
    assert is_nfc_and_trimmed(values(sheet.frame, "title"))
    assert values(sheet.frame, "lead_unit") == [
        "Phòng Tư pháp",
        "Phòng Tư pháp",
        "Văn phòng HĐND và UBND",
        "Phòng Văn hóa và Thông tin",
    ]
    assert values(sheet.frame, "deadline") == [date(2024, 3, 31), date(2024, 6, 30), date(2024, 12, 15), None]
    assert values(sheet.frame, "ongoing") == [False, False, False, True]
    assert values(sheet.frame, "status") == ["done", "done_on_time", "in_progress", "not_started"]


def test_cp1258_fixture_really_uses_combining_tone_marks(gallery):
    data = gallery["csv_cp1258"].read_bytes()
    # «ệ» of «hệ thống» is not in the code page: ê (0xEA) followed by the combining dot below (0xF2).
    assert b"h\xea\xf2" in data
    assert not data.startswith(codecs.BOM_UTF8)
    assert unicodedata.is_normalized("NFC", decode_text(data, "x.csv"))


def test_cp1258_helper_round_trips_every_vietnamese_letter():
    letters = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
    text = letters + letters.upper()
    with pytest.raises(UnicodeEncodeError):
        text.encode("cp1258")  # why the helper exists
    assert unicodedata.normalize("NFC", cp1258_bytes(text).decode("cp1258")) == text
    assert decode_text(cp1258_bytes(text), "x.csv") == text


def test_utf16_fixture_has_a_bom_and_tabs(gallery):
    data = gallery["csv_utf16"].read_bytes()
    assert data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    assert "\t" in data.decode("utf-16")
    assert CSV_TASK_ROWS[0][0] == "TT"


# Self-scoring table ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scores(gallery) -> SheetResult:
    return only_sheet(gallery["scores"])


def test_scores_detects_year_quarter_and_unit(scores):
    assert scores.dataset == "scores"
    assert scores.header_row == 6
    # Signed «ngày 10 tháng 01 năm 2025» above «… QUÝ IV NĂM 2024»: the report is about 2024.
    assert (scores.year, scores.quarter) == (2024, 4)
    assert scores.unit == "UBND xã Ba Tô"  # from «Đơn vị: UBND xã Ba Tô»
    assert set(values(scores.frame, "unit")) == {"UBND xã Ba Tô"}


def test_scores_rows_answers_and_total_row(scores):
    # «TỔNG ĐIỂM» on row 7 (just below the header) and the signature on row 16 are skipped.
    assert scores.excel_rows == [8, 9, 10, 11, 12, 13, 14]
    assert values(scores.frame, "code") == ["I", "1.1", "1.2", "1.3", "II", "2.1", "2.2"]
    assert values(scores.frame, "max_points") == [4.0, 1.0, 2.0, 1.0, 2.5, 2.0, 0.5]
    # «Có» -> the maximum (1), «1,75» -> 1.75, «Không» -> 0, «Không áp dụng» -> no points, flagged.
    assert values(scores.frame, "self_points") == [2.75, 1.0, 1.75, 0.0, 2.0, 2.0, None]
    assert values(scores.frame, "not_applicable") == [False] * 6 + [True]
    assert values(scores.frame, "appraised_points") == [None] * 7
    # The leaves add up to the file's own total: 1 + 1.75 + 0 + 2 = 4.75.
    leaves = scores.frame[scores.frame["code"].str.contains(".", regex=False)]
    assert leaves["self_points"].sum() == 4.75
    assert values(scores.frame, "evidence")[1] == "Kế hoạch số 12/KH-UBND"
    assert values(scores.frame, "explanation")[6] == "Không phát sinh"


# Dossier export ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dossiers(gallery) -> SheetResult:
    return only_sheet(gallery["dossiers"])


def test_dossiers_keep_ba_to_and_ba_to_apart(dossiers):
    assert (dossiers.dataset, dossiers.header_row, dossiers.year) == ("dossiers", 3, 2024)
    units = values(dossiers.frame, "unit")
    assert units == ["UBND thị trấn Ba Tơ", "UBND xã Ba Tô"] * 4
    assert len(set(units)) == 2  # «Ba Tơ» and «Ba Tô» differ only by a diacritic: two units


def test_dossier_whose_procedure_starts_like_a_signature_is_kept(dossiers):
    # Row 7: «Xác nhận …» starts like «XÁC NHẬN» of a signature block, but the row has a dossier id.
    assert values(dossiers.frame, "procedure")[3] == "Xác nhận tình trạng hôn nhân"
    assert len(dossiers.frame) == 8


def test_dossier_statuses_channels_apology_and_times(dossiers):
    assert dossiers.excel_rows == list(range(4, 12))
    assert values(dossiers.frame, "status") == [
        "resolved_early",
        "resolved_on_time",
        "resolved_late",
        "processing_in_time",
        "processing_overdue",
        "supplementing",
        "withdrawn",
        "resolved_on_time",
    ]
    assert values(dossiers.frame, "channel") == [
        "online",
        "direct",
        "online",
        "direct",
        "online",  # «Dịch vụ công trực tuyến»
        "direct",  # «Qua bưu chính»
        "direct",
        "online",
    ]
    assert values(dossiers.frame, "apology") == [None, None, True, None, False, None, None, None]
    # Received on 1 + i July (date-time cells on even rows, text «dd/mm/yyyy hh:mm» on odd rows).
    received = values(dossiers.frame, "received_at")
    assert [r.date() for r in received] == [date(2024, 7, 1 + i) for i in range(8)]
    assert values(dossiers.frame, "due_at") == [datetime(2024, 7, 10 + i, 17, 0) for i in range(8)]
    resolved = values(dossiers.frame, "resolved_at")
    assert resolved[0] == datetime(2024, 7, 9, 16, 30)
    assert resolved[3:7] == [None] * 4
    assert resolved[7] == datetime(2024, 7, 16, 16, 30)


# HTML table saved as .xls by a portal ---------------------------------------------------------------


def test_html_saved_as_xls_is_read_as_a_table(gallery):
    path = gallery["html_as_xls"]
    assert content_kind(path.read_bytes()) == "html"
    sheet = only_sheet(path)
    assert (sheet.dataset, sheet.header_row, sheet.year) == ("dossiers", 3, 2024)
    # Title row 1; «Ngày» spans three columns over «Tiếp nhận | Hẹn trả | Trả kết quả» (rows 2-3).
    assert mapped(sheet) == {
        "A": None,  # STT
        "B": "dossier_id",
        "C": "unit",
        "D": "procedure",
        "E": "received_at",
        "F": "due_at",
        "G": "resolved_at",
        "H": "status",
        "I": "channel",  # «Kênh&nbsp;nộp»
    }
    assert sheet.excel_rows == [4, 5, 6, 7, 8]
    units = values(sheet.frame, "unit")
    assert units[:3] == ["UBND xã Ba Tô", "UBND thị trấn Ba Tơ", "UBND xã Ba Tô"]  # NFD in the file
    assert is_nfc_and_trimmed(units)
    assert units[0] != nfd("UBND xã Ba Tô")
    assert values(sheet.frame, "received_at")[0] == datetime(2024, 7, 1, 8, 15)
    assert values(sheet.frame, "resolved_at")[:3] == [
        datetime(2024, 7, 2, 10, 0),
        datetime(2024, 7, 2, 16, 45),
        None,
    ]
    assert values(sheet.frame, "status") == [
        "resolved_early",
        "resolved_on_time",
        "processing_overdue",
        "resolved_on_time",  # «Đã trả kết quả»: returned 05/07 09:00, due 05/07 17:00 -> same day
        "resolved_late",  # «Đã giải quyết»: returned 09/07, due 08/07 -> one day late
    ]
    assert values(sheet.frame, "channel") == ["online", "direct", "online", "direct", "online"]
    [warning] = sheet.warnings
    assert warning.message.startswith("2 hồ sơ ghi «Đã giải quyết» không rõ thời hạn")


def test_one_scores_sheet_per_commune(gallery):
    result = parse_file(gallery["scores_by_commune"].read_bytes(), "tu_cham_cac_xa.xlsx")
    # No «Đơn vị:» line: in a workbook of several sheets the sheet name is the assessed unit.
    assert [(s.sheet, s.unit, s.year, s.quarter) for s in result.sheets] == [
        ("Thị trấn Ba Tơ", "Thị trấn Ba Tơ", 2024, 1),
        ("Xã Ba Tô", "Xã Ba Tô", 2024, 1),
    ]
    assert [values(s.frame, "self_points") for s in result.sheets] == [[2.0, 1.0, 1.0], [1.5, 0.5, 1.0]]


def test_workbook_renamed_csv_is_read_by_its_content(gallery):
    data = gallery["restarting_numbering"].read_bytes()
    result = parse_file(data, "nhiem_vu.csv")
    assert values(result.sheets[0].frame, "code") == ["I.1", "I.2", "II.1", "II.2", "III.1"]


def test_given_year_and_kind_override_detection(gallery):
    sheet = only_sheet(gallery["progress_report"], kind="tasks", year=2025)
    assert sheet.year == 2025
    # "Quý I" without a year now means the first quarter of 2025.
    assert values(sheet.frame, "deadline")[0] == date(2025, 3, 31)
