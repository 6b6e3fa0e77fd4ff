"""Per-dataset post-processing after the columns are converted: task deadlines and statuses, the
hierarchy of framework and score codes, score answers against maxima, unit references, dossier timings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd

from analysis.ingest import parsing
from analysis.ingest._detect import _cell_text
from analysis.ingest.parsing import ParseError
from analysis.schema import METRICS
from analysis.thresholds import ThresholdError, parse_bands


def _refuser(
    problem, excel_rows, c: int, header, en: str, expected: str
) -> Callable[[int, Any, ParseError], None]:
    """How column c reports a cell its parser refused: refuse(k, shown value, error) names the row,
    the column, the value, the parser's reason and the forms it reads."""

    def refuse(k: int, value: Any, exc: ParseError) -> None:
        problem(
            excel_rows[k], c, header.labels.get(c), value=value, message=f"{exc}.", en=en, expected=expected
        )

    return refuse


def _post_tasks(frame, raw, areas, excel_rows, col_of, header, problem, warn, plan_year):
    if "area" in raw:
        areas = _area_column(raw["area"], areas, excel_rows, col_of["area"], header, problem)
    frame["area"] = areas
    c = col_of["deadline_text"]
    refuse = _refuser(problem, excel_rows, c, header, "Cannot parse the deadline.", parsing.DEADLINE_FORMS)
    deadlines, ongoing, texts = [], [], []
    cache: dict[Any, Any] = {}
    for k, value in enumerate(raw["deadline_text"]):
        text = parsing.parse_date(value).strftime("%d/%m/%Y") if _is_date_cell(value) else _cell_text(value)
        texts.append(text or None)
        if not text:
            deadlines.append(None)
            ongoing.append(False)
            continue
        key = (type(value), value)
        try:
            parsed = cache[key] if key in cache else parsing.parse_deadline(value, plan_year)
            cache[key] = parsed
            deadlines.append(parsed.date)
            ongoing.append(parsed.ongoing)
        except ParseError as exc:
            refuse(k, text, exc)
            deadlines.append(None)
            ongoing.append(False)
    frame["deadline_text"] = texts
    frame["deadline"] = deadlines
    frame["ongoing"] = ongoing
    if "status_text" in raw:
        c = col_of["status_text"]
        refuse = _refuser(problem, excel_rows, c, header, "Unknown task status.", parsing.TASK_STATUS_FORMS)
        statuses = []
        for k, value in enumerate(raw["status_text"]):
            try:
                statuses.append(parsing.parse_task_status(value))
            except ParseError as exc:
                refuse(k, _cell_text(value), exc)
                statuses.append(None)
        frame["status"] = statuses
    # Numbering that restarts in each section ("1, 2, … " under I, again under II) -> "II.1".
    codes = frame["code"]
    if codes.duplicated().any() and frame["area"].notna().all():
        per_area_unique = not frame.duplicated(subset=["area", "code"]).any()
        if per_area_unique and frame["area"].nunique() > 1:
            frame["code"] = frame["area"] + "." + codes
            warn(
                None,
                col_of.get("code"),
                header.labels.get(col_of.get("code"), "TT"),
                value=None,
                message="Số thứ tự đánh lại theo từng phần: mã nhiệm vụ được ghép với số La Mã (ví dụ «II.3»).",
                en="Numbering restarts per section: task codes prefixed with the section numeral.",
            )


def _area_column(values, sections, excel_rows, c, header, problem) -> list[str | None]:
    """Areas of a flat export, read from the area column; the section row above a task wins."""
    out: list[str | None] = []
    cache: dict[Any, str | None] = {}
    refuse = _refuser(problem, excel_rows, c, header, "Unknown area.", parsing.AREA_FORMS)
    for k, (value, section) in enumerate(zip(values, sections, strict=True)):
        if section is not None:
            out.append(section)
            continue
        try:
            key = (type(value), value)
            if key not in cache:
                cache[key] = parsing.parse_area(value)
            out.append(cache[key])
        except ParseError as exc:
            refuse(k, _cell_text(value), exc)
            out.append(None)
    return out


def _is_date_cell(value: Any) -> bool:
    return isinstance(value, date) or (
        isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 <= value <= 80000
    )


def _code_parent(code: str, known: set[str], area: str | None) -> str | None:
    if parsing.roman_to_int(code):
        return None
    parts = code.split(".")
    while len(parts) > 1:
        parts = parts[:-1]
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
    return area


def _levels(frame: pd.DataFrame, areas: list[str | None]) -> None:
    codes = [str(c) if c is not None else "" for c in frame["code"]]
    known = set(codes)
    frame["area"] = areas
    frame["parent"] = [_code_parent(c, known, a) for c, a in zip(codes, areas, strict=True)]
    levels = []
    for c in codes:
        if parsing.roman_to_int(c):
            levels.append("area")
        elif c.count(".") >= 2:
            levels.append("sub")
        else:
            levels.append("criterion")
    frame["level"] = levels


