"""Short replies from the catalogue (bot/render/strings.py), laid out line by line."""

from __future__ import annotations

from bot.render import strings
from bot.render.html import directed, ellipsize, esc, pack

QUERY_ECHO_CHARS = 80


def echo_query(query: str) -> str:
    """A user's query, shortened and escaped, to quote back at them."""
    return esc(ellipsize(query, QUERY_ECHO_CHARS))


def render_lines(html_lines: str, lang: str) -> list[str]:
    """Each line of `html_lines` with its direction mark."""
    return [directed(line, lang) for line in html_lines.split("\n")]


def render_text(lang: str, key: str, **values: object) -> list[str]:
    """The catalogue's text `key` in `lang`, `values` filled in (escape them first)."""
    return pack([render_lines(strings.text(lang, key, **values), lang)])


def render_welcome(lang: str) -> list[str]:
    """The greeting and the command list, as one message."""
    return pack([render_lines(strings.text(lang, "welcome"), lang), render_lines(strings.text(lang, "help"), lang)])
