"""The full meeting pack of a quarter on the bundled sample: report (docx, pdf), deck (pptx), chart PNGs (zip).

    python -m benchmarks.pack               # Q2/2024, three runs, each in a fresh process (cold browser)
    python -m benchmarks.pack --repeat 5 --quarter 4

Target: the whole pack in under 15 s on an ordinary machine. The sample is loaded into a temporary
DuckDB file first (not timed). Each run is a fresh Python process, so the timed figure includes the
year's read, every engine call and starting the browser that draws the charts. Results go to
benchmarks/results/pack.md and pack.json. Not a test; not run in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
TARGET_S = 15.0

_CHILD = """
import json, resource, sys, time
def cpu(who):
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime
t0 = time.perf_counter()
from analysis.engine import year as views
from analysis.exports import pack
from analysis.store import Store
t1 = time.perf_counter()
c1, b1 = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
data = views.year_data(Store(sys.argv[1]), 2024)
files = pack.full_pack(data, int(sys.argv[2]))
t2 = time.perf_counter()
print(json.dumps({"imports_s": t1 - t0, "pack_s": t2 - t1, "cpu_s": cpu(resource.RUSAGE_SELF) - c1,
                  "browser_cpu_s": cpu(resource.RUSAGE_CHILDREN) - b1,
                  "sizes": {k: len(f.data) for k, f in files.items()}}))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pack")
    parser.add_argument("--quarter", type=int, default=2, choices=[1, 2, 3, 4])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    from analysis.exports import browser
    from analysis.store import Store
    from analysis.workflow.load import load_sample

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "sample.duckdb"
        load_sample(Store(db))
        runs = []
        for _ in range(args.repeat):
            done = subprocess.run(
                [sys.executable, "-c", _CHILD, str(db), str(args.quarter)],
                capture_output=True, text=True, check=True, cwd=ROOT, timeout=600,
            )  # fmt: skip
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    pack_s = [r["pack_s"] for r in runs]
    median = statistics.median(pack_s)
    result = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "quarter": args.quarter,
        "runs": runs,
        "median_pack_s": round(median, 2),
        "median_imports_s": round(statistics.median(r["imports_s"] for r in runs), 2),
        "median_cpu_s": round(statistics.median(r["cpu_s"] for r in runs), 2),
        "median_browser_cpu_s": round(statistics.median(r["browser_cpu_s"] for r in runs), 2),
        "target_s": TARGET_S,
        "met": median + statistics.median(r["imports_s"] for r in runs) < TARGET_S,
        "browser": browser.find_browser(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "pack.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    sizes = runs[0]["sizes"]
    lines = [
        "# Meeting pack on the sample",
        "",
        f"`python -m benchmarks.pack` — {result['when']}, {result['machine']}, load average "
        f"{result['load_average']:.1f} at the end, browser {result['browser'] or 'none'}.",
        "",
        "| measurement | median of runs (s) | each run (s) | target |",
        "|---|---:|---:|---|",
        f"| imports (analysis, python-docx, docxtpl, fpdf2, plotly, python-pptx) | {result['median_imports_s']:.2f} | "
        + ", ".join(f"{r['imports_s']:.2f}" for r in runs)
        + " | |",
        f"| full pack of Q{args.quarter}/2024: year read, docx, pdf, pptx, zip of {1920}×{1080} PNGs | {median:.2f} | "
        + ", ".join(f"{s:.2f}" for s in pack_s)
        + f" | imports + pack < {TARGET_S:.0f} s: {'met' if result['met'] else 'NOT met'} |",
        f"| CPU time of the pack in this process (engine, documents; load-independent) | {result['median_cpu_s']:.2f} | "
        + ", ".join(f"{r['cpu_s']:.2f}" for r in runs)
        + " | |",
        f"| CPU time of the browser drawing the charts (Chromium, reaped children) | {result['median_browser_cpu_s']:.2f} | "
        + ", ".join(f"{r['browser_cpu_s']:.2f}" for r in runs)
        + " | |",
        "",
        "Wall times depend on what else the machine runs (see the load average above: on 2 CPUs a load of 10 "
        "means each process gets about a fifth of a CPU); the CPU times do not.",
        "",
        "Sizes: " + ", ".join(f"{k} {v / 1024:.0f} KB" for k, v in sizes.items()) + ".",
        "",
    ]
    (RESULTS / "pack.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
