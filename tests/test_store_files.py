"""Original files are kept (compressed) and given back byte for byte; odd CSV line endings are read."""

from __future__ import annotations

import duckdb

from analysis.ingest.readers import read_grids
from analysis.ingest.sheets import ReadOptions
from analysis.store import Store
from analysis.workflow.load import commit, prepare

CSV = "TT,Nội dung nhiệm vụ,Cơ quan chủ trì,Thời gian hoàn thành\n1,Ban hành kế hoạch,Phòng Nội vụ,Quý I\n"


def test_original_file_round_trips_and_is_stored_smaller(tmp_path):
    store = Store(tmp_path / "x.duckdb")
    rows = "".join(f"{i},Ban hành kế hoạch số {i},Phòng Nội vụ,Quý I\n" for i in range(1, 501))
    data = ("DANH MỤC NHIỆM VỤ NĂM 2024\n" + CSV.splitlines()[0] + "\n" + rows).encode("utf-8")
    prepared = prepare(store, data, "nhiem_vu.csv", ReadOptions(kind="tasks"))
    commit(store, prepared, "test")
    assert store.file_content(prepared.result.sha256) == data
    # Read the DuckDB file directly: the kept copy is compressed (500 near-identical lines).
    con = duckdb.connect(str(store.path))
    (stored,) = con.execute("SELECT octet_length(content) FROM files").fetchone()
    con.close()
    assert stored < len(data) / 3


def test_file_content_is_the_uploaded_bytes(tmp_path):
    store = Store(tmp_path / "x.duckdb")
    data = ("DANH MỤC NHIỆM VỤ NĂM 2024\n" + CSV).encode("utf-8")
    prepared = prepare(store, data, "nhiem_vu.csv", ReadOptions(kind="tasks"))
    commit(store, prepared, "test")
    assert store.file_content(prepared.result.sha256) == data


def test_bare_carriage_returns_are_line_breaks():
    data = CSV.replace("\n", "\r").encode("utf-8")
    (grid,) = read_grids(data, "old_mac.csv")
    assert grid.rows[1][:2] == ["1", "Ban hành kế hoạch"]
