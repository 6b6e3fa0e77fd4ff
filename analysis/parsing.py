"""Parsers for the free-text values found in Vietnamese spreadsheets: deadlines, statuses, numbers, dates."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from analysis.text import clean, fold

EXCEL_EPOCH = date(1899, 12, 30)
ROMAN_NUMERALS = {
    "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10,
    "xi": 11, "xii": 12, "xiii": 13, "xiv": 14, "xv": 15, "xvi": 16, "xvii": 17, "xviii": 18, "xix": 19, "xx": 20,
}  # fmt: skip


class ParseError(ValueError):
    """A value that cannot be understood; the message is Vietnamese, for the problem report."""


@dataclass(frozen=True)
class Deadline:
    """A parsed deadline: a date, or ongoing, or no fixed date (both None date)."""

    date: date | None
    ongoing: bool = False

    @property
    def fixed(self) -> bool:
        return self.date is not None


def roman_to_int(text: object) -> int | None:
    """'IV' -> 4; None when the text is not a Roman numeral (I..XX)."""
    key = fold(text).rstrip(" .")
    return ROMAN_NUMERALS.get(key)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_end(year: int, quarter: int) -> date:
    return month_end(year, quarter * 3)


def excel_serial_to_date(value: float) -> date:
    return EXCEL_EPOCH + timedelta(days=int(value))


def _is_serial(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 <= value <= 80000


_DMY = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{2,4}))?(?!\d)")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_QUARTER = re.compile(r"\bquy\s*(iv|iii|ii|i|[1-4])\b")
_MONTH = re.compile(r"\bthang\s*(\d{1,2})\b(?:\s*(?:nam\s*)?[/\-]?\s*(20\d\d))?")
_TIME = re.compile(r"(\d{1,2})\s*[:h]\s*(\d{2})(?:\s*:\s*(\d{2}))?")


def parse_date_text(text: str, default_year: int | None = None) -> date | None:
    """'30/6/2024', '30-06-2024', '2024-06-30', '30/6' (with default_year) -> date; None when no date form."""
    folded = clean(text)
    m = _ISO.search(folded)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    m = _DMY.search(folded)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
        if year is None:
            if default_year is None:
                return None
            y = default_year
        else:
            y = int(year)
            if y < 100:
                y += 2000
        return _safe_date(y, month, day, text)
    return None


def _safe_date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ParseError(f"ngày không tồn tại ({day}/{month}/{year})") from None


def parse_date(value: object, default_year: int | None = None) -> date | None:
    """A cell as a date: real dates, Excel serials, or Vietnamese day/month/year text. None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if _is_serial(value):
        return excel_serial_to_date(float(value))
    text = clean(value)
    if not text:
        return None
    if _is_serial_text(text):
        return excel_serial_to_date(float(text))
    parsed = parse_date_text(text, default_year)
    if parsed is None:
        raise ParseError("không phải ngày hợp lệ")
    return parsed


def _is_serial_text(text: str) -> bool:
    try:
        return _is_serial(float(text))
    except ValueError:
        return False


