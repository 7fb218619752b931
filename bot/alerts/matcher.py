"""Which topics does a new article match? An in-memory index of topics by their terms.

A topic is a `bot.search.query.Query`: every clause must match (a clause matches if any of its
terms does), a phrase matches as consecutive stems in the title or in the body, excluded
terms must be absent, and the `lang:`, `source:` and `since:` filters must hold. Matching
uses the stems the article was stored with, so it agrees with search on Arabic variants.

The index keys each topic by ONE required clause: for each term of that clause, its stem, or
for a phrase one pair of adjacent stems (the rarest by document frequency when known). A
topic can only match an article that contains one of its keys, so the candidates of an
article are the topics filed under the article's distinct stems and stem pairs. Set tests
decide most candidates; only the rest get the full check. Topics with no words (filters
only) are filed under their language, or under "every article".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from operator import attrgetter

from bot.search.query import Query, Term, parse_query
from bot.text import normalize
from storage import ArticleTerms, Match, Topic

_EVERY_ARTICLE = "\x00*"
Key = str | tuple[str, str]  # a stem, or two adjacent stems
_by_id = attrgetter("id")
_LANGUAGE_KEY = "\x00lang:"


@dataclass(frozen=True, slots=True)
class CompiledTopic:
    """A topic ready to match: its parsed query reduced to tuples of stems, and its index keys."""

    id: int
    chat_id: int
    text: str
    # Each clause, and the excluded terms, as (single stems, two-word phrases, longer phrases):
    # the first two are sets checked against the article's stems and adjacent pairs in one
    # C-level isdisjoint() each; only longer phrases walk positions.
    clauses: tuple[tuple[frozenset[str], frozenset[tuple[str, str]], tuple[tuple[str, ...], ...]], ...]
    excluded: tuple[frozenset[str], frozenset[tuple[str, str]], tuple[tuple[str, ...], ...]]
    language: str | None
    source: str | None  # normalised
    since: str | None  # YYYY-MM-DD
    keys: tuple[Key, ...]
    paused: bool = False
    since_article: int = 0
    # Stems the topic needs wherever a clause is one single word: a C-level subset test
    # rejects most wrong candidates before the full check.
    requires: frozenset[str] = frozenset()
    requires_pairs: frozenset[tuple[str, str]] = frozenset()
    # True when a key hit plus `requires` is the whole query (no phrase, OR beyond the key
    # clause, exclusion or filter): such a topic needs no further check.
    decided: bool = False

    @property
    def keyed_exactly(self) -> bool:
        """One clause that any key hit proves, and nothing else: fires without a check."""
        return self.decided and len(self.clauses) == 1


def usable(query: Query) -> bool:
    """A topic needs words to look for, or at least a language or source filter."""
    return bool(query.clauses) or bool(query.source) or bool(query.language)


def _choose_keys(query: Query, df: Mapping[str, int] | None) -> tuple[tuple[Key, ...], int | None]:
    """The index keys, and which clause they come from (None for filter-only topics).

    A word is keyed by its stem, a phrase by one of its adjacent stem pairs (articles are
    looked up by their pairs too), so that a phrase topic is a candidate only where the
    phrase can be. Among the clauses, the one whose keys are rarest wins.
    """
    def stem_df(stem: str) -> int:
        return df.get(stem, 0) if df else 0

    def term_key(term: Term) -> tuple[Key, tuple[int, int]]:
        if len(term.stems) == 1:
            stem = term.stems[0]
            return stem, (stem_df(stem), -len(stem))
        pairs = list(zip(term.stems, term.stems[1:]))
        pair = min(pairs, key=lambda p: (min(stem_df(p[0]), stem_df(p[1])), -len(p[0]) - len(p[1])))
        # A pair is rarer than either of its stems: count it as half the rarer one.
        return pair, (min(stem_df(pair[0]), stem_df(pair[1])) // 2, -len(pair[0]) - len(pair[1]))

    best: tuple | None = None
    for index, clause in enumerate(query.clauses):
        chosen = [term_key(term) for term in clause]
        keys = tuple(dict.fromkeys(key for key, _ in chosen))
        score = (sum(cost[0] for _, cost in chosen), len(keys), min(cost[1] for _, cost in chosen))
        if best is None or score < best[0]:
            best = (score, keys, index)
    if best is not None:
        return best[1], best[2]
    if query.language:
        return (_LANGUAGE_KEY + query.language,), None
    return (_EVERY_ARTICLE,), None


def _split(terms: Iterable[Term]) -> tuple[frozenset[str], frozenset[tuple[str, str]], tuple[tuple[str, ...], ...]]:
    stems = [term.stems for term in terms]
    return (frozenset(s[0] for s in stems if len(s) == 1),
            frozenset((s[0], s[1]) for s in stems if len(s) == 2),
            tuple(s for s in stems if len(s) > 2))


def _alone(clause: tuple[Term, ...], size: int) -> bool:
    """The clause is one term of `size` stems (a word, or a two-word phrase)."""
    return len(clause) == 1 and len(clause[0].stems) == size


def compile_topic(topic: Topic, df: Mapping[str, int] | None = None, query: Query | None = None) -> CompiledTopic:
    query = query or parse_query(topic.query)
    keys, key_clause = _choose_keys(query, df)
    others = [c for i, c in enumerate(query.clauses) if i != key_clause]
    decided = (
        key_clause is not None
        and all(len(term.stems) <= 2 for term in query.clauses[key_clause])  # a key hit proves the clause
        and all(_alone(c, 1) or _alone(c, 2) for c in others)
        and not query.excluded and not (query.language or query.source or query.since)
    )
    return CompiledTopic(
        id=topic.id,
        chat_id=topic.chat_id,
        text=topic.query,
        clauses=tuple(_split(clause) for clause in query.clauses),
        excluded=_split(query.excluded),
        language=query.language,
        source=normalize(query.source) if query.source else None,
        since=query.since.isoformat() if query.since else None,
        keys=keys,
        paused=topic.paused,
        since_article=topic.since_article,
        requires=frozenset(c[0].stems[0] for c in query.clauses if _alone(c, 1)),
        requires_pairs=frozenset(tuple(c[0].stems) for c in query.clauses if _alone(c, 2)),
        decided=decided,
    )


@dataclass
class AnalysedArticle:
    """An article as matching sees it: its stems as a set, positions built only for phrases."""

    id: int
    language: str
    source: str  # normalised, "" when unknown
    date: str
    fields: tuple[tuple[str, ...], ...]
    stems: frozenset[str]
    pairs: frozenset[tuple[str, str]]  # adjacent stems within the title or within the body
    _positions: list[dict[str, list[int]]] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, article: ArticleTerms) -> "AnalysedArticle":
        fields = (article.title_stems, article.body_stems)
        return cls(
            id=article.id,
            language=article.language,
            source=normalize(article.source) if article.source else "",
            date=article.date,
            fields=fields,
            stems=frozenset(article.title_stems).union(article.body_stems),
            pairs=frozenset(zip(article.title_stems, article.title_stems[1:])).union(
                zip(article.body_stems, article.body_stems[1:])),
        )

    def has(self, stems: tuple[str, ...]) -> bool:
        """The term's stems occur here: one stem anywhere, a phrase consecutively in one field."""
        if len(stems) == 1:
            return stems[0] in self.stems
        if not self.stems.issuperset(stems):
            return False
        if self._positions is None:
            self._positions = []
            for seq in self.fields:
                positions: dict[str, list[int]] = defaultdict(list)
                for i, stem in enumerate(seq):
                    positions[stem].append(i)
                self._positions.append(positions)
        n = len(stems)
        for seq, positions in zip(self.fields, self._positions):
            for start in positions.get(stems[0], ()):
                if seq[start:start + n] == stems:
                    return True
        return False


