"""Load test of a shared server: viewers page through every page while analysts commit and roll back.

Starts `streamlit run app.py` on 127.0.0.1 with a copy of the sample database, then for a bounded time:

- N viewers (default 20), each with its own session over Streamlit's websocket, request every page in
  turn, and the task page of the analysts' year;
- 2 analysts commit a 7-task plan for that year through the store and take it back (undo), in a loop.

It stops by itself and reports: page runs, errors (an exception or an error box on a page, a page not
found, no answer within the time limit), «busy» messages (the database held longer than the wait),
partial reads (a task count other than a whole plan: 7, or the sample year's count when no plan is
current), latency percentiles per page, and the analysts' commits, rollbacks and failures.

    python -m benchmarks.load_test [--viewers 20] [--seconds 60] [--port 8631] [--out results.json]

Nothing leaves the machine: the server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

PAGES = ["", "theo-quy", "theo-don-vi", "chi-so", "nhiem-vu", "tai-du-lieu", "lich-su"]
ANALYST_YEAR = 2031  # analysts write years of their own (2031, 2032 …), never the sample's numbers
PLAN_TASKS = 7
_COUNT = re.compile(r"(\d+) / (\d+) nhiệm vụ")


@dataclass
class Results:
    runs: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    busy: int = 0
    partial: list[str] = field(default_factory=list)
    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    counts_seen: Counter = field(default_factory=Counter)
    analyst: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def summary(self, seconds: float, viewers: int) -> dict[str, object]:
        def pct(values: list[float], q: float) -> float:
            if not values:
                return None  # type: ignore[return-value]
            ordered = sorted(values)
            return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)

        every = [v for values in self.latency.values() for v in values]
        return {
            "viewers": viewers,
            "seconds": round(seconds, 1),
            "page_runs": sum(self.runs.values()),
            "errors": len(self.errors),
            "error_samples": self.errors[:10],
            "busy_messages": self.busy,
            "partial_reads": len(self.partial),
            "partial_samples": self.partial[:10],
            "task_counts_seen": {f"{k[0]}/{k[1]}": v for k, v in self.counts_seen.items()},
            "latency_s": {
                "all": {
                    "p50": pct(every, 0.5),
                    "p90": pct(every, 0.9),
                    "p99": pct(every, 0.99),
                    "max": pct(every, 1),
                },
                **{
                    page or "tong-quan": {
                        "runs": len(v),
                        "p50": pct(v, 0.5),
                        "p90": pct(v, 0.9),
                        "max": pct(v, 1),
                    }
                    for page, v in sorted(self.latency.items())
                },
            },
            "analysts": dict(self.analyst),
            "mean_page_s": round(statistics.fmean(every), 3) if every else None,
        }


def _page_run(ws, page: str, query: str, timeout: float) -> tuple[list[str], list[str], bool, bool]:
    """Run one page; (errors, markdown texts, busy shown, finished)."""
    from streamlit.proto.Alert_pb2 import Alert
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_name = page
    ws.send(msg.SerializeToString())
    errors: list[str] = []
    texts: list[str] = []
    busy = False
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return [*errors, f"{page or 'tong-quan'}: no answer in {timeout:.0f} s"], texts, busy, False
        forward = ForwardMsg()
        forward.ParseFromString(ws.recv(timeout=left))
        kind = forward.WhichOneof("type")
        if kind == "page_not_found":
            errors.append(f"{page}: page not found")
        elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
            element = forward.delta.new_element
            what = element.WhichOneof("type")
            if what == "exception":
                errors.append(
                    f"{page or 'tong-quan'}: {element.exception.type}: {element.exception.message[:200]}"
                )
            elif what == "alert":
                if "Cơ sở dữ liệu đang bận" in element.alert.body:
                    busy = True
                elif element.alert.format == Alert.Format.ERROR:
                    errors.append(f"{page or 'tong-quan'}: {element.alert.body[:200]}")
            elif what == "markdown":
                texts.append(element.markdown.body)
        elif kind == "script_finished":
            return errors, texts, busy, True


def viewer(port: int, stop: threading.Event, results: Results, timeout: float) -> None:
    from websockets.sync.client import connect

    # No client pings: a browser sends none either, and a busy server would be taken for a dead one.
    with connect(
        f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], max_size=None, ping_interval=None
    ) as ws:
        k = 0
        while not stop.is_set():
            page = PAGES[k % len(PAGES)]
            query = f"year={ANALYST_YEAR + k % 3}" if page == "nhiem-vu" and k % 3 < 2 else ""
            k += 1
            started = time.monotonic()
            try:
                errors, texts, busy, finished = _page_run(ws, page, query, timeout)
            except Exception as exc:  # noqa: BLE001 - a dropped connection is a finding
                with results.lock:
                    results.errors.append(f"{page}: {type(exc).__name__}: {exc}"[:300])
                return
            elapsed = time.monotonic() - started
            with results.lock:
                results.runs[page] += 1
                results.errors.extend(errors)
                results.busy += busy
                if finished:
                    results.latency[page].append(elapsed)
                for text in texts:
                    m = _COUNT.search(text)
                    if m and page == "nhiem-vu":
                        shown, total = int(m.group(1)), int(m.group(2))
                        results.counts_seen[(shown, total)] += 1
                        if shown != total:
                            results.partial.append(f"{query}: {text}")
            if not finished:
                return  # the session is in an unknown state: stop this viewer


def viewer_once(port: int, results: Results, timeout: float) -> None:
    """Every page once, in one session (warming the server's caches before the clock starts)."""
    from websockets.sync.client import connect

    with connect(
        f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], max_size=None, ping_interval=None
    ) as ws:
        for page in PAGES:
            _page_run(ws, page, "", timeout)


