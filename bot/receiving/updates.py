"""Long polling that survives an update the library cannot parse.

PTB parses a whole `getUpdates` batch at once; one update it cannot read fails the batch,
is logged as CRITICAL and, since the offset never moves past it, is fetched again at once:
a hot loop of tracebacks with no update handled. Here each update of a batch is checked
before PTB sees it, and one that does not parse is replaced by its bare `update_id`: it is
logged once, handled by nobody, and confirmed like any other, so polling goes on. Copies of
updates taken before are cut down the same way (bot/receiving/once.py).
"""

from __future__ import annotations

import json
import logging

from telegram import Update
from telegram.request import HTTPXRequest, RequestData

from bot.receiving.once import Fresh

log = logging.getLogger(__name__)

# The update types the bot has handlers for; Telegram is asked for nothing else.
ALLOWED_UPDATES = ("message", "callback_query", "inline_query", "my_chat_member")


def _batch(payload: bytes) -> tuple[dict | None, list | None]:
    """(the response, its list of updates), or (None, None) if it is no batch of updates (not
    JSON, or an error: PTB reports those itself)."""
    try:
        body = json.loads(payload)
    except ValueError:
        return None, None
    updates = body.get("result") if isinstance(body, dict) and body.get("ok") else None
    return (body, updates) if isinstance(updates, list) else (None, None)


def drop_unparsable(payload: bytes) -> bytes:
    """A getUpdates response with every update PTB cannot parse cut down to its `update_id`."""
    body, updates = _batch(payload)
    if updates is None:
        return payload
    changed = False
    for index, raw in enumerate(updates):
        try:
            Update.de_json(json.loads(json.dumps(raw)), None)
        except Exception as exc:  # noqa: BLE001 - whatever the parser trips on
            update_id = raw.get("update_id") if isinstance(raw, dict) else None
            if not isinstance(update_id, int):
                continue  # without an id it cannot be skipped; PTB will report it
            log.warning("skipping update %s that cannot be read (%s: %s)", update_id, type(exc).__name__, exc)
            updates[index] = {"update_id": update_id}
            changed = True
    return json.dumps(body).encode() if changed else payload


async def drop_copies(payload: bytes, fresh: Fresh) -> bytes:
    """A getUpdates response with every copy of an update taken before cut down to its
    `update_id`: confirmed like any other, handled by no one."""
    body, updates = _batch(payload)
    if updates is None:
        return payload
    ids = [raw["update_id"] for raw in updates if isinstance(raw, dict) and isinstance(raw.get("update_id"), int)]
    copies = set(ids) - await fresh(ids) if ids else set()
    if not copies:
        return payload
    body["result"] = [{"update_id": raw["update_id"]} if isinstance(raw, dict) and raw.get("update_id") in copies
                      else raw for raw in updates]
    log.info("skipped %d update(s) taken before (by another process, or before a restart)", len(copies))
    return json.dumps(body).encode()


class UpdatesRequest(HTTPXRequest):
    """The request object for `getUpdates`: as PTB's, less the updates it would choke on and,
    once `fresh` is set (the store is open), less the copies of updates taken before."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fresh: Fresh | None = None

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout=None, write_timeout=None, connect_timeout=None,
                         pool_timeout=None) -> tuple[int, bytes]:
        code, payload = await super().do_request(
            url, method, request_data, read_timeout=read_timeout, write_timeout=write_timeout,
            connect_timeout=connect_timeout, pool_timeout=pool_timeout,
        )
        if code == 200 and url.endswith("/getUpdates"):
            payload = drop_unparsable(payload)
            if self.fresh is not None:
                payload = await drop_copies(payload, self.fresh)
        return code, payload
