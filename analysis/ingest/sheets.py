"""Turn a messy spreadsheet into canonical rows: find the header, map columns, skip the clutter, validate.

Pure: no database here. `parse_file` either returns every sheet it recognised as canonical frames, or
raises IngestError listing every problem of the file (nothing is half-loaded).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.errors import IngestError, Problem, column_letter
from analysis.ingest import parsing
from analysis.ingest._convert import Cells, convert_columns
from analysis.ingest._detect import (
    HEADER_SCAN_ROWS,
    _cell_text,
    _detect_header,
    _has_value,
    _Header,
    _is_clutter_text,
    _is_column_number_row,
    _is_footer,
    _is_subtotal,
    _letter_index,
    _row_texts,
    detect_quarter,
    detect_unit,
    detect_year,
)
from analysis.ingest._post import POST
from analysis.ingest.bulk import Bulk
from analysis.schema import DATASETS
from analysis.text import clean, fold

MAX_PROBLEMS = 1000


@dataclass(frozen=True, kw_only=True)
class ReadOptions:
    """What a person says about a file (CLI options, upload page corrections); None means detect it.

    column_overrides maps a column letter ("F") to a canonical column name, for headers that were not
    recognised (set by the analyst on the upload page).
    """

    kind: str | None = None
    year: int | None = None
    quarter: int | None = None
    unit: str | None = None
    column_overrides: Mapping[str, str] | None = None


DETECT = ReadOptions()  # nothing said about the file: everything is detected from it


@dataclass
class SheetResult:
    """One recognised sheet as canonical rows, with what was detected and warned about."""

    dataset: str
    sheet: str
    frame: pd.DataFrame
    excel_rows: list[int]
    header_row: int  # 1-based, the last header row
    mapping: list[dict[str, Any]]  # {"col": "C", "header": "Thời hạn", "column": "deadline_text" | None}
    year: int | None = None
    quarter: int | None = None
    unit: str | None = None  # assessed unit named in the title (scores only); None = not stated
    title: str = ""
    warnings: list[Problem] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.frame)


@dataclass
class FileResult:
    filename: str
    sha256: str
    size: int
    sheets: list[SheetResult]
    skipped: list[Problem] = field(default_factory=list)

    @property
    def warnings(self) -> list[Problem]:
        return [w for s in self.sheets for w in s.warnings] + self.skipped


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# The parser ---------------------------------------------------------------------------------------


class _Collector:
    def __init__(self, filename: str):
        self.filename = filename
        self.errors: list[Problem] = []

    def add(self, problem: Problem) -> None:
        if len(self.errors) < MAX_PROBLEMS:
            self.errors.append(problem)


def parse_file(
    data: bytes, filename: str, options: ReadOptions = DETECT, *, bulk: Bulk | None = None
) -> FileResult:
    """Parse every sheet of a file. Raises IngestError with all problems, or returns canonical frames.

    `bulk` are the store's whole-column operations (analysis.store.bulk()): large files are then read
    and parsed column at a time in DuckDB.
    """
    from analysis.ingest.readers import read_grids  # local: keeps this module importable without calamine

    filename = Path(filename).name
    # The «Hướng dẫn» sheet of the templates (analysis.ingest.templates) explains the columns and holds no data.
    grids = [
        g
        for g in read_grids(data, filename, csv_table=bulk.read_csv_table if bulk else None)
        if fold(g.name) != "huong dan"
    ]
    datasets = [DATASETS[options.kind]] if options.kind else list(DATASETS.values())
    collector = _Collector(filename)
    sheets: list[SheetResult] = []
    skipped: list[Problem] = []
    for grid in grids:
        if not any(_cell_text(v) for row in grid.rows[:HEADER_SCAN_ROWS] for v in row):
            continue  # an empty sheet is not a problem
        from analysis.ingest.dossier_stats import parse_stats_grid  # it builds on this module

        stats = parse_stats_grid(grid, filename, options)
        if stats is not None:  # the two-level dossier statistics table
            sheets.append(stats)
            continue
        title_hint = fold(" ".join(_cell_text(v) for row in grid.rows[:8] for v in row) + " " + filename)
        header = _detect_header(grid.rows, grid.merged, datasets, title_hint)
        required_missing = []
        if header is not None:
            mapping = dict(header.mapping)
            for letter, col in (options.column_overrides or {}).items():
                idx = _letter_index(letter)
                mapping = {c: v for c, v in mapping.items() if v != col and c != idx}
                mapping[idx] = col
            header.mapping = mapping
            required_missing = [c for c in header.dataset.required if c.name not in mapping.values()]
        if header is None or (required_missing and not options.kind and len(header.mapping) < 3):
            skipped.append(
                Problem(
                    filename,
                    grid.name,
                    message="Bỏ qua trang tính: không tìm thấy dòng tiêu đề của bảng dữ liệu nào.",
                    message_en="Sheet skipped: no known table header found.",
                    severity="warning",
                )
            )
            continue
        if required_missing:
            for col in required_missing:
                collector.add(
                    Problem(
                        filename,
                        grid.name,
                        row=header.row + 1,
                        column=col.label,
                        message=f"Thiếu cột bắt buộc «{col.label}» ở dòng tiêu đề.",
                        message_en=f"Required column '{col.label}' ({col.name}) is missing from the header row.",
                        expected=" hoặc ".join(f"«{a}»" for a in (col.label, *col.aliases[:3])),
                    )
                )
            continue
        sheets.append(
            _parse_sheet(grid, header, filename, collector, options, multi=len(grids) > 1, bulk=bulk)
        )
    if not sheets and not collector.errors:
        collector.add(
            Problem(
                filename,
                message="Không tìm thấy bảng dữ liệu nào trong tệp (không nhận ra dòng tiêu đề).",
                message_en="No data table found in the file (no header row recognised).",
                expected="các cột như trong mẫu nhập liệu",
            )
        )
    if collector.errors:
        # In reading order: sheet, then row, then column (sheet-wide problems first).
        order = {g.name: k for k, g in enumerate(grids)}
        collector.errors.sort(
            key=lambda p: (order.get(p.sheet, -1), p.row or 0, -1 if p.col is None else p.col)
        )
        raise IngestError(collector.errors)
    return FileResult(filename, sha256_of(data), len(data), sheets, skipped)


def _columns(rows: list[list[Any]], data_rows: list[int], mapping: dict[int, str]) -> dict[str, list[Any]]:
    """The mapped columns of the data rows; a short row reads as empty cells."""
    selected = [rows[i] for i in data_rows]
    width = len(selected[0]) if selected else 0
    if all(c < width for c in mapping) and all(len(r) == width for r in selected):
        # Workbooks give rows of one width: take each column in one pass of C code.
        return {name: list(map(itemgetter(c), selected)) for c, name in mapping.items()}
    return {name: [r[c] if c < len(r) else "" for r in selected] for c, name in mapping.items()}


def _plain_keys(tail: pa.Table, key_col: int) -> np.ndarray:
    """Rows of the tail whose key cell is a plain identifier (ASCII, no space, not a word), as the row
    loop's own shortcut decides it."""
    if key_col >= tail.num_columns:
        return np.zeros(tail.num_rows, dtype=bool)
    key = tail.column(key_col)
    plain = pc.and_(pc.match_substring_regex(key, "^[!-~]+$"), pc.invert(pc.utf8_is_alpha(key)))
    return pc.fill_null(plain, False).to_numpy(zero_copy_only=False)


