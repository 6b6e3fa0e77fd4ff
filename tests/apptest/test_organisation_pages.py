"""Every page for 2024, for 2025 and with a commune as the organisation (sample data through AppTest)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from .conftest import APP
from .test_pages import PAGES


def _texts(at: AppTest) -> str:
    """Every piece of page chrome a reader sees: titles, headers, captions, markdown, labels, options."""
    parts = [e.value for e in (*at.title, *at.header, *at.subheader, *at.caption, *at.markdown)]
    parts += [str(m.label) for m in at.metric]
    for box in at.sidebar.selectbox:
        parts += [str(o) for o in box.options]
    return "\n".join(str(p) for p in parts)


def _run(year: int, page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["year"] = str(year)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, f"{page} {year}: {[e.message for e in at.exception]}"
    assert not at.error, f"{page} {year}: {[e.value for e in at.error]}"
    assert at.title
    return at


@pytest.mark.parametrize("year", [2024, 2025])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_for_both_years(sample_db, page, year):
    at = _run(year, page)
    assert at.sidebar.selectbox(key="year_select").value == year


def test_sidebar_names_the_district_in_2024(sample_db):
    at = _run(2024, "pages/overview.py")
    # No setting: the organisation is the district valid in 2024 in the units file.
    assert at.sidebar.selectbox(key="unit_select").options[0] == "Toàn huyện"


@pytest.mark.parametrize("page", PAGES)
def test_commune_as_organisation_says_toan_xa_and_never_huyen(sample_db, monkeypatch, page):
    monkeypatch.setenv("CCHC_ORG_NAME", "Xã Ba Vì")
    monkeypatch.setenv("CCHC_ORG_LEVEL", "commune")
    at = _run(2025, page)
    assert at.sidebar.selectbox(key="unit_select").options[0] == "Toàn xã"
    text = _texts(at)
    assert "Toàn xã" in text
    assert "huyện" not in text.casefold(), [line for line in text.splitlines() if "huyện" in line.casefold()]


def test_overview_compares_with_the_same_quarter_last_year(sample_db):
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["year"] = "2025"
    at.query_params["q"] = "2"
    at.run()
    assert not at.exception
    assert "Quý II/2025 so với Quý II/2024" in [s.value for s in at.subheader]


def test_a_commune_organisation_sees_its_own_data_as_the_whole(sample_db, monkeypatch):
    from analysis.engine.year import summary_for
    from analysis.store import Store

    monkeypatch.setenv("CCHC_ORG_NAME", "Ủy ban nhân dân xã Ba Vì")
    at = _run(2025, "pages/overview.py")
    box = at.sidebar.selectbox(key="unit_select")
    assert box.value == "Toàn xã" and "Xã Ba Vì" not in box.options
    own = summary_for(Store(sample_db), 2025, 4, unit="Xã Ba Vì")["tasks"]
    every = summary_for(Store(sample_db), 2025, 4)["tasks"]
    cards = {m.label: m.value for m in at.metric}
    # The commune's own plan (10 tasks in the sample), not the 98 tasks of the whole store.
    assert cards["Nhiệm vụ đã hoàn thành"] == f"{own['done_on_time'] + own['done_late']}/{own['assigned']}"
    assert own["assigned"] == 10 and every["assigned"] == 98
