"""What the bot relies on of a store, as Protocols a second backend (PostgreSQL) implements.

Every method is a coroutine; every value is a `storage.types` value. Writes that must not be
half-done (an article with its terms, matches with the cursor, a digest with its items, a
chat with what waits for it) are atomic inside the one method that makes them. A backend
also keeps one task's open transaction invisible to every other task's reads.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Sequence
from typing import Protocol

from storage.types import (
    AlertChat,
    Article,
    ArticleTerms,
    Candidate,
    Digest,
    Due,
    FtsQuery,
    Lease,
    Match,
    NewArticle,
    OutboxItem,
    OutboxState,
    PollResult,
    Source,
    StoredAnalysis,
    StoreStats,
    StoryCandidate,
    Topic,
    TopicAdded,
)


class ArticleStore(Protocol):
    """Articles, their analysed terms and cached summaries; deduplicated by URL and content hash."""

    async def known(self, *, content_hashes: Sequence[str] = (), urls: Sequence[str] = ()) -> dict[str, int]:
        """{content hash or URL: id} for those already stored."""
    async def add(self, article: NewArticle) -> tuple[int, bool]:
        """(id, True) when stored, (id of the stored duplicate, False) when not."""
    async def add_many(self, articles: Sequence[NewArticle]) -> list[tuple[int, bool]]:
        """`add` for a batch, atomically; duplicates within the batch name its first article."""
    async def get(self, article_id: int) -> Article | None: ...
    async def get_many(self, ids: Sequence[int]) -> list[Article]:
        """In the order given, missing ones left out."""
    async def latest(self, limit: int) -> list[Article]:
        """Newest first (published, else stored)."""
    async def count(self) -> int: ...
    async def cached_summary(self, article_id: int, setting: str) -> list[str] | None: ...
    async def cache_summary(self, article_id: int, setting: str, sentences: list[str]) -> None: ...
    def iter_for_reanalysis(self, batch: int = 64) -> AsyncIterator[list[StoredAnalysis]]:
        """Every article with its derived columns, `batch` at a time in id order; writes
        between batches (`replace_analysis`) are safe."""
    async def replace_analysis(self, analyses: Sequence[tuple[int, NewArticle]],
                               drop_summaries_of: Sequence[int] = ()) -> None:
        """Rewrite language, words, stems and sentences of stored articles (the index follows)."""
    async def analysis_version(self) -> int:
        """The analysis version the stored words and stems were made with (1 if never recorded)."""
    async def set_analysis_version(self, version: int) -> None:
        """Record that every stored article is analysed with `version`."""


class ArticleSearch(Protocol):
    """Ranked lookups over the analysed stems; user text never reaches the engine as syntax."""

    async def candidates(self, query: FtsQuery, *, limit: int) -> tuple[list[Candidate], int]:
        """The `limit` best matches (bm25, title over body) and how many match (capped)."""
    async def newest(self, query: FtsQuery, *, limit: int) -> tuple[list[Candidate], int]:
        """For filters without words: the newest passing them (bm25 0) and how many (capped)."""
    async def daily_counts(self, query: FtsQuery, since: str) -> list[tuple[str, int]]:
        """(day, how many articles matching `query` are dated that day) from `since` on."""
    async def exists(self, query: FtsQuery) -> bool:
        """Whether any article matches `query`."""
    async def words(self, prefix: str, min_chars: int, max_chars: int) -> list[tuple[str, int]]:
        """Indexed words (normalised keys) with `prefix`, in that length window, with their
        document frequencies: the vocabulary "did you mean" picks from."""
    async def count_like(self, word: str) -> int:
        """Articles containing `word` found without the index: a benchmark baseline."""
    async def remember_query(self, chat_id: int, query: str) -> int:
        """An id for a query behind page buttons; old ones expire."""
    async def remembered_query(self, query_id: int, chat_id: int) -> str | None:
        """The query behind a page button, if it exists and belongs to this chat."""


class ChatStore(Protocol):
    """Chats that follow topics."""

    async def get(self, chat_id: int) -> AlertChat | None: ...
    async def ensure(self, chat_id: int, chat_type: str, language: str) -> AlertChat:
        """Created if new; type and Telegram language follow the latest command (a chosen
        language stays: `AlertChat.language` is the chosen one when set)."""
    async def chosen_language(self, chat_id: int) -> str | None:
        """The language chosen with /language, or None (follow Telegram). One cheap read."""
    async def set_language(self, chat_id: int, chat_type: str, language: str | None) -> None:
        """Choose the chat's interface language (created if new); None: follow Telegram again."""
    async def set_timezone(self, chat_id: int, timezone: str, digest_due_after: str | None) -> None: ...
    async def set_digest(self, chat_id: int, digest_time: str | None, digest_due_after: str | None) -> None:
        """A daily digest at `digest_time` ('HH:MM'), or (None) instant alerts."""
    async def with_digest(self) -> list[AlertChat]:
        """Active chats with a digest set, or with digest items left over from one."""
    async def deactivate(self, chat_id: int, reason: str) -> int:
        """Blocked: no more alerts; what waited is dropped with `reason`. How many alerts."""
    async def reactivate(self, chat_id: int) -> bool:
        """Back after a block, its topics firing for new articles only; False if it was active."""
    async def migrate(self, old_id: int, new_id: int) -> None:
        """Group to supergroup: settings, topics and waiting alerts move (the new chat's win)."""


