"""The periodic report, the late-list notice and the meeting pack, opened the way a reader opens them.

Numbers are checked against `python -m analysis summary --json` run in its own process (an
independent route to the engine) and formatted here by hand (85,5; 1.234), not with analysis.fmt.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt
from pptx import Presentation
from pypdf import PdfReader

from analysis.engine import year as views
from analysis.errors import UserError
from analysis.exports import admin_doc, browser, make_templates, notice, pack, pdf, report
from analysis.schema import TASK_STATES
from analysis.store import Store

sys.path.insert(0, str(Path(__file__).parent))
from helpers_store import sample_db_in  # noqa: E402
from late_list_sample import EMPTY_WEEK, WEEK_26  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SUBJECT_Q2 = "Kết quả thực hiện công tác cải cách hành chính Quý II năm 2024"
NBSP = "\u00a0"


def vn(value: float, decimals: int = 2) -> str:
    """Hand formatting for expectations: 47.67 -> '47,67', 99.0 -> '99', 0.5 -> '0,5'."""
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def mm(*lengths) -> tuple[int, ...]:
    return tuple(round(x.mm) for x in lengths)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return sample_db_in(tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def data(db):
    return views.year_data(Store(db), 2024)


def cli_summary(db: Path, quarter: int, unit: str | None = None) -> dict:
    cmd = [sys.executable, "-m", "analysis", "summary", "--year", "2024", "--quarter", str(quarter), "--json",
           "--db", str(db)]  # fmt: skip
    if unit:
        cmd += ["--unit", unit]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT, timeout=300)
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def q2(db) -> dict:
    return cli_summary(db, 2)


@pytest.fixture(scope="module")
def files(data) -> dict[str, pack.PackFile]:
    """The full pack of Q2/2024, charts drawn once (needs Debian's Chromium, as the deck test does)."""
    return pack.full_pack(data, 2)


def docx_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert text == nfc(text), "the PDF's text comes out decomposed or broken"
    return text


def header_table(doc, first_cell: str):
    return next(t for t in doc.tables if t.rows[0].cells[0].text.strip() == first_cell)


# --- Word report -------------------------------------------------------------------------------


def test_report_docx_has_the_state_format_heading_block_and_title(files):
    doc = Document(io.BytesIO(files["docx"].data))
    section = doc.sections[0]
    # Word stores twips, so sizes are compared in whole millimetres.
    assert mm(section.page_width, section.page_height) == (210, 297)
    assert mm(section.top_margin, section.bottom_margin, section.left_margin, section.right_margin) == (
        20,
        20,
        30,
        15,
    )
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size == Pt(14)

    head = doc.tables[0]
    left, right = head.cell(0, 0).text, head.cell(0, 1).text
    assert "ỦY BAN NHÂN DÂN" in left and "HUYỆN BA TƠ" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    assert head.cell(1, 0).text.strip() == "Số: …/BC-UBND"
    assert head.cell(1, 1).text.strip() == "Ba Tơ, ngày … tháng … năm …"

    texts = [p.text for p in doc.paragraphs]
    i = texts.index("BÁO CÁO")
    assert texts[i + 1] == SUBJECT_Q2
    body = docx_text(doc)
    assert "Nơi nhận:" in body and "TM. ỦY BAN NHÂN DÂN" in body and "CHỦ TỊCH" in body
    assert "{{" not in body and "{%" not in body  # every template tag was filled


def test_report_headline_numbers_equal_the_cli_summary(files, q2):
    t, idx = q2["tasks"], q2["index"]
    done = t["done_on_time"] + t["done_late"]  # 38 + 6 = 44 on the sample
    assert (done, t["assigned"]) == (44, 93)
    expected = [
        f"Đến hết Quý II/2024, đã hoàn thành {done}/{t['assigned']} nhiệm vụ",
        f"tỷ lệ hoàn thành nhiệm vụ đến hạn đạt {vn(t['done_ratio_of_due'] * 100, 1)}{NBSP}%",
        f"dự kiến đạt {vn(idx['likely'])} điểm trên tổng số {vn(idx['max'])} điểm",
        f"tổng số điểm chưa đạt {vn(idx['deducted'])} điểm",
        f"{vn(idx['unknown_max'])} điểm chưa có số liệu",
        f"({vn(idx['percent'])}{NBSP}%)",
    ]
    body = docx_text(Document(io.BytesIO(files["docx"].data)))
    for phrase in expected:
        assert phrase in body, phrase
    # Each area's points lost, as the summary gives them.
    for area in idx["by_area"]:
        if area["deducted"]:
            assert f"Lĩnh vực {area['area']}." in body
            assert (
                f"chưa đạt {vn(area['deducted'])} điểm (đạt {vn(area['likely'])}/{vn(area['max'])} điểm)"
                in body
            )


def test_report_appendices_have_one_row_per_task_and_per_criterion(files, q2):
    doc = Document(io.BytesIO(files["docx"].data))
    tasks = header_table(doc, "TT")
    crit = header_table(doc, "Mã")
    assert [c.text for c in tasks.rows[0].cells] == list(report.TASK_HEADER)
    assert len(tasks.rows) - 1 == q2["tasks"]["assigned"]
    assert len(crit.rows) - 1 == len(q2["index"]["by_criterion"])
    # The four states, counted in the table, match the summary's counts.
    states = [row.cells[4].text for row in tasks.rows[1:]]
    assert set(states) <= set(TASK_STATES.values())
    for key, label in TASK_STATES.items():
        assert states.count(label) == q2["tasks"][key], label
    # Criterion codes and the points lost, row by row.
    by_code = {c["code"]: c for c in q2["index"]["by_criterion"]}
    for row in crit.rows[1:]:
        code, deducted = row.cells[0].text, row.cells[4].text
        want = by_code[code]["deducted"]
        assert deducted == ("" if want is None else vn(want)), code
    assert crit.rows[0].cells[5].text == "Đơn vị chịu trách nhiệm"
    # The appendix pages are A4 landscape.
    last = doc.sections[-1]
    assert mm(last.page_width, last.page_height) == (297, 210)


def test_unit_report_with_chosen_sections(db, data):
    content = report.report_content(data, 2, "Phòng Tư pháp", ["tasks", "late"])
    doc = Document(io.BytesIO(report.report_docx(content)))
    texts = [p.text for p in doc.paragraphs]
    assert f"{SUBJECT_Q2} của Phòng Tư pháp" in texts
    headings = [t for t in texts if t[:3] in ("I. ", "II.", "III")]
    assert headings == ["I. KẾT QUẢ THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH", "II. ĐƠN VỊ CHẬM TRỄ"]
    unit = cli_summary(db, 2, "Phòng Tư pháp")["tasks"]
    done = unit["done_on_time"] + unit["done_late"]
    assert f"đã hoàn thành {done}/{unit['assigned']} nhiệm vụ" in docx_text(doc)
    # No appendix chosen: no landscape section and no appendix table is left behind.
    assert len(doc.sections) == 1 and mm(doc.sections[0].page_width) == (210,)
    assert len(doc.tables) == 2  # heading block and the closing block


def test_report_of_a_year_without_data_says_so(tmp_path):
    empty = views.year_data(Store(tmp_path / "empty.duckdb"), 2024)
    content = report.report_content(empty, 1)
    text = content.text()
    assert "Chưa có danh mục nhiệm vụ của kế hoạch cải cách hành chính năm 2024." in text
    assert "Chưa có bộ tiêu chí hoặc số liệu chấm điểm." in text and "0/0" not in text
    assert Document(io.BytesIO(report.report_docx(content))).paragraphs
    assert "BÁO CÁO" in pdf_text(pdf.report_pdf(content))


def test_a_commune_report_on_its_own_data_is_not_a_unit_report(monkeypatch, db):
    monkeypatch.setenv("CCHC_ORG_NAME", "Xã Ba Vì")
    data_2025 = views.year_data(Store(db), 2025)
    content = report.report_content(data_2025, 4, "Xã Ba Vì", ["tasks"])
    assert content.subject == "Kết quả thực hiện công tác cải cách hành chính Quý IV năm 2025"
    assert content.org.heading_lines == ["ỦY BAN NHÂN DÂN", "XÃ BA VÌ"]
    assert admin_doc.date_line(content.org) == "Ba Vì, ngày … tháng … năm …"


def test_template_is_generated_deterministically_and_committed():
    first, second = make_templates.report_template(), make_templates.report_template()
    assert first == second
    assert report.DEFAULT_TEMPLATE.read_bytes() == first, "run: python -m analysis.exports.make_templates"


def test_a_province_department_signs_as_its_director(monkeypatch):
    monkeypatch.setenv("CCHC_ORG_NAME", "Sở Nội vụ tỉnh Quảng Ngãi")
    monkeypatch.setenv("CCHC_ORG_PARENT", "UBND tỉnh Quảng Ngãi")
    org = admin_doc.organisation()
    assert org.heading_lines == ["SỞ NỘI VỤ TỈNH QUẢNG NGÃI"] and org.code == "SNV"
    assert admin_doc.number_line(org) == "Số: …/BC-SNV"
    assert admin_doc.signature_lines(org)[0] == "GIÁM ĐỐC" and not org.on_behalf


def test_organisation_comes_from_settings(monkeypatch, data):
    monkeypatch.setenv("CCHC_ORG_NAME", "Ủy ban nhân dân xã Ba Vì")
    monkeypatch.setenv("CCHC_ORG_PARENT", "UBND tỉnh Quảng Ngãi")
    monkeypatch.setenv("CCHC_ORG_PLACE", "Ba Vì")
    monkeypatch.setenv("CCHC_ORG_SIGNER_NAME", "Đinh Văn Hùng")
    org = admin_doc.organisation()
    assert org.heading_lines == ["ỦY BAN NHÂN DÂN", "XÃ BA VÌ"] and org.code == "UBND"
    doc = Document(io.BytesIO(report.report_docx(report.report_content(data, 2, sections=["tasks"]))))
    left = doc.tables[0].cell(0, 0).text
    assert left.split("\n")[:3] == ["UBND TỈNH QUẢNG NGÃI", "ỦY BAN NHÂN DÂN", "XÃ BA VÌ"]
    assert doc.tables[0].cell(1, 1).text.strip() == "Ba Vì, ngày … tháng … năm …"
    assert "Đinh Văn Hùng" in doc.tables[-1].cell(0, 1).text


def test_the_office_own_template_is_used_and_a_broken_tag_is_reported(monkeypatch, tmp_path, data):
    own = Document(report.DEFAULT_TEMPLATE)
    own.paragraphs[0].insert_paragraph_before("Kính gửi: Thường trực Huyện ủy Ba Tơ")  # the office's wording
    path = tmp_path / "mau_cua_van_phong.docx"
    own.save(path)
    monkeypatch.setenv("CCHC_REPORT_TEMPLATE", str(path))
    content = report.report_content(data, 2, sections=["tasks"])
    body = docx_text(Document(io.BytesIO(report.report_docx(content))))
    assert "Kính gửi: Thường trực Huyện ủy Ba Tơ" in body and "đã hoàn thành 44/93 nhiệm vụ" in body

    own.paragraphs[0].insert_paragraph_before("{{ chua_dong_the")
    own.save(path)
    with pytest.raises(UserError) as err:
        report.report_docx(content)
    assert "mau_cua_van_phong.docx" in err.value.vi and "bị lỗi" in err.value.vi
    monkeypatch.setenv("CCHC_REPORT_TEMPLATE", str(tmp_path / "khong-co.docx"))
    with pytest.raises(UserError, match="Không đọc được"):
        report.report_docx(content)


# --- PDF ---------------------------------------------------------------------------------------


def test_pdf_has_embedded_fonts_and_diacritics_intact(files, q2):
    data = files["pdf"].data
    text = pdf_text(data)
    for phrase in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: …/BC-UBND",
                   "BÁO CÁO", SUBJECT_Q2, "Nơi nhận:", "PHỤ LỤC I", "PHỤ LỤC II", "Chưa hoàn thành quá hạn"):  # fmt: skip
        assert phrase in text, phrase
    t = q2["tasks"]
    assert f"đã hoàn thành {t['done_on_time'] + t['done_late']}/{t['assigned']} nhiệm vụ" in text.replace(
        "\n", " "
    )
    reader = PdfReader(io.BytesIO(data))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for ref in fonts.values():
        descendant = ref.get_object()["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"]  # embedded TrueType
    assert "NotoSerif" in " ".join(str(f.get_object()["/BaseFont"]) for f in fonts.values())
    first = reader.pages[0].mediabox
    assert (round(float(first.width)), round(float(first.height))) == (595, 842)  # A4 portrait in points
    # Every criterion code of the summary appears in appendix II.
    tail = pdf_text(data)[text.index("PHỤ LỤC II") :]
    for crit in q2["index"]["by_criterion"]:
        assert crit["code"] in tail
    assert "→" in tail and "≥" in tail  # the reasons' symbols, drawn from the fallback font


