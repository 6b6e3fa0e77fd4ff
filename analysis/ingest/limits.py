"""What a file may cost to read, checked on its bytes before any cell is read.

A 2 KB workbook can ask the reader for 512 GiB (one cell at XFD1048576), a 3 MB one can expand to
3 GB of XML, a 2 KB .ods repeats a cell sixteen thousand times, and an HTML «.xls» spans a thousand
by a thousand cells. Each of these is refused here in well under two seconds, naming the limit hit
and the setting that holds it. The checks stream archive members in chunks and look only for the
few patterns that make a sheet big, so a province's real year passes at the cost of one scan.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from enum import Enum
from pathlib import Path

from analysis import fmt, settings
from analysis.errors import IngestError, Problem

CHUNK = 4 * 1024 * 1024
BIG_MEMBER = 1024 * 1024  # the compression ratio is judged only above this size
LONG_SHARED_STRING = 1024  # bytes; shorter strings cannot expand a file much however often used
HTML_SPAN_WEIGHT = 40  # a spanned HTML cell costs ~40x a plain cell to lay out (a set of tuples)
EXCEL_COLUMNS_WITHOUT_MARKS = 26  # a sheet whose cells all have one-letter columns is at most 26 wide

# Only references that make a sheet big are matched (two- or three-letter columns, or rows past
# 999,999), so an ordinary sheet yields no match at all and the scan runs at C speed.
_BIG_REF = re.compile(rb'\sr="(?:([A-Z]{2,3})(\d+)|[A-Z]{0,3}(\d{7,15}))"')
_ROW_TAG = b"<row"
_CELL_TAG = b"<c "
_SI_TAGS = (b"<si>", b"<si ")
_ODS_REPEAT = re.compile(
    rb'<table:table-(cell|row|covered-table-cell)\b([^>]*?)table:number-(?:columns|rows)-repeated="(\d{1,15})"([^>]*)>'
)
_ODS_ROW_END = b"</table:table-row>"
_HTML_CELL = re.compile(rb"<t[dh]\b[^>]*>", re.IGNORECASE)
_HTML_SPAN = re.compile(rb"""(col|row)span\s*=\s*["']?\s*(\d{1,15})""", re.IGNORECASE)


class Limit(Enum):
    """The limits: what each measures (Vietnamese / English), its setting, and the unit its value is shown in."""

    CELLS = ("số ô của trang tính", "cells in a sheet", "CCHC_MAX_CELLS", "")
    COLUMNS = ("số cột của trang tính", "columns in a sheet", "CCHC_MAX_COLUMNS", "")
    EXPANDED = ("dung lượng sau giải nén", "expanded size", "CCHC_MAX_EXPANDED_MB", "MB")
    RATIO = ("tỉ lệ nén", "compression ratio", "CCHC_MAX_RATIO", "")
    CELL_CHARS = ("độ dài một ô", "length of one cell", "CCHC_MAX_CELL_CHARS", "ký tự")

    def __init__(self, label: str, label_en: str, setting: str, unit: str) -> None:
        self.label, self.label_en, self.setting, self.unit = label, label_en, setting, unit


def _refuse(filename: str, limit: Limit, found: float, allowed: float, where: str = "") -> IngestError:
    scale = 1024 * 1024 if limit.unit == "MB" else 1
    shown = f"{fmt.num(found / scale, 0)} {limit.unit}".strip()
    cap = f"{fmt.num(allowed / scale, 0)} {limit.unit}".strip()
    place = f" ({where})" if where else ""
    return IngestError(
        [
            Problem(
                filename,
                message=(
                    f"Tệp hỏng hoặc quá lớn: {limit.label}{place} là {shown}, vượt giới hạn {cap} "
                    f"(thiết lập {limit.setting}). Không đọc tệp này; hãy kiểm tra lại tệp hoặc tách nhỏ."
                ),
                message_en=f"Damaged or too large: {limit.label_en} {shown} exceeds {cap} ({limit.setting}).",
            )
        ]
    )


def check(data: bytes, filename: str) -> None:
    """Raise IngestError naming the first limit a file would exceed once read; else return."""
    filename = Path(filename).name
    if data.startswith(b"PK\x03\x04"):
        _check_zip(data, filename)
    elif b"<table" in data[:65536].lower():
        _check_html(data, filename)


