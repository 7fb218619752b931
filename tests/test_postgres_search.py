"""PostgreSQL search specifics: the tsvector holds the engine's stems with FTS5's positions,
the tsquery keeps every user character a plain word, bm25 is SQLite's, and the frequencies
kept beside the articles ("did you mean", bm25's IDF) follow inserts and re-analysis."""

import sqlite3
from collections import Counter

import pytest

from bot.config import Settings
from bot.ingest.files import ParsedArticle
from bot.ingest.pipeline import analyse
from bot.search.engine import search_articles
from bot.search.query import parse_query, to_fts
from bot.services import Services
from storage import open_store
from storage.postgres.articles import Articles
from storage.postgres.db import Database
from storage.postgres.search import Search
from storage.postgres.terms import match_query, tokens
from storage.types import FtsQuery

ARTICLES = {
    "teachers": ("إضراب المعلمين", "خرج آلاف والمعلمين إلى الشوارع للمطالبة بالأجور.", "الجزيرة", "2026-01-02"),
    "school": ("افتتاح مدرسة جديدة", "افتتحت الوزارة مدرسة في دمشق للطلاب.", "وكالة سانا", "2026-01-05"),
    "budget": ("The budget vote", "Parliament passed the budget after a long debate.", "Reuters", "2026-01-03"),
    "debate": ("Long debate", "The debate on the vote lasted all night; budget talks resume.", "AP", "2026-01-04"),
    "damascene": ("Damascene crafts", "Artisans sell crafts in the old market.", "BBC", "2026-01-01"),
}


@pytest.fixture
async def pg(postgres_location, tmp_path):
    services = await Services.open(Settings(NEWSBOT_DB=postgres_location, NEWSBOT_SEEDS=str(tmp_path / "none")))
    ids = {}
    for key, (title, body, source, day) in ARTICLES.items():
        ids[key], created = await services.articles.add(analyse(ParsedArticle(title, body, source), published_at=day))
        assert created
    yield services, ids
    await services.close()


async def _found(pg, query: str) -> list[str]:
    services, ids = pg
    page = await search_articles(services.index, services.articles, query, limit=10)
    by_id = {v: k for k, v in ids.items()}
    return [by_id[a.id] for a in page.articles]


# ---------------------------------------------------------------- the stems, split as FTS5 splits them
def _fts5_tokens(text: str) -> list[str]:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE f USING fts5 (a, tokenize = 'unicode61 remove_diacritics 0')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab (f, 'instance')")
    conn.execute("INSERT INTO f (rowid, a) VALUES (1, ?)", (text,))
    return [term for term, _ in sorted(conn.execute("SELECT term, offset FROM v"), key=lambda r: r[1])]


@pytest.mark.parametrize("text", [
    "والمعلمين في المدارس", "كَتَبَ الوَلَدُ", "COVID-19 vaccine's", "ـــتطويل ab_cd", "é É ſ µ ς ẞ",
    "q\u0300x \u0300x \u0326م", "١٢٣ ۴۵ 12.5", "\u202eقيصر\u202c\u200f \ue000x", "𝐀𝐁 🙂x",
])
def test_stems_split_exactly_as_sqlite_fts5_splits_them(text):
    assert tokens(text) == _fts5_tokens(text)


async def test_the_tsvector_holds_each_stem_at_its_own_position(postgres_location):
    db = await Database.open(postgres_location)
    try:
        article = analyse(ParsedArticle("سوريا والمعلمين سوريا", "دمشق سوريا اليوم", "وكالة"))
        article_id, _ = await Articles(db).add(article)
        title, body = tokens(article.title_stems), tokens(article.body_stems)
        expected: dict[str, list[str]] = {}
        for at, token in enumerate(title, 1):
            expected.setdefault(token, []).append(f"{at}A")
        for at, token in enumerate(body, len(title) + 2):  # a gap: no phrase across the columns
            expected.setdefault(token, []).append(f"{at}B")
        rows = await db.fetchall(
            "SELECT lexeme, positions, weights FROM article_terms, unnest(search) WHERE article_id = $1", (article_id,))
        got = {r[0]: [f"{p}{w}" for p, w in zip(r[1], r[2])] for r in rows}
        assert got == expected
        assert title.count(title[0]) == 2 and len(got[title[0]]) >= 3  # the title's repeated stem, and the body's
        assert await db.fetchvalue("SELECT tokens FROM article_terms WHERE article_id = $1", (article_id,)) == \
            len(title) + len(body)
    finally:
        await db.close()


