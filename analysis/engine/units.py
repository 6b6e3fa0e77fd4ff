"""Unit names: resolve what a spreadsheet says ("UBND xã Ba Điền") to a registered unit ("Xã Ba Điền").

Matching is on NFC text, case-folded, with only the administrative prefix removed. Accents are
never stripped: Ba Tơ and Ba Tô are different units.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from analysis.schema import UNIT_KIND_GROUPS
from analysis.text import clean, fold

_PREFIX = re.compile(r"^(ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+", re.IGNORECASE)
_KIND_PREFIX = re.compile(r"^(xã|thị trấn|phường|phòng|huyện|tỉnh)\s+", re.IGNORECASE)
_TOP_LEVEL_PREFIX = re.compile(r"^(huyện|tỉnh)\s+", re.IGNORECASE)
TOP_LEVEL_KINDS = ("district", "province")


def unit_key(name: object) -> str:
    """The comparison key of a unit name: NFC, trimmed, case-folded, 'UBND' prefix removed."""
    text = clean(name).casefold()
    return _PREFIX.sub("", text).strip()


@dataclass(frozen=True)
class Resolved:
    name: str  # the registered name, or the cleaned input when unknown
    known: bool
    kind: str | None
    top_level: bool  # the district (or province) itself
    code: str | None = None  # the registered unit's code (tells old and new «Xã Ba Vì» apart)


class UnitIndex:
    """Look-up of registered units by name key, with and without the 'Xã'/'Thị trấn' prefix."""

    def __init__(self, units: pd.DataFrame, on: date | None = None):
        """`on`: the data's date; units valid on it are preferred over same-named ones that are not."""
        self._by_key: dict[str, tuple[str, str | None, str | None]] = {}
        short: dict[str, list[tuple[str, str | None, str | None]]] = {}
        if len(units) and "name" in units.columns:
            if on is not None:
                # Valid units first, so «Xã Ba Vì» in 2024 data is the old commune and in
                # late-2025 data the merged one; a name not valid on the date still resolves.
                valid = valid_mask(units, on)
                units = pd.concat([units[valid], units[~valid]])
            kinds = units["kind"] if "kind" in units.columns else pd.Series(None, index=units.index)
            codes = units["code"] if "code" in units.columns else pd.Series(None, index=units.index)
            for name, kind, code in zip(units["name"], kinds, codes, strict=True):
                if not isinstance(name, str) or not clean(name):
                    continue
                entry = (
                    clean(name),
                    kind if isinstance(kind, str) else None,
                    clean(code) if isinstance(code, str) and clean(code) else None,
                )
                self._by_key.setdefault(unit_key(name), entry)
                short.setdefault(_KIND_PREFIX.sub("", unit_key(name)), []).append(entry)
        # "Ba Điền" alone is accepted only when exactly one unit carries that bare name.
        self._by_short = {k: v[0] for k, v in short.items() if len({e[0] for e in v}) == 1}

    def resolve(self, name: object) -> Resolved:
        """The registered unit a name means; unknown names come back cleaned (NFC), not guessed."""
        key = unit_key(name)
        entry = self._by_key.get(key) or self._by_short.get(key)
        if entry:
            return Resolved(entry[0], True, entry[1], entry[1] in TOP_LEVEL_KINDS, entry[2])
        # "UBND huyện Ba Tơ" before the unit list is loaded is still the district itself.
        return Resolved(clean(name), False, None, bool(_TOP_LEVEL_PREFIX.match(key)))


# Units across time ------------------------------------------------------------------------------

# Kept with the rule it serves: counts of old units add up into the unit that absorbed them, an
# index does not (each old unit was scored on its own maximum), so indices are shown side by side.
ROLLUP_RULE = (
    "Số nhiệm vụ của các đơn vị cũ được cộng vào xã mới tiếp nhận (theo danh mục đơn vị, cột «Sáp nhập vào»); "
    "chỉ số CCHC không cộng được nên chỉ so sánh: chỉ số từng đơn vị cũ, thấp nhất và cao nhất."
)


def valid_mask(units: pd.DataFrame, on: date) -> pd.Series:
    """Which units exist on a date: valid_from ≤ on ≤ valid_to, a missing bound being open."""
    day = pd.Timestamp(on)
    start = pd.to_datetime(units["valid_from"]) if "valid_from" in units.columns else None
    end = pd.to_datetime(units["valid_to"]) if "valid_to" in units.columns else None
    mask = pd.Series(True, index=units.index)
    if start is not None:
        mask &= start.isna() | (start <= day)
    if end is not None:
        mask &= end.isna() | (end >= day)
    return mask


def resolve_on(units: pd.DataFrame, name: object, on: date) -> Resolved:
    """The unit a name means in data dated `on` (old «Xã Ba Vì» in 2024, the merged one after 1/7/2025)."""
    return UnitIndex(units, on).resolve(name)


