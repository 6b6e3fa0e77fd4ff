"""Whole-column operations a database does faster than Python, handed to ingestion by its caller.

Ingestion comes before the store and holds no SQL (ARCHITECTURE.md); the store implements these with
DuckDB (`analysis.store.bulk()`) and the workflow passes them to `parse_file`. Without them ingestion
reads and parses in Python alone: the same rows and the same messages, slower on large files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Bulk:
    # {name: Arrow text array}, {name: kind} -> {name: (parsed values, ok)}; see analysis.store.TEXT_FORMS.
    parse_text_columns: Callable[[dict[str, Any], dict[str, str]], dict[str, tuple[Any, Any]]]
    # (UTF-8 CSV file, delimiter, width) -> Arrow table of text columns c0 …; raises when it cannot.
    read_csv_table: Callable[[Path, str, int], Any]
