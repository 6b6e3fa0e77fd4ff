"""The likely index: points per leaf criterion, per area and in total.

Metrics are computed from the canonical frames (tasks, dossiers, units), then each leaf
criterion's rule turns them into likely points (analysis.engine.rules). Scores come from the scoring
sheet of the assessed unit (None = the district itself), latest quarter up to the as-of date.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from analysis.engine.rules import Evaluation, evaluate_rule
from analysis.engine.tasks import task_states
from analysis.fmt import is_missing
from analysis.periods import quarter_of
from analysis.schema import UNIT_GROUP_OF, UNIT_KIND_GROUPS
from analysis.text import clean, name_key, roman_order

TASK_METRICS = frozenset({"plan_completion", "criterion_tasks", "late_reports"})
DOSSIER_METRICS = frozenset({"dossier_on_time", "dossier_online"})
RESOLVED = ("resolved_early", "resolved_on_time", "resolved_late")
DOSSIER_SCOPE_COLUMNS = frozenset(
    {"year", "unit", "received_at", "resolved_at", "status", "channel", "apology"}
)

CRITERIA_COLUMNS = [
    "code",
    "area",
    "name",
    "point_kind",
    "rule",
    "metric",
    "max_points",
    "applicable",
    "status",
    "likely",
    "deducted",
    "metric_value",
    "self_points",
    "appraised_points",
    "evidence",
    "responsible_unit",
    "why",
    "causes",
    "source",
]

UNASSIGNED = "Chưa phân công"
NO_LEAD_UNIT = "Chưa rõ đơn vị chủ trì"

ATTRIBUTION_NOTE = (
    "Điểm bị trừ của mỗi tiêu chí được tính cho đơn vị chịu trách nhiệm tiêu chí đó, riêng các tiêu chí "
    "tính từ nhiệm vụ (hoàn thành kế hoạch, nhiệm vụ của tiêu chí, báo cáo trễ hạn) thì điểm bị trừ được "
    "chia cho các đơn vị chủ trì những nhiệm vụ trễ hạn hoặc quá hạn gây mất điểm, theo tỷ lệ số nhiệm vụ "
    "đó của mỗi đơn vị."
)

RANKS = {"A": "Xuất sắc", "B": "Tốt", "C": "Khá", "D": "Trung bình"}

_EPS = 1e-9


# Small helpers ---------------------------------------------------------------------------


_missing = is_missing  # one definition of 'missing' for every module


def _text(value: Any) -> str | None:
    """NFC-clean text, None when missing or empty."""
    if _missing(value):
        return None
    text = clean(value)
    return text or None


_key = name_key  # one matching key for codes and unit names


def _key_mask(values: pd.Series, keep: Callable[[str], bool]) -> pd.Series:
    """keep(_key(value)) for every value, computing the key once per distinct value.

    A year of dossiers names about a hundred units a million times: keying every row in Python
    took seconds at the scale of a province.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    hits = np.array([keep(_key(v)) for v in uniques] + [keep("")], dtype=bool)
    # code -1 (missing value) picks the last entry: the key of a missing value is "".
    return pd.Series(hits[codes], index=values.index, dtype=bool)


