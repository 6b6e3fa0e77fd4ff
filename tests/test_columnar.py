"""The columnar path agrees with the per-value parsers, cell for cell (property tests).

Ingestion parses whole columns at once (analysis.store.parse_text_columns in DuckDB, Arrow for typed
cells and repeated values) and falls back to the per-value parsers of analysis.ingest.parsing for what
SQL leaves. The reference here is the per-value path itself (`_convert.COLUMNAR = False`), an
independent route to the same rows.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.errors import IngestError
from analysis.ingest import _convert, parsing, readers
from analysis.ingest.sheets import parse_file
from analysis.schema import CHANNELS, DOSSIER_STATUSES, TASK_STATUSES
from analysis.store import bulk, parse_text_columns

DAYS = st.dates(date(1990, 1, 1), date(2035, 12, 31))
MOMENTS = st.datetimes(datetime(1990, 1, 1), datetime(2035, 12, 31)).map(lambda t: t.replace(microsecond=0))


def _date_forms(d: date) -> list[str]:
    return [
        f"{d.day}/{d.month}/{d.year}",
        d.strftime("%d/%m/%Y"),
        d.strftime("%Y-%m-%d"),
        f"{d.year}-{d.month}-{d.day}",
        f" {d:%d/%m/%Y} ",  # stray spaces: not a SQL form, the parser's
        f"ngày {d.day} tháng {d.month} năm {d.year}",
        f"{d.day}-{d.month}-{d.year}",
    ]


def _moment_forms(t: datetime) -> list[str]:
    return [
        t.strftime("%d/%m/%Y %H:%M"),
        t.strftime("%d/%m/%Y %H:%M:%S"),
        f"{t.day}/{t.month}/{t.year} {t.hour}:{t.minute:02d}",
        t.strftime("%Y-%m-%d %H:%M:%S"),
        t.strftime("%d/%m/%Y"),
        t.strftime("%Y-%m-%d"),
        t.strftime("%d/%m/%Y %Hh%M"),
    ]


NEAR_MISSES = ["31/02/2024", "29/02/2023", "2024-13-01", "12/12/2024 24:00", "1/1/0000", "", "   ", "-", "x"]
dates = st.one_of(DAYS.flatmap(lambda d: st.sampled_from(_date_forms(d))), st.sampled_from(NEAR_MISSES))
moments = st.one_of(
    MOMENTS.flatmap(lambda t: st.sampled_from(_moment_forms(t))), st.sampled_from(NEAR_MISSES)
)
numbers = st.one_of(
    st.integers(-10_000, 10_000).map(str),
    st.tuples(st.integers(-999, 999), st.integers(0, 999_999), st.sampled_from([",", "."])).map(
        lambda t: f"{t[0]}{t[2]}{t[1]}"
    ),
    st.sampled_from(["+2,5", "-0.25", " 1,5 ", "1 000", "1.2.3", "", "—", "abc"]),
)
LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
words = st.text(LETTERS + LETTERS.upper() + "0123456789-./", min_size=1, max_size=8)
texts = st.one_of(
    st.lists(words, min_size=1, max_size=5).map(" ".join),
    st.tuples(
        st.lists(words, min_size=1, max_size=4), st.sampled_from([" ", "  ", "\u00a0", "\n", "\t"])
    ).map(lambda t: t[1].join(t[0]) + t[1]),
    st.lists(words, min_size=1, max_size=3).map(lambda w: unicodedata.normalize("NFD", " ".join(w))),
    st.just(""),
)

REFERENCE = {
    "date": lambda v: parsing.parse_date(v),
    "timestamp": parsing.parse_timestamp,
    "number": parsing.parse_number,
    "text": lambda v: parsing.clean(v) or None,
}
COMMON = {  # forms the SQL parse must take itself (else the columnar path quietly does nothing)
    "date": ["30/6/2024", "30/06/2024", "2024-06-30"],
    "timestamp": ["27/05/2024 10:03", "27/05/2024 10:03:59", "2024-05-27 10:03:00", "27/05/2024"],
    "number": ["1,5", "-2.25", "17"],
    "text": ["UBND xã Ba Tô", "H2024.00000001"],
}


def _reference(kind: str, cell: str):
    try:
        return REFERENCE[kind](cell)
    except parsing.ParseError:
        return "error"


@pytest.mark.parametrize("kind", list(COMMON))
def test_sql_parses_the_common_forms_itself(kind):
    [(values, ok)] = parse_text_columns({"c": pa.array(COMMON[kind])}, {"c": kind}).values()
    assert all(ok.to_pylist())
    assert values.to_pylist() == [_reference(kind, c) for c in COMMON[kind]]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(dates, min_size=1, max_size=30),
    st.lists(moments, min_size=1, max_size=30),
    st.lists(numbers, min_size=1, max_size=30),
    st.lists(texts, min_size=1, max_size=30),
)
def test_what_sql_parses_is_what_the_parsers_give(date_cells, moment_cells, number_cells, text_cells):
    cells = {"date": date_cells, "timestamp": moment_cells, "number": number_cells, "text": text_cells}
    for kind, column in cells.items():
        [(values, ok)] = parse_text_columns({kind: pa.array(column)}, {kind: kind}).values()
        for cell, value, taken in zip(column, values.to_pylist(), ok.to_pylist(), strict=True):
            if not taken:
                continue  # left to the per-value parser: compared in the tests below
            expected = _reference(kind, cell)
            if value is None:
                assert cell == "" and expected is None, (kind, cell)
            else:
                assert value == expected, (kind, cell, value, expected)


# Whole sheets: the columnar path and the per-value path give the same rows and the same messages ----

STATUS_FORMS = [*DOSSIER_STATUSES.values(), "đã giải quyết", "ĐANG XỬ LÝ QUÁ HẠN", "Da giai quyet dung han",
                "Đã trả kết quả trước hạn", "Rút hồ sơ", "Chờ bổ sung", "???"]  # fmt: skip
CHANNEL_FORMS = [
    *CHANNELS.values(),
    "trực tuyến mức độ 4",
    "Bưu chính công ích",
    "Nộp trực tiếp",
    "online",
    "",
]
TASK_STATUS_FORMS = [
    *TASK_STATUSES.values(),
    "Hoàn thành",
    "đang triển khai",
    "Chưa đến hạn",
    "HT",
    "",
    "xyz",
]
DEADLINE_FORMS = ["Quý II", "Quý I, II/2024", "Tháng 6/2024", "Trước 15/12/2024", "30/6", "6 tháng đầu năm",
                  "Năm 2024", "Thường xuyên", "Theo quy định", "Q3/2024", "31/02/2024", "", "sớm"]  # fmt: skip


def _frames(data: bytes, name: str, columnar: bool, monkeypatch) -> tuple[list | None, list[str] | None]:
    """Sheets of a file, (frame, Excel rows, warnings) each, or its problems. Columnar: a CSV read by DuckDB
    below its first `head` rows, and every text column parsed in SQL however small; otherwise the exact
    CSV reader and the per-value parsers."""
    monkeypatch.setattr(_convert, "COLUMNAR", columnar)
    monkeypatch.setattr(_convert, "SQL_MIN_DISTINCT", 0 if columnar else 10**9)
    monkeypatch.setattr(readers, "COLUMNAR_CSV_BYTES", 0 if columnar else 10**12)
    try:
        result = parse_file(data, name, bulk=bulk() if columnar else None)
        return [(s.frame, list(s.excel_rows), [str(w) for w in s.warnings]) for s in result.sheets], None
    except IngestError as exc:
        return None, [f"{p.cell} {p.column} {p.value} {p.message}" for p in exc.problems]


def _csv(rows: list[list[str]], blank_at: int | None = None) -> bytes:
    lines = [",".join(f'"{c}"' for c in row) for row in rows]
    if blank_at is not None:
        lines.insert(min(blank_at, len(lines)), "")  # a blank line: DuckDB would drop it
    return "\n".join(lines).encode("utf-8")


def _agree(data: bytes, name: str, monkeypatch, head: int = 1) -> None:
    monkeypatch.setattr(readers, "_HEAD_ROWS", head)
    monkeypatch.setattr(readers, "_HEAD_CHARS", 0)
    columnar, columnar_errors = _frames(data, name, True, monkeypatch)
    exact, errors = _frames(data, name, False, monkeypatch)
    assert columnar_errors == errors
    if errors is None:
        assert len(columnar) == len(exact)
        for (a, rows_a, warn_a), (b, rows_b, warn_b) in zip(columnar, exact, strict=True):
            pd.testing.assert_frame_equal(a, b)
            assert rows_a == rows_b and warn_a == warn_b


dossier_rows = st.lists(
    st.tuples(
        st.integers(1, 10**9).map(lambda n: f"H{n}"),
        texts,
        moments,
        moments,
        st.one_of(moments, st.just("")),
        st.sampled_from(STATUS_FORMS),
        st.sampled_from(CHANNEL_FORMS),
        st.sampled_from(["Có", "Không", "", "x", "có lỗi"]),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    dossier_rows, st.one_of(st.none(), st.integers(1, 30)), st.sampled_from(["", "Nơi nhận:", "Tổng cộng"])
)
def test_dossier_sheets_agree_cell_for_cell(monkeypatch, rows, blank_at, last):
    header = ["Mã hồ sơ", "Đơn vị xử lý", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày trả kết quả", "Trạng thái",
              "Hình thức nộp", "Đã xin lỗi"]  # fmt: skip
    body = [list(r) for r in rows] + ([[last]] if last else [])  # a footer or subtotal row below the table
    _agree(_csv([header, *body], blank_at), "ho_so_2024.csv", monkeypatch)


task_rows = st.lists(
    st.tuples(
        texts,
        st.sampled_from(["Phòng Nội vụ", "UBND xã Ba Tô", " Văn phòng  HĐND và UBND "]),
        st.one_of(st.sampled_from(DEADLINE_FORMS), dates),
        st.sampled_from(TASK_STATUS_FORMS),
        st.one_of(dates, st.just("")),
        st.sampled_from(["I", "Lĩnh vực II", "Cải cách TTHC", "", "lạ"]),
    ),
    min_size=1,
    max_size=15,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(task_rows)
def test_task_sheets_agree_cell_for_cell(monkeypatch, rows):
    header = ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Tình trạng", "Ngày hoàn thành",
              "Lĩnh vực"]  # fmt: skip
    body = [[str(k + 1), *r] for k, r in enumerate(rows)]
    _agree(
        _csv([["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024"], header, *body]), "nhiem_vu.csv", monkeypatch, head=2
    )


@pytest.mark.parametrize("case", ["csv_utf8_bom", "csv_cp1258", "csv_utf16", "flat_tasks"])
def test_gallery_csv_read_by_duckdb_agrees(monkeypatch, gallery, case):
    # UTF-8 goes to DuckDB as it is; Windows-1258 and UTF-16 are transcoded first. Header within the head.
    path = gallery[case]
    _agree(path.read_bytes(), path.name, monkeypatch, head=4)


def test_sample_progress_csv_read_by_duckdb_agrees(monkeypatch):
    # Title rows, sections, a subtotal-free task table and a signature footer, all below an 8-row head.
    path = Path(__file__).resolve().parent.parent / "data" / "sample" / "tien_do_nhiem_vu_2024_Q3.csv"
    if not path.exists():
        pytest.skip("sample data not generated")
    _agree(path.read_bytes(), path.name, monkeypatch, head=8)


def test_a_large_csv_is_read_by_duckdb(monkeypatch):
    # Not a fallback in disguise: the columnar reader keeps the rows below the head as an Arrow table.
    monkeypatch.setattr(readers, "COLUMNAR_CSV_BYTES", 0)
    monkeypatch.setattr(readers, "_HEAD_CHARS", 0)  # the head: the first 200 rows (_HEAD_ROWS)
    rows = [["Mã hồ sơ", "Đơn vị xử lý"], *[[f"H{k}", "UBND xã Ba Tô"] for k in range(300)]]
    [grid] = readers.read_grids(_csv(rows), "ho_so.csv", csv_table=bulk().read_csv_table)
    assert (len(grid.rows), grid.tail.num_rows) == (200, 101)
    [blank] = readers.read_grids(_csv(rows, blank_at=250), "ho_so.csv", csv_table=bulk().read_csv_table)
    assert blank.tail is None and len(blank.rows) == 302  # a blank line: the exact reader, every row a list


def test_typed_workbook_cells_agree(monkeypatch, gallery):
    # Excel dates, numbers and text in one workbook (the gallery's dossier export and score sheet).
    for case in ("dossiers", "scores", "plan_appendix", "ods_progress", "xls_plan", "html_as_xls"):
        path = gallery[case]
        _agree(path.read_bytes(), path.name, monkeypatch)
