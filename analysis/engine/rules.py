"""The rule engine for one criterion: likely points from a metric value or from the scoring sheet.

Rule kinds and metrics are the canonical keys of analysis.schema (RULE_KINDS, METRICS).
Every result carries a Vietnamese sentence saying why, built with analysis.fmt.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from typing import NamedTuple, ParamSpec, TypedDict, Unpack

from analysis.fmt import is_missing, num, pct, points
from analysis.schema import METRICS
from analysis.text import fold
from analysis.thresholds import BELOW, parse_bands

# Metrics whose value is a ratio (0..1); the others (late_reports) are counts.
RATIO_METRICS = frozenset({"plan_completion", "criterion_tasks", "dossier_on_time", "dossier_online"})

_NUMBER = r"-?\d+(?:[.,]\d+)?"
# "apology: 0.5" (also the Vietnamese wording people type: "xin lỗi: 0,5", "mẫu 04: 0,5")
_APOLOGY = re.compile(rf"(?:apology|xin\s+lỗi|mẫu\s*0?4)\s*(?::|=)\s*-?\s*({_NUMBER})", re.IGNORECASE)
_EPS = 1e-9

P = ParamSpec("P")


class Evaluation(NamedTuple):
    """Likely points of one criterion and why.

    points: NaN when unknown or pending; 0.0 when not applicable.
    status: 'known' | 'unknown' | 'pending' (evidence not yet due) | 'not_applicable'.
    source: 'data' (computed from the metric), 'scores' (self/appraised points), or 'none'.
    data_points: what the data rule alone gives (NaN without data), kept beside an appraisal as a check.
    """

    points: float
    why: str
    status: str
    source: str
    data_points: float = math.nan


def _to_float(text: str) -> float:
    return float(text.replace(",", "."))


def parse_thresholds(text: str | None) -> list[tuple[float, float, bool]]:
    """Bands "100%: 2; 80%: 1; 0%: 0" as (threshold, points, is_percent), highest threshold first.

    The grammar is analysis.thresholds (the one ingestion checks uploads with). A value without %
    is a raw metric value ("90: 3; 80: 2"); "< 50%: 0" applies below the other bands; clauses
    starting with a word ("apology: 0.5", see apology_penalty) are options and ignored here.
    Raises ValueError naming the text when another part of it is not a band.
    """
    if text is None or is_missing(text) or not str(text).strip():
        return []
    return list(parse_bands(text))


def apology_penalty(text: str | None) -> float:
    """Points taken once when a late dossier had no apology slip ("apology: 0.5"), else 0."""
    if text is None or is_missing(text):
        return 0.0
    match = _APOLOGY.search(str(text))
    return abs(_to_float(match.group(1))) if match else 0.0


def per_event(text: str | None) -> float:
    """Points deducted per event for a deduction rule ("0.25", "-0,25", "0.25/lần")."""
    if text is None or is_missing(text):
        raise ValueError("deduction rule without points per event (thresholds empty)")
    match = re.search(_NUMBER, str(text))
    if not match:
        raise ValueError(f"deduction thresholds {text!r}: no number of points per event")
    return abs(_to_float(match.group(0)))


def _answer(text: str | None) -> bool | None:
    """'Có' / 'Đạt' -> True, 'Không' / 'Không đạt' -> False, anything else -> None."""
    if text is None or is_missing(text):
        return None
    key = fold(text)
    if key in {"co", "dat", "yes", "x", "co dat"}:
        return True
    if key in {"khong", "khong dat", "no", "chua", "chua dat"}:
        return False
    return None


def _out_of(value: float, max_points: float) -> str:
    """'1 / 2 điểm'."""
    return f"{num(value)} / {points(max_points)}"


def _bounded(value: float, max_points: float) -> tuple[float, str]:
    """Clamp to [0, max]; a note when clamped."""
    if value > max_points + _EPS:
        return max_points, " (vượt điểm tối đa, tính bằng điểm tối đa)"
    if value < 0:
        return 0.0, " (không tính điểm âm)"
    return value, ""


def _value_text(value: float, metric: str | None) -> str:
    base = (metric or "").split(":")[0]
    if base in RATIO_METRICS:
        return pct(value, 2)
    return num(value)


def _threshold_text(threshold: float, is_percent: bool) -> str:
    if threshold == BELOW:
        return "dưới các mức trên"
    return f"≥ {num(threshold)} %" if is_percent else f"≥ {num(threshold)}"


def _sentence(build: Callable[P, Evaluation]) -> Callable[P, Evaluation]:
    """The built sentence starts upper-case (its prefix may be empty)."""

    @functools.wraps(build)
    def capitalised(*args: P.args, **kwargs: P.kwargs) -> Evaluation:
        evaluation = build(*args, **kwargs)
        return evaluation._replace(why=evaluation.why[:1].upper() + evaluation.why[1:])

    return capitalised


@_sentence
def _from_scores(
    rule: str,
    max_points: float,
    self_points: float | None,
    appraised_points: float | None,
    answer: str | None,
    prefix: str,
) -> Evaluation:
    """Points from the scoring sheet: appraised if present, else self-assessed; unknown without both."""
    said = _answer(answer)
    if not is_missing(appraised_points):
        value, label = float(appraised_points), "điểm thẩm định"  # type: ignore[arg-type]
    elif not is_missing(self_points):
        value, label = float(self_points), "điểm tự đánh giá"  # type: ignore[arg-type]
    elif rule == "yesno" and said is not None:
        value, label = (max_points if said else 0.0), "trả lời"
    else:
        why = f"{prefix}chưa có điểm tự đánh giá hay thẩm định → chưa xác định (tối đa {points(max_points)})"
        return Evaluation(math.nan, why, "unknown", "none")
    if rule == "yesno":
        yes = value >= max_points - _EPS or said is True
        result = max_points if yes else 0.0
        verdict = "đạt" if yes else "không đạt"
        if label == "trả lời":
            why = f"{prefix}trả lời «{answer}» → {_out_of(result, max_points)}"
            return Evaluation(result, why, "known", "scores")
        why = f"{prefix}theo {label} {num(value)} → {verdict} → {_out_of(result, max_points)}"
        return Evaluation(result, why, "known", "scores")
    result, note = _bounded(value, max_points)
    return Evaluation(result, f"{prefix}theo {label}: {_out_of(result, max_points)}{note}", "known", "scores")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


class RuleInputs(TypedDict, total=False):
    """What a criterion's rule may read besides its metric value (see _evaluate)."""

    metric: str | None
    basis: str | None
    self_points: float | None
    appraised_points: float | None
    not_applicable: bool
    answer: str | None
    apology_missing: bool
    point_kind: str | None


