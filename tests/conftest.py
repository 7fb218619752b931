"""Shared fixtures: the stand-in Bot API (`standin`), the real bot process (`bot`), a store
with its Alerts service (`alerts_store`) and a local feed server (`feed_server`). Helpers live
in tests/support."""

import pytest

from tests.support.bot_process import BotProcess
from tests.support.botapi_standin import StandInBotAPI
from tests.support.feed_server import FeedServer


@pytest.fixture
def standin(request):
    """A running StandInBotAPI; customise via indirect parametrization, e.g.
    ``@pytest.mark.parametrize("standin", [{"private_burst": 1}], indirect=True)``."""
    kwargs = getattr(request, "param", None) or {}
    with StandInBotAPI(**kwargs) as server:
        yield server


@pytest.fixture
def bot(standin, tmp_path):
    """The real `newsbot run` of this checkout against `standin`, on tmp_path/e2e.db; not started
    (call `bot.start(**env)`), stopped (SIGINT, then killed) at the end."""
    process = BotProcess(standin, tmp_path)
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
async def alerts_store(tmp_path):
    """(services, alerts) over a fresh store at tmp_path/alerts.db, five topics per chat."""
    from tests.support.articles import (
        open_alerts,  # here: only these tests import the app for it
    )

    services, alerts = await open_alerts(tmp_path / "alerts.db")
    yield services, alerts
    await services.close()


@pytest.fixture
def feed_server():
    """A running FeedServer on 127.0.0.1; set routes with feed_server.routes[path] = handler."""
    with FeedServer() as server:
        yield server
