"""Every page through streamlit.testing AppTest: sample data, empty database, Q1-only data."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from analysis import fmt
from analysis.engine.year import summary_for
from analysis.store import Store
from analysis.workflow.load import commit, prepare, sample_files

from .conftest import APP, ROOT

PAGES = [
    "pages/overview.py",
    "pages/by_quarter.py",
    "pages/by_unit.py",
    "pages/components.py",
    "pages/tasks.py",
    "pages/dossiers.py",
    "pages/trend.py",
]


def _app(year: int | None = None) -> AppTest:
    """The app on its default view, or on a given year (the sample holds 2024 and 2025; 2025 is the default)."""
    at = AppTest.from_file(APP, default_timeout=120)
    if year is not None:
        at.query_params["year"] = str(year)
    at.run()
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _assert_clean(at: AppTest, page: str) -> None:
    assert not at.exception, f"{page}: {[e.message for e in at.exception]}"
    assert not at.error, f"{page}: {[e.value for e in at.error]}"


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_sample_data(sample_db, page):
    at = _app()
    at.switch_page(page).run()
    _assert_clean(at, page)
    assert at.title, f"{page} has no title"


def test_overview_headline_equals_cli_summary(sample_db):
    at = _app(2024)
    _assert_clean(at, "overview")
    quarter = at.sidebar.selectbox(key="quarter_select").value
    # The command line, in its own process, must print the numbers the page shows.
    cli = subprocess.run(
        [sys.executable, "-m", "analysis", "summary", "--year", "2024", "--quarter", str(quarter), "--json",
         "--db", str(sample_db)],
        capture_output=True, text=True, check=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    expected = json.loads(cli.stdout)
    t, i = expected["tasks"], expected["index"]
    cards = _metrics(at)
    assert cards["Nhiệm vụ đã hoàn thành"] == f"{t['done_on_time'] + t['done_late']}/{t['assigned']}"
    assert cards["Hoàn thành / đến hạn"] == fmt.pct(t["done_ratio_of_due"])
    assert cards["Nhiệm vụ quá hạn"] == fmt.num(t["open_overdue"], 0)
    assert cards["Điểm dự kiến"] == f"{fmt.num(i['likely'], 2)} / {fmt.num(i['max'], 0)}"
    assert cards["Điểm chưa đạt"] == fmt.num(i["deducted"], 2)
    # The year-end forecast leads the page, with the CLI's floor, likely and ceiling.
    f = i["forecast"]
    assert cards["Chắc chắn đạt (sàn)"] == f"{fmt.num(f['floor'], 2)} điểm"
    assert cards["Dự kiến"] == f"{fmt.num(f['likely'], 2)} điểm"
    assert cards["Tối đa còn có thể (trần)"] == f"{fmt.num(f['ceiling'], 2)} điểm"
    assert at.subheader[0].value.startswith("Dự báo cuối năm")
    # No page calls points not yet earned "bị trừ".
    shown = " ".join(str(m.value) for m in [*at.markdown, *at.caption, *at.subheader])
    assert "bị trừ" not in shown.lower()


def test_changing_quarter_and_unit_changes_the_numbers(sample_db):
    at = _app(2024)
    q4 = _metrics(at)
    at.sidebar.selectbox(key="quarter_select").set_value(1).run()
    _assert_clean(at, "overview Q1")
    q1 = _metrics(at)
    assert q1["Nhiệm vụ đã hoàn thành"] != q4["Nhiệm vụ đã hoàn thành"]
    expected = summary_for(Store(sample_db), 2024, 1)
    t = expected["tasks"]
    assert q1["Nhiệm vụ đã hoàn thành"] == f"{t['done_on_time'] + t['done_late']}/{t['assigned']}"
    assert at.query_params["q"] == ["1"] or at.query_params["q"] == "1"

    units = at.sidebar.selectbox(key="unit_select").options
    unit = next(u for u in units if u.startswith("Phòng"))
    at.sidebar.selectbox(key="unit_select").set_value(unit).run()
    _assert_clean(at, "overview unit")
    expected_unit = summary_for(Store(sample_db), 2024, 1, unit=unit)
    tu = expected_unit["tasks"]
    assert (
        _metrics(at)["Nhiệm vụ đã hoàn thành"] == f"{tu['done_on_time'] + tu['done_late']}/{tu['assigned']}"
    )


def test_specific_date_is_used(sample_db):
    at = _app(2024)
    at.sidebar.toggle(key="use_date").set_value(True).run()
    at.sidebar.date_input(key="asof_select").set_value(date(2024, 5, 15)).run()
    _assert_clean(at, "overview by date")
    expected = summary_for(Store(sample_db), 2024, date(2024, 5, 15))
    t = expected["tasks"]
    assert _metrics(at)["Nhiệm vụ đã hoàn thành"] == f"{t['done_on_time'] + t['done_late']}/{t['assigned']}"


@pytest.mark.parametrize("page", PAGES)
def test_empty_database_shows_guidance(empty_db, page):
    at = _app()
    at.switch_page(page).run()
    _assert_clean(at, page)
    assert any("Chưa có số liệu" in i.value for i in at.info), f"{page}: no guidance shown"


@pytest.fixture
def q1_only_db(tmp_path, monkeypatch):
    """Units, framework, the plan's Q1 progress report and the district's Q1 self-scores only."""
    path = tmp_path / "q1.duckdb"
    store = Store(path)
    wanted = ("don_vi", "bo_tieu_chi_2024", "tien_do_nhiem_vu_2024_Q1", "tu_danh_gia_huyen_2024_Q1")
    for file in sample_files():
        if file.name.startswith(wanted):
            commit(store, prepare(store, file.read_bytes(), file.name), "test")
    monkeypatch.setenv("CCHC_DB", str(path))
    monkeypatch.setenv("CCHC_NO_SAMPLE", "1")
    monkeypatch.setenv("CCHC_USERS_FILE", str(tmp_path / "none.toml"))
    return path


@pytest.mark.parametrize("page", PAGES)
def test_q1_only_data(q1_only_db, page):
    at = _app()
    assert at.sidebar.selectbox(key="quarter_select").value == 1
    at.switch_page(page).run()
    _assert_clean(at, page)


def test_q1_only_overview_has_no_previous_quarter_delta(q1_only_db):
    at = _app()
    assert all(m.delta in (None, "") for m in at.metric)
