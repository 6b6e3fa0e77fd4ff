"""Text normalisation: NFC for stored values, a folded key only for matching headers and keywords."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z%]+")


def clean(value: object) -> str:
    """NFC-normalise, trim and collapse inner white space (incl. line breaks inside cells)."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ")
    return _SPACE.sub(" ", text).strip()


def fold(value: object) -> str:
    """Accent-free lowercase key for matching headers and keywords only.

    Never use this to compare unit names: Ba Tơ and Ba Tô are different units.
    """
    text = unicodedata.normalize("NFD", clean(value).lower())
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = text.replace("đ", "d")
    return _NON_WORD.sub(" ", text).strip()


def is_missing(value: object) -> bool:
    """None, NaN, NaT or pandas NA (anything else, including '' and 0, is a value)."""
    if value is None:
        return True
    import pandas as pd  # local: text cleaning itself needs no pandas

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and arrays are values
        return False


def name_key(value: object) -> str:
    """Matching key for unit names and codes: NFC, trimmed, case-folded; accents kept (Ba Tơ ≠ Ba Tô)."""
    return "" if is_missing(value) else clean(value).casefold()


def same_name(a: str | None, b: str | None) -> bool:
    """Unit names are equal when their name keys are equal."""
    return name_key(a) == name_key(b)


# Areas and sections are numbered I, II, … ; twenty is more than any framework or plan uses.
ROMAN_NUMERALS = (
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
    "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX",
)  # fmt: skip
_ROMAN_VALUES = {numeral.lower(): i for i, numeral in enumerate(ROMAN_NUMERALS, start=1)}


def roman_to_int(text: object) -> int | None:
    """'IV' -> 4, 'ii.' -> 2; None when the text is not a Roman numeral I..XX."""
    if is_missing(text):
        return None
    return _ROMAN_VALUES.get(fold(text).rstrip(" ."))


def roman_order(text: object) -> tuple[int, str]:
    """Sort key: Roman-numbered areas in numeric order, anything else after them by its text."""
    value = roman_to_int(text)
    return (10_000 if value is None else value, "" if is_missing(text) else clean(text))