def _post_framework(frame, raw, areas, excel_rows, col_of, header, problem, warn, plan_year):
    _levels(frame, areas)
    _check_framework_rows(frame, raw, excel_rows, col_of, problem)
    if "point_kind" in frame:
        frame["point_kind"] = frame["point_kind"].where(frame["point_kind"].notna(), "assessed")
    else:
        frame["point_kind"] = "assessed"
    if "rule" not in frame:
        frame["rule"] = "manual"
    for k in frame.index:
        if frame.at[k, "level"] == "area":
            continue
        rule = frame.at[k, "rule"] or "manual"
        frame.at[k, "rule"] = rule
        thresholds = frame.at[k, "thresholds"] if "thresholds" in frame else None
        metric = frame.at[k, "metric"] if "metric" in frame else None
        c = col_of.get("thresholds")
        if rule in _THRESHOLD_READERS:
            read, en, example = _THRESHOLD_READERS[rule]
            try:
                read(thresholds)
            except ParseError as exc:
                problem(
                    excel_rows[k], c, "Ngưỡng", value=thresholds, message=f"{exc}.", en=en, expected=example
                )
        if rule in ("bands", "proportional", "deduction") and not metric:
            problem(
                excel_rows[k],
                col_of.get("metric"),
                "Chỉ số",
                value="",
                message="Cách tính này cần một chỉ số để đọc.",
                en="This rule needs a metric.",
                expected=", ".join(METRICS.values()),
            )
    # Leaf maxima must add up to the area maximum; a mismatch is worth a warning, not a refusal.
    codes = set(frame["code"])
    parents = set(frame["parent"].dropna())
    for k in frame.index[frame["level"] == "area"]:
        area_code = frame.at[k, "code"]
        leaves = frame[
            (frame["area"] == area_code) & (frame["level"] != "area") & ~frame["code"].isin(parents)
        ]
        total = float(leaves["max_points"].fillna(0).sum())
        declared = frame.at[k, "max_points"]
        if (
            declared is not None
            and not pd.isna(declared)
            and abs(total - float(declared)) > 1e-6
            and len(leaves)
        ):
            warn(
                excel_rows[k],
                col_of.get("max_points"),
                "Điểm tối đa",
                value=declared,
                message=f"Tổng điểm các tiêu chí của lĩnh vực {area_code} là {total:g}, khác điểm tối đa ghi ở lĩnh vực.",
                en="Leaf maxima do not add up to the area maximum.",
            )
    del codes


# The largest maximum a criterion or an area may declare: index sets count 100 (some 1,000) points.
MAX_CRITERION_POINTS = 1000.0


def _check_framework_rows(frame, raw, excel_rows, col_of, problem) -> None:
    """Every criterion belongs to an area, and every maximum is a positive finite number of points."""
    # Criteria before the first area row, when the sheet has areas: that row lacks its Roman numeral.
    # (A framework without any area row, such as the template's example, is grouped as a whole.)
    has_areas = bool((frame["level"] == "area").any())
    orphans = frame.index[
        (frame["level"] != "area") & frame["area"].isna() & frame["code"].notna() & has_areas
    ]
    for k in orphans[:20]:
        problem(
            excel_rows[k],
            col_of.get("code"),
            "Mã",
            value=frame.at[k, "code"],
            message="Tiêu chí nằm ngoài mọi lĩnh vực: dòng lĩnh vực phía trên phải có mã số La Mã.",
            en="Criterion outside any area: the area row above needs a Roman numeral.",
            expected="dòng lĩnh vực mã «I», «II», … trước các tiêu chí",
        )
    for k in frame.index:
        value = frame.at[k, "max_points"]
        if value is None or pd.isna(value):
            continue
        if not 0 < float(value) <= MAX_CRITERION_POINTS:
            problem(
                excel_rows[k],
                col_of.get("max_points"),
                "Điểm tối đa",
                value=_cell_text(raw["max_points"][k]),
                message="Điểm tối đa phải là số dương, không quá 1.000.",
                en="The maximum must be positive and at most 1,000.",
                expected="từ 0 (không kể 0) đến 1.000",
            )


def parse_band_text(text: object) -> list[tuple[float, float, bool]]:
    """'100%: 2; 80%: 1; 0%: 0' -> [(100.0, 2.0, True), (80.0, 1.0, True), (0.0, 0.0, True)], highest first.

    The grammar is analysis.thresholds, the one the rule engine reads; options ('apology: 0.5') are ignored.
    """
    try:
        bands = parse_bands(text)  # not clean(): it would join the lines that separate clauses
    except ThresholdError as exc:
        raise ParseError(exc.vietnamese) from exc
    if not bands:
        raise ParseError("thiếu các mức điểm")
    return [tuple(b) for b in bands]


def _deduction_points(text: object) -> float:
    """The points one event deducts: «0,25»."""
    points = parsing.parse_number(text)
    if points is None:
        raise ParseError("thiếu số điểm trừ mỗi lần")
    return points


# Rules whose thresholds cell must read: its reader, what a refusal says in English, an example.
_THRESHOLD_READERS: dict[str, tuple[Callable[[object], object], str, str]] = {
    "bands": (parse_band_text, "Invalid thresholds.", "«100%: 2; 80%: 1; 0%: 0»"),
    "deduction": (_deduction_points, "Points per event missing.", "«0,25»"),
}


