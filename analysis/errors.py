"""User-facing errors: one base class, and the problems of a file, each naming file, sheet, cell and value."""

from __future__ import annotations

from dataclasses import dataclass

from analysis import fmt

# Echoed cell values are cut: a 1 MB cell repeated in 300 problems would make 300 MB of report.
ECHO_CHARS = 200
MESSAGE_CHARS = 1000


def shorten(value: object, limit: int = ECHO_CHARS) -> str:
    """The text of a value, cut to `limit` characters with the total length said at the end."""
    text = str(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({fmt.num(len(text), 0)} ký tự)"


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class Problem:
    """One problem found in an input file. `row` is 1-based as Excel shows it; `col` is 0-based."""

    file: str
    sheet: str | None = None
    row: int | None = None
    col: int | None = None
    column: str | None = None  # the header or canonical label of the column
    value: object = None
    message: str = ""  # Vietnamese
    message_en: str = ""
    expected: str = ""  # what would have been accepted, in Vietnamese
    severity: str = "error"  # "error" or "warning"

    @property
    def cell(self) -> str:
        """Excel address such as 'C14', or the row/column alone when only one is known."""
        if self.row is not None and self.col is not None:
            return f"{column_letter(self.col)}{self.row}"
        if self.row is not None:
            return f"dòng {self.row}"
        if self.col is not None:
            return f"cột {column_letter(self.col)}"
        return ""

    def text(self) -> str:
        """One line in Vietnamese (English after the slash) naming where and what."""
        where = [f"Tệp «{self.file}»"]
        if self.sheet:
            where.append(f"trang tính «{self.sheet}»")
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.col is not None:
            where.append(f"ô {self.cell}" if self.row is not None else self.cell)
        if self.column:
            where.append(f"cột «{self.column}»")
        line = ", ".join(where)
        if self.value not in (None, ""):
            line += f": giá trị «{shorten(self.value)}»"
        line += f" — {shorten(self.message, MESSAGE_CHARS)}"
        if self.expected:
            line += f" (cần: {self.expected})"
        if self.message_en:
            line += f" / {self.message_en}"
        return line

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "row": self.row,
            "column": self.column,
            "value": None if self.value is None else shorten(self.value),
            "message": self.message,
            "message_en": self.message_en,
            "expected": self.expected,
            "severity": self.severity,
        }


class UserError(Exception):
    """Base of every problem a user can act on. Pages show `vi`; the CLI prints both and exits 2.

    Build it with keywords (`UserError(vi="…", en="…")`), or with one "Vietnamese / English" text.
    """

    def __init__(self, message: str = "", *, vi: str | None = None, en: str = "") -> None:
        if vi is None:
            vi, _, tail = message.partition(" / ")
            en = en or tail
        self.vi = vi
        self.en = en
        super().__init__(f"{vi} / {en}" if en else vi)


class IngestError(UserError):
    """Raised with every problem of a file at once; nothing of that file is loaded."""

    def __init__(self, problems: list[Problem]):
        self.problems = [p for p in problems if p.severity == "error"] or problems
        super().__init__(vi=self.report())

    def report(self) -> str:
        head = f"Không nạp được dữ liệu: {len(self.problems)} lỗi. / Nothing was loaded: {len(self.problems)} error(s)."
        return "\n".join([head, *("- " + p.text() for p in self.problems)])
