"""/trend <words>: articles per day over the last weeks, counted from the store and sent as a
PNG chart (a real image: Arabic labels drawn by matplotlib), through the real bot process."""

import struct
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.config import Settings
from bot.ingest.files import parse_article
from bot.ingest.pipeline import analyse
from bot.services import Services
from bot.trends.counts import daily_trend
from tests.support.articles import article_text


def dated(n: int, day: date, words: str = "سوريا دمشق") -> str:
    return f"Date: {day.isoformat()}\n" + article_text(n, words)


async def test_daily_counts_follow_the_publication_dates(tmp_path):
    today = datetime.now(UTC).date()
    services = await Services.open(Settings(NEWSBOT_DB=str(tmp_path / "t.db"), NEWSBOT_SEEDS=str(tmp_path / "none")))
    try:
        for n, age in enumerate((0, 0, 2, 40)):  # two today, one two days ago, one too old
            await services.articles.add(analyse(parse_article(dated(n, today - timedelta(days=age)))))
        await services.articles.add(analyse(parse_article(dated(9, today, "القاهرة"))))
        found = await daily_trend(services.index, "سوريا", days=28, today=today)
        assert len(found.days) == 28 and found.days[-1] == (today, 2) and found.total == 3
        assert dict(found.days)[today - timedelta(days=2)] == 1
        assert (await daily_trend(services.index, "lang:ar", days=28, today=today)).total == 4  # filters alone
        assert await daily_trend(services.index, "-سوريا", today=today) is None  # nothing to count
    finally:
        await services.close()


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.mark.e2e
def test_trend_sends_a_png_chart_with_a_caption(standin, bot):
    bot.start()
    bot.ingest(*(dated(n, datetime.now(UTC).date() - timedelta(days=n)) for n in range(5)))
    standin.push_message(3001, "/trend سوريا", language_code="ar")
    (photo,) = standin.wait_for_messages(3001, 1, timeout=60)
    # five ingested and the seed article (stored today, about Syria)
    assert photo.method == "sendPhoto" and "6 " in photo.plain_text and "سوريا" in photo.plain_text
    width, height = _png_size(photo.params["photo"]["content"])
    assert (width, height) == (960, 480)
    standin.push_message(3001, "/trend كلمةلاتوجد", language_code="en")
    (none,) = standin.wait_for_messages(3001, 2, timeout=30)[1:]
    assert none.method == "sendMessage" and "No articles about" in none.plain_text
    assert standin.rate_limited == []
    bot.stop()
