"""One measurement in a fresh process: set up (untimed), run the operation once, print one JSON line.

`python -m benchmarks.measure CASE '{"param": ...}'`. The parent (benchmarks/run.py) starts one process
per run, so every run has a cold process, its own peak memory and no cache left by another case.

Peak memory is the process's peak resident set size during the timed operation: the kernel's
high-water mark is reset (/proc/self/clear_refs) just before the operation and read just after, so
the set-up's own peak is not counted; the resident memory the set-up left behind is (`base_mb`).

This module imports nothing outside the standard library at the top, so the separate DuckDB 1.5.5
environment (for the excel extension) can run the `xlsx_duckdb` case without the project's packages.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

YEAR = 2024
RESOLVED = ["resolved_early", "resolved_on_time", "resolved_late"]


def _status_kb(field: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return float(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


class Timer:
    """Times named sections of one run; memory is the peak over all of them."""

    def __init__(self) -> None:
        self.sections: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.base_mb: float | None = None
        self._reset = False

    def start(self) -> None:
        """Call once, after set-up: records the resident memory and resets the peak."""
        rss = _status_kb("VmRSS")
        self.base_mb = None if rss is None else rss / 1024
        self._reset = _reset_peak()

    def run(self, name: str, fn: Callable[[], Any]) -> Any:
        if self.base_mb is None and not self._reset:
            self.start()
        c0 = time.process_time()
        t0 = time.perf_counter()
        out = fn()
        self.sections[name] = time.perf_counter() - t0
        self.cpu[name] = time.process_time() - c0
        return out

    def result(self, **extra: Any) -> dict[str, Any]:
        hwm = _status_kb("VmHWM") if self._reset else None
        if hwm is None:  # no reset possible: the whole process's peak
            hwm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return {
            "sections": self.sections,
            "cpu": self.cpu,
            "peak_mb": hwm / 1024,
            "base_mb": self.base_mb,
            "peak_is_whole_process": not self._reset,
            **extra,
        }


# Ingestion ---------------------------------------------------------------------------------------


def _fresh_store(tmp: Path, units_file: str | None):
    from analysis.store import Store
    from analysis.workflow.load import commit, prepare

    store = Store(tmp / "bench.duckdb")
    if units_file:
        path = Path(units_file)
        commit(store, prepare(store, path.read_bytes(), path.name), "bench")
    return store


def case_ingest_app(p: dict, timer: Timer) -> dict:
    """The product's path: read the bytes, prepare (parse, detect, validate, resolve units), commit."""
    from analysis.workflow.load import commit, prepare

    path = Path(p["file"])
    with tempfile.TemporaryDirectory(dir=p.get("tmp")) as tmp:
        store = _fresh_store(Path(tmp), p.get("units"))
        timer.start()

        def run() -> Any:
            prepared = timer.run("prepare", lambda: prepare(store, path.read_bytes(), path.name))
            timer.run("commit", lambda: commit(store, prepared, "bench"))
            return prepared

        prepared = run()
        rows = sum(len(b.frame) for b in prepared.batches)
        timer.sections["total"] = timer.sections["prepare"] + timer.sections["commit"]
        timer.cpu["total"] = timer.cpu["prepare"] + timer.cpu["commit"]
        return timer.result(rows=rows, warnings=len(prepared.warnings))


def case_xlsx_pandas(p: dict, timer: Timer) -> dict:
    import pandas as pd

    engine = p.get("engine")
    frame = timer.run("total", lambda: pd.read_excel(p["file"], header=None, engine=engine))
    return timer.result(rows=len(frame))


def case_xlsx_calamine(p: dict, timer: Timer) -> dict:
    import python_calamine

    def read() -> list:
        wb = python_calamine.CalamineWorkbook.from_path(p["file"])
        return wb.get_sheet_by_index(0).to_python(skip_empty_area=False)

    rows = timer.run("total", read)
    return timer.result(rows=len(rows))


def case_xlsx_fastexcel(p: dict, timer: Timer) -> dict:
    import fastexcel

    def read() -> Any:
        reader = fastexcel.read_excel(p["file"])
        # Rows below the two header rows and the column-number row; every column as text, as the
        # messy title rows would otherwise break type inference.
        sheet = reader.load_sheet(0, header_row=None, skip_rows=p.get("skip_rows", 0), dtypes="string")
        return sheet.to_arrow()

    table = timer.run("total", read)
    return timer.result(rows=table.num_rows)


