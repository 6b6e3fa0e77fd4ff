"""Frameworks per level: a commune is scored with the commune framework when one is loaded."""

from __future__ import annotations

import json
from pathlib import Path

from helpers_store import FRAMEWORK_HEADER, framework_rows, scores_rows, units_xlsx, write, xlsx_bytes

from analysis.__main__ import main

COMMUNE_FRAMEWORK = [
    ["BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CẤP XÃ NĂM 2024"],
    list(FRAMEWORK_HEADER),
    ["I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", 2, None, None, None],
    ["1.1", "Mức độ hoàn thành kế hoạch CCHC", 2, "Nhập tay", None, None],
]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_commune_is_scored_with_the_commune_framework(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "levels.duckdb")
    files = {
        "don_vi.xlsx": units_xlsx(),
        "bo_tieu_chi_huyen.xlsx": xlsx_bytes({"Bộ tiêu chí": framework_rows(2024)}),
        "td_xa_q1.xlsx": xlsx_bytes({"Tự đánh giá": scores_rows(2024, 1, "Xã Ba Điền", points=1.5)}),
    }
    for name, content in files.items():
        code, _, err = run(capsys, "load", str(write(tmp_path / name, content)), "--db", db)
        assert code == 0, err

    def index(*extra: str) -> dict:
        code, out, err = run(
            capsys, "summary", "--year", "2024", "--quarter", "1", "--json", "--db", db, *extra
        )
        assert code == 0, err
        return json.loads(out)["index"]

    # Before a commune framework: the commune is scored with the district's (max 2 + 1 + 2 = 5).
    assert index("--unit", "Xã Ba Điền")["max"] == 5.0
    commune = write(tmp_path / "bo_tieu_chi_xa.xlsx", xlsx_bytes({"Bộ tiêu chí": COMMUNE_FRAMEWORK}))
    code, out, err = run(capsys, "load", str(commune), "--level", "commune", "--db", db)
    assert code == 0, err
    assert "bộ tiêu chí cấp xã, thị trấn" in out
    # Now the commune framework (max 2): 1.1 by hand, self-assessed 1.5 in Q1 -> 1.5 of 2 = 75 %.
    own = index("--unit", "Xã Ba Điền")
    assert (own["max"], own["likely"], own["percent"]) == (2.0, 1.5, 75.0)
    # The district keeps its own framework (loading the commune level replaced nothing of it).
    assert index()["max"] == 5.0