def parse_timestamp(value: object) -> datetime | None:
    """A cell as a timestamp: real datetimes, Excel serials (with fraction), 'dd/mm/yyyy hh:mm[:ss]'."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if _is_serial(value):
        return datetime(1899, 12, 30) + timedelta(days=float(value))
    text = clean(value)
    if not text:
        return None
    if _is_serial_text(text):
        return datetime(1899, 12, 30) + timedelta(days=float(text))
    day = parse_date_text(text)
    if day is None:
        raise ParseError("không phải ngày giờ hợp lệ")
    rest = _ISO.sub("", text) if _ISO.search(text) else _DMY.sub("", text, count=1)
    m = _TIME.search(rest)
    if m:
        h, mi, s = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        if h > 23 or mi > 59 or s > 59:
            raise ParseError("giờ không hợp lệ")
        return datetime(day.year, day.month, day.day, h, mi, s)
    return datetime(day.year, day.month, day.day)


ONGOING_WORDS = ("thuong xuyen", "hang thang", "hang quy", "hang nam", "dinh ky", "lien tuc", "hang tuan")
NO_DATE_WORDS = (
    "theo quy dinh", "theo yeu cau", "theo chi dao", "khi co yeu cau", "theo ke hoach", "theo tien do",
    "khi co van ban", "theo huong dan",
)  # fmt: skip


def parse_deadline(value: object, plan_year: int) -> Deadline:
    """Parse a Vietnamese deadline; periods mean their last day, forms without a year take plan_year."""
    if isinstance(value, (datetime, date)) or _is_serial(value):
        return Deadline(parse_date(value))
    text = clean(value)
    key = fold(text)
    if not key:
        raise ParseError("thời hạn để trống")
    if any(w in key for w in ONGOING_WORDS):
        return Deadline(None, ongoing=True)
    if any(w in key for w in NO_DATE_WORDS):
        return Deadline(None)
    if _is_serial_text(text):
        return Deadline(excel_serial_to_date(float(text)))
    year_match = _YEAR.search(key)
    # Explicit day/month[/year] ("Trước 15/12/2024", "30/6", "chậm nhất ngày 15/12").
    day = parse_date_text(text, plan_year)
    if day is not None:
        return Deadline(day)
    year = int(year_match.group(1)) if year_match else plan_year
    quarters = [q for q in _QUARTER.findall(key)]
    if quarters:
        # "Quý I, II" -> the last one named is when the task must be finished.
        numbers = [int(q) if q.isdigit() else ROMAN_NUMERALS[q] for q in quarters]
        return Deadline(quarter_end(year, max(numbers)))
    m = _MONTH.search(key)
    if m and "thang dau" not in key and "thang cuoi" not in key:
        month = int(m.group(1))
        if not 1 <= month <= 12:
            raise ParseError(f"tháng {month} không tồn tại")
        return Deadline(month_end(int(m.group(2)) if m.group(2) else year, month))
    if "6 thang dau" in key or "nua dau" in key:
        return Deadline(date(year, 6, 30))
    if "9 thang" in key:
        return Deadline(date(year, 9, 30))
    if "6 thang cuoi" in key or "nua cuoi" in key or "cuoi nam" in key or "ca nam" in key:
        return Deadline(date(year, 12, 31))
    if year_match and re.fullmatch(r"(trong |truoc |ca )?(nam )?20\d\d", key):
        return Deadline(date(year, 12, 31))
    if key in ("nam", "trong nam", "ca nam"):
        return Deadline(date(plan_year, 12, 31))
    raise ParseError("không hiểu thời hạn")


DEADLINE_FORMS = (
    "«Quý II» hoặc «Quý II/2024», «Tháng 6/2024», «Trước 15/12/2024», «30/6/2024», «6 tháng đầu năm», "
    "«Năm 2024», «Thường xuyên», «Theo quy định»"
)


_LATE = re.compile(r"\b(qua han|tre han|tre hen|cham|tre)\b")


def parse_task_status(value: object) -> str | None:
    """Map a status cell to a canonical task status key (see schema.TASK_STATUSES); None when empty."""
    key = fold(value)
    if not key:
        return None
    late = _LATE.search(key) is not None
    if key.startswith("chua hoan thanh") or key.startswith("khong hoan thanh"):
        if "trong han" in key or "con han" in key:
            return "open_in_time"
        return "open_overdue" if late else "in_progress"
    if "hoan thanh" in key or key in ("xong", "da xong", "ht"):
        if late:
            return "done_late"
        if "dung han" in key or "truoc han" in key:
            return "done_on_time"
        if key.startswith("dang") or "dang hoan thanh" in key:
            return "in_progress"
        return "done"
    if key.startswith("dang"):
        return "in_progress"
    if key.startswith("chua") or "chua thuc hien" in key or "chua trien khai" in key:
        return "not_started"
    if late:
        return "open_overdue"
    raise ParseError("không nhận ra tình trạng nhiệm vụ")


TASK_STATUS_FORMS = (
    "«Đã hoàn thành», «Hoàn thành đúng hạn», «Hoàn thành quá hạn», «Đang thực hiện», «Chưa thực hiện»"
)


def parse_dossier_status(value: object) -> str:
    """Map a dossier status to its canonical key (see schema.DOSSIER_STATUSES)."""
    key = fold(value)
    if not key:
        raise ParseError("trạng thái để trống")
    if "rut" in key or "huy" in key or "tu choi" in key:
        return "withdrawn"
    if "bo sung" in key:
        return "supplementing"
    resolved = any(w in key for w in ("da giai quyet", "da xu ly", "da tra", "hoan thanh", "da co ket qua"))
    if resolved:
        if "truoc han" in key or re.search(r"\bsom\b", key):
            return "resolved_early"
        if _LATE.search(key):
            return "resolved_late"
        if "dung han" in key:
            return "resolved_on_time"
        raise ParseError("trạng thái đã giải quyết nhưng không rõ trước hạn, đúng hạn hay quá hạn")
    if "dang" in key or "chua" in key or "cho" in key:
        return "processing_overdue" if ("qua han" in key or "tre han" in key) else "processing_in_time"
    raise ParseError("không nhận ra trạng thái hồ sơ")


DOSSIER_STATUS_FORMS = (
    "«Đang xử lý còn hạn», «Đang xử lý quá hạn», «Đang bổ sung», «Đã giải quyết trước hạn», "
    "«Đã giải quyết đúng hạn», «Đã giải quyết quá hạn», «Rút không giải quyết»"
)


def parse_channel(value: object) -> str | None:
    key = fold(value)
    if not key:
        return None
    if "truc tuyen" in key or "online" in key or "dich vu cong" in key or "dvc" in key or "mang" in key:
        return "online"
    if "truc tiep" in key or "buu chinh" in key or "mot cua" in key:
        return "direct"
    raise ParseError("không nhận ra hình thức nộp")


def parse_bool(value: object) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    key = fold(value)
    if not key:
        return None
    if key in ("co", "x", "da", "da xin loi", "yes", "true", "dung", "roi", "1", "v"):
        return True
    if key in ("khong", "chua", "no", "false", "0", "sai"):
        return False
    raise ParseError("cần «Có» hoặc «Không»")


NOT_APPLICABLE_WORDS = ("khong ap dung", "kad", "n a", "na", "khong danh gia")


def parse_number(value: object) -> float | None:
    """A numeric cell, accepting '1,5' and '1.5' (not thousands separators: points are small)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ParseError("không phải số")
    if isinstance(value, (int, float)):
        return float(value)
    text = clean(value).replace(" ", "")
    if not text or text in ("-", "—"):
        return None
    if re.fullmatch(r"[-+]?\d+([.,]\d+)?", text):
        return float(text.replace(",", "."))
    raise ParseError("không phải số")


def is_not_applicable(value: object) -> bool:
    return fold(value) in NOT_APPLICABLE_WORDS
