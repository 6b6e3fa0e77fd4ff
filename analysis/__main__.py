"""Command line: python -m analysis {load, load-sample, dump, summary, history, rollback, template, users, export,
late-list}."""

from __future__ import annotations

import argparse
import getpass
import json
import math
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.engine.organisation import organisation
from analysis.errors import IngestError, Problem, UserError
from analysis.schema import DATASETS, FRAMEWORK_LEVELS
from analysis.store import Store, StoreError, bulk


def _store(args: argparse.Namespace) -> Store:
    return Store(args.db) if args.db else Store()


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "cli"


def _warn_lines(warnings: list[Problem]) -> list[str]:
    return ["  cảnh báo: " + w.text() for w in warnings]


def cmd_load(args: argparse.Namespace) -> int:
    """Parse every file first; load nothing when any of them has an error."""
    from analysis.ingest.sheets import ReadOptions
    from analysis.ingest.worker import parse_isolated
    from analysis.workflow.load import assign_plan, commit, resolve_units

    store = _store(args)
    parsed = []
    failed = False
    for name in args.files:
        path = Path(name)
        try:
            data = path.read_bytes()
        except OSError as exc:
            print(f"{path}: không đọc được tệp ({exc.strerror}). / Cannot read the file.", file=sys.stderr)
            failed = True
            continue
        try:
            options = ReadOptions(kind=args.kind, year=args.year, quarter=args.quarter, unit=args.unit)
            result = parse_isolated(data, path.name, options, bulk=bulk())
        except IngestError as exc:
            print(exc.report(), file=sys.stderr)
            failed = True
            continue
        parsed.append((path, data, result))
    if failed:
        print("Không nạp tệp nào. / Nothing was loaded.", file=sys.stderr)
        return 2
    user = args.user or _user()
    from analysis.store import transaction

    written = []
    try:
        # One transaction for every file: when one fails to write, none is kept.
        with transaction(store):
            for path, data, result in parsed:
                # Names are resolved only now, so a unit list given earlier on the same line is used.
                prepared = assign_plan(store, resolve_units(store, result, data), args.plan)
                prepared = assign_plan(store, prepared, args.level, ("framework",))
                ids = [] if prepared.duplicate_of else commit(store, prepared, user)
                written.append((path, prepared, ids))
    except StoreError as exc:
        print(f"{exc}\nKhông nạp tệp nào. / Nothing was loaded.", file=sys.stderr)
        return 2
    for path, prepared, ids in written:
        if prepared.duplicate_of:
            ids = ", ".join(map(str, prepared.duplicate_of))
            print(
                f"{path.name}: tệp giống hệt đã nạp trước đây (lần nạp {ids}); không nạp lại. "
                f"Muốn dùng lại bản đó: python -m analysis rollback {prepared.duplicate_of[-1]}. / Already loaded."
            )
            continue
        for batch, batch_id in zip(prepared.batches, ids, strict=True):
            parts = [
                f"{path.name} [{batch.sheet}]",
                f"{DATASETS[batch.dataset].label} ({batch.dataset})",
                f"{len(batch.frame)} dòng",
                f"lần nạp {batch_id}",
            ]
            if batch.year:
                parts.append(f"năm {batch.year}")
            if batch.quarter:
                parts.append(f"quý {batch.quarter}")
            if batch.dataset == "scores":
                parts.append(f"đơn vị {batch.unit or organisation().whole_label.lower()}")
            if batch.plan and batch.dataset == "tasks":
                parts.append(f"kế hoạch của {batch.plan}")
            if batch.plan and batch.dataset == "framework":
                parts.append(f"bộ tiêu chí cấp {FRAMEWORK_LEVELS.get(batch.plan, batch.plan)}")
            parts.append(f"{batch.warnings} cảnh báo")
            print(" | ".join(parts))
        for line in _warn_lines(prepared.warnings):
            print(line)
    return 0


def cmd_load_sample(args: argparse.Namespace) -> int:
    from analysis.workflow.load import SAMPLE_DIR, load_sample, sample_files

    if not sample_files():
        print(f"Không tìm thấy dữ liệu mẫu trong «{SAMPLE_DIR}». / No sample files found.", file=sys.stderr)
        return 2
    store = _store(args)
    loaded = load_sample(store)
    for path, prepared, ids in loaded:
        state = f"lần nạp {', '.join(map(str, ids))}" if ids else "đã có sẵn"
        rows = sum(len(b.frame) for b in prepared.batches)
        print(f"{path.name}: {rows} dòng, {state}, {len(prepared.warnings)} cảnh báo")
    return 0