# --- Notice ------------------------------------------------------------------------------------


def test_notice_docx_title_heading_and_tables():
    doc = Document(io.BytesIO(notice.notice_docx(WEEK_26)))
    texts = [p.text for p in doc.paragraphs]
    title = "Danh sách đơn vị, cá nhân chậm trễ trong giải quyết TTHC — Tuần 26/2024 (24/6–30/6/2024)"
    assert texts[texts.index("THÔNG BÁO") + 1] == title
    assert doc.tables[0].cell(1, 0).text.strip() == "Số: …/TB-UBND"
    # No settings and no units file given: the issuer's name is left for the clerk, not invented.
    assert doc.tables[0].cell(0, 0).text.split("\n")[:2] == ["ỦY BAN NHÂN DÂN", "…"]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in doc.tables[0].cell(0, 1).text
    # 120 resolved, 7 late, rate 0.9417 -> 94,2 %, 3 pending overdue (the hand-built list).
    body = "\n".join(texts)
    assert "đã giải quyết 120 hồ sơ" in body and "7 hồ sơ giải quyết trễ hạn" in body
    assert f"94,2{NBSP}%" in body and "3 hồ sơ đang giải quyết quá hạn" in body
    units = header_table(doc, "TT")
    assert [[c.text for c in r.cells] for r in units.rows[1:]] == [
        ["1", "Phòng Tài nguyên và Môi trường", "40", "5", "2"],
        ["2", "Xã Ba Trang", "18", "2", "1"],
    ]
    officials = next(t for t in doc.tables if t.rows[0].cells[1].text == "Cán bộ, công chức")
    assert len(officials.rows) - 1 == 3 and officials.cell(1, 1).text == "Nguyễn Thị Hằng"
    dossiers = next(t for t in doc.tables if t.rows[0].cells[1].text == "Mã hồ sơ")
    rows = [[c.text for c in r.cells] for r in dossiers.rows[1:]]
    assert rows[0][1] == "H51.35-240617-0012" and rows[0][6:] == [
        "24/06/2024",
        "27/06/2024",
        "Giải quyết trễ hạn",
        "3",
        "Đã gửi",
    ]
    assert rows[1][7:] == ["", "Đang quá hạn", "", "Chưa gửi"]


