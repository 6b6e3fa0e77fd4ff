"""Accounts and permissions: who may view, upload, commit, roll back and manage users.

Accounts live in a small TOML file outside git (config/users.toml next to the code, or the path in
CCHC_USERS_FILE). Passwords are kept only as salted bcrypt hashes. When the file is missing or holds
no users, accounts are disabled and the app runs as LOCAL_USER (and says so in a banner).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import getpass
import os
import re
import sys
import tempfile
import threading
import time
import tomllib
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO, TypedDict

import bcrypt

from analysis import settings
from analysis.errors import UserError
from analysis.text import clean

ENV_USERS_FILE = "CCHC_USERS_FILE"

Role = Literal["viewer", "analyst", "admin"]
Action = Literal["view", "upload", "commit", "rollback", "manage_users"]

ROLES: tuple[str, ...] = ("viewer", "analyst", "admin")
ROLE_LABELS: dict[str, str] = {
    "viewer": "Lãnh đạo (chỉ xem)",
    "analyst": "Chuyên viên (tải lên, ghi, khôi phục)",
    "admin": "Quản trị (quản lý tài khoản)",
}
# Vietnamese and English wording of each action, used in refusal messages.
ACTIONS: dict[str, tuple[str, str]] = {
    "view": ("xem dữ liệu", "view data"),
    "upload": ("tải tệp lên", "upload files"),
    "commit": ("ghi dữ liệu vào kho", "commit data"),
    "rollback": ("khôi phục dữ liệu về lần ghi trước", "roll back data"),
    "manage_users": ("quản lý tài khoản", "manage user accounts"),
}
PERMISSIONS: dict[str, frozenset[str]] = {
    "viewer": frozenset({"view"}),
    "analyst": frozenset({"view", "upload", "commit", "rollback"}),
    "admin": frozenset({"view", "upload", "commit", "rollback", "manage_users"}),
}

USERNAME_PATTERN = re.compile(r"[a-z0-9._-]{3,32}")
MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_BYTES = 72  # bcrypt refuses longer input rather than silently truncating
MAX_DISPLAY_NAME_CHARS = 100
# Work factor for new hashes; tests lower it to keep the suite fast.
BCRYPT_ROUNDS = 12

WRONG_CREDENTIALS = "Sai tên đăng nhập hoặc mật khẩu. / Wrong username or password."


class AuthError(UserError):
    """A user-facing account or permission problem; message in Vietnamese, English after ' / '."""


class LoginThrottled(AuthError):
    """Too many failed sign-ins for this account; `retry_after` is in seconds."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class User:
    username: str
    role: str
    display_name: str


LOCAL_USER = User("local", "admin", "Người dùng cục bộ")


class UserRecord(TypedDict):
    role: str
    display_name: str
    password_hash: str


# --- file location, reading and writing -------------------------------------------------------


def users_file() -> Path:
    """Path of the accounts file: $CCHC_USERS_FILE if set, else <project>/config/users.toml."""
    return settings.users_file().expanduser()


def _resolve(path: Path | str | None) -> Path:
    return Path(path) if path is not None else users_file()


def load_users(path: Path | str | None = None) -> dict[str, UserRecord]:
    """Accounts by username; empty when the file is missing. A damaged file raises AuthError.

    Raising (rather than returning {}) matters: an unreadable file must not silently turn accounts off.
    """
    file = _resolve(path)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise AuthError(
            f"Không đọc được tệp tài khoản {file}: {exc.strerror}. / Cannot read accounts file {file}."
        ) from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AuthError(
            f"Tệp tài khoản {file} bị hỏng ({exc}). / Accounts file {file} is not valid TOML."
        ) from exc
    table = data.get("users", {})
    if not isinstance(table, dict):
        raise AuthError(
            f"Tệp tài khoản {file}: mục [users] không hợp lệ. / Accounts file {file}: [users] is not a table."
        )
    users: dict[str, UserRecord] = {}
    for name, entry in table.items():
        users[name] = _record_from_toml(file, name, entry)
    return users