def _bool_text(value: object) -> str:
    """CSV booleans as true/false (empty when unknown), the same words JSON uses."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return "true" if bool(value) else "false"


def _for_csv(frame: pd.DataFrame, bool_columns: list[str]) -> pd.DataFrame:
    from analysis.exports.csvtext import for_people

    out = frame.copy()
    for name in bool_columns:
        if name in out:
            out[name] = out[name].map(_bool_text).astype(object)
    return for_people(out)  # opened in Excel by people: no text may run as a formula


def cmd_dump(args: argparse.Namespace) -> int:
    store = _store(args)
    frame = store.current(args.dataset, args.year)
    ds = DATASETS[args.dataset]
    for col in ds.columns:
        if col.type in ("date", "timestamp") and col.name in frame:
            fmt = "%Y-%m-%d" if col.type == "date" else "%Y-%m-%dT%H:%M:%S"
            text = frame[col.name].dt.strftime(fmt)
            frame[col.name] = text.astype(object).where(frame[col.name].notna(), None)
    if args.format == "json":
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        json.dump(records, sys.stdout, ensure_ascii=False)
        print()
    else:
        bools = [c.name for c in ds.columns if c.type == "bool"]
        _for_csv(frame, bools).to_csv(sys.stdout, index=False, lineterminator="\n")
    return 0


def _no_year(year: int, years: list[int]) -> str:
    have = ", ".join(map(str, years)) or "chưa có năm nào"
    return f"Chưa có số liệu của năm {year} (có số liệu: {have}). / No data for that year."


def cmd_summary(args: argparse.Namespace) -> int:
    from analysis.engine.units import UnitIndex
    from analysis.engine.year import summary_for
    from analysis.fmt import num, pct, points, vdate

    store = _store(args)
    as_of = _iso_date(args.as_of) if args.as_of else None
    unit = None
    with store.session():
        if args.unit:
            hit = UnitIndex(store.units()).resolve(args.unit)
            unit = None if hit.top_level else hit.name
        summary = summary_for(store, args.year, args.quarter or as_of, unit, args.plan)
        years = store.years()
    if args.year not in years:
        print(_no_year(args.year, years), file=sys.stderr)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
        return 0
    t = summary["tasks"]
    idx = summary["index"]
    who = f", đơn vị {summary['unit']}" if summary["unit"] else ""
    print(f"Năm {summary['year']}{who}, số liệu đến {vdate(date.fromisoformat(summary['as_of']))}")
    done = t["done"]
    print(
        f"Nhiệm vụ: {done}/{t['assigned']} hoàn thành ({t['done_late']} quá hạn), "
        f"{t['open_overdue']} chưa hoàn thành quá hạn, {t['open_in_time']} chưa hoàn thành trong hạn; "
        f"tỷ lệ hoàn thành nhiệm vụ đến hạn {pct(t['done_ratio_of_due'])} ({t['done_of_due']}/{t['due']})"
    )
    print(
        f"Chỉ số dự kiến: {num(idx['likely'])} / {points(idx['max'])}, chưa đạt {points(idx['deducted'])}, "
        f"chưa xác định {points(idx['unknown_max'])}; đạt {pct(None if idx['percent'] is None else idx['percent'] / 100)}"
        f" (xếp loại {idx['rank'] or '—'})"
    )
    f = idx["forecast"]
    if f["max"]:
        print(
            f"Dự báo cuối năm: từ {num(f['floor'])} (xếp loại {f['rank_floor']}) đến {num(f['ceiling'])} "
            f"(xếp loại {f['rank_ceiling']}), dự kiến {num(f['likely'])} (xếp loại {f['rank_likely']}) "
            f"/ {points(f['max'])}"
        )
    return 0


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise StoreError(f"Ngày «{text}» không hợp lệ (cần dạng 2024-06-30). / Invalid date.") from None


def cmd_history(args: argparse.Namespace) -> int:
    store = _store(args)
    if args.events:
        _for_csv(store.events(), []).to_csv(sys.stdout, index=False, lineterminator="\n")
        return 0
    frame = store.batches(args.dataset)
    cols = [
        "batch_id",
        "dataset",
        "year",
        "quarter",
        "unit",
        "file_name",
        "sheet",
        "row_count",
        "loaded_at",
        "loaded_by",
        "current",
    ]
    _for_csv(frame[cols], ["current"]).to_csv(sys.stdout, index=False, lineterminator="\n")
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    event = _store(args).rollback(args.batch, args.user or _user(), args.note)
    print(f"Đã khôi phục lần nạp {args.batch} (sự kiện {event}). / Batch {args.batch} restored.")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from analysis.ingest.templates import template_file_name, template_workbook

    store = _store(args)
    units = sorted(store.units()["name"].dropna())
    out = Path(args.out) if args.out else Path(template_file_name(args.dataset, args.year))
    out.write_bytes(
        template_workbook(args.dataset, year=args.year, quarter=args.quarter, unit=args.unit, units=units)
    )
    print(f"Đã tạo mẫu nhập liệu «{out}». / Template written.")
    return 0


def cmd_pack(args: argparse.Namespace) -> int:
    """Write one file of the quarter's pack: the report (docx, pdf), the deck (pptx) or the charts (zip)."""
    from analysis.engine.units import UnitIndex
    from analysis.engine.year import year_data
    from analysis.exports import browser, pack, report

    store = _store(args)
    with store.session():
        years = store.years()
        unit = None
        if args.unit:
            hit = UnitIndex(store.units()).resolve(args.unit)
            unit = None if hit.top_level else hit.name
        data = year_data(store, args.year)
    if unit is not None and not hit.known:
        names = sorted(data.units["name"].dropna())
        print(
            f"Không có đơn vị «{args.unit}» trong danh sách đơn vị"
            + (f" (ví dụ: {', '.join(names[:5])})" if names else "")
            + ". / Unknown unit.",
            file=sys.stderr,
        )
        return 2
    if args.year not in years:
        have = ", ".join(map(str, years)) or "chưa có năm nào"
        print(
            f"Chưa có số liệu của năm {args.year} (có số liệu: {have}). / No data for that year.",
            file=sys.stderr,
        )
        return 2
    sections = [s.strip() for s in args.sections.split(",")] if args.sections else None
    if sections and (unknown := [s for s in sections if s not in report.SECTIONS]):
        print(
            f"Không có phần «{', '.join(unknown)}»; các phần: {', '.join(report.SECTIONS)}. / Unknown section.",
            file=sys.stderr,
        )
        return 2
    if args.format in ("pptx", "zip") and browser.find_browser() is None:
        print(browser.install_hint() + " / No browser found: tables only.", file=sys.stderr)
    result = pack.pack_file(data, args.quarter, args.format, unit=unit, sections=sections, draft=args.draft)
    out = Path(args.out)
    try:
        out.write_bytes(result.data)
    except OSError as exc:
        print(f"{out}: không ghi được tệp ({exc.strerror}). / Cannot write the file.", file=sys.stderr)
        return 2
    print(f"Đã tạo «{out}» ({pack.FORMATS[args.format][1]}). / Written.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description="Chỉ số CCHC — dòng lệnh")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--db", help="DuckDB file (default: data/cchc.duckdb or $CCHC_DB)")
        return p

    p = with_db(sub.add_parser("load", help="load spreadsheets"))
    p.add_argument("files", nargs="+")
    p.add_argument("--kind", choices=list(DATASETS))
    p.add_argument("--year", type=int)
    p.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])
    p.add_argument("--unit")
    p.add_argument("--user")
    p.add_argument("--plan", help="load the task list as this unit's own plan (replaces only that plan)")
    p.add_argument(
        "--level",
        choices=list(FRAMEWORK_LEVELS),
        help="load the framework for this level: communes score with the commune framework",
    )
    p.set_defaults(func=cmd_load)

    p = with_db(sub.add_parser("load-sample", help="load the bundled sample data"))
    p.set_defaults(func=cmd_load_sample)

    p = with_db(sub.add_parser("dump", help="print the current rows of a dataset"))
    p.add_argument("dataset", choices=list(DATASETS))
    p.add_argument("--year", type=int)
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.set_defaults(func=cmd_dump)

    p = with_db(sub.add_parser("summary", help="task completion and likely index score"))
    p.add_argument("--year", type=int, required=True)
    group = p.add_mutually_exclusive_group()
    group.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])
    group.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD")
    p.add_argument("--unit")
    p.add_argument("--json", action="store_true")
    p.add_argument("--plan", help="read this unit's own plan (default: the organisation's plan)")
    p.set_defaults(func=cmd_summary)

    p = with_db(sub.add_parser("history", help="every batch loaded"))
    p.add_argument("--dataset", choices=list(DATASETS))
    p.add_argument("--events", action="store_true", help="the event log (commits and rollbacks) instead")
    p.set_defaults(func=cmd_history)

    p = with_db(sub.add_parser("rollback", help="make an earlier batch current again"))
    p.add_argument("batch", type=int)
    p.add_argument("--user")
    p.add_argument("--note")
    p.set_defaults(func=cmd_rollback)

    p = with_db(sub.add_parser("template", help="write an empty Excel template for a dataset"))
    p.add_argument("dataset", choices=list(DATASETS))
    p.add_argument("--year", type=int)
    p.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])
    p.add_argument("--unit")
    p.add_argument("--out", help="file to write (default: mau_<dataset>_<year>.xlsx)")
    p.set_defaults(func=cmd_template)

    _late_list_parser(sub, with_db)

    p = with_db(
        sub.add_parser("pack", help="the quarter's report (docx, pdf), deck (pptx) or chart images (zip)")
    )
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], required=True)
    p.add_argument("--unit", help="one unit instead of the whole organisation")
    p.add_argument("--format", choices=["docx", "pdf", "pptx", "zip"], required=True)
    p.add_argument("--out", required=True, help="file to write")
    p.add_argument("--sections", help="report parts, comma-separated (default: all)")
    p.add_argument("--draft", action="store_true", help="mark every page «DỰ THẢO» (data not final)")
    p.set_defaults(func=cmd_pack)

    sub.add_parser("users", help="manage accounts: users add|remove|list|passwd", add_help=False)
    _add_export_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["users"]:
        from analysis.workflow.auth import users_cli

        return users_cli(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except UserError as exc:
        print(str(exc), file=sys.stderr)
        return 2


# export: the workbooks the pages offer, for scripts and tests -----------------------------------


def _add_export_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="write the Excel workbook a page offers (tasks, late units, criteria)")
    p.add_argument("what", choices=["tasks", "late-units", "criteria"])
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], required=True)
    p.add_argument("--unit", help="criteria of one unit (default: the district)")
    p.add_argument("--xlsx", required=True, help="file to write")
    p.add_argument("--db", help="DuckDB file (default: data/cchc.duckdb or $CCHC_DB)")
    p.set_defaults(func=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    """The same builders as the pages' download buttons (analysis.facade.*_workbook)."""
    from analysis import facade
    from analysis.engine.units import UnitIndex

    store = _store(args)
    with store.session():
        years = store.years()
        if args.year not in years:
            print(_no_year(args.year, years), file=sys.stderr)
            return 2
        data = facade.year_data(store, args.year)
        unit = None
        if args.unit:
            hit = UnitIndex(store.units()).resolve(args.unit)
            unit = None if hit.top_level else hit.name
    as_of = facade.resolve_as_of(data, quarter=args.quarter)
    if args.what == "tasks":
        book = facade.tasks_workbook(data, as_of)
    elif args.what == "late-units":
        book = facade.late_units_workbook(data, as_of, args.quarter)
    else:
        book = facade.criteria_workbook(data, as_of, args.quarter, unit)
    out = Path(args.xlsx)
    out.write_bytes(book.to_bytes())
    rows = sum(len(f) for f in book.frames.values())
    print(f"Đã ghi «{out}»: {book.title}, {rows} dòng. / Written.")
    return 0


# late-list: the weekly list of units, officials and dossiers late (the directive's notice) ----------


def _late_list_parser(sub: Any, with_db: Any) -> None:
    p = with_db(sub.add_parser("late-list", help="units, officials and dossiers late in an ISO week"))
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--week", required=True, help="26 or 2024-W26 (ISO week, Monday to Sunday)")
    p.add_argument("--unit", help="one unit only")
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("--json", action="store_true", help="print the list as JSON")
    out.add_argument("--xlsx", metavar="PATH", help="write the list as an Excel workbook")
    out.add_argument("--docx", metavar="PATH", help="write the notice as a Word document")
    p.set_defaults(func=cmd_late_list)


def cmd_late_list(args: argparse.Namespace) -> int:
    """The same list as the «Hồ sơ TTHC» page, from the same store aggregates."""
    from analysis import facade
    from analysis.engine.dossiers import parse_week

    store = _store(args)
    iso_year, week = parse_week(args.week, args.year)
    # The week's dossiers live in the data of the year its Sunday falls in (2020-W53 ends in 2021).
    data = facade.year_data(store, args.year)
    with store.session():
        late = facade.dossier_late_list(data, "week", iso_year, week, args.unit)
        if args.json:
            print(json.dumps(late, ensure_ascii=False, indent=2))
            return 0
        if args.xlsx:
            Path(args.xlsx).write_bytes(facade.late_list_xlsx(late))
            print(f"Đã ghi {args.xlsx} / Written.")
            return 0
        notice = facade.late_list_docx(late, data)
    Path(args.docx).write_bytes(notice)
    print(f"Đã ghi {args.docx} / Written.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
