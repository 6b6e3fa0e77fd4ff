"""Flat task exports: the area comes from a column of its own when there are no section rows.

Expected areas are read off FLAT_TASK_ROWS in tests/fixtures/make_fixtures.py by hand.
"""

from __future__ import annotations

import pandas as pd
import pytest
from make_fixtures import FLAT_TASK_ROWS, _csv_text

from analysis.errors import IngestError
from analysis.ingest.parsing import ParseError, parse_area
from analysis.ingest.sheets import parse_file


def test_flat_task_csv_loads_with_the_areas_of_its_area_column(gallery):
    result = parse_file(gallery["flat_tasks"].read_bytes(), gallery["flat_tasks"].name)
    [sheet] = result.sheets
    assert sheet.dataset == "tasks" and sheet.year == 2024  # the year from the file name
    assert {m["col"]: m["column"] for m in sheet.mapping}["B"] == "area"
    areas = [None if pd.isna(a) else a for a in sheet.frame["area"]]
    by_code = dict(zip(sheet.frame["code"], areas, strict=True))
    # «I» -> I; «Lĩnh vực II» -> II; «III. Cải cách TTHC» -> III; «cải cách tài chính công» (no accents
    # needed, the name of area VI) -> VI; «7» -> VII; empty -> no area; task 7 stands under the section row
    # «VIII» and its cell says «V»: the section row wins.
    assert by_code == {"1": "I", "2": "II", "3": "III", "4": "VI", "5": "VII", "6": None, "7": "VIII"}
    # The section row is not a task: 9 lines = header + 7 tasks + 1 section row.
    assert len(FLAT_TASK_ROWS) == 9 and len(sheet.frame) == 7
    assert list(sheet.excel_rows) == [2, 3, 4, 5, 6, 7, 9]


def test_an_unknown_area_is_refused_with_its_cell(tmp_path):
    rows = [r[:] for r in FLAT_TASK_ROWS[:3]]
    rows[2][1] = "Lĩnh vực khác"  # row 3 as Excel shows it, column B
    path = tmp_path / "nhiem_vu_2024.csv"
    path.write_bytes(_csv_text(rows).encode("utf-8"))
    with pytest.raises(IngestError) as caught:
        parse_file(path.read_bytes(), path.name)
    [p] = caught.value.problems
    assert (p.row, p.cell, p.column, p.value) == (3, "B3", "Nhóm nhiệm vụ", "Lĩnh vực khác")
    assert "không nhận ra lĩnh vực" in p.message and "La Mã" in p.expected


@pytest.mark.parametrize(
    "cell, area",
    [
        ("IV", "IV"),
        ("iv.", "IV"),
        ("Lĩnh vực VIII", "VIII"),
        ("Phần II", "II"),
        ("2", "II"),
        (3.0, "III"),
        ("Cải cách thể chế", "II"),
        ("CẢI CÁCH CHẾ ĐỘ CÔNG VỤ", "V"),
        ("Chính quyền điện tử", "VII"),  # a part of the name of VII only
        ("Tác động của CCHC", "VIII"),
        ("", None),
        ("-", None),
    ],
)
def test_area_cell_forms(cell, area):
    assert parse_area(cell) == area


@pytest.mark.parametrize("cell", ["Cải cách hành chính", "Lĩnh vực khác", "99", "???"])
def test_area_cells_that_name_no_single_area_are_refused(cell):
    # «Cải cách hành chính» is part of the names of both I and VIII: ambiguous.
    with pytest.raises(ParseError):
        parse_area(cell)
