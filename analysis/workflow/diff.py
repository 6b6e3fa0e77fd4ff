"""What committing a prepared file would change, computed before anything is written.

`diff_against_current` compares each sheet with the current data of the same dataset and scope;
`headline_effect` computes the headline numbers twice through year_view.summary: on the current data,
and on the same data with the file's frames in place of the ones they would supersede.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from analysis import fmt
from analysis.engine import year as year_view
from analysis.engine.organisation import organisation
from analysis.engine.tasks import task_states
from analysis.fmt import is_missing
from analysis.periods import quarter_end
from analysis.schema import DATASETS, Dataset
from analysis.store import BatchInput, Store, as_stored, scope_key
from analysis.workflow.load import Prepared

DONE_STATES = frozenset({"done_on_time", "done_late"})
_EPS = 1e-9
HEADLINE_KEYS = (
    "assigned",
    "done",
    "open_overdue",
    "done_ratio_of_assigned",
    "likely",
    "max",
    "percent",
    "deducted",
    "rank",
)


_missing = is_missing  # one definition of 'missing' for every module


def _same(a: Any, b: Any) -> bool:
    if _missing(a) and _missing(b):
        return True
    if _missing(a) or _missing(b):
        return False
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) <= _EPS
    return a == b


def file_as_of(year: int | None, quarter: int | None, today: date | None = None) -> date | None:
    """The date a file speaks of: the end of its quarter, else today within its year, else the year end."""
    if year is None:
        return None
    if quarter:
        return quarter_end(year, quarter)
    today = today or date.today()
    return date(year, 12, 31) if today.year > year else today


@dataclass
class BatchDiff:
    """The changes one sheet would make to the current data of its scope."""

    dataset: str
    sheet: str
    year: int | None
    quarter: int | None
    unit: str | None
    scope_key: str
    as_of: date | None
    current_batch: int | None
    rows_before: int
    rows_after: int
    added: pd.DataFrame = field(default_factory=pd.DataFrame)  # key and name of rows not in the current data
    removed: pd.DataFrame = field(default_factory=pd.DataFrame)
    newly_done: pd.DataFrame = field(default_factory=pd.DataFrame)  # tasks
    newly_overdue: pd.DataFrame = field(default_factory=pd.DataFrame)  # tasks
    deadline_changed: pd.DataFrame = field(default_factory=pd.DataFrame)  # tasks
    scores_changed: pd.DataFrame = field(default_factory=pd.DataFrame)  # scores
    changed_rows: int = 0  # rows present on both sides whose values differ

    @property
    def label(self) -> str:
        """«Nhiệm vụ năm 2024», «Điểm tự đánh giá Quý I/2024 — Xã Ba Tô»."""
        ds = DATASETS[self.dataset]
        text = ds.label
        if self.dataset == "scores" and self.year and self.quarter:
            text += (
                f" {fmt.quarter_label(self.quarter, self.year)} — {self.unit or organisation().whole_label}"
            )
        elif self.year and "year" in ds.scope:
            text += f" năm {self.year}"
        return text

    @property
    def unchanged(self) -> bool:
        return self.current_batch is not None and not (
            len(self.added) or len(self.removed) or self.changed_rows or self.rows_before != self.rows_after
        )

    def sentences(self) -> list[str]:
        """The diff in a few Vietnamese sentences."""
        out = []
        if self.current_batch is None:
            out.append(
                f"Chưa có dữ liệu «{self.label}»: {fmt.num(self.rows_after, 0)} dòng sẽ được thêm mới."
            )
            return out
        out.append(
            f"Thay cho lần nạp {self.current_batch}: {fmt.num(self.rows_before, 0)} dòng → "
            f"{fmt.num(self.rows_after, 0)} dòng."
        )
        if self.unchanged:
            out.append("Nội dung giống hệt dữ liệu hiện tại.")
            return out
        noun = {"tasks": "nhiệm vụ", "scores": "tiêu chí", "framework": "tiêu chí", "units": "đơn vị"}.get(
            self.dataset, "dòng"
        )
        parts = []
        if len(self.added):
            parts.append(f"thêm {fmt.num(len(self.added), 0)} {noun}")
        if len(self.removed):
            parts.append(f"bớt {fmt.num(len(self.removed), 0)} {noun}")
        if self.changed_rows:
            parts.append(f"{fmt.num(self.changed_rows, 0)} {noun} thay đổi nội dung")
        if parts:
            text = ", ".join(parts)
            out.append(text[:1].upper() + text[1:] + ".")
        if self.dataset == "tasks" and self.as_of:
            when = fmt.vdate(self.as_of)
            out.append(
                f"Tính đến {when}: {len(self.newly_done)} nhiệm vụ mới hoàn thành, "
                f"{len(self.newly_overdue)} nhiệm vụ mới quá hạn, {len(self.deadline_changed)} nhiệm vụ đổi thời hạn."
            )
        if self.dataset == "scores":
            out.append(f"{len(self.scores_changed)} tiêu chí thay đổi điểm.")
        return out


def _name_column(ds: Dataset) -> str | None:
    for name in ("title", "name", "procedure"):
        if name in ds.names:
            return name
    return None


def _current_for(store: Store, b: BatchInput) -> pd.DataFrame:
    if b.dataset == "units":
        return store.current("units")
    if b.dataset == "scores":
        return store.current("scores", b.year, quarter=b.quarter, unit=b.unit, filter_unit=True)
    return store.current(b.dataset, b.year)


def _current_batch(store: Store, dataset: str, key: str) -> int | None:
    batches = store.batches(dataset)
    hits = batches[(batches["scope_key"] == key) & batches["current"].astype(bool)]
    return int(hits["batch_id"].iloc[0]) if len(hits) else None


def _keyed(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    keyed = frame[frame[key].notna()].copy()
    keyed[key] = keyed[key].astype(str)
    return keyed.drop_duplicates(subset=[key], keep="last").set_index(key, drop=False)


def _changed_rows(ds: Dataset, before: pd.DataFrame, after: pd.DataFrame, common: list[str]) -> int:
    """How many rows present on both sides differ in a value read from the sheet (vectorised)."""
    if not common:
        return 0
    b, a = before.loc[common], after.loc[common]
    differ = pd.Series(False, index=a.index)
    for col in ds.columns:
        if col.derived:
            continue
        x, y = b[col.name], a[col.name]
        missing_x, missing_y = x.isna().to_numpy(), y.isna().to_numpy()
        if col.type in ("float", "int"):
            close = (pd.to_numeric(x, errors="coerce") - pd.to_numeric(y, errors="coerce")).abs().le(_EPS)
            equal = close.to_numpy()
        else:
            equal = x.to_numpy() == y.to_numpy()
        same = (missing_x & missing_y) | (~missing_x & ~missing_y & equal.astype(bool))
        differ |= ~same
    return int(differ.sum())


def _task_details(diff: BatchDiff, before: pd.DataFrame, after: pd.DataFrame, common: list[str]) -> None:
    if diff.as_of is None or not common:
        return
    b, a = before.loc[common], after.loc[common]
    states_b = task_states(b, diff.as_of)
    states_a = task_states(a, diff.as_of)
    base = pd.DataFrame({"code": common, "title": a["title"].tolist(), "lead_unit": a["lead_unit"].tolist()})
    done = (states_a.isin(DONE_STATES) & ~states_b.isin(DONE_STATES)).to_numpy()
    diff.newly_done = (
        base[done].assign(completed_on=a["completed_on"].to_numpy()[done]).reset_index(drop=True)
    )
    overdue = (states_a.eq("open_overdue") & states_b.ne("open_overdue")).to_numpy()
    diff.newly_overdue = (
        base[overdue].assign(deadline=a["deadline"].to_numpy()[overdue]).reset_index(drop=True)
    )
    moved = [
        not (_same(x, y) and _same(p, q))
        for x, y, p, q in zip(
            b["deadline"], a["deadline"], b["deadline_text"], a["deadline_text"], strict=True
        )
    ]
    diff.deadline_changed = (
        base[moved]
        .assign(
            deadline_before=b["deadline_text"].to_numpy()[moved],
            deadline_after=a["deadline_text"].to_numpy()[moved],
        )
        .reset_index(drop=True)
    )


def _score_details(diff: BatchDiff, before: pd.DataFrame, after: pd.DataFrame, common: list[str]) -> None:
    rows = []
    for code in common:
        b, a = before.loc[code], after.loc[code]
        pairs = [
            (b["self_points"], a["self_points"]),
            (b["appraised_points"], a["appraised_points"]),
            (bool(b["not_applicable"]), bool(a["not_applicable"])),
        ]
        if not all(_same(x, y) for x, y in pairs):
            rows.append(
                {
                    "code": code,
                    "name": a["name"],
                    "self_before": b["self_points"],
                    "self_after": a["self_points"],
                    "appraised_before": b["appraised_points"],
                    "appraised_after": a["appraised_points"],
                    "not_applicable_before": bool(b["not_applicable"]),
                    "not_applicable_after": bool(a["not_applicable"]),
                }
            )
    columns = [
        "code",
        "name",
        "self_before",
        "self_after",
        "appraised_before",
        "appraised_after",
        "not_applicable_before",
        "not_applicable_after",
    ]
    diff.scores_changed = pd.DataFrame(rows, columns=columns)


def diff_batch(store: Store, b: BatchInput, quarter_hint: int | None = None) -> BatchDiff:
    """The changes one prepared sheet would make to the current data of its scope."""
    ds = DATASETS[b.dataset]
    key = scope_key(ds, b.year, b.quarter, b.unit)
    before = _current_for(store, b)
    after = as_stored(b.dataset, b.frame)
    quarter = b.quarter if b.dataset == "scores" else quarter_hint
    diff = BatchDiff(
        dataset=b.dataset,
        sheet=b.sheet,
        year=b.year,
        quarter=quarter,
        unit=b.unit,
        scope_key=key,
        as_of=file_as_of(b.year, quarter),
        current_batch=_current_batch(store, b.dataset, key),
        rows_before=len(before),
        rows_after=len(after),
    )
    if not ds.key:
        return diff
    k = ds.key[0]
    name = _name_column(ds)
    shown = [k] + ([name] if name else [])
    kb, ka = _keyed(before, k), _keyed(after, k)
    added = [c for c in ka.index if c not in kb.index]
    removed = [c for c in kb.index if c not in ka.index]
    common = [c for c in ka.index if c in kb.index]
    diff.added = ka.loc[added, shown].reset_index(drop=True)
    diff.removed = kb.loc[removed, shown].reset_index(drop=True)
    diff.changed_rows = _changed_rows(ds, kb, ka, common)
    if b.dataset == "tasks":
        _task_details(diff, kb, ka, common)
    if b.dataset == "scores":
        _score_details(diff, kb, ka, common)
    return diff


def diff_against_current(store: Store, prepared: Prepared) -> list[BatchDiff]:
    """One BatchDiff per sheet of the file, against the current data of the same dataset and scope."""
    quarters = {s.sheet: s.quarter for s in prepared.result.sheets}
    return [diff_batch(store, b, quarters.get(b.sheet)) for b in prepared.batches]


# Headline effect ----------------------------------------------------------------------------------


def _file_year(store: Store, prepared: Prepared) -> int | None:
    years = [b.year for b in prepared.batches if b.year is not None]
    if years:
        return max(years, key=years.count)
    known = store.years()
    return known[0] if known else None


def _file_quarter(prepared: Prepared, year: int) -> int | None:
    quarters = [s.quarter for s in prepared.result.sheets if s.quarter and s.year == year]
    return max(quarters) if quarters else None


def data_if_committed(
    store: Store, prepared: Prepared, year: int, before: year_view.YearData | None = None
) -> year_view.YearData:
    """The year's data as it would be after committing: the file's frames replace those of their scopes."""
    before = before or year_view.year_data(store, year)
    frames: dict[str, pd.DataFrame] = {
        "tasks": before.tasks,
        "framework": before.framework,
        "scores": before.scores,
        "dossiers": before.dossiers,
        "units": before.units,
    }
    for b in prepared.batches:
        incoming = as_stored(b.dataset, b.frame)
        if b.dataset == "units":
            extra = before.units[before.units["code"].isna() & ~before.units["name"].isin(incoming["name"])]
            frames["units"] = pd.concat(
                [incoming, extra.reindex(columns=incoming.columns)], ignore_index=True
            )
        elif b.year != year or b.dataset not in frames:
            continue  # another year, or a dataset the year's views do not hold (dossier statistics)
        elif b.dataset == "scores":
            scores, assessed = frames["scores"], b.unit
            same_unit = scores["unit"].map(lambda u, assessed=assessed: _same(u, assessed))
            same_scope = (scores["quarter"] == b.quarter) & same_unit
            frames["scores"] = pd.concat([scores[~same_scope.astype(bool)], incoming], ignore_index=True)
        else:
            frames[b.dataset] = incoming
    units = frames["units"]
    fresh = [n for n in prepared.new_units if n not in set(units["name"].dropna())]
    if fresh:
        add = pd.DataFrame({"code": None, "name": fresh, "kind": "other"})
        frames["units"] = pd.concat([units, add.reindex(columns=units.columns)], ignore_index=True)
    return dataclasses.replace(before, **frames)


def headline(summary: dict[str, Any]) -> dict[str, Any]:
    """The few numbers a leader reads first, from a year_view.summary result."""
    tasks, index = summary["tasks"], summary["index"]
    return {
        "assigned": tasks["assigned"],
        "done": tasks["done"],
        "open_overdue": tasks["open_overdue"],
        "done_ratio_of_assigned": tasks["done_ratio_of_assigned"],
        "likely": index["likely"],
        "max": index["max"],
        "percent": index["percent"],
        "deducted": index["deducted"],
        "rank": index["rank"],
    }


def headline_effect(
    store: Store, prepared: Prepared, as_of: date | None = None, unit: str | None = None
) -> dict[str, Any] | None:
    """Headline numbers now and if the file were committed: {year, as_of, before, after, changed}.

    None when neither the file nor the store says which year to look at.
    """
    year = _file_year(store, prepared)
    if year is None:
        return None
    before = year_view.year_data(store, year)
    after = data_if_committed(store, prepared, year, before)
    if as_of is None:
        as_of = file_as_of(year, _file_quarter(prepared, year)) or year_view.resolve_as_of(after)
    first = headline(year_view.summary(before, as_of, unit))
    second = headline(year_view.summary(after, as_of, unit))
    return {
        "year": year,
        "as_of": as_of,
        "unit": unit,
        "before": first,
        "after": second,
        "changed": any(not _same(first[k], second[k]) for k in HEADLINE_KEYS),
    }


def diff_tables(diff: BatchDiff) -> dict[str, pd.DataFrame]:
    """The non-empty detail tables of a diff, titled and with Vietnamese headers, for display."""
    ds = DATASETS[diff.dataset]
    key = ds.key[0] if ds.key else None
    heads = {c.name: c.label for c in ds.columns}
    tables: dict[str, pd.DataFrame] = {}

    def put(title: str, frame: pd.DataFrame, names: dict[str, str]) -> None:
        if len(frame):
            shown = frame.copy()
            for column in shown.columns:
                if pd.api.types.is_datetime64_any_dtype(shown[column]):
                    shown[column] = shown[column].map(lambda d: fmt.vdate(d) if not _missing(d) else "")
            tables[title] = shown.rename(columns=names)

    if key:
        put("Thêm mới", diff.added, heads)
        put("Không còn trong tệp", diff.removed, heads)
    put("Mới hoàn thành", diff.newly_done, heads)
    put("Mới quá hạn", diff.newly_overdue, heads)
    put(
        "Đổi thời hạn",
        diff.deadline_changed,
        {**heads, "deadline_before": "Thời hạn cũ", "deadline_after": "Thời hạn mới"},
    )
    put(
        "Điểm thay đổi",
        diff.scores_changed,
        {
            **heads,
            "self_before": "Tự đánh giá (cũ)",
            "self_after": "Tự đánh giá (mới)",
            "appraised_before": "Thẩm định (cũ)",
            "appraised_after": "Thẩm định (mới)",
            "not_applicable_before": "Không áp dụng (cũ)",
            "not_applicable_after": "Không áp dụng (mới)",
        },
    )
    return tables


__all__ = [
    "BatchDiff",
    "data_if_committed",
    "diff_against_current",
    "diff_batch",
    "diff_tables",
    "file_as_of",
    "headline",
    "headline_effect",
]
