"""The analyst's upload workflow: check a file, commit it, roll back, and read the history.

Every action that changes data checks the user's permission here, on the server side, whatever
the page shows. Commits and rollbacks record the user's name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis import fmt
from analysis.engine.organisation import organisation
from analysis.errors import IngestError, Problem, UserError, column_letter
from analysis.ingest.sheets import ReadOptions, SheetResult, sha256_of
from analysis.ingest.worker import read_grids_isolated
from analysis.schema import DATASETS, choice_label
from analysis.store import Store, scope_key
from analysis.workflow import auth
from analysis.workflow.load import Prepared, commit, prepare


class UploadError(UserError):
    """An upload action refused for a reason the analyst can act on (Vietnamese / English)."""


class DuplicateUpload(UploadError):
    """The identical file is already loaded into the same scopes."""

    def __init__(self, batch_ids: list[int]):
        self.batch_ids = batch_ids
        ids = ", ".join(map(str, batch_ids))
        super().__init__(
            f"Tệp giống hệt đã được nạp trước đây (lần nạp {ids}); không ghi lại. / "
            f"The identical file is already loaded (batch {ids})."
        )


@dataclass(frozen=True)
class Overrides:
    """What the analyst corrected before committing: dataset, year, quarter, unit, column mapping."""

    kind: str | None = None
    year: int | None = None
    quarter: int | None = None
    unit: str | None = None
    columns: tuple[tuple[str, str], ...] = ()  # (column letter, canonical column)

    @property
    def key(self) -> str:
        """A stable text key, for caching parse results per file and overrides."""
        cols = ",".join(f"{letter}={name}" for letter, name in sorted(self.columns))
        return f"{self.kind}|{self.year}|{self.quarter}|{self.unit}|{cols}"


@dataclass
class UploadCheck:
    """A file checked against the store: either prepared (ready to preview and commit) or its problems."""

    filename: str
    sha256: str
    overrides: Overrides
    prepared: Prepared | None = None
    problems: list[Problem] = field(default_factory=list)
    header: list[dict[str, str]] = field(default_factory=list)  # failing sheet's header cells {col, header}
    dataset_guess: str | None = None  # when the file failed: the dataset its problems speak of

    @property
    def ok(self) -> bool:
        return self.prepared is not None

    @property
    def warnings(self) -> list[Problem]:
        return self.prepared.warnings if self.prepared else []

    @property
    def duplicate_of(self) -> list[int]:
        return self.prepared.duplicate_of if self.prepared else []


def _header_cells(data: bytes, filename: str, problems: list[Problem]) -> list[dict[str, str]]:
    """The header row of the first sheet whose problems name a row but no cell (a missing column)."""
    rows = [(p.sheet, p.row) for p in problems if p.row is not None and p.col is None and p.sheet]
    if not rows:
        return []
    sheet, row = rows[0]
    try:
        grids = {g.name: g for g in read_grids_isolated(data, filename)}
    except IngestError:
        return []
    grid = grids.get(sheet)
    if grid is None or row - 1 >= len(grid.rows):
        return []
    cells = grid.rows[row - 1]
    return [
        {"col": column_letter(c), "header": str(v).strip()}
        for c, v in enumerate(cells)
        if v is not None and str(v).strip()
    ]


def _guess_dataset(problems: list[Problem]) -> str | None:
    """The dataset whose column labels the problems mention most."""
    best, hits = None, 0
    for name, ds in DATASETS.items():
        labels = {c.label for c in ds.columns}
        count = sum(1 for p in problems if p.column in labels)
        if count > hits:
            best, hits = name, count
    return best


def check_upload(
    store: Store, data: bytes, filename: str, user: auth.User | None, overrides: Overrides | None = None
) -> UploadCheck:
    """Parse and validate a file with the analyst's overrides; nothing is written."""
    auth.require(user, "upload")
    overrides = overrides or Overrides()
    check = UploadCheck(filename, sha256_of(data), overrides)
    try:
        options = ReadOptions(
            kind=overrides.kind,
            year=overrides.year,
            quarter=overrides.quarter,
            unit=overrides.unit,
            column_overrides=dict(overrides.columns) or None,
        )
        check.prepared = prepare(store, data, filename, options)
    except IngestError as exc:
        check.problems = list(exc.problems)
        check.header = _header_cells(data, filename, check.problems)
        check.dataset_guess = overrides.kind or _guess_dataset(check.problems)
    return check


