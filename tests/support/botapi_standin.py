"""A local stand-in for the Telegram Bot API, for end-to-end tests.

It runs a small HTTP server on 127.0.0.1 (ephemeral port) in background threads and
speaks the Bot API wire protocol closely enough for python-telegram-bot (PTB) 22:

* URL layout ``{base}/bot<TOKEN>/<method>``; parameters from the query string and from a
  JSON, ``application/x-www-form-urlencoded`` or ``multipart/form-data`` body.  PTB 22
  (``HTTPXRequest``) sends ``RequestData.json_parameters`` as httpx ``data=`` (urlencoded)
  and switches to multipart only when files are uploaded.  Non-string values (ints, bools,
  reply_markup, commands, ...) arrive JSON-encoded as strings and are decoded here.
* Responses ``{"ok": true, "result": ...}`` or
  ``{"ok": false, "error_code": N, "description": "...", "parameters": {...}}`` with the
  matching HTTP status, so PTB raises the same exception types as against Telegram
  (BadRequest, Forbidden, RetryAfter, ChatMigrated, Conflict, InvalidToken, ...).

It validates requests the way Telegram does (HTML entity parsing after tdlib's parser,
text length in UTF-16 code units, inline keyboards, callback_data bytes, known chats, flood
limits) so that bot bugs surface in tests.  Where Telegram is more lenient than its own
documentation (bare ``&`` / ``>`` in HTML, buttons with several action fields), the stand-in
follows the documentation by default (``strict=True``); such rejections say "(stand-in
strict mode)" in their description.

Everything is in-memory and thread-safe; see :class:`StandInBotAPI`.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import math
import re
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field, fields
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

__all__ = [
    "StandInBotAPI",
    "SentMessage",
    "CallRecord",
    "RateLimitRecord",
    "ApiError",
    "parse_html",
    "parse_markdown_v2",
    "parse_markdown",
    "utf16_len",
]

MAX_TEXT_UTF16 = 4096
MAX_CAPTION_UTF16 = 1024
MAX_CALLBACK_ANSWER_UTF16 = 200
MAX_INLINE_RESULTS = 50
MAX_KEYBOARD_BUTTONS = 100

# Update types delivered when allowed_updates is empty/never set (Telegram's default).
DEFAULT_ALLOWED_UPDATES = frozenset(
    {
        "message", "edited_message", "channel_post", "edited_channel_post",
        "business_connection", "business_message", "edited_business_message",
        "deleted_business_messages", "inline_query", "chosen_inline_result",
        "callback_query", "shipping_query", "pre_checkout_query", "purchased_paid_media",
        "poll", "poll_answer", "my_chat_member", "chat_join_request", "chat_boost",
        "removed_chat_boost",
    }
)
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

INLINE_BUTTON_ACTIONS = (
    "url", "callback_data", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
    "callback_game", "pay",
)
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice",
        "upload_voice", "upload_document", "choose_sticker", "find_location",
        "record_video_note", "upload_video_note",
    }
)
SEND_METHODS = frozenset({"sendMessage", "sendPhoto"})  # count towards flood limits
GROUP_TYPES = frozenset({"group", "supergroup", "channel"})

_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_TOKEN_RE = re.compile(r"\d+:[A-Za-z0-9_-]+")
_LEADING_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,64})?")


# --------------------------------------------------------------------------------------
# errors / helpers
# --------------------------------------------------------------------------------------
class ApiError(Exception):
    """An error response of the Bot API."""

    def __init__(self, error_code: int, description: str, parameters: dict | None = None):
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict:
        out: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            out["parameters"] = self.parameters
        return out


def _bad(description: str) -> ApiError:
    return ApiError(400, "Bad Request: " + description)


def _entities_error(description: str) -> ApiError:
    return _bad("can't parse entities: " + description)


def utf16_len(s: str) -> int:
    """Length in UTF-16 code units, the unit Telegram uses for limits and entity offsets."""
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


def _byte_offset(s: str, i: int) -> int:
    return len(s[:i].encode("utf-8", "surrogatepass"))


def _is_space(c: str) -> bool:  # tdlib's is_space (NUL handled by bounds checks)
    return c in " \t\r\n\v\0"


# --------------------------------------------------------------------------------------
# HTML parse mode (port of tdlib's parse_html, plus documented-but-unenforced strictness)
# --------------------------------------------------------------------------------------
_HTML_TAGS = frozenset(
    {"a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler",
     "tg-emoji", "span", "pre", "code", "blockquote"}
)
_SIMPLE_TAG_TYPES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
    "del": "strikethrough", "tg-spoiler": "spoiler", "span": "spoiler",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def _decode_html_entity(s: str, pos: int, strict: bool) -> tuple[str | None, int]:
    """tdlib's decode_html_entity. Returns (char or None, position after the entity)."""
    n = len(s)
    end = pos + 1
    if end < n and s[end] == "#":
        end += 1
        res = 0
        if end < n and s[end] == "x":
            end += 1
            start = end
            while end < n and s[end] in "0123456789abcdefABCDEF":
                res = res * 16 + int(s[end], 16)
                end += 1
                if res >= 0x10FFFF:
                    return None, pos
        else:
            start = end
            while end < n and s[end].isascii() and s[end].isdigit():
                res = res * 10 + int(s[end])
                end += 1
                if res >= 0x10FFFF:
                    return None, pos
        if end == start or res == 0 or res >= 0x10FFFF or end - pos >= 10:
            return None, pos
        if 0xD800 <= res <= 0xDFFF:
            return None, pos
        ch = chr(res)
    else:
        while end < n and s[end].isascii() and s[end].isalpha():
            end += 1
        name = s[pos + 1 : end]
        if name not in _NAMED_ENTITIES:
            return None, pos
        ch = _NAMED_ENTITIES[name]
    if end < n and s[end] == ";":
        return ch, end + 1
    if strict:  # tdlib accepts "&lt" without ';' -- HTML/our docs do not
        return None, pos
    return ch, end


