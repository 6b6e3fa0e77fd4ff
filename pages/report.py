"""Báo cáo: the quarter's report (Word, PDF), the meeting deck and the chart images, with a preview."""

from __future__ import annotations

import streamlit as st

from analysis import facade, fmt
from pages import common

loaded = common.require_data()
if loaded:
    ctx, _ = loaded
    st.title("Báo cáo định kỳ và tài liệu họp")
    st.caption(
        "Báo cáo theo thể thức văn bản hành chính (Nghị định 30/2020/NĐ-CP); số và ngày văn bản để trống cho "
        "văn thư. Mọi con số lấy từ cùng nguồn với các trang tổng quan."
    )
    years = common.store().years()
    c1, c2, c3 = st.columns([1, 1, 2])
    year = c1.selectbox("Năm", years, index=years.index(ctx.year) if ctx.year in years else 0, key="r_year")
    data = common.year_data(year)
    quarter = c2.selectbox(
        "Quý",
        [1, 2, 3, 4],
        index=(ctx.quarter if year == ctx.year else facade.latest_quarter(data)) - 1,
        format_func=lambda q: fmt.quarter_label(q, year),
        key="r_quarter",
    )
    as_of = facade.quarter_end(year, quarter)
    whole = facade.organisation(data, as_of).whole_label
    own = facade.own_unit(data, as_of)  # a commune's own data on a shared store is «Toàn xã»
    scopes = [whole, *(u for u in facade.unit_choices(data, "all") if u != own)]
    scope = c3.selectbox(
        "Phạm vi", scopes, index=scopes.index(ctx.unit) if ctx.unit in scopes else 0, key="r_scope"
    )
    unit = own if scope == whole else scope
    sections = st.multiselect(
        "Nội dung báo cáo",
        list(facade.REPORT_SECTIONS),
        default=list(facade.REPORT_SECTIONS),
        format_func=facade.REPORT_SECTIONS.get,
        key="r_sections",
    )
    draft = st.toggle("Đóng dấu «DỰ THẢO» (số liệu chưa chốt)", value=False, key="r_draft")

    content = facade.report_content(data, quarter, unit, sections, draft=draft)
    has_browser, hint = facade.chart_browser()
    if not has_browser:
        st.warning(hint, icon=":material/warning:")

    st.subheader("Tải về")
    key_base = f"pack-{year}-{quarter}-{unit}-{','.join(sections)}-{draft}-{common.data_version()}"
    cols = st.columns(len(facade.PACK_FORMATS))
    for col, (kind, (_mime, label)) in zip(cols, facade.PACK_FORMATS.items(), strict=True):
        key = f"{key_base}-{kind}"
        if col.button(f"Tạo {label}", key=f"make-{kind}", icon=":material/description:"):
            with st.spinner(f"Đang tạo {label.lower()}…"):
                try:
                    st.session_state[key] = facade.pack_file(
                        data, quarter, kind, unit=unit, sections=sections, draft=draft
                    )
                except facade.UserError as exc:
                    col.error(exc.vi)
        made = st.session_state.get(key)
        if made is not None:
            col.download_button(
                f"Tải {made.name}",
                data=made.data,
                file_name=made.name,
                mime=made.mime,
                key=f"get-{kind}",
                icon=":material/download:",
            )

    st.subheader("Xem trước nội dung")
    with st.container(border=True):
        st.markdown(f"**{content.title}**  \n**{content.subject}**")
        st.write(content.intro)
        for section in content.sections:
            st.markdown(f"**{section.heading}**")
            for line in section.paragraphs:
                st.markdown(line.replace("*", "\\*").replace("_", "\\_"))
        if content.closing:
            st.write(content.closing)
        appendices = [
            facade.REPORT_SECTIONS[k] for k in ("appendix_tasks", "appendix_criteria") if k in sections
        ]
        if appendices:
            st.caption(
                "Kèm theo: "
                + "; ".join(appendices)
                + f" ({len(content.task_rows)} nhiệm vụ, {len(content.criterion_rows)} tiêu chí)."
            )
