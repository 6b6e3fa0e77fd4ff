"""Tải dữ liệu: check files, see what they would change, then commit; download the templates.

Layout only: checking, diffs, reports and commits come from analysis.workflow.uploads, .diff and .validation.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from analysis import fmt
from analysis.facade import (
    auth,
    diff_against_current,
    diff_tables,
    headline_effect,
    problems_frame,
    report_file_name,
    report_workbook,
    sha256_of,
    templates,
    uploads,
)
from analysis.schema import DATASETS
from pages import common

AUTO = "__auto__"
WHOLE = ""  # an empty unit override means the organisation itself
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CACHE = "upload_checks"
NOTICES = "upload_notices"


CAPTION = (
    "Chọn một hoặc nhiều tệp. Mỗi tệp được kiểm tra, cho xem trước thay đổi; chỉ khi bấm «Ghi vào cơ sở dữ liệu» "
    "thì dữ liệu mới được ghi. Tệp có lỗi không ghi được."
)


@st.cache_data(show_spinner=False, max_entries=32)
def _template(name: str, year: int, quarter: int, units: tuple[str, ...]) -> bytes:
    return templates.template_workbook(name, year=year, quarter=quarter, units=units)


def _overrides(k: str) -> uploads.Overrides:
    """The analyst's corrections for one file, read from the widgets' state."""
    state = st.session_state

    def pick(key: str):
        value = state.get(f"{key}-{k}", AUTO)
        return None if value == AUTO else value

    columns = state.get(f"cols-{k}", {})
    return uploads.Overrides(
        kind=pick("kind"),
        year=pick("year"),
        quarter=pick("quarter"),
        unit=pick("unit"),
        columns=tuple(sorted(columns.items())),
    )


def _checked(store, data: bytes, name: str, user, overrides: uploads.Overrides) -> dict:
    """Check, diff and headline effect of a file, computed once per file, overrides and data version."""
    cache = st.session_state.setdefault(CACHE, {})
    key = (sha256_of(data), name, overrides.key, store.version())
    if key not in cache:
        with st.spinner(f"Đang kiểm tra «{name}»…"):
            check = uploads.check_upload(store, data, name, user, overrides)
            entry = {"check": check, "diffs": [], "effect": None}
            if check.ok and not check.duplicate_of:
                entry["diffs"] = diff_against_current(store, check.prepared)
                entry["effect"] = headline_effect(store, check.prepared)
        if len(cache) > 20:
            cache.pop(next(iter(cache)))
        cache[key] = entry
    return cache[key]


def _detected(check: uploads.UploadCheck, what: str):
    if not check.ok:
        return None
    sheets = check.prepared.result.sheets
    batches = check.prepared.batches
    if what == "kind":
        return DATASETS[sheets[0].dataset].label
    if what == "year":
        return sheets[0].year
    if what == "quarter":
        return fmt.quarter_label(sheets[0].quarter) if sheets[0].quarter else None
    scored = [b for b in batches if b.dataset == "scores"]
    if scored:
        return scored[0].unit or common.whole_label()
    return None


def _override_widgets(k: str, check: uploads.UploadCheck, units: list[str]) -> None:
    def auto_label(what: str) -> str:
        found = _detected(check, what)
        return f"Tự nhận ({found})" if found not in (None, "") else "Tự nhận"

    c1, c2, c3, c4 = st.columns(4)
    c1.selectbox(
        "Loại dữ liệu",
        [AUTO, *DATASETS],
        format_func=lambda v: auto_label("kind") if v == AUTO else DATASETS[v].label,
        key=f"kind-{k}",
    )
    this_year = date.today().year
    c2.selectbox(
        "Năm",
        [AUTO, *range(this_year + 1, 2014, -1)],
        format_func=lambda v: auto_label("year") if v == AUTO else str(v),
        key=f"year-{k}",
    )
    c3.selectbox(
        "Quý",
        [AUTO, 1, 2, 3, 4],
        format_func=lambda v: auto_label("quarter") if v == AUTO else fmt.quarter_label(v),
        key=f"quarter-{k}",
    )
    c4.selectbox(
        "Đơn vị được đánh giá",
        [AUTO, WHOLE, *units],
        format_func=lambda v: (
            auto_label("unit") if v == AUTO else (common.whole_label() if v == WHOLE else v)
        ),
        key=f"unit-{k}",
        help="Chỉ dùng cho biểu tự đánh giá, chấm điểm.",
    )


def _column_widgets(k: str, check: uploads.UploadCheck) -> None:
    """Assign a column the reader did not recognise to a canonical column."""
    free = uploads.unmapped_columns(check)
    dataset = check.overrides.kind or (
        check.prepared.result.sheets[0].dataset if check.ok else check.dataset_guess
    )
    chosen = st.session_state.get(f"cols-{k}", {})
    if not dataset or not (free or chosen):
        return
    st.markdown("**Gán cột chưa nhận ra**")
    targets = uploads.column_targets(dataset)
    c1, c2, c3 = st.columns([2, 2, 1])
    letter = c1.selectbox(
        "Cột trong tệp",
        list(free) or list(chosen),
        format_func=lambda c: f"{c} — {free.get(c, '')}".rstrip(" —"),
        key=f"col-letter-{k}",
    )
    target = c2.selectbox("Là cột", list(targets), format_func=targets.get, key=f"col-target-{k}")
    if c3.button("Gán", key=f"col-apply-{k}"):
        st.session_state[f"cols-{k}"] = {**chosen, letter: target}
        st.rerun()
    if chosen:
        shown = ", ".join(f"{c} → {targets.get(t, t)}" for c, t in sorted(chosen.items()))
        st.caption(f"Đã gán: {shown}")
        if st.button("Bỏ các cột đã gán", key=f"col-clear-{k}"):
            st.session_state[f"cols-{k}"] = {}
            st.rerun()


def _show_errors(name: str, data: bytes, check: uploads.UploadCheck) -> None:
    st.error(
        f"Tệp có {len(check.problems)} lỗi nên chưa thể ghi vào cơ sở dữ liệu. "
        "Sửa các ô dưới đây (hoặc gửi lại bảng tính đánh dấu lỗi cho đơn vị) rồi tải tệp lên lại.",
        icon=":material/error:",
    )
    st.dataframe(problems_frame(check.problems), hide_index=True)
    st.download_button(
        "Tải bảng tính đánh dấu lỗi",
        data=report_workbook(data, name, check.problems),
        file_name=report_file_name(name),
        mime=XLSX,
        key=f"report-{sha256_of(data)[:12]}-{name}",
        icon=":material/download:",
    )


def _show_effect(effect: dict | None) -> None:
    if not effect:
        return
    st.markdown(f"**Nếu ghi tệp này** (số liệu năm {effect['year']}, tính đến {fmt.vdate(effect['as_of'])})")
    cards = uploads.effect_cards(effect)
    for col, card in zip(st.columns(len(cards)), cards, strict=True):
        col.metric(
            card["label"],
            card["value"],
            delta=card["delta"],
            delta_color="inverse" if card["lower_is_better"] else "normal",
            help=f"Hiện nay: {card['before']}",
        )
    if not effect["changed"]:
        st.caption("Các con số chính không thay đổi.")


def _show_prepared(k: str, store, user, entry: dict) -> None:
    check: uploads.UploadCheck = entry["check"]
    prepared = check.prepared
    units = {b.sheet: b.unit for b in prepared.batches}
    for sheet in prepared.result.sheets:
        batch = next(b for b in prepared.batches if b.sheet == sheet.sheet)
        st.markdown(
            f"**Trang tính «{sheet.sheet}»** — {uploads.sheet_caption(sheet, units.get(sheet.sheet))}"
        )
        tab_rows, tab_map = st.tabs(["Xem trước (50 dòng đầu)", "Cách đọc tiêu đề"])
        tab_rows.dataframe(uploads.preview_frame(sheet.dataset, batch.frame), hide_index=True)
        tab_map.dataframe(uploads.mapping_frame(sheet), hide_index=True)
    if prepared.warnings:
        st.warning(f"{len(prepared.warnings)} cảnh báo (vẫn ghi được):", icon=":material/warning:")
        st.dataframe(problems_frame(prepared.warnings), hide_index=True)

    done = st.session_state.get(NOTICES, {}).get(k)
    if done:
        st.success(done, icon=":material/check_circle:")
        return
    if check.duplicate_of:
        current = uploads.undo_choices(store)
        stale = [i for i in check.duplicate_of if i not in current]
        ids = ", ".join(map(str, check.duplicate_of))
        st.info(
            f"Tệp này giống hệt tệp đã nạp trước đây (lần nạp {ids}); không cần ghi lại.",
            icon=":material/info:",
        )
        if stale and st.button(f"Dùng lại lần nạp {', '.join(map(str, stale))}", key=f"reuse-{k}"):
            for batch_id in stale:
                uploads.rollback_batch(store, batch_id, user, "Tải lại tệp giống hệt")
            st.session_state.setdefault(NOTICES, {})[k] = f"Đã dùng lại lần nạp {', '.join(map(str, stale))}."
            st.rerun()
        return

    st.markdown("**Thay đổi so với dữ liệu hiện tại**")
    for d in entry["diffs"]:
        st.markdown(f"*{d.label}* — " + " ".join(d.sentences()))
        tables = diff_tables(d)
        if tables:
            for tab, (title, frame) in zip(st.tabs(list(tables)), tables.items(), strict=True):
                tab.dataframe(frame, hide_index=True)
                tab.caption(f"{title}: {len(frame)} dòng")
    _show_effect(entry["effect"])

    if not auth.can(user.role if user else None, "commit"):
        st.caption("Tài khoản của bạn không có quyền ghi dữ liệu.")
        return
    if st.button("Ghi vào cơ sở dữ liệu", type="primary", key=f"commit-{k}", icon=":material/save:"):
        try:
            ids = uploads.commit_upload(store, prepared, user)
        except (uploads.UploadError, auth.AuthError) as exc:
            st.error(fmt.vi(exc))
            return
        st.session_state.setdefault(NOTICES, {})[k] = (
            f"Đã ghi «{check.filename}» vào cơ sở dữ liệu: lần nạp {', '.join(map(str, ids))}."
        )
        st.rerun()


def _file_section(i: int, name: str, data: bytes, store, user, units: list[str]) -> None:
    k = f"{i}-{sha256_of(data)[:16]}"
    entry = _checked(store, data, name, user, _overrides(k))
    check: uploads.UploadCheck = entry["check"]
    _override_widgets(k, check, units)
    if check.ok:
        _show_prepared(k, store, user, entry)
    else:
        _show_errors(name, data, check)
    _column_widgets(k, check)


user = common.permitted("upload", "Bạn không có quyền tải dữ liệu lên.")
store = common.store()
common.heading("Tải dữ liệu", CAPTION)
units = uploads.unit_names(store)

with st.expander("Mẫu nhập liệu (Excel)", icon=":material/description:"):
    ctx = common.context()
    year = ctx.year if ctx else date.today().year
    quarter = ctx.quarter if ctx else (date.today().month - 1) // 3 + 1
    st.caption(
        f"Mẫu năm {year}, {fmt.quarter_label(quarter)} (theo năm, quý chọn ở thanh bên): tiêu đề cột tiếng Việt, danh sách chọn, ô ngày định dạng ngày/tháng/năm, "
        "một dòng ví dụ và trang «Hướng dẫn». Điền đúng mẫu thì tệp được nạp không có cảnh báo."
    )
    for col, name in zip(st.columns(len(DATASETS)), DATASETS, strict=True):
        col.download_button(
            DATASETS[name].label,
            data=_template(name, year, quarter, tuple(units)),
            file_name=templates.template_file_name(name, year),
            mime=XLSX,
            key=f"template-{name}",
            icon=":material/download:",
        )

files = st.file_uploader(
    "Tệp dữ liệu (.xlsx, .xls, .ods, .csv)",
    type=["xlsx", "xls", "ods", "csv"],
    accept_multiple_files=True,
    key="upload_files",
)
for i, uploaded in enumerate(files or []):
    with st.expander(f"{uploaded.name} · {fmt.num(uploaded.size / 1024, 1)} KB", expanded=True):
        _file_section(i, uploaded.name, uploaded.getvalue(), store, user, units)
