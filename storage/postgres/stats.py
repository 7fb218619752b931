"""Counts across the tables, for administrators, in PostgreSQL (`storage.StatsStore`)."""

from __future__ import annotations

from storage.postgres.db import Database
from storage.types import StoreStats


class Stats:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def summary(self, errors: int = 5) -> StoreStats:
        counts = await self.db.fetchone(
            "SELECT (SELECT count(*) FROM articles),"
            " (SELECT count(DISTINCT coalesce(story_id, id)) FROM articles),"
            " (SELECT count(*) FROM sources), (SELECT count(*) FROM sources WHERE paused_at IS NOT NULL),"
            " (SELECT count(*) FROM sources WHERE failures > 0 AND paused_at IS NULL),"
            " (SELECT count(*) FROM alert_chats WHERE active = 1),"
            " (SELECT count(*) FROM alert_chats WHERE active = 0),"
            " (SELECT count(*) FROM alert_topics)"
        )
        outbox = {state: n for state, n in await self.db.fetchall(
            "SELECT state, count(*) FROM alert_outbox GROUP BY state ORDER BY state")}
        # SQLite's CAST(strftime('%s', created_at) AS REAL): whole seconds; its NULLs sort last
        # in DESC order, PostgreSQL's first unless told.
        rows = await self.db.fetchall(
            "SELECT at, what FROM ("
            "  SELECT last_polled_at AS at, coalesce(name, title, url) || ': ' || last_error AS what"
            "  FROM sources WHERE last_status = 'failed' AND last_error IS NOT NULL"
            "  UNION ALL"
            "  SELECT floor(extract(epoch FROM created_at::timestamptz))::double precision,"
            "         'alert to ' || chat_id || ': ' || last_error"
            "  FROM alert_outbox WHERE state = 'parked' AND last_error IS NOT NULL"
            ") AS failing ORDER BY at DESC NULLS LAST LIMIT $1",
            (errors,),
        )
        return StoreStats(*counts, outbox=outbox, recent_errors=[r[1] for r in rows])
