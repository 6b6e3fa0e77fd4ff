"""The one surface pages and app.py read: typed, cached functions over a year's data.

Every function here calls the same engine function as the CLI and the exports, so the dashboard and
`python -m analysis summary` cannot disagree. Results are cached per `YearData` object (which is
re-read only when the store changes), and shared: callers must not mutate returned frames.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, ParamSpec, TypeVar, cast

import pandas as pd

from analysis import errors as _errors
from analysis import fmt, settings
from analysis.engine import dossiers, history, league, series, year
from analysis.engine.forecast import FORECAST_ASSUMPTION as _forecast_assumption
from analysis.engine.organisation import Organisation
from analysis.engine.organisation import organisation as organisation_of
from analysis.engine.organisation import own_unit as own_unit_of
from analysis.engine.scoring import ATTRIBUTION_NOTE, rank_name
from analysis.engine.tasks import TASK_RULES_VI as _task_rules_vi
from analysis.engine.year import (
    YearData,
    filter_tasks,
    finish_first,
    latest_quarter,
    quarters_available,
    resolve_as_of,
    unit_choices,
    unit_kinds,
    year_data,
)
from analysis.exports import browser as _browser
from analysis.exports import excel, slides
from analysis.exports import notice as _notice
from analysis.exports import pack as _pack
from analysis.exports import report as _report
from analysis.ingest import templates
from analysis.ingest.sheets import sha256_of
from analysis.ingest.validation import problems_frame, report_file_name, report_workbook
from analysis.periods import quarter_end
from analysis.present import dossier_review, tables
from analysis.store import Store, StoreError, default_db_path, plans_of
from analysis.text import plain_int
from analysis.workflow import auth, uploads
from analysis.workflow.diff import diff_against_current, diff_tables, headline_effect
from analysis.workflow.load import load_sample, sample_wanted

_CACHE = 256
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _cached(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """An engine entry point cached per arguments, with its own signature and docstring."""
    return cast(Callable[_P, _R], lru_cache(maxsize=_CACHE)(function))


# The engine's entry points, cached per `YearData` (results are shared: callers must not mutate them).
summary = _cached(year.summary)
criteria = _cached(year.criteria)
points_at_stake = _cached(year.points_at_stake)
overdue_gain = _cached(year.overdue_gain)
task_list = _cached(year.task_list)


def what_if(
    data: YearData, as_of: date, done_codes: Iterable[str], unit: str | None = None
) -> dict[str, Any]:
    """The likely total if the given tasks were done by the cut-off."""
    return _what_if(data, as_of, tuple(sorted(done_codes)), unit)


@lru_cache(maxsize=_CACHE)
def _what_if(data: YearData, as_of: date, codes: tuple[str, ...], unit: str | None) -> dict[str, Any]:
    return year.what_if(data, as_of, codes, unit)


# Quarter by quarter, then unit by unit.
quarter_series = _cached(series.quarter_series)
area_deductions_by_quarter = _cached(series.area_deductions_by_quarter)


def excel_bytes(frames: dict[str, pd.DataFrame], title: str) -> bytes:
    """A workbook of the given tables with Vietnamese headers (text kept as text)."""
    return excel.to_excel_bytes(frames, title)


unit_league = _cached(league.unit_league)
unit_area_matrix = _cached(league.unit_area_matrix)
commune_index = _cached(league.commune_index)
unit_detail = _cached(tables.unit_detail)


def organisation(data: YearData, as_of: date) -> Organisation:
    """The organisation the dashboard serves on a date (settings, else the units file)."""
    return _organisation(data, as_of, settings.organisation_setting())


@lru_cache(maxsize=_CACHE)
def _organisation(data: YearData, as_of: date, configured: tuple[str, str, str]) -> Organisation:
    # `configured` is part of the key so a changed setting (tests, a restart) is read again.
    return organisation_of(data.units, as_of)


@lru_cache(maxsize=_CACHE)
def own_unit(data: YearData, as_of: date) -> str | None:
    """The organisation's own unit when this year's data holds it as a unit (e.g. «Xã Ba Vì»)."""
    return own_unit_of(organisation(data, as_of), unit_choices(data, "all"))


def organisation_label(store: Store | None = None) -> str:
    """«Toàn …» without a year's data at hand (settings, else the store's units file today)."""
    units = store.units() if store is not None else None
    return organisation_of(units, date.today()).whole_label


forecast_by_area = _cached(year.forecast_by_area)
remediation = _cached(year.remediation)


def remediation_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The tracker with Vietnamese headers, for the page and the Excel export."""
    return tables.remediation_table(frame)


removed_from_plan = _cached(year.removed_from_plan)


def plans(store: Store, year: int) -> list[str]:
    """The units that loaded their own plan for the year (the organisation's plan is implied)."""
    return plans_of(store, year)


TASK_RULES_VI = _task_rules_vi  # «Cách tính»: the official task semantics, said on the pages
FORECAST_ASSUMPTION = _forecast_assumption

late_units_for_export = excel.late_units_for_export
task_list_for_export = excel.task_list_for_export
quarter_deck = slides.quarter_deck

