"""Benchmark suite: how fast, how big, measured against the alternatives in the same run.

    python -m benchmarks.run            # full run (about half an hour): 200k-row xlsx, 1M-row CSV, three scales
    python -m benchmarks.run --quick    # a few minutes: smaller files, district scale only, one run each
    python benchmarks/run.py --scale province --only engine,pages --repeat 5

Every run of every measurement is a fresh process (benchmarks/measure.py): the table shows the median
wall time, the median CPU time and the peak memory (resident set) of the timed operation, and for
comparators how the product's figure compares with theirs measured in the same run. Results go to
stdout and to benchmarks/results/latest.csv and latest.md. Not a test; not run in CI.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import generate  # noqa: E402

HERE = ROOT / "benchmarks"
RESULTS = HERE / "results"
STORES = generate.DATA_DIR / "stores"
DUCK15_VENV = HERE / ".venv-duck15"
SAMPLE_DIR = ROOT / "data" / "sample"
PAGES = [
    f"pages/{name}.py"
    for name in "overview by_quarter by_unit components tasks dossiers upload history".split()
]


@dataclass
class Spec:
    """One measurement: a case of benchmarks/measure.py with its parameters."""

    key: str
    group: str
    label: str
    scale: str
    case: str
    params: dict[str, Any]
    python: str = sys.executable
    ref: str | None = None  # key of the product's row this comparator is compared with
    runs: list[dict[str, Any]] = field(default_factory=list)
    failed: str | None = None


# Data and stores --------------------------------------------------------------------------------


def _digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())
    for module in ("analysis/schema.py", "analysis/store.py"):
        h.update((ROOT / module).read_bytes())
    return h.hexdigest()[:16]


def district_files() -> tuple[Path, str]:
    """The bundled sample when it is there (the district scale *is* the sample), else a generated one."""
    from analysis.workflow.load import sample_files

    if sample_files(SAMPLE_DIR):
        return SAMPLE_DIR, "sample (data/sample)"
    return generate.generate_scale("district"), "generated district (data/sample missing)"


def bulk_dossier_frame(path: Path, units: Any) -> Any:
    """A dossier CSV as the canonical frame, vectorised: for building the 5M-row stress store only.

    Uses the product's own parsers on the distinct values of each coded column and the product's unit
    resolution; timestamps with one fixed format. The product's ingestion path is measured separately.
    """
    import pandas as pd

    from analysis.engine.units import UnitIndex
    from analysis.ingest import parsing

    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", engine="pyarrow")
    index = UnitIndex(units)

    def coded(column: str, fn: Any) -> pd.Series:
        values = raw[column]
        return values.map({v: fn(v) for v in values.unique()})

    def stamp(column: str) -> pd.Series:
        return pd.to_datetime(raw[column].replace("", None), format="%d/%m/%Y %H:%M")

    return pd.DataFrame(
        {
            "year": generate.YEAR,
            "dossier_id": raw["Mã hồ sơ"],
            "unit": coded("Đơn vị xử lý", lambda v: index.resolve(v).name),
            "procedure": raw["Tên TTHC"],
            "field": raw["Lĩnh vực"],
            "received_at": stamp("Ngày tiếp nhận"),
            "due_at": stamp("Ngày hẹn trả"),
            "resolved_at": stamp("Ngày trả kết quả"),
            "status": coded("Trạng thái", parsing.parse_dossier_status),
            "channel": coded("Hình thức nộp", parsing.parse_channel),
            "apology": coded("Đã xin lỗi (Mẫu 04)", parsing.parse_bool),
        }
    )


def build_store(name: str, files_dir: Path, dossier_csv: Path | None = None, log=print) -> Path:
    """A DuckDB file with a scale loaded through the product's path (cached by content).

    With dossier_csv, the dossiers come from that CSV through bulk_dossier_frame instead (stress scale).
    """
    from analysis.store import BatchInput, Store
    from analysis.workflow.load import commit, prepare, sample_files

    files = sample_files(files_dir)
    if dossier_csv is not None:
        files = [f for f in files if not f.name.startswith("ho_so_tthc")]
    digest = _digest(files + ([dossier_csv] if dossier_csv else []))
    path = STORES / f"{name}-{digest}.duckdb"
    if path.exists():
        return path
    STORES.mkdir(parents=True, exist_ok=True)
    for old in STORES.glob(f"{name}-*.duckdb*"):
        old.unlink()
    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    store = Store(tmp)
    started = time.perf_counter()
    for f in files:
        t = time.perf_counter()
        prepared = prepare(store, f.read_bytes(), f.name)
        commit(store, prepared, "bench")
        log(f"  {name}: loaded {f.name} ({sum(len(b.frame) for b in prepared.batches):,} rows, "
            f"{time.perf_counter() - t:.1f} s)")  # fmt: skip
    if dossier_csv is not None:
        t = time.perf_counter()
        frame = bulk_dossier_frame(dossier_csv, store.units())
        batch = BatchInput(
            "dossiers", frame, dossier_csv.name, dossier_csv.stem, "bulk-" + digest, year=generate.YEAR
        )
        store.commit([batch], "bench")
        log(
            f"  {name}: bulk-loaded {dossier_csv.name} ({len(frame):,} rows, {time.perf_counter() - t:.1f} s)"
        )
        del frame
    log(f"  {name}: store built in {time.perf_counter() - started:.0f} s")
    shutil.move(str(tmp), str(path))
    return path


def setup_duck15() -> Path:
    """A separate venv with DuckDB 1.5.5 and the excel extension wheel (it loads into 1.5.5 only)."""
    python = DUCK15_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(DUCK15_VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "duckdb==1.5.5", "duckdb-extension-excel==1.5.5"],
                   check=True)  # fmt: skip
    return python


# Measurement plan -------------------------------------------------------------------------------


def plan(
    args: argparse.Namespace,
    stores: dict[str, Path],
    xlsx: Path,
    csv_file: Path,
    units: Path,
    csv_sizes: dict[int, Path] | None = None,
) -> list[Spec]:
    tmp = str(generate.DATA_DIR / "tmp")
    Path(tmp).mkdir(parents=True, exist_ok=True)
    specs: list[Spec] = []
    groups = set(args.only)
    if "ingest" in groups:
        n_x, n_c = f"{args.xlsx_rows:,}", f"{args.csv_rows:,}"
        x = {"file": str(xlsx), "tmp": tmp}
        specs += [
            Spec("x.app", "ingest", f"xlsx {n_x} rows: product end to end (prepare + commit)", "-", "ingest_app",
                 {**x, "units": str(units)}),
            Spec("x.openpyxl", "ingest", "xlsx: pandas.read_excel, default engine (openpyxl)", "-", "xlsx_pandas",
                 x, ref="x.app"),
            Spec("x.pdcalamine", "ingest", "xlsx: pandas.read_excel(engine='calamine')", "-", "xlsx_pandas",
                 {**x, "engine": "calamine"}, ref="x.app"),
            Spec("x.calamine", "ingest", "xlsx: python-calamine rows (floor: the product's reader)", "-",
                 "xlsx_calamine", x, ref="x.app"),
        ]  # fmt: skip
        if importlib.util.find_spec("fastexcel"):
            specs.append(Spec("x.fastexcel", "ingest", "xlsx: fastexcel to Arrow (all text)", "-", "xlsx_fastexcel",
                              x, ref="x.app"))  # fmt: skip
        duck_python = DUCK15_VENV / "bin" / "python"
        if duck_python.exists() and not args.no_duck15:
            specs.append(Spec("x.duckdb", "ingest", "xlsx: DuckDB 1.5.5 read_xlsx into a table (separate venv)", "-",
                              "xlsx_duckdb", x, python=str(duck_python), ref="x.app"))  # fmt: skip
        c = {"file": str(csv_file), "tmp": tmp}
        specs += [
            Spec("c.app", "ingest", f"CSV {n_c} rows: product end to end (prepare + commit)", "-", "ingest_app",
                 {**c, "units": str(units)}),
            Spec("c.duckdb", "ingest", "CSV: DuckDB read_csv into a table", "-", "csv_duckdb", c, ref="c.app"),
            Spec("c.pandas", "ingest", "CSV: pandas.read_csv (all text)", "-", "csv_pandas", c, ref="c.app"),
        ]  # fmt: skip
        for n, path in sorted((csv_sizes or {}).items()):
            cs = {"file": str(path), "tmp": tmp}
            specs += [
                Spec(f"s.app.{n}", "ingest-scaling", f"CSV {n:,} rows: product end to end", "-", "ingest_app",
                     {**cs, "units": str(units)}),
                Spec(f"s.duckdb.{n}", "ingest-scaling", f"CSV {n:,} rows: DuckDB read_csv into a table", "-",
                     "csv_duckdb", cs, ref=f"s.app.{n}"),
            ]  # fmt: skip
    for scale, db in stores.items():
        d = {"db": str(db), "tmp": tmp}
        if "engine" in groups:
            specs += [
                Spec(f"e.year.{scale}", "engine", "views.year_data (read the year from the store)", scale,
                     "year_data", d),
                Spec(f"e.summary.{scale}", "engine", "views.summary, Q4 (task states + every rule)", scale,
                     "summary", d),
                Spec(f"e.summary_pd.{scale}", "engine", "plain pandas: task states + dossier ratios only", scale,
                     "summary_pandas", d, ref=f"e.summary.{scale}"),
                Spec(f"e.counts.{scale}", "engine", "DossierRows.counts by unit and field (SQL)", scale,
                     "counts_store", d),
                Spec(f"e.counts_pd.{scale}", "engine", "plain pandas groupby, same counts (frame in memory)",
                     scale, "counts_pandas", d, ref=f"e.counts.{scale}"),
                Spec(f"e.weekly.{scale}", "engine", "«Hồ sơ TTHC» for week 26: late list, trend, criteria, Excel",
                     scale, "weekly_view", d),
                Spec(f"e.latelist.{scale}", "engine", "CLI late-list --json, week 26 (fresh process)", scale,
                     "late_list_cli", d),
            ]  # fmt: skip
        if "pages" in groups and scale in ("district", "province"):
            pages = [p for p in PAGES if (ROOT / p).exists()]
            specs.append(Spec(f"p.{scale}", "pages", "AppTest", scale, "pages", {**d, "pages": pages}))
    return specs


def run_once(spec: Spec, profile_dir: Path | None = None) -> dict[str, Any]:
    params = dict(spec.params)
    if profile_dir is not None and spec.python == sys.executable:
        params["profile"] = str(profile_dir / f"{spec.key}.txt")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [spec.python, "-m", "benchmarks.measure", spec.case, json.dumps(params)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(
            (proc.stderr or proc.stdout).strip().splitlines()[-1]
            if (proc.stderr or proc.stdout)
            else f"exit {proc.returncode}"
        )
    return json.loads(lines[-1][len("RESULT ") :])


# Results ----------------------------------------------------------------------------------------


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def rows_of(specs: list[Spec]) -> list[dict[str, Any]]:
    """One output row per measurement (per page for the pages specs)."""
    out: list[dict[str, Any]] = []
    by_key = {s.key: s for s in specs}

    def summary(spec: Spec, section: str) -> tuple[float | None, float | None, float | None]:
        walls = [r["sections"][section] for r in spec.runs if section in r["sections"]]
        cpus = [r["cpu"][section] for r in spec.runs if section in r.get("cpu", {})]
        peaks = [r["peak_mb"] for r in spec.runs]
        return _median(walls), _median(cpus), (max(peaks) if peaks else None)

    for spec in specs:
        first = spec.runs[0] if spec.runs else {}
        if spec.case == "pages":
            sections = list(first.get("sections", {}))
            pages = []
            for name in sections:
                page, _, which = name.partition(".")
                if page not in pages:
                    pages.append(page)
            for page in pages:
                first_s = summary(spec, f"{page}.first")
                agains = [
                    r["sections"][s]
                    for r in spec.runs
                    for s in r["sections"]
                    if s.startswith(page + ".again")
                ]
                cpu_again = [
                    r["cpu"][s] for r in spec.runs for s in r["cpu"] if s.startswith(page + ".again")
                ]
                errors = sorted(
                    {
                        e
                        for r in spec.runs
                        for e in r.get("errors", {}).get(page if page != "app" else "app.first", [])
                    }
                )
                label = "app start + overview (cold caches)" if page == "app" else f"page {page}"
                out.append({
                    "group": "pages", "key": f"{spec.key}.{page}", "measurement": label, "scale": spec.scale,
                    "rows": None, "runs": len(spec.runs), "wall_s": first_s[0] if page == "app" else _median(agains),
                    "cpu_s": first_s[1] if page == "app" else _median(cpu_again), "first_s": first_s[0],
                    "peak_mb": first_s[2], "vs": "", "app_over_this": None,
                    "note": ("; ".join(errors)[:300] if errors else ""),
                })  # fmt: skip
            continue
        wall, cpu, peak = summary(spec, "total")
        row = {
            "group": spec.group, "key": spec.key, "measurement": spec.label, "scale": spec.scale,
            "rows": first.get("rows"), "runs": len(spec.runs), "wall_s": wall, "cpu_s": cpu, "first_s": None,
            "peak_mb": peak, "vs": "", "app_over_this": None, "note": spec.failed or "",
        }  # fmt: skip
        if spec.case == "ingest_app" and spec.runs:
            p, c = summary(spec, "prepare"), summary(spec, "commit")
            row["note"] = f"prepare {p[0]:.2f} s + commit {c[0]:.2f} s"
        if spec.ref and spec.ref in by_key and wall:
            ref_wall = summary(by_key[spec.ref], "total")[0]
            if ref_wall:
                ratio = ref_wall / wall
                row["app_over_this"] = ratio
                row["vs"] = (
                    f"product {ratio:.1f}× slower" if ratio >= 1 else f"product {1 / ratio:.1f}× faster"
                )
        out.append(row)
    return out


def scaling_rows(rows: list[dict[str, Any]], dossiers: dict[str, int]) -> list[dict[str, Any]]:
    """How each engine figure grows from district to province to stress, next to how the data grows."""
    scales = [s for s in ("district", "province", "stress") if s in dossiers]
    out = []
    if len(scales) < 2:
        return out
    base = scales[0]
    out.append({"measurement": "dossier rows", **{s: float(dossiers[s]) for s in scales},
                **{f"x_{s}": dossiers[s] / dossiers[base] for s in scales[1:]}})  # fmt: skip
    labels: dict[str, dict[str, float]] = {}
    for r in rows:
        if r["group"] in ("engine", "pages") and r["scale"] in scales and r["wall_s"]:
            later = r["group"] == "pages" and not r["key"].endswith(".app")
            name = f"{r['measurement']} (after first load)" if later else r["measurement"]
            labels.setdefault(name, {})[r["scale"]] = r["wall_s"]
    for name, by_scale in labels.items():
        if base not in by_scale:
            continue
        row = {"measurement": name, **{s: by_scale.get(s) for s in scales}}
        for s in scales[1:]:
            row[f"x_{s}"] = by_scale[s] / by_scale[base] if by_scale.get(s) else None
        out.append(row)
    return out


def ingest_scaling_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """CSV ingestion at each size of --csv-scaling: time, peak, DuckDB's read_csv, growth from the first size."""
    r = {row["key"]: row for row in rows}
    sizes = sorted(int(k.rsplit(".", 1)[1]) for k in r if k.startswith("s.app."))
    out = []
    for n in sizes:
        app, duck = r.get(f"s.app.{n}", {}), r.get(f"s.duckdb.{n}", {})
        out.append({"rows": n, "app_s": app.get("wall_s"), "app_mb": app.get("peak_mb"),
                    "duck_s": duck.get("wall_s"), "duck_mb": duck.get("peak_mb")})  # fmt: skip
    if out:
        first = out[0]
        for row in out:
            row["x_rows"] = row["rows"] / first["rows"]
            row["x_s"] = row["app_s"] / first["app_s"] if row["app_s"] and first["app_s"] else None
            row["x_mb"] = row["app_mb"] / first["app_mb"] if row["app_mb"] and first["app_mb"] else None
    return out


