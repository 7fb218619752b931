"""The bot's services over one open store, for Telegram and the command line alike."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from bot.ingest import ingest_files
from bot.summaries import Summaries
from storage.alerts import AlertStore
from storage.articles import ArticleStore
from storage.db import Database
from storage.search import ArticleSearch

log = logging.getLogger(__name__)


@dataclass
class Services:
    db: Database
    articles: ArticleStore
    search: ArticleSearch
    summaries: Summaries
    alerts: AlertStore = field(init=False)

    def __post_init__(self) -> None:
        self.alerts = AlertStore(self.db)

    @classmethod
    async def open(cls, db_path: Path | str, seeds_dir: Path | None = None) -> "Services":
        """Open and migrate the store; add the seed articles it does not have yet."""
        db = await Database.open(db_path)
        articles = ArticleStore(db)
        services = cls(db, articles, ArticleSearch(db), Summaries(articles))
        try:
            if seeds_dir is not None and seeds_dir.is_dir():
                report = await ingest_files(articles, [seeds_dir])
                for name, reason in report.refused:
                    log.warning("seed %s refused: %s", name, reason)
                if report.added:
                    log.info("seeded %d article(s) from %s", len(report.added), seeds_dir)
        except BaseException:
            await services.close()  # an open connection's thread would keep the process alive
            raise
        return services

    async def close(self) -> None:
        await self.db.close()
