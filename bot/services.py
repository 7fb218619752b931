"""The one container of the bot's services, built once from Settings over one open store.

The same object serves Telegram (it is the Application's `bot_data`, filled in by
`post_init`), the console and every CLI command. Adding the seed articles is its own step
(`seed`), taken where the bot starts, never a side effect of opening the store; so is bringing
a store analysed by an older version of bot/text up to date (`upgrade_analysis`, just before).
"""

from __future__ import annotations

import logging

from bot.alerts.service import Alerts
from bot.config import Settings
from bot.feeds.poller import Feeds
from bot.ingest.pipeline import IngestReport, ingest_files
from bot.ingest.reanalyse import ReanalyseReport, reanalyse_store
from bot.roles import Leadership
from bot.sending.budget import SendBudget
from bot.summaries.cache import Summaries
from bot.text import ANALYSIS_VERSION
from storage import ArticleSearch, ArticleStore, Store, open_store

log = logging.getLogger(__name__)


class Services:
    """One name per thing: `articles` (stored articles), `index` (the search index), `summaries`,
    `alerts` (topic alerts), `feeds` (sources and their polling), `budget` (the send budget,
    while serving Telegram)."""

    def __init__(self) -> None:  # PTB builds `bot_data` without arguments; `start` fills it in
        self.settings: Settings | None = None
        self.store: Store | None = None
        self.articles: ArticleStore | None = None
        self.index: ArticleSearch | None = None
        self.summaries: Summaries | None = None
        self.alerts: Alerts | None = None
        self.feeds: Feeds | None = None
        self.budget: SendBudget | None = None
        self.leadership: Leadership | None = None  # the shared roles this process holds (bot/roles.py)

    @classmethod
    async def open(cls, settings: Settings) -> "Services":
        """A started container (the command line's way in)."""
        services = cls()
        await services.start(settings)
        return services

    async def start(self, settings: Settings) -> None:
        """Open and migrate the store, and build every service over it."""
        self.settings = settings
        self.store = await open_store(settings.db)
        self.articles = self.store.articles
        self.index = self.store.search
        self.summaries = Summaries(self.articles)
        self.alerts = Alerts(self.store, self.summaries, max_topics=settings.alerts_max_topics)
        self.feeds = Feeds(self.store, settings)

    async def upgrade_analysis(self) -> ReanalyseReport | None:
        """Re-analyse the store if its words and stems come from an older analysis version.

        So a changed stemmer or a new spelling variant reaches articles stored before it,
        without re-ingesting; topics follow by themselves (compiled from their text at load).
        None when the store was up to date.
        """
        stored = await self.articles.analysis_version()
        if stored >= ANALYSIS_VERSION:
            if stored > ANALYSIS_VERSION:
                log.warning("store analysed by a newer version (%d > %d); left as is", stored, ANALYSIS_VERSION)
            return None
        if not await self.articles.count():  # a new store: nothing to re-analyse, nothing to say
            await self.articles.set_analysis_version(ANALYSIS_VERSION)
            return None
        log.info("store analysed by version %d: re-analysing for version %d", stored, ANALYSIS_VERSION)
        report = await reanalyse_store(self.articles)
        log.info("re-analysed %d article(s), %d changed", report.reanalysed, report.changed)
        return report

    async def seed(self) -> IngestReport | None:
        """Add the seed articles (`NEWSBOT_SEEDS`) the store does not have yet."""
        seeds = self.settings.seeds_dir
        if not seeds.is_dir():
            return None
        report = await ingest_files(self.articles, [seeds])
        for name, reason in report.refused:
            log.warning("seed %s refused: %s", name, reason)
        if report.added:
            log.info("seeded %d article(s) from %s", len(report.added), seeds)
        return report

    async def close(self) -> None:
        if self.feeds is not None:
            await self.feeds.aclose()
            self.feeds = None
        if self.store is not None:
            await self.store.close()
            self.store = None
