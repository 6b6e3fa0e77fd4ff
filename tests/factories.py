"""Builders of canonical rows and frames for hand-made test years, shared by the engine tests.

Rows are dicts in the schema's column names; `frame` gives them the schema's columns and parses
the date columns, and `year_data` makes the engine's one input from them. Defaults are the
commonest case of the tests (2024, area I, Phòng Nội vụ); a test states whatever it relies on.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pandas as pd
from unit_names import NOI_VU

from analysis.engine.data import YearData
from analysis.schema import dataset

YEAR = 2024

Rows = Iterable[dict[str, Any]] | pd.DataFrame


def frame(name: str, rows: Rows = ()) -> pd.DataFrame:
    """A dataset's frame with the schema's columns, date and timestamp columns parsed."""
    if isinstance(rows, pd.DataFrame):
        return rows
    result = pd.DataFrame(list(rows), columns=dataset(name).names)
    for column in dataset(name).columns:
        if column.type in ("date", "timestamp"):
            result[column.name] = pd.to_datetime(result[column.name])
    return result


ENGINE_DATASETS = ("framework", "scores", "tasks", "dossiers", "units")


def year_data(*, year: int = YEAR, **given: Any) -> YearData:
    """The engine's input from rows (or frames) of framework, scores, tasks, dossiers and units (each
    empty unless given); anything else given (previous_scores, amendments, …) is passed as it is."""
    frames = {name: frame(name, given.pop(name, ())) for name in ENGINE_DATASETS}
    return YearData(year=year, **frames, **given)


def area(code, name="Chỉ đạo", max_points=0.0, **more):
    return (
        dict(year=YEAR, code=code, parent=None, level="area", area=code, name=name, max_points=max_points)
        | more
    )


def leaf(code, area_code, max_points, rule=None, metric=None, thresholds=None, *, kind="assessed", unit=None):
    """A leaf criterion of the framework; `kind` is its point kind, `unit` the responsible unit."""
    where = dict(
        year=YEAR, code=code, parent=area_code, level="criterion", area=area_code, name=f"Tiêu chí {code}"
    )
    scoring = dict(max_points=max_points, point_kind=kind, rule=rule, metric=metric, thresholds=thresholds)
    return where | scoring | {"responsible_unit": unit}


def task(code, lead=NOI_VU, deadline=None, completed=None, *, status=None, deadline_text=None, **more):
    """A task; no deadline means an ongoing one (judged at year end). Status 'done' when completed.
    `more`: any other column (area, criterion, year, …); area I by default."""
    status = status or ("done" if completed else None)
    row = dict(year=YEAR, code=code, area="I", title=f"Nhiệm vụ {code}", lead_unit=lead, criterion=None)
    dates = dict(deadline_text=deadline_text or deadline, deadline=deadline, ongoing=deadline is None)
    return row | dates | dict(status=status, completed_on=completed) | more


def dossier(
    number,
    unit,
    status,
    channel="direct",
    apology=None,
    *,
    received="2024-02-01",
    due=None,
    resolved="2024-02-10",
):
    """A dossier; due ten days after receipt unless given. An int number gives the id HS-<number>."""
    received_at = pd.Timestamp(received)
    due_at = pd.Timestamp(due) if due else received_at + pd.Timedelta(days=10)
    number = f"HS-{number}" if isinstance(number, int) else number
    row = dict(
        year=YEAR, dossier_id=number, unit=unit, received_at=received_at, due_at=due_at, resolved_at=resolved
    )
    return row | dict(status=status, channel=channel, apology=apology)


def score(code, self_points=math.nan, appraised=math.nan, *, na=False, **more):
    """A score row of the district (unit None) in quarter 2; `more`: quarter, unit, evidence, year, max_points."""
    row = dict(year=YEAR, quarter=2, unit=None, code=code, max_points=None, evidence=None)
    return row | dict(self_points=self_points, appraised_points=appraised, not_applicable=na) | more


def unit(code, name, kind):
    return dict(code=code, name=name, kind=kind)
