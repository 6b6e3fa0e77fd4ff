"""Accounts, sign-in throttling and permissions (analysis/workflow/auth.py)."""

from __future__ import annotations

import io
import os
import stat
import threading
import tomllib
import unicodedata
from pathlib import Path

import pytest

from analysis.workflow import auth
from analysis.workflow.auth import (
    LOCAL_USER,
    WRONG_CREDENTIALS,
    AuthError,
    LoginThrottle,
    LoginThrottled,
    User,
    accounts_enabled,
    add_user,
    authenticate,
    can,
    list_users,
    load_users,
    remove_user,
    require,
    set_password,
    users_cli,
    users_file,
)

PASSWORD = "Ba-To-2024!"


@pytest.fixture(autouse=True)
def accounts_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own accounts file (not created yet) and cheap bcrypt hashes."""
    path = tmp_path / "config" / "users.toml"
    monkeypatch.setenv("CCHC_USERS_FILE", str(path))
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)  # the bcrypt minimum; 12 in production
    return path


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def fail_logins(throttle: LoginThrottle, times: int, username: str = "an.nv", **kw: str) -> None:
    """`times` logins with a wrong password, each refused for the password, not by the lock."""
    for _ in range(times):
        with pytest.raises(AuthError) as info:
            authenticate(username, "wrong-password", throttle, **kw)
        assert not isinstance(info.value, LoginThrottled)


# --- location and enabled/disabled ----------------------------------------------------------------


def test_users_file_defaults_to_project_config_and_env_overrides(
    monkeypatch: pytest.MonkeyPatch, accounts_path: Path
) -> None:
    assert users_file() == accounts_path
    monkeypatch.delenv("CCHC_USERS_FILE")
    # tests/ and analysis/ are siblings under the project root.
    assert users_file() == Path(__file__).resolve().parents[1] / "config" / "users.toml"


def test_accounts_disabled_when_file_missing_or_empty(accounts_path: Path) -> None:
    assert not accounts_path.exists()
    assert accounts_enabled() is False
    assert load_users() == {}
    accounts_path.parent.mkdir(parents=True)
    accounts_path.write_text("", encoding="utf-8")
    assert accounts_enabled() is False
    accounts_path.write_text("# only a comment\n[users]\n", encoding="utf-8")
    assert accounts_enabled() is False
    add_user("an.nv", PASSWORD, "admin")
    assert accounts_enabled() is True


def test_damaged_file_raises_instead_of_disabling_accounts(accounts_path: Path) -> None:
    # Returning False here would open the app to everyone as the local admin.
    accounts_path.parent.mkdir(parents=True)
    accounts_path.write_text("[users.an\nrole = ", encoding="utf-8")
    with pytest.raises(AuthError, match="bị hỏng"):
        accounts_enabled()


def test_plain_password_typed_into_file_is_rejected(accounts_path: Path) -> None:
    accounts_path.parent.mkdir(parents=True)
    accounts_path.write_text(
        '[users."an.nv"]\nrole = "admin"\npassword_hash = "hunter22"\n', encoding="utf-8"
    )
    with pytest.raises(AuthError, match="'an.nv'.*bcrypt"):
        load_users()


def test_unknown_role_in_file_is_rejected(accounts_path: Path) -> None:
    accounts_path.parent.mkdir(parents=True)
    accounts_path.write_text(
        '[users."an.nv"]\nrole = "superuser"\npassword_hash = "$2b$04$abcdefghijklmnopqrstuu"\n',
        encoding="utf-8",
    )
    with pytest.raises(AuthError, match="superuser"):
        load_users()


# --- add / list / passwd / remove -----------------------------------------------------------------


def test_round_trip_add_list_passwd_remove(accounts_path: Path) -> None:
    assert add_user("an.nv", PASSWORD, "admin", "Nguyễn Văn An") == User("an.nv", "admin", "Nguyễn Văn An")
    add_user("binh_tt", "mat-khau-1", "analyst", "Trần Thị Bình")
    add_user("chu-tich", "mat-khau-2", "viewer")  # no display name: the username is shown
    assert list_users() == [
        User("an.nv", "admin", "Nguyễn Văn An"),
        User("binh_tt", "analyst", "Trần Thị Bình"),
        User("chu-tich", "viewer", "chu-tich"),
    ]

    set_password("binh_tt", "mat-khau-moi")
    assert authenticate("binh_tt", "mat-khau-moi") == User("binh_tt", "analyst", "Trần Thị Bình")
    with pytest.raises(AuthError):
        authenticate("binh_tt", "mat-khau-1")

    remove_user("binh_tt")
    assert [u.username for u in list_users()] == ["an.nv", "chu-tich"]
    with pytest.raises(AuthError, match="binh_tt"):
        remove_user("binh_tt")
    with pytest.raises(AuthError, match="binh_tt"):
        set_password("binh_tt", "mat-khau-moi")


def test_explicit_path_argument_wins_over_env(tmp_path: Path, accounts_path: Path) -> None:
    other = tmp_path / "elsewhere" / "accounts.toml"
    add_user("an.nv", PASSWORD, "admin", path=other)
    assert other.exists() and not accounts_path.exists()
    assert [u.username for u in list_users(path=other)] == ["an.nv"]
    assert authenticate("an.nv", PASSWORD, path=other).role == "admin"


@pytest.mark.parametrize(
    "username",
    ["ab", "a" * 33, "an nv", "nguyễn", "an/nv", "an@ubnd", ""],
)
def test_invalid_usernames_are_refused(username: str) -> None:
    with pytest.raises(AuthError, match="không hợp lệ"):
        add_user(username, PASSWORD, "viewer")


def test_username_limits_are_inclusive() -> None:
    add_user("abc", PASSWORD, "viewer")  # 3 characters: the minimum
    add_user("a" * 32, PASSWORD, "viewer")  # 32 characters: the maximum
    assert len(list_users()) == 2


def test_usernames_are_case_insensitive() -> None:
    add_user("  An.NV ", PASSWORD, "admin")
    assert [u.username for u in list_users()] == ["an.nv"]
    assert authenticate("AN.nv", PASSWORD).username == "an.nv"
    with pytest.raises(AuthError, match="đã tồn tại"):
        add_user("an.nv", PASSWORD, "viewer")


def test_password_length_rules() -> None:
    with pytest.raises(AuthError, match="ít nhất 8"):
        add_user("an.nv", "1234567", "admin")  # 7 characters
    add_user("an.nv", "12345678", "admin")  # 8 characters: accepted
    # 'ễ' is 3 bytes in UTF-8: 25 of them = 75 bytes > bcrypt's 72.
    with pytest.raises(AuthError, match="quá dài"):
        set_password("an.nv", "ễ" * 25)
    # 24 of them = 72 bytes: accepted.
    set_password("an.nv", "ễ" * 24)
    assert authenticate("an.nv", "ễ" * 24).username == "an.nv"


def test_unknown_role_refused() -> None:
    with pytest.raises(AuthError, match="'owner'"):
        add_user("an.nv", PASSWORD, "owner")


def test_duplicate_refused_and_first_account_kept() -> None:
    add_user("an.nv", PASSWORD, "admin", "Nguyễn Văn An")
    with pytest.raises(AuthError, match="đã tồn tại"):
        add_user("an.nv", "another-pass", "viewer", "Kẻ giả mạo")
    assert list_users() == [User("an.nv", "admin", "Nguyễn Văn An")]
    assert authenticate("an.nv", PASSWORD).role == "admin"


def test_last_admin_cannot_be_removed() -> None:
    add_user("an.nv", PASSWORD, "admin")
    add_user("binh_tt", PASSWORD, "analyst")
    with pytest.raises(AuthError, match="quản trị cuối cùng"):
        remove_user("an.nv")
    add_user("cuong", PASSWORD, "admin")
    remove_user("an.nv")  # another admin remains
    with pytest.raises(AuthError, match="quản trị cuối cùng"):
        remove_user("cuong")
    assert [u.username for u in list_users()] == ["binh_tt", "cuong"]


def test_display_names_with_quotes_backslashes_and_accents_survive(accounts_path: Path) -> None:
    name = 'Phòng "Nội vụ" \\ Ba Tơ'
    add_user("noivu", PASSWORD, "viewer", name)
    assert list_users()[0].display_name == name
    # The file is real TOML that any reader understands.
    data = tomllib.loads(accounts_path.read_text(encoding="utf-8"))
    assert data["users"]["noivu"]["display_name"] == name


def test_display_name_white_space_is_tidied() -> None:
    add_user("an.nv", PASSWORD, "admin", "  Nguyễn\nVăn   An ")
    assert list_users()[0].display_name == "Nguyễn Văn An"


# --- what the file holds ------------------------------------------------------------------------


def test_file_never_contains_the_plain_password(accounts_path: Path) -> None:
    add_user("an.nv", PASSWORD, "admin")
    add_user("binh_tt", "Mật-khẩu-Bình", "analyst")
    set_password("an.nv", "doi-mat-khau-2025")
    raw = accounts_path.read_bytes()
    for secret in (PASSWORD, "Mật-khẩu-Bình", "doi-mat-khau-2025"):
        assert secret.encode("utf-8") not in raw
    hashes = [record["password_hash"] for record in load_users().values()]
    assert len(hashes) == 2
    assert all(h.startswith("$2b$") for h in hashes)


def test_same_password_gets_different_salts() -> None:
    add_user("an.nv", PASSWORD, "admin")
    add_user("binh_tt", PASSWORD, "analyst")
    users = load_users()
    assert users["an.nv"]["password_hash"] != users["binh_tt"]["password_hash"]


def test_file_mode_is_0600_even_with_a_permissive_umask(accounts_path: Path) -> None:
    old = os.umask(0)
    try:
        add_user("an.nv", PASSWORD, "admin")
        assert stat.S_IMODE(accounts_path.stat().st_mode) == 0o600
        # A file loosened by hand is tightened again on the next write.
        accounts_path.chmod(0o644)
        set_password("an.nv", "mat-khau-moi")
        assert stat.S_IMODE(accounts_path.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_writes_leave_no_temporary_files(accounts_path: Path) -> None:
    add_user("an.nv", PASSWORD, "admin")
    add_user("binh_tt", PASSWORD, "analyst")
    remove_user("binh_tt")
    assert sorted(p.name for p in accounts_path.parent.iterdir()) == ["users.toml"]


def test_failed_write_keeps_the_old_file(accounts_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_user("an.nv", PASSWORD, "admin")
    before = accounts_path.read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(auth.os, "replace", broken_replace)
    with pytest.raises(OSError):
        add_user("binh_tt", PASSWORD, "analyst")
    assert accounts_path.read_bytes() == before
    assert sorted(p.name for p in accounts_path.parent.iterdir()) == ["users.toml"]


def test_concurrent_additions_are_not_lost() -> None:
    names = [f"user{i:02d}" for i in range(8)]
    errors: list[BaseException] = []

    def add(name: str) -> None:
        try:
            add_user(name, PASSWORD, "viewer")
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert [u.username for u in list_users()] == names


# --- sign-in --------------------------------------------------------------------------------------


def test_authenticate_returns_the_user() -> None:
    add_user("an.nv", PASSWORD, "admin", "Nguyễn Văn An")
    assert authenticate("an.nv", PASSWORD) == User("an.nv", "admin", "Nguyễn Văn An")


def test_wrong_password_and_unknown_user_get_the_same_message() -> None:
    add_user("an.nv", PASSWORD, "admin")
    with pytest.raises(AuthError) as wrong_password:
        authenticate("an.nv", PASSWORD + "x")
    with pytest.raises(AuthError) as unknown_user:
        authenticate("khong.co", PASSWORD)
    assert str(wrong_password.value) == str(unknown_user.value) == WRONG_CREDENTIALS
    assert " / " in WRONG_CREDENTIALS


def test_no_accounts_means_no_one_signs_in() -> None:
    with pytest.raises(AuthError, match="Sai tên đăng nhập"):
        authenticate("local", "anything-at-all")


def test_over_long_password_at_sign_in_is_just_wrong() -> None:
    add_user("an.nv", PASSWORD, "admin")
    with pytest.raises(AuthError) as info:
        authenticate("an.nv", "x" * 100)
    assert str(info.value) == WRONG_CREDENTIALS


def test_password_matches_whatever_unicode_form_was_typed() -> None:
    composed = unicodedata.normalize("NFC", "Quảng-Ngãi-2024")
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    add_user("an.nv", decomposed, "admin")
    assert authenticate("an.nv", composed).username == "an.nv"
    set_password("an.nv", composed)
    assert authenticate("an.nv", decomposed).username == "an.nv"


def test_unknown_user_costs_a_real_bcrypt_check(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without it, "no such user" answers faster than "wrong password" and leaks which names exist.
    add_user("an.nv", PASSWORD, "admin")
    checked: list[bytes] = []
    real_checkpw = auth.bcrypt.checkpw

    def spy(password: bytes, hashed: bytes) -> bool:
        checked.append(hashed)
        return real_checkpw(password, hashed)

    monkeypatch.setattr(auth.bcrypt, "checkpw", spy)
    for name in ("an.nv", "khong.co"):
        with pytest.raises(AuthError):
            authenticate(name, "wrong-password")
    assert len(checked) == 2
    assert all(h.startswith(b"$2b$04$") and len(h) == 60 for h in checked)  # same cost, full hash


def test_throttle_refuses_right_password_after_five_failures_then_releases() -> None:
    add_user("an.nv", PASSWORD, "admin")
    clock = FakeClock()
    throttle = LoginThrottle(clock=clock)
    for second in range(5):  # failures at t = 0, 1, 2, 3, 4
        clock.now = float(second)
        fail_logins(throttle, 1)
    # Locked from the 5th failure (t = 4) until 4 + 15 * 60 = 904.
    clock.now = 5.0
    with pytest.raises(LoginThrottled) as info:
        authenticate("an.nv", PASSWORD, throttle)
    assert "15 phút" in str(info.value)  # 904 - 5 = 899 s, rounded up to 15 minutes
    assert info.value.retry_after == pytest.approx(899.0)
    clock.now = 903.5
    with pytest.raises(LoginThrottled):
        authenticate("an.nv", PASSWORD, throttle)
    clock.now = 904.0
    assert authenticate("an.nv", PASSWORD, throttle).username == "an.nv"


def test_four_failures_do_not_lock() -> None:
    add_user("an.nv", PASSWORD, "admin")
    throttle = LoginThrottle(clock=FakeClock())
    fail_logins(throttle, 4)
    assert authenticate("an.nv", PASSWORD, throttle).username == "an.nv"


def test_only_failures_within_fifteen_minutes_count() -> None:
    add_user("an.nv", PASSWORD, "admin")
    clock = FakeClock()
    throttle = LoginThrottle(clock=clock)
    # Failures at 0, 100, 200, 300 s, then 950. At 950 the one at 0 is 950 s old (not < 900), so
    # only 100, 200, 300, 950 count: 4 < 5, not locked.
    for t in (0, 100, 200, 300, 950):
        clock.now = float(t)
        fail_logins(throttle, 1)
    assert throttle.retry_after("an.nv") == 0
    # One more at 960: 100 (860 s old), 200, 300, 950, 960 all count -> 5, locked.
    clock.now = 960.0
    with pytest.raises(AuthError):
        authenticate("an.nv", "wrong-password", throttle)
    with pytest.raises(LoginThrottled):
        authenticate("an.nv", PASSWORD, throttle)


def test_failure_exactly_fifteen_minutes_old_no_longer_counts() -> None:
    clock = FakeClock()
    throttle = LoginThrottle(clock=clock)
    for t in (0, 1, 2, 3, 900):
        clock.now = float(t)
        throttle.record_failure("an.nv")
    # At 900 the failure at 0 is 900 - 0 = 900 s old: outside the window, so 1, 2, 3, 900 -> 4.
    throttle.check("an.nv")
    clock.now = 901.0
    throttle.record_failure("an.nv")  # 1 is 900 s old now; 2, 3, 900, 901 -> 4 again
    throttle.check("an.nv")
    throttle.record_failure("an.nv")  # 2, 3, 900, 901, 901 -> 5: locked
    with pytest.raises(LoginThrottled):
        throttle.check("an.nv")


def test_success_clears_earlier_failures() -> None:
    add_user("an.nv", PASSWORD, "admin")
    throttle = LoginThrottle(clock=FakeClock())
    fail_logins(throttle, 4)
    authenticate("an.nv", PASSWORD, throttle)
    fail_logins(throttle, 4)  # 4 new failures, not 8
    assert authenticate("an.nv", PASSWORD, throttle).username == "an.nv"


def test_throttle_is_per_username_and_covers_unknown_names() -> None:
    add_user("an.nv", PASSWORD, "admin")
    add_user("binh_tt", PASSWORD, "analyst")
    throttle = LoginThrottle(clock=FakeClock())
    fail_logins(throttle, 5, "AN.NV")  # case does not dodge the limit
    with pytest.raises(LoginThrottled):
        authenticate("an.nv", PASSWORD, throttle)
    assert authenticate("binh_tt", PASSWORD, throttle).username == "binh_tt"
    # Unknown names lock the same way, so the lock does not reveal which accounts exist.
    fail_logins(throttle, 5, "khong.co")
    with pytest.raises(LoginThrottled):
        authenticate("khong.co", "wrong-password", throttle)


def test_throttle_keyed_by_client_when_given() -> None:
    add_user("an.nv", PASSWORD, "admin")
    throttle = LoginThrottle(clock=FakeClock())
    fail_logins(throttle, 5, client="10.0.0.7")
    with pytest.raises(LoginThrottled):
        authenticate("an.nv", PASSWORD, throttle, client="10.0.0.7")
    assert authenticate("an.nv", PASSWORD, throttle, client="10.0.0.8").username == "an.nv"


def test_throttle_limits_are_configurable() -> None:
    clock = FakeClock()
    throttle = LoginThrottle(max_failures=2, window=60, lockout=30, clock=clock)
    throttle.record_failure("an.nv")
    throttle.check("an.nv")  # 1 failure < 2
    throttle.record_failure("an.nv")  # at t = 0: locked until 0 + 30
    with pytest.raises(LoginThrottled, match="1 phút"):  # 30 s rounds up to 1 minute
        throttle.check("an.nv")
    clock.now = 30.0
    throttle.check("an.nv")


# --- permissions --------------------------------------------------------------------------------

# Written out by hand from the brief, not derived from the module's table.
EXPECTED = {
    ("viewer", "view"): True,
    ("viewer", "upload"): False,
    ("viewer", "commit"): False,
    ("viewer", "rollback"): False,
    ("viewer", "manage_users"): False,
    ("analyst", "view"): True,
    ("analyst", "upload"): True,
    ("analyst", "commit"): True,
    ("analyst", "rollback"): True,
    ("analyst", "manage_users"): False,
    ("admin", "view"): True,
    ("admin", "upload"): True,
    ("admin", "commit"): True,
    ("admin", "rollback"): True,
    ("admin", "manage_users"): True,
    (None, "view"): False,
    (None, "upload"): False,
    (None, "commit"): False,
    (None, "rollback"): False,
    (None, "manage_users"): False,
    ("superuser", "view"): False,
    ("", "view"): False,
}


@pytest.mark.parametrize(("role", "action"), sorted(EXPECTED, key=str))
def test_permission_matrix(role: str | None, action: str) -> None:
    assert can(role, action) is EXPECTED[(role, action)]


def test_unknown_action_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="'delete'"):
        can("admin", "delete")


def test_local_user_is_an_admin() -> None:
    assert LOCAL_USER == User("local", "admin", "Người dùng cục bộ")
    assert can(LOCAL_USER.role, "manage_users")


def test_require_refuses_in_vietnamese_with_english() -> None:
    viewer = User("chu-tich", "viewer", "Chủ tịch")
    require(viewer, "view")
    with pytest.raises(AuthError) as info:
        require(viewer, "commit")
    message = str(info.value)
    assert message.startswith("Bạn không có quyền ghi dữ liệu vào kho")
    assert "/ You are not allowed to commit data" in message
    with pytest.raises(AuthError, match="^Bạn không có quyền xem dữ liệu khi chưa đăng nhập"):
        require(None, "view")
    require(User("binh_tt", "analyst", "Bình"), "rollback")
    with pytest.raises(AuthError, match="quản lý tài khoản"):
        require(User("binh_tt", "analyst", "Bình"), "manage_users")


# --- command line -------------------------------------------------------------------------------


def run_cli(argv: list[str], stdin_text: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = users_cli(argv, stdin=io.StringIO(stdin_text), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_add_list_passwd_remove_with_password_stdin() -> None:
    code, out, err = run_cli(
        ["add", "an.nv", "--role", "admin", "--name", "Nguyễn Văn An", "--password-stdin"], PASSWORD + "\n"
    )
    assert (code, err) == (0, "")
    assert "an.nv" in out
    code, _, _ = run_cli(["add", "binh_tt", "--role", "analyst", "--password-stdin"], "mat-khau-1\r\n")
    assert code == 0
    assert authenticate("an.nv", PASSWORD).display_name == "Nguyễn Văn An"
    assert authenticate("binh_tt", "mat-khau-1").role == "analyst"  # the CR LF is not part of it

    code, out, _ = run_cli(["list"])
    assert code == 0
    assert out.splitlines() == ["an.nv\tadmin\tNguyễn Văn An", "binh_tt\tanalyst\tbinh_tt"]

    code, _, _ = run_cli(["passwd", "binh_tt", "--password-stdin"], "mat-khau-moi\n")
    assert code == 0
    assert authenticate("binh_tt", "mat-khau-moi").username == "binh_tt"

    code, _, _ = run_cli(["remove", "binh_tt"])
    assert code == 0
    assert [u.username for u in list_users()] == ["an.nv"]


def test_cli_errors_exit_2_with_message_on_stderr() -> None:
    code, out, err = run_cli(["add", "an.nv", "--role", "admin", "--password-stdin"], "short\n")
    assert code == 2 and out == ""
    assert "ít nhất 8" in err
    run_cli(["add", "an.nv", "--role", "admin", "--password-stdin"], PASSWORD + "\n")
    code, _, err = run_cli(["remove", "an.nv"])
    assert code == 2 and "quản trị cuối cùng" in err
    code, _, err = run_cli(["passwd", "khong.co", "--password-stdin"], PASSWORD + "\n")
    assert code == 2 and "khong.co" in err
    code, _, err = run_cli(["add", "binh_tt", "--role", "viewer", "--password-stdin"], "")
    assert code == 2 and "stdin" in err


def test_cli_bad_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert users_cli(["add", "an.nv"]) == 2  # --role missing
    assert users_cli(["add", "an.nv", "--role", "owner"]) == 2
    assert users_cli([]) == 2
    assert "usage" in capsys.readouterr().err


def test_cli_reads_password_with_getpass(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr(auth.getpass, "getpass", lambda prompt="": next(answers))
    assert run_cli(["add", "an.nv", "--role", "admin"])[0] == 0
    assert authenticate("an.nv", PASSWORD).username == "an.nv"

    answers = iter(["mat-khau-moi", "mat-khau-khac"])
    code, _, err = run_cli(["passwd", "an.nv"])
    assert code == 2 and "không khớp" in err
    assert authenticate("an.nv", PASSWORD).username == "an.nv"  # unchanged


def test_cli_warns_when_no_admin_exists() -> None:
    code, _, err = run_cli(["add", "chu-tich", "--role", "viewer", "--password-stdin"], PASSWORD + "\n")
    assert code == 0
    assert "admin" in err


def test_cli_list_with_no_accounts_says_local_mode() -> None:
    code, out, err = run_cli(["list"])
    assert (code, out) == (0, "")
    assert "cục bộ" in err


def test_cli_file_option(tmp_path: Path, accounts_path: Path) -> None:
    other = tmp_path / "other.toml"
    code, _, _ = run_cli(
        ["--file", str(other), "add", "an.nv", "--role", "admin", "--password-stdin"], PASSWORD
    )
    assert code == 0
    assert other.exists() and not accounts_path.exists()


# --- robustness: stale roles, lockout per address, invisible characters ------------------------------


def test_a_removed_analyst_loses_write_access_at_once(accounts_path: Path) -> None:
    add_user("an.nv", PASSWORD, "analyst", path=accounts_path)
    add_user("quan.tri", PASSWORD, "admin", path=accounts_path)
    signed_in = authenticate("an.nv", PASSWORD)  # the object an open tab keeps
    require(signed_in, "commit")
    remove_user("an.nv", path=accounts_path)
    assert auth.refresh(signed_in) is None
    with pytest.raises(AuthError, match="không còn tồn tại"):
        require(signed_in, "commit")


def test_a_demoted_analyst_keeps_reading_but_cannot_commit(accounts_path: Path) -> None:
    add_user("an.nv", PASSWORD, "analyst", path=accounts_path)
    signed_in = authenticate("an.nv", PASSWORD)
    remove_user("an.nv", path=accounts_path)
    add_user("an.nv", PASSWORD, "viewer", path=accounts_path)
    assert auth.refresh(signed_in) == User("an.nv", "viewer", "an.nv")
    require(signed_in, "view")
    with pytest.raises(AuthError, match="vai trò: viewer"):
        require(signed_in, "commit")


def test_without_accounts_the_given_user_is_kept() -> None:
    user = User("an.nv", "analyst", "An")
    assert auth.refresh(user) == user
    require(user, "commit")


def test_an_attacker_cannot_lock_out_the_real_user_from_another_address(accounts_path: Path) -> None:
    add_user("admin", PASSWORD, "admin", path=accounts_path)
    throttle = LoginThrottle(clock=FakeClock())
    for _ in range(10):
        with pytest.raises(AuthError):
            authenticate("admin", "guess", throttle, client="203.0.113.9")
    with pytest.raises(LoginThrottled):  # the attacker's address is locked for this name
        authenticate("admin", PASSWORD, throttle, client="203.0.113.9")
    assert authenticate("admin", PASSWORD, throttle, client="10.0.0.5").username == "admin"


def test_rotating_user_names_from_one_address_is_throttled(accounts_path: Path) -> None:
    add_user("admin", PASSWORD, "admin", path=accounts_path)
    throttle = LoginThrottle(clock=FakeClock())
    # 4 tries for each of 5 names: never 5 for one name, but 20 from the address.
    for k in range(20):
        with pytest.raises(AuthError) as info:
            authenticate(f"user{k % 5}", "guess", throttle, client="203.0.113.9")
        assert not isinstance(info.value, LoginThrottled)
    with pytest.raises(LoginThrottled):
        authenticate("admin", PASSWORD, throttle, client="203.0.113.9")
    assert authenticate("admin", PASSWORD, throttle, client="10.0.0.5").username == "admin"


def test_the_format_character_list_is_every_category_cf_character() -> None:
    from analysis.text import _FORMAT

    wrong = [
        hex(c)
        for c in range(0x110000)
        if bool(_FORMAT.fullmatch(chr(c))) != (unicodedata.category(chr(c)) == "Cf")
    ]
    assert wrong == []


@pytest.mark.parametrize("mark", ["\u200b", "\u200f", "\ufeff", "\u2060", "\u00ad"])
def test_invisible_characters_are_stripped_from_names(mark: str, accounts_path: Path) -> None:
    from analysis.text import clean

    assert clean(f"Xã Ba Điền{mark}") == "Xã Ba Điền"
    assert clean(f"{mark}Xã Ba {mark}Điền") == "Xã Ba Điền"
    add_user(f"an.nv{mark}", PASSWORD, "analyst", path=accounts_path)
    assert list(load_users(accounts_path)) == ["an.nv"]
    assert authenticate(f"{mark}an.nv", PASSWORD).username == "an.nv"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024", 2024),
        ("4", 4),
        ("²", None),
        ("٣", None),
        ("-1", None),
        ("", None),
        (None, None),
        ("9" * 10, None),
    ],
)
def test_url_numbers_are_plain_ascii_digits(text: str | None, expected: int | None) -> None:
    from analysis.text import plain_int

    assert plain_int(text) == expected
