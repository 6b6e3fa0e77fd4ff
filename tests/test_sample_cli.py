"""Issue acceptance: every sample file loads through the CLI, and `dump tasks` gives the 93 plan tasks.

Expectations come from the generator's own task list (data/make_sample.py: what was written into the
spreadsheets) and from deadlines worked out by hand below, not from the ingestion code.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from analysis.workflow.load import SAMPLE_DIR, sample_files

ROOT = Path(__file__).resolve().parents[1]

# Each deadline form in the sample, with the date a person reads from it in a 2024 plan.
HAND_DEADLINES: dict[str, date | None] = {
    "30/6/2024": date(2024, 6, 30),
    "31/12/2024": date(2024, 12, 31),
    "6 tháng cuối năm": date(2024, 12, 31),
    "6 tháng đầu năm": date(2024, 6, 30),
    "Năm 2024": date(2024, 12, 31),
    "Quý I": date(2024, 3, 31),
    "Quý I/2024": date(2024, 3, 31),
    "Quý II/2024": date(2024, 6, 30),
    "Quý III": date(2024, 9, 30),
    "Quý III/2024": date(2024, 9, 30),
    "Quý IV": date(2024, 12, 31),
    "Theo quy định": None,
    "Theo yêu cầu": None,
    "Tháng 1/2024": date(2024, 1, 31),
    "Tháng 2/2024": date(2024, 2, 29),  # 2024 is a leap year
    "Tháng 3/2024": date(2024, 3, 31),
    "Tháng 4/2024": date(2024, 4, 30),
    "Tháng 6/2024": date(2024, 6, 30),
    "Tháng 7/2024": date(2024, 7, 31),
    "Tháng 8/2024": date(2024, 8, 31),
    "Tháng 9/2024": date(2024, 9, 30),
    "Tháng 10/2024": date(2024, 10, 31),
    "Tháng 11/2024": date(2024, 11, 30),
    "Thường xuyên": None,
    "Trước 15/12/2024": date(2024, 12, 15),
    "Trước 15/3/2024": date(2024, 3, 15),
    "Trước 15/6/2024": date(2024, 6, 15),
    "Trước 15/9/2024": date(2024, 9, 15),
}
# How the loader names the units the plan writes as "UBND xã …" (registered names in don_vi.xlsx).
UNIT_NAMES = {"UBND xã Ba Vinh": "Xã Ba Vinh", "UBND xã Ba Điền": "Xã Ba Điền"}


def _generator():
    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "data" / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_sample"] = module
    spec.loader.exec_module(module)
    return module


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def loaded_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "cchc.duckdb"
    for path in sample_files():
        result = _cli("load", str(path), "--db", str(db))
        assert result.returncode == 0, result.stderr
        assert path.name in result.stdout
    return db


def test_every_sample_file_is_found():
    names = {p.name for p in sample_files()}
    assert len(names) == 21  # 16 files of 2024, 4 of 2025 and the published results
    assert names == {p.name for p in SAMPLE_DIR.iterdir() if p.suffix in (".xlsx", ".xls", ".ods", ".csv")}


def test_dump_tasks_gives_the_93_plan_tasks(loaded_db):
    gen = _generator()
    result = _cli("dump", "tasks", "--year", "2024", "--format", "csv", "--db", str(loaded_db))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 93
    for column in ("code", "area", "title", "lead_unit", "co_units", "deadline_text", "deadline", "ongoing",
                   "status_text", "completed_on", "criterion"):  # fmt: skip
        assert column in rows[0]
    by_code = {r["code"]: r for r in rows}
    assert set(by_code) == {str(i) for i in range(1, 94)}
    for i, task in enumerate(gen.PLAN, start=1):
        row = by_code[str(i)]
        assert row["area"] == task.area, i
        assert row["title"] == task.title, i
        assert row["lead_unit"] == UNIT_NAMES.get(task.lead, task.lead), i
        if isinstance(task.deadline, date):
            expected = task.deadline
        else:
            expected = HAND_DEADLINES[task.deadline]
        assert row["deadline"] == (expected.isoformat() if expected else ""), (i, task.deadline)
        assert row["ongoing"] == ("true" if task.deadline == "Thường xuyên" else "false"), i
        if i in gen.NEVER_DONE:
            assert row["completed_on"] == "", i
        elif i in gen.LATE_DONE:
            assert row["completed_on"] == gen.LATE_DONE[i].isoformat(), i


def test_dump_json_has_the_same_tasks(loaded_db):
    result = _cli("dump", "tasks", "--year", "2024", "--format", "json", "--db", str(loaded_db))
    rows = json.loads(result.stdout)
    assert len(rows) == 93
    assert {r["code"] for r in rows} == {str(i) for i in range(1, 94)}


def test_summary_story_is_coherent_over_the_year(loaded_db):
    """Completion rises every quarter; the district's assessed-points deduction falls Q1 -> Q3."""
    summaries = []
    for q in (1, 2, 3, 4):
        result = _cli("summary", "--year", "2024", "--quarter", str(q), "--json", "--db", str(loaded_db))
        assert result.returncode == 0, result.stderr
        summaries.append(json.loads(result.stdout))
    done = [s["tasks"]["done_on_time"] + s["tasks"]["done_late"] for s in summaries]
    assert done == sorted(done) and len(set(done)) == 4, done
    # The generator's story: 16 / 44 / 62 / 84 tasks done at the quarter ends.
    assert done == [16, 44, 62, 84]
    # The summary carries `done` itself, equal to its two parts everywhere it appears.
    assert [s["tasks"]["done"] for s in summaries] == done
    for s in summaries:
        for row in s["tasks_by_unit"] + s["tasks_by_area"]:
            assert row["done"] == row["done_on_time"] + row["done_late"], row
    percent = [s["index"]["percent"] for s in summaries]
    assert percent[0] < percent[1] < percent[2], percent
    deducted = [s["index"]["deducted"] for s in summaries[:3]]
    assert deducted[0] > deducted[1] > deducted[2], deducted
    # Figures recomputed from the raw spreadsheets by a reviewer, without this code (issue 9):
    # at 30/06, 31 tasks have a deadline on or before that day and 28 of them are done (90.3 %);
    # at 30/09, 6 tasks are open past their deadline (those due 30/09 included); the year's official
    # appraised total is 75.34.
    q2, q3, q4 = summaries[1]["tasks"], summaries[2]["tasks"], summaries[3]
    assert (q2["due"], q2["done_of_due"], q2["done_ratio_of_due"]) == (31, 28, 0.9032)
    assert q3["open_overdue"] == 6
    assert q4["index"]["likely"] == 75.34
    # At year end every task is due (done ÷ due = done ÷ assigned) and nothing is left to forecast.
    assert q4["tasks"]["due"] == q4["tasks"]["assigned"] == 93
    forecast = q4["index"]["forecast"]
    assert forecast["floor"] == forecast["likely"] == forecast["ceiling"] == 75.34
    # Earlier in the year the forecast brackets the year's final result.
    for s in summaries[:3]:
        f = s["index"]["forecast"]
        assert f["floor"] <= 75.34 <= f["ceiling"], f
