"""Seeded generator of benchmark data sets, in the messy shape offices really send.

Scales:
- district: one district like the bundled sample (13 offices, 19 communes and town, 93 tasks, 30,000 dossiers);
- province: a merged province (16 departments, 84 communes and wards, 2,000 tasks, 1,000,000 dossiers);
- stress: the province with 5,000,000 dossier rows in one CSV.
Plus the ingestion files: a 200,000-row dossier .xlsx with title rows, a merged two-level header, a row of
column numbers and a signature footer, and a 1,000,000-row dossier CSV.

Every file is written by a seeded generator, so the same seed gives the same bytes-for-content. The data
is illustrative, not official. `python -m benchmarks.generate --scale province` writes one scale.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import time
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import xlsxwriter

HERE = Path(__file__).resolve().parent
DATA_DIR = HERE / "data"
YEAR = 2024
GENERATOR_VERSION = 4  # bump when the content changes, so cached files are rebuilt

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Scale:
    name: str
    top_name: str  # the district or province itself
    top_kind: str
    offices: int
    communes: int
    tasks: int
    dossiers: int


SCALES = {
    "district": Scale("district", "Huyện Ba Tơ", "district", 13, 19, 93, 30_000),
    "province": Scale("province", "Tỉnh Quảng Ngãi", "province", 16, 84, 2_000, 1_000_000),
    "stress": Scale("stress", "Tỉnh Quảng Ngãi", "province", 16, 84, 2_000, 5_000_000),
}

DISTRICT_OFFICES = [
    "Văn phòng HĐND và UBND", "Phòng Nội vụ", "Phòng Tư pháp", "Phòng Tài chính – Kế hoạch",
    "Phòng Tài nguyên và Môi trường", "Phòng Lao động – Thương binh và Xã hội", "Phòng Văn hóa và Thông tin",
    "Phòng Giáo dục và Đào tạo", "Phòng Y tế", "Phòng Kinh tế và Hạ tầng",
    "Phòng Nông nghiệp và Phát triển nông thôn", "Phòng Dân tộc", "Thanh tra huyện",
]  # fmt: skip
PROVINCE_OFFICES = [
    "Văn phòng UBND tỉnh", "Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính", "Sở Kế hoạch và Đầu tư",
    "Sở Tài nguyên và Môi trường", "Sở Lao động – Thương binh và Xã hội", "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Xây dựng", "Sở Nông nghiệp và Phát triển nông thôn",
    "Ban Dân tộc", "Thanh tra tỉnh", "Sở Thông tin và Truyền thông", "Sở Công Thương",
]  # fmt: skip
# Ba Tơ's communes: the town Ba Tơ and the commune Ba Tô are different units (accents matter).
DISTRICT_COMMUNES = [
    "Ba Điền", "Ba Vinh", "Ba Thành", "Ba Động", "Ba Dinh", "Ba Giang", "Ba Liên", "Ba Ngạc", "Ba Khâm",
    "Ba Cung", "Ba Chùa", "Ba Tiêu", "Ba Trang", "Ba Tô", "Ba Vì", "Ba Lế", "Ba Nam", "Ba Xa",
]  # fmt: skip
SYLLABLES_A = [
    "Nghĩa", "Tịnh", "Bình", "Đức", "Phổ", "Sơn", "Trà", "Minh", "Hành", "Long", "Thanh", "Hòa", "An",
    "Phước", "Quang", "Đông",
]  # fmt: skip
SYLLABLES_B = [
    "Kỳ", "Hiệp", "Thuận", "Phong", "Lợi", "Tân", "Hải", "Mỹ", "Châu", "Trung", "Nhơn", "Xuân", "Lâm",
    "Hưng", "Thịnh", "Điền", "Khánh",
]  # fmt: skip

AREAS = [
    ("I", "Công tác chỉ đạo, điều hành cải cách hành chính", 8, 2),
    ("II", "Cải cách thể chế", 6, 2),
    ("III", "Cải cách thủ tục hành chính", 13, 4),
    ("IV", "Cải cách tổ chức bộ máy hành chính nhà nước", 6, 2),
    ("V", "Cải cách chế độ công vụ", 8, 2),
    ("VI", "Cải cách tài chính công", 6, 1),
    ("VII", "Xây dựng và phát triển chính quyền điện tử, chính quyền số", 13, 2),
    (
        "VIII",
        "Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh tế – xã hội",
        10,
        15,
    ),
]
# Leaves of the illustrative framework: (code, name, max, rule, metric, thresholds, office index).
# Per area, assessed maxima add up to the area's assessed points; a survey leaf closes every area.
LEAVES = [
    ("1.1.1", "Ban hành kế hoạch CCHC năm đúng thời hạn", 0.5, "Có/Không", "Hoàn thành nhiệm vụ tiêu chí", "", 1),
    ("1.1.2", "Mức độ hoàn thành kế hoạch CCHC năm", 2.0, "Bậc", "Hoàn thành kế hoạch", "100%: 2; 80%: 1; 0%: 0", 1),
    ("1.2", "Báo cáo CCHC định kỳ đầy đủ, đúng hạn", 1.0, "Trừ điểm", "Báo cáo trễ", "0,25", 1),
    ("1.3", "Kiểm tra công tác CCHC", 1.5, "Nhập tay", "", "", 1),
    ("1.4", "Tuyên truyền cải cách hành chính", 1.5, "Bậc", "Hoàn thành nhiệm vụ tiêu chí", "100%: 1,5; 80%: 0,75; 0%: 0", 6),
    ("1.5", "Thực hiện nhiệm vụ cấp trên giao", 1.5, "Bậc", "Hoàn thành nhiệm vụ tiêu chí", "100%: 1,5; 80%: 0,75; 0%: 0", 0),
    ("2.1", "Xây dựng và ban hành văn bản quy phạm pháp luật", 2.0, "Bậc", "Hoàn thành nhiệm vụ tiêu chí", "100%: 2; 80%: 1; 0%: 0", 2),
    ("2.2", "Rà soát, hệ thống hóa văn bản", 2.0, "Có/Không", "Hoàn thành nhiệm vụ tiêu chí", "", 2),
    ("2.3", "Kiểm tra, xử lý văn bản", 2.0, "Nhập tay", "", "", 2),
    ("3.1", "Công bố, công khai thủ tục hành chính", 2.0, "Có/Không", "Hoàn thành nhiệm vụ tiêu chí", "", 0),
    ("3.2", "Rà soát, đơn giản hóa thủ tục hành chính", 1.5, "Bậc", "Hoàn thành nhiệm vụ tiêu chí", "100%: 1,5; 80%: 0,75; 0%: 0", 0),
    ("3.3", "Hồ sơ cấp huyện giải quyết đúng hạn", 3.0, "Bậc", "Hồ sơ đúng hạn cấp huyện", "100%: 3; 98%: 2; 95%: 1; 0%: 0; xin lỗi: 0,5", 0),
    ("3.4", "Hồ sơ cấp xã giải quyết đúng hạn", 2.0, "Bậc", "Hồ sơ đúng hạn cấp xã", "100%: 2; 98%: 1,5; 95%: 1; 0%: 0", 0),
    ("3.5", "Số hóa hồ sơ, kết quả giải quyết TTHC", 1.5, "Tỷ lệ", "Hồ sơ trực tuyến", "", 0),
    ("3.6", "Hồ sơ giải quyết quá hạn", 3.0, "Trừ điểm", "Hồ sơ đúng hạn", "0,01", 0),
    ("4.1", "Sắp xếp tổ chức bộ máy", 3.0, "Bậc", "Hoàn thành nhiệm vụ tiêu chí", "100%: 3; 80%: 1,5; 0%: 0", 1),
    ("4.2", "Thực hiện quy định về phân cấp", 3.0, "Nhập tay", "", "", 1),
    ("5.1", "Xác định vị trí việc làm", 2.0, "Có/Không", "Hoàn thành nhiệm vụ tiêu chí", "", 1),
    ("5.2", "Tuyển dụng, sử dụng công chức", 2.0, "Nhập tay", "", "", 1),
    ("5.3", "Đánh giá, xếp loại công chức", 3.0, "Bậc", "Hoàn thành nhiệm vụ tiêu chí", "100%: 3; 80%: 1,5; 0%: 0", 1),
    ("5.4", "Hoàn thành kế hoạch đào tạo, bồi dưỡng", 1.0, "Bậc", "Hoàn thành nhiệm vụ tiêu chí", "100%: 1; 80%: 0,5; 0%: 0", 1),
    ("6.1", "Thực hiện cơ chế tự chủ tài chính", 3.0, "Nhập tay", "", "", 3),
    ("6.2", "Giải ngân vốn đầu tư công", 3.0, "Bậc", "Hoàn thành nhiệm vụ tiêu chí", "100%: 3; 80%: 1,5; 0%: 0", 3),
    ("7.1", "Ứng dụng công nghệ thông tin trong chỉ đạo, điều hành", 4.0, "Bậc", "Hoàn thành nhiệm vụ tiêu chí", "100%: 4; 80%: 2; 0%: 0", 6),
    ("7.2", "Gửi nhận văn bản điện tử", 3.0, "Nhập tay", "", "", 0),
    ("7.3", "Hồ sơ nộp trực tuyến", 3.0, "Bậc", "Hồ sơ trực tuyến", "50%: 3; 30%: 1,5; 0%: 0", 0),
    ("7.4", "Dịch vụ công trực tuyến toàn trình", 3.0, "Tỷ lệ", "Hồ sơ trực tuyến", "", 0),
    ("8.1", "Chỉ số phục vụ người dân, doanh nghiệp", 3.0, "Bậc", "Hồ sơ đúng hạn", "100%: 3; 95%: 2; 90%: 1; 0%: 0", 0),
    ("8.2", "Thu hút đầu tư, phát triển kinh tế – xã hội", 7.0, "Nhập tay", "", "", 4),
]  # fmt: skip


def office_names(scale: Scale) -> list[str]:
    base = DISTRICT_OFFICES if scale.top_kind == "district" else PROVINCE_OFFICES
    return base[: scale.offices]


def commune_names(scale: Scale, rng: random.Random) -> list[str]:
    """Commune and town names; the district keeps Ba Tơ's real list, the province gets generated ones."""
    if scale.top_kind == "district":
        return ["Thị trấn Ba Tơ"] + [f"Xã {n}" for n in DISTRICT_COMMUNES[: scale.communes - 1]]
    names: list[str] = []
    pairs = [(a, b) for a in SYLLABLES_A for b in SYLLABLES_B]
    rng.shuffle(pairs)
    for k, (a, b) in enumerate(pairs[: scale.communes]):
        kind = "Phường" if k % 12 == 0 else "Xã"
        names.append(f"{kind} {a} {b}")
    return names


