"""Unit-name resolution (NFC, case, 'UBND' prefix; never accents) and the loader around it."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from helpers_store import (
    scores_rows,
    simple_tasks,
    tasks_xlsx,
    units_rows,
    units_xlsx,
    write,
    xlsx_bytes,
)

from analysis.engine.units import UnitIndex, unit_key
from analysis.ingest.sheets import ReadOptions
from analysis.store import Store
from analysis.workflow.load import commit, ensure_sample, load_sample, prepare, sample_files

UNITS = pd.DataFrame(
    {
        "name": ["Huyện Ba Tơ", "Xã Ba Điền", "Xã Ba Tơ", "Thị trấn Ba Tơ", "Phòng Nội vụ", "Xã Ba Vì"],
        "kind": ["district", "commune", "commune", "town", "office", "commune"],
    }
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "x.duckdb")
    commit(s, prepare(s, units_xlsx(), "don_vi.xlsx"), "admin")
    return s


@pytest.mark.parametrize(
    "written, registered",
    [
        ("UBND xã Ba Điền", "Xã Ba Điền"),
        ("Ủy ban nhân dân xã Ba Điền", "Xã Ba Điền"),
        ("Uỷ ban nhân dân xã Ba Điền", "Xã Ba Điền"),  # the older tone placement
        ("  XÃ   BA ĐIỀN ", "Xã Ba Điền"),
        ("Ba Điền", "Xã Ba Điền"),  # only one unit is called Ba Điền
        ("Nội vụ", "Phòng Nội vụ"),
        ("UBND huyện Ba Tơ", "Huyện Ba Tơ"),
        ("Thị trấn Ba Tơ", "Thị trấn Ba Tơ"),
    ],
)
def test_names_resolve_to_the_registered_unit(written: str, registered: str) -> None:
    hit = UnitIndex(UNITS).resolve(written)
    assert (hit.name, hit.known) == (registered, True)


@pytest.mark.parametrize("written", ["Xã Ba Điền", "UBND xã Ba Điền", "Thị trấn Ba Tơ"])
def test_decomposed_input_resolves_to_the_composed_name(written: str) -> None:
    hit = UnitIndex(UNITS).resolve(nfd(written))
    assert hit.known
    assert hit.name == unicodedata.normalize("NFC", hit.name)
    assert hit.name == UnitIndex(UNITS).resolve(written).name


def test_accents_are_never_stripped() -> None:
    index = UnitIndex(UNITS)
    # Ba Tô (ô) is not Ba Tơ (ơ), Ba Vi is not Ba Vì, Ba Dien is not Ba Điền.
    for written in ("Xã Ba Tô", "UBND xã Ba Tô", "Xã Ba Vi", "Xã Ba Dien", "Ba Dien"):
        hit = index.resolve(written)
        assert not hit.known, written
    assert index.resolve("Xã Ba Tô").name == "Xã Ba Tô"  # kept as written, for the new-unit warning
    assert unit_key("Ba Tô") != unit_key("Ba Tơ")


def test_a_bare_name_shared_by_two_units_is_not_guessed() -> None:
    # "Ba Tơ" is the district, a commune and a town: which one is meant cannot be told.
    hit = UnitIndex(UNITS).resolve("Ba Tơ")
    assert not hit.known
    only_commune = UNITS[UNITS["name"] == "Xã Ba Tơ"]
    assert UnitIndex(only_commune).resolve("Ba Tơ").name == "Xã Ba Tơ"


def test_top_level_is_the_district_even_before_the_unit_list_is_loaded() -> None:
    assert UnitIndex(UNITS).resolve("UBND huyện Ba Tơ").top_level
    assert not UnitIndex(UNITS).resolve("UBND xã Ba Điền").top_level
    empty = UnitIndex(pd.DataFrame(columns=["name", "kind"]))
    assert empty.resolve("UBND huyện Ba Tơ").top_level
    assert not empty.resolve("Xã Ba Điền").top_level


def test_loaded_tasks_carry_registered_names(store: Store) -> None:
    rows = [
        ["I", "CHỈ ĐẠO"],
        [1, "Kế hoạch", "UBND xã Ba Điền", "31/03", None, None, None],
        [2, "Báo cáo", nfd("Xã Ba Điền"), "30/06", None, None, None],
        [3, "Tuyên truyền", "ubnd xã ba tơ", "30/09", None, None, None],
        [4, "Kiểm tra", "Phòng Nội vụ", "31/12", None, None, None],
    ]
    prepared = prepare(store, tasks_xlsx(2024, rows), "nv.xlsx")
    assert prepared.new_units == [] and prepared.warnings == []
    commit(store, prepared, "x")
    assert store.current("tasks", 2024)["lead_unit"].tolist() == [
        "Xã Ba Điền",
        "Xã Ba Điền",
        "Xã Ba Tơ",
        "Phòng Nội vụ",
    ]


def test_unknown_names_are_registered_with_a_warning(store: Store) -> None:
    rows = [
        ["I", "CHỈ ĐẠO"],
        [1, "Kế hoạch", "Xã Ba Tô", "31/03", None, None, None],
        [2, "Báo cáo", "Xã Ba Tô", "30/06", None, None, None],
        [3, "Kiểm tra", "Phòng Nội vụ", "31/12", None, None, None],
    ]
    prepared = prepare(store, tasks_xlsx(2024, rows), "nv.xlsx")
    assert prepared.new_units == ["Xã Ba Tô"]
    [warning] = prepared.warnings  # one warning per new name, not per row
    assert warning.severity == "warning"
    assert warning.value == "Xã Ba Tô" and warning.column == "Cơ quan chủ trì"
    assert "chưa có trong danh mục" in warning.text()
    assert prepared.batches[0].warnings == 1
    commit(store, prepared, "x")

    units = store.units()
    assert units.loc[units["name"] == "Xã Ba Tô", "kind"].tolist() == ["other"]
    assert units.loc[units["name"] == "Xã Ba Tơ", "kind"].tolist() == ["commune"]  # untouched
    assert store.current("tasks", 2024)["lead_unit"].tolist()[:2] == ["Xã Ba Tô", "Xã Ba Tô"]
    # Once registered, the name is known: no second warning next time.
    again = prepare(store, tasks_xlsx(2024, rows[:2]), "nv2.xlsx")
    assert again.new_units == [] and again.warnings == []


def test_scores_of_the_district_have_no_unit_and_of_a_commune_its_registered_name(store: Store) -> None:
    district = prepare(
        store, xlsx_bytes({"Q1": scores_rows(2024, 1, None)}), "h.xlsx", ReadOptions(unit="UBND huyện Ba Tơ")
    )
    commune = prepare(
        store,
        xlsx_bytes({"Q1": scores_rows(2024, 1, None)}),
        "x.xlsx",
        ReadOptions(unit=nfd("UBND xã Ba Điền")),
    )
    assert district.batches[0].unit is None
    assert district.batches[0].frame["unit"].isna().all()
    assert commune.batches[0].unit == "Xã Ba Điền"
    assert commune.batches[0].frame["unit"].tolist() == ["Xã Ba Điền", "Xã Ba Điền"]
    assert district.new_units == commune.new_units == []


def test_the_unit_named_in_a_score_sheet_title_resolves(store: Store) -> None:
    sheets = {
        "Ba Điền": scores_rows(2024, 1, "UBND xã Ba Điền"),
        "Huyện": scores_rows(2024, 1, "UBND huyện Ba Tơ"),
    }
    prepared = prepare(store, xlsx_bytes(sheets), "tu_danh_gia_q1.xlsx")
    assert [(b.sheet, b.unit, b.quarter) for b in prepared.batches] == [
        ("Ba Điền", "Xã Ba Điền", 1),
        ("Huyện", None, 1),
    ]
    assert prepared.new_units == []


def test_sample_files_are_ordered_units_first_and_skip_other_files(tmp_path: Path) -> None:
    for name in (
        "ho_so_tthc.csv",
        "bo_tieu_chi.xlsx",
        "don_vi.xlsx",
        "README.md",
        "zz_khac.xlsx",
        ".an.xlsx",
    ):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in sample_files(tmp_path)] == [
        "don_vi.xlsx",
        "bo_tieu_chi.xlsx",
        "ho_so_tthc.csv",
        "zz_khac.xlsx",
    ]
    assert sample_files(tmp_path / "missing") == []


def test_load_sample_loads_in_order_and_skips_what_is_already_there(tmp_path: Path) -> None:
    sample = tmp_path / "sample"
    sample.mkdir()
    # Tasks name "UBND xã Ba Điền": it resolves only because the unit list is loaded first.
    write(sample / "phu_luc_nhiem_vu_2024.xlsx", tasks_xlsx(2024, simple_tasks(2, unit="UBND xã Ba Điền")))
    write(sample / "don_vi.xlsx", xlsx_bytes({"Đơn vị": units_rows()}))
    store = Store(tmp_path / "x.duckdb")
    first = load_sample(store, directory=sample)
    assert [(p.name, len(ids)) for p, _, ids in first] == [
        ("don_vi.xlsx", 1),
        ("phu_luc_nhiem_vu_2024.xlsx", 1),
    ]
    assert store.current("tasks", 2024)["lead_unit"].tolist() == ["Xã Ba Điền", "Xã Ba Điền"]
    sizes = store.table_sizes()
    second = load_sample(store, directory=sample)
    assert [ids for _, _, ids in second] == [[], []]
    assert store.table_sizes() == sizes


def test_ensure_sample_only_fills_an_empty_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import analysis.workflow.load as load_module

    sample = tmp_path / "sample"
    sample.mkdir()
    write(sample / "don_vi.xlsx", units_xlsx())
    monkeypatch.setattr(load_module, "SAMPLE_DIR", sample)
    store = Store(tmp_path / "x.duckdb")
    assert ensure_sample(store) is True
    assert ensure_sample(store) is False
    empty = Store(tmp_path / "y.duckdb")
    monkeypatch.setattr(load_module, "SAMPLE_DIR", tmp_path / "none")
    assert ensure_sample(empty) is False
