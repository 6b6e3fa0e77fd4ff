"""Read any spreadsheet a district office sends into plain grids of cell values.

`.xlsx`, `.xls` and `.ods` go through calamine (the fastest reader measured here, and the only one
that reads all three); CSV is decoded by sniffing its encoding (BOM, UTF-8, UTF-16, Windows-1258);
HTML tables saved as `.xls` (portal exports) are read with the standard library's HTML parser.
The bytes decide the reader, not the file name.
Grids are anchored at A1 so row and column numbers match what Excel shows.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import python_calamine

from analysis.errors import IngestError, Problem
from analysis.ingest import limits

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
ACCEPTED_SUFFIXES = SPREADSHEET_SUFFIXES + CSV_SUFFIXES


@dataclass
class Grid:
    """One sheet: cell values anchored at A1 and merged ranges as ((r0, c0), (r1, c1)), 0-based."""

    name: str
    rows: list[list[Any]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (and encrypted .xlsx)
_FOREIGN = {
    b"\x89PNG": "ảnh PNG",
    b"\xff\xd8\xff": "ảnh JPEG",
    b"GIF8": "ảnh GIF",
    b"%PDF": "tệp PDF",
    b"Rar!": "tệp nén RAR",
}


def content_kind(data: bytes) -> str:
    """What the bytes really are, whatever the file is called: 'zip' (xlsx, ods), 'ole' (xls), 'html',
    'spreadsheetml', 'text', or a Vietnamese description of a foreign format ('ảnh PNG')."""
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(_OLE2):
        return "ole"
    for magic, label in _FOREIGN.items():
        if data.startswith(magic):
            return label
    head = data[:65536].lower()
    if b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return "spreadsheetml"
    if b"<table" in head or b"<\x00t\x00a\x00b\x00l\x00e\x00" in head:
        return "html"
    sample = data[:4000]
    if sample.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(sample):
        return "text"
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return "text" if controls <= len(sample) // 100 else "binary"


def _problem(filename: str, message: str, message_en: str, value: object = None) -> IngestError:
    return IngestError([Problem(filename, value=value, message=message, message_en=message_en)])


def read_grids(data: bytes, filename: str) -> list[Grid]:
    """Every sheet of a file as a Grid; raises IngestError when the file cannot be read at all.

    The content decides how to read, not the name: portals export HTML tables named .xls, and a
    workbook is sometimes renamed .csv.
    """
    suffix = Path(filename).suffix.lower()
    if not data:
        raise _problem(filename, "Tệp rỗng, không có dữ liệu.", "The file is empty.")
    if suffix not in ACCEPTED_SUFFIXES:
        raise _problem(
            filename,
            "Định dạng tệp không được hỗ trợ; hãy dùng .xlsx, .xls, .ods hoặc .csv.",
            "Unsupported file type; use .xlsx, .xls, .ods or .csv.",
            suffix or "(không có phần mở rộng)",
        )
    limits.check(data, filename)  # before any cell is read: a 2 KB file can ask for 512 GiB
    kind = content_kind(data)
    if kind in ("zip", "ole"):
        return _read_workbook(data, filename, kind)
    if kind == "html":
        return _read_html(data, filename)
    if kind == "spreadsheetml":
        raise _problem(
            filename,
            "Tệp là bảng tính XML kiểu cũ (Excel 2003); hãy mở bằng Excel và lưu lại dạng .xlsx.",
            "Excel 2003 XML spreadsheet; save it as .xlsx.",
        )
    if kind == "text":
        rows = _read_csv(data, filename)
        # A CSV renamed .xls is read as CSV; prose is not a table.
        if suffix in SPREADSHEET_SUFFIXES and not _has_table(rows):
            raise _problem(
                filename,
                f"Tệp có đuôi {suffix} nhưng nội dung là văn bản thuần, không phải bảng tính.",
                f"Named {suffix} but the content is plain text, not a spreadsheet.",
            )
        return [Grid(Path(filename).stem, rows)]
    what = kind if kind != "binary" else "một định dạng không phải bảng tính"
    raise _problem(
        filename,
        f"Tệp có đuôi {suffix} nhưng nội dung là {what}, không phải bảng tính.",
        f"Named {suffix} but the content is not a spreadsheet.",
    )


def _read_workbook(data: bytes, filename: str, kind: str) -> list[Grid]:
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
        if kind == "zip" and (other := _zip_kind(data)):
            raise _problem(
                filename,
                f"Tệp có đuôi {Path(filename).suffix.lower()} nhưng nội dung là {other}, không phải bảng tính.",
                "The content is not a spreadsheet.",
            ) from None
        hint = " hoặc được đặt mật khẩu" if kind == "ole" else ""
        raise _problem(
            filename,
            f"Không đọc được tệp: tệp bảng tính bị hỏng{hint} ({type(exc).__name__}).",
            "Cannot read the file: the spreadsheet is corrupt" + (" or password-protected." if hint else "."),
        ) from None


def _zip_kind(data: bytes) -> str | None:
    """A Vietnamese name for a ZIP that is not a workbook (a Word file, a plain archive), else None."""
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return None
    if any(n.startswith("xl/") for n in names) or "content.xml" in names:
        return None
    if any(n.startswith("word/") for n in names):
        return "văn bản Word"
    if any(n.startswith("ppt/") for n in names):
        return "bản trình chiếu PowerPoint"
    return "tệp nén ZIP"


# HTML tables ------------------------------------------------------------------------------------


class _TableParser(HTMLParser):
    """Collects every <table> as rows of (text, colspan, rowspan) cells; nested tables stay separate."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[tuple[str, int, int]]]] = []
        self._stack: list[list[list[tuple[str, int, int]]]] = []
        self._cell: list[str] | None = None
        self._span = (1, 1)
        self._cells: list[list[str] | None] = []  # the open cell of each table on the stack

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._stack.append([])
            self._cells.append(self._cell)
            self._cell = None
        elif not self._stack:
            return
        elif tag == "tr":
            self._close_cell()
            self._stack[-1].append([])
        elif tag in ("td", "th"):
            self._close_cell()
            if not self._stack[-1]:
                self._stack[-1].append([])
            a = dict(attrs)
            self._span = (_span(a.get("colspan")), _span(a.get("rowspan")))
            self._cell = []
        elif tag in ("br", "p", "div") and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if not self._stack:
            return
        if tag in ("td", "th"):
            self._close_cell()
        elif tag == "table":
            self._close_cell()
            self.tables.append(self._stack.pop())
            self._cell = self._cells.pop()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _close_cell(self) -> None:
        if self._cell is not None and self._stack:
            text = " ".join("".join(self._cell).split())
            self._stack[-1][-1].append((text, *self._span))
        self._cell = None


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def _layout(table: list[list[tuple[str, int, int]]]) -> Grid:
    """Place spanning cells on a grid as Excel would show them; spans become merged ranges."""
    taken: set[tuple[int, int]] = set()
    cells: dict[tuple[int, int], str] = {}
    merged = []
    for r, row in enumerate(table):
        c = 0
        for text, colspan, rowspan in row:
            while (r, c) in taken:
                c += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
            cells[(r, c)] = text
            if colspan > 1 or rowspan > 1:
                merged.append(((r, c), (r + rowspan - 1, c + colspan - 1)))
            c += colspan
    height = max((r for r, _ in taken), default=-1) + 1
    width = max((c for _, c in taken), default=-1) + 1
    rows = [[cells.get((r, c), "") for c in range(width)] for r in range(height)]
    return Grid("", rows, merged)


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([a-zA-Z0-9_-]+)""", re.IGNORECASE)


def _read_html(data: bytes, filename: str) -> list[Grid]:
    """Tables of an HTML page saved as .xls (what many portals call «Xuất Excel»)."""
    m = _CHARSET.search(data[:4096])
    text = None
    if m and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = unicodedata.normalize("NFC", data.decode(m.group(1).decode("ascii")))
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text = decode_text(data, filename)
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    grids = [_layout(t) for t in parser.tables]
    grids = [g for g in grids if len(g.rows) >= 2 and g.rows and len(g.rows[0]) >= 2]
    if not grids:
        raise _problem(
            filename,
            "Tệp là trang HTML nhưng không có bảng dữ liệu nào.",
            "HTML page without any data table.",
        )
    stem = Path(filename).stem
    for k, g in enumerate(grids):
        g.name = stem if len(grids) == 1 else f"{stem} ({k + 1})"
    return grids


def decode_text(data: bytes, filename: str) -> str:
    """Decode CSV bytes: BOMs first, then UTF-8, UTF-16 without BOM, then Windows-1258."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = limits.decode_with_bom(data, filename)
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
    # Lines are handed to the reader one at a time: io.StringIO would hold a second copy of the whole
    # text, four bytes per character (760 MB for a million dossiers).
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\n")  # old Mac line endings: bare carriage returns
    try:
        return list(csv.reader(_lines(text), delimiter=delimiter))
    except csv.Error as exc:
        raise IngestError(
            [
                Problem(
                    filename,
                    message=f"Tệp CSV không đúng định dạng ({exc}).",
                    message_en="Malformed CSV file.",
                )
            ]
        ) from None


_LINE = re.compile(r"[^\n]*\n|[^\n]+")


def _lines(text: str) -> Iterator[str]:
    """The lines of a text with their '\n' kept, split exactly as io.StringIO(text) splits them."""
    return (m.group() for m in _LINE.finditer(text))


def _has_table(rows: list[list[Any]]) -> bool:
    """At least two rows with two or more filled cells (stops at the second)."""
    found = 0
    for row in rows:
        if sum(1 for v in row if v.strip()) >= 2:
            found += 1
            if found == 2:
                return True
    return False
