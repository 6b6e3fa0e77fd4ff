"""Fixtures for app-level tests: a DuckDB file with the bundled sample loaded once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.store import Store
from analysis.workflow.load import load_sample

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


@pytest.fixture(scope="session")
def sample_db_template(tmp_path_factory) -> Path:
    """The sample loaded through the real ingestion path, once."""
    path = tmp_path_factory.mktemp("sampledb") / "sample.duckdb"
    load_sample(Store(path))
    return path


@pytest.fixture
def sample_db(sample_db_template, tmp_path, monkeypatch) -> Path:
    """A private copy of the sample database, selected through CCHC_DB."""
    path = tmp_path / "cchc.duckdb"
    shutil.copy(sample_db_template, path)
    monkeypatch.setenv("CCHC_DB", str(path))
    monkeypatch.setenv("CCHC_NO_SAMPLE", "1")
    monkeypatch.setenv("CCHC_USERS_FILE", str(tmp_path / "no-users.toml"))
    return path


@pytest.fixture
def empty_db(tmp_path, monkeypatch) -> Path:
    """An empty database (the app must guide, not fail)."""
    path = tmp_path / "empty.duckdb"
    monkeypatch.setenv("CCHC_DB", str(path))
    monkeypatch.setenv("CCHC_NO_SAMPLE", "1")
    monkeypatch.setenv("CCHC_USERS_FILE", str(tmp_path / "no-users.toml"))
    return path