def _commune_kind(name: str) -> str:
    return "Thị trấn" if name.startswith("Thị trấn") else "Xã"


# Workbook helpers ---------------------------------------------------------------------------------


def _formats(wb) -> dict:
    return {
        "bold": wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True}),
        "date": wb.add_format({"num_format": "dd/mm/yyyy"}),
        "datetime": wb.add_format({"num_format": "dd/mm/yyyy hh:mm"}),
    }


def _title(ws, f, top: str, last_col: int, lines: list[str]) -> int:
    """The national motto block and the title lines; returns the next free row (0-based)."""
    half = max(1, last_col // 2)
    ws.merge_range(0, 0, 0, half - 1, f"ỦY BAN NHÂN DÂN {top.upper()}", f["bold"])
    ws.merge_range(0, half, 0, last_col, NATION, f["bold"])
    ws.merge_range(1, half, 1, last_col, MOTTO, f["bold"])
    row = 3
    for line in lines:
        ws.merge_range(row, 0, row, last_col, line, f["bold"])
        row += 1
    return row


def _footer(ws, row: int, place: str) -> None:
    ws.write(row + 1, 4, f"{place}, ngày 05 tháng 01 năm {YEAR + 1}")
    ws.write(row + 2, 0, "Nơi nhận:")
    ws.write(row + 2, 4, "KT. CHỦ TỊCH")
    ws.write(row + 3, 0, "- Lưu: VT.")
    ws.write(row + 3, 4, "PHÓ CHỦ TỊCH")


def _date_format(value: object, f: dict):
    """The cell format a value needs: date-times and dates get theirs, anything else none."""
    if isinstance(value, datetime):
        return f["datetime"]
    return f["date"] if isinstance(value, date) else None


def _write_row(ws, r: int, values: list, f: dict) -> None:
    """One row from column A; empty cells (None or "") are left unwritten."""
    for c, v in enumerate(values):
        if v is not None and v != "":
            ws.write(r, c, v, _date_format(v, f))


def _open_table(path: Path, sheet: str, top: str, lines: list[str], header: list[str], numbered: bool = True):
    """A workbook of one sheet: the motto block and title lines, the header row and, when `numbered`, a row of
    column numbers «(1)», «(2)» …; returns the workbook, the sheet, the formats and the first free row."""
    wb = xlsxwriter.Workbook(str(path))
    f = _formats(wb)
    ws = wb.add_worksheet(sheet)
    row = _title(ws, f, top, len(header) - 1, lines)
    _write_row(ws, row, header, f)
    if numbered:
        _write_row(ws, row + 1, [f"({i})" for i in range(1, len(header) + 1)], f)
    return wb, ws, f, row + (2 if numbered else 1)


# Units, framework, tasks, scores --------------------------------------------------------------------


def write_units(path: Path, scale: Scale, offices: list[str], communes: list[str]) -> None:
    place = scale.top_name.split(" ", 1)[1]
    header = ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Đơn vị cấp trên", "Hiệu lực từ", "Hiệu lực đến",
              "Sáp nhập vào"]  # fmt: skip
    title = [f"DANH MỤC ĐƠN VỊ HÀNH CHÍNH {place.upper()} NĂM {YEAR}"]
    wb, ws, f, row = _open_table(path, "Đơn vị", scale.top_name, title, header, numbered=False)
    _write_row(ws, row, ["TOP", scale.top_name, "Huyện" if scale.top_kind == "district" else "Tỉnh"], f)
    row += 1
    for k, name in enumerate(offices):
        _write_row(ws, row, [f"PB{k + 1:02d}", name, "Phòng ban", "TOP", date(2020, 1, 1)], f)
        row += 1
    for k, name in enumerate(communes):
        _write_row(ws, row, [f"X{k + 1:03d}", name, _commune_kind(name), "TOP", date(2020, 1, 1)], f)
        row += 1
    _footer(ws, row, place)
    wb.close()


