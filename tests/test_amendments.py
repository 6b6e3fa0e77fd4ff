"""Plan amendments (directive §1a): an amended deadline and a removed task, each from its approval date."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis.engine import year as views
from analysis.engine.amendments import AMENDMENT_COLUMNS, amended_tasks, removed_tasks
from analysis.schema import dataset


def _frame(name: str, rows: list[dict], dates: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=dataset(name).names)
    for column in dates:
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _task(code, deadline, completed=None):
    return {
        "year": 2024, "code": code, "area": "I", "title": f"Nhiệm vụ {code}", "lead_unit": "Phòng Nội vụ",
        "deadline_text": deadline, "deadline": deadline, "ongoing": False,
        "status": "done" if completed else None, "completed_on": completed,
    }  # fmt: skip


TASKS = [_task("1", "2024-03-31"), _task("2", "2024-06-30"), _task("3", "2024-03-31", "2024-02-01")]
AMENDMENTS = pd.DataFrame(
    [
        ["1", "deadline", pd.Timestamp("2024-09-30"), pd.Timestamp("2024-04-15"), "Chờ hướng dẫn của tỉnh",
         "QĐ 123/QĐ-UBND"],
        ["2", "removed", None, pd.Timestamp("2024-05-10"), "Không còn phù hợp", "QĐ 150/QĐ-UBND"],
    ],
    columns=AMENDMENT_COLUMNS,
)  # fmt: skip


def _data() -> views.YearData:
    empty = {n: _frame(n, []) for n in ("framework", "scores", "dossiers", "units")}
    return views.YearData(
        2024, _frame("tasks", TASKS, ("deadline", "completed_on")), empty["framework"], empty["scores"],
        empty["dossiers"], empty["units"], pd.DataFrame(columns=["file_name", "loaded_at", "loaded_by"]),
        amendments=AMENDMENTS,
    )  # fmt: skip


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
