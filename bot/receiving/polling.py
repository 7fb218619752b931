"""`newsbot run` ends when Telegram refuses the token, at start or mid-run.

PTB's polling loop gives up on InvalidToken (401/404) by re-raising it inside its polling
task, but the application keeps running with nobody polling; a later Updater.stop() then
re-raises the same error in the middle of PTB's shutdown, which skips closing the store
(whose thread then keeps the process alive). So the guard watches that task: when it ends
with an error, the guard stops the updater itself (swallowing the error), then the
application, which shuts down in order; `run_polling` then re-raises the error for the
command line to report in one line. PTB's own traceback for it is dropped from the log.

Telegram lets one process poll at a time: while two `newsbot run` poll one bot, each poll ends
the other's with a Conflict. It is said in one line every few minutes instead of a traceback
each time; each update still reaches one process and is handled once (bot/receiving/once.py).
"""

from __future__ import annotations

import asyncio
import logging
import time

from telegram.error import Conflict, InvalidToken
from telegram.ext import Application

log = logging.getLogger(__name__)

# PTB 20-22 keeps its polling task in a private attribute (done or not) and names it so
# (telegram/ext/_updater.py); the name alone would miss a task that failed before we looked.
_POLLING_TASK_ATTRIBUTE = "_Updater__polling_task"
POLLING_TASK = "Updater:start_polling:polling_task"
_FIND_INTERVAL = 0.05
CONFLICT_NOTICE_EVERY = 600.0  # seconds between two log lines about another process polling


class _NoInvalidTokenTraceback(logging.Filter):
    """PTB logs InvalidToken with a traceback; the command line says it in one line instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], InvalidToken))


_FILTER = _NoInvalidTokenTraceback()


def quiet_invalid_token_tracebacks() -> None:
    logging.getLogger("telegram.ext").addFilter(_FILTER)  # the logger of PTB's network loops


class _ConflictNotice:
    def __init__(self) -> None:
        self._last: float | None = None
        self._since = 0

    def __call__(self, error: Conflict) -> None:
        self._since += 1
        now = time.monotonic()
        if self._last is not None and now - self._last < CONFLICT_NOTICE_EVERY:
            return
        log.warning("another process polls this bot (%d conflict(s) since the last notice: %s); each update "
                    "still reaches one of them. To receive in more than one process, use a webhook "
                    "(NEWSBOT_WEBHOOK_URL, --role web)", self._since, error)
        self._last, self._since = now, 0


report_polling_conflict = _ConflictNotice()


def is_polling_conflict(update: object, error: BaseException | None) -> bool:
    """Whether an error PTB reports is another process's getUpdates ending ours."""
    return update is None and isinstance(error, Conflict)


class PollingGuard:
    """Stops the application when polling ends for good; `error` says why."""

    def __init__(self) -> None:
        self.error: BaseException | None = None
        self._watcher: asyncio.Task | None = None

    def start(self, application: Application) -> None:
        """From post_init: the polling task exists only once run_polling has started it."""
        self._watcher = asyncio.get_running_loop().create_task(self._watch(application), name="polling-guard")

    async def stop(self) -> None:
        """From post_shutdown: the watcher ends before the loop closes."""
        watcher, self._watcher = self._watcher, None
        if watcher is not None and not watcher.done():
            watcher.cancel()
            await asyncio.wait([watcher])

    def raise_if_stopped(self) -> None:
        if self.error is not None:
            raise self.error

    async def _watch(self, application: Application) -> None:
        while (task := _polling_task(application)) is None:
            await asyncio.sleep(_FIND_INTERVAL)
        await asyncio.wait([task])
        if task.cancelled() or task.exception() is None or application.updater is None:
            return  # stopped on purpose
        self.error = task.exception()
        if not isinstance(self.error, InvalidToken):
            log.error("polling stopped: %s: %s", type(self.error).__name__, self.error)
        try:
            await application.updater.stop()  # re-raises the polling task's error: ours to swallow
        except Exception:  # noqa: BLE001 - it is self.error, reported by the command line
            pass
        while not application.running:  # polling may fail while the application is starting
            await asyncio.sleep(_FIND_INTERVAL)
        application.stop_running()


def _polling_task(application: Application) -> asyncio.Task | None:
    task = getattr(application.updater, _POLLING_TASK_ATTRIBUTE, None)
    if isinstance(task, asyncio.Task):
        return task
    return next((t for t in asyncio.all_tasks() if t.get_name() == POLLING_TASK), None)