def framework_rows(offices: list[str]) -> list[dict]:
    """Areas, criteria (parents of sub-criteria) and leaves, with rules and responsible units."""
    rows: list[dict] = []
    for numeral, name, assessed, survey in AREAS:
        k = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"].index(numeral) + 1
        rows.append({"code": numeral, "name": name, "max": float(assessed + survey), "kind": "", "rule": "",
                     "metric": "", "thresholds": "", "unit": ""})  # fmt: skip
        leaves = [leaf for leaf in LEAVES if leaf[0].split(".")[0] == str(k)]
        parents_done: set[str] = set()
        for code, lname, mx, rule, metric, thr, office in leaves:
            parent = ".".join(code.split(".")[:2]) if code.count(".") == 2 else None
            if parent and parent not in parents_done:
                sub = sum(leaf[2] for leaf in leaves if leaf[0].startswith(parent + "."))
                rows.append({"code": parent, "name": "Kế hoạch cải cách hành chính", "max": sub, "kind": "",
                             "rule": "", "metric": "", "thresholds": "", "unit": ""})  # fmt: skip
                parents_done.add(parent)
            rows.append({"code": code, "name": lname, "max": mx, "kind": "Tự đánh giá", "rule": rule,
                         "metric": metric, "thresholds": thr, "unit": offices[office % len(offices)]})  # fmt: skip
        total = sum(leaf[2] for leaf in leaves)
        assert abs(total - assessed) < 1e-9, (numeral, total, assessed)
        rows.append({"code": f"{k}.{len({leaf[0].split('.')[1] for leaf in leaves}) + 1}",
                     "name": f"Điều tra xã hội học về {name[0].lower() + name[1:]}", "max": float(survey),
                     "kind": "Điều tra XHH", "rule": "Nhập tay", "metric": "", "thresholds": "",
                     "unit": offices[1]})  # fmt: skip
    return rows