def _loaded_duplicates(store: Store, prepared: Prepared) -> list[int]:
    """Batches already loaded from the same bytes into the same scopes, as the store stands now."""
    loaded = store.find_file(prepared.result.sha256)
    if loaded.empty:
        return []
    scopes = {
        (b.dataset, scope_key(DATASETS[b.dataset], b.year, b.quarter, b.unit)) for b in prepared.batches
    }
    return [
        int(i)
        for i, d, k in zip(loaded["batch_id"], loaded["dataset"], loaded["scope_key"], strict=True)
        if (d, k) in scopes
    ]


def commit_upload(
    store: Store, prepared: Prepared, user: auth.User | None, *, force: bool = False
) -> list[int]:
    """Commit a checked file in one transaction, recording the user; returns the new batch ids.

    Refuses users without the commit permission (AuthError), and a file already loaded into the
    same scopes (DuplicateUpload) unless force is given.
    """
    auth.require(user, "commit")
    assert user is not None  # for the type checker: require() refused None
    if not prepared.batches:
        raise UploadError("Tệp không có dữ liệu để ghi. / The file holds no data to commit.")
    # Checked again now: another session may have loaded the same file since it was prepared.
    duplicates = sorted(set(prepared.duplicate_of) | set(_loaded_duplicates(store, prepared)))
    if duplicates and not force:
        raise DuplicateUpload(duplicates)
    return commit(store, prepared, user.username)


def _batch(store: Store, batch_id: int) -> dict[str, Any]:
    batches = store.batches()
    row = batches[batches["batch_id"] == batch_id]
    if row.empty:
        raise UploadError(f"Không có lần nạp số {batch_id}. / No batch {batch_id}.")
    return row.iloc[0].to_dict()


def rollback_batch(store: Store, batch_id: int, user: auth.User | None, note: str | None = None) -> int:
    """Make an earlier batch current again for its scope (recorded as an event); returns the event id."""
    auth.require(user, "rollback")
    assert user is not None
    batch = _batch(store, int(batch_id))
    if bool(batch["current"]):
        raise UploadError(
            f"Lần nạp {batch_id} đang là dữ liệu hiện hành; không cần khôi phục. / Batch {batch_id} is already current."
        )
    return store.rollback(int(batch_id), user.username, note)


def undo_batch(store: Store, batch_id: int, user: auth.User | None, note: str | None = None) -> int:
    """Take a current batch back: the batch loaded before it in the same scope becomes current,
    or, when it was the first, the scope is left without data. Recorded as an event; nothing deleted."""
    auth.require(user, "rollback")
    assert user is not None
    batch = _batch(store, int(batch_id))
    if not bool(batch["current"]):
        raise UploadError(
            f"Lần nạp {batch_id} không phải dữ liệu hiện hành. / Batch {batch_id} is not current."
        )
    batches = store.batches(batch["dataset"])
    earlier = batches[(batches["scope_key"] == batch["scope_key"]) & (batches["batch_id"] < batch_id)]
    if len(earlier):
        return store.rollback(int(earlier["batch_id"].max()), user.username, note)
    return store.withdraw(batch["dataset"], batch["scope_key"], user.username, note)


# History, for the history page -------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def _int_text(value: Any) -> str:
    text = _text(value)
    return text.split(".")[0] if text else ""


def _when(value: Any) -> str:
    if _text(value) == "":
        return ""
    return pd.Timestamp(value).strftime("%d/%m/%Y %H:%M")


def scope_text(dataset: str, key: str) -> str:
    """«Năm 2024, Quý I, Xã Ba Tô» from a scope key such as 'scores|year=2024|quarter=1|unit=Xã Ba Tô'."""
    parts = dict(p.split("=", 1) for p in key.split("|")[1:] if "=" in p)
    out = []
    if parts.get("year"):
        out.append(f"Năm {parts['year']}")
    if parts.get("quarter"):
        out.append(fmt.quarter_label(int(parts["quarter"])))
    if dataset == "scores":
        out.append(parts.get("unit") or organisation().whole_label)
    return ", ".join(out) or "Toàn bộ"


