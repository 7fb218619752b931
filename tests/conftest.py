"""Shared fixtures. (The `standin` fixture: a local fake Telegram Bot API server.)"""

import pytest

from botapi_standin import StandInBotAPI  # tests/ is on sys.path (rootdir conftest, prepend mode)


@pytest.fixture
def standin(request):
    """A running StandInBotAPI; customise via indirect parametrization, e.g.
    ``@pytest.mark.parametrize("standin", [{"private_burst": 1}], indirect=True)``."""
    kwargs = getattr(request, "param", None) or {}
    with StandInBotAPI(**kwargs) as server:
        yield server
