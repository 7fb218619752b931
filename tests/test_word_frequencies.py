"""The words' document frequencies ("did you mean"), kept by the article writes on both
backends: what `search.words` answers after adds, duplicates and re-analyses, that SQLite and
PostgreSQL answer alike, and that SQLite's migration 0012 carries the fts5vocab counts over."""

import json
import sqlite3
from contextlib import closing

from bot.ingest.files import ParsedArticle
from bot.ingest.pipeline import analyse
from storage import open_store
from storage.sqlite.db import _migration_scripts, _statements
from tests.support.articles import article_text

ENGLISH = {
    "budget": ("Budget talks", "The budget vote was delayed. Senators said the budget needs work."),
    "harbour": ("Harbour news", "Ships left the harbour today; the budget for docks is unknown."),
    "storm": ("Storm warning", "A STORM reached the coast. Schools closed, shops stayed shut."),
}
# Every prefix a test reads, over each length window "did you mean" asks for and wider.
PREFIXES = ["b", "bu", "budget", "h", "s", "st", "سو", "ا", "ال", "و", "خ", "z"]
WINDOWS = [(1, 3), (4, 8), (6, 6), (1, 40), (0, 100), (9, 3)]


def _english(key: str):
    title, body = ENGLISH[key]
    return analyse(ParsedArticle(title, body, "AP"))


def _arabic(n: int, words: str = "سوريا دمشق"):
    title, _, rest = article_text(n, words).partition("\n")
    body, _, source = rest.rpartition("\n")
    return analyse(ParsedArticle(title, body, source))


async def _answers(search) -> dict:
    """Every (prefix, window) a test reads: {(prefix, low, high): {word: documents}}."""
    return {(p, low, high): dict(await search.words(p, low, high)) for p in PREFIXES for low, high in WINDOWS}


async def test_words_count_the_articles_holding_them(store_location):
    store = await open_store(store_location)
    try:
        await store.articles.add_many([_english("budget"), _english("harbour"), _english("storm")])
        assert dict(await store.search.words("bud", 4, 8)) == {"budget": 2}
        assert dict(await store.search.words("s", 5, 7)) == {
            "ships": 1, "storm": 1, "schools": 1, "shops": 1, "stayed": 1}  # not "said", "senators"
        assert dict(await store.search.words("storm", 1, 40)) == {"storm": 1}  # counted once, case folded
        assert await store.search.words("", 1, 40) == []
        assert await store.search.words("bud", 7, 6) == []
    finally:
        await store.close()


async def test_duplicates_do_not_count_twice(store_location):
    store = await open_store(store_location)
    try:
        first = await store.articles.add_many([_english("budget"), _english("budget")])
        again, created = await store.articles.add(_english("budget"))
        assert (again, created) == (first[0][0], False)
        assert dict(await store.search.words("budg", 4, 8)) == {"budget": 1}
    finally:
        await store.close()


async def test_reanalysis_moves_the_counts_and_words_gone_disappear(store_location):
    store = await open_store(store_location)
    try:
        ids = [i for i, _ in await store.articles.add_many([_english("budget"), _english("harbour"), _arabic(1)])]
        assert dict(await store.search.words("budg", 4, 8)) == {"budget": 2}
        assert dict(await store.search.words("senat", 1, 40)) == {"senators": 1}
        # The budget article now reads as the storm one, named twice: its last analysis counts.
        await store.articles.replace_analysis([(ids[0], _english("harbour")), (ids[0], _english("storm"))])
        assert dict(await store.search.words("budg", 4, 8)) == {"budget": 1}
        assert await store.search.words("senat", 1, 40) == []
        assert dict(await store.search.words("storm", 1, 40)) == {"storm": 1}
        await store.articles.replace_analysis([(ids[1], _english("storm")), (ids[2], _arabic(1))])
        assert await store.search.words("budg", 1, 40) == []
        assert await store.search.words("harb", 1, 40) == []
        assert dict(await store.search.words("storm", 1, 40)) == {"storm": 2}
        assert dict(await store.search.words("سوريا", 1, 40)) == {"سوريا": 1}  # the same words again
    finally:
        await store.close()


async def test_both_backends_answer_alike(tmp_path, postgres_location):
    answers = []
    for location in (str(tmp_path / "store.db"), postgres_location):
        store = await open_store(location)
        try:
            ids = [i for i, _ in await store.articles.add_many(
                [_arabic(n) for n in range(12)] + [_arabic(n, "لبنان بيروت") for n in range(4)]
                + [_english(k) for k in ENGLISH])]
            await store.articles.replace_analysis([(ids[0], _english("storm")), (ids[-1], _arabic(40))])
            answers.append(await _answers(store.search))
        finally:
            await store.close()
    assert answers[0] == answers[1]
    assert answers[0][("ا", 1, 40)]  # the comparison covered words, not only empty answers


# ---------------------------------------------------------------- SQLite: migration 0012
_INSERT_ARTICLE = ("INSERT INTO articles (url, content_hash, title, source, source_key, published_at, language,"
                   " body, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
_INSERT_TERMS = ("INSERT INTO article_terms (article_id, title_words, body_words, title_stems, body_stems,"
                 " sentences) VALUES (?, ?, ?, ?, ?, ?)")


def _store_at_0011(path, articles) -> None:
    """A store file as the code before migration 0012 left it, holding `articles` (its
    triggers filled the fts5vocab vocabulary)."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                     " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))")
        for version, name, sql in _migration_scripts():
            if version <= 11:
                for statement in _statements(sql):
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", (version, name))
        for a in articles:
            cur = conn.execute(_INSERT_ARTICLE, (a.url, a.content_hash, a.title, a.source, a.source_key,
                                                 a.published_at, a.language, a.body, a.origin))
            conn.execute(_INSERT_TERMS, (cur.lastrowid, a.title_words, a.body_words, a.title_stems, a.body_stems,
                                         json.dumps([list(s) for s in a.sentences])))


def _kept_words(path) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT chars, word, df FROM article_words ORDER BY chars, word").fetchall()


async def test_migration_carries_the_vocabulary_over(tmp_path):
    articles = [_arabic(n) for n in range(10)] + [_english(k) for k in ENGLISH]
    old, fresh = tmp_path / "old.db", tmp_path / "fresh.db"
    _store_at_0011(old, articles)
    with closing(sqlite3.connect(old)) as conn:
        vocabulary = dict(conn.execute("SELECT term, doc FROM article_words_vocab").fetchall())

    store = await open_store(str(old))  # migrates
    try:
        migrated = await _answers(store.search)
    finally:
        await store.close()
    store = await open_store(str(fresh))
    try:
        await store.articles.add_many(articles)
        assert await _answers(store.search) == migrated
    finally:
        await store.close()
    assert _kept_words(old) == _kept_words(fresh)  # the writes count exactly what FTS5 listed
    assert {w: df for _, w, df in _kept_words(old)} == vocabulary
    with closing(sqlite3.connect(old)) as conn:
        left = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'article_words%'")}
    assert left == {"article_words"}  # the FTS table, its vocabulary and its triggers are gone

    store = await open_store(str(old))  # the carried-over counts go down as well as up
    try:
        await store.articles.replace_analysis([(1, _english("storm"))])
        assert dict(await store.search.words("storm", 1, 40)) == {"storm": 2}
        assert vocabulary["خبر"] == 10 and dict(await store.search.words("خبر", 3, 3)) == {"خبر": 9}
    finally:
        await store.close()
