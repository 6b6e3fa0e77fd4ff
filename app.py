"""Chỉ số CCHC dashboard: router and sidebar. Run with `streamlit run app.py`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import streamlit as st

from analysis import facade, fmt
from analysis.facade import StoreError, auth, plain_int, quarter_end
from pages import common

HERE = Path(__file__).resolve().parent
PAGES = HERE / "pages"

st.set_page_config(page_title="Chỉ số CCHC", page_icon=":material/insights:", layout="wide")


@st.cache_resource(show_spinner=False)
def _throttle() -> auth.LoginThrottle:
    # One throttle for the whole process, so failed logins count across sessions.
    return auth.LoginThrottle()


def _login() -> auth.User | None:
    """The signed-in user; with no accounts configured, the single local user."""
    if not auth.accounts_enabled():
        return auth.LOCAL_USER
    if st.session_state.get("user"):
        # Read again on every run: a removed or demoted account loses its access at once.
        user = auth.refresh(st.session_state["user"])
        if user is None:
            st.session_state.pop("user", None)
        return user
    return None


def _login_page() -> None:
    st.title("Đăng nhập")
    with st.form("login"):
        username = st.text_input("Tên đăng nhập")
        password = st.text_input("Mật khẩu", type="password")
        submitted = st.form_submit_button("Đăng nhập", type="primary")
    if submitted:
        try:
            st.session_state["user"] = auth.authenticate(
                username, password, _throttle(), client=_client_address()
            )
            st.rerun()
        except auth.AuthError as exc:
            st.error(fmt.vi(exc))


def _client_address() -> str | None:
    """The browser's address, so a sign-in lockout holds per name and address (None when unknown)."""
    try:
        address = st.context.ip_address
    except AttributeError:
        return None
    return address if isinstance(address, str) and address else None


def _first_start() -> None:
    """An empty database gets the bundled, illustrative sample (unless CCHC_NO_SAMPLE is set)."""
    store = common.store()
    if facade.sample_wanted(store):
        with st.spinner("Đang nạp số liệu minh họa lần đầu…"):
            facade.load_sample(store)


def _param(name: str) -> str | None:
    value = st.query_params.get(name)
    return value if value else None


def _sidebar() -> common.Context | None:
    """Year, quarter (or date), unit kind and unit, mirrored in the URL so a view can be shared."""
    store = common.store()
    years = store.years()
    if not years:
        st.session_state.pop("context", None)
        return None
    sb = st.sidebar
    want_year = _param("year")
    year_index = years.index(plain_int(want_year)) if plain_int(want_year) in years else 0
    year = sb.selectbox("Năm", years, index=year_index, key="year_select")
    common.choose_plan(year)
    data = common.year_data(year)
    last = facade.latest_quarter(data)
    quarters = [1, 2, 3, 4]
    want_q = _param("q")
    q_default = plain_int(want_q) if plain_int(want_q) in quarters else last
    quarter = sb.selectbox(
        "Quý",
        quarters,
        index=q_default - 1,
        format_func=lambda q: fmt.quarter_label(q, year),
        key="quarter_select",
    )
    as_of = quarter_end(year, quarter)
    want_date = _param("asof")
    use_date = sb.toggle("Chọn ngày cụ thể", value=bool(want_date), key="use_date")
    if use_date:
        try:
            default_date = date.fromisoformat(want_date) if want_date else as_of
        except ValueError:
            default_date = as_of
        if default_date.year != year:  # ?asof=0001-01-01 or a date of another year
            default_date = as_of
        as_of = sb.date_input("Số liệu đến ngày", value=default_date, format="DD/MM/YYYY", key="asof_select")
        quarter = (as_of.month - 1) // 3 + 1
    kinds = list(common.UNIT_KIND_OPTIONS)
    want_kind = _param("kind")
    unit_kind = sb.selectbox(
        "Loại đơn vị",
        kinds,
        index=kinds.index(want_kind) if want_kind in kinds else 0,
        format_func=common.UNIT_KIND_OPTIONS.get,
        key="kind_select",
    )
    units = facade.unit_choices(data, unit_kind)
    whole = facade.organisation(data, as_of).whole_label
    # A commune's dashboard on a shared store: «Toàn xã» is the commune's own data.
    own = facade.own_unit(data, as_of)
    options = [whole, *(u for u in units if u != own)]
    want_unit = _param("unit")
    unit_label = sb.selectbox(
        "Đơn vị",
        options,
        index=options.index(want_unit) if want_unit in options else 0,
        key="unit_select",
    )
    unit = own if unit_label == whole else unit_label
    params = {"year": str(year), "q": str(quarter), "kind": unit_kind}
    if use_date:
        params["asof"] = as_of.isoformat()
    if unit and unit != own:
        params["unit"] = unit
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)
    ctx = common.Context(year, quarter, as_of, unit_kind, unit, whole, own)
    st.session_state["context"] = ctx
    return ctx


