"""Turn a messy spreadsheet into canonical rows: find the header, map columns, skip the clutter, validate.

Pure: no database here. `parse_file` either returns every sheet it recognised as canonical frames, or
raises IngestError listing every problem of the file (nothing is half-loaded).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import IngestError, Problem, column_letter
from analysis.ingest import parsing
from analysis.ingest.parsing import ParseError
from analysis.schema import (
    CHANNELS,
    DATASETS,
    METRICS,
    POINT_KINDS,
    RULE_KINDS,
    UNIT_KINDS,
    Column,
    Dataset,
)
from analysis.text import clean, fold

HEADER_SCAN_ROWS = 40
MAX_PROBLEMS = 1000

FOOTER_WORDS = (
    "nguoi lap", "noi nhan", "chu tich", "kt chu tich", "tm uy ban", "tm ubnd", "thu truong", "giam doc",
    "truong phong", "xac nhan", "nguoi ky", "ky ten", "pho chu tich", "lanh dao", "ghi chu",
)  # fmt: skip
# A footer row is short: a signature block has one or two cells per line, a data row many more.
FOOTER_MAX_CELLS = 3
SUBTOTAL_EXACT = ("cong", "tong", "tong cong", "tong so", "tong diem", "cong diem")
SUBTOTAL_PREFIXES = ("tong cong ", "tong diem ", "tong so ", "cong diem ")
_CONG = re.compile(r"^cong (\d|[ivx]+\b|cac\b)")  # "Cộng: 7", "Cộng (I+II)", "Cộng các lĩnh vực"
# "(1)", "2", "IV", "A", and formulas between numbered columns such as "(4)=(2)+(3)".
_COLNUM = re.compile(
    r"^(\(?\s*(\d{1,2}|[ivx]{1,4}|[a-z])\s*\)?|\(\d{1,2}\)(\s*[-=+*/x]\s*\(\d{1,2}\))+)$", re.IGNORECASE
)
_DATE_LINE = re.compile(r"\bngay\s+(?:\d{1,2}\s+)?thang\s+(?:\d{1,2}\s+)?nam\s+20\d\d\b")
_YEAR_IN_TITLE = re.compile(r"\bnam\s+(20\d\d)\b")
_ANY_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_QUARTER_IN_TITLE = re.compile(r"\bquy\s*(iv|iii|ii|i|[1-4])\b")
_QUARTER_IN_NAME = re.compile(r"(?:^|[^a-z0-9])q([1-4])(?:[^0-9]|$)")
_UNIT_LABEL = re.compile(r"^(?:ten )?(?:don vi|co quan|dia phuong)(?: duoc danh gia| tu danh gia)?$")


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


@dataclass
class _Header:
    dataset: Dataset
    row: int  # 0-based index of the last header row
    first_row: int
    labels: dict[int, str]  # col -> header label as shown
    mapping: dict[int, str]  # col -> canonical column
    score: float


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# Header detection --------------------------------------------------------------------------


def _alias_index(ds: Dataset) -> list[tuple[str, str]]:
    """(folded alias, column) pairs, longest first so the most specific alias wins a prefix match."""
    pairs = []
    for col in ds.sheet_columns:
        for alias in (col.label, *col.aliases):
            pairs.append((fold(alias), col.name))
    return sorted(set(pairs), key=lambda p: -len(p[0]))


_ALIASES = {name: _alias_index(ds) for name, ds in DATASETS.items()}


@functools.lru_cache(maxsize=4096)  # header detection tries every label of 40 rows against 5 datasets
def match_header(label: str, dataset: str) -> str | None:
    """The canonical column a header label means in a dataset, or None."""
    key = fold(label)
    if not key:
        return None
    pairs = _ALIASES[dataset]
    for alias, col in pairs:
        if key == alias:
            return col
    bare = fold(re.sub(r"\(.*?\)", " ", clean(label)))
    for alias, col in pairs:
        if bare == alias:
            return col
    for alias, col in pairs:
        if len(alias) >= 4 and (bare.startswith(alias + " ") or key.startswith(alias + " ")):
            return col
    return None


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(value)


def _header_candidates(rows: list[list[Any]], r: int, merged_parent: dict[tuple[int, int], str]):
    """Yield (first_row, labels) for a one-row header at r and a two-row header at r, r+1."""
    top = rows[r]
    width = len(top)
    single = {c: _cell_text(top[c]) for c in range(width) if _cell_text(top[c])}
    yield r, r, single, {}
    if r + 1 < len(rows):
        below = rows[r + 1]
        parents: dict[int, str] = {}
        last = ""
        for c in range(max(width, len(below))):
            text = _cell_text(top[c]) if c < width else ""
            text = text or merged_parent.get((r, c), "")
            child = _cell_text(below[c]) if c < len(below) else ""
            if text:
                last = text
                parents[c] = text
            elif child and last:
                parents[c] = last  # horizontally merged group header without merge info
            else:
                last = ""
        labels = {}
        groups = {}
        for c in set(parents) | {c for c in range(len(below)) if _cell_text(below[c])}:
            child = _cell_text(below[c]) if c < len(below) else ""
            labels[c] = child or parents.get(c, "")
            if child and parents.get(c):
                groups[c] = parents[c]
        if groups:
            yield r, r + 1, labels, groups


def _merged_parents(grid_merged, rows) -> dict[tuple[int, int], str]:
    """Cells covered by a merged range carry the range's top-left text (for headers only)."""
    out: dict[tuple[int, int], str] = {}
    for (r0, c0), (r1, c1) in grid_merged:
        if r0 >= HEADER_SCAN_ROWS or r0 >= len(rows):
            continue
        text = _cell_text(rows[r0][c0]) if c0 < len(rows[r0]) else ""
        for r in range(r0, min(r1, HEADER_SCAN_ROWS) + 1):
            for c in range(c0, c1 + 1):
                out[(r, c)] = text
    return out


