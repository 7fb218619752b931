"""What alerts, digests and topic lists look like: Telegram HTML, escaped, directed, packed."""

from __future__ import annotations

import html
from collections.abc import Collection, Sequence

from bot import strings
from bot.render import MESSAGE_LIMIT, directed, esc, pack, render_lines
from bot.text import detect_language, tokenize
from storage.alerts import OutboxItem, Topic
from storage.articles import Article

TOPIC_SHOWN_CHARS = 120
TOPICS_SHOWN = 3
SUMMARY_SHOWN_CHARS = 1500


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def highlight(topic_text: str, query_stems: Collection[str], article_stems: Collection[str]) -> str:
    """The topic as typed, escaped, with the words that matched the article in <b>."""
    text = _cut(topic_text, TOPIC_SHOWN_CHARS)
    out, at = [], 0
    for token in tokenize(text, detect_language(text)):
        if token.stem in query_stems and token.stem in article_stems:
            out.append(esc(text[at:token.start]))
            out.append(f"<b>{esc(text[token.start:token.end])}</b>")
            at = token.end
    out.append(esc(text[at:]))
    return "".join(out)


def _link(article: Article) -> str:
    if article.url:
        return f'<a href="{html.escape(article.url)}">{esc(_cut(article.url, 200))}</a>'
    return f"/summary_{article.id}"


def _meta(article: Article, lang: str) -> str:
    return f"<i>{esc(article.source or strings.text(lang, 'source_unknown'))} · {esc(article.date)}</i>"


def render_alert(article: Article, summary: Sequence[str], why: Sequence[str], lang: str) -> str:
    """One message: title, source and date, the summary, the link, and the highlighted topics."""
    shown = list(why[:TOPICS_SHOWN]) + (["…"] if len(why) > TOPICS_SHOWN else [])
    why_line = f"{strings.text(lang, 'alert_why')} " + " · ".join(shown)
    summary_text = _cut(" ".join(summary), SUMMARY_SHOWN_CHARS)
    for attempt in (summary_text, ""):
        lines = [f"🔔 <b>{esc(article.title)}</b>", _meta(article, lang)]
        if attempt:
            lines.append(esc(attempt))
        lines += [_link(article), why_line]
        messages = pack([[directed(line, lang) for line in lines]], MESSAGE_LIMIT)
        if len(messages) == 1:
            return messages[0]
    return pack([[directed(f"🔔 <b>{esc(_cut(article.title, 300))}</b>", lang), directed(_link(article), lang)]])[0]


def render_digest(entries: Sequence[tuple[Article, OutboxItem]], lang: str) -> list[str]:
    """The period's matches grouped into as few messages as fit, split at the limit."""
    blocks = [render_lines(f"<b>{strings.text(lang, 'digest_header', count=len(entries))}</b>", lang)]
    for number, (article, item) in enumerate(entries, start=1):
        topics = " · ".join(esc(_cut(q, TOPIC_SHOWN_CHARS)) for _, q in item.topics[:TOPICS_SHOWN])
        lines = [
            f"{number}. <b>{esc(article.title)}</b>",
            f"<i>{esc(article.source or strings.text(lang, 'source_unknown'))} · {esc(article.date)}"
            f" · /summary_{article.id}</i>",
            f"{strings.text(lang, 'alert_why')} {topics}",
        ]
        if article.url:
            lines.append(_link(article))
        blocks.append([directed(line, lang) for line in lines])
    return pack(blocks)


def render_topics(topics: Sequence[Topic], lang: str, limit: int) -> list[str]:
    if not topics:
        return pack([render_lines(strings.text(lang, "topics_none"), lang)])
    lines = [f"<b>{strings.text(lang, 'topics_header', count=len(topics), limit=limit)}</b>"]
    for number, topic in enumerate(topics, start=1):
        mark = f" <i>({strings.text(lang, 'topic_paused')})</i>" if topic.paused else ""
        lines.append(f"{number}. {esc(_cut(topic.query, TOPIC_SHOWN_CHARS))}{mark}")
    lines.append(strings.text(lang, "topics_footer"))
    return pack([[directed(line, lang) for line in lines]])
