"""The analyst's workflow through the app (AppTest): upload, check, preview, diff, commit, roll back.

Expected numbers come from views.summary computed on the store directly, plus hand arithmetic on
the tasks the test changes.
"""

from __future__ import annotations

import threading
from datetime import date

import pandas as pd
import pytest
from helpers_store import BAD_CELL_COLUMNS, BAD_CELLS, BAD_ROWS, csv_bytes, sheet_xlsx
from streamlit.testing.v1 import AppTest

from analysis.engine.tasks import task_states
from analysis.engine.year import summary_for
from analysis.ingest.sheets import sha256_of
from analysis.ingest.templates import template_filled
from analysis.present import tables
from analysis.store import Store
from analysis.workflow import auth, uploads
from analysis.workflow.load import prepare, sample_files

from .conftest import APP

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COMMIT = "Ghi vào cơ sở dữ liệu"
ANALYST = auth.User("nhap.lieu", "analyst", "Chuyên viên")


def _app() -> AppTest:
    # The uploads below are 2024 files; the sample also holds 2025, which the app opens by default.
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["year"] = "2024"
    at.run()
    return at


def _upload_page(at: AppTest) -> AppTest:
    at.switch_page("pages/upload.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert [t.value for t in at.title] == ["Tải dữ liệu"]
    return at


def _commit_buttons(at: AppTest) -> list:
    return [b for b in at.button if b.label == COMMIT]


def _frames(at: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


def _done(summary: dict) -> int:
    return summary["tasks"]["done_on_time"] + summary["tasks"]["done_late"]


def _finishing_three(store: Store) -> tuple[bytes, list[str]]:
    """The current plan with three tasks that are overdue on 31/12/2024 reported done on 15/12/2024."""
    tasks = store.current("tasks", 2024)
    states = task_states(tasks, date(2024, 12, 31))
    chosen = tasks.index[states == "open_overdue"][:3]
    assert len(chosen) == 3, "the sample has at least three tasks overdue at the end of 2024"
    tasks.loc[chosen, "status_text"] = "Đã hoàn thành"
    tasks.loc[chosen, "completed_on"] = pd.Timestamp("2024-12-15")
    return template_filled("tasks", tasks, year=2024, quarter=4), tasks.loc[chosen, "code"].tolist()


def _card(at: AppTest, label: str) -> str:
    return {m.label: m.value for m in at.metric}[label]


def _expected_card(summary: dict, label: str) -> str:
    """The card's value as the overview builds it, from the CLI's summary in another code path."""
    return {c["label"]: c["value"] for c in tables.headline_cards(summary, None)}[label]


def _mixed_upload(store: Store) -> tuple[AppTest, bytes, list[str]]:
    """A good file finishing three overdue tasks and a bad file, uploaded together."""
    good, codes = _finishing_three(store)
    bad = sheet_xlsx(BAD_ROWS, "Tiến độ")
    at = _upload_page(_app())
    at.file_uploader[0].set_value(
        [("tien_do_2024_Q4_bo_sung.xlsx", good, XLSX), ("tien_do_loi.xlsx", bad, XLSX)]
    ).run()
    assert not at.exception, [e.message for e in at.exception]
    return at, bad, codes


def test_mixed_upload_reports_the_bad_file_and_previews_the_good_one(sample_db):
    store = Store(sample_db)
    before = summary_for(store, 2024, 4)
    sizes = store.table_sizes()
    at, _, codes = _mixed_upload(store)

    # The bad file: every error with its cell, a report to download, and no way to commit it.
    assert any("4 lỗi" in e.value for e in at.error)
    reports = [f for f in _frames(at) if "Ô" in f.columns]
    assert len(reports) == 1 and reports[0]["Ô"].tolist() == BAD_CELLS
    assert "Tải bảng tính đánh dấu lỗi" in [b.label for b in at.get("download_button")]
    assert len(_commit_buttons(at)) == 1  # the good file only
    assert _commit_buttons(at)[0].key.startswith("commit-0-")

    # The good file: preview, diff and headline effect, computed without writing anything.
    previews = [f for f in _frames(at) if "Nội dung nhiệm vụ" in f.columns and len(f) == 50]
    assert previews, "a 50-row preview of canonical rows"
    text = " ".join(m.value for m in at.markdown)
    assert "3 nhiệm vụ mới hoàn thành" in text
    assert "3 nhiệm vụ thay đổi nội dung" in text
    newly_done = [f for f in _frames(at) if "Ngày hoàn thành" in f.columns and len(f) == 3]
    assert sorted(newly_done[0]["TT"]) == sorted(codes)
    # Three overdue tasks become done: done + 3, overdue − 3.
    assert _card(at, "Nhiệm vụ đã hoàn thành") == f"{_done(before) + 3}/{before['tasks']['assigned']}"
    assert _card(at, "Nhiệm vụ quá hạn") == str(before["tasks"]["open_overdue"] - 3)
    assert store.table_sizes() == sizes


def test_commit_writes_one_batch_and_the_overview_follows(sample_db):
    store = Store(sample_db)
    before = summary_for(store, 2024, 4)
    sizes = store.table_sizes()
    at, bad, _ = _mixed_upload(store)
    _commit_buttons(at)[0].click().run()
    assert not at.exception
    assert any("lần nạp" in s.value and "tien_do_2024_Q4_bo_sung.xlsx" in s.value for s in at.success)

    after = summary_for(store, 2024, 4)
    assert _done(after) == _done(before) + 3
    assert after["tasks"]["open_overdue"] == before["tasks"]["open_overdue"] - 3
    grown = store.table_sizes()
    # One batch of 93 tasks, its event and its file; nothing from the bad file.
    assert grown["tasks"] == sizes["tasks"] + 93
    assert (grown["batches"], grown["events"], grown["files"]) == (
        sizes["batches"] + 1,
        sizes["events"] + 1,
        sizes["files"] + 1,
    )
    assert store.file_content(sha256_of(bad)) is None
    newest = store.batches("tasks").iloc[0]
    assert (newest["loaded_by"], newest["file_name"], bool(newest["current"])) == (
        "local",
        "tien_do_2024_Q4_bo_sung.xlsx",
        True,
    )
    at.switch_page("pages/overview.py").run()
    label = "Nhiệm vụ đã hoàn thành"
    assert _card(at, label) == _expected_card(after, label) == f"{_done(after)}/{after['tasks']['assigned']}"


def test_history_restores_the_earlier_batch_after_confirmation(sample_db):
    store = Store(sample_db)
    before = summary_for(store, 2024, 4)
    old_batch = int(store.batches("tasks").query("current and year == 2024")["batch_id"].iloc[0])
    at, _, _ = _mixed_upload(store)
    _commit_buttons(at)[0].click().run()
    after = summary_for(store, 2024, 4)

    at.switch_page("pages/history.py").run()
    assert not at.exception
    history = next(f for f in _frames(at) if "Lần nạp" in f.columns and "Trạng thái" in f.columns)
    assert history.iloc[0]["Trạng thái"] == "Đang dùng" and history.iloc[0]["Người nạp"] == "local"
    at.selectbox(key="restore_batch").set_value(old_batch)
    at.button(key="restore_go").click().run()
    assert any("xác nhận" in w.value for w in at.warning)  # not without the confirmation
    assert summary_for(store, 2024, 4) == after
    at.checkbox(key="restore_confirm").check()
    at.button(key="restore_go").click().run()
    assert not at.exception
    assert any(f"Đã khôi phục lần nạp {old_batch}" in s.value for s in at.success)
    restored = summary_for(store, 2024, 4)
    assert restored["tasks"] == before["tasks"] and restored["index"] == before["index"]
    log = next(f for f in _frames(at) if "Hành động" in f.columns)
    assert log.iloc[0]["Hành động"] == "Khôi phục lần nạp" and log.iloc[0]["Lần nạp"] == str(old_batch)
    at.switch_page("pages/overview.py").run()
    label = "Nhiệm vụ đã hoàn thành"
    assert _card(at, label) == _expected_card(before, label)


def test_bad_file_alone_changes_nothing(sample_db):
    store = Store(sample_db)
    sizes = store.table_sizes()
    at = _upload_page(_app())
    at.file_uploader[0].set_value(("tien_do_loi.csv", csv_bytes(BAD_ROWS), "text/csv")).run()
    assert not at.exception
    report = next(f for f in _frames(at) if "Ô" in f.columns)
    assert report["Ô"].tolist() == BAD_CELLS
    assert report["Trang tính"].tolist() == ["tien_do_loi"] * 4
    assert report["Cột"].tolist() == BAD_CELL_COLUMNS
    assert _commit_buttons(at) == []
    assert store.table_sizes() == sizes


def test_identical_file_is_recognised(sample_db):
    path = next(p for p in sample_files() if p.name.startswith("bo_tieu_chi"))
    at = _upload_page(_app())
    at.file_uploader[0].set_value((path.name, path.read_bytes(), XLSX)).run()
    assert not at.exception
    assert any("giống hệt" in i.value for i in at.info)
    assert _commit_buttons(at) == []


def test_quarter_chosen_by_the_analyst(sample_db):
    # A score sheet whose title names no quarter: refused until the analyst picks one.
    rows = [
        ["BIỂU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024"],
        ["Đơn vị được đánh giá: Xã Ba Tô"],
        ["STT", "Tên tiêu chí", "Điểm tối đa", "Điểm tự đánh giá", "Điểm thẩm định"],
        ["1.1", "Kế hoạch CCHC", 1, 0.5, None],
    ]
    data = sheet_xlsx(rows)
    store = Store(sample_db)
    at = _upload_page(_app())
    at.file_uploader[0].set_value(("tu_danh_gia.xlsx", data, XLSX)).run()
    assert any("quý" in e.value.lower() for e in at.error) or any(
        "quý" in " ".join(f["Lỗi"]) for f in _frames(at) if "Lỗi" in f.columns
    )
    assert _commit_buttons(at) == []
    key = f"quarter-0-{sha256_of(data)[:16]}"
    at.selectbox(key=key).set_value(3).run()
    assert not at.exception
    assert len(_commit_buttons(at)) == 1
    _commit_buttons(at)[0].click().run()
    newest = store.batches("scores").iloc[0]
    assert (int(newest["quarter"]), newest["unit"], newest["file_name"]) == (
        3,
        "Xã Ba Tô",
        "tu_danh_gia.xlsx",
    )


def test_unrecognised_column_assigned_by_the_analyst(sample_db):
    rows = [r[:] for r in BAD_ROWS[:3]] + [
        [1, "Ban hành kế hoạch", "Phòng Nội vụ", "Quý I/2024", "Đã hoàn thành", "15/01/2024"],
        [2, "Báo cáo quý", "Phòng Nội vụ", "Quý II/2024", "Đang thực hiện", None],
    ]
    rows[1] = ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Hạn chót", "Tình trạng", "Ngày hoàn thành"]
    data = sheet_xlsx(rows)
    at = _upload_page(_app())
    at.file_uploader[0].set_value(("nv.xlsx", data, XLSX)).run()
    assert _commit_buttons(at) == []
    report = next(f for f in _frames(at) if "Ô" in f.columns)
    assert "Thời gian hoàn thành" in " ".join(report["Lỗi"])
    k = f"0-{sha256_of(data)[:16]}"
    at.selectbox(key=f"col-letter-{k}").set_value("D")
    at.selectbox(key=f"col-target-{k}").set_value("deadline_text")
    at.button(key=f"col-apply-{k}").click().run()
    assert not at.exception
    assert len(_commit_buttons(at)) == 1
    mapping = next(f for f in _frames(at) if "Hiểu là" in f.columns)
    assert mapping.set_index("Cột").loc["D", "Hiểu là"] == "Thời gian hoàn thành"


# Server side, without the app ----------------------------------------------------------------------


def _plan(n: int, tag: str) -> bytes:
    rows = [BAD_ROWS[0], BAD_ROWS[1], ["I", "CÔNG TÁC CHỈ ĐẠO"]] + [
        [k, f"Nhiệm vụ {k} {tag}", "Phòng Nội vụ", "Quý IV/2024", "Đang thực hiện", None]
        for k in range(1, n + 1)
    ]
    return sheet_xlsx(rows)


def test_duplicate_commit_refused_unless_forced(tmp_path):
    store = Store(tmp_path / "dup.duckdb")
    data = _plan(3, "a")
    first = prepare(store, data, "kh.xlsx")
    uploads.commit_upload(store, first, ANALYST)
    again = prepare(store, data, "kh_ban_sao.xlsx")
    with pytest.raises(uploads.DuplicateUpload):
        uploads.commit_upload(store, again, ANALYST)
    # Prepared before the first commit, committed after: still caught at commit time.
    other = Store(tmp_path / "dup2.duckdb")
    early = prepare(other, data, "kh.xlsx")
    uploads.commit_upload(other, prepare(other, data, "kh.xlsx"), ANALYST)
    assert early.duplicate_of == []
    with pytest.raises(uploads.DuplicateUpload):
        uploads.commit_upload(other, early, ANALYST)
    assert len(uploads.commit_upload(store, again, ANALYST, force=True)) == 1


def test_two_sessions_committing_at_the_same_moment(tmp_path):
    path = tmp_path / "race.duckdb"
    Store(path)
    # Two versions of the 2024 plan (5 and 8 tasks), prepared in two sessions, committed together.
    prepared = [
        prepare(Store(path), _plan(5, "a"), "kh_a.xlsx"),
        prepare(Store(path), _plan(8, "b"), "kh_b.xlsx"),
    ]
    for round_ in range(3):
        barrier = threading.Barrier(2)
        results: dict[int, list[int]] = {}
        errors: list[BaseException] = []

        def run(i: int, round_: int = round_, barrier=barrier, results=results, errors=errors) -> None:
            try:
                store = Store(path)
                barrier.wait()
                results[i] = uploads.commit_upload(store, prepared[i], ANALYST, force=round_ > 0)
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors, errors
        store = Store(path)
        ids = sorted(results[0] + results[1])
        batches = store.batches("tasks").set_index("batch_id")
        assert set(ids) <= set(batches.index)  # both recorded
        later = ids[-1]
        assert bool(batches.loc[later, "current"]) and not bool(batches.loc[ids[0], "current"])
        # No partial rows: each batch holds exactly its file's rows, the current data is the later file.
        assert store.batch_rows(results[0][0]).shape[0] == 5
        assert store.batch_rows(results[1][0]).shape[0] == 8
        winner = 5 if later == results[0][0] else 8
        assert len(store.current("tasks", 2024)) == winner
    sizes = store.table_sizes()
    assert sizes["batches"] == 6 and sizes["events"] == 6 and sizes["tasks"] == 3 * (5 + 8)


def test_undo_returns_to_the_previous_batch_then_to_nothing(tmp_path):
    store = Store(tmp_path / "undo.duckdb")
    (first,) = uploads.commit_upload(store, prepare(store, _plan(2, "a"), "kh_a.xlsx"), ANALYST)
    (second,) = uploads.commit_upload(store, prepare(store, _plan(3, "b"), "kh_b.xlsx"), ANALYST)
    assert len(store.current("tasks", 2024)) == 3
    with pytest.raises(uploads.UploadError):
        uploads.undo_batch(store, first, ANALYST)  # not current: nothing to take back
    uploads.undo_batch(store, second, ANALYST, "nhầm tệp")
    assert len(store.current("tasks", 2024)) == 2  # the first file's two tasks again
    with pytest.raises(uploads.UploadError):
        uploads.rollback_batch(store, first, ANALYST)  # already current
    uploads.undo_batch(store, first, ANALYST)
    assert store.current("tasks", 2024).empty  # the scope has no data, and nothing was deleted
    assert store.table_sizes()["tasks"] == 2 + 3
    log = uploads.events_frame(store)
    assert log["Hành động"].tolist() == [
        "Gỡ dữ liệu (không còn lần nạp hiện hành)",
        "Khôi phục lần nạp",
        "Ghi dữ liệu",
        "Ghi dữ liệu",
    ]
    assert log["Ghi chú"].tolist()[1] == "nhầm tệp"
    assert set(log["Người thực hiện"]) == {"nhap.lieu"}
    history = uploads.history_frame(store)
    assert history["Trạng thái"].tolist() == ["Đã thay thế", "Đã thay thế"]
    assert history["Phạm vi"].tolist() == ["Năm 2024", "Năm 2024"]
