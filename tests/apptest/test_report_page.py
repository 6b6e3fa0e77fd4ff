"""The «Báo cáo» page: choices, preview from the engine's numbers, a file made on demand."""

from __future__ import annotations

import io

from docx import Document
from streamlit.testing.v1 import AppTest

from analysis.engine import year as views
from analysis.exports import browser
from analysis.store import Store

from .conftest import APP

PAGE = "pages/report.py"


def _open() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_report_page_previews_the_quarter_and_makes_the_word_file(sample_db):
    at = _open()
    assert at.title[0].value == "Báo cáo định kỳ và tài liệu họp"
    at.selectbox(key="r_year").set_value(2024).run()
    at.selectbox(key="r_quarter").set_value(2).run()
    data = views.year_data(Store(sample_db), 2024)
    summary = views.summary(data, views.resolve_as_of(data, 2))
    t = summary["tasks"]
    text = _markdown(at) + "\n".join(m.value for m in at.get("text"))
    assert f"đã hoàn thành {t['done_on_time'] + t['done_late']}/{t['assigned']} nhiệm vụ" in text
    assert "Kết quả thực hiện công tác cải cách hành chính Quý II năm 2024" in text

    at.button(key="make-docx").click().run()
    assert not at.exception, [e.message for e in at.exception]
    made = [v for k, v in at.session_state.items() if str(k).startswith("pack-") and str(k).endswith("-docx")]
    assert made, "the Word file was not made"
    doc = Document(io.BytesIO(made[0].data))
    assert any(p.text == "BÁO CÁO" for p in doc.paragraphs)


def test_report_page_for_a_unit_with_fewer_sections(sample_db):
    at = _open()
    at.selectbox(key="r_year").set_value(2024).run()
    at.selectbox(key="r_scope").set_value("Phòng Tư pháp").run()
    at.multiselect(key="r_sections").set_value(["tasks"]).run()
    assert not at.exception
    text = _markdown(at)
    assert "của Phòng Tư pháp" in text
    assert "I. KẾT QUẢ THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH" in text and "II." not in text


def test_report_page_says_what_to_install_without_a_browser(sample_db, monkeypatch):
    monkeypatch.setattr(browser, "find_browser", lambda: None)
    at = _open()
    assert any("Chromium" in w.value or "Chrome" in w.value for w in at.warning)