def _record_from_toml(file: Path, name: str, entry: object) -> UserRecord:
    def bad(what_vi: str, what_en: str) -> AuthError:
        return AuthError(
            f"Tệp tài khoản {file}, tài khoản '{name}': {what_vi}. / "
            f"Accounts file {file}, user '{name}': {what_en}."
        )

    if not isinstance(entry, dict):
        raise bad("không phải một bảng", "not a table")
    if not USERNAME_PATTERN.fullmatch(name):
        raise bad("tên đăng nhập không hợp lệ", "invalid username")
    role = entry.get("role")
    if role not in ROLES:
        raise bad(f"vai trò '{role}' không hợp lệ", f"unknown role '{role}'")
    password_hash = entry.get("password_hash")
    # A hand-edited plain password would otherwise sit in the file unnoticed.
    if not isinstance(password_hash, str) or not password_hash.startswith(("$2a$", "$2b$", "$2y$")):
        raise bad("thiếu mã băm mật khẩu bcrypt", "password_hash is not a bcrypt hash")
    display_name = entry.get("display_name", "")
    if not isinstance(display_name, str):
        raise bad("họ tên không hợp lệ", "display_name is not a string")
    return UserRecord(role=role, display_name=clean(display_name) or name, password_hash=password_hash)


def _toml_string(value: str) -> str:
    """A TOML basic string: escape backslash, quote and control characters."""
    out = ['"']
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _users_toml(users: dict[str, UserRecord]) -> str:
    lines = [
        "# Tài khoản bảng điều khiển Chỉ số CCHC. Không đưa tệp này vào git.",
        "# Quản lý bằng lệnh: python -m analysis users add|remove|list|passwd",
        "# Chỉ lưu mã băm bcrypt của mật khẩu, không bao giờ lưu mật khẩu gốc.",
        "",
    ]
    for name in sorted(users):
        record = users[name]
        lines += [
            f"[users.{_toml_string(name)}]",
            f"role = {_toml_string(record['role'])}",
            f"display_name = {_toml_string(record['display_name'])}",
            f"password_hash = {_toml_string(record['password_hash'])}",
            "",
        ]
    return "\n".join(lines)


def _write_users(file: Path, users: dict[str, UserRecord]) -> None:
    """Replace the file atomically (temp file + os.replace), readable by its owner only (0600)."""
    file.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)  # mkstemp already uses 0600; be explicit in case of odd umask handling
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(_users_toml(users))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, file)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    os.chmod(file, 0o600)


