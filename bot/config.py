"""Settings read once from the environment (and an optional `.env`), validated at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"


class Settings(BaseSettings):
    """Everything the bot can be told from outside; names are the environment variables."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    bot_token: SecretStr | None = Field(None, alias="TELEGRAM_BOT_TOKEN")
    api_base_url: str = Field(DEFAULT_API_BASE_URL, alias="TELEGRAM_API_BASE_URL")
    # An SQLite file (the embedded default) or a PostgreSQL URL, postgresql://user:pass@host/db.
    db: str = Field("newsbot.db", alias="NEWSBOT_DB")
    seeds_dir: Path = Field(PROJECT_ROOT / "seeds", alias="NEWSBOT_SEEDS")
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(frozenset(), alias="NEWSBOT_ADMIN_IDS")
    log_level: str = Field("INFO", alias="NEWSBOT_LOG_LEVEL")
    page_size: int = Field(5, alias="NEWSBOT_PAGE_SIZE", ge=1, le=10)
    latest_count: int = Field(5, alias="NEWSBOT_LATEST_COUNT", ge=1, le=20)
    # Everything the bot sends (replies and alerts) shares one budget (bot/sending.py): this
    # many messages/s overall, and the two intervals below between sends to one chat.
    send_rate: float = Field(28.0, alias="NEWSBOT_SEND_RATE", gt=0, le=1000)
    # Topic alerts (bot/alerts): how often new articles are matched, the per-chat topic cap,
    # the alerts' own ceiling within the send rate (messages/s; replies go first anyway), the
    # seconds between sends to one chat (private, group: for replies too), how many
    # alerts may be in flight at once (each may repeat if the process dies mid-send), the
    # send timeout, backoff after failures, and after how many failed attempts an alert
    # failing for a permanent reason (400) is parked.
    alerts_match_interval: float = Field(2.0, alias="NEWSBOT_ALERTS_MATCH_INTERVAL", gt=0, le=3600)
    alerts_max_topics: int = Field(20, alias="NEWSBOT_ALERTS_MAX_TOPICS", ge=1, le=100)
    alerts_rate: float = Field(28.0, alias="NEWSBOT_ALERTS_RATE", gt=0, le=1000)
    alerts_private_interval: float = Field(1.0, alias="NEWSBOT_ALERTS_PRIVATE_INTERVAL", ge=0)
    alerts_group_interval: float = Field(3.0, alias="NEWSBOT_ALERTS_GROUP_INTERVAL", ge=0)
    alerts_in_flight: int = Field(4, alias="NEWSBOT_ALERTS_IN_FLIGHT", ge=1, le=64)
    alerts_send_timeout: float = Field(15.0, alias="NEWSBOT_ALERTS_SEND_TIMEOUT", gt=0)
    alerts_backoff: float = Field(1.0, alias="NEWSBOT_ALERTS_BACKOFF", gt=0)
    alerts_backoff_max: float = Field(300.0, alias="NEWSBOT_ALERTS_BACKOFF_MAX", gt=0)
    alerts_max_attempts: int = Field(3, alias="NEWSBOT_ALERTS_MAX_ATTEMPTS", ge=1)
    alerts_digest_interval: float = Field(30.0, alias="NEWSBOT_ALERTS_DIGEST_INTERVAL", gt=0)
    # What `newsbot run` does in this process (bot/roles.py): all | web | sender | fetcher.
    role: Literal["all", "web", "sender", "fetcher"] = Field("all", alias="NEWSBOT_ROLE")

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(",", " ").split())
        return value

    # Feeds (bot/feeds): how often a source is polled (its own ttl or cache hints, kept within
    # min and max), one request's time and size caps, failures in a row before a source is
    # paused (admins are told once), and whether URLs may point into private networks
    # (refused by default: a feed must not be a way into the host's network).
    fetch_interval: float = Field(900.0, alias="NEWSBOT_FETCH_INTERVAL", ge=10)
    fetch_min_interval: float = Field(300.0, alias="NEWSBOT_FETCH_MIN_INTERVAL", ge=1)
    fetch_max_interval: float = Field(21600.0, alias="NEWSBOT_FETCH_MAX_INTERVAL", ge=10)
    fetch_timeout: float = Field(20.0, alias="NEWSBOT_FETCH_TIMEOUT", gt=0, le=300)
    fetch_max_bytes: int = Field(5 * 1024 * 1024, alias="NEWSBOT_FETCH_MAX_BYTES", ge=1024)
    fetch_pause_after: int = Field(5, alias="NEWSBOT_FETCH_PAUSE_AFTER", ge=1)
    fetch_allow_private: bool = Field(False, alias="NEWSBOT_FETCH_ALLOW_PRIVATE")
    fetch_check_interval: float = Field(30.0, alias="NEWSBOT_FETCH_CHECK_INTERVAL", gt=0)

    # Webhook mode (`newsbot run --webhook-url ...`): the public HTTPS URL Telegram posts to,
    # where this process listens (behind a proxy that terminates TLS), and the secret token
    # every request must carry (when not given: derived from the bot token, the same in every worker).
    webhook_url: str | None = Field(None, alias="NEWSBOT_WEBHOOK_URL")
    webhook_listen: str = Field("0.0.0.0", alias="NEWSBOT_WEBHOOK_LISTEN")
    webhook_port: int = Field(8080, alias="NEWSBOT_WEBHOOK_PORT", ge=1, le=65535)
    webhook_secret: SecretStr | None = Field(None, alias="NEWSBOT_WEBHOOK_SECRET")

    @field_validator("webhook_secret")
    @classmethod
    def _secret_chars(cls, value: SecretStr | None) -> SecretStr | None:
        """Telegram's rule for secret tokens: 1-256 of A-Z a-z 0-9 _ -."""
        if value is not None:
            text = value.get_secret_value()
            if not (1 <= len(text) <= 256 and all(c.isascii() and (c.isalnum() or c in "_-") for c in text)):
                raise ValueError("NEWSBOT_WEBHOOK_SECRET: 1 to 256 characters, letters, digits, _ and - only")
        return value

    @property
    def webhook_secret_value(self) -> str | None:
        return self.webhook_secret.get_secret_value() if self.webhook_secret else None

    @field_validator("api_base_url")
    @classmethod
    def _bot_path(cls, value: str) -> str:
        """Accept a server root or a PTB-style base URL: both end up as `.../bot`."""
        value = value.rstrip("/")
        return value if value.endswith("/bot") else value + "/bot"

    @property
    def token(self) -> str | None:
        return self.bot_token.get_secret_value() if self.bot_token else None
