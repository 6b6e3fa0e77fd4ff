"""The sidebar lets the user choose a unit's own plan; the overview then counts that plan's tasks."""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

from analysis.store import Store
from analysis.workflow.load import assign_plan, commit, prepare

from .conftest import APP, ROOT

sys.path.insert(0, str(ROOT / "tests"))
from helpers_store import simple_tasks, tasks_xlsx  # noqa: E402


def test_choosing_a_unit_plan_changes_the_task_counts(sample_db: Path) -> None:
    store = Store(sample_db)
    prepared = prepare(store, tasks_xlsx(2024, simple_tasks(2, tag=" của xã")), "ke_hoach_xa.xlsx")
    commit(store, assign_plan(store, prepared, "Xã Ba Điền"), "test")
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    at.sidebar.selectbox(key="year_select").set_value(2024).run()  # the sample's newest year is 2025
    plan = at.sidebar.selectbox(key="plan_select")
    assert plan.options == ["Kế hoạch chung", "Xã Ba Điền"]
    cards = {m.label: m.value for m in at.metric}
    assert cards["Nhiệm vụ đã hoàn thành"].endswith("/93")  # the district's plan by default
    plan.set_value("Xã Ba Điền").run()
    assert not at.exception and not at.error
    cards = {m.label: m.value for m in at.metric}
    assert cards["Nhiệm vụ đã hoàn thành"] == "0/2"
