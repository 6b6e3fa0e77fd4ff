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


def same_name(a: str | None, b: str | None) -> bool:
    """Unit names are equal when equal after NFC, trimming and case folding (accents kept)."""
    return clean(a).casefold() == clean(b).casefold()
