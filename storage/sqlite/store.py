"""`storage.Store` over one SQLite file: every table group over the one shared `Database`."""

from __future__ import annotations

from pathlib import Path

from storage.sqlite.articles import Articles
from storage.sqlite.chats import Chats
from storage.sqlite.claims import Pace
from storage.sqlite.db import Database
from storage.sqlite.digests import Digests
from storage.sqlite.leases import Leases
from storage.sqlite.matching import Matching
from storage.sqlite.outbox import Outbox
from storage.sqlite.search import Search
from storage.sqlite.sources import Sources
from storage.sqlite.stats import Stats
from storage.sqlite.stories import Stories
from storage.sqlite.topics import Topics
from storage.sqlite.updates import Updates


class SqliteStore:
    """`db` is SQLite's own: only storage/ and tests of SQLite specifics reach for it."""

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
    async def open(cls, path: Path | str) -> "SqliteStore":
        """Open (creating the file if need be) and migrate."""
        return cls(await Database.open(path))

    async def close(self) -> None:
        await self.db.close()
