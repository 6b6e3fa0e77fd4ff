"""Units across the 2025 merger, roll-up of counts, and the same quarter a year earlier (hand-computed)."""

from __future__ import annotations

from datetime import date

import pandas as pd
from factories import task, year_data
from unit_names import NOI_VU

from analysis.engine import history
from analysis.engine.organisation import organisation
from analysis.engine.units import UnitIndex, resolve_on, roll_up
from analysis.engine.year import YearData

END = pd.Timestamp("2025-06-30")
START = pd.Timestamp("2025-07-01")
UNITS = pd.DataFrame(
    {
        "code": ["535", "21529", "21517", "21505", "21538", "PNV", "BT-2025-01"],
        "name": [
            "Huyện Ba Tơ",
            "Xã Ba Vì",
            "Xã Ba Tiêu",
            "Xã Ba Ngạc",
            "Xã Ba Xa",
            "Phòng Nội vụ",
            "Xã Ba Vì",
        ],
        "kind": ["district", "commune", "commune", "commune", "commune", "office", "commune"],
        "parent": [None, "535", "535", "535", "535", "535", None],
        "valid_from": [pd.NaT, pd.NaT, pd.NaT, pd.NaT, pd.NaT, pd.NaT, START],
        "valid_to": [END, END, END, END, pd.NaT, END, pd.NaT],
        "successor": [None, "BT-2025-01", "BT-2025-01", "BT-2025-01", None, None, None],
    }
)


def test_same_name_resolves_to_the_unit_valid_on_the_data_date():
    assert resolve_on(UNITS, "Xã Ba Vì", date(2024, 6, 30)).code == "21529"
    assert resolve_on(UNITS, "UBND xã Ba Vì", date(2025, 9, 30)).code == "BT-2025-01"
    # Registered in the other order, the date still decides (not the first registered).
    reversed_units = UNITS.iloc[::-1].reset_index(drop=True)
    assert resolve_on(reversed_units, "Xã Ba Vì", date(2024, 12, 31)).code == "21529"
    assert resolve_on(reversed_units, "Xã Ba Vì", date(2025, 7, 1)).code == "BT-2025-01"
    # A name that no longer exists on the date still resolves (to its old unit), it is not guessed away.
    assert UnitIndex(UNITS, date(2025, 9, 30)).resolve("Ba Tiêu").code == "21517"


def test_roll_up_of_2024_task_counts_into_the_2025_communes():
    counts = pd.DataFrame(
        {
            "unit": ["Xã Ba Vì", "Xã Ba Tiêu", "Xã Ba Ngạc", "Xã Ba Xa", "Phòng Nội vụ"],
            "assigned": [3, 2, 4, 5, 31],
            "done": [3, 1, 2, 4, 29],
        }
    )
    out = roll_up(
        counts,
        UNITS,
        unit_column="unit",
        data_date=date(2024, 12, 31),
        on=date(2025, 9, 30),
        sum_columns=["assigned", "done"],
    )
    rows = {r["unit"]: r for r in out.to_dict("records")}
    # New Ba Vì = old Ba Vì + Ba Tiêu + Ba Ngạc: assigned 3 + 2 + 4 = 9, done 3 + 1 + 2 = 6.
    assert rows["Xã Ba Vì"]["code"] == "BT-2025-01"
    assert (rows["Xã Ba Vì"]["assigned"], rows["Xã Ba Vì"]["done"]) == (9, 6)
    assert rows["Xã Ba Vì"]["predecessors"] == "Xã Ba Ngạc, Xã Ba Tiêu, Xã Ba Vì"
    # Ba Xa is unchanged; the district office ended without a successor and keeps its own row.
    assert (rows["Xã Ba Xa"]["assigned"], rows["Xã Ba Xa"]["done"]) == (5, 4)
    assert rows["Phòng Nội vụ"]["assigned"] == 31
    assert out["assigned"].sum() == 3 + 2 + 4 + 5 + 31


def test_index_is_compared_not_summed():
    communes = pd.DataFrame({"unit": ["Xã Ba Vì", "Xã Ba Tiêu", "Xã Ba Ngạc"], "percent": [90.0, 82.5, None]})
    out = history.rolled_up_index(communes, UNITS, date(2024, 12, 31), date(2025, 9, 30))
    (row,) = out.to_dict("records")
    assert row["unit"] == "Xã Ba Vì"
    assert (row["lowest"], row["highest"]) == (82.5, 90.0)  # not 172.5
    assert row["each"]["Xã Ba Ngạc"] is None


