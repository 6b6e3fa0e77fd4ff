"""The official dossier statistics table: a two-level merged header per unit (or field) and period.

    Lĩnh vực | Số hồ sơ nhận giải quyết {Tổng số; Kỳ trước chuyển qua; Mới tiếp nhận (Trực tuyến;
    Trực tiếp, bưu chính)} | Đã giải quyết {Tổng; Trước hạn; Đúng hạn; Quá hạn} | Đang giải quyết
    {Tổng; Chưa đến hạn; Quá hạn}

Header cells are matched by their words once the merged parents are carried over their children, so
the flat template («Đã giải quyết: Trước hạn») and printed tables read alike. The period comes from
the title («từ ngày 01/04/2024 đến ngày 30/06/2024», «Quý II năm 2024», «Tháng 6/2024», «năm 2024»).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pandas as pd

from analysis.errors import IngestError, Problem
from analysis.ingest import parsing
from analysis.ingest._detect import detect_quarter, detect_unit, detect_year
from analysis.ingest.parsing import ParseError
from analysis.ingest.sheets import ReadOptions, SheetResult
from analysis.periods import month_end, quarter_end
from analysis.schema import DOSSIER_STATS
from analysis.text import clean, fold

HEADER_SCAN_ROWS = 25
MAX_HEADER_ROWS = 4
COUNT_COLUMNS = [c.name for c in DOSSIER_STATS.columns if c.type == "int" and not c.derived]
# On folded text, where «01/04/2024» reads «01 04 2024».
_SPAN = re.compile(r"tu ngay (\d{1,2}) (\d{1,2}) (\d{4}) den ngay (\d{1,2}) (\d{1,2}) (\d{4})")
_MONTH = re.compile(r"\bthang (\d{1,2}) (?:nam )?(\d{4})\b")
_COLNUM = re.compile(r"^\(?\s*\d{1,2}\s*\)?([=+\-]\(?\d{1,2}\)?)*$")
_SKIP_LABELS = ("tong cong", "tong so", "cong", "tong")


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return clean(value)


# (words of the parent group, [(words of a child, column)], the group's «Tổng» column), first match wins:
# «đang giải quyết» before «đã giải quyết», whose words it does not contain but whose children it shares.
_GROUPS = (
    (
        ("dang giai quyet", "dang xu ly"),
        (
            (("chua den han", "trong han", "con han"), "pending_in_time"),
            (("qua han", "tre han"), "pending_overdue"),
        ),
        "pending_total",
    ),
    (
        ("da giai quyet", "da xu ly"),
        (
            (("truoc han", "som han"), "resolved_early"),
            (("dung han",), "resolved_on_time"),
            (("qua han", "tre han"), "resolved_late"),
        ),
        "resolved_total",
    ),
    (
        ("tiep nhan", "nhan giai quyet"),
        (
            (("ky truoc",), "carried_over"),
            (("truc tuyen",), "received_online"),
            (("truc tiep", "buu chinh"), "received_direct"),
        ),
        "received_total",
    ),
)


def _column_for(path: str) -> str | None:
    """The canonical column of a header path (parent and child words, folded)."""
    for group, children, total in _GROUPS:
        if any(word in path for word in group):
            for words, column in children:
                if any(word in path for word in words):
                    return column
            return total if "tong" in path else None
    if path.startswith("linh vuc"):
        return "field"
    if path.startswith(("don vi", "co quan", "ten don vi")):
        return "unit"
    return None


def _header_start(rows: list[list[Any]]) -> int | None:
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        texts = [fold(_text(v)) for v in row]
        if any("da giai quyet" in t for t in texts) and any(
            t.startswith(("linh vuc", "don vi", "co quan", "ten don vi")) for t in texts
        ):
            return r
    return None


def _is_number(value: Any) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    return bool(re.fullmatch(r"\d[\d.,]*", _text(value)))


def _filled_header(rows: list[list[Any]], merged, start: int, end: int) -> list[list[str]]:
    """Header rows start..end (inclusive) with merged parents copied over the cells they cover."""
    width = max(len(r) for r in rows[start : end + 1])
    grid = [[_text(v) for v in rows[r]] + [""] * (width - len(rows[r])) for r in range(start, end + 1)]
    for (r0, c0), (r1, c1) in merged:
        if r1 < start or r0 > end or r0 < start:
            continue
        value = grid[r0 - start][c0] if c0 < width else ""
        for r in range(r0, min(r1, end) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                grid[r - start][c] = grid[r - start][c] or value
    # Without merge information (CSV), a parent printed once spans the empty cells to its right.
    for level in grid[:-1]:
        for c in range(1, width):
            if not level[c] and level[c - 1]:
                level[c] = level[c - 1]
    return grid


def _period(title: str, year: int | None, quarter: int | None) -> tuple[date | None, date | None, int | None]:
    key = fold(title)
    if m := _SPAN.search(key):
        d1, m1, y1, d2, m2, y2 = (int(g) for g in m.groups())
        try:
            return date(y1, m1, d1), date(y2, m2, d2), y2
        except ValueError:
            return None, None, year
    if quarter is not None and year is not None:
        return date(year, 3 * quarter - 2, 1), quarter_end(year, quarter), year
    if (m := _MONTH.search(key)) and 1 <= int(m.group(1)) <= 12:
        month, y = int(m.group(1)), int(m.group(2))
        return date(y, month, 1), month_end(y, month), y
    if year is not None:
        return date(year, 1, 1), date(year, 12, 31), year
    return None, None, None


def parse_stats_grid(grid: Any, filename: str, options: ReadOptions) -> SheetResult | None:
    """The sheet as dossier statistics rows, or None when it is not such a table.

    Raises IngestError naming the file, sheet, cell, column and value for a bad count or a missing
    period.
    """
    if options.kind not in (None, DOSSIER_STATS.name):
        return None
    rows = grid.rows
    start = _header_start(rows)
    if start is None:
        return None
    end = start
    while end + 1 < len(rows) and end - start + 1 < MAX_HEADER_ROWS:
        below = [v for v in rows[end + 1] if _text(v)]
        if not below or any(_is_number(v) for v in below) or all(_COLNUM.match(_text(v)) for v in below):
            break
        end += 1
    header = _filled_header(rows, grid.merged, start, end)
    columns: dict[int, str] = {}
    labels: dict[int, str] = {}
    for c in range(len(header[0])):
        parts: list[str] = []
        for level in header:
            if level[c] and level[c] not in parts:
                parts.append(level[c])
        name = _column_for(fold(" ".join(parts)))
        if name is not None and name not in columns.values():
            columns[c], labels[c] = name, " / ".join(parts)
    if not {"resolved_total", "resolved_late"} <= set(columns.values()):
        return None
    title_lines = [" | ".join(_text(v) for v in row if _text(v)) for row in rows[:start]]
    title = " ".join(line for line in title_lines if line)
    sheet_year = options.year or detect_year(title, grid.name, filename)
    sheet_quarter = options.quarter or detect_quarter(title)
    period_from, period_to, period_year = _period(title, sheet_year, sheet_quarter)
    sheet_year = sheet_year or period_year
    sheet_unit = options.unit or detect_unit(title_lines)
    problems: list[Problem] = []
    if period_to is None or sheet_year is None:
        problems.append(
            Problem(
                filename,
                grid.name,
                row=start + 1,
                value=title[:80],
                message="Không xác định được kỳ báo cáo của bảng thống kê (tiêu đề không ghi «từ ngày … đến "
                "ngày …», «Quý …», «Tháng …» hay «năm …»).",
                message_en="Cannot tell the period of the statistics table.",
                expected="«Kỳ báo cáo: từ ngày 01/04/2024 đến ngày 30/06/2024»",
            )
        )
    if sheet_quarter is None and period_from is not None and period_to is not None:
        if (period_from.month - 1) // 3 == (period_to.month - 1) // 3 and period_from.year == period_to.year:
            sheet_quarter = (period_to.month - 1) // 3 + 1
    label_col = next((c for c, n in columns.items() if n in ("field", "unit")), 0)
    records: list[dict[str, Any]] = []
    excel_rows: list[int] = []
    first_data = end + 1
    if first_data < len(rows) and all(_COLNUM.match(_text(v)) for v in rows[first_data] if _text(v)):
        first_data += 1  # the column-number row «(1) (2) (3) …»
    for r in range(first_data, len(rows)):
        row = rows[r]
        label = _text(row[label_col]) if label_col < len(row) else ""
        counts = {n: row[c] if c < len(row) else None for c, n in columns.items() if n in COUNT_COLUMNS}
        if not any(_is_number(v) for v in counts.values()):
            continue  # a blank, section or signature row: no count in it
        if fold(label).rstrip(":") in _SKIP_LABELS or fold(label).startswith(("tong cong", "cong ")):
            continue  # the total row: the sum of the rows above
        record: dict[str, Any] = {"field": None, "unit": sheet_unit}
        for c, name in columns.items():
            value = row[c] if c < len(row) else None
            if name in ("field", "unit"):
                record[name] = _text(value) or record.get(name)
                continue
            try:
                number = parsing.parse_number(value)
            except ParseError:
                number = -1.0  # reported below
            if number is not None and (number < 0 or number != int(number)):
                problems.append(
                    Problem(
                        filename,
                        grid.name,
                        row=r + 1,
                        col=c,
                        column=labels[c],
                        value=value,
                        message="Không phải số hồ sơ (số nguyên không âm).",
                        message_en="Not a count of dossiers (a whole number, not negative).",
                        expected="một số nguyên, ví dụ 12",
                    )
                )
                number = None
            record[name] = None if number is None else int(number)
        records.append(record)
        excel_rows.append(r + 1)
    if problems:
        raise IngestError(problems)
    frame = pd.DataFrame(records)
    for col in DOSSIER_STATS.columns:
        if col.name not in frame:
            frame[col.name] = None
    frame["year"] = sheet_year
    frame["quarter"] = sheet_quarter
    frame["period_from"] = period_from
    frame["period_to"] = period_to
    frame = frame[DOSSIER_STATS.names]
    mapping = [
        {
            "col": _letter(c),
            "header": labels.get(c, " / ".join(p[c] for p in header if p[c])),
            "column": columns.get(c),
        }
        for c in range(len(header[0]))
        if any(level[c] for level in header)
    ]
    return SheetResult(
        DOSSIER_STATS.name,
        grid.name,
        frame,
        excel_rows,
        end + 1,
        mapping,
        sheet_year,
        sheet_quarter,
        sheet_unit,
        title,
        [],
    )


def _letter(c: int) -> str:
    from analysis.errors import column_letter

    return column_letter(c)