def evaluate_rule(
    rule: str | None,
    max_points: float,
    metric_value: float | None,
    thresholds: str | None,
    *,
    pending: bool = False,
    **inputs: Unpack[RuleInputs],
) -> Evaluation:
    """Likely points of one criterion (see _evaluate), with the official sources first.

    - Appraised points (thẩm định) are final for their criterion and period: the data rule's result
      is kept beside them as a check ("theo số liệu: …", and in `data_points`).
    - `pending`: the evidence (tasks) exists but none has fallen due yet. Without an appraisal the
      criterion is 'pending' ("chưa đến hạn"): left out of the maximum like unknown, never 0.
    """
    # The scoring sheet's answers are read only when the data gives no points.
    scores = RuleInputs(
        self_points=inputs.pop("self_points", None),
        appraised_points=inputs.pop("appraised_points", None),
        answer=inputs.pop("answer", None),
    )
    common = inputs
    if common.get("not_applicable"):
        return _evaluate(rule, max_points, metric_value, thresholds, **common)
    appraised_points = scores.get("appraised_points")
    appraised = not is_missing(appraised_points)
    if pending and not appraised:
        basis = common.get("basis")
        lead = f"{basis} → " if basis else ""
        why = f"{lead}chưa đến hạn → chưa tính vào điểm tối đa (tối đa {points(float(max_points))})"
        return Evaluation(math.nan, why[:1].upper() + why[1:], "pending", "none")
    check = _evaluate(rule, max_points, metric_value, thresholds, **common)
    data_points = check.points if check.source == "data" else math.nan
    if appraised and check.source == "data":
        final = _evaluate(
            rule,
            max_points,
            None,
            thresholds,
            appraised_points=appraised_points,
            answer=scores.get("answer"),
            point_kind=common.get("point_kind"),
        )
        why = f"{final.why} (theo số liệu: {_lower_first(check.why)})"
        return Evaluation(final.points, why, final.status, final.source, data_points)
    if check.source == "data":
        return check._replace(data_points=data_points)
    return _evaluate(rule, max_points, metric_value, thresholds, **common, **scores)