def analyst(db: Path, tag: str, year: int, stop: threading.Event, results: Results) -> None:
    from helpers_store import simple_tasks, tasks_xlsx

    from analysis.store import Store, StoreError
    from analysis.workflow import auth, uploads
    from analysis.workflow.load import prepare

    store = Store(db)
    data = tasks_xlsx(year, simple_tasks(PLAN_TASKS, tag=f" {tag}"))
    user = auth.User(f"phan.tich.{tag}", "admin", f"Chuyên viên {tag}")
    while not stop.is_set():
        try:
            prepared = prepare(store, data, f"ke_hoach_{tag}.xlsx")
            ids = uploads.commit_upload(store, prepared, user, force=True)
            with results.lock:
                results.analyst["commits"] += 1
            time.sleep(0.3)
            uploads.undo_batch(store, ids[0], user, "Thử tải")
            with results.lock:
                results.analyst["rollbacks"] += 1
        except (StoreError, uploads.UploadError) as exc:
            with results.lock:
                results.analyst["refused"] += 1
                results.analyst[f"refused: {str(exc).split(' / ')[0][:80]}"] += 1
        time.sleep(0.3)


def _wait_healthy(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not start on 127.0.0.1:{port}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, default=20)
    parser.add_argument("--analysts", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--port", type=int, default=8631)
    parser.add_argument("--page-timeout", type=float, default=60)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--db-from", type=Path, help="copy this database instead of loading the sample")
    args = parser.parse_args(argv)

    from analysis.store import Store
    from analysis.workflow.load import load_sample

    tmp = Path(tempfile.mkdtemp(prefix="cchc-load-"))
    db = tmp / "cchc.duckdb"
    if args.db_from:
        shutil.copy(args.db_from, db)  # a database with the sample already loaded (saves ~20 s)
    else:
        load_sample(Store(db))
    env = {**os.environ, "CCHC_DB": str(db), "CCHC_NO_SAMPLE": "1", "CCHC_USERS_FILE": str(tmp / "none.toml")}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.address", "127.0.0.1",
         "--server.port", str(args.port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT,
    )  # fmt: skip
    results = Results()
    stop = threading.Event()
    started = time.monotonic()
    try:
        _wait_healthy(args.port, 60)
        warm = Results()  # one session through every page first: the caches of a server in use
        viewer_once(args.port, warm, args.page_timeout)
        threads = [
            threading.Thread(target=viewer, args=(args.port, stop, results, args.page_timeout), daemon=True)
            for _ in range(args.viewers)
        ]
        threads += [
            threading.Thread(
                target=analyst, args=(db, chr(65 + k), ANALYST_YEAR + k, stop, results), daemon=True
            )
            for k in range(args.analysts)
        ]
        for t in threads:
            t.start()
        time.sleep(args.seconds)
        stop.set()
        for t in threads:
            t.join(args.page_timeout + 10)
    finally:
        stop.set()
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    summary = results.summary(time.monotonic() - started, args.viewers)
    text = json.dumps(summary, ensure_ascii=False, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 1 if summary["errors"] or summary["partial_reads"] else 0


if __name__ == "__main__":
    sys.exit(main())
