"""Who may do what, with accounts turned on: pages hidden, actions refused on the server, logins throttled,
and no password kept in clear anywhere."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import streamlit as st
import xlsxwriter
from streamlit.testing.v1 import AppTest

from analysis.store import Store
from analysis.workflow import auth, uploads
from analysis.workflow.load import prepare

from .conftest import APP, ROOT

PASSWORDS = {
    "lanh.dao": ("viewer", "Mật-khẩu-xem-2024"),
    "nhap.lieu": ("analyst", "Mật-khẩu-nhập-2024"),
    "quan.tri": ("admin", "Mật-khẩu-quản-trị-2024"),
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def accounts(sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Accounts turned on: a users file with a viewer, an analyst and an admin."""
    path = tmp_path / "config" / "users.toml"
    monkeypatch.setenv("CCHC_USERS_FILE", str(path))
    for name, (role, password) in PASSWORDS.items():
        auth.add_user(name, password, role, display_name=name, path=path)
    st.cache_resource.clear()  # a fresh login throttle for every test
    return path


def _plan_file(tag: str = "") -> bytes:
    rows = [
        ["DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2024"],
        ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành", "Tình trạng"],
        ["I", "CÔNG TÁC CHỈ ĐẠO"],
        [1, f"Ban hành kế hoạch {tag}", "Phòng Nội vụ", "Quý I/2024", "Đã hoàn thành"],
    ]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = book.add_worksheet("NV")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    book.close()
    return buffer.getvalue()


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    return at


