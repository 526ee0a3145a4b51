"""Numbers, shares and dates in the reader's language, through Babel's locale data (CLDR).

One formatter for the app, the command line's text tables and the reports' prose, so that a reader
of Bahasa Indonesia sees 37,5 and 7 Desember 2026 everywhere and an English reader 37.5 and
7 December 2026. English follows the British conventions (day before month), as diplomatic
correspondence does. Machine-readable outputs (JSON, CSV, Parquet) never come through here: they
keep '.' decimals and ISO dates.

Every formatter returns a dash for a missing value (None or NaN), the one sign that reads the same
in both languages.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from decimal import Decimal

from babel.dates import format_date as _babel_date
from babel.dates import format_time as _babel_time
from babel.dates import get_datetime_format
from babel.numbers import format_decimal as _babel_decimal
from babel.numbers import get_decimal_symbol, get_group_symbol

DASH = "—"
# The Babel locale of each interface language.
LOCALES = {"en": "en_GB", "id": "id"}


def locale_of(lang: str) -> str:
    """The Babel locale for an interface language (English for an unknown one)."""
    return LOCALES.get(lang, LOCALES["en"])


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _pattern(digits: int) -> str:
    return "#,##0" + ("." + "0" * digits if digits > 0 else "")


def format_number(value: float | None, lang: str = "en", digits: int = 1) -> str:
    """A number with a fixed count of decimals: 37.5 (en), 37,5 (id); a dash when missing."""
    if _missing(value):
        return DASH
    # The float's exact value, so a number rounds as Python's own f"{value:.1f}" does (0.05 -> 0.1).
    return _babel_decimal(Decimal(float(value)), format=_pattern(digits), locale=locale_of(lang))


def format_signed(value: float | None, lang: str = "en", digits: int = 1) -> str:
    """A difference with its sign: +2.5 / -1.0 (en), +2,5 / -1,0 (id); a dash when missing."""
    if _missing(value):
        return DASH
    text = format_number(abs(float(value)), lang, digits)
    return ("-" if float(value) < 0 and text.strip("0,.") else "+") + text


def format_percent(share: float | None, lang: str = "en", digits: int = 0, floor: bool = False) -> str:
    """A share of 0..1 as a percentage: 12% (en and id), 12.5% (en), 12,5% (id); a dash when missing.

    `floor` rounds down, so 79.6 % complete never reads as the 80 % a rule needs.
    """
    if _missing(share):
        return DASH
    percent = float(share) * 100
    if floor:
        step = 10 ** digits
        percent = math.floor(percent * step + 1e-9) / step
    return format_number(percent, lang, digits) + "%"


def _moment(value: date | datetime | str) -> date | datetime | None:
    if isinstance(value, datetime | date):
        return value
    try:
        text = str(value).strip()
        return datetime.fromisoformat(text.replace("Z", "+00:00")) if "T" in text or " " in text \
            else date.fromisoformat(text)
    except ValueError:
        return None


def format_date(value: date | datetime | str | None, lang: str = "en") -> str:
    """A calendar date in words: 7 December 2026 (en), 7 Desember 2026 (id); text that is no date as given."""
    if value is None or value == "":
        return DASH
    moment = _moment(value)
    if moment is None:
        return str(value)
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return _babel_date(moment, format="long", locale=locale_of(lang))


def format_datetime(value: datetime | str | None, lang: str = "en") -> str:
    """A moment with its time: 7 December 2026, 14:05:09 UTC (en), 7 Desember 2026 14.05.09 UTC (id).

    The month in words, as in a dated letter, and the time in seconds (two saves a second apart
    must read apart); a moment with a zone is shown in UTC and says so.
    """
    if value is None or value == "":
        return DASH
    moment = _moment(value)
    if not isinstance(moment, datetime):
        return format_date(value, lang) if moment is not None else str(value)
    zone = ""
    if moment.tzinfo is not None:
        moment, zone = moment.astimezone(UTC).replace(tzinfo=None), " UTC"
    locale = locale_of(lang)
    day = _babel_date(moment, format="long", locale=locale)
    time = _babel_time(moment, format="medium", locale=locale)
    return get_datetime_format("medium", locale=locale).replace("{1}", day).replace("{0}", time) + zone


# The format specs the interface strings use on numbers: grouping, fixed decimals, a percentage.
_SPEC = re.compile(r"(?P<grouped>,)?(?:\.(?P<digits>\d+))?(?P<kind>[f%])?")


class LocalNumber:
    """A number that `str.format` writes in a language: `{n:,}` 10.000 and `{r:.2f}` 0,25 in Indonesian.

    Interface strings carry Python format specs; wrapping the value keeps the spec where the string's
    author put it while the digits follow the reader's conventions (Babel's CLDR data). A spec it does
    not know is left to Python.
    """

    __slots__ = ("language", "value")

    def __init__(self, value: float, language: str):
        self.value, self.language = value, language

    def __format__(self, spec: str) -> str:
        locale = locale_of(self.language)
        if spec == "g":
            return format(self.value, "g").replace(".", get_decimal_symbol(locale))
        match = _SPEC.fullmatch(spec)
        if not spec or match is None:
            return format(self.value, spec)
        if match["digits"] is None and match["kind"] is None and not float(self.value).is_integer():
            # Python's `{x:,}` of a fraction keeps every decimal: swap the marks, keep the digits.
            marks = {",": get_group_symbol(locale), ".": get_decimal_symbol(locale)}
            return "".join(marks.get(char, char) for char in format(self.value, spec))
        digits = int(match["digits"] or 0)
        percent = match["kind"] == "%"
        value = Decimal(float(self.value)) * (100 if percent else 1)
        pattern = ("#,##0" if match["grouped"] else "0") + ("." + "0" * digits if digits else "")
        return _babel_decimal(value, format=pattern, locale=locale) + ("%" if percent else "")

    def __str__(self) -> str:
        return str(self.value)
