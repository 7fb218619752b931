"""Inline buttons of alerts and topic lists: callback_data within 64 bytes, parsed strictly."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import strings
from storage.alerts import Topic

PREFIX = "al:"
ACTIONS = ("more", "mute", "pause", "resume", "rm")
_DATA = re.compile(r"al:(more|mute|pause|resume|rm):([1-9][0-9]{0,17})")
_LABEL_CHARS = 24


@dataclass(frozen=True, slots=True)
class Press:
    action: str
    id: int


def data(action: str, item_id: int) -> str:
    value = f"{PREFIX}{action}:{item_id}"
    assert action in ACTIONS and len(value.encode()) <= 64
    return value


def parse(value: str | None) -> Press | None:
    """The button pressed, or None for anything we did not send (forged, stale format)."""
    match = _DATA.fullmatch(value or "")
    return Press(match.group(1), int(match.group(2))) if match else None


def _label(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 1] + "…"


def alert_keyboard(outbox_id: int, topics: Sequence[tuple[int, str]], lang: str) -> InlineKeyboardMarkup:
    """More like this, and one mute button per matched topic (at most three)."""
    rows = [[InlineKeyboardButton(strings.text(lang, "btn_more"), callback_data=data("more", outbox_id))]]
    for topic_id, query in topics[:3]:
        rows.append([InlineKeyboardButton(f"🔕 {_label(query)}", callback_data=data("mute", topic_id))])
    return InlineKeyboardMarkup(rows)


def topics_keyboard(topics: Sequence[Topic], lang: str) -> InlineKeyboardMarkup | None:
    """Per topic: pause or resume, and remove; labelled with the topic's number in the list."""
    if not topics:
        return None
    rows = []
    for number, topic in enumerate(topics, start=1):
        toggle = ("resume", "btn_resume") if topic.paused else ("pause", "btn_pause")
        rows.append([
            InlineKeyboardButton(strings.text(lang, toggle[1], n=number), callback_data=data(toggle[0], topic.id)),
            InlineKeyboardButton(strings.text(lang, "btn_remove", n=number), callback_data=data("rm", topic.id)),
        ])
    return InlineKeyboardMarkup(rows)
