"""A database held by another process (a large load from the command line): the pages say so in
Vietnamese and offer a retry, instead of Streamlit's redacted error."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from streamlit.testing.v1 import AppTest

from analysis import store as store_module

from .conftest import APP

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("BEGIN TRANSACTION")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


@pytest.fixture
def held(sample_db, monkeypatch):
    """Another process holds the database file; waiting for it is cut to half a second."""
    monkeypatch.setattr(store_module, "LOCK_WAIT_SECONDS", 0.5)
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(sample_db), "60"], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    yield proc
    proc.kill()
    proc.wait()


def test_a_locked_database_gives_a_vietnamese_message_and_a_retry(held):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    assert any("Cơ sở dữ liệu đang bận" in w.value for w in at.warning)
    retry = [b for b in at.button if b.label == "Thử lại"]
    assert len(retry) == 1
    # Once the other process has finished, the retry shows the page.
    held.kill()
    held.wait()
    time.sleep(0.2)
    retry[0].click().run()
    assert not at.exception
    assert [t.value for t in at.title][0].startswith("Tổng quan")
