"""Remediation tracker (directive §2): the criteria that lost points in a baseline assessment, now.

Baseline: the year's Q1 self-assessment by default (as of 31/3). For each criterion that lost
points then: the responsible unit (the framework's assignment, as in QĐ 3691), the points lost
then, the points now, the year-end forecast part, and a state.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from analysis.engine import forecast as year_end
from analysis.engine import scoring
from analysis.engine.data import YearData
from analysis.periods import quarter_end

REMEDIATION_STATES = {
    "done": "Khắc phục xong",
    "in_progress": "Đang khắc phục",
    "not_started": "Chưa khắc phục",
}
REMEDIATION_COLUMNS = [
    "code",
    "name",
    "responsible_unit",
    "max_points",
    "lost_then",
    "points_now",
    "secured",
    "lost",
    "at_risk",
    "unknown",
    "state",
]
_EPS = 1e-9


def _state(max_points: float, then: float, now: float, secured: float) -> str:
    """Done when the criterion now has (or is sure to keep) its maximum; in progress when it improved."""
    if (not pd.isna(now) and now >= max_points - _EPS) or secured >= max_points - _EPS:
        return "done"
    if not pd.isna(now) and now > then + _EPS:
        return "in_progress"
    return "not_started"


def remediation(
    data: YearData, as_of: date, unit: str | None = None, *, baseline: date | None = None
) -> pd.DataFrame:
    """One row per criterion that lost points at the baseline (default: end of Q1), worst loss first."""
    then = scoring.criteria_scores(data, baseline or quarter_end(data.year, 1), unit).set_index("code")
    now = scoring.criteria_scores(data, as_of, unit).set_index("code")
    parts = year_end.criteria_forecast(data, as_of, unit).set_index("code")
    rows = []
    for code, record in then.iterrows():
        if record["status"] != "known" or not record["deducted"] > _EPS:
            continue
        lost_then = float(record["deducted"])
        points_then = float(record["likely"])
        points_now = float(now.at[code, "likely"]) if code in now.index else float("nan")
        share = parts.loc[code] if code in parts.index else None
        secured = float(share["secured"]) if share is not None else 0.0
        rows.append(
            {
                "code": code,
                "name": record["name"],
                "responsible_unit": record["responsible_unit"],
                "max_points": float(record["max_points"]),
                "lost_then": lost_then,
                "points_now": points_now,
                **{p: (float(share[p]) if share is not None else 0.0) for p in year_end.PARTS},
                "state": REMEDIATION_STATES[
                    _state(float(record["max_points"]), points_then, points_now, secured)
                ],
            }
        )
    frame = pd.DataFrame(rows, columns=REMEDIATION_COLUMNS)
    return frame.sort_values(["lost_then", "code"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )
