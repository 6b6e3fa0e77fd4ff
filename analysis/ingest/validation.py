"""The validation report of a file that cannot be loaded: a table, and a workbook to send back to the unit.

The workbook copies the original sheets' cell values, fills every offending cell red with the
problem as a cell comment, and opens with a sheet «Danh sách lỗi» listing every problem.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd
import xlsxwriter

from analysis.errors import IngestError, Problem
from analysis.ingest.readers import Grid

PROBLEM_COLUMNS = ["Trang tính", "Ô", "Cột", "Giá trị", "Lỗi", "Cần"]
LIST_SHEET = "Danh sách lỗi"
ERROR_FILL = "#FFC7CE"
ERROR_FONT = "#9C0006"
WARNING_FILL = "#FFEB9C"
MAX_COPIED_CELLS = 2_000_000  # beyond this only the problem list is written (a report, not a backup)


def _ordered(problems: Sequence[Problem]) -> list[Problem]:
    """Sheet by sheet in the order they first appear, then top to bottom, left to right."""
    sheets: dict[str | None, int] = {}
    for p in problems:
        sheets.setdefault(p.sheet, len(sheets))
    return sorted(
        problems,
        key=lambda p: (sheets[p.sheet], -1 if p.row is None else p.row, -1 if p.col is None else p.col),
    )


def _value_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_EMBEDDED_EXPECTED = re.compile(r"\s*\(cần: (.*)\)\s*\.?$")


def message_and_expected(problem: Problem) -> tuple[str, str]:
    """The problem's message as a sentence and what is expected (some messages carry it in brackets)."""
    message, expected = problem.message.strip(), problem.expected
    m = _EMBEDDED_EXPECTED.search(message)
    if m and not expected:
        message, expected = message[: m.start()].strip(), m.group(1)
    message = message[:1].upper() + message[1:]
    if message and message[-1] not in ".!?":
        message += "."
    return message, expected


def problems_frame(problems: Sequence[Problem]) -> pd.DataFrame:
    """Every problem as a row: Trang tính | Ô | Cột | Giá trị | Lỗi | Cần (in reading order)."""
    rows = []
    for p in _ordered(problems):
        message, expected = message_and_expected(p)
        rows.append(
            {
                "Trang tính": p.sheet or "",
                "Ô": p.cell,
                "Cột": p.column or "",
                "Giá trị": _value_text(p.value),
                "Lỗi": message,
                "Cần": expected,
            }
        )
    return pd.DataFrame(rows, columns=PROBLEM_COLUMNS)