def _detect_header(rows, merged, datasets: list[Dataset], title_hint: str) -> _Header | None:
    merged_parent = _merged_parents(merged, rows)
    best: _Header | None = None
    for r in range(min(HEADER_SCAN_ROWS, len(rows))):
        for first, last, labels, groups in _header_candidates(rows, r, merged_parent):
            for ds in datasets:
                mapping: dict[int, str] = {}
                taken: set[str] = set()
                for c in sorted(labels):
                    col = match_header(labels[c], ds.name)
                    if col is None and c in groups:
                        col = match_header(f"{groups[c]} {labels[c]}", ds.name)
                    if col and col not in taken:
                        mapping[c] = col
                        taken.add(col)
                if len(mapping) < 2:
                    continue
                required = {c.name for c in ds.required}
                # A complete set of required columns counts once, whatever its size: otherwise a dataset
                # with more required columns wins a sheet that fits another dataset better.
                score = len(mapping) + (3 if required <= taken else len(required & taken) / len(required))
                score -= 0.25 * (last - first)
                if any(fold(m) in title_hint for m in ds.title_markers):
                    score += 0.5
                if best is None or score > best.score + 1e-9:
                    best = _Header(ds, last, first, labels, mapping, score)
    return best


# Row classification --------------------------------------------------------------------------


