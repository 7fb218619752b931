"""Telegram HTML: escaping, right-to-left marks, and splitting at the 4096-unit limit."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot import strings
from bot.query import MAX_TERMS
from bot.text import split_sentences
from storage.articles import Article

if TYPE_CHECKING:  # bot.search renders snippets with this module: no import at run time
    from bot.search import SearchPage

MESSAGE_LIMIT = 4096
RLM, LRM = "\u200f", "\u200e"
_TAG = re.compile(r"<[^>]*>")
_QUERY_ECHO_CHARS = 80


def esc(value: object) -> str:
    """Text safe inside Telegram HTML: only `<`, `>` and `&` need escaping there."""
    return html.escape(str(value), quote=False)


def visible(html_text: str) -> str:
    """What the user sees of `html_text`: tags dropped, entities decoded."""
    return html.unescape(_TAG.sub("", html_text))


def utf16_len(value: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(value.encode("utf-16-le")) // 2


def _strong_direction(value: str) -> str | None:
    """'rtl' or 'ltr' by the majority of strongly directional letters, None if there are none."""
    rtl = ltr = 0
    for ch in value:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            rtl += 1
        elif kind == "L":
            ltr += 1
    if rtl == ltr == 0:
        return None
    return "rtl" if rtl >= ltr else "ltr"


def directed(line_html: str, ui_lang: str) -> str:
    """Start a line with a direction mark, so mixed Arabic/Latin lines lay out the right way.

    Telegram lays each line out by its first strong character; a line that starts with a
    number or a Latin name inside Arabic text would otherwise run left-to-right.
    """
    direction = _strong_direction(visible(line_html)) or ("rtl" if ui_lang == "ar" else "ltr")
    return (RLM if direction == "rtl" else LRM) + line_html


def _cut_plain(value: str, limit: int) -> list[str]:
    """Cut plain text into pieces within `limit`, at sentence ends, else spaces, else anywhere."""
    pieces: list[str] = []
    current = ""
    units = [s.text for s in split_sentences(value, "ar" if _strong_direction(value) == "rtl" else "en")] or [value]
    for unit in units:
        while utf16_len(unit) > limit:  # one sentence longer than a message: cut at a space
            cut = unit[:limit]
            while utf16_len(cut) > limit:
                cut = cut[:-1]
            space = cut.rfind(" ")
            cut = cut[:space] if space > limit // 2 else cut
            if current:
                pieces.append(current)
                current = ""
            pieces.append(cut)
            unit = unit[len(cut):].lstrip()
        candidate = f"{current} {unit}" if current else unit
        if utf16_len(candidate) <= limit:
            current = candidate
        else:
            pieces.append(current)
            current = unit
    if current:
        pieces.append(current)
    return pieces


def pack(blocks: Sequence[Sequence[str]], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Join blocks of HTML lines into as few messages as fit, never cutting inside a tag.

    Blocks are separated by a blank line and kept whole when they fit; otherwise they
    are split between lines, and a single oversized line is cut into plain-text pieces.
    """
    messages: list[str] = []
    current: list[str] = []
    size = 0

    def flush() -> None:
        nonlocal current, size
        if current:
            messages.append("\n".join(current).strip("\n"))
        current, size = [], 0

    for block in blocks:
        lines = list(block)
        block_size = sum(utf16_len(visible(line)) for line in lines) + len(lines) - 1
        if current and size + 2 + block_size > limit:
            flush()
        if current:
            current.append("")
            size += 1
        for line in lines:
            line_size = utf16_len(visible(line))
            if line_size > limit:
                flush()
                mark = visible(line)[:1] if visible(line)[:1] in (RLM, LRM) else ""
                for piece in _cut_plain(visible(line).lstrip(RLM + LRM), limit - len(mark)):
                    messages.append(mark + esc(piece))
                continue
            if current and size + 1 + line_size > limit:
                flush()
            size += line_size + (1 if current else 0)
            current.append(line)
    flush()
    return [m for m in messages if visible(m).strip(RLM + LRM + " \n")]


def echo_query(query: str) -> str:
    """A user's query, shortened and escaped, to quote back at them."""
    query = " ".join(query.split())
    if len(query) > _QUERY_ECHO_CHARS:
        query = query[: _QUERY_ECHO_CHARS - 1] + "…"
    return esc(query)


def article_meta(article: Article, lang: str) -> str:
    source = article.source or strings.text(lang, "source_unknown")
    return f"{esc(source)} · {esc(article.date)} · /summary_{article.id}"


def article_block(article: Article, sentences: Sequence[str], lang: str, number: int | None = None) -> list[str]:
    prefix = f"{number}. " if number is not None else ""
    lines = [f"{prefix}<b>{esc(article.title)}</b>", f"<i>{article_meta(article, lang)}</i>"]
    lines += [esc(s) for s in sentences]
    return [directed(line, lang) for line in lines]


def render_lines(html_lines: str, lang: str) -> list[str]:
    return [directed(line, lang) for line in html_lines.split("\n")]


def render_search(page: SearchPage, shorts: dict[int, list[str]], lang: str) -> list[str]:
    query = echo_query(page.query.text)
    notes = []
    if page.query.truncated:
        notes.append(strings.text(lang, "search_truncated", count=MAX_TERMS))
    if page.query.ignored:
        notes.append(strings.text(lang, "search_ignored", filters=esc(" ".join(page.query.ignored))))
    if not page.hits:
        key = "search_none" if page.offset == 0 else "search_no_more"
        return pack([render_lines("\n".join([strings.text(lang, key, query=query), *notes]), lang)])
    first, last = page.offset + 1, page.offset + len(page.hits)
    header = strings.text(lang, "search_header", query=query, first=first, last=last, total=page.total)
    blocks = [render_lines("\n".join([header, *notes]), lang)]
    for number, hit in enumerate(page.hits, start=first):
        block = article_block(hit.article, shorts.get(hit.article.id, []), lang, number)
        if visible(hit.snippet).strip("… ") not in " ".join(shorts.get(hit.article.id, [])):
            block.append(directed("🔎 " + hit.snippet, lang))
        blocks.append(block)
    return pack(blocks)


def render_latest(articles: Sequence[Article], shorts: dict[int, list[str]], lang: str) -> list[str]:
    if not articles:
        return pack([render_lines(strings.text(lang, "latest_none"), lang)])
    blocks = [render_lines(f"<b>{strings.text(lang, 'latest_header')}</b>", lang)]
    blocks += [article_block(a, shorts.get(a.id, []), lang, n) for n, a in enumerate(articles, start=1)]
    return pack(blocks)


def render_summary(article: Article, sentences: Sequence[str], lang: str) -> list[str]:
    header = [
        directed(f"<b>{esc(article.title)}</b>", lang),
        directed(f"<i>{esc(article.source or strings.text(lang, 'source_unknown'))} · {esc(article.date)}</i>", lang),
    ]
    body = [directed("• " + esc(s), lang) for s in sentences]
    link = [directed(f'<a href="{html.escape(article.url)}">{esc(article.url)}</a>', lang)] if article.url else []
    return pack([header, body] + ([link] if link else []))


def render_text(lang: str, key: str, **values: object) -> list[str]:
    return pack([render_lines(strings.text(lang, key, **values), lang)])


def render_welcome(lang: str) -> list[str]:
    """The greeting and the command list, as one message."""
    return pack([render_lines(strings.text(lang, "welcome"), lang), render_lines(strings.text(lang, "help"), lang)])
