"""The values that cross the storage boundary, shared by every backend.

Plain frozen dataclasses and string enums: a backend builds them from its rows, the bot
reads them, and neither needs to know how the other works. The enums' values are the
strings stored in the alert tables, so comparing with a plain string still holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

Phrase = Sequence[str]  # one key, or several in order


# ------------------------------------------------------------------ articles and search
@dataclass(frozen=True, slots=True)
class NewArticle:
    """An article ready to store, with what analysis derived from it."""

    title: str
    body: str
    language: str
    content_hash: str
    title_words: str
    body_words: str
    title_stems: str
    body_stems: str
    sentences: Sequence[tuple[int, int, int]]
    source: str | None = None
    source_key: str | None = None
    url: str | None = None
    published_at: str | None = None
    origin: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    id: int
    title: str
    body: str
    language: str
    source: str | None
    url: str | None
    published_at: str | None
    ingested_at: str
    story_id: int | None = None  # the id of its story's first article; None until grouped

    @property
    def story(self) -> int:
        """The story this article belongs to (its own id until it has been grouped)."""
        return self.story_id or self.id

    @property
    def date(self) -> str:
        """The day the article is dated: its publication date, else when it was stored."""
        return (self.published_at or self.ingested_at)[:10]


@dataclass(frozen=True, slots=True)
class StoredAnalysis:
    """A stored article's text and what analysis derived from it, for re-analysis."""

    id: int
    title: str
    body: str
    source: str | None
    content_hash: str
    language: str
    title_words: str | None
    body_words: str | None
    title_stems: str | None
    body_stems: str | None
    sentences: list[tuple[int, int, int]] | None


@dataclass(frozen=True, slots=True)
class FtsQuery:
    """What to match, as analysed stems: every clause (any of its phrases), none of `excluded`."""

    clauses: Sequence[Sequence[Phrase]]
    excluded: Sequence[Phrase] = ()
    language: str | None = None
    source: str | None = None
    since: str | None = None  # ISO date


@dataclass(frozen=True, slots=True)
class Candidate:
    """A match with what re-ranking and snippets need, before its article is loaded."""

    id: int
    bm25: float  # lower is better
    date: str
    title_words: str
    body_words: str
    body_stems: str
    sentences: list[tuple[int, int, int]]


# ------------------------------------------------------------------ feeds and stories
@dataclass(frozen=True, slots=True)
class Source:
    """A feed the bot polls, with its polling state."""

    id: int
    url: str
    name: str | None  # given by the admin
    title: str | None  # the feed's own
    etag: str | None
    last_modified: str | None
    ttl_seconds: int | None
    next_poll_at: float
    last_polled_at: float | None
    last_status: str | None  # PollStatus
    last_error: str | None
    failures: int  # in a row
    paused: bool
    pause_notified: bool
    created_at: str
    articles: int = 0  # stored from it

    @property
    def label(self) -> str:
        """What to call it: the admin's name, else the feed's title, else the URL."""
        return self.name or self.title or self.url


class PollStatus(StrEnum):
    """How a source's last poll went (`sources.last_status`)."""

    NEW = "new"  # fetched and read (new articles or not)
    UNCHANGED = "unchanged"  # 304
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one poll of a source changes of it."""

    status: PollStatus
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    title: str | None = None
    ttl_seconds: int | None = None
    next_poll_at: float = 0.0
    failures: int = 0
    paused: bool = False


@dataclass(frozen=True, slots=True)
class StoryCandidate:
    """A stored article that shares a signature band with a new one."""

    article_id: int
    story_id: int
    signature: bytes


@dataclass(frozen=True, slots=True)
class StoreStats:
    """What an administrator checks at a glance (`/stats`)."""

    articles: int
    stories: int
    sources: int
    sources_paused: int
    sources_failing: int
    chats_active: int
    chats_inactive: int
    topics: int
    outbox: dict[str, int]  # alert state -> count
    recent_errors: list[str]  # newest first: failing sources, parked alerts


# ------------------------------------------------------------------ alert statuses
class TopicAdded(StrEnum):
    """What adding a topic to a chat did."""

    ADDED = "added"
    EXISTS = "exists"  # the chat already follows this query
    FULL = "full"  # the chat has max_topics already


class OutboxKind(StrEnum):
    """How an outbox item goes out (the `alert_outbox.kind` column)."""

    INSTANT = "instant"  # on its own, as one alert message
    DIGEST = "digest"  # inside the chat's next digest


class OutboxState(StrEnum):
    """pending -> sent | parked | digested | dropped (`alert_outbox.state`)."""

    PENDING = "pending"
    SENT = "sent"
    PARKED = "parked"  # failed for a permanent reason; `last_error` says why
    DIGESTED = "digested"  # went out inside a digest
    DROPPED = "dropped"  # the chat blocked the bot or moved; `last_error` says so


class DigestState(StrEnum):
    """pending -> sent | parked | dropped (`alert_digests.state`)."""

    PENDING = "pending"
    SENT = "sent"
    PARKED = "parked"
    DROPPED = "dropped"


class Delivery(StrEnum):
    """What a due item is: an instant outbox item (an alert) or a rendered digest."""

    ALERT = "alert"
    DIGEST = "digest"


# ------------------------------------------------------------------ alert values
@dataclass(frozen=True, slots=True)
class AlertChat:
    chat_id: int
    chat_type: str
    language: str
    active: bool  # False after a 403 (blocked, kicked) until /start
    inactive_reason: str | None
    timezone: str
    digest_time: str | None  # 'HH:MM' local time of a daily digest; None: instant alerts
    digest_due_after: str | None  # UTC instant of the last digest slot already handled
    chosen_language: str | None = None  # chosen with /language (then also `language`); None: Telegram's


@dataclass(frozen=True, slots=True)
class Topic:
    id: int
    chat_id: int
    query: str
    paused: bool
    since_article: int  # fires only for articles with a greater id
    thread_id: int | None = None  # the forum topic thread it was followed from


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

    kind: Delivery
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
    state: OutboxState
    kind: OutboxKind
    created_at: str
    last_error: str | None = None
    thread_id: int | None = None  # the forum topic thread to send it to


@dataclass(frozen=True, slots=True)
class Digest:
    id: int
    chat_id: int
    parts: tuple[str, ...]  # rendered HTML messages
    parts_sent: int
    attempts: int
    state: DigestState


# ------------------------------------------------------------------ coordination
@dataclass(frozen=True, slots=True)
class Lease:
    """A role held by one process: scheduled work, or an SQLite store's sending."""

    name: str
    holder: str  # host:pid:random of the process
    expires_at: float  # unix time; renewed while the holder lives
    taken_at: float
