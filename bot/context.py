"""The typed state handlers reach through `context`, instead of a grab-bag `bot_data` dict."""

from __future__ import annotations

from dataclasses import dataclass

from telegram.ext import Application, CallbackContext, ExtBot

from bot import strings
from bot.alerts.service import Alerts
from bot.config import Settings
from bot.services import Services
from bot.summaries import Summaries
from storage.articles import ArticleStore
from storage.search import ArticleSearch


@dataclass
class BotState:
    """`bot_data`: filled in by `post_init` once the store is open, emptied at shutdown."""

    settings: Settings | None = None
    services: Services | None = None
    alerts: Alerts | None = None  # topic alerts, from post_init (bot/alerts/wiring.py)


class NewsContext(CallbackContext[ExtBot, dict, dict, BotState]):
    """`context` in every handler: typed access to the store and settings."""

    def __init__(self, application: Application, chat_id: int | None = None, user_id: int | None = None) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)

    @property
    def settings(self) -> Settings:
        return self.bot_data.settings

    @property
    def articles(self) -> ArticleStore:
        return self.bot_data.services.articles

    @property
    def search(self) -> ArticleSearch:
        return self.bot_data.services.search

    @property
    def summaries(self) -> Summaries:
        return self.bot_data.services.summaries

    @property
    def alerts(self) -> Alerts:
        return self.bot_data.alerts


def user_language(update: object) -> str:
    """UI language of whoever sent `update`."""
    user = getattr(update, "effective_user", None)
    return strings.language_for(user.language_code if user else None)
