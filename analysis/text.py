"""Text normalisation: NFC for stored values, a folded key only for matching headers and keywords."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z%]+")


# Unicode format characters (category Cf: zero-width space, RLM, BOM, soft hyphen …) are invisible:
# «Xã Ba\u200bĐiền» looks like «Xã Ba Điền» but would be another unit. Listed as ranges so stripping
# runs at regex speed; tests/test_auth.py checks the list against unicodedata.
_FORMAT = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


def clean(value: object) -> str:
    """NFC-normalise, drop invisible format characters, trim and collapse inner white space."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ")
    text = _FORMAT.sub("", text)
    return _SPACE.sub(" ", text).strip()


def plain_int(value: object, digits: int = 9) -> int | None:
    """An ASCII whole number such as a URL's «2024» (None for «²», «٣», «-1», «» or too many digits).

    str.isdigit() accepts «²», which int() refuses: only ASCII decimal digits pass here.
    """
    text = "" if value is None else str(value).strip()
    if text and len(text) <= digits and text.isascii() and text.isdecimal():
        return int(text)
    return None


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
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
    "XVIII",
    "XIX",
    "XX",
)
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
