"""Telegram HTML: escaping, the 4096-unit limit, right-to-left marks."""

from bot.render.articles import render_summary
from bot.render.html import (
    LRM,
    MESSAGE_LIMIT,
    RLM,
    directed,
    esc,
    pack,
    utf16_len,
    visible,
)
from storage import Article


def _article(**kw):
    base = dict(id=7, title="عنوان <مهم> & عاجل", body="", language="ar", source="Reuters & AFP",
                url="https://example.com/a?x=1&y=\"2\"", published_at=None, ingested_at="2026-11-28T10:00:00Z")
    base.update(kw)
    return Article(**base)


def test_escaping_covers_the_three_characters_telegram_needs():
    assert esc('a < b > c & "d"') == 'a &lt; b &gt; c &amp; "d"'
    assert visible(esc("<b>&amp;</b>")) == "<b>&amp;</b>"


def test_utf16_length_counts_astral_characters_twice():
    assert utf16_len("سوريا") == 5
    assert utf16_len("😀") == 2
    assert utf16_len("a😀b") == 4


def test_arabic_lines_get_a_right_to_left_mark_even_when_they_start_with_latin():
    line = directed("BBC: قال المتحدث إن 55 ألف صورة وصلت", "en")
    assert line.startswith(RLM)
    assert directed("Results: 3 articles", "ar").startswith(LRM)
    assert directed("2026 · 12", "ar").startswith(RLM)  # no letters: the interface language decides


def test_summary_is_escaped_and_marked():
    messages = render_summary(_article(), ["جملة فيها <وسم> & رمز."], "ar")
    assert len(messages) == 1
    html = messages[0]
    assert "<b>عنوان &lt;مهم&gt; &amp; عاجل</b>" in html
    assert "جملة فيها &lt;وسم&gt; &amp; رمز." in html
    assert 'href="https://example.com/a?x=1&amp;y=&quot;2&quot;"' in html
    assert all(line.startswith((RLM, LRM)) for line in html.split("\n") if line)


def test_long_answers_split_on_sentence_boundaries_within_the_limit():
    sentence = "هذه جملة عربية طويلة بعض الشيء وفيها رمز 😀 وأرقام 2011، تنتهي هنا."
    body = [directed(esc(f"{n} {sentence}"), "ar") for n in range(400)]
    messages = pack([["<b>عنوان</b>"], body])
    assert len(messages) > 1
    for message in messages:
        assert 1 <= utf16_len(visible(message)) <= MESSAGE_LIMIT
        assert message.count("<b>") == message.count("</b>")
    joined = "\n".join(visible(m) for m in messages)
    for n in (0, 199, 399):
        assert f"{n} {sentence}" in joined  # no sentence was cut


def test_a_single_oversized_line_is_cut_between_sentences():
    sentences = [f"Sentence number {n} says something & more." for n in range(300)]
    messages = pack([[esc(" ".join(sentences))]])
    assert len(messages) >= 3
    for message in messages:
        assert utf16_len(visible(message)) <= MESSAGE_LIMIT
        assert visible(message).rstrip().endswith("more.")
        assert "&amp;" in message and " & " not in message
