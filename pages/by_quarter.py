"""Theo quý: completion, task states, likely score and deductions, quarter by quarter."""

from __future__ import annotations

import streamlit as st

from analysis import facade, fmt
from analysis.present import figures, tables
from pages import common

NO_FRAMEWORK = "Chưa có bộ tiêu chí cho năm này nên chưa tính được điểm theo quý."
NO_LOSSES = "Chưa có điểm chưa đạt theo lĩnh vực."

loaded = common.require_data()
if loaded:
    ctx, data = loaded
    sel = ctx.selection
    st.title(f"Diễn biến theo quý — năm {ctx.year}")
    st.caption(
        f"{ctx.unit_label} · từ Quý I đến {fmt.quarter_label(ctx.quarter)} · số liệu đến {fmt.vdate(ctx.as_of)}"
    )
    st.caption(facade.TASK_RULES_VI)
    if data.empty:
        common.no_data(f"Chưa có nhiệm vụ hay điểm tự đánh giá nào cho năm {ctx.year}.")
        st.stop()
    series = facade.quarter_series(data, ctx.unit, ctx.quarter)
    if len(series) == 1:
        st.info(
            "Mới có số liệu của một quý: các đường xu hướng sẽ rõ hơn khi có thêm quý sau.",
            icon=":material/info:",
        )
    left, right = st.columns(2)
    with left:
        common.chart(figures.completion_trend(data, sel, series), "tien do hoan thanh")
    with right:
        common.chart(figures.states_by_quarter(data, sel, series), "tinh trang nhiem vu")
    left, right = st.columns(2)
    with left:
        common.chart(figures.score_trend(data, sel, series), "diem du kien theo quy", NO_FRAMEWORK)
    with right:
        long = facade.area_deductions_by_quarter(data, ctx.unit, ctx.quarter)
        common.chart(figures.area_deductions(data, sel, long), "diem bi tru theo linh vuc", NO_LOSSES)
    with st.expander("Bảng số liệu theo quý"):
        st.dataframe(tables.quarter_table(series), hide_index=True)