def write_framework(path: Path, scale: Scale, rows: list[dict]) -> None:
    place = scale.top_name.split(" ", 1)[1]
    title = [f"BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {YEAR}",
             "(Minh họa, không phải bộ tiêu chí chính thức)"]  # fmt: skip
    header = ["Mã", "Lĩnh vực/tiêu chí/tiêu chí thành phần", "Điểm tối đa", "Loại điểm", "Cách tính", "Chỉ số",
              "Ngưỡng", "Đơn vị chịu trách nhiệm"]  # fmt: skip
    wb, ws, f, row = _open_table(path, "Bộ tiêu chí", scale.top_name, title, header)
    for r in rows:
        _write_row(ws, row, [r["code"], r["name"], r["max"], r["kind"], r["rule"], r["metric"], r["thresholds"],
                             r["unit"]], f)  # fmt: skip
        row += 1
    _write_row(ws, row, ["", "TỔNG ĐIỂM", 100.0], f)
    _footer(ws, row + 1, place)
    wb.close()


TASK_VERBS = [
    "Rà soát", "Triển khai", "Kiểm tra", "Tổ chức", "Xây dựng", "Hoàn thiện", "Tuyên truyền", "Báo cáo",
    "Số hóa", "Đánh giá", "Công khai", "Cập nhật",
]  # fmt: skip
TASK_OBJECTS = [
    "văn bản quy phạm pháp luật", "thủ tục hành chính", "hồ sơ, kết quả giải quyết TTHC",
    "vị trí việc làm", "kế hoạch đào tạo, bồi dưỡng công chức", "cơ chế một cửa, một cửa liên thông",
    "dịch vụ công trực tuyến", "chế độ tự chủ tài chính", "hệ thống quản lý văn bản điều hành",
    "kết quả cải cách hành chính quý", "phân cấp quản lý nhà nước", "kỷ luật, kỷ cương hành chính",
]  # fmt: skip


def _deadline(rng: random.Random) -> tuple[object, date | None]:
    """A deadline cell in one of the forms offices use, and the day it means (None: ongoing/no date)."""
    kind = rng.random()
    if kind < 0.25:
        q = rng.randint(1, 4)
        roman = ["I", "II", "III", "IV"][q - 1]
        end = [date(YEAR, 3, 31), date(YEAR, 6, 30), date(YEAR, 9, 30), date(YEAR, 12, 31)][q - 1]
        return (f"Quý {roman}" if rng.random() < 0.5 else f"Quý {roman}/{YEAR}"), end
    if kind < 0.45:
        m = rng.randint(1, 12)
        end = (date(YEAR, m + 1, 1) - timedelta(days=1)) if m < 12 else date(YEAR, 12, 31)
        return f"Tháng {m}/{YEAR}", end
    if kind < 0.6:
        d = date(YEAR, 1, 1) + timedelta(days=rng.randint(20, 360))
        return f"Trước {d.day}/{d.month}/{YEAR}", d
    if kind < 0.75:
        d = date(YEAR, 1, 1) + timedelta(days=rng.randint(20, 360))
        return datetime(d.year, d.month, d.day), d
    if kind < 0.8:
        return "6 tháng đầu năm", date(YEAR, 6, 30)
    if kind < 0.88:
        return f"Năm {YEAR}", date(YEAR, 12, 31)
    if kind < 0.96:
        return "Thường xuyên", None
    return "Theo quy định", None


