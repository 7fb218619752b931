"""Hard-wrapped text (agency copy, plain-text mail): every sentence comes back whole, on one line,
while real paragraph, heading and list breaks stay apart."""

import re
import subprocess
import sys
import textwrap

import pytest

from bot.ingest.files import parse_article
from bot.render.articles import render_summary
from bot.summaries.cli import split_title
from bot.summaries.summarizer import summarize
from bot.text import paragraph_spans, split_sentences
from storage import Article
from tests.support.bot_process import clean_env

EN = (
    "Officials insisted that the coalition was winning the war on terror, although you can't see "
    "it from the capital. The minister said on Monday that more troops would be sent to the region "
    "within weeks. Critics, including several senior members of his own party, said the plan had "
    "not been costed and that Parliament had not been asked. A vote is expected next month."
)
AR = (
    "قال وزير الخارجية في مؤتمر صحفي عقده في العاصمة يوم الاثنين، إن الحكومة ستواصل العمل مع "
    "الشركاء الإقليميين والدوليين من أجل التوصل إلى حل سياسي شامل للأزمة. وأضاف أن المفاوضات "
    "المقبلة ستتناول ملفات الأمن والاقتصاد وعودة اللاجئين إلى مدنهم وقراهم. وأكد أن بلاده لن "
    "تقبل بأي حل يفرض عليها من الخارج، مشيرا إلى أن الشعب وحده صاحب القرار."
)
_BREAK = re.compile(r"[ \t]*[\n\r]+[ \t]*")


def whole(text: str, language: str) -> list[str]:
    return [s.text for s in split_sentences(text, language)]


def checked(text: str, language: str) -> list[str]:
    """Sentence texts, each on one line and each the stored span with its line breaks as spaces."""
    found = split_sentences(text, language)
    for s in found:
        assert "\n" not in s.text and "\r" not in s.text
        assert _BREAK.sub(" ", text[s.start : s.end]) == s.text  # offsets still index the text
    return [s.text for s in found]


def ragged(text: str, widths: list[int]) -> str:
    """`text` broken by hand at word ends near each width in turn (a ragged hard wrap)."""
    words, lines, line = text.split(), [], ""
    for word in words:
        width = widths[len(lines) % len(widths)]
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])


@pytest.mark.parametrize(("text", "language"), [(EN, "en"), (AR, "ar")])
@pytest.mark.parametrize("width", [50, 72])
def test_text_wrapped_at_a_fixed_width_gives_whole_sentences(text, language, width):
    assert checked(textwrap.fill(text, width), language) == whole(text, language)


@pytest.mark.parametrize(("text", "language"), [(EN, "en"), (AR, "ar")])
def test_raggedly_wrapped_text_gives_whole_sentences(text, language):
    wrapped = ragged(text, [78, 61, 70, 55, 74])
    assert checked(wrapped, language) == whole(text, language)


def test_three_ragged_lines_with_an_arabic_comma_are_one_sentence():
    text = ("قال وزير الخارجية في مؤتمر صحفي عقده في العاصمة يوم الاثنين،\n"
            "إن الحكومة ستواصل العمل مع الشركاء الإقليميين والدوليين من أجل\n"
            "التوصل إلى حل سياسي شامل للأزمة.")
    assert checked(text, "ar") == [" ".join(text.split("\n"))]


def test_one_wrapped_sentence_in_text_of_long_lines():
    long = "The first paragraph runs on one long line, as feeds write them, and it ends here. " * 4
    text = f"{long.strip()}\nThe spokesman said the talks would go on,\nbut not before the holiday.\n{long.strip()}"
    assert "The spokesman said the talks would go on, but not before the holiday." in checked(text, "en")


EN_DOC = """Election results

The governing party lost its majority in the vote on Sunday, the
electoral commission said, after a campaign dominated by the cost
of living.
Turnout was the lowest since 1945.
What happens next:
- the president will consult party leaders,
- a new prime minister must be named within
  thirty days,
• parliament meets on Friday.
1. Coalition talks begin
2. A budget follows"""


