"""Properties of the index engine on small random frameworks, tasks, dossiers and scores."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest
from factories import area, dossier, leaf, score, task, unit, year_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.engine.attribution import deductions_by_unit, points_at_stake, what_if
from analysis.engine.scoring import criteria_scores, index_by_area, index_total

AS_OF = date(2024, 6, 30)
UNITS = ("Phòng Nội vụ", "Ba Tơ", "Ba Tô")
DATES = (None, "2024-02-15", "2024-03-31", "2024-05-31", "2024-06-30", "2024-07-15", "2024-12-31")
MAXIMA = (0.25, 0.5, 1.0, 1.5, 2.0, 3.0)
# (rule, metric) pairs the engine supports, bands drawn separately.
KINDS = (
    ("bands", "plan_completion"),
    ("bands", "criterion_tasks"),
    ("bands", "dossier_on_time"),
    ("bands", "dossier_online:commune"),
    ("yesno", "criterion_tasks"),
    ("yesno", "plan_completion"),
    ("yesno", None),
    ("proportional", "plan_completion"),
    ("proportional", "criterion_tasks"),
    ("deduction", "late_reports"),
    ("deduction", "dossier_on_time"),
    ("manual", None),
    ("survey", None),
)


@st.composite
def bands(draw, max_points: float) -> str:
    """Monotone bands whose top band (<= 100 %) gives the maximum, as real frameworks do."""
    cuts = sorted(draw(st.sets(st.integers(0, 100), min_size=1, max_size=3)), reverse=True)
    shares = sorted(
        draw(st.lists(st.sampled_from((0.0, 0.25, 0.5, 0.75)), min_size=len(cuts) - 1)), reverse=True
    )
    points = [max_points, *(max_points * s for s in shares[: len(cuts) - 1])]
    clauses = [f"{cut}%: {p:g}" for cut, p in zip(cuts, points, strict=True)]
    if draw(st.booleans()):
        clauses.append("apology: 0.5")
    return "; ".join(clauses)


@st.composite
def cases(draw):
    n_leaves = draw(st.integers(1, 5))
    framework = [area("I", "Chỉ đạo"), area("II", "Thể chế")]
    codes = []
    for i in range(n_leaves):
        area_code = draw(st.sampled_from(("I", "II")))
        code = f"{1 if area_code == 'I' else 2}.{i + 1}"
        codes.append(code)
        max_points = draw(st.sampled_from(MAXIMA))
        rule, metric = draw(st.sampled_from(KINDS))
        thresholds = None
        if rule == "bands":
            thresholds = draw(bands(max_points))
        elif rule == "deduction":
            thresholds = draw(st.sampled_from(("0.25", "0.5", "1")))
        survey = rule == "survey"
        responsible = draw(st.sampled_from((None, *UNITS)))
        rule = "manual" if survey else rule
        kind = "survey" if survey else "assessed"
        framework.append(
            leaf(code, area_code, max_points, rule, metric, thresholds, kind=kind, unit=responsible)
        )
    tasks = []
    for i in range(draw(st.integers(0, 7))):
        deadline = draw(st.sampled_from(DATES))
        completed = draw(st.sampled_from(DATES))
        # A completion date may come with any status text, or none at all.
        status = draw(st.sampled_from((None, "done", "done_late", "in_progress"))) if completed else None
        lead, area_code = draw(st.sampled_from(UNITS)), draw(st.sampled_from(("I", "II")))
        row = task(
            str(i + 1), lead, deadline, completed, area=area_code, deadline_text=deadline or "Thường xuyên"
        )
        tasks.append(row | {"status": status, "criterion": draw(st.sampled_from((None, *codes)))})
    statuses = st.sampled_from(("resolved_early", "resolved_on_time", "resolved_late", "supplementing"))
    channels, apologies = st.sampled_from(("online", "direct")), st.sampled_from((None, True, False))
    dossiers = [
        dossier(str(i), draw(st.sampled_from(UNITS)), draw(statuses), draw(channels), draw(apologies))
        | {"resolved_at": "2024-03-01", "due_at": pd.NaT}  # a dossier without a due date
        for i in range(draw(st.integers(0, 6)))
    ]
    points = st.one_of(st.just(math.nan), st.floats(0, 4, allow_nan=False))
    scores = [
        score(
            code,
            draw(points),
            draw(points),
            quarter=draw(st.integers(1, 4)),
            na=draw(st.booleans()),
            evidence=draw(st.sampled_from((None, "QĐ 3690/QĐ-UBND"))),
        )
        for code in codes
        if draw(st.booleans())
    ]
    units = [
        unit("P1", "Phòng Nội vụ", "office"),
        unit("21484", "Ba Tơ", "town"),
        unit("21523", "Ba Tô", "commune"),
    ]
    return year_data(framework=framework, scores=scores, tasks=tasks, dossiers=dossiers, units=units)


def approx(value: float):
    return pytest.approx(value, abs=1e-9)


SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(cases())
def test_likely_within_bounds_for_every_criterion_and_area(case):
    criteria = criteria_scores(case, AS_OF)
    known = criteria[criteria["status"].eq("known")]
    assert (known["likely"] <= known["max_points"] + 1e-9).all()
    assert (known["likely"] >= -1e-9).all()
    assert (known["deducted"] >= -1e-9).all()
    assert criteria[criteria["status"].eq("unknown")]["likely"].isna().all()
    for row in index_by_area(criteria, case.framework).to_dict("records"):
        assert row["likely"] <= row["max"] - row["unknown_max"] + 1e-9
        assert row["deducted"] >= -1e-9
        assert row["likely"] + row["deducted"] == approx(row["max"] - row["unknown_max"])
    total = index_total(criteria)
    assert 0 <= total["likely"] <= total["max"] + 1e-9
    if total["percent"] is not None:
        assert -1e-9 <= total["percent"] <= 100 + 1e-9


@SETTINGS
@given(cases())
def test_attributed_deductions_add_up_to_the_total(case):
    criteria = criteria_scores(case, AS_OF)
    by_unit = deductions_by_unit(criteria, case.tasks, AS_OF)
    assert (by_unit["points"] >= 0).all()
    assert by_unit["points"].sum() == approx(index_total(criteria)["deducted"])


@SETTINGS
@given(cases())
def test_completing_one_open_task_never_lowers_the_likely_total(case):
    base = index_total(criteria_scores(case, AS_OF))["likely"]
    stake = points_at_stake(case, AS_OF)
    assert (stake["gain"] >= -1e-9).all()
    for row in stake.to_dict("records"):
        after = what_if(case, AS_OF, [row["code"]])["likely"]
        assert after >= base - 1e-9
        # points_at_stake and what_if agree on the gain.
        assert after - base == approx(row["gain"])