def case_xlsx_duckdb(p: dict, timer: Timer) -> dict:
    """DuckDB 1.5.5 with the excel extension from the duckdb-extension-excel wheel (runs in its own venv)."""
    import duckdb
    import duckdb_extension_excel

    ext = next(Path(duckdb_extension_excel.__file__).parent.glob("extensions/*/excel.duckdb_extension"))
    with tempfile.TemporaryDirectory(dir=p.get("tmp")) as tmp:
        con = duckdb.connect(str(Path(tmp) / "x.duckdb"))
        con.execute(f"LOAD '{ext}'")
        timer.start()
        timer.run(
            "total",
            lambda: con.execute(
                "CREATE TABLE raw AS SELECT * FROM read_xlsx(?, header = false, all_varchar = true, stop_at_empty = false)",
                [p["file"]],
            ),
        )
        rows = con.execute("SELECT count(*) FROM raw").fetchone()[0]
        con.close()
        return timer.result(rows=rows, duckdb=duckdb.__version__)


def case_csv_duckdb(p: dict, timer: Timer) -> dict:
    import duckdb

    with tempfile.TemporaryDirectory(dir=p.get("tmp")) as tmp:
        con = duckdb.connect(str(Path(tmp) / "x.duckdb"))
        timer.start()
        timer.run("total", lambda: con.execute("CREATE TABLE raw AS SELECT * FROM read_csv(?)", [p["file"]]))
        rows = con.execute("SELECT count(*) FROM raw").fetchone()[0]
        con.close()
        return timer.result(rows=rows)


def case_csv_pandas(p: dict, timer: Timer) -> dict:
    import pandas as pd

    frame = timer.run("total", lambda: pd.read_csv(p["file"], dtype=str, keep_default_na=False))
    return timer.result(rows=len(frame))


# Engine -------------------------------------------------------------------------------------------


def _copy_db(src: str, tmp: Path) -> str:
    dst = tmp / "bench.duckdb"
    shutil.copy(src, dst)
    return str(dst)


def case_year_data(p: dict, timer: Timer) -> dict:
    from analysis.engine import year as views
    from analysis.store import Store

    store = Store(p["db"])
    data = timer.run("total", lambda: views.year_data(store, YEAR))
    return timer.result(rows=len(data.dossiers) + len(data.tasks) + len(data.scores))


def case_summary(p: dict, timer: Timer) -> dict:
    from analysis.engine import year as views
    from analysis.periods import quarter_end
    from analysis.store import Store

    data = views.year_data(Store(p["db"]), YEAR)
    as_of = quarter_end(YEAR, p.get("quarter", 4))
    summary = timer.run("total", lambda: views.summary(data, as_of))
    return timer.result(rows=len(data.dossiers) + len(data.tasks), likely=summary["index"]["likely"])


def pandas_summary(data: Any, as_of: Any) -> dict[str, Any]:
    """The core aggregations of a summary written directly in pandas: a lower bound, not a replacement.

    Task states as of the date (the four official states), and the dossier ratios the dossier rules
    read (resolved on time, online), overall and for communes and offices. No rule evaluation, no
    per-criterion explanations, no attribution.
    """
    import pandas as pd

    tasks = data.tasks
    day = pd.Timestamp(as_of)
    done = tasks["completed_on"].notna() & (tasks["completed_on"] <= day)
    due = tasks["deadline"].notna() & (tasks["deadline"] < day)
    on_time = done & (tasks["deadline"].isna() | (tasks["completed_on"] <= tasks["deadline"]))
    states = pd.Series("open_in_time", index=tasks.index)
    states[done & on_time] = "done_on_time"
    states[done & ~on_time] = "done_late"
    states[~done & due] = "open_overdue"
    counts = states.value_counts().to_dict()
    d = data.dossiers
    d = d[d["received_at"] < day + pd.Timedelta(days=1)]
    kinds = dict(zip(data.units["name"], data.units["kind"], strict=False))
    kind = d["unit"].map(kinds)
    resolved = d["status"].isin(RESOLVED) & (d["resolved_at"].isna() | (d["resolved_at"] <= day))
    late = resolved & d["status"].eq("resolved_late")
    out = {"tasks": counts}
    for name, mask in (
        ("all", slice(None)),
        ("commune", kind.isin(["commune", "town"])),
        ("office", kind.eq("office")),
    ):
        r, lt = resolved[mask], late[mask]
        out[name] = {
            "on_time": 1 - lt.sum() / max(1, r.sum()),
            "online": d.loc[mask, "channel"].eq("online").mean(),
        }
    return out