def parse_html(text: str, *, strict: bool = True) -> tuple[str, list[dict]]:
    """Parse Telegram HTML into (plain text, entities with UTF-16 offsets).

    Raises ApiError(400, "Bad Request: can't parse entities: ...") like Telegram.
    """
    out: list[str] = []
    utf16 = 0
    nested: list[dict] = []
    entities: list[dict] = []
    n = len(text)
    i = 0
    while i < n:
        c = text[i]
        if c == "&":
            ch, j = _decode_html_entity(text, i, strict)
            if ch is not None:
                out.append(ch)
                utf16 += utf16_len(ch)
                i = j
                continue
            if strict:
                raise _entities_error(
                    f'Unescaped "&" at byte offset {_byte_offset(text, i)}; use "&amp;" '
                    "(stand-in strict mode)"
                )
        if c == ">" and strict:
            raise _entities_error(
                f'Unescaped ">" at byte offset {_byte_offset(text, i)}; use "&gt;" '
                "(stand-in strict mode)"
            )
        if c != "<":
            out.append(c)
            utf16 += utf16_len(c)
            i += 1
            continue

        begin = i
        i += 1
        if i >= n or text[i] != "/":
            # start tag
            while i < n and not _is_space(text[i]) and text[i] != ">":
                i += 1
            if i >= n:
                raise _entities_error(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
            tag = text[begin + 1 : i].lower()
            if tag not in _HTML_TAGS:
                raise _entities_error(
                    f'Unsupported start tag "{tag}" at byte offset {_byte_offset(text, begin)}'
                )
            argument = ""
            while i < n and text[i] != ">":
                while i < n and _is_space(text[i]):
                    i += 1
                if i < n and text[i] == ">":
                    break
                attr_begin = i
                while i < n and not _is_space(text[i]) and text[i] not in "=>":
                    i += 1
                attr_name = text[attr_begin:i]
                if not attr_name:
                    raise _entities_error(
                        f'Empty attribute name in the tag "{tag}" at byte offset '
                        f"{_byte_offset(text, begin)}"
                    )
                while i < n and _is_space(text[i]):
                    i += 1
                if tag == "blockquote" and attr_name == "expandable" and (
                    i >= n or text[i] != "="
                ):  # documented boolean attribute: <blockquote expandable>
                    argument = "1"
                    continue
                if i >= n or text[i] != "=":
                    raise _entities_error(
                        f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                        f"at byte offset {_byte_offset(text, begin)}"
                    )
                i += 1
                while i < n and _is_space(text[i]):
                    i += 1
                if i >= n:
                    raise _entities_error(
                        f'Unclosed start tag "{tag}" at byte offset {_byte_offset(text, begin)}'
                    )
                if text[i] not in "'\"":
                    token_begin = i
                    while i < n and (
                        (text[i].isascii() and text[i].isalnum()) or text[i] in ".-"
                    ):
                        i += 1
                    value = text[token_begin:i].lower()
                    if i < n and not _is_space(text[i]) and text[i] != ">":
                        raise _entities_error(
                            f"Unexpected end of name token at byte offset "
                            f"{_byte_offset(text, token_begin)}"
                        )
                else:
                    quote = text[i]
                    i += 1
                    chars: list[str] = []
                    while i < n and text[i] != quote:
                        if text[i] == "&":
                            ch, j = _decode_html_entity(text, i, False)
                            if ch is not None:
                                chars.append(ch)
                                i = j
                                continue
                        chars.append(text[i])
                        i += 1
                    if i < n and text[i] == quote:
                        i += 1
                    value = "".join(chars)
                if i >= n:
                    raise _entities_error(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
                if tag == "a" and attr_name == "href":
                    argument = value
                elif tag == "code" and attr_name == "class" and value.startswith("language-"):
                    argument = value[len("language-") :]
                elif tag == "span" and attr_name == "class" and value.startswith("tg-"):
                    argument = value[len("tg-") :]
                elif tag == "tg-emoji" and attr_name == "emoji-id":
                    argument = value
                elif tag == "blockquote" and attr_name == "expandable":
                    argument = "1"
            if i >= n:
                raise _entities_error(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
            if tag == "span" and argument != "spoiler":
                raise _entities_error(
                    f'Tag "span" must have class "tg-spoiler" at byte offset '
                    f"{_byte_offset(text, begin)}"
                )
            nested.append(
                {"tag": tag, "argument": argument, "offset": utf16, "out_pos": len(out)}
            )
            i += 1  # skip '>'
            continue

        # end tag
        if not nested:
            raise _entities_error(f"Unexpected end tag at byte offset {_byte_offset(text, begin)}")
        while i < n and not _is_space(text[i]) and text[i] != ">":
            i += 1
        end_name = text[begin + 2 : i]
        while i < n and _is_space(text[i]):
            i += 1
        if i >= n or text[i] != ">":
            raise _entities_error(f"Unclosed end tag at byte offset {_byte_offset(text, begin)}")
        top = nested[-1]
        if end_name and end_name.lower() != top["tag"]:
            raise _entities_error(
                f"Unmatched end tag at byte offset {_byte_offset(text, begin)}, "
                f'expected "</{top["tag"]}>", found "</{end_name}>"'
            )
        nested.pop()
        i += 1
        offset, length = top["offset"], utf16 - top["offset"]
        if length <= 0:
            continue
        tag, arg = top["tag"], top["argument"]
        if tag in _SIMPLE_TAG_TYPES:
            entities.append({"type": _SIMPLE_TAG_TYPES[tag], "offset": offset, "length": length})
        elif tag == "a":
            url = arg or "".join(out[top["out_pos"] :])
            if _valid_link(url):
                entities.append({"type": "text_link", "offset": offset, "length": length, "url": url})
        elif tag == "pre":
            last = entities[-1] if entities else None
            if (
                last and last["type"] == "code" and last["offset"] == offset
                and last["length"] == length and last.get("language")
            ):
                last["type"] = "pre"
            else:
                entities.append({"type": "pre", "offset": offset, "length": length})
        elif tag == "code":
            last = entities[-1] if entities else None
            if (
                last and last["type"] == "pre" and last["offset"] == offset
                and last["length"] == length and arg
            ):
                last["language"] = arg
            else:
                ent = {"type": "code", "offset": offset, "length": length}
                if arg:
                    ent["language"] = arg
                entities.append(ent)
        elif tag == "tg-emoji":
            if not arg.isdigit() or int(arg) == 0:
                raise _entities_error("Invalid custom emoji identifier specified")
            entities.append(
                {"type": "custom_emoji", "offset": offset, "length": length, "custom_emoji_id": arg}
            )
        elif tag == "blockquote":
            entities.append(
                {"type": "expandable_blockquote" if arg else "blockquote",
                 "offset": offset, "length": length}
            )
    if nested:
        raise _entities_error(
            f'Can\'t find end tag corresponding to start tag "{nested[-1]["tag"]}"'
        )
    # a lone "code" with a language that is not inside <pre> is plain code
    for ent in entities:
        if ent["type"] == "code":
            ent.pop("language", None)
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _valid_link(url: str) -> bool:
    parts = urlsplit(url.strip())
    if parts.scheme.lower() in ("http", "https", "ftp"):
        return bool(parts.netloc)
    if parts.scheme.lower() in ("tg", "ton"):
        return True
    if not parts.scheme and url and "." in url.split("/")[0]:  # "example.com/x"
        return True
    return False


# --------------------------------------------------------------------------------------
# MarkdownV2 (port of tdlib's parse_markdown_v2, simplified blockquotes) and legacy Markdown
# --------------------------------------------------------------------------------------
_MDV2_RESERVED = "_*[]()~`>#+-=|{}.!"
_MDV2_TYPE_NAMES = {
    "bold": "Bold", "italic": "Italic", "underline": "Underline",
    "strikethrough": "Strikethrough", "spoiler": "Spoiler", "code": "Code", "pre": "Pre",
    "pre_code": "PreCode", "text_link": "TextUrl", "custom_emoji": "CustomEmoji",
}


def _reserved_error(c: str) -> ApiError:
    return _entities_error(f"Character '{c}' is reserved and must be escaped with the preceding '\\'")


def parse_markdown_v2(text: str) -> tuple[str, list[dict]]:
    out: list[str] = []
    utf16 = 0
    nested: list[dict] = []
    entities: list[dict] = []
    n = len(text)

    def at(k: int) -> str:
        return text[k] if 0 <= k < n else ""

    quote_start: int | None = None
    i = 0
    while i < n:
        c = text[i]
        line_start = i == 0 or text[i - 1] == "\n"
        if c == "\\" and at(i + 1) and 0 < ord(at(i + 1)) <= 126:
            out.append(text[i + 1])
            utf16 += 1
            i += 2
            continue
        if line_start and not nested:
            if c == ">" or (c == "*" and at(i + 1) == "*" and at(i + 2) == ">"):
                if quote_start is None:
                    quote_start = utf16
                i += 1 if c == ">" else 3
                continue
            if quote_start is not None:  # the quoted block ended on the previous line
                end = utf16 - 1 if out and out[-1] == "\n" else utf16
                if end > quote_start:
                    entities.append({"type": "blockquote", "offset": quote_start, "length": end - quote_start})
                quote_start = None
        reserved = _MDV2_RESERVED
        if nested and nested[-1]["type"] in ("code", "pre", "pre_code"):
            reserved = "`"
        if c not in reserved:
            out.append(c)
            utf16 += utf16_len(c)
            i += 1
            continue
        is_end = False
        if nested:
            t = nested[-1]["type"]
            is_end = (
                (t == "bold" and c == "*")
                or (t == "italic" and c == "_" and at(i + 1) != "_")
                or (t == "code" and c == "`")
                or (t in ("pre", "pre_code") and c == "`" and at(i + 1) == "`" and at(i + 2) == "`")
                or (t in ("text_link", "custom_emoji") and c == "]")
                or (t == "underline" and c == "_" and at(i + 1) == "_")
                or (t == "strikethrough" and c == "~")
                or (t == "spoiler" and c == "|" and at(i + 1) == "|")
            )
        if not is_end:
            byte_off = _byte_offset(text, i)
            argument = ""
            if c == "_":
                if at(i + 1) == "_":
                    t, i = "underline", i + 1
                else:
                    t = "italic"
            elif c == "*":
                t = "bold"
            elif c == "~":
                t = "strikethrough"
            elif c == "|":
                if at(i + 1) != "|":
                    raise _reserved_error(c)
                t, i = "spoiler", i + 1
            elif c == "[":
                t = "text_link"
            elif c == "`":
                if at(i + 1) == "`" and at(i + 2) == "`":
                    i += 3
                    t = "pre"
                    lang_end = i
                    while lang_end < n and not _is_space(text[lang_end]) and text[lang_end] != "`":
                        lang_end += 1
                    if i != lang_end and lang_end < n and text[lang_end] != "`":
                        t, argument, i = "pre_code", text[i:lang_end], lang_end
                    if at(i) in ("\n", "\r"):
                        i += 2 if at(i + 1) in ("\n", "\r") and at(i + 1) != at(i) else 1
                    i -= 1
                else:
                    t = "code"
            elif c == "!":
                if at(i + 1) != "[":
                    raise _reserved_error(c)
                t, i = "custom_emoji", i + 1
            else:
                raise _reserved_error(c)
            nested.append({"type": t, "argument": argument, "offset": utf16, "byte": byte_off,
                           "out_pos": len(out)})
            i += 1
            continue
        top = nested.pop()
        t = top["type"]
        ent: dict | None = {"type": t if t != "pre_code" else "pre", "offset": top["offset"],
                            "length": utf16 - top["offset"]}
        if t == "pre_code":
            ent["language"] = top["argument"]
        if t in ("underline", "spoiler"):
            i += 1
        elif t in ("pre", "pre_code"):
            i += 2
        elif t in ("text_link", "custom_emoji"):
            if at(i + 1) != "(":
                if t == "custom_emoji":
                    raise _entities_error("Custom emoji entity must contain a tg://emoji URL")
                url = "".join(out[top["out_pos"] :])
            else:
                i += 2
                url_begin = i
                url_chars: list[str] = []
                while i < n and text[i] != ")":
                    if text[i] == "\\" and at(i + 1) and 0 < ord(at(i + 1)) <= 126:
                        url_chars.append(text[i + 1])
                        i += 2
                        continue
                    url_chars.append(text[i])
                    i += 1
                if at(i) != ")":
                    raise _entities_error(
                        f"Can't find end of a URL at byte offset {_byte_offset(text, url_begin)}"
                    )
                url = "".join(url_chars)
            if t == "custom_emoji":
                m = re.fullmatch(r"tg://emoji\?id=(\d+)", url)
                if not m:
                    raise _entities_error("Custom emoji URL must have an emoji identifier")
                ent["custom_emoji_id"] = m.group(1)
            elif _valid_link(url):
                ent["url"] = url
            else:
                ent = None
        i += 1
        if ent is not None and ent["length"] > 0:
            entities.append(ent)
    if nested:
        top = nested[-1]
        raise _entities_error(
            f"Can't find end of {_MDV2_TYPE_NAMES[top['type']]} entity at byte offset {top['byte']}"
        )
    if quote_start is not None and utf16 > quote_start:
        entities.append({"type": "blockquote", "offset": quote_start, "length": utf16 - quote_start})
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def parse_markdown(text: str) -> tuple[str, list[dict]]:
    """Legacy Markdown (tdlib's parse_markdown, simplified)."""
    out: list[str] = []
    entities: list[dict] = []
    utf16 = 0
    n = len(text)
    i = 0
    types = {"*": "bold", "_": "italic", "`": "code", "[": "text_link"}
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in "_*`[":
            out.append(text[i + 1])
            utf16 += 1
            i += 2
            continue
        if c not in types:
            out.append(c)
            utf16 += utf16_len(c)
            i += 1
            continue
        begin = i
        end_char = "]" if c == "[" else c
        is_pre = c == "`" and text[i + 1 : i + 3] == "``"
        i += 3 if is_pre else 1
        start_utf16, start_out = utf16, len(out)
        while i < n and (text[i] != end_char or (is_pre and text[i + 1 : i + 3] != "``")):
            out.append(text[i])
            utf16 += utf16_len(text[i])
            i += 1
        if i >= n:
            raise _entities_error(
                f"Can't find end of the entity starting at byte offset {_byte_offset(text, begin)}"
            )
        if is_pre:
            i += 2
        ent: dict | None = {"type": "pre" if is_pre else types[c], "offset": start_utf16,
                            "length": utf16 - start_utf16}
        if c == "[":
            if text[i + 1 : i + 2] == "(":
                close = text.find(")", i + 2)
                if close < 0:
                    close = n
                url = text[i + 2 : close]
                i = close
            else:
                url = "".join(out[start_out:])
            if _valid_link(url):
                ent["url"] = url
            else:
                ent = None
        i += 1
        if ent and ent["length"] > 0:
            entities.append(ent)
    return "".join(out), entities


def _trim(text: str, entities: list[dict]) -> tuple[str, list[dict]]:
    """Telegram strips leading/trailing whitespace of message texts; shift entities."""
    stripped_left = text.lstrip()
    lead = utf16_len(text[: len(text) - len(stripped_left)])
    result = stripped_left.rstrip()
    total = utf16_len(result)
    fixed = []
    for ent in entities:
        start = max(0, ent["offset"] - lead)
        end = min(total, ent["offset"] + ent["length"] - lead)
        if end > start:
            fixed.append({**ent, "offset": start, "length": end - start})
    return result, fixed


# --------------------------------------------------------------------------------------
# records
# --------------------------------------------------------------------------------------
class _RecordAccess:
    """Records are dataclasses that can also be read like dicts: rec.text == rec["text"]."""

    def __getitem__(self, key: str) -> Any:
        if key not in self.keys():
            raise KeyError(key)
        return getattr(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key, default) if key in self.keys() else default

    def __contains__(self, key: object) -> bool:
        return key in self.keys()

    def keys(self) -> list[str]:
        return [f.name for f in fields(self)] + list(getattr(self, "_extra_keys", ()))  # type: ignore[arg-type]

    def to_dict(self) -> dict:
        return {k: self[k] for k in self.keys()}


@dataclass
class SentMessage(_RecordAccess):
    """One message the bot sent (or edited) that the stand-in accepted."""

    method: str
    chat_id: int
    message_id: int
    text: str | None  # raw text/caption as the bot sent it (markup included)
    parse_mode: str | None
    reply_markup: dict | None
    plain_text: str  # text after entity parsing, as a user would see it
    entities: list[dict]
    time: float  # time.monotonic() when accepted
    params: dict = field(default_factory=dict)

    @property
    def is_edit(self) -> bool:
        return self.method.startswith("edit")

    def buttons(self) -> list[dict]:
        """All inline keyboard buttons, flattened."""
        if not self.reply_markup or "inline_keyboard" not in self.reply_markup:
            return []
        return [b for row in self.reply_markup["inline_keyboard"] for b in row]


@dataclass
class CallRecord(_RecordAccess):
    """One API call, accepted or rejected (``error`` is the description when rejected)."""

    _extra_keys = ("error", "chat_id")

    method: str
    params: dict
    ok: bool
    error_code: int | None
    description: str | None
    time: float
    result: Any = None
    parameters: dict | None = None
    abandoned: bool = False  # the client hung up before the answer (e.g. a cancelled long poll)

    @property
    def error(self) -> str | None:
        return None if self.ok else self.description

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")


@dataclass
class RateLimitRecord(_RecordAccess):
    """A 429 the stand-in issued because a flood limit was exceeded."""

    method: str
    chat_id: int
    retry_after: int
    limit: str  # "private", "group" or "overall"
    time: float


@dataclass
class _Fault:
    method: str
    chat_id: Any
    error: ApiError
    times: int


@dataclass
class _Delay:
    method: str
    chat_id: Any
    seconds: float
    deliver: bool
    times: int


class _ClientGone(Exception):
    """The HTTP client disconnected while its request was pending."""


class _Bucket:
    """Leaky bucket (same semantics as aiolimiter.AsyncLimiter used by PTB's AIORateLimiter)."""

    def __init__(self, capacity: float, per_second: float):
        self.capacity = capacity
        self.per_second = per_second
        self.level = 0.0
        self.t = 0.0

    def level_at(self, now: float) -> float:
        return max(0.0, self.level - (now - self.t) * self.per_second)

    def wait_needed(self, now: float, slack: float) -> float:
        excess = self.level_at(now + slack) + 1.0 - self.capacity
        return 0.0 if excess <= 1e-9 else excess / self.per_second

    def take(self, now: float) -> None:
        self.level = self.level_at(now) + 1.0
        self.t = now


# --------------------------------------------------------------------------------------
# the stand-in
# --------------------------------------------------------------------------------------
_METHODS = [
    "getMe", "getUpdates", "deleteWebhook", "setWebhook", "getWebhookInfo", "logOut", "close",
    "setMyCommands", "getMyCommands", "deleteMyCommands", "sendMessage", "sendPhoto",
    "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery", "answerInlineQuery",
    "sendChatAction", "deleteMessage", "getChat", "getChatMember", "getChatAdministrators",
]
_CANONICAL = {m.lower(): m for m in _METHODS}


class StandInBotAPI:
    """In-process fake Telegram Bot API server enforcing Telegram's limits.

    Use as a context manager (or ``start()``/``stop()``); point PTB at ``base_url``.

    Inject:  push_message, push_callback_query, push_update, add_chat.
    Read:    sent / messages_for / wait_for_messages / await_messages (SentMessage records),
             calls / errors / wait_for_call (CallRecord), rate_limited (RateLimitRecord),
             commands / commands_by_scope / commands_for, callback_answers, inline_answers,
             chat_actions, message(chat_id, message_id), pending_updates, polls_waiting, webhook,
             accepted_times / max_rate_observed.
    Faults:  fail_next, delay_next, block / unblock, migrate_chat.
    Records are dataclasses that also support rec["field"] / rec.get("field").
    Flood limits are leaky buckets (like aiolimiter / PTB's AIORateLimiter): private chats
    ``private_burst`` capacity refilled at ``private_rate``; groups/supergroups/channels
    capacity n refilled at n/period; overall likewise.  Only sendMessage/sendPhoto count;
    ``rate_slack`` seconds of clock jitter are forgiven.  Pass ``None`` to disable a limit.
    """

    def __init__(
        self,
        token: str = "123456:TEST-token",
        *,
        private_rate: tuple[int, float] | None = (1, 1.0),
        private_burst: int = 3,
        group_rate: tuple[int, float] | None = (20, 60.0),
        overall_rate: tuple[int, float] | None = (30, 1.0),
        rate_slack: float = 0.05,
        bot_username: str = "StandInNewsBot",
        bot_first_name: str = "NewsBot",
        strict: bool = True,
    ):
        if not _TOKEN_RE.fullmatch(token):
            raise ValueError(f"malformed bot token {token!r}")
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.strict = strict
        self.private_rate = private_rate
        self.private_burst = private_burst
        self.group_rate = group_rate
        self.overall_rate = overall_rate
        self.rate_slack = rate_slack

        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

        self._update_ids = itertools.count(100_000_001)
        self._pending: deque[dict] = deque()
        self._allowed_updates: frozenset[str] = DEFAULT_ALLOWED_UPDATES
        self._poll_generation = 0
        self._webhook: dict | None = None
        self._chats: dict[int, dict] = {}
        self._users: dict[int, dict] = {}
        self._next_message_id: dict[int, int] = {}
        self._messages: dict[tuple[int, int], dict] = {}  # (chat_id, message_id) -> Message
        self._callback_queries: dict[str, dict] = {}
        self._callback_answers: list[dict] = []
        self._inline_queries: dict[str, dict] = {}
        self._inline_answers: list[dict] = []
        self._chat_actions: list[dict] = []
        self._commands: dict[tuple[str, str], list[dict]] = {}
        self._sent: list[SentMessage] = []
        self._calls: list[CallRecord] = []
        self._rate_limited: list[RateLimitRecord] = []
        self._faults: list[_Fault] = []
        self._delays: list[_Delay] = []
        self._blocked: dict[int, str] = {}
        self._migrated: dict[int, int] = {}
        self._admins: dict[int, dict[int, str]] = {}  # chat_id -> {user_id: "creator"|"administrator"}
        self._buckets: dict[tuple[str, int], _Bucket] = {}
        self._callback_ids = itertools.count(4_000_000_001)
        self._connections: set = set()
        self._revoked = False  # revoke_token(): every call is answered 401 from then on
        self._polls_waiting = 0  # getUpdates calls being held open right now

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> StandInBotAPI:
        if self._server is not None:
            return self
        self._stopping.clear()
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.standin = self  # type: ignore[attr-defined]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05},
            name="StandInBotAPI", daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        with self._cond:
            self._cond.notify_all()
        server.shutdown()
        server.server_close()
        with self._lock:  # drop keep-alive connections so clients see the server is gone
            connections = list(self._connections)
        for sock in connections:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> StandInBotAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("StandInBotAPI is not running")
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)`` / ``Bot(base_url=...)``; PTB appends the token."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def api_url(self) -> str:
        """Full method prefix: ``{api_url}/getMe``."""
        return f"{self.base_url}{self.token}"

    # ------------------------------------------------------------------ users/chats
    def _user(self, user_id: int, *, language_code: str | None, username: str | None) -> dict:
        user = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self._users[user_id] = user
        return user

    def _register_chat(self, chat: dict) -> None:
        cid = int(chat["id"])
        known = self._chats.get(cid, {})
        self._chats[cid] = {**known, **chat}

    def _register_from_update(self, obj: Any) -> None:
        """Register every chat / callback / inline query id found inside an update."""
        if isinstance(obj, dict):
            chat = obj.get("chat")
            if isinstance(chat, dict) and "id" in chat and "type" in chat:
                self._register_chat(chat)
            mid = obj.get("message_id")
            if isinstance(chat, dict) and isinstance(mid, int):
                key = (int(chat["id"]), mid)
                self._messages.setdefault(key, obj)
                self._next_message_id[key[0]] = max(self._next_message_id.get(key[0], 1), mid + 1)
            for value in obj.values():
                self._register_from_update(value)
        elif isinstance(obj, list):
            for value in obj:
                self._register_from_update(value)

    def _new_message_id(self, chat_id: int) -> int:
        mid = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = mid + 1
        return mid

    def add_chat(self, chat_id: int, chat_type: str = "private", *, title: str | None = None,
                 username: str | None = None) -> dict:
        """Make a chat known without an update (e.g. a group the bot was added to)."""
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = f"User{chat_id}"
        else:
            chat["title"] = title or f"Chat {chat_id}"
        if username:
            chat["username"] = username
        with self._cond:
            self._register_chat(chat)
        return chat

    # ------------------------------------------------------------------ injecting updates
    def push_update(self, update: dict) -> int:
        """Queue a raw update dict (update_id is assigned if missing). Returns update_id."""
        with self._cond:
            update = dict(update)
            if "update_id" not in update:
                update["update_id"] = next(self._update_ids)
            self._register_from_update(update)
            if isinstance(update.get("callback_query"), dict):
                cq = update["callback_query"]
                self._callback_queries[str(cq["id"])] = {"query": cq, "answered": False}
            if isinstance(update.get("inline_query"), dict):
                iq = update["inline_query"]
                self._inline_queries[str(iq["id"])] = {"query": iq, "answered": False}
            self._pending.append(update)
            self._cond.notify_all()
            return update["update_id"]

    def take_updates(self) -> list[dict]:
        """The queued updates, removed from the queue: what Telegram POSTs to a webhook."""
        with self._cond:
            taken = [json.loads(json.dumps(u)) for u in self._pending]
            self._pending.clear()
            return taken

    def push_message(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        chat_type: str = "private",
        language_code: str | None = "ar",
        username: str | None = None,
        title: str | None = None,
        message_thread_id: int | None = None,
    ) -> int:
        """Queue a user text message (with a bot_command entity for a leading /command);
        `message_thread_id`: sent in that topic thread of a forum supergroup."""
        if user_id is None:
            user_id = chat_id if chat_type == "private" else 424242
        with self._cond:
            user = self._user(user_id, language_code=language_code, username=username)
            if chat_type == "private":
                if chat_id != user_id:
                    raise ValueError("in a private chat, chat_id must equal user_id")
                chat = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
                if username:
                    chat["username"] = username
            else:
                prev = self._chats.get(chat_id, {})
                chat = {"id": chat_id, "type": chat_type,
                        "title": title or prev.get("title") or f"Chat {chat_id}"}
            message: dict[str, Any] = {
                "message_id": self._new_message_id(chat_id),
                "from": user,
                "chat": chat,
                "date": int(time.time()),
                "text": text,
            }
            if message_thread_id is not None:
                chat["is_forum"] = True
                message["message_thread_id"] = message_thread_id
                message["is_topic_message"] = True
            m = _LEADING_COMMAND_RE.match(text)
            if m:
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": utf16_len(m.group(0))}
                ]
            return self.push_update({"message": message})

    def push_callback_query(
        self,
        chat_id: int,
        data: str,
        *,
        message_id: int,
        user_id: int | None = None,
        language_code: str | None = "ar",
        verify: bool = True,
    ) -> int:
        """Queue a press of an inline button with ``data`` on message ``message_id``.

        With ``verify`` (default) the message must be one the bot sent in that chat and must
        carry a button with that callback_data -- a Telegram client could not send anything
        else.  Returns update_id; the query id is in ``callback_query_ids[-1]``.
        """
        with self._cond:
            chat = self._chats.get(chat_id)
            if chat is None:
                raise ValueError(f"unknown chat {chat_id}")
            if user_id is None:
                user_id = chat_id if chat.get("type") == "private" else 424242
            msg = self._messages.get((chat_id, message_id))
            if verify:
                if msg is None or msg.get("from", {}).get("id") != self.bot_id:
                    raise ValueError(f"no bot message {message_id} in chat {chat_id}")
                datas = [b.get("callback_data") for row in
                         msg.get("reply_markup", {}).get("inline_keyboard", []) for b in row]
                if data not in datas:
                    raise ValueError(f"message {message_id} has no button with data {data!r}: {datas}")
            if msg is None:
                msg = {"message_id": message_id, "date": int(time.time()), "chat": chat,
                       "from": self._bot_user()}
            prior = self._users.get(user_id)
            user = self._user(
                user_id, language_code=language_code,
                username=prior.get("username") if prior else None,
            )
            query = {
                "id": str(next(self._callback_ids)),
                "from": user,
                "message": msg,
                "chat_instance": str(abs(chat_id) * 7 + 13),
                "data": data,
            }
            return self.push_update({"callback_query": query})

    @property
    def callback_query_ids(self) -> list[str]:
        with self._lock:
            return list(self._callback_queries)

    # ------------------------------------------------------------------ reading results
    @property
    def sent(self) -> list[SentMessage]:
        """Snapshot of accepted sends and edits, in order."""
        with self._lock:
            return list(self._sent)

    @property
    def calls(self) -> list[CallRecord]:
        """Snapshot of every API call (incl. rejected ones and getUpdates)."""
        with self._lock:
            return list(self._calls)

    def errors(self, method: str | None = None) -> list[CallRecord]:
        """Rejected calls (optionally of one method)."""
        return [c for c in self.calls if not c.ok and (method is None or c.method == method)]

    @property
    def rate_limited(self) -> list[RateLimitRecord]:
        with self._lock:
            return list(self._rate_limited)

    @property
    def commands(self) -> dict[str, list[dict]]:
        """Default-scope commands per language: {language_code: [{"command","description"}]}.

        The key is "" for the list set without a language_code.  See ``commands_by_scope``
        for other scopes.
        """
        with self._lock:
            return {lang: [dict(c) for c in cmds]
                    for (scope, lang), cmds in self._commands.items() if scope == "default"}

    @property
    def commands_by_scope(self) -> dict[tuple[str, str], list[dict]]:
        """{(scope_key, language_code): [{"command","description"}, ...]} for every scope.

        scope_key: "default", "all_private_chats", "all_group_chats",
        "all_chat_administrators", "chat:<id>", "chat_administrators:<id>",
        "chat_member:<chat_id>:<user_id>"; language_code "" when not given.
        """
        with self._lock:
            return {k: [dict(c) for c in v] for k, v in self._commands.items()}

    def commands_for(self, scope: str = "default", language_code: str = "") -> list[dict] | None:
        with self._lock:
            cmds = self._commands.get((scope, language_code))
            return None if cmds is None else [dict(c) for c in cmds]

    @property
    def callback_answers(self) -> list[dict]:
        with self._lock:
            return list(self._callback_answers)

    @property
    def inline_answers(self) -> list[dict]:
        with self._lock:
            return list(self._inline_answers)

    @property
    def chat_actions(self) -> list[dict]:
        with self._lock:
            return list(self._chat_actions)

    @property
    def webhook(self) -> dict | None:
        with self._lock:
            return None if self._webhook is None else dict(self._webhook)

    @property
    def pending_updates(self) -> list[dict]:
        """Updates not yet confirmed by the bot (via a later getUpdates offset)."""
        with self._lock:
            return list(self._pending)

    @property
    def polls_waiting(self) -> int:
        """How many getUpdates calls the server is holding open (long polling) right now."""
        with self._lock:
            return self._polls_waiting

    def messages_for(self, chat_id: int, *, include_edits: bool = False) -> list[SentMessage]:
        with self._lock:
            return [s for s in self._sent if s.chat_id == chat_id and (include_edits or not s.is_edit)]

    def message(self, chat_id: int, message_id: int) -> dict | None:
        """Current state of a message (as Telegram would return it), or None if deleted."""
        with self._lock:
            msg = self._messages.get((chat_id, message_id))
            return None if msg is None else json.loads(json.dumps(msg))

    def wait_for_messages(self, chat_id: int, n: int, timeout: float = 10.0, *,
                          include_edits: bool = False) -> list[SentMessage]:
        """Block until at least ``n`` messages were accepted for ``chat_id``; return them all."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                got = self.messages_for(chat_id, include_edits=include_edits)
                if len(got) >= n:
                    return got
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(self._wait_failure(chat_id, n, got, timeout))
                self._cond.wait(remaining)

    async def await_messages(self, chat_id: int, n: int, timeout: float = 10.0, *,
                             include_edits: bool = False) -> list[SentMessage]:
        """Async variant of wait_for_messages (does not block the event loop)."""
        import asyncio

        deadline = time.monotonic() + timeout
        while True:
            got = self.messages_for(chat_id, include_edits=include_edits)
            if len(got) >= n:
                return got
            if time.monotonic() >= deadline:
                raise TimeoutError(self._wait_failure(chat_id, n, got, timeout))
            await asyncio.sleep(0.02)

    def wait_for_call(self, method: str, timeout: float = 10.0, *, count: int = 1) -> list[CallRecord]:
        """Block until ``count`` calls of ``method`` were made (accepted or not)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                got = [c for c in self._calls if c.method == method]
                if len(got) >= count:
                    return got
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"{method} called {len(got)} times, wanted {count}")
                self._cond.wait(remaining)

    def _wait_failure(self, chat_id: int, n: int, got: list, timeout: float) -> str:
        rejected = [(c.method, c.error_code, c.description) for c in self.calls
                    if not c.ok and str(c.params.get("chat_id")) == str(chat_id)]
        return (f"wanted {n} messages for chat {chat_id} within {timeout}s, got {len(got)}: "
                f"{[s.plain_text[:80] for s in got]}; rejected calls: {rejected}")

    # rate helpers ------------------------------------------------------
    def accepted_times(self, chat_id: int | None = None) -> list[float]:
        """time.monotonic() of every accepted flood-counted send (sendMessage, sendPhoto)."""
        with self._lock:
            return [s.time for s in self._sent
                    if s.method in SEND_METHODS and (chat_id is None or s.chat_id == chat_id)]

    def max_rate_observed(self, window: float = 1.0, chat_id: int | None = None, since: float = 0.0) -> int:
        """Largest number of accepted sends within any time window of ``window`` seconds
        (of those accepted at or after monotonic time ``since``)."""
        times = [t for t in self.accepted_times(chat_id) if t >= since]
        best, lo = 0, 0
        for hi, t in enumerate(times):
            while t - times[lo] >= window:
                lo += 1
            best = max(best, hi - lo + 1)
        return best

    # ------------------------------------------------------------------ fault injection
    def fail_next(self, method: str, chat_id: int | str | None = None, *, error_code: int,
                  description: str, parameters: dict | None = None, times: int = 1) -> None:
        """Make the next ``times`` calls of ``method`` (to ``chat_id`` if given) fail."""
        with self._lock:
            self._faults.append(_Fault(method.lower(), chat_id,
                                       ApiError(error_code, description, parameters), times))

    def delay_next(self, method: str, seconds: float, *, chat_id: int | str | None = None,
                   times: int = 1, deliver: bool = True) -> None:
        """Hold the next ``times`` calls of ``method`` for ``seconds`` before handling them.

        With ``deliver=True`` the call is then processed normally (a client that timed out
        meanwhile never sees the result -- "timed out but sent"); with ``deliver=False`` the
        connection is closed without a response and nothing happens.
        """
        with self._lock:
            self._delays.append(_Delay(method.lower(), chat_id, seconds, deliver, times))

    def revoke_token(self) -> None:
        """The token is revoked (as by @BotFather): every call, a long poll in progress too, gets 401."""
        with self._cond:
            self._revoked = True
            self._cond.notify_all()

    def block(self, chat_id: int, description: str = "Forbidden: bot was blocked by the user") -> None:
        """All later calls targeting ``chat_id`` fail with 403 ``description``."""
        with self._lock:
            self._blocked[chat_id] = description

    def unblock(self, chat_id: int) -> None:
        with self._lock:
            self._blocked.pop(chat_id, None)

    def set_admins(self, chat_id: int, admins: list[int], *, creator: int | None = None) -> None:
        """Who administers a group (getChatMember / getChatAdministrators); others are members."""
        with self._lock:
            roles = {user_id: "administrator" for user_id in admins}
            if creator is not None:
                roles[creator] = "creator"
            self._admins[chat_id] = roles

    def migrate_chat(self, group_id: int, supergroup_id: int) -> None:
        """Upgrade a group: later calls to ``group_id`` get 400 with migrate_to_chat_id."""
        with self._cond:
            old = self._chats.get(group_id, {"title": f"Chat {group_id}"})
            self._register_chat({"id": supergroup_id, "type": "supergroup",
                                 "title": old.get("title", f"Chat {supergroup_id}")})
            self._migrated[group_id] = supergroup_id

    def _take_matching(self, items: list, method: str, params: dict) -> Any:
        for item in items:
            if item.method != method.lower():
                continue
            if item.chat_id is not None and str(params.get("chat_id")) != str(item.chat_id):
                continue
            item.times -= 1
            if item.times <= 0:
                items.remove(item)
            return item
        return None

    # ------------------------------------------------------------------ request handling
    def _bot_user(self) -> dict:
        return {"id": self.bot_id, "is_bot": True, "first_name": self.bot_first_name,
                "username": self.bot_username}

    def handle(self, token: str, method_name: str, params: dict,
               disconnected: Any = None) -> tuple[int, dict | None]:
        """Process one API call. Returns (HTTP status, JSON payload or None to drop).

        ``disconnected()`` tells whether the client hung up (used by long polls).
        """
        now = time.monotonic()
        method = _CANONICAL.get(method_name.lower(), method_name)
        if token != self.token or self._revoked:
            err = ApiError(401, "Unauthorized")
            self._record(method, params, err, now)
            return 401, err.payload()
        if method_name.lower() not in _CANONICAL:
            err = ApiError(404, "Not Found")
            self._record(method, params, err, now)
            return 404, err.payload()

        with self._lock:
            delay = self._take_matching(self._delays, method, params)
        if delay is not None:
            self._stopping.wait(delay.seconds)
            if not delay.deliver:
                self._record(method, params, ApiError(0, "dropped by delay_next(deliver=False)"),
                             time.monotonic())
                return 0, None
        with self._lock:
            fault = self._take_matching(self._faults, method, params)
        if fault is not None:
            self._record(method, params, fault.error, time.monotonic())
            return fault.error.error_code, fault.error.payload()

        try:
            if method == "getUpdates":
                result = self._get_updates(params, disconnected or (lambda: False))
            else:
                with self._cond:
                    result = getattr(self, "_m_" + method)(params)
                    self._cond.notify_all()
        except ApiError as err:
            self._record(method, params, err, time.monotonic())
            return err.error_code, err.payload()
        except _ClientGone:
            with self._cond:
                self._calls.append(CallRecord(method, params, True, None, None, time.monotonic(),
                                              result=[], abandoned=True))
            return 0, None
        self._record(method, params, None, time.monotonic(), result)
        return 200, {"ok": True, "result": result}

    def _record(self, method: str, params: dict, err: ApiError | None, t: float,
                result: Any = None) -> None:
        with self._cond:
            self._calls.append(CallRecord(
                method=method, params=params, ok=err is None,
                error_code=None if err is None else err.error_code,
                description=None if err is None else err.description,
                time=t, result=result, parameters=None if err is None else err.parameters,
            ))
            self._cond.notify_all()

    # parameter helpers ---------------------------------------------------
    @staticmethod
    def _json_param(params: dict, name: str, error: str | None = None) -> Any:
        value = params.get(name)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise _bad(error or f"can't parse {name} JSON object") from None
        return value

    @staticmethod
    def _int_param(params: dict, name: str, *, required: bool = False, error: str | None = None,
                   default: int | None = None) -> int | None:
        value = params.get(name)
        if value is None or value == "":
            if required:
                raise _bad(error or f"{name} is empty")
            return default
        if isinstance(value, bool):
            raise _bad(error or f"wrong parameter {name} in request")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise _bad(error or f"wrong parameter {name} in request") from None

    @staticmethod
    def _bool_param(params: dict, name: str) -> bool:
        value = params.get(name)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def _resolve_chat(self, params: dict, *, check_access: bool = True) -> dict:
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise _bad("chat_id is empty")
        chat = None
        if isinstance(raw, str) and raw.startswith("@"):
            for c in self._chats.values():
                if c.get("username", "").lower() == raw[1:].lower():
                    chat = c
                    break
        else:
            try:
                cid = int(raw)
            except (TypeError, ValueError):
                raise _bad("chat not found") from None
            chat = self._chats.get(cid)
            if check_access and cid in self._migrated:
                raise ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                               {"migrate_to_chat_id": self._migrated[cid]})
        if chat is None:
            raise _bad("chat not found")
        if check_access and chat["id"] in self._blocked:
            raise ApiError(403, self._blocked[chat["id"]])
        return chat

    def _parse_text(self, text: str | None, parse_mode: str | None, limit: int, *,
                    what: str = "message", allow_empty: bool = False,
                    entities: Any = None) -> tuple[str, list[dict]]:
        text = "" if text is None else str(text)
        mode = (parse_mode or "").strip()
        if mode.lower() == "html":
            plain, ents = parse_html(text, strict=self.strict)
        elif mode.lower() == "markdownv2":
            plain, ents = parse_markdown_v2(text)
        elif mode.lower() == "markdown":
            plain, ents = parse_markdown(text)
        elif mode == "":
            plain, ents = text, (entities if isinstance(entities, list) else [])
        else:
            raise _bad(f"unsupported parse_mode {parse_mode!r}")
        plain, ents = _trim(plain, ents)
        if not plain and not allow_empty:
            raise _bad(f"{what} text is empty")
        if utf16_len(plain) > limit:
            raise _bad("message is too long" if what == "message" else f"{what} is too long")
        return plain, ents

    def _validate_reply_markup(self, params: dict, *, inline_only: bool = False) -> dict | None:
        if params.get("reply_markup") in (None, ""):
            return None
        markup = self._json_param(params, "reply_markup", "can't parse reply keyboard markup JSON object")
        if not isinstance(markup, dict):
            raise _bad("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise _bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
            if sum(len(r) for r in rows) > MAX_KEYBOARD_BUTTONS:
                raise _bad("reply markup is too long")
            for row in rows:
                for button in row:
                    self._validate_inline_button(button)
            return markup
        if inline_only:
            raise _bad("inline keyboard expected")
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise _bad('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays')
            for row in rows:
                for button in row:
                    label = button if isinstance(button, str) else (
                        button.get("text") if isinstance(button, dict) else None)
                    if not isinstance(label, str):
                        raise _bad("can't parse keyboard button: Field \"text\" must be of type String")
                    if not label.strip():
                        raise _bad("keyboard button text is empty (stand-in)")
            return markup
        if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
            return markup
        raise _bad("can't parse reply keyboard markup JSON object")

    def _validate_inline_button(self, button: Any) -> None:
        if not isinstance(button, dict):
            raise _bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
        if "text" not in button:
            raise _bad("can't parse inline keyboard button: Can't find field \"text\"")
        if not isinstance(button["text"], str):
            raise _bad("can't parse inline keyboard button: Field \"text\" must be of type String")
        if not button["text"].strip():
            raise _bad("BUTTON_TEXT_INVALID")
        actions = [k for k in INLINE_BUTTON_ACTIONS if k in button]
        if not actions:
            raise _bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
        if len(actions) > 1 and self.strict:
            raise _bad(f"can't parse inline keyboard button: exactly one of the optional fields "
                       f"must be used, got {actions} (stand-in strict mode)")
        if "callback_data" in button:
            data = button["callback_data"]
            if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
                raise _bad("BUTTON_DATA_INVALID")
        if "url" in button:
            url = button["url"]
            if not isinstance(url, str) or not _valid_link(url):
                raise _bad("BUTTON_URL_INVALID")

    def _check_reply_to(self, chat: dict, params: dict) -> None:
        reply_to = self._int_param(params, "reply_to_message_id")
        allow = self._bool_param(params, "allow_sending_without_reply")
        if params.get("reply_parameters") not in (None, ""):
            rp = self._json_param(params, "reply_parameters")
            if isinstance(rp, dict):
                reply_to = rp.get("message_id")
                allow = allow or bool(rp.get("allow_sending_without_reply"))
                if rp.get("chat_id") not in (None, chat["id"]):
                    return
        if reply_to is not None and (chat["id"], int(reply_to)) not in self._messages and not allow:
            raise _bad("message to be replied not found")

    def _flood_check(self, method: str, chat: dict, now: float) -> None:
        chat_id = chat["id"]
        limits: list[tuple[str, tuple[str, int], tuple[float, float]]] = []
        if chat.get("type") == "private" and self.private_rate:
            n, period = self.private_rate
            limits.append(("private", ("chat", chat_id), (self.private_burst, n / period)))
        elif chat.get("type") in GROUP_TYPES and self.group_rate:
            n, period = self.group_rate
            limits.append(("group", ("chat", chat_id), (n, n / period)))
        if self.overall_rate:
            n, period = self.overall_rate
            limits.append(("overall", ("overall", 0), (n, n / period)))
        worst, worst_name = 0.0, ""
        buckets = []
        for name, key, (cap, per_s) in limits:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = _Bucket(cap, per_s)
            buckets.append(bucket)
            wait = bucket.wait_needed(now, self.rate_slack)
            if wait > worst:
                worst, worst_name = wait, name
        if worst > 0:
            retry_after = max(1, math.ceil(worst - 1e-9))
            self._rate_limited.append(RateLimitRecord(method, chat_id, retry_after, worst_name, now))
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}",
                           {"retry_after": retry_after})
        for bucket in buckets:
            bucket.take(now)

    # methods ------------------------------------------------------------
    def _m_getMe(self, params: dict) -> dict:
        return {**self._bot_user(), "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": False, "can_connect_to_business": False,
                "has_main_web_app": False}

    def _get_updates(self, params: dict, disconnected: Any) -> list[dict]:
        offset = self._int_param(params, "offset", default=0)
        limit = min(100, max(1, self._int_param(params, "limit", default=100)))
        try:
            timeout = max(0.0, float(params.get("timeout") or 0))
        except (TypeError, ValueError):
            raise _bad("wrong parameter timeout in request") from None
        allowed = self._json_param(params, "allowed_updates")
        with self._cond:
            if self._webhook is not None:
                raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                    "use deleteWebhook to delete the webhook first")
            if isinstance(allowed, list):
                self._allowed_updates = frozenset(allowed) if allowed else DEFAULT_ALLOWED_UPDATES
            if offset < 0:
                while len(self._pending) > -offset:
                    self._pending.popleft()
            elif offset > 0:
                while self._pending and self._pending[0]["update_id"] < offset:
                    self._pending.popleft()
            self._poll_generation += 1
            generation = self._poll_generation
            self._cond.notify_all()  # terminates an older concurrent getUpdates
            deadline = time.monotonic() + timeout
            self._polls_waiting += 1
            try:
                while True:
                    if disconnected():  # e.g. PTB cancelled the poll on shutdown
                        raise _ClientGone
                    if self._revoked:
                        raise ApiError(401, "Unauthorized")
                    if self._webhook is not None:
                        raise ApiError(409, "Conflict: can't use getUpdates method while webhook is "
                                            "active; use deleteWebhook to delete the webhook first")
                    if self._poll_generation != generation:
                        self._cond.wait(0.05)  # a cancelled poll's FIN may still be in flight
                        if disconnected():
                            raise _ClientGone
                        raise ApiError(409, "Conflict: terminated by other getUpdates request; "
                                            "make sure that only one bot instance is running")
                    # updates of types the bot did not ask for are dropped, like Telegram does
                    kept = deque(u for u in self._pending if self._is_allowed(u))
                    self._pending = kept
                    if kept or self._stopping.is_set():
                        return [json.loads(json.dumps(u)) for u in itertools.islice(kept, limit)]
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return []
                    self._cond.wait(min(remaining, 0.2))
            finally:
                self._polls_waiting -= 1

    def _is_allowed(self, update: dict) -> bool:
        kinds = [k for k in update if k != "update_id"]
        return any(k in self._allowed_updates for k in kinds) or not kinds

    def _m_deleteWebhook(self, params: dict) -> bool:
        self._webhook = None
        if self._bool_param(params, "drop_pending_updates"):
            self._pending.clear()
        return True

    def _m_setWebhook(self, params: dict) -> bool:
        url = params.get("url") or ""
        if not url:
            self._webhook = None
            return True
        if not str(url).lower().startswith("https://"):
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        self._webhook = {k: v for k, v in params.items() if k != "certificate"}
        if self._bool_param(params, "drop_pending_updates"):
            self._pending.clear()
        return True

    def _m_getWebhookInfo(self, params: dict) -> dict:
        info: dict[str, Any] = {"url": "", "has_custom_certificate": False,
                                "pending_update_count": len(self._pending)}
        if self._webhook:
            info["url"] = self._webhook["url"]
            if self._webhook.get("allowed_updates"):
                info["allowed_updates"] = self._json_param(self._webhook, "allowed_updates")
        return info

    def _m_logOut(self, params: dict) -> bool:
        return True

    def _m_close(self, params: dict) -> bool:
        return True

    def _scope_key(self, params: dict) -> str:
        scope = self._json_param(params, "scope", "can't parse BotCommandScope JSON object")
        if scope is None:
            return "default"
        if not isinstance(scope, dict):
            raise _bad("can't parse BotCommandScope JSON object")
        kind = scope.get("type")
        if kind in ("default", "all_private_chats", "all_group_chats", "all_chat_administrators"):
            return kind
        if kind in ("chat", "chat_administrators", "chat_member"):
            chat = self._resolve_chat(scope, check_access=False)
            if kind == "chat_member":
                user_id = scope.get("user_id")
                if user_id is None:
                    raise _bad("user not found")
                return f"chat_member:{chat['id']}:{int(user_id)}"
            return f"{kind}:{chat['id']}"
        raise _bad("unsupported bot command scope type")

    def _language_code(self, params: dict) -> str:
        code = params.get("language_code") or ""
        if code and not re.fullmatch(r"[a-z]{2}", str(code)):
            raise _bad("invalid language code specified")
        return str(code)

    def _m_setMyCommands(self, params: dict) -> bool:
        commands = self._json_param(params, "commands", "can't parse commands JSON object")
        if not isinstance(commands, list):
            raise _bad("can't parse commands JSON object")
        if len(commands) > 100:
            raise _bad("BOT_COMMANDS_TOO_MUCH")
        parsed = []
        for cmd in commands:
            if not isinstance(cmd, dict) or not isinstance(cmd.get("command"), str) \
                    or not isinstance(cmd.get("description"), str):
                raise _bad("can't parse BotCommand JSON object")
            if not _COMMAND_RE.fullmatch(cmd["command"]):
                raise _bad("BOT_COMMAND_INVALID")
            description = cmd["description"]
            if not description.strip() or len(description) > 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
            parsed.append({"command": cmd["command"], "description": description})
        key = (self._scope_key(params), self._language_code(params))
        if parsed:
            self._commands[key] = parsed
        else:
            self._commands.pop(key, None)  # an empty list deletes, like deleteMyCommands
        return True

    def _m_getMyCommands(self, params: dict) -> list[dict]:
        key = (self._scope_key(params), self._language_code(params))
        return [dict(c) for c in self._commands.get(key, [])]

    def _m_deleteMyCommands(self, params: dict) -> bool:
        key = (self._scope_key(params), self._language_code(params))
        self._commands.pop(key, None)
        return True

    def _store_sent(self, method: str, chat: dict, message: dict, raw_text: str | None,
                    parse_mode: str | None, markup: dict | None, plain: str, ents: list[dict],
                    params: dict, now: float) -> None:
        self._sent.append(SentMessage(
            method=method, chat_id=chat["id"], message_id=message["message_id"], text=raw_text,
            parse_mode=parse_mode, reply_markup=markup, plain_text=plain, entities=ents,
            time=now, params=dict(params),
        ))

    def _new_bot_message(self, chat: dict) -> dict:
        return {"message_id": self._new_message_id(chat["id"]), "from": self._bot_user(),
                "chat": dict(chat), "date": int(time.time())}

    def _m_sendMessage(self, params: dict) -> dict:
        chat = self._resolve_chat(params)
        if params.get("text") in (None, ""):
            raise _bad("message text is empty")
        parse_mode = params.get("parse_mode") or None
        plain, ents = self._parse_text(params.get("text"), parse_mode, MAX_TEXT_UTF16,
                                       entities=self._json_param(params, "entities"))
        markup = self._validate_reply_markup(params)
        self._check_reply_to(chat, params)
        now = time.monotonic()
        self._flood_check("sendMessage", chat, now)
        message = self._new_bot_message(chat)
        message["text"] = plain
        if ents:
            message["entities"] = ents
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._messages[(chat["id"], message["message_id"])] = message
        self._store_sent("sendMessage", chat, message, params.get("text"), parse_mode, markup,
                         plain, ents, params, now)
        return message

    def _m_sendPhoto(self, params: dict) -> dict:
        chat = self._resolve_chat(params)
        photo = params.get("photo")
        if photo in (None, ""):
            raise _bad("there is no photo in the request")
        parse_mode = params.get("parse_mode") or None
        plain, ents = self._parse_text(params.get("caption"), parse_mode, MAX_CAPTION_UTF16,
                                       what="message caption", allow_empty=True,
                                       entities=self._json_param(params, "caption_entities"))
        markup = self._validate_reply_markup(params)
        self._check_reply_to(chat, params)
        now = time.monotonic()
        self._flood_check("sendPhoto", chat, now)
        message = self._new_bot_message(chat)
        message["photo"] = [{"file_id": f"photo-{message['message_id']}",
                             "file_unique_id": f"u{message['message_id']}", "width": 320,
                             "height": 240}]
        if plain:
            message["caption"] = plain
        if ents:
            message["caption_entities"] = ents
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._messages[(chat["id"], message["message_id"])] = message
        self._store_sent("sendPhoto", chat, message, params.get("caption"), parse_mode, markup,
                         plain, ents, params, now)
        return message

    def _editable_message(self, params: dict) -> tuple[dict | None, dict | None]:
        if params.get("inline_message_id"):
            return None, None
        chat = self._resolve_chat(params)
        message_id = self._int_param(params, "message_id", required=True,
                                     error="message identifier is not specified")
        message = self._messages.get((chat["id"], message_id))
        if message is None:
            raise _bad("message to edit not found")
        if message.get("from", {}).get("id") != self.bot_id:
            raise _bad("message can't be edited")
        return chat, message

    _NOT_MODIFIED = ("message is not modified: specified new message content and reply markup "
                     "are exactly the same as a current content and reply markup of the message")

    def _m_editMessageText(self, params: dict) -> dict | bool:
        if params.get("text") in (None, ""):
            raise _bad("text must be non-empty")
        parse_mode = params.get("parse_mode") or None
        plain, ents = self._parse_text(params.get("text"), parse_mode, MAX_TEXT_UTF16,
                                       entities=self._json_param(params, "entities"))
        markup = self._validate_reply_markup(params, inline_only=True)
        chat, message = self._editable_message(params)
        if message is None:
            return True
        if "text" not in message:
            raise _bad("there is no text in the message to edit")
        if (message.get("text") == plain and message.get("entities", []) == ents
                and message.get("reply_markup") == markup):
            raise _bad(self._NOT_MODIFIED)
        message["text"] = plain
        message["entities"] = ents
        if not ents:
            message.pop("entities")
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        message["edit_date"] = int(time.time())
        self._store_sent("editMessageText", chat, message, params.get("text"), parse_mode, markup,
                         plain, ents, params, time.monotonic())
        return message

    def _m_editMessageReplyMarkup(self, params: dict) -> dict | bool:
        markup = self._validate_reply_markup(params, inline_only=True)
        chat, message = self._editable_message(params)
        if message is None:
            return True
        if message.get("reply_markup") == markup:
            raise _bad(self._NOT_MODIFIED)
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        message["edit_date"] = int(time.time())
        self._store_sent("editMessageReplyMarkup", chat, message, None, None, markup,
                         message.get("text", message.get("caption", "")),
                         message.get("entities", []), params, time.monotonic())
        return message

    def _m_answerCallbackQuery(self, params: dict) -> bool:
        qid = str(params.get("callback_query_id") or "")
        entry = self._callback_queries.get(qid)
        if entry is None or entry["answered"]:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        text = params.get("text") or ""
        if utf16_len(str(text)) > MAX_CALLBACK_ANSWER_UTF16:
            raise _bad("MESSAGE_TOO_LONG")
        url = params.get("url")
        if url and not _valid_link(str(url)):
            raise _bad("URL_INVALID")
        entry["answered"] = True
        self._callback_answers.append({
            "callback_query_id": qid, "text": text or None,
            "show_alert": self._bool_param(params, "show_alert"), "url": url,
            "data": entry["query"].get("data"), "time": time.monotonic(),
        })
        return True

    def _m_answerInlineQuery(self, params: dict) -> bool:
        qid = str(params.get("inline_query_id") or "")
        entry = self._inline_queries.get(qid)
        if entry is None or entry["answered"]:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        results = self._json_param(params, "results", "can't parse results JSON object")
        if not isinstance(results, list):
            raise _bad("can't parse results JSON object")
        if len(results) > MAX_INLINE_RESULTS:
            raise _bad("RESULTS_TOO_MUCH")
        next_offset = params.get("next_offset")
        if next_offset not in (None, "") and len(str(next_offset).encode("utf-8")) > 64:
            raise _bad("NEXT_OFFSET_INVALID")
        if params.get("cache_time") not in (None, ""):
            self._int_param(params, "cache_time", error="can't parse cache_time")
        seen: set[str] = set()
        for result in results:
            if not isinstance(result, dict) or "type" not in result:
                raise _bad("can't parse InlineQueryResult JSON object")
            rid = result.get("id")
            if not isinstance(rid, str) or not 1 <= len(rid.encode("utf-8")) <= 64:
                raise _bad("RESULT_ID_INVALID")
            if rid in seen:
                raise _bad("RESULT_ID_DUPLICATE")
            seen.add(rid)
            if result["type"] == "article":
                title = result.get("title")
                if not isinstance(title, str) or not title.strip():
                    raise _bad("RESULT_TITLE_EMPTY")
                if not isinstance(result.get("input_message_content"), dict):
                    raise _bad("can't parse InlineQueryResultArticle: field \"input_message_content\" is missing")
            content = result.get("input_message_content")
            if isinstance(content, dict) and "message_text" in content:
                self._parse_text(content["message_text"], content.get("parse_mode"), MAX_TEXT_UTF16)
            if "reply_markup" in result:
                self._validate_reply_markup({"reply_markup": result["reply_markup"]}, inline_only=True)
        entry["answered"] = True
        self._inline_answers.append({"inline_query_id": qid, "results": results,
                                     "next_offset": str(next_offset or ""), "time": time.monotonic()})
        return True

    def _m_sendChatAction(self, params: dict) -> bool:
        chat = self._resolve_chat(params)
        action = params.get("action")
        if action not in CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        self._chat_actions.append({"chat_id": chat["id"], "action": action, "time": time.monotonic()})
        return True

    def _m_deleteMessage(self, params: dict) -> bool:
        chat = self._resolve_chat(params)
        message_id = self._int_param(params, "message_id", required=True,
                                     error="message identifier is not specified")
        if self._messages.pop((chat["id"], message_id), None) is None:
            raise _bad("message to delete not found")
        return True

    def _chat_member(self, chat: dict, user_id: int) -> dict:
        user = self._users.get(user_id) or {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        status = self._admins.get(chat["id"], {}).get(user_id, "member")
        if status == "creator":
            return {"status": "creator", "user": user, "is_anonymous": False}
        if status == "administrator":
            rights = ("can_manage_chat", "can_delete_messages", "can_manage_video_chats",
                      "can_restrict_members", "can_promote_members", "can_change_info",
                      "can_invite_users", "can_post_stories", "can_edit_stories", "can_delete_stories")
            return {"status": "administrator", "user": user, "can_be_edited": False,
                    "is_anonymous": False, **{right: True for right in rights}}
        return {"status": "member", "user": user}

    def _m_getChatMember(self, params: dict) -> dict:
        chat = self._resolve_chat(params)
        user_id = self._int_param(params, "user_id", required=True, error="user not found")
        return self._chat_member(chat, user_id)

    def _m_getChatAdministrators(self, params: dict) -> list[dict]:
        chat = self._resolve_chat(params)
        if chat.get("type") == "private":
            raise _bad("there are no administrators in the private chat")
        return [self._chat_member(chat, user_id) for user_id in self._admins.get(chat["id"], {})]

    def _m_getChat(self, params: dict) -> dict:
        chat = self._resolve_chat(params, check_access=False)
        return {**chat, "accent_color_id": 0, "max_reaction_count": 11,
                "accepted_gift_types": {"unlimited_gifts": False, "limited_gifts": False,
                                        "unique_gifts": False, "premium_subscription": False,
                                        "gifts_from_channels": False}}


# --------------------------------------------------------------------------------------
# HTTP layer
# --------------------------------------------------------------------------------------
_PATH_RE = re.compile(r"^/bot([^/]*)/([A-Za-z0-9_]+)/?$")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx/1.18.0"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence
        pass

    def setup(self) -> None:
        super().setup()
        try:  # no Nagle/delayed-ACK stalls (~40 ms per response otherwise)
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        standin = self.server.standin  # type: ignore[attr-defined]
        with standin._lock:
            standin._connections.add(self.connection)

    def finish(self) -> None:
        standin = self.server.standin  # type: ignore[attr-defined]
        with standin._lock:
            standin._connections.discard(self.connection)
        try:
            super().finish()
        except OSError:
            pass

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _parse_params(self, query: str, body: bytes) -> dict:
        params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
        ctype = self.headers.get("Content-Type", "")
        kind = ctype.split(";")[0].strip().lower()
        if not body:
            return params
        if kind == "application/json":
            data = json.loads(body.decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("JSON body must be an object")
            params.update(data)
        elif kind == "application/x-www-form-urlencoded":
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        elif kind == "multipart/form-data":
            msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + ctype.encode("latin-1") + b"\r\n\r\n" + body
            )
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                if not name:
                    continue
                payload = part.get_payload(decode=True) or b""
                if part.get_filename() is not None:
                    params[name] = {"filename": part.get_filename(), "content": payload}
                else:
                    params[name] = payload.decode(part.get_content_charset() or "utf-8")
        return params

    def _dispatch(self) -> None:
        standin: StandInBotAPI = self.server.standin  # type: ignore[attr-defined]
        try:
            body = self._read_body()
        except (OSError, ValueError):
            self.close_connection = True
            return
        split = urlsplit(self.path)
        m = _PATH_RE.match(split.path)
        if not m:
            self._send(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        token, method = m.group(1), m.group(2)
        if not _TOKEN_RE.fullmatch(token):
            self._send(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        try:
            params = self._parse_params(split.query, body)
        except (ValueError, UnicodeDecodeError) as exc:
            self._send(400, {"ok": False, "error_code": 400,
                             "description": f"Bad Request: can't parse request: {exc}"})
            return
        try:
            status, payload = standin.handle(token, method, params, self._client_gone)
        except Exception as exc:  # a stand-in bug must be loud, not a hang
            status, payload = 500, {"ok": False, "error_code": 500,
                                    "description": f"Internal Server Error (stand-in bug: {exc!r})"}
        if payload is None:  # dropped on purpose (delay_next(deliver=False))
            self.close_connection = True
            return
        self._send(status, payload)

    def _client_gone(self) -> bool:
        try:
            return self.connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True

    def _send(self, status: int, payload: dict) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self._headers_buffer.append(b"\r\n" + data)  # headers and body in one write
            self.flush_headers()
        except OSError:  # client went away (e.g. timed out during delay_next)
            self.close_connection = True
