"""The SQLite store provides the whole `storage.Store` interface, parameter for parameter: the
bot is written against the Protocols, so a method missing or shaped differently would break
it only at run time (and a second backend is checked the same way)."""

import inspect
import typing

from storage import Store, interface, open_store


async def test_each_store_implements_every_method_of_the_interface(store_location):
    store = await open_store(store_location)
    try:
        groups = typing.get_type_hints(Store)
        assert set(groups) == {"articles", "search", "chats", "topics", "matching", "outbox", "digests", "sources", "stories", "stats", "leases",
                               "pace", "updates"}
        assert isinstance(store.outbox.shared_claims, bool)  # whether senders share by claims
        for attribute, protocol in groups.items():
            part = getattr(store, attribute)
            for name, declared in vars(protocol).items():
                if name.startswith("_") or not callable(declared):
                    continue
                provided = getattr(part, name, None)
                assert provided is not None, f"store.{attribute}.{name} is missing"
                want = [(p.name, p.kind, p.default) for p in inspect.signature(declared).parameters.values()][1:]
                got = [(p.name, p.kind, p.default) for p in inspect.signature(provided).parameters.values()]
                assert got == want, f"store.{attribute}.{name}{inspect.signature(provided)}"
                assert inspect.iscoroutinefunction(provided) == inspect.iscoroutinefunction(declared), name
        assert inspect.iscoroutinefunction(store.close)
    finally:
        await store.close()
    assert interface.Store is Store


def test_the_postgres_search_classes_match_their_protocols_without_a_server():
    """The article groups of PostgreSQL checked on the classes themselves (no server needed)."""
    from storage.postgres.articles import Articles
    from storage.postgres.search import Search

    for cls, protocol in ((Articles, interface.ArticleStore), (Search, interface.ArticleSearch)):
        for name, declared in vars(protocol).items():
            if name.startswith("_") or not callable(declared):
                continue
            provided = getattr(cls, name, None)
            assert provided is not None, f"{cls.__name__}.{name} is missing"
            assert inspect.signature(provided).parameters.keys() == inspect.signature(declared).parameters.keys()
            assert [(p.kind, p.default) for p in inspect.signature(provided).parameters.values()] == \
                [(p.kind, p.default) for p in inspect.signature(declared).parameters.values()], name
            assert inspect.iscoroutinefunction(provided) == inspect.iscoroutinefunction(declared), name
            assert inspect.isasyncgenfunction(provided) == (name == "iter_for_reanalysis"), name