def targets(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The issue's targets, each with today's figure and whether it is met."""
    r = {row["key"]: row for row in rows}
    out = []

    def add(target: str, figure: str, met: bool | None) -> None:
        out.append(
            {"target": target, "today": figure, "met": "—" if met is None else ("yes" if met else "NO")}
        )

    if "x.app" in r and "x.calamine" in r and r["x.calamine"]["wall_s"]:
        ratio = r["x.app"]["wall_s"] / r["x.calamine"]["wall_s"]
        cpu = (r["x.app"]["cpu_s"] or 0) / (r["x.calamine"]["cpu_s"] or 1)
        add(
            "xlsx ingestion within 1.5× of the raw reader floor (python-calamine rows)",
            f"{ratio:.1f}× (CPU {cpu:.1f}×)",
            ratio <= 1.5,
        )
        short = {"x.calamine": "python-calamine", "x.fastexcel": "fastexcel", "x.duckdb": "DuckDB read_xlsx"}
        fastest = min((row["wall_s"], short[k]) for k, row in r.items() if k in short and row["wall_s"])
        add(f"(reference) xlsx ingestion vs the fastest raw reader ({fastest[1]})",
            f"{r['x.app']['wall_s'] / fastest[0]:.1f}×", None)  # fmt: skip
    if "x.app" in r and "x.openpyxl" in r and r["x.openpyxl"]["wall_s"]:
        speed = r["x.openpyxl"]["wall_s"] / r["x.app"]["wall_s"]
        add(
            "xlsx ingestion ≥ 10× faster than pandas.read_excel (openpyxl)",
            f"{speed:.1f}× faster",
            speed >= 10,
        )
    if "x.app" in r and "x.duckdb" in r and r["x.duckdb"]["wall_s"]:
        ratio = r["x.app"]["wall_s"] / r["x.duckdb"]["wall_s"]
        add("(stretch) xlsx ingestion no slower than DuckDB's own read_xlsx", f"{ratio:.1f}×", ratio <= 1)
    if "c.app" in r and "c.duckdb" in r and r["c.duckdb"]["wall_s"]:
        ratio = r["c.app"]["wall_s"] / r["c.duckdb"]["wall_s"]
        cpu = (r["c.app"]["cpu_s"] or 0) / (r["c.duckdb"]["cpu_s"] or 1)
        n = f"{r['c.app']['rows'] or 0:,}"
        add(f"CSV ingestion ({n} rows) ≤ 3× DuckDB read_csv of the same file", f"{ratio:.1f}× (CPU {cpu:.1f}×)",
            ratio <= 3)  # fmt: skip
        peak = r["c.app"]["peak_mb"]
        if peak:
            add(f"CSV ingestion ({n} rows) peak memory ≤ 1.5 GB", f"{peak:,.0f} MB", peak <= 1536)
    for scale, limit in (("district", 0.5), ("province", 1.5)):
        pages = [
            row
            for row in rows
            if row["group"] == "pages" and row["scale"] == scale and row["key"].split(".")[-1] != "app"
        ]
        if pages:
            worst = max(pages, key=lambda row: row["wall_s"] or 0)
            add(
                f"every page < {limit} s server-side at {scale} scale after the first load",
                f"slowest {worst['measurement'].replace('page ', '')} {worst['wall_s']:.2f} s"
                f" ({worst['cpu_s'] or 0:.2f} s CPU)",
                (worst["wall_s"] or 0) < limit,
            )
            errors = [row for row in pages if row["note"]]
            if errors:
                add(
                    f"pages at {scale} scale run without an error",
                    ", ".join(e["measurement"] for e in errors),
                    False,
                )
    if "e.summary.province" in r and r["e.summary.province"]["wall_s"]:
        s = r["e.summary.province"]["wall_s"]
        cpu = r["e.summary.province"]["cpu_s"] or 0
        add("summary at province scale < 1 s", f"{s:.2f} s ({cpu:.2f} s CPU)", s < 1)
    million = [row for row in rows if row["peak_mb"] and (
        row["key"] in ("e.year.province", "e.summary.province", "e.counts.province", "e.counts_pd.province")
        or (row["key"] == "c.app" and (row["rows"] or 0) >= 1_000_000))]  # fmt: skip
    if million:
        worst = max(million, key=lambda row: row["peak_mb"])
        add("1M dossiers loaded and queried with peak memory < 1.5 GB",
            f"max {worst['peak_mb']:,.0f} MB ({worst['measurement']}{', ' + worst['scale'] if worst['scale'] != '-' else ''})",
            worst["peak_mb"] < 1536)  # fmt: skip
    return out


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        return f"{value:.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def markdown(rows, scaling, goals, meta, ingest_scaling=()) -> str:
    lines = [
        f"# Benchmark results — {meta['when']}",
        "",
        f"Command: `{meta['command']}`. Machine: {meta['machine']}. Load average at start / end: "
        f"{meta['load_start']} / {meta['load_end']} (other work was running: compare ratios, not seconds).",
        f"District scale = {meta['district']}. Runs per measurement: {meta['repeat']} (median shown; each run a fresh "
        "process). Peak = the process's peak resident memory during the timed operation.",
        "",
        "## Targets",
        "",
        "| target | today | met |",
        "|---|---|---|",
        *[f"| {g['target']} | {g['today']} | {g['met']} |" for g in goals],
        "",
        "## Measurements",
        "",
        "| group | measurement | scale | rows | wall s | CPU s | first s | peak MB | vs product | note |",
        "|---|---|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['group']} | {r['measurement']} | {r['scale']} | {_fmt(r['rows'])} | {_fmt(r['wall_s'])} | "
            f"{_fmt(r['cpu_s'])} | {_fmt(r['first_s'])} | {_fmt(r['peak_mb'], 0)} | {r['vs']} | {r['note']} |"
        )
    lines += [
        "",
        "Pages: *wall s* is the median of the later runs of the page on the same session (after its first "
        "load), *first s* its first run; the app row is the first run of the app (overview, cold caches). "
        "Their peak is the peak of the whole AppTest session (every page), the same on each row.",
    ]
    if scaling:
        scales = [s for s in ("district", "province", "stress") if any(s in r for r in scaling)]
        lines += ["", "## Scaling (wall seconds; ×: growth from district)", "",
                  "| measurement | " + " | ".join(scales) + " | " + " | ".join(f"× {s}" for s in scales[1:]) + " |",
                  "|---|" + "---:|" * (2 * len(scales) - 1)]  # fmt: skip
        for r in scaling:
            cells = [
                _fmt(r.get(s), 3) if r["measurement"] != "dossier rows" else _fmt(int(r[s])) for s in scales
            ]
            cells += [_fmt(r.get(f"x_{s}"), 1) for s in scales[1:]]
            lines.append(f"| {r['measurement']} | " + " | ".join(cells) + " |")
    if ingest_scaling:
        lines += ["", "## Ingestion scaling (CSV end to end: prepare + commit; ×: growth from the smallest file)", "",
                  "| rows | product s | product peak MB | DuckDB read_csv s | DuckDB peak MB | product ÷ DuckDB "
                  "| × rows | × time | × peak |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
        for r in ingest_scaling:
            ratio = r["app_s"] / r["duck_s"] if r["app_s"] and r["duck_s"] else None
            lines.append(
                f"| {r['rows']:,} | {_fmt(r['app_s'])} | {_fmt(r['app_mb'], 0)} | {_fmt(r['duck_s'])} | "
                f"{_fmt(r['duck_mb'], 0)} | {_fmt(ratio, 1)} | {_fmt(r['x_rows'], 0)} | {_fmt(r['x_s'], 1)} | "
                f"{_fmt(r['x_mb'], 1)} |"
            )
    return "\n".join(lines) + "\n"


def write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    fields = ["group", "key", "measurement", "scale", "rows", "runs", "wall_s", "cpu_s", "first_s", "peak_mb",
              "app_over_this", "vs", "note"]  # fmt: skip
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: (f"{v:.4f}" if isinstance(v, float) else v) for k, v in r.items()})


def print_table(rows: list[dict[str, Any]], goals: list[dict[str, Any]]) -> None:
    head = f"{'group':7} {'measurement':62} {'scale':9} {'rows':>10} {'wall s':>8} {'CPU s':>7} {'first s':>8} {'peak MB':>8}  vs product"
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['group']:7} {r['measurement'][:62]:62} {r['scale']:9} {_fmt(r['rows']):>10} {_fmt(r['wall_s']):>8} "
              f"{_fmt(r['cpu_s']):>7} {_fmt(r['first_s']):>8} {_fmt(r['peak_mb'], 0):>8}  {r['vs']} {r['note'][:80]}")  # fmt: skip
    print()
    for g in goals:
        print(f"[{g['met']:>3}] {g['target']}: {g['today']}")


def _load() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def report(specs, dossiers, args, argv, repeat, load_start, district_label, started, final) -> None:
    """Write the results (after every round of runs, so an interrupted run still leaves a table)."""
    rows = rows_of(specs)
    scaling = scaling_rows(rows, dossiers)
    goals = targets(rows)
    done = min((len(s.runs) for s in specs if not s.failed), default=0)
    meta = {
        "when": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "command": "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "load_start": load_start,
        "load_end": _load(),
        "district": district_label,
        "repeat": repeat if final else f"{done} of {repeat} (interrupted)",
    }
    if final:
        print()
        print_table(rows, goals)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_csv(out.with_suffix(".csv"), rows)
    ingest_scaling = ingest_scaling_rows(rows)
    out.with_suffix(".md").write_text(markdown(rows, scaling, goals, meta, ingest_scaling), encoding="utf-8")
    (out.parent / f"{out.name}.json").write_text(
        json.dumps(
            {
                "meta": meta,
                "rows": rows,
                "scaling": scaling,
                "ingest_scaling": ingest_scaling,
                "targets": goals,
            },
            ensure_ascii=False,
            indent=1,
            default=str,
        ),
        encoding="utf-8",
    )
    if final:
        print(
            f"\nWrote {out.with_suffix('.csv')} and {out.with_suffix('.md')} in {time.perf_counter() - started:.0f} s."
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark suite (not a test).")
    parser.add_argument("--quick", action="store_true", help="small files, district only, one run each")
    parser.add_argument("--scale", default=None, help="comma list of district,province,stress")
    parser.add_argument("--only", default="ingest,engine,pages", help="comma list of ingest,engine,pages")
    parser.add_argument("--repeat", type=int, default=None, help="runs per measurement (default 3; quick 1)")
    parser.add_argument("--xlsx-rows", type=int, default=None, help="rows of the dossier xlsx (200,000)")
    parser.add_argument("--csv-rows", type=int, default=None, help="rows of the dossier CSV (1,000,000)")
    parser.add_argument(
        "--csv-scaling",
        default=None,
        help="comma list of CSV sizes for the ingestion scaling table, e.g. 30000,1000000,5000000",
    )
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--no-duck15", action="store_true", help="skip DuckDB read_xlsx (needs benchmarks/.venv-duck15)"
    )
    parser.add_argument("--setup-duck15", action="store_true", help="create benchmarks/.venv-duck15 first")
    parser.add_argument(
        "--profile", action="store_true", help="write pyinstrument profiles to benchmarks/results/profiles"
    )
    parser.add_argument("--out", default=str(RESULTS / "latest"), help="results path without extension")
    args = parser.parse_args(argv)
    args.only = [g.strip() for g in args.only.split(",") if g.strip()]
    scales = (
        args.scale.split(",")
        if args.scale
        else (["district"] if args.quick else ["district", "province", "stress"])
    )
    repeat = args.repeat or (1 if args.quick else 3)
    args.xlsx_rows = args.xlsx_rows or (20_000 if args.quick else 200_000)
    args.csv_rows = args.csv_rows or (100_000 if args.quick else 1_000_000)
    if args.setup_duck15:
        setup_duck15()
    load_start = _load()
    started = time.perf_counter()

    print(f"Preparing data (seed {args.seed}) …", flush=True)
    district_dir, district_label = district_files()
    stores: dict[str, Path] = {}
    dossiers: dict[str, int] = {}
    for scale in scales:
        if scale == "district":
            stores[scale] = build_store("district", district_dir)
        elif scale == "province":
            stores[scale] = build_store("province", generate.generate_scale("province", args.seed))
        elif scale == "stress":
            d = generate.generate_scale("stress", args.seed)
            stores[scale] = build_store("stress", d, dossier_csv=d / f"ho_so_tthc_{generate.YEAR}.csv")
    if args.only != ["ingest"]:
        from analysis.store import Store

        for scale, path in stores.items():
            dossiers[scale] = Store(path).row_counts()["dossiers"]
    xlsx = generate.generate_ingest_xlsx(args.xlsx_rows, args.seed)
    csv_file = generate.generate_ingest_csv(args.csv_rows, args.seed)
    units = (
        generate.generate_scale("province", args.seed) / "don_vi.xlsx"
        if "province" in scales or not args.quick
        else None
    )
    if units is None:  # quick: province units without the million dossiers
        units = generate.generate_scale("province", args.seed, dossiers=1000) / "don_vi.xlsx"
    print(f"Data ready in {time.perf_counter() - started:.0f} s.", flush=True)

    csv_sizes = {
        int(n): generate.generate_ingest_csv(int(n), args.seed)
        for n in (args.csv_scaling.split(",") if args.csv_scaling and "ingest" in args.only else [])
    }
    specs = plan(args, stores, xlsx, csv_file, units, csv_sizes)
    profile_dir = None
    if args.profile:
        profile_dir = RESULTS / "profiles"
        profile_dir.mkdir(parents=True, exist_ok=True)
    # Interleave: run k of every measurement before run k+1 of any, so a noisy minute hits all alike.
    for k in range(repeat):
        for spec in specs:
            if spec.failed:
                continue
            print(f"  run {k + 1}/{repeat} {spec.key} …", end=" ", flush=True)
            try:
                result = run_once(spec, profile_dir if k == 0 else None)
                spec.runs.append(result)
                total = result["sections"].get("total")
                print(
                    f"{total:.2f} s" if total is not None else "ok",
                    f"peak {result['peak_mb']:.0f} MB",
                    flush=True,
                )
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                spec.failed = f"failed: {exc}"[:300]
                print(spec.failed, flush=True)
        if k + 1 < repeat:
            report(specs, dossiers, args, argv, repeat, load_start, district_label, started, final=False)

    report(specs, dossiers, args, argv, repeat, load_start, district_label, started, final=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
