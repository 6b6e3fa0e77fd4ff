"""Approved plan amendments (directive §1a): a new deadline, or the removal of a task.

An amendment applies from its approval date (`effective_on`): before it the plan is judged as
issued, from it on as amended. A removed task leaves the plan's assigned count; an amended
deadline replaces the old one for due, overdue and on-time. The task keeps a note saying so, with
the explanation (giải trình) and the approving document.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from analysis.fmt import is_missing, vdate
from analysis.schema import AMENDMENT_KIND_LABELS
from analysis.text import clean, fold

AMENDMENT_COLUMNS = ["code", "kind", "new_deadline", "effective_on", "explanation", "document"]
AMENDMENT_KINDS = AMENDMENT_KIND_LABELS


def amendment_kind(value: object) -> str | None:
    """'deadline' or 'removed' from the canonical key or the words people write (accents optional)."""
    if is_missing(value):
        return None
    text = fold(str(value))
    if text in AMENDMENT_KINDS:
        return text
    if any(word in text for word in ("dua ra", "loai", "bo khoi", "huy", "removed")):
        return "removed"
    if any(word in text for word in ("han", "gia han", "deadline")):
        return "deadline"
    return None


def _key(value: object) -> str:
    return "" if is_missing(value) else clean(value).casefold()


def _in_force(amendments: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The amendments approved by the end of as_of, the latest per task code."""
    if amendments is None or amendments.empty:
        return pd.DataFrame(columns=AMENDMENT_COLUMNS)
    frame = amendments.copy()
    effective = pd.to_datetime(frame["effective_on"], errors="coerce").dt.normalize()
    frame = frame[effective.isna() | effective.le(pd.Timestamp(as_of).normalize())]
    frame = frame.assign(
        _key=[_key(c) for c in frame["code"]],
        _at=effective.loc[frame.index],
        kind=[amendment_kind(k) for k in frame["kind"]],
    )
    frame = frame.sort_values("_at", kind="stable", na_position="first")
    return frame.drop_duplicates("_key", keep="last")


def _note(record: dict) -> str:
    kind = AMENDMENT_KINDS.get(str(record.get("kind")), str(record.get("kind")))
    parts = [kind]
    if record.get("kind") == "deadline" and not is_missing(record.get("new_deadline")):
        parts.append(f"hạn mới {vdate(record['new_deadline'])}")
    if not is_missing(record.get("effective_on")):
        parts.append(f"từ {vdate(record['effective_on'])}")
    if not is_missing(record.get("document")):
        parts.append(f"theo {clean(record['document'])}")
    if not is_missing(record.get("explanation")):
        parts.append(f"giải trình: {clean(record['explanation'])}")
    return "; ".join(parts)


def amended_tasks(tasks: pd.DataFrame, amendments: pd.DataFrame | None, as_of: date) -> pd.DataFrame:
    """The plan's tasks as amended by the end of as_of (removed tasks dropped, deadlines replaced).

    Adds `amendment` (the note, None for unamended tasks). The input is not modified.
    """
    result = tasks.copy()
    result["amendment"] = pd.Series([None] * len(result), index=result.index, dtype=object)
    in_force = _in_force(amendments, as_of) if amendments is not None else pd.DataFrame()
    if in_force.empty or result.empty:
        return result
    by_code = {r["_key"]: r for r in in_force.to_dict("records")}
    keys = [_key(c) for c in result["code"]]
    drop = []
    deadlines = pd.to_datetime(result["deadline"], errors="coerce")
    for index, key in zip(result.index, keys, strict=True):
        record = by_code.get(key)
        if record is None:
            continue
        if record.get("kind") == "removed":
            drop.append(index)
            continue
        new = pd.to_datetime(record.get("new_deadline"), errors="coerce")
        if record.get("kind") == "deadline" and not pd.isna(new):
            deadlines.loc[index] = new
            result.loc[index, "ongoing"] = False
        result.loc[index, "amendment"] = _note(record)
    result["deadline"] = deadlines
    return result.drop(index=drop)


def removed_tasks(tasks: pd.DataFrame, amendments: pd.DataFrame | None, as_of: date) -> pd.DataFrame:
    """The tasks removed from the plan by the end of as_of, with their note (for the task list and exports)."""
    kept = amended_tasks(tasks, amendments, as_of)
    gone = tasks.loc[tasks.index.difference(kept.index)].copy()
    in_force = _in_force(amendments, as_of) if amendments is not None else pd.DataFrame()
    notes = {r["_key"]: _note(r) for r in in_force.to_dict("records")} if not in_force.empty else {}
    gone["amendment"] = [notes.get(_key(c)) for c in gone["code"]]
    return gone
