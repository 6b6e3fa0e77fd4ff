"""Unit names: resolve what a spreadsheet says ("UBND xã Ba Điền") to a registered unit ("Xã Ba Điền").

Matching is on NFC text, case-folded, with only the administrative prefix removed. Accents are
never stripped: Ba Tơ and Ba Tô are different units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


class UnitIndex:
    """Look-up of registered units by name key, with and without the 'Xã'/'Thị trấn' prefix."""

    def __init__(self, units: pd.DataFrame):
        self._by_key: dict[str, tuple[str, str | None]] = {}
        short: dict[str, list[tuple[str, str | None]]] = {}
        if len(units) and "name" in units.columns:
            kinds = units["kind"] if "kind" in units.columns else pd.Series(None, index=units.index)
            for name, kind in zip(units["name"], kinds, strict=True):
                if not isinstance(name, str) or not clean(name):
                    continue
                entry = (clean(name), kind if isinstance(kind, str) else None)
                self._by_key.setdefault(unit_key(name), entry)
                short.setdefault(_KIND_PREFIX.sub("", unit_key(name)), []).append(entry)
        # "Ba Điền" alone is accepted only when exactly one unit carries that bare name.
        self._by_short = {k: v[0] for k, v in short.items() if len({e[0] for e in v}) == 1}

    def resolve(self, name: object) -> Resolved:
        """The registered unit a name means; unknown names come back cleaned (NFC), not guessed."""
        key = unit_key(name)
        entry = self._by_key.get(key) or self._by_short.get(key)
        if entry:
            return Resolved(entry[0], True, entry[1], entry[1] in TOP_LEVEL_KINDS)
        # "UBND huyện Ba Tơ" before the unit list is loaded is still the district itself.
        return Resolved(clean(name), False, None, bool(_TOP_LEVEL_PREFIX.match(key)))


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
