"""Find the structure of a sheet on its first rows: the header row and its columns, the dataset it
holds, clutter rows (column numbers, subtotals, signature footers, group headings), and the year,
quarter and unit its title names."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from analysis.ingest import parsing
from analysis.schema import DATASETS, TASK_AREA_HEADERS, Dataset
from analysis.text import clean, fold

HEADER_SCAN_ROWS = 40

FOOTER_WORDS = (
    "nguoi lap",
    "noi nhan",
    "chu tich",
    "kt chu tich",
    "tm uy ban",
    "tm ubnd",
    "thu truong",
    "giam doc",
    "truong phong",
    "xac nhan",
    "nguoi ky",
    "ky ten",
    "pho chu tich",
    "lanh dao",
    "ghi chu",
)
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
_ANY_YEAR = parsing.YEAR_PATTERN
_QUARTER_IN_TITLE = re.compile(r"\bquy\s*(iv|iii|ii|i|[1-4])\b")
_QUARTER_IN_NAME = re.compile(r"(?:^|[^a-z0-9])q([1-4])(?:[^0-9]|$)")
_UNIT_LABEL = re.compile(r"^(?:ten )?(?:don vi|co quan|dia phuong)(?: duoc danh gia| tu danh gia)?$")


@dataclass
class _Header:
    dataset: Dataset
    row: int  # 0-based index of the last header row
    first_row: int
    labels: dict[int, str]  # col -> header label as shown
    mapping: dict[int, str]  # col -> canonical column
    score: float


# Header detection --------------------------------------------------------------------------


def _alias_index(ds: Dataset) -> list[tuple[str, str]]:
    """(folded alias, column) pairs, longest first so the most specific alias wins a prefix match."""
    pairs = []
    for col in ds.sheet_columns:
        for alias in (col.label, *col.aliases):
            pairs.append((fold(alias), col.name))
    if ds.name == "tasks":  # flat exports: the area in a column of its own
        pairs += [(fold(alias), "area") for alias in TASK_AREA_HEADERS]
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


def _letter_index(letter: str) -> int:
    idx = 0
    for ch in letter.strip().upper():
        idx = idx * 26 + (ord(ch) - 64)
    return idx - 1
