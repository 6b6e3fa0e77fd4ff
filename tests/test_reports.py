"""Report tables on a small hand-built year (2024).

Units: Phòng Nội vụ, Phòng Tư pháp, Văn phòng HĐND và UBND (offices), Ba Tô (commune), Ba Tơ (town:
differs from the commune only by the diacritic).

Tasks (code, lead, area, deadline, completed):
  1 Nội vụ  I   31/03  20/03   Q1 done on time         Q2 done on time
  2 Tư pháp I   31/03  10/04   Q1 open overdue (still open at the end of 31/03)   Q2 done late   [criterion 2.1]
  3 Tư pháp III 31/05  —       Q1 open in time         Q2 open overdue (30 days)          [criterion 2.1]
  4 Ba Tô   III 30/06  01/06   Q1 open in time         Q2 done on time
  5 Ba Tơ   II  30/09  —       open in time
  6 Nội vụ  II  29/02  —       Q1 overdue (31 days)    Q2 overdue (31+30+31+30 = 122 days)

Framework (max 8): I {1.1 bands plan_completion 100%:2/80%:1/0%:0 (2, Nội vụ); 1.2 manual (1, Văn phòng)},
II {2.1 deduction late_reports 0.5 per task (2, Tư pháp)}, III {3.1 bands dossier_on_time 100%:3/98%:2/95%:1 (3,
Văn phòng)}. Scores: district 1.2 self 0.5 in Q2; Ba Tô 1.2 self 1 in Q2; Ba Tơ 1.2 self 1 in Q2.

Dossiers (unit, received, due, resolved, status, channel, apology):
  D1 Ba Tô   01/02 10/02 05/02 resolved_on_time  online
  D2 Ba Tô   03/02 13/02 04/02 resolved_early    direct
  D3 Ba Tô   02/05 10/05 20/05 resolved_late     direct  no apology
  D4 Tư pháp 01/04 10/04 —     processing_overdue direct apology unknown
  D5 Tư pháp 25/06 05/07 —     processing_in_time direct
  D6 Tư pháp 01/03 10/03 15/03 resolved_late     online  apology given
  D7 Ba Tơ   10/06 20/06 19/06 resolved_on_time  online
  D8 Ba Tơ   02/07 …           (received after 30/06)
  D9 Ba Tô   28/12/2023        (received the previous year)
  D10 Ba Tơ  20/03 25/03 02/04 resolved_late     direct  no apology  (open and overdue at 31/03)
"""

from __future__ import annotations

import io
import math
from dataclasses import replace
from datetime import date

import openpyxl
import pandas as pd
import pytest
from factories import area, dossier, frame, leaf, score, task, unit, year_data
from python_calamine import CalamineWorkbook
from unit_names import BA_TO_COMMUNE, BA_TO_TOWN, NOI_VU, TU_PHAP, VAN_PHONG

from analysis.engine import dossiers as dossier_view
from analysis.engine import league as league_view
from analysis.engine import series as series_view
from analysis.engine import year as views
from analysis.exports import excel

Q1, Q2 = date(2024, 3, 31), date(2024, 6, 30)


# (number, unit, received, due, resolved, status, channel, apology): the docstring's dossier table.
DOSSIERS = [
    (1, BA_TO_COMMUNE, "2024-02-01", "2024-02-10", "2024-02-05", "resolved_on_time", "online", None),
    (2, BA_TO_COMMUNE, "2024-02-03", "2024-02-13", "2024-02-04", "resolved_early", "direct", None),
    (3, BA_TO_COMMUNE, "2024-05-02", "2024-05-10", "2024-05-20", "resolved_late", "direct", False),
    (4, TU_PHAP, "2024-04-01", "2024-04-10", None, "processing_overdue", "direct", None),
    (5, TU_PHAP, "2024-06-25", "2024-07-05", None, "processing_in_time", "direct", None),
    (6, TU_PHAP, "2024-03-01", "2024-03-10", "2024-03-15", "resolved_late", "online", True),
    (7, BA_TO_TOWN, "2024-06-10", "2024-06-20", "2024-06-19", "resolved_on_time", "online", None),
    (8, BA_TO_TOWN, "2024-07-02", "2024-07-12", None, "processing_in_time", "direct", None),
    (9, BA_TO_COMMUNE, "2023-12-28", "2024-01-08", "2024-01-20", "resolved_late", "direct", False),
    (10, BA_TO_TOWN, "2024-03-20", "2024-03-25", "2024-04-02", "resolved_late", "direct", False),
]


