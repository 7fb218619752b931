"""What a chat types after /digest and /timezone, read into what the Alerts service stores: a
time of day as 'HH:MM', a time zone name (IANA, or a fixed offset as `UTC+03:30`).

People type times and zones many ways (`8`, `20h30`, `asia/damascus`, `GMT-5`, `دمشق`); each
is read here once, so the handlers only ask and the store only ever holds one spelling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from datetime import timezone as dt_timezone
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.text import ascii_digits, normalize

_FIXED_OFFSET = re.compile(r"UTC([+-])(0\d|1[0-4]):([0-5]\d)")  # how fixed offsets are stored
_DIGEST_OFF = {"off", "stop", "none", "ايقاف", "إيقاف", "الغاء", "إلغاء", "توقف"}
_DIGEST_DAILY = ("daily", "يومي", "يوميا", "يومياً", "كل يوم")
_HOUR_FORMS = re.compile(r"(\d{1,2})(?:h(\d{2})?)?", re.ASCII)  # 8, 20h, 20h30
_OFFSET = re.compile(r"(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.ASCII | re.IGNORECASE)

# Capitals and big cities as written in Arabic; keys are compared normalised (عمّان = عمان).
_CITIES = {normalize(city): name for city, name in {
    "دمشق": "Asia/Damascus", "حلب": "Asia/Damascus", "القاهرة": "Africa/Cairo", "الرياض": "Asia/Riyadh",
    "جدة": "Asia/Riyadh", "مكة": "Asia/Riyadh", "بيروت": "Asia/Beirut", "عمّان": "Asia/Amman",
    "بغداد": "Asia/Baghdad", "الدوحة": "Asia/Qatar", "دبي": "Asia/Dubai", "أبوظبي": "Asia/Dubai",
    "الكويت": "Asia/Kuwait", "المنامة": "Asia/Bahrain", "مسقط": "Asia/Muscat", "صنعاء": "Asia/Aden",
    "الرباط": "Africa/Casablanca", "الدار البيضاء": "Africa/Casablanca", "تونس": "Africa/Tunis",
    "الجزائر": "Africa/Algiers", "الخرطوم": "Africa/Khartoum",
}.items()}


@dataclass(frozen=True, slots=True)
class DigestRequest:
    """What `/digest ...` asks for: `show` the current state, `off`, a digest `at` `clock`, a
    `bad` time (`value` as typed), or nothing it can read (`usage`)."""

    action: str  # show | off | at | bad | usage
    clock: str | None = None
    value: str = ""


def read_digest(text: str) -> DigestRequest:
    """`off`, `daily 08:00`, `08:00`, `يومي ٨:٣٠`, or nothing (what is set now)."""
    rest = " ".join(text.lower().split())
    if rest.partition(" ")[0] in _DIGEST_OFF:
        return DigestRequest("off")
    daily = next((d for d in _DIGEST_DAILY if rest == d or rest.startswith(d + " ")), "")
    rest = rest[len(daily):].strip()
    if not rest:
        return DigestRequest("show")
    if " " in rest:
        return DigestRequest("usage")
    clock = read_clock(rest)
    return DigestRequest("at", clock) if clock else DigestRequest("bad", value=text.split()[-1])


def read_clock(value: str) -> str | None:
    """A time of day as people type it: `8:00`, `08:00`, `٠٨:٠٠`, `8` (08:00), `20h30` -> 'HH:MM'."""
    typed = ascii_digits(value).strip().lower()
    if hour := _HOUR_FORMS.fullmatch(typed):
        typed = f"{hour[1]}:{hour[2] or '00'}"
    return parse_clock(typed)


def timezone_name(value: str) -> str | None:
    """The zone `value` means, as stored: `asia/damascus` and `دمشق` -> `Asia/Damascus`; `+3`,
    `UTC+3`, `GMT+03:00` -> `UTC+03:00`, `-0430` -> `UTC-04:30`; None if it names none."""
    value = " ".join(value.split())
    if offset := _OFFSET.fullmatch(ascii_digits(value).replace("−", "-")):
        sign, hours, minutes = offset.groups()
        name = f"UTC{sign}{int(hours):02d}:{minutes or '00'}"
        return ("UTC" if name[4:] == "00:00" else name) if zone(name) else None
    name = _iana_names().get(value.lower().replace(" ", "_")) or _CITIES.get(normalize(value)) or value
    return name if zone(name) is not None else None


@cache
def _iana_names() -> dict[str, str]:
    """Every IANA zone by its name in lower case, and by its city alone (`cairo`, `new_york`)."""
    names = sorted(available_timezones())
    by_city = {name.rsplit("/", 1)[-1].lower(): name for name in names if "/" in name}
    return by_city | {name.lower(): name for name in names}


def zone(name: str) -> tzinfo | None:
    """The time zone called `name` (`Asia/Damascus`, `UTC`, or a fixed offset stored as
    `UTC+03:30`), or None if there is no such zone."""
    name = name.strip()
    if not name or len(name) > 64 or ".." in name or name.startswith("/"):
        return None
    if offset := _FIXED_OFFSET.fullmatch(name):
        sign, hours, minutes = offset.groups()
        return dt_timezone((-1 if sign == "-" else 1) * timedelta(hours=int(hours), minutes=int(minutes)), name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def parse_clock(value: str) -> str | None:
    """'8:00' / '08:00' / '٠٨:٠٠' -> '08:00'; None if it is not a time of day."""
    hours, sep, minutes = ascii_digits(value).strip().partition(":")
    if not (sep and hours.isascii() and hours.isdigit() and minutes.isascii() and minutes.isdigit()):
        return None
    if len(hours) > 2 or len(minutes) != 2 or int(hours) > 23 or int(minutes) > 59:
        return None
    return f"{int(hours):02d}:{minutes}"


def last_slot(now: datetime, timezone: str, clock: str) -> datetime:
    """The latest daily `clock` time in `timezone` at or before `now`, in UTC."""
    tz = zone(timezone) or ZoneInfo("UTC")
    local = now.astimezone(tz)
    hours, minutes = (int(p) for p in clock.split(":"))
    slot = datetime.combine(local.date(), time(hours, minutes), tzinfo=tz)
    if slot > local:
        slot = datetime.combine(local.date() - timedelta(days=1), time(hours, minutes), tzinfo=tz)
    return slot.astimezone(UTC)
