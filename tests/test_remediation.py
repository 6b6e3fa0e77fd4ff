"""Remediation tracker: the criteria that lost points in Q1, the points now and a state."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from analysis.engine.remediation import remediation
from analysis.schema import dataset


def _frame(name: str, rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=dataset(name).names)


def _leaf(code):
    return dict(
        year=2024, code=code, parent="I", level="criterion", area="I", name=f"Tiêu chí {code}", max_points=1.0,
        point_kind="assessed", rule="manual", responsible_unit="Phòng Nội vụ",
    )  # fmt: skip


def _score(code, points, quarter):
    return dict(year=2024, quarter=quarter, unit=None, code=code, self_points=points, not_applicable=False)


def test_states_against_the_q1_baseline():
    framework = _frame(
        "framework",
        [dict(year=2024, code="I", level="area", area="I", name="Chỉ đạo", max_points=4.0)]
        + [_leaf(c) for c in ("1.1", "1.2", "1.3", "1.4")],
    )
    scores = _frame(
        "scores",
        [
            _score("1.1", 0.5, 1), _score("1.1", 1.0, 3),  # lost 0.5 in Q1, full now -> done
            _score("1.2", 0.25, 1), _score("1.2", 0.5, 3),  # lost 0.75, improved -> in progress
            _score("1.3", 0.0, 1), _score("1.3", 0.0, 3),  # lost 1, no change -> not started
            _score("1.4", 1.0, 1), _score("1.4", 1.0, 3),  # nothing lost in Q1 -> not listed
        ],
    )  # fmt: skip
    empty = {n: _frame(n, []) for n in ("tasks", "dossiers", "units")}
    frame = remediation(
        framework, scores, empty["tasks"], empty["dossiers"], empty["units"], date(2024, 9, 30), year=2024
    )
    # Worst Q1 loss first.
    assert frame["code"].tolist() == ["1.3", "1.2", "1.1"]
    assert frame["lost_then"].tolist() == [1.0, 0.75, 0.5]
    assert frame["points_now"].tolist() == [0.0, 0.5, 1.0]
    assert frame["state"].tolist() == ["Chưa khắc phục", "Đang khắc phục", "Khắc phục xong"]
    assert frame["responsible_unit"].tolist() == ["Phòng Nội vụ"] * 3
    # Self-assessed, not yet appraised: the whole maximum is still at risk in the forecast.
    assert frame["at_risk"].tolist() == [1.0, 1.0, 1.0] and not any(math.isnan(v) for v in frame["secured"])
