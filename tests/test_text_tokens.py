"""Word tokens: keys, stems, stop words, offsets; Arabic variant conflation."""

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.text import analyze_terms, content_stems, get_stemmer, normalize, tokenize


def test_offsets_and_surfaces() -> None:
    text = "وَالصُّوَرُ، AOL’s 2.5bn"
    tokens = tokenize(text, "ar")
    assert [t.surface for t in tokens] == ["وَالصُّوَرُ", "AOL’s", "2.5bn"]
    for t in tokens:
        assert text[t.start : t.end] == t.surface


def test_diacritised_word_and_bare_form_share_norm_and_stem() -> None:
    voweled, bare = tokenize("الْأَكَادِيمِيَّةُ الاكاديمية", "ar")
    assert voweled.norm == bare.norm == "الاكاديميه"
    assert voweled.stem == bare.stem


def test_arabic_prefix_family_shares_a_stem() -> None:
    family = ["صور", "الصور", "والصور", "بالصور", "وصورة", "صورة", "للصور", "وَالصُّوَر"]
    stems = {t.stem for t in tokenize(" ".join(family), "ar")}
    assert stems == {"صور"}


def test_arabic_stemmer_keeps_distinct_words_apart() -> None:
    stem = get_stemmer("ar")
    assert stem(normalize("كتاب")) != stem(normalize("مكتب"))  # ISRI merges them (root كتب)
    assert stem(normalize("وزير")) != stem(normalize("زير"))  # و is part of the word here
    assert stem(normalize("لبنان")) != stem(normalize("لبن"))
    assert stem(normalize("فيلم")) == "فيلم"  # ف is not stripped alone
    assert stem(normalize("والله")) == "الله"


def test_arabic_inflections_conflate() -> None:
    stem = get_stemmer("ar")
    for group in (["حكومة", "الحكومة", "حكومته", "الحكومات"], ["الانتخابات", "انتخابات", "للانتخابات"]):
        assert len({stem(normalize(w)) for w in group}) == 1, group


def test_english_snowball() -> None:
    norms, stems = analyze_terms("Running companies' PROFITS rose", "en")
    assert norms == ["running", "companies", "profits", "rose"]
    assert stems == ["run", "compani", "profit", "rose"]


def test_stop_words_flagged_including_arabic_conjunction() -> None:
    flags = {t.surface: t.is_stop for t in tokenize("في وفي الحكومة", "ar")}
    assert flags == {"في": True, "وفي": True, "الحكومة": False}
    assert [t.is_stop for t in tokenize("the government", "en")] == [True, False]


def test_unknown_language_is_identity_stem() -> None:
    assert [t.stem for t in tokenize("Hello WORLD", "xx")] == ["hello", "world"]


def test_cjk_characters_are_separate_tokens() -> None:
    assert [t.surface for t in tokenize("政府宣布", "zh")] == ["政", "府", "宣", "布"]


def test_content_stems_matches_tokenize() -> None:
    text = "قال الوزير في بيان إن الحكومة ستدعم الصور والمصورين."
    tokens = tokenize(text, "ar")
    stems, count = content_stems(text, "ar")
    assert count == len(tokens)
    assert stems == [t.stem for t in tokens if not t.is_stop]


def test_analyze_terms_is_position_aligned() -> None:
    norms, stems = analyze_terms("وَالصُّوَرُ الجديدة", "ar")
    assert norms == ["والصور", "الجديده"]
    assert len(stems) == len(norms) and stems[0] == "صور"


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=120), language=st.sampled_from(["ar", "en", "de", "zh", "xx"]))
def test_tokens_never_raise_and_offsets_hold(text: str, language: str) -> None:
    tokens = tokenize(text, language)
    for t in tokens:
        assert text[t.start : t.end] == t.surface
        assert t.norm and " " not in t.norm
    assert [t.start for t in tokens] == sorted(t.start for t in tokens)
    norms, stems = analyze_terms(text, language)
    assert len(norms) == len(stems) == len(tokens)
    assert isinstance(normalize(text), str)


def test_words_are_stemmed_by_their_own_script_in_mixed_text():
    """`elections` in an Arabic article indexes like `elections` in an English one."""
    in_arabic = {t.norm: t.stem for t in tokenize("فازت في elections العام الماضي", "ar")}
    in_english = {t.norm: t.stem for t in tokenize("والصور from the elections", "en")}
    assert in_arabic["elections"] == in_english["elections"] == tokenize("elections", "en")[0].stem
    assert in_english["والصور"] == tokenize("والصور", "ar")[0].stem == "صور"


@given(st.text(max_size=300))
def test_term_starts_align_with_analyze_terms(text):
    from bot.text import analyze_terms, term_starts

    norms, _ = analyze_terms(text, "ar")
    starts = term_starts(text)
    assert len(starts) == len(norms)
    assert starts == sorted(starts)