def _evaluate(
    rule: str | None,
    max_points: float,
    metric_value: float | None,
    thresholds: str | None,
    *,
    metric: str | None = None,
    basis: str | None = None,
    self_points: float | None = None,
    appraised_points: float | None = None,
    not_applicable: bool = False,
    answer: str | None = None,
    apology_missing: bool = False,
    point_kind: str | None = None,
) -> Evaluation:
    """Likely points of one criterion, its status and a Vietnamese sentence saying why.

    metric_value, by rule kind:
      bands: the metric (a ratio 0..1 for ratio metrics; percent thresholds compare ratio*100,
             raw thresholds compare the value itself); the highest band reached gives its points.
      yesno: the share of items meeting the condition (e.g. linked tasks done on time); yes iff 1.
      proportional: a ratio; points = ratio * max.
      deduction: the number of events; points = max - per_event * count.
    With metric_value None/NaN (no data, or no metric) the points come from the scores:
    appraised if present, else self-assessed; with neither the criterion is 'unknown'.
    `basis` describes the data behind the metric ("7/40 nhiệm vụ quá hạn") and opens the sentence;
    without a metric value it says why there is no data ("Chưa có nhiệm vụ nào gắn tiêu chí").
    Points are always within [0, max].
    """
    max_points = float(max_points)
    if not_applicable:
        return Evaluation(0.0, "Không áp dụng → không tính vào điểm tối đa", "not_applicable", "none")
    kind = "manual" if point_kind == "survey" or rule is None or is_missing(rule) else str(rule)
    if kind not in {"bands", "yesno", "proportional", "deduction", "manual"}:
        return _from_scores(
            "manual", max_points, self_points, appraised_points, answer, f"Cách tính «{rule}» chưa hỗ trợ → "
        )
    if kind == "manual":
        prefix = "Tiêu chí điều tra xã hội học → " if point_kind == "survey" else "Chấm tay → "
        return _from_scores(kind, max_points, self_points, appraised_points, answer, prefix)

    label = METRICS.get((metric or "").split(":")[0], metric)
    if is_missing(metric_value):
        if basis:
            prefix = f"{basis} → "
        elif metric:
            prefix = f"Chưa có số liệu «{label}» → "
        else:
            prefix = ""
        return _from_scores(kind, max_points, self_points, appraised_points, answer, prefix)

    value = float(metric_value)  # type: ignore[arg-type]
    lead = f"{basis} → " if basis else ""
    try:
        if kind == "bands":
            bands = parse_thresholds(thresholds)
            if not bands:
                raise ValueError("no bands")
        elif kind == "deduction":
            step = per_event(thresholds)
    except ValueError:
        prefix = f"Ngưỡng «{thresholds or ''}» không đọc được → "
        return _from_scores(kind, max_points, self_points, appraised_points, answer, prefix)

    if kind == "bands":
        shown = _value_text(value, metric)
        earned: float | None = None
        for threshold, band_points, is_percent in bands:
            compared = value * 100 if is_percent else value
            if compared >= threshold - _EPS:
                earned = float(band_points)
                reached = _threshold_text(threshold, is_percent)
                break
        if earned is None:
            lowest = _threshold_text(bands[-1][0], bands[-1][2])
            earned, text = 0.0, f"{lead}{shown} → chưa đạt mức thấp nhất ({lowest})"
        else:
            text = f"{lead}{shown} → đạt mức {reached}"
        earned, note = _bounded(earned, max_points)
        penalty = apology_penalty(thresholds)
        if penalty and apology_missing:
            before = earned
            earned = max(0.0, earned - penalty)
            text += (
                f" → {_out_of(before, max_points)}{note}; có hồ sơ trễ hạn chưa có phiếu xin lỗi (Mẫu 04)"
                f" → trừ {num(penalty)}"
            )
            note = ""
        return Evaluation(earned, f"{text} → {_out_of(earned, max_points)}{note}", "known", "data")

    if kind == "yesno":
        yes = value >= 1 - _EPS
        earned = max_points if yes else 0.0
        shown = lead or f"{pct(value, 2)} đáp ứng → "
        why = f"{shown}{'đạt' if yes else 'không đạt'} → {_out_of(earned, max_points)}"
        return Evaluation(earned, why, "known", "data")

    if kind == "proportional":
        earned, note = _bounded(value * max_points, max_points)
        why = f"{lead}{pct(value, 2)} × {num(max_points)} → {_out_of(earned, max_points)}{note}"
        return Evaluation(earned, why, "known", "data")

    # deduction
    count = max(0.0, value)
    taken = step * count
    earned = max(0.0, max_points - taken)
    floor = " (không thấp hơn 0)" if max_points - taken < 0 else ""
    why = f"{lead}{num(count)} × {num(step)} = trừ {num(taken)} → {_out_of(earned, max_points)}{floor}"
    return Evaluation(earned, why, "known", "data")