def task_rows(scale: Scale, rng: random.Random, offices: list[str], communes: list[str]) -> list[dict]:
    """Tasks spread over the eight areas, with progress as of the end of the year."""
    linkable = [leaf[0] for leaf in LEAVES if leaf[4] == "Hoàn thành nhiệm vụ tiêu chí"]
    leads = offices + communes[: max(1, len(communes) // 3)]
    rows = []
    for k in range(scale.tasks):
        area = 1 + min(7, int(rng.random() ** 1.3 * 8))
        cell, due = _deadline(rng)
        lead = rng.choice(leads)
        status, completed = "", None
        roll = rng.random()
        if due is None:
            status = rng.choice(["Đang thực hiện", "Đã hoàn thành", "Thường xuyên thực hiện"])
            if status == "Thường xuyên thực hiện":
                status = "Đang thực hiện"
        elif roll < 0.55:
            completed = due - timedelta(days=rng.randint(0, 40))
            status = "Hoàn thành đúng hạn"
        elif roll < 0.72:
            completed = min(date(YEAR, 12, 31), due + timedelta(days=rng.randint(1, 45)))
            status = "Hoàn thành quá hạn" if completed > due else "Hoàn thành đúng hạn"
        elif roll < 0.9:
            status = "Đang thực hiện"
        else:
            status = "Chưa thực hiện"
        if completed is not None and completed < date(YEAR, 1, 2):
            completed = date(YEAR, 1, 2)
        in_area = [c for c in linkable if c.split(".")[0] == str(area)]
        criterion = rng.choice(in_area) if in_area and rng.random() < 0.6 else ""
        rows.append({
            "area": area, "title": f"{rng.choice(TASK_VERBS)} {rng.choice(TASK_OBJECTS)} (nhiệm vụ {k + 1})",
            "lead": lead, "co": rng.choice(["", "Các cơ quan, đơn vị", rng.choice(offices)]), "deadline": cell,
            "status": status, "completed": completed, "criterion": criterion,
            "product": rng.choice(["Báo cáo", "Kế hoạch", "Quyết định", "Văn bản", ""]),
        })  # fmt: skip
    rows.sort(key=lambda r: r["area"])
    return rows


def write_tasks(path: Path, scale: Scale, rows: list[dict]) -> None:
    """Plan appendix with progress: title rows, column numbers, Roman section rows, footer."""
    place = scale.top_name.split(" ", 1)[1]
    title = ["PHỤ LỤC", f"TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM {YEAR}",
             f"(Kèm theo Kế hoạch số 01/KH-UBND ngày 02/01/{YEAR})"]  # fmt: skip
    header = ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành",
              "Sản phẩm", "Tình trạng", "Ngày hoàn thành", "Mã tiêu chí", "Ghi chú"]  # fmt: skip
    wb, ws, f, row = _open_table(path, "Phụ lục", scale.top_name, title, header)
    current = 0
    for k, r in enumerate(rows, start=1):
        if r["area"] != current:
            current = r["area"]
            numeral, name = AREAS[current - 1][0], AREAS[current - 1][1]
            ws.write(row, 0, numeral)
            ws.merge_range(row, 1, row, len(header) - 1, name.upper(), f["bold"])
            row += 1
        _write_row(ws, row, [k, r["title"], r["lead"], r["co"], r["deadline"], r["product"], r["status"],
                             r["completed"], r["criterion"], ""], f)  # fmt: skip
        row += 1
    _footer(ws, row, place)
    wb.close()


def _score_sheet(ws, f, scale: Scale, unit: str, quarter: int, fw: list[dict], rng: random.Random) -> None:
    roman = ["I", "II", "III", "IV"][quarter - 1]
    row = _title(
        ws,
        f,
        scale.top_name,
        6,
        [f"BIỂU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH QUÝ {roman}/{YEAR}"],
    )
    ws.write(row, 0, f"Đơn vị: UBND {unit[0].lower() + unit[1:]}")
    row += 2
    # Two-level header: "Điểm" over maximum / self-assessed / appraised.
    ws.merge_range(row, 0, row + 1, 0, "Mã tiêu chí", f["bold"])
    ws.merge_range(row, 1, row + 1, 1, "Lĩnh vực/tiêu chí/tiêu chí thành phần", f["bold"])
    ws.merge_range(row, 2, row, 4, "Điểm", f["bold"])
    ws.write(row + 1, 2, "Tối đa", f["bold"])
    ws.write(row + 1, 3, "Tự đánh giá", f["bold"])
    ws.write(row + 1, 4, "Thẩm định", f["bold"])
    ws.merge_range(row, 5, row + 1, 5, "Tài liệu kiểm chứng", f["bold"])
    ws.merge_range(row, 6, row + 1, 6, "Ghi chú", f["bold"])
    row += 2
    parents = {".".join(r["code"].split(".")[:-1]) for r in fw if "." in r["code"]}
    for r in fw:
        leaf = r["code"] not in parents and r["kind"] != ""
        self_pts = appraised = ""
        evidence = ""
        if leaf and r["kind"] == "Tự đánh giá":
            if rng.random() < 0.04:
                self_pts = "Không áp dụng"
            else:
                self_pts = round(r["max"] * rng.choice([1, 1, 1, 0.75, 0.5, 0]) * 4) / 4
                if quarter > 1 and rng.random() < 0.5:
                    appraised = max(0.0, self_pts - rng.choice([0, 0, 0.25, 0.5]))
                evidence = rng.choice(["", f"Báo cáo số {rng.randint(1, 300)}/BC-UBND"])
        _write_row(ws, row, [r["code"], r["name"], r["max"], self_pts, appraised, evidence, ""], f)
        row += 1
    _write_row(ws, row, ["", "TỔNG ĐIỂM", 100.0], f)


def write_scores(
    path: Path, scale: Scale, units: list[str], quarter: int, fw: list[dict], rng: random.Random
) -> None:
    """One workbook; one sheet per assessed unit (the top unit's file has a single sheet)."""
    wb = xlsxwriter.Workbook(str(path))
    f = _formats(wb)
    for unit in units:
        name = unit[:31].replace("/", "-")
        _score_sheet(wb.add_worksheet(name), f, scale, unit, quarter, fw, rng)
    wb.close()


# Dossiers -------------------------------------------------------------------------------------------

DOSSIER_HEADER = ["Mã hồ sơ", "Đơn vị xử lý", "Tên TTHC", "Lĩnh vực", "Ngày tiếp nhận", "Ngày hẹn trả",
                  "Ngày trả kết quả", "Trạng thái", "Hình thức nộp", "Đã xin lỗi (Mẫu 04)", "Cán bộ thụ lý"]  # fmt: skip
PROCEDURES = [
    ("Chứng thực bản sao từ bản chính", "Chứng thực"), ("Đăng ký khai sinh", "Hộ tịch"),
    ("Đăng ký kết hôn", "Hộ tịch"), ("Đăng ký khai tử", "Hộ tịch"), ("Cấp giấy chứng nhận quyền sử dụng đất", "Đất đai"),
    ("Đăng ký hộ kinh doanh", "Thành lập và hoạt động của hộ kinh doanh"), ("Cấp giấy phép xây dựng", "Xây dựng"),
    ("Trợ cấp xã hội hằng tháng", "Bảo trợ xã hội"), ("Xác nhận tình trạng hôn nhân", "Hộ tịch"),
    ("Giải quyết khiếu nại lần đầu", "Giải quyết khiếu nại"),
]  # fmt: skip
STATUS_TEXT = np.array([
    "Đã giải quyết trước hạn", "Đã giải quyết đúng hạn", "Đã giải quyết quá hạn", "Đang xử lý còn hạn",
    "Đang xử lý quá hạn", "Đang bổ sung", "Rút không giải quyết",
])  # fmt: skip
STATUS_P = np.array([0.55, 0.30, 0.04, 0.05, 0.02, 0.03, 0.01])
HANDLER_SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ")
HANDLER_MIDDLES = ("Văn", "Thị", "Minh", "Thanh")
HANDLER_GIVEN = ("An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Khánh", "Lan", "Long",
                 "Mai", "Nam", "Nga", "Phong", "Quân", "Sơn", "Thảo", "Trung")  # fmt: skip


def handler_name(i: int) -> str:
    """A distinct plausible name for handler number i (560 of them before any repeats)."""
    return f"{HANDLER_SURNAMES[i % 7]} {HANDLER_MIDDLES[(i // 7) % 4]} {HANDLER_GIVEN[(i // 28) % 20]}"


def dossier_arrays(
    n: int, units: list[str], weights: np.ndarray, seed: int, start: int = 0
) -> dict[str, np.ndarray]:
    """n dossiers as column arrays (vectorised: the stress scale has five million)."""
    rs = np.random.default_rng(seed)
    unit_idx = rs.choice(len(units), size=n, p=weights)
    proc_idx = rs.integers(0, len(PROCEDURES), size=n)
    day = rs.integers(0, 366, size=n)  # 2024 is a leap year
    minute = rs.integers(7 * 60 + 30, 17 * 60, size=n)
    received = np.datetime64(f"{YEAR}-01-01T00:00", "m") + day * 1440 + minute
    work_days = rs.integers(1, 16, size=n)
    due = received + work_days * 1440
    status = rs.choice(len(STATUS_TEXT), size=n, p=STATUS_P)
    early = rs.integers(1, 5 * 1440, size=n)
    late = rs.integers(60, 10 * 1440, size=n)
    resolved = np.where(status == 0, due - np.minimum(early, work_days * 1440 - 30), due)
    resolved = np.where(status == 1, due - rs.integers(0, 120, size=n), resolved)
    resolved = np.where(status == 2, due + late, resolved)
    has_result = status <= 2
    online = rs.random(size=n) < 0.42
    apology = np.where(status == 2, np.where(rs.random(size=n) < 0.8, "Có", "Không"), "")
    # One or two handling officials per unit (about 150 in a province), drawn last so the other
    # columns stay as they were.
    handler = unit_idx * 2 + (rs.random(size=n) < 0.5) * (unit_idx % 3 != 0)
    names = np.array([handler_name(i) for i in range(2 * len(units))])
    return {
        "id": np.array([f"H{YEAR}.{start + i + 1:08d}" for i in range(n)]),
        "unit": np.array(units)[unit_idx],
        "procedure": np.array([p[0] for p in PROCEDURES])[proc_idx],
        "field": np.array([p[1] for p in PROCEDURES])[proc_idx],
        "received": received,
        "due": due,
        "resolved": resolved,
        "has_result": has_result,
        "status": STATUS_TEXT[status],
        "channel": np.where(online, "Trực tuyến", "Trực tiếp"),
        "apology": apology,
        "official": names[handler],
    }


def _fmt_minutes(values: np.ndarray) -> np.ndarray:
    """datetime64[m] -> 'dd/mm/yyyy hh:mm', vectorised by rearranging the characters of the ISO form."""
    iso = np.datetime_as_string(values, unit="m").astype("U16")  # 'YYYY-MM-DDThh:mm'
    b = iso.view("U1").reshape(-1, 16)

    def sep(ch: str) -> np.ndarray:
        return np.full((len(iso), 1), ch, dtype="U1")

    out = np.concatenate(
        [b[:, 8:10], sep("/"), b[:, 5:7], sep("/"), b[:, 0:4], sep(" "), b[:, 11:16]], axis=1
    )
    return np.ascontiguousarray(out).view("U16").ravel()


def dossier_unit_labels(offices: list[str], communes: list[str]) -> tuple[list[str], np.ndarray]:
    """How dossier exports name units ("UBND xã …" for communes) and how many dossiers each handles."""
    labels = list(offices) + [f"UBND {c[0].lower() + c[1:]}" for c in communes]
    weights = np.array([3.0] * len(offices) + [1.0] * len(communes))
    return labels, weights / weights.sum()


def write_dossier_csv(path: Path, n: int, offices: list[str], communes: list[str], seed: int) -> None:
    """A CSV export (UTF-8 with BOM, as the public-service portal writes it), in chunks of 500,000 rows."""
    labels, weights = dossier_unit_labels(offices, communes)
    chunk = 500_000
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(DOSSIER_HEADER)
        for start in range(0, n, chunk):
            k = min(chunk, n - start)
            a = dossier_arrays(k, labels, weights, seed + start, start)
            rec, due = _fmt_minutes(a["received"]), _fmt_minutes(a["due"])
            res = np.where(a["has_result"], _fmt_minutes(a["resolved"]), "")
            w.writerows(zip(a["id"], a["unit"], a["procedure"], a["field"], rec, due, res, a["status"],
                            a["channel"], a["apology"], a["official"], strict=True))  # fmt: skip


def write_dossier_xlsx(
    path: Path, n: int, offices: list[str], communes: list[str], seed: int, top: str
) -> None:
    """Title rows, a merged two-level header ('Thời gian' over three date columns), column numbers, footer."""
    labels, weights = dossier_unit_labels(offices, communes)
    a = dossier_arrays(n, labels, weights, seed)
    wb = xlsxwriter.Workbook(str(path))
    f = _formats(wb)
    ws = wb.add_worksheet("Hồ sơ")
    row = _title(ws, f, top, 10, [f"DANH SÁCH HỒ SƠ THỦ TỤC HÀNH CHÍNH TIẾP NHẬN NĂM {YEAR}"])
    ws.merge_range(row, 0, row + 1, 0, "STT", f["bold"])
    for c, label in enumerate(["Mã hồ sơ", "Đơn vị xử lý", "Tên TTHC", "Lĩnh vực"], start=1):
        ws.merge_range(row, c, row + 1, c, label, f["bold"])
    ws.merge_range(row, 5, row, 7, "Thời gian", f["bold"])
    for c, label in enumerate(["Ngày tiếp nhận", "Ngày hẹn trả", "Ngày trả kết quả"], start=5):
        ws.write(row + 1, c, label, f["bold"])
    for c, label in enumerate(["Trạng thái", "Hình thức nộp", "Đã xin lỗi (Mẫu 04)"], start=8):
        ws.merge_range(row, c, row + 1, c, label, f["bold"])
    _write_row(ws, row + 2, [f"({i})" for i in range(1, 12)], f)
    row += 3
    received = a["received"].astype("datetime64[s]").astype(datetime)
    due = a["due"].astype("datetime64[s]").astype(datetime)
    resolved = a["resolved"].astype("datetime64[s]").astype(datetime)
    fmt_dt = f["datetime"]
    for i in range(n):
        r = row + i
        ws.write_number(r, 0, i + 1)
        ws.write_string(r, 1, a["id"][i])
        ws.write_string(r, 2, a["unit"][i])
        ws.write_string(r, 3, a["procedure"][i])
        ws.write_string(r, 4, a["field"][i])
        ws.write_datetime(r, 5, received[i], fmt_dt)
        ws.write_datetime(r, 6, due[i], fmt_dt)
        if a["has_result"][i]:
            ws.write_datetime(r, 7, resolved[i], fmt_dt)
        ws.write_string(r, 8, a["status"][i])
        ws.write_string(r, 9, a["channel"][i])
        if a["apology"][i]:
            ws.write_string(r, 10, a["apology"][i])
    _footer(ws, row + n, top.split(" ", 1)[1])
    wb.close()


# Orchestration ------------------------------------------------------------------------------------


def _fresh(directory: Path, params: dict) -> bool:
    marker = directory / "MANIFEST.json"
    if not marker.exists():
        return False
    try:
        return json.loads(marker.read_text())["params"] == params
    except (ValueError, KeyError):
        return False


def _manifest(directory: Path, params: dict, files: list[Path], seconds: float) -> None:
    (directory / "MANIFEST.json").write_text(
        json.dumps(
            {
                "params": params,
                "seconds": round(seconds, 1),
                "files": {p.name: p.stat().st_size for p in files},
            },
            ensure_ascii=False,
            indent=1,
        )
    )


def generate_scale(name: str, seed: int = 2024, out: Path = DATA_DIR, dossiers: int | None = None) -> Path:
    """Write one scale's files (units, framework, tasks, scores, dossier CSV) unless already there."""
    scale = SCALES[name]
    n = scale.dossiers if dossiers is None else dossiers
    directory = out / (name if dossiers is None else f"{name}-{n}")
    params = {"scale": asdict(scale), "dossiers": n, "seed": seed, "version": GENERATOR_VERSION}
    if _fresh(directory, params):
        return directory
    directory.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rng = random.Random(f"{seed}-{name}")
    offices = office_names(scale)
    communes = commune_names(scale, rng)
    fw = framework_rows(offices)
    files = [
        directory / "don_vi.xlsx",
        directory / "bo_tieu_chi.xlsx",
        directory / f"tien_do_nhiem_vu_{YEAR}.xlsx",
    ]
    write_units(files[0], scale, offices, communes)
    write_framework(files[1], scale, fw)
    write_tasks(files[2], scale, task_rows(scale, rng, offices, communes))
    for q in range(1, 5):
        path = directory / f"tu_danh_gia_huyen_{YEAR}_Q{q}.xlsx"
        write_scores(path, scale, [scale.top_name], q, fw, rng)
        files.append(path)
    path = directory / f"tu_danh_gia_xa_{YEAR}_Q4.xlsx"
    write_scores(path, scale, communes, 4, fw, rng)
    files.append(path)
    path = directory / f"ho_so_tthc_{YEAR}.csv"
    write_dossier_csv(path, n, offices, communes, seed)
    files.append(path)
    _manifest(directory, params, files, time.perf_counter() - started)
    return directory


def _generate_ingest(rows: int, seed: int, out: Path, suffix: str, write, *extra) -> Path:
    """One dossier file of the ingestion benchmark (province units), unless the same one is already there:
    `write(path, rows, offices, communes, *extra)` writes it."""
    directory = out / "ingest"
    path = directory / f"ho_so_tthc_{YEAR}_{rows}.{suffix}"
    params = {"rows": rows, "seed": seed, "version": GENERATOR_VERSION}
    marker = directory / f"{path.stem}.json"
    if path.exists() and marker.exists() and json.loads(marker.read_text()) == params:
        return path
    directory.mkdir(parents=True, exist_ok=True)
    scale = SCALES["province"]
    write(path, rows, office_names(scale), commune_names(scale, random.Random(f"{seed}-province")), *extra)
    marker.write_text(json.dumps(params))
    return path


def generate_ingest_xlsx(rows: int, seed: int = 2024, out: Path = DATA_DIR) -> Path:
    """The dossier .xlsx of the ingestion benchmark (province units)."""
    return _generate_ingest(
        rows, seed, out, "xlsx", write_dossier_xlsx, seed + 7, SCALES["province"].top_name
    )


def generate_ingest_csv(rows: int, seed: int = 2024, out: Path = DATA_DIR) -> Path:
    """The dossier CSV of the ingestion benchmark (province units)."""
    return _generate_ingest(rows, seed, out, "csv", write_dossier_csv, seed + 11)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", action="append", choices=list(SCALES), help="scale(s) to write")
    parser.add_argument("--xlsx-rows", type=int, default=200_000)
    parser.add_argument("--csv-rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    for name in args.scale or list(SCALES):
        t = time.perf_counter()
        print(name, generate_scale(name, args.seed), f"{time.perf_counter() - t:.1f} s", flush=True)
    t = time.perf_counter()
    print("xlsx", generate_ingest_xlsx(args.xlsx_rows, args.seed), f"{time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    print("csv", generate_ingest_csv(args.csv_rows, args.seed), f"{time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
