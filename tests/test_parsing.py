"""Free-text cell parsers: deadlines, dates, statuses, numbers, booleans, timestamps.

Every expected value is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest

from analysis.ingest import parsing
from analysis.ingest.parsing import (
    Deadline,
    ParseError,
    parse_bool,
    parse_channel,
    parse_date,
    parse_deadline,
    parse_dossier_status,
    parse_number,
    parse_task_status,
    parse_timestamp,
)

# Excel serials: 1 Jan 2024 is serial 45292 (days since 30 Dec 1899). 30 June 2024 is day 182 of the
# leap year 2024 (31+29+31+30+31+30 = 182), so its serial is 45292 + 181 = 45473.
SERIAL_2024_06_30 = 45473


def forms(inputs_by_result: dict) -> list[tuple]:
    """(input, expected) pairs from {expected result or error message: [the inputs that give it]}."""
    return [(text, result) for result, texts in inputs_by_result.items() for text in texts]


# Deadlines ----------------------------------------------------------------------------------------

# Every form of the domain note, plan year 2024. A period means its last day.
DEADLINE_FORMS_2024 = [
    ("Quý I", date(2024, 3, 31)),  # Q1 = Jan-Mar, March has 31 days
    ("Quý II", date(2024, 6, 30)),  # Q2 ends with June (30 days)
    ("Quý III", date(2024, 9, 30)),  # Q3 ends with September (30 days)
    ("Quý IV", date(2024, 12, 31)),
    ("Quý II/2024", date(2024, 6, 30)),
    ("Quý 2/2024", date(2024, 6, 30)),  # Arabic numeral
    ("Q2/2024", date(2024, 6, 30)),
    ("Tháng 6/2024", date(2024, 6, 30)),
    ("Tháng 6 năm 2024", date(2024, 6, 30)),
    ("Tháng 12/2024", date(2024, 12, 31)),
    ("Trước 15/12/2024", date(2024, 12, 15)),  # "before 15/12" = that day itself
    ("Trước ngày 15/12/2024", date(2024, 12, 15)),
    ("30/6/2024", date(2024, 6, 30)),
    ("30-06-2024", date(2024, 6, 30)),
    ("30/6/24", date(2024, 6, 30)),  # two-digit year
    ("ngày 15 tháng 12 năm 2024", date(2024, 12, 15)),  # long form names a day, not the month end
    ("6 tháng đầu năm", date(2024, 6, 30)),  # first half year
    ("9 tháng đầu năm", date(2024, 9, 30)),
    ("6 tháng cuối năm", date(2024, 12, 31)),
    ("Cuối năm 2024", date(2024, 12, 31)),
    ("Năm 2024", date(2024, 12, 31)),
    ("Trong năm 2024", date(2024, 12, 31)),
    ("Trong năm", date(2024, 12, 31)),
]


@pytest.mark.parametrize(("text", "expected"), DEADLINE_FORMS_2024)
def test_deadline_forms_mean_the_last_day_of_their_period(text, expected):
    assert parse_deadline(text, 2024) == Deadline(expected)


def test_deadline_excel_date_cell_and_serial_number():
    assert parse_deadline(date(2024, 9, 30), 2024) == Deadline(date(2024, 9, 30))
    assert parse_deadline(datetime(2024, 9, 30, 0, 0), 2024) == Deadline(date(2024, 9, 30))
    assert parse_deadline(SERIAL_2024_06_30, 2024) == Deadline(date(2024, 6, 30))
    assert parse_deadline(float(SERIAL_2024_06_30), 2024) == Deadline(date(2024, 6, 30))
    assert parse_deadline(str(SERIAL_2024_06_30), 2024) == Deadline(date(2024, 6, 30))


def test_deadline_as_a_bare_year_number_cell():
    # A cell typed as the number 2024 comes out of the reader as 2024.0: the whole year 2024.
    assert parse_deadline(2024.0, 2023) == Deadline(date(2024, 12, 31))
    assert parse_deadline(2024, 2023) == Deadline(date(2024, 12, 31))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quý I", date(2025, 3, 31)),
        ("Tháng 6", date(2025, 6, 30)),
        ("Trước 15/12", date(2025, 12, 15)),
        ("30/6", date(2025, 6, 30)),
        ("6 tháng đầu năm", date(2025, 6, 30)),
    ],
)
def test_deadline_without_a_year_takes_the_plan_year(text, expected):
    assert parse_deadline(text, 2025) == Deadline(expected)


def test_deadline_with_its_own_year_ignores_the_plan_year():
    # A 2024 plan may set tasks due in 2025.
    assert parse_deadline("Quý I/2025", 2024) == Deadline(date(2025, 3, 31))
    assert parse_deadline("Quý II năm 2025", 2024) == Deadline(date(2025, 6, 30))
    # A day/month without a year takes the year written elsewhere in the text.
    assert parse_deadline("Trước 15/12 năm 2025", 2024) == Deadline(date(2025, 12, 15))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quý I, II", date(2024, 6, 30)),  # the last quarter named
        ("Quý I và quý III/2024", date(2024, 9, 30)),
        ("Tháng 6 và tháng 12", date(2024, 12, 31)),
        ("Từ tháng 3 đến tháng 6/2024", date(2024, 6, 30)),
        ("Từ 01/3/2024 đến 30/6/2024", date(2024, 6, 30)),
        ("Từ 15/3 - 30/6/2024", date(2024, 6, 30)),  # not 15/3/2030
    ],
)
def test_deadline_naming_several_periods_is_the_last_one(text, expected):
    assert parse_deadline(text, 2024) == Deadline(expected)


@pytest.mark.parametrize("text", ["Thường xuyên", "thường xuyên", "Hằng quý", "Hàng tháng", "Định kỳ"])
def test_ongoing_deadlines(text):
    assert parse_deadline(text, 2024) == Deadline(None, ongoing=True)


@pytest.mark.parametrize("text", ["Theo quy định", "Theo yêu cầu", "Theo chỉ đạo của UBND tỉnh"])
def test_deadlines_without_a_fixed_date(text):
    parsed = parse_deadline(text, 2024)
    assert parsed == Deadline(None, ongoing=False)
    assert not parsed.fixed


def test_deadline_text_in_nfd_and_with_odd_spaces():
    assert parse_deadline(unicodedata.normalize("NFD", "Quý II/2024"), 2024) == Deadline(date(2024, 6, 30))
    assert parse_deadline("\u00a0Tháng  6 / 2024 ", 2024) == Deadline(date(2024, 6, 30))
    assert parse_deadline(unicodedata.normalize("NFD", "Thường xuyên"), 2024).ongoing


BAD_DEADLINES = {
    "không hiểu thời hạn": ["Sớm nhất có thể", "Quý 5", "???"],
    "tháng 13 không tồn tại": ["Tháng 13/2024"],
    "ngày không tồn tại": ["31/02/2024"],
    "thời hạn để trống": [""],
}


@pytest.mark.parametrize(("text", "message"), forms(BAD_DEADLINES))
def test_bad_deadlines_raise_in_vietnamese(text, message):
    with pytest.raises(ParseError, match=message):
        parse_deadline(text, 2024)


# Leap years ---------------------------------------------------------------------------------------


def test_leap_years():
    # 2024 is divisible by 4 (and not a century): February has 29 days; 2023 is not a leap year.
    assert parse_deadline("Tháng 2/2024", 2024) == Deadline(date(2024, 2, 29))
    assert parse_deadline("Tháng 2", 2024) == Deadline(date(2024, 2, 29))
    assert parse_deadline("Tháng 2/2023", 2024) == Deadline(date(2023, 2, 28))
    assert parse_deadline("Tháng 2", 2023) == Deadline(date(2023, 2, 28))
    assert parse_date("29/02/2024") == date(2024, 2, 29)
    assert parse_date("29/2", default_year=2024) == date(2024, 2, 29)
    with pytest.raises(ParseError, match="ngày không tồn tại"):
        parse_date("29/02/2023")
    with pytest.raises(ParseError, match="ngày không tồn tại"):
        parse_deadline("29/2", 2023)
    # Serial 45351: 1 Jan 2024 is 45292, +59 days -> 29 Feb 2024 (31 days of January + 28 -> day 60).
    assert parse_date(45351) == date(2024, 2, 29)


# Dates --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        *"30/6/2024 30/06/2024 30-06-2024 30.06.2024 30/6/24 2024-06-30 2024/06/30".split(),
        "ngày 30 tháng 6 năm 2024",
        SERIAL_2024_06_30,
        float(SERIAL_2024_06_30),
        "45473",
        date(2024, 6, 30),
        datetime(2024, 6, 30, 15, 45),
    ],
)
def test_parse_date_forms_of_30_june_2024(value):
    assert parse_date(value) == date(2024, 6, 30)


@pytest.mark.parametrize("value", [None, "", "  "])
def test_parse_date_of_an_empty_cell_is_none(value):
    assert parse_date(value) is None


@pytest.mark.parametrize("value", ["hôm qua", "32/7/2024", "31/02/2024", "30/13/2024"])
def test_parse_date_rejects(value):
    with pytest.raises(ParseError):
        parse_date(value)


# Timestamps ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("05/07/2024 14:30", datetime(2024, 7, 5, 14, 30)),
        ("05/07/2024 08:05:09", datetime(2024, 7, 5, 8, 5, 9)),
        ("2024-07-05 14:30:00", datetime(2024, 7, 5, 14, 30)),
        ("14h30 05/07/2024", datetime(2024, 7, 5, 14, 30)),
        ("05/07/2024", datetime(2024, 7, 5)),
        # 45478 = 45473 + 5 -> 5 July 2024; .5 of a day = 12:00.
        (45478.5, datetime(2024, 7, 5, 12, 0)),
        # 14:30 = 870 min / 1440 = 0.6041666…: float noise must not give 14:29:59.999.
        (45478 + 870 / 1440, datetime(2024, 7, 5, 14, 30)),
        (datetime(2024, 7, 5, 9, 1), datetime(2024, 7, 5, 9, 1)),
        (date(2024, 7, 5), datetime(2024, 7, 5)),
    ],
)
def test_parse_timestamp(value, expected):
    assert parse_timestamp(value) == expected


@pytest.mark.parametrize("value", [None, ""])
def test_parse_timestamp_of_an_empty_cell_is_none(value):
    assert parse_timestamp(value) is None


@pytest.mark.parametrize(
    ("value", "message"), [("05/07/2024 25:00", "giờ không hợp lệ"), ("sáng nay", "ngày giờ")]
)
def test_parse_timestamp_rejects(value, message):
    with pytest.raises(ParseError, match=message):
        parse_timestamp(value)


# Task and dossier statuses ------------------------------------------------------------------------


TASK_STATUS_TEXTS = {
    "done": ["Đã hoàn thành", "Hoàn thành"],
    "done_on_time": ["Hoàn thành đúng hạn", "Đã hoàn thành trước hạn", "HOÀN THÀNH ĐÚNG HẠN"],
    "done_late": [
        "Hoàn thành quá hạn",
        "Hoàn thành trễ hạn",
        "Hoàn thành (chậm 5 ngày)",
        "  Hoàn thành trễ hạn\u00a0",
    ],
    "in_progress": ["Đang thực hiện", "Đang triển khai"],
    "not_started": ["Chưa thực hiện", "Chưa triển khai", unicodedata.normalize("NFD", "Chưa thực hiện")],
    "open_in_time": ["Chưa hoàn thành trong hạn", "Chưa đến hạn"],
    "open_overdue": ["Chưa hoàn thành quá hạn", "Quá hạn"],
}
DOSSIER_STATUS_TEXTS = {
    "processing_in_time": ["Đang xử lý còn hạn", "Đang xử lý"],
    "processing_overdue": ["Đang xử lý quá hạn"],
    "supplementing": ["Đang bổ sung", "Chờ bổ sung"],
    "resolved_early": ["Đã giải quyết trước hạn", "Đã giải quyết sớm hạn"],
    # "huyện" contains the letters of "hủy" once accents are gone: still on time, not withdrawn.
    "resolved_on_time": ["Đã giải quyết đúng hạn", "Đã giải quyết đúng hạn (cấp huyện)"],
    "resolved_late": ["Đã giải quyết quá hạn", "Đã trả kết quả trễ hạn"],
    "withdrawn": ["Rút không giải quyết", "Hủy"],
}


@pytest.mark.parametrize(
    ("parse", "text", "expected"),
    [(parse_task_status, *case) for case in forms(TASK_STATUS_TEXTS)]
    + [(parse_dossier_status, *case) for case in forms(DOSSIER_STATUS_TEXTS)],
)
def test_task_and_dossier_statuses(parse, text, expected):
    assert parse(text) == expected


def test_task_status_empty_and_unknown():
    assert parse_task_status("") is None
    assert parse_task_status(None) is None
    assert parse_task_status("-") is None  # a dash means nothing reported
    for bad in ("Tạm dừng", "???"):
        with pytest.raises(ParseError, match="không nhận ra tình trạng"):
            parse_task_status(bad)


BAD_DOSSIER_STATUSES = {
    "không rõ trước hạn, đúng hạn hay quá hạn": ["Đã giải quyết"],
    "không nhận ra trạng thái hồ sơ": ["Lưu trữ", "???"],
    "để trống": [""],
}


@pytest.mark.parametrize(("text", "message"), forms(BAD_DOSSIER_STATUSES))
def test_dossier_status_rejects(text, message):
    with pytest.raises(ParseError, match=message):
        parse_dossier_status(text)


def test_dossier_status_resolved_without_timing_can_be_left_to_the_dates():
    assert parse_dossier_status("Đã trả kết quả", unqualified=True) == parsing.RESOLVED_UNQUALIFIED
    assert parse_dossier_status("Đã giải quyết đúng hạn", unqualified=True) == "resolved_on_time"
    # "Chưa hoàn thành" is still being processed, not resolved.
    assert parse_dossier_status("Chưa hoàn thành") == "processing_in_time"


def test_channels():
    assert parse_channel("Trực tuyến") == "online"
    assert parse_channel("Dịch vụ công trực tuyến") == "online"
    assert parse_channel("Trực tiếp") == "direct"
    assert parse_channel("Qua bưu chính") == "direct"
    assert parse_channel("") is None
    with pytest.raises(ParseError):
        parse_channel("Fax")


# Numbers and booleans -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1,5", 1.5),  # Vietnamese decimal comma
        ("1.5", 1.5),
        ("0,25", 0.25),
        (" 2 ", 2.0),
        ("\u00a01,75", 1.75),
        (2, 2.0),
        (0.5, 0.5),
        ("-0,5", -0.5),
    ],
)
def test_parse_number(value, expected):
    assert parse_number(value) == expected


@pytest.mark.parametrize("value", ["", None, "-", "—"])
def test_parse_number_of_an_empty_cell_is_none(value):
    assert parse_number(value) is None


@pytest.mark.parametrize("value", ["một", "1.5đ", "1,5,2", True, "2 điểm"])
def test_parse_number_rejects(value):
    with pytest.raises(ParseError, match="không phải số"):
        parse_number(value)


BOOL_CELLS = {
    True: ["Có", "có", "x", "Đã xin lỗi", 1, True],
    False: ["Không", "Chưa", 0],
    None: ["", None, "-"],
}


@pytest.mark.parametrize(("value", "expected"), forms(BOOL_CELLS))
def test_parse_bool(value, expected):
    assert parse_bool(value) is expected


@pytest.mark.parametrize("value", ["Có lẽ", "???"])
def test_parse_bool_rejects(value):
    with pytest.raises(ParseError, match="«Có» hoặc «Không»"):
        parse_bool(value)


def test_not_applicable_and_roman_numerals():
    assert parsing.is_not_applicable("Không áp dụng")
    assert parsing.is_not_applicable("KAD")
    assert not parsing.is_not_applicable("Không")
    numerals = ("I", "ii.", "IV", "VIII", "x", "A", "1")
    assert [parsing.roman_to_int(t) for t in numerals] == [1, 2, 4, 8, 10, None, None]


def test_is_blank():
    assert parsing.is_blank("")
    assert parsing.is_blank(None)
    assert parsing.is_blank(" - ")
    assert parsing.is_blank("…")
    assert not parsing.is_blank("???")
    assert not parsing.is_blank(0)
