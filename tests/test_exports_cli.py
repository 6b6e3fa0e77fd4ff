"""`python -m analysis export …` writes the workbooks the pages offer; CSV for people is neutralised."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from helpers_store import framework_rows, scores_rows, tasks_xlsx, write, xlsx_bytes

from analysis import facade
from analysis.__main__ import main
from analysis.exports.csvtext import FORMULA_STARTS, neutralise
from analysis.present import tables
from analysis.store import Store

# Three tasks of 2024. As of 30/06/2024 (end of Q2):
#   1 due 31/03, not done            -> open overdue (Phòng Nội vụ is late)
#   2 due 31/03, done 15/03          -> done on time
#   3 due 31/12, not done            -> open, in time
TASKS = [
    ["I", "CÔNG TÁC CHỈ ĐẠO"],
    [1, "@SUM(1+1)*cmd", "Phòng Nội vụ", "31/03/2024", "Chưa thực hiện", None, None],
    [2, "-Ban hành kế hoạch", "Văn phòng HĐND và UBND", "31/03/2024", "Đã hoàn thành", "15/03/2024", None],
    [3, "Kiểm tra cải cách", "Văn phòng HĐND và UBND", "31/12/2024", "Chưa thực hiện", None, None],
]


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "x.duckdb")
    files = [
        write(tmp_path / "bo_tieu_chi.xlsx", xlsx_bytes({"Bộ tiêu chí": framework_rows(2024)})),
        write(tmp_path / "ke_hoach.xlsx", tasks_xlsx(2024, TASKS)),
        write(tmp_path / "tu_cham.xlsx", xlsx_bytes({"Tự chấm": scores_rows(2024, 2, None)})),
    ]
    assert main(["load", *map(str, files), "--db", path]) == 0
    capsys.readouterr()
    return path


def _sheet(path: Path) -> list[list[object]]:
    book = openpyxl.load_workbook(path)
    return [list(r) for r in book[book.sheetnames[0]].iter_rows(values_only=True)]


def test_export_tasks_writes_the_page_workbook(db: str, tmp_path: Path) -> None:
    out = tmp_path / "nhiem_vu.xlsx"
    assert main(["export", "tasks", "--year", "2024", "--quarter", "2", "--xlsx", str(out), "--db", db]) == 0
    rows = _sheet(out)
    assert rows[0][0] == "DANH SÁCH NHIỆM VỤ CCHC NĂM 2024 (tình trạng đến 30/06/2024)"
    header = next(r for r in rows if r and r[0] == "TT")
    body = rows[rows.index(header) + 1 :]
    states = {str(r[0]): r[header.index("Tình trạng")] for r in body if r[0] is not None}
    assert states == {
        "1": "Chưa hoàn thành quá hạn",
        "2": "Hoàn thành đúng hạn",
        "3": "Chưa hoàn thành trong hạn",
    }
    # The text is written as text: the formula-like title is not a formula in the workbook.
    titles = [r[header.index("Nhiệm vụ")] for r in body]
    assert titles[0] == "@SUM(1+1)*cmd"
    book = openpyxl.load_workbook(out)
    assert all(c.data_type != "f" for row in book.active.iter_rows() for c in row)


def test_export_late_units_lists_the_unit_with_an_overdue_task(db: str, tmp_path: Path) -> None:
    out = tmp_path / "cham_tre.xlsx"
    assert (
        main(["export", "late-units", "--year", "2024", "--quarter", "2", "--xlsx", str(out), "--db", db])
        == 0
    )
    rows = _sheet(out)
    assert rows[0][0] == "DANH SÁCH ĐƠN VỊ CHẬM TRỄ — QUÝ II/2024 (số liệu đến 30/06/2024)"
    cells = [c for r in rows for c in r if c is not None]
    assert "Phòng Nội vụ" in cells and "Văn phòng HĐND và UBND" not in cells


def test_export_criteria_matches_the_page_table(db: str, tmp_path: Path) -> None:
    out = tmp_path / "tieu_chi.xlsx"
    assert (
        main(["export", "criteria", "--year", "2024", "--quarter", "2", "--xlsx", str(out), "--db", db]) == 0
    )
    rows = _sheet(out)
    # No units file was loaded, so the organisation is unknown: «Toàn đơn vị».
    assert rows[0][0] == "CHỈ SỐ THÀNH PHẦN — QUÝ II/2024 — Toàn đơn vị (số liệu đến 30/06/2024)"
    store = Store(db)
    data = facade.year_data(store, 2024)
    expected = tables.criteria_table(facade.criteria(data, facade.resolve_as_of(data, quarter=2)))
    codes = [r[0] for r in rows if r and r[0] in set(expected["Mã"])]
    assert codes == list(expected["Mã"])  # framework_rows: 1.1, 1.2, 2.1 (areas are not criteria rows)


def test_export_of_a_year_without_data_says_so(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.xlsx"
    assert main(["export", "tasks", "--year", "2019", "--quarter", "1", "--xlsx", str(out), "--db", db]) == 2
    assert "Chưa có số liệu của năm 2019" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_text_starting_like_a_formula_is_neutralised(start: str) -> None:
    assert neutralise(f"{start}1+1") == f"'{start}1+1"
    assert neutralise(f"a{start}") == f"a{start}"
    assert neutralise(-5) == -5


def test_csv_dump_neutralises_formula_text(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dump", "tasks", "--year", "2024", "--format", "csv", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "'@SUM(1+1)*cmd" in out and "'-Ban hành kế hoạch" in out
    assert ",@SUM" not in out and ",-Ban" not in out
