"""What one `newsbot run` process does, and which of the shared roles it holds right now.

`--role` (NEWSBOT_ROLE) says what a process may do:

* `all` (the default, one machine): receive updates, run the scheduled work, send alerts;
* `web`: receive updates (by webhook, any number of processes behind a load balancer) and
  answer them; nothing scheduled, no alerts;
* `sender`: deliver alerts and digests from the outbox;
* `fetcher`: the scheduled work: feed polling, matching, digests.

Scheduled work must run once across all processes, so it is a *role held by one process at a
time* (`SCHEDULER`), taken through the store's leases: PostgreSQL elects by an advisory lock,
which dies with its holder's connection; SQLite by a lease row renewed every few seconds. When
the holder dies another process takes over within `LEASE_TTL` seconds. On SQLite the sender is
such a role too (`SENDER`): a second process on one file never sends the same alerts again.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.logs import log_failure
from storage import LeaseStore

log = logging.getLogger(__name__)

ROLES = ("all", "web", "sender", "fetcher")
SCHEDULER = "scheduler"
SENDER = "sender"
LEASE_TTL = 10.0  # seconds a holder that stopped renewing keeps its role (SQLite)
RENEW_EVERY = 2.0


@dataclass(frozen=True, slots=True)
class Duties:
    """What a process of a given `--role` may do."""

    receives: bool
    schedules: bool
    sends: bool

    @classmethod
    def of(cls, role: str) -> Duties:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}: one of {', '.join(ROLES)}")
        return cls(receives=role in ("all", "web"), schedules=role in ("all", "fetcher"),
                   sends=role in ("all", "sender"))


def process_name() -> str:
    """host:pid:random — who holds a role, as other processes are told."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class Leadership:
    """Keeps trying to hold `roles` through `leases`, renewing what it holds, every RENEW_EVERY
    seconds; `holds(role)` is what this process may do now. `on_gained(role)` runs (awaited)
    each time a role is taken, before `holds` says so; `on_lost(role)` each time one is lost
    or given up, after `holds` stopped saying so."""

    def __init__(self, leases: LeaseStore, roles: tuple[str, ...],
                 on_gained: Callable[[str], Awaitable[None]] | None = None,
                 on_lost: Callable[[str], Awaitable[None]] | None = None) -> None:
        self.leases = leases
        self.roles = roles
        self.name = process_name()
        self.on_gained = on_gained
        self.on_lost = on_lost
        self._held: set[str] = set()
        self._told: set[str] = set()
        self._task: asyncio.Task | None = None

    def holds(self, role: str) -> bool:
        return role in self._held

    async def start(self) -> None:
        """Try once now (so a single process holds its roles from the start), then keep at it."""
        await self.renew()
        self._task = asyncio.get_running_loop().create_task(self._keep(), name="leadership")

    async def stop(self) -> None:
        """Give every role up at once, so another process takes over without waiting."""
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        for role in sorted(self._held):
            await self._lose(role)
            try:
                await self.leases.release(role, self.name)
            except Exception:  # the store may be going away: the lease then runs out by itself
                log.warning("could not release the %s role", role, exc_info=True)

    async def _keep(self) -> None:
        while True:
            await asyncio.sleep(RENEW_EVERY)
            try:
                await self.renew()
            except Exception as exc:  # a store that does not answer: hold nothing until it does
                log_failure(log, "renewing roles", exc)
                for role in sorted(self._held):
                    await self._lose(role)

    async def renew(self) -> None:
        for role in self.roles:
            had = role in self._held
            if await self.leases.acquire(role, self.name, LEASE_TTL):
                if not had:
                    if self.on_gained is not None:
                        await self.on_gained(role)
                    self._held.add(role)
                    self._told.discard(role)
                    log.info("this process (%s) now holds the %s role", self.name, role)
                continue
            if had:
                await self._lose(role)
                log.warning("this process (%s) lost the %s role", self.name, role)
            if role not in self._told:
                self._told.add(role)
                current = await self.leases.holder(role)
                who = f"{current.holder}" if current else "another process"
                log.warning("%s holds the %s role: this process waits and takes over if it stops", who, role)

    async def _lose(self, role: str) -> None:
        """`holds(role)` is False from now on; then `on_lost` runs."""
        self._held.discard(role)
        if self.on_lost is not None:
            await self.on_lost(role)
