"""Plans per unit: a unit's own plan is loaded beside the organisation's and replaces only itself."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from helpers_store import simple_tasks, tasks_xlsx, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.__main__ import main
from analysis.schema import dataset
from analysis.store import BatchInput, Store, plans_of

BA_DIEN = "Xã Ba Điền"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_unit_plan_loaded_next_to_the_organisations_plan(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "plans.duckdb")
    district = write(tmp_path / "ke_hoach_huyen.xlsx", tasks_xlsx(2024, simple_tasks(5)))
    commune = write(tmp_path / "ke_hoach_xa.xlsx", tasks_xlsx(2024, simple_tasks(2, tag=" của xã")))
    assert run(capsys, "load", str(district), "--db", db)[0] == 0
    code, out, err = run(capsys, "load", str(commune), "--plan", BA_DIEN, "--db", db)
    assert code == 0, err
    assert f"kế hoạch của {BA_DIEN}" in out

    def assigned(*extra: str) -> int:
        code, out, err = run(
            capsys, "summary", "--year", "2024", "--quarter", "1", "--json", "--db", db, *extra
        )
        assert code == 0, err
        return json.loads(out)["tasks"]["assigned"]

    # The district's 5 tasks stay the district's plan; the commune's 2 are its own plan.
    assert assigned() == 5
    assert assigned("--plan", BA_DIEN) == 2
    assert plans_of(Store(db), 2024) == [BA_DIEN]
    # A newer commune plan (3 tasks) replaces only the commune's plan.
    newer = write(tmp_path / "ke_hoach_xa_2.xlsx", tasks_xlsx(2024, simple_tasks(3, tag=" (sửa)")))
    assert run(capsys, "load", str(newer), "--plan", BA_DIEN, "--db", db)[0] == 0
    assert (assigned(), assigned("--plan", BA_DIEN)) == (5, 3)
    # And a newer district plan replaces only the district's.
    again = write(tmp_path / "ke_hoach_huyen_2.xlsx", tasks_xlsx(2024, simple_tasks(4, tag=" (sửa)")))
    assert run(capsys, "load", str(again), "--db", db)[0] == 0
    assert (assigned(), assigned("--plan", BA_DIEN)) == (4, 3)


def _batch(plan: str | None, n: int, tag: int) -> BatchInput:
    rows = [
        dict(year=2024, code=str(k), area="I", title=f"Nhiệm vụ {k} ({tag})", lead_unit="Phòng Nội vụ",
             deadline=pd.Timestamp("2024-12-31"), ongoing=False, status=None)
        for k in range(1, n + 1)
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=dataset("tasks").names)
    return BatchInput("tasks", frame, f"kh_{tag}.xlsx", "Nhiệm vụ", f"sha{tag}", year=2024, plan=plan)


PLANS = (None, "Xã Ba Điền", "Xã Ba Vinh", "Phòng Tư pháp")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(loads=st.lists(st.tuples(st.sampled_from(PLANS), st.integers(1, 4)), min_size=1, max_size=5))
def test_loading_a_unit_plan_never_changes_another_plan(tmp_path_factory, loads) -> None:
    store = Store(tmp_path_factory.mktemp("prop") / "p.duckdb")
    expected: dict[str | None, list[str]] = {}
    for tag, (plan, n) in enumerate(loads):
        before = {p: store.current("tasks", 2024, plan=p)["title"].tolist() for p in PLANS}
        store.commit([_batch(plan, n, tag)], "test")
        expected[plan] = [f"Nhiệm vụ {k} ({tag})" for k in range(1, n + 1)]
        for other in PLANS:
            now = store.current("tasks", 2024, plan=other)["title"].tolist()
            if other == plan:
                assert now == expected[plan]
            else:
                assert now == before[other]  # untouched
