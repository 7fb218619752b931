"""Topic alerts in the store: chats, topics, the matcher's cursor, the outbox and digests.

All alert SQL lives here. Every state change that must not be half-done (matches + cursor,
a digest + the items it carries, a chat migration) is one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storage.db import Database

MATCH_CURSOR = "match"


@dataclass(frozen=True, slots=True)
class AlertChat:
    chat_id: int
    chat_type: str
    language: str
    active: bool
    inactive_reason: str | None
    timezone: str
    digest_time: str | None
    digest_due_after: str | None


@dataclass(frozen=True, slots=True)
class Topic:
    id: int
    chat_id: int
    query: str
    paused: bool
    since_article: int


@dataclass(frozen=True, slots=True)
class ArticleTerms:
    """What matching needs of an article: its filters and its analysed stems."""

    id: int
    language: str
    source: str | None
    date: str  # YYYY-MM-DD: published, else stored
    title_stems: tuple[str, ...]
    body_stems: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Match:
    """An article matched topics of a chat: one outbox row."""

    chat_id: int
    article_id: int
    topics: tuple[tuple[int, str], ...]  # (topic id, query as typed)


@dataclass(frozen=True, slots=True)
class Due:
    """The oldest deliverable item of one chat: an instant alert or a digest."""

    kind: str  # 'alert' | 'digest'
    id: int
    chat_id: int
    chat_type: str
    language: str


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    chat_id: int
    article_id: int
    topics: tuple[tuple[int, str], ...]
    attempts: int
    state: str
    kind: str
    created_at: str
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class Digest:
    id: int
    chat_id: int
    parts: tuple[str, ...]
    parts_sent: int
    attempts: int
    state: str


_CHAT_COLUMNS = "chat_id, chat_type, language, active, inactive_reason, timezone, digest_time, digest_due_after"
_TOPIC_COLUMNS = "id, chat_id, query, paused, since_article"
_OUTBOX_COLUMNS = "id, chat_id, article_id, topics, attempts, state, kind, created_at, last_error"
_NEWEST_ARTICLE = "(SELECT coalesce(max(id), 0) FROM articles)"
# Which table a delivery kind lives in: a fixed choice, never user input.
_TABLES = {"alert": "alert_outbox", "digest": "alert_digests"}


def _chat(row) -> AlertChat:
    return AlertChat(row[0], row[1], row[2], bool(row[3]), row[4], row[5], row[6], row[7])


def _topic(row) -> Topic:
    return Topic(row[0], row[1], row[2], bool(row[3]), row[4])


def _topics_json(topics: Iterable[tuple[int, str]]) -> str:
    return json.dumps([[t, q] for t, q in topics], ensure_ascii=False)


def _item(row) -> OutboxItem:
    topics = tuple((int(t), str(q)) for t, q in json.loads(row[3]))
    return OutboxItem(row[0], row[1], row[2], topics, row[4], row[5], row[6], row[7], row[8])


class AlertStore:
    """Reads and writes the alert tables over the one shared connection."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # One round trip each: a cursor left open across awaits would hold a read snapshot on the
    # shared connection, and a stale snapshot makes another task's BEGIN IMMEDIATE fail at once.
    async def _one(self, sql: str, params: Sequence = ()):
        return await self.db.fetchone(sql, params)

    async def _all(self, sql: str, params: Sequence = ()) -> list:
        return await self.db.fetchall(sql, params)

    # ------------------------------------------------------------------ chats
    async def chat(self, chat_id: int) -> AlertChat | None:
        row = await self._one(f"SELECT {_CHAT_COLUMNS} FROM alert_chats WHERE chat_id = ?", (chat_id,))
        return _chat(row) if row else None

    async def ensure_chat(self, chat_id: int, chat_type: str, language: str) -> AlertChat:
        """The chat's row, created if new; its type and UI language follow the latest command."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO alert_chats (chat_id, chat_type, language) VALUES (?, ?, ?)"
                " ON CONFLICT (chat_id) DO UPDATE SET chat_type = excluded.chat_type, language = excluded.language",
                (chat_id, chat_type, language),
            )
        return await self.chat(chat_id)

    async def set_timezone(self, chat_id: int, timezone: str, digest_due_after: str | None) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE alert_chats SET timezone = ?, digest_due_after = coalesce(?, digest_due_after)"
                " WHERE chat_id = ?",
                (timezone, digest_due_after, chat_id),
            )

    async def set_digest(self, chat_id: int, digest_time: str | None, digest_due_after: str | None) -> None:
        """Switch the chat to a daily digest at `digest_time`, or (None) back to instant alerts.

        Items already waiting for a digest stay digest items: the next digest run sends them
        (at once when the digest was switched off).
        """
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE alert_chats SET digest_time = ?, digest_due_after = ? WHERE chat_id = ?",
                (digest_time, digest_due_after, chat_id),
            )

    async def digest_chats(self) -> list[AlertChat]:
        """Active chats with a digest set, or with digest items left over from one."""
        rows = await self._all(
            f"SELECT {_CHAT_COLUMNS} FROM alert_chats c WHERE active = 1 AND (digest_time IS NOT NULL"
            " OR EXISTS (SELECT 1 FROM alert_outbox o WHERE o.chat_id = c.chat_id"
            " AND o.state = 'pending' AND o.kind = 'digest'))"
        )
        return [_chat(r) for r in rows]

    async def deactivate_chat(self, chat_id: int, reason: str) -> int:
        """403: stop alerting the chat; what was waiting for it is dropped with the reason."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE alert_chats SET active = 0, inactive_reason = ? WHERE chat_id = ?", (reason, chat_id)
            )
            cur = await conn.execute(
                "UPDATE alert_outbox SET state = 'dropped', last_error = ? WHERE chat_id = ? AND state = 'pending'",
                (reason, chat_id),
            )
            dropped = cur.rowcount
            await conn.execute(
                "UPDATE alert_digests SET state = 'dropped', last_error = ? WHERE chat_id = ? AND state = 'pending'",
                (reason, chat_id),
            )
        return dropped

    async def reactivate_chat(self, chat_id: int) -> bool:
        """/start after a block: alerts resume from now on (nothing from the silent time)."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE alert_chats SET active = 1, inactive_reason = NULL WHERE chat_id = ? AND active = 0",
                (chat_id,),
            )
            if cur.rowcount == 0:
                return False
            await conn.execute(
                f"UPDATE alert_topics SET since_article = {_NEWEST_ARTICLE} WHERE chat_id = ?", (chat_id,)
            )
        return True

    async def migrate_chat(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup: its settings, topics and waiting alerts move to `new_id`.

        Where the new chat already has the same topic or alert, the new chat's copy is kept.
        """
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO alert_chats (chat_id, chat_type, language, active, timezone, digest_time,"
                " digest_due_after) SELECT ?, 'supergroup', language, 1, timezone, digest_time, digest_due_after"
                " FROM alert_chats WHERE chat_id = ? ON CONFLICT (chat_id) DO NOTHING",
                (new_id, old_id),
            )
            await conn.execute("UPDATE OR IGNORE alert_topics SET chat_id = ? WHERE chat_id = ?", (new_id, old_id))
            await conn.execute(
                "UPDATE OR IGNORE alert_outbox SET chat_id = ? WHERE chat_id = ? AND state = 'pending'",
                (new_id, old_id),
            )
            await conn.execute(
                "UPDATE alert_outbox SET state = 'dropped', last_error = ? WHERE chat_id = ? AND state = 'pending'",
                (f"chat migrated to {new_id}; already queued there", old_id),
            )
            await conn.execute(
                "UPDATE alert_digests SET chat_id = ? WHERE chat_id = ? AND state = 'pending'", (new_id, old_id)
            )
            await conn.execute("DELETE FROM alert_chats WHERE chat_id = ?", (old_id,))  # cascades leftovers

    # ------------------------------------------------------------------ topics
    async def topics(self, chat_id: int) -> list[Topic]:
        rows = await self._all(f"SELECT {_TOPIC_COLUMNS} FROM alert_topics WHERE chat_id = ? ORDER BY id", (chat_id,))
        return [_topic(r) for r in rows]

    async def all_topics(self) -> list[Topic]:
        """Every topic of every chat: what the in-memory index is built from."""
        return [_topic(r) for r in await self._all(f"SELECT {_TOPIC_COLUMNS} FROM alert_topics ORDER BY id")]

    async def topic(self, topic_id: int) -> Topic | None:
        row = await self._one(f"SELECT {_TOPIC_COLUMNS} FROM alert_topics WHERE id = ?", (topic_id,))
        return _topic(row) if row else None

    async def add_topic(self, chat_id: int, query: str, *, max_topics: int) -> tuple[str, Topic | None]:
        """('added', topic) | ('exists', topic) | ('full', None). The chat row must exist."""
        async with self.db.transaction() as conn:
            existing = await self._one(
                f"SELECT {_TOPIC_COLUMNS} FROM alert_topics WHERE chat_id = ? AND query = ?", (chat_id, query)
            )
            if existing:
                return "exists", _topic(existing)
            count = (await self._one("SELECT count(*) FROM alert_topics WHERE chat_id = ?", (chat_id,)))[0]
            if count >= max_topics:
                return "full", None
            cur = await conn.execute(
                f"INSERT INTO alert_topics (chat_id, query, since_article) VALUES (?, ?, {_NEWEST_ARTICLE})",
                (chat_id, query),
            )
            topic_id = cur.lastrowid
        return "added", await self.topic(topic_id)

    async def remove_topic(self, chat_id: int, topic_id: int) -> Topic | None:
        async with self.db.transaction() as conn:
            topic = await self._one(
                f"SELECT {_TOPIC_COLUMNS} FROM alert_topics WHERE id = ? AND chat_id = ?", (topic_id, chat_id)
            )
            if topic is None:
                return None
            await conn.execute("DELETE FROM alert_topics WHERE id = ?", (topic_id,))
        return _topic(topic)

    async def set_paused(self, chat_id: int, topic_id: int, paused: bool) -> Topic | None:
        """Pause or resume; a resumed topic fires for articles arriving from now on only."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE alert_topics SET paused = ?,"
                f" since_article = CASE WHEN ? THEN since_article ELSE {_NEWEST_ARTICLE} END"
                " WHERE id = ? AND chat_id = ?",
                (int(paused), int(paused), topic_id, chat_id),
            )
            if cur.rowcount == 0:
                return None
        return await self.topic(topic_id)

    # ------------------------------------------------------------------ matching
    async def cursor(self) -> int:
        row = await self._one("SELECT article_id FROM alert_cursor WHERE name = ?", (MATCH_CURSOR,))
        return row[0] if row else 0

    async def articles_after(self, article_id: int, limit: int) -> list[ArticleTerms]:
        """Articles stored after the cursor, oldest first, with their stems."""
        rows = await self._all(
            "SELECT a.id, a.language, a.source, substr(coalesce(a.published_at, a.ingested_at), 1, 10),"
            " t.title_stems, t.body_stems"
            " FROM articles a JOIN article_terms t ON t.article_id = a.id"
            " WHERE a.id > ? ORDER BY a.id LIMIT ?",
            (article_id, limit),
        )
        return [ArticleTerms(r[0], r[1], r[2], r[3], tuple(r[4].split()), tuple(r[5].split())) for r in rows]

    async def article_terms(self, article_id: int) -> ArticleTerms | None:
        found = await self.articles_after(article_id - 1, 1)
        return found[0] if found and found[0].id == article_id else None

    async def recent_articles(self, limit: int) -> list[ArticleTerms]:
        """The newest articles with their stems: a sample for document frequencies."""
        newest = (await self._one("SELECT coalesce(max(id), 0) FROM articles"))[0]
        return await self.articles_after(max(0, newest - limit), limit)

    async def record_matches(self, expected_cursor: int, new_cursor: int, matches: Sequence[Match]) -> int | None:
        """Queue `matches` and move the cursor, in one transaction; idempotent per (chat, article).

        The cursor moves only from `expected_cursor` (compare-and-set): if it moved meanwhile
        nothing is written and None comes back. Inactive or unknown chats get nothing; chats
        on a digest get digest items. Returns how many alerts were queued.
        """
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE alert_cursor SET article_id = ? WHERE name = ? AND article_id = ?",
                (new_cursor, MATCH_CURSOR, expected_cursor),
            )
            if cur.rowcount != 1:
                return None
            queued = 0
            for match in matches:
                cur = await conn.execute(
                    "INSERT INTO alert_outbox (chat_id, article_id, topics, kind)"
                    " SELECT chat_id, ?, ?, CASE WHEN digest_time IS NULL THEN 'instant' ELSE 'digest' END"
                    " FROM alert_chats WHERE chat_id = ? AND active = 1"
                    " ON CONFLICT (chat_id, article_id) DO NOTHING",
                    (match.article_id, _topics_json(match.topics), match.chat_id),
                )
                queued += max(cur.rowcount, 0)
        return queued

    # ------------------------------------------------------------------ delivery
    async def due(self, now: float, limit: int = 1000) -> list[Due]:
        """Per chat, its oldest deliverable item (digests first), for active chats only."""
        rows = await self._all(
            "SELECT kind, id, d.chat_id, c.chat_type, c.language FROM ("
            "  SELECT 'digest' AS kind, min(id) AS id, chat_id FROM alert_digests"
            "  WHERE state = 'pending' AND next_attempt_at <= ? GROUP BY chat_id"
            "  UNION ALL"
            "  SELECT 'alert', min(id), chat_id FROM alert_outbox"
            "  WHERE state = 'pending' AND kind = 'instant' AND next_attempt_at <= ? GROUP BY chat_id"
            ") d JOIN alert_chats c ON c.chat_id = d.chat_id AND c.active = 1"
            " ORDER BY d.id LIMIT ?",
            (now, now, limit),
        )
        seen: set[int] = set()
        heads = []
        for kind, item_id, chat_id, chat_type, language in sorted(rows, key=lambda r: r[0] != "digest"):
            if chat_id not in seen:
                seen.add(chat_id)
                heads.append(Due(kind, item_id, chat_id, chat_type, language))
        return heads

    async def next_attempt_at(self) -> float | None:
        """When the earliest item held back by a backoff becomes due."""
        row = await self._one(
            "SELECT min(t) FROM (SELECT min(next_attempt_at) AS t FROM alert_outbox"
            " WHERE state = 'pending' AND kind = 'instant'"
            " UNION ALL SELECT min(next_attempt_at) FROM alert_digests WHERE state = 'pending')"
        )
        return row[0] if row else None

    async def outbox_item(self, item_id: int) -> OutboxItem | None:
        row = await self._one(f"SELECT {_OUTBOX_COLUMNS} FROM alert_outbox WHERE id = ?", (item_id,))
        return _item(row) if row else None

    async def digest(self, digest_id: int) -> Digest | None:
        row = await self._one(
            "SELECT id, chat_id, parts, parts_sent, attempts, state FROM alert_digests WHERE id = ?", (digest_id,)
        )
        return Digest(row[0], row[1], tuple(json.loads(row[2])), row[3], row[4], row[5]) if row else None

    async def mark_sent(self, item_id: int, message_id: int | None) -> bool:
        """Telegram accepted the alert: it is done. False if it was not pending (never resent)."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE alert_outbox SET state = 'sent', message_id = ?, attempts = attempts + 1,"
                " sent_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), last_error = NULL"
                " WHERE id = ? AND state = 'pending'",
                (message_id, item_id),
            )
        return cur.rowcount == 1

    async def mark_digest_part_sent(self, digest_id: int, part: int, last: bool) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE alert_digests SET parts_sent = ?, attempts = 0, last_error = NULL,"
                " state = CASE WHEN ? THEN 'sent' ELSE state END,"
                " sent_at = CASE WHEN ? THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') ELSE sent_at END"
                " WHERE id = ? AND state = 'pending' AND parts_sent = ?",
                (part + 1, int(last), int(last), digest_id, part),
            )

    async def mark_retry(self, kind: str, item_id: int, error: str, next_attempt_at: float) -> int:
        """A failed attempt to try again at `next_attempt_at`; returns the attempts made so far."""
        table = _TABLES[kind]
        async with self.db.transaction() as conn:
            await conn.execute(
                f"UPDATE {table} SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?"
                " WHERE id = ? AND state = 'pending'",
                (error[:500], next_attempt_at, item_id),
            )
        row = await self._one(f"SELECT attempts FROM {table} WHERE id = ?", (item_id,))
        return row[0] if row else 0

    async def mark_parked(self, kind: str, item_id: int, error: str) -> None:
        """Failed for a permanent reason: kept with the reason, never retried."""
        table = _TABLES[kind]
        async with self.db.transaction() as conn:
            await conn.execute(
                f"UPDATE {table} SET state = 'parked', attempts = attempts + 1, last_error = ?"
                " WHERE id = ? AND state = 'pending'",
                (error[:500], item_id),
            )

    # ------------------------------------------------------------------ digests
    async def digest_items(self, chat_id: int, limit: int = 200) -> list[OutboxItem]:
        rows = await self._all(
            f"SELECT {_OUTBOX_COLUMNS} FROM alert_outbox WHERE chat_id = ? AND state = 'pending'"
            " AND kind = 'digest' ORDER BY id LIMIT ?",
            (chat_id, limit),
        )
        return [_item(r) for r in rows]

    async def create_digest(self, chat_id: int, item_ids: Sequence[int], parts: Sequence[str],
                            digest_due_after: str | None) -> int | None:
        """The rendered digest, its items marked as carried by it, and the slot marked done.

        All or nothing: if any item is no longer pending, nothing changes and None comes back.
        """
        try:
            return await self._create_digest(chat_id, item_ids, parts, digest_due_after)
        except _Conflict:
            return None

    async def _create_digest(self, chat_id: int, item_ids: Sequence[int], parts: Sequence[str],
                             digest_due_after: str | None) -> int | None:
        async with self.db.transaction() as conn:
            digest_id = None
            if item_ids:
                cur = await conn.execute(  # no parts (every article gone): nothing to send
                    "INSERT INTO alert_digests (chat_id, parts, state) VALUES (?, ?, ?)",
                    (chat_id, json.dumps(list(parts), ensure_ascii=False), "pending" if parts else "sent"),
                )
                digest_id = cur.lastrowid
                marks = ",".join("?" * len(item_ids))
                cur = await conn.execute(
                    f"UPDATE alert_outbox SET state = 'digested', digest_id = ? WHERE chat_id = ?"
                    f" AND state = 'pending' AND kind = 'digest' AND id IN ({marks})",
                    (digest_id, chat_id, *item_ids),
                )
                if cur.rowcount != len(item_ids):
                    raise _Conflict
            if digest_due_after is not None:
                await conn.execute(
                    "UPDATE alert_chats SET digest_due_after = ? WHERE chat_id = ?", (digest_due_after, chat_id)
                )
        return digest_id

    # ------------------------------------------------------------------ reports
    async def outbox_counts(self) -> dict[str, int]:
        rows = await self._all("SELECT state, count(*) FROM alert_outbox GROUP BY state")
        return {state: n for state, n in rows}

    async def outbox(self, chat_id: int | None = None) -> list[OutboxItem]:
        if chat_id is None:
            rows = await self._all(f"SELECT {_OUTBOX_COLUMNS} FROM alert_outbox ORDER BY id")
        else:
            rows = await self._all(f"SELECT {_OUTBOX_COLUMNS} FROM alert_outbox WHERE chat_id = ? ORDER BY id",
                                   (chat_id,))
        return [_item(r) for r in rows]


class _Conflict(Exception):
    """Raised inside a transaction to roll it back when a compare-and-set failed."""
