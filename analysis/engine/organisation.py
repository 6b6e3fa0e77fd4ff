"""The organisation the dashboard serves: its name, level and place, read from settings or the units file.

Every label that speaks of "the whole" («Toàn xã», «Toàn huyện», or the organisation's name for a
province department) comes from `Organisation.whole_label`, so nothing in the code assumes a district.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from analysis import settings
from analysis.engine.units import UnitIndex, valid_mask
from analysis.text import clean, same_name

# Level -> (the word used after "Toàn" and in "UBND <word>", the unit kinds of the units file).
LEVELS: dict[str, str] = {
    "commune": "xã",
    "district": "huyện",
    "province": "tỉnh",
    "department": "sở",
}
_KIND_LEVEL = {"commune": "commune", "town": "commune", "district": "district", "province": "province"}
# When nothing says which unit the dashboard serves, the most local top-level unit of the units file.
_DEFAULT_KINDS = ("district", "province")
_NAME_PREFIX = ("xã ", "thị trấn ", "phường ", "huyện ", "thị xã ", "thành phố ", "tỉnh ")
# A configured name may be the unit («Xã Ba Vì») or its issuing body («Ủy ban nhân dân xã Ba Vì»).
_BODY_PREFIX = ("ủy ban nhân dân ", "uỷ ban nhân dân ", "ubnd ")
_WORD_LEVEL = (
    ("xã ", "commune"),
    ("phường ", "commune"),
    ("thị trấn ", "commune"),
    ("huyện ", "district"),
    ("thị xã ", "district"),
    ("thành phố ", "district"),
    ("tỉnh ", "province"),
    ("sở ", "department"),
)


@dataclass(frozen=True)
class Organisation:
    """Who the dashboard serves; `name` is empty when neither settings nor the units file say."""

    name: str
    level: str  # 'commune' | 'district' | 'province' | 'department' | '' (unknown)
    place: str = ""
    code: str | None = None

    @property
    def whole_label(self) -> str:
        """«Toàn xã», «Toàn huyện», «Toàn tỉnh»; a department (or an unknown level) by its name."""
        if self.level in ("commune", "district", "province"):
            return f"Toàn {LEVELS[self.level]}"
        return self.name or "Toàn đơn vị"

    @property
    def issuer(self) -> str:
        """The issuing body in full for document headings: «Ủy ban nhân dân xã Ba Vì», or the name."""
        if self.level in ("commune", "district", "province") and self.place:
            return f"Ủy ban nhân dân {LEVELS[self.level]} {self.place}"
        return self.name

    @property
    def authority(self) -> str:
        """The issuing body for document headings: «UBND xã Ba Vì», «UBND huyện Ba Tơ», or the name."""
        if self.level in ("commune", "district", "province") and self.place:
            return f"UBND {LEVELS[self.level]} {self.place}"
        return self.name


def own_unit(org: Organisation, names: Iterable[str]) -> str | None:
    """The organisation's own unit among the units of the data (a commune in a province-wide store), if any.

    Then «Toàn xã» means that unit's own tasks and scores, not everything in the store.
    """
    if not org.name:
        return None
    return next((n for n in names if same_name(n, org.name)), None)


def _strip_prefix(name: str, prefixes: tuple[str, ...]) -> str:
    """The name without the first of `prefixes` it starts with (case-insensitive, accents kept)."""
    text = clean(name)
    hit = next((p for p in prefixes if text.casefold().startswith(p)), "")
    return text[len(hit) :].strip()


def _without_body(name: str) -> str:
    """'Ủy ban nhân dân xã Ba Vì' -> 'xã Ba Vì'."""
    return _strip_prefix(name, _BODY_PREFIX)


def _level_of(name: str) -> str:
    """The level a name states ('xã …' -> commune, 'huyện …' -> district, 'Sở …' -> department), or ''."""
    text = _without_body(name).casefold()
    return next((level for word, level in _WORD_LEVEL if text.startswith(word)), "")


def _place_of(name: str) -> str:
    """'Xã Ba Vì' or 'UBND xã Ba Vì' -> 'Ba Vì' (the administrative prefix removed, accents kept)."""
    return _strip_prefix(_without_body(name), _NAME_PREFIX)


def organisation(units: pd.DataFrame | None = None, on: date | None = None) -> Organisation:
    """The organisation: from settings (CCHC_ORG_*), else the units file's district (else province) valid on `on`."""
    name, level, place = settings.organisation_setting()
    units = units if units is not None else pd.DataFrame(columns=["code", "name", "kind"])
    if name:
        hit = UnitIndex(units, on).resolve(name) if len(units) else None
        known = hit is not None and hit.known
        level = level or (_KIND_LEVEL.get(hit.kind or "", "") if known else "") or _level_of(name)
        shown = hit.name if known else clean(name)
        return Organisation(shown, level, place or _place_of(shown), hit.code if known else None)
    if len(units) and "kind" in units.columns:
        candidates = units[valid_mask(units, on)] if on is not None else units
        for kind in _DEFAULT_KINDS:
            rows = candidates[candidates["kind"].eq(kind).fillna(False).astype(bool)]
            if len(rows):
                row = rows.iloc[0]
                shown = clean(row["name"])
                code = clean(row.get("code")) or None
                return Organisation(shown, level or kind, place or _place_of(shown), code)
    return Organisation("", level, place)
