"""The one grammar of a criterion's band text (Ngưỡng), read by ingestion and by the rule engine.

Grammar (case and spaces free):
- clauses are separated by ";" or new lines; bands inside a clause by "," + space or spaces;
- a band is [comparator] NUMBER [%] SEP POINTS with comparator ≥ >= > (at least) or < ≤ <= (below the
  other bands), SEP one of : = → ->, numbers with a decimal comma or point ("0,5", "0.5");
- "100%: 2" compares the ratio × 100; "90: 3" compares the raw metric value;
- a clause that starts with a word is an option, not a band ("apology: 0.5", "xin lỗi: 0,5").

"<50%: 0; 50%: 1; 100%: 2" and "100%: 2, 80%: 1" are both read the same way everywhere.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

_NUMBER = r"[-+]?\d+(?:[.,]\d+)?"
_BAND = re.compile(rf"(>=|≥|>|<=|≤|<)?\s*({_NUMBER})\s*(%?)\s*(?::|=|→|->)\s*({_NUMBER})")
_WORD_CLAUSE = re.compile(r"^\s*[^\W\d_]")
_CLAUSES = re.compile(r"[;\n\r]")
_SEPARATORS = re.compile(r"[,\s]+")
BELOW = -math.inf  # threshold of a "< x" band: it applies below every other band


class Band(NamedTuple):
    """threshold (-inf for a '< x' band), points, whether the threshold is a percent."""

    threshold: float
    points: float
    is_percent: bool


class ThresholdError(ValueError):
    """A band text that is not in the grammar; `part` is the piece that could not be read."""

    def __init__(self, text: str, part: str) -> None:
        self.text, self.part = text, part
        super().__init__(f"không hiểu mức «{part}» / cannot read {part!r} in thresholds {text!r}")

    @property
    def vietnamese(self) -> str:
        return f"không hiểu mức «{self.part}»"


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def parse_bands(text: object) -> list[Band]:
    """The bands of a Ngưỡng text, highest threshold first ([] for an empty text or options only).

    Raises ThresholdError naming the part that is not a band.
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return []
    source = str(text)
    bands: list[Band] = []
    for clause in _CLAUSES.split(source):
        if not clause.strip() or _WORD_CLAUSE.match(clause):
            continue
        for m in _BAND.finditer(clause):
            comparator, number, percent, points = m.groups()
            threshold = BELOW if comparator in ("<", "<=", "≤") else _number(number)
            bands.append(Band(threshold, _number(points), percent == "%"))
        leftover = _SEPARATORS.sub("", _BAND.sub("", clause))
        if leftover:
            raise ThresholdError(source, clause.strip())
    return sorted(bands, key=lambda band: band.threshold, reverse=True)
