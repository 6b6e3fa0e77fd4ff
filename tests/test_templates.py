"""Templates: generated from the schema, filled with real rows, parsed back to the same rows without warnings."""

from __future__ import annotations

import io
import math
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest

from analysis.ingest.sheets import parse_file
from analysis.ingest.templates import HELP_SHEET, template_filled, template_workbook
from analysis.schema import DATASETS, Dataset
from analysis.store import Store
from analysis.workflow.load import SAMPLE_DIR, load_sample, sample_files

UNITS = ["Phòng Nội vụ", "Xã Ba Điền", "Xã Ba Tơ", "Xã Ba Tô", "Thị trấn Ba Tơ"]


def _cell(value: object, kind: str) -> object:
    """One comparable value: None for anything missing, Timestamps for dates, floats for numbers."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if kind in ("date", "timestamp"):
        stamp = pd.Timestamp(value)
        # Excel keeps times as fractions of a day: compare to the second.
        return stamp.round("s")
    if kind in ("float", "int"):
        return float(value)
    if kind == "bool":
        return bool(value)
    return str(value)


def _records(ds: Dataset, frame: pd.DataFrame) -> list[dict[str, object]]:
    return [{c.name: _cell(row.get(c.name), c.type) for c in ds.columns} for row in frame.to_dict("records")]


def _round_trip(name: str, frame: pd.DataFrame, **kwargs) -> pd.DataFrame:
    data = template_filled(name, frame, units=UNITS, **kwargs)
    result = parse_file(data, f"mau_{name}.xlsx")  # no kind given: the template must be recognised
    assert [s.dataset for s in result.sheets] == [name]
    assert [w.text() for w in result.warnings] == []
    return result.sheets[0].frame


def _assert_same_rows(name: str, parsed: pd.DataFrame, expected: pd.DataFrame) -> None:
    ds = DATASETS[name]
    got, want = _records(ds, parsed), _records(ds, expected)
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        assert g == w, f"row {i}: {g} != {w}"


# Sample rows ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory) -> Store:
    if not sample_files(SAMPLE_DIR):
        pytest.skip("data/sample has no files yet (python data/make_sample.py writes them)")
    store = Store(tmp_path_factory.mktemp("templates") / "sample.duckdb")
    load_sample(store)
    return store


def _sample_frames(store: Store) -> list[tuple[str, pd.DataFrame]]:
    scores = store.current("scores", 2024)
    district_q1 = scores[(scores["quarter"] == 1) & scores["unit"].isna()]
    commune = scores[scores["unit"].notna()]
    commune = commune[(commune["unit"] == commune["unit"].iloc[0]) & (commune["quarter"] == 2)]
    return [
        ("units", store.current("units")),
        ("framework", store.current("framework", 2024)),
        ("tasks", store.current("tasks", 2024)),
        ("scores", district_q1),
        ("scores", commune),
        ("dossiers", store.current("dossiers", 2024).head(300)),
    ]


@pytest.mark.parametrize(
    "which", range(6), ids=["units", "framework", "tasks", "scores-district", "scores-commune", "dossiers"]
)
def test_sample_rows_round_trip(sample_store, which):
    name, frame = _sample_frames(sample_store)[which]
    assert len(frame) > 0, "the sample has rows of this dataset"
    parsed = _round_trip(name, frame)
    if name == "scores":
        # The unit in the title is read back as written; the store resolves it on commit.
        assert set(parsed["unit"].map(lambda u: None if u is None else u)) == set(
            frame["unit"].map(lambda u: None if u is None else u)
        )
    _assert_same_rows(name, parsed, frame.reset_index(drop=True))


# Hand frames: one per dataset, covering the awkward values ------------------------------------------


def _hand_frames() -> dict[str, tuple[pd.DataFrame, dict]]:
    units = pd.DataFrame(
        {
            "code": ["21484", "21487", "21523", "P01"],
            "name": ["Thị trấn Ba Tơ", "Xã Ba Điền", "Xã Ba Tô", "Phòng Nội vụ"],
            "kind": ["town", "commune", "commune", "office"],
            "parent": [None, None, None, None],
            "valid_from": [pd.NaT, pd.Timestamp("2020-01-01"), pd.NaT, pd.NaT],
            "valid_to": [pd.NaT, pd.Timestamp("2025-06-30"), pd.NaT, pd.NaT],
            "successor": [None, "21484", None, None],
        }
    )
    framework = pd.DataFrame(
        {
            "year": 2024,
            "code": ["I", "1.1", "1.1.1", "1.1.2", "III", "3.4", "3.5"],
            "parent": [None, "I", "1.1", "1.1", None, "III", "III"],
            "level": ["area", "criterion", "sub", "sub", "area", "criterion", "criterion"],
            "area": ["I", "I", "I", "I", "III", "III", "III"],
            "name": [
                "CÔNG TÁC CHỈ ĐẠO",
                "Kế hoạch CCHC",
                "Ban hành đúng hạn",
                "Mức độ hoàn thành",
                "CẢI CÁCH TTHC",
                "Hồ sơ cấp huyện đúng hạn",
                "Hồ sơ cấp xã đúng hạn",
            ],  # fmt: skip
            "max_points": [2.5, 2.5, 0.5, 2.0, 5.0, 3.0, 2.0],
            "point_kind": ["assessed", "assessed", "assessed", "assessed", "assessed", "assessed", "survey"],
            "rule": [None, "manual", "yesno", "bands", None, "bands", "manual"],
            "metric": [
                None,
                None,
                None,
                "plan_completion",
                None,
                "dossier_on_time:office",
                "dossier_on_time:commune",
            ],
            "thresholds": [None, None, None, "100%: 2; 80%: 1; 0%: 0", None, "100%: 3; 98%: 2; 95%: 1", None],
            "responsible_unit": [
                None,
                "Phòng Nội vụ",
                "Phòng Nội vụ",
                "Phòng Nội vụ",
                None,
                None,
                "Xã Ba Tô",
            ],
        }
    )
    tasks = pd.DataFrame(
        {
            "year": 2024,
            "code": ["1", "2", "3", "4"],
            "area": ["I", "I", "II", "II"],
            "title": ["Ban hành kế hoạch", "Báo cáo quý", "Rà soát văn bản", "Kiểm tra công vụ"],
            "lead_unit": ["Phòng Nội vụ", "Phòng Nội vụ", "Xã Ba Tơ", "Xã Ba Tô"],
            "co_units": [None, "Các xã, thị trấn", None, None],
            "deadline_text": ["Quý I/2024", "Thường xuyên", "Trước 15/12/2024", "Theo quy định"],
            # Quý I -> 31/03; "Trước 15/12/2024" -> 15/12; ongoing and "theo quy định" have no date.
            "deadline": [pd.Timestamp("2024-03-31"), pd.NaT, pd.Timestamp("2024-12-15"), pd.NaT],
            "ongoing": [False, True, False, False],
            "status_text": ["Hoàn thành quá hạn", "Đang thực hiện", None, "Chưa thực hiện"],
            "status": ["done_late", "in_progress", None, "not_started"],
            "completed_on": [pd.Timestamp("2024-04-10"), pd.NaT, pd.NaT, pd.NaT],
            "criterion": ["1.1.1", "1.10", None, None],
            "product": ["KH 12/KH-UBND", None, None, None],
            "note": [None, None, "Chưa có văn bản", None],
        }
    )
    scores = pd.DataFrame(
        {
            "year": 2024,
            "quarter": 3,
            "unit": "Xã Ba Tô",
            "code": ["I", "1.1", "1.2", "1.3"],
            "name": ["CÔNG TÁC CHỈ ĐẠO", "Kế hoạch", "Báo cáo", "Tuyên truyền"],
            "max_points": [4.0, 2.0, 1.0, 1.0],
            "self_points": [2.75, 1.75, 1.0, math.nan],
            "appraised_points": [math.nan, 1.5, 0.75, math.nan],
            "not_applicable": [False, False, False, True],
            "evidence": [None, "KH số 5", None, None],
            "explanation": [None, None, "Gửi trễ 1 báo cáo", "Không có đối tượng"],
        }
    )
    dossiers = pd.DataFrame(
        {
            "year": 2024,
            "dossier_id": ["H48-001", "H48-002", "H48-003"],
            "unit": ["Xã Ba Điền", "Xã Ba Tô", "Phòng Nội vụ"],
            "procedure": ["Đăng ký khai sinh", "Chứng thực bản sao", None],
            "field": ["Hộ tịch", "Chứng thực", None],
            "received_at": pd.to_datetime(
                ["2024-02-01 08:15:00", "2024-05-20 14:40:30", "2024-11-03 09:00:00"]
            ),
            "due_at": pd.to_datetime(["2024-02-02 17:00", "2024-05-21 17:00", "2024-11-10 17:00"]),
            "resolved_at": pd.to_datetime(["2024-02-02 10:00", "2024-05-23 08:00", None]),
            "status": ["resolved_on_time", "resolved_late", "processing_in_time"],
            "channel": ["online", "direct", None],
            "apology": [False, True, None],
        }
    )
    results = pd.DataFrame(
        {
            "year": 2024,
            "unit": ["Huyện Ba Tơ", "Huyện Sơn Hà", "Thành phố Quảng Ngãi"],
            "score": [84.35, 88.1, math.nan],
            "max_score": [100.0, 100.0, math.nan],
            "percent": [84.35, 88.1, 91.25],
            "rank": [3, 2, 1],
            "peer_group": ["Cấp huyện", "Cấp huyện", None],
        }
    )
    return {
        "units": (units, {}),
        "framework": (framework, {}),
        "tasks": (tasks, {}),
        "scores": (scores, {}),
        "dossiers": (dossiers, {}),
        "results": (results, {}),
    }


@pytest.mark.parametrize("name", list(DATASETS))
def test_hand_rows_round_trip(name):
    frame, kwargs = _hand_frames()[name]
    parsed = _round_trip(name, frame, **kwargs)
    _assert_same_rows(name, parsed, frame)


def test_district_scores_have_no_unit():
    frame, _ = _hand_frames()["scores"]
    parsed = _round_trip("scores", frame.assign(unit=None))
    assert parsed["unit"].isna().all()
    assert set(parsed["quarter"]) == {3}


# The blank template ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(DATASETS))
def test_blank_template_parses_its_example_row_only(name):
    data = template_workbook(name, year=2024, quarter=2, units=UNITS)
    result = parse_file(data, f"mau_{name}.xlsx")
    assert [(s.dataset, s.rows) for s in result.sheets] == [(name, 1)]
    assert result.warnings == []
    sheet = result.sheets[0]
    if "year" in DATASETS[name].scope:
        assert sheet.year == 2024


def test_example_rows_mean_what_they_say():
    tasks = parse_file(template_workbook("tasks", year=2024), "t.xlsx").sheets[0].frame.iloc[0]
    # «Quý I/2024» ends on 31/03/2024; «Đã hoàn thành» is the plain done status.
    assert tasks["deadline"] == date(2024, 3, 31)
    assert tasks["status"] == "done"
    assert tasks["completed_on"] == date(2024, 1, 15)
    dossier = parse_file(template_workbook("dossiers", year=2025), "d.xlsx").sheets[0].frame.iloc[0]
    assert dossier["received_at"] == datetime(2025, 1, 15, 8, 30)
    assert dossier["status"] == "resolved_on_time" and dossier["channel"] == "online"
    assert not dossier["apology"]


def test_scores_title_carries_quarter_and_unit():
    data = template_workbook("scores", year=2024, quarter=4, unit="Xã Ba Tô")
    sheet = parse_file(data, "mau.xlsx").sheets[0]
    assert (sheet.year, sheet.quarter, sheet.unit) == (2024, 4, "Xã Ba Tô")


def _book(name: str) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(template_workbook(name, year=2024, units=UNITS)))


@pytest.mark.parametrize("name", list(DATASETS))
def test_headers_are_the_schema_labels_and_the_help_sheet_lists_every_column(name):
    ds = DATASETS[name]
    book = _book(name)
    assert book.sheetnames == [ds.label, HELP_SHEET]
    data = book[ds.label]
    header = next(r for r in data.iter_rows(values_only=True) if r[0] == ds.sheet_columns[0].label)
    assert list(header[: len(ds.sheet_columns)]) == [c.label for c in ds.sheet_columns]
    help_text = " ".join(str(v) for row in book[HELP_SHEET].iter_rows(values_only=True) for v in row if v)
    for col in ds.sheet_columns:
        assert f"· {col.label}" in help_text
    assert "Bắt buộc" in help_text


def _validations(name: str) -> dict[str, str]:
    """Column letter of the first validated cell -> formula (list source, or the type)."""
    ws = _book(name)[DATASETS[name].label]
    out = {}
    for dv in ws.data_validations.dataValidation:
        first = str(dv.sqref).split()[0].split(":")[0]
        letter = "".join(ch for ch in first if ch.isalpha())
        out[letter] = dv.formula1 if dv.type == "list" else dv.type
    return out


def test_drop_downs_point_at_the_lists():
    tasks = _validations("tasks")
    # Cơ quan chủ trì is column C, Tình trạng column F, Ngày hoàn thành (a date) column G.
    assert "Hướng dẫn" in tasks["C"] and "Hướng dẫn" in tasks["F"]
    assert tasks["G"] == "date"
    dossiers = _validations("dossiers")
    # Đơn vị B, Trạng thái H, Hình thức nộp I, Đã xin lỗi J.
    assert all("Hướng dẫn" in dossiers[c] for c in "BHIJ")
    framework = _validations("framework")
    # Loại điểm D, Cách tính E, Chỉ số F.
    assert all("Hướng dẫn" in framework[c] for c in "DEF")
    units = _validations("units")
    assert "Hướng dẫn" in units["C"]


def test_list_cells_hold_the_vietnamese_labels():
    book = _book("dossiers")
    values = {str(v) for row in book[HELP_SHEET].iter_rows(values_only=True) for v in row if v}
    assert {
        "Đã giải quyết trước hạn",
        "Rút không giải quyết",
        "Trực tuyến",
        "Trực tiếp",
        "Có",
        "Không",
    } <= values
    assert set(UNITS) <= values


def test_date_columns_are_formatted_day_first():
    book = _book("tasks")
    ws = book["Nhiệm vụ"]
    example = next(r for r in ws.iter_rows() if r[0].value == "1")
    # Ngày hoàn thành is the 7th sheet column (G).
    assert example[6].number_format == "dd/mm/yyyy"
