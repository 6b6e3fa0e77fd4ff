"""Ranking groups (A ≥ 90 % …): declared once here as the default, overridable by the framework.

A framework may carry its own thresholds in one row whose code is "XL" (or whose name is
"Xếp loại"), with the groups in its Ngưỡng cell, best first:
"A (Xuất sắc): 90%; B (Tốt): 80%; C (Khá): 70%; D (Trung bình): 0%". The names in brackets are
optional (the default names are kept for known labels). That row is not a criterion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from analysis.fmt import is_missing
from analysis.text import clean, fold

_EPS = 1e-9
RANK_ROW_CODES = frozenset({"xl", "xep loai", "rank", "ranks"})


@dataclass(frozen=True)
class Rank:
    """One ranking group: its label ('A'), name ('Xuất sắc') and lowest percent (90.0)."""

    label: str
    name: str
    min_percent: float


# The one declaration of the default groups (provincial practice: A ≥ 90 %, B 80 to < 90 …).
DEFAULT_RANKS: tuple[Rank, ...] = (
    Rank("A", "Xuất sắc", 90.0),
    Rank("B", "Tốt", 80.0),
    Rank("C", "Khá", 70.0),
    Rank("D", "Trung bình", 0.0),
)
_DEFAULT_NAMES = {r.label: r.name for r in DEFAULT_RANKS}
_CLAUSE = re.compile(r"^\s*([^\s:(]+)\s*(?:\(([^)]*)\))?\s*[:=]\s*(?:≥|>=)?\s*(\d+(?:[.,]\d+)?)\s*%?\s*$")


def parse_ranks(text: str) -> tuple[Rank, ...]:
    """'A (Xuất sắc): 90%; B: 80%; …' -> ranks, best first. Raises ValueError naming the text."""
    ranks = []
    for part in re.split(r"[;\n]", clean(text)):
        if not part.strip():
            continue
        m = _CLAUSE.match(part)
        if not m:
            raise ValueError(
                f"ranks {text!r}: cannot read {part.strip()!r} (expected e.g. 'A (Xuất sắc): 90%')"
            )
        label = m.group(1)
        name = clean(m.group(2) or "") or _DEFAULT_NAMES.get(label, label)
        ranks.append(Rank(label, name, float(m.group(3).replace(",", "."))))
    if not ranks:
        raise ValueError(f"ranks {text!r}: no group")
    return tuple(sorted(ranks, key=lambda r: -r.min_percent))


def is_rank_row(code: object, name: object = None) -> bool:
    """Whether a framework row declares the ranking groups rather than a criterion."""
    for value in (code, name):
        if not is_missing(value) and fold(str(value)) in RANK_ROW_CODES:
            return True
    return False


def ranks_of(framework: pd.DataFrame | None) -> tuple[Rank, ...]:
    """The framework's ranking groups, or DEFAULT_RANKS when it declares none (or unreadably)."""
    if framework is None or framework.empty or "code" not in framework.columns:
        return DEFAULT_RANKS
    names = framework["name"] if "name" in framework.columns else [None] * len(framework)
    thresholds = framework["thresholds"] if "thresholds" in framework.columns else [None] * len(framework)
    for code, name, text in zip(framework["code"], names, thresholds, strict=True):
        if is_rank_row(code, name) and not is_missing(text):
            try:
                return parse_ranks(str(text))
            except ValueError:
                return DEFAULT_RANKS
    return DEFAULT_RANKS


def rank_of(percent: float | None, ranks: tuple[Rank, ...] = DEFAULT_RANKS) -> Rank | None:
    """The group a percent falls in (None without a percent)."""
    if percent is None or is_missing(percent):
        return None
    for rank in ranks:
        if float(percent) >= rank.min_percent - _EPS:
            return rank
    return ranks[-1]


def rank_label(percent: float | None, ranks: tuple[Rank, ...] = DEFAULT_RANKS) -> str:
    """'A', 'B', … for a percent; '—' without one."""
    rank = rank_of(percent, ranks)
    return "—" if rank is None else rank.label


def rank_name(percent: float | None, ranks: tuple[Rank, ...] = DEFAULT_RANKS) -> str:
    """'Xuất sắc', 'Tốt', … for a percent; '—' without one."""
    rank = rank_of(percent, ranks)
    return "—" if rank is None else rank.name
