"""The official two-level dossier statistics table: read, stored, and the same rates as the dossier list.

The table below was counted by hand from the eight dossiers of tests/test_dossier_review.py, for the
second quarter (01/04–30/06/2024), by the definitions of the review (resolved in the period; late =
after its due time; early = returned before the due day; pending overdue at the end of 30/06):

  unit          received  resolved (early, on time, late)  pending (not yet due, overdue)
  Phòng Nội vụ  4 (H05-H08)  1 (0, 1: H08, 0)              3 (1: H06 due 03/07; 2: H05, H07)
  Xã Ba Điền    4 (H01-H04)  3 (0, 2: H01 H02, 1: H03)     1 (0; 1: H04)
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
import xlsxwriter

from analysis import facade
from analysis.__main__ import main
from analysis.engine import dossiers as dossier_engine
from analysis.errors import IngestError
from analysis.ingest.sheets import parse_file
from analysis.store import Store
from tests.helpers_store import units_xlsx, write
from tests.test_dossier_review import HEADER, ROWS, _sheet

DIEN, NOI_VU = "Xã Ba Điền", "Phòng Nội vụ"
TABLE = [
    # unit, received total, carried over, online, direct, resolved total, early, on time, late,
    # pending total, not yet due, overdue
    [NOI_VU, 4, 0, 0, 4, 1, 0, 1, 0, 3, 1, 2],
    [DIEN, 4, 0, 0, 4, 3, 0, 2, 1, 1, 0, 1],
]


def stats_xlsx(
    rows: list[list], *, first: str = "Đơn vị", period: str, unit_line: str | None = None
) -> bytes:
    """The table as offices print it: title, period, three merged header rows, column numbers, total, footer."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = book.add_worksheet("Biểu 06")
    ws.write(0, 0, "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
    ws.write(1, 0, period)
    top = 2
    if unit_line:
        ws.write(2, 0, unit_line)
        top = 3
    ws.merge_range(top, 0, top + 2, 0, first)
    ws.merge_range(top, 1, top, 4, "Số hồ sơ nhận giải quyết")
    ws.merge_range(top, 5, top, 8, "Đã giải quyết")
    ws.merge_range(top, 9, top, 11, "Đang giải quyết")
    for c, label in ((1, "Tổng số"), (2, "Kỳ trước chuyển qua"), (5, "Tổng"), (6, "Trước hạn"), (7, "Đúng hạn"),
                     (8, "Quá hạn"), (9, "Tổng"), (10, "Chưa đến hạn"), (11, "Quá hạn")):  # fmt: skip
        ws.merge_range(top + 1, c, top + 2, c, label)
    ws.merge_range(top + 1, 3, top + 1, 4, "Mới tiếp nhận")
    ws.write(top + 2, 3, "Trực tuyến")
    ws.write(top + 2, 4, "Trực tiếp, bưu chính")
    for c in range(12):
        ws.write(top + 3, c, f"({c + 1})")
    r = top + 4
    for row in rows:
        for c, value in enumerate(row):
            ws.write(r, c, value)
        r += 1
    ws.write(r, 0, "Tổng cộng")
    for c in range(1, 12):
        ws.write(r, c, sum(row[c] for row in rows if isinstance(row[c], int)))
    ws.write(r + 2, 8, "NGƯỜI LẬP BIỂU")
    book.close()
    return buffer.getvalue()


@pytest.fixture
def both(tmp_path) -> Path:
    """The list and the table of the same dossiers, in two stores."""
    for name, content in (("list", _sheet(HEADER, ROWS)), ("table", stats_xlsx(TABLE, period=PERIOD))):
        db = tmp_path / f"{name}.duckdb"
        assert main(["load", str(write(tmp_path / "don_vi.xlsx", units_xlsx())), "--db", str(db)]) == 0
        assert main(["load", str(write(tmp_path / f"{name}.xlsx", content)), "--db", str(db)]) == 0
    return tmp_path


PERIOD = "Kỳ báo cáo: từ ngày 01/04/2024 đến ngày 30/06/2024"


def test_two_level_header_is_read():
    sheet = parse_file(stats_xlsx(TABLE, period=PERIOD), "bieu_06.xlsx").sheets[0]
    assert (sheet.dataset, sheet.year, sheet.quarter, sheet.rows) == ("dossier_stats", 2024, 2, 2)
    frame = sheet.frame.set_index("unit")
    assert frame.loc[DIEN, ["resolved_total", "resolved_early", "resolved_on_time", "resolved_late"]].tolist() == [
        3, 0, 2, 1,
    ]  # fmt: skip
    assert frame.loc[NOI_VU, ["received_direct", "pending_in_time", "pending_overdue"]].tolist() == [4, 1, 2]
    assert (frame["period_from"].iloc[0], frame["period_to"].iloc[0]) == (date(2024, 4, 1), date(2024, 6, 30))
    # Rows 1-2 title and period, 3-5 the header, 6 column numbers, 7-8 data; total and footer left out.
    assert sheet.excel_rows == [7, 8]


def test_table_by_field_with_the_unit_in_the_title():
    rows = [["Hộ tịch", 3, 0, 0, 3, 2, 0, 1, 1, 1, 0, 1], ["Chứng thực", 1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0]]
    data = stats_xlsx(rows, first="Lĩnh vực", period="Quý II năm 2024", unit_line="Đơn vị: Xã Ba Điền")
    sheet = parse_file(data, "bieu.xlsx").sheets[0]
    assert sheet.unit == DIEN and sheet.quarter == 2
    assert sheet.frame["field"].tolist() == ["Hộ tịch", "Chứng thực"]
    assert set(sheet.frame["unit"]) == {DIEN}
    assert sheet.frame["period_to"].iloc[0] == date(2024, 6, 30)


def test_bad_count_names_the_cell():
    rows = [[DIEN, 4, 0, 0, 4, "ba", 0, 2, 1, 1, 0, 1]]
    with pytest.raises(IngestError) as err:
        parse_file(stats_xlsx(rows, period=PERIOD), "bieu.xlsx")
    text = err.value.problems[0].text()
    assert "F7" in text and "«ba»" in text and "Đã giải quyết / Tổng" in text


def test_the_list_and_the_table_give_the_same_rates(both):
    q2 = (date(2024, 4, 1), date(2024, 6, 30))
    listed = dossier_engine.period_counts(facade.year_data(Store(both / "list.duckdb"), 2024).dossiers, *q2)
    table = dossier_engine.stats_rates(Store(both / "table.duckdb").dossier_rows(2024), *q2)
    columns = ["unit", "resolved", "resolved_early", "resolved_on_time", "resolved_late", "on_time_rate"]
    assert listed[columns].to_dict("records") == table[columns].to_dict("records")
    assert table.set_index("unit")["on_time_rate"].to_dict() == {NOI_VU: 1.0, DIEN: pytest.approx(2 / 3)}


def test_criteria_read_the_table_when_there_is_no_list(both):
    rows = Store(both / "table.duckdb").dossier_rows(2024)
    counts = dossier_engine.criterion_counts(rows, 2024, date(2024, 6, 30), None)
    # Resolved 1 + 3, late 1, pending overdue 2 + 1; the table does not say which had a slip.
    assert (counts["resolved"], counts["resolved_late"], counts["pending_overdue"]) == (4, 1, 3)
    assert counts["late_without_apology"] == 0
    # Before the period ends, no table covers the span yet.
    assert dossier_engine.criterion_counts(rows, 2024, date(2024, 5, 31), None)["resolved"] == 0


def test_upload_check_of_a_statistics_table(both):
    from analysis.workflow import auth, uploads

    store = Store(both / "list.duckdb")
    check = uploads.check_upload(store, stats_xlsx(TABLE, period=PERIOD), "bieu_06.xlsx", auth.LOCAL_USER)
    assert check.ok and check.problems == []
    assert [(b.dataset, b.year, b.quarter) for b in check.prepared.batches] == [("dossier_stats", 2024, 2)]


def test_tables_of_two_quarters_both_count(both, tmp_path):
    db = both / "table.duckdb"
    q1 = [[DIEN, 10, 0, 4, 6, 10, 5, 3, 2, 0, 0, 0]]
    path = write(
        tmp_path / "q1.xlsx", stats_xlsx(q1, period="Kỳ báo cáo: từ ngày 01/01/2024 đến ngày 31/03/2024")
    )
    assert main(["load", str(path), "--db", str(db)]) == 0
    counts = dossier_engine.criterion_counts(Store(db).dossier_rows(2024), 2024, date(2024, 6, 30), None)
    # Q1 10 resolved (2 late) + Q2 4 resolved (1 late); online 4 in Q1; pending overdue of the last period.
    assert (counts["resolved"], counts["resolved_late"], counts["online"], counts["pending_overdue"]) == (
        14,
        3,
        4,
        3,
    )
