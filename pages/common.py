"""Shared page plumbing: the store, cached year data, the sidebar context and small drawing helpers.

Layout only: every number comes from analysis/.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from analysis import facade
from analysis.facade import Store, YearData, auth, default_db_path
from analysis.present import charts, figures
from analysis.schema import UNIT_GROUP_LABELS

UNIT_KIND_OPTIONS = UNIT_GROUP_LABELS


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    return Store(path)


def store() -> Store:
    """The app's store (one per database file and process; CCHC_DB picks the file)."""
    return _store(str(default_db_path()))


@st.cache_resource(show_spinner=False, max_entries=4)
def _year_data(path: str, version: int, year: int, plan: str | None = None) -> YearData:
    # A resource, not cache_data: a province's million dossiers would be unpickled on every call.
    # Nothing downstream mutates these frames (the engine and reports copy before changing).
    return facade.year_data(Store(path), year, plan)


def data_version() -> int:
    """The store's version, read once per script run by app.py (opening the file costs ~60 ms)."""
    version = st.session_state.get("data_version")
    return store().version() if version is None else version


def year_data(year: int) -> YearData:
    """The year's current data (tasks of the chosen plan), re-read only after a commit or rollback."""
    return _year_data(str(store().path), data_version(), year, st.session_state.get("plan"))


@dataclass(frozen=True)
class Context:
    """What the sidebar selected."""

    year: int
    quarter: int
    as_of: date
    unit_kind: str  # 'all' | 'office' | 'commune'
    unit: str | None  # None = the organisation as a whole
    whole: str = ""  # «Toàn xã», «Toàn huyện» … (from facade.organisation)
    whole_unit: str | None = None  # the organisation's own unit when the data holds it (facade.own_unit)

    @property
    def selection(self) -> figures.Selection:
        return figures.Selection(self.year, self.quarter, self.as_of, self.unit, self.whole, self.whole_unit)

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
        return Context(
            self.year,
            self.quarter - 1,
            facade.quarter_end(self.year, self.quarter - 1),
            self.unit_kind,
            self.unit,
            self.whole,
            self.whole_unit,
        )


def context() -> Context | None:
    """The sidebar selection set by app.py (None when there is no data yet)."""
    return st.session_state.get("context")


def user() -> auth.User | None:
    return st.session_state.get("user")


def permitted(action: str, refusal: str) -> auth.User | None:
    """The signed-in user (None in single-user mode) when allowed `action`; otherwise say so and stop."""
    who = user()
    if not auth.can(who.role if who else None, action):
        st.error(refusal)
        st.stop()
    return who


def plot(fig: Any, name: str, empty_message: str = "") -> None:
    """Draw a figure full width with the high-resolution PNG camera button (or say why there is none)."""
    if fig is None:
        if empty_message:
            no_data(empty_message)
        return
    st.plotly_chart(fig, config=charts.export_config(name), key=f"chart-{name}", theme=None)


def chart(fig: Any, kind: str, empty_message: str = "") -> None:
    """`plot` with the PNG named after `kind` and the sidebar's period (figures.file_stem)."""
    ctx = context()
    if ctx is not None:  # pages draw only once require_data has found a context
        plot(fig, figures.file_stem(kind, ctx.selection), empty_message)


def no_data(message: str) -> None:
    st.info(message, icon=":material/info:")


def heading(title: str, caption: str, missing: str | None = None) -> None:
    """The page's title and caption; with `missing` (what is not loaded yet), say so and stop the page."""
    st.title(title)
    st.caption(caption)
    if missing:
        no_data(missing)
        st.stop()


def require_data() -> tuple[Context, YearData] | None:
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
    st.download_button(
        label,
        data=facade.excel_bytes(frames, title),
        file_name=file_name,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=key,
        icon=":material/download:",
    )


def slides_button(ctx: Context) -> None:
    """Build the meeting deck on demand (rendering charts takes a few seconds), then offer it."""
    key = f"deck-{ctx.year}-{ctx.as_of}-{ctx.unit}-{data_version()}"
    if st.button("Tạo bộ trình chiếu (PowerPoint)", icon=":material/slideshow:", key="make_deck"):
        with st.spinner("Đang vẽ biểu đồ cho bộ trình chiếu…"):
            st.session_state[key] = facade.quarter_deck(year_data(ctx.year), ctx.selection)
    if key in st.session_state:
        st.download_button(
            "Tải bộ trình chiếu",
            data=st.session_state[key],
            file_name=f"chi-so-cchc-{ctx.year}-q{ctx.quarter}.pptx",
            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
            key="deck_download",
            icon=":material/download:",
        )


def whole_label() -> str:
    """What the pages call the organisation as a whole («Toàn xã», «Toàn huyện», or its name)."""
    ctx = context()
    if ctx is not None and ctx.whole:
        return ctx.whole
    return facade.organisation_label(store())


ORGANISATION_PLAN = "Kế hoạch chung"


def choose_plan(year: int) -> str | None:
    """The sidebar's plan choice (shown only when units loaded their own plans); None = the organisation's."""
    plans = facade.plans(store(), year)
    if not plans:
        st.session_state["plan"] = None
        return None
    label = st.sidebar.selectbox("Kế hoạch", [ORGANISATION_PLAN, *plans], key="plan_select")
    plan = None if label == ORGANISATION_PLAN else label
    st.session_state["plan"] = plan
    return plan
