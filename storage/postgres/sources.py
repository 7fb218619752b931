"""Feed sources, their polling state and the entries seen of each, in PostgreSQL (`storage.SourceStore`)."""

from __future__ import annotations

from collections.abc import Sequence

from storage.postgres.db import Database, changed
from storage.rows import SOURCE_COLUMNS, source_from_row
from storage.types import PollResult, Source


class Sources:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, url: str, name: str | None = None) -> tuple[Source, bool]:
        status = await self.db.execute(
            "INSERT INTO sources (url, name) VALUES ($1, $2) ON CONFLICT (url) DO NOTHING", (url, name)
        )
        found = await self.by_url(url)
        assert found is not None
        return found, changed(status) == 1

    async def _one(self, where: str, value: object) -> Source | None:
        row = await self.db.fetchone(f"SELECT {SOURCE_COLUMNS} FROM sources s WHERE {where}", (value,))
        return source_from_row(row) if row else None

    async def get(self, source_id: int) -> Source | None:
        return await self._one("s.id = $1", source_id)

    async def by_url(self, url: str) -> Source | None:
        return await self._one("s.url = $1", url)

    async def all(self) -> list[Source]:
        return [source_from_row(r) for r in await self.db.fetchall(f"SELECT {SOURCE_COLUMNS} FROM sources s ORDER BY s.id")]

    async def due(self, now: float) -> list[Source]:
        rows = await self.db.fetchall(
            f"SELECT {SOURCE_COLUMNS} FROM sources s WHERE s.paused_at IS NULL AND s.next_poll_at <= $1"
            " ORDER BY s.next_poll_at, s.id",
            (float(now),),
        )
        return [source_from_row(r) for r in rows]

    async def remove(self, source_id: int) -> Source | None:
        found = await self.get(source_id)
        if found is not None:
            async with self.db.transaction() as conn:
                await conn.execute("DELETE FROM feed_items WHERE source_id = $1", source_id)
                await conn.execute("DELETE FROM sources WHERE id = $1", source_id)
        return found

    async def record_poll(self, source_id: int, result: PollResult, *, polled_at: float) -> None:
        """The outcome of a poll. Validators and title are kept when the poll brought none."""
        await self.db.execute(
            "UPDATE sources SET last_status = $1, last_error = $2, etag = coalesce($3, etag),"
            " last_modified = coalesce($4, last_modified), title = coalesce($5, title),"
            " ttl_seconds = coalesce($6, ttl_seconds), next_poll_at = $7, last_polled_at = $8,"
            " failures = $9,"
            " paused_at = CASE WHEN $10::boolean THEN coalesce(paused_at, utc_now_text()) ELSE NULL END,"
            " pause_notified = CASE WHEN $10::boolean THEN pause_notified ELSE 0 END"
            " WHERE id = $11",
            (str(result.status), result.error, result.etag, result.last_modified, result.title,
             result.ttl_seconds, float(result.next_poll_at), float(polled_at), result.failures,
             bool(result.paused), source_id),
        )

    async def resume(self, source_id: int) -> Source | None:
        await self.db.execute(
            "UPDATE sources SET paused_at = NULL, pause_notified = 0, failures = 0, next_poll_at = 0 WHERE id = $1",
            (source_id,),
        )
        return await self.get(source_id)

    async def mark_pause_notified(self, source_id: int) -> None:
        await self.db.execute("UPDATE sources SET pause_notified = 1 WHERE id = $1", (source_id,))

    async def seen(self, source_id: int, guids: Sequence[str]) -> set[str]:
        if not guids:
            return set()
        rows = await self.db.fetchall(
            "SELECT guid FROM feed_items WHERE source_id = $1 AND guid = ANY($2::text[])", (source_id, list(guids))
        )
        return {r[0] for r in rows}

    async def record_seen(self, source_id: int, items: Sequence[tuple[str, int | None]]) -> None:
        if not items:
            return
        async with self.db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO feed_items (source_id, guid, article_id) VALUES ($1, $2, $3)"
                " ON CONFLICT (source_id, guid) DO NOTHING",
                [(source_id, guid, article_id) for guid, article_id in items],
            )
