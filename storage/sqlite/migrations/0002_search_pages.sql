-- Queries behind "next page" buttons: callback_data holds only the id (64-byte limit).
CREATE TABLE search_pages (
    id         INTEGER PRIMARY KEY,
    chat_id    INTEGER NOT NULL,
    query      TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX search_pages_age ON search_pages (created_at);
