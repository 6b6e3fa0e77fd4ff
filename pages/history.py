"""Lịch sử nạp: every batch, the original files, rolling back, and the event log.

Layout only: tables and actions come from analysis.workflow.uploads (which checks permissions itself).
"""

from __future__ import annotations

import streamlit as st

from analysis import fmt
from analysis.facade import auth, uploads
from pages import common

NOTICE = "history_notice"

CAPTION = (
    "Mỗi lần ghi tệp là một lần nạp. Lần nạp mới thay cho lần nạp cũ cùng loại dữ liệu và phạm vi "
    "(năm; với điểm tự đánh giá: năm, quý và đơn vị). Không lần nạp nào bị xóa."
)

user = common.permitted("rollback", "Bạn không có quyền xem lịch sử nạp và khôi phục dữ liệu.")
store = common.store()
common.heading("Lịch sử nạp", CAPTION)
notice = st.session_state.pop(NOTICE, None)
if notice:
    st.success(notice, icon=":material/check_circle:")

history = uploads.history_frame(store)
if history.empty:
    common.no_data("Chưa có lần nạp nào. Nạp tệp ở trang «Tải dữ liệu».")
    st.stop()

st.dataframe(history, hide_index=True)

st.subheader("Tải lại tệp gốc")
files = uploads.file_choices(store)
sha = st.selectbox("Tệp đã nạp", list(files), format_func=files.get, key="history_file")
content = store.file_content(sha) if sha else None
if content is None:
    st.caption("Không còn lưu nội dung của tệp này.")
else:
    st.download_button(
        "Tải tệp gốc",
        data=content,
        file_name=uploads.file_name_of(store, sha),
        key="history_download",
        icon=":material/download:",
    )


def _act(action, batch_id: int, note: str, confirm_key: str, done: str) -> None:
    try:
        event = action(store, batch_id, user, note.strip() or None)
    except (uploads.UploadError, auth.AuthError) as exc:
        st.error(fmt.vi(exc))
        return
    st.session_state[NOTICE] = f"{done} (sự kiện {event})."
    st.session_state.pop(confirm_key, None)
    st.rerun()


left, right = st.columns(2)
with left:
    st.subheader("Khôi phục một lần nạp trước")
    restorable = uploads.restore_choices(store)
    if not restorable:
        st.caption("Chưa có lần nạp nào bị thay thế.")
    else:
        batch = st.selectbox(
            "Lần nạp muốn dùng lại", list(restorable), format_func=restorable.get, key="restore_batch"
        )
        note = st.text_input("Lý do (không bắt buộc)", key="restore_note")
        confirm = st.checkbox(
            "Tôi hiểu: lần nạp này sẽ thay cho dữ liệu đang dùng cùng phạm vi (không dữ liệu nào bị xóa).",
            key="restore_confirm",
        )
        if st.button("Khôi phục", key="restore_go", icon=":material/restore:"):
            if not confirm:
                st.warning("Hãy đánh dấu ô xác nhận trước khi khôi phục.")
            else:
                _act(uploads.rollback_batch, batch, note, "restore_confirm", f"Đã khôi phục lần nạp {batch}")
with right:
    st.subheader("Gỡ một lần nạp đang dùng")
    current = uploads.undo_choices(store)
    batch = st.selectbox("Lần nạp muốn gỡ", list(current), format_func=current.get, key="undo_batch")
    st.caption(
        "Lần nạp trước đó cùng phạm vi sẽ được dùng lại; nếu không có, phạm vi này sẽ không còn dữ liệu."
    )
    note = st.text_input("Lý do (không bắt buộc)", key="undo_note")
    confirm = st.checkbox("Tôi hiểu và muốn gỡ lần nạp này.", key="undo_confirm")
    if st.button("Gỡ", key="undo_go", icon=":material/undo:"):
        if not confirm:
            st.warning("Hãy đánh dấu ô xác nhận trước khi gỡ.")
        else:
            _act(uploads.undo_batch, batch, note, "undo_confirm", f"Đã gỡ lần nạp {batch}")

st.subheader("Nhật ký")
st.dataframe(uploads.events_frame(store), hide_index=True)