__all__ = [
    "auth",
    "diff_against_current",
    "diff_tables",
    "headline_effect",
    "load_sample",
    "problems_frame",
    "report_file_name",
    "report_workbook",
    "sample_wanted",
    "sha256_of",
    "templates",
    "uploads",
    "ATTRIBUTION_NOTE",
    "Store",
    "YearData",
    "area_deductions_by_quarter",
    "commune_index",
    "criteria",
    "default_db_path",
    "dossier_summary",
    "excel_bytes",
    "forecast_by_area",
    "plans",
    "remediation",
    "removed_from_plan",
    "remediation_table",
    "FORECAST_ASSUMPTION",
    "TASK_RULES_VI",
    "filter_tasks",
    "finish_first",
    "late_units",
    "late_units_for_export",
    "latest_quarter",
    "organisation",
    "organisation_label",
    "own_unit",
    "Organisation",
    "overdue_gain",
    "points_at_stake",
    "quarter_deck",
    "quarter_end",
    "quarter_series",
    "quarters_available",
    "rank_name",
    "resolve_as_of",
    "summary",
    "task_list",
    "task_list_for_export",
    "unit_area_matrix",
    "unit_choices",
    "unit_detail",
    "unit_kinds",
    "unit_league",
    "what_if",
    "year_data",
]


# Workbooks the pages offer, built once for the pages and the CLI `export` command ------------------


@dataclass(frozen=True)
class Workbook:
    """An Excel export: its sheets, the title row above them and the file name offered."""

    frames: dict[str, pd.DataFrame]
    title: str
    file_name: str

    def to_bytes(self) -> bytes:
        return excel.to_excel_bytes(self.frames, self.title)


def tasks_workbook(data: YearData, as_of: date, shown: pd.DataFrame | None = None) -> Workbook:
    """The task list with each task's state at as_of (shown: the page's filtered rows; default all)."""
    tasks = task_list(data, as_of) if shown is None else shown
    return Workbook(
        {"Nhiệm vụ": tables.task_table(tasks)},
        f"DANH SÁCH NHIỆM VỤ CCHC NĂM {data.year} (tình trạng đến {fmt.vdate(as_of)})",
        f"nhiem-vu-{data.year}-{as_of.isoformat()}.xlsx",
    )


def late_units_workbook(data: YearData, as_of: date, quarter: int) -> Workbook:
    """The list of late units the directive asks to publish."""
    return Workbook(
        {"Đơn vị chậm trễ": excel.late_units_for_export(late_units(data, as_of))},
        f"DANH SÁCH ĐƠN VỊ CHẬM TRỄ — {fmt.quarter_label(quarter, data.year).upper()} "
        f"(số liệu đến {fmt.vdate(as_of)})",
        f"don-vi-cham-tre-{data.year}-q{quarter}.xlsx",
    )


def criteria_workbook(data: YearData, as_of: date, quarter: int, unit: str | None = None) -> Workbook:
    """Every criterion with its maximum, points, likely points, deduction and why."""
    who = unit or organisation(data, as_of).whole_label
    return Workbook(
        {"Tiêu chí": tables.criteria_table(criteria(data, as_of, unit))},
        f"CHỈ SỐ THÀNH PHẦN — {fmt.quarter_label(quarter, data.year).upper()} — {who} "
        f"(số liệu đến {fmt.vdate(as_of)})",
        f"chi-so-thanh-phan-{data.year}-q{quarter}.xlsx",
    )


# StoreError and plain_int: what app.py needs for a busy database and for URL parameters.
__all__ += [
    "StoreError",
    "Workbook",
    "criteria_workbook",
    "late_units_workbook",
    "plain_int",
    "tasks_workbook",
]
# More than one year ------------------------------------------------------------------------------


same_quarter_last_year = _cached(history.same_quarter_last_year)


def trend(years: Iterable[YearData], unit: str | None = None) -> pd.DataFrame:
    """Per year and area: the likely index as % of that year's applicable max, and done ÷ due."""
    return _trend(tuple(years), unit)


@lru_cache(maxsize=_CACHE)
def _trend(years: tuple[YearData, ...], unit: str | None) -> pd.DataFrame:
    return history.trend(list(years), unit)


@lru_cache(maxsize=_CACHE)
def rolled_up_tasks(before: YearData, on: date) -> pd.DataFrame:
    """The earlier year's task counts summed into the units that exist on `on` (today's communes)."""
    return history.rolled_up_tasks(before, resolve_as_of(before), on)


@lru_cache(maxsize=_CACHE)
def rolled_up_index(before: YearData, on: date) -> pd.DataFrame:
    """The earlier year's commune indices beside today's commune: compared (lowest, highest), not summed."""
    as_of = resolve_as_of(before)
    return history.rolled_up_index(league.commune_index(before, as_of), before.units, as_of, on)


def published_results(store: Store) -> pd.DataFrame:
    """Every year's official results as announced by the province (dataset «Kết quả công bố»)."""
    return store.current("results")


def standing(store: Store, name: str) -> pd.DataFrame:
    """Where a unit stood among its peers in each year's published results."""
    return history.standing(published_results(store), name)