def _post_scores(frame, raw, areas, excel_rows, col_of, header, problem, warn, plan_year):
    _levels(frame, areas)
    na = []
    for name in ("max_points", "self_points", "appraised_points"):
        if name in frame:  # a column of only Có/Không is inferred as text; points are written into it
            frame[name] = frame[name].astype(object)
    for k in frame.index:
        row_na = False
        for name in ("max_points", "self_points", "appraised_points"):
            if name not in frame:
                continue
            maximum = frame.at[k, "max_points"]  # read again: a Có/Không maximum was just refused
            value = frame.at[k, name]
            if value == "NA":
                row_na = True
                frame.at[k, name] = None
            elif value in ("YES", "NO"):
                if name == "max_points":
                    problem(
                        excel_rows[k],
                        col_of[name],
                        "Điểm tối đa",
                        value=_cell_text(raw[name][k]),
                        message="Điểm tối đa phải là số.",
                        en="Maximum must be a number.",
                    )
                    frame.at[k, name] = None
                else:
                    frame.at[k, name] = maximum if value == "YES" else 0.0
        for name in ("self_points", "appraised_points"):
            if name not in frame:
                continue
            value = frame.at[k, name]
            if value is not None and not pd.isna(value) and maximum is not None and not pd.isna(maximum):
                if float(value) > float(maximum) + 1e-9:
                    problem(
                        excel_rows[k],
                        col_of[name],
                        header.labels.get(col_of[name]),
                        value=_cell_text(raw[name][k]),
                        message=f"Điểm vượt điểm tối đa ({parsing_num(maximum)}).",
                        en="Points above the maximum.",
                        expected=f"từ 0 đến {parsing_num(maximum)}",
                    )
                if float(value) < 0:
                    problem(
                        excel_rows[k],
                        col_of[name],
                        header.labels.get(col_of[name]),
                        value=_cell_text(raw[name][k]),
                        message="Điểm âm.",
                        en="Negative points.",
                        expected=f"từ 0 đến {parsing_num(maximum)}",
                    )
        na.append(row_na)
    frame["not_applicable"] = na
    for name in ("max_points", "self_points", "appraised_points"):
        if name in frame:
            frame[name] = pd.to_numeric(frame[name], errors="coerce")


def parsing_num(value: float) -> str:
    from analysis.fmt import num

    return num(value)


def _post_units(frame, raw, areas, excel_rows, col_of, header, problem, warn, plan_year):
    codes = set(frame["code"].dropna())
    for name in ("successor", "parent"):
        if name not in frame:
            continue
        for k, value in frame[name].items():
            if pd.notna(value) and value and value not in codes:
                problem(
                    excel_rows[k],
                    col_of[name],
                    header.labels.get(col_of[name]),
                    value=value,
                    message="Mã đơn vị này không có trong danh sách.",
                    en=f"Unknown unit code in '{name}'.",
                    expected="một mã trong cột «Mã đơn vị»",
                )


def _post_dossiers(frame, raw, areas, excel_rows, col_of, header, problem, warn, plan_year):
    """Settle «Đã giải quyết» without a timing from the dates: returned before the due day is early,
    on the due day on time, after it late. Without both dates the row is an error."""
    if "status" not in frame:
        return
    unqualified = frame.index[frame["status"] == parsing.RESOLVED_UNQUALIFIED]
    if not len(unqualified):
        return
    c = col_of["status"]
    settled = 0
    for k in unqualified:
        due = frame.at[k, "due_at"] if "due_at" in frame else None
        done = frame.at[k, "resolved_at"] if "resolved_at" in frame else None
        if due is None or done is None or pd.isna(due) or pd.isna(done):
            problem(
                excel_rows[k],
                c,
                header.labels.get(c),
                value=_cell_text(raw["status"][k]),
                message="Trạng thái đã giải quyết nhưng không rõ trước hạn, đúng hạn hay quá hạn, và thiếu "
                "ngày hẹn trả hoặc ngày trả kết quả để xác định.",
                en="Resolved without a timing, and the due or resolution date is missing.",
                expected=parsing.DOSSIER_STATUS_FORMS,
            )
            frame.at[k, "status"] = None
            continue
        day, due_day = done.date(), due.date()
        frame.at[k, "status"] = (
            "resolved_early" if day < due_day else "resolved_on_time" if day == due_day else "resolved_late"
        )
        settled += 1
    if settled:
        warn(
            None,
            c,
            header.labels.get(c),
            value=None,
            message=f"{settled} hồ sơ ghi «Đã giải quyết» không rõ thời hạn: đã xác định trước hạn / đúng hạn / quá hạn "
            "theo ngày trả kết quả so với ngày hẹn trả.",
            en=f"{settled} resolved dossiers without a timing were classified from their dates.",
        )


POST = {
    "tasks": _post_tasks,
    "framework": _post_framework,
    "scores": _post_scores,
    "units": _post_units,
    "dossiers": _post_dossiers,
}