def _task(code, lead, area_code, deadline, completed=None, criterion=None):
    status = "done" if completed else "in_progress"
    return task(code, lead, deadline, completed, criterion=criterion, status=status, area=area_code)


@pytest.fixture
def data() -> views.YearData:
    return sample_year()


def sample_year() -> views.YearData:
    """The year described in the module docstring."""
    tasks = [
        _task("1", NOI_VU, "I", "2024-03-31", "2024-03-20"),
        _task("2", TU_PHAP, "I", "2024-03-31", "2024-04-10", criterion="2.1"),
        _task("3", TU_PHAP, "III", "2024-05-31", criterion="2.1"),
        _task("4", BA_TO_COMMUNE, "III", "2024-06-30", "2024-06-01"),
        _task("5", BA_TO_TOWN, "II", "2024-09-30"),
        _task("6", NOI_VU, "II", "2024-02-29"),
    ]
    framework = [
        area("I", "Công tác chỉ đạo, điều hành CCHC", 3),
        leaf("1.1", "I", 2.0, "bands", "plan_completion", "100%: 2; 80%: 1; 0%: 0", unit=NOI_VU),
        leaf("1.2", "I", 1.0, "manual", unit=VAN_PHONG),
        area("II", "Cải cách thể chế", 2),
        leaf("2.1", "II", 2.0, "deduction", "late_reports", "0.5", unit=TU_PHAP),
        area("III", "Cải cách thủ tục hành chính", 3),
        leaf("3.1", "III", 3.0, "bands", "dossier_on_time", "100%: 3; 98%: 2; 95%: 1; 0%: 0", unit=VAN_PHONG),
    ]
    scores = [score("1.2", 0.5), score("1.2", 1.0, unit=BA_TO_COMMUNE), score("1.2", 1.0, unit=BA_TO_TOWN)]
    dossiers = [
        dossier(f"D{n}", who, status, channel, apology, received=received, due=due, resolved=resolved)
        for n, who, received, due, resolved, status, channel, apology in DOSSIERS
    ]
    units = [
        unit("NV", NOI_VU, "office"),
        unit("TP", TU_PHAP, "office"),
        unit("VP", VAN_PHONG, "office"),
        unit("21523", BA_TO_COMMUNE, "commune"),
        unit("21484", BA_TO_TOWN, "town"),
    ]
    return year_data(tasks=tasks, framework=framework, scores=scores, dossiers=dossiers, units=units)


def empty_data() -> views.YearData:
    return year_data()


# Quarter series ----------------------------------------------------------------------------


def test_quarter_series_counts_per_quarter(data):
    series = series_view.quarter_series(data)
    # latest quarter: the scores are of Q2 and the last completion is 10/04 -> Q2.
    assert series["quarter"].tolist() == [1, 2]
    assert series["label"].tolist() == ["Quý I/2024", "Quý II/2024"]
    assert series["as_of"].dt.date.tolist() == [Q1, Q2]
    q1, q2 = series.iloc[0], series.iloc[1]
    # Q1 (end of 31/03): 1 done on time; 3, 4, 5 open in time; 2 (due 31/03) and 6 overdue.
    # due = deadlines <= 31/03 = 1, 2, 6 = 3; done of due = 1.
    assert (q1["assigned"], q1["due"], q1["done"], q1["done_on_time"], q1["done_late"]) == (6, 3, 1, 1, 0)
    assert q1["done_of_due"] == 1
    assert (q1["open_in_time"], q1["open_overdue"]) == (3, 2)
    assert q1["done_ratio_of_due"] == pytest.approx(1 / 3)
    assert q1["done_ratio_of_assigned"] == pytest.approx(1 / 6)
    # Q2: 1 and 4 on time, 2 late, 3 and 6 overdue, 5 in time. due = 3 + 2 = 5.
    assert (q2["due"], q2["done"], q2["done_on_time"], q2["done_late"]) == (5, 3, 2, 1)
    assert (q2["open_in_time"], q2["open_overdue"]) == (1, 2)
    assert q2["done_ratio_of_due"] == pytest.approx(3 / 5)
    assert q2["done_ratio_of_assigned"] == pytest.approx(3 / 6)
    # Planned: deadlines on or before 31/03 are tasks 1, 2, 6; on or before 30/06 also 3 and 4.
    assert series["planned_due"].tolist() == [3, 5]


