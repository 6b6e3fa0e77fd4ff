"""`python -m analysis load A B` writes every file or none."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_store import scores_rows, simple_tasks, tasks_xlsx, units_xlsx, write, xlsx_bytes

from analysis.__main__ import main
from analysis.store import Store, StoreError
from analysis.workflow import load


def test_when_the_second_file_fails_to_write_the_first_is_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "x.duckdb")
    a = write(tmp_path / "ke_hoach.xlsx", tasks_xlsx(2024, simple_tasks(3)))
    b = write(tmp_path / "tu_cham.xlsx", xlsx_bytes({"Tự chấm": scores_rows(2024, 2, None)}))
    real = load.commit

    def failing(store: Store, prepared: load.Prepared, user: str) -> list[int]:
        if prepared.filename == "tu_cham.xlsx":
            raise StoreError("Ổ đĩa đầy. / Disk full.")
        return real(store, prepared, user)

    monkeypatch.setattr(load, "commit", failing)
    assert main(["load", str(a), str(b), "--db", db]) == 2
    err = capsys.readouterr().err
    assert "Ổ đĩa đầy" in err and "Không nạp tệp nào" in err
    assert Store(db).batches().empty  # the tasks of the first file were rolled back too


def test_files_on_one_line_are_written_together_and_see_each_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "x.duckdb")
    units = write(tmp_path / "don_vi.xlsx", units_xlsx())
    tasks = write(tmp_path / "ke_hoach.xlsx", tasks_xlsx(2024, simple_tasks(2)))
    same = write(tmp_path / "ke_hoach_ban_sao.xlsx", tasks_xlsx(2024, simple_tasks(2)))
    assert main(["load", str(units), str(tasks), str(same), "--db", db]) == 0
    out = capsys.readouterr().out
    # The copy is seen as a duplicate of the file written just before it, inside the same transaction.
    assert "ke_hoach_ban_sao.xlsx: tệp giống hệt đã nạp trước đây" in out
    batches = Store(db).batches()
    assert sorted(batches["dataset"]) == ["tasks", "units"]
