"""Loading files into the store: parse, resolve unit names, then commit all sheets in one transaction.

The CLI, the upload page and the sample loader all go through `prepare` and `commit`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pandas as pd

from analysis import settings
from analysis.engine.units import UnitIndex
from analysis.errors import Problem
from analysis.ingest.sheets import DETECT, FileResult, ReadOptions, parse_file
from analysis.ingest.worker import parse_isolated
from analysis.periods import quarter_end
from analysis.schema import DATASETS
from analysis.settings import SAMPLE_DIR
from analysis.store import PLAN_DATASETS, BatchInput, Store, bulk, scope_key

# Order matters: units first so names resolve, the framework before scores, plan before progress.
SAMPLE_ORDER = (
    "don_vi",
    "bo_tieu_chi",
    "phu_luc_nhiem_vu",
    "tien_do_nhiem_vu_2024_Q1",
    "tien_do_nhiem_vu_2024_Q2",
    "tien_do_nhiem_vu_2024_Q3",
    "tien_do_nhiem_vu_2024_Q4",
    "tien_do_nhiem_vu_2025",
    "tu_danh_gia_huyen",
    "tu_danh_gia_xa",
    "ho_so_tthc",
    "ket_qua_cong_bo",
)


@dataclass
class Prepared:
    """A parsed file, its unit look-ups done, ready to preview or commit."""

    result: FileResult
    data: bytes
    batches: list[BatchInput]
    warnings: list[Problem] = field(default_factory=list)
    new_units: list[str] = field(default_factory=list)
    duplicate_of: list[int] = field(default_factory=list)

    @property
    def filename(self) -> str:
        return self.result.filename


def prepare(store: Store, data: bytes, filename: str, options: ReadOptions = DETECT) -> Prepared:
    """Parse a file (raises IngestError with every problem) and resolve its unit names against the store."""
    # In a child process: a damaged file cannot take the server down.
    result = parse_isolated(data, filename, options, bulk=bulk())
    return resolve_units(store, result, data)


def resolve_units(store: Store, result: FileResult, data: bytes) -> Prepared:
    """Map the unit names of a parsed file to registered units; unknown names become new units (warned)."""
    with store.session():
        units = store.units()
        loaded = store.find_file(result.sha256)
    indexes: dict[date | None, UnitIndex] = {}
    warnings = list(result.warnings)
    new_units: dict[str, None] = {}

    def resolve(name: object, sheet: str, label: str, sheet_warnings: list[Problem]) -> str | None:
        if name is None or (isinstance(name, float) and pd.isna(name)) or name == "":
            return None
        hit = index.resolve(name)
        if not hit.known and hit.name not in new_units:
            new_units[hit.name] = None
            problem = Problem(
                result.filename,
                sheet,
                column=label,
                value=hit.name,
                message="Đơn vị chưa có trong danh mục: đã ghi nhận là đơn vị mới (kiểm tra lỗi chính tả).",
                message_en="Unit not in the unit list: registered as a new unit (check the spelling).",
                severity="warning",
            )
            warnings.append(problem)
            sheet_warnings.append(problem)
        return hit.name

    batches = []
    for sheet in result.sheets:
        frame = sheet.frame
        sheet_warnings: list[Problem] = []
        # Names are resolved against the units that existed when the data was written.
        on = data_date(sheet.year, sheet.quarter if sheet.dataset == "scores" else None)
        index = indexes.setdefault(on, UnitIndex(units, on))
        unit_name = sheet.unit or None  # an empty unit is the district itself
        if sheet.dataset in ("tasks", "dossiers"):
            col = "lead_unit" if sheet.dataset == "tasks" else "unit"
            label = DATASETS[sheet.dataset].column(col).label
            uniques = frame[col].dropna().unique()
            mapping = {u: resolve(u, sheet.sheet, label, sheet_warnings) for u in uniques}
            frame = frame.assign(**{col: frame[col].map(mapping)})
        if sheet.dataset == "scores":
            if unit_name is not None:
                hit = index.resolve(unit_name)
                label = DATASETS["scores"].column("unit").label
                unit_name = None if hit.top_level else resolve(unit_name, sheet.sheet, label, sheet_warnings)
            frame = frame.assign(unit=unit_name)
        batches.append(
            BatchInput(
                dataset=sheet.dataset,
                frame=frame,
                file_name=result.filename,
                sheet=sheet.sheet,
                sha256=result.sha256,
                year=sheet.year,
                quarter=sheet.quarter if "quarter" in DATASETS[sheet.dataset].scope else None,
                unit=unit_name
                if sheet.dataset == "scores"
                else (sheet.unit if "unit" in DATASETS[sheet.dataset].scope else None),
                excel_rows=sheet.excel_rows,
                warnings=len(sheet.warnings) + len(sheet_warnings),
            )
        )
    return Prepared(result, data, batches, warnings, list(new_units), _duplicates(loaded, batches))


def data_date(year: int | None, quarter: int | None = None) -> date | None:
    """The date a sheet speaks of: its quarter's end, else its year's end (None without a year)."""
    if year is None:
        return None
    return quarter_end(int(year), int(quarter) if quarter else 4)


def _duplicates(loaded: pd.DataFrame, batches: list[BatchInput]) -> list[int]:
    """Batches already loaded from the same bytes into the same scopes (same year, quarter, unit).

    The same file given another year or quarter on purpose is a new load, not a duplicate.
    """
    if loaded.empty:
        return []
    scopes = {(b.dataset, scope_key(DATASETS[b.dataset], b.year, b.quarter, b.unit, b.plan)) for b in batches}
    hits = [
        int(batch_id)
        for batch_id, dataset, key in zip(
            loaded["batch_id"], loaded["dataset"], loaded["scope_key"], strict=True
        )
        if (dataset, key) in scopes
    ]
    return hits


def commit(store: Store, prepared: Prepared, user: str) -> list[int]:
    """Commit every sheet of a prepared file as batches, in one transaction."""
    return store.commit(prepared.batches, user, content=prepared.data, new_units=prepared.new_units)


def sample_files(directory: Path | None = None) -> list[Path]:
    """The bundled sample files in load order (none when the folder is missing)."""
    directory = SAMPLE_DIR if directory is None else directory
    if not directory.is_dir():
        return []
    files = [p for p in directory.iterdir() if p.is_file() and not p.name.startswith((".", "README"))]

    def rank(p: Path) -> tuple[int, str]:
        for i, prefix in enumerate(SAMPLE_ORDER):
            if p.name.startswith(prefix):
                return i, p.name
        return len(SAMPLE_ORDER), p.name

    return sorted((p for p in files if p.suffix.lower() in (".xlsx", ".xls", ".ods", ".csv")), key=rank)


def load_sample(
    store: Store, user: str = "sample", directory: Path | None = None
) -> list[tuple[Path, Prepared, list[int]]]:
    """Load the bundled sample through the same path a user's file takes; skips files already loaded."""
    out = []
    for path in sample_files(directory):
        data = path.read_bytes()
        result = parse_file(data, path.name, bulk=bulk())  # outside the session: parsing is the slow part
        with store.session():
            prepared = resolve_units(store, result, data)
            ids = [] if prepared.duplicate_of else commit(store, prepared, user)
        out.append((path, prepared, ids))
    return out


def sample_wanted(store: Store) -> bool:
    """Whether the first start should load the bundled sample: an empty store and CCHC_NO_SAMPLE unset."""
    return settings.load_sample_on_first_start() and store.is_empty()


def ensure_sample(store: Store) -> bool:
    """Load the sample into an empty store (first start); True when it loaded something."""
    if not store.is_empty():
        return False
    return any(ids for _, _, ids in load_sample(store))


def assign_plan(
    store: Store, prepared: Prepared, plan: str | None, datasets: tuple[str, ...] = ("tasks",)
) -> Prepared:
    """The prepared file with its task sheets loaded as `plan`'s own plan (None: the organisation's).

    Loading a unit's plan replaces only that plan; the organisation's plan and other units' stay.
    With datasets=("framework",), `plan` is the framework's level ('commune', 'office').
    """
    plan = (plan or "").strip() or None
    if plan is None:
        return prepared
    wanted = set(datasets) & set(PLAN_DATASETS)
    batches = [replace(b, plan=plan) if b.dataset in wanted else b for b in prepared.batches]
    duplicates = _duplicates(store.find_file(prepared.result.sha256), batches)
    return replace(prepared, batches=batches, duplicate_of=duplicates)
