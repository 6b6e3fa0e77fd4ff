"""Docs read the schema and settings: they cannot drift silently."""

from pathlib import Path

from analysis.ingest.formats import formats_markdown
from analysis.schema import DATASETS
from analysis.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[1]


def test_formats_document_matches_schema():
    assert (ROOT / "docs" / "FORMATS.md").read_text(encoding="utf-8") == formats_markdown(), (
        "regenerate with: python -m analysis.ingest.formats > docs/FORMATS.md"
    )


def test_formats_document_names_every_column_label():
    text = formats_markdown()
    for ds in DATASETS.values():
        for col in ds.columns:
            if not col.derived:
                assert col.label in text, col.name


def test_every_setting_is_documented_in_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in SETTINGS:
        assert name in readme, f"{name} is read by the code but not documented in README.md"