def _tail_runs(
    tail: pa.Table, plain: np.ndarray | None, offset: int, step, started
) -> Iterator[tuple[int, int]]:
    """Classify the rows of a columnar tail: runs of plain rows once the table has started are data
    rows without a look; every other row goes through `step` as a list of cells, as the exact reader
    would give it. Yields (first, end) runs of data rows found in bulk; `step` records the others."""
    n = tail.num_rows
    look = np.arange(n) if plain is None else np.flatnonzero(~plain)
    cells = _tail_rows(tail, look)
    pos, k = 0, 0
    while pos < n:
        if plain is not None and plain[pos] and started():
            end = int(look[k]) if k < len(look) else n
            yield offset + pos, offset + end
            pos = end
            continue
        row = cells[k] if k < len(look) and look[k] == pos else _tail_rows(tail, np.array([pos]))[0]
        if not step(offset + pos, row):
            return
        pos += 1
        while k < len(look) and look[k] < pos:
            k += 1


def _tail_rows(tail: pa.Table, index: np.ndarray) -> list[list[Any]]:
    """Rows of a columnar tail as lists of cells, empty cells as '' (what the CSV reader gives)."""
    if not len(index):
        return []
    taken = tail.take(pa.array(index))
    columns = [
        ["" if v is None else v for v in taken.column(j).to_pylist()] for j in range(taken.num_columns)
    ]
    return [list(r) for r in zip(*columns, strict=True)]