# ---------------------------------------------------------------- the query language
async def test_arabic_clitic_forms_are_found_through_the_engines_stems(pg):
    assert await _found(pg, "المعلم") == ["teachers"]
    assert await _found(pg, "للمعلمين") == ["teachers"]
    assert await _found(pg, "والمدرسة") == ["school"]


async def test_phrases_need_the_words_together_in_order_and_inside_one_column(pg):
    assert await _found(pg, '"budget vote"') == ["budget"]
    assert await _found(pg, '"vote budget"') == []
    # "debate" ends the title of `debate` and "the" starts its body: no phrase across them.
    assert set(await _found(pg, '"long debate"')) == {"budget", "debate"}
    assert await _found(pg, '"debate the"') == []


async def test_or_exclusion_and_filters(pg):
    assert set(await _found(pg, "budget OR crafts")) == {"budget", "debate", "damascene"}
    assert await _found(pg, "budget -parliament") == ["debate"]
    assert await _found(pg, "budget source:reuters") == ["budget"]
    assert await _found(pg, "budget since:2026-01-04") == ["debate"]
    assert await _found(pg, "lang:ar -المعلم") == ["school"]


@pytest.mark.parametrize("query", [
    "damas:*", "damas*", "'budget' | 'crafts'", "budget & !vote", "budget <-> vote", "\\ ' '' \\'",
    "( budget", "!budget", "budget:A", "\u202ebudget\u202c\u200f!",
])
async def test_tsquery_syntax_typed_by_a_user_is_only_ever_words(pg, query):
    services, _ = pg
    found = await _found(pg, query)
    assert "damascene" not in found  # no prefix match, no OR smuggled in
    fts = to_fts(parse_query(query))
    literal = match_query(fts.clauses, fts.excluded)
    if literal is not None:  # every lexeme quoted: PostgreSQL parses the literal as words only
        await services.store.db.fetchvalue("SELECT $1::tsquery", (literal,))


async def test_bm25_is_sqlites_own(pg, tmp_path):
    services, _ = pg
    sqlite = await open_store(tmp_path / "same.db")
    try:
        for title, body, source, day in ARTICLES.values():
            await sqlite.articles.add(analyse(ParsedArticle(title, body, source), published_at=day))
        queries = ["budget", "budget debate", '"budget vote" OR crafts', "المعلم", "vote -night"]
        for round_, query in enumerate(queries + ["new article", '"budget vote" OR crafts']):
            if round_ == len(queries):  # a new article changes every IDF, a phrase's counted one too
                for store in (sqlite.articles, services.store.articles):
                    await store.add(analyse(ParsedArticle("Budget vote again", "The budget vote, again.", "AP")))
                continue
            fts = to_fts(parse_query(query))
            want, want_total = await sqlite.search.candidates(fts, limit=10)
            got, got_total = await services.store.search.candidates(fts, limit=10)
            assert [c.id for c in got] == [c.id for c in want] and got_total == want_total, query
            assert [c.bm25 for c in got] == pytest.approx([c.bm25 for c in want], rel=1e-9), query
            assert got == [type(c)(c.id, g.bm25, *[getattr(c, f) for f in ("date", "title_words", "body_words",
                                                                            "body_stems", "sentences")])
                           for c, g in zip(want, got)]
    finally:
        await sqlite.close()


async def test_an_unmatchable_phrase_matches_nothing(postgres_location):
    db = await Database.open(postgres_location)
    try:
        await Articles(db).add(analyse(ParsedArticle("budget", "budget", "x")))
        search = Search(db)
        assert await search.candidates(FtsQuery([[["—"]]]), limit=5) == ([], 0)
        assert not await search.exists(FtsQuery([[["—"]]]))
        assert (await search.candidates(FtsQuery([[["budget"]]], excluded=[["—"]]), limit=5))[1] == 1
    finally:
        await db.close()


# ---------------------------------------------------------------- frequencies beside the articles
async def _recount(db: Database) -> tuple[Counter, Counter, tuple[int, int]]:
    words, stems, docs, total = Counter(), Counter(), 0, 0
    for tw, bw, ts, bs in await db.fetchall("SELECT title_words, body_words, title_stems, body_stems FROM article_terms"):
        words.update(set(tokens(tw)) | set(tokens(bw)))
        stems.update(set(tokens(ts)) | set(tokens(bs)))
        docs, total = docs + 1, total + len(tokens(ts)) + len(tokens(bs))
    return words, stems, (docs, total)


