"""Parsers for the free-text values found in Vietnamese spreadsheets: deadlines, statuses, numbers, dates."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from analysis.periods import month_end, quarter_end
from analysis.text import ROMAN_NUMERALS, clean, fold, roman_to_int

EXCEL_EPOCH = date(1899, 12, 30)


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


_BLANK_MARKS = re.compile(r"^[-–—.…/\s]*$")


def is_blank(value: object) -> bool:
    """An empty cell, or one holding only a dash or dots (how people write «nothing»).

    A cell of other symbols only ("???") is not blank: parsers must refuse it, not drop it.
    """
    return _BLANK_MARKS.match(clean(value)) is not None


def excel_serial_to_date(value: float) -> date:
    return EXCEL_EPOCH + timedelta(days=int(value))


def _is_serial(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 <= value <= 80000


# The year must follow the same separator as the month: "15/3 - 30/6/2024" is two dates, not 15/3/2030.
_DMY = re.compile(r"(?<!\d)(\d{1,2})\s*([/.\-])\s*(\d{1,2})(?:\s*\2\s*(\d{4}|\d{2}))?(?!\d)")
_ISO = re.compile(r"(?<!\d)(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")
# "ngày 15 tháng 12 năm 2024", matched on the folded text.
_LONG = re.compile(r"\bngay\s*(\d{1,2})\s*thang\s*(\d{1,2})(?:\s*nam\s*(\d{4}))?\b")
YEAR_PATTERN = re.compile(r"(?<!\d)(20\d\d)(?!\d)")  # a year of this century, alone
_PLAIN_TIMESTAMP = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_TIME = re.compile(r"(\d{1,2})\s*[:h.]\s*(\d{2})(?:\s*:\s*(\d{2}))?")


def _dmy_date(m: re.Match[str], default_year: int | None, text: str) -> date | None:
    day, month, year = int(m.group(1)), int(m.group(3)), m.group(4)
    if year is None:
        if default_year is None:
            return None
        return _safe_date(default_year, month, day, text)
    return _safe_date(int(year) + (2000 if len(year) == 2 else 0), month, day, text)


def parse_date_text(text: str, default_year: int | None = None) -> date | None:
    """'30/6/2024', '30-06-24', '2024-06-30', '30/6' (with default_year), 'ngày 30 tháng 6 năm 2024'
    -> date; None when the text holds no date form. Raises ParseError for a date that does not exist."""
    cleaned = clean(text)
    m = _ISO.search(cleaned)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(3)), int(m.group(4)), text)
    m = _DMY.search(cleaned)
    if m:
        return _dmy_date(m, default_year, text)
    m = _LONG.search(fold(cleaned))
    if m:
        year = int(m.group(3)) if m.group(3) else default_year
        return None if year is None else _safe_date(year, int(m.group(2)), int(m.group(1)), text)
    return None


def dates_in_text(text: str, default_year: int | None = None) -> list[date]:
    """Every date written in a text ('Từ 01/3 đến 30/6/2024' -> both), in the order written."""
    cleaned = clean(text)
    found: list[tuple[int, date]] = []
    iso_spans = []
    for m in _ISO.finditer(cleaned):
        found.append((m.start(), _safe_date(int(m.group(1)), int(m.group(3)), int(m.group(4)), text)))
        iso_spans.append(m.span())
    for m in _DMY.finditer(cleaned):
        if not any(a <= m.start() < b for a, b in iso_spans):
            d = _dmy_date(m, default_year, text)
            if d is not None:
                found.append((m.start(), d))
    if not found:
        for m in _LONG.finditer(fold(cleaned)):
            year = int(m.group(3)) if m.group(3) else default_year
            if year is not None:
                found.append((m.start(), _safe_date(year, int(m.group(2)), int(m.group(1)), text)))
    return [d for _, d in sorted(found, key=lambda p: p[0])]


# Dates of this product's world: a plan, a report or a dossier of year 0001 or 9999 is a typing slip or a
# damaged cell, and such dates would break date arithmetic downstream.
MIN_YEAR, MAX_YEAR = 1990, 2100


def _plausible(d: date) -> date:
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise ParseError(f"năm {d.year} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}")
    return d


def _safe_date(year: int, month: int, day: int, text: str) -> date:
    try:
        found = date(year, month, day)
    except ValueError:
        raise ParseError(f"ngày không tồn tại ({day}/{month}/{year})") from None
    return _plausible(found)


def parse_date(value: object, default_year: int | None = None) -> date | None:
    """A cell as a date: real dates, Excel serials, or Vietnamese day/month/year text. None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return _plausible(value.date())
    if isinstance(value, date):
        return _plausible(value)
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


