"""One band grammar: what ingestion accepts, the rule engine reads the same way (and the reverse)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.engine.rules import evaluate_rule, parse_thresholds
from analysis.ingest._post import parse_band_text
from analysis.ingest.parsing import ParseError
from analysis.thresholds import BELOW, ThresholdError, parse_bands


def test_texts_that_used_to_split_ingestion_and_engine():
    # Accepted at upload but unreadable by the engine before: a "below" band.
    text = "<50%: 0; 50%: 1; 100%: 2"
    assert parse_band_text(text) == [(100.0, 2.0, True), (50.0, 1.0, True), (BELOW, 0.0, True)]
    assert parse_thresholds(text) == parse_band_text(text)
    # 49 % falls below 50 % -> the "< 50 %" band -> 0; 50 % -> 1; 100 % -> 2.
    assert [
        evaluate_rule("bands", 2.0, v, text, metric="plan_completion").points for v in (0.49, 0.5, 1.0)
    ] == [
        0.0,
        1.0,
        2.0,
    ]
    # Read by the engine but refused at upload before: bands separated by a comma and a space.
    text = "100%: 2, 80%: 1"
    assert parse_band_text(text) == [(100.0, 2.0, True), (80.0, 1.0, True)]
    assert parse_thresholds(text) == parse_band_text(text)


def test_a_below_band_with_points_gives_them_under_the_other_bands():
    result = evaluate_rule("bands", 2.0, 0.3, "< 50 %: 0,5; 50%: 1; 100%: 2", metric="plan_completion")
    assert result.points == 0.5
    assert "dưới các mức trên" in result.why


def test_decimal_comma_is_not_a_separator():
    assert parse_bands("100%: 2,5; 80%: 1,25") == [(100.0, 2.5, True), (80.0, 1.25, True)]


def test_errors_name_the_part_in_both_places():
    with pytest.raises(ParseError, match="80%: một"):
        parse_band_text("100%: 2; 80%: một")
    with pytest.raises(ThresholdError, match="80%: một"):
        parse_thresholds("100%: 2; 80%: một")
    with pytest.raises(ParseError, match="thiếu các mức điểm"):
        parse_band_text("apology: 0.5")


# Properties -------------------------------------------------------------------------------

_numbers = st.one_of(
    st.integers(0, 100).map(str),
    st.tuples(st.integers(0, 99), st.integers(0, 99)).map(lambda t: f"{t[0]},{t[1]}"),
    st.tuples(st.integers(0, 99), st.integers(0, 99)).map(lambda t: f"{t[0]}.{t[1]}"),
)
_band = st.builds(
    lambda comparator, number, percent, sep, points: f"{comparator}{number}{percent}{sep}{points}",
    st.sampled_from(["", ">=", "≥ ", "> ", "<", "<= ", "≤"]),
    _numbers,
    st.sampled_from(["", "%", " %"]),
    st.sampled_from([": ", ":", " = ", " → ", "->"]),
    _numbers,
)
_option = st.sampled_from(["apology: 0.5", "xin lỗi: 0,5", "Mẫu 04: 1"])
_noise = st.text(alphabet="0123456789%:;,.<>=≥ abcmột\n", max_size=20)
_texts = st.one_of(
    st.builds(
        lambda bands, option, joiner: joiner.join(bands + ([option] if option else [])),
        st.lists(_band, min_size=1, max_size=4),
        st.one_of(st.none(), _option),
        st.sampled_from(["; ", ";", "\n", ", ", " ; "]),
    ),
    _noise,
)


@settings(max_examples=400, deadline=None)
@given(text=_texts, value=st.floats(0, 1.2, allow_nan=False))
def test_every_text_ingestion_accepts_is_read_by_the_engine(text, value):
    try:
        accepted = parse_band_text(text)
    except ParseError:
        accepted = None
    if accepted is not None:
        assert parse_thresholds(text) == accepted
        result = evaluate_rule("bands", 3.0, value, text, metric="plan_completion")
        assert result.status == "known" and result.source == "data"
        assert "không đọc được" not in result.why
        assert 0.0 <= result.points <= 3.0 and not math.isnan(result.points)
    else:
        # Refused at upload: the engine refuses it too, or reads no band at all.
        try:
            assert parse_thresholds(text) == []
        except ValueError:
            pass
