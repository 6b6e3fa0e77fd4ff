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


# Robustness limits: how much a file may cost before and while it is parsed ------------------------
# Defaults let a province's real year through (1M dossier rows, ~10 columns, a ~60 MB .xlsx).

SETTINGS.update(
    {
        s.name: s
        for s in (
            Setting(
                "CCHC_PARSE_MEMORY_MB",
                "6144",
                "Address-space limit of the process that parses an uploaded or loaded file (MB). "
                "A file that needs more is refused; the server is unaffected.",
            ),
            Setting(
                "CCHC_PARSE_TIMEOUT_S",
                "600",
                "Seconds a file may take to parse before it is refused.",
            ),
            Setting(
                "CCHC_PARSE_IN_WORKER",
                "1",
                "Set to 0 to parse in the calling process (tests only; a damaged file can then stop it).",
            ),
            Setting(
                "CCHC_MAX_CELLS",
                "40000000",
                "Largest sheet (rows × columns, as the reader would allocate it) read from a file.",
            ),
            Setting(
                "CCHC_MAX_COLUMNS",
                "1000",
                "Widest sheet (columns) read from a file.",
            ),
            Setting(
                "CCHC_MAX_EXPANDED_MB",
                "2048",
                "Largest total uncompressed size of the parts of an .xlsx/.ods, and of the text "
                "its cells expand to (MB).",
            ),
            Setting(
                "CCHC_MAX_RATIO",
                "250",
                "Largest compression ratio of a part of an .xlsx/.ods larger than 1 MB (a 'zip bomb').",
            ),
            Setting(
                "CCHC_MAX_CELL_CHARS",
                "32767",
                "Longest cell text (characters; Excel's own limit).",
            ),
        )
    }
)


def _int_setting(name: str) -> int:
    """A declared integer setting; a value that is not a plain positive number falls back to its default."""
    raw = SETTINGS[name].raw()
    if raw.isascii() and raw.isdecimal() and int(raw) > 0:
        return int(raw)
    return int(SETTINGS[name].default)


def parse_memory_bytes() -> int:
    return _int_setting("CCHC_PARSE_MEMORY_MB") * 1024 * 1024


def parse_timeout_s() -> int:
    return _int_setting("CCHC_PARSE_TIMEOUT_S")


def parse_in_worker() -> bool:
    return get("CCHC_PARSE_IN_WORKER") != "0"


def max_cells() -> int:
    return _int_setting("CCHC_MAX_CELLS")


def max_columns() -> int:
    return _int_setting("CCHC_MAX_COLUMNS")


def max_expanded_bytes() -> int:
    return _int_setting("CCHC_MAX_EXPANDED_MB") * 1024 * 1024


def max_ratio() -> int:
    return _int_setting("CCHC_MAX_RATIO")


def max_cell_chars() -> int:
    return _int_setting("CCHC_MAX_CELL_CHARS")


def declared_environment() -> dict[str, str]:
    """The declared settings as set now, to hand to a child process started earlier (the forkserver)."""
    return {name: s.raw() for name, s in SETTINGS.items()}


def apply_environment(values: dict[str, str]) -> None:
    """In a child process: take the parent's declared settings (empty = unset)."""
    for name, value in values.items():
        if value:
            os.environ[name] = value
        else:
            os.environ.pop(name, None)


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
