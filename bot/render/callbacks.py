"""Every `callback_data` the bot puts on a button, built and strictly parsed in one place.

Telegram returns a button's data as sent, but anyone can forge a callback query, so a press
is only acted on when its data parses exactly (and the handler then checks it belongs to
the chat). Every format stays far below Telegram's 64 bytes.

* `pg:<query id>:<offset>`: a search result page.
* `al:<action>:<id>`: an alert's or a topic list's button (`more`: outbox id; the others: topic id).
* `lg:<ar|en|auto>`: a /language button (`auto`: follow the user's Telegram language).
* `av:<action>:<article id>[:<sentences>]`: the article view's buttons (`len` takes the summary
  length asked for; `full`, `like`, `sub` take none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 64
PAGE_PREFIX = "pg:"
ALERT_PREFIX = "al:"
ALERT_ACTIONS = ("more", "mute", "pause", "resume", "rm")
# Patterns for the application's handler registration (routing by prefix).
PAGE_PATTERN = r"^pg:"
ALERT_PATTERN = r"^al:"
LANGUAGE_PREFIX = "lg:"
LANGUAGE_CHOICES = ("ar", "en", "auto")
LANGUAGE_PATTERN = r"^lg:"
ARTICLE_PREFIX = "av:"
ARTICLE_ACTIONS = ("len", "full", "like", "sub")
ARTICLE_PATTERN = r"^av:"

_PAGE = re.compile(r"pg:([0-9]{1,12}):([0-9]{1,5})")
_ALERT = re.compile(r"al:(more|mute|pause|resume|rm):([1-9][0-9]{0,17})")
_LANGUAGE = re.compile(r"lg:(ar|en|auto)")
_ARTICLE = re.compile(r"av:(?:(len):([1-9][0-9]{0,17}):([1-9][0-9]?)|(full|like|sub):([1-9][0-9]{0,17}))")


@dataclass(frozen=True, slots=True)
class PagePress:
    query_id: int
    offset: int


@dataclass(frozen=True, slots=True)
class AlertPress:
    action: str
    id: int


@dataclass(frozen=True, slots=True)
class ArticlePress:
    action: str
    id: int
    level: int | None = None  # `len` only: the number of summary sentences asked for


def _checked(value: str) -> str:
    if len(value.encode()) > MAX_BYTES:
        raise ValueError(f"callback_data over {MAX_BYTES} bytes: {value!r}")
    return value


def page(query_id: int, offset: int) -> str:
    return _checked(f"{PAGE_PREFIX}{query_id}:{offset}")


def alert(action: str, item_id: int) -> str:
    if action not in ALERT_ACTIONS:
        raise ValueError(f"unknown alert button action {action!r}")
    return _checked(f"{ALERT_PREFIX}{action}:{item_id}")


def article(action: str, article_id: int, level: int | None = None) -> str:
    if action not in ARTICLE_ACTIONS or (level is None) != (action != "len"):
        raise ValueError(f"bad article button {action!r} {level!r}")
    return _checked(f"{ARTICLE_PREFIX}{action}:{article_id}" + (f":{level}" if level is not None else ""))


def parse_page(value: str | None) -> PagePress | None:
    """The page asked for, or None for anything the bot did not send."""
    match = _PAGE.fullmatch(value or "")
    return PagePress(int(match.group(1)), int(match.group(2))) if match else None


def parse_alert(value: str | None) -> AlertPress | None:
    """The alert button pressed, or None for anything the bot did not send."""
    match = _ALERT.fullmatch(value or "")
    return AlertPress(match.group(1), int(match.group(2))) if match else None


def parse_article(value: str | None) -> ArticlePress | None:
    """The article view button pressed, or None for anything the bot did not send."""
    match = _ARTICLE.fullmatch(value or "")
    if match is None:
        return None
    if match.group(1):
        return ArticlePress("len", int(match.group(2)), int(match.group(3)))
    return ArticlePress(match.group(4), int(match.group(5)))


def language(choice: str) -> str:
    if choice not in LANGUAGE_CHOICES:
        raise ValueError(f"unknown language button {choice!r}")
    return _checked(f"{LANGUAGE_PREFIX}{choice}")


def parse_language(value: str | None) -> str | None:
    """`ar`, `en` or `auto` as pressed, or None for anything the bot did not send."""
    match = _LANGUAGE.fullmatch(value or "")
    return match.group(1) if match else None