def test_notice_of_a_week_with_nothing_late_across_the_year_end():
    assert notice.week_label(EMPTY_WEEK) == "Tuần 53/2020 (28/12/2020–3/1/2021)"
    doc = Document(io.BytesIO(notice.notice_docx(EMPTY_WEEK, draft=True)))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "không có đơn vị, cá nhân chậm trễ" in body
    assert len(doc.tables) == 2  # heading and closing blocks only
    assert "DỰ THẢO" in doc.sections[0].header._element.xml


# --- Deck and PNG bundle -----------------------------------------------------------------------


def _slide_text(slide) -> str:
    return " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def test_deck_has_an_official_title_slide_and_the_caveat(files, q2):
    deck = Presentation(io.BytesIO(files["pptx"].data))
    slides = list(deck.slides)
    cover = _slide_text(slides[0])
    for phrase in ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO KẾT QUẢ THỰC HIỆN",
                   "Quý II/2024", "30/06/2024"):  # fmt: skip
        assert phrase in cover, phrase
    numbers = _slide_text(slides[1])
    idx = q2["index"]
    assert f"({vn(idx['percent'])} %); {vn(idx['unknown_max'])} điểm chưa có số liệu" in numbers
    pictures = [s for slide in slides for s in slide.shapes if s.shape_type == 13]
    assert pictures and all(p.image.size == pack.PNG_SIZE for p in pictures)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])  # IHDR width, height


