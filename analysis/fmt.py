"""Vietnamese number and date formatting for everything a user reads (85,5; 1.234; 30/06/2024)."""

from __future__ import annotations

import math
from datetime import date, datetime

from analysis.text import ROMAN_NUMERALS, is_missing

__all__ = ["is_missing", "num", "pct", "points", "quarter_label", "vdate"]


def num(value: float | int | None, decimals: int = 2, *, trim: bool = True) -> str:
    """Format a number the Vietnamese way: '.' groups thousands, ',' marks decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{value:,.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    # Swap separators via a placeholder: 1,234.5 -> 1.234,5
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def pct(ratio: float | None, decimals: int = 1) -> str:
    """A ratio (0.825) as a Vietnamese percentage ('82,5 %')."""
    if ratio is None or (isinstance(ratio, float) and math.isnan(ratio)):
        return "—"
    return f"{num(ratio * 100, decimals)} %"


def points(value: float | None) -> str:
    """Index points, at most two decimals ('1,75 điểm')."""
    return f"{num(value, 2)} điểm"


def vdate(value: date | datetime | None) -> str:
    """A date as dd/mm/yyyy."""
    if value is None:
        return "—"
    try:
        if value != value:  # NaT
            return "—"
    except TypeError:
        pass
    return value.strftime("%d/%m/%Y")


def quarter_label(quarter: int, year: int | None = None) -> str:
    """'Quý II/2024' (Roman numerals, as in official reports)."""
    label = f"Quý {ROMAN_NUMERALS[quarter - 1]}"
    return f"{label}/{year}" if year else label


def vi(message: object) -> str:
    """The Vietnamese part of a bilingual message («… / English …»): pages speak Vietnamese only."""
    return str(message).split(" / ", 1)[0]
