"""Articles and alerts for the tests: article texts, a store with its Alerts service, and a
look at the outbox of a store another process (the bot) is writing."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from contextlib import closing
from pathlib import Path

from bot.alerts.service import Alerts
from bot.config import Settings
from bot.ingest.files import ParsedArticle, parse_article
from bot.ingest.pipeline import analyse
from bot.search.engine import search_articles
from bot.services import Services

# Words that make each numbered article its own story (not a near-duplicate of the others).
_STORY_WORDS = ("الاقتصاد الزراعة الموانئ الانتخابات المدارس الكهرباء المياه الطرق المستشفيات الجامعات "
                "الصادرات الضرائب السياحة الصناعة النفط الغاز الإسكان النقل الاتصالات الرياضة الثقافة "
                "المصارف الأسواق الشركات العمال الفلاحين الطلاب الأطباء المهندسين القضاة المحامين "
                "الصحفيين الفنانين اللاجئين المهاجرين الشباب النساء الأطفال المتقاعدين التجار").split()


def article_text(n: int, words: str = "سوريا دمشق") -> str:
    """A short article about `words`; each `n` tells another story (bot.stories.signatures groups
    near-duplicates, so numbered copies of one template would be one story)."""
    pick = random.Random(f"{n}:{words}").sample
    first, second = " و".join(pick(_STORY_WORDS, 24)), " و".join(pick(_STORY_WORDS, 24))
    return (f"خبر رقم {n} عن {words}\n"
            f"قال مراسلنا إن الأحداث في {words} تتواصل لليوم {n} على التوالي.\n"
            f"وتناول الاجتماع ملفات {first}.\nوناقش الحاضرون أوضاع {second}.\n"
            f"وأضاف أن اللجنة {n} ستعلن النتائج قريباً.\nوكالة الأنباء")


async def add_article(services: Services, text: str) -> int:
    article_id, created = await services.articles.add(analyse(parse_article(text)))
    assert created
    return article_id


async def open_alerts(path, max_topics: int = 5) -> tuple[Services, Alerts]:
    services = await Services.open(Settings(NEWSBOT_DB=str(path), NEWSBOT_ALERTS_MAX_TOPICS=max_topics))
    alerts = services.alerts
    await alerts.load()
    return services, alerts


def subscribe_chats(db: Path, chats: list[int], topic: str = "سوريا") -> None:
    """Each private chat follows `topic`, written straight into the store (before the bot starts)."""
    async def main() -> None:
        services, alerts = await open_alerts(db, max_topics=20)
        try:
            for chat in chats:
                await alerts.subscribe(chat, "private", "ar", topic)
        finally:
            await services.close()

    asyncio.run(main())


_SETTLED = ("SELECT coalesce(max(id), 0), (SELECT article_id FROM alert_cursor WHERE name = 'match'),"
            " (SELECT count(*) FROM alert_outbox WHERE state = 'pending')"
            " + (SELECT count(*) FROM alert_digests WHERE state = 'pending') FROM articles")


def alerts_settled(db: Path | str) -> bool:
    """The matcher has read every stored article and no alert or digest waits to be sent or
    retried: from then on the bot sends no alert until a new article is stored. (An outbox row
    is marked sent only after Telegram accepted it, so the stand-in has every message by then.)
    `db`: an SQLite file or a PostgreSQL URL, read directly as another process."""
    if str(db).startswith("postgresql://"):
        import asyncpg

        async def read():
            conn = await asyncpg.connect(str(db))
            try:
                return await conn.fetchrow(_SETTLED)
            finally:
                await conn.close()

        newest, cursor, waiting = asyncio.run(read())
    else:
        with closing(sqlite3.connect(db, timeout=5)) as conn:
            newest, cursor, waiting = conn.execute(_SETTLED).fetchone()
    return cursor is not None and cursor >= newest and waiting == 0


async def store_with(tmp_path: Path, articles: dict[str, tuple[str, str]],
                     location: str | None = None) -> tuple[Services, dict[str, int]]:
    """A started Services over a new store holding `articles` ({key: (title, body)}), no seeds;
    and {key: article id}. The store is tmp_path/store.db unless `location` names one (a
    PostgreSQL URL, say). Close it when done."""
    services = await Services.open(Settings(NEWSBOT_DB=location or str(tmp_path / "store.db"),
                                            NEWSBOT_SEEDS=str(tmp_path / "none")))
    ids = {}
    for key, (title, body) in articles.items():
        ids[key], created = await services.articles.add(analyse(ParsedArticle(title, body, None)))
        assert created, key
    return services, ids


async def found_keys(services: Services, ids: dict[str, int], query: str) -> set[str]:
    """The keys (as given to `store_with`) of the articles a search for `query` finds."""
    page = await search_articles(services.index, services.articles, query, limit=10)
    by_id = {v: k for k, v in ids.items()}
    return {by_id[a.id] for a in page.articles}