class TopicStore(Protocol):
    """Topics: queries chats follow, each firing for articles stored after it was created."""

    async def of_chat(self, chat_id: int) -> list[Topic]:
        """Oldest first: their numbers in /topics."""
    async def all(self) -> list[Topic]: ...
    async def get(self, topic_id: int) -> Topic | None: ...
    async def add(self, chat_id: int, query: str, *, max_topics: int,
                  thread_id: int | None = None) -> tuple[TopicAdded, Topic | None]:
        """(ADDED, topic) | (EXISTS, topic) | (FULL, None); the chat must exist. `thread_id`:
        the forum topic thread it is followed from, where its alerts go."""
    async def remove(self, chat_id: int, topic_id: int) -> Topic | None: ...
    async def set_paused(self, chat_id: int, topic_id: int, paused: bool) -> Topic | None:
        """A resumed topic fires for articles stored from now on only."""
    async def changes(self, after: int | None) -> tuple[int, list[int] | None]:
        """(the latest change number, the ids of topics added, changed or removed after change
        `after`, by any process): what an in-memory index must look up again; None instead of
        ids if the log was pruned past `after` (reload everything). `after=None`: only the
        latest number, to start from."""
    async def wait_for_change(self, timeout: float) -> bool:
        """Wait up to `timeout` s for a hint that topics changed since `changes` last looked."""
    async def prune_changes(self, keep: int) -> int:
        """Forget all but the newest `keep` (at least one) changes: the log stays bounded."""


class MatchStore(Protocol):
    """The matcher's cursor over the articles, and queueing what matched."""

    async def cursor(self) -> int:
        """Every article with a greater id is still to be matched."""
    async def articles_after(self, article_id: int, limit: int) -> list[ArticleTerms]:
        """Oldest first, with their stems; none from the first article not yet in a story on."""
    async def article_terms(self, article_id: int) -> ArticleTerms | None: ...
    async def recent_articles(self, limit: int) -> list[ArticleTerms]:
        """The newest `limit`: a sample for document frequencies."""
    async def record_matches(self, expected_cursor: int, new_cursor: int, matches: Sequence[Match]) -> int | None:
        """Queue `matches` (once per chat and article; active chats only, digest chats as
        digest items) and move the cursor from `expected_cursor`, atomically; None if the
        cursor was elsewhere (nothing written), else how many alerts were queued."""


class OutboxStore(Protocol):
    """The durable outbox of alerts; `claim` and `next_attempt_at` cover the digests too.

    `shared_claims`: True where any number of senders may run at once, kept apart by their
    claims (PostgreSQL); False where one process sends at a time (SQLite: the `sender` role)."""

    shared_claims: bool

    async def claim(self, holder: str, now: float, limit: int, lease: float,
                    only_chats: Collection[int] | None = None, skip_chats: Collection[int] = ()) -> list[Due]:
        """The heads (each chat's oldest deliverable item: a digest first, else an alert) of up
        to `limit` active chats that no live claim holds, oldest first, each now claimed by
        `holder` for `lease` seconds; never two of one chat, even for senders racing. Marking
        the item (`mark_*`, digests' too) ends its claim; a claim whose lease ran out is
        claimable again. Chats in `skip_chats` are left alone, and where the store keeps the
        shared send limiter, chats it does not allow yet."""
    async def release(self, holder: str, item: Due, hold: float = 0.0) -> None:
        """`holder` gives `item` back unmarked; `hold` > 0: nobody claims its chat for that long."""
    async def next_attempt_at(self) -> float | None:
        """When the earliest alert or digest held back by a backoff becomes due."""
    async def get(self, item_id: int) -> OutboxItem | None: ...
    async def mark_sent(self, item_id: int, message_id: int | None) -> bool:
        """Done, once Telegram accepted it; False if it was not pending."""
    async def mark_retry(self, item_id: int, error: str, next_attempt_at: float) -> int:
        """A failed attempt; the attempts made so far."""
    async def mark_parked(self, item_id: int, error: str) -> None:
        """Failed for good: kept with the reason, never retried."""
    async def mark_dropped(self, item_id: int, reason: str) -> None:
        """Not sent after all (its topics were removed or paused since it matched)."""
    async def counts(self) -> dict[OutboxState, int]: ...
    async def items(self, chat_id: int | None = None) -> list[OutboxItem]:
        """Every item (of one chat), oldest first."""


