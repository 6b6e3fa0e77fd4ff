"""Plan amendments (directive §1a): an amended deadline and a removed task, each from its approval date."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from factories import task, year_data
from unit_names import NOI_VU

from analysis.engine import year as views
from analysis.engine.amendments import AMENDMENT_COLUMNS, amended_tasks, removed_tasks

TASKS = [
    task("1", NOI_VU, "2024-03-31"),
    task("2", NOI_VU, "2024-06-30"),
    task("3", NOI_VU, "2024-03-31", "2024-02-01"),
]
AMENDMENTS = pd.DataFrame(
    [
        [
            "1",
            "deadline",
            pd.Timestamp("2024-09-30"),
            pd.Timestamp("2024-04-15"),
            "Chờ hướng dẫn của tỉnh",
            "QĐ 123/QĐ-UBND",
        ],
        ["2", "removed", None, pd.Timestamp("2024-05-10"), "Không còn phù hợp", "QĐ 150/QĐ-UBND"],
    ],
    columns=AMENDMENT_COLUMNS,
)


def _data() -> views.YearData:
    return year_data(tasks=TASKS, amendments=AMENDMENTS)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # before any approval: task 1 (31/03) overdue, 2 in time, 3 done -> assigned 3, due 1 and 3
        (date(2024, 3, 31), (3, 2, 1, 1)),
        # 15/04: task 1's deadline moved to 30/09 -> in time; due only 3
        (date(2024, 4, 30), (3, 1, 1, 0)),
        # 10/05: task 2 removed -> assigned 2
        (date(2024, 6, 30), (2, 1, 1, 0)),
        # 30/09: task 1 due on its new deadline and still open at the end of the day -> overdue
        (date(2024, 9, 30), (2, 2, 1, 1)),
    ],
)
def test_an_amended_deadline_and_a_removed_task_apply_from_their_dates(as_of, expected):
    tasks = views.summary(_data(), as_of)["tasks"]
    assert (tasks["assigned"], tasks["due"], tasks["done_of_due"], tasks["open_overdue"]) == expected


def test_the_task_list_says_what_was_amended_and_what_was_removed():
    data = _data()
    shown = views.task_list(data, date(2024, 6, 30)).set_index("code")
    assert list(shown.index) == ["1", "3"]
    assert shown.loc["1", "amendment"] == (
        "Điều chỉnh thời hạn; hạn mới 30/09/2024; từ 15/04/2024; theo QĐ 123/QĐ-UBND; "
        "giải trình: Chờ hướng dẫn của tỉnh"
    )
    assert shown.loc["1", "deadline"] == pd.Timestamp("2024-09-30")
    gone = removed_tasks(data.tasks, AMENDMENTS, date(2024, 6, 30))
    assert gone["code"].tolist() == ["2"]
    assert gone["amendment"].iloc[0].startswith("Đưa ra khỏi kế hoạch; từ 10/05/2024; theo QĐ 150/QĐ-UBND")
    # the input frame is untouched
    assert len(amended_tasks(data.tasks, None, date(2024, 6, 30))) == 3 and "amendment" not in data.tasks


def test_amendments_come_in_as_a_dataset_from_the_template_and_apply(tmp_path, capsys):
    import json

    from helpers_store import simple_tasks, tasks_xlsx, write, xlsx_bytes

    from analysis.__main__ import main

    db = str(tmp_path / "amend.duckdb")
    plan = write(tmp_path / "ke_hoach.xlsx", tasks_xlsx(2024, simple_tasks(3)))  # 3 tasks due 31/12
    sheet = [
        ["ĐIỀU CHỈNH KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024"],
        [
            "TT nhiệm vụ",
            "Nội dung điều chỉnh",
            "Thời hạn mới",
            "Ngày phê duyệt",
            "Giải trình",
            "Văn bản phê duyệt",
        ],
        ["2", "Đưa ra khỏi kế hoạch", None, "20/05/2024", "Trùng nhiệm vụ 1", "QĐ 150/QĐ-UBND"],
        ["3", "Điều chỉnh thời hạn", "30/06/2024", "10/05/2024", "Đẩy nhanh tiến độ", "QĐ 151/QĐ-UBND"],
    ]
    amend = write(tmp_path / "dieu_chinh.xlsx", xlsx_bytes({"Điều chỉnh": sheet}))
    for path in (plan, amend):
        assert main(["load", str(path), "--db", db]) == 0
    capsys.readouterr()

    def tasks_at(day: str) -> dict:
        assert main(["summary", "--year", "2024", "--as-of", day, "--json", "--db", db]) == 0
        return json.loads(capsys.readouterr().out)["tasks"]

    # 30/04: nothing approved yet -> 3 tasks, none due. 30/06: task 2 removed (20/05) -> 2 assigned;
    # task 3's new deadline 30/06 has come and it is open at the end of the day -> due 1, overdue 1.
    before, after = tasks_at("2024-04-30"), tasks_at("2024-06-30")
    assert (before["assigned"], before["due"]) == (3, 0)
    assert (after["assigned"], after["due"], after["open_overdue"]) == (2, 1, 1)


def test_removed_tasks_are_listed_for_the_page_and_the_task_export_says_what_was_amended():
    from analysis.exports.excel import task_list_for_export

    data = _data()
    removed = views.removed_from_plan(data, date(2024, 6, 30))
    assert removed["code"].tolist() == ["2"]
    exported = task_list_for_export(views.task_list(data, date(2024, 6, 30)))
    assert "Điều chỉnh kế hoạch" in exported.columns
    assert exported["Điều chỉnh kế hoạch"].iloc[0].startswith("Điều chỉnh thời hạn; hạn mới 30/09/2024")