def _serial_to_datetime(value: float) -> datetime:
    """Excel serial with a day fraction -> datetime, rounded to the second (14:30 is 0.604166…)."""
    return datetime(1899, 12, 30) + timedelta(seconds=round(value * 86400))


def parse_timestamp(value: object) -> datetime | None:
    """A cell as a timestamp: real datetimes, Excel serials (with fraction), 'dd/mm/yyyy hh:mm[:ss]'."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        _plausible(value.date())
        return value
    if isinstance(value, date):
        _plausible(value)
        return datetime(value.year, value.month, value.day)
    if _is_serial(value):
        return _serial_to_datetime(float(value))
    if isinstance(value, str) and (m := _PLAIN_TIMESTAMP.fullmatch(value)):
        # The form portals export ('27/05/2024 10:03'), a million times per file: read it directly;
        # anything unusual (an impossible date or hour) takes the general path and its message.
        day, month, year, hour, minute, second = (int(g) if g else 0 for g in m.groups())
        if hour <= 23 and minute <= 59 and second <= 59 and MIN_YEAR <= year <= MAX_YEAR:
            try:
                return datetime(year, month, day, hour, minute, second)
            except ValueError:
                pass
    text = clean(value)
    if not text:
        return None
    if _is_serial_text(text):
        return _serial_to_datetime(float(text))
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
    "theo quy dinh",
    "theo yeu cau",
    "theo chi dao",
    "khi co yeu cau",
    "theo ke hoach",
    "theo tien do",
    "khi co van ban",
    "theo huong dan",
)


_CONNECTORS = {"va", "den", "toi", "hoac", "tu", "nam", "cua"}
_MONTH_YY = re.compile(r"^(?:\w+ )?thang (\d{1,2}) (\d{2})$")  # "Tháng 6/24"


def _period_numbers(
    tokens: list[str], word: str, numeral: Callable[[str], int | None]
) -> list[tuple[int, int | None]]:
    """(number, year or None) for every period named after `word`: 'quy i ii 2024' -> [(1, 2024), (2, 2024)].

    Several periods can follow one word ("Quý I, II", "Tháng 6 và tháng 12/2024"); a year closes the group.
    """
    out: list[tuple[int, int | None]] = []
    i = 0
    while i < len(tokens):
        if tokens[i] != word:
            i += 1
            continue
        j, numbers, year = i + 1, [], None
        while j < len(tokens):
            t = tokens[j]
            n = numeral(t)
            if n is not None:
                numbers.append(n)
            elif re.fullmatch(r"20\d\d", t):
                year = int(t)
                j += 1
                break
            elif t not in _CONNECTORS:
                break
            j += 1
        out.extend((n, year) for n in numbers)
        i = j
    return out


def _quarter_numeral(token: str) -> int | None:
    if token in ("i", "ii", "iii", "iv"):
        return roman_to_int(token)
    return int(token) if token in ("1", "2", "3", "4") else None


def _month_numeral(token: str) -> int | None:
    if not token.isdigit() or len(token) > 2:
        return None
    month = int(token)
    if not 1 <= month <= 12:
        raise ParseError(f"tháng {month} không tồn tại")
    return month


def _folded(value: object, unknown: str, text: object = None) -> str | None:
    """The folded text of a cell (or of `text`, the cell as shown), None when the cell is blank.

    Raises ParseError(unknown) for symbols only ("???"), which fold to nothing but are not blank.
    """
    key = fold(value if text is None else text)
    if not key and not is_blank(value):
        raise ParseError(unknown)
    return key or None


def _cell_string(value: object) -> str:
    """Cell text as shown: 2024.0 -> '2024'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(value)


