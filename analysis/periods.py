"""Calendar periods the reports speak of: quarters and month ends (one definition for every stage)."""

from __future__ import annotations

import calendar
from datetime import date


def month_end(year: int, month: int) -> date:
    """Last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_start(year: int, quarter: int) -> date:
    """First day of the quarter."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1..4, got {quarter!r}")
    return date(year, 3 * quarter - 2, 1)


def quarter_end(year: int, quarter: int) -> date:
    """Last day of the quarter (31/3, 30/6, 30/9, 31/12)."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1..4, got {quarter!r}")
    return month_end(year, quarter * 3)


def quarter_of(d: date) -> int:
    """Quarter (1..4) a date falls in."""
    return (d.month - 1) // 3 + 1
