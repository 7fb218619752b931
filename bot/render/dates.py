"""Dates in the reader's language, from CLDR (Babel's bundled data): `1 ديسمبر 2026`, `1 Dec 2026`.

Digits stay Latin in both languages (CLDR's default numbering for `ar` is `latn`), like
every other number the bot shows. Text that is not a date is shown as it is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from babel.dates import format_date, format_datetime

# CLDR patterns per language: day, day without year (chart labels), day with time of day.
_DAY = {"ar": "d MMMM y", "en": "d MMM y"}
_SHORT_DAY = {"ar": "d MMMM", "en": "d MMM"}
_MOMENT = {"ar": "d MMMM y، HH:mm", "en": "d MMM y, HH:mm"}


def _locale(lang: str) -> str:
    return lang if lang in _DAY else "ar"


def _parsed(value: str | date) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def day(value: str | date, lang: str) -> str:
    """An ISO date (`2026-12-01`, or the start of an ISO timestamp) as the language writes it."""
    parsed = _parsed(value)
    if parsed is None:
        return str(value)
    lang = _locale(lang)
    return format_date(parsed, _DAY[lang], locale=lang)


def short_day(value: str | date, lang: str) -> str:
    """Day and month only (`1 ديسمبر`, `1 Dec`): the /trend chart's axis."""
    parsed = _parsed(value)
    if parsed is None:
        return str(value)
    lang = _locale(lang)
    return format_date(parsed, _SHORT_DAY[lang], locale=lang)


def moment(timestamp: float | datetime | None, lang: str, tz: str = "UTC") -> str:
    """A Unix time (or datetime) as day and time of day in `tz`; '' for none."""
    if timestamp is None:
        return ""
    try:
        when = timestamp if isinstance(timestamp, datetime) else datetime.fromtimestamp(float(timestamp), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return str(timestamp)
    lang = _locale(lang)
    return format_datetime(when, _MOMENT[lang], tzinfo=tz, locale=lang)
