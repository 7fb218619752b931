"""Articles as messages: search results, the newest, one summary; each article line written once."""

from __future__ import annotations

import html
from collections.abc import Sequence

from bot.render import strings
from bot.render.html import directed, ellipsize, esc, pack
from bot.render.replies import echo_query, render_lines
from bot.search.engine import SearchPage
from bot.search.query import MAX_TERMS
from bot.search.snippets import Snippet
from storage import Article

URL_SHOWN_CHARS = 200


def source_date(article: Article, lang: str) -> str:
    """`source · date` (the date in `lang`), escaped: the line under every title."""
    from bot.render import (
        dates,  # here, so that this function's change stays in this function
    )

    source = article.source or strings.text(lang, "source_unknown")
    return f"{esc(source)} · {esc(dates.day(article.date, lang))}"


def article_link(article: Article) -> str:
    """The article's link (its URL shortened as text), or its /summary_N command if it has none."""
    if article.url:
        return f'<a href="{html.escape(article.url)}">{esc(ellipsize(article.url, URL_SHOWN_CHARS))}</a>'
    return f"/summary_{article.id}"


def snippet_html(snippet: Snippet) -> str:
    """A snippet in Telegram HTML: escaped, matched words in <b>."""
    pieces, cursor = [], 0
    for start, end in snippet.marks:
        pieces.append(esc(snippet.text[cursor:start]) + "<b>" + esc(snippet.text[start:end]) + "</b>")
        cursor = end
    pieces.append(esc(snippet.text[cursor:]))
    return ("… " if snippet.cut_before else "") + "".join(pieces) + (" …" if snippet.cut_after else "")


def article_block(article: Article, sentences: Sequence[str], lang: str, number: int | None = None) -> list[str]:
    """Title, `source · date · /summary_N`, then `sentences`: one result in a list."""
    prefix = f"{number}. " if number is not None else ""
    lines = [f"{prefix}<b>{esc(article.title)}</b>",
             f"<i>{source_date(article, lang)} · /summary_{article.id}</i>"]
    lines += [esc(s) for s in sentences]
    return [directed(line, lang) for line in lines]


def render_search(page: SearchPage, shorts: dict[int, list[str]], lang: str) -> list[str]:
    query = echo_query(page.query.text)
    notes = []
    if page.query.truncated:
        notes.append(strings.text(lang, "search_truncated", count=MAX_TERMS))
    if page.query.ignored:
        notes.append(strings.text(lang, "search_ignored", filters=esc(" ".join(page.query.ignored))))
    if not page.hits:
        key = "search_none" if page.offset == 0 else "search_no_more"
        if page.suggestion:
            notes.append(strings.text(lang, "search_suggest", query=esc(page.suggestion)))
        return pack([render_lines("\n".join([strings.text(lang, key, query=query), *notes]), lang)])
    first, last = page.offset + 1, page.offset + len(page.hits)
    key = "search_header" if page.query.clauses else "search_newest_header"  # filters alone: the newest
    header = strings.text(lang, key, query=query, first=first, last=last, total=page.total)
    blocks = [render_lines("\n".join([header, *notes]), lang)]
    for number, hit in enumerate(page.hits, start=first):
        block = article_block(hit.article, shorts.get(hit.article.id, []), lang, number)
        if hit.snippet.text.strip("… ") not in " ".join(shorts.get(hit.article.id, [])):
            block.append(directed("🔎 " + snippet_html(hit.snippet), lang))
        blocks.append(block)
    return pack(blocks)


def render_latest(articles: Sequence[Article], shorts: dict[int, list[str]], lang: str) -> list[str]:
    if not articles:
        return pack([render_lines(strings.text(lang, "latest_none"), lang)])
    blocks = [render_lines(f"<b>{strings.text(lang, 'latest_header')}</b>", lang)]
    blocks += [article_block(a, shorts.get(a.id, []), lang, n) for n, a in enumerate(articles, start=1)]
    return pack(blocks)


ALSO_SHOWN = 5  # other outlets named under a summary


def render_summary(article: Article, sentences: Sequence[str], lang: str,
                   also_reported_by: Sequence[str] = ()) -> list[str]:
    header = [directed(f"<b>{esc(article.title)}</b>", lang), directed(f"<i>{source_date(article, lang)}</i>", lang)]
    body = [directed("• " + esc(s), lang) for s in sentences]
    link = [[directed(article_link(article), lang)]] if article.url else []
    also = []
    if also_reported_by:
        names = ("، " if lang == "ar" else ", ").join(esc(ellipsize(n, 60)) for n in also_reported_by[:ALSO_SHOWN])
        if len(also_reported_by) > ALSO_SHOWN:
            names += " …"
        also = [[directed("<i>" + strings.text(lang, "also_reported_by", sources=names) + "</i>", lang)]]
    return pack([header, body] + link + also)