def parse_deadline(value: object, plan_year: int) -> Deadline:
    """Parse a Vietnamese deadline; periods mean their last day, forms without a year take plan_year.

    When a text names several dates or periods ("Từ tháng 3 đến tháng 6/2024", "Quý I, II"), the last
    one is when the task must be finished.
    """
    if isinstance(value, (datetime, date)) or _is_serial(value):
        return Deadline(parse_date(value))
    text = _cell_string(value)
    key = fold(text)
    if not key:
        raise ParseError("thời hạn để trống" if is_blank(value) else "không hiểu thời hạn")
    if any(w in key for w in ONGOING_WORDS):
        return Deadline(None, ongoing=True)
    if any(w in key for w in NO_DATE_WORDS):
        return Deadline(None)
    if _is_serial_text(text):
        return Deadline(excel_serial_to_date(float(text)))
    m = _MONTH_YY.match(key)
    if m and "/" in text and (month := _month_numeral(m.group(1))) is not None:
        return Deadline(month_end(2000 + int(m.group(2)), month))
    year_match = YEAR_PATTERN.search(key)
    year = int(year_match.group(1)) if year_match else plan_year
    # Explicit day/month[/year] ("Trước 15/12/2024", "30/6", "chậm nhất ngày 15/12").
    days = dates_in_text(text, year)
    if days:
        return Deadline(max(days))
    tokens = []
    for t in key.split():  # "Q2/2024" -> quy 2 2024
        tokens += ["quy", t[1]] if re.fullmatch(r"q[1-4]", t) else [t]
    ends = [quarter_end(y or year, q) for q, y in _period_numbers(tokens, "quy", _quarter_numeral)]
    ends += [month_end(y or year, m) for m, y in _period_numbers(tokens, "thang", _month_numeral)]
    if ends:
        return Deadline(max(ends))
    if "6 thang dau" in key or "nua dau" in key:
        return Deadline(date(year, 6, 30))
    if "9 thang" in key:
        return Deadline(date(year, 9, 30))
    if "6 thang cuoi" in key or "nua cuoi" in key or "cuoi nam" in key or "ca nam" in key:
        return Deadline(date(year, 12, 31))
    if year_match and re.fullmatch(r"(trong |truoc |ca |het )?(nam )?20\d\d", key):
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
    if (key := _folded(value, "không nhận ra tình trạng nhiệm vụ")) is None:
        return None
    late = _LATE.search(key) is not None
    if "chua den han" in key:
        return "open_in_time"
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


RESOLVED_UNQUALIFIED = "resolved"  # «Đã giải quyết» alone: ingestion decides from the dates


