"""The small helpers every stage shares: Vietnamese formatting, text keys, Roman numerals, quarters."""

from __future__ import annotations

import math
import unicodedata
from datetime import date, datetime

import pandas as pd
import pytest

from analysis import fmt, periods, text

# Formatting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (85.5, 2, "85,5"),  # trailing zero trimmed
        (85.0, 2, "85"),
        (1234.5, 1, "1.234,5"),  # dot groups thousands, comma marks decimals
        (1234567, 0, "1.234.567"),
        (0.125, 2, "0,12"),  # Python rounds half to even at this digit: 0.125 -> 0.12
        (-2.25, 2, "-2,25"),
        (None, 2, "—"),
        (math.nan, 2, "—"),
    ],
)
def test_num_is_vietnamese(value, decimals, expected):
    assert fmt.num(value, decimals) == expected


def test_num_without_trimming_keeps_the_decimals():
    assert fmt.num(80.0, 1, trim=False) == "80,0"


def test_pct_points_and_dates():
    assert fmt.pct(0.825) == "82,5 %"
    assert fmt.pct(28 / 31) == "90,3 %"  # 90.322… rounded to one decimal
    assert fmt.pct(None) == "—"
    assert fmt.points(1.75) == "1,75 điểm"
    assert fmt.vdate(date(2024, 6, 30)) == "30/06/2024"
    assert fmt.vdate(datetime(2024, 1, 5, 17, 30)) == "05/01/2024"
    assert fmt.vdate(pd.NaT) == "—" and fmt.vdate(None) == "—"


@pytest.mark.parametrize(
    ("quarter", "expected"), [(1, "Quý I"), (2, "Quý II"), (3, "Quý III"), (4, "Quý IV")]
)
def test_quarter_label_uses_roman_numerals(quarter, expected):
    assert fmt.quarter_label(quarter) == expected
    assert fmt.quarter_label(quarter, 2024) == f"{expected}/2024"


# Missing values and text -----------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, math.nan, pd.NA, pd.NaT, float("nan")])
def test_missing_values(value):
    assert text.is_missing(value) and fmt.is_missing(value)


@pytest.mark.parametrize("value", ["", 0, 0.0, False, "—", [1, 2]])
def test_values_that_are_not_missing(value):
    assert not text.is_missing(value)


def test_clean_normalises_nfc_and_spaces():
    decomposed = unicodedata.normalize("NFD", "Ba Tơ")
    assert decomposed != "Ba Tơ"
    assert text.clean(f"  {decomposed}\u00a0\n ") == "Ba Tơ"


def test_fold_strips_accents_only_for_matching_headers():
    assert text.fold("Đơn vị chủ trì") == "don vi chu tri"
    assert text.fold("Thời hạn (ngày)") == "thoi han ngay"


def test_name_key_keeps_accents_so_ba_to_and_ba_to_differ():
    assert text.name_key(" BA TƠ ") == text.name_key("Ba Tơ") == "ba tơ"
    assert text.name_key("Ba Tô") != text.name_key("Ba Tơ")
    assert text.name_key(None) == "" and text.name_key(math.nan) == ""
    assert text.same_name("Phòng Nội vụ", "phòng nội vụ")
    assert not text.same_name("Xã Ba Tơ", "Xã Ba Tô")


@pytest.mark.parametrize(
    ("numeral", "expected"),
    [
        ("I", 1),
        ("iv", 4),
        ("VIII", 8),
        ("IX.", 9),
        ("XX", 20),
        ("XXI", None),
        ("IIII", None),
        ("1", None),
        ("", None),
    ],
)
def test_roman_to_int(numeral, expected):
    assert text.roman_to_int(numeral) == expected


def test_roman_order_sorts_areas_numerically_then_other_text():
    areas = ["X", "II", "Khác", "IX", "I", None]
    assert sorted(areas, key=text.roman_order) == ["I", "II", "IX", "X", None, "Khác"]


# Periods ---------------------------------------------------------------------------------------


def test_quarters():
    assert [periods.quarter_end(2024, q) for q in (1, 2, 3, 4)] == [
        date(2024, 3, 31),
        date(2024, 6, 30),
        date(2024, 9, 30),
        date(2024, 12, 31),
    ]
    assert periods.quarter_start(2024, 3) == date(2024, 7, 1)
    assert [periods.quarter_of(date(2024, m, 1)) for m in (1, 3, 4, 6, 7, 12)] == [1, 1, 2, 2, 3, 4]
    assert periods.month_end(2024, 2) == date(2024, 2, 29)  # leap year
    assert periods.month_end(2023, 2) == date(2023, 2, 28)
    with pytest.raises(ValueError):
        periods.quarter_end(2024, 5)
