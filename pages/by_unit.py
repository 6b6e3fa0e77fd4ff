"""Theo đơn vị: who is behind, where, and the list of late units the directive asks to publish."""

from __future__ import annotations

import streamlit as st

from analysis import facade, fmt
from analysis.present import figures, tables
from pages import common

NO_DUE_TASKS = "Chưa có nhiệm vụ đến hạn để so sánh theo lĩnh vực."
NO_COMMUNE_SCORES = "Chưa có điểm tự đánh giá của xã, thị trấn cho kỳ này."

loaded = common.require_data()
if loaded:
    ctx, data = loaded
    nothing = data.tasks.empty and data.scores.empty
    common.heading(
        f"Theo đơn vị — {ctx.period}",
        f"Số liệu đến hết ngày {fmt.vdate(ctx.as_of)}. {facade.TASK_RULES_VI}",
        f"Chưa có nhiệm vụ hay điểm tự đánh giá nào cho năm {ctx.year}." if nothing else None,
    )
    sel = ctx.selection

    tab_league, tab_map, tab_commune, tab_late, tab_unit = st.tabs(
        [
            "Xếp hạng đơn vị",
            "Đơn vị × lĩnh vực",
            "Chỉ số của xã, thị trấn",
            "Đơn vị chậm trễ",
            "Chi tiết một đơn vị",
        ]
    )
    with tab_league:
        kinds = (
            [("office", "Phòng, ban"), ("commune", "Xã, thị trấn")]
            if ctx.unit_kind == "all"
            else [(ctx.unit_kind, common.UNIT_KIND_OPTIONS[ctx.unit_kind])]
        )
        for kind, label in kinds:
            league = facade.unit_league(data, ctx.as_of, kind)
            common.chart(
                figures.unit_league(data, sel, league, kind),
                f"xep hang {kind}",
                f"Không có nhiệm vụ nào do {label.lower()} chủ trì.",
            )
        st.caption(facade.ATTRIBUTION_NOTE)
    with tab_map:
        matrix = facade.unit_area_matrix(data, ctx.as_of)
        common.chart(figures.unit_area(data, sel, matrix), "don vi linh vuc", NO_DUE_TASKS)
    with tab_commune:
        communes = facade.commune_index(data, ctx.as_of)
        common.chart(figures.commune_index(data, sel, communes), "chi so xa thi tran", NO_COMMUNE_SCORES)
    with tab_late:
        late = facade.late_units(data, ctx.as_of)
        st.subheader("Danh sách đơn vị chậm trễ")
        st.caption(
            f"Theo chỉ đạo của Chủ tịch {facade.organisation(data, ctx.as_of).authority or 'UBND'}: công khai "
            "danh sách các đơn vị chậm trễ trong thực hiện nhiệm vụ CCHC và giải quyết TTHC."
        )
        if late.empty:
            st.success("Không có đơn vị nào chậm trễ tại thời điểm này.")
        else:
            export = facade.late_units_for_export(late)
            st.dataframe(tables.display_frame(export), hide_index=True)
            book = facade.late_units_workbook(data, ctx.as_of, ctx.quarter)
            common.download_excel(
                "Tải danh sách (Excel)", book.frames, book.title, book.file_name, key="late-export"
            )
        dossiers = facade.dossier_summary(data, ctx.as_of)
        common.chart(figures.dossiers(data, sel, dossiers), "ho so dung han")
    with tab_unit:
        choices = facade.unit_choices(data, ctx.unit_kind)
        if not choices:
            common.no_data("Chưa có đơn vị nào.")
        else:
            default = choices.index(ctx.unit) if ctx.unit in choices else 0
            unit = st.selectbox("Đơn vị", choices, index=default, key="unit_detail")
            detail = facade.unit_detail(data, ctx.as_of, unit)
            c1, c2, c3 = st.columns(3)
            c1.metric("Nhiệm vụ chủ trì", detail["assigned"], border=True)
            c2.metric("Đã hoàn thành", detail["done"], border=True)
            c3.metric("Quá hạn", detail["open_overdue"], border=True)
            st.markdown("**Nhiệm vụ của đơn vị**")
            if detail["tasks"].empty:
                common.no_data("Đơn vị này không chủ trì nhiệm vụ nào trong kế hoạch.")
            else:
                st.dataframe(detail["tasks"], hide_index=True)
            st.markdown("**Tiêu chí đơn vị chịu trách nhiệm**")
            if detail["criteria"].empty:
                common.no_data("Đơn vị này không được giao chịu trách nhiệm tiêu chí nào.")
            else:
                st.dataframe(detail["criteria"], hide_index=True)