def test_quarter_series_index_per_quarter(data):
    series = series_view.quarter_series(data)
    q1, q2 = series.iloc[0], series.iloc[1]
    # Q1: 1.1 plan 1/3 = 33 % -> 0 (lost 2); 1.2 no district score yet -> unknown (1);
    # 2.1 linked task 2 due 31/03 and open at its end -> 1 overdue -> 2 - 0.5 = 1.5 (lost 0.5);
    # 3.1 resolved D1, D2, D6 -> 2/3 on time -> 0 (lost 3). likely 1.5; lost 5.5.
    assert (q1["max"], q1["likely"], q1["deducted"], q1["unknown_max"]) == (8, 1.5, 5.5, 1)
    assert q1["percent"] == pytest.approx(round(100 * 1.5 / 7, 2))  # 1.5 of the 7 known points
    # Q2: 1.1 3/5 = 60 % -> 0 (lost 2); 1.2 self 0.5 (lost 0.5); 2.1 tasks 2 late, 3 overdue -> 2 - 2*0.5 = 1;
    # 3.1 resolved D1, D2, D3, D6, D7, D10 -> 3/6 -> 0 (lost 3). likely 0.5 + 1 = 1.5; lost 6.5.
    assert (q2["max"], q2["likely"], q2["deducted"], q2["unknown_max"]) == (8, 1.5, 6.5, 0)
    assert q2["percent"] == pytest.approx(18.75)  # 100 * 1.5 / 8
    assert q2["rank"] == "D"


def test_quarter_series_for_a_unit_and_until(data):
    series = series_view.quarter_series(data, unit=NOI_VU, until_quarter=1)
    assert len(series) == 1
    # Nội vụ leads 1 (done on time) and 6 (overdue since 29/02); both deadlines fall in Q1.
    row = series.iloc[0]
    assert (row["assigned"], row["due"], row["done"], row["open_overdue"], row["planned_due"]) == (
        2,
        2,
        1,
        1,
        2,
    )


def test_quarter_series_stops_at_as_of(data):
    series = series_view.quarter_series(data, as_of=date(2024, 5, 15))
    assert series["as_of"].dt.date.tolist() == [Q1, date(2024, 5, 15)]
    q2 = series.iloc[1]
    # At 15/05: 1 on time, 2 late (10/04), 3 (due 31/05) and 4 (done 01/06) and 5 in time, 6 overdue.
    assert (q2["done_on_time"], q2["done_late"], q2["open_in_time"], q2["open_overdue"]) == (1, 1, 3, 1)
    # planned_due still counts deadlines up to the quarter end (30/06): 1, 2, 3, 4, 6.
    assert q2["planned_due"] == 5


def test_area_deductions_by_quarter(data):
    long = series_view.area_deductions_by_quarter(data)
    assert list(long.columns) == ["quarter", "label", "area", "name", "max", "likely", "deducted"]
    got = {(r["quarter"], r["area"]): r["deducted"] for r in long.to_dict("records")}
    # Q1: I lost 2 (1.1; 1.2 unknown), II 0.5 (task 2 overdue at the end of 31/03), III 3.
    # Q2: I 2 + 0.5, II 1, III 3.
    assert got == {(1, "I"): 2, (1, "II"): 0.5, (1, "III"): 3, (2, "I"): 2.5, (2, "II"): 1, (2, "III"): 3}
    assert long.loc[long["area"].eq("II"), "name"].unique().tolist() == ["Cải cách thể chế"]