def matches(topic: CompiledTopic, article: AnalysedArticle) -> bool:
    """The full query semantics, exactly: what the index must agree with."""
    if topic.language and topic.language != article.language:
        return False
    if topic.since and article.date < topic.since:
        return False
    if topic.source and topic.source not in article.source:
        return False
    stems, pairs = article.stems, article.pairs
    for singles, two, longer in topic.clauses:
        if stems.isdisjoint(singles) and pairs.isdisjoint(two) and not any(article.has(p) for p in longer):
            return False
    singles, two, longer = topic.excluded
    return stems.isdisjoint(singles) and pairs.isdisjoint(two) and not any(article.has(p) for p in longer)


class _Bucket(dict):
    """Topics filed under one key (id -> topic), with the newest `since_article` among them.

    An article newer than every topic of the bucket fires them all without per-topic checks
    of their age; `newest` may only be too high after a removal, which costs just that shortcut.
    """

    __slots__ = ("newest",)

    def __init__(self) -> None:
        super().__init__()
        self.newest = 0

    def add(self, topic: CompiledTopic) -> None:
        self[topic.id] = topic
        self.newest = max(self.newest, topic.since_article)

    def firing(self, article_id: int) -> Iterable[CompiledTopic]:
        if article_id > self.newest:
            return self.values()
        return [t for t in self.values() if article_id > t.since_article]


