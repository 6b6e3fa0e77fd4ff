"""Tổng quan: where the district stands this quarter, and what changed since the last."""

from __future__ import annotations

import streamlit as st

from analysis import charts, fmt, views
from analysis.index import rank_name
from pages import common

loaded = common.require_data()
if loaded:
    ctx, data = loaded
    st.title(f"Tổng quan — {ctx.period}")
    st.caption(f"{ctx.unit_label} · số liệu đến {fmt.vdate(ctx.as_of)}")
    if data.empty:
        common.no_data(f"Chưa có nhiệm vụ hay điểm tự đánh giá nào cho năm {ctx.year}.")
        st.stop()

    now = common.summary(ctx.year, ctx.as_of, ctx.unit)
    prev_ctx = ctx.previous()
    prev = common.summary(prev_ctx.year, prev_ctx.as_of, ctx.unit) if prev_ctx else None
    cards = views.headline_cards(now, prev)

    cols = st.columns(len(cards))
    for col, card in zip(cols, cards, strict=True):
        col.metric(
            card["label"],
            card["value"],
            delta=card["delta"],
            delta_color=card["delta_color"],
            help=card["help"],
            border=True,
        )
    percent = now["index"]["percent"]
    if percent is not None:
        st.markdown(
            f"**Xếp loại dự kiến: {now['index']['rank']} — {rank_name(percent)}** "
            f"({fmt.num(percent, 2)} % trên {fmt.num(now['index']['max'] - now['index']['unknown_max'], 2)} điểm "
            f"đã có số liệu; {fmt.num(now['index']['unknown_max'], 2)} điểm chưa có số liệu)."
        )

    note = common.footnote(data, ctx)
    left, right = st.columns([3, 2])
    with left:
        if now["index"]["by_area"]:
            common.plot(
                charts.score_waterfall(
                    now["index"]["by_area"],
                    now["index"],
                    title=f"Từ điểm tối đa đến điểm dự kiến theo lĩnh vực — {ctx.period}",
                    footnote=note,
                ),
                f"diem-du-kien-theo-linh-vuc-{ctx.period}",
            )
        else:
            common.no_data("Chưa có bộ tiêu chí cho năm này nên chưa tính được điểm dự kiến.")
    with right:
        st.subheader("Ưu tiên hoàn thành trước")
        stake = common.points_at_stake(ctx.year, ctx.as_of, ctx.unit)
        top = views.finish_first(stake)
        if top.empty:
            st.success("Không còn nhiệm vụ nào đang mở.")
        else:
            st.dataframe(
                views.stake_table(top),
                hide_index=True,
            )
            st.caption(
                "Số điểm chỉ số lấy lại nếu nhiệm vụ hoàn thành trước cuối quý (tính lại qua các quy tắc chấm)."
            )

    st.caption("Dữ liệu từ: " + views.sources_line(data))