def _login(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click().run()
    return at


def _titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def _errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


# Pages -------------------------------------------------------------------------------------------


def test_anonymous_visitor_sees_only_the_login_form(accounts):
    at = _app()
    assert _titles(at) == ["Đăng nhập"]
    assert len(at.file_uploader) == 0 and len(at.metric) == 0
    for page in ("pages/upload.py", "pages/history.py", "pages/overview.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)


def test_viewer_reads_but_cannot_reach_upload_or_history(accounts):
    at = _login(_app(), "lanh.dao", PASSWORDS["lanh.dao"][1])
    assert not at.exception
    assert _titles(at)[0].startswith("Tổng quan")
    for page in ("pages/upload.py", "pages/history.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)
    at.switch_page("pages/tasks.py").run()  # reading is allowed
    assert not at.exception


@pytest.mark.parametrize("page", ["pages/upload.py", "pages/history.py"])
@pytest.mark.parametrize(
    "who", [None, auth.User("lanh.dao", "viewer", "Lãnh đạo")], ids=["anonymous", "viewer"]
)
def test_pages_refuse_by_themselves(accounts, page, who):
    # Even run directly (not through the router), the pages draw nothing but a refusal.
    at = AppTest.from_file(str(ROOT / page), default_timeout=60)
    at.session_state["user"] = who
    at.run()
    assert not at.exception
    assert any("không có quyền" in e for e in _errors(at))
    assert len(at.file_uploader) == 0 and len(at.button) == 0 and len(at.dataframe) == 0


def test_analyst_reaches_both_pages_and_commits_under_own_name(accounts, sample_db):
    at = _login(_app(), "nhap.lieu", PASSWORDS["nhap.lieu"][1])
    at.switch_page("pages/upload.py").run()
    assert _titles(at) == ["Tải dữ liệu"]
    at.file_uploader[0].set_value(("ke_hoach_2024.xlsx", _plan_file("mới"), XLSX)).run()
    next(b for b in at.button if b.label == "Ghi vào cơ sở dữ liệu").click().run()
    assert not at.exception
    newest = Store(sample_db).batches().iloc[0]
    assert (newest["loaded_by"], newest["file_name"]) == ("nhap.lieu", "ke_hoach_2024.xlsx")
    at.switch_page("pages/history.py").run()
    assert _titles(at) == ["Lịch sử nạp"]


# Actions refused on the server ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", [None, auth.User("lanh.dao", "viewer", "Lãnh đạo")], ids=["anonymous", "viewer"]
)
def test_actions_are_refused_server_side(accounts, sample_db, who):
    store = Store(sample_db)
    sizes = store.table_sizes()
    data = _plan_file("x")
    prepared = prepare(store, data, "ke_hoach.xlsx")
    old = int(store.batches("tasks").query("not current")["batch_id"].iloc[0])
    current = int(
        store.batches("tasks").query("current and year == 2024")["batch_id"].iloc[0]
    )  # the plan below is 2024
    with pytest.raises(auth.AuthError):
        uploads.check_upload(store, data, "ke_hoach.xlsx", who)
    with pytest.raises(auth.AuthError):
        uploads.commit_upload(store, prepared, who)
    with pytest.raises(auth.AuthError):
        uploads.commit_upload(store, prepared, who, force=True)
    with pytest.raises(auth.AuthError):
        uploads.rollback_batch(store, old, who)
    with pytest.raises(auth.AuthError):
        uploads.undo_batch(store, current, who)
    assert store.table_sizes() == sizes
    # The same calls go through for an analyst (the refusal is about the role, not the data).
    analyst = auth.User("nhap.lieu", "analyst", "Chuyên viên")
    assert uploads.check_upload(store, data, "ke_hoach.xlsx", analyst).ok
    assert len(uploads.commit_upload(store, prepared, analyst)) == 1
    uploads.rollback_batch(store, current, analyst)


# Sign-in -------------------------------------------------------------------------------------------


def test_wrong_passwords_are_refused_then_throttled(accounts):
    at = _app()
    _login(at, "nhap.lieu", "sai-mật-khẩu")
    assert _errors(at) == ["Sai tên đăng nhập hoặc mật khẩu."]  # Vietnamese only on pages
    assert _titles(at) == ["Đăng nhập"]
    # An unknown user gets the very same message.
    _login(at, "khong.co.ai", "bất-kỳ-mật-khẩu")
    assert _errors(at) == ["Sai tên đăng nhập hoặc mật khẩu."]  # Vietnamese only on pages
    for _ in range(4):  # failures 2 to 5 for this username
        _login(at, "nhap.lieu", "sai-mật-khẩu")
    _login(at, "nhap.lieu", PASSWORDS["nhap.lieu"][1])  # the right password, too late
    assert len(_errors(at)) == 1 and _errors(at)[0].startswith("Đăng nhập sai quá nhiều lần")
    assert _titles(at) == ["Đăng nhập"]
    # Another account is not locked by someone else's failures.
    _login(at, "lanh.dao", PASSWORDS["lanh.dao"][1])
    assert _titles(at)[0].startswith("Tổng quan")


def test_no_password_is_stored_in_clear(accounts, sample_db):
    at = _login(_app(), "nhap.lieu", PASSWORDS["nhap.lieu"][1])
    at.switch_page("pages/upload.py").run()
    at.file_uploader[0].set_value(("ke_hoach_2024.xlsx", _plan_file("y"), XLSX)).run()
    next(b for b in at.button if b.label == "Ghi vào cơ sở dữ liệu").click().run()
    assert not at.exception
    users_text = accounts.read_text(encoding="utf-8")
    assert users_text.count("$2b$") == len(PASSWORDS)
    files = [accounts, *sample_db.parent.glob(f"{sample_db.name}*")]
    assert len(files) >= 2
    for path in files:
        blob = path.read_bytes()
        for _, password in PASSWORDS.values():
            for encoding in ("utf-8", "utf-16-le"):
                assert password.encode(encoding) not in blob, f"{password!r} found in {path.name}"
    assert (accounts.stat().st_mode & 0o777) == 0o600


# Accounts changed while a tab is open; hostile URL parameters -----------------------------------------


def test_a_demoted_analyst_loses_upload_and_history_in_an_open_tab(accounts):
    at = _login(_app(), "nhap.lieu", PASSWORDS["nhap.lieu"][1])
    at.switch_page("pages/upload.py").run()
    assert _titles(at) == ["Tải dữ liệu"]
    auth.remove_user("nhap.lieu", path=accounts)
    auth.add_user("nhap.lieu", PASSWORDS["nhap.lieu"][1], "viewer", display_name="nhap.lieu", path=accounts)
    at.run()  # the next interaction of the same tab
    assert not at.exception
    assert "Tải dữ liệu" not in _titles(at)
    for page in ("pages/upload.py", "pages/history.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)


def test_a_removed_user_is_signed_out_at_the_next_run(accounts):
    at = _login(_app(), "nhap.lieu", PASSWORDS["nhap.lieu"][1])
    assert _titles(at)[0].startswith("Tổng quan")
    auth.remove_user("nhap.lieu", path=accounts)
    at.run()
    assert _titles(at) == ["Đăng nhập"]


@pytest.mark.parametrize(
    "params",
    [{"year": "²"}, {"year": "٢٠٢٤"}, {"q": "²"}, {"q": "9"}, {"year": "9" * 400}, {"asof": "0001-01-01"}],
    ids=["superscript-year", "arabic-year", "superscript-quarter", "quarter-9", "long-year", "year-1"],
)
def test_hostile_url_parameters_fall_back_to_defaults(sample_db, params):
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    assert _titles(at)[0].startswith("Tổng quan")
