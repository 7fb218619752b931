-- Feeds: the sources the bot polls, the entries it has seen of each, and stories (the same
-- news from several outlets, grouped by near-duplicate signatures).

-- A source is a feed URL. `name` is the admin's, `title` the feed's own. Polling state:
-- conditional-request validators, the feed's own ttl, when it is next due, and failures in a
-- row; after repeated failures it is paused (`paused_at`) and admins are told once
-- (`pause_notified`).
CREATE TABLE sources (
    id             INTEGER PRIMARY KEY,
    url            TEXT NOT NULL UNIQUE,
    name           TEXT,
    title          TEXT,
    etag           TEXT,
    last_modified  TEXT,
    ttl_seconds    INTEGER,
    next_poll_at   REAL NOT NULL DEFAULT 0,   -- unix time
    last_polled_at REAL,
    last_status    TEXT,                      -- 'new' | 'unchanged' | 'failed'
    last_error     TEXT,
    failures       INTEGER NOT NULL DEFAULT 0,
    paused_at      TEXT,
    pause_notified INTEGER NOT NULL DEFAULT 0 CHECK (pause_notified IN (0, 1)),
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- Every entry seen of a source, by its GUID (or link): seen once, never fetched again.
-- `article_id` is the article it became, NULL when it was refused or a duplicate elsewhere.
CREATE TABLE feed_items (
    source_id  INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    guid       TEXT NOT NULL,
    article_id INTEGER REFERENCES articles (id) ON DELETE SET NULL,
    seen_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (source_id, guid)
) WITHOUT ROWID;

-- The story an article belongs to: the id of the story's first article (its own id when it
-- is the first). NULL until the bot has compared it with the stored ones.
ALTER TABLE articles ADD COLUMN story_id INTEGER;
CREATE INDEX articles_story ON articles (story_id) WHERE story_id IS NOT NULL;
CREATE INDEX articles_unassigned ON articles (id) WHERE story_id IS NULL;

-- Near-duplicate signatures and their LSH band keys: candidates for a new article are the
-- articles sharing a band key with it.
CREATE TABLE story_signatures (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    signature  BLOB NOT NULL
);
CREATE TABLE story_bands (
    band       TEXT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (band, article_id)
) WITHOUT ROWID;

-- Articles stored before stories existed are their own stories: only new ones are compared.
UPDATE articles SET story_id = id;
