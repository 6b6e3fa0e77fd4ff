"""Remediation tracker: the criteria that lost points in Q1, the points now and a state."""

from __future__ import annotations

import math
from datetime import date

from factories import area, leaf, score, year_data
from unit_names import NOI_VU

from analysis.engine.remediation import remediation


def test_states_against_the_q1_baseline():
    framework = [area("I", "Chỉ đạo", 4.0)] + [
        leaf(c, "I", 1.0, "manual", unit=NOI_VU) for c in ("1.1", "1.2", "1.3", "1.4")
    ]
    # (code, Q1 self-score, Q3 self-score), each of 1 point.
    history = [
        ("1.1", 0.5, 1.0),  # lost 0.5 in Q1, full now -> done
        ("1.2", 0.25, 0.5),  # lost 0.75, improved -> in progress
        ("1.3", 0.0, 0.0),  # lost 1, no change -> not started
        ("1.4", 1.0, 1.0),  # nothing lost in Q1 -> not listed
    ]
    scores = [score(code, points, quarter=q) for code, q1, q3 in history for q, points in ((1, q1), (3, q3))]
    frame = remediation(year_data(framework=framework, scores=scores), date(2024, 9, 30))
    # Worst Q1 loss first.
    assert frame["code"].tolist() == ["1.3", "1.2", "1.1"]
    assert frame["lost_then"].tolist() == [1.0, 0.75, 0.5]
    assert frame["points_now"].tolist() == [0.0, 0.5, 1.0]
    assert frame["state"].tolist() == ["Chưa khắc phục", "Đang khắc phục", "Khắc phục xong"]
    assert frame["responsible_unit"].tolist() == ["Phòng Nội vụ"] * 3
    # Self-assessed, not yet appraised: the whole maximum is still at risk in the forecast.
    assert frame["at_risk"].tolist() == [1.0, 1.0, 1.0] and not any(math.isnan(v) for v in frame["secured"])
