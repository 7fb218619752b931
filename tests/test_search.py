"""Search over the seeded store, and user input that must never become query syntax."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from bot.search import MAX_QUERY_TERMS, query_terms, search_articles
from bot.services import Services

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
async def services(tmp_path):
    services = await Services.open(tmp_path / "search.db", SEEDS)
    yield services
    await services.close()


async def test_arabic_query_finds_the_seed_article(services):
    page = await search_articles(services.search, "سوريا", limit=5)
    assert page.total == 1
    assert page.articles[0].id == 1
    assert page.articles[0].source == "بروكار برس-وكالات"


async def test_vowelled_query_finds_unvowelled_text(services):
    page = await search_articles(services.search, "التَّعْذِيب", limit=5)
    assert [a.id for a in page.articles] == [1]


async def test_all_words_must_match(services):
    assert (await search_articles(services.search, "سوريا قيصر", limit=5)).total == 1
    assert (await search_articles(services.search, "سوريا بريطانيا", limit=5)).total == 0


@pytest.mark.parametrize(
    "query",
    ['" * NEAR AND ( -', 'سوريا"', "NEAR(سوريا قيصر)", "سوريا*", "title_stems:سوريا", "😀🔥", "\u202eسوريا\u202c",
     "AND OR NOT", "{body_words}: x", "^سوريا", "'; DROP TABLE articles; --"],
)
async def test_query_syntax_typed_by_users_is_read_as_words(services, query):
    page = await search_articles(services.search, query, limit=5)  # must not raise
    assert page.total in (0, 1)
    assert await services.articles.count() == 1


async def test_a_huge_paste_is_cut_and_said_so(services):
    page = await search_articles(services.search, "سوريا " + "كلمة" * 10_000 + " x" * 5000, limit=5)
    assert page.truncated or len(page.terms) <= MAX_QUERY_TERMS


def test_query_terms_are_capped():
    terms, truncated = query_terms(" ".join(f"word{n}" for n in range(100)))
    assert len(terms) == MAX_QUERY_TERMS and truncated


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
async def test_no_query_string_can_raise(services, query):
    page = await search_articles(services.search, query, limit=3)
    assert page.total >= 0
