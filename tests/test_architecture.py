"""The layering of the code: data flows one way, pages are layout, SQL lives in the store.

These tests read the source (ast), so a forbidden import fails here before it confuses anyone.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ANALYSIS = ROOT / "analysis"

# The order data travels in; a module may import only from its own stage or earlier ones.
STAGES = {
    "foundation": 0,  # schema, settings, errors, text, fmt: declarations read by every stage
    "ingest": 1,
    "store": 2,
    "engine": 3,
    "present": 4,
    "exports": 5,
    "workflow": 6,
    "facade": 7,
    "cli": 8,
}
FOUNDATION = {"schema", "settings", "errors", "text", "fmt", "periods", "thresholds"}
# What pages and app.py may import from analysis/: the facade, presentation helpers and labels.
PAGE_ALLOWED = ("analysis.facade", "analysis.present", "analysis.fmt", "analysis.schema")


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _stage(module: str) -> int:
    parts = module.split(".")
    if parts[0] != "analysis" or len(parts) == 1:
        return STAGES["foundation"]
    head = parts[1]
    if head in FOUNDATION:
        return STAGES["foundation"]
    if head == "__main__" or head == "cli":
        return STAGES["cli"]
    return STAGES[head]


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            # `from analysis import facade` names a module too
            found += [f"{node.module}.{a.name}" for a in node.names if node.module == "analysis"]
    return found


ANALYSIS_FILES = sorted(ANALYSIS.rglob("*.py"))
PAGE_FILES = sorted((ROOT / "pages").glob("*.py")) + [ROOT / "app.py"]


@pytest.mark.parametrize("path", ANALYSIS_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_analysis_never_imports_streamlit(path: Path) -> None:
    assert not [m for m in _imports(path) if m.split(".")[0] == "streamlit"]


@pytest.mark.parametrize("path", ANALYSIS_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_import_from_a_later_stage(path: Path) -> None:
    own = _stage(_module_name(path))
    later = [m for m in _imports(path) if m.startswith("analysis.") and _stage(m) > own]
    assert not later, f"{path.name} (stage {own}) imports later stages: {later}"


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_import_only_the_facade_and_presentation(path: Path) -> None:
    wrong = [
        m
        for m in _imports(path)
        if m.startswith("analysis") and m != "analysis" and not m.startswith(PAGE_ALLOWED)
    ]
    assert not wrong, f"{path.name} imports {wrong}; pages go through analysis.facade"


_SQL = re.compile(r"\b(SELECT|INSERT INTO|CREATE TABLE|DELETE FROM|UPDATE \w+ SET)\b")


@pytest.mark.parametrize("path", ANALYSIS_FILES + PAGE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_sql_and_duckdb_only_in_the_store(path: Path) -> None:
    if path == ANALYSIS / "store.py":
        return
    assert "duckdb" not in {m.split(".")[0] for m in _imports(path)}, f"{path.name} imports duckdb"
    assert not _SQL.search(path.read_text(encoding="utf-8")), f"{path.name} holds SQL"


@pytest.mark.parametrize("path", ANALYSIS_FILES + PAGE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_only_settings_reads_the_environment(path: Path) -> None:
    if path == ANALYSIS / "settings.py":
        return
    text = path.read_text(encoding="utf-8")
    assert "os.environ" not in text and "getenv(" not in text, f"{path.name} reads the environment"


def _documented_modules(doc: str) -> set[str]:
    return set(re.findall(r"`(analysis/[\w/]+\.py)`", doc))


def test_architecture_md_lists_every_module() -> None:
    doc = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    actual = {
        str(p.relative_to(ROOT))
        for p in ANALYSIS_FILES
        if p.name != "__init__.py" or p.parent == ANALYSIS  # packages are described by their modules
    } - {"analysis/__init__.py"}
    listed = _documented_modules(doc)
    assert actual - listed == set(), f"modules missing from ARCHITECTURE.md: {sorted(actual - listed)}"
    assert listed - actual == set(), (
        f"ARCHITECTURE.md lists modules that do not exist: {sorted(listed - actual)}"
    )


def test_readme_folder_table_matches_the_tree() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Folders", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `([^`]+)` \|", table, re.M))
    folders = {f"{p.name}/" for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".")}
    folders |= {f"analysis/{p.name}/" for p in ANALYSIS.iterdir() if p.is_dir() and p.name != "__pycache__"}
    folders -= {"test-artifacts/", "config/"}  # local output and secrets, never in git
    folders = {f for f in folders if not f.startswith("__")}
    assert folders - listed == set(), f"folders missing from README's table: {sorted(folders - listed)}"
    stale = {f for f in listed if f.endswith("/") and not (ROOT / f).is_dir()}
    assert not stale, f"README lists folders that do not exist: {sorted(stale)}"
