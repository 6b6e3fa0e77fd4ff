"""Canonical datasets, declared once.

Ingestion (header aliases, types, required columns), the DuckDB tables, page labels,
templates and the FORMATS document all read these declarations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColType = Literal["text", "int", "float", "date", "timestamp", "bool"]

DUCKDB_TYPES: dict[str, str] = {
    "text": "VARCHAR",
    "int": "BIGINT",
    "float": "DOUBLE",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "bool": "BOOLEAN",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: ColType
    label: str  # Vietnamese header used in templates and on pages
    aliases: tuple[str, ...] = ()  # other headers seen in real files (folded on match)
    required: bool = False
    # Derived columns are computed by ingestion, never read from a sheet.
    derived: bool = False
    description: str = ""
    choices: tuple[str, ...] = ()  # allowed values shown as drop-downs in templates


@dataclass(frozen=True)
class Dataset:
    name: str
    label: str
    description: str
    columns: tuple[Column, ...]
    # Columns that identify the batch scope: a newer batch of the same scope supersedes.
    scope: tuple[str, ...] = ()
    # Column whose value must be unique inside one batch.
    key: tuple[str, ...] = ()
    title_markers: tuple[str, ...] = field(default=())  # words in title rows that hint the kind

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def sheet_columns(self) -> list[Column]:
        return [c for c in self.columns if not c.derived]

    @property
    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]


# Canonical value sets -------------------------------------------------------------------

UNIT_KINDS = {
    "office": "Phòng ban",
    "commune": "Xã",
    "town": "Thị trấn",
    "district": "Huyện",
    "province": "Tỉnh",
    "other": "Khác",
}

# Groups of unit kinds the pages filter by and criteria restrict to ("dossiers of communes").
UNIT_KIND_GROUPS: dict[str, frozenset[str]] = {
    "office": frozenset({"office"}),
    "commune": frozenset({"commune", "town"}),
}
UNIT_GROUP_LABELS = {"all": "Tất cả", "office": "Phòng, ban", "commune": "Xã, thị trấn"}
# "… of communes" in a criterion's explanation.
UNIT_GROUP_OF = {"office": " của phòng ban", "commune": " của xã, thị trấn"}
# Kinds a unit league shows as themselves; anything else is "other".
LEAGUE_KINDS = ("office", "commune", "town", "other")

POINT_KINDS = {"assessed": "Tự đánh giá", "survey": "Điều tra XHH"}

RULE_KINDS = {
    "bands": "Bậc",
    "yesno": "Có/Không",
    "proportional": "Tỷ lệ",
    "deduction": "Trừ điểm",
    "manual": "Nhập tay",
}

METRICS = {
    "plan_completion": "Hoàn thành kế hoạch",
    "criterion_tasks": "Hoàn thành nhiệm vụ tiêu chí",
    "dossier_on_time": "Hồ sơ đúng hạn",
    "dossier_online": "Hồ sơ trực tuyến",
    "late_reports": "Báo cáo trễ",
}

# Canonical task status, as reported in the status cell (not the computed state).
TASK_STATUSES = {
    "done": "Đã hoàn thành",
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
    "in_progress": "Đang thực hiện",
    "not_started": "Chưa thực hiện",
    "open_in_time": "Chưa hoàn thành trong hạn",
    "open_overdue": "Chưa hoàn thành quá hạn",
}

# The four official states of a task as of a date (computed by analysis.engine.tasks).
TASK_STATES = {
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
    "open_in_time": "Chưa hoàn thành trong hạn",
    "open_overdue": "Chưa hoàn thành quá hạn",
}

DOSSIER_STATUSES = {
    "processing_in_time": "Đang xử lý còn hạn",
    "processing_overdue": "Đang xử lý quá hạn",
    "supplementing": "Đang bổ sung",
    "resolved_early": "Đã giải quyết trước hạn",
    "resolved_on_time": "Đã giải quyết đúng hạn",
    "resolved_late": "Đã giải quyết quá hạn",
    "withdrawn": "Rút không giải quyết",
}

CHANNELS = {"online": "Trực tuyến", "direct": "Trực tiếp"}

# Dataset declarations ------------------------------------------------------------------

# Every yearly dataset's year: from the sheet's title or the upload form, never a column of the sheet.
YEAR = Column("year", "int", "Năm", (), derived=True)

_HEADS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    # name: (Vietnamese label, batch scope, key unique in a batch, words of a title row hinting the kind)
    "units": ("Đơn vị", (), ("code",), ("danh mục đơn vị", "đơn vị hành chính")),
    "framework": ("Bộ tiêu chí", ("year",), ("code",), ("bộ tiêu chí", "bộ chỉ số", "xác định chỉ số")),
    "tasks": ("Nhiệm vụ", ("year",), ("code",), ("nhiệm vụ", "phụ lục", "kế hoạch cải cách")),
    "scores": (
        "Điểm tự đánh giá",
        ("year", "quarter", "unit"),
        ("code",),
        ("tự đánh giá", "chấm điểm", "biểu tự đánh giá"),
    ),
    "dossiers": ("Hồ sơ TTHC", ("year",), ("dossier_id",), ("hồ sơ", "thủ tục hành chính", "tthc")),
    "amendments": (
        "Điều chỉnh kế hoạch",
        ("year",),
        ("code",),
        ("điều chỉnh kế hoạch", "điều chỉnh, bổ sung kế hoạch", "điều chỉnh nhiệm vụ"),
    ),
    "results": (
        "Kết quả công bố",
        ("year",),
        ("unit",),
        ("kết quả xếp hạng", "công bố chỉ số", "kết quả chỉ số", "công bố kết quả"),
    ),
    "dossier_stats": (
        "Thống kê hồ sơ TTHC",
        ("year", "quarter", "unit"),
        (),
        ("tình hình, kết quả giải quyết", "kết quả giải quyết thủ tục hành chính", "thống kê"),
    ),
}


def _derived(name: str, type: ColType, label: str, description: str = "") -> Column:
    """A column ingestion computes (from the title, the code's shape, the text), never read from a sheet."""
    return Column(name, type, label, derived=True, description=description)


def _dataset(name: str, description: str, *columns: Column) -> Dataset:
    label, scope, key, title_markers = _HEADS[name]
    return Dataset(name, label, description, columns, scope, key, title_markers)


UNITS = _dataset(
    "units",
    "Offices, communes and towns, with validity dates and the unit that succeeds them.",
    Column(
        "code",
        "text",
        "Mã đơn vị",
        ("mã", "mã đvhc", "mã số", "ma don vi"),
        True,
        description="GSO code for communes, any stable code for offices",
    ),
    Column("name", "text", "Tên đơn vị", ("tên", "đơn vị", "tên đơn vị hành chính"), True),
    Column("kind", "text", "Loại đơn vị", ("loại", "cấp"), True, choices=tuple(UNIT_KINDS.values())),
    Column("parent", "text", "Đơn vị cấp trên", ("cấp trên", "mã cấp trên", "trực thuộc")),
    Column("valid_from", "date", "Hiệu lực từ", ("từ ngày", "ngày hiệu lực")),
    Column("valid_to", "date", "Hiệu lực đến", ("đến ngày", "ngày hết hiệu lực")),
    Column(
        "successor",
        "text",
        "Sáp nhập vào",
        ("đơn vị kế thừa", "đơn vị mới", "mã đơn vị mới"),
        description="code of the unit this one was merged into (2025 reorganisation)",
    ),
)

FRAMEWORK = _dataset(
    "framework",
    "The scoring framework of one year: areas, criteria and sub-criteria with their rules.",
    Column("year", "int", "Năm", ("năm áp dụng",), derived=True),
    Column("code", "text", "Mã", ("tt", "stt", "mã tiêu chí", "số tt"), True),
    _derived("parent", "text", "Mã cha"),
    _derived("level", "text", "Cấp", "area, criterion or sub (from the code's shape)"),
    _derived("area", "text", "Lĩnh vực"),
    Column(
        "name",
        "text",
        "Tên tiêu chí",
        (
            "lĩnh vực/tiêu chí/tiêu chí thành phần",
            "tiêu chí",
            "nội dung",
            "lĩnh vực, tiêu chí",
            "lĩnh vực / tiêu chí / tiêu chí thành phần",
            "tên lĩnh vực, tiêu chí",
        ),
        True,
    ),
    Column("max_points", "float", "Điểm tối đa", ("điểm chuẩn", "điểm tối đa", "thang điểm"), True),
    Column("point_kind", "text", "Loại điểm", ("hình thức đánh giá",), choices=tuple(POINT_KINDS.values())),
    Column(
        "rule",
        "text",
        "Cách tính",
        ("cách chấm", "phương pháp chấm", "quy tắc"),
        choices=tuple(RULE_KINDS.values()),
    ),
    Column("metric", "text", "Chỉ số", ("chỉ số đo", "số liệu"), choices=tuple(METRICS.values())),
    Column(
        "thresholds",
        "text",
        "Ngưỡng",
        ("mức", "ngưỡng điểm", "thang"),
        description="bands («100%: 2; 80%: 1; 0%: 0») or points per event; one grammar: analysis.thresholds",
    ),
    Column(
        "responsible_unit",
        "text",
        "Đơn vị chịu trách nhiệm",
        ("đơn vị phụ trách", "cơ quan chịu trách nhiệm", "đơn vị tham mưu", "cơ quan chủ trì"),
    ),
)

TASKS = _dataset(
    "tasks",
    "The tasks of the year's reform plan and their progress.",
    YEAR,
    Column("code", "text", "TT", ("stt", "số tt", "số thứ tự", "mã nhiệm vụ"), True),
    _derived("area", "text", "Lĩnh vực", "Roman numeral of the section the task stands in"),
    Column(
        "title",
        "text",
        "Nội dung nhiệm vụ",
        ("nhiệm vụ", "nội dung", "tên nhiệm vụ", "nội dung công việc", "nhiệm vụ, giải pháp"),
        True,
    ),
    Column(
        "lead_unit",
        "text",
        "Cơ quan chủ trì",
        (
            "đơn vị chủ trì",
            "cơ quan thực hiện",
            "đơn vị thực hiện",
            "chủ trì",
            "cơ quan chủ trì thực hiện",
        ),
        True,
    ),
    Column("co_units", "text", "Cơ quan phối hợp", ("đơn vị phối hợp", "phối hợp")),
    Column(
        "deadline_text",
        "text",
        "Thời gian hoàn thành",
        ("thời hạn", "thời hạn hoàn thành", "thời gian thực hiện", "hạn hoàn thành"),
        True,
    ),
    _derived("deadline", "date", "Hạn (đã phân tích)"),
    _derived("ongoing", "bool", "Thường xuyên"),
    Column(
        "status_text",
        "text",
        "Tình trạng",
        ("tình hình thực hiện", "kết quả thực hiện", "trạng thái", "kết quả", "tiến độ"),
    ),
    Column("status", "text", "Tình trạng (chuẩn hóa)", (), derived=True, choices=tuple(TASK_STATUSES)),
    Column("completed_on", "date", "Ngày hoàn thành", ("ngày hoàn thành thực tế", "hoàn thành ngày")),
    Column("criterion", "text", "Mã tiêu chí", ("tiêu chí", "tiêu chí liên quan", "mã tiêu chí cchc")),
    Column(
        "product",
        "text",
        "Sản phẩm",
        ("sản phẩm, tài liệu kiểm chứng", "sản phẩm đầu ra", "tài liệu kiểm chứng", "sản phẩm/kết quả"),
    ),
    Column("note", "text", "Ghi chú", ("ghi chú",)),
)

SCORES = _dataset(
    "scores",
    "Self-assessed and appraised points per criterion, for one assessed unit and quarter.",
    YEAR,
    _derived("quarter", "int", "Quý"),
    _derived("unit", "text", "Đơn vị được đánh giá", "empty for the district itself"),
    Column("code", "text", "Mã tiêu chí", ("tt", "stt", "mã", "số tt"), True),
    Column(
        "name",
        "text",
        "Tên tiêu chí",
        (
            "lĩnh vực/tiêu chí/tiêu chí thành phần",
            "lĩnh vực / tiêu chí / tiêu chí thành phần",
            "tiêu chí",
            "nội dung",
            "lĩnh vực, tiêu chí, tiêu chí thành phần",
            "tên tiêu chí",
        ),
    ),
    Column("max_points", "float", "Điểm tối đa", ("điểm chuẩn", "thang điểm"), True),
    Column(
        "self_points", "float", "Điểm tự đánh giá", ("tự đánh giá", "điểm tự chấm", "điểm đơn vị tự chấm")
    ),
    Column(
        "appraised_points",
        "float",
        "Điểm thẩm định",
        ("thẩm định", "điểm thẩm định của hội đồng", "điểm hội đồng thẩm định"),
    ),
    _derived("not_applicable", "bool", "Không áp dụng"),
    Column(
        "evidence",
        "text",
        "Tài liệu kiểm chứng",
        ("tài liệu", "minh chứng", "tài liệu kiểm chứng (số, ngày văn bản)"),
    ),
    Column("explanation", "text", "Ghi chú (giải trình)", ("ghi chú", "giải trình", "ghi chú/giải trình")),
)

DOSSIERS = _dataset(
    "dossiers",
    "Administrative-procedure dossiers, one row per dossier.",
    YEAR,
    Column("dossier_id", "text", "Mã hồ sơ", ("số hồ sơ", "mã số hồ sơ"), True),
    Column("unit", "text", "Đơn vị", ("đơn vị xử lý", "cơ quan giải quyết", "đơn vị tiếp nhận"), True),
    Column("procedure", "text", "Tên TTHC", ("thủ tục hành chính", "tên thủ tục", "thủ tục")),
    Column("field", "text", "Lĩnh vực", ("lĩnh vực tthc",)),
    Column("received_at", "timestamp", "Ngày tiếp nhận", ("ngày nhận", "thời gian tiếp nhận"), True),
    Column("due_at", "timestamp", "Ngày hẹn trả", ("hạn xử lý", "ngày hẹn trả kết quả", "hạn giải quyết")),
    Column(
        "resolved_at", "timestamp", "Ngày trả kết quả", ("ngày hoàn thành", "ngày có kết quả", "ngày trả")
    ),
    Column(
        "status",
        "text",
        "Trạng thái",
        ("tình trạng", "trạng thái xử lý"),
        True,
        choices=tuple(DOSSIER_STATUSES.values()),
    ),
    Column(
        "channel",
        "text",
        "Hình thức nộp",
        ("kênh nộp", "hình thức tiếp nhận"),
        choices=tuple(CHANNELS.values()),
    ),
    Column("apology", "bool", "Đã xin lỗi (Mẫu 04)", ("phiếu xin lỗi", "mẫu 04", "đã xin lỗi")),
    # Last, so a database created before the column existed gains it with ALTER TABLE ADD COLUMN.
    Column(
        "official",
        "text",
        "Cán bộ thụ lý",
        ("cán bộ xử lý", "người xử lý", "công chức xử lý", "cán bộ giải quyết", "người thụ lý"),
        description="the official handling the dossier; names the people on the weekly late list",
    ),
)

# Approved plan amendments (directive §1a, issue 9): a new deadline or a removal, per task.
AMENDMENT_KIND_LABELS = {"deadline": "Điều chỉnh thời hạn", "removed": "Đưa ra khỏi kế hoạch"}
AMENDMENTS = _dataset(
    "amendments",
    "Approved amendments of the year's plan: a task's new deadline or its removal, from the "
    "approval date, with the explanation and the approving document.",
    YEAR,
    Column("code", "text", "TT nhiệm vụ", ("số tt nhiệm vụ", "mã nhiệm vụ", "stt nhiệm vụ"), True),
    Column(
        "kind",
        "text",
        "Nội dung điều chỉnh",
        ("hình thức điều chỉnh", "loại điều chỉnh"),
        True,
        choices=tuple(AMENDMENT_KIND_LABELS.values()),
    ),
    Column("new_deadline", "date", "Thời hạn mới", ("hạn mới", "thời hạn sau điều chỉnh")),
    Column("effective_on", "date", "Ngày phê duyệt", ("ngày văn bản phê duyệt", "ngày điều chỉnh"), True),
    Column("explanation", "text", "Giải trình", ("lý do", "nội dung giải trình", "lý do điều chỉnh")),
    Column("document", "text", "Văn bản phê duyệt", ("số văn bản", "văn bản điều chỉnh")),
)

DATASETS: dict[str, Dataset] = {d.name: d for d in (UNITS, FRAMEWORK, TASKS, SCORES, DOSSIERS, AMENDMENTS)}

# Published results (issue: more than one year) --------------------------------------------------

RESULTS = _dataset(
    "results",
    "The official index results the province announces for a year: score, percentage and rank per unit.",
    YEAR,
    Column(
        "unit",
        "text",
        "Đơn vị được xếp hạng",
        ("địa phương", "huyện, thị xã, thành phố", "xã, phường, đặc khu", "đơn vị xếp hạng"),
        True,
    ),
    Column("score", "float", "Điểm đạt được", ("tổng điểm đạt được", "điểm đạt", "tổng điểm")),
    Column("max_score", "float", "Điểm tối đa áp dụng", ("thang điểm áp dụng",)),
    Column("percent", "float", "Chỉ số CCHC (%)", ("chỉ số (%)", "chỉ số cchc", "giá trị chỉ số (%)"), True),
    Column("rank", "int", "Xếp hạng", ("thứ hạng", "xếp thứ", "thứ tự xếp hạng"), True),
    Column(
        "peer_group",
        "text",
        "Khối xếp hạng",
        ("khối", "nhóm xếp hạng"),
        description="peers ranked together, e.g. «Cấp huyện» or «Cấp xã»",
    ),
)
DATASETS[RESULTS.name] = RESULTS


# Columns whose canonical keys have Vietnamese labels (a person may type either; the parser reads both).
CHOICE_LABELS: dict[tuple[str, str], dict[str, str]] = {
    ("units", "kind"): UNIT_KINDS,
    ("framework", "point_kind"): POINT_KINDS,
    ("framework", "rule"): RULE_KINDS,
    ("tasks", "status"): TASK_STATUSES,
    ("dossiers", "status"): DOSSIER_STATUSES,
    ("dossiers", "channel"): CHANNELS,
}
METRIC_SCOPE_LABELS = {"commune": " cấp xã", "office": " cấp huyện"}


def choice_label(dataset: str, column: str, value: str) -> str:
    """A canonical key as the Vietnamese label a person would type ("dossier_on_time:commune" ->
    "Hồ sơ … cấp xã"); any other value as it is."""
    if (dataset, column) == ("framework", "metric"):
        base, _, scope = value.partition(":")
        return METRICS.get(base, base) + METRIC_SCOPE_LABELS.get(scope, "")
    return CHOICE_LABELS.get((dataset, column), {}).get(value, value)


def dataset(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        raise KeyError(f"unknown dataset {name!r}; expected one of {', '.join(DATASETS)}") from None


# Vietnamese headers of report columns (tables and exports); dataset labels cover the canonical ones.
REPORT_LABELS: dict[str, str] = {
    "unit": "Đơn vị",
    "kind": "Loại đơn vị",
    "quarter": "Quý",
    "label": "Kỳ",
    "as_of": "Số liệu đến ngày",
    "assigned": "Số nhiệm vụ được giao",
    "due": "Số nhiệm vụ đến hạn",
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
    "open_in_time": "Chưa hoàn thành trong hạn",
    "open_overdue": "Chưa hoàn thành quá hạn",
    "done": "Đã hoàn thành",
    "done_ratio_of_due": "Tỷ lệ hoàn thành / đến hạn",
    "done_ratio_of_assigned": "Tỷ lệ hoàn thành / được giao",
    "planned_due": "Số nhiệm vụ đến hạn theo kế hoạch",
    "max": "Điểm tối đa",
    "likely": "Điểm dự kiến",
    "deducted": "Điểm chưa đạt",
    "unknown_max": "Điểm chưa có số liệu",
    "percent": "Chỉ số dự kiến (%)",
    "rank": "Xếp loại dự kiến",
    "area": "Lĩnh vực",
    "name": "Tên",
    "deducted_points": "Điểm chưa đạt quy cho đơn vị",
    "task_codes": "Nhiệm vụ quá hạn (TT)",
    "oldest_overdue_days": "Quá hạn lâu nhất (ngày)",
    "late_dossiers": "Hồ sơ trễ hạn",
    "late_without_apology": "Hồ sơ trễ hạn chưa có phiếu xin lỗi (Mẫu 04)",
    "on_time_rate": "Tỷ lệ hồ sơ đúng hạn",
    "online_rate": "Tỷ lệ hồ sơ trực tuyến",
    "total": "Tổng số hồ sơ",
    "resolved": "Đã giải quyết",
    "on_time": "Giải quyết đúng hạn, trước hạn",
    "late": "Giải quyết quá hạn",
    "online": "Nộp trực tuyến",
    "state": "Trạng thái tại ngày số liệu",
    "days_overdue": "Số ngày quá hạn",
    "code": "TT",
    "title": "Nội dung nhiệm vụ",
    "lead_unit": "Cơ quan chủ trì",
    "co_units": "Cơ quan phối hợp",
    "deadline_text": "Thời gian hoàn thành",
    "deadline": "Hạn",
    "completed_on": "Ngày hoàn thành",
    "status": "Tình trạng (chuẩn hóa)",
    "gain": "Điểm lấy lại",
    "points": "Điểm chưa đạt",
    "amendment": "Điều chỉnh kế hoạch",
}


# Notes printed beside a column in the Excel templates, keyed by (dataset, column).
TEMPLATE_NOTES: dict[tuple[str, str], str] = {
    ("units", "code"): "Mã ĐVHC của Tổng cục Thống kê cho xã, thị trấn; mã tự đặt, không đổi cho phòng, ban.",
    ("units", "name"): "Tên đầy đủ, có dấu (Ba Tơ và Ba Tô là hai đơn vị khác nhau).",
    ("units", "parent"): "Mã của đơn vị cấp trên, phải có trong cột «Mã đơn vị» của cùng bảng.",
    ("units", "valid_from"): "Ngày đơn vị bắt đầu tồn tại (để trống nếu không rõ).",
    ("units", "valid_to"): "Ngày đơn vị thôi tồn tại (sáp nhập, giải thể); để trống nếu còn hoạt động.",
    ("units", "successor"): "Mã đơn vị tiếp nhận sau sáp nhập, phải có trong cột «Mã đơn vị» của cùng bảng.",
    ("framework", "code"): "I, II, … cho lĩnh vực; 1.1 cho tiêu chí; 1.1.2 cho tiêu chí thành phần.",
    ("framework", "name"): "Tên lĩnh vực, tiêu chí hoặc tiêu chí thành phần.",
    ("framework", "max_points"): "Điểm tối đa; điểm của lĩnh vực bằng tổng điểm các tiêu chí của nó.",
    (
        "framework",
        "point_kind",
    ): "Tiêu chí do đơn vị tự chấm hay chấm qua điều tra xã hội học (để trống: tự chấm).",
    ("framework", "rule"): "Cách tính điểm; để trống ở dòng lĩnh vực; để trống ở tiêu chí nghĩa là nhập tay.",
    ("framework", "metric"): "Số liệu dùng để tính (cần khi cách tính là Bậc, Tỷ lệ hoặc Trừ điểm); "
    "thêm «cấp xã» hoặc «cấp huyện» để chỉ tính hồ sơ của xã hoặc của phòng, ban.",
    ("framework", "thresholds"): "Bậc: «100%: 2; 80%: 1; 0%: 0» (từ 100 % được 2 điểm, từ 80 % được 1 điểm). "
    "Trừ điểm: số điểm trừ mỗi lần, ví dụ «0,25».",
    ("framework", "responsible_unit"): "Đơn vị tham mưu, chịu trách nhiệm về tiêu chí.",
    ("tasks", "code"): "Số thứ tự nhiệm vụ (1, 2, …); dòng lĩnh vực ghi I, II, … và không cần các cột khác.",
    ("tasks", "title"): "Nội dung nhiệm vụ như trong kế hoạch.",
    ("tasks", "lead_unit"): "Một đơn vị chủ trì; chọn trong danh sách hoặc gõ tên đầy đủ.",
    ("tasks", "co_units"): "Các đơn vị phối hợp, cách nhau bằng dấu phẩy.",
    ("tasks", "deadline_text"): "Ghi như trong kế hoạch. Chấp nhận: {deadline_forms}.",
    ("tasks", "status_text"): "Tình trạng tại thời điểm báo cáo; để trống nếu chưa báo cáo.",
    ("tasks", "completed_on"): "Ngày hoàn thành thực tế (ngày của văn bản, sản phẩm).",
    ("tasks", "criterion"): "Mã tiêu chí của Bộ chỉ số mà nhiệm vụ phục vụ, ví dụ 1.1.2.",
    ("tasks", "product"): "Sản phẩm, tài liệu kiểm chứng (số, ngày văn bản).",
    ("scores", "code"): "Mã như trong Bộ tiêu chí: I, II, … cho lĩnh vực; 1.1, 1.1.2 cho tiêu chí.",
    ("scores", "self_points"): "Số điểm, hoặc «Có» (được điểm tối đa), «Không» (0 điểm), «Không áp dụng».",
    ("scores", "appraised_points"): "Điểm do Hội đồng thẩm định chấm; để trống nếu chưa thẩm định.",
    ("scores", "evidence"): "Số, ngày văn bản làm tài liệu kiểm chứng.",
    ("scores", "explanation"): "Giải trình khi bị trừ điểm hoặc không áp dụng.",
    ("dossiers", "dossier_id"): "Mã hồ sơ trên Hệ thống thông tin giải quyết TTHC; không trùng nhau.",
    ("dossiers", "unit"): "Đơn vị tiếp nhận, giải quyết hồ sơ.",
    ("dossiers", "received_at"): "Ngày giờ tiếp nhận hồ sơ.",
    ("dossiers", "due_at"): "Ngày giờ hẹn trả kết quả.",
    ("dossiers", "resolved_at"): "Ngày giờ trả kết quả; để trống nếu đang xử lý.",
    ("dossiers", "apology"): "Đã gửi phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04) khi trễ hạn.",
}


# Task areas ------------------------------------------------------------------------------------

# The eight component areas of the national method (QĐ 876/QĐ-BNV): section rows and area columns.
AREA_NAMES = {
    "I": "Công tác chỉ đạo, điều hành cải cách hành chính",
    "II": "Cải cách thể chế",
    "III": "Cải cách thủ tục hành chính",
    "IV": "Cải cách tổ chức bộ máy hành chính nhà nước",
    "V": "Cải cách chế độ công vụ",
    "VI": "Cải cách tài chính công",
    "VII": "Xây dựng và phát triển chính quyền điện tử, chính quyền số",
    "VIII": "Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh tế – xã hội",
}
# A task's area comes from the Roman-numeral section row above it; flat exports from task trackers have
# no section rows and give it in a column of its own instead (a section row wins when both exist).
TASK_AREA_HEADERS = ("Lĩnh vực", "Nhóm nhiệm vụ", "Lĩnh vực cải cách", "Lĩnh vực CCHC", "Nhóm lĩnh vực")


# Aggregated dossier statistics (the official two-level table per unit and period) ---------------

# (column, flat header of the template, another spelling). Printed tables use the two-level form
# («Đã giải quyết» over «Tổng; Trước hạn; Đúng hạn; Quá hạn»), read by analysis.ingest.dossier_stats.
_STATS_COUNTS = (
    ("received_total", "Tiếp nhận: Tổng số", "tiếp nhận, tổng số"),
    ("carried_over", "Tiếp nhận: Kỳ trước chuyển qua", "kỳ trước chuyển qua"),
    ("received_online", "Tiếp nhận: Mới tiếp nhận trực tuyến", "mới tiếp nhận trực tuyến"),
    ("received_direct", "Tiếp nhận: Mới tiếp nhận trực tiếp, bưu chính", "mới tiếp nhận trực tiếp"),
    ("resolved_total", "Đã giải quyết: Tổng", "đã giải quyết, tổng"),
    ("resolved_early", "Đã giải quyết: Trước hạn", "đã giải quyết trước hạn"),
    ("resolved_on_time", "Đã giải quyết: Đúng hạn", "đã giải quyết đúng hạn"),
    ("resolved_late", "Đã giải quyết: Quá hạn", "đã giải quyết quá hạn"),
    ("pending_total", "Đang giải quyết: Tổng", "đang giải quyết, tổng"),
    ("pending_in_time", "Đang giải quyết: Chưa đến hạn", "đang giải quyết chưa đến hạn"),
    ("pending_overdue", "Đang giải quyết: Quá hạn", "đang giải quyết quá hạn"),
)

DOSSIER_STATS = _dataset(
    "dossier_stats",
    "The official table of dossiers received, resolved and pending per unit (or field) and period.",
    YEAR,
    _derived("quarter", "int", "Quý", "when the period lies in one quarter"),
    _derived("period_from", "date", "Từ ngày", "first day of the period"),
    _derived("period_to", "date", "Đến ngày", "last day of the period"),
    Column(
        "unit",
        "text",
        "Đơn vị",
        ("cơ quan", "đơn vị giải quyết"),
        description="a row per unit, or the unit named in the title («Đơn vị: …») for a table by field",
    ),
    Column("field", "text", "Lĩnh vực", ("lĩnh vực giải quyết",)),
    *(
        Column(name, "int", label, (alias,), description="number of dossiers")
        for name, label, alias in _STATS_COUNTS
    ),
)

DATASETS[DOSSIER_STATS.name] = DOSSIER_STATS
# Official task semantics (issue 9): said on the pages, in the README and in docs/FORMATS.md -----

TASK_RULES_VI = (
    "Cách tính: số liệu đến hết ngày D. Nhiệm vụ có hạn d «đến hạn» khi d ≤ D; chưa xong khi đã đến hạn là "
    "«chưa hoàn thành quá hạn» (hạn đúng ngày D mà hết ngày D chưa xong cũng là quá hạn). Nhiệm vụ thường xuyên "
    "hoặc không có hạn cụ thể lấy ngày cuối năm kế hoạch làm hạn. Tỷ lệ hoàn thành = số nhiệm vụ đến hạn đã "
    "hoàn thành ÷ số nhiệm vụ đến hạn; nhiệm vụ xong sớm được tính ngay vào số đã hoàn thành / số được giao, "
    "nhưng chỉ vào tỷ lệ đến hạn khi tới hạn."
)
TASK_RULES_EN = (
    "How it is counted: data up to the end of day D. A task with deadline d is due when d ≤ D; still open then, "
    "it is overdue (a deadline of D still open at the end of D is overdue). Ongoing and no-fixed-date tasks take "
    "the last day of the plan year as their deadline. Completion rate = tasks due and done ÷ tasks due; a task "
    "finished early counts in done ÷ assigned at once and enters the due rate on its deadline."
)
TASK_RULES_DOC = f"""
## Cách tính nhiệm vụ / How tasks are counted

{TASK_RULES_VI}

{TASK_RULES_EN}

Plan-completion and linked-task criteria use done ÷ due (`done_of_due ÷ due`); at year end every task is
due, so this is done ÷ assigned. A yes/no or task-linked criterion none of whose tasks is due yet is
«chưa đến hạn» (pending): left out of the maximum like an unknown criterion, never scored 0.
Appraised points (thẩm định) are final for their criterion and period; the data rule's result is shown
beside them («theo số liệu: …»). A quarter's self-assessment counts from the last day of that quarter
(a date inside Q2 uses Q1's).

Ví dụ / Worked example — kế hoạch 5 nhiệm vụ năm 2024 / a 5-task plan for 2024:

| TT | Hạn / deadline | Hoàn thành / completed |
|---|---|---|
| 1 | 31/03/2024 | 15/03/2024 |
| 2 | 31/03/2024 | 10/04/2024 |
| 3 | 30/04/2024 | 20/04/2024 |
| 4 | 31/05/2024 | — |
| 5 | Thường xuyên (ongoing) | — |

| D | đúng hạn / on time | quá hạn / late | trong hạn / open in time | quá hạn / overdue | due | done_of_due | done ÷ due | done ÷ assigned |
|---|---|---|---|---|---|---|---|---|
| 31/03/2024 | 1 | 0 | 3, 4, 5 | 2 | 2 (1, 2) | 1 | 50 % | 1/5 |
| 25/04/2024 | 1, 3 | 2 | 4, 5 | — | 2 (1, 2) | 2 | 100 % | 3/5 |
| 30/06/2024 | 1, 3 | 2 | 5 | 4 | 4 (1–4) | 3 | 75 % | 3/5 |
| 31/12/2024 | 1, 3 | 2 | — | 4, 5 | 5 | 3 | 60 % | 3/5 |

Task 2 is due on 31/03 and still open at the end of that day: overdue in the Q1 report. Task 3, finished
early on 20/04, counts in 3/5 on 25/04 but enters done ÷ due only on 30/04. Task 5 (ongoing) is judged on
31/12 and, still open then, is overdue.
"""

# Framework levels (issue 9): a framework belongs to (year, level); the organisation's has no level.
# Keys are UNIT_KIND_GROUPS keys: a unit of that group is scored with that level's framework.
FRAMEWORK_LEVELS: dict[str, str] = {"commune": "xã, thị trấn", "office": "phòng, ban"}
