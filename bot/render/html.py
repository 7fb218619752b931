"""Telegram HTML primitives: escaping, direction marks, shortening, splitting at 4096 units.

No project imports: everything that renders a message builds on these.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence

MESSAGE_LIMIT = 4096
RLM, LRM = "\u200f", "\u200e"
_TAG = re.compile(r"<[^>]*>")
# Where a piece of plain text may be cut: after a sentence end (Arabic and Latin) and a space.
_SENTENCE_END = re.compile(r"(?<=[.!?؟…])\s+")


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
    units = [unit for unit in _SENTENCE_END.split(value) if unit] or [value]
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




def ellipsize(text: str, limit: int) -> str:
    """Whitespace collapsed, and cut to `limit` characters with "…" if longer (plain text)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
