"""Parse an untrusted file in a child process with a memory limit and a timeout.

The spreadsheet reader is native code: a damaged file can make it abort (SIGABRT on a failed
allocation), panic (an exception deriving from BaseException), or grow until the machine swaps.
None of that can be caught in the server process, so the parse runs in a forked child whose address
space is capped (RLIMIT_AS). Whatever happens there, the caller gets either the parsed file or an
IngestError with a Vietnamese message; the server and the store are untouched.

Children are forked from a forkserver that has already imported the parser, so a parse costs a
fork, not a fresh interpreter, and it is safe from the server's threads.
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
import traceback
from collections.abc import Mapping
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from analysis import fmt, settings
from analysis.errors import IngestError, Problem
from analysis.ingest.sheets import FileResult, parse_file

# "__main__" makes the forkserver import the main script once (entry scripts such as streamlit's and
# pytest's are guarded), so children do not import it again on every parse.
_PRELOAD = ["__main__", "analysis.ingest.sheets", "analysis.ingest.readers"]
_context: Any = None


def _ctx() -> Any:
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(_PRELOAD)
    return _context


def _failure(filename: str, why: str, why_en: str) -> IngestError:
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


def _child(
    conn: Connection, data: bytes, filename: str, options: dict[str, Any], memory: int, env: dict[str, str]
) -> None:
    """Runs in the child: cap memory, parse, send back ('ok', result) or the reason it failed."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the parent, which then stops us
    settings.apply_environment(env)  # the forkserver kept the settings of its own start
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    except (ValueError, OSError):
        pass  # a hard limit lower than ours already applies
    try:
        outcome: tuple[str, Any] = ("ok", parse_file(data, filename, **options))
    except IngestError as exc:
        outcome = ("problems", exc.problems)
    except MemoryError:
        outcome = ("memory", None)
    except BaseException as exc:  # noqa: BLE001 - the reader's panic derives from BaseException
        outcome = ("crash", type(exc).__name__)
        traceback.print_exc()  # for the server log; the user sees the short message
    try:
        conn.send(outcome)
    except MemoryError:
        conn.send(("memory", None))
    finally:
        conn.close()


def parse_isolated(
    data: bytes,
    filename: str,
    *,
    kind: str | None = None,
    year: int | None = None,
    quarter: int | None = None,
    unit: str | None = None,
    column_overrides: Mapping[str, str] | None = None,
) -> FileResult:
    """`parse_file` in a child process: the same result, or IngestError, whatever the bytes do."""
    options: dict[str, Any] = {
        "kind": kind,
        "year": year,
        "quarter": quarter,
        "unit": unit,
        "column_overrides": dict(column_overrides) if column_overrides else None,
    }
    name = Path(filename).name
    if not settings.parse_in_worker():
        try:
            return parse_file(data, filename, **options)
        except (IngestError, KeyboardInterrupt, SystemExit):
            raise
        except MemoryError:
            raise _out_of_memory(name) from None
        except BaseException as exc:  # noqa: BLE001 - the reader's panic derives from BaseException
            raise _failure(
                name, f"trình đọc bảng tính gặp lỗi ({type(exc).__name__})", "the reader failed"
            ) from None
    ctx = _ctx()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(
        target=_child,
        args=(
            sender,
            data,
            filename,
            options,
            settings.parse_memory_bytes(),
            settings.declared_environment(),
        ),
        daemon=True,
    )
    process.start()
    sender.close()
    timeout = settings.parse_timeout_s()
    try:
        if not receiver.poll(timeout):
            raise _failure(
                name,
                f"đọc tệp quá {timeout} giây (thiết lập CCHC_PARSE_TIMEOUT_S)",
                f"reading took longer than {timeout} s (CCHC_PARSE_TIMEOUT_S)",
            )
        try:
            status, payload = receiver.recv()
        except (EOFError, OSError):
            process.join(5)
            raise _died(name, process.exitcode) from None
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    if status == "ok":
        return payload
    if status == "problems":
        raise IngestError(payload)
    if status == "memory":
        raise _out_of_memory(name)
    raise _failure(name, f"trình đọc bảng tính gặp lỗi ({payload})", f"the reader failed ({payload})")


def _out_of_memory(name: str) -> IngestError:
    mb = fmt.num(settings.parse_memory_bytes() // (1024 * 1024), 0)
    return _failure(
        name,
        f"đọc tệp cần hơn {mb} MB bộ nhớ (thiết lập CCHC_PARSE_MEMORY_MB)",
        f"reading needs more than {mb} MB (CCHC_PARSE_MEMORY_MB)",
    )


def _died(name: str, exitcode: int | None) -> IngestError:
    """The child ended without an answer: a failed allocation aborts it (SIGABRT), the OOM killer kills it."""
    if exitcode in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV, -signal.SIGBUS):
        return _out_of_memory(name) if exitcode != -signal.SIGSEGV else _crashed(name, exitcode)
    return _crashed(name, exitcode)


def _crashed(name: str, exitcode: int | None) -> IngestError:
    return _failure(
        name,
        f"trình đọc bảng tính dừng đột ngột (mã {exitcode})",
        f"the reader stopped abruptly (exit code {exitcode})",
    )
