"""The engine's one input: a year's data (tasks, framework, scores, dossiers, units), read once.

Every entry point of the engine takes a YearData and a cut-off date (and, for a unit's view, the
unit), so the argument list is written once, here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.store import DossierRows


@dataclass(frozen=True, eq=False)  # hashed by identity: a cache key for derived views
class YearData:
    """The current data of one year, read once and shared by every view of that year."""

    year: int
    tasks: pd.DataFrame
    framework: pd.DataFrame
    scores: pd.DataFrame
    # Not rows: the aggregate source (SQL in the store); a frame only for previews and fixtures.
    dossiers: DossierRows | pd.DataFrame
    units: pd.DataFrame
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)  # the batches behind the data
    previous_scores: pd.DataFrame | None = None  # last year's scores: the survey's expectation
    amendments: pd.DataFrame | None = None  # approved deadline changes and removals (engine.amendments)
    # Frameworks of other levels ('commune', 'office'): a unit of that group is scored with its own.
    level_frameworks: dict[str, pd.DataFrame] | None = None

    @property
    def empty(self) -> bool:
        return self.tasks.empty and self.framework.empty and self.scores.empty
