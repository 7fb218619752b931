"""Every `newsbot` command ends promptly, with one clear line and a non-zero status, when its
store is unusable (garbage, truncated, not writable) or Telegram refuses the token.

These used to hang: a failed open left aiosqlite's (non-daemon) thread running, and a token
revoked mid-run stopped polling but not the process.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import ROOT, SEEDS
from tests.support.bot_process import bot_env, clean_env

pytestmark = pytest.mark.e2e  # every test here runs the real `newsbot` command

PROMPT = 30  # seconds: a command that has not ended by then hangs


def newsbot(*args: str, tmp_path: Path, db: Path, stdin: str = "", env: dict | None = None) -> tuple:
    """(status or 'hung', stdout, stderr, seconds) of the real command; killed if it hangs."""
    environ = clean_env(NEWSBOT_DB=str(db), PYTHONPATH=str(ROOT))
    environ.update(env or {})
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "bot.cli", *args], cwd=tmp_path, env=environ, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    try:
        out, err = process.communicate(stdin, timeout=PROMPT)
        status = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        status = "hung"
    return status, out, err, time.monotonic() - started


def assert_one_clear_line(result: tuple, *words: str) -> str:
    status, out, err, seconds = result
    assert status not in (0, "hung"), f"status {status} after {seconds:.1f} s\n{err}"
    assert "Traceback" not in err and "CRITICAL" not in err, err
    lines = [line for line in err.splitlines() if line.startswith("newsbot:")]
    assert len(lines) == 1, err
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def _garbage(path: Path) -> None:
    path.write_bytes(os.urandom(4096))


def _truncated(path: Path) -> None:
    store = path.with_name("whole.db")
    folder = path.parent / "articles"
    folder.mkdir()
    for n in range(40):
        (folder / f"{n}.txt").write_text(f"Report {n} on the harbour\nThe harbour {n} reopened today after "
                                         f"repairs, officials said. Ships queued for day {n}.\nWire", encoding="utf-8")
    done = newsbot("ingest", str(folder), tmp_path=path.parent, db=store)
    assert done[0] == 0, done[2]
    data = store.read_bytes()
    path.write_bytes(data[: len(data) // 2])


SAYS = {_garbage: "not an SQLite database", _truncated: "damaged"}  # what each damage is told as


@pytest.mark.parametrize("damage", [_garbage, _truncated], ids=["garbage", "truncated"])
@pytest.mark.parametrize("command", [("search", "harbour"), ("ingest", str(SEEDS)), ("console",)],
                         ids=["search", "ingest", "console"])
def test_a_damaged_store_ends_each_command_with_one_line(tmp_path, damage, command):
    db = tmp_path / "broken.db"
    damage(db)
    result = newsbot(*command, tmp_path=tmp_path, db=db, stdin="/search harbour\n")
    assert_one_clear_line(result, str(db), SAYS[damage])
    assert result[3] < 15


def _under_a_file(tmp_path: Path) -> Path:
    (tmp_path / "plain-file").write_text("not a folder")
    return tmp_path / "plain-file" / "news.db"


def _a_directory(tmp_path: Path) -> Path:
    (tmp_path / "folder.db").mkdir()
    return tmp_path / "folder.db"


def _immutable(tmp_path: Path) -> Path:
    """A file nobody may write, root included (root ignores chmod); skipped where chattr is not allowed."""
    db = tmp_path / "immutable.db"
    db.touch()
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(db)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here")
    return db


@pytest.mark.parametrize("where, reason", [
    (_under_a_file, "cannot create the folder"),
    (_a_directory, "cannot be opened"),
    (_immutable, "read-only"),
], ids=["parent-is-a-file", "a-directory", "immutable-file"])
@pytest.mark.parametrize("command", [("search", "x"), ("ingest", str(SEEDS))], ids=["search", "ingest"])
def test_a_store_that_cannot_be_written_ends_with_one_line(tmp_path, where, reason, command):
    db = where(tmp_path)
    try:
        result = newsbot(*command, tmp_path=tmp_path, db=db)
    finally:
        if where is _immutable:
            subprocess.run(["chattr", "-i", str(db)], check=False)  # else tmp_path cannot be removed
    assert_one_clear_line(result, reason, str(db))


def test_run_on_a_garbage_store_exits_with_one_line(standin, tmp_path):
    db = tmp_path / "garbage.db"
    _garbage(db)
    env = {k: v for k, v in bot_env(standin, db).items() if k.startswith(("TELEGRAM_", "NEWSBOT_"))}
    result = newsbot("run", tmp_path=tmp_path, db=db, env=env)
    assert_one_clear_line(result, "not an SQLite database")
    assert standin.token not in result[2] and standin.token.split(":")[1] not in result[2]


def test_run_exits_when_telegram_refuses_the_token_at_start(standin, tmp_path):
    db = tmp_path / "bot.db"
    env = {k: v for k, v in bot_env(standin, db).items() if k.startswith(("TELEGRAM_", "NEWSBOT_"))}
    env["TELEGRAM_BOT_TOKEN"] = "654321:AAwrongTokenThatLooksRealEnough_123"
    result = newsbot("run", tmp_path=tmp_path, db=db, env=env)
    assert_one_clear_line(result, "refused the bot token")
    assert result[0] == 2
    assert "AAwrongTokenThatLooksRealEnough_123" not in result[1] + result[2]


def test_run_exits_when_the_token_is_revoked_mid_run(standin, bot):
    bot.start()
    try:
        standin.push_message(7001, "/start", language_code="en")
        standin.wait_for_messages(7001, 1, timeout=30)
        revoked = time.monotonic()
        standin.revoke_token()
        try:
            status = bot.process.wait(timeout=PROMPT)
        except subprocess.TimeoutExpired:
            status = "hung"
        elapsed = time.monotonic() - revoked
    finally:
        bot.stop()
    log = bot.read_log()
    assert status == 2, f"status {status} {elapsed:.1f} s after the token was revoked\n{log[-3000:]}"
    assert elapsed < 15
    assert "newsbot: Telegram refused the bot token" in log
    assert "Traceback" not in log
    assert standin.token not in log and standin.token.split(":")[1] not in log
    print(f"\nexited {elapsed:.2f} s after the token was revoked")
