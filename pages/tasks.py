"""Nhiệm vụ: the full task list with filters, search with or without diacritics, and export."""

from __future__ import annotations

import streamlit as st

from analysis import facade, fmt
from analysis.present import tables
from analysis.schema import TASK_STATES
from pages import common

loaded = common.require_data()
if loaded:
    ctx, data = loaded
    missing = f"Chưa có nhiệm vụ nào cho năm {ctx.year}. Chuyên viên nạp kế hoạch ở trang «Tải dữ liệu»."
    common.heading(
        f"Danh sách nhiệm vụ năm {ctx.year}",
        f"Tình trạng tính đến hết ngày {fmt.vdate(ctx.as_of)}. {facade.TASK_RULES_VI}",
        missing if data.tasks.empty else None,
    )
    tasks = facade.task_list(data, ctx.as_of)
    c1, c2, c3, c4 = st.columns(4)
    areas = sorted(tasks["area"].dropna().unique(), key=tables.roman_order)
    area = c1.multiselect("Lĩnh vực", areas, key="f_area", placeholder="Tất cả")
    units = facade.unit_choices(data, ctx.unit_kind)
    unit = c2.multiselect(
        "Đơn vị chủ trì",
        units,
        default=[ctx.unit] if ctx.unit in units else [],
        key="f_unit",
        placeholder="Tất cả",
    )
    state = c3.multiselect(
        "Tình trạng", list(TASK_STATES), format_func=TASK_STATES.get, key="f_state", placeholder="Tất cả"
    )
    quarter = c4.multiselect(
        "Hạn trong quý", [1, 2, 3, 4], format_func=fmt.quarter_label, key="f_quarter", placeholder="Tất cả"
    )
    query = st.text_input(
        "Tìm kiếm (có dấu hoặc không dấu)", key="f_query", placeholder="ví dụ: bao cao, số hóa"
    )
    shown = facade.filter_tasks(tasks, areas=area, units=unit, states=state, quarters=quarter, query=query)
    st.caption(f"{len(shown)} / {len(tasks)} nhiệm vụ")
    table = tables.task_table(shown)
    st.dataframe(table, hide_index=True, height=min(38 * (len(table) + 1), 700))
    book = facade.tasks_workbook(data, ctx.as_of, shown)
    common.download_excel(
        "Tải danh sách (Excel)", book.frames, book.title, book.file_name, key="tasks-export"
    )
    removed = facade.removed_from_plan(data, ctx.as_of)
    if not removed.empty:
        st.subheader("Nhiệm vụ đã đưa ra khỏi kế hoạch (điều chỉnh đã phê duyệt)")
        st.dataframe(tables.removed_table(removed), hide_index=True)