class DigestStore(Protocol):
    """Daily digests: rendered once from the waiting items, delivered part by part."""

    async def waiting_items(self, chat_id: int, limit: int = 200) -> list[OutboxItem]:
        """The chat's items waiting for its next digest, oldest first."""
    async def create(self, chat_id: int, item_ids: Sequence[int], parts: Sequence[str],
                     digest_due_after: str | None) -> int | None:
        """The digest, its items marked carried, the slot marked done: all or nothing (None
        if an item is no longer waiting, or there were no items)."""
    async def get(self, digest_id: int) -> Digest | None: ...
    async def mark_part_sent(self, digest_id: int, part: int, last: bool) -> None: ...
    async def mark_retry(self, digest_id: int, error: str, next_attempt_at: float) -> int: ...
    async def mark_parked(self, digest_id: int, error: str) -> None: ...


class SourceStore(Protocol):
    """Feeds to poll, their polling state, and the entries seen of each."""

    async def add(self, url: str, name: str | None = None) -> tuple[Source, bool]:
        """(source, True) when added, (the source with that URL, False) when it exists."""
    async def get(self, source_id: int) -> Source | None: ...
    async def by_url(self, url: str) -> Source | None: ...
    async def all(self) -> list[Source]:
        """Oldest first: their numbers in lists."""
    async def due(self, now: float) -> list[Source]:
        """Not paused, next poll at or before `now`, the longest waiting first."""
    async def remove(self, source_id: int) -> Source | None:
        """Gone with its seen entries; the articles it brought stay."""
    async def record_poll(self, source_id: int, result: PollResult, *, polled_at: float) -> None: ...
    async def resume(self, source_id: int) -> Source | None:
        """Unpaused, failures forgotten, due now."""
    async def mark_pause_notified(self, source_id: int) -> None: ...
    async def seen(self, source_id: int, guids: Sequence[str]) -> set[str]:
        """Those of `guids` already seen of this source."""
    async def record_seen(self, source_id: int, items: Sequence[tuple[str, int | None]]) -> None:
        """(guid, article id or None) for entries read in a poll."""


class StoryStore(Protocol):
    """Stories: articles that tell the same news, by near-duplicate signatures."""

    async def unassigned(self, limit: int) -> list[ArticleTerms]:
        """Articles not yet in a story, oldest first."""
    async def candidates(self, bands: Sequence[str]) -> list[StoryCandidate]:
        """Grouped articles sharing any of `bands`."""
    async def assign(self, article_id: int, story_id: int, signature: bytes | None, bands: Sequence[str]) -> None:
        """The article joins `story_id` (its own id: a new story); its signature is kept."""
    async def members(self, story_id: int) -> list[Article]:
        """Every article of a story, oldest first."""


class LeaseStore(Protocol):
    """Roles held by one process at a time (scheduled work; an SQLite store's sending), taken
    over by another within seconds when the holder dies."""

    async def acquire(self, name: str, holder: str, ttl: float) -> bool:
        """Take or renew the role `name` for `holder` (renew well within `ttl` seconds);
        False while another process holds it."""
    async def release(self, name: str, holder: str) -> None: ...
    async def holder(self, name: str) -> Lease | None:
        """Who holds `name`, if anyone."""


class PaceStore(Protocol):
    """The send limiter every process of the bot shares (Telegram counts the bot's messages)."""

    async def reserve(self, chat_id: int | None, chat_interval: float, rate: float) -> float:
        """Take the next send slot overall (1/`rate` apart) and `chat_id`'s (`chat_interval`
        apart; None: overall only), atomically: the seconds to wait before sending. 0.0 where
        one process sends (SQLite): its own pacer spaces it."""
    async def hold(self, chat_id: int | None, seconds: float) -> None:
        """A 429: no slot for `chat_id` (None: anyone) for `seconds`, in every process (SQLite: a no-op)."""
    async def refused(self, chat_id: int | None, window: float) -> int:
        """A 429 for `chat_id` (None: without a chat), recorded for every process: how many
        distinct chats all of them had refused within `window` seconds (SQLite: 0, nothing shared)."""


class UpdateStore(Protocol):
    """Telegram updates taken, so that each is handled once by whichever process took it first."""

    async def take(self, bot_id: int, update_ids: Sequence[int], now: float) -> set[int]:
        """Those of the updates taken now for the first time; the others are copies of ones
        taken before (by any process), handed out again."""
    async def forget_before(self, taken_before: float) -> int:
        """Forget updates taken before then (Telegram hands none out after a day); how many."""


class StatsStore(Protocol):
    """Counts across every table group, for administrators."""

    async def summary(self, errors: int = 5) -> StoreStats:
        """Counts, and the `errors` newest errors of failing sources and parked alerts."""


class Store(Protocol):
    """One open store: a table group per attribute. `storage.open_store` gives one."""

    articles: ArticleStore
    search: ArticleSearch
    chats: ChatStore
    topics: TopicStore
    matching: MatchStore
    outbox: OutboxStore
    digests: DigestStore
    sources: SourceStore
    stories: StoryStore
    stats: StatsStore
    leases: LeaseStore
    pace: PaceStore
    updates: UpdateStore

    async def close(self) -> None: ...
