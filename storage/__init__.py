"""Persistence: the only package that holds SQL. It never imports telegram or bot.

Code outside storage/ uses only what this module exports: `open_store`, the `Store`
interface and its parts (storage/interface.py), the values (storage/types.py) and the error
predicates (storage/errors.py). Backends live in subpackages (storage/sqlite/).
"""

from __future__ import annotations

from pathlib import Path

from storage.errors import (
    StoreError,
    describe_store_error,
    is_busy,
    is_postgres,
    is_store_failure,
    shown_location,
)
from storage.interface import (
    ArticleSearch,
    ArticleStore,
    ChatStore,
    DigestStore,
    LeaseStore,
    MatchStore,
    OutboxStore,
    PaceStore,
    SourceStore,
    StatsStore,
    Store,
    StoryStore,
    TopicStore,
    UpdateStore,
)
from storage.sqlite.store import SqliteStore
from storage.types import (
    AlertChat,
    Article,
    ArticleTerms,
    Candidate,
    Delivery,
    Digest,
    DigestState,
    Due,
    FtsQuery,
    Lease,
    Match,
    NewArticle,
    OutboxItem,
    OutboxKind,
    OutboxState,
    Phrase,
    PollResult,
    PollStatus,
    Source,
    StoredAnalysis,
    StoreStats,
    StoryCandidate,
    Topic,
    TopicAdded,
)


async def open_store(location: Path | str) -> Store:
    """Open the store at `location` and migrate it; nothing is seeded.

    `location` is an SQLite file (created if missing), ":memory:", or a PostgreSQL URL
    (`postgresql://user:password@host:port/database`, the database created beforehand).
    """
    if is_postgres(location):
        from storage.postgres.store import (
            PostgresStore,  # imported only by those who use it
        )

        return await PostgresStore.open(str(location))
    return await SqliteStore.open(location)


__all__ = [
    "open_store", "Store", "ArticleStore", "ArticleSearch", "ChatStore", "TopicStore", "MatchStore", "OutboxStore",
    "PaceStore", "UpdateStore",
    "DigestStore", "StoreError", "describe_store_error", "is_postgres", "shown_location", "is_store_failure", "is_busy",
    "AlertChat", "Article", "ArticleTerms", "Candidate", "Delivery", "Digest", "DigestState", "Due", "FtsQuery",
    "Match", "NewArticle", "OutboxItem", "OutboxKind", "OutboxState", "Phrase", "StoredAnalysis", "Topic",
    "TopicAdded", "SourceStore", "StoryStore", "Source", "PollResult", "PollStatus", "StoryCandidate",
    "StatsStore", "StoreStats", "LeaseStore", "Lease",
]
