"""`storage.Store` over PostgreSQL: every table group over the one shared pool."""

from __future__ import annotations

from storage.postgres.articles import Articles
from storage.postgres.chats import Chats
from storage.postgres.claims import Pace
from storage.postgres.db import Database
from storage.postgres.digests import Digests
from storage.postgres.leases import Leases
from storage.postgres.matching import Matching
from storage.postgres.outbox import Outbox
from storage.postgres.search import Search
from storage.postgres.sources import Sources
from storage.postgres.stats import Stats
from storage.postgres.stories import Stories
from storage.postgres.topics import Topics
from storage.postgres.updates import Updates


class PostgresStore:
    """`db` is PostgreSQL's own: only storage/ and tests of PostgreSQL specifics reach for it."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.articles = Articles(db)
        self.search = Search(db)
        self.chats = Chats(db)
        self.topics = Topics(db)
        self.matching = Matching(db)
        self.outbox = Outbox(db)
        self.digests = Digests(db)
        self.sources = Sources(db)
        self.stories = Stories(db)
        self.stats = Stats(db)
        self.leases = Leases(db)
        self.pace = Pace(db)
        self.updates = Updates(db)

    @classmethod
    async def open(cls, dsn: str) -> PostgresStore:
        """Connect and migrate."""
        return cls(await Database.open(dsn))

    async def close(self) -> None:
        await self.leases.close()  # roles held end with their connections
        await self.topics.close()  # and its listener's
        await self.db.close()