def case_summary_pandas(p: dict, timer: Timer) -> dict:
    from analysis.engine import year as views
    from analysis.periods import quarter_end
    from analysis.store import Store

    data = views.year_data(Store(p["db"]), YEAR)
    as_of = quarter_end(YEAR, p.get("quarter", 4))
    timer.run("total", lambda: pandas_summary(data, as_of))
    return timer.result(rows=len(data.dossiers) + len(data.tasks))


def case_counts_store(p: dict, timer: Timer) -> dict:
    from analysis.store import Store

    store = Store(p["db"])
    frame = timer.run("total", lambda: store.dossier_counts(YEAR, ("unit", "month")))
    return timer.result(rows=int(frame["total"].sum()), groups=len(frame))


def pandas_counts(d: Any) -> Any:
    """Store.dossier_counts by unit and month, in pandas, on the frame the store hands to the engine."""
    import pandas as pd

    status = d["status"]
    flags = pd.DataFrame(
        {
            "unit": d["unit"],
            "month": d["received_at"].dt.month,
            "total": 1,
            "resolved": status.isin(RESOLVED),
            "on_time": status.isin(["resolved_early", "resolved_on_time"]),
            "late": status.eq("resolved_late"),
            "open_overdue": status.eq("processing_overdue"),
            "online": d["channel"].eq("online"),
            "late_without_apology": status.eq("resolved_late") & ~d["apology"].eq(True),
        }
    )
    return flags.groupby(["unit", "month"], sort=True).sum().reset_index()


def case_counts_pandas(p: dict, timer: Timer) -> dict:
    """The same counts in pandas; loading the frame from the store is a separate, timed section."""
    from analysis.store import Store

    store = Store(p["db"])
    timer.start()
    frame = timer.run("load", lambda: store.current("dossiers", YEAR))
    counts = timer.run("total", lambda: pandas_counts(frame))
    return timer.result(rows=int(counts["total"].sum()), groups=len(counts))


# Pages --------------------------------------------------------------------------------------------


def case_pages(p: dict, timer: Timer) -> dict:
    """Every page through AppTest on one session: the app's first run, then each page twice."""
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory(dir=p.get("tmp")) as tmp:
        os.environ["CCHC_DB"] = _copy_db(p["db"], Path(tmp))
        os.environ["CCHC_NO_SAMPLE"] = "1"
        os.environ["CCHC_USERS_FILE"] = str(Path(tmp) / "no-users.toml")
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=p.get("timeout", 600))
        timer.start()
        errors: dict[str, list[str]] = {}

        def check(name: str) -> None:
            found = [e.message for e in at.exception] + [e.value for e in at.error]
            if found:
                errors[name] = [str(f)[:200] for f in found]

        timer.run("app.first", at.run)
        check("app.first")
        for page in p["pages"]:
            stem = Path(page).stem
            at.switch_page(page)
            timer.run(f"{stem}.first", at.run)
            check(stem)
            for k in range(p.get("again", 2)):
                timer.run(f"{stem}.again{k + 1}", at.run)
        return timer.result(errors=errors)


CASES: dict[str, Callable[[dict, Timer], dict]] = {
    "ingest_app": case_ingest_app,
    "xlsx_pandas": case_xlsx_pandas,
    "xlsx_calamine": case_xlsx_calamine,
    "xlsx_fastexcel": case_xlsx_fastexcel,
    "xlsx_duckdb": case_xlsx_duckdb,
    "csv_duckdb": case_csv_duckdb,
    "csv_pandas": case_csv_pandas,
    "year_data": case_year_data,
    "summary": case_summary,
    "summary_pandas": case_summary_pandas,
    "counts_store": case_counts_store,
    "counts_pandas": case_counts_pandas,
    "pages": case_pages,
}


def main() -> None:
    name, params = sys.argv[1], json.loads(sys.argv[2] if len(sys.argv) > 2 else "{}")
    if params.get("profile"):
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    result = CASES[name](params, Timer())
    if params.get("profile"):
        profiler.stop()
        Path(params["profile"]).write_text(profiler.output_text(unicode=True, color=False))
    print("RESULT " + json.dumps(result, default=str), flush=True)


if __name__ == "__main__":
    main()
