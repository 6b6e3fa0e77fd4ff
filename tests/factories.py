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

from analysis.engine.data import YearData
from analysis.schema import dataset

YEAR = 2024
NOI_VU = "Phòng Nội vụ"
TU_PHAP = "Phòng Tư pháp"
VAN_HOA = "Phòng Văn hóa và Thông tin"
VAN_PHONG = "Văn phòng HĐND và UBND"
BA_TO_COMMUNE = "Ba Tô"  # a commune
BA_TO_TOWN = "Ba Tơ"  # the town: differs only by the diacritic

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


def year_data(
    *,
    year: int = YEAR,
    framework: Rows = (),
    scores: Rows = (),
    tasks: Rows = (),
    dossiers: Rows = (),
    units: Rows = (),
    **extra: Any,
) -> YearData:
    """The engine's input from rows (or frames); `extra`: previous_scores, amendments, …"""
    return YearData(
        year=year,
        framework=frame("framework", framework),
        scores=frame("scores", scores),
        tasks=frame("tasks", tasks),
        dossiers=frame("dossiers", dossiers),
        units=frame("units", units),
        **extra,
    )


def area(code: str, name: str = "Chỉ đạo", max_points: float = 0.0, **more: Any) -> dict[str, Any]:
    return (
        dict(year=YEAR, code=code, parent=None, level="area", area=code, name=name, max_points=max_points)
        | more
    )


def leaf(
    code: str,
    area_code: str,
    max_points: float,
    rule: str | None = None,
    metric: str | None = None,
    thresholds: str | None = None,
    *,
    kind: str = "assessed",
    unit: str | None = None,
    year: int = YEAR,
) -> dict[str, Any]:
    return dict(
        year=year,
        code=code,
        parent=area_code,
        level="criterion",
        area=area_code,
        name=f"Tiêu chí {code}",
        max_points=max_points,
        point_kind=kind,
        rule=rule,
        metric=metric,
        thresholds=thresholds,
        responsible_unit=unit,
    )


def task(
    code: str,
    lead: str = NOI_VU,
    deadline: str | None = None,
    completed: str | None = None,
    *,
    criterion: str | None = None,
    status: str | None = None,
    area: str = "I",
    deadline_text: str | None = None,
    year: int = YEAR,
) -> dict[str, Any]:
    """A task; no deadline means an ongoing one (judged at year end). Status 'done' when completed."""
    return dict(
        year=year,
        code=code,
        area=area,
        title=f"Nhiệm vụ {code}",
        lead_unit=lead,
        deadline_text=deadline_text or deadline,
        deadline=deadline,
        ongoing=deadline is None,
        status=status or ("done" if completed else None),
        completed_on=completed,
        criterion=criterion,
    )


def dossier(
    number: int | str,
    unit: str,
    status: str,
    channel: str = "direct",
    apology: bool | None = None,
    *,
    received: str = "2024-02-01",
    due: str | None = None,
    resolved: str | None = "2024-02-10",
) -> dict[str, Any]:
    """A dossier; due ten days after receipt unless given. An int number gives the id HS-<number>."""
    received_at = pd.Timestamp(received)
    return dict(
        year=YEAR,
        dossier_id=f"HS-{number}" if isinstance(number, int) else number,
        unit=unit,
        received_at=received_at,
        due_at=pd.Timestamp(due) if due else received_at + pd.Timedelta(days=10),
        resolved_at=resolved,
        status=status,
        channel=channel,
        apology=apology,
    )


def score(
    code: str,
    self_points: float = math.nan,
    appraised: float = math.nan,
    *,
    quarter: int = 2,
    unit: str | None = None,
    na: bool = False,
    evidence: str | None = None,
    year: int = YEAR,
    max_points: float | None = None,
) -> dict[str, Any]:
    return dict(
        year=year,
        quarter=quarter,
        unit=unit,
        code=code,
        max_points=max_points,
        self_points=self_points,
        appraised_points=appraised,
        not_applicable=na,
        evidence=evidence,
    )


def unit(code: str, name: str, kind: str) -> dict[str, Any]:
    return dict(code=code, name=name, kind=kind)
