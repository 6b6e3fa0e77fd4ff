"""Chỉ số thành phần: every area and criterion, why points are lost, the self-score audit, what-if."""

from __future__ import annotations

import streamlit as st

from analysis import facade, fmt
from analysis.present import figures, tables
from pages import common

loaded = common.require_data()
if loaded:
    ctx, data = loaded
    missing = (
        f"Chưa có bộ tiêu chí năm {ctx.year}. Chuyên viên nạp tệp bộ tiêu chí ở trang «Tải dữ liệu» "
        "(mẫu có sẵn tại đó)."
    )
    common.heading(
        f"Chỉ số thành phần — {ctx.period}",
        f"{ctx.unit_label} · số liệu đến {fmt.vdate(ctx.as_of)}",
        missing if data.framework.empty else None,
    )
    crit = facade.criteria(data, ctx.as_of, ctx.unit)
    summary = facade.summary(data, ctx.as_of, ctx.unit)

    st.subheader("Theo lĩnh vực")
    st.dataframe(tables.area_table(summary), hide_index=True)
    common.chart(figures.criteria(data, ctx.selection, crit), "tieu chi bi tru")
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

    st.subheader("Theo dõi khắc phục (các tiêu chí chưa đạt điểm ở kỳ tự đánh giá quý I)")
    tracker = facade.remediation(data, ctx.as_of, ctx.unit)
    if tracker.empty:
        st.success("Quý I không có tiêu chí nào chưa đạt điểm, hoặc chưa có số liệu quý I.")
    else:
        shown_tracker = facade.remediation_table(tracker)
        st.dataframe(shown_tracker, hide_index=True)
        common.download_excel(
            "Tải bảng theo dõi khắc phục (Excel)",
            {"Theo dõi khắc phục": shown_tracker},
            f"Theo dõi khắc phục — số liệu đến {fmt.vdate(ctx.as_of)}",
            f"theo_doi_khac_phuc_{ctx.year}.xlsx",
            key="remediation_xlsx",
        )

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
            before, after = summary["index"]["forecast"], result["forecast"]
            c3, c4 = st.columns(2)
            c3.metric(
                "Chắc chắn đạt cuối năm nếu hoàn thành",
                fmt.num(after["floor"], 2),
                delta=tables.signed(after["floor"] - before["floor"], 2, "điểm"),
                border=True,
            )
            c4.metric(
                "Dự kiến cuối năm nếu hoàn thành",
                fmt.num(after["likely"], 2),
                delta=tables.signed(after["likely"] - before["likely"], 2, "điểm"),
                border=True,
            )
