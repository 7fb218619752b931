"""Alerts, digests and topic lists as messages: Telegram HTML, escaped, directed, packed."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from bot.render import strings
from bot.render.articles import article_link, source_date
from bot.render.html import MESSAGE_LIMIT, directed, ellipsize, esc, pack
from bot.render.replies import render_lines
from bot.text import detect_language, tokenize
from storage import Article, OutboxItem, Topic

TOPIC_SHOWN_CHARS = 120
TOPICS_SHOWN = 3
SUMMARY_SHOWN_CHARS = 1500


def highlight(topic_text: str, query_stems: Collection[str], article_stems: Collection[str]) -> str:
    """The topic as typed, escaped, with the words that matched the article in <b>."""
    text = ellipsize(topic_text, TOPIC_SHOWN_CHARS)
    out, at = [], 0
    for token in tokenize(text, detect_language(text)):
        if token.stem in query_stems and token.stem in article_stems:
            out.append(esc(text[at:token.start]))
            out.append(f"<b>{esc(text[token.start:token.end])}</b>")
            at = token.end
    out.append(esc(text[at:]))
    return "".join(out)


def render_alert(article: Article, summary: Sequence[str], why: Sequence[str], lang: str) -> str:
    """One message: title, source and date, the summary, the link, and the highlighted topics."""
    shown = list(why[:TOPICS_SHOWN]) + (["…"] if len(why) > TOPICS_SHOWN else [])
    why_line = f"{strings.text(lang, 'alert_why')} " + " · ".join(shown)
    summary_text = ellipsize(" ".join(summary), SUMMARY_SHOWN_CHARS)
    for attempt in (summary_text, ""):
        lines = [f"🔔 <b>{esc(article.title)}</b>", f"<i>{source_date(article, lang)}</i>"]
        if attempt:
            lines.append(esc(attempt))
        lines += [article_link(article), why_line]
        messages = pack([[directed(line, lang) for line in lines]], MESSAGE_LIMIT)
        if len(messages) == 1:
            return messages[0]
    return pack([[directed(f"🔔 <b>{esc(ellipsize(article.title, 300))}</b>", lang), directed(article_link(article), lang)]])[0]


def render_digest(entries: Sequence[tuple[Article, OutboxItem]], lang: str) -> list[str]:
    """The period's matches grouped into as few messages as fit, split at the limit."""
    blocks = [render_lines(f"<b>{strings.text(lang, 'digest_header', count=len(entries))}</b>", lang)]
    for number, (article, item) in enumerate(entries, start=1):
        topics = " · ".join(esc(ellipsize(q, TOPIC_SHOWN_CHARS)) for _, q in item.topics[:TOPICS_SHOWN])
        lines = [
            f"{number}. <b>{esc(article.title)}</b>",
            f"<i>{source_date(article, lang)} · /summary_{article.id}</i>",
            f"{strings.text(lang, 'alert_why')} {topics}",
        ]
        if article.url:
            lines.append(article_link(article))
        blocks.append([directed(line, lang) for line in lines])
    return pack(blocks)


def render_topics(topics: Sequence[Topic], lang: str, limit: int) -> list[str]:
    if not topics:
        return pack([render_lines(strings.text(lang, "topics_none"), lang)])
    lines = [f"<b>{strings.text(lang, 'topics_header', count=len(topics), limit=limit)}</b>"]
    for number, topic in enumerate(topics, start=1):
        mark = f" <i>({strings.text(lang, 'topic_paused')})</i>" if topic.paused else ""
        lines.append(f"{number}. {esc(ellipsize(topic.query, TOPIC_SHOWN_CHARS))}{mark}")
    lines.append(strings.text(lang, "topics_footer"))
    return pack([[directed(line, lang) for line in lines]])
