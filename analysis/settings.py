"""Every setting the product reads, declared once and read only through this module.

A test checks both ways: every setting here is documented in the README, and no other module
reads the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = PROJECT_ROOT / "data" / "sample"


@dataclass(frozen=True)
class Setting:
    """One environment variable: its name, default and meaning."""

    name: str
    default: str
    doc: str

    def raw(self) -> str:
        """The value set in the environment ('' when unset), stripped."""
        return os.environ.get(self.name, "").strip()

    def value(self) -> str:
        return self.raw() or self.default


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting(
            "CCHC_DB",
            str(PROJECT_ROOT / "data" / "cchc.duckdb"),
            "Path of the DuckDB file (default: data/cchc.duckdb beside the code). `--db` overrides it on the CLI.",
        ),
        Setting(
            "CCHC_NO_SAMPLE",
            "",
            "When set, the app does not load the bundled sample into an empty database on first start.",
        ),
        Setting(
            "CCHC_USERS_FILE",
            str(PROJECT_ROOT / "config" / "users.toml"),
            "Path of the accounts file (default: config/users.toml, outside git). "
            "No file or no users = single local user.",
        ),
    )
}


def get(name: str) -> str:
    """The value of a declared setting (its default when unset)."""
    return SETTINGS[name].value()


def is_set(name: str) -> bool:
    """Whether a declared setting is set to a non-empty value."""
    return bool(SETTINGS[name].raw())


def db_path() -> Path:
    return Path(get("CCHC_DB"))


def users_file() -> Path:
    return Path(get("CCHC_USERS_FILE"))


def load_sample_on_first_start() -> bool:
    return not is_set("CCHC_NO_SAMPLE")


# --- The organisation that issues the reports (heading block, place and date line, signature) ---
SETTINGS.update(
    {
        s.name: s
        for s in (
            Setting(
                "CCHC_ORG_NAME",
                "Ủy ban nhân dân huyện Ba Tơ",
                "Issuing body named in the heading block of reports and notices.",
            ),
            Setting(
                "CCHC_ORG_PARENT",
                "",
                "Governing body printed above the issuing body (e.g. 'UBND tỉnh Quảng Ngãi'); empty for none.",
            ),
            Setting(
                "CCHC_ORG_PLACE", "Ba Tơ", "Place name of the date line ('Ba Tơ, ngày … tháng … năm …')."
            ),
            Setting(
                "CCHC_ORG_SIGNER_TITLE",
                "Chủ tịch",
                "Title of the person who signs reports (printed in capitals above the signature).",
            ),
            Setting(
                "CCHC_ORG_SIGNER_NAME",
                "",
                "Name of the person who signs reports; empty leaves the line blank.",
            ),
            Setting(
                "CCHC_REPORT_TEMPLATE",
                "",
                "The office's own Word template of the periodic report (a copy of the shipped one, edited); "
                "empty: the shipped template.",
            ),
            Setting(
                "BROWSER_PATH",
                "",
                "Chrome / Chromium / Edge used to draw chart images (read by kaleido too); empty: searched on PATH.",
            ),
        )
    }
)


def organisation_settings() -> dict[str, str]:
    """The organisation's name, parent body, place and signatory as set (defaults: Ba Tơ district)."""
    return {
        "name": get("CCHC_ORG_NAME"),
        "parent": get("CCHC_ORG_PARENT"),
        "place": get("CCHC_ORG_PLACE"),
        "signer_title": get("CCHC_ORG_SIGNER_TITLE"),
        "signer_name": get("CCHC_ORG_SIGNER_NAME"),
    }


def browser_path() -> str:
    """A browser set by the user for chart images ('' when unset: look on PATH)."""
    return get("BROWSER_PATH")


def report_template() -> Path | None:
    """The office's report template when set (None: the shipped one)."""
    return Path(get("CCHC_REPORT_TEMPLATE")) if is_set("CCHC_REPORT_TEMPLATE") else None
