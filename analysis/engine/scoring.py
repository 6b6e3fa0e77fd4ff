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

from analysis.engine import ranks as _ranks
from analysis.engine.data import YearData
from analysis.engine.rules import Evaluation, evaluate_rule
from analysis.engine.tasks import task_due, task_states
from analysis.engine.units import led_by
from analysis.fmt import is_missing
from analysis.periods import quarter_end, quarter_of
from analysis.schema import UNIT_GROUP_OF, UNIT_KIND_GROUPS
from analysis.text import clean, name_key, roman_order

TASK_METRICS = frozenset({"plan_completion", "criterion_tasks", "late_reports"})
DOSSIER_METRICS = frozenset({"dossier_on_time", "dossier_online"})

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
    "data_points",
]

UNASSIGNED = "Chưa phân công"
NO_LEAD_UNIT = "Chưa rõ đơn vị chủ trì"

ATTRIBUTION_NOTE = (
    "Điểm chưa đạt của mỗi tiêu chí được tính cho đơn vị chịu trách nhiệm tiêu chí đó, riêng các tiêu chí "
    "tính từ nhiệm vụ (hoàn thành kế hoạch, nhiệm vụ của tiêu chí, báo cáo trễ hạn) thì điểm chưa đạt được "
    "chia cho các đơn vị chủ trì những nhiệm vụ trễ hạn hoặc quá hạn gây mất điểm, theo tỷ lệ số nhiệm vụ "
    "đó của mỗi đơn vị."
)

RANKS = {r.label: r.name for r in _ranks.DEFAULT_RANKS}  # the defaults; a framework may declare others

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
    names = framework["name"] if "name" in framework.columns else [None] * len(framework)
    # The ranking-groups row (analysis.engine.ranks) is framework data, not a criterion.
    is_leaf = [
        _key(c) not in parents and not _ranks.is_rank_row(c, n)
        for c, n in zip(framework["code"], names, strict=True)
    ]
    return framework[is_leaf]


# Metric data ------------------------------------------------------------------------------


@dataclass
class _Metric:
    """A metric value for one criterion, the sentence describing it, and the tasks behind a loss."""

    value: float | None
    basis: str | None
    causes: list[str] = field(default_factory=list)
    apology_missing: bool = False
    pending: bool = False  # there is evidence, but none of it has fallen due yet


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
    task_due: pd.Series = field(init=False)  # fallen due by the end of as_of (deadlines only)

    def __post_init__(self) -> None:
        self.set_tasks(self.tasks)

    def set_tasks(self, tasks: pd.DataFrame) -> None:
        self.tasks = tasks
        self.task_codes = pd.Series(
            [clean(c) for c in tasks.get("code", [])], index=tasks.index, dtype=object
        )
        links = tasks["criterion"] if "criterion" in tasks.columns else [None] * len(tasks)
        self.task_links = pd.Series([_key(c) for c in links], index=tasks.index, dtype=object)
        if tasks.empty:
            self.task_due = pd.Series([], index=tasks.index, dtype=bool)
        else:
            self.task_due = task_due(tasks, self.as_of, self.year)


def scores_quarter(year: int, as_of: date) -> int:
    """The last quarter whose self-assessment counts at as_of: a quarter counts from its last day.

    A date inside Q2 uses Q1's scores; 30/6 uses Q2's; a date inside Q1 has none (0).
    """
    if as_of.year < year:
        return 0
    if as_of.year > year:
        return 4
    quarter = quarter_of(as_of)
    return quarter if as_of >= quarter_end(year, quarter) else quarter - 1


def _latest_scores(scores: pd.DataFrame, year: int, as_of: date, unit: str | None) -> dict[str, dict]:
    """Per leaf code, the score row of the latest quarter that has ended by as_of, for the unit."""
    if scores.empty:
        return {}
    rows = _of_year(scores, year)
    last_quarter = scores_quarter(year, as_of)
    if last_quarter == 0:
        return {}
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


