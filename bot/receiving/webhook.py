"""Webhook mode: Telegram POSTs each update to us, checked by its secret token; `/healthz`.

One tornado server (PTB's own webhook dependency) serves two paths: the webhook path (the path
of NEWSBOT_WEBHOOK_URL, which a reverse proxy maps here) and `/healthz`, which answers 200 while
the application runs and its store answers, 503 otherwise, for supervisors and load balancers.

An update whose `X-Telegram-Bot-Api-Secret-Token` header is not the secret is refused (403)
before it is read. The secret is NEWSBOT_WEBHOOK_SECRET, or one derived from the bot token, the
same in every worker (Telegram is given it by setWebhook at every start); it is never logged.
Any number of `--role web` workers may listen on one port (SO_REUSEPORT) or behind a proxy.
An update Telegram posts again (its retry, to whichever worker) is answered 200 and not handled
again (bot/receiving/once.py).

SIGTERM or SIGINT stops gracefully: the server stops taking updates, the updates in hand are
finished, the outbox sender marks its sends in flight, then the store closes. The webhook stays
set, so Telegram keeps updates for the next start.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from urllib.parse import urlsplit

from telegram import Update
from telegram.ext import Application
from tornado.httpserver import HTTPServer
from tornado.web import Application as WebApplication
from tornado.web import RequestHandler

from bot.config import Settings
from bot.logs import redact_from_now_on
from bot.receiving.once import fresh_updates
from bot.receiving.updates import ALLOWED_UPDATES

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
MAX_UPDATE_BYTES = 1024 * 1024  # an update is a few KB; anything this large is not from Telegram
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class _Updates(RequestHandler):
    def initialize(self, bot_application: Application, secret: str) -> None:
        self.bot_application = bot_application
        self.secret = secret.encode()

    async def post(self) -> None:
        sent = (self.request.headers.get(SECRET_HEADER) or "").encode()
        if not hmac.compare_digest(sent, self.secret):
            log.warning("webhook: refused a request without the right secret token from %s", self.request.remote_ip)
            self.set_status(403)
            return
        try:
            update = Update.de_json(json.loads(self.request.body), self.bot_application.bot)
        except (ValueError, TypeError, KeyError):
            log.warning("webhook: a request that is not an update (%d bytes) was refused", len(self.request.body))
            self.set_status(400)
            return
        if update is None or not self.bot_application.running:
            self.set_status(503)  # Telegram retries later
            return
        store = self.bot_application.bot_data.store
        if update.update_id not in await fresh_updates(store, self.bot_application.bot.id, [update.update_id]):
            log.info("webhook: update %d was taken before (a retry); not handled again", update.update_id)
            self.set_status(200)
            return
        await self.bot_application.update_queue.put(update)
        self.set_status(200)


class _Health(RequestHandler):
    def initialize(self, bot_application: Application) -> None:
        self.bot_application = bot_application

    async def get(self) -> None:
        services = self.bot_application.bot_data
        ok = self.bot_application.running and services.store is not None
        articles = None
        if ok:
            try:
                articles = await services.articles.count()
            except Exception:  # noqa: BLE001 - a store that does not answer is unhealthy, whatever the cause
                ok = False
        self.set_status(200 if ok else 503)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"ok": ok, "articles": articles}))

    def head(self) -> None:
        self.set_status(200 if self.bot_application.running else 503)


def default_secret(token: str) -> str:
    """The secret when none is given: derived from the bot token, so every web worker behind
    one load balancer sets and checks the same one, and nobody without the token knows it."""
    return hmac.new(token.encode(), b"newsbot webhook secret token", "sha256").hexdigest()


def webhook_path(url: str) -> str:
    """The path Telegram posts to, as the public URL names it (a proxy maps it here as is)."""
    path = urlsplit(url).path or "/"
    return path if path.startswith("/") else "/" + path


async def serve_webhook(application: Application, settings: Settings, *, stop: asyncio.Event | None = None) -> None:
    """Serve updates posted to the webhook until SIGTERM / SIGINT (or `stop`), then stop gracefully."""
    secret = settings.webhook_secret_value or default_secret(settings.token or "")
    redact_from_now_on(secret)
    path = webhook_path(settings.webhook_url)
    routes = [(path, _Updates, {"bot_application": application, "secret": secret}),
              (HEALTH_PATH, _Health, {"bot_application": application})]
    server = HTTPServer(WebApplication(routes), max_body_size=MAX_UPDATE_BYTES, xheaders=True)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await application.initialize()
    try:
        await application.post_init(application)
        await application.bot.set_webhook(settings.webhook_url, secret_token=secret,
                                          allowed_updates=list(ALLOWED_UPDATES))
        await application.start()
        # Several web workers may share the port (SO_REUSEPORT): the kernel spreads requests.
        server.listen(settings.webhook_port, address=settings.webhook_listen, reuse_port=True)
        log.info("webhook: listening on %s:%d (path %s, health %s)",
                 settings.webhook_listen, settings.webhook_port, path, HEALTH_PATH)
        await stop.wait()
        log.info("webhook: stopping; finishing the updates in hand")
        server.stop()
        await application.stop()
    finally:
        await server.close_all_connections()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
        await application.post_shutdown(application)
        await application.shutdown()
