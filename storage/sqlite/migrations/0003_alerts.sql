-- Topic alerts: chats that subscribe, their topics, the durable outbox the sender drains,
-- rendered digests, and the cursor of the matcher over `articles`.

-- One row per chat that ever subscribed. `active` drops to 0 on 403 (blocked, kicked) and
-- comes back with /start. `digest_time` NULL means instant alerts, 'HH:MM' a daily digest
-- at that local time in `timezone`; `digest_due_after` is the UTC instant of the last digest
-- slot already handled (a digest is due once the next slot has passed).
CREATE TABLE alert_chats (
    chat_id          INTEGER PRIMARY KEY,
    chat_type        TEXT NOT NULL DEFAULT 'private',
    language         TEXT NOT NULL DEFAULT 'ar',
    active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    inactive_reason  TEXT,
    timezone         TEXT NOT NULL DEFAULT 'UTC',
    digest_time      TEXT CHECK (digest_time IS NULL OR digest_time GLOB '[0-2][0-9]:[0-5][0-9]'),
    digest_due_after TEXT,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- A topic is a query in the search language, kept as typed. It fires only for articles with
-- id > `since_article`: the newest article id when it was created (or resumed), so a new
-- subscriber is not sent old news.
CREATE TABLE alert_topics (
    id            INTEGER PRIMARY KEY,
    chat_id       INTEGER NOT NULL REFERENCES alert_chats (chat_id) ON DELETE CASCADE,
    query         TEXT NOT NULL,
    paused        INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    since_article INTEGER NOT NULL,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (chat_id, query)
);

-- One row per (chat, article): an article matching several topics of a chat is one alert;
-- `topics` records which (JSON [[topic_id, query], ...]). `kind` (storage.types.OutboxKind)
-- is 'instant' (the sender delivers it on its own: an alert) or 'digest' (collected into the
-- chat's next digest, a row of alert_digests).
-- state: pending -> sent | parked (failed for a permanent reason; `last_error` says why)
--                         | digested (went out inside digest `digest_id`)
--                         | dropped (the chat blocked the bot; `last_error` says so)
CREATE TABLE alert_outbox (
    id              INTEGER PRIMARY KEY,
    chat_id         INTEGER NOT NULL,
    article_id      INTEGER NOT NULL,
    topics          TEXT NOT NULL,
    kind            TEXT NOT NULL DEFAULT 'instant' CHECK (kind IN ('instant', 'digest')),
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'sent', 'parked', 'digested', 'dropped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL DEFAULT 0,  -- unix time; backoff after transient failures
    last_error      TEXT,
    message_id      INTEGER,
    digest_id       INTEGER,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    sent_at         TEXT,
    UNIQUE (chat_id, article_id)
);

CREATE INDEX alert_outbox_pending ON alert_outbox (chat_id, id) WHERE state = 'pending';

-- A digest is rendered once, when it is built, and delivered part by part: `parts_sent`
-- advances after each part Telegram accepted, so a restart resumes at the next part.
CREATE TABLE alert_digests (
    id              INTEGER PRIMARY KEY,
    chat_id         INTEGER NOT NULL,
    parts           TEXT NOT NULL,  -- JSON list of HTML messages
    parts_sent      INTEGER NOT NULL DEFAULT 0,
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'sent', 'parked', 'dropped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    sent_at         TEXT
);

CREATE INDEX alert_digests_pending ON alert_digests (chat_id, id) WHERE state = 'pending';

-- Where the matcher is in `articles`: every article with a greater id is still to be matched.
-- It starts at the newest article stored when this migration runs: the archive is not alerted.
CREATE TABLE alert_cursor (
    name       TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL
);

INSERT INTO alert_cursor (name, article_id) SELECT 'match', coalesce(max(id), 0) FROM articles;
