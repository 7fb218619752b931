"""Feed sources, their polling state and the entries seen of each, in SQLite (`storage.SourceStore`)."""

from __future__ import annotations

from collections.abc import Sequence

from storage.rows import SOURCE_COLUMNS, source_from_row
from storage.sqlite.db import Database
from storage.types import PollResult, Source

_IN_CHUNK = 500


class Sources:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, url: str, name: str | None = None) -> tuple[Source, bool]:
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO sources (url, name) VALUES (?, ?) ON CONFLICT (url) DO NOTHING", (url, name)
            )
            created = cur.rowcount == 1
        found = await self.by_url(url)
        assert found is not None
        return found, created

    async def _one(self, where: str, value: object) -> Source | None:
        row = await self.db.fetchone(f"SELECT {SOURCE_COLUMNS} FROM sources s WHERE {where}", (value,))
        return source_from_row(row) if row else None

    async def get(self, source_id: int) -> Source | None:
        return await self._one("s.id = ?", source_id)

    async def by_url(self, url: str) -> Source | None:
        return await self._one("s.url = ?", url)

    async def all(self) -> list[Source]:
        return [source_from_row(r) for r in await self.db.fetchall(f"SELECT {SOURCE_COLUMNS} FROM sources s ORDER BY s.id")]

    async def due(self, now: float) -> list[Source]:
        rows = await self.db.fetchall(
            f"SELECT {SOURCE_COLUMNS} FROM sources s WHERE s.paused_at IS NULL AND s.next_poll_at <= ?"
            " ORDER BY s.next_poll_at, s.id",
            (now,),
        )
        return [source_from_row(r) for r in rows]

    async def remove(self, source_id: int) -> Source | None:
        found = await self.get(source_id)
        if found is not None:
            async with self.db.transaction() as conn:
                await conn.execute("DELETE FROM feed_items WHERE source_id = ?", (source_id,))
                await conn.execute("DELETE FROM sources WHERE id = ?", (source_id,))
        return found

    async def record_poll(self, source_id: int, result: PollResult, *, polled_at: float) -> None:
        """The outcome of a poll. Validators and title are kept when the poll brought none."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE sources SET last_status = ?, last_error = ?, etag = coalesce(?, etag),"
                " last_modified = coalesce(?, last_modified), title = coalesce(?, title),"
                " ttl_seconds = coalesce(?, ttl_seconds), next_poll_at = ?, last_polled_at = ?,"
                " failures = ?,"
                " paused_at = CASE WHEN ? THEN coalesce(paused_at, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"
                "             ELSE NULL END,"
                " pause_notified = CASE WHEN ? THEN pause_notified ELSE 0 END"
                " WHERE id = ?",
                (result.status, result.error, result.etag, result.last_modified, result.title,
                 result.ttl_seconds, result.next_poll_at, polled_at, result.failures,
                 result.paused, result.paused, source_id),
            )

    async def resume(self, source_id: int) -> Source | None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE sources SET paused_at = NULL, pause_notified = 0, failures = 0, next_poll_at = 0"
                " WHERE id = ?",
                (source_id,),
            )
        return await self.get(source_id)

    async def mark_pause_notified(self, source_id: int) -> None:
        async with self.db.transaction() as conn:
            await conn.execute("UPDATE sources SET pause_notified = 1 WHERE id = ?", (source_id,))

    async def seen(self, source_id: int, guids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(guids), _IN_CHUNK):
            chunk = list(guids[start : start + _IN_CHUNK])
            rows = await self.db.fetchall(
                f"SELECT guid FROM feed_items WHERE source_id = ? AND guid IN ({','.join('?' * len(chunk))})",
                [source_id, *chunk],
            )
            found.update(r[0] for r in rows)
        return found

    async def record_seen(self, source_id: int, items: Sequence[tuple[str, int | None]]) -> None:
        async with self.db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO feed_items (source_id, guid, article_id) VALUES (?, ?, ?)"
                " ON CONFLICT (source_id, guid) DO NOTHING",
                [(source_id, guid, article_id) for guid, article_id in items],
            )