def _sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unused Excel sheet name (31 characters, none of []:*?/\\)."""
    base = re.sub(r"[\[\]:*?/\\]", "_", name).strip("'") or "Trang tính"
    base = base[:31]
    candidate, n = base, 2
    while candidate.casefold() in {t.casefold() for t in taken}:
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(candidate)
    return candidate


def _grids(original: bytes, filename: str) -> list[Grid]:
    from analysis.ingest.worker import read_grids_isolated  # local: the worker imports the parser

    try:
        # In a child process: the file failed to load, and may be one that stops its reader.
        return read_grids_isolated(original, filename)
    except IngestError:
        return []  # an unreadable file: the report is the problem list alone


class _Report:
    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(
            self.buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
        )
        f = self.book.add_format
        self.f_title = f({"bold": True, "font_size": 13})
        self.f_header = f(
            {"bold": True, "border": 1, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top"}
        )
        self.f_wrap = f({"text_wrap": True, "valign": "top"})
        self.f_link = f({"font_color": "#0563C1", "underline": 1, "valign": "top"})
        self.f_error = f(
            {"bg_color": ERROR_FILL, "font_color": ERROR_FONT, "border": 1, "border_color": ERROR_FONT}
        )
        self.f_warning = f({"bg_color": WARNING_FILL, "border": 1})
        self.f_date = f({"num_format": "dd/mm/yyyy"})
        self.f_datetime = f({"num_format": "dd/mm/yyyy hh:mm"})
        self.f_time = f({"num_format": "hh:mm"})
        self.f_error_date = f(
            {
                "bg_color": ERROR_FILL,
                "font_color": ERROR_FONT,
                "num_format": "dd/mm/yyyy",
                "border": 1,
                "border_color": ERROR_FONT,
            }
        )

    def write_value(self, ws: Any, r: int, c: int, value: Any, bad: bool) -> None:
        cell_format = self.f_error if bad else None
        if value is None or value == "":
            if bad:
                ws.write_blank(r, c, None, cell_format)
            return
        if isinstance(value, bool):
            ws.write_boolean(r, c, value, cell_format)
        elif isinstance(value, (int, float)):
            ws.write_number(r, c, value, cell_format)
        elif isinstance(value, datetime):
            ws.write_datetime(r, c, value, self.f_error_date if bad else self.f_datetime)
        elif isinstance(value, date):
            ws.write_datetime(
                r, c, datetime(value.year, value.month, value.day), self.f_error_date if bad else self.f_date
            )
        elif isinstance(value, time):
            ws.write_datetime(r, c, value, cell_format or self.f_time)
        elif isinstance(value, timedelta):
            ws.write_number(r, c, value.total_seconds() / 86400, cell_format or self.f_time)
        else:
            ws.write_string(r, c, str(value), cell_format)

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def _comment(problems: list[Problem]) -> str:
    lines = []
    for p in problems:
        line, expected = message_and_expected(p)
        if expected:
            line += f" Cần: {expected}."
        lines.append(line)
    return "\n".join(lines)[:30000]


def report_workbook(original: bytes, filename: str, problems: Sequence[Problem]) -> bytes:
    """An .xlsx to send back: «Danh sách lỗi» first, then the original sheets with the bad cells marked."""
    report = _Report()
    book = report.book
    ordered = _ordered(problems)
    grids = _grids(original, filename)
    taken = {LIST_SHEET}
    names = {g.name: _sheet_name(g.name, taken) for g in grids}
    if sum(len(r) for g in grids for r in g.rows) > MAX_COPIED_CELLS:
        grids = []

    # The list of problems, each address linking to its cell.
    ws = book.add_worksheet(LIST_SHEET)
    ws.write(0, 0, f"DANH SÁCH LỖI CỦA TỆP «{filename}»", report.f_title)
    ws.write(
        1,
        0,
        f"{len(ordered)} lỗi. Các ô có lỗi được tô đỏ ở các trang tính sau; di chuột vào ô để xem ghi chú.",
    )
    heads = ["STT", *PROBLEM_COLUMNS]
    for c, text in enumerate(heads):
        ws.write(3, c, text, report.f_header)
    for i, p in enumerate(ordered):
        r = 4 + i
        ws.write_number(r, 0, i + 1, report.f_wrap)
        ws.write_string(r, 1, p.sheet or "", report.f_wrap)
        target = names.get(p.sheet or "")
        if target and p.row is not None:
            address = p.cell if p.col is not None else f"A{p.row}"
            ws.write_url(r, 2, f"internal:'{target}'!{address}", report.f_link, string=p.cell)
        else:
            ws.write_string(r, 2, p.cell, report.f_wrap)
        ws.write_string(r, 3, p.column or "", report.f_wrap)
        ws.write_string(r, 4, _value_text(p.value), report.f_wrap)
        message, expected = message_and_expected(p)
        ws.write_string(r, 5, message, report.f_wrap)
        ws.write_string(r, 6, expected, report.f_wrap)
    for c, width in enumerate((5, 18, 8, 22, 25, 55, 45)):
        ws.set_column(c, c, width)
    ws.freeze_panes(4, 0)
    if ordered:
        ws.autofilter(3, 0, 3 + len(ordered), len(heads) - 1)

    # The original sheets, values only, with the offending cells marked.
    for grid in grids:
        sheet = book.add_worksheet(names[grid.name])
        by_cell: dict[tuple[int, int], list[Problem]] = {}
        for p in ordered:
            if p.sheet != grid.name or p.row is None:
                continue
            by_cell.setdefault((p.row - 1, p.col if p.col is not None else 0), []).append(p)
        bad = set(by_cell)
        widths: dict[int, int] = {}
        for r, row in enumerate(grid.rows):
            for c, value in enumerate(row):
                report.write_value(sheet, r, c, value, (r, c) in bad)
                if value not in (None, ""):
                    widths[c] = max(widths.get(c, 0), min(50, len(_value_text(value))))
        for (r, c), found in by_cell.items():
            if r >= len(grid.rows) or c >= len(grid.rows[r]):
                sheet.write_blank(r, c, None, report.f_error)
            sheet.write_comment(
                r, c, _comment(found), {"x_scale": 2.5, "y_scale": 1.5, "author": "Kiểm tra dữ liệu"}
            )
        merged_cells: set[tuple[int, int]] = set()
        for (r0, c0), (r1, c1) in grid.merged:
            area = (
                {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
                if (r1 - r0 + 1) * (c1 - c0 + 1) <= 10_000
                else None
            )
            # Excel refuses overlapping merged ranges (a damaged file can declare them): keep the first.
            if area is None or area & merged_cells:
                continue
            merged_cells |= area
            if (r0, c0) != (r1, c1) and not any(r0 <= r <= r1 and c0 <= c <= c1 for r, c in bad):
                value = grid.rows[r0][c0] if r0 < len(grid.rows) and c0 < len(grid.rows[r0]) else ""
                sheet.merge_range(r0, c0, r1, c1, None)
                report.write_value(sheet, r0, c0, value, False)
        for c, width in widths.items():
            sheet.set_column(c, c, max(8, width + 2))
    return report.close()


def report_file_name(filename: str) -> str:
    """«tien_do.xlsx» -> «tien_do_danh_sach_loi.xlsx»."""
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    return f"{stem}_danh_sach_loi.xlsx"
