"""Publication times as the store keeps them: ISO 8601 in UTC, `YYYY-MM-DDTHH:MM:SSZ`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

# Later than this ahead of now is a wrong clock or a typo, not news: dropped.
_FUTURE_SLACK = timedelta(days=1)


def utc_iso(moment: datetime) -> str:
    """`moment` in UTC; a naive one is taken as UTC already."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_published(text: str, *, now: datetime | None = None) -> str | None:
    """ISO 8601 (`2026-12-01`, `2026-12-01T14:30+03:00`) or RFC 2822 (`Tue, 01 Dec 2026
    14:30:00 +0300`) -> UTC ISO; None when unreadable or more than a day in the future."""
    text = text.strip()
    if not text:
        return None
    moment: datetime | None = None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if moment - (now or datetime.now(UTC)) > _FUTURE_SLACK:
        return None
    return utc_iso(moment)
