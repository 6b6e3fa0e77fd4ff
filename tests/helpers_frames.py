"""Small frames written as tables: column names on one line, then a tuple per row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd


def table(columns: str, rows: Sequence[Sequence[Any]], **same: Any) -> pd.DataFrame:
    """A frame of `rows` under the space-separated `columns`; each keyword is a first column with one value."""
    frame = pd.DataFrame(list(rows), columns=columns.split())
    for position, (name, value) in enumerate(same.items()):
        frame.insert(position, name, value)
    return frame
