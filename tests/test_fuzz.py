"""Fuzzing in the suite: a short seeded mutation run over the real-shaped fixtures, and property tests
of the parsers. The long run (10,000 files) is `python tests/fixtures/fuzz.py` (see the README)."""

from __future__ import annotations

import math
from datetime import date

import fuzz  # tests/fixtures is on sys.path (conftest)
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.errors import IngestError
from analysis.ingest import limits, parsing
from analysis.ingest._post import parse_band_text
from analysis.ingest.parsing import ParseError
from analysis.ingest.readers import decode_text, read_grids
from analysis.text import clean, plain_int

QUICK = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_a_short_mutation_run_only_loads_or_refuses_with_a_message() -> None:
    # 150 mutants of the gallery (seed 14): byte flips, cuts, splices, XML/HTML edits, hostile cells.
    tally = fuzz.run(150, 14, sample=False, report_every=5)
    assert tally.bugs == []
    assert sum(tally.counts.values()) == 150
    # Both outcomes occur, so the run exercises loading as well as refusing.
    assert tally.counts["loaded"] > 0 and tally.counts["refused"] > 0


def test_the_mutants_are_the_same_for_the_same_seed(tmp_path) -> None:
    seeds = fuzz.seed_files(tmp_path, sample=False)
    first = [(n, d) for n, d in fuzz.mutants(seeds, 30, 3)]
    again = [(n, d) for n, d in fuzz.mutants(seeds, 30, 3)]
    assert first == again


# Property tests of the parsers --------------------------------------------------------------------


@QUICK
@given(st.one_of(st.text(max_size=40), st.floats(allow_nan=True), st.integers(), st.none(), st.booleans()))
def test_parse_number_returns_a_finite_number_none_or_refuses(value: object) -> None:
    try:
        result = parsing.parse_number(value)
    except ParseError:
        return
    assert result is None or isinstance(result, float)
    if result is not None and not (isinstance(value, float) and math.isnan(value)):
        assert math.isfinite(result)


@QUICK
@given(st.one_of(st.text(max_size=40), st.floats(), st.integers(-(10**6), 10**7), st.none(), st.dates()))
def test_parse_date_returns_a_date_none_or_refuses(value: object) -> None:
    try:
        result = parsing.parse_date(value, 2024)
    except ParseError:
        return
    assert result is None or isinstance(result, date)


@QUICK
@given(st.text(max_size=60))
def test_status_and_deadline_parsers_return_or_refuse(text: str) -> None:
    for parse in (
        parsing.parse_task_status,
        lambda v: parsing.parse_dossier_status(v, unqualified=True),
        parsing.parse_channel,
        parsing.parse_bool,
        lambda v: parsing.parse_deadline(v, 2024),
        parse_band_text,
    ):
        try:
            parse(text)
        except ParseError:
            pass


@QUICK
@given(st.text(max_size=60))
def test_clean_is_idempotent_and_leaves_no_format_character(text: str) -> None:
    import unicodedata

    once = clean(text)
    assert clean(once) == once
    assert not any(unicodedata.category(ch) == "Cf" for ch in once)


@QUICK
@given(st.text(max_size=12))
def test_plain_int_accepts_only_ascii_digits(text: str) -> None:
    result = plain_int(text)
    if result is not None:
        assert text.strip().isascii() and str(result) == text.strip().lstrip("0").rjust(1, "0")


@QUICK
@given(st.binary(max_size=400))
def test_text_decoding_returns_text_or_a_message(data: bytes) -> None:
    try:
        assert isinstance(decode_text(data, "x.csv"), str)
    except IngestError as exc:
        assert exc.problems and exc.problems[0].message


@QUICK
@given(st.binary(max_size=400), st.sampled_from(["x.csv", "x.xlsx", "x.xls", "x.ods", "x.txt"]))
def test_limits_and_reading_arbitrary_bytes_return_or_refuse(data: bytes, name: str) -> None:
    try:
        limits.check(data, name)
        read_grids(data, name)
    except IngestError as exc:
        assert exc.problems[0].text().startswith(f"Tệp «{name}»")


@QUICK
@given(
    st.lists(
        st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12), max_size=6),
        min_size=1,
        max_size=8,
    )
)
def test_any_csv_table_reads_or_refuses(rows: list[list[str]]) -> None:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out).writerows(rows)
    try:
        read_grids(out.getvalue().encode("utf-8"), "bang.csv")
    except IngestError as exc:
        assert exc.problems[0].message


@pytest.mark.parametrize("value", ["1e308", 1e308 * 10, float("-inf")])
def test_infinite_numbers_are_refused(value: object) -> None:
    # "1e308" is not a plain decimal; float('inf') (1e308 * 10) is not finite.
    with pytest.raises(ParseError):
        parsing.parse_number(value)
