"""The search language: words, phrases, OR, exclusions, filters; everything else is words."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from bot.search.query import MAX_TERMS, parse_query


def _words(query):
    return [[term.words for term in clause] for clause in query.clauses]


def test_words_phrases_or_and_exclusions():
    q = parse_query('syria "peace talks" geneva OR vienna -russia')
    assert _words(q) == [[("syria",)], [("peace", "talks")], [("geneva",), ("vienna",)]]
    assert [t.words for t in q.excluded] == [("russia",)]


def test_filters_are_read_and_bad_ones_reported():
    q = parse_query('source:"Al Jazeera" lang:ar since:2024-01-31 سوريا')
    assert (q.source, q.language, q.since) == ("Al Jazeera", "ar", date(2024, 1, 31))
    assert _words(q) == [[("سوريا",)]]
    bad = parse_query("since:yesterday lang:xx سوريا")
    assert bad.since is None and bad.language is None
    assert set(bad.ignored) == {"since:yesterday", "lang:xx"}


def test_arabic_vowels_and_smart_quotes():
    q = parse_query("«النِّظَامُ السُّورِيُّ»")
    assert _words(q) == [[("النظام", "السوري")]]


def test_fts_syntax_is_only_words():
    q = parse_query('NEAR(a b) AND * ^x {title}: "unclosed')
    keys = {w for clause in q.clauses for term in clause for w in term.words}
    assert "near" in keys and "title" in keys and "unclosed" in keys
    assert all(set(w) - set("()*^{}:\"") == set(w) for w in keys)


def test_stray_or_and_dashes_are_harmless():
    assert _words(parse_query("OR syria OR")) == [[("syria",)]]
    assert _words(parse_query("- -- syria")) == [[("syria",)]]


def test_stop_words_alone_are_still_searched():
    assert _words(parse_query("the")) == [[("the",)]]
    assert _words(parse_query("the election")) == [[("election",)]]


def test_bidi_and_zero_width_characters_do_not_split_words():
    assert _words(parse_query("\u202bسو\u200bريا\u202c")) == [[("سوريا",)]]


def test_long_pastes_are_capped():
    q = parse_query(" ".join(f"word{n}" for n in range(5_000)))
    assert len(q.terms) == MAX_TERMS and q.truncated


@given(st.text(max_size=400))
def test_parse_never_raises(text):
    q = parse_query(text)
    assert len(q.terms) + len(q.excluded) <= MAX_TERMS
