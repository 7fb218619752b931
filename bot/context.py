"""The typed `context` every handler and job gets, over the one container (bot/services.py)."""

from __future__ import annotations

from telegram.ext import Application, CallbackContext, ExtBot

from bot.alerts.service import Alerts
from bot.config import Settings
from bot.services import Services
from bot.summaries.cache import Summaries
from storage import ArticleSearch, ArticleStore


class NewsContext(CallbackContext[ExtBot, dict, dict, Services]):
    """`context` in every handler: typed access to the services instead of a grab-bag dict."""

    def __init__(self, application: Application, chat_id: int | None = None, user_id: int | None = None) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)

    @property
    def services(self) -> Services:
        return self.bot_data

    @property
    def settings(self) -> Settings:
        return self.bot_data.settings

    @property
    def articles(self) -> ArticleStore:
        return self.bot_data.articles

    @property
    def index(self) -> ArticleSearch:
        return self.bot_data.index

    @property
    def summaries(self) -> Summaries:
        return self.bot_data.summaries

    @property
    def alerts(self) -> Alerts:
        return self.bot_data.alerts
