"""Read an untrusted file in a child process with a memory limit and a timeout.

The spreadsheet reader is native code: a damaged file can make it abort (SIGABRT on a failed
allocation), panic (an exception deriving from BaseException), or grow until the machine swaps.
None of that can be caught in the server process, so every read of an uploaded or loaded file runs
in a forked child whose address space is capped (RLIMIT_AS): the parse itself, and the re-reads for
the error report and the header preview. Whatever happens there, the caller gets the result or an
IngestError with a Vietnamese message; the server and the store are untouched.

Children are forked from a forkserver that has already imported the parser, so a read costs a fork,
not a fresh interpreter, and it is safe from the server's threads.
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import spawn
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from analysis import fmt, settings
from analysis.errors import IngestError, Problem
from analysis.ingest.bulk import Bulk
from analysis.ingest.readers import Grid, read_grids
from analysis.ingest.sheets import DETECT, FileResult, ReadOptions, parse_file

T = TypeVar("T")

_PRELOAD = ["analysis.ingest.sheets", "analysis.ingest.readers", "analysis.ingest.warm"]
_context: Any = None
_start_lock = threading.Lock()
# What the reader itself raises on a damaged file (as opposed to a fault in this product's code).
READER_FAILURES = ("PanicException", "CalamineError", "XmlError", "ZipError", "PasswordError")


def _start(process: Any) -> None:
    """Start a child without re-running the parent's main script in it.

    multiprocessing re-imports the main script in every child (for streamlit, the whole streamlit
    command line: half a second per upload). The child needs only this module, so the main script is
    left out of what the child is told to prepare.
    """
    with _start_lock:
        original = spawn.get_preparation_data

        def without_main(name: str) -> dict[str, Any]:
            data = original(name)
            data.pop("init_main_from_path", None)
            data.pop("init_main_from_name", None)
            return data

        spawn.get_preparation_data = without_main
        try:
            process.start()
        finally:
            spawn.get_preparation_data = original


def _ctx() -> Any:
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(_PRELOAD)
    return _context


@dataclass(frozen=True)
class Outcome:
    """How a read ended: 'ok' (value), 'problems' (a list of Problem), 'memory', 'timeout',
    'crash' (value = the exception's type name) or 'died' (exitcode = the child's exit status)."""

    status: str
    value: Any = None
    exitcode: int | None = None


def _child(
    conn: Connection, fn: Callable[..., Any], args: tuple, kwargs: dict, memory: int, env: dict
) -> None:
    """Runs in the child: cap memory, call fn, send back its Outcome."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the parent, which then stops us
    settings.apply_environment(env)  # the forkserver kept the settings of its own start
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    except (ValueError, OSError):
        pass  # a hard limit lower than ours already applies
    outcome = _call(fn, args, kwargs)
    try:
        conn.send(outcome)
    except MemoryError:
        conn.send(Outcome("memory"))
    finally:
        conn.close()


def _call(fn: Callable[..., Any], args: tuple, kwargs: dict) -> Outcome:
    try:
        return Outcome("ok", fn(*args, **kwargs))
    except IngestError as exc:
        return Outcome("problems", exc.problems)
    except MemoryError:
        return Outcome("memory")
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - the reader's panic derives from BaseException
        traceback.print_exc()  # for the server log; the user sees a short message
        return Outcome("crash", type(exc).__name__)


def outcome(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Outcome:
    """fn(*args, **kwargs) in a memory-limited child process, however it ends (never raises)."""
    if not settings.parse_in_worker():
        return _call(fn, args, kwargs)
    ctx = _ctx()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(
        target=_child,
        args=(sender, fn, args, kwargs, settings.parse_memory_bytes(), settings.declared_environment()),
        daemon=True,
    )
    _start(process)
    sender.close()
    try:
        if not receiver.poll(settings.parse_timeout_s()):
            return Outcome("timeout")
        try:
            return receiver.recv()
        except (EOFError, OSError):
            process.join(5)
            return Outcome("died", exitcode=process.exitcode)
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)


def run_isolated(fn: Callable[..., T], filename: str, *args: Any, **kwargs: Any) -> T:
    """fn(*args, **kwargs) in a child process: its value, or IngestError naming the file."""
    done = outcome(fn, *args, **kwargs)
    if done.status == "ok":
        return done.value
    if done.status == "problems":
        raise IngestError(done.value)
    raise failure(Path(filename).name, done)


def parse_isolated(
    data: bytes, filename: str, options: ReadOptions = DETECT, *, bulk: Bulk | None = None
) -> FileResult:
    """`parse_file(data, filename, options, bulk=bulk)` in a child process: the same result, or
    IngestError, whatever the bytes do."""
    return run_isolated(parse_file, filename, data, filename, options, bulk=bulk)


def read_grids_isolated(data: bytes, filename: str) -> list[Grid]:
    """`read_grids` in a child process (the error report and the header preview re-read the file)."""
    return run_isolated(read_grids, filename, data, filename)


# Messages -----------------------------------------------------------------------------------------


def _message(filename: str, why: str, why_en: str) -> IngestError:
    return IngestError(
        [
            Problem(
                filename,
                message=(
                    f"Tệp hỏng hoặc quá lớn: {why}. Không nạp gì; hãy mở tệp bằng Excel, lưu lại "
                    "rồi tải lên lại, hoặc tách thành nhiều tệp nhỏ hơn."
                ),
                message_en=f"Damaged or too large: {why_en}. Nothing was loaded.",
            )
        ]
    )


def failure(filename: str, done: Outcome) -> IngestError:
    """The Vietnamese message for a read that did not end with a value or a list of problems."""
    if done.status == "timeout":
        seconds = settings.parse_timeout_s()
        return _message(
            filename,
            f"đọc tệp quá {seconds} giây (thiết lập CCHC_PARSE_TIMEOUT_S)",
            f"reading took longer than {seconds} s (CCHC_PARSE_TIMEOUT_S)",
        )
    # A failed allocation aborts the child (SIGABRT); the kernel's OOM killer sends SIGKILL.
    if done.status == "memory" or done.exitcode in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGBUS):
        mb = fmt.num(settings.parse_memory_bytes() // (1024 * 1024), 0)
        return _message(
            filename,
            f"đọc tệp cần hơn {mb} MB bộ nhớ (thiết lập CCHC_PARSE_MEMORY_MB)",
            f"reading needs more than {mb} MB (CCHC_PARSE_MEMORY_MB)",
        )
    if done.status == "crash":
        return _message(
            filename,
            f"trình đọc bảng tính không đọc được tệp ({done.value})",
            f"the reader failed ({done.value})",
        )
    return _message(
        filename,
        f"trình đọc bảng tính dừng đột ngột (mã {done.exitcode})",
        f"the reader stopped abruptly (exit code {done.exitcode})",
    )
