"""Search: Arabic variants, phrases, OR, exclusions, filters, ranking, snippets, and unsafe input."""

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import Settings
from bot.ingest.files import ParsedArticle
from bot.ingest.pipeline import analyse
from bot.render.articles import snippet_html
from bot.search.engine import search_articles
from bot.services import Services

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parent / "seeds"
CORPUS = json.loads((HERE / "fixtures" / "search_corpus.json").read_text(encoding="utf-8"))


@pytest.fixture
async def store(store_location):
    """The seed article plus a small corpus, on each backend; yields (services, {key: article id})."""
    services = await Services.open(Settings(NEWSBOT_DB=store_location, NEWSBOT_SEEDS=str(SEEDS)))
    await services.seed()
    ids = {}
    for item in CORPUS:
        parsed = ParsedArticle(item["title"], item["body"], item["source"])
        article_id, created = await services.articles.add(analyse(parsed, published_at=item["published_at"]))
        assert created
        ids[item["key"]] = article_id
    yield services, ids
    await services.close()


async def _found(store, query, limit=20):
    services, ids = store
    page = await search_articles(services.index, services.articles, query, limit=limit)
    by_id = {v: k for k, v in ids.items()}
    return [by_id.get(a.id, "seed") for a in page.articles]


async def test_unvowelled_query_finds_fully_vowelled_text(store):
    assert set(await _found(store, "التعذيب")) == {"vowelled", "seed"}
    assert "vowelled" in await _found(store, "المنظمة")


async def test_vowelled_query_finds_bare_text(store):
    assert "seed" in await _found(store, "التَّعْذِيب")


@pytest.mark.parametrize("form", ["صور", "الصور", "والصور", "بالصور", "صورة", "وصورة"])
async def test_arabic_prefix_and_suffix_variants_find_each_other(store, form):
    found = await _found(store, form)
    assert {"vowelled", "bare_prefix", "exact_title"} <= set(found), found


async def test_exact_form_ranks_above_stemmed_forms(store):
    found = await _found(store, "بالصور")
    assert found[0] == "exact_title"


@pytest.mark.parametrize("form", ["election", "elections"])
async def test_english_inflections(store, form):
    assert {"elections", "election_peace", "talks_peace_apart"} <= set(await _found(store, form))


async def test_phrase_needs_the_words_together_and_in_order(store):
    assert set(await _found(store, "النظام السوري")) >= {"vowelled", "apart"}
    phrase = await _found(store, '"النظام السوري"')
    assert "vowelled" in phrase and "apart" not in phrase
    assert await _found(store, '"peace talks"') == ["election_peace"]
    assert await _found(store, '"talks peace"') == []


async def test_or_and_exclusion(store):
    assert set(await _found(store, "geneva OR oslo")) == {"election_peace", "talks_peace_apart"}
    assert await _found(store, "talks -russia") == ["talks_peace_apart"]
    assert await _found(store, "peace -talks") == []


async def test_filters(store):
    assert await _found(store, "talks source:bbc") == ["talks_peace_apart"]
    assert await _found(store, "بالصور source:بروكار") == ["exact_title", "seed"]  # both from بروكار برس
    assert await _found(store, "talks since:2021-01-01") == ["election_peace"]
    assert set(await _found(store, "talks lang:en")) == {"election_peace", "talks_peace_apart"}
    assert await _found(store, "talks lang:ar") == []


async def test_title_weighs_more_than_body(store):
    found = await _found(store, "peace")
    assert found[0] == "election_peace"  # in its title and twice in its body


async def test_ties_are_newest_first(store_location):
    services = await Services.open(Settings(NEWSBOT_DB=store_location))
    ids = []
    for day in ("2020-01-01", "2024-01-01", "2022-01-01"):
        body = f"Identical wording about floods number {day}."
        parsed = ParsedArticle("Floods", body, "Wire")
        ids.append((await services.articles.add(analyse(parsed, published_at=day)))[0])
    page = await search_articles(services.index, services.articles, "floods", limit=5)
    await services.close()
    assert [a.published_at for a in page.articles] == ["2024-01-01", "2022-01-01", "2020-01-01"]