class TopicIndex:
    """Every topic of every chat, filed under its keys; kept in sync as topics change.

    Paused topics are kept (for listing) but not filed under keys: they cannot fire.
    """

    def __init__(self, df: Mapping[str, int] | None = None) -> None:
        self.df = df
        self._topics: dict[int, CompiledTopic] = {}
        self._by_key: dict[Key, _Bucket] = defaultdict(_Bucket)
        # Topics that are just their key (one word): found without any further check.
        self._exact_by_key: dict[Key, _Bucket] = defaultdict(_Bucket)
        self._by_chat: dict[int, set[int]] = defaultdict(set)

    def __len__(self) -> int:
        return len(self._topics)

    def __iter__(self) -> Iterator[CompiledTopic]:
        return iter(self._topics.values())

    def put(self, topic: Topic | CompiledTopic) -> CompiledTopic:
        """Add or replace a topic."""
        compiled = topic if isinstance(topic, CompiledTopic) else compile_topic(topic, self.df)
        self.remove(compiled.id)
        self._topics[compiled.id] = compiled
        if not compiled.paused:
            buckets = self._exact_by_key if compiled.keyed_exactly else self._by_key
            for key in compiled.keys:
                buckets[key].add(compiled)
        self._by_chat[compiled.chat_id].add(compiled.id)
        return compiled

    def remove(self, topic_id: int) -> None:
        old = self._topics.pop(topic_id, None)
        if old is None:
            return
        buckets = self._exact_by_key if old.keyed_exactly else self._by_key
        for key in old.keys:
            bucket = buckets.get(key)
            if bucket is not None:
                bucket.pop(topic_id, None)
                if not bucket:
                    del buckets[key]
        chat = self._by_chat.get(old.chat_id)
        if chat is not None:
            chat.discard(topic_id)
            if not chat:
                del self._by_chat[old.chat_id]

    def replace_chat(self, chat_id: int, topics: Iterable[Topic]) -> None:
        """The chat's topics, as the store now has them."""
        for topic_id in list(self._by_chat.get(chat_id, ())):
            self.remove(topic_id)
        for topic in topics:
            self.put(topic)

    def _buckets(self, by_key: dict[Key, _Bucket], article: AnalysedArticle) -> list[_Bucket]:
        """The buckets of `by_key` under the article's stems and stem pairs, its language and
        "every article"."""
        found = [b for key in (_EVERY_ARTICLE, _LANGUAGE_KEY + article.language) if (b := by_key.get(key))]
        keys = by_key.keys()  # `keys & set` walks the smaller side in C
        found += [by_key[key] for key in keys & article.stems]
        found += [by_key[key] for key in keys & article.pairs]
        return found

    def candidates(self, article: AnalysedArticle) -> Iterable[CompiledTopic]:
        """Topics that may match `article` and need the full check."""
        found: dict[int, CompiledTopic] = {}
        for bucket in self._buckets(self._by_key, article):
            found.update(bucket)
        return found.values()

    def match(self, article: AnalysedArticle) -> list[CompiledTopic]:
        """Topics that fire for `article`, by id: candidates from the index, checked exactly.

        The hot loop of alerting: set tests in C first, the full check only where they
        cannot decide. A topic filed under several keys of the article is found more than
        once; the dictionary at the end keeps one.
        """
        article_id = article.id
        stems, pairs = article.stems, article.pairs
        found: list[CompiledTopic] = []
        append = found.append
        for bucket in self._buckets(self._by_key, article):
            for topic in bucket.firing(article_id):
                required = topic.requires
                if required and not required <= stems:
                    continue
                required = topic.requires_pairs
                if required and not required <= pairs:
                    continue
                if topic.decided or matches(topic, article):
                    append(topic)
        for bucket in self._buckets(self._exact_by_key, article):  # one key each: nothing to check
            found.extend(bucket.firing(article_id))
        unique = {topic.id: topic for topic in found}
        return [unique[topic_id] for topic_id in sorted(unique)]

    def scan(self, article: AnalysedArticle) -> list[CompiledTopic]:
        """The same answer by checking every topic: the baseline the index is measured against."""
        article_id = article.id
        found = [t for t in self._topics.values()
                 if not t.paused and article_id > t.since_article and matches(t, article)]
        found.sort(key=_by_id)
        return found


def group_by_chat(article_id: int, topics: Iterable[CompiledTopic]) -> list[Match]:
    """One alert per chat, listing every topic of the chat that matched."""
    chats: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for topic in topics:
        chats[topic.chat_id].append((topic.id, topic.text))
    return [Match(chat_id, article_id, tuple(found)) for chat_id, found in sorted(chats.items())]


def document_frequencies(articles: Iterable[ArticleTerms]) -> dict[str, int]:
    """In how many of `articles` each stem occurs: rare stems make selective index keys."""
    df: dict[str, int] = defaultdict(int)
    for article in articles:
        for stem in set(article.title_stems).union(article.body_stems):
            df[stem] += 1
    return dict(df)
