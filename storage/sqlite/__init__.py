"""The SQLite backend: one file, one long-lived aiosqlite connection, FTS5 for search.

`storage.sqlite.store.SqliteStore` is the `storage.Store` it provides; `db.Database` owns the
connection, its transactions and migrations; one module per table group holds the SQL.
Importing this package imports nothing else, so `storage.errors` can consult its classifier.
"""