def _tail_columns(grid, data_rows: list[int], mapping: dict[int, str]) -> dict[str, Cells]:
    """The mapped columns of the data rows of a head-and-tail grid, as Arrow text columns."""
    offset = len(grid.rows)
    head = [i for i in data_rows if i < offset]
    tail_index = np.asarray(data_rows[len(head) :], dtype=np.int64) - offset
    # Usually the data rows of the tail are one run: a slice, no copy.
    run = len(tail_index) and tail_index[-1] - tail_index[0] + 1 == len(tail_index)
    out = {}
    for c, name in mapping.items():
        first = pa.array([grid.rows[i][c] if c < len(grid.rows[i]) else "" for i in head], type=pa.string())
        if c < grid.tail.num_columns:
            column = grid.tail.column(c)
            rest = (
                column.slice(int(tail_index[0]), len(tail_index))
                if run
                else column.take(pa.array(tail_index))
            )
            rest = rest.combine_chunks()
        else:
            rest = pa.nulls(len(tail_index), type=pa.string())
        out[name] = Cells(pa.concat_arrays([first, rest.cast(pa.string())]))
    return out


def _parse_sheet(
    grid, header: _Header, filename, collector, options: ReadOptions, *, multi, bulk=None
) -> SheetResult:
    ds = header.dataset
    rows = grid.rows
    title_lines = [" | ".join(t for t in _row_texts(r) if t) for r in rows[: header.first_row]]
    title_lines = [t for t in title_lines if t]
    title = " | ".join(title_lines)
    sheet_year = options.year or detect_year(title, grid.name, filename)
    sheet_quarter = options.quarter or detect_quarter(title, grid.name, filename)
    sheet_unit = options.unit if options.unit is not None else detect_unit(title_lines)
    if sheet_unit is None and ds.name == "scores" and multi:
        sheet_unit = clean(grid.name)  # a workbook with one sheet per commune
    warnings: list[Problem] = []

    def report(severity: str, row: int | None, col: int | None, column: str | None, **said: Any) -> None:
        found = Problem(filename, grid.name, row=row, col=col, column=column, severity=severity, **said)
        (collector.add if severity == "error" else warnings.append)(found)

    def problem(
        row: int | None,
        col: int | None,
        column: str | None,
        *,
        value: Any,
        message: str,
        en: str,
        expected: str = "",
    ) -> None:
        report("error", row, col, column, value=value, message=message, message_en=en, expected=expected)

    def warn(
        row: int | None, col: int | None, column: str | None, *, value: Any, message: str, en: str
    ) -> None:
        report("warning", row, col, column, value=value, message=message, message_en=en)

    col_of = {v: k for k, v in header.mapping.items()}
    data_rows: list[int] = []
    areas: list[str | None] = []
    area: str | None = None
    code_col = col_of.get("code")
    # The column that identifies a row (task code, criterion code, dossier id): a footer or subtotal
    # row never fills it with a real value, so only rows without one are inspected closely.
    key_col = code_col if code_col is not None else (col_of.get(ds.key[0]) if ds.key else None)
    name_col = col_of.get("title", col_of.get("name"))
    mapped_cols = sorted(header.mapping)
    hierarchical = ds.name in ("tasks", "framework", "scores")
    plain_keys = not hierarchical and key_col is not None

    def step(i: int, row: list[Any]) -> bool:
        """Classify one row below the header; False stops the table (a signature footer)."""
        nonlocal area
        width = len(row)
        if plain_keys and data_rows and key_col < width:
            # A plain identifier (ASCII, no space, not a word) below the first data row makes a data row:
            # what the checks below find for it, without cleaning its text (a million dossier rows).
            v = row[key_col]
            if type(v) is str and v and v.isascii() and v.isprintable() and " " not in v and not v.isalpha():
                data_rows.append(i)
                areas.append(area)
                return True
        if not any(_has_value(row[c]) for c in mapped_cols if c < width):
            if data_rows and _is_footer(_row_texts(row)):
                return False
            return True
        if not data_rows and _is_column_number_row([_cell_text(row[c]) for c in mapped_cols if c < width]):
            return True
        key_text = _cell_text(row[key_col]) if key_col is not None and key_col < width else ""
        # Codes and dossier ids have no spaces; "Nơi nhận:", "Tổng cộng", "Cộng" do (or are one word).
        if not key_text or ((" " in key_text or key_text.isalpha()) and _is_clutter_text(key_text)):
            if _is_footer(_row_texts(row)):
                return False
            if _is_subtotal(_row_texts(row[:4])):
                return True
        code_text = key_text if key_col == code_col else ""
        if hierarchical and code_text and parsing.roman_to_int(code_text):
            area = code_text.rstrip(".").upper()
            if ds.name == "tasks":
                return True  # a section row: its numeral becomes the area of the tasks below
        elif ds.name == "tasks" and name_col is not None:
            filled = {c for c in mapped_cols if c < width and _cell_text(row[c])}
            heading = filled == {name_col} or (
                filled == {name_col, code_col} and not re.match(r"^\d", code_text)
            )
            if heading:
                # A group heading ("a) Nhiệm vụ …", "A. NHIỆM VỤ CHUNG") with nothing else: not a task.
                warnings.append(
                    Problem(
                        filename,
                        grid.name,
                        row=i + 1,
                        col=name_col,
                        column=None,
                        value=_cell_text(row[name_col])[:80],
                        message="Dòng tiêu đề nhóm, không phải nhiệm vụ: bỏ qua.",
                        message_en="Group heading skipped.",
                        severity="warning",
                    )
                )
                return True
        data_rows.append(i)
        areas.append(area)
        return True

    stopped = False
    for i in range(header.row + 1, len(rows)):
        if not step(i, rows[i]):
            stopped = True
            break
    if grid.tail is not None and not stopped:
        plain = _plain_keys(grid.tail, key_col) if plain_keys else None
        for start, stop in _tail_runs(grid.tail, plain, len(rows), step, lambda: bool(data_rows)):
            data_rows.extend(range(start, stop))
            areas.extend([area] * (stop - start))

    frame = pd.DataFrame(index=range(len(data_rows)))
    excel_rows = [i + 1 for i in data_rows]
    raw = (
        _columns(rows, data_rows, header.mapping)
        if grid.tail is None
        else _tail_columns(grid, data_rows, header.mapping)
    )

    def reporter(name: str) -> Callable[[int, Any, str], None]:
        c = col_of[name]
        label = header.labels.get(c) or ds.column(name).label

        def on_error(k: int, value: Any, message: str) -> None:
            problem(
                excel_rows[k],
                c,
                label,
                value=_cell_text(value),
                message=message,
                en=f"invalid value in column '{label}'",
            )

        return on_error

    plan_year = sheet_year or date.today().year
    parse_text = bulk.parse_text_columns if bulk else None
    converted = convert_columns(raw, ds, plan_year, {name: reporter(name) for name in raw}, parse_text)
    for col in ds.columns:
        if col.name in converted:
            frame[col.name] = converted[col.name]

    for col in ds.required:
        if col.derived or col.name not in raw:
            continue
        c = col_of[col.name]
        column = frame[col.name]
        # Only the missing cells are looked at (isna finds a superset; the test below is the rule).
        for k in np.flatnonzero(column.isna().to_numpy()):
            value = column.iloc[k]
            if value is None or (isinstance(value, float) and pd.isna(value)):
                if _cell_text(raw[col.name][k]) == "":
                    problem(
                        excel_rows[k],
                        c,
                        header.labels.get(c, col.label),
                        value="",
                        message=f"Ô bắt buộc «{col.label}» đang để trống.",
                        en=f"Required cell '{col.label}' is empty.",
                    )

    post = POST.get(ds.name)
    if post:
        post(frame, raw, areas, excel_rows, col_of, header, problem, warn, plan_year)

    if ds.scope and "year" in ds.scope and sheet_year is None:
        if ds.name == "dossiers" and "received_at" in frame and frame["received_at"].notna().any():
            sheet_year = int(pd.Series(frame["received_at"]).dropna().map(lambda d: d.year).mode().iloc[0])
        else:
            problem(
                None,
                None,
                None,
                value=title[:80],
                message="Không xác định được năm của số liệu (tiêu đề không ghi «NĂM 2024»); hãy chọn năm khi nạp.",
                en="Cannot tell the year; give it explicitly.",
            )
    if ds.name == "scores" and sheet_quarter is None:
        problem(
            None,
            None,
            None,
            value=title[:80],
            message="Không xác định được quý đánh giá (tiêu đề không ghi «Quý I/2024»); hãy chọn quý khi nạp.",
            en="Cannot tell the quarter; give it explicitly.",
        )

    for key in ds.key:
        if key in frame:
            dup = frame[key].duplicated(keep=False) & frame[key].notna()
            for k in frame.index[dup]:
                problem(
                    excel_rows[k],
                    col_of.get(key),
                    ds.column(key).label,
                    value=frame.at[k, key],
                    message="Mã bị trùng trong cùng một bảng.",
                    en=f"Duplicate {key}.",
                )

    for col in ds.columns:
        if col.name not in frame:
            frame[col.name] = None
    if "year" in frame:
        frame["year"] = sheet_year
    if ds.name == "scores":
        frame["quarter"] = sheet_quarter
        frame["unit"] = sheet_unit
    frame = frame[ds.names]
    mapping = [
        {"col": column_letter(c), "header": header.labels.get(c, ""), "column": header.mapping.get(c)}
        for c in sorted(header.labels)
    ]
    return SheetResult(
        ds.name,
        grid.name,
        frame,
        excel_rows,
        header.row + 1,
        mapping,
        sheet_year,
        sheet_quarter,
        sheet_unit,
        title,
        warnings,
    )
