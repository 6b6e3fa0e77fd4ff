"""The store: batches, the event log, what is current, all-or-nothing loads, concurrent writers."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from helpers_store import (
    PROJECT,
    dossier_rows,
    framework_and_tasks_xlsx,
    framework_rows,
    scores_rows,
    simple_tasks,
    tasks_rows,
    tasks_xlsx,
    units_xlsx,
    write,
    xlsx_bytes,
)

import analysis.store as store_module
from analysis.errors import IngestError
from analysis.ingest.sheets import ReadOptions
from analysis.store import Store, StoreError
from analysis.workflow.load import commit, prepare


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "x.duckdb")


def load(store: Store, data: bytes, name: str, user: str = "analyst", **kw) -> list[int]:
    return commit(store, prepare(store, data, name, ReadOptions(**kw)), user)


def test_each_sheet_is_one_batch_with_its_origin(store: Store) -> None:
    data = xlsx_bytes({"Nhiệm vụ": tasks_rows(2024, simple_tasks(3)), "Bộ tiêu chí": framework_rows(2024)})
    before = datetime.now().replace(microsecond=0)
    ids = load(store, data, "ke_hoach_2024.xlsx", user="nguyen.van.a")
    batches = store.batches().set_index("batch_id")
    assert sorted(batches.index) == sorted(ids) and len(ids) == 2
    sha = hashlib.sha256(data).hexdigest()
    by_sheet = batches.set_index("sheet")
    # 3 tasks; framework: 2 areas + 3 criteria = 5 rows
    assert by_sheet.loc["Nhiệm vụ", "dataset"] == "tasks"
    assert by_sheet.loc["Nhiệm vụ", "row_count"] == 3
    assert by_sheet.loc["Bộ tiêu chí", "dataset"] == "framework"
    assert by_sheet.loc["Bộ tiêu chí", "row_count"] == 5
    for sheet in ("Nhiệm vụ", "Bộ tiêu chí"):
        row = by_sheet.loc[sheet]
        assert row["file_name"] == "ke_hoach_2024.xlsx"
        assert row["sha256"] == sha
        assert row["loaded_by"] == "nguyen.van.a"
        assert row["year"] == 2024
        assert before <= row["loaded_at"] <= datetime.now() + timedelta(seconds=1)
        assert bool(row["current"])
    assert store.file_content(sha) == data
    assert len(store.current("tasks", 2024)) == 3


def test_current_rows_have_the_canonical_types(store: Store) -> None:
    rows = [["I", "CHỈ ĐẠO"], [1, "Kế hoạch", "Phòng Nội vụ", "31/03/2024", "Đã hoàn thành", "15/03/2024", "1.1"],
            [2, "Báo cáo", "Phòng Nội vụ", "Thường xuyên", "Đang thực hiện", None, None]]  # fmt: skip
    load(store, tasks_xlsx(2024, rows), "nv.xlsx")
    tasks = store.current("tasks", 2024)
    assert str(tasks["deadline"].dtype).startswith("datetime64")
    assert tasks["ongoing"].dtype == bool
    assert tasks["deadline"].tolist()[0] == pd.Timestamp("2024-03-31")
    assert pd.isna(tasks["deadline"].tolist()[1])
    assert tasks["ongoing"].tolist() == [False, True]
    assert tasks["status"].tolist() == ["done", "in_progress"]
    assert tasks["criterion"].tolist() == ["1.1", None]


def test_unknown_apology_stays_unknown(store: Store) -> None:
    # An empty "Đã xin lỗi" cell is unknown (None), not "no apology" (False): the engine only
    # deducts for a late dossier whose slip is known to be missing.
    load(store, units_xlsx(), "don_vi.xlsx")
    load(store, xlsx_bytes({"HS": dossier_rows(2024)}), "ho_so.xlsx")
    dossiers = store.current("dossiers", 2024)
    assert dossiers["apology"].tolist() == [None, True, False]


def test_newer_upload_supersedes_older_of_same_year_and_history_keeps_it(store: Store) -> None:
    [old] = load(store, tasks_xlsx(2024, simple_tasks(2, tag=" (bản 1)")), "v1.xlsx")
    [other_year] = load(store, tasks_xlsx(2023, simple_tasks(4)), "nv_2023.xlsx")
    [new] = load(store, tasks_xlsx(2024, simple_tasks(3, tag=" (bản 2)")), "v2.xlsx")

    current = store.current("tasks", 2024)
    assert current["title"].tolist() == ["Nhiệm vụ 1 (bản 2)", "Nhiệm vụ 2 (bản 2)", "Nhiệm vụ 3 (bản 2)"]
    assert len(store.current("tasks", 2023)) == 4  # another year is another scope
    assert len(store.current("tasks")) == 3 + 4

    flags = store.batches("tasks").set_index("batch_id")["current"].astype(bool).to_dict()
    assert flags == {old: False, other_year: True, new: True}
    assert store.batch_rows(old)["title"].tolist() == ["Nhiệm vụ 1 (bản 1)", "Nhiệm vụ 2 (bản 1)"]
    assert store.table_sizes()["tasks"] == 2 + 4 + 3


def test_scores_of_other_quarters_and_units_do_not_supersede(store: Store) -> None:
    load(store, units_xlsx(), "don_vi.xlsx")
    [q1] = load(store, xlsx_bytes({"Q1": scores_rows(2024, 1, None, 1.0)}), "huyen_q1.xlsx")
    [q2] = load(store, xlsx_bytes({"Q2": scores_rows(2024, 2, None, 1.25)}), "huyen_q2.xlsx")
    [q1_commune] = load(
        store, xlsx_bytes({"Q1": scores_rows(2024, 1, None, 0.5)}), "xa_q1.xlsx", unit="UBND xã Ba Điền"
    )
    batches = store.batches("scores").set_index("batch_id")
    assert batches["current"].astype(bool).all()
    assert batches.loc[q1_commune, "unit"] == "Xã Ba Điền"
    assert pd.isna(batches.loc[q1, "unit"])

    # A corrected district Q1 replaces only the district Q1.
    [q1_fixed] = load(store, xlsx_bytes({"Q1": scores_rows(2024, 1, None, 2.0)}), "huyen_q1_sua.xlsx")
    flags = store.batches("scores").set_index("batch_id")["current"].astype(bool).to_dict()
    assert flags == {q1: False, q2: True, q1_commune: True, q1_fixed: True}
    leaf = store.current("scores", 2024)
    leaf = leaf[leaf["code"] == "1.1"].sort_values(["quarter", "unit"], na_position="first")
    assert list(zip(leaf["quarter"], leaf["unit"], leaf["self_points"], strict=True)) == [
        (1, None, 2.0),
        (1, "Xã Ba Điền", 0.5),
        (2, None, 1.25),
    ]
    # The district alone, one quarter:
    district_q2 = store.current("scores", 2024, quarter=2, unit=None, filter_unit=True)
    assert district_q2["self_points"].dropna().tolist() == [1.25]


def test_rollback_makes_an_earlier_batch_current_and_deletes_nothing(store: Store) -> None:
    [first] = load(store, tasks_xlsx(2024, simple_tasks(2)), "v1.xlsx")
    [second] = load(store, tasks_xlsx(2024, simple_tasks(5)), "v2.xlsx")
    sizes = store.table_sizes()
    version = store.version()

    event = store.rollback(first, "truong.phong", note="bản 2 nhầm cột")
    assert len(store.current("tasks", 2024)) == 2
    flags = store.batches("tasks").set_index("batch_id")["current"].astype(bool).to_dict()
    assert flags == {first: True, second: False}

    after = store.table_sizes()
    assert after["events"] == sizes["events"] + 1
    assert {k: v for k, v in after.items() if k != "events"} == {
        k: v for k, v in sizes.items() if k != "events"
    }
    assert store.version() > version
    log = store.events()
    top = log.iloc[0]
    assert (top["event_id"], top["action"], top["batch_id"], top["event_by"], top["note"]) == (
        event,
        "rollback",
        first,
        "truong.phong",
        "bản 2 nhầm cột",
    )
    assert log["action"].tolist() == ["rollback", "commit", "commit"]

    # Rolling forward again is another event; the rows of both versions are still there.
    store.rollback(second, "truong.phong")
    assert len(store.current("tasks", 2024)) == 5
    assert store.table_sizes()["tasks"] == 2 + 5


def test_rollback_of_an_unknown_batch_is_refused(store: Store) -> None:
    sizes = store.table_sizes()
    with pytest.raises(StoreError, match="Không có lần nạp số 42"):
        store.rollback(42, "x")
    assert store.table_sizes() == sizes


def test_withdraw_leaves_the_scope_empty_and_is_an_event(store: Store) -> None:
    [only] = load(store, tasks_xlsx(2024, simple_tasks(2)), "v1.xlsx")
    key = store.batches("tasks").loc[0, "scope_key"]
    store.withdraw("tasks", key, "x")
    assert store.current("tasks", 2024).empty
    assert store.years() == []
    assert store.table_sizes()["tasks"] == 2
    store.rollback(only, "x")
    assert store.years() == [2024]


def test_a_file_with_an_error_on_its_second_sheet_loads_nothing(store: Store) -> None:
    load(store, tasks_xlsx(2023, simple_tasks(1)), "truoc.xlsx")
    sizes = store.table_sizes()
    bad = tasks_rows(
        2024, [["I", "CHỈ ĐẠO"], [1, "Báo cáo", "Phòng Nội vụ", "ngày mai nhé", None, None, None]]
    )
    data = xlsx_bytes({"Bộ tiêu chí": framework_rows(2024), "Nhiệm vụ": bad})
    with pytest.raises(IngestError) as caught:
        load(store, data, "hai_trang.xlsx")
    [problem] = caught.value.problems
    assert (problem.sheet, problem.row, problem.cell) == ("Nhiệm vụ", 4, "D4")
    assert store.table_sizes() == sizes
    assert store.current("framework", 2024).empty


def test_an_exception_during_commit_leaves_the_database_unchanged(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(store, tasks_xlsx(2023, simple_tasks(1)), "truoc.xlsx")
    sizes = store.table_sizes()
    version = store.version()
    data = framework_and_tasks_xlsx(2024, 3)
    prepared = prepare(store, data, "hai_trang.xlsx")
    original = Store._insert_batch
    calls = []

    def fail_on_second(self, con, batch, user, now):
        calls.append(batch.dataset)
        if len(calls) == 2:
            raise OSError("disk full")
        return original(self, con, batch, user, now)

    monkeypatch.setattr(Store, "_insert_batch", fail_on_second)
    with pytest.raises(OSError, match="disk full"):
        commit(store, prepared, "x")
    assert calls == ["framework", "tasks"]
    assert store.table_sizes() == sizes
    assert store.version() == version
    assert store.current("framework", 2024).empty

    monkeypatch.setattr(Store, "_insert_batch", original)
    assert len(commit(store, prepared, "x")) == 2  # the same prepared file loads once the fault is gone


def test_identical_reupload_is_detected_but_the_same_bytes_for_another_year_are_not(store: Store) -> None:
    data = tasks_xlsx(2024, simple_tasks(2))
    ids = load(store, data, "nv.xlsx")
    again = prepare(store, data, "nv (1).xlsx")
    assert again.duplicate_of == ids

    # A CSV that does not name its year, loaded for two years on purpose.
    csv = "TT,Nội dung nhiệm vụ,Cơ quan chủ trì,Thời gian hoàn thành\n1,Báo cáo,Phòng Nội vụ,31/12\n".encode()
    ids_2023 = load(store, csv, "nv.csv", year=2023)
    assert prepare(store, csv, "nv.csv", ReadOptions(year=2024)).duplicate_of == []
    assert prepare(store, csv, "nv.csv", ReadOptions(year=2023)).duplicate_of == ids_2023


def test_units_lists_names_first_seen_in_data_as_other(store: Store) -> None:
    load(store, units_xlsx(), "don_vi.xlsx")
    load(store, tasks_xlsx(2024, simple_tasks(1, unit="Ban Dân tộc")), "nv.xlsx")
    units = store.units()
    extra = units[units["name"] == "Ban Dân tộc"]
    assert extra["kind"].tolist() == ["other"]
    assert extra["code"].tolist() == [None] and extra["parent"].tolist() == [None]
    assert len(units) == 5 + 1


def test_two_threads_committing_at_once_leave_a_consistent_database(tmp_path: Path) -> None:
    path = tmp_path / "x.duckdb"
    Store(path)
    prepared = [
        prepare(Store(path), tasks_xlsx(2024, simple_tasks(n, tag=f" ({n})")), f"v{n}.xlsx") for n in (3, 7)
    ]
    barrier = threading.Barrier(2)
    results: dict[int, list[int]] = {}
    errors: list[BaseException] = []

    def worker(p) -> None:
        try:
            s = Store(path)
            barrier.wait()
            results[len(p.batches[0].frame)] = commit(s, p, "t")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(p,)) for p in prepared]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    store = Store(path)
    batches = store.batches("tasks").set_index("batch_id")
    assert sorted(batches.index) == sorted(results[3] + results[7])
    later = max(batches.index)
    assert batches["current"].astype(bool).to_dict() == {b: b == later for b in batches.index}
    # Each batch holds exactly its own rows, and the current view is the later batch whole.
    assert store.table_sizes()["tasks"] == 3 + 7
    assert len(store.batch_rows(results[3][0])) == 3 and len(store.batch_rows(results[7][0])) == 7
    assert len(store.current("tasks", 2024)) == batches.loc[later, "row_count"]
    assert store.events()["batch_id"].tolist() == sorted(batches.index, reverse=True)


def test_two_processes_loading_into_one_file_leave_a_consistent_database(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    files = [write(tmp_path / f"v{n}.xlsx", tasks_xlsx(2024, simple_tasks(n, tag=f" ({n})"))) for n in (4, 9)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "analysis", "load", str(f), "--db", str(db), "--user", f.stem],
            cwd=PROJECT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in files
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    store = Store(db)
    batches = store.batches("tasks").set_index("batch_id")
    assert sorted(batches["row_count"]) == [4, 9]
    later = max(batches.index)
    assert batches["current"].astype(bool).to_dict() == {b: b == later for b in batches.index}
    assert store.table_sizes()["tasks"] == 4 + 9
    assert len(store.current("tasks", 2024)) == batches.loc[later, "row_count"]
    assert sorted(batches["loaded_by"]) == ["v4", "v9"]


def test_a_locked_file_gives_a_vietnamese_store_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "x.duckdb"
    Store(db)
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,sys,time; c=duckdb.connect({str(db)!r}); print('ok', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "ok"
        monkeypatch.setattr(store_module, "LOCK_WAIT_SECONDS", 1.0)
        start = datetime.now()
        with pytest.raises(StoreError, match="đang bị tiến trình khác sử dụng"):
            Store(db)
        assert datetime.now() - start < timedelta(seconds=10)
    finally:
        holder.kill()
        holder.wait()


def test_default_path_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCHC_DB", str(tmp_path / "env.duckdb"))
    assert Store().path == (tmp_path / "env.duckdb").resolve()
    assert (tmp_path / "env.duckdb").exists()


def test_a_session_opens_the_file_once_and_releases_it(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    load(store, tasks_xlsx(2024, simple_tasks(2)), "nv.xlsx")
    opened = []
    real_connect = store_module.duckdb.connect

    def counting_connect(*args, **kwargs):
        opened.append(args)
        return real_connect(*args, **kwargs)

    monkeypatch.setattr(store_module.duckdb, "connect", counting_connect)
    with store.session():
        store.version()
        store.current("tasks", 2024)
        store.units()  # nests a session of its own
        store.batches()
    assert len(opened) == 1
    store.version()
    store.version()
    assert len(opened) == 3  # outside a session every call opens and closes the file

    # After the session another process can write to the file.
    loaded = subprocess.run(
        [sys.executable, "-c", f"import duckdb; duckdb.connect({str(store.path)!r}).close()"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert loaded.returncode == 0, loaded.stderr


def test_a_commit_inside_a_session_is_still_all_or_nothing(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    sizes = store.table_sizes()
    data = framework_and_tasks_xlsx(2024, 3)
    prepared = prepare(store, data, "hai_trang.xlsx")
    original = Store._insert_batch

    def fail_on_tasks(self, con, batch, user, now):
        if batch.dataset == "tasks":
            raise RuntimeError("boom")
        return original(self, con, batch, user, now)

    monkeypatch.setattr(Store, "_insert_batch", fail_on_tasks)
    with store.session():
        with pytest.raises(RuntimeError):
            commit(store, prepared, "x")
        assert store.table_sizes() == sizes  # the session's connection is usable and saw nothing
    assert store.table_sizes() == sizes
