"""Every `callback_data` the bot puts on a button, built and strictly parsed in one place.

Telegram returns a button's data as sent, but anyone can forge a callback query, so a press
is only acted on when its data parses exactly (and the handler then checks it belongs to
the chat). Every format stays far below Telegram's 64 bytes.

* `pg:<query id>:<offset>`: a search result page.
* `al:<action>:<id>`: an alert's or a topic list's button (`more`: outbox id; the others: topic id).
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

_PAGE = re.compile(r"pg:([0-9]{1,12}):([0-9]{1,5})")
_ALERT = re.compile(r"al:(more|mute|pause|resume|rm):([1-9][0-9]{0,17})")


@dataclass(frozen=True, slots=True)
class PagePress:
    query_id: int
    offset: int


@dataclass(frozen=True, slots=True)
class AlertPress:
    action: str
    id: int


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


def parse_page(value: str | None) -> PagePress | None:
    """The page asked for, or None for anything the bot did not send."""
    match = _PAGE.fullmatch(value or "")
    return PagePress(int(match.group(1)), int(match.group(2))) if match else None


def parse_alert(value: str | None) -> AlertPress | None:
    """The alert button pressed, or None for anything the bot did not send."""
    match = _ALERT.fullmatch(value or "")
    return AlertPress(match.group(1), int(match.group(2))) if match else None
