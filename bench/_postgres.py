"""A PostgreSQL database for a bench: the one given (`--postgres URL`), else a database on a
throwaway cluster of the tests' kind (tests/support/postgres.py), stopped afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def postgres_database(url: str | None, name: str = "bench") -> Iterator[str]:
    """The URL of the database to use, for the `with` block."""
    if url:
        yield url
        return
    from tests.support.postgres import Cluster, find_bindir

    bindir, why = find_bindir()
    if bindir is None:
        raise SystemExit(f"no PostgreSQL server to start ({why}); pass --postgres URL")
    cluster = Cluster.start(bindir)
    try:
        yield cluster.create_database(name)
    finally:
        cluster.stop()
