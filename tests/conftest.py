"""Shared pytest fixtures. Each fixture lives in its own clearly named function."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))

from make_fixtures import make_gallery  # noqa: E402


@pytest.fixture(scope="session")
def gallery(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The ugly-but-valid and the bad spreadsheets of tests/fixtures/make_fixtures.py, written once."""
    return make_gallery(tmp_path_factory.mktemp("gallery"))
