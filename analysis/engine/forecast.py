"""Year-end forecast: each criterion's maximum split into secured / lost / at risk / unknown.

- secured (chắc chắn đạt): points the year keeps whatever happens next;
- lost (đã mất): points that cannot come back this year (late completions where the rule punishes
  lateness, dossiers already resolved late, appraised losses);
- at_risk (còn có thể mất hoặc giành lại): points that depend on what happens before year end (open
  tasks, the rest of the year's dossiers, self-assessed points awaiting appraisal, the survey when
  last year's result gives an expectation);
- unknown (chưa có số liệu): no data at all (the survey without last year's result, criteria with
  no score and no data).

floor = secured; ceiling = secured + at_risk + unknown (= max - lost);
likely = secured + the at-risk points expected on the current trend (FORECAST_ASSUMPTION).
Only what is known at the as-of date is used: completions after it count as open.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd

from analysis.engine import ranks as rank_groups
from analysis.engine.data import YearData
from analysis.engine.rules import evaluate_rule
from analysis.engine.scoring import (
    _EPS,
    DOSSIER_METRICS,
    TASK_METRICS,
    _criteria,
    _engine,
    _float,
    _key,
    _of_year,
    _split_metric,
    _states,
    _text,
)
from analysis.fmt import num, pct
from analysis.periods import quarter_end

PARTS = ("secured", "lost", "at_risk", "unknown")
PART_LABELS = {
    "secured": "Chắc chắn đạt",
    "lost": "Đã mất",
    "at_risk": "Còn có thể mất hoặc giành lại",
    "unknown": "Chưa có số liệu",
}
FORECAST_ASSUMPTION = (
    "Dự kiến giả định: phần điểm còn rủi ro của nhiệm vụ được giữ theo tỷ lệ hoàn thành hiện nay (đã hoàn "
    "thành ÷ đến hạn), hồ sơ còn lại của năm được giải quyết như tỷ lệ hiện nay, điểm tự đánh giá được giữ "
    "khi thẩm định, và điểm điều tra xã hội học bằng kết quả năm trước (nếu đã có)."
)
FORECAST_COLUMNS = ["code", "area", "name", "max_points", *PARTS, "likely", "why"]


def _year_fraction(year: int, as_of: date) -> float:
    """Share of the year elapsed at the end of as_of (0..1)."""
    start, end = date(year, 1, 1), quarter_end(year, 4)
    if as_of >= end:
        return 1.0
    if as_of < start:
        return 0.0
    return ((as_of - start).days + 1) / ((end - start).days + 1)


def _trend(states: pd.Series, due: pd.Series) -> float:
    """The current completion rate: done ÷ due, or done ÷ assigned while nothing is due (0 without tasks)."""
    done = states.isin(("done_on_time", "done_late"))
    if due.any():
        return float((done & due).sum()) / float(due.sum())
    return float(done.mean()) if len(states) else 0.0


def _survey_expectations(
    previous_scores: pd.DataFrame | None, unit: str | None
) -> dict[str, tuple[float, float]]:
    """Last year's survey result per criterion code: (points, that year's maximum or NaN).

    Appraised points, else self-assessed; the latest quarter wins.
    """
    if previous_scores is None or previous_scores.empty:
        return {}
    rows = previous_scores
    units = rows["unit"] if "unit" in rows.columns else pd.Series(None, index=rows.index, dtype=object)
    rows = rows[[_key(u) == _key(unit) for u in units]]
    if "quarter" in rows.columns:
        rows = rows.assign(_q=pd.to_numeric(rows["quarter"], errors="coerce")).sort_values(
            "_q", kind="stable"
        )
    results: dict[str, tuple[float, float]] = {}
    for record in rows.to_dict("records"):
        value = _float(record.get("appraised_points"))
        if math.isnan(value):
            value = _float(record.get("self_points"))
        if not math.isnan(value):
            results[_key(record.get("code"))] = (value, _float(record.get("max_points")))
    return results


def _parts(max_points: float, worst: float, best: float) -> tuple[float, float, float]:
    """(secured, lost, at_risk) from the worst and best year-end points, kept within [0, max]."""
    best = min(max(best, 0.0), max_points)
    worst = min(max(worst, 0.0), best)
    return worst, max_points - best, best - worst


def _dossier_bounds(row: dict[str, Any], leaf: pd.Series, elapsed: float) -> tuple[float, float, float]:
    """(worst, best, expected) year-end points of a dossier criterion.

    The rest of the year's dossiers are assumed as many per day as so far: on time at best,
    late at worst, and at the current rate as expected.
    """
    value = _float(row.get("metric_value"))
    rule = _text(leaf.get("rule"))
    thresholds = _text(leaf.get("thresholds"))
    metric = _text(leaf.get("metric"))
    max_points = float(row["max_points"])
    now = float(row["likely"])
    if elapsed >= 1 - _EPS:
        return now, now, now
    plain = evaluate_rule(rule, max_points, value, thresholds, metric=metric).points
    # A late dossier already without its apology slip keeps its penalty in every outcome.
    apology = plain > now + _EPS

    def points_at(v: float) -> float:
        return evaluate_rule(rule, max_points, v, thresholds, metric=metric, apology_missing=apology).points

    if rule == "deduction":
        return 0.0, now, points_at(value / max(elapsed, _EPS))
    best = points_at(value * elapsed + (1 - elapsed))
    worst = points_at(value * elapsed)
    return min(worst, now), max(best, now), now


def _expected_task_points(
    leaf: pd.Series, max_points: float, scope: pd.Series, rate: float, low: float, high: float
) -> float:
    """Year-end points if the open tasks of the scope are finished at the current rate.

    Ratio rules read (done + rate × open) ÷ assigned; a yes/no rule needing every task on time
    holds only while nothing due is left undone (rate 1); a deduction counts the late ones, the
    overdue ones and the share (1 - rate) of those still in time.
    """
    if scope.empty or low >= high - _EPS:
        return low
    rule = _text(leaf.get("rule"))
    done = int(scope.isin(("done_on_time", "done_late")).sum())
    in_time = int(scope.eq("open_in_time").sum())
    overdue = int(scope.eq("open_overdue").sum())
    if rule == "yesno":
        return high if rate >= 1 - _EPS else low
    if rule == "deduction" or _split_metric(leaf.get("metric"))[0] == "late_reports":
        value = float(scope.eq("done_late").sum()) + overdue + (1 - rate) * in_time
    else:
        value = (done + rate * (in_time + overdue)) / len(scope)
    points = evaluate_rule(
        rule, max_points, value, _text(leaf.get("thresholds")), metric=_text(leaf.get("metric"))
    ).points
    return low if math.isnan(points) else min(max(points, low), high)


def criteria_forecast(data: YearData, as_of: date, unit: str | None = None) -> pd.DataFrame:
    """One row per applicable leaf criterion: secured, lost, at_risk, unknown (summing to max), likely, why."""
    engine = _engine(data, as_of, unit)
    states = _states(engine)
    now = _criteria(engine, states)
    due_now = engine.task_due
    rate = _trend(states, due_now)
    # Year end: every task has fallen due. At worst no open task is finished; at best each is
    # finished now (on time if still in time, late if already overdue).
    engine.task_due = pd.Series(True, index=engine.tasks.index, dtype=bool)
    worst_states = states.replace({"open_in_time": "open_overdue"})
    best_states = states.replace({"open_in_time": "done_on_time", "open_overdue": "done_late"})
    task_rows = [
        i
        for i, (_, leaf) in enumerate(engine.leaves.iterrows())
        if _split_metric(leaf.get("metric"))[0] in TASK_METRICS
    ]
    task_leaves = engine.leaves.iloc[task_rows]
    worst = _criteria(engine, worst_states, task_leaves).set_index("code")
    best = _criteria(engine, best_states, task_leaves).set_index("code")
    engine.task_due = due_now  # leave the engine as it was
    elapsed = _year_fraction(engine.year, engine.as_of)
    survey = _survey_expectations(data.previous_scores, engine.unit)

    rows = []
    for (_, leaf), row in zip(engine.leaves.iterrows(), now.to_dict("records"), strict=True):
        if not row["applicable"]:
            continue
        max_points = float(row["max_points"])
        code = row["code"]
        base = _split_metric(row.get("metric"))[0]
        parts = dict.fromkeys(PARTS, 0.0)
        appraised = _float(row.get("appraised_points"))
        if not math.isnan(appraised) and row["status"] == "known":
            parts["secured"], parts["lost"] = row["likely"], max_points - row["likely"]
            expected, why = row["likely"], f"Đã thẩm định: {num(row['likely'])} / {num(max_points)} điểm"
        elif base in TASK_METRICS and code in best.index and best.at[code, "source"] == "data":
            low, high = float(worst.at[code, "likely"]), float(best.at[code, "likely"])
            parts["secured"], parts["lost"], parts["at_risk"] = _parts(max_points, low, high)
            scope = states if base == "plan_completion" else states[engine.task_links.eq(_key(code))]
            expected = _expected_task_points(leaf, max_points, scope, rate, low, high)
            why = (
                f"Cuối năm: nếu không hoàn thành thêm nhiệm vụ nào → {num(low)} điểm; nếu hoàn thành ngay mọi "
                f"nhiệm vụ còn mở → {num(high)} điểm; theo tỷ lệ hoàn thành hiện nay {pct(rate)} → "
                f"dự kiến {num(expected)} điểm"
            )
        elif base in DOSSIER_METRICS and row["source"] == "data":
            low, high, expected = _dossier_bounds(row, leaf, elapsed)
            parts["secured"], parts["lost"], parts["at_risk"] = _parts(max_points, low, high)
            expected = min(max(expected, parts["secured"]), parts["secured"] + parts["at_risk"])
            why = (
                f"{row['why']}; hồ sơ còn lại của năm: tốt nhất {num(high)}, xấu nhất {num(low)} điểm"
                if elapsed < 1 - _EPS
                else row["why"]
            )
        elif _text(leaf.get("point_kind")) == "survey":
            last = survey.get(_key(code))
            if last is None or max_points <= _EPS:
                parts["unknown"] = max_points
                expected, why = 0.0, "Điều tra xã hội học: chưa có kết quả (kể cả năm trước)"
            else:
                parts["at_risk"] = max_points
                # Last year's points as a share of last year's maximum (this year's when not given).
                last_max = last[1] if not math.isnan(last[1]) and last[1] > _EPS else max_points
                share = min(1.0, max(0.0, last[0] / last_max))
                expected = share * max_points
                why = (
                    f"Điều tra xã hội học: dự kiến theo kết quả năm trước {pct(share)} → {num(expected)} điểm"
                )
        elif row["status"] == "known" and row["source"] == "scores":
            parts["at_risk"] = max_points
            expected = float(row["likely"])
            why = f"Chờ thẩm định: tự đánh giá {num(expected)} / {num(max_points)} điểm"
        else:
            parts["unknown"] = max_points
            expected, why = 0.0, "Chưa có số liệu hay điểm tự đánh giá"
        rows.append(
            {
                "code": code,
                "area": row["area"],
                "name": row["name"],
                "max_points": max_points,
                **parts,
                "likely": parts["secured"] + min(max(expected - parts["secured"], 0.0), parts["at_risk"]),
                "why": why,
            }
        )
    frame = pd.DataFrame(rows, columns=FORECAST_COLUMNS)
    for column in ("max_points", *PARTS, "likely"):
        frame[column] = frame[column].astype("float64")
    return frame


def forecast_summary(by_criterion: pd.DataFrame, framework: pd.DataFrame | None = None) -> dict[str, Any]:
    """floor / likely / ceiling with their ranks (the framework's groups), per criterion parts."""
    ranks = rank_groups.ranks_of(framework)
    max_total = float(by_criterion["max_points"].sum()) if not by_criterion.empty else 0.0
    secured = float(by_criterion["secured"].sum()) if not by_criterion.empty else 0.0
    ceiling = max_total - (float(by_criterion["lost"].sum()) if not by_criterion.empty else 0.0)
    likely = float(by_criterion["likely"].sum()) if not by_criterion.empty else 0.0

    def percent(value: float) -> float | None:
        return 100 * value / max_total if max_total > _EPS else None

    def label(value: float) -> str | None:
        p = percent(value)
        return None if p is None else rank_groups.rank_label(p, ranks)

    return {
        "max": round(max_total, 2),
        "floor": round(secured, 2),
        "likely": round(likely, 2),
        "ceiling": round(ceiling, 2),
        "rank_floor": label(secured),
        "rank_likely": label(likely),
        "rank_ceiling": label(ceiling),
        "assumption": FORECAST_ASSUMPTION,
        "by_criterion": [
            {
                "code": r["code"],
                **{p: round(float(r[p]), 2) for p in PARTS},
                "likely": round(float(r["likely"]), 2),
                "why": r["why"],
            }
            for r in by_criterion.to_dict("records")
        ],
    }


def forecast_by_area(by_criterion: pd.DataFrame) -> pd.DataFrame:
    """Per area: secured, lost, at_risk, unknown and likely points (areas in framework order)."""
    columns = ["area", *PARTS, "likely"]
    if by_criterion.empty:
        return pd.DataFrame(columns=columns)
    grouped = by_criterion.groupby("area", sort=False, dropna=False)[[*PARTS, "likely"]].sum().reset_index()
    return grouped[columns]


def year_forecast(data: YearData, as_of: date, unit: str | None = None) -> dict[str, Any]:
    """The forecast dict of summary["index"]["forecast"]."""
    framework = data.framework
    by_criterion = criteria_forecast(data, as_of, unit)
    return forecast_summary(by_criterion, _of_year(framework, data.year) if not framework.empty else None)


def at_risk_by_task(data: YearData, as_of: date, unit: str | None = None) -> dict[str, float]:
    """Per open task code, its share of the at-risk points of the task criteria it counts in.

    Each task criterion's at-risk points are shared equally by the open tasks of its scope (the
    whole plan for plan completion, the linked tasks otherwise): what finishing them protects.
    """
    forecast = criteria_forecast(data, as_of, unit)
    engine = _engine(data, as_of, unit)
    states = _states(engine)
    is_open = states.isin(("open_in_time", "open_overdue"))
    shares: dict[str, float] = {}
    metrics = {
        _key(leaf["code"]): _split_metric(leaf.get("metric"))[0] for _, leaf in engine.leaves.iterrows()
    }
    for row in forecast.to_dict("records"):
        base = metrics.get(_key(row["code"]))
        if base not in TASK_METRICS or row["at_risk"] <= _EPS:
            continue
        scope = is_open if base == "plan_completion" else is_open & engine.task_links.eq(_key(row["code"]))
        codes = engine.task_codes[scope]
        for code in codes:
            shares[code] = shares.get(code, 0.0) + row["at_risk"] / len(codes)
    return shares