async def _kept(db: Database) -> tuple[Counter, Counter, tuple[int, int]]:
    words = Counter(dict(await db.fetchall("SELECT word, df FROM article_words")))
    stems = Counter(dict(await db.fetchall("SELECT stem, df FROM article_stems")))
    return words, stems, tuple(await db.fetchone("SELECT docs, tokens FROM search_totals"))


async def test_reanalysis_keeps_the_word_and_stem_frequencies_consistent(postgres_location):
    db = await Database.open(postgres_location)
    try:
        articles, search = Articles(db), Search(db)
        first = [analyse(ParsedArticle(t, b, s)) for t, b, s, _ in ARTICLES.values()]
        results = await articles.add_many(first + [first[0]])  # the duplicate counts once
        assert await _kept(db) == await _recount(db)
        assert dict(await search.words("budg", 4, 8)) == {"budget": 2}
        ids = [i for i, created in results if created]
        rewritten = analyse(ParsedArticle("Harbour news", "Ships left the harbour today.", "AP"))
        await articles.replace_analysis([(ids[2], rewritten), (ids[4], rewritten)])
        kept = await _kept(db)
        assert kept == await _recount(db)
        assert dict(await search.words("budg", 4, 8)) == {"budget": 1}
        assert dict(await search.words("harb", 4, 8)) == {"harbour": 2}
        assert "artisans" not in kept[0] and kept[2][0] == 5
        assert [c.id for c in (await search.candidates(FtsQuery([[["harbour"]]]), limit=5))[0]] == [ids[4], ids[2]]
    finally:
        await db.close()


async def test_remembered_queries_belong_to_their_chat_and_expire(postgres_location):
    db = await Database.open(postgres_location)
    try:
        search = Search(db)
        old = await search.remember_query(1, "قديم")
        await db.execute("UPDATE search_pages SET created_at = '2000-01-01T00:00:00Z' WHERE id = $1", (old,))
        kept = await search.remember_query(1, "سوريا")
        assert await search.remembered_query(kept, 1) == "سوريا"
        assert await search.remembered_query(kept, 2) is None
        assert await search.remembered_query(old, 1) is None
    finally:
        await db.close()


# ---------------------------------------------------------------- the postings ranking reads
async def _postings_recounted(db: Database) -> set[tuple]:
    expected = set()
    for article_id, ts, bs in await db.fetchall("SELECT article_id, title_stems, body_stems FROM article_terms"):
        title, body = tokens(ts), tokens(bs)
        for stem in set(title) | set(body):
            at = [-i for i, t in enumerate(title, 1) if t == stem] + \
                 [i for i, t in enumerate(body, len(title) + 2) if t == stem]
            tf = 4.0 * title.count(stem) + body.count(stem)
            expected.add((stem, article_id, tf, len(title) + len(body), tuple(at)))
        pairs: dict[str, list[int]] = {}  # adjacent stems inside one column: a phrase's postings
        for i in range(len(title) - 1):
            pairs.setdefault(f"{title[i]} {title[i + 1]}", []).append(-(i + 1))
        for i in range(len(body) - 1):
            pairs.setdefault(f"{body[i]} {body[i + 1]}", []).append(len(title) + 2 + i)
        for key, at in pairs.items():
            expected.add((key, article_id, float(sum(4 if p < 0 else 1 for p in at)), len(title) + len(body), tuple(at)))
    return expected


async def _postings_kept(db: Database) -> set[tuple]:
    rows = await db.fetchall("SELECT stem, article_id, tf, tokens, positions FROM article_postings")
    return {(r[0], r[1], r[2], r[3], tuple(r[4])) for r in rows}


async def test_postings_follow_inserts_and_reanalysis(postgres_location):
    db = await Database.open(postgres_location)
    try:
        articles = Articles(db)
        first = [analyse(ParsedArticle(t, b, s)) for t, b, s, _ in ARTICLES.values()]
        repeated = analyse(ParsedArticle("budget budget vote", "The budget, the budget vote.", "AP"))
        results = await articles.add_many(first + [first[0], repeated])
        kept = await _postings_kept(db)
        assert kept == await _postings_recounted(db) and kept
        assert {stem for stem, *_ in kept if " " not in stem} == set((await _kept(db))[1])
        assert ("budget budget", results[-1][0], 4.0, 8, (-1,)) in kept  # a title pair
        ids = [i for i, created in results if created]
        rewritten = analyse(ParsedArticle("Harbour news", "Ships left the harbour today.", "AP"))
        twice = [(ids[2], first[0]), (ids[2], rewritten)]  # named twice: the last analysis holds
        await articles.replace_analysis([*twice, (ids[5], rewritten), (10 ** 9, rewritten)])
        kept = await _postings_kept(db)
        assert kept == await _postings_recounted(db)
        assert not any(article_id == 10 ** 9 for _, article_id, *_ in kept)
        assert {i for stem, i, *_ in kept if stem == "harbour"} == {ids[2], ids[5]}
    finally:
        await db.close()


