"""Frame helpers shared by the engine's table builders (internal)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from analysis.engine import scoring
from analysis.engine import year as year_view
from analysis.engine.units import UnitIndex
from analysis.fmt import is_missing
from analysis.schema import LEAGUE_KINDS
from analysis.text import clean, name_key, roman_order

_missing = is_missing  # one definition of 'missing' for every module


_key = name_key  # one matching key for unit names


def _float(value: Any) -> float:
    return math.nan if _missing(value) else float(value)


def _per_distinct(values: pd.Series, fn: Any) -> list[Any]:
    """[fn(v) for v in values], calling fn once per distinct value, in order of first appearance.

    A year of dossiers repeats a hundred unit names a million times; calling fn per row took seconds.
    First-appearance order keeps order-dependent functions (first spelling wins) exact.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    mapped = np.empty(len(uniques), dtype=object)
    mapped[:] = [fn(v) for v in uniques]
    return mapped[codes].tolist()


def _parts_by_unit(frame: pd.DataFrame, column: str) -> dict[str, pd.DataFrame]:
    """The rows of a frame grouped by the matching key of a unit column (row order kept)."""
    if frame.empty or column not in frame.columns:
        return {}
    keys = np.asarray(_per_distinct(frame[column], _key), dtype=object)
    return {key: part for key, part in frame.groupby(keys, sort=False)}


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.nan


def _of_year(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    if frame.empty or "year" not in frame.columns:
        return frame
    return frame[pd.to_numeric(frame["year"], errors="coerce").eq(year).fillna(False).astype(bool)]


def _code_order(code: Any) -> tuple[int, float, str]:
    """Task codes in natural order: 2 before 10."""
    text = "" if _missing(code) else clean(code)
    try:
        return (0, float(text), text)
    except ValueError:
        return (1, 0.0, text)


_roman = roman_order


class _Names:
    """Display names of units keyed by their matching key (first spelling seen wins)."""

    def __init__(self) -> None:
        self.shown: dict[str, str] = {}

    def add(self, name: Any, fallback: str = scoring.NO_LEAD_UNIT) -> str:
        shown = fallback if _missing(name) or not clean(name) else clean(name)
        return self.shown.setdefault(_key(shown), shown)


def _kind_of(units: pd.DataFrame):
    """A function from unit name to 'office' | 'commune' | 'town' | 'other'."""
    has_columns = not units.empty and {"name", "kind"} <= set(units.columns)
    lookup = UnitIndex(units) if has_columns else None

    def kind(name: str) -> str:
        if lookup is None:
            return "other"
        found = lookup.resolve(name)
        return found.kind if found.known and found.kind in LEAGUE_KINDS else "other"

    return kind


def _tasks_of_year(data: year_view.YearData) -> pd.DataFrame:
    """The year's tasks with a display unit name in lead_unit ('Chưa rõ đơn vị chủ trì' if missing)."""
    tasks = _of_year(data.tasks, data.year)
    if tasks.empty:
        return tasks.reset_index(drop=True)
    names = _Names()
    tasks = tasks.reset_index(drop=True).copy()
    tasks["lead_unit"] = [names.add(u) for u in tasks["lead_unit"].tolist()]
    return tasks


def _empty(columns: list[str], floats: Iterable[str] = (), ints: Iterable[str] = ()) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    for column in floats:
        frame[column] = frame[column].astype("float64")
    for column in ints:
        frame[column] = frame[column].astype("int64")
    return frame
