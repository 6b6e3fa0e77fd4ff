"""Chỉ số thành phần: every area and criterion, why points are lost, the self-score audit, what-if."""

from __future__ import annotations

import streamlit as st

from analysis import facade, fmt
from analysis.present import figures, tables
from pages import common

loaded = common.require_data()
if loaded:
    ctx, data = loaded
    st.title(f"Chỉ số thành phần — {ctx.period}")
    st.caption(f"{ctx.unit_label} · số liệu đến {fmt.vdate(ctx.as_of)}")
    if data.framework.empty:
        common.no_data(
            f"Chưa có bộ tiêu chí năm {ctx.year}. Chuyên viên nạp tệp bộ tiêu chí ở trang «Tải dữ liệu» "
            "(mẫu có sẵn tại đó)."
        )
        st.stop()
    crit = facade.criteria(data, ctx.as_of, ctx.unit)
    summary = facade.summary(data, ctx.as_of, ctx.unit)

    st.subheader("Theo lĩnh vực")
    st.dataframe(tables.area_table(summary), hide_index=True)
    common.plot(
        figures.criteria(data, ctx.selection, crit), figures.file_stem("tieu chi bi tru", ctx.selection)
    )
    st.subheader("Từng tiêu chí")
    areas = ["Tất cả", *sorted(crit["area"].dropna().unique(), key=tables.roman_order)]
    area = st.selectbox("Lĩnh vực", areas, key="criteria_area")
    shown = crit if area == "Tất cả" else crit[crit["area"] == area]
    st.dataframe(tables.criteria_table(shown), hide_index=True)
    book = facade.criteria_workbook(data, ctx.as_of, ctx.quarter, ctx.unit)
    common.download_excel(
        "Tải bảng tiêu chí (Excel)", book.frames, book.title, book.file_name, key="criteria-export"
    )

    st.subheader("Rà soát điểm tự đánh giá")
    audit = tables.audit_table(crit)
    if audit.empty:
        st.success("Không thấy tiêu chí nào tự chấm cao hơn số liệu hoặc thiếu tài liệu kiểm chứng.")
    else:
        st.caption(
            "Những điểm Hội đồng thẩm định có thể cắt: tự chấm cao hơn số liệu cho phép, hoặc không có tài liệu kiểm chứng."
        )
        st.dataframe(audit, hide_index=True)

    st.subheader("Nếu hoàn thành thêm nhiệm vụ")
    stake = facade.points_at_stake(data, ctx.as_of, ctx.unit)
    if stake.empty:
        common.no_data("Không có nhiệm vụ đang mở.")
    else:
        labels = {row.code: f"{row.code}. {row.title[:80]} ({row.lead_unit})" for row in stake.itertuples()}
        chosen = st.multiselect(
            "Chọn nhiệm vụ giả định hoàn thành trước cuối kỳ",
            list(labels),
            format_func=labels.get,
            key="what_if",
            placeholder="Chọn nhiệm vụ",
        )
        if chosen:
            result = facade.what_if(data, ctx.as_of, chosen, ctx.unit)
            base = summary["index"]["likely"] or 0
            gain = (result["likely"] or 0) - base
            c1, c2 = st.columns(2)
            c1.metric("Điểm dự kiến hiện tại", fmt.num(base, 2), border=True)
            c2.metric(
                "Điểm dự kiến nếu hoàn thành",
                fmt.num(result["likely"], 2),
                delta=tables.signed(gain, 2, "điểm"),
                border=True,
            )