# Archives (.xlsx, .ods) -----------------------------------------------------------------------------


def _chunks(archive: zipfile.ZipFile, name: str, budget: list[int], filename: str) -> Iterator[bytes]:
    """A member's bytes in chunks, counting what is really inflated (declared sizes can lie)."""
    with archive.open(name) as stream:
        while chunk := stream.read(CHUNK):
            budget[0] += len(chunk)
            if budget[0] > settings.max_expanded_bytes():
                raise _refuse(filename, Limit.EXPANDED, budget[0], settings.max_expanded_bytes())
            yield chunk


def _check_zip(data: bytes, filename: str) -> None:
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return  # the reader reports a damaged archive in its own words
    except NotImplementedError:  # a version or method no spreadsheet program writes: damaged bytes
        raise IngestError(
            [
                Problem(
                    filename,
                    message="Tệp hỏng hoặc quá lớn: phần nén của tệp bị hỏng (định dạng nén không nhận ra).",
                    message_en="Damaged file: unknown archive format.",
                )
            ]
        ) from None
    declared = 0
    for info in infos:
        declared += info.file_size
        if info.file_size > BIG_MEMBER and info.compress_size > 0:
            ratio = info.file_size / info.compress_size
            if ratio > settings.max_ratio():
                raise _refuse(filename, Limit.RATIO, ratio, settings.max_ratio(), info.filename)
    if declared > settings.max_expanded_bytes():
        raise _refuse(filename, Limit.EXPANDED, declared, settings.max_expanded_bytes())
    names = {i.filename for i in infos}
    budget = [0]
    try:
        if "content.xml" in names:
            _scan_ods(archive, filename, budget)
            return
        long_strings: dict[bytes, int] = {}
        if "xl/sharedStrings.xml" in names:
            long_strings = _scan_shared_strings(archive, filename, budget)
        text = 0
        for name in sorted(names):
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                text += _scan_xlsx_sheet(archive, name, filename, budget, long_strings)
        if budget[0] + text > settings.max_expanded_bytes():
            raise _refuse(filename, Limit.EXPANDED, budget[0] + text, settings.max_expanded_bytes())
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
        return  # damaged or encrypted member: the reader reports it


def _long_runs(buffer: bytes, filename: str, where: str) -> None:
    """Refuse a text run (between tags) longer than a cell may be."""
    limit = settings.max_cell_chars()
    start = buffer.find(b">")
    for match in re.finditer(rb">([^<]{%d,})" % (limit + 1), buffer[max(start, 0) :]):
        chars = len(match.group(1).decode("utf-8", errors="replace"))
        if chars > limit:
            raise _refuse(filename, Limit.CELL_CHARS, chars, limit, where)


def _overlap() -> int:
    # Enough carried over between chunks that a long cell split by a chunk edge is still seen whole.
    return settings.max_cell_chars() * 4 + 64


def _scan_shared_strings(archive: zipfile.ZipFile, filename: str, budget: list[int]) -> dict[bytes, int]:
    """Index (as it appears in <v>) -> byte length of every long shared string."""
    out: dict[bytes, int] = {}
    seen = 0  # <si> tags before the current chunk
    tail = b""
    for chunk in _chunks(archive, "xl/sharedStrings.xml", budget, filename):
        buffer = tail + chunk
        _long_runs(buffer, filename, "sharedStrings")
        for match in re.finditer(rb">([^<]{%d,})<" % LONG_SHARED_STRING, chunk):
            index = seen + sum(chunk.count(tag, 0, match.start()) for tag in _SI_TAGS) - 1
            if index >= 0:
                out[str(index).encode()] = max(out.get(str(index).encode(), 0), len(match.group(1)))
        seen += sum(chunk.count(tag) for tag in _SI_TAGS)
        tail = buffer[-_overlap() :]
    return out