def test_png_bundle_has_every_chart_at_1920x1080(files, data):
    zf = zipfile.ZipFile(io.BytesIO(files["zip"].data))
    names = zf.namelist()
    from analysis.exports.slides import deck_figures

    assert len(names) == len(deck_figures(data, pack.selection(data, 2))) >= 6
    assert all(n.endswith(".png") and n.isascii() for n in names)
    for name in names:
        assert _png_size(zf.read(name)) == (1920, 1080), name


def test_draft_marks_every_format(data, files):
    images = [pack.ChartImage("a.png", "a", next(iter(_zip_pngs(files))))]
    made = {
        kind: pack.pack_file(data, 2, kind, sections=["tasks"], draft=True, images=images)
        for kind in ("docx", "pdf", "pptx", "zip")
    }
    doc = Document(io.BytesIO(made["docx"].data))
    assert all("DỰ THẢO" in s.header._element.xml for s in doc.sections)
    assert "DỰ THẢO" in pdf_text(made["pdf"].data)
    deck = Presentation(io.BytesIO(made["pptx"].data))
    assert all("DỰ THẢO" in _slide_text(s) for s in deck.slides)
    marked = zipfile.ZipFile(io.BytesIO(made["zip"].data)).read("a.png")
    assert _png_size(marked) == (1920, 1080) and marked != images[0].png


