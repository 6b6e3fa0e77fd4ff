"""Cell conversion: one converter per (dataset, column), parsing each distinct value once."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, time
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from analysis.ingest import parsing
from analysis.ingest._detect import _cell_text
from analysis.ingest.parsing import ParseError
from analysis.schema import CHANNELS, METRICS, POINT_KINDS, RULE_KINDS, UNIT_KINDS, Column, Dataset
from analysis.text import fold

# False sends every column through the per-value path: the reference the columnar path is tested against.
COLUMNAR = True


def convert_values(
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


def converter(ds: Dataset, col: Column, plan_year: int) -> Callable[[Any], Any]:
    """The per-value converter of a column."""
    return converter_and_kind(ds, col, plan_year)[0]


def converter_and_kind(ds: Dataset, col: Column, plan_year: int) -> tuple[Callable[[Any], Any], str | None]:
    """The per-value converter of a column, and the kind of whole-column parse that accepts the same
    common forms (analysis.store.TEXT_FORMS), None for the columns converted per distinct value only."""
    if col.name == "code":
        return _code, None
    if ds.name == "framework":
        if col.name == "rule":
            return _choice(RULE_KINDS, ", ".join(RULE_KINDS.values())), None
        if col.name == "point_kind":
            return _choice(POINT_KINDS, ", ".join(POINT_KINDS.values())), None
        if col.name == "metric":
            return _metric, None
    if ds.name == "units" and col.name == "kind":
        return _unit_kind, None
    if ds.name == "dossiers":
        if col.name == "status":
            return _wrap(
                lambda v: parsing.parse_dossier_status(v, unqualified=True), parsing.DOSSIER_STATUS_FORMS
            ), None
        if col.name == "channel":
            return _wrap(parsing.parse_channel, ", ".join(CHANNELS.values())), None
    if ds.name == "scores" and col.name in ("self_points", "appraised_points", "max_points"):
        return _points_cell, None
    if col.type == "text":
        return _text, "text"
    if col.type == "float":
        return _wrap(parsing.parse_number, "một số, ví dụ 1,5"), "number"
    if col.type == "date":
        return _wrap(lambda v: parsing.parse_date(v, plan_year), "ngày dạng 30/06/2024"), "date"
    if col.type == "timestamp":
        return _wrap(parsing.parse_timestamp, "ngày giờ dạng 30/06/2024 14:30"), "timestamp"
    if col.type == "bool":
        return _wrap(parsing.parse_bool, "«Có» hoặc «Không»"), None
    return _text, "text"


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


# Column at a time ---------------------------------------------------------------------------------


class Cells(Sequence[Any]):
    """A column of text cells held as an Arrow array (a large CSV), read like a list of cells: an empty
    cell is '' as the CSV reader gives it."""

    def __init__(self, array: pa.Array):
        self.array = array

    def __len__(self) -> int:
        return len(self.array)

    def __getitem__(self, k: Any) -> Any:
        if not isinstance(k, int | np.integer):
            raise TypeError("Cells are read one at a time")
        value = self.array[int(k)].as_py()
        return "" if value is None else value

    def __iter__(self) -> Iterator[Any]:
        return ("" if v is None else v for v in self.array.to_pylist())


def _arrow(values: Sequence[Any], kind: str | None) -> pa.Array | None:
    """The cells as one Arrow array, empty cells as nulls; None when the column mixes kinds of values
    (text and numbers, dates and text): such a column is converted value by value."""
    if isinstance(values, Cells):
        return values.array
    try:
        return pa.array(values)
    except _ARROW_ERRORS:
        pass
    if kind in ("date", "timestamp"):
        # Excel gives a date-only cell as a date and the others as datetimes: one kind for the column.
        values = [None if v == "" else datetime.combine(v, time()) if type(v) is date else v for v in values]
    else:
        values = [None if isinstance(v, str) and v == "" else v for v in values]
    try:
        return pa.array(values)
    except _ARROW_ERRORS:
        return None


_ARROW_ERRORS = (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError)


def _native(arr: pa.Array, kind: str | None) -> pa.Array | None:
    """Typed cells that need no parsing for this kind (Excel dates for a date column, numbers for a
    number column); None when they do."""
    t = arr.type
    if pa.types.is_null(t) and kind is not None:
        return arr
    if kind == "timestamp" and (pa.types.is_timestamp(t) or pa.types.is_date(t)):
        return pc.cast(arr, pa.timestamp("us"))
    if kind == "date" and pa.types.is_timestamp(t):
        return pc.cast(pc.floor_temporal(arr, unit="day"), pa.date32())
    if kind == "date" and pa.types.is_date(t):
        return pc.cast(arr, pa.date32())
    if kind == "number" and (pa.types.is_floating(t) or pa.types.is_integer(t)):
        return pc.cast(arr, pa.float64())
    return None


def _encode(arr: pa.Array) -> pa.DictionaryArray | None:
    """The column as distinct values and indices; None for kinds of values Arrow cannot encode."""
    try:
        return pc.dictionary_encode(arr, null_encoding="encode")
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
        return None


def _by_distinct(
    encoded: pa.DictionaryArray,
    convert: Callable[[Any], Any],
    on_error: Callable[[int, Any, str], None],
    rows: np.ndarray | None = None,
) -> list[Any]:
    """Convert each distinct value once and spread the results (statuses, channels, units repeat).
    `rows` are the row numbers of the cells when they are a part of a column."""
    distinct = encoded.dictionary.to_pylist()
    results: list[Any] = []
    failed: dict[int, str] = {}
    for k, value in enumerate(distinct):
        try:
            results.append(convert(value))
        except ParseError as exc:
            failed[k] = str(exc)
            results.append(None)
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    if failed:
        for i in np.flatnonzero(np.isin(indices, list(failed))):
            k = int(indices[i])
            on_error(int(i if rows is None else rows[i]), distinct[k], failed[k])
    table = np.empty(len(results), dtype=object)
    table[:] = results
    return table[indices].tolist()


# Below this many distinct values a column is converted per distinct value in Python, which is cheaper
# than a query; above it (ids, timestamps, free text of a large export) in one DuckDB query.
SQL_MIN_DISTINCT = 2000
_SAMPLE = 50_000  # the distinct values are counted on the first rows only


def _many_distinct(arr: pa.Array) -> bool:
    """Text with at least SQL_MIN_DISTINCT distinct values among its first rows."""
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return False
    return pc.count_distinct(arr.slice(0, _SAMPLE)).as_py() >= SQL_MIN_DISTINCT


def convert_columns(
    raw: dict[str, list[Any]],
    ds: Dataset,
    plan_year: int,
    reporters: dict[str, Callable[[int, Any, str], None]],
    parse_text: Callable[[dict[str, Any], dict[str, str]], dict[str, tuple[Any, Any]]] | None = None,
) -> dict[str, Any]:
    """Convert the mapped columns of a sheet, whole columns at a time.

    Excel dates and numbers need no parsing. Text cells of columns with many distinct values are parsed
    by `parse_text` (the store's one DuckDB query for all such columns, see analysis.ingest.bulk) in the
    common forms (30/06/2024 14:30, 1,5, clean text).
    Everything else goes to the per-value parsers once per distinct value, which is also where the
    messages naming cell and value come from. A column mixing kinds of values (text and numbers) is
    converted value by value. Errors are reported column by column, row by row, as cell by cell would.
    """
    columns = [c for c in ds.columns if not c.derived and c.name in raw]
    converters = {c.name: converter_and_kind(ds, c, plan_year) for c in columns}
    out: dict[str, Any] = {}
    encoded: dict[str, pa.DictionaryArray] = {}
    arrays: dict[str, pa.Array] = {}
    for col in columns:
        name, kind = col.name, converters[col.name][1]
        arr = _arrow(raw[name], kind) if COLUMNAR else None
        native = _native(arr, kind) if arr is not None else None
        if native is not None:
            out[name] = [None] * len(arr) if pa.types.is_null(native.type) else native.to_pandas()
        elif arr is not None and parse_text is not None and kind is not None and _many_distinct(arr):
            arrays[name] = arr  # ids, times, free text: parsed in SQL, never hashed whole
        elif arr is not None and (enc := _encode(arr)) is not None:
            arrays[name], encoded[name] = arr, enc
    to_parse = {n: a for n, a in arrays.items() if n not in encoded}
    parsed = parse_text(to_parse, {n: converters[n][1] for n in to_parse}) if to_parse else {}
    for col in columns:
        name = col.name
        convert, on_error = converters[name][0], reporters[name]
        if name in out:
            continue
        if name not in encoded and name not in to_parse:
            out[name] = convert_values(raw[name], convert, on_error)
            continue
        if name not in parsed:
            out[name] = _by_distinct(encoded[name], convert, on_error)
            continue
        values, ok = parsed[name]
        series = values.to_pandas()
        rest = np.flatnonzero(~ok.to_numpy(zero_copy_only=False))
        if len(rest):
            fixed = _by_distinct(_encode(arrays[name].take(pa.array(rest))), convert, on_error, rest)
            # The cells left unparsed are null already; only the values the parsers found are set.
            found = [k for k, v in enumerate(fixed) if v is not None]
            if found:
                series.iloc[rest[found]] = [fixed[k] for k in found]
        # An empty column stays a column of None, as the per-value path leaves it.
        out[name] = [None] * len(series) if series.isna().all() else series
    return {c.name: out[c.name] for c in columns}
