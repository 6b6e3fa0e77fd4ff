"""Xu hướng nhiều năm: the index and task completion year by year, and the published results."""

from __future__ import annotations

import streamlit as st

from analysis import facade, fmt
from analysis.present import figures, tables
from analysis.schema import REPORT_LABELS
from pages import common

loaded = common.require_data()
if loaded:
    ctx, data = loaded
    years = sorted(common.store().years())
    st.title("Xu hướng nhiều năm")
    st.caption(f"{ctx.unit_label} · {years[0]}–{years[-1]} · {facade.TREND_RULE}")
    year_data = [common.year_data(y) for y in years]
    trend = facade.trend(year_data, ctx.unit)
    org = facade.organisation(data, ctx.as_of)
    standing = facade.standing(common.store(), ctx.unit or org.name)
    note = f"{ctx.unit_label} · mỗi năm tính đến ngày số liệu cuối cùng của năm · {facade.TREND_RULE}"
    common.plot(
        figures.multi_year(trend, standing, ctx.unit_label, note),
        f"xu-huong-nhieu-nam-{years[0]}-{years[-1]}",
        "Chưa đủ số liệu để vẽ xu hướng.",
    )
    if not trend.empty:
        st.dataframe(tables.trend_table(trend, standing), hide_index=True)
        st.caption(
            "Chỉ số dự kiến tính trên phần điểm đã có số liệu; năm có ít điểm đã có số liệu chưa so sánh được "
            "với các năm khác."
        )
    if not standing.empty:
        st.subheader("Vị trí trong kết quả chính thức tỉnh công bố")
        st.dataframe(tables.standing_table(standing), hide_index=True)
        st.caption(
            "Kết quả công bố là số chính thức; chỉ số dự kiến của năm đang theo dõi chỉ là ước tính từ số liệu."
        )

    if ctx.year - 1 in years:
        st.subheader(f"Năm {ctx.year - 1} quy về các đơn vị hiện nay")
        st.caption(facade.ROLLUP_RULE)
        before = common.year_data(ctx.year - 1)
        as_they_were = st.toggle("Xem như khi đó (chưa quy đổi)", value=False, key="as_they_were")
        if as_they_were:
            st.dataframe(
                tables.display_frame(facade.unit_league(before, facade.resolve_as_of(before))),
                hide_index=True,
            )
        else:
            rolled = facade.rolled_up_tasks(before, ctx.as_of)
            labels = {**REPORT_LABELS, "unit": "Đơn vị hiện nay", "predecessors": "Gồm các đơn vị cũ"}
            st.dataframe(
                tables.display_frame(rolled.drop(columns=["code"]).rename(columns=labels)), hide_index=True
            )
            index = facade.rolled_up_index(before, ctx.as_of)
            if not index.empty:
                st.markdown(
                    f"**Chỉ số CCHC dự kiến năm {ctx.year - 1} của các đơn vị cũ (so sánh, không cộng)**"
                )
                shown = index.assign(
                    lowest=[fmt.num(v, 2) + " %" if v is not None else "—" for v in index["lowest"]],
                    highest=[fmt.num(v, 2) + " %" if v is not None else "—" for v in index["highest"]],
                ).drop(columns=["each"])
                st.dataframe(
                    shown.rename(
                        columns={
                            "unit": "Đơn vị hiện nay",
                            "predecessors": "Các đơn vị cũ",
                            "lowest": "Thấp nhất",
                            "highest": "Cao nhất",
                        }
                    ),
                    hide_index=True,
                )