def _zip_pngs(files) -> list[bytes]:
    zf = zipfile.ZipFile(io.BytesIO(files["zip"].data))
    return [zf.read(n) for n in zf.namelist()]


def test_without_a_browser_documents_carry_tables_and_say_what_to_install(monkeypatch, data):
    monkeypatch.setattr(browser, "find_browser", lambda: None)
    deck = Presentation(io.BytesIO(pack.pack_file(data, 2, "pptx").data))
    shapes = [s for slide in deck.slides for s in slide.shapes]
    assert not [s for s in shapes if s.shape_type == 13]  # no pictures
    assert sum(1 for s in shapes if s.has_table) >= 2  # areas and late units
    assert any(
        "apt-get install -y chromium" in _slide_text(s) or "Chrome" in _slide_text(s) for s in deck.slides
    )
    zf = zipfile.ZipFile(io.BytesIO(pack.pack_file(data, 2, "zip").data))
    assert set(zf.namelist()) == {pack.NO_CHARTS_FILE, "bang-so-lieu.xlsx"}
    assert "Chromium" in zf.read(pack.NO_CHARTS_FILE).decode("utf-8")
    assert Document(io.BytesIO(pack.pack_file(data, 2, "docx").data)).tables  # the report does not need one


def test_install_hint_names_what_to_install_on_each_system():
    assert "apt-get install -y chromium" in browser.install_hint("Linux")
    assert "macOS" in browser.install_hint("Darwin")
    assert "Microsoft Edge" in browser.install_hint("Windows")


# --- CLI ---------------------------------------------------------------------------------------


def test_cli_pack_writes_each_format(db, tmp_path, q2):
    out = tmp_path / "bao-cao.docx"
    cmd = [sys.executable, "-m", "analysis", "pack", "--year", "2024", "--quarter", "2", "--format", "docx",
           "--out", str(out), "--db", str(db)]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    doc = Document(out)
    t = q2["tasks"]
    assert f"{t['done_on_time'] + t['done_late']}/{t['assigned']}" in docx_text(doc)

    unit_pdf = tmp_path / "tu-phap.pdf"
    args = ["--year", "2024", "--quarter", "2", "--format", "pdf", "--unit", "Phòng Tư pháp", "--draft",
            "--out", str(unit_pdf), "--db", str(db)]  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "analysis", "pack", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = pdf_text(unit_pdf.read_bytes())
    assert f"{SUBJECT_Q2} của Phòng Tư pháp" in text.replace("\n", " ") and "DỰ THẢO" in text

    unknown = subprocess.run([sys.executable, "-m", "analysis", "pack", *args[:7], "Phòng Không Có", *args[8:]],
                             capture_output=True, text=True, cwd=ROOT, timeout=300)  # fmt: skip
    assert unknown.returncode == 2 and "Không có đơn vị «Phòng Không Có»" in unknown.stderr

    bad = subprocess.run(cmd[:-4] + ["--sections", "tasks,khong-co", "--out", str(out), "--db", str(db)],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)  # fmt: skip
    assert bad.returncode == 2 and "khong-co" in bad.stderr and "Traceback" not in bad.stderr
