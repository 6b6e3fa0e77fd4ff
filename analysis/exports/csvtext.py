"""CSV that people open in a spreadsheet program: text that would run as a formula is neutralised.

A cell such as «=HYPERLINK(...)» or «@SUM(...)» typed in a task title would otherwise run when the
CSV is opened in Excel (CSV injection). Such text gets a leading apostrophe, which Excel shows as
text and does not display; numbers stay numbers.
"""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """'=1+1' -> "'=1+1"; any other value unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def for_people(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of frame whose text cells are neutralised (numeric, date and boolean columns untouched)."""
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            out[name] = column.map(neutralise).astype(object)
    return out
