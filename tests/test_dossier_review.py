"""The weekly dossier review on small hand-checked files, loaded through the real ingestion path.

Week 26 of 2024 runs from Monday 24/06 to Sunday 30/06. The fixture (two units, four officials):

  id  unit         official        received          due               resolved          status in file
  H01 Xã Ba Điền   Nguyễn Văn An   17/06 08:00       25/06 10:00       25/06 10:00       đúng hạn      (exactly at due)
  H02 Xã Ba Điền   Nguyễn Văn An   18/06 08:00       26/06 (no time)   26/06 16:45       Đã giải quyết (date-only due)
  H03 Xã Ba Điền   Trần Thị Bình   18/06 09:00       27/06 (no time)   28/06 09:00       quá hạn, slip sent
  H04 Xã Ba Điền   Trần Thị Bình   19/06 09:00       28/06 17:00       —                 đang xử lý quá hạn, no slip
  H05 Phòng Nội vụ Lê Văn Cường    20/06 10:00       30/06 (no time)   —                 đang xử lý còn hạn
  H06 Phòng Nội vụ Phạm Thị Dung   21/06 10:00       03/07 17:00       05/07 10:00       quá hạn
  H07 Phòng Nội vụ Lê Văn Cường    10/06 10:00       21/06 17:00       02/07 09:00       quá hạn (pending across 30/06)
  H08 Phòng Nội vụ Lê Văn Cường    24/06 08:00       24/06 17:00       24/06 16:00       đúng hạn
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from analysis import facade
from analysis.__main__ import main
from analysis.engine import dossiers as dossier_engine
from analysis.errors import UserError
from analysis.store import Store
from tests.helpers_store import units_xlsx, write, xlsx_bytes

HEADER = [
    "STT", "Mã hồ sơ", "Đơn vị", "Cán bộ thụ lý", "Tên TTHC", "Ngày tiếp nhận", "Ngày hẹn trả",
    "Ngày trả kết quả", "Trạng thái", "Đã xin lỗi (Mẫu 04)",
]  # fmt: skip
DIEN, NOI_VU = "Xã Ba Điền", "Phòng Nội vụ"
AN, BINH, CUONG, DUNG = "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"
ROWS = [
    ["H01", DIEN, AN, "Chứng thực", "17/06/2024 08:00", "25/06/2024 10:00", "25/06/2024 10:00", "Đã giải quyết đúng hạn", None],
    ["H02", DIEN, AN, "Khai sinh", "18/06/2024 08:00", "26/06/2024", "26/06/2024 16:45", "Đã giải quyết", None],
    ["H03", DIEN, BINH, "Kết hôn", "18/06/2024 09:00", "27/06/2024", "28/06/2024 09:00", "Đã giải quyết quá hạn", "Có"],
    ["H04", DIEN, BINH, "Khai tử", "19/06/2024 09:00", "28/06/2024 17:00", None, "Đang xử lý quá hạn", "Không"],
    ["H05", NOI_VU, CUONG, "Thi đua", "20/06/2024 10:00", "30/06/2024", None, "Đang xử lý còn hạn", None],
    ["H06", NOI_VU, DUNG, "Tôn giáo", "21/06/2024 10:00", "03/07/2024 17:00", "05/07/2024 10:00", "Đã giải quyết quá hạn", None],
    ["H07", NOI_VU, CUONG, "Thi đua", "10/06/2024 10:00", "21/06/2024 17:00", "02/07/2024 09:00", "Đã giải quyết quá hạn", None],
    ["H08", NOI_VU, CUONG, "Thi đua", "24/06/2024 08:00", "24/06/2024 17:00", "24/06/2024 16:00", "Đã giải quyết đúng hạn", None],
]  # fmt: skip


def _sheet(header: list[str], rows: list[list]) -> bytes:
    numbered = [[i, *row] for i, row in enumerate(rows, start=1)]
    return xlsx_bytes({"Hồ sơ": [["DANH SÁCH HỒ SƠ TTHC NĂM 2024"], header, *numbered]})


def _load(tmp_path: Path, content: bytes, name: str = "ho_so.xlsx") -> Path:
    db = tmp_path / "review.duckdb"
    assert main(["load", str(write(tmp_path / "don_vi.xlsx", units_xlsx())), "--db", str(db)]) == 0
    assert main(["load", str(write(tmp_path / name, content)), "--db", str(db)]) == 0
    return db


@pytest.fixture
def db(tmp_path) -> Path:
    return _load(tmp_path, _sheet(HEADER, ROWS))


def _cli(db: Path, capsys, *args: str) -> dict:
    assert main(["late-list", "--year", "2024", *args, "--db", str(db), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


# Periods ---------------------------------------------------------------------------------------


def test_iso_weeks_across_year_ends():
    assert dossier_engine.iso_week(2024, 1) == (date(2024, 1, 1), date(2024, 1, 7))  # 1/1/2024 is a Monday
    assert dossier_engine.iso_week(2020, 53) == (date(2020, 12, 28), date(2021, 1, 3))
    assert dossier_engine.weeks_in_year(2020) == 53 and dossier_engine.weeks_in_year(2024) == 52
    assert dossier_engine.iso_week(2025, 1) == (date(2024, 12, 30), date(2025, 1, 5))
    assert dossier_engine.week_label(2024, 26) == "Tuần 26/2024 (24/6–30/6/2024)"
    assert dossier_engine.week_label(2020, 53) == "Tuần 53/2020 (28/12–3/1/2021)"
    assert dossier_engine.parse_week("26", 2024) == (2024, 26)
    assert dossier_engine.parse_week("2024-W26", 2023) == (2024, 26)
    assert dossier_engine.parse_week("2020-w53", 2020) == (2020, 53)
    with pytest.raises(UserError, match="không có tuần 53"):
        dossier_engine.parse_week("53", 2024)
    with pytest.raises(UserError, match="không hợp lệ"):
        dossier_engine.parse_week("tuần 5", 2024)
    assert dossier_engine.month_span(2024, 2) == (date(2024, 2, 1), date(2024, 2, 29))
    assert dossier_engine.quarter_span(2024, 4) == (date(2024, 10, 1), date(2024, 12, 31))


# The week's late list ---------------------------------------------------------------------------


def test_week_26_late_list(db, capsys):
    late = _cli(db, capsys, "--week", "26")
    assert (late["week"], late["from"], late["to"]) == ("2024-W26", "2024-06-24", "2024-06-30")
    assert late["title"] == (
        "Danh sách đơn vị, cá nhân chậm trễ trong giải quyết TTHC — Tuần 26/2024 (24/6–30/6/2024)"
    )
    # Resolved in the week: H01 (exactly at its due time: on time), H02 (due date without a time:
    # due at the end of 26/06, resolved 16:45 that day: on time), H03 (late), H08 -> 4, 1 late, 3/4.
    assert (late["resolved"], late["resolved_late"], late["on_time_rate"]) == (4, 1, 0.75)
    # Pending overdue at the end of Sunday 30/06: H04 (due 28/06 17:00), H05 (due 30/06, no time: the
    # end of that day is not after the end of the week), H07 (due 21/06, resolved only on 02/07).
    # H06 is pending but due 03/07: not overdue yet.
    assert late["pending_overdue"] == 3
    assert late["units"] == [
        {"unit": NOI_VU, "resolved": 1, "resolved_late": 0, "pending_overdue": 2, "on_time_rate": 1.0,
         "late_without_apology": 0},
        {"unit": DIEN, "resolved": 3, "resolved_late": 1, "pending_overdue": 1, "on_time_rate": 0.6667,
         "late_without_apology": 1},
    ]  # fmt: skip
    # Most late first, then by name: both have 2.
    assert late["officials"] == [
        {"official": CUONG, "unit": NOI_VU, "resolved_late": 0, "pending_overdue": 2},
        {"official": BINH, "unit": DIEN, "resolved_late": 1, "pending_overdue": 1},
    ]
    by_id = {d["dossier_id"]: d for d in late["dossiers"]}
    assert sorted(by_id) == ["H03", "H04", "H05", "H07"]
    # Days late: H03 due 27/06, resolved 28/06 -> 1; H04 due 28/06, still open on 30/06 -> 2;
    # H05 due 30/06 -> 0; H07 due 21/06 -> 9 at 30/06.
    assert {k: (d["state"], d["days_late"], d["apology"]) for k, d in by_id.items()} == {
        "H03": ("resolved_late", 1, True),
        "H04": ("pending_overdue", 2, False),
        "H05": ("pending_overdue", 0, None),
        "H07": ("pending_overdue", 9, None),
    }
    assert by_id["H03"]["official"] == BINH
    assert (by_id["H03"]["due_at"], by_id["H03"]["resolved_at"]) == ("2024-06-27 00:00", "2024-06-28 09:00")
    assert by_id["H04"]["resolved_at"] is None and by_id["H04"]["procedure"] == "Khai tử"


def test_pending_across_the_week_end_is_resolved_late_the_next_week(db, capsys):
    late = _cli(db, capsys, "--week", "2024-W27")
    # Resolved 01/07–07/07: H07 (due 21/06, resolved 02/07 -> 11 days) and H06 (due 03/07 17:00,
    # resolved 05/07 -> 2 days): 2 resolved, both late. Still open and overdue on 07/07: H04 (9 days
    # after 28/06) and H05 (7 days after 30/06).
    assert (late["resolved"], late["resolved_late"], late["on_time_rate"]) == (2, 2, 0.0)
    days = {d["dossier_id"]: (d["state"], d["days_late"]) for d in late["dossiers"]}
    assert days == {
        "H04": ("pending_overdue", 9),
        "H05": ("pending_overdue", 7),
        "H06": ("resolved_late", 2),
        "H07": ("resolved_late", 11),
    }
    assert {(o["official"], o["resolved_late"], o["pending_overdue"]) for o in late["officials"]} == {
        (CUONG, 1, 1),  # H07 resolved late, H05 overdue
        (DUNG, 1, 0),
        (BINH, 0, 1),
    }


def test_week_with_nothing_late(db, capsys):
    # 10/06–16/06: nothing resolved; H07 (received 10/06) is due only on 21/06.
    late = _cli(db, capsys, "--week", "24")
    assert (late["resolved"], late["resolved_late"], late["pending_overdue"]) == (0, 0, 0)
    assert late["on_time_rate"] is None
    assert late["units"] == [] and late["officials"] == [] and late["dossiers"] == []


def test_one_unit_and_an_unknown_unit(db, capsys):
    late = _cli(db, capsys, "--week", "26", "--unit", "xã ba điền")
    assert late["unit"] == DIEN
    assert (late["resolved"], late["resolved_late"], late["pending_overdue"]) == (3, 1, 1)
    assert {d["dossier_id"] for d in late["dossiers"]} == {"H03", "H04"}
    assert (
        main(["late-list", "--year", "2024", "--week", "26", "--unit", "Xã Ba Xa", "--db", str(db), "--json"])
        == 2
    )
    assert "Không có hồ sơ nào của đơn vị «Xã Ba Xa»" in capsys.readouterr().err


def test_bad_week_is_refused_in_vietnamese(db, capsys):
    assert main(["late-list", "--year", "2024", "--week", "53", "--db", str(db), "--json"]) == 2
    assert "Năm 2024 không có tuần 53" in capsys.readouterr().err


def test_missing_handler_column(tmp_path, capsys):
    header = [h for h in HEADER if h != "Cán bộ thụ lý"]
    rows = [[v for i, v in enumerate(r) if i != 2] for r in ROWS]
    db = _load(tmp_path, _sheet(header, rows))
    capsys.readouterr()
    late = _cli(db, capsys, "--week", "26")
    # The same counts; the late dossiers are grouped under an unknown official per unit.
    assert (late["resolved"], late["resolved_late"], late["pending_overdue"]) == (4, 1, 3)
    assert late["officials"] == [
        {"official": None, "unit": NOI_VU, "resolved_late": 0, "pending_overdue": 2},
        {"official": None, "unit": DIEN, "resolved_late": 1, "pending_overdue": 1},
    ]
    tables = facade.late_list_tables(late)
    assert set(tables["Cá nhân chậm trễ"]["Cán bộ thụ lý"]) == {"Chưa rõ cán bộ thụ lý"}


def test_handler_header_aliases(tmp_path, capsys):
    header = ["Người xử lý" if h == "Cán bộ thụ lý" else h for h in HEADER]
    db = _load(tmp_path, _sheet(header, ROWS))
    capsys.readouterr()
    late = _cli(db, capsys, "--week", "26")
    assert {o["official"] for o in late["officials"]} == {BINH, CUONG}


def test_excel_export_of_the_late_list(db, capsys, tmp_path):
    out = tmp_path / "ds.xlsx"
    assert main(["late-list", "--year", "2024", "--week", "26", "--db", str(db), "--xlsx", str(out)]) == 0
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(out))
    assert book.sheet_names == ["Đơn vị chậm trễ", "Cá nhân chậm trễ", "Hồ sơ trễ hạn"]
    cells = [c for row in book.get_sheet_by_name("Hồ sơ trễ hạn").to_python() for c in row]
    assert "H07" in cells and "Đang xử lý quá hạn" in cells and "Chưa rõ" in cells
    title = book.get_sheet_by_name("Đơn vị chậm trễ").to_python()[0][0]
    assert "TUẦN 26/2024 (24/6–30/6/2024)" in title


# One implementation: the engine's criterion, the year summary and the week agree ----------------


def test_criterion_reads_the_same_aggregates(db):
    store = Store(db)
    data = facade.year_data(store, 2024)
    # Year to 30/06 (dossiers received from 1/1; H06 and H07 are resolved only in July): resolved
    # H01, H02, H03, H08 -> 4, late H03; pending overdue H04, H05, H07 -> 3.
    summary = facade.dossier_summary(data, date(2024, 6, 30)).set_index("unit")
    assert summary.loc[DIEN, ["resolved", "late", "open_overdue"]].tolist() == [3, 1, 1]
    assert summary.loc[NOI_VU, ["resolved", "late", "open_overdue"]].tolist() == [1, 0, 2]
    counts = dossier_engine.criterion_counts(data.dossiers, 2024, date(2024, 6, 30), None)
    assert (counts["resolved"], counts["resolved_late"], counts["pending_overdue"]) == (4, 1, 3)
    # H04 overdue with the slip recorded as not sent -> the Mẫu 04 clause applies.
    assert counts["late_without_apology"] == 1


def test_weekly_trend_and_its_chart(db):
    data = facade.year_data(Store(db), 2024)
    weekly = facade.dossier_weekly_on_time(data, date(2024, 7, 7))
    rows = {(r["unit"], r["week"]): (r["resolved"], r["on_time"]) for r in weekly.to_dict("records")}
    # W26: Điền resolved H01, H02 on time and H03 late; Nội vụ H08 on time. W27: H06, H07 late.
    assert rows == {(DIEN, "2024-W26"): (3, 2), (NOI_VU, "2024-W26"): (1, 1), (NOI_VU, "2024-W27"): (2, 0)}
    from analysis.present.dossier_review import weekly_on_time_chart

    bands = [(1.0, 3.0), (0.98, 2.0), (0.95, 1.0), (0.0, 0.0)]
    fig = weekly_on_time_chart(weekly, bands, "Tỷ lệ đúng hạn", "", [DIEN, NOI_VU])
    assert [t.name for t in fig.data] == [NOI_VU, DIEN]
    assert list(fig.data[0].y) == [100.0, 0.0]
    assert list(fig.layout.xaxis.categoryarray) == ["2024-W26", "2024-W27"]
    assert [s.y0 for s in fig.layout.shapes] == [100.0, 98.0, 95.0]  # the bands, not the 0 % floor


# The sample ---------------------------------------------------------------------------------------


def test_sample_late_lists_name_some_units_and_officials_not_everyone(tmp_path):
    from analysis.workflow.load import load_sample, sample_files

    if not sample_files():
        pytest.skip("data/sample has no files (python data/make_sample.py writes them)")
    store = Store(tmp_path / "sample.duckdb")
    load_sample(store)
    data = facade.year_data(store, 2024)
    units, officials = set(), set()
    for _, _, late in [
        (y, w, facade.dossier_late_list(data, "week", y, w))
        for y, w, _ in facade.dossier_weeks(data, date(2024, 12, 31))
    ]:
        units |= {u["unit"] for u in late["units"]}
        officials |= {(o["official"], o["unit"]) for o in late["officials"]}
        # Every week names someone, never every unit, and at most half of the 86 officials.
        assert 0 < len(late["units"]) < 29 and 0 < len(late["officials"]) <= 43, late["label"]
        assert all(o["official"] for o in late["officials"]), "the sample names the handler of every dossier"
    # Over the year, most units and officials are late at least once: the list moves week to week.
    assert len(units) > 29 // 2 and len(officials) > 86 // 2


def test_word_notice_from_the_cli_has_the_title_and_the_late_dossiers(db, tmp_path):
    import docx

    out = tmp_path / "thong_bao.docx"
    code = main(["late-list", "--year", "2024", "--week", "26", "--db", str(db), "--docx", str(out)])
    assert code == 0
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Tuần 26/2024 (24/6–30/6/2024)" in text
    cells = {c.text.strip() for table in document.tables for row in table.rows for c in row.cells}
    # The four late dossiers of week 26 (see test_week_26_late_list) and both units appear in the tables.
    assert {"H03", "H04", "H05", "H07", NOI_VU, DIEN} <= cells
