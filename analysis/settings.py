"""Every setting the product reads, declared once (a test checks the README documents each)."""

from __future__ import annotations

SETTINGS: dict[str, str] = {
    "CCHC_DB": "Path of the DuckDB file (default: data/cchc.duckdb beside the code). `--db` overrides it on the CLI.",
    "CCHC_NO_SAMPLE": "When set, the app does not load the bundled sample into an empty database on first start.",
    "CCHC_USERS_FILE": "Path of the accounts file (default: config/users.toml, outside git). "
    "No file or no users = single local user.",
}
