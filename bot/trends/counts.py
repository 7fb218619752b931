"""Articles per day that match a query, over the last weeks: the numbers behind `/trend`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bot.search.query import parse_query, to_fts
from storage import ArticleSearch

DAYS = 28


@dataclass(frozen=True, slots=True)
class Trend:
    query: str
    days: list[tuple[date, int]]  # every day of the period, oldest first, zeros included

    @property
    def total(self) -> int:
        return sum(count for _, count in self.days)


async def daily_trend(index: ArticleSearch, text: str, *, days: int = DAYS, today: date | None = None) -> Trend | None:
    """Counts for the `days` days up to `today` (UTC); None when `text` asks for nothing."""
    query = parse_query(text)
    if not query.clauses and not query.filtered:
        return None
    last = today or datetime.now(UTC).date()
    first = last - timedelta(days=days - 1)
    found = dict(await index.daily_counts(to_fts(query), first.isoformat()))
    period = [first + timedelta(days=n) for n in range(days)]
    return Trend(query.text, [(day, found.get(day.isoformat(), 0)) for day in period])