def history_frame(store: Store) -> pd.DataFrame:
    """Every batch, newest first, as the history page shows it."""
    batches = store.batches()
    rows = [
        {
            "Lần nạp": int(b["batch_id"]),
            "Dữ liệu": DATASETS[b["dataset"]].label,
            "Phạm vi": scope_text(b["dataset"], b["scope_key"]),
            "Tệp": _text(b["file_name"]),
            "Trang tính": _text(b["sheet"]),
            "SHA-256": _text(b["sha256"])[:12],
            "Người nạp": _text(b["loaded_by"]),
            "Thời điểm": _when(b["loaded_at"]),
            "Số dòng": int(b["row_count"]) if _text(b["row_count"]) else 0,
            "Cảnh báo": int(b["warnings"]) if _text(b["warnings"]) else 0,
            "Trạng thái": "Đang dùng" if bool(b["current"]) else "Đã thay thế",
        }
        for b in batches.to_dict("records")
    ]
    columns = [
        "Lần nạp",
        "Trạng thái",
        "Dữ liệu",
        "Phạm vi",
        "Số dòng",
        "Tệp",
        "Trang tính",
        "Người nạp",
        "Thời điểm",
        "SHA-256",
        "Cảnh báo",
    ]
    return pd.DataFrame(rows, columns=columns)


def batch_label(batch: dict[str, Any]) -> str:
    """«Lần nạp 12 · Nhiệm vụ · Năm 2024 · tien_do_Q2.xlsx · 05/07/2024 09:12»."""
    return " · ".join(
        [
            f"Lần nạp {int(batch['batch_id'])}",
            DATASETS[batch["dataset"]].label,
            scope_text(batch["dataset"], batch["scope_key"]),
            _text(batch["file_name"]),
            _when(batch["loaded_at"]),
        ]
    )


def restore_choices(store: Store) -> dict[int, str]:
    """Batches that are not current (can be made current again): id -> label, newest first."""
    batches = store.batches()
    return {int(b["batch_id"]): batch_label(b) for b in batches.to_dict("records") if not bool(b["current"])}


def undo_choices(store: Store) -> dict[int, str]:
    """Current batches (can be taken back): id -> label, newest first."""
    batches = store.batches()
    return {int(b["batch_id"]): batch_label(b) for b in batches.to_dict("records") if bool(b["current"])}


def file_choices(store: Store) -> dict[str, str]:
    """Uploaded files that can be downloaded again: sha256 -> «name (loaded dd/mm/yyyy, batches …)»."""
    batches = store.batches()
    out: dict[str, str] = {}
    for sha, group in batches.groupby("sha256", sort=False):
        first = group.sort_values("batch_id").iloc[0]
        ids = ", ".join(str(int(i)) for i in sorted(group["batch_id"]))
        out[str(sha)] = f"{_text(first['file_name'])} (nạp {_when(first['loaded_at'])}, lần nạp {ids})"
    return out


def file_name_of(store: Store, sha256: str) -> str:
    """The name a file was uploaded under."""
    found = store.find_file(sha256)
    return _text(found["file_name"].iloc[0]) if len(found) else f"{sha256[:12]}.bin"


def events_frame(store: Store) -> pd.DataFrame:
    """The event log (commits and rollbacks), newest first."""
    events = store.events()
    rows = []
    for e in events.to_dict("records"):
        batch = _int_text(e["batch_id"])
        if e["action"] == "commit":
            action = "Ghi dữ liệu"
        elif batch:
            action = "Khôi phục lần nạp"
        else:
            action = "Gỡ dữ liệu (không còn lần nạp hiện hành)"
        rows.append(
            {
                "Sự kiện": int(e["event_id"]),
                "Thời điểm": _when(e["event_at"]),
                "Người thực hiện": _text(e["event_by"]),
                "Hành động": action,
                "Dữ liệu": DATASETS[e["dataset"]].label if e["dataset"] in DATASETS else _text(e["dataset"]),
                "Phạm vi": scope_text(e["dataset"], e["scope_key"]),
                "Lần nạp": batch,
                "Ghi chú": _text(e["note"]),
            }
        )
    columns = [
        "Sự kiện",
        "Thời điểm",
        "Người thực hiện",
        "Hành động",
        "Dữ liệu",
        "Phạm vi",
        "Lần nạp",
        "Ghi chú",
    ]
    return pd.DataFrame(rows, columns=columns)


# Display tables for the upload page ----------------------------------------------------------------


def unit_names(store: Store) -> list[str]:
    """Registered unit names, for drop-downs (sorted, accents kept)."""
    return sorted({n for n in store.units()["name"].dropna()}, key=str.casefold)


