"""LISTEN on one channel over a connection of its own, reconnecting whenever it drops.

A notification is only a wake-up: `heard` is set when one arrives, and also on every
(re)connect, since what was announced while nobody listened is lost. While `connected` is
False its users look at the data themselves.
"""

from __future__ import annotations

import asyncio
import logging

import asyncpg

log = logging.getLogger(__name__)

RETRY_EVERY = 1.0  # seconds between two tries to connect again
PING_EVERY = 5.0  # seconds between two checks that the connection still answers
# Keepalives, as on the leases' connections: a vanished server is noticed in ~15 s at worst.
_SETTINGS = {"tcp_keepalives_idle": "5", "tcp_keepalives_interval": "2", "tcp_keepalives_count": "5"}
_FAILURES = (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError)


class Listener:
    def __init__(self, dsn: str, channel: str) -> None:
        self.dsn = dsn
        self.channel = channel
        self.heard = asyncio.Event()
        self.connected = False
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        """Start listening (once; later calls do nothing)."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name=f"listen-{self.channel}")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                conn = await asyncpg.connect(self.dsn, server_settings={
                    **_SETTINGS, "application_name": f"newsbot-listen-{self.channel}"})
            except _FAILURES as exc:
                log.warning("cannot listen for %s (looking at the log instead): %s", self.channel, exc)
            else:
                try:
                    await self._listen(conn)
                except _FAILURES as exc:
                    log.warning("stopped listening for %s (looking at the log instead): %s", self.channel, exc)
                finally:
                    self.connected = False
                    conn.terminate()
            await asyncio.sleep(RETRY_EVERY)

    async def _listen(self, conn: asyncpg.Connection) -> None:
        """Until the connection closes or stops answering a ping."""
        lost = asyncio.Event()
        conn.add_termination_listener(lambda _conn: lost.set())
        await conn.add_listener(self.channel, lambda *_args: self.heard.set())
        self.connected = True
        self.heard.set()  # changes made before LISTEN took effect were announced to nobody
        while not conn.is_closed():
            try:
                await asyncio.wait_for(lost.wait(), PING_EVERY)
            except TimeoutError:
                await conn.fetchval("SELECT 1", timeout=PING_EVERY)