def _float(value: Any) -> float:
    if _missing(value):
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _of_year(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    if "year" not in frame.columns:
        return frame
    return frame[pd.to_numeric(frame["year"], errors="coerce").eq(year).fillna(False).astype(bool)]


def _split_metric(metric: Any) -> tuple[str | None, str | None]:
    """'dossier_on_time:commune' -> ('dossier_on_time', 'commune')."""
    text = _text(metric)
    if text is None:
        return None, None
    base, _, restriction = text.partition(":")
    return base.strip(), (restriction.strip() or None)


def _rule_kind(leaf: pd.Series) -> str:
    if _text(leaf.get("point_kind")) == "survey":
        return "manual"
    return _text(leaf.get("rule")) or "manual"


def _leaves(framework: pd.DataFrame) -> pd.DataFrame:
    """Framework rows with no children (points are set there)."""
    if framework.empty:
        return framework
    parents = {_key(p) for p in framework.get("parent", pd.Series(dtype=object)) if not _missing(p)}
    is_leaf = [_key(c) not in parents for c in framework["code"]]
    return framework[is_leaf]


# Metric data ------------------------------------------------------------------------------


@dataclass
class _Metric:
    """A metric value for one criterion, the sentence describing it, and the tasks behind a loss."""

    value: float | None
    basis: str | None
    causes: list[str] = field(default_factory=list)
    apology_missing: bool = False


@dataclass
class _Engine:
    """Everything fixed for one evaluation: year, date, unit, leaves, scores, task and dossier scope."""

    year: int
    as_of: date
    unit: str | None
    leaves: pd.DataFrame
    scores: dict[str, dict[str, Any]]
    tasks: pd.DataFrame  # tasks in scope, index reset
    dossiers: pd.DataFrame  # dossiers in scope (year, received up to as_of, unit)
    units: pd.DataFrame
    dossier_cache: dict[tuple[str, str | None, str], _Metric] = field(default_factory=dict)
    task_codes: pd.Series = field(init=False)  # cleaned task codes, same index as tasks
    task_links: pd.Series = field(init=False)  # matching key of each task's linked criterion

    def __post_init__(self) -> None:
        self.set_tasks(self.tasks)

    def set_tasks(self, tasks: pd.DataFrame) -> None:
        self.tasks = tasks
        self.task_codes = pd.Series(
            [clean(c) for c in tasks.get("code", [])], index=tasks.index, dtype=object
        )
        links = tasks["criterion"] if "criterion" in tasks.columns else [None] * len(tasks)
        self.task_links = pd.Series([_key(c) for c in links], index=tasks.index, dtype=object)

    @property
    def day_after(self) -> pd.Timestamp:
        return pd.Timestamp(self.as_of).normalize() + pd.Timedelta(days=1)


def _latest_scores(scores: pd.DataFrame, year: int, as_of: date, unit: str | None) -> dict[str, dict]:
    """Per leaf code, the score row of the latest quarter up to as_of's quarter, for the unit."""
    if scores.empty:
        return {}
    rows = _of_year(scores, year)
    if as_of.year < year:
        return {}
    last_quarter = quarter_of(as_of) if as_of.year == year else 4
    if "quarter" in rows.columns:
        quarter = pd.to_numeric(rows["quarter"], errors="coerce")
        rows = rows[quarter.le(last_quarter).fillna(False).astype(bool)]
        rows = rows.assign(_q=quarter.loc[rows.index]).sort_values("_q", kind="stable")
    unit_key = _key(unit)
    units = rows["unit"] if "unit" in rows.columns else pd.Series(None, index=rows.index, dtype=object)
    rows = rows[_key_mask(units, unit_key.__eq__)]
    result: dict[str, dict] = {}
    for record in rows.to_dict("records"):
        result[_key(record.get("code"))] = record  # later quarters overwrite earlier ones
    return result


def _task_scope(tasks: pd.DataFrame, year: int, unit: str | None) -> pd.DataFrame:
    scope = _of_year(tasks, year)
    if unit is not None and not scope.empty:
        scope = scope[[_key(u) == _key(unit) for u in scope["lead_unit"]]]
    return scope.reset_index(drop=True)


def _dossier_scope(dossiers: pd.DataFrame, year: int, as_of: date, unit: str | None) -> pd.DataFrame:
    """Dossiers received in the year up to as_of (for an assessed unit, its own).

    Only the columns the metrics read, with units, statuses and channels as categories: a province's
    million rows are filtered and compared several times per evaluation.
    """
    columns = [c for c in dossiers.columns if c in DOSSIER_SCOPE_COLUMNS]
    scope = _of_year(dossiers[columns], year)
    if scope.empty:
        return scope
    received = pd.to_datetime(scope["received_at"], errors="coerce")
    end = pd.Timestamp(as_of).normalize() + pd.Timedelta(days=1)
    keep = received.dt.year.eq(year) & received.lt(end)
    scope = scope[keep.fillna(False).astype(bool)]
    scope = scope.astype({c: "category" for c in ("unit", "status", "channel") if c in scope.columns})
    if unit is not None:
        scope = scope[_key_mask(scope["unit"], _key(unit).__eq__)]
    return scope


def _engine(
    framework: pd.DataFrame,
    scores: pd.DataFrame,
    tasks: pd.DataFrame,
    dossiers: pd.DataFrame,
    units: pd.DataFrame,
    as_of: date,
    unit: str | None,
    year: int | None,
) -> _Engine:
    as_of = pd.Timestamp(as_of).date()  # a Timestamp or datetime is taken as its day
    year = as_of.year if year is None else int(year)
    unit = _text(unit)
    return _Engine(
        year=year,
        as_of=as_of,
        unit=unit,
        leaves=_leaves(_of_year(framework, year)),
        scores=_latest_scores(scores, year, as_of, unit),
        tasks=_task_scope(tasks, year, unit),
        dossiers=_dossier_scope(dossiers, year, as_of, unit),
        units=units,
    )


def _task_metric(engine: _Engine, states: pd.Series, code: str, base: str, kind: str) -> _Metric:
    """plan_completion / criterion_tasks / late_reports over the tasks in scope."""
    if base == "plan_completion":
        chosen = states
        what, none_text = "của kế hoạch", "Chưa có nhiệm vụ nào trong kế hoạch"
    else:
        chosen = states[engine.task_links.eq(_key(code))]
        what, none_text = "gắn tiêu chí", "Chưa có nhiệm vụ nào gắn tiêu chí"
    codes = engine.task_codes[chosen.index]
    n = len(chosen)
    if n == 0:
        return _Metric(None, none_text)

    if kind == "yesno":
        not_on_time = chosen.ne("done_on_time")
        k = int(not_on_time.sum())
        if k == 0:
            basis = f"Cả {n} nhiệm vụ {what} đã hoàn thành đúng hạn"
        else:
            basis = f"{k}/{n} nhiệm vụ {what} chưa hoàn thành đúng hạn"
        return _Metric((n - k) / n, basis, codes[not_on_time].tolist())

    if kind == "deduction" or base == "late_reports":
        late = chosen.isin(["done_late", "open_overdue"])
        count = int(late.sum())
        basis = f"{count}/{n} nhiệm vụ {what} trễ hạn hoặc quá hạn"
        return _Metric(float(count), basis, codes[late].tolist())

    overdue = chosen.eq("open_overdue")
    done = int(chosen.isin(["done_on_time", "done_late"]).sum())
    due = done + int(overdue.sum())
    if due == 0:
        return _Metric(None, f"Chưa có nhiệm vụ {what} đến hạn")
    if overdue.any():
        basis = f"{int(overdue.sum())}/{due} nhiệm vụ {what} đến hạn chưa hoàn thành"
    else:
        basis = f"{done}/{due} nhiệm vụ {what} đến hạn đã hoàn thành"
    return _Metric(done / due, basis, codes[overdue].tolist())


def _restricted(engine: _Engine, restriction: str | None) -> pd.DataFrame | None:
    """Dossiers of units of one kind (':commune' = communes and towns, ':office' = offices)."""
    dossiers = engine.dossiers
    if restriction is None:
        return dossiers
    kinds = UNIT_KIND_GROUPS.get(restriction)
    if kinds is None:
        return None
    units = engine.units
    keys: set[str] = set()
    if not units.empty and "kind" in units.columns:
        chosen = units[units["kind"].isin(kinds).fillna(False).astype(bool)]
        for column in ("name", "code"):
            if column in chosen.columns:
                keys |= {_key(v) for v in chosen[column] if not _missing(v)}
    if dossiers.empty:
        return dossiers
    return dossiers[_key_mask(dossiers["unit"], keys.__contains__)]


def _dossier_metric(engine: _Engine, base: str, restriction: str | None, kind: str) -> _Metric:
    cache_key = (base, restriction, kind)
    if cache_key in engine.dossier_cache:
        return engine.dossier_cache[cache_key]
    dossiers = _restricted(engine, restriction)
    scope_text = UNIT_GROUP_OF.get(restriction or "", "")
    if dossiers is None:
        metric = _Metric(None, f"Phạm vi «{restriction}» chưa được hỗ trợ")
    elif base == "dossier_on_time":
        resolved_at = pd.to_datetime(dossiers["resolved_at"], errors="coerce")
        resolved = dossiers["status"].isin(RESOLVED) & (resolved_at.isna() | resolved_at.lt(engine.day_after))
        resolved = resolved.fillna(False).astype(bool)
        late = resolved & dossiers["status"].eq("resolved_late")
        total, n_late = int(resolved.sum()), int(late.sum())
        apology = (
            dossiers["apology"] if "apology" in dossiers.columns else pd.Series(None, index=dossiers.index)
        )
        # An unknown apology (None) is not counted as missing.
        apology_missing = any(not _missing(a) and not bool(a) for a in apology[late])
        if total == 0:
            metric = _Metric(None, f"Chưa có hồ sơ{scope_text} đã giải quyết")
        elif kind == "deduction":
            metric = _Metric(
                float(n_late), f"{n_late}/{total} hồ sơ{scope_text} giải quyết quá hạn", [], apology_missing
            )
        else:
            good = total - n_late
            basis = f"{good}/{total} hồ sơ{scope_text} giải quyết đúng hạn hoặc trước hạn"
            metric = _Metric(good / total, basis, [], apology_missing)
    else:  # dossier_online
        total = len(dossiers)
        online = int(dossiers["channel"].eq("online").fillna(False).sum()) if total else 0
        if total == 0:
            metric = _Metric(None, f"Chưa có hồ sơ{scope_text} tiếp nhận")
        elif kind == "deduction":
            metric = _Metric(None, "Cách tính trừ điểm không dùng được với tỷ lệ hồ sơ trực tuyến")
        else:
            metric = _Metric(online / total, f"{online}/{total} hồ sơ{scope_text} nộp trực tuyến")
    engine.dossier_cache[cache_key] = metric
    return metric


def _metric(engine: _Engine, states: pd.Series, leaf: pd.Series, kind: str) -> _Metric:
    base, restriction = _split_metric(leaf.get("metric"))
    if base is None or kind == "manual":
        return _Metric(None, None)
    if base in TASK_METRICS:
        return _task_metric(engine, states, clean(leaf["code"]), base, kind)
    if base in DOSSIER_METRICS:
        return _dossier_metric(engine, base, restriction, kind)
    return _Metric(None, f"Chỉ số «{leaf.get('metric')}» chưa được hỗ trợ")


# Criteria ---------------------------------------------------------------------------------


def _criterion_row(engine: _Engine, states: pd.Series, leaf: pd.Series) -> dict[str, Any]:
    code = clean(leaf["code"])
    kind = _rule_kind(leaf)
    score = engine.scores.get(_key(code), {})
    max_points = _float(leaf.get("max_points"))
    max_points = 0.0 if math.isnan(max_points) else max_points
    metric = _metric(engine, states, leaf, kind)
    evaluation: Evaluation = evaluate_rule(
        _text(leaf.get("rule")),
        max_points,
        metric.value,
        _text(leaf.get("thresholds")),
        metric=_text(leaf.get("metric")),
        basis=metric.basis,
        self_points=_float(score.get("self_points")),
        appraised_points=_float(score.get("appraised_points")),
        not_applicable=not _missing(score.get("not_applicable")) and bool(score.get("not_applicable")),
        answer=_text(score.get("explanation")),
        apology_missing=metric.apology_missing,
        point_kind=_text(leaf.get("point_kind")),
    )
    likely = evaluation.points
    if evaluation.status == "known":
        deducted = max(0.0, max_points - likely)
    elif evaluation.status == "not_applicable":
        deducted = 0.0
    else:
        deducted = math.nan
    causes = metric.causes if evaluation.source == "data" and deducted > _EPS else []
    return {
        "code": code,
        "area": _text(leaf.get("area")),
        "name": _text(leaf.get("name")),
        "point_kind": _text(leaf.get("point_kind")),
        "rule": _text(leaf.get("rule")),
        "metric": _text(leaf.get("metric")),
        "max_points": max_points,
        "applicable": evaluation.status != "not_applicable",
        "status": evaluation.status,
        "likely": likely,
        "deducted": deducted,
        "metric_value": math.nan if metric.value is None else float(metric.value),
        "self_points": _float(score.get("self_points")),
        "appraised_points": _float(score.get("appraised_points")),
        "evidence": _text(score.get("evidence")),
        "responsible_unit": _text(leaf.get("responsible_unit")),
        "why": evaluation.why,
        "causes": list(causes),
        "source": evaluation.source,
    }


def _criteria(engine: _Engine, states: pd.Series, leaves: pd.DataFrame | None = None) -> pd.DataFrame:
    leaves = engine.leaves if leaves is None else leaves
    rows = [_criterion_row(engine, states, leaf) for _, leaf in leaves.iterrows()]
    frame = pd.DataFrame(rows, columns=CRITERIA_COLUMNS)
    for column in ("max_points", "likely", "deducted", "metric_value", "self_points", "appraised_points"):
        frame[column] = frame[column].astype("float64")
    frame["applicable"] = frame["applicable"].astype(bool)
    return frame


def _states(engine: _Engine) -> pd.Series:
    if engine.tasks.empty:
        return pd.Series([], index=engine.tasks.index, dtype=object, name="state")
    return task_states(engine.tasks, engine.as_of)


def criteria_scores(
    framework: pd.DataFrame,
    scores: pd.DataFrame,
    tasks: pd.DataFrame,
    dossiers: pd.DataFrame,
    units: pd.DataFrame,
    as_of: date,
    unit: str | None = None,
    *,
    year: int | None = None,
) -> pd.DataFrame:
    """Likely points of every leaf criterion as of a date, one row per leaf (CRITERIA_COLUMNS).

    `year` defaults to as_of's year. Task scope: all tasks of the year for the district (unit
    None), the tasks led by the unit otherwise; dossier scope likewise. Scores: rows of the year
    for the unit, latest quarter up to as_of's quarter. `source` says where the points come from
    ('data', 'scores', 'none'); `causes` lists the codes of the tasks behind a data-driven loss
    (open overdue tasks for completion ratios; late or overdue tasks for late reports; tasks not
    done on time for yes/no rules).
    """
    engine = _engine(framework, scores, tasks, dossiers, units, as_of, unit, year)
    return _criteria(engine, _states(engine))


# Aggregates -------------------------------------------------------------------------------


def _totals(criteria: pd.DataFrame) -> dict[str, Any]:
    applicable = criteria[criteria["applicable"].astype(bool)] if not criteria.empty else criteria
    known = applicable[applicable["status"].eq("known")] if not applicable.empty else applicable
    unknown = applicable[applicable["status"].eq("unknown")] if not applicable.empty else applicable
    max_total = float(applicable["max_points"].sum()) if not applicable.empty else 0.0
    likely = float(known["likely"].sum()) if not known.empty else 0.0
    deducted = float(known["deducted"].sum()) if not known.empty else 0.0
    unknown_max = float(unknown["max_points"].sum()) if not unknown.empty else 0.0
    assessed = max_total - unknown_max
    percent = 100 * likely / assessed if assessed > _EPS else None
    return {
        "max": max_total,
        "likely": likely,
        "deducted": deducted,
        "unknown_max": unknown_max,
        "percent": percent,
    }


def index_by_area(criteria: pd.DataFrame, framework: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per area: max (applicable), likely (sum of known), deducted, unknown_max, percent.

    percent = 100 * likely / (max - unknown_max), None when nothing is known. Area names come
    from the framework's area rows when the framework is given.
    """
    names: dict[str, str | None] = {}
    if framework is not None and not framework.empty:
        rows = framework[framework["level"].eq("area").fillna(False).astype(bool)]
        for record in rows.to_dict("records"):
            names[_key(record.get("code"))] = _text(record.get("name"))
    columns = ["area", "name", "max", "likely", "deducted", "unknown_max", "percent"]
    areas = sorted({a for a in criteria["area"] if not _missing(a)}, key=roman_order)
    if criteria["area"].isna().any():
        areas.append(None)
    rows_out = []
    for area in areas:
        part = criteria[criteria["area"].isna()] if area is None else criteria[criteria["area"].eq(area)]
        rows_out.append({"area": area, "name": names.get(_key(area)), **_totals(part)})
    frame = pd.DataFrame(rows_out, columns=columns)
    frame["percent"] = frame["percent"].astype(object)
    return frame


def index_total(criteria: pd.DataFrame) -> dict[str, Any]:
    """The whole index: max, likely, deducted, unknown_max, percent.

    max: sum of max points of applicable leaves ("Không áp dụng" removed).
    likely: sum of likely points of known leaves.
    deducted: sum of (max - likely) over known leaves.
    unknown_max: sum of max points of applicable leaves that cannot be scored yet.
    percent: 100 * likely / (max - unknown_max), i.e. over what is known; None when that is 0.
    """
    return _totals(criteria)


def rank_label(percent: float | None) -> str:
    """Ranking group: 'A' >= 90 %, 'B' 80 to < 90, 'C' 70 to < 80, 'D' below; '—' without a percent."""
    if percent is None or _missing(percent):
        return "—"
    if percent >= 90 - _EPS:
        return "A"
    if percent >= 80 - _EPS:
        return "B"
    if percent >= 70 - _EPS:
        return "C"
    return "D"


def rank_name(percent: float | None) -> str:
    """Vietnamese name of the ranking group: Xuất sắc / Tốt / Khá / Trung bình ('—' without a percent)."""
    return RANKS.get(rank_label(percent), "—")
