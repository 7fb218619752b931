"""Topic alerts of the running bot: topics and their index, matching new articles, digests.

Topic changes and a matching pass hold the same lock, so a pass never sees a topic in the
store that the in-memory index does not have yet (or the other way round); between passes
`follow_announced` applies changes as the store announces them.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.alerts.matcher import (
    AnalysedArticle,
    TopicIndex,
    compile_topic,
    document_frequencies,
    group_by_chat,
    usable,
)
from bot.alerts.schedule import last_slot
from bot.render.alerts import render_digest
from bot.search.query import MAX_QUERY_CHARS, parse_query
from bot.stories.grouping import assign_stories
from bot.summaries.cache import Summaries
from bot.text import ascii_digits, normalize
from storage import AlertChat, Article, OutboxItem, Store, Topic, TopicAdded

log = logging.getLogger(__name__)

MATCH_BATCH = 100
MATCH_BATCHES_PER_RUN = 20
DF_SAMPLE = 1000
DIGEST_MAX_ITEMS = 500
CHANGES_KEPT = 1000  # topic changes kept in the log: a matcher further behind reloads its index
_GONE = ("left", "kicked")  # ChatMember statuses: the bot can no longer send here
_PRESENT = ("member", "administrator", "creator", "restricted")


@dataclass(frozen=True, slots=True)
class AlertContent:
    """One alert, as plain values: `topics` are (topic id, topic text, the stems it matched)."""

    outbox_id: int
    article: Article
    summary: list[str]
    topics: list[tuple[int, str, frozenset[str]]]


@dataclass(frozen=True, slots=True)
class Subscribed:
    status: str  # added | exists | full | no_words
    topic: Topic | None = None
    count: int = 0


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Alerts:
    def __init__(self, store: Store, summaries: Summaries, *, max_topics: int) -> None:
        self.store = store
        self.articles = store.articles
        self.summaries = summaries
        self.max_topics = max_topics
        self.index = TopicIndex()
        self.lock = asyncio.Lock()
        self.outbox_changed = asyncio.Event()
        self.sender = None  # bot.sending.outbox.Sender, while the application runs
        self._seen_change = 0  # the last topic change (by any process) the index has applied

    async def load(self) -> None:
        """Build the index from the store, keyed by stems that are rare in recent articles."""
        index, seen = await self._build_index()
        async with self.lock:
            self.index = index
            self._seen_change = seen
        log.info("alert index: %d topic(s)", len(index))

    async def _build_index(self) -> tuple[TopicIndex, int]:
        """A new index of every topic, and the last change it has."""
        df = document_frequencies(await self.store.matching.recent_articles(DF_SAMPLE))
        index = TopicIndex(df)
        seen, _ = await self.store.topics.changes(None)  # first: what changes after it is applied again
        for topic in await self.store.topics.all():
            index.put(topic)
        return index, seen

    # ------------------------------------------------------------------ following other processes
    async def follow_announced(self, timeout: float) -> None:
        """Wait up to `timeout` s for topic changes announced by any process, and apply them:
        what keeps the index current between match passes (bot/jobs.py's TopicFollower)."""
        if await self.store.topics.wait_for_change(timeout):
            async with self.lock:
                await self._follow_topic_changes()

    async def prune_topic_changes(self) -> int:
        """Keep the store's log of topic changes bounded (the scheduler, now and then)."""
        return await self.store.topics.prune_changes(CHANGES_KEPT)

    # ------------------------------------------------------------------ topics
    async def subscribe(self, chat_id: int, chat_type: str, language: str, text: str,
                        thread_id: int | None = None) -> Subscribed:
        """Follow `text` in this chat (`thread_id`: from a forum topic thread, where alerts go).
        `language`: the sender's Telegram language, kept for a chat that never chose one."""
        text = " ".join(text.split())[:MAX_QUERY_CHARS]
        query = parse_query(text)
        if not usable(query):
            return Subscribed("no_words")
        async with self.lock:
            await self.store.chats.ensure(chat_id, chat_type, language)
            await self._reactivate(chat_id)
            status, topic = await self.store.topics.add(chat_id, text, max_topics=self.max_topics,
                                                        thread_id=thread_id)
            if status == TopicAdded.ADDED:
                self.index.put(compile_topic(topic, self.index.df, query))
        return Subscribed(status, topic, len(await self.store.topics.of_chat(chat_id)))

    async def topics(self, chat_id: int) -> list[Topic]:
        return await self.store.topics.of_chat(chat_id)

    async def find_topic(self, chat_id: int, reference: str) -> Topic | None:
        """A topic by its number in /topics, or by its text (spacing, marks and case aside)."""
        topics = await self.store.topics.of_chat(chat_id)
        reference = " ".join(reference.split())
        digits = ascii_digits(reference)  # `/unsubscribe ٣` is `/unsubscribe 3`
        if digits.isascii() and digits.isdigit():
            number = int(digits)
            return topics[number - 1] if 1 <= number <= len(topics) else None
        for topic in topics:
            if topic.query == reference:
                return topic
        key = normalize(reference)
        return next((t for t in topics if normalize(t.query) == key), None)

    async def unsubscribe(self, chat_id: int, topic_id: int) -> Topic | None:
        async with self.lock:
            topic = await self.store.topics.remove(chat_id, topic_id)
            if topic is not None:
                self.index.remove(topic.id)
        return topic

    async def set_paused(self, chat_id: int, topic_id: int, paused: bool) -> Topic | None:
        async with self.lock:
            topic = await self.store.topics.set_paused(chat_id, topic_id, paused)
            if topic is not None:
                self.index.put(topic)
        return topic

    # ------------------------------------------------------------------ chat state
    async def _reactivate(self, chat_id: int) -> bool:
        if await self.store.chats.reactivate(chat_id):
            self.index.replace_chat(chat_id, await self.store.topics.of_chat(chat_id))
            log.info("alerts: chat %s active again", chat_id)
            return True
        return False

    async def reactivate(self, chat_id: int) -> bool:
        """The user started the bot again after blocking it: alerts resume from now on."""
        async with self.lock:
            return await self._reactivate(chat_id)

    async def deactivate(self, chat_id: int, reason: str) -> None:
        """Blocked or kicked: no more alerts, and those waiting are dropped with the reason."""
        dropped = await self.store.chats.deactivate(chat_id, reason)
        log.warning("alerts: chat %s deactivated (%s); %d waiting alert(s) dropped", chat_id, reason, dropped)

    async def membership(self, chat_id: int, chat_type: str, status: str) -> None:
        """The bot's own status in a chat changed (Telegram's my_chat_member): blocked or removed,
        the chat's alerts stop; unblocked or added back, they resume for new articles only.
        Chats that never followed a topic are left alone."""
        if await self.store.chats.get(chat_id) is None:
            return
        if status in _GONE:
            await self.deactivate(chat_id, "blocked" if chat_type == "private" else "removed from the group")
        elif status in _PRESENT:
            await self.reactivate(chat_id)

    async def migrate(self, old_id: int, new_id: int) -> None:
        """The group became a supergroup: topics and waiting alerts follow it."""
        async with self.lock:
            await self.store.chats.migrate(old_id, new_id)
            self.index.replace_chat(old_id, [])
            self.index.replace_chat(new_id, await self.store.topics.of_chat(new_id))
        log.info("alerts: chat %s migrated to %s", old_id, new_id)
        self.outbox_changed.set()

    async def chat(self, chat_id: int) -> AlertChat | None:
        return await self.store.chats.get(chat_id)

    async def topic(self, topic_id: int) -> Topic | None:
        """A topic by id, as a button carries it; whose it is, the caller checks."""
        return await self.store.topics.get(topic_id)

    async def alert_item(self, item_id: int) -> OutboxItem | None:
        """An alert by its outbox id, as the buttons under it carry it."""
        return await self.store.outbox.get(item_id)

    # ------------------------------------------------------------------ matching
    async def match_new(self) -> int:
        """Match the articles stored since the cursor; queue alerts and move the cursor together.

        Articles are grouped into stories first: a chat gets one alert per story."""
        await assign_stories(self.store.stories)
        queued = 0
        for _ in range(MATCH_BATCHES_PER_RUN):
            async with self.lock:
                await self._follow_topic_changes()
                cursor = await self.store.matching.cursor()
                found = await self.store.matching.articles_after(cursor, MATCH_BATCH)
                if not found:
                    break
                matches = []
                for article in found:
                    analysed = AnalysedArticle.of(article)
                    matches += group_by_chat(article.id, self.index.match(analysed))
                    await asyncio.sleep(0)  # a few ms of CPU per article: let replies through between them
                done = await self.store.matching.record_matches(cursor, found[-1].id, matches)
            if done is None:
                log.warning("alerts: the match cursor moved under us; retrying")
                continue
            queued += done
            if len(found) < MATCH_BATCH:
                break
        if queued:
            log.info("alerts: %d alert(s) queued", queued)
            self.outbox_changed.set()
        return queued

    async def _follow_topic_changes(self) -> None:
        """Topics added, paused or removed by any process since the index last looked: the
        index takes them as the store has them now (the caller holds the lock). Behind the
        log's pruned part, the whole index is built again."""
        latest, changed = await self.store.topics.changes(self._seen_change)
        if changed is None:
            log.info("alerts: topic changes since %d were pruned: reloading the index", self._seen_change)
            self.index, self._seen_change = await self._build_index()
            return
        for topic_id in changed:
            topic = await self.store.topics.get(topic_id)
            if topic is None:
                self.index.remove(topic_id)
            else:
                self.index.put(topic)
        self._seen_change = latest

    async def live_topics(self, item: OutboxItem) -> list[tuple[int, str]]:
        """Those of an alert's topics still followed (not removed, not paused) right now."""
        live = []
        for topic_id, query in item.topics:
            topic = await self.store.topics.get(topic_id)
            if topic is not None and not topic.paused and topic.chat_id == item.chat_id:
                live.append((topic_id, query))
        return live

    # ------------------------------------------------------------------ rendering
    async def alert_content(self, item: OutboxItem) -> AlertContent | None:
        """What one alert says: the article, its short summary, why it matched; None if it is gone."""
        article = await self.articles.get(item.article_id)
        terms = await self.store.matching.article_terms(item.article_id)
        if article is None or terms is None:
            return None
        summary = await self.summaries.short(article)
        stems = set(terms.title_stems).union(terms.body_stems)
        matched = [(topic_id, query, frozenset(parse_query(query).stems & stems)) for topic_id, query in item.topics]
        return AlertContent(item.id, article, summary, matched)

    # ------------------------------------------------------------------ digests
    async def set_digest(self, chat_id: int, chat_type: str, language: str, clock: str | None) -> AlertChat:
        chat = await self.store.chats.ensure(chat_id, chat_type, language)
        due_after = _iso(last_slot(datetime.now(UTC), chat.timezone, clock)) if clock else None
        await self.store.chats.set_digest(chat_id, clock, due_after)
        if clock is None:
            await self.run_digests()
        return await self.store.chats.get(chat_id)

    async def set_timezone(self, chat_id: int, chat_type: str, language: str, timezone: str) -> AlertChat:
        chat = await self.store.chats.ensure(chat_id, chat_type, language)
        due_after = _iso(last_slot(datetime.now(UTC), timezone, chat.digest_time)) if chat.digest_time else None
        await self.store.chats.set_timezone(chat_id, timezone, due_after)
        return await self.store.chats.get(chat_id)

    async def run_digests(self, now: datetime | None = None) -> int:
        """Build the digests that are due: one rendered digest per chat and period."""
        now = now or datetime.now(UTC)
        built = 0
        for chat in await self.store.chats.with_digest():
            slot = None
            if chat.digest_time:
                slot = last_slot(now, chat.timezone, chat.digest_time)
                if chat.digest_due_after and slot <= datetime.fromisoformat(chat.digest_due_after):
                    continue
            if await self._build_digest(chat, _iso(slot) if slot else None):
                built += 1
        if built:
            self.outbox_changed.set()
        return built

    async def _build_digest(self, chat: AlertChat, slot: str | None) -> bool:
        items = await self.store.digests.waiting_items(chat.chat_id, DIGEST_MAX_ITEMS)
        entries = []
        for item in items:
            article = await self.articles.get(item.article_id)
            if article is not None:
                entries.append((article, item))
        parts = render_digest(entries, chat.language) if entries else []
        ids = [item.id for item in items]
        digest_id = await self.store.digests.create(chat.chat_id, ids, parts, slot)
        if ids and digest_id is None:
            log.warning("alerts: digest of chat %s changed while built; next run retries", chat.chat_id)
            return False
        return bool(parts)