def _scan_xlsx_sheet(
    archive: zipfile.ZipFile, name: str, filename: str, budget: list[int], long_strings: dict[bytes, int]
) -> int:
    """Check a worksheet's extent; returns the bytes of long shared strings its cells would repeat."""
    rows = 0
    max_row = 0
    max_col = 0
    text = 0
    tail = b""
    uses = re.compile(rb"<v>(%s)</v>" % b"|".join(long_strings)) if long_strings else None
    sheet = Path(name).stem
    for chunk in _chunks(archive, name, budget, filename):
        buffer = tail + chunk
        rows += (tail[-3:] + chunk).count(_ROW_TAG)
        if not max_col and _CELL_TAG in buffer:
            max_col = EXCEL_COLUMNS_WITHOUT_MARKS
        for match in _BIG_REF.finditer(buffer):
            letters, row, far_row = match.groups()
            if letters:
                max_col = max(max_col, _column_number(letters))
                max_row = max(max_row, int(row))
            else:
                max_row = max(max_row, int(far_row))
        if max_col > settings.max_columns():
            raise _refuse(filename, Limit.COLUMNS, max_col, settings.max_columns(), sheet)
        if max(rows, max_row) * max_col > settings.max_cells():
            raise _refuse(filename, Limit.CELLS, max(rows, max_row) * max_col, settings.max_cells(), sheet)
        _long_runs(buffer, filename, sheet)
        if uses is not None:
            text += sum(long_strings[m.group(1)] for m in uses.finditer(chunk))
        tail = buffer[-_overlap() :]
    return text


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def _scan_ods(archive: zipfile.ZipFile, filename: str, budget: list[int]) -> None:
    """Repeated cells and rows that hold a value expand to that many cells when read."""
    expanded = 0
    tail = b""
    for chunk in _chunks(archive, "content.xml", budget, filename):
        buffer = tail + chunk
        _long_runs(buffer, filename, "content.xml")
        for match in _ODS_REPEAT.finditer(chunk):
            what, before, count, after = match.groups()
            repeat = int(count)
            if repeat <= 1:
                continue
            attrs = before + after
            if what == b"row":
                end = chunk.find(_ODS_ROW_END, match.end())
                body = chunk[match.end() : end if end >= 0 else len(chunk)]
                if b"office:value-type" not in body and b"<text:" not in body:
                    continue  # LibreOffice's trailing empty rows
                width = max(1, body.count(b"<table:table-cell"))
                expanded += repeat * width
            else:
                empty = attrs.rstrip().endswith(b"/") and b"office:value-type" not in attrs
                if empty:
                    continue  # trailing empty cells of a row
                if repeat > settings.max_columns():
                    raise _refuse(filename, Limit.COLUMNS, repeat, settings.max_columns(), "content.xml")
                expanded += repeat
            if expanded > settings.max_cells():
                raise _refuse(filename, Limit.CELLS, expanded, settings.max_cells(), "content.xml")
        tail = buffer[-_overlap() :]


# HTML tables saved as .xls --------------------------------------------------------------------------


def _check_html(data: bytes, filename: str) -> None:
    """Spanned cells are laid out one by one: their total area is bounded."""
    budget = settings.max_cells() // HTML_SPAN_WEIGHT
    area = 0
    for tag in _HTML_CELL.finditer(data):
        spans = {kind.lower(): int(value) for kind, value in _HTML_SPAN.findall(tag.group())}
        if not spans:
            area += 1
            continue
        cols = max(1, min(spans.get(b"col", 1), 1000))
        rows = max(1, min(spans.get(b"row", 1), 1000))
        area += cols * rows
        if area > budget:
            raise _refuse(
                filename,
                Limit.CELLS,
                area,
                budget,
                f"bảng HTML; giới hạn = CCHC_MAX_CELLS ÷ {HTML_SPAN_WEIGHT}",
            )
    _long_runs(data, filename, "HTML")


# Text with a byte-order mark ------------------------------------------------------------------------


def decode_with_bom(data: bytes, filename: str) -> str:
    """UTF-8 or UTF-16 text after its BOM; a damaged byte is reported with its position, not raised."""
    import codecs

    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8", data[len(codecs.BOM_UTF8) :]
    else:
        encoding, body = "utf-16", data
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as exc:
        raise IngestError(
            [
                Problem(
                    filename,
                    value=exc.object[exc.start : exc.start + 8].hex(" "),
                    message=(
                        f"Tệp văn bản {encoding.upper()} bị hỏng: byte thứ {fmt.num(exc.start + 1, 0)} "
                        "không đọc được. Hãy mở tệp bằng Excel và lưu lại dạng CSV UTF-8."
                    ),
                    message_en=f"Damaged {encoding.upper()} text: byte {exc.start + 1} cannot be decoded.",
                )
            ]
        ) from None
