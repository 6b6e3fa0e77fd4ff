"""Diff before commit and the headline effect, on a small hand-made year with hand-computed answers."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from analysis.engine import year as views
from analysis.store import Store, as_stored
from analysis.workflow.diff import (
    data_if_committed,
    diff_against_current,
    diff_tables,
    file_as_of,
    headline_effect,
)
from analysis.workflow.load import commit, prepare

sys.path.insert(0, str(Path(__file__).parent))
from helpers_store import TASK_HEADER as STORE_TASK_HEADER  # noqa: E402
from helpers_store import sheet_xlsx  # noqa: E402

AS_OF = date(2024, 6, 30)
TASK_HEADER = list(STORE_TASK_HEADER[:-1])  # without the criterion column
SCORE_HEADER = ["TT", "Tên tiêu chí", "Điểm tối đa", "Điểm tự đánh giá", "Điểm thẩm định"]

UNITS = [
    ["DANH MỤC ĐƠN VỊ"],
    ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị"],
    ["BT", "Huyện Ba Tơ", "Huyện"],
    ["P1", "Phòng Nội vụ", "Phòng ban"],
    ["X1", "Xã Ba Tô", "Xã"],
]
# Max 3 points: 1.1 bands on plan completion (done ÷ due), 1.2 scored by hand.
FRAMEWORK = [
    ["BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024"],
    ["Mã", "Tên tiêu chí", "Điểm tối đa", "Cách tính", "Chỉ số", "Ngưỡng"],
    ["I", "CÔNG TÁC CHỈ ĐẠO", 3, None, None, None],
    ["1.1", "Hoàn thành kế hoạch", 2, "Bậc", "Hoàn thành kế hoạch", "100%: 2; 80%: 1; 0%: 0"],
    ["1.2", "Báo cáo định kỳ", 1, "Nhập tay", None, None],
]
TASKS_V1 = [
    ["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024"],
    TASK_HEADER,
    ["I", "CÔNG TÁC CHỈ ĐẠO"],
    [1, "Ban hành kế hoạch", "Phòng Nội vụ", "Quý I/2024", "Đã hoàn thành", "15/03/2024"],
    [2, "Báo cáo quý I", "Phòng Nội vụ", "Quý II/2024", "Đang thực hiện", None],
    [3, "Rà soát văn bản", "Xã Ba Tô", "Quý III/2024", "Đang thực hiện", None],
    [4, "Kiểm tra công vụ", "Xã Ba Tô", "Quý IV/2024", "Chưa thực hiện", None],
    [5, "Tuyên truyền", "Phòng Nội vụ", "Thường xuyên", "Đang thực hiện", None],
]
# The Q2 progress report: 2 done, 3 brought forward to May, 4 dropped, 6 new.
TASKS_V2 = [
    ["TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024 - QUÝ II"],
    TASK_HEADER,
    ["I", "CÔNG TÁC CHỈ ĐẠO"],
    [1, "Ban hành kế hoạch", "Phòng Nội vụ", "Quý I/2024", "Đã hoàn thành", "15/03/2024"],
    [2, "Báo cáo quý I", "Phòng Nội vụ", "Quý II/2024", "Đã hoàn thành", "20/06/2024"],
    [3, "Rà soát văn bản", "Xã Ba Tô", "Tháng 5/2024", "Đang thực hiện", None],
    [5, "Tuyên truyền", "Phòng Nội vụ", "Thường xuyên", "Đang thực hiện", None],
    [6, "Đào tạo công chức", "Phòng Nội vụ", "Quý IV/2024", "Chưa thực hiện", None],
]


def scores(quarter: str, unit: str | None, rows: list[list]) -> list[list]:
    head = [[f"BIỂU TỰ ĐÁNH GIÁ CHỈ SỐ CCHC {quarter} NĂM 2024"]]
    if unit:
        head.append([f"Đơn vị được đánh giá: {unit}"])
    return [*head, SCORE_HEADER, *rows]


SCORES_Q1 = scores(
    "QUÝ I",
    None,
    [["I", "CÔNG TÁC CHỈ ĐẠO", 3, 2.5, None], ["1.1", "KH", 2, 2, None], ["1.2", "BC", 1, 0.5, None]],
)
SCORES_Q2 = scores(
    "QUÝ II",
    None,
    [["I", "CÔNG TÁC CHỈ ĐẠO", 3, 2.75, None], ["1.1", "KH", 2, 2, None], ["1.2", "BC", 1, 0.75, None]],
)
SCORES_Q2_COMMUNE = scores(
    "QUÝ II",
    "Xã Ba Tô",
    [["I", "CÔNG TÁC CHỈ ĐẠO", 3, 1, None], ["1.1", "KH", 2, 0, None], ["1.2", "BC", 1, 1, None]],
)
# The district's Q2 sheet sent again after appraisal: 1.2 cut to 0.5, the area total follows.
SCORES_Q2_NEW = scores(
    "QUÝ II",
    None,
    [["I", "CÔNG TÁC CHỈ ĐẠO", 3, 2.75, 2.5], ["1.1", "KH", 2, 2, 2], ["1.2", "BC", 1, 0.75, 0.5]],
)


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store(tmp_path / "diff.duckdb")
    for name, rows in [("don_vi.xlsx", UNITS), ("bo_tieu_chi.xlsx", FRAMEWORK), ("nv.xlsx", TASKS_V1),
                       ("td_q1.xlsx", SCORES_Q1), ("td_q2.xlsx", SCORES_Q2), ("td_q2_xa.xlsx", SCORES_Q2_COMMUNE)]:  # fmt: skip
        commit(s, prepare(s, sheet_xlsx(rows), name), "test")
    return s


def _codes(frame: pd.DataFrame) -> list[str]:
    return sorted(frame["code"].tolist())


def test_task_diff_names_each_kind_of_change(store):
    prepared = prepare(store, sheet_xlsx(TASKS_V2), "tien_do_2024_Q2.xlsx")
    (d,) = diff_against_current(store, prepared)
    assert (d.dataset, d.year, d.quarter, d.as_of) == ("tasks", 2024, 2, AS_OF)
    assert d.current_batch is not None
    assert (d.rows_before, d.rows_after) == (5, 5)
    assert _codes(d.added) == ["6"]
    assert _codes(d.removed) == ["4"]
    # Task 2 finished 20/06 ≤ 30/06: newly done. Task 3 now due 31/05 and still open on 30/06: newly
    # overdue (it was due 30/09 before), and its deadline changed. Task 1 and 5 are unchanged.
    assert _codes(d.newly_done) == ["2"]
    assert _codes(d.newly_overdue) == ["3"]
    assert _codes(d.deadline_changed) == ["3"]
    row = d.deadline_changed.iloc[0]
    assert (row["deadline_before"], row["deadline_after"]) == ("Quý III/2024", "Tháng 5/2024")
    # Rows on both sides whose cells differ: 2 (status, date) and 3 (deadline).
    assert d.changed_rows == 2
    assert not d.unchanged
    text = " ".join(d.sentences())
    assert "1 nhiệm vụ mới hoàn thành" in text and "1 nhiệm vụ mới quá hạn" in text and "30/06/2024" in text
    tables = diff_tables(d)
    assert set(tables) == {"Thêm mới", "Không còn trong tệp", "Mới hoàn thành", "Mới quá hạn", "Đổi thời hạn"}
    assert "Thời hạn mới" in tables["Đổi thời hạn"].columns
    assert tables["Mới hoàn thành"]["Ngày hoàn thành"].tolist() == ["20/06/2024"]


def test_headline_effect_before_and_after(store):
    prepared = prepare(store, sheet_xlsx(TASKS_V2), "tien_do_2024_Q2.xlsx")
    effect = headline_effect(store, prepared)
    assert effect["as_of"] == AS_OF and effect["year"] == 2024
    before, after = effect["before"], effect["after"]
    # Before, as of the end of 30/06: task 1 done; 2 due that day and still open -> overdue; 3 and 4
    # later, 5 ongoing (judged at 31/12). Plan completion = done of due ÷ due = 1 ÷ 2 = 50 % -> 0 points;
    # 1.2 by hand 0.75 (Q2 self-score).
    assert (before["assigned"], before["done"], before["open_overdue"]) == (5, 1, 1)
    assert before["likely"] == pytest.approx(0.75)
    assert before["max"] == pytest.approx(3.0)
    # After: 1 and 2 done, 3 overdue (due 31/05), 5 and 6 open in time: 2 ÷ 3 = 66.7 % < 80 % -> 0 points.
    assert (after["assigned"], after["done"], after["open_overdue"]) == (5, 2, 1)
    assert after["likely"] == pytest.approx(0.75)
    assert after["percent"] == pytest.approx(25.0)  # 0.75 ÷ 3
    assert effect["changed"]


def test_headline_after_equals_the_summary_once_committed(store):
    sizes = store.table_sizes()
    prepared = prepare(store, sheet_xlsx(TASKS_V2), "tien_do_2024_Q2.xlsx")
    effect = headline_effect(store, prepared)
    diff_against_current(store, prepared)
    assert store.table_sizes() == sizes  # the preview wrote nothing
    commit(store, prepared, "test")
    real = views.summary_for(store, 2024, AS_OF)
    assert effect["after"]["likely"] == real["index"]["likely"]
    assert effect["after"]["done"] == real["tasks"]["done_on_time"] + real["tasks"]["done_late"]
    assert effect["after"]["open_overdue"] == real["tasks"]["open_overdue"]
    assert effect["after"]["percent"] == real["index"]["percent"]


def test_score_diff_and_effect_touch_only_the_same_quarter_and_unit(store):
    prepared = prepare(store, sheet_xlsx(SCORES_Q2_NEW), "td_q2_tham_dinh.xlsx")
    (d,) = diff_against_current(store, prepared)
    assert (d.dataset, d.quarter, d.unit) == ("scores", 2, None)
    assert (d.rows_before, d.rows_after) == (3, 3)
    # Appraisal added to all three rows; 1.1 keeps 2 = 2 but gains an appraised value too.
    assert sorted(d.scores_changed["code"]) == ["1.1", "1.2", "I"]
    row = d.scores_changed.set_index("code").loc["1.2"]
    assert (row["self_before"], row["self_after"]) == (0.75, 0.75)
    assert pd.isna(row["appraised_before"]) and row["appraised_after"] == 0.5
    after = data_if_committed(store, prepared, 2024)
    # Q1 district (3 rows) and Q2 commune (3 rows) stay; the district's Q2 rows are replaced (3).
    assert len(after.scores) == 9
    commune = after.scores[after.scores["unit"] == "Xã Ba Tô"]
    assert commune["self_points"].tolist() == [1.0, 0.0, 1.0]
    district_q2 = after.scores[(after.scores["quarter"] == 2) & after.scores["unit"].isna()]
    assert district_q2["appraised_points"].tolist() == [2.5, 2.0, 0.5]
    effect = headline_effect(store, prepared)
    # Before: 1.1 from the data, 1 of 2 due tasks done (task 2, due 30/06, open at its end) = 50 % -> 0;
    # 1.2 self 0.75 -> 0.75. After: the appraisal is final, 1.1 appraised 2 (the data's 0 is only a
    # check) and 1.2 appraised 0.5 -> 2.5.
    assert effect["before"]["likely"] == pytest.approx(0.75)
    assert effect["after"]["likely"] == pytest.approx(2.5)


def test_new_scope_has_no_current_batch(store):
    rows = scores("QUÝ III", "Xã Ba Tô", [["1.1", "KH", 2, 1, None]])
    prepared = prepare(store, sheet_xlsx(rows), "td_q3_xa.xlsx")
    (d,) = diff_against_current(store, prepared)
    assert d.current_batch is None and d.rows_before == 0 and d.rows_after == 1
    assert d.sentences()[0].startswith("Chưa có dữ liệu")


def test_identical_content_is_unchanged(store):
    prepared = prepare(store, sheet_xlsx(SCORES_Q1, sheet="Khác"), "td_q1_ban_sao.xlsx")
    (d,) = diff_against_current(store, prepared)
    assert d.unchanged and d.changed_rows == 0
    assert "giống hệt" in " ".join(d.sentences())
    assert not headline_effect(store, prepared)["changed"]


def test_as_stored_matches_what_the_store_gives_back(store):
    prepared = prepare(store, sheet_xlsx(TASKS_V2), "tien_do_2024_Q2.xlsx")
    batch = prepared.batches[0]
    mine = as_stored("tasks", batch.frame)
    commit(store, prepared, "test")
    stored = store.current("tasks", 2024)
    assert list(mine.columns) == list(stored.columns)
    for column in mine.columns:
        assert mine[column].dtype.kind == stored[column].dtype.kind, column


def test_file_as_of():
    assert file_as_of(2024, 3) == date(2024, 9, 30)
    assert file_as_of(2024, None, today=date(2026, 1, 5)) == date(2024, 12, 31)
    assert file_as_of(2026, None, today=date(2026, 1, 5)) == date(2026, 1, 5)
    assert file_as_of(None, 2) is None