def test_headings_paragraphs_and_list_items_stay_apart():
    paragraphs = [_BREAK.sub(" ", EN_DOC[a:b]) for a, b in paragraph_spans(EN_DOC)]
    assert paragraphs == [
        "Election results",
        ("The governing party lost its majority in the vote on Sunday, the electoral commission said, "
         "after a campaign dominated by the cost of living."),
        "Turnout was the lowest since 1945.",
        "What happens next:",
        "- the president will consult party leaders,",
        "- a new prime minister must be named within thirty days,",
        "• parliament meets on Friday.",
        "1. Coalition talks begin",
        "2. A budget follows",
    ]
    checked(EN_DOC, "en")


def test_arabic_heading_question_and_blank_line_stay_apart():
    line = "بدأت صباح اليوم في العاصمة جولة جديدة من المحادثات بين الأطراف"
    text = (f"نتائج المحادثات\n{line}\nالمعنية بحضور ممثلين عن الأمم المتحدة.\nهل تنجح الجولة؟\n"
            f"{line}\nالمعنية\n\nوفي سياق متصل، أعلنت الوزارة عن خطة جديدة")
    paragraphs = [_BREAK.sub(" ", text[a:b]) for a, b in paragraph_spans(text)]
    assert paragraphs == [
        "نتائج المحادثات",
        f"{line} المعنية بحضور ممثلين عن الأمم المتحدة.",
        "هل تنجح الجولة؟",
        f"{line} المعنية",
        "وفي سياق متصل، أعلنت الوزارة عن خطة جديدة",
    ]


def test_indented_paragraph_starts_are_kept_in_wrapped_text():
    tail = "ونقلت الخبر وكالة الأنباء الرسمية في العاصمة صباح اليوم"  # no full stop, not full width
    text = " " + ragged(AR, [70, 66, 75]) + "\n" + tail + "\n " + ragged(AR, [70, 66, 75])
    assert len(paragraph_spans(text)) == 3
    assert checked(text, "ar") == [*whole(AR, "ar"), tail, *whole(AR, "ar")]
    assert len(paragraph_spans(text.replace("\n ", "\n"))) == 2  # the indent is what keeps them apart


def test_article_file_body_has_one_paragraph_per_line():
    body = textwrap.fill(EN, 64) + "\n\nthe second paragraph starts in lowercase after a\nblank line."
    parsed = parse_article("Troops to be sent\n\n" + body + "\n\nWire")
    assert parsed.title == "Troops to be sent" and parsed.source == "Wire"
    assert parsed.body.split("\n") == [EN, "the second paragraph starts in lowercase after a blank line."]


def test_summaries_and_summary_messages_show_whole_sentences():
    text = "Troops to be sent\n" + textwrap.fill(EN, 60) + "\n" + textwrap.fill(EN.replace("minister", "premier"), 66)
    title, body = split_title(text)
    sentences = summarize(body, title=title, sentences=3).sentences
    every = set(whole(EN, "en")) | set(whole(EN.replace("minister", "premier"), "en"))
    assert len(sentences) == 3 and set(sentences) <= every
    article = Article(id=3, title=title, body=body, language="en", source="Wire", url=None,
                      published_at=None, ingested_at="2026-12-01T00:00:00")
    shown = "\n".join(render_summary(article, sentences, "en"))
    bullets = [line for line in shown.split("\n") if "•" in line]
    assert len(bullets) == 3 and all(any(s.replace("'", "&#x27;") in b or s in b for s in every) for b in bullets)


@pytest.mark.e2e
def test_newsbot_summarize_prints_one_whole_sentence_per_line(tmp_path):
    article = tmp_path / "wrapped.txt"
    article.write_text("Troops to be sent\n\n" + ragged(EN, [72, 58, 66]) + "\n\n" + textwrap.fill(AR, 70) + "\n",
                       encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "bot.cli", "summarize", str(article), "--sentences", "4"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False,
                          env=clean_env(NEWSBOT_DB=str(tmp_path / "cli.db")))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().split("\n")
    every = set(whole(EN, "en")) | set(whole(AR, "ar")) | set(whole(AR, "en"))
    assert len(lines) == 4 and all(line in every for line in lines), lines