def _year(year: int, rows: list[tuple]) -> YearData:
    """A year of tasks from (code, deadline, completed), led by Phòng Nội vụ, or (code, lead, deadline,
    completed)."""
    rows = [row if len(row) == 4 else (row[0], NOI_VU, *row[1:]) for row in rows]
    tasks = [
        task(code, lead, deadline, completed, status="done" if completed else "in_progress", year=year)
        for code, lead, deadline, completed in rows
    ]
    return year_data(year=year, tasks=tasks, units=UNITS)


def _office_year(year: int, deadlines: list[str], completed: list[str]) -> YearData:
    """Tasks 1, 2, … of Phòng Nội vụ due on the given month-days of the year; the first ones
    completed on the given month-days, the rest open."""
    done = completed + [None] * (len(deadlines) - len(completed))
    return _year(
        year,
        [
            (str(i), f"{year}-{d}", c and f"{year}-{c}")
            for i, (d, c) in enumerate(zip(deadlines, done, strict=True), 1)
        ],
    )


def test_same_quarter_previous_year_on_hand_computed_numbers():
    # 2024: 4 tasks; by 30/06/2024 three have fallen due (31/3, 31/5, 15/6) and two of them are done
    # (one on time, one late) -> done 2, overdue 1, done ÷ due = 2/3.
    before = _office_year(2024, ["03-31", "05-31", "06-15", "09-30"], ["03-20", "06-10"])
    # 2025: 5 tasks; by 30/06/2025 two have fallen due (31/3, 20/6), both done on time -> done 2,
    # overdue 0, done ÷ due = 2/2 = 100 %.
    now = _office_year(2025, ["03-31", "06-20", "09-30", "12-31", "12-31"], ["03-01", "06-20"])
    out = history.same_quarter_last_year(now, before, 2).set_index("key")
    assert (out.loc["assigned", "now"], out.loc["assigned", "before"], out.loc["assigned", "change"]) == (
        5,
        4,
        1,
    )
    assert (out.loc["done", "now"], out.loc["done", "before"], out.loc["done", "change"]) == (2, 2, 0)
    assert (out.loc["open_overdue", "now"], out.loc["open_overdue", "before"]) == (0, 1)
    assert abs(out.loc["done_ratio_of_due", "now"] - 1.0) < 1e-4
    assert abs(out.loc["done_ratio_of_due", "before"] - 2 / 3) < 1e-3
    assert abs(out.loc["done_ratio_of_due", "change"] - 1 / 3) < 1e-3


def test_organisation_from_settings_or_units(monkeypatch):
    for name in ("CCHC_ORG_NAME", "CCHC_ORG_LEVEL", "CCHC_ORG_PLACE"):
        monkeypatch.delenv(name, raising=False)
    assert organisation(UNITS, date(2024, 6, 30)).whole_label == "Toàn huyện"
    monkeypatch.setenv("CCHC_ORG_NAME", "Xã Ba Vì")
    org = organisation(UNITS, date(2025, 9, 30))
    assert (org.whole_label, org.level, org.code, org.authority) == (
        "Toàn xã",
        "commune",
        "BT-2025-01",
        "UBND xã Ba Vì",
    )
    monkeypatch.setenv("CCHC_ORG_NAME", "Sở Nội vụ tỉnh Quảng Ngãi")
    monkeypatch.setenv("CCHC_ORG_LEVEL", "department")
    assert organisation(UNITS, date(2025, 9, 30)).whole_label == "Sở Nội vụ tỉnh Quảng Ngãi"


def test_organisation_accepts_the_issuing_body_form(monkeypatch):
    # The document settings name the issuing body; the same setting must mean the same commune here.
    monkeypatch.delenv("CCHC_ORG_LEVEL", raising=False)
    monkeypatch.delenv("CCHC_ORG_PLACE", raising=False)
    monkeypatch.setenv("CCHC_ORG_NAME", "Ủy ban nhân dân xã Ba Vì")
    org = organisation(UNITS, date(2025, 9, 30))
    assert (org.name, org.level, org.place, org.code) == ("Xã Ba Vì", "commune", "Ba Vì", "BT-2025-01")
    assert org.issuer == "Ủy ban nhân dân xã Ba Vì"
    # Not in the units file: the level is read from the name itself.
    org = organisation(None, date(2025, 9, 30))
    assert (org.level, org.place, org.whole_label) == ("commune", "Ba Vì", "Toàn xã")


