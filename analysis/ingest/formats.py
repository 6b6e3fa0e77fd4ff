"""The file-format reference (docs/FORMATS.md), generated from analysis.schema so it cannot drift."""

from __future__ import annotations

from analysis.ingest.parsing import AREA_FORMS, DEADLINE_FORMS, DOSSIER_STATUS_FORMS, TASK_STATUS_FORMS
from analysis.schema import DATASETS, METRICS, POINT_KINDS, RULE_KINDS, TASK_AREA_HEADERS, UNIT_KINDS

TYPE_NAMES = {
    "text": "text",
    "int": "whole number",
    "float": "number (1,5 or 1.5)",
    "date": "date (30/06/2024, an Excel date, or 2024-06-30)",
    "timestamp": "date and time (30/06/2024 14:30)",
    "bool": "Có / Không",
}

INTRO = """# Spreadsheet formats

Generated from `analysis/schema.py` by `python -m analysis.ingest.formats > docs/FORMATS.md`; a test fails when
this file and the schema disagree. Downloadable Excel templates for every dataset are on the upload page
(«Tải dữ liệu»).

What every reader accepts: `.xlsx`, `.xls`, `.ods` and `.csv` (UTF-8 with or without BOM, UTF-16,
Windows-1258). The header row is found automatically below any title rows; two-level merged headers are
joined; rows of column numbers "(1) (2) (3)", Roman-numeral section rows (their numeral becomes the `area`
of the rows below), subtotal rows ("Tổng cộng", "TỔNG ĐIỂM"), blank rows and signature footers are skipped.
Text is NFC-normalised and trimmed. Headers are matched with or without diacritics; unit names are not
(Ba Tơ and Ba Tô are different units).

The year, quarter and assessed unit are read from the title rows ("… NĂM 2024", "Quý II/2024",
"Đơn vị: UBND xã Ba Điền") or the file name, and can be set on the upload page or with `--year`,
`--quarter`, `--unit`. A newer file of the same dataset and scope replaces the older one (which stays in
history and can be restored).
"""

FRAMEWORK_RULES = """
### Framework rules (the public contract for scoring)

| Cách tính | kind | reads | Ngưỡng |
|---|---|---|---|
| Bậc | bands on a metric | Chỉ số | `100%: 2; 80%: 1; 0%: 0` = ≥ 100 % → 2, ≥ 80 % → 1, otherwise 0; values without % compare the raw metric (`90: 3; 80: 2`); dossier metrics accept `apology: 0.5` (deducted once if a late dossier had no apology slip) |
| Có/Không | yes / no | linked tasks (`Hoàn thành nhiệm vụ tiêu chí`: yes when all are done on time) or the score sheet | — ; "Không áp dụng" in the score sheet removes the criterion from the maximum |
| Tỷ lệ | proportional | Chỉ số | ratio × maximum, capped at the maximum |
| Trừ điểm | deduction per event | `Báo cáo trễ` | points per event, e.g. `0.25`; never below 0 |
| Nhập tay | manual | the score sheet | appraised points if present, else self-assessed |

Metrics (Chỉ số): {metrics}. Dossier metrics may end in «cấp xã» (communes and towns) or «cấp huyện» (offices).
Area rows (I … VIII) carry the area name and maximum; criteria are coded 1.1, 1.1.2 …; points are set on the leaves.
"""


def formats_markdown() -> str:
    """The whole FORMATS document."""
    out = [INTRO]
    for ds in DATASETS.values():
        out.append(f"## {ds.label} (`{ds.name}`)\n")
        out.append(ds.description + "\n")
        scope = ", ".join(ds.scope) if ds.scope else "none (one list for all years)"
        out.append(f"A newer upload replaces the current one with the same: {scope}.\n")
        out.append("| column | Vietnamese header | also accepted | type | required |")
        out.append("|---|---|---|---|---|")
        for col in ds.columns:
            if col.derived:
                continue
            aliases = ", ".join(col.aliases) or "—"
            required = "yes" if col.required else ""
            kind = TYPE_NAMES[col.type]
            if col.choices:
                kind += ": " + " / ".join(col.choices)
            out.append(f"| `{col.name}` | {col.label} | {aliases} | {kind} | {required} |")
        derived = [c for c in ds.columns if c.derived]
        if derived:
            out.append("")
            out.append("Computed on load: " + "; ".join(f"`{c.name}` ({c.label})" for c in derived) + ".")
        out.append("")
        if ds.name == "tasks":
            out.append(
                f"Deadlines: {DEADLINE_FORMS}. A month, quarter, half-year or year means its last day; "
            )
            out.append("a form without a year takes the year of the plan.\n")
            out.append(f"Statuses: {TASK_STATUS_FORMS}, and the four official states.\n")
            headers = ", ".join(f"«{h}»" for h in TASK_AREA_HEADERS)
            out.append(
                "Areas: a task's `area` is the Roman numeral of the section row it stands under. A flat export "
                f"without section rows may give it in a column of its own ({headers}): {AREA_FORMS}, or a "
                "digit 1 … 8. When a task has both, the section row wins.\n"
            )
        if ds.name == "dossiers":
            out.append(f"Statuses: {DOSSIER_STATUS_FORMS}.\n")
        if ds.name == "framework":
            out.append(
                f"Point kinds: {', '.join(POINT_KINDS.values())}. Rules: {', '.join(RULE_KINDS.values())}."
            )
            out.append(FRAMEWORK_RULES.format(metrics=", ".join(METRICS.values())))
        if ds.name == "units":
            out.append(f"Kinds: {', '.join(UNIT_KINDS.values())}.\n")
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    print(formats_markdown(), end="")
