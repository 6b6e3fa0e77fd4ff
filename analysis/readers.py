"""Read any spreadsheet a district office sends into plain grids of cell values.

`.xlsx`, `.xls` and `.ods` go through calamine (the fastest reader measured here, and the only one
that reads all three); CSV is decoded by sniffing its encoding (BOM, UTF-8, UTF-16, Windows-1258).
Grids are anchored at A1 so row and column numbers match what Excel shows.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from analysis.errors import IngestError, Problem

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
ACCEPTED_SUFFIXES = SPREADSHEET_SUFFIXES + CSV_SUFFIXES


@dataclass
class Grid:
    """One sheet: cell values anchored at A1 and merged ranges as ((r0, c0), (r1, c1)), 0-based."""

    name: str
    rows: list[list[Any]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


def read_grids(data: bytes, filename: str) -> list[Grid]:
    """Every sheet of a file as a Grid; raises IngestError when the file cannot be read at all."""
    suffix = Path(filename).suffix.lower()
    if not data:
        raise IngestError(
            [Problem(filename, message="Tệp rỗng, không có dữ liệu.", message_en="The file is empty.")]
        )
    if suffix in CSV_SUFFIXES:
        return [Grid(Path(filename).stem, _read_csv(data, filename))]
    if suffix not in SPREADSHEET_SUFFIXES:
        raise IngestError(
            [
                Problem(
                    filename,
                    value=suffix or "(không có phần mở rộng)",
                    message="Định dạng tệp không được hỗ trợ; hãy dùng .xlsx, .xls, .ods hoặc .csv.",
                    message_en="Unsupported file type; use .xlsx, .xls, .ods or .csv.",
                )
            ]
        )
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        grids = []
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = list(sheet.merged_cell_ranges or [])
            grids.append(Grid(name, [list(r) for r in rows], merged))
        return grids
    except Exception as exc:  # calamine raises several types for corrupt or foreign files
        raise IngestError(
            [
                Problem(
                    filename,
                    message="Không đọc được tệp: tệp hỏng hoặc không phải bảng tính "
                    f"{suffix} ({type(exc).__name__}).",
                    message_en=f"Cannot read the file: corrupt or not a {suffix} spreadsheet.",
                )
            ]
        ) from None


def decode_text(data: bytes, filename: str) -> str:
    """Decode CSV bytes: BOMs first, then UTF-8, UTF-16 without BOM, then Windows-1258."""
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    else:
        text = None
        for encoding in ("utf-8", "utf-16-le" if _looks_utf16(data) else None, "cp1258"):
            if encoding is None:
                continue
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        if text is None:
            raise IngestError(
                [
                    Problem(
                        filename,
                        message="Không nhận ra bảng mã của tệp CSV (hãy lưu lại dưới dạng UTF-8).",
                        message_en="Unknown CSV encoding (save it as UTF-8).",
                    )
                ]
            )
    # Windows-1258 keeps tone marks as combining characters: compose them.
    return unicodedata.normalize("NFC", text)


def _looks_utf16(data: bytes) -> bool:
    sample = data[:4000]
    return len(sample) > 4 and sample.count(0) > len(sample) // 4


def _read_csv(data: bytes, filename: str) -> list[list[Any]]:
    text = decode_text(data, filename)
    if "\x00" in text:
        raise IngestError(
            [
                Problem(
                    filename,
                    message="Tệp CSV chứa ký tự lạ (không phải văn bản).",
                    message_en="Not a text file.",
                )
            ]
        )
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return [list(row) for row in reader]