def main() -> None:
    user = _login()
    if user is None:
        st.navigation([st.Page(_login_page, title="Đăng nhập", icon=":material/login:")]).run()
        return
    st.session_state["user"] = user
    _first_start()
    # Read once per run: every cached computation is keyed by it, so a commit shows at once.
    st.session_state["data_version"] = common.store().version()
    pages = [
        st.Page(
            PAGES / "overview.py",
            title="Tổng quan",
            icon=":material/dashboard:",
            url_path="tong-quan",
            default=True,
        ),
        st.Page(PAGES / "by_quarter.py", title="Theo quý", icon=":material/timeline:", url_path="theo-quy"),
        st.Page(
            PAGES / "by_unit.py", title="Theo đơn vị", icon=":material/apartment:", url_path="theo-don-vi"
        ),
        st.Page(
            PAGES / "components.py", title="Chỉ số thành phần", icon=":material/rule:", url_path="chi-so"
        ),
        st.Page(PAGES / "tasks.py", title="Nhiệm vụ", icon=":material/checklist:", url_path="nhiem-vu"),
        st.Page(
            PAGES / "dossiers.py", title="Hồ sơ TTHC", icon=":material/assignment_late:", url_path="ho-so"
        ),
        st.Page(
            PAGES / "trend.py", title="Xu hướng nhiều năm", icon=":material/show_chart:", url_path="xu-huong"
        ),
        st.Page(PAGES / "report.py", title="Báo cáo", icon=":material/description:", url_path="bao-cao"),
    ]
    if auth.can(user.role, "upload"):
        pages += [
            st.Page(
                PAGES / "upload.py",
                title="Tải dữ liệu",
                icon=":material/upload_file:",
                url_path="tai-du-lieu",
            ),
            st.Page(PAGES / "history.py", title="Lịch sử nạp", icon=":material/history:", url_path="lich-su"),
        ]
    nav = st.navigation(pages)
    _sidebar()
    sb = st.sidebar
    if not auth.accounts_enabled():
        sb.caption(
            "Chế độ một người dùng cục bộ: chưa bật tài khoản (xem README để bật khi dùng chung máy chủ)."
        )
    else:
        sb.caption(
            f"Đăng nhập: {user.display_name or user.username} ({auth.ROLE_LABELS.get(user.role, user.role)})"
        )
        if sb.button("Đăng xuất", key="logout"):
            st.session_state.pop("user", None)
            st.rerun()
    nav.run()


def _store_busy(exc: StoreError) -> None:
    """The database stayed locked (a large load from the command line): say so, offer a retry."""
    st.warning(
        "Cơ sở dữ liệu đang bận: một lần nạp dữ liệu lớn đang ghi vào đó. Số liệu chưa hiển thị được; "
        "vui lòng chờ ít phút rồi bấm «Thử lại».",
        icon=":material/hourglass_top:",
    )
    del exc  # its text names the server's file path, which is not for every viewer
    if st.button("Thử lại", key="store_retry", type="primary"):
        st.rerun()


try:
    main()
except StoreError as _exc:
    _store_busy(_exc)