def _task_scope(
    tasks: pd.DataFrame, year: int, unit: str | None, units: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Tasks of the year; for a unit, those it leads, itself or as a member of a collective lead."""
    scope = _of_year(tasks, year)
    if unit is not None and not scope.empty:
        own = [_key(u) == _key(unit) for u in scope["lead_unit"]]
        if units is not None and not units.empty:
            own = led_by(scope["lead_unit"], unit, units).to_numpy() | own
        scope = scope[own]
    return scope.reset_index(drop=True)


def _dossier_scope(dossiers: Any, year: int, as_of: date, unit: str | None) -> Any:
    """The year's dossiers as an aggregate source (analysis.store.DossierRows): never rows in pandas.

    The period (1 January to as_of) and the unit are applied by the store's SQL when a metric is
    read; a frame (a preview, a fixture) is wrapped and queried with the same SQL.
    """
    from analysis.engine import dossiers as dossier_engine  # imported here: it sits beside this module

    return dossier_engine.rows_of(dossiers, year)


def _engine(data: YearData, as_of: date, unit: str | None) -> _Engine:
    as_of = pd.Timestamp(as_of).date()  # a Timestamp or datetime is taken as its day
    unit = _text(unit)
    return _Engine(
        year=data.year,
        as_of=as_of,
        unit=unit,
        leaves=_leaves(_of_year(data.framework, data.year)),
        scores=_latest_scores(data.scores, data.year, as_of, unit),
        tasks=_task_scope(data.tasks, data.year, unit, data.units),
        dossiers=_dossier_scope(data.dossiers, data.year, as_of, unit),
        units=data.units,
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
    # Only tasks that have fallen due are evidence; with none due the criterion is pending.
    due_mask = engine.task_due.reindex(chosen.index, fill_value=False).astype(bool)
    due = int(due_mask.sum())
    if due == 0:
        return _Metric(None, f"Chưa có nhiệm vụ {what} đến hạn ({n} nhiệm vụ)", pending=True)

    if kind == "yesno":
        not_on_time = due_mask & chosen.ne("done_on_time")
        k = int(not_on_time.sum())
        if k == 0:
            basis = f"Cả {due} nhiệm vụ {what} đã đến hạn đều hoàn thành đúng hạn"
        else:
            basis = f"{k}/{due} nhiệm vụ {what} đã đến hạn chưa hoàn thành đúng hạn"
        return _Metric((due - k) / due, basis, codes[not_on_time].tolist())

    if kind == "deduction" or base == "late_reports":
        late = chosen.isin(["done_late", "open_overdue"])
        count = int(late.sum())
        basis = f"{count}/{due} nhiệm vụ {what} đã đến hạn trễ hạn hoặc quá hạn"
        return _Metric(float(count), basis, codes[late].tolist())

    overdue = chosen.eq("open_overdue")
    done_of_due = int((due_mask & chosen.isin(["done_on_time", "done_late"])).sum())
    if overdue.any():
        basis = f"{int(overdue.sum())}/{due} nhiệm vụ {what} đến hạn chưa hoàn thành"
    else:
        basis = f"{done_of_due}/{due} nhiệm vụ {what} đến hạn đã hoàn thành"
    return _Metric(done_of_due / due, basis, codes[overdue].tolist())


def _dossier_metric(engine: _Engine, base: str, restriction: str | None, kind: str) -> _Metric:
    """dossier_on_time / dossier_online from the store's aggregates (analysis.engine.dossiers)."""
    from analysis.engine import dossiers as dossier_engine

    cache_key = (base, restriction, kind)
    if cache_key in engine.dossier_cache:
        return engine.dossier_cache[cache_key]
    scope_text = UNIT_GROUP_OF.get(restriction or "", "")
    keys: set[str] | None = None
    if restriction is not None and restriction in UNIT_KIND_GROUPS:
        keys = set()
        units = engine.units
        if not units.empty and "kind" in units.columns:
            chosen = units[units["kind"].isin(UNIT_KIND_GROUPS[restriction]).fillna(False).astype(bool)]
            for column in ("name", "code"):
                if column in chosen.columns:
                    keys |= {_key(v) for v in chosen[column] if not _missing(v)}
    if engine.unit is not None:
        keys = {_key(engine.unit)} if keys is None else keys & {_key(engine.unit)}
    if restriction is not None and restriction not in UNIT_KIND_GROUPS:
        metric = _Metric(None, f"Phạm vi «{restriction}» chưa được hỗ trợ")
    elif base == "dossier_on_time":
        counts = dossier_engine.criterion_counts(engine.dossiers, engine.year, engine.as_of, keys)
        total, n_late = counts["resolved"], counts["resolved_late"]
        # Mẫu 04: a dossier resolved late or pending overdue with the slip recorded as not sent (an
        # unknown slip is not counted as missing).
        apology_missing = counts["late_without_apology"] > 0
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
        counts = dossier_engine.criterion_counts(engine.dossiers, engine.year, engine.as_of, keys)
        total, online = counts["received"], counts["online"]
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
        pending=metric.pending,
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
        "data_points": evaluation.data_points,
    }


