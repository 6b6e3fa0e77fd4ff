"""Hồ sơ TTHC: the weekly review of dossiers late, the units and officials behind them, and the notice."""

from __future__ import annotations

from datetime import date

import streamlit as st

from analysis import facade, fmt
from analysis.present import dossier_review, tables
from pages import common

KINDS = {"week": "Tuần", "month": "Tháng", "quarter": "Quý"}

loaded = common.require_data()
if loaded:
    ctx, data = loaded
    st.title("Hồ sơ thủ tục hành chính — rà soát hằng tuần")
    until = min(ctx.as_of, date(ctx.year, 12, 31))
    c1, c2, c3 = st.columns([1, 3, 3])
    kind = (
        c1.segmented_control("Kỳ", list(KINDS), format_func=KINDS.get, default="week", key="dossier_kind")
        or "week"
    )
    if kind == "week":
        weeks = {label: (y, w) for y, w, label in facade.dossier_weeks(data, until)}
        period_year, number = weeks[c2.selectbox("Tuần", list(weeks), key="dossier_week")]
    else:
        periods = {label: n for n, label in facade.dossier_period_choices(kind, ctx.year, until)}
        period_year, number = (
            ctx.year,
            periods[c2.selectbox(KINDS[kind], list(periods), key=f"dossier_{kind}")],
        )
    units_all = [u for u in facade.dossier_summary(data, until)["unit"]]
    default_unit = ctx.unit if ctx.unit in units_all else None
    unit = c3.selectbox(
        "Đơn vị",
        [None, *sorted(units_all)],
        index=0 if default_unit is None else 1 + sorted(units_all).index(default_unit),
        format_func=lambda u: "Tất cả đơn vị" if u is None else u,
        key="dossier_unit",
    )
    if not units_all:
        common.no_data(
            f"Chưa có hồ sơ TTHC nào cho năm {ctx.year}. Chuyên viên nạp danh sách hồ sơ ở trang «Tải dữ liệu»."
        )
        st.stop()
    late = facade.dossier_late_list(data, kind, period_year, number, unit)
    st.subheader(late["title"])
    st.caption(
        "Hồ sơ giải quyết quá hạn trong kỳ và hồ sơ đang quá hạn vào cuối kỳ; số ngày trễ tính theo ngày "
        "lịch từ ngày hẹn trả đến ngày trả kết quả (hoặc đến cuối kỳ)."
    )
    for col, (label, value) in zip(st.columns(4), dossier_review.late_list_headline(late), strict=True):
        col.metric(label, value, border=True)
    late_tables = facade.late_list_tables(late)
    if not late["dossiers"]:
        st.success("Không có hồ sơ nào trễ hạn trong kỳ này.")
    else:
        tab_units, tab_people, tab_dossiers = st.tabs(list(late_tables))
        for tab, frame in zip((tab_units, tab_people, tab_dossiers), late_tables.values(), strict=True):
            with tab:
                st.dataframe(
                    tables.display_frame(frame), hide_index=True, height=min(38 * (len(frame) + 1), 560)
                )
    stem = f"ds-cham-tre-{late.get('week') or late.get('period')}"
    b1, b2 = st.columns(2)
    b1.download_button(
        "Tải danh sách (Excel)",
        data=lambda: facade.late_list_xlsx(late),  # built on click: a province's list is long
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="late-list-xlsx",
        icon=":material/download:",
    )
    b2.download_button(
        "Tải thông báo (Word)",
        data=lambda: facade.late_list_docx(late, data),  # built on click, like the Excel file
        file_name=f"{stem}.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        key="late-list-docx",
        icon=":material/description:",
    )

    st.subheader("Tỷ lệ giải quyết đúng hạn theo tuần")
    weekly = facade.dossier_weekly_on_time(data, until)
    worst = [r["unit"] for r in late["units"]][:6]
    shown = st.multiselect(
        "Đơn vị trên biểu đồ",
        sorted(set(weekly["unit"])),
        default=[unit] if unit else worst,
        key="dossier_trend_units",
        placeholder="Chọn đơn vị",
    )
    fig = dossier_review.weekly_on_time_chart(
        weekly,
        facade.dossier_on_time_bands(data),
        f"Tỷ lệ hồ sơ giải quyết đúng hạn theo tuần — năm {ctx.year}",
        "Đường nét đứt: các mức điểm của tiêu chí hồ sơ đúng hạn trong bộ tiêu chí năm. "
        "Tuần tính từ thứ Hai đến Chủ nhật (ISO).",
        shown,
    )
    common.plot(fig, f"ho-so-dung-han-theo-tuan-{ctx.year}")

    st.subheader("Điểm các tiêu chí về hồ sơ theo số liệu hiện tại")
    end = date.fromisoformat(late["to"])
    points = facade.dossier_points(data, min(end, until))
    if points.empty:
        common.no_data("Bộ tiêu chí năm nay không có tiêu chí tính từ hồ sơ TTHC.")
    else:
        st.caption(f"Tính đến {fmt.vdate(min(end, until))}.")
        st.dataframe(
            tables.display_frame(points[["code", "name", "max_points", "likely", "why"]]).rename(
                columns={
                    "code": "Mã",
                    "name": "Tiêu chí",
                    "max_points": "Điểm tối đa",
                    "likely": "Điểm dự kiến",
                    "why": "Vì sao",
                }
            ),
            hide_index=True,
        )