ROLLUP_RULE = history.ROLLUP_RULE
TREND_RULE = history.TREND_RULE


# The weekly dossier review (Hồ sơ TTHC) ----------------------------------------------------------

DOSSIER_METRIC_PREFIXES = ("dossier_on_time", "dossier_online")


late_units = _cached(dossiers.late_units)
dossier_summary = _cached(dossiers.dossier_summary)


@lru_cache(maxsize=_CACHE)
def dossier_weeks(data: YearData, until: date) -> list[tuple[int, int, str]]:
    """(ISO year, week, 'Tuần 26/2024 (24/6–30/6/2024)') of the year up to `until`, newest first."""
    weeks = dossiers.weeks_of_year(data.year, until)
    return [(y, w, dossiers.week_label(y, w)) for y, w in reversed(weeks)]


def dossier_period_choices(kind: str, year_: int, until: date) -> list[tuple[int, str]]:
    """(number, label) of the months or quarters of a year up to `until`, newest first."""
    last = 12 if kind == "month" else 4
    choices = [
        (n, dossiers.period_label(kind, year_, n))
        for n in range(1, last + 1)
        if dossiers.period_span(kind, year_, n)[0] <= until
    ]
    return list(reversed(choices)) or [(1, dossiers.period_label(kind, year_, 1))]


@lru_cache(maxsize=_CACHE)
def dossier_late_list(
    data: YearData, kind: str, iso_year: int, number: int, unit: str | None = None
) -> dict[str, Any]:
    """The late list of a week (kind 'week': ISO year and week), month or quarter: the CLI's JSON."""
    if kind == "week":
        return dossiers.week_late_list(data.dossiers, iso_year, number, unit)
    start, end = dossiers.period_span(kind, iso_year, number)
    code = f"{iso_year}-{'M' if kind == 'month' else 'Q'}{number:02d}"
    return dossiers.late_list(
        data.dossiers, start, end, period=code, label=dossiers.period_label(kind, iso_year, number), unit=unit
    )


def week_of(day: date) -> tuple[int, int]:
    """The ISO week (year, week) containing a day."""
    return dossiers.week_of(day)


@lru_cache(maxsize=_CACHE)
def dossier_weekly_on_time(data: YearData, until: date) -> pd.DataFrame:
    """Per unit and ISO week up to `until`: resolved, on time, on-time rate."""
    return dossiers.weekly_on_time(data.dossiers, data.year, until)


@lru_cache(maxsize=_CACHE)
def dossier_on_time_bands(data: YearData) -> list[tuple[float, float]]:
    """(ratio, points) bands of the year's on-time criterion, highest first."""
    return dossiers.on_time_bands(data.framework)


@lru_cache(maxsize=_CACHE)
def dossier_points(data: YearData, as_of: date) -> pd.DataFrame:
    """The dossier criteria (on time, online, Mẫu 04 clause) as the data stands at as_of."""
    frame = criteria(data, as_of)
    if frame.empty:
        return frame
    chosen = frame["metric"].fillna("").str.startswith(DOSSIER_METRIC_PREFIXES)
    return frame[chosen.to_numpy(bool)].reset_index(drop=True)


def late_list_tables(late: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """The late list's tables with Vietnamese headers (page and Excel)."""
    return dossier_review.late_list_tables(late)


def late_list_xlsx(late: dict[str, Any]) -> bytes:
    """The late list as an Excel workbook titled like the notice."""
    from analysis.fmt import vdate

    span = (
        f"Từ ngày {vdate(date.fromisoformat(late['from']))} đến ngày {vdate(date.fromisoformat(late['to']))}"
    )
    return excel.to_excel_bytes(late_list_tables(late), late["title"].upper(), subtitle=span)


def late_list_docx(late: dict[str, Any], data: YearData | None = None) -> bytes:
    """The late list as the Word notice the directive asks to publish."""
    return late_notice_docx(late, data=data)


# --- Periodic report, weekly late-list notice and meeting pack ---------------------------------

UserError = _errors.UserError  # pages catch it around the pack; its `vi` is the message to show
REPORT_SECTIONS: dict[str, str] = _report.SECTIONS
PACK_FORMATS: dict[str, tuple[str, str]] = _pack.FORMATS
ReportContent = _report.ReportContent
PackFile = _pack.PackFile


report_content = _report.report_content  # the quarter's report as text (the page's preview)
pack_file = (
    _pack.pack_file
)  # one file of the meeting pack: 'docx' / 'pdf' report, 'pptx' deck or 'zip' of PNGs


def chart_browser() -> tuple[bool, str]:
    """Whether charts can be drawn (a Chrome / Chromium / Edge is found), and what to install if not."""
    return _browser.find_browser() is not None, _browser.install_hint()


def late_notice_docx(late: dict[str, Any], draft: bool = False, data: YearData | None = None) -> bytes:
    """The weekly notice of units and officials late with dossiers, from the late-list dict; `data`
    gives the units file that names the issuing organisation when the settings do not."""
    return _notice.notice_docx(late, draft=draft, units=None if data is None else data.units)