# Units ---------------------------------------------------------------------------------------


def test_unit_area_matrix_and_overdue(data):
    matrix = league_view.unit_area_matrix(data, Q2)
    # Rows alphabetical after case folding: "ba tô" < "ba tơ" (ô U+00F4 before ơ U+01A1).
    assert matrix.index.tolist() == [BA_TO_COMMUNE, BA_TO_TOWN, NOI_VU, TU_PHAP]
    assert matrix.columns.tolist() == ["I", "II", "III"]
    assert matrix.loc[NOI_VU, "I"] == 1.0  # task 1 done
    assert matrix.loc[NOI_VU, "II"] == 0.0  # task 6 overdue
    assert math.isnan(matrix.loc[NOI_VU, "III"])  # no task there
    assert matrix.loc[TU_PHAP, "I"] == 1.0 and matrix.loc[TU_PHAP, "III"] == 0.0
    assert matrix.loc[BA_TO_COMMUNE, "III"] == 1.0
    assert matrix.loc[BA_TO_TOWN].isna().all()  # task 5 not due yet
    overdue = league_view.unit_area_overdue(data, Q2)
    assert overdue.loc[NOI_VU].tolist() == [0, 1, 0]
    assert overdue.loc[TU_PHAP].tolist() == [0, 0, 1]
    assert int(overdue.to_numpy().sum()) == 2


def test_unit_league_order_and_points(data):
    league = league_view.unit_league(data, Q2)
    # Points lost at Q2 (district): 1.1 lost 2, split over the overdue tasks 3 (Tư pháp) and 6 (Nội vụ);
    # 2.1 lost 1 from tasks 2 and 3 (both Tư pháp); 1.2 lost 0.5 and 3.1 lost 3 go to Văn phòng.
    points = dict(zip(league["unit"], league["deducted_points"], strict=True))
    assert points[TU_PHAP] == pytest.approx(2.0)  # 1 + 1
    assert points[NOI_VU] == pytest.approx(1.0)
    assert points[VAN_PHONG] == pytest.approx(3.5)
    assert points[BA_TO_COMMUNE] == 0 and points[BA_TO_TOWN] == 0
    # Tư pháp and Nội vụ both 1/2 done with 1 overdue: Tư pháp lost more, so it comes first; then Ba Tô
    # (1/1); units with nothing due last, Văn phòng (3,5 points lost) before Ba Tơ.
    assert league["unit"].tolist() == [TU_PHAP, NOI_VU, BA_TO_COMMUNE, VAN_PHONG, BA_TO_TOWN]
    row = league.iloc[0]
    assert (row["kind"], row["assigned"], row["due"], row["done"], row["open_overdue"]) == (
        "office",
        2,
        2,
        1,
        1,
    )
    assert row["done_ratio_of_due"] == 0.5
    assert league.set_index("unit").loc[BA_TO_TOWN, "kind"] == "town"
    assert math.isnan(league.set_index("unit").loc[VAN_PHONG, "done_ratio_of_due"])


def test_unit_league_kind_filter(data):
    assert league_view.unit_league(data, Q2, kind="office")["unit"].tolist() == [TU_PHAP, NOI_VU, VAN_PHONG]
    assert league_view.unit_league(data, Q2, kind="commune")["unit"].tolist() == [BA_TO_COMMUNE, BA_TO_TOWN]
    with pytest.raises(ValueError, match="kind"):
        league_view.unit_league(data, Q2, kind="town")


def test_unit_league_unknown_unit_is_other(data):
    tasks = data.tasks.copy()
    tasks.loc[tasks["code"].eq("5"), "lead_unit"] = "Ban Quản lý dự án"
    league = league_view.unit_league(replace(data, tasks=tasks), Q2)
    assert league.set_index("unit").loc["Ban Quản lý dự án", "kind"] == "other"