SCORED = {  # title, body: repeated stems, phrases in title and body, one across them
    "a": ("Budget vote budget", "The budget vote passed; budget vote again and the vote on the budget."),
    "b": ("Vote delayed", "A vote on the budget was delayed. Budget budget budget."),
    "c": ("Crafts market", "The budget for crafts and the old market vote."),
    "d": ("إضراب المعلمين في دمشق", "خرج المعلمون والمعلمين إلى الشوارع في دمشق وحلب للمطالبة بالأجور."),
    "e": ("مدرسة المعلمين", "افتتحت الوزارة مدرسة للمعلمين في حلب، ومدرسة أخرى في دمشق."),
    "f": ("Long debate budget", "vote budget vote budget vote, the long debate budget."),
}


@pytest.mark.parametrize("query", [
    "budget", "vote", "المعلمين", "budget vote", "budget vote crafts", "دمشق حلب", '"budget vote"',
    '"vote budget"', '"budget budget"', '"long debate" budget', '"مدرسة المعلمين"', "والمعلمين", "للمعلمين",
    "بالمعلمين", "budget OR crafts", '"budget vote" OR crafts', "budget -crafts", 'budget -"vote budget"',
    'vote -"budget vote"', "budget lang:en", "budget source:ap", "المعلمين source:bbc", "budget since:2026-01-03",
    'دمشق -"مدرسة المعلمين"', "nothingatall", "budget nothingatall",
    '"the budget vote"', '"vote budget vote"', '"budget vote" "the vote"', '"vote budget" OR "crafts market"',
    'budget -"the budget vote"', 'vote -"vote budget vote" -crafts', '"the budget vote" OR "old market vote"',
    '"budget vote" OR crafts -"the vote on"', "budget vote -crafts lang:en",
    '"budget vote again and the vote on the budget"', '"vote budget vote budget vote budget"',
    'budget -"budget vote again and the vote on the"', "budget budget budget vote vote",
    "crafts budget OR vote", 'market "budget vote" OR debate', "مدرسة دمشق OR حلب",
])
async def test_scores_equal_sqlites_for_every_kind_of_query(postgres_location, tmp_path, query):
    pg = await open_store(postgres_location)
    sqlite = await open_store(tmp_path / "same.db")
    try:
        for n, (title, body) in enumerate(SCORED.values()):
            for store in (sqlite, pg):
                await store.articles.add(analyse(ParsedArticle(title, body, ["AP", "Reuters"][n % 2]),
                                                 published_at=f"2026-01-0{n + 1}"))
        fts = to_fts(parse_query(query))
        want, want_total = await sqlite.search.candidates(fts, limit=10)
        got, got_total = await pg.search.candidates(fts, limit=10)
        assert [c.id for c in got] == [c.id for c in want] and got_total == want_total
        assert [c.bm25 for c in got] == [c.bm25 for c in want]  # the same operations: the same doubles
        assert got == want
    finally:
        await sqlite.close()
        await pg.close()


@pytest.mark.parametrize("query", ["budget", "budget vote", '"budget vote"', "budget OR crafts", "vote -crafts",
                                   'budget -"budget vote"', "budget source:ap"])
async def test_only_the_newest_window_is_ranked_as_on_sqlite(postgres_location, tmp_path, query, monkeypatch):
    import storage.postgres.search as pg_search
    import storage.sqlite.search as sqlite_search
    for module in (pg_search, sqlite_search):
        monkeypatch.setattr(module, "RANK_WINDOW", 3)
        monkeypatch.setattr(module, "COUNT_CAP", 3)
    pg = await open_store(postgres_location)
    sqlite = await open_store(tmp_path / "same.db")
    try:
        for n, (title, body) in enumerate(list(SCORED.values()) * 2):
            for store in (sqlite, pg):
                await store.articles.add(analyse(ParsedArticle(title, f"{body} {n}", ["AP", "Reuters"][n % 3 > 0])))
        fts = to_fts(parse_query(query))
        want = await sqlite.search.candidates(fts, limit=2)
        assert await pg.search.candidates(fts, limit=2) == want
    finally:
        await sqlite.close()
        await pg.close()