async def test_snippets_highlight_matches_and_are_escaped(store_location):
    services = await Services.open(Settings(NEWSBOT_DB=store_location))
    parsed = ParsedArticle("Tags <b> & co", "Intro sentence here. Markup like <i> & the ELECTIONS matter.", "Wire")
    await services.articles.add(analyse(parsed))
    page = await search_articles(services.index, services.articles, "election", limit=5)
    await services.close()
    assert snippet_html(page.hits[0].snippet) == "Markup like &lt;i&gt; &amp; the <b>ELECTIONS</b> matter."
    assert page.hits[0].snippet.plain == "Markup like <i> & the ELECTIONS matter."


async def test_paging(store):
    services, _ = store
    first = await search_articles(services.index, services.articles, "talks OR peace OR election", limit=2)
    second = await search_articles(services.index, services.articles, "talks OR peace OR election", limit=2, offset=2)
    assert first.total == 3 and first.has_next and not first.has_previous
    assert len(second.hits) == 1 and second.has_previous and not second.has_next
    assert not {a.id for a in first.articles} & {a.id for a in second.articles}


SPECIALS = ['"', "*", "^", "(", ")", ":", "-", "+", "{", "}", "NEAR", "AND", "OR", "NOT", "'", ";", "\\", "%", "_"]


@pytest.mark.parametrize("special", SPECIALS)
async def test_every_fts_special_character_is_harmless(store, special):
    """Each one is read as plain words (or as nothing), never as FTS syntax: what it finds follows."""
    services, _ = store
    talks = set(await _found(store, "talks"))
    assert talks == {"election_peace", "talks_peace_apart"}
    assert set(await _found(store, f"talks {special} peace")) == set(await _found(store, "talks peace"))
    assert set(await _found(store, f"source:{special} talks")) <= talks  # a filter only narrows
    if special in ("NEAR", "AND", "NOT"):  # a plain word, glued to another one: a new word, found nowhere
        assert await _found(store, special) == await _found(store, special.lower())
        assert await _found(store, f"talks{special}") == [] and await _found(store, f"{special}talks") == []
    elif special == "OR":  # a stray OR joins nothing
        assert await _found(store, special) == []
        assert await _found(store, f"talks{special}") == [] and await _found(store, f"{special}talks") == []
    else:  # punctuation: no word of its own
        assert await _found(store, special) == []
        assert set(await _found(store, f"talks{special}")) == talks
        assert set(await _found(store, f"{special}talks")) == (set() if special == "-" else talks)  # -talks excludes
    assert await services.articles.count() == len(CORPUS) + 1


async def test_huge_paste_emoji_and_bidi_marks(store):
    assert await _found(store, "talks " + "x" * 10_000) == []
    assert await _found(store, "😀🔥 \u202egeneva\u202c") == ["election_peace"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300) | st.lists(st.sampled_from(SPECIALS + ["talks", "سوريا", '"peace talks"', "-"]),
                                         max_size=12).map(" ".join))
async def test_no_query_string_can_raise(store, query):
    services, _ = store
    page = await search_articles(services.index, services.articles, query, limit=3)
    assert page.total >= len(page.hits)


async def test_english_words_inside_arabic_articles_are_found_by_english_queries(store_location):
    services = await Services.open(Settings(NEWSBOT_DB=store_location))
    parsed = ParsedArticle("نتائج الانتخابات", "قال المراقبون إن elections هذا العام كانت هادئة في البلاد.", "وكالة")
    article_id, _ = await services.articles.add(analyse(parsed))
    page = await search_articles(services.index, services.articles, "election", limit=5)
    await services.close()
    assert [a.id for a in page.articles] == [article_id]
