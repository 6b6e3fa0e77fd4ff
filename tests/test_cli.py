"""`python -m analysis`: load, dump, history, rollback, summary and users, against a temporary database."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers_store import (
    PROJECT,
    framework_and_tasks_xlsx,
    framework_xlsx,
    simple_tasks,
    tasks_xlsx,
    units_xlsx,
    write,
)

from analysis.__main__ import main
from analysis.store import Store

TASK_COLUMNS = [
    "year", "code", "area", "title", "lead_unit", "co_units", "deadline_text", "deadline", "ongoing",
    "status_text", "status", "completed_on", "criterion", "product", "note",
]  # fmt: skip


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "cli.duckdb")


# Five tasks for the summary. As of 30/06/2024:
#   1 due 31/03, done 15/03          -> done on time   (linked to 1.2)
#   2 due 31/03, done 10/04          -> done late      (linked to 1.2)
#   3 due 30/04, done 20/04          -> done on time
#   4 due 31/05, not done            -> open, overdue
#   5 ongoing ("Thường xuyên")       -> open, in time  (area II)
FIVE_TASKS = [
    ["I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"],
    [1, "Ban hành kế hoạch CCHC", "Phòng Nội vụ", "31/03/2024", "Đã hoàn thành", "15/03/2024", "1.2"],
    [2, "Báo cáo CCHC quý I", "Phòng Nội vụ", "31/03/2024", "Hoàn thành quá hạn", "10/04/2024", "1.2"],
    [3, "Tuyên truyền CCHC", "Phòng Nội vụ", "30/04/2024", "Đã hoàn thành", "20/04/2024", None],
    [4, "Kiểm tra CCHC", "UBND xã Ba Điền", "31/05/2024", "Đang thực hiện", None, None],
    ["II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"],
    [5, "Niêm yết thủ tục hành chính", "UBND xã Ba Điền", "Thường xuyên", "Đang thực hiện", None, None],
]


@pytest.fixture
def five(tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]) -> str:
    files = [
        write(tmp_path / "don_vi.xlsx", units_xlsx()),
        write(tmp_path / "bo_tieu_chi_2024.xlsx", framework_xlsx(2024)),
        write(tmp_path / "nhiem_vu_2024.xlsx", tasks_xlsx(2024, FIVE_TASKS)),
    ]
    code, out, err = run(capsys, "load", *map(str, files), "--db", db, "--user", "chuyen.vien")
    assert code == 0, err
    return db


def test_load_prints_a_line_per_sheet(tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "ke_hoach.xlsx", framework_and_tasks_xlsx(2024, 3))
    code, out, err = run(capsys, "load", str(path), "--db", db, "--user", "a")
    assert (code, err) == (0, "")
    # One line per sheet, then the warnings (here: "Phòng Nội vụ" is not in a unit list yet).
    lines = [line for line in out.splitlines() if not line.startswith("  cảnh báo: ")]
    assert len(lines) == 2
    assert lines[0].startswith("ke_hoach.xlsx [Bộ tiêu chí] | Bộ tiêu chí (framework) | 5 dòng | lần nạp ")
    assert lines[1].startswith("ke_hoach.xlsx [Nhiệm vụ] | Nhiệm vụ (tasks) | 3 dòng | lần nạp ")
    assert "năm 2024" in lines[1]
    assert Store(db).table_sizes()["batches"] == 2


def test_a_bad_file_exits_2_names_row_and_column_and_loads_nothing(
    tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "truoc.xlsx", tasks_xlsx(2023, simple_tasks(1)))
    assert run(capsys, "load", str(tmp_path / "truoc.xlsx"), "--db", db)[0] == 0
    sizes = Store(db).table_sizes()
    good = write(tmp_path / "don_vi.xlsx", units_xlsx())
    rows = [["I", "CHỈ ĐẠO"], [1, "Báo cáo", "Phòng Nội vụ", "ngày mai nhé", None, None, None]]
    bad = write(tmp_path / "sai.xlsx", tasks_xlsx(2024, rows, sheet="Tiến độ"))

    code, out, err = run(capsys, "load", str(good), str(bad), "--db", db)
    assert code == 2
    assert out == ""
    # Title row 1, header row 2, area row 3, the task on row 4; deadline in column D.
    assert "Không nạp được dữ liệu: 1 lỗi" in err
    assert "Tệp «sai.xlsx», trang tính «Tiến độ», dòng 4, ô D4, cột «Thời gian hoàn thành»" in err
    assert "giá trị «ngày mai nhé»" in err
    assert "Không nạp tệp nào" in err
    assert Store(db).table_sizes() == sizes  # not even the good unit list before it


def test_an_unreadable_path_exits_2(tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "load", str(tmp_path / "khong_co.xlsx"), "--db", db)
    assert code == 2 and "không đọc được tệp" in err


def test_identical_reupload_is_reported_and_not_loaded(
    tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "nv.xlsx", tasks_xlsx(2024, simple_tasks(2)))
    assert run(capsys, "load", str(path), "--db", db)[0] == 0
    sizes = Store(db).table_sizes()
    code, out, err = run(capsys, "load", str(path), "--db", db)
    assert code == 0
    assert "tệp giống hệt đã nạp trước đây (lần nạp 1); không nạp lại" in out
    assert Store(db).table_sizes() == sizes


def test_dump_tasks_as_csv_and_json(five: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "dump", "tasks", "--year", "2024", "--db", five)
    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == TASK_COLUMNS
    assert [r["code"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert [r["area"] for r in rows] == ["I", "I", "I", "I", "II"]
    assert [r["ongoing"] for r in rows] == ["false", "false", "false", "false", "true"]
    assert [r["deadline"] for r in rows] == ["2024-03-31", "2024-03-31", "2024-04-30", "2024-05-31", ""]
    assert [r["completed_on"] for r in rows] == ["2024-03-15", "2024-04-10", "2024-04-20", "", ""]
    assert [r["status"] for r in rows] == ["done", "done_late", "done", "in_progress", "in_progress"]
    assert rows[3]["lead_unit"] == "Xã Ba Điền"  # "UBND xã Ba Điền" in the file
    assert rows[4]["deadline_text"] == "Thường xuyên"
    assert [r["criterion"] for r in rows] == ["1.2", "1.2", "", "", ""]

    code, out, err = run(capsys, "dump", "tasks", "--format", "json", "--db", five)
    records = json.loads(out)
    assert list(records[0]) == TASK_COLUMNS
    assert [r["ongoing"] for r in records] == [False, False, False, False, True]
    assert [r["deadline"] for r in records] == ["2024-03-31", "2024-03-31", "2024-04-30", "2024-05-31", None]
    assert records[0]["year"] == 2024 and records[0]["title"] == "Ban hành kế hoạch CCHC"


def test_dump_of_an_empty_dataset_prints_only_the_header(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "dump", "tasks", "--db", db)
    assert code == 0 and out.strip().split(",") == TASK_COLUMNS
    assert json.loads(run(capsys, "dump", "tasks", "--format", "json", "--db", db)[1]) == []


def test_history_and_rollback(tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]) -> None:
    v1 = write(tmp_path / "v1.xlsx", tasks_xlsx(2024, simple_tasks(2)))
    v2 = write(tmp_path / "v2.xlsx", tasks_xlsx(2024, simple_tasks(3)))
    for path in (v1, v2):
        assert run(capsys, "load", str(path), "--db", db, "--user", "ct")[0] == 0

    code, out, _ = run(capsys, "history", "--db", db)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["batch_id"], r["file_name"], r["row_count"], r["current"]) for r in rows] == [
        ("2", "v2.xlsx", "3", "true"),
        ("1", "v1.xlsx", "2", "false"),
    ]
    assert rows[0]["loaded_by"] == "ct"

    code, out, err = run(capsys, "rollback", "1", "--db", db, "--user", "tp", "--note", "nhầm")
    assert code == 0 and "Đã khôi phục lần nạp 1" in out
    rows = list(csv.DictReader(io.StringIO(run(capsys, "history", "--db", db)[1])))
    assert [(r["batch_id"], r["current"]) for r in rows] == [("2", "false"), ("1", "true")]
    assert len(list(csv.DictReader(io.StringIO(run(capsys, "dump", "tasks", "--db", db)[1])))) == 2
    events = list(csv.DictReader(io.StringIO(run(capsys, "history", "--events", "--db", db)[1])))
    assert [(e["action"], e["batch_id"], e["event_by"]) for e in events] == [
        ("rollback", "1", "tp"),
        ("commit", "2", "ct"),
        ("commit", "1", "ct"),
    ]

    code, out, err = run(capsys, "rollback", "99", "--db", db)
    assert code == 2 and "Không có lần nạp số 99" in err


def test_summary_json_matches_the_hand_count_at_the_end_of_q2(
    five: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "summary", "--year", "2024", "--quarter", "2", "--json", "--db", five)
    assert code == 0, err
    s = json.loads(out)
    assert (s["year"], s["as_of"], s["unit"]) == (2024, "2024-06-30", None)
    # done on time: 1, 3; done late: 2; overdue: 4; in time: 5 (ongoing, judged at 31/12)
    # -> due = deadlines <= 30/6 = 1, 2, 3, 4 = 4, of which done 1, 2, 3 = 3
    assert s["tasks"] == {
        "assigned": 5, "due": 4, "done": 3, "done_of_due": 3, "done_on_time": 2, "done_late": 1, "open_in_time": 1, "open_overdue": 1,
        "done_ratio_of_due": 0.75, "done_ratio_of_assigned": 0.6,
    }  # fmt: skip
    by_unit = {r["unit"]: r for r in s["tasks_by_unit"]}
    assert list(by_unit) == ["Phòng Nội vụ", "Xã Ba Điền"]
    # Phòng Nội vụ: tasks 1-3, all done (1 late): 3/3. Xã Ba Điền: 4 overdue, 5 in time: 0/1 due.
    assert (by_unit["Phòng Nội vụ"]["due"], by_unit["Phòng Nội vụ"]["done_ratio_of_due"]) == (3, 1.0)
    assert (by_unit["Xã Ba Điền"]["open_overdue"], by_unit["Xã Ba Điền"]["done_ratio_of_due"]) == (1, 0.0)
    by_area = {r["area"]: r for r in s["tasks_by_area"]}
    assert (by_area["I"]["assigned"], by_area["I"]["done_ratio_of_due"]) == (4, 0.75)  # 3 done / 4 due
    assert (by_area["II"]["assigned"], by_area["II"]["done_ratio_of_due"]) == (1, None)  # nothing due

    idx = s["index"]
    crit = {c["code"]: c for c in idx["by_criterion"]}
    # 1.1 bands on plan completion 3/4 = 75 % >= 70 % -> 1 of 2 points.
    assert (crit["1.1"]["likely"], crit["1.1"]["deducted"]) == (1.0, 1.0)
    # 1.2 yes/no on its tasks (1 and 2): task 2 was late -> not met -> 0 of 1.
    assert (crit["1.2"]["likely"], crit["1.2"]["deducted"]) == (0.0, 1.0)
    # 2.1 scored by hand, no self-assessment loaded -> unknown.
    assert (crit["2.1"]["likely"], crit["2.1"]["status"]) == (None, "unknown")
    # max 2 + 1 + 2 = 5; likely 1 + 0 = 1; deducted 1 + 1 = 2; unknown 2; percent 1 / (5 - 2) = 33.33 %
    assert (idx["max"], idx["likely"], idx["deducted"], idx["unknown_max"]) == (5.0, 1.0, 2.0, 2.0)
    assert (idx["percent"], idx["rank"]) == (33.33, "D")
    areas = {a["area"]: a for a in idx["by_area"]}
    assert (areas["I"]["max"], areas["I"]["likely"], areas["I"]["deducted"]) == (3.0, 1.0, 2.0)
    assert (areas["II"]["max"], areas["II"]["likely"], areas["II"]["deducted"]) == (2.0, 0.0, 0.0)
    assert areas["I"]["name"] == "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"


def test_summary_json_at_the_end_of_q1_reads_history_from_completion_dates(
    five: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "summary", "--year", "2024", "--as-of", "2024-03-31", "--json", "--db", five)
    s = json.loads(out)
    # Only task 1 is done by 31/03; task 2 (due 31/03, finished 10/04) is still open at the end of
    # 31/03, so it is overdue: due 1, 2 = 2, done of due 1; in time 3, 4, 5.
    assert s["tasks"] == {
        "assigned": 5, "due": 2, "done": 1, "done_of_due": 1, "done_on_time": 1, "done_late": 0, "open_in_time": 3,
        "open_overdue": 1, "done_ratio_of_due": 0.5, "done_ratio_of_assigned": 0.2,
    }  # fmt: skip
    idx = s["index"]
    # 1.1: 1/2 due done = 50 % < 70 % -> 0 of 2; 1.2: task 2 overdue, not on time -> 0 of 1; 2.1 unknown.
    # likely 0, not achieved 2 + 1 = 3, percent 0 / (5 - 2) = 0 %
    assert (idx["max"], idx["likely"], idx["deducted"], idx["unknown_max"]) == (5.0, 0.0, 3.0, 2.0)
    assert (idx["percent"], idx["rank"]) == (0.0, "D")


def test_summary_for_a_unit_accepts_the_name_as_written(
    five: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "summary",
        "--year",
        "2024",
        "--quarter",
        "2",
        "--unit",
        "UBND xã Ba Điền",
        "--json",
        "--db",
        five,
    )
    s = json.loads(out)
    assert s["unit"] == "Xã Ba Điền"
    # Its tasks: 4 (overdue) and 5 (ongoing): due 1, done 0.
    assert (s["tasks"]["assigned"], s["tasks"]["due"], s["tasks"]["done_ratio_of_due"]) == (2, 1, 0.0)
    crit = {c["code"]: c for c in s["index"]["by_criterion"]}
    # 1.1: 0/1 = 0 % -> lowest band, 0 points; 1.2: no task of this unit is linked -> unknown.
    assert (crit["1.1"]["likely"], crit["1.2"]["status"]) == (0.0, "unknown")
    # known: only 1.1 (max 2) -> likely 0, deducted 2, unknown 1 + 2 = 3
    assert (s["index"]["likely"], s["index"]["deducted"], s["index"]["unknown_max"]) == (0.0, 2.0, 3.0)


def test_summary_text_is_vietnamese(five: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "summary", "--year", "2024", "--quarter", "2", "--db", five)
    assert code == 0
    assert "số liệu đến 30/06/2024" in out
    assert "Nhiệm vụ: 3/5 hoàn thành" in out
    assert "tỷ lệ hoàn thành nhiệm vụ đến hạn 75 %" in out
    assert "Chỉ số dự kiến: 1 / 5 điểm, chưa đạt 2 điểm, chưa xác định 2 điểm; đạt 33,3 %" in out


def test_summary_of_a_year_without_data_says_so(five: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "summary", "--year", "2030", "--json", "--db", five)
    assert code == 0
    assert "Chưa có số liệu của năm 2030 (có số liệu: 2024)" in err
    s = json.loads(out)
    assert s["tasks"]["assigned"] == 0 and s["index"]["max"] == 0.0 and s["index"]["rank"] is None


def test_summary_refuses_a_bad_date(five: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "summary", "--year", "2024", "--as-of", "30/06/2024", "--db", five)
    assert code == 2 and "không hợp lệ" in err


def test_load_sample_without_sample_files_exits_2(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import analysis.workflow.load as load_module

    monkeypatch.setattr(load_module, "SAMPLE_DIR", tmp_path / "none")
    code, _, err = run(capsys, "load-sample", "--db", db)
    assert code == 2 and "Không tìm thấy dữ liệu mẫu" in err


def test_the_module_runs_as_a_program_and_users_dispatches(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "CCHC_USERS_FILE": str(tmp_path / "users.toml"),
        "CCHC_DB": str(tmp_path / "x.duckdb"),
    }

    def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "analysis", *args], cwd=PROJECT, env=env, input=stdin,
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    added = cli("users", "add", "lan", "--role", "admin", "--name", "Nguyễn Thị Lan", "--password-stdin",
                stdin="mật-khẩu-dài\n")  # fmt: skip
    assert added.returncode == 0, added.stderr
    listed = cli("users", "list")
    assert listed.returncode == 0
    assert listed.stdout.splitlines() == ["lan\tadmin\tNguyễn Thị Lan"]
    assert (tmp_path / "users.toml").exists()

    # CCHC_DB is the database when --db is not given.
    path = write(tmp_path / "nv.xlsx", tasks_xlsx(2024, simple_tasks(2)))
    loaded = cli("load", str(path))
    assert loaded.returncode == 0 and "2 dòng" in loaded.stdout
    assert Store(tmp_path / "x.duckdb").table_sizes()["tasks"] == 2


def test_every_user_facing_error_shares_one_base():
    from analysis.errors import IngestError, UserError
    from analysis.store import StoreError
    from analysis.workflow.auth import AuthError
    from analysis.workflow.uploads import DuplicateUpload, UploadError

    for cls in (IngestError, StoreError, AuthError, UploadError, DuplicateUpload):
        assert issubclass(cls, UserError), cls
    err = UserError(vi="Tệp «a.xlsx» hỏng.", en="The file is damaged.")
    assert (err.vi, err.en, str(err)) == (
        "Tệp «a.xlsx» hỏng.",
        "The file is damaged.",
        "Tệp «a.xlsx» hỏng. / The file is damaged.",
    )
    legacy = UploadError("Không ghi được. / Not written.")
    assert (legacy.vi, legacy.en) == ("Không ghi được.", "Not written.")


def test_cli_turns_any_user_error_into_exit_2_with_the_message(tmp_path, monkeypatch, capsys):
    # An upload error used to escape the CLI as a traceback; any UserError subclass now exits 2.
    import analysis.__main__ as cli
    from analysis.workflow.uploads import UploadError

    def refuse(args):
        raise UploadError(vi="Tài khoản không có quyền nạp.", en="Not allowed.")

    monkeypatch.setattr(cli, "cmd_history", refuse)
    assert main(["history", "--db", str(tmp_path / "x.duckdb")]) == 2
    assert "Tài khoản không có quyền nạp. / Not allowed." in capsys.readouterr().err
