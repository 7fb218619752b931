"""The bot's state for its administrators (`/stats`)."""

from __future__ import annotations

from bot.render import strings
from bot.render.html import ellipsize, esc, pack
from bot.render.replies import render_lines
from bot.render.strings import counted
from storage import StoreStats

ERROR_SHOWN_CHARS = 160


def render_stats(stats: StoreStats, lang: str) -> list[str]:
    body = strings.text(
        lang, "stats_body", articles=counted(lang, stats.articles, "article"),
        stories=counted(lang, stats.stories, "story"), sources=stats.sources,
        paused=stats.sources_paused, failing=stats.sources_failing, active=stats.chats_active,
        inactive=stats.chats_inactive, topics=stats.topics, sent=stats.outbox.get("sent", 0) + stats.outbox.get("digested", 0),
        pending=stats.outbox.get("pending", 0), parked=stats.outbox.get("parked", 0),
    )
    lines = [f"<b>{strings.text(lang, 'stats_header')}</b>", *body.split("\n")]
    if stats.recent_errors:
        lines.append(strings.text(lang, "stats_errors"))
        lines += ["• " + esc(ellipsize(error, ERROR_SHOWN_CHARS)) for error in stats.recent_errors]
    else:
        lines.append(strings.text(lang, "stats_no_errors"))
    return pack([render_lines("\n".join(lines), lang)])
