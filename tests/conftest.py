"""Shared fixtures: the stand-in Bot API (`standin`), the real bot process (`bot`), a store
with its Alerts service (`alerts_store`), a local feed server (`feed_server`), and stores on
both backends (`store_location`, `postgres_location`). Helpers live in tests/support."""

import itertools
import os

import pytest

from tests.support.bot_process import BotProcess
from tests.support.botapi_standin import StandInBotAPI
from tests.support.feed_server import FeedServer
from tests.support.postgres import Cluster, find_bindir

POSTGRES_SKIP = "PostgreSQL tests need a PostgreSQL server installed"
_databases = itertools.count(1)
_skipped_postgres: list[str] = []


@pytest.fixture(scope="session")
def postgres_cluster():
    """One throwaway PostgreSQL cluster for the whole run (initdb in a temporary folder, a free
    port); skipped, with the reason, where PostgreSQL is not installed."""
    bindir, why = find_bindir()
    if bindir is None:
        pytest.skip(f"{POSTGRES_SKIP}: {why}")
    cluster = Cluster.start(bindir)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def postgres_location(postgres_cluster):
    """The URL of a new, empty database on the test cluster."""
    return postgres_cluster.create_database(f"newsbot_{os.getpid()}_{next(_databases)}")


@pytest.fixture(params=["sqlite", "postgres"])
def store_location(request, tmp_path):
    """A new store's NEWSBOT_DB on each backend in turn: an SQLite file, a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return request.getfixturevalue("postgres_location")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (`-n`, `--dist loadgroup`): the tests of a module that share a
    module-scoped fixture (one bot process for the module, e.g. tests/test_e2e_buttons.py) run
    on one worker, in file order, so that fixture starts once, as without xdist."""
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None:
            continue
        shared = any(defs and defs[-1].scope in ("module", "package", "class")
                     for defs in info.name2fixturedefs.values())
        if shared and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


def pytest_runtest_logreport(report):
    if report.skipped and POSTGRES_SKIP in str(report.longrepr):
        _skipped_postgres.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    """Under CI (CI set), PostgreSQL tests that were skipped fail the run: CI has PostgreSQL."""
    if os.environ.get("CI") and _skipped_postgres:
        print(f"\nCI: {len(_skipped_postgres)} PostgreSQL tests were skipped (PostgreSQL missing?):"
              f" {_skipped_postgres[0]} ...")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


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
async def alerts_store(store_location):
    """(services, alerts) over a fresh store on each backend in turn (`store_location`; its
    location is `services.settings.db`), five topics per chat."""
    from tests.support.articles import (
        open_alerts,  # here: only these tests import the app for it
    )

    services, alerts = await open_alerts(store_location)
    yield services, alerts
    await services.close()


@pytest.fixture
def feed_server():
    """A running FeedServer on 127.0.0.1; set routes with feed_server.routes[path] = handler."""
    with FeedServer() as server:
        yield server
