"""Tổng quan: where the district stands this quarter, and what changed since the last."""

from __future__ import annotations

import streamlit as st

from analysis import facade, fmt
from analysis.present import figures, tables
from pages import common

loaded = common.require_data()
if loaded:
    ctx, data = loaded
    sel = ctx.selection
    common.heading(
        f"Tổng quan — {ctx.period}",
        f"{ctx.unit_label} · số liệu đến {fmt.vdate(ctx.as_of)}",
        f"Chưa có nhiệm vụ hay điểm tự đánh giá nào cho năm {ctx.year}." if data.empty else None,
    )

    now = facade.summary(data, ctx.as_of, ctx.unit)
    forecast = now["index"]["forecast"]
    if forecast["max"]:
        st.subheader(f"Dự báo cuối năm {ctx.year}")
        low, mid, high = st.columns(3)
        low.metric(
            "Chắc chắn đạt (sàn)",
            f"{fmt.num(forecast['floor'], 2)} điểm",
            border=True,
            help="Điểm năm nay giữ được dù sau đây thế nào.",
        )
        low.caption(
            f"Xếp loại {forecast['rank_floor']} — {facade.rank_name(100 * forecast['floor'] / forecast['max'])}"
        )
        mid.metric(
            "Dự kiến", f"{fmt.num(forecast['likely'], 2)} điểm", border=True, help=facade.FORECAST_ASSUMPTION
        )
        mid.caption(
            f"Xếp loại {forecast['rank_likely']} — {facade.rank_name(100 * forecast['likely'] / forecast['max'])}"
        )
        high.metric(
            "Tối đa còn có thể (trần)",
            f"{fmt.num(forecast['ceiling'], 2)} điểm",
            border=True,
            help="Điểm tối đa trừ phần đã mất, không thể lấy lại trong năm.",
        )
        high.caption(
            f"Xếp loại {forecast['rank_ceiling']} — {facade.rank_name(100 * forecast['ceiling'] / forecast['max'])}"
        )
        st.markdown(
            f"**Cuối năm: từ {fmt.num(forecast['floor'], 2)} đến {fmt.num(forecast['ceiling'], 2)} "
            f"trên {fmt.num(forecast['max'], 2)} điểm, dự kiến {fmt.num(forecast['likely'], 2)}.** "
            + facade.FORECAST_ASSUMPTION
        )
        common.chart(
            figures.forecast(data, sel, facade.forecast_by_area(data, ctx.as_of, ctx.unit)),
            "du bao cuoi nam theo linh vuc",
            "Chưa có bộ tiêu chí cho năm này nên chưa dự báo được.",
        )
    st.caption(facade.TASK_RULES_VI)

    prev_ctx = ctx.previous()
    prev = facade.summary(data, prev_ctx.as_of, ctx.unit) if prev_ctx else None
    cards = tables.headline_cards(now, prev)

    cols = st.columns(len(cards))
    for col, card in zip(cols, cards, strict=True):
        col.metric(
            card["label"],
            card["value"],
            delta=card["delta"],
            delta_color="inverse" if card["lower_is_better"] else "normal",
            help=card["help"],
            border=True,
        )
    percent = now["index"]["percent"]
    if percent is not None:
        st.markdown(
            f"**Xếp loại dự kiến: {now['index']['rank']} — {facade.rank_name(percent)}** "
            f"({fmt.num(percent, 2)} % trên {fmt.num(now['index']['max'] - now['index']['unknown_max'], 2)} điểm "
            f"đã có số liệu; {fmt.num(now['index']['unknown_max'], 2)} điểm chưa có số liệu hoặc chưa đến hạn)."
        )

    left, right = st.columns([3, 2])
    with left:
        common.chart(
            figures.waterfall(data, sel, now),
            "diem du kien theo linh vuc",
            "Chưa có bộ tiêu chí cho năm này nên chưa tính được điểm dự kiến.",
        )
    with right:
        st.subheader("Ưu tiên hoàn thành trước")
        stake = facade.points_at_stake(data, ctx.as_of, ctx.unit)
        top = facade.finish_first(stake)
        if top.empty:
            st.success("Không còn nhiệm vụ nào đang mở.")
        else:
            st.dataframe(tables.stake_table(top), hide_index=True)
            n_overdue, gain = facade.overdue_gain(data, ctx.as_of, ctx.unit)
            if n_overdue:
                st.markdown(
                    f"**Nếu hoàn thành cả {n_overdue} nhiệm vụ đang quá hạn: "
                    f"{tables.signed(gain, 2, 'điểm')} chỉ số dự kiến.**"
                )
            st.caption(
                "Xếp theo điểm còn rủi ro: phần điểm cuối năm còn có thể mất của các tiêu chí tính từ nhiệm vụ, chia "
                "đều cho các nhiệm vụ còn mở của tiêu chí đó. Điểm lấy lại: số điểm chỉ số tăng thêm ngay nếu riêng "
                "nhiệm vụ đó hoàn thành trước cuối kỳ (0 khi một mình nhiệm vụ đó chưa đủ đổi mức điểm hoặc chưa "
                "đến hạn); chọn nhiều nhiệm vụ ở trang «Chỉ số thành phần» để xem tác động chung."
            )
        common.slides_button(ctx)

    st.caption("Dữ liệu từ: " + tables.sources_line(data))

# Same quarter, previous year; the published results beside the forecast ---------------------------
if loaded:
    if (ctx.year - 1) in common.store().years():
        before = common.year_data(ctx.year - 1)
        st.subheader(
            f"{fmt.quarter_label(ctx.quarter, ctx.year)} so với {fmt.quarter_label(ctx.quarter, ctx.year - 1)}"
        )
        st.dataframe(
            tables.year_comparison_table(facade.same_quarter_last_year(data, before, ctx.quarter, ctx.unit)),
            hide_index=True,
        )
        st.caption(facade.TREND_RULE + (" " + facade.ROLLUP_RULE if ctx.unit else ""))
    who = ctx.unit or facade.organisation(data, ctx.as_of).name
    standing = facade.standing(common.store(), who)
    if not standing.empty:
        st.subheader("Kết quả chính thức tỉnh công bố")
        st.dataframe(tables.standing_table(standing), hide_index=True)
        forecast = facade.summary(data, ctx.as_of, ctx.unit)["index"]["percent"]
        st.caption(
            tables.forecast_beside_published(
                forecast, ctx.year, standing, facade.published_results(common.store())
            )
        )