def _code_rows(units: pd.DataFrame) -> dict[str, dict]:
    if not len(units) or "code" not in units.columns:
        return {}
    rows = units.dropna(subset=["code"]).to_dict("records")
    return {clean(r["code"]): r for r in rows if clean(r["code"])}


def successor_on(units: pd.DataFrame, code: str | None, on: date) -> dict | None:
    """Follow the 'Sáp nhập vào' chain from a unit to the unit that carries it on a date.

    None when the unit ended without a successor (a district office after 1/7/2025) or is unknown.
    """
    rows = _code_rows(units)
    seen: set[str] = set()
    current = clean(code) if code else ""
    while current and current in rows and current not in seen:
        seen.add(current)
        row = rows[current]
        if bool(valid_mask(pd.DataFrame([row]), on).iloc[0]):
            return row
        current = clean(row.get("successor")) if isinstance(row.get("successor"), str) else ""
    return None


def lineage(units: pd.DataFrame) -> pd.DataFrame:
    """Every old → new step of the unit list: old_code, old_name, new_code, new_name, on (the new unit's start)."""
    rows = _code_rows(units)
    out = []
    for code, row in rows.items():
        succ = clean(row.get("successor")) if isinstance(row.get("successor"), str) else ""
        if succ and succ in rows:
            new = rows[succ]
            out.append(
                {
                    "old_code": code,
                    "old_name": clean(row.get("name")),
                    "new_code": succ,
                    "new_name": clean(new.get("name")),
                    "on": new.get("valid_from"),
                }
            )
    return pd.DataFrame(out, columns=["old_code", "old_name", "new_code", "new_name", "on"])


def roll_up(
    frame: pd.DataFrame,
    units: pd.DataFrame,
    *,
    unit_column: str,
    data_date: date,
    on: date,
    sum_columns: Iterable[str],
) -> pd.DataFrame:
    """Counts of units as they were on `data_date`, summed into the units that carry them on `on`.

    Columns: unit (today's name), code, predecessors (old names joined by ', '), the summed columns.
    Units that ended without a successor keep their own row and name (nothing absorbed them).
    """
    sums = list(sum_columns)
    index = UnitIndex(units, data_date)
    keys: list[tuple[str, str | None]] = []
    for name in frame[unit_column].tolist():
        hit = index.resolve(name)
        target = successor_on(units, hit.code, on) if hit.code else None
        if target is None:
            keys.append((hit.name, hit.code))
        else:
            keys.append((clean(target["name"]), clean(target["code"])))
    work = frame.assign(
        _unit=[k[0] for k in keys], _code=[k[1] for k in keys], _old=frame[unit_column].map(clean)
    )
    out = []
    for (unit, code), part in work.groupby(["_unit", "_code"], dropna=False, sort=False):
        row = {"unit": unit, "code": None if pd.isna(code) else code}
        row["predecessors"] = ", ".join(sorted(set(part["_old"]), key=str.casefold))
        for col in sums:
            row[col] = part[col].sum()
        out.append(row)
    result = pd.DataFrame(out, columns=["unit", "code", "predecessors", *sums])
    return result.sort_values("unit", key=lambda s: s.str.casefold(), kind="stable").reset_index(drop=True)


# Collectively-led tasks ("UBND các xã, thị trấn", "Các cơ quan, đơn vị") -----------------------

# A lead unit naming a whole group: (words that say so, accents folded) -> the unit-kind group.
COLLECTIVE_MARKERS: tuple[tuple[str, str], ...] = (
    ("cac xa", "commune"),
    ("cac phuong", "commune"),
    ("cac co quan", "office"),
    ("cac phong", "office"),
)


def collective_group(name: object) -> str | None:
    """'commune' / 'office' when a lead unit names a whole group of units, else None."""
    if not isinstance(name, str):
        return None
    folded = fold(name)
    for marker, group in COLLECTIVE_MARKERS:
        if marker in folded:
            return group
    return None


def members_of(name: object, units: pd.DataFrame) -> list[str]:
    """The registered units a collective lead unit stands for (empty for a single unit)."""
    group = collective_group(name)
    if group is None or units is None or units.empty or "kind" not in units.columns:
        return []
    kinds = UNIT_KIND_GROUPS.get(group, frozenset())
    chosen = units[units["kind"].isin(kinds).fillna(False).astype(bool)]
    return [clean(n) for n in chosen["name"] if isinstance(n, str) and clean(n)]


def led_by(lead_units: pd.Series, unit: str, units: pd.DataFrame) -> pd.Series:
    """Whether each task is led by the unit: by name, or through a collective lead it belongs to.

    A task led by "UBND các xã, thị trấn" counts once in the plan and appears in every commune's
    and town's own view (and ranking).
    """
    key = unit_key(unit)
    cache: dict[object, bool] = {}

    def leads(name: object) -> bool:
        if name not in cache:
            own = isinstance(name, str) and unit_key(name) == key
            cache[name] = own or key in {unit_key(m) for m in members_of(name, units)}
        return cache[name]

    return pd.Series([leads(n) for n in lead_units], index=lead_units.index, dtype=bool)
