"""The one formatter of numbers, shares and dates (toolkit/i18n/formatting.py), in both languages."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import pytest

from toolkit.i18n import t
from toolkit.i18n.formatting import (DASH, LocalNumber, format_date, format_datetime, format_number, format_percent,
                                     format_signed)


@pytest.mark.parametrize(("lang", "expected"), [("en", "37.5"), ("id", "37,5")])
def test_a_score_has_the_readers_decimal_sign(lang: str, expected: str) -> None:
    assert format_number(37.5, lang) == expected


def test_grouping_and_digits_follow_the_language() -> None:
    assert format_number(12345.25, "en", digits=2) == "12,345.25"
    assert format_number(12345.25, "id", digits=2) == "12.345,25"
    assert format_number(2.0, "id", digits=0) == "2"
    assert format_number(0.05, "en") == f"{0.05:.1f}" == "0.1"  # rounded as Python rounds the float itself
    assert format_number(2.25, "id") == "2,2" and f"{2.25:.1f}" == "2.2"
    assert format_number(37.46, "id") == "37,5"


@pytest.mark.parametrize("missing", [None, math.nan])
def test_missing_values_are_a_dash_in_every_formatter(missing) -> None:
    for lang in ("en", "id"):
        assert format_number(missing, lang) == DASH
        assert format_percent(missing, lang) == DASH
        assert format_signed(missing, lang) == DASH
    assert format_date(None) == DASH
    assert format_datetime("", "id") == DASH


def test_shares_as_percent_and_floored_below_a_threshold() -> None:
    assert format_percent(0.125, "en", digits=1) == "12.5%"
    assert format_percent(0.125, "id", digits=1) == "12,5%"
    assert format_percent(0.12, "id") == "12%"
    assert format_percent(0.796, "en") == "80%"
    assert format_percent(0.796, "en", floor=True) == "79%"  # never "80 %" when 80 % is needed


def test_signed_differences() -> None:
    assert format_signed(2.5, "id") == "+2,5"
    assert format_signed(-1.04, "en") == "-1.0"
    assert format_signed(-0.01, "en") == "+0.0"  # no minus on a rounded zero


@pytest.mark.parametrize(("lang", "expected"), [("en", "7 December 2026"), ("id", "7 Desember 2026")])
def test_dates_in_words(lang: str, expected: str) -> None:
    assert format_date(date(2026, 12, 7), lang) == expected
    assert format_date("2026-12-07", lang) == expected
    assert format_date("2026-12-07T23:30:00Z", lang) == expected


def test_moments_in_utc_and_text_that_is_no_date_as_given() -> None:
    assert format_datetime("2026-12-07T14:05:09Z", "en") == "7 December 2026, 14:05:09 UTC"
    assert format_datetime("2026-12-07T14:05:09Z", "id") == "7 Desember 2026 14.05.09 UTC"
    assert format_datetime(datetime(2026, 12, 7, 21, 5, tzinfo=UTC), "en").startswith("7 December 2026")
    assert format_datetime("2026-03-01 09:00:00+07:00", "id") == "1 Maret 2026 02.00.00 UTC"  # the zone's own hour, in UTC
    assert format_datetime("2026-03-01T09:00:00", "en") == "1 March 2026, 09:00:00"  # no zone: none claimed
    assert format_date("Q3 2026", "id") == "Q3 2026"
    assert format_datetime("yesterday", "en") == "yesterday"


def test_numbers_in_interface_strings_follow_the_readers_language() -> None:
    # The guard's limits, a ratio and the reviewer's statistics: grouped with a dot and a decimal comma.
    assert t("guard_file-too-large", "id", limit=2_000_000) == "berkas ini melebihi batas 2.000.000 bita"
    assert t("guard_file-too-large", "en", limit=2_000_000) == "the file is larger than the limit of 2,000,000 bytes"
    assert t("imp_too-many-rows", "id", limit=10_000) == "lebih dari 10.000 baris"
    negative = t("consistency_negative_correlation", "id", subject="q", node="d", r=-0.375)
    assert "(r = -0,38)" in negative
    assert "(r = -0.38)" in t("consistency_negative_correlation", "en", subject="q", node="d", r=-0.375)


@pytest.mark.parametrize(("spec", "value", "indonesian"), [
    (",", 1234567, "1.234.567"), (",", 12345.678, "12.345,678"), (",.0f", 2374057.4, "2.374.057"),
    (".3f", -1.875, "-1,875"), (".2f", 0.125, "0,12"), (".0%", 0.4, "40%"), ("g", 0.7, "0,7"),
    ("g", 2e6, "2e+06"), ("", 0.5, "0.5"), ("d", 7, "7")])
def test_a_number_in_a_string_keeps_its_spec_and_takes_the_languages_marks(spec: str, value: float,
                                                                          indonesian: str) -> None:
    assert format(LocalNumber(value, "id"), spec) == indonesian
    english = format(LocalNumber(value, "en"), spec)
    assert english == format(value, spec)  # English reads as Python writes it
