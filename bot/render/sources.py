"""News sources as messages, for the bot's administrators."""

from __future__ import annotations

from collections.abc import Sequence

from bot.feeds.poller import Added
from bot.render import dates, strings
from bot.render.html import ellipsize, esc, pack
from bot.render.replies import render_lines
from bot.render.strings import counted
from storage import Source

ERROR_SHOWN_CHARS = 120


def _state(source: Source, lang: str) -> str:
    error = esc(ellipsize(source.last_error or "", ERROR_SHOWN_CHARS))
    if source.paused:
        return strings.text(lang, "sources_state_paused", error=error)
    if source.last_status == "failed":
        return strings.text(lang, "sources_state_failed", error=error)
    if source.last_status:
        return strings.text(lang, "sources_state_ok", status=esc(source.last_status),
                            when=esc(dates.moment(source.last_polled_at, lang)))
    return strings.text(lang, "sources_state_new")


def render_sources(sources: Sequence[Source], lang: str) -> list[str]:
    if not sources:
        return pack([render_lines(strings.text(lang, "sources_none"), lang)])
    lines = [f"<b>{strings.text(lang, 'sources_header', count=len(sources))}</b>"]
    lines += [strings.text(lang, "sources_line", id=s.id, name=esc(ellipsize(s.label, 80)),
                           articles=counted(lang, s.articles, "article"), state=_state(s, lang)) for s in sources]
    lines.append(strings.text(lang, "sources_footer"))
    return pack([render_lines("\n".join(lines), lang)])


def render_added(added: Added, lang: str) -> list[str]:
    name = esc(ellipsize(added.source.label, 80))
    if added.feed is None:
        return pack([render_lines(strings.text(lang, "addsource_exists", name=name, id=added.source.id), lang)])
    text = strings.text(lang, "addsource_added", name=name, entries=counted(lang, len(added.feed.entries), "entry"),
                        new=counted(lang, len(added.report.new) if added.report else 0, "new_article"))
    return pack([render_lines(text, lang)])


def render_refused(url: str, reason: str, lang: str) -> list[str]:
    return pack([render_lines(strings.text(lang, "addsource_refused", url=esc(ellipsize(url, 120)),
                                           reason=esc(reason)), lang)])


def render_paused(source: Source, lang: str) -> list[str]:
    text = strings.text(lang, "source_paused_notice", name=esc(ellipsize(source.label, 80)),
                        failures=source.failures, error=esc(ellipsize(source.last_error or "", ERROR_SHOWN_CHARS)),
                        url=esc(source.url))
    return pack([render_lines(text, lang)])
