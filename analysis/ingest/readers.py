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
from collections.abc import Callable, Iterator
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
    """One sheet: cell values anchored at A1 and merged ranges as ((r0, c0), (r1, c1)), 0-based.

    A large CSV read column at a time keeps its first rows in `rows` (where the header is found) and
    the rows below them in `tail`, an Arrow table of text columns c0, c1 … (NULL for an empty cell)."""

    name: str
    rows: list[list[Any]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    tail: Any = None  # pyarrow.Table | None


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


def read_grids(
    data: bytes, filename: str, *, csv_table: Callable[[Path, str, int], Any] | None = None
) -> list[Grid]:
    """Every sheet of a file as a Grid; raises IngestError when the file cannot be read at all.

    The content decides how to read, not the name: portals export HTML tables named .xls, and a
    workbook is sometimes renamed .csv. With `csv_table` (DuckDB's CSV reader, analysis.ingest.bulk) a
    large CSV comes back with its rows below the first ones as an Arrow table (Grid.tail); without it every
    row is a list.
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
        if csv_table is not None and suffix in CSV_SUFFIXES and len(data) >= COLUMNAR_CSV_BYTES:
            grid = _read_csv_columnar(data, Path(filename).stem, csv_table)
            if grid is not None:
                return [grid]
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
            grids.append(
                Grid(name, rows if rows and isinstance(rows[0], list) else [list(r) for r in rows], merged)
            )
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


# Large CSV, column at a time -----------------------------------------------------------------------

# From this size on, a CSV is read by DuckDB into Arrow columns instead of Python lists (a million
# dossier rows as lists hold ten million Python strings); smaller files are not worth a second reader.
COLUMNAR_CSV_BYTES = 4_000_000
_HEAD_ROWS = 200  # rows read the exact way, enough for the header scan (analysis.ingest._detect)
_HEAD_CHARS = 20_000  # and at least the text the delimiter is sniffed on
_CHUNK = 1 << 23


def _read_csv_columnar(data: bytes, name: str, csv_table: Callable[[Path, str, int], Any]) -> Grid | None:
    """The CSV as a head of rows and an Arrow tail, or None when it needs the exact reader: an encoding
    or a layout DuckDB reads differently (blank lines below the head, which DuckDB drops and which
    would shift every row number; NUL bytes; bare CR line endings; a row wider than the head's)."""
    import tempfile

    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "tail.csv"
        utf8 = data.startswith(codecs.BOM_UTF8) or not (
            data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(data)
        )
        # UTF-8 goes to DuckDB as it is (DuckDB refuses invalid UTF-8, and the exact reader then tries
        # Windows-1258); other encodings are transcoded a chunk at a time.
        split = _split_utf8(data, target) if utf8 else _transcode(data, target)
        if split is None:
            return None
        head, lines = split
        try:
            delimiter = csv.Sniffer().sniff(head[:20000], delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
        head_rows = list(csv.reader(_lines(head), delimiter=delimiter))
        width = max((len(r) for r in head_rows), default=0)
        if not lines or width == 0:
            return Grid(name, head_rows)
        try:
            tail = csv_table(target, delimiter, width)
        except Exception:  # duckdb.Error and friends: the exact reader decides and words the message
            return None
    # One row per line: no blank line was dropped and no cell spans lines (else: the exact reader).
    return Grid(name, head_rows, tail=tail) if tail.num_rows == lines else None


def _split_utf8(data: bytes, target: Path) -> tuple[str, int] | None:
    """Head text (NFC) and the number of lines below it, written to `target` unchanged."""
    body = memoryview(data)[len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0 :]
    cut = _head_end(body)
    if cut is None:
        return None
    try:
        head = unicodedata.normalize("NFC", bytes(body[:cut]).decode("utf-8"))
    except UnicodeDecodeError:
        return None
    rest = body[cut:]
    target.write_bytes(rest)
    return head, _line_count(rest)


def _line_count(text: bytes | memoryview) -> int:
    if not len(text):
        return 0
    raw = bytes(text) if isinstance(text, memoryview) else text
    return raw.count(b"\n") + (0 if raw.endswith(b"\n") else 1)


def _transcode(data: bytes, target: Path) -> tuple[str, int] | None:
    """Decode as decode_text would (UTF-16, Windows-1258), a chunk at a time (the text of a large file is
    never held whole); write the rows below the head to `target` as NFC UTF-8; None when unsure."""
    for encoding, start in _encodings(data):
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        try:
            return _write_tail(data, start, decoder, target)
        except UnicodeDecodeError:
            continue
    return None


def _encodings(data: bytes) -> list[tuple[str, int]]:
    """The encodings decode_text would try, in its order, with the bytes to skip (a BOM)."""
    if data.startswith(codecs.BOM_UTF16_LE):
        return [("utf-16-le", 2)]
    if data.startswith(codecs.BOM_UTF16_BE):
        return [("utf-16-be", 2)]
    return [("utf-8", 0), *([("utf-16-le", 0)] if _looks_utf16(data) else []), ("cp1258", 0)]


def _write_tail(data: bytes, start: int, decoder: Any, target: Path) -> tuple[str, int] | None:
    head: str | None = None
    carry = ""
    lines = 0
    with open(target, "wb") as out:
        for pos in range(start, len(data), _CHUNK):
            last = pos + _CHUNK >= len(data)
            text = carry + decoder.decode(data[pos : pos + _CHUNK], final=last)
            cut = len(text) if last else text.rfind("\n") + 1
            text, carry = text[:cut], text[cut:]
            if "\x00" in text:
                return None
            # Windows-1258 keeps tone marks as combining characters: compose them (line by line is
            # enough: a combining sequence never spans a line break).
            if not unicodedata.is_normalized("NFC", text):
                text = unicodedata.normalize("NFC", text)
            if head is None:
                split = _head_end(text)
                if split is None:
                    return None
                head, text = text[:split], text[split:]
            encoded = text.encode("utf-8")
            lines += _line_count(encoded)
            out.write(encoded)
        if carry:
            return None
    return head or "", lines


def _head_end(text: str | memoryview) -> int | None:
    """Where the head ends: after _HEAD_ROWS lines and 20,000 characters (what the delimiter is sniffed
    on), at the end of a line outside any quoted cell; None when unsure (bare CR line endings)."""
    raw = text if isinstance(text, str) else bytes(text[: 1 << 22])
    nl, quote = ("\n", '"') if isinstance(raw, str) else (b"\n", b'"')
    if nl not in raw:
        return len(raw) if isinstance(text, str) or len(text) == len(raw) else None
    pos, count = 0, 0
    while count < _HEAD_ROWS or pos < _HEAD_CHARS:
        nxt = raw.find(nl, pos)
        if nxt < 0:
            return len(raw) if isinstance(text, str) or len(text) == len(raw) else None
        pos, count = nxt + 1, count + 1
    for _ in range(50):  # a quoted cell with line breaks: move on to the end of its row
        if raw.count(quote, 0, pos) % 2 == 0:
            return pos
        nxt = raw.find(nl, pos)
        if nxt < 0:
            return None
        pos = nxt + 1
    return None