def _criteria(engine: _Engine, states: pd.Series, leaves: pd.DataFrame | None = None) -> pd.DataFrame:
    leaves = engine.leaves if leaves is None else leaves
    rows = [_criterion_row(engine, states, leaf) for _, leaf in leaves.iterrows()]
    frame = pd.DataFrame(rows, columns=CRITERIA_COLUMNS)
    for column in (
        "max_points",
        "likely",
        "deducted",
        "metric_value",
        "self_points",
        "appraised_points",
        "data_points",
    ):
        frame[column] = frame[column].astype("float64")
    frame["applicable"] = frame["applicable"].astype(bool)
    return frame


def _states(engine: _Engine) -> pd.Series:
    if engine.tasks.empty:
        return pd.Series([], index=engine.tasks.index, dtype=object, name="state")
    return task_states(engine.tasks, engine.as_of, engine.year)


def criteria_scores(data: YearData, as_of: date, unit: str | None = None) -> pd.DataFrame:
    """Likely points of every leaf criterion as of a date, one row per leaf (CRITERIA_COLUMNS).

    Task scope: all tasks of data.year for the district (unit None), the tasks led by the unit
    otherwise; dossier scope likewise. Scores: rows of the year for the unit, latest quarter up to
    as_of's quarter. `source` says where the points come from
    ('data', 'scores', 'none'); `causes` lists the codes of the tasks behind a data-driven loss
    (open overdue tasks for completion ratios; late or overdue tasks for late reports; tasks not
    done on time for yes/no rules).
    """
    engine = _engine(data, as_of, unit)
    return _criteria(engine, _states(engine))


# Aggregates -------------------------------------------------------------------------------


def _totals(criteria: pd.DataFrame) -> dict[str, Any]:
    applicable = criteria[criteria["applicable"].astype(bool)] if not criteria.empty else criteria
    known = applicable[applicable["status"].eq("known")] if not applicable.empty else applicable
    # Pending criteria (evidence not yet due) are left out of the maximum like unknown ones.
    unknown = (
        applicable[applicable["status"].isin(("unknown", "pending"))] if not applicable.empty else applicable
    )
    pending = applicable[applicable["status"].eq("pending")] if not applicable.empty else applicable
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
        "pending_max": float(pending["max_points"].sum()) if not pending.empty else 0.0,
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


def rank_label(percent: float | None, ranks: tuple[_ranks.Rank, ...] = _ranks.DEFAULT_RANKS) -> str:
    """Ranking group ('A' >= 90 %, 'B' 80 to < 90 … by default, or the framework's); '—' without a percent."""
    return _ranks.rank_label(percent, ranks)


def rank_name(percent: float | None, ranks: tuple[_ranks.Rank, ...] = _ranks.DEFAULT_RANKS) -> str:
    """Vietnamese name of the ranking group: Xuất sắc / Tốt / Khá / Trung bình ('—' without a percent)."""
    return _ranks.rank_name(percent, ranks)
