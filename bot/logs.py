"""Logging set-up that keeps the bot token out of every line, message and traceback; how a
background step's failure is logged."""

from __future__ import annotations

import logging
import re

from storage import is_store_failure

# Any Telegram bot token, known or not: digits, colon, 30+ URL-safe characters.
_TOKEN_SHAPE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")
_REDACTED = "<token>"


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """`text` with every given secret and anything shaped like a bot token replaced."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, _REDACTED)
    return _TOKEN_SHAPE.sub(_REDACTED, text)


class RedactingFormatter(logging.Formatter):
    """Formats first, then redacts: covers the message, its args and the traceback alike."""

    def __init__(self, fmt: str, secrets: tuple[str, ...]) -> None:
        super().__init__(fmt)
        self._secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self._secrets)

    def add_secret(self, secret: str) -> None:
        self._secrets = (*self._secrets, secret)


def redact_from_now_on(secret: str) -> None:
    """Keep a secret made at run time (a random webhook token) out of every later log line."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler.formatter, RedactingFormatter):
            handler.formatter.add_secret(secret)


def setup_logging(level: str, secrets: tuple[str, ...] = ()) -> None:
    """Root logging to stderr, redacted; httpx's per-request URL lines (with the token) muted."""
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def log_failure(logger: logging.Logger, what: str, exc: BaseException) -> None:
    """A background step failed: a store that cannot be used is one warning line (the
    database's state, not a bug), anything else is logged with its traceback."""
    if is_store_failure(exc):
        logger.warning("%s failed: %s", what, exc)
    else:
        logger.error("%s failed", what, exc_info=exc)