# Late units and dossiers -------------------------------------------------------------------


def test_dossier_summary_q2(data):
    frame = dossier_view.dossier_summary(data, Q2).set_index("unit")
    # Tư pháp: D4 open overdue (due 10/04), D5 in time, D6 resolved late -> 0/1 on time; online D6.
    tp = frame.loc[TU_PHAP]
    assert (tp["total"], tp["resolved"], tp["on_time"], tp["late"], tp["open_overdue"], tp["online"]) == (
        3,
        1,
        0,
        1,
        1,
        1,
    )
    assert tp["on_time_rate"] == 0.0 and tp["online_rate"] == pytest.approx(1 / 3)
    assert tp["late_without_apology"] == 0  # D6 apologised, D4's slip unknown
    # Ba Tô: D1, D2 on time, D3 late without slip; D9 is of 2023 and left out.
    bt = frame.loc[BA_TO_COMMUNE]
    assert (bt["total"], bt["resolved"], bt["on_time"], bt["late"], bt["late_without_apology"]) == (
        3,
        3,
        2,
        1,
        1,
    )
    assert bt["on_time_rate"] == pytest.approx(2 / 3)
    # Ba Tơ: D7 on time, D10 late without slip; D8 received after 30/06.
    town = frame.loc[BA_TO_TOWN]
    assert (town["total"], town["resolved"], town["on_time"], town["online"]) == (2, 2, 1, 1)
    assert town["on_time_rate"] == 0.5 and town["kind"] == "town"
    # Worst on-time rate first: 0 %, 50 %, 66,7 %.
    assert frame.index.tolist() == [TU_PHAP, BA_TO_TOWN, BA_TO_COMMUNE]


def test_dossier_summary_q1_resolved_later_is_open(data):
    frame = dossier_view.dossier_summary(data, Q1).set_index("unit")
    # At 31/03 D10 (due 25/03, resolved 02/04) was still open and past due; its slip is recorded as missing.
    town = frame.loc[BA_TO_TOWN]
    assert (town["total"], town["resolved"], town["open_overdue"], town["late_without_apology"]) == (
        1,
        0,
        1,
        1,
    )
    assert math.isnan(town["on_time_rate"])
    # D4 (received 01/04) is not there yet; Tư pháp has D6 only.
    assert frame.loc[TU_PHAP, "total"] == 1
    assert frame.index.tolist()[-1] == BA_TO_TOWN  # nothing resolved: last


def test_late_units(data):
    late = dossier_view.late_units(data, Q2)
    assert list(late.columns) == dossier_view.LATE_COLUMNS
    assert late["unit"].tolist() == [NOI_VU, TU_PHAP, BA_TO_COMMUNE, BA_TO_TOWN]
    rows = late.set_index("unit")
    # Nội vụ: task 6 overdue since 29/02 -> 122 days at 30/06; no dossiers of its own.
    assert rows.loc[NOI_VU, "task_codes"] == "6"
    assert rows.loc[NOI_VU, "oldest_overdue_days"] == 122
    assert rows.loc[NOI_VU, "late_dossiers"] == 0
    # Tư pháp: task 3 overdue since 31/05 -> 30 days; dossiers D6 late and D4 open overdue -> 2.
    assert (rows.loc[TU_PHAP, "open_overdue"], rows.loc[TU_PHAP, "task_codes"]) == (1, "3")
    assert rows.loc[TU_PHAP, "oldest_overdue_days"] == 30
    assert rows.loc[TU_PHAP, "late_dossiers"] == 2
    assert rows.loc[TU_PHAP, "on_time_rate"] == 0.0
    # The commune and the town are listed for their late dossiers only (D3, D10), both without a slip.
    assert rows.loc[BA_TO_COMMUNE, "open_overdue"] == 0 and rows.loc[BA_TO_COMMUNE, "late_dossiers"] == 1
    assert rows.loc[BA_TO_TOWN, "late_without_apology"] == 1