def parse_dossier_status(value: object, *, unqualified: bool = False) -> str:
    """Map a dossier status to its canonical key (see schema.DOSSIER_STATUSES).

    «Đã giải quyết» / «Đã trả kết quả» without saying early, on time or late raises, unless
    `unqualified` is set: then RESOLVED_UNQUALIFIED is returned for the caller to settle from the dates.
    """
    key = fold(value)
    if not key:
        raise ParseError("trạng thái để trống" if is_blank(value) else "không nhận ra trạng thái hồ sơ")
    if re.search(r"\b(rut|huy|tu choi)\b", key):  # whole words: "huyện" is not "hủy"
        return "withdrawn"
    if "bo sung" in key:
        return "supplementing"
    if key.startswith(("dang", "chua", "cho")):
        return "processing_overdue" if ("qua han" in key or "tre han" in key) else "processing_in_time"
    resolved = any(w in key for w in ("da giai quyet", "da xu ly", "da tra", "hoan thanh", "da co ket qua"))
    if resolved:
        if "truoc han" in key or re.search(r"\bsom\b", key):
            return "resolved_early"
        if _LATE.search(key):
            return "resolved_late"
        if "dung han" in key:
            return "resolved_on_time"
        if unqualified:
            return RESOLVED_UNQUALIFIED
        raise ParseError("trạng thái đã giải quyết nhưng không rõ trước hạn, đúng hạn hay quá hạn")
    if "dang" in key or "chua" in key or "cho" in key:
        return "processing_overdue" if ("qua han" in key or "tre han" in key) else "processing_in_time"
    raise ParseError("không nhận ra trạng thái hồ sơ")


DOSSIER_STATUS_FORMS = (
    "«Đang xử lý còn hạn», «Đang xử lý quá hạn», «Đang bổ sung», «Đã giải quyết trước hạn», "
    "«Đã giải quyết đúng hạn», «Đã giải quyết quá hạn», «Rút không giải quyết»"
)


def parse_channel(value: object) -> str | None:
    if (key := _folded(value, "không nhận ra hình thức nộp")) is None:
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
    if (key := _folded(value, "cần «Có» hoặc «Không»")) is None:
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
        if math.isinf(value):  # 1e308 * 2 in a formula; NaN is an empty cell
            raise ParseError("không phải số hữu hạn")
        return float(value)
    text = clean(value).replace(" ", "")
    if not text or text in ("-", "—"):
        return None
    if re.fullmatch(r"[-+]?\d{1,15}([.,]\d{1,15})?", text):
        return float(text.replace(",", "."))
    raise ParseError("không phải số")


def is_not_applicable(value: object) -> bool:
    return fold(value) in NOT_APPLICABLE_WORDS


_AREA_PREFIX = r"^(?:(?:linh vuc|nhom nhiem vu|nhom|phan|lv|muc)\s+)?"
_AREA_NUMERAL = re.compile(_AREA_PREFIX + r"([ivx]+)\b")
_AREA_DIGITS = re.compile(_AREA_PREFIX + r"(\d{1,2})$")
_ABBREVIATIONS = {"cchc": "cai cach hanh chinh", "tthc": "thu tuc hanh chinh", "hcnn": "hanh chinh nha nuoc"}


def parse_area(value: object) -> str | None:
    """The area a task belongs to, from a column of its own: «III», «Lĩnh vực III», «III. Cải cách TTHC»,
    «3», or the area's name («Cải cách thủ tục hành chính»). Returns the Roman numeral; None when empty."""
    from analysis.schema import AREA_NAMES

    if (key := _folded(value, "không nhận ra lĩnh vực", _cell_string(value))) is None:
        return None
    m = _AREA_NUMERAL.match(key)
    if m and roman_to_int(m.group(1)):
        return m.group(1).upper()
    m = _AREA_DIGITS.match(key)
    if m and 1 <= int(m.group(1)) <= len(ROMAN_NUMERALS):
        return ROMAN_NUMERALS[int(m.group(1)) - 1]
    words = " ".join(_ABBREVIATIONS.get(t, t) for t in key.split())
    names = {numeral: fold(name) for numeral, name in AREA_NAMES.items()}
    exact = [n for n, name in names.items() if name == words]
    within = [n for n, name in names.items() if len(words) >= 10 and words in name]
    for found in (exact, within):
        if len(found) == 1:
            return found[0]
    raise ParseError("không nhận ra lĩnh vực")


AREA_FORMS = "số La Mã «I» … «VIII», «Lĩnh vực III», hoặc tên lĩnh vực như «Cải cách thủ tục hành chính»"
