"""The DuckDB store: the only module that holds a connection or writes SQL.

Every load is an immutable batch. What is "current" for a scope (dataset + year [+ quarter + unit])
is derived from an append-only event log: a commit makes its batch current, a rollback makes an
earlier batch current again. Nothing is ever deleted. Identifiers come from analysis.schema only;
values are always bound parameters.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from analysis import settings
from analysis.errors import UserError
from analysis.ingest.bulk import Bulk
from analysis.schema import DATASETS, DUCKDB_TYPES, Dataset
from analysis.text import is_missing

_WRITE_LOCK = threading.RLock()  # re-entrant: commits inside Store.transaction() take it again
# How long to wait for another process (the CLI, a second app) to release the file.
LOCK_WAIT_SECONDS = 15.0


def default_db_path() -> Path:
    """data/cchc.duckdb beside the code, unless CCHC_DB says otherwise."""
    return settings.db_path()


class StoreError(UserError):
    """A store operation refused for a reason the user can act on (message in Vietnamese / English)."""


@dataclass(frozen=True)
class BatchInput:
    """One sheet ready to commit: canonical frame plus where it came from."""

    dataset: str
    frame: pd.DataFrame
    file_name: str
    sheet: str
    sha256: str
    year: int | None = None
    quarter: int | None = None
    unit: str | None = None
    excel_rows: Sequence[int] | None = None
    warnings: int = 0
    # Whose list this is: tasks, the plan's owner; framework, the level ('commune', 'office').
    # None = the organisation's own plan or framework.
    plan: str | None = None


def scope_key(
    ds: Dataset, year: int | None, quarter: int | None, unit: str | None, plan: str | None = None
) -> str:
    """The identity of what a batch replaces: dataset plus its scope fields (plus a unit's plan).

    The organisation's own plan keeps the plain key, so databases loaded before plans existed
    still know which batch is current.
    """
    values = {"year": year, "quarter": quarter, "unit": unit}
    parts = [ds.name] + [f"{name}={'' if values[name] is None else values[name]}" for name in ds.scope]
    if plan and ds.name in PLAN_DATASETS:
        parts.append(f"{PLAN_DATASETS[ds.name]}{plan}")
    return "|".join(parts)


# Datasets whose lists belong to an owner within a year, and how the scope key names it: a unit's
# own task plan (directive §1b); a framework per level (the organisation's, its communes', its offices').
PLAN_DATASETS = {"tasks": "plan=", "framework": "level="}
PLAN_PART = PLAN_DATASETS["tasks"]


def _columns_ddl(ds: Dataset) -> str:
    cols = ", ".join(f"{c.name} {DUCKDB_TYPES[c.type]}" for c in ds.columns)
    return f"batch_id BIGINT NOT NULL, row_no INTEGER NOT NULL, excel_row INTEGER, {cols}"


_META_DDL = [
    "CREATE SEQUENCE IF NOT EXISTS batch_seq START 1",
    "CREATE SEQUENCE IF NOT EXISTS event_seq START 1",
    """CREATE TABLE IF NOT EXISTS batches (
        batch_id BIGINT PRIMARY KEY, dataset VARCHAR NOT NULL, year INTEGER, quarter INTEGER, unit VARCHAR,
        scope_key VARCHAR NOT NULL, file_name VARCHAR, sheet VARCHAR, sha256 VARCHAR, row_count BIGINT,
        loaded_at TIMESTAMP, loaded_by VARCHAR, warnings INTEGER)""",
    """CREATE TABLE IF NOT EXISTS events (
        event_id BIGINT PRIMARY KEY, dataset VARCHAR NOT NULL, scope_key VARCHAR NOT NULL, batch_id BIGINT,
        action VARCHAR NOT NULL, event_at TIMESTAMP, event_by VARCHAR, note VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS files (
        sha256 VARCHAR PRIMARY KEY, file_name VARCHAR, size BIGINT, content BLOB, first_seen TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS extra_units (
        name VARCHAR PRIMARY KEY, first_batch BIGINT, registered_at TIMESTAMP)""",
]

_CURRENT_SQL = """
    SELECT batch_id FROM (
        SELECT batch_id, row_number() OVER (PARTITION BY dataset, scope_key ORDER BY event_id DESC) AS rn
        FROM events WHERE dataset = ?
    ) WHERE rn = 1 AND batch_id IS NOT NULL
"""


class Store:
    """One DuckDB file. Connections are short-lived so the CLI can load while the app is open."""

    def __init__(self, path: str | Path | None = None):
        # Absolute: DuckDB shares one instance per path inside a process; two spellings of the same
        # file would otherwise lock each other out.
        self.path = (Path(path) if path else default_db_path()).expanduser().resolve()
        self._local = threading.local()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            for ddl in _META_DDL:
                con.execute(ddl)
            for ds in DATASETS.values():
                con.execute(f"CREATE TABLE IF NOT EXISTS {ds.name} ({_columns_ddl(ds)})")
            _add_new_columns(con)

    @contextmanager
    def session(self) -> Iterator[Store]:
        """Keep one connection for a series of calls (one page, one command).

        Opening the file costs about 60 ms; a page reads the store a dozen times. The file stays
        locked for the session only, so keep sessions short. Sessions are per thread and nest.
        """
        if getattr(self._local, "con", None) is not None:
            yield self
            return
        with self._open() as con:
            self._local.con = con
            try:
                yield self
            finally:
                self._local.con = None

    @contextmanager
    def _connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        shared = getattr(self._local, "con", None)
        if shared is not None:
            yield shared
            return
        with self._open() as con:
            yield con

    @contextmanager
    def _open(self) -> Iterator[duckdb.DuckDBPyConnection]:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                con = duckdb.connect(str(self.path))
                break
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower():
                    raise StoreError(
                        f"Không mở được cơ sở dữ liệu «{self.path}» ({exc}). / Cannot open the database."
                    ) from exc
                # Another process (the CLI, a second app) holds the file for a moment.
                if time.monotonic() > deadline:
                    raise StoreError(
                        f"Cơ sở dữ liệu «{self.path}» đang bị tiến trình khác sử dụng. / Database is locked."
                    ) from exc
                time.sleep(0.2)
        try:
            yield con
        finally:
            con.close()

    # Reading ----------------------------------------------------------------------------------

    def version(self) -> int:
        """Grows with every commit or rollback: a cache key for everything derived from the data."""
        with self._connect() as con:
            return int(con.execute("SELECT coalesce(max(event_id), 0) FROM events").fetchone()[0])

    def is_empty(self) -> bool:
        with self._connect() as con:
            return con.execute("SELECT count(*) FROM events").fetchone()[0] == 0

    def current(
        self,
        dataset: str,
        year: int | None = None,
        *,
        quarter: int | None = None,
        unit: str | None = None,
        filter_unit: bool = False,
        plan: str | None = None,
    ) -> pd.DataFrame:
        """The current canonical rows of a dataset (optionally one year / quarter / assessed unit).

        Tasks are read from one plan: the organisation's own (plan None) or the named unit's; the
        framework likewise from one level (None: the organisation's, or 'commune', 'office').
        """
        ds = DATASETS[dataset]
        sql = f"SELECT {', '.join(ds.names)} FROM {ds.name} WHERE batch_id IN ({_CURRENT_SQL})"
        params: list[Any] = [ds.name]
        if ds.name in PLAN_DATASETS:
            part = PLAN_DATASETS[ds.name]
            if plan:
                sql += " AND batch_id IN (SELECT batch_id FROM batches WHERE ends_with(scope_key, ?))"
                params.append(f"|{part}{plan}")
            else:
                sql += " AND batch_id IN (SELECT batch_id FROM batches WHERE NOT contains(scope_key, ?))"
                params.append(f"|{part}")
        if year is not None and "year" in ds.names:
            sql += " AND year = ?"
            params.append(year)
        if quarter is not None and "quarter" in ds.names:
            sql += " AND quarter = ?"
            params.append(quarter)
        if filter_unit and "unit" in ds.names:
            sql += " AND unit IS NOT DISTINCT FROM ?"
            params.append(unit)
        sql += " ORDER BY batch_id, row_no"
        with self._connect() as con:
            frame = con.execute(sql, params).df()
        return _typed(ds, frame)

    def current_sources(self, year: int | None = None) -> pd.DataFrame:
        """The batches that make up the current data (for 'data as of' lines)."""
        sql = """
            SELECT b.* FROM batches b
            JOIN (SELECT batch_id, row_number() OVER (PARTITION BY dataset, scope_key ORDER BY event_id DESC) rn
                  FROM events) e ON e.batch_id = b.batch_id AND e.rn = 1
            WHERE (? IS NULL OR b.year IS NULL OR b.year = ?)
            ORDER BY b.dataset, b.batch_id"""
        with self._connect() as con:
            return con.execute(sql, [year, year]).df()

    def years(self) -> list[int]:
        """Years that have current tasks, scores or framework data, newest first."""
        sql = """
            SELECT DISTINCT b.year FROM batches b
            JOIN (SELECT batch_id, row_number() OVER (PARTITION BY dataset, scope_key ORDER BY event_id DESC) rn
                  FROM events) e ON e.batch_id = b.batch_id AND e.rn = 1
            WHERE b.year IS NOT NULL AND b.dataset IN ('tasks', 'scores', 'framework')
            ORDER BY b.year DESC"""
        with self._connect() as con:
            return [int(r[0]) for r in con.execute(sql).fetchall()]

    def batches(self, dataset: str | None = None) -> pd.DataFrame:
        """Every batch ever loaded, newest first, with whether it is current for its scope."""
        sql = """
            WITH latest AS (
                SELECT dataset, scope_key, batch_id,
                       row_number() OVER (PARTITION BY dataset, scope_key ORDER BY event_id DESC) rn
                FROM events)
            SELECT b.*, (l.batch_id IS NOT NULL) AS current
            FROM batches b LEFT JOIN latest l ON l.batch_id = b.batch_id AND l.rn = 1
            WHERE (? IS NULL OR b.dataset = ?)
            ORDER BY b.batch_id DESC"""
        with self._connect() as con:
            return con.execute(sql, [dataset, dataset]).df()

    def events(self) -> pd.DataFrame:
        with self._connect() as con:
            return con.execute("SELECT * FROM events ORDER BY event_id DESC").df()

    def batch_rows(self, batch_id: int) -> pd.DataFrame:
        """The canonical rows of one batch, current or not."""
        with self._connect() as con:
            row = con.execute("SELECT dataset FROM batches WHERE batch_id = ?", [batch_id]).fetchone()
            if row is None:
                raise StoreError(f"Không có lần nạp số {batch_id}. / No batch {batch_id}.")
            ds = DATASETS[row[0]]
            frame = con.execute(
                f"SELECT {', '.join(ds.names)} FROM {ds.name} WHERE batch_id = ? ORDER BY row_no", [batch_id]
            ).df()
        return _typed(ds, frame)

    def find_file(self, sha256: str) -> pd.DataFrame:
        """Batches already loaded from a file with this content."""
        with self._connect() as con:
            return con.execute("SELECT * FROM batches WHERE sha256 = ? ORDER BY batch_id", [sha256]).df()

    def file_content(self, sha256: str) -> bytes | None:
        """The original bytes of an uploaded file."""
        with self._connect() as con:
            row = con.execute("SELECT content FROM files WHERE sha256 = ?", [sha256]).fetchone()
        return None if row is None else _unpack(bytes(row[0]))

    def units(self) -> pd.DataFrame:
        """Current unit list plus names first seen in data (registered with kind 'other')."""
        with self.session(), self._connect() as con:
            units = self.current("units")
            extra = con.execute("SELECT name FROM extra_units ORDER BY name").df()
        known = set(units["name"].dropna())
        extra = extra[~extra["name"].isin(known)]
        if len(extra):
            add = pd.DataFrame({c: [None] * len(extra) for c in units.columns}, dtype=object)
            add["name"] = list(extra["name"])
            add["kind"] = "other"
            units = _typed(DATASETS["units"], pd.concat([units.astype(object), add], ignore_index=True))
        return units

    def row_counts(self) -> dict[str, int]:
        """Current rows per dataset (all years)."""
        out = {}
        with self._connect() as con:
            for ds in DATASETS.values():
                sql = f"SELECT count(*) FROM {ds.name} WHERE batch_id IN ({_CURRENT_SQL})"
                out[ds.name] = int(con.execute(sql, [ds.name]).fetchone()[0])
        return out

    def table_sizes(self) -> dict[str, int]:
        """All stored rows per table, current or not (every table, for tests of all-or-nothing loads)."""
        names = [*DATASETS, "batches", "events", "files", "extra_units"]
        with self._connect() as con:
            return {n: int(con.execute(f"SELECT count(*) FROM {n}").fetchone()[0]) for n in names}

    def dossier_rows(self, year: int) -> DossierRows:
        """The current dossiers of a year as an aggregate source (every dossier figure is SQL)."""
        return DossierRows(store=self, year=year)

    # Writing ----------------------------------------------------------------------------------

    def commit(
        self,
        batches: Sequence[BatchInput],
        user: str,
        *,
        content: bytes | None = None,
        new_units: Sequence[str] = (),
    ) -> list[int]:
        """Write sheets of one file as batches, all in one transaction, and make them current."""
        if not batches:
            return []
        now = datetime.now().replace(microsecond=0)
        with _WRITE_LOCK, self._connect() as con:
            outer = getattr(self._local, "transaction", False)  # inside transaction(): it commits
            if not outer:
                con.execute("BEGIN TRANSACTION")
            try:
                ids = [self._insert_batch(con, b, user, now) for b in batches]
                if content is not None:
                    con.execute(
                        "INSERT INTO files VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        [batches[0].sha256, batches[0].file_name, len(content), _pack(content), now],
                    )
                for name in new_units:
                    con.execute(
                        "INSERT INTO extra_units VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [name, ids[0], now]
                    )
                if not outer:
                    con.execute("COMMIT")
            except BaseException:
                if not outer:
                    con.execute("ROLLBACK")
                raise
        return ids

    def _insert_batch(self, con: duckdb.DuckDBPyConnection, b: BatchInput, user: str, now: datetime) -> int:
        ds = DATASETS[b.dataset]
        key = scope_key(ds, b.year, b.quarter, b.unit, b.plan)
        batch_id = int(con.execute("SELECT nextval('batch_seq')").fetchone()[0])
        con.execute(
            "INSERT INTO batches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                batch_id,
                ds.name,
                b.year,
                b.quarter,
                b.unit,
                key,
                b.file_name,
                b.sheet,
                b.sha256,
                len(b.frame),
                now,
                user,
                b.warnings,
            ],
        )
        frame = _for_insert(ds, b.frame)
        frame.insert(0, "excel_row", list(b.excel_rows) if b.excel_rows is not None else None)
        frame.insert(0, "row_no", range(len(frame)))
        frame.insert(0, "batch_id", batch_id)
        con.register("incoming_rows", frame)
        try:
            cols = ["batch_id", "row_no", "excel_row", *ds.names]
            casts = ", ".join(
                f"CAST({c} AS {DUCKDB_TYPES[ds.column(c).type] if c in ds.names else 'BIGINT'})" for c in cols
            )
            con.execute(f"INSERT INTO {ds.name} ({', '.join(cols)}) SELECT {casts} FROM incoming_rows")
        finally:
            con.unregister("incoming_rows")
        con.execute(
            "INSERT INTO events VALUES (nextval('event_seq'), ?, ?, ?, 'commit', ?, ?, NULL)",
            [ds.name, key, batch_id, now, user],
        )
        return batch_id

    def rollback(self, batch_id: int, user: str, note: str | None = None) -> int:
        """Make an earlier batch current again for its scope; recorded as an event, nothing deleted."""
        with _WRITE_LOCK, self._connect() as con:
            row = con.execute(
                "SELECT dataset, scope_key FROM batches WHERE batch_id = ?", [batch_id]
            ).fetchone()
            if row is None:
                raise StoreError(f"Không có lần nạp số {batch_id}. / No batch {batch_id}.")
            event = int(con.execute("SELECT nextval('event_seq')").fetchone()[0])
            con.execute(
                "INSERT INTO events VALUES (?, ?, ?, ?, 'rollback', ?, ?, ?)",
                [event, row[0], row[1], batch_id, datetime.now().replace(microsecond=0), user, note],
            )
        return event

    def withdraw(self, dataset: str, key: str, user: str, note: str | None = None) -> int:
        """Leave a scope with no current batch (undo its first upload); recorded as an event."""
        with _WRITE_LOCK, self._connect() as con:
            event = int(con.execute("SELECT nextval('event_seq')").fetchone()[0])
            con.execute(
                "INSERT INTO events VALUES (?, ?, ?, NULL, 'rollback', ?, ?, ?)",
                [event, dataset, key, datetime.now().replace(microsecond=0), user, note],
            )
        return event


def _for_insert(ds: Dataset, frame: pd.DataFrame) -> pd.DataFrame:
    """Give every column an explicit pandas dtype so DuckDB never guesses from object columns."""
    out = pd.DataFrame(index=range(len(frame)))
    for col in ds.columns:
        values = (
            frame[col.name].reset_index(drop=True) if col.name in frame else pd.Series([None] * len(frame))
        )
        if col.type in ("date", "timestamp"):
            out[col.name] = pd.to_datetime(values, errors="coerce")
        elif col.type == "bool":
            out[col.name] = values.astype("boolean")
        elif col.type in ("int", "float"):
            out[col.name] = pd.to_numeric(values, errors="coerce").astype("float64")
        elif isinstance(values.dtype, pd.StringDtype):
            # Already text with real missing values: DuckDB reads these columns directly. Turning
            # them into Python objects cost 600 MB for a million dossiers.
            out[col.name] = values
        else:
            out[col.name] = values.astype("object").where(values.notna(), None)
    return out


def _typed(ds: Dataset, frame: pd.DataFrame) -> pd.DataFrame:
    """Rows as the engine expects: dates as datetime64 (NaT when missing), numbers as numbers, text as objects."""
    for col in ds.columns:
        if col.name not in frame:
            continue
        values = frame[col.name]
        if col.type in ("date", "timestamp"):
            frame[col.name] = pd.to_datetime(values, errors="coerce")
        elif col.type == "bool" and col.derived:
            frame[col.name] = values.astype("boolean").fillna(False).astype(bool)
        elif col.type == "bool":
            # Read from the sheet: an empty cell is unknown, not False (an unknown apology slip is
            # not a missing one).
            frame[col.name] = pd.Series(
                [None if is_missing(v) else bool(v) for v in values], index=frame.index, dtype=object
            )
        elif col.type == "int":
            numbers = pd.to_numeric(values, errors="coerce")
            frame[col.name] = numbers.astype("int64") if numbers.notna().all() else numbers
        elif col.type == "float":
            frame[col.name] = pd.to_numeric(values, errors="coerce").astype("float64")
        elif col.type == "text":
            frame[col.name] = values.astype("object").where(values.notna(), None)
    return frame


def as_stored(dataset: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A parsed frame with the columns and dtypes the store gives back, for previews before a commit."""
    ds = DATASETS[dataset]
    out = pd.DataFrame(index=range(len(frame)))
    for col in ds.columns:
        out[col.name] = (
            frame[col.name].reset_index(drop=True)
            if col.name in frame
            else pd.Series([None] * len(frame), dtype=object)
        )
    return _typed(ds, out)


_PACKED = b"zlib1:"


def _pack(content: bytes) -> bytes:
    """Original files are kept compressed: a million-row CSV shrinks ~6x and the commit's peak with it.
    A workbook that is already a ZIP (.xlsx, .ods) is kept as it is: compressing it again saves nothing."""
    if content.startswith(b"PK\x03\x04"):
        return content
    return _PACKED + zlib.compress(content, 1)


def _unpack(stored: bytes) -> bytes:
    return zlib.decompress(stored[len(_PACKED) :]) if stored.startswith(_PACKED) else stored


# Several files as one write (issue: `load A B` must not keep A when B fails) ----------------------


@contextmanager
def transaction(store: Store) -> Iterator[Store]:
    """Every commit made inside is written together at the end, or none is (on any exception).

    Reads inside see the uncommitted writes, so a unit list loaded first resolves the names of the
    files after it. Holds the file for the whole block: keep it to the writes.
    """
    with _WRITE_LOCK, store.session(), store._connect() as con:
        con.execute("BEGIN TRANSACTION")
        store._local.transaction = True
        try:
            yield store
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            store._local.transaction = False


# Whole-column parsing of text cells (used by ingestion) ------------------------------------------

# Only the forms written the same way everywhere are parsed here; every other cell is left NULL with
# `ok` false and goes to the per-value parsers of analysis.ingest.parsing, which word the messages.
_NO_SPACE = r"[^\x00-\x20\x7f-\xa0\x{1680}\x{2000}-\x{200b}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}]"
_TEXT_FORMS = {
    # A cell already trimmed, NFC and with single inner spaces is its own clean value.
    "text": f"""CASE WHEN regexp_full_match(@x, '{_NO_SPACE}+( {_NO_SPACE}+)*') AND nfc_normalize(@x) = @x
                THEN @x END""",
    # '1,5' and '1.5'; thousands separators are not accepted (points are small).
    "number": r"""CASE WHEN regexp_full_match(@x, '[-+]?\d{1,15}([.,]\d{1,15})?')
                  THEN CAST(replace(@x, ',', '.') AS DOUBLE) END""",
    "date": r"""CASE WHEN regexp_full_match(@x, '\d{1,2}/\d{1,2}/[12]\d{3}') THEN TRY_STRPTIME(@x, '%d/%m/%Y')::DATE
                WHEN regexp_full_match(@x, '[12]\d{3}-\d{1,2}-\d{1,2}') THEN TRY_STRPTIME(@x, '%Y-%m-%d')::DATE END""",
    "timestamp": r"""CASE
        WHEN regexp_full_match(@x, '\d{1,2}/\d{1,2}/[12]\d{3} ([01]?\d|2[0-3]):[0-5]\d')
        THEN TRY_STRPTIME(@x, '%d/%m/%Y %H:%M')
        WHEN regexp_full_match(@x, '\d{1,2}/\d{1,2}/[12]\d{3} ([01]?\d|2[0-3]):[0-5]\d:[0-5]\d')
        THEN TRY_STRPTIME(@x, '%d/%m/%Y %H:%M:%S')
        WHEN regexp_full_match(@x, '\d{1,2}/\d{1,2}/[12]\d{3}') THEN TRY_STRPTIME(@x, '%d/%m/%Y')
        WHEN regexp_full_match(@x, '[12]\d{3}-\d\d-\d\d( ([01]\d|2[0-3]):[0-5]\d:[0-5]\d)?')
        THEN TRY_CAST(@x AS TIMESTAMP) END""",
}
TEXT_FORMS = tuple(_TEXT_FORMS)


def parse_text_columns(columns: dict[str, Any], kinds: dict[str, str]) -> dict[str, tuple[Any, Any]]:
    """Parse whole columns of text cells at once in an in-memory DuckDB.

    `columns` maps a name to an Arrow string array (all of one length: the rows of a sheet), `kinds` the same name to one of TEXT_FORMS. Returns,
    per name, (values, ok): the parsed Arrow array (NULL where not parsed) and a boolean array that is
    true where the cell was parsed or is empty. Cells with ok false are for the per-value parsers.
    """
    import pyarrow as pa

    if not columns:
        return {}
    names = list(columns)
    table = pa.table({f"c{k}": columns[n] for k, n in enumerate(names)})
    selects = []
    for k, name in enumerate(names):
        selects.append(f"{_TEXT_FORMS[kinds[name]].replace('@x', f'c{k}')} AS v{k}")
    con = duckdb.connect()
    try:
        con.register("cells", table)
        oks = ", ".join(
            f"v{k}, (c{k} IS NULL OR c{k} = '' OR v{k} IS NOT NULL) AS ok{k}" for k in range(len(names))
        )
        out = con.sql(f"SELECT {oks} FROM (SELECT *, {', '.join(selects)} FROM cells)").to_arrow_table()
    finally:
        con.close()
    return {n: (out[f"v{k}"].combine_chunks(), out[f"ok{k}"].combine_chunks()) for k, n in enumerate(names)}


def read_csv_table(path: str | Path, delimiter: str, width: int) -> Any:
    """A UTF-8 CSV file as an Arrow table of text columns c0 … c{width-1} (NULL for empty cells), read by
    DuckDB's own reader. Raises duckdb.Error on anything it cannot read as such (a wider row, a stray
    quote): the caller then reads the file the slow, exact way."""
    columns = "{" + ", ".join(f"'c{k}': 'VARCHAR'" for k in range(width)) + "}"
    con = duckdb.connect()
    try:
        # Rows as wide as the head's read in parallel; shorter rows need padding, read in one thread.
        for options in ("", ", null_padding = true, parallel = false"):
            try:
                return con.sql(
                    f"""SELECT * FROM read_csv(?, delim = ?, quote = '"', escape = '"', header = false,
                        auto_detect = false, columns = {columns}{options})""",
                    params=[str(path), delimiter],
                ).to_arrow_table()
            except duckdb.Error:
                if options:
                    raise
        raise AssertionError("unreachable")
    finally:
        con.close()


def bulk() -> Bulk:
    """The store's whole-column operations, for ingestion (analysis.ingest.bulk)."""
    return Bulk(parse_text_columns, read_csv_table)


# Dossier aggregates ----------------------------------------------------------------------------
#
# One definition of a dossier's timing, in SQL, read by every page, criterion, CLI command and export:
# - a due date without a time (stored at midnight) means the end of that day;
# - resolved late = resolved after its due time, or marked late by the handling system (its
#   verdict stands when the exported times do not show the delay: a conservative reading);
# - pending overdue at the end of day D = received by then, not resolved by then, not withdrawn nor
#   waiting for the applicant to supplement (the clock stops), and due at or before the end of D
#   (without a due time, the status 'processing_overdue' says);
# - days late = calendar days from the due date to the resolution date (or to D while pending);
# - on-time rate = resolved not late ÷ resolved, over a period (a resolution without a date is
#   placed on its receipt day, the only day known).


def _add_new_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Columns declared after a database was created (the dossier handler) are added to it."""
    for ds in DATASETS.values():
        have = {r[0] for r in con.execute(f"DESCRIBE {ds.name}").fetchall()}
        for col in ds.columns:
            if col.name not in have:
                con.execute(f"ALTER TABLE {ds.name} ADD COLUMN {col.name} {DUCKDB_TYPES[col.type]}")


_DOSSIER_TIMING = """
    SELECT *,
        coalesce(resolved_at > due_end, FALSE) OR status = 'resolved_late' AS late_if_resolved,
        CASE WHEN resolved_at IS NOT NULL AND due_at IS NOT NULL
                  THEN CAST(resolved_at AS DATE) < CAST(due_at AS DATE)
             ELSE status = 'resolved_early' END AS early_if_resolved
    FROM (
        SELECT dossier_id, coalesce(unit, 'Chưa rõ đơn vị') AS unit, official, procedure, field,
            received_at, due_at, resolved_at, status, channel, apology,
            status LIKE 'resolved_%' AS is_resolved,
            coalesce(resolved_at, received_at) AS resolved_on,
            CASE WHEN due_at = date_trunc('day', due_at)
                 THEN due_at + INTERVAL 1 DAY - INTERVAL 1 MICROSECOND ELSE due_at END AS due_end
        FROM {rows}
    )
"""

# Parameters: start, stop (the period is start <= t < stop), then the unit list (or NULL).
_DOSSIER_FLAGS = """
    SELECT *,
        received_at >= $start AND received_at < $stop AS received,
        is_resolved AND resolved_on >= $start AND resolved_on < $stop AS resolved,
        received_at < $stop AND status NOT IN ('withdrawn', 'supplementing')
            AND NOT (is_resolved AND resolved_on < $stop)
            AND (CASE WHEN due_end IS NOT NULL THEN due_end < $stop
                      ELSE status = 'processing_overdue' END) AS pending_overdue,
        received_at < $stop AND status NOT IN ('withdrawn')
            AND NOT (is_resolved AND resolved_on < $stop) AS pending
    FROM ({timing})
    WHERE ($units IS NULL OR list_contains($units, unit)) AND ($since IS NULL OR received_at >= $since)
"""

_DOSSIER_COUNTS = """
    SELECT {keys}
        count(*) FILTER (WHERE received) AS received,
        count(*) FILTER (WHERE received AND channel = 'online') AS online,
        count(*) FILTER (WHERE resolved) AS resolved,
        count(*) FILTER (WHERE resolved AND NOT late_if_resolved AND early_if_resolved) AS resolved_early,
        count(*) FILTER (WHERE resolved AND NOT late_if_resolved AND NOT early_if_resolved) AS resolved_on_time,
        count(*) FILTER (WHERE resolved AND late_if_resolved) AS resolved_late,
        count(*) FILTER (WHERE pending) AS pending,
        count(*) FILTER (WHERE pending_overdue) AS pending_overdue,
        count(*) FILTER (WHERE ((resolved AND late_if_resolved) OR pending_overdue) AND apology = FALSE)
            AS late_without_apology
    FROM ({flags})
    {group}
"""

_DOSSIER_LATE = """
    SELECT dossier_id, unit, official, procedure, field,
        strftime(received_at, '%Y-%m-%d %H:%M') AS received_at, strftime(due_at, '%Y-%m-%d %H:%M') AS due_at,
        strftime(resolved_at, '%Y-%m-%d %H:%M') AS resolved_at,
        CASE WHEN resolved THEN 'resolved_late' ELSE 'pending_overdue' END AS state,
        CASE WHEN due_at IS NULL THEN NULL
             WHEN resolved THEN date_diff('day', CAST(due_at AS DATE), CAST(resolved_at AS DATE))
             ELSE date_diff('day', CAST(due_at AS DATE), CAST($stop AS DATE) - 1) END AS days_late,
        apology
    FROM ({flags})
    WHERE (resolved AND late_if_resolved) OR pending_overdue
    ORDER BY unit, official NULLS LAST, days_late DESC NULLS LAST, dossier_id
"""

# Resolved and resolved-not-late per unit and ISO week (Monday) of resolution.
_DOSSIER_WEEKLY = """
    SELECT unit, CAST(date_trunc('week', resolved_on) AS DATE) AS week_start,
        count(*) AS resolved, count(*) FILTER (WHERE NOT late_if_resolved) AS on_time
    FROM ({flags})
    WHERE resolved
    GROUP BY ALL ORDER BY unit, week_start
"""

_COUNT_KEYS = {"unit": "unit", "official": "official", "field": "field"}


@dataclass(eq=False)
class DossierRows:
    """A year's dossier rows, aggregated in SQL where they are: never held in pandas.

    Rows live either in the store (the current dossiers of `year`) or, for previews and small
    fixtures, in a frame that is queried through an in-memory DuckDB with the same SQL. Results are
    cached on the object, which is re-created whenever the store changes.
    """

    store: Store | None = None
    year: int | None = None
    frame: pd.DataFrame | None = None
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    @contextmanager
    def _rows(self) -> Iterator[tuple[duckdb.DuckDBPyConnection, str, dict[str, Any]]]:
        if self.store is not None:
            with self.store._connect() as con:
                rows = f"(SELECT * FROM dossiers WHERE batch_id IN ({_CURRENT_SQL.replace('?', '$ds')}) AND year = $year)"
                yield con, rows, {"ds": "dossiers", "year": self.year}
            return
        con = duckdb.connect()
        try:
            frame = self.frame if self.frame is not None else pd.DataFrame()
            if self.year is not None and "year" in frame.columns and len(frame):
                frame = frame[pd.to_numeric(frame["year"], errors="coerce").eq(self.year).to_numpy(bool)]
            con.register("dossier_frame", _for_insert(DATASETS["dossiers"], frame))
            yield con, "dossier_frame", {}
        finally:
            con.close()

    def _query(
        self,
        template: str,
        start: datetime,
        stop: datetime,
        units: Sequence[str] | None,
        since: datetime | None = None,
        **fmt: str,
    ) -> Any:
        unit_key = tuple(units) if units is not None else None
        key = (template, start, stop, unit_key, since, tuple(sorted(fmt.items())))
        if key in self._cache:
            return self._cache[key]
        with self._rows() as (con, rows, params):
            timing = _DOSSIER_TIMING.format(rows=rows)
            flags = _DOSSIER_FLAGS.format(timing=timing)
            sql = template.format(flags=flags, **fmt)
            bound = {
                **params,
                "start": start,
                "stop": stop,
                "since": since,
                "units": list(units) if units is not None else None,
            }
            used = {k: v for k, v in bound.items() if f"${k}" in sql}
            cursor = con.execute(sql, used)
            if template is _DOSSIER_LATE:  # a long list goes to Python as records: far cheaper than a frame
                names = [d[0] for d in cursor.description]
                frame = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            else:
                frame = cursor.df()
        self._cache[key] = frame
        return frame

    def counts(
        self,
        start: datetime,
        stop: datetime,
        by: Sequence[str] = ("unit",),
        units: Sequence[str] | None = None,
        since: datetime | None = None,
    ) -> pd.DataFrame:
        """Received, online, resolved (early / on time / late), pending and pending overdue at stop,
        late without an apology slip, for start <= t < stop, grouped by unit / official / field.
        `since`: only the dossiers received from then on (a year's own dossiers)."""
        keys = [_COUNT_KEYS[k] for k in by]
        select = "".join(f"{k}, " for k in keys)
        group = f"GROUP BY {', '.join(keys)} ORDER BY {', '.join(keys)}" if keys else ""
        return self._query(_DOSSIER_COUNTS, start, stop, units, since, keys=select, group=group)

    def late(
        self, start: datetime, stop: datetime, units: Sequence[str] | None = None
    ) -> list[dict[str, Any]]:
        """Dossiers resolved late in the period or pending overdue at its end, with days late (times as
        'YYYY-MM-DD HH:MM' text)."""
        return self._query(_DOSSIER_LATE, start, stop, units)

    def weekly(self, start: datetime, stop: datetime, units: Sequence[str] | None = None) -> pd.DataFrame:
        """Resolved and resolved-not-late per unit and ISO week of resolution."""
        return self._query(_DOSSIER_WEEKLY, start, stop, units)

    def unit_names(self) -> list[str]:
        """The distinct unit names of the rows (for matching a unit typed by a user)."""
        frame = self.counts(datetime(1900, 1, 1), datetime(2200, 1, 1))
        return list(frame["unit"])

    def stats(self) -> pd.DataFrame:
        """The year's aggregated statistics tables: small (a row per unit or field and period)."""
        if self.store is None:
            return _typed(DATASETS["dossier_stats"], pd.DataFrame(columns=DATASETS["dossier_stats"].names))
        return self.store.current("dossier_stats", self.year)


def _plan_of(key: str) -> str | None:
    """The plan owner written in a scope key, None for the organisation's own plan."""
    _, found, plan = key.partition(f"|{PLAN_PART}")
    return plan if found else None


def plans_of(store: Store, year: int) -> list[str]:
    """The unit plans (owners) with current tasks in a year, alphabetically; the organisation's is implied."""
    current = store.batches("tasks")
    if current.empty:
        return []
    current = current[current["current"].astype(bool) & current["year"].eq(year)]
    return sorted({p for p in map(_plan_of, current["scope_key"]) if p}, key=str.casefold)