def test_late_units_codes_in_natural_order(data):
    tasks = pd.concat(
        [data.tasks, frame("tasks", [_task("10", NOI_VU, "I", "2024-01-31")])],
        ignore_index=True,
    )
    late = dossier_view.late_units(replace(data, tasks=tasks), Q2).set_index("unit")
    assert late.loc[NOI_VU, "task_codes"] == "6, 10"
    assert late.loc[NOI_VU, "oldest_overdue_days"] == 151  # 31/01 -> 30/06: 29 + 31 + 30 + 31 + 30


def test_late_units_without_dossiers(data):
    late = dossier_view.late_units(replace(data, dossiers=pd.DataFrame()), Q2)
    assert late["unit"].tolist() == [NOI_VU, TU_PHAP]
    assert late["late_dossiers"].isna().all()
    export = excel.late_units_for_export(late)
    assert "Hồ sơ trễ hạn" not in export.columns
    assert export.columns[0] == "Đơn vị" and export["Loại đơn vị"].tolist() == ["Phòng ban", "Phòng ban"]


def test_late_units_for_export_headers(data):
    export = excel.late_units_for_export(dossier_view.late_units(data, Q2))
    assert list(export.columns) == [
        "Đơn vị",
        "Loại đơn vị",
        "Số nhiệm vụ chưa hoàn thành quá hạn",
        "Nhiệm vụ quá hạn (TT)",
        "Quá hạn lâu nhất (ngày)",
        "Hồ sơ trễ hạn",
        "Hồ sơ trễ hạn chưa có phiếu xin lỗi (Mẫu 04)",
        "Tỷ lệ hồ sơ đúng hạn",
    ]


# Commune index -------------------------------------------------------------------------------


def test_commune_index(data):
    frame = league_view.commune_index(data, Q2)
    assert frame["unit"].tolist() == [BA_TO_TOWN, BA_TO_COMMUNE]  # lower percent first
    rows = frame.set_index("unit")
    # Ba Tô (own tasks and dossiers): 1.1 task 4 done, 1/1 -> 2; 1.2 self 1; 2.1 no linked task -> unknown (2);
    # 3.1 D1, D2 on time, D3 late -> 2/3 -> 0 (lost 3). likely 3 of the 6 known points = 50 %.
    bt = rows.loc[BA_TO_COMMUNE]
    assert (bt["max"], bt["likely"], bt["deducted"], bt["unknown_max"]) == (8, 3, 3, 2)
    assert bt["percent"] == pytest.approx(50.0)
    assert bt["rank"] == "D"
    assert (bt["I"], bt["II"], bt["III"]) == (0, 0, 3)
    # Ba Tơ: 1.1 nothing due -> unknown (2); 1.2 self 1; 2.1 unknown (2); 3.1 D7 on time, D10 late -> 0 (lost 3).
    # likely 1 of 8 - 4 = 4 known points = 25 %.
    town = rows.loc[BA_TO_TOWN]
    assert (town["likely"], town["deducted"], town["unknown_max"]) == (1, 3, 4)
    assert town["percent"] == pytest.approx(25.0)
    assert list(frame.columns) == "unit max likely deducted unknown_max percent rank I II III".split()


def test_commune_index_ignores_later_quarters(data):
    # The unit scores are of Q2: at 31/03 no unit has been assessed yet.
    assert league_view.commune_index(data, Q1).empty


# Empty inputs --------------------------------------------------------------------------------


def test_empty_year_gives_empty_frames():
    empty = empty_data()
    series = series_view.quarter_series(empty, until_quarter=2)
    assert series["assigned"].tolist() == [0, 0] and series["done_ratio_of_due"].isna().all()
    assert series_view.area_deductions_by_quarter(empty, until_quarter=1).empty
    assert league_view.unit_area_matrix(empty, Q2).empty
    assert league_view.unit_area_overdue(empty, Q2).empty
    assert league_view.unit_league(empty, Q2).empty
    assert list(league_view.unit_league(empty, Q2).columns) == league_view.LEAGUE_COLUMNS
    assert dossier_view.late_units(empty, Q2).empty
    assert league_view.commune_index(empty, Q2).empty
    assert dossier_view.dossier_summary(empty, Q2).empty
    assert list(dossier_view.dossier_summary(empty, Q2).columns) == dossier_view.DOSSIER_COLUMNS
    assert excel.late_units_for_export(dossier_view.late_units(empty, Q2)).columns[0] == "Đơn vị"


