"""Worker processes that do not outlive the process that started them.

A ProcessPoolExecutor worker whose parent is SIGKILLed waits forever on a call
queue it holds both ends of, and forkserver, to which each worker holds a pipe,
stays up for them (158 MiB left behind was seen). `exit_with_parent` as the pool's
initializer makes each worker end itself within a moment of the parent's death.
"""

from __future__ import annotations

import os
import select
import threading
import time

__all__ = ["exit_with_parent"]


def exit_with_parent(parent_pid: int) -> None:
    """Pool initializer (initargs=(os.getpid(),)): end this worker once `parent_pid` has exited."""
    threading.Thread(target=_watch_parent, args=(parent_pid,), name="parent-watch", daemon=True).start()


def _watch_parent(parent_pid: int) -> None:
    try:
        fd = os.pidfd_open(parent_pid)  # Linux >= 5.3: readable once the process has exited
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # elsewhere: poll
        while not _gone(parent_pid):
            time.sleep(0.5)
    else:
        select.select([fd], [], [])
    os._exit(1)


def _gone(pid: int) -> bool:
    """Has process `pid` exited? A killed parent not yet reaped (a zombie) counts as gone."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] in (b"Z", b"X")
    except FileNotFoundError:
        return os.path.isdir("/proc/self")  # with /proc, a missing entry means it has exited
    except OSError:
        return False
