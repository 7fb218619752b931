"""Waiting on conditions instead of fixed sleeps.

* `wait_until` / `await_until`: poll a condition until it holds, fail naming what was awaited.
* Something that must NOT happen is best shown with a sentinel: push a later message in the
  same chat and wait for its answer (updates of one chat are handled in order), or wait until
  the outbox has nothing left to send (`tests.support.articles.alerts_settled`).
* Where there is no sentinel, `assert_quiet` / `assert_quiet_async` keep a short quiet period:
  the condition must stay false for that long (it fails as soon as it becomes true). It is the
  only place a test waits a fixed time.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Callable
from typing import Any

POLL = 0.05  # seconds between two looks at the condition


def wait_until(predicate: Callable[[], Any], timeout: float = 10.0, what: str = "the condition") -> Any:
    """Poll `predicate()` until it is truthy; return that value. TimeoutError after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(POLL)


async def await_until(predicate: Callable[[], Any], timeout: float = 10.0, what: str = "the condition") -> Any:
    """`wait_until` for the event loop: `predicate()` may return an awaitable (an async check)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(POLL)


def assert_quiet(predicate: Callable[[], Any], seconds: float, what: str) -> None:
    """For `seconds`, `predicate()` (what must not happen) stays false. Use only without a sentinel."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert not predicate(), f"{what} (within {seconds} s)"
        time.sleep(POLL)
    assert not predicate(), f"{what} (within {seconds} s)"


async def assert_quiet_async(predicate: Callable[[], Any], seconds: float, what: str) -> None:
    """`assert_quiet` for the event loop; `predicate()` may return an awaitable."""
    deadline = time.monotonic() + seconds
    while True:
        value = predicate()
        if inspect.isawaitable(value):
            value = await value
        assert not value, f"{what} (within {seconds} s)"
        if time.monotonic() >= deadline:
            return
        await asyncio.sleep(POLL)


def wait_until_stable(value: Callable[[], Any], seconds: float, timeout: float = 30.0,
                      what: str = "the value to settle") -> Any:
    """Poll `value()` until it has not changed for `seconds` (e.g. a pool that has finished
    starting its processes); return it. For what has no event to wait on."""
    deadline = time.monotonic() + timeout
    last, since = value(), time.monotonic()
    while time.monotonic() - since < seconds:
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(POLL)
        now = value()
        if now != last:
            last, since = now, time.monotonic()
    return last