def test_trend_chart_orders_years_and_marks_a_year_with_little_known():
    from analysis.present import charts

    trend = pd.DataFrame(
        {
            "year": [2024, 2025],
            "area": ["Tổng", "Tổng"],
            "percent": [75.0, 32.0],
            "done_ratio_of_due": [0.95, 0.9],
            "known_share": [1.0, 0.07],  # 2025: 7 % of the maximum known -> marked
        }
    )
    official = pd.DataFrame({"year": [2022, 2024], "percent": [82.41, 86.12]})
    fig = charts.multi_year_trend(trend, official, "T", "Nguồn")
    assert list(fig.layout.xaxis.categoryarray) == ["2022", "2024", "2025"]
    total = next(t for t in fig.data if t.name == "Chỉ số dự kiến (%)")
    assert list(total.text) == ["75 %", "32 %*"]
    assert any("dưới một nửa" in a.text for a in fig.layout.annotations)


def test_standing_among_peers_and_the_forecast_beside_it():
    from analysis.present.tables import forecast_beside_published

    results = pd.DataFrame(
        {
            "year": [2024, 2024, 2024, 2024, 2025],
            "unit": ["Huyện Sơn Hà", "Huyện Ba Tơ", "Huyện Lý Sơn", "Huyện Mộ Đức", "Xã Ba Vì"],
            "score": [91.0, 86.12, 84.0, 80.0, 82.5],
            "max_score": [100.0] * 5,
            "percent": [91.0, 86.12, 84.0, 80.0, 82.5],
            "rank": [1, 2, 3, 4, 1],
            "peer_group": ["Cấp huyện"] * 4 + ["Cấp xã"],
        }
    )
    (row,) = history.standing(results, "huyện Ba Tơ").to_dict("records")
    # 4 districts ranked; median of 91, 86.12, 84, 80 = (86.12 + 84) / 2 = 85.06.
    assert (row["year"], row["rank"], row["of"], row["best"]) == (2024, 2, 4, 91.0)
    assert abs(row["peers_median"] - 85.06) < 1e-9
    standing = history.standing(results, "Huyện Ba Tơ")
    # A 2025 forecast of 85 % against the other 2024 districts (91, 84, 80): one above -> 2nd of 4.
    text = forecast_beside_published(85.0, 2025, standing, results)
    assert "đứng thứ 2/4" in text and "năm 2024" in text
    assert "xếp thứ 2/4" in forecast_beside_published(75.0, 2024, standing, results)


def test_a_merged_commune_is_compared_with_the_sum_of_the_units_it_absorbed():
    # Q4/2024: old Ba Vì 2 tasks due (1 done), Ba Tiêu 1 due (done), Ba Ngạc 1 due (open), Ba Xa 1 (not absorbed).
    before = _year(
        2024,
        [
            ("1", "Xã Ba Vì", "2024-10-15", "2024-10-10"),
            ("2", "Xã Ba Vì", "2024-11-15", None),
            ("3", "Xã Ba Tiêu", "2024-11-20", "2024-11-01"),
            ("4", "Xã Ba Ngạc", "2024-12-01", None),
            ("5", "Xã Ba Xa", "2024-12-01", "2024-11-30"),
        ],
    )
    # Q4/2025: the new Ba Vì, 3 tasks due, all done.
    now = _year(
        2025,
        [
            ("1", "Xã Ba Vì", "2025-10-15", "2025-10-01"),
            ("2", "Xã Ba Vì", "2025-11-15", "2025-11-10"),
            ("3", "Xã Ba Vì", "2025-12-01", "2025-11-20"),
        ],
    )
    out = history.same_quarter_last_year(now, before, 4, "Xã Ba Vì").set_index("key")
    # A year earlier = Ba Vì + Ba Tiêu + Ba Ngạc: assigned 2 + 1 + 1 = 4, done 1 + 1 + 0 = 2, overdue 1 + 0 + 1 = 2,
    # done ÷ due = 2 / 4 = 50 %; the index is not summed, so it stays empty.
    assert (out.loc["assigned", "before"], out.loc["done", "before"], out.loc["open_overdue", "before"]) == (
        4,
        2,
        2,
    )
    assert out.loc["done_ratio_of_due", "before"] == 0.5
    assert (out.loc["assigned", "now"], out.loc["done", "now"], out.loc["done_ratio_of_due", "now"]) == (
        3,
        3,
        1.0,
    )
    assert pd.isna(out.loc["percent", "before"])
