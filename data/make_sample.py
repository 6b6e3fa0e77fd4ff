"""Write the bundled illustrative spreadsheets into data/sample/ (seeded: the same cells on every run).

    python data/make_sample.py            # writes data/sample/
    python data/make_sample.py OUT_DIR    # writes elsewhere

The files imitate what a district Home Affairs office receives: title rows, merged and two-level
headers, Roman-numeral section rows, totals, blank rows and signature footers, in .xlsx, .xls, .ods
and .csv. Every number in them is invented ("Số liệu minh họa, không phải số liệu chính thức").
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import random
import re
import sys
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
import xlwt

HERE = Path(__file__).resolve().parent
SAMPLE_DIR = HERE / "sample"
SEED = 2024
YEAR = 2024
ILLUSTRATIVE = "(Số liệu minh họa, không phải số liệu chính thức)"
DISTRICT_AUTHORITY = "ỦY BAN NHÂN DÂN HUYỆN BA TƠ"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
# Fixed document timestamp: xlsxwriter otherwise stamps the current time into docProps.
CREATED = dt.datetime(2024, 12, 31, 8, 0, 0)
QUARTER_END = {
    1: dt.date(2024, 3, 31),
    2: dt.date(2024, 6, 30),
    3: dt.date(2024, 9, 30),
    4: dt.date(2024, 12, 31),
}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
SNAPSHOT = dt.datetime(2024, 12, 31, 17, 0)  # the dossier export is taken at the close of 2024

FILE_NAMES = (
    "don_vi.xlsx",
    "bo_tieu_chi_2024.xlsx",
    "phu_luc_nhiem_vu_2024.xls",
    "tien_do_nhiem_vu_2024_Q1.xlsx",
    "tien_do_nhiem_vu_2024_Q2.ods",
    "tien_do_nhiem_vu_2024_Q3.csv",
    "tien_do_nhiem_vu_2024_Q4.xlsx",
    *(f"tu_danh_gia_huyen_2024_Q{q}.xlsx" for q in (1, 2, 3, 4)),
    *(f"tu_danh_gia_xa_2024_Q{q}.xlsx" for q in (1, 2, 3, 4)),
    "ho_so_tthc_2024.xlsx",
    *("bo_tieu_chi_2025.xlsx", "tien_do_nhiem_vu_2025_Q4.xlsx", "tu_danh_gia_xa_2025_Q3.xlsx"),
    *("tu_danh_gia_xa_2025_Q4.xlsx", "ket_qua_cong_bo_chi_so_cchc.xlsx"),
)

# Units -------------------------------------------------------------------------------------------

PROVINCE = ("51", "Tỉnh Quảng Ngãi")
DISTRICT = ("535", "Huyện Ba Tơ")
OFFICES = (
    ("VP", "Văn phòng HĐND và UBND"),
    ("PNV", "Phòng Nội vụ"),
    ("PTP", "Phòng Tư pháp"),
    ("PTCKH", "Phòng Tài chính – Kế hoạch"),
    ("PTNMT", "Phòng Tài nguyên và Môi trường"),
    ("PLDTBXH", "Phòng Lao động – Thương binh và Xã hội"),
    ("PVHTT", "Phòng Văn hóa và Thông tin"),
    ("PGDDT", "Phòng Giáo dục và Đào tạo"),
    ("PYT", "Phòng Y tế"),
    ("TTRA", "Thanh tra huyện"),
    ("PNNPTNT", "Phòng Nông nghiệp và PTNT"),
    ("PKTHT", "Phòng Kinh tế và Hạ tầng"),
    ("PDT", "Phòng Dân tộc"),
)
OFFICE = dict(OFFICES)
VP, NV, TP, TCKH, TNMT, LD, VHTT, GD, YT, TTRA, NN, KTHT, DT = (name for _, name in OFFICES)

NEW_COMMUNES = (
    ("BT-2025-01", "Xã Ba Vì"),
    ("BT-2025-02", "Xã Ba Tô"),
    ("BT-2025-03", "Xã Ba Dinh"),
    ("BT-2025-04", "Xã Ba Tơ"),
    ("BT-2025-05", "Xã Ba Vinh"),
    ("BT-2025-06", "Xã Ba Động"),
    ("BT-2025-07", "Xã Đặng Thùy Trâm"),
)


@dataclass(frozen=True)
class Commune:
    code: str  # GSO code
    name: str  # "Xã Ba Điền", "Thị trấn Ba Tơ"
    successor: str | None  # code of the commune it joins on 1/7/2025 (None: unchanged)
    quality: float  # how well the commune does in the sample (some are clearly behind)
    volume: int  # dossiers received in 2024

    @property
    def is_town(self) -> bool:
        return self.name.startswith("Thị trấn")

    @property
    def short(self) -> str:
        return self.name.split(" ", 1)[1] if not self.is_town else self.name.split(" ", 2)[2]

    @property
    def sheet(self) -> str:
        return self.name if self.is_town else self.short

    @property
    def authority(self) -> str:
        return f"UBND thị trấn {self.short}" if self.is_town else f"UBND xã {self.short}"


COMMUNES = (
    Commune("21484", "Thị trấn Ba Tơ", "BT-2025-04", 0.96, 2300),
    Commune("21487", "Xã Ba Điền", "BT-2025-05", 0.93, 1250),
    Commune("21490", "Xã Ba Vinh", "BT-2025-05", 0.88, 1300),
    Commune("21493", "Xã Ba Thành", "BT-2025-06", 0.86, 1150),
    Commune("21496", "Xã Ba Động", "BT-2025-06", 0.91, 1400),
    Commune("21499", "Xã Ba Dinh", "BT-2025-03", 0.87, 1350),
    Commune("21500", "Xã Ba Giang", "BT-2025-03", 0.84, 1000),
    Commune("21502", "Xã Ba Liên", "BT-2025-06", 0.85, 1050),
    Commune("21505", "Xã Ba Ngạc", "BT-2025-01", 0.80, 950),
    Commune("21508", "Xã Ba Khâm", "BT-2025-07", 0.68, 900),
    Commune("21511", "Xã Ba Cung", "BT-2025-04", 0.86, 1050),
    Commune("21517", "Xã Ba Tiêu", "BT-2025-01", 0.82, 1000),
    Commune("21520", "Xã Ba Trang", "BT-2025-07", 0.64, 1000),
    Commune("21523", "Xã Ba Tô", "BT-2025-02", 0.89, 1300),
    Commune("21526", "Xã Ba Bích", "BT-2025-04", 0.83, 1050),
    Commune("21529", "Xã Ba Vì", "BT-2025-01", 0.90, 1400),
    Commune("21532", "Xã Ba Lế", "BT-2025-02", 0.72, 900),
    Commune("21535", "Xã Ba Nam", "BT-2025-02", 0.81, 950),
    Commune("21538", "Xã Ba Xa", None, 0.60, 850),
)

# Framework (illustrative district set of PAR-INDEX §2) ----------------------------------------------

AREAS = (
    # code, name, maximum, assessed, survey
    ("I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", 10.0, 8.0, 2.0),
    ("II", "CẢI CÁCH THỂ CHẾ", 8.0, 6.0, 2.0),
    ("III", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", 17.0, 13.0, 4.0),
    ("IV", "CẢI CÁCH TỔ CHỨC BỘ MÁY HÀNH CHÍNH NHÀ NƯỚC", 8.0, 6.0, 2.0),
    ("V", "CẢI CÁCH CHẾ ĐỘ CÔNG VỤ", 10.0, 8.0, 2.0),
    ("VI", "CẢI CÁCH TÀI CHÍNH CÔNG", 7.0, 6.0, 1.0),
    ("VII", "XÂY DỰNG VÀ PHÁT TRIỂN CHÍNH QUYỀN ĐIỆN TỬ, CHÍNH QUYỀN SỐ", 15.0, 13.0, 2.0),
    ("VIII", "TÁC ĐỘNG CỦA CCHC ĐẾN NGƯỜI DÂN, TỔ CHỨC VÀ PHÁT TRIỂN KINH TẾ - XÃ HỘI", 25.0, 10.0, 15.0),
)

M_PLAN, M_TASKS, M_LATE = "Hoàn thành kế hoạch", "Hoàn thành nhiệm vụ tiêu chí", "Báo cáo trễ"
M_ONTIME_DISTRICT, M_ONTIME_COMMUNE = "Hồ sơ đúng hạn cấp huyện", "Hồ sơ đúng hạn cấp xã"
M_ONLINE = "Hồ sơ trực tuyến"
SURVEY, ASSESSED = "Điều tra XHH", "Tự đánh giá"
BANDS, YESNO, RATIO, DEDUCT, MANUAL = "Bậc", "Có/Không", "Tỷ lệ", "Trừ điểm", "Nhập tay"


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    max_points: float
    rule: str | None = None  # None for a parent criterion (its points are the sum of its subs)
    metric: str | None = None
    thresholds: str | None = None
    responsible: str | None = None
    survey: bool = False

    @property
    def area(self) -> str:
        return ROMAN[int(self.code.split(".")[0]) - 1]


# The bands (or the deduction per late report) of the criteria scored from a metric.
THRESHOLDS = {
    "1.1.2": "100%: 2; 80%: 1; 0%: 0",
    "1.2": "0.25",
    "1.3.2": "100%: 1; 80%: 0.5; 0%: 0",
    "1.4": "100%: 1.5; 80%: 0.75; 0%: 0",
    "2.4": "100%: 1; 80%: 0.5; 0%: 0",
    "3.3": "100%: 2; 80%: 1; 0%: 0",
    "3.4": "100%: 3; 98%: 2; 95%: 1; 0%: 0; apology: 0.5",
    "3.5": "100%: 2; 98%: 1.33; 95%: 0.67; 0%: 0; apology: 0.5",
    "4.3": "100%: 1.5; 80%: 0.75; 0%: 0",
    "5.4": "100%: 1; 80%: 0.5; 0%: 0",
    "6.4": "100%: 1.5; 80%: 0.75; 0%: 0",
    "7.1.2": "100%: 1.5; 80%: 0.75; 0%: 0",
    "7.3": "50%: 3; 30%: 1.5; 0%: 0",
}

CRITERIA_ROWS = (
    # code, name, maximum points, rule (None: a parent, the sum of its subs), metric, responsible unit, survey
    ("1.1", "Kế hoạch cải cách hành chính năm", 2.5, None, None, NV, False),
    ("1.1.1", "Ban hành kế hoạch CCHC năm đúng thời hạn", 0.5, YESNO, M_TASKS, NV, False),
    ("1.1.2", "Mức độ hoàn thành kế hoạch CCHC năm", 2.0, BANDS, M_PLAN, NV, False),
    ("1.2", "Thực hiện chế độ báo cáo CCHC định kỳ đầy đủ, đúng hạn", 1.0, DEDUCT, M_LATE, NV, False),
    ("1.3", "Công tác kiểm tra cải cách hành chính", 1.5, None, None, NV, False),
    ("1.3.1", "Ban hành kế hoạch kiểm tra CCHC năm", 0.5, YESNO, M_TASKS, NV, False),
    ("1.3.2", "Thực hiện kế hoạch kiểm tra và xử lý sau kiểm tra", 1.0, BANDS, M_TASKS, NV, False),
    ("1.4", "Công tác thông tin, tuyên truyền về CCHC", 1.5, BANDS, M_TASKS, VHTT, False),
    ("1.5", "Thực hiện nhiệm vụ UBND tỉnh giao về CCHC đúng hạn", 1.5, MANUAL, None, VP, False),
    ("1.6", "Điều tra xã hội học: công tác chỉ đạo, điều hành CCHC", 2.0, MANUAL, None, NV, True),
    ("2.1", "Xây dựng, ban hành văn bản quy phạm pháp luật", 2.0, None, None, TP, False),
    ("2.1.1", "Ban hành kế hoạch xây dựng văn bản QPPL năm", 0.5, YESNO, M_TASKS, TP, False),
    ("2.1.2", "Thực hiện đúng quy trình xây dựng, ban hành văn bản QPPL", 1.5, MANUAL, None, TP, False),
    ("2.2", "Rà soát, hệ thống hóa văn bản QPPL", 2.0, RATIO, M_TASKS, TP, False),
    ("2.3", "Kiểm tra, xử lý văn bản QPPL", 1.0, MANUAL, None, TP, False),
    ("2.4", "Theo dõi thi hành pháp luật; phổ biến, giáo dục pháp luật", 1.0, BANDS, M_TASKS, TP, False),
    ("2.5", "Điều tra xã hội học: cải cách thể chế", 2.0, MANUAL, None, TP, True),
    ("3.1", "Rà soát, đánh giá, đơn giản hóa thủ tục hành chính", 1.5, None, None, VP, False),
    ("3.1.1", "Ban hành kế hoạch rà soát, đánh giá TTHC năm", 0.5, YESNO, M_TASKS, VP, False),
    ("3.1.2", "Thực hiện rà soát, đơn giản hóa TTHC theo kế hoạch", 1.0, MANUAL, None, VP, False),
    ("3.2", "Công khai thủ tục hành chính đầy đủ, đúng quy định", 2.0, MANUAL, None, VP, False),
    ("3.3", "Thực hiện cơ chế một cửa, một cửa liên thông", 2.0, BANDS, M_TASKS, VP, False),
    ("3.4", "Tỷ lệ hồ sơ TTHC cấp huyện giải quyết đúng hạn", 3.0, BANDS, M_ONTIME_DISTRICT, VP, False),
    ("3.5", "Tỷ lệ hồ sơ TTHC cấp xã giải quyết đúng hạn", 2.0, BANDS, M_ONTIME_COMMUNE, VP, False),
    ("3.6", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", 1.5, MANUAL, None, VP, False),
    ("3.7", "Tiếp nhận, xử lý phản ánh, kiến nghị về thủ tục hành chính", 1.0, MANUAL, None, VP, False),
    ("3.8", "Điều tra xã hội học: cải cách thủ tục hành chính", 4.0, MANUAL, None, VP, True),
    ("4.1", "Rà soát chức năng, nhiệm vụ, cơ cấu tổ chức của cơ quan chuyên môn", 1.5, MANUAL, None, NV, False),
    ("4.2", "Thực hiện quy định về tổ chức bộ máy", 2.0, None, None, NV, False),
    ("4.2.1", "Thực hiện quy định về số lượng cấp phó", 1.0, MANUAL, None, NV, False),
    ("4.2.2", "Sắp xếp đơn vị hành chính cấp xã, thôn, tổ dân phố theo quy định", 1.0, YESNO, None, NV, False),
    ("4.3", "Quản lý biên chế, thực hiện tinh giản biên chế", 1.5, BANDS, M_TASKS, NV, False),
    ("4.4", "Thực hiện phân cấp, ủy quyền", 1.0, MANUAL, None, VP, False),
    ("4.5", "Điều tra xã hội học: cải cách tổ chức bộ máy", 2.0, MANUAL, None, NV, True),
    ("5.1", "Thực hiện vị trí việc làm, cơ cấu ngạch công chức", 1.5, MANUAL, None, NV, False),
    ("5.2", "Tuyển dụng, sử dụng, quản lý cán bộ, công chức, viên chức", 2.0, MANUAL, None, NV, False),
    ("5.3", "Đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức đúng quy định", 1.5, YESNO, None, NV, False),
    ("5.4", "Thực hiện kế hoạch đào tạo, bồi dưỡng cán bộ, công chức, viên chức", 1.0, BANDS, M_TASKS, NV, False),
    ("5.5", "Chấp hành kỷ luật, kỷ cương hành chính", 2.0, None, None, NV, False),
    ("5.5.1", "Không có cán bộ, công chức bị kỷ luật do vi phạm trong thi hành công vụ", 1.0, YESNO, None, TTRA, False),
    ("5.5.2", "Thực hiện kiểm tra công vụ theo kế hoạch", 1.0, MANUAL, None, NV, False),
    ("5.6", "Điều tra xã hội học: cải cách chế độ công vụ", 2.0, MANUAL, None, NV, True),
    ("6.1", "Tỷ lệ giải ngân kế hoạch vốn đầu tư công", 2.0, MANUAL, None, TCKH, False),
    ("6.2", "Thực hiện cơ chế tự chủ tài chính của đơn vị sự nghiệp công lập", 1.5, MANUAL, None, TCKH, False),
    ("6.3", "Quản lý, sử dụng tài sản công đúng quy định", 1.0, YESNO, None, TCKH, False),
    ("6.4", "Công khai ngân sách, tài chính theo quy định", 1.5, BANDS, M_TASKS, TCKH, False),
    ("6.5", "Điều tra xã hội học: cải cách tài chính công", 1.0, MANUAL, None, TCKH, True),
    ("7.1", "Kế hoạch và triển khai chuyển đổi số", 2.0, None, None, VHTT, False),
    ("7.1.1", "Ban hành kế hoạch chuyển đổi số năm", 0.5, YESNO, M_TASKS, VHTT, False),
    ("7.1.2", "Mức độ hoàn thành nhiệm vụ chuyển đổi số", 1.5, BANDS, M_TASKS, VHTT, False),
    ("7.2", "Sử dụng phần mềm quản lý văn bản, chữ ký số", 2.0, MANUAL, None, VP, False),
    ("7.3", "Tỷ lệ hồ sơ TTHC tiếp nhận trực tuyến", 3.0, BANDS, M_ONLINE, VP, False),
    ("7.4", "Cung cấp thông tin trên Cổng thông tin điện tử huyện", 2.0, MANUAL, None, VHTT, False),
    ("7.5", "Thanh toán trực tuyến phí, lệ phí thủ tục hành chính", 2.0, MANUAL, None, TCKH, False),
    ("7.6", "Triển khai Đề án 06 về dữ liệu dân cư, định danh điện tử", 2.0, MANUAL, None, VP, False),
    ("7.7", "Điều tra xã hội học: chính quyền điện tử, chính quyền số", 2.0, MANUAL, None, VHTT, True),
    ("8.1", "Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)", 3.0, MANUAL, None, VP, False),
    ("8.2", "Thực hiện chỉ tiêu thu ngân sách nhà nước trên địa bàn", 2.0, MANUAL, None, TCKH, False),
    ("8.3", "Thực hiện chỉ tiêu giảm nghèo", 3.0, MANUAL, None, LD, False),
    ("8.4", "Thu hút đầu tư, phát triển doanh nghiệp, hộ kinh doanh", 2.0, MANUAL, None, KTHT, False),
    ("8.5", "Điều tra xã hội học: sự hài lòng của người dân, tổ chức", 15.0, MANUAL, None, NV, True),
)  # fmt: skip
CRITERIA = tuple(
    Criterion(code, name, points, rule, metric, THRESHOLDS.get(code), unit, survey)
    for code, name, points, rule, metric, unit, survey in CRITERIA_ROWS
)
CRITERION = {c.code: c for c in CRITERIA}
LEAVES = tuple(c for c in CRITERIA if c.rule is not None)

# Tasks of the 2024 plan (93) ---------------------------------------------------------------------------

ALL_OFFICES = "Các cơ quan, đơn vị thuộc UBND huyện"
ALL_COMMUNES = "UBND các xã, thị trấn"


@dataclass(frozen=True)
class PlanTask:
    area: str
    title: str
    lead: str
    co: str | None
    deadline: str | dt.date  # free text as written in the plan, or a real date cell
    product: str
    criterion: str | None = None


# The plan's abbreviations of its units (the offices in their order, then the two groups).
PLAN_UNITS = dict(
    zip("VP NV TP TCKH TNMT LD VHTT GD YT TTRA NN KTHT DT".split(), OFFICE.values(), strict=True)
)
PLAN_UNITS |= {"ALL_OFFICES": ALL_OFFICES, "ALL_COMMUNES": ALL_COMMUNES}


def _plan_units(text: str) -> str | None:
    """«NV», «TTRA; VP», «Công an huyện» → the units spelled out (None when empty); an abbreviation must be known."""
    parts = [PLAN_UNITS[part] if part.isupper() else part for part in text.split("; ") if part]
    return "; ".join(parts) or None


def _plan_task(line: str) -> PlanTask:
    """One line of PLAN_TEXT as a task."""
    area, title, lead, co, deadline, product, criterion = (field.strip() for field in line.split("|"))
    when = dt.date.fromisoformat(deadline) if re.fullmatch(r"\d{4}-\d\d-\d\d", deadline) else deadline
    return PlanTask(area, title, _plan_units(lead) or "", _plan_units(co), when, product, criterion or None)


# The 2024 plan, one task a line: area | title | lead unit | co-operating units | deadline (an ISO date is a
# real date cell, anything else free text as written) | product | criterion. Units by their abbreviation
# (PLAN_UNITS), several joined by «; »; any other unit name as written.
PLAN_TEXT = """
# I. Công tác chỉ đạo, điều hành (1-14)
I | Ban hành Kế hoạch kiểm tra công tác cải cách hành chính năm 2024 | NV |  | Quý I | Kế hoạch | 1.3.1
I | Ban hành Kế hoạch thông tin, tuyên truyền cải cách hành chính năm 2024 | NV | VHTT | Tháng 1/2024 | Kế hoạch | 1.4
I | Báo cáo kết quả thực hiện công tác cải cách hành chính quý I năm 2024 | NV | ALL_OFFICES | Trước 15/3/2024 | Báo cáo | 1.2
I | Báo cáo kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2024 | NV | ALL_OFFICES | Trước 15/6/2024 | Báo cáo | 1.2
I | Báo cáo kết quả thực hiện công tác cải cách hành chính quý III năm 2024 | NV | ALL_OFFICES | Trước 15/9/2024 | Báo cáo | 1.2
I | Báo cáo kết quả thực hiện công tác cải cách hành chính năm 2024 | NV | ALL_OFFICES | Trước 15/12/2024 | Báo cáo | 1.2
I | Kiểm tra công tác cải cách hành chính tại các cơ quan, đơn vị và UBND các xã, thị trấn | NV | TTRA; VP | Quý III | Thông báo kết luận kiểm tra | 1.3.2
I | Tổ chức Hội nghị đánh giá công tác CCHC quý I và triển khai nhiệm vụ quý II năm 2024 | VP | NV | Tháng 4/2024 | Thông báo kết luận |
I | Tuyên truyền cải cách hành chính trên Cổng thông tin điện tử và hệ thống truyền thanh cơ sở | VHTT | ALL_COMMUNES | Thường xuyên | Tin, bài tuyên truyền | 1.4
I | Tổ chức Hội thi tìm hiểu về cải cách hành chính năm 2024 | NV | VHTT; Huyện đoàn | Quý III | Hội thi | 1.4
I | Xây dựng, ban hành Kế hoạch cải cách hành chính năm 2025 của huyện | NV | ALL_OFFICES | Trước 15/12/2024 | Kế hoạch |
I | Hướng dẫn các cơ quan, đơn vị, UBND các xã, thị trấn ban hành kế hoạch CCHC năm 2024 | NV |  | Quý I | Văn bản hướng dẫn | 1.1.1
I | Tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2024 của huyện | NV | ALL_OFFICES | Theo yêu cầu | Báo cáo tự đánh giá |
I | Khắc phục hạn chế, tồn tại qua kết quả Chỉ số cải cách hành chính năm 2023 | NV | ALL_OFFICES | Quý I | Báo cáo kết quả khắc phục |
# II. Cải cách thể chế (15-22)
II | Ban hành Kế hoạch xây dựng văn bản quy phạm pháp luật năm 2024 của UBND huyện | TP |  | Quý I | Kế hoạch | 2.1.1
II | Rà soát, hệ thống hóa văn bản quy phạm pháp luật do HĐND, UBND huyện ban hành | TP | ALL_OFFICES | Năm 2024 | Báo cáo kết quả rà soát | 2.2
II | Công bố kết quả hệ thống hóa văn bản quy phạm pháp luật kỳ 2019-2023 | TP |  | Quý I/2024 | Quyết định công bố | 2.2
II | Kiểm tra, xử lý văn bản quy phạm pháp luật do HĐND, UBND cấp xã ban hành | TP | ALL_COMMUNES | Quý III | Báo cáo kết quả kiểm tra |
II | Ban hành Kế hoạch theo dõi tình hình thi hành pháp luật năm 2024 | TP |  | Tháng 2/2024 | Kế hoạch | 2.4
II | Triển khai Kế hoạch phổ biến, giáo dục pháp luật năm 2024 | TP | ALL_COMMUNES | Thường xuyên | Hội nghị, tài liệu phổ biến | 2.4
II | Đánh giá, công nhận xã, thị trấn đạt chuẩn tiếp cận pháp luật năm 2024 | TP | ALL_COMMUNES | Quý IV | Quyết định công nhận |
II | Rà soát văn bản về cải cách hành chính của địa phương, đề xuất sửa đổi, bổ sung | ALL_COMMUNES | TP | 6 tháng đầu năm | Báo cáo rà soát |
# III. Cải cách thủ tục hành chính (23-40)
III | Ban hành Kế hoạch rà soát, đánh giá thủ tục hành chính năm 2024 | VP |  | Quý I | Kế hoạch | 3.1.1
III | Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực đất đai, xây dựng | TNMT | KTHT | Quý III/2024 | Báo cáo, phương án đơn giản hóa |
III | Công khai đầy đủ thủ tục hành chính tại Bộ phận Một cửa và trên Cổng thông tin điện tử | VP | ALL_COMMUNES | Thường xuyên | Danh mục TTHC được công khai |
III | Kiện toàn Bộ phận Tiếp nhận và Trả kết quả cấp huyện, cấp xã | VP | NV; ALL_COMMUNES | Quý I | Quyết định kiện toàn | 3.3
III | Niêm yết công khai số điện thoại đường dây nóng tiếp nhận phản ánh, kiến nghị | VP | ALL_COMMUNES | Trước 15/3/2024 | Niêm yết tại trụ sở |
III | Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính | VP | ALL_COMMUNES | Thường xuyên | Hồ sơ được số hóa |
III | Thực hiện quy trình nội bộ giải quyết thủ tục hành chính lĩnh vực hộ tịch, chứng thực | TP | ALL_COMMUNES | Theo quy định | Hồ sơ giải quyết đúng quy trình |
III | Rà soát quy trình nội bộ trên Hệ thống thông tin giải quyết TTHC của tỉnh | VP | ALL_OFFICES | Trước 15/6/2024 | Quyết định phê duyệt quy trình | 3.3
III | Theo dõi, đôn đốc giải quyết hồ sơ trễ hạn; thực hiện phiếu xin lỗi (Mẫu 04) | VP | ALL_COMMUNES | Thường xuyên | Thông báo hằng tuần |
III | Công khai danh sách cơ quan, cá nhân chậm trễ trong giải quyết thủ tục hành chính | VP |  | Theo quy định | Thông báo công khai |
III | Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về thủ tục hành chính | VP | ALL_OFFICES | Theo quy định | Văn bản trả lời |
III | Thực hiện liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ BHYT cho trẻ dưới 6 tuổi | TP | Công an huyện; ALL_COMMUNES | Quý II/2024 | Hồ sơ liên thông |
III | Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực lao động, thương binh và xã hội | LD |  | Quý III | Phương án đơn giản hóa |
III | Rà soát thủ tục hành chính nội bộ trong hệ thống hành chính nhà nước | NV | ALL_OFFICES | 6 tháng cuối năm | Báo cáo rà soát |
III | Kiểm tra việc thực hiện cơ chế một cửa, một cửa liên thông tại UBND các xã, thị trấn | VP | NV | Quý III | Thông báo kết quả kiểm tra | 1.3.2
III | Đánh giá chất lượng giải quyết thủ tục hành chính theo Quyết định 766/QĐ-TTg | VP | ALL_OFFICES | Quý IV | Báo cáo đánh giá |
III | Triển khai tiếp nhận hồ sơ không phụ thuộc địa giới hành chính | VP | ALL_COMMUNES | Năm 2024 | Danh mục TTHC phi địa giới |
III | Rà soát, công bố danh mục TTHC thực hiện tại Bộ phận Một cửa xã | UBND xã Ba Điền | VP | Tháng 3/2024 | Danh mục TTHC |
# IV. Cải cách tổ chức bộ máy (41-48)
IV | Rà soát chức năng, nhiệm vụ, tổ chức bộ máy các cơ quan chuyên môn thuộc UBND huyện | NV | ALL_OFFICES | Quý II/2024 | Báo cáo rà soát |
IV | Sắp xếp, kiện toàn các đơn vị sự nghiệp công lập thuộc huyện | NV | GD; YT | Năm 2024 | Đề án sắp xếp | 4.3
IV | Thực hiện tinh giản biên chế năm 2024 theo Nghị định 29/2023/NĐ-CP | NV | ALL_OFFICES | Tháng 6/2024 | Quyết định tinh giản biên chế | 4.3
IV | Rà soát, sắp xếp thôn, tổ dân phố chưa đạt tiêu chuẩn | NV | ALL_COMMUNES | Quý III | Đề án sắp xếp thôn |
IV | Sửa đổi, bổ sung Quy chế làm việc của UBND huyện nhiệm kỳ 2021-2026 | VP |  | Tháng 3/2024 | Quyết định ban hành quy chế |
IV | Thực hiện phân cấp, ủy quyền giải quyết thủ tục hành chính | VP | NV | Theo quy định | Quyết định ủy quyền |
IV | Kiện toàn Ban Chỉ đạo cải cách hành chính huyện | NV |  | Tháng 1/2024 | Quyết định kiện toàn |
IV | Xây dựng phương án sắp xếp đơn vị hành chính cấp xã giai đoạn 2023-2025 | NV | ALL_COMMUNES | Quý IV | Phương án sắp xếp |
# V. Cải cách chế độ công vụ (49-60)
V | Rà soát, điều chỉnh Đề án vị trí việc làm của các cơ quan, đơn vị | NV | ALL_OFFICES | Tháng 3/2024 | Đề án vị trí việc làm |
V | Tổ chức tuyển dụng viên chức giáo dục năm 2024 | NV | GD | Quý III | Kết quả tuyển dụng |
V | Đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức năm 2024 | NV | ALL_OFFICES | 31/12/2024 | Quyết định xếp loại |
V | Ban hành Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức, viên chức năm 2024 | NV |  | Tháng 2/2024 | Kế hoạch | 5.4
V | Bồi dưỡng kiến thức quản lý nhà nước cho công chức cấp xã | NV | ALL_COMMUNES | Quý III | Lớp bồi dưỡng | 5.4
V | Tập huấn kỹ năng giải quyết thủ tục hành chính cho công chức Bộ phận Một cửa | VP | NV | Tháng 6/2024 | Lớp tập huấn | 5.4
V | Tập huấn kỹ năng số cho cán bộ, công chức cấp xã | VHTT | ALL_COMMUNES | Quý II/2024 | Lớp tập huấn | 5.4
V | Kiểm tra công vụ, kỷ luật, kỷ cương hành chính | NV | TTRA | Thường xuyên | Thông báo kết quả |
V | Thực hiện chế độ, chính sách đối với cán bộ, công chức cấp xã dôi dư | NV | ALL_COMMUNES | Theo quy định | Quyết định giải quyết chế độ |
V | Cập nhật cơ sở dữ liệu cán bộ, công chức, viên chức | NV | ALL_OFFICES | Tháng 9/2024 | Cơ sở dữ liệu được cập nhật |
V | Tổ chức thi nâng ngạch công chức cấp huyện | NV |  | Theo yêu cầu | Kết quả thi |
V | Thực hiện kết luận thanh tra công vụ năm 2023 | TTRA | NV | Quý III | Báo cáo thực hiện |
# VI. Cải cách tài chính công (61-67)
VI | Giao dự toán thu, chi ngân sách năm 2024 cho các cơ quan, đơn vị | TCKH |  | Quý I | Quyết định giao dự toán |
VI | Công khai dự toán, quyết toán ngân sách theo quy định | TCKH | ALL_OFFICES | Theo quy định | Quyết định công khai | 6.4
VI | Đẩy nhanh tiến độ giải ngân vốn đầu tư công năm 2024 | TCKH | KTHT | Năm 2024 | Báo cáo giải ngân |
VI | Thực hiện cơ chế tự chủ tài chính tại các đơn vị sự nghiệp công lập | TCKH | GD | 6 tháng đầu năm | Quyết định giao tự chủ |
VI | Rà soát, sắp xếp lại tài sản công (nhà, đất) của các cơ quan, đơn vị | TCKH | ALL_OFFICES | Tháng 7/2024 | Phương án sắp xếp |
VI | Công khai tài chính tại các đơn vị sự nghiệp giáo dục | GD | TCKH | 30/6/2024 | Báo cáo công khai | 6.4
VI | Thực hiện dự toán thu ngân sách nhà nước trên địa bàn | TCKH | Chi cục Thuế khu vực | Năm 2024 | Báo cáo thu ngân sách |
# VII. Chính quyền điện tử, chính quyền số (68-83)
VII | Ban hành Kế hoạch chuyển đổi số năm 2024 của huyện | VHTT |  | Quý I | Kế hoạch | 7.1.1
VII | Duy trì, cập nhật thông tin trên Cổng thông tin điện tử huyện | VHTT | ALL_OFFICES | Thường xuyên | Tin, bài, văn bản đăng tải |
VII | Sử dụng phần mềm quản lý văn bản và điều hành, ký số văn bản điện tử | VP | ALL_COMMUNES | Thường xuyên | Văn bản điện tử có ký số |
VII | Đẩy mạnh tiếp nhận, giải quyết hồ sơ trực tuyến toàn trình | VP | ALL_COMMUNES | Năm 2024 | Tỷ lệ hồ sơ trực tuyến |
VII | Triển khai thanh toán trực tuyến phí, lệ phí thủ tục hành chính | TCKH | VP | Quý III/2024 | Hồ sơ thanh toán trực tuyến |
VII | Triển khai các mô hình điểm của Đề án 06 tại các xã, thị trấn | ALL_COMMUNES | Công an huyện | Năm 2024 | Báo cáo kết quả |
VII | Thành lập, duy trì hoạt động Tổ công nghệ số cộng đồng | VHTT | ALL_COMMUNES | Tháng 3/2024 | Quyết định thành lập | 7.1.2
VII | Nâng cấp hạ tầng mạng, thiết bị tại Bộ phận Một cửa cấp huyện | VHTT | VP | Tháng 8/2024 | Thiết bị được lắp đặt | 7.1.2
VII | Cấp chứng thư số, triển khai chữ ký số cho cán bộ, công chức cấp xã | VHTT | ALL_COMMUNES | 2024-09-30 | Chứng thư số được cấp | 7.1.2
VII | Số hóa sổ hộ tịch lưu trữ tại huyện và các xã | TP | ALL_COMMUNES | Tháng 10/2024 | Dữ liệu hộ tịch được số hóa |
VII | Bảo đảm an toàn thông tin mạng cho các hệ thống thông tin | VHTT | ALL_OFFICES | Thường xuyên | Báo cáo an toàn thông tin |
VII | Thử nghiệm trợ lý ảo hỏi đáp thủ tục hành chính trên Zalo | VHTT | VP | Theo yêu cầu | Ứng dụng được triển khai |
VII | Cập nhật số liệu lên Hệ thống thông tin báo cáo của tỉnh | VP | ALL_OFFICES | Theo quy định | Số liệu được cập nhật |
VII | Tổ chức họp trực tuyến từ huyện đến các xã, thị trấn | VP | VHTT | Quý I | Hệ thống họp trực tuyến |
VII | Kết nối, khai thác cơ sở dữ liệu quốc gia về dân cư tại Bộ phận Một cửa xã | UBND xã Ba Vinh | Công an huyện | Tháng 9/2024 | Dữ liệu được khai thác |
VII | Xây dựng kho dữ liệu dùng chung của huyện | VHTT | ALL_OFFICES | Theo yêu cầu | Kho dữ liệu |
# VIII. Tác động của CCHC (84-93)
VIII | Khảo sát sự hài lòng của người dân, tổ chức đối với dịch vụ hành chính công năm 2024 | NV | ALL_COMMUNES | Quý IV | Báo cáo kết quả khảo sát |
VIII | Phối hợp tổ chức điều tra xã hội học xác định Chỉ số cải cách hành chính | NV | ALL_COMMUNES | Theo yêu cầu | Phiếu điều tra |
VIII | Cải thiện Chỉ số năng lực cạnh tranh cấp huyện, sở, ngành (DDCI) | TCKH | ALL_OFFICES | Năm 2024 | Kế hoạch cải thiện |
VIII | Thực hiện các chỉ tiêu phát triển kinh tế - xã hội năm 2024 | TCKH | ALL_OFFICES | Năm 2024 | Báo cáo kết quả |
VIII | Thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2024 | LD | DT; ALL_COMMUNES | Năm 2024 | Báo cáo kết quả |
VIII | Thực hiện Chương trình MTQG phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số | DT | ALL_COMMUNES | Năm 2024 | Báo cáo kết quả |
VIII | Thực hiện giải pháp nâng cao Chỉ số phục vụ người dân, doanh nghiệp | VP | ALL_COMMUNES | Quý III/2024 | Kế hoạch, báo cáo |
VIII | Hướng dẫn người dân tham gia đánh giá sự hài lòng trên Cổng dịch vụ công | VHTT | ALL_COMMUNES | Quý IV | Tin, bài hướng dẫn |
VIII | Tổng hợp kết quả khắc phục hạn chế về chỉ số hài lòng năm 2023 | NV | ALL_OFFICES | Tháng 11/2024 | Báo cáo tổng hợp |
VIII | Thực hiện Chương trình xây dựng nông thôn mới năm 2024 | NN | ALL_COMMUNES | Năm 2024 | Báo cáo kết quả |
"""
PLAN = tuple(_plan_task(line) for line in PLAN_TEXT.splitlines() if line and not line.startswith("#"))
N_TASKS = 93
AREA_NAME = {code: name for code, name, *_ in AREAS}

# Hand-picked history, so that the story of the year reads like the directive: Q1 weak, catching up later.
LATE_DONE = {  # task code -> completion date after its deadline
    2: dt.date(2024, 4, 10), 19: dt.date(2024, 4, 22), 27: dt.date(2024, 5, 15), 47: dt.date(2024, 4, 8),
    52: dt.date(2024, 4, 12), 4: dt.date(2024, 6, 25), 30: dt.date(2024, 7, 20), 43: dt.date(2024, 8, 15),
    55: dt.date(2024, 7, 10), 24: dt.date(2024, 10, 21), 58: dt.date(2024, 10, 15), 75: dt.date(2024, 9, 25),
    72: dt.date(2024, 11, 28), 92: dt.date(2024, 12, 10),
}  # fmt: skip
NEVER_DONE = (18, 35, 48, 65, 77, 28, 78, 79, 83)  # still open at the end of 2024

# Dossier procedures -------------------------------------------------------------------------------------

F_HT, F_CT, F_DD, F_XD = "Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng"
F_LD, F_KD = "Lao động - Thương binh và Xã hội", "Kinh doanh"
F_MT, F_GT, F_VH, F_GD = "Môi trường", "Giao thông vận tải", "Văn hóa", "Giáo dục và Đào tạo"
F_TDKT, F_NN, F_YT = "Thi đua - Khen thưởng", "Nông nghiệp", "Y tế"

COMMUNE_PROCEDURES = (
    # field, procedure, working days, weight
    (F_HT, "Đăng ký khai sinh", 1, 16),
    (F_HT, "Đăng ký khai tử", 1, 5),
    (F_HT, "Đăng ký kết hôn", 1, 5),
    (F_HT, "Cấp bản sao trích lục hộ tịch", 1, 8),
    (F_HT, "Cấp Giấy xác nhận tình trạng hôn nhân", 3, 6),
    (F_HT, "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", 3, 3),
    (F_HT, "Liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ BHYT cho trẻ em dưới 6 tuổi", 5, 5),
    (F_CT, "Chứng thực bản sao từ bản chính giấy tờ, văn bản", 1, 24),
    (F_CT, "Chứng thực chữ ký trong các giấy tờ, văn bản", 1, 7),
    (F_CT, "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản", 2, 3),
    (F_LD, "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng", 10, 4),
    (F_LD, "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", 3, 2),
    (F_LD, "Xác định, xác định lại mức độ khuyết tật", 20, 2),
    (F_DD, "Hòa giải tranh chấp đất đai", 30, 1),
)


def _by_office(rows: Iterable[tuple[Any, ...]]) -> dict[str, tuple[tuple[Any, ...], ...]]:
    """{office: its procedures (field, procedure, working days, weight)}, from rows that start with the office."""
    procedures: dict[str, tuple[tuple[Any, ...], ...]] = {}
    for office, *procedure in rows:
        procedures[office] = (*procedures.get(office, ()), tuple(procedure))
    return procedures


OFFICE_PROCEDURES = _by_office((
    # office, field, procedure, working days, weight
    (TP, F_HT, "Đăng ký khai sinh có yếu tố nước ngoài", 15, 1),
    (TP, F_HT, "Đăng ký thay đổi, cải chính hộ tịch cho người từ đủ 14 tuổi trở lên", 3, 3),
    (TP, F_CT, "Chứng thực bản sao từ bản chính giấy tờ do cơ quan nước ngoài cấp", 1, 8),
    (TP, F_CT, "Chứng thực chữ ký người dịch", 1, 3),
    (TNMT, F_DD, "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", 10, 10),
    (TNMT, F_DD, "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu", 20, 3),
    (TNMT, F_DD, "Chuyển mục đích sử dụng đất", 15, 2),
    (TNMT, F_DD, "Tách thửa hoặc hợp thửa đất", 15, 3),
    (TNMT, F_MT, "Đăng ký kế hoạch bảo vệ môi trường", 10, 1),
    (KTHT, F_XD, "Cấp giấy phép xây dựng nhà ở riêng lẻ", 15, 5),
    (KTHT, F_XD, "Cấp giấy phép sửa chữa, cải tạo công trình", 15, 1),
    (KTHT, F_GT, "Cấp phép thi công nút giao đấu nối vào đường huyện", 7, 1),
    (TCKH, F_KD, "Đăng ký thành lập hộ kinh doanh", 3, 5),
    (TCKH, F_KD, "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", 3, 2),
    (TCKH, F_KD, "Tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn của hộ kinh doanh", 3, 1),
    (LD, F_LD, "Giải quyết trợ cấp một lần đối với người có công với cách mạng", 12, 3),
    (LD, F_LD, "Tiếp nhận đối tượng bảo trợ xã hội vào cơ sở trợ giúp xã hội", 7, 1),
    (LD, F_LD, "Cấp giấy phép hoạt động cơ sở trợ giúp xã hội", 15, 1),
    (VHTT, F_VH, "Cấp giấy phép kinh doanh dịch vụ karaoke", 5, 1),
    (GD, F_GD, "Chuyển trường đối với học sinh trung học cơ sở", 3, 4),
    (GD, F_GD, "Cho phép trường tiểu học hoạt động giáo dục", 20, 1),
    (NV, F_TDKT, "Tặng Giấy khen của Chủ tịch UBND huyện", 20, 1),
    (NN, F_NN, "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai", 10, 1),
    (YT, F_YT, "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", 15, 1),
))  # fmt: skip
VOLUME_SCALE = 1.05  # about 30,000 dossiers in all
OFFICE_VOLUME = {
    TP: 1400,
    TNMT: 2600,
    KTHT: 450,
    TCKH: 700,
    LD: 800,
    VHTT: 60,
    GD: 180,
    NV: 150,
    NN: 110,
    YT: 50,
}
OFFICE_LATENESS = {
    TP: 0.4,
    TNMT: 1.3,
    KTHT: 1.2,
    TCKH: 0.5,
    LD: 1.0,
    VHTT: 0.5,
    GD: 0.5,
    NV: 1.0,
    NN: 1.0,
    YT: 1.0,
}
HOLIDAYS = frozenset(
    [
        dt.date(2024, 1, 1),
        dt.date(2024, 4, 18),
        dt.date(2024, 4, 29),
        dt.date(2024, 4, 30),
        dt.date(2024, 5, 1),
    ]
    + [dt.date(2024, 2, d) for d in range(8, 15)]
    + [dt.date(2024, 9, 2), dt.date(2024, 9, 3)]
)

# Spreadsheet building blocks ------------------------------------------------------------------------------


@dataclass
class Sheet:
    """A sheet as plain rows of cell values, with a role per row (for styling) and merged ranges."""

    name: str
    ncols: int
    widths: tuple[float, ...] = ()
    rows: list[list[Any]] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2

    def add(self, cells: dict[int, Any] | list[Any] | None = None, role: str = "data") -> int:
        row: list[Any] = [None] * self.ncols
        if isinstance(cells, dict):
            for c, v in cells.items():
                row[c] = v
        elif cells is not None:
            row[: len(cells)] = list(cells)
        self.rows.append(row)
        self.roles.append(role)
        return len(self.rows) - 1

    def blank(self) -> None:
        self.add(None, "blank")

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        if (r1, c1) != (r2, c2):
            self.merges.append((r1, c1, r2, c2))


def title_block(
    sheet: Sheet, titles: Iterable[str], *, authority: str = DISTRICT_AUTHORITY, split: int = 3
) -> None:
    """Authority and national motto side by side, the document titles, and the illustrative note."""
    last = sheet.ncols - 1
    r = sheet.add({0: authority, split: NATION}, "head")
    sheet.merge(r, 0, r, split - 1)
    sheet.merge(r, split, r, last)
    r = sheet.add({split: MOTTO}, "head")
    sheet.merge(r, split, r, last)
    sheet.blank()
    for text in titles:
        r = sheet.add({0: text}, "title")
        sheet.merge(r, 0, r, last)
    r = sheet.add({0: ILLUSTRATIVE}, "note")
    sheet.merge(r, 0, r, last)
    sheet.blank()


def footer(
    sheet: Sheet, place_date: str, preparer: str, signer: str, *, left: int = 1, right: int | None = None
) -> None:
    """Signature block: NGƯỜI LẬP BIỂU on the left, KT. CHỦ TỊCH / PHÓ CHỦ TỊCH on the right."""
    right = sheet.ncols - 2 if right is None else right
    sheet.blank()
    sheet.add({right: place_date}, "footer_date")
    sheet.add({left: "NGƯỜI LẬP BIỂU", right: "KT. CHỦ TỊCH"}, "footer")
    sheet.add({right: "PHÓ CHỦ TỊCH"}, "footer")
    for _ in range(3):
        sheet.blank()
    sheet.add({left: preparer, right: signer}, "footer")


def column_numbers(sheet: Sheet) -> None:
    sheet.add({c: f"({c + 1})" for c in range(sheet.ncols)}, "colnum")


def _xlsx_formats(workbook: xlsxwriter.Workbook) -> dict[str, dict[str, Any]]:
    base = {"font_name": "Times New Roman", "font_size": 11, "valign": "vcenter"}
    grid = {"border": 1, "text_wrap": True}
    specs = {
        "head": {"bold": True, "align": "center"},
        "title": {"bold": True, "align": "center", "font_size": 13},
        "note": {"italic": True, "align": "center"},
        "header": {**grid, "bold": True, "align": "center", "bg_color": "#DDEBF7"},
        "colnum": {**grid, "italic": True, "align": "center"},
        "section": {**grid, "bold": True},
        "criterion": {**grid, "bold": True},
        "data": grid,
        "total": {**grid, "bold": True, "bg_color": "#FFF2CC"},
        "footer": {"bold": True, "align": "center"},
        "footer_date": {"italic": True, "align": "center"},
        "blank": {},
        "plain": {},
    }
    out: dict[str, dict[str, Any]] = {}
    for role, spec in specs.items():
        out[role] = {
            "text": workbook.add_format({**base, **spec}),
            "date": workbook.add_format({**base, **spec, "num_format": "dd/mm/yyyy", "align": "center"}),
            "datetime": workbook.add_format({**base, **spec, "num_format": "dd/mm/yyyy hh:mm"}),
        }
    return out


def write_xlsx(path: Path, sheets: list[Sheet]) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    workbook.set_properties({"created": CREATED, "author": "UBND huyện Ba Tơ", "comments": ILLUSTRATIVE})
    formats = _xlsx_formats(workbook)
    for sheet in sheets:
        ws = workbook.add_worksheet(sheet.name)
        for c, width in enumerate(sheet.widths):
            ws.set_column(c, c, width)
        covered = {
            (r, c) for r1, c1, r2, c2 in sheet.merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
        }
        for r, (row, role) in enumerate(zip(sheet.rows, sheet.roles, strict=True)):
            fmt = formats[role]
            for c, value in enumerate(row):
                if (r, c) in covered:
                    continue
                _write_xlsx_cell(ws, r, c, value, fmt, role)
        for r1, c1, r2, c2 in sheet.merges:
            value = sheet.rows[r1][c1]
            fmt = formats[sheet.roles[r1]]["text"]
            ws.merge_range(r1, c1, r2, c2, "" if value is None else value, fmt)
    workbook.close()


GRID_ROLES = frozenset({"header", "colnum", "section", "criterion", "data", "total"})


def _write_xlsx_cell(ws, r: int, c: int, value: Any, fmt: dict[str, Any], role: str) -> None:
    if value is None:
        if role in GRID_ROLES:
            ws.write_blank(r, c, None, fmt["text"])  # keeps the borders of empty cells
    elif isinstance(value, dt.datetime):
        ws.write_datetime(r, c, value, fmt["datetime"])
    elif isinstance(value, dt.date):
        ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), fmt["date"])
    elif isinstance(value, str):
        ws.write_string(r, c, value, fmt["text"])
    else:
        ws.write_number(r, c, value, fmt["text"])


def write_xls(path: Path, sheets: list[Sheet]) -> None:
    workbook = xlwt.Workbook(encoding="utf-8")
    font = "font: name Times New Roman, height 220"
    border = "borders: left thin, right thin, top thin, bottom thin"
    wrap = "alignment: wrap on, vert centre"
    styles = {
        "head": xlwt.easyxf(f"{font}, bold on; alignment: horiz centre"),
        "title": xlwt.easyxf("font: name Times New Roman, height 260, bold on; alignment: horiz centre"),
        "note": xlwt.easyxf(f"{font}, italic on; alignment: horiz centre"),
        "header": xlwt.easyxf(f"{font}, bold on; {border}; alignment: wrap on, horiz centre, vert centre"),
        "colnum": xlwt.easyxf(f"{font}, italic on; {border}; alignment: horiz centre"),
        "section": xlwt.easyxf(f"{font}, bold on; {border}; {wrap}"),
        "data": xlwt.easyxf(f"{font}; {border}; {wrap}"),
        "total": xlwt.easyxf(f"{font}, bold on; {border}; {wrap}"),
        "footer": xlwt.easyxf(f"{font}, bold on; alignment: horiz centre"),
        "footer_date": xlwt.easyxf(f"{font}, italic on; alignment: horiz centre"),
        "blank": xlwt.easyxf(font),
    }
    date_style = xlwt.easyxf(f"{font}; {border}; alignment: horiz centre", num_format_str="dd/mm/yyyy")
    for sheet in sheets:
        ws = workbook.add_sheet(sheet.name)
        for c, width in enumerate(sheet.widths):
            ws.col(c).width = int(width * 256)
        covered = {
            (r, c) for r1, c1, r2, c2 in sheet.merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
        }
        for r, (row, role) in enumerate(zip(sheet.rows, sheet.roles, strict=True)):
            for c, value in enumerate(row):
                if (r, c) in covered or value is None:
                    continue
                if isinstance(value, dt.date):
                    ws.write(r, c, value, date_style)
                else:
                    ws.write(r, c, value, styles[role])
        for r1, c1, r2, c2 in sheet.merges:
            value = sheet.rows[r1][c1]
            ws.write_merge(r1, r2, c1, c2, "" if value is None else value, styles[sheet.roles[r1]])
    workbook.save(str(path))


def write_ods(path: Path, sheets: list[Sheet]) -> None:
    with pd.ExcelWriter(path, engine="odf") as writer:
        for sheet in sheets:
            frame = pd.DataFrame(sheet.rows, dtype=object)
            frame.to_excel(writer, sheet_name=sheet.name, header=False, index=False)
    _fix_zip_times(path)


def _fix_zip_times(path: Path) -> None:
    """Rewrite a zip container with fixed entry times, so that regenerating gives identical bytes."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for info, payload in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=CREATED.timetuple()[:6])
            fixed.compress_type = info.compress_type  # 'mimetype' must stay first and stored
            fixed.external_attr = info.external_attr
            target.writestr(fixed, payload)