@contextlib.contextmanager
def _locked(file: Path) -> Iterator[None]:
    """Serialise read-modify-write of the accounts file between processes (CLI and app).

    The lock is taken on the folder, because the file itself is replaced on every write.
    """
    file.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # not POSIX: no inter-process lock, writes stay atomic
        yield
        return
    fd = os.open(file.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


# --- validation ---------------------------------------------------------------------------------


def _username_key(username: str) -> str:
    """Usernames are case-insensitive: trimmed and lowercased before any use."""
    return clean(username).lower()


def _valid_username(username: str) -> str:
    name = _username_key(username)
    if not USERNAME_PATTERN.fullmatch(name):
        raise AuthError(
            f"Tên đăng nhập '{username}' không hợp lệ: cần 3–32 ký tự gồm chữ thường không dấu, "
            "chữ số, dấu chấm, gạch dưới hoặc gạch ngang. / "
            f"Invalid username '{username}': use 3-32 of a-z, 0-9, '.', '_', '-'."
        )
    return name


def _password_bytes(password: str) -> bytes:
    # NFC so the same Vietnamese password typed with composed or decomposed accents matches.
    return unicodedata.normalize("NFC", password).encode("utf-8")


def _valid_password(password: str) -> bytes:
    text = unicodedata.normalize("NFC", password)
    if len(text) < MIN_PASSWORD_CHARS:
        raise AuthError(
            f"Mật khẩu phải có ít nhất {MIN_PASSWORD_CHARS} ký tự. / "
            f"Password must have at least {MIN_PASSWORD_CHARS} characters."
        )
    data = text.encode("utf-8")
    if len(data) > MAX_PASSWORD_BYTES:
        raise AuthError(
            f"Mật khẩu quá dài (tối đa {MAX_PASSWORD_BYTES} byte; chữ có dấu chiếm 2–3 byte). / "
            f"Password too long (at most {MAX_PASSWORD_BYTES} bytes in UTF-8)."
        )
    return data


def _valid_role(role: str) -> str:
    if role not in ROLES:
        raise AuthError(
            f"Vai trò '{role}' không hợp lệ; chọn một trong: {', '.join(ROLES)}. / "
            f"Unknown role '{role}'; use one of: {', '.join(ROLES)}."
        )
    return role


def _valid_display_name(display_name: str, username: str) -> str:
    name = clean(display_name)
    if len(name) > MAX_DISPLAY_NAME_CHARS:
        raise AuthError(
            f"Họ tên quá dài (tối đa {MAX_DISPLAY_NAME_CHARS} ký tự). / "
            f"Display name too long (at most {MAX_DISPLAY_NAME_CHARS} characters)."
        )
    return name or username


def _hash(password: bytes) -> str:
    return bcrypt.hashpw(password, bcrypt.gensalt(BCRYPT_ROUNDS)).decode("ascii")


def _unknown_user(username: str) -> AuthError:
    return AuthError(f"Không có tài khoản '{username}'. / No user '{username}'.")


# --- account management -------------------------------------------------------------------------


def accounts_enabled(path: Path | str | None = None) -> bool:
    """True when the accounts file holds at least one user; a damaged file raises AuthError."""
    return bool(load_users(path))


@contextlib.contextmanager
def _editing(path: Path | str | None, existing: str | None = None) -> Iterator[dict[str, UserRecord]]:
    """The accounts, locked and loaded for a change (with `existing`: that account must exist), written
    back when the block ends without an error."""
    file = _resolve(path)
    with _locked(file):
        users = load_users(file)
        if existing is not None and existing not in users:
            raise _unknown_user(existing)
        yield users
        _write_users(file, users)


def list_users(path: Path | str | None = None) -> list[User]:
    """All accounts, sorted by username (no password hashes)."""
    users = load_users(path)
    return [User(name, users[name]["role"], users[name]["display_name"]) for name in sorted(users)]


def add_user(
    username: str, password: str, role: str, display_name: str = "", path: Path | str | None = None
) -> User:
    """Create an account; raises AuthError on a bad or duplicate username, short password or bad role."""
    name = _valid_username(username)
    secret = _valid_password(password)
    role = _valid_role(role)
    shown = _valid_display_name(display_name, name)
    with _editing(path) as users:
        if name in users:
            raise AuthError(f"Tài khoản '{name}' đã tồn tại. / User '{name}' already exists.")
        users[name] = UserRecord(role=role, display_name=shown, password_hash=_hash(secret))
    return User(name, role, shown)


def remove_user(username: str, path: Path | str | None = None) -> None:
    """Delete an account; the last admin cannot be removed."""
    name = _username_key(username)
    with _editing(path, name) as users:
        admins = [n for n, record in users.items() if record["role"] == "admin"]
        if admins == [name]:
            raise AuthError(
                f"Không thể xoá '{name}': đây là tài khoản quản trị cuối cùng. / "
                f"Cannot remove '{name}': it is the last admin."
            )
        del users[name]


def set_password(username: str, password: str, path: Path | str | None = None) -> None:
    """Replace an account's password (new salt, new hash)."""
    name = _username_key(username)
    secret = _valid_password(password)
    with _editing(path, name) as users:
        users[name] = UserRecord(
            role=users[name]["role"], display_name=users[name]["display_name"], password_hash=_hash(secret)
        )


# --- sign-in ------------------------------------------------------------------------------------


ANY_NAME = "\x00any"  # the throttle key of a client address across every user name


class LoginThrottle:
    """In-process limiter: after `max_failures` failed sign-ins within `window` seconds for one key
    (username, optionally with client), every attempt is refused for `lockout` seconds.

    One instance must be shared by the whole process (all sessions); it is thread-safe.
    """

    def __init__(
        self,
        max_failures: int = 5,
        window: float = 15 * 60,
        lockout: float = 15 * 60,
        clock: Callable[[], float] = time.monotonic,
        max_client_failures: int = 20,
    ) -> None:
        self.max_failures = max_failures
        # Failures from one client address across every name: rotating names is throttled too.
        self.max_client_failures = max_client_failures
        self.window = window
        self.lockout = lockout
        self._clock = clock
        self._failures: dict[tuple[str, str], list[float]] = {}
        self._locked_until: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(username: str, client: str | None) -> tuple[str, str]:
        return (_username_key(username), client or "")

    def _prune(self, now: float) -> None:
        for key in [k for k, until in self._locked_until.items() if until <= now]:
            del self._locked_until[key]
            self._failures.pop(key, None)
        for key in list(self._failures):
            recent = [t for t in self._failures[key] if now - t < self.window]
            if recent:
                self._failures[key] = recent
            else:
                del self._failures[key]

    def retry_after(self, username: str, client: str | None = None) -> float:
        """Seconds until this key may try again; 0 when it is not locked.

        With a client address, the key is (name, address): failures from one address never lock the
        same name signing in from another, so nobody can keep a real user locked out from afar.
        """
        with self._lock:
            now = self._clock()
            self._prune(now)
            until = self._locked_until.get(self._key(username, client), now)
            if client:
                until = max(until, self._locked_until.get((ANY_NAME, client), now))
            return max(0.0, until - now)

    def check(self, username: str, client: str | None = None) -> None:
        """Raise LoginThrottled while this key is locked out."""
        wait = self.retry_after(username, client)
        if wait > 0:
            minutes = max(1, -(-int(wait) // 60))  # round up to whole minutes
            raise LoginThrottled(
                f"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút. / "
                f"Too many failed sign-ins. Try again in {minutes} minutes.",
                retry_after=wait,
            )

    def record_failure(self, username: str, client: str | None = None) -> None:
        with self._lock:
            now = self._clock()
            self._prune(now)
            keys = [(self._key(username, client), self.max_failures)]
            if client:
                keys.append(((ANY_NAME, client), self.max_client_failures))
            for key, limit in keys:
                failures = self._failures.setdefault(key, [])
                failures.append(now)
                if len(failures) >= limit:
                    self._locked_until[key] = now + self.lockout

    def record_success(self, username: str, client: str | None = None) -> None:
        with self._lock:
            key = self._key(username, client)
            self._failures.pop(key, None)
            self._locked_until.pop(key, None)


@functools.cache
def _dummy_hash(rounds: int) -> bytes:
    # Checked against when the username is unknown, so both cases cost one bcrypt verification.
    return bcrypt.hashpw(b"no such user", bcrypt.gensalt(rounds))


def authenticate(
    username: str,
    password: str,
    throttle: LoginThrottle | None = None,
    path: Path | str | None = None,
    *,
    client: str | None = None,
) -> User:
    """The signed-in User; AuthError with one message for unknown user and wrong password,
    LoginThrottled (an AuthError) while the throttle refuses this username."""
    name = _username_key(username)
    if throttle is not None:
        throttle.check(name, client)
    record = load_users(path).get(name)
    try:
        expected = record["password_hash"].encode("ascii") if record else _dummy_hash(BCRYPT_ROUNDS)
        ok = bcrypt.checkpw(_password_bytes(password), expected)
    except ValueError:  # over-long password or damaged hash: never a match
        ok = False
    if record is None or not ok:
        if throttle is not None:
            throttle.record_failure(name, client)
        raise AuthError(WRONG_CREDENTIALS)
    if throttle is not None:
        throttle.record_success(name, client)
    return User(name, record["role"], record["display_name"])


# --- permissions --------------------------------------------------------------------------------


def can(role: str | None, action: str) -> bool:
    """Whether a role may perform an action; None (anonymous) and unknown roles may do nothing."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}; expected one of {sorted(ACTIONS)}")
    if role is None:
        return False
    return action in PERMISSIONS.get(role, frozenset())


def refresh(user: User | None, path: Path | str | None = None) -> User | None:
    """The user as the accounts file says now: None once removed, the new role once changed.

    Called on every run of a page and before every state-changing action, so removing or demoting an
    analyst takes effect at once, even in a tab signed in earlier. Without accounts the user is kept.
    """
    if user is None or user == LOCAL_USER:
        return user
    users = load_users(path)
    if not users:
        return user
    record = users.get(_username_key(user.username))
    if record is None:
        return None
    return User(_username_key(user.username), record["role"], record["display_name"])


def require(user: User | None, action: str) -> None:
    """Raise AuthError unless the user may perform the action (the server-side check).

    The role is read again from the accounts file: the one remembered at sign-in may be stale.
    """
    if action != "view":
        current = refresh(user)
        if user is not None and current is None:
            raise AuthError(
                "Tài khoản của bạn không còn tồn tại; hãy đăng nhập lại. / Your account no longer exists."
            )
        user = current
    if can(user.role if user else None, action):
        return
    vi, en = ACTIONS[action]
    if user is None:
        raise AuthError(
            f"Bạn không có quyền {vi} khi chưa đăng nhập. / You are not allowed to {en} without signing in."
        )
    raise AuthError(
        f"Bạn không có quyền {vi} (vai trò: {user.role}). / You are not allowed to {en} (role: {user.role})."
    )


# --- command line: python -m analysis users ... -------------------------------------------------


def _read_new_password(from_stdin: bool, stdin: TextIO) -> str:
    if from_stdin:
        line = stdin.readline()
        password = line.removesuffix("\n").removesuffix("\r")
        if not password:
            raise AuthError("Không đọc được mật khẩu từ stdin. / No password on stdin.")
        return password
    first = getpass.getpass("Mật khẩu mới / New password: ")
    second = getpass.getpass("Nhập lại mật khẩu / Repeat password: ")
    if first != second:
        raise AuthError("Hai lần nhập mật khẩu không khớp. / The passwords do not match.")
    return first


def _users_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis users",
        description="Quản lý tài khoản bảng điều khiển CCHC / Manage dashboard accounts.",
    )
    parser.add_argument(
        "--file",
        type=Path,
        default=None,
        help=f"tệp tài khoản (mặc định: ${ENV_USERS_FILE} hoặc config/users.toml)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="thêm tài khoản / add a user")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--name", default="", help="họ tên hiển thị / display name")
    add.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ dòng đầu của stdin")
    remove = sub.add_parser("remove", help="xoá tài khoản / remove a user")
    remove.add_argument("username")
    sub.add_parser("list", help="liệt kê tài khoản / list users")
    passwd = sub.add_parser("passwd", help="đổi mật khẩu / change a password")
    passwd.add_argument("username")
    passwd.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ dòng đầu của stdin")
    return parser


def users_cli(
    argv: list[str], stdin: TextIO | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """`python -m analysis users add|remove|list|passwd`; 0 on success, 2 on AuthError or bad usage."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        args = _users_parser().parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage or help
        return exc.code if isinstance(exc.code, int) else 2
    path = args.file
    try:
        if args.command == "add":
            password = _read_new_password(args.password_stdin, stdin)
            user = add_user(args.username, password, args.role, args.name, path=path)
            print(f"Đã thêm tài khoản '{user.username}' ({user.role}). / Added user.", file=stdout)
            if not any(u.role == "admin" for u in list_users(path)):
                print(
                    "Lưu ý: chưa có tài khoản quản trị (admin) nào. / Note: there is no admin account yet.",
                    file=stderr,
                )
        elif args.command == "remove":
            remove_user(args.username, path=path)
            print(f"Đã xoá tài khoản '{_username_key(args.username)}'. / Removed user.", file=stdout)
        elif args.command == "passwd":
            password = _read_new_password(args.password_stdin, stdin)
            set_password(args.username, password, path=path)
            print(f"Đã đổi mật khẩu '{_username_key(args.username)}'. / Password changed.", file=stdout)
        else:  # list
            users = list_users(path)
            if not users:
                print(
                    f"Chưa có tài khoản nào trong {_resolve(path)}: ứng dụng chạy ở chế độ một người dùng "
                    "cục bộ. / No accounts: the app runs as a single local user.",
                    file=stderr,
                )
            for user in users:
                print(f"{user.username}\t{user.role}\t{user.display_name}", file=stdout)
    except AuthError as exc:
        print(str(exc), file=stderr)
        return 2
    return 0