def _has_value(value: Any) -> bool:
    """A cell that is not empty or white space only (cheap: no normalisation)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value) and not value.isspace()
    return True


def _row_texts(row: list[Any]) -> list[str]:
    return [_cell_text(v) for v in row]


def _is_column_number_row(texts: list[str]) -> bool:
    filled = [t for t in texts if t]
    return len(filled) >= 3 and all(_COLNUM.match(t) for t in filled)


def _is_footer_text(text: str) -> bool:
    """A signature-block phrase: 'NGƯỜI LẬP BIỂU', 'KT. CHỦ TỊCH', 'Nơi nhận:', 'Ba Tơ, ngày 05 tháng 7 năm 2024'."""
    if not text:
        return False
    key = fold(text)
    if not key:
        return False
    if any(key == w or key.startswith(w + " ") for w in FOOTER_WORDS):
        return True
    return len(key) < 60 and re.search(r"\bngay\b.*\bthang\b.*\bnam\b", key) is not None


def _is_footer(texts: list[str]) -> bool:
    filled = [t for t in texts if t]
    return 0 < len(filled) <= FOOTER_MAX_CELLS and any(_is_footer_text(t) for t in filled)


def _is_subtotal_text(text: str) -> bool:
    # Cheap first-letter test: this runs on every row of large dossier files.
    if not text or text[0] not in "TtCc":
        return False
    key = fold(text)
    return key in SUBTOTAL_EXACT or key.startswith(SUBTOTAL_PREFIXES) or _CONG.match(key) is not None


def _is_clutter_text(text: str) -> bool:
    return _is_footer_text(text) or _is_subtotal_text(text)


def _is_subtotal(texts: list[str]) -> bool:
    return any(_is_subtotal_text(t) for t in texts[:4])


# Detection of year / quarter / unit from the title area ------------------------------------------


def detect_year(title: str, *names: str) -> int | None:
    """The year a title is about: «… NĂM 2024» wins over the signing date «ngày 10 tháng 01 năm 2025»
    (a Q4 report is signed the next January); then a year in the sheet or file name; then the signing date."""
    key = fold(title)
    m = _YEAR_IN_TITLE.search(_DATE_LINE.sub(" ", key))
    if m:
        return int(m.group(1))
    for name in names:
        m = _ANY_YEAR.search(name)
        if m:
            return int(m.group(1))
    m = _YEAR_IN_TITLE.search(key)
    return int(m.group(1)) if m else None


def detect_quarter(title: str, *names: str) -> int | None:
    """«QUÝ II», «6 THÁNG ĐẦU NĂM» (-> 2) or «9 THÁNG» (-> 3) in the title, else «Q2» in a sheet or file name."""
    key = _DATE_LINE.sub(" ", fold(title))
    m = _QUARTER_IN_TITLE.search(key)
    if m:
        q = m.group(1)
        return int(q) if q.isdigit() else parsing.roman_to_int(q)
    if re.search(r"\b6 thang dau nam\b", key):
        return 2
    if re.search(r"\b9 thang (dau )?nam\b", key):
        return 3
    for name in names:
        m = _QUARTER_IN_NAME.search(fold(name).replace(" ", "_"))
        if m:
            return int(m.group(1))
    return None


def detect_unit(title_lines: list[str]) -> str | None:
    """The assessed unit named on a title line such as 'Đơn vị: UBND xã Ba Điền'."""
    for line in title_lines:
        parts = line.split(" | ")  # one part per cell
        for i, part in enumerate(parts):
            label, sep, value = part.partition(":")
            if sep and _UNIT_LABEL.match(fold(label)):
                value = clean(value) or (clean(parts[i + 1]) if i + 1 < len(parts) else "")
                if value:
                    return value
    return None


# Cell conversion --------------------------------------------------------------------------------


def _convert_column(
    values: list[Any],
    convert: Callable[[Any], Any],
    on_error: Callable[[int, Any, str], None],
) -> list[Any]:
    """Convert cells, parsing each distinct value once (files repeat statuses, units and dates)."""
    cache: dict[Any, Any] = {}
    failed: dict[Any, str] = {}
    out: list[Any] = []
    for i, value in enumerate(values):
        try:
            hashable_key = (type(value), value)
            if hashable_key in cache:
                out.append(cache[hashable_key])
                continue
            if hashable_key in failed:
                on_error(i, value, failed[hashable_key])
                out.append(None)
                continue
        except TypeError:
            hashable_key = None
        try:
            result = convert(value)
        except ParseError as exc:
            if hashable_key is not None:
                failed[hashable_key] = str(exc)
            on_error(i, value, str(exc))
            out.append(None)
            continue
        if hashable_key is not None:
            cache[hashable_key] = result
        out.append(result)
    return out


def _text(value: Any) -> str | None:
    text = _cell_text(value)
    return text or None


def _code(value: Any) -> str | None:
    """Row codes: 1.0 -> '1', '1.2.' -> '1.2', 'II.' -> 'II'."""
    text = _cell_text(value).rstrip(".").strip()
    if not text:
        return None
    if parsing.roman_to_int(text):
        return text.upper()
    return text


def _choice(mapping: dict[str, str], expected: str) -> Callable[[Any], str | None]:
    """Accept either the canonical key or its Vietnamese label (with or without accents)."""
    index = {fold(k): k for k in mapping} | {fold(v): k for k, v in mapping.items()}

    def convert(value: Any) -> str | None:
        key = fold(value)
        if not key and parsing.is_blank(value):
            return None
        if key in index:
            return index[key]
        raise ParseError(f"giá trị không hợp lệ (cần: {expected})")

    return convert


def _metric(value: Any) -> str | None:
    key = fold(value)
    if not key and parsing.is_blank(value):
        return None
    scope = ""
    if key.endswith(" cap xa") or key.endswith(" xa"):
        scope, key = ":commune", re.sub(r"\s+(cap )?xa$", "", key)
    elif key.endswith(" cap huyen") or key.endswith(" huyen"):
        scope, key = ":office", re.sub(r"\s+(cap )?huyen$", "", key)
    for k, label in METRICS.items():
        if key in (fold(k), fold(label)):
            return k + scope
    raise ParseError(
        "chỉ số không hợp lệ (cần: " + ", ".join(METRICS.values()) + ", có thể thêm «cấp xã»/«cấp huyện»)"
    )


_UNIT_KIND_ALIASES = {
    "phong": "office",
    "co quan": "office",
    "xa": "commune",
    "phuong": "commune",
    "thi tran": "town",
}


def _unit_kind(value: Any) -> str | None:
    key = fold(value)
    if not key and parsing.is_blank(value):
        return None
    for k, label in UNIT_KINDS.items():
        if key in (k, fold(label)):
            return k
    for prefix, kind in _UNIT_KIND_ALIASES.items():
        if key.startswith(prefix):
            return kind
    raise ParseError("loại đơn vị không hợp lệ (cần: " + ", ".join(UNIT_KINDS.values()) + ")")


# The parser ---------------------------------------------------------------------------------------


class _Collector:
    def __init__(self, filename: str):
        self.filename = filename
        self.errors: list[Problem] = []

    def add(self, problem: Problem) -> None:
        if len(self.errors) < MAX_PROBLEMS:
            self.errors.append(problem)


def parse_file(
    data: bytes,
    filename: str,
    *,
    kind: str | None = None,
    year: int | None = None,
    quarter: int | None = None,
    unit: str | None = None,
    column_overrides: Mapping[str, str] | None = None,
) -> FileResult:
    """Parse every sheet of a file. Raises IngestError with all problems, or returns canonical frames.

    column_overrides maps a column letter ("F") to a canonical column name, for headers that were not
    recognised (set by the analyst on the upload page).
    """
    from analysis.ingest.readers import read_grids  # local: keeps this module importable without calamine

    filename = Path(filename).name
    # The «Hướng dẫn» sheet of the templates (analysis.ingest.templates) explains the columns and holds no data.
    grids = [g for g in read_grids(data, filename) if fold(g.name) != "huong dan"]
    datasets = [DATASETS[kind]] if kind else list(DATASETS.values())
    collector = _Collector(filename)
    sheets: list[SheetResult] = []
    skipped: list[Problem] = []
    for grid in grids:
        if not any(_cell_text(v) for row in grid.rows[:HEADER_SCAN_ROWS] for v in row):
            continue  # an empty sheet is not a problem
        title_hint = fold(" ".join(_cell_text(v) for row in grid.rows[:8] for v in row) + " " + filename)
        header = _detect_header(grid.rows, grid.merged, datasets, title_hint)
        required_missing = []
        if header is not None:
            mapping = dict(header.mapping)
            for letter, col in (column_overrides or {}).items():
                idx = _letter_index(letter)
                mapping = {c: v for c, v in mapping.items() if v != col and c != idx}
                mapping[idx] = col
            header.mapping = mapping
            required_missing = [c for c in header.dataset.required if c.name not in mapping.values()]
        if header is None or (required_missing and not kind and len(header.mapping) < 3):
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
            _parse_sheet(
                grid, header, filename, collector, year=year, quarter=quarter, unit=unit, multi=len(grids) > 1
            )
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


def _letter_index(letter: str) -> int:
    idx = 0
    for ch in letter.strip().upper():
        idx = idx * 26 + (ord(ch) - 64)
    return idx - 1


def _parse_sheet(grid, header: _Header, filename, collector, *, year, quarter, unit, multi) -> SheetResult:
    ds = header.dataset
    rows = grid.rows
    title_lines = [" | ".join(t for t in _row_texts(r) if t) for r in rows[: header.first_row]]
    title_lines = [t for t in title_lines if t]
    title = " | ".join(title_lines)
    sheet_year = year or detect_year(title, grid.name, filename)
    sheet_quarter = quarter or detect_quarter(title, grid.name, filename)
    sheet_unit = unit if unit is not None else detect_unit(title_lines)
    if sheet_unit is None and ds.name == "scores" and multi:
        sheet_unit = clean(grid.name)  # a workbook with one sheet per commune
    warnings: list[Problem] = []

    def problem(row: int | None, col: int | None, column: str | None, value, message, en, expected=""):
        collector.add(
            Problem(
                filename, grid.name, row, col, column, value, message, en, expected=expected, severity="error"
            )
        )

    def warn(row: int | None, col: int | None, column: str | None, value, message, en) -> None:
        warnings.append(
            Problem(filename, grid.name, row, col, column, value, message, en, severity="warning")
        )

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
    for i in range(header.row + 1, len(rows)):
        row = rows[i]
        width = len(row)
        if not any(_has_value(row[c]) for c in mapped_cols if c < width):
            if data_rows and _is_footer(_row_texts(row)):
                break
            continue
        if not data_rows and _is_column_number_row([_cell_text(row[c]) for c in mapped_cols if c < width]):
            continue
        key_text = _cell_text(row[key_col]) if key_col is not None and key_col < width else ""
        # Codes and dossier ids have no spaces; "Nơi nhận:", "Tổng cộng", "Cộng" do (or are one word).
        if not key_text or ((" " in key_text or key_text.isalpha()) and _is_clutter_text(key_text)):
            if _is_footer(_row_texts(row)):
                break
            if _is_subtotal(_row_texts(row[:4])):
                continue
        code_text = key_text if key_col == code_col else ""
        if hierarchical and code_text and parsing.roman_to_int(code_text):
            area = code_text.rstrip(".").upper()
            if ds.name == "tasks":
                continue  # a section row: its numeral becomes the area of the tasks below
        elif ds.name == "tasks" and name_col is not None:
            filled = {c for c in mapped_cols if c < width and _cell_text(row[c])}
            heading = filled == {name_col} or (
                filled == {name_col, code_col} and not re.match(r"^\d", code_text)
            )
            if heading:
                # A group heading ("a) Nhiệm vụ …", "A. NHIỆM VỤ CHUNG") with nothing else: not a task.
                warnings.append(
                    Problem(filename, grid.name, i + 1, name_col, None, _cell_text(row[name_col])[:80],
                            "Dòng tiêu đề nhóm, không phải nhiệm vụ: bỏ qua.", "Group heading skipped.",
                            severity="warning")
                )  # fmt: skip
                continue
        data_rows.append(i)
        areas.append(area)

    frame = pd.DataFrame(index=range(len(data_rows)))
    excel_rows = [i + 1 for i in data_rows]
    raw: dict[str, list[Any]] = {}
    for c, name in header.mapping.items():
        raw[name] = [rows[i][c] if c < len(rows[i]) else "" for i in data_rows]

    def reporter(name: str) -> Callable[[int, Any, str], None]:
        c = col_of[name]
        label = header.labels.get(c) or ds.column(name).label

        def on_error(k: int, value: Any, message: str) -> None:
            problem(excel_rows[k], c, label, _cell_text(value), message, f"invalid value in column '{label}'")

        return on_error

    plan_year = sheet_year or date.today().year
    for col in ds.columns:
        if col.derived or col.name not in raw:
            continue
        frame[col.name] = _convert_column(raw[col.name], _converter(ds, col, plan_year), reporter(col.name))

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
                    problem(excel_rows[k], c, header.labels.get(c, col.label), "",
                            f"Ô bắt buộc «{col.label}» đang để trống.", f"Required cell '{col.label}' is empty.")  # fmt: skip

    post = _POST.get(ds.name)
    if post:
        post(frame, raw, areas, excel_rows, col_of, header, problem, warn, plan_year)

    if ds.scope and "year" in ds.scope and sheet_year is None:
        if ds.name == "dossiers" and "received_at" in frame and frame["received_at"].notna().any():
            sheet_year = int(pd.Series(frame["received_at"]).dropna().map(lambda d: d.year).mode().iloc[0])
        else:
            problem(None, None, None, title[:80],
                    "Không xác định được năm của số liệu (tiêu đề không ghi «NĂM 2024»); hãy chọn năm khi nạp.",
                    "Cannot tell the year; give it explicitly.")  # fmt: skip
    if ds.name == "scores" and sheet_quarter is None:
        problem(None, None, None, title[:80],
                "Không xác định được quý đánh giá (tiêu đề không ghi «Quý I/2024»); hãy chọn quý khi nạp.",
                "Cannot tell the quarter; give it explicitly.")  # fmt: skip

    for key in ds.key:
        if key in frame:
            dup = frame[key].duplicated(keep=False) & frame[key].notna()
            for k in frame.index[dup]:
                problem(excel_rows[k], col_of.get(key), ds.column(key).label, frame.at[k, key],
                        "Mã bị trùng trong cùng một bảng.", f"Duplicate {key}.")  # fmt: skip

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
        ds.name, grid.name, frame, excel_rows, header.row + 1, mapping,
        sheet_year, sheet_quarter, sheet_unit, title, warnings,
    )  # fmt: skip


def _converter(ds: Dataset, col: Column, plan_year: int) -> Callable[[Any], Any]:
    if col.name == "code":
        return _code
    if ds.name == "framework":
        if col.name == "rule":
            return _choice(RULE_KINDS, ", ".join(RULE_KINDS.values()))
        if col.name == "point_kind":
            return _choice(POINT_KINDS, ", ".join(POINT_KINDS.values()))
        if col.name == "metric":
            return _metric
    if ds.name == "units" and col.name == "kind":
        return _unit_kind
    if ds.name == "dossiers":
        if col.name == "status":
            return _wrap(
                lambda v: parsing.parse_dossier_status(v, unqualified=True), parsing.DOSSIER_STATUS_FORMS
            )
        if col.name == "channel":
            return _wrap(parsing.parse_channel, ", ".join(CHANNELS.values()))
    if ds.name == "scores" and col.name in ("self_points", "appraised_points", "max_points"):
        return _points_cell
    if col.type == "text":
        return _text
    if col.type == "float":
        return _wrap(parsing.parse_number, "một số, ví dụ 1,5")
    if col.type == "date":
        return _wrap(lambda v: parsing.parse_date(v, plan_year), "ngày dạng 30/06/2024")
    if col.type == "timestamp":
        return _wrap(parsing.parse_timestamp, "ngày giờ dạng 30/06/2024 14:30")
    if col.type == "bool":
        return _wrap(parsing.parse_bool, "«Có» hoặc «Không»")
    return _text


def _wrap(fn: Callable[[Any], Any], expected: str) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        try:
            return fn(value)
        except ParseError as exc:
            raise ParseError(f"{exc} (cần: {expected})") from None

    return convert


def _points_cell(value: Any) -> Any:
    """Score cells: numbers, or the answers Có / Không / Không áp dụng (resolved after max is known)."""
    if parsing.is_not_applicable(value):
        return "NA"
    key = fold(value)
    if key in ("co", "dat"):
        return "YES"
    if key in ("khong", "khong dat"):
        return "NO"
    try:
        return parsing.parse_number(value)
    except ParseError:
        raise ParseError("không phải số (cần: số điểm, hoặc «Có», «Không», «Không áp dụng»)") from None


# Dataset-specific post-processing ---------------------------------------------------------------


def _post_tasks(frame, raw, areas, excel_rows, col_of, header, problem, warn, plan_year):
    frame["area"] = areas
    c = col_of["deadline_text"]
    deadlines, ongoing, texts = [], [], []
    cache: dict[Any, Any] = {}
    for k, value in enumerate(raw["deadline_text"]):
        text = parsing.parse_date(value).strftime("%d/%m/%Y") if _is_date_cell(value) else _cell_text(value)
        texts.append(text or None)
        if not text:
            deadlines.append(None)
            ongoing.append(False)
            continue
        key = (type(value), value)
        try:
            parsed = cache[key] if key in cache else parsing.parse_deadline(value, plan_year)
            cache[key] = parsed
            deadlines.append(parsed.date)
            ongoing.append(parsed.ongoing)
        except ParseError as exc:
            problem(excel_rows[k], c, header.labels.get(c), text, f"{exc}.", "Cannot parse the deadline.",
                    parsing.DEADLINE_FORMS)  # fmt: skip
            deadlines.append(None)
            ongoing.append(False)
    frame["deadline_text"] = texts
    frame["deadline"] = deadlines
    frame["ongoing"] = ongoing
    if "status_text" in raw:
        c = col_of["status_text"]
        statuses = []
        for k, value in enumerate(raw["status_text"]):
            try:
                statuses.append(parsing.parse_task_status(value))
            except ParseError as exc:
                problem(excel_rows[k], c, header.labels.get(c), _cell_text(value), f"{exc}.",
                        "Unknown task status.", parsing.TASK_STATUS_FORMS)  # fmt: skip
                statuses.append(None)
        frame["status"] = statuses
    # Numbering that restarts in each section ("1, 2, … " under I, again under II) -> "II.1".
    codes = frame["code"]
    if codes.duplicated().any() and frame["area"].notna().all():
        per_area_unique = not frame.duplicated(subset=["area", "code"]).any()
        if per_area_unique and frame["area"].nunique() > 1:
            frame["code"] = frame["area"] + "." + codes
            warn(None, col_of.get("code"), header.labels.get(col_of.get("code"), "TT"), None,
                 "Số thứ tự đánh lại theo từng phần: mã nhiệm vụ được ghép với số La Mã (ví dụ «II.3»).",
                 "Numbering restarts per section: task codes prefixed with the section numeral.")  # fmt: skip


def _is_date_cell(value: Any) -> bool:
    return isinstance(value, date) or (
        isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 <= value <= 80000
    )


def _code_parent(code: str, known: set[str], area: str | None) -> str | None:
    if parsing.roman_to_int(code):
        return None
    parts = code.split(".")
    while len(parts) > 1:
        parts = parts[:-1]
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
    return area


def _levels(frame: pd.DataFrame, areas: list[str | None]) -> None:
    codes = [str(c) if c is not None else "" for c in frame["code"]]
    known = set(codes)
    frame["area"] = areas
    frame["parent"] = [_code_parent(c, known, a) for c, a in zip(codes, areas, strict=True)]
    levels = []
    for c in codes:
        if parsing.roman_to_int(c):
            levels.append("area")
        elif c.count(".") >= 2:
            levels.append("sub")
        else:
            levels.append("criterion")
    frame["level"] = levels


def _post_framework(frame, raw, areas, excel_rows, col_of, header, problem, warn, plan_year):
    _levels(frame, areas)
    if "point_kind" in frame:
        frame["point_kind"] = frame["point_kind"].where(frame["point_kind"].notna(), "assessed")
    else:
        frame["point_kind"] = "assessed"
    if "rule" not in frame:
        frame["rule"] = "manual"
    for k in frame.index:
        if frame.at[k, "level"] == "area":
            continue
        rule = frame.at[k, "rule"] or "manual"
        frame.at[k, "rule"] = rule
        thresholds = frame.at[k, "thresholds"] if "thresholds" in frame else None
        metric = frame.at[k, "metric"] if "metric" in frame else None
        c = col_of.get("thresholds")
        if rule == "bands":
            try:
                parse_band_text(thresholds)
            except ParseError as exc:
                problem(excel_rows[k], c, "Ngưỡng", thresholds, f"{exc}.", "Invalid thresholds.",
                        "«100%: 2; 80%: 1; 0%: 0»")  # fmt: skip
        if rule == "deduction":
            try:
                if parsing.parse_number(thresholds) is None:
                    raise ParseError("thiếu số điểm trừ mỗi lần")
            except ParseError as exc:
                problem(
                    excel_rows[k], c, "Ngưỡng", thresholds, f"{exc}.", "Points per event missing.", "«0,25»"
                )
        if rule in ("bands", "proportional", "deduction") and not metric:
            problem(excel_rows[k], col_of.get("metric"), "Chỉ số", "",
                    "Cách tính này cần một chỉ số để đọc.", "This rule needs a metric.",
                    ", ".join(METRICS.values()))  # fmt: skip
    # Leaf maxima must add up to the area maximum; a mismatch is worth a warning, not a refusal.
    codes = set(frame["code"])
    parents = set(frame["parent"].dropna())
    for k in frame.index[frame["level"] == "area"]:
        area_code = frame.at[k, "code"]
        leaves = frame[
            (frame["area"] == area_code) & (frame["level"] != "area") & ~frame["code"].isin(parents)
        ]
        total = float(leaves["max_points"].fillna(0).sum())
        declared = frame.at[k, "max_points"]
        if (
            declared is not None
            and not pd.isna(declared)
            and abs(total - float(declared)) > 1e-6
            and len(leaves)
        ):
            warn(excel_rows[k], col_of.get("max_points"), "Điểm tối đa", declared,
                 f"Tổng điểm các tiêu chí của lĩnh vực {area_code} là {total:g}, khác điểm tối đa ghi ở lĩnh vực.",
                 "Leaf maxima do not add up to the area maximum.")  # fmt: skip
    del codes


_BAND = re.compile(r"^\s*([<>=≥]*)\s*([-+]?\d+(?:[.,]\d+)?)\s*(%?)\s*[:=→]\s*([-+]?\d+(?:[.,]\d+)?)\s*$")


def parse_band_text(text: object) -> list[tuple[float, float, bool]]:
    """'100%: 2; 80%: 1; 0%: 0' -> [(100.0, 2.0, True), (80.0, 1.0, True), (0.0, 0.0, True)], highest first.

    Clauses of other kinds ('apology: 0.5') are ignored here; the rule engine reads them.
    """
    bands = []
    for part in re.split(r"[;\n]", clean(text)):
        if not part.strip() or re.match(r"^\s*[a-zA-Zà-ỹÀ-Ỹ]", part):
            continue
        m = _BAND.match(part)
        if not m:
            raise ParseError(f"không hiểu mức «{part.strip()}»")
        bands.append(
            (float(m.group(2).replace(",", ".")), float(m.group(4).replace(",", ".")), m.group(3) == "%")
        )
    if not bands:
        raise ParseError("thiếu các mức điểm")
    return sorted(bands, key=lambda b: -b[0])


def _post_scores(frame, raw, areas, excel_rows, col_of, header, problem, warn, plan_year):
    _levels(frame, areas)
    na = []
    for k in frame.index:
        maximum = frame.at[k, "max_points"]
        row_na = False
        for name in ("max_points", "self_points", "appraised_points"):
            if name not in frame:
                continue
            value = frame.at[k, name]
            if value == "NA":
                row_na = True
                frame.at[k, name] = None
            elif value in ("YES", "NO"):
                if name == "max_points":
                    problem(excel_rows[k], col_of[name], "Điểm tối đa", _cell_text(raw[name][k]),
                            "Điểm tối đa phải là số.", "Maximum must be a number.")  # fmt: skip
                    frame.at[k, name] = None
                else:
                    frame.at[k, name] = maximum if value == "YES" else 0.0
        for name in ("self_points", "appraised_points"):
            if name not in frame:
                continue
            value = frame.at[k, name]
            if value is not None and not pd.isna(value) and maximum is not None and not pd.isna(maximum):
                if float(value) > float(maximum) + 1e-9:
                    problem(excel_rows[k], col_of[name], header.labels.get(col_of[name]), _cell_text(raw[name][k]),
                            f"Điểm vượt điểm tối đa ({parsing_num(maximum)}).", "Points above the maximum.",
                            f"từ 0 đến {parsing_num(maximum)}")  # fmt: skip
                if float(value) < 0:
                    problem(excel_rows[k], col_of[name], header.labels.get(col_of[name]), _cell_text(raw[name][k]),
                            "Điểm âm.", "Negative points.", f"từ 0 đến {parsing_num(maximum)}")  # fmt: skip
        na.append(row_na)
    frame["not_applicable"] = na
    for name in ("max_points", "self_points", "appraised_points"):
        if name in frame:
            frame[name] = pd.to_numeric(frame[name], errors="coerce")


def parsing_num(value: float) -> str:
    from analysis.fmt import num

    return num(value)


def _post_units(frame, raw, areas, excel_rows, col_of, header, problem, warn, plan_year):
    codes = set(frame["code"].dropna())
    for name in ("successor", "parent"):
        if name not in frame:
            continue
        for k, value in frame[name].items():
            if pd.notna(value) and value and value not in codes:
                problem(excel_rows[k], col_of[name], header.labels.get(col_of[name]), value,
                        "Mã đơn vị này không có trong danh sách.", f"Unknown unit code in '{name}'.",
                        "một mã trong cột «Mã đơn vị»")  # fmt: skip


def _post_dossiers(frame, raw, areas, excel_rows, col_of, header, problem, warn, plan_year):
    """Settle «Đã giải quyết» without a timing from the dates: returned before the due day is early,
    on the due day on time, after it late. Without both dates the row is an error."""
    if "status" not in frame:
        return
    unqualified = frame.index[frame["status"] == parsing.RESOLVED_UNQUALIFIED]
    if not len(unqualified):
        return
    c = col_of["status"]
    settled = 0
    for k in unqualified:
        due = frame.at[k, "due_at"] if "due_at" in frame else None
        done = frame.at[k, "resolved_at"] if "resolved_at" in frame else None
        if due is None or done is None or pd.isna(due) or pd.isna(done):
            problem(excel_rows[k], c, header.labels.get(c), _cell_text(raw["status"][k]),
                    "Trạng thái đã giải quyết nhưng không rõ trước hạn, đúng hạn hay quá hạn, và thiếu "
                    "ngày hẹn trả hoặc ngày trả kết quả để xác định.",
                    "Resolved without a timing, and the due or resolution date is missing.",
                    parsing.DOSSIER_STATUS_FORMS)  # fmt: skip
            frame.at[k, "status"] = None
            continue
        day, due_day = done.date(), due.date()
        frame.at[k, "status"] = (
            "resolved_early" if day < due_day else "resolved_on_time" if day == due_day else "resolved_late"
        )
        settled += 1
    if settled:
        warn(None, c, header.labels.get(c), None,
             f"{settled} hồ sơ ghi «Đã giải quyết» không rõ thời hạn: đã xác định trước hạn / đúng hạn / quá hạn "
             "theo ngày trả kết quả so với ngày hẹn trả.",
             f"{settled} resolved dossiers without a timing were classified from their dates.")  # fmt: skip


_POST = {
    "tasks": _post_tasks,
    "framework": _post_framework,
    "scores": _post_scores,
    "units": _post_units,
    "dossiers": _post_dossiers,
}
