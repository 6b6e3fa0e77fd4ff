"""«Hồ sơ TTHC»: the page, the engine's criterion and the CLI read the same dossier aggregates."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date

from streamlit.testing.v1 import AppTest

from analysis import facade, fmt
from analysis.engine import dossiers as dossier_engine
from analysis.store import Store

from .conftest import APP, ROOT

PAGE = "pages/dossiers.py"


def _cli(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=300,
    )
    return json.loads(out.stdout)


def _page_2024() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.sidebar.selectbox(key="year_select").set_value(2024).run()  # the sample's newest year is 2025
    at.switch_page(PAGE).run()
    return at


def _page_week_26() -> AppTest:
    at = _page_2024()
    assert not at.exception, [e.message for e in at.exception]
    week = at.selectbox(key="dossier_week")
    assert week.options[0] == "Tuần 52/2024 (23/12–29/12/2024)"  # newest first
    week.set_value("Tuần 26/2024 (24/6–30/6/2024)").run()
    assert not at.exception and not at.error, [e.message for e in at.exception]
    return at


def test_page_cli_and_engine_agree_on_week_26_and_the_criteria(sample_db):
    at = _page_week_26()
    cards = {m.label: m.value for m in at.metric}
    cli = _cli("late-list", "--year", "2024", "--week", "2024-W26", "--db", str(sample_db), "--json")
    assert at.subheader[0].value == cli["title"]
    assert cards["Đã giải quyết trong kỳ"] == fmt.num(cli["resolved"], 0)
    assert cards["Giải quyết quá hạn"] == fmt.num(cli["resolved_late"], 0)
    assert cards["Đang quá hạn cuối kỳ"] == fmt.num(cli["pending_overdue"], 0)
    assert cards["Tỷ lệ đúng hạn"] == fmt.pct(cli["on_time_rate"])

    # The engine over the same week: the store's aggregates, summed by unit.
    data = facade.year_data(Store(sample_db), 2024)
    week = dossier_engine.period_counts(data.dossiers, date(2024, 6, 24), date(2024, 6, 30))
    assert (int(week["resolved"].sum()), int(week["resolved_late"].sum()), int(week["pending_overdue"].sum())) == (
        cli["resolved"], cli["resolved_late"], cli["pending_overdue"],
    )  # fmt: skip
    # The late list names only units with something late, and every late dossier once.
    late_units = week[(week["resolved_late"] + week["pending_overdue"]) > 0]
    assert [u["unit"] for u in cli["units"]] and {u["unit"] for u in cli["units"]} == set(late_units["unit"])
    assert len(cli["dossiers"]) == cli["resolved_late"] + cli["pending_overdue"]

    # Criterion 3.4 (offices) at the week's end: the page's points table, the CLI summary and the
    # per-unit dossier summary (summed over the offices) say the same «on time / resolved».
    page_points = at.dataframe[-1].value.set_index("Mã")
    summary = _cli("summary", "--year", "2024", "--as-of", "2024-06-30", "--json", "--db", str(sample_db))
    cli_why = {c["code"]: c["why"] for c in summary["index"]["by_criterion"]}
    kinds = facade.unit_kinds(data)
    per_unit = facade.dossier_summary(data, date(2024, 6, 30))
    for code, chosen in (("3.4", {"office"}), ("3.5", {"commune", "town"})):
        assert page_points.loc[code, "Vì sao"] == cli_why[code]
        part = per_unit[per_unit["unit"].map(lambda u, c=chosen: kinds.get(u) in c)]
        good, total = int(part["on_time"].sum()), int(part["resolved"].sum())
        assert re.match(rf"{good}/{total} hồ sơ", cli_why[code]), (code, cli_why[code], good, total)


def test_quarter_view_and_one_unit(sample_db):
    at = _page_2024()
    at.button_group(key="dossier_kind").set_value("quarter").run()
    at.selectbox(key="dossier_quarter").set_value("Quý 2/2024").run()
    at.selectbox(key="dossier_unit").set_value("Xã Ba Vì").run()
    assert not at.exception and not at.error, [e.message for e in at.exception]
    cli = _cli(
        "late-list", "--year", "2024", "--week", "26", "--unit", "Xã Ba Vì", "--db", str(sample_db), "--json"
    )
    assert at.subheader[0].value.endswith("— Quý 2/2024")
    data = facade.year_data(Store(sample_db), 2024)
    q2 = dossier_engine.period_counts(data.dossiers, date(2024, 4, 1), date(2024, 6, 30), units=["Xã Ba Vì"])
    cards = {m.label: m.value for m in at.metric}
    assert cards["Đã giải quyết trong kỳ"] == fmt.num(int(q2["resolved"].sum()), 0)
    # The same unit's week 26 is part of its quarter.
    assert cli["unit"] == "Xã Ba Vì" and int(q2["resolved"].sum()) >= cli["resolved"]