def write_csv(path: Path, sheet: Sheet) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        for row in sheet.rows:
            writer.writerow([_csv_text(v) for v in row])


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# Small helpers ---------------------------------------------------------------------------------------------


def vn_date_line(place: str, day: dt.date) -> str:
    return f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def vn_number(value: float, decimals: int = 1) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def round_to(value: float, step: float = 0.25) -> float:
    return round(round(value / step) * step, 2)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def is_workday(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in HOLIDAYS


def add_workdays(day: dt.date, n: int) -> dt.date:
    while n > 0:
        day += dt.timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A working day between start and end (inclusive), uniformly."""
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    workdays = [d for d in days if is_workday(d)] or days
    return rng.choice(workdays)


PREPARERS = ("Lê Thị Thu Hà", "Nguyễn Thị Mỹ Linh", "Phạm Thị Hồng Nhung", "Đinh Thị Thanh Tâm")
SURNAMES = ("Đinh", "Phạm", "Nguyễn", "Trần", "Lê", "Huỳnh", "Võ", "Hồ")
MIDDLES = ("Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hữu", "Công")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Hải", "Hòa", "Khánh", "Lâm", "Nam", "Phúc", "Quang", "Sơn", "Tài",
         "Thắng", "Trung", "Vũ", "Hương", "Lan", "Mai", "Nga")  # fmt: skip
DISTRICT_SIGNER = "Trần Minh Quang"


def person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLES)} {rng.choice(GIVEN)}"


# 1. Units --------------------------------------------------------------------------------------------------


def units_sheet() -> Sheet:
    sheet = Sheet("Don vi", 7, (14, 38, 14, 16, 14, 14, 16))
    title_block(
        sheet,
        [
            "DANH MỤC ĐƠN VỊ HÀNH CHÍNH VÀ CƠ QUAN CHUYÊN MÔN HUYỆN BA TƠ",
            "(Cập nhật theo Nghị quyết sắp xếp đơn vị hành chính cấp xã năm 2025)",
        ],
        split=3,
    )
    sheet.add(
        [
            "Mã đơn vị",
            "Tên đơn vị",
            "Loại đơn vị",
            "Đơn vị cấp trên",
            "Hiệu lực từ",
            "Hiệu lực đến",
            "Sáp nhập vào",
        ],
        "header",
    )
    end_district = dt.date(2025, 6, 30)
    start_new = dt.date(2025, 7, 1)
    sheet.add([PROVINCE[0], PROVINCE[1], "Tỉnh", None, None, None, None])
    sheet.add([DISTRICT[0], DISTRICT[1], "Huyện", PROVINCE[0], None, end_district, None])
    for code, name in OFFICES:
        sheet.add([code, name, "Phòng ban", DISTRICT[0], None, end_district, None])
    for commune in COMMUNES:
        kind = "Thị trấn" if commune.is_town else "Xã"
        valid_to = end_district if commune.successor else None
        sheet.add([commune.code, commune.name, kind, DISTRICT[0], None, valid_to, commune.successor])
    for code, name in NEW_COMMUNES:
        sheet.add([code, name, "Xã", PROVINCE[0], start_new, None, None])
    footer(sheet, vn_date_line("Ba Tơ", dt.date(2025, 7, 2)), PREPARERS[0], DISTRICT_SIGNER, left=1, right=5)
    return sheet


# 2. Framework ---------------------------------------------------------------------------------------------


FRAMEWORK_HEADER = (
    "Mã|Tên tiêu chí|Điểm tối đa|Loại điểm|Cách tính|Chỉ số|Ngưỡng|Đơn vị chịu trách nhiệm".split("|")
)


def framework_head(name: str, titles: list[str], authority: str = DISTRICT_AUTHORITY) -> Sheet:
    """A framework sheet down to its header row: the titles, then code, name, points, kind, rule, metric,
    thresholds and responsible unit."""
    sheet = Sheet(name, 8, (8, 60, 10, 14, 12, 28, 34, 30))
    title_block(sheet, titles, authority=authority, split=2)
    sheet.add(FRAMEWORK_HEADER, "header")
    return sheet


def framework_sheet() -> Sheet:
    titles = [
        "BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CẤP HUYỆN NĂM 2024",
        "(Kèm theo Quyết định số 3691/QĐ-UBND ngày 20/12/2023 của Chủ tịch UBND huyện Ba Tơ)",
    ]
    sheet = framework_head("Bo tieu chi 2024", titles)
    column_numbers(sheet)
    for area, name, maximum, _, _ in AREAS:
        sheet.add([area, name, maximum], "section")
        for c in CRITERIA:
            if c.area != area:
                continue
            if c.rule is None:
                sheet.add([c.code, c.name, c.max_points, None, None, None, None, c.responsible], "criterion")
                continue
            kind = SURVEY if c.survey else ASSESSED
            sheet.add([c.code, c.name, c.max_points, kind, c.rule, c.metric, c.thresholds, c.responsible])
    sheet.add([None, "TỔNG CỘNG", sum(a[2] for a in AREAS)], "total")
    footer(
        sheet, vn_date_line("Ba Tơ", dt.date(2023, 12, 20)), PREPARERS[1], DISTRICT_SIGNER, left=1, right=6
    )
    return sheet


# 3-4. Tasks and their history --------------------------------------------------------------------------------


@dataclass
class Task:
    code: int
    plan: PlanTask
    due: dt.date | None  # the deadline as a date (None: ongoing or no fixed date)
    completed: dt.date | None

    @property
    def late(self) -> bool:
        return self.completed is not None and self.due is not None and self.completed > self.due

    def done_by(self, day: dt.date) -> bool:
        return self.completed is not None and self.completed <= day

    def deadline_kind(self) -> str:
        d = self.plan.deadline
        if isinstance(d, dt.date):
            return "date"
        if d == "Thường xuyên":
            return "ongoing"
        if d.startswith("Theo"):
            return "no_date"
        if d.startswith("Năm"):
            return "year"
        return "fixed"


def deadline_date(deadline: str | dt.date) -> dt.date | None:
    """The generator's own reading of the plan's deadline forms (the app parses them independently)."""
    if isinstance(deadline, dt.date):
        return deadline
    text = deadline.replace("Trước ", "")
    if text.startswith("Quý "):
        return QUARTER_END[ROMAN.index(text[4:].split("/")[0]) + 1]
    if text.startswith("Tháng "):
        month, year = text[6:].split("/")
        return month_end(int(year), int(month))
    if text == "6 tháng đầu năm":
        return dt.date(YEAR, 6, 30)
    if text in ("6 tháng cuối năm", "Năm 2024"):
        return dt.date(YEAR, 12, 31)
    if text[0].isdigit():
        day, month, year = (int(p) for p in text.split("/"))
        return dt.date(year, month, day)
    return None  # Thường xuyên, Theo quy định, Theo yêu cầu


def deadline_span(deadline: str | dt.date) -> int:
    """How many days before its deadline an on-time task may be finished."""
    if isinstance(deadline, dt.date) or deadline[0].isdigit():
        return 60
    if deadline.startswith("Trước"):
        return 14  # periodic reports are written in the last fortnight
    if deadline.startswith("Tháng"):
        return 40
    if deadline.startswith("6 tháng"):
        return 150
    return 120  # a quarter (a few quarter-long tasks finish early)


def build_tasks(rng: random.Random) -> list[Task]:
    assert len(PLAN) == N_TASKS, len(PLAN)
    tasks = []
    for i, plan in enumerate(PLAN, start=1):
        due = deadline_date(plan.deadline)
        task = Task(i, plan, due, None)
        kind = task.deadline_kind()
        if i in NEVER_DONE:
            completed = None
        elif i in LATE_DONE:
            completed = LATE_DONE[i]
        elif kind == "ongoing":
            completed = random_date(rng, dt.date(2024, 12, 9), dt.date(2024, 12, 27))
        elif kind == "no_date":
            completed = random_date(rng, dt.date(2024, 1, 15), dt.date(2024, 9, 27))
        elif kind == "year":
            completed = random_date(rng, dt.date(2024, 4, 1), dt.date(2024, 12, 27))
        else:
            assert due is not None
            # On time: somewhere in the run-up to the deadline (quarter-long tasks may finish a quarter early).
            span = deadline_span(plan.deadline)
            start = max(dt.date(2024, 1, 8), due - dt.timedelta(days=span))
            completed = random_date(rng, start, due - dt.timedelta(days=1))
        task.completed = completed
        tasks.append(task)
    return tasks


STATUS_DONE = "Đã hoàn thành"
STATUS_ON_TIME = "Hoàn thành đúng hạn"
STATUS_LATE = "Hoàn thành quá hạn"
STATUS_LATE_ALT = "Hoàn thành trễ hạn"
STATUS_RUNNING = "Đang thực hiện"
STATUS_NOT_STARTED = "Chưa thực hiện"
STATUS_OVERDUE = "Quá hạn"


def status_text(task: Task, quarter: int) -> str:
    end = QUARTER_END[quarter]
    if task.done_by(end):
        if task.late:
            return STATUS_LATE_ALT if quarter == 3 else STATUS_LATE
        if task.due is None or quarter in (1, 3):
            return STATUS_DONE
        return STATUS_ON_TIME
    if task.due is not None and task.due < end:
        return STATUS_OVERDUE
    kind = task.deadline_kind()
    if kind == "ongoing":
        return STATUS_RUNNING
    if kind == "no_date":
        return STATUS_NOT_STARTED if task.completed is None or quarter == 1 else STATUS_RUNNING
    assert task.due is not None
    return STATUS_RUNNING if (task.due - end).days <= 120 else STATUS_NOT_STARTED


DOC_KINDS = {
    "Kế hoạch": ("Kế hoạch", "KH-UBND"),
    "Báo cáo": ("Báo cáo", "BC-UBND"),
    "Quyết định": ("Quyết định", "QĐ-UBND"),
    "Thông báo": ("Thông báo", "TB-UBND"),
}


def product_text(task: Task) -> str:
    """The evidence a progress report names for a finished task ("Kế hoạch số 15/KH-UBND ngày 22/01/2024")."""
    kinds = [form for prefix, form in DOC_KINDS.items() if task.plan.product.startswith(prefix)]
    kind, suffix = kinds[0] if kinds else ("Văn bản", "UBND-" + ("NV" if task.plan.lead == NV else "VP"))
    assert task.completed is not None
    number = 5 + task.completed.timetuple().tm_yday * 2 + task.code % 2
    return f"{kind} số {number}/{suffix} ngày {task.completed:%d/%m/%Y}"


REPORTS = {  # quarter -> (report number, report date)
    1: ("133/BC-UBND", dt.date(2024, 4, 3)),
    2: ("265/BC-UBND", dt.date(2024, 7, 5)),
    3: ("402/BC-UBND", dt.date(2024, 10, 4)),
    4: ("05/BC-UBND", dt.date(2025, 1, 6)),
}
TASK_HEADERS = ("TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành")
TASK_WIDTHS = (6, 58, 26, 26, 16, 20, 14, 32, 10, 28)


def plan_sheet(tasks: list[Task]) -> Sheet:
    sheet = Sheet("Phu luc", 7, (6, 62, 26, 30, 18, 28, 18))
    title_block(
        sheet,
        [
            "PHỤ LỤC",
            "DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2024",
            "(Kèm theo Quyết định số 3690/QĐ-UBND ngày 20/12/2023 của Chủ tịch UBND huyện Ba Tơ)",
        ],
        split=3,
    )
    sheet.add([*TASK_HEADERS, "Sản phẩm", "Ghi chú"], "header")
    column_numbers(sheet)
    area = None
    for task in tasks:
        if task.plan.area != area:
            area = task.plan.area
            if area == "V":
                sheet.blank()  # a stray empty line, as in real files
            sheet.add([area, AREA_NAME[area]], "section")
        note = "Nhiệm vụ trọng tâm" if task.plan.criterion in ("1.1.1", "1.2") else None
        p = task.plan
        sheet.add([task.code, p.title, p.lead, p.co, p.deadline, p.product, note])
    footer(
        sheet, vn_date_line("Ba Tơ", dt.date(2023, 12, 20)), PREPARERS[0], DISTRICT_SIGNER, left=1, right=4
    )
    return sheet


def progress_sheet(tasks: list[Task], quarter: int, rng: random.Random, *, csv_style: bool = False) -> Sheet:
    """The quarterly progress report of the 93 tasks (Q4: two-level header 'Kết quả thực hiện')."""
    end = QUARTER_END[quarter]
    number, report_day = REPORTS[quarter]
    sheet = Sheet(f"Quy {ROMAN[quarter - 1]}", 10, TASK_WIDTHS)
    title_block(
        sheet,
        [
            f"BÁO CÁO TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ {ROMAN[quarter - 1]} NĂM 2024",
            f"(Kèm theo Báo cáo số {number} ngày {report_day:%d/%m/%Y} của UBND huyện Ba Tơ)",
        ],
        split=3,
    )
    if csv_style:
        # The CSV export of quarter III uses other header wordings (aliases declared in schema.py).
        head = ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Tình trạng", "Ngày hoàn thành",
                "Sản phẩm, tài liệu kiểm chứng", "Mã tiêu chí", "Ghi chú"]  # fmt: skip
        sheet.add(head, "header")
    elif quarter == 4:
        top = sheet.add(
            [*TASK_HEADERS, "Kết quả thực hiện", None, "Sản phẩm", "Mã tiêu chí", "Ghi chú"], "header"
        )
        sheet.add({5: "Tình trạng", 6: "Ngày hoàn thành"}, "header")
        for c in (0, 1, 2, 3, 4, 7, 8, 9):
            sheet.merge(top, c, top + 1, c)
        sheet.merge(top, 5, top, 6)
    else:
        sheet.add(
            [*TASK_HEADERS, "Tình trạng", "Ngày hoàn thành", "Sản phẩm", "Mã tiêu chí", "Ghi chú"], "header"
        )
    if quarter in (1, 4):
        column_numbers(sheet)
    # A few finished tasks whose status cell was left empty (the date is there).
    done_now = [t.code for t in tasks if t.done_by(end)]
    blanks = set(rng.sample(done_now, {1: 0, 2: 2, 3: 2, 4: 1}[quarter]))
    area = None
    for task in tasks:
        if task.plan.area != area:
            area = task.plan.area
            if quarter == 1 and area != "I":
                sheet.blank()
            sheet.add([area, AREA_NAME[area]], "section")
        p = task.plan
        status = status_text(task, quarter)
        done = task.done_by(end)
        completed: Any = task.completed if done else None
        if done and quarter == 4 and task.code % 17 == 0:
            completed = f"{task.completed:%d/%m/%Y}"  # typed as text, as people do
        product = product_text(task) if done else None
        note = None
        if status == STATUS_OVERDUE:
            note = "Chậm tiến độ, đề nghị gia hạn" if quarter < 4 else "Chưa hoàn thành, chuyển sang năm 2025"
        elif done and task.late:
            note = "Hoàn thành chậm so với kế hoạch"
        elif task.deadline_kind() == "ongoing" and not done:
            note = "Thực hiện thường xuyên"
        if task.code in blanks:
            status = None
        sheet.add(
            [task.code, p.title, p.lead, p.co, p.deadline, status, completed, product, p.criterion, note]
        )
    if quarter in (2, 4):
        n_done = sum(t.done_by(end) for t in tasks)
        share = vn_number(100 * n_done / N_TASKS)
        sheet.add(
            {1: f"TỔNG CỘNG: {N_TASKS} nhiệm vụ; đã hoàn thành {n_done}/{N_TASKS} ({share} %)"}, "total"
        )
    footer(sheet, vn_date_line("Ba Tơ", report_day), PREPARERS[0], DISTRICT_SIGNER, left=1, right=7)
    return sheet


# 5-6. Self-assessment tables -------------------------------------------------------------------------------


@dataclass
class Score:
    """One leaf of a scoring table: what is written in the self and appraised cells."""

    self_cell: Any = None  # number, "Có" / "Không" / "Không áp dụng", or None
    appraised: float | None = None
    evidence: str | None = None
    explanation: str | None = None

    def self_value(self, maximum: float) -> float | None:
        if isinstance(self.self_cell, str):
            return {"Có": maximum, "Không": 0.0}.get(self.self_cell)
        return self.self_cell


def band_points(ratio: float, thresholds: str) -> float:
    """Points of a band rule (the generator's own reading of '100%: 2; 80%: 1; 0%: 0')."""
    bands = []
    for part in thresholds.split(";"):
        left, right = part.split(":")
        if not left.strip().rstrip("%").replace(".", "").isdigit():
            continue  # the apology clause
        bands.append((float(left.strip().rstrip("%")), float(right)))
    for threshold, pts in sorted(bands, reverse=True):
        if ratio * 100 >= threshold - 1e-9:
            return pts
    return 0.0


@dataclass
class DossierStats:
    """Cumulative on-time and online shares of a set of dossiers at each quarter end."""

    on_time: dict[int, float]
    online: dict[int, float]


def task_ratio(tasks: list[Task], code: str, end: dt.date) -> tuple[float | None, str]:
    """Share of the linked tasks that are done among those done or overdue at `end` (as the app counts)."""
    linked = [t for t in tasks if t.plan.criterion == code]
    done = sum(t.done_by(end) for t in linked)
    overdue = sum(1 for t in linked if not t.done_by(end) and t.due is not None and t.due < end)
    if done + overdue == 0:
        return None, f"Chưa có nhiệm vụ gắn tiêu chí đến hạn ({len(linked)} nhiệm vụ)"
    return done / (done + overdue), f"Hoàn thành {done}/{done + overdue} nhiệm vụ đến hạn"


def district_scores(
    tasks: list[Task], stats: DossierStats, commune_stats: DossierStats, rng: random.Random
) -> dict[int, dict[str, Score]]:
    """Self points of the district per quarter (and appraised points in Q4), leaf by leaf."""
    targets = {1: 43.5, 2: 48.5, 3: 52.5, 4: 56.5}  # assessed points out of 70 (62 % -> 80 %)
    weights = {c.code: rng.uniform(0.8, 1.15) for c in LEAVES}
    evidence = {c.code: district_evidence(c, rng) for c in LEAVES}
    previous: dict[str, float] = {}
    result: dict[int, dict[str, Score]] = {}
    for q in (1, 2, 3, 4):
        end = QUARTER_END[q]
        scores: dict[str, Score] = {}
        manual: list[Criterion] = []
        for c in LEAVES:
            s = Score(evidence=evidence[c.code] if q >= 2 or c.code not in ("1.2", "5.3") else None)
            if c.survey:
                s.evidence = None
                s.explanation = (
                    "Chờ kết quả điều tra xã hội học" if q < 4 else "Theo kết quả điều tra của tỉnh"
                )
            elif c.code == "4.2.2":
                s.self_cell = "Không áp dụng"
                s.explanation = "Huyện không thuộc diện sắp xếp trong năm 2024"
            elif c.rule == YESNO and c.metric == M_TASKS:
                linked = [t for t in tasks if t.plan.criterion == c.code]
                yes = all(t.done_by(end) and not t.late for t in linked)
                s.self_cell = ("Có" if yes else "Không") if q in (1, 3) else (c.max_points if yes else 0.0)
            elif c.rule == YESNO:
                yes = not (c.code == "6.3" and q == 1)
                s.self_cell = ("Có" if yes else "Không") if q in (1, 3) else (c.max_points if yes else 0.0)
                if not yes:
                    s.explanation = "Chưa hoàn thành sắp xếp tài sản công"
            elif c.metric == M_PLAN:
                done = sum(t.done_by(end) for t in tasks)
                overdue = sum(1 for t in tasks if not t.done_by(end) and t.due is not None and t.due < end)
                s.self_cell = band_points(done / (done + overdue), c.thresholds or "")
                s.explanation = f"Hoàn thành {done}/{N_TASKS} nhiệm vụ; {overdue} nhiệm vụ quá hạn"
            elif c.metric == M_TASKS:
                ratio, why = task_ratio(tasks, c.code, end)
                if ratio is None:
                    ratio = 1.0  # nothing due yet: the office scores it full for now
                s.self_cell = (
                    round(ratio * c.max_points, 2)
                    if c.rule == RATIO
                    else band_points(ratio, c.thresholds or "")
                )
                s.explanation = why if s.self_cell < c.max_points else None
            elif c.metric == M_LATE:
                late = sum(
                    1 for t in tasks if t.plan.criterion == c.code and t.due is not None and t.due < end
                    and (not t.done_by(end) or t.late)
                )  # fmt: skip
                s.self_cell = max(0.0, c.max_points - 0.25 * late)
                s.explanation = f"{late} báo cáo gửi trễ hạn" if late else None
            elif c.metric in (M_ONTIME_DISTRICT, M_ONTIME_COMMUNE):
                st = stats if c.metric == M_ONTIME_DISTRICT else commune_stats
                ratio = st.on_time[q]
                s.self_cell = band_points(ratio, c.thresholds or "")
                if c.code == "3.4" and q == 1:
                    s.self_cell = min(c.max_points, s.self_cell + 1.0)  # over-claimed in Q1
                s.explanation = f"Tỷ lệ hồ sơ đúng hạn đạt {vn_number(100 * ratio, 2)} %"
            elif c.metric == M_ONLINE:
                ratio = stats.online[q]
                s.self_cell = band_points(ratio, c.thresholds or "")
                s.explanation = f"Tỷ lệ hồ sơ trực tuyến đạt {vn_number(100 * ratio, 2)} %"
            else:
                manual.append(c)
            scores[c.code] = s
        fixed = sum(scores[c.code].self_value(c.max_points) or 0.0 for c in LEAVES if c not in manual)
        manual_max = sum(c.max_points for c in manual)
        share = max(0.3, min(1.0, (targets[q] - fixed) / manual_max))
        for c in manual:
            value = round_to(min(c.max_points, c.max_points * share * weights[c.code]))
            value = max(value, previous.get(c.code, 0.0))
            previous[c.code] = value
            scores[c.code].self_cell = value
            if value < c.max_points:
                scores[c.code].explanation = rng.choice(SHORTFALLS)
        if q == 4:
            appraise(scores, {"3.6": 0.5, "5.2": 0.5, "8.1": 1.0, "1.5": 0.25, "7.5": 0.5})
            apply_survey(scores, 0.74, rng)
        result[q] = scores
    return result


SHORTFALLS = (
    "Một số nội dung chưa hoàn thành theo kế hoạch",
    "Chưa đủ tài liệu kiểm chứng",
    "Tiến độ thực hiện còn chậm",
    "Một số cơ quan, đơn vị chưa thực hiện đầy đủ",
    "Đang tiếp tục triển khai",
)


def appraise(scores: dict[str, Score], cuts: dict[str, float]) -> None:
    """Appraised points: the self points, minus the council's cuts on a few criteria."""
    for c in LEAVES:
        s = scores[c.code]
        if c.survey or s.self_cell == "Không áp dụng":
            continue
        value = s.self_value(c.max_points) or 0.0
        cut = min(value, cuts.get(c.code, 0.0))
        s.appraised = round(value - cut, 2)
        if cut:
            s.explanation = "Hội đồng thẩm định trừ điểm: tài liệu kiểm chứng chưa đầy đủ"


def apply_survey(scores: dict[str, Score], level: float, rng: random.Random) -> None:
    for c in LEAVES:
        if c.survey:
            scores[c.code].appraised = round(
                min(c.max_points, c.max_points * rng.uniform(level - 0.08, level + 0.08)), 2
            )


EVIDENCE_BY_CODE = {
    "1.1.1": "Quyết định số 3690/QĐ-UBND ngày 20/12/2023",
    "1.1.2": "Báo cáo số 133/BC-UBND ngày 03/4/2024",
    "1.2": "Báo cáo số 133/BC-UBND ngày 03/4/2024; Báo cáo số 265/BC-UBND ngày 05/7/2024",
    "1.3.1": "Kế hoạch số 18/KH-UBND ngày 25/01/2024",
    "3.4": "Số liệu trên Hệ thống thông tin giải quyết TTHC tỉnh",
    "3.5": "Số liệu trên Hệ thống thông tin giải quyết TTHC tỉnh",
    "7.3": "Số liệu trên Cổng dịch vụ công tỉnh",
}
DOC_FORMS = (
    ("Kế hoạch", "KH-UBND"),
    ("Quyết định", "QĐ-UBND"),
    ("Báo cáo", "BC-UBND"),
    ("Công văn", "UBND-VP"),
)


def district_evidence(c: Criterion, rng: random.Random) -> str | None:
    if c.code in EVIDENCE_BY_CODE:
        return EVIDENCE_BY_CODE[c.code]
    if rng.random() < 0.12:
        return None  # no evidence named
    kind, suffix = rng.choice(DOC_FORMS)
    day = random_date(rng, dt.date(2024, 1, 8), dt.date(2024, 3, 29))
    return f"{kind} số {rng.randint(10, 120)}/{suffix} ngày {day.day:02d}/{day.month:02d}/{day.year}"


def commune_evidence(commune: Commune, rng: random.Random) -> str | None:
    if rng.random() < 0.1:
        return None  # left blank
    kind, suffix = rng.choice(DOC_FORMS)
    day = random_date(rng, dt.date(2024, 1, 8), dt.date(2024, 3, 29))
    return f"{kind} số {rng.randint(2, 60)}/{suffix} ngày {day:%d/%m/%Y} của {commune.authority}"


def commune_scores(commune: Commune, stats: DossierStats, rng: random.Random) -> dict[int, dict[str, Score]]:
    """A commune's self points per quarter: its quality sets the level, progress rises each quarter."""
    progress = {1: 0.70, 2: 0.79, 3: 0.86, 4: 0.92}
    base = {c.code: min(1.0, commune.quality * rng.uniform(0.85, 1.18)) for c in LEAVES}
    evidence = {c.code: commune_evidence(commune, rng) for c in LEAVES}
    result: dict[int, dict[str, Score]] = {}
    previous: dict[str, float] = {}
    for q in (1, 2, 3, 4):
        scores: dict[str, Score] = {}
        for c in LEAVES:
            s = Score()
            if not c.survey:
                s.evidence = evidence[c.code]
            if c.survey:
                s.explanation = "Chờ kết quả điều tra xã hội học" if q < 4 else None
            elif c.code == "3.4":
                s.self_cell = "Không áp dụng"
                s.explanation = "Tiêu chí áp dụng cho cấp huyện"
            elif c.code == "3.5":
                ratio = stats.on_time[q]
                s.self_cell = band_points(ratio, c.thresholds or "")
                s.explanation = f"Tỷ lệ hồ sơ đúng hạn đạt {vn_number(100 * ratio, 2)} %"
            elif c.code == "7.3":
                ratio = stats.online[q]
                s.self_cell = band_points(ratio, c.thresholds or "")
                s.explanation = f"Tỷ lệ hồ sơ trực tuyến đạt {vn_number(100 * ratio, 2)} %"
            elif c.rule == YESNO:
                yes = base[c.code] * progress[q] > 0.62
                if c.code == "4.2.2" and commune.successor is None:
                    s.self_cell = "Không áp dụng"
                elif q in (1, 3):
                    s.self_cell = "Có" if yes else "Không"
                else:
                    s.self_cell = c.max_points if yes else 0.0
            else:
                value = round_to(min(c.max_points, c.max_points * base[c.code] * progress[q]))
                value = max(value, previous.get(c.code, 0.0))
                previous[c.code] = value
                s.self_cell = value
                if value < c.max_points and rng.random() < 0.5:
                    s.explanation = rng.choice(SHORTFALLS)
            scores[c.code] = s
        if q == 4:
            manual = [
                c.code
                for c in LEAVES
                if c.rule in (MANUAL, BANDS, RATIO) and not c.survey and c.code not in ("3.4", "3.5", "7.3")
            ]
            picked = rng.sample(manual, 5)
            appraise(scores, {code: rng.choice((0.5, 0.5, 0.75, 1.0)) for code in picked})
            apply_survey(scores, 0.55 + 0.3 * commune.quality, rng)
        result[q] = scores
    return result


SCORE_HEADERS = ("TT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Điểm tự đánh giá", "Điểm thẩm định",
                 "Tài liệu kiểm chứng", "Ghi chú (giải trình)")  # fmt: skip
SCORE_WIDTHS = (7, 62, 10, 12, 12, 40, 36)


def _sum(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(sum(present), 2) if present else None


def score_sheet(
    name: str, quarter: int, authority: str, unit_line: str, scores: dict[str, Score], *,
    total_on_top: bool, colnums: bool, report: str, place_date: str, preparer: str, signer: str,
) -> Sheet:  # fmt: skip
    sheet = Sheet(name, 7, SCORE_WIDTHS)
    title_block(
        sheet,
        [
            "BIỂU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CCHC NĂM 2024",
            f"Kỳ đánh giá: Quý {ROMAN[quarter - 1]}/2024",
            f"Đơn vị: {unit_line}",
            report,
        ],
        authority=authority,
        split=2,
    )
    sheet.add(list(SCORE_HEADERS), "header")
    if colnums:
        column_numbers(sheet)

    def leaf_values(codes: list[str]) -> tuple[float | None, float | None]:
        selfs = [scores[k].self_value(CRITERION[k].max_points) for k in codes]
        apprs = [scores[k].appraised for k in codes]
        return _sum(selfs), _sum(apprs)

    def leaves_under(prefix: str) -> list[str]:
        return [c.code for c in LEAVES if c.code == prefix or c.code.startswith(prefix + ".")]

    all_leaves = [c.code for c in LEAVES]
    total_self, total_appr = leaf_values(all_leaves)
    total_row = [None, "TỔNG ĐIỂM", 100.0, total_self, total_appr, None, None]
    if total_on_top:
        sheet.add(total_row, "total")
    for i, (area, area_name, maximum, _, _) in enumerate(AREAS, start=1):
        a_self, a_appr = leaf_values(leaves_under(str(i)))
        sheet.add([area, area_name, maximum, a_self, a_appr, None, None], "section")
        for c in CRITERIA:
            if c.area != area:
                continue
            if c.rule is None:
                p_self, p_appr = leaf_values(leaves_under(c.code))
                sheet.add([c.code, c.name, c.max_points, p_self, p_appr, None, None], "criterion")
                continue
            s = scores[c.code]
            sheet.add([c.code, c.name, c.max_points, s.self_cell, s.appraised, s.evidence, s.explanation])
    if not total_on_top:
        sheet.add(total_row, "total")
    footer(sheet, place_date, preparer, signer, left=1, right=5)
    return sheet


# 7. Dossiers ----------------------------------------------------------------------------------------------


@dataclass
class Dossier:
    unit: str
    unit_code: str
    kind: str  # office / commune
    procedure: str
    field: str
    received: dt.datetime
    due: dt.datetime
    resolved: dt.datetime | None
    status: str
    channel: str
    apology: str | None
    dossier_id: str = ""
    official: str = ""


WORKDAYS_2024 = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(366)]
WORKDAYS_2024 = [d for d in WORKDAYS_2024 if d.year == YEAR and is_workday(d)]


def _received_at(rng: random.Random) -> tuple[dt.datetime, float]:
    """When a dossier arrives and whether online; the online share grows month by month (25 % -> 55 %)."""
    day = rng.choice(WORKDAYS_2024)
    share = 0.25 + 0.28 * (day.month - 1) / 11
    return dt.datetime(day.year, day.month, day.day), share


def _arrival(rng: random.Random, online_bias: float) -> tuple[dt.datetime, bool]:
    day, share = _received_at(rng)
    online = rng.random() < min(0.95, share * online_bias)
    if online:
        if rng.random() < 0.2:  # portals take dossiers at weekends too
            weekend = day + dt.timedelta(days=5 - day.weekday())
            day = weekend if weekend.month == day.month else day
        minutes = rng.randint(6 * 60, 22 * 60)
    else:
        minutes = rng.choice((rng.randint(7 * 60 + 30, 11 * 60 + 30), rng.randint(13 * 60 + 30, 17 * 60)))
    return day + dt.timedelta(minutes=minutes), online


def _due_at(received: dt.datetime, days: int) -> dt.datetime:
    start = received.date()
    due = add_workdays(start, days)
    minutes = min(max(received.hour * 60 + received.minute, 8 * 60), 17 * 60)
    return dt.datetime(due.year, due.month, due.day, minutes // 60, minutes % 60)


def _office_time(rng: random.Random, a: dt.datetime, b: dt.datetime) -> dt.datetime:
    """A moment between a and b within office hours (07:30-17:00), on a working day when possible."""
    windows = []
    for i in range((b.date() - a.date()).days + 1):
        day = a.date() + dt.timedelta(days=i)
        lo = max(a, dt.datetime.combine(day, dt.time(7, 30)))
        hi = min(b, dt.datetime.combine(day, dt.time(17, 0)))
        if lo <= hi:
            windows.append((lo, hi))
    if not windows:
        return a
    lo, hi = rng.choice([w for w in windows if is_workday(w[0].date())] or windows)
    return lo + dt.timedelta(minutes=rng.randint(0, int((hi - lo).total_seconds() // 60)))


def make_dossier(rng: random.Random, unit: str, unit_code: str, kind: str, procedures, lateness: float,
                 online_bias: float) -> Dossier:  # fmt: skip
    field_, procedure, days, _ = rng.choices(procedures, weights=[p[3] for p in procedures])[0]
    received, online = _arrival(rng, online_bias)
    m = received.month
    due = _due_at(received, days)
    late_p = (0.058 - 0.05 * (m - 1) / 11) * lateness * (1.3 if field_ in (F_DD, F_XD) else 1.0)
    r = rng.random()
    resolved: dt.datetime | None = None
    if r < 0.006:
        status = "Rút không giải quyết"
    elif r < 0.012 or (r < 0.05 and received > dt.datetime(2024, 12, 16)):
        status = "Đang bổ sung"
    elif r < 0.0145 and m <= 11:
        status = "Đang xử lý quá hạn"
    else:
        if rng.random() < late_p:
            status = "Đã giải quyết quá hạn"
            days_late = rng.choice((1, 3, 6, 12, 25))
            resolved = _office_time(rng, due + dt.timedelta(minutes=30), due + dt.timedelta(days=days_late))
        elif rng.random() < 0.68:
            status = "Đã giải quyết trước hạn"
            last = dt.datetime.combine(due.date() - dt.timedelta(days=1), dt.time(17, 0))
            first = received + dt.timedelta(minutes=20)
            resolved = _office_time(rng, first, last) if last > first else first
        else:
            status = "Đã giải quyết đúng hạn"
            first = max(dt.datetime.combine(due.date(), dt.time(7, 0)), received + dt.timedelta(minutes=20))
            resolved = _office_time(rng, first, due)
        if resolved > SNAPSHOT:  # not yet resolved when the export was taken
            resolved = None
            status = "Đang xử lý còn hạn" if due >= SNAPSHOT else "Đang xử lý quá hạn"
    apology = None
    if status in ("Đã giải quyết quá hạn", "Đang xử lý quá hạn"):
        x = rng.random()
        apology = "Có" if x < 0.86 else ("Không" if x < 0.95 else None)
    channel = "Trực tuyến" if online else "Trực tiếp"
    return Dossier(
        unit, unit_code, kind, procedure, field_, received, due, resolved, status, channel, apology
    )


def build_dossiers(rng: random.Random) -> list[Dossier]:
    dossiers: list[Dossier] = []
    for code, name in OFFICES:
        if name not in OFFICE_PROCEDURES:
            continue
        for _ in range(round(OFFICE_VOLUME[name] * VOLUME_SCALE)):
            dossiers.append(
                make_dossier(rng, name, code, "office", OFFICE_PROCEDURES[name], OFFICE_LATENESS[name], 0.95)
            )
    for commune in COMMUNES:
        lateness = max(0.25, 1.0 + 4.0 * (0.86 - commune.quality))
        online_bias = 0.75 + 0.45 * commune.quality
        for _ in range(round(commune.volume * VOLUME_SCALE)):
            dossiers.append(
                make_dossier(
                    rng, commune.name, commune.code, "commune", COMMUNE_PROCEDURES, lateness, online_bias
                )
            )
    dossiers.sort(key=lambda d: (d.received, d.unit_code, d.procedure))
    seq: dict[tuple[str, dt.date], int] = {}
    for d in dossiers:
        key = (d.unit_code, d.received.date())
        seq[key] = seq.get(key, 0) + 1
        d.dossier_id = f"{d.unit_code}-{d.received:%y%m%d}-{seq[key]:04d}"
    handle_dossiers(dossiers)
    return dossiers


STUCK_SINCE = dt.datetime(2024, 11, 1)  # older dossiers still open wait for the applicant (see below)


def handle_dossiers(dossiers: list[Dossier]) -> None:
    """Give every dossier its handling official, and settle the old overdue ones late.

    Uses its own random stream, so the rest of the sample is drawn exactly as before. Each unit has
    two to four officials; one of them (sometimes two) handles most of the unit's late dossiers, so a
    week's late list names a few people, not everyone. A dossier open and overdue for months would sit
    on every weekly list: those received before November are waiting for the applicant's supplement
    instead (the clock stops), and the recent ones stay open and overdue. Resolved dossiers are left
    as they were, so the on-time rates and the self-scores drawn from them do not move.
    """
    hrng = random.Random(SEED * 7 + 10)
    staff: dict[str, tuple[list[str], list[str]]] = {}
    for unit in sorted({d.unit for d in dossiers}):
        people = sorted({person(hrng) for _ in range(hrng.choice((2, 3, 3, 4)))})
        slow = hrng.sample(people, 2 if len(people) >= 4 and hrng.random() < 0.5 else 1)
        staff[unit] = (people, slow)
    for d in dossiers:
        if d.status == "Đang xử lý quá hạn" and d.received < STUCK_SINCE:
            d.status, d.apology = "Đang bổ sung", None
        people, slow = staff[d.unit]
        late = d.status in ("Đã giải quyết quá hạn", "Đang xử lý quá hạn")
        d.official = hrng.choice(slow) if late and hrng.random() < 0.75 else hrng.choice(people)


ON_TIME = ("Đã giải quyết trước hạn", "Đã giải quyết đúng hạn")
RESOLVED = (*ON_TIME, "Đã giải quyết quá hạn")


def dossier_stats(dossiers: list[Dossier]) -> DossierStats:
    on_time, online = {}, {}
    for q, end in QUARTER_END.items():
        limit = dt.datetime.combine(end, dt.time(23, 59))
        received = [d for d in dossiers if d.received <= limit]
        resolved = [
            d for d in received if d.status in RESOLVED and d.resolved is not None and d.resolved <= limit
        ]
        good = sum(d.status in ON_TIME for d in resolved)
        on_time[q] = good / len(resolved) if resolved else 1.0
        online[q] = sum(d.channel == "Trực tuyến" for d in received) / len(received) if received else 0.0
    return DossierStats(on_time, online)


def dossier_sheet(dossiers: list[Dossier]) -> Sheet:
    sheet = Sheet("Ho so TTHC", 12, (7, 20, 26, 50, 22, 17, 17, 17, 22, 12, 12, 22))
    r = sheet.add({0: "DANH SÁCH HỒ SƠ THỦ TỤC HÀNH CHÍNH TIẾP NHẬN NĂM 2024 (TỪ 01/01/2024 ĐẾN 31/12/2024)"},
                  "title")  # fmt: skip
    sheet.merge(r, 0, r, 11)
    r = sheet.add({0: ILLUSTRATIVE}, "note")
    sheet.merge(r, 0, r, 11)
    sheet.blank()
    sheet.add(
        ["STT", "Mã hồ sơ", "Đơn vị", "Tên TTHC", "Lĩnh vực", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày trả kết quả",
         "Trạng thái", "Hình thức nộp", "Đã xin lỗi (Mẫu 04)", "Cán bộ thụ lý"],
        "header",
    )  # fmt: skip
    for i, d in enumerate(dossiers, start=1):
        sheet.add(
            [i, d.dossier_id, d.unit, d.procedure, d.field, d.received, d.due, d.resolved, d.status, d.channel,
             d.apology, d.official],
            "plain",
        )  # fmt: skip
    return sheet


# Main -----------------------------------------------------------------------------------------------------


def main(out_dir: Path | None = None) -> list[Path]:
    """Write every sample file into out_dir (default: data/sample next to this script); return the paths."""
    out = Path(out_dir) if out_dir is not None else SAMPLE_DIR
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    paths: list[Path] = []

    def target(name: str) -> Path:
        path = out / name
        paths.append(path)
        return path

    write_xlsx(target("don_vi.xlsx"), [units_sheet()])
    write_xlsx(target("bo_tieu_chi_2024.xlsx"), [framework_sheet()])

    tasks = build_tasks(rng)
    write_xls(target("phu_luc_nhiem_vu_2024.xls"), [plan_sheet(tasks)])
    write_xlsx(target("tien_do_nhiem_vu_2024_Q1.xlsx"), [progress_sheet(tasks, 1, rng)])
    write_ods(target("tien_do_nhiem_vu_2024_Q2.ods"), [progress_sheet(tasks, 2, rng)])
    write_csv(target("tien_do_nhiem_vu_2024_Q3.csv"), progress_sheet(tasks, 3, rng, csv_style=True))
    write_xlsx(target("tien_do_nhiem_vu_2024_Q4.xlsx"), [progress_sheet(tasks, 4, rng)])

    dossiers = build_dossiers(rng)
    office_stats = dossier_stats([d for d in dossiers if d.kind == "office"])
    all_commune_stats = dossier_stats([d for d in dossiers if d.kind == "commune"])
    district = district_scores(tasks, office_stats, all_commune_stats, rng)
    for q in (1, 2, 3, 4):
        number, day = REPORTS[q]
        sheet = score_sheet(
            f"Quy {ROMAN[q - 1]}", q, DISTRICT_AUTHORITY, "UBND huyện Ba Tơ", district[q],
            total_on_top=q in (1, 2), colnums=q in (1, 2),
            report=f"(Kèm theo Báo cáo số {number} ngày {day:%d/%m/%Y} của UBND huyện Ba Tơ)",
            place_date=vn_date_line("Ba Tơ", day), preparer=PREPARERS[2], signer=DISTRICT_SIGNER,
        )  # fmt: skip
        write_xlsx(target(f"tu_danh_gia_huyen_2024_Q{q}.xlsx"), [sheet])

    signers = {c.code: (person(rng), person(rng)) for c in COMMUNES}
    per_commune = {}
    for commune in COMMUNES:
        stats = dossier_stats([d for d in dossiers if d.unit == commune.name])
        per_commune[commune.code] = commune_scores(commune, stats, rng)
    for q in (1, 2, 3, 4):
        _, day = REPORTS[q]
        day = min(day, dt.date(2024, 12, 31)) if q < 4 else dt.date(2025, 1, 3)
        sheets = []
        for commune in COMMUNES:
            preparer, signer = signers[commune.code]
            sheets.append(
                score_sheet(
                    commune.sheet, q, f"ỦY BAN NHÂN DÂN {commune.authority[5:].upper()}", commune.authority,
                    per_commune[commune.code][q], total_on_top=False, colnums=False,
                    report=f"(Kèm theo Báo cáo kết quả tự đánh giá quý {ROMAN[q - 1]} của {commune.authority})",
                    place_date=vn_date_line(commune.short, day - dt.timedelta(days=1)),
                    preparer=preparer, signer=signer,
                )
            )  # fmt: skip
        write_xlsx(target(f"tu_danh_gia_xa_2024_Q{q}.xlsx"), sheets)

    write_xlsx(target("ho_so_tthc_2024.xlsx"), [dossier_sheet(dossiers)])
    paths.extend(write_after_merger(out))  # 2025 and the published results: own seed, 2024 unchanged
    return paths


# 8. After the merger: 2025 (district until 30/6, then 8 communes) and the published results -------------------
#
# Its own random stream, so the 2024 files above stay byte-for-byte the same.

SEED_2025 = SEED + 2025
PROVINCE_DEPARTMENT = "SỞ NỘI VỤ TỈNH QUẢNG NGÃI"
MERGER_DAY = dt.date(2025, 7, 1)

# An illustrative commune framework for 2025 (not an official set): (area, name, maximum) and leaves
# (code, name, max, rule, metric, thresholds, survey).
COMMUNE_AREAS_2025 = (
    ("I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", 10.0),
    ("II", "CẢI CÁCH THỂ CHẾ", 8.0),
    ("III", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", 20.0),
    ("IV", "CẢI CÁCH TỔ CHỨC BỘ MÁY HÀNH CHÍNH NHÀ NƯỚC", 8.0),
    ("V", "CẢI CÁCH CHẾ ĐỘ CÔNG VỤ", 10.0),
    ("VI", "CẢI CÁCH TÀI CHÍNH CÔNG", 6.0),
    ("VII", "XÂY DỰNG VÀ PHÁT TRIỂN CHÍNH QUYỀN ĐIỆN TỬ, CHÍNH QUYỀN SỐ", 13.0),
    ("VIII", "TÁC ĐỘNG CỦA CCHC ĐẾN NGƯỜI DÂN, TỔ CHỨC VÀ PHÁT TRIỂN KINH TẾ - XÃ HỘI", 25.0),
)
COMMUNE_LEAVES_2025 = (
    ("1.1", "Ban hành kế hoạch CCHC năm 2025 của xã", 1.0, YESNO, M_TASKS, None, False),
    ("1.2", "Mức độ hoàn thành kế hoạch CCHC của xã", 3.0, BANDS, M_PLAN, "100%: 3; 80%: 1.5; 0%: 0", False),
    ("1.3", "Báo cáo CCHC định kỳ đầy đủ, đúng hạn", 2.0, DEDUCT, M_LATE, "0.25", False),
    ("1.4", "Tuyên truyền cải cách hành chính", 2.0, MANUAL, None, None, False),
    ("1.5", "Điều tra xã hội học: chỉ đạo, điều hành CCHC", 2.0, MANUAL, None, None, True),
    ("2.1", "Ban hành văn bản QPPL của HĐND, UBND xã đúng quy định", 3.0, MANUAL, None, None, False),
    ("2.2", "Tổ chức thi hành pháp luật trên địa bàn xã", 3.0, MANUAL, None, None, False),
    ("2.3", "Điều tra xã hội học: cải cách thể chế", 2.0, MANUAL, None, None, True),
    ("3.1", "Công khai thủ tục hành chính tại Bộ phận Một cửa và trên Cổng", 3.0, MANUAL, None, None, False),
    ("3.2", "Giải quyết hồ sơ TTHC đúng hạn", 5.0, MANUAL, None, None, False),
    ("3.3", "Số hóa hồ sơ, kết quả giải quyết TTHC", 4.0, MANUAL, None, None, False),
    ("3.4", "Xin lỗi khi trễ hạn (Mẫu 04)", 3.0, MANUAL, None, None, False),
    ("3.5", "Điều tra xã hội học: cải cách TTHC", 5.0, MANUAL, None, None, True),
    ("4.1", "Sắp xếp tổ chức bộ máy sau hợp nhất", 3.0, MANUAL, None, None, False),
    ("4.2", "Thực hiện phân cấp, ủy quyền", 3.0, MANUAL, None, None, False),
    ("4.3", "Điều tra xã hội học: tổ chức bộ máy", 2.0, MANUAL, None, None, True),
    ("5.1", "Bố trí cán bộ, công chức theo vị trí việc làm", 4.0, MANUAL, None, None, False),
    ("5.2", "Đào tạo, bồi dưỡng công chức cấp xã", 4.0, MANUAL, None, None, False),
    ("5.3", "Điều tra xã hội học: chế độ công vụ", 2.0, MANUAL, None, None, True),
    ("6.1", "Quản lý, sử dụng ngân sách xã đúng quy định", 3.0, MANUAL, None, None, False),
    ("6.2", "Quản lý tài sản công sau hợp nhất", 2.0, MANUAL, None, None, False),
    ("6.3", "Điều tra xã hội học: tài chính công", 1.0, MANUAL, None, None, True),
    ("7.1", "Ban hành kế hoạch chuyển đổi số năm 2025 của xã", 1.0, YESNO, M_TASKS, None, False),
    ("7.2", "Tỷ lệ hồ sơ TTHC nộp trực tuyến", 5.0, MANUAL, None, None, False),
    ("7.3", "Sử dụng phần mềm quản lý văn bản, chữ ký số", 5.0, MANUAL, None, None, False),
    ("7.4", "Điều tra xã hội học: chính quyền số", 2.0, MANUAL, None, None, True),
    ("8.1", "Thực hiện chỉ tiêu phát triển kinh tế - xã hội của xã", 5.0, MANUAL, None, None, False),
    ("8.2", "Thực hiện chỉ tiêu giảm nghèo", 5.0, MANUAL, None, None, False),
    ("8.3", "Điều tra xã hội học: sự hài lòng của người dân, tổ chức", 15.0, MANUAL, None, None, True),
)

# The district's own tasks for the first half of 2025 (its last plan), then each new commune's plan.
DISTRICT_TASKS_2025 = (
    ("I", "Ban hành Kế hoạch cải cách hành chính năm 2025 của huyện", NV, "Tháng 1/2025"),
    ("I", "Báo cáo kết quả thực hiện công tác cải cách hành chính quý I năm 2025", NV, dt.date(2025, 3, 15)),
    ("I", "Báo cáo kết quả cải cách hành chính 6 tháng đầu năm 2025", NV, dt.date(2025, 6, 15)),
    ("I", "Tổng kết công tác cải cách hành chính cấp huyện trước khi kết thúc hoạt động", NV, "Tháng 6/2025"),
    ("II", "Rà soát văn bản quy phạm pháp luật do HĐND, UBND huyện ban hành còn hiệu lực", TP, "Quý II/2025"),
    ("II", "Ban hành Kế hoạch phổ biến, giáo dục pháp luật năm 2025", TP, "Quý I/2025"),
    ("III", "Ban hành Kế hoạch rà soát, đánh giá thủ tục hành chính năm 2025", VP, "Quý I/2025"),
    ("III", "Chuyển giao hồ sơ TTHC đang giải quyết cho UBND các xã mới", VP, dt.date(2025, 6, 30)),
    ("III", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn tồn", VP, "Quý II/2025"),
    ("IV", "Xây dựng phương án sắp xếp đơn vị hành chính cấp xã", NV, "Tháng 4/2025"),
    ("IV", "Bàn giao tổ chức, biên chế cho UBND các xã mới", NV, dt.date(2025, 6, 30)),
    ("V", "Rà soát, sắp xếp đội ngũ cán bộ, công chức cấp huyện, cấp xã", NV, "Quý II/2025"),
    ("V", "Thực hiện chính sách đối với cán bộ, công chức dôi dư", NV, "Quý II/2025"),
    ("VI", "Kiểm kê, bàn giao tài sản công cho các xã mới", TCKH, dt.date(2025, 6, 30)),
    ("VI", "Quyết toán ngân sách huyện đến 30/6/2025", TCKH, "Quý II/2025"),
    (
        "VII",
        "Chuyển đổi tài khoản, dữ liệu trên Hệ thống quản lý văn bản cho các xã mới",
        VHTT,
        "Tháng 6/2025",
    ),
    ("VII", "Triển khai Đề án 06 về dữ liệu dân cư năm 2025", VP, "Quý I/2025"),
    ("VIII", "Đánh giá chỉ tiêu giảm nghèo 6 tháng đầu năm 2025", LD, "Quý II/2025"),
)
COMMUNE_PLAN_2025 = (
    ("I", "Ban hành Kế hoạch cải cách hành chính năm 2025 (6 tháng cuối năm) của xã", "Tháng 7/2025", "1.1"),
    ("I", "Báo cáo kết quả cải cách hành chính quý III năm 2025", dt.date(2025, 9, 15), "1.3"),
    ("I", "Báo cáo kết quả cải cách hành chính năm 2025", dt.date(2025, 12, 15), "1.3"),
    ("II", "Rà soát văn bản quy phạm pháp luật của HĐND, UBND các xã cũ", "Quý IV/2025", None),
    ("III", "Kiện toàn Bộ phận Một cửa của xã", "Quý III/2025", None),
    ("III", "Công khai thủ tục hành chính tại Bộ phận Một cửa và trên Cổng thông tin", "Quý III/2025", None),
    ("IV", "Ban hành quy chế làm việc của UBND xã", "Tháng 8/2025", None),
    ("V", "Bố trí cán bộ, công chức theo vị trí việc làm", "Quý IV/2025", None),
    ("VII", "Ban hành Kế hoạch chuyển đổi số năm 2025 của xã", "Tháng 8/2025", "7.1"),
    ("VII", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "Thường xuyên", None),
)
BA_XA = ("21538", "Xã Ba Xa")

# Published results (illustrative): the province's ranking of its districts, then of its communes.
QUANG_NGAI_DISTRICTS = (
    "Thành phố Quảng Ngãi", "Thị xã Đức Phổ", "Huyện Bình Sơn", "Huyện Sơn Tịnh", "Huyện Tư Nghĩa",
    "Huyện Nghĩa Hành", "Huyện Mộ Đức", "Huyện Ba Tơ", "Huyện Minh Long", "Huyện Sơn Hà", "Huyện Sơn Tây",
    "Huyện Trà Bồng", "Huyện Lý Sơn",
)  # fmt: skip
BA_TO_PUBLISHED = {2022: 82.41, 2023: 84.35, 2024: 86.12}


def communes_2025() -> list[tuple[str, str, float]]:
    """The 8 communes from 1/7/2025 (code, name, quality = mean of the old units they absorbed)."""
    out = []
    for code, name in (*NEW_COMMUNES, BA_XA):
        olds = [c for c in COMMUNES if c.successor == code or (c.code == code and c.successor is None)]
        out.append((code, name, round(sum(c.quality for c in olds) / len(olds), 3)))
    return out


def commune_framework_sheet_2025() -> Sheet:
    titles = [
        "BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CẤP XÃ NĂM 2025",
        "(Áp dụng cho UBND các xã, phường từ ngày 01/7/2025)",
    ]
    sheet = framework_head("Bo tieu chi xa 2025", titles, authority=PROVINCE_DEPARTMENT)
    for area, name, maximum in COMMUNE_AREAS_2025:
        sheet.add([area, name, maximum], "section")
        number = str(ROMAN.index(area) + 1)
        for code, cname, cmax, rule, metric, thresholds, survey in COMMUNE_LEAVES_2025:
            if code.split(".")[0] == number:
                kind = SURVEY if survey else ASSESSED
                sheet.add([code, cname, cmax, kind, rule, metric, thresholds, None])
    sheet.add([None, "TỔNG CỘNG", sum(a[2] for a in COMMUNE_AREAS_2025)], "total")
    footer(sheet, vn_date_line("Quảng Ngãi", dt.date(2025, 7, 10)), PREPARERS[1], "Nguyễn Văn Bình")
    return sheet


def tasks_2025(rng: random.Random) -> list[tuple[Any, ...]]:
    """(area, title, lead, co, deadline, status, completed, criterion) for 2025, seeded."""
    rows = []
    for area, title, lead, deadline in DISTRICT_TASKS_2025:
        due = _due_2025(deadline)
        roll = rng.random()
        if roll < 0.78:
            done = random_date(rng, due - dt.timedelta(days=40), due - dt.timedelta(days=1))
        elif roll < 0.92:
            done = random_date(rng, due + dt.timedelta(days=3), due + dt.timedelta(days=25))
        else:
            done = None  # left open when the district ended
        rows.append((area, title, lead, None, deadline, done, None))
    for _, name, quality in communes_2025():
        for area, title, deadline, criterion in COMMUNE_PLAN_2025:
            due = _due_2025(deadline)
            roll = rng.random()
            if roll < quality - 0.08:
                done = random_date(
                    rng, max(MERGER_DAY, due - dt.timedelta(days=45)), due - dt.timedelta(days=1)
                )
            elif roll < quality + 0.06:
                done = min(due + dt.timedelta(days=rng.randint(3, 30)), dt.date(2025, 12, 30))
            else:
                done = None
            rows.append((area, title, name, "Văn phòng HĐND và UBND xã", deadline, done, criterion))
    return rows


def _due_2025(deadline: str | dt.date) -> dt.date:
    if isinstance(deadline, dt.date):
        return deadline
    if deadline == "Thường xuyên":
        return dt.date(2025, 12, 31)
    number = deadline.split()[1].split("/")[0]
    if deadline.startswith("Tháng"):
        return month_end(2025, int(number))
    return QUARTER_END_2025[ROMAN.index(number) + 1]


QUARTER_END_2025 = {q: d.replace(year=2025) for q, d in QUARTER_END.items()}


def progress_sheet_2025(rows: list[tuple[Any, ...]]) -> Sheet:
    sheet = Sheet("Nam 2025", 9, (6, 58, 26, 26, 16, 22, 14, 10, 24))
    title_block(
        sheet,
        [
            "BÁO CÁO TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2025",
            "Tình hình thực hiện đến hết Quý IV/2025",
            "(Nhiệm vụ của UBND huyện Ba Tơ đến 30/6/2025; kế hoạch của 8 xã từ 01/7/2025)",
        ],
        authority=PROVINCE_DEPARTMENT,
        split=3,
    )
    sheet.add([*TASK_HEADERS, "Tình trạng", "Ngày hoàn thành", "Mã tiêu chí", "Ghi chú"], "header")
    number = 0
    for area in ROMAN:
        part = [r for r in rows if r[0] == area]
        if not part:
            continue
        sheet.add([area, AREA_NAME[area]], "section")
        for _, title, lead, co, deadline, done, criterion in part:
            number += 1
            due = _due_2025(deadline)
            if done is None:
                status = STATUS_RUNNING
            else:
                status = STATUS_LATE if done > due else STATUS_ON_TIME
            note = (
                "Chưa hoàn thành khi kết thúc hoạt động cấp huyện"
                if done is None and due < MERGER_DAY
                else None
            )
            sheet.add([number, title, lead, co, deadline, status, done, criterion, note])
    footer(sheet, vn_date_line("Quảng Ngãi", dt.date(2026, 1, 5)), PREPARERS[3], "Nguyễn Văn Bình")
    return sheet


def commune_score_sheet_2025(name: str, quality: float, quarter: int, rng: random.Random) -> Sheet:
    short = name.split(" ", 1)[1]
    sheet = Sheet(short, 7, SCORE_WIDTHS)
    title_block(
        sheet,
        [
            "BIỂU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CCHC NĂM 2025",
            f"Kỳ đánh giá: Quý {ROMAN[quarter - 1]}/2025",
            f"Đơn vị: UBND xã {short}",
        ],
        authority=f"ỦY BAN NHÂN DÂN XÃ {short.upper()}",
        split=2,
    )
    sheet.add(list(SCORE_HEADERS), "header")
    leaves = []
    for code, cname, cmax, rule, _, _, survey in COMMUNE_LEAVES_2025:
        if survey and quarter < 4:
            value = None  # the survey arrives at year end
        elif rule == YESNO:
            value = "Có" if rng.random() < quality + 0.05 else "Không"
        else:
            value = round_to(min(cmax, cmax * (quality + rng.uniform(-0.08, 0.06))))
        leaves.append((code, cname, cmax, value))
    total = sum(
        v if isinstance(v, float) else (m if v == "Có" else 0.0) for _, _, m, v in leaves if v is not None
    )
    for area, aname, amax in COMMUNE_AREAS_2025:
        number = str(ROMAN.index(area) + 1)
        sheet.add([area, aname, amax], "section")
        for code, cname, cmax, value in leaves:
            if code.split(".")[0] == number:
                sheet.add([code, cname, cmax, value, None, None, None])
    sheet.add([None, "TỔNG ĐIỂM", 100.0, round(total, 2), None, None, None], "total")
    footer(sheet, vn_date_line(short, QUARTER_END_2025[quarter]), person(rng), person(rng), left=1, right=5)
    return sheet


def results_sheet(year: int, rng: random.Random) -> Sheet:
    """The province's published ranking for a year: districts until 2024, the new communes for 2025."""
    if year <= 2024:
        units = [(u, BA_TO_PUBLISHED[year] if u == "Huyện Ba Tơ" else round(rng.uniform(80, 93), 2))
                 for u in QUANG_NGAI_DISTRICTS]  # fmt: skip
        group, whom = "Cấp huyện", "CÁC HUYỆN, THỊ XÃ, THÀNH PHỐ"
    else:
        units = [
            (name, round(min(97.0, 100 * quality + rng.uniform(-4, 3)), 2))
            for _, name, quality in communes_2025()
        ]
        group, whom = "Cấp xã", "CÁC XÃ THUỘC KHU VỰC BA TƠ (CŨ)"
    ranked = sorted(units, key=lambda u: -u[1])
    sheet = Sheet(f"Nam {year}", 6, (8, 34, 14, 14, 14, 14))
    title_block(
        sheet,
        [f"KẾT QUẢ CÔNG BỐ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year} CỦA {whom}"],
        authority="ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI",
        split=2,
    )
    sheet.add(["Xếp hạng", "Đơn vị được xếp hạng", "Điểm đạt được", "Điểm tối đa áp dụng", "Chỉ số CCHC (%)",
               "Khối xếp hạng"], "header")  # fmt: skip
    for rank, (unit, percent) in enumerate(ranked, start=1):
        maximum = 100.0
        sheet.add([rank, unit, round(percent * maximum / 100, 2), maximum, percent, group])
    footer(sheet, vn_date_line("Quảng Ngãi", dt.date(year + 1, 3, 20)), PREPARERS[1], "Nguyễn Văn Bình")
    return sheet


def write_after_merger(out: Path) -> list[Path]:
    """The 2025 files (framework, tasks, commune self-scores) and the published results."""
    rng = random.Random(SEED_2025)
    paths = [out / "bo_tieu_chi_2025.xlsx", out / "tien_do_nhiem_vu_2025_Q4.xlsx"]
    write_xlsx(paths[0], [commune_framework_sheet_2025()])
    write_xlsx(paths[1], [progress_sheet_2025(tasks_2025(rng))])
    for q in (3, 4):
        sheets = [commune_score_sheet_2025(name, quality, q, rng) for _, name, quality in communes_2025()]
        paths.append(out / f"tu_danh_gia_xa_2025_Q{q}.xlsx")
        write_xlsx(paths[-1], sheets)
    paths.append(out / "ket_qua_cong_bo_chi_so_cchc.xlsx")
    write_xlsx(paths[-1], [results_sheet(y, rng) for y in (2022, 2023, 2024, 2025)])
    return paths


if __name__ == "__main__":
    written = main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    for p in written:
        print(p)
