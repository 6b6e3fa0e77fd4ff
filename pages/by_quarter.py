"""Theo quý: completion, task states, likely score and deductions, quarter by quarter."""

from __future__ import annotations

import streamlit as st

from analysis import charts, fmt, views
from pages import common

loaded = common.require_data()
if loaded:
    ctx, data = loaded
    st.title(f"Diễn biến theo quý — năm {ctx.year}")
    st.caption(
        f"{ctx.unit_label} · từ Quý I đến {fmt.quarter_label(ctx.quarter)} · số liệu đến {fmt.vdate(ctx.as_of)}"
    )
    if data.empty:
        common.no_data(f"Chưa có nhiệm vụ hay điểm tự đánh giá nào cho năm {ctx.year}.")
        st.stop()
    series = common.quarter_series(ctx.year, ctx.unit, ctx.quarter)
    note = common.footnote(data, ctx)
    if len(series) == 1:
        st.info(
            "Mới có số liệu của một quý: các đường xu hướng sẽ rõ hơn khi có thêm quý sau.",
            icon=":material/info:",
        )
    left, right = st.columns(2)
    with left:
        common.plot(
            charts.completion_trend(
                series, title=f"Tiến độ hoàn thành nhiệm vụ so với kế hoạch — năm {ctx.year}", footnote=note
            ),
            f"tien-do-hoan-thanh-{ctx.year}",
        )
    with right:
        common.plot(
            charts.states_by_quarter(
                series, title=f"Tình trạng nhiệm vụ theo quý — năm {ctx.year}", footnote=note
            ),
            f"tinh-trang-nhiem-vu-{ctx.year}",
        )
    left, right = st.columns(2)
    with left:
        if series["max"].fillna(0).sum() > 0:
            common.plot(
                charts.score_trend(
                    series, title=f"Điểm chỉ số dự kiến theo quý — năm {ctx.year}", footnote=note
                ),
                f"diem-du-kien-theo-quy-{ctx.year}",
            )
        else:
            common.no_data("Chưa có bộ tiêu chí cho năm này nên chưa tính được điểm theo quý.")
    with right:
        long = common.area_deductions_by_quarter(ctx.year, ctx.unit, ctx.quarter)
        if long.empty:
            common.no_data("Chưa có điểm bị trừ theo lĩnh vực.")
        else:
            common.plot(
                charts.deductions_by_area_quarter(
                    long, title=f"Điểm bị trừ theo lĩnh vực qua các quý — năm {ctx.year}", footnote=note
                ),
                f"diem-bi-tru-theo-linh-vuc-{ctx.year}",
            )
    with st.expander("Bảng số liệu theo quý"):
        st.dataframe(views.quarter_table(series), hide_index=True)
