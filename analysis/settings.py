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
        # The organisation the dashboard serves (see analysis/engine/organisation.py).
        Setting(
            "CCHC_ORG_NAME",
            "",
            "Name of the organisation the dashboard serves, as in the units file or as its issuing body "
            "(e.g. `Xã Ba Vì` or `Ủy ban nhân dân xã Ba Vì`, `Sở Nội vụ tỉnh Quảng Ngãi`). Unset: the district "
            "(else province) of the units file valid on the data's date.",
        ),
        Setting(
            "CCHC_ORG_LEVEL",
            "",
            "Its level: `commune`, `district`, `province` or `department` (a province department). Unset: "
            "from the unit's kind in the units file.",
        ),
        Setting(
            "CCHC_ORG_PLACE",
            "",
            "Place written in document headings (e.g. `Ba Vì`); unset: taken from the name.",
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


def organisation_setting() -> tuple[str, str, str]:
    """(name, level, place) as configured; empty strings when unset."""
    return (
        SETTINGS["CCHC_ORG_NAME"].raw(),
        SETTINGS["CCHC_ORG_LEVEL"].raw().lower(),
        SETTINGS["CCHC_ORG_PLACE"].raw(),
    )


# --- Reports in the administrative format: parent body, signatory, template; the chart browser ---
SETTINGS.update(
    {
        s.name: s
        for s in (
            Setting(
                "CCHC_ORG_PARENT",
                "",
                "Governing body printed above the issuing body (e.g. 'UBND tỉnh Quảng Ngãi'); empty for none.",
            ),
            Setting(
                "CCHC_ORG_SIGNER_TITLE",
                "",
                "Title of the person who signs reports (printed in capitals above the signature); unset: "
                "`Chủ tịch` for a People's Committee, `Giám đốc` for a province department.",
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


def signatory_settings() -> dict[str, str]:
    """The governing body above the issuer and the signatory of reports, as set ('' when unset)."""
    return {
        "parent": get("CCHC_ORG_PARENT"),
        "signer_title": get("CCHC_ORG_SIGNER_TITLE"),
        "signer_name": get("CCHC_ORG_SIGNER_NAME"),
    }


def browser_path() -> str:
    """A browser set by the user for chart images ('' when unset: look on PATH)."""
    return get("BROWSER_PATH")


def report_template() -> Path | None:
    """The office's report template when set (None: the shipped one)."""
    return Path(get("CCHC_REPORT_TEMPLATE")) if is_set("CCHC_REPORT_TEMPLATE") else None
