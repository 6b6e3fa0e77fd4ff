"""Views the pages use: headline cards, overdue gain, task filter, display formatting."""

from __future__ import annotations

from datetime import date

import pandas as pd

from analysis.engine import year as views
from analysis.present import tables
from analysis.schema import dataset


def _frame(name: str, rows: list[dict], dates: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=dataset(name).names)
    for column in dates:
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _task(
    code: str,
    deadline: str | None,
    completed: str | None,
    title: str = "Nhiệm vụ",
    unit: str = "Phòng Nội vụ",
):
    return {
        "year": 2024, "code": code, "area": "I", "title": title, "lead_unit": unit, "deadline_text": deadline or "",
        "deadline": deadline, "ongoing": False, "status": "done" if completed else None, "completed_on": completed,
    }  # fmt: skip


def _data(tasks: list[dict]) -> views.YearData:
    framework = _frame(
        "framework",
        [
            {"year": 2024, "code": "I", "level": "area", "area": "I", "name": "Chỉ đạo", "max_points": 2.0},
            {
                "year": 2024,
                "code": "1.1",
                "parent": "I",
                "level": "criterion",
                "area": "I",
                "name": "Hoàn thành kế hoạch",
                "max_points": 2.0,
                "point_kind": "assessed",
                "rule": "bands",
                "metric": "plan_completion",
                "thresholds": "100%: 2; 80%: 1; 0%: 0",
                "responsible_unit": "Phòng Nội vụ",
            },
        ],  # fmt: skip
    )
    empty = {n: _frame(n, []) for n in ("scores", "dossiers", "units")}
    return views.YearData(
        2024,
        _frame("tasks", tasks, ("deadline", "completed_on")),
        framework,
        empty["scores"],
        empty["dossiers"],
        empty["units"],
        pd.DataFrame(columns=["file_name", "loaded_at", "loaded_by"]),
    )


# At 30/06: tasks 1-4 done, 5 overdue (due 31/03), 6 due later -> due 5, done 4 = 80 % -> band 1 of 2.
TASKS = [
    _task("1", "2024-03-31", "2024-03-01"),
    _task("2", "2024-03-31", "2024-03-02"),
    _task("3", "2024-06-30", "2024-06-01", title="Số hóa hồ sơ"),
    _task("4", "2024-06-30", "2024-06-02"),
    _task("5", "2024-03-31", None, title="Báo cáo quý", unit="Phòng Tư pháp"),
    _task("6", "2024-12-31", None),
]


def test_overdue_gain_counts_overdue_tasks_and_the_points_they_restore():
    # Finishing task 5 makes 5/5 = 100 % -> band 2: +1 point. Task 6 is not overdue.
    assert views.overdue_gain(_data(TASKS), date(2024, 6, 30)) == (1, 1.0)
    # At 31/01 nothing is due yet: nothing is overdue.
    assert views.overdue_gain(_data(TASKS), date(2024, 1, 31)) == (0, 0.0)


def test_headline_cards_values_and_deltas():
    data = _data(TASKS)
    now = views.summary(data, date(2024, 6, 30))
    prev = views.summary(data, date(2024, 3, 31))
    cards = {c["label"]: c for c in tables.headline_cards(now, prev)}
    assert cards["Nhiệm vụ đã hoàn thành"]["value"] == "4/6"
    # 31/03: tasks 1, 2 done -> 2 done; 30/06: 4 done -> +2.
    assert cards["Nhiệm vụ đã hoàn thành"]["delta"] == "+2 nhiệm vụ"
    # 31/03: task 5 is due that very day and still open at its end -> overdue: due 1, 2, 5 = 3, done 2
    # -> 66,67 %; 30/06: due 1-5 = 5, done 4 -> 80 % -> +13,3 points.
    assert cards["Hoàn thành / đến hạn"]["value"] == "80 %"
    assert cards["Hoàn thành / đến hạn"]["delta"] == "+13,3 điểm %"
    assert cards["Nhiệm vụ quá hạn"]["value"] == "1"
    # task 5 was already overdue at the end of 31/03: no change
    assert cards["Nhiệm vụ quá hạn"]["delta"] == "±0 nhiệm vụ"
    assert cards["Nhiệm vụ quá hạn"]["lower_is_better"] is True
    # Likely 1 of 2 at 30/06 (80 % band); at 31/03 66,67 % -> 0: +1.
    assert cards["Điểm dự kiến"]["value"] == "1 / 2"
    assert cards["Điểm dự kiến"]["delta"] == "+1 điểm"
    assert all(c["delta"] is None for c in tables.headline_cards(now, None))


def test_task_search_matches_with_or_without_diacritics():
    tasks = views.task_list(_data(TASKS), date(2024, 6, 30))
    assert list(views.filter_tasks(tasks, query="số hóa")["code"]) == ["3"]
    assert list(views.filter_tasks(tasks, query="so hoa")["code"]) == ["3"]
    assert list(views.filter_tasks(tasks, states=["open_overdue"])["code"]) == ["5"]
    assert list(views.filter_tasks(tasks, units=["Phòng Tư pháp"])["code"]) == ["5"]
    assert list(views.filter_tasks(tasks, quarters=[4])["code"]) == ["6"]


def test_display_frame_formats_ratios_and_numbers_the_vietnamese_way():
    frame = pd.DataFrame({"Tỷ lệ đúng hạn": [0.984, None], "Điểm": [1.5, 1234.25], "Số": [1, 2]})
    shown = tables.display_frame(frame)
    assert list(shown["Tỷ lệ đúng hạn"]) == ["98,4 %", "—"]
    assert list(shown["Điểm"]) == ["1,5", "1.234,25"]
    assert list(shown["Số"]) == [1, 2]


def test_finish_first_and_what_if_work_on_the_points_at_risk():
    data = _data(TASKS)
    stake = views.points_at_stake(data, date(2024, 6, 30))
    # Year end for 1.1 (bands on done ÷ assigned): worst 4/6 = 66,7 % -> 0, best 6/6 -> 2: 2 points at
    # risk, shared by the two open tasks 5 and 6 -> 1 each.
    assert dict(zip(stake["code"], stake["at_risk"], strict=True)) == {"5": 1.0, "6": 1.0}
    # Tie on at-risk points; task 5 (overdue) restores 1 point now, task 6 (not due yet) 0.
    assert views.finish_first(stake)["code"].tolist() == ["5", "6"]
    now = views.summary(data, date(2024, 6, 30))["index"]["forecast"]
    # Rate 4/5 due done; expected (4 + 0,8 × 2) / 6 = 93,3 % -> 1. floor 0, likely 1, ceiling 2.
    assert (now["floor"], now["likely"], now["ceiling"]) == (0.0, 1.0, 2.0)
    after = views.what_if(data, date(2024, 6, 30), ["5"])["forecast"]
    # Task 5 done (late): worst 5/6 = 83,3 % -> 1; rate 5/5 -> expected 6/6 -> 2; ceiling 2.
    assert (after["floor"], after["likely"], after["ceiling"]) == (1.0, 2.0, 2.0)
