"""Shared page plumbing: the store, cached year data, the sidebar context and small drawing helpers.

Layout only: every number comes from analysis/.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from analysis import facade as views
from analysis.present import charts, figures
from analysis.store import Store, default_db_path
from analysis.workflow import auth

UNIT_KIND_OPTIONS = {"all": "Tất cả", "office": "Phòng, ban", "commune": "Xã, thị trấn"}
DISTRICT = figures.DISTRICT_LABEL


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    return Store(path)


def store() -> Store:
    """The app's store (one per database file and process; CCHC_DB picks the file)."""
    return _store(str(default_db_path()))


@st.cache_resource(show_spinner=False, max_entries=4)
def _year_data(path: str, version: int, year: int) -> views.YearData:
    # A resource, not cache_data: a province's million dossiers would be unpickled on every call.
    # Nothing downstream mutates these frames (the engine and reports copy before changing).
    return views.year_data(Store(path), year)


def data_version() -> int:
    """The store's version, read once per script run by app.py (opening the file costs ~60 ms)."""
    version = st.session_state.get("data_version")
    return store().version() if version is None else version


def year_data(year: int) -> views.YearData:
    """The year's current data, re-read only after a commit or rollback."""
    return _year_data(str(store().path), data_version(), year)


def summary(year: int, as_of: date, unit: str | None) -> dict[str, Any]:
    """Cached views.summary: the same numbers as `python -m analysis summary`."""
    return computed("views", "summary", year, as_of, unit)


@dataclass(frozen=True)
class Context:
    """What the sidebar selected."""

    year: int
    quarter: int
    as_of: date
    unit_kind: str  # 'all' | 'office' | 'commune'
    unit: str | None  # None = the district as a whole

    @property
    def selection(self) -> figures.Selection:
        return figures.Selection(self.year, self.quarter, self.as_of, self.unit)

    @property
    def period(self) -> str:
        return self.selection.period

    @property
    def unit_label(self) -> str:
        return self.selection.unit_label

    def previous(self) -> Context | None:
        """The same view one quarter earlier (None before Q1)."""
        if self.quarter <= 1:
            return None
        from analysis.engine.tasks import quarter_end

        return Context(
            self.year, self.quarter - 1, quarter_end(self.year, self.quarter - 1), self.unit_kind, self.unit
        )


def context() -> Context | None:
    """The sidebar selection set by app.py (None when there is no data yet)."""
    return st.session_state.get("context")


def user() -> auth.User | None:
    return st.session_state.get("user")


def plot(fig: Any, name: str, empty_message: str = "") -> None:
    """Draw a figure full width with the high-resolution PNG camera button (or say why there is none)."""
    if fig is None:
        if empty_message:
            no_data(empty_message)
        return
    st.plotly_chart(fig, config=charts.export_config(name), key=f"chart-{name}", theme=None)


def no_data(message: str) -> None:
    st.info(message, icon=":material/info:")


def require_data() -> tuple[Context, views.YearData] | None:
    """The context and data, or a friendly message when nothing is loaded yet."""
    ctx = context()
    if ctx is None:
        no_data(
            "Chưa có số liệu. Chuyên viên có thể nạp tệp ở trang «Tải dữ liệu», "
            "hoặc chạy `python -m analysis load-sample` để xem số liệu minh họa."
        )
        return None
    return ctx, year_data(ctx.year)


def download_excel(label: str, frames: dict[str, pd.DataFrame], title: str, file_name: str, key: str) -> None:
    from analysis.engine.reports import to_excel_bytes

    st.download_button(
        label,
        data=to_excel_bytes(frames, title),
        file_name=file_name,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=key,
        icon=":material/download:",
    )


@st.cache_data(show_spinner=False, max_entries=128)
def _computed(path: str, version: int, module: str, name: str, year: int, args: tuple) -> Any:
    from analysis.engine import reports

    fn = getattr({"views": views, "reports": reports}[module], name)
    return fn(_year_data(path, version, year), *args)


def computed(module: str, name: str, year: int, *args: Any) -> Any:
    """A function of analysis.facade / analysis.engine.reports taking the year's data first, cached until the data changes."""
    return _computed(str(store().path), data_version(), module, name, year, args)


def points_at_stake(year: int, as_of: date, unit: str | None) -> pd.DataFrame:
    return computed("views", "points_at_stake", year, as_of, unit)


def criteria(year: int, as_of: date, unit: str | None) -> pd.DataFrame:
    return computed("views", "criteria", year, as_of, unit)


def quarter_series(year: int, unit: str | None, until: int) -> pd.DataFrame:
    return computed("reports", "quarter_series", year, unit, until)


def area_deductions_by_quarter(year: int, unit: str | None, until: int) -> pd.DataFrame:
    return computed("reports", "area_deductions_by_quarter", year, unit, until)


def slides_button(ctx: Context) -> None:
    """Build the meeting deck on demand (rendering charts takes a few seconds), then offer it."""
    key = f"deck-{ctx.year}-{ctx.as_of}-{ctx.unit}-{data_version()}"
    if st.button("Tạo bộ trình chiếu (PowerPoint)", icon=":material/slideshow:", key="make_deck"):
        from analysis.exports.slides import quarter_deck

        with st.spinner("Đang vẽ biểu đồ cho bộ trình chiếu…"):
            st.session_state[key] = quarter_deck(year_data(ctx.year), ctx.selection)
    if key in st.session_state:
        st.download_button(
            "Tải bộ trình chiếu",
            data=st.session_state[key],
            file_name=f"chi-so-cchc-{ctx.year}-q{ctx.quarter}.pptx",
            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
            key="deck_download",
            icon=":material/download:",
        )
