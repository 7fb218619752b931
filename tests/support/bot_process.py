"""The real `newsbot run` process for end-to-end tests, polling the stand-in Bot API, and the
environment every `newsbot` subprocess of the tests starts from."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.support import ROOT

IN_FLIGHT = 4


def clean_env(**extra: str) -> dict:
    """This process's environment without any TELEGRAM_* / NEWSBOT_* setting, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "NEWSBOT_"))}
    env.update(extra)
    return env


def bot_env(standin, db: Path, **extra: str) -> dict:
    env = clean_env()
    env.update(
        TELEGRAM_BOT_TOKEN=standin.token,
        TELEGRAM_API_BASE_URL=standin.base_url,
        NEWSBOT_DB=str(db),
        NEWSBOT_LOG_LEVEL="INFO",
        NEWSBOT_ALERTS_MATCH_INTERVAL="0.3",
        NEWSBOT_ALERTS_DIGEST_INTERVAL="1",
        NEWSBOT_ALERTS_BACKOFF="0.2",
        NEWSBOT_ALERTS_BACKOFF_MAX="1",
        NEWSBOT_ALERTS_SEND_TIMEOUT="1",
        NEWSBOT_ALERTS_IN_FLIGHT=str(IN_FLIGHT),
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


class BotProcess:
    """`newsbot run` against `standin` on a store in `tmp_path`. `env` replaces the tests'
    settings (`bot_env`) as a whole, as the benches do to run a bot with its defaults."""

    def __init__(self, standin, tmp_path: Path, env: dict | None = None) -> None:
        self.standin = standin
        self.tmp = tmp_path
        self.db = tmp_path / "e2e.db"
        self.log = tmp_path / "bot.log"
        self.env = env
        self.process: subprocess.Popen | None = None

    def _env(self, **extra: str) -> dict:
        base = self.env if self.env is not None else bot_env(self.standin, self.db)
        return {**base, **extra}

    def start(self, **extra: str) -> None:
        with open(self.log, "ab") as sink:
            self.process = subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], cwd=self.tmp,
                                            env=self._env(**extra), stdout=sink,
                                            stderr=subprocess.STDOUT)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def ingest(self, *texts: str) -> None:
        """`newsbot ingest` in a second process, writing the same store."""
        folder = self.tmp / f"articles-{time.monotonic_ns()}"
        folder.mkdir()
        for n, text in enumerate(texts):
            (folder / f"{n:04d}.txt").write_text(text, encoding="utf-8")
        done = subprocess.run([sys.executable, "-m", "bot.cli", "ingest", str(folder)], cwd=self.tmp,
                              env=self._env(), capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"{len(texts)} added" in done.stdout, done.stdout

    def read_log(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")
