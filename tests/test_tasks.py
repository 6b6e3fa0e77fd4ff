"""Task states as of a date and completion counts: golden cases computed by hand, then properties."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.engine.tasks import (
    completion_by_area,
    completion_by_unit,
    completion_trend,
    days_overdue,
    task_counts,
    task_due,
    task_states,
    tasks_with_state,
)
from analysis.periods import quarter_end, quarter_of
from analysis.schema import TASK_STATUSES, TASKS

CANONICAL = (
    "year code area title lead_unit co_units deadline_text deadline ongoing status_text status completed_on"
    " criterion product note"
).split()
D = date(2024, 6, 30)  # end of Q2/2024, the as-of date of most cases


def make_tasks(*rows: dict[str, Any]) -> pd.DataFrame:
    """A canonical tasks frame; each row gives only what differs from an open, undated 2024 task."""
    records = []
    for n, row in enumerate(rows, start=1):
        deadline = row.get("deadline")
        ongoing = bool(row.get("ongoing", False))
        status = row.get("status")
        if ongoing:
            deadline_text = "Thường xuyên"
        elif deadline is not None:
            deadline_text = pd.Timestamp(deadline).strftime("%d/%m/%Y")
        else:
            deadline_text = "Theo yêu cầu"
        record = {
            "year": 2024,
            "code": str(n),
            "area": "I",
            "title": f"Nhiệm vụ {n}",
            "lead_unit": "Phòng Nội vụ",
            "co_units": None,
            "deadline_text": deadline_text,
            "deadline": deadline,
            "ongoing": ongoing,
            "status_text": TASK_STATUSES.get(status) if status else None,
            "status": status,
            "completed_on": None,
            "criterion": None,
            "product": None,
            "note": None,
        }
        record.update(row)
        records.append(record)
    frame = pd.DataFrame(records, columns=CANONICAL)
    frame["year"] = frame["year"].astype("int64")
    frame["ongoing"] = frame["ongoing"].astype(bool)
    for col in ("deadline", "completed_on"):
        frame[col] = pd.to_datetime(frame[col].astype(object))
    return frame


def state(row: dict[str, Any], as_of: date) -> str:
    return task_states(make_tasks(row), as_of).iloc[0]


def test_helper_builds_the_canonical_columns():
    assert list(make_tasks({}).columns) == TASKS.names == CANONICAL
    assert len(make_tasks()) == 0


# --- quarters --------------------------------------------------------------------------------


def test_quarter_end_and_quarter_of():
    assert [quarter_end(2024, q) for q in (1, 2, 3, 4)] == [
        date(2024, 3, 31),
        date(2024, 6, 30),
        date(2024, 9, 30),
        date(2024, 12, 31),
    ]
    assert [
        quarter_of(date(2024, m, d)) for m, d in [(1, 1), (3, 31), (4, 1), (9, 30), (10, 1), (12, 31)]
    ] == [
        1,
        1,
        2,
        3,
        4,
        4,
    ]
    with pytest.raises(ValueError, match="quarter"):
        quarter_end(2024, 5)


# --- rule 1: the completion date decides -----------------------------------------------------


def test_completed_after_the_date_is_open_at_that_date():
    in_time = {"deadline": "2024-09-30", "status": "done", "completed_on": "2024-07-10"}
    assert state(in_time, D) == "open_in_time"
    assert state(in_time, date(2024, 7, 9)) == "open_in_time"
    assert state(in_time, date(2024, 7, 10)) == "done_on_time"
    # Due 31/5, finished 10/7: overdue at 30/6 although the Q4 file says "done", late afterwards.
    was_overdue = {"deadline": "2024-05-31", "status": "done_on_time", "completed_on": "2024-07-10"}
    assert state(was_overdue, D) == "open_overdue"
    assert state(was_overdue, date(2024, 7, 31)) == "done_late"


@pytest.mark.parametrize(
    ("deadline", "status", "expected"),
    [
        ("2024-06-30", None, "done_on_time"),
        ("2024-06-30", "in_progress", "done_on_time"),
        ("2024-03-31", "not_started", "done_late"),
    ],
)
def test_completion_date_marks_done_whatever_the_status_cell_says(
    deadline: str, status: str | None, expected: str
):
    assert state({"deadline": deadline, "status": status, "completed_on": "2024-05-01"}, D) == expected


def test_time_of_day_is_ignored():
    # Finished in the afternoon of the deadline day, counted on that day: done, and on time.
    row = {"deadline": "2024-06-30", "completed_on": pd.Timestamp("2024-06-30 16:45")}
    assert state(row, D) == "done_on_time"


# --- rule 2: a done status without a date ----------------------------------------------------


@pytest.mark.parametrize("as_of", [date(2023, 1, 1), date(2024, 1, 1), D, date(2025, 12, 31)])
def test_done_status_without_date_is_done_at_every_date(as_of: date):
    assert state({"deadline": "2024-12-31", "status": "done"}, as_of) == "done_on_time"
    # deadline long past: no date to judge by, so still on time unless the cell says late
    assert state({"deadline": "2024-03-31", "status": "done_on_time"}, as_of) == "done_on_time"
    assert state({"deadline": "2024-12-31", "status": "done_late"}, as_of) == "done_late"
    assert state({"ongoing": True, "status": "done_late"}, as_of) == "done_late"


# --- rule 3: on time or late -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("completed_on", "status", "expected"),
    [
        ("2024-03-31", None, "done_on_time"),
        ("2024-04-01", None, "done_late"),
        # the date beats the cell in both directions
        ("2024-03-31", "done_late", "done_on_time"),
        ("2024-04-01", "done_on_time", "done_late"),
    ],
)
def test_completed_on_the_deadline_is_on_time_one_day_later_is_late(
    completed_on: str, status: str | None, expected: str
):
    assert state({"deadline": "2024-03-31", "completed_on": completed_on, "status": status}, D) == expected


def test_done_with_date_but_no_deadline_is_on_time_unless_cell_says_late():
    assert state({"ongoing": True, "completed_on": "2024-05-01"}, D) == "done_on_time"
    assert state({"deadline": None, "completed_on": "2024-05-01", "status": "done"}, D) == "done_on_time"
    assert state({"ongoing": True, "completed_on": "2024-05-01", "status": "done_late"}, D) == "done_late"
    assert state({"deadline": None, "completed_on": "2024-05-01", "status": "done_late"}, D) == "done_late"


# --- rule 4: open tasks ----------------------------------------------------------------------


def test_open_task_due_exactly_on_the_date_is_overdue_at_the_end_of_that_day():
    # As of D = data up to the END of day D: a deadline of D still open then is a miss of that quarter.
    assert state({"deadline": "2024-06-30"}, D) == "open_overdue"
    assert state({"deadline": "2024-06-29"}, D) == "open_overdue"
    assert state({"deadline": "2024-07-01"}, D) == "open_in_time"
    # the day before, the same task is open and not yet due
    assert state({"deadline": "2024-06-30"}, date(2024, 6, 29)) == "open_in_time"
    tasks = make_tasks({"deadline": "2024-06-30"}, {"deadline": "2024-07-01"}, {"ongoing": True})
    assert task_due(tasks, D).tolist() == [True, False, False]


def test_early_completion_counts_in_assigned_now_and_in_due_only_on_its_deadline():
    # Deadline 30/9, finished 10/5. At 30/6: done (1/2 of assigned) but not due; the other task,
    # due 31/5 and open, is the only one due -> done_of_due 0 of due 1.
    tasks = make_tasks(
        {"deadline": "2024-09-30", "completed_on": "2024-05-10"},
        {"deadline": "2024-05-31"},
    )
    row = task_counts(tasks, D).iloc[0]
    assert (row["assigned"], row["due"], row["done_of_due"], row["done"]) == (2, 1, 0, 1)
    assert row["done_ratio_of_due"] == 0.0  # 0 / 1
    assert row["done_ratio_of_assigned"] == 0.5  # 1 / 2
    # At 30/9 it has fallen due: due 2, done_of_due 1 -> 1/2.
    row = task_counts(tasks, date(2024, 9, 30)).iloc[0]
    assert (row["due"], row["done_of_due"]) == (2, 1)
    assert row["done_ratio_of_due"] == 0.5


def test_status_cell_does_not_override_dates_for_open_tasks():
    assert state({"deadline": "2024-12-31", "status": "open_overdue"}, D) == "open_in_time"
    assert state({"deadline": "2024-03-31", "status": "open_in_time"}, D) == "open_overdue"
    assert state({"deadline": "2024-03-31", "status": "in_progress"}, D) == "open_overdue"


@pytest.mark.parametrize("as_of", [date(2024, 1, 1), D, date(2024, 12, 30)])
def test_ongoing_and_no_fixed_date_tasks_are_not_judged_before_year_end(as_of: date):
    assert state({"ongoing": True}, as_of) == "open_in_time"
    assert state({"deadline": None, "deadline_text": "Theo quy định"}, as_of) == "open_in_time"
    # an ongoing flag wins even if a parser left a date behind
    assert state({"ongoing": True, "deadline": "2024-01-31"}, as_of) == "open_in_time"
    assert not task_due(make_tasks({"ongoing": True}, {"deadline": None}), as_of).any()


@pytest.mark.parametrize("as_of", [date(2024, 12, 31), date(2030, 1, 1)])
def test_ongoing_task_at_year_end_is_due_and_overdue_when_open(as_of: date):
    # The plan year (2024) ends on 31/12/2024: that is the deadline of ongoing and undated tasks.
    assert state({"ongoing": True}, as_of) == "open_overdue"
    assert state({"deadline": None, "deadline_text": "Theo quy định"}, as_of) == "open_overdue"
    assert state({"ongoing": True, "completed_on": "2024-12-31"}, as_of) == "done_on_time"
    assert state({"ongoing": True, "completed_on": "2025-01-02"}, date(2030, 1, 1)) == "done_late"
    tasks = make_tasks({"ongoing": True, "completed_on": "2024-11-01"}, {"ongoing": True})
    row = task_counts(tasks, as_of).iloc[0]
    # both due at year end; one done -> done_of_due 1 / due 2 = done / assigned
    assert (row["due"], row["done_of_due"]) == (2, 1)
    assert row["done_ratio_of_due"] == row["done_ratio_of_assigned"] == 0.5


def test_days_overdue():
    tasks = make_tasks(
        {"deadline": "2024-06-01"},  # open, 30/6 - 1/6 = 29 days
        {"deadline": "2023-12-31"},  # open, 31+29+31+30+31+30 (Jan..Jun 2024, leap year) = 182 days
        {"deadline": "2024-06-30"},  # due today and open at its end: overdue, 0 days
        {"deadline": "2024-06-01", "completed_on": "2024-06-20"},  # done late: 0
        {"ongoing": True},  # 0
    )
    result = days_overdue(tasks, D)
    assert result.tolist() == [29, 182, 0, 0, 0]
    assert result.dtype == "int64"
    assert result.index.equals(tasks.index)


# --- counts ----------------------------------------------------------------------------------


def eight_tasks() -> pd.DataFrame:
    return make_tasks(
        {"deadline": "2024-03-31", "completed_on": "2024-03-01"},  # done on time
        {"deadline": "2024-06-30", "completed_on": "2024-06-30"},  # done on time
        {"status": "done"},  # done on time (no dates)
        {"deadline": "2024-03-31", "completed_on": "2024-04-15"},  # done late
        {"deadline": "2024-04-30"},  # open overdue
        {"deadline": "2024-05-31", "completed_on": "2024-08-01"},  # open overdue at 30/6
        {"deadline": "2024-09-30"},  # open in time
        {"ongoing": True},  # open in time
    )


def test_due_and_ratio_arithmetic():
    counts = task_counts(eight_tasks(), D)
    assert len(counts) == 1
    row = counts.iloc[0]
    # due (deadline <= 30/6): rows 1, 2, 4, 5, 6 = 5; of those done: 1, 2, 4 = 3 -> 3/5.
    # Row 3 (done, no fixed date -> deadline 31/12) is done but not due. done = 3 + 1 = 4 -> 4/8.
    expected = {
        "assigned": 8,
        "due": 5,
        "done_of_due": 3,
        "done_on_time": 3,
        "done_late": 1,
        "open_in_time": 2,
        "open_overdue": 2,
        "done": 4,
    }
    assert {k: int(row[k]) for k in expected} == expected
    assert row["done_ratio_of_due"] == pytest.approx(3 / 5)
    assert row["done_ratio_of_assigned"] == pytest.approx(0.5)
    assert (
        list(counts.columns)
        == (
            "assigned due done_of_due done_on_time done_late open_in_time open_overdue done"
            " done_ratio_of_due done_ratio_of_assigned"
        ).split()
    )


def test_nothing_due_gives_none_ratio_of_due():
    counts = task_counts(make_tasks({"deadline": "2024-12-31"}, {"ongoing": True}), D)
    row = counts.iloc[0]
    assert (row["assigned"], row["due"], row["done"]) == (2, 0, 0)
    assert row["done_ratio_of_due"] is None
    assert row["done_ratio_of_assigned"] == 0.0


def test_empty_frame_gives_zeros_and_none_ratios():
    empty = make_tasks()
    counts = task_counts(empty, D)
    assert len(counts) == 1
    row = counts.iloc[0]
    for col in ("assigned", "due", "done_on_time", "done_late", "open_in_time", "open_overdue", "done"):
        assert row[col] == 0
    assert row["done_ratio_of_due"] is None
    assert row["done_ratio_of_assigned"] is None
    assert task_states(empty, D).empty
    assert days_overdue(empty, D).empty
    by_unit = completion_by_unit(empty, D)
    assert by_unit.empty and list(by_unit.columns)[0] == "lead_unit"
    assert tasks_with_state(empty, D).empty


def test_grouping_by_unit_alphabetical_accents_kept_missing_last():
    nfd_ba_to = unicodedata.normalize("NFD", "UBND xã Ba Tơ")
    tasks = make_tasks(
        {"lead_unit": "UBND xã Ba Tơ", "deadline": "2024-03-31", "completed_on": "2024-03-01"},
        {"lead_unit": "Phòng Tư pháp", "deadline": "2024-03-31"},
        {"lead_unit": None, "deadline": "2024-03-31"},
        {"lead_unit": "UBND xã Ba Tô", "deadline": "2024-12-31"},
        {"lead_unit": "Phòng Nội vụ", "deadline": "2024-05-31", "completed_on": "2024-06-05"},
        {"lead_unit": nfd_ba_to, "deadline": "2024-04-30"},
        {"lead_unit": "Phòng Nội vụ", "status": "done"},
    )
    by_unit = completion_by_unit(tasks, D)
    # "Nội" < "Tư" (N < T); "Tô" (ô U+00F4) < "Tơ" (ơ U+01A1); missing unit last.
    assert by_unit["lead_unit"].tolist() == [
        "Phòng Nội vụ",
        "Phòng Tư pháp",
        "UBND xã Ba Tô",
        "UBND xã Ba Tơ",
        None,
    ]
    # Nội vụ: late (5/6 > 31/5, due) + on time by status without a deadline (due only at 31/12)
    #   -> 2 done, 1 due, 1 done of due
    # Tư pháp: overdue -> 0 done, 1 due; Ba Tô: in time -> nothing due
    # Ba Tơ (NFC and NFD rows together): on time + overdue -> 1 of 2 due; no unit: overdue
    assert by_unit["assigned"].tolist() == [2, 1, 1, 2, 1]
    assert by_unit["due"].tolist() == [1, 1, 0, 2, 1]
    assert by_unit["done_of_due"].tolist() == [1, 0, 0, 1, 0]
    assert by_unit["done"].tolist() == [2, 0, 0, 1, 0]
    assert by_unit["done_late"].tolist() == [1, 0, 0, 0, 0]
    assert by_unit["open_overdue"].tolist() == [0, 1, 0, 1, 1]
    assert by_unit["done_ratio_of_due"].tolist() == [1.0, 0.0, None, 0.5, 0.0]
    assert by_unit["done_ratio_of_assigned"].tolist() == [1.0, 0.0, 0.0, 0.5, 0.0]
    assert by_unit.equals(task_counts(tasks, D, by="lead_unit"))


def test_grouping_by_area_in_roman_order_missing_last():
    tasks = make_tasks(
        {"area": "VIII", "status": "done"},
        {"area": None, "status": "done"},
        {"area": "II", "deadline": "2024-03-31"},
        {"area": "IV", "status": "done"},
        {"area": "I", "deadline": "2024-03-31", "completed_on": "2024-04-02"},
        {"area": "II", "status": "done"},
        {"area": "VII", "ongoing": True},
    )
    by_area = completion_by_area(tasks, D)
    assert by_area["area"].tolist() == ["I", "II", "IV", "VII", "VIII", None]
    assert by_area["assigned"].tolist() == [1, 2, 1, 1, 1, 1]
    # I: done late, due -> 1/1. II: one overdue (due), one done without a deadline (not due) -> 0/1.
    # IV, VIII, no area: done without a deadline, not due before 31/12; VII: ongoing -> nothing due.
    assert by_area["done_ratio_of_due"].tolist() == [1.0, 0.0, None, None, None, None]
    assert by_area["done_late"].tolist() == [1, 0, 0, 0, 0, 0]


def test_area_order_is_numeric_not_alphabetical():
    # Alphabetically IV < IX < V < X; by value IV(4) < V(5) < IX(9) < X(10).
    tasks = make_tasks({"area": "X"}, {"area": "IX"}, {"area": "V"}, {"area": "IV"})
    assert completion_by_area(tasks, D)["area"].tolist() == ["IV", "V", "IX", "X"]


# --- trend -----------------------------------------------------------------------------------


def six_task_year() -> pd.DataFrame:
    return make_tasks(
        {"deadline": "2024-03-31", "completed_on": "2024-03-20"},  # T1
        {"deadline": "2024-02-29", "completed_on": "2024-05-10"},  # T2
        {"deadline": "2024-06-30", "status": "in_progress"},  # T3
        {"ongoing": True, "completed_on": "2024-12-15"},  # T4
        {"deadline": "2024-09-30", "status": "done"},  # T5 (no date)
        {"deadline": "2024-12-31", "completed_on": "2024-10-05"},  # T6
        # another year's task, same file: must be left out
        {"year": 2023, "deadline": "2023-03-31"},
    )


def test_completion_trend_per_quarter():
    trend = completion_trend(six_task_year(), 2024)
    # Q1 31/3: T1 on time, T5 on time (no date); T2 overdue; T3 T4 T6 in time -> done 2;
    #          due T1 T2 = 2, done of due 1
    # Q2 30/6: T1 T5 on time, T2 late; T3 due that day and open at its end -> overdue; T4 T6 in time
    #          -> done 3; due T1 T2 T3 = 3, done of due 2
    # Q3 30/9: as Q2, T5 now due -> done 3; due 4, done of due 3
    # Q4 31/12: T1 T4 T5 T6 on time, T2 late, T3 overdue -> done 5; due 6 (ongoing T4 at year end), 5
    # planned_due (deadline <= quarter end, ongoing at 31/12): Q1 T1 T2 = 2; Q2 +T3 = 3; Q3 +T5 = 4;
    # Q4 +T4 +T6 = 6
    assert trend["quarter"].tolist() == [1, 2, 3, 4]
    assert trend["as_of"].tolist() == [
        date(2024, 3, 31),
        date(2024, 6, 30),
        date(2024, 9, 30),
        date(2024, 12, 31),
    ]
    assert trend["assigned"].tolist() == [6, 6, 6, 6]
    assert trend["done_on_time"].tolist() == [2, 2, 2, 4]
    assert trend["done_late"].tolist() == [0, 1, 1, 1]
    assert trend["open_in_time"].tolist() == [3, 2, 2, 0]
    assert trend["open_overdue"].tolist() == [1, 1, 1, 1]
    assert trend["done"].tolist() == [2, 3, 3, 5]
    assert trend["due"].tolist() == [2, 3, 4, 6]
    assert trend["done_of_due"].tolist() == [1, 2, 3, 5]
    assert trend["planned_due"].tolist() == [2, 3, 4, 6]
    assert trend["done_ratio_of_due"].tolist() == pytest.approx([1 / 2, 2 / 3, 3 / 4, 5 / 6])
    assert trend["done_ratio_of_assigned"].tolist() == pytest.approx([2 / 6, 3 / 6, 3 / 6, 5 / 6])


def test_completion_trend_until_a_date_inside_q2():
    trend = completion_trend(six_task_year(), 2024, until=date(2024, 5, 1))
    # Quarters started by 1/5: Q1, Q2. Q2 is counted at 1/5, when T2 (due 31/3, done 10/5) was
    # still overdue: on time T1 T5 = 2, late 0, overdue T2 = 1, in time T3 T4 T6 = 3.
    assert trend["quarter"].tolist() == [1, 2]
    assert trend["as_of"].tolist() == [date(2024, 3, 31), date(2024, 5, 1)]
    assert trend["done_late"].tolist() == [0, 0]
    assert trend["open_overdue"].tolist() == [1, 1]
    assert trend["done"].tolist() == [2, 2]
    # the plan line stays at the quarter end
    assert trend["planned_due"].tolist() == [2, 3]
    assert completion_trend(six_task_year(), 2024, until=date(2023, 12, 31)).empty


# --- task list -------------------------------------------------------------------------------


def test_tasks_with_state_adds_columns_and_keeps_the_rest():
    tasks = eight_tasks()
    result = tasks_with_state(tasks, D)
    assert list(result.columns) == CANONICAL + ["state", "days_overdue"]
    pd.testing.assert_frame_equal(result[CANONICAL], tasks)
    # rows 5 and 6 are overdue: 30/6 - 30/4 = 61 days; 30/6 - 31/5 = 30 days
    assert result["days_overdue"].tolist() == [0, 0, 0, 0, 61, 30, 0, 0]
    assert (
        result["state"].tolist()
        == ["done_on_time"] * 3 + ["done_late"] + ["open_overdue"] * 2 + ["open_in_time"] * 2
    )


def test_inputs_are_never_mutated():
    tasks = six_task_year()
    before = tasks.copy(deep=True)
    task_states(tasks, D)
    days_overdue(tasks, D)
    task_counts(tasks, D, by="area")
    completion_by_unit(tasks, D)
    completion_trend(tasks, 2024, until=date(2024, 8, 1))
    tasks_with_state(tasks, D)
    pd.testing.assert_frame_equal(tasks, before)


def test_missing_column_is_named():
    with pytest.raises(ValueError, match="completed_on"):
        task_states(make_tasks({}).drop(columns=["completed_on"]), D)


# --- properties ------------------------------------------------------------------------------

BASE = date(2024, 1, 1)
_offsets = st.one_of(st.none(), st.integers(min_value=0, max_value=400))
_rows = st.fixed_dictionaries(
    {
        "deadline": _offsets,
        "completed_on": _offsets,
        "ongoing": st.booleans(),
        "status": st.sampled_from([None, *TASK_STATUSES]),
        "lead_unit": st.sampled_from(["Phòng Nội vụ", "Phòng Tư pháp", "UBND xã Ba Tơ", None]),
        "area": st.sampled_from(["I", "II", "VIII", None]),
    }
)


def frame_from(rows: list[dict[str, Any]]) -> pd.DataFrame:
    def day(offset: int | None) -> date | None:
        return None if offset is None else BASE + timedelta(days=offset)

    return make_tasks(
        *[{**r, "deadline": day(r["deadline"]), "completed_on": day(r["completed_on"])} for r in rows]
    )


_days = st.integers(min_value=-30, max_value=430).map(lambda n: BASE + timedelta(days=n))


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(_rows, max_size=25), as_of=_days)
def test_four_states_always_sum_to_assigned(rows, as_of):
    tasks = frame_from(rows)
    states = task_states(tasks, as_of)
    assert set(states) <= {"done_on_time", "done_late", "open_in_time", "open_overdue"}
    for by in (None, "lead_unit", "area"):
        counts = task_counts(tasks, as_of, by=by)
        parts = counts[["done_on_time", "done_late", "open_in_time", "open_overdue"]].sum(axis=1)
        assert (parts == counts["assigned"]).all()
        assert counts["assigned"].sum() == len(tasks)
        # every overdue task is due; the rest of due is done
        assert (counts["due"] == counts["done_of_due"] + counts["open_overdue"]).all()
        assert (counts["done_of_due"] <= counts["done"]).all()


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(_rows, max_size=25), first=_days, step=st.integers(min_value=0, max_value=400))
def test_done_never_decreases_as_the_date_advances(rows, first, step):
    tasks = frame_from(rows)
    later = first + timedelta(days=step)
    done_then = task_states(tasks, first).str.startswith("done")
    done_later = task_states(tasks, later).str.startswith("done")
    assert not (done_then & ~done_later).any()  # a task done once stays done
    assert task_counts(tasks, later).at[0, "done"] >= task_counts(tasks, first).at[0, "done"]


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(_rows, min_size=1, max_size=25), as_of=_days, data=st.data())
def test_marking_an_open_task_done_never_lowers_the_ratios(rows, as_of, data):
    tasks = frame_from(rows)
    states = task_states(tasks, as_of)
    open_rows = states.index[states.str.startswith("open")].tolist()
    if not open_rows:
        return
    target = data.draw(st.sampled_from(open_rows))
    marked = tasks.copy()
    marked.loc[target, "completed_on"] = pd.Timestamp(as_of)
    assert task_states(marked, as_of).loc[target].startswith("done")
    before = task_counts(tasks, as_of).iloc[0]
    after = task_counts(marked, as_of).iloc[0]
    assert after["done"] == before["done"] + 1
    # completing never changes what is due (that depends on deadlines only)
    assert after["due"] == before["due"]
    assert after["done_ratio_of_assigned"] is not None
    for ratio in ("done_ratio_of_due", "done_ratio_of_assigned"):
        if before[ratio] is not None:
            assert after[ratio] >= before[ratio]


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # (on time, late, in time, overdue, due, done_of_due), worked by hand in docs/FORMATS.md
        (date(2024, 3, 31), (1, 0, 3, 1, 2, 1)),
        (date(2024, 4, 25), (2, 1, 2, 0, 2, 2)),
        (date(2024, 6, 30), (2, 1, 1, 1, 4, 3)),
        (date(2024, 12, 31), (2, 1, 0, 2, 5, 3)),
    ],
)
def test_the_documented_worked_example(as_of, expected):
    tasks = make_tasks(
        {"deadline": "2024-03-31", "completed_on": "2024-03-15"},
        {"deadline": "2024-03-31", "completed_on": "2024-04-10"},
        {"deadline": "2024-04-30", "completed_on": "2024-04-20"},
        {"deadline": "2024-05-31"},
        {"ongoing": True},
    )
    row = task_counts(tasks, as_of).iloc[0]
    keys = ("done_on_time", "done_late", "open_in_time", "open_overdue", "due", "done_of_due")
    assert tuple(int(row[k]) for k in keys) == expected
