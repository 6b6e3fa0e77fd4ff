"""Tasks led collectively ("UBND các xã, thị trấn") count once in the plan and appear in each member's view."""

from __future__ import annotations

from datetime import date

from factories import frame, task, year_data

from analysis.engine import league
from analysis.engine import year as views
from analysis.engine.units import collective_group, members_of

AS_OF = date(2024, 6, 30)


def _task(code, lead, completed=None):
    return task(code, lead, "2024-03-31", completed, deadline_text="31/03/2024")


UNITS = [
    dict(code="1", name="Xã Ba Điền", kind="commune"),
    dict(code="2", name="Xã Ba Vinh", kind="commune"),
    dict(code="3", name="Thị trấn Ba Tơ", kind="town"),
    dict(code="4", name="Phòng Nội vụ", kind="office"),
]
TASKS = [
    _task("1", "UBND các xã, thị trấn"),  # open, overdue at 30/6
    _task("2", "Xã Ba Điền", "2024-03-01"),  # done on time
    _task("3", "Phòng Nội vụ", "2024-03-02"),  # done on time
]


def _data() -> views.YearData:
    return year_data(tasks=TASKS, units=UNITS)


def test_collective_names_are_recognised():
    assert collective_group("UBND các xã, thị trấn") == "commune"
    assert collective_group("Các cơ quan, đơn vị thuộc UBND huyện") == "office"
    assert collective_group("Xã Ba Điền") is None
    assert members_of("UBND các xã, thị trấn", frame("units", UNITS)) == [
        "Xã Ba Điền",
        "Xã Ba Vinh",
        "Thị trấn Ba Tơ",
    ]


def test_counted_once_in_the_plan_and_in_each_members_view():
    data = _data()
    # The district's plan: 3 tasks, the collective one once.
    assert views.summary(data, AS_OF)["tasks"]["assigned"] == 3
    # Ba Điền: its own task 2 (done) and the collective task 1 (overdue).
    own = views.summary(data, AS_OF, "Xã Ba Điền")["tasks"]
    assert (own["assigned"], own["done_of_due"], own["open_overdue"]) == (2, 1, 1)
    # Ba Vinh leads nothing itself: only the collective task.
    own = views.summary(data, AS_OF, "Xã Ba Vinh")["tasks"]
    assert (own["assigned"], own["open_overdue"]) == (1, 1)
    # An office is not a member of "các xã, thị trấn".
    assert views.summary(data, AS_OF, "Phòng Nội vụ")["tasks"]["assigned"] == 1


def test_each_member_carries_the_collective_task_in_the_ranking():
    table = league.unit_league(_data(), AS_OF, "commune").set_index("unit")
    assert set(table.index) == {"Thị trấn Ba Tơ", "Xã Ba Điền", "Xã Ba Vinh"}
    # Ba Điền 1 done of 2 due; Ba Vinh and the town 0 of 1 (the collective task, overdue).
    assert table.loc["Xã Ba Điền", ["assigned", "due", "done", "open_overdue"]].tolist() == [2, 2, 1, 1]
    assert table.loc["Xã Ba Vinh", ["assigned", "due", "done", "open_overdue"]].tolist() == [1, 1, 0, 1]
    assert table.loc["Thị trấn Ba Tơ", "open_overdue"] == 1
