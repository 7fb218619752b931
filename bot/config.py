"""Settings read once from the environment (and an optional `.env`), validated at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"


class Settings(BaseSettings):
    """Everything the bot can be told from outside; names are the environment variables."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    bot_token: SecretStr | None = Field(None, alias="TELEGRAM_BOT_TOKEN")
    api_base_url: str = Field(DEFAULT_API_BASE_URL, alias="TELEGRAM_API_BASE_URL")
    db_path: Path = Field(Path("newsbot.db"), alias="NEWSBOT_DB")
    seeds_dir: Path = Field(PROJECT_ROOT / "seeds", alias="NEWSBOT_SEEDS")
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(frozenset(), alias="NEWSBOT_ADMIN_IDS")
    log_level: str = Field("INFO", alias="NEWSBOT_LOG_LEVEL")
    page_size: int = Field(5, alias="NEWSBOT_PAGE_SIZE", ge=1, le=10)
    latest_count: int = Field(5, alias="NEWSBOT_LATEST_COUNT", ge=1, le=20)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(",", " ").split())
        return value

    @field_validator("api_base_url")
    @classmethod
    def _bot_path(cls, value: str) -> str:
        """Accept a server root or a PTB-style base URL: both end up as `.../bot`."""
        value = value.rstrip("/")
        return value if value.endswith("/bot") else value + "/bot"

    @property
    def token(self) -> str | None:
        return self.bot_token.get_secret_value() if self.bot_token else None