def column_targets(dataset: str) -> dict[str, str]:
    """Canonical columns a sheet column can be assigned to: name -> Vietnamese label."""
    return {c.name: c.label for c in DATASETS[dataset].sheet_columns}


def mapping_frame(sheet: SheetResult) -> pd.DataFrame:
    """How the header was read: Cột | Tiêu đề trong tệp | Hiểu là."""
    ds = DATASETS[sheet.dataset]
    rows = [
        {
            "Cột": m["col"],
            "Tiêu đề trong tệp": m["header"],
            "Hiểu là": ds.column(m["column"]).label if m["column"] else "— không dùng —",
        }
        for m in sheet.mapping
    ]
    return pd.DataFrame(rows, columns=["Cột", "Tiêu đề trong tệp", "Hiểu là"])


def unmapped_columns(check: UploadCheck) -> dict[str, str]:
    """Sheet columns the analyst may assign: letter -> header text (unrecognised headers first)."""
    if check.prepared is not None:
        out: dict[str, str] = {}
        for sheet in check.prepared.result.sheets:
            for m in sheet.mapping:
                if not m["column"] and m["col"] not in out:
                    out[m["col"]] = m["header"]
        return out
    return {cell["col"]: cell["header"] for cell in check.header}


def _display(dataset: str, column: str, kind: str, value: Any) -> Any:
    if _text(value) == "":
        return ""
    if kind == "date":
        return fmt.vdate(pd.Timestamp(value))
    if kind == "timestamp":
        return pd.Timestamp(value).strftime("%d/%m/%Y %H:%M")
    if kind == "bool":
        return "Có" if bool(value) else "Không"
    if kind == "float":
        return fmt.num(float(value))
    if kind == "int":
        return str(int(value))
    return choice_label(dataset, column, str(value))


def preview_frame(dataset: str, frame: pd.DataFrame, rows: int = 50) -> pd.DataFrame:
    """The first canonical rows with Vietnamese headers and values as people write them."""
    ds = DATASETS[dataset]
    head = frame.head(rows)
    out = pd.DataFrame(index=range(len(head)))
    for col in ds.columns:
        if col.name not in head:
            continue
        out[col.label] = [_display(dataset, col.name, col.type, v) for v in head[col.name]]
    return out


def sheet_caption(sheet: SheetResult, unit: str | None) -> str:
    """«Nhiệm vụ · năm 2024 · Quý II · 93 dòng (tiêu đề ở dòng 4)»."""
    ds = DATASETS[sheet.dataset]
    parts = [ds.label]
    if sheet.year:
        parts.append(f"năm {sheet.year}")
    if sheet.quarter:
        parts.append(fmt.quarter_label(sheet.quarter))
    if sheet.dataset == "scores":
        parts.append(f"đơn vị: {unit or organisation().whole_label.lower()}")
    parts.append(f"{fmt.num(sheet.rows, 0)} dòng (tiêu đề ở dòng {sheet.header_row})")
    return " · ".join(parts)


def effect_cards(effect: dict[str, Any]) -> list[dict[str, Any]]:
    """Headline cards «now → if committed»: label, value after, delta text (None when unchanged)."""
    before, after = effect["before"], effect["after"]

    def delta(key: str, decimals: int = 2) -> str | None:
        a, b = after[key], before[key]
        if a is None or b is None or abs(float(a) - float(b)) < 1e-9:
            return None
        sign = "+" if a > b else "-"  # ASCII minus: Streamlit reads the direction from it
        return f"{sign}{fmt.num(abs(float(a) - float(b)), decimals)}"

    likely = "—" if after["likely"] is None else f"{fmt.num(after['likely'], 2)} / {fmt.num(after['max'], 0)}"
    return [
        {
            "label": "Nhiệm vụ đã hoàn thành",
            "value": f"{after['done']}/{after['assigned']}",
            "before": f"{before['done']}/{before['assigned']}",
            "delta": delta("done", 0),
            "lower_is_better": False,
        },
        {
            "label": "Nhiệm vụ quá hạn",
            "value": fmt.num(after["open_overdue"], 0),
            "before": fmt.num(before["open_overdue"], 0),
            "delta": delta("open_overdue", 0),
            "lower_is_better": True,
        },
        {
            "label": "Điểm dự kiến",
            "value": likely,
            "before": "—" if before["likely"] is None else fmt.num(before["likely"], 2),
            "delta": delta("likely"),
            "lower_is_better": False,
        },
    ]