# Excel ---------------------------------------------------------------------------------------


def _read(book_bytes: bytes) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(book_bytes))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_to_excel_bytes_title_headers_and_values(data):
    late = excel.late_units_for_export(dossier_view.late_units(data, Q2))
    tasks = excel.task_list_for_export(views.task_list(data, Q2))
    content = excel.to_excel_bytes(
        {"Đơn vị trễ hạn": late, "Nhiệm vụ": tasks},
        "Danh sách đơn vị trễ hạn — Quý II/2024",
        subtitle="Số liệu đến 30/06/2024",
    )
    sheets = _read(content)
    assert list(sheets) == ["Đơn vị trễ hạn", "Nhiệm vụ"]
    rows = sheets["Đơn vị trễ hạn"]
    assert rows[0][0] == "Danh sách đơn vị trễ hạn — Quý II/2024"
    assert rows[1][0] == "Số liệu đến 30/06/2024"
    assert rows[2][:3] == ["Đơn vị", "Loại đơn vị", "Số nhiệm vụ chưa hoàn thành quá hạn"]
    assert rows[3][0] == NOI_VU and rows[3][1] == "Phòng ban" and rows[3][2] == 1
    assert rows[3][7] == "" or rows[3][7] is None  # Nội vụ has no resolved dossier: blank rate
    task_rows = sheets["Nhiệm vụ"]
    header = task_rows[2]
    assert header[:3] == ["TT", "Lĩnh vực", "Nội dung nhiệm vụ"]
    state = header.index("Trạng thái tại ngày số liệu")
    assert [r[state] for r in task_rows[3:]] == [
        "Hoàn thành đúng hạn",
        "Hoàn thành quá hạn",
        "Chưa hoàn thành quá hạn",
        "Hoàn thành đúng hạn",
        "Chưa hoàn thành trong hạn",
        "Chưa hoàn thành quá hạn",
    ]
    deadline = header.index("Hạn")
    assert task_rows[3][deadline] == date(2024, 3, 31)


def test_to_excel_bytes_formats(data):
    tasks = excel.task_list_for_export(views.task_list(data, Q2))
    late = excel.late_units_for_export(dossier_view.late_units(data, Q2))
    content = excel.to_excel_bytes({"Nhiệm vụ": tasks, "Trễ hạn": late}, "Danh sách nhiệm vụ")
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book["Nhiệm vụ"]
    assert sheet.freeze_panes == "A4"  # title, subtitle row, header frozen
    assert sheet["A3"].font.b
    deadline_col = [c.value for c in sheet[3]].index("Hạn") + 1
    assert sheet.cell(row=4, column=deadline_col).number_format == "dd/mm/yyyy"
    assert sheet.column_dimensions["C"].width > sheet.column_dimensions["A"].width  # titles wider than codes
    rate = [c.value for c in book["Trễ hạn"][3]].index("Tỷ lệ hồ sơ đúng hạn") + 1
    assert book["Trễ hạn"].cell(row=5, column=rate).number_format == "0.0%"  # Tư pháp, 0 %


def test_to_excel_bytes_sheet_names_and_empty():
    content = excel.to_excel_bytes(
        {"Quý II/2024: [đơn vị]": pd.DataFrame({"unit": []}), "x" * 40: pd.DataFrame()}, "Trống"
    )
    sheets = _read(content)
    names = list(sheets)
    assert names[0] == "Quý II-2024- -đơn vị-"
    assert names[1] == "x" * 31
    assert sheets[names[0]][2] == ["Đơn vị"]  # canonical name -> Vietnamese header
