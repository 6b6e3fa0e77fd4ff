"""Excel workbooks for people: Vietnamese headers and values, ratios as percentages, text kept as text."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from analysis.engine._frames import (
    _code_order,
    _missing,
)
from analysis.schema import (
    CHANNELS,
    DOSSIER_STATUSES,
    REPORT_LABELS,
    TASK_STATES,
    TASK_STATUSES,
    UNIT_KINDS,
    dataset,
)
from analysis.text import clean

RATIO_COLUMNS = frozenset(
    {"done_ratio_of_due", "done_ratio_of_assigned", "on_time_rate", "online_rate"}
    | {
        REPORT_LABELS[c]
        for c in ("done_ratio_of_due", "done_ratio_of_assigned", "on_time_rate", "online_rate")
    }
)
VALUE_LABELS: dict[str, dict[str, str]] = {
    "state": dict(TASK_STATES),
    "status": {**TASK_STATUSES, **DOSSIER_STATUSES},
    "kind": dict(UNIT_KINDS),
    "channel": dict(CHANNELS),
}
TASK_EXPORT_COLUMNS = [
    "code",
    "area",
    "title",
    "lead_unit",
    "co_units",
    "deadline_text",
    "deadline",
    "state",
    "completed_on",
    "days_overdue",
    "criterion",
    "product",
    "note",
    "amendment",  # the approved amendment, when the plan was amended (engine.amendments)
]
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def late_units_for_export(df: pd.DataFrame) -> pd.DataFrame:
    """late_units with Vietnamese headers and unit kinds; dossier columns dropped when all empty."""
    frame = df.copy()
    for column in ("late_dossiers", "late_without_apology", "on_time_rate"):
        if column in frame.columns and frame[column].isna().all() and len(frame):
            frame = frame.drop(columns=column)
    if "kind" in frame.columns:
        frame["kind"] = [UNIT_KINDS.get(k, k) for k in frame["kind"]]
    labels = {**REPORT_LABELS, "open_overdue": "Số nhiệm vụ chưa hoàn thành quá hạn"}
    return frame.rename(columns={c: labels.get(c, c) for c in frame.columns})


def task_list_for_export(tasks: pd.DataFrame) -> pd.DataFrame:
    """year_view.task_list output with the columns people read, Vietnamese headers and state names."""
    columns = [c for c in TASK_EXPORT_COLUMNS if c in tasks.columns]
    frame = tasks[columns].copy()
    if "code" in frame.columns:
        frame = frame.iloc[sorted(range(len(frame)), key=lambda i: _code_order(frame["code"].iloc[i]))]
    if "state" in frame.columns:
        frame["state"] = [TASK_STATES.get(s, s) for s in frame["state"]]
    labels = {c: REPORT_LABELS.get(c) or _schema_label(c) or c for c in frame.columns}
    labels["criterion"] = "Mã tiêu chí"
    return frame.reset_index(drop=True).rename(columns=labels)


def _schema_label(column: str) -> str | None:
    for name in ("tasks", "dossiers", "scores", "framework", "units"):
        try:
            return dataset(name).column(column).label
        except KeyError:
            continue
    return None


def _header(column: Any) -> str:
    text = str(column)
    return REPORT_LABELS.get(text) or _schema_label(text) or text


def _sheet_names(keys: Iterable[str]) -> list[str]:
    names: list[str] = []
    for i, key in enumerate(keys, start=1):
        base = _SHEET_BAD.sub("-", clean(key)).strip("'") or f"Trang {i}"
        name, n = base[:31], 2
        while name.casefold() in {x.casefold() for x in names}:
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        names.append(name)
    return names


def _cell_value(value: Any, labels: dict[str, str] | None) -> Any:
    """A plain Python value for xlsxwriter (None for blanks)."""
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(v) for v in value)
    if _missing(value):
        return None
    if isinstance(value, (bool, np.bool_)):
        return "Có" if value else "Không"
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if labels is not None and isinstance(value, str):
        return labels.get(value, value)
    return value


def _display_length(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, (date, datetime)):
        return 16 if isinstance(value, datetime) and value.time() != datetime.min.time() else 10
    if isinstance(value, float):
        return len(f"{value:,.2f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def to_excel_bytes(frames: dict[str, pd.DataFrame], title: str, *, subtitle: str | None = None) -> bytes:
    """An .xlsx with one sheet per frame: title row (and subtitle), bold frozen Vietnamese headers,
    dates as dd/mm/yyyy, ratios as percentages, column widths fitted to the content.

    Canonical column names get their Vietnamese header and coded values (task states, statuses,
    unit kinds, channels) their Vietnamese names; columns already in Vietnamese are kept.
    """
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    title_fmt = book.add_format({"bold": True, "font_size": 14})
    subtitle_fmt = book.add_format({"italic": True, "font_color": "#555555"})
    header_fmt = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "vcenter", "bg_color": "#E8EEF4", "border": 1}
    )
    formats = {
        "date": book.add_format({"num_format": "dd/mm/yyyy"}),
        "datetime": book.add_format({"num_format": "dd/mm/yyyy hh:mm"}),
        "percent": book.add_format({"num_format": "0.0%"}),
        "float": book.add_format({"num_format": "#,##0.00"}),
        "int": book.add_format({"num_format": "0"}),
        "text": book.add_format({"text_wrap": False}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
    }
    if not frames:
        frames = {"Trang 1": pd.DataFrame()}
    header_row = 2
    for name, frame in zip(_sheet_names(frames.keys()), frames.values(), strict=True):
        if not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None:
            frame = frame.reset_index()
        sheet = book.add_worksheet(name)
        sheet.write(0, 0, title, title_fmt)
        if subtitle:
            sheet.write(1, 0, subtitle, subtitle_fmt)
        sheet.set_row(header_row, 36)
        for col, column in enumerate(frame.columns):
            header = _header(column)
            sheet.write(header_row, col, header, header_fmt)
            labels = VALUE_LABELS.get(str(column))
            values = [_cell_value(v, labels) for v in frame[column].tolist()]
            with_time = any(isinstance(v, datetime) and v.time() != datetime.min.time() for v in values)
            is_ratio = str(column) in RATIO_COLUMNS
            is_float = any(isinstance(v, float) for v in values)
            is_int = pd.api.types.is_integer_dtype(frame[column].dtype)
            width = max([_display_length(v) for v in values] + [min(len(header), 24), 6]) + 2
            wrap = width > 60
            for row, value in enumerate(values, start=header_row + 1):
                if value is None:
                    sheet.write_blank(row, col, None)
                elif isinstance(value, (datetime, date)):
                    if not isinstance(value, datetime):
                        value = datetime(value.year, value.month, value.day)
                    sheet.write_datetime(row, col, value, formats["datetime" if with_time else "date"])
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    if isinstance(value, float) and not math.isfinite(value):
                        sheet.write_blank(row, col, None)
                    elif is_ratio:
                        sheet.write_number(row, col, value, formats["percent"])
                    elif is_int or (not is_float and isinstance(value, int)):
                        sheet.write_number(row, col, value, formats["int"])
                    else:
                        sheet.write_number(row, col, value, formats["float"])
                else:
                    sheet.write_string(row, col, str(value), formats["wrap" if wrap else "text"])
            sheet.set_column(col, col, min(width, 60))
        sheet.freeze_panes(header_row + 1, 0)
        if len(frame.columns):
            sheet.autofilter(header_row, 0, header_row + max(len(frame), 1), len(frame.columns) - 1)
    book.close()
    return buffer.getvalue()
